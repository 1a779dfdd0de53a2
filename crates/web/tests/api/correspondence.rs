//! Correspondence a Partnership Manager can rely on (the correspondence issue): each
//! row of its table, recorded through the API, with the outbox sent by the real worker
//! to a real SMTP server (aiosmtpd) and the clock passes run day by day.

use serde_json::json;

use crate::mail::{Received, SmtpSink, drain, worker};
use crate::support::TestApp;

fn user(key: &str) -> String {
    format!("{key}@example.org")
}

fn agency(slug: &str) -> String {
    format!("{slug}@agencies.example.org")
}

pub(crate) async fn pass(app: &TestApp, day: &str) {
    notifications::reminders::run_pass(&app.store, day.parse().unwrap(), chrono::Utc::now())
        .await
        .unwrap();
}

/// Runs the clock pass on each of `days` and sends what it queued; everything the
/// SMTP server received from then on.
async fn days(app: &TestApp, sink: &SmtpSink, days: &[&str]) -> Vec<Received> {
    let worker = worker(&app.store, &sink.url(), days[0]);
    let seen = drain(&worker).await;
    let mut total = seen;
    for day in days {
        pass(app, day).await;
        total += drain(&worker).await;
    }
    sink.wait_for(total)[seen..].to_vec()
}

/// Row "a withdrawn return keeps running": after `revoke` and `proceed-without`, the
/// two requests stop. Neither agency is reminded or chased, the Partnership Manager is
/// not escalated and her digest has no line for them, the request says why it stopped
/// and who decided, its clock does not apply, the reports do not count it overdue, and
/// the papers no longer wait for it.
async fn a_withdrawn_or_gone_ahead_without_return_drops_out_of_every_clock(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-30").await;
    let (case, _, _) = crate::returns::case_with_requests(&app).await;
    let sink = SmtpSink::start();
    for (slug, action) in [("county-police", "revoke"), ("northfield-primary", "proceed-without")] {
        let done = app
            .post(
                "bu",
                &format!("/api/v1/cases/{case}/requests/{slug}/{action}"),
                json!({}),
            )
            .await;
        assert_eq!(done.status, 200, "{}", done.body);
    }
    let read = app.get("pm", &format!("/api/v1/cases/{case}")).await.body;
    let statuses: Vec<(String, String)> = read["agency_requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["agency"].as_str().unwrap().to_owned(),
                r["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        statuses.contains(&("county-police".into(), "withdrawn".into())),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&("northfield-primary".into(), "proceeded_without".into())),
        "{statuses:?}"
    );
    let kinds: Vec<&str> = read["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "agency_request_stopped").count(),
        2,
        "{kinds:?}"
    );
    for d in read["deadlines"].as_array().unwrap() {
        if d["step"] == "agency_return" {
            assert_eq!(d["status"], "not_applicable", "{d}");
        }
    }

    // Through the due date (6 January), the day after and a week later.
    let received = days(
        &app,
        &sink,
        &[
            "2027-01-04",
            "2027-01-05",
            "2027-01-06",
            "2027-01-07",
            "2027-01-08",
            "2027-01-11",
            "2027-01-14",
        ],
    )
    .await;
    for r in &received {
        assert!(
            !r.rcpt_tos.contains(&agency("county-police")) && !r.rcpt_tos.contains(&agency("northfield-primary")),
            "an agency no longer asked was written to: {} {:?}",
            r.subject,
            r.rcpt_tos
        );
        assert!(
            !(r.subject.contains("return") && r.subject.to_lowercase().contains("overdue")),
            "{}: {}",
            r.subject,
            r.text
        );
        assert!(!r.text.contains("Agency return"), "{}: {}", r.subject, r.text);
    }
    let report = app
        .get("pm", "/api/v1/reports/timeliness?from=2026-04-01&to=2027-03-31")
        .await
        .body;
    let returns = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "agency_return")
        .unwrap();
    assert_eq!(returns["open_overdue"], 0, "{returns}");
    let page = app
        .page(Some(&app.browser("pm").await), &format!("/cases/{case}"))
        .await;
    let html = page.body.as_str().unwrap();
    assert!(
        html.contains("No longer awaited: the return link was withdrawn (bu@example.org"),
        "{html}"
    );
    assert!(html.contains("No longer awaited: the review goes ahead without this return (bu@example.org"));
    assert_eq!(
        app.get("bu", &format!("/api/v1/cases/{case}/pack.zip")).await.status,
        200,
        "the papers no longer wait for them"
    );

    // A new link for the withdrawn request asks the agency again, and its clock runs.
    let again = app
        .post(
            "bu",
            &format!("/api/v1/cases/{case}/requests/county-police/reissue"),
            json!({}),
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    let token = crate::returns::link_token(&again.body["return_link"]);
    assert_eq!(
        app.send(None, "GET", &format!("/api/v1/returns/{token}"), None)
            .await
            .status,
        200
    );
    let read = app.get("pm", &format!("/api/v1/cases/{case}")).await.body;
    let police = read["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["step"] == "agency_return" && d["agency"] == "county-police")
        .unwrap();
    assert_eq!(police["status"], "due", "{police}");
}

/// Row "the pack is shared before it exists": `pack_shared` while returns are awaited
/// is a 422 naming `warning_reason` and the agencies; with a reason it is recorded,
/// and the emailed link opens the pack for each attendee who may see cases.
async fn the_papers_are_shared_only_when_they_exist_and_the_email_link_opens_them(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-06").await;
    let (case, _, _) = crate::returns::case_with_requests(&app).await;
    app.record(
        "bu",
        &case,
        json!({"type": "meeting_scheduled", "on": "2027-01-05", "meeting_on": "2027-01-08",
               "meeting_kind": "standing_group", "warning_reason": "The standing group meets on Fridays."}),
    )
    .await;
    let events = format!("/api/v1/cases/{case}/events");
    let refused = app
        .post("bu", &events, json!({"type": "pack_shared", "on": "2027-01-06"}))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.body["error"]["field"], "warning_reason", "{}", refused.body);
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("Agency northfield-primary") && message.contains("Agency county-police"),
        "{message}"
    );
    let sink = SmtpSink::start();
    let worker = worker(&app.store, &sink.url(), "2027-01-06");
    let before = drain(&worker).await;
    let shared = app
        .post(
            "bu",
            &events,
            json!({"type": "pack_shared", "on": "2027-01-06", "warning_reason": "The police return comes to the meeting."}),
        )
        .await;
    assert_eq!(shared.status, 201, "{}", shared.body);
    let sent = drain(&worker).await;
    let received = sink.wait_for(before + sent)[before..].to_vec();
    for key in ["chair", "rep_health", "pm"] {
        let mail = received
            .iter()
            .find(|r| r.rcpt_tos == [user(key)])
            .unwrap_or_else(|| panic!("{key} was not told: {received:?}"));
        let link = mail
            .text
            .split_whitespace()
            .find(|w| w.contains("/pack"))
            .unwrap_or_else(|| panic!("{}", mail.text));
        let path = link.trim_start_matches(crate::mail::PUBLIC_URL);
        let page = app.page(Some(&app.browser(key).await), path).await;
        assert_eq!(page.status, 303, "{key}: {path}");
        let zip = page.headers["location"].to_str().unwrap().to_owned();
        let (status, content_type, _) = crate::returns::bytes(&app, Some(key), &zip).await;
        assert_eq!((status, content_type.as_str()), (200, "application/zip"), "{key}");
    }
}

