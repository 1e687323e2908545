//! What agents do with reminders: set a debtor's segment, pause and resume, finish a task
//! (call, letter, formal notice), end the amicable phase (hand over, write off, extend), and
//! correct an address that bounces.
//! Plain forms answered with redirects (`?done=1` or `?error=<code>`); read-only agents are
//! refused; another creditor's debtor, pause, task or invoice is a 404.

use super::letter::{fresh_link, prepare, reminder_document};
use super::scenario::check_segment;
use crate::kernel::context::may_decide;
use crate::kernel::documents::pdf_response;
use crate::kernel::forms::{ActionError, Fields, keep_agent_draft, outcome};
use crate::kernel::http::see_other;
use crate::kernel::{AppState, SignedIn, internal};
use crate::storage::{AgentRow, StorageError};
use app::domain::reminder::Channel;
use app::error::AppError;
use app::views::form::AgentDraft;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;

/// The draft key of the pause form on a debtor's page.
pub const PAUSE_FORM: &str = "pause";
/// The longest reason an agent writes for a pause or a closing.
const REASON_MAX: usize = 500;
/// The longest pause, and the longest extension of a phase.
const PAUSE_MAX_DAYS: i64 = 366;
const EXTEND_MAX_DAYS: i64 = 180;

/// The POST routes of the agents' reminder actions, and the letter PDF.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agent/debtors/{id}/reminder-profile", post(set_profile))
        .route("/agent/debtors/{id}/pauses", post(pause))
        .route("/agent/pauses/{id}/resume", post(resume))
        .route("/agent/reminders/{id}/finish", post(finish))
        .route("/agent/reminders/{id}/letter", get(letter))
        .route("/agent/invoices/{id}/close", post(close))
        .route("/agent/invoices/{id}/extend", post(extend))
        .route("/agent/contacts/{id}/address", post(correct_address))
}

fn is_id(id: &str) -> bool {
    uuid::Uuid::parse_str(id).is_ok()
}

fn not_found() -> Response {
    AppError::NotFound.into_response()
}

/// The debtor of the agent's creditor, or a 404 (a malformed id is unknown too).
async fn own_debtor(
    state: &AppState,
    agent: &AgentRow,
    id: &str,
) -> Result<crate::storage::DebtorRow, Response> {
    if !is_id(id) {
        return Err(not_found());
    }
    match state.storage.debtor(&agent.creditor_id, id).await {
        Ok(Some(d)) => Ok(d),
        Ok(None) => Err(not_found()),
        Err(e) => {
            tracing::error!(error = %e, "reading a debtor");
            Err(AppError::Internal.into_response())
        }
    }
}

fn debtor_page(id: &str) -> String {
    format!("/agent/debtors/{id}")
}

/// A reason as typed: trimmed, 1 to `REASON_MAX` characters (any text: it is escaped where shown).
fn reason(text: &str) -> Result<String, ActionError> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > REASON_MAX {
        return Err(ActionError::Invalid("reason"));
    }
    Ok(t.to_string())
}

/// `POST /agent/debtors/{id}/reminder-profile`: segment, kind (`business`/`consumer`),
/// `waived` ticked or not.
async fn set_profile(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    let debtor = match own_debtor(&state, &agent, &id).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let r = async {
        if !may_decide(&agent) {
            return Err(ActionError::Forbidden);
        }
        let segment =
            check_segment(f.get("segment")).map_err(|_| ActionError::Invalid("segment"))?;
        let business = match f.get("kind") {
            "business" => true,
            "consumer" => false,
            _ => return Err(ActionError::Invalid("kind")),
        };
        let waived = !f.get("waived").is_empty();
        match state
            .storage
            .set_reminder_profile(
                &agent.creditor_id,
                &debtor.id,
                &segment,
                business,
                waived,
                &agent.id,
                state.now(),
            )
            .await
        {
            Ok(true) => Ok(()),
            Ok(false) => Err(ActionError::NotFound),
            Err(e) => Err(ActionError::internal(e)),
        }
    }
    .await;
    back(&debtor_page(&debtor.id), &r, "reminder-profile")
}

