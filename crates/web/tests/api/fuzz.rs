//! Property tests through the router, on both backends: arbitrary JSON bodies to the
//! case and event routes, and arbitrary multipart uploads to a return link, are each
//! answered with a 2xx or a 4xx in docs/api.md's format, never a 5xx.

use axum::body::Body;
use axum::http::Request;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

use crate::returns::case_with_requests;
use crate::support::{TestApp, call};

fn hostile_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,30}",
        Just("\u{0}".to_owned()),
        Just("0001-01-01".to_owned()),
        Just("+262142-12-31".to_owned()),
        Just("9999-12-31".to_owned()),
        Just("-2147483648".to_owned()),
        Just("=HYPERLINK(\"x\")".to_owned()),
        Just("2026-12-21".to_owned()),
    ]
}

fn hostile_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        hostile_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 40, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop::sample::select(vec![
                    "type",
                    "on",
                    "route",
                    "aware_on",
                    "reported_on",
                    "referring_agency",
                    "incident",
                    "children",
                    "kind",
                    "occurred_on",
                    "summary",
                    "initials",
                    "sex",
                    "age_years",
                    "outcome",
                    "rationale",
                    "agencies",
                    "new_due",
                    "step",
                    "reason",
                    "expected_version",
                    "entries",
                    "date",
                    "what_happened",
                ]),
                inner,
                0..7,
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    })
}

async fn any_json_body_is_answered_without_a_5xx(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let handle = tokio::runtime::Handle::current();
    let mut runner = runner();
    let result = tokio::task::block_in_place(|| {
        runner.run(&hostile_json(), |body| {
            for path in ["/api/v1/cases".to_owned(), format!("/api/v1/cases/{case}/events")] {
                let res = handle.block_on(app.post("pm", &path, body.clone()));
                prop_assert!(res.status.as_u16() < 500, "{path} {body}: {} {}", res.status, res.body);
                if res.status.is_client_error() {
                    prop_assert!(res.body["error"]["code"].is_string(), "{}", res.body);
                }
            }
            Ok(())
        })
    });
    result.unwrap();
}

async fn any_multipart_upload_is_answered_without_a_5xx(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (_, school, _) = case_with_requests(&app).await;
    let handle = tokio::runtime::Handle::current();
    let mut runner = runner();
    let strategy = (
        proptest::collection::vec(any::<u8>(), 0..600),
        prop::sample::select(vec!["file", "other", ""]),
        prop::sample::select(vec!["boundary", "b", "\"quoted\"", ""]),
        any::<bool>(),
    );
    let result = tokio::task::block_in_place(|| {
        runner.run(&strategy, |(content, field, boundary, close)| {
            let mut body =
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"x.csv\"\r\n\r\n")
                    .into_bytes();
            body.extend(&content);
            if close {
                body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
            }
            let req = Request::post(format!("/api/v1/returns/{school}/chronology"))
                .header("content-type", format!("multipart/form-data; boundary={boundary}"))
                .body(Body::from(body))
                .unwrap();
            let res = handle.block_on(call(app.router(), req));
            prop_assert!(res.status.as_u16() < 500, "{} {}", res.status, res.body);
            prop_assert!(
                res.body["error"]["code"].is_string() || res.status.is_success(),
                "{}",
                res.body
            );
            Ok(())
        })
    });
    result.unwrap();
}

crate::on_both_backends!(
    any_json_body_is_answered_without_a_5xx,
    any_multipart_upload_is_answered_without_a_5xx,
);
