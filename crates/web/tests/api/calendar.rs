//! The calendar routes.

use crate::support::TestApp;

async fn working_days_explain_every_skipped_day(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let res = app
        .get("viewer", "/api/v1/calendar/working-days?from=2026-12-21&add=5")
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body["date"], "2026-12-30");
    let skipped = res.body["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 4);
    assert_eq!(
        (skipped[0]["date"].as_str(), skipped[0]["reason"].as_str()),
        (Some("2026-12-25"), Some("Christmas Day"))
    );
    let bad = app
        .get("viewer", "/api/v1/calendar/working-days?from=2026-02-30&add=5")
        .await;
    assert_eq!(
        (bad.status.as_u16(), bad.body["error"]["field"].as_str()),
        (422, Some("from"))
    );
    let missing = app.get("viewer", "/api/v1/calendar/working-days?from=2026-02-03").await;
    assert_eq!(
        (missing.status.as_u16(), missing.body["error"]["field"].as_str()),
        (422, Some("add"))
    );
}

async fn holidays_list_each_day_with_its_source(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let res = app.get("contact", "/api/v1/calendar/holidays?year=2022").await;
    assert_eq!(res.status, 200);
    let days = res.body.as_array().unwrap();
    assert_eq!(days.len(), 10);
    let funeral = days.iter().find(|d| d["date"] == "2022-09-19").unwrap();
    assert_eq!(funeral["source"], "exception");
    assert_eq!(days[0]["source"], "rule");
    let bad = app.get("contact", "/api/v1/calendar/holidays?year=twenty").await;
    assert_eq!(
        (bad.status.as_u16(), bad.body["error"]["field"].as_str()),
        (422, Some("year"))
    );
}

crate::on_both_backends!(
    working_days_explain_every_skipped_day,
    holidays_list_each_day_with_its_source
);
