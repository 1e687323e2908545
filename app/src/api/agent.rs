//! The back office: what an agent sees. Every call is scoped to the agent's creditor.

use crate::error::AppError;
use crate::views::agent::{AgentDebtorView, AgentHomeView, QueueView, RulesView};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "agent_debtors", input = leptos::server_fn::codec::Json)]
pub async fn get_agent_debtors(search: String, sort: String) -> Result<AgentHomeView, AppError> {
    let portal = crate::ports::portal()?;
    let token =
        crate::ports::request_cookie(crate::ports::AGENT_COOKIE).ok_or(AppError::Unauthorized)?;
    portal.agent_debtors(&token, &search, &sort).await
}

#[server(prefix = "/api", endpoint = "agent_queue", input = leptos::server_fn::codec::Json)]
pub async fn get_agent_queue() -> Result<QueueView, AppError> {
    let portal = crate::ports::portal()?;
    let token =
        crate::ports::request_cookie(crate::ports::AGENT_COOKIE).ok_or(AppError::Unauthorized)?;
    portal.agent_queue(&token).await
}

#[server(prefix = "/api", endpoint = "agent_debtor", input = leptos::server_fn::codec::Json)]
pub async fn get_agent_debtor(debtor_id: String) -> Result<AgentDebtorView, AppError> {
    let portal = crate::ports::portal()?;
    let token =
        crate::ports::request_cookie(crate::ports::AGENT_COOKIE).ok_or(AppError::Unauthorized)?;
    portal.agent_debtor(&token, &debtor_id).await
}

#[server(prefix = "/api", endpoint = "agent_rules", input = leptos::server_fn::codec::Json)]
pub async fn get_agent_rules() -> Result<RulesView, AppError> {
    let portal = crate::ports::portal()?;
    let token =
        crate::ports::request_cookie(crate::ports::AGENT_COOKIE).ok_or(AppError::Unauthorized)?;
    portal.agent_rules(&token).await
}
