//! When the reminder pass runs: at 07:00 Europe/London each day (the pass itself does
//! nothing on a weekend or bank holiday), and once at start-up if today's 07:00 has
//! passed without a pass. London is UTC in winter and UTC+1 from 01:00 UTC on the last
//! Sunday of March to 01:00 UTC on the last Sunday of October.

use std::future::Future;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use store::Store;

use crate::reminders::run_pass;
use crate::worker::Clock;

/// The hour of the pass, London time.
pub const PASS_HOUR: u32 = 7;

pub use domain::dates::{london_offset, london_time};

/// The instant of 07:00 London time on `day`.
pub fn pass_time(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_time(NaiveTime::from_hms_opt(PASS_HOUR, 0, 0).unwrap_or(NaiveTime::MIN));
    // 07:00 is never inside a change (those happen at 01:00 UTC), so one guess suffices.
    let guess = Utc.from_utc_datetime(&local);
    Utc.from_utc_datetime(&(local - london_offset(guess)))
}

/// The first pass time after `now`.
pub fn next_pass_after(now: DateTime<Utc>) -> DateTime<Utc> {
    let today = london_time(now).date();
    let at = pass_time(today);
    if at > now {
        at
    } else {
        pass_time(today.succ_opt().unwrap_or(today))
    }
}

/// The day whose pass should run at start-up: today (London), once its 07:00 has
/// passed, unless the last pass was today already.
pub fn missed_pass(now: DateTime<Utc>, last_pass: Option<NaiveDate>) -> Option<NaiveDate> {
    let today = london_time(now).date();
    (now >= pass_time(today) && last_pass.is_none_or(|last| last < today)).then_some(today)
}

/// Runs the pass at start-up if one was missed, then at every 07:00, until `shutdown`.
/// With a frozen business date, the pass is for that date.
pub async fn run(store: Store, clock: Clock, shutdown: impl Future<Output = ()>) {
    tokio::pin!(shutdown);
    let business_day = |london_day: NaiveDate| clock.frozen_today.unwrap_or(london_day);
    let pass = |day: NaiveDate| {
        let store = store.clone();
        async move {
            match run_pass(&store, day, (clock.now)()).await {
                Ok(report) => tracing::info!(
                    %day, cases = report.cases, queued = report.queued, digests = report.digests,
                    working_day = report.working_day, "reminder pass"
                ),
                Err(e) => tracing::error!(%day, error = %e, "the reminder pass failed"),
            }
        }
    };
    match store.last_reminder_pass().await {
        Ok(last) => {
            if let Some(day) = missed_pass((clock.now)(), last).map(business_day)
                && last.is_none_or(|l| l < day)
            {
                pass(day).await;
            }
        }
        Err(e) => tracing::error!(error = %e, "the last reminder pass could not be read"),
    }
    loop {
        let now = (clock.now)();
        let next = next_pass_after(now);
        let wait = (next - now).to_std().unwrap_or_default();
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(wait) => pass(business_day(london_time(next).date())).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn london_is_utc_in_winter_and_an_hour_ahead_in_summer() {
        assert_eq!(london_offset(utc("2026-12-21T06:59:00Z")), Duration::zero());
        assert_eq!(london_offset(utc("2026-07-01T12:00:00Z")), Duration::hours(1));
        // 2026's changes: 29 March and 25 October, at 01:00 UTC.
        assert_eq!(london_offset(utc("2026-03-29T00:59:59Z")), Duration::zero());
        assert_eq!(london_offset(utc("2026-03-29T01:00:00Z")), Duration::hours(1));
        assert_eq!(london_offset(utc("2026-10-25T00:59:59Z")), Duration::hours(1));
        assert_eq!(london_offset(utc("2026-10-25T01:00:00Z")), Duration::zero());
    }

    #[test]
    fn the_pass_is_at_seven_london_time_winter_and_summer() {
        assert_eq!(pass_time("2026-12-21".parse().unwrap()), utc("2026-12-21T07:00:00Z"));
        assert_eq!(pass_time("2026-06-15".parse().unwrap()), utc("2026-06-15T06:00:00Z"));
        assert_eq!(
            next_pass_after(utc("2026-12-21T06:59:00Z")),
            utc("2026-12-21T07:00:00Z")
        );
        assert_eq!(
            next_pass_after(utc("2026-12-21T07:00:00Z")),
            utc("2026-12-22T07:00:00Z")
        );
        // The night the clocks go forward: 07:00 BST is 06:00 UTC.
        assert_eq!(
            next_pass_after(utc("2026-03-28T23:00:00Z")),
            utc("2026-03-29T06:00:00Z")
        );
    }

    #[test]
    fn a_pass_missed_today_runs_at_start_up_and_not_before_seven() {
        let day: NaiveDate = "2026-12-22".parse().unwrap();
        assert_eq!(
            missed_pass(utc("2026-12-22T09:00:00Z"), Some("2026-12-21".parse().unwrap())),
            Some(day)
        );
        assert_eq!(missed_pass(utc("2026-12-22T09:00:00Z"), None), Some(day));
        assert_eq!(missed_pass(utc("2026-12-22T09:00:00Z"), Some(day)), None);
        assert_eq!(
            missed_pass(utc("2026-12-22T06:30:00Z"), Some("2026-12-20".parse().unwrap())),
            None
        );
    }
}
