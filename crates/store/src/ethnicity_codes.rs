//! Once, after the upgrade that made a child's ethnicity a DfE census code: rewrites
//! the free text recorded before into codes (see `domain::events::Ethnicity::from_legacy`),
//! keeping text that matches no category as `ethnicity_other` beside `OOTH`. Only the
//! representation changes; what was recorded, and when, does not.

use domain::events::Ethnicity;
use serde_json::Value;
use sqlx::Row;

use crate::{Store, StoreError};

/// The setting that records that every stored ethnicity is a code.
const DONE: &str = "ethnicity_is_a_census_code";

/// Rewrites the children in one event's fields; true if anything changed.
fn map_children(fields: &mut Value) -> bool {
    let Some(children) = fields.get_mut("children").and_then(Value::as_array_mut) else {
        return false;
    };
    let mut changed = false;
    for child in children {
        let Some(text) = child.get("ethnicity").and_then(Value::as_str).map(str::to_owned) else {
            continue;
        };
        if Ethnicity::parse(&text).is_some() {
            continue;
        }
        let (code, other) = Ethnicity::from_legacy(&text);
        child["ethnicity"] = Value::from(code.as_str());
        if let Some(other) = other {
            child["ethnicity_other"] = Value::from(other);
        }
        changed = true;
    }
    changed
}

impl Store {
    pub(crate) async fn map_legacy_ethnicity_if_needed(&self) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(DONE)
            .fetch_optional(&mut *tx.tx)
            .await?;
        if done.is_some() {
            return Ok(());
        }
        let rows = sqlx::query(
            "SELECT case_id, version, payload FROM events
             WHERE type IN ('incident_reported', 'event_corrected') AND payload LIKE '%ethnicity%'",
        )
        .fetch_all(&mut *tx.tx)
        .await?;
        for row in &rows {
            let payload: String = row.try_get("payload")?;
            let mut fields: Value = serde_json::from_str(&payload).map_err(StoreError::corrupt)?;
            let changed = match fields.get_mut("fields") {
                // A correction carries the corrected fields inside `fields`.
                Some(inner) => map_children(inner),
                None => map_children(&mut fields),
            };
            if changed {
                sqlx::query("UPDATE events SET payload = $1 WHERE case_id = $2 AND version = $3")
                    .bind(fields.to_string())
                    .bind(row.try_get::<String, _>("case_id")?)
                    .bind(row.try_get::<i64, _>("version")?)
                    .execute(&mut *tx.tx)
                    .await?;
                crate::event_chain::reseal_case(&mut tx, &row.try_get::<String, _>("case_id")?).await?;
            }
        }
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, 'yes') ON CONFLICT (key) DO NOTHING")
            .bind(DONE)
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_becomes_a_code_and_unmatched_text_is_kept_beside_other() {
        let mut fields = serde_json::json!({"children": [
            {"initials": "AB", "ethnicity": "White British"},
            {"initials": "CD", "ethnicity": "Kurdish"},
            {"initials": "EF", "ethnicity": "BAFR"},
            {"initials": "GH"}
        ]});
        assert!(map_children(&mut fields));
        let c = &fields["children"];
        assert_eq!(
            (c[0]["ethnicity"].as_str(), c[0].get("ethnicity_other")),
            (Some("WBRI"), None)
        );
        assert_eq!(
            (c[1]["ethnicity"].as_str(), c[1]["ethnicity_other"].as_str()),
            (Some("OOTH"), Some("Kurdish"))
        );
        assert_eq!(c[2]["ethnicity"], "BAFR");
        assert!(c[3].get("ethnicity").is_none());
        assert!(!map_children(&mut fields), "a second run changes nothing");
    }
}
