//! The statement of account: open items, totals per currency, aged balance, recent payments.
//! Pure: the caller passes "today" as seen in the debtor's time zone.

use super::invoice::{DocumentKind, InvoiceStatus};
use super::money::{Currency, Money};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the statement needs to know about one invoice or credit note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceFacts {
    pub id: String,
    pub number: String,
    pub kind: DocumentKind,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    /// Total of the document, positive for invoices and credit notes alike.
    pub amount: Money,
    /// What is left to pay (invoice) or to use (credit note), never negative.
    pub remaining: Money,
    pub status: InvoiceStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentFacts {
    pub received_on: NaiveDate,
    pub amount: Money,
    pub method: String,
    pub reference: String,
    /// The part no invoice took (a payment larger than what was left): a credit on the account.
    pub unallocated: Money,
}

/// Where a due date stands relative to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueTiming {
    DueIn(i64),
    DueToday,
    Overdue(i64),
}

impl DueTiming {
    pub fn of(due_date: NaiveDate, today: NaiveDate) -> Self {
        let days = (today - due_date).num_days();
        match days {
            0 => Self::DueToday,
            d if d > 0 => Self::Overdue(d),
            d => Self::DueIn(-d),
        }
    }

    pub fn days_overdue(self) -> i64 {
        match self {
            Self::Overdue(d) => d,
            _ => 0,
        }
    }
}

/// Aged balance buckets, by days past the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgedBalance {
    pub not_due: Money,
    pub days_1_30: Money,
    pub days_31_60: Money,
    pub days_61_90: Money,
    pub over_90: Money,
}

impl AgedBalance {
    fn zero(c: Currency) -> Self {
        let z = Money::zero(c);
        Self {
            not_due: z,
            days_1_30: z,
            days_31_60: z,
            days_61_90: z,
            over_90: z,
        }
    }

    fn bucket_mut(&mut self, days_overdue: i64) -> &mut Money {
        match days_overdue {
            ..=0 => &mut self.not_due,
            1..=30 => &mut self.days_1_30,
            31..=60 => &mut self.days_31_60,
            61..=90 => &mut self.days_61_90,
            _ => &mut self.over_90,
        }
    }

