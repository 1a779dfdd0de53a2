//! The agency's return as a GOV.UK journey, in process through the router with the
//! link alone: the start page, the questions, the chronology, check your answers,
//! submission and its confirmation; then the Business Unit reading the return, and
//! confirming link actions before they happen.

use crate::returns::case_with_requests;
use crate::support::{Response, TestApp};

fn html(res: &Response) -> &str {
    res.body.as_str().unwrap_or("")
}

fn location(res: &Response) -> &str {
    res.headers.get("location").map_or("", |l| l.to_str().unwrap_or(""))
}

async fn the_start_page_says_what_is_asked_by_when_about_which_child_and_who_to_contact(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (_, school, _) = case_with_requests(&app).await;
    let start = app.page(None, &format!("/returns/{school}")).await;
    assert_eq!(start.status, 200);
    let text = html(&start);
    assert!(text.contains("AB, 6 years old"), "the child by initials and age");
    assert!(text.contains("7 January 2027"), "the return date");
    assert!(text.contains("What you will be asked"));
    assert!(text.contains("mailto:bu@example.org"), "who to contact");
    assert!(text.contains(&format!("href=\"/returns/{school}/questions\"")));
    assert!(text.contains("Start now"));
    assert!(!text.contains("Synthetic test incident"), "no incident summary");
}

async fn saving_the_questions_goes_on_to_the_chronology_and_keeps_the_answers(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (_, school, _) = case_with_requests(&app).await;
    let questions = app.page(None, &format!("/returns/{school}/questions")).await;
    assert_eq!(questions.status, 200);
    let text = html(&questions);
    assert!(
        !text.contains("Your agency's involvement with the child and family (optional)"),
        "the first question is not marked optional"
    );
    assert!(text.contains("Key professionals involved (optional)"));
    let saved = app
        .submit(
            None,
            &format!("/returns/{school}/scoping"),
            "involvement=Known+since+2024&key_professionals=Class+teacher",
        )
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(location(&saved), format!("/returns/{school}/chronology?done=scoping"));
    let again = app.page(None, &format!("/returns/{school}/questions")).await;
    assert!(
        html(&again).contains("Known since 2024"),
        "the saved answer fills the box"
    );
    let start = app.page(None, &format!("/returns/{school}")).await;
    assert!(html(&start).contains("Continue your return"));
}

async fn an_empty_chronology_entry_is_an_error_that_keeps_what_was_typed(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (_, school, _) = case_with_requests(&app).await;
    let empty = app
        .submit(
            None,
            &format!("/returns/{school}/entries"),
            "date-day=&date-month=&date-year=&what_happened=",
        )
        .await;
    assert_eq!(empty.status, 422);
    assert!(html(&empty).contains("govuk-error-summary"));
    let half = app
        .submit(
            None,
            &format!("/returns/{school}/entries"),
            "date-day=&date-month=&date-year=&what_happened=Home+visit+by+the+school+nurse",
        )
        .await;
    assert_eq!(half.status, 422);
    assert!(
        html(&half).contains("Home visit by the school nurse"),
        "the typed text is kept"
    );
    let added = app
        .submit(
            None,
            &format!("/returns/{school}/entries"),
            "date-day=2&date-month=12&date-year=2026&what_happened=Home+visit",
        )
        .await;
    assert_eq!(added.status, 303);
    assert_eq!(location(&added), format!("/returns/{school}/chronology?done=entry"));
    let page = app
        .page(None, &format!("/returns/{school}/chronology?done=entry"))
        .await;
    let text = html(&page);
    assert!(text.contains("The entry is added to your draft chronology."));
    assert!(text.contains("1 entry, oldest first"));
}

async fn submitting_without_the_first_answer_goes_back_to_the_questions_with_the_error(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (_, school, _) = case_with_requests(&app).await;
    let check = app.page(None, &format!("/returns/{school}/check")).await;
    assert_eq!(check.status, 200);
    assert!(html(&check).contains(&format!("/returns/{school}/questions#involvement")));
    let refused = app.submit(None, &format!("/returns/{school}/submit"), "").await;
    assert_eq!(refused.status, 422);
    let text = html(&refused);
    assert!(text.contains("Initial Scoping and Information Sharing</h1>"));
    assert!(
        text.contains("href=\"#involvement\""),
        "the error links to the question"
    );
}

