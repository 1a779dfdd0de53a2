//! Return-link tokens. A token is an HMAC of the request's id and its generation under
//! the return-link key (from the key file), so the Business Unit can be shown a link
//! again while the database keeps only a SHA-256 of it for look-up, and a copy of the
//! database alone cannot make a working link. Reissuing bumps the generation, which
//! retires the old link.

use sqlx::Row;

use crate::rows::{hmac_sha256_hex, sha256_hex};
use crate::{Store, StoreError};

/// The setting that records that every stored look-up hash matches the current key.
const REKEYED: &str = "links_keyed_by_key_file";

pub(crate) fn token_for(key: &[u8; 32], request_id: &str, generation: i64) -> String {
    hmac_sha256_hex(key, format!("{request_id}:{generation}").as_bytes())
}

impl Store {
    /// The current return-link token of a request.
    pub fn return_token(&self, request: &crate::ReturnRequest) -> String {
        token_for(&self.secrets.links, &request.id, request.generation)
    }

    /// Once, after the upgrade that moved the link secret out of the database: stores
    /// the look-up hash of each request's token under the key file's key, so that the
    /// Business Unit sees working links again (links sent before must be sent again).
    pub(crate) async fn rekey_links_if_needed(&self) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(REKEYED)
            .fetch_optional(&mut *tx.tx)
            .await?;
        if done.is_some() {
            return Ok(());
        }
        let rows = sqlx::query("SELECT id, generation FROM agency_requests")
            .fetch_all(&mut *tx.tx)
            .await?;
        for row in &rows {
            let id: String = row.try_get("id")?;
            let generation: i64 = row.try_get("generation")?;
            sqlx::query("UPDATE agency_requests SET token_hash = $1 WHERE id = $2")
                .bind(sha256_hex(token_for(&self.secrets.links, &id, generation).as_bytes()))
                .bind(&id)
                .execute(&mut *tx.tx)
                .await?;
        }
        crate::link_macs::reseal_links(&mut tx, crate::link_macs::Links::All).await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, 'yes') ON CONFLICT (key) DO NOTHING")
            .bind(REKEYED)
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }
}
