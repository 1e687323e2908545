//! Bank account identifiers for transfers: IBAN (ISO 13616) and BIC (ISO 9362).

use super::rf::{group4, mod97};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Iban(String);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bic(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankIdError {
    #[error("an IBAN starts with a country code and two check digits, then letters and digits")]
    IbanFormat,
    #[error("an IBAN from {country} has {expected} characters")]
    IbanLength { country: String, expected: usize },
    #[error("the IBAN's check digits do not match: it was mistyped")]
    IbanCheckDigits,
    #[error("a BIC has 8 or 11 characters: bank (4 letters), country (2 letters), place (2), branch (3, optional)")]
    BicFormat,
}

/// IBAN lengths of the countries our creditors bank in; others are checked for shape only.
const LENGTHS: &[(&str, usize)] = &[
    ("FR", 27), ("MC", 27), ("DE", 22), ("BE", 16), ("ES", 24), ("IT", 27), ("NL", 18),
    ("LU", 20), ("CH", 21), ("GB", 22), ("IE", 22), ("PT", 25), ("AT", 20),
];

impl Iban {
    pub fn parse(s: &str) -> Result<Self, BankIdError> {
        let e: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let shape = e.len() >= 15
            && e.len() <= 34
            && e[..2].chars().all(|c| c.is_ascii_uppercase())
            && e[2..4].chars().all(|c| c.is_ascii_digit())
            && e[4..].chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !shape {
            return Err(BankIdError::IbanFormat);
        }
        if let Some((country, expected)) = LENGTHS.iter().find(|(c, _)| *c == &e[..2]) {
            if e.len() != *expected {
                return Err(BankIdError::IbanLength { country: country.to_string(), expected: *expected });
            }
        }
        if mod97(&format!("{}{}", &e[4..], &e[..4])) != Some(1) {
            return Err(BankIdError::IbanCheckDigits);
        }
        Ok(Self(e))
    }

    /// Electronic form, no spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Groups of four, as printed on a bank's RIB.
    pub fn printed(&self) -> String {
        group4(&self.0)
    }
}

impl Bic {
    pub fn parse(s: &str) -> Result<Self, BankIdError> {
        let e = s.trim().to_ascii_uppercase();
        let ok = (e.len() == 8 || e.len() == 11)
            && e[..6].chars().all(|c| c.is_ascii_uppercase())
            && e[6..].chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if ok { Ok(Self(e)) } else { Err(BankIdError::BicFormat) }
    }
}

impl fmt::Display for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Bic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_ibans_are_valid_and_printed_by_four() {
        for s in ["FR76 3000 6000 0112 3456 7890 189", "DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32", "be68539007547034"] {
            assert!(Iban::parse(s).is_ok(), "{s}");
        }
        assert_eq!(Iban::parse("fr7630006000011234567890189").unwrap().printed(), "FR76 3000 6000 0112 3456 7890 189");
    }

    #[test]
    fn mistyped_ibans_are_refused_with_the_reason() {
        assert_eq!(Iban::parse("FR76 3000 6000 0112 3456 7890 188"), Err(BankIdError::IbanCheckDigits));
        assert_eq!(Iban::parse("DE89 3704 0044 0532 0130 01"), Err(BankIdError::IbanCheckDigits));
        assert_eq!(Iban::parse("FR76 3000 6000 0112 3456 7890 18"), Err(BankIdError::IbanLength { country: "FR".into(), expected: 27 }));
        assert_eq!(Iban::parse("1234"), Err(BankIdError::IbanFormat));
        assert_eq!(Iban::parse("FR76-3000-6000-0112-3456-7890-189"), Err(BankIdError::IbanFormat));
    }

    #[test]
    fn bics_have_8_or_11_characters() {
        assert_eq!(Bic::parse("agrifrpp").unwrap().to_string(), "AGRIFRPP");
        assert!(Bic::parse("DEUTDEFF500").is_ok());
        for bad in ["AGRIFRP", "AGRIFRPP1", "1GRIFRPP", "AGRI12PP", ""] {
            assert_eq!(Bic::parse(bad), Err(BankIdError::BicFormat), "{bad}");
        }
    }
}
