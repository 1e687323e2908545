//! The debtor's schedule page: what they may put in a schedule under which rules, and where
//! their current proposal or schedule stands. Proposals are sent by a plain form
//! (`POST /schedule/propose`, server routes), so the page works without JavaScript.

use crate::error::AppError;
use crate::views::schedule::ScheduleView;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "schedule", input = leptos::server_fn::codec::Json)]
pub async fn get_schedule() -> Result<ScheduleView, AppError> {
    let portal = crate::ports::portal()?;
    let session = crate::ports::session_token().ok_or(AppError::Unauthorized)?;
    portal.schedule(&session).await
}
