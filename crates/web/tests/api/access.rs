//! Who may see and do what: 401 without credentials, 403 for the wrong role, 404 for
//! unknown cases, and agency contacts see no case at all.

use serde_json::json;

use crate::support::TestApp;

async fn a_missing_or_bad_token_gets_401(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let res = app.send(None, "GET", "/api/v1/cases", None).await;
    assert_eq!(
        (res.status.as_u16(), res.body["error"]["code"].as_str()),
        (401, Some("unauthenticated"))
    );
    let mut app = app;
    app.tokens.insert("forged", "rr_0000".into());
    let res = app.get("forged", "/api/v1/cases").await;
    assert_eq!(res.status, 401);
    let res = app.send(None, "GET", "/api/v1/calendar/holidays?year=2027", None).await;
    assert_eq!(res.status, 401);
}

async fn an_unknown_case_gets_404(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let res = app
        .get("pm", "/api/v1/cases/00000000-0000-0000-0000-000000000000")
        .await;
    assert_eq!(
        (res.status.as_u16(), res.body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let res = app
        .post(
            "chair",
            "/api/v1/cases/nope/events",
            json!({"type": "decision_fed_back", "on": "2026-12-22"}),
        )
        .await;
    assert_eq!(res.status, 404, "an unknown case is unknown whatever the role");
    let res = app
        .post(
            "la",
            "/api/v1/cases/nope/events",
            json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "x"}),
        )
        .await;
    assert_eq!(res.status, 404);
}

async fn a_role_that_may_not_record_an_event_gets_403(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let res = app
        .post(
            "bu",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "x"}),
        )
        .await;
    assert_eq!(
        (res.status.as_u16(), res.body["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    let res = app
        .post(
            "chair",
            "/api/v1/cases",
            crate::support::incident("children_services", "2026-12-21"),
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(app.store.event_count(&case).await.unwrap(), 1);
}

async fn an_agency_contact_can_read_no_case_at_all(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    assert_eq!(app.get("contact", "/api/v1/cases").await.status, 403);
    assert_eq!(app.get("contact", &format!("/api/v1/cases/{case}")).await.status, 404);
    assert_eq!(
        app.get("contact", &format!("/api/v1/cases/{case}/chronology"))
            .await
            .status,
        404
    );
    let res = app
        .post(
            "contact",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "pack_shared", "on": "2026-12-22"}),
        )
        .await;
    assert_eq!(res.status, 404);
    for who in ["viewer", "admin"] {
        assert_eq!(app.get(who, &format!("/api/v1/cases/{case}")).await.status, 403);
    }
}

async fn only_the_manager_and_business_unit_see_return_links(backend: store::Backend) {
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
    app.record(
        "bu",
        &case,
        json!({"type": "agency_requests_sent", "on": "2026-12-23", "agencies": ["county-police"]}),
    )
    .await;
    let for_bu = app.get("bu", &format!("/api/v1/cases/{case}")).await.body;
    assert!(
        for_bu["agency_requests"][0]
            .as_object()
            .unwrap()
            .contains_key("return_link")
    );
    let for_chair = app.get("chair", &format!("/api/v1/cases/{case}")).await.body;
    assert!(
        !for_chair["agency_requests"][0]
            .as_object()
            .unwrap()
            .contains_key("return_link")
    );
    assert_eq!(for_chair["agency_requests"][0]["due"], "2027-01-04");
}

crate::on_both_backends!(
    a_missing_or_bad_token_gets_401,
    an_unknown_case_gets_404,
    a_role_that_may_not_record_an_event_gets_403,
    an_agency_contact_can_read_no_case_at_all,
    only_the_manager_and_business_unit_see_return_links,
);
