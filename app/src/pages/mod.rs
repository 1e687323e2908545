//! One file per page. Every page is rendered whole on the server from data the server loaded
//! before rendering (`data`); the interactive parts are islands (`crate::islands`).
mod agent;
mod agent_cases;
mod agent_dispute;
mod agent_reminders;
mod agent_rules;
mod disputes;
mod link;
mod messages;
mod pay;
mod promise;
mod receipt;
mod schedule;
mod statement;
mod welcome;

pub use agent::{
    AgentDebtorsPage, AgentInvitePage, AgentLoginPage, AgentPasswordPage, AgentResetPage,
};
pub use agent_cases::{AgentDebtorPage, AgentQueuePage};
pub use agent_dispute::AgentDisputePage;
pub use agent_reminders::{AgentRemindersPage, AgentScenarioPage, AgentSimulationPage};
pub use agent_rules::AgentRulesPage;
pub use disputes::{DisputePage, DisputesPage};
pub use link::{LinkProblemPage, LinkSentPage};
pub use messages::MessagesPage;
pub use pay::PayPage;
pub use promise::PromisePage;
pub use receipt::ReceiptPage;
pub use schedule::SchedulePage;
pub use statement::StatementPage;
pub use welcome::{NotFoundPage, WelcomePage};

use leptos_router::hooks::use_query_map;

/// The data this page shows, as the server loaded it (or why it could not).
fn data<T: Clone + Send + Sync + 'static>() -> Result<T, crate::error::AppError> {
    crate::ports::page_data::<T>()
}

/// A query parameter of the current URL (the pages only read short, non-secret codes).
fn query(name: &str) -> Option<String> {
    use leptos::prelude::GetUntracked;
    use_query_map().get_untracked().get(name)
}

/// What the person typed before the server sent them back with an error, kept in a short-lived
/// HttpOnly cookie by the form's handler (server only: hydration keeps the rendered value).
fn flash_value() -> String {
    crate::ports::request_cookie(crate::ports::FLASH_COOKIE)
        .and_then(|v| crate::urlenc::percent_decode(&v))
        .unwrap_or_default()
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
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        use crate::error::AppError;
        res.set_status(match error {
            AppError::Unauthorized => http::StatusCode::UNAUTHORIZED,
            AppError::NotFound => http::StatusCode::NOT_FOUND,
            _ => http::StatusCode::INTERNAL_SERVER_ERROR,
        });
    }
}
