//! The case page shows the substance, in process with a session: the incident, each
//! child, the referring agency by name, every decision with its reasons and the
//! immediate actions; and a print view without the menu, carrying the marking.

use serde_json::json;

use crate::support::{Response, TestApp};

fn html(res: &Response) -> &str {
    res.body.as_str().unwrap_or("")
}

/// A case taken through the Rapid Review meeting, with an immediate action.
async fn case_after_the_meeting(app: &TestApp) -> String {
    let case = app.open_case("children_services", "2026-12-21").await;
    let steps = [
        (
            "la",
            json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "Injuries fit the definition."}),
        ),
        (
            "la",
            json!({"type": "panel_notified", "on": "2026-12-29", "reference": "NP-TEST-1"}),
        ),
        ("la", json!({"type": "referral_submitted", "on": "2026-12-29"})),
        (
            "bu",
            json!({"type": "agency_requests_sent", "on": "2026-12-30", "agencies": ["northfield-primary"]}),
        ),
        (
            "bu",
            json!({"type": "meeting_scheduled", "on": "2027-01-04", "meeting_on": "2027-01-11", "meeting_kind": "extraordinary"}),
        ),
        (
            "bu",
            json!({"type": "agency_return_received", "on": "2027-01-05", "agency": "northfield-primary"}),
        ),
        ("bu", json!({"type": "pack_shared", "on": "2027-01-08"})),
        (
            "chair",
            json!({"type": "meeting_held", "on": "2027-01-11", "recommendation": "lcspr", "rationale": "Learning across agencies.",
            "criteria": {"improvements_needed": true, "recurring_themes": false, "multi_agency_concerns": true, "panel_view": false},
            "immediate_actions": [{"action": "Review the referral pathway", "owner": "Business Unit", "due": "2027-01-25"}]}),
        ),
    ];
    for (who, body) in steps {
        app.record(who, &case, body).await;
    }
    case
}

async fn the_case_page_shows_the_incident_the_child_every_decision_and_the_actions(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-26").await;
    let case = case_after_the_meeting(&app).await;
    let pm = app.browser("pm").await;
    let page = app.page(Some(&pm), &format!("/cases/{case}")).await;
    assert_eq!(page.status, 200);
    let text = html(&page);
    for says in [
        "Synthetic test incident.",
        "21 December 2026",
        "AB, Female, 6 years old",
        "Agency northfield-primary",
        "Met (22 December 2026). Injuries fit the definition.",
        "Learning across agencies.",
        "Concerns about how agencies worked together",
        "Review the referral pathway",
        "25 January 2027",
        "Overdue",
        "Who acts: Business Unit",
    ] {
        assert!(text.contains(says), "the case page says {says:?}");
    }
}

async fn the_print_view_has_no_menu_or_forms_and_carries_the_marking(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-12").await;
    let case = case_after_the_meeting(&app).await;
    let pm = app.browser("pm").await;
    let page = app.page(Some(&pm), &format!("/cases/{case}?print=1")).await;
    assert_eq!(page.status, 200);
    let text = html(&page);
    assert!(text.contains("OFFICIAL-SENSITIVE</p>"));
    assert!(!text.contains("govuk-service-navigation"), "no menu");
    assert!(!text.contains("<form"), "no forms");
    assert!(text.contains("Review the referral pathway") && text.contains("Open</strong>"));
    let normal = app.page(Some(&pm), &format!("/cases/{case}")).await;
    assert!(html(&normal).contains(&format!("/cases/{case}?print=1")));
}

