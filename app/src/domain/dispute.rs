//! Disputes (litiges): what a debtor contests and why, and how an agent resolves it. Pure: the
//! server reads the debtor's form and the agent's decision through these functions.

use super::money::Money;
use super::payment::{PayError, parse_amount_input};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest message, reply or explanation, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DisputeReason {
    BillingError,
    NotReceived,
    Delivery,
    Quality,
    Price,
    AlreadyPaid,
    Other,
}

impl DisputeReason {
    pub const ALL: [Self; 7] = [
        Self::BillingError,
        Self::NotReceived,
        Self::Delivery,
        Self::Quality,
        Self::Price,
        Self::AlreadyPaid,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::BillingError => "billing_error",
            Self::NotReceived => "not_received",
            Self::Delivery => "delivery",
            Self::Quality => "quality",
            Self::Price => "price",
            Self::AlreadyPaid => "already_paid",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DisputeStatus {
    Open,
    Accepted,
    PartlyAccepted,
    Rejected,
}

impl DisputeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Accepted => "accepted",
            Self::PartlyAccepted => "partly_accepted",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Open,
            Self::Accepted,
            Self::PartlyAccepted,
            Self::Rejected,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// An invoice the debtor may contest: an open invoice (not paid, not in a schedule, not
/// contested already) with something left to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestableInvoice {
    pub id: String,
    pub number: String,
    pub remaining: Money,
}

/// What the debtor filled in: invoice ids ticked, and an amount per invoice when only part of
/// it is contested (empty: all of what is left).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeInput {
    pub invoices: Vec<String>,
    pub amounts: Vec<(String, String)>,
    pub reason: String,
    pub message: String,
    pub paid_on: String,
}

/// A dispute that stands: each invoice with the amount contested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeRequest {
    pub invoices: Vec<(ContestableInvoice, Money)>,
    pub reason: DisputeReason,
    pub message: String,
    pub paid_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum DisputeError {
    #[error("choose at least one invoice")]
    NoInvoice,
    #[error(
        "an invoice chosen cannot be contested now (paid, in a schedule, or contested already)"
    )]
    NotContestable,
    #[error("invoice {0}: {1}")]
    Amount(String, PayError),
    #[error("invoice {0}: the amount is more than what is left on it")]
    AmountAbove(String),
    #[error("choose a reason")]
    Reason,
    #[error("write a message")]
    MessageEmpty,
    #[error("the message is longer than {MAX_TEXT_CHARS} characters")]
    MessageTooLong,
    #[error("give the date you paid")]
    PaidOn,
    #[error("invoices in different currencies cannot be contested together")]
    Currencies,
}

/// A text a person wrote, trimmed; refused when empty or too long.
pub fn read_text(text: &str) -> Result<String, DisputeError> {
    let t = text.trim();
    if t.is_empty() {
        Err(DisputeError::MessageEmpty)
    } else if t.chars().count() > MAX_TEXT_CHARS {
        Err(DisputeError::MessageTooLong)
    } else {
        Ok(t.to_string())
    }
}

pub fn read_dispute(
    input: &DisputeInput,
    contestable: &[ContestableInvoice],
    today: NaiveDate,
) -> Result<DisputeRequest, DisputeError> {
    let mut chosen: Vec<&str> = input.invoices.iter().map(String::as_str).collect();
    chosen.sort_unstable();
    chosen.dedup();
    if chosen.is_empty() {
        return Err(DisputeError::NoInvoice);
    }
    let mut invoices = Vec::new();
    for id in chosen {
        let inv = contestable
            .iter()
            .find(|c| c.id == id)
            .ok_or(DisputeError::NotContestable)?;
        let typed = input
            .amounts
            .iter()
            .find(|(i, _)| i == id)
            .map_or("", |(_, a)| a.trim());
        let amount = if typed.is_empty() {
            inv.remaining
        } else {
            let a = parse_amount_input(typed, inv.remaining.currency)
                .map_err(|e| DisputeError::Amount(inv.number.clone(), e))?;
            if a.minor > inv.remaining.minor {
                return Err(DisputeError::AmountAbove(inv.number.clone()));
            }
            a
        };
        invoices.push((inv.clone(), amount));
    }
    if invoices
        .iter()
        .any(|(i, _)| i.remaining.currency != invoices[0].0.remaining.currency)
    {
        return Err(DisputeError::Currencies);
    }
    let reason = DisputeReason::parse(input.reason.trim()).ok_or(DisputeError::Reason)?;
    let message = read_text(&input.message)?;
    let paid_on = if reason == DisputeReason::AlreadyPaid {
        let d = NaiveDate::parse_from_str(input.paid_on.trim(), "%Y-%m-%d")
            .map_err(|_| DisputeError::PaidOn)?;
        if d > today {
            return Err(DisputeError::PaidOn);
        }
        Some(d)
    } else {
        None
    };
    Ok(DisputeRequest {
        invoices,
        reason,
        message,
        paid_on,
    })
}

