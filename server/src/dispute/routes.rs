//! Disputes over plain forms, answered with redirects: the debtor's dispute form and replies
//! (multipart, with files), the files served back, and the agents' notes, replies,
//! assignments, resolutions and owners.
//!
//! On an error the debtor's words are kept server-side as a draft (`form_drafts`) and the page
//! shows them back with the reason; nothing typed rides in a URL or is lost.

use super::agent;
use super::files::{Parts, file_response, read_parts};
use crate::kernel::forms::keys::{DISPUTE as DISPUTE_FORM, reply as reply_form};
use crate::kernel::forms::{after, keep_draft, submission};
use crate::kernel::http::see_other;
use crate::kernel::{AppState, DebtorContext, SignedIn, internal};
use app::domain::dispute::DisputeInput;
use app::error::AppError;
use app::views::dispute::DisputeDraft;
use app::views::form::{FormError, TextDraft};
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

fn refused(code: &str) -> Option<FormError> {
    Some(FormError {
        code: code.into(),
        about: String::new(),
    })
}

/// Keeps what the debtor typed, with why it was refused, and sends them back to the form.
async fn back_with_draft(
    state: &AppState,
    ctx: &DebtorContext,
    to: &str,
    form: &str,
    draft: &impl serde::Serialize,
) -> Response {
    keep_draft(state, ctx, form, draft).await;
    see_other(to, vec![])
}

fn dispute_input(parts: &Parts) -> DisputeInput {
    DisputeInput {
        invoices: parts
            .fields
            .iter()
            .filter(|(k, _)| k == "invoice")
            .map(|(_, v)| v.clone())
            .collect(),
        amounts: parts
            .fields
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("amount_")
                    .map(|id| (id.to_string(), v.clone()))
            })
            .collect(),
        reason: parts.get("reason"),
        message: parts.get("message"),
        paid_on: parts.get("paid_on"),
    }
}

/// `POST /disputes`: opens a dispute.
pub async fn open(
    State(state): State<AppState>,
    debtor: Option<DebtorContext>,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let Some(ctx) = debtor else {
        return see_other("/disputes", vec![]);
    };
    let (parts, read) = read_parts(form).await;
    let input = dispute_input(&parts);
    if let Some(code) = read.refusal() {
        let draft = DisputeDraft {
            input,
            error: refused(code),
        };
        return back_with_draft(&state, &ctx, "/disputes?error=1", DISPUTE_FORM, &draft).await;
    }
    let id = submission(&parts.get("submission"));
    match super::open(&state, ctx.clone(), &input, &parts.files, id).await {
        Ok(id) => see_other(&format!("/disputes/{id}?done=opened"), vec![]),
        Err(error) => {
            let draft = DisputeDraft {
                input,
                error: Some(error),
            };
            back_with_draft(&state, &ctx, "/disputes?error=1", DISPUTE_FORM, &draft).await
        }
    }
}

/// `POST /disputes/{id}/reply`: the debtor writes in their dispute's thread.
pub async fn reply(
    State(state): State<AppState>,
    debtor: Option<DebtorContext>,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let Some(ctx) = debtor else {
        return see_other("/disputes", vec![]);
    };
    if uuid::Uuid::parse_str(&id).is_err() {
        return see_other("/disputes", vec![]);
    }
    let back = format!("/disputes/{id}?error=1");
    let (parts, read) = read_parts(form).await;
    let text = parts.get("message");
    if let Some(code) = read.refusal() {
        let draft = TextDraft {
            text,
            error: refused(code),
        };
        return back_with_draft(&state, &ctx, &back, &reply_form(&id), &draft).await;
    }
    let sub = submission(&parts.get("submission"));
    match super::debtor_reply(&state, &ctx, &id, &text, &parts.files, sub).await {
        Ok(()) => see_other(&format!("/disputes/{id}?done=sent"), vec![]),
        Err(e) if e.code == "not_found" => see_other("/disputes", vec![]),
        Err(error) => {
            let draft = TextDraft {
                text,
                error: Some(error),
            };
            back_with_draft(&state, &ctx, &back, &reply_form(&id), &draft).await
        }
    }
}

/// A stored file, or why not.
fn file_or(
    found: Result<Option<(String, String, Vec<u8>)>, crate::storage::StorageError>,
) -> Response {
    match found {
        Ok(Some((name, content_type, data))) => file_response(&name, &content_type, data),
        Ok(None) => AppError::NotFound.into_response(),
        Err(e) => internal(e).into_response(),
    }
}

/// `GET /documents/attachments/{id}`: a file of the debtor's own dispute (not of an internal note).
pub async fn debtor_file(
    State(state): State<AppState>,
    debtor: Option<DebtorContext>,
    Path(id): Path<String>,
) -> Response {
    let Some(ctx) = debtor else {
        return AppError::Unauthorized.into_response();
    };
    if uuid::Uuid::parse_str(&id).is_err() {
        return AppError::NotFound.into_response();
    }
    file_or(
        state
            .storage
            .attachment(&ctx.creditor.id, Some(&ctx.debtor.id), &id)
            .await,
    )
}

/// `GET /agent/attachments/{id}`: a file of any dispute of the agent's creditor.
pub async fn agent_file(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
) -> Response {
    if uuid::Uuid::parse_str(&id).is_err() {
        return AppError::NotFound.into_response();
    }
    file_or(
        state
            .storage
            .attachment(&agent.creditor_id, None, &id)
            .await,
    )
}

fn dispute_page(id: &str) -> String {
    if uuid::Uuid::parse_str(id).is_ok() {
        format!("/agent/disputes/{id}")
    } else {
        "/agent/queue".into()
    }
}

/// `POST /agent/disputes/{id}/post`: an internal note (`visibility=internal`) or a reply, with
/// files (multipart).
pub async fn agent_post(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let (parts, read) = read_parts(form).await;
    let internal_note = parts.get("visibility") != "public";
    let text = parts.get("message");
    let r = agent::post(
        &state,
        &agent,
        &id,
        &text,
        internal_note,
        &parts.files,
        read.refusal(),
    )
    .await;
    after(&dispute_page(&id), &r)
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    owner: String,
}

/// `POST /agent/disputes/{id}/assign`
pub async fn assign(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> Response {
    let r = agent::assign(&state, &agent, &id, &f.owner).await;
    after(&dispute_page(&id), &r)
}

#[derive(Deserialize)]
pub struct ResolveForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    explanation: String,
}

/// `POST /agent/disputes/{id}/resolve`
pub async fn resolve(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ResolveForm>,
) -> Response {
    let r = agent::resolve(&state, &agent, &id, &f.outcome, &f.amount, &f.explanation).await;
    after(&dispute_page(&id), &r)
}

#[derive(Deserialize)]
pub struct OwnerForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
}

/// `POST /agent/owners`: an admin adds a person or team disputes can be given to.
pub async fn add_owner(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Form(f): Form<OwnerForm>,
) -> Response {
    after(
        "/agent/rules",
        &agent::add_owner(&state, &agent, &f.name, &f.email).await,
    )
}

/// `POST /agent/owners/{id}/remove`
pub async fn remove_owner(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
) -> Response {
    after(
        "/agent/rules",
        &agent::remove_owner(&state, &agent, &id).await,
    )
}
