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

/// Two instances on one database: a holiday added through one moves the deadline that
/// the other shows, once the other's watcher (polling every 100 ms here, 500 ms in
/// `serve`) sees the settings version move; bounded at 2 seconds.
async fn a_holiday_added_on_one_instance_moves_deadlines_on_another_within_a_second(backend: store::Backend) {
    let app = crate::support::TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let clock = web::Clock {
        now: chrono::Utc::now,
        frozen_today: Some("2026-12-31".parse().unwrap()),
    };
    let other = web::AppState::load(app.store.clone(), clock).await.unwrap();
    let _watcher = other.watch_settings(std::time::Duration::from_millis(100));
    let other_router = web::router(other);
    let read = |router: axum::Router| {
        let req = axum::http::Request::get(format!("/api/v1/cases/{case}"))
            .header("authorization", format!("Bearer {}", app.token("pm")))
            .body(axum::body::Body::empty())
            .unwrap();
        async move { crate::support::call(router, req).await.body }
    };
    let due = |case: &serde_json::Value| crate::support::deadline(case, "threshold_decision")["due"].clone();
    let before = due(&read(other_router.clone()).await);
    assert_eq!(before, "2026-12-30");
    // The first instance's administrator adds a holiday (as its admin page does).
    let o = domain::calendar::Override::holiday("2026-12-29".parse().unwrap(), "Snow closure");
    app.store
        .add_calendar_overrides(
            &[o],
            &crate::support::setup(chrono::Utc::now(), "calendar_override_added"),
        )
        .await
        .unwrap();
    let mut moved = false;
    for _ in 0..20 {
        if due(&read(other_router.clone()).await) == "2026-12-31" {
            moved = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(moved, "the other instance still shows {before}");
}

/// The agency directory and the themes list are kept with the calendar and rules: an
/// agency added on one instance is named on another within a second, and a theme added
/// on an instance is offered on its case pages at once.
async fn agencies_and_themes_added_show_on_every_instance(backend: store::Backend) {
    let app = crate::support::TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let clock = web::Clock {
        now: chrono::Utc::now,
        frozen_today: Some("2026-12-31".parse().unwrap()),
    };
    let other = web::AppState::load(app.database.open().await, clock).await.unwrap();
    let _watcher = other.watch_settings(std::time::Duration::from_millis(100));
    let agency = store::NewAgency::new("youth-justice", "Youth Justice Service", "youth justice", None).unwrap();
    app.store
        .add_agency(&agency, &crate::support::setup(chrono::Utc::now(), "agency_added"))
        .await
        .unwrap();
    let mut named = false;
    for _ in 0..20 {
        if other
            .settings()
            .agencies
            .iter()
            .any(|(_, name)| name == "Youth Justice Service")
        {
            named = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(named, "the other instance does not know the new agency");

    let pm = app.browser("pm").await;
    let before = app.page(Some(&pm), &format!("/cases/{case}")).await;
    assert!(!before.body.as_str().unwrap().contains("Housing"));
    let added = app
        .post("pm", "/api/v1/themes", serde_json::json!({"name": "Housing"}))
        .await;
    assert_eq!(added.status, 201, "{}", added.body);
    let after = app.page(Some(&pm), &format!("/cases/{case}")).await;
    assert!(
        after.body.as_str().unwrap().contains("Housing"),
        "the new theme is offered at once"
    );
}

crate::on_both_backends!(
    agencies_and_themes_added_show_on_every_instance,
    working_days_explain_every_skipped_day,
    holidays_list_each_day_with_its_source,
    a_holiday_added_on_one_instance_moves_deadlines_on_another_within_a_second,
);
