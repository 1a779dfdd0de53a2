//! `POST /api/v1/cases/{id}/events`: record the next step of the process.
//! Order of checks: credentials (401), the case (404), the body (400/415), the role
//! for this event type (403), the fields (422), then the process (409 or 422).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::events::{EventKind, parse_event_request};
use serde_json::{Value, json};

use super::idempotency::Idempotent;
use super::render_folded;
use crate::audit::AuditedInTransaction;
use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::service;
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/cases/{id}/events", tag = "cases",
    params(("id" = String, Path, description = "The case id"),
           ("Idempotency-Key" = Option<String>, Header, description = "A key of the client's for this request: a retry with the same key and body within 24 hours gets the first answer again")),
    request_body(content = Object, description = "{\"type\": EVENT_TYPE, \"on\": DATE, ...fields, \"expected_version\": N?}"),
    responses((status = 201, description = "{\"version\": N, \"case\": Case}", body = Object),
              (status = 400, description = "The body is not JSON"), (status = 401, description = "No or bad credentials"),
              (status = 403, description = "This role may not record this event"), (status = 404, description = "No such case"),
              (status = 409, description = "not_allowed_now (the message says what must happen first) or version_conflict"),
              (status = 415, description = "The body is not sent as JSON"),
              (status = 422, description = "A field is invalid; the message names it")))]
pub async fn record_event(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    // The role is checked before the fields, so that a 403 does not wait on a 422; the
    // proof goes with the step, so it is checked once.
    let kind = body.get("type").and_then(Value::as_str).and_then(EventKind::parse);
    let authorised = match kind {
        Some(kind) => {
            let corrects = body.get("corrects").and_then(Value::as_u64);
            Some(service::cases::authorise(&state, &user, &id, kind, corrects).await?)
        }
        None => None,
    };
    let idempotent = Idempotent::of(&headers, &user, &format!("POST /api/v1/cases/{id}/events"), &body)?;
    if let Some(idem) = &idempotent
        && let Some(earlier) = idem.earlier(&state, &user).await?
    {
        return Ok(earlier);
    }
    let request = parse_event_request(body, None)?;
    let claim = idempotent.as_ref().map(Idempotent::claim);
    let action = "POST /api/v1/cases/{id}/events";
    let appended = match authorised {
        Some(authorised) => {
            service::cases::record_authorised(&state, &user, authorised, request, action, claim).await?
        }
        None => service::cases::record(&state, &user, &id, request, action, claim).await?,
    };
    // Rendered from the state the write folded: the case is folded once per step.
    let case = render_folded(&state, &appended.record, &appended.state, &user).await?;
    let body = json!({"version": appended.event.version.get(), "case": case});
    if let Some(idem) = &idempotent {
        idem.remember(&state, &body).await?;
    }
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    Ok(response)
}
