//! `POST /api/v1/cases`: open a case with its incident report.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::events::{EventKind, parse_event_request};

use super::idempotency::Idempotent;
use super::render_folded;
use crate::audit::AuditedInTransaction;
use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::state::AppState;

const ACTION: &str = "POST /api/v1/cases";

#[utoipa::path(post, path = "/api/v1/cases", tag = "cases",
    params(("Idempotency-Key" = Option<String>, Header, description = "A key of the client's for this request: a retry with the same key and body within 24 hours gets the first answer again")),
    request_body(content = Object, description = "The incident_reported fields (route, reported_on, aware_on, referring_agency, incident, children)"),
    responses((status = 201, description = "The new Case", body = Object),
              (status = 400, description = "The body is not JSON"), (status = 401, description = "No or bad credentials"),
              (status = 403, description = "This role does not open cases"),
              (status = 415, description = "The body is not sent as JSON"),
              (status = 422, description = "A field is invalid; the message names it")))]
pub async fn create_case(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    if !user.role.may_open_cases() {
        return Err(ApiError::Forbidden(format!(
            "the {} role does not open cases",
            user.role.as_str()
        )));
    }
    let idempotent = Idempotent::of(&headers, &user, ACTION, &body)?;
    if let Some(idem) = &idempotent
        && let Some(earlier) = idem.earlier(&state, &user).await?
    {
        return Ok(earlier);
    }
    let request = parse_event_request(body, Some(EventKind::IncidentReported))?;
    let claim = idempotent.as_ref().map(Idempotent::claim);
    let opened = crate::service::cases::open(&state, &user, request, ACTION, claim).await?;
    let location = format!("/api/v1/cases/{}", opened.record.id);
    let body = render_folded(&state, &opened.record, &opened.state, &user).await?;
    if let Some(idem) = &idempotent {
        idem.remember(&state, &body).await?;
    }
    let mut response = (StatusCode::CREATED, [(header::LOCATION, location)], Json(body)).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    Ok(response)
}
