//! Agency returns through their links: scoping drafts, chronology entries and uploads,
//! submission, read-only links, reissue and revocation, the merged chronology and the
//! papers pack, with the generated DOCX, XLSX and ZIP files read back.

use std::io::{Cursor, Read};

use axum::body::Body;
use axum::http::Request;
use calamine::{Reader, Xlsx, open_workbook_from_rs};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{TestApp, call};

/// A case on the serious harm path with requests sent to two agencies on 2026-12-30;
/// returns (case id, school token, police token).
pub async fn case_with_requests(app: &TestApp) -> (String, String, String) {
    let case = app.open_case("children_services", "2026-12-21").await;
    app.record(
        "la",
        &case,
        json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "x"}),
    )
    .await;
    app.record(
        "la",
        &case,
        json!({"type": "panel_notified", "on": "2026-12-23", "reference": "NP-1"}),
    )
    .await;
    app.record("la", &case, json!({"type": "referral_submitted", "on": "2026-12-23"}))
        .await;
    let sent = app
        .record("bu", &case, json!({"type": "agency_requests_sent", "on": "2026-12-30", "agencies": ["northfield-primary", "county-police"]}))
        .await;
    let token = |agency: &str| {
        let request = sent["agency_requests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["agency"] == agency)
            .unwrap();
        link_token(&request["return_link"])
    };
    (case.clone(), token("northfield-primary"), token("county-police"))
}

/// The token at the end of a return link as the API gives it.
pub fn link_token(link: &Value) -> String {
    link.as_str().unwrap().rsplit('/').next().unwrap().to_owned()
}

