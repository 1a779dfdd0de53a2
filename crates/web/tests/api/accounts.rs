//! Hardening rows 4, 5 and 6 through the pages, as a browser would go: sign-in with its
//! throttle, two-factor sign-in and its set-up, recovery codes, passwords, sessions,
//! disabling users, reset links and tokens; and the audit of each.

use std::collections::HashMap;

use axum::body::Body;
use axum::http::Request;
use axum::http::header::{LOCATION, SET_COOKIE};
use store::{AuditEntry, NewPassword};

use crate::support::{Response, TestApp, call};

const PASSWORD: &str = "violet kettle harbour sixty";

/// A browser's cookies, kept across requests as a browser keeps them.
#[derive(Default, Clone)]
struct Jar(HashMap<String, String>);

impl Jar {
    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn absorb(&mut self, res: &Response) {
        for value in res.headers.get_all(SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if text.contains("Max-Age=0") || v.is_empty() {
                self.0.remove(k);
            } else {
                self.0.insert(k.to_owned(), v.to_owned());
            }
        }
    }

    fn session(&self) -> Option<&String> {
        self.0.get("rr_session")
    }
}

async fn get(app: &TestApp, jar: &mut Jar, path: &str) -> Response {
    let req = Request::get(path)
        .header("cookie", jar.header())
        .body(Body::empty())
        .unwrap();
    let res = call(app.router(), req).await;
    jar.absorb(&res);
    res
}

async fn post(app: &TestApp, jar: &mut Jar, path: &str, form: &[(&str, &str)]) -> Response {
    let body = serde_urlencoded::to_string(form).unwrap();
    let req = Request::post(path)
        .header("cookie", jar.header())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
        .body(Body::from(body))
        .unwrap();
    let res = call(app.router(), req).await;
    jar.absorb(&res);
    res
}

fn html(res: &Response) -> &str {
    res.body.as_str().unwrap_or("")
}

/// The value of a hidden `csrf` field on a page.
fn csrf_of(res: &Response) -> String {
    let page = html(res);
    let at = page.find("name=\"csrf\" value=\"").expect("a form token on the page") + 19;
    page[at..at + 64].to_owned()
}

fn location(res: &Response) -> &str {
    res.headers.get(LOCATION).map_or("", |v| v.to_str().unwrap())
}

async fn give_password(app: &TestApp, who: &str) {
    let user = app
        .store
        .user_by_email(&format!("{who}@example.org"))
        .await
        .unwrap()
        .unwrap();
    let new = NewPassword::new("password", PASSWORD, &[]).unwrap();
    let entry = AuditEntry::about(chrono::Utc::now(), Some("test"), "password_set", None, "ok");
    app.store.set_password(user.id, &new, &entry).await.unwrap();
}

async fn sign_in(app: &TestApp, jar: &mut Jar, who: &str, password: &str) -> Response {
    let form = get(app, jar, "/sign-in").await;
    let csrf = csrf_of(&form);
    let email = format!("{who}@example.org");
    post(
        app,
        jar,
        "/sign-in",
        &[("email", &email), ("password", password), ("csrf", &csrf)],
    )
    .await
}

fn code_now(key_text: &str) -> String {
    let secret = totp_rs::Secret::try_from_base32(key_text).unwrap();
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(secret)
        .build_noncompliant();
    totp.generate(u64::try_from(chrono::Utc::now().timestamp()).unwrap())
        .to_string()
}

/// The key text shown on the set-up page.
fn key_on(res: &Response) -> String {
    let page = html(res);
    let at = page.find("class=\"app-key\">").expect("the key as text") + 16;
    let end = page[at..].find('<').unwrap();
    page[at..at + end].to_owned()
}

async fn audited(app: &TestApp, action: &str) -> Vec<String> {
    app.store
        .recent_account_audit(500)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r[2] == action)
        .map(|r| r[4].clone())
        .collect()
}

