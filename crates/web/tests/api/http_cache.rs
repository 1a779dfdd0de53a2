//! Case reads at the speed of bytes: an `ETag` on every case read, a 304 without the
//! body when the client's copy is current (audited as a read all the same), and gzip
//! for the answers worth it when the client accepts it.

use axum::body::Body;
use axum::http::{Request, header};

use http_body_util::BodyExt;
use tower::ServiceExt;

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

/// An instance keeps rendered case reads, but checks each against the database first:
/// a draft chronology entry, a reissued link and a submitted return, all made through
/// another instance, each show on the next read.
async fn a_kept_copy_of_a_case_read_never_hides_a_change_made_through_another_instance(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (case, school, _) = crate::returns::case_with_requests(&app).await;
    let reader = app.other_instance().await;
    let read = || {
        let req = Request::get(format!("/api/v1/cases/{case}"))
            .header("authorization", format!("Bearer {}", app.token("bu")))
            .body(Body::empty())
            .unwrap();
        let reader = reader.clone();
        async move { call(reader, req).await.body }
    };
    let school_request = |case: &serde_json::Value| {
        case["agency_requests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["agency"] == "northfield-primary")
            .unwrap()
            .clone()
    };
    let first = read().await;
    assert_eq!(read().await, first, "an unchanged case reads the same");
    assert_eq!(school_request(&first)["status"], "requested");

    let entry = serde_json::json!({"entries": [{"date": "2026-11-02", "what_happened": "A synthetic contact"}]});
    let added = app
        .send(
            None,
            "POST",
            &format!("/api/v1/returns/{school}/chronology"),
            Some(entry),
        )
        .await;
    assert_eq!(added.status, 201);
    let drafted = read().await;
    assert_eq!(drafted["version"], first["version"], "a draft is not a step");
    assert_ne!(
        school_request(&drafted)["status"],
        "requested",
        "{}",
        school_request(&drafted)
    );

    let reissued = app
        .post(
            "bu",
            &format!("/api/v1/cases/{case}/requests/northfield-primary/reissue"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(reissued.status, 200);
    let relinked = read().await;
    assert_eq!(school_request(&relinked)["return_link"], reissued.body["return_link"]);
    assert_ne!(
        school_request(&relinked)["return_link"],
        school_request(&drafted)["return_link"]
    );

    let fresh = crate::returns::link_token(&reissued.body["return_link"]);
    let scoping = serde_json::json!({"involvement": "Pupil since 2024.", "involvement_from": "2024-09-04"});
    app.send(None, "PUT", &format!("/api/v1/returns/{fresh}/scoping"), Some(scoping))
        .await;
    let submitted = app
        .send(None, "POST", &format!("/api/v1/returns/{fresh}/submit"), None)
        .await;
    assert_eq!(submitted.status, 201, "{}", submitted.body);
    let returned = read().await;
    assert_ne!(returned["version"], first["version"]);
    assert_eq!(school_request(&returned)["received_on"], "2027-01-04");
}

/// The hottest reads learn their case's stamp in the same statement as the token's
/// user: the stamp is the case's own, and a case that does not exist has none (a 404),
/// while the token still names its user.
async fn the_token_look_up_reads_the_stamp_of_the_case_the_request_reads(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let now = chrono::Utc::now();
    let (user, stamp) = app
        .store
        .user_for_token_reading(app.token("pm"), now, Some(&case))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.email, "pm@example.org");
    assert_eq!(stamp, app.store.case_stamp(&case).await.unwrap());
    assert!(stamp.is_some());
    let (_, none) = app
        .store
        .user_for_token_reading(app.token("pm"), now, Some("00000000-0000-0000-0000-000000000000"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(none, None);
    let missing = app
        .get("pm", "/api/v1/cases/00000000-0000-0000-0000-000000000000")
        .await;
    assert_eq!(missing.status, 404);
    assert!(
        app.store
            .user_for_token_reading("not-a-token", now, Some(&case))
            .await
            .unwrap()
            .is_none()
    );
}

async fn pages_and_json_are_compressed_when_the_client_accepts_it(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let accepting = |path: String, encodings: &str| {
        Request::get(path)
            .header("authorization", format!("Bearer {}", app.token("pm")))
            .header(header::ACCEPT_ENCODING, encodings)
            .body(Body::empty())
            .unwrap()
    };
    let gzipped = |path: String| accepting(path, "gzip");
    let browser = call(
        app.router.clone(),
        accepting(format!("/api/v1/cases/{case}"), "gzip, deflate, br, zstd"),
    )
    .await;
    assert_eq!(browser.headers[header::CONTENT_ENCODING], "br", "brotli before gzip");
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

/// The Case JSON is compressed once per change and kept: each client gets the coding it
/// takes best, and the same bytes as the plain answer once decoded.
async fn the_case_json_comes_in_the_coding_the_client_takes_and_decodes_to_the_same_bytes(backend: store::Backend) {
    use std::io::Read;
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let read = |encodings: &'static str| {
        let req = Request::get(format!("/api/v1/cases/{case}"))
            .header("authorization", format!("Bearer {}", app.token("pm")))
            .header(header::ACCEPT_ENCODING, encodings)
            .body(Body::empty())
            .unwrap();
        let router = app.router.clone();
        async move {
            let res = router.oneshot(req).await.unwrap();
            let coding = res
                .headers()
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap().to_owned());
            assert_eq!(res.headers()[header::VARY], "accept-encoding");
            let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
            (coding, bytes)
        }
    };
    let (none, plain) = read("identity").await;
    assert_eq!(none, None);
    let (coding, gzip) = read("gzip").await;
    assert_eq!(coding.as_deref(), Some("gzip"));
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&gzip[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain);
    for _ in 0..2 {
        let (coding, br) = read("gzip, deflate, br, zstd").await;
        assert_eq!(coding.as_deref(), Some("br"));
        let mut decoded = Vec::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, plain);
    }
    let (coding, refused) = read("gzip;q=0, br;q=0").await;
    assert_eq!((coding, refused), (None, plain));
    // Each coding is a representation of its own, with a tag of its own.
    let revalidate = |encodings: &'static str, tag: Option<String>| {
        let mut req = Request::get(format!("/api/v1/cases/{case}"))
            .header("authorization", format!("Bearer {}", app.token("pm")))
            .header(header::ACCEPT_ENCODING, encodings);
        if let Some(tag) = tag {
            req = req.header(header::IF_NONE_MATCH, tag);
        }
        call(app.router.clone(), req.body(Body::empty()).unwrap())
    };
    let tag_of = |res: &crate::support::Response| res.headers[header::ETAG].to_str().unwrap().to_owned();
    let plain_tag = tag_of(&revalidate("identity", None).await);
    let br_tag = tag_of(&revalidate("br", None).await);
    assert!(
        br_tag.ends_with("-br\"") && br_tag.starts_with(plain_tag.trim_end_matches('"')),
        "{br_tag}"
    );
    assert_eq!(revalidate("br", Some(br_tag.clone())).await.status, 304);
    assert_eq!(
        revalidate("identity", Some(br_tag)).await.status,
        200,
        "another representation"
    );
    assert_eq!(revalidate("br", Some(plain_tag.clone())).await.status, 200);
    assert_eq!(revalidate("identity", Some(plain_tag)).await.status, 304);
}

crate::on_both_backends!(
    the_case_json_comes_in_the_coding_the_client_takes_and_decodes_to_the_same_bytes,
    the_token_look_up_reads_the_stamp_of_the_case_the_request_reads,
    a_kept_copy_of_a_case_read_never_hides_a_change_made_through_another_instance,
    a_case_read_again_with_its_etag_is_a_304_and_still_audited,
    pages_and_json_are_compressed_when_the_client_accepts_it,
);
