//! The HTML routes in process, with a browser session: every error is a GOV.UK page
//! with its status (never JSON), every error under /api is JSON (never a page), and
//! HSTS is sent whenever the service is reached over https (hardening row 13).

use axum::http::header::{CONTENT_TYPE, STRICT_TRANSPORT_SECURITY};

use crate::support::{Response, TestApp};

fn content_type(res: &Response) -> &str {
    res.headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn assert_page(res: &Response, status: u16, says: &str) {
    assert_eq!(res.status.as_u16(), status, "{}", res.body);
    assert!(content_type(res).starts_with("text/html"), "{}", content_type(res));
    let html = res.body.as_str().unwrap();
    assert!(html.contains("govuk-heading-l") && html.contains(says), "{html}");
}

fn assert_json(res: &Response, status: u16, code: &str) {
    assert_eq!(res.status.as_u16(), status, "{}", res.body);
    assert!(
        content_type(res).starts_with("application/json"),
        "{}",
        content_type(res)
    );
    assert_eq!(res.body["error"]["code"], code, "{}", res.body);
}

async fn refusals_are_403_pages_and_unknowns_404_pages(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let viewer = app.browser("viewer").await;
    let contact = app.browser("contact").await;
    let pm = app.browser("pm").await;
    assert_page(&app.page(Some(&viewer), "/cases").await, 403, "You cannot see cases");
    assert_page(&app.page(Some(&contact), "/admin/users").await, 403, "administration");
    assert_page(&app.page(Some(&pm), "/no/such/page").await, 404, "Page not found");
    assert_page(
        &app.page(Some(&pm), "/cases/00000000-0000-0000-0000-000000000000").await,
        404,
        "Case not found",
    );
    assert_page(&app.page(None, "/no/such/page").await, 404, "Page not found");
}

async fn a_page_form_without_its_token_is_a_403_page(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let pm = app.browser("pm").await;
    assert_page(
        &app.submit(Some(&pm), "/sign-out", "csrf=wrong").await,
        403,
        "The form has expired",
    );
    assert_page(&app.submit(Some(&pm), "/admin/rules", "rules=x").await, 403, "");
    let out = app.submit(Some(&pm), "/sign-out", &format!("csrf={}", pm.csrf)).await;
    assert_eq!(out.status, 303);
    assert_eq!(app.page(Some(&pm), "/cases").await.status, 303, "signed out");
}

async fn a_step_that_is_not_open_yet_is_a_409_page_saying_what_comes_first(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = app.open_case("children_services", "2026-12-21").await;
    let la = app.browser("la").await;
    let res = app
        .page(Some(&la), &format!("/cases/{case}/record/panel_notified"))
        .await;
    assert_page(&res, 409, "This step is not open now");
    assert!(
        res.body.as_str().unwrap().contains("threshold decision"),
        "{}",
        res.body
    );
}

async fn a_form_that_fails_is_a_422_page_naming_the_field_and_keeping_what_was_typed(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let pm = app.browser("pm").await;
    let form = format!(
        "csrf={}&route=children_services&reported_on-day=31&reported_on-month=2&reported_on-year=2026\
         &incident-summary=Synthetic+summary+kept",
        pm.csrf
    );
    let res = app.submit(Some(&pm), "/cases/new", &form).await;
    assert_page(&res, 422, "There is a problem");
    let html = res.body.as_str().unwrap();
    assert!(
        html.contains("href=\"#reported_on-day\""),
        "the summary links to the day: {html}"
    );
    assert!(
        html.contains("Synthetic summary kept"),
        "the typed summary is kept: {html}"
    );
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let cases = app.store.list_cases(&Default::default(), today).await.unwrap();
    assert!(cases.is_empty(), "nothing was opened");
}

async fn errors_under_api_are_json_whatever_produced_them(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    assert_json(&app.get("pm", "/api/v1/no-such-route").await, 404, "not_found");
    assert_json(
        &app.send(Some("pm"), "DELETE", "/api/v1/cases", None).await,
        405,
        "method_not_allowed",
    );
    assert_json(&app.get_anonymous("/api/v1/cases").await, 401, "unauthenticated");
    assert_json(&app.get("viewer", "/api/v1/cases").await, 403, "forbidden");
    let pm = app.browser("pm").await;
    // Even through a browser session, the API answers JSON.
    assert_json(&app.page(Some(&pm), "/api/v1/cases/not-a-case").await, 404, "not_found");
}

async fn hsts_is_sent_when_the_public_url_is_https_and_not_otherwise(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let plain = app.get_anonymous("/api/v1/health").await;
    assert!(plain.headers.get(STRICT_TRANSPORT_SECURITY).is_none());
    let secure = app.with_public_url("https://rapid-review.example.org").await;
    let res = crate::support::call(
        secure,
        axum::http::Request::get("/sign-in")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    let hsts = res.headers.get(STRICT_TRANSPORT_SECURITY).unwrap().to_str().unwrap();
    assert!(hsts.contains("max-age=63072000"), "{hsts}");
}

async fn the_public_service_pages_open_to_anyone_and_every_page_links_them(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    for (path, says) in [
        ("/accessibility", "Accessibility statement for Rapid Review"),
        ("/privacy", "Privacy notice"),
        ("/cookies", "rr_session"),
        ("/help", "Local Child Safeguarding Practice Review"),
    ] {
        assert_page(&app.page(None, path).await, 200, says);
    }
    let pm = app.browser("pm").await;
    let signed_in = app.page(Some(&pm), "/help").await;
    assert!(
        signed_in.body.as_str().unwrap().contains("Sign out"),
        "the menu when signed in"
    );
    for page in [app.page(None, "/sign-in").await, app.page(Some(&pm), "/").await] {
        let html = page.body.as_str().unwrap();
        for link in ["/accessibility", "/privacy", "/cookies", "/help"] {
            assert!(
                html.contains(&format!("class=\"govuk-footer__link\" href=\"{link}\"")),
                "{link}"
            );
        }
    }
    // Administration is offered only to those who may use it.
    let la = app.browser("la").await;
    assert!(
        !app.page(Some(&la), "/")
            .await
            .body
            .as_str()
            .unwrap()
            .contains("href=\"/admin\"")
    );
    assert!(
        app.page(Some(&pm), "/")
            .await
            .body
            .as_str()
            .unwrap()
            .contains("href=\"/admin\"")
    );
}

/// Every administration link a user is shown opens for them: an administrator sees all
/// six, the Partnership Manager only the deadline rules (she once saw five that answered
/// 403).
async fn every_administration_link_a_user_is_shown_opens_for_them(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-07").await;
    for (who, expected) in [("admin", 6), ("pm", 1)] {
        let browser = app.browser(who).await;
        let home = app.page(Some(&browser), "/admin").await;
        assert_eq!(home.status, 200, "{who}");
        let html = home.body.as_str().unwrap();
        let links: Vec<&str> = html
            .split("href=\"/admin/")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap())
            .collect();
        assert_eq!(links.len(), expected, "{who}: {links:?}");
        for link in links {
            let page = app.page(Some(&browser), &format!("/admin/{link}")).await;
            assert_eq!(page.status, 200, "{who} cannot open /admin/{link}");
        }
    }
}

crate::on_both_backends!(
    every_administration_link_a_user_is_shown_opens_for_them,
    refusals_are_403_pages_and_unknowns_404_pages,
    a_page_form_without_its_token_is_a_403_page,
    errors_under_api_are_json_whatever_produced_them,
    a_step_that_is_not_open_yet_is_a_409_page_saying_what_comes_first,
    a_form_that_fails_is_a_422_page_naming_the_field_and_keeping_what_was_typed,
    hsts_is_sent_when_the_public_url_is_https_and_not_otherwise,
    the_public_service_pages_open_to_anyone_and_every_page_links_them,
);
