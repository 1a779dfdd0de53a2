//! Administrators cannot become case readers quietly (the integrity issue, "an
//! administrator reaches case content"): an administrator never chooses another
//! user's password; the new user is emailed a link to choose their own; and every
//! account that can see cases, created or enabled again, is told to the Partnership
//! Manager and waits on her dashboard until she acknowledges it.

use crate::mail::{PUBLIC_URL, SmtpSink, drain, worker};
use crate::support::TestApp;

fn text(res: &crate::support::Response) -> String {
    res.body.as_str().unwrap_or_default().to_owned()
}

async fn queued(app: &TestApp) -> Vec<(String, String)> {
    let res = app.get("admin", "/api/v1/outbox?status=queued").await;
    res.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["notice"].as_str().unwrap().to_owned(),
                m["recipient"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn an_administrator_cannot_make_a_case_reader_quietly(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let admin = app.browser("admin").await;
    let form = format!(
        "csrf={}&email=new-manager%40example.org&name=New+Manager&role=partnership_manager&password=chosen+by+the+admin+42",
        admin.csrf
    );
    let added = app.submit(Some(&admin), "/admin/users", &form).await;
    assert_eq!(added.status, 303, "{}", text(&added));
    let page = app.page(Some(&admin), "/admin/users?done=1").await;
    assert!(text(&page).contains("emailed a link to choose their password"));
    assert!(!text(&page).contains("reset-password/"));
    assert!(
        app.store
            .verify_password("new-manager@example.org", "chosen by the admin 42")
            .await
            .unwrap()
            .is_none(),
        "the password the administrator typed is not the account's"
    );
    let waiting = queued(&app).await;
    assert!(
        waiting.contains(&("set_password".into(), "new-manager@example.org".into())),
        "{waiting:?}"
    );
    assert!(
        waiting.contains(&("account_review".into(), "pm@example.org".into())),
        "{waiting:?}"
    );

    let sink = SmtpSink::start();
    let sent = drain(&worker(&app.store, &sink.url(), "2026-12-31")).await;
    let mail = sink.wait_for(sent);
    let link_mail = mail
        .iter()
        .find(|m| m.rcpt_tos.iter().any(|t| t == "new-manager@example.org"))
        .unwrap();
    assert_eq!(
        mail.iter()
            .filter(|m| m.rcpt_tos.iter().any(|t| t == "new-manager@example.org"))
            .count(),
        1,
        "she is not asked to check her own account"
    );
    let prefix = format!("{PUBLIC_URL}/reset-password/");
    let at = link_mail
        .text
        .find(&prefix)
        .unwrap_or_else(|| panic!("{}", link_mail.text))
        + prefix.len();
    let token = &link_mail.text[at..at + 64];
    let opened = app.page(None, &format!("/reset-password/{token}")).await;
    assert_eq!(opened.status, 200, "the emailed link works");
    let to_manager = mail
        .iter()
        .find(|m| m.rcpt_tos.iter().any(|t| t == "pm@example.org"))
        .unwrap();
    assert!(
        to_manager.text.contains("account that can see cases"),
        "{}",
        to_manager.text
    );
    assert!(
        !to_manager.text.contains("reset-password"),
        "no credential in her email"
    );

    let pm = app.browser("pm").await;
    let dashboard = text(&app.page(Some(&pm), "/").await);
    assert!(dashboard.contains("Accounts to check"), "{dashboard}");
    assert!(
        dashboard.contains("New Manager (new-manager@example.org), Partnership Manager: created by admin@example.org")
    );
    let review = app.store.pending_account_reviews(0).await.unwrap()[0].id;
    let acknowledge = format!("/account-reviews/{review}/acknowledge");
    let bu = app.browser("bu").await;
    let refused = app.submit(Some(&bu), &acknowledge, &format!("csrf={}", bu.csrf)).await;
    assert_eq!(refused.status, 403);
    let done = app.submit(Some(&pm), &acknowledge, &format!("csrf={}", pm.csrf)).await;
    assert_eq!(
        (done.status.as_u16(), done.headers["location"].to_str().unwrap()),
        (303, "/")
    );
    assert!(!text(&app.page(Some(&pm), "/").await).contains("Accounts to check"));
    assert!(app.store.pending_account_reviews(0).await.unwrap().is_empty());

    // Enabling a disabled case reader again waits for her too; a viewer does not.
    let bu_id = app.store.user_by_email("bu@example.org").await.unwrap().unwrap().id;
    for action in ["disable", "enable"] {
        let res = app
            .submit(
                Some(&admin),
                &format!("/admin/users/{bu_id}/{action}"),
                &format!("csrf={}", admin.csrf),
            )
            .await;
        assert_eq!(res.status, 303);
    }
    let reviews = app.store.pending_account_reviews(0).await.unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(
        (reviews[0].email.as_str(), reviews[0].change.as_str()),
        ("bu@example.org", "enabled")
    );
}

/// An administrator's "password link" for a user is emailed to the user, never shown.
async fn a_password_link_an_administrator_asks_for_goes_to_the_user_only(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let admin = app.browser("admin").await;
    let bu_id = app.store.user_by_email("bu@example.org").await.unwrap().unwrap().id;
    let res = app
        .submit(
            Some(&admin),
            &format!("/admin/users/{bu_id}/reset-password"),
            &format!("csrf={}", admin.csrf),
        )
        .await;
    assert_eq!(res.status, 200);
    assert!(text(&res).contains("is emailed a link to choose a new password"));
    assert!(
        !text(&res).contains("reset-password/"),
        "the link is not shown to the administrator"
    );
    assert!(
        queued(&app)
            .await
            .contains(&("set_password".into(), "bu@example.org".into()))
    );
}

/// The directory says which agencies receive secure email (the referral form then goes
/// to them attached); the administrator sets it when adding one.
async fn an_administrator_marks_an_agency_as_receiving_secure_email(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let admin = app.browser("admin").await;
    for (slug, secure) in [("youth-justice", "yes"), ("dental-practice", "no")] {
        let form = format!(
            "csrf={}&slug={slug}&name=An+agency&kind=other&email=office%40agency.example.org&secure_email={secure}",
            admin.csrf
        );
        let res = app.submit(Some(&admin), "/admin/agencies", &form).await;
        assert!(res.status.is_redirection() || res.status == 200, "{}", text(&res));
    }
    let agencies = app.store.list_agencies().await.unwrap();
    let secure = |slug: &str| agencies.iter().find(|a| a.slug.as_str() == slug).unwrap().secure_email;
    assert!(secure("youth-justice"));
    assert!(!secure("dental-practice"));
}

crate::on_both_backends!(
    an_administrator_marks_an_agency_as_receiving_secure_email,
    an_administrator_cannot_make_a_case_reader_quietly,
    a_password_link_an_administrator_asks_for_goes_to_the_user_only,
);