/// Row 4: five wrong passwords make the account wait 30 seconds, even for the right
/// password; the page says so with a 429; each attempt is audited.
async fn after_five_wrong_passwords_the_account_waits_and_the_page_says_when(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await.optional_two_factor().await;
    give_password(&app, "pm").await;
    let mut jar = Jar::default();
    for _ in 0..5 {
        let res = sign_in(&app, &mut jar, "pm", "wrong guess number one").await;
        assert_eq!(res.status, 401);
        assert!(html(&res).contains("Enter a correct email address and password"));
    }
    let res = sign_in(&app, &mut jar, "pm", PASSWORD).await;
    assert_eq!(res.status, 429, "{}", html(&res));
    let page = html(&res);
    assert!(
        page.contains("Try again in 30 seconds") || page.contains("Try again in 29 seconds"),
        "{page}"
    );
    assert!(jar.session().is_none());
    let outcomes = audited(&app, "sign_in").await;
    assert_eq!(outcomes.iter().filter(|o| *o == "wrong_password").count(), 5);
    assert_eq!(outcomes.iter().filter(|o| *o == "locked").count(), 1);
}

/// Integrity row "lock-out as denial of service": a stranger's wrong passwords make
/// the account's unknown clients wait, but not the owner's own browser (it signed in
/// before and carries a device cookie), even from the same office address; the owner's
/// own failures count against her browser alone, and a cookie made for another account
/// or edited counts for nothing.
async fn a_stranger_s_wrong_passwords_do_not_lock_the_owner_s_own_browser_out(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await.optional_two_factor().await;
    give_password(&app, "pm").await;
    give_password(&app, "bu").await;
    let mut owner = Jar::default();
    assert_eq!(location(&sign_in(&app, &mut owner, "pm", PASSWORD).await), "/");
    let device = owner
        .0
        .get("rr_device")
        .cloned()
        .expect("a device cookie after signing in");
    let mut stranger = Jar::default();
    for _ in 0..5 {
        assert_eq!(sign_in(&app, &mut stranger, "pm", "wrong guess").await.status, 401);
    }
    assert_eq!(
        sign_in(&app, &mut stranger, "pm", PASSWORD).await.status,
        429,
        "unknown clients wait"
    );
    for i in 0..20 {
        sign_in(&app, &mut stranger, &format!("guess{i}"), "wrong").await;
    }
    assert_eq!(
        sign_in(&app, &mut stranger, "bu", PASSWORD).await.status,
        429,
        "the address waits"
    );
    let res = sign_in(&app, &mut owner, "pm", PASSWORD).await;
    assert_eq!(
        (res.status.as_u16(), location(&res)),
        (303, "/"),
        "the owner's browser signs in"
    );

    // Her browser's cookie does not speak for another account, nor once edited.
    let mut borrowed = Jar::default();
    borrowed.0.insert("rr_device".into(), device.clone());
    assert_eq!(sign_in(&app, &mut borrowed, "bu", PASSWORD).await.status, 429);
    let mut edited = Jar::default();
    let flipped = if device.ends_with('0') { '1' } else { '0' };
    edited
        .0
        .insert("rr_device".into(), format!("{}{flipped}", &device[..device.len() - 1]));
    assert_eq!(sign_in(&app, &mut edited, "pm", PASSWORD).await.status, 429);

    // Her own browser's failures are its own: five, and it waits too.
    for _ in 0..5 {
        assert_eq!(sign_in(&app, &mut owner, "pm", "a typo").await.status, 401);
    }
    assert_eq!(sign_in(&app, &mut owner, "pm", PASSWORD).await.status, 429);
}

/// Row 4: an unknown email gets the same answer as a wrong password, is throttled the
/// same way, and one address guessing across many accounts waits after twenty.
async fn unknown_emails_answer_like_wrong_passwords_and_an_address_waits_after_twenty(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await.optional_two_factor().await;
    let mut jar = Jar::default();
    let res = sign_in(&app, &mut jar, "nobody", PASSWORD).await;
    assert_eq!(res.status, 401);
    assert!(html(&res).contains("Enter a correct email address and password"));
    for i in 0..19 {
        let res = sign_in(&app, &mut jar, &format!("guess{i}"), "wrong").await;
        assert_eq!(res.status, 401, "attempt {i}");
    }
    let res = sign_in(&app, &mut jar, "someone-else", "wrong").await;
    assert_eq!(res.status, 429);
}

