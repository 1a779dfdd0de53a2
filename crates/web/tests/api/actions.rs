//! After the meeting: the immediate actions and the learning action plan, each action
//! with an owner, a due date, a status and evidence when done, on the dashboard until
//! done; and the local review's commissioning with its terms of reference and a reason
//! for publishing after the 6-month clock.

use domain::events::EventKind;
use domain::synthetic::Journey;
use serde_json::json;

use crate::support::TestApp;

const TODAY: &str = "2026-07-31";

async fn case_after_the_meeting(app: &TestApp) -> String {
    app.record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::RapidReviewSubmitted))
        .await
        .0
}

fn html(res: &crate::support::Response) -> &str {
    res.body.as_str().unwrap_or("")
}

async fn a_learning_action_stays_on_the_dashboard_until_it_is_done_with_its_evidence(backend: store::Backend) {
    let app = TestApp::new(backend, TODAY).await;
    let case = case_after_the_meeting(&app).await;
    let events = format!("/api/v1/cases/{case}/events");
    let stranger = app
        .post(
            "bu",
            &events,
            json!({"type": "learning_action_added", "on": "2026-07-01",
            "action": "Audit the transfer of records", "owner_agency": "nowhere-trust", "due": "2026-07-20"}),
        )
        .await;
    assert_eq!(
        (stranger.status.as_u16(), &stranger.body["error"]["field"]),
        (422, &json!("owner_agency"))
    );
    app.record(
        "bu",
        &case,
        json!({"type": "learning_action_added", "on": "2026-07-01",
        "action": "Audit the transfer of records", "owner_agency": "city-gp-practice", "due": "2026-07-20"}),
    )
    .await;
    // The synthetic meeting's immediate action is done; the learning action is overdue.
    app.record(
        "bu",
        &case,
        json!({"type": "action_updated", "on": "2026-07-02", "plan": "immediate", "number": 1,
        "status": "done", "evidence": "Plan shared on 22 June."}),
    )
    .await;
    let pm = app.browser("pm").await;
    let dashboard = app.page(Some(&pm), "/").await;
    assert!(html(&dashboard).contains("Actions not done yet"));
    let listed = format!("href=\"/cases/{case}\">RR-2026-0001</a>: the earliest is due 20 July 2026");
    assert!(html(&dashboard).contains(&listed), "{}", html(&dashboard));
    let page = app.page(Some(&pm), &format!("/cases/{case}")).await;
    assert!(html(&page).contains("Learning action plan"));
    assert!(html(&page).contains("Agency city-gp-practice"));
    assert!(html(&page).contains("Plan shared on 22 June."));

    let no_evidence = app
        .post(
            "bu",
            &events,
            json!({"type": "action_updated", "on": "2026-07-21", "plan": "learning", "number": 1, "status": "done"}),
        )
        .await;
    assert_eq!(no_evidence.body["error"]["field"], "evidence");
    let no_such = app
        .post(
            "bu",
            &events,
            json!({"type": "action_updated", "on": "2026-07-21", "plan": "learning", "number": 2,
            "status": "done", "evidence": "x"}),
        )
        .await;
    assert_eq!(
        (no_such.status.as_u16(), &no_such.body["error"]["field"]),
        (422, &json!("number"))
    );
    app.record(
        "bu",
        &case,
        json!({"type": "action_updated", "on": "2026-07-21", "plan": "learning", "number": 1,
        "status": "done", "evidence": "Audit found records now transfer within 2 days."}),
    )
    .await;
    let dashboard = app.page(Some(&pm), "/").await;
    assert!(!html(&dashboard).contains(&listed));
    assert!(html(&dashboard).contains("Every immediate action and learning action is done."));
}

async fn a_case_with_an_open_learning_action_closes_only_with_a_reason(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-12-31").await;
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::CaseClosed))
        .await;
    app.record(
        "bu",
        &case,
        json!({"type": "learning_action_added", "on": "2026-12-01",
        "action": "Repeat the audit", "owner_agency": "county-police", "due": "2027-03-01"}),
    )
    .await;
    let refused = app
        .post(
            "pm",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "case_closed", "on": "2027-01-04"}),
        )
        .await;
    assert_eq!(
        (refused.status.as_u16(), &refused.body["error"]["field"]),
        (422, &json!("reason"))
    );
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("learning action plan")
    );
    app.record(
        "pm",
        &case,
        json!({"type": "case_closed", "on": "2027-01-04", "reason": "The action moved to the ESG's plan."}),
    )
    .await;
}

async fn a_local_review_published_after_its_six_month_clock_needs_a_reason(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-12-31").await;
    let (case, _) = app
        .record_journey_until(Journey::SeriousHarm, 1, Some(EventKind::LcsprCommissioned))
        .await;
    // The meeting was on 16 June 2026: the clock runs to 16 December 2026.
    let late = json!({"type": "lcspr_commissioned", "on": "2026-07-10", "reviewer": "Independent Reviewer",
        "planned_publication_on": "2027-02-01", "terms_of_reference": "How agencies shared information about the baby."});
    let refused = app
        .post("bu", &format!("/api/v1/cases/{case}/events"), late.clone())
        .await;
    assert_eq!(
        (refused.status.as_u16(), &refused.body["error"]["field"]),
        (422, &json!("publication_reason"))
    );
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("16 December 2026")
    );
    let mut with_reason = late;
    with_reason["publication_reason"] = json!("The criminal trial is listed for January.");
    let case_json = app.record("bu", &case, with_reason).await;
    let event = case_json["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        event["terms_of_reference"],
        "How agencies shared information about the baby."
    );
    assert_eq!(event["publication_reason"], "The criminal trial is listed for January.");
}

/// (to, subject, text) of a message received.
type Mail = (String, String, String);

