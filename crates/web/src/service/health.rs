//! What `/healthz` and `/readyz` ask of the database.

use store::StoreError;

use crate::state::AppState;

/// Whether the database holds nothing yet (no users, agencies or cases).
pub async fn is_empty(state: &AppState) -> Result<bool, StoreError> {
    state.store.is_empty().await
}

/// The newest migration applied to the database.
pub async fn schema_version(state: &AppState) -> Result<i64, StoreError> {
    state.store.schema_version().await
}

/// The newest migration this build knows.
pub fn known_schema_version(state: &AppState) -> i64 {
    state.store.known_schema_version()
}