/// Row 4: a right password clears the account's count and signs in (two-factor
/// optional), and the sign-in is audited.
async fn a_right_password_signs_in_and_is_audited(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await.optional_two_factor().await;
    give_password(&app, "pm").await;
    let mut jar = Jar::default();
    let res = sign_in(&app, &mut jar, "pm", PASSWORD).await;
    assert_eq!((res.status.as_u16(), location(&res)), (303, "/"));
    assert_eq!(get(&app, &mut jar, "/cases").await.status, 200);
    assert_eq!(audited(&app, "sign_in").await, vec!["password_accepted"]);
}

/// Row 5: with two-factor required, a user without it is sent to set it up before any
/// page; the first code proves the app; ten recovery codes are shown once.
async fn two_factor_is_set_up_at_first_sign_in_when_required(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    give_password(&app, "pm").await;
    let mut jar = Jar::default();
    let res = sign_in(&app, &mut jar, "pm", PASSWORD).await;
    assert_eq!(location(&res), "/account/two-factor");
    let half = jar.session().cloned().unwrap();
    assert_eq!(location(&get(&app, &mut jar, "/cases").await), "/account/two-factor");
    assert_eq!(
        app.get("pm", "/api/v1/cases").await.status,
        200,
        "API tokens are unaffected"
    );
    let setup = get(&app, &mut jar, "/account/two-factor").await;
    assert_eq!(setup.status, 200);
    let key = key_on(&setup);
    let qr = get(&app, &mut jar, "/account/two-factor/qr.svg").await;
    assert!(html(&qr).contains("<svg"));
    let csrf = csrf_of(&setup);
    let wrong = post(
        &app,
        &mut jar,
        "/account/two-factor",
        &[("code", "000000"), ("csrf", &csrf)],
    )
    .await;
    assert_eq!(wrong.status, 422);
    let code = code_now(&key);
    let done = post(
        &app,
        &mut jar,
        "/account/two-factor",
        &[("code", &code), ("csrf", &csrf)],
    )
    .await;
    assert_eq!(done.status, 200, "{}", html(&done));
    assert_eq!(html(&done).matches("<li><code>").count(), 10);
    assert_ne!(jar.session().unwrap(), &half, "a fresh session after sign-in");
    assert_eq!(get(&app, &mut jar, "/cases").await.status, 200);
}

