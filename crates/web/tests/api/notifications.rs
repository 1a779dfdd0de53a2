//! Everyone the process names is told: whole journeys recorded through the API, the
//! outbox sent by the real worker to a real SMTP server (aiosmtpd), and what that
//! server received checked against docs/domain.md's "who is told what" table, message
//! by message. Links open the right case or return; attachments open; no message
//! carries case content.

use std::collections::{BTreeMap, BTreeSet};

use domain::events::EventKind;
use domain::synthetic::Journey;
use serde_json::{Value, json};
use sqlx::Connection;

use crate::mail::{PUBLIC_URL, Received, SmtpSink, drain, worker};
use crate::support::{AGENCIES, TestApp, call};

const TODAY: &str = "2027-12-31";

/// Records a synthetic journey through the API; returns the case's id and reference.
async fn record_journey(app: &TestApp, journey: Journey, seq: u32) -> (String, String) {
    app.record_journey_until(journey, seq, None).await
}

async fn record_journey_until(app: &TestApp, journey: Journey, seq: u32, until: Option<EventKind>) -> (String, String) {
    app.record_journey_until(journey, seq, until).await
}

fn user(key: &str) -> String {
    format!("{key}@example.org")
}

fn agency(slug: &str) -> String {
    format!("{slug}@agencies.example.org")
}

/// Who received each event's message, by the event's "done" label.
fn by_step(received: &[Received], reference: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in received {
        if let Some(step) = r.subject.strip_prefix(&format!("{reference}: ")) {
            out.entry(step.to_owned())
                .or_default()
                .extend(r.rcpt_tos.iter().cloned());
        }
    }
    out
}

fn set(addresses: &[String]) -> BTreeSet<String> {
    addresses.iter().cloned().collect()
}

fn reps() -> Vec<String> {
    ["rep_la", "rep_health", "rep_police"].iter().map(|k| user(k)).collect()
}

fn told(received: &BTreeMap<String, BTreeSet<String>>, kind: EventKind) -> BTreeSet<String> {
    received.get(kind.done_label()).cloned().unwrap_or_default()
}

async fn every_step_of_a_serious_harm_case_emails_exactly_whom_the_table_names(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let sink = SmtpSink::start();
    // Sequence 0: reported by a partner agency, forwarded; two agencies asked, the
    // first of which referred it.
    let (case, reference) = record_journey(&app, Journey::SeriousHarm, 0).await;
    let sent = drain(&worker(&app.store, &sink.url(), TODAY)).await;
    let received = sink.wait_for(sent);
    assert_eq!(received.len(), sent);
    let steps = by_step(&received, &reference);
    let asked = [agency(AGENCIES[0]), agency(AGENCIES[1]), user("contact")];
    let attendees = [&asked[..], &reps(), &[user("chair"), user("pm")]].concat();
    let expected: Vec<(EventKind, Vec<String>)> = vec![
        (EventKind::IncidentReported, vec![user("pm"), user("bu")]),
        (
            EventKind::ForwardedToLa,
            vec![user("la"), user("chair"), user("rep_health"), user("rep_police")],
        ),
        (
            EventKind::ThresholdDecided,
            [reps(), vec![user("pm"), user("bu")]].concat(),
        ),
        (
            EventKind::DecisionFedBack,
            [reps(), vec![user("pm"), user("bu")]].concat(),
        ),
        (EventKind::PanelNotified, vec![user("pm"), user("bu")]),
        (EventKind::ReferralSubmitted, vec![user("pm"), user("bu")]),
        (EventKind::AgencyRequestsSent, asked.to_vec()),
        (EventKind::MeetingScheduled, attendees.clone()),
        (EventKind::PackShared, attendees),
        (
            EventKind::RapidReviewSubmitted,
            [reps(), vec![user("pm"), user("chair")]].concat(),
        ),
        (
            EventKind::PanelResponseReceived,
            [reps(), vec![user("pm"), user("chair")]].concat(),
        ),
        (EventKind::OutcomeCommunicated, asked.to_vec()),
        (EventKind::EsgRecommendationMade, vec![user("viewer"), user("pm")]),
        (EventKind::LcsprCommissioned, vec![user("viewer"), user("pm")]),
        (EventKind::LcsprSentToPanel, vec![user("viewer"), user("pm")]),
        (EventKind::LcsprPublished, vec![user("viewer"), user("pm")]),
        (EventKind::AgencyReturnReceived, vec![]),
        (EventKind::MeetingHeld, vec![]),
        (EventKind::CaseClosed, vec![]),
    ];
    // The table's audiences, less whoever recorded the step: nobody is told of their
    // own step.
    for (kind, who) in expected {
        let mut who = set(&who);
        who.remove(&user(crate::support::recorder(kind, &json!({}))));
        assert_eq!(told(&steps, kind), who, "{kind:?}");
    }
    // The pack is a link to the service, never the pack itself.
    let pack = received
        .iter()
        .find(|r| r.subject.ends_with(EventKind::PackShared.done_label()) && r.rcpt_tos == [user("chair")])
        .unwrap();
    assert!(
        pack.text.contains(&format!("/cases/{case}/pack"))
            && !pack.text.contains("pack.zip")
            && pack.attachments.is_empty(),
        "{}",
        pack.text
    );
    // Each recipient gets their own message, one address each, with its own fixed id.
    assert!(received.iter().all(|r| r.rcpt_tos.len() == 1));
    let ids: BTreeSet<&str> = received.iter().map(|r| r.message_id.as_str()).collect();
    assert_eq!(ids.len(), received.len());
    assert!(
        ids.iter()
            .all(|id| id.starts_with("<outbox-") && id.ends_with("@rapid-review.test>")),
        "{ids:?}"
    );
}

