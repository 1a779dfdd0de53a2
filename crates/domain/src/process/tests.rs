//! The process end to end on synthetic histories: every path, the refusals, the
//! corrections, and properties of the fold.

use super::*;
use crate::calendar::{Calendar, Override};
use crate::case::CaseView;
use crate::deadlines::{DeadlineStatus, DueRule, RuleSet, StepKey};
use crate::events::{EventRequest, parse_event_request};
use crate::synthetic::{self, Journey};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::sync::LazyLock;

static CALENDAR: LazyLock<Calendar> = LazyLock::new(Calendar::england_and_wales);

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const FAR_FUTURE: &str = "2099-01-01";

fn history(journey: Journey, aware_on: &str, seq: u32) -> Vec<Event> {
    let bodies = synthetic::journey(journey, d(aware_on), &CALENDAR, seq);
    synthetic::record_all(&bodies, d(FAR_FUTURE)).unwrap()
}

fn first_events(journey: Journey, aware_on: &str, seq: u32, kind: EventKind) -> Vec<Event> {
    let all = history(journey, aware_on, seq);
    let end = all.iter().position(|e| e.payload.kind() == kind).unwrap();
    all[..end].to_vec()
}

fn new(body: Value) -> NewEvent {
    let EventRequest { event, .. } = parse_event_request(body, None).unwrap();
    event
}

fn view(events: &[Event], today: &str) -> CaseView {
    CaseView::derive(events, &CALENDAR, &RuleSet::default(), d(today))
}

fn deadline(view: &CaseView, step: StepKey) -> &crate::deadlines::Deadline {
    view.deadlines.iter().find(|x| x.step == step).unwrap()
}

#[test]
fn the_serious_harm_journey_runs_from_report_to_a_closed_case() {
    let events = history(Journey::SeriousHarm, "2026-12-21", 0);
    let v = view(&events, FAR_FUTURE);
    assert_eq!((v.path, v.stage), (Path::SeriousHarm, Stage::Closed));
    assert!(
        v.deadlines
            .iter()
            .all(|x| x.status == DeadlineStatus::Done || x.status == DeadlineStatus::NotApplicable)
    );
    assert_eq!(deadline(&v, StepKey::LcsprPublication).status, DeadlineStatus::Done);
}

#[test]
fn a_challenge_that_overturns_the_decision_puts_the_case_on_the_serious_harm_path() {
    let events = first_events(Journey::ChallengeOverturned, "2026-03-02", 1, EventKind::PanelNotified);
    let state = fold(&events);
    assert_eq!(state.path(), Path::SeriousHarm);
    assert_eq!(state.stage(), Stage::Notification);
    let v = view(&events, "2026-03-10");
    assert_eq!(deadline(&v, StepKey::ChallengeWindow).status, DeadlineStatus::Done);
    assert_eq!(deadline(&v, StepKey::PanelNotification).status, DeadlineStatus::Overdue);
    let all = history(Journey::ChallengeOverturned, "2026-03-02", 1);
    assert_eq!(fold(&all).stage(), Stage::ReadyToClose);
}

#[test]
fn the_alternative_learning_journey_is_decided_by_all_four_and_completed() {
    let events = history(Journey::AlternativeLearning, "2026-06-01", 2);
    let v = view(&events, FAR_FUTURE);
    assert_eq!((v.path, v.stage), (Path::NoSeriousHarm, Stage::Closed));
    assert_eq!(
        deadline(&v, StepKey::PanelNotification).status,
        DeadlineStatus::NotApplicable
    );
}

#[test]
fn a_panel_notification_before_the_threshold_decision_is_refused_saying_what_comes_first() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 0, EventKind::ThresholdDecided);
    let refusal = record(
        &events,
        new(json!({"type": "panel_notified", "on": "2026-12-22", "reference": "X"})),
        d("2026-12-22"),
    )
    .unwrap_err();
    let Refusal::NotAllowedNow(message) = refusal else {
        panic!("expected not allowed now")
    };
    assert!(message.contains("threshold decision"), "{message}");
}

#[test]
fn a_panel_notification_is_refused_when_the_threshold_is_not_met() {
    let events = first_events(Journey::AlternativeLearning, "2026-12-21", 1, EventKind::AlaProposed);
    let refusal = record(
        &events,
        new(json!({"type": "panel_notified", "on": "2026-12-29", "reference": "X"})),
        d("2026-12-29"),
    )
    .unwrap_err();
    assert!(matches!(refusal, Refusal::NotAllowedNow(m) if m.contains("not met")));
}

