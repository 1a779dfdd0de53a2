//! What administrators change: the agency directory, the calendar and the deadline
//! rules, users and their API tokens. Each change is audited by the store.

use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::{Calendar, Override};
use domain::deadlines::RuleSet;
use store::{Agency, AuditEntry, NewAgency, NewUser, StoreError, TokenInfo, User};

use crate::state::AppState;

/// Adds an agency to the directory; audited.
pub async fn add_agency(state: &AppState, new: &NewAgency, entry: &AuditEntry) -> Result<Agency, StoreError> {
    state.store.add_agency(new, entry).await
}

/// Adds local closures or working days to the calendar; audited.
pub async fn add_calendar_overrides(
    state: &AppState,
    overrides: &[Override],
    entry: &AuditEntry,
) -> Result<(), StoreError> {
    state.store.add_calendar_overrides(overrides, entry).await
}

/// Works out every open case's clocks again (after a calendar or rules change).
pub async fn refresh_snapshots(
    state: &AppState,
    calendar: &Calendar,
    rules: &RuleSet,
    today: NaiveDate,
    at: DateTime<Utc>,
) -> Result<u64, StoreError> {
    state.store.refresh_snapshots(calendar, rules, today, at).await
}

/// Replaces the deadline rules; audited.
pub async fn set_rules(state: &AppState, rules: &RuleSet, entry: &AuditEntry) -> Result<(), StoreError> {
    state.store.set_rules(rules, entry).await
}

/// Adds a user as an administrator does it; audited.
pub async fn add_user_by_administrator(
    state: &AppState,
    new: &NewUser,
    entry: &AuditEntry,
) -> Result<User, StoreError> {
    state.store.add_user_by_administrator(new, entry).await
}

/// The API tokens, or one user's.
pub async fn list_tokens(state: &AppState, email: Option<&str>) -> Result<Vec<TokenInfo>, StoreError> {
    state.store.list_tokens(email).await
}

/// Every user.
pub async fn list_users(state: &AppState) -> Result<Vec<User>, StoreError> {
    state.store.list_users().await
}

/// Revokes an API token; audited. False when there is none.
pub async fn revoke_token(state: &AppState, id: i64, entry: &AuditEntry) -> Result<bool, StoreError> {
    state.store.revoke_token(id, entry).await
}

/// The user with this id.
pub async fn user_by_id(state: &AppState, id: i64) -> Result<Option<User>, StoreError> {
    state.store.user_by_id(id).await
}

/// The agency directory.
pub async fn list_agencies(state: &AppState) -> Result<Vec<Agency>, StoreError> {
    state.store.list_agencies().await
}
