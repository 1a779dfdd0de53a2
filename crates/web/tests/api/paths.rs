//! Every path of the process through HTTP, acting as the right role at each step, with
//! the deadlines checked at frozen dates on either side of the Christmas bank holidays.

use serde_json::json;

use crate::support::{TestApp, deadline};

async fn serious_harm_runs_from_report_to_a_closed_case(backend: store::Backend) {
    let mut app = TestApp::new(backend, "2027-12-31").await;
    let case = app.open_case("partner_agency", "2026-12-21").await;
    let steps = [
        ("bu", json!({"type": "forwarded_to_la", "on": "2026-12-21"})),
        (
            "la",
            json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "Serious harm."}),
        ),
        ("la", json!({"type": "decision_fed_back", "on": "2026-12-22"})),
    ];
    for (who, body) in steps {
        app.record(who, &case, body).await;
    }
    // Before the holiday: notification due on Wednesday 30 December, two working days left.
    let before = app
        .on("2026-12-24")
        .await
        .get("pm", &format!("/api/v1/cases/{case}"))
        .await
        .body;
    let notify = deadline(&before, "panel_notification");
    assert_eq!(
        (notify["due"].as_str(), notify["status"].as_str()),
        (Some("2026-12-30"), Some("due"))
    );
    assert_eq!(notify["working_days_left"], 2);
    let skipped: Vec<&str> = notify["explanation"]["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        skipped,
        ["Christmas Day", "Saturday", "Sunday", "Boxing Day (substitute day)"]
    );
    // On the day it is still due; the day after it is overdue.
    let on_the_day = app
        .on("2026-12-30")
        .await
        .get("pm", &format!("/api/v1/cases/{case}"))
        .await
        .body;
    assert_eq!(deadline(&on_the_day, "panel_notification")["status"], "due");
    let after = app
        .on("2026-12-31")
        .await
        .get("pm", &format!("/api/v1/cases/{case}"))
        .await
        .body;
    assert_eq!(deadline(&after, "panel_notification")["status"], "overdue");
    assert_eq!(deadline(&after, "panel_notification")["working_days_left"], -1);
    let overdue = app.get("pm", "/api/v1/cases?overdue=true").await.body;
    assert_eq!(overdue["cases"].as_array().unwrap().len(), 1);

    app.on("2027-12-31").await;
    let steps = [
        (
            "la",
            json!({"type": "panel_notified", "on": "2026-12-29", "reference": "NP-TEST-1"}),
        ),
        ("la", json!({"type": "referral_submitted", "on": "2026-12-29"})),
        (
            "bu",
            json!({"type": "agency_requests_sent", "on": "2026-12-30", "agencies": ["city-gp-practice", "northfield-primary"]}),
        ),
        (
            "bu",
            json!({"type": "meeting_scheduled", "on": "2027-01-04", "meeting_on": "2027-01-11", "meeting_kind": "extraordinary"}),
        ),
        (
            "bu",
            json!({"type": "agency_return_received", "on": "2027-01-05", "agency": "city-gp-practice"}),
        ),
        (
            "bu",
            json!({"type": "agency_return_received", "on": "2027-01-07", "agency": "northfield-primary"}),
        ),
        ("bu", json!({"type": "pack_shared", "on": "2027-01-08"})),
        (
            "chair",
            json!({"type": "meeting_held", "on": "2027-01-11", "recommendation": "lcspr", "rationale": "Learning across agencies.",
            "criteria": {"improvements_needed": true, "recurring_themes": true, "multi_agency_concerns": true, "panel_view": false},
            "immediate_actions": [{"action": "Review the referral pathway", "owner": "Business Unit", "due": "2027-01-25"}]}),
        ),
        ("bu", json!({"type": "rapid_review_submitted", "on": "2027-01-15"})),
        ("bu", json!({"type": "outcome_communicated", "on": "2027-01-18"})),
        (
            "bu",
            json!({"type": "panel_response_received", "on": "2027-02-01", "panel_agrees": true, "national_review": false}),
        ),
        (
            "chair",
            json!({"type": "esg_recommendation_made", "on": "2027-02-02", "subgroup": "Learning and Improvement"}),
        ),
        (
            "bu",
            json!({"type": "lcspr_commissioned", "on": "2027-02-10", "reviewer": "Independent Reviewer", "planned_publication_on": "2027-07-09"}),
        ),
        ("bu", json!({"type": "lcspr_sent_to_panel", "on": "2027-06-25"})),
        ("bu", json!({"type": "lcspr_published", "on": "2027-07-09"})),
    ];
    let mut last = serde_json::Value::Null;
    for (who, body) in steps {
        if body["type"] == "rapid_review_submitted" {
            app.sign_template(&case).await;
        }
        last = app.record(who, &case, body).await;
    }
    assert_eq!(deadline(&last, "agency_requests")["due"], "2026-12-31");
    let returns: Vec<_> = last["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["step"] == "agency_return")
        .collect();
    assert_eq!(returns.len(), 2);
    assert!(
        returns
            .iter()
            .all(|d| d["due"] == "2027-01-07" && d["status"] == "done" && d["late"] == false)
    );
    let meeting = deadline(&last, "rapid_review_meeting");
    assert_eq!(
        (meeting["window_start"].as_str(), meeting["due"].as_str()),
        (Some("2027-01-08"), Some("2027-01-11"))
    );
    assert_eq!(deadline(&last, "pack_shared")["due"], "2027-01-08");
    assert_eq!(deadline(&last, "rapid_review_submission")["due"], "2027-01-20");
    assert_eq!(deadline(&last, "lcspr_sent_to_panel")["due"], "2027-06-30");
    assert_eq!(
        last["agency_requests"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["status"] == "submitted")
            .count(),
        2
    );

    let closed = app
        .record("pm", &case, json!({"type": "case_closed", "on": "2027-07-12"}))
        .await;
    assert_eq!(
        (
            closed["stage"].as_str(),
            closed["state"].as_str(),
            closed["path"].as_str()
        ),
        (Some("closed"), Some("closed"), Some("serious_harm"))
    );
    assert_eq!(closed["version"], 20);
    assert_eq!(closed["events"].as_array().unwrap().len(), 20);
    let closed_list = app.get("pm", "/api/v1/cases?state=closed").await.body;
    assert_eq!(closed_list["cases"][0]["id"], case.as_str());
}

