//! `GET /returns/{token}`: the start page. While the return is open it says what is
//! asked, by when, about which child, and who to contact, with a button to start (or
//! carry on). Once the return is read-only it shows the answers given, with a link to
//! the chronology.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{Header, Use, header, open};
use crate::pages::{Nav, PageError};
use crate::service::returns as links;
use crate::service::types::ReturnRequest;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "return_start.html")]
pub struct StartPage {
    pub nav: Option<Nav>,
    pub h: Header,
    pub errors: Vec<(String, String)>,
    pub children: Vec<String>,
    pub contacts: Vec<(String, String)>,
    /// The agency has saved something already, so the button says "Continue".
    pub started: bool,
    pub entries: i64,
    /// The answers given, for the read-only view.
    pub answers: Vec<(String, String)>,
}

pub(super) async fn page(
    state: &AppState,
    token: &str,
    request: &ReturnRequest,
    errors: Vec<(String, String)>,
) -> Result<StartPage, PageError> {
    Ok(StartPage {
        nav: None,
        h: header(state, token, request),
        errors,
        children: links::children(state, request).await?,
        contacts: links::contacts(state).await?,
        started: request.draft_saved || request.entries > 0,
        entries: request.entries,
        answers: super::answers_as_read(&request.scoping),
    })
}

/// `GET /returns/{token}`
pub async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, PageError> {
    const VIEW: &str = "GET /returns/{token}";
    let link = Use::of(&token, VIEW);
    let mut request = opened!(open(&state, link));
    crate::service::returns::mark_opened(&state, &request.id, state.clock.now()).await?;
    request.opened = true;
    links::audit(&state, Some(&request), VIEW, StatusCode::OK.as_u16()).await?;
    Ok(page(&state, &token, &request, Vec::new()).await?.into_response())
}
