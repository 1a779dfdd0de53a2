//! Due dates and statuses: each step's [`Progress`], the rule set and the calendar give
//! its due date, its status on `today`, and an explanation a person can check by hand.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::Anchor;
use super::StepKey;
use super::progress::Progress;
use super::rules::{DueRule, RuleSet};
use crate::calendar::{Calendar, SkippedDay};
use crate::events::{AgencySlug, Text};
use crate::process::CaseState;

crate::keyed! {
    pub enum DeadlineStatus {
        Pending = "pending", "Not started";
        Due = "due", "Due";
        Overdue = "overdue", "Overdue";
        Done = "done", "Done";
        NotApplicable = "not_applicable", "Does not apply";
    }
}

/// How a due date was worked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The event or date field the clock starts from.
    pub anchor: Anchor,
    pub anchor_date: NaiveDate,
    /// Working days from the anchor to the due date (negative when due before it).
    pub working_days: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_months: Option<u32>,
    /// Non-working days between the anchor and the due date the rule gave.
    pub skipped: Vec<SkippedDay>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_by: Option<ExtendedBy>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtendedBy {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub on: NaiveDate,
    pub reason: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub step: StepKey,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<AgencySlug>,
    pub due: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_start: Option<NaiveDate>,
    pub status: DeadlineStatus,
    pub done_on: Option<NaiveDate>,
    pub late: Option<bool>,
    pub working_days_left: Option<i32>,
    pub explanation: Option<Explanation>,
}

/// Every deadline of the case on `today`, in process order; one `agency_return` per request.
pub fn deadlines(state: &CaseState, calendar: &Calendar, rules: &RuleSet, today: NaiveDate) -> Vec<Deadline> {
    let mut out = Vec::with_capacity(StepKey::ALL.len() + state.requests.len());
    for &step in StepKey::ALL {
        if step == StepKey::AgencyReturn {
            for r in &state.requests {
                out.push(deadline(state, calendar, rules, today, step, Some(&r.agency)));
            }
        } else {
            out.push(deadline(state, calendar, rules, today, step, None));
        }
    }
    out
}

/// One deadline of the case on `today`.
pub fn deadline(
    state: &CaseState,
    calendar: &Calendar,
    rules: &RuleSet,
    today: NaiveDate,
    step: StepKey,
    agency: Option<&AgencySlug>,
) -> Deadline {
    deadline_explained(state, calendar, rules, today, step, agency, true)
}

/// The same without listing the days skipped (the explanation keeps its anchor and
/// count): for reports over many cases, which never show them.
pub fn deadline_in_brief(
    state: &CaseState,
    calendar: &Calendar,
    rules: &RuleSet,
    today: NaiveDate,
    step: StepKey,
    agency: Option<&AgencySlug>,
) -> Deadline {
    deadline_explained(state, calendar, rules, today, step, agency, false)
}

fn deadline_explained(
    state: &CaseState,
    calendar: &Calendar,
    rules: &RuleSet,
    today: NaiveDate,
    step: StepKey,
    agency: Option<&AgencySlug>,
    list_skipped: bool,
) -> Deadline {
    let mut d = Deadline {
        step,
        agency: agency.cloned(),
        due: None,
        window_start: None,
        status: DeadlineStatus::Pending,
        done_on: None,
        late: None,
        working_days_left: None,
        explanation: None,
    };
    let (anchor, anchor_date, done_on) = match state.progress(step, agency) {
        Progress::NotApplicable => {
            d.status = DeadlineStatus::NotApplicable;
            return d;
        }
        Progress::Pending => return d,
        Progress::Running { anchor, anchor_date } => (anchor, anchor_date, None),
        Progress::Done {
            anchor,
            anchor_date,
            on,
        } => (anchor, anchor_date, Some(on)),
    };
    let explicit = agency.and_then(|a| state.request(a)).and_then(|r| r.returns_due);
    let (rule_due, window_start, calendar_months) = match (explicit, rules.rule(step)) {
        (Some(due), _) => (due, None, None),
        (None, DueRule::WorkingDaysAfter(n)) => (after(calendar, rules, anchor_date, n), None, None),
        (None, DueRule::Window { start, end }) => (
            after(calendar, rules, anchor_date, end),
            Some(after(calendar, rules, anchor_date, start)),
            None,
        ),
        (None, DueRule::WorkingDaysBefore(n)) => (calendar.add_working_days(anchor_date, -to_i32(n)), None, None),
        (None, DueRule::CalendarMonthsAfter(m)) => (
            anchor_date.checked_add_months(Months::new(m)).unwrap_or(anchor_date),
            None,
            Some(m),
        ),
    };
    let extension = state
        .extension(step, agency)
        .filter(|_| done_on.is_none() || state.is_closed());
    let due = extension.map_or(rule_due, |e| e.new_due);
    d.due = Some(due);
    d.window_start = window_start;
    d.explanation = Some(Explanation {
        anchor,
        anchor_date,
        working_days: calendar.working_days_between(anchor_date, rule_due),
        calendar_months,
        skipped: if calendar_months.is_some() || !list_skipped {
            Vec::new()
        } else {
            calendar.skipped_between(anchor_date, rule_due)
        },
        extended_by: extension.map(|e| ExtendedBy {
            from: rule_due,
            to: e.new_due,
            on: e.on,
            reason: e.reason.clone(),
        }),
    });
    match done_on {
        Some(on) => {
            d.status = DeadlineStatus::Done;
            d.done_on = Some(on);
            d.late = Some(on > due);
        }
        None if today <= due => {
            d.status = DeadlineStatus::Due;
            d.working_days_left = Some(calendar.working_days_between(today, due));
        }
        // A challenge window that passed without a challenge has simply closed.
        None if step == StepKey::ChallengeWindow => d.status = DeadlineStatus::NotApplicable,
        None => {
            d.status = DeadlineStatus::Overdue;
            d.working_days_left = Some(calendar.working_days_between(today, due));
        }
    }
    d
}

/// `n` working days after `anchor`, under the rule set's day-0 convention.
fn after(calendar: &Calendar, rules: &RuleSet, anchor: NaiveDate, n: u32) -> NaiveDate {
    let n = to_i32(n);
    if rules.anchor_day_is_day_one && n > 0 && calendar.is_working_day(anchor) {
        calendar.add_working_days(anchor, n - 1)
    } else {
        calendar.add_working_days(anchor, n)
    }
}

fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