/// Row 5: a user with two-factor gives a code after the password; a wrong code is
/// refused, a code is good once, and a recovery code works once.
async fn a_second_factor_is_asked_for_and_each_code_works_once(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    give_password(&app, "bu").await;
    let user = app.store.user_by_email("bu@example.org").await.unwrap().unwrap();
    let entry = AuditEntry::about(chrono::Utc::now(), Some("test"), "two_factor_set_up", None, "ok");
    let (key, codes) = app.store.set_up_totp(&user, &entry).await.unwrap();

    let mut jar = Jar::default();
    let res = sign_in(&app, &mut jar, "bu", PASSWORD).await;
    assert_eq!(location(&res), "/sign-in/two-factor");
    let form = get(&app, &mut jar, "/sign-in/two-factor").await;
    let csrf = csrf_of(&form);
    let wrong = post(
        &app,
        &mut jar,
        "/sign-in/two-factor",
        &[("code", "123456"), ("csrf", &csrf)],
    )
    .await;
    assert_eq!(wrong.status, 401);
    let code = code_now(&key.text);
    let right = post(
        &app,
        &mut jar,
        "/sign-in/two-factor",
        &[("code", &code), ("csrf", &csrf)],
    )
    .await;
    assert_eq!((right.status.as_u16(), location(&right)), (303, "/"));
    assert_eq!(get(&app, &mut jar, "/cases").await.status, 200);

    // The same code again, from another browser: refused (it was used).
    let mut other = Jar::default();
    sign_in(&app, &mut other, "bu", PASSWORD).await;
    let form = get(&app, &mut other, "/sign-in/two-factor").await;
    let csrf = csrf_of(&form);
    let replay = post(
        &app,
        &mut other,
        "/sign-in/two-factor",
        &[("code", &code), ("csrf", &csrf)],
    )
    .await;
    assert_eq!(replay.status, 401);
    let recovery = codes[0].to_uppercase();
    let res = post(
        &app,
        &mut other,
        "/sign-in/two-factor",
        &[("code", &recovery), ("csrf", &csrf)],
    )
    .await;
    assert_eq!(location(&res), "/account?recovery_codes_left=9");
    let account = get(&app, &mut other, "/account?recovery_codes_left=9").await;
    assert!(html(&account).contains("You have 9 left"), "{}", html(&account));

    let mut third = Jar::default();
    sign_in(&app, &mut third, "bu", PASSWORD).await;
    let form = get(&app, &mut third, "/sign-in/two-factor").await;
    let csrf = csrf_of(&form);
    let again = post(
        &app,
        &mut third,
        "/sign-in/two-factor",
        &[("code", &codes[0]), ("csrf", &csrf)],
    )
    .await;
    assert_eq!(again.status, 401, "a recovery code works once");
    let outcomes = audited(&app, "sign_in_second_factor").await;
    for outcome in ["code_accepted", "wrong_code", "recovery_code_used"] {
        assert!(outcomes.iter().any(|o| o == outcome), "{outcome} in {outcomes:?}");
    }
}

/// Row 6: a user changes their own password: a weak one is refused with the reason,
/// a wrong current one is refused, and a good change ends their other sessions.
async fn changing_a_password_refuses_weak_ones_and_ends_other_sessions(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await.optional_two_factor().await;
    give_password(&app, "pm").await;
    let (mut one, mut two) = (Jar::default(), Jar::default());
    sign_in(&app, &mut one, "pm", PASSWORD).await;
    sign_in(&app, &mut two, "pm", PASSWORD).await;
    let account = get(&app, &mut one, "/account").await;
    let listed = html(&account)
        .matches("<td class=\"govuk-table__cell\">Firefox on Linux</td>")
        .count();
    assert_eq!(listed, 2, "both sessions listed");
    let csrf = csrf_of(&account);
    let change =
        |current: &'static str, new: &'static str| [("current", current), ("new", new), ("confirm", new), ("csrf", "")];
    let mut weak = change(PASSWORD, "password1234");
    weak[3].1 = &csrf;
    let res = post(&app, &mut one, "/account/password", &weak).await;
    assert_eq!(res.status, 422);
    assert!(html(&res).contains("Choose a different new password"));
    let mut wrong = change("not my password", "amber lantern meadow forty");
    wrong[3].1 = &csrf;
    let res = post(&app, &mut one, "/account/password", &wrong).await;
    assert!(html(&res).contains("Your current password is not right"));
    let mut good = change(PASSWORD, "amber lantern meadow forty");
    good[3].1 = &csrf;
    let res = post(&app, &mut one, "/account/password", &good).await;
    assert_eq!(location(&res), "/account?done=password");
    assert_eq!(get(&app, &mut one, "/cases").await.status, 200);
    assert_eq!(location(&get(&app, &mut two, "/cases").await), "/sign-in");
    assert_eq!(audited(&app, "password_changed").await.len(), 1);
}

