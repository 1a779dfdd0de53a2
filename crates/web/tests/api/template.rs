//! The Rapid Review Template: drafted from the case, saved as versions that are all
//! kept, signed off by each partner (a new version clears the sign-offs), and the
//! submission to the Panel refused until all three have signed the version it sends,
//! which is then frozen.

use domain::events::EventKind;
use domain::synthetic::Journey;
use serde_json::{Value, json};

use crate::support::{Response, TestApp};

const TODAY: &str = "2027-12-31";

/// A serious harm case whose meeting is held, ready for its template.
async fn case_at_the_template(app: &TestApp) -> String {
    app.record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::RapidReviewSubmitted))
        .await
        .0
}

fn path(case: &str, rest: &str) -> String {
    format!("/api/v1/cases/{case}/template{rest}")
}

async fn put(app: &TestApp, who: &str, case: &str, body: Value) -> Response {
    app.send(Some(who), "PUT", &path(case, ""), Some(body)).await
}

fn submit(on: &str) -> Value {
    json!({"type": "rapid_review_submitted", "on": on})
}

async fn before_any_save_the_template_is_the_draft_from_the_case_and_the_first_save_keeps_it(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let case = case_at_the_template(&app).await;
    let draft = app.get("chair", &path(&case, "")).await;
    assert_eq!(draft.status, 200, "{}", draft.body);
    assert_eq!(
        (draft.body["version"].as_u64(), draft.body["frozen"].as_bool()),
        (Some(0), Some(false))
    );
    let sections = &draft.body["sections"];
    assert!(sections["incident"].as_str().unwrap().contains("Synthetic incident 1"));
    assert!(
        sections["recommendation"]
            .as_str()
            .unwrap()
            .starts_with("A local child safeguarding practice review.")
    );
    assert!(
        sections["agencies_involved"]
            .as_str()
            .unwrap()
            .contains("Agency city-gp-practice: ")
    );
    assert_eq!(sections["learning"], "");
    assert_eq!(
        draft.body["missing_sign_offs"],
        json!(["local_authority", "health", "police"])
    );

    let saved = put(
        &app,
        "bu",
        &case,
        json!({"sections": {"learning": "Information was not shared at the transfer."}}),
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.body["version"], 1);
    assert_eq!(
        saved.body["sections"]["learning"],
        "Information was not shared at the transfer."
    );
    assert_eq!(
        saved.body["sections"]["incident"], sections["incident"],
        "the draft is kept"
    );
    let second = put(
        &app,
        "chair",
        &case,
        json!({"sections": {"learning": "", "family_views": "Not yet sought."}, "expected_version": 1}),
    )
    .await;
    assert_eq!(second.body["version"], 2);
    assert_eq!(second.body["sections"]["learning"], "");
    let first = app.get("pm", &path(&case, "?version=1")).await;
    assert_eq!(
        first.body["sections"]["learning"],
        "Information was not shared at the transfer."
    );
    assert_eq!(first.body["latest_version"], 2);
    assert_eq!(first.body["versions"].as_array().unwrap().len(), 2);
    assert_eq!(app.get("pm", &path(&case, "?version=9")).await.status, 404);
    let bad = app.get("pm", &path(&case, "?version=two")).await;
    assert_eq!(
        (bad.status.as_u16(), &bad.body["error"]["field"]),
        (422, &json!("version"))
    );
}

