//! The step forms, in process with a session: every radio and checkbox has a label of
//! its own, a failed submit names every missing answer at once in page order and
//! keeps what was typed, and "Change" on check your answers opens the form filled in.

use crate::support::{Response, TestApp};

fn html(res: &Response) -> &str {
    res.body.as_str().unwrap_or("")
}

/// Every value of `attr="..."` in the page, in order.
fn values<'a>(page: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    page.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &page[at + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

async fn every_radio_and_checkbox_has_a_label_of_its_own_and_ids_are_unique(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let pm = app.browser("pm").await;
    let page = app.page(Some(&pm), "/cases/new").await;
    let text = html(&page);
    let ids = values(text, "id");
    let mut seen = std::collections::HashSet::new();
    for id in &ids {
        assert!(
            seen.insert(*id),
            "id {id} is used twice, so a label for it may name the wrong element"
        );
    }
    let fors = values(text, "for");
    let radios: Vec<&str> = text
        .split("<input")
        .skip(1)
        .filter(|i| i.contains("type=\"radio\"") || i.contains("type=\"checkbox\""))
        .filter_map(|i| values(i, "id").first().copied())
        .collect();
    assert!(radios.len() > 10, "the form has its radios");
    for id in radios {
        assert!(fors.contains(&id), "no label for {id}");
    }
}

async fn a_failed_submit_names_every_missing_answer_in_page_order_and_keeps_the_rest(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let pm = app.browser("pm").await;
    let form = format!(
        "csrf={}&route=children_services&reported_on-day=4&reported_on-month=1&reported_on-year=2027\
         &aware_on-day=4&aware_on-month=1&aware_on-year=2027&children-0-initials=QZ\
         &incident-occurred_on-day=31&incident-occurred_on-month=2&incident-occurred_on-year=2026",
        pm.csrf
    );
    let res = app.submit(Some(&pm), "/cases/new", &form).await;
    assert_eq!(res.status, 422);
    let text = html(&res);
    let summary = &text[text.find("govuk-error-summary__list").unwrap()..];
    let summary = &summary[..summary.find("</ul>").unwrap()];
    assert_eq!(
        values(summary, "href"),
        vec![
            "#referring_agency",
            "#incident-kind",
            "#incident-occurred_on-day",
            "#incident-summary",
            "#children-0-sex"
        ]
    );
    assert!(summary.contains("Select the referring agency"));
    assert!(summary.contains("Date of the incident must be a real date, for example 27 11 2026"));
    assert!(!summary.contains("must not be empty") && !summary.contains("unknown variant"));
    assert!(text.contains("value=\"QZ\""), "the initials typed are kept");
}

async fn change_on_check_your_answers_opens_the_form_filled_in(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let case = app.open_case("children_services", "2027-01-04").await;
    let la = app.browser("la").await;
    let path = format!("/cases/{case}/record/threshold_decided");
    let answers = "on-day=4&on-month=1&on-year=2027&outcome=met&rationale=Fits+the+definition";
    let check = app
        .submit(Some(&la), &path, &format!("csrf={}&{answers}", la.csrf))
        .await;
    assert_eq!(check.status, 200);
    assert!(html(&check).contains("Check your answers"));
    assert!(html(&check).contains("name=\"change\" value=\"rationale\""));
    let change = app
        .submit(
            Some(&la),
            &path,
            &format!("csrf={}&{answers}&change=rationale", la.csrf),
        )
        .await;
    assert_eq!(change.status, 200);
    let text = html(&change);
    assert!(
        text.contains("Fits the definition</textarea>"),
        "the answer is in its box"
    );
    assert!(text.contains("value=\"met\" checked"), "the choice is still made");
    assert!(!text.contains("govuk-error-summary"));
    let recorded = app
        .submit(Some(&la), &path, &format!("csrf={}&{answers}&confirm=yes", la.csrf))
        .await;
    assert_eq!(recorded.status, 303);
    let case_page = app
        .page(Some(&la), recorded.headers["location"].to_str().unwrap())
        .await;
    assert!(html(&case_page).contains("Threshold decided. It is on the case"));
}

