//! The service layer: what the JSON API and the pages both do, written once. Each
//! function takes the state, the user and plain values, checks what the domain and the
//! roles allow, calls the store, and answers with values or a [`Refused`], which each
//! front end turns into its own format (JSON under `/api`, a GOV.UK page elsewhere).
//! Nothing here knows HTTP.

pub mod accounts;
pub mod administration;
pub mod agencies;
pub mod case_list;
pub mod case_read;
pub mod cases;
pub mod chronology;
pub mod dashboard;
pub mod discussions;
pub mod health;
pub mod idempotency;
pub mod letters;
pub mod me;
pub mod outbox;
pub mod papers;
pub mod reports;
pub mod requests;
pub mod returns;
pub mod review_papers;
pub mod sessions;
pub mod template;
pub mod types;

use domain::events::FieldError;
use store::{AppendError, StoreError};

/// Why the service did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// No such case, request or link (or one this user may not know exists).
    #[error("{0}")]
    NotFound(String),
    /// The user's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The process needs another step first; the message says which.
    #[error("{0}")]
    NotNow(String),
    /// A return link past its expiry.
    #[error("{0}")]
    Expired(String),
    /// Someone else changed the case since the user last saw it.
    #[error("{0}")]
    VersionConflict(String),
    /// A field is wrong; it names itself.
    #[error(transparent)]
    Invalid(FieldError),
    #[error(transparent)]
    Store(StoreError),
}

impl Refused {
    pub fn no_such_case() -> Refused {
        Refused::NotFound("no such case".into())
    }
}

impl From<StoreError> for Refused {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { field, message } => Refused::Invalid(FieldError::new(field, message)),
            other => Refused::Store(other),
        }
    }
}

impl From<FieldError> for Refused {
    fn from(e: FieldError) -> Self {
        Refused::Invalid(e)
    }
}

impl From<domain::process::Refusal> for Refused {
    fn from(r: domain::process::Refusal) -> Self {
        match r {
            domain::process::Refusal::NotAllowedNow(m) => Refused::NotNow(m),
            domain::process::Refusal::Invalid(f) => Refused::Invalid(f),
        }
    }
}

impl From<AppendError> for Refused {
    fn from(e: AppendError) -> Self {
        match e {
            AppendError::NotFound => Refused::no_such_case(),
            e @ AppendError::VersionConflict { .. } => Refused::VersionConflict(e.to_string()),
            AppendError::Refused(r) => r.into(),
            AppendError::Store(s) => s.into(),
        }
    }
}
