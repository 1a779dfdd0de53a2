//! `GET` and `PUT /api/v1/cases/{id}/template` (`?version=N`) and
//! `POST /api/v1/cases/{id}/template/sign-off`: the Rapid Review Template as JSON
//! sections, every saved version kept, signed off by each partner.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::template::{Section, missing_sign_offs, parse_sections};
use serde_json::{Map, Value, json};

use crate::audit::AuditedInTransaction;
use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::json::{JsonBody, OptionalJsonBody};
use crate::service::template::{self, TemplateRead};
use crate::state::AppState;

/// The template as the API shows it.
pub(crate) fn template_json(read: &TemplateRead) -> Value {
    let sections: Map<String, Value> = Section::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), json!(read.sections.text(*s))))
        .collect();
    let sign_offs: Vec<Value> = read
        .saved
        .iter()
        .flat_map(|s| &s.sign_offs)
        .map(|o| json!({"partner": o.partner.as_str(), "by": o.by, "at": o.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)}))
        .collect();
    let missing: Vec<&str> = missing_sign_offs(&read.signed()).iter().map(|p| p.as_str()).collect();
    let versions: Vec<Value> = read
        .versions
        .iter()
        .map(|v| {
            json!({"version": v.version, "saved_by": v.saved_by,
                        "saved_at": v.saved_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)})
        })
        .collect();
    json!({
        "case_id": read.record.id,
        "reference": read.record.reference,
        "version": read.version(),
        "latest_version": read.latest_version(),
        "saved_by": read.saved.as_ref().map(|s| s.saved_by.clone()),
        "saved_at": read.saved.as_ref().map(|s| s.saved_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        "sections": sections,
        "sign_offs": sign_offs,
        "missing_sign_offs": missing,
        "versions": versions,
        "submitted_version": read.submitted_version,
        "frozen": read.frozen(),
    })
}

/// `?version=N`: a whole number from 1, or none for the latest.
pub(crate) fn version_query(query: &HashMap<String, String>) -> Result<Option<u32>, ApiError> {
    match query.get("version").map(String::as_str) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| ApiError::invalid("version", "must be a whole number from 1")),
    }
}

/// A body's optional whole-number field.
fn number(body: &Value, field: &str) -> Result<Option<u32>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| ApiError::invalid(field, "must be a whole number")),
    }
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/template", tag = "template",
    params(("id" = String, Path, description = "The case id"),
           ("version" = Option<u32>, Query, description = "A saved version; the latest when left out")),
    responses((status = 200, description = "{\"version\": N (0 = not saved yet: the draft from the case), \"sections\": {KEY: TEXT}, \"sign_offs\": [{\"partner\", \"by\", \"at\"}], \"missing_sign_offs\": [PARTNER], \"versions\": [...], \"submitted_version\": N?, \"frozen\": bool}", body = Object),
              (status = 401, description = "No or bad credentials"), (status = 404, description = "No such case or version"),
              (status = 422, description = "version is not a whole number")))]
pub async fn get_template(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let version = version_query(&query)?;
    let read = template::read(&state, &user, &id, version).await?;
    Ok(Json(template_json(&read)).into_response())
}

#[utoipa::path(put, path = "/api/v1/cases/{id}/template", tag = "template",
    params(("id" = String, Path, description = "The case id")),
    request_body(content = Object, description = "{\"sections\": {KEY: TEXT, ...}, \"expected_version\": N?}: the sections named replace theirs (an empty text clears one); the others are kept. The first save starts from the draft."),
    responses((status = 200, description = "The new version, as GET shows it", body = Object),
              (status = 403, description = "This role does not write the template"), (status = 404, description = "No such case"),
              (status = 409, description = "The case is not on the serious harm path, the template is frozen (submitted), or expected_version is not the latest (version_conflict)"),
              (status = 422, description = "A section is unknown, not text or too long; the message names it")))]
pub async fn put_template(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    if !body.is_object() {
        return Err(ApiError::invalid("(body)", "send a JSON object with sections"));
    }
    let Some(sections) = body.get("sections") else {
        return Err(ApiError::invalid("sections", "is required"));
    };
    let changes = parse_sections(sections)?;
    let expected = number(&body, "expected_version")?;
    let version = template::save(&state, &user, &id, expected, changes, "PUT /api/v1/cases/{id}/template").await?;
    let read = template::read(&state, &user, &id, Some(version)).await?;
    let mut response = Json(template_json(&read)).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    Ok(response)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/template/sign-off", tag = "template",
    params(("id" = String, Path, description = "The case id")),
    request_body(content = Object, description = "{\"version\": N?}: the version read; it must be the current one"),
    responses((status = 201, description = "The signed version, as GET shows it", body = Object),
              (status = 403, description = "Only a partner's representative signs off"), (status = 404, description = "No such case"),
              (status = 409, description = "No template yet, not the current version, already signed by this partner, or frozen")))]
pub async fn sign_off(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
    OptionalJsonBody(body): OptionalJsonBody,
) -> Result<Response, ApiError> {
    let body = body.unwrap_or(Value::Null);
    if !body.is_object() && !body.is_null() {
        return Err(ApiError::invalid(
            "(body)",
            "send a JSON object, such as {\"version\": 2}, or no body",
        ));
    }
    let version = number(&body, "version")?;
    let signed = template::sign_off(&state, &user, &id, version, "POST /api/v1/cases/{id}/template/sign-off").await?;
    let read = template::read(&state, &user, &id, Some(signed)).await?;
    let mut response = (StatusCode::CREATED, Json(template_json(&read))).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    Ok(response)
}
