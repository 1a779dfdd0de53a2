//! `GET /api/v1/cases/{id}/chronology[?format=csv|xlsx][&agency=SLUG][&from=DATE][&to=DATE]`:
//! the merged multi-agency chronology of submitted returns, oldest first, each entry
//! with its agency.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use documents::{MergedEntry, chronology_csv, chronology_xlsx};

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
    let format = match query.get("format").map(String::as_str) {
        None | Some("") | Some("json") => Format::Json,
        Some("csv") => Format::Csv,
        Some("xlsx") => Format::Xlsx,
        Some(other) => {
            return Err(ApiError::invalid(
                "format",
                format!("unknown format \"{other}\": use json, csv or xlsx"),
            ));
        }
    };
    // Read and written on the documents thread: a case's returns may hold 5 MB of
    // text each, and their entries are held only there.
    let shared = state.clone();
    state
        .documents
        .run(move || async move {
            let merged = crate::service::chronology::merged(&shared, &user, &id, &filter).await?;
            let reference = merged.reference;
            let entries: Vec<MergedEntry> = merged
                .entries
                .into_iter()
                .map(|(agency, entry)| MergedEntry {
                    agency: agency.to_string(),
                    entry,
                })
                .collect();
            let internal = |e: String| ApiError::Internal(e);
            Ok(match format {
                Format::Json => (
                    [(header::CONTENT_TYPE, "application/json")],
                    json_list(&entries).map_err(internal)?,
                )
                    .into_response(),
                Format::Csv => {
                    let disposition = format!("attachment; filename=\"{reference}-chronology.csv\"");
                    (
                        [
                            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                            (header::CONTENT_DISPOSITION, disposition),
                        ],
                        chronology_csv(&entries),
                    )
                        .into_response()
                }
                Format::Xlsx => {
                    let bytes = chronology_xlsx(&reference, &entries).map_err(|e| internal(e.to_string()))?;
                    file(XLSX, &format!("{reference}-chronology.xlsx"), bytes)
                }
            })
        })
        .await
}

#[derive(Debug, Clone, Copy)]
enum Format {
    Json,
    Csv,
    Xlsx,
}

/// `{"entries": [...]}`, each entry with its agency.
fn json_list(entries: &[MergedEntry]) -> Result<Vec<u8>, String> {
    #[derive(serde::Serialize)]
    struct Listed<'a> {
        #[serde(flatten)]
        entry: &'a domain::returns::ChronologyEntry,
        agency: &'a str,
    }
    let mut body = documents::large_buffer(entries.iter().map(|e| e.entry.text_bytes() + 120).sum::<usize>() + 16);
    body.extend_from_slice(b"{\"entries\":[");
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        let listed = Listed {
            entry: &e.entry,
            agency: &e.agency,
        };
        serde_json::to_writer(&mut body, &listed).map_err(|e| e.to_string())?;
    }
    body.extend_from_slice(b"]}");
    Ok(body)
}
