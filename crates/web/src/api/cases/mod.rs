//! Case routes.

pub mod chronology;
pub mod create;
pub mod documents;
pub mod events;
pub mod get;
pub mod idempotency;
pub mod list;
pub mod papers;
pub mod requests;
pub mod review_papers;
pub mod template;

use serde_json::Value;

use crate::case_json::{case_json, correspondence};
use crate::error::ApiError;
use crate::service;
use crate::service::types::{CaseRecord, User};
use crate::state::AppState;

/// The Case JSON for `viewer`, with the agency requests and, for those who hand them
/// out, the return links.
pub(crate) async fn render_case(state: &AppState, record: &CaseRecord, viewer: &User) -> Result<Value, ApiError> {
    render_folded(state, record, &domain::process::fold(&record.events), viewer).await
}

/// [`render_case`] from the state already folded from `record`'s events.
pub(crate) async fn render_folded(
    state: &AppState,
    record: &CaseRecord,
    folded: &domain::process::CaseState,
    viewer: &User,
) -> Result<Value, ApiError> {
    let view = service::cases::view_of(state, folded);
    let lines = service::requests::lines(state, &record.id, viewer).await?;
    let messages = service::cases::messages(state, &record.id).await?;
    let told = correspondence(record, folded, &messages, &state.settings().secure_email);
    Ok(case_json(record, &view, viewer, &lines, told, state.clock.today()))
}
