//! The local review's papers: uploaded once the review is commissioned, as PDF or DOCX
//! told by their bytes (at most 20 MB), listed and read back unchanged, from the API and
//! from the case page; every upload and read audited.

use axum::body::Body;
use axum::http::Request;
use domain::events::EventKind;
use domain::synthetic::Journey;
use http_body_util::BodyExt;
use serde_json::json;

use crate::support::{Response, TestApp, call};

const TODAY: &str = "2027-12-31";
const BOUNDARY: &str = "rr-test-boundary";

fn multipart(fields: &[(&str, Option<&str>, &[u8])], csrf: Option<&str>) -> Vec<u8> {
    let mut body = Vec::new();
    let mut part = |name: &str, file: Option<&str>, bytes: &[u8]| {
        body.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes());
        if let Some(file) = file {
            body.extend(format!("; filename=\"{file}\"\r\nContent-Type: application/octet-stream").as_bytes());
        }
        body.extend(b"\r\n\r\n");
        body.extend(bytes);
        body.extend(b"\r\n");
    };
    if let Some(csrf) = csrf {
        part("csrf", None, csrf.as_bytes());
    }
    for (name, file, bytes) in fields {
        part(name, *file, bytes);
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, who: &str, case: &str, kind: &str, file: &str, bytes: &[u8]) -> Response {
    let req = Request::post(format!("/api/v1/cases/{case}/lcspr/papers"))
        .header("authorization", format!("Bearer {}", app.token(who)))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from(multipart(
            &[("kind", None, kind.as_bytes()), ("file", Some(file), bytes)],
            None,
        )))
        .unwrap();
    call(app.router.clone(), req).await
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec()
}

async fn commissioned(app: &TestApp) -> String {
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::LcsprSentToPanel))
        .await;
    case
}

async fn papers_are_kept_with_the_case_and_read_back_unchanged(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let (early, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::LcsprCommissioned))
        .await;
    let too_soon = upload(&app, "bu", &early, "draft_report", "draft.pdf", &pdf()).await;
    assert_eq!(too_soon.status, 409, "{}", too_soon.body);
    let case = commissioned(&app).await;
    let stored = upload(&app, "bu", &case, "draft_report", "../Draft report v1.pdf", &pdf()).await;
    assert_eq!(stored.status, 201, "{}", stored.body);
    assert_eq!(stored.body["file_name"], "Draft-report-v1.pdf");
    assert_eq!(stored.body["content_type"], "application/pdf");
    let docx = documents::scoping_template_docx().unwrap();
    assert_eq!(
        upload(&app, "pm", &case, "final_report", "final.docx", &docx)
            .await
            .status,
        201
    );
    let list = app.get("chair", &format!("/api/v1/cases/{case}/lcspr/papers")).await;
    let papers = list.body["papers"].as_array().unwrap();
    assert_eq!(papers.len(), 2);
    let href = papers[1]["href"].as_str().unwrap();
    let req = Request::get(href)
        .header("authorization", format!("Bearer {}", app.token("chair")))
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(res.into_body().collect().await.unwrap().to_bytes().to_vec(), docx);
    let audited: Vec<String> = app
        .store
        .audit_rows_for_case(&case)
        .await
        .unwrap()
        .into_iter()
        .map(|(actor, action, _)| format!("{actor} {action}"))
        .collect();
    assert!(audited.contains(&"bu@example.org POST /api/v1/cases/{id}/lcspr/papers".to_owned()));
    assert!(audited.contains(&"chair@example.org GET /api/v1/cases/{id}/lcspr/papers/{paper}".to_owned()));
}

async fn a_paper_that_is_not_a_pdf_or_docx_or_too_large_or_from_the_wrong_role_is_refused(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let case = commissioned(&app).await;
    let xlsx = documents::chronology_template_xlsx().unwrap();
    let disguised = upload(&app, "bu", &case, "final_report", "report.docx", &xlsx).await;
    assert_eq!(
        (disguised.status.as_u16(), &disguised.body["error"]["field"]),
        (422, &json!("file"))
    );
    let unknown = upload(&app, "bu", &case, "minutes", "m.pdf", &pdf()).await;
    assert_eq!(unknown.body["error"]["field"], "kind");
    assert_eq!(
        upload(&app, "rep_la", &case, "final_report", "r.pdf", &pdf())
            .await
            .status,
        403
    );
    let mut huge = pdf();
    huge.resize(documents::MAX_PAPER_BYTES + 1, b' ');
    assert_eq!(
        upload(&app, "bu", &case, "final_report", "big.pdf", &huge).await.status,
        413
    );
    let raw = Request::post(format!(
        "/api/v1/cases/{case}/lcspr/papers?kind=terms_of_reference&name=tor.pdf"
    ))
    .header("authorization", format!("Bearer {}", app.token("bu")))
    .header("content-type", "application/pdf")
    .body(Body::from(pdf()))
    .unwrap();
    let raw = call(app.router.clone(), raw).await;
    assert_eq!((raw.status.as_u16(), &raw.body["file_name"]), (201, &json!("tor.pdf")));
    let papers = app.get("bu", &format!("/api/v1/cases/{case}/lcspr/papers")).await;
    assert_eq!(
        papers.body["papers"].as_array().unwrap().len(),
        1,
        "nothing refused was kept"
    );
}

async fn the_business_unit_uploads_a_paper_from_the_case_page(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let case = commissioned(&app).await;
    let bu = app.browser("bu").await;
    let page = app.page(Some(&bu), &format!("/cases/{case}")).await;
    assert!(page.body.as_str().unwrap().contains("Upload the paper"));
    let send = |csrf: String| {
        Request::post(format!("/cases/{case}/lcspr/papers"))
            .header("cookie", &bu.cookie)
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(Body::from(multipart(
                &[("kind", None, b"terms_of_reference"), ("file", Some("tor.pdf"), &pdf())],
                Some(&csrf),
            )))
            .unwrap()
    };
    assert_eq!(call(app.router.clone(), send("forged".into())).await.status, 403);
    let done = call(app.router.clone(), send(bu.csrf.clone())).await;
    assert_eq!(done.status, 303);
    let page = app.page(Some(&bu), &format!("/cases/{case}?done=paper")).await;
    assert!(
        page.body
            .as_str()
            .unwrap()
            .contains("Terms of reference: tor.pdf (1 KB), uploaded by bu on")
    );
}

crate::on_both_backends!(
    papers_are_kept_with_the_case_and_read_back_unchanged,
    a_paper_that_is_not_a_pdf_or_docx_or_too_large_or_from_the_wrong_role_is_refused,
    the_business_unit_uploads_a_paper_from_the_case_page,
);
