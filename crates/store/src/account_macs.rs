//! The security-relevant columns of accounts carry a MAC, under a key derived from the
//! key file for this purpose, checked on every use:
//!
//! - a user's id, email, role, partner, agency, disabled flag and two-factor state
//!   (whether a TOTP key is set);
//! - an API token's id, owner, hash, expiry and revocation.
//!
//! A row that fails is treated as not there (no sign-in, no session, no token), logged,
//! and named by `audit verify`. So a role raised to `partnership_manager`, a token's
//! revocation cleared or its expiry pushed to 2099, or two-factor turned off in the
//! database gives nobody anything. Every write of those columns re-seals the row in
//! the same transaction; rows from before migration 0018 were sealed once, then.

use sqlx::Row;

use crate::columns::Columns;
use crate::{Store, StoreError, WriteTx};

fn mac(key: &[u8; 32], kind: &str, fields: &[&str]) -> String {
    let mut text = String::from(kind);
    for f in fields {
        text.push('|');
        text.push_str(&f.len().to_string());
        text.push(':');
        text.push_str(f);
    }
    crate::rows::hmac_sha256_hex(key, text.as_bytes())
}

/// The columns of a user's MAC, read from a row with `user_columns!`.
fn user_fields(row: &impl Columns) -> Result<[String; 7], StoreError> {
    Ok([
        row.int("id")?.to_string(),
        row.text("email")?,
        row.text("role")?,
        row.maybe_text("partner")?.unwrap_or_default(),
        row.maybe_text("agency")?.unwrap_or_default(),
        row.int("disabled")?.to_string(),
        row.int("two_factor")?.to_string(),
    ])
}

fn user_mac(key: &[u8; 32], fields: &[String; 7]) -> String {
    let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
    mac(key, "rapid-review user", &refs)
}

/// Whether a row read with `user_columns!` carries its user's MAC.
pub(crate) fn user_row_intact(row: &impl Columns, key: &[u8; 32]) -> Result<bool, StoreError> {
    let stored = row.maybe_text("user_mac")?.unwrap_or_default();
    Ok(crate::rows::same_secret(&user_mac(key, &user_fields(row)?), &stored))
}

/// The columns of a token's MAC, from a row with `token_id`, `token_user`,
/// `token_hash`, `token_expires`, `token_revoked` (see [`TOKEN_COLUMNS`]).
fn token_mac_of(row: &impl Columns, key: &[u8; 32]) -> Result<String, StoreError> {
    let fields = [
        row.int("token_id")?.to_string(),
        row.int("token_user")?.to_string(),
        row.text("token_hash")?,
        row.maybe_text("token_expires")?.unwrap_or_default(),
        row.maybe_text("token_revoked")?.unwrap_or_default(),
    ];
    let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
    Ok(mac(key, "rapid-review token", &refs))
}

/// A token row's columns under the names [`token_row_intact`] reads (alias `t`).
pub(crate) const TOKEN_COLUMNS: &str = "t.id AS token_id, t.user_id AS token_user, t.token_hash AS token_hash, \
     t.expires_at AS token_expires, t.revoked_at AS token_revoked, t.mac AS token_mac";

/// Whether a row with [`TOKEN_COLUMNS`] carries its token's MAC.
pub(crate) fn token_row_intact(row: &impl Columns, key: &[u8; 32]) -> Result<bool, StoreError> {
    let stored = row.maybe_text("token_mac")?.unwrap_or_default();
    Ok(crate::rows::same_secret(&token_mac_of(row, key)?, &stored))
}

/// Refuses to change user `user_id` if its row already fails its MAC: a change made
/// by the service must never bless one made outside it.
pub(crate) async fn ensure_user_intact(tx: &mut WriteTx<'_>, user_id: i64) -> Result<(), StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        crate::user::user_columns!(),
        " FROM users WHERE id = $1"
    ))
    .bind(user_id)
    .fetch_optional(&mut *tx.tx)
    .await?;
    match row {
        Some(row) if !user_row_intact(&row, &tx.secrets.accounts)? => Err(StoreError::Tampered(format!(
            "user {} does not match its MAC: it was changed outside the service, and is left as it is; `rapid-review audit verify` names it",
            row.text("email")?
        ))),
        _ => Ok(()),
    }
}