/// Row "overdue agencies are not chased": from the first working day after the due
/// date (Thursday 7 January 2027) and then every `chase_every` (2) working days, each
/// late agency is sent its own link again, until its return comes in; the chases are
/// on the case page's list of who was told.
async fn a_late_agency_is_chased_with_its_own_link_until_its_return_is_in(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-14").await;
    let (case, _, _) = crate::returns::case_with_requests(&app).await;
    let sink = SmtpSink::start();
    let worker = worker(&app.store, &sink.url(), "2027-01-06");
    let mut seen = drain(&worker).await;
    let mut chased: Vec<(String, String)> = Vec::new();
    let mut digests: Vec<(String, Received)> = Vec::new();
    for day in [
        "2027-01-06",
        "2027-01-07",
        "2027-01-08",
        "2027-01-11",
        "2027-01-12",
        "2027-01-13",
        "2027-01-14",
    ] {
        if day == "2027-01-13" {
            app.record(
                "bu",
                &case,
                json!({"type": "agency_return_received", "on": day, "agency": "northfield-primary"}),
            )
            .await;
        }
        pass(&app, day).await;
        let sent = drain(&worker).await;
        for r in &sink.wait_for(seen + sent)[seen..] {
            if r.subject.starts_with("Rapid Review digest") {
                digests.push((day.to_owned(), r.clone()));
            }
            if r.subject.contains("please send it now") {
                assert_eq!(r.rcpt_tos.len(), 1);
                let to = r.rcpt_tos[0].clone();
                // The agency's address, and its contact (an agency user of the school).
                assert!(
                    to.ends_with("@agencies.example.org") || to == user("contact"),
                    "only the agency is chased: {to}"
                );
                assert!(r.text.contains("Open your return: "), "{}", r.text);
                if to != user("contact") {
                    chased.push((day.to_owned(), to));
                }
                chased.sort();
            }
        }
        seen += sent;
    }
    let (school_address, police_address) = (agency("northfield-primary"), agency("county-police"));
    assert_eq!(
        chased,
        vec![
            ("2027-01-08".to_owned(), police_address.clone()),
            ("2027-01-08".to_owned(), school_address.clone()),
            ("2027-01-12".to_owned(), police_address.clone()),
            ("2027-01-12".to_owned(), school_address),
            ("2027-01-14".to_owned(), police_address),
        ],
        "chased on the first working day late and every second one after, until the return is in"
    );
    let page = app
        .page(Some(&app.browser("pm").await), &format!("/cases/{case}"))
        .await;
    assert!(page.body.as_str().unwrap().contains("Overdue: asked again"));
    // Row "digest lines … without naming the agency": each line names the case, the
    // step, the agency, the due date and how late it is.
    let (_, digest) = digests
        .iter()
        .find(|(day, r)| day == "2027-01-12" && r.rcpt_tos == [user("pm")])
        .unwrap_or_else(|| panic!("no digest for the manager on 12 January: {digests:?}"));
    assert!(
        digest.text.contains(
            "Agency return from Agency county-police: still overdue (due 7 January 2027, 3 working days late)"
        ),
        "{}",
        digest.text
    );
    assert!(
        digest
            .text
            .contains("Agency return from Agency northfield-primary: still overdue")
    );
}

