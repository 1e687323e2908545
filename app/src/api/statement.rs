use super::AppError;
use crate::domain::statement::Statement;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The creditor's brand as the debtor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandView {
    pub name: String,
    /// Set when the creditor has a logo.
    pub logo_url: Option<String>,
    /// `#rrggbb`, validated when stored.
    pub accent: String,
    pub contact_email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementView {
    pub brand: BrandView,
    pub debtor_name: String,
    pub statement: Statement,
}

#[server(prefix = "/api", endpoint = "statement")]
pub async fn get_statement() -> Result<StatementView, AppError> {
    let portal = crate::ports::portal()?;
    let session = crate::ports::session_token().ok_or(AppError::Unauthorized)?;
    portal.statement(&session).await
}