/// `POST /agent/debtors/{id}/pauses`: `invoice` (empty: all), `reason`, `until` (YYYY-MM-DD,
/// the debtor's date, included). A refused form keeps what was typed.
async fn pause(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    let debtor = match own_debtor(&state, &agent, &id).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let draft = AgentDraft {
        choice: f.get("invoice").chars().take(40).collect(),
        amount: f.get("until").chars().take(20).collect(),
        text: f.get("reason").chars().take(REASON_MAX * 2).collect(),
    };
    let r = async {
        if !may_decide(&agent) {
            return Err(ActionError::Forbidden);
        }
        let invoice = match draft.choice.trim() {
            "" => None,
            i if is_id(i) => Some(i.to_string()),
            _ => return Err(ActionError::Invalid("invoice")),
        };
        let reason = reason(&draft.text)?;
        let today = state.today_in(debtor.timezone);
        let until = NaiveDate::parse_from_str(draft.amount.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| *d >= today && (*d - today).num_days() <= PAUSE_MAX_DAYS)
            .ok_or(ActionError::Invalid("until"))?;
        match state
            .storage
            .pause_reminders(
                &agent.creditor_id,
                &debtor.id,
                invoice.as_deref(),
                &reason,
                until,
                &agent.id,
                state.now(),
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(StorageError::Stale(_)) => Err(ActionError::Invalid("invoice")),
            Err(e) => Err(ActionError::internal(e)),
        }
    }
    .await;
    keep_agent_draft(&state, &agent, &debtor.id, PAUSE_FORM, &draft, &r).await;
    back(&debtor_page(&debtor.id), &r, "pauses")
}

/// `POST /agent/pauses/{id}/resume`: ends a pause before its date.
async fn resume(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
) -> Response {
    if !is_id(&id) {
        return not_found();
    }
    let debtor_id = match state.storage.pause_debtor(&agent.creditor_id, &id).await {
        Ok(Some(d)) => d,
        Ok(None) => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, "reading a pause");
            return AppError::Internal.into_response();
        }
    };
    let r = async {
        if !may_decide(&agent) {
            return Err(ActionError::Forbidden);
        }
        match state
            .storage
            .resume_reminders(&agent.creditor_id, &id, &agent.id, state.now())
            .await
        {
            Ok(true) => Ok(()),
            Ok(false) => Err(ActionError::Invalid("resumed")),
            Err(e) => Err(ActionError::internal(e)),
        }
    }
    .await;
    back(&debtor_page(&debtor_id), &r, "pauses")
}

/// `POST /agent/reminders/{id}/finish`: `outcome` = `done` (a confirmed formal notice goes
/// out by mail with a fresh link) or `skip`. Either releases the scenario; a second click
/// finds it handled and changes nothing.
async fn finish(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    if !is_id(&id) {
        return not_found();
    }
    let creditor = match state.storage.creditor(&agent.creditor_id).await {
        Ok(Some(c)) => c,
        Ok(None) => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, "reading a creditor");
            return AppError::Internal.into_response();
        }
    };
    let task = match state.storage.reminder(&creditor.id, &id).await {
        Ok(Some(t)) => t,
        Ok(None) => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, "reading a reminder");
            return AppError::Internal.into_response();
        }
    };
    let r = async {
        if !may_decide(&agent) {
            return Err(ActionError::Forbidden);
        }
        let done = match f.get("outcome") {
            "done" => true,
            "skip" => false,
            _ => return Err(ActionError::Invalid("decision")),
        };
        if task.status != "task" {
            return Err(ActionError::Invalid("handled"));
        }
        let (link, mails) = if done && task.channel == Channel::FormalNotice {
            let p = prepare(
                &state,
                &creditor,
                &task.debtor_id,
                &task.step_id,
                task.step_seq,
                &task.items,
            )
            .await
            .map_err(ActionError::internal)?;
            match p {
                Some(p) => {
                    let (row, url) = fresh_link(&state, &creditor, &task.debtor_id)
                        .map_err(ActionError::internal)?;
                    let mails = p.mails(&creditor, &url).map_err(ActionError::internal)?;
                    (Some(row), mails)
                }
                // Nothing left to claim: the notice is done without a mail.
                None => (None, vec![]),
            }
        } else {
            (None, vec![])
        };
        match state
            .storage
            .finish_reminder_task(
                &creditor.id,
                &task.id,
                done,
                &agent.id,
                link.as_ref(),
                &mails,
                state.now(),
            )
            .await
        {
            Ok(()) => {
                if !mails.is_empty() {
                    state.mail_queued();
                }
                Ok(())
            }
            Err(StorageError::Stale(_)) => Err(ActionError::Invalid("handled")),
            Err(e) => Err(ActionError::internal(e)),
        }
    }
    .await;
    back("/agent/queue", &r, "reminder-tasks")
}

