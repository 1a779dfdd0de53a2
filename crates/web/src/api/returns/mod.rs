//! The return-link routes: an agency opens its request with the link's token alone,
//! saves its scoping draft, adds chronology entries and submits. A token opens only
//! its own request; anything else is 404. After submission, revocation or expiry the
//! request is read-only (409 on any change). Every access is audited against the case.

pub mod chronology;
pub mod get;
pub mod referral;
pub mod scoping;
pub(crate) mod submit;

use axum::http::StatusCode;

use crate::error::ApiError;
use crate::service;
use crate::service::types::{AuditEntry, ReturnRequest};
use crate::state::AppState;

/// The request a token opens: unknown, retired and withdrawn links are 404; an expired
/// link is 410 and says only that.
pub(crate) async fn open(state: &AppState, token: &str) -> Result<ReturnRequest, ApiError> {
    Ok(service::returns::open(state, token).await?)
}

/// Refuses a change when the request is read-only.
pub(crate) fn writable(state: &AppState, request: &ReturnRequest) -> Result<(), ApiError> {
    Ok(service::returns::writable(state, request)?)
}

pub(crate) fn audit_entry(state: &AppState, request: &ReturnRequest, action: &str, status: StatusCode) -> AuditEntry {
    service::returns::audit_entry(state, Some(request), action, status.as_u16())
}

/// Audits a return-link call that did not audit itself in its own transaction
/// (reads and refusals).
pub(crate) async fn audit_status(
    state: &AppState,
    request: Option<&ReturnRequest>,
    action: &str,
    status: StatusCode,
) -> Result<(), ApiError> {
    service::returns::audit(state, request, action, status.as_u16())
        .await
        .map_err(|e| ApiError::Internal(format!("audit write failed: {e}")))
}

/// Audits `result` and passes it on.
pub(crate) async fn audit_outcome<T>(
    state: &AppState,
    request: Option<&ReturnRequest>,
    action: &str,
    result: Result<T, ApiError>,
) -> Result<T, ApiError> {
    let status = match &result {
        Ok(_) => StatusCode::OK,
        Err(e) => e.status(),
    };
    audit_status(state, request, action, status).await?;
    result
}
