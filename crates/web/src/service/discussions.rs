//! A case's discussions (the threshold decision's, the views on an ALA).

use domain::events::Text;
use store::{AuditEntry, StoreError, User};

use crate::state::AppState;

/// Adds a message to one of the case's discussions, telling the other deciders; audited.
pub async fn add_message(
    state: &AppState,
    case_id: &str,
    topic: &str,
    author: &User,
    position: Option<&str>,
    body: &Text,
    audit_entry: &AuditEntry,
) -> Result<(), StoreError> {
    state
        .store
        .add_message(case_id, topic, author, position, body, audit_entry)
        .await
}
