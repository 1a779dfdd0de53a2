//! The signed-in user's own account: who they are, two-factor sign-in and recovery
//! codes, changing their password (which ends their other sessions), and the list of
//! their sessions, any of which they can end.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::credentials::CredentialField;
use super::signed_form::SignedForm;
use super::{Nav, PageError, PageUser};
use crate::service::types::{AuditEntry, NewPassword};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "recovery_codes.html")]
pub struct RecoveryCodesPage {
    pub nav: Option<Nav>,
    pub heading: String,
    pub codes: Vec<String>,
    pub next: String,
}

pub struct SessionLine {
    pub id: String,
    pub browser: String,
    pub signed_in: String,
    pub last_used: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub two_factor: bool,
    pub recovery_codes_left: i64,
    pub password_fields: Vec<CredentialField>,
    pub sessions: Vec<SessionLine>,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
    pub warning: Option<String>,
    /// How the user gets email notifications, in words.
    pub notify: String,
}

fn password_fields() -> Vec<CredentialField> {
    vec![
        CredentialField::password("current", "Current password", "", "current-password"),
        CredentialField::password(
            "new",
            "New password",
            "At least 10 characters. A few unrelated words make a strong password that is easy to remember.",
            "new-password",
        ),
        CredentialField::password("confirm", "Confirm the new password", "", "new-password"),
    ]
}

fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%-d %B %Y at %H:%M UTC").to_string()
}

async fn account_page(state: &AppState, page_user: &PageUser) -> Result<AccountPage, PageError> {
    let user = &page_user.user;
    let sessions = crate::service::sessions::sessions_of(state, user.id, &page_user.cookie)
        .await?
        .into_iter()
        .map(|s| SessionLine {
            id: s.id,
            browser: s.browser,
            signed_in: when(s.created_at),
            last_used: when(s.last_seen_at),
            current: s.current,
        })
        .collect();
    Ok(AccountPage {
        nav: Some(Nav::from(page_user)),
        csrf: page_user.csrf.clone(),
        name: user.name.clone(),
        email: user.email.clone(),
        role: user.role.label().to_owned(),
        two_factor: user.two_factor,
        recovery_codes_left: crate::service::me::recovery_codes_left(state, user.id).await?,
        password_fields: password_fields(),
        sessions,
        errors: Vec::new(),
        notice: None,
        warning: None,
        notify: crate::service::me::notify_mode(state, user.id)
            .await?
            .label()
            .to_owned(),
    })
}

/// `GET /account`
pub async fn show(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let mut page = account_page(&state, &page_user).await?;
    page.notice = q.get("done").map(|d| {
        match d.as_str() {
            "password" => "Your password is changed, and your other sessions are signed out.",
            "sessions" => "Your other sessions are signed out.",
            "session" => "That session is signed out.",
            _ => "Done.",
        }
        .to_owned()
    });
    if let Some(left) = q.get("recovery_codes_left").and_then(|n| n.parse::<i64>().ok()) {
        page.warning = Some(format!(
            "You signed in with a recovery code. You have {left} left: if you have lost your phone, set up two-factor sign-in again with your administrator, or make new recovery codes below."
        ));
    }
    Ok(page.into_response())
}

fn audit(state: &AppState, page_user: &PageUser, action: &str) -> AuditEntry {
    AuditEntry::about(state.clock.now(), Some(&page_user.user.email), action, None, "ok")
}

/// `POST /account/password`
pub async fn change_password(State(state): State<AppState>, form: SignedForm) -> Result<Response, PageError> {
    let SignedForm { user: page_user, data } = form;
    let user = &page_user.user;
    let refuse = |field: &str, message: String| (field.to_owned(), message);
    let checked = if data.raw("current").is_empty() {
        Err(refuse("current", "Enter your current password".into()))
    } else if data.raw("new") != data.raw("confirm") {
        Err(refuse(
            "confirm",
            "The new passwords do not match: enter the same password twice".into(),
        ))
    } else {
        NewPassword::new("new", data.raw("new"), &[&user.email, &user.name])
            .map_err(|e| refuse("new", format!("Choose a different new password: {}", e.message)))
    };
    let result = match checked {
        Ok(new) => {
            let entry = audit(&state, &page_user, "password_changed");
            let changed =
                crate::service::me::change_password(&state, user, data.raw("current"), &new, &page_user.cookie, &entry)
                    .await?;
            if changed {
                return Ok(Redirect::to("/account?done=password").into_response());
            }
            refuse("current", "Your current password is not right".into())
        }
        Err(e) => e,
    };
    let mut page = account_page(&state, &page_user).await?;
    if let Some(f) = page.password_fields.iter_mut().find(|f| f.name == result.0) {
        f.error = Some(result.1.clone());
    }
    page.errors = vec![result];
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// `POST /account/sessions/{id}/end`
pub async fn end_session(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm,
) -> Result<Response, PageError> {
    let page_user = &form.user;
    let entry = audit(&state, page_user, "session_ended");
    if crate::service::sessions::end_session_by_id(&state, page_user.user.id, &id, &page_user.cookie, &entry).await? {
        Ok(Redirect::to("/account?done=session").into_response())
    } else {
        Err(PageError::not_found(
            Some(Nav::from(page_user)),
            "Session not found",
            "That session has already ended.",
        ))
    }
}

/// `POST /account/sessions/end-others`
pub async fn end_other_sessions(State(state): State<AppState>, form: SignedForm) -> Result<Response, PageError> {
    let page_user = &form.user;
    let entry = audit(&state, page_user, "other_sessions_ended");
    crate::service::sessions::end_other_sessions(&state, page_user.user.id, &page_user.cookie, &entry).await?;
    Ok(Redirect::to("/account?done=sessions").into_response())
}

/// `POST /account/recovery-codes`: ten new codes replace the old ones.
pub async fn new_recovery_codes(State(state): State<AppState>, form: SignedForm) -> Result<Response, PageError> {
    let page_user = &form.user;
    if !page_user.user.two_factor {
        return Ok(Redirect::to("/account/two-factor").into_response());
    }
    let entry = audit(&state, page_user, "recovery_codes_renewed");
    let codes = crate::service::me::new_recovery_codes(&state, &page_user.user, &entry).await?;
    Ok(RecoveryCodesPage {
        nav: Some(Nav::from(page_user)),
        heading: "New recovery codes made".into(),
        codes,
        next: "/account".into(),
    }
    .into_response())
}
