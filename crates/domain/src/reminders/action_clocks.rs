//! The clocks of a case's actions. Each immediate action the meeting agreed and each
//! item of the learning action plan has a due date of its own. While it is open, its
//! owner is reminded [`DEFAULT_REMIND_BEFORE`] working days before and on the due day;
//! on the first working day it is overdue the Partnership Manager is told; after that it
//! is a line in her daily digest until it is done. Nothing on a weekend or bank holiday.
//!
//! An immediate action's owner is whatever the meeting wrote ("Business Unit", an
//! agency's name, a person), so it is named as [`Audience::Named`] and the store finds
//! who that is. A learning action's owner is an agency of the directory.

use std::fmt;

use chrono::NaiveDate;

use super::{ReminderKind, kind_of};
use crate::actions::actions;
use crate::calendar::Calendar;
use crate::deadlines::DEFAULT_REMIND_BEFORE;
use crate::events::{ActionPlan, ActionStatus, AgencySlug, Event};
use crate::notices::Audience;
use crate::roles::Role;

/// One action of a case: its plan and its number there (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActionRef {
    pub plan: ActionPlan,
    pub number: u32,
}

impl ActionRef {
    /// "Immediate action 2".
    pub fn label(self) -> String {
        format!("{} {}", self.plan.label(), self.number)
    }

    /// Reads the stored form, "immediate-2".
    pub fn parse(text: &str) -> Option<ActionRef> {
        let (plan, number) = text.split_once('-')?;
        Some(ActionRef {
            plan: ActionPlan::parse(plan)?,
            number: number.parse().ok().filter(|n| *n > 0)?,
        })
    }
}

/// The stored form: "immediate-2", "learning-1".
impl fmt::Display for ActionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.plan.as_str(), self.number)
    }
}

/// One message about one action on one day. `digest_only` marks the Partnership
/// Manager's still-overdue line, which waits for her digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionReminder {
    pub action: ActionRef,
    pub due: NaiveDate,
    pub kind: ReminderKind,
    pub to: Vec<Audience>,
    pub digest_only: bool,
}

/// The messages the open actions of a case with `events` bring `today`.
pub fn action_reminders(events: &[Event], calendar: &Calendar, today: NaiveDate) -> Vec<ActionReminder> {
    if !calendar.is_working_day(today) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for plan in [ActionPlan::Immediate, ActionPlan::Learning] {
        for a in actions(events, plan)
            .into_iter()
            .filter(|a| a.status == ActionStatus::Open)
        {
            let action = ActionRef { plan, number: a.number };
            let manager = vec![Audience::Role(Role::PartnershipManager)];
            let (kind, to, digest_only) = match kind_of(a.due, DEFAULT_REMIND_BEFORE, calendar, today) {
                Some(ReminderKind::Overdue) => (ReminderKind::Overdue, manager, false),
                Some(kind) => (kind, vec![owner(plan, &a.owner)], false),
                None if a.due < today => (ReminderKind::Overdue, manager, true),
                None => continue,
            };
            out.push(ActionReminder {
                action,
                due: a.due,
                kind,
                to,
                digest_only,
            });
        }
    }
    out
}

/// Who owns an action of `plan`, as the record names them.
fn owner(plan: ActionPlan, owner: &str) -> Audience {
    match (plan, AgencySlug::try_from(owner.to_owned())) {
        (ActionPlan::Learning, Ok(agency)) => Audience::Agency(agency),
        _ => Audience::Named(owner.trim().to_owned()),
    }
}

#[cfg(test)]
mod tests;