async fn the_threshold_form_shows_what_serious_harm_means_and_the_api_serves_it(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-22").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let la = app.browser("la").await;
    let form = app
        .page(Some(&la), &format!("/cases/{case}/record/threshold_decided"))
        .await;
    assert_eq!(form.status, 200);
    let text = html(&form);
    assert!(text.contains("Serious harm</h2>"));
    assert!(
        text.contains("long-term impairment of a child&#39;s mental health")
            || text.contains("long-term impairment of a child's mental health")
    );
    assert!(text.contains("Working Together to Safeguard Children 2023"));
    let other = app
        .page(Some(&la), &format!("/cases/{case}/record/panel_notified"))
        .await;
    assert!(
        !html(&other).contains("Serious harm</h2>"),
        "only where the decision is made"
    );
    let api = app.get_anonymous("/api/v1/definitions").await;
    assert_eq!(api.status, 200);
    let serious_harm = api.body["definitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "serious_harm")
        .unwrap();
    assert!(serious_harm["source"].as_str().unwrap().contains("Working Together"));
    assert!(serious_harm["meaning"].as_array().unwrap().len() >= 2);
}

/// The page reads from the instance's kept copy of the case, checked against the
/// database first: themes set through another instance show on this one's next page.
async fn a_kept_case_page_shows_themes_set_through_another_instance(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let other = app.other_instance().await;
    let pm = app.browser("pm").await;
    let path = format!("/cases/{case}");
    let page = || TestApp::html_on(&other, &pm, &path);
    let before = page().await;
    assert_eq!(page().await, before, "an unchanged case reads the same");
    let set = app
        .send(
            Some("pm"),
            "PUT",
            &format!("/api/v1/cases/{case}/themes"),
            Some(json!({"themes": ["Neglect"]})),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    let after = page().await;
    assert_ne!(after, before);
    let themes = &after[after.find("Learning themes").unwrap_or(0)..];
    assert!(themes.contains("Neglect"), "{}", &themes[..themes.len().min(600)]);
}

/// A plain view of the case page is kept rendered for the user, and yet each session's
/// page carries that session's own form token, in the menu and in every form, and the
/// form posted with it works.
async fn a_kept_case_page_carries_each_sessions_own_form_token(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-26").await;
    let case = case_after_the_meeting(&app).await;
    let (instance, metrics) = app.instance_with_metrics().await;
    let (first, second) = (app.browser("pm").await, app.browser("pm").await);
    let path = format!("/cases/{case}");
    let one = TestApp::html_on(&instance, &first, &path).await;
    let two = TestApp::html_on(&instance, &second, &path).await;
    let kept = "rapid_review_case_pages_total{served=\"copy\"}";
    assert_eq!(
        TestApp::metric(&metrics, kept).await,
        1,
        "the second view is the kept page"
    );
    let tokens = one.matches(&format!("value=\"{}\"", first.csrf)).count();
    assert!(tokens >= 2, "the menu's and the themes form's token: {tokens}");
    assert_eq!(two.matches(&format!("value=\"{}\"", second.csrf)).count(), tokens);
    assert!(!two.contains(&first.csrf), "no other session's token");
    assert_eq!(one.replace(&first.csrf, "T"), two.replace(&second.csrf, "T"));
    assert_eq!(TestApp::html_on(&instance, &first, &path).await, one);
    let themes = format!("/cases/{case}/themes");
    let saved = app
        .submit(Some(&second), &themes, &format!("csrf={}&themes=Neglect", second.csrf))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = TestApp::html_on(&instance, &second, &path).await;
    assert!(after.contains("<li>Neglect</li>"), "the change shows at once");
}

/// A kept page is only ever the user's own: another user of the same role sees their
/// own name, and a banner view is never kept in place of the plain one.
async fn a_kept_case_page_is_never_served_to_another_user_or_for_a_banner(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-26").await;
    let case = case_after_the_meeting(&app).await;
    let (instance, _) = app.instance_with_metrics().await;
    let path = format!("/cases/{case}");
    let pm = app.browser("pm").await;
    let chair = app.browser("chair").await;
    let mine = TestApp::html_on(&instance, &pm, &path).await;
    let theirs = TestApp::html_on(&instance, &chair, &path).await;
    assert_ne!(mine.replace(&pm.csrf, "T"), theirs.replace(&chair.csrf, "T"));
    let banner = TestApp::html_on(&instance, &pm, &format!("{path}?done=pack_shared")).await;
    assert!(banner.contains("govuk-notification-banner"), "the banner view");
    let plain = TestApp::html_on(&instance, &pm, &path).await;
    assert!(!plain.contains("govuk-notification-banner"), "the plain view again");
    assert_eq!(plain, mine);
}

crate::on_both_backends!(
    a_kept_case_page_carries_each_sessions_own_form_token,
    a_kept_case_page_is_never_served_to_another_user_or_for_a_banner,
    a_kept_case_page_shows_themes_set_through_another_instance,
    the_case_page_shows_the_incident_the_child_every_decision_and_the_actions,
    the_print_view_has_no_menu_or_forms_and_carries_the_marking,
    the_threshold_form_shows_what_serious_harm_means_and_the_api_serves_it,
);
