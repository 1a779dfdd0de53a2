//! The dashboard by case, in process with a session: one row per open case with its
//! next action, Panel date and worst tag; what is due to the Panel soon; a role's
//! tasks; paging; a return gone ahead without never overdue; each role's own page.

use serde_json::Value;

use crate::returns::case_with_requests;
use crate::support::TestApp;

fn html(res: &crate::support::Response) -> &str {
    res.body.as_str().unwrap_or("")
}

/// The row of `reference` in the page's table of open cases.
fn row_of<'a>(page: &'a str, reference: &str) -> &'a str {
    let page = &page[page.find("aria-label=\"Open cases\"").expect("the open cases table")..];
    let at = page
        .find(&format!(">{reference}</a>"))
        .unwrap_or_else(|| panic!("{reference} not on the page"));
    let end = page[at..].find("</tr>").map_or(page.len(), |e| at + e);
    &page[at..end]
}

async fn reference(app: &TestApp, id: &str) -> String {
    app.get("pm", &format!("/api/v1/cases/{id}")).await.body["reference"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn each_open_case_has_its_next_action_panel_date_and_worst_tag(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-06").await;
    // Requests sent 30 December, returns due 7 January: due soon on the 6th.
    let (case, _, _) = case_with_requests(&app).await;
    let late = app.open_case("children_services", "2026-12-14").await;
    let pm = app.browser("pm").await;
    let page = app.page(Some(&pm), "/").await;
    assert_eq!(page.status, 200);
    let text = html(&page);
    let row = row_of(text, &reference(&app, &late).await);
    assert!(
        row.contains("Decide whether the Serious Harm threshold is met"),
        "{row}"
    );
    assert!(row.contains("Local authority decision maker"), "who takes it: {row}");
    assert!(row.contains("Overdue") && row.contains("overdue by"), "{row}");
    let row = row_of(text, &reference(&app, &case).await);
    assert!(row.contains("Agency return") && row.contains("Due soon"), "{row}");
    // Notified 23 December: due to the Panel 15 working days later, 18 January.
    assert!(row.contains("18 January 2027"), "{row}");
    assert!(!text.contains("-1 working"), "never a negative number");
}

async fn what_is_due_to_the_panel_within_5_working_days_comes_first(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-12").await;
    let (case, _, _) = case_with_requests(&app).await;
    let pm = app.browser("pm").await;
    let text = app.page(Some(&pm), "/").await.body.as_str().unwrap().to_owned();
    let section =
        &text[text.find("Due to the Panel in the next 5 working days").unwrap()..text.find("My tasks").unwrap()];
    assert!(section.contains(&reference(&app, &case).await), "{section}");
    let early = TestApp::new(store::Backend::Sqlite, "2027-01-04").await;
    case_with_requests(&early).await;
    let pm = early.browser("pm").await;
    let text = early.page(Some(&pm), "/").await.body.as_str().unwrap().to_owned();
    assert!(text.contains("No Rapid Review is due to the National Panel in the next 5 working days."));
}

async fn my_tasks_are_the_open_cases_whose_next_step_my_role_records(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-06").await;
    let waiting = app.open_case("children_services", "2026-12-21").await;
    let la = app.browser("la").await;
    let text = app.page(Some(&la), "/").await.body.as_str().unwrap().to_owned();
    let tasks = &text[text.find("My tasks").unwrap()..text.find("Open cases").unwrap()];
    assert!(tasks.contains(&reference(&app, &waiting).await), "{tasks}");
    let chair = app.browser("chair").await;
    let text = app.page(Some(&chair), "/").await.body.as_str().unwrap().to_owned();
    assert!(text.contains("Nothing is waiting for your role now."));
}

async fn overdue_ids(app: &TestApp) -> Vec<String> {
    let list = app.get("pm", "/api/v1/cases?overdue=true").await.body;
    list["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_return_gone_ahead_without_is_never_overdue(backend: store::Backend) {
    let app2 = TestApp::new(backend, "2027-01-20").await;
    let (other, _, _) = case_with_requests(&app2).await;
    assert!(
        overdue_ids(&app2).await.contains(&other),
        "returns due 7 January are overdue on the 20th"
    );
    for agency in ["northfield-primary", "county-police"] {
        let res = app2
            .post(
                "bu",
                &format!("/api/v1/cases/{other}/requests/{agency}/proceed-without"),
                Value::Null,
            )
            .await;
        assert!(res.status.is_success(), "{}", res.body);
    }
    let page = app2.page(Some(&app2.browser("pm").await), "/").await;
    let row = row_of(html(&page), &reference(&app2, &other).await);
    assert!(!row.contains("Agency return"), "no longer waited for: {row}");
}

async fn the_dashboard_is_paged_at_50_cases(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-06").await;
    for _ in 0..51 {
        app.open_case("children_services", "2026-12-21").await;
    }
    let pm = app.browser("pm").await;
    let first = app.page(Some(&pm), "/").await;
    let text = html(&first);
    assert!(text.contains("51 open cases") && text.contains("Page 1 of 2"), "{text}");
    let rows = text.matches("govuk-tag--red").count();
    assert!(rows >= 50, "{rows}");
    let second = app.page(Some(&pm), "/?page=2").await;
    assert!(html(&second).contains("Page 2 of 2"));
    assert!(first.body.as_str().unwrap().len() < 100_000, "well under 100 KB");
}

async fn viewers_and_agency_contacts_have_a_dashboard_of_their_own(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-06").await;
    case_with_requests(&app).await;
    let viewer = app.browser("viewer").await;
    let text = app.page(Some(&viewer), "/").await.body.as_str().unwrap().to_owned();
    assert!(
        text.contains("Open cases") && text.contains("1 case") && text.contains("Read the reports"),
        "{text}"
    );
    assert!(!text.contains("My tasks"));
    let contact = app.browser("contact").await;
    let text = app.page(Some(&contact), "/").await.body.as_str().unwrap().to_owned();
    assert!(
        text.contains("Your agency&#39;s requests") || text.contains("Your agency's requests"),
        "{text}"
    );
    assert!(text.contains("/returns/"), "{text}");
    let admin = app.browser("admin").await;
    let text = app.page(Some(&admin), "/").await.body.as_str().unwrap().to_owned();
    assert!(text.contains("/admin/outbox") && !text.contains("My tasks"));
}

async fn search_finds_part_of_a_reference_and_a_child_s_initials(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-06").await;
    let mut ids = Vec::new();
    for initials in ["AB", "CD", "EF"] {
        let mut body = crate::support::incident("children_services", "2026-12-21");
        body["children"][0]["initials"] = Value::from(initials);
        ids.push(
            app.post("pm", "/api/v1/cases", body).await.body["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let found = |q: &'static str| {
        let app = &app;
        async move {
            let list = app.get("pm", &format!("/api/v1/cases?q={q}")).await.body;
            list["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["reference"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("0002").await, ["RR-2027-0002"]);
    assert_eq!(found("cd").await, ["RR-2027-0002"]);
    assert_eq!(found("RR-2027").await.len(), 3);
    assert!(found("ZZ").await.is_empty());
    let pm = app.browser("pm").await;
    let page = app.page(Some(&pm), "/cases?q=EF").await;
    assert!(html(&page).contains("RR-2027-0003") && !html(&page).contains("RR-2027-0001"));
}

async fn the_pack_link_explains_what_is_missing_until_every_return_is_in(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-06").await;
    let (case, _, _) = case_with_requests(&app).await;
    let pm = app.browser("pm").await;
    let waiting = app.page(Some(&pm), &format!("/cases/{case}/pack")).await;
    assert_eq!(waiting.status, 409);
    let text = html(&waiting);
    assert!(text.contains("The papers pack is not ready yet"), "{text}");
    assert!(
        text.contains("Agency northfield-primary") && text.contains("Agency county-police"),
        "{text}"
    );
    assert!(text.contains("7 January 2027"));
    for agency in ["northfield-primary", "county-police"] {
        app.post(
            "bu",
            &format!("/api/v1/cases/{case}/requests/{agency}/proceed-without"),
            Value::Null,
        )
        .await;
    }
    let ready = app.page(Some(&pm), &format!("/cases/{case}/pack")).await;
    assert_eq!(ready.status, 303);
    assert_eq!(
        ready.headers.get("location").unwrap().to_str().unwrap(),
        format!("/api/v1/cases/{case}/pack.zip")
    );
}

/// Each instance keeps its dashboard pages while no case changes anywhere: a step
/// recorded through another instance shows on this one's next dashboard.
async fn a_kept_dashboard_shows_a_step_recorded_through_another_instance(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let other = app.other_instance().await;
    let pm = app.browser("pm").await;
    let dashboard = || TestApp::html_on(&other, &pm, "/");
    let reference = reference(&app, &case).await;
    let before = dashboard().await;
    assert_eq!(dashboard().await, before, "an unchanged dashboard reads the same");
    assert!(row_of(&before, &reference).contains("Decide whether the Serious Harm threshold is met"));
    app.record(
        "la",
        &case,
        serde_json::json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "x"}),
    )
    .await;
    let after = dashboard().await;
    assert!(
        !row_of(&after, &reference).contains("Decide whether the Serious Harm threshold is met"),
        "{}",
        row_of(&after, &reference)
    );
}

/// The dashboard is kept rendered for the user, yet each session's copy carries its own
/// form token, another user sees their own, and page 2 is not page 1.
async fn a_kept_dashboard_carries_each_sessions_own_token_and_is_only_its_users(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    for day in 0..55 {
        app.open_case(
            "children_services",
            &format!("2026-{:02}-{:02}", 10 + day / 28, 1 + day % 28),
        )
        .await;
    }
    let (instance, metrics) = app.instance_with_metrics().await;
    let (first, second) = (app.browser("pm").await, app.browser("pm").await);
    let one = TestApp::html_on(&instance, &first, "/").await;
    let two = TestApp::html_on(&instance, &second, "/").await;
    let kept = "rapid_review_dashboard_pages_total{served=\"copy\"}";
    assert_eq!(
        TestApp::metric(&metrics, kept).await,
        1,
        "the second view is the kept page"
    );
    assert!(one.contains(&format!("value=\"{}\"", first.csrf)));
    assert!(!two.contains(&first.csrf) && two.contains(&format!("value=\"{}\"", second.csrf)));
    assert_eq!(one.replace(&first.csrf, "T"), two.replace(&second.csrf, "T"));
    let later = TestApp::html_on(&instance, &first, "/?page=2").await;
    assert_ne!(later.replace(&first.csrf, "T"), one.replace(&first.csrf, "T"), "page 2");
    let chair = app.browser("chair").await;
    let theirs = TestApp::html_on(&instance, &chair, "/").await;
    assert_ne!(theirs.replace(&chair.csrf, "T"), one.replace(&first.csrf, "T"));
}

crate::on_both_backends!(
    a_kept_dashboard_carries_each_sessions_own_token_and_is_only_its_users,
    a_kept_dashboard_shows_a_step_recorded_through_another_instance,
    each_open_case_has_its_next_action_panel_date_and_worst_tag,
    what_is_due_to_the_panel_within_5_working_days_comes_first,
    my_tasks_are_the_open_cases_whose_next_step_my_role_records,
    a_return_gone_ahead_without_is_never_overdue,
    the_dashboard_is_paged_at_50_cases,
    viewers_and_agency_contacts_have_a_dashboard_of_their_own,
    search_finds_part_of_a_reference_and_a_child_s_initials,
    the_pack_link_explains_what_is_missing_until_every_return_is_in,
);
