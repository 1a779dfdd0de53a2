//! Bad input gets a clear error in docs/api.md's format and changes nothing.

use axum::body::Body;
use axum::http::Request;
use serde_json::json;

use crate::support::{TestApp, call, incident};

async fn a_step_out_of_order_gets_409_naming_what_must_come_first(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let res = app
        .post(
            "la",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "panel_notified", "on": "2026-12-22", "reference": "X"}),
        )
        .await;
    assert_eq!(res.status, 409);
    assert_eq!(res.body["error"]["code"], "not_allowed_now");
    assert!(
        res.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("threshold decision"),
        "{}",
        res.body
    );
    assert_eq!(app.store.event_count(&case).await.unwrap(), 1);
}

async fn an_invalid_field_gets_422_naming_the_field(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let mut body = incident("children_services", "2026-12-21");
    body["children"][0]["initials"] = json!("Alexandra");
    let res = app.post("pm", "/api/v1/cases", body).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.body["error"]["code"], "invalid_field");
    assert_eq!(res.body["error"]["field"], "children[0].initials");
    assert!(
        res.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("children[0].initials")
    );
    let case = app.open_case("children_services", "2026-12-21").await;
    let res = app
        .post(
            "la",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met"}),
        )
        .await;
    assert_eq!(
        (res.status.as_u16(), res.body["error"]["field"].as_str()),
        (422, Some("rationale"))
    );
    let future = app
        .post(
            "la",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "threshold_decided", "on": "2027-01-04", "outcome": "met", "rationale": "x"}),
        )
        .await;
    assert_eq!(
        (future.status.as_u16(), future.body["error"]["field"].as_str()),
        (422, Some("on"))
    );
    let before = app
        .post(
            "la",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "threshold_decided", "on": "2026-12-18", "outcome": "met", "rationale": "x"}),
        )
        .await;
    assert_eq!(
        (before.status.as_u16(), before.body["error"]["field"].as_str()),
        (422, Some("on"))
    );
    let wrong_role = app
        .post(
            "pm",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "x"}),
        )
        .await;
    assert_eq!(wrong_role.status, 403);
    assert_eq!(app.store.event_count(&case).await.unwrap(), 1);
}

async fn a_malformed_agency_is_refused_and_one_outside_the_directory_accepted(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    app.record(
        "la",
        &case,
        json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "x"}),
    )
    .await;
    app.record("la", &case, json!({"type": "referral_submitted", "on": "2026-12-22"}))
        .await;
    let res = app
        .post("bu", &format!("/api/v1/cases/{case}/events"), json!({"type": "agency_requests_sent", "on": "2026-12-23", "agencies": ["city-gp-practice", "Nowhere School"]}))
        .await;
    assert_eq!(
        (res.status.as_u16(), res.body["error"]["field"].as_str()),
        (422, Some("agencies[1]"))
    );
    assert_eq!(app.store.event_count(&case).await.unwrap(), 3);
    // An agency the directory does not hold yet is still asked, under its slug.
    let sent = app
        .record(
            "bu",
            &case,
            json!({"type": "agency_requests_sent", "on": "2026-12-23", "agencies": ["youth-offending-team"]}),
        )
        .await;
    assert_eq!(sent["agency_requests"][0]["agency"], "youth-offending-team");
    let token = crate::returns::link_token(&sent["agency_requests"][0]["return_link"]);
    let opened = app.send(None, "GET", &format!("/api/v1/returns/{token}"), None).await;
    assert_eq!(opened.body["agency_name"], "youth-offending-team");
}

async fn a_stale_expected_version_gets_409_version_conflict(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let ok = app.post("la", &format!("/api/v1/cases/{case}/events"), json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "x", "expected_version": 1})).await;
    assert_eq!(ok.status, 201);
    assert_eq!(ok.body["version"], 2);
    let stale = app
        .post(
            "la",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "decision_fed_back", "on": "2026-12-22", "expected_version": 1}),
        )
        .await;
    assert_eq!(
        (stale.status.as_u16(), stale.body["error"]["code"].as_str()),
        (409, Some("version_conflict"))
    );
}

async fn a_body_that_is_not_json_gets_400_415_or_413(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let auth = format!("Bearer {}", app.token("pm"));
    let send = |content_type: &'static str, body: Vec<u8>| {
        Request::post("/api/v1/cases")
            .header("authorization", &auth)
            .header("content-type", content_type)
            .body(Body::from(body))
            .unwrap()
    };
    let malformed = call(app.router(), send("application/json", b"{not json".to_vec())).await;
    assert_eq!(
        (malformed.status.as_u16(), malformed.body["error"]["code"].as_str()),
        (400, Some("malformed"))
    );
    let wrong_type = call(app.router(), send("text/plain", b"{}".to_vec())).await;
    assert_eq!(
        (wrong_type.status.as_u16(), wrong_type.body["error"]["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );
    let huge = format!("{{\"pad\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let too_large = call(app.router(), send("application/json", huge.into_bytes())).await;
    assert_eq!(
        (too_large.status.as_u16(), too_large.body["error"]["code"].as_str()),
        (413, Some("too_large"))
    );
    let not_object = app.post("pm", "/api/v1/cases", json!([1, 2])).await;
    assert_eq!(not_object.status, 422);
}

async fn an_unknown_route_answers_404_in_json(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let res = app.get("pm", "/api/v1/nothing-here").await;
    assert_eq!(
        (res.status.as_u16(), res.body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
}

crate::on_both_backends!(
    a_step_out_of_order_gets_409_naming_what_must_come_first,
    an_invalid_field_gets_422_naming_the_field,
    a_malformed_agency_is_refused_and_one_outside_the_directory_accepted,
    a_stale_expected_version_gets_409_version_conflict,
    a_body_that_is_not_json_gets_400_415_or_413,
    an_unknown_route_answers_404_in_json,
);
