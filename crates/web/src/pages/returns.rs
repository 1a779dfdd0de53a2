//! The agency's return pages, opened with the link's token alone (the token is the
//! credential, so these forms need no other token): the request, the scoping draft,
//! chronology entries one at a time or as an uploaded template, and submission. After
//! submission, revocation or expiry the page shows the return read-only.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use documents::{UploadError, read_chronology};
use domain::returns::{Scoping, parse_entries_json};
use serde_json::json;
use store::ReturnRequest;

use super::Nav;
use super::forms::body::{FormData, id, to_json};
use super::forms::spec::{entry_fields, scoping_fields};
use super::forms::{Choices, FieldView, field_error, views};
use super::pager::Pager;
use crate::api::returns::{audit_entry, audit_status};
use crate::error::ApiError;
use crate::pages::PageError;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "return.html")]
pub struct ReturnPage {
    pub nav: Option<Nav>,
    pub token: String,
    pub reference: String,
    pub agency: String,
    pub due: String,
    pub expires: String,
    pub status: String,
    pub read_only: Option<String>,
    pub notice: Option<String>,
    pub errors: Vec<(String, String)>,
    pub answers: Vec<(String, String)>,
    pub fields: Vec<FieldView>,
    pub entry_fields: Vec<FieldView>,
    pub entries: Vec<[String; 6]>,
    pub pager: Pager,
}

/// How many chronology entries a return page shows at once.
const ENTRIES_PER_PAGE: i64 = 100;

