//! Retention: which closed cases are due to be pseudonymised, legal holds that stop it,
//! and pseudonymising a case in one transaction with its audit row. Pseudonymising
//! rewrites each event's payload (see `domain::retention`), empties the agencies'
//! scoping answers and chronologies, the discussions and the template's texts, deletes
//! the review's uploaded papers and the snapshot's initials, and keeps every date and
//! outcome the reports count.

use chrono::NaiveDate;
use domain::events::EventKind;
use sqlx::Row;

use crate::append::lock_case;
use crate::audit::{self, AuditEntry};
use crate::cases::load_events;
use crate::rows::timestamp;
use crate::{Store, StoreError};

/// One closed case as the retention rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionItem {
    pub case_id: String,
    pub reference: String,
    pub closed_on: NaiveDate,
    pub due: NaiveDate,
    /// The reason for a legal hold, which stops the pseudonymising.
    pub held: Option<String>,
}

impl Store {
    /// Closed cases not yet pseudonymised whose data is due to be on `today`, with any
    /// legal hold, oldest first.
    pub async fn retention_due(&self, today: NaiveDate, years: u32) -> Result<Vec<RetentionItem>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, c.reference, h.reason FROM cases c LEFT JOIN legal_holds h ON h.case_id = c.id
             WHERE c.state = 'closed' AND c.pseudonymised_at IS NULL ORDER BY c.reference",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let id: String = r.try_get("id")?;
            let mut conn = self.pool.acquire().await?;
            let (events, _) = load_events(&mut conn, &self.secrets.events, &id).await?;
            let Some(closed_on) = domain::process::fold(&events).closed_on else {
                continue;
            };
            let due = domain::retention::due(closed_on, years);
            if due <= today {
                out.push(RetentionItem {
                    case_id: id,
                    reference: r.try_get("reference")?,
                    closed_on,
                    due,
                    held: r.try_get("reason")?,
                });
            }
        }
        out.sort_by_key(|i| i.closed_on);
        Ok(out)
    }

    /// Pseudonymises one closed case; returns how many events were rewritten.
    pub async fn pseudonymise_case(&self, case_id: &str, entry: &AuditEntry) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        if lock_case(&mut tx, case_id).await?.is_none() {
            return Err(StoreError::Conflict {
                field: "case".into(),
                message: "no such case".into(),
            });
        }
        let held = sqlx::query("SELECT reason FROM legal_holds WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(&mut *tx.tx)
            .await?;
        if held.is_some() {
            return Err(StoreError::Conflict {
                field: "case".into(),
                message: "a legal hold stops the pseudonymising of this case".into(),
            });
        }
        let (events, _) = load_events(&mut tx.tx, &tx.secrets.events, case_id).await?;
        for e in &events {
            let kept = domain::retention::pseudonymise(&e.payload).map_err(|f| StoreError::corrupt(f.message))?;
            let payload = serde_json::Value::Object(kept.fields()).to_string();
            sqlx::query("UPDATE events SET payload = $1 WHERE case_id = $2 AND version = $3")
                .bind(payload)
                .bind(case_id)
                .bind(i64::from(e.version.get()))
                .execute(&mut *tx.tx)
                .await?;
        }
        crate::event_chain::reseal_case(&mut tx, case_id).await?;
        for sql in [
            "DELETE FROM chronology_entries WHERE request_id IN (SELECT id FROM agency_requests WHERE case_id = $1)",
            "UPDATE agency_requests SET scoping = '{}' WHERE case_id = $1",
            "DELETE FROM discussions WHERE case_id = $1",
            "UPDATE template_versions SET sections = '{}' WHERE case_id = $1",
            "DELETE FROM review_documents WHERE case_id = $1",
        ] {
            sqlx::query(sql).bind(case_id).execute(&mut *tx.tx).await?;
        }
        sqlx::query("UPDATE cases SET initials = NULL, pseudonymised_at = $1 WHERE id = $2")
            .bind(timestamp(entry.at))
            .bind(case_id)
            .execute(&mut *tx.tx)
            .await?;
        crate::append::bump_data_version(&mut tx).await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(events
            .iter()
            .filter(|e| e.payload.kind() != EventKind::EventCorrected)
            .count())
    }

    /// Places a legal hold on a case (by reference); audited.
    pub async fn place_legal_hold(
        &self,
        reference: &str,
        reason: &str,
        entry: &AuditEntry,
    ) -> Result<String, StoreError> {
        let id = self.case_id_of(reference).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO legal_holds (case_id, reason, placed_by, placed_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (case_id) DO UPDATE SET reason = excluded.reason, placed_by = excluded.placed_by, placed_at = excluded.placed_at",
        )
        .bind(&id)
        .bind(reason)
        .bind(entry.actor.clone().unwrap_or_default())
        .bind(timestamp(entry.at))
        .execute(&mut *tx.tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                case_id: Some(id.clone()),
                ..entry.clone()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Releases a case's legal hold (by reference); audited.
    pub async fn release_legal_hold(&self, reference: &str, entry: &AuditEntry) -> Result<bool, StoreError> {
        let id = self.case_id_of(reference).await?;
        let mut tx = self.begin_write().await?;
        let removed = sqlx::query("DELETE FROM legal_holds WHERE case_id = $1")
            .bind(&id)
            .execute(&mut *tx.tx)
            .await?
            .rows_affected();
        audit::append(
            &mut tx,
            &AuditEntry {
                case_id: Some(id),
                ..entry.clone()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(removed > 0)
    }

    async fn case_id_of(&self, reference: &str) -> Result<String, StoreError> {
        let row = sqlx::query("SELECT id FROM cases WHERE reference = $1")
            .bind(reference)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(r.try_get("id")?),
            None => Err(StoreError::Conflict {
                field: "--case".into(),
                message: format!(
                    "no case has the reference {}",
                    reference.chars().take(40).collect::<String>()
                ),
            }),
        }
    }
}
