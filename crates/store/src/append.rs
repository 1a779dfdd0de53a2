//! The write pipeline of a case. A case is created with its `incident_reported` event
//! and grows by appending events, one version at a time. Each append, inside one
//! transaction: locks the case (PostgreSQL `FOR UPDATE`; SQLite: the writer queue),
//! re-reads its events, checks `expected_version` and the process rules against them,
//! inserts the event, applies the event's side effects on other tables, updates the
//! case's snapshot, and (by the caller) writes the audit row; so either all of it lands
//! or none of it does.

use domain::case::CaseView;
use domain::deadlines::{DeadlineStatus, StepKey};
use domain::events::{Event, EventKind, EventPayload, EventRequest, NewEvent};
use domain::process::{self, Refusal};
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, AuditEntry};
use crate::cases::{CaseRecord, StoredEvent, load_events, open_or_closed};
use crate::rows::{is_case_id, timestamp};
use crate::write::{AppendError, WriteContext};
use crate::{Backend, Store, StoreError, WriteTx};

impl Store {
    /// Opens a case with its `incident_reported` event.
    pub async fn create_case(&self, incident: NewEvent, ctx: WriteContext<'_>) -> Result<CaseRecord, AppendError> {
        Ok(self.create_case_folded(incident, ctx).await?.record)
    }

    /// [`Store::create_case`], with the new case's state: folded once, for the snapshot
    /// and for the caller to render from.
    pub async fn create_case_folded(&self, incident: NewEvent, ctx: WriteContext<'_>) -> Result<Appended, AppendError> {
        if incident.kind() != EventKind::IncidentReported {
            return Err(Refusal::NotAllowedNow("a case opens with incident_reported".into()).into());
        }
        // A new case has nothing to fold: it is checked against the empty state, and
        // its state is that state with the report applied.
        let empty = process::CaseState::default();
        let event = process::record_after(&empty, &[], incident, ctx.today)?;
        let id = uuid::Uuid::new_v4().to_string();
        let mut tx = self.begin_write().await?;
        let year = ctx.today.format("%Y").to_string();
        let row = sqlx::query(
            "INSERT INTO reference_counters (year, last) VALUES ($1, 1)
             ON CONFLICT (year) DO UPDATE SET last = reference_counters.last + 1 RETURNING last",
        )
        .bind(year.parse::<i64>().unwrap_or_default())
        .fetch_one(&mut *tx.tx)
        .await?;
        let number: i64 = row.try_get("last")?;
        let reference = format!("RR-{year}-{number:04}");
        let state = process::fold_with(&empty, std::slice::from_ref(&event));
        let view = CaseView::of_state(&state, ctx.calendar, ctx.rules, ctx.today);
        let now = timestamp(ctx.at);
        sqlx::query(
            "INSERT INTO cases (id, reference, version, route, path, stage, state, aware_on, opened_on, created_at, updated_at)
             VALUES ($1, $2, 1, '', '', '', '', $3, $4, $5, $5)",
        )
        .bind(&id)
        .bind(&reference)
        .bind(view.aware_on.map(|d| d.to_string()).unwrap_or_default())
        .bind(event.on.to_string())
        .bind(&now)
        .execute(&mut *tx.tx)
        .await?;
        insert_event(&mut tx, &id, &event, &ctx).await?;
        update_snapshot_of(&mut tx, &id, std::slice::from_ref(&event), (&state, &view), &ctx).await?;
        crate::outbox::for_event(
            &mut tx,
            &id,
            &event,
            std::slice::from_ref(&event),
            (ctx.actor.id > 0).then_some(ctx.actor.id),
            ctx.at,
        )
        .await?;
        if let Some(key) = ctx.idempotency {
            crate::idempotency::claim(&mut tx, key, &id, None, 201, ctx.at).await?;
        }
        audit::append(&mut tx, &audit_entry(&ctx, &id, "201")).await?;
        tx.commit().await?;
        Ok(Appended {
            event: event.clone(),
            record: CaseRecord {
                id,
                reference,
                events: vec![event],
                meta: vec![StoredEvent {
                    recorded_at: recorded_at(&ctx),
                    actor_id: Some(ctx.actor.id),
                    actor: ctx.actor.email.clone(),
                }],
            },
            state,
        })
    }

    /// Appends one event if the process allows it now; serialised per case.
    pub async fn append_event(
        &self,
        case_id: &str,
        request: EventRequest,
        ctx: WriteContext<'_>,
    ) -> Result<(Event, CaseRecord), AppendError> {
        let appended = self.append_event_folded(case_id, request, ctx).await?;
        Ok((appended.event, appended.record))
    }

