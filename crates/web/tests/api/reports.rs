//! Reports through the API on both backends: three cases either side of Christmas 2026
//! with hand-counted figures, the one-row-per-case export read back, learning themes,
//! and ethnicity as census codes (free text mapped once).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::{Value, json};

use crate::returns::bytes;
use crate::support::{TestApp, incident};

/// Opens a Children's Services case known on `aware` and records `steps` as the LA.
async fn case(app: &TestApp, aware: &str, steps: &[Value]) -> String {
    let id = app.open_case("children_services", aware).await;
    for step in steps {
        app.record("la", &id, step.clone()).await;
    }
    id
}

fn decided(on: &str, outcome: &str) -> Value {
    json!({"type": "threshold_decided", "on": on, "outcome": outcome, "rationale": "R."})
}

/// A: decided in 1 working day, notified late (6), referral in 4. B: decided in 4,
/// notified on the due day (5), no referral. C: not met in 3. D: known in November,
/// outside the period.
async fn three_cases_and_one_outside(app: &TestApp) -> Vec<String> {
    vec![
        case(
            app,
            "2026-12-21",
            &[
                decided("2026-12-22", "met"),
                json!({"type": "referral_submitted", "on": "2026-12-29"}),
                json!({"type": "panel_notified", "on": "2026-12-31", "reference": "NP-A"}),
            ],
        )
        .await,
        case(
            app,
            "2026-12-14",
            &[
                decided("2026-12-18", "met"),
                json!({"type": "panel_notified", "on": "2026-12-21", "reference": "NP-B"}),
            ],
        )
        .await,
        case(app, "2026-12-21", &[decided("2026-12-24", "not_met")]).await,
        case(app, "2026-11-16", &[decided("2026-11-17", "met")]).await,
    ]
}

const DECEMBER: &str = "from=2026-12-01&to=2026-12-31";

fn step<'a>(report: &'a Value, step: &str) -> &'a Value {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == step)
        .unwrap()
}

async fn the_timeliness_report_counts_the_period_s_cases_exactly_across_christmas(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-15").await;
    three_cases_and_one_outside(&app).await;
    let res = app.get("pm", &format!("/api/v1/reports/timeliness?{DECEMBER}")).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let r = &res.body;
    assert_eq!(
        (r["from"].as_str(), r["to"].as_str()),
        (Some("2026-12-01"), Some("2026-12-31"))
    );
    let figures = |s: &str| {
        let v = step(r, s);
        (
            v["count"].as_u64(),
            v["on_time"].as_u64(),
            v["late"].as_u64(),
            v["open_overdue"].as_u64(),
            v["median_working_days"].as_f64(),
            v["p90_working_days"].as_f64(),
        )
    };
    assert_eq!(
        figures("threshold_decision"),
        (Some(3), Some(3), Some(0), Some(0), Some(3.0), Some(4.0))
    );
    assert_eq!(
        figures("panel_notification"),
        (Some(2), Some(1), Some(1), Some(0), Some(5.5), Some(6.0))
    );
    assert_eq!(
        figures("referral_form"),
        (Some(2), Some(1), Some(0), Some(1), Some(4.0), Some(4.0))
    );
    let totals = &r["totals"];
    assert_eq!(
        (
            totals["cases_opened"].as_u64(),
            totals["threshold_met"].as_u64(),
            totals["threshold_not_met"].as_u64()
        ),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(
        totals["recommendations"],
        json!({"lcspr": 0, "other_learning_review": 0, "no_further_review": 0})
    );
    assert_eq!(
        r["by_quarter"],
        json!([{"quarter": "2026 Q4", "step": "panel_notification", "done": 2, "on_time": 1}])
    );
    // A report read is audited.
    let audit = app.store.recent_account_audit(20).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|row| row[2] == "report_read" && row[3].contains("(3 cases)")),
        "{audit:?}"
    );
}

async fn reports_are_for_the_partnership_and_a_bad_period_is_named(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-15").await;
    for who in ["pm", "bu", "rep_health", "viewer"] {
        assert_eq!(app.get(who, "/api/v1/reports/timeliness").await.status, 200, "{who}");
    }
    for who in ["contact", "admin", "la", "chair"] {
        assert_eq!(app.get(who, "/api/v1/reports/timeliness").await.status, 403, "{who}");
    }
    let backwards = app
        .get("pm", "/api/v1/reports/timeliness?from=2027-01-01&to=2026-12-01")
        .await;
    assert_eq!(
        (backwards.status.as_u16(), backwards.body["error"]["field"].as_str()),
        (422, Some("to"))
    );
    let bad = app.get("pm", "/api/v1/reports/cases.csv?from=2026-13-01").await;
    assert_eq!(
        (bad.status.as_u16(), bad.body["error"]["field"].as_str()),
        (422, Some("from"))
    );
    // Without a period: the financial year to date (from 1 April 2026).
    assert_eq!(
        app.get("pm", "/api/v1/reports/timeliness").await.body["from"],
        "2026-04-01"
    );
}

