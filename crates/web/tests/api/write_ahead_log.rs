//! SQLite's write-ahead log is copied into the database beside the reads, not inside
//! the commit that carries their audit rows, and it starts afresh once it is long even
//! while reads go on (see `store/src/checkpoint.rs`).

use sqlx::Connection;

use crate::support::TestApp;

/// Writes some 5 MB through a connection of its own: well past the log's restart mark.
async fn lengthen_the_log(app: &TestApp) {
    let mut conn = sqlx::AnyConnection::connect(&app.database_url()).await.unwrap();
    // This connection's own automatic checkpoint would copy the log as it goes.
    sqlx::query("PRAGMA wal_autocheckpoint = 0")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE filler (x BLOB)")
        .execute(&mut conn)
        .await
        .unwrap();
    for _ in 0..40 {
        sqlx::query("INSERT INTO filler (x) VALUES (randomblob(131072))")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    conn.close().await.unwrap();
}

async fn a_long_log_is_copied_in_full_and_started_afresh_while_audited_reads_go_on(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    if backend == store::Backend::Postgres {
        assert!(
            app.store.checkpoint_in_background().is_none(),
            "PostgreSQL keeps its own log"
        );
        return;
    }
    let case = app.open_case("children_services", "2026-12-21").await;
    lengthen_the_log(&app).await;
    // Audited reads (a write each, through the group commit) all the while.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut readers = Vec::new();
    for _ in 0..8 {
        let (router, token, stop) = (app.router(), app.token("pm").to_owned(), stop.clone());
        let path = format!("/api/v1/cases/{case}");
        readers.push(tokio::spawn(async move {
            let mut reads = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && reads < 2_000 {
                let req = axum::http::Request::get(&path)
                    .header("authorization", format!("Bearer {token}"))
                    .body(axum::body::Body::empty())
                    .unwrap();
                assert_eq!(crate::support::call(router.clone(), req).await.status, 200);
                reads += 1;
            }
            reads
        }));
    }
    let long = app.store.checkpoint_step().await.unwrap();
    assert!(long.frames >= store::checkpoint::RESTART_AT, "{long:?}");
    assert_eq!(
        long.copied, long.frames,
        "the last frames are copied in the writer's turn"
    );
    // The next commit (a read's audit row) starts the log afresh.
    let mut after = long;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        after = app.store.checkpoint_step().await.unwrap();
        if after.frames < long.frames {
            break;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut reads = 0;
    for reader in readers {
        reads += reader.await.unwrap();
    }
    assert!(
        after.frames < store::checkpoint::RESTART_AT,
        "the log restarted: {after:?} after {long:?}"
    );
    let report = app.store.verify_audit_chain().await.unwrap();
    assert_eq!(report.first_broken, None);
    assert!(reads > 0);
}

crate::on_both_backends!(a_long_log_is_copied_in_full_and_started_afresh_while_audited_reads_go_on);
