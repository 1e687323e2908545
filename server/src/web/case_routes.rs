//! Disputes and messages over plain forms, answered with redirects: the debtor's dispute form
//! and replies (multipart, with files), messages, the files served back, and the agents'
//! notes, replies, assignments, resolutions, owners and settings.
//!
//! On an error the debtor's words are kept server-side as a draft (`form_drafts`) and the page
//! shows them back with the reason; nothing typed rides in a URL or is lost.

use super::link_routes::see_other;
use crate::agents::Role;
use crate::disputes::{self, ActionError, DISPUTE_FORM, Upload, reply_form};
use crate::portal::{DebtorContext, session};
use crate::state::AppState;
use crate::storage::AgentRow;
use app::domain::dispute::{DisputeInput, MAX_TEXT_CHARS};
use app::domain::upload::{HARD_MAX_BYTES, HARD_MAX_FILES, content_disposition};
use app::ports::{AGENT_COOKIE, SESSION_COOKIE, cookie_value};
use app::views::dispute::DisputeDraft;
use app::views::form::{FormError, TextDraft};
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The largest multipart body kept: every file at the portal's limit, and the text around them.
pub const UPLOAD_BODY_LIMIT: usize = HARD_MAX_FILES * HARD_MAX_BYTES + 256 * 1024;
/// The largest body read at all. Past `UPLOAD_BODY_LIMIT` the rest is read and thrown away, so
/// that a phone sending six big photos gets our page saying so (with its text kept) instead of
/// a connection cut mid-upload, which browsers show as a network error.
pub const UPLOAD_DRAIN_LIMIT: usize = 4 * UPLOAD_BODY_LIMIT;
/// A text field longer than this (in bytes) is cut: the domain refuses it as too long anyway.
const MAX_FIELD_BYTES: usize = MAX_TEXT_CHARS * 4 + 64;

/// A multipart form read whole: text fields, and files (parts with a file name).
#[derive(Default)]
struct Parts {
    fields: Vec<(String, String)>,
    files: Vec<Upload>,
}

impl Parts {
    fn get(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// How much of a multipart form could be read.
#[derive(Debug, PartialEq, Eq)]
enum Read {
    Whole,
    /// Over `UPLOAD_BODY_LIMIT`: the text fields before the limit are kept, no file is.
    TooBig,
    /// Not a multipart form, or it breaks off (a malformed part).
    Broken,
}

/// Reads the form, keeping what came before any problem, so the debtor's words are not lost
/// (browsers send the fields in page order: the text comes before the files). A file input
/// left empty (no name, no bytes) is not a file.
async fn read_parts(
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> (Parts, Read) {
    let mut parts = Parts::default();
    let Ok(mut m) = form else {
        return (parts, Read::Broken);
    };
    let (mut total, mut too_big) = (0usize, false);
    let ended = |too_big: bool| if too_big { Read::TooBig } else { Read::Broken };
    loop {
        let mut field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return (parts, if too_big { Read::TooBig } else { Read::Whole }),
            Err(_) => return (parts, ended(too_big)),
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let declared_type = field.content_type().unwrap_or("").to_string();
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    total += chunk.len();
                    too_big |= total > UPLOAD_BODY_LIMIT;
                    // Past the limit, read on without keeping; a text field keeps its start only.
                    let room = if file_name.is_some() {
                        usize::MAX
                    } else {
                        MAX_FIELD_BYTES.saturating_sub(bytes.len())
                    };
                    if !too_big {
                        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    }
                }
                Ok(None) => break,
                Err(_) => return (parts, ended(too_big)),
            }
        }
        if too_big {
            continue;
        }
        match file_name {
            Some(file_name) => {
                if file_name.is_empty() && bytes.is_empty() {
                    continue;
                }
                parts.files.push(Upload {
                    name: file_name,
                    declared_type,
                    bytes,
                });
            }
            None => {
                if parts.fields.len() < 200 {
                    parts
                        .fields
                        .push((name, String::from_utf8_lossy(&bytes).to_string()));
                }
            }
        }
    }
}

impl Read {
    /// Why a form not read whole is refused (`too_big`, `invalid`); `None` when it was whole.
    fn refusal(&self) -> Option<&'static str> {
        match self {
            Read::Whole => None,
            Read::TooBig => Some("too_big"),
            Read::Broken => Some("invalid"),
        }
    }
}

async fn debtor(state: &AppState, headers: &HeaderMap) -> Option<DebtorContext> {
    session(
        state,
        &cookie_value(headers, SESSION_COOKIE).unwrap_or_default(),
    )
    .await
    .ok()
}

