//! The small pieces of HTTP every feature's routes use: redirects, our cookies, local paths,
//! and the one way an unexpected failure is logged.

use super::state::AppState;
use app::error::AppError;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

/// Logs the detail, tells the client nothing.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "internal error");
    AppError::Internal
}

/// A `Lax` HttpOnly cookie (Secure over https).
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

/// A 303 to `to`, setting `cookies`: how every plain form is answered.
pub fn see_other(to: &str, cookies: Vec<HeaderValue>) -> Response {
    let mut res = Redirect::to(to).into_response();
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

/// Only paths on this site: no scheme, no `//host`, no backslash tricks, no control characters.
pub fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && !p.chars().any(|c| c.is_control())
        && p.len() <= 512
}

/// The address of the person asking, for rate limits. Behind the reverse proxy
/// (`TRUST_PROXY=1`, deploy/nginx) every connection comes from the proxy, so it is the last
/// `X-Forwarded-For` hop, the one the proxy appended (earlier hops are the client's to forge).
/// Without a trusted proxy, the connection's own address: a header is never believed.
pub struct ClientIp(pub std::net::IpAddr);

impl axum::extract::FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(std::net::IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED));
        if !state.config.trust_proxy {
            return Ok(Self(peer));
        }
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last()
            .and_then(|hop| hop.trim().parse().ok());
        Ok(Self(forwarded.unwrap_or(peer)))
    }
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
