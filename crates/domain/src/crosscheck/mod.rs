//! Cross-checks that warn but never block: a step that puts the review's dates at odds
//! with each other goes ahead once someone gives a reason, and the warnings and the
//! reason are kept on the event. The checks:
//! - an agency's return due after the papers pack is shared (the day before the
//!   meeting), when requests are sent, the meeting is scheduled, or a return extended;
//! - a meeting outside the 7 to 8 working-day window after the Panel notification, or
//!   after the 15-working-day submission date;
//! - an immediate action due before the meeting that agreed it;
//! - a meeting without each of the three partners present (not quorate);
//! - the papers shared while an agency's return is still awaited.
//!
//! And one rule of the same kind that is not a warning: a local review planned for
//! publication after its 6-month clock needs a `publication_reason`.

use crate::calendar::Calendar;
use crate::case::CaseView;
use crate::dates::long;
use crate::deadlines::{RuleSet, StepKey};
use crate::events::{Checked, Event, EventPayload, FieldError};
use crate::process::Refusal;

/// The warnings `event` raises after `history`, in words; `agency_name` names an
/// agency by its key.
pub fn warnings(
    history: &[Event],
    event: &Event,
    calendar: &Calendar,
    rules: &RuleSet,
    agency_name: &dyn Fn(&str) -> String,
) -> Vec<String> {
    let mut all = history.to_vec();
    all.push(event.clone());
    let view = CaseView::derive(&all, calendar, rules, event.on);
    let due = |step: StepKey| view.deadlines.iter().find(|d| d.step == step && d.agency.is_none());
    let mut out = Vec::new();
    let late_returns = |out: &mut Vec<String>| {
        let Some(pack) = due(StepKey::PackShared).and_then(|d| d.due) else {
            return;
        };
        for r in view.agency_requests.iter().filter(|r| r.awaited()) {
            if let Some(d) = r.due.filter(|d| *d > pack) {
                out.push(format!(
                    "The return from {} is due on {}, after the papers pack is shared on {}",
                    agency_name(r.agency.as_str()),
                    long(d),
                    long(pack)
                ));
            }
        }
    };
    match &event.payload {
        EventPayload::AgencyRequestsSent(_) | EventPayload::DeadlineExtended(_) => late_returns(&mut out),
        EventPayload::MeetingScheduled(p) => {
            if let Some(window) = due(StepKey::RapidReviewMeeting)
                && let (Some(start), Some(end)) = (window.window_start, window.due)
                && (p.meeting_on < start || p.meeting_on > end)
            {
                out.push(format!(
                    "The meeting on {} is outside the target window of {} to {}",
                    long(p.meeting_on),
                    long(start),
                    long(end)
                ));
            }
            if let Some(submission) = due(StepKey::RapidReviewSubmission).and_then(|d| d.due)
                && p.meeting_on > submission
            {
                out.push(format!(
                    "The meeting on {} is after the Rapid Review is due at the Panel on {}",
                    long(p.meeting_on),
                    long(submission)
                ));
            }
            late_returns(&mut out);
        }
        EventPayload::PackShared(_) => {
            let awaited: Vec<String> = view
                .agency_requests
                .iter()
                .filter(|r| r.awaited())
                .map(|r| agency_name(r.agency.as_str()))
                .collect();
            if !awaited.is_empty() {
                out.push(format!(
                    "The papers are shared while returns are still awaited from {}; go ahead without them (proceed-without), or give a reason to share the papers without them",
                    awaited.join(", ")
                ));
            }
        }
        EventPayload::MeetingHeld(p) => {
            for a in p.immediate_actions.iter().filter(|a| a.due < event.on) {
                out.push(format!(
                    "The action \"{}\" is due on {}, before the meeting that agreed it",
                    a.action,
                    long(a.due)
                ));
            }
            let absent = p.partners_absent();
            if !absent.is_empty() {
                let names: Vec<&str> = absent.iter().map(|p| p.label()).collect();
                out.push(format!(
                    "The meeting was not quorate: nobody was present for {}",
                    names.join(", ")
                ));
            }
        }
        _ => {}
    }
    out
}

/// Checks `event` (appended after `history`): with warnings, it needs a
/// `warning_reason` (a 422 that lists them), and they are kept on it.
pub fn review(
    history: &[Event],
    event: &mut Event,
    calendar: &Calendar,
    rules: &RuleSet,
    agency_name: &dyn Fn(&str) -> String,
) -> Result<(), Refusal> {
    if let EventPayload::LcsprCommissioned(p) = &event.payload {
        return publication(
            history,
            event,
            p.planned_publication_on,
            p.publication_reason.is_some(),
            calendar,
            rules,
        );
    }
    if checked(&mut event.payload).is_none() {
        return Ok(());
    }
    let found = warnings(history, event, calendar, rules, agency_name);
    let Some(checked) = checked(&mut event.payload) else {
        return Ok(());
    };
    if !found.is_empty() && checked.warning_reason.is_none() {
        return Err(Refusal::Invalid(FieldError::new(
            "warning_reason",
            format!("{}. Give a reason to go ahead anyway.", found.join("; ")),
        )));
    }
    checked.warnings = found;
    Ok(())
}

/// A local review planned for publication after its 6-month clock needs a reason
/// (`publication_reason`), which is kept on the event.
fn publication(
    history: &[Event],
    event: &Event,
    planned: chrono::NaiveDate,
    reason_given: bool,
    calendar: &Calendar,
    rules: &RuleSet,
) -> Result<(), Refusal> {
    let view = CaseView::derive(history, calendar, rules, event.on);
    let due = view
        .deadlines
        .iter()
        .find(|d| d.step == StepKey::LcsprPublication)
        .and_then(|d| d.due);
    match due {
        Some(due) if planned > due && !reason_given => Err(Refusal::Invalid(FieldError::new(
            "publication_reason",
            format!(
                "publication on {} is after the 6-month clock ({}): say why it will be later",
                long(planned),
                long(due)
            ),
        ))),
        _ => Ok(()),
    }
}

fn checked(payload: &mut EventPayload) -> Option<&mut Checked> {
    match payload {
        EventPayload::AgencyRequestsSent(p) => Some(&mut p.checked),
        EventPayload::MeetingScheduled(p) => Some(&mut p.checked),
        EventPayload::MeetingHeld(p) => Some(&mut p.checked),
        EventPayload::DeadlineExtended(p) => Some(&mut p.checked),
        EventPayload::PackShared(p) => Some(&mut p.checked),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