    /// [`Store::append_event`], with the case's state after the event: what the caller
    /// renders from, so that the write folds the case once.
    pub async fn append_event_folded(
        &self,
        case_id: &str,
        request: EventRequest,
        ctx: WriteContext<'_>,
    ) -> Result<Appended, AppendError> {
        let mut tx = self.begin_write().await?;
        let appended = append_locked(&mut tx, case_id, request, &ctx).await?;
        if let Some(key) = ctx.idempotency {
            let version = i64::from(appended.event.version.get());
            crate::idempotency::claim(&mut tx, key, case_id, Some(version), 201, ctx.at).await?;
        }
        audit::append(&mut tx, &audit_entry(&ctx, case_id, "201")).await?;
        tx.commit().await?;
        Ok(appended)
    }
}

/// Locks case `case_id` for the rest of the transaction (PostgreSQL `FOR UPDATE`;
/// SQLite's writer queue already serialises writes) and returns its reference, or
/// `None` when there is no such case.
pub(crate) async fn lock_case(tx: &mut WriteTx<'_>, case_id: &str) -> Result<Option<String>, StoreError> {
    if !is_case_id(case_id) {
        return Ok(None);
    }
    let lock = match tx.backend {
        Backend::Postgres => "SELECT id, reference FROM cases WHERE id = $1 FOR UPDATE",
        Backend::Sqlite => "SELECT id, reference FROM cases WHERE id = $1",
    };
    let row = sqlx::query(lock).bind(case_id).fetch_optional(&mut *tx.tx).await?;
    row.map(|r| r.try_get("reference"))
        .transpose()
        .map_err(StoreError::from)
}

/// Locks the case, checks and appends one event, and keeps the agency requests and the
/// snapshot in step, all inside `tx`. The caller writes the audit row and commits.
/// An event appended: the event, the case's history with it, and the state folded from
/// that history.
#[derive(Debug, Clone)]
pub struct Appended {
    pub event: Event,
    pub record: CaseRecord,
    pub state: domain::process::CaseState,
}

