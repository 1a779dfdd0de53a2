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

/// The rows the harness wrote while setting up (agencies, users, tokens).
async fn setup_rows(app: &TestApp) -> i64 {
    i64::try_from(app.store.verify_audit_chain().await.unwrap().rows).unwrap()
}

/// Reads at once share commits (group commit with multi-row inserts) and the chain
/// stays one strict sequence: every read has its row, none is out of place.
async fn three_hundred_reads_at_once_share_commits_and_keep_one_unbroken_chain(backend: store::Backend) {
    const READS: usize = 300;
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let base = setup_rows(&app).await;
    let before = app.store.audit_batch_stats();
    let mut tasks = Vec::new();
    for _ in 0..READS {
        let router = app.router();
        let token = app.token("pm").to_owned();
        let path = format!("/api/v1/cases/{case}");
        tasks.push(tokio::spawn(async move {
            let req = axum::http::Request::get(path)
                .header("authorization", format!("Bearer {token}"))
                .body(axum::body::Body::empty())
                .unwrap();
            crate::support::call(router, req).await.status
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    let report = app.store.verify_audit_chain().await.unwrap();
    assert_eq!((report.rows as i64, report.first_broken), (base + READS as i64, None));
    let after = app.store.audit_batch_stats();
    assert_eq!(after.rows - before.rows, READS as u64);
    assert!(
        after.batches - before.batches < READS as u64,
        "{} commits for {READS} reads",
        after.batches - before.batches
    );
    let rows = app.store.audit_rows_for_case(&case).await.unwrap();
    assert_eq!(
        rows.iter()
            .filter(|(_, action, _)| action == "GET /api/v1/cases/{id}")
            .count(),
        READS
    );
}

async fn the_audit_chain_verifies_and_catches_a_row_edited_by_hand(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let base = setup_rows(&app).await;
    let case = app.open_case("children_services", "2026-12-21").await;
    for _ in 0..3 {
        app.get("pm", &format!("/api/v1/cases/{case}")).await;
    }
    let report = app.store.verify_audit_chain().await.unwrap();
    assert_eq!((report.rows as i64, report.first_broken.clone()), (base + 4, None));
    let mut conn = sqlx::AnyConnection::connect(&app.database_url()).await.unwrap();
    sqlx::query("UPDATE audit SET outcome = '404' WHERE seq = $1")
        .bind(base + 3)
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let report = app.store.verify_audit_chain().await.unwrap();
    assert_eq!(report.first_broken.map(|(seq, _)| seq), Some(base + 3));
    assert_eq!(report.rows as i64, base + 2);
}

/// Hardening row 7: the last 20 rows deleted are reported as removed, from the first
/// missing row on, because the anchor file outside the database still names the head.
async fn audit_verify_reports_the_last_20_rows_deleted_as_removed(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let base = setup_rows(&app).await;
    let case = app.open_case("children_services", "2026-12-21").await;
    for _ in 0..24 {
        app.get("pm", &format!("/api/v1/cases/{case}")).await;
    }
    let report = app.store.verify_audit_chain().await.unwrap();
    assert_eq!(
        (report.rows as i64, report.first_broken.clone(), report.anchored),
        (base + 25, None, true)
    );
    let mut conn = sqlx::AnyConnection::connect(&app.database_url()).await.unwrap();
    sqlx::query("DELETE FROM audit WHERE seq > $1")
        .bind(base + 5)
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let report = app.store.verify_audit_chain().await.unwrap();
    let (row, why) = report.first_broken.unwrap();
    assert_eq!(row, base + 6);
    let expected = format!("rows {} to {} were removed", base + 6, base + 25);
    assert!(why.contains(&expected), "{why}");
}

/// Hardening row 7: a row edited and every later row re-chained, as someone holding
/// only the database could (SHA-256 links, the old scheme, since the key is not in the
/// database), is reported broken at the edited row.
async fn audit_verify_names_a_row_edited_and_rechained_without_the_key(backend: store::Backend) {
    use sha2::Digest;
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    for _ in 0..5 {
        app.get("pm", &format!("/api/v1/cases/{case}")).await;
    }
    let mut conn = sqlx::AnyConnection::connect(&app.database_url()).await.unwrap();
    let base = setup_rows(&app).await - 6;
    sqlx::query("UPDATE audit SET actor = 'someone-else@example.org' WHERE seq = $1")
        .bind(base + 3)
        .execute(&mut conn)
        .await
        .unwrap();
    let mut prev: String = sqlx::query_scalar("SELECT mac FROM audit WHERE seq = $1")
        .bind(base + 2)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    for seq in base + 3..=base + 6 {
        // The store's own link text, hashed as well as anyone without the key can.
        let row: (String, Option<String>, String, Option<String>, Option<String>, String) =
            sqlx::query_as("SELECT at, actor, action, subject, case_id, outcome FROM audit WHERE seq = $1")
                .bind(seq)
                .fetch_one(&mut conn)
                .await
                .unwrap();
        let fields = [
            row.0,
            row.1.unwrap_or_default(),
            row.2,
            row.3.unwrap_or_default(),
            row.4.unwrap_or_default(),
            row.5,
            prev.clone(),
        ];
        let mut text = seq.to_string();
        for f in fields {
            text.push_str(&format!("|{}:{f}", f.len()));
        }
        let mac = hex::encode(sha2::Sha256::digest(text.as_bytes()));
        sqlx::query("UPDATE audit SET prev_mac = $1, mac = $2 WHERE seq = $3")
            .bind(&prev)
            .bind(&mac)
            .bind(seq)
            .execute(&mut conn)
            .await
            .unwrap();
        prev = mac;
    }
    conn.close().await.unwrap();
    let report = app.store.verify_audit_chain().await.unwrap();
    assert_eq!(report.first_broken.map(|(seq, _)| seq), Some(base + 3));
}

crate::on_both_backends!(
    three_hundred_reads_at_once_share_commits_and_keep_one_unbroken_chain,
    every_read_and_write_of_a_case_is_audited,
    the_audit_chain_verifies_and_catches_a_row_edited_by_hand,
    audit_verify_reports_the_last_20_rows_deleted_as_removed,
    audit_verify_names_a_row_edited_and_rechained_without_the_key,
);
