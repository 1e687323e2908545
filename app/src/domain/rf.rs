//! ISO 11649 structured creditor reference ("RF" reference): the reference a debtor quotes on
//! a transfer so the creditor's bank statement line maps back to the invoices meant.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A valid reference in electronic form (no spaces, upper case), e.g. `RF18539007547034`.
/// Deserialising checks it too, so an invalid one cannot exist.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RfReference(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RfError {
    #[error("a reference body has 1 to 21 letters and digits")]
    BadBody,
    #[error(
        "not an RF reference: it starts with RF, two check digits and up to 21 letters and digits"
    )]
    BadFormat,
    #[error("the check digits do not match: the reference was mistyped")]
    BadCheckDigits,
}

/// Longest body the standard allows: 25 characters in all, less "RF" and two check digits.
const MAX_BODY: usize = 21;

/// ISO 7064 mod 97-10 remainder of an alphanumeric string, letters counted as 10..=35 (IBANs
/// use the same). Streams digit by digit, so no big numbers; `None` on any other character.
pub(crate) fn mod97(s: &str) -> Option<u32> {
    let mut r: u32 = 0;
    for c in s.chars() {
        let v = c.to_digit(36)?;
        // A letter stands for two decimal digits.
        r = if v >= 10 {
            (r * 100 + v) % 97
        } else {
            (r * 10 + v) % 97
        };
    }
    Some(r)
}

/// Check digits are "02" to "98": "00", "01" and "99" also pass mod 97 but are never issued,
/// so accepting them would let two spellings name one reference.
pub(crate) fn check_digits_in_range(cd: &str) -> bool {
    matches!(cd.parse::<u8>(), Ok(2..=98))
}

