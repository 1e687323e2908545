//! The back office's sign-in and sign-out: plain forms, answered with redirects. The pages
//! themselves are Leptos pages (`app::pages::agent`).

use super::link_routes::{expire, see_other};
use crate::agents::{LoginError, SESSION_SECS, sign_in};
use crate::links::sha256_hex;
use crate::state::AppState;
use app::ports::{AGENT_COOKIE, FLASH_COOKIE, cookie_value};
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// The agent session cookie: HttpOnly, and Strict, since the back office is never entered
/// from another site's link.
fn agent_cookie(state: &AppState, value: &str) -> HeaderValue {
    super::link_routes::cookie_with_site(
        state,
        AGENT_COOKIE,
        value,
        "/agent",
        Some(SESSION_SECS),
        "Strict",
    )
}

/// `POST /agent/login`
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(f): Form<LoginForm>,
) -> Response {
    // What was typed comes back with the error, except the password.
    let flash = super::link_routes::cookie(
        &state,
        FLASH_COOKIE,
        &app::urlenc::percent_encode(&f.email),
        "/agent",
        Some(120),
    );
    if !state.limits.allow_ip(peer.ip()) {
        return see_other("/agent/login?error=rate", vec![flash]);
    }
    if f.email.len() > 254 || f.password.len() > 1024 {
        return see_other("/agent/login?error=invalid", vec![flash]);
    }
    match sign_in(&state, &f.email, &f.password).await {
        Ok((token, agent)) => {
            tracing::info!(agent = %agent.id, "agent signed in");
            see_other(
                "/agent",
                vec![
                    agent_cookie(&state, &token),
                    expire(&state, FLASH_COOKIE, "/agent"),
                ],
            )
        }
        Err(LoginError::Invalid) => see_other("/agent/login?error=invalid", vec![flash]),
        Err(LoginError::Locked) => see_other("/agent/login?error=locked", vec![flash]),
        Err(LoginError::Internal(e)) => {
            tracing::error!(error = %format!("{e:#}"), "agent sign-in");
            see_other("/agent/login?error=internal", vec![flash])
        }
    }
}

/// `POST /agent/logout`
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie_value(&headers, AGENT_COOKIE) {
        if let Err(e) = state.storage.end_agent_session(&sha256_hex(&token)).await {
            tracing::error!(error = %e, "agent sign-out");
        }
    }
    see_other(
        "/agent/login?signed_out=1",
        vec![expire(&state, AGENT_COOKIE, "/agent")],
    )
}

/// Where a decision's handler sends the agent back: the debtor's page, at the schedule.
fn back_to_case(debtor: &str, schedule: &str, query: &str) -> Response {
    // The debtor id only shapes our own redirect; anything but a UUID goes to the queue.
    match uuid::Uuid::parse_str(debtor) {
        Ok(d) => see_other(
            &format!(
                "/agent/debtors/{d}?{query}#schedule-{}",
                app::urlenc::percent_encode(schedule)
            ),
            vec![],
        ),
        Err(_) => see_other(&format!("/agent/queue?{query}"), vec![]),
    }
}

pub(super) fn form_pairs(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Some((
                app::urlenc::percent_decode(&k.replace('+', " "))?,
                app::urlenc::percent_decode(&v.replace('+', " "))?,
            ))
        })
        .collect()
}

fn error_query(e: &app::error::AppError) -> &'static str {
    use app::error::AppError;
    match e {
        AppError::Conflict(_) => "error=conflict",
        AppError::Unauthorized => "error=forbidden",
        AppError::NotFound => "error=conflict",
        AppError::Validation(_) => "error=counter",
        AppError::Internal => "error=internal",
    }
}

