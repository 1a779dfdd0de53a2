//! The dates the service accepts: 1 January 1995 to 31 December 2100, the span of the
//! precomputed working-day calendar. Every date that comes from outside (API bodies and
//! queries, forms, uploads, the gov.uk feed, the command line) is checked here, so no
//! request can make the service walk the calendar across centuries, and the cost of
//! every date calculation stays the same however far apart its dates are.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use serde::{Deserialize, Deserializer};

/// The first date the service accepts.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as people write it: "21 December 2026". Written directly rather than through
/// a format string: a case page writes a hundred of them.
pub fn long(d: NaiveDate) -> String {
    let month = MONTHS.get(d.month0() as usize).copied().unwrap_or_default();
    format!("{} {month} {}", d.day(), d.year())
}

/// A moment as people write it: "21 December 2026 14:05".
pub fn long_with_time(t: NaiveDateTime) -> String {
    format!("{} {:02}:{:02}", long(t.date()), t.hour(), t.minute())
}

pub fn first() -> NaiveDate {
    NaiveDate::from_ymd_opt(1995, 1, 1).unwrap_or_default()
}

/// The last date the service accepts.
pub fn last() -> NaiveDate {
    NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or_default()
}

/// The first and last years the service accepts.
pub const YEARS: std::ops::RangeInclusive<i32> = 1995..=2100;

/// What a person is told when a date is outside the range.
pub const OUT_OF_RANGE: &str = "must be a date from 1995-01-01 to 2100-12-31";

/// The date itself if the service accepts it.
pub fn in_range(date: NaiveDate) -> Result<NaiveDate, String> {
    if (first()..=last()).contains(&date) {
        Ok(date)
    } else {
        Err(format!("{OUT_OF_RANGE} (got {date})"))
    }
}

/// Parses `YYYY-MM-DD` and checks the range.
pub fn parse(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        format!(
            "\"{}\" is not a real date: use YYYY-MM-DD",
            text.chars().take(40).collect::<String>()
        )
    })?;
    in_range(date)
}

/// Serde: a date field that must lie in the accepted range.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let date = NaiveDate::deserialize(d)?;
    in_range(date).map_err(serde::de::Error::custom)
}

/// Serde: an optional date field that must lie in the accepted range when given.
pub fn deserialize_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    Option::<NaiveDate>::deserialize(d)?
        .map(in_range)
        .transpose()
        .map_err(serde::de::Error::custom)
}

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    last.checked_sub_signed(Duration::days(i64::from(back)))
}

/// London's offset from UTC at `at`: one hour in summer time (from 01:00 UTC on the
/// last Sunday of March to 01:00 UTC on the last Sunday of October), none otherwise.
pub fn london_offset(at: DateTime<Utc>) -> Duration {
    let year = at.year();
    let change = |month| {
        last_sunday(year, month)
            .and_then(|d| d.and_hms_opt(1, 0, 0))
            .map(|t| Utc.from_utc_datetime(&t))
    };
    match (change(3), change(10)) {
        (Some(start), Some(end)) if at >= start && at < end => Duration::hours(1),
        _ => Duration::zero(),
    }
}

/// London's wall-clock time at `at`.
pub fn london_time(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc() + london_offset(at)
}

/// The business date at `at`: the date in Europe/London, which partnerships work in.
pub fn london_date(at: DateTime<Utc>) -> NaiveDate {
    london_time(at).date()
}

/// The moment `at`, dated on the business day `today` where the two differ (a service
/// run with a date of its own): the wall clock's time of day on that day. What the
/// service writes as "when" (recorded at, saved, signed, sent) is dated this way, so
/// that it agrees with the business date; the audit trail keeps the real moment.
pub fn on_business_day(at: DateTime<Utc>, today: NaiveDate) -> DateTime<Utc> {
    if london_date(at) == today {
        at
    } else {
        today.and_time(at.time()).and_utc()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_moments_are_written_as_people_write_them() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(long(d("2026-12-21")), "21 December 2026");
        assert_eq!(long(d("2027-01-01")), "1 January 2027");
        assert_eq!(long(d("1995-05-09")), "9 May 1995");
        for day in (0..366).map(|n| d("2028-01-01") + chrono::Days::new(n)) {
            assert_eq!(long(day), day.format("%-d %B %Y").to_string());
        }
        let t = d("2026-03-04").and_hms_opt(9, 5, 59).unwrap();
        assert_eq!(long_with_time(t), "4 March 2026 09:05");
    }

    #[test]
    fn dates_from_1995_to_2100_are_accepted_and_others_refused() {
        assert!(parse("1995-01-01").is_ok());
        assert!(parse("2100-12-31").is_ok());
        for bad in ["1994-12-31", "2101-01-01", "0001-01-01", "9999-12-31", "+262142-12-31"] {
            let err = parse(bad).unwrap_err();
            assert!(
                err.contains("1995-01-01") || err.contains("not a real date"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn an_out_of_range_date_names_the_range() {
        assert_eq!(
            parse("0001-01-01").unwrap_err(),
            "must be a date from 1995-01-01 to 2100-12-31 (got 0001-01-01)"
        );
    }

    #[test]
    fn the_business_date_is_london_s_so_half_past_midnight_in_summer_is_already_the_next_day() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(london_date(at("2026-07-01T23:30:00Z")).to_string(), "2026-07-02");
        assert_eq!(london_date(at("2026-12-07T23:30:00Z")).to_string(), "2026-12-07");
        assert_eq!(london_date(at("2026-03-29T00:59:59Z")).to_string(), "2026-03-29");
    }
}
