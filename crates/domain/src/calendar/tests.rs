//! Calendar tests: the full table of bank holidays from public sources, the worked
//! examples of docs/domain.md and docs/api.md, overrides, and properties of the fast table.

use super::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Every England and Wales bank holiday taken on a weekday, 1995 to 2030, as published
/// by GOV.UK (2012 on), the House of Commons Library briefing SN03091 and the London
/// Gazette proclamations, cross-checked against the `holidays` Python package.
const PUBLISHED: &[&str] = &[
    "1995: 01-02 04-14 04-17 05-08 05-29 08-28 12-25 12-26",
    "1996: 01-01 04-05 04-08 05-06 05-27 08-26 12-25 12-26",
    "1997: 01-01 03-28 03-31 05-05 05-26 08-25 12-25 12-26",
    "1998: 01-01 04-10 04-13 05-04 05-25 08-31 12-25 12-28",
    "1999: 01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28 12-31",
    "2000: 01-03 04-21 04-24 05-01 05-29 08-28 12-25 12-26",
    "2001: 01-01 04-13 04-16 05-07 05-28 08-27 12-25 12-26",
    "2002: 01-01 03-29 04-01 05-06 06-03 06-04 08-26 12-25 12-26",
    "2003: 01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26",
    "2004: 01-01 04-09 04-12 05-03 05-31 08-30 12-27 12-28",
    "2005: 01-03 03-25 03-28 05-02 05-30 08-29 12-26 12-27",
    "2006: 01-02 04-14 04-17 05-01 05-29 08-28 12-25 12-26",
    "2007: 01-01 04-06 04-09 05-07 05-28 08-27 12-25 12-26",
    "2008: 01-01 03-21 03-24 05-05 05-26 08-25 12-25 12-26",
    "2009: 01-01 04-10 04-13 05-04 05-25 08-31 12-25 12-28",
    "2010: 01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28",
    "2011: 01-03 04-22 04-25 04-29 05-02 05-30 08-29 12-26 12-27",
    "2012: 01-02 04-06 04-09 05-07 06-04 06-05 08-27 12-25 12-26",
    "2013: 01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26",
    "2014: 01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26",
    "2015: 01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28",
    "2016: 01-01 03-25 03-28 05-02 05-30 08-29 12-26 12-27",
    "2017: 01-02 04-14 04-17 05-01 05-29 08-28 12-25 12-26",
    "2018: 01-01 03-30 04-02 05-07 05-28 08-27 12-25 12-26",
    "2019: 01-01 04-19 04-22 05-06 05-27 08-26 12-25 12-26",
    "2020: 01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28",
    "2021: 01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28",
    "2022: 01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27",
    "2023: 01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26",
    "2024: 01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26",
    "2025: 01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26",
    "2026: 01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28",
    "2027: 01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28",
    "2028: 01-03 04-14 04-17 05-01 05-29 08-28 12-25 12-26",
    "2029: 01-01 03-30 04-02 05-07 05-28 08-27 12-25 12-26",
    "2030: 01-01 04-19 04-22 05-06 05-27 08-26 12-25 12-26",
];

#[test]
fn the_calendar_lists_every_published_bank_holiday_from_1995_to_2030() {
    let calendar = Calendar::england_and_wales();
    for line in PUBLISHED {
        let (year, days) = line.split_once(": ").unwrap();
        let year: i32 = year.parse().unwrap();
        let expected: Vec<NaiveDate> = days.split(' ').map(|md| d(&format!("{year}-{md}"))).collect();
        let actual: Vec<NaiveDate> = calendar.holidays_in(year).into_iter().map(|h| h.date).collect();
        assert_eq!(actual, expected, "bank holidays of {year}");
    }
}

#[test]
fn one_off_years_take_their_days_from_the_exceptions_table() {
    let calendar = Calendar::england_and_wales();
    let sources: Vec<(NaiveDate, HolidaySource)> = calendar
        .holidays_in(2022)
        .into_iter()
        .map(|h| (h.date, h.source))
        .collect();
    assert!(sources.contains(&(d("2022-06-02"), HolidaySource::Exception)));
    assert!(sources.contains(&(d("2022-09-19"), HolidaySource::Exception)));
    assert!(!sources.iter().any(|(date, _)| *date == d("2022-05-30")));
}

#[test]
fn five_working_days_after_monday_21_december_2026_is_wednesday_30_december() {
    let calendar = Calendar::england_and_wales();
    assert_eq!(calendar.add_working_days(d("2026-12-21"), 5), d("2026-12-30"));
}

#[test]
fn the_explanation_lists_christmas_the_weekend_and_the_boxing_day_substitute() {
    let explained = Calendar::england_and_wales().add_working_days_explained(d("2026-12-21"), 5);
    assert_eq!(explained.date, d("2026-12-30"));
    let reasons: Vec<(NaiveDate, String)> = explained
        .skipped
        .iter()
        .map(|s| (s.date, s.reason.to_string()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (d("2026-12-25"), "Christmas Day".to_owned()),
            (d("2026-12-26"), "Saturday".to_owned()),
            (d("2026-12-27"), "Sunday".to_owned()),
            (d("2026-12-28"), "Boxing Day (substitute day)".to_owned()),
        ]
    );
}

