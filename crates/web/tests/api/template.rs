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

fn html(res: &Response) -> &str {
    res.body.as_str().unwrap_or("")
}

async fn the_template_page_is_written_section_by_section_and_signed_off_by_each_rep(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let case = case_at_the_template(&app).await;
    let bu = app.browser("bu").await;
    let page = app.page(Some(&bu), &format!("/cases/{case}/template")).await;
    assert_eq!(page.status, 200);
    assert!(html(&page).contains("This is the draft from the case"));
    assert!(html(&page).contains("Synthetic incident 1 for demonstration only."));
    assert!(html(&page).contains(&format!("href=\"/cases/{case}/template/learning\"")));
    let form = app
        .page(Some(&bu), &format!("/cases/{case}/template/key_practice_episodes"))
        .await;
    assert_eq!(form.status, 200);
    let picked = format!("csrf={}&version=0&text=A+first+episode.", bu.csrf);
    let saved = app
        .submit(Some(&bu), &format!("/cases/{case}/template/learning"), &picked)
        .await;
    assert_eq!(saved.status, 303, "{}", html(&saved));
    assert_eq!(
        saved.headers["location"],
        format!("/cases/{case}/template?done=saved#learning").as_str()
    );
    let read = app.get("pm", &path(&case, "")).await;
    assert_eq!(
        (
            read.body["version"].as_u64(),
            read.body["sections"]["learning"].as_str()
        ),
        (Some(1), Some("A first episode."))
    );
    // A second writer who read version 0 is told, and nothing of theirs overwrites version 1.
    let stale = app
        .submit(Some(&bu), &format!("/cases/{case}/template/learning"), &picked)
        .await;
    assert_eq!(stale.status, 409);
    assert!(html(&stale).contains("Someone else saved the template first"));
    let too_long = format!("csrf={}&version=1&text={}", bu.csrf, "x".repeat(20_001));
    let refused = app
        .submit(Some(&bu), &format!("/cases/{case}/template/learning"), &too_long)
        .await;
    assert_eq!(refused.status, 422);
    assert!(html(&refused).contains("There is a problem"));

    let rep = app.browser("rep_police").await;
    let page = app.page(Some(&rep), &format!("/cases/{case}/template")).await;
    assert!(html(&page).contains("Sign off version 1 for Police"));
    assert!(!html(&page).contains("/template/learning\""), "a rep does not edit");
    let signed = app
        .submit(
            Some(&rep),
            &format!("/cases/{case}/template/sign-off"),
            &format!("csrf={}&version=1", rep.csrf),
        )
        .await;
    assert_eq!(signed.status, 303);
    let page = app
        .page(Some(&rep), &format!("/cases/{case}/template?done=signed"))
        .await;
    assert!(html(&page).contains("Signed off by rep_police on"));
    assert!(!html(&page).contains("Sign off version 1 for Police"));
    let case_page = app.page(Some(&bu), &format!("/cases/{case}")).await;
    assert!(html(&case_page).contains(&format!("/cases/{case}/template")));
    assert!(html(&case_page).contains("Outcome letter to Agency county-police (DOCX)"));
}

async fn key_practice_episodes_are_picked_from_the_merged_chronology(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-06-10").await;
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::AgencyRequestsSent))
        .await;
    app.record(
        "bu",
        &case,
        json!({"type": "agency_requests_sent", "on": "2026-06-08", "agencies": ["county-police"]}),
    )
    .await;
    let link = app.get("bu", &format!("/api/v1/cases/{case}/requests")).await.body["requests"][0]["return_link"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = link.rsplit('/').next().unwrap().to_owned();
    let entries = json!({"entries": [
        {"date": "2026-05-20", "what_happened": "Call about the baby's crying"},
        {"date": "2026-05-28", "what_happened": "Home visit, no concerns recorded"}]});
    assert_eq!(
        app.send(
            None,
            "POST",
            &format!("/api/v1/returns/{token}/chronology"),
            Some(entries)
        )
        .await
        .status,
        201
    );
    app.send(
        None,
        "PUT",
        &format!("/api/v1/returns/{token}/scoping"),
        Some(json!({"involvement": "Two calls."})),
    )
    .await;
    assert_eq!(
        app.send(
            None,
            "POST",
            &format!("/api/v1/returns/{token}/submit"),
            Some(json!({}))
        )
        .await
        .status,
        201
    );
    let bu = app.browser("bu").await;
    let form = app
        .page(Some(&bu), &format!("/cases/{case}/template/key_practice_episodes"))
        .await;
    assert!(html(&form).contains("28 May 2026, Agency county-police: Home visit, no concerns recorded"));
    let picked = format!("csrf={}&version=0&text=&episode=1", bu.csrf);
    app.submit(
        Some(&bu),
        &format!("/cases/{case}/template/key_practice_episodes"),
        &picked,
    )
    .await;
    let read = app.get("bu", &path(&case, "")).await;
    assert_eq!(
        read.body["sections"]["key_practice_episodes"],
        "28 May 2026, Agency county-police: Home visit, no concerns recorded"
    );
    assert!(
        read.body["sections"]["agencies_involved"]
            .as_str()
            .unwrap()
            .contains("Agency county-police: Two calls.")
    );
}

crate::on_both_backends!(
    the_template_page_is_written_section_by_section_and_signed_off_by_each_rep,
    key_practice_episodes_are_picked_from_the_merged_chronology,
    before_any_save_the_template_is_the_draft_from_the_case_and_the_first_save_keeps_it,
    a_save_names_the_section_at_fault_and_refuses_stale_writers_and_the_wrong_roles,
    a_template_waits_for_a_threshold_decision_that_it_is_met,
    each_partner_signs_off_once_and_a_new_version_clears_the_sign_offs,
    the_submission_waits_for_every_sign_off_then_freezes_the_version_it_sent,
    only_the_partnership_manager_sends_it_without_a_partner_s_sign_off_and_the_reason_is_kept,
    every_template_read_save_and_sign_off_is_audited,
);
