//! `GET /returns/{token}/chronology`, `POST /returns/{token}/entries` and
//! `POST /returns/{token}/upload`: the agency's chronology, 100 entries a page, added
//! one at a time or as the filled template. A wrong entry or file saves nothing and
//! says what is wrong; what was typed stays in the boxes. Read-only once the return
//! cannot change.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use documents::{UploadError, read_chronology};
use domain::events::FieldError;
use domain::returns::{ChronologyEntry, parse_entries_json};
use serde_json::json;

use super::{Header, Notice, Use, go, header, notice_text, open_for_change, open_to_read};
use crate::pages::forms::body::{FormData, to_json};
use crate::pages::forms::spec::entry_fields;
use crate::pages::forms::{Choices, FieldView, field_error, problems, views};
use crate::pages::pager::Pager;
use crate::pages::{Nav, PageError};
use crate::service::returns as links;
use crate::service::types::ReturnRequest;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "return_chronology.html")]
pub struct ChronologyPage {
    pub nav: Option<Nav>,
    pub h: Header,
    pub notice: Option<String>,
    pub errors: Vec<(String, String)>,
    pub fields: Vec<FieldView>,
    pub entries: Vec<[String; 6]>,
    pub pager: Pager,
    /// The upload is at fault.
    pub file_error: bool,
}

/// How many chronology entries a page shows at once.
const ENTRIES_PER_PAGE: i64 = 100;

async fn page(
    state: &AppState,
    token: &str,
    request: &ReturnRequest,
    typed: Option<&FormData>,
    errors: Vec<(String, String)>,
    notice: Option<String>,
    page: Option<&str>,
) -> Result<ChronologyPage, PageError> {
    let pager = Pager::new(
        request.entries,
        ENTRIES_PER_PAGE,
        page,
        &format!("/returns/{token}/chronology?"),
    );
    let entries = crate::service::returns::request_entries_page(state, &request.id, pager.offset(), pager.size).await?;
    let typed = typed.cloned().unwrap_or_default();
    Ok(ChronologyPage {
        nav: None,
        h: header(state, token, request),
        notice,
        fields: views(&entry_fields(), &typed, &errors, &Choices::default()),
        entries: entries.iter().map(ChronologyEntry::cells).collect(),
        pager,
        file_error: errors.iter().any(|(anchor, _)| anchor == "file"),
        errors,
    })
}

/// `GET /returns/{token}/chronology`
pub async fn chronology(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<Notice>,
) -> Result<Response, PageError> {
    let link = Use::of(&token, "GET /returns/{token}/chronology");
    let request = opened!(open_to_read(&state, link));
    let notice = notice_text(q.done.as_deref());
    let shown = page(&state, &token, &request, None, Vec::new(), notice, q.page.as_deref()).await?;
    Ok(shown.into_response())
}

/// The chronology page again with what went wrong, audited with its status.
async fn refused(
    state: &AppState,
    link: Use<'_>,
    request: &ReturnRequest,
    typed: Option<&FormData>,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response, PageError> {
    links::audit(state, Some(request), link.action, status.as_u16()).await?;
    let shown = page(state, link.token, request, typed, errors, None, None).await?;
    Ok((status, shown).into_response())
}

/// Adds entries to the draft, or shows why not (a bad field, or the return's limit).
async fn add(
    state: &AppState,
    link: Use<'_>,
    request: &ReturnRequest,
    entries: Result<Vec<ChronologyEntry>, Vec<(String, String)>>,
    typed: Option<&FormData>,
    done: &str,
) -> Result<Response, PageError> {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let entries = match entries {
        Ok(entries) => entries,
        Err(errors) => return refused(state, link, request, typed, errors, unprocessable).await,
    };
    let entry = links::audit_entry(state, Some(request), link.action, StatusCode::SEE_OTHER.as_u16());
    match crate::service::returns::add_entries(state, &request.id, &entries, &entry).await {
        Ok(_) => Ok(go(link.token, "/chronology", done)),
        Err(crate::service::types::StoreError::Conflict { message, .. }) => {
            let field = if done == "upload" { "file" } else { "date-day" };
            let errors = vec![(field.to_owned(), message)];
            refused(state, link, request, typed, errors, unprocessable).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /returns/{token}/entries`
pub async fn add_entry(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let link = Use::of(&token, "POST /returns/{token}/entries");
    let request = opened!(open_for_change(&state, link));
    let data = FormData::parse(&body);
    let fields = entry_fields();
    let found = problems(&fields, &data, false);
    if !found.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return refused(&state, link, &request, Some(&data), found, status).await;
    }
    let entries = to_json(&fields, &data)
        .and_then(|entry| {
            parse_entries_json(&json!({ "entries": [entry] })).map_err(|rows| match rows.into_iter().next() {
                Some(r) => FieldError::new(r.field, r.message),
                None => FieldError::new("date", "is required"),
            })
        })
        .map_err(|e| vec![field_error(&fields, &e)]);
    add(&state, link, &request, entries, Some(&data), "entry").await
}

/// What an upload that could not be used says, field by field.
fn upload_errors(e: UploadError) -> Vec<(String, String)> {
    let on_file = |m: String| ("file".to_owned(), m);
    match e {
        UploadError::Rows(rows) => {
            let mut list = vec![on_file(format!("{} rows have errors; nothing was saved", rows.len()))];
            list.extend(
                rows.into_iter()
                    .map(|r| on_file(format!("Row {}: {}: {}", r.row, r.field, r.message))),
            );
            list
        }
        UploadError::Empty => vec![on_file("Select a filled chronology template: the file is empty".into())],
        other => vec![on_file(other.to_string())],
    }
}

/// `POST /returns/{token}/upload`
pub async fn upload(
    State(state): State<AppState>,
    Path(token): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let link = Use::of(&token, "POST /returns/{token}/upload");
    let request = opened!(open_for_change(&state, link));
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
                    "The file is larger than 10 MB: split it into smaller files"
                } else {
                    "The upload could not be read: try again"
                };
                let errors = vec![("file".into(), message.to_owned())];
                return refused(&state, link, &request, None, errors, e.status()).await;
            }
        }
    }
    let entries = match file.filter(|f| !f.is_empty()) {
        Some(file) => read_chronology(&file).map_err(upload_errors),
        None => Err(vec![(
            "file".to_owned(),
            "Select the filled chronology template (XLSX or CSV)".to_owned(),
        )]),
    };
    add(&state, link, &request, entries, None, "upload").await
}