async fn a_save_names_the_section_at_fault_and_refuses_stale_writers_and_the_wrong_roles(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let case = case_at_the_template(&app).await;
    let unknown = put(&app, "bu", &case, json!({"sections": {"lessons": "x"}})).await;
    assert_eq!(
        (unknown.status.as_u16(), &unknown.body["error"]["field"]),
        (422, &json!("sections.lessons"))
    );
    let not_text = put(&app, "bu", &case, json!({"sections": {"learning": ["x"]}})).await;
    assert_eq!(not_text.body["error"]["field"], "sections.learning");
    let too_long = put(&app, "bu", &case, json!({"sections": {"learning": "x".repeat(20_001)}})).await;
    assert_eq!(
        (too_long.status.as_u16(), &too_long.body["error"]["field"]),
        (422, &json!("sections.learning"))
    );
    let missing = put(&app, "bu", &case, json!({"learning": "x"})).await;
    assert_eq!(missing.body["error"]["field"], "sections");
    assert_eq!(
        put(&app, "rep_health", &case, json!({"sections": {}})).await.status,
        403
    );
    assert_eq!(put(&app, "bu", &case, json!({"sections": {}})).await.status, 200);
    let stale = put(
        &app,
        "pm",
        &case,
        json!({"sections": {"learning": "x"}, "expected_version": 0}),
    )
    .await;
    assert_eq!(
        (stale.status.as_u16(), &stale.body["error"]["code"]),
        (409, &json!("version_conflict"))
    );
    let agency = app.get("contact", &path(&case, "")).await;
    assert_eq!(agency.status, 404, "an agency contact learns nothing of the case");
}

async fn a_template_waits_for_a_threshold_decision_that_it_is_met(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let case = app.open_case("children_services", "2027-12-20").await;
    let early = put(&app, "bu", &case, json!({"sections": {"learning": "x"}})).await;
    assert_eq!(early.status, 409, "{}", early.body);
    assert!(
        early.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("threshold decision")
    );
}

async fn each_partner_signs_off_once_and_a_new_version_clears_the_sign_offs(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let case = case_at_the_template(&app).await;
    let sign = |who: &'static str, body: Value| {
        let app = &app;
        let case = case.clone();
        async move { app.post(who, &path(&case, "/sign-off"), body).await }
    };
    let nothing_yet = sign("rep_la", json!({})).await;
    assert_eq!(nothing_yet.status, 409);
    put(&app, "bu", &case, json!({"sections": {"learning": "A"}})).await;
    let signed = sign("rep_la", json!({"version": 1})).await;
    assert_eq!(signed.status, 201, "{}", signed.body);
    assert_eq!(signed.body["sign_offs"][0]["partner"], "local_authority");
    assert_eq!(signed.body["sign_offs"][0]["by"], "rep_la");
    assert_eq!(signed.body["missing_sign_offs"], json!(["health", "police"]));
    assert_eq!(
        sign("rep_la", json!({})).await.status,
        409,
        "a partner signs a version once"
    );
    assert_eq!(
        sign("rep_health", json!({"version": 7})).await.status,
        409,
        "only the current version"
    );
    assert_eq!(sign("pm", json!({})).await.status, 403);
    assert_eq!(sign("chair", json!({})).await.status, 403);
    put(&app, "bu", &case, json!({"sections": {"learning": "B"}})).await;
    let latest = app.get("pm", &path(&case, "")).await;
    assert_eq!(latest.body["version"], 2);
    assert_eq!(latest.body["sign_offs"], json!([]));
    assert_eq!(
        latest.body["missing_sign_offs"],
        json!(["local_authority", "health", "police"])
    );
    let first = app.get("pm", &path(&case, "?version=1")).await;
    assert_eq!(
        first.body["sign_offs"].as_array().unwrap().len(),
        1,
        "the old version keeps its sign-off"
    );
}

