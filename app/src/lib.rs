//! Amiable's Leptos app: pages rendered on the server, hydrated in the browser.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
pub mod urlenc;
pub mod views;

use domain::locale::Lang;
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the app (server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let lang = ports::request_lang();
    #[cfg(not(feature = "ssr"))]
    let lang = Lang::default();
    provide_context(lang);
    #[cfg(feature = "ssr")]
    set_security_headers();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="stylesheet" href="/pkg/amiable.css"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {(!server_rendered_only()).then(|| view! { <HydrationScripts options/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Paths of pages sent as plain HTML, without the app's Wasm (`pages::server_rendered`).
pub const SERVER_RENDERED_PREFIXES: [&str; 5] =
    ["/pay", "/agent", "/promise", "/disputes", "/messages"];

fn server_rendered_only() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_some_and(|p| {
            SERVER_RENDERED_PREFIXES
                .iter()
                .any(|pre| p.uri.path() == *pre || p.uri.path().starts_with(&format!("{pre}/")))
        })
    }
    #[cfg(not(feature = "ssr"))]
    false
}

/// The page's CSP carries this response's nonce, so only our own inline bootstrap script and
/// brand style run. Other headers come from the server's middleware for every response.
#[cfg(feature = "ssr")]
fn set_security_headers() {
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    let Some(res) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    // The card processor's script, frames and API (Stripe.js), when one is configured.
    let pay = ports::portal()
        .map(|p| p.payment_origins())
        .unwrap_or_default();
    let frames = if pay.is_empty() {
        "'none'".to_string()
    } else {
        pay.clone()
    };
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval' {pay}; \
         style-src 'self' 'nonce-{nonce}'; img-src 'self' data: {pay}; connect-src 'self' {pay}; frame-src {frames}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(v) = http::HeaderValue::from_str(&csp) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
    }
}

/// The current language: provided by the shell on the server, read back from `<html lang>`
/// in the browser so both render the same.
pub fn use_lang() -> Lang {
    if let Some(l) = use_context::<Lang>() {
        return l;
    }
    #[cfg(feature = "hydrate")]
    {
        let l = document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|c| Lang::parse(&c))
            .unwrap_or_default();
        provide_context(l);
        return l;
    }
    #[allow(unreachable_code)]
    Lang::default()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = use_lang();
    provide_context(lang);
    view! {
        <Router>
            <Routes fallback=pages::NotFoundPage>
                <Route path=path!("/") view=pages::WelcomePage/>
                // Async: the page is complete HTML before it is sent, so it works without JS.
                <Route path=path!("/statement") view=pages::StatementPage ssr=SsrMode::Async/>
                <Route path=path!("/schedule") view=pages::SchedulePage ssr=SsrMode::Async/>
                <Route path=path!("/promise") view=pages::PromisePage ssr=SsrMode::Async/>
                <Route path=path!("/disputes") view=pages::DisputesPage ssr=SsrMode::Async/>
                <Route path=path!("/disputes/:id") view=pages::DisputePage ssr=SsrMode::Async/>
                <Route path=path!("/messages") view=pages::MessagesPage ssr=SsrMode::Async/>
                <Route path=path!("/pay") view=pages::PayPage ssr=SsrMode::Async/>
                <Route path=path!("/pay/receipts/:id") view=pages::ReceiptPage ssr=SsrMode::Async/>
                <Route path=path!("/agent") view=pages::AgentDebtorsPage ssr=SsrMode::Async/>
                <Route path=path!("/agent/login") view=pages::AgentLoginPage/>
                <Route path=path!("/agent/queue") view=pages::AgentQueuePage ssr=SsrMode::Async/>
                <Route path=path!("/agent/rules") view=pages::AgentRulesPage ssr=SsrMode::Async/>
                <Route path=path!("/agent/password") view=pages::AgentPasswordPage/>
                <Route path=path!("/agent/reset") view=pages::AgentResetPage/>
                <Route path=path!("/agent/invite") view=pages::AgentInvitePage/>
                <Route path=path!("/agent/debtors/:id") view=pages::AgentDebtorPage ssr=SsrMode::Async/>
                <Route path=path!("/agent/disputes/:id") view=pages::AgentDisputePage ssr=SsrMode::Async/>
                <Route path=path!("/link/problem") view=pages::LinkProblemPage/>
                <Route path=path!("/link/sent") view=pages::LinkSentPage/>
            </Routes>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // Browser tests wait for this before they click.
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
