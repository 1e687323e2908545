//! The debtor's schedule forms: propose, withdraw, answer a counter-proposal. Plain HTML forms
//! answered with redirects (303) to `/schedule`, so they work without JavaScript. On an error
//! the form comes back filled in: what was typed rides in a short-lived HttpOnly cookie.

use super::link_routes::{cookie, expire, see_other};
use crate::portal::session;
use crate::schedules::{self, ProposeError};
use crate::state::AppState;
use app::domain::proposal::{ProposalInput, input_from_pairs, input_to_pairs};
use app::error::AppError;
use app::ports::{FLASH_COOKIE, SESSION_COOKIE, cookie_value};
use app::urlenc::{percent_decode, percent_encode};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

const FLASH_PATH: &str = "/schedule";
/// Browsers keep cookies up to about 4 KB; a longer form is not kept (the page then starts over).
const MAX_FLASH: usize = 3800;

/// `application/x-www-form-urlencoded` pairs, decoded; `None` if malformed.
fn pairs(body: &str) -> Option<Vec<(String, String)>> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Some((
                percent_decode(&k.replace('+', " "))?,
                percent_decode(&v.replace('+', " "))?,
            ))
        })
        .collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn flash_of(input: &ProposalInput) -> String {
    input_to_pairs(input)
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The form as the handler kept it in the flash cookie.
pub fn input_from_flash(cookie_value: &str) -> Option<ProposalInput> {
    let p = pairs(cookie_value)?;
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
pub async fn propose(State(state): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let Ok(ctx) = session(
        &state,
        &cookie_value(&headers, SESSION_COOKIE).unwrap_or_default(),
    )
    .await
    else {
        return see_other("/schedule", vec![]);
    };
    let Some(p) = pairs(&body) else {
        return back(&state, "error=invalid", None);
    };
    let input = match input_from_pairs(p.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        Ok(i) => i,
        Err(e) => {
            tracing::info!(error = %e, "schedule form refused");
            return back(&state, "error=invalid", None);
        }
    };
    if field(&p, "action") == "check" {
        return back(&state, "check=1", Some(&input));
    }
    match schedules::propose(&state, ctx, &input).await {
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
pub async fn withdraw(State(state): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let Ok(ctx) = session(
        &state,
        &cookie_value(&headers, SESSION_COOKIE).unwrap_or_default(),
    )
    .await
    else {
        return see_other("/schedule", vec![]);
    };
    let p = pairs(&body).unwrap_or_default();
    match schedules::withdraw(&state, &ctx, field(&p, "schedule")).await {
        Ok(()) => back(&state, "done=withdrawn", None),
        Err(AppError::Internal) => back(&state, "error=internal", None),
        Err(_) => back(&state, "error=changed", None),
    }
}

/// `POST /schedule/answer`: `answer=accept|decline` to a counter-proposal.
pub async fn answer(State(state): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let Ok(ctx) = session(
        &state,
        &cookie_value(&headers, SESSION_COOKIE).unwrap_or_default(),
    )
    .await
    else {
        return see_other("/schedule", vec![]);
    };
    let p = pairs(&body).unwrap_or_default();
    let accept = match field(&p, "answer") {
        "accept" => true,
        "decline" => false,
        _ => return back(&state, "error=invalid", None),
    };
    match schedules::answer(&state, &ctx, field(&p, "schedule"), accept).await {
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
