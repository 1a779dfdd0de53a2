//! The tamper suite on the live database (the integrity issue, "the live case history
//! is not covered"): each kind of edit made to a case's events outside the service is
//! refused on read, with a clear error in the client's format, and named by the check
//! behind `audit verify`; so is a case's snapshot set to a stage its events never
//! reached.

use serde_json::json;
use sqlx::Connection;

use crate::support::TestApp;

/// A case whose threshold was decided `met`: two events.
async fn decided_case(app: &TestApp) -> String {
    let case = app.open_case("children_services", "2026-12-21").await;
    app.record(
        "la",
        &case,
        json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "Injuries fit the definition."}),
    )
    .await;
    case
}

async fn run_sql(app: &TestApp, sql: &str, case: &str) {
    let mut conn = sqlx::AnyConnection::connect(&app.database_url()).await.unwrap();
    let done = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(case)
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(done.rows_affected() > 0, "{sql}");
    conn.close().await.unwrap();
}

/// After `sql` (binding the case id as $1), the case is refused on read, as JSON and
/// as a page, naming `why`; a write is refused too; and the check names the case.
async fn refused_after(backend: store::Backend, sql: &str, why: &str) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = decided_case(&app).await;
    let other = app.open_case("children_services", "2026-12-21").await;
    assert_eq!(app.get("pm", &format!("/api/v1/cases/{case}")).await.status, 200);
    assert!(app.store.verify_case_chains().await.unwrap().is_empty());

    run_sql(&app, sql, &case).await;

    let res = app.get("pm", &format!("/api/v1/cases/{case}")).await;
    assert_eq!(res.status, 500, "{}", res.body);
    assert_eq!(res.body["error"]["code"], "integrity_failure", "{}", res.body);
    let message = res.body["error"]["message"].as_str().unwrap();
    assert!(message.contains(why), "{message}");
    assert!(message.contains("audit verify"), "{message}");

    let browser = app.browser("pm").await;
    let page = app.page(Some(&browser), &format!("/cases/{case}")).await;
    assert_eq!(page.status, 500);
    assert!(page.body.as_str().unwrap().contains("This case cannot be shown"));

    let write = app
        .post(
            "la",
            &format!("/api/v1/cases/{case}/events"),
            json!({"type": "panel_notified", "on": "2026-12-29", "reference": "NP-TEST-1"}),
        )
        .await;
    assert_eq!(write.status, 500, "a write is refused too: {}", write.body);
    assert_eq!(
        app.get("pm", &format!("/api/v1/cases/{other}")).await.status,
        200,
        "other cases read"
    );

    let broken = app.store.verify_case_chains().await.unwrap();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(broken[0].case_id, case);
    assert!(broken[0].why.contains(why), "{}", broken[0].why);
}

/// Integrity row "tampered … an event's outcome met→not_met", on the live database.
async fn an_event_s_outcome_edited_in_the_database_is_refused_on_read_and_named(backend: store::Backend) {
    refused_after(
        backend,
        "UPDATE events SET payload = REPLACE(payload, '\"met\"', '\"not_met\"') WHERE case_id = $1 AND version = 2",
        "event 2 does not match its MAC",
    )
    .await;
}

/// Integrity row "one byte of case text", on the live database.
async fn one_byte_of_case_text_edited_in_the_database_is_refused_on_read_and_named(backend: store::Backend) {
    refused_after(
        backend,
        "UPDATE events SET payload = REPLACE(payload, 'Synthetic test', 'Synthetic Test') WHERE case_id = $1 AND version = 1",
        "event 1 does not match its MAC",
    )
    .await;
}

/// An event removed from the middle of a case's history.
async fn an_event_removed_from_a_case_s_history_is_refused_on_read_and_named(backend: store::Backend) {
    refused_after(
        backend,
        "DELETE FROM events WHERE case_id = $1 AND version = 1",
        "event 1 is missing",
    )
    .await;
}

/// The last event cut off the end: the chain left is valid, but the case recorded more.
async fn the_last_event_removed_is_refused_on_read_and_named(backend: store::Backend) {
    refused_after(
        backend,
        "DELETE FROM events WHERE case_id = $1 AND version = 2",
        "its history ends at event 1 but the case recorded 2 events",
    )
    .await;
}

/// Who recorded an event, changed after the fact.
async fn an_event_s_actor_edited_in_the_database_is_refused_on_read_and_named(backend: store::Backend) {
    refused_after(
        backend,
        "UPDATE events SET actor_email = 'someone-else@example.org' WHERE case_id = $1 AND version = 2",
        "event 2 does not match its MAC",
    )
    .await;
}

