//! Requests stopped before the stop was a step. Until `agency_request_stopped`
//! existed, withdrawing a return link or going ahead without a return changed only the
//! request's row, so the case's history still waited for the return: its clock ran,
//! its agency was reminded and chased, the Partnership Manager was escalated. When a
//! database is upgraded across migration 0023, [`Store::migrate`] leaves a mark, and
//! [`Store::record_legacy_stops`] then records the missing step on each such request
//! still outstanding on an open case: dated the day it was stopped, by the person who
//! went ahead without it (or else the first active Partnership Manager), with a reason
//! that says it was recorded on upgrade. Each is audited like any other step. A case
//! the process refuses it on (closed since, say) is left as it is and logged.

use chrono::{DateTime, Utc};
use domain::events::{AgencySlug, EventPayload, EventRequest, NewEvent, StopBecause, Text};
use domain::process;
use domain::roles::Role;
use sqlx::Row;

use crate::rows::parse_timestamp;
use crate::write::WriteContext;
use crate::{Store, StoreError};

/// The settings key that marks an upgrade whose stops are still to record.
pub(crate) const PENDING_KEY: &str = "legacy_stops_pending";

/// The reason each recorded stop gives.
const REASON: &str =
    "Recorded when the service was upgraded: the request was stopped before stopping it was a step of the case.";

impl Store {
    /// Marks that the requests stopped before migration 0023 are to be recorded.
    pub(crate) async fn mark_legacy_stops_pending(&self) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        crate::calendar::put_setting(&mut tx, PENDING_KEY, Some("1")).await?;
        tx.commit().await
    }

    /// Records the stop of every request withdrawn or gone ahead without before the
    /// stop was a step, once, after an upgrade marked it. Returns how many it recorded.
    pub async fn record_legacy_stops(&self, at: DateTime<Utc>) -> Result<usize, StoreError> {
        let pending = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(PENDING_KEY)
            .fetch_optional(&self.pool)
            .await?;
        if pending.is_none() {
            return Ok(0);
        }
        let rows = sqlx::query(
            "SELECT case_id, agency, revoked_at, proceed_without_at, proceed_without_by FROM agency_requests
             WHERE submitted_at IS NULL AND (revoked_at IS NOT NULL OR proceed_without_at IS NOT NULL)
             ORDER BY case_id, COALESCE(proceed_without_at, revoked_at), agency",
        )
        .fetch_all(&self.pool)
        .await?;
        let users = self.list_users().await?;
        let manager = users.iter().find(|u| !u.disabled && u.role == Role::PartnershipManager);
        let calendar = self.calendar().await?;
        let rules = self.rules().await?;
        let mut recorded = 0;
        for row in &rows {
            let case_id: String = row.try_get("case_id")?;
            let agency = AgencySlug::try_from(row.try_get::<String, _>("agency")?).map_err(StoreError::corrupt)?;
            let proceeded: Option<String> = row.try_get("proceed_without_at")?;
            let revoked: Option<String> = row.try_get("revoked_at")?;
            let by: Option<String> = row.try_get("proceed_without_by")?;
            let (because, when) = match (proceeded, revoked) {
                (Some(when), _) => (StopBecause::GoingAheadWithout, when),
                (None, Some(when)) => (StopBecause::LinkWithdrawn, when),
                (None, None) => continue,
            };
            let Some(record) = self.case(&case_id).await? else {
                continue;
            };
            let state = process::fold(&record.events);
            let waiting = state
                .request(&agency)
                .is_some_and(|r| r.received_on.is_none() && r.stopped.is_none());
            if !waiting || state.is_closed() {
                continue;
            }
            let actor = by
                .as_deref()
                .and_then(|email| users.iter().find(|u| u.email.eq_ignore_ascii_case(email)))
                .or(manager);
            let Some(actor) = actor else {
                tracing::warn!("no Partnership Manager to record a stopped request on upgrade");
                continue;
            };
            let on = domain::dates::london_date(parse_timestamp(&when)?);
            let step = EventRequest {
                event: NewEvent {
                    on,
                    payload: EventPayload::AgencyRequestStopped(domain::events::AgencyRequestStopped {
                        agency: agency.clone(),
                        because,
                        reason: Text::try_from(REASON.to_owned()).ok(),
                    }),
                },
                expected_version: None,
            };
            let ctx = WriteContext {
                today: on,
                at,
                calendar: &calendar,
                rules: &rules,
                actor,
                action: "upgrade: agency_request_stopped",
                idempotency: None,
            };
            match self.append_event(&case_id, step, ctx).await {
                Ok(_) => recorded += 1,
                Err(e) => tracing::warn!("a request stopped before the upgrade could not be recorded as a step: {e}"),
            }
        }
        let mut tx = self.begin_write().await?;
        crate::calendar::put_setting(&mut tx, PENDING_KEY, None).await?;
        tx.commit().await?;
        Ok(recorded)
    }
}