async fn a_report_to_children_s_services_tells_the_head_of_service_and_the_manager(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let sink = SmtpSink::start();
    let (_, reference) = record_journey(&app, Journey::SeriousHarm, 1).await;
    let sent = drain(&worker(&app.store, &sink.url(), TODAY)).await;
    let steps = by_step(&sink.wait_for(sent), &reference);
    // The Partnership Manager reported it, so only the head of service is told.
    assert_eq!(told(&steps, EventKind::IncidentReported), set(&[user("la")]));
    assert!(told(&steps, EventKind::ForwardedToLa).is_empty());
}

async fn the_challenge_loop_and_an_ala_tell_the_reps_the_manager_the_la_and_the_executive(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let sink = SmtpSink::start();
    let (_, challenged) = record_journey(&app, Journey::ChallengeOverturned, 0).await;
    let (_, ala) = record_journey(&app, Journey::AlternativeLearning, 0).await;
    let sent = drain(&worker(&app.store, &sink.url(), TODAY)).await;
    let received = sink.wait_for(sent);
    let steps = by_step(&received, &challenged);
    let challenge = [reps(), vec![user("pm"), user("la")]].concat();
    for kind in [
        EventKind::ThresholdChallenged,
        EventKind::ChallengeViewRecorded,
        EventKind::ChallengeMeetingHeld,
        EventKind::ChallengeResolved,
    ] {
        // Less whoever recorded it; four people record views, so each hears of another's.
        let mut who = set(&challenge);
        if kind != EventKind::ChallengeViewRecorded {
            who.remove(&user(crate::support::recorder(kind, &json!({}))));
        }
        assert_eq!(told(&steps, kind), who, "{kind:?}");
    }
    let steps = by_step(&received, &ala);
    // Each of the four gives a view before the decision, so each hears of the proposal.
    let deciders = [reps(), vec![user("pm")]].concat();
    for kind in [EventKind::AlaProposed, EventKind::AlaViewRecorded] {
        assert_eq!(told(&steps, kind), set(&deciders), "{kind:?}");
    }
    for kind in [EventKind::AlaDecided, EventKind::AlaCompleted] {
        let mut who = set(&[user("viewer"), user("pm")]);
        who.remove(&user(crate::support::recorder(kind, &json!({}))));
        assert_eq!(told(&steps, kind), who, "{kind:?}");
    }
    // Not met: the reps learn until when they may challenge.
    let message = |step: EventKind| {
        received
            .iter()
            .find(|r| r.subject == format!("{challenged}: {}", step.done_label()) && r.rcpt_tos == [user("rep_health")])
            .unwrap()
    };
    let decided = message(EventKind::ThresholdDecided);
    assert!(
        decided.text.contains("Partners may challenge it within 2 working days"),
        "{}",
        decided.text
    );
    let fed_back = message(EventKind::DecisionFedBack);
    assert!(
        fed_back.text.contains("Partners may challenge it until 5 June 2026"),
        "{}",
        fed_back.text
    );
}

