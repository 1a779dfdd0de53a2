//! `/admin/outbox`: every message by status, the mail server in use, retrying a failed
//! message, and sending a test email. Administrators only; the service layer checks
//! and audits (see `service::outbox`).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::pager::Pager;
use super::signed_form::SignedForm;
use super::{Nav, PageUser, long_date};
use crate::pages::PageError;
use crate::service::Refused;
use crate::service::outbox::{self, OutboxView};
use crate::service::types::{OutboxMessage, OutboxStatus};
use crate::state::AppState;

pub struct MessageLine {
    pub id: i64,
    pub queued: String,
    pub about: String,
    pub to: String,
    pub to_label: String,
    pub status: String,
    pub detail: String,
    pub retry: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_outbox.html")]
pub struct OutboxPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub smtp: String,
    pub status: String,
    pub total: i64,
    pub counts: Vec<(&'static str, &'static str, i64)>,
    pub caption: String,
    pub rows: Vec<MessageLine>,
    pub pager: Pager,
    pub notice: Option<String>,
    pub errors: Vec<(String, String)>,
    pub to: String,
    pub to_error: Option<String>,
}

/// What a message is about, in words: the case, the kind of notice, the step.
fn about(m: &OutboxMessage) -> String {
    let what = match m.clock_label() {
        Some(clock) => format!("{}: {clock}", m.notice.label()),
        None => m.notice.label().to_owned(),
    };
    match &m.case_reference {
        Some(reference) => format!("{reference}, {what}"),
        None => what,
    }
}

fn line(m: &OutboxMessage) -> MessageLine {
    let detail = match m.status {
        OutboxStatus::Sent => m.reply.clone().unwrap_or_default(),
        OutboxStatus::Queued => m
            .last_error
            .as_ref()
            .map(|e| format!("Attempt {} failed: {e}. It will be tried again.", m.attempts))
            .unwrap_or_default(),
        OutboxStatus::Failed => m.last_error.clone().unwrap_or_default(),
        OutboxStatus::Held | OutboxStatus::Digested => String::new(),
    };
    let status = match m.sent_at {
        Some(at) if m.status == OutboxStatus::Sent => format!("Sent {}", at.format("%-d %B %Y %H:%M")),
        _ => m.status.label().to_owned(),
    };
    MessageLine {
        id: m.id,
        queued: format!(
            "{} {}",
            long_date(m.created_at.date_naive()),
            m.created_at.format("%H:%M")
        ),
        about: about(m),
        to_label: m.recipient_label.clone(),
        to: m.recipient.clone(),
        status,
        detail,
        retry: m.status == OutboxStatus::Failed,
    }
}

fn page(state: &AppState, page_user: &PageUser, view: &OutboxView) -> OutboxPage {
    let status = view.status.map_or("", OutboxStatus::as_str);
    let total: i64 = view.counts.iter().map(|c| c.count).sum();
    let shown = view
        .counts
        .iter()
        .find(|c| Some(c.status) == view.status)
        .map_or(total, |c| c.count);
    let base = match view.status {
        Some(s) => format!("/admin/outbox?status={}&", s.as_str()),
        None => "/admin/outbox?".to_owned(),
    };
    OutboxPage {
        nav: Some(Nav::from(page_user)),
        csrf: page_user.csrf.clone(),
        smtp: state.mail.to_string(),
        status: status.to_owned(),
        total,
        counts: view
            .counts
            .iter()
            .map(|c| (c.status.as_str(), c.status.label(), c.count))
            .collect(),
        caption: match view.status {
            Some(s) => format!("{} ({shown})", s.label()),
            None => format!("All messages ({shown})"),
        },
        rows: view.messages.iter().map(line).collect(),
        pager: Pager::new(
            shown,
            crate::service::types::OUTBOX_PAGE,
            Some(&view.page.to_string()),
            &base,
        ),
        notice: None,
        errors: Vec::new(),
        to: page_user.user.email.clone(),
        to_error: None,
    }
}

fn refused(page_user: &PageUser, r: Refused) -> PageError {
    PageError::from(r).with_nav(Some(Nav::from(page_user)))
}

/// `GET /admin/outbox?status=&page=`
pub async fn show(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let view = outbox::list(
        &state,
        &page_user.user,
        q.get("status").map(String::as_str),
        q.get("page").map(String::as_str),
    )
    .await
    .map_err(|r| refused(&page_user, r))?;
    let mut shown = page(&state, &page_user, &view);
    shown.notice = q.get("done").map(|d| {
        if d == "test" {
            "The test email is queued. It shows here as sent once the server accepts it.".to_owned()
        } else {
            "The message is queued to be sent again.".to_owned()
        }
    });
    Ok(shown.into_response())
}

/// `POST /admin/outbox/{id}/retry`
pub async fn retry(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: SignedForm,
) -> Result<Response, PageError> {
    outbox::retry(&state, &form.user.user, id)
        .await
        .map_err(|r| refused(&form.user, r))?;
    Ok(Redirect::to("/admin/outbox?status=queued&done=retry").into_response())
}

/// `POST /admin/outbox/test`
pub async fn send_test(State(state): State<AppState>, form: SignedForm) -> Result<Response, PageError> {
    let SignedForm { user: page_user, data } = form;
    let to = data.get("to").trim().to_owned();
    match outbox::send_test(&state, &page_user.user, &to).await {
        Ok(()) => Ok(Redirect::to("/admin/outbox?status=queued&done=test").into_response()),
        Err(Refused::Invalid(e)) => {
            let view = outbox::list(&state, &page_user.user, None, None)
                .await
                .map_err(|r| refused(&page_user, r))?;
            let mut shown = page(&state, &page_user, &view);
            shown.errors = vec![("to".to_owned(), e.message.clone())];
            shown.to_error = Some(e.message);
            shown.to = to;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response())
        }
        Err(r) => Err(refused(&page_user, r)),
    }
}
