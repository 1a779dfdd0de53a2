//! Action clocks over Christmas 2026: 25 and 28 December and 1 January are bank
//! holidays, 26 December is a Saturday.

use serde_json::json;

use super::*;
use crate::events::{EventKind, EventPayload};
use crate::synthetic::{self, Journey};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn calendar() -> Calendar {
    Calendar::england_and_wales()
}

/// A met case up to its meeting, with its one immediate action (owned by "Business
/// Unit") due on `due`, and a learning action owned by `county-police` due on `due`.
fn case_with_actions(due: &str) -> Vec<Event> {
    let bodies = synthetic::journey(Journey::SeriousHarm, d("2026-11-02"), &calendar(), 1);
    let mut events = synthetic::record_all(&bodies, d("2099-01-01")).unwrap();
    let end = events
        .iter()
        .position(|e| e.payload.kind() == EventKind::MeetingHeld)
        .unwrap();
    events.truncate(end + 1);
    let EventPayload::MeetingHeld(held) = &mut events[end].payload else {
        unreachable!()
    };
    held.immediate_actions[0].due = d(due);
    let learning = EventPayload::from_json(
        EventKind::LearningActionAdded,
        &json!({"action": "Train the team", "owner_agency": "county-police", "due": due}).to_string(),
    )
    .unwrap();
    let mut added = events[end].clone();
    added.version = added.version.next();
    added.payload = learning;
    events.push(added);
    events
}

/// Every action message from `from` to `to`, by day.
fn between(events: &[Event], from: &str, to: &str) -> Vec<(NaiveDate, ActionReminder)> {
    let mut out = Vec::new();
    let mut day = d(from);
    while day <= d(to) {
        out.extend(action_reminders(events, &calendar(), day).into_iter().map(|r| (day, r)));
        day = day.succ_opt().unwrap();
    }
    out
}

#[test]
fn an_action_due_on_30_december_is_reminded_to_its_owner_then_escalated_then_kept_in_the_digest() {
    let events = case_with_actions("2026-12-30");
    let immediate: Vec<_> = between(&events, "2026-12-21", "2027-01-06")
        .into_iter()
        .filter(|(_, r)| r.action.plan == ActionPlan::Immediate)
        .map(|(day, r)| (day, r.kind, r.to, r.digest_only))
        .collect();
    let owner = vec![Audience::Named("Business Unit".into())];
    let manager = vec![Audience::Role(Role::PartnershipManager)];
    assert_eq!(
        immediate,
        vec![
            (d("2026-12-24"), ReminderKind::Upcoming, owner.clone(), false),
            (d("2026-12-30"), ReminderKind::DueToday, owner, false),
            (d("2026-12-31"), ReminderKind::Overdue, manager.clone(), false),
            (d("2027-01-04"), ReminderKind::Overdue, manager.clone(), true),
            (d("2027-01-05"), ReminderKind::Overdue, manager.clone(), true),
            (d("2027-01-06"), ReminderKind::Overdue, manager, true),
        ]
    );
}

#[test]
fn a_learning_action_is_reminded_to_its_agency_and_numbered_in_its_plan() {
    let events = case_with_actions("2026-12-30");
    let on_the_day = action_reminders(&events, &calendar(), d("2026-12-30"));
    let learning = on_the_day
        .iter()
        .find(|r| r.action.plan == ActionPlan::Learning)
        .unwrap();
    assert_eq!(learning.action.label(), "Learning action 1");
    assert_eq!(
        learning.to,
        vec![Audience::Agency("county-police".to_owned().try_into().unwrap())]
    );
}

#[test]
fn a_done_action_has_no_clock() {
    let mut events = case_with_actions("2026-12-30");
    let mut done = events.last().unwrap().clone();
    done.version = done.version.next();
    done.payload = EventPayload::from_json(
        EventKind::ActionUpdated,
        &json!({"plan": "immediate", "number": 1, "status": "done", "evidence": "Plan shared"}).to_string(),
    )
    .unwrap();
    events.push(done);
    let left: Vec<ActionPlan> = between(&events, "2026-12-21", "2027-01-06")
        .into_iter()
        .map(|(_, r)| r.action.plan)
        .collect();
    assert!(
        !left.is_empty() && left.iter().all(|p| *p == ActionPlan::Learning),
        "{left:?}"
    );
}

#[test]
fn nothing_is_sent_on_a_bank_holiday_even_for_an_overdue_action() {
    let events = case_with_actions("2026-12-21");
    assert!(action_reminders(&events, &calendar(), d("2026-12-28")).is_empty());
    assert!(action_reminders(&events, &calendar(), d("2026-12-26")).is_empty());
}

#[test]
fn an_action_is_named_in_its_stored_form_and_read_back() {
    let a = ActionRef {
        plan: ActionPlan::Learning,
        number: 3,
    };
    assert_eq!(a.to_string(), "learning-3");
    assert_eq!(ActionRef::parse("learning-3"), Some(a));
    assert_eq!(ActionRef::parse("learning-0"), None);
    assert_eq!(ActionRef::parse("soon-1"), None);
}

#[test]
fn an_owner_s_words_name_a_role_or_a_partner_or_nobody() {
    assert_eq!(
        Audience::of_words("Business Unit"),
        Some(Audience::Role(Role::BusinessUnit))
    );
    assert_eq!(
        Audience::of_words("the Police"),
        Some(Audience::PartnerRep(crate::roles::Partner::Police))
    );
    assert_eq!(Audience::of_words("Dr A. Synthetic"), None);
}
