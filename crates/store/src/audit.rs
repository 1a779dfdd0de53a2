//! The audit trail: one row for every read and write of case data and for every
//! sign-in, sign-out and administrative action. Rows form a chain: each carries the MAC
//! of the one before, and its own MAC is an HMAC-SHA256 under a key from the key file
//! (never in the database). Editing or deleting a row, even re-chaining every row after
//! it, breaks the chain at that row for anyone without the key; cutting rows off the
//! end is caught by the anchor file (see [`crate::anchor`]).
//!
//! Appends are serialised (SQLite: the writer queue; PostgreSQL: an advisory lock)
//! because each row depends on the one before.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::anchor::{Head, Recorded};
use crate::rows::{hmac_sha256_hex, sha256_hex, timestamp};
use crate::{Backend, Store, StoreError, WriteTx};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Arbitrary key of the PostgreSQL advisory lock that orders audit appends.
const AUDIT_LOCK: i64 = 727_200_001;

/// What happened: who did it, what to (a user, a token, a setting), to which case,
/// through which route or action, and the outcome. It never holds case content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    pub case_id: Option<String>,
    pub outcome: String,
}

impl AuditEntry {
    /// An entry about no case in particular: sign-ins, administration.
    pub fn about(at: DateTime<Utc>, actor: Option<&str>, action: &str, subject: Option<&str>, outcome: &str) -> Self {
        AuditEntry {
            at,
            actor: actor.map(str::to_owned),
            action: action.to_owned(),
            subject: subject.map(str::to_owned),
            case_id: None,
            outcome: outcome.to_owned(),
        }
    }
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Intact rows of the keyed chain, before the first broken one.
    pub rows: u64,
    /// Rows written before the chain was keyed (SHA-256 links), all intact.
    pub legacy_rows: u64,
    /// The first broken row, and why.
    pub first_broken: Option<(i64, String)>,
    /// Whether an anchor file was there to check the chain's end against.
    pub anchored: bool,
    /// Why the anchor could not be used, when the chain has rows it should describe:
    /// the file is missing, not an anchor, or fails its MAC. `audit verify` fails.
    pub anchor_problem: Option<String>,
}

impl ChainReport {
    /// Whether the chain, and its end against the anchor, check out.
    pub fn intact(&self) -> bool {
        self.first_broken.is_none() && self.anchor_problem.is_none()
    }
}

/// The fields a row's MAC covers, in order. Lengths before each field keep "a|b" + "c"
/// apart from "a" + "b|c".
fn link_text(seq: i64, fields: [&str; 7]) -> String {
    let mut text = seq.to_string();
    for f in fields {
        text.push('|');
        text.push_str(&f.len().to_string());
        text.push(':');
        text.push_str(f);
    }
    text
}

impl Store {
    /// Checks every link of the chain, oldest first, and its end against the anchor.
    pub async fn verify_audit_chain(&self) -> Result<ChainReport, StoreError> {
        let (head, problem) = match self.anchor.as_deref().map(|a| (a, a.read())) {
            None => (None, None),
            Some((_, Recorded::Head(head))) => (Some(head), None),
            Some((a, Recorded::Missing)) => (
                None,
                Some(format!("there is no audit anchor file at {}", a.path().display())),
            ),
            Some((_, Recorded::Unreadable(why))) => (None, Some(why)),
        };
        let mut report = self.verify_chain_against(head.as_ref()).await?;
        if report.rows + report.legacy_rows > 0 {
            report.anchor_problem = problem;
        }
        Ok(report)
    }

    /// Points the anchor at the chain's current end, deliberately: for an anchor that
    /// was lost or damaged. Refused unless the chain itself is intact; the act is
    /// audited (`entry`), and that row moves the anchor on.
    pub async fn accept_current_anchor(&self, entry: &AuditEntry) -> Result<ChainReport, StoreError> {
        let report = self.verify_audit_chain_unanchored().await?;
        if let Some((seq, why)) = &report.first_broken {
            return Err(StoreError::Conflict {
                field: "audit chain".into(),
                message: format!("broken at row {seq}: {why}; a broken chain cannot be re-anchored"),
            });
        }
        self.reanchor().await?;
        let mut tx = self.begin_write().await?;
        append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(report)
    }

    /// Checks every link of the chain, oldest first, without the anchor: for a copy,
    /// whose end the live anchor does not describe.
    pub async fn verify_audit_chain_unanchored(&self) -> Result<ChainReport, StoreError> {
        self.verify_chain_against(None).await
    }

