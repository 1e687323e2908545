//! The one clock. Everything that needs "now" asks the state's clock, so a test (and the
//! reminder engine's simulation) can move time forward instead of editing rows in SQL.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use std::sync::atomic::{AtomicI64, Ordering};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The wall clock moved forward by whatever `advance` added: a test (or a simulation) lives
/// through sixty days in seconds, and time still passes between two readings, so the order of
/// what happens is kept.
#[derive(Default)]
pub struct ShiftedClock {
    offset_secs: AtomicI64,
}

impl ShiftedClock {
    pub fn advance(&self, by: chrono::Duration) {
        self.offset_secs
            .fetch_add(by.num_seconds(), Ordering::SeqCst);
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::seconds(self.offset_secs.load(Ordering::SeqCst))
    }
}

/// "Today" where someone is: due dates fall due at the debtor's midnight, not the server's.
pub fn today_in(tz: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// An instant (seconds since the epoch) as the wall clock shows it in a time zone.
pub fn wall_clock(tz: Tz, at: i64) -> NaiveDateTime {
    DateTime::from_timestamp(at, 0)
        .map(|t| t.with_timezone(&tz).naive_local())
        .unwrap_or_default()
}

/// An instant in a time zone, to the minute, for lists that show it as is.
pub fn local_time(tz: Tz, at: i64) -> String {
    wall_clock(tz, at).format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_depends_on_the_debtors_time_zone() {
        // 23:30 UTC on 31 January: already 1 February in Paris and Auckland, still 31 January in New York.
        let t = DateTime::parse_from_rfc3339("2026-01-31T23:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            today_in(chrono_tz::Europe::Paris, t).to_string(),
            "2026-02-01"
        );
        assert_eq!(
            today_in(chrono_tz::Pacific::Auckland, t).to_string(),
            "2026-02-01"
        );
        assert_eq!(
            today_in(chrono_tz::America::New_York, t).to_string(),
            "2026-01-31"
        );
    }

    #[test]
    fn a_shifted_clock_jumps_when_told_and_runs_meanwhile() {
        let c = ShiftedClock::default();
        let before = Utc::now();
        assert!((c.now() - before).num_seconds().abs() <= 1);
        c.advance(chrono::Duration::days(60));
        let later = c.now();
        assert_eq!((later - before).num_days(), 60);
        assert!(c.now() >= later, "it keeps running");
        // 1 800 000 000 s is 15 January 2027, 08:00 UTC: 09:00 in Paris.
        assert_eq!(
            local_time(chrono_tz::Europe::Paris, 1_800_000_000),
            "2027-01-15 09:00"
        );
    }
}
