//! Signing in and out, and a user's sessions, for the sign-in pages and the account
//! page: what the store keeps (throttling, the session rows, the audit), reached from
//! here so that the pages and the API never hold the store themselves.

use chrono::{DateTime, Utc};
use store::{Attempt, AuditEntry, NewSession, SessionInfo, SignInStage, StoreError, User};

use crate::state::AppState;

/// A fresh random token, for a one-off form.
pub fn fresh_token(state: &AppState) -> Result<String, StoreError> {
    state.store.fresh_token()
}

/// Checks an email and password (throttled per address and account).
pub async fn sign_in_with_password(
    state: &AppState,
    email: &str,
    password: &str,
    address: &str,
    device: Option<&str>,
    at: DateTime<Utc>,
) -> Result<Attempt, StoreError> {
    state
        .store
        .sign_in_with_password(email, password, address, device, at)
        .await
}

/// Checks a second factor: a code from the app, or a recovery code.
pub async fn sign_in_with_second_factor(
    state: &AppState,
    user: &User,
    given: &str,
    address: &str,
    device: Option<&str>,
    at: DateTime<Utc>,
) -> Result<Attempt, StoreError> {
    state
        .store
        .sign_in_with_second_factor(user, given, address, device, at)
        .await
}

/// Starts a session at `stage` of signing in (replacing the one before).
pub async fn start_session(
    state: &AppState,
    user: &User,
    stage: SignInStage,
    user_agent: Option<&str>,
    replacing: Option<&str>,
    at: DateTime<Utc>,
) -> Result<NewSession, StoreError> {
    state.store.start_session(user, stage, user_agent, replacing, at).await
}

/// Ends the session with this cookie (signing out).
pub async fn end_session(state: &AppState, cookie: &str) -> Result<(), StoreError> {
    state.store.end_session(cookie).await
}

/// Ends one of the user's other sessions; audited.
pub async fn end_session_by_id(
    state: &AppState,
    user_id: i64,
    id: &str,
    current_cookie: &str,
    entry: &AuditEntry,
) -> Result<bool, StoreError> {
    state.store.end_session_by_id(user_id, id, current_cookie, entry).await
}

/// Ends every session of the user but this one; audited.
pub async fn end_other_sessions(
    state: &AppState,
    user_id: i64,
    current_cookie: &str,
    entry: &AuditEntry,
) -> Result<u64, StoreError> {
    state.store.end_other_sessions(user_id, current_cookie, entry).await
}

/// The user's sessions, this one marked.
pub async fn sessions_of(state: &AppState, user_id: i64, current_cookie: &str) -> Result<Vec<SessionInfo>, StoreError> {
    state.store.sessions_of(user_id, current_cookie).await
}

/// Appends one row to the audit trail.
pub async fn audit(state: &AppState, entry: &AuditEntry) -> Result<(), StoreError> {
    state.store.audit(entry).await
}