    async fn verify_chain_against(&self, anchor: Option<&Head>) -> Result<ChainReport, StoreError> {
        let legacy_rows = match self.verify_legacy_chain().await? {
            Ok(rows) => rows,
            Err((seq, why)) => {
                return Ok(ChainReport {
                    rows: 0,
                    legacy_rows: 0,
                    first_broken: Some((seq, format!("{why} (in the chain written before it was keyed)"))),
                    anchored: false,
                    anchor_problem: None,
                });
            }
        };
        let mut report = self.verify_keyed_chain(anchor).await?;
        report.legacy_rows = legacy_rows;
        report.anchored = anchor.is_some();
        Ok(report)
    }

    /// Points the anchor at the chain's last row, even if that is behind it: after a
    /// restore, whose chain was checked, the anchor describes the restored database.
    pub async fn reanchor(&self) -> Result<(), StoreError> {
        let Some(anchor) = &self.anchor else { return Ok(()) };
        anchor.reset(self.audit_head().await?.as_ref())
    }

    /// The chain's last row, if it has one.
    pub async fn audit_head(&self) -> Result<Option<Head>, StoreError> {
        let last = sqlx::query("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        last.map(|row| {
            Ok(Head {
                seq: row.try_get("seq")?,
                mac: row.try_get("mac")?,
            })
        })
        .transpose()
    }

    async fn verify_keyed_chain(&self, anchor: Option<&Head>) -> Result<ChainReport, StoreError> {
        const PAGE: i64 = 10_000;
        let mut prev = GENESIS.to_owned();
        let mut expected_seq = 1i64;
        let mut rows = 0u64;
        let report = |rows, broken: Option<(i64, String)>| ChainReport {
            rows,
            legacy_rows: 0,
            first_broken: broken,
            anchored: false,
            anchor_problem: None,
        };
        loop {
            let page = sqlx::query(
                "SELECT seq, at, actor, action, subject, case_id, outcome, prev_mac, mac FROM audit
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
                if let Some(broken) = self.check_link(row, expected_seq, &prev, anchor)? {
                    return Ok(report(rows, Some(broken)));
                }
                prev = row.try_get("mac")?;
                expected_seq += 1;
                rows += 1;
            }
        }
        let last = expected_seq - 1;
        if let Some(head) = anchor
            && head.seq > last
        {
            return Ok(report(
                rows,
                Some((
                    last + 1,
                    format!(
                        "the chain ends at row {last} but the anchor file records row {}: rows {} to {} were removed",
                        head.seq,
                        last + 1,
                        head.seq
                    ),
                )),
            ));
        }
        Ok(report(rows, None))
    }

    /// Checks one row against the chain so far: `Some((seq, why))` if it is broken.
    fn check_link(
        &self,
        row: &AnyRow,
        expected_seq: i64,
        prev: &str,
        anchor: Option<&Head>,
    ) -> Result<Option<(i64, String)>, StoreError> {
        let seq: i64 = row.try_get("seq")?;
        let stored_prev: String = row.try_get("prev_mac")?;
        let stored_mac: String = row.try_get("mac")?;
        let why = if seq != expected_seq {
            return Ok(Some((expected_seq, "this row is missing".into())));
        } else if stored_prev != prev {
            "its prev_mac does not match the MAC of the row before"
        } else if self.row_mac(row, seq, &stored_prev)? != stored_mac {
            "its contents do not match its MAC (changed after it was written)"
        } else if anchor.is_some_and(|head| head.seq == seq && head.mac != stored_mac) {
            "it is not the row the anchor file recorded (the chain was rewritten)"
        } else {
            return Ok(None);
        };
        Ok(Some((seq, why.into())))
    }

    fn row_mac(&self, row: &AnyRow, seq: i64, prev: &str) -> Result<String, StoreError> {
        let text = |name: &str| -> Result<String, StoreError> {
            Ok(row.try_get::<Option<String>, _>(name)?.unwrap_or_default())
        };
        let (at, actor, action, subject, case_id, outcome) = (
            text("at")?,
            text("actor")?,
            text("action")?,
            text("subject")?,
            text("case_id")?,
            text("outcome")?,
        );
        let fields = [at.as_str(), &actor, &action, &subject, &case_id, &outcome, prev];
        Ok(hmac_sha256_hex(&self.secrets.audit, link_text(seq, fields).as_bytes()))
    }

    /// The chain written before it was keyed: SHA-256 links, checked as before.
    async fn verify_legacy_chain(&self) -> Result<Result<u64, (i64, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, case_id, outcome, prev_hash, hash FROM audit_legacy ORDER BY seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut prev = GENESIS.to_owned();
        for (i, row) in rows.iter().enumerate() {
            let seq: i64 = row.try_get("seq")?;
            let expected = i64::try_from(i).unwrap_or(i64::MAX).saturating_add(1);
            if seq != expected {
                return Ok(Err((expected, "this row is missing".into())));
            }
            let get = |name: &str| -> Result<String, StoreError> {
                Ok(row.try_get::<Option<String>, _>(name)?.unwrap_or_default())
            };
            let mut text = seq.to_string();
            for f in [
                get("at")?,
                get("actor")?,
                get("action")?,
                get("case_id")?,
                get("outcome")?,
                prev.clone(),
            ] {
                text.push_str(&format!("|{}:{f}", f.len()));
            }
            let hash = get("hash")?;
            if get("prev_hash")? != prev || sha256_hex(text.as_bytes()) != hash {
                return Ok(Err((seq, "it does not match its hash".into())));
            }
            prev = hash;
        }
        Ok(Ok(rows.len() as u64))
    }

    /// How long the chain is: the last row's number (0 when empty).
    pub async fn audit_length(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS n FROM audit")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// The audit rows that mention a case: (actor, action, outcome), oldest first.
    pub async fn audit_rows_for_case(&self, case_id: &str) -> Result<Vec<(String, String, String)>, StoreError> {
        if !crate::rows::is_case_id(case_id) {
            return Ok(Vec::new());
        }
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

    /// The most recent audit rows about no case (sign-ins, administration), newest
    /// first: (at, actor, action, subject, outcome).
    pub async fn recent_account_audit(&self, limit: i64) -> Result<Vec<[String; 5]>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, actor, action, subject, outcome FROM audit WHERE case_id IS NULL ORDER BY seq DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let get = |n: &str| -> Result<String, StoreError> {
                    Ok(r.try_get::<Option<String>, _>(n)?.unwrap_or_default())
                };
                Ok([
                    get("at")?,
                    get("actor")?,
                    get("action")?,
                    get("subject")?,
                    get("outcome")?,
                ])
            })
            .collect()
    }
}

