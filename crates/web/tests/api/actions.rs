//! After the meeting: the immediate actions and the learning action plan, each action
//! with an owner, a due date, a status and evidence when done, on the dashboard until
//! done; and the local review's commissioning with its terms of reference and a reason
//! for publishing after the 6-month clock.

use domain::events::EventKind;
use domain::synthetic::Journey;
use serde_json::json;

use crate::support::TestApp;

const TODAY: &str = "2026-07-31";

async fn case_after_the_meeting(app: &TestApp) -> String {
    app.record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::RapidReviewSubmitted))
        .await
        .0
}

fn html(res: &crate::support::Response) -> &str {
    res.body.as_str().unwrap_or("")
}

async fn a_learning_action_stays_on_the_dashboard_until_it_is_done_with_its_evidence(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let case = case_after_the_meeting(&app).await;
    let events = format!("/api/v1/cases/{case}/events");
    let stranger = app
        .post(
            "bu",
            &events,
            json!({"type": "learning_action_added", "on": "2026-07-01",
            "action": "Audit the transfer of records", "owner_agency": "nowhere-trust", "due": "2026-07-20"}),
        )
        .await;
    assert_eq!(
        (stranger.status.as_u16(), &stranger.body["error"]["field"]),
        (422, &json!("owner_agency"))
    );
    app.record(
        "bu",
        &case,
        json!({"type": "learning_action_added", "on": "2026-07-01",
        "action": "Audit the transfer of records", "owner_agency": "city-gp-practice", "due": "2026-07-20"}),
    )
    .await;
    // The synthetic meeting's immediate action is done; the learning action is overdue.
    app.record(
        "bu",
        &case,
        json!({"type": "action_updated", "on": "2026-07-02", "plan": "immediate", "number": 1,
        "status": "done", "evidence": "Plan shared on 22 June."}),
    )
    .await;
    let pm = app.browser("pm").await;
    let dashboard = app.page(Some(&pm), "/").await;
    assert!(html(&dashboard).contains("Actions not done yet"));
    let listed = format!("href=\"/cases/{case}\">RR-2026-0001</a>: the earliest is due 20 July 2026");
    assert!(html(&dashboard).contains(&listed), "{}", html(&dashboard));
    let page = app.page(Some(&pm), &format!("/cases/{case}")).await;
    assert!(html(&page).contains("Learning action plan"));
    assert!(html(&page).contains("Agency city-gp-practice"));
    assert!(html(&page).contains("Plan shared on 22 June."));

    let no_evidence = app
        .post(
            "bu",
            &events,
            json!({"type": "action_updated", "on": "2026-07-21", "plan": "learning", "number": 1, "status": "done"}),
        )
        .await;
    assert_eq!(no_evidence.body["error"]["field"], "evidence");
    let no_such = app
        .post(
            "bu",
            &events,
            json!({"type": "action_updated", "on": "2026-07-21", "plan": "learning", "number": 2,
            "status": "done", "evidence": "x"}),
        )
        .await;
    assert_eq!(
        (no_such.status.as_u16(), &no_such.body["error"]["field"]),
        (422, &json!("number"))
    );
    app.record(
        "bu",
        &case,
        json!({"type": "action_updated", "on": "2026-07-21", "plan": "learning", "number": 1,
        "status": "done", "evidence": "Audit found records now transfer within 2 days."}),
    )
    .await;
    let dashboard = app.page(Some(&pm), "/").await;
    assert!(!html(&dashboard).contains(&listed));
    assert!(html(&dashboard).contains("Every immediate action and learning action is done."));
}

async fn a_case_with_an_open_learning_action_closes_only_with_a_reason(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-12-31").await;
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::CaseClosed))
        .await;
    app.record(
        "bu",
        &case,
        json!({"type": "learning_action_added", "on": "2026-12-01",
        "action": "Repeat the audit", "owner_agency": "county-police", "due": "2027-03-01"}),
    )
    .await;
    let refused = app
        .post(
            "pm",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "case_closed", "on": "2027-01-04"}),
        )
        .await;
    assert_eq!(
        (refused.status.as_u16(), &refused.body["error"]["field"]),
        (422, &json!("reason"))
    );
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("learning action plan")
    );
    app.record(
        "pm",
        &case,
        json!({"type": "case_closed", "on": "2027-01-04", "reason": "The action moved to the ESG's plan."}),
    )
    .await;
}

async fn a_local_review_published_after_its_six_month_clock_needs_a_reason(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-12-31").await;
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::LcsprCommissioned))
        .await;
    // The meeting was on 16 June 2026: the clock runs to 16 December 2026.
    let late = json!({"type": "lcspr_commissioned", "on": "2026-07-10", "reviewer": "Independent Reviewer",
        "planned_publication_on": "2027-02-01", "terms_of_reference": "How agencies shared information about the baby."});
    let refused = app
        .post("bu", &format!("/api/v1/cases/{case}/events"), late.clone())
        .await;
    assert_eq!(
        (refused.status.as_u16(), &refused.body["error"]["field"]),
        (422, &json!("publication_reason"))
    );
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("16 December 2026")
    );
    let mut with_reason = late;
    with_reason["publication_reason"] = json!("The criminal trial is listed for January.");
    let case_json = app.record("bu", &case, with_reason).await;
    let event = case_json["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        event["terms_of_reference"],
        "How agencies shared information about the baby."
    );
    assert_eq!(event["publication_reason"], "The criminal trial is listed for January.");
}

crate::on_both_backends!(
    a_learning_action_stays_on_the_dashboard_until_it_is_done_with_its_evidence,
    a_case_with_an_open_learning_action_closes_only_with_a_reason,
    a_local_review_published_after_its_six_month_clock_needs_a_reason,
);
