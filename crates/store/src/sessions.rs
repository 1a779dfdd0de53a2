//! Browser sessions. The cookie holds a random value; the database keeps its SHA-256,
//! the user and a per-session form token. A session ends when its user signs out or
//! after it has been idle for longer than the service allows.

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

use crate::rows::{parse_timestamp, random_hex, sha256_hex, timestamp};
use crate::users::User;
use crate::{Store, StoreError};

/// A live session: who, and the token its forms must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf: String,
}

/// A session just made: the cookie value is shown once and never stored.
#[derive(Clone)]
pub struct NewSession {
    pub cookie: String,
    pub csrf: String,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewSession { .. }")
    }
}

impl Store {
    pub async fn create_session(&self, user: &User, at: DateTime<Utc>) -> Result<NewSession, StoreError> {
        let cookie = random_hex()?;
        let csrf = random_hex()?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(sha256_hex(cookie.as_bytes()))
        .bind(user.id)
        .bind(&csrf)
        .bind(timestamp(at))
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        Ok(NewSession { cookie, csrf })
    }

    /// The session for a cookie value, if it is live; touches it so that it stays live.
    pub async fn session(
        &self,
        cookie: &str,
        now: DateTime<Utc>,
        idle: Duration,
    ) -> Result<Option<Session>, StoreError> {
        if cookie.len() != 64 || !cookie.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let hash = sha256_hex(cookie.as_bytes());
        let row = sqlx::query(
            "SELECT s.csrf, s.last_seen_at, u.id, u.email, u.name, u.role, u.partner, u.agency, u.disabled
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let last_seen = parse_timestamp(&row.try_get::<String, _>("last_seen_at")?)?;
        let user = crate::users::user_from_row(&row)?;
        if now - last_seen > idle || user.disabled {
            self.end_session(cookie).await?;
            return Ok(None);
        }
        // Touch at most once a minute: reads stay reads.
        if now - last_seen > Duration::minutes(1) {
            let mut tx = self.begin_write().await?;
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(timestamp(now))
                .bind(&hash)
                .execute(&mut *tx.tx)
                .await?;
            tx.commit().await?;
        }
        Ok(Some(Session {
            user,
            csrf: row.try_get("csrf")?,
        }))
    }

    pub async fn end_session(&self, cookie: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(cookie.as_bytes()))
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }
}
