//! Local changes an administrator layers on top of the built-in calendar: an extra
//! holiday, a day marked as a working day, or days imported from the gov.uk feed.

use std::sync::Arc;

use chrono::NaiveDate;

crate::keyed! {
    /// Where a holiday in the calendar comes from; shown to administrators so they can
    /// tell a built-in rule from a day somebody added.
    pub enum HolidaySource {
        Rule = "rule", "Rule";
        Exception = "exception", "Royal proclamation";
        Override = "override", "Local change";
        Import = "import", "gov.uk feed";
    }
}

crate::keyed! {
    /// What an administrator's local change makes of a day.
    pub enum DayKind {
        Holiday = "holiday", "A holiday (not a working day)";
        WorkingDay = "working_day", "A working day";
    }
}

/// One local change to the calendar. Later overrides win over earlier ones for the
/// same date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub date: NaiveDate,
    pub change: OverrideChange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OverrideChange {
    /// The day is a holiday. An `Import` source only adds days the calendar lacks; an
    /// `Override` source also renames a built-in day.
    Holiday { name: Arc<str>, source: HolidaySource },
    /// The day is a working day, whatever the rules or a weekend say.
    WorkingDay { reason: Arc<str> },
}

impl Override {
    pub fn holiday(date: NaiveDate, name: &str) -> Self {
        Self {
            date,
            change: OverrideChange::Holiday {
                name: name.into(),
                source: HolidaySource::Override,
            },
        }
    }

    pub fn imported(date: NaiveDate, name: &str) -> Self {
        Self {
            date,
            change: OverrideChange::Holiday {
                name: name.into(),
                source: HolidaySource::Import,
            },
        }
    }

    pub fn working_day(date: NaiveDate, reason: &str) -> Self {
        Self {
            date,
            change: OverrideChange::WorkingDay { reason: reason.into() },
        }
    }
}
