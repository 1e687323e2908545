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

/// What one invoice receives from a planned payment.
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
    /// What the debtor still owes after this payment, net of credits; never below zero (ticked
    /// invoices paid beyond the net balance leave a credit, which is not "owed").
    pub balance_after: Money,
}

/// How a received payment was allocated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    #[error("the smallest amount accepted is {} {}", .minimum.to_decimal_string(), .minimum.currency)]
    BelowMinimum { minimum: Money },
    #[error("the amount is more than the balance of {} {}", .balance.to_decimal_string(), .balance.currency)]
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
/// invoices in one currency (the currency of `credits`); `credits` the debtor's unused credits
/// in it (≥ 0; a negative value counts as none); `minimum` the creditor's smallest typed amount
/// (a balance smaller than it may still be paid in full). Invoices with nothing left are ignored,
/// so ticking one is `UnknownInvoice`: it can no longer be paid.
pub fn plan_payment(
    invoices: &[PayableInvoice],
    credits: Money,
    selection: &PaySelection,
    minimum: Money,
) -> Result<PaymentPlan, PayError> {
    let currency = credits.currency;
    let mut open: Vec<PayableInvoice> = invoices
        .iter()
        .filter(|i| i.remaining.minor > 0)
        .cloned()
        .collect();
    if open.iter().any(|i| i.remaining.currency != currency) || minimum.currency != currency {
        return Err(PayError::MixedCurrency);
    }
    oldest_first(&mut open);
    let owed = sum(open.iter().map(|i| i.remaining), currency)?;
    let balance = owed
        .checked_sub(Money::new(credits.minor.max(0), currency))
        .map_err(|_| PayError::Overflow)?;
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
            let chosen: Vec<&PayableInvoice> =
                open.iter().filter(|i| ids.contains(&i.id)).collect();
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
    let allocation = allocate(
        amount,
        &targets
            .iter()
            .map(|i| (i.id.clone(), i.remaining))
            .collect::<Vec<_>>(),
    )?;
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
    let balance_after = balance
        .checked_sub(amount)
        .map_err(|_| PayError::Overflow)?;
    Ok(PaymentPlan {
        amount,
        lines,
        balance_after: Money::new(balance_after.minor.max(0), currency),
    })
}

/// Settles each target up to its remainder, in the order given; what is left is a credit. This is
/// how a payment is recorded when it arrives: in full, even if the invoices were paid meanwhile
/// (two tabs, a transfer and a card), so no money is ever dropped.
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
    Ok(Allocation {
        lines,
        credit: Money::new(left, amount.currency),
    })
}

/// The largest amount a debtor may type: 999 999 999.99 in a two-decimal currency, the EPC
/// QR ceiling. Anything above is a slip of the keyboard, not a payment.
const MAX_INPUT_MINOR: i64 = 99_999_999_999;

