//! The England and Wales working-day calendar. Holidays come in layers: the standing
//! rules ([`rules`]), one-off proclamations ([`exceptions`]), then local overrides and
//! imported gov.uk days ([`overrides`], [`import`]). A [`Calendar`] folds the layers
//! once into a table of working days for 1995 to 2100, so that adding working days is
//! two array look-ups and no allocation; dates outside the table walk day by day.

pub mod exceptions;
pub mod import;
pub mod overrides;
pub mod rules;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Serialize, Serializer};

pub use import::{ImportError, parse_gov_uk_feed};
pub use overrides::{DayKind, HolidaySource, Override, OverrideChange};

/// First and last years held in the fast table.
pub const TABLE_FIRST_YEAR: i32 = 1995;
pub const TABLE_LAST_YEAR: i32 = 2100;

/// A holiday as the calendar finally sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: Arc<str>,
    pub source: HolidaySource,
}

/// Why a day did not count as a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    Saturday,
    Sunday,
    Holiday(Arc<str>),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Saturday => f.write_str("Saturday"),
            Self::Sunday => f.write_str("Sunday"),
            Self::Holiday(name) => f.write_str(name),
        }
    }
}

impl Serialize for SkipReason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A day that a working-day count stepped over, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedDay {
    pub date: NaiveDate,
    pub reason: SkipReason,
}

/// The result of a count with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explained {
    pub date: NaiveDate,
    pub skipped: Vec<SkippedDay>,
}

/// The working-day calendar: built-in rules, exceptions and the given overrides.
#[derive(Debug, Clone)]
pub struct Calendar {
    overrides: Vec<Override>,
    holidays: BTreeMap<NaiveDate, Holiday>,
    forced_working: BTreeSet<NaiveDate>,
    table: Table,
}

#[derive(Debug, Clone)]
struct Table {
    first: i32,
    /// `before[i]`: how many working days fall strictly before table day `i`.
    before: Vec<u32>,
    /// Every working day in the table, in order.
    working: Vec<NaiveDate>,
}

impl Default for Calendar {
    fn default() -> Self {
        Self::england_and_wales()
    }
}

impl Calendar {
    /// The built-in calendar with no local overrides.
    pub fn england_and_wales() -> Self {
        Self::with_overrides(Vec::new())
    }

    /// The built-in calendar with `overrides` applied in order (later wins).
    pub fn with_overrides(overrides: Vec<Override>) -> Self {
        let mut holidays = BTreeMap::new();
        let mut forced_working = BTreeSet::new();
        for year in TABLE_FIRST_YEAR..=TABLE_LAST_YEAR {
            for h in layered_year(year, &overrides, &mut forced_working) {
                holidays.insert(h.date, h);
            }
        }
        let mut calendar = Self {
            overrides,
            holidays,
            forced_working,
            table: Table::empty(),
        };
        calendar.table = Table::build(&calendar);
        calendar
    }

    /// The overrides this calendar was built with.
    pub fn overrides(&self) -> &[Override] {
        &self.overrides
    }

    /// A new calendar with one more override on top.
    pub fn with_override(&self, change: Override) -> Self {
        let mut overrides = self.overrides.clone();
        overrides.push(change);
        Self::with_overrides(overrides)
    }

    /// The holidays of `year` that fall on working days or were added by hand, in date order.
    pub fn holidays_in(&self, year: i32) -> Vec<Holiday> {
        if (TABLE_FIRST_YEAR..=TABLE_LAST_YEAR).contains(&year) {
            let (Some(from), Some(to)) = (
                NaiveDate::from_ymd_opt(year, 1, 1),
                NaiveDate::from_ymd_opt(year, 12, 31),
            ) else {
                return Vec::new();
            };
            self.holidays.range(from..=to).map(|(_, h)| h.clone()).collect()
        } else {
            layered_year(year, &self.overrides, &mut BTreeSet::new())
        }
    }

