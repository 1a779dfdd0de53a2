//! API tokens: long random strings of which only a SHA-256 is kept. Each expires (90
//! days by default) and can be revoked; a disabled user's tokens stop working at once.

use chrono::{DateTime, Duration, Utc};
use rusqlite::ToSql;
use sqlx::Row;

use crate::audit::{self, AuditEntry};
use crate::cases::{CaseStamp, stamp_columns, stamp_from_row};
use crate::rows::is_case_id;
use crate::rows::{is_lookup_text, parse_timestamp, random_hex, sha256_hex, timestamp};
use crate::user::{User, user_columns};
use crate::{Store, StoreError};

/// How long a token lives unless told otherwise.
pub const DEFAULT_TOKEN_DAYS: i64 = 90;
/// The longest a token may live.
pub const MAX_TOKEN_DAYS: i64 = 3650;

/// A token as issued: the secret is shown once and never stored.
#[derive(Clone)]
pub struct IssuedToken {
    pub token: String,
    pub id: i64,
    pub user: User,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("id", &self.id)
            .field("user", &self.user.email)
            .finish_non_exhaustive()
    }
}

/// A token as administrators see it: never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: i64,
    pub email: String,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

impl TokenInfo {
    pub fn live(&self, now: DateTime<Utc>) -> bool {
        !self.revoked && self.expires_at.is_none_or(|e| e > now)
    }
}

fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// Checks a label: up to 100 characters, no control characters.
pub fn token_label(label: &str) -> Result<String, domain::events::FieldError> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 100 || label.chars().any(char::is_control) {
        return Err(domain::events::FieldError::new(
            "label",
            "give a label of 1 to 100 characters saying what the token is for",
        ));
    }
    Ok(label.to_owned())
}

impl Store {
    /// Issues a new API token for the user with `email`, living `days` days.
    pub async fn issue_token(
        &self,
        email: &str,
        label: &str,
        days: i64,
        entry: &AuditEntry,
    ) -> Result<IssuedToken, StoreError> {
        let no_user = || StoreError::Conflict {
            field: "email".into(),
            message: format!("no user with email {}", email.trim()),
        };
        let user = self.user_by_email(email).await?.ok_or_else(no_user)?;
        if user.disabled {
            return Err(StoreError::Conflict {
                field: "email".into(),
                message: format!("{} is disabled: enable the user first", user.email),
            });
        }
        let days = days.clamp(1, MAX_TOKEN_DAYS);
        let token = format!("rr_{}", random_hex()?);
        let expires_at = entry.at + Duration::days(days);
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO api_tokens (user_id, label, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
             RETURNING id",
        )
        .bind(user.id)
        .bind(label)
        .bind(token_hash(&token))
        .bind(timestamp(entry.at))
        .bind(timestamp(expires_at))
        .fetch_one(&mut *tx.tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        crate::account_macs::reseal_tokens(&mut tx, crate::account_macs::Tokens::One(id)).await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                subject: Some(format!("token {id} of {}", user.email)),
                ..entry.clone()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(IssuedToken {
            token,
            id,
            user,
            expires_at,
        })
    }

    /// The active user holding this token, if it is live at `now`.
    pub async fn user_for_token(&self, token: &str, now: DateTime<Utc>) -> Result<Option<User>, StoreError> {
        Ok(self
            .user_for_token_reading(token, now, None)
            .await?
            .map(|(user, _)| user))
    }

    /// The same, and in the same statement the stamp of the case `case_id` the request
    /// reads (if it names one that exists): the hottest reads save a round trip.
    pub async fn user_for_token_reading(
        &self,
        token: &str,
        now: DateTime<Utc>,
        case_id: Option<&str>,
    ) -> Result<Option<(User, Option<CaseStamp>)>, StoreError> {
        if !is_lookup_text(token) {
            return Ok(None);
        }
        // The token's own columns come along so that its MAC and its user's are
        // checked on every use (see `account_macs`).
        const SQL: &str = concat!(
            "SELECT ",
            user_columns!("u."),
            ", t.id AS token_id, t.user_id AS token_user, t.token_hash AS token_hash, t.expires_at AS token_expires,
               t.revoked_at AS token_revoked, t.mac AS token_mac, ",
            stamp_columns!("$3"),
            " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1
               AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) AND u.disabled = 0"
        );
        let (hash, at) = (token_hash(token), timestamp(now));
        let case = case_id.filter(|id| is_case_id(id)).unwrap_or_default();
        let key = &self.secrets.accounts;
        let read = |row: &dyn TokenRow| -> Result<Option<(User, Option<CaseStamp>)>, StoreError> { row.read(key) };
        if let Some(found) = self.inline.as_ref().and_then(|reader| {
            reader.first_row(SQL, &[("$1", &hash as &dyn ToSql), ("$2", &at), ("$3", &case)], |row| {
                read(row)
            })
        }) {
            return Ok(found.flatten());
        }
        let row = sqlx::query(SQL)
            .bind(&hash)
            .bind(&at)
            .bind(case)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(|row| read(row)).transpose()?.flatten())
    }

    /// Every token, or one user's, newest first.
    pub async fn list_tokens(&self, email: Option<&str>) -> Result<Vec<TokenInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.id, u.email, t.label, t.created_at, t.expires_at, t.revoked_at FROM api_tokens t
             JOIN users u ON u.id = t.user_id WHERE ($1 = '' OR u.email = $1) ORDER BY t.id DESC",
        )
        .bind(email.map(|e| e.trim().to_lowercase()).unwrap_or_default())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let expires: Option<String> = r.try_get("expires_at")?;
                Ok(TokenInfo {
                    id: r.try_get("id")?,
                    email: r.try_get("email")?,
                    label: r.try_get("label")?,
                    created_at: parse_timestamp(&r.try_get::<String, _>("created_at")?)?,
                    expires_at: expires.as_deref().map(parse_timestamp).transpose()?,
                    revoked: r.try_get::<Option<String>, _>("revoked_at")?.is_some(),
                })
            })
            .collect()
    }

    /// Revokes a token; `false` if there is no live token with that id.
    pub async fn revoke_token(&self, id: i64, entry: &AuditEntry) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        crate::account_macs::ensure_token_intact(&mut tx, id).await?;
        let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(timestamp(entry.at))
            .bind(id)
            .execute(&mut *tx.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        crate::account_macs::reseal_tokens(&mut tx, crate::account_macs::Tokens::One(id)).await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                subject: Some(format!("token {id}")),
                ..entry.clone()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// A row of the token look-up, whichever driver read it.
trait TokenRow {
    /// The token's user and the read case's stamp, if the token's and the user's MACs
    /// hold; a row that fails either is treated as not there.
    fn read(&self, key: &[u8; 32]) -> Result<Option<(User, Option<CaseStamp>)>, StoreError>;
}

impl<R: crate::columns::Columns> TokenRow for R {
    fn read(&self, key: &[u8; 32]) -> Result<Option<(User, Option<CaseStamp>)>, StoreError> {
        if !crate::account_macs::token_row_intact(self, key)? {
            crate::account_macs::refused(&format!("token {}", self.int("token_id")?));
            return Ok(None);
        }
        let Some(user) = crate::account_macs::checked_user(self, key)? else {
            return Ok(None);
        };
        Ok(Some((user, stamp_from_row(self)?)))
    }
}