/// Rows "discussion posts are silent" and "people told of their own step": a post in
/// the threshold discussion tells the other deciders (never its author, never what it
/// says), and a partner rep who records their own position is not emailed about it.
async fn the_other_deciders_hear_of_a_discussion_post_and_nobody_of_their_own_step(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-23").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    app.record(
        "la",
        &case,
        json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "not_met", "rationale": "Accidental."}),
    )
    .await;
    app.record("la", &case, json!({"type": "decision_fed_back", "on": "2026-12-22"}))
        .await;
    let sink = SmtpSink::start();
    let worker = worker(&app.store, &sink.url(), "2026-12-23");
    let before = drain(&worker).await;
    let health = app.browser("rep_health").await;
    let posted = app
        .submit(
            Some(&health),
            &format!("/cases/{case}/discuss/challenge"),
            &format!("csrf={}&message=Synthetic+concern+about+the+bruising", health.csrf),
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let sent = drain(&worker).await;
    let received = sink.wait_for(before + sent)[before..].to_vec();
    let mut told: Vec<String> = received.iter().map(|r| r.rcpt_tos[0].clone()).collect();
    told.sort();
    assert_eq!(told, vec![user("pm"), user("rep_la"), user("rep_police")]);
    for r in &received {
        assert!(!r.text.contains("bruising"), "no message text in email: {}", r.text);
        assert!(r.text.contains(&format!("/cases/{case}#challenge")), "{}", r.text);
    }

    let seen = before + sent;
    app.record(
        "rep_health",
        &case,
        json!({"type": "challenge_view_recorded", "on": "2026-12-23", "position": "challenge", "reason": "Synthetic."}),
    )
    .await;
    let sent = drain(&worker).await;
    let received = sink.wait_for(seen + sent)[seen..].to_vec();
    assert!(!received.is_empty());
    assert!(
        received.iter().all(|r| r.rcpt_tos != [user("rep_health")]),
        "the rep who recorded it is not told: {:?}",
        received.iter().map(|r| &r.rcpt_tos).collect::<Vec<_>>()
    );
    assert!(received.iter().any(|r| r.rcpt_tos == [user("rep_la")]));
}

/// Every link in `text` to the service, as a path.
fn links(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter_map(|w| w.strip_prefix(crate::mail::PUBLIC_URL))
        .map(|p| p.trim_end_matches(['.', ',', ')']).to_owned())
        .collect()
}

