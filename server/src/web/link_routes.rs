//! Plain HTTP routes around links and sessions: open a link, ask for a fresh one, sign out,
//! switch language. They answer with redirects, so they work with JavaScript off.

use crate::jobs::now;
use crate::links::{LinkCheck, random_token, sha256_hex};
use crate::renewal;
use crate::state::AppState;
use app::domain::contact::EmailAddress;
use app::domain::locale::Lang;
use app::ports::{FLASH_COOKIE, LANG_COOKIE, SESSION_COOKIE, cookie_value};
use app::urlenc::percent_encode;
use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::net::SocketAddr;

/// Holds a genuine-but-unusable link for the "send me a new one" button, so the token never
/// has to travel in a URL again. Only sent back to `/link/renew`.
const BAD_LINK_COOKIE: &str = "amiable_badlink";

pub fn cookie(
    state: &AppState,
    name: &str,
    value: &str,
    path: &str,
    max_age: Option<i64>,
) -> HeaderValue {
    cookie_with_site(state, name, value, path, max_age, "Lax")
}

/// An HttpOnly cookie (Secure over https); `same_site` is `Lax` or `Strict`.
pub fn cookie_with_site(
    state: &AppState,
    name: &str,
    value: &str,
    path: &str,
    max_age: Option<i64>,
    same_site: &str,
) -> HeaderValue {
    let secure = if state.config.is_https() {
        "; Secure"
    } else {
        ""
    };
    let age = max_age
        .map(|s| format!("; Max-Age={s}"))
        .unwrap_or_default();
    let v = format!("{name}={value}; Path={path}; HttpOnly; SameSite={same_site}{secure}{age}");
    HeaderValue::from_str(&v).expect("cookie built from safe characters")
}

pub fn expire(state: &AppState, name: &str, path: &str) -> HeaderValue {
    cookie(state, name, "", path, Some(0))
}

pub fn see_other(to: &str, cookies: Vec<HeaderValue>) -> Response {
    let mut res = Redirect::to(to).into_response();
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

/// `GET /l/{token}`: the link in the email.
pub async fn open_link(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
) -> Response {
    if !state.limits.allow_ip(peer.ip()) {
        return see_other("/link/problem?reason=invalid&error=rate", vec![]);
    }
    let now = now();
    let check = match state.links.check(&state.storage, &token, now).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "checking a link");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side. Please try again.",
            )
                .into_response();
        }
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
                Err(e) => {
                    tracing::error!(error = %e, "opening a link");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Something went wrong on our side. Please try again.",
                    )
                        .into_response()
                }
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
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
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
    if !state.limits.allow_ip(peer.ip()) {
        return see_other(&format!("{back}{sep}error=rate"), vec![flash(&state)]);
    }
    let request = match form.mode.as_deref() {
        Some("token") => match cookie_value(&headers, BAD_LINK_COOKIE) {
            Some(token) => renewal::Request::ExpiredLink(token),
            None => return see_other("/link/problem?reason=invalid", vec![]),
        },
        _ => match EmailAddress::parse(&typed) {
            Ok(addr) => {
                if !state.limits.allow_address(addr.as_str()) {
                    // Same answer as success: the limit must not reveal that the address is known.
                    return see_other("/link/sent", vec![expire(&state, FLASH_COOKIE, "/")]);
                }
                renewal::Request::Address(addr)
            }
            Err(_) => return see_other(&format!("{back}{sep}error=email"), vec![flash(&state)]),
        },
    };
    let st = state.clone();
    tokio::spawn(async move {
        if let Err(e) = renewal::send_fresh_links(&st, request).await {
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
    if let Some(s) = cookie_value(&headers, SESSION_COOKIE) {
        if let Err(e) = state.storage.delete_session(&sha256_hex(&s)).await {
            tracing::error!(error = %e, "signing out");
        }
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

/// Only paths on this site: no scheme, no `//host`, no backslash tricks, no control characters.
pub fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && !p.chars().any(|c| c.is_control())
        && p.len() <= 512
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn next_must_stay_on_this_site() {
        assert!(is_local_path("/statement"));
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "statement",
            "/a\r\nSet-Cookie: x",
        ] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
    }
}
