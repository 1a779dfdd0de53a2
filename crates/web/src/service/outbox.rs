//! The outbox for administrators: the messages by status (the page and
//! `GET /api/v1/outbox`), retrying a failed one, and a test email. Each is audited.

use store::{AuditEntry, OutboxCount, OutboxMessage, OutboxStatus, User, is_email_address};

use super::Refused;
use crate::state::AppState;

/// One page of the outbox.
#[derive(Debug)]
pub struct OutboxView {
    pub status: Option<OutboxStatus>,
    pub page: u32,
    pub messages: Vec<OutboxMessage>,
    pub counts: Vec<OutboxCount>,
}

fn administrator(user: &User) -> Result<(), Refused> {
    if user.role.may_administer() {
        Ok(())
    } else {
        Err(Refused::Forbidden("the outbox is for administrators".into()))
    }
}

fn entry(state: &AppState, user: &User, action: &str, subject: Option<&str>) -> AuditEntry {
    AuditEntry::about(state.clock.now(), Some(&user.email), action, subject, "ok")
}

/// The messages with `status` (all if none), page `page` (from 1), newest first.
pub async fn list(
    state: &AppState,
    user: &User,
    status: Option<&str>,
    page: Option<&str>,
) -> Result<OutboxView, Refused> {
    administrator(user)?;
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(OutboxStatus::parse(s).ok_or_else(|| {
            let keys: Vec<&str> = OutboxStatus::ALL.iter().map(|s| s.as_str()).collect();
            Refused::Invalid(domain::events::FieldError::new(
                "status",
                format!("must be one of {}", keys.join(", ")),
            ))
        })?),
    };
    let page = match page.map(str::trim).filter(|p| !p.is_empty()) {
        None => 1,
        Some(p) => p
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .ok_or_else(|| {
                Refused::Invalid(domain::events::FieldError::new("page", "must be a whole number from 1"))
            })?,
    };
    let messages = state.store.outbox_messages(status, page).await?;
    let counts = state.store.outbox_counts().await?;
    state
        .store
        .audit(&entry(state, user, "outbox_viewed", status.map(OutboxStatus::as_str)))
        .await?;
    Ok(OutboxView {
        status,
        page,
        messages,
        counts,
    })
}

/// Puts a failed message back in the queue.
pub async fn retry(state: &AppState, user: &User, id: i64) -> Result<(), Refused> {
    administrator(user)?;
    let subject = format!("outbox {id}");
    if state
        .store
        .retry_message(id, &entry(state, user, "message_retried", Some(&subject)))
        .await?
    {
        Ok(())
    } else {
        Err(Refused::NotFound("no failed message with that number".into()))
    }
}

/// Queues a test email to `to`.
pub async fn send_test(state: &AppState, user: &User, to: &str) -> Result<(), Refused> {
    administrator(user)?;
    let to = to.trim();
    if !is_email_address(to) {
        return Err(Refused::Invalid(domain::events::FieldError::new(
            "to",
            "Enter an email address like name@example.org",
        )));
    }
    let subject = format!("to {to}");
    state
        .store
        .queue_test_message(to, &entry(state, user, "test_email_queued", Some(&subject)))
        .await?;
    Ok(())
}