    /// Why `date` is not a working day, or `None` when it is one.
    pub fn skip_reason(&self, date: NaiveDate) -> Option<SkipReason> {
        if let Some(i) = self.table_index(date) {
            if self.table.before[i + 1] > self.table.before[i] {
                return None;
            }
            return weekend(date).or_else(|| self.holidays.get(&date).map(|h| SkipReason::Holiday(h.name.clone())));
        }
        self.skip_reason_by_rules(date)
    }

    /// The slow path, for dates outside the table and for building it.
    fn skip_reason_by_rules(&self, date: NaiveDate) -> Option<SkipReason> {
        if self.in_table(date) {
            if self.forced_working.contains(&date) {
                return None;
            }
            if let Some(h) = self.holidays.get(&date) {
                return Some(weekend(date).unwrap_or_else(|| SkipReason::Holiday(h.name.clone())));
            }
            return weekend(date);
        }
        let mut forced = BTreeSet::new();
        let year = layered_year(date.year(), &self.overrides, &mut forced);
        if forced.contains(&date) {
            return None;
        }
        if let Some(reason) = weekend(date) {
            return Some(reason);
        }
        year.into_iter()
            .find(|h| h.date == date)
            .map(|h| SkipReason::Holiday(h.name))
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.table_index(date) {
            Some(i) => self.table.before[i + 1] > self.table.before[i],
            None => self.skip_reason(date).is_none(),
        }
    }

    /// The `n`th working day after `date` (`date` itself is day 0); a negative `n`
    /// counts back. No allocation inside the table's years.
    pub fn add_working_days(&self, date: NaiveDate, n: i32) -> NaiveDate {
        if n == 0 {
            return date;
        }
        if let Some(i) = self.table_index(date) {
            let t = &self.table;
            let target = if n > 0 {
                // Working days up to and including `date`, then n more.
                i64::from(t.before[i + 1]) + i64::from(n) - 1
            } else {
                i64::from(t.before[i]) + i64::from(n)
            };
            if let Some(day) = usize::try_from(target).ok().and_then(|k| t.working.get(k)) {
                return *day;
            }
        }
        self.walk(date, n, |_| {})
    }

    /// As [`Calendar::add_working_days`], listing every day stepped over and why.
    pub fn add_working_days_explained(&self, date: NaiveDate, n: i32) -> Explained {
        let mut skipped = Vec::new();
        let result = self.walk(date, n, |day| skipped.push(day));
        Explained { date: result, skipped }
    }

    /// How many working days fall after `a` up to and including `b`; negative if `b < a`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i32 {
        if let (Some(ia), Some(ib)) = (self.table_index(a), self.table_index(b)) {
            let count = i64::from(self.table.before[ib + 1]) - i64::from(self.table.before[ia + 1]);
            return i32::try_from(count).unwrap_or(i32::MAX);
        }
        let (from, to, sign) = if b >= a { (a, b, 1) } else { (b, a, -1) };
        let mut count = 0;
        let mut day = from;
        while day < to {
            let Some(next) = day.succ_opt() else { break };
            day = next;
            if self.is_working_day(day) {
                count += 1;
            }
        }
        sign * count
    }

    /// The non-working days after `a` up to and including `b` (either order), oldest first.
    pub fn skipped_between(&self, a: NaiveDate, b: NaiveDate) -> Vec<SkippedDay> {
        let (from, to) = if b >= a { (a, b) } else { (b, a) };
        if let (Some(i), Some(j)) = (self.table_index(from), self.table_index(to)) {
            // One allocation of the exact size: the table knows how many days are working.
            let t = &self.table;
            let working = (t.before[j + 1] - t.before[i + 1]) as usize;
            let mut skipped = Vec::with_capacity((j - i).saturating_sub(working));
            let mut day = from;
            for k in i + 1..=j {
                let Some(next) = day.succ_opt() else { break };
                day = next;
                if t.before[k + 1] == t.before[k] {
                    let reason =
                        weekend(day).or_else(|| self.holidays.get(&day).map(|h| SkipReason::Holiday(h.name.clone())));
                    if let Some(reason) = reason {
                        skipped.push(SkippedDay { date: day, reason });
                    }
                }
            }
            return skipped;
        }
        let mut skipped = Vec::new();
        let mut day = from;
        while day < to {
            let Some(next) = day.succ_opt() else { break };
            day = next;
            if let Some(reason) = self.skip_reason(day) {
                skipped.push(SkippedDay { date: day, reason });
            }
        }
        skipped
    }

    fn walk(&self, date: NaiveDate, n: i32, mut on_skip: impl FnMut(SkippedDay)) -> NaiveDate {
        let forward = n > 0;
        let mut remaining = n.unsigned_abs();
        let mut day = date;
        while remaining > 0 {
            let next = if forward { day.succ_opt() } else { day.pred_opt() };
            let Some(next) = next else { return day };
            day = next;
            match self.skip_reason(day) {
                None => remaining -= 1,
                Some(reason) => on_skip(SkippedDay { date: day, reason }),
            }
        }
        day
    }

    fn in_table(&self, date: NaiveDate) -> bool {
        (TABLE_FIRST_YEAR..=TABLE_LAST_YEAR).contains(&date.year())
    }

    fn table_index(&self, date: NaiveDate) -> Option<usize> {
        let i = usize::try_from(date.num_days_from_ce() - self.table.first).ok()?;
        (i + 1 < self.table.before.len()).then_some(i)
    }
}

