//! Case reads at the speed of bytes: an `ETag` on every case read, a 304 without the
//! body when the client's copy is current (audited as a read all the same), and gzip
//! for the answers worth it when the client accepts it.

use axum::body::Body;
use axum::http::{Request, header};

use crate::support::{TestApp, call};

async fn a_case_read_again_with_its_etag_is_a_304_and_still_audited(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let path = format!("/api/v1/cases/{case}");
    let first = app.get("pm", &path).await;
    assert_eq!(first.status, 200);
    let tag = first.headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(tag.starts_with("\"1-"), "the case version leads the tag: {tag}");
    let again = Request::get(&path)
        .header("authorization", format!("Bearer {}", app.token("pm")))
        .header(header::IF_NONE_MATCH, &tag)
        .body(Body::empty())
        .unwrap();
    let not_modified = call(app.router.clone(), again).await;
    assert_eq!(not_modified.status, 304);
    assert_eq!(not_modified.body, serde_json::Value::String(String::new()));
    // A change makes a new tag.
    app.record(
        "la",
        &case,
        serde_json::json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "x"}),
    )
    .await;
    let changed = app.get("pm", &path).await;
    assert_ne!(changed.headers[header::ETAG].to_str().unwrap(), tag);
    let reads: Vec<String> = app
        .store
        .audit_rows_for_case(&case)
        .await
        .unwrap()
        .into_iter()
        .filter(|(_, action, _)| action == "GET /api/v1/cases/{id}")
        .map(|(_, _, outcome)| outcome)
        .collect();
    assert_eq!(reads, ["200", "304", "200"]);
}

async fn pages_and_json_are_gzipped_when_the_client_accepts_it(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let gzipped = |path: String| {
        Request::get(path)
            .header("authorization", format!("Bearer {}", app.token("pm")))
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap()
    };
    let json = call(app.router.clone(), gzipped(format!("/api/v1/cases/{case}"))).await;
    assert_eq!(json.headers[header::CONTENT_ENCODING], "gzip");
    let page = call(app.router.clone(), gzipped("/sign-in".into())).await;
    assert_eq!(page.headers[header::CONTENT_ENCODING], "gzip");
    let zip = call(app.router.clone(), gzipped("/api/v1/templates/chronology.xlsx".into())).await;
    assert!(
        zip.headers.get(header::CONTENT_ENCODING).is_none(),
        "a spreadsheet is compressed already"
    );
    let plain = app.get("pm", &format!("/api/v1/cases/{case}")).await;
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
}

crate::on_both_backends!(
    a_case_read_again_with_its_etag_is_a_304_and_still_audited,
    pages_and_json_are_gzipped_when_the_client_accepts_it,
);
