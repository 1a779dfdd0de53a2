//! The hardening issue's hostile inputs, one test for each row of its table (rows 1, 2,
//! 3, 9, 11 and 12 here; sign-in, accounts, audit and keys have modules of their own).
//! Each input is refused with a 4xx that names the field, and nothing is stored.

use std::io::Write;

use serde_json::json;

use crate::returns::{bytes, case_with_requests, multipart, send_raw};
use crate::support::TestApp;

fn xlsx_with_cell(row: u32, column: u16) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (i, h) in ["date", "time", "what_happened", "who", "source", "significance"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    sheet.write_string(row, column, "far away").unwrap();
    book.save_to_buffer().unwrap()
}

/// Row 1: a 5 KB XLSX with one cell at XFD1048576 (and one at Z300000) is a 422 that
/// names the row limit, rather than an attempt to allocate the sheet it claims.
async fn an_xlsx_with_a_cell_at_xfd1048576_is_refused_naming_the_limit(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (_, school, _) = case_with_requests(&app).await;
    for (row, column, limit) in [
        (1_048_575, 16_383, "5000"),
        (299_999, 25, "5000"),
        (1, 40, "30 columns"),
    ] {
        let file = xlsx_with_cell(row, column);
        assert!(file.len() < 10_000, "{}", file.len());
        let (content_type, body) = multipart("far.xlsx", &file);
        let res = send_raw(
            &app,
            "POST",
            &format!("/api/v1/returns/{school}/chronology"),
            &content_type,
            body,
        )
        .await;
        assert_eq!(res.status, 422, "{}", res.body);
        assert_eq!(res.body["error"]["field"], "file");
        let message = res.body["error"]["message"].as_str().unwrap();
        assert!(message.contains(limit), "{message}");
    }
    let opened = app.get_anonymous(&format!("/api/v1/returns/{school}")).await;
    assert_eq!(opened.body["draft_entries"], 0);
}

/// Row 1: a workbook that expands to 64 MB from a few hundred KB is refused before the
/// spreadsheet reader sees it.
async fn an_xlsx_that_expands_past_24_mb_is_refused(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (_, school, _) = case_with_requests(&app).await;
    let template = xlsx_with_cell(1, 0);
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(template)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..source.len() {
        out.raw_copy_file(source.by_index(i).unwrap()).unwrap();
    }
    out.start_file("xl/padding.bin", options).unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..64 {
        out.write_all(&zeros).unwrap();
    }
    let bomb = out.finish().unwrap().into_inner();
    assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
    let (content_type, body) = multipart("bomb.xlsx", &bomb);
    let res = send_raw(
        &app,
        "POST",
        &format!("/api/v1/returns/{school}/chronology"),
        &content_type,
        body,
    )
    .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body["error"]["message"].as_str().unwrap().contains("24 MB"));
}

/// Row 2: `add=-2147483648` once slipped past `abs() <= 1000`; every out-of-range or
/// unreadable number is a 422 naming `add`.
async fn working_days_refuse_add_of_minus_2147483648_naming_the_field(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    for add in [
        "-2147483648",
        "2147483647",
        "1001",
        "-1001",
        "99999999999999999999",
        "1e3",
    ] {
        let res = app
            .get(
                "pm",
                &format!("/api/v1/calendar/working-days?from=2026-01-01&add={add}"),
            )
            .await;
        assert_eq!(res.status, 422, "{add}: {}", res.body);
        assert_eq!(res.body["error"]["field"], "add");
    }
    let ok = app
        .get("pm", "/api/v1/calendar/working-days?from=2026-01-01&add=-1000")
        .await;
    assert_eq!(ok.status, 200);
}

/// Row 3: dates before 1995 or after 2100 are refused wherever they enter: a case dated
/// 0001-01-01, an extension to 9999-12-31, a year of +262142, a calendar query.
async fn dates_outside_1995_to_2100_are_refused_naming_the_field_and_range(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let mut body = crate::support::incident("children_services", "2026-12-21");
    body["aware_on"] = json!("0001-01-01");
    let res = app.post("pm", "/api/v1/cases", body).await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(res.body["error"]["field"], "aware_on");
    assert!(
        res.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1995-01-01 to 2100-12-31")
    );

    let case = app.open_case("children_services", "2026-12-21").await;
    for new_due in ["9999-12-31", "+262142-12-31", "1994-12-31"] {
        let res = app
            .post(
                "pm",
                &format!("/api/v1/cases/{case}/events"),
                json!({"type": "deadline_extended", "on": "2026-12-22", "step": "threshold_decision",
                       "new_due": new_due, "reason": "x"}),
            )
            .await;
        assert_eq!(res.status, 422, "{new_due}: {}", res.body);
        assert_eq!(res.body["error"]["field"], "new_due");
    }
    for query in ["from=0001-01-01&add=5", "from=2101-01-01&add=0"] {
        let res = app.get("pm", &format!("/api/v1/calendar/working-days?{query}")).await;
        assert_eq!(
            (res.status.as_u16(), &res.body["error"]["field"]),
            (422, &json!("from"))
        );
    }
    let res = app.get("pm", "/api/v1/calendar/holidays?year=262142").await;
    assert_eq!(
        (res.status.as_u16(), &res.body["error"]["field"]),
        (422, &json!("year"))
    );
    assert_eq!(app.store.event_count(&case).await.unwrap(), 1);
}