    pub fn buckets(&self) -> [Money; 5] {
        [
            self.not_due,
            self.days_1_30,
            self.days_31_60,
            self.days_61_90,
            self.over_90,
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyTotals {
    pub currency: Currency,
    /// Sum of what remains on open invoices.
    pub invoiced_remaining: Money,
    /// Of which overdue today.
    pub overdue: Money,
    /// Unused credit notes and unallocated payments, as a positive amount.
    pub credits: Money,
    /// What the debtor owes all told: invoices less credits (negative when in credit).
    pub balance: Money,
    pub aged: AgedBalance,
}

impl CurrencyTotals {
    fn zero(currency: Currency) -> Self {
        let z = Money::zero(currency);
        Self {
            currency,
            invoiced_remaining: z,
            overdue: z,
            credits: z,
            balance: z,
            aged: AgedBalance::zero(currency),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementItem {
    pub invoice: InvoiceFacts,
    pub timing: DueTiming,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub as_of: NaiveDate,
    /// Oldest due date first: what most needs attention comes first.
    pub items: Vec<StatementItem>,
    /// One entry per currency present, in a stable order.
    pub totals: Vec<CurrencyTotals>,
    /// Newest first.
    pub recent_payments: Vec<PaymentFacts>,
}

/// How many payments the statement lists.
pub const RECENT_PAYMENTS: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    #[error("invoice {0}: the remaining amount is not in the invoice's currency")]
    MixedCurrency(String),
    #[error("invoice {0}: the remaining amount is negative or larger than the invoice")]
    RemainingOutOfRange(String),
    #[error("the totals are too large to add up")]
    Overflow,
}

impl Statement {
    pub fn build(
        invoices: Vec<InvoiceFacts>,
        mut payments: Vec<PaymentFacts>,
        today: NaiveDate,
    ) -> Result<Self, StatementError> {
        let mut items = Vec::new();
        for inv in invoices {
            if inv.remaining.currency != inv.amount.currency {
                return Err(StatementError::MixedCurrency(inv.number));
            }
            if inv.remaining.minor < 0 || inv.remaining.minor > inv.amount.minor {
                return Err(StatementError::RemainingOutOfRange(inv.number));
            }
            if !inv.status.is_outstanding() || inv.remaining.is_zero() {
                continue;
            }
            let timing = DueTiming::of(inv.due_date, today);
            items.push(StatementItem {
                invoice: inv,
                timing,
            });
        }
        items.sort_by(|a, b| {
            (a.invoice.due_date, &a.invoice.number).cmp(&(b.invoice.due_date, &b.invoice.number))
        });

        let mut totals: Vec<CurrencyTotals> = Vec::new();
        for item in &items {
            let c = item.invoice.remaining.currency;
            let t = match totals.iter_mut().position(|t| t.currency == c) {
                Some(i) => &mut totals[i],
                None => {
                    totals.push(CurrencyTotals::zero(c));
                    totals.last_mut().expect("just pushed")
                }
            };
            let rem = item.invoice.remaining;
            let add = |m: &mut Money| -> Result<(), StatementError> {
                *m = m.checked_add(rem).map_err(|_| StatementError::Overflow)?;
                Ok(())
            };
            match item.invoice.kind {
                DocumentKind::CreditNote => add(&mut t.credits)?,
                DocumentKind::Invoice => {
                    add(&mut t.invoiced_remaining)?;
                    add(t.aged.bucket_mut(item.timing.days_overdue()))?;
                    // Overdue is what is due now: an invoice in an agreed schedule, or contested,
                    // is not chased, so it is not counted.
                    let chased = !matches!(
                        item.invoice.status,
                        InvoiceStatus::Scheduled | InvoiceStatus::Disputed
                    );
                    if chased && item.timing.days_overdue() > 0 {
                        add(&mut t.overdue)?;
                    }
                }
            }
        }
        for p in &payments {
            if p.unallocated.minor > 0 {
                let c = p.unallocated.currency;
                let t = match totals.iter_mut().position(|t| t.currency == c) {
                    Some(i) => &mut totals[i],
                    None => {
                        totals.push(CurrencyTotals::zero(c));
                        totals.last_mut().expect("just pushed")
                    }
                };
                t.credits = t
                    .credits
                    .checked_add(p.unallocated)
                    .map_err(|_| StatementError::Overflow)?;
            }
        }
        for t in &mut totals {
            t.balance = t
                .invoiced_remaining
                .checked_sub(t.credits)
                .map_err(|_| StatementError::Overflow)?;
        }
        totals.sort_by_key(|t| t.currency);

        payments.sort_by_key(|p| std::cmp::Reverse(p.received_on));
        payments.truncate(RECENT_PAYMENTS);
        Ok(Self {
            as_of: today,
            items,
            totals,
            recent_payments: payments,
        })
    }

    pub fn is_settled(&self) -> bool {
        self.totals.iter().all(|t| t.balance.minor <= 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn inv(number: &str, due: &str, amount: i64, remaining: i64) -> InvoiceFacts {
        InvoiceFacts {
            id: number.into(),
            number: number.into(),
            kind: DocumentKind::Invoice,
            issue_date: d("2026-01-01"),
            due_date: d(due),
            amount: Money::new(amount, Currency::Eur),
            remaining: Money::new(remaining, Currency::Eur),
            status: InvoiceStatus::Open,
        }
    }

    #[test]
    fn timing_counts_calendar_days_across_month_and_year_ends() {
        assert_eq!(
            DueTiming::of(d("2026-01-31"), d("2026-03-01")),
            DueTiming::Overdue(29)
        );
        assert_eq!(
            DueTiming::of(d("2028-02-28"), d("2028-03-01")),
            DueTiming::Overdue(2)
        ); // leap year
        assert_eq!(
            DueTiming::of(d("2026-12-31"), d("2027-01-01")),
            DueTiming::Overdue(1)
        );
        assert_eq!(
            DueTiming::of(d("2026-11-25"), d("2026-11-22")),
            DueTiming::DueIn(3)
        );
        assert_eq!(
            DueTiming::of(d("2026-11-22"), d("2026-11-22")),
            DueTiming::DueToday
        );
    }

    #[test]
    fn buckets_split_at_30_60_90_days() {
        let today = d("2026-06-30");
        let s = Statement::build(
            vec![
                inv("A", "2026-07-01", 100, 100),   // not due
                inv("B", "2026-06-30", 200, 200),   // due today: not overdue
                inv("C", "2026-05-31", 400, 400),   // 30 days
                inv("D", "2026-05-30", 800, 800),   // 31 days
                inv("E", "2026-04-01", 1600, 1600), // 90 days
                inv("F", "2026-03-31", 3200, 3200), // 91 days
            ],
            vec![],
            today,
        )
        .unwrap();
        let a = s.totals[0].aged;
        assert_eq!(a.not_due.minor, 300);
        assert_eq!(a.days_1_30.minor, 400);
        assert_eq!(a.days_31_60.minor, 800);
        assert_eq!(a.days_61_90.minor, 1600);
        assert_eq!(a.over_90.minor, 3200);
        assert_eq!(s.totals[0].overdue.minor, 400 + 800 + 1600 + 3200);
    }

    #[test]
    fn scheduled_and_disputed_invoices_stay_owed_but_are_not_overdue() {
        let mut scheduled = inv("S", "2026-01-10", 500, 500);
        scheduled.status = InvoiceStatus::Scheduled;
        let mut disputed = inv("D", "2026-01-10", 300, 300);
        disputed.status = InvoiceStatus::Disputed;
        let s = Statement::build(
            vec![inv("A", "2026-01-10", 1000, 1000), scheduled, disputed],
            vec![],
            d("2026-02-01"),
        )
        .unwrap();
        let t = &s.totals[0];
        assert_eq!(t.balance.minor, 1800, "still owed");
        assert_eq!(t.overdue.minor, 1000, "only the chased invoice is overdue");
    }

    #[test]
    fn partly_paid_shows_the_remainder_and_paid_items_leave() {
        let mut paid = inv("P", "2026-01-10", 500, 0);
        paid.status = InvoiceStatus::Paid;
        let s = Statement::build(
            vec![inv("A", "2026-01-10", 1000, 250), paid],
            vec![],
            d("2026-02-01"),
        )
        .unwrap();
        assert_eq!(s.items.len(), 1);
        assert_eq!(s.totals[0].invoiced_remaining.minor, 250);
    }

    #[test]
    fn credit_notes_reduce_the_balance_and_stay_out_of_the_buckets() {
        let mut cn = inv("AV-1", "2026-01-10", 300, 300);
        cn.kind = DocumentKind::CreditNote;
        let s = Statement::build(
            vec![inv("A", "2026-01-10", 1000, 1000), cn],
            vec![],
            d("2026-02-01"),
        )
        .unwrap();
        let t = &s.totals[0];
        assert_eq!(
            (t.invoiced_remaining.minor, t.credits.minor, t.balance.minor),
            (1000, 300, 700)
        );
        assert_eq!(t.aged.buckets().iter().map(|m| m.minor).sum::<i64>(), 1000);
    }

    #[test]
    fn currencies_are_totalled_apart() {
        let mut usd = inv("U", "2026-01-10", 999, 999);
        usd.amount.currency = Currency::Usd;
        usd.remaining.currency = Currency::Usd;
        let s = Statement::build(
            vec![usd, inv("E", "2026-01-10", 1000, 1000)],
            vec![],
            d("2026-02-01"),
        )
        .unwrap();
        assert_eq!(
            s.totals
                .iter()
                .map(|t| (t.currency, t.balance.minor))
                .collect::<Vec<_>>(),
            vec![(Currency::Eur, 1000), (Currency::Usd, 999)]
        );
    }

    #[test]
    fn inconsistent_rows_are_errors_not_silent_totals() {
        let mut bad = inv("X", "2026-01-10", 100, 100);
        bad.remaining.currency = Currency::Usd;
        assert_eq!(
            Statement::build(vec![bad], vec![], d("2026-02-01")),
            Err(StatementError::MixedCurrency("X".into()))
        );
        assert_eq!(
            Statement::build(
                vec![inv("Y", "2026-01-10", 100, 101)],
                vec![],
                d("2026-02-01")
            ),
            Err(StatementError::RemainingOutOfRange("Y".into()))
        );
    }

    #[test]
    fn keeps_the_newest_payments() {
        let pay = |day: &str| PaymentFacts {
            received_on: d(day),
            amount: Money::new(1, Currency::Eur),
            method: "transfer".into(),
            reference: day.into(),
            unallocated: Money::zero(Currency::Eur),
        };
        let days = [
            "2026-01-01",
            "2026-01-05",
            "2026-01-03",
            "2026-01-09",
            "2026-01-07",
            "2026-01-02",
        ];
        let s = Statement::build(
            vec![],
            days.iter().map(|x| pay(x)).collect(),
            d("2026-02-01"),
        )
        .unwrap();
        assert_eq!(s.recent_payments.len(), RECENT_PAYMENTS);
        assert_eq!(s.recent_payments[0].received_on, d("2026-01-09"));
        assert!(s.is_settled());
    }

    #[test]
    fn an_unallocated_payment_is_a_credit_even_beyond_the_recent_ones() {
        let pay = |day: &str, unallocated: i64| PaymentFacts {
            received_on: d(day),
            amount: Money::new(5000, Currency::Eur),
            method: "card".into(),
            reference: day.into(),
            unallocated: Money::new(unallocated, Currency::Eur),
        };
        let mut payments: Vec<_> = (1..=6).map(|i| pay(&format!("2026-01-0{i}"), 0)).collect();
        payments[0].unallocated.minor = 1200; // the oldest: not among the recent five
        let s = Statement::build(
            vec![inv("A", "2026-01-10", 1000, 1000)],
            payments,
            d("2026-02-01"),
        )
        .unwrap();
        assert_eq!(
            (s.totals[0].credits.minor, s.totals[0].balance.minor),
            (1200, -200)
        );
        assert!(s.is_settled());
    }

    proptest! {
        #[test]
        fn buckets_always_add_up_to_the_invoiced_remainder(
            rows in proptest::collection::vec((0i64..400, 1i64..10_000_000, 0u8..=100), 0..40),
            today_offset in 0i64..400,
        ) {
            let base = d("2025-01-01");
            let today = base + chrono::Duration::days(today_offset);
            let invoices: Vec<_> = rows.iter().enumerate().map(|(i, (due, amount, pct))| {
                let remaining = amount * i64::from(*pct) / 100;
                let mut f = inv(&format!("N{i}"), "2025-01-01", *amount, remaining);
                f.due_date = base + chrono::Duration::days(*due);
                f
            }).collect();
            let expected: i64 = invoices.iter().map(|f| f.remaining.minor).sum();
            let s = Statement::build(invoices, vec![], today).unwrap();
            let t: i64 = s.totals.iter().map(|t| t.aged.buckets().iter().map(|m| m.minor).sum::<i64>()).sum();
            prop_assert_eq!(t, expected);
            let inv_total: i64 = s.totals.iter().map(|t| t.invoiced_remaining.minor).sum();
            prop_assert_eq!(inv_total, expected);
            // Sorted by due date.
            prop_assert!(s.items.windows(2).all(|w| w[0].invoice.due_date <= w[1].invoice.due_date));
        }
    }
}
