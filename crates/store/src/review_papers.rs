//! The local review's papers: the terms of reference and the draft and final reports,
//! uploaded once the review is commissioned and kept in the database. An upload locks
//! the case as an event append does and is audited in the same transaction.

use chrono::{DateTime, Utc};
use domain::events::ReviewPaper;
use domain::process::{self, Refusal};
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::append::lock_case;
use crate::audit::{self, AuditEntry};
use crate::cases::load_events;
use crate::rows::{is_case_id, parse_timestamp, timestamp};
use crate::user::User;
use crate::write::AppendError;
use crate::{Store, StoreError};

/// One uploaded paper, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPaper {
    pub id: String,
    pub kind: ReviewPaper,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

/// A paper to store: what it is, its name as uploaded (cleaned by the caller), its type
/// as its bytes say, and the bytes.
pub struct NewPaper<'a> {
    pub kind: ReviewPaper,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

impl std::fmt::Debug for NewPaper<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewPaper")
            .field("kind", &self.kind)
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

macro_rules! select_papers {
    ($rest:literal) => {
        concat!(
            "SELECT id, kind, file_name, content_type, size, sha256, uploaded_by, uploaded_at",
            $rest
        )
    };
}

fn paper(r: &AnyRow) -> Result<StoredPaper, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(StoredPaper {
        id: r.try_get("id")?,
        kind: ReviewPaper::parse(&kind).ok_or_else(|| StoreError::corrupt(format!("paper kind {kind}")))?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: parse_timestamp(&r.try_get::<String, _>("uploaded_at")?)?,
    })
}

impl Store {
    /// Stores a paper of the case's local review: refused (409) until the review is
    /// commissioned.
    pub async fn add_review_paper(
        &self,
        case_id: &str,
        new: &NewPaper<'_>,
        uploader: &User,
        entry: &AuditEntry,
    ) -> Result<StoredPaper, AppendError> {
        let mut tx = self.begin_write().await?;
        if lock_case(&mut tx, case_id).await?.is_none() {
            return Err(AppendError::NotFound);
        }
        let (events, _) = load_events(&mut tx.tx, &tx.secrets.events, case_id).await?;
        if process::fold(&events).lcspr.commissioned_on.is_none() {
            return Err(Refusal::NotAllowedNow(
                "commission the local review (lcspr_commissioned) before uploading its papers".into(),
            )
            .into());
        }
        let stored = StoredPaper {
            id: uuid::Uuid::new_v4().to_string(),
            kind: new.kind,
            file_name: new.file_name.to_owned(),
            content_type: new.content_type.to_owned(),
            size: i64::try_from(new.bytes.len()).unwrap_or(i64::MAX),
            sha256: hex::encode(Sha256::digest(new.bytes)),
            uploaded_by: uploader.name.clone(),
            uploaded_at: entry.at,
        };
        sqlx::query(
            "INSERT INTO review_documents (id, case_id, kind, file_name, content_type, size, sha256, body, uploaded_by, uploaded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&stored.id)
        .bind(case_id)
        .bind(stored.kind.as_str())
        .bind(&stored.file_name)
        .bind(&stored.content_type)
        .bind(stored.size)
        .bind(&stored.sha256)
        .bind(new.bytes)
        .bind(&stored.uploaded_by)
        .bind(timestamp(stored.uploaded_at))
        .execute(&mut *tx.tx)
        .await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// The case's review papers, oldest first.
    pub async fn review_papers(&self, case_id: &str) -> Result<Vec<StoredPaper>, StoreError> {
        if !is_case_id(case_id) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(select_papers!(
            " FROM review_documents WHERE case_id = $1 ORDER BY uploaded_at, id"
        ))
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(paper).collect()
    }

    /// One paper of the case with its bytes.
    pub async fn review_paper(&self, case_id: &str, id: &str) -> Result<Option<(StoredPaper, Vec<u8>)>, StoreError> {
        if !is_case_id(case_id) || !is_case_id(id) {
            return Ok(None);
        }
        let row = sqlx::query(select_papers!(
            ", body FROM review_documents WHERE case_id = $1 AND id = $2"
        ))
        .bind(case_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((paper(&r)?, r.try_get::<Vec<u8>, _>("body")?)))
            .transpose()
    }
}