async fn the_cases_export_has_the_header_and_a_row_per_case_in_xlsx_and_csv(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-15").await;
    three_cases_and_one_outside(&app).await;
    let (status, content_type, xlsx) =
        bytes(&app, Some("viewer"), &format!("/api/v1/reports/cases.xlsx?{DECEMBER}")).await;
    assert_eq!(status, 200);
    assert!(content_type.contains("spreadsheetml"));
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range("Cases").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let header = &rows[0];
    assert_eq!(rows.len(), 4, "the header and three cases");
    let cell = |row: &Vec<String>, name: &str| row[header.iter().position(|h| h == name).unwrap()].clone();
    let by_reference: Vec<(String, String, String, String)> = rows[1..]
        .iter()
        .map(|r| {
            (
                cell(r, "aware_on"),
                cell(r, "threshold_outcome"),
                cell(r, "panel_notification_working_days"),
                cell(r, "child_1_age_band"),
            )
        })
        .collect();
    assert_eq!(
        by_reference,
        [
            ("2026-12-21".into(), "met".into(), "6".into(), "6_to_10".into()),
            ("2026-12-14".into(), "met".into(), "5".into(), "6_to_10".into()),
            ("2026-12-21".into(), "not_met".into(), "".into(), "6_to_10".into()),
        ]
    );
    assert_eq!(cell(&rows[1], "child_1_sex"), "female");
    let (status, content_type, csv) = bytes(&app, Some("pm"), &format!("/api/v1/reports/cases.csv?{DECEMBER}")).await;
    assert_eq!((status, content_type.as_str()), (200, "text/csv; charset=utf-8"));
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 4);
    assert!(csv.starts_with("reference,route,incident_kind,"));
    assert!(!csv.contains("Synthetic test incident"), "no summary in the export");
}

async fn themes_are_kept_by_the_manager_set_on_a_case_and_counted(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-15").await;
    let ids = three_cases_and_one_outside(&app).await;
    let list = app.get("bu", "/api/v1/themes").await.body;
    assert!(list["themes"].as_array().unwrap().iter().any(|t| t == "Neglect"));
    assert_eq!(
        app.post("bu", "/api/v1/themes", json!({"name": "Housing"}))
            .await
            .status,
        403
    );
    assert_eq!(
        app.post("pm", "/api/v1/themes", json!({"name": "Housing"}))
            .await
            .status,
        201
    );
    let again = app.post("pm", "/api/v1/themes", json!({"name": "Housing"})).await;
    assert_eq!(
        (again.status.as_u16(), again.body["error"]["field"].as_str()),
        (422, Some("name"))
    );
    let set = |who: &'static str, id: &str, themes: Value| {
        let path = format!("/api/v1/cases/{id}/themes");
        let app = &app;
        async move {
            app.send(Some(who), "PUT", &path, Some(json!({ "themes": themes })))
                .await
        }
    };
    let res = set("bu", &ids[0], json!(["Neglect", "Housing"])).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["themes"], json!(["Housing", "Neglect"]));
    assert_eq!(set("bu", &ids[1], json!(["Neglect"])).await.status, 200);
    let unknown = set("pm", &ids[2], json!(["Not a theme"])).await;
    assert_eq!(
        (unknown.status.as_u16(), unknown.body["error"]["field"].as_str()),
        (422, Some("themes"))
    );
    assert_eq!(set("viewer", &ids[2], json!([])).await.status, 403);
    let report = app
        .get("pm", &format!("/api/v1/reports/timeliness?{DECEMBER}"))
        .await
        .body;
    assert_eq!(report["totals"]["themes"], json!({"Neglect": 2, "Housing": 1}));
}

async fn ethnicity_is_a_census_code_and_free_text_recorded_before_is_mapped(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-15").await;
    let mut body = incident("children_services", "2026-12-21");
    body["children"][0]["ethnicity"] = json!("White British");
    let refused = app.post("pm", "/api/v1/cases", body.clone()).await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.body["error"]["field"], "children[0].ethnicity");
    body["children"][0]["ethnicity"] = json!("WBRI");
    let made = app.post("pm", "/api/v1/cases", body).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let id = made.body["id"].as_str().unwrap().to_owned();
    // Free text as an older version stored it; the next start maps it once.
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url())
        .await
        .unwrap();
    let legacy = r#"{"route":"children_services","reported_on":"2026-12-21","aware_on":"2026-12-21","referring_agency":"northfield-primary","incident":{"kind":"serious_harm","occurred_on":"2026-12-21","summary":"S."},"children":[{"initials":"AB","sex":"female","ethnicity":"Kurdish"}]}"#;
    sqlx::query("UPDATE events SET payload = $1 WHERE case_id = $2 AND version = 1")
        .bind(legacy)
        .bind(&id)
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("DELETE FROM settings WHERE key = 'ethnicity_is_a_census_code'")
        .execute(&mut conn)
        .await
        .unwrap();
    let store = app.database.open().await;
    let record = store.case(&id).await.unwrap().unwrap();
    let child = &record.events[0].payload.fields()["children"][0];
    assert_eq!(
        (child["ethnicity"].as_str(), child["ethnicity_other"].as_str()),
        (Some("OOTH"), Some("Kurdish"))
    );
}