/// Integrity "small ones": an agency marked as receiving secure email gets the referral
/// form attached, and the footer says the email carries it.
async fn an_agency_on_secure_email_gets_the_referral_form_attached(backend: store::Backend) {
    let today = "2026-06-15";
    let app = TestApp::new(backend, today).await;
    let mut conn = sqlx::AnyConnection::connect(&app.database_url()).await.unwrap();
    sqlx::query("UPDATE agencies SET secure_email = 1 WHERE slug = $1")
        .bind(AGENCIES[1])
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let sink = SmtpSink::start();
    let (_, reference) = record_journey_until(&app, Journey::SeriousHarm, 0, Some(EventKind::PackShared)).await;
    let sent = drain(&worker(&app.store, &sink.url(), today)).await;
    let received = sink.wait_for(sent);
    let request = received
        .iter()
        .find(|r| {
            r.subject.ends_with(EventKind::AgencyRequestsSent.done_label()) && r.rcpt_tos == [agency(AGENCIES[1])]
        })
        .unwrap();
    assert_eq!(request.attachments[0].0, format!("{reference}-referral-form.docx"));
    let referral = std::fs::read(&request.attachments[0].2).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(referral)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains(&reference), "the referral form is the case's");
    assert!(request.text.contains("carries the referral form"), "{}", request.text);
    assert!(!request.text.contains("holds no case details"));
}

async fn links_open_the_right_case_and_return_and_the_attachments_open(backend: store::Backend) {
    // While the returns are coming in, so the links still work.
    let today = "2026-06-15";
    let app = TestApp::new(backend, today).await;
    let sink = SmtpSink::start();
    let (id, reference) = record_journey_until(&app, Journey::SeriousHarm, 0, Some(EventKind::PackShared)).await;
    let sent = drain(&worker(&app.store, &sink.url(), today)).await;
    let received = sink.wait_for(sent);
    // A member of staff: the case's own page.
    let staff = received
        .iter()
        .find(|r| r.subject.ends_with(EventKind::PanelNotified.done_label()) && r.rcpt_tos == [user("pm")])
        .unwrap();
    let link = format!("Open the case: {PUBLIC_URL}/cases/{id}");
    assert!(staff.text.lines().any(|l| l.trim_end() == link), "{}", staff.text);
    // An agency: its return link, which opens its own return and its referral form,
    // and the two blank templates; the referral form holds case content, so it is not
    // attached for an agency without secure email, and the footer's promise is true.
    let request = received
        .iter()
        .find(|r| {
            r.subject.ends_with(EventKind::AgencyRequestsSent.done_label()) && r.rcpt_tos == [agency(AGENCIES[1])]
        })
        .unwrap();
    let link = request
        .text
        .lines()
        .find_map(|l| l.strip_prefix(&format!("Open your return: {PUBLIC_URL}")))
        .unwrap();
    let page = call(
        app.router(),
        axum::http::Request::get(link).body(axum::body::Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(page.status, 200, "{link}");
    let html = page.body.as_str().unwrap();
    assert!(html.contains(&reference) && html.contains(&format!("Agency {}", AGENCIES[1])));
    let names: Vec<&str> = request.attachments.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "initial-scoping-and-information-sharing-template.docx",
            "chronology-template.xlsx"
        ]
    );
    assert!(request.text.contains("It is not sent by email"), "{}", request.text);
    assert!(request.text.contains("This email holds no case details"));
    let referral = call(
        app.router(),
        axum::http::Request::get(format!("{link}/referral.docx"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(referral.status, 200, "the referral form opens through the link");
    for (name, _, path) in &request.attachments {
        let bytes = std::fs::read(path).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let inner = if name.ends_with(".docx") {
            "word/document.xml"
        } else {
            "xl/workbook.xml"
        };
        assert!(zip.by_name(inner).is_ok(), "{name} does not open");
    }

    // The meeting invitation is a calendar file for this case.
    let invitation = received
        .iter()
        .find(|r| r.subject.ends_with(EventKind::MeetingScheduled.done_label()) && r.rcpt_tos == [user("chair")])
        .unwrap();
    let (name, content_type, path) = &invitation.attachments[0];
    assert_eq!(
        (name.as_str(), content_type.as_str()),
        (format!("{reference}-meeting.ics").as_str(), "text/calendar")
    );
    let ics = std::fs::read_to_string(path).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains(&reference), "{ics}");
    // Row "meeting invitations are partial": the emailed file names its attendees, as
    // the API's `meeting.ics` does (long lines are folded).
    let ics = ics.replace("\r\n ", "");
    assert!(
        ics.contains("ATTENDEE") && ics.contains("mailto:chair@example.org"),
        "{ics}"
    );
    assert!(ics.contains(&format!("mailto:{}", agency(AGENCIES[0]))), "{ics}");
}

async fn no_message_carries_the_incident_the_children_a_rationale_or_chronology_text(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let sink = SmtpSink::start();
    for journey in [
        Journey::SeriousHarm,
        Journey::ChallengeOverturned,
        Journey::AlternativeLearning,
    ] {
        record_journey(&app, journey, 0).await;
    }
    let sent = drain(&worker(&app.store, &sink.url(), TODAY)).await;
    let received = sink.wait_for(sent);
    assert!(received.len() > 50, "{}", received.len());
    for r in &received {
        let shown = format!("{}\n{}", r.subject, r.text);
        // Every synthetic summary, rationale, ground, action and learning says "Synthetic".
        assert!(!shown.contains("Synthetic"), "{shown}");
        assert!(!shown.contains("SYN-"), "{shown}");
        assert!(
            !shown.split(|c: char| !c.is_alphanumeric()).any(|w| w == "AB"),
            "{shown}"
        );
        // The words say what it carries: nothing, or (an outcome or decision letter
        // attached) that the attachment holds case details.
        let carries_case_papers = r
            .attachments
            .iter()
            .any(|(name, _, _)| name.contains("-letter") || name.contains("-rapid-review-template-"));
        if carries_case_papers {
            assert!(
                shown.contains("The attached letter holds case details")
                    || shown.contains("The attached Template and covering letter hold case details"),
                "{shown}"
            );
        } else {
            assert!(shown.contains("This email holds no case details"), "{shown}");
        }
    }
}

/// A met case, reported on 21 December 2026, whose requests went to `agency` on the 24th.
async fn case_with_a_request(app: &TestApp, agency: &str) -> String {
    let case = app.open_case_as("bu", "children_services", "2026-12-21").await;
    for (who, body) in [
        (
            "la",
            json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "R."}),
        ),
        (
            "la",
            json!({"type": "panel_notified", "on": "2026-12-23", "reference": "NP-1"}),
        ),
        ("la", json!({"type": "referral_submitted", "on": "2026-12-23"})),
        (
            "bu",
            json!({"type": "agency_requests_sent", "on": "2026-12-24", "agencies": [agency]}),
        ),
    ] {
        app.record(who, &case, body).await;
    }
    case
}

