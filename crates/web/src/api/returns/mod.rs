//! The return-link routes: an agency opens its request with the link's token alone,
//! saves its scoping draft, adds chronology entries and submits. A token opens only
//! its own request; anything else is 404. After submission, revocation or expiry the
//! request is read-only (409 on any change). Every access is audited against the case.

pub mod chronology;
pub mod get;
pub mod scoping;
pub(crate) mod submit;

use axum::http::StatusCode;
use store::{AuditEntry, ReturnRequest};

use crate::error::ApiError;
use crate::state::AppState;

/// What an expired link says, and all it says.
pub(crate) const EXPIRED: &str = "This link has expired. Contact the Partnership Business Unit for a new one.";

/// Resolves a token to its request: unknown, retired and revoked links are all 404;
/// an expired link is 410 and says only that.
pub(crate) async fn open(state: &AppState, token: &str) -> Result<ReturnRequest, ApiError> {
    match state.store.request_by_token(token).await? {
        Some(r) if !r.revoked && r.state().expired(state.clock.today()) => Err(ApiError::Expired(EXPIRED.into())),
        Some(r) if !r.revoked => Ok(r),
        _ => Err(ApiError::NotFound(
            "this return link is not valid: ask the Partnership Business Unit for a new one".into(),
        )),
    }
}

/// Refuses a change when the request is read-only.
pub(crate) fn writable(state: &AppState, request: &ReturnRequest) -> Result<(), ApiError> {
    match request.state().read_only_because(state.clock.today()) {
        Some(why) => Err(ApiError::NotAllowedNow(why)),
        None => Ok(()),
    }
}

pub(crate) fn actor(request: &ReturnRequest) -> String {
    format!("return-link:{}", request.agency)
}

pub(crate) fn audit_entry(state: &AppState, request: &ReturnRequest, action: &str, status: StatusCode) -> AuditEntry {
    AuditEntry {
        at: state.clock.now(),
        actor: Some(actor(request)),
        action: action.to_owned(),
        subject: None,
        case_id: Some(request.case_id.clone()),
        outcome: status.as_u16().to_string(),
    }
}

/// Audits a return-link call that did not audit itself in its own transaction
/// (reads and refusals).
pub(crate) async fn audit_status(
    state: &AppState,
    request: Option<&ReturnRequest>,
    action: &str,
    status: StatusCode,
) -> Result<(), ApiError> {
    let entry = match request {
        Some(r) => audit_entry(state, r, action, status),
        None => AuditEntry {
            at: state.clock.now(),
            actor: None,
            action: action.to_owned(),
            subject: None,
            case_id: None,
            outcome: status.as_u16().to_string(),
        },
    };
    state
        .store
        .audit(&entry)
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
