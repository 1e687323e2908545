//! Payment schedules (échéanciers): the creditor's rules, and whether a debtor's proposal is
//! accepted at once or goes to an agent. Pure: the browser says it as the debtor types, the
//! server decides with the same code.

use super::invoice::UnknownValue;
use super::money::{Currency, Money};
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How accepted schedules are followed until a creditor says otherwise: a friendly reminder
/// this many days before each instalment, and a schedule broken when one is this late.
pub const DEFAULT_REMINDER_DAYS: i64 = 3;
pub const DEFAULT_GRACE_DAYS: i64 = 7;

/// No schedule has more instalments than this, whatever the creditor's rules.
pub const MAX_INSTALMENTS: u32 = 60;
/// No instalment falls more than this many days (three years) after today, whatever the rules.
pub const HORIZON_DAYS: u32 = 1096;

/// How far apart instalments fall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rhythm {
    Weekly,
    Fortnightly,
    Monthly,
}

impl Rhythm {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Weekly => "weekly",
            Self::Fortnightly => "fortnightly",
            Self::Monthly => "monthly",
        }
    }

    pub fn parse(s: &str) -> Result<Self, UnknownValue> {
        match s {
            "weekly" => Ok(Self::Weekly),
            "fortnightly" => Ok(Self::Fortnightly),
            "monthly" => Ok(Self::Monthly),
            _ => Err(UnknownValue {
                what: "rhythm",
                value: s.chars().take(40).collect(),
            }),
        }
    }

    /// The date of instalment `n` (0 = `first`). Monthly keeps `first`'s day of month, clamped
    /// to the month's end (31 Jan → 28/29 Feb → 31 Mar). `None` past the calendar's end.
    pub fn date(self, first: NaiveDate, n: u32) -> Option<NaiveDate> {
        // Always counted from `first`, never from the previous date, so a clamped 28 February
        // does not turn every later 31st into a 28th.
        match self {
            Self::Weekly => first.checked_add_days(Days::new(7 * u64::from(n))),
            Self::Fortnightly => first.checked_add_days(Days::new(14 * u64::from(n))),
            Self::Monthly => first.checked_add_months(Months::new(n)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instalment {
    pub due_date: NaiveDate,
    pub amount: Money,
}

/// One balance band of a creditor's rules: proposals whose total is in `[from, to)` use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandRule {
    pub from: Money,
    /// `None`: no upper bound.
    pub to: Option<Money>,
    pub max_instalments: u32,
    /// From today to the last instalment.
    pub max_duration_days: u32,
    /// Every instalment at least this much (capped at the total, so paying all at once is fine).
    pub min_instalment: Money,
    /// The first instalment is at least this share of the total, in basis points (2000 = 20 %).
    pub min_down_payment_bp: u32,
    /// The first instalment falls no later than today + this many days.
    pub first_payment_within_days: u32,
    /// Inside the rules → accepted at once; `false` → a person always decides.
    pub auto_accept: bool,
}

impl BandRule {
    /// The smallest first instalment this band accepts for `total`. Rounded up to the next
    /// minor unit so the debtor never pays less than the stated share (20 % of 10.01 € = 2.01 €).
    pub fn min_down_payment(&self, total: Money) -> Money {
        let share = (i128::from(total.minor.max(0)) * i128::from(self.min_down_payment_bp) + 9_999)
            / 10_000;
        Money::new(i64::try_from(share).unwrap_or(i64::MAX), total.currency)
    }

    /// The smallest instalment this band accepts for `total`.
    pub fn min_instalment_for(&self, total: Money) -> Money {
        Money::new(self.min_instalment.minor.min(total.minor), total.currency)
    }

    fn breaches(
        &self,
        total: Money,
        instalments: &[Instalment],
        today: NaiveDate,
    ) -> Result<Vec<Reason>, ScheduleError> {
        let mut reasons = Vec::new();
        let (Some(first), Some(last)) = (instalments.first(), instalments.last()) else {
            return Err(ScheduleError::NoInstalments);
        };
        if instalments.len() > self.max_instalments as usize {
            reasons.push(Reason::TooManyInstalments {
                max: self.max_instalments,
            });
        }
        if (last.due_date - today).num_days() > i64::from(self.max_duration_days) {
            reasons.push(Reason::TooLong {
                max_days: self.max_duration_days,
            });
        }
        let min = self.min_instalment_for(total);
        if instalments.iter().any(|i| i.amount.minor < min.minor) {
            reasons.push(Reason::InstalmentTooSmall { min });
        }
        let down = self.min_down_payment(total);
        if first.amount.minor < down.minor {
            reasons.push(Reason::DownPaymentTooSmall { min: down });
        }
        let latest = today
            .checked_add_days(Days::new(self.first_payment_within_days.into()))
            .ok_or(ScheduleError::Overflow)?;
        if first.due_date > latest {
            reasons.push(Reason::FirstPaymentTooLate { latest });
        }
        Ok(reasons)
    }
}

/// A creditor's rules for schedules: bands by total, from zero upwards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleRules {
    pub bands: Vec<BandRule>,
}

/// What is wrong with a creditor's rules. `band` counts from 1, as the settings page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum RulesError {
    #[error("add at least one band")]
    NoBands,
    #[error("the first band must start at 0")]
    NotFromZero,
    #[error("band {band} must start exactly where the band before it ends")]
    NotContiguous { band: usize },
    #[error("band {band} has no upper limit, so it must be the last one")]
    UnboundedNotLast { band: usize },
    #[error("band {band} must end above where it starts")]
    EmptyBand { band: usize },
    #[error("all amounts in the rules must be in one currency")]
    MixedCurrency,
    #[error("band {band}: the number of instalments must be between 1 and {MAX_INSTALMENTS}")]
    InstalmentsOutOfRange { band: usize },
    #[error("band {band}: durations must be at most {HORIZON_DAYS} days")]
    DaysOutOfRange { band: usize },
    #[error("band {band}: the minimum instalment cannot be negative")]
    NegativeMinimum { band: usize },
    #[error("band {band}: the first payment cannot be more than 100 % of the total")]
    DownPaymentOutOfRange { band: usize },
}

