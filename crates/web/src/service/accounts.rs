//! Accounts as the pages change them, beyond the store's plain calls: password links
//! emailed to their user (never shown to whoever asked), the accounts that can see
//! cases waiting for the Partnership Manager to check, and the device cookie a browser
//! gets once it has signed in (see store `devices`).

use domain::roles::Role;
use store::{AccountReview, AuditEntry, User};

use super::Refused;
use crate::state::AppState;

/// Disables or enables user `id` as an administrator does it: an account that can see
/// cases and is enabled again waits for the Partnership Manager to check.
pub async fn set_disabled(state: &AppState, id: i64, disable: bool, entry: &AuditEntry) -> Result<(), Refused> {
    Ok(state.store.set_disabled_by_administrator(id, disable, entry).await?)
}

/// Emails `user` a single-use link to choose a password; `entry` audits the request.
pub async fn send_password_link(state: &AppState, user: &User, entry: &AuditEntry) -> Result<(), Refused> {
    Ok(state.store.send_password_link(user.id, entry).await?)
}

/// The account changes waiting for `reader` to check: the Partnership Manager's,
/// never her own account's; nothing for anyone else.
pub async fn reviews_waiting(state: &AppState, reader: &User) -> Result<Vec<AccountReview>, Refused> {
    if reader.role != Role::PartnershipManager {
        return Ok(Vec::new());
    }
    Ok(state.store.pending_account_reviews(reader.id).await?)
}

/// The Partnership Manager acknowledges review `id`. Audited.
pub async fn acknowledge_review(state: &AppState, reader: &User, id: i64) -> Result<(), Refused> {
    if reader.role != Role::PartnershipManager {
        return Err(Refused::Forbidden(
            "only the Partnership Manager acknowledges new accounts".into(),
        ));
    }
    let entry = AuditEntry::about(
        state.clock.now(),
        Some(&reader.email),
        "account_review_acknowledged",
        Some(&format!("review {id}")),
        "ok",
    );
    if state.store.acknowledge_account_review(id, reader.id, &entry).await? {
        Ok(())
    } else {
        Err(Refused::NotFound("that account change is not waiting for you".into()))
    }
}

/// A new device cookie's value for a browser that has just signed in as `user`.
pub fn device_cookie(state: &AppState, user: &User) -> Result<String, Refused> {
    Ok(state.store.device_cookie_for(&user.email)?)
}