/// How an agent closes a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// All that was contested is credited.
    Accepted,
    /// This much of it is credited; the rest is owed again.
    PartlyAccepted(Money),
    /// Nothing is credited: the invoices are owed again.
    Rejected,
}

impl Outcome {
    pub fn status(self) -> DisputeStatus {
        match self {
            Self::Accepted => DisputeStatus::Accepted,
            Self::PartlyAccepted(_) => DisputeStatus::PartlyAccepted,
            Self::Rejected => DisputeStatus::Rejected,
        }
    }

    /// What is credited, out of `contested`.
    pub fn credit(self, contested: Money) -> Money {
        match self {
            Self::Accepted => contested,
            Self::PartlyAccepted(m) => m,
            Self::Rejected => Money::zero(contested.currency),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ResolveError {
    #[error("choose an outcome")]
    Outcome,
    #[error("{0}")]
    Amount(PayError),
    #[error(
        "a partly accepted dispute credits more than nothing and less than all that was contested"
    )]
    PartOutOfRange,
    #[error("explain the decision to the debtor")]
    Explanation,
    #[error("the explanation is longer than {MAX_TEXT_CHARS} characters")]
    TooLong,
}

/// Reads an agent's decision; an explanation is required unless all is accepted.
pub fn read_outcome(
    outcome: &str,
    amount: &str,
    explanation: &str,
    contested: Money,
) -> Result<(Outcome, String), ResolveError> {
    let outcome = match outcome {
        "accepted" => Outcome::Accepted,
        "rejected" => Outcome::Rejected,
        "partly_accepted" => {
            let m = parse_amount_input(amount, contested.currency).map_err(ResolveError::Amount)?;
            if m.minor >= contested.minor {
                return Err(ResolveError::PartOutOfRange);
            }
            Outcome::PartlyAccepted(m)
        }
        _ => return Err(ResolveError::Outcome),
    };
    let text = explanation.trim();
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ResolveError::TooLong);
    }
    if text.is_empty() && outcome != Outcome::Accepted {
        return Err(ResolveError::Explanation);
    }
    Ok((outcome, text.to_string()))
}

/// The number of the `n`-th credit note (from 1) a dispute's resolution makes: `AV-` and the
/// end of the dispute's id, so a debtor and an agent can quote it and find the dispute.
pub fn credit_note_number(dispute_id: &str, n: usize) -> String {
    let tail: String = dispute_id
        .chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("AV-{}-{n}", tail.to_uppercase())
}

