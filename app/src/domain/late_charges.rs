//! What the law lets a creditor claim from a late business debtor: a fixed recovery indemnity
//! and simple late interest. France: Code de commerce L441-10 and D441-5. United Kingdom: Late
//! Payment of Commercial Debts (Interest) Act 1998. Consumers owe neither.

use super::money::{Currency, Money};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Which law the charges follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Regime {
    France,
    UnitedKingdom,
}

/// A reference rate (ECB main refinancing rate for France, Bank of England base rate for the
/// UK) fixed for one half-year, in basis points (2.15 % = 215).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HalfYearRate {
    pub year: i32,
    /// `false`: 1 January – 30 June; `true`: 1 July – 31 December.
    pub second_half: bool,
    pub reference_bp: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeTerms {
    pub regime: Regime,
    /// Points added to the reference (France default 1000 = 10 points, L441-10; UK 800).
    pub margin_bp: i64,
    /// One rate per half-year; if a half-year appears twice, the first one counts.
    pub rates: Vec<HalfYearRate>,
}

impl ChargeTerms {
    /// The legal floor in France: ECB rate + 10 points (2.15 % + 10 = 12.15 % in 2025 H2 and 2026 H1).
    pub fn france_default() -> Self {
        Self {
            regime: Regime::France,
            margin_bp: 1000,
            rates: vec![
                HalfYearRate {
                    year: 2025,
                    second_half: true,
                    reference_bp: 215,
                },
                HalfYearRate {
                    year: 2026,
                    second_half: false,
                    reference_bp: 215,
                },
            ],
        }
    }

    /// Base rate + 8 points. The reference rates here are a starting point only: they are the
    /// creditor's to set (and to keep up to date), half-year by half-year.
    pub fn uk_default() -> Self {
        Self {
            regime: Regime::UnitedKingdom,
            margin_bp: 800,
            rates: vec![
                HalfYearRate {
                    year: 2025,
                    second_half: true,
                    reference_bp: 400,
                },
                HalfYearRate {
                    year: 2026,
                    second_half: false,
                    reference_bp: 375,
                },
            ],
        }
    }

