//! Messages between a debtor and the creditor's collection team: the debtor writes from the
//! portal, agents answer from the back office, and each side is told by mail.

use crate::disputes::{keep_draft, local_time, posts_view};
use crate::jobs::now;
use crate::portal::{DebtorContext, brand, internal};
use crate::state::AppState;
use crate::storage::{AgentRow, CaseNotice, MessageRow, PostRow, Submitted};
use app::domain::dispute::{DisputeError, read_text};
use app::domain::locale::Lang;
use app::error::AppError;
use app::views::dispute::PostView;
use app::views::form::{AgentDraft, FormError, TextDraft};
use app::views::message::MessagesView;
use std::collections::HashMap;

pub const MESSAGE_FORM: &str = "message";

fn as_posts(messages: Vec<MessageRow>) -> Vec<PostRow> {
    messages
        .into_iter()
        .map(|m| PostRow {
            id: m.id,
            author: m.author,
            internal: false,
            body: m.body,
            at: m.at,
            files: Vec::new(),
        })
        .collect()
}

/// The conversation as a reader sees it: agents named in the back office (`names`).
pub fn thread(
    messages: Vec<MessageRow>,
    names: Option<&HashMap<String, String>>,
    timezone: &str,
) -> Vec<PostView> {
    posts_view(as_posts(messages), names, timezone)
}

/// The debtor's page; reading it marks the team's answers read.
pub async fn view(state: &AppState, ctx: DebtorContext) -> Result<MessagesView, AppError> {
    let (c, d) = (&ctx.creditor.id, &ctx.debtor.id);
    let (messages, draft) = tokio::try_join!(
        state.storage.messages_of(c, d),
        state.storage.draft(c, d, MESSAGE_FORM)
    )
    .map_err(internal)?;
    state
        .storage
        .mark_messages_read(c, d, false, now())
        .await
        .map_err(internal)?;
    Ok(MessagesView {
        brand: brand(&ctx.creditor),
        messages: thread(messages, None, &ctx.debtor.timezone),
        draft: draft
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default(),
        submission: crate::storage::new_id(),
    })
}

fn text_error(e: DisputeError) -> &'static str {
    if e == DisputeError::MessageTooLong {
        "too_long"
    } else {
        "message"
    }
}

/// The debtor writes to the team; the team is mailed at the creditor's contact address.
pub async fn debtor_writes(
    state: &AppState,
    ctx: &DebtorContext,
    text: &str,
    submission: Option<String>,
) -> Result<(), FormError> {
    let (creditor, debtor) = (&ctx.creditor, &ctx.debtor);
    let id = submission.unwrap_or_else(crate::storage::new_id);
    if crate::disputes::already(state, ctx, Submitted::Message, &id).await {
        let _ = state
            .storage
            .set_draft(&creditor.id, &debtor.id, MESSAGE_FORM, None, now())
            .await;
        return Ok(());
    }
    let body = match read_text(text) {
        Ok(b) => b,
        Err(e) => {
            let error = FormError {
                code: text_error(e).into(),
                about: String::new(),
            };
            keep_draft(
                state,
                ctx,
                MESSAGE_FORM,
                &TextDraft {
                    text: text.to_string(),
                    error: Some(error.clone()),
                },
            )
            .await;
            return Err(error);
        }
    };
    let mail = crate::mail::notice(
        creditor,
        &creditor.contact_email,
        "",
        true,
        &format!("Message de {}", debtor.name),
        &[
            format!(
                "{} ({}) vous écrit depuis le portail :",
                debtor.name, debtor.reference
            ),
            body.clone(),
        ],
        Some(&format!(
            "{}/agent/debtors/{}#messages",
            state.config.public_url, debtor.id
        )),
    );
    match state
        .storage
        .insert_message(
            &id,
            &creditor.id,
            &debtor.id,
            "debtor",
            &body,
            CaseNotice {
                link: None,
                mails: &[mail],
            },
            now(),
        )
        .await
    {
        Ok(()) => {
            state.mail_wake.notify_one();
            let _ = state
                .storage
                .set_draft(&creditor.id, &debtor.id, MESSAGE_FORM, None, now())
                .await;
            Ok(())
        }
        Err(_) if crate::disputes::already(state, ctx, Submitted::Message, &id).await => Ok(()),
        Err(e) => {
            internal(e);
            let error = FormError {
                code: "internal".into(),
                about: String::new(),
            };
            keep_draft(
                state,
                ctx,
                MESSAGE_FORM,
                &TextDraft {
                    text: text.to_string(),
                    error: Some(error.clone()),
                },
            )
            .await;
            Err(error)
        }
    }
}

/// The draft key of an agent's answer on a debtor's page.
pub const ANSWER_FORM: &str = "answer";

/// An agent answers a debtor of their creditor; the debtor is mailed with a fresh link.
pub async fn agent_answers(
    state: &AppState,
    agent: &AgentRow,
    debtor_id: &str,
    text: &str,
) -> Result<(), crate::disputes::ActionError> {
    use crate::disputes::ActionError;
    if !crate::schedules::may_decide(agent) {
        return Err(ActionError::Forbidden);
    }
    let fail = |e: crate::storage::StorageError| {
        internal(e);
        ActionError::Internal
    };
    uuid::Uuid::parse_str(debtor_id).map_err(|_| ActionError::NotFound)?;
    let s = &state.storage;
    let creditor = s
        .creditor(&agent.creditor_id)
        .await
        .map_err(fail)?
        .ok_or(ActionError::NotFound)?;
    let debtor = s
        .debtor(&creditor.id, debtor_id)
        .await
        .map_err(fail)?
        .ok_or(ActionError::NotFound)?;
    let r = async {
        let body = read_text(text).map_err(|e| {
            ActionError::Invalid(if e == DisputeError::MessageTooLong {
                "too_long"
            } else {
                "text"
            })
        })?;
        let (link, token) = state
            .links
            .prepare_for(&creditor, &debtor.id, now())
            .map_err(|e| {
                internal(e);
                ActionError::Internal
            })?;
        let url = format!("{}/l/{}", state.config.public_url, token);
        let fr = Lang::parse(&debtor.locale).unwrap_or_default() == Lang::Fr;
        let contacts = s.contacts(&creditor.id, &debtor.id).await.map_err(fail)?;
        let (subject, intro) = if fr {
            ("Réponse à votre message", "Notre équipe vous a répondu :")
        } else {
            ("An answer to your message", "Our team has answered you:")
        };
        let mails: Vec<_> = contacts
            .iter()
            .map(|c| {
                crate::mail::notice(
                    &creditor,
                    &c.email,
                    &c.name,
                    fr,
                    subject,
                    &[intro.to_string(), body.clone()],
                    Some(&url),
                )
            })
            .collect();
        s.insert_message(
            &crate::storage::new_id(),
            &creditor.id,
            &debtor.id,
            &agent.id,
            &body,
            CaseNotice {
                link: Some(&link),
                mails: &mails,
            },
            now(),
        )
        .await
        .map_err(fail)?;
        // Answering reads what the debtor wrote.
        s.mark_messages_read(&creditor.id, &debtor.id, true, now())
            .await
            .map_err(fail)?;
        state.mail_wake.notify_one();
        Ok(())
    }
    .await;
    let draft = AgentDraft {
        text: text.into(),
        ..AgentDraft::default()
    };
    crate::disputes::keep_agent_draft(state, agent, &debtor.id, ANSWER_FORM, &draft, &r).await;
    r
}

pub fn waiting_since(timezone: &str, at: i64) -> String {
    local_time(timezone, at)
}
