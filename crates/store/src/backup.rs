//! Backups and their checks. A SQLite database is copied online and consistently with
//! `VACUUM INTO`; a PostgreSQL one with `pg_dump` (run by the command line). Before a
//! restore replaces anything, the copy is checked: its schema is one this build knows,
//! and its audit chain is intact from the first row to the last (under the key file's
//! audit key, without the live anchor, which belongs to the database being replaced).

use sqlx::Row;

use crate::audit::ChainReport;
use crate::{Backend, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS, Store, StoreError};

/// What a check of a copy found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyCheck {
    /// The newest migration applied to the copy.
    pub schema: i64,
    /// The newest migration this build knows.
    pub known_schema: i64,
    pub chain: ChainReport,
}

impl CopyCheck {
    /// Why the copy must not be restored, if it must not.
    pub fn refusal(&self) -> Option<String> {
        if self.schema > self.known_schema {
            return Some(format!(
                "its schema (migration {}) is newer than this build knows (migration {}): restore it with a newer rapid-review",
                self.schema, self.known_schema
            ));
        }
        self.chain.first_broken.as_ref().map(|(seq, why)| {
            format!(
                "its audit chain is broken at row {seq}: {why} (a copy that was changed, or made under another key file)"
            )
        })
    }
}

/// A database name safe to put in SQL: letters, digits and underscores, 1 to 63.
fn identifier(name: &str) -> Result<&str, StoreError> {
    if !name.is_empty() && name.len() <= 63 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Ok(name)
    } else {
        Err(StoreError::Conflict {
            field: "database".into(),
            message: format!(
                "\"{}\" is not a plain database name",
                name.chars().take(63).collect::<String>()
            ),
        })
    }
}

impl Store {
    /// Writes a consistent copy of this SQLite database to `to` while the service runs.
    /// `to` must not exist yet.
    pub async fn backup_sqlite(&self, to: &std::path::Path) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Conflict {
                field: "--database".into(),
                message: "VACUUM INTO copies a SQLite database; back PostgreSQL up with pg_dump".into(),
            });
        }
        if to.exists() {
            return Err(StoreError::Conflict {
                field: "--to".into(),
                message: format!("{} already exists; choose a new file", to.display()),
            });
        }
        let target = to.to_string_lossy().to_string();
        sqlx::query("VACUUM INTO $1").bind(target).execute(&self.pool).await?;
        Ok(())
    }

    /// Creates database `name` on this PostgreSQL server (a scratch database to check
    /// a backup in). The name is letters, digits and underscores only.
    pub async fn create_database(&self, name: &str) -> Result<(), StoreError> {
        let name = identifier(name)?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Drops database `name` on this PostgreSQL server, if it is there.
    pub async fn drop_database_if_exists(&self, name: &str) -> Result<(), StoreError> {
        let name = identifier(name)?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
        )))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The newest migration applied to this database (0 for none).
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("v")?)
    }

    /// The newest migration this build knows for this backend.
    pub fn known_schema_version(&self) -> i64 {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// Checks this database as a copy to restore: its schema and its whole audit chain,
    /// without the anchor.
    pub async fn check_copy(&self) -> Result<CopyCheck, StoreError> {
        Ok(CopyCheck {
            schema: self.schema_version().await?,
            known_schema: self.known_schema_version(),
            chain: self.verify_audit_chain_unanchored().await?,
        })
    }
}