pub async fn send_raw(
    app: &TestApp,
    method: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> crate::support::Response {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap();
    call(app.router(), req).await
}

pub async fn bytes(app: &TestApp, who: Option<&str>, path: &str) -> (u16, String, Vec<u8>) {
    let mut req = Request::get(path);
    if let Some(who) = who {
        req = req.header("authorization", format!("Bearer {}", app.token(who)));
    }
    let res = app.router().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (
        status,
        content_type,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
    )
}

pub fn multipart(name: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "rapidreviewboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub fn unzip(bytes: &[u8]) -> zip::ZipArchive<Cursor<Vec<u8>>> {
    zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap()
}

pub fn zip_text(archive: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> String {
    let mut text = String::new();
    archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

async fn an_agency_completes_and_submits_its_return_through_the_link(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (case, school, _) = case_with_requests(&app).await;
    let opened = app.send(None, "GET", &format!("/api/v1/returns/{school}"), None).await;
    assert_eq!(opened.status, 200, "{}", opened.body);
    assert_eq!(opened.body["agency"], "northfield-primary");
    assert_eq!(opened.body["due"], "2027-01-07");
    assert_eq!(opened.body["status"], "opened");
    assert!(opened.body["case_reference"].as_str().unwrap().starts_with("RR-"));
    assert_eq!(opened.body["asks"]["scoping"].as_array().unwrap().len(), 10);

    let bad = app
        .send(
            None,
            "PUT",
            &format!("/api/v1/returns/{school}/scoping"),
            Some(json!({"involvement_from": "last year"})),
        )
        .await;
    assert_eq!(
        (bad.status.as_u16(), bad.body["error"]["field"].as_str()),
        (422, Some("involvement_from"))
    );
    let draft = app
        .send(
            None,
            "PUT",
            &format!("/api/v1/returns/{school}/scoping"),
            Some(json!({"key_professionals": "Class teacher"})),
        )
        .await;
    assert_eq!(draft.status, 200);
    let entries = json!({"entries": [
        {"date": "2026-11-02", "time": "09:15", "what_happened": "Child arrived with a bruise", "who": "Class teacher", "source": "Pastoral log", "significance": "First sign"},
        {"date": "2026-10-12", "what_happened": "Attendance fell below 80%"}]});
    let added = app
        .send(
            None,
            "POST",
            &format!("/api/v1/returns/{school}/chronology"),
            Some(entries),
        )
        .await;
    assert_eq!(
        (added.status.as_u16(), added.body["draft_entries"].as_i64()),
        (201, Some(2))
    );
    let early = app
        .send(None, "POST", &format!("/api/v1/returns/{school}/submit"), None)
        .await;
    assert_eq!(
        (early.status.as_u16(), early.body["error"]["field"].as_str()),
        (422, Some("involvement"))
    );
    app.send(None, "PUT", &format!("/api/v1/returns/{school}/scoping"),
        Some(json!({"involvement": "Pupil since 2024.", "involvement_from": "2024-09-04", "key_professionals": "Class teacher"}))).await;
    let submitted = app
        .send(None, "POST", &format!("/api/v1/returns/{school}/submit"), None)
        .await;
    assert_eq!(submitted.status, 201, "{}", submitted.body);

    let case_now = app.get("bu", &format!("/api/v1/cases/{case}")).await.body;
    let last = case_now["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["type"].as_str(), last["agency"].as_str()),
        (Some("agency_return_received"), Some("northfield-primary"))
    );
    assert_eq!(last["actor"], "return-link:northfield-primary");
    let school_request = case_now["agency_requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["agency"] == "northfield-primary")
        .unwrap()
        .clone();
    assert_eq!(school_request["status"], "submitted");

    // Read-only from now on.
    let again = app
        .send(
            None,
            "PUT",
            &format!("/api/v1/returns/{school}/scoping"),
            Some(json!({"involvement": "Changed"})),
        )
        .await;
    assert_eq!(
        (again.status.as_u16(), again.body["error"]["code"].as_str()),
        (409, Some("not_allowed_now"))
    );
    let more = app
        .send(
            None,
            "POST",
            &format!("/api/v1/returns/{school}/chronology"),
            Some(json!({"entries": [{"date": "2026-11-03", "what_happened": "x"}]})),
        )
        .await;
    assert_eq!(more.status, 409);
    let view = app.send(None, "GET", &format!("/api/v1/returns/{school}"), None).await;
    assert_eq!(
        (view.status.as_u16(), view.body["read_only"].as_bool()),
        (200, Some(true))
    );

    // The merged chronology holds submitted entries only, oldest first.
    let merged = app.get("chair", &format!("/api/v1/cases/{case}/chronology")).await.body;
    let dates: Vec<&str> = merged["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-10-12", "2026-11-02"]);
    assert!(
        merged["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["agency"] == "northfield-primary")
    );
    let audit = app.store.audit_rows_for_case(&case).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|(actor, action, outcome)| actor == "return-link:northfield-primary"
                && action.ends_with("/submit")
                && outcome == "201")
    );
}

async fn a_link_opens_only_its_own_request(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (case, school, police) = case_with_requests(&app).await;
    let a = app.send(None, "GET", &format!("/api/v1/returns/{school}"), None).await;
    let b = app.send(None, "GET", &format!("/api/v1/returns/{police}"), None).await;
    assert_ne!(a.body["id"], b.body["id"]);
    let mut forged = school.clone();
    forged.replace_range(0..1, if forged.starts_with('0') { "1" } else { "0" });
    assert_eq!(
        app.send(None, "GET", &format!("/api/v1/returns/{forged}"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        app.send(None, "GET", "/api/v1/returns/not-a-token", None).await.status,
        404
    );
    let (other_case, _, _) = case_with_requests(&app).await;
    assert_ne!(other_case, case);
    let wrong_agency = app
        .post(
            "bu",
            &format!("/api/v1/cases/{case}/requests/city-gp-practice/reissue"),
            json!({}),
        )
        .await;
    assert_eq!(wrong_agency.status, 404);
    // An agency contact sees its own agency's requests, with their links.
    let mine = app.get("contact", "/api/v1/agency-requests").await.body;
    let list = mine["requests"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|r| r["agency"] == "northfield-primary"));
    assert_eq!(app.get("bu", "/api/v1/agency-requests").await.status, 403);
}

async fn revoked_expired_and_reissued_links_are_refused(backend: store::Backend) {
    let mut app = TestApp::new(backend, "2027-01-04").await;
    let (case, school, police) = case_with_requests(&app).await;
    let revoked = app
        .post(
            "bu",
            &format!("/api/v1/cases/{case}/requests/county-police/revoke"),
            json!({}),
        )
        .await;
    assert_eq!(revoked.status, 200);
    assert_eq!(
        app.send(None, "GET", &format!("/api/v1/returns/{police}"), None)
            .await
            .status,
        404
    );
    let reissued = app
        .post(
            "bu",
            &format!("/api/v1/cases/{case}/requests/county-police/reissue"),
            json!({}),
        )
        .await;
    assert_eq!(reissued.status, 200);
    let fresh = link_token(&reissued.body["return_link"]);
    assert_ne!(fresh, police);
    assert_eq!(
        app.send(None, "GET", &format!("/api/v1/returns/{fresh}"), None)
            .await
            .status,
        200
    );
    assert_eq!(
        app.send(None, "GET", &format!("/api/v1/returns/{police}"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        app.post(
            "chair",
            &format!("/api/v1/cases/{case}/requests/county-police/reissue"),
            json!({})
        )
        .await
        .status,
        403
    );
    // Fifteen working days after 30 December 2026 is 21 January 2027; after it, the link
    // says only that it has expired (hardening row 13), and shows nothing of the case.
    let open_link = app.send(None, "GET", &format!("/api/v1/returns/{school}"), None).await;
    assert_eq!(open_link.body["expires_on"], "2027-01-21");
    app.on("2027-01-25").await;
    let late = app
        .send(
            None,
            "PUT",
            &format!("/api/v1/returns/{school}/scoping"),
            Some(json!({"involvement": "x"})),
        )
        .await;
    assert_eq!(late.status, 410);
    assert_eq!(late.body["error"]["code"], "expired");
    let expired = app.send(None, "GET", &format!("/api/v1/returns/{school}"), None).await;
    assert_eq!(expired.status, 410);
    assert_eq!(
        expired.body.as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["error"]
    );
    assert!(!expired.body.to_string().contains("RR-"));
    let page = app.send(None, "GET", &format!("/returns/{school}"), None).await;
    assert_eq!(page.status, 410);
    let html = page.body.as_str().unwrap();
    assert!(html.contains("This link has expired"));
    assert!(
        !html.contains("RR-") && !html.contains("Northfield"),
        "the page shows case data"
    );
}

/// Hardening row 13: once its case is closed a link still opens, read-only.
async fn a_link_is_read_only_once_its_case_is_closed(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (case, school, _) = case_with_requests(&app).await;
    app.record(
        "pm",
        &case,
        json!({"type": "case_closed", "on": "2027-01-04", "reason": "Closed for the test"}),
    )
    .await;
    let opened = app.get_anonymous(&format!("/api/v1/returns/{school}")).await;
    assert_eq!((opened.status.as_u16(), &opened.body["read_only"]), (200, &json!(true)));
    assert!(opened.body["read_only_reason"].as_str().unwrap().contains("closed"));
    let change = app
        .send(
            None,
            "PUT",
            &format!("/api/v1/returns/{school}/scoping"),
            Some(json!({"involvement": "x"})),
        )
        .await;
    assert_eq!(change.status, 409);
    let entry = app
        .send(
            None,
            "POST",
            &format!("/api/v1/returns/{school}/chronology"),
            Some(json!({"entries": [{"date": "2026-12-01", "what_happened": "Late"}]})),
        )
        .await;
    assert_eq!(entry.status, 409);
}

async fn uploads_that_are_wrong_are_refused_clearly_and_save_nothing(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (_, school, _) = case_with_requests(&app).await;
    let path = format!("/api/v1/returns/{school}/chronology");
    let (ct, body) = multipart("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01binary");
    let not_sheet = send_raw(&app, "POST", &path, &ct, body).await;
    assert_eq!(
        (not_sheet.status.as_u16(), not_sheet.body["error"]["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );
    let (ct, body) = multipart("empty.csv", b"");
    let empty = send_raw(&app, "POST", &path, &ct, body).await;
    assert_eq!(empty.status, 422);
    assert!(empty.body["error"]["message"].as_str().unwrap().contains("empty"));
    let (ct, body) = multipart("huge.csv", &vec![b'a'; 20 * 1024 * 1024]);
    let huge = send_raw(&app, "POST", &path, &ct, body).await;
    assert_eq!(
        (huge.status.as_u16(), huge.body["error"]["code"].as_str()),
        (413, Some("too_large"))
    );
    let csv = "date,time,what_happened,who,source,significance\n2026-11-02,09:15,Seen by nurse,,,\nnot a date,,Call,,,\n2026-11-04,7pm,Visit,,,\n";
    let (ct, body) = multipart("chronology.csv", csv.as_bytes());
    let bad_rows = send_raw(&app, "POST", &path, &ct, body).await;
    assert_eq!(
        (bad_rows.status.as_u16(), bad_rows.body["error"]["code"].as_str()),
        (422, Some("invalid_rows"))
    );
    let rows: Vec<(u64, &str)> = bad_rows.body["error"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].as_u64().unwrap(), r["field"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, [(3, "date"), (4, "time")]);
    let view = app.send(None, "GET", &format!("/api/v1/returns/{school}"), None).await;
    assert_eq!(view.body["draft_entries"], 0);
    // The same file corrected goes in whole.
    let fixed = "date,time,what_happened,who,source,significance\n2026-11-02,09:15,Seen by nurse,,,\n2026-11-03,,Call,,,\n2026-11-04,19:00,Visit,,,\n";
    let ok = send_raw(&app, "POST", &path, "text/csv", fixed.as_bytes().to_vec()).await;
    assert_eq!((ok.status.as_u16(), ok.body["draft_entries"].as_i64()), (201, Some(3)));
}

async fn the_filled_xlsx_template_uploads(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (_, school, _) = case_with_requests(&app).await;
    let (status, content_type, template) = bytes(&app, None, "/api/v1/templates/chronology.xlsx").await;
    assert_eq!(status, 200);
    assert!(content_type.contains("spreadsheetml"));
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(template)).unwrap();
    assert_eq!(book.sheet_names(), ["Chronology", "Instructions"]);
    let header: Vec<String> = book
        .worksheet_range("Chronology")
        .unwrap()
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header,
        ["date", "time", "what_happened", "who", "source", "significance"]
    );
    // An agency fills it in (with a real date cell) and uploads it.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (i, h) in ["date", "time", "what_happened", "who", "source", "significance"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 11, 5).unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_datetime_with_format(1, 0, &date, &format).unwrap();
    sheet.write_string(1, 1, "10:30").unwrap();
    sheet.write_string(1, 2, "Referral to children's social care").unwrap();
    let filled = workbook.save_to_buffer().unwrap();
    let (ct, body) = multipart("chronology.xlsx", &filled);
    let res = send_raw(&app, "POST", &format!("/api/v1/returns/{school}/chronology"), &ct, body).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let view = app.send(None, "GET", &format!("/api/v1/returns/{school}"), None).await;
    assert_eq!(view.body["entries"][0]["date"], "2026-11-05");
    assert_eq!(view.body["entries"][0]["time"], "10:30");
}

async fn the_papers_pack_waits_for_returns_or_a_decision_to_go_ahead(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (case, school, _) = case_with_requests(&app).await;
    app.send(
        None,
        "PUT",
        &format!("/api/v1/returns/{school}/scoping"),
        Some(json!({"involvement": "Pupil since 2024."})),
    )
    .await;
    app.send(
        None,
        "POST",
        &format!("/api/v1/returns/{school}/chronology"),
        Some(json!({"entries": [{"date": "2026-11-02", "what_happened": "Bruise noted"}]})),
    )
    .await;
    app.send(None, "POST", &format!("/api/v1/returns/{school}/submit"), None)
        .await;
    let (status, _, body) = bytes(&app, Some("chair"), &format!("/api/v1/cases/{case}/pack.zip")).await;
    assert_eq!(status, 409);
    assert!(String::from_utf8_lossy(&body).contains("county-police"));
    let decided = app
        .post(
            "bu",
            &format!("/api/v1/cases/{case}/requests/county-police/proceed-without"),
            json!({}),
        )
        .await;
    assert_eq!(decided.status, 200);
    let (status, content_type, zip) = bytes(&app, Some("chair"), &format!("/api/v1/cases/{case}/pack.zip")).await;
    assert_eq!((status, content_type.as_str()), (200, "application/zip"));
    let mut archive = unzip(&zip);
    let mut names: Vec<String> = archive.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "chronology.xlsx",
            "index.txt",
            "referral-form.docx",
            "returns/northfield-primary.docx"
        ]
    );
    assert!(
        zip_text(&mut archive, "index.txt").contains("went ahead without it")
            || zip_text(&mut archive, "index.txt").contains("go ahead without it")
    );
    let mut inner = Vec::new();
    archive
        .by_name("returns/northfield-primary.docx")
        .unwrap()
        .read_to_end(&mut inner)
        .unwrap();
    let document = zip_text(&mut unzip(&inner), "word/document.xml");
    assert!(document.contains("Pupil since 2024.") && document.contains("Bruise noted"));
    let mut referral = Vec::new();
    archive
        .by_name("referral-form.docx")
        .unwrap()
        .read_to_end(&mut referral)
        .unwrap();
    assert!(zip_text(&mut unzip(&referral), "word/document.xml").contains("NP-1"));
    let mut chronology = Vec::new();
    archive
        .by_name("chronology.xlsx")
        .unwrap()
        .read_to_end(&mut chronology)
        .unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(chronology)).unwrap();
    let rows: Vec<Vec<String>> = book
        .worksheet_range("Chronology")
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[1][0].as_str(), rows[1][1].as_str()),
        ("northfield-primary", "2026-11-02")
    );
}

async fn the_chronology_exports_filter_and_the_meeting_invitation_downloads(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-06").await;
    let (case, school, police) = case_with_requests(&app).await;
    for (token, entries) in [
        (
            &school,
            json!([{"date": "2026-11-02", "what_happened": "Bruise noted"}, {"date": "2026-12-01", "what_happened": "Absent"}]),
        ),
        (
            &police,
            json!([{"date": "2026-11-20", "time": "23:10", "what_happened": "Call-out to the home"}]),
        ),
    ] {
        app.send(
            None,
            "PUT",
            &format!("/api/v1/returns/{token}/scoping"),
            Some(json!({"involvement": "Known."})),
        )
        .await;
        app.send(
            None,
            "POST",
            &format!("/api/v1/returns/{token}/chronology"),
            Some(json!({"entries": entries})),
        )
        .await;
        assert_eq!(
            app.send(None, "POST", &format!("/api/v1/returns/{token}/submit"), None)
                .await
                .status,
            201
        );
    }
    let all = app.get("pm", &format!("/api/v1/cases/{case}/chronology")).await.body;
    let order: Vec<(&str, &str)> = all["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["date"].as_str().unwrap(), e["agency"].as_str().unwrap()))
        .collect();
    assert_eq!(
        order,
        [
            ("2026-11-02", "northfield-primary"),
            ("2026-11-20", "county-police"),
            ("2026-12-01", "northfield-primary")
        ]
    );
    let police_only = app
        .get("pm", &format!("/api/v1/cases/{case}/chronology?agency=county-police"))
        .await
        .body;
    assert_eq!(police_only["entries"].as_array().unwrap().len(), 1);
    let november = app
        .get(
            "pm",
            &format!("/api/v1/cases/{case}/chronology?from=2026-11-10&to=2026-11-30"),
        )
        .await
        .body;
    assert_eq!(november["entries"].as_array().unwrap().len(), 1);
    let (status, content_type, csv) =
        bytes(&app, Some("pm"), &format!("/api/v1/cases/{case}/chronology?format=csv")).await;
    assert!(status == 200 && content_type.starts_with("text/csv"));
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("agency,date,time,what_happened,who,source,significance"));
    assert!(csv.contains("county-police,2026-11-20,23:10,Call-out to the home"));
    let (status, _, xlsx) = bytes(
        &app,
        Some("pm"),
        &format!("/api/v1/cases/{case}/chronology?format=xlsx"),
    )
    .await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    assert_eq!(book.worksheet_range("Chronology").unwrap().rows().count(), 4);
    let (status, _, _) = bytes(&app, Some("pm"), &format!("/api/v1/cases/{case}/meeting.ics")).await;
    assert_eq!(status, 409);
    app.record("bu", &case, json!({"type": "meeting_scheduled", "on": "2027-01-05", "meeting_on": "2027-01-08", "meeting_kind": "standing_group",
        "warning_reason": "The standing group meets on Fridays."})).await;
    let (status, content_type, ics) = bytes(&app, Some("chair"), &format!("/api/v1/cases/{case}/meeting.ics")).await;
    assert!(status == 200 && content_type.starts_with("text/calendar"));
    let ics = String::from_utf8(ics).unwrap();
    assert!(ics.contains("DTSTART;VALUE=DATE:20270108") && ics.contains("BEGIN:VEVENT"));
    let (status, _, docx) = bytes(&app, None, "/api/v1/templates/scoping.docx").await;
    assert_eq!(status, 200);
    assert!(zip_text(&mut unzip(&docx), "word/document.xml").contains("Initial Scoping and Information Sharing"));
    let requests: Value = app.get("bu", &format!("/api/v1/cases/{case}/requests")).await.body;
    assert!(
        requests["requests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "submitted")
    );
}

crate::on_both_backends!(
    an_agency_completes_and_submits_its_return_through_the_link,
    a_link_opens_only_its_own_request,
    revoked_expired_and_reissued_links_are_refused,
    a_link_is_read_only_once_its_case_is_closed,
    uploads_that_are_wrong_are_refused_clearly_and_save_nothing,
    the_filled_xlsx_template_uploads,
    the_papers_pack_waits_for_returns_or_a_decision_to_go_ahead,
    the_chronology_exports_filter_and_the_meeting_invitation_downloads,
);