#[test]
fn a_decision_before_forwarding_makes_forwarding_moot_and_refuses_it_afterwards() {
    let mut events = first_events(Journey::SeriousHarm, "2026-12-21", 0, EventKind::ForwardedToLa);
    let decided = record(
        &events,
        new(json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "x"})),
        d("2026-12-22"),
    )
    .unwrap();
    events.push(decided);
    let v = view(&events, "2026-12-23");
    assert_eq!(
        deadline(&v, StepKey::ForwardedToLa).status,
        DeadlineStatus::NotApplicable
    );
    let refusal = record(
        &events,
        new(json!({"type": "forwarded_to_la", "on": "2026-12-23"})),
        d("2026-12-23"),
    )
    .unwrap_err();
    assert!(matches!(refusal, Refusal::NotAllowedNow(m) if m.contains("already decided")));
}

#[test]
fn a_challenge_or_an_ala_may_follow_a_not_met_decision_before_it_is_fed_back() {
    let events = first_events(
        Journey::AlternativeLearning,
        "2026-12-21",
        1,
        EventKind::DecisionFedBack,
    );
    let challenged = record(
        &events,
        new(json!({"type": "threshold_challenged", "on": "2026-12-24", "grounds": "x"})),
        d("2026-12-24"),
    );
    assert!(challenged.is_ok());
    let mut with_challenge = events.clone();
    with_challenge.push(challenged.unwrap());
    assert_eq!(fold(&with_challenge).stage(), Stage::Challenge);
    let v = view(&with_challenge, "2026-12-24");
    assert_eq!(deadline(&v, StepKey::ChallengeWindow).status, DeadlineStatus::Done);
    let proposed = record(
        &events,
        new(
            json!({"type": "ala_proposed", "on": "2026-12-24", "activity": "audit", "criteria": ["recurring_theme"], "proposal": "x"}),
        ),
        d("2026-12-24"),
    );
    let mut with_ala = events.clone();
    with_ala.push(proposed.unwrap());
    assert_eq!(fold(&with_ala).stage(), Stage::AlternativeLearning);
}

#[test]
fn an_event_dated_after_today_is_invalid_on_its_date() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 0, EventKind::ThresholdDecided);
    let refusal = record(
        &events,
        new(json!({"type": "threshold_decided", "on": "2026-12-24", "outcome": "met", "rationale": "x"})),
        d("2026-12-23"),
    )
    .unwrap_err();
    assert!(matches!(refusal, Refusal::Invalid(e) if e.field == "on"));
}

#[test]
fn an_event_dated_before_the_step_it_follows_is_invalid_on_its_date() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::DecisionFedBack);
    // Decided on 2026-12-23; feedback cannot precede it.
    let refusal = record(
        &events,
        new(json!({"type": "decision_fed_back", "on": "2026-12-22"})),
        d("2026-12-30"),
    )
    .unwrap_err();
    assert!(matches!(refusal, Refusal::Invalid(e) if e.field == "on"));
}

#[test]
fn a_second_threshold_decision_is_refused_pointing_at_corrections() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::DecisionFedBack);
    let refusal = record(
        &events,
        new(json!({"type": "threshold_decided", "on": "2026-12-23", "outcome": "not_met", "rationale": "x"})),
        d("2026-12-30"),
    )
    .unwrap_err();
    assert!(matches!(refusal, Refusal::NotAllowedNow(m) if m.contains("event_corrected")));
}

#[test]
fn a_return_from_an_agency_that_was_not_asked_is_invalid_on_the_agency() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::AgencyReturnReceived);
    let refusal = record(
        &events,
        new(json!({"type": "agency_return_received", "on": "2027-01-06", "agency": "youth-justice"})),
        d("2027-01-06"),
    )
    .unwrap_err();
    assert!(matches!(refusal, Refusal::Invalid(e) if e.field == "agency"));
}

/// Integrity row "closed means closed, except once": a closed case refuses every
/// step, a correction too, and says that it must be reopened first.
#[test]
fn nothing_is_recorded_on_a_closed_case_not_even_a_correction() {
    let events = history(Journey::AlternativeLearning, "2026-06-01", 2);
    for body in [
        json!({"type": "pack_shared", "on": "2026-09-01"}),
        json!({"type": "event_corrected", "on": "2026-12-01", "corrects": 1, "reason": "Typo", "fields": {"reported_on": "2026-06-01"}}),
    ] {
        let refusal = record(&events, new(body), d("2026-12-01")).unwrap_err();
        assert!(
            matches!(&refusal, Refusal::NotAllowedNow(m) if m.contains("closed") && m.contains("case_reopened")),
            "{refusal:?}"
        );
    }
}

