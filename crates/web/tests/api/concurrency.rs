//! Fifty writers at once on one case lose no event, on either backend.

use serde_json::json;

use crate::support::TestApp;

const WRITERS: usize = 50;

async fn fifty_concurrent_writers_on_one_case_lose_no_event(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let mut tasks = Vec::new();
    for i in 0..WRITERS {
        let router = app.router();
        let token = app.token("pm").to_owned();
        let path = format!("/api/v1/cases/{case}/events");
        // Each extends the running threshold decision deadline: allowed any number of times.
        let body = json!({"type": "deadline_extended", "on": "2026-12-22", "step": "threshold_decision",
            "new_due": "2027-01-08", "reason": format!("Writer {i}")});
        tasks.push(tokio::spawn(async move {
            let req = axum::http::Request::post(path)
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body.to_string()))
                .unwrap();
            crate::support::call(router, req).await.status
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 201);
    }
    assert_eq!(app.store.event_count(&case).await.unwrap(), 1 + WRITERS as i64);
    let case = app.get("pm", &format!("/api/v1/cases/{case}")).await.body;
    let versions: Vec<u64> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["version"].as_u64().unwrap())
        .collect();
    assert_eq!(versions, (1..=(1 + WRITERS as u64)).collect::<Vec<_>>());
    assert!(app.store.verify_audit_chain().await.unwrap().first_broken.is_none());
}

async fn concurrent_writers_with_the_same_expected_version_get_one_success(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let mut tasks = Vec::new();
    for i in 0..10 {
        let router = app.router();
        let token = app.token("pm").to_owned();
        let path = format!("/api/v1/cases/{case}/events");
        let body = json!({"type": "deadline_extended", "on": "2026-12-22", "step": "threshold_decision",
            "new_due": "2027-01-08", "reason": format!("Writer {i}"), "expected_version": 1});
        tasks.push(tokio::spawn(async move {
            let req = axum::http::Request::post(path)
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body.to_string()))
                .unwrap();
            crate::support::call(router, req).await.status.as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 9, "{statuses:?}");
    assert_eq!(app.store.event_count(&case).await.unwrap(), 2);
}

crate::on_both_backends!(
    fifty_concurrent_writers_on_one_case_lose_no_event,
    concurrent_writers_with_the_same_expected_version_get_one_success,
);
