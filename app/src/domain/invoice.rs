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

    /// Whether this move may start from this state.
    pub fn may(self, m: Move) -> bool {
        m.from().contains(&self)
    }

    /// The states money the debtor sends may settle: not while an invoice is contested (a
    /// payment then waits as a credit until the dispute is resolved).
    pub const PAYABLE: [InvoiceStatus; 3] = [Self::Open, Self::Promised, Self::Scheduled];

    pub fn is_payable(self) -> bool {
        Self::PAYABLE.contains(&self)
    }
}

/// What moves an invoice from one state to another: the one transition table. Every capability
/// moves invoices only through these, and storage guards each move with its `from` states, so
/// a move that lost a race (the invoice was paid or contested meanwhile) changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// A payment schedule covering it is accepted.
    Schedule,
    /// Its schedule ended before it was paid (broken): it is chased again.
    Unschedule,
    /// Its schedule was paid in full: it is settled.
    CompleteSchedule,
    /// The debtor contests it.
    Contest,
    /// Its dispute is resolved: what no credit note settled is owed again.
    Resolve,
    /// Payments and credits allocated to it reach its amount.
    Settle,
    /// The amicable phase ended without result: handed over to litigation or written off.
    Close,
}

impl Move {
    pub fn from(self) -> &'static [InvoiceStatus] {
        use InvoiceStatus::*;
        match self {
            Move::Schedule | Move::Contest => &[Open, Promised],
            Move::Unschedule | Move::CompleteSchedule => &[Scheduled],
            Move::Resolve => &[Disputed],
            Move::Settle => &InvoiceStatus::PAYABLE,
            Move::Close => &[Open, Promised],
        }
    }

    pub fn to(self) -> InvoiceStatus {
        match self {
            Move::Schedule => InvoiceStatus::Scheduled,
            Move::CompleteSchedule => InvoiceStatus::Paid,
            Move::Contest => InvoiceStatus::Disputed,
            Move::Unschedule | Move::Resolve => InvoiceStatus::Open,
            Move::Settle => InvoiceStatus::Paid,
            Move::Close => InvoiceStatus::ClosedOtherwise,
        }
    }

    pub const ALL: [Move; 7] = [
        Move::Schedule,
        Move::Unschedule,
        Move::CompleteSchedule,
        Move::Contest,
        Move::Resolve,
        Move::Settle,
        Move::Close,
    ];
}

/// One invoice's state and money as moves and payments leave them: the model of what storage
/// does, which the property tests drive with any sequence of events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ledger {
    pub status: InvoiceStatus,
    pub total_minor: i64,
    pub settled_minor: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerEvent {
    Move(Move),
    /// Money allocated to the invoice (a payment or a credit note).
    Allocate(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("this move cannot start from {0:?}")]
    NotFrom(InvoiceStatus),
    #[error("the amount must be above zero and at most what remains")]
    Amount,
}

impl Ledger {
    pub fn new(total_minor: i64) -> Self {
        Self {
            status: InvoiceStatus::Open,
            total_minor,
            settled_minor: 0,
        }
    }

    pub fn remaining_minor(&self) -> i64 {
        self.total_minor - self.settled_minor
    }

    /// Applies one event, or refuses it and changes nothing.
    pub fn apply(&mut self, e: LedgerEvent) -> Result<(), Refused> {
        match e {
            LedgerEvent::Move(m) => {
                if !self.status.may(m) {
                    return Err(Refused::NotFrom(self.status));
                }
                // Settling is the allocations' doing (a completed schedule's too): only when
                // nothing remains.
                if matches!(m, Move::Settle | Move::CompleteSchedule) && self.remaining_minor() > 0
                {
                    return Err(Refused::Amount);
                }
                self.status = m.to();
            }
            LedgerEvent::Allocate(amount) => {
                if !self.status.is_payable() {
                    return Err(Refused::NotFrom(self.status));
                }
                if amount <= 0 || amount > self.remaining_minor() {
                    return Err(Refused::Amount);
                }
                self.settled_minor += amount;
                if self.remaining_minor() == 0 {
                    self.status = Move::Settle.to();
                }
            }
        }
        Ok(())
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
    fn moves_start_only_from_their_states() {
        use InvoiceStatus::*;
        assert!(Open.may(Move::Schedule) && Promised.may(Move::Schedule));
        assert!(
            !Disputed.may(Move::Schedule)
                && !Scheduled.may(Move::Schedule)
                && !Paid.may(Move::Schedule)
        );
        assert!(!Scheduled.may(Move::Contest) && Open.may(Move::Contest));
        assert!(Disputed.may(Move::Resolve) && !Open.may(Move::Resolve));
        assert_eq!(
            (Move::Schedule.to(), Move::Contest.to(), Move::Resolve.to()),
            (Scheduled, Disputed, Open)
        );
        // Money for a contested invoice waits as a credit.
        assert!(Scheduled.is_payable() && !Disputed.is_payable() && !Paid.is_payable());
    }

    #[test]
    fn a_closed_or_paid_invoice_moves_no_more() {
        use InvoiceStatus::*;
        for m in Move::ALL {
            assert!(!Paid.may(m) && !ClosedOtherwise.may(m), "{m:?}");
        }
        assert!(Open.may(Move::Close) && !Disputed.may(Move::Close) && !Scheduled.may(Move::Close));
    }

    fn event() -> impl proptest::strategy::Strategy<Value = LedgerEvent> {
        use proptest::prelude::*;
        prop_oneof![
            (0..Move::ALL.len()).prop_map(|i| LedgerEvent::Move(Move::ALL[i])),
            (-50i64..5_000).prop_map(LedgerEvent::Allocate),
        ]
    }

    proptest::proptest! {
        /// No sequence of events loses an amount or reaches an illegal state: what is settled
        /// never exceeds the total and never shrinks; paid exactly when nothing remains; a
        /// refused event changes nothing; nothing moves a paid or closed invoice.
        #[test]
        fn no_sequence_of_events_reaches_an_illegal_state(
            total in 1i64..10_000,
            events in proptest::collection::vec(event(), 0..40)
        ) {
            let mut l = Ledger::new(total);
            for e in events {
                let before = l;
                match l.apply(e) {
                    Err(_) => proptest::prop_assert_eq!(l, before),
                    Ok(()) => {
                        proptest::prop_assert!(l.settled_minor >= before.settled_minor);
                        proptest::prop_assert!(before.status.is_outstanding(), "{:?} moved", before.status);
                    }
                }
                proptest::prop_assert!(l.settled_minor <= l.total_minor && l.settled_minor >= 0);
                // Paid exactly when nothing remains.
                proptest::prop_assert_eq!(l.remaining_minor() == 0, l.status == InvoiceStatus::Paid);
            }
        }
    }

    #[test]
    fn only_paid_and_closed_leave_the_statement() {
        assert!(InvoiceStatus::Disputed.is_outstanding());
        assert!(!InvoiceStatus::Paid.is_outstanding());
        assert!(!InvoiceStatus::ClosedOtherwise.is_outstanding());
    }
}