fn long(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// Opens the request a token names, or answers for it: an unknown, retired or
/// withdrawn link gets a 404 page, an expired one a page that says only that. Either
/// way the attempt is audited.
async fn open(state: &AppState, token: &str, action: &str) -> Result<ReturnRequest, Response> {
    let answer = |e: PageError| e.into_response();
    let request = state
        .store
        .request_by_token(token)
        .await
        .map_err(|e| answer(e.into()))?;
    let refusal = match &request {
        Some(r) if r.revoked => Some(not_valid()),
        Some(r) if r.state().expired(state.clock.today()) => Some(PageError::new(
            StatusCode::GONE,
            None,
            "This link has expired",
            crate::api::returns::EXPIRED,
        )),
        Some(_) => None,
        None => Some(not_valid()),
    };
    match (request, refusal) {
        (Some(r), None) => Ok(r),
        (request, refusal) => {
            let refusal = refusal.unwrap_or_else(not_valid);
            let case = request.as_ref().filter(|_| refusal.status() == StatusCode::GONE);
            audit_status(state, case, action, refusal.status())
                .await
                .map_err(|e| answer(e.into()))?;
            Err(answer(refusal))
        }
    }
}

fn not_valid() -> PageError {
    PageError::not_found(
        None,
        "This link does not work",
        "The link is not valid or was withdrawn. Ask the Partnership Business Unit for a new one.",
    )
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

async fn render(
    state: &AppState,
    token: &str,
    request: &ReturnRequest,
    typed: Typed<'_>,
    errors: Vec<(String, String)>,
    notice: Option<String>,
    page: Option<&str>,
) -> Result<ReturnPage, PageError> {
    let (scoping_form, entry_form) = (typed.scoping, typed.entry);
    let today = state.clock.today();
    let pager = Pager::new(request.entries, ENTRIES_PER_PAGE, page, &format!("/returns/{token}?"));
    let entries = state
        .store
        .request_entries_page(&request.id, pager.offset(), pager.size)
        .await?;
    let choices = Choices::default();
    let scoping = scoping_form.cloned().unwrap_or_else(|| scoping_data(&request.scoping));
    Ok(ReturnPage {
        nav: None,
        token: token.to_owned(),
        reference: request.case_reference.clone(),
        agency: request.agency_name.clone(),
        due: long(request.due),
        expires: long(request.expires_on),
        status: super::words(
            &serde_json::to_value(request.state().status(today))
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        ),
        read_only: request.state().read_only_because(today),
        notice,
        answers: request
            .scoping
            .answers()
            .into_iter()
            .map(|(_, q, a)| (q.to_owned(), if a.is_empty() { "Not answered".to_owned() } else { a }))
            .collect(),
        fields: views(&scoping_fields(), &scoping, &errors, &choices),
        entry_fields: views(
            &entry_fields(),
            entry_form.unwrap_or(&FormData::default()),
            &errors,
            &choices,
        ),
        entries: entries.iter().map(|e| e.cells()).collect(),
        pager,
        errors,
    })
}

#[derive(serde::Deserialize)]
pub struct Notice {
    done: Option<String>,
    page: Option<String>,
}

fn notice_text(done: Option<&str>) -> Option<String> {
    match done? {
        "scoping" => Some("Your draft answers are saved.".into()),
        "entry" => Some("The entry is added to your draft chronology.".into()),
        "upload" => Some("Every row of the file is added to your draft chronology.".into()),
        "submitted" => Some("Your return is submitted. Thank you.".into()),
        _ => None,
    }
}

const VIEW: &str = "GET /returns/{token}";

pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<Notice>,
) -> Result<Response, PageError> {
    let mut request = match open(&state, &token, VIEW).await {
        Ok(r) => r,
        Err(page) => return Ok(page),
    };
    state.store.mark_opened(&request.id, state.clock.now()).await?;
    request.opened = true;
    audit_status(&state, Some(&request), VIEW, StatusCode::OK).await?;
    Ok(render(
        &state,
        &token,
        &request,
        Typed::default(),
        Vec::new(),
        notice_text(q.done.as_deref()),
        q.page.as_deref(),
    )
    .await?
    .into_response())
}

fn back(token: &str, done: &str) -> Response {
    Redirect::to(&format!("/returns/{token}?done={done}")).into_response()
}

/// Opens the request for a change: a bad link gets its page, a read-only return the
/// return page saying why.
async fn open_for_change(state: &AppState, token: &str, action: &str) -> Result<ReturnRequest, Response> {
    let request = open(state, token, action).await?;
    if let Some(why) = request.state().read_only_because(state.clock.today()) {
        let errors = vec![(String::new(), why)];
        let page = refused(
            state,
            token,
            &request,
            action,
            Typed::default(),
            errors,
            StatusCode::CONFLICT,
        )
        .await;
        return Err(page.unwrap_or_else(IntoResponse::into_response));
    }
    Ok(request)
}

/// What the agency typed, to show again beside the errors.
#[derive(Default, Clone, Copy)]
struct Typed<'a> {
    scoping: Option<&'a FormData>,
    entry: Option<&'a FormData>,
}

async fn refused(
    state: &AppState,
    token: &str,
    request: &ReturnRequest,
    action: &str,
    typed: Typed<'_>,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response, PageError> {
    audit_status(state, Some(request), action, status).await?;
    Ok((status, render(state, token, request, typed, errors, None, None).await?).into_response())
}

