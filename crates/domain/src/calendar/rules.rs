//! The standing rules that make England and Wales bank holidays: fixed dates with
//! weekend substitutes, Easter by the Gregorian computus, and the Monday rules of the
//! Banking and Financial Dealings Act 1971 as amended (early May since 1978).

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// One holiday a rule produces for a year, before one-off proclamations apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleHoliday {
    pub date: NaiveDate,
    pub name: &'static str,
}

/// Every rule holiday of `year`, in date order. Substitute days are the holidays that
/// people actually take: a Christmas Day on a Saturday yields Monday 27 December, not 25.
pub fn rule_holidays(year: i32) -> Vec<RuleHoliday> {
    build(year).unwrap_or_default()
}

fn build(year: i32) -> Option<Vec<RuleHoliday>> {
    let easter = easter_sunday(year)?;
    let mut days = Vec::with_capacity(8);
    days.push(new_year(year)?);
    days.push(RuleHoliday {
        date: easter.checked_sub_days(Days::new(2))?,
        name: "Good Friday",
    });
    days.push(RuleHoliday {
        date: easter.checked_add_days(Days::new(1))?,
        name: "Easter Monday",
    });
    days.push(RuleHoliday {
        date: NaiveDate::from_weekday_of_month_opt(year, 5, Weekday::Mon, 1)?,
        name: "Early May bank holiday",
    });
    days.push(RuleHoliday {
        date: last_monday(year, 5)?,
        name: "Spring bank holiday",
    });
    days.push(RuleHoliday {
        date: last_monday(year, 8)?,
        name: "Summer bank holiday",
    });
    days.extend(christmas(year)?);
    Some(days)
}

/// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

fn last_monday(year: i32, month: u32) -> Option<NaiveDate> {
    let next_month_first = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = next_month_first.pred_opt()?;
    let back = last.weekday().num_days_from_monday();
    last.checked_sub_days(Days::new(u64::from(back)))
}

fn new_year(year: i32) -> Option<RuleHoliday> {
    let day = NaiveDate::from_ymd_opt(year, 1, 1)?;
    Some(match day.weekday() {
        Weekday::Sat => RuleHoliday {
            date: day.checked_add_days(Days::new(2))?,
            name: "New Year’s Day (substitute day)",
        },
        Weekday::Sun => RuleHoliday {
            date: day.checked_add_days(Days::new(1))?,
            name: "New Year’s Day (substitute day)",
        },
        _ => RuleHoliday {
            date: day,
            name: "New Year’s Day",
        },
    })
}

/// Christmas Day and Boxing Day, with substitutes when either falls at a weekend:
/// both at a weekend gives Monday 27 and Tuesday 28 December.
fn christmas(year: i32) -> Option<[RuleHoliday; 2]> {
    let day = |d| NaiveDate::from_ymd_opt(year, 12, d);
    const XMAS: &str = "Christmas Day";
    const XMAS_SUB: &str = "Christmas Day (substitute day)";
    const BOXING: &str = "Boxing Day";
    const BOXING_SUB: &str = "Boxing Day (substitute day)";
    let pair = |a: u32, an, b: u32, bn| -> Option<[RuleHoliday; 2]> {
        Some([
            RuleHoliday {
                date: day(a)?,
                name: an,
            },
            RuleHoliday {
                date: day(b)?,
                name: bn,
            },
        ])
    };
    match day(25)?.weekday() {
        Weekday::Fri => pair(25, XMAS, 28, BOXING_SUB),
        Weekday::Sat => pair(27, XMAS_SUB, 28, BOXING_SUB),
        // Boxing Day on the Monday is itself; Christmas moves to the Tuesday.
        Weekday::Sun => pair(26, BOXING, 27, XMAS_SUB),
        _ => pair(25, XMAS, 26, BOXING),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_sunday_matches_known_dates_across_centuries() {
        assert_eq!(easter_sunday(1995), Some(d(1995, 4, 16)));
        assert_eq!(easter_sunday(2000), Some(d(2000, 4, 23)));
        assert_eq!(easter_sunday(2008), Some(d(2008, 3, 23)));
        assert_eq!(easter_sunday(2019), Some(d(2019, 4, 21)));
        assert_eq!(easter_sunday(2038), Some(d(2038, 4, 25)));
        assert_eq!(easter_sunday(2100), Some(d(2100, 3, 28)));
    }

    #[test]
    fn christmas_and_boxing_day_both_at_a_weekend_move_to_monday_and_tuesday() {
        let days = rule_holidays(2021);
        assert!(days.contains(&RuleHoliday {
            date: d(2021, 12, 27),
            name: "Christmas Day (substitute day)"
        }));
        assert!(days.contains(&RuleHoliday {
            date: d(2021, 12, 28),
            name: "Boxing Day (substitute day)"
        }));
    }

    #[test]
    fn christmas_on_a_sunday_keeps_boxing_day_and_substitutes_the_tuesday() {
        let days = rule_holidays(2022);
        assert!(days.contains(&RuleHoliday {
            date: d(2022, 12, 26),
            name: "Boxing Day"
        }));
        assert!(days.contains(&RuleHoliday {
            date: d(2022, 12, 27),
            name: "Christmas Day (substitute day)"
        }));
    }

    #[test]
    fn every_rule_holiday_falls_on_a_weekday() {
        for year in 1995..=2100 {
            for h in rule_holidays(year) {
                assert!(h.date.weekday().num_days_from_monday() < 5, "{year}: {h:?}");
            }
        }
    }
}
