//! `GET /api/v1/cases`: the case list, soonest deadline first, with filters.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use domain::case::OpenOrClosed;
use domain::process::Stage;

use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::service::types::{CaseFilter, CaseSummary};
use crate::state::AppState;

pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;

#[utoipa::path(get, path = "/api/v1/cases", tag = "cases",
    params(("state" = Option<String>, Query, description = "open or closed"),
           ("overdue" = Option<bool>, Query, description = "true: only cases with a deadline past due"),
           ("stage" = Option<String>, Query, description = "Only cases at this stage"),
           ("q" = Option<String>, Query, description = "A case reference or its start"),
           ("limit" = Option<u32>, Query, description = "At most this many (default 100, at most 1000)"),
           ("offset" = Option<u32>, Query, description = "Skip this many")),
    responses((status = 200, description = "{\"cases\": [CaseSummary]}", body = Object),
              (status = 401, description = "No or bad credentials"), (status = 403, description = "This role sees no cases"),
              (status = 422, description = "A filter is invalid")))]
pub async fn list_cases(
    State(state): State<AppState>,
    CaseUser(_user): CaseUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<CaseList>, ApiError> {
    let filter = parse_filter(&query)?;
    let cases = crate::service::case_list::list_cases(&state, &filter, state.clock.today()).await?;
    Ok(Json(CaseList { cases }))
}

/// `{"cases": [...]}`, serialised straight from the summaries.
#[derive(serde::Serialize)]
pub struct CaseList {
    cases: Vec<CaseSummary>,
}

fn parse_filter(query: &HashMap<String, String>) -> Result<CaseFilter, ApiError> {
    let state = match query.get("state").map(String::as_str) {
        None | Some("") => None,
        Some("open") => Some(OpenOrClosed::Open),
        Some("closed") => Some(OpenOrClosed::Closed),
        Some(_) => return Err(ApiError::invalid("state", "use open or closed")),
    };
    let overdue = match query.get("overdue").map(String::as_str) {
        None | Some("") | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::invalid("overdue", "use true or false")),
    };
    let stage = match query.get("stage").map(String::as_str) {
        None | Some("") => None,
        Some(s) => Some(
            Stage::parse(s)
                .ok_or_else(|| ApiError::invalid("stage", format!("unknown stage \"{s}\"")))?
                .as_str()
                .to_owned(),
        ),
    };
    let number = |name: &str, default: u32, max: u32| -> Result<u32, ApiError> {
        match query.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| ApiError::invalid(name, format!("must be a whole number from 0 to {max}"))),
        }
    };
    Ok(CaseFilter {
        state,
        overdue,
        stage,
        reference: query.get("q").filter(|q| !q.trim().is_empty()).cloned(),
        limit: number("limit", DEFAULT_LIMIT, MAX_LIMIT)?,
        offset: number("offset", 0, u32::MAX)?,
    })
}
