//! `GET /api/v1/cases/{id}/chronology[?format=csv|xlsx][&agency=SLUG][&from=DATE][&to=DATE]`:
//! the merged multi-agency chronology of submitted returns, oldest first, each entry
//! with its agency.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use documents::{MergedEntry, chronology_csv, chronology_xlsx};
use serde_json::{Value, json};

use super::documents::{XLSX, file};
use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::service::chronology::Filter;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/cases/{id}/chronology", tag = "cases",
    params(("id" = String, Path, description = "The case id"),
           ("format" = Option<String>, Query, description = "json (default), csv or xlsx"),
           ("agency" = Option<String>, Query, description = "Only this agency's entries"),
           ("from" = Option<String>, Query, description = "Entries on or after this date"),
           ("to" = Option<String>, Query, description = "Entries on or before this date")),
    responses((status = 200, description = "{\"entries\": [...]} oldest first, or CSV, or XLSX", body = Object),
              (status = 401, description = "No or bad credentials"), (status = 404, description = "No such case"),
              (status = 422, description = "Unknown format or a bad filter")))]
pub async fn chronology(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let date = |name: &str| -> Result<Option<NaiveDate>, ApiError> {
        match query.get(name).map(String::as_str) {
            None | Some("") => Ok(None),
            Some(v) => domain::dates::parse(v)
                .map(Some)
                .map_err(|m| ApiError::invalid(name, m)),
        }
    };
    let filter = Filter {
        agency: query.get("agency").filter(|a| !a.is_empty()).cloned(),
        from: date("from")?,
        to: date("to")?,
    };
    let merged = crate::service::chronology::merged(&state, &user, &id, &filter).await?;
    let reference = merged.reference;
    let entries: Vec<MergedEntry> = merged
        .entries
        .into_iter()
        .map(|(agency, entry)| MergedEntry {
            agency: agency.to_string(),
            entry,
        })
        .collect();
    match query.get("format").map(String::as_str) {
        None | Some("") | Some("json") => {
            let list: Vec<Value> = entries
                .iter()
                .map(|e| {
                    let mut v = serde_json::to_value(&e.entry).unwrap_or_default();
                    v["agency"] = json!(e.agency);
                    v
                })
                .collect();
            Ok(Json(json!({ "entries": list })).into_response())
        }
        Some("csv") => {
            let disposition = format!("attachment; filename=\"{}-chronology.csv\"", reference);
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                chronology_csv(&entries),
            )
                .into_response())
        }
        Some("xlsx") => {
            let bytes = chronology_xlsx(&reference, &entries).map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok(file(XLSX, &format!("{}-chronology.xlsx", reference), bytes))
        }
        Some(other) => Err(ApiError::invalid(
            "format",
            format!("unknown format \"{other}\": use json, csv or xlsx"),
        )),
    }
}
