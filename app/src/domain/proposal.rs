//! What a debtor typed into the schedule form, read into a proposal. Pure and shared: the
//! browser reads the form as the debtor types and says what will happen; the server reads
//! the same fields the same way before it decides.

use super::money::{Currency, Money};
use super::payment::{PayError, parse_amount_input};
use super::schedule::{Instalment, MAX_INSTALMENTS, Rhythm, ScheduleError, split_evenly};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An invoice a schedule may cover: open, not disputed, in no other schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedulableInvoice {
    pub id: String,
    pub number: String,
    pub due_date: NaiveDate,
    pub remaining: Money,
}

/// The form's fields as typed. `lines` empty: equal instalments from `count`, `rhythm` and
/// `first`; otherwise the debtor's own (date, amount) per instalment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalInput {
    pub invoices: Vec<String>,
    pub count: String,
    pub rhythm: String,
    pub first: String,
    pub lines: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub total: Money,
    /// (invoice id, what it owes now), oldest due first.
    pub invoices: Vec<(String, Money)>,
    pub instalments: Vec<Instalment>,
}

/// What is wrong with the form, field by field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum InputError {
    #[error("choose at least one invoice")]
    NoInvoice,
    #[error("invoice {0} cannot be put in a schedule")]
    UnknownInvoice(String),
    #[error("the invoices must be in one currency")]
    MixedCurrency,
    #[error("the number of instalments must be a whole number from 1 to {MAX_INSTALMENTS}")]
    Count,
    #[error("choose how often to pay")]
    Rhythm,
    /// Which instalment (1-based; 1 is also the first date of an even split).
    #[error("instalment {0}: the date is not a date")]
    Date(usize),
    #[error("instalment {0}: {1}")]
    Amount(usize, PayError),
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
}

/// The form's fields as they arrive in a POST body or a query string, in order.
pub fn input_from_pairs<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<ProposalInput, String> {
    let mut input = ProposalInput::default();
    let (mut dates, mut amounts) = (Vec::new(), Vec::new());
    let mut custom = false;
    for (k, v) in pairs {
        match k {
            "invoice" => input.invoices.push(v.into()),
            "count" => input.count = v.into(),
            "rhythm" => input.rhythm = v.into(),
            "first" => input.first = v.into(),
            "due" => dates.push(v.to_string()),
            "amount" => amounts.push(v.to_string()),
            // "custom": the debtor edits each instalment; otherwise the rows are ignored.
            "mode" => custom = v == "custom",
            "action" => {}
            _ => {
                return Err(format!(
                    "unexpected field {}",
                    k.chars().take(20).collect::<String>()
                ));
            }
        }
    }
    if dates.len() != amounts.len() {
        return Err("each instalment needs a date and an amount".into());
    }
    if dates.len() > MAX_INSTALMENTS as usize || input.invoices.len() > 1000 {
        return Err("too many fields".into());
    }
    if custom {
        input.lines = dates.into_iter().zip(amounts).collect();
    }
    Ok(input)
}

/// The form back as pairs, to refill it after the server sent the debtor back.
pub fn input_to_pairs(input: &ProposalInput) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = input
        .invoices
        .iter()
        .map(|i| ("invoice", i.clone()))
        .collect();
    out.push(("count", input.count.clone()));
    out.push(("rhythm", input.rhythm.clone()));
    out.push(("first", input.first.clone()));
    if !input.lines.is_empty() {
        out.push(("mode", "custom".into()));
    }
    for (d, a) in &input.lines {
        out.push(("due", d.clone()));
        out.push(("amount", a.clone()));
    }
    out
}

/// `YYYY-MM-DD`, as `<input type="date">` sends it. By hand rather than with chrono's format
/// parser, which would add its whole parsing engine to the Wasm for this one field.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4
        || m.len() != 2
        || d.len() != 2
        || ![y, m, d]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Reads the form against the invoices the debtor may schedule. The total is what the chosen
