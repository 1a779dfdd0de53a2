//! The dates the service accepts: 1 January 1995 to 31 December 2100, the span of the
//! precomputed working-day calendar. Every date that comes from outside (API bodies and
//! queries, forms, uploads, the gov.uk feed, the command line) is checked here, so no
//! request can make the service walk the calendar across centuries, and the cost of
//! every date calculation stays the same however far apart its dates are.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

/// The first date the service accepts.
/// A date as people write it: "21 December 2026".
pub fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
