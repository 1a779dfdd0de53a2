//! The OpenAPI document describes every route of docs/api.md that exists so far.

use crate::support::TestApp;

async fn the_openapi_document_lists_every_api_route(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let res = app.send(None, "GET", "/api/v1/openapi.json", None).await;
    assert_eq!(res.status, 200);
    assert!(res.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = res.body["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/health", "get"),
        ("/api/v1/openapi.json", "get"),
        ("/api/v1/calendar/working-days", "get"),
        ("/api/v1/calendar/holidays", "get"),
        ("/api/v1/cases", "post"),
        ("/api/v1/cases", "get"),
        ("/api/v1/cases/{id}", "get"),
        ("/api/v1/cases/{id}/events", "post"),
        ("/api/v1/cases/{id}/chronology", "get"),
        ("/api/v1/returns/{token}", "get"),
        ("/api/v1/returns/{token}/scoping", "put"),
        ("/api/v1/returns/{token}/chronology", "post"),
        ("/api/v1/returns/{token}/submit", "post"),
        ("/api/v1/cases/{id}/requests", "get"),
        ("/api/v1/cases/{id}/requests/{agency}/reissue", "post"),
        ("/api/v1/cases/{id}/requests/{agency}/revoke", "post"),
        ("/api/v1/cases/{id}/requests/{agency}/proceed-without", "post"),
        ("/api/v1/cases/{id}/pack.zip", "get"),
        ("/api/v1/cases/{id}/meeting.ics", "get"),
        ("/api/v1/cases/{id}/referral.docx", "get"),
        ("/api/v1/cases/{id}/requests/{agency}/return.docx", "get"),
        ("/api/v1/templates/chronology.xlsx", "get"),
        ("/api/v1/templates/scoping.docx", "get"),
        ("/api/v1/agency-requests", "get"),
        ("/api/v1/definitions", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }
}

async fn health_answers_without_credentials(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let res = app.send(None, "GET", "/api/v1/health", None).await;
    assert_eq!((res.status.as_u16(), res.body["status"].as_str()), (200, Some("ok")));
    assert_eq!(res.body["database"], "ok");
}

async fn readyz_answers_only_with_every_migration_applied(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let ready = app.send(None, "GET", "/readyz", None).await;
    assert_eq!(
        (ready.status.as_u16(), &ready.body["ready"]),
        (200, &serde_json::json!(true))
    );
    // As if the newest migration had not run yet.
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&app.database_url()).await.unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let waiting = app.send(None, "GET", "/readyz", None).await;
    assert_eq!(
        (waiting.status.as_u16(), &waiting.body["ready"]),
        (503, &serde_json::json!(false))
    );
    assert!(
        waiting.body["reason"]
            .as_str()
            .unwrap()
            .contains("rapid-review migrate")
    );
}

crate::on_both_backends!(
    the_openapi_document_lists_every_api_route,
    health_answers_without_credentials,
    readyz_answers_only_with_every_migration_applied,
);