#[test]
fn a_reopened_case_takes_corrections_and_closes_again() {
    let mut events = history(Journey::AlternativeLearning, "2026-06-01", 2);
    let closed_on = fold(&events).closed_on.unwrap();
    let early = record(
        &events,
        new(json!({"type": "case_reopened", "on": (closed_on - chrono::Duration::days(1)).to_string(), "reason": "New information"})),
        d("2026-12-01"),
    )
    .unwrap_err();
    assert!(matches!(early, Refusal::Invalid(f) if f.field == "on"));
    let no_reason = parse_event_request(json!({"type": "case_reopened", "on": "2026-12-01"}), None).unwrap_err();
    assert_eq!(no_reason.field, "reason");
    let reopened = record(
        &events,
        new(json!({"type": "case_reopened", "on": "2026-12-01", "reason": "New information from the police"})),
        d("2026-12-01"),
    )
    .unwrap();
    events.push(reopened);
    assert!(!fold(&events).is_closed());
    let again = record(
        &events,
        new(json!({"type": "case_reopened", "on": "2026-12-01", "reason": "Twice"})),
        d("2026-12-01"),
    )
    .unwrap_err();
    assert!(matches!(again, Refusal::NotAllowedNow(m) if m.contains("only a closed case")));
    let corrected = record(
        &events,
        new(json!({"type": "event_corrected", "on": "2026-12-01", "corrects": 1, "reason": "Typo", "fields": {"reported_on": "2026-06-01"}})),
        d("2026-12-01"),
    )
    .unwrap();
    events.push(corrected);
    let closed = record(
        &events,
        new(json!({"type": "case_closed", "on": "2026-12-02", "reason": "Corrected and closed again"})),
        d("2026-12-02"),
    )
    .unwrap();
    events.push(closed);
    assert!(fold(&events).is_closed());
}

#[test]
fn closing_a_case_early_needs_a_reason() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::PanelNotified);
    let refusal = record(
        &events,
        new(json!({"type": "case_closed", "on": "2026-12-24"})),
        d("2026-12-24"),
    )
    .unwrap_err();
    assert!(matches!(refusal, Refusal::Invalid(e) if e.field == "reason"));
    record(
        &events,
        new(json!({"type": "case_closed", "on": "2026-12-24", "reason": "Duplicate"})),
        d("2026-12-24"),
    )
    .unwrap();
}

#[test]
fn a_not_met_case_with_no_further_action_closes_without_a_reason() {
    let events = first_events(Journey::AlternativeLearning, "2026-12-21", 1, EventKind::AlaProposed);
    assert_eq!(fold(&events).stage(), Stage::ThresholdNotMet);
    assert!(
        record(
            &events,
            new(json!({"type": "case_closed", "on": "2026-12-30"})),
            d("2026-12-30")
        )
        .is_ok()
    );
}

#[test]
fn the_threshold_decision_deadline_is_due_on_its_last_day_and_overdue_the_next() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::ThresholdDecided);
    let on_the_day = view(&events, "2026-12-30");
    let d0 = deadline(&on_the_day, StepKey::ThresholdDecision);
    assert_eq!(
        (d0.due, d0.status, d0.working_days_left),
        (Some(d("2026-12-30")), DeadlineStatus::Due, Some(0))
    );
    let explanation = d0.explanation.as_ref().unwrap();
    assert_eq!(
        (
            explanation.anchor.as_str(),
            explanation.working_days,
            explanation.skipped.len()
        ),
        ("aware_on", 5, 4)
    );
    let next_day = view(&events, "2026-12-31");
    let d1 = deadline(&next_day, StepKey::ThresholdDecision);
    assert_eq!((d1.status, d1.working_days_left), (DeadlineStatus::Overdue, Some(-1)));
    // Over the holiday the count stands still.
    let christmas = view(&events, "2026-12-25");
    assert_eq!(
        deadline(&christmas, StepKey::ThresholdDecision).working_days_left,
        Some(2)
    );
}

#[test]
fn a_done_step_records_whether_it_was_late() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::ReferralSubmitted);
    let v = view(&events, "2027-01-04");
    let decided = deadline(&v, StepKey::ThresholdDecision);
    assert_eq!((decided.status, decided.late), (DeadlineStatus::Done, Some(false)));
}

#[test]
fn the_meeting_has_a_target_window_of_seven_to_eight_working_days_after_notification() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::ReferralSubmitted);
    let notified = fold(&events).panel_notified_on.unwrap();
    let v = view(&events, "2026-12-28");
    let meeting = deadline(&v, StepKey::RapidReviewMeeting);
    assert_eq!(meeting.window_start, Some(CALENDAR.add_working_days(notified, 7)));
    assert_eq!(meeting.due, Some(CALENDAR.add_working_days(notified, 8)));
}