pub(crate) async fn append_locked(
    tx: &mut WriteTx<'_>,
    case_id: &str,
    request: EventRequest,
    ctx: &WriteContext<'_>,
) -> Result<Appended, AppendError> {
    let Some(reference) = lock_case(tx, case_id).await? else {
        return Err(AppendError::NotFound);
    };
    let (mut events, mut meta) = load_events(&mut tx.tx, &tx.secrets.events, case_id).await?;
    let current = events.last().map_or(0, |e| e.version.get());
    // A history cut short is refused here too: a new event must not take the place of
    // one that was removed.
    let recorded: i64 = sqlx::query("SELECT version FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(&mut *tx.tx)
        .await?
        .try_get("version")?;
    if recorded != i64::from(current) {
        return Err(AppendError::Store(crate::event_chain::tampered(
            case_id,
            &format!(
                "its history ends at event {current} but the case recorded {recorded} events: the last were removed"
            ),
        )));
    }
    if let Some(expected) = request.expected_version
        && expected != current
    {
        return Err(AppendError::VersionConflict { current, expected });
    }
    // The case is folded once: checked against that state, and the state after the
    // new event worked out from it (see `process::fold_with`).
    let before = process::fold(&events);
    let mut event = process::record_after(&before, &events, request.event, ctx.today)?;
    // Only the cross-checked steps can name an agency in a warning.
    let names = match event.payload.kind() {
        EventKind::AgencyRequestsSent
        | EventKind::MeetingScheduled
        | EventKind::DeadlineExtended
        | EventKind::PackShared => agency_names(tx).await?,
        _ => std::collections::HashMap::new(),
    };
    let agency_name = |slug: &str| names.get(slug).cloned().unwrap_or_else(|| slug.to_owned());
    domain::crosscheck::review(&events, &mut event, ctx.calendar, ctx.rules, &agency_name)?;
    crate::template::fill_submission(tx, case_id, &mut event.payload).await?;
    insert_event(tx, case_id, &event, ctx).await?;
    events.push(event.clone());
    meta.push(StoredEvent {
        recorded_at: recorded_at(ctx),
        actor_id: Some(ctx.actor.id),
        actor: ctx.actor.email.clone(),
    });
    let after = process::fold_with(&before, &events);
    let view = CaseView::of_state(&after, ctx.calendar, ctx.rules, ctx.today);
    apply_side_effects(tx, case_id, &event, &view, ctx).await?;
    update_snapshot_of(tx, case_id, &events, (&after, &view), ctx).await?;
    crate::outbox::for_event(
        tx,
        case_id,
        &event,
        &events,
        (ctx.actor.id > 0).then_some(ctx.actor.id),
        ctx.at,
    )
    .await?;
    Ok(Appended {
        event,
        record: CaseRecord {
            id: case_id.to_owned(),
            reference,
            events,
            meta,
        },
        state: after,
    })
}

/// What an event does beyond its own row, decided for every event type: a new type
/// must say here whether it touches other tables (the match has no catch-all).
async fn apply_side_effects(
    tx: &mut WriteTx<'_>,
    case_id: &str,
    event: &Event,
    view: &CaseView,
    ctx: &WriteContext<'_>,
) -> Result<(), StoreError> {
    use EventPayload as P;
    match &event.payload {
        P::AgencyRequestsSent(p) => {
            // One request per agency, with its return link, due as the deadline says.
            for agency in &p.agencies {
                let due = view
                    .agency_requests
                    .iter()
                    .find(|r| &r.agency == agency)
                    .and_then(|r| r.due)
                    .unwrap_or(event.on);
                crate::returns::insert_request(tx, case_id, agency, event.on, due, ctx).await?;
            }
        }
        P::AgencyReturnReceived(p) => crate::returns::mark_submitted(tx, case_id, &p.agency, ctx.at).await?,
        // Stopping withdraws the link or records going ahead without the return;
        // resuming gives the agency a new link, due as the clock now says.
        P::AgencyRequestStopped(p) => crate::returns::stop_request(tx, case_id, &p.agency, p.because, ctx).await?,
        P::AgencyRequestResumed(p) => {
            let due = view
                .agency_requests
                .iter()
                .find(|r| r.agency == p.agency)
                .and_then(|r| r.due)
                .unwrap_or(event.on);
            crate::returns::resume_request(tx, case_id, &p.agency, due, ctx).await?;
        }
        // An agency's extension moves its link's due date, and its expiry with it.
        P::DeadlineExtended(p) => {
            if let Some(agency) = p.agency.as_ref().filter(|_| p.step == StepKey::AgencyReturn) {
                crate::returns::extend_request(tx, case_id, agency, p.new_due, ctx).await?;
            }
        }
        P::IncidentReported(_)
        | P::ForwardedToLa(_)
        | P::ThresholdDecided(_)
        | P::DecisionFedBack(_)
        | P::ThresholdChallenged(_)
        | P::ChallengeViewRecorded(_)
        | P::AlaViewRecorded(_)
        | P::ChallengeMeetingHeld(_)
        | P::ChallengeResolved(_)
        | P::PanelNotified(_)
        | P::ReferralSubmitted(_)
        | P::MeetingScheduled(_)
        | P::PackShared(_)
        | P::MeetingHeld(_)
        | P::RapidReviewSubmitted(_)
        | P::OutcomeCommunicated(_)
        | P::PanelResponseReceived(_)
        | P::EsgRecommendationMade(_)
        | P::AlaProposed(_)
        | P::AlaDecided(_)
        | P::AlaCompleted(_)
        | P::LcsprCommissioned(_)
        | P::LcsprSentToPanel(_)
        | P::LcsprPublished(_)
        | P::LearningActionAdded(_)
        | P::ActionUpdated(_)
        | P::CaseClosed(_)
        | P::CaseReopened(_)
        | P::EventCorrected(_) => {}
    }
    Ok(())
}

/// When an event was recorded, on the business date: the moment of the write, or under
/// a business date of its own (`serve --today`), that date at the same time of day, so
/// that what the case shows and its letters list agree with the day it was recorded.
/// The audit row and the outbox keep the real moment.
pub(crate) fn recorded_at(ctx: &WriteContext<'_>) -> chrono::DateTime<chrono::Utc> {
    domain::dates::on_business_day(ctx.at, ctx.today)
}

pub(crate) fn audit_entry(ctx: &WriteContext<'_>, case_id: &str, outcome: &str) -> AuditEntry {
    AuditEntry {
        at: ctx.at,
        actor: Some(ctx.actor.email.clone()),
        action: ctx.action.to_owned(),
        subject: None,
        case_id: Some(case_id.to_owned()),
        outcome: outcome.to_owned(),
    }
}

async fn insert_event(
    tx: &mut WriteTx<'_>,
    case_id: &str,
    event: &Event,
    ctx: &WriteContext<'_>,
) -> Result<(), StoreError> {
    let payload = serde_json::Value::Object(event.payload.fields()).to_string();
    let (version, on_date, recorded_at) = (
        i64::from(event.version.get()),
        event.on.to_string(),
        timestamp(recorded_at(ctx)),
    );
    let actor_id = (ctx.actor.id > 0).then_some(ctx.actor.id);
    let prev = crate::event_chain::prev_mac(tx, case_id, version).await?;
    let mac = crate::event_chain::EventColumns {
        case_id,
        version,
        kind: event.payload.kind().as_str(),
        on_date: &on_date,
        recorded_at: &recorded_at,
        actor_id,
        actor_email: &ctx.actor.email,
        payload: &payload,
    }
    .mac(&tx.secrets.events, &prev);
    sqlx::query(
        "INSERT INTO events (case_id, version, type, on_date, recorded_at, actor_id, actor_email, payload, mac)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(case_id)
    .bind(version)
    .bind(event.payload.kind().as_str())
    .bind(on_date)
    .bind(recorded_at)
    .bind(actor_id)
    .bind(&ctx.actor.email)
    .bind(payload)
    .bind(mac)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

pub(crate) async fn update_snapshot(
    tx: &mut WriteTx<'_>,
    case_id: &str,
    events: &[Event],
    ctx: &WriteContext<'_>,
) -> Result<(), StoreError> {
    let state = domain::process::fold(events);
    let view = CaseView::of_state(&state, ctx.calendar, ctx.rules, ctx.today);
    update_snapshot_of(tx, case_id, events, (&state, &view), ctx).await
}

/// [`update_snapshot`] from the case's state and view, already worked out.
pub(crate) async fn update_snapshot_of(
    tx: &mut WriteTx<'_>,
    case_id: &str,
    events: &[Event],
    (state, view): (&domain::process::CaseState, &CaseView),
    ctx: &WriteContext<'_>,
) -> Result<(), StoreError> {
    // Returns the Business Unit went ahead without are not waited for.
    let without: Vec<String> =
        sqlx::query("SELECT agency FROM agency_requests WHERE case_id = $1 AND proceed_without_at IS NOT NULL")
            .bind(case_id)
            .fetch_all(&mut *tx.tx)
            .await?
            .iter()
            .map(|r| r.try_get("agency"))
            .collect::<Result<_, _>>()?;
    let running = |d: &&domain::deadlines::Deadline| {
        matches!(d.status, DeadlineStatus::Due | DeadlineStatus::Overdue)
            && !d
                .agency
                .as_ref()
                .is_some_and(|a| without.iter().any(|w| w == a.as_str()))
    };
    // The soonest running clock; a challenge window that lapses is not overdue, so it
    // does not count here.
    let next = view
        .deadlines
        .iter()
        .filter(running)
        .filter(|d| d.step != StepKey::ChallengeWindow)
        .filter_map(|d| d.due.map(|due| (due, d)))
        .min_by_key(|(due, _)| *due);
    let initials: String = domain::process::corrected_incident(events)
        .map(|i| {
            i.children
                .iter()
                .map(|c| c.initials.as_str().to_owned())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let submission_due = view
        .deadlines
        .iter()
        .filter(running)
        .find(|d| d.step == StepKey::RapidReviewSubmission)
        .and_then(|d| d.due);
    sqlx::query(
        "UPDATE cases SET version = $1, route = $2, path = $3, stage = $4, state = $5, aware_on = $6, opened_on = $7,
         next_step = $8, next_agency = $9, next_due = $10, updated_at = $11, submission_due = $12, initials = $13,
         actions_due = $14
         WHERE id = $15",
    )
    .bind(i64::from(events.last().map_or(0, |e| e.version.get())))
    .bind(enum_key(&view.route))
    .bind(enum_key(&view.path))
    .bind(view.stage.as_str())
    .bind(open_or_closed(view.state))
    .bind(view.aware_on.map(|d| d.to_string()).unwrap_or_default())
    .bind(view.opened_on.map(|d| d.to_string()).unwrap_or_default())
    .bind(next.map(|(_, d)| d.step.as_str().to_owned()))
    .bind(next.and_then(|(_, d)| d.agency.as_ref().map(|a| a.as_str().to_owned())))
    .bind(next.map(|(due, _)| due.to_string()))
    .bind(timestamp(ctx.at))
    .bind(submission_due.map(|d| d.to_string()))
    .bind(initials)
    .bind(state.open_actions_due().map(|d| d.to_string()))
    .bind(case_id)
    .execute(&mut *tx.tx)
    .await?;
    bump_data_version(tx).await?;
    Ok(())
}

/// The snake_case key serde gives a unit enum value.
fn enum_key<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Moves the counter every case write moves, so that cached case lists (on any
/// instance) know they are stale.
pub(crate) async fn bump_data_version(tx: &mut WriteTx<'_>) -> Result<(), StoreError> {
    sqlx::query("UPDATE data_version SET version = version + 1 WHERE id = 1")
        .execute(&mut *tx.tx)
        .await?;
    Ok(())
}

/// The directory's agency names by key, for the words of a warning.
async fn agency_names(tx: &mut WriteTx<'_>) -> Result<std::collections::HashMap<String, String>, StoreError> {
    let rows = sqlx::query("SELECT slug, name FROM agencies")
        .fetch_all(&mut *tx.tx)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("slug")?, r.try_get("name")?)))
        .collect()
}