/// Row "learning actions have no clock": the meeting's immediate action (owned by
/// "Business Unit") and a learning action (owned by the school) are reminded to their
/// owners two working days before and on the day, escalated to the Partnership Manager
/// on the first working day overdue, and then a line in her digest until done. The
/// school's reminder carries no link it cannot open; the staff's link the case.
async fn an_action_is_reminded_to_its_owner_escalated_when_late_and_kept_in_the_digest_until_done(
    backend: store::Backend,
) {
    use crate::mail::{SmtpSink, drain, worker};
    let app = TestApp::new(backend, TODAY).await;
    let case = case_after_the_meeting(&app).await;
    let read = app.get("bu", &format!("/api/v1/cases/{case}")).await.body;
    let held = read["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "meeting_held")
        .unwrap()
        .clone();
    let due: chrono::NaiveDate = held["immediate_actions"][0]["due"].as_str().unwrap().parse().unwrap();
    app.record(
        "bu",
        &case,
        json!({"type": "learning_action_added", "on": held["on"], "action": "Train the team",
               "owner_agency": "northfield-primary", "due": due.to_string()}),
    )
    .await;
    let calendar = domain::calendar::Calendar::england_and_wales();
    let day = |n: i32| calendar.add_working_days(due, n).to_string();
    let sink = SmtpSink::start();
    let worker = worker(&app.store, &sink.url(), &day(-2));
    let mut seen = drain(&worker).await;
    let mut by_day: Vec<(i32, Vec<Mail>)> = Vec::new();
    for n in -2..=3 {
        if n == 2 {
            app.record(
                "bu",
                &case,
                json!({"type": "action_updated", "on": day(2), "plan": "immediate", "number": 1,
                       "status": "done", "evidence": "Shared with the school"}),
            )
            .await;
        }
        crate::correspondence::pass(&app, &day(n)).await;
        let sent = drain(&worker).await;
        let got = sink.wait_for(seen + sent)[seen..]
            .iter()
            .filter(|r| r.subject.contains(" action ") || r.subject.starts_with("Rapid Review digest"))
            .map(|r| (r.rcpt_tos[0].clone(), r.subject.clone(), r.text.clone()))
            .collect();
        by_day.push((n, got));
        seen += sent;
    }
    let subjects = |n: i32| -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = by_day
            .iter()
            .find(|(d, _)| *d == n)
            .unwrap()
            .1
            .iter()
            .map(|(to, subject, _)| (to.clone(), subject.split_once(": ").unwrap().1.to_owned()))
            .collect();
        out.sort();
        out
    };
    let pair = |to: &str, subject: &str| (to.to_owned(), subject.to_owned());
    let (bu, school, contact, pm) = (
        "bu@example.org",
        "northfield-primary@agencies.example.org",
        "contact@example.org",
        "pm@example.org",
    );
    assert_eq!(
        subjects(-2),
        vec![
            pair(bu, "due in 2 working days: Immediate action 1"),
            pair(contact, "due in 2 working days: Learning action 1"),
            pair(school, "due in 2 working days: Learning action 1"),
        ]
    );
    assert!(subjects(-1).is_empty(), "{:?}", subjects(-1));
    assert_eq!(
        subjects(0),
        vec![
            pair(bu, "due today: Immediate action 1"),
            pair(contact, "due today: Learning action 1"),
            pair(school, "due today: Learning action 1"),
        ]
    );
    assert_eq!(
        subjects(1),
        vec![
            pair(pm, "overdue: Immediate action 1"),
            pair(pm, "overdue: Learning action 1")
        ]
    );
    // From the second working day late, the manager's digest lists each open action.
    let digest = |n: i32| -> String {
        by_day
            .iter()
            .find(|(d, _)| *d == n)
            .unwrap()
            .1
            .iter()
            .find(|(to, subject, _)| to == pm && subject.starts_with("Rapid Review digest"))
            .map(|(_, _, text)| text.clone())
            .unwrap_or_default()
    };
    // Done on the second working day late: only the learning action is left.
    assert!(
        digest(2).contains("Learning action 1: still overdue") && !digest(2).contains("Immediate action 1"),
        "{}",
        digest(2)
    );
    assert!(
        digest(3).contains(&format!(
            "Learning action 1: still overdue (due {}",
            due.format("%-d %B %Y")
        )),
        "{}",
        digest(3)
    );
    // The owner on the staff finds the action on the case; the school, who cannot open
    // the case, is told whom to tell when it is done.
    let text_of = |to: &str| {
        by_day[0]
            .1
            .iter()
            .find(|(t, _, _)| t == to)
            .map(|(_, _, text)| text.clone())
            .unwrap()
    };
    assert!(
        text_of(bu).contains(&format!("/cases/{case}#actions")),
        "{}",
        text_of(bu)
    );
    assert!(!text_of(school).contains("/cases/"), "{}", text_of(school));
    assert!(text_of(school).contains("tell the"), "{}", text_of(school));
    assert!(
        !text_of(school).contains("Train the team"),
        "no case words: {}",
        text_of(school)
    );
    // Each is in the case's correspondence, naming its action.
    let read = app.get("pm", &format!("/api/v1/cases/{case}")).await.body;
    assert!(
        read["correspondence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["action"] == "learning-1" && m["about"] == "due_today" && m["to"] == school),
        "{}",
        read["correspondence"]
    );
}

crate::on_both_backends!(
    an_action_is_reminded_to_its_owner_escalated_when_late_and_kept_in_the_digest_until_done,
    a_learning_action_stays_on_the_dashboard_until_it_is_done_with_its_evidence,
    a_case_with_an_open_learning_action_closes_only_with_a_reason,
    a_local_review_published_after_its_six_month_clock_needs_a_reason,
);
