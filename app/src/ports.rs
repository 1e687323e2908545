//! (ssr) What the server provides to the pages: their data, loaded before they render, and
//! the request's cookies and language.

use crate::error::AppError;
use std::sync::Arc;

/// Name of the cookie that holds the debtor's session id. HttpOnly; set by the link exchange.
pub const SESSION_COOKIE: &str = "amiable_session";
/// Name of the back-office session cookie (HttpOnly, SameSite=Strict, Path=/agent).
pub const AGENT_COOKIE: &str = "amiable_agent";
/// Name of the cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "amiable_lang";
/// Short-lived HttpOnly cookie that carries what a person typed back to the form after an error.
pub const FLASH_COOKIE: &str = "amiable_flash";

/// The data of the page being rendered, loaded by the server before the page renders (the
/// server's `web::pages` puts it in the request's extensions). Pages render from it at once:
/// no `Resource`, no `Suspense`, nothing serialised for a hydration that never comes.
#[derive(Debug)]
pub struct Loaded<T>(pub Arc<Result<T, AppError>>);

impl<T> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T> Loaded<T> {
    pub fn new(result: Result<T, AppError>) -> Self {
        Self(Arc::new(result))
    }
}

/// The page's data, or why there is none. A page asked for data the server did not load is a
/// bug: logged, and shown as "something went wrong".
pub fn page_data<T: Clone + Send + Sync + 'static>() -> Result<T, AppError> {
    let loaded = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<Loaded<T>>().cloned());
    match loaded {
        Some(l) => (*l.0).clone(),
        None => {
            tracing::error!(
                page = std::any::type_name::<T>(),
                "page data was not loaded"
            );
            Err(AppError::Internal)
        }
    }
}

/// Origins the card form loads scripts and frames from (Stripe.js), for the pages' CSP; set by
/// the server in the request's extensions.
#[derive(Debug, Clone, Default)]
pub struct PaymentOrigins(pub std::sync::Arc<str>);

/// Where the static files are served (`/assets/<version>`), set by the server.
#[derive(Debug, Clone, Default)]
pub struct AssetBase(pub std::sync::Arc<str>);

/// The address of a static file (`amiable.css` is in `pkg/`, the public files at the top).
pub fn asset(file: &str) -> String {
    let base = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<AssetBase>().map(|b| b.0.clone()))
        .unwrap_or_else(|| "".into());
    format!("{base}/{file}")
}

pub fn payment_origins() -> String {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| {
            p.extensions
                .get::<PaymentOrigins>()
                .map(|o| o.0.to_string())
        })
        .unwrap_or_default()
}

/// Reads one cookie from the current request.
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    cookie_value(&parts.headers, name)
}

pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn session_token() -> Option<String> {
    request_cookie(SESSION_COOKIE).filter(|v| !v.is_empty())
}

/// The language of this request: the switch's cookie, else the browser's preference, else French.
pub fn request_lang() -> crate::domain::locale::Lang {
    use crate::domain::locale::Lang;
    let parts = leptos::prelude::use_context::<http::request::Parts>();
    let Some(parts) = parts else {
        return Lang::default();
    };
    lang_from_headers(&parts.headers)
}

pub fn lang_from_headers(headers: &http::HeaderMap) -> crate::domain::locale::Lang {
    use crate::domain::locale::Lang;
    cookie_value(headers, LANG_COOKIE)
        .and_then(|c| Lang::parse(&c))
        .or_else(|| {
            headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_named_cookie_only() {
        let mut h = http::HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=1; amiable_session=abc; amiable_session_x=no"
                .parse()
                .unwrap(),
        );
        assert_eq!(cookie_value(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie_value(&h, "missing"), None);
    }

    #[test]
    fn language_comes_from_cookie_then_browser_then_french() {
        use crate::domain::locale::Lang;
        let mut h = http::HeaderMap::new();
        assert_eq!(lang_from_headers(&h), Lang::Fr);
        h.insert(
            http::header::ACCEPT_LANGUAGE,
            "en-GB,en;q=0.9".parse().unwrap(),
        );
        assert_eq!(lang_from_headers(&h), Lang::En);
        h.insert(http::header::COOKIE, "amiable_lang=fr".parse().unwrap());
        assert_eq!(lang_from_headers(&h), Lang::Fr);
    }
}