    fn reference_bp(&self, year: i32, second_half: bool) -> Result<i64, ChargeError> {
        self.rates
            .iter()
            .find(|r| r.year == year && r.second_half == second_half)
            .map(|r| r.reference_bp)
            .ok_or(ChargeError::MissingRate { year, second_half })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateCharges {
    /// Fixed recovery indemnity (EUR 40 per late invoice in France, D441-5; GBP 40/70/100 in
    /// the UK by the debt's amount).
    pub indemnity: Money,
    /// Simple late interest on the remaining amount, in the invoice's currency.
    pub interest: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChargeError {
    /// A half-year the interest runs over has no reference rate.
    #[error(
        "no reference rate is set for the {} half of {year}: add it to the late-charge settings",
        if *.second_half { "second" } else { "first" }
    )]
    MissingRate { year: i32, second_half: bool },
    #[error("the late charges are too large to compute")]
    Overflow,
}

/// A percentage as people write it, "2.15", "2,15 %" or "10", in basis points (215, 1000);
/// at most two decimals, from 0 to 30 %. `None` for anything else.
pub fn percent_bp(text: &str) -> Option<i64> {
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || whole.len() > 2
        || frac.len() > 2
        || !whole
            .chars()
            .chain(frac.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let frac = format!("{frac:0<2}");
    let bp = whole.parse::<i64>().ok()? * 100 + frac.parse::<i64>().ok()?;
    (bp <= 3000).then_some(bp)
}

/// A rate in basis points as the settings form shows it: "2.15".
pub fn percent_text(bp: i64) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

/// The reference rates as typed, one half-year per line: "2026-S2 2.15" (S1 or H1: January to
/// June; S2 or H2: July to December). Blank lines are skipped; a half-year written twice is
/// refused. `Err(n)`: line `n` (from 1) is not understood.
pub fn parse_rates(text: &str) -> Result<Vec<HalfYearRate>, usize> {
    let mut out: Vec<HalfYearRate> = vec![];
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bad = n + 1;
        let (half, rate) = line.split_once(char::is_whitespace).ok_or(bad)?;
        let (year, which) = half.split_once('-').ok_or(bad)?;
        let year: i32 = year.parse().map_err(|_| bad)?;
        let second_half = match which.to_ascii_uppercase().as_str() {
            "S1" | "H1" => false,
            "S2" | "H2" => true,
            _ => return Err(bad),
        };
        let reference_bp = percent_bp(rate).ok_or(bad)?;
        if !(2000..=2100).contains(&year)
            || out
                .iter()
                .any(|r| r.year == year && r.second_half == second_half)
        {
            return Err(bad);
        }
        out.push(HalfYearRate {
            year,
            second_half,
            reference_bp,
        });
    }
    out.sort_by_key(|r| (r.year, r.second_half));
    Ok(out)
}

/// The rates as the settings form shows them, oldest first, one per line.
pub fn rates_text(rates: &[HalfYearRate]) -> String {
    let mut sorted = rates.to_vec();
    sorted.sort_by_key(|r| (r.year, r.second_half));
    sorted
        .iter()
        .map(|r| {
            format!(
                "{}-S{} {}",
                r.year,
                if r.second_half { 2 } else { 1 },
                percent_text(r.reference_bp)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Basis points per unit (10_000) times days per year (365).
const BP_DAYS_PER_YEAR: i128 = 10_000 * 365;

/// What may be claimed for one invoice on `as_of`. `None` when nothing may be: a consumer
/// (`business == false`), waived by the creditor, nothing remaining, or not yet late
/// (`as_of <= due`).
pub fn late_charges(
    terms: &ChargeTerms,
    business: bool,
    waived: bool,
    invoice_total: Money,
    remaining: Money,
    due: NaiveDate,
    as_of: NaiveDate,
) -> Result<Option<LateCharges>, ChargeError> {
    if !business || waived || remaining.minor <= 0 || as_of <= due {
        return Ok(None);
    }
    let interest = Money::new(
        interest_minor(terms, remaining.minor, due, as_of)?,
        remaining.currency,
    );
    Ok(Some(LateCharges {
        indemnity: indemnity(terms.regime, invoice_total),
        interest,
    }))
}

/// Simple interest from the day after `due` through `as_of` inclusive. A 365-day year for
/// every year, leap years included, so each day costs the same; the sum over half-years stays
/// exact in i128 and is divided (rounding half up) only once.
fn interest_minor(
    terms: &ChargeTerms,
    remaining: i64,
    due: NaiveDate,
    as_of: NaiveDate,
) -> Result<i64, ChargeError> {
    let mut sum: i128 = 0;
    let mut start = due.succ_opt();
    while let Some(from) = start.filter(|&d| d <= as_of) {
        let second_half = from.month() >= 7;
        let half_end = if second_half {
            NaiveDate::from_ymd_opt(from.year(), 12, 31)
        } else {
            NaiveDate::from_ymd_opt(from.year(), 6, 30)
        };
        let to = half_end.map_or(as_of, |end| end.min(as_of));
        let days = i128::from((to - from).num_days() + 1);
        // A claim is never negative, even if a reference rate ever is.
        let rate = (i128::from(terms.reference_bp(from.year(), second_half)?)
            + i128::from(terms.margin_bp))
        .max(0);
        sum = i128::from(remaining)
            .checked_mul(rate)
            .and_then(|x| x.checked_mul(days))
            .and_then(|x| x.checked_add(sum))
            .ok_or(ChargeError::Overflow)?;
        start = to.succ_opt();
    }
    let rounded = sum
        .checked_add(BP_DAYS_PER_YEAR / 2)
        .ok_or(ChargeError::Overflow)?
        / BP_DAYS_PER_YEAR;
    i64::try_from(rounded).map_err(|_| ChargeError::Overflow)
}

fn indemnity(regime: Regime, invoice_total: Money) -> Money {
    match regime {
        // Per late invoice, in euros whatever the invoice's currency.
        Regime::France => Money::new(4000, Currency::Eur),
        Regime::UnitedKingdom => {
            let hundredths = face_value_in_hundredths(invoice_total);
            // Bands at 1,000.00 and 10,000.00.
            let pounds = if hundredths < 100_000 {
                40
            } else if hundredths < 1_000_000 {
                70
            } else {
                100
            };
            Money::new(pounds * 100, Currency::Gbp)
        }
    }
}

/// The amount in hundredths of its major unit (yen ×100, cents as they are), so the sterling
/// bands read a non-sterling invoice at face value; converting it is the creditor's call.
fn face_value_in_hundredths(m: Money) -> i128 {
    let minor = i128::from(m.minor);
    match m.currency.exponent() {
        0 => minor * 100,
        1 => minor * 10,
        2 => minor,
        e => minor / 10i128.pow(e - 2),
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;

    #[test]
    fn percentages_read_as_people_write_them() {
        assert_eq!(percent_bp("2.15"), Some(215));
        assert_eq!(percent_bp(" 2,15 % "), Some(215));
        assert_eq!(percent_bp("10"), Some(1000));
        assert_eq!(percent_bp("0,5"), Some(50));
        for bad in ["", "-1", "2.155", "abc", "31", "1e2", "2..1", ".5"] {
            assert_eq!(percent_bp(bad), None, "{bad:?}");
        }
        assert_eq!(percent_text(215), "2.15");
        assert_eq!(percent_text(1000), "10.00");
    }

    #[test]
    fn rates_read_line_by_line_and_name_the_line_at_fault() {
        let r = parse_rates("2026-S2 2,15\n\n2026-h1 2.15\r\n2025-S2 2.15").unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(
            (r[0].year, r[0].second_half, r[2].year, r[2].second_half),
            (2025, true, 2026, true)
        );
        assert_eq!(rates_text(&r), "2025-S2 2.15\n2026-S1 2.15\n2026-S2 2.15");
        assert_eq!(parse_rates(&rates_text(&r)).unwrap(), r);
        assert_eq!(parse_rates("2026-S2 2.15\n2026-S3 2"), Err(2));
        assert_eq!(parse_rates("2026-S2 2.15\n2026-H2 3"), Err(2), "twice");
        assert_eq!(parse_rates("<script>"), Err(1));
        assert_eq!(parse_rates("1999-S1 2"), Err(1));
        assert_eq!(parse_rates(""), Ok(vec![]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::Eur)
    }

    fn gbp(minor: i64) -> Money {
        Money::new(minor, Currency::Gbp)
    }

    fn flat(regime: Regime, reference_bp: i64, margin_bp: i64) -> ChargeTerms {
        ChargeTerms {
            regime,
            margin_bp,
            rates: (2020..=2030)
                .flat_map(|year| {
                    [false, true].map(|second_half| HalfYearRate {
                        year,
                        second_half,
                        reference_bp,
                    })
                })
                .collect(),
        }
    }

    #[test]
    fn france_thirty_days_at_twelve_fifteen_percent() {
        // 1 Feb .. 2 Mar 2026 inclusive = 28 + 2 = 30 days, at 215 + 1000 = 1215 bp.
        // 123456 × 1215 × 30 = 4_499_971_200; / 3_650_000 = 1232.868… → 1233 cents.
        // (1234.56 × 0.1215 × 30 / 365 = 12.3287 EUR.)
        let charges = late_charges(
            &ChargeTerms::france_default(),
            true,
            false,
            eur(150_000),
            eur(123_456),
            d(2026, 1, 31),
            d(2026, 3, 2),
        );
        assert_eq!(
            charges,
            Ok(Some(LateCharges {
                indemnity: eur(4000),
                interest: eur(1233),
            }))
        );
    }

    #[test]
    fn france_indemnity_is_in_euros_whatever_the_invoice_currency() {
        // USD 1,000.00 for 1 day (2 Jan 2026) at 1215 bp: 100000 × 1215 = 121_500_000;
        // / 3_650_000 = 33.28… → 33 cents, in dollars.
        let charges = late_charges(
            &ChargeTerms::france_default(),
            true,
            false,
            Money::new(100_000, Currency::Usd),
            Money::new(100_000, Currency::Usd),
            d(2026, 1, 1),
            d(2026, 1, 2),
        )
        .unwrap()
        .unwrap();
        assert_eq!(charges.indemnity, eur(4000));
        assert_eq!(charges.interest, Money::new(33, Currency::Usd));
    }

    #[test]
    fn uk_interest_spanning_two_half_years_uses_each_rate() {
        // Due 16 Dec 2025. 17–31 Dec = 15 days at 400 + 800 = 1200 bp;
        // 1–15 Jan 2026 = 15 days at 375 + 800 = 1175 bp.
        // 500000 × (1200 × 15 + 1175 × 15) = 500000 × 35625 = 17_812_500_000;
        // / 3_650_000 = 4880.13… → 4880 pence (24.6575 + 24.1438 = 48.8014 GBP).
        let charges = late_charges(
            &ChargeTerms::uk_default(),
            true,
            false,
            gbp(600_000),
            gbp(500_000),
            d(2025, 12, 16),
            d(2026, 1, 15),
        );
        assert_eq!(
            charges,
            Ok(Some(LateCharges {
                indemnity: gbp(7000),
                interest: gbp(4880),
            }))
        );
    }

    #[test]
    fn interest_rounds_half_up_to_the_minor_unit() {
        // One day at 1000 bp: 1825 × 1000 × 1 = 1_825_000 = exactly half of 3_650_000 → 1.
        let one_day = |minor| {
            late_charges(
                &flat(Regime::France, 0, 1000),
                true,
                false,
                eur(minor),
                eur(minor),
                d(2026, 3, 1),
                d(2026, 3, 2),
            )
            .unwrap()
            .unwrap()
            .interest
        };
        assert_eq!(one_day(1825), eur(1));
        assert_eq!(one_day(1824), eur(0));
    }

    #[test]
    fn a_leap_day_costs_the_same_as_any_other_day() {
        // 29 Feb 2028 alone vs 1 Mar 2028 alone, on 3650.00 at 1000 bp: 365000 × 1000 / 3_650_000 = 100.
        let terms = flat(Regime::France, 0, 1000);
        let day = |due, as_of| {
            late_charges(&terms, true, false, eur(365_000), eur(365_000), due, as_of)
                .unwrap()
                .unwrap()
                .interest
        };
        assert_eq!(day(d(2028, 2, 28), d(2028, 2, 29)), eur(100));
        assert_eq!(day(d(2028, 2, 29), d(2028, 3, 1)), eur(100));
    }

    #[test]
    fn a_half_year_without_a_rate_is_an_error_not_a_guess() {
        // The defaults stop at 30 June 2026; July needs 2026 H2.
        let r = late_charges(
            &ChargeTerms::france_default(),
            true,
            false,
            eur(10_000),
            eur(10_000),
            d(2026, 6, 15),
            d(2026, 7, 10),
        );
        assert_eq!(
            r,
            Err(ChargeError::MissingRate {
                year: 2026,
                second_half: true
            })
        );
        assert_eq!(
            r.unwrap_err().to_string(),
            "no reference rate is set for the second half of 2026: add it to the late-charge settings"
        );
    }

    #[test]
    fn nothing_is_claimed_from_consumers_when_waived_paid_or_not_yet_late() {
        let terms = ChargeTerms::france_default();
        let due = d(2026, 1, 31);
        let late = d(2026, 3, 2);
        let run = |business, waived, remaining, as_of| {
            late_charges(
                &terms,
                business,
                waived,
                eur(10_000),
                eur(remaining),
                due,
                as_of,
            )
        };
        assert_eq!(run(false, false, 10_000, late), Ok(None), "consumer");
        assert_eq!(run(true, true, 10_000, late), Ok(None), "waived");
        assert_eq!(run(true, false, 0, late), Ok(None), "paid");
        assert_eq!(run(true, false, -500, late), Ok(None), "overpaid");
        assert_eq!(run(true, false, 10_000, due), Ok(None), "due today");
        assert_eq!(
            run(true, false, 10_000, d(2026, 1, 1)),
            Ok(None),
            "before due"
        );
        assert!(matches!(run(true, false, 10_000, late), Ok(Some(_))));
    }

    #[test]
    fn uk_indemnity_bands_by_invoice_total() {
        let indemnity = |total| {
            late_charges(
                &ChargeTerms::uk_default(),
                true,
                false,
                gbp(total),
                gbp(100),
                d(2026, 2, 1),
                d(2026, 2, 2),
            )
            .unwrap()
            .unwrap()
            .indemnity
        };
        assert_eq!(indemnity(99_999), gbp(4000));
        assert_eq!(indemnity(100_000), gbp(7000));
        assert_eq!(indemnity(999_999), gbp(7000));
        assert_eq!(indemnity(1_000_000), gbp(10_000));
    }

    #[test]
    fn uk_bands_read_a_yen_invoice_at_face_value() {
        let total = Money::new(1_000, Currency::Jpy);
        assert_eq!(indemnity(Regime::UnitedKingdom, total), gbp(7000));
        assert_eq!(
            indemnity(Regime::UnitedKingdom, Money::new(999, Currency::Jpy)),
            gbp(4000)
        );
    }

    #[test]
    fn amounts_too_large_are_an_error_not_a_wrap() {
        // i64::MAX at 1_000_000 bp (10,000 % a year) for a year is 100 × i64::MAX.
        let r = late_charges(
            &flat(Regime::France, 0, 1_000_000),
            true,
            false,
            eur(i64::MAX),
            eur(i64::MAX),
            d(2025, 12, 31),
            d(2026, 12, 31),
        );
        assert_eq!(r, Err(ChargeError::Overflow));
    }

    proptest! {
        #[test]
        fn interest_never_decreases_as_time_passes(
            remaining in 1i64..1_000_000_000_000,
            reference in -100i64..2000,
            margin in 0i64..2000,
            due_offset in 0u64..1000,
            a in 1u64..1500,
            b in 1u64..1500,
        ) {
            let terms = flat(Regime::France, reference, margin);
            let due = d(2021, 1, 1) + chrono::Days::new(due_offset);
            let (a, b) = (a.min(b), a.max(b));
            let at = |n| {
                late_charges(&terms, true, false, eur(remaining), eur(remaining), due, due + chrono::Days::new(n))
                    .unwrap()
                    .unwrap()
                    .interest
                    .minor
            };
            prop_assert!(at(a) <= at(b));
        }

        #[test]
        fn interest_is_zero_at_a_zero_rate(
            remaining in 1i64..i64::MAX,
            days in 1u64..3000,
        ) {
            let terms = flat(Regime::UnitedKingdom, 0, 0);
            let due = d(2021, 3, 1);
            let charges = late_charges(&terms, true, false, gbp(remaining), gbp(remaining), due, due + chrono::Days::new(days))
                .unwrap()
                .unwrap();
            prop_assert_eq!(charges.interest, gbp(0));
        }
    }
}
