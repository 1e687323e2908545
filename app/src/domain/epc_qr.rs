//! The EPC QR code ("SEPA QR", EPC069-12, version 002) that banking apps scan to fill in a
//! credit transfer: beneficiary, IBAN, amount and reference.

use super::iban::{Bic, Iban};
use super::money::{Currency, Money};
use super::rf::RfReference;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpcTransfer {
    /// Optional in version 002 inside the EEA.
    pub bic: Option<Bic>,
    /// The beneficiary (the creditor), as the debtor's bank will show it.
    pub name: String,
    pub iban: Iban,
    pub amount: Money,
    /// A structured reference, or else…
    pub reference: Option<RfReference>,
    /// …an unstructured remittance text; never both.
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EpcError {
    #[error("the beneficiary name must be 1 to 70 characters on one line")]
    Name,
    #[error("SEPA transfers are in euros")]
    NotEuro,
    #[error("the amount must be between 0.01 and 999,999,999.99 euros")]
    Amount,
    #[error("a transfer carries a structured reference or a text, not both")]
    BothReferences,
    #[error("the remittance text must be at most 140 characters on one line")]
    Text,
    #[error("the QR payload would exceed 331 bytes")]
    TooLong,
}

/// Limits of EPC069-12: name 70 characters, text 140, whole payload 331 bytes, amount in cents.
const MAX_NAME: usize = 70;
const MAX_TEXT: usize = 140;
const MAX_PAYLOAD_BYTES: usize = 331;
const MAX_AMOUNT_CENTS: i64 = 99_999_999_999;

/// One line of the payload: a control character (line break, tab…) would shift every field after it.
fn fits(s: &str, max_chars: usize) -> bool {
    s.chars().count() <= max_chars && !s.chars().any(char::is_control)
}

impl EpcTransfer {
    /// The text encoded in the QR code: one element per line, trailing empty elements left out.
    pub fn payload(&self) -> Result<String, EpcError> {
        let name = self.name.trim();
        if name.is_empty() || !fits(name, MAX_NAME) {
            return Err(EpcError::Name);
        }
        if self.amount.currency != Currency::Eur {
            return Err(EpcError::NotEuro);
        }
        if !(1..=MAX_AMOUNT_CENTS).contains(&self.amount.minor) {
            return Err(EpcError::Amount);
        }
        // An empty text is no text: nothing would be lost by leaving it out.
        let text = self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        if self.reference.is_some() && text.is_some() {
            return Err(EpcError::BothReferences);
        }
        if text.is_some_and(|t| !fits(t, MAX_TEXT)) {
            return Err(EpcError::Text);
        }
        let mut lines = vec![
            "BCD".to_string(),
            "002".into(),
            "1".into(), // character set: UTF-8
            "SCT".into(),
            self.bic.as_ref().map(|b| b.to_string()).unwrap_or_default(),
            name.to_string(),
            self.iban.as_str().to_string(),
            // Always two decimals ("EUR12.50"): the spec allows it and it reads as an amount.
            format!("EUR{}", self.amount.to_decimal_string()),
            String::new(), // purpose code: none
            self.reference
                .as_ref()
                .map(|r| r.as_str().to_string())
                .unwrap_or_default(),
            text.unwrap_or_default().to_string(),
            // Beneficiary-to-originator information (element 12) is never sent.
        ];
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        let payload = lines.join("\n");
        if payload.len() > MAX_PAYLOAD_BYTES {
            return Err(EpcError::TooLong);
        }
        Ok(payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transfer() -> EpcTransfer {
        EpcTransfer {
            bic: Some(Bic::parse("AGRIFRPP").unwrap()),
            name: "Équipements Durand SAS".into(),
            iban: Iban::parse("FR7630006000011234567890189").unwrap(),
            amount: Money::new(123_456, Currency::Eur),
            reference: Some(RfReference::from_body("539007547034").unwrap()),
            text: None,
        }
    }

    fn lines(t: &EpcTransfer) -> Vec<String> {
        t.payload().unwrap().split('\n').map(String::from).collect()
    }

    #[test]
    fn every_field_in_its_place() {
        let p = transfer().payload().unwrap();
        assert!(!p.ends_with('\n') && !p.contains('\r'));
        assert_eq!(
            p.split('\n').collect::<Vec<_>>(),
            [
                "BCD",                         // 1 service tag
                "002",                         // 2 version
                "1",                           // 3 character set UTF-8
                "SCT",                         // 4 identification
                "AGRIFRPP",                    // 5 BIC
                "Équipements Durand SAS",      // 6 name
                "FR7630006000011234567890189", // 7 IBAN, electronic form
                "EUR1234.56",                  // 8 amount
                "",                            // 9 purpose
                "RF18539007547034",            // 10 structured reference
            ]
        );
    }

    #[test]
    fn optional_elements_are_empty_lines_or_left_out_at_the_end() {
        let mut t = transfer();
        t.bic = None;
        t.reference = None;
        t.text = Some("Factures F-1 et F-2".into());
        let l = lines(&t);
        assert_eq!(l.len(), 11);
        assert_eq!(
            (l[4].as_str(), l[9].as_str(), l[10].as_str()),
            ("", "", "Factures F-1 et F-2")
        );
        t.text = None;
        assert_eq!(lines(&t).len(), 8, "nothing after the amount");
        assert!(t.payload().unwrap().ends_with("\nEUR1234.56"));
        t.text = Some("  ".into());
        assert_eq!(lines(&t).len(), 8, "a blank text is no text");
    }

    #[test]
    fn amounts_have_a_point_and_two_decimals_within_the_bounds() {
        let mut t = transfer();
        for (cents, shown) in [
            (1, "EUR0.01"),
            (5, "EUR0.05"),
            (1_250, "EUR12.50"),
            (99_999_999_999, "EUR999999999.99"),
        ] {
            t.amount = Money::new(cents, Currency::Eur);
            assert_eq!(lines(&t)[7], shown);
        }
        for cents in [0, -100, 100_000_000_000] {
            t.amount = Money::new(cents, Currency::Eur);
            assert_eq!(t.payload(), Err(EpcError::Amount), "{cents}");
        }
        for currency in [Currency::Gbp, Currency::Chf, Currency::Usd] {
            t.amount = Money::new(100, currency);
            assert_eq!(t.payload(), Err(EpcError::NotEuro));
        }
    }

    #[test]
    fn the_name_has_1_to_70_characters_on_one_line() {
        let mut t = transfer();
        t.name = "É".repeat(70);
        assert_eq!(
            lines(&t)[5],
            "É".repeat(70),
            "70 characters, even of two bytes each"
        );
        t.name = "N".repeat(71);
        assert_eq!(t.payload(), Err(EpcError::Name));
        for bad in ["", "   ", "A\nB", "A\rB", "A\tB"] {
            t.name = bad.into();
            assert_eq!(t.payload(), Err(EpcError::Name), "{bad:?}");
        }
    }

    #[test]
    fn a_reference_or_a_text_of_at_most_140_characters_never_both() {
        let mut t = transfer();
        t.text = Some("x".into());
        assert_eq!(t.payload(), Err(EpcError::BothReferences));
        t.reference = None;
        t.text = Some("x".repeat(140));
        assert_eq!(lines(&t)[10], "x".repeat(140));
        t.text = Some("x".repeat(141));
        assert_eq!(t.payload(), Err(EpcError::Text));
        t.text = Some("Facture\nF-1".into());
        assert_eq!(t.payload(), Err(EpcError::Text));
        // The longest RF reference (25) is well within the spec's 35.
        t.text = None;
        t.reference = Some(RfReference::from_body(&"9".repeat(21)).unwrap());
        assert_eq!(lines(&t)[9].len(), 25);
    }

    #[test]
    fn the_payload_is_at_most_331_bytes() {
        // 140 characters of text but two bytes each: fill with "é", then pad the name in ASCII
        // to land exactly on 331 bytes.
        let mut t = transfer();
        t.reference = None;
        t.name = "N".into();
        t.text = Some("é".repeat(130));
        let base = t.payload().unwrap().len();
        assert!(base < 331 && 331 - base < 70, "{base}");
        t.name = "N".repeat(1 + 331 - base);
        assert_eq!(t.payload().unwrap().len(), 331);
        t.name.push('N');
        assert_eq!(t.payload(), Err(EpcError::TooLong));
    }
}
