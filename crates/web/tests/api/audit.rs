//! Every read and write of case data leaves an audit row; the chain verifies, and a
//! row edited by hand breaks it at that row.

use serde_json::json;
use sqlx::Connection;

use crate::support::TestApp;

async fn every_read_and_write_of_a_case_is_audited(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    app.get("chair", &format!("/api/v1/cases/{case}")).await;
    app.post(
        "bu",
        &format!("/api/v1/cases/{case}/events"),
        json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "x"}),
    )
    .await;
    app.get("contact", &format!("/api/v1/cases/{case}")).await;
    let rows = app.store.audit_rows_for_case(&case).await.unwrap();
    let expected = [
        ("pm@example.org", "POST /api/v1/cases", "201"),
        ("chair@example.org", "GET /api/v1/cases/{id}", "200"),
        ("bu@example.org", "POST /api/v1/cases/{id}/events", "403"),
        ("contact@example.org", "GET /api/v1/cases/{id}", "404"),
    ];
    let rows: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(rows, expected);
}

async fn the_audit_chain_verifies_and_catches_a_row_edited_by_hand(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    for _ in 0..3 {
        app.get("pm", &format!("/api/v1/cases/{case}")).await;
    }
    let report = app.store.verify_audit_chain().await.unwrap();
    assert_eq!((report.rows, report.first_broken.clone()), (4, None));
    let mut conn = sqlx::AnyConnection::connect(&app.database_url()).await.unwrap();
    sqlx::query("UPDATE audit SET outcome = '404' WHERE seq = 3")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let report = app.store.verify_audit_chain().await.unwrap();
    assert_eq!(report.first_broken.map(|(seq, _)| seq), Some(3));
    assert_eq!(report.rows, 2);
}

crate::on_both_backends!(
    every_read_and_write_of_a_case_is_audited,
    the_audit_chain_verifies_and_catches_a_row_edited_by_hand,
);
