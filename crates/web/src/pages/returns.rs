//! The agency's return pages, opened with the link's token alone (the token is the
//! credential, so these forms need no other token): the request, the scoping draft,
//! chronology entries one at a time or as an uploaded template, and submission. After
//! submission, withdrawal or the case's closure the page shows the return read-only;
//! after the link's expiry it says only that it has expired. Every use is audited.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use documents::{UploadError, read_chronology};
use domain::events::FieldError;
use domain::returns::{ChronologyEntry, Scoping, parse_entries_json};
use serde_json::json;
use store::ReturnRequest;

use super::forms::body::{FormData, id, to_json};
use super::forms::spec::{entry_fields, scoping_fields};
use super::forms::{Choices, FieldView, field_error, views};
use super::pager::Pager;
use super::{Nav, PageError, long_date};
use crate::service::Refused;
use crate::service::returns as links;
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

/// A use of a link: the token and the route, for the audit.
#[derive(Clone, Copy)]
struct Use<'a> {
    token: &'a str,
    action: &'static str,
}

/// What the agency typed, to show again beside the errors.
#[derive(Default, Clone, Copy)]
struct Typed<'a> {
    scoping: Option<&'a FormData>,
    entry: Option<&'a FormData>,
}

/// Opens the request a token names, or answers for it: an unknown, retired or
/// withdrawn link gets a 404 page, an expired one a 410 page that says only that.
/// Either way the attempt is audited.
async fn open(state: &AppState, link: Use<'_>) -> Result<ReturnRequest, Response> {
    let page = |e: PageError| e.into_response();
    let refusal = match links::open(state, link.token).await {
        Ok(request) => return Ok(request),
        Err(Refused::NotFound(_)) => PageError::not_found(
            None,
            "This link does not work",
            "The link is not valid or was withdrawn. Ask the Partnership Business Unit for a new one.",
        ),
        Err(Refused::Expired(_)) => PageError::new(StatusCode::GONE, None, "This link has expired", links::EXPIRED),
        Err(other) => return Err(page(other.into())),
    };
    // Nothing is known of the case behind a link that does not open.
    match links::audit(state, None, link.action, refusal.status().as_u16()).await {
        Ok(()) => Err(page(refusal)),
        Err(e) => Err(page(e.into())),
    }
}

/// Opens the request for a change: a read-only return gets its page saying why (409).
async fn open_for_change(state: &AppState, link: Use<'_>) -> Result<ReturnRequest, Response> {
    let request = open(state, link).await?;
    if let Err(Refused::NotNow(why)) = links::writable(state, &request) {
        let errors = vec![(String::new(), why)];
        let answer = refused(state, link, &request, Typed::default(), errors, StatusCode::CONFLICT).await;
        return Err(answer.unwrap_or_else(IntoResponse::into_response));
    }
    Ok(request)
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
    let today = state.clock.today();
    let pager = Pager::new(request.entries, ENTRIES_PER_PAGE, page, &format!("/returns/{token}?"));
    let entries = state
        .store
        .request_entries_page(&request.id, pager.offset(), pager.size)
        .await?;
    let choices = Choices::default();
    let scoping = typed.scoping.cloned().unwrap_or_else(|| scoping_data(&request.scoping));
    let entry = typed.entry.cloned().unwrap_or_default();
    Ok(ReturnPage {
        nav: None,
        token: token.to_owned(),
        reference: request.case_reference.clone(),
        agency: request.agency_name.clone(),
        due: long_date(request.due),
        expires: long_date(request.expires_on),
        status: request.state().status(today).label().to_owned(),
        read_only: request.state().read_only_because(today),
        notice,
        answers: request
            .scoping
            .answers()
            .into_iter()
            .map(|(_, q, a)| (q.to_owned(), if a.is_empty() { "Not answered".to_owned() } else { a }))
            .collect(),
        fields: views(&scoping_fields(), &scoping, &errors, &choices),
        entry_fields: views(&entry_fields(), &entry, &errors, &choices),
        entries: entries.iter().map(ChronologyEntry::cells).collect(),
        pager,
        errors,
    })
}

/// The return page again with what went wrong, audited with its status.
async fn refused(
    state: &AppState,
    link: Use<'_>,
    request: &ReturnRequest,
    typed: Typed<'_>,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Result<Response, PageError> {
    links::audit(state, Some(request), link.action, status.as_u16()).await?;
    let page = render(state, link.token, request, typed, errors, None, None).await?;
    Ok((status, page).into_response())
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

/// `GET /returns/{token}`
pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<Notice>,
) -> Result<Response, PageError> {
    const VIEW: &str = "GET /returns/{token}";
    let mut request = match open(
        &state,
        Use {
            token: &token,
            action: VIEW,
        },
    )
    .await
    {
        Ok(r) => r,
        Err(page) => return Ok(page),
    };
    state.store.mark_opened(&request.id, state.clock.now()).await?;
    request.opened = true;
    links::audit(&state, Some(&request), VIEW, StatusCode::OK.as_u16()).await?;
    let notice = notice_text(q.done.as_deref());
    let page = render(
        &state,
        &token,
        &request,
        Typed::default(),
        Vec::new(),
        notice,
        q.page.as_deref(),
    )
    .await?;
    Ok(page.into_response())
}

