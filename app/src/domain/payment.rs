//! What a debtor pays and how it is allocated to invoices (lettrage). Pure: the server and
//! the browser compute the same plan from the same facts.

use super::money::{Currency, Money};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An open invoice that can be paid now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayableInvoice {
    pub id: String,
    pub number: String,
    pub due_date: NaiveDate,
    pub remaining: Money,
}

/// What the debtor chose to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaySelection {
    /// Everything owed, net of credits.
    All,
    /// These invoices (ids), in full.
    Invoices(Vec<String>),
    /// An amount, settling the oldest invoices first.
    Amount(Money),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationLine {
    pub invoice_id: String,
    pub number: String,
    pub amount: Money,
    pub remaining_after: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentPlan {
    pub amount: Money,
    /// Oldest due first.
    pub lines: Vec<AllocationLine>,
    /// What the debtor still owes after this payment, net of credits.
    pub balance_after: Money,
}

/// How a received payment was allocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    /// (invoice id, amount settled), in the order given.
    pub lines: Vec<(String, Money)>,
    /// The part nothing was left to settle: a credit on the account, never dropped.
    pub credit: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PayError {
    #[error("there is nothing to pay for this choice")]
    NothingToPay,
    #[error("invoice {0} cannot be paid here")]
    UnknownInvoice(String),
    #[error("invoice {0} was chosen twice")]
    DuplicateInvoice(String),
    #[error("the smallest amount accepted is {minimum:?}")]
    BelowMinimum { minimum: Money },
    #[error("the amount is more than the balance of {balance:?}")]
    AboveBalance { balance: Money },
    #[error("the amount must be greater than zero")]
    NotPositive,
    #[error("amounts in different currencies")]
    MixedCurrency,
    #[error("the amount is too large")]
    Overflow,
    #[error("“{0}” is not an amount")]
    InvalidAmount(String),
}

/// Oldest due date first; the number breaks ties so the order is stable.
pub fn oldest_first(invoices: &mut [PayableInvoice]) {
    invoices.sort_by(|a, b| (a.due_date, &a.number).cmp(&(b.due_date, &b.number)));
}

fn sum(mut amounts: impl Iterator<Item = Money>, currency: Currency) -> Result<Money, PayError> {
    amounts.try_fold(Money::zero(currency), |acc, m| {
        if m.currency != currency {
            return Err(PayError::MixedCurrency);
        }
        acc.checked_add(m).map_err(|_| PayError::Overflow)
    })
}

/// Works out what a selection pays and what each invoice keeps. `invoices` are the payable
/// invoices in one currency; `credits` the debtor's unused credits in it (≥ 0); `minimum` the
/// creditor's smallest typed amount (a balance smaller than it may still be paid in full).
pub fn plan_payment(
    invoices: &[PayableInvoice],
    credits: Money,
    selection: &PaySelection,
    minimum: Money,
) -> Result<PaymentPlan, PayError> {
    let currency = credits.currency;
    let mut open: Vec<PayableInvoice> = invoices.iter().filter(|i| i.remaining.minor > 0).cloned().collect();
    if open.iter().any(|i| i.remaining.currency != currency) || minimum.currency != currency {
        return Err(PayError::MixedCurrency);
    }
    oldest_first(&mut open);
    let owed = sum(open.iter().map(|i| i.remaining), currency)?;
    let balance = owed.checked_sub(Money::new(credits.minor.max(0), currency)).map_err(|_| PayError::Overflow)?;
    let (amount, targets): (Money, Vec<&PayableInvoice>) = match selection {
        PaySelection::All => {
            if balance.minor <= 0 {
                return Err(PayError::NothingToPay);
            }
            (balance, open.iter().collect())
        }
        PaySelection::Invoices(ids) => {
            if ids.is_empty() {
                return Err(PayError::NothingToPay);
            }
            for (n, id) in ids.iter().enumerate() {
                if ids[..n].contains(id) {
                    return Err(PayError::DuplicateInvoice(id.clone()));
                }
                if !open.iter().any(|i| &i.id == id) {
                    return Err(PayError::UnknownInvoice(id.clone()));
                }
            }
            let chosen: Vec<&PayableInvoice> = open.iter().filter(|i| ids.contains(&i.id)).collect();
            (sum(chosen.iter().map(|i| i.remaining), currency)?, chosen)
        }
        PaySelection::Amount(m) => {
            if m.currency != currency {
                return Err(PayError::MixedCurrency);
            }
            if m.minor <= 0 {
                return Err(PayError::NotPositive);
            }
            if balance.minor <= 0 {
                return Err(PayError::NothingToPay);
            }
            if m.minor > balance.minor {
                return Err(PayError::AboveBalance { balance });
            }
            if m.minor < minimum.minor && m.minor != balance.minor {
                return Err(PayError::BelowMinimum { minimum });
            }
            (*m, open.iter().collect())
        }
    };
    let allocation = allocate(amount, &targets.iter().map(|i| (i.id.clone(), i.remaining)).collect::<Vec<_>>())?;
    let lines = allocation
        .lines
        .iter()
        .zip(&targets)
        .filter(|((_, paid), _)| paid.minor > 0)
        .map(|((id, paid), inv)| AllocationLine {
            invoice_id: id.clone(),
            number: inv.number.clone(),
            amount: *paid,
            remaining_after: Money::new(inv.remaining.minor - paid.minor, currency),
        })
        .collect();
    let balance_after = balance.checked_sub(amount).map_err(|_| PayError::Overflow)?;
    Ok(PaymentPlan { amount, lines, balance_after: Money::new(balance_after.minor.max(0), currency) })
}

/// Settles each target up to its remainder, in the order given; what is left is a credit.
pub fn allocate(amount: Money, targets: &[(String, Money)]) -> Result<Allocation, PayError> {
    if amount.minor <= 0 {
        return Err(PayError::NotPositive);
    }
    let mut left = amount.minor;
    let mut lines = Vec::with_capacity(targets.len());
    for (id, remaining) in targets {
        if remaining.currency != amount.currency {
            return Err(PayError::MixedCurrency);
        }
        let take = left.min(remaining.minor.max(0));
        lines.push((id.clone(), Money::new(take, amount.currency)));
        left -= take;
    }
    Ok(Allocation { lines, credit: Money::new(left, amount.currency) })
}

/// Reads an amount as a French or English speaker types it: "12", "12,5", "1 234,56",
/// "1,234.56", "€1,234.56", "1234,56 €". The last separator is the decimal one when one or two
/// digits follow it; a lone separator followed by exactly three digits ("1,234" or "1.234") is
/// a thousands separator, since no currency we show has three decimals.
pub fn parse_amount_input(input: &str, currency: Currency) -> Result<Money, PayError> {
    let invalid = || PayError::InvalidAmount(input.chars().take(30).collect());
    let cleaned: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\'' | '’'))
        .collect();
    let cleaned = cleaned.trim_start_matches(currency.symbol()).trim_end_matches(currency.symbol());
    let cleaned = cleaned.trim_start_matches(currency.code()).trim_end_matches(currency.code());
    if cleaned.starts_with('-') {
        return Err(PayError::NotPositive);
    }
    if cleaned.is_empty() || !cleaned.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') {
        return Err(invalid());
    }
    let (int_part, frac_part) = match cleaned.rfind([',', '.']) {
        Some(pos) => {
            let frac = &cleaned[pos + 1..];
            let sep = &cleaned[pos..pos + 1];
            if (1..=2).contains(&frac.len()) && cleaned[..pos].contains(sep) {
                return Err(invalid()); // "12,345,6": one mark cannot be both kinds of separator
            }
            if (1..=2).contains(&frac.len()) {
                (&cleaned[..pos], frac)
            } else if frac.len() == 3 {
                (cleaned, "")
            } else {
                return Err(invalid());
            }
        }
        None => (cleaned, ""),
    };
    // Thousands separators: groups of exactly three digits after the first.
    let groups: Vec<&str> = int_part.split([',', '.']).collect();
    if groups[0].is_empty() || groups[1..].iter().any(|g| g.len() != 3) {
        return Err(invalid());
    }
    let digits: String = groups.concat();
    let exp = currency.exponent() as usize;
    if frac_part.len() > exp {
        return Err(invalid());
    }
    let mut minor_text = digits;
    minor_text.push_str(frac_part);
    minor_text.extend(std::iter::repeat_n('0', exp - frac_part.len()));
    let minor: i64 = minor_text.parse().map_err(|_| PayError::Overflow)?;
    if minor > 100_000_000_000 {
        return Err(PayError::Overflow);
    }
    if minor == 0 {
        return Err(PayError::NotPositive);
    }
    Ok(Money::new(minor, currency))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(m: i64) -> Money {
        Money::new(m, Currency::Eur)
    }

    fn inv(id: &str, due: &str, remaining: i64) -> PayableInvoice {
        PayableInvoice {
            id: id.into(),
            number: format!("F-{id}"),
            due_date: NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap(),
            remaining: eur(remaining),
        }
    }

    fn sample() -> Vec<PayableInvoice> {
        vec![inv("b", "2026-03-01", 5_000), inv("a", "2026-01-01", 10_000), inv("c", "2026-05-01", 2_500)]
    }

    #[test]
    fn all_pays_the_balance_net_of_credits_oldest_first() {
        let p = plan_payment(&sample(), eur(3_000), &PaySelection::All, eur(1_000)).unwrap();
        assert_eq!(p.amount, eur(14_500));
        let got: Vec<_> = p.lines.iter().map(|l| (l.invoice_id.as_str(), l.amount.minor, l.remaining_after.minor)).collect();
        assert_eq!(got, vec![("a", 10_000, 0), ("b", 4_500, 500)]);
        assert_eq!(p.balance_after, eur(0));
    }

    #[test]
    fn ticked_invoices_are_paid_in_full_whatever_the_minimum() {
        let p = plan_payment(&sample(), eur(0), &PaySelection::Invoices(vec!["c".into(), "a".into()]), eur(1_000_000)).unwrap();
        assert_eq!(p.amount, eur(12_500));
        assert_eq!(p.lines.iter().map(|l| l.invoice_id.as_str()).collect::<Vec<_>>(), vec!["a", "c"]);
        assert_eq!(p.balance_after, eur(5_000));
    }

    #[test]
    fn bad_selections_say_what_is_wrong() {
        let inv = sample();
        let min = eur(1_000);
        assert_eq!(plan_payment(&inv, eur(0), &PaySelection::Invoices(vec![]), min), Err(PayError::NothingToPay));
        assert_eq!(plan_payment(&inv, eur(0), &PaySelection::Invoices(vec!["x".into()]), min), Err(PayError::UnknownInvoice("x".into())));
        assert_eq!(
            plan_payment(&inv, eur(0), &PaySelection::Invoices(vec!["a".into(), "a".into()]), min),
            Err(PayError::DuplicateInvoice("a".into()))
        );
        assert_eq!(plan_payment(&inv, eur(0), &PaySelection::Amount(eur(999)), min), Err(PayError::BelowMinimum { minimum: min }));
        assert_eq!(
            plan_payment(&inv, eur(0), &PaySelection::Amount(eur(17_501)), min),
            Err(PayError::AboveBalance { balance: eur(17_500) })
        );
        assert_eq!(plan_payment(&inv, eur(0), &PaySelection::Amount(eur(0)), min), Err(PayError::NotPositive));
        assert_eq!(plan_payment(&inv, eur(20_000), &PaySelection::All, min), Err(PayError::NothingToPay));
        let usd = PaySelection::Amount(Money::new(5_000, Currency::Usd));
        assert_eq!(plan_payment(&inv, eur(0), &usd, min), Err(PayError::MixedCurrency));
    }

    #[test]
    fn a_balance_below_the_minimum_can_still_be_paid_in_full() {
        let inv = vec![inv("a", "2026-01-01", 500)];
        assert!(plan_payment(&inv, eur(0), &PaySelection::Amount(eur(500)), eur(1_000)).is_ok());
        assert!(plan_payment(&inv, eur(0), &PaySelection::Amount(eur(400)), eur(1_000)).is_err());
    }

    #[test]
    fn an_overpayment_becomes_a_credit() {
        let a = allocate(eur(7_000), &[("a".into(), eur(5_000)), ("b".into(), eur(0))]).unwrap();
        assert_eq!(a.lines, vec![("a".into(), eur(5_000)), ("b".into(), eur(0))]);
        assert_eq!(a.credit, eur(2_000));
        assert_eq!(allocate(eur(0), &[]), Err(PayError::NotPositive));
    }

    #[test]
    fn reads_amounts_as_people_type_them() {
        let ok = |s: &str| parse_amount_input(s, Currency::Eur).map(|m| m.minor);
        assert_eq!(ok("12"), Ok(1_200));
        assert_eq!(ok("12,5"), Ok(1_250));
        assert_eq!(ok("12.50"), Ok(1_250));
        assert_eq!(ok("1 234,56"), Ok(123_456));
        assert_eq!(ok("1\u{202f}234,56\u{a0}€"), Ok(123_456));
        assert_eq!(ok("1,234.56"), Ok(123_456));
        assert_eq!(ok("€1,234.56"), Ok(123_456));
        assert_eq!(ok("1.234,56"), Ok(123_456));
        assert_eq!(ok("1,234"), Ok(123_400), "three digits after a lone separator: thousands");
        assert_eq!(ok("1234,56 EUR"), Ok(123_456));
        for bad in ["", "abc", "12,345,6", "1,2345", "12..5", ",5", "1 2a", "12€34"] {
            assert!(matches!(ok(bad), Err(PayError::InvalidAmount(_))), "{bad:?}");
        }
        assert_eq!(ok("-5"), Err(PayError::NotPositive));
        assert_eq!(ok("0,00"), Err(PayError::NotPositive));
        assert_eq!(ok("99999999999999999999"), Err(PayError::Overflow));
        assert_eq!(ok("2000000000"), Err(PayError::Overflow));
        assert!(matches!(parse_amount_input("12,5", Currency::Jpy), Err(PayError::InvalidAmount(_))), "yen has no decimals");
        assert_eq!(parse_amount_input("1,234", Currency::Jpy).map(|m| m.minor), Ok(1_234));
    }

    proptest! {
        #[test]
        fn allocation_adds_up_to_the_cent_oldest_first_never_beyond_a_remainder(
            amount in 1i64..5_000_000,
            remainders in proptest::collection::vec(0i64..1_000_000, 0..12),
        ) {
            let targets: Vec<(String, Money)> = remainders.iter().enumerate().map(|(i, r)| (i.to_string(), eur(*r))).collect();
            let a = allocate(eur(amount), &targets).unwrap();
            let total: i64 = a.lines.iter().map(|(_, m)| m.minor).sum::<i64>() + a.credit.minor;
            prop_assert_eq!(total, amount);
            for (i, (_, m)) in a.lines.iter().enumerate() {
                prop_assert!(m.minor >= 0 && m.minor <= remainders[i]);
                // A later invoice gets something only if every earlier one is settled.
                if m.minor > 0 {
                    for (j, (_, earlier)) in a.lines[..i].iter().enumerate() {
                        prop_assert_eq!(earlier.minor, remainders[j]);
                    }
                }
            }
            let owed: i64 = remainders.iter().sum();
            prop_assert_eq!(a.credit.minor, (amount - owed).max(0));
        }

        #[test]
        fn paying_everything_leaves_nothing_owed(
            remainders in proptest::collection::vec(1i64..1_000_000, 1..10),
            credit_pct in 0i64..100,
        ) {
            let invoices: Vec<_> = remainders.iter().enumerate()
                .map(|(i, r)| inv(&i.to_string(), &format!("2026-01-{:02}", (i % 28) + 1), *r)).collect();
            let owed: i64 = remainders.iter().sum();
            let credits = eur(owed * credit_pct / 100);
            let p = plan_payment(&invoices, credits, &PaySelection::All, eur(1)).unwrap();
            prop_assert_eq!(p.balance_after, eur(0));
            prop_assert_eq!(p.amount.minor, owed - credits.minor);
            prop_assert_eq!(p.lines.iter().map(|l| l.amount.minor).sum::<i64>(), p.amount.minor);
        }
    }
}
