//! A return link's limits (the integrity issue, "one return link, 600 MB" and the small
//! ones): the chronology route takes at most 1 MB of JSON, an entry's text is bounded,
//! a return holds at most 5 MB of text in all, and a link the Business Unit went ahead
//! without is read-only.

use serde_json::{Value, json};

use crate::returns::case_with_requests;
use crate::support::TestApp;

fn entries(count: usize, chars: usize) -> Value {
    let entry = json!({"date": "2026-11-02", "what_happened": "x".repeat(chars)});
    json!({"entries": vec![entry; count]})
}

async fn the_chronology_route_takes_at_most_1_mb_of_json(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let (_, school, _) = case_with_requests(&app).await;
    let path = format!("/api/v1/returns/{school}/chronology");
    let big = app.send(None, "POST", &path, Some(entries(300, 4_000))).await;
    assert_eq!(big.status, 413, "{}", big.body);
    assert_eq!(big.body["error"]["code"], "too_large");
    assert!(big.body["error"]["message"].as_str().unwrap().contains("1048576"));
    let fits = app.send(None, "POST", &path, Some(entries(200, 4_000))).await;
    assert_eq!(fits.status, 201, "{}", fits.body);
}

async fn an_entry_s_text_is_bounded_and_named(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let (_, school, _) = case_with_requests(&app).await;
    let path = format!("/api/v1/returns/{school}/chronology");
    let long = app.send(None, "POST", &path, Some(entries(1, 4_001))).await;
    assert_eq!(long.status, 422, "{}", long.body);
    let row = &long.body["error"]["rows"][0];
    assert_eq!(row["field"], "what_happened");
    assert!(row["message"].as_str().unwrap().contains("4000 characters"));
    let who = json!({"entries": [{"date": "2026-11-02", "what_happened": "Seen", "who": "w".repeat(501)}]});
    let long_who = app.send(None, "POST", &path, Some(who)).await;
    assert_eq!(long_who.body["error"]["rows"][0]["field"], "who", "{}", long_who.body);
}

async fn a_return_holds_at_most_5_mb_of_text_and_says_so(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let (_, school, _) = case_with_requests(&app).await;
    let path = format!("/api/v1/returns/{school}/chronology");
    let mut added = 0;
    let refused = loop {
        let res = app.send(None, "POST", &path, Some(entries(240, 4_000))).await;
        if res.status != 201 {
            break res;
        }
        added += 240;
        assert!(added < 2_000, "never refused");
    };
    assert_eq!(added, 1_200, "5 MB holds 1,310 entries of 4,000 bytes");
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.body["error"]["field"], "entries");
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at most 5 MB")
    );
    let rest = app.send(None, "POST", &path, Some(entries(110, 4_000))).await;
    assert_eq!(rest.status, 201, "up to the limit: {}", rest.body);
}

/// Integrity row "after proceed-without the link still saves and submits".
async fn a_link_the_business_unit_went_ahead_without_is_read_only(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let (case, _, police) = case_with_requests(&app).await;
    let decided = app
        .post(
            "bu",
            &format!("/api/v1/cases/{case}/requests/county-police/proceed-without"),
            json!({}),
        )
        .await;
    assert_eq!(decided.status, 200, "{}", decided.body);
    let add = app
        .send(
            None,
            "POST",
            &format!("/api/v1/returns/{police}/chronology"),
            Some(entries(1, 10)),
        )
        .await;
    assert_eq!(add.status, 409, "{}", add.body);
    assert!(
        add.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("went ahead without")
    );
    let submit = app
        .send(None, "POST", &format!("/api/v1/returns/{police}/submit"), None)
        .await;
    assert_eq!(submit.status, 409, "{}", submit.body);
    let scoping = app
        .send(
            None,
            "PUT",
            &format!("/api/v1/returns/{police}/scoping"),
            Some(json!({})),
        )
        .await;
    assert_eq!(scoping.status, 409, "{}", scoping.body);
}

crate::on_both_backends!(
    the_chronology_route_takes_at_most_1_mb_of_json,
    an_entry_s_text_is_bounded_and_named,
    a_return_holds_at_most_5_mb_of_text_and_says_so,
    a_link_the_business_unit_went_ahead_without_is_read_only,
);
