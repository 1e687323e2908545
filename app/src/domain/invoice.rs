//! The life of an invoice: one state machine that every capability reads and moves.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentKind {
    Invoice,
    CreditNote,
}

/// States from PRODUCT.md. A partly paid invoice stays `Open` for its remainder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoiceStatus {
    Open,
    Promised,
    Scheduled,
    Disputed,
    Paid,
    /// Written off, or handed over to litigation.
    ClosedOtherwise,
}

/// How far the reminder scenario has escalated for an open invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ReminderLevel {
    PreDue,
    FirstReminder,
    SecondReminder,
    PhoneCall,
    FormalNotice,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} “{value}”")]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
}

macro_rules! string_enum {
    ($ty:ident, $what:literal, { $($variant:ident => $s:literal),+ $(,)? }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Result<Self, UnknownValue> {
                match s {
                    $($s => Ok(Self::$variant),)+
                    _ => Err(UnknownValue { what: $what, value: s.chars().take(40).collect() }),
                }
            }
        }
    };
}

string_enum!(DocumentKind, "document kind", { Invoice => "invoice", CreditNote => "credit_note" });
string_enum!(InvoiceStatus, "invoice status", {
    Open => "open", Promised => "promised", Scheduled => "scheduled",
    Disputed => "disputed", Paid => "paid", ClosedOtherwise => "closed",
});
string_enum!(ReminderLevel, "reminder level", {
    PreDue => "pre_due", FirstReminder => "first", SecondReminder => "second",
    PhoneCall => "phone", FormalNotice => "formal_notice",
});

impl InvoiceStatus {
    /// Whether the item still belongs on the debtor's statement of open items.
    pub fn is_outstanding(self) -> bool {
        !matches!(self, Self::Paid | Self::ClosedOtherwise)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_stored_names() {
        for s in [
            InvoiceStatus::Open,
            InvoiceStatus::Promised,
            InvoiceStatus::Scheduled,
            InvoiceStatus::Disputed,
            InvoiceStatus::Paid,
            InvoiceStatus::ClosedOtherwise,
        ] {
            assert_eq!(InvoiceStatus::parse(s.as_str()), Ok(s));
        }
        assert!(InvoiceStatus::parse("OPEN").is_err());
    }

    #[test]
    fn only_paid_and_closed_leave_the_statement() {
        assert!(InvoiceStatus::Disputed.is_outstanding());
        assert!(!InvoiceStatus::Paid.is_outstanding());
        assert!(!InvoiceStatus::ClosedOtherwise.is_outstanding());
    }
}
