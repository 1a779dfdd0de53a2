//! Passwords: the strength rule, changing one's own, an administrator setting one, and
//! single-use reset links. Setting a password (other than by its owner, who keeps the
//! session they are using) ends every session of the user.

use chrono::{DateTime, Duration, Utc};
use domain::events::FieldError;
use sqlx::Row;

use crate::account_macs::checked_user;
use crate::audit::{self, AuditEntry};
use crate::rows::{random_hex, sha256_hex, timestamp};
use crate::user::{User, user_columns};
use crate::{Store, StoreError, WriteTx};

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The most: long enough for any passphrase, short enough to hash cheaply.
pub const MAX_PASSWORD_CHARS: usize = 200;
/// How long a reset link works.
pub const RESET_LINK_HOURS: i64 = 24;

/// A password good enough to set: at least 10 characters, and judged hard to guess
/// (score 3 of 4 or better) by zxcvbn, which knows common passwords, names, dates,
/// keyboard patterns and the user's own name and email.
#[derive(Clone)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

impl NewPassword {
    /// Judges `password` for a user described by `user_inputs` (name, email), naming
    /// the field `field` in the refusal.
    pub fn new(field: &str, password: &str, user_inputs: &[&str]) -> Result<NewPassword, FieldError> {
        let chars = password.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(FieldError::new(
                field,
                format!("use at least {MIN_PASSWORD_CHARS} characters; a few unrelated words make a strong password"),
            ));
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(FieldError::new(
                field,
                format!("use at most {MAX_PASSWORD_CHARS} characters"),
            ));
        }
        if password.chars().any(char::is_control) {
            return Err(FieldError::new(field, "must not contain control characters"));
        }
        // The user's name and email, whole and word by word ("pat.manager@x.org" also
        // gives "pat" and "manager"), and the service's own words.
        let mut inputs: Vec<&str> = user_inputs.to_vec();
        for input in user_inputs {
            inputs.extend(input.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 2));
        }
        inputs.extend(["rapid", "review", "rapid-review", "safeguarding", "partnership"]);
        let judged = zxcvbn::zxcvbn(password, &inputs);
        if u8::from(judged.score()) < 3 {
            let mut why = String::from("this password would be easy to guess");
            if let Some(feedback) = judged.feedback() {
                if let Some(warning) = feedback.warning() {
                    why = format!("this password would be easy to guess: {warning}");
                }
                if let Some(suggestion) = feedback.suggestions().first() {
                    why.push_str(&format!(". {suggestion}"));
                }
            }
            return Err(FieldError::new(field, why));
        }
        Ok(NewPassword(password.to_owned()))
    }

    pub(crate) async fn hash(&self) -> Result<String, StoreError> {
        crate::password_worker::hash(&self.0).await
    }
}

impl Store {
    /// Changes a user's own password if `current` is right; every other session of
    /// theirs ends. Returns whether the current password was right.
    pub async fn change_password(
        &self,
        user: &User,
        current: &str,
        new: &NewPassword,
        keep_session: &str,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let stored: Option<String> = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(&self.pool)
            .await?
            .try_get("password_hash")?;
        if !crate::password_worker::matches(stored.as_deref(), current).await? {
            return Ok(false);
        }
        let mut tx = self.begin_write().await?;
        write_password(&mut tx, user.id, new, entry.at).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user.id)
            .bind(sha256_hex(keep_session.as_bytes()))
            .execute(&mut *tx.tx)
            .await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Sets a user's password (an administrator, the command line, or a reset link),
    /// ending all their sessions.
    pub async fn set_password(&self, user_id: i64, new: &NewPassword, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        write_password(&mut tx, user_id, new, entry.at).await?;
        end_all_sessions(&mut tx, user_id).await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// Makes a single-use reset link token for a user, valid for 24 hours; earlier
    /// unused links of theirs stop working.
    pub async fn create_reset_token(&self, user_id: i64, entry: &AuditEntry) -> Result<String, StoreError> {
        let token = random_hex()?;
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(timestamp(entry.at))
            .bind(user_id)
            .execute(&mut *tx.tx)
            .await?;
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(sha256_hex(token.as_bytes()))
        .bind(user_id)
        .bind(timestamp(entry.at))
        .bind(timestamp(entry.at + Duration::hours(RESET_LINK_HOURS)))
        .execute(&mut *tx.tx)
        .await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The user a reset token is for, if it is unused and unexpired.
    pub async fn reset_token_user(&self, token: &str, now: DateTime<Utc>) -> Result<Option<User>, StoreError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!("u."),
            " FROM password_resets r JOIN users u ON u.id = r.user_id
                 WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2"
        ))
        .bind(sha256_hex(token.as_bytes()))
        .bind(timestamp(now))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .as_ref()
            .map(|r| checked_user(r, &self.secrets.accounts))
            .transpose()?
            .flatten())
    }

    /// Uses a reset token: sets the password and ends every session, once. Returns the
    /// user, or `None` if the token no longer works.
    pub async fn use_reset_token(
        &self,
        token: &str,
        new: &NewPassword,
        entry: &AuditEntry,
    ) -> Result<Option<User>, StoreError> {
        let Some(user) = self.reset_token_user(token, entry.at).await? else {
            return Ok(None);
        };
        let mut tx = self.begin_write().await?;
        let used = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(timestamp(entry.at))
            .bind(sha256_hex(token.as_bytes()))
            .execute(&mut *tx.tx)
            .await?;
        if used.rows_affected() != 1 {
            return Ok(None);
        }
        write_password(&mut tx, user.id, new, entry.at).await?;
        end_all_sessions(&mut tx, user.id).await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(Some(user))
    }
}

async fn write_password(
    tx: &mut WriteTx<'_>,
    user_id: i64,
    new: &NewPassword,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(new.hash().await?)
        .bind(timestamp(at))
        .bind(user_id)
        .execute(&mut *tx.tx)
        .await?;
    Ok(())
}

pub(crate) async fn end_all_sessions(tx: &mut WriteTx<'_>, user_id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx.tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_and_12345678_and_short_or_personal_passwords_are_refused_with_a_reason() {
        for weak in ["password", "12345678", "password12", "1234567890", "qwertyuiop"] {
            let err = NewPassword::new("password", weak, &[]).unwrap_err();
            assert_eq!(err.field, "password");
            assert!(!err.message.is_empty());
        }
        let err = NewPassword::new("password", "Pat Manager 1", &["pat.manager@example.org", "Pat Manager"]);
        assert!(err.is_err());
        assert!(
            NewPassword::new("password", "short", &[])
                .unwrap_err()
                .message
                .contains("10")
        );
    }

    #[test]
    fn a_few_unrelated_words_make_a_good_password() {
        assert!(NewPassword::new("password", "violet kettle harbour sixty", &[]).is_ok());
    }

    #[tokio::test]
    async fn an_unknown_account_is_checked_against_a_dummy_hash_and_never_matches() {
        use crate::password_worker::{hash, matches};
        assert!(!matches(None, "no account has this password").await.unwrap());
        let hash = hash("violet kettle harbour").await.unwrap();
        assert!(matches(Some(&hash), "violet kettle harbour").await.unwrap());
        assert!(!matches(Some(&hash), "violet kettle harbor").await.unwrap());
    }
}
