use crate::error::AppError;
use crate::views::statement::StatementView;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "statement")]
pub async fn get_statement() -> Result<StatementView, AppError> {
    let portal = crate::ports::portal()?;
    let session = crate::ports::session_token().ok_or(AppError::Unauthorized)?;
    portal.statement(&session).await
}
