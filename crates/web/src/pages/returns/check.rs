//! `GET /returns/{token}/check`, `POST /returns/{token}/submit` and
//! `GET /returns/{token}/submitted`: check your answers, each with a "Change" link
//! back to its question; submission; and the confirmation page. Submitting without
//! the one answer the return needs goes back to the questions with that error.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{Header, Use, header, open_for_change, open_to_read, read_only_goes_to_start};
use crate::pages::forms::body::id;
use crate::pages::forms::field_error;
use crate::pages::forms::spec::scoping_fields;
use crate::pages::{Nav, PageError};
use crate::service::Refused;
use crate::service::returns as links;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "return_check.html")]
pub struct CheckPage {
    pub nav: Option<Nav>,
    pub h: Header,
    /// (question, answer, the id of its box on the questions page)
    pub answers: Vec<(String, String, String)>,
    pub entries: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "return_submitted.html")]
pub struct SubmittedPage {
    pub nav: Option<Nav>,
    pub h: Header,
    pub submitted_on: String,
}

/// `GET /returns/{token}/check`
pub async fn check(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, PageError> {
    let link = Use::of(&token, "GET /returns/{token}/check");
    let request = opened!(open_to_read(&state, link));
    if let Some(start) = read_only_goes_to_start(&token, &request, &state) {
        return Ok(start);
    }
    let answers = request
        .scoping
        .answers()
        .into_iter()
        .map(|(name, q, a)| {
            let anchor = if name.ends_with("_from") || name.ends_with("_to") {
                format!("{}-day", id(name))
            } else {
                id(name)
            };
            let a = if a.is_empty() { "Not answered".to_owned() } else { a };
            (q.to_owned(), a, anchor)
        })
        .collect();
    let page = CheckPage {
        nav: None,
        h: header(&state, &token, &request),
        answers,
        entries: request.entries,
    };
    Ok(page.into_response())
}

/// `POST /returns/{token}/submit`
pub async fn submit(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, PageError> {
    let link = Use::of(&token, "POST /returns/{token}/submit");
    let request = opened!(open_for_change(&state, link));
    match links::submit(&state, &request, link.action).await {
        Ok(_) => Ok(Redirect::to(&format!("/returns/{token}/submitted")).into_response()),
        Err(Refused::Invalid(e)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            links::audit(&state, Some(&request), link.action, status.as_u16()).await?;
            let errors = vec![field_error(&scoping_fields(), &e)];
            let page = super::questions::page(&state, &token, &request, None, errors, None);
            Ok((status, page).into_response())
        }
        Err(Refused::NotNow(m)) => {
            let status = StatusCode::CONFLICT;
            links::audit(&state, Some(&request), link.action, status.as_u16()).await?;
            let page = super::start::page(&state, &token, &request, vec![(String::new(), m)]).await?;
            Ok((status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /returns/{token}/submitted`
pub async fn submitted(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, PageError> {
    let link = Use::of(&token, "GET /returns/{token}/submitted");
    let request = opened!(open_to_read(&state, link));
    let Some(on) = request.submitted_on else {
        return Ok(Redirect::to(&format!("/returns/{token}")).into_response());
    };
    let page = SubmittedPage {
        nav: None,
        h: header(&state, &token, &request),
        submitted_on: crate::pages::long_date(on),
    };
    Ok(page.into_response())
}
