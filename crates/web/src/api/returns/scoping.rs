//! `PUT /api/v1/returns/{token}/scoping`: saves the Initial Scoping draft (replacing
//! the previous draft).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::returns::Scoping;
use serde_json::{Value, json};

use super::{audit_entry, audit_outcome, open, writable};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::state::AppState;

const ACTION: &str = "PUT /api/v1/returns/{token}/scoping";

#[utoipa::path(put, path = "/api/v1/returns/{token}/scoping", tag = "returns", security(()),
    params(("token" = String, Path, description = "The return link's token")),
    request_body(content = Object, description = "Any of: involvement, involvement_from, involvement_to, key_professionals, known_before_incident, immediate_actions, multi_agency_concerns, early_learning, good_practice, parallel_processes"),
    responses((status = 200, description = "The saved draft", body = Object),
              (status = 404, description = "Unknown, retired or withdrawn link"),
              (status = 409, description = "The return is read-only (submitted or expired)"),
              (status = 422, description = "A field is invalid; the message names it")))]
pub async fn put_scoping(
    State(state): State<AppState>,
    Path(token): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let request = match open(&state, &token).await {
        Ok(r) => r,
        Err(e) => return audit_outcome(&state, None, ACTION, Err(e)).await,
    };
    let checked = writable(&state, &request).and_then(|()| Scoping::parse(body).map_err(ApiError::from));
    let scoping = match checked {
        Ok(s) => s,
        Err(e) => return audit_outcome(&state, Some(&request), ACTION, Err(e)).await,
    };
    crate::service::returns::save_scoping(
        &state,
        &request.id,
        &scoping,
        &audit_entry(&state, &request, ACTION, StatusCode::OK),
    )
    .await?;
    Ok(Json(json!({"saved": true, "scoping": scoping})))
}