async fn an_extension_for_an_agency_moves_its_due_date_and_link_and_tells_it(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-06").await;
    let sink = SmtpSink::start();
    let case = case_with_a_request(&app, AGENCIES[1]).await;
    let worker = worker(&app.store, &sink.url(), "2027-01-06");
    let before = drain(&worker).await;
    let requests = app.get("bu", &format!("/api/v1/cases/{case}/requests")).await.body;
    let old_expiry = requests["requests"][0]["expires_on"].as_str().unwrap().to_owned();
    app.record(
        "pm",
        &case,
        json!({"type": "deadline_extended", "on": "2027-01-05", "step": "agency_return",
               "agency": AGENCIES[1], "new_due": "2027-01-29", "reason": "School closed."}),
    )
    .await;
    let requests = app.get("bu", &format!("/api/v1/cases/{case}/requests")).await.body;
    let request = &requests["requests"][0];
    assert_eq!(request["due"], "2027-01-29", "{request}");
    assert!(
        request["expires_on"].as_str().unwrap() > old_expiry.as_str(),
        "{request}"
    );
    let sent = drain(&worker).await;
    let received = sink.wait_for(before + sent);
    let told: Vec<&Received> = received.iter().skip(before).collect();
    let to: BTreeSet<String> = told.iter().flat_map(|r| r.rcpt_tos.clone()).collect();
    assert_eq!(to, set(&[agency(AGENCIES[1]), user("contact")]));
    assert!(
        told[0].text.contains("is now due on 29 January 2027"),
        "{}",
        told[0].text
    );
    assert!(
        !told[0].text.contains("School closed"),
        "the reason stays in the service"
    );
}

