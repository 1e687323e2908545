//! One file per page.
#[cfg(feature = "ssr")]
mod agent;
#[cfg(feature = "ssr")]
mod agent_cases;
#[cfg(feature = "ssr")]
mod agent_dispute;
#[cfg(feature = "ssr")]
mod agent_rules;
#[cfg(feature = "ssr")]
mod disputes;
mod link;
#[cfg(feature = "ssr")]
mod messages;
#[cfg(feature = "ssr")]
mod pay;
#[cfg(feature = "ssr")]
mod promise;
#[cfg(feature = "ssr")]
mod receipt;
mod schedule;
mod statement;
mod welcome;

#[cfg(feature = "ssr")]
pub use agent::{
    AgentDebtorsPage, AgentInvitePage, AgentLoginPage, AgentPasswordPage, AgentResetPage,
};
#[cfg(feature = "ssr")]
pub use agent_cases::{AgentDebtorPage, AgentQueuePage};
#[cfg(feature = "ssr")]
pub use agent_dispute::AgentDisputePage;
#[cfg(feature = "ssr")]
pub use agent_rules::AgentRulesPage;
#[cfg(feature = "ssr")]
pub use disputes::{DisputePage, DisputesPage};
pub use link::{LinkProblemPage, LinkSentPage};
#[cfg(feature = "ssr")]
pub use messages::MessagesPage;
#[cfg(feature = "ssr")]
pub use pay::PayPage;
#[cfg(feature = "ssr")]
pub use promise::PromisePage;
#[cfg(feature = "ssr")]
pub use receipt::ReceiptPage;
pub use schedule::SchedulePage;
#[cfg(not(feature = "ssr"))]
pub use server_rendered::{
    AgentDebtorPage, AgentDebtorsPage, AgentDisputePage, AgentInvitePage, AgentLoginPage,
    AgentPasswordPage, AgentQueuePage, AgentResetPage, AgentRulesPage, DisputePage, DisputesPage,
    MessagesPage, PayPage, PromisePage, ReceiptPage,
};
pub use statement::StatementPage;
pub use welcome::{NotFoundPage, WelcomePage};

use leptos_router::hooks::use_query_map;

/// Pages that need no Wasm: the server renders them whole and sends them without the
/// hydration scripts (see `crate::is_server_rendered_only`), so a phone paying an invoice does
/// not download the app. The browser's router keeps the routes but never draws them: links
/// to them are `rel="external"`, so the browser loads them from the server.
#[cfg(not(feature = "ssr"))]
mod server_rendered {
    use leptos::prelude::*;

    #[component]
    pub fn PayPage() -> impl IntoView {}

    #[component]
    pub fn PromisePage() -> impl IntoView {}

    #[component]
    pub fn ReceiptPage() -> impl IntoView {}

    #[component]
    pub fn AgentLoginPage() -> impl IntoView {}

    #[component]
    pub fn AgentDebtorsPage() -> impl IntoView {}

    #[component]
    pub fn AgentQueuePage() -> impl IntoView {}

    #[component]
    pub fn AgentDebtorPage() -> impl IntoView {}

    #[component]
    pub fn AgentRulesPage() -> impl IntoView {}

    #[component]
    pub fn AgentPasswordPage() -> impl IntoView {}

    #[component]
    pub fn AgentResetPage() -> impl IntoView {}

    #[component]
    pub fn AgentInvitePage() -> impl IntoView {}

    #[component]
    pub fn AgentDisputePage() -> impl IntoView {}

    #[component]
    pub fn DisputesPage() -> impl IntoView {}

    #[component]
    pub fn DisputePage() -> impl IntoView {}

    #[component]
    pub fn MessagesPage() -> impl IntoView {}
}

/// A query parameter of the current URL (the pages only read short, non-secret codes).
fn query(name: &str) -> Option<String> {
    use leptos::prelude::GetUntracked;
    use_query_map().get_untracked().get(name)
}

/// What the person typed before the server sent them back with an error, kept in a short-lived
/// HttpOnly cookie by the form's handler (server only: hydration keeps the rendered value).
fn flash_value() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::ports::request_cookie(crate::ports::FLASH_COOKIE)
            .and_then(|v| crate::urlenc::percent_decode(&v))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    String::new()
}

/// The error notice that a form handler asked for with `?error=…`.
fn form_error(lang: crate::domain::locale::Lang) -> Option<&'static str> {
    use crate::i18n;
    match query("error").as_deref() {
        Some("email") => Some(i18n::EMAIL_INVALID.get(lang)),
        Some("rate") => Some(i18n::TOO_MANY_REQUESTS.get(lang)),
        Some("internal") => Some(i18n::SOMETHING_WRONG.get(lang)),
        _ => None,
    }
}

/// Answers with the HTTP status of the error a page shows instead of its content (server only).
fn set_error_status(error: &crate::error::AppError) {
    #[cfg(feature = "ssr")]
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        use crate::error::AppError;
        res.set_status(match error {
            AppError::Unauthorized => http::StatusCode::UNAUTHORIZED,
            AppError::NotFound => http::StatusCode::NOT_FOUND,
            _ => http::StatusCode::INTERNAL_SERVER_ERROR,
        });
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}
