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

/// A clock that moves only when told to (tests, simulations); seconds since the epoch.
pub struct ManualClock {
    at: AtomicI64,
}

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self {
            at: AtomicI64::new(at.timestamp()),
        }
    }

    pub fn set(&self, at: DateTime<Utc>) {
        self.at.store(at.timestamp(), Ordering::SeqCst);
    }

    pub fn advance(&self, by: chrono::Duration) {
        self.at.fetch_add(by.num_seconds(), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.at.load(Ordering::SeqCst), 0).unwrap_or_default()
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
    fn a_manual_clock_moves_only_when_told() {
        let t = DateTime::parse_from_rfc3339("2026-12-01T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let c = ManualClock::new(t);
        assert_eq!(c.now(), t);
        c.advance(chrono::Duration::days(60));
        assert_eq!(c.now().to_rfc3339(), "2027-01-30T08:00:00+00:00");
        assert_eq!(
            local_time(chrono_tz::Europe::Paris, c.now().timestamp()),
            "2027-01-30 09:00"
        );
    }
}
