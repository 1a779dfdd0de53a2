//! A retried write is not a second write (the integrity issue, "a retried write is a
//! second write"): `Idempotency-Key` on `POST /api/v1/cases` and
//! `POST /api/v1/cases/{id}/events`.

use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};
use sqlx::Connection;

use crate::support::{Response, TestApp, call, incident};

async fn post_with_key(app: &TestApp, who: &str, path: &str, key: &str, body: &Value) -> Response {
    let req = Request::post(path)
        .header("authorization", format!("Bearer {}", app.token(who)))
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(Body::from(body.to_string()))
        .unwrap();
    call(app.router(), req).await
}

async fn case_count(app: &TestApp) -> usize {
    app.get("pm", "/api/v1/cases").await.body["cases"]
        .as_array()
        .unwrap()
        .len()
}

async fn sql(app: &TestApp, statement: &str) {
    let mut conn = sqlx::AnyConnection::connect(&app.database_url()).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

async fn a_retried_case_with_the_same_key_is_answered_once_and_stored_once(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let body = incident("children_services", "2026-12-21");
    let first = post_with_key(&app, "pm", "/api/v1/cases", "4f1c9a2e-retry", &body).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let again = post_with_key(&app, "pm", "/api/v1/cases", "4f1c9a2e-retry", &body).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.body["reference"], first.body["reference"]);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.headers["location"], first.headers["location"]);
    assert_eq!(case_count(&app).await, 1);

    let other = incident("partner_agency", "2026-12-21");
    let refused = post_with_key(&app, "pm", "/api/v1/cases", "4f1c9a2e-retry", &other).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.body["error"]["field"], "Idempotency-Key");
    assert_eq!(case_count(&app).await, 1);

    // The service stopped between the write and keeping its answer: the retry is
    // answered from the case as it stands, not written again.
    sql(&app, "UPDATE idempotency_keys SET response = NULL").await;
    let after_crash = post_with_key(&app, "pm", "/api/v1/cases", "4f1c9a2e-retry", &body).await;
    assert_eq!(
        (after_crash.status.as_u16(), &after_crash.body["id"]),
        (201, &first.body["id"])
    );
    assert_eq!(case_count(&app).await, 1);

    // After 24 hours a key is new again.
    sql(
        &app,
        "UPDATE idempotency_keys SET created_at = '2000-01-01T00:00:00.000Z'",
    )
    .await;
    let later = post_with_key(&app, "pm", "/api/v1/cases", "4f1c9a2e-retry", &body).await;
    assert_eq!(later.status, 201);
    assert_ne!(later.body["id"], first.body["id"]);
    assert_eq!(case_count(&app).await, 2);
}

async fn a_retried_step_with_the_same_key_is_recorded_once(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let path = format!("/api/v1/cases/{case}/events");
    let step = json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "x"});
    let first = post_with_key(&app, "la", &path, "step-1", &step).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let again = post_with_key(&app, "la", &path, "step-1", &step).await;
    assert_eq!((again.status.as_u16(), &again.body["version"]), (201, &json!(2)));
    assert_eq!(again.body, first.body);
    assert_eq!(app.store.event_count(&case).await.unwrap(), 2);
    // Keys are each user's own: another user's same key is another request.
    let bu = post_with_key(
        &app,
        "bu",
        &path,
        "step-1",
        &json!({"type": "decision_fed_back", "on": "2026-12-23"}),
    )
    .await;
    assert_eq!(bu.status, 201, "{}", bu.body);
    assert_eq!(app.store.event_count(&case).await.unwrap(), 3);
}

async fn a_key_that_is_not_visible_ascii_is_refused_naming_the_header(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let body = incident("children_services", "2026-12-21");
    for key in ["has space", &"k".repeat(256)] {
        let res = post_with_key(&app, "pm", "/api/v1/cases", key, &body).await;
        assert_eq!(res.status, 422, "{key}: {}", res.body);
        assert_eq!(res.body["error"]["field"], "Idempotency-Key");
    }
    assert_eq!(case_count(&app).await, 0);
}

crate::on_both_backends!(
    a_retried_case_with_the_same_key_is_answered_once_and_stored_once,
    a_retried_step_with_the_same_key_is_recorded_once,
    a_key_that_is_not_visible_ascii_is_refused_naming_the_header,
);
