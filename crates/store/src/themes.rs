//! Learning themes: the partnership's list (seeded with the National Panel's recurring
//! themes) and the themes each case carries. And the cases a report covers, loaded in
//! two queries however many there are.

use chrono::NaiveDate;
use domain::events::{Event, EventKind, EventPayload, Version};
use sqlx::Row;

use crate::audit::{self, AuditEntry};
use crate::rows::{date, timestamp};
use std::collections::HashMap;

use serde_json::value::RawValue;

use crate::{Backend, Store, StoreError};

/// The longest theme name.
pub const MAX_THEME_CHARS: usize = 100;

/// One case as a report reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportCase {
    pub id: String,
    pub reference: String,
    pub events: Vec<Event>,
    pub themes: Vec<String>,
}

/// Checks a theme's name: 1 to 100 characters, no control characters.
pub fn theme_name(name: &str) -> Result<String, domain::events::FieldError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_THEME_CHARS || name.chars().any(char::is_control) {
        return Err(domain::events::FieldError::new(
            "name",
            format!("Enter the theme's name, at most {MAX_THEME_CHARS} characters"),
        ));
    }
    Ok(name.to_owned())
}

impl Store {
    /// Every theme, by name.
    pub async fn themes(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT name FROM themes ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("name")?)).collect()
    }

    /// Adds a theme to the list; audited. A name already there is a conflict on `name`.
    pub async fn add_theme(&self, name: &str, entry: &AuditEntry) -> Result<(), StoreError> {
        let name = theme_name(name).map_err(|e| StoreError::Conflict {
            field: e.field,
            message: e.message,
        })?;
        let mut tx = self.begin_write().await?;
        let added = sqlx::query("INSERT INTO themes (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(&name)
            .bind(timestamp(entry.at))
            .execute(&mut *tx.tx)
            .await?;
        if added.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                field: "name".into(),
                message: format!("the list already has the theme \"{name}\""),
            });
        }
        audit::append(&mut tx, entry).await?;
        // Every instance keeps the list with the calendar and rules.
        crate::calendar::bump_settings_version(&mut tx).await?;
        tx.commit().await
    }

    /// The themes a case carries, by name.
    pub async fn case_themes(&self, case_id: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.name FROM case_themes ct JOIN themes t ON t.id = ct.theme_id WHERE ct.case_id = $1 ORDER BY t.name",
        )
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("name")?)).collect()
    }

    /// Sets the themes a case carries (names from the list); audited with the case. A
    /// name not on the list is a conflict on `themes`.
    pub async fn set_case_themes(&self, case_id: &str, names: &[String], entry: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(names.len());
        for name in names {
            let row = sqlx::query("SELECT id FROM themes WHERE name = $1")
                .bind(name)
                .fetch_optional(&mut *tx.tx)
                .await?;
            let Some(row) = row else {
                return Err(StoreError::Conflict {
                    field: "themes".into(),
                    message: format!("\"{name}\" is not on the partnership's list of themes"),
                });
            };
            ids.push(row.try_get::<i64, _>("id")?);
        }
        sqlx::query("DELETE FROM case_themes WHERE case_id = $1")
            .bind(case_id)
            .execute(&mut *tx.tx)
            .await?;
        for id in ids {
            sqlx::query("INSERT INTO case_themes (case_id, theme_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(case_id)
                .bind(id)
                .execute(&mut *tx.tx)
                .await?;
        }
        audit::append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// Every case the local authority became aware of from `from` to `to` (inclusive),
    /// by reference, with its events and themes.
    pub async fn report_cases(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<ReportCase>, StoreError> {
        let mut cases = Vec::new();
        self.each_report_case(from, to, |c| cases.push(c)).await?;
        Ok(cases)
    }

    /// Hands each case of the period to `each`, by reference, one at a time: one row a
    /// case (its events gathered as a JSON array by the database), read as a stream, so
    /// that a report over tens of thousands of cases holds one case at a time. Returns
    /// how many there were.
    pub async fn each_report_case<F: FnMut(ReportCase)>(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut each: F,
    ) -> Result<usize, StoreError> {
        use futures_util::TryStreamExt;
        let (from, to) = (from.to_string(), to.to_string());
        let mut themes = self.themes_by_case(&from, &to).await?;
        let sql = match self.backend {
            // Built by concatenation rather than SQLite's JSON functions, which would parse
            // and re-print every payload: type and date are plain words, and the payload
            // is the JSON text it was stored as.
            Backend::Sqlite => {
                "SELECT c.id, c.reference, '[' || (SELECT group_concat(
                     '[' || e.version || ',\"' || e.type || '\",\"' || e.on_date || '\",' || e.payload || ']', ',')
                     FROM (SELECT * FROM events WHERE case_id = c.id ORDER BY version) e) || ']' AS events
                 FROM cases c WHERE c.aware_on >= $1 AND c.aware_on <= $2 ORDER BY c.reference"
            }
            Backend::Postgres => {
                "SELECT c.id, c.reference, (SELECT CAST(json_agg(json_build_array(e.version, e.type, e.on_date,
                     CAST(e.payload AS json)) ORDER BY e.version) AS TEXT) FROM events e WHERE e.case_id = c.id) AS events
                 FROM cases c WHERE c.aware_on >= $1 AND c.aware_on <= $2 ORDER BY c.reference"
            }
        };
        let mut rows = sqlx::query(sql).bind(&from).bind(&to).fetch(&self.pool);
        let mut count = 0;
        while let Some(row) = rows.try_next().await? {
            let id: String = row.try_get("id")?;
            let listed: Option<String> = row.try_get("events")?;
            each(ReportCase {
                themes: themes.remove(&id).unwrap_or_default(),
                reference: row.try_get("reference")?,
                events: events_from_json(listed.as_deref().unwrap_or("[]"))?,
                id,
            });
            count += 1;
        }
        Ok(count)
    }

    async fn themes_by_case(&self, from: &str, to: &str) -> Result<HashMap<String, Vec<String>>, StoreError> {
        let themed = sqlx::query(
            "SELECT ct.case_id, t.name FROM case_themes ct JOIN themes t ON t.id = ct.theme_id
             JOIN cases c ON c.id = ct.case_id WHERE c.aware_on >= $1 AND c.aware_on <= $2 ORDER BY t.name",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for row in &themed {
            out.entry(row.try_get("case_id")?)
                .or_default()
                .push(row.try_get("name")?);
        }
        Ok(out)
    }
}

/// A case's events from `[[version, type, on_date, payload], ...]`, in version order.
fn events_from_json(listed: &str) -> Result<Vec<Event>, StoreError> {
    let raw: Vec<(i64, &str, &str, &RawValue)> = serde_json::from_str(listed).map_err(StoreError::corrupt)?;
    let mut events = raw
        .into_iter()
        .map(|(version, kind, on, payload)| {
            let kind =
                EventKind::parse(kind).ok_or_else(|| StoreError::corrupt(format!("unknown event type {kind}")))?;
            let version = u32::try_from(version)
                .ok()
                .and_then(|v| Version::try_from(v).ok())
                .ok_or_else(|| StoreError::corrupt("bad version"))?;
            Ok(Event {
                version,
                on: date(on)?,
                payload: EventPayload::from_json(kind, payload.get()).map_err(StoreError::corrupt)?,
            })
        })
        .collect::<Result<Vec<Event>, StoreError>>()?;
    events.sort_by_key(|e| e.version);
    Ok(events)
}
