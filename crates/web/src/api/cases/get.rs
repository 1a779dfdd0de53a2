//! `GET /api/v1/cases/{id}`: one case with its history and deadlines. The answer
//! carries an `ETag` made from its bytes (so it changes with the case's version, the
//! day and the rules alike); a client that sends it back in `If-None-Match` gets a 304
//! without the body. Either way the read is audited. An unchanged case is served from
//! the instance's rendered copy (see `case_cache`), checked against the database first.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::render_case;
use crate::auth::CaseUser;
use crate::case_cache::{Rendered, Stamp};
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
    let case = state
        .store
        .case_stamp(&id)
        .await?
        .ok_or_else(ApiError::case_not_found)?;
    let stamp = Stamp {
        case,
        today: state.clock.today(),
        settings: state.settings(),
    };
    let sees_links = user.role.may_manage_return_links();
    let rendered = match state.case_cache.get(&id, sees_links, &stamp) {
        Some(copy) => copy,
        None => {
            let rendered = std::sync::Arc::new(render(&state, &id, &user, stamp).await?);
            state.case_cache.put(&id, sees_links, rendered.clone());
            rendered
        }
    };
    let tag = rendered.etag.to_str().unwrap_or_default();
    let held = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if held {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, rendered.etag.clone())]).into_response());
    }
    Ok((
        [
            (header::ETAG, rendered.etag.clone()),
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
        ],
        rendered.body.clone(),
    )
        .into_response())
}

/// Loads, folds and renders case `id` for `user`, remembering what it was rendered at.
/// The stamp was read first, so the copy is never older than its stamp says.
async fn render(state: &AppState, id: &str, user: &store::User, stamp: Stamp) -> Result<Rendered, ApiError> {
    let record = state.store.case(id).await?.ok_or_else(ApiError::case_not_found)?;
    let body =
        serde_json::to_vec(&render_case(state, &record, user).await?).map_err(|e| ApiError::Internal(e.to_string()))?;
    let digest = Sha256::digest(&body);
    let tag = format!("\"{}-{}\"", record.version(), hex(&digest[..12]));
    Ok(Rendered {
        stamp,
        body: body.into(),
        etag: HeaderValue::from_str(&tag).map_err(|e| ApiError::Internal(e.to_string()))?,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