async fn a_submitted_return_has_a_confirmation_and_is_read_only_after(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (case, school, _) = case_with_requests(&app).await;
    app.submit(
        None,
        &format!("/returns/{school}/scoping"),
        "involvement=Known+since+2024",
    )
    .await;
    app.submit(
        None,
        &format!("/returns/{school}/entries"),
        "date-day=2&date-month=12&date-year=2026&what_happened=Home+visit",
    )
    .await;
    let submitted = app.submit(None, &format!("/returns/{school}/submit"), "").await;
    assert_eq!(submitted.status, 303);
    assert_eq!(location(&submitted), format!("/returns/{school}/submitted"));
    let confirmation = app.page(None, &format!("/returns/{school}/submitted")).await;
    assert!(html(&confirmation).contains("govuk-panel--confirmation"));
    assert!(html(&confirmation).contains("Return submitted"));
    // Read-only: the start page shows the answers; the forms send you back to it.
    let start = app.page(None, &format!("/returns/{school}")).await;
    assert!(html(&start).contains("Known since 2024"));
    assert!(!html(&start).contains("Start now"));
    let questions = app.page(None, &format!("/returns/{school}/questions")).await;
    assert_eq!(
        (questions.status.as_u16(), location(&questions)),
        (303, &*format!("/returns/{school}"))
    );
    let late = app
        .submit(None, &format!("/returns/{school}/scoping"), "involvement=Changed")
        .await;
    assert_eq!(late.status, 409);

    // The Business Unit reads it from the case page.
    let bu = app.browser("bu").await;
    let case_page = app.page(Some(&bu), &format!("/cases/{case}")).await;
    let link = format!("/cases/{case}/returns/northfield-primary");
    assert!(html(&case_page).contains(&link), "a link to read the return");
    let read = app.page(Some(&bu), &link).await;
    assert_eq!(read.status, 200);
    assert!(html(&read).contains("Known since 2024") && html(&read).contains("Home visit"));
    let not_yet = app
        .page(Some(&bu), &format!("/cases/{case}/returns/county-police"))
        .await;
    assert_eq!(not_yet.status, 409);
    assert!(html(&not_yet).contains("This return is not submitted yet"));
}

async fn withdrawing_a_link_asks_first_and_says_what_happened_after(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (case, school, _) = case_with_requests(&app).await;
    let bu = app.browser("bu").await;
    let action = format!("/cases/{case}/requests/county-police/revoke");
    let case_page = app.page(Some(&bu), &format!("/cases/{case}")).await;
    assert!(html(&case_page).contains(&format!("href=\"{action}\"")));
    let confirm = app.page(Some(&bu), &action).await;
    assert_eq!(confirm.status, 200);
    assert!(html(&confirm).contains("Withdraw the return link for Agency county-police?"));
    let still = app.get_anonymous(&format!("/api/v1/returns/{school}")).await;
    assert_eq!(still.status, 200, "asking changed nothing");
    let done = app.submit(Some(&bu), &action, &format!("csrf={}", bu.csrf)).await;
    assert_eq!(done.status, 303);
    let after = app.page(Some(&bu), location(&done)).await;
    assert!(html(&after).contains("The return link is withdrawn."));
    let viewer = app.browser("viewer").await;
    assert_eq!(app.page(Some(&viewer), &action).await.status, 403);
}

crate::on_both_backends!(
    the_start_page_says_what_is_asked_by_when_about_which_child_and_who_to_contact,
    saving_the_questions_goes_on_to_the_chronology_and_keeps_the_answers,
    an_empty_chronology_entry_is_an_error_that_keeps_what_was_typed,
    submitting_without_the_first_answer_goes_back_to_the_questions_with_the_error,
    a_submitted_return_has_a_confirmation_and_is_read_only_after,
    withdrawing_a_link_asks_first_and_says_what_happened_after,
);
