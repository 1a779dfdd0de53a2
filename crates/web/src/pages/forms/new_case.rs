//! The incident report that opens a case, on a page of its own.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::events::{EventKind, FieldError, parse_event_request};

use super::body::{FormData, to_json};
use super::spec::incident_fields;
use super::{Choices, FormPage, choices, field_error, today_defaults, views};
use crate::audit::AuditedInTransaction;
use crate::pages::signed_form::SignedForm;
use crate::pages::{Nav, PageError, PageUser};
use crate::service::Refused;
use crate::state::AppState;

fn may_open(page_user: &PageUser) -> Result<(), PageError> {
    if page_user.user.role.may_open_cases() {
        return Ok(());
    }
    Err(PageError::forbidden(
        Some(Nav::from(page_user)),
        "You cannot open cases",
        format!("The {} role does not open cases.", page_user.user.role.label()),
    ))
}

fn new_case_page(page_user: &PageUser, data: &FormData, errors: Vec<(String, String)>, choices: &Choices) -> FormPage {
    FormPage {
        nav: Some(Nav::from(page_user)),
        caption: "New case".into(),
        heading: EventKind::IncidentReported.label().into(),
        action: "/cases/new".into(),
        back: "/cases".into(),
        button: "Open the case".into(),
        csrf: page_user.csrf.clone(),
        version: "0".into(),
        fields: views(&incident_fields(), data, &errors, choices),
        errors,
        guidance: Vec::new(),
    }
}

/// `GET /cases/new`
pub async fn new_case_form(State(state): State<AppState>, page_user: PageUser) -> Result<Response, PageError> {
    may_open(&page_user)?;
    let choices = choices(&state, None).await?;
    let data = today_defaults(&state, &["reported_on", "aware_on"]);
    Ok(new_case_page(&page_user, &data, Vec::new(), &choices).into_response())
}

/// `POST /cases/new`
pub async fn new_case_submit(State(state): State<AppState>, signed: SignedForm) -> Result<Response, PageError> {
    let SignedForm { user: page_user, data } = signed;
    may_open(&page_user)?;
    let fields = incident_fields();
    let choices = choices(&state, None).await?;
    let again = |e: &FieldError| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            new_case_page(&page_user, &data, vec![field_error(&fields, e)], &choices),
        )
            .into_response()
    };
    let found = super::problems(&fields, &data, false);
    if !found.is_empty() {
        let page = new_case_page(&page_user, &data, found, &choices);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let request = to_json(&fields, &data).and_then(|json| parse_event_request(json, Some(EventKind::IncidentReported)));
    let request = match request {
        Ok(r) => r,
        Err(e) => return Ok(again(&e)),
    };
    match crate::service::cases::open(&state, &page_user.user, request, "POST /cases/new", None).await {
        Ok(opened) => {
            let mut response = Redirect::to(&format!("/cases/{}", opened.record.id)).into_response();
            response.extensions_mut().insert(AuditedInTransaction);
            Ok(response)
        }
        Err(Refused::Invalid(e)) => Ok(again(&e)),
        Err(r) => Err(PageError::from(r).with_nav(Some(Nav::from(&page_user)))),
    }
}
