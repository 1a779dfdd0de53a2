//! `/cases/{id}/pack`: the papers pack, or, until every return is in (or gone ahead
//! without), a page that lists what is missing and what the Business Unit can do.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::super::{Nav, PageError, PageUser, long_date};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "pack_not_ready.html")]
pub struct PackNotReady {
    pub nav: Option<Nav>,
    pub case_id: String,
    pub reference: String,
    /// (agency, due date, what is happening)
    pub missing: Vec<(String, String, String)>,
    pub no_requests: bool,
    pub may_go_ahead: bool,
}

/// `GET /cases/{id}/pack`
pub async fn pack(
    State(state): State<AppState>,
    page_user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    super::may_see_cases(&page_user)?;
    let record = crate::service::cases::load(&state, &page_user.user, &id)
        .await
        .map_err(|r| super::refused(&page_user, r))?;
    let (requests, ready) = crate::service::papers::readiness(&state, &record)
        .await
        .map_err(|r| super::refused(&page_user, r))?;
    if ready.is_ok() {
        return Ok(Redirect::to(&format!("/api/v1/cases/{}/pack.zip", record.id)).into_response());
    }
    let today = state.clock.today();
    let missing = requests
        .iter()
        .filter(|r| crate::service::papers::awaited(r))
        .map(|r| {
            (
                r.agency_name.clone(),
                long_date(r.due),
                r.state().status(today).label().to_owned(),
            )
        })
        .collect();
    let page = PackNotReady {
        nav: Some(Nav::from(&page_user)),
        case_id: record.id.clone(),
        reference: record.reference.clone(),
        missing,
        no_requests: requests.is_empty(),
        may_go_ahead: page_user.user.role.may_manage_return_links(),
    };
    Ok((StatusCode::CONFLICT, page).into_response())
}
