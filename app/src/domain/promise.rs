//! A promise to pay: an amount by a date. Pure: the page and the server read it the same way.

use super::money::Money;
use super::payment::{PayError, parse_amount_input};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a promise stands: open until the payments reach it (kept) or its date passes (missed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PromiseStatus {
    Open,
    Kept,
    Missed,
}

impl PromiseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Kept => "kept",
            Self::Missed => "missed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Kept, Self::Missed]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// How far ahead a debtor may promise until the creditor sets its own horizon (settings page).
pub const DEFAULT_HORIZON_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PromiseError {
    #[error("{0}")]
    Amount(PayError),
    #[error("the amount is more than what you owe")]
    AboveBalance,
    #[error("the date is not a date")]
    Date,
    #[error("the date cannot be in the past")]
    Past,
    #[error("the date must be on or before {0}")]
    TooFar(NaiveDate),
}

/// Reads "150,00" and "2026-12-01" into a promise of at most `balance`, from today to `horizon_days` ahead.
pub fn read_promise(
    amount: &str,
    date: &str,
    balance: Money,
    today: NaiveDate,
    horizon_days: i64,
) -> Result<(Money, NaiveDate), PromiseError> {
    let amount = parse_amount_input(amount, balance.currency).map_err(PromiseError::Amount)?;
    if amount.minor > balance.minor {
        return Err(PromiseError::AboveBalance);
    }
    let date =
        NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| PromiseError::Date)?;
    if date < today {
        return Err(PromiseError::Past);
    }
    let latest = today + chrono::Duration::days(horizon_days);
    if date > latest {
        return Err(PromiseError::TooFar(latest));
    }
    Ok((amount, date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_promise_within_the_balance_and_the_horizon() {
        let bal = Money::new(50_000, Currency::Eur);
        let today = day("2026-11-22");
        assert_eq!(
            read_promise("150,00", "2026-12-01", bal, today, 30),
            Ok((Money::new(15_000, Currency::Eur), day("2026-12-01")))
        );
        assert_eq!(
            read_promise("500", "2026-11-22", bal, today, 30)
                .unwrap()
                .0
                .minor,
            50_000,
            "all of it, today"
        );
        assert_eq!(
            read_promise("500,01", "2026-12-01", bal, today, 30),
            Err(PromiseError::AboveBalance)
        );
        assert!(matches!(
            read_promise("0", "2026-12-01", bal, today, 30),
            Err(PromiseError::Amount(_))
        ));
        assert!(matches!(
            read_promise("-5", "2026-12-01", bal, today, 30),
            Err(PromiseError::Amount(_))
        ));
        assert_eq!(
            read_promise("10", "2026-11-21", bal, today, 30),
            Err(PromiseError::Past)
        );
        assert_eq!(
            read_promise("10", "2026-12-23", bal, today, 30),
            Err(PromiseError::TooFar(day("2026-12-22")))
        );
        assert_eq!(
            read_promise("10", "22/12/2026", bal, today, 30),
            Err(PromiseError::Date)
        );
    }
}
