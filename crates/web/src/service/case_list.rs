//! The list of cases, for `GET /api/v1/cases` and the cases page.

use chrono::NaiveDate;
use store::{CaseFilter, CaseSummary, StoreError};

use crate::state::AppState;

/// The cases that match `filter`, with their clocks on `today`.
pub async fn list_cases(
    state: &AppState,
    filter: &CaseFilter,
    today: NaiveDate,
) -> Result<Vec<CaseSummary>, StoreError> {
    state.store.list_cases(filter, today).await
}