impl ScheduleRules {
    /// Bands start at 0, follow each other without gap or overlap, only the last is unbounded,
    /// one currency throughout, and every number within the hard limits.
    pub fn validate(&self) -> Result<(), RulesError> {
        let first = self.bands.first().ok_or(RulesError::NoBands)?;
        let currency = first.from.currency;
        if first.from.minor != 0 {
            return Err(RulesError::NotFromZero);
        }
        // Where the next band must start; `None` once a band had no upper limit.
        let mut next_from = Some(first.from);
        for (i, b) in self.bands.iter().enumerate() {
            let band = i + 1;
            if [Some(b.from), b.to, Some(b.min_instalment)]
                .iter()
                .flatten()
                .any(|m| m.currency != currency)
            {
                return Err(RulesError::MixedCurrency);
            }
            match next_from {
                None => return Err(RulesError::UnboundedNotLast { band: i }),
                Some(from) if from != b.from => return Err(RulesError::NotContiguous { band }),
                Some(_) => {}
            }
            if b.to.is_some_and(|to| to.minor <= b.from.minor) {
                return Err(RulesError::EmptyBand { band });
            }
            if !(1..=MAX_INSTALMENTS).contains(&b.max_instalments) {
                return Err(RulesError::InstalmentsOutOfRange { band });
            }
            if b.max_duration_days > HORIZON_DAYS || b.first_payment_within_days > HORIZON_DAYS {
                return Err(RulesError::DaysOutOfRange { band });
            }
            if b.min_instalment.minor < 0 {
                return Err(RulesError::NegativeMinimum { band });
            }
            if b.min_down_payment_bp > 10_000 {
                return Err(RulesError::DownPaymentOutOfRange { band });
            }
            next_from = b.to;
        }
        Ok(())
    }

    /// The band whose `[from, to)` holds `total`; `None` above a bounded last band or in
    /// another currency.
    pub fn band_for(&self, total: Money) -> Option<&BandRule> {
        self.bands.iter().find(|b| {
            b.from.currency == total.currency
                && b.from.minor <= total.minor
                && b.to.is_none_or(|to| total.minor < to.minor)
        })
    }

    /// The example from the product brief, in `currency`'s units (500 means 500.00):
    /// under 500, up to 3 instalments within 60 days, accepted at once; 500 to 5,000, up to 6
    /// instalments within 186 days, the first at least 20 % within 7 days, accepted at once;
    /// from 5,000, an agent decides, and the generous limits only flag what is unusual.
    pub fn example(currency: Currency) -> Self {
        let units = |major: i64| Money::new(major * 10_i64.pow(currency.exponent()), currency);
        let zero = Money::zero(currency);
        Self {
            bands: vec![
                BandRule {
                    from: zero,
                    to: Some(units(500)),
                    max_instalments: 3,
                    max_duration_days: 60,
                    min_instalment: zero,
                    min_down_payment_bp: 0,
                    first_payment_within_days: 60,
                    auto_accept: true,
                },
                BandRule {
                    from: units(500),
                    to: Some(units(5_000)),
                    max_instalments: 6,
                    max_duration_days: 186,
                    min_instalment: zero,
                    min_down_payment_bp: 2_000,
                    first_payment_within_days: 7,
                    auto_accept: true,
                },
                BandRule {
                    from: units(5_000),
                    to: None,
                    max_instalments: 36,
                    max_duration_days: HORIZON_DAYS,
                    min_instalment: zero,
                    min_down_payment_bp: 0,
                    first_payment_within_days: 31,
                    auto_accept: false,
                },
            ],
        }
    }
}

/// Where a proposal or a schedule stands, from the debtor's proposal to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScheduleStatus {
    /// The debtor's proposal, waiting for an agent.
    Proposed,
    /// An agent's counter-proposal, waiting for the debtor.
    Countered,
    Accepted,
    Rejected,
    Withdrawn,
    /// The debtor declined a counter-proposal.
    Declined,
    /// Replaced by a counter-proposal.
    Superseded,
    /// An instalment stayed unpaid past the grace period.
    Broken,
    Completed,
}

impl ScheduleStatus {
    const ALL: [Self; 9] = [
        Self::Proposed,
        Self::Countered,
        Self::Accepted,
        Self::Rejected,
        Self::Withdrawn,
        Self::Declined,
        Self::Superseded,
        Self::Broken,
        Self::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Countered => "countered",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::Declined => "declined",
            Self::Superseded => "superseded",
            Self::Broken => "broken",
            Self::Completed => "completed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Waiting for an answer from one side or the other.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Proposed | Self::Countered)
    }
}