/// Spreads a credit over the contested invoices in order, never more than each one's part.
pub fn spread_credit(credit: Money, parts: &[(String, Money)]) -> Vec<(String, Money)> {
    let mut left = credit.minor;
    parts
        .iter()
        .map(|(id, part)| {
            let take = left.min(part.minor).max(0);
            left -= take;
            (id.clone(), Money::new(take, credit.currency))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_notes_are_numbered_after_their_dispute() {
        assert_eq!(
            credit_note_number("0192b3c4-d5e6-7f80-9a1b-2c3d4e5f6a7b", 1),
            "AV-4E5F6A7B-1"
        );
        assert_eq!(
            credit_note_number("0192b3c4-d5e6-7f80-9a1b-2c3d4e5f6a7b", 2),
            "AV-4E5F6A7B-2"
        );
    }
    use crate::domain::money::Currency;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::Eur)
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn open() -> Vec<ContestableInvoice> {
        vec![
            ContestableInvoice {
                id: "a".into(),
                number: "F-1".into(),
                remaining: eur(10_000),
            },
            ContestableInvoice {
                id: "b".into(),
                number: "F-2".into(),
                remaining: eur(2_500),
            },
        ]
    }

    fn input(invoices: &[&str], reason: &str) -> DisputeInput {
        DisputeInput {
            invoices: invoices.iter().map(|s| s.to_string()).collect(),
            reason: reason.into(),
            message: "  La livraison n’est jamais arrivée.  ".into(),
            ..Default::default()
        }
    }

    #[test]
    fn whole_invoices_or_part_of_one() {
        let today = day("2026-12-01");
        let r = read_dispute(&input(&["b", "a", "a"], "not_received"), &open(), today).unwrap();
        assert_eq!(
            r.invoices
                .iter()
                .map(|(i, m)| (i.number.as_str(), m.minor))
                .collect::<Vec<_>>(),
            vec![("F-1", 10_000), ("F-2", 2_500)]
        );
        assert_eq!(r.message, "La livraison n’est jamais arrivée.");
        let mut part = input(&["a"], "price");
        part.amounts = vec![("a".into(), "12,50".into())];
        assert_eq!(
            read_dispute(&part, &open(), today).unwrap().invoices[0].1,
            eur(1_250)
        );
        part.amounts = vec![("a".into(), "100,01".into())];
        assert_eq!(
            read_dispute(&part, &open(), today),
            Err(DisputeError::AmountAbove("F-1".into()))
        );
        part.amounts = vec![("a".into(), "0".into())];
        assert!(matches!(
            read_dispute(&part, &open(), today),
            Err(DisputeError::Amount(_, _))
        ));
    }

    #[test]
    fn what_cannot_stand_is_named() {
        let today = day("2026-12-01");
        assert_eq!(
            read_dispute(&input(&[], "other"), &open(), today),
            Err(DisputeError::NoInvoice)
        );
        assert_eq!(
            read_dispute(&input(&["paid-or-someone-elses"], "other"), &open(), today),
            Err(DisputeError::NotContestable)
        );
        assert_eq!(
            read_dispute(&input(&["a"], "because"), &open(), today),
            Err(DisputeError::Reason)
        );
        let mut empty = input(&["a"], "other");
        empty.message = " \n ".into();
        assert_eq!(
            read_dispute(&empty, &open(), today),
            Err(DisputeError::MessageEmpty)
        );
        empty.message = "x".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(
            read_dispute(&empty, &open(), today),
            Err(DisputeError::MessageTooLong)
        );
        let mut paid = input(&["a"], "already_paid");
        assert_eq!(
            read_dispute(&paid, &open(), today),
            Err(DisputeError::PaidOn)
        );
        paid.paid_on = "2026-12-02".into();
        assert_eq!(
            read_dispute(&paid, &open(), today),
            Err(DisputeError::PaidOn),
            "not in the future"
        );
        paid.paid_on = "2026-11-20".into();
        assert_eq!(
            read_dispute(&paid, &open(), today).unwrap().paid_on,
            Some(day("2026-11-20"))
        );
        let mut usd = open();
        usd[1].remaining = Money::new(2_500, Currency::Usd);
        assert_eq!(
            read_dispute(&input(&["a", "b"], "other"), &usd, today),
            Err(DisputeError::Currencies)
        );
    }

    #[test]
    fn outcomes_and_their_credit() {
        let contested = eur(12_500);
        assert_eq!(
            read_outcome("accepted", "", "", contested),
            Ok((Outcome::Accepted, String::new()))
        );
        assert_eq!(
            read_outcome("rejected", "", "", contested),
            Err(ResolveError::Explanation)
        );
        assert_eq!(
            read_outcome("partly_accepted", "125", "Geste commercial", contested),
            Err(ResolveError::PartOutOfRange)
        );
        let (o, _) = read_outcome("partly_accepted", "30", "Geste commercial", contested).unwrap();
        assert_eq!(o.credit(contested), eur(3_000));
        assert_eq!(
            read_outcome("maybe", "", "x", contested),
            Err(ResolveError::Outcome)
        );
        assert_eq!(
            spread_credit(
                eur(11_000),
                &[("a".into(), eur(10_000)), ("b".into(), eur(2_500))]
            ),
            vec![("a".into(), eur(10_000)), ("b".into(), eur(1_000))]
        );
    }
}
