//! The Rapid Review meeting: its time, place and video link in the invitation with
//! those invited; attendees with quorum; facts, criteria with reasons, immediate actions
//! with evidence, parallel processes; and the cross-checks that warn, need a reason to go
//! ahead, and keep it on the event.

use domain::events::EventKind;
use domain::synthetic::Journey;
use serde_json::{Value, json};

use crate::support::TestApp;

const TODAY: &str = "2027-12-31";

fn last_event(case: &Value) -> Value {
    case["events"].as_array().unwrap().last().unwrap().clone()
}

fn held(attendees: Value) -> Value {
    json!({"type": "meeting_held", "on": "2026-06-16", "recommendation": "lcspr", "rationale": "Learning across agencies.",
        "criteria": {"improvements_needed": true, "recurring_themes": false, "multi_agency_concerns": true, "panel_view": false},
        "criteria_reasons": {"improvements_needed": "Health visiting missed the bruising.", "recurring_themes": "Not seen before here."},
        "facts": "The baby was seen by three agencies in the month before.",
        "national_review_requested": false,
        "parallel_processes": ["police_investigation", "coroner"],
        "immediate_actions": [{"action": "Share the safety plan", "owner": "Police", "due": "2026-06-23"},
                              {"action": "Brief the GP practice", "owner": "Health", "due": "2026-06-30", "status": "done",
                               "evidence": "Briefing note of 17 June."}],
        "attendees": attendees})
}

fn present(partner: &str, yes: bool) -> Value {
    json!({"agency": format!("{partner} organisation"), "role": "Safeguarding lead", "partner": partner, "present": yes})
}

async fn a_meeting_without_every_partner_present_needs_a_reason_and_keeps_its_warning(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::MeetingHeld))
        .await;
    let events = format!("/api/v1/cases/{case}/events");
    let attendees = json!([
        present("local_authority", true),
        present("health", false),
        present("police", true)
    ]);
    let refused = app.post("chair", &events, held(attendees.clone())).await;
    assert_eq!(
        (refused.status.as_u16(), &refused.body["error"]["field"]),
        (422, &json!("warning_reason"))
    );
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not quorate: nobody was present for Health")
    );
    let mut body = held(attendees);
    body["warning_reason"] = json!("Health sent written views and agreed the actions by email.");
    let recorded = last_event(&app.record("chair", &case, body).await);
    assert_eq!(
        recorded["warnings"],
        json!(["The meeting was not quorate: nobody was present for Health"])
    );
    assert_eq!(
        recorded["warning_reason"],
        "Health sent written views and agreed the actions by email."
    );
    assert_eq!(recorded["attendees"][1]["present"], false);
    assert_eq!(
        recorded["parallel_processes"],
        json!(["police_investigation", "coroner"])
    );
    assert_eq!(
        recorded["criteria_reasons"]["improvements_needed"],
        "Health visiting missed the bruising."
    );
    assert_eq!(recorded["immediate_actions"][1]["status"], "done");
    let page = app
        .page(Some(&app.browser("pm").await), &format!("/cases/{case}"))
        .await;
    let html = page.body.as_str().unwrap();
    assert!(
        html.contains("Health visiting missed the bruising."),
        "criteria reasons on the case page"
    );
}

async fn a_quorate_meeting_records_without_a_reason_and_a_done_action_needs_its_evidence(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::MeetingHeld))
        .await;
    let mut body = held(json!([
        present("local_authority", true),
        present("health", true),
        present("police", true)
    ]));
    body["immediate_actions"][1]["evidence"] = Value::Null;
    let refused = app
        .post("chair", &format!("/api/v1/cases/{case}/events"), body.clone())
        .await;
    assert_eq!(refused.body["error"]["field"], "immediate_actions[1].evidence");
    body["immediate_actions"][1]["evidence"] = json!("Briefing note of 17 June.");
    let recorded = last_event(&app.record("chair", &case, body).await);
    assert!(recorded.get("warnings").is_none());
}

