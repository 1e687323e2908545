//! How a creditor is paid: beneficiary, IBAN and BIC, the smallest amount a debtor may pay, and
//! the creditor's own Stripe keys, sealed at rest (command line and demo).

use super::card::{secret_key_context, webhook_secret_context};
use crate::sealing::Sealer;
use crate::storage::{PaymentSettingsRow, Storage};
use app::domain::iban::{Bic, Iban};
use secrecy::SecretString;

/// Seals and stores a creditor's payment settings (CLI and demo).
pub async fn configure(
    state_sealer: &Sealer,
    storage: &Storage,
    creditor_id: &str,
    beneficiary_name: &str,
    iban: Option<&str>,
    bic: Option<&str>,
    min_payment_minor: i64,
    stripe: Option<(&str, &SecretString, &SecretString)>,
    now: i64,
) -> anyhow::Result<()> {
    use secrecy::ExposeSecret;
    let iban = iban
        .map(|i| Iban::parse(i).map(|i| i.as_str().to_string()))
        .transpose()
        .map_err(|e| anyhow::anyhow!("IBAN: {e}"))?;
    let bic = bic
        .map(|b| Bic::parse(b).map(|b| b.to_string()))
        .transpose()
        .map_err(|e| anyhow::anyhow!("BIC: {e}"))?;
    anyhow::ensure!(
        min_payment_minor > 0,
        "the minimum payment must be positive"
    );
    anyhow::ensure!(
        !beneficiary_name.trim().is_empty() && beneficiary_name.chars().count() <= 70,
        "the beneficiary name must be 1 to 70 characters"
    );
    let row = PaymentSettingsRow {
        creditor_id: creditor_id.to_string(),
        beneficiary_name: beneficiary_name.trim().to_string(),
        iban,
        bic,
        min_payment_minor,
        stripe_publishable_key: stripe.map(|(p, _, _)| p.to_string()),
        stripe_secret_key_sealed: stripe.map(|(_, s, _)| {
            state_sealer.seal(&secret_key_context(creditor_id), s.expose_secret())
        }),
        stripe_webhook_secret_sealed: stripe.map(|(_, _, w)| {
            state_sealer.seal(&webhook_secret_context(creditor_id), w.expose_secret())
        }),
    };
    storage.set_payment_settings(&row, now).await?;
    Ok(())
}