/// Row 6: an administrator disables a user (their sessions and tokens end at once),
/// enables them again, and makes a single-use password link.
async fn disabling_a_user_ends_their_sessions_and_tokens_and_a_reset_link_works_once(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await.optional_two_factor().await;
    give_password(&app, "admin").await;
    give_password(&app, "bu").await;
    let (mut admin, mut bu) = (Jar::default(), Jar::default());
    sign_in(&app, &mut admin, "admin", PASSWORD).await;
    sign_in(&app, &mut bu, "bu", PASSWORD).await;
    let bu_user = app.store.user_by_email("bu@example.org").await.unwrap().unwrap();
    let users = get(&app, &mut admin, "/admin/users").await;
    let csrf = csrf_of(&users);
    let res = post(
        &app,
        &mut admin,
        &format!("/admin/users/{}/disable", bu_user.id),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(location(&res), "/admin/users?done=disable");
    assert_eq!(location(&get(&app, &mut bu, "/cases").await), "/sign-in");
    assert_eq!(app.get("bu", "/api/v1/cases").await.status, 401);
    assert_eq!(sign_in(&app, &mut bu, "bu", PASSWORD).await.status, 401);
    post(
        &app,
        &mut admin,
        &format!("/admin/users/{}/enable", bu_user.id),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(location(&sign_in(&app, &mut bu, "bu", PASSWORD).await), "/");

    let res = post(
        &app,
        &mut admin,
        &format!("/admin/users/{}/reset-password", bu_user.id),
        &[("csrf", &csrf)],
    )
    .await;
    // The link is emailed to the user (made when it is sent), never shown here.
    assert!(!html(&res).contains("/reset-password/"));
    let sent = AuditEntry::about(chrono::Utc::now(), Some("system"), "password_link_sent", None, "ok");
    let token = app.store.create_reset_token(bu_user.id, &sent).await.unwrap();
    let link = format!("/reset-password/{token}");
    let mut stranger = Jar::default();
    assert_eq!(get(&app, &mut stranger, &link).await.status, 200);
    let weak = post(
        &app,
        &mut stranger,
        &link,
        &[("new", "12345678"), ("confirm", "12345678")],
    )
    .await;
    assert_eq!(weak.status, 422);
    let new = "copper window garden ninety";
    let set = post(&app, &mut stranger, &link, &[("new", new), ("confirm", new)]).await;
    assert!(html(&set).contains("Your password is set"));
    assert_eq!(
        location(&get(&app, &mut bu, "/cases").await),
        "/sign-in",
        "sessions ended"
    );
    assert_eq!(get(&app, &mut stranger, &link).await.status, 404, "the link works once");
    assert_eq!(location(&sign_in(&app, &mut bu, "bu", new).await), "/");
    // A link is good for 24 hours only.
    let entry = AuditEntry::about(chrono::Utc::now(), Some("test"), "password_reset_link_made", None, "ok");
    let token = app.store.create_reset_token(bu_user.id, &entry).await.unwrap();
    let later = chrono::Utc::now() + chrono::Duration::hours(25);
    assert!(app.store.reset_token_user(&token, later).await.unwrap().is_none());
    for action in [
        "user_disabled",
        "user_enabled",
        "password_link_queued",
        "password_reset_used",
    ] {
        assert!(!audited(&app, action).await.is_empty(), "{action} audited");
    }
}

/// Row 6: tokens expire (90 days unless told), can be listed and revoked from the admin
/// pages, and a revoked token stops at once.
async fn tokens_expire_and_an_administrator_revokes_one(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await.optional_two_factor().await;
    let now = chrono::Utc::now();
    let entry = AuditEntry::about(now, Some("test"), "token_issued", None, "ok");
    let short = app
        .store
        .issue_token("chair@example.org", "one day", 1, &entry)
        .await
        .unwrap();
    assert!(app.store.user_for_token(&short.token, now).await.unwrap().is_some());
    let later = now + chrono::Duration::days(2);
    assert!(app.store.user_for_token(&short.token, later).await.unwrap().is_none());
    let default = app.store.list_tokens(Some("pm@example.org")).await.unwrap();
    let days = (default[0].expires_at.unwrap() - default[0].created_at).num_days();
    assert_eq!(days, 90);

    give_password(&app, "admin").await;
    let mut admin = Jar::default();
    sign_in(&app, &mut admin, "admin", PASSWORD).await;
    let page = get(&app, &mut admin, "/admin/tokens").await;
    assert!(html(&page).contains("pm@example.org"));
    let csrf = csrf_of(&page);
    let pm_token = default[0].id;
    let res = post(
        &app,
        &mut admin,
        &format!("/admin/tokens/{pm_token}/revoke"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(location(&res), "/admin/tokens?done=1");
    assert_eq!(app.get("pm", "/api/v1/cases").await.status, 401);
    assert_eq!(audited(&app, "token_revoked").await.len(), 1);
}

/// Row 6: a session ends 12 hours after sign-in however busy, and signing in again in
/// the same browser ends the session it had.
async fn a_session_ends_after_twelve_hours_and_signing_in_again_replaces_it(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await.optional_two_factor().await;
    give_password(&app, "pm").await;
    let mut jar = Jar::default();
    sign_in(&app, &mut jar, "pm", PASSWORD).await;
    let first = jar.session().cloned().unwrap();
    sign_in(&app, &mut jar, "pm", PASSWORD).await;
    let idle = chrono::Duration::minutes(30);
    let now = chrono::Utc::now();
    assert!(
        app.store.session(&first, now, idle).await.unwrap().is_none(),
        "replaced"
    );
    let second = jar.session().cloned().unwrap();
    let mut at = now;
    while at < now + chrono::Duration::hours(12) - chrono::Duration::minutes(25) {
        at += chrono::Duration::minutes(25);
        assert!(
            app.store.session(&second, at, idle).await.unwrap().is_some(),
            "busy at {at}"
        );
    }
    at += chrono::Duration::minutes(25);
    assert!(app.store.session(&second, at, idle).await.unwrap().is_none());
}

/// Row 7: administrative changes made on the pages are audited with who and what.
async fn administrative_changes_are_audited_with_the_administrator(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await.optional_two_factor().await;
    give_password(&app, "admin").await;
    let mut admin = Jar::default();
    sign_in(&app, &mut admin, "admin", PASSWORD).await;
    let page = get(&app, &mut admin, "/admin/agencies").await;
    let csrf = csrf_of(&page);
    let res = post(
        &app,
        &mut admin,
        "/admin/agencies",
        &[
            ("slug", "youth-justice"),
            ("name", "Youth Justice"),
            ("kind", "yjs"),
            ("csrf", &csrf),
        ],
    )
    .await;
    assert_eq!(res.status, 303);
    let nul = post(
        &app,
        &mut admin,
        "/admin/agencies",
        &[
            ("slug", "nul-agency"),
            ("name", "Bad\u{0}name"),
            ("kind", "x"),
            ("csrf", &csrf),
        ],
    )
    .await;
    assert_eq!(nul.status, 422, "hardening row 11: a NUL in an admin name");
    let rows = app.store.recent_account_audit(50).await.unwrap();
    let row = rows.iter().find(|r| r[2] == "agency_added").unwrap();
    assert_eq!(
        (row[1].as_str(), row[3].as_str()),
        ("admin@example.org", "agency youth-justice")
    );
    post(&app, &mut admin, "/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(audited(&app, "sign_out").await, vec!["ok"]);
}

crate::on_both_backends!(
    after_five_wrong_passwords_the_account_waits_and_the_page_says_when,
    a_stranger_s_wrong_passwords_do_not_lock_the_owner_s_own_browser_out,
    unknown_emails_answer_like_wrong_passwords_and_an_address_waits_after_twenty,
    a_right_password_signs_in_and_is_audited,
    two_factor_is_set_up_at_first_sign_in_when_required,
    a_second_factor_is_asked_for_and_each_code_works_once,
    changing_a_password_refuses_weak_ones_and_ends_other_sessions,
    disabling_a_user_ends_their_sessions_and_tokens_and_a_reset_link_works_once,
    tokens_expire_and_an_administrator_revokes_one,
    a_session_ends_after_twelve_hours_and_signing_in_again_replaces_it,
    administrative_changes_are_audited_with_the_administrator,
);
