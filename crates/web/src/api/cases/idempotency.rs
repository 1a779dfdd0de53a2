//! `Idempotency-Key` on the two writes a client most needs to retry safely,
//! `POST /api/v1/cases` and `POST /api/v1/cases/{id}/events` (see
//! `store::idempotency`): the same key with the same request within 24 hours answers
//! the first answer again (with `Idempotent-Replayed: true`); with another request it
//! is a 422 naming the header.

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use sha2::Digest;

use super::render_case;
use crate::error::ApiError;
use crate::service;
use crate::service::types::{IdempotencyClaim, User};
use crate::state::AppState;

pub const HEADER: &str = "Idempotency-Key";

/// The key a request carries, with its user and a hash of what it asks.
#[derive(Debug)]
pub struct Idempotent {
    claim: IdempotencyClaim,
}

impl Idempotent {
    /// The request's key, if it has one. A key must be 1 to 255 visible ASCII
    /// characters (a UUID is usual): anything else is a 422 naming the header.
    pub fn of(headers: &HeaderMap, user: &User, route: &str, body: &Value) -> Result<Option<Idempotent>, ApiError> {
        let Some(value) = headers.get(HEADER) else {
            return Ok(None);
        };
        let key = value
            .to_str()
            .ok()
            .filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| {
                ApiError::invalid(
                    HEADER,
                    "must be 1 to 255 visible ASCII characters, such as a UUID made for this request",
                )
            })?;
        let mut hash = sha2::Sha256::new();
        hash.update(route.as_bytes());
        hash.update(b"\n");
        hash.update(body.to_string().as_bytes());
        Ok(Some(Idempotent {
            claim: IdempotencyClaim {
                actor_id: user.id,
                key: key.to_owned(),
                request_hash: hash.finalize().iter().map(|b| format!("{b:02x}")).collect(),
            },
        }))
    }

    pub fn claim(&self) -> &IdempotencyClaim {
        &self.claim
    }

    /// The first answer, if the key was used in the last 24 hours: the same again for
    /// the same request, a 422 for another.
    pub async fn earlier(&self, state: &AppState, user: &User) -> Result<Option<Response>, ApiError> {
        let Some(answer) = service::idempotency::earlier(state, &self.claim).await? else {
            return Ok(None);
        };
        if answer.request_hash != self.claim.request_hash {
            return Err(ApiError::invalid(
                HEADER,
                "was used in the last 24 hours with a different request: use a new key for a new request",
            ));
        }
        let body: Value = match (answer.response, &answer.case_id) {
            (Some(text), _) => serde_json::from_str(&text).map_err(|e| ApiError::Internal(e.to_string()))?,
            // The service stopped between the write and keeping its answer: the
            // answer is the case as it stands.
            (None, Some(case_id)) => {
                let record = service::cases::load(state, user, case_id).await?;
                let case = render_case(state, &record, user).await?;
                match answer.event_version {
                    Some(version) => json!({"version": version, "case": case}),
                    None => case,
                }
            }
            (None, None) => return Err(ApiError::Internal("an idempotency key without its write".into())),
        };
        let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::CREATED);
        let mut response = (status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
        if answer.event_version.is_none()
            && let Some(location) = answer
                .case_id
                .and_then(|id| HeaderValue::from_str(&format!("/api/v1/cases/{id}")).ok())
        {
            headers.insert(header::LOCATION, location);
        }
        // Nothing was written: the audit middleware records the replay.
        Ok(Some(response))
    }

    /// Keeps `body`, the first answer, for a retry.
    pub async fn remember(&self, state: &AppState, body: &Value) -> Result<(), ApiError> {
        Ok(service::idempotency::remember(state, &self.claim, &body.to_string()).await?)
    }
}
