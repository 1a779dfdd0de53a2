//! What every write of a case carries and how it can fail: who is writing, when, under
//! which calendar and rules, and the route to audit; and the refusal, conflict or
//! database error a write ends with. Read by the writes of `append`, `returns`,
//! `template` and `review_papers` alike, so none of them borrows it from another.

use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::Calendar;
use domain::deadlines::RuleSet;
use domain::process::Refusal;

use crate::StoreError;
use crate::user::User;

/// Who is writing, when, under which calendar and rules, and the route to audit.
#[derive(Debug, Clone, Copy)]
pub struct WriteContext<'a> {
    pub today: NaiveDate,
    pub at: DateTime<Utc>,
    pub calendar: &'a Calendar,
    pub rules: &'a RuleSet,
    pub actor: &'a User,
    pub action: &'a str,
    /// The client's `Idempotency-Key`, claimed with the write (see `idempotency`).
    pub idempotency: Option<&'a crate::IdempotencyClaim>,
}

/// Why a write of a case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    #[error("no such case")]
    NotFound,
    #[error("the case is at version {current}, not {expected}: reload it and try again")]
    VersionConflict { current: u32, expected: u32 },
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AppendError {
    fn from(e: sqlx::Error) -> Self {
        AppendError::Store(e.into())
    }
}
