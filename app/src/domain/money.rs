//! Money: integer minor units plus an ISO 4217 currency. Never a float.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 code that we know how to show (its minor-unit exponent and symbol).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Currency {
    Eur,
    Usd,
    Gbp,
    Chf,
    Jpy,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown or unsupported currency code “{0}”")]
    UnknownCurrency(String),
    #[error("amounts in {0} and {1} cannot be added together")]
    CurrencyMismatch(Currency, Currency),
    #[error("the amount is too large")]
    Overflow,
}

impl Currency {
    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        match code.trim().to_ascii_uppercase().as_str() {
            "EUR" => Ok(Self::Eur),
            "USD" => Ok(Self::Usd),
            "GBP" => Ok(Self::Gbp),
            "CHF" => Ok(Self::Chf),
            "JPY" => Ok(Self::Jpy),
            _ => Err(MoneyError::UnknownCurrency(code.chars().take(8).collect())),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Eur => "EUR",
            Self::Usd => "USD",
            Self::Gbp => "GBP",
            Self::Chf => "CHF",
            Self::Jpy => "JPY",
        }
    }

    /// Number of minor-unit digits (2 for cents, 0 for yen).
    pub fn exponent(self) -> u32 {
        match self {
            Self::Jpy => 0,
            _ => 2,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Self::Eur => "€",
            Self::Usd => "$",
            Self::Gbp => "£",
            Self::Chf => "CHF",
            Self::Jpy => "¥",
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount of money. Negative amounts are credits (credit notes, overpayments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    pub const fn zero(currency: Currency) -> Self {
        Self { minor: 0, currency }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.checked_add(Money::new(
            other.minor.checked_neg().ok_or(MoneyError::Overflow)?,
            other.currency,
        ))
    }

    pub fn is_zero(self) -> bool {
        self.minor == 0
    }

    /// The amount as a plain decimal string in the currency's exponent, e.g. `1234.56`.
    /// Used in machine formats (payment references, PDFs' data), never for display.
    pub fn to_decimal_string(self) -> String {
        let exp = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exp == 0 {
            return format!("{sign}{abs}");
        }
        let div = 10u64.pow(exp);
        format!(
            "{sign}{}.{:0width$}",
            abs / div,
            abs % div,
            width = exp as usize
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_codes_case_insensitively_and_rejects_unknown() {
        assert_eq!(Currency::parse(" eur "), Ok(Currency::Eur));
        assert_eq!(
            Currency::parse("XYZ"),
            Err(MoneyError::UnknownCurrency("XYZ".into()))
        );
    }

    #[test]
    fn refuses_to_mix_currencies() {
        let e = Money::new(100, Currency::Eur).checked_add(Money::new(1, Currency::Usd));
        assert_eq!(
            e,
            Err(MoneyError::CurrencyMismatch(Currency::Eur, Currency::Usd))
        );
    }

    #[test]
    fn decimal_string_respects_exponent_and_sign() {
        assert_eq!(
            Money::new(123456, Currency::Eur).to_decimal_string(),
            "1234.56"
        );
        assert_eq!(Money::new(-5, Currency::Eur).to_decimal_string(), "-0.05");
        assert_eq!(Money::new(1500, Currency::Jpy).to_decimal_string(), "1500");
        assert_eq!(
            Money::new(i64::MIN, Currency::Eur).to_decimal_string(),
            "-92233720368547758.08"
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let max = Money::new(i64::MAX, Currency::Eur);
        assert_eq!(
            max.checked_add(Money::new(1, Currency::Eur)),
            Err(MoneyError::Overflow)
        );
    }

    proptest! {
        #[test]
        fn add_then_sub_round_trips(a in -1_000_000_000_000i64..1_000_000_000_000, b in -1_000_000_000_000i64..1_000_000_000_000) {
            let x = Money::new(a, Currency::Eur);
            let y = Money::new(b, Currency::Eur);
            prop_assert_eq!(x.checked_add(y).unwrap().checked_sub(y).unwrap(), x);
        }

        #[test]
        fn decimal_string_parses_back_to_the_same_minor_units(a in any::<i64>()) {
            // Parse the string by hand (integers only) to prove no float is involved.
            let s = Money::new(a, Currency::Eur).to_decimal_string();
            let neg = s.starts_with('-');
            let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
            let abs: u64 = digits.parse().unwrap();
            let back = if neg { (abs as i128).wrapping_neg() } else { abs as i128 };
            prop_assert_eq!(back, a as i128);
        }
    }
}
