//! What the outbox shows: the administrator's lists, who was told of a case's steps,
//! a digest's contents; and each user's choice of immediate messages or a digest.

use chrono::NaiveDate;
use sqlx::Row;

use super::{NotifyMode, OutboxMessage, OutboxStatus, message_from_row, select_messages};
use crate::audit::{self, AuditEntry};
use crate::rows::date;
use crate::{Store, StoreError};

/// Rows on one page of the administrator's list.
pub const OUTBOX_PAGE: i64 = 50;

/// How many messages have one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxCount {
    pub status: OutboxStatus,
    pub count: i64,
}

const LAST_PASS: &str = "reminders_last_pass";

impl Store {
    /// One page (from 1) of messages, newest first, with one status or all.
    pub async fn outbox_messages(
        &self,
        status: Option<OutboxStatus>,
        page: u32,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let offset = i64::from(page.max(1) - 1) * OUTBOX_PAGE;
        let rows = sqlx::query(select_messages!(
            "WHERE ($1 = '' OR o.status = $1) ORDER BY o.id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(status.map_or("", OutboxStatus::as_str))
        .bind(OUTBOX_PAGE)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(message_from_row).collect()
    }

    /// How many messages have each status, in the statuses' order.
    pub async fn outbox_counts(&self) -> Result<Vec<OutboxCount>, StoreError> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
            .fetch_all(&self.pool)
            .await?;
        let mut counts: Vec<OutboxCount> = OutboxStatus::ALL
            .iter()
            .map(|&status| OutboxCount { status, count: 0 })
            .collect();
        for row in &rows {
            let status: String = row.try_get("status")?;
            if let Some(c) = counts.iter_mut().find(|c| c.status.as_str() == status) {
                c.count = row.try_get("n")?;
            }
        }
        Ok(counts)
    }

    /// One message.
    pub async fn outbox_message(&self, id: i64) -> Result<Option<OutboxMessage>, StoreError> {
        let row = sqlx::query(select_messages!("WHERE o.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(message_from_row).transpose()
    }

    /// Every message about a case, oldest first: who was told of each step, and when.
    pub async fn case_messages(&self, case_id: &str) -> Result<Vec<OutboxMessage>, StoreError> {
        let rows = sqlx::query(select_messages!("WHERE o.case_id = $1 ORDER BY o.id"))
            .bind(case_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(message_from_row).collect()
    }

    /// The messages a digest carries, oldest first.
    pub async fn digest_items(&self, digest_id: i64) -> Result<Vec<OutboxMessage>, StoreError> {
        let rows = sqlx::query(select_messages!("WHERE o.digest_id = $1 ORDER BY o.id"))
            .bind(digest_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(message_from_row).collect()
    }

    /// How the user wants their messages.
    pub async fn notify_mode(&self, user_id: i64) -> Result<NotifyMode, StoreError> {
        let row = sqlx::query("SELECT notify FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        let mode: Option<String> = row.map(|r| r.try_get("notify")).transpose()?;
        Ok(mode
            .as_deref()
            .and_then(NotifyMode::parse)
            .unwrap_or(NotifyMode::Immediate))
    }

    /// Sets how the user wants their messages; audited.
    pub async fn set_notify_mode(&self, user_id: i64, mode: NotifyMode, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET notify = $1 WHERE id = $2")
            .bind(mode.as_str())
            .bind(user_id)
            .execute(&mut *tx.tx)
            .await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// The day of the last reminder pass, if there was one.
    pub async fn last_reminder_pass(&self) -> Result<Option<NaiveDate>, StoreError> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(LAST_PASS)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| date(&r.try_get::<String, _>("value")?)).transpose()
    }

    /// Records that the reminder pass of `day` has run.
    pub async fn record_reminder_pass(&self, day: NaiveDate) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(LAST_PASS)
        .bind(day.to_string())
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await
    }

    /// The ids of every open case, for the reminder pass.
    pub async fn open_case_ids(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT id FROM cases WHERE state <> 'closed' ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }
}