/// The same for token `id`.
pub(crate) async fn ensure_token_intact(tx: &mut WriteTx<'_>, id: i64) -> Result<(), StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *tx.tx)
    .await?;
    match row {
        Some(row) if !token_row_intact(&row, &tx.secrets.accounts)? => Err(StoreError::Tampered(format!(
            "token {id} does not match its MAC: it was changed outside the service; `rapid-review audit verify` names it"
        ))),
        _ => Ok(()),
    }
}

/// Re-seals user `user_id` after a write of its covered columns.
pub(crate) async fn reseal_user(tx: &mut WriteTx<'_>, user_id: i64) -> Result<(), StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        crate::user::user_columns!(),
        " FROM users WHERE id = $1"
    ))
    .bind(user_id)
    .fetch_one(&mut *tx.tx)
    .await?;
    let sealed = user_mac(&tx.secrets.accounts, &user_fields(&row)?);
    sqlx::query("UPDATE users SET mac = $1 WHERE id = $2")
        .bind(sealed)
        .bind(user_id)
        .execute(&mut *tx.tx)
        .await?;
    Ok(())
}

/// Which tokens to re-seal.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Tokens {
    /// One token, just issued or revoked.
    One(i64),
    /// Every token of a user just disabled: all revoked now, so none is live however
    /// it was before.
    OfUser(i64),
    /// Every token: only when migration 0018 is applied.
    All,
}

/// Re-seals `which` tokens after a write of their covered columns.
pub(crate) async fn reseal_tokens(tx: &mut WriteTx<'_>, which: Tokens) -> Result<(), StoreError> {
    let (filter, value) = match which {
        Tokens::One(id) => ("t.id = $1", id),
        Tokens::OfUser(user) => ("t.user_id = $1", user),
        Tokens::All => ("$1 = 0", 0),
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE {filter}"
    )))
    .bind(value)
    .fetch_all(&mut *tx.tx)
    .await?;
    for row in &rows {
        let sealed = token_mac_of(row, &tx.secrets.accounts)?;
        sqlx::query("UPDATE api_tokens SET mac = $1 WHERE id = $2")
            .bind(sealed)
            .bind(row.int("token_id")?)
            .execute(&mut *tx.tx)
            .await?;
    }
    Ok(())
}

/// Logs a row that failed its MAC; it is then treated as not there.
pub(crate) fn refused(what: &str) {
    tracing::error!(what, "an account row failed its MAC and is treated as not there");
}

impl Store {
    /// Seals every user and token once, when migration 0018 added the MACs.
    pub(crate) async fn seal_accounts_once(&self) -> Result<(), StoreError> {
        let ids: Vec<i64> = sqlx::query("SELECT id FROM users")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        let mut tx = self.begin_write().await?;
        for id in ids {
            reseal_user(&mut tx, id).await?;
        }
        reseal_tokens(&mut tx, Tokens::All).await?;
        tx.commit().await
    }

    /// Every user, token and return-link row whose MAC fails, in words (`user EMAIL …`,
    /// `token N …`, `the return link of AGENCY on case REF …`).
    pub async fn verify_account_rows(&self) -> Result<Vec<String>, StoreError> {
        let key = &self.secrets.accounts;
        let mut broken = Vec::new();
        let users = sqlx::query(concat!(
            "SELECT ",
            crate::user::user_columns!(),
            " FROM users ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        for row in &users {
            if !user_row_intact(row, key)? {
                broken.push(format!(
                    "user {} does not match its MAC (its role, partner, agency, disabled flag or two-factor state was changed outside the service)",
                    row.text("email")?
                ));
            }
        }
        let tokens = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t ORDER BY t.id"
        )))
        .fetch_all(&self.pool)
        .await?;
        for row in &tokens {
            if !token_row_intact(row, key)? {
                broken.push(format!(
                    "token {} does not match its MAC (its owner, expiry or revocation was changed outside the service)",
                    row.int("token_id")?
                ));
            }
        }
        broken.extend(self.verify_link_rows().await?);
        Ok(broken)
    }
}

/// The user on a row read with `user_columns!`, if the row carries its MAC; a row
/// that fails is treated as not there (see [`crate::account_macs`]).
pub(crate) fn checked_user(row: &impl Columns, key: &[u8; 32]) -> Result<Option<crate::user::User>, StoreError> {
    if !user_row_intact(row, key)? {
        refused(&format!("user {}", row.int("id")?));
        return Ok(None);
    }
    crate::user::user_from_row(row).map(Some)
}