/// `POST /disputes`: opens a dispute.
pub async fn open(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Some(ctx) = debtor(&state, &headers).await else {
        return see_other("/disputes", vec![]);
    };
    let (parts, read) = read_parts(form).await;
    let input = DisputeInput {
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
    };
    if let Some(code) = read.refusal() {
        let draft = DisputeDraft {
            input,
            error: Some(FormError {
                code: code.into(),
                about: String::new(),
            }),
        };
        return back_with_draft(&state, &ctx, "/disputes?error=1", DISPUTE_FORM, &draft).await;
    }
    let submission = disputes::submission(&parts.get("submission"));
    match disputes::open(
        &state,
        DebtorContext {
            creditor: ctx.creditor.clone(),
            debtor: ctx.debtor.clone(),
        },
        &input,
        &parts.files,
        submission,
    )
    .await
    {
        Ok(id) => see_other(&format!("/disputes/{id}?done=opened"), vec![]),
        Err(error) => {
            back_with_draft(
                &state,
                &ctx,
                "/disputes?error=1",
                DISPUTE_FORM,
                &DisputeDraft {
                    input,
                    error: Some(error),
                },
            )
            .await
        }
    }
}

/// `POST /disputes/{id}/reply`: the debtor writes in their dispute's thread.
pub async fn reply(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Some(ctx) = debtor(&state, &headers).await else {
        return see_other("/disputes", vec![]);
    };
    if uuid::Uuid::parse_str(&id).is_err() {
        return see_other("/disputes", vec![]);
    }
    let back = format!("/disputes/{id}");
    let (parts, read) = read_parts(form).await;
    let text = parts.get("message");
    if let Some(code) = read.refusal() {
        let draft = TextDraft {
            text,
            error: Some(FormError {
                code: code.into(),
                about: String::new(),
            }),
        };
        return back_with_draft(
            &state,
            &ctx,
            &format!("{back}?error=1"),
            &reply_form(&id),
            &draft,
        )
        .await;
    }
    match disputes::debtor_reply(
        &state,
        &ctx,
        &id,
        &text,
        &parts.files,
        disputes::submission(&parts.get("submission")),
    )
    .await
    {
        Ok(()) => see_other(&format!("{back}?done=sent"), vec![]),
        Err(e) if e.code == "not_found" => see_other("/disputes", vec![]),
        Err(error) => {
            back_with_draft(
                &state,
                &ctx,
                &format!("{back}?error=1"),
                &reply_form(&id),
                &TextDraft {
                    text,
                    error: Some(error),
                },
            )
            .await
        }
    }
}

/// Keeps what the debtor typed, with why it was refused, and sends them back to the form.
async fn back_with_draft(
    state: &AppState,
    ctx: &DebtorContext,
    to: &str,
    form: &str,
    draft: &impl serde::Serialize,
) -> Response {
    disputes::keep_draft(state, ctx, form, draft).await;
    see_other(to, vec![])
}

#[derive(Deserialize)]
pub struct TextForm {
    #[serde(default)]
    message: String,
    /// The form's own id (`disputes::submission`); agents' forms have none.
    #[serde(default)]
    submission: String,
}

/// `POST /messages`: the debtor writes to the team.
pub async fn message(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<TextForm>,
) -> Response {
    let Some(ctx) = debtor(&state, &headers).await else {
        return see_other("/messages", vec![]);
    };
    match crate::messages::debtor_writes(
        &state,
        &ctx,
        &f.message,
        disputes::submission(&f.submission),
    )
    .await
    {
        Ok(()) => see_other("/messages?done=sent", vec![]),
        Err(_) => see_other("/messages?error=1", vec![]),
    }
}

/// A stored file, sent so that no browser renders it in our origin: its own content type (from
/// its content), as an attachment, sandboxed, not sniffed, not cached.
fn file_response(name: &str, content_type: &str, data: Vec<u8>) -> Response {
    let mut res = data.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&content_disposition(name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox; frame-ancestors 'none'"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found.").into_response()
}

/// `GET /documents/attachments/{id}`: a file of the debtor's own dispute (not of an internal note).
pub async fn debtor_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some(ctx) = debtor(&state, &headers).await else {
        return (StatusCode::UNAUTHORIZED, "Your session has expired.").into_response();
    };
    if uuid::Uuid::parse_str(&id).is_err() {
        return not_found();
    }
    match state
        .storage
        .attachment(&ctx.creditor.id, Some(&ctx.debtor.id), &id)
        .await
    {
        Ok(Some((name, content_type, data))) => file_response(&name, &content_type, data),
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "reading an attachment");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.").into_response()
        }
    }
}

async fn agent(state: &AppState, headers: &HeaderMap) -> Option<AgentRow> {
    crate::agents::session(
        state,
        &cookie_value(headers, AGENT_COOKIE).unwrap_or_default(),
    )
    .await
    .ok()
    .flatten()
}