mod pages {
    //! `/reports`, `/reports/themes` and a case's themes, in process with a session.

    use super::*;

    fn html(res: &crate::support::Response) -> &str {
        res.body.as_str().unwrap_or("")
    }

    pub(super) async fn the_reports_page_shows_figures_charts_with_titles_and_a_print_view(backend: store::Backend) {
        let app = TestApp::new(backend, "2027-01-15").await;
        three_cases_and_one_outside(&app).await;
        let pm = app.browser("pm").await;
        let page = app
            .page(
                Some(&pm),
                "/reports?from-day=1&from-month=12&from-year=2026&to-day=31&to-month=12&to-year=2026",
            )
            .await;
        assert_eq!(page.status, 200);
        let text = html(&page);
        assert!(
            text.contains("Rapid Reviews: 1 December 2026 to 31 December 2026"),
            "{text}"
        );
        assert!(text.contains("How timely each step was"));
        assert!(text.contains("5.5 working days"), "the notification's median");
        assert!(text.contains("role=\"img\"") && text.contains("<title id=\"notification-by-quarter-title\">"));
        assert!(
            text.contains(">50% (1 of 2)<"),
            "the table beside the chart holds its figures"
        );
        assert!(
            text.contains("/api/v1/reports/cases.xlsx?from=2026-12-01&#38;to=2026-12-31"),
            "{text}"
        );
        let print = app
            .page(Some(&pm), "/reports?from=2026-12-01&to=2026-12-31&print=1")
            .await;
        assert_eq!(print.status, 200);
        assert!(html(&print).contains("OFFICIAL-SENSITIVE") && !html(&print).contains("Sign out"));
        assert!(html(&print).contains("1 December 2026 to 31 December 2026"));
        let bad = app
            .page(Some(&pm), "/reports?from-day=31&from-month=2&from-year=2026")
            .await;
        assert_eq!(bad.status, 422);
        assert!(html(&bad).contains("href=\"#from-day\""), "{}", html(&bad));
        let contact = app.browser("contact").await;
        assert_eq!(app.page(Some(&contact), "/reports").await.status, 403);
    }

    pub(super) async fn the_manager_adds_a_theme_and_the_business_unit_sets_a_case_s(backend: store::Backend) {
        let app = TestApp::new(backend, "2027-01-15").await;
        let ids = three_cases_and_one_outside(&app).await;
        let pm = app.browser("pm").await;
        let added = app
            .submit(
                Some(&pm),
                "/reports/themes",
                &format!("csrf={}&name=Housing+%26+homelessness", pm.csrf),
            )
            .await;
        assert_eq!(added.status, 303);
        let list = app.page(Some(&pm), "/reports/themes").await;
        assert!(
            html(&list).contains("Housing &amp; homelessness") || html(&list).contains("Housing &#38; homelessness")
        );
        let empty = app
            .submit(Some(&pm), "/reports/themes", &format!("csrf={}&name=", pm.csrf))
            .await;
        assert_eq!(empty.status, 422);
        let bu = app.browser("bu").await;
        let set = app
            .submit(
                Some(&bu),
                &format!("/cases/{}/themes", ids[0]),
                &format!("csrf={}&themes=Neglect", bu.csrf),
            )
            .await;
        assert_eq!(set.status, 303);
        let case = app.page(Some(&bu), &format!("/cases/{}?themes=saved", ids[0])).await;
        assert!(html(&case).contains("The case's themes are saved."));
        assert!(html(&case).contains("value=\"Neglect\" checked"), "{}", html(&case));
        let viewer = app.browser("viewer").await;
        let refused = app
            .submit(
                Some(&viewer),
                &format!("/cases/{}/themes", ids[0]),
                &format!("csrf={}", viewer.csrf),
            )
            .await;
        assert_eq!(refused.status, 403);
    }
}

async fn the_reports_page_shows_figures_charts_with_titles_and_a_print_view(backend: store::Backend) {
    pages::the_reports_page_shows_figures_charts_with_titles_and_a_print_view(backend).await;
}

async fn the_manager_adds_a_theme_and_the_business_unit_sets_a_case_s(backend: store::Backend) {
    pages::the_manager_adds_a_theme_and_the_business_unit_sets_a_case_s(backend).await;
}

crate::on_both_backends!(
    the_timeliness_report_counts_the_period_s_cases_exactly_across_christmas,
    reports_are_for_the_partnership_and_a_bad_period_is_named,
    the_cases_export_has_the_header_and_a_row_per_case_in_xlsx_and_csv,
    themes_are_kept_by_the_manager_set_on_a_case_and_counted,
    ethnicity_is_a_census_code_and_free_text_recorded_before_is_mapped,
    the_reports_page_shows_figures_charts_with_titles_and_a_print_view,
    the_manager_adds_a_theme_and_the_business_unit_sets_a_case_s,
);
