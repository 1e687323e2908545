//! Paying by bank transfer: IBAN, BIC, an ISO 11649 reference for exactly this payment, and
//! the EPC ("SEPA") QR code when in euros.

use crate::kernel::{AppState, DebtorContext, internal};
use crate::storage::PaymentSettingsRow;
use app::domain::epc_qr::EpcTransfer;
use app::domain::iban::{Bic, Iban};
use app::domain::locale::Lang;
use app::domain::money::{Currency, Money};
use app::domain::payment::PaymentPlan;
use app::domain::rf::RfReference;
use app::error::AppError;
use app::views::payment::TransferView;
use sha2::{Digest, Sha256};

/// IBAN, BIC, an ISO 11649 reference for exactly this payment, and the EPC QR code when in euros.
pub async fn transfer_view(
    state: &AppState,
    ctx: &DebtorContext,
    settings: &PaymentSettingsRow,
    plan: &PaymentPlan,
    lang: Lang,
) -> Result<Option<TransferView>, AppError> {
    let Some(iban) = settings.iban.as_deref().and_then(|i| Iban::parse(i).ok()) else {
        return Ok(None);
    };
    let bic = settings.bic.as_deref().and_then(|b| Bic::parse(b).ok());
    let invoice_ids: Vec<String> = plan.lines.iter().map(|l| l.invoice_id.clone()).collect();
    let reference = transfer_reference(&ctx.creditor.id, &ctx.debtor.id, plan.amount, &invoice_ids);
    state
        .storage
        .remember_transfer_reference(
            &ctx.creditor.id,
            &ctx.debtor.id,
            reference.as_str(),
            plan.amount,
            &invoice_ids,
            state.now(),
        )
        .await
        .map_err(internal)?;
    let qr_svg = if plan.amount.currency == Currency::Eur {
        let epc = EpcTransfer {
            bic: bic.clone(),
            name: settings.beneficiary_name.clone(),
            iban: iban.clone(),
            amount: plan.amount,
            reference: Some(reference.clone()),
            text: None,
        };
        match epc.payload() {
            Ok(payload) => {
                Some(crate::qr::svg(&payload, app::i18n::QR_LABEL.get(lang)).map_err(internal)?)
            }
            Err(e) => {
                tracing::warn!(error = %e, creditor = %ctx.creditor.id, "no EPC QR code for this transfer");
                None
            }
        }
    } else {
        None
    };
    Ok(Some(TransferView {
        beneficiary: settings.beneficiary_name.clone(),
        iban: iban.printed(),
        bic: bic.map(|b| b.to_string()),
        reference: reference.printed(),
        amount: plan.amount,
        qr_svg,
    }))
}

/// The same debtor, amount and invoices always give the same reference, so a page shown
/// twice does not multiply references; 20 digits of a hash keep it unguessable.
pub fn transfer_reference(
    creditor_id: &str,
    debtor_id: &str,
    amount: Money,
    invoice_ids: &[String],
) -> RfReference {
    let mut h = Sha256::new();
    for part in [
        creditor_id,
        debtor_id,
        amount.currency.code(),
        &amount.minor.to_string(),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    for id in invoice_ids {
        h.update(id.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    let mut n = u128::from_be_bytes(digest[..16].try_into().expect("16 bytes"));
    let mut body = String::new();
    // Digits only: read aloud or typed into a banking app, O/0 and I/1 cannot be confused.
    for _ in 0..20 {
        body.push(char::from_digit((n % 10) as u32, 10).expect("digit below 10"));
        n /= 10;
    }
    RfReference::from_body(&body).expect("20 digits make a valid RF body")
}
