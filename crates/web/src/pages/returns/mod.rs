//! The agency's return, opened with the link's token alone (the token is the
//! credential, so these forms need no other token), as a GOV.UK journey:
//!
//! 1. `start`: what is asked, by when, about which child, and who to contact;
//! 2. `questions`: the Initial Scoping and Information Sharing answers;
//! 3. `chronology`: entries one at a time or as an uploaded template;
//! 4. `check`: check your answers, submit, and the confirmation page.
//!
//! After submission, withdrawal or the case's closure the pages show the return
//! read-only; after the link's expiry they say only that it has expired. Every use is
//! audited, refusals included.

/// The request a link opens, or (returned from the handler at once) the page that
/// says why it does not.
macro_rules! opened {
    ($open:expr) => {
        match $open.await {
            Ok(request) => request,
            Err(page) => return Ok(page),
        }
    };
}

mod check;
mod chronology;
mod questions;
mod start;

pub use check::{check, submit, submitted};
pub use chronology::{add_entry, chronology, upload};
pub use questions::{questions, save_scoping};
pub use start::show;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::{PageError, long_date};
use crate::service::Refused;
use crate::service::returns as links;
use crate::service::types::ReturnRequest;
use crate::state::AppState;

/// The journey's routes, open to anyone with the link.
/// `GET /returns/{token}/referral.docx`: the referral form behind the link; a refusal
/// is a page, as everywhere outside `/api`.
async fn referral(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Result<Response, PageError> {
    Ok(crate::api::returns::referral::referral_for_link(&state, &token).await?)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/returns/{token}", get(show))
        .route("/returns/{token}/questions", get(questions))
        .route("/returns/{token}/referral.docx", get(referral))
        .route("/returns/{token}/chronology", get(chronology))
        .route("/returns/{token}/check", get(check))
        .route("/returns/{token}/submitted", get(submitted))
        .route("/returns/{token}/scoping", post(save_scoping))
        .route("/returns/{token}/entries", post(add_entry))
        .route(
            "/returns/{token}/upload",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(crate::MAX_UPLOAD_BYTES)),
        )
        .route("/returns/{token}/submit", post(submit))
}

/// A use of a link: the token and the route, for the audit.
#[derive(Clone, Copy)]
struct Use<'a> {
    token: &'a str,
    action: &'static str,
}

impl<'a> Use<'a> {
    fn of(token: &'a str, action: &'static str) -> Use<'a> {
        Use { token, action }
    }
}

/// What every page of the journey shows at its top.
pub struct Header {
    pub token: String,
    pub reference: String,
    pub agency: String,
    pub due: String,
    pub expires: String,
    pub status: String,
    /// Why the return can no longer change, if it cannot.
    pub read_only: Option<String>,
}

fn header(state: &AppState, token: &str, request: &ReturnRequest) -> Header {
    let today = state.clock.today();
    Header {
        token: token.to_owned(),
        reference: request.case_reference.clone(),
        agency: request.agency_name.clone(),
        due: long_date(request.due),
        expires: long_date(request.expires_on),
        status: request.state().status(today).label().to_owned(),
        read_only: request.state().read_only_because(today).map(|why| sentence(&why)),
    }
}

/// A reason as a sentence on a page: a capital first and a full stop last.
fn sentence(why: &str) -> String {
    let mut chars = why.chars();
    let first: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    let mut s = first + chars.as_str();
    if !s.ends_with('.') {
        s.push('.');
    }
    s
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

/// Opens the request for reading, audited as a read.
async fn open_to_read(state: &AppState, link: Use<'_>) -> Result<ReturnRequest, Response> {
    let request = open(state, link).await?;
    match links::audit(state, Some(&request), link.action, StatusCode::OK.as_u16()).await {
        Ok(()) => Ok(request),
        Err(e) => Err(PageError::from(e).into_response()),
    }
}

/// Opens the request for a change: a read-only return gets its start page saying why
/// (409), audited as refused.
async fn open_for_change(state: &AppState, link: Use<'_>) -> Result<ReturnRequest, Response> {
    let request = open(state, link).await?;
    if let Err(Refused::NotNow(why)) = links::writable(state, &request) {
        let answer = async {
            links::audit(state, Some(&request), link.action, StatusCode::CONFLICT.as_u16()).await?;
            let page = start::page(state, link.token, &request, vec![(String::new(), why)]).await?;
            Ok::<_, PageError>((StatusCode::CONFLICT, page).into_response())
        };
        return Err(answer.await.unwrap_or_else(IntoResponse::into_response));
    }
    Ok(request)
}

/// A page of the journey that only a return still open to change has: a read-only
/// return goes back to its start page, which shows it.
fn read_only_goes_to_start(token: &str, request: &ReturnRequest, state: &AppState) -> Option<Response> {
    links::writable(state, request)
        .is_err()
        .then(|| Redirect::to(&format!("/returns/{token}")).into_response())
}

/// The scoping answers as a person reads them: each question with its answer, or "Not
/// answered".
pub(crate) fn answers_as_read(scoping: &domain::returns::Scoping) -> Vec<(String, String)> {
    scoping
        .answers()
        .into_iter()
        .map(|(_, q, a)| (q.to_owned(), if a.is_empty() { "Not answered".to_owned() } else { a }))
        .collect()
}

/// Where a step of the journey goes next, with the banner to show there.
fn go(token: &str, page: &str, done: &str) -> Response {
    Redirect::to(&format!("/returns/{token}{page}?done={done}")).into_response()
}

#[derive(serde::Deserialize)]
pub struct Notice {
    done: Option<String>,
    page: Option<String>,
}

fn notice_text(done: Option<&str>) -> Option<String> {
    match done? {
        "scoping" => Some("Your answers are saved.".into()),
        "entry" => Some("The entry is added to your draft chronology.".into()),
        "upload" => Some("Every row of the file is added to your draft chronology.".into()),
        _ => None,
    }
}
