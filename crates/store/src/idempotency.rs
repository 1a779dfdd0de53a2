//! Idempotency keys: a client that sends `Idempotency-Key` with a write and retries it
//! (after a time-out, or a 502 from a load balancer whose instance died after the
//! commit) gets the first answer again instead of a second case or step. As Stripe's
//! API does it: per user and key, for 24 hours; the same key with another request is
//! refused.
//!
//! The key is claimed inside the write's own transaction, so a write and its key land
//! together or not at all. The rendered answer is saved just after; if the service dies
//! in between, a retry is answered from the case as it now stands.

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

use crate::rows::timestamp;
use crate::{Store, StoreError, WriteTx};

/// How long a key's answer is kept.
pub const IDEMPOTENCY_HOURS: i64 = 24;

/// A key a write claims: whose, which, and what request it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyClaim {
    pub actor_id: i64,
    pub key: String,
    /// SHA-256 of the route and the request, hex.
    pub request_hash: String,
}

/// What the first request with a key was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentAnswer {
    pub request_hash: String,
    pub case_id: Option<String>,
    pub event_version: Option<i64>,
    pub status: u16,
    /// The body as sent, once saved.
    pub response: Option<String>,
}

/// Claims `claim` for the write in `tx` (case `case_id`, event `version`), answered
/// with `status`. A key claimed at the same moment by another request is a conflict.
pub(crate) async fn claim(
    tx: &mut WriteTx<'_>,
    claim: &IdempotencyClaim,
    case_id: &str,
    version: Option<i64>,
    status: u16,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(timestamp(at - Duration::hours(IDEMPOTENCY_HOURS)))
        .execute(&mut *tx.tx)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (actor_id, idem_key, request_hash, case_id, event_version, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(claim.actor_id)
    .bind(&claim.key)
    .bind(&claim.request_hash)
    .bind(case_id)
    .bind(version)
    .bind(i64::from(status))
    .bind(timestamp(at))
    .execute(&mut *tx.tx)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if StoreError::is_unique_violation(&e) => Err(StoreError::Conflict {
            field: "Idempotency-Key".into(),
            message: "another request with this key is being answered now: wait for it, then retry".into(),
        }),
        Err(e) => Err(e.into()),
    }
}

impl Store {
    /// The answer kept for `actor_id`'s `key`, if one was given in the last 24 hours.
    pub async fn idempotent_answer(
        &self,
        actor_id: i64,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<IdempotentAnswer>, StoreError> {
        let row = sqlx::query(
            "SELECT request_hash, case_id, event_version, status, response FROM idempotency_keys
             WHERE actor_id = $1 AND idem_key = $2 AND created_at >= $3",
        )
        .bind(actor_id)
        .bind(key)
        .bind(timestamp(now - Duration::hours(IDEMPOTENCY_HOURS)))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(IdempotentAnswer {
                request_hash: r.try_get("request_hash")?,
                case_id: r.try_get("case_id")?,
                event_version: r.try_get("event_version")?,
                status: u16::try_from(r.try_get::<i64, _>("status")?).unwrap_or(201),
                response: r.try_get("response")?,
            })
        })
        .transpose()
    }

    /// Keeps the body the first request with `actor_id`'s `key` was answered.
    pub async fn save_idempotent_response(&self, actor_id: i64, key: &str, response: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE idempotency_keys SET response = $1 WHERE actor_id = $2 AND idem_key = $3")
            .bind(response)
            .bind(actor_id)
            .bind(key)
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }
}
