//! The back office: what an agent sees. Every call is scoped to the agent's creditor.

use super::AppError;
use super::statement::BrandView;
use crate::domain::money::Money;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtorLine {
    pub id: String,
    pub reference: String,
    pub name: String,
    /// What is owed, per currency.
    pub balances: Vec<Money>,
    pub oldest_due: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentHomeView {
    pub brand: BrandView,
    pub agent_name: String,
    /// `admin`, `agent` or `read_only`.
    pub role: String,
    pub search: String,
    /// `balance` (largest first) or `oldest` (oldest due date first).
    pub sort: String,
    pub debtors: Vec<DebtorLine>,
}

#[server(prefix = "/api", endpoint = "agent_debtors", input = leptos::server_fn::codec::Json)]
pub async fn get_agent_debtors(search: String, sort: String) -> Result<AgentHomeView, AppError> {
    let portal = crate::ports::portal()?;
    let token = crate::ports::request_cookie(crate::ports::AGENT_COOKIE).ok_or(AppError::Unauthorized)?;
    portal.agent_debtors(&token, &search, &sort).await
}
