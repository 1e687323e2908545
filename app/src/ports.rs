//! (ssr) What the server provides to the pages and server functions, through Leptos context.

use crate::error::AppError;
use crate::views::payment::{PayRequest, PayView, ReceiptView};
use crate::views::statement::StatementView;
use std::sync::Arc;

/// Name of the cookie that holds the debtor's session id. HttpOnly; set by the link exchange.
pub const SESSION_COOKIE: &str = "amiable_session";
/// Name of the back-office session cookie (HttpOnly, SameSite=Strict, Path=/agent).
pub const AGENT_COOKIE: &str = "amiable_agent";
/// Name of the cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "amiable_lang";
/// Short-lived HttpOnly cookie that carries what a person typed back to the form after an error.
pub const FLASH_COOKIE: &str = "amiable_flash";

#[async_trait::async_trait]
pub trait Portal: Send + Sync + 'static {
    /// The statement of the debtor whose session this is; `Unauthorized` when the session is
    /// unknown or expired.
    async fn statement(&self, session_token: &str) -> Result<StatementView, AppError>;
    /// What paying `request` would settle, and how to pay it by transfer or card.
    async fn payment(&self, session_token: &str, request: PayRequest) -> Result<PayView, AppError>;
    /// A payment of this debtor; `NotFound` for anyone else's.
    async fn receipt(&self, session_token: &str, payment_id: &str)
    -> Result<ReceiptView, AppError>;
    /// The debtor's schedule page: the current proposal or schedule, and what may be proposed.
    async fn schedule(
        &self,
        session_token: &str,
    ) -> Result<crate::views::schedule::ScheduleView, AppError>;
    /// The debtor's promise to pay page.
    async fn promise(
        &self,
        session_token: &str,
    ) -> Result<crate::views::promise::PromiseView, AppError>;
    /// The agent's creditor's debtors, matching `search`, sorted by `sort`.
    async fn agent_debtors(
        &self,
        agent_token: &str,
        search: &str,
        sort: &str,
    ) -> Result<crate::views::agent::AgentHomeView, AppError>;
    /// What needs a person at the agent's creditor, oldest first.
    async fn agent_queue(
        &self,
        agent_token: &str,
    ) -> Result<crate::views::agent::QueueView, AppError>;
    /// One debtor of the agent's creditor: statement, schedules, timeline. `NotFound` for anyone else's.
    async fn agent_debtor(
        &self,
        agent_token: &str,
        debtor_id: &str,
    ) -> Result<crate::views::agent::AgentDebtorView, AppError>;
    /// The agent's creditor's schedule rules.
    async fn agent_rules(
        &self,
        agent_token: &str,
    ) -> Result<crate::views::agent::RulesView, AppError>;
    /// The debtor's disputes page: what may be contested, their disputes, the form's draft.
    async fn disputes(
        &self,
        session_token: &str,
    ) -> Result<crate::views::dispute::DisputesView, AppError>;
    /// One dispute of the debtor, with its public thread; `NotFound` for anyone else's.
    async fn dispute(
        &self,
        session_token: &str,
        id: &str,
    ) -> Result<crate::views::dispute::DisputeView, AppError>;
    /// The debtor's conversation with the collection team (reading it marks the answers read).
    async fn messages(
        &self,
        session_token: &str,
    ) -> Result<crate::views::message::MessagesView, AppError>;
    /// One dispute of the agent's creditor, with its whole thread and the owners it may go to.
    async fn agent_dispute(
        &self,
        agent_token: &str,
        id: &str,
    ) -> Result<crate::views::dispute::AgentDisputeView, AppError>;
    /// Origins the card form loads scripts and frames from and talks to (for the pages' CSP).
    fn payment_origins(&self) -> String;
}

pub type SharedPortal = Arc<dyn Portal>;

pub fn portal() -> Result<SharedPortal, AppError> {
    leptos::prelude::use_context::<SharedPortal>().ok_or_else(|| {
        tracing::error!("portal service missing from context");
        AppError::Internal
    })
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
