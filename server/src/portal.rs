//! The portal service the pages call (app::ports::Portal), and the statement loading shared
//! with the PDF routes.

use crate::jobs::now;
use crate::links::sha256_hex;
use crate::state::AppState;
use crate::storage::{CreditorRow, DebtorRow, SessionRow};
use app::api::AppError;
use app::api::statement::{BrandView, StatementView};
use app::domain::statement::Statement;
use chrono::{DateTime, NaiveDate, Utc};

pub struct PortalService {
    pub state: AppState,
}

/// Logs the detail, tells the client nothing.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "internal error");
    AppError::Internal
}

/// The debtor's session behind a cookie value, if it is live.
pub async fn session(state: &AppState, token: &str) -> Result<SessionRow, AppError> {
    if token.is_empty() || token.len() > 128 {
        return Err(AppError::Unauthorized);
    }
    state.storage.session(&sha256_hex(token), now()).await.map_err(internal)?.ok_or(AppError::Unauthorized)
}

/// "Today" where the debtor is: due dates fall due at the debtor's midnight, not the server's.
pub fn today_in(timezone: &str, now: DateTime<Utc>) -> NaiveDate {
    let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::Europe::Paris);
    now.with_timezone(&tz).date_naive()
}

pub struct LoadedStatement {
    pub creditor: CreditorRow,
    pub debtor: DebtorRow,
    pub statement: Statement,
}

/// Everything the statement page and PDF show, for one debtor of one creditor.
pub async fn load_statement(state: &AppState, creditor_id: &str, debtor_id: &str) -> anyhow::Result<Option<LoadedStatement>> {
    let s = &state.storage;
    let (Some(creditor), Some(debtor)) = (s.creditor(creditor_id).await?, s.debtor(creditor_id, debtor_id).await?) else {
        return Ok(None);
    };
    let invoices = s.invoice_facts(creditor_id, debtor_id).await?;
    let payments = s.payments(creditor_id, debtor_id).await?;
    let today = today_in(&debtor.timezone, Utc::now());
    let statement = Statement::build(invoices, payments, today)?;
    Ok(Some(LoadedStatement { creditor, debtor, statement }))
}

pub fn brand(c: &CreditorRow) -> BrandView {
    BrandView {
        name: c.name.clone(),
        logo_url: c.has_logo.then(|| format!("/brand/{}/logo", c.slug)),
        accent: c.accent_colour.clone(),
        contact_email: c.contact_email.clone(),
    }
}

#[async_trait::async_trait]
impl app::ports::Portal for PortalService {
    async fn statement(&self, session_token: &str) -> Result<StatementView, AppError> {
        let s = session(&self.state, session_token).await?;
        let loaded = load_statement(&self.state, &s.creditor_id, &s.debtor_id)
            .await
            .map_err(internal)?
            .ok_or(AppError::Unauthorized)?;
        Ok(StatementView { brand: brand(&loaded.creditor), debtor_name: loaded.debtor.name, statement: loaded.statement })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_depends_on_the_debtors_time_zone() {
        // 23:30 UTC on 31 January: already 1 February in Paris and Auckland, still 31 January in New York.
        let t = DateTime::parse_from_rfc3339("2026-01-31T23:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(today_in("Europe/Paris", t).to_string(), "2026-02-01");
        assert_eq!(today_in("Pacific/Auckland", t).to_string(), "2026-02-01");
        assert_eq!(today_in("America/New_York", t).to_string(), "2026-01-31");
        // Unknown zones fall back to Paris rather than failing the page.
        assert_eq!(today_in("Mars/Olympus", t).to_string(), "2026-02-01");
    }
}