/// A MAC set to NULL is not a way round the check (nor blessed on the next start).
async fn an_event_whose_mac_was_removed_is_refused_even_after_a_restart(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = decided_case(&app).await;
    run_sql(
        &app,
        "UPDATE events SET mac = NULL, payload = REPLACE(payload, '\"met\"', '\"not_met\"') WHERE case_id = $1 AND version = 2",
        &case,
    )
    .await;
    let reopened = app.database.open().await;
    let broken = reopened.verify_case_chains().await.unwrap();
    assert_eq!(broken.len(), 1);
    assert!(broken[0].why.contains("event 2 has no MAC"), "{}", broken[0].why);
}

/// Integrity row "a case's stage set to closed", on the live database: the snapshot
/// that lists and dashboards read is checked against the fold of the events.
async fn a_case_snapshot_set_to_closed_in_the_database_is_named(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let case = decided_case(&app).await;
    run_sql(
        &app,
        "UPDATE cases SET stage = 'closed', state = 'closed' WHERE id = $1",
        &case,
    )
    .await;
    let broken = app.store.verify_case_chains().await.unwrap();
    assert_eq!(broken.len(), 1);
    assert!(broken[0].why.contains("its snapshot says closed"), "{}", broken[0].why);
    let res = app.get("pm", &format!("/api/v1/cases/{case}")).await;
    assert_eq!(
        res.body["stage"], "notification",
        "the case reads its events: {}",
        res.body
    );
}

/// Runs `sql` (no parameters) on the test database.
async fn run_plain(app: &TestApp, sql: &str) {
    let mut conn = sqlx::AnyConnection::connect(&app.database_url()).await.unwrap();
    let done = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(done.rows_affected() > 0, "{sql}");
    conn.close().await.unwrap();
}

