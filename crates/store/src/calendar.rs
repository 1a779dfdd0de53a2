//! The calendar's local overrides and the deadline rules, as an administrator keeps
//! them. The service builds its [`Calendar`] and [`RuleSet`] from these.

use chrono::NaiveDate;
use domain::calendar::{Calendar, HolidaySource, Override, OverrideChange};
use domain::deadlines::RuleSet;
use sqlx::Row;

use crate::audit::{self, AuditEntry};
use crate::rows::{date, timestamp};
use crate::{Store, StoreError, WriteTx};

const RULES_KEY: &str = "deadline_rules";

/// The settings row holding the National Panel's address (`RAPID_REVIEW_PANEL_EMAIL`).
pub(crate) const PANEL_ADDRESS_KEY: &str = "panel_email";

impl Store {
    /// Every override, oldest first (later ones win).
    pub async fn calendar_overrides(&self) -> Result<Vec<Override>, StoreError> {
        let rows = sqlx::query("SELECT date, kind, name, source FROM calendar_overrides ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let day: NaiveDate = date(&r.try_get::<String, _>("date")?)?;
                let kind: String = r.try_get("kind")?;
                let name: String = r.try_get("name")?;
                let source: String = r.try_get("source")?;
                Ok(match (kind.as_str(), source.as_str()) {
                    ("working_day", _) => Override::working_day(day, &name),
                    ("holiday", "import") => Override::imported(day, &name),
                    ("holiday", _) => Override::holiday(day, &name),
                    _ => return Err(StoreError::corrupt(format!("unknown override kind {kind}"))),
                })
            })
            .collect()
    }

    /// The calendar with this database's overrides.
    pub async fn calendar(&self) -> Result<Calendar, StoreError> {
        Ok(Calendar::with_overrides(self.calendar_overrides().await?))
    }

    /// Adds overrides in one transaction: all of them or none.
    /// Adds overrides (an administrator's change, or a feed's days), with one audit row.
    pub async fn add_calendar_overrides(&self, overrides: &[Override], entry: &AuditEntry) -> Result<(), StoreError> {
        let at = entry.at;
        let mut tx = self.begin_write().await?;
        for o in overrides {
            let (kind, name, source) = match &o.change {
                OverrideChange::Holiday { name, source } => {
                    let source = if *source == HolidaySource::Import {
                        "import"
                    } else {
                        "override"
                    };
                    ("holiday", name.to_string(), source)
                }
                OverrideChange::WorkingDay { reason } => ("working_day", reason.to_string(), "override"),
            };
            sqlx::query(
                "INSERT INTO calendar_overrides (date, kind, name, source, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(o.date.to_string())
            .bind(kind)
            .bind(name)
            .bind(source)
            .bind(timestamp(at))
            .execute(&mut *tx.tx)
            .await?;
        }
        bump_settings_version(&mut tx).await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// The deadline rules: the stored TOML, or docs/domain.md's defaults.
    pub async fn rules(&self) -> Result<RuleSet, StoreError> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(RULES_KEY)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => RuleSet::from_toml(&r.try_get::<String, _>("value")?).map_err(StoreError::corrupt),
            None => Ok(RuleSet::default()),
        }
    }

    /// Replaces the deadline rules, with the audit row.
    pub async fn set_rules(&self, rules: &RuleSet, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        put_setting(&mut tx, RULES_KEY, Some(&rules.to_toml())).await?;
        bump_settings_version(&mut tx).await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// Records where `rapid_review_submitted` sends the Template and the covering letter
    /// (`None`: by hand). Audited when it changes.
    pub async fn set_panel_address(&self, address: Option<&str>, entry: &AuditEntry) -> Result<(), StoreError> {
        if self.panel_address().await?.as_deref() == address {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        put_setting(&mut tx, PANEL_ADDRESS_KEY, address).await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// Where the National Panel receives submissions, if set.
    pub async fn panel_address(&self) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(PANEL_ADDRESS_KEY)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("value")).transpose()?)
    }

    /// The counter every change to the calendar, the rules, the agency directory or the
    /// themes list moves (on any instance).
    pub async fn settings_version(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT version FROM data_version WHERE id = 2")
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("version")).transpose()?.unwrap_or(0))
    }
}

pub(crate) async fn bump_settings_version(tx: &mut crate::WriteTx<'_>) -> Result<(), StoreError> {
    sqlx::query("UPDATE data_version SET version = version + 1 WHERE id = 2")
        .execute(&mut *tx.tx)
        .await?;
    Ok(())
}

/// Sets the setting `key` to `value`, or removes it (`None`), in `tx`.
pub(crate) async fn put_setting(tx: &mut WriteTx<'_>, key: &str, value: Option<&str>) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM settings WHERE key = $1")
        .bind(key)
        .execute(&mut *tx.tx)
        .await?;
    if let Some(value) = value {
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
            .bind(key)
            .bind(value)
            .execute(&mut *tx.tx)
            .await?;
    }
    Ok(())
}