/// The acceptance walk, and rows "links that do not open" and "credentials go to their
/// owner only": the met path, an overturned challenge, an ALA, a not-met decision whose
/// challenge is upheld (with its referrer's letter) and a withdrawn return, then the
/// clock passes of a week (reminders, chases, escalations, action clocks, digests).
/// Every message the SMTP server received is read: each goes to whom it should, every
/// link in it opens for its recipient (a staff page as that user, a return link as the
/// agency it names), and no message carries another party's link.
async fn every_path_s_messages_reach_the_right_people_and_every_link_opens_for_its_recipient(backend: store::Backend) {
    use domain::synthetic::Journey;
    let app = TestApp::new(backend, "2027-01-05").await;
    let sink = SmtpSink::start();
    for journey in [
        Journey::SeriousHarm,
        Journey::ChallengeOverturned,
        Journey::AlternativeLearning,
    ] {
        app.record_journey_until(journey, 0, None).await;
    }
    // Not met; challenged; the challenge upheld; the referrer told.
    let upheld = app.open_case("partner_agency", "2026-12-21").await;
    for (who, body) in [
        (
            "la",
            json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "not_met", "rationale": "An accident."}),
        ),
        ("la", json!({"type": "decision_fed_back", "on": "2026-12-22"})),
        (
            "rep_health",
            json!({"type": "threshold_challenged", "on": "2026-12-23", "grounds": "Synthetic grounds."}),
        ),
    ] {
        app.record(who, &upheld, body).await;
    }
    app.all_four_record(
        &upheld,
        json!({"type": "challenge_view_recorded", "on": "2026-12-24", "position": "agree_with_decision", "reason": "Synthetic."}),
    )
    .await;
    let resolved =
        json!({"type": "challenge_resolved", "on": "2026-12-24", "outcome": "upheld", "rationale": "Synthetic."});
    app.record(
        crate::support::recorder(domain::events::EventKind::ChallengeResolved, &resolved),
        &upheld,
        resolved,
    )
    .await;
    app.record(
        "bu",
        &upheld,
        json!({"type": "outcome_communicated", "on": "2026-12-30", "recipients": ["northfield-primary"]}),
    )
    .await;
    // A return withdrawn before it was due.
    let (withdrawn, _, _) = crate::returns::case_with_requests(&app).await;
    let revoked = app
        .post(
            "bu",
            &format!("/api/v1/cases/{withdrawn}/requests/county-police/revoke"),
            json!({}),
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    // Everything the journeys sent, then a week of clock passes.
    let worker = worker(&app.store, &sink.url(), "2027-01-05");
    let mut total = drain(&worker).await;
    for day in [
        "2027-01-05",
        "2027-01-06",
        "2027-01-07",
        "2027-01-08",
        "2027-01-11",
        "2027-01-12",
    ] {
        pass(&app, day).await;
        total += drain(&worker).await;
    }
    let received = sink.wait_for(total);
    let mut browsers = std::collections::HashMap::new();
    let mut followed = 0;
    for r in &received {
        assert_eq!(r.rcpt_tos.len(), 1, "one recipient a message: {}", r.subject);
        let to = &r.rcpt_tos[0];
        // The agency a recipient speaks for: an agency's address, or its contact.
        let agency_of = if to == &user("contact") {
            Some("northfield-primary".to_owned())
        } else {
            to.strip_suffix("@agencies.example.org").map(str::to_owned)
        };
        for (name, _, _) in &r.attachments {
            for letter in ["outcome-letter-", "decision-letter-"] {
                if let Some((_, rest)) = name.split_once(letter) {
                    let slug = rest.trim_end_matches(".docx");
                    assert_eq!(agency_of.as_deref(), Some(slug), "{to} was sent {name}");
                }
            }
        }
        for path in links(&r.text) {
            if path.starts_with("/returns/") {
                // A return link: only its own agency gets it, and it opens that
                // agency's return (the withdrawn one no longer opens).
                let agency = agency_of
                    .clone()
                    .unwrap_or_else(|| panic!("{to} was sent a return link: {}", r.subject));
                let page = app.page(None, &path).await;
                if page.status == 200 {
                    let html = page.body.as_str().unwrap();
                    assert!(
                        html.contains(&format!("Return for Agency {agency}")),
                        "{to} was sent another's link"
                    );
                } else {
                    assert_eq!(agency, "county-police", "{to}: {path} answers {}", page.status);
                }
            } else {
                let key = to.trim_end_matches("@example.org").to_owned();
                assert!(
                    agency_of.is_none() || to == &user("contact"),
                    "{to} was sent {path} in \"{}\": {}",
                    r.subject,
                    r.text
                );
                if !browsers.contains_key(&key) {
                    browsers.insert(key.clone(), app.browser(&key).await);
                }
                let page = app.page(browsers.get(&key), &path).await;
                assert!(
                    page.status == 200 || page.status == 303,
                    "{to} cannot open {path} ({}) from \"{}\"",
                    page.status,
                    r.subject
                );
            }
            followed += 1;
        }
    }
    assert!(followed > 50, "{followed} links followed");
    let got = |to: &str, subject: &str| {
        received
            .iter()
            .any(|r| r.rcpt_tos == [to.to_owned()] && r.subject.contains(subject))
    };
    // Who got what.
    assert!(got(&user("viewer"), ""), "viewers hear of the learning");
    assert!(
        received
            .iter()
            .filter(|r| r.rcpt_tos == [user("viewer")])
            .all(|r| !r.text.contains("/cases/")),
        "viewers are sent the reports, never a case"
    );
    assert!(
        received.iter().any(|r| r.rcpt_tos == [agency("northfield-primary")]
            && r.attachments
                .iter()
                .any(|(n, _, _)| n.contains("decision-letter-northfield-primary"))),
        "the referrer of the upheld decision is sent its letter"
    );
    assert!(got(&agency("county-police"), "your return link was withdrawn"));
    let after_withdrawal = received
        .iter()
        .skip_while(|r| !(r.rcpt_tos == [agency("county-police")] && r.subject.contains("withdrawn")))
        .filter(|r| r.rcpt_tos == [agency("county-police")])
        .filter(|r| r.subject.contains("Agency return"))
        .count();
    assert_eq!(
        after_withdrawal, 0,
        "the withdrawn return is neither reminded nor chased"
    );
    assert!(
        got(&agency("northfield-primary"), "please send it now"),
        "the late school is chased"
    );
    assert!(
        got(&user("pm"), "overdue: Agency return from Agency northfield-primary"),
        "escalated"
    );
    assert!(got(&user("pm"), "Rapid Review digest"), "the manager's digest");
    assert!(
        received
            .iter()
            .any(|r| r.rcpt_tos == [user("pm")] && r.text.contains("Immediate action 1: still overdue")),
        "the overturned case's late action is in the manager's digest"
    );
    // Each decider hears of the three other views on the upheld challenge, never of
    // their own; the LA decision maker, who gave none, of all four.
    let views = domain::events::EventKind::ChallengeViewRecorded.done_label();
    for (who, expected) in [
        ("rep_la", 3),
        ("rep_health", 3),
        ("rep_police", 3),
        ("pm", 3),
        ("la", 4),
    ] {
        let heard = received
            .iter()
            .filter(|r| r.rcpt_tos == [user(who)] && r.subject.ends_with(views) && r.text.contains(&upheld))
            .count();
        assert_eq!(heard, expected, "{who} heard of {heard} views");
    }
}

