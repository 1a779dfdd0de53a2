//! One-off changes to England and Wales bank holidays made by royal proclamation
//! since 1995, under section 1(3) and (4) of the Banking and Financial Dealings Act 1971.
//!
//! Sources: the proclamations in The London Gazette; GOV.UK "UK bank holidays"
//! (www.gov.uk/bank-holidays and its JSON feed, 2012 onward); the UK Parliament House of
//! Commons Library briefing SN03091 "Bank holidays"; and Wikipedia's "Public holidays in
//! the United Kingdom" (section "Special holidays"). Cross-checked against the
//! independently maintained `holidays` Python package (subdivision ENG).

use chrono::NaiveDate;

/// A day moved or added by proclamation. `replaces` is the rule day it moved, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exception {
    pub date: (i32, u32, u32),
    pub name: &'static str,
    pub replaces: Option<(i32, u32, u32)>,
}

impl Exception {
    pub fn date(&self) -> Option<NaiveDate> {
        ymd(self.date)
    }

    pub fn replaced_date(&self) -> Option<NaiveDate> {
        self.replaces.and_then(ymd)
    }
}

fn ymd((y, m, d): (i32, u32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Every proclamation since 1995, in date order.
pub const EXCEPTIONS: &[Exception] = &[
    // 50th anniversary of VE Day: the early May holiday moved from Monday 1 May.
    Exception {
        date: (1995, 5, 8),
        name: "Early May bank holiday (VE Day)",
        replaces: Some((1995, 5, 1)),
    },
    // The millennium: an extra day.
    Exception {
        date: (1999, 12, 31),
        name: "Millennium Day",
        replaces: None,
    },
    // Golden Jubilee: spring holiday moved from Monday 27 May; Monday 3 June added.
    Exception {
        date: (2002, 6, 3),
        name: "Golden Jubilee bank holiday",
        replaces: None,
    },
    Exception {
        date: (2002, 6, 4),
        name: "Spring bank holiday",
        replaces: Some((2002, 5, 27)),
    },
    // Wedding of Prince William and Catherine Middleton.
    Exception {
        date: (2011, 4, 29),
        name: "Royal wedding",
        replaces: None,
    },
    // Diamond Jubilee: spring holiday moved from Monday 28 May; Tuesday 5 June added.
    Exception {
        date: (2012, 6, 4),
        name: "Spring bank holiday",
        replaces: Some((2012, 5, 28)),
    },
    Exception {
        date: (2012, 6, 5),
        name: "Queen’s Diamond Jubilee",
        replaces: None,
    },
    // 75th anniversary of VE Day: early May holiday moved from Monday 4 May.
    Exception {
        date: (2020, 5, 8),
        name: "Early May bank holiday (VE day)",
        replaces: Some((2020, 5, 4)),
    },
    // Platinum Jubilee: spring holiday moved from Monday 30 May; Friday 3 June added.
    Exception {
        date: (2022, 6, 2),
        name: "Spring bank holiday",
        replaces: Some((2022, 5, 30)),
    },
    Exception {
        date: (2022, 6, 3),
        name: "Platinum Jubilee bank holiday",
        replaces: None,
    },
    Exception {
        date: (2022, 9, 19),
        name: "Bank Holiday for the State Funeral of Queen Elizabeth II",
        replaces: None,
    },
    Exception {
        date: (2023, 5, 8),
        name: "Bank holiday for the coronation of King Charles III",
        replaces: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn every_exception_is_a_real_weekday_and_replaces_a_real_monday() {
        for e in EXCEPTIONS {
            let date = e.date().unwrap();
            assert!(date.weekday().num_days_from_monday() < 5, "{e:?}");
            if e.replaces.is_some() {
                assert_eq!(e.replaced_date().unwrap().weekday(), chrono::Weekday::Mon, "{e:?}");
            }
        }
    }
}
