//! The one clock every layer reads: where "now" and "today" come from. The binary passes
//! the system clock; `--today` freezes the business date for demonstrations, training
//! and tests. The web service, the mail worker and the reminder schedule all hold this
//! same value, so they agree on the business date (Europe/London's) and on how a
//! moment is dated on it.

use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: fn() -> DateTime<Utc>,
    pub frozen_today: Option<NaiveDate>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        (self.now)()
    }

    /// The moment a record is made (a step's "recorded at", a template save, a
    /// sign-off, a message's "sent at"): now, or under a frozen business date
    /// (`serve --today`), that date at the wall clock's time of day, so that a letter
    /// dated on the business day never lists its sign-offs on another. Sign-in,
    /// sessions, tokens, links, retries and the audit trail keep the real time.
    pub fn recorded_now(&self) -> DateTime<Utc> {
        domain::dates::on_business_day(self.now(), self.today())
    }

    /// The business date: frozen, or today's date in Europe/London (between midnight
    /// and 01:00 in summer, UTC is still on the day before).
    pub fn today(&self) -> NaiveDate {
        self.frozen_today
            .unwrap_or_else(|| domain::dates::london_date(self.now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn the_business_date_is_london_s_across_the_change_to_summer_time_and_back() {
        // 29 March 2026: clocks go forward at 01:00 UTC. 25 October 2026: back at 01:00 UTC.
        for (utc, london) in [
            ("2026-03-28T23:30:00Z", "2026-03-28"),
            ("2026-03-29T23:30:00Z", "2026-03-30"),
            ("2026-10-24T23:30:00Z", "2026-10-25"),
            ("2026-10-25T23:30:00Z", "2026-10-25"),
        ] {
            assert_eq!(domain::dates::london_date(at(utc)).to_string(), london, "{utc}");
        }
    }

    #[test]
    fn under_a_frozen_date_a_record_is_dated_that_day_at_the_wall_clock_s_time() {
        fn half_past_ten() -> DateTime<Utc> {
            "2026-12-07T10:30:00Z".parse().unwrap()
        }
        let frozen = Clock {
            now: half_past_ten,
            frozen_today: Some("2027-01-07".parse().unwrap()),
        };
        assert_eq!(frozen.recorded_now(), at("2027-01-07T10:30:00Z"));
        assert_eq!(frozen.now(), at("2026-12-07T10:30:00Z"), "now stays real");
        let live = Clock {
            now: half_past_ten,
            frozen_today: None,
        };
        assert_eq!(live.recorded_now(), at("2026-12-07T10:30:00Z"));
        assert_eq!(live.today().to_string(), "2026-12-07");
    }
}