/// The words of the DOCX file at `path` (a saved attachment).
fn docx_words(path: &std::path::Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    crate::returns::zip_text(&mut crate::returns::unzip(&bytes), "word/document.xml")
}

/// Row "outcome letters are never sent": `outcome_communicated` is recorded recipient
/// by recipient, each recipient's own letter attached to their email; telling one
/// twice names `recipients`; the clock is done when all are told, or when the
/// Partnership Manager (only she) closes the list; the case page lists who was sent
/// what and when.
async fn outcome_letters_go_recipient_by_recipient_and_the_clock_ends_when_all_are_told(backend: store::Backend) {
    use domain::events::EventKind;
    use domain::synthetic::Journey;
    let app = TestApp::new(backend, "2027-12-31").await;
    let (case, reference) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::OutcomeCommunicated))
        .await;
    let read = app.get("pm", &format!("/api/v1/cases/{case}")).await.body;
    let asked: Vec<String> = read["agency_requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["agency"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(asked.len(), 3, "{asked:?}");
    let on = read["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "rapid_review_submitted")
        .unwrap()["on"]
        .as_str()
        .unwrap()
        .to_owned();
    let sink = SmtpSink::start();
    let worker = worker(&app.store, &sink.url(), "2027-12-31");
    let before = drain(&worker).await;
    let events = format!("/api/v1/cases/{case}/events");
    let first = app
        .post(
            "bu",
            &events,
            json!({"type": "outcome_communicated", "on": on, "recipients": [asked[0]]}),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.body);
    let clock = |case: &serde_json::Value| {
        case["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["step"] == "outcome_communication")
            .unwrap()["status"]
            .clone()
    };
    assert_ne!(clock(&first.body["case"]), "done", "two agencies still to tell");
    let sent = drain(&worker).await;
    let received = sink.wait_for(before + sent)[before..].to_vec();
    let letter = received
        .iter()
        .find(|r| r.rcpt_tos == [agency(&asked[0])])
        .unwrap_or_else(|| panic!("{received:?}"));
    assert_eq!(letter.attachments.len(), 1, "{:?}", letter.attachments);
    let (name, content_type, saved) = &letter.attachments[0];
    assert_eq!(name, &format!("{reference}-outcome-letter-{}.docx", asked[0]));
    assert!(
        content_type.starts_with("application/vnd.openxmlformats"),
        "{content_type}"
    );
    assert!(docx_words(saved).contains(&format!("Outcome of Rapid Review {reference}")));
    assert!(
        letter.text.contains("The attached letter holds case details"),
        "{}",
        letter.text
    );
    assert!(
        received.iter().all(|r| r.rcpt_tos != [agency(&asked[1])]),
        "only those told now"
    );
    // The case's correspondence says who was sent what, and where it is.
    let read = app.get("pm", &format!("/api/v1/cases/{case}")).await.body;
    let entry = read["correspondence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["about"] == "outcome_communicated" && m["to"] == agency(&asked[0]).as_str())
        .unwrap_or_else(|| panic!("{}", read["correspondence"]));
    assert_eq!(entry["agency"], asked[0].as_str());
    assert_eq!(entry["status"], "sent", "{entry}");
    assert!(entry["sent_at"].is_string(), "{entry}");
    assert_eq!(entry["attachments"], json!([name]));

    let twice = app
        .post(
            "bu",
            &events,
            json!({"type": "outcome_communicated", "on": on, "recipients": [asked[0]]}),
        )
        .await;
    assert_eq!(twice.status, 422, "{}", twice.body);
    assert_eq!(twice.body["error"]["field"], "recipients");
    let second = app
        .post(
            "bu",
            &events,
            json!({"type": "outcome_communicated", "on": on, "recipients": [asked[1]]}),
        )
        .await;
    assert_eq!(second.status, 201, "{}", second.body);
    let closing =
        json!({"type": "outcome_communicated", "on": on, "closing_reason": "The police were told in person."});
    assert_eq!(app.post("bu", &events, closing.clone()).await.status, 403);
    let closed = app.post("pm", &events, closing).await;
    assert_eq!(closed.status, 201, "{}", closed.body);
    assert_eq!(clock(&closed.body["case"]), "done");
    drain(&worker).await;
    let page = app
        .page(Some(&app.browser("pm").await), &format!("/cases/{case}"))
        .await;
    let html = page.body.as_str().unwrap();
    assert!(html.contains("Who is told the outcome"), "{html}");
    assert_eq!(html.matches("Told on ").count(), 2, "{html}");
    assert!(html.contains("Not told yet"));
    assert!(html.contains("The outcome letter to"), "{html}");
}

/// Row "the referrer on the not-met path is never told": after the decision is fed
/// back, the referring agency is told in a decision letter of its own, tracked the
/// same way, and the letter downloads.
async fn on_the_not_met_path_the_referrer_is_sent_the_decision_letter(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-23").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    app.record(
        "la",
        &case,
        json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "not_met", "rationale": "An accident, seen by two adults."}),
    )
    .await;
    let events = format!("/api/v1/cases/{case}/events");
    let early = app
        .post(
            "bu",
            &events,
            json!({"type": "outcome_communicated", "on": "2026-12-22"}),
        )
        .await;
    assert_eq!(early.status, 409, "{}", early.body);
    app.record("la", &case, json!({"type": "decision_fed_back", "on": "2026-12-22"}))
        .await;
    let stranger = app
        .post(
            "bu",
            &events,
            json!({"type": "outcome_communicated", "on": "2026-12-23", "recipients": ["county-police"]}),
        )
        .await;
    assert_eq!(stranger.status, 422, "{}", stranger.body);
    assert_eq!(stranger.body["error"]["field"], "recipients[0]");
    let sink = SmtpSink::start();
    let worker = worker(&app.store, &sink.url(), "2026-12-23");
    let before = drain(&worker).await;
    let told = app
        .post(
            "bu",
            &events,
            json!({"type": "outcome_communicated", "on": "2026-12-23", "recipients": ["northfield-primary"]}),
        )
        .await;
    assert_eq!(told.status, 201, "{}", told.body);
    let sent = drain(&worker).await;
    let received = sink.wait_for(before + sent)[before..].to_vec();
    let letter = received
        .iter()
        .find(|r| r.rcpt_tos == [agency("northfield-primary")])
        .unwrap_or_else(|| panic!("{received:?}"));
    assert_eq!(letter.attachments.len(), 1);
    assert!(letter.attachments[0].0.contains("decision-letter-northfield-primary"));
    assert!(docx_words(&letter.attachments[0].2).contains("the Serious Harm threshold is not met"));
    let (status, _, docx) = crate::returns::bytes(
        &app,
        Some("bu"),
        &format!("/api/v1/cases/{case}/outcome-letter.docx?agency=northfield-primary"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        crate::returns::zip_text(&mut crate::returns::unzip(&docx), "word/document.xml").contains("Decision on case")
    );
    let page = app
        .page(Some(&app.browser("pm").await), &format!("/cases/{case}"))
        .await;
    assert!(
        page.body
            .as_str()
            .unwrap()
            .contains("Decision letter to Agency northfield-primary")
    );
}

/// Row "the Panel submission is not sent": with `RAPID_REVIEW_PANEL_EMAIL` set,
/// `rapid_review_submitted` sends the Template and the covering letter to the Panel,
/// the Partnership Manager in copy; without it, her copy says they must go by hand.
async fn the_submission_is_sent_to_the_panel_with_its_papers_or_said_to_go_by_hand(backend: store::Backend) {
    use domain::events::EventKind;
    use domain::synthetic::Journey;
    for panel in [Some("submissions@panel.example.org"), None] {
        let app = TestApp::new(backend, "2027-12-31").await;
        let entry = store::AuditEntry::about(chrono::Utc::now(), Some("operator"), "panel_address_set", None, "ok");
        app.store.set_panel_address(panel, &entry).await.unwrap();
        let sink = SmtpSink::start();
        let worker = worker(&app.store, &sink.url(), "2027-12-31");
        let (_, reference) = app
            .record_journey_until(Journey::SeriousHarm, 0, Some(EventKind::OutcomeCommunicated))
            .await;
        let sent = drain(&worker).await;
        let received = sink.wait_for(sent);
        let submitted = |to: &str| {
            received
                .iter()
                .find(|r| {
                    r.rcpt_tos == [to.to_owned()] && r.subject.ends_with(EventKind::RapidReviewSubmitted.done_label())
                })
                .unwrap_or_else(|| panic!("{to} was not told of the submission"))
        };
        let names = |r: &Received| -> Vec<String> { r.attachments.iter().map(|a| a.0.clone()).collect() };
        let copy = submitted(&user("pm"));
        let papers = vec![
            format!("{reference}-rapid-review-template-v1.docx"),
            format!("{reference}-panel-letter.docx"),
        ];
        assert_eq!(names(copy), papers, "{}", copy.text);
        assert!(docx_words(&copy.attachments[1].2).contains(&reference));
        match panel {
            Some(address) => {
                let to_panel = submitted(address);
                assert_eq!(names(to_panel), papers);
                assert!(
                    !to_panel.text.contains("/cases/"),
                    "no link the Panel cannot open: {}",
                    to_panel.text
                );
                assert!(
                    copy.text.contains(&format!("sent to the National Panel at {address}")),
                    "{}",
                    copy.text
                );
            }
            None => assert!(copy.text.contains("must go to the Panel by hand"), "{}", copy.text),
        }
        assert!(submitted(&user("rep_health")).attachments.is_empty());
    }
}

/// Row "two clocks": under a business date of its own (`serve --today`), what the case
/// records (a step's "recorded at", a template save, each sign-off) is dated on that
/// day, so a Panel letter never lists sign-offs from another.
async fn steps_saves_and_sign_offs_are_dated_on_the_business_day(backend: store::Backend) {
    use domain::events::EventKind;
    use domain::synthetic::Journey;
    let app = TestApp::new(backend, "2027-01-07").await;
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::RapidReviewSubmitted))
        .await;
    app.sign_template(&case).await;
    let read = app.get("pm", &format!("/api/v1/cases/{case}")).await.body;
    for e in read["events"].as_array().unwrap() {
        assert!(e["recorded_at"].as_str().unwrap().starts_with("2027-01-07T"), "{e}");
    }
    let template = app.get("pm", &format!("/api/v1/cases/{case}/template")).await.body;
    assert!(
        template["saved_at"].as_str().unwrap().starts_with("2027-01-07"),
        "{template}"
    );
    for s in template["sign_offs"].as_array().unwrap() {
        assert!(s["at"].as_str().unwrap().starts_with("2027-01-07"), "{s}");
    }
    // And what the mail worker (on the same business date) sends is "sent" that day.
    let sink = SmtpSink::start();
    assert!(drain(&worker(&app.store, &sink.url(), "2027-01-07")).await > 0);
    let read = app.get("pm", &format!("/api/v1/cases/{case}")).await.body;
    let sent: Vec<&str> = read["correspondence"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["sent_at"].as_str())
        .collect();
    assert!(
        !sent.is_empty() && sent.iter().all(|at| at.starts_with("2027-01-07T")),
        "{sent:?}"
    );
}

