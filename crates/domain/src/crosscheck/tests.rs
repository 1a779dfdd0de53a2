use chrono::NaiveDate;
use serde_json::{Value, json};

use super::*;
use crate::events::{EventKind, parse_event_request};
use crate::process::record;
use crate::synthetic::{self, Journey};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A serious harm history (aware 1 June 2026: notified 4 June) up to its first `kind`.
fn until(kind: EventKind) -> Vec<Event> {
    let calendar = Calendar::england_and_wales();
    let bodies = synthetic::journey(Journey::SeriousHarm, d("2026-06-01"), &calendar, 0);
    let all = synthetic::record_all(&bodies, d("2099-01-01")).unwrap();
    let end = all.iter().position(|e| e.payload.kind() == kind).unwrap();
    all[..end].to_vec()
}

fn checked(history: &[Event], body: Value) -> Result<Event, Refusal> {
    let mut event = record(history, parse_event_request(body, None).unwrap().event, d("2099-01-01"))?;
    review(
        history,
        &mut event,
        &Calendar::england_and_wales(),
        &RuleSet::default(),
        &|slug| format!("Agency {slug}"),
    )?;
    Ok(event)
}

fn warning_of(r: Result<Event, Refusal>) -> String {
    match r {
        Err(Refusal::Invalid(f)) if f.field == "warning_reason" => f.message,
        other => panic!("expected a warning, got {other:?}"),
    }
}

#[test]
fn a_meeting_outside_the_window_or_after_the_submission_date_needs_a_reason_that_is_kept() {
    let history = until(EventKind::MeetingScheduled);
    let late = json!({"type": "meeting_scheduled", "on": "2026-06-09", "meeting_on": "2026-06-30", "meeting_kind": "extraordinary"});
    let message = warning_of(checked(&history, late.clone()));
    assert!(
        message.contains("outside the target window of 15 June 2026 to 16 June 2026"),
        "{message}"
    );
    assert!(
        message.contains("after the Rapid Review is due at the Panel on 25 June 2026"),
        "{message}"
    );
    let mut with_reason = late;
    with_reason["warning_reason"] = json!("The chair is in court that week.");
    let EventPayload::MeetingScheduled(p) = checked(&history, with_reason).unwrap().payload else {
        panic!()
    };
    assert_eq!(p.checked.warnings.len(), 2);
    assert_eq!(
        p.checked.warning_reason.unwrap().as_str(),
        "The chair is in court that week."
    );
    let in_window = json!({"type": "meeting_scheduled", "on": "2026-06-09", "meeting_on": "2026-06-16", "meeting_kind": "extraordinary"});
    let EventPayload::MeetingScheduled(p) = checked(&history, in_window).unwrap().payload else {
        panic!()
    };
    assert!(p.checked.warnings.is_empty());
}

#[test]
fn a_return_due_after_the_papers_go_out_warns() {
    let history = until(EventKind::MeetingScheduled);
    // The synthetic requests went out on 8 June with the usual 5 working days: due 15 June.
    let early = json!({"type": "meeting_scheduled", "on": "2026-06-09", "meeting_on": "2026-06-15", "meeting_kind": "extraordinary",
                       "warning_reason": "Only slot."});
    let EventPayload::MeetingScheduled(p) = checked(&history, early).unwrap().payload else {
        panic!()
    };
    assert!(
        p.checked.warnings.iter().any(|w| w.contains(
            "from Agency city-gp-practice is due on 15 June 2026, after the papers pack is shared on 12 June 2026"
        )),
        "{:?}",
        p.checked.warnings
    );
}

#[test]
fn a_meeting_without_every_partner_present_or_with_an_action_due_before_it_warns() {
    let history = until(EventKind::MeetingHeld);
    let held: Value = json!({"type": "meeting_held", "on": "2026-06-16", "recommendation": "lcspr", "rationale": "r",
        "criteria": {"improvements_needed": true, "recurring_themes": true, "multi_agency_concerns": true, "panel_view": false},
        "immediate_actions": [{"action": "Share the plan", "owner": "Police", "due": "2026-06-12"}],
        "attendees": [
            {"agency": "Northshire Council", "role": "Head of Service", "partner": "local_authority", "present": true},
            {"agency": "County Police", "role": "Detective Inspector", "partner": "police", "present": false},
            {"agency": "City GP Practice", "role": "GP", "present": true}]});
    let message = warning_of(checked(&history, held));
    assert!(
        message.contains("\"Share the plan\" is due on 12 June 2026, before the meeting"),
        "{message}"
    );
    assert!(
        message.contains("not quorate: nobody was present for Health, Police"),
        "{message}"
    );
}
