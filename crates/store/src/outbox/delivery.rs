//! Sending from the outbox: a worker claims a batch of due rows for a while (the
//! lease), sends them, and marks each sent once the SMTP server has accepted it, or
//! failed with the error and a time to try again. On PostgreSQL the claim skips rows
//! another instance holds (`FOR UPDATE SKIP LOCKED`), so no two send one row at once;
//! a lease that runs out (its instance died) frees the row for the others.

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

use super::{OutboxMessage, message_from_row, select_messages};
use crate::audit::{self, AuditEntry};
use crate::rows::{random_hex, timestamp};
use crate::{Backend, Store, StoreError};

/// How a worker claims rows.
#[derive(Debug, Clone)]
pub struct Claim {
    /// How long the rows are the worker's before others may take them.
    pub lease: Duration,
    /// The most rows in one claim.
    pub limit: i64,
}

impl Store {
    /// Claims up to `claim.limit` rows that are due to be sent at `now`, oldest first.
    pub async fn claim_outbox(&self, claim: &Claim, now: DateTime<Utc>) -> Result<Vec<OutboxMessage>, StoreError> {
        let token = random_hex()?;
        macro_rules! claim {
            ($lock:literal) => {
                concat!(
                    "UPDATE outbox SET claimed_until = $1, claimed_by = $2 WHERE id IN (
                         SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $3
                             AND (claimed_until IS NULL OR claimed_until < $3)
                         ORDER BY id LIMIT $4",
                    $lock,
                    ")"
                )
            };
        }
        let sql = match self.backend {
            Backend::Postgres => claim!(" FOR UPDATE SKIP LOCKED"),
            Backend::Sqlite => claim!(""),
        };
        let mut tx = self.begin_write().await?;
        sqlx::query(sql)
            .bind(timestamp(now + claim.lease))
            .bind(&token)
            .bind(timestamp(now))
            .bind(claim.limit)
            .execute(&mut *tx.tx)
            .await?;
        let rows = sqlx::query(select_messages!(
            "WHERE o.claimed_by = $1 AND o.status = 'queued' ORDER BY o.id"
        ))
        .bind(&token)
        .fetch_all(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        rows.iter().map(message_from_row).collect()
    }

    /// Records that the SMTP server accepted `message`, with its reply; audited.
    pub async fn mark_sent(&self, message: &OutboxMessage, reply: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.mark_all_sent(&[(message, reply.to_owned())], at, at).await
    }

    /// Records, in one transaction, that the SMTP server accepted each message, with
    /// its reply; each is audited at `at`, and shown as sent at `sent_at` (the same
    /// moment, dated on the business day).
    pub async fn mark_all_sent(
        &self,
        sent: &[(&OutboxMessage, String)],
        at: DateTime<Utc>,
        sent_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if sent.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (message, reply) in sent {
            sqlx::query(
                "UPDATE outbox SET status = 'sent', reply = $1, sent_at = $2, attempts = attempts + 1,
                     claimed_until = NULL, last_error = NULL WHERE id = $3",
            )
            .bind(reply.chars().take(500).collect::<String>())
            .bind(timestamp(sent_at))
            .bind(message.id)
            .execute(&mut *tx.tx)
            .await?;
            let entry = AuditEntry {
                at,
                actor: None,
                action: "message_sent".to_owned(),
                subject: Some(format!("outbox {} to {}", message.id, message.recipient)),
                case_id: message.case_id.clone(),
                outcome: "sent".to_owned(),
            };
            audit::append(&mut tx, &entry).await?;
        }
        tx.commit().await
    }

    /// Marks every message still waiting (queued or held for a digest) as already
    /// told, without sending it: for the demo's seeded history, which happened before
    /// the service started and must not be emailed. Audited once; returns how many.
    pub async fn mark_history_told(&self, entry: &AuditEntry) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE outbox SET status = 'sent', reply = 'not sent: seeded history, marked as already told',
                 sent_at = $1, claimed_until = NULL WHERE status IN ('queued', 'held')",
        )
        .bind(timestamp(entry.at))
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Records a failed attempt: tried again at `retry_at`, or failed for good with none.
    pub async fn mark_send_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE outbox SET status = $1, last_error = $2, attempts = attempts + 1, next_attempt_at = $3,
                 claimed_until = NULL WHERE id = $4",
        )
        .bind(if retry_at.is_some() { "queued" } else { "failed" })
        .bind(error.chars().take(500).collect::<String>())
        .bind(timestamp(retry_at.unwrap_or(at)))
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await
    }

    /// Puts a failed message back in the queue, for an administrator; audited.
    /// False if there is no failed message with that id.
    pub async fn retry_message(&self, id: i64, entry: &AuditEntry) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = $1, claimed_until = NULL
             WHERE id = $2 AND status = 'failed'",
        )
        .bind(timestamp(entry.at))
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Frees every claim: for a single instance on SQLite at start-up, whose claims can
    /// only be those of a process that is gone.
    pub async fn release_outbox_claims(&self) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("UPDATE outbox SET claimed_until = NULL, claimed_by = NULL WHERE claimed_until IS NOT NULL")
                .execute(&mut *tx.tx)
                .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// How many messages wait to be sent now (queued and due).
    pub async fn outbox_depth(&self, now: DateTime<Utc>) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1")
            .bind(timestamp(now))
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }
}