async fn the_submission_waits_for_every_sign_off_then_freezes_the_version_it_sent(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let case = case_at_the_template(&app).await;
    let events = format!("/api/v1/cases/{case}/events");
    let no_template = app.post("bu", &events, submit("2026-06-19")).await;
    assert_eq!(no_template.status, 409, "{}", no_template.body);
    assert!(
        no_template.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Rapid Review Template")
    );
    put(&app, "bu", &case, json!({"sections": {"learning": "A"}})).await;
    app.post("rep_health", &path(&case, "/sign-off"), json!({})).await;
    let unsigned = app.post("bu", &events, submit("2026-06-19")).await;
    assert_eq!(unsigned.status, 409);
    let message = unsigned.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("Local authority, Police (local_authority, police)"),
        "{message}"
    );
    for rep in ["rep_la", "rep_police"] {
        app.post(rep, &path(&case, "/sign-off"), json!({})).await;
    }
    let submitted = app.record("bu", &case, submit("2026-06-19")).await;
    let event = submitted["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(event["template_version"], 1);
    assert_eq!(event["signed_off_by"], json!(["local_authority", "health", "police"]));
    let frozen = put(&app, "bu", &case, json!({"sections": {"learning": "Changed"}})).await;
    assert_eq!(frozen.status, 409);
    assert!(frozen.body["error"]["message"].as_str().unwrap().contains("frozen"));
    assert_eq!(
        app.post("rep_la", &path(&case, "/sign-off"), json!({})).await.status,
        409
    );
    let read = app.get("pm", &path(&case, "")).await;
    assert_eq!(
        (read.body["submitted_version"].as_u64(), read.body["frozen"].as_bool()),
        (Some(1), Some(true))
    );
    assert_eq!(read.body["sections"]["learning"], "A");
}

async fn only_the_partnership_manager_sends_it_without_a_partner_s_sign_off_and_the_reason_is_kept(
    backend: store::Backend,
) {
    let app = TestApp::new(backend, TODAY).await;
    let case = case_at_the_template(&app).await;
    put(&app, "bu", &case, json!({"sections": {}})).await;
    app.post("rep_la", &path(&case, "/sign-off"), json!({})).await;
    app.post("rep_health", &path(&case, "/sign-off"), json!({})).await;
    let reason = "The police representative is on leave past the Panel's date; police agreed the facts by email.";
    let body = json!({"type": "rapid_review_submitted", "on": "2026-06-19", "without_sign_off_reason": reason});
    let by_business_unit = app
        .post("bu", &format!("/api/v1/cases/{case}/events"), body.clone())
        .await;
    assert_eq!(by_business_unit.status, 403, "{}", by_business_unit.body);
    let submitted = app.record("pm", &case, body).await;
    let event = submitted["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(event["signed_off_by"], json!(["local_authority", "health"]));
    assert_eq!(event["without_sign_off_reason"], reason);
}

async fn every_template_read_save_and_sign_off_is_audited(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let case = case_at_the_template(&app).await;
    app.get("chair", &path(&case, "")).await;
    put(&app, "bu", &case, json!({"sections": {}})).await;
    app.post("rep_la", &path(&case, "/sign-off"), json!({})).await;
    let actions: Vec<String> = app
        .store
        .audit_rows_for_case(&case)
        .await
        .unwrap()
        .into_iter()
        .map(|(actor, action, _)| format!("{actor} {action}"))
        .collect();
    for expected in [
        "chair@example.org GET /api/v1/cases/{id}/template",
        "bu@example.org PUT /api/v1/cases/{id}/template",
        "rep_la@example.org POST /api/v1/cases/{id}/template/sign-off",
    ] {
        assert!(actions.iter().any(|a| a == expected), "{expected} not in {actions:#?}");
    }
}

crate::on_both_backends!(
    before_any_save_the_template_is_the_draft_from_the_case_and_the_first_save_keeps_it,
    a_save_names_the_section_at_fault_and_refuses_stale_writers_and_the_wrong_roles,
    a_template_waits_for_a_threshold_decision_that_it_is_met,
    each_partner_signs_off_once_and_a_new_version_clears_the_sign_offs,
    the_submission_waits_for_every_sign_off_then_freezes_the_version_it_sent,
    only_the_partnership_manager_sends_it_without_a_partner_s_sign_off_and_the_reason_is_kept,
    every_template_read_save_and_sign_off_is_audited,
);