/// The outcome's form on the case page offers the recipients not told yet, as
/// checkboxes; ticking one tells that one.
async fn the_outcome_form_tells_the_recipients_ticked(backend: store::Backend) {
    use domain::events::EventKind;
    use domain::synthetic::Journey;
    let app = TestApp::new(backend, "2027-12-31").await;
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::OutcomeCommunicated))
        .await;
    let bu = app.browser("bu").await;
    let path = format!("/cases/{case}/record/outcome_communicated");
    let form = app.page(Some(&bu), &path).await;
    let html = form.body.as_str().unwrap();
    assert!(
        html.contains("name=\"recipients\" type=\"checkbox\" value=\"county-police\""),
        "{html}"
    );
    let recorded = app
        .submit(
            Some(&bu),
            &path,
            &format!(
                "csrf={}&on-day=31&on-month=12&on-year=2027&recipients=county-police",
                bu.csrf
            ),
        )
        .await;
    assert_eq!(recorded.status, 303, "{}", recorded.body);
    let read = app.get("bu", &format!("/api/v1/cases/{case}")).await.body;
    let last = read["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["recipients"], json!(["county-police"]), "{last}");
}

/// Row "meeting invitations are partial", second half: someone the meeting invites by
/// address (a GP who does not use the service) is sent the invitation there, named in
/// its ATTENDEE lines as in the API's `meeting.ics`, with no link into the service; a
/// wrong address is refused naming it, and the form takes an invitee too.
async fn someone_invited_by_address_gets_the_invitation_there(backend: store::Backend) {
    use domain::events::EventKind;
    use domain::synthetic::Journey;
    let app = TestApp::new(backend, "2026-07-31").await;
    let (case, reference) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::MeetingScheduled))
        .await;
    let sink = SmtpSink::start();
    let worker = worker(&app.store, &sink.url(), "2026-07-31");
    let before = drain(&worker).await;
    let meeting = json!({"type": "meeting_scheduled", "on": "2026-06-09", "meeting_on": "2026-06-16",
        "meeting_kind": "extraordinary", "starts_at": "10:00"});
    let mut wrong = meeting.clone();
    wrong["invitees"] = json!([{"name": "Dr A Synthetic", "email": "not an address"}]);
    let refused = app.post("bu", &format!("/api/v1/cases/{case}/events"), wrong).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.body["error"]["field"], "invitees[0].email", "{}", refused.body);
    let mut body = meeting.clone();
    body["invitees"] = json!([{"name": "Dr A Synthetic", "email": "gp@surgery.example.org"}]);
    app.record("bu", &case, body).await;
    let sent = drain(&worker).await;
    let received = sink.wait_for(before + sent)[before..].to_vec();
    let gp: Vec<_> = received
        .iter()
        .filter(|r| r.rcpt_tos == ["gp@surgery.example.org"])
        .collect();
    assert_eq!(gp.len(), 1, "the invitee gets one message");
    let message = gp[0];
    assert!(
        !message.text.contains("/cases/"),
        "no link they cannot open: {}",
        message.text
    );
    assert!(
        message.text.contains("Dr A Synthetic, invited to the meeting"),
        "{}",
        message.text
    );
    let (name, _, path) = &message.attachments[0];
    assert_eq!(name, &format!("{reference}-meeting.ics"));
    let emailed = std::fs::read_to_string(path).unwrap().replace("\r\n ", "");
    assert!(emailed.contains("mailto:gp@surgery.example.org"), "{emailed}");
    assert!(emailed.contains("T100000"), "the start time: {emailed}");
    let api = app.get("chair", &format!("/api/v1/cases/{case}/meeting.ics")).await;
    let api = api.body.as_str().unwrap().replace("\r\n ", "");
    assert!(api.contains("mailto:gp@surgery.example.org"), "{api}");
    // The form takes an invitee as well.
    let bu = app.browser("bu").await;
    let path = format!("/cases/{case}/record/meeting_scheduled");
    let form = app.page(Some(&bu), &path).await;
    assert!(form.body.as_str().unwrap().contains("name=\"invitees-0-email\""));
    let recorded = app
        .submit(
            Some(&bu),
            &path,
            &format!(
                "csrf={}&on-day=10&on-month=6&on-year=2026&meeting_on-day=16&meeting_on-month=6&meeting_on-year=2026\
                 &meeting_kind=extraordinary&invitees-0-name=Head+Teacher&invitees-0-email=head%40school.example.org",
                bu.csrf
            ),
        )
        .await;
    assert_eq!(recorded.status, 303, "{}", recorded.body);
    let read = app.get("bu", &format!("/api/v1/cases/{case}")).await.body;
    let last = read["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["invitees"],
        json!([{"name": "Head Teacher", "email": "head@school.example.org"}]),
        "{last}"
    );
}

