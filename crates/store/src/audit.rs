//! The audit trail: one row for every read and write of case data, hash-chained so that
//! a row edited or removed by hand breaks the chain at that point. Appends are
//! serialised (SQLite: the writer queue; PostgreSQL: an advisory lock) because each row
//! carries the hash of the one before.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::rows::{sha256_hex, timestamp};
use crate::{Backend, Store, StoreError, WriteTx};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Arbitrary key of the PostgreSQL advisory lock that orders audit appends.
const AUDIT_LOCK: i64 = 727_200_001;

/// What happened: who did it, to which case, through which route, and the outcome.
/// It never holds case content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub action: String,
    pub case_id: Option<String>,
    pub outcome: String,
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub rows: u64,
    /// The first row whose link is broken, and why.
    pub first_broken: Option<(i64, String)>,
}

fn link_hash(seq: i64, at: &str, actor: &str, action: &str, case_id: &str, outcome: &str, prev: &str) -> String {
    // Lengths before each field keep "a|b" + "c" apart from "a" + "b|c".
    let fields = [at, actor, action, case_id, outcome, prev];
    let mut text = seq.to_string();
    for f in fields {
        text.push_str(&format!("|{}:{f}", f.len()));
    }
    sha256_hex(text.as_bytes())
}

impl Store {
    /// Appends an audit row in its own transaction.
    ///
    /// On PostgreSQL this commit does not wait for the disk flush: a crash may lose the
    /// last moments' read rows (never corrupt the chain), as SQLite's WAL with
    /// `synchronous = NORMAL` may. Audit rows of changes commit with their change.
    pub async fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if tx.backend == Backend::Postgres {
            sqlx::query("SET LOCAL synchronous_commit = off")
                .execute(&mut *tx.tx)
                .await?;
        }
        append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// Checks every link of the chain, oldest first.
    pub async fn verify_audit_chain(&self) -> Result<ChainReport, StoreError> {
        const PAGE: i64 = 10_000;
        let mut prev = GENESIS.to_owned();
        let mut expected_seq = 1i64;
        let mut rows = 0u64;
        loop {
            let page = sqlx::query(
                "SELECT seq, at, actor, action, case_id, outcome, prev_hash, hash FROM audit
                 WHERE seq >= $1 ORDER BY seq LIMIT $2",
            )
            .bind(expected_seq)
            .bind(PAGE)
            .fetch_all(&self.pool)
            .await?;
            if page.is_empty() {
                break;
            }
            for row in &page {
                let seq: i64 = row.try_get("seq")?;
                let actor: Option<String> = row.try_get("actor")?;
                let case_id: Option<String> = row.try_get("case_id")?;
                let stored_prev: String = row.try_get("prev_hash")?;
                let stored_hash: String = row.try_get("hash")?;
                let broken = |why: String| {
                    Ok(ChainReport {
                        rows,
                        first_broken: Some((seq, why)),
                    })
                };
                if seq != expected_seq {
                    return broken(format!("row {expected_seq} is missing"));
                }
                if stored_prev != prev {
                    return broken("its prev_hash does not match the hash of the row before".into());
                }
                let computed = link_hash(
                    seq,
                    &row.try_get::<String, _>("at")?,
                    actor.as_deref().unwrap_or(""),
                    &row.try_get::<String, _>("action")?,
                    case_id.as_deref().unwrap_or(""),
                    &row.try_get::<String, _>("outcome")?,
                    &stored_prev,
                );
                if computed != stored_hash {
                    return broken("its contents do not match its hash (edited after it was written)".into());
                }
                prev = stored_hash;
                expected_seq += 1;
                rows += 1;
            }
        }
        Ok(ChainReport {
            rows,
            first_broken: None,
        })
    }

    /// How many audit rows mention a case; for tests and the case page.
    pub async fn audit_rows_for_case(&self, case_id: &str) -> Result<Vec<(String, String, String)>, StoreError> {
        let rows = sqlx::query("SELECT actor, action, outcome FROM audit WHERE case_id = $1 ORDER BY seq")
            .bind(case_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get::<Option<String>, _>("actor")?.unwrap_or_default(),
                    r.try_get("action")?,
                    r.try_get("outcome")?,
                ))
            })
            .collect()
    }
}

/// Appends an audit row inside `tx`.
pub(crate) async fn append(tx: &mut WriteTx<'_>, entry: &AuditEntry) -> Result<(), StoreError> {
    if tx.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AUDIT_LOCK)
            .execute(&mut *tx.tx)
            .await?;
    }
    let last = sqlx::query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *tx.tx)
        .await?;
    let (seq, prev) = match last {
        Some(row) => (row.try_get::<i64, _>("seq")? + 1, row.try_get::<String, _>("hash")?),
        None => (1, GENESIS.to_owned()),
    };
    let at = timestamp(entry.at);
    let actor = entry.actor.clone().unwrap_or_default();
    let case_id = entry.case_id.clone().unwrap_or_default();
    let hash = link_hash(seq, &at, &actor, &entry.action, &case_id, &entry.outcome, &prev);
    sqlx::query(
        "INSERT INTO audit (seq, at, actor, action, case_id, outcome, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(seq)
    .bind(at)
    .bind(entry.actor.clone())
    .bind(&entry.action)
    .bind(entry.case_id.clone())
    .bind(&entry.outcome)
    .bind(prev)
    .bind(hash)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}
