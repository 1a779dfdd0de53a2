//! `GET /api/v1/cases/{id}`: one case with its history and deadlines. The answer
//! carries an `ETag` made from its bytes (so it changes with the case's version, the
//! day and the rules alike); a client that sends it back in `If-None-Match` gets a 304
//! without the body. Either way the read is audited.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::render_case;
use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = String, Path, description = "The case id"),
           ("If-None-Match" = Option<String>, Header, description = "The ETag of a copy the client holds")),
    responses((status = 200, description = "The Case", body = Object),
              (status = 304, description = "The copy the client holds is current"),
              (status = 401, description = "No or bad credentials"), (status = 403, description = "This role sees no cases"),
              (status = 404, description = "No such case")))]
pub async fn get_case(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let record = state.store.case(&id).await?.ok_or_else(ApiError::case_not_found)?;
    let body = serde_json::to_vec(&render_case(&state, &record, &user).await?)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let digest = Sha256::digest(&body);
    let tag = format!("\"{}-{}\"", record.version(), hex(&digest[..12]));
    let tag_value = HeaderValue::from_str(&tag).map_err(|e| ApiError::Internal(e.to_string()))?;
    let held = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if held {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, tag_value)]).into_response());
    }
    Ok((
        [
            (header::ETAG, tag_value),
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
        ],
        body,
    )
        .into_response())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
