//! Closed is closed (the integrity issue): a closed case refuses every step, a
//! correction included, until the Partnership Manager reopens it with a reason; the
//! reopening is audited and everyone on the case is told.

use serde_json::json;

use crate::support::TestApp;

async fn a_closed_case_refuses_a_correction_until_the_manager_reopens_it(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    app.record(
        "pm",
        &case,
        json!({"type": "case_closed", "on": "2026-12-22", "reason": "Opened in error"}),
    )
    .await;
    let events = format!("/api/v1/cases/{case}/events");
    let correction = json!({"type": "event_corrected", "on": "2026-12-23", "corrects": 1, "reason": "Typo",
                            "fields": {"aware_on": "2026-12-22"}});
    let refused = app.post("pm", &events, correction.clone()).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(message.contains("case_reopened"), "{message}");

    let reopen = json!({"type": "case_reopened", "on": "2026-12-23", "reason": "New information from the police"});
    assert_eq!(app.post("bu", &events, reopen.clone()).await.status, 403);
    let without_reason = app
        .post("pm", &events, json!({"type": "case_reopened", "on": "2026-12-23"}))
        .await;
    assert_eq!(without_reason.status, 422);
    assert_eq!(without_reason.body["error"]["field"], "reason");
    let reopened = app.record("pm", &case, reopen).await;
    assert_eq!(reopened["state"], "open");
    let told = told_of(&app, &case, reopened["version"].as_i64().unwrap()).await;
    for who in [
        "bu@example.org",
        "la@example.org",
        "chair@example.org",
        "viewer@example.org",
    ] {
        assert!(told.iter().any(|r| r == who), "{who} is told: {told:?}");
    }
    assert!(!told.iter().any(|r| r == "pm@example.org"), "not of her own step");
    let audited = app.store.audit_rows_for_case(&case).await.unwrap();
    assert!(audited.iter().any(|(who, action, outcome)| who == "pm@example.org"
        && action == "POST /api/v1/cases/{id}/events"
        && outcome == "201"));

    let corrected = app.post("pm", &events, correction).await;
    assert_eq!(corrected.status, 201, "{}", corrected.body);
}

/// The recipients of the queued messages about event `version` of `case`.
async fn told_of(app: &TestApp, case: &str, version: i64) -> Vec<String> {
    let res = app.get("admin", "/api/v1/outbox?status=queued").await;
    res.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["case_id"] == case && m["event_version"] == version)
        .map(|m| m["recipient"].as_str().unwrap_or_default().to_owned())
        .collect()
}

crate::on_both_backends!(a_closed_case_refuses_a_correction_until_the_manager_reopens_it);
