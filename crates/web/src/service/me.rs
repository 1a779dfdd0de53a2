//! A user's own account: how they take their emails, their password, their
//! authenticator app and recovery codes, and password links.

use chrono::{DateTime, Utc};
use store::{AuditEntry, NewPassword, NotifyMode, StoreError, TotpKey, User};

use crate::state::AppState;

/// How the user takes their emails: each as it happens, or a daily digest.
pub async fn notify_mode(state: &AppState, user_id: i64) -> Result<NotifyMode, StoreError> {
    state.store.notify_mode(user_id).await
}

/// Sets how the user takes their emails; audited.
pub async fn set_notify_mode(
    state: &AppState,
    user_id: i64,
    mode: NotifyMode,
    entry: &AuditEntry,
) -> Result<(), StoreError> {
    state.store.set_notify_mode(user_id, mode, entry).await
}

/// Changes the password given the current one, ending the other sessions; audited. False when the current one is wrong.
pub async fn change_password(
    state: &AppState,
    user: &User,
    current: &str,
    new: &NewPassword,
    keep_session: &str,
    entry: &AuditEntry,
) -> Result<bool, StoreError> {
    state
        .store
        .change_password(user, current, new, keep_session, entry)
        .await
}

/// How many unused recovery codes the user has.
pub async fn recovery_codes_left(state: &AppState, user_id: i64) -> Result<i64, StoreError> {
    state.store.recovery_codes_left(user_id).await
}

/// Replaces the recovery codes; the new ones are shown once. Audited.
pub async fn new_recovery_codes(state: &AppState, user: &User, entry: &AuditEntry) -> Result<Vec<String>, StoreError> {
    state.store.new_recovery_codes(user, entry).await
}

/// The authenticator key set up but not yet confirmed, if any.
pub async fn pending_totp(state: &AppState, user: &User) -> Result<Option<TotpKey>, StoreError> {
    state.store.pending_totp(user).await
}

/// Starts setting up an authenticator app: a new key.
pub async fn begin_totp_setup(state: &AppState, user: &User) -> Result<TotpKey, StoreError> {
    state.store.begin_totp_setup(user).await
}

/// Confirms the app with a code from it; the recovery codes, or None for a wrong code. Audited.
pub async fn confirm_totp(
    state: &AppState,
    user: &User,
    code: &str,
    entry: &AuditEntry,
) -> Result<Option<Vec<String>>, StoreError> {
    state.store.confirm_totp(user, code, entry).await
}

/// The user a password link belongs to, while it works.
pub async fn reset_token_user(state: &AppState, token: &str, now: DateTime<Utc>) -> Result<Option<User>, StoreError> {
    state.store.reset_token_user(token, now).await
}

/// Sets a new password through a password link (once); audited.
pub async fn use_reset_token(
    state: &AppState,
    token: &str,
    new: &NewPassword,
    entry: &AuditEntry,
) -> Result<Option<User>, StoreError> {
    state.store.use_reset_token(token, new, entry).await
}