/// Row 9: the merged chronology's CSV opens `=HYPERLINK(…)` as text, and keeps it.
async fn the_chronology_csv_neutralises_a_hyperlink_formula(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (case, school, _) = case_with_requests(&app).await;
    let formula = "=HYPERLINK(\"http://evil.example\",\"Click\")";
    let added = app
        .send(
            None,
            "POST",
            &format!("/api/v1/returns/{school}/chronology"),
            Some(json!({"entries": [{"date": "2026-12-01", "what_happened": formula, "who": "@admin"}]})),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.body);
    app.send(
        None,
        "PUT",
        &format!("/api/v1/returns/{school}/scoping"),
        Some(json!({"involvement": "Pupil"})),
    )
    .await;
    let submitted = app
        .send(None, "POST", &format!("/api/v1/returns/{school}/submit"), None)
        .await;
    assert_eq!(submitted.status, 201, "{}", submitted.body);
    let (status, _, csv) = bytes(&app, Some("bu"), &format!("/api/v1/cases/{case}/chronology?format=csv")).await;
    assert_eq!(status, 200);
    let text = String::from_utf8(csv).unwrap();
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\""),
        "{text}"
    );
    assert!(text.contains(",'@admin,"), "{text}");
}

/// Row 11: a NUL in chronology text, in an event's rationale, in a search or in a case
/// id is a 422 naming the field (or an unknown case), never a 500 on PostgreSQL.
async fn a_nul_character_is_refused_naming_the_field_on_both_backends(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (case, school, _) = case_with_requests(&app).await;
    let res = app
        .send(
            None,
            "POST",
            &format!("/api/v1/returns/{school}/chronology"),
            Some(json!({"entries": [{"date": "2026-12-01", "what_happened": "a\u{0}b"}]})),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(res.body["error"]["rows"][0]["field"], "what_happened");
    let res = app
        .post(
            "pm",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "case_closed", "on": "2027-01-04", "reason": "nul\u{0}here"}),
        )
        .await;
    assert_eq!(
        (res.status.as_u16(), &res.body["error"]["field"]),
        (422, &json!("reason"))
    );
    assert_eq!(app.get("pm", "/api/v1/cases?q=RR%00").await.status, 200);
    assert_eq!(app.get("pm", "/api/v1/cases/%00").await.status, 404);
    assert_eq!(
        app.get("pm", &format!("/api/v1/cases/{case}%00/chronology"))
            .await
            .status,
        404
    );
}

/// Integrity "small ones": a right-to-left override (U+202E) or a Unicode line
/// separator (U+2028) in text is refused naming the field, in a return and on a case.
async fn bidi_controls_and_unicode_separators_are_refused_naming_the_field(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (case, school, _) = case_with_requests(&app).await;
    let res = app
        .send(
            None,
            "POST",
            &format!("/api/v1/returns/{school}/chronology"),
            Some(json!({"entries": [{"date": "2026-12-01", "what_happened": "Seen", "who": "Dr \u{202E}txt.exe"}]})),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(res.body["error"]["rows"][0]["field"], "who");
    assert!(
        res.body["error"]["rows"][0]["message"]
            .as_str()
            .unwrap()
            .contains("U+202E")
    );
    let res = app
        .post(
            "pm",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "case_closed", "on": "2027-01-04", "reason": "one\u{2028}two"}),
        )
        .await;
    assert_eq!(
        (res.status.as_u16(), &res.body["error"]["field"]),
        (422, &json!("reason"))
    );
}

/// Row 12: a return holds at most 5,000 entries, and its entries come back a page of
/// 100 at a time.
async fn a_return_holds_at_most_5000_entries_and_pages_them(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (_, school, _) = case_with_requests(&app).await;
    let entries: Vec<_> = (0..2500)
        .map(|i| json!({"date": "2026-12-01", "what_happened": format!("Contact {i}")}))
        .collect();
    let path = format!("/api/v1/returns/{school}/chronology");
    for _ in 0..2 {
        let res = app.send(None, "POST", &path, Some(json!({ "entries": entries }))).await;
        assert_eq!(res.status, 201, "{}", res.body);
    }
    let one_more = json!({"entries": [{"date": "2026-12-01", "what_happened": "One too many"}]});
    let res = app.send(None, "POST", &path, Some(one_more)).await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert_eq!(res.body["error"]["field"], "entries");
    assert!(res.body["error"]["message"].as_str().unwrap().contains("5000"));
    let page = app.get_anonymous(&format!("/api/v1/returns/{school}?page=50")).await;
    assert_eq!(page.body["draft_entries"], 5000);
    assert_eq!(page.body["entries_pages"], 50);
    assert_eq!(page.body["entries"].as_array().unwrap().len(), 100);
    let html = app.get_anonymous(&format!("/returns/{school}/chronology?page=2")).await;
    let html = html.body.as_str().unwrap();
    assert!(html.contains("Entries 101 to 200 of 5000"), "paging caption");
    assert!(html.len() < 200_000, "{} bytes", html.len());
}

crate::on_both_backends!(
    an_xlsx_with_a_cell_at_xfd1048576_is_refused_naming_the_limit,
    an_xlsx_that_expands_past_24_mb_is_refused,
    working_days_refuse_add_of_minus_2147483648_naming_the_field,
    dates_outside_1995_to_2100_are_refused_naming_the_field_and_range,
    the_chronology_csv_neutralises_a_hyperlink_formula,
    a_nul_character_is_refused_naming_the_field_on_both_backends,
    bidi_controls_and_unicode_separators_are_refused_naming_the_field,
    a_return_holds_at_most_5000_entries_and_pages_them,
);