/// Row "a withdrawn return keeps running", for data from before the fix: a return
/// gone ahead without, and one whose link was withdrawn, when only their rows changed
/// (as the service did then) are recorded as stopped once, after the upgrade, dated the
/// day they stopped, by whoever decided; then their clocks no longer run.
async fn requests_stopped_before_the_upgrade_are_recorded_as_stopped_once(backend: store::Backend) {
    use sqlx::Connection;
    let app = TestApp::new(backend, "2027-01-11").await;
    let (case, _, _) = crate::returns::case_with_requests(&app).await;
    let mut conn = sqlx::AnyConnection::connect(&app.database_url()).await.unwrap();
    for sql in [
        "UPDATE agency_requests SET proceed_without_at = '2027-01-04T10:00:00.000Z', proceed_without_by = 'bu@example.org'
         WHERE agency = 'northfield-primary'",
        "UPDATE agency_requests SET revoked_at = '2027-01-05T10:00:00.000Z' WHERE agency = 'county-police'",
        // What migration 0023 leaves on an upgraded database.
        "INSERT INTO settings (key, value) VALUES ('legacy_stops_pending', '1')",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();
    let before = app.get("pm", &format!("/api/v1/cases/{case}")).await.body;
    assert!(
        before["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["step"] == "agency_return" && d["status"] == "overdue"),
        "before the upgrade's step, the clocks still run: {}",
        before["deadlines"]
    );
    let at = chrono::Utc::now();
    assert_eq!(app.store.record_legacy_stops(at).await.unwrap(), 2);
    assert_eq!(app.store.record_legacy_stops(at).await.unwrap(), 0, "once");
    let after = app.get("pm", &format!("/api/v1/cases/{case}")).await.body;
    let stops: Vec<(String, String, String, String)> = after["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "agency_request_stopped")
        .map(|e| {
            (
                e["agency"].as_str().unwrap().to_owned(),
                e["because"].as_str().unwrap().to_owned(),
                e["on"].as_str().unwrap().to_owned(),
                e["actor"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        stops,
        vec![
            (
                "northfield-primary".into(),
                "going_ahead_without".into(),
                "2027-01-04".into(),
                "bu@example.org".into()
            ),
            (
                "county-police".into(),
                "link_withdrawn".into(),
                "2027-01-05".into(),
                "pm@example.org".into()
            ),
        ]
    );
    for d in after["deadlines"].as_array().unwrap() {
        if d["step"] == "agency_return" {
            assert_eq!(d["status"], "not_applicable", "{d}");
        }
    }
}

crate::on_both_backends!(
    requests_stopped_before_the_upgrade_are_recorded_as_stopped_once,
    someone_invited_by_address_gets_the_invitation_there,
    the_outcome_form_tells_the_recipients_ticked,
    steps_saves_and_sign_offs_are_dated_on_the_business_day,
    the_submission_is_sent_to_the_panel_with_its_papers_or_said_to_go_by_hand,
    outcome_letters_go_recipient_by_recipient_and_the_clock_ends_when_all_are_told,
    on_the_not_met_path_the_referrer_is_sent_the_decision_letter,
    every_path_s_messages_reach_the_right_people_and_every_link_opens_for_its_recipient,
    the_other_deciders_hear_of_a_discussion_post_and_nobody_of_their_own_step,
    a_late_agency_is_chased_with_its_own_link_until_its_return_is_in,
    a_withdrawn_or_gone_ahead_without_return_drops_out_of_every_clock,
    the_papers_are_shared_only_when_they_exist_and_the_email_link_opens_them
);
