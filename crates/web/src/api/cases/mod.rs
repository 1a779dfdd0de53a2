//! Case routes.

pub mod chronology;
pub mod create;
pub mod documents;
pub mod events;
pub mod get;
pub mod list;
pub mod requests;

use domain::case::CaseView;
use domain::roles::Role;
use serde_json::Value;
use store::{CaseRecord, User};

use crate::case_json::{RequestLine, case_json};
use crate::error::ApiError;
use crate::state::AppState;

/// The Case JSON for `viewer`, with the agency requests and, for those who hand them
/// out, the return links.
pub(crate) async fn render_case(state: &AppState, record: &CaseRecord, viewer: &User) -> Result<Value, ApiError> {
    let view = view_of(state, record);
    let lines = request_lines(state, &record.id, viewer).await?;
    Ok(case_json(record, &view, viewer, &lines, state.clock.today()))
}

pub(crate) async fn request_lines(
    state: &AppState,
    case_id: &str,
    viewer: &User,
) -> Result<Vec<RequestLine>, ApiError> {
    let sees_links = matches!(viewer.role, Role::PartnershipManager | Role::BusinessUnit);
    let mut lines = Vec::new();
    for request in state.store.requests_for_case(case_id).await? {
        let link = if sees_links {
            Some(state.return_link(&state.store.return_token(&request)))
        } else {
            None
        };
        lines.push(RequestLine { request, link });
    }
    Ok(lines)
}

/// The derived view of a stored case on the service's business date.
pub(crate) fn view_of(state: &AppState, record: &CaseRecord) -> CaseView {
    let settings = state.settings();
    CaseView::derive(&record.events, &settings.calendar, &settings.rules, state.clock.today())
}
