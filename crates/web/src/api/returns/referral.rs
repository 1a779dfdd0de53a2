//! `GET /api/v1/returns/{token}/referral.docx` (and the page `/returns/{token}/referral.docx`):
//! the referral form, read through the return link. It holds what is known of the
//! child and the incident, so it is emailed only to agencies that receive secure email;
//! every other agency reads it here, behind its link. Audited like every use of a link.

use axum::extract::{Path, State};
use axum::response::Response;

use super::{audit_outcome, open};
use crate::api::cases::documents::{DOCX, file, referral_form};
use crate::error::ApiError;
use crate::state::AppState;

const ACTION: &str = "GET /api/v1/returns/{token}/referral.docx";

#[utoipa::path(get, path = "/api/v1/returns/{token}/referral.docx", tag = "returns", security(()),
    params(("token" = String, Path, description = "The return link's token")),
    responses((status = 200, description = "The referral form (DOCX)"),
              (status = 404, description = "Unknown, retired or withdrawn link"),
              (status = 410, description = "An expired link")))]
pub async fn referral(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, ApiError> {
    referral_for_link(&state, &token).await
}

/// The referral form behind link `token`, as a file; the use of the link is audited.
pub(crate) async fn referral_for_link(state: &AppState, token: &str) -> Result<Response, ApiError> {
    let request = match open(state, token).await {
        Ok(r) => r,
        Err(e) => return audit_outcome(state, None, ACTION, Err(e)).await,
    };
    let result = async {
        let record = crate::service::returns::case_of(state, &request).await?;
        let form = referral_form(state, &record).await?;
        let bytes = documents::referral_docx(&form).map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(file(DOCX, &format!("{}-referral-form.docx", record.reference), bytes))
    }
    .await;
    audit_outcome(state, Some(&request), ACTION, result).await
}