/// `GET /agent/attachments/{id}`: a file of any dispute of the agent's creditor.
pub async fn agent_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some(agent) = agent(&state, &headers).await else {
        return (StatusCode::UNAUTHORIZED, "Not signed in.").into_response();
    };
    if uuid::Uuid::parse_str(&id).is_err() {
        return not_found();
    }
    match state
        .storage
        .attachment(&agent.creditor_id, None, &id)
        .await
    {
        Ok(Some((name, content_type, data))) => file_response(&name, &content_type, data),
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "reading an attachment");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.").into_response()
        }
    }
}

/// Where an agent's action sends them back, with its outcome.
fn after(to: &str, r: Result<(), ActionError>) -> Response {
    see_other(&format!("{to}?{}", outcome(r)), vec![])
}

/// An action's outcome as the page's query: `done=1` or `error=<code>`.
fn outcome(r: Result<(), ActionError>) -> String {
    match r {
        Ok(()) => "done=1".to_string(),
        Err(ActionError::Forbidden) => "error=forbidden".into(),
        Err(ActionError::NotFound) => "error=not_found".into(),
        Err(ActionError::Invalid(code)) => format!("error={code}"),
        Err(ActionError::Conflict) => "error=conflict".into(),
        Err(ActionError::Internal) => "error=internal".into(),
    }
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
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Some(agent) = agent(&state, &headers).await else {
        return see_other("/agent/login", vec![]);
    };
    let (parts, read) = read_parts(form).await;
    let r = disputes::agent_post(
        &state,
        &agent,
        &id,
        &parts.get("message"),
        parts.get("visibility") != "public",
        &parts.files,
        read.refusal(),
    )
    .await;
    after(&dispute_page(&id), r)
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    owner: String,
}

/// `POST /agent/disputes/{id}/assign`
pub async fn assign(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> Response {
    let Some(agent) = agent(&state, &headers).await else {
        return see_other("/agent/login", vec![]);
    };
    let r = disputes::assign(&state, &agent, &id, &f.owner).await;
    after(&dispute_page(&id), r)
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
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ResolveForm>,
) -> Response {
    let Some(agent) = agent(&state, &headers).await else {
        return see_other("/agent/login", vec![]);
    };
    let r = disputes::resolve(&state, &agent, &id, &f.outcome, &f.amount, &f.explanation).await;
    after(&dispute_page(&id), r)
}

/// `POST /agent/debtors/{id}/messages`: an agent answers a debtor.
pub async fn agent_message(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<TextForm>,
) -> Response {
    let Some(agent) = agent(&state, &headers).await else {
        return see_other("/agent/login", vec![]);
    };
    let r = crate::messages::agent_answers(&state, &agent, &id, &f.message).await;
    let page = if uuid::Uuid::parse_str(&id).is_ok() {
        format!("/agent/debtors/{id}")
    } else {
        "/agent".into()
    };
    // Back to the conversation.
    see_other(&format!("{page}?{}#messages", outcome(r)), vec![])
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
    headers: HeaderMap,
    Form(f): Form<OwnerForm>,
) -> Response {
    let Some(agent) = agent(&state, &headers).await else {
        return see_other("/agent/login", vec![]);
    };
    after(
        "/agent/rules",
        disputes::add_owner(&state, &agent, &f.name, &f.email).await,
    )
}

/// `POST /agent/owners/{id}/remove`
pub async fn remove_owner(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some(agent) = agent(&state, &headers).await else {
        return see_other("/agent/login", vec![]);
    };
    after(
        "/agent/rules",
        disputes::remove_owner(&state, &agent, &id).await,
    )
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    horizon_days: String,
    #[serde(default)]
    max_files: String,
    #[serde(default)]
    max_mb: String,
}

/// `POST /agent/settings/cases`: the promise horizon and the attachment limits (admins).
pub async fn settings(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<SettingsForm>,
) -> Response {
    let Some(agent) = agent(&state, &headers).await else {
        return see_other("/agent/login", vec![]);
    };
    if agent.role != Role::Admin.as_str() {
        return after("/agent/rules", Err(ActionError::Forbidden));
    }
    let number = |s: &str, lo: i64, hi: i64| {
        s.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (lo..=hi).contains(n))
    };
    let (Some(horizon), Some(files), Some(mb)) = (
        number(&f.horizon_days, 1, 365),
        number(&f.max_files, 0, HARD_MAX_FILES as i64),
        number(&f.max_mb, 1, (HARD_MAX_BYTES / (1024 * 1024)) as i64),
    ) else {
        return after("/agent/rules", Err(ActionError::Invalid("settings")));
    };
    let r = state
        .storage
        .set_case_settings(
            &agent.creditor_id,
            horizon,
            files,
            mb * 1024 * 1024,
            &agent.id,
            crate::jobs::now(),
        )
        .await;
    after(
        "/agent/rules",
        r.map_err(|e| {
            tracing::error!(error = %e, "saving case settings");
            ActionError::Internal
        }),
    )
}
