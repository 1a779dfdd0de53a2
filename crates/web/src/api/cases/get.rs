//! `GET /api/v1/cases/{id}`: one case with its history and deadlines.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::Value;

use super::render_case;
use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = String, Path, description = "The case id")),
    responses((status = 200, description = "The Case", body = Object),
              (status = 401, description = "No or bad credentials"), (status = 403, description = "This role sees no cases"),
              (status = 404, description = "No such case")))]
pub async fn get_case(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let record = state.store.case(&id).await?.ok_or_else(ApiError::case_not_found)?;
    Ok(Json(render_case(&state, &record, &user).await?))
}
