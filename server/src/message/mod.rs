//! Messages between a debtor and the creditor's collection team: the debtor writes from the
//! portal, agents answer from the back office, and each side is told by mail.

pub mod routes;

use crate::kernel::context::may_decide;
use crate::kernel::forms::keys::{ANSWER as ANSWER_FORM, MESSAGE as MESSAGE_FORM};
use crate::kernel::forms::{
    ActionError, already, debtor_draft, forget_draft, keep_agent_draft, keep_draft,
};
use crate::kernel::mail::{Letter, portal_link, to_debtor, to_team};
use crate::kernel::statement::brand;
use crate::kernel::summaries::thread;
use crate::kernel::{AppState, DebtorContext, internal};
use crate::storage::{AgentRow, CaseNotice, NewMessage, StorageError, Stored, Submitted, new_id};
use app::domain::dispute::{DisputeError, read_text};
use app::error::AppError;
use app::i18n::mail as words;
use app::views::form::{AgentDraft, FormError, TextDraft};
use app::views::message::MessagesView;

/// The debtor's page; reading it marks the team's answers read.
pub async fn view(state: &AppState, ctx: DebtorContext) -> Result<MessagesView, AppError> {
    let (c, d) = (&ctx.creditor.id, &ctx.debtor.id);
    let (messages, draft) = tokio::try_join!(
        state.storage.messages_of(c, d),
        debtor_draft::<TextDraft>(state, &ctx, MESSAGE_FORM)
    )
    .map_err(internal)?;
    state
        .storage
        .mark_messages_read(c, d, false, state.now())
        .await
        .map_err(internal)?;
    Ok(MessagesView {
        brand: brand(&ctx.creditor),
        messages: thread(messages, None, ctx.debtor.timezone),
        draft,
        submission: new_id(),
    })
}

/// The debtor writes to the team; the team is mailed at the creditor's contact address. The
/// same form sent twice is stored once.
pub async fn debtor_writes(
    state: &AppState,
    ctx: &DebtorContext,
    text: &str,
    submission: Option<String>,
) -> Result<(), FormError> {
    let (creditor, debtor) = (&ctx.creditor, &ctx.debtor);
    let id = submission.unwrap_or_else(new_id);
    let refuse = async |code: &str| -> Result<(), FormError> {
        let error = FormError {
            code: code.into(),
            about: String::new(),
        };
        let draft = TextDraft {
            text: text.to_string(),
            error: Some(error.clone()),
        };
        keep_draft(state, ctx, MESSAGE_FORM, &draft).await;
        Err(error)
    };
    let body = match read_text(text) {
        Ok(b) => b,
        Err(DisputeError::MessageTooLong) => return refuse("too_long").await,
        Err(_) => return refuse("message").await,
    };
    let url = format!(
        "{}/agent/debtors/{}#messages",
        state.config.public_url, debtor.id
    );
    let mail = to_team(creditor, |lang| {
        Letter::new(words::team_message_subject(lang, &debtor.name))
            .para(words::team_message(lang, &debtor.name, &debtor.reference))
            .para(body.clone())
            .link(&url, &url)
    });
    let notice = CaseNotice {
        link: None,
        mails: &[mail],
    };
    let m = NewMessage {
        id: &id,
        creditor_id: &creditor.id,
        debtor_id: &debtor.id,
        author: "debtor",
        body: &body,
    };
    let stored = state.storage.insert_message(&m, notice, state.now());
    match stored.await {
        Ok(stored) => {
            if stored == Stored::New {
                state.mail_queued();
            }
            forget_draft(state, ctx, MESSAGE_FORM).await;
            Ok(())
        }
        // Someone else's id: not a form this page gave.
        Err(StorageError::Duplicate(_)) => refuse("invalid").await,
        Err(e) if already(state, ctx, Submitted::Message, &id).await => {
            tracing::warn!(error = %e, "a message stored meanwhile");
            Ok(())
        }
        Err(e) => {
            internal(e);
            refuse("internal").await
        }
    }
}

/// An agent answers a debtor of their creditor; the debtor is mailed with a fresh link.
pub async fn agent_answers(
    state: &AppState,
    agent: &AgentRow,
    debtor_id: &str,
    text: &str,
) -> Result<(), ActionError> {
    if !may_decide(agent) {
        return Err(ActionError::Forbidden);
    }
    uuid::Uuid::parse_str(debtor_id).map_err(|_| ActionError::NotFound)?;
    let s = &state.storage;
    let creditor = s
        .creditor(&agent.creditor_id)
        .await
        .map_err(ActionError::internal)?
        .ok_or(ActionError::NotFound)?;
    let debtor = s
        .debtor(&creditor.id, debtor_id)
        .await
        .map_err(ActionError::internal)?
        .ok_or(ActionError::NotFound)?;
    let r = async {
        let body = read_text(text).map_err(|e| {
            ActionError::Invalid(if e == DisputeError::MessageTooLong {
                "too_long"
            } else {
                "text"
            })
        })?;
        let (link, url) =
            portal_link(state, &creditor, &debtor.id).map_err(ActionError::internal)?;
        let mails = to_debtor(state, &creditor, &debtor, |lang| {
            Letter::new(words::MESSAGE_ANSWER_SUBJECT.get(lang))
                .para(words::TEAM_ANSWERED.get(lang))
                .para(body.clone())
                .link(&url, words::LINK_LABEL.get(lang))
        })
        .await
        .map_err(ActionError::internal)?;
        let notice = CaseNotice {
            link: Some(&link),
            mails: &mails,
        };
        let id = new_id();
        let m = NewMessage {
            id: &id,
            creditor_id: &creditor.id,
            debtor_id: &debtor.id,
            author: &agent.id,
            body: &body,
        };
        s.insert_message(&m, notice, state.now())
            .await
            .map_err(ActionError::internal)?;
        // Answering reads what the debtor wrote.
        s.mark_messages_read(&creditor.id, &debtor.id, true, state.now())
            .await
            .map_err(ActionError::internal)?;
        state.mail_queued();
        Ok(())
    }
    .await;
    let draft = AgentDraft {
        text: text.into(),
        ..AgentDraft::default()
    };
    keep_agent_draft(state, agent, &debtor.id, ANSWER_FORM, &draft, &r).await;
    r
}
