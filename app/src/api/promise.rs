//! The debtor's promise page (server-rendered only): what they owe, their promise, and the
//! form (`POST /promise`, a server route).

use crate::error::AppError;
use crate::views::promise::PromiseView;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "promise", input = leptos::server_fn::codec::Json)]
pub async fn get_promise() -> Result<PromiseView, AppError> {
    let portal = crate::ports::portal()?;
    let session = crate::ports::session_token().ok_or(AppError::Unauthorized)?;
    portal.promise(&session).await
}