async fn reissuing_or_withdrawing_a_link_tells_the_agency(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-06").await;
    let sink = SmtpSink::start();
    let case = case_with_a_request(&app, AGENCIES[0]).await;
    let worker = worker(&app.store, &sink.url(), "2027-01-06");
    let before = drain(&worker).await;
    let reissued = app
        .post(
            "bu",
            &format!("/api/v1/cases/{case}/requests/{}/reissue", AGENCIES[0]),
            Value::Null,
        )
        .await;
    assert_eq!(reissued.status, 200, "{}", reissued.body);
    let sent = drain(&worker).await;
    let received = sink.wait_for(before + sent);
    let new_link = &received[before];
    assert!(
        new_link.subject.ends_with("a new link for your return"),
        "{}",
        new_link.subject
    );
    assert!(new_link.text.contains("The old link no longer works"));
    let link = reissued.body["return_link"].as_str().unwrap();
    assert!(new_link.text.contains(link), "the message carries the new link {link}");
    let revoked = app
        .post(
            "bu",
            &format!("/api/v1/cases/{case}/requests/{}/revoke", AGENCIES[0]),
            Value::Null,
        )
        .await;
    assert!(revoked.status.is_success(), "{}", revoked.body);
    let more = drain(&worker).await;
    let received = sink.wait_for(before + sent + more);
    let withdrawn = received.last().unwrap();
    assert!(
        withdrawn.subject.ends_with("your return link was withdrawn"),
        "{}",
        withdrawn.subject
    );
    assert!(!withdrawn.text.contains("/returns/"), "no link in a withdrawal");
}

mod clocks {
    //! Reminders, escalations and digests, with frozen dates either side of Christmas
    //! 2026: the pass runs on the days the domain's table says, never twice.

    use super::*;
    use notifications::reminders::run_pass;

    async fn pass(app: &TestApp, day: &str) -> notifications::reminders::PassReport {
        run_pass(&app.store, day.parse().unwrap(), chrono::Utc::now())
            .await
            .unwrap()
    }

