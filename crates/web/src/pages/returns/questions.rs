//! `GET /returns/{token}/questions` and `POST /returns/{token}/scoping`: the Initial
//! Scoping and Information Sharing questions. "Save and continue" saves them as a
//! draft and goes on to the chronology; what was typed is kept beside any error.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::returns::Scoping;

use super::{Header, Notice, Use, go, header, notice_text, open_for_change, open_to_read, read_only_goes_to_start};
use crate::pages::forms::body::{FormData, id, to_json};
use crate::pages::forms::spec::scoping_fields;
use crate::pages::forms::{Choices, FieldView, field_error, problems, views};
use crate::pages::{Nav, PageError};
use crate::service::returns as links;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "return_questions.html")]
pub struct QuestionsPage {
    pub nav: Option<Nav>,
    pub h: Header,
    pub notice: Option<String>,
    pub errors: Vec<(String, String)>,
    pub fields: Vec<FieldView>,
}

/// The scoping draft as form values, dates split into their boxes.
fn scoping_data(scoping: &Scoping) -> FormData {
    let mut pairs = Vec::new();
    for (name, _, answer) in scoping.answers() {
        if answer.is_empty() {
            continue;
        }
        if name.ends_with("_from") || name.ends_with("_to") {
            let parts: Vec<&str> = answer.split('-').collect();
            if let [y, m, d] = parts.as_slice() {
                pairs.push((format!("{}-day", id(name)), d.trim_start_matches('0').to_owned()));
                pairs.push((format!("{}-month", id(name)), m.trim_start_matches('0').to_owned()));
                pairs.push((format!("{}-year", id(name)), (*y).to_owned()));
            }
        } else {
            pairs.push((id(name), answer));
        }
    }
    FormData(pairs)
}

pub(super) fn page(
    state: &AppState,
    token: &str,
    request: &crate::service::types::ReturnRequest,
    typed: Option<&FormData>,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> QuestionsPage {
    let data = typed.cloned().unwrap_or_else(|| scoping_data(&request.scoping));
    QuestionsPage {
        nav: None,
        h: header(state, token, request),
        notice,
        fields: views(&scoping_fields(), &data, &errors, &Choices::default()),
        errors,
    }
}

/// `GET /returns/{token}/questions`
pub async fn questions(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<Notice>,
) -> Result<Response, PageError> {
    let link = Use::of(&token, "GET /returns/{token}/questions");
    let request = opened!(open_to_read(&state, link));
    if let Some(start) = read_only_goes_to_start(&token, &request, &state) {
        return Ok(start);
    }
    let notice = notice_text(q.done.as_deref());
    Ok(page(&state, &token, &request, None, Vec::new(), notice).into_response())
}

/// `POST /returns/{token}/scoping`
pub async fn save_scoping(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let link = Use::of(&token, "POST /returns/{token}/scoping");
    let request = opened!(open_for_change(&state, link));
    let data = FormData::parse(&body);
    let fields = scoping_fields();
    let found = problems(&fields, &data, true);
    if !found.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        links::audit(&state, Some(&request), link.action, status.as_u16()).await?;
        return Ok((status, page(&state, &token, &request, Some(&data), found, None)).into_response());
    }
    match to_json(&fields, &data).and_then(Scoping::parse) {
        Ok(scoping) => {
            let entry = links::audit_entry(&state, Some(&request), link.action, StatusCode::SEE_OTHER.as_u16());
            crate::service::returns::save_scoping(&state, &request.id, &scoping, &entry).await?;
            Ok(go(&token, "/chronology", "scoping"))
        }
        Err(e) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            links::audit(&state, Some(&request), link.action, status.as_u16()).await?;
            let errors = vec![field_error(&fields, &e)];
            Ok((status, page(&state, &token, &request, Some(&data), errors, None)).into_response())
        }
    }
}