async fn a_meeting_outside_its_window_needs_a_reason_and_its_invitation_carries_time_place_and_invitees(
    backend: store::Backend,
) {
    let app = TestApp::new(backend, TODAY).await;
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::MeetingScheduled))
        .await;
    let body = json!({"type": "meeting_scheduled", "on": "2026-06-09", "meeting_on": "2026-06-30", "meeting_kind": "extraordinary",
        "starts_at": "14:30", "place": "Civic Centre, Room 2", "video_link": "https://meet.example.org/rr"});
    let refused = app
        .post("bu", &format!("/api/v1/cases/{case}/events"), body.clone())
        .await;
    assert_eq!(refused.body["error"]["field"], "warning_reason");
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("outside the target window") && message.contains("after the Rapid Review is due"),
        "{message}"
    );
    let bad_time = app
        .post(
            "bu",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "meeting_scheduled", "on": "2026-06-09",
            "meeting_on": "2026-06-16", "meeting_kind": "extraordinary", "starts_at": "2pm"}),
        )
        .await;
    assert_eq!(bad_time.body["error"]["field"], "starts_at");
    let mut with_reason = body;
    with_reason["warning_reason"] = json!("The only date the chair and all three partners can attend.");
    let recorded = last_event(&app.record("bu", &case, with_reason).await);
    assert_eq!(recorded["warnings"].as_array().unwrap().len(), 2);
    let ics = app.get("chair", &format!("/api/v1/cases/{case}/meeting.ics")).await;
    // Long lines are folded at 75 octets; unfolded, each is whole again.
    let ics = ics.body.as_str().unwrap().replace("\r\n ", "");
    for expected in [
        "DTSTART;TZID=Europe/London:20260630T143000",
        "LOCATION:Civic Centre\\, Room 2",
        "URL:https://meet.example.org/rr",
        "mailto:chair@example.org",
        "mailto:rep_health@example.org",
        "mailto:city-gp-practice@agencies.example.org",
    ] {
        assert!(ics.contains(expected), "the invitation lacks {expected}: {ics}");
    }
    assert!(!ics.contains("mailto:viewer@example.org"));
}

async fn the_schedule_form_shows_the_warning_and_records_once_a_reason_is_given(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::MeetingScheduled))
        .await;
    let bu = app.browser("bu").await;
    let path = format!("/cases/{case}/record/meeting_scheduled");
    let answers = "on-day=9&on-month=6&on-year=2026&meeting_on-day=30&meeting_on-month=6&meeting_on-year=2026\
                   &meeting_kind=extraordinary&starts_at=10%3A00";
    let warned = app
        .submit(Some(&bu), &path, &format!("csrf={}&{answers}", bu.csrf))
        .await;
    assert_eq!(warned.status, 422);
    let html = warned.body.as_str().unwrap();
    assert!(
        html.contains("href=\"#warning_reason\""),
        "the summary links to the reason box"
    );
    assert!(html.contains("outside the target window of 15 June 2026 to 16 June 2026"));
    assert!(html.contains("value=\"10:00\""), "the answers are kept");
    let recorded = app
        .submit(
            Some(&bu),
            &path,
            &format!("csrf={}&{answers}&warning_reason=Only+date+all+can+attend", bu.csrf),
        )
        .await;
    assert_eq!(recorded.status, 303, "{}", recorded.body);
    let case_json = app.get("bu", &format!("/api/v1/cases/{case}")).await.body;
    assert_eq!(last_event(&case_json)["warning_reason"], "Only date all can attend");
}

crate::on_both_backends!(
    the_schedule_form_shows_the_warning_and_records_once_a_reason_is_given,
    a_meeting_without_every_partner_present_needs_a_reason_and_keeps_its_warning,
    a_quorate_meeting_records_without_a_reason_and_a_done_action_needs_its_evidence,
    a_meeting_outside_its_window_needs_a_reason_and_its_invitation_carries_time_place_and_invitees,
);