async fn not_met_challenged_and_overturned_goes_on_to_serious_harm(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-03-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    app.record(
        "la",
        &case,
        json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "not_met", "rationale": "Below threshold."}),
    )
    .await;
    let fed_back = app
        .record("bu", &case, json!({"type": "decision_fed_back", "on": "2026-12-23"}))
        .await;
    assert_eq!(fed_back["path"], "no_serious_harm");
    assert_eq!(deadline(&fed_back, "challenge_window")["due"], "2026-12-29");
    assert_eq!(deadline(&fed_back, "panel_notification")["status"], "not_applicable");
    app.record(
        "rep_health",
        &case,
        json!({"type": "threshold_challenged", "on": "2026-12-24", "grounds": "Long-term impairment is likely."}),
    )
    .await;
    app.record(
        "bu",
        &case,
        json!({"type": "challenge_meeting_held", "on": "2026-12-29", "notes": "Virtual meeting."}),
    )
    .await;
    let resolve = json!({"type": "challenge_resolved", "on": "2026-12-29", "outcome": "overturned", "rationale": "Met on review."});
    let too_soon = app
        .post("pm", &format!("/api/v1/cases/{case}/events"), resolve.clone())
        .await;
    assert_eq!(too_soon.status, 409, "{}", too_soon.body);
    let message = too_soon.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("local_authority, health, police, partnership_manager"),
        "{message}"
    );
    app.record(
        "rep_health",
        &case,
        json!({"type": "challenge_view_recorded", "on": "2026-12-24", "position": "challenge", "reason": "Impairment likely."}),
    )
    .await;
    let someone_else = app
        .post(
            "rep_la",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "challenge_view_recorded",
            "on": "2026-12-24", "position": "challenge", "reason": "x", "on_behalf_of": "police"}),
        )
        .await;
    assert_eq!(someone_else.status, 403, "{}", someone_else.body);
    let three_heard = app
        .post("pm", &format!("/api/v1/cases/{case}/events"), resolve.clone())
        .await;
    let message = three_heard.body["error"]["message"].as_str().unwrap();
    assert!(
        message.ends_with("still missing: local_authority, police, partnership_manager"),
        "{message}"
    );
    let heard = app
        .all_four_record(
            &case,
            json!({"type": "challenge_view_recorded", "on": "2026-12-29",
            "position": "challenge", "reason": "The harm is serious."}),
        )
        .await;
    let views: Vec<_> = heard["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "challenge_view_recorded")
        .map(|e| e["on_behalf_of"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        views,
        ["health", "local_authority", "health", "police", "partnership_manager"]
    );
    let overturned = app.record("pm", &case, resolve).await;
    assert_eq!(
        (overturned["path"].as_str(), overturned["stage"].as_str()),
        (Some("serious_harm"), Some("notification"))
    );
    assert_eq!(deadline(&overturned, "challenge_window")["status"], "done");
    app.record(
        "la",
        &case,
        json!({"type": "panel_notified", "on": "2026-12-30", "reference": "NP-TEST-2"}),
    )
    .await;
    app.record("la", &case, json!({"type": "referral_submitted", "on": "2026-12-30"}))
        .await;
    let sent = app
        .record(
            "bu",
            &case,
            json!({"type": "agency_requests_sent", "on": "2026-12-31", "agencies": ["county-police"]}),
        )
        .await;
    assert_eq!(sent["stage"], "agency_returns");
    // Notified a day late: the statutory clock ran from awareness regardless of the challenge.
    let notified = deadline(&sent, "panel_notification");
    assert_eq!(
        (notified["status"].as_str(), notified["late"].as_bool()),
        (Some("done"), Some(false))
    );
}

async fn not_met_with_an_alternative_learning_activity_decided_by_all_four(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-06-30").await;
    let case = app.open_case("children_services", "2027-01-04").await;
    app.record(
        "la",
        &case,
        json!({"type": "threshold_decided", "on": "2027-01-05", "outcome": "not_met", "rationale": "Below threshold."}),
    )
    .await;
    app.record("la", &case, json!({"type": "decision_fed_back", "on": "2027-01-05"}))
        .await;
    let no_criteria = app
        .post(
            "la",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "ala_proposed", "on": "2027-01-12",
            "activity": "audit", "criteria": [], "proposal": "An audit."}),
        )
        .await;
    assert_eq!(
        (no_criteria.status.as_u16(), &no_criteria.body["error"]["field"]),
        (422, &json!("criteria"))
    );
    let proposed = app
        .record("la", &case, json!({"type": "ala_proposed", "on": "2027-01-12", "activity": "audit",
            "criteria": ["clear_learning_focus", "recurring_theme"], "proposal": "Multi-agency audit of neglect referrals."}))
        .await;
    assert_eq!(proposed["stage"], "alternative_learning");
    let missing_police = app
        .post("pm", &format!("/api/v1/cases/{case}/events"), json!({"type": "ala_decided", "on": "2027-01-19",
            "decision": "undertake", "lead_group": "QA sub-group", "decided_by": ["local_authority", "health", "partnership_manager"]}))
        .await;
    assert_eq!(missing_police.status, 422);
    assert_eq!(missing_police.body["error"]["field"], "decided_by");
    let decide = json!({"type": "ala_decided", "on": "2027-01-19", "decision": "undertake", "lead_group": "QA sub-group",
        "decided_by": ["local_authority", "health", "police", "partnership_manager"]});
    let unheard = app
        .post("pm", &format!("/api/v1/cases/{case}/events"), decide.clone())
        .await;
    assert_eq!(unheard.status, 409, "{}", unheard.body);
    assert!(
        unheard.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("ala_view_recorded")
    );
    let not_a_decider = app
        .post(
            "chair",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "ala_view_recorded",
            "on": "2027-01-13", "view": "undertake", "reason": "x"}),
        )
        .await;
    assert_eq!(not_a_decider.status, 403);
    app.all_four_record(
        &case,
        json!({"type": "ala_view_recorded", "on": "2027-01-14", "view": "undertake",
        "reason": "Clear learning focus."}),
    )
    .await;
    app.record(
        "pm",
        &case,
        json!({"type": "ala_decided", "on": "2027-01-19", "decision": "undertake", "lead_group": "QA sub-group",
        "decided_by": ["local_authority", "health", "police", "partnership_manager"]}),
    )
    .await;
    let completed = app
        .record(
            "bu",
            &case,
            json!({"type": "ala_completed", "on": "2027-03-01", "learning": "Referral thresholds applied unevenly."}),
        )
        .await;
    assert_eq!(completed["stage"], "ready_to_close");
    let closed = app
        .record("pm", &case, json!({"type": "case_closed", "on": "2027-03-02"}))
        .await;
    assert_eq!(
        (closed["state"].as_str(), closed["path"].as_str()),
        (Some("closed"), Some("no_serious_harm"))
    );
}

async fn a_correction_amends_an_event_without_editing_it(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    // The threshold decision was recorded by the decision maker, who may correct it.
    app.record(
        "la",
        &case,
        json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "Frist draft."}),
    )
    .await;
    let by_other = app
        .post(
            "chair",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "event_corrected", "on": "2026-12-23",
            "corrects": 2, "reason": "Typo", "fields": {"rationale": "First draft."}}),
        )
        .await;
    assert_eq!(by_other.status, 403);
    let corrected = app
        .record("la", &case, json!({"type": "event_corrected", "on": "2026-12-23", "corrects": 2, "reason": "Typo", "fields": {"rationale": "First draft."}}))
        .await;
    let events = corrected["events"].as_array().unwrap();
    assert_eq!(events[1]["rationale"], "Frist draft.");
    assert_eq!(events[2]["type"], "event_corrected");
    assert_eq!(events[2]["fields"]["rationale"], "First draft.");
}

crate::on_both_backends!(
    serious_harm_runs_from_report_to_a_closed_case,
    not_met_challenged_and_overturned_goes_on_to_serious_harm,
    not_met_with_an_alternative_learning_activity_decided_by_all_four,
    a_correction_amends_an_event_without_editing_it,
);
