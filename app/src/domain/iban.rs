//! Bank account identifiers for transfers: IBAN (ISO 13616) and BIC (ISO 9362).
//! Hand-written rather than a crate: the domain compiles for Wasm with std and serde only,
//! and the checks are a length table and the mod-97 routine RF references already need.

use super::rf::{check_digits_in_range, electronic, group4, mod97};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A valid IBAN in electronic form (no spaces, upper case). Deserialising checks it too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iban(String);

/// A BIC (SWIFT code) of 8 or 11 characters, upper case. Deserialising checks it too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bic(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankIdError {
    #[error(
        "an IBAN starts with a country code and two check digits, then letters and digits (15 to 34 in all)"
    )]
    IbanFormat,
    #[error("an IBAN from {country} has {expected} characters")]
    IbanLength { country: String, expected: usize },
    #[error("the IBAN's check digits do not match: it was mistyped")]
    IbanCheckDigits,
    #[error(
        "a BIC has 8 or 11 characters: bank (4 letters), country (2 letters), place (2), branch (3, optional)"
    )]
    BicFormat,
}

/// IBAN lengths of the countries our creditors bank in (SWIFT IBAN registry); other countries
/// are checked for shape and check digits only.
const LENGTHS: &[(&str, usize)] = &[
    ("AT", 20),
    ("BE", 16),
    ("CH", 21),
    ("DE", 22),
    ("ES", 24),
    ("FR", 27),
    ("GB", 22),
    ("IE", 22),
    ("IT", 27),
    ("LU", 20),
    ("MC", 27),
    ("NL", 18),
    ("PT", 25),
];

