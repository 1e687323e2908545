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
    super::link_routes::cookie_with_site(state, AGENT_COOKIE, value, "/agent", Some(SESSION_SECS), "Strict")
}

/// `POST /agent/login`
pub async fn login(State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, Form(f): Form<LoginForm>) -> Response {
    // What was typed comes back with the error, except the password.
    let flash = super::link_routes::cookie(&state, FLASH_COOKIE, &app::urlenc::percent_encode(&f.email), "/agent", Some(120));
    if !state.limits.allow_ip(peer.ip()) {
        return see_other("/agent/login?error=rate", vec![flash]);
    }
    if f.email.len() > 254 || f.password.len() > 1024 {
        return see_other("/agent/login?error=invalid", vec![flash]);
    }
    match sign_in(&state, &f.email, &f.password).await {
        Ok((token, agent)) => {
            tracing::info!(agent = %agent.id, "agent signed in");
            see_other("/agent", vec![agent_cookie(&state, &token), expire(&state, FLASH_COOKIE, "/agent")])
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
    see_other("/agent/login?signed_out=1", vec![expire(&state, AGENT_COOKIE, "/agent")])
}
