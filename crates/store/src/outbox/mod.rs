//! The outbox: every message the service decides to send, as a row written in the
//! transaction of the event, link change or reminder pass that caused it, so there is
//! no message without its cause and no cause that loses its message. A row says what
//! to tell (the notice, the case, the event or the clock) and to whom; the notifier
//! writes the words when it sends, so no case content and no working return link is
//! kept at rest.
//!
//! - [`enqueue`]: who an audience is (addresses from the users and the agency directory)
//!   and the rows for an event, a reminder, a link change, a digest or a test;
//! - [`delivery`]: claiming rows to send (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so
//!   instances never send one row at once), marking them sent or failed, retrying;
//! - [`read`]: the lists the pages and the API show.

mod delivery;
mod enqueue;
mod read;

use chrono::{DateTime, NaiveDate, Utc};
use domain::deadlines::StepKey;
use domain::events::AgencySlug;
use domain::notices::{Audience, Enclosure, Notice};
use domain::reminders::action_clocks::ActionRef;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::rows::{opt_date, parse_timestamp};

pub use delivery::Claim;
pub(crate) use enqueue::{LinkOf, account_review, for_discussion, for_event, for_link, password_link};
pub use read::{OUTBOX_PAGE, OutboxCount};

domain::keyed! {
    /// Where a message is.
    pub enum OutboxStatus {
        Queued = "queued", "Waiting to send";
        Held = "held", "Held for the daily digest";
        Digested = "digested", "Sent in a daily digest";
        Sent = "sent", "Sent";
        Failed = "failed", "Failed";
    }
}

domain::keyed! {
    /// How a user wants their messages.
    pub enum NotifyMode {
        Immediate = "immediate", "Each message as it happens";
        Digest = "digest", "One daily digest at 7am";
    }
}

/// One row of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: i64,
    pub notice: Notice,
    pub case_id: Option<String>,
    pub case_reference: Option<String>,
    pub event_version: Option<u32>,
    pub step: Option<StepKey>,
    /// The action a reminder is about, where it is about one.
    pub action: Option<ActionRef>,
    pub agency: Option<AgencySlug>,
    pub due_on: Option<NaiveDate>,
    pub enclosure: Enclosure,
    pub recipient: String,
    pub recipient_label: String,
    pub user_id: Option<i64>,
    pub status: OutboxStatus,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub reply: Option<String>,
    pub digest_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A clock's message for one day: a reminder, an escalation, or a still-overdue line
/// for the digest (`digest_only`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockNotice {
    pub notice: Notice,
    pub clock: ClockOf,
    pub agency: Option<AgencySlug>,
    pub due: NaiveDate,
    pub to: Vec<Audience>,
    pub digest_only: bool,
}

/// What a clock's message is about: a step of the process, or one of the case's actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockOf {
    Step(StepKey),
    Action(ActionRef),
}

impl OutboxMessage {
    /// The clock the message is about, in words: the step ("Agency return"), or the
    /// action ("Immediate action 2").
    pub fn clock_label(&self) -> Option<String> {
        match (self.step, self.action) {
            (Some(step), _) => Some(step.label().to_owned()),
            (None, Some(action)) => Some(action.label()),
            (None, None) => None,
        }
    }
}

/// `SELECT` of whole outbox rows (`o`) with their case's reference, then `$rest`.
macro_rules! select_messages {
    ($rest:literal) => {
        concat!(
            "SELECT o.id, o.notice, o.case_id, c.reference, o.event_version, o.step, o.action, o.agency, o.due_on,
                o.enclosure, o.recipient, o.recipient_label, o.user_id, o.status, o.attempts, o.next_attempt_at,
                o.last_error, o.reply, o.digest_id, o.created_at, o.sent_at
             FROM outbox o LEFT JOIN cases c ON c.id = o.case_id ",
            $rest
        )
    };
}
use select_messages;

fn keyed<T>(text: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    parse(text).ok_or_else(|| StoreError::corrupt(format!("unknown outbox value {text}")))
}

fn message_from_row(row: &AnyRow) -> Result<OutboxMessage, StoreError> {
    let agency: Option<String> = row.try_get("agency")?;
    let step: Option<String> = row.try_get("step")?;
    let action: Option<String> = row.try_get("action")?;
    let version: Option<i64> = row.try_get("event_version")?;
    let sent_at: Option<String> = row.try_get("sent_at")?;
    Ok(OutboxMessage {
        id: row.try_get("id")?,
        notice: keyed(&row.try_get::<String, _>("notice")?, Notice::parse)?,
        case_id: row.try_get("case_id")?,
        case_reference: row.try_get("reference")?,
        event_version: version.and_then(|v| u32::try_from(v).ok()),
        step: step.as_deref().map(|s| keyed(s, StepKey::parse)).transpose()?,
        action: action.as_deref().map(|a| keyed(a, ActionRef::parse)).transpose()?,
        agency: agency
            .map(AgencySlug::try_from)
            .transpose()
            .map_err(StoreError::corrupt)?,
        due_on: opt_date(row.try_get("due_on")?)?,
        enclosure: keyed(&row.try_get::<String, _>("enclosure")?, Enclosure::parse)?,
        recipient: row.try_get("recipient")?,
        recipient_label: row.try_get("recipient_label")?,
        user_id: row.try_get("user_id")?,
        status: keyed(&row.try_get::<String, _>("status")?, OutboxStatus::parse)?,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        next_attempt_at: parse_timestamp(&row.try_get::<String, _>("next_attempt_at")?)?,
        last_error: row.try_get("last_error")?,
        reply: row.try_get("reply")?,
        digest_id: row.try_get("digest_id")?,
        created_at: parse_timestamp(&row.try_get::<String, _>("created_at")?)?,
        sent_at: sent_at.as_deref().map(parse_timestamp).transpose()?,
    })
}
