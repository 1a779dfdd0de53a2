//! The lock a running service holds on its database, so that `restore` can tell it is
//! running and refuse, instead of replacing a database under it (whose writes would
//! then go to a deleted file, acknowledged and lost).
//!
//! - SQLite: a shared `flock` on the database file, held by every `serve`; `restore`
//!   asks for it exclusively without waiting. (SQLite's own locks are POSIX record
//!   locks, which `flock` does not touch.)
//! - PostgreSQL: a shared advisory lock held on a connection of its own by every
//!   instance; `restore` asks for it exclusively without waiting, and holds it while
//!   it replaces the database, so no instance starts in the middle.

use std::path::Path;

use sqlx::Connection;

use crate::{Backend, DatabaseUrl, StoreError};

/// Arbitrary key of the PostgreSQL advisory lock that running services share.
const SERVICE_LOCK: i64 = 727_200_002;

/// A lock on the database, released when dropped.
#[derive(Debug)]
pub struct DatabaseLock {
    _file: Option<std::fs::File>,
    _connection: Option<sqlx::AnyConnection>,
}

fn running(url: &DatabaseUrl) -> StoreError {
    StoreError::Conflict {
        field: "--database".into(),
        message: format!(
            "a Rapid Review service is running on {url} (it holds the database's lock): stop every instance first, then restore"
        ),
    }
}

fn restoring(url: &DatabaseUrl) -> StoreError {
    StoreError::Conflict {
        field: "--database".into(),
        message: format!(
            "{url} is being restored (the restore holds the database's lock): start the service once it ends"
        ),
    }
}

fn open_file(path: &Path) -> Result<Option<std::fs::File>, StoreError> {
    match std::fs::File::open(path) {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::Keys(format!("{}: {e}", path.display()))),
    }
}

impl DatabaseLock {
    /// The service's share of the lock: refused while a restore holds it.
    pub async fn for_service(url: &DatabaseUrl) -> Result<DatabaseLock, StoreError> {
        match url.backend() {
            Backend::Sqlite => {
                let file = url.sqlite_file().map(|p| open_file(&p)).transpose()?.flatten();
                if let Some(f) = &file {
                    f.try_lock_shared().map_err(|_| restoring(url))?;
                }
                Ok(DatabaseLock {
                    _file: file,
                    _connection: None,
                })
            }
            Backend::Postgres => {
                let mut conn = connect(url).await?;
                let (got,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock_shared($1)")
                    .bind(SERVICE_LOCK)
                    .fetch_one(&mut conn)
                    .await?;
                if !got {
                    return Err(restoring(url));
                }
                Ok(DatabaseLock {
                    _file: None,
                    _connection: Some(conn),
                })
            }
        }
    }

    /// The whole lock, for a restore: refused while any service holds its share.
    pub async fn for_restore(url: &DatabaseUrl) -> Result<DatabaseLock, StoreError> {
        match url.backend() {
            Backend::Sqlite => {
                let file = url.sqlite_file().map(|p| open_file(&p)).transpose()?.flatten();
                if let Some(f) = &file {
                    f.try_lock().map_err(|_| running(url))?;
                }
                Ok(DatabaseLock {
                    _file: file,
                    _connection: None,
                })
            }
            Backend::Postgres => {
                let mut conn = connect(url).await?;
                let (got,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock($1)")
                    .bind(SERVICE_LOCK)
                    .fetch_one(&mut conn)
                    .await?;
                if !got {
                    return Err(running(url));
                }
                Ok(DatabaseLock {
                    _file: None,
                    _connection: Some(conn),
                })
            }
        }
    }
}

async fn connect(url: &DatabaseUrl) -> Result<sqlx::AnyConnection, StoreError> {
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(&url.connect_string())
        .await
        .map_err(|e| StoreError::Connect(crate::database_url::explain_connect_error(url, &e)))
}
