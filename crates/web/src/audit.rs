//! Audit of every API read and write of case data. Successful writes audit themselves
//! inside their own transaction and mark the response; this middleware writes the row
//! for everything else (reads, refusals, errors). If the audit row cannot be written,
//! the client gets a 500 rather than unaudited data.

use axum::extract::{MatchedPath, OriginalUri, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use store::AuditEntry;

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::AppState;

/// Marks a response whose audit row was written in the same transaction as its change.
#[derive(Debug, Clone, Copy)]
pub struct AuditedInTransaction;

pub async fn audit_case_access(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let action = format!(
        "{} {}",
        req.method(),
        req.extensions()
            .get::<MatchedPath>()
            .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned())
    );
    let actor = req.extensions().get::<CurrentUser>().map(|u| u.0.email.clone());
    let path = req
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| req.uri().path().to_owned(), |u| u.path().to_owned());
    let case_id = case_id_in(&path);
    let response = next.run(req).await;
    if response.extensions().get::<AuditedInTransaction>().is_some() {
        return response;
    }
    let entry = AuditEntry {
        at: state.clock.now(),
        actor,
        action,
        subject: None,
        case_id,
        outcome: response.status().as_u16().to_string(),
    };
    match state.store.audit(&entry).await {
        Ok(()) => response,
        Err(e) => ApiError::Internal(format!("audit write failed: {e}")).into_response(),
    }
}

/// The case id in `/api/v1/cases/{id}/…` or the page `/cases/{id}`, if the path has one.
fn case_id_in(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/api/v1").unwrap_or(path).strip_prefix("/cases/")?;
    let id = rest.split('/').next()?;
    (!id.is_empty()).then(|| id.chars().take(64).collect())
}
