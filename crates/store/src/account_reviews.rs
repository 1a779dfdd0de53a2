//! Administrators cannot make case readers quietly. An account that can see cases,
//! created or enabled again, is told to every Partnership Manager by email and waits
//! on her dashboard until she acknowledges it; and a new account without a password
//! gets a link to choose one by email, never shown to the administrator who made it.

use chrono::{DateTime, Utc};
use domain::roles::Role;
use sqlx::Row;

use crate::audit::{self, AuditEntry};
use crate::rows::timestamp;
use crate::{Store, StoreError, WriteTx};

/// A change to an account that can see cases, waiting for the Partnership Manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountReview {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// `created` or `enabled`.
    pub change: String,
    /// Who made the change.
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Notes `change` to user `user_id` (of `role`) by `by`, if the role sees cases, and
/// tells the Partnership Managers, inside `tx`.
pub(crate) async fn note(
    tx: &mut WriteTx<'_>,
    user_id: i64,
    role: Role,
    change: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if !role.may_see_cases() {
        return Ok(());
    }
    let row =
        sqlx::query("INSERT INTO account_reviews (user_id, change, by_actor, at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(user_id)
            .bind(change)
            .bind(by)
            .bind(timestamp(at))
            .fetch_one(&mut *tx.tx)
            .await?;
    crate::outbox::account_review(tx, row.try_get("id")?, user_id, at).await
}

impl Store {
    /// The account changes no Partnership Manager has acknowledged yet, oldest first,
    /// but those about `reader`'s own account: nobody checks their own.
    pub async fn pending_account_reviews(&self, reader: i64) -> Result<Vec<AccountReview>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, u.name, u.email, u.role, r.change, r.by_actor, r.at FROM account_reviews r
             JOIN users u ON u.id = r.user_id WHERE r.acknowledged_at IS NULL AND r.user_id <> $1 ORDER BY r.id",
        )
        .bind(reader)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get("role")?;
                Ok(AccountReview {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    email: r.try_get("email")?,
                    role: Role::parse(&role).ok_or_else(|| StoreError::corrupt(format!("unknown role {role}")))?,
                    change: r.try_get("change")?,
                    by: r.try_get("by_actor")?,
                    at: crate::rows::parse_timestamp(&r.try_get::<String, _>("at")?)?,
                })
            })
            .collect()
    }

    /// Acknowledges review `id` as user `reader`; false if there is no such review
    /// waiting for them (their own account's is not). Audited.
    pub async fn acknowledge_account_review(
        &self,
        id: i64,
        reader: i64,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE account_reviews SET acknowledged_at = $1, acknowledged_by = $2
             WHERE id = $3 AND acknowledged_at IS NULL AND user_id <> $4",
        )
        .bind(timestamp(entry.at))
        .bind(entry.actor.clone().unwrap_or_default())
        .bind(id)
        .bind(reader)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Emails user `user_id` a link to choose a password (made when it is sent, never
    /// shown to whoever asked for it). Audited.
    pub async fn send_password_link(&self, user_id: i64, entry: &AuditEntry) -> Result<(), StoreError> {
        let user = self.user_by_id(user_id).await?.ok_or_else(|| StoreError::Conflict {
            field: "user".into(),
            message: "no such user".into(),
        })?;
        let mut tx = self.begin_write().await?;
        crate::outbox::password_link(&mut tx, user.id, &user.email, &user.name, entry.at).await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await
    }
}
