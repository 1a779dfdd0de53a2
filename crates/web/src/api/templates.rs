//! The blank templates agencies fill in. They hold no case data, so no sign-in is needed.

use axum::response::Response;
use documents::{chronology_template_xlsx, scoping_template_docx};

use super::cases::documents::{DOCX, XLSX, file};
use crate::error::ApiError;

#[utoipa::path(get, path = "/api/v1/templates/chronology.xlsx", tag = "documents", security(()),
    responses((status = 200, description = "The chronology template (XLSX): columns, a date check and an instructions sheet")))]
pub async fn chronology_template() -> Result<Response, ApiError> {
    let bytes = chronology_template_xlsx().map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(file(XLSX, "chronology-template.xlsx", bytes))
}

#[utoipa::path(get, path = "/api/v1/templates/scoping.docx", tag = "documents", security(()),
    responses((status = 200, description = "The Initial Scoping and Information Sharing template (DOCX)")))]
pub async fn scoping_template() -> Result<Response, ApiError> {
    let bytes = scoping_template_docx().map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(file(DOCX, "initial-scoping-template.docx", bytes))
}