#[test]
fn an_agency_return_is_due_five_working_days_after_the_requests_or_on_the_date_given() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::MeetingScheduled);
    let sent = fold(&events).requests[0].sent_on;
    let v = view(&events, "2027-01-04");
    let returns: Vec<_> = v.deadlines.iter().filter(|x| x.step == StepKey::AgencyReturn).collect();
    assert_eq!(returns.len(), fold(&events).requests.len());
    assert!(
        returns
            .iter()
            .all(|r| r.due == Some(CALENDAR.add_working_days(sent, 5)) && r.agency.is_some())
    );

    let mut shorter = events[..events.len() - 1].to_vec();
    let body = json!({"type": "agency_requests_sent", "on": sent.to_string(),
        "agencies": ["city-gp-practice"], "returns_due": "2027-02-01"});
    shorter.push(record(&shorter, new(body), d("2027-01-04")).unwrap());
    let v = view(&shorter, "2027-01-04");
    assert_eq!(deadline(&v, StepKey::AgencyReturn).due, Some(d("2027-02-01")));
}

#[test]
fn a_deadline_extension_moves_the_due_date_and_says_why() {
    let mut events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::ThresholdDecided);
    let body = json!({"type": "deadline_extended", "on": "2026-12-22", "step": "threshold_decision",
        "new_due": "2027-01-08", "reason": "Awaiting a medical opinion"});
    events.push(record(&events, new(body), d("2026-12-22")).unwrap());
    let v = view(&events, "2027-01-05");
    let x = deadline(&v, StepKey::ThresholdDecision);
    assert_eq!((x.due, x.status), (Some(d("2027-01-08")), DeadlineStatus::Due));
    let by = x.explanation.as_ref().unwrap().extended_by.as_ref().unwrap();
    assert_eq!((by.from, by.to), (d("2026-12-30"), d("2027-01-08")));
}

#[test]
fn a_deadline_whose_clock_has_not_started_cannot_be_extended() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::ThresholdDecided);
    let body = json!({"type": "deadline_extended", "on": "2026-12-22", "step": "agency_requests",
        "new_due": "2027-01-08", "reason": "x"});
    assert!(matches!(
        record(&events, new(body), d("2026-12-22")),
        Err(Refusal::NotAllowedNow(_))
    ));
}

#[test]
fn correcting_the_awareness_date_moves_the_deadlines_anchored_on_it() {
    let mut events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::ThresholdDecided);
    let body = json!({"type": "event_corrected", "on": "2026-12-22", "corrects": 1,
        "reason": "Typed the wrong day", "fields": {"aware_on": "2026-12-18", "reported_on": "2026-12-18",
        "incident": {"kind": "serious_harm", "occurred_on": "2026-12-17", "summary": "Synthetic"}}});
    events.push(record(&events, new(body), d("2026-12-22")).unwrap());
    let v = view(&events, "2026-12-22");
    assert_eq!(v.aware_on, Some(d("2026-12-18")));
    assert_eq!(deadline(&v, StepKey::ThresholdDecision).due, Some(d("2026-12-29")));
    assert_eq!(fold(&events).corrections, vec![Version::FIRST]);
}

#[test]
fn a_correction_that_would_break_the_history_is_refused() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::ReferralSubmitted);
    let decided = events
        .iter()
        .find(|e| e.payload.kind() == EventKind::ThresholdDecided)
        .unwrap()
        .version;
    let body = json!({"type": "event_corrected", "on": "2026-12-28", "corrects": decided.get(),
        "reason": "Wrong outcome", "fields": {"outcome": "not_met"}});
    let refusal = record(&events, new(body), d("2026-12-28")).unwrap_err();
    assert!(matches!(refusal, Refusal::NotAllowedNow(m) if m.contains("panel_notified")));
}

#[test]
fn a_correction_naming_a_field_the_event_lacks_is_invalid() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::ReferralSubmitted);
    let decided = events
        .iter()
        .find(|e| e.payload.kind() == EventKind::ThresholdDecided)
        .unwrap()
        .version;
    let body = json!({"type": "event_corrected", "on": "2026-12-28", "corrects": decided.get(),
        "reason": "Typo", "fields": {"rationle": "Better words"}});
    let refusal = record(&events, new(body), d("2026-12-28")).unwrap_err();
    assert!(matches!(refusal, Refusal::Invalid(e) if e.field == "fields.rationle"));
}

#[test]
fn a_closed_case_stops_every_running_clock() {
    let mut events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::PanelNotified);
    let body = json!({"type": "case_closed", "on": "2026-12-24", "reason": "Opened in error"});
    events.push(record(&events, new(body), d("2026-12-24")).unwrap());
    let v = view(&events, "2027-03-01");
    assert!(!v.is_overdue());
    assert_eq!(
        deadline(&v, StepKey::PanelNotification).status,
        DeadlineStatus::NotApplicable
    );
    assert_eq!(deadline(&v, StepKey::ThresholdDecision).status, DeadlineStatus::Done);
}

