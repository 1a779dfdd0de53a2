//! Backups and their checks. A SQLite database is copied online and consistently with
//! `VACUUM INTO`; a PostgreSQL one with `pg_dump` (run by the command line) inside an
//! exported snapshot, so that the counts in the manifest describe exactly what was
//! dumped. The plain copy is sealed at once (see [`crate::seal`]). Before a restore
//! replaces anything, the unsealed copy is checked against its manifest: its schema is
//! one this build knows and the one sealed, every table holds the rows counted, and its
//! audit chain is intact from the first row to the head sealed (under the key file's
//! audit key, without the live anchor, which belongs to the database being replaced).

use std::collections::BTreeMap;

use sqlx::Row;

use crate::anchor::Head;
use crate::audit::ChainReport;
use crate::seal::{CopyFacts, Manifest, ManifestHead};
use crate::{Backend, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS, Store, StoreError};

/// What a check of a copy found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyCheck {
    /// The newest migration this build knows.
    pub known_schema: i64,
    /// What the copy holds.
    pub facts: CopyFacts,
    pub chain: ChainReport,
    /// Cases whose own chain of events does not verify, and account rows that fail
    /// their MAC, with why.
    pub broken_cases: Vec<(String, String)>,
}

impl CopyCheck {
    /// Why the copy must not be restored under `manifest`, if it must not.
    pub fn refusal(&self, manifest: &Manifest) -> Option<String> {
        let facts = &self.facts;
        if facts.schema > self.known_schema {
            return Some(format!(
                "its schema (migration {}) is newer than this build knows (migration {}): restore it with a newer rapid-review",
                facts.schema, self.known_schema
            ));
        }
        if manifest.backend != facts.backend || manifest.schema != facts.schema {
            return Some(format!(
                "it holds a {} database at migration {}, but its manifest says {} at migration {}",
                facts.backend, facts.schema, manifest.backend, manifest.schema
            ));
        }
        let names = facts.tables.keys().chain(manifest.tables.keys());
        for name in names {
            let (found, sealed) = (facts.tables.get(name), manifest.tables.get(name));
            if found != sealed {
                let count = |n: Option<&i64>| n.map_or_else(|| "no table".to_owned(), |n| format!("{n} rows"));
                return Some(format!(
                    "table {name} holds {} but its manifest counted {}",
                    count(found),
                    count(sealed)
                ));
            }
        }
        if let Some((seq, why)) = &self.chain.first_broken {
            return Some(format!(
                "its audit chain is broken at row {seq}: {why} (a copy that was changed, or made under another key file)"
            ));
        }
        if facts.audit_head.as_ref().map(ManifestHead::from) != manifest.audit_head {
            let seq = |h: Option<i64>| h.map_or_else(|| "no row".to_owned(), |s| format!("row {s}"));
            return Some(format!(
                "its audit chain ends at {} but its manifest sealed {}",
                seq(facts.audit_head.as_ref().map(|h| h.seq)),
                seq(manifest.audit_head.as_ref().map(|h| h.seq))
            ));
        }
        self.broken_cases.first().map(|(case, why)| {
            format!(
                "the history of case {case} does not verify: {why} ({} case(s) in all)",
                self.broken_cases.len()
            )
        })
    }
}

/// Whether `name` is a plain table name: letters, digits and underscores.
fn plain_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 63 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// What the database on `conn` holds: schema, rows per table, the audit head.
async fn facts_on(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    taken_at: chrono::DateTime<chrono::Utc>,
) -> Result<CopyFacts, StoreError> {
    let list = match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT CAST(tablename AS TEXT) AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        }
    };
    let names: Vec<String> = sqlx::query(list)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("name"))
        .collect::<Result<_, _>>()?;
    let mut tables = BTreeMap::new();
    for name in names.into_iter().filter(|n| plain_name(n)) {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM \"{name}\""
        )))
        .fetch_one(&mut *conn)
        .await?;
        tables.insert(name, row.try_get::<i64, _>("n")?);
    }
    let schema = if tables.contains_key("_sqlx_migrations") {
        sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await?
            .try_get("v")?
    } else {
        0
    };
    let audit_head = if tables.contains_key("audit") {
        sqlx::query("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?
            .map(|row| -> Result<Head, StoreError> {
                Ok(Head {
                    seq: row.try_get("seq")?,
                    mac: row.try_get("mac")?,
                })
            })
            .transpose()?
    } else {
        None
    };
    Ok(CopyFacts {
        backend: backend.name().to_owned(),
        schema,
        tables,
        audit_head,
        taken_at,
    })
}

/// A PostgreSQL snapshot held open while `pg_dump --snapshot` copies it, with what it
/// holds. Dropping it ends the snapshot.
#[derive(Debug)]
pub struct DumpSnapshot {
    _tx: sqlx::Transaction<'static, sqlx::Any>,
    /// The snapshot's id, for `pg_dump --snapshot`.
    pub id: String,
    pub facts: CopyFacts,
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

    /// What this database holds now: for the manifest of a copy that nothing writes to.
    pub async fn copy_facts(&self, taken_at: chrono::DateTime<chrono::Utc>) -> Result<CopyFacts, StoreError> {
        let mut conn = self.pool.acquire().await?;
        facts_on(&mut conn, self.backend, taken_at).await
    }

    /// Opens a read-only PostgreSQL snapshot and exports it, with what it holds, so
    /// that `pg_dump --snapshot` copies exactly what was counted.
    pub async fn export_snapshot(&self, taken_at: chrono::DateTime<chrono::Utc>) -> Result<DumpSnapshot, StoreError> {
        if self.backend != Backend::Postgres {
            return Err(StoreError::Conflict {
                field: "--database".into(),
                message: "only PostgreSQL exports snapshots".into(),
            });
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let id: String = sqlx::query("SELECT pg_export_snapshot() AS id")
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
        let facts = facts_on(&mut tx, self.backend, taken_at).await?;
        Ok(DumpSnapshot { _tx: tx, id, facts })
    }

    /// Checks this database as a copy to restore: what it holds, its whole audit chain
    /// without the anchor, and every case's chain of events.
    pub async fn check_copy(&self, taken_at: chrono::DateTime<chrono::Utc>) -> Result<CopyCheck, StoreError> {
        Ok(CopyCheck {
            known_schema: self.known_schema_version(),
            facts: self.copy_facts(taken_at).await?,
            chain: self.verify_audit_chain_unanchored().await?,
            broken_cases: self
                .verify_case_chains()
                .await?
                .into_iter()
                .map(|c| (c.reference, c.why))
                .chain(
                    self.verify_account_rows()
                        .await?
                        .into_iter()
                        .map(|a| ("(accounts)".to_owned(), a)),
                )
                .collect(),
        })
    }
}
