//! Reminder days either side of Christmas 2026, when 25 and 28 December and
//! 1 January are bank holidays and 26 December is a Saturday.

use super::*;
use crate::case::CaseView;
use crate::events::{Event, EventKind};
use crate::synthetic::{self, Journey};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn calendar() -> Calendar {
    Calendar::england_and_wales()
}

/// A partner-agency case the LA knew of on `aware_on`, cut before `kind`.
fn case_before(aware_on: &str, kind: EventKind) -> Vec<Event> {
    let bodies = synthetic::journey(Journey::SeriousHarm, d(aware_on), &calendar(), 1);
    let events = synthetic::record_all(&bodies, d("2099-01-01")).unwrap();
    let end = events.iter().position(|e| e.payload.kind() == kind).unwrap();
    events[..end].to_vec()
}

/// Every reminder of `events` from `from` to `to`, by day.
fn reminders_between(events: &[Event], rules: &RuleSet, from: &str, to: &str) -> Vec<(NaiveDate, Reminder)> {
    let calendar = calendar();
    let mut out = Vec::new();
    let mut day = d(from);
    while day <= d(to) {
        let view = CaseView::derive(events, &calendar, rules, day);
        for r in reminders(&view.deadlines, &calendar, rules, day) {
            out.push((day, r));
        }
        day = day.succ_opt().unwrap();
    }
    out
}

fn days_of(all: &[(NaiveDate, Reminder)], step: StepKey) -> Vec<(NaiveDate, ReminderKind)> {
    all.iter()
        .filter(|(_, r)| r.step == step)
        .map(|(day, r)| (*day, r.kind))
        .collect()
}

#[test]
fn a_decision_due_on_30_december_is_reminded_on_24_december_the_day_itself_and_escalated_on_the_31st() {
    // Aware on Monday 21 December: 5 working days skip 25, 26, 27 and 28 December.
    let events = case_before("2026-12-21", EventKind::ThresholdDecided);
    let all = reminders_between(&events, &RuleSet::default(), "2026-12-21", "2027-01-15");
    assert_eq!(
        days_of(&all, StepKey::ThresholdDecision),
        vec![
            (d("2026-12-24"), ReminderKind::Upcoming),
            (d("2026-12-30"), ReminderKind::DueToday),
            (d("2026-12-31"), ReminderKind::Overdue),
        ]
    );
}

#[test]
fn nothing_is_sent_on_christmas_boxing_day_the_weekend_or_new_year_s_day() {
    let events = case_before("2026-12-21", EventKind::ThresholdDecided);
    let all = reminders_between(&events, &RuleSet::default(), "2026-12-14", "2027-01-31");
    assert!(!all.is_empty());
    for closed in ["2026-12-25", "2026-12-26", "2026-12-27", "2026-12-28", "2027-01-01"] {
        assert!(all.iter().all(|(day, _)| *day != d(closed)), "{closed}");
    }
}

#[test]
fn an_escalation_goes_to_the_partnership_manager_and_the_rest_to_whoever_acts_next() {
    let events = case_before("2026-12-21", EventKind::ThresholdDecided);
    let all = reminders_between(&events, &RuleSet::default(), "2026-12-21", "2027-01-15");
    for (_, r) in all.iter().filter(|(_, r)| r.step == StepKey::ThresholdDecision) {
        let expected = match r.kind {
            ReminderKind::Overdue => Audience::Role(Role::PartnershipManager),
            _ => Audience::Role(Role::LaDecisionMaker),
        };
        assert_eq!(r.to, vec![expected], "{:?}", r.kind);
    }
}

#[test]
fn an_agency_is_reminded_of_its_own_return() {
    // Requests sent on 23 December are due back 5 working days later, on 4 January.
    let mut events = case_before("2026-12-14", EventKind::MeetingScheduled);
    events.retain(|e| e.payload.kind() != EventKind::AgencyReturnReceived);
    let all = reminders_between(&events, &RuleSet::default(), "2026-12-21", "2027-01-15");
    let returns: Vec<&Reminder> = all
        .iter()
        .map(|(_, r)| r)
        .filter(|r| r.step == StepKey::AgencyReturn)
        .collect();
    assert!(!returns.is_empty());
    for r in returns {
        let agency = r.agency.clone().unwrap();
        let expected = match r.kind {
            ReminderKind::Overdue => Audience::Role(Role::PartnershipManager),
            _ => Audience::Agency(agency),
        };
        assert_eq!(r.to, vec![expected]);
    }
}

