//! `POST /api/v1/cases`: open a case with its incident report.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::events::{EventKind, parse_event_request};

use super::render_case;
use crate::audit::AuditedInTransaction;
use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/cases", tag = "cases",
    request_body(content = Object, description = "The incident_reported fields (route, reported_on, aware_on, referring_agency, incident, children)"),
    responses((status = 201, description = "The new Case", body = Object),
              (status = 400, description = "The body is not JSON"), (status = 401, description = "No or bad credentials"),
              (status = 403, description = "This role does not open cases"),
              (status = 415, description = "The body is not sent as JSON"),
              (status = 422, description = "A field is invalid; the message names it")))]
pub async fn create_case(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    if !user.role.may_open_cases() {
        return Err(ApiError::Forbidden(format!(
            "the {} role does not open cases",
            user.role.as_str()
        )));
    }
    let request = parse_event_request(body, Some(EventKind::IncidentReported))?;
    let record = crate::service::cases::open(&state, &user, request, "POST /api/v1/cases").await?;
    let location = format!("/api/v1/cases/{}", record.id);
    let body = render_case(&state, &record, &user).await?;
    let mut response = (StatusCode::CREATED, [(header::LOCATION, location)], Json(body)).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    Ok(response)
}
