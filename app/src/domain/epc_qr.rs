//! The EPC QR code ("SEPA QR", EPC069-12, version 002) that banking apps scan to fill in a
//! credit transfer: beneficiary, IBAN, amount and reference.

use super::iban::{Bic, Iban};
use super::money::{Currency, Money};
use super::rf::RfReference;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpcTransfer {
    /// Optional in version 002 inside the EEA.
    pub bic: Option<Bic>,
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

const MAX_PAYLOAD_BYTES: usize = 331;

impl EpcTransfer {
    /// The text encoded in the QR code: one element per line, trailing empty elements left out.
    pub fn payload(&self) -> Result<String, EpcError> {
        let one_line = |s: &str| !s.contains(['\n', '\r']);
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 70 || !one_line(name) {
            return Err(EpcError::Name);
        }
        if self.amount.currency != Currency::Eur {
            return Err(EpcError::NotEuro);
        }
        if self.amount.minor < 1 || self.amount.minor > 99_999_999_999 {
            return Err(EpcError::Amount);
        }
        if self.reference.is_some() && self.text.is_some() {
            return Err(EpcError::BothReferences);
        }
        if let Some(t) = &self.text {
            if t.chars().count() > 140 || !one_line(t) {
                return Err(EpcError::Text);
            }
        }
        let amount = format!("EUR{}.{:02}", self.amount.minor / 100, self.amount.minor % 100);
        let mut lines = vec![
            "BCD".to_string(),
            "002".into(),
            "1".into(), // UTF-8
            "SCT".into(),
            self.bic.as_ref().map(|b| b.to_string()).unwrap_or_default(),
            name.to_string(),
            self.iban.as_str().to_string(),
            amount,
            String::new(), // purpose code
            self.reference.as_ref().map(|r| r.as_str().to_string()).unwrap_or_default(),
            self.text.clone().unwrap_or_default(),
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

    #[test]
    fn every_field_in_its_place() {
        let p = transfer().payload().unwrap();
        assert_eq!(
            p.split('\n').collect::<Vec<_>>(),
            ["BCD", "002", "1", "SCT", "AGRIFRPP", "Équipements Durand SAS", "FR7630006000011234567890189", "EUR1234.56", "", "RF18539007547034"]
        );
    }

    #[test]
    fn optional_elements_are_empty_lines_or_left_out_at_the_end() {
        let mut t = transfer();
        t.bic = None;
        t.reference = None;
        t.text = Some("Factures F-1 et F-2".into());
        assert_eq!(t.payload().unwrap().split('\n').collect::<Vec<_>>()[4], "");
        assert!(t.payload().unwrap().ends_with("\n\n\nFactures F-1 et F-2"));
        t.text = None;
        assert!(t.payload().unwrap().ends_with("EUR1234.56"));
        t.amount = Money::new(5, Currency::Eur);
        assert!(t.payload().unwrap().ends_with("EUR0.05"));
    }

    #[test]
    fn limits_of_the_specification() {
        let mut t = transfer();
        t.name = "N".repeat(70);
        assert!(t.payload().is_ok());
        t.name = "N".repeat(71);
        assert_eq!(t.payload(), Err(EpcError::Name));
        t.name = "A\nB".into();
        assert_eq!(t.payload(), Err(EpcError::Name));
        let mut t = transfer();
        t.amount = Money::new(0, Currency::Eur);
        assert_eq!(t.payload(), Err(EpcError::Amount));
        t.amount = Money::new(100_000_000_000, Currency::Eur);
        assert_eq!(t.payload(), Err(EpcError::Amount));
        t.amount = Money::new(99_999_999_999, Currency::Eur);
        assert!(t.payload().unwrap().contains("EUR999999999.99"));
        t.amount = Money::new(100, Currency::Gbp);
        assert_eq!(t.payload(), Err(EpcError::NotEuro));
        let mut t = transfer();
        t.text = Some("x".into());
        assert_eq!(t.payload(), Err(EpcError::BothReferences));
        t.reference = None;
        t.text = Some("x".repeat(141));
        assert_eq!(t.payload(), Err(EpcError::Text));
        t.text = Some("é".repeat(140));
        // 140 characters but 280 bytes: together with the rest, over the 331-byte limit.
        assert_eq!(t.payload(), Err(EpcError::TooLong));
    }
}
