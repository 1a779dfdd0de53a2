//! The store's errors. A database failure is never reported as "not found".

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached; the message says why in words an operator
    /// can act on (and never shows a password).
    #[error("could not connect to the database: {0}")]
    Connect(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("could not apply the migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value could not be read back; the data or the code is wrong.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A uniqueness or reference rule of the data, with the field at fault.
    #[error("{field}: {message}")]
    Conflict { field: String, message: String },
    /// The key file or the audit anchor could not be read or written.
    #[error("{0}")]
    Keys(String),
    /// Data whose MAC does not verify: changed outside the service. The message says
    /// what, and how to find every such row.
    #[error("{0}")]
    Tampered(String),
    /// A backup that must not be restored, and why.
    #[error("{0}")]
    Refused(String),
    #[error("password hashing failed")]
    PasswordHash,
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        StoreError::Corrupt(what.to_string())
    }

    pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
        match err {
            sqlx::Error::Database(db) => db.is_unique_violation() || db.message().contains("UNIQUE constraint failed"),
            _ => false,
        }
    }
}
