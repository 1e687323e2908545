//! Messages over plain forms, answered with redirects: the debtor writes to the team
//! (`POST /messages`), an agent answers from a debtor's page.

use crate::kernel::forms::{outcome, submission};
use crate::kernel::http::see_other;
use crate::kernel::{AppState, DebtorContext, SignedIn};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct TextForm {
    #[serde(default)]
    message: String,
    /// The form's own id (`kernel::forms::submission`); agents' forms have none.
    #[serde(default)]
    submission: String,
}

/// `POST /messages`: the debtor writes to the team.
pub async fn message(
    State(state): State<AppState>,
    debtor: Option<DebtorContext>,
    Form(f): Form<TextForm>,
) -> Response {
    let Some(ctx) = debtor else {
        return see_other("/messages", vec![]);
    };
    match super::debtor_writes(&state, &ctx, &f.message, submission(&f.submission)).await {
        Ok(()) => see_other("/messages?done=sent", vec![]),
        Err(_) => see_other("/messages?error=1", vec![]),
    }
}

/// `POST /agent/debtors/{id}/messages`: an agent answers a debtor.
pub async fn agent_message(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<TextForm>,
) -> Response {
    let r = super::agent_answers(&state, &agent, &id, &f.message).await;
    let page = if uuid::Uuid::parse_str(&id).is_ok() {
        format!("/agent/debtors/{id}")
    } else {
        "/agent".into()
    };
    // Back to the conversation.
    see_other(&format!("{page}?{}#messages", outcome(&r)), vec![])
}
