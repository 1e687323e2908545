//! Plain HTTP routes around links and sessions: open a link, ask for a fresh one, sign out,
//! switch language. They answer with redirects, so they work with JavaScript off.

use super::Request as Renewal;
use crate::kernel::AppState;
use crate::kernel::http::{ClientIp, cookie, expire, internal, is_local_path, see_other};
use crate::kernel::links::{LinkCheck, random_token, sha256_hex};
use app::domain::contact::EmailAddress;
use app::domain::locale::Lang;
use app::ports::{FLASH_COOKIE, LANG_COOKIE, SESSION_COOKIE, cookie_value};
use app::urlenc::percent_encode;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// Holds a genuine-but-unusable link for the "send me a new one" button, so the token never
/// has to travel in a URL again. Only sent back to `/link/renew`.
const BAD_LINK_COOKIE: &str = "amiable_badlink";

/// `GET /l/{token}`: the link in the email.
pub async fn open_link(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> Response {
    if !state.limits.allow_ip(ip) {
        return see_other("/link/problem?reason=invalid&error=rate", vec![]);
    }
    let now = state.now();
    let check = match state.links.check(&state.storage, &token, now).await {
        Ok(c) => c,
        Err(e) => return internal(format!("checking a link: {e}")).into_response(),
    };
    match check {
        LinkCheck::Valid(link) => {
            let session = random_token();
            let expires = now + state.config.session_ttl_secs;
            match state
                .storage
                .open_link(&link, &sha256_hex(&session), expires, now)
                .await
            {
                Ok(true) => {
                    let c = cookie(&state, SESSION_COOKIE, &session, "/", None);
                    see_other(
                        "/statement",
                        vec![c, expire(&state, BAD_LINK_COOKIE, "/link")],
                    )
                }
                // Revoked or expired in the instant between the check and now.
                Ok(false) => see_other("/link/problem?reason=revoked", vec![]),
                Err(e) => internal(format!("opening a link: {e}")).into_response(),
            }
        }
        LinkCheck::Expired(_) => {
            let c = cookie(&state, BAD_LINK_COOKIE, &token, "/link", Some(900));
            see_other("/link/problem?reason=expired", vec![c])
        }
        LinkCheck::Revoked => see_other(
            "/link/problem?reason=revoked",
            vec![expire(&state, BAD_LINK_COOKIE, "/link")],
        ),
        LinkCheck::Invalid => see_other(
            "/link/problem?reason=invalid",
            vec![expire(&state, BAD_LINK_COOKIE, "/link")],
        ),
    }
}

#[derive(Debug, Deserialize)]
pub struct RenewForm {
    mode: Option<String>,
    email: Option<String>,
    /// The page the form is on, to come back to with an error.
    back: Option<String>,
}

/// `POST /link/renew`: "send me a new link", by the expired link's cookie or by address.
/// Always answers the same way whatever is on file; the work happens after the answer.
pub async fn renew(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<RenewForm>,
) -> Response {
    let back = form
        .back
        .clone()
        .filter(|b| is_local_path(b))
        .unwrap_or_else(|| "/".into());
    let sep = if back.contains('?') { '&' } else { '?' };
    let typed = form.email.clone().unwrap_or_default();
    let flash = |s: &AppState| {
        cookie(
            s,
            FLASH_COOKIE,
            &percent_encode(&typed.chars().take(254).collect::<String>()),
            "/",
            Some(120),
        )
    };
    if !state.limits.allow_ip(ip) {
        return see_other(&format!("{back}{sep}error=rate"), vec![flash(&state)]);
    }
    let request = match form.mode.as_deref() {
        Some("token") => match cookie_value(&headers, BAD_LINK_COOKIE) {
            Some(token) => Renewal::ExpiredLink(token),
            None => return see_other("/link/problem?reason=invalid", vec![]),
        },
        _ => match EmailAddress::parse(&typed) {
            Ok(addr) => {
                if !state.limits.allow_address(addr.as_str()) {
                    // Same answer as success: the limit must not reveal that the address is known.
                    return see_other("/link/sent", vec![expire(&state, FLASH_COOKIE, "/")]);
                }
                Renewal::Address(addr)
            }
            Err(_) => return see_other(&format!("{back}{sep}error=email"), vec![flash(&state)]),
        },
    };
    let st = state.clone();
    tokio::spawn(async move {
        if let Err(e) = super::send_fresh_links(&st, request).await {
            tracing::error!(error = %format!("{e:#}"), "sending a fresh link");
        }
    });
    see_other(
        "/link/sent",
        vec![
            expire(&state, FLASH_COOKIE, "/"),
            expire(&state, BAD_LINK_COOKIE, "/link"),
        ],
    )
}

/// `POST /signout`: ends the session here and now.
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(s) = cookie_value(&headers, SESSION_COOKIE)
        && let Err(e) = state.storage.delete_session(&sha256_hex(&s)).await
    {
        tracing::error!(error = %e, "signing out");
    }
    see_other(
        "/?why=signed_out",
        vec![expire(&state, SESSION_COOKIE, "/")],
    )
}

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    next: Option<String>,
}

/// `GET /lang/{code}?next=/path`: remembers the language for a year and goes back.
pub async fn set_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let Some(lang) = Lang::parse(&code).filter(|l| l.code() == code) else {
        return (StatusCode::NOT_FOUND, "Unknown language.").into_response();
    };
    let next = q
        .next
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".into());
    see_other(
        &next,
        vec![cookie(
            &state,
            LANG_COOKIE,
            lang.code(),
            "/",
            Some(365 * 24 * 3600),
        )],
    )
}