async fn the_deadline_rules_are_a_form_row_by_row_and_toml_still_moves_them(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let pm = app.browser("pm").await;
    let form = app.page(Some(&pm), "/admin/rules").await;
    let text = html(&form);
    assert!(text.contains("id=\"rapid_review_meeting-window_start\" name=\"rapid_review_meeting-window_start\" type=\"text\" inputmode=\"numeric\" value=\"7\""));
    assert!(text.contains("Counts from the day the local authority became aware. Basis: Statutory."));
    // Every row as the form sends it, with one number changed.
    let mut rows: Vec<(String, String)> = values(text, "name")
        .into_iter()
        .filter(|n| n.contains('-'))
        .map(|n| {
            let v = &text[text.find(&format!("name=\"{n}\"")).unwrap()..];
            let v = &v[v.find("value=\"").unwrap() + 7..];
            (n.to_owned(), v[..v.find('"').unwrap()].to_owned())
        })
        .collect();
    for (name, value) in rows.iter_mut() {
        if name == "panel_notification-working_days" {
            *value = "6".into();
        }
    }
    let body: Vec<String> = rows.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let sent = format!("csrf={}&anchor_day_is_day_one=no&{}", pm.csrf, body.join("&"));
    let saved = app.submit(Some(&pm), "/admin/rules", &sent).await;
    assert_eq!(saved.status, 303, "{}", html(&saved));
    let export = app.page(Some(&pm), "/admin/rules.toml").await;
    assert_eq!(export.status, 200);
    let toml = html(&export);
    assert!(toml.contains("panel_notification = { working_days = 6 }"), "{toml}");
    assert!(toml.contains("chase_every = 2"), "a form without it keeps it: {toml}");
    // How often a late agency is chased is a number on the same form.
    let chased = app
        .submit(Some(&pm), "/admin/rules", &format!("{sent}&chase_every=3"))
        .await;
    assert_eq!(chased.status, 303, "{}", html(&chased));
    assert!(html(&app.page(Some(&pm), "/admin/rules.toml").await).contains("chase_every = 3"));
    let refused = app
        .submit(Some(&pm), "/admin/rules", &format!("{sent}&chase_every=often"))
        .await;
    assert_eq!(refused.status, 422);
    assert!(html(&refused).contains("href=\"#chase_every\""), "{}", html(&refused));
    // A number out of range is refused on its own row, and nothing changes.
    let wrong = sent.replace(
        "panel_notification-working_days=6",
        "panel_notification-working_days=999",
    );
    let refused = app.submit(Some(&pm), "/admin/rules", &wrong).await;
    assert_eq!(refused.status, 422);
    assert!(html(&refused).contains("href=\"#panel_notification-working_days\""));
    // The TOML import still works.
    let import = format!(
        "csrf={}&rules=%5Bsteps%5D%0Aagency_return+%3D+%7B+working_days+%3D+9+%7D%0A",
        pm.csrf
    );
    assert_eq!(app.submit(Some(&pm), "/admin/rules", &import).await.status, 303);
    let toml = app.page(Some(&pm), "/admin/rules.toml").await;
    assert!(html(&toml).contains("agency_return = { working_days = 9 }"));
    let la = app.browser("la").await;
    assert_eq!(app.page(Some(&la), "/admin/rules.toml").await.status, 403);
}

async fn an_administrator_s_form_names_every_missing_answer_at_once(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let admin = app.browser("admin").await;
    let res = app
        .submit(
            Some(&admin),
            "/admin/users",
            &format!("csrf={}&name=Sam+Synthetic", admin.csrf),
        )
        .await;
    assert_eq!(res.status, 422);
    let text = html(&res);
    let summary = &text[text.find("govuk-error-summary__list").unwrap()..];
    let summary = &summary[..summary.find("</ul>").unwrap()];
    assert_eq!(values(summary, "href"), vec!["#email", "#role"]);
    assert!(summary.contains("Enter the email address") && summary.contains("Select the role"));
    assert!(text.contains("value=\"Sam Synthetic\""), "the name typed is kept");
}

crate::on_both_backends!(
    every_radio_and_checkbox_has_a_label_of_its_own_and_ids_are_unique,
    a_failed_submit_names_every_missing_answer_in_page_order_and_keeps_the_rest,
    change_on_check_your_answers_opens_the_form_filled_in,
    the_deadline_rules_are_a_form_row_by_row_and_toml_still_moves_them,
    an_administrator_s_form_names_every_missing_answer_at_once,
);
