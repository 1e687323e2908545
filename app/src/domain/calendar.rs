//! Business days, hours and public holidays: when a reminder may go out to a debtor.
//! Everything here is in the debtor's local wall-clock time; the server converts from and to
//! UTC with the debtor's time zone, so no time zone appears in this module.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};

/// A country whose public holidays we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Country {
    /// Metropolitan France (not Alsace-Moselle's extra days, nor the overseas departments').
    Fr,
    /// England and Wales bank holidays (Scotland and Northern Ireland differ).
    Gb,
}

impl Country {
    /// An ISO 3166-1 alpha-2 code, in either case: `"FR"`, `"gb"`.
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().to_ascii_uppercase().as_str() {
            "FR" => Some(Self::Fr),
            "GB" => Some(Self::Gb),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Fr => "FR",
            Self::Gb => "GB",
        }
    }
}

/// Easter Sunday of `year` in the Gregorian calendar (anonymous algorithm, Meeus/Jones/Butcher).
/// `None` only where chrono's calendar ends.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    let month = u32::try_from(n.div_euclid(31)).ok()?;
    let day = u32::try_from(n.rem_euclid(31) + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Public holidays of `country` in `year`, sorted. Today's rules are applied to every year.
pub fn public_holidays(country: Country, year: i32) -> Vec<NaiveDate> {
    let mut days = match country {
        Country::Fr => france(year),
        Country::Gb => england_and_wales(year),
    };
    days.sort_unstable();
    days.dedup();
    days
}

pub fn is_public_holiday(country: Country, date: NaiveDate) -> bool {
    public_holidays(country, date.year()).contains(&date)
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn plus_days(date: NaiveDate, days: u64) -> Option<NaiveDate> {
    date.checked_add_days(Days::new(days))
}

fn minus_days(date: NaiveDate, days: u64) -> Option<NaiveDate> {
    date.checked_sub_days(Days::new(days))
}

/// The last Monday on or before `date`.
fn monday_on_or_before(date: NaiveDate) -> Option<NaiveDate> {
    minus_days(date, u64::from(date.weekday().num_days_from_monday()))
}

/// Code du travail L3133-1; Whit Monday stays a public holiday even where it is worked as the
/// "journée de solidarité".
fn france(year: i32) -> Vec<NaiveDate> {
    let easter = easter_sunday(year);
    [
        ymd(year, 1, 1),
        easter.and_then(|e| plus_days(e, 1)),
        ymd(year, 5, 1),
        ymd(year, 5, 8),
        easter.and_then(|e| plus_days(e, 39)),
        easter.and_then(|e| plus_days(e, 50)),
        ymd(year, 7, 14),
        ymd(year, 8, 15),
        ymd(year, 11, 1),
        ymd(year, 11, 11),
        ymd(year, 12, 25),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The regular England and Wales bank holidays with their weekend substitutes. One-off days
/// proclaimed by royal decree (jubilees, coronations, state funerals, 2020's VE Day move) are
/// not modelled: nothing predicts them, and they are announced too rarely to be worth a table.
fn england_and_wales(year: i32) -> Vec<NaiveDate> {
    let easter = easter_sunday(year);
    let new_year = ymd(year, 1, 1).and_then(|d| match d.weekday() {
        Weekday::Sat => plus_days(d, 2),
        Weekday::Sun => plus_days(d, 1),
        _ => Some(d),
    });
    let mut days = vec![
        new_year,
        easter.and_then(|e| minus_days(e, 2)),
        easter.and_then(|e| plus_days(e, 1)),
        NaiveDate::from_weekday_of_month_opt(year, 5, Weekday::Mon, 1),
        ymd(year, 5, 31).and_then(monday_on_or_before),
        ymd(year, 8, 31).and_then(monday_on_or_before),
    ];
    days.extend(christmas_and_boxing_day(year));
    days.into_iter().flatten().collect()
}

/// Christmas and Boxing Day, moved off the weekend onto the next free weekdays.
fn christmas_and_boxing_day(year: i32) -> [Option<NaiveDate>; 2] {
    let Some(christmas) = ymd(year, 12, 25) else {
        return [None, None];
    };
    match christmas.weekday() {
        // Both fall on the weekend: Mon 27 and Tue 28.
        Weekday::Sat => [plus_days(christmas, 2), plus_days(christmas, 3)],
        // Boxing Day is Monday 26 itself; Christmas moves to Tuesday 27.
        Weekday::Sun => [plus_days(christmas, 1), plus_days(christmas, 2)],
        // Boxing Day on a Saturday moves to Monday 28.
        Weekday::Fri => [Some(christmas), plus_days(christmas, 3)],
        _ => [Some(christmas), plus_days(christmas, 1)],
    }
}

const MINUTES_PER_DAY: u16 = 24 * 60;
/// How far `next_open` looks ahead: a year and a bit, more than any valid window ever needs.
const LOOKAHEAD_DAYS: u64 = 400;

/// The days and hours a creditor lets reminders go out, read in the debtor's local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SendingWindowFields")]
pub struct SendingWindow {
    /// Index 0 = Monday … 6 = Sunday.
    pub weekdays: [bool; 7],
    /// Minutes after local midnight; `start_minute < end_minute <= 1440`.
    pub start_minute: u16,
    pub end_minute: u16,
}

/// What a stored window is read from, so that deserialising checks it like `new` does.
#[derive(Deserialize)]
struct SendingWindowFields {
    weekdays: [bool; 7],
    start_minute: u16,
    end_minute: u16,
}

impl TryFrom<SendingWindowFields> for SendingWindow {
    type Error = WindowError;

    fn try_from(f: SendingWindowFields) -> Result<Self, Self::Error> {
        Self::new(f.weekdays, f.start_minute, f.end_minute)
    }
}

impl Default for SendingWindow {
    /// Monday to Friday, 9:00 to 18:00.
    fn default() -> Self {
        Self {
            weekdays: [true, true, true, true, true, false, false],
            start_minute: 9 * 60,
            end_minute: 18 * 60,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("choose at least one day of the week on which reminders may be sent")]
    NoDay,
    #[error(
        "the sending hours must start before they end (they start at {} and end at {})",
        hhmm(*.start_minute),
        hhmm(*.end_minute)
    )]
    StartNotBeforeEnd { start_minute: u16, end_minute: u16 },
    #[error("{} is not a time of day: choose a time between 00:00 and 24:00", hhmm(*.minute))]
    OutOfRange { minute: u16 },
}

/// `570` → `"09:30"`; used only in error messages.
fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

impl SendingWindow {
    pub fn new(
        weekdays: [bool; 7],
        start_minute: u16,
        end_minute: u16,
    ) -> Result<Self, WindowError> {
        for minute in [start_minute, end_minute] {
            if minute > MINUTES_PER_DAY {
                return Err(WindowError::OutOfRange { minute });
            }
        }
        if start_minute >= end_minute {
            return Err(WindowError::StartNotBeforeEnd {
                start_minute,
                end_minute,
            });
        }
        if !weekdays.contains(&true) {
            return Err(WindowError::NoDay);
        }
        Ok(Self {
            weekdays,
            start_minute,
            end_minute,
        })
    }

    /// A day reminders may go out on: a chosen weekday that is not a public holiday.
    pub fn is_sending_day(&self, country: Country, date: NaiveDate) -> bool {
        let index = date.weekday().num_days_from_monday() as usize;
        self.weekdays.get(index).copied().unwrap_or(false) && !is_public_holiday(country, date)
    }

    /// Whether a reminder may go out at this local wall-clock time (start inclusive, end exclusive).
    pub fn allows(&self, country: Country, local: NaiveDateTime) -> bool {
        let minute = minute_of_day(local.time());
        self.start_minute <= minute
            && minute < self.end_minute
            && self.is_sending_day(country, local.date())
    }

    /// The first local wall-clock time at or after `local` when a reminder may go out (`local`
    /// itself if allowed). Looks at most ~400 days ahead; always `Some` for a valid window.
    pub fn next_open(&self, country: Country, local: NaiveDateTime) -> Option<NaiveDateTime> {
        if self.allows(country, local) {
            return Some(local);
        }
        // Fields are public, so a window may be invalid: then it never opens.
        if self.start_minute >= self.end_minute || self.end_minute > MINUTES_PER_DAY {
            return None;
        }
        let opening = NaiveTime::from_hms_opt(
            u32::from(self.start_minute / 60),
            u32::from(self.start_minute % 60),
            0,
        )?;
        let today = local.date();
        if minute_of_day(local.time()) < self.start_minute && self.is_sending_day(country, today) {
            return Some(today.and_time(opening));
        }
        (1..=LOOKAHEAD_DAYS)
            .map_while(|n| plus_days(today, n))
            .find(|&day| self.is_sending_day(country, day))
            .map(|day| day.and_time(opening))
    }
}

fn minute_of_day(time: NaiveTime) -> u16 {
    // At most 23 * 60 + 59, which always fits.
    u16::try_from(time.hour() * 60 + time.minute()).unwrap_or(MINUTES_PER_DAY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn country_codes_parse_in_either_case_and_round_trip() {
        assert_eq!(Country::parse("FR"), Some(Country::Fr));
        assert_eq!(Country::parse("gb"), Some(Country::Gb));
        assert_eq!(Country::parse("UK"), None);
        for c in [Country::Fr, Country::Gb] {
            assert_eq!(Country::parse(c.code()), Some(c));
        }
    }

    #[test]
    fn easter_sunday_matches_published_dates() {
        assert_eq!(easter_sunday(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter_sunday(2025), Some(d(2025, 4, 20)));
        assert_eq!(easter_sunday(2026), Some(d(2026, 4, 5)));
        assert_eq!(easter_sunday(2027), Some(d(2027, 3, 28)));
        assert_eq!(easter_sunday(2038), Some(d(2038, 4, 25)));
        // The earliest and latest possible dates.
        assert_eq!(easter_sunday(2285), Some(d(2285, 3, 22)));
        assert_eq!(easter_sunday(1943), Some(d(1943, 4, 25)));
    }

    #[test]
    fn france_2026_has_its_eleven_public_holidays() {
        assert_eq!(
            public_holidays(Country::Fr, 2026),
            vec![
                d(2026, 1, 1),
                d(2026, 4, 6),
                d(2026, 5, 1),
                d(2026, 5, 8),
                d(2026, 5, 14),
                d(2026, 5, 25),
                d(2026, 7, 14),
                d(2026, 8, 15),
                d(2026, 11, 1),
                d(2026, 11, 11),
                d(2026, 12, 25),
            ]
        );
    }

    #[test]
    fn england_2026_bank_holidays_move_boxing_day_off_saturday() {
        assert_eq!(
            public_holidays(Country::Gb, 2026),
            vec![
                d(2026, 1, 1),
                d(2026, 4, 3),
                d(2026, 4, 6),
                d(2026, 5, 4),
                d(2026, 5, 25),
                d(2026, 8, 31),
                d(2026, 12, 25),
                d(2026, 12, 28),
            ]
        );
    }

    #[test]
    fn england_2027_christmas_on_saturday_moves_to_27_and_28() {
        assert_eq!(
            public_holidays(Country::Gb, 2027),
            vec![
                d(2027, 1, 1),
                d(2027, 3, 26),
                d(2027, 3, 29),
                d(2027, 5, 3),
                d(2027, 5, 31),
                d(2027, 8, 30),
                d(2027, 12, 27),
                d(2027, 12, 28),
            ]
        );
    }

    #[test]
    fn england_weekend_new_year_and_sunday_christmas_are_substituted() {
        // 1 Jan 2022 was a Saturday, 1 Jan 2023 a Sunday: both moved to the Monday.
        assert!(is_public_holiday(Country::Gb, d(2022, 1, 3)));
        assert!(!is_public_holiday(Country::Gb, d(2022, 1, 1)));
        assert!(is_public_holiday(Country::Gb, d(2023, 1, 2)));
        // 25 Dec 2022 was a Sunday: Boxing Day on Monday 26, Christmas on Tuesday 27.
        // (2022's jubilee and state funeral were one-offs, not modelled.)
        assert_eq!(
            public_holidays(Country::Gb, 2022),
            vec![
                d(2022, 1, 3),
                d(2022, 4, 15),
                d(2022, 4, 18),
                d(2022, 5, 2),
                d(2022, 5, 30),
                d(2022, 8, 29),
                d(2022, 12, 26),
                d(2022, 12, 27),
            ]
        );
        // France never substitutes.
        assert!(is_public_holiday(Country::Fr, d(2022, 1, 1)));
        assert!(!is_public_holiday(Country::Fr, d(2022, 1, 3)));
    }

    #[test]
    fn window_rejects_what_a_creditor_could_mistype() {
        let weekdays = SendingWindow::default().weekdays;
        assert_eq!(
            SendingWindow::new([false; 7], 540, 1080),
            Err(WindowError::NoDay)
        );
        assert_eq!(
            SendingWindow::new(weekdays, 1080, 540),
            Err(WindowError::StartNotBeforeEnd {
                start_minute: 1080,
                end_minute: 540
            })
        );
        assert_eq!(
            SendingWindow::new(weekdays, 600, 600).map_err(|e| e.to_string()),
            Err("the sending hours must start before they end (they start at 10:00 and end at 10:00)".into())
        );
        assert_eq!(
            SendingWindow::new(weekdays, 540, 1500).map_err(|e| e.to_string()),
            Err("25:00 is not a time of day: choose a time between 00:00 and 24:00".into())
        );
        assert_eq!(
            SendingWindow::new(weekdays, 540, 1080),
            Ok(SendingWindow::default())
        );
        assert!(SendingWindow::new([true; 7], 0, 1440).is_ok());
    }

    #[test]
    fn stored_windows_are_checked_as_they_are_read() {
        let bad = SendingWindowFields {
            weekdays: [false; 7],
            start_minute: 540,
            end_minute: 1080,
        };
        assert_eq!(SendingWindow::try_from(bad), Err(WindowError::NoDay));
    }

    #[test]
    fn end_is_exclusive_and_start_inclusive() {
        let w = SendingWindow::default();
        // Tuesday 10 March 2026.
        assert!(!w.allows(Country::Fr, at(2026, 3, 10, 8, 59)));
        assert!(w.allows(Country::Fr, at(2026, 3, 10, 9, 0)));
        assert!(w.allows(Country::Fr, at(2026, 3, 10, 17, 59)));
        assert!(!w.allows(Country::Fr, at(2026, 3, 10, 18, 0)));
        assert_eq!(
            w.next_open(Country::Fr, at(2026, 3, 10, 18, 0)),
            Some(at(2026, 3, 11, 9, 0))
        );
    }

    #[test]
    fn next_open_is_now_when_allowed_and_later_today_before_opening() {
        let w = SendingWindow::default();
        let now = d(2026, 3, 10).and_hms_opt(11, 22, 33).unwrap();
        assert_eq!(w.next_open(Country::Fr, now), Some(now));
        assert_eq!(
            w.next_open(Country::Fr, at(2026, 3, 10, 7, 15)),
            Some(at(2026, 3, 10, 9, 0))
        );
    }

    #[test]
    fn friday_evening_opens_on_monday_morning() {
        assert_eq!(
            SendingWindow::default().next_open(Country::Fr, at(2026, 3, 6, 18, 30)),
            Some(at(2026, 3, 9, 9, 0))
        );
    }

    #[test]
    fn thursday_before_a_friday_holiday_skips_the_long_weekend() {
        let w = SendingWindow::default();
        // France: Friday 8 May 2026 (Victory in Europe Day).
        assert_eq!(
            w.next_open(Country::Fr, at(2026, 5, 7, 19, 0)),
            Some(at(2026, 5, 11, 9, 0))
        );
        // England: Good Friday 3 April and Easter Monday 6 April 2026.
        assert_eq!(
            w.next_open(Country::Gb, at(2026, 4, 2, 19, 0)),
            Some(at(2026, 4, 7, 9, 0))
        );
        // Good Friday is a working day in France.
        assert_eq!(
            w.next_open(Country::Fr, at(2026, 4, 2, 19, 0)),
            Some(at(2026, 4, 3, 9, 0))
        );
    }

    #[test]
    fn first_of_may_and_the_weekend_after_it_are_skipped() {
        // 1 May 2026 is a Friday; Thursday 30 April at 18:00 is already closed.
        assert_eq!(
            SendingWindow::default().next_open(Country::Fr, at(2026, 4, 30, 18, 0)),
            Some(at(2026, 5, 4, 9, 0))
        );
        assert!(!SendingWindow::default().is_sending_day(Country::Fr, d(2026, 5, 1)));
        // England has no holiday on 1 May 2026 but one on Monday 4 May.
        assert_eq!(
            SendingWindow::default().next_open(Country::Gb, at(2026, 4, 30, 18, 0)),
            Some(at(2026, 5, 1, 9, 0))
        );
    }

    #[test]
    fn a_weekend_only_window_opens_on_saturday_and_sunday() {
        let w =
            SendingWindow::new([false, false, false, false, false, true, true], 600, 720).unwrap();
        // Monday 9 March 2026 → Saturday 14 March.
        assert_eq!(
            w.next_open(Country::Fr, at(2026, 3, 9, 10, 0)),
            Some(at(2026, 3, 14, 10, 0))
        );
        assert!(w.allows(Country::Fr, at(2026, 3, 14, 11, 59)));
        assert_eq!(
            w.next_open(Country::Fr, at(2026, 3, 14, 12, 0)),
            Some(at(2026, 3, 15, 10, 0))
        );
        assert_eq!(
            w.next_open(Country::Fr, at(2026, 3, 15, 12, 0)),
            Some(at(2026, 3, 21, 10, 0))
        );
        // A holiday on a Saturday is skipped too: 15 August 2026.
        assert_eq!(
            w.next_open(Country::Fr, at(2026, 8, 14, 10, 0)),
            Some(at(2026, 8, 16, 10, 0))
        );
    }

    #[test]
    fn a_window_that_cannot_open_gives_up_instead_of_looping() {
        let now = at(2026, 3, 10, 10, 0);
        let no_day = SendingWindow {
            weekdays: [false; 7],
            ..SendingWindow::default()
        };
        assert_eq!(no_day.next_open(Country::Fr, now), None);
        let reversed = SendingWindow {
            start_minute: 1080,
            end_minute: 540,
            ..SendingWindow::default()
        };
        assert_eq!(reversed.next_open(Country::Fr, now), None);
        let past_midnight = SendingWindow {
            start_minute: 1440,
            end_minute: 1500,
            ..SendingWindow::default()
        };
        assert_eq!(past_midnight.next_open(Country::Gb, now), None);
        // Near the end of chrono's calendar it stops rather than overflowing.
        let end = NaiveDate::MAX.and_hms_opt(20, 0, 0).unwrap();
        assert_eq!(SendingWindow::default().next_open(Country::Fr, end), None);
    }

    fn country() -> impl Strategy<Value = Country> {
        prop_oneof![Just(Country::Fr), Just(Country::Gb)]
    }

    proptest! {
        #[test]
        fn next_open_is_allowed_and_nothing_earlier_was(
            weekdays in any::<[bool; 7]>().prop_filter("a day", |w| w.contains(&true)),
            start in 0u16..1440,
            len in 1u16..1440,
            c in country(),
            day in 0u64..3650,
            minute in 0u32..1440,
        ) {
            let w = SendingWindow::new(weekdays, start, (start + len).min(1440)).unwrap();
            let now = d(2024, 1, 1).and_hms_opt(0, 0, 0).unwrap()
                + chrono::Duration::days(day as i64)
                + chrono::Duration::minutes(i64::from(minute));
            let open = w.next_open(c, now).unwrap();
            prop_assert!(open >= now);
            prop_assert!(w.allows(c, open));
            // Every whole minute from `now` up to `open` is closed.
            let mut t = now;
            while t < open {
                prop_assert!(!w.allows(c, t));
                t += chrono::Duration::minutes(1);
            }
        }
    }
}
