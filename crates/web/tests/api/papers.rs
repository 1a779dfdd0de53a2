//! The Rapid Review's papers as Word documents: the template at any version, the
//! covering letter to the National Panel, the outcome letter to each agency and the
//! referrer, and the rebuilt referral form. Each is unzipped and read back for its
//! filled fields, and each is opened by real LibreOffice (headless), which must make a
//! PDF of at least one page of it.

use std::io::Read;
use std::process::Command;

use axum::body::Body;
use axum::http::Request;
use domain::events::EventKind;
use domain::synthetic::Journey;
use serde_json::json;

use http_body_util::BodyExt;

use crate::support::TestApp;

const TODAY: &str = "2027-12-31";

/// The raw bytes of a GET as `who`, with its status.
async fn bytes(app: &TestApp, who: &str, path: &str) -> (u16, Vec<u8>) {
    let req = Request::get(path)
        .header("authorization", format!("Bearer {}", app.token(who)))
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
    let status = res.status().as_u16();
    (status, res.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// The text of a DOCX's body and header, tags stripped.
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    for name in names.iter().filter(|n| n.starts_with("word/") && n.ends_with(".xml")) {
        let mut xml = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
        let mut inside = false;
        for c in xml.chars() {
            match c {
                '<' => inside = true,
                '>' => {
                    inside = false;
                    out.push(' ');
                }
                c if !inside => out.push(c),
                _ => {}
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A case submitted with its template signed, and its outcome told.
async fn submitted_case(app: &TestApp) -> (String, String) {
    app.record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::PanelResponseReceived))
        .await
}

async fn the_letters_name_the_partnership_as_its_settings_do(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let (case, _) = submitted_case(&app).await;
    let path = format!("/api/v1/cases/{case}/panel-letter.docx");
    let generic = docx_text(&bytes(&app, "bu", &path).await.1);
    assert!(generic.contains("The Safeguarding Children Partnership"), "{generic}");
    let app = app.named("Northshire Safeguarding Children Partnership").await;
    for path in [
        path,
        format!("/api/v1/cases/{case}/outcome-letter.docx?agency=county-police"),
    ] {
        let named = docx_text(&bytes(&app, "bu", &path).await.1);
        assert!(
            named.contains("Northshire Safeguarding Children Partnership"),
            "{path}: {named}"
        );
        assert!(
            !named.contains("The Safeguarding Children Partnership"),
            "{path}: {named}"
        );
    }
}

async fn the_template_and_letters_carry_the_case_s_names_dates_and_sign_offs(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let (case, reference) = submitted_case(&app).await;
    let (status, template) = bytes(&app, "pm", &format!("/api/v1/cases/{case}/rapid-review-template.docx")).await;
    assert_eq!(status, 200);
    let text = docx_text(&template);
    for expected in [
        "OFFICIAL-SENSITIVE",
        reference.as_str(),
        "SYN-00001",
        "Version 1, submitted to the National Panel on",
        "The incident",
        "Synthetic incident 1 for demonstration only.",
        "Equality, diversity and inclusion considerations",
        "Agency city-gp-practice",
        "rep_health",
    ] {
        assert!(text.contains(expected), "template lacks {expected:?}: {text}");
    }
    for key in ["serious_harm", "lcspr", "local_authority", "2026-06-"] {
        assert!(!text.contains(key), "a key or ISO date {key:?} in the template: {text}");
    }
    let (_, letter) = bytes(&app, "bu", &format!("/api/v1/cases/{case}/panel-letter.docx")).await;
    let text = docx_text(&letter);
    for expected in [
        "Child Safeguarding Practice Review Panel",
        "National Panel notification SYN-00001",
        "19 June 2026",
        "A local child safeguarding practice review",
        "Local authority rep_la",
        "Police rep_police",
    ] {
        assert!(text.contains(expected), "panel letter lacks {expected:?}: {text}");
    }
    let (status, outcome) = bytes(
        &app,
        "bu",
        &format!("/api/v1/cases/{case}/outcome-letter.docx?agency=county-police"),
    )
    .await;
    assert_eq!(status, 200);
    let text = docx_text(&outcome);
    for expected in [
        "Agency county-police",
        "Synthetic action",
        "Business Unit",
        "31 December 2027",
    ] {
        assert!(text.contains(expected), "outcome letter lacks {expected:?}: {text}");
    }
    let events = app.get("pm", &format!("/api/v1/cases/{case}")).await.body["events"].clone();
    let told = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "outcome_communicated")
        .unwrap();
    assert_eq!(
        told["recipients"],
        json!(["city-gp-practice", "northfield-primary", "county-police"])
    );
}

async fn the_letters_wait_for_the_meeting_and_an_outcome_letter_names_a_wrong_agency(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let (early, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::MeetingHeld))
        .await;
    let res = app.get("bu", &format!("/api/v1/cases/{early}/panel-letter.docx")).await;
    assert_eq!(res.status, 409);
    assert!(res.body["error"]["message"].as_str().unwrap().contains("meeting_held"));
    let (case, _) = submitted_case(&app).await;
    let missing = app
        .get("bu", &format!("/api/v1/cases/{case}/outcome-letter.docx"))
        .await;
    assert_eq!(
        (missing.status.as_u16(), &missing.body["error"]["field"]),
        (422, &json!("agency"))
    );
    let stranger = app
        .get(
            "bu",
            &format!("/api/v1/cases/{case}/outcome-letter.docx?agency=community-health-trust"),
        )
        .await;
    assert_eq!(
        (stranger.status.as_u16(), &stranger.body["error"]["field"]),
        (422, &json!("agency"))
    );
    let version = app
        .get(
            "bu",
            &format!("/api/v1/cases/{case}/rapid-review-template.docx?version=5"),
        )
        .await;
    assert_eq!(version.status, 404);
    assert_eq!(
        app.get("contact", &format!("/api/v1/cases/{case}/panel-letter.docx"))
            .await
            .status,
        404
    );
}

async fn an_outcome_told_to_a_stranger_is_refused_naming_the_recipient(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::OutcomeCommunicated))
        .await;
    let res = app
        .post(
            "bu",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "outcome_communicated", "on": "2026-06-23",
            "recipients": ["county-police", "community-health-trust"]}),
        )
        .await;
    assert_eq!(
        (res.status.as_u16(), &res.body["error"]["field"]),
        (422, &json!("recipients[1]"))
    );
    let told = app
        .record(
            "bu",
            &case,
            json!({"type": "outcome_communicated", "on": "2026-06-23", "recipients": ["county-police"]}),
        )
        .await;
    assert_eq!(
        told["events"].as_array().unwrap().last().unwrap()["recipients"],
        json!(["county-police"])
    );
}

