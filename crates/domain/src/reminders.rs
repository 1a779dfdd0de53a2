//! Which reminders a day brings. On each working day, for each running clock: a
//! reminder `remind_before` working days before its due date (2 unless the rules say
//! otherwise) and one on the due day, both to whoever acts next; and on the first
//! working day it is overdue, an escalation to the Partnership Manager. Nothing on a
//! weekend or bank holiday. A lapsing challenge window is nobody's duty, so it reminds
//! no one. An agency whose return is late is chased: sent its link again on the first
//! working day after the due date and then every `chase_every` working days (2 unless
//! the rules say otherwise), until the return is in or the case stops waiting for it.
//! The case's actions have clocks of their own ([`action_clocks`]).

pub mod action_clocks;

use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::deadlines::{Deadline, DeadlineStatus, RuleSet, StepKey};
use crate::events::AgencySlug;
use crate::notices::{Audience, Notice};
use crate::roles::Role;

crate::keyed! {
    /// Why a reminder goes.
    pub enum ReminderKind {
        Upcoming = "upcoming", "Due soon";
        DueToday = "due_today", "Due today";
        Overdue = "overdue", "Overdue";
        Chase = "chase", "Overdue: asked again";
    }
}

/// The notice a reminder goes as (reminders know notices; notices know nothing of
/// reminders).
impl From<ReminderKind> for Notice {
    fn from(kind: ReminderKind) -> Notice {
        use ReminderKind as K;
        match kind {
            K::Upcoming => Notice::Upcoming,
            K::DueToday => Notice::DueToday,
            K::Overdue => Notice::Overdue,
            K::Chase => Notice::Chase,
        }
    }
}

/// One reminder of one clock on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub step: StepKey,
    pub agency: Option<AgencySlug>,
    pub due: NaiveDate,
    pub kind: ReminderKind,
    pub to: Vec<Audience>,
}

/// The reminders of `deadlines` (one case's, worked out for `today`) that go `today`.
pub fn reminders(deadlines: &[Deadline], calendar: &Calendar, rules: &RuleSet, today: NaiveDate) -> Vec<Reminder> {
    if !calendar.is_working_day(today) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for d in deadlines {
        let running = matches!(d.status, DeadlineStatus::Due | DeadlineStatus::Overdue);
        let (true, Some(due)) = (running && d.step != StepKey::ChallengeWindow, d.due) else {
            continue;
        };
        let Some(kind) = kind_of(due, rules.remind_before(d.step), calendar, today) else {
            continue;
        };
        out.push(Reminder {
            step: d.step,
            agency: d.agency.clone(),
            due,
            kind,
            to: who_is_reminded(d, kind),
        });
    }
    out.extend(chases(deadlines, calendar, rules, today));
    out
}

/// Which reminder a clock due on `due` brings `today` (a working day): `before` working
/// days ahead, on the day, or on the first working day overdue.
fn kind_of(due: NaiveDate, before: u32, calendar: &Calendar, today: NaiveDate) -> Option<ReminderKind> {
    let before = i32::try_from(before).unwrap_or(0);
    if due == today {
        Some(ReminderKind::DueToday)
    } else if before > 0 && due > today && calendar.add_working_days(due, -before) == today {
        Some(ReminderKind::Upcoming)
    } else if due < today && calendar.add_working_days(due, 1) == today {
        Some(ReminderKind::Overdue)
    } else {
        None
    }
}

/// The late agencies chased `today`: on the first working day after the due date, then
/// every `rules.chase_every` working days.
fn chases(deadlines: &[Deadline], calendar: &Calendar, rules: &RuleSet, today: NaiveDate) -> Vec<Reminder> {
    let every = i32::try_from(rules.chase_every).unwrap_or(0);
    if every == 0 {
        return Vec::new();
    }
    deadlines
        .iter()
        .filter(|d| d.step == StepKey::AgencyReturn && d.status == DeadlineStatus::Overdue)
        .filter_map(|d| {
            let (due, agency) = (d.due?, d.agency.clone()?);
            let late = calendar.working_days_between(due, today);
            (late >= 1 && (late - 1) % every == 0).then(|| Reminder {
                step: d.step,
                agency: Some(agency.clone()),
                due,
                kind: ReminderKind::Chase,
                to: vec![Audience::Agency(agency)],
            })
        })
        .collect()
}

/// Whoever acts next on the clock (the agency, for its return); the Partnership Manager
/// for an escalation.
pub fn who_is_reminded(deadline: &Deadline, kind: ReminderKind) -> Vec<Audience> {
    if kind == ReminderKind::Overdue {
        return vec![Audience::Role(Role::PartnershipManager)];
    }
    if let (ReminderKind::Chase, Some(agency)) = (kind, &deadline.agency) {
        return vec![Audience::Agency(agency.clone())];
    }
    if let Some(agency) = &deadline.agency {
        return vec![Audience::Agency(agency.clone())];
    }
    Role::recorders(deadline.step.completed_by())
        .iter()
        .map(|r| Audience::Role(*r))
        .collect()
}

#[cfg(test)]
mod tests;

/// Clocks still overdue on `today` after the day they were escalated: the lines that
/// appear again in the Partnership Manager's daily digest.
pub fn still_overdue(deadlines: &[Deadline], calendar: &Calendar, today: NaiveDate) -> Vec<Reminder> {
    if !calendar.is_working_day(today) {
        return Vec::new();
    }
    deadlines
        .iter()
        .filter(|d| d.status == DeadlineStatus::Overdue && d.step != StepKey::ChallengeWindow)
        .filter_map(|d| {
            let due = d.due?;
            (calendar.add_working_days(due, 1) < today).then(|| Reminder {
                step: d.step,
                agency: d.agency.clone(),
                due,
                kind: ReminderKind::Overdue,
                to: vec![Audience::Role(Role::PartnershipManager)],
            })
        })
        .collect()
}