fn is_alnum_upper(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

impl Iban {
    /// Reads an IBAN as printed or typed (spaces and lower case allowed) and checks it.
    pub fn parse(s: &str) -> Result<Self, BankIdError> {
        let e = electronic(s);
        // ASCII first: the slicing below is by byte.
        let shape = e.is_ascii()
            && (15..=34).contains(&e.len())
            && e[..2].chars().all(|c| c.is_ascii_uppercase())
            && e[2..4].chars().all(|c| c.is_ascii_digit())
            && is_alnum_upper(&e[4..]);
        if !shape {
            return Err(BankIdError::IbanFormat);
        }
        if let Some((country, expected)) = LENGTHS.iter().find(|(c, _)| *c == &e[..2])
            && e.len() != *expected
        {
            return Err(BankIdError::IbanLength {
                country: country.to_string(),
                expected: *expected,
            });
        }
        if !check_digits_in_range(&e[2..4]) || mod97(&format!("{}{}", &e[4..], &e[..4])) != Some(1)
        {
            return Err(BankIdError::IbanCheckDigits);
        }
        Ok(Self(e))
    }

    /// Electronic form, no spaces: what goes into the QR code and the transfer.
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
        let e = electronic(s);
        let ok = e.is_ascii()
            && (e.len() == 8 || e.len() == 11)
            && e[..6].chars().all(|c| c.is_ascii_uppercase())
            && is_alnum_upper(&e[6..]);
        if ok {
            Ok(Self(e))
        } else {
            Err(BankIdError::BicFormat)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
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

impl TryFrom<String> for Iban {
    type Error = BankIdError;
    fn try_from(s: String) -> Result<Self, BankIdError> {
        Self::parse(&s)
    }
}

impl From<Iban> for String {
    fn from(i: Iban) -> String {
        i.0
    }
}

impl TryFrom<String> for Bic {
    type Error = BankIdError;
    fn try_from(s: String) -> Result<Self, BankIdError> {
        Self::parse(&s)
    }
}

impl From<Bic> for String {
    fn from(b: Bic) -> String {
        b.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::value::{Error as DeError, StringDeserializer};

    #[test]
    fn well_known_ibans_are_valid_and_printed_by_four() {
        for s in [
            "FR76 3000 6000 0112 3456 7890 189",
            "DE89 3704 0044 0532 0130 00",
            "GB82 WEST 1234 5698 7654 32",
            "be68 5390 0754 7034",
            "CH93 0076 2011 6238 5295 7",
            "NL91 ABNA 0417 1643 00",
        ] {
            assert!(Iban::parse(s).is_ok(), "{s}");
        }
        let fr = Iban::parse("fr7630006000011234567890189").unwrap();
        assert_eq!(fr.as_str(), "FR7630006000011234567890189");
        assert_eq!(fr.printed(), "FR76 3000 6000 0112 3456 7890 189");
        assert_eq!(
            Iban::parse("GB82WEST12345698765432").unwrap().printed(),
            "GB82 WEST 1234 5698 7654 32"
        );
    }

    #[test]
    fn one_changed_character_is_caught() {
        assert_eq!(
            Iban::parse("FR76 3000 6000 0112 3456 7890 188"),
            Err(BankIdError::IbanCheckDigits)
        );
        assert_eq!(
            Iban::parse("FR77 3000 6000 0112 3456 7890 189"),
            Err(BankIdError::IbanCheckDigits)
        );
        assert_eq!(
            Iban::parse("DE89 3704 0044 0532 0130 01"),
            Err(BankIdError::IbanCheckDigits)
        );
        assert_eq!(
            Iban::parse("GB82 WEST 1234 5698 7654 33"),
            Err(BankIdError::IbanCheckDigits)
        );
        assert_eq!(
            Iban::parse("GB82 WEZT 1234 5698 7654 32"),
            Err(BankIdError::IbanCheckDigits)
        );
    }

    #[test]
    fn malformed_ibans_are_refused_with_the_reason() {
        let fr_len = Err(BankIdError::IbanLength {
            country: "FR".into(),
            expected: 27,
        });
        assert_eq!(Iban::parse("FR76 3000 6000 0112 3456 7890 18"), fr_len);
        assert_eq!(
            Iban::parse("BE68 5390 0754 7034 0"),
            Err(BankIdError::IbanLength {
                country: "BE".into(),
                expected: 16
            })
        );
        assert_eq!(Iban::parse("1234"), Err(BankIdError::IbanFormat));
        assert_eq!(
            Iban::parse("FR76-3000-6000-0112-3456-7890-189"),
            Err(BankIdError::IbanFormat)
        );
        assert_eq!(
            Iban::parse("F176 3000 6000 0112 3456 7890 189"),
            Err(BankIdError::IbanFormat)
        );
        assert_eq!(
            Iban::parse("FRé6 3000 6000 0112 3456 7890 189"),
            Err(BankIdError::IbanFormat),
            "non-ASCII: refused, no panic"
        );
        assert_eq!(
            Iban::parse(&format!("XX00{}", "1".repeat(31))),
            Err(BankIdError::IbanFormat),
            "35 characters"
        );
        assert_eq!(Iban::parse(""), Err(BankIdError::IbanFormat));
    }

    #[test]
    fn check_digits_00_01_and_99_are_never_valid() {
        // Find an account whose valid check digits are 98, then spell it with 01: mod 97 still gives 1.
        let bban = (0..10_000u32)
            .map(|n| format!("{n:014}"))
            .find(|b| mod97(&format!("{b}XY00")) == Some(0))
            .unwrap();
        assert!(Iban::parse(&format!("XY98{bban}")).is_ok());
        assert_eq!(mod97(&format!("{bban}XY01")), Some(1));
        assert_eq!(
            Iban::parse(&format!("XY01{bban}")),
            Err(BankIdError::IbanCheckDigits)
        );
    }

    #[test]
    fn bics_have_8_or_11_characters() {
        assert_eq!(Bic::parse("agrifrpp").unwrap().to_string(), "AGRIFRPP");
        assert_eq!(
            Bic::parse("DEUT DE FF 500").unwrap().as_str(),
            "DEUTDEFF500"
        );
        for bad in [
            "AGRIFRP",
            "AGRIFRPP1",
            "1GRIFRPP",
            "AGRI12PP",
            "AGRIFRP-",
            "AGRIFRPÉ",
            "",
        ] {
            assert_eq!(Bic::parse(bad), Err(BankIdError::BicFormat), "{bad}");
        }
    }

    #[test]
    fn deserialising_checks_the_value() {
        let de = |s: &str| StringDeserializer::<DeError>::new(s.into());
        assert_eq!(
            Iban::deserialize(de("DE89370400440532013000"))
                .unwrap()
                .as_str(),
            "DE89370400440532013000"
        );
        assert!(Iban::deserialize(de("DE89370400440532013001")).is_err());
        assert!(Bic::deserialize(de("AGRIFRPP")).is_ok());
        assert!(Bic::deserialize(de("AGRI")).is_err());
    }
}