impl Table {
    fn empty() -> Self {
        Self {
            first: 0,
            before: Vec::new(),
            working: Vec::new(),
        }
    }

    fn build(calendar: &Calendar) -> Self {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(TABLE_FIRST_YEAR, 1, 1),
            NaiveDate::from_ymd_opt(TABLE_LAST_YEAR, 12, 31),
        ) else {
            return Self::empty();
        };
        let days = usize::try_from(last.num_days_from_ce() - first.num_days_from_ce() + 1).unwrap_or(0);
        let mut before = Vec::with_capacity(days + 1);
        let mut working = Vec::with_capacity(days * 5 / 7);
        let mut count = 0u32;
        for day in first.iter_days().take(days) {
            before.push(count);
            if calendar.skip_reason_by_rules(day).is_none() {
                working.push(day);
                count += 1;
            }
        }
        before.push(count);
        Self {
            first: first.num_days_from_ce(),
            before,
            working,
        }
    }
}

fn weekend(date: NaiveDate) -> Option<SkipReason> {
    match date.weekday() {
        Weekday::Sat => Some(SkipReason::Saturday),
        Weekday::Sun => Some(SkipReason::Sunday),
        _ => None,
    }
}

/// The holidays of one year after every layer, in date order; records in
/// `forced_working` the days an override made working days.
fn layered_year(year: i32, overrides: &[Override], forced_working: &mut BTreeSet<NaiveDate>) -> Vec<Holiday> {
    let mut days: BTreeMap<NaiveDate, Holiday> = rules::rule_holidays(year)
        .into_iter()
        .map(|r| {
            (
                r.date,
                Holiday {
                    date: r.date,
                    name: r.name.into(),
                    source: HolidaySource::Rule,
                },
            )
        })
        .collect();
    for e in exceptions::EXCEPTIONS.iter().filter(|e| e.date.0 == year) {
        if let Some(replaced) = e.replaced_date() {
            days.remove(&replaced);
        }
        if let Some(date) = e.date() {
            days.insert(
                date,
                Holiday {
                    date,
                    name: e.name.into(),
                    source: HolidaySource::Exception,
                },
            );
        }
    }
    for o in overrides.iter().filter(|o| o.date.year() == year) {
        match &o.change {
            OverrideChange::Holiday { name, source } => {
                forced_working.remove(&o.date);
                if *source == HolidaySource::Import && days.contains_key(&o.date) {
                    continue;
                }
                days.insert(
                    o.date,
                    Holiday {
                        date: o.date,
                        name: name.clone(),
                        source: *source,
                    },
                );
            }
            OverrideChange::WorkingDay { .. } => {
                days.remove(&o.date);
                forced_working.insert(o.date);
            }
        }
    }
    days.into_values().collect()
}

#[cfg(test)]
mod tests;