/// Appends an audit row inside `tx`; the anchor is moved when `tx` commits.
pub(crate) async fn append(tx: &mut WriteTx<'_>, entry: &AuditEntry) -> Result<(), StoreError> {
    append_all(tx, std::slice::from_ref(entry)).await
}

/// Rows one `INSERT` carries: nine parameters each, well under both backends' limits.
const ROWS_PER_INSERT: usize = 64;

/// Appends `entries` in order inside `tx`: the chain's head is read once and the rows
/// go in with a few multi-row inserts, so a batch of reads costs a handful of
/// statements rather than two per row.
pub(crate) async fn append_all(tx: &mut WriteTx<'_>, entries: &[AuditEntry]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    if tx.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AUDIT_LOCK)
            .execute(&mut *tx.tx)
            .await?;
    }
    let last = sqlx::query("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *tx.tx)
        .await?;
    let (mut seq, mut prev) = match last {
        Some(row) => (row.try_get::<i64, _>("seq")?, row.try_get::<String, _>("mac")?),
        None => (0, GENESIS.to_owned()),
    };
    for chunk in entries.chunks(ROWS_PER_INSERT) {
        let mut rows = Vec::with_capacity(chunk.len());
        for entry in chunk {
            seq += 1;
            let at = timestamp(entry.at);
            let opt = |v: &Option<String>| v.clone().unwrap_or_default();
            let fields = [
                at.as_str(),
                &opt(&entry.actor),
                &entry.action,
                &opt(&entry.subject),
                &opt(&entry.case_id),
                &entry.outcome,
                &prev,
            ];
            let mac = hmac_sha256_hex(&tx.secrets.audit, link_text(seq, fields).as_bytes());
            rows.push((seq, at, entry, std::mem::replace(&mut prev, mac.clone()), mac));
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(insert_rows_sql(rows.len())));
        for (seq, at, entry, prev_mac, mac) in rows {
            query = query
                .bind(seq)
                .bind(at)
                .bind(entry.actor.clone())
                .bind(entry.action.clone())
                .bind(entry.subject.clone())
                .bind(entry.case_id.clone())
                .bind(entry.outcome.clone())
                .bind(prev_mac)
                .bind(mac);
        }
        query.execute(&mut *tx.tx).await?;
    }
    tx.head = Some(Head { seq, mac: prev });
    Ok(())
}

/// `INSERT INTO audit … VALUES ($1, …, $9), ($10, …)` for `rows` rows: only numbered
/// placeholders, never values.
fn insert_rows_sql(rows: usize) -> String {
    let mut sql =
        String::from("INSERT INTO audit (seq, at, actor, action, subject, case_id, outcome, prev_mac, mac) VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..9 {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(row * 9 + column + 1).to_string());
        }
        sql.push(')');
    }
    sql
}