/// A proposal that cannot stand, whatever the creditor's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ScheduleError {
    #[error("add at least one instalment")]
    NoInstalments,
    #[error("a schedule can have at most {max} instalments")]
    TooManyInstalments { max: u32 },
    #[error("the total and every instalment must be more than zero")]
    NotPositive,
    #[error("each instalment must fall after the one before it")]
    DatesNotIncreasing,
    #[error("the first instalment cannot be in the past")]
    DateInPast,
    #[error("the last instalment must fall on or before {latest}")]
    BeyondHorizon { latest: NaiveDate },
    #[error(
        "the instalments add up to {} {} but the total is {} {}",
        .got.to_decimal_string(), .got.currency, .expected.to_decimal_string(), .expected.currency
    )]
    DoesNotSum { expected: Money, got: Money },
    #[error("all instalments must be in the currency of the total")]
    MixedCurrency,
    #[error("the amount is too large")]
    Overflow,
}

/// Why a person must look at a proposal. Shown to the debtor as they type, and to the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reason {
    /// The creditor reviews every schedule for this total.
    AgentDecides,
    TooManyInstalments {
        max: u32,
    },
    TooLong {
        max_days: u32,
    },
    InstalmentTooSmall {
        min: Money,
    },
    DownPaymentTooSmall {
        min: Money,
    },
    FirstPaymentTooLate {
        latest: NaiveDate,
    },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let money = |m: &Money| format!("{} {}", m.to_decimal_string(), m.currency);
        match self {
            Self::AgentDecides => {
                f.write_str("the creditor reviews every schedule for this amount")
            }
            Self::TooManyInstalments { max } => {
                write!(f, "to be accepted at once, use at most {max} instalments")
            }
            Self::TooLong { max_days } => {
                write!(
                    f,
                    "to be accepted at once, the last instalment must fall within {max_days} days"
                )
            }
            Self::InstalmentTooSmall { min } => {
                write!(
                    f,
                    "to be accepted at once, each instalment must be at least {}",
                    money(min)
                )
            }
            Self::DownPaymentTooSmall { min } => {
                write!(
                    f,
                    "to be accepted at once, the first instalment must be at least {}",
                    money(min)
                )
            }
            Self::FirstPaymentTooLate { latest } => {
                write!(
                    f,
                    "to be accepted at once, the first instalment must fall on or before {latest}"
                )
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    AcceptAtOnce,
    /// Never empty: the reasons a person must look.
    Review(Vec<Reason>),
}

/// `count` equal instalments of `total`, the rounding remainder on the last one; dates from
/// `first` by `rhythm`.
pub fn split_evenly(
    total: Money,
    count: u32,
    first: NaiveDate,
    rhythm: Rhythm,
) -> Result<Vec<Instalment>, ScheduleError> {
    if count == 0 {
        return Err(ScheduleError::NoInstalments);
    }
    if count > MAX_INSTALMENTS {
        return Err(ScheduleError::TooManyInstalments {
            max: MAX_INSTALMENTS,
        });
    }
    // Fewer minor units than instalments would leave some at zero.
    if total.minor < i64::from(count) {
        return Err(ScheduleError::NotPositive);
    }
    let each = total.minor / i64::from(count);
    let last = each + total.minor % i64::from(count);
    (0..count)
        .map(|n| {
            let due_date = rhythm.date(first, n).ok_or(ScheduleError::Overflow)?;
            let minor = if n + 1 == count { last } else { each };
            Ok(Instalment {
                due_date,
                amount: Money::new(minor, total.currency),
            })
        })
        .collect()
}

/// Refuses what is invalid outright (`ScheduleError`), else says whether the rules accept it at
/// once. A total in no band, or rules that do not validate, always go to an agent.
pub fn check_proposal(
    rules: &ScheduleRules,
    total: Money,
    instalments: &[Instalment],
    today: NaiveDate,
) -> Result<Verdict, ScheduleError> {
    let (Some(first), Some(last)) = (instalments.first(), instalments.last()) else {
        return Err(ScheduleError::NoInstalments);
    };
    if instalments.len() > MAX_INSTALMENTS as usize {
        return Err(ScheduleError::TooManyInstalments {
            max: MAX_INSTALMENTS,
        });
    }
    if total.minor <= 0 {
        return Err(ScheduleError::NotPositive);
    }
    if instalments
        .iter()
        .any(|i| i.amount.currency != total.currency)
    {
        return Err(ScheduleError::MixedCurrency);
    }
    if instalments.iter().any(|i| i.amount.minor <= 0) {
        return Err(ScheduleError::NotPositive);
    }
    if first.due_date < today {
        return Err(ScheduleError::DateInPast);
    }
    if instalments
        .windows(2)
        .any(|w| w[1].due_date <= w[0].due_date)
    {
        return Err(ScheduleError::DatesNotIncreasing);
    }
    let latest = today
        .checked_add_days(Days::new(HORIZON_DAYS.into()))
        .ok_or(ScheduleError::Overflow)?;
    if last.due_date > latest {
        return Err(ScheduleError::BeyondHorizon { latest });
    }
    let got = instalments
        .iter()
        .try_fold(Money::zero(total.currency), |acc, i| {
            acc.checked_add(i.amount)
        })
        .map_err(|_| ScheduleError::Overflow)?;
    if got != total {
        return Err(ScheduleError::DoesNotSum {
            expected: total,
            got,
        });
    }

    // Rules that do not validate could hold a lax overlapping band: never accept under them.
    let band = rules.validate().ok().and_then(|()| rules.band_for(total));
    let reasons = match band {
        None => vec![Reason::AgentDecides],
        Some(b) => {
            let mut reasons = if b.auto_accept {
                vec![]
            } else {
                vec![Reason::AgentDecides]
            };
            reasons.extend(b.breaches(total, instalments, today)?);
            reasons
        }
    };
    Ok(if reasons.is_empty() {
        Verdict::AcceptAtOnce
    } else {
        Verdict::Review(reasons)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn statuses_round_trip_through_their_stored_names() {
        for st in ScheduleStatus::ALL {
            assert_eq!(ScheduleStatus::parse(st.as_str()), Some(st));
        }
        assert_eq!(ScheduleStatus::parse("ACCEPTED"), None);
        assert!(ScheduleStatus::Countered.is_open() && !ScheduleStatus::Accepted.is_open());
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn eur(m: i64) -> Money {
        Money::new(m, Currency::Eur)
    }

    fn inst(due: &str, minor: i64) -> Instalment {
        Instalment {
            due_date: d(due),
            amount: eur(minor),
        }
    }

    fn dates(first: &str, rhythm: Rhythm, count: u32) -> Vec<String> {
        (0..count)
            .map(|n| rhythm.date(d(first), n).unwrap().to_string())
            .collect()
    }

    /// One auto-accept band covering everything: 4 instalments, 90 days, 10 € minimum, 25 % down
    /// within 10 days.
    fn one_band() -> ScheduleRules {
        ScheduleRules {
            bands: vec![BandRule {
                from: eur(0),
                to: None,
                max_instalments: 4,
                max_duration_days: 90,
                min_instalment: eur(1_000),
                min_down_payment_bp: 2_500,
                first_payment_within_days: 10,
                auto_accept: true,
            }],
        }
    }

    const TODAY: &str = "2026-03-01";

    fn check(
        rules: &ScheduleRules,
        total: i64,
        instalments: &[Instalment],
    ) -> Result<Verdict, ScheduleError> {
        check_proposal(rules, eur(total), instalments, d(TODAY))
    }

    #[test]
    fn rhythms_round_trip_through_their_stored_names() {
        for r in [Rhythm::Weekly, Rhythm::Fortnightly, Rhythm::Monthly] {
            assert_eq!(Rhythm::parse(r.as_str()), Ok(r));
        }
        assert!(Rhythm::parse("daily").is_err());
    }

    #[test]
    fn monthly_keeps_the_day_clamped_to_the_month_end_without_drift() {
        assert_eq!(
            dates("2026-01-31", Rhythm::Monthly, 4),
            ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]
        );
        assert_eq!(
            dates("2028-01-31", Rhythm::Monthly, 3),
            ["2028-01-31", "2028-02-29", "2028-03-31"]
        ); // leap year
        assert_eq!(
            dates("2026-01-30", Rhythm::Monthly, 3),
            ["2026-01-30", "2026-02-28", "2026-03-30"]
        );
        assert_eq!(
            dates("2027-12-29", Rhythm::Monthly, 3),
            ["2027-12-29", "2028-01-29", "2028-02-29"]
        );
        assert_eq!(
            dates("2026-11-30", Rhythm::Monthly, 3),
            ["2026-11-30", "2026-12-30", "2027-01-30"]
        );
    }

    #[test]
    fn weekly_and_fortnightly_add_7_and_14_days() {
        assert_eq!(
            dates("2026-12-24", Rhythm::Weekly, 3),
            ["2026-12-24", "2026-12-31", "2027-01-07"]
        );
        assert_eq!(
            dates("2028-02-15", Rhythm::Fortnightly, 3),
            ["2028-02-15", "2028-02-29", "2028-03-14"]
        );
    }

    #[test]
    fn split_evenly_puts_the_remainder_on_the_last_instalment() {
        let s = split_evenly(eur(10_000), 3, d("2026-01-31"), Rhythm::Monthly).unwrap();
        assert_eq!(
            s,
            vec![
                inst("2026-01-31", 3_333),
                inst("2026-02-28", 3_333),
                inst("2026-03-31", 3_334)
            ]
        );
        assert_eq!(
            split_evenly(eur(5), 1, d(TODAY), Rhythm::Weekly).unwrap(),
            vec![inst(TODAY, 5)]
        );
    }

    #[test]
    fn split_evenly_refuses_what_cannot_be_split() {
        let first = d(TODAY);
        assert_eq!(
            split_evenly(eur(100), 0, first, Rhythm::Weekly),
            Err(ScheduleError::NoInstalments)
        );
        assert_eq!(
            split_evenly(eur(100), 61, first, Rhythm::Weekly),
            Err(ScheduleError::TooManyInstalments { max: 60 })
        );
        assert_eq!(
            split_evenly(eur(0), 1, first, Rhythm::Weekly),
            Err(ScheduleError::NotPositive)
        );
        assert_eq!(
            split_evenly(eur(2), 3, first, Rhythm::Weekly),
            Err(ScheduleError::NotPositive)
        );
        assert_eq!(
            split_evenly(eur(100), 2, NaiveDate::MAX, Rhythm::Monthly),
            Err(ScheduleError::Overflow)
        );
    }

    #[test]
    fn example_rules_are_valid_and_pick_the_right_band_at_the_edges() {
        let rules = ScheduleRules::example(Currency::Eur);
        assert_eq!(rules.validate(), Ok(()));
        let band = |minor| rules.band_for(eur(minor)).map(|b| b.max_instalments);
        assert_eq!(
            (band(1), band(49_999), band(50_000)),
            (Some(3), Some(3), Some(6))
        );
        assert_eq!(
            (band(499_999), band(500_000), band(i64::MAX)),
            (Some(6), Some(36), Some(36))
        );
        assert_eq!(rules.band_for(Money::new(100, Currency::Usd)), None);
        assert_eq!(ScheduleRules::example(Currency::Jpy).validate(), Ok(()));
    }

    #[test]
    fn example_under_500_three_instalments_within_60_days_is_accepted() {
        let rules = ScheduleRules::example(Currency::Eur);
        let ok = [
            inst("2026-03-01", 10_000),
            inst("2026-03-31", 10_000),
            inst("2026-04-30", 10_000),
        ];
        assert_eq!(check(&rules, 30_000, &ok), Ok(Verdict::AcceptAtOnce));
        let four = split_evenly(eur(30_000), 4, d(TODAY), Rhythm::Fortnightly).unwrap();
        assert_eq!(
            check(&rules, 30_000, &four),
            Ok(Verdict::Review(vec![Reason::TooManyInstalments { max: 3 }]))
        );
        let long = [inst("2026-03-01", 10_000), inst("2026-05-01", 20_000)]; // 61 days
        assert_eq!(
            check(&rules, 30_000, &long),
            Ok(Verdict::Review(vec![Reason::TooLong { max_days: 60 }]))
        );
    }

    #[test]
    fn example_500_to_5000_needs_20_percent_within_7_days() {
        let rules = ScheduleRules::example(Currency::Eur);
        let six = split_evenly(eur(300_000), 6, d("2026-03-08"), Rhythm::Monthly).unwrap();
        assert_eq!(
            check(&rules, 300_000, &six),
            Ok(Verdict::Review(vec![Reason::DownPaymentTooSmall {
                min: eur(60_000)
            }]))
        );
        let mut six = six;
        six[0].amount = eur(60_000);
        six[5].amount = eur(300_000 - 60_000 - 4 * 50_000);
        assert_eq!(check(&rules, 300_000, &six), Ok(Verdict::AcceptAtOnce));
        six[0].due_date = d("2026-03-09");
        assert_eq!(
            check(&rules, 300_000, &six),
            Ok(Verdict::Review(vec![Reason::FirstPaymentTooLate {
                latest: d("2026-03-08")
            }]))
        );
    }

    #[test]
    fn example_from_5000_always_goes_to_an_agent_with_the_breaches() {
        let rules = ScheduleRules::example(Currency::Eur);
        let plan = split_evenly(eur(1_200_000), 12, d(TODAY), Rhythm::Monthly).unwrap();
        assert_eq!(
            check(&rules, 1_200_000, &plan),
            Ok(Verdict::Review(vec![Reason::AgentDecides]))
        );
        let late = split_evenly(eur(1_200_000), 12, d("2026-05-01"), Rhythm::Monthly).unwrap();
        assert_eq!(
            check(&rules, 1_200_000, &late),
            Ok(Verdict::Review(vec![
                Reason::AgentDecides,
                Reason::FirstPaymentTooLate {
                    latest: d("2026-04-01")
                }
            ]))
        );
    }

    #[test]
    fn a_total_above_a_bounded_last_band_goes_to_an_agent() {
        let mut rules = one_band();
        rules.bands[0].to = Some(eur(100_000));
        let plan = [inst(TODAY, 100_000)];
        assert_eq!(
            check(&rules, 100_000, &plan),
            Ok(Verdict::Review(vec![Reason::AgentDecides]))
        );
        assert_eq!(
            check(&rules, 99_999, &[inst(TODAY, 99_999)]),
            Ok(Verdict::AcceptAtOnce)
        );
    }

    #[test]
    fn invalid_rules_never_accept() {
        let mut rules = one_band();
        rules.bands[0].min_down_payment_bp = 10_001;
        assert_eq!(
            check(&rules, 5_000, &[inst(TODAY, 5_000)]),
            Ok(Verdict::Review(vec![Reason::AgentDecides]))
        );
    }

    #[test]
    fn each_band_rule_is_a_reason_and_all_are_listed() {
        let rules = one_band();
        let at_limits = [
            inst("2026-03-11", 2_500),
            inst("2026-04-01", 1_000),
            inst("2026-05-01", 1_000),
            inst("2026-05-30", 5_500),
        ];
        assert_eq!(check(&rules, 10_000, &at_limits), Ok(Verdict::AcceptAtOnce));
        let everything_wrong = [
            inst("2026-03-12", 2_499),
            inst("2026-04-01", 999),
            inst("2026-04-02", 1_000),
            inst("2026-04-03", 1_000),
            inst("2026-05-31", 4_502),
        ];
        assert_eq!(
            check(&rules, 10_000, &everything_wrong),
            Ok(Verdict::Review(vec![
                Reason::TooManyInstalments { max: 4 },
                Reason::TooLong { max_days: 90 },
                Reason::InstalmentTooSmall { min: eur(1_000) },
                Reason::DownPaymentTooSmall { min: eur(2_500) },
                Reason::FirstPaymentTooLate {
                    latest: d("2026-03-11")
                },
            ]))
        );
    }

    #[test]
    fn paying_a_small_total_at_once_is_not_below_the_minimum_instalment() {
        assert_eq!(
            check(&one_band(), 500, &[inst(TODAY, 500)]),
            Ok(Verdict::AcceptAtOnce)
        );
        assert_eq!(
            check(
                &one_band(),
                1_500,
                &[inst(TODAY, 800), inst("2026-03-02", 700)]
            ),
            Ok(Verdict::Review(vec![Reason::InstalmentTooSmall {
                min: eur(1_000)
            }]))
        );
        assert_eq!(
            check(
                &one_band(),
                2_000,
                &[inst(TODAY, 900), inst("2026-03-02", 1_100)]
            ),
            Ok(Verdict::Review(vec![Reason::InstalmentTooSmall {
                min: eur(1_000)
            }]))
        );
    }

    #[test]
    fn down_payment_share_is_rounded_up_to_the_next_cent() {
        let band = BandRule {
            min_down_payment_bp: 2_000,
            ..one_band().bands[0].clone()
        };
        assert_eq!(band.min_down_payment(eur(1_001)), eur(201));
        assert_eq!(band.min_down_payment(eur(1_000)), eur(200));
        assert_eq!(
            BandRule {
                min_down_payment_bp: 10_000,
                ..band.clone()
            }
            .min_down_payment(eur(i64::MAX)),
            eur(i64::MAX)
        );
        let rules = ScheduleRules {
            bands: vec![BandRule {
                min_down_payment_bp: 2_000,
                min_instalment: eur(0),
                ..one_band().bands[0].clone()
            }],
        };
        let plan = |first| [inst(TODAY, first), inst("2026-03-02", 1_001 - first)];
        assert_eq!(
            check(&rules, 1_001, &plan(200)),
            Ok(Verdict::Review(vec![Reason::DownPaymentTooSmall {
                min: eur(201)
            }]))
        );
        assert_eq!(check(&rules, 1_001, &plan(201)), Ok(Verdict::AcceptAtOnce));
    }

    #[test]
    fn invalid_proposals_are_refused_whatever_the_rules() {
        let rules = one_band();
        assert_eq!(check(&rules, 100, &[]), Err(ScheduleError::NoInstalments));
        let many: Vec<_> = (0..61)
            .map(|n| Instalment {
                due_date: d(TODAY) + Days::new(n),
                amount: eur(1),
            })
            .collect();
        assert_eq!(
            check(&rules, 61, &many),
            Err(ScheduleError::TooManyInstalments { max: 60 })
        );
        assert_eq!(
            check(&rules, 0, &[inst(TODAY, 0)]),
            Err(ScheduleError::NotPositive)
        );
        assert_eq!(
            check(&rules, 100, &[inst(TODAY, 150), inst("2026-03-02", -50)]),
            Err(ScheduleError::NotPositive)
        );
        let usd = Instalment {
            due_date: d(TODAY),
            amount: Money::new(100, Currency::Usd),
        };
        assert_eq!(
            check(&rules, 100, &[usd]),
            Err(ScheduleError::MixedCurrency)
        );
        assert_eq!(
            check(&rules, 100, &[inst("2026-02-28", 100)]),
            Err(ScheduleError::DateInPast)
        );
        assert_eq!(
            check(&rules, 100, &[inst(TODAY, 50), inst(TODAY, 50)]),
            Err(ScheduleError::DatesNotIncreasing)
        );
        assert_eq!(
            check(
                &rules,
                100,
                &[inst("2026-03-05", 50), inst("2026-03-04", 50)]
            ),
            Err(ScheduleError::DatesNotIncreasing)
        );
        let latest = d("2029-03-01"); // 1096 days after 2026-03-01
        assert_eq!(
            check(&rules, 100, &[inst("2029-03-02", 100)]),
            Err(ScheduleError::BeyondHorizon { latest })
        );
        assert!(check(&rules, 100, &[inst("2029-03-01", 100)]).is_ok());
        assert_eq!(
            check(&rules, 100, &[inst(TODAY, 50), inst("2026-03-02", 49)]),
            Err(ScheduleError::DoesNotSum {
                expected: eur(100),
                got: eur(99)
            })
        );
        let huge = [inst(TODAY, i64::MAX), inst("2026-03-02", 1)];
        assert_eq!(check(&rules, 100, &huge), Err(ScheduleError::Overflow));
    }

    #[test]
    fn rules_errors_point_at_the_band() {
        let base = one_band().bands[0].clone();
        let band = |from: i64, to: Option<i64>| BandRule {
            from: eur(from),
            to: to.map(eur),
            ..base.clone()
        };
        let v = |bands: Vec<BandRule>| ScheduleRules { bands }.validate();
        assert_eq!(v(vec![]), Err(RulesError::NoBands));
        assert_eq!(v(vec![band(1, None)]), Err(RulesError::NotFromZero));
        assert_eq!(
            v(vec![band(0, Some(100)), band(101, None)]),
            Err(RulesError::NotContiguous { band: 2 })
        );
        assert_eq!(
            v(vec![band(0, Some(100)), band(99, None)]),
            Err(RulesError::NotContiguous { band: 2 })
        );
        assert_eq!(
            v(vec![band(0, None), band(100, None)]),
            Err(RulesError::UnboundedNotLast { band: 1 })
        );
        assert_eq!(
            v(vec![band(0, Some(0))]),
            Err(RulesError::EmptyBand { band: 1 })
        );
        assert_eq!(
            v(vec![band(0, Some(100)), band(100, Some(50))]),
            Err(RulesError::EmptyBand { band: 2 })
        );
        assert_eq!(v(vec![band(0, Some(100)), band(100, Some(200))]), Ok(()));
        let usd = BandRule {
            min_instalment: Money::new(1, Currency::Usd),
            ..band(100, None)
        };
        assert_eq!(
            v(vec![band(0, Some(100)), usd]),
            Err(RulesError::MixedCurrency)
        );
        let with = |f: fn(&mut BandRule)| {
            let mut b = band(0, None);
            f(&mut b);
            v(vec![b])
        };
        assert_eq!(
            with(|b| b.max_instalments = 0),
            Err(RulesError::InstalmentsOutOfRange { band: 1 })
        );
        assert_eq!(
            with(|b| b.max_instalments = 61),
            Err(RulesError::InstalmentsOutOfRange { band: 1 })
        );
        assert_eq!(with(|b| b.max_instalments = 60), Ok(()));
        assert_eq!(
            with(|b| b.max_duration_days = HORIZON_DAYS + 1),
            Err(RulesError::DaysOutOfRange { band: 1 })
        );
        assert_eq!(
            with(|b| b.first_payment_within_days = HORIZON_DAYS + 1),
            Err(RulesError::DaysOutOfRange { band: 1 })
        );
        assert_eq!(
            with(|b| b.min_instalment = eur(-1)),
            Err(RulesError::NegativeMinimum { band: 1 })
        );
        assert_eq!(
            with(|b| b.min_down_payment_bp = 10_001),
            Err(RulesError::DownPaymentOutOfRange { band: 1 })
        );
    }

    #[test]
    fn messages_read_plainly() {
        let e = ScheduleError::DoesNotSum {
            expected: eur(10_000),
            got: eur(9_999),
        };
        assert_eq!(
            e.to_string(),
            "the instalments add up to 99.99 EUR but the total is 100.00 EUR"
        );
        assert_eq!(
            Reason::DownPaymentTooSmall { min: eur(201) }.to_string(),
            "to be accepted at once, the first instalment must be at least 2.01 EUR"
        );
        assert_eq!(
            Reason::FirstPaymentTooLate {
                latest: d("2026-03-08")
            }
            .to_string(),
            "to be accepted at once, the first instalment must fall on or before 2026-03-08"
        );
        assert_eq!(
            RulesError::NotContiguous { band: 2 }.to_string(),
            "band 2 must start exactly where the band before it ends"
        );
    }

    fn rhythm() -> impl Strategy<Value = Rhythm> {
        prop_oneof![
            Just(Rhythm::Weekly),
            Just(Rhythm::Fortnightly),
            Just(Rhythm::Monthly)
        ]
    }

    /// Any date from 2000 to 2099, with the 28th–31st drawn as often as the other days together.
    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (2000i32..2100, 1u32..=12, prop_oneof![1u32..=27, 28u32..=31]).prop_map(|(y, m, day)| {
            (0..4)
                .find_map(|back| NaiveDate::from_ymd_opt(y, m, day - back))
                .unwrap()
        })
    }

    /// Valid rules of 1 to 4 bands in EUR, some bounded at the top, some not auto-accepting.
    fn any_rules() -> impl Strategy<Value = ScheduleRules> {
        let band = (
            1u32..=12,
            0u32..=400,
            0i64..=5_000,
            0u32..=5_000,
            0u32..=60,
            proptest::bool::weighted(0.8),
        );
        (
            proptest::collection::btree_set(1i64..2_000_000, 0..4),
            proptest::bool::ANY,
            proptest::collection::vec(band, 4),
        )
            .prop_map(|(cuts, bounded, params)| {
                let mut edges: Vec<Option<i64>> = cuts.into_iter().map(Some).collect();
                if bounded && !edges.is_empty() {
                    edges.pop();
                    edges.push(Some(2_000_000));
                } else {
                    edges.push(None);
                }
                let mut from = 0;
                let bands = edges
                    .into_iter()
                    .zip(params)
                    .map(|(to, (n, days, min, bp, within, auto))| {
                        let b = BandRule {
                            from: eur(from),
                            to: to.map(eur),
                            max_instalments: n,
                            max_duration_days: days,
                            min_instalment: eur(min),
                            min_down_payment_bp: bp,
                            first_payment_within_days: within,
                            auto_accept: auto,
                        };
                        from = to.unwrap_or(0);
                        b
                    })
                    .collect();
                ScheduleRules { bands }
            })
    }

    /// Whether the proposal keeps every rule of `b`, checked plainly and apart from the code.
    fn keeps_every_rule(b: &BandRule, total: i64, plan: &[Instalment], today: NaiveDate) -> bool {
        let last_day = (plan[plan.len() - 1].due_date - today).num_days();
        let first_day = (plan[0].due_date - today).num_days();
        b.auto_accept
            && plan.len() as u32 <= b.max_instalments
            && last_day <= i64::from(b.max_duration_days)
            && plan
                .iter()
                .all(|i| i.amount.minor >= b.min_instalment.minor || i.amount.minor == total)
            && i128::from(plan[0].amount.minor) * 10_000
                >= i128::from(total) * i128::from(b.min_down_payment_bp)
            && first_day <= i64::from(b.first_payment_within_days)
    }

    proptest! {
        #[test]
        fn split_evenly_sums_exactly_with_the_remainder_last(
            total in 1i64..1_000_000_000_000, count in 1u32..=60, first in any_date(), r in rhythm(),
        ) {
            prop_assume!(total >= i64::from(count));
            let s = split_evenly(eur(total), count, first, r).unwrap();
            prop_assert_eq!(s.len(), count as usize);
            prop_assert_eq!(s.iter().map(|i| i.amount.minor).sum::<i64>(), total);
            let each = total / i64::from(count);
            prop_assert!(s[..s.len() - 1].iter().all(|i| i.amount.minor == each));
            prop_assert_eq!(s[s.len() - 1].amount.minor, each + total % i64::from(count));
            prop_assert!(s.iter().all(|i| i.amount.minor > 0));
        }

        #[test]
        fn dates_strictly_increase_and_monthly_never_drifts(first in any_date(), count in 1u32..=60, r in rhythm()) {
            let s = split_evenly(eur(10_000), count, first, r).unwrap();
            prop_assert_eq!(s[0].due_date, first);
            prop_assert!(s.windows(2).all(|w| w[0].due_date < w[1].due_date));
            if r == Rhythm::Monthly {
                use chrono::Datelike;
                for (n, i) in s.iter().enumerate() {
                    let months = first.year() * 12 + first.month0() as i32 + n as i32;
                    prop_assert_eq!((i.due_date.year(), i.due_date.month0() as i32), (months.div_euclid(12), months.rem_euclid(12)));
                    let month_end = (28..=31).rev().find(|&day| i.due_date.with_day(day).is_some()).unwrap();
                    prop_assert_eq!(i.due_date.day(), first.day().min(month_end));
                }
            }
        }

        #[test]
        fn never_accepts_what_breaks_a_rule_of_its_band(
            rules in prop_oneof![any_rules(), Just(ScheduleRules::example(Currency::Eur))],
            amounts in proptest::collection::vec(100i64..200_000, 1..=8),
            gaps in proptest::collection::vec(1u64..=45, 8),
            offset in 0u64..=60,
            today in any_date(),
        ) {
            let total: i64 = amounts.iter().sum();
            let mut due = today + Days::new(offset);
            let plan: Vec<_> = amounts.iter().zip(gaps).map(|(&a, gap)| {
                let i = Instalment { due_date: due, amount: eur(a) };
                due = due + Days::new(gap);
                i
            }).collect();
            let verdict = check_proposal(&rules, eur(total), &plan, today).unwrap();
            match verdict {
                Verdict::AcceptAtOnce => {
                    let band = rules.bands.iter().find(|b| b.from.minor <= total && b.to.is_none_or(|t| total < t.minor));
                    prop_assert!(band.is_some_and(|b| keeps_every_rule(b, total, &plan, today)));
                }
                Verdict::Review(reasons) => prop_assert!(!reasons.is_empty()),
            }
        }

        #[test]
        fn an_even_split_inside_an_auto_accept_band_is_accepted(
            total in 1i64..10_000_000_000, count in 1u32..=60, offset in 0u32..=60, r in rhythm(), today in any_date(),
            slack in (0u32..3, 0u32..30, 0i64..500, 0u32..100, 0u32..5),
            below in 0i64..1_000_000, above in proptest::option::of(1i64..1_000_000),
        ) {
            prop_assume!(total >= i64::from(count));
            let first = today + Days::new(offset.into());
            let plan = split_evenly(eur(total), count, first, r).unwrap();
            let days = u32::try_from((plan[plan.len() - 1].due_date - today).num_days()).unwrap();
            prop_assume!(days <= HORIZON_DAYS);
            let each = plan[0].amount.minor;
            // The band sits right at the proposal's limits, or a little beyond them.
            let band = BandRule {
                from: eur((total - below).max(0)),
                to: above.map(|a| eur(total + a)),
                max_instalments: (count + slack.0).min(MAX_INSTALMENTS),
                max_duration_days: (days + slack.1).min(HORIZON_DAYS),
                min_instalment: eur((each - slack.2).max(0)),
                min_down_payment_bp: u32::try_from(i128::from(each) * 10_000 / i128::from(total)).unwrap().saturating_sub(slack.3),
                first_payment_within_days: offset + slack.4,
                auto_accept: true,
            };
            let mut bands = vec![];
            if band.from.minor > 0 {
                bands.push(BandRule { from: eur(0), to: Some(band.from), auto_accept: false, ..band.clone() });
            }
            bands.push(band);
            let rules = ScheduleRules { bands };
            prop_assert_eq!(rules.validate(), Ok(()));
            prop_assert_eq!(check_proposal(&rules, eur(total), &plan, today), Ok(Verdict::AcceptAtOnce));
        }
    }
}
