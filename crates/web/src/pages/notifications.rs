//! `/account/notifications`: each user chooses every email as it happens, or one daily
//! digest at 7am. (Agencies always get theirs as they happen.)

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::signed_form::SignedForm;
use super::{Nav, PageError, PageUser};
use crate::service::types::{AuditEntry, NotifyMode};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub email: String,
    /// (key, label, hint, checked)
    pub choices: Vec<(&'static str, &'static str, &'static str, bool)>,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
}

fn hint(mode: NotifyMode) -> &'static str {
    match mode {
        NotifyMode::Immediate => "An email for each step and reminder, as soon as it happens.",
        NotifyMode::Digest => {
            "One email each working day at 7am listing the steps recorded and the clocks due since the last one."
        }
    }
}

fn page(page_user: &PageUser, chosen: Option<NotifyMode>) -> NotificationsPage {
    NotificationsPage {
        nav: Some(Nav::from(page_user)),
        csrf: page_user.csrf.clone(),
        email: page_user.user.email.clone(),
        choices: NotifyMode::ALL
            .iter()
            .map(|&m| (m.as_str(), m.label(), hint(m), Some(m) == chosen))
            .collect(),
        errors: Vec::new(),
        notice: None,
    }
}

/// `GET /account/notifications`
pub async fn show(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let mode = crate::service::me::notify_mode(&state, page_user.user.id).await?;
    let mut shown = page(&page_user, Some(mode));
    shown.notice = q
        .contains_key("done")
        .then(|| format!("Saved: {}.", mode.label().to_lowercase()));
    Ok(shown.into_response())
}

/// `POST /account/notifications`
pub async fn save(State(state): State<AppState>, form: SignedForm) -> Result<Response, PageError> {
    let SignedForm { user: page_user, data } = form;
    let Some(mode) = NotifyMode::parse(data.get("notify")) else {
        let mut shown = page(&page_user, None);
        shown.errors = vec![("notify".to_owned(), "Choose how you want your emails".to_owned())];
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response());
    };
    let entry = AuditEntry::about(
        state.clock.now(),
        Some(&page_user.user.email),
        "notifications_changed",
        Some(mode.as_str()),
        "ok",
    );
    crate::service::me::set_notify_mode(&state, page_user.user.id, mode, &entry).await?;
    Ok(Redirect::to("/account/notifications?done=1").into_response())
}