#[test]
fn the_day_one_convention_counts_a_working_anchor_day() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::ThresholdDecided);
    let rules = RuleSet::from_toml("anchor_day_is_day_one = true").unwrap();
    let v = CaseView::derive(&events, &CALENDAR, &rules, d("2026-12-22"));
    assert_eq!(deadline(&v, StepKey::ThresholdDecision).due, Some(d("2026-12-29")));
}

#[test]
fn a_challenge_window_that_passes_without_a_challenge_closes_quietly() {
    let events = first_events(Journey::AlternativeLearning, "2026-12-21", 1, EventKind::AlaProposed);
    let fed_back = fold(&events).fed_back_on.unwrap();
    let v = view(&events, &CALENDAR.add_working_days(fed_back, 2).to_string());
    assert_eq!(deadline(&v, StepKey::ChallengeWindow).status, DeadlineStatus::Due);
    let v = view(&events, &CALENDAR.add_working_days(fed_back, 3).to_string());
    assert_eq!(
        deadline(&v, StepKey::ChallengeWindow).status,
        DeadlineStatus::NotApplicable
    );
}

// ---- properties ----

fn journeys() -> impl Strategy<Value = (Journey, NaiveDate, u32)> {
    (
        prop_oneof![
            Just(Journey::SeriousHarm),
            Just(Journey::ChallengeOverturned),
            Just(Journey::AlternativeLearning)
        ],
        (0i64..3650).prop_map(|n| d("2020-01-01") + chrono::Duration::days(n)),
        0u32..60,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_fold_is_deterministic_and_equals_applying_one_event_at_a_time((journey, aware, seq) in journeys()) {
        let bodies = synthetic::journey(journey, aware, &CALENDAR, seq);
        let events = synthetic::record_all(&bodies, d(FAR_FUTURE)).unwrap();
        prop_assert_eq!(fold(&events), fold(&events.clone()));
        let mut state = CaseState::default();
        for e in &events {
            state.apply(e.version, e.on, &e.payload);
        }
        prop_assert_eq!(state, fold(&events));
    }

    #[test]
    fn any_prefix_of_a_valid_history_is_valid((journey, aware, seq) in journeys(), cut in 1usize..40) {
        let bodies = synthetic::journey(journey, aware, &CALENDAR, seq);
        let cut = cut.min(bodies.len());
        let events = synthetic::record_all(&bodies, d(FAR_FUTURE)).unwrap();
        let prefix = &events[..cut];
        let mut replayed = Vec::new();
        for e in prefix {
            let again = record(&replayed, NewEvent { on: e.on, payload: e.payload.clone() }, d(FAR_FUTURE));
            prop_assert!(again.is_ok(), "{:?}", again);
            replayed.push(again.unwrap());
        }
        prop_assert_eq!(fold(&replayed), fold(prefix));
    }

    #[test]
    fn a_refused_event_leaves_the_history_and_state_unchanged(
        (journey, aware, seq) in journeys(), cut in 1usize..30, pick in 0usize..40,
    ) {
        let bodies = synthetic::journey(journey, aware, &CALENDAR, seq);
        let events = synthetic::record_all(&bodies, d(FAR_FUTURE)).unwrap();
        let history = events[..cut.min(events.len())].to_vec();
        let before = (history.clone(), fold(&history));
        let candidate = &events[pick % events.len()];
        let result = record(&history, NewEvent { on: candidate.on, payload: candidate.payload.clone() }, d(FAR_FUTURE));
        if result.is_err() {
            prop_assert_eq!((history.clone(), fold(&history)), before);
        }
    }

    #[test]
    fn every_deadline_due_date_is_the_calendar_computation_from_its_anchor(
        (journey, aware, seq) in journeys(), cut in 1usize..40, today_offset in 0i32..60,
    ) {
        let bodies = synthetic::journey(journey, aware, &CALENDAR, seq);
        let events = synthetic::record_all(&bodies, d(FAR_FUTURE)).unwrap();
        let history = &events[..cut.min(events.len())];
        let today = CALENDAR.add_working_days(aware, today_offset);
        let rules = RuleSet::default();
        let v = CaseView::derive(history, &CALENDAR, &rules, today);
        for x in &v.deadlines {
            let Some(e) = &x.explanation else { continue };
            let expected = match (rules.rule(x.step), x.step) {
                (DueRule::WorkingDaysAfter(n), _) => CALENDAR.add_working_days(e.anchor_date, n as i32),
                (DueRule::Window { end, .. }, _) => CALENDAR.add_working_days(e.anchor_date, end as i32),
                (DueRule::WorkingDaysBefore(n), _) => CALENDAR.add_working_days(e.anchor_date, -(n as i32)),
                (DueRule::CalendarMonthsAfter(m), _) => e.anchor_date.checked_add_months(chrono::Months::new(m)).unwrap(),
            };
            prop_assert_eq!(x.due, Some(expected), "{:?}", x.step);
            prop_assert_eq!(e.working_days, CALENDAR.working_days_between(e.anchor_date, expected));
            if matches!(x.status, DeadlineStatus::Due | DeadlineStatus::Overdue) {
                prop_assert_eq!(x.status == DeadlineStatus::Due, today <= expected);
                prop_assert_eq!(x.working_days_left, Some(CALENDAR.working_days_between(today, expected)));
            }
        }
    }

    #[test]
    fn a_holiday_added_later_moves_a_running_deadline(aware in (0i64..3650).prop_map(|n| d("2020-01-01") + chrono::Duration::days(n))) {
        let bodies = synthetic::journey(Journey::SeriousHarm, aware, &CALENDAR, 1);
        let events = synthetic::record_all(&bodies[..1], d(FAR_FUTURE)).unwrap();
        let before = view(&events, &aware.to_string());
        let first_working_day = CALENDAR.add_working_days(aware, 1);
        let with_closure = CALENDAR.with_override(Override::holiday(first_working_day, "Local closure"));
        let after = CaseView::derive(&events, &with_closure, &RuleSet::default(), aware);
        let due_before = deadline(&before, StepKey::ThresholdDecision).due.unwrap();
        let due_after = deadline(&after, StepKey::ThresholdDecision).due.unwrap();
        prop_assert_eq!(due_after, CALENDAR.add_working_days(due_before, 1));
    }
}

#[test]
fn every_step_of_every_journey_was_open_when_it_was_recorded() {
    for (journey, seq) in [
        (Journey::SeriousHarm, 0),
        (Journey::SeriousHarm, 1),
        (Journey::ChallengeOverturned, 2),
        (Journey::AlternativeLearning, 3),
    ] {
        let events = history(journey, "2026-12-21", seq);
        for i in 0..events.len() {
            let state = fold(&events[..i]);
            let kind = events[i].payload.kind();
            assert!(
                state.open_steps().contains(&kind),
                "{journey:?}: {} was not open",
                kind.as_str()
            );
        }
    }
}

#[test]
fn a_new_case_is_open_for_the_threshold_decision_but_not_the_panel_notification() {
    let events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::ThresholdDecided);
    assert_eq!(events.len(), 1, "only the incident");
    let open = fold(&events).open_steps();
    assert!(open.contains(&EventKind::ThresholdDecided));
    assert!(open.contains(&EventKind::CaseClosed));
    assert!(open.contains(&EventKind::EventCorrected));
    assert!(!open.contains(&EventKind::PanelNotified));
    assert!(!open.contains(&EventKind::IncidentReported));
    assert!(!open.contains(&EventKind::AgencyReturnReceived), "no requests yet");
    assert_eq!(fold(&[]).open_steps(), vec![EventKind::IncidentReported]);
}

