//! The card script's two calls (JSON, same-origin only): start an attempt for what the debtor
//! chose, then charge it once Stripe.js has the card. Amounts are never read from the browser.

use super::card::{CardStep, charge_card, start_card};
use crate::kernel::{AppState, DebtorContext};
use app::error::AppError;
use app::ports::lang_from_headers;
use app::views::payment::PayRequest;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartBody {
    pub attempt: String,
    /// The pay page's query string, e.g. `mode=invoices&invoice=…`.
    pub request: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChargeBody {
    pub attempt: String,
}

/// `POST /pay/card/start`
pub async fn start(
    State(state): State<AppState>,
    debtor: Option<DebtorContext>,
    headers: HeaderMap,
    Json(body): Json<StartBody>,
) -> Response {
    let lang = lang_from_headers(&headers);
    let result = async {
        let ctx = debtor.ok_or(AppError::Unauthorized)?;
        let request = parse_request(&body.request)?;
        start_card(&state, &ctx, &body.attempt, &request, lang).await
    }
    .await;
    respond(result)
}

/// `POST /pay/card/charge`
pub async fn charge(
    State(state): State<AppState>,
    debtor: Option<DebtorContext>,
    headers: HeaderMap,
    Json(body): Json<ChargeBody>,
) -> Response {
    let lang = lang_from_headers(&headers);
    let result = async {
        let ctx = debtor.ok_or(AppError::Unauthorized)?;
        if uuid::Uuid::parse_str(&body.attempt).is_err() {
            return Err(AppError::NotFound);
        }
        charge_card(&state, &ctx, &body.attempt, lang).await
    }
    .await;
    respond(result)
}

fn respond(result: Result<CardStep, AppError>) -> Response {
    match result {
        Ok(step) => Json(step).into_response(),
        Err(e) => (
            e.status(),
            Json(serde_json::json!({ "status": "error", "message": e.to_string() })),
        )
            .into_response(),
    }
}

/// The pay page's query string back into a request; unknown keys are refused.
pub fn parse_request(query: &str) -> Result<PayRequest, AppError> {
    if query.len() > 8 * 1024 {
        return Err(AppError::Validation("request too long".into()));
    }
    let mut r = PayRequest::default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = app::urlenc::percent_decode(&v.replace('+', " "))
            .ok_or_else(|| AppError::Validation("bad encoding".into()))?;
        match k {
            "mode" => r.mode = v,
            "invoice" => r.invoices.push(v),
            "amount" => r.amount = v,
            "currency" => r.currency = v,
            "schedule" => r.schedule = v,
            "save_card" => r.save_card = v == "1",
            _ => {
                return Err(AppError::Validation(format!(
                    "unexpected field {}",
                    k.chars().take(20).collect::<String>()
                )));
            }
        }
    }
    Ok(r)
}