    /// The subjects each address received.
    fn subjects(received: &[Received]) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in received {
            out.entry(r.rcpt_tos[0].clone()).or_default().push(r.subject.clone());
        }
        // Messages go several at a time, so they may arrive in any order.
        out.values_mut().for_each(|v| v.sort());
        out
    }

    pub(super) async fn reminders_go_two_working_days_before_on_the_day_and_escalate_the_day_after(
        backend: store::Backend,
    ) {
        let app = TestApp::new(backend, "2026-12-21").await;
        let sink = SmtpSink::start();
        let case = app.open_case_as("bu", "children_services", "2026-12-21").await;
        let reference = app.get("pm", &format!("/api/v1/cases/{case}")).await.body["reference"]
            .as_str()
            .unwrap()
            .to_owned();
        let worker = worker(&app.store, &sink.url(), "2026-12-21");
        let opened = drain(&worker).await;
        let mut seen = opened;
        let mut day_by_day = BTreeMap::new();
        for day in [
            "2026-12-22",
            "2026-12-23",
            "2026-12-24",
            "2026-12-25",
            "2026-12-26",
            "2026-12-28",
            "2026-12-29",
            "2026-12-30",
            "2026-12-31",
            "2027-01-01",
        ] {
            let report = pass(&app, day).await;
            let sent = drain(&worker).await;
            let received = sink.wait_for(seen + sent);
            day_by_day.insert(day, subjects(&received[seen..]));
            seen += sent;
            let closed = ["2026-12-25", "2026-12-26", "2026-12-28", "2027-01-01"].contains(&day);
            assert_eq!(report.working_day, !closed, "{day}");
        }
        // Decision, notification and referral are all due on Wednesday 30 December.
        let three = |what: &str| -> Vec<String> {
            [
                "Decide whether the Serious Harm threshold is met",
                "Notify the National Panel and Ofsted",
                "Submit the Joint Case Review referral form",
            ]
            .iter()
            .map(|step| format!("{reference}: {what}{step}"))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
        };
        let la = user("la");
        assert_eq!(day_by_day["2026-12-24"][&la], three("due in 2 working days: "));
        assert_eq!(day_by_day["2026-12-30"][&la], three("due today: "));
        assert_eq!(day_by_day["2026-12-31"][&user("pm")], three("overdue: "));
        assert!(
            !day_by_day["2026-12-31"].contains_key(&la),
            "escalations go to the manager"
        );
        for quiet in [
            "2026-12-22",
            "2026-12-23",
            "2026-12-25",
            "2026-12-26",
            "2026-12-28",
            "2026-12-29",
            "2027-01-01",
        ] {
            assert!(day_by_day[quiet].is_empty(), "{quiet}: {:?}", day_by_day[quiet]);
        }
        // The same pass again sends nothing new.
        let again = pass(&app, "2026-12-30").await;
        assert_eq!(again.queued, 0);
        assert_eq!(drain(&worker).await, 0);
    }

    /// Issue 20's "the escalation hands over a credential": an agency's own reminder
    /// carries its return link; the Partnership Manager told that the return is late
    /// gets the case, never the agency's link.
    pub(super) async fn an_escalation_of_a_late_return_links_the_case_not_the_agency_s_return(backend: store::Backend) {
        let app = TestApp::new(backend, "2026-12-30").await;
        let (case, _, _) = crate::returns::case_with_requests(&app).await;
        let sink = SmtpSink::start();
        let worker = worker(&app.store, &sink.url(), "2026-12-30");
        let mut seen = drain(&worker).await;
        let mut all = Vec::new();
        for day in ["2027-01-07", "2027-01-08"] {
            pass(&app, day).await;
            let sent = drain(&worker).await;
            all.extend(sink.wait_for(seen + sent)[seen..].to_vec());
            seen += sent;
        }
        let late = |r: &&Received| r.subject.contains("overdue") && r.subject.contains("return");
        let to_manager: Vec<&Received> = all.iter().filter(late).filter(|r| r.rcpt_tos == [user("pm")]).collect();
        assert!(
            !to_manager.is_empty(),
            "{:?}",
            all.iter().map(|r| &r.subject).collect::<Vec<_>>()
        );
        for m in &to_manager {
            assert!(!m.text.contains("/returns/"), "{}", m.text);
            assert!(m.text.contains(&format!("/cases/{case}")), "{}", m.text);
        }
        let to_agency = all
            .iter()
            .find(|r| r.rcpt_tos == [agency(AGENCIES[1])] && r.subject.contains("due today"))
            .unwrap();
        assert!(to_agency.text.contains("Open your return: "), "{}", to_agency.text);
    }

    pub(super) async fn a_digest_reader_gets_one_email_a_day_and_the_manager_sees_what_is_still_overdue(
        backend: store::Backend,
    ) {
        let app = TestApp::new(backend, "2027-01-06").await;
        let sink = SmtpSink::start();
        let la = app.store.user_by_email(&user("la")).await.unwrap().unwrap();
        let entry = store::AuditEntry::about(
            chrono::Utc::now(),
            Some("la@example.org"),
            "notifications_changed",
            None,
            "ok",
        );
        app.store
            .set_notify_mode(la.id, store::NotifyMode::Digest, &entry)
            .await
            .unwrap();
        let case = app.open_case_as("bu", "children_services", "2026-12-21").await;
        let worker = worker(&app.store, &sink.url(), "2026-12-24");
        // The report is held for the LA's digest; the manager has hers at once.
        let sent = drain(&worker).await;
        let received = sink.wait_for(sent);
        assert_eq!(subjects(&received).keys().cloned().collect::<Vec<_>>(), [user("pm")]);
        pass(&app, "2026-12-24").await;
        let digest_sent = drain(&worker).await;
        let received = sink.wait_for(sent + digest_sent);
        let digests: Vec<&Received> = received[sent..].iter().filter(|r| r.rcpt_tos == [user("la")]).collect();
        assert_eq!(digests.len(), 1, "{received:?}");
        assert_eq!(digests[0].subject, "Rapid Review digest for 24 December 2026: 4 items");
        assert!(
            digests[0].text.contains("Incident reported on 21 December 2026"),
            "{}",
            digests[0].text
        );
        assert!(digests[0].text.contains(&format!("{PUBLIC_URL}/cases/{case}")));
        // From 4 January the manager's digest lists the escalated clocks again.
        pass(&app, "2026-12-31").await;
        let before = sent + digest_sent + drain(&worker).await;
        pass(&app, "2027-01-04").await;
        let more = drain(&worker).await;
        let received = sink.wait_for(before + more);
        let pm: Vec<&Received> = received[before..]
            .iter()
            .filter(|r| r.rcpt_tos == [user("pm")])
            .collect();
        assert_eq!(pm.len(), 1);
        assert!(
            pm[0].subject.starts_with("Rapid Review digest for 4 January 2027"),
            "{}",
            pm[0].subject
        );
        assert!(
            pm[0]
                .text
                .contains("still overdue (due 30 December 2026, 2 working days late)"),
            "{}",
            pm[0].text
        );
    }
}

async fn reminders_go_two_working_days_before_on_the_day_and_escalate_the_day_after(backend: store::Backend) {
    clocks::reminders_go_two_working_days_before_on_the_day_and_escalate_the_day_after(backend).await;
}

async fn an_escalation_of_a_late_return_links_the_case_not_the_agency_s_return(backend: store::Backend) {
    clocks::an_escalation_of_a_late_return_links_the_case_not_the_agency_s_return(backend).await;
}