#[test]
fn a_closed_case_is_open_only_for_reopening() {
    let events = history(Journey::AlternativeLearning, "2026-12-21", 3);
    assert!(fold(&events).is_closed());
    assert_eq!(fold(&events).open_steps(), vec![EventKind::CaseReopened]);
}

/// The history of `journey` up to its first `kind` event, less the views before it.
fn without_views(journey: Journey, seq: u32, kind: EventKind) -> Vec<Event> {
    let all = first_events(journey, "2026-06-01", seq, kind);
    all.into_iter()
        .filter(|e| {
            !matches!(
                e.payload.kind(),
                EventKind::ChallengeViewRecorded | EventKind::AlaViewRecorded
            )
        })
        .enumerate()
        .map(|(i, mut e)| {
            e.version = Version::try_from(i as u32 + 1).unwrap();
            e
        })
        .collect()
}

fn refusal_text(events: &[Event], body: Value) -> String {
    match record(events, new(body), d(FAR_FUTURE)) {
        Err(Refusal::NotAllowedNow(m)) => m,
        other => panic!("expected a 409 refusal, got {other:?}"),
    }
}

#[test]
fn a_challenge_is_not_resolved_until_all_four_have_recorded_a_position_and_the_refusal_names_who_is_missing() {
    let mut events = without_views(Journey::ChallengeOverturned, 1, EventKind::ChallengeResolved);
    let resolve = json!({"type": "challenge_resolved", "on": "2026-06-08", "outcome": "overturned", "rationale": "x"});
    let message = refusal_text(&events, resolve.clone());
    assert!(message.contains("challenge_view_recorded"), "{message}");
    assert!(
        message.contains("local_authority, health, police, partnership_manager"),
        "{message}"
    );
    for by in ["local_authority", "health", "police"] {
        let view = json!({"type": "challenge_view_recorded", "on": "2026-06-05", "position": "challenge",
                          "reason": "r", "on_behalf_of": by});
        events.push(record(&events, new(view), d(FAR_FUTURE)).unwrap());
    }
    let message = refusal_text(&events, resolve.clone());
    assert!(message.ends_with("still missing: partnership_manager"), "{message}");
    let view = json!({"type": "challenge_view_recorded", "on": "2026-06-05", "position": "agree_with_decision",
                      "reason": "r", "on_behalf_of": "partnership_manager"});
    events.push(record(&events, new(view), d(FAR_FUTURE)).unwrap());
    assert!(record(&events, new(resolve), d(FAR_FUTURE)).is_ok());
    assert_eq!(fold(&events).challenge.views.0.len(), 4);
}

