//! How a creditor is paid: beneficiary, IBAN and BIC, the smallest amount a debtor may pay, and
//! the creditor's own Stripe keys, sealed at rest (command line and demo).

use super::card::{secret_key_context, webhook_secret_context};
use crate::sealing::Sealer;
use crate::storage::{PaymentSettingsRow, Storage};
use app::domain::iban::{Bic, Iban};
use secrecy::SecretString;

/// How a creditor wants to be paid, as given on the command line or by the demo.
pub struct PaymentSettings<'a> {
    pub beneficiary_name: &'a str,
    pub iban: Option<&'a str>,
    pub bic: Option<&'a str>,
    pub min_payment_minor: i64,
    /// Publishable key, secret key, webhook signing secret.
    pub stripe: Option<(&'a str, &'a SecretString, &'a SecretString)>,
}

/// Checks, seals and stores a creditor's payment settings.
pub async fn configure(
    state_sealer: &Sealer,
    storage: &Storage,
    creditor_id: &str,
    settings: &PaymentSettings<'_>,
    now: i64,
) -> anyhow::Result<()> {
    let PaymentSettings {
        beneficiary_name,
        iban,
        bic,
        min_payment_minor,
        stripe,
    } = *settings;
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