/// Integrity row "tampered … a viewer's role set to partnership_manager (who then
/// opened /cases)", on the live database: the row fails its MAC, so the viewer's token
/// and session are refused as if the account were not there, the check names it, and
/// enabling or disabling it through the service does not bless it.
async fn a_role_raised_in_the_database_gives_nothing_and_is_named(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let browser = app.browser("viewer").await;
    assert_eq!(
        app.get("viewer", "/api/v1/cases").await.status,
        403,
        "a viewer reads no case list"
    );
    assert!(app.store.verify_account_rows().await.unwrap().is_empty());
    run_plain(
        &app,
        "UPDATE users SET role = 'partnership_manager' WHERE email = 'viewer@example.org'",
    )
    .await;

    assert_eq!(app.get("viewer", "/api/v1/cases").await.status, 401);
    let page = app.page(Some(&browser), "/cases").await;
    assert_ne!(page.status, 200, "the session is gone too");
    assert!(app.store.user_by_email("viewer@example.org").await.unwrap().is_none());
    let named = app.store.verify_account_rows().await.unwrap();
    assert_eq!(named.len(), 1, "{named:?}");
    assert!(named[0].contains("user viewer@example.org"), "{}", named[0]);

    let id: i64 = {
        let mut conn = sqlx::AnyConnection::connect(&app.database_url()).await.unwrap();
        let row: (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = 'viewer@example.org'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        row.0
    };
    let entry = store::AuditEntry::about(
        chrono::Utc::now(),
        Some("admin@example.org"),
        "user_enabled",
        None,
        "ok",
    );
    let refused = app.store.set_disabled(id, false, &entry).await.unwrap_err();
    assert!(refused.to_string().contains("does not match its MAC"), "{refused}");
    assert_eq!(app.get("viewer", "/api/v1/cases").await.status, 401, "not blessed");
}

/// Integrity row "every token's revocation cleared and expiry pushed to 2099", on the
/// live database: the token fails its MAC and stays refused; the check names it.
async fn a_token_revival_in_the_database_gives_nothing_and_is_named(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let token = app.store.list_tokens(Some("chair@example.org")).await.unwrap()[0].id;
    let entry = store::AuditEntry::about(
        chrono::Utc::now(),
        Some("admin@example.org"),
        "token_revoked",
        None,
        "ok",
    );
    assert!(app.store.revoke_token(token, &entry).await.unwrap());
    assert_eq!(app.get("chair", "/api/v1/cases").await.status, 401);
    run_plain(
        &app,
        "UPDATE api_tokens SET revoked_at = NULL, expires_at = '2099-12-31T00:00:00.000Z'",
    )
    .await;
    assert_eq!(app.get("chair", "/api/v1/cases").await.status, 401, "still refused");
    assert_eq!(
        app.get("pm", "/api/v1/cases").await.status,
        401,
        "an expiry pushed is refused too"
    );
    let named = app.store.verify_account_rows().await.unwrap();
    assert_eq!(named.len(), app.tokens.len(), "every token: {named:?}");
    assert!(
        named.iter().any(|n| n.contains(&format!("token {token} "))),
        "{named:?}"
    );
}

/// Two-factor turned off, or a token handed to someone else, in the database.
async fn two_factor_removed_or_a_token_moved_in_the_database_gives_nothing(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let bu = app.store.user_by_email("bu@example.org").await.unwrap().unwrap();
    let entry = store::AuditEntry::about(chrono::Utc::now(), Some("cli:root"), "totp_set_up", None, "ok");
    app.store.set_up_totp(&bu, &entry).await.unwrap();
    assert!(
        app.store
            .user_by_email("bu@example.org")
            .await
            .unwrap()
            .unwrap()
            .two_factor
    );
    run_plain(
        &app,
        "UPDATE users SET totp_secret = NULL WHERE email = 'bu@example.org'",
    )
    .await;
    assert!(app.store.user_by_email("bu@example.org").await.unwrap().is_none());
    assert!(
        app.store
            .verify_password("bu@example.org", "anything at all")
            .await
            .unwrap()
            .is_none()
    );

    let viewer = app.store.list_tokens(Some("viewer@example.org")).await.unwrap()[0].id;
    run_plain(
        &app,
        &format!(
            "UPDATE api_tokens SET user_id = (SELECT id FROM users WHERE email = 'pm@example.org') WHERE id = {viewer}"
        ),
    )
    .await;
    assert_eq!(app.get("viewer", "/api/v1/cases").await.status, 401);
    let named = app.store.verify_account_rows().await.unwrap();
    assert_eq!(named.len(), 2, "{named:?}");
}

/// Integrity row "every token's revocation cleared and expiry pushed to 2099", for
/// return links: a withdrawn link revived in the database opens nothing, and the check
/// names it; a link the service reissues afterwards works (the service re-seals it).
async fn a_return_link_revived_in_the_database_opens_nothing_and_is_named(backend: store::Backend) {
    let app = TestApp::new(backend, "2027-01-04").await;
    let (case, school, police) = crate::returns::case_with_requests(&app).await;
    let revoked = app
        .post(
            "bu",
            &format!("/api/v1/cases/{case}/requests/county-police/revoke"),
            json!({}),
        )
        .await;
    assert_eq!(revoked.status, 200);
    assert!(app.store.verify_account_rows().await.unwrap().is_empty());
    run_plain(
        &app,
        "UPDATE agency_requests SET revoked_at = NULL, expires_on = '2099-12-31' WHERE agency = 'county-police'",
    )
    .await;
    let police_link = app.send(None, "GET", &format!("/api/v1/returns/{police}"), None).await;
    assert_eq!(police_link.status, 404, "still withdrawn: {}", police_link.body);
    let saved = app
        .send(
            None,
            "POST",
            &format!("/api/v1/returns/{police}/chronology"),
            Some(json!({"entries": [{"date": "2026-12-20", "what_happened": "Seen at home."}]})),
        )
        .await;
    assert_eq!(saved.status, 404, "nothing saved through it");
    let named = app.store.verify_account_rows().await.unwrap();
    assert_eq!(named.len(), 1, "{named:?}");
    assert!(named[0].contains("the return link of county-police"), "{}", named[0]);
    assert_eq!(
        app.send(None, "GET", &format!("/api/v1/returns/{school}"), None)
            .await
            .status,
        200,
        "the other agency's link is untouched"
    );
}

crate::on_both_backends!(
    a_return_link_revived_in_the_database_opens_nothing_and_is_named,
    a_role_raised_in_the_database_gives_nothing_and_is_named,
    a_token_revival_in_the_database_gives_nothing_and_is_named,
    two_factor_removed_or_a_token_moved_in_the_database_gives_nothing,
    an_event_s_outcome_edited_in_the_database_is_refused_on_read_and_named,
    one_byte_of_case_text_edited_in_the_database_is_refused_on_read_and_named,
    an_event_removed_from_a_case_s_history_is_refused_on_read_and_named,
    the_last_event_removed_is_refused_on_read_and_named,
    an_event_s_actor_edited_in_the_database_is_refused_on_read_and_named,
    an_event_whose_mac_was_removed_is_refused_even_after_a_restart,
    a_case_snapshot_set_to_closed_in_the_database_is_named,
);