/// invoices owe now; dates and amounts are checked by `check_proposal` afterwards.
pub fn read_proposal(
    schedulable: &[SchedulableInvoice],
    input: &ProposalInput,
) -> Result<Proposal, InputError> {
    if input.invoices.is_empty() {
        return Err(InputError::NoInvoice);
    }
    let mut invoices = Vec::new();
    for id in &input.invoices {
        let inv = schedulable
            .iter()
            .find(|i| &i.id == id)
            .ok_or_else(|| InputError::UnknownInvoice(id.chars().take(40).collect()))?;
        if invoices.iter().any(|(i, _): &(String, Money)| i == id) {
            return Err(InputError::UnknownInvoice(inv.number.clone()));
        }
        invoices.push((inv.id.clone(), inv.remaining));
    }
    // Oldest due first, as the statement lists them.
    invoices.sort_by_key(|(id, _)| schedulable.iter().position(|i| &i.id == id));
    let currency: Currency = invoices[0].1.currency;
    if invoices.iter().any(|(_, m)| m.currency != currency) {
        return Err(InputError::MixedCurrency);
    }
    let total = invoices
        .iter()
        .try_fold(Money::zero(currency), |acc, (_, m)| acc.checked_add(*m))
        .map_err(|_| ScheduleError::Overflow)?;
    let instalments = if input.lines.is_empty() {
        let count: u32 = input.count.trim().parse().map_err(|_| InputError::Count)?;
        if !(1..=MAX_INSTALMENTS).contains(&count) {
            return Err(InputError::Count);
        }
        let rhythm = Rhythm::parse(input.rhythm.trim()).map_err(|_| InputError::Rhythm)?;
        let first = parse_date(&input.first).ok_or(InputError::Date(1))?;
        split_evenly(total, count, first, rhythm)?
    } else {
        input
            .lines
            .iter()
            .enumerate()
            .map(|(n, (d, a))| {
                let due_date = parse_date(d).ok_or(InputError::Date(n + 1))?;
                let amount =
                    parse_amount_input(a, currency).map_err(|e| InputError::Amount(n + 1, e))?;
                Ok(Instalment { due_date, amount })
            })
            .collect::<Result<Vec<_>, InputError>>()?
    };
    Ok(Proposal {
        total,
        invoices,
        instalments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::schedule::{ScheduleRules, Verdict, check_proposal};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::Eur)
    }

    fn invoices() -> Vec<SchedulableInvoice> {
        vec![
            SchedulableInvoice {
                id: "a".into(),
                number: "F-1".into(),
                due_date: day("2026-09-01"),
                remaining: eur(30_000),
            },
            SchedulableInvoice {
                id: "b".into(),
                number: "F-2".into(),
                due_date: day("2026-10-01"),
                remaining: eur(10_001),
            },
            SchedulableInvoice {
                id: "usd".into(),
                number: "F-3".into(),
                due_date: day("2026-10-05"),
                remaining: Money::new(500, Currency::Usd),
            },
        ]
    }

    fn even(invoices: &[&str], count: &str, rhythm: &str, first: &str) -> ProposalInput {
        ProposalInput {
            invoices: invoices.iter().map(|s| s.to_string()).collect(),
            count: count.into(),
            rhythm: rhythm.into(),
            first: first.into(),
            lines: vec![],
        }
    }

    #[test]
    fn an_even_split_of_the_chosen_invoices() {
        let p = read_proposal(
            &invoices(),
            &even(&["b", "a"], "3", "monthly", "2026-11-30"),
        )
        .unwrap();
        assert_eq!(p.total, eur(40_001));
        assert_eq!(
            p.invoices,
            vec![("a".into(), eur(30_000)), ("b".into(), eur(10_001))]
        );
        let amounts: Vec<i64> = p.instalments.iter().map(|i| i.amount.minor).collect();
        assert_eq!(amounts, vec![13_333, 13_333, 13_335]);
        let dates: Vec<String> = p
            .instalments
            .iter()
            .map(|i| i.due_date.to_string())
            .collect();
        assert_eq!(dates, vec!["2026-11-30", "2026-12-30", "2027-01-30"]);
    }

    #[test]
    fn lines_typed_one_by_one_in_either_language() {
        let mut input = even(&["a"], "", "", "");
        input.lines = vec![
            ("2026-12-01".into(), "100,00".into()),
            ("2027-01-01".into(), "€200.00".into()),
        ];
        let p = read_proposal(&invoices(), &input).unwrap();
        assert_eq!(
            p.instalments.iter().map(|i| i.amount.minor).sum::<i64>(),
            30_000
        );
        // What the server then decides: these sum, so the rules decide.
        let v = check_proposal(
            &ScheduleRules::example(Currency::Eur),
            p.total,
            &p.instalments,
            day("2026-11-22"),
        )
        .unwrap();
        assert_eq!(v, Verdict::AcceptAtOnce);
    }

    #[test]
    fn bad_fields_are_named() {
        let inv = invoices();
        assert_eq!(
            read_proposal(&inv, &even(&[], "3", "monthly", "2026-12-01")),
            Err(InputError::NoInvoice)
        );
        assert_eq!(
            read_proposal(&inv, &even(&["zz"], "3", "monthly", "2026-12-01")),
            Err(InputError::UnknownInvoice("zz".into()))
        );
        assert_eq!(
            read_proposal(&inv, &even(&["a", "a"], "3", "monthly", "2026-12-01")),
            Err(InputError::UnknownInvoice("F-1".into()))
        );
        assert_eq!(
            read_proposal(&inv, &even(&["a", "usd"], "3", "monthly", "2026-12-01")),
            Err(InputError::MixedCurrency)
        );
        for count in ["0", "-1", "1000", "2.5", "", "trois"] {
            assert_eq!(
                read_proposal(&inv, &even(&["a"], count, "monthly", "2026-12-01")),
                Err(InputError::Count),
                "{count}"
            );
        }
        assert_eq!(
            read_proposal(&inv, &even(&["a"], "3", "daily", "2026-12-01")),
            Err(InputError::Rhythm)
        );
        for bad in [
            "01/12/2026",
            "2026-02-30",
            "2026-1-05",
            "+2026-01-05",
            "2026-01-05x",
            "",
        ] {
            assert_eq!(
                read_proposal(&inv, &even(&["a"], "3", "monthly", bad)),
                Err(InputError::Date(1)),
                "{bad}"
            );
        }
        let mut input = even(&["a"], "", "", "");
        input.lines = vec![
            ("2026-12-01".into(), "100".into()),
            ("2027-01-01".into(), "-5".into()),
        ];
        assert!(matches!(
            read_proposal(&inv, &input),
            Err(InputError::Amount(2, _))
        ));
    }

    #[test]
    fn form_pairs_round_trip_and_refuse_strangers() {
        let pairs = [
            ("invoice", "a"),
            ("count", "2"),
            ("rhythm", "weekly"),
            ("first", "2026-12-01"),
            ("mode", "custom"),
            ("due", "2026-12-01"),
            ("amount", "1"),
        ];
        let input = input_from_pairs(pairs).unwrap();
        assert_eq!(input.lines.len(), 1);
        // Rows left in the page while "one by one" is off are not the proposal.
        assert!(
            input_from_pairs(pairs.into_iter().filter(|(k, _)| *k != "mode"))
                .unwrap()
                .lines
                .is_empty()
        );
        let back = input_to_pairs(&input);
        let again = input_from_pairs(back.iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
        assert_eq!(input, again);
        assert!(input_from_pairs([("total", "1")]).is_err());
        assert!(input_from_pairs([("due", "2026-12-01")]).is_err());
    }
}