async fn the_referral_form_tables_the_children_and_says_the_la_s_intention_to_notify(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::PanelNotified))
        .await;
    let (_, referral) = bytes(&app, "pm", &format!("/api/v1/cases/{case}/referral.docx")).await;
    let text = docx_text(&referral);
    for expected in [
        "Joint Case Review referral form",
        "OFFICIAL-SENSITIVE",
        "The child or children",
        "Initials Sex Age Ethnicity",
        "CD Male 1",
        "Referring agency Agency northfield-primary",
        "The local authority intends to notify the National Panel",
        "1 June 2026",
    ] {
        assert!(text.contains(expected), "referral lacks {expected:?}: {text}");
    }
}

/// A directory of its own under the system's temporary one, removed afterwards.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!("rapid-review-papers-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every paper, converted by LibreOffice in one run; each PDF has a page or more.
async fn libreoffice_opens_every_paper_and_makes_a_pdf_of_each(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let (case, _) = submitted_case(&app).await;
    let dir = Scratch::new();
    let papers = [
        "rapid-review-template.docx",
        "panel-letter.docx",
        "outcome-letter.docx?agency=northfield-primary",
        "referral.docx",
        "requests/northfield-primary/return.docx",
    ];
    let mut files = Vec::new();
    for (i, paper) in papers.iter().enumerate() {
        let (status, body) = bytes(&app, "pm", &format!("/api/v1/cases/{case}/{paper}")).await;
        assert_eq!(status, 200, "{paper}");
        let path = dir.path().join(format!("paper-{i}.docx"));
        std::fs::write(&path, body).unwrap();
        files.push(path);
    }
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.path().display());
    let converted = Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir.path())
        .args(&files)
        .output()
        .expect("LibreOffice (soffice) must be installed: .ci/run installs libreoffice-writer-nogui");
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    for (i, paper) in papers.iter().enumerate() {
        let pdf = dir.path().join(format!("paper-{i}.pdf"));
        let info = Command::new("pdfinfo")
            .arg(&pdf)
            .output()
            .expect("pdfinfo (poppler-utils) must be installed");
        let info = String::from_utf8_lossy(&info.stdout).to_string();
        let pages: u32 = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        assert!(pages >= 1, "{paper} made no pages: {info}");
    }
}

crate::on_both_backends!(
    the_letters_name_the_partnership_as_its_settings_do,
    the_template_and_letters_carry_the_case_s_names_dates_and_sign_offs,
    the_letters_wait_for_the_meeting_and_an_outcome_letter_names_a_wrong_agency,
    an_outcome_told_to_a_stranger_is_refused_naming_the_recipient,
    the_referral_form_tables_the_children_and_says_the_la_s_intention_to_notify,
    libreoffice_opens_every_paper_and_makes_a_pdf_of_each,
);
