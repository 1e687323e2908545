//! Disputes and messages: what the debtor's pages and the back office show of them. Every page
//! here is server-rendered only; the forms post to server routes (`/disputes…`, `/messages`,
//! `/agent/disputes/…`).

use crate::error::AppError;
use crate::views::dispute::{AgentDisputeView, DisputeView, DisputesView};
use crate::views::message::MessagesView;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "disputes", input = leptos::server_fn::codec::Json)]
pub async fn get_disputes() -> Result<DisputesView, AppError> {
    let portal = crate::ports::portal()?;
    let session = crate::ports::session_token().ok_or(AppError::Unauthorized)?;
    portal.disputes(&session).await
}

#[server(prefix = "/api", endpoint = "dispute", input = leptos::server_fn::codec::Json)]
pub async fn get_dispute(id: String) -> Result<DisputeView, AppError> {
    let portal = crate::ports::portal()?;
    let session = crate::ports::session_token().ok_or(AppError::Unauthorized)?;
    portal.dispute(&session, &id).await
}

#[server(prefix = "/api", endpoint = "messages", input = leptos::server_fn::codec::Json)]
pub async fn get_messages() -> Result<MessagesView, AppError> {
    let portal = crate::ports::portal()?;
    let session = crate::ports::session_token().ok_or(AppError::Unauthorized)?;
    portal.messages(&session).await
}

#[server(prefix = "/api", endpoint = "agent_dispute", input = leptos::server_fn::codec::Json)]
pub async fn get_agent_dispute(id: String) -> Result<AgentDisputeView, AppError> {
    let portal = crate::ports::portal()?;
    let token =
        crate::ports::request_cookie(crate::ports::AGENT_COOKIE).ok_or(AppError::Unauthorized)?;
    portal.agent_dispute(&token, &id).await
}
