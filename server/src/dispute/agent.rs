//! What agents do with a dispute: read it, write internal notes or replies (with files), give
//! it to an owner, resolve it; and what admins set: the owners disputes may go to. Every step
//! checks the agent's role and creditor first.

use super::files::{Upload, check_files, limits};
use crate::kernel::context::{is_admin, may_decide};
use crate::kernel::forms::keys::{post as post_form, resolve as resolve_form};
use crate::kernel::forms::{ActionError, agent_draft, keep_agent_draft};
use crate::kernel::mail::{Letter, portal_link, to_debtor};
use crate::kernel::statement::brand;
use crate::kernel::summaries::{dispute_summary, posts_view};
use crate::kernel::{AgentContext, AppState, internal};
use crate::storage::{
    AgentRow, CaseNotice, CreditorRow, DebtorRow, DisputeRow, NewFile, StorageError, new_id,
};
use app::domain::dispute::{
    DisputeError, Outcome, ResolveError, read_outcome, read_text, spread_credit,
};
use app::domain::locale::{Lang, format_money};
use app::error::AppError;
use app::i18n::mail as words;
use app::views::dispute::{AgentDisputeView, OwnerView};
use app::views::form::AgentDraft;
use std::collections::HashMap;

/// One dispute of the agent's creditor, with its whole thread and the owners it may go to.
pub async fn view(state: &AppState, token: &str, id: &str) -> Result<AgentDisputeView, AppError> {
    let AgentContext { agent, creditor } = AgentContext::of_token(state, token).await?;
    uuid::Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    let s = &state.storage;
    let dispute = s
        .dispute(&creditor.id, None, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let (posts, names, owners) = tokio::try_join!(
        s.dispute_posts(&creditor.id, id, true),
        s.agent_names(&creditor.id),
        s.dispute_owners(&creditor.id)
    )
    .map_err(internal)?;
    let debtor = s
        .debtor(&creditor.id, &dispute.debtor_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let owner = match &dispute.owner_id {
        Some(o) => s
            .dispute_owner(&creditor.id, o)
            .await
            .map_err(internal)?
            .map(|o| o.name),
        None => None,
    };
    let names: HashMap<String, String> = names.into_iter().collect();
    let (post_key, resolve_key) = (post_form(id), resolve_form(id));
    let (post_draft, resolve_draft) = tokio::try_join!(
        agent_draft(state, &agent, &debtor.id, &post_key),
        agent_draft(state, &agent, &debtor.id, &resolve_key)
    )
    .map_err(internal)?;
    Ok(AgentDisputeView {
        brand: brand(&creditor),
        may_act: may_decide(&agent),
        agent_name: agent.name,
        role: agent.role,
        debtor_id: debtor.id,
        debtor_name: debtor.name,
        reference: debtor.reference,
        dispute: dispute_summary(&dispute, creditor.timezone, owner),
        posts: posts_view(posts, Some(&names), creditor.timezone),
        owners: owners
            .into_iter()
            .map(|o| OwnerView {
                id: o.id,
                name: o.name,
                email: o.email,
            })
            .collect(),
        limits: limits(&creditor),
        post_draft,
        resolve_draft,
    })
}

/// The dispute an agent acts on, if their role allows it and it is their creditor's.
async fn agent_dispute(
    state: &AppState,
    agent: &AgentRow,
    id: &str,
) -> Result<(CreditorRow, DebtorRow, DisputeRow), ActionError> {
    if !may_decide(agent) {
        return Err(ActionError::Forbidden);
    }
    uuid::Uuid::parse_str(id).map_err(|_| ActionError::NotFound)?;
    let s = &state.storage;
    let dispute = s
        .dispute(&agent.creditor_id, None, id)
        .await
        .map_err(ActionError::internal)?
        .ok_or(ActionError::NotFound)?;
    let creditor = s
        .creditor(&agent.creditor_id)
        .await
        .map_err(ActionError::internal)?
        .ok_or(ActionError::NotFound)?;
    let debtor = s
        .debtor(&creditor.id, &dispute.debtor_id)
        .await
        .map_err(ActionError::internal)?
        .ok_or(ActionError::NotFound)?;
    Ok((creditor, debtor, dispute))
}

fn text_error(e: DisputeError) -> ActionError {
    ActionError::Invalid(if e == DisputeError::MessageTooLong {
        "too_long"
    } else {
        "text"
    })
}

/// An internal note (never shown to the debtor) or a reply (shown and mailed to the debtor).
/// `unread` is why the form could not be read whole (`"too_big"`, `"invalid"`), if it could not:
/// the text read before the problem is kept as the agent's draft.
pub async fn post(
    state: &AppState,
    agent: &AgentRow,
    id: &str,
    text: &str,
    internal_note: bool,
    uploads: &[Upload],
    unread: Option<&'static str>,
) -> Result<(), ActionError> {
    let (creditor, debtor, dispute) = agent_dispute(state, agent, id).await?;
    let r = async {
        if let Some(code) = unread {
            return Err(ActionError::Invalid(code));
        }
        let text = read_text(text).map_err(text_error)?;
        let files =
            check_files(uploads, limits(&creditor)).map_err(|_| ActionError::Invalid("file"))?;
        let s = &state.storage;
        if internal_note {
            let notice = CaseNotice::NONE;
            s.add_dispute_post(
                &dispute,
                &new_id(),
                &agent.id,
                true,
                &text,
                &files,
                notice,
                state.now(),
            )
            .await
            .map_err(ActionError::internal)?;
            return Ok(());
        }
        let (link, url) =
            portal_link(state, &creditor, &debtor.id).map_err(ActionError::internal)?;
        let mails = to_debtor(state, &creditor, &debtor, |lang| {
            let l = Letter::new(words::DISPUTE_ANSWER_SUBJECT.get(lang))
                .para(words::TEAM_ANSWERED.get(lang))
                .para(text.clone());
            let l = if files.is_empty() {
                l
            } else {
                l.para(words::files_waiting(lang, &file_names(&files)))
            };
            l.link(&url, words::LINK_LABEL.get(lang))
        })
        .await
        .map_err(ActionError::internal)?;
        let notice = CaseNotice {
            link: Some(&link),
            mails: &mails,
        };
        s.add_dispute_post(
            &dispute,
            &new_id(),
            &agent.id,
            false,
            &text,
            &files,
            notice,
            state.now(),
        )
        .await
        .map_err(ActionError::internal)?;
        state.mail_queued();
        Ok(())
    }
    .await;
    let choice = if internal_note { "internal" } else { "public" };
    let draft = AgentDraft {
        choice: choice.into(),
        amount: String::new(),
        text: text.into(),
    };
    keep_agent_draft(state, agent, &debtor.id, &post_form(id), &draft, &r).await;
    r
}

/// The files of a reply, by name: they wait in the portal (files never go by mail).
fn file_names(files: &[NewFile]) -> String {
    files
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn numbers(d: &DisputeRow) -> String {
    d.invoices
        .iter()
        .map(|(_, n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Gives the dispute to an internal owner, who is mailed what it is about.
pub async fn assign(
    state: &AppState,
    agent: &AgentRow,
    id: &str,
    owner_id: &str,
) -> Result<(), ActionError> {
    let (creditor, debtor, dispute) = agent_dispute(state, agent, id).await?;
    let s = &state.storage;
    let owner = s
        .dispute_owner(&creditor.id, owner_id.trim())
        .await
        .map_err(ActionError::internal)?
        .ok_or(ActionError::Invalid("owner"))?;
    let first = s
        .dispute_posts(&creditor.id, &dispute.id, false)
        .await
        .map_err(ActionError::internal)?;
    let first = first.into_iter().next().map(|p| p.body).unwrap_or_default();
    let url = format!("{}/agent/disputes/{}", state.config.public_url, dispute.id);
    // The owner is one of the creditor's people: the team's language.
    let lang = Lang::Fr;
    let mail = Letter::new(words::owner_assigned_subject(lang, &debtor.name))
        .para(words::owner_assigned(
            lang,
            &agent.name,
            &debtor.name,
            &debtor.reference,
            &numbers(&dispute),
            &format_money(dispute.contested, lang),
        ))
        .para(first)
        .link(&url, &url)
        .to(&creditor, lang, &owner.name, &owner.email);
    let notice = CaseNotice {
        link: None,
        mails: &[mail],
    };
    match s
        .assign_dispute(&dispute, &owner.id, &agent.id, notice, state.now())
        .await
        .map_err(ActionError::internal)?
    {
        true => {
            state.mail_queued();
            Ok(())
        }
        false => Err(ActionError::Conflict),
    }
}

/// Resolves the dispute: credits what is accepted, returns the rest to the chase, tells the debtor.
pub async fn resolve(
    state: &AppState,
    agent: &AgentRow,
    id: &str,
    outcome: &str,
    amount: &str,
    explanation: &str,
) -> Result<(), ActionError> {
    let (creditor, debtor, dispute) = agent_dispute(state, agent, id).await?;
    let r = async {
        let (outcome, explanation) = read_outcome(outcome, amount, explanation, dispute.contested)
            .map_err(|e| {
                ActionError::Invalid(match e {
                    ResolveError::Outcome => "outcome",
                    ResolveError::Amount(_) => "amount",
                    ResolveError::PartOutOfRange => "part",
                    ResolveError::Explanation => "explanation",
                    ResolveError::TooLong => "too_long",
                })
            })?;
        let credit = outcome.credit(dispute.contested);
        let parts: Vec<_> = dispute
            .invoices
            .iter()
            .map(|(i, _, m)| (i.clone(), *m))
            .collect();
        let credits = spread_credit(credit, &parts);
        let (link, url) =
            portal_link(state, &creditor, &debtor.id).map_err(ActionError::internal)?;
        let numbers = numbers(&dispute);
        let mails = to_debtor(state, &creditor, &debtor, |lang| {
            let credit = format_money(credit, lang);
            let said = match outcome {
                Outcome::Accepted => words::dispute_accepted(lang, &numbers, &credit),
                Outcome::PartlyAccepted(_) => {
                    words::dispute_partly_accepted(lang, &numbers, &credit)
                }
                Outcome::Rejected => words::dispute_rejected(lang, &numbers),
            };
            let l = Letter::new(words::DISPUTE_RESOLVED_SUBJECT.get(lang)).para(said);
            let l = if explanation.is_empty() {
                l
            } else {
                l.para(explanation.clone())
            };
            l.link(&url, words::LINK_LABEL.get(lang))
        })
        .await
        .map_err(ActionError::internal)?;
        let notice = CaseNotice {
            link: Some(&link),
            mails: &mails,
        };
        let resolved = state.storage.resolve_dispute(
            &dispute,
            outcome.status(),
            &credits,
            &explanation,
            &agent.id,
            notice,
            state.now(),
        );
        match resolved.await {
            Ok(()) => {
                state.mail_queued();
                Ok(())
            }
            Err(StorageError::Stale(_)) => Err(ActionError::Conflict),
            Err(e) => Err(ActionError::internal(e)),
        }
    }
    .await;
    let draft = AgentDraft {
        choice: outcome.into(),
        amount: amount.into(),
        text: explanation.into(),
    };
    keep_agent_draft(state, agent, &debtor.id, &resolve_form(id), &draft, &r).await;
    r
}

/// Adds an owner (a person or a team) disputes can be given to; admins only.
pub async fn add_owner(
    state: &AppState,
    agent: &AgentRow,
    name: &str,
    email: &str,
) -> Result<(), ActionError> {
    if !is_admin(agent) {
        return Err(ActionError::Forbidden);
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ActionError::Invalid("owner"));
    }
    let email = app::domain::contact::EmailAddress::parse(email)
        .map_err(|_| ActionError::Invalid("owner"))?;
    state
        .storage
        .add_dispute_owner(&agent.creditor_id, name, email.as_str(), state.now())
        .await
        .map_err(ActionError::internal)?;
    Ok(())
}

pub async fn remove_owner(state: &AppState, agent: &AgentRow, id: &str) -> Result<(), ActionError> {
    if !is_admin(agent) {
        return Err(ActionError::Forbidden);
    }
    let removed = state
        .storage
        .remove_dispute_owner(&agent.creditor_id, id, state.now());
    match removed.await.map_err(ActionError::internal)? {
        true => Ok(()),
        false => Err(ActionError::NotFound),
    }
}