fn back(token: &str, done: &str) -> Response {
    Redirect::to(&format!("/returns/{token}?done={done}")).into_response()
}

/// Adds entries to the draft, or shows why not (a bad field, or the return's limit).
async fn add(
    state: &AppState,
    link: Use<'_>,
    request: &ReturnRequest,
    entries: Result<Vec<ChronologyEntry>, Vec<(String, String)>>,
    typed: Typed<'_>,
    done: &str,
) -> Result<Response, PageError> {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let entries = match entries {
        Ok(entries) => entries,
        Err(errors) => return refused(state, link, request, typed, errors, unprocessable).await,
    };
    let entry = links::audit_entry(state, Some(request), link.action, StatusCode::SEE_OTHER.as_u16());
    match state.store.add_entries(&request.id, &entries, &entry).await {
        Ok(_) => Ok(back(link.token, done)),
        Err(store::StoreError::Conflict { message, .. }) => {
            let field = if done == "upload" { "file" } else { "date" };
            refused(
                state,
                link,
                request,
                typed,
                vec![(field.to_owned(), message)],
                unprocessable,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /returns/{token}/scoping`
pub async fn save_scoping(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let link = Use {
        token: &token,
        action: "POST /returns/{token}/scoping",
    };
    let request = match open_for_change(&state, link).await {
        Ok(r) => r,
        Err(page) => return Ok(page),
    };
    let data = FormData::parse(&body);
    let fields = scoping_fields();
    match to_json(&fields, &data).and_then(Scoping::parse) {
        Ok(scoping) => {
            let entry = links::audit_entry(&state, Some(&request), link.action, StatusCode::SEE_OTHER.as_u16());
            state.store.save_scoping(&request.id, &scoping, &entry).await?;
            Ok(back(&token, "scoping"))
        }
        Err(e) => {
            let typed = Typed {
                scoping: Some(&data),
                entry: None,
            };
            let errors = vec![field_error(&fields, &e)];
            refused(&state, link, &request, typed, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// `POST /returns/{token}/entries`
pub async fn add_entry(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let link = Use {
        token: &token,
        action: "POST /returns/{token}/entries",
    };
    let request = match open_for_change(&state, link).await {
        Ok(r) => r,
        Err(page) => return Ok(page),
    };
    let data = FormData::parse(&body);
    let fields = entry_fields();
    let entries = to_json(&fields, &data)
        .and_then(|entry| {
            parse_entries_json(&json!({ "entries": [entry] })).map_err(|rows| match rows.into_iter().next() {
                Some(r) => FieldError::new(r.field, r.message),
                None => FieldError::new("date", "is required"),
            })
        })
        .map_err(|e| vec![field_error(&fields, &e)]);
    let typed = Typed {
        scoping: None,
        entry: Some(&data),
    };
    add(&state, link, &request, entries, typed, "entry").await
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
    let link = Use {
        token: &token,
        action: "POST /returns/{token}/upload",
    };
    let request = match open_for_change(&state, link).await {
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
                    "The file is larger than 10 MB: split it into smaller files"
                } else {
                    "The upload could not be read: try again"
                };
                let errors = vec![("file".into(), message.to_owned())];
                return refused(&state, link, &request, Typed::default(), errors, e.status()).await;
            }
        }
    }
    let entries = read_chronology(&file.unwrap_or_default()).map_err(upload_errors);
    add(&state, link, &request, entries, Typed::default(), "upload").await
}

/// `POST /returns/{token}/submit`
pub async fn submit(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, PageError> {
    let link = Use {
        token: &token,
        action: "POST /returns/{token}/submit",
    };
    let request = match open_for_change(&state, link).await {
        Ok(r) => r,
        Err(page) => return Ok(page),
    };
    let (errors, status) = match links::submit(&state, &request, link.action).await {
        Ok(_) => return Ok(back(&token, "submitted")),
        Err(Refused::Invalid(e)) => (
            vec![field_error(&scoping_fields(), &e)],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(Refused::NotNow(m)) => (vec![(String::new(), m)], StatusCode::CONFLICT),
        Err(other) => return Err(other.into()),
    };
    refused(&state, link, &request, Typed::default(), errors, status).await
}
