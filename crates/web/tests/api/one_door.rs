//! One door for every change (issue 21): a step recorded through the API folds its
//! case once, however many parts of the service look at it (the process check, the
//! side effects, the snapshot, the answer); opening a case folds nothing (its state is
//! the empty one with the report applied). Counted with `domain`'s `count-folds`
//! feature, on a runtime of one thread so that nothing else is counted.

use serde_json::json;

use crate::support::TestApp;

#[tokio::test(flavor = "current_thread")]
async fn a_step_recorded_through_the_api_folds_its_case_once() {
    let app = TestApp::new(store::Backend::Sqlite, "2026-12-23").await;
    let opening = domain::process::folds_on_this_thread();
    let case = app.open_case("children_services", "2026-12-21").await;
    assert_eq!(
        domain::process::folds_on_this_thread() - opening,
        0,
        "a new case has no history to fold"
    );
    let before = domain::process::folds_on_this_thread();
    let res = app
        .post(
            "la",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "Synthetic."}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.body["case"]["path"], "serious_harm", "{}", res.body);
    assert_eq!(domain::process::folds_on_this_thread() - before, 1);
}
