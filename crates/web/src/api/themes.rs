//! Learning themes: the partnership's list (`GET`, and `POST` for the Partnership
//! Manager) and the themes a case carries (`PUT /api/v1/cases/{id}/themes`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::service::reports;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/themes", tag = "reports",
    responses((status = 200, description = "{\"themes\": [name]}, by name", body = Object),
              (status = 401, description = "No or bad credentials"), (status = 403, description = "Not a partnership role")))]
pub async fn list_themes(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "themes": reports::themes(&state, &user).await? })))
}

#[utoipa::path(post, path = "/api/v1/themes", tag = "reports",
    request_body(content = Object, description = "{\"name\": text of 1 to 100 characters}"),
    responses((status = 201, description = "{\"themes\": [name]}: the list with the new theme", body = Object),
              (status = 401, description = "No or bad credentials"), (status = 403, description = "Not the Partnership Manager"),
              (status = 422, description = "A missing, too long or repeated name")))]
pub async fn add_theme(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let name = body.get("name").and_then(Value::as_str).unwrap_or("");
    reports::add_theme(&state, &user, name).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "themes": reports::themes(&state, &user).await? })),
    ))
}

#[utoipa::path(put, path = "/api/v1/cases/{id}/themes", tag = "reports",
    params(("id" = String, Path, description = "The case id")),
    request_body(content = Object, description = "{\"themes\": [name from the list]}: replaces the case's themes"),
    responses((status = 200, description = "{\"themes\": [name]}: the case's themes now", body = Object),
              (status = 401, description = "No or bad credentials"), (status = 403, description = "Not the Partnership Manager or the Business Unit"),
              (status = 404, description = "No such case"), (status = 422, description = "A theme not on the list, named in the error")))]
pub async fn set_case_themes(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let Some(list) = body.get("themes").and_then(Value::as_array) else {
        return Err(ApiError::Invalid(domain::events::FieldError::new(
            "themes",
            "give a list of theme names (an empty list clears them)",
        )));
    };
    let mut names = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        let name = v.as_str().ok_or_else(|| {
            ApiError::Invalid(domain::events::FieldError::new(
                format!("themes[{i}]"),
                "must be a theme's name",
            ))
        })?;
        names.push(name.to_owned());
    }
    let themes = reports::set_case_themes(&state, &user, &id, &names).await?;
    Ok(Json(json!({ "themes": themes })))
}