#[test]
fn a_step_s_rule_can_move_its_reminder_or_turn_it_off() {
    let events = case_before("2026-12-21", EventKind::ThresholdDecided);
    let three = RuleSet::from_toml("[steps]\nthreshold_decision = { remind_before = 3 }\n").unwrap();
    let all = reminders_between(&events, &three, "2026-12-21", "2027-01-15");
    assert_eq!(
        days_of(&all, StepKey::ThresholdDecision)[0],
        (d("2026-12-23"), ReminderKind::Upcoming)
    );
    let none = RuleSet::from_toml("[steps]\nthreshold_decision = { remind_before = 0 }\n").unwrap();
    let all = reminders_between(&events, &none, "2026-12-21", "2027-01-15");
    assert_eq!(
        days_of(&all, StepKey::ThresholdDecision)[0],
        (d("2026-12-30"), ReminderKind::DueToday)
    );
}

#[test]
fn a_done_step_and_a_lapsing_challenge_window_remind_no_one() {
    let events = case_before("2026-12-21", EventKind::PanelNotified);
    let all = reminders_between(&events, &RuleSet::default(), "2026-12-21", "2027-01-31");
    assert!(days_of(&all, StepKey::ThresholdDecision).is_empty());
    assert!(days_of(&all, StepKey::ChallengeWindow).is_empty());
}

#[test]
fn after_its_escalation_an_overdue_clock_comes_back_each_working_day_for_the_digest() {
    let events = case_before("2026-12-21", EventKind::ThresholdDecided);
    let calendar = calendar();
    let rules = RuleSet::default();
    let on = |day: &str| {
        let view = CaseView::derive(&events, &calendar, &rules, d(day));
        still_overdue(&view.deadlines, &calendar, d(day))
            .into_iter()
            .filter(|r| r.step == StepKey::ThresholdDecision)
            .count()
    };
    // Due 30 December, escalated 31 December; again from 4 January (1 January is a holiday).
    assert_eq!(on("2026-12-31"), 0);
    assert_eq!(on("2027-01-01"), 0);
    assert_eq!(on("2027-01-04"), 1);
    assert_eq!(on("2027-01-05"), 1);
}

/// `events` with one more step recorded on `on`.
fn then(events: &[Event], on: &str, body: serde_json::Value) -> Vec<Event> {
    let mut body = body;
    body["on"] = serde_json::json!(on);
    let request = crate::events::parse_event_request(body, None).unwrap();
    let event = crate::process::record(events, request.event, d("2099-01-01")).unwrap();
    let mut out = events.to_vec();
    out.push(event);
    out
}

#[test]
fn a_request_the_case_stopped_waiting_for_is_neither_reminded_nor_escalated_until_it_resumes() {
    let sent = case_before("2026-12-01", EventKind::AgencyReturnReceived);
    let agency = crate::process::fold(&sent).requests[0].agency.clone();
    let on = crate::process::fold(&sent).requests[0].sent_on;
    let stopped = then(
        &sent,
        &on.to_string(),
        serde_json::json!({"type": "agency_request_stopped", "agency": agency, "because": "link_withdrawn"}),
    );
    let view = CaseView::derive(&stopped, &calendar(), &RuleSet::default(), d("2027-02-01"));
    let clock = view
        .deadlines
        .iter()
        .find(|x| x.step == StepKey::AgencyReturn && x.agency.as_ref() == Some(&agency))
        .unwrap();
    assert_eq!(clock.status, crate::deadlines::DeadlineStatus::NotApplicable);
    let all = reminders_between(&stopped, &RuleSet::default(), &on.to_string(), "2027-02-01");
    assert!(all.iter().all(|(_, r)| r.agency.as_ref() != Some(&agency)), "{all:?}");
    assert!(
        still_overdue(&view.deadlines, &calendar(), d("2027-02-01"))
            .iter()
            .all(|r| r.agency.as_ref() != Some(&agency))
    );

    let resumed = then(
        &stopped,
        "2027-01-11",
        serde_json::json!({"type": "agency_request_resumed", "agency": agency}),
    );
    let all = reminders_between(&resumed, &RuleSet::default(), "2027-01-11", "2027-02-01");
    assert!(
        all.iter()
            .any(|(day, r)| r.agency.as_ref() == Some(&agency) && *day > d("2027-01-11")),
        "the clock runs again from the new link: {all:?}"
    );
}
