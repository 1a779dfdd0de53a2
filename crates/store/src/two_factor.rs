//! Two-factor sign-in: TOTP (RFC 6238: SHA-1, six digits, 30-second steps, one step of
//! clock drift either way) and ten single-use recovery codes.
//!
//! A user's TOTP key is stored encrypted (ChaCha20-Poly1305 under a key from the key
//! file, bound to the user's id), so a copy of the database alone cannot produce codes.
//! A code is accepted once: the step it belongs to is remembered, and any code of that
//! step or an earlier one is refused. Recovery codes are kept as HMACs under another
//! key from the key file.

use chacha20poly1305::aead::Aead;
use chacha20poly1305::{ChaCha20Poly1305, KeyInit};
use chrono::{DateTime, Utc};
use sqlx::Row;
use totp_rs::{Algorithm, Secret, Totp};

use crate::audit::{self, AuditEntry};
use crate::rows::hmac_sha256_hex;
use crate::user::User;
use crate::{Store, StoreError, WriteTx};

/// How many recovery codes a user holds.
pub const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Rapid Review";
/// Letters and digits that cannot be mistaken for one another.
const CODE_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A TOTP key being shown to its user: the `otpauth://` URI (for the QR code) and the
/// key as text (for typing into an app).
#[derive(Clone)]
pub struct TotpKey {
    pub uri: String,
    pub text: String,
}

impl std::fmt::Debug for TotpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpKey { .. }")
    }
}

/// What a second factor turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    /// A current code from the user's app.
    Code,
    /// One of the user's recovery codes, now used up; `left` remain.
    RecoveryCode { left: i64 },
    /// Neither.
    Wrong,
}

fn totp(secret: &[u8], account: &str) -> Result<Totp, StoreError> {
    totp_rs::Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(Secret::new(secret.to_vec().into_boxed_slice()))
        .with_issuer(Some(ISSUER))
        .with_account_name(account)
        .build()
        .map_err(|e| StoreError::corrupt(format!("two-factor key: {e:?}")))
}

fn key_for(secret: &[u8], account: &str) -> Result<TotpKey, StoreError> {
    let totp = totp(secret, account)?;
    Ok(TotpKey {
        uri: totp
            .to_url()
            .map_err(|e| StoreError::corrupt(format!("two-factor key: {e:?}")))?,
        text: totp.secret().to_base32(),
    })
}

fn unix_seconds(at: DateTime<Utc>) -> u64 {
    u64::try_from(at.timestamp()).unwrap_or(0)
}

/// A recovery code as typed: case, spaces and hyphens do not matter.
fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn fresh_recovery_code() -> Result<String, StoreError> {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::corrupt(format!("no randomness: {e}")))?;
    let chars: String = bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()]))
        .collect();
    Ok(format!("{}-{}", &chars[..5], &chars[5..]))
}

