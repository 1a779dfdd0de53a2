//! The Rapid Review's own papers as Word documents: the template at any version, the
//! covering letter to the National Panel, and the outcome letter to each agency asked
//! and to the referrer.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;

use super::documents::{DOCX, file, internal};
use super::template::version_query;
use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::service::letters;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/cases/{id}/rapid-review-template.docx", tag = "documents",
    params(("id" = String, Path, description = "The case id"),
           ("version" = Option<u32>, Query, description = "A saved version; the latest (or the draft) when left out")),
    responses((status = 200, description = "The Rapid Review Template (DOCX)"),
              (status = 404, description = "No such case or version"), (status = 422, description = "version is not a whole number")))]
pub async fn template_docx(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let version = version_query(&query)?;
    let (record, document) = letters::template_document(&state, &user, &id, version).await?;
    let bytes = documents::rapid_review_template_docx(&document).map_err(internal)?;
    let name = format!("{}-rapid-review-template-v{}.docx", record.reference, document.version);
    Ok(file(DOCX, &name, bytes))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/panel-letter.docx", tag = "documents",
    params(("id" = String, Path, description = "The case id")),
    responses((status = 200, description = "The covering letter to the National Panel (DOCX): the notification reference, the submission date, the recommendation and the partners' sign-off"),
              (status = 404, description = "No such case"), (status = 409, description = "The meeting is not held yet")))]
pub async fn panel_letter(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (record, letter) = letters::panel_letter(&state, &user, &id).await?;
    let bytes = documents::panel_letter_docx(&letter).map_err(internal)?;
    Ok(file(DOCX, &format!("{}-panel-letter.docx", record.reference), bytes))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/outcome-letter.docx", tag = "documents",
    params(("id" = String, Path, description = "The case id"),
           ("agency" = String, Query, description = "An agency asked for a return, or the referring agency")),
    responses((status = 200, description = "The outcome letter to that agency (DOCX)"),
              (status = 404, description = "No such case"), (status = 409, description = "The meeting is not held yet"),
              (status = 422, description = "agency is missing, or was neither asked nor the referrer")))]
pub async fn outcome_letter(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let Some(agency) = query.get("agency").filter(|a| !a.is_empty()) else {
        return Err(ApiError::invalid(
            "agency",
            "is required: the agency the letter goes to",
        ));
    };
    let (record, letter) = letters::outcome_letter(&state, &user, &id, agency).await?;
    let bytes = letter.docx().map_err(internal)?;
    Ok(file(
        DOCX,
        &format!("{}-outcome-letter-{agency}.docx", record.reference),
        bytes,
    ))
}
