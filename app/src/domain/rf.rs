//! ISO 11649 structured creditor reference ("RF" reference): the reference a debtor quotes on
//! a transfer so the creditor's bank statement line maps back to the invoices meant.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RfReference(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RfError {
    #[error("a reference body has 1 to 21 letters and digits")]
    BadBody,
    #[error("not an RF reference: it starts with RF, two check digits and up to 21 letters and digits")]
    BadFormat,
    #[error("the check digits do not match: the reference was mistyped")]
    BadCheckDigits,
}

/// The ISO 7064 mod 97-10 remainder of an alphanumeric string, letters as 10..35 (as IBANs
/// use it). Streams digit by digit: no big numbers.
pub(crate) fn mod97(s: &str) -> Option<u32> {
    let mut r: u32 = 0;
    for c in s.chars() {
        let v = c.to_digit(36)?;
        r = if v >= 10 { (r * 100 + v) % 97 } else { (r * 10 + v) % 97 };
    }
    Some(r)
}

impl RfReference {
    /// Builds a reference around `body`, computing its check digits.
    pub fn from_body(body: &str) -> Result<Self, RfError> {
        let body = body.to_ascii_uppercase();
        if body.is_empty() || body.len() > 21 || !body.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
            return Err(RfError::BadBody);
        }
        let r = mod97(&format!("{body}RF00")).ok_or(RfError::BadBody)?;
        Ok(Self(format!("RF{:02}{body}", 98 - r)))
    }

    /// Reads a reference as typed or printed (spaces and lower case allowed) and checks it.
    pub fn parse(s: &str) -> Result<Self, RfError> {
        let e: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let ok_shape = e.len() >= 5
            && e.len() <= 25
            && e.starts_with("RF")
            && e[2..4].chars().all(|c| c.is_ascii_digit())
            && e[4..].chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !ok_shape {
            return Err(RfError::BadFormat);
        }
        let rotated = format!("{}{}", &e[4..], &e[..4]);
        if mod97(&rotated) != Some(1) {
            return Err(RfError::BadCheckDigits);
        }
        Ok(Self(e))
    }

    /// Electronic form, e.g. `RF18539007547034`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Printed in groups of four, e.g. `RF18 5390 0754 7034`.
    pub fn printed(&self) -> String {
        group4(&self.0)
    }
}

pub(crate) fn group4(s: &str) -> String {
    s.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

impl fmt::Display for RfReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RfReference {
    type Error = RfError;
    fn try_from(s: String) -> Result<Self, RfError> {
        Self::parse(&s)
    }
}

impl From<RfReference> for String {
    fn from(r: RfReference) -> String {
        r.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_standards_example() {
        // ISO 11649's own example: body 539007547034 → RF18 5390 0754 7034.
        let r = RfReference::from_body("539007547034").unwrap();
        assert_eq!(r.as_str(), "RF18539007547034");
        assert_eq!(r.printed(), "RF18 5390 0754 7034");
        assert_eq!(RfReference::parse("rf18 5390 0754 7034"), Ok(r));
        // Check digits by hand: "539007547034" + "RF00" → 539007547034271500 mod 97 = 80; 98 − 80 = 18.
        assert_eq!(mod97("539007547034271500"), Some(80));
    }

    #[test]
    fn mistyped_and_malformed_references_are_refused() {
        assert_eq!(RfReference::parse("RF19 5390 0754 7034"), Err(RfError::BadCheckDigits));
        assert_eq!(RfReference::parse("RF18 5390 0754 7035"), Err(RfError::BadCheckDigits));
        assert_eq!(RfReference::parse("RF18 5390 0754 7043"), Err(RfError::BadCheckDigits), "two digits swapped");
        assert_eq!(RfReference::parse("XX18539007547034"), Err(RfError::BadFormat));
        assert_eq!(RfReference::parse("RF1"), Err(RfError::BadFormat));
        assert_eq!(RfReference::parse("RF18-5390"), Err(RfError::BadFormat));
        assert_eq!(RfReference::parse(&format!("RF00{}", "1".repeat(22))), Err(RfError::BadFormat), "25 characters at most");
        assert_eq!(RfReference::from_body(""), Err(RfError::BadBody));
        assert_eq!(RfReference::from_body(&"A".repeat(22)), Err(RfError::BadBody));
        assert_eq!(RfReference::from_body("AB-12"), Err(RfError::BadBody));
    }

    proptest! {
        #[test]
        fn every_body_round_trips(body in "[A-Z0-9]{1,21}") {
            let r = RfReference::from_body(&body).unwrap();
            prop_assert!(r.as_str().len() <= 25);
            prop_assert_eq!(RfReference::parse(&r.printed()), Ok(r.clone()));
            prop_assert_eq!(RfReference::parse(&r.as_str().to_lowercase()), Ok(r));
        }
    }
}
