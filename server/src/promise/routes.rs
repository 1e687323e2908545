//! `POST /promise` (the debtor's promise to pay) and `POST /agent/promises/{id}/handled` (an
//! agent followed up a missed one): plain forms answered with redirects.

use super::{MakeError, make};
use crate::kernel::context::may_decide;
use crate::kernel::http::see_other;
use crate::kernel::{AppState, DebtorContext, SignedIn};
use app::domain::promise::PromiseError;
use app::urlenc::percent_encode;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct PromiseForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    date: String,
}

/// `POST /promise`. On an error the page comes back with what was typed (an amount and a
/// date are not secrets, so they ride in the query string).
pub async fn promise(
    State(state): State<AppState>,
    debtor: Option<DebtorContext>,
    Form(f): Form<PromiseForm>,
) -> Response {
    let Some(ctx) = debtor else {
        return see_other("/promise", vec![]);
    };
    let (amount, date): (String, String) = (
        f.amount.chars().take(40).collect(),
        f.date.chars().take(20).collect(),
    );
    let code = match make(&state, ctx, &amount, &date).await {
        Ok(()) => return see_other("/promise?done=1", vec![]),
        Err(MakeError::Invalid(PromiseError::Amount(_))) => "amount",
        Err(MakeError::Invalid(PromiseError::AboveBalance)) => "above",
        Err(MakeError::Invalid(PromiseError::Date)) => "date",
        Err(MakeError::Invalid(PromiseError::Past)) => "past",
        Err(MakeError::Invalid(PromiseError::TooFar(_))) => "far",
        Err(MakeError::NothingOwed) => "nothing",
        Err(MakeError::Pending) => "pending",
        Err(MakeError::App(_)) => "internal",
    };
    see_other(
        &format!(
            "/promise?error={code}&amount={}&date={}",
            percent_encode(&amount),
            percent_encode(&date)
        ),
        vec![],
    )
}

/// `POST /agent/promises/{id}/handled`
pub async fn handled(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(id): Path<String>,
) -> Response {
    if !may_decide(&agent) {
        return see_other("/agent/queue?error=forbidden", vec![]);
    }
    match state
        .storage
        .handle_promise(&agent.creditor_id, &id, &agent.id, state.now())
        .await
    {
        Ok(true) => see_other("/agent/queue?done=1", vec![]),
        Ok(false) => see_other("/agent/queue?error=conflict", vec![]),
        Err(e) => {
            tracing::error!(error = %e, "handling a missed promise");
            see_other("/agent/queue?error=internal", vec![])
        }
    }
}
