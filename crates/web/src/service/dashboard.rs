//! The dashboard's answers, for the dashboard page.

use std::sync::Arc;

use store::{Dashboard, DashboardQuery, StoreError};

use crate::state::AppState;

/// One page of the dashboard's answers, from the kept copy when it is current.
pub async fn dashboard(state: &AppState, q: &DashboardQuery) -> Result<Arc<Dashboard>, StoreError> {
    state.store.dashboard(q).await
}
