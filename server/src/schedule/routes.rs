//! The schedule's plain forms, answered with redirects (303), so they work without JavaScript:
//! the debtor proposes, withdraws, answers a counter-proposal (back to `/schedule`); an agent
//! decides on a proposal or marks a case handled (back to the debtor's page). On an error the
//! debtor's form comes back filled in: what was typed rides in a short-lived HttpOnly cookie.

use super::{Decision, ProposeError};
use crate::kernel::forms::Fields;
use crate::kernel::http::{cookie, expire, see_other};
use crate::kernel::{AppState, DebtorContext, SignedIn};
use app::domain::proposal::{ProposalInput, input_from_pairs, input_to_pairs};
use app::error::AppError;
use app::ports::FLASH_COOKIE;
use app::urlenc::percent_encode;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

const FLASH_PATH: &str = "/schedule";
/// Browsers keep cookies up to about 4 KB; a longer form is not kept (the page then starts over).
const MAX_FLASH: usize = 3800;

fn flash_of(input: &ProposalInput) -> String {
    input_to_pairs(input)
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The form as the handler kept it in the flash cookie.
pub fn input_from_flash(cookie_value: &str) -> Option<ProposalInput> {
    let p: Vec<(String, String)> = serde_urlencoded::from_str(cookie_value).ok()?;
    input_from_pairs(p.iter().map(|(k, v)| (k.as_str(), v.as_str()))).ok()
}

fn back(state: &AppState, query: &str, input: Option<&ProposalInput>) -> Response {
    let to = format!("/schedule?{query}");
    match input.map(flash_of).filter(|f| f.len() <= MAX_FLASH) {
        Some(f) => see_other(
            &to,
            vec![cookie(state, FLASH_COOKIE, &f, FLASH_PATH, Some(300))],
        ),
        None => see_other(&to, vec![expire(state, FLASH_COOKIE, FLASH_PATH)]),
    }
}

/// `POST /schedule/propose`: `action=check` only checks (the page then shows the verdict, for
/// browsers without JavaScript); `action=send` stores the proposal.
pub async fn propose(
    State(state): State<AppState>,
    debtor: Option<DebtorContext>,
    Form(f): Form<Fields>,
) -> Response {
    let Some(ctx) = debtor else {
        return see_other("/schedule", vec![]);
    };
    let input = match input_from_pairs(f.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        Ok(i) => i,
        Err(e) => {
            tracing::info!(error = %e, "schedule form refused");
            return back(&state, "error=invalid", None);
        }
    };
    if f.get("action") == "check" {
        return back(&state, "check=1", Some(&input));
    }
    match super::propose(&state, ctx, &input).await {
        Ok(true) => back(&state, "done=accepted", None),
        Ok(false) => back(&state, "done=review", None),
        Err(ProposeError::Invalid(_)) => back(&state, "error=invalid", Some(&input)),
        Err(ProposeError::Pending) => back(&state, "error=pending", Some(&input)),
        Err(ProposeError::Changed) => back(&state, "error=changed", Some(&input)),
        Err(ProposeError::App(AppError::Unauthorized)) => see_other("/schedule", vec![]),
        Err(ProposeError::App(_)) => back(&state, "error=internal", Some(&input)),
    }
}

/// `POST /schedule/withdraw`
pub async fn withdraw(
    State(state): State<AppState>,
    debtor: Option<DebtorContext>,
    Form(f): Form<Fields>,
) -> Response {
    let Some(ctx) = debtor else {
        return see_other("/schedule", vec![]);
    };
    match super::withdraw(&state, &ctx, f.get("schedule")).await {
        Ok(()) => back(&state, "done=withdrawn", None),
        Err(AppError::Internal) => back(&state, "error=internal", None),
        Err(_) => back(&state, "error=changed", None),
    }
}

/// `POST /schedule/answer`: `answer=accept|decline` to a counter-proposal.
pub async fn answer(
    State(state): State<AppState>,
    debtor: Option<DebtorContext>,
    Form(f): Form<Fields>,
) -> Response {
    let Some(ctx) = debtor else {
        return see_other("/schedule", vec![]);
    };
    let accept = match f.get("answer") {
        "accept" => true,
        "decline" => false,
        _ => return back(&state, "error=invalid", None),
    };
    match super::answer(&state, &ctx, f.get("schedule"), accept).await {
        Ok(()) => back(
            &state,
            if accept {
                "done=accepted"
            } else {
                "done=declined"
            },
            None,
        ),
        Err(AppError::Internal) => back(&state, "error=internal", None),
        Err(_) => back(&state, "error=changed", None),
    }
}

/// Where an agent's decision sends them back: the debtor's page, at the schedule.
fn back_to_case(debtor: &str, schedule: &str, query: &str) -> Response {
    // The debtor id only shapes our own redirect; anything but a UUID goes to the queue.
    match uuid::Uuid::parse_str(debtor) {
        Ok(d) => see_other(
            &format!(
                "/agent/debtors/{d}?{query}#schedule-{}",
                percent_encode(schedule)
            ),
            vec![],
        ),
        Err(_) => see_other(&format!("/agent/queue?{query}"), vec![]),
    }
}

/// A refused decision as the page's query. Terms of a counter-proposal the rules refuse are
/// the one validation error a decision has, worded as such.
fn refused(e: &AppError) -> String {
    match e {
        AppError::Validation(_) => "error=counter".into(),
        e => format!("error={}", e.code()),
    }
}

/// `POST /agent/schedules/{id}/decide`: `decision=accept|reject|counter`, with `note` (required
/// to reject) and, to counter, `count`, `rhythm` and `first`.
pub async fn decide(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    let debtor = f.get("debtor");
    let decision = match f.get("decision") {
        "accept" => Decision::Accept,
        "reject" => {
            if f.get("note").trim().is_empty() {
                return back_to_case(debtor, &id, "error=note");
            }
            Decision::Reject {
                note: f.get("note").into(),
            }
        }
        "counter" => Decision::Counter {
            input: ProposalInput {
                invoices: vec![],
                count: f.get("count").into(),
                rhythm: f.get("rhythm").into(),
                first: f.get("first").into(),
                lines: vec![],
            },
            note: f.get("note").into(),
        },
        _ => return back_to_case(debtor, &id, "error=internal"),
    };
    match super::decide(&state, &agent, &id, decision).await {
        Ok(()) => back_to_case(debtor, &id, "done=1"),
        Err(e) => {
            tracing::info!(agent = %agent.id, schedule = %id, error = %e, "schedule decision refused");
            back_to_case(debtor, &id, &refused(&e))
        }
    }
}

/// `POST /agent/schedules/{id}/handled`: a broken schedule or a declined counter-proposal
/// leaves the queue.
pub async fn handled(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    match super::acknowledge(&state, &agent, &id).await {
        Ok(()) => back_to_case(f.get("debtor"), &id, "done=1"),
        Err(e) => back_to_case(f.get("debtor"), &id, &refused(&e)),
    }
}
