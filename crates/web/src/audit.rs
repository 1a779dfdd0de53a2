//! Audit of every API read and write of case data. Successful writes audit themselves
//! inside their own transaction and mark the response; this middleware writes the row
//! for everything else (reads, refusals, errors). If the audit row cannot be written,
//! the client gets a 500 rather than unaudited data.

use axum::extract::{FromRequestParts, MatchedPath, RawPathParams, Request, State};
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
    let (mut parts, body) = req.into_parts();
    let route = parts
        .extensions
        .get::<MatchedPath>()
        .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    let action = format!("{} {route}", parts.method);
    let actor = parts.extensions.get::<CurrentUser>().map(|u| u.0.email.clone());
    let case_id = match RawPathParams::from_request_parts(&mut parts, &state).await {
        Ok(params) => case_id_of(&route, &params),
        Err(_) => None,
    };
    let req = Request::from_parts(parts, body);
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

/// The case a route reads or writes: the `{id}` of a route under `/api/v1/cases/{id}`
/// or `/cases/{id}`, as the router matched it.
fn case_id_of(route: &str, params: &RawPathParams) -> Option<String> {
    if !(route.starts_with("/api/v1/cases/{id}") || route.starts_with("/cases/{id}")) {
        return None;
    }
    // The router hands the id decoded: a control character in it (a `%00` in the URL)
    // is kept escaped, as no database stores a NUL in text.
    params.iter().find(|(name, _)| *name == "id").map(|(_, id)| {
        if id.chars().any(char::is_control) {
            id.escape_default().take(64).collect()
        } else {
            id.chars().take(64).collect()
        }
    })
}