async fn a_digest_reader_gets_one_email_a_day_and_the_manager_sees_what_is_still_overdue(backend: store::Backend) {
    clocks::a_digest_reader_gets_one_email_a_day_and_the_manager_sees_what_is_still_overdue(backend).await;
}

async fn with_the_mail_server_down_steps_record_and_messages_wait_then_go(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let port = crate::mail::free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let worker = worker(&app.store, &url, TODAY);
    let case = app.open_case_as("la", "partner_agency", "2026-12-21").await;
    let round = worker.drain_once().await.unwrap();
    assert_eq!((round.sent, round.failed), (0, 2), "{round:?}");
    // The administrator sees them waiting, with the error.
    let waiting = app.get("admin", "/api/v1/outbox?status=queued").await;
    assert_eq!(waiting.status, 200, "{}", waiting.body);
    let messages = waiting.body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert!(
        messages
            .iter()
            .all(|m| m["attempts"] == 1 && m["last_error"].as_str().is_some_and(|e| !e.is_empty()))
    );
    // The service goes on: the next step records.
    app.record("bu", &case, json!({"type": "forwarded_to_la", "on": "2026-12-21"}))
        .await;
    // The server comes back; after the back-off every message goes.
    let sink = SmtpSink::on(
        port,
        &std::env::temp_dir().join(format!("rr-mail-{}", uuid::Uuid::new_v4())),
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    let sent = drain(&worker).await;
    assert_eq!(sent, 6, "2 reports and 4 forwards");
    assert_eq!(sink.wait_for(6).len(), 6);
    let counts = app.get("admin", "/api/v1/outbox").await.body["counts"].clone();
    assert_eq!(
        (counts["sent"].as_i64(), counts["queued"].as_i64()),
        (Some(6), Some(0)),
        "{counts}"
    );
}

async fn only_administrators_see_the_outbox_and_a_bad_filter_is_named(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    assert_eq!(app.get("pm", "/api/v1/outbox").await.status, 403);
    assert_eq!(app.get_anonymous("/api/v1/outbox").await.status, 401);
    let bad = app.get("admin", "/api/v1/outbox?status=lost").await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(bad.body["error"]["field"], "status");
    let bad = app.get("admin", "/api/v1/outbox?page=0").await;
    assert_eq!(bad.body["error"]["field"], "page");
}

mod pages {
    //! The HTML routes of notifications, in process with a browser session.

    use super::*;

    fn html(res: &crate::support::Response) -> &str {
        res.body.as_str().unwrap_or("")
    }

    pub(super) async fn the_outbox_page_lists_messages_queues_a_test_and_retries_a_failure(backend: store::Backend) {
        let app = TestApp::new(backend, TODAY).await;
        app.open_case_as("la", "partner_agency", "2026-12-21").await;
        let admin = app.browser("admin").await;
        let page = app.page(Some(&admin), "/admin/outbox").await;
        assert_eq!(page.status, 200);
        assert!(html(&page).contains("No email server is set"), "{}", html(&page));
        assert!(html(&page).contains("Incident reported") || html(&page).contains("A step was recorded"));
        assert!(html(&page).contains("pm@example.org"));
        let pm = app.browser("pm").await;
        assert_eq!(app.page(Some(&pm), "/admin/outbox").await.status, 403);
        // A bad address is named; a good one is queued.
        let bad = app
            .submit(
                Some(&admin),
                "/admin/outbox/test",
                &format!("csrf={}&to=not-an-address", admin.csrf),
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(html(&bad).contains("href=\"#to\"") && html(&bad).contains("value=\"not-an-address\""));
        let good = app
            .submit(
                Some(&admin),
                "/admin/outbox/test",
                &format!("csrf={}&to=ops%40example.org", admin.csrf),
            )
            .await;
        assert_eq!(good.status, 303);
        let queued = app.get("admin", "/api/v1/outbox?status=queued").await.body;
        assert!(
            queued["messages"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["notice"] == "test" && m["recipient"] == "ops@example.org")
        );
        // A message that failed for good can be retried.
        let failed = queued["messages"][0]["id"].as_i64().unwrap();
        app.store
            .mark_send_failed(failed, "550 no such mailbox", None, chrono::Utc::now())
            .await
            .unwrap();
        let retried = app
            .submit(
                Some(&admin),
                &format!("/admin/outbox/{failed}/retry"),
                &format!("csrf={}", admin.csrf),
            )
            .await;
        assert_eq!(retried.status, 303);
        let again = app
            .submit(
                Some(&admin),
                &format!("/admin/outbox/{failed}/retry"),
                &format!("csrf={}", admin.csrf),
            )
            .await;
        assert_eq!(again.status, 404, "only a failed message can be retried");
        let audit = app.store.recent_account_audit(50).await.unwrap();
        let actions: Vec<&str> = audit.iter().map(|row| row[2].as_str()).collect();
        assert!(
            actions.contains(&"test_email_queued") && actions.contains(&"message_retried"),
            "{actions:?}"
        );
    }

    pub(super) async fn each_user_chooses_immediate_emails_or_a_daily_digest(backend: store::Backend) {
        let app = TestApp::new(backend, TODAY).await;
        let la = app.browser("la").await;
        let page = app.page(Some(&la), "/account/notifications").await;
        assert_eq!(page.status, 200);
        assert!(html(&page).contains("value=\"immediate\" checked"), "{}", html(&page));
        let none = app
            .submit(Some(&la), "/account/notifications", &format!("csrf={}", la.csrf))
            .await;
        assert_eq!(none.status, 422);
        assert!(html(&none).contains("Choose how you want your emails"));
        let saved = app
            .submit(
                Some(&la),
                "/account/notifications",
                &format!("csrf={}&notify=digest", la.csrf),
            )
            .await;
        assert_eq!(saved.status, 303);
        let user = app.store.user_by_email("la@example.org").await.unwrap().unwrap();
        assert_eq!(app.store.notify_mode(user.id).await.unwrap(), store::NotifyMode::Digest);
        let account = app.page(Some(&la), "/account").await;
        assert!(html(&account).contains("One daily digest at 7am"));
    }

    pub(super) async fn the_case_page_says_who_was_told_of_each_step_and_when(backend: store::Backend) {
        let app = TestApp::new(backend, TODAY).await;
        let sink = SmtpSink::start();
        let case = app.open_case_as("la", "partner_agency", "2026-12-21").await;
        drain(&worker(&app.store, &sink.url(), TODAY)).await;
        app.record("bu", &case, json!({"type": "forwarded_to_la", "on": "2026-12-21"}))
            .await;
        let pm = app.browser("pm").await;
        let page = app.page(Some(&pm), &format!("/cases/{case}")).await;
        let text = html(&page);
        assert!(text.contains("Who was told (2)"), "{text}");
        assert!(
            text.contains("pm, Partnership Manager (pm@example.org): emailed"),
            "{text}"
        );
        assert!(
            text.contains("rep_health, Partner representative (Health) (rep_health@example.org)"),
            "{text}"
        );
        assert!(
            text.contains("Who was told (4)") && text.contains("waiting to be emailed"),
            "{text}"
        );
    }
}

async fn the_outbox_page_lists_messages_queues_a_test_and_retries_a_failure(backend: store::Backend) {
    pages::the_outbox_page_lists_messages_queues_a_test_and_retries_a_failure(backend).await;
}

async fn each_user_chooses_immediate_emails_or_a_daily_digest(backend: store::Backend) {
    pages::each_user_chooses_immediate_emails_or_a_daily_digest(backend).await;
}

async fn the_case_page_says_who_was_told_of_each_step_and_when(backend: store::Backend) {
    pages::the_case_page_says_who_was_told_of_each_step_and_when(backend).await;
}

crate::on_both_backends!(
    every_step_of_a_serious_harm_case_emails_exactly_whom_the_table_names,
    a_report_to_children_s_services_tells_the_head_of_service_and_the_manager,
    the_challenge_loop_and_an_ala_tell_the_reps_the_manager_the_la_and_the_executive,
    links_open_the_right_case_and_return_and_the_attachments_open,
    an_agency_on_secure_email_gets_the_referral_form_attached,
    no_message_carries_the_incident_the_children_a_rationale_or_chronology_text,
    an_extension_for_an_agency_moves_its_due_date_and_link_and_tells_it,
    reissuing_or_withdrawing_a_link_tells_the_agency,
    reminders_go_two_working_days_before_on_the_day_and_escalate_the_day_after,
    an_escalation_of_a_late_return_links_the_case_not_the_agency_s_return,
    a_digest_reader_gets_one_email_a_day_and_the_manager_sees_what_is_still_overdue,
    with_the_mail_server_down_steps_record_and_messages_wait_then_go,
    only_administrators_see_the_outbox_and_a_bad_filter_is_named,
    the_outbox_page_lists_messages_queues_a_test_and_retries_a_failure,
    each_user_chooses_immediate_emails_or_a_daily_digest,
    the_case_page_says_who_was_told_of_each_step_and_when,
);