/// `POST /agent/schedules/{id}/decide`: `decision=accept|reject|counter`, with `note` (required
/// to reject) and, to counter, `count`, `rhythm` and `first`.
pub async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    body: String,
) -> Response {
    use crate::schedules::{Decision, decide};
    let Ok(Some(agent)) = crate::agents::session(
        &state,
        &cookie_value(&headers, AGENT_COOKIE).unwrap_or_default(),
    )
    .await
    else {
        return see_other("/agent/login", vec![]);
    };
    let p = form_pairs(&body);
    let get = |k: &str| {
        p.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let debtor = get("debtor");
    let decision = match get("decision").as_str() {
        "accept" => Decision::Accept,
        "reject" => {
            if get("note").trim().is_empty() {
                return back_to_case(&debtor, &id, "error=note");
            }
            Decision::Reject { note: get("note") }
        }
        "counter" => Decision::Counter {
            input: app::domain::proposal::ProposalInput {
                invoices: vec![],
                count: get("count"),
                rhythm: get("rhythm"),
                first: get("first"),
                lines: vec![],
            },
            note: get("note"),
        },
        _ => return back_to_case(&debtor, &id, "error=internal"),
    };
    match decide(&state, &agent, &id, decision).await {
        Ok(()) => back_to_case(&debtor, &id, "done=1"),
        Err(e) => {
            tracing::info!(agent = %agent.id, schedule = %id, error = %e, "schedule decision refused");
            back_to_case(&debtor, &id, error_query(&e))
        }
    }
}

/// `POST /agent/schedules/{id}/handled`: a broken schedule or a declined counter-proposal leaves the queue.
pub async fn handled(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    body: String,
) -> Response {
    let Ok(Some(agent)) = crate::agents::session(
        &state,
        &cookie_value(&headers, AGENT_COOKIE).unwrap_or_default(),
    )
    .await
    else {
        return see_other("/agent/login", vec![]);
    };
    let p = form_pairs(&body);
    let debtor = p
        .iter()
        .find(|(n, _)| n == "debtor")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    match crate::schedules::acknowledge(&state, &agent, &id).await {
        Ok(()) => back_to_case(&debtor, &id, "done=1"),
        Err(e) => back_to_case(&debtor, &id, error_query(&e)),
    }
}

/// Holds a password link's secret between the mailed URL and the password form (HttpOnly,
/// scoped to `/agent`, 15 minutes), so the secret is in the address bar for one request only.
const LINK_COOKIE: &str = "amiable_agent_link";

/// `GET /agent/welcome/{token}`: an invitation or reset link from a mail.
pub async fn welcome(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Response {
    let live = token.len() <= 128
        && state
            .storage
            .agent_link_live(&sha256_hex(&token), crate::jobs::now())
            .await
            .unwrap_or(false);
    if !live {
        return see_other("/agent/password?error=expired", vec![]);
    }
    let cookie = super::link_routes::cookie_with_site(
        &state,
        LINK_COOKIE,
        &token,
        "/agent",
        Some(900),
        "Strict",
    );
    see_other("/agent/password", vec![cookie])
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /agent/password`: the new password, twice.
pub async fn set_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<PasswordForm>,
) -> Response {
    use crate::agents::SetPasswordError;
    if f.password != f.confirm {
        return see_other("/agent/password?error=mismatch", vec![]);
    }
    let token = cookie_value(&headers, LINK_COOKIE).unwrap_or_default();
    match crate::agents::set_password(&state, &token, &f.password).await {
        Ok(session) => see_other(
            "/agent",
            vec![
                agent_cookie(&state, &session),
                expire(&state, LINK_COOKIE, "/agent"),
            ],
        ),
        Err(SetPasswordError::Short) => see_other("/agent/password?error=short", vec![]),
        Err(SetPasswordError::Expired) => see_other(
            "/agent/password?error=expired",
            vec![expire(&state, LINK_COOKIE, "/agent")],
        ),
        Err(SetPasswordError::Internal(e)) => {
            tracing::error!(error = %format!("{e:#}"), "setting an agent password");
            see_other("/agent/password?error=internal", vec![])
        }
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    email: String,
}

/// `POST /agent/reset`: the same answer whether or not the address has an account.
pub async fn reset(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(f): Form<ResetForm>,
) -> Response {
    if !state.limits.allow_ip(peer.ip()) {
        return see_other("/agent/reset?error=rate", vec![]);
    }
    if f.email.len() <= 254 {
        if let Err(e) = crate::agents::request_reset(&state, &f.email).await {
            tracing::error!(error = %format!("{e:#}"), "agent password reset");
        }
    }
    see_other("/agent/reset?done=1", vec![])
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

/// `POST /agent/invite`: an admin invites someone.
pub async fn invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<InviteForm>,
) -> Response {
    use crate::agents::InviteError;
    let Ok(Some(admin)) = crate::agents::session(
        &state,
        &cookie_value(&headers, AGENT_COOKIE).unwrap_or_default(),
    )
    .await
    else {
        return see_other("/agent/login", vec![]);
    };
    match crate::agents::invite(&state, &admin, &f.email, &f.name, &f.role).await {
        Ok(()) => see_other("/agent/invite?done=1", vec![]),
        Err(InviteError::Forbidden) => see_other("/agent/invite?error=forbidden", vec![]),
        Err(InviteError::Taken) => see_other("/agent/invite?error=taken", vec![]),
        Err(InviteError::Invalid(_)) => see_other("/agent/invite?error=invalid", vec![]),
        Err(InviteError::Internal(e)) => {
            tracing::error!(error = %format!("{e:#}"), "inviting an agent");
            see_other("/agent/invite?error=internal", vec![])
        }
    }
}
