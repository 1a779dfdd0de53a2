//! `POST /api/v1/returns/{token}/submit`: records `agency_return_received` on the case;
//! the link becomes read-only.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{audit_outcome, open};
use crate::error::ApiError;
use crate::state::AppState;

const ACTION: &str = "POST /api/v1/returns/{token}/submit";

#[utoipa::path(post, path = "/api/v1/returns/{token}/submit", tag = "returns", security(()),
    params(("token" = String, Path, description = "The return link's token")),
    responses((status = 201, description = "Submitted; the link is now read-only", body = Object),
              (status = 404, description = "Unknown, retired or withdrawn link"),
              (status = 409, description = "Already submitted, expired, or the case does not allow it now"),
              (status = 422, description = "The scoping field `involvement` is missing")))]
pub async fn submit_return(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, ApiError> {
    let request = match open(&state, &token).await {
        Ok(r) => r,
        Err(e) => return audit_outcome(&state, None, ACTION, Err(e)).await,
    };
    match crate::service::returns::submit(&state, &request, ACTION).await {
        Ok(_) => Ok((
            StatusCode::CREATED,
            Json(json!({"status": "submitted", "case_reference": request.case_reference, "agency": request.agency, "submitted_on": state.clock.today()})),
        )
            .into_response()),
        Err(e) => audit_outcome(&state, Some(&request), ACTION, Err(ApiError::from(e))).await,
    }
}