#[test]
fn a_decider_who_records_a_second_position_replaces_their_first() {
    let mut events = without_views(Journey::ChallengeOverturned, 1, EventKind::ChallengeResolved);
    for position in ["challenge", "agree_with_decision"] {
        let view = json!({"type": "challenge_view_recorded", "on": "2026-06-05", "position": position,
                          "reason": "r", "on_behalf_of": "health"});
        events.push(record(&events, new(view), d(FAR_FUTURE)).unwrap());
    }
    let views = fold(&events).challenge.views;
    assert_eq!(views.0.len(), 1);
    assert_eq!(views.0[0].value, crate::events::ChallengePosition::AgreeWithDecision);
}

#[test]
fn a_view_that_says_nobody_s_name_is_a_422_naming_on_behalf_of() {
    let events = without_views(Journey::ChallengeOverturned, 1, EventKind::ChallengeResolved);
    let view = json!({"type": "challenge_view_recorded", "on": "2026-06-05", "position": "challenge", "reason": "r"});
    let refusal = record(&events, new(view), d(FAR_FUTURE)).unwrap_err();
    assert!(matches!(refusal, Refusal::Invalid(f) if f.field == "on_behalf_of"));
}

#[test]
fn a_position_on_a_met_decision_is_refused() {
    let events = first_events(Journey::SeriousHarm, "2026-06-01", 0, EventKind::PanelNotified);
    let view = json!({"type": "challenge_view_recorded", "on": "2026-06-05", "position": "challenge",
                      "reason": "r", "on_behalf_of": "police"});
    assert!(refusal_text(&events, view).contains("not met"));
}

#[test]
fn an_ala_is_not_decided_until_all_four_have_given_a_view_and_the_refusal_names_who_is_missing() {
    let mut events = without_views(Journey::AlternativeLearning, 1, EventKind::AlaDecided);
    let decide = json!({"type": "ala_decided", "on": "2026-06-12", "decision": "undertake", "lead_group": "L",
                        "decided_by": ["local_authority", "health", "police", "partnership_manager"]});
    let message = refusal_text(&events, decide.clone());
    assert!(message.contains("ala_view_recorded"), "{message}");
    for by in ["health", "partnership_manager", "police"] {
        let view = json!({"type": "ala_view_recorded", "on": "2026-06-10", "view": "undertake", "reason": "r",
                          "on_behalf_of": by});
        events.push(record(&events, new(view), d(FAR_FUTURE)).unwrap());
    }
    let message = refusal_text(&events, decide.clone());
    assert!(message.ends_with("still missing: local_authority"), "{message}");
    let view = json!({"type": "ala_view_recorded", "on": "2026-06-10", "view": "no_action", "reason": "r",
                      "on_behalf_of": "local_authority"});
    events.push(record(&events, new(view), d(FAR_FUTURE)).unwrap());
    assert!(record(&events, new(decide), d(FAR_FUTURE)).is_ok());
}

#[test]
fn a_view_on_an_ala_before_it_is_proposed_is_refused() {
    let events = first_events(Journey::AlternativeLearning, "2026-06-01", 1, EventKind::AlaProposed);
    let view = json!({"type": "ala_view_recorded", "on": "2026-06-05", "view": "undertake", "reason": "r",
                      "on_behalf_of": "police"});
    assert!(refusal_text(&events, view).contains("ala_proposed"));
}