/// `GET /agent/reminders/{id}/letter`: the letter or formal notice of a reminder of the
/// agent's creditor, as a PDF to print (read-only agents may read it).
async fn letter(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let result: Result<Response, AppError> = async {
        if !is_id(&id) {
            return Err(AppError::NotFound);
        }
        let creditor = state
            .storage
            .creditor(&agent.creditor_id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        let (bytes, name) = reminder_document(&state, &creditor, &id).await?;
        Ok(pdf_response(bytes, &name))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `POST /agent/invoices/{id}/close`: `outcome` = `litigation` or `write_off`, and a reason.
async fn close(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    if !is_id(&id) {
        return not_found();
    }
    let r = async {
        if !may_decide(&agent) {
            return Err(ActionError::Forbidden);
        }
        let outcome = match f.get("outcome") {
            o @ ("litigation" | "write_off") => o,
            _ => return Err(ActionError::Invalid("decision")),
        };
        let reason = reason(f.get("reason"))?;
        match state
            .storage
            .close_invoice(
                &agent.creditor_id,
                &id,
                outcome,
                &reason,
                &agent.id,
                state.now(),
            )
            .await
        {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err(ActionError::NotFound),
            Err(StorageError::Stale(_)) => Err(ActionError::Invalid("closed")),
            Err(e) => Err(ActionError::internal(e)),
        }
    }
    .await;
    if r == Err(ActionError::NotFound) {
        return not_found();
    }
    back("/agent/queue", &r, "phase-over")
}

/// `POST /agent/invoices/{id}/extend`: `days`, 1 to 180, once per invoice.
async fn extend(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    if !is_id(&id) {
        return not_found();
    }
    let r = async {
        if !may_decide(&agent) {
            return Err(ActionError::Forbidden);
        }
        let days = f
            .get("days")
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=EXTEND_MAX_DAYS).contains(d))
            .ok_or(ActionError::Invalid("days"))?;
        match state
            .storage
            .extend_phase(&agent.creditor_id, &id, days, &agent.id, state.now())
            .await
        {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err(ActionError::NotFound),
            Err(StorageError::Stale(_)) => Err(ActionError::Invalid("extended")),
            Err(e) => Err(ActionError::internal(e)),
        }
    }
    .await;
    if r == Err(ActionError::NotFound) {
        return not_found();
    }
    back("/agent/queue", &r, "phase-over")
}

/// `POST /agent/contacts/{id}/address`: `email`, the corrected address of a contact whose
/// address bounces (the same address again says an agent checked it). The refused mails go
/// again, to it. An address that does not look valid is refused and nothing changes.
async fn correct_address(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    if !is_id(&id) {
        return not_found();
    }
    let r = async {
        if !may_decide(&agent) {
            return Err(ActionError::Forbidden);
        }
        let email = app::domain::contact::EmailAddress::parse(f.get("email"))
            .map_err(|_| ActionError::Invalid("email"))?;
        match state
            .storage
            .correct_contact(
                &agent.creditor_id,
                &id,
                email.as_str(),
                &agent.id,
                state.now(),
            )
            .await
        {
            Ok(Some(_)) => {
                state.mail_queued();
                Ok(())
            }
            Ok(None) => Err(ActionError::NotFound),
            Err(StorageError::Stale(_)) => Err(ActionError::Invalid("corrected")),
            Err(e) => Err(ActionError::internal(e)),
        }
    }
    .await;
    if r == Err(ActionError::NotFound) {
        return not_found();
    }
    back("/agent/queue", &r, "bouncing")
}

/// Back to the page of the form, at its section, with the outcome: `done=reminders` (the page
/// says it is done, without the schedule decisions' words) or `error=<code>`.
fn back(to: &str, r: &Result<(), ActionError>, section: &str) -> Response {
    let query = match r {
        Ok(()) => "done=reminders".to_string(),
        Err(_) => outcome(r),
    };
    see_other(&format!("{to}?{query}#{section}"), vec![])
}
