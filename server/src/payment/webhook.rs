//! `POST /webhooks/stripe/{creditor}`: each creditor registers this URL, with its own signing
//! secret, in its own Stripe account. Events are verified with that creditor's secret, and
//! act only on PaymentIntents this portal created for that creditor.

use super::card::{settle, webhook_secret_context};
use crate::kernel::AppState;
use crate::stripe_account::outcome;
use app::domain::locale::Lang;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use stripe_webhook::{EventObject, Webhook};

pub async fn stripe_webhook(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    match handle(&state, &slug, &headers, &body).await {
        Ok(msg) => (StatusCode::OK, msg).into_response(),
        Err((status, msg)) => {
            tracing::warn!(creditor = %slug, %status, msg, "stripe webhook refused");
            (status, msg).into_response()
        }
    }
}

async fn handle(
    state: &AppState,
    slug: &str,
    headers: &HeaderMap,
    body: &str,
) -> Result<&'static str, (StatusCode, &'static str)> {
    let internal = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "stripe webhook");
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    };
    let creditor = state
        .storage
        .creditor_by_slug(slug)
        .await
        .map_err(|e| internal(&e))?
        .ok_or((StatusCode::NOT_FOUND, "unknown creditor"))?;
    let settings = state
        .storage
        .payment_settings(&creditor.id)
        .await
        .map_err(|e| internal(&e))?;
    let sealed = settings
        .and_then(|s| s.stripe_webhook_secret_sealed)
        .ok_or((StatusCode::NOT_FOUND, "no card payments here"))?;
    let secret = state
        .sealer
        .open(&webhook_secret_context(&creditor.id), &sealed)
        .map_err(|e| internal(&e))?;
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or((StatusCode::BAD_REQUEST, "missing Stripe-Signature"))?;
    use secrecy::ExposeSecret;
    // Checks the HMAC and that the signature is under five minutes old (replays refused).
    let event =
        Webhook::construct_event(body, signature, secret.expose_secret()).map_err(|_| {
            (
                StatusCode::BAD_REQUEST,
                "invalid or stale signature, or unreadable event",
            )
        })?;
    let pi = match event.data.object {
        EventObject::PaymentIntentSucceeded(pi) | EventObject::PaymentIntentPaymentFailed(pi) => pi,
        _ => return Ok("ignored"),
    };
    let meta = |k: &str| pi.metadata.get(k).cloned().unwrap_or_default();
    if meta("creditor") != creditor.id {
        // Not ours to record (another creditor's, or not made by the portal): acknowledge only.
        return Ok("not for this creditor");
    }
    let attempt = state
        .storage
        .attempt(&creditor.id, &meta("debtor"), &meta("attempt"))
        .await
        .map_err(|e| internal(&e))?
        .ok_or((StatusCode::OK, "unknown attempt"))?;
    if attempt
        .payment_intent_id
        .as_deref()
        .is_some_and(|known| known != pi.id.as_str())
    {
        return Ok("another PaymentIntent of this attempt");
    }
    if attempt.amount.minor != pi.amount
        || !attempt
            .amount
            .currency
            .code()
            .eq_ignore_ascii_case(&pi.currency.to_string())
    {
        tracing::error!(attempt = %attempt.id, "webhook amount differs from the attempt's; recorded as Stripe reports it");
    }
    settle(state, &attempt, outcome(&pi), Lang::default())
        .await
        .map_err(|e| internal(&e))?;
    Ok("recorded")
}