pub async fn save_scoping(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    const ACTION: &str = "POST /returns/{token}/scoping";
    let request = match open_for_change(&state, &token, ACTION).await {
        Ok(r) => r,
        Err(page) => return Ok(page),
    };
    let data = FormData::parse(&body);
    let fields = scoping_fields();
    let parsed = to_json(&fields, &data).and_then(Scoping::parse);
    match parsed {
        Ok(scoping) => {
            state
                .store
                .save_scoping(
                    &request.id,
                    &scoping,
                    &audit_entry(&state, &request, ACTION, StatusCode::SEE_OTHER),
                )
                .await?;
            Ok(back(&token, "scoping"))
        }
        Err(e) => {
            refused(
                &state,
                &token,
                &request,
                ACTION,
                Typed {
                    scoping: Some(&data),
                    entry: None,
                },
                vec![field_error(&fields, &e)],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn add_entry(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    const ACTION: &str = "POST /returns/{token}/entries";
    let request = match open_for_change(&state, &token, ACTION).await {
        Ok(r) => r,
        Err(page) => return Ok(page),
    };
    let data = FormData::parse(&body);
    let fields = entry_fields();
    let entry = to_json(&fields, &data).and_then(|entry| {
        parse_entries_json(&json!({ "entries": [entry] })).map_err(|rows| match rows.into_iter().next() {
            Some(r) => domain::events::FieldError::new(r.field, r.message),
            None => domain::events::FieldError::new("date", "is required"),
        })
    });
    match entry {
        Ok(entries) => {
            let added = state
                .store
                .add_entries(
                    &request.id,
                    &entries,
                    &audit_entry(&state, &request, ACTION, StatusCode::SEE_OTHER),
                )
                .await;
            match added {
                Ok(_) => Ok(back(&token, "entry")),
                Err(store::StoreError::Conflict { message, .. }) => {
                    let typed = Typed {
                        scoping: None,
                        entry: Some(&data),
                    };
                    let errors = vec![("date".to_owned(), message)];
                    refused(
                        &state,
                        &token,
                        &request,
                        ACTION,
                        typed,
                        errors,
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => {
            refused(
                &state,
                &token,
                &request,
                ACTION,
                Typed {
                    scoping: None,
                    entry: Some(&data),
                },
                vec![field_error(&fields, &e)],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn upload(
    State(state): State<AppState>,
    Path(token): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    const ACTION: &str = "POST /returns/{token}/upload";
    let request = match open_for_change(&state, &token, ACTION).await {
        Ok(r) => r,
        Err(page) => return Ok(page),
    };
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                file = field.bytes().await.ok();
                break;
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => {
                let message = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    "The file is larger than 10 MB: split it into smaller files".to_owned()
                } else {
                    "The upload could not be read: try again".to_owned()
                };
                return refused(
                    &state,
                    &token,
                    &request,
                    ACTION,
                    Typed::default(),
                    vec![("file".into(), message)],
                    e.status(),
                )
                .await;
            }
        }
    }
    let bytes = file.unwrap_or_default();
    match read_chronology(&bytes) {
        Ok(entries) => {
            let added = state
                .store
                .add_entries(
                    &request.id,
                    &entries,
                    &audit_entry(&state, &request, ACTION, StatusCode::SEE_OTHER),
                )
                .await;
            match added {
                Ok(_) => Ok(back(&token, "upload")),
                Err(store::StoreError::Conflict { message, .. }) => {
                    let errors = vec![("file".to_owned(), message)];
                    refused(
                        &state,
                        &token,
                        &request,
                        ACTION,
                        Typed::default(),
                        errors,
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => {
            let errors = match e {
                UploadError::Rows(rows) => {
                    let mut list = vec![(
                        "file".to_owned(),
                        format!("{} rows have errors; nothing was saved", rows.len()),
                    )];
                    list.extend(
                        rows.into_iter()
                            .map(|r| ("file".to_owned(), format!("Row {}: {}: {}", r.row, r.field, r.message))),
                    );
                    list
                }
                UploadError::Empty => vec![(
                    "file".into(),
                    "Select a filled chronology template: the file is empty".into(),
                )],
                other => vec![("file".into(), other.to_string())],
            };
            refused(
                &state,
                &token,
                &request,
                ACTION,
                Typed::default(),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn submit(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, PageError> {
    const ACTION: &str = "POST /returns/{token}/submit";
    let request = match open_for_change(&state, &token, ACTION).await {
        Ok(r) => r,
        Err(page) => return Ok(page),
    };
    if let Err(e) = request.scoping.ready_to_submit() {
        return refused(
            &state,
            &token,
            &request,
            ACTION,
            Typed::default(),
            vec![field_error(&scoping_fields(), &e)],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match crate::api::returns::submit::submit(&state, &request).await {
        Ok(_) => Ok(back(&token, "submitted")),
        Err(e) => {
            let e = ApiError::from(e);
            refused(
                &state,
                &token,
                &request,
                ACTION,
                Typed::default(),
                vec![(String::new(), e.to_string())],
                e.status(),
            )
            .await
        }
    }
}