impl Store {
    fn seal(&self, user_id: i64, secret: &[u8]) -> Result<String, StoreError> {
        let cipher = ChaCha20Poly1305::new(&self.secrets.two_factor.into());
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|e| StoreError::corrupt(format!("no randomness: {e}")))?;
        let aad = user_id.to_be_bytes();
        let sealed = cipher
            .encrypt(
                &nonce.into(),
                chacha20poly1305::aead::Payload { msg: secret, aad: &aad },
            )
            .map_err(|_| StoreError::corrupt("could not encrypt a two-factor key"))?;
        Ok(format!("{}{}", hex::encode(nonce), hex::encode(sealed)))
    }

    fn open_sealed(&self, user_id: i64, sealed: &str) -> Result<Vec<u8>, StoreError> {
        let bytes = hex::decode(sealed).map_err(|_| StoreError::corrupt("two-factor key is not hex"))?;
        if bytes.len() < 12 {
            return Err(StoreError::corrupt("two-factor key is too short"));
        }
        let (nonce, sealed) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| StoreError::corrupt("two-factor nonce"))?;
        let cipher = ChaCha20Poly1305::new(&self.secrets.two_factor.into());
        let aad = user_id.to_be_bytes();
        cipher
            .decrypt(
                &nonce.into(),
                chacha20poly1305::aead::Payload { msg: sealed, aad: &aad },
            )
            .map_err(|_| {
                StoreError::Keys("a two-factor key cannot be read with this key file: is it the right one?".into())
            })
    }

    fn recovery_mac(&self, code: &str) -> String {
        hmac_sha256_hex(&self.secrets.recovery, normalise_code(code).as_bytes())
    }

    /// Starts setting up TOTP: a new key, kept aside until a code from it is confirmed.
    pub async fn begin_totp_setup(&self, user: &User) -> Result<TotpKey, StoreError> {
        let mut secret = [0u8; 20];
        getrandom::fill(&mut secret).map_err(|e| StoreError::corrupt(format!("no randomness: {e}")))?;
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2")
            .bind(self.seal(user.id, &secret)?)
            .bind(user.id)
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await?;
        key_for(&secret, &user.email)
    }

    /// The key being set up, if there is one (to show its QR code again).
    pub async fn pending_totp(&self, user: &User) -> Result<Option<TotpKey>, StoreError> {
        let row = sqlx::query("SELECT totp_pending FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(&self.pool)
            .await?;
        let sealed: Option<String> = row.try_get("totp_pending")?;
        sealed
            .map(|s| key_for(&self.open_sealed(user.id, &s)?, &user.email))
            .transpose()
    }

    /// Confirms the key being set up with a code from it: it becomes the user's key,
    /// and ten new recovery codes are made and returned (shown once, never stored).
    /// `None` if the code is wrong.
    pub async fn confirm_totp(
        &self,
        user: &User,
        code: &str,
        entry: &AuditEntry,
    ) -> Result<Option<Vec<String>>, StoreError> {
        let row = sqlx::query("SELECT totp_pending FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(&self.pool)
            .await?;
        let Some(sealed) = row.try_get::<Option<String>, _>("totp_pending")? else {
            return Ok(None);
        };
        let secret = self.open_sealed(user.id, &sealed)?;
        let Some(step) = totp(&secret, &user.email)?.check(code.trim(), unix_seconds(entry.at)) else {
            return Ok(None);
        };
        let mut tx = self.begin_write().await?;
        crate::account_macs::ensure_user_intact(&mut tx, user.id).await?;
        sqlx::query(
            "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $1 WHERE id = $2",
        )
        .bind(i64::try_from(step).unwrap_or(i64::MAX))
        .bind(user.id)
        .execute(&mut *tx.tx)
        .await?;
        crate::account_macs::reseal_user(&mut tx, user.id).await?;
        let codes = self.replace_recovery_codes(&mut tx, user.id).await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(Some(codes))
    }

    /// Sets up TOTP at once, without a confirming code: for administrators and tests at
    /// the command line. Returns the key and ten recovery codes.
    pub async fn set_up_totp(&self, user: &User, entry: &AuditEntry) -> Result<(TotpKey, Vec<String>), StoreError> {
        let mut secret = [0u8; 20];
        getrandom::fill(&mut secret).map_err(|e| StoreError::corrupt(format!("no randomness: {e}")))?;
        let mut tx = self.begin_write().await?;
        crate::account_macs::ensure_user_intact(&mut tx, user.id).await?;
        sqlx::query("UPDATE users SET totp_secret = $1, totp_pending = NULL, totp_last_step = NULL WHERE id = $2")
            .bind(self.seal(user.id, &secret)?)
            .bind(user.id)
            .execute(&mut *tx.tx)
            .await?;
        crate::account_macs::reseal_user(&mut tx, user.id).await?;
        let codes = self.replace_recovery_codes(&mut tx, user.id).await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok((key_for(&secret, &user.email)?, codes))
    }

    /// Replaces a user's recovery codes with ten new ones, returned once.
    pub async fn new_recovery_codes(&self, user: &User, entry: &AuditEntry) -> Result<Vec<String>, StoreError> {
        let mut tx = self.begin_write().await?;
        let codes = self.replace_recovery_codes(&mut tx, user.id).await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(codes)
    }

    async fn replace_recovery_codes(&self, tx: &mut WriteTx<'_>, user_id: i64) -> Result<Vec<String>, StoreError> {
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx.tx)
            .await?;
        let mut codes = Vec::with_capacity(RECOVERY_CODES);
        for _ in 0..RECOVERY_CODES {
            let code = fresh_recovery_code()?;
            sqlx::query("INSERT INTO recovery_codes (code_mac, user_id) VALUES ($1, $2)")
                .bind(self.recovery_mac(&code))
                .bind(user_id)
                .execute(&mut *tx.tx)
                .await?;
            codes.push(code);
        }
        Ok(codes)
    }

    /// How many unused recovery codes a user has.
    pub async fn recovery_codes_left(&self, user_id: i64) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Checks a second factor: a current TOTP code (each accepted once), or else an
    /// unused recovery code (used up by this).
    pub async fn check_second_factor(
        &self,
        user: &User,
        given: &str,
        at: DateTime<Utc>,
    ) -> Result<SecondFactor, StoreError> {
        let given = given.trim();
        if given.is_empty() || given.len() > 64 || given.chars().any(char::is_control) {
            return Ok(SecondFactor::Wrong);
        }
        let row = sqlx::query("SELECT totp_secret FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(&self.pool)
            .await?;
        let sealed: Option<String> = row.try_get("totp_secret")?;
        if let Some(sealed) = sealed {
            let secret = self.open_sealed(user.id, &sealed)?;
            let digits: String = given.chars().filter(|c| !c.is_whitespace()).collect();
            if let Some(step) = totp(&secret, &user.email)?.check(&digits, unix_seconds(at)) {
                let step = i64::try_from(step).unwrap_or(i64::MAX);
                let mut tx = self.begin_write().await?;
                // The step only moves forward, and only one request can move it.
                let moved = sqlx::query(
                    "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
                )
                .bind(step)
                .bind(user.id)
                .execute(&mut *tx.tx)
                .await?;
                tx.commit().await?;
                return Ok(if moved.rows_affected() == 1 {
                    SecondFactor::Code
                } else {
                    SecondFactor::Wrong
                });
            }
        }
        let mut tx = self.begin_write().await?;
        let used = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 WHERE code_mac = $2 AND user_id = $3 AND used_at IS NULL",
        )
        .bind(crate::rows::timestamp(at))
        .bind(self.recovery_mac(given))
        .bind(user.id)
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        if used.rows_affected() == 1 {
            let left = self.recovery_codes_left(user.id).await?;
            Ok(SecondFactor::RecoveryCode { left })
        } else {
            Ok(SecondFactor::Wrong)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_ten_letters_and_digits_read_without_case_or_hyphen() {
        let code = fresh_recovery_code().unwrap();
        assert_eq!(code.len(), 11);
        assert_eq!(
            normalise_code(&code.to_uppercase().replace('-', " ")),
            code.replace('-', "")
        );
    }

    #[test]
    fn a_totp_code_matches_rfc_6238_for_sha1() {
        // RFC 6238 appendix B: the 20-byte ASCII key "12345678901234567890" at T = 59 s
        // gives 94287082 with 8 digits; with six digits, 287082.
        let totp = totp(b"12345678901234567890", "a@example.org").unwrap();
        assert!(totp.check("287082", 59).is_some());
        assert!(totp.check("287083", 59).is_none());
    }
}