/// Electronic form of what a person typed or copied: spaces dropped, upper case.
pub(crate) fn electronic(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Groups of four, as banks print references and IBANs. Input is ASCII (checked by callers).
pub(crate) fn group4(s: &str) -> String {
    s.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_alnum_upper(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

impl RfReference {
    /// Builds a reference around `body` (the creditor's own identifier), computing its check digits.
    pub fn from_body(body: &str) -> Result<Self, RfError> {
        let body = body.to_ascii_uppercase();
        if body.is_empty() || body.len() > MAX_BODY || !is_alnum_upper(&body) {
            return Err(RfError::BadBody);
        }
        let r = mod97(&format!("{body}RF00")).ok_or(RfError::BadBody)?;
        Ok(Self(format!("RF{:02}{body}", 98 - r)))
    }

    /// Reads a reference as typed or printed (spaces and lower case allowed) and checks it.
    pub fn parse(s: &str) -> Result<Self, RfError> {
        let e = electronic(s);
        // ASCII first: the slicing below is by byte.
        let shape = e.is_ascii()
            && (5..=4 + MAX_BODY).contains(&e.len())
            && e.starts_with("RF")
            && e[2..4].chars().all(|c| c.is_ascii_digit())
            && is_alnum_upper(&e[4..]);
        if !shape {
            return Err(RfError::BadFormat);
        }
        if !check_digits_in_range(&e[2..4]) || mod97(&format!("{}{}", &e[4..], &e[..4])) != Some(1)
        {
            return Err(RfError::BadCheckDigits);
        }
        Ok(Self(e))
    }

    /// Electronic form, e.g. `RF18539007547034`: what goes into the QR code and the transfer.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Printed in groups of four, e.g. `RF18 5390 0754 7034`: easier to copy by hand.
    pub fn printed(&self) -> String {
        group4(&self.0)
    }
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
    use serde::de::value::{Error as DeError, StringDeserializer};

    /// The same remainder computed another way: letters expanded, then one u128 division.
    fn mod97_u128(s: &str) -> u32 {
        let digits: String = s
            .chars()
            .map(|c| c.to_digit(36).unwrap().to_string())
            .collect();
        (digits.parse::<u128>().unwrap() % 97) as u32
    }

    #[test]
    fn the_standards_example() {
        // ISO 11649's example: body 539007547034; "RF00" moved to the end and R=27, F=15 give
        // 539007547034271500, which is 97 × 5556778835817231 + 80, so the check is 98 − 80 = 18.
        assert_eq!(539_007_547_034_271_500u64 % 97, 80);
        assert_eq!(mod97("539007547034RF00"), Some(80));
        let r = RfReference::from_body("539007547034").unwrap();
        assert_eq!(r.as_str(), "RF18539007547034");
        assert_eq!(r.printed(), "RF18 5390 0754 7034");
        assert_eq!(r.to_string(), "RF18539007547034");
        assert_eq!(RfReference::parse("rf18 5390 0754 7034"), Ok(r));
    }

    #[test]
    fn leading_zeros_and_the_longest_body() {
        // Leading zeros do not change the number, so the check digits stay 18; 25 characters in all.
        let r = RfReference::from_body("000000000539007547034").unwrap();
        assert_eq!(r.printed(), "RF18 0000 0000 0539 0075 4703 4");
        assert_eq!(RfReference::parse("RF18 0000 0000 0539 0075 4703 4"), Ok(r));
        // Another published example: 2348231 + RF00 → 2348231271500 ≡ 27 (mod 97), 98 − 27 = 71.
        assert_eq!(2_348_231_271_500u64 % 97, 27);
        assert_eq!(
            RfReference::from_body("2348231").unwrap().as_str(),
            "RF712348231"
        );
    }

    #[test]
    fn mistyped_and_malformed_references_are_refused() {
        assert_eq!(
            RfReference::parse("RF19 5390 0754 7034"),
            Err(RfError::BadCheckDigits)
        );
        assert_eq!(
            RfReference::parse("RF18 5390 0754 7035"),
            Err(RfError::BadCheckDigits)
        );
        assert_eq!(
            RfReference::parse("RF18 5390 0754 7043"),
            Err(RfError::BadCheckDigits),
            "two digits swapped"
        );
        assert_eq!(
            RfReference::parse("XX18539007547034"),
            Err(RfError::BadFormat)
        );
        assert_eq!(RfReference::parse("RF1"), Err(RfError::BadFormat));
        assert_eq!(RfReference::parse("RF18-5390"), Err(RfError::BadFormat));
        assert_eq!(
            RfReference::parse("RFé85390"),
            Err(RfError::BadFormat),
            "non-ASCII is refused, not a panic"
        );
        assert_eq!(
            RfReference::parse(&format!("RF18{}", "0".repeat(22))),
            Err(RfError::BadFormat),
            "25 characters at most"
        );
        assert_eq!(RfReference::from_body(""), Err(RfError::BadBody));
        assert_eq!(
            RfReference::from_body(&"A".repeat(22)),
            Err(RfError::BadBody)
        );
        assert_eq!(RfReference::from_body("AB-12"), Err(RfError::BadBody));
        assert_eq!(RfReference::from_body("ÀB12"), Err(RfError::BadBody));
    }

    #[test]
    fn check_digits_outside_02_to_98_are_refused() {
        // RF98 and RF01 both satisfy mod 97 = 1 for a body whose remainder is 0; only RF98 is issued.
        let body = (1..)
            .map(|n: u32| n.to_string())
            .find(|b| mod97(&format!("{b}RF00")) == Some(0))
            .unwrap();
        assert_eq!(
            RfReference::from_body(&body).unwrap().as_str(),
            format!("RF98{body}")
        );
        assert_eq!(mod97(&format!("{body}RF01")), Some(1));
        assert_eq!(
            RfReference::parse(&format!("RF01{body}")),
            Err(RfError::BadCheckDigits)
        );
    }

    #[test]
    fn deserialising_checks_the_reference() {
        let ok = RfReference::deserialize(StringDeserializer::<DeError>::new(
            "RF18539007547034".into(),
        ));
        assert_eq!(ok.unwrap().as_str(), "RF18539007547034");
        assert!(
            RfReference::deserialize(StringDeserializer::<DeError>::new(
                "RF19539007547034".into()
            ))
            .is_err()
        );
    }

    proptest! {
        #[test]
        fn every_body_round_trips(body in "[A-Za-z0-9]{1,21}") {
            let r = RfReference::from_body(&body).unwrap();
            prop_assert!(r.as_str().len() <= 25);
            prop_assert_eq!(&r.as_str()[4..], body.to_ascii_uppercase());
            prop_assert_eq!(RfReference::parse(&r.printed()), Ok(r.clone()));
            prop_assert_eq!(RfReference::parse(&r.as_str().to_lowercase()), Ok(r));
        }

        #[test]
        fn any_single_changed_digit_or_letter_is_caught(body in "[A-Z0-9]{1,21}", pos in any::<prop::sample::Index>(), digit in 0u8..10, letter in 0u8..26) {
            // Mod 97 catches every digit for digit or letter for letter substitution (a letter for a
            // digit changes the length of the number, which mod 97 does not always see).
            let r = RfReference::from_body(&body).unwrap();
            let i = 2 + pos.index(r.as_str().len() - 2);
            let old = r.as_str().as_bytes()[i];
            let new = if old.is_ascii_digit() { b'0' + digit } else { b'A' + letter };
            prop_assume!(new != old);
            let mut s = r.as_str().as_bytes().to_vec();
            s[i] = new;
            let s = String::from_utf8(s).unwrap();
            prop_assert!(RfReference::parse(&s).is_err(), "{} accepted", s);
        }

        #[test]
        fn streaming_remainder_matches_plain_division(s in "[A-Z0-9]{0,18}") {
            prop_assert_eq!(mod97(&s), Some(mod97_u128(&format!("0{s}"))));
        }
    }
}
