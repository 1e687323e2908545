//! (ssr) The HTML document around every page, and the routes of the pages.

use crate::domain::locale::Lang;
use crate::pages;
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app (server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Nothing outside an island hydrates: leptos must not serialise anything for it.
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let lang = crate::ports::request_lang();
    provide_context(lang);
    set_security_headers();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="stylesheet" href=crate::ports::asset("pkg/amiable.css")/>
                <link rel="icon" href=crate::ports::asset("favicon.svg") type="image/svg+xml"/>
                {has_islands().then(|| view! { <HydrationScripts options islands=true/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Pages with an island: only they load the Wasm (`crate::islands`); every other page is
/// plain HTML and CSS.
pub const ISLAND_PAGES: [&str; 1] = ["/schedule"];

fn has_islands() -> bool {
    use_context::<http::request::Parts>().is_some_and(|p| ISLAND_PAGES.contains(&p.uri.path()))
}

/// The page's CSP carries this response's nonce, so only our own inline bootstrap script and
/// brand style run. Other headers come from the server's middleware for every response.
fn set_security_headers() {
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    let Some(res) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    // The card processor's script, frames and API (Stripe.js), when one is configured.
    let pay = crate::ports::payment_origins();
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

/// The language of this request, as the shell provided it.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(crate::ports::request_lang)
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
                // Each page renders at once from the data the server loaded before it: the
                // HTML is complete when sent, and works without JavaScript.
                <Route path=path!("/statement") view=pages::StatementPage/>
                <Route path=path!("/schedule") view=pages::SchedulePage/>
                <Route path=path!("/promise") view=pages::PromisePage/>
                <Route path=path!("/disputes") view=pages::DisputesPage/>
                <Route path=path!("/disputes/:id") view=pages::DisputePage/>
                <Route path=path!("/messages") view=pages::MessagesPage/>
                <Route path=path!("/pay") view=pages::PayPage/>
                <Route path=path!("/pay/receipts/:id") view=pages::ReceiptPage/>
                <Route path=path!("/agent") view=pages::AgentDebtorsPage/>
                <Route path=path!("/agent/login") view=pages::AgentLoginPage/>
                <Route path=path!("/agent/queue") view=pages::AgentQueuePage/>
                <Route path=path!("/agent/rules") view=pages::AgentRulesPage/>
                <Route path=path!("/agent/reminders") view=pages::AgentRemindersPage/>
                <Route path=path!("/agent/reminders/scenarios/:segment") view=pages::AgentScenarioPage/>
                <Route path=path!("/agent/reminders/simulation") view=pages::AgentSimulationPage/>
                <Route path=path!("/agent/password") view=pages::AgentPasswordPage/>
                <Route path=path!("/agent/reset") view=pages::AgentResetPage/>
                <Route path=path!("/agent/invite") view=pages::AgentInvitePage/>
                <Route path=path!("/agent/debtors/:id") view=pages::AgentDebtorPage/>
                <Route path=path!("/agent/disputes/:id") view=pages::AgentDisputePage/>
                <Route path=path!("/link/problem") view=pages::LinkProblemPage/>
                <Route path=path!("/link/sent") view=pages::LinkSentPage/>
            </Routes>
        </Router>
    }
}