#[test]
fn a_correction_cannot_rewrite_what_the_service_filled_in() {
    let events = first_events(Journey::AlternativeLearning, "2026-06-01", 1, EventKind::AlaDecided);
    let view = events
        .iter()
        .find(|e| e.payload.kind() == EventKind::AlaViewRecorded)
        .unwrap()
        .version
        .get();
    let forged = json!({"type": "event_corrected", "on": "2026-06-20", "corrects": view, "reason": "x",
                        "fields": {"on_behalf_of": "police"}});
    let refusal = record(&events, new(forged), d(FAR_FUTURE)).unwrap_err();
    assert!(matches!(refusal, Refusal::Invalid(f) if f.field == "fields.on_behalf_of"));
    let reason = json!({"type": "event_corrected", "on": "2026-06-20", "corrects": view, "reason": "typo",
                        "fields": {"reason": "Spelt right."}});
    assert!(record(&events, new(reason), d(FAR_FUTURE)).is_ok());
}

fn outcome(events: &[Event], on: &str, body: Value) -> Result<Event, Refusal> {
    let mut body = body;
    body["type"] = json!("outcome_communicated");
    body["on"] = json!(on);
    record(events, new(body), d(FAR_FUTURE))
}

#[test]
fn the_outcome_is_told_recipient_by_recipient_and_its_clock_ends_when_all_are_told_or_the_list_is_closed() {
    // Sequence 1: asks three agencies, the second of which referred it.
    let mut events = first_events(Journey::SeriousHarm, "2026-12-21", 1, EventKind::OutcomeCommunicated);
    let state = fold(&events);
    let all = state.outcome_recipients();
    assert_eq!(all.len(), 3, "{all:?}");
    let submitted = state.submitted_on.unwrap().to_string();
    let first = outcome(&events, &submitted, json!({"recipients": [all[0]]})).unwrap();
    events.push(first);
    assert_eq!(fold(&events).outcome_communicated_on, None, "two still to tell");
    // Telling someone twice names `recipients`.
    let again = outcome(&events, &submitted, json!({"recipients": [all[0]]})).unwrap_err();
    assert!(
        matches!(&again, Refusal::Invalid(e) if e.field == "recipients"),
        "{again:?}"
    );
    // A stranger names its place in the list.
    let stranger = outcome(&events, &submitted, json!({"recipients": ["nobody-asked"]})).unwrap_err();
    assert!(
        matches!(&stranger, Refusal::Invalid(e) if e.field == "recipients[0]"),
        "{stranger:?}"
    );
    // Closing the list ends the clock without telling the rest.
    let mut closed = events.clone();
    closed.push(
        outcome(
            &events,
            &submitted,
            json!({"closing_reason": "The police are told in person."}),
        )
        .unwrap(),
    );
    assert!(fold(&closed).outcome_communicated_on.is_some());
    assert_eq!(fold(&closed).outcome_owed().len(), 2);
    // Left out, the recipients are the rest, and then the clock is done.
    let rest = outcome(&events, &submitted, json!({})).unwrap();
    let EventPayload::OutcomeCommunicated(p) = &rest.payload else {
        unreachable!()
    };
    assert_eq!(p.recipients, all[1..].to_vec());
    events.push(rest);
    let v = view(&events, FAR_FUTURE);
    assert_eq!(deadline(&v, StepKey::OutcomeCommunication).status, DeadlineStatus::Done);
    assert!(matches!(
        outcome(&events, &submitted, json!({})),
        Err(Refusal::NotAllowedNow(_))
    ));
}

#[test]
fn on_the_not_met_path_only_the_referrer_is_told_the_decision_once_any_challenge_is_resolved() {
    let events = first_events(
        Journey::ChallengeOverturned,
        "2026-03-02",
        1,
        EventKind::ThresholdChallenged,
    );
    let state = fold(&events);
    let referrer = state.referrer.clone().unwrap();
    assert_eq!(state.outcome_recipients(), vec![referrer.clone()]);
    let fed_back = state.fed_back_on.unwrap().to_string();
    let told = outcome(&events, &fed_back, json!({"recipients": [referrer]})).unwrap();
    let mut after = events.clone();
    after.push(told);
    assert!(fold(&after).outcome_communicated_on.is_some());
    // While a challenge is open, the decision may still change.
    let challenged = first_events(
        Journey::ChallengeOverturned,
        "2026-03-02",
        1,
        EventKind::ChallengeResolved,
    );
    let refused = outcome(&challenged, &fed_back, json!({})).unwrap_err();
    assert!(
        matches!(&refused, Refusal::NotAllowedNow(m) if m.contains("challenge_resolved")),
        "{refused:?}"
    );
}

#[test]
fn the_state_after_one_more_event_is_the_fold_of_the_whole_history() {
    for journey in [
        Journey::SeriousHarm,
        Journey::ChallengeOverturned,
        Journey::AlternativeLearning,
    ] {
        let events = history(journey, "2026-12-21", 1);
        for n in 1..=events.len() {
            let before = fold(&events[..n - 1]);
            assert_eq!(
                fold_with(&before, &events[..n]),
                fold(&events[..n]),
                "{journey:?}, event {n}"
            );
        }
    }
}
