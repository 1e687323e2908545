//! Paying from the portal: what a payment would settle, how to pay it by transfer or card,
//! and the receipt afterwards.

use crate::error::AppError;
use crate::views::payment::{PayRequest, PayView, ReceiptView};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "payment", input = leptos::server_fn::codec::Json)]
pub async fn get_payment(request: PayRequest) -> Result<PayView, AppError> {
    let portal = crate::ports::portal()?;
    let session = crate::ports::session_token().ok_or(AppError::Unauthorized)?;
    portal.payment(&session, request).await
}

#[server(prefix = "/api", endpoint = "receipt", input = leptos::server_fn::codec::Json)]
pub async fn get_receipt(payment_id: String) -> Result<ReceiptView, AppError> {
    let portal = crate::ports::portal()?;
    let session = crate::ports::session_token().ok_or(AppError::Unauthorized)?;
    portal.receipt(&session, &payment_id).await
}