#[test]
fn the_2027_holidays_include_both_christmas_substitutes() {
    let days: Vec<(NaiveDate, String)> = Calendar::england_and_wales()
        .holidays_in(2027)
        .into_iter()
        .map(|h| (h.date, h.name.to_string()))
        .collect();
    assert_eq!(days.len(), 8);
    assert_eq!(days[6], (d("2027-12-27"), "Christmas Day (substitute day)".to_owned()));
    assert_eq!(days[7], (d("2027-12-28"), "Boxing Day (substitute day)".to_owned()));
}

#[test]
fn adding_zero_working_days_gives_the_same_day_even_at_a_weekend() {
    let calendar = Calendar::england_and_wales();
    assert_eq!(calendar.add_working_days(d("2026-11-28"), 0), d("2026-11-28"));
}

#[test]
fn counting_back_one_working_day_from_a_tuesday_after_easter_skips_the_long_weekend() {
    let calendar = Calendar::england_and_wales();
    assert_eq!(calendar.add_working_days(d("2026-04-07"), -1), d("2026-04-02"));
}

#[test]
fn working_days_between_counts_after_a_up_to_and_including_b() {
    let calendar = Calendar::england_and_wales();
    assert_eq!(calendar.working_days_between(d("2026-12-21"), d("2026-12-30")), 5);
    assert_eq!(calendar.working_days_between(d("2026-12-30"), d("2026-12-21")), -5);
    assert_eq!(calendar.working_days_between(d("2026-12-25"), d("2026-12-28")), 0);
}

#[test]
fn a_local_holiday_override_moves_the_count() {
    let calendar = Calendar::england_and_wales().with_override(Override::holiday(d("2026-12-29"), "Local closure"));
    assert_eq!(calendar.add_working_days(d("2026-12-21"), 5), d("2026-12-31"));
    let listed = calendar.holidays_in(2026);
    assert!(
        listed
            .iter()
            .any(|h| h.date == d("2026-12-29") && h.source == HolidaySource::Override)
    );
}

#[test]
fn a_working_day_override_cancels_a_holiday() {
    let calendar = Calendar::england_and_wales().with_override(Override::working_day(d("2026-12-28"), "Office open"));
    assert!(calendar.is_working_day(d("2026-12-28")));
    assert_eq!(calendar.add_working_days(d("2026-12-21"), 5), d("2026-12-29"));
}

#[test]
fn importing_the_published_feed_adds_nothing_the_rules_already_have() {
    let feed = parse_gov_uk_feed(include_str!("../../tests/data/bank-holidays-2024-2027.json")).unwrap();
    let calendar = Calendar::with_overrides(feed);
    for year in 2024..=2027 {
        assert_eq!(
            calendar.holidays_in(year),
            Calendar::england_and_wales().holidays_in(year)
        );
    }
}

#[test]
fn an_imported_day_the_rules_lack_is_a_holiday_with_source_import() {
    let calendar = Calendar::england_and_wales().with_override(Override::imported(d("2031-06-06"), "Extra"));
    assert_eq!(
        calendar.skip_reason(d("2031-06-06")),
        Some(SkipReason::Holiday("Extra".into()))
    );
    assert!(
        calendar
            .holidays_in(2031)
            .iter()
            .any(|h| h.source == HolidaySource::Import)
    );
}

#[test]
fn years_outside_the_table_follow_the_same_rules() {
    let calendar = Calendar::england_and_wales();
    // Christmas 2101 is a Sunday: Boxing Day Monday, Christmas substitute Tuesday.
    assert_eq!(calendar.add_working_days(d("2101-12-23"), 1), d("2101-12-28"));
    assert_eq!(calendar.holidays_in(1990).len(), 8);
    assert_eq!(calendar.working_days_between(d("2100-12-30"), d("2101-01-04")), 2);
}

static BUILT_IN: std::sync::LazyLock<Calendar> = std::sync::LazyLock::new(Calendar::england_and_wales);

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..(105 * 365)).prop_map(|n| d("1995-01-01") + chrono::Duration::days(n))
}

proptest! {
    #[test]
    fn the_fast_table_agrees_with_walking_day_by_day(date in any_date(), n in -40i32..40) {
        let calendar = &*BUILT_IN;
        prop_assert_eq!(calendar.add_working_days(date, n), calendar.add_working_days_explained(date, n).date);
    }

    #[test]
    fn adding_n_working_days_lands_on_a_working_day_n_working_days_away(date in any_date(), n in 1i32..40) {
        let calendar = &*BUILT_IN;
        let due = calendar.add_working_days(date, n);
        prop_assert!(calendar.is_working_day(due));
        prop_assert_eq!(calendar.working_days_between(date, due), n);
    }

    #[test]
    fn every_skipped_day_lies_between_start_and_result(date in any_date(), n in -20i32..20) {
        let calendar = &*BUILT_IN;
        let explained = calendar.add_working_days_explained(date, n);
        for s in &explained.skipped {
            prop_assert!(!calendar.is_working_day(s.date));
            prop_assert!(s.date != date);
            prop_assert!((s.date > date) == (n > 0));
        }
    }
}
