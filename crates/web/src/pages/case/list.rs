//! The case list: search by reference, filter by state.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::case::OpenOrClosed;
use domain::deadlines::StepKey;
use domain::process::Stage;

use super::super::{Nav, PageError, PageUser, label_of, long_date};
use crate::service::types::CaseFilter;
use crate::state::AppState;

pub struct CaseLine {
    pub id: String,
    pub reference: String,
    pub stage: String,
    pub next: String,
    pub overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "case_list.html")]
pub struct CaseListPage {
    pub nav: Option<Nav>,
    pub can_open: bool,
    pub q: String,
    pub state: String,
    pub cases: Vec<CaseLine>,
}

/// `GET /cases`
pub async fn list(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    super::may_see_cases(&page_user)?;
    let role = page_user.user.role;
    let shown = query.get("state").map(String::as_str).unwrap_or("open").to_owned();
    let q = query.get("q").cloned().unwrap_or_default();
    let filter = CaseFilter {
        state: match shown.as_str() {
            "closed" => Some(OpenOrClosed::Closed),
            "all" => None,
            _ => Some(OpenOrClosed::Open),
        },
        overdue: shown == "overdue",
        reference: (!q.trim().is_empty()).then(|| q.clone()),
        limit: 200,
        ..CaseFilter::default()
    };
    let cases = crate::service::case_list::list_cases(&state, &filter, state.clock.today())
        .await?
        .into_iter()
        .map(|c| CaseLine {
            next: c.next_deadline.as_ref().map_or_else(String::new, |d| {
                let step = label_of(&d.step, StepKey::parse, StepKey::label);
                format!("{step} by {}", long_date(d.due))
            }),
            stage: label_of(&c.stage, Stage::parse, Stage::label),
            id: c.id,
            reference: c.reference,
            overdue: c.overdue,
        })
        .collect();
    Ok(CaseListPage {
        nav: Some(Nav::from(&page_user)),
        can_open: role.may_open_cases(),
        q,
        state: shown,
        cases,
    }
    .into_response())
}
