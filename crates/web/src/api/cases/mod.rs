//! Case routes.

pub mod chronology;
pub mod create;
pub mod events;
pub mod get;
pub mod list;

use domain::case::CaseView;
use store::CaseRecord;

use crate::state::AppState;

/// The derived view of a stored case on the service's business date.
pub(crate) fn view_of(state: &AppState, record: &CaseRecord) -> CaseView {
    let settings = state.settings();
    CaseView::derive(&record.events, &settings.calendar, &settings.rules, state.clock.today())
}
