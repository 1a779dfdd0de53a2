//! `GET /cases/{id}/returns/{agency}`: one agency's submitted return, as the Business
//! Unit and the other case roles read it: the scoping answers and that agency's
//! chronology, 100 entries a page. A return not yet submitted is a 409 page that says
//! where it is.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::returns::ChronologyEntry;

use super::super::pager::Pager;
use super::super::{Nav, PageError, PageUser, long_date};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "case_return.html")]
pub struct ReturnedPage {
    pub nav: Option<Nav>,
    pub case_id: String,
    pub reference: String,
    pub agency: String,
    pub submitted_on: String,
    /// Recorded as received without anything entered through the link.
    pub outside: bool,
    pub answers: Vec<(String, String)>,
    pub entries: Vec<[String; 6]>,
    pub pager: Pager,
}

const PER_PAGE: i64 = 100;

/// `GET /cases/{id}/returns/{agency}`
pub async fn returned(
    State(state): State<AppState>,
    page_user: PageUser,
    Path((id, agency)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    super::may_see_cases(&page_user)?;
    let nav = Some(Nav::from(&page_user));
    let record = crate::service::cases::load(&state, &page_user.user, &id)
        .await
        .map_err(|r| super::refused(&page_user, r))?;
    let requests = crate::service::returns::requests_for_case(&state, &record.id).await?;
    let Some(request) = requests.into_iter().find(|r| r.agency.as_str() == agency) else {
        return Err(PageError::not_found(
            nav,
            "No such return",
            format!(
                "Case {} has asked no agency of that name for a return.",
                record.reference
            ),
        ));
    };
    let Some(submitted_on) = request.submitted_on else {
        let status = request.state().status(state.clock.today()).label().to_lowercase();
        return Err(PageError::conflict(
            nav,
            "This return is not submitted yet",
            format!(
                "{} has not submitted its return for case {} (it is {status}). It can be read here once it is submitted.",
                request.agency_name, record.reference
            ),
        ));
    };
    let base = format!("/cases/{}/returns/{}?", record.id, request.agency);
    let pager = Pager::new(request.entries, PER_PAGE, query.get("page").map(String::as_str), &base);
    let entries =
        crate::service::returns::request_entries_page(&state, &request.id, pager.offset(), pager.size).await?;
    let page = ReturnedPage {
        nav,
        case_id: record.id.clone(),
        reference: record.reference.clone(),
        agency: request.agency_name.clone(),
        submitted_on: long_date(submitted_on),
        outside: request.scoping == domain::returns::Scoping::default() && request.entries == 0,
        answers: crate::pages::returns::answers_as_read(&request.scoping),
        entries: entries.iter().map(ChronologyEntry::cells).collect(),
        pager,
    };
    Ok(page.into_response())
}
