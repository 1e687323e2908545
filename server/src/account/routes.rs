//! The back office's sign-in and sign-out: plain forms, answered with redirects. The pages
//! themselves are Leptos pages (`app::pages::agent`).

use super::{InviteError, LoginError, SESSION_SECS, SetPasswordError, sign_in};
use crate::kernel::http::internal;
use crate::kernel::http::{ClientIp, cookie, cookie_with_site, expire, see_other};
use crate::kernel::links::sha256_hex;
use crate::kernel::{AppState, SignedIn};
use app::ports::{AGENT_COOKIE, FLASH_COOKIE, cookie_value};
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use serde::Deserialize;

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
    cookie_with_site(
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
    ClientIp(ip): ClientIp,
    Form(f): Form<LoginForm>,
) -> Response {
    // What was typed comes back with the error, except the password.
    let flash = cookie(
        &state,
        FLASH_COOKIE,
        &app::urlenc::percent_encode(&f.email),
        "/agent",
        Some(120),
    );
    if !state.limits.allow_ip(ip) {
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
    if let Some(token) = cookie_value(&headers, AGENT_COOKIE)
        && let Err(e) = state.storage.end_agent_session(&sha256_hex(&token)).await
    {
        tracing::error!(error = %e, "agent sign-out");
    }
    see_other(
        "/agent/login?signed_out=1",
        vec![expire(&state, AGENT_COOKIE, "/agent")],
    )
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
        && match state
            .storage
            .agent_link_live(&sha256_hex(&token), state.now())
            .await
        {
            Ok(live) => live,
            Err(e) => {
                internal(e);
                false
            }
        };
    if !live {
        return see_other("/agent/password?error=expired", vec![]);
    }
    let cookie = cookie_with_site(&state, LINK_COOKIE, &token, "/agent", Some(900), "Strict");
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
    if f.password != f.confirm {
        return see_other("/agent/password?error=mismatch", vec![]);
    }
    let token = cookie_value(&headers, LINK_COOKIE).unwrap_or_default();
    match super::set_password(&state, &token, &f.password).await {
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
    ClientIp(ip): ClientIp,
    Form(f): Form<ResetForm>,
) -> Response {
    if !state.limits.allow_ip(ip) {
        return see_other("/agent/reset?error=rate", vec![]);
    }
    if f.email.len() <= 254
        && let Err(e) = super::request_reset(&state, &f.email).await
    {
        tracing::error!(error = %format!("{e:#}"), "agent password reset");
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
    SignedIn(admin): SignedIn,
    Form(f): Form<InviteForm>,
) -> Response {
    match super::invite(&state, &admin, &f.email, &f.name, &f.role).await {
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