/// Reads an amount as a French or English speaker types it: "12", "12,5", "12.50", "1 234,56",
/// "1,234.56", "1.234,56", "1'234.50", "1234,56 €", "€1,234.56", "12 EUR".
///
/// Which mark is the decimal one: the last ',' or '.' is decimal when one or two digits follow
/// it and it appears only once; when exactly three digits follow, it separates thousands, so
/// "1,234" and "1.234" are 1234 (no currency we show has three decimals). Thousands separators
/// (one kind per amount: space, ',', '.' or apostrophe) must cut groups of exactly three digits
/// after a first group of one to three, so "12 34", "1234,567" and "0,123" are refused rather
/// than guessed.
pub fn parse_amount_input(input: &str, currency: Currency) -> Result<Money, PayError> {
    let invalid = || PayError::InvalidAmount(input.chars().take(30).collect());
    let is_minus = |s: &str| s.starts_with(['-', '\u{2212}']);
    let upper = input.trim().to_ascii_uppercase();
    if is_minus(&upper) {
        return Err(PayError::NotPositive);
    }
    // The sign or code may come before or after the number, with or without a space.
    let mut s = upper.as_str();
    for affix in [currency.symbol(), currency.code()] {
        s = s.strip_prefix(affix).unwrap_or(s).trim_start();
        s = s.strip_suffix(affix).unwrap_or(s).trim_end();
    }
    if is_minus(s) {
        return Err(PayError::NotPositive);
    }
    // One spelling per separator: every kind of space, and the typographic apostrophe.
    let s: String = s
        .chars()
        .map(|c| match c {
            c if c.is_whitespace() => ' ',
            '\u{2019}' => '\'',
            c => c,
        })
        .collect();
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | ',' | '.' | '\''))
    {
        return Err(invalid());
    }

    let (int_part, frac_part) = match s.rfind([',', '.']) {
        Some(pos) => {
            let after = &s[pos + 1..];
            let mark = &s[pos..=pos];
            let digits_after = after.chars().all(|c| c.is_ascii_digit());
            match after.len() {
                1 | 2 if digits_after && !s[..pos].contains(mark) => (&s[..pos], after),
                3 => (s.as_str(), ""),
                _ => return Err(invalid()),
            }
        }
        None => (s.as_str(), ""),
    };
    let groups: Vec<&str> = int_part.split([' ', ',', '.', '\'']).collect();
    let mut marks = int_part.chars().filter(|c| !c.is_ascii_digit());
    let one_kind = marks.next().is_none_or(|first| marks.all(|m| m == first));
    let grouped_well = match groups.as_slice() {
        [only] => !only.is_empty(),
        [first, rest @ ..] => {
            (1..=3).contains(&first.len())
                && !first.starts_with('0')
                && rest.iter().all(|g| g.len() == 3)
        }
        [] => false,
    };
    if !one_kind || !grouped_well {
        return Err(invalid());
    }
    let exp = currency.exponent() as usize;
    if frac_part.len() > exp {
        return Err(invalid());
    }

    // Integer digits, then decimals, then zeros up to the currency's exponent: minor units.
    let text = groups.concat() + frac_part;
    let padding = std::iter::repeat_n(0, exp - frac_part.len());
    let mut minor: i64 = 0;
    for d in text.bytes().map(|b| i64::from(b - b'0')).chain(padding) {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(d))
            .ok_or(PayError::Overflow)?;
    }
    if minor > MAX_INPUT_MINOR {
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
    use crate::domain::locale::{Lang, format_money};
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

    /// Invoice `i` falls due on day `i`: ids in due order.
    fn numbered(remainders: &[i64]) -> Vec<PayableInvoice> {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        remainders
            .iter()
            .enumerate()
            .map(|(i, r)| PayableInvoice {
                due_date: start + chrono::Duration::days(i as i64),
                ..inv(&i.to_string(), "2026-01-01", *r)
            })
            .collect()
    }

    fn sample() -> Vec<PayableInvoice> {
        vec![
            inv("b", "2026-03-01", 5_000),
            inv("a", "2026-01-01", 10_000),
            inv("c", "2026-05-01", 2_500),
        ]
    }

    #[test]
    fn all_pays_the_balance_net_of_credits_oldest_first() {
        let p = plan_payment(&sample(), eur(3_000), &PaySelection::All, eur(1_000)).unwrap();
        assert_eq!(p.amount, eur(14_500));
        let got: Vec<_> = p
            .lines
            .iter()
            .map(|l| {
                (
                    l.invoice_id.as_str(),
                    l.amount.minor,
                    l.remaining_after.minor,
                )
            })
            .collect();
        assert_eq!(got, vec![("a", 10_000, 0), ("b", 4_500, 500)]);
        assert_eq!(p.balance_after, eur(0));
    }

    #[test]
    fn ticked_invoices_are_paid_in_full_whatever_the_minimum() {
        let p = plan_payment(
            &sample(),
            eur(0),
            &PaySelection::Invoices(vec!["c".into(), "a".into()]),
            eur(1_000_000),
        )
        .unwrap();
        assert_eq!(p.amount, eur(12_500));
        assert_eq!(
            p.lines
                .iter()
                .map(|l| l.invoice_id.as_str())
                .collect::<Vec<_>>(),
            vec!["a", "c"]
        );
        assert_eq!(p.balance_after, eur(5_000));
    }

    #[test]
    fn bad_selections_say_what_is_wrong() {
        let inv = sample();
        let min = eur(1_000);
        assert_eq!(
            plan_payment(&inv, eur(0), &PaySelection::Invoices(vec![]), min),
            Err(PayError::NothingToPay)
        );
        assert_eq!(
            plan_payment(&inv, eur(0), &PaySelection::Invoices(vec!["x".into()]), min),
            Err(PayError::UnknownInvoice("x".into()))
        );
        assert_eq!(
            plan_payment(
                &inv,
                eur(0),
                &PaySelection::Invoices(vec!["a".into(), "a".into()]),
                min
            ),
            Err(PayError::DuplicateInvoice("a".into()))
        );
        assert_eq!(
            plan_payment(&inv, eur(0), &PaySelection::Amount(eur(999)), min),
            Err(PayError::BelowMinimum { minimum: min })
        );
        assert_eq!(
            plan_payment(&inv, eur(0), &PaySelection::Amount(eur(17_501)), min),
            Err(PayError::AboveBalance {
                balance: eur(17_500)
            })
        );
        assert_eq!(
            plan_payment(&inv, eur(0), &PaySelection::Amount(eur(0)), min),
            Err(PayError::NotPositive)
        );
        assert_eq!(
            plan_payment(&inv, eur(20_000), &PaySelection::All, min),
            Err(PayError::NothingToPay)
        );
        let usd = PaySelection::Amount(Money::new(5_000, Currency::Usd));
        assert_eq!(
            plan_payment(&inv, eur(0), &usd, min),
            Err(PayError::MixedCurrency)
        );
        let mut mixed = sample();
        mixed[0].remaining.currency = Currency::Usd;
        assert_eq!(
            plan_payment(&mixed, eur(0), &PaySelection::All, min),
            Err(PayError::MixedCurrency)
        );
        let mut paid = sample();
        paid[0].remaining = eur(0);
        let tick_paid = PaySelection::Invoices(vec![paid[0].id.clone()]);
        assert_eq!(
            plan_payment(&paid, eur(0), &tick_paid, min),
            Err(PayError::UnknownInvoice(paid[0].id.clone()))
        );
    }

    #[test]
    fn messages_show_amounts_plainly() {
        assert_eq!(
            PayError::BelowMinimum {
                minimum: eur(1_000)
            }
            .to_string(),
            "the smallest amount accepted is 10.00 EUR"
        );
        assert_eq!(
            PayError::AboveBalance {
                balance: eur(17_500)
            }
            .to_string(),
            "the amount is more than the balance of 175.00 EUR"
        );
    }

    #[test]
    fn a_balance_below_the_minimum_can_still_be_paid_in_full() {
        let inv = vec![inv("a", "2026-01-01", 500)];
        assert!(plan_payment(&inv, eur(0), &PaySelection::Amount(eur(500)), eur(1_000)).is_ok());
        assert!(plan_payment(&inv, eur(0), &PaySelection::Amount(eur(400)), eur(1_000)).is_err());
    }

    #[test]
    fn an_overpayment_becomes_a_credit() {
        let a = allocate(
            eur(7_000),
            &[("a".into(), eur(5_000)), ("b".into(), eur(0))],
        )
        .unwrap();
        assert_eq!(
            a.lines,
            vec![("a".into(), eur(5_000)), ("b".into(), eur(0))]
        );
        assert_eq!(a.credit, eur(2_000));
        assert_eq!(allocate(eur(0), &[]), Err(PayError::NotPositive));
    }

    #[test]
    fn reads_amounts_as_people_type_them() {
        let ok = |s: &str| parse_amount_input(s, Currency::Eur).map(|m| m.minor);
        assert_eq!(ok("12"), Ok(1_200));
        assert_eq!(ok("12,5"), Ok(1_250));
        assert_eq!(ok("12.50"), Ok(1_250));
        assert_eq!(ok(" 0,05 "), Ok(5));
        assert_eq!(ok("1 234,56"), Ok(123_456));
        assert_eq!(ok("1\u{202f}234,56\u{a0}€"), Ok(123_456));
        assert_eq!(ok("1\u{a0}234\u{a0}567"), Ok(123_456_700));
        assert_eq!(ok("1,234.56"), Ok(123_456));
        assert_eq!(ok("€1,234.56"), Ok(123_456));
        assert_eq!(ok("€ 12"), Ok(1_200));
        assert_eq!(ok("1.234,56"), Ok(123_456));
        assert_eq!(ok("1’234.50"), Ok(123_450));
        assert_eq!(ok("1234,56 €"), Ok(123_456));
        assert_eq!(ok("1234,56 EUR"), Ok(123_456));
        assert_eq!(ok("12 eur"), Ok(1_200));
        assert_eq!(ok("1,234,567.8"), Ok(123_456_780));
        assert_eq!(
            parse_amount_input("CHF 1'234.50", Currency::Chf).map(|m| m.minor),
            Ok(123_450)
        );
    }

    #[test]
    fn a_lone_separator_before_three_digits_means_thousands() {
        let ok = |s: &str| parse_amount_input(s, Currency::Eur).map(|m| m.minor);
        assert_eq!(ok("1,234"), Ok(123_400));
        assert_eq!(ok("1.234"), Ok(123_400));
        assert_eq!(ok("12,34"), Ok(1_234), "two digits: decimals");
        assert_eq!(
            parse_amount_input("1,234", Currency::Jpy).map(|m| m.minor),
            Ok(1_234)
        );
        // Forms that fit neither rule are refused, not guessed.
        for ambiguous in [
            "0,123",
            "1234,567",
            "1,2345",
            "12 34",
            "12,345,6",
            "1.234.5",
            "1 234.567,89",
            "1,234 567",
        ] {
            assert!(
                matches!(ok(ambiguous), Err(PayError::InvalidAmount(_))),
                "{ambiguous:?}"
            );
        }
    }

    #[test]
    fn unreadable_amounts_say_why() {
        let ok = |s: &str| parse_amount_input(s, Currency::Eur).map(|m| m.minor);
        for bad in [
            "", "   ", "€", "abc", "12a", "12..5", ",5", "12,", "1 2a", "12€34", "$12", "１２",
            "1e3", "+5",
        ] {
            assert_eq!(
                ok(bad),
                Err(PayError::InvalidAmount(bad.chars().take(30).collect())),
                "{bad:?}"
            );
        }
        assert!(
            matches!(
                parse_amount_input("12,5", Currency::Jpy),
                Err(PayError::InvalidAmount(_))
            ),
            "yen has no decimals"
        );
        assert!(matches!(ok("12,345"), Ok(1_234_500)));
        assert!(
            matches!(ok("1.999"), Ok(199_900)),
            "three decimals read as thousands, by the rule above"
        );
        for negative in ["-5", "−5", "-€5", "€-5", "- 5", "-0"] {
            assert_eq!(ok(negative), Err(PayError::NotPositive), "{negative:?}");
        }
        assert_eq!(ok("0,00"), Err(PayError::NotPositive));
        assert_eq!(ok("0"), Err(PayError::NotPositive));
        assert_eq!(ok("999 999 999,99"), Ok(99_999_999_999));
        assert_eq!(ok("1 000 000 000"), Err(PayError::Overflow));
        assert_eq!(
            ok("99999999999999999999"),
            Err(PayError::Overflow),
            "beyond i64: an error, not a wrap"
        );
        assert_eq!(ok(&"9".repeat(5_000)), Err(PayError::Overflow));
        assert_eq!(
            ok(&"x".repeat(100)),
            Err(PayError::InvalidAmount("x".repeat(30))),
            "the echo is kept short"
        );
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
        fn paying_everything_leaves_nothing_owed_and_credits_on_the_newest(
            remainders in proptest::collection::vec(1i64..1_000_000, 1..10),
            credit_pct in 0i64..100,
        ) {
            let invoices = numbered(&remainders);
            let owed: i64 = remainders.iter().sum();
            let credits = eur(owed * credit_pct / 100);
            let p = plan_payment(&invoices, credits, &PaySelection::All, eur(1)).unwrap();
            prop_assert_eq!(p.balance_after, eur(0));
            prop_assert_eq!(p.amount.minor, owed - credits.minor);
            prop_assert_eq!(p.lines.iter().map(|l| l.amount.minor).sum::<i64>(), p.amount.minor);
            // What the payment leaves unpaid, on the newest invoices, is exactly what the credits cover.
            let untouched: i64 = invoices.iter().filter(|i| !p.lines.iter().any(|l| l.invoice_id == i.id)).map(|i| i.remaining.minor).sum();
            let kept: i64 = p.lines.iter().map(|l| l.remaining_after.minor).sum::<i64>() + untouched;
            prop_assert_eq!(kept, credits.minor);
        }

        #[test]
        fn a_typed_amount_settles_the_oldest_first_within_the_balance(
            remainders in proptest::collection::vec(1i64..1_000_000, 1..10),
            pick in any::<prop::sample::Index>(),
            credits in 0i64..500_000,
        ) {
            let mut invoices = numbered(&remainders);
            invoices.reverse(); // the plan sorts; the caller need not
            let balance = remainders.iter().sum::<i64>() - credits;
            prop_assume!(balance > 0);
            let amount = 1 + pick.index(balance as usize) as i64; // 1..=balance
            let p = plan_payment(&invoices, eur(credits), &PaySelection::Amount(eur(amount)), eur(1)).unwrap();
            prop_assert_eq!(p.amount, eur(amount));
            prop_assert_eq!(p.lines.iter().map(|l| l.amount.minor).sum::<i64>(), amount);
            prop_assert_eq!(p.balance_after, eur(balance - amount));
            for (k, l) in p.lines.iter().enumerate() {
                let i: usize = l.invoice_id.parse().unwrap();
                prop_assert_eq!(i, k, "oldest first, none skipped");
                prop_assert!(l.amount.minor > 0 && l.amount.minor + l.remaining_after.minor == remainders[i]);
                if k + 1 < p.lines.len() {
                    prop_assert_eq!(l.remaining_after.minor, 0);
                }
            }
            prop_assert_eq!(
                plan_payment(&invoices, eur(credits), &PaySelection::Amount(eur(balance + 1)), eur(1)),
                Err(PayError::AboveBalance { balance: eur(balance) })
            );
        }

        #[test]
        fn amounts_as_the_portal_shows_them_read_back(minor in 1i64..=MAX_INPUT_MINOR, en in any::<bool>()) {
            let lang = if en { Lang::En } else { Lang::Fr };
            for currency in [Currency::Eur, Currency::Chf, Currency::Jpy] {
                let m = Money::new(minor, currency);
                prop_assert_eq!(parse_amount_input(&format_money(m, lang), currency), Ok(m));
                prop_assert_eq!(parse_amount_input(&m.to_decimal_string(), currency), Ok(m));
            }
        }
    }
}
