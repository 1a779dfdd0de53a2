//! Agency requests and their returns: the request rows, the agency's scoping draft and
//! chronology entries, submission, and the Business Unit's reissue, revoke and "go
//! ahead without". Return-link tokens themselves are made in [`crate::links`].

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::events::payloads::{AgencyReturnReceived, StopBecause};
use domain::events::{AgencySlug, EventPayload, EventRequest, NewEvent, Text};
use domain::notices::Notice;
use domain::returns::{
    ChronologyEntry, LINK_EXPIRY_WORKING_DAYS, MAX_ENTRIES_PER_RETURN, MAX_RETURN_BYTES, ReturnState, Scoping,
};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::append::{append_locked, audit_entry};
use crate::audit::{self, AuditEntry};
use crate::cases::CaseRecord;
use crate::link_macs::{Links, reseal_links};
use crate::links::token_for;
use crate::rows::{date, opt_date, sha256_hex, timestamp};
use crate::write::{AppendError, WriteContext};
use crate::{Store, StoreError, WriteTx};

/// One agency request as the return pages and the Business Unit see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnRequest {
    pub id: String,
    pub case_id: String,
    pub case_reference: String,
    pub agency: AgencySlug,
    pub agency_name: String,
    pub sent_on: NaiveDate,
    pub due: NaiveDate,
    pub expires_on: NaiveDate,
    pub generation: i64,
    pub revoked: bool,
    pub opened: bool,
    pub scoping: Scoping,
    pub draft_saved: bool,
    pub entries: i64,
    pub submitted_on: Option<NaiveDate>,
    pub proceed_without: bool,
    pub case_closed: bool,
}

impl ReturnRequest {
    /// What a message about this request's link names.
    pub(crate) fn link_of(&self) -> crate::outbox::LinkOf<'_> {
        crate::outbox::LinkOf {
            id: &self.id,
            case_id: &self.case_id,
            agency: &self.agency,
            due: self.due,
        }
    }

    pub fn state(&self) -> ReturnState {
        ReturnState {
            due: self.due,
            expires_on: self.expires_on,
            opened: self.opened,
            has_draft: self.draft_saved || self.entries > 0,
            submitted: self.submitted_on.is_some(),
            revoked: self.revoked,
            case_closed: self.case_closed,
            proceed_without: self.proceed_without,
        }
    }
}

const REQUEST_SELECT: &str = concat!(
    "SELECT ",
    crate::link_macs::link_columns!(),
    ", r.id, r.case_id, c.reference, r.agency, a.name AS agency_name, r.sent_on, r.due_on,
        r.expires_on, r.generation, r.revoked_at, r.opened_at, r.scoping, r.draft_saved_at, r.submitted_at,
        r.proceed_without_at, c.state AS case_state,
        (SELECT COUNT(*) FROM chronology_entries e WHERE e.request_id = r.id) AS entries
    FROM agency_requests r JOIN cases c ON c.id = r.case_id LEFT JOIN agencies a ON a.slug = r.agency"
);

fn request_from_row(row: &AnyRow) -> Result<ReturnRequest, StoreError> {
    let scoping: String = row.try_get("scoping")?;
    let agency: String = row.try_get("agency")?;
    let submitted: Option<String> = row.try_get("submitted_at")?;
    Ok(ReturnRequest {
        id: row.try_get("id")?,
        case_id: row.try_get("case_id")?,
        case_reference: row.try_get("reference")?,
        agency_name: row
            .try_get::<Option<String>, _>("agency_name")?
            .unwrap_or_else(|| agency.clone()),
        agency: AgencySlug::try_from(agency).map_err(StoreError::corrupt)?,
        sent_on: date(&row.try_get::<String, _>("sent_on")?)?,
        due: date(&row.try_get::<String, _>("due_on")?)?,
        expires_on: date(&row.try_get::<String, _>("expires_on")?)?,
        generation: row.try_get("generation")?,
        revoked: row.try_get::<Option<String>, _>("revoked_at")?.is_some(),
        opened: row.try_get::<Option<String>, _>("opened_at")?.is_some(),
        scoping: serde_json::from_str(&scoping).map_err(StoreError::corrupt)?,
        draft_saved: row.try_get::<Option<String>, _>("draft_saved_at")?.is_some(),
        entries: row.try_get("entries")?,
        submitted_on: opt_date(submitted.map(|s| s.chars().take(10).collect()))?,
        proceed_without: row.try_get::<Option<String>, _>("proceed_without_at")?.is_some(),
        case_closed: row.try_get::<String, _>("case_state")? == "closed",
    })
}

/// Inserts the request for one agency, inside the transaction that records the event.
pub(crate) async fn insert_request(
    tx: &mut WriteTx<'_>,
    case_id: &str,
    agency: &AgencySlug,
    sent_on: NaiveDate,
    due: NaiveDate,
    ctx: &WriteContext<'_>,
) -> Result<(), StoreError> {
    let id = uuid::Uuid::new_v4().to_string();
    let expires = ctx
        .calendar
        .add_working_days(sent_on, LINK_EXPIRY_WORKING_DAYS)
        .max(due);
    let token = token_for(&tx.secrets.links, &id, 1);
    sqlx::query(
        "INSERT INTO agency_requests (id, case_id, agency, sent_on, due_on, expires_on, generation, token_hash, scoping)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, '{}')",
    )
    .bind(&id)
    .bind(case_id)
    .bind(agency.as_str())
    .bind(sent_on.to_string())
    .bind(due.to_string())
    .bind(expires.to_string())
    .bind(sha256_hex(token.as_bytes()))
    .execute(&mut *tx.tx)
    .await?;
    reseal_links(tx, Links::One(&id)).await
}

/// Moves a request's due date to `new_due`, and its link's expiry to at least as many
/// working days after it as a new link gets after its due date.
pub(crate) async fn extend_request(
    tx: &mut WriteTx<'_>,
    case_id: &str,
    agency: &AgencySlug,
    new_due: NaiveDate,
    ctx: &WriteContext<'_>,
) -> Result<(), StoreError> {
    let slack = LINK_EXPIRY_WORKING_DAYS - RETURN_WORKING_DAYS;
    let expires = ctx.calendar.add_working_days(new_due, slack).to_string();
    sqlx::query(
        "UPDATE agency_requests SET due_on = $1,
             expires_on = CASE WHEN expires_on < $2 THEN $2 ELSE expires_on END
         WHERE case_id = $3 AND agency = $4",
    )
    .bind(new_due.to_string())
    .bind(expires)
    .bind(case_id)
    .bind(agency.as_str())
    .execute(&mut *tx.tx)
    .await?;
    reseal_links(tx, Links::of(case_id, agency)).await
}

/// The working days an agency has for its return unless the rules say otherwise, which
/// with [`LINK_EXPIRY_WORKING_DAYS`] leaves a link open 10 working days past its due date.
const RETURN_WORKING_DAYS: i32 = 5;

/// Marks a request submitted when its return is recorded by any route.
pub(crate) async fn mark_submitted(
    tx: &mut WriteTx<'_>,
    case_id: &str,
    agency: &AgencySlug,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE agency_requests SET submitted_at = COALESCE(submitted_at, $1) WHERE case_id = $2 AND agency = $3",
    )
    .bind(timestamp(at))
    .bind(case_id)
    .bind(agency.as_str())
    .execute(&mut *tx.tx)
    .await?;
    reseal_links(tx, Links::of(case_id, agency)).await
}

/// The request of `agency` on case `case_id`, read inside `tx`.
async fn request_in(tx: &mut WriteTx<'_>, case_id: &str, agency: &AgencySlug) -> Result<ReturnRequest, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{REQUEST_SELECT} WHERE r.case_id = $1 AND r.agency = $2"
    )))
    .bind(case_id)
    .bind(agency.as_str())
    .fetch_one(&mut *tx.tx)
    .await?;
    request_from_row(&row)
}

/// The table side of `agency_request_stopped`: the link is withdrawn (and the agency
/// told), or the going-ahead-without is recorded with who decided.
pub(crate) async fn stop_request(
    tx: &mut WriteTx<'_>,
    case_id: &str,
    agency: &AgencySlug,
    because: StopBecause,
    ctx: &WriteContext<'_>,
) -> Result<(), StoreError> {
    let request = request_in(tx, case_id, agency).await?;
    match because {
        StopBecause::LinkWithdrawn => {
            sqlx::query("UPDATE agency_requests SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
                .bind(timestamp(ctx.at))
                .bind(&request.id)
                .execute(&mut *tx.tx)
                .await?;
            if !request.revoked {
                crate::outbox::for_link(tx, request.link_of(), Notice::LinkRevoked, request.generation, ctx.at).await?;
            }
        }
        StopBecause::GoingAheadWithout => {
            sqlx::query(
                "UPDATE agency_requests SET proceed_without_at = COALESCE(proceed_without_at, $1),
                     proceed_without_by = COALESCE(proceed_without_by, $2) WHERE id = $3",
            )
            .bind(timestamp(ctx.at))
            .bind(&ctx.actor.email)
            .bind(&request.id)
            .execute(&mut *tx.tx)
            .await?;
        }
    }
    reseal_links(tx, Links::One(&request.id)).await
}

/// The table side of `agency_request_resumed`: a new link (the old one stays retired),
/// due on `due`, open for as long as a new request's link, and sent to the agency.
pub(crate) async fn resume_request(
    tx: &mut WriteTx<'_>,
    case_id: &str,
    agency: &AgencySlug,
    due: NaiveDate,
    ctx: &WriteContext<'_>,
) -> Result<(), StoreError> {
    let request = request_in(tx, case_id, agency).await?;
    let generation = request.generation + 1;
    let token = token_for(&tx.secrets.links, &request.id, generation);
    let slack = LINK_EXPIRY_WORKING_DAYS - RETURN_WORKING_DAYS;
    let expires = ctx
        .calendar
        .add_working_days(ctx.today, LINK_EXPIRY_WORKING_DAYS)
        .max(ctx.calendar.add_working_days(due, slack));
    sqlx::query(
        "UPDATE agency_requests SET generation = $1, token_hash = $2, revoked_at = NULL, due_on = $3,
             expires_on = CASE WHEN expires_on < $4 THEN $4 ELSE expires_on END WHERE id = $5",
    )
    .bind(generation)
    .bind(sha256_hex(token.as_bytes()))
    .bind(due.to_string())
    .bind(expires.to_string())
    .bind(&request.id)
    .execute(&mut *tx.tx)
    .await?;
    reseal_links(tx, Links::One(&request.id)).await?;
    let request = request_in(tx, case_id, agency).await?;
    crate::outbox::for_link(tx, request.link_of(), Notice::LinkReissued, generation, ctx.at).await
}

impl Store {
    /// The request a token opens, if the token is current (revoked ones still resolve,
    /// so that the page can say the link was withdrawn; a reissued token does not).
    pub async fn request_by_token(&self, token: &str) -> Result<Option<ReturnRequest>, StoreError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{REQUEST_SELECT} WHERE r.token_hash = $1")))
            .bind(sha256_hex(token.as_bytes()))
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) if !crate::link_macs::link_row_intact(&row, &self.secrets.accounts)? => {
                tracing::error!("a return link's row failed its MAC and opens nothing");
                Ok(None)
            }
            row => row.as_ref().map(request_from_row).transpose(),
        }
    }

    pub async fn requests_for_case(&self, case_id: &str) -> Result<Vec<ReturnRequest>, StoreError> {
        if !crate::rows::is_case_id(case_id) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{REQUEST_SELECT} WHERE r.case_id = $1 ORDER BY r.sent_on, r.agency"
        )))
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(request_from_row).collect()
    }

    /// Requests to one agency across all cases, newest first: what its contacts see.
    pub async fn requests_for_agency(&self, agency: &AgencySlug) -> Result<Vec<ReturnRequest>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{REQUEST_SELECT} WHERE r.agency = $1 ORDER BY r.sent_on DESC, c.reference"
        )))
        .bind(agency.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(request_from_row).collect()
    }

    pub async fn mark_opened(&self, request_id: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE agency_requests SET opened_at = COALESCE(opened_at, $1) WHERE id = $2")
            .bind(timestamp(at))
            .bind(request_id)
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }

    /// Saves the scoping draft, with its audit row, in one transaction.
    pub async fn save_scoping(
        &self,
        request_id: &str,
        scoping: &Scoping,
        audit_entry: &AuditEntry,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(scoping).map_err(StoreError::corrupt)?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE agency_requests SET scoping = $1, draft_saved_at = $2 WHERE id = $3 AND submitted_at IS NULL",
        )
        .bind(json)
        .bind(timestamp(audit_entry.at))
        .bind(request_id)
        .execute(&mut *tx.tx)
        .await?;
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await
    }

    /// Adds draft chronology entries, all or none, with the audit row; returns how many
    /// entries the draft now holds.
    pub async fn add_entries(
        &self,
        request_id: &str,
        entries: &[ChronologyEntry],
        audit_entry: &AuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let held: i64 = sqlx::query("SELECT COUNT(*) AS n FROM chronology_entries WHERE request_id = $1")
            .bind(request_id)
            .fetch_one(&mut *tx.tx)
            .await?
            .try_get("n")?;
        let held = usize::try_from(held).unwrap_or(usize::MAX);
        if held.saturating_add(entries.len()) > MAX_ENTRIES_PER_RETURN {
            return Err(StoreError::Conflict {
                field: "entries".into(),
                message: format!(
                    "a return may hold at most {MAX_ENTRIES_PER_RETURN} chronology entries: this one holds {held}, so {} more cannot be added",
                    entries.len()
                ),
            });
        }
        let held_bytes = return_bytes(&mut tx, request_id).await?;
        let adding: usize = entries.iter().map(ChronologyEntry::text_bytes).sum();
        if held_bytes.saturating_add(adding) > MAX_RETURN_BYTES {
            return Err(StoreError::Conflict {
                field: "entries".into(),
                message: format!(
                    "a return may hold at most {} MB of text in all: this one holds {:.1} MB, and these entries add {:.1} MB",
                    MAX_RETURN_BYTES / (1024 * 1024),
                    held_bytes as f64 / (1024.0 * 1024.0),
                    adding as f64 / (1024.0 * 1024.0)
                ),
            });
        }
        let at = timestamp(audit_entry.at);
        for e in entries {
            sqlx::query(
                "INSERT INTO chronology_entries (request_id, entry_date, entry_time, what_happened, who, source, significance, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(request_id)
            .bind(e.date.to_string())
            .bind(e.time.map(|t| t.format("%H:%M").to_string()))
            .bind(e.what_happened.as_str())
            .bind(e.who.as_ref().map(|t| t.to_string()))
            .bind(e.source.as_ref().map(|t| t.to_string()))
            .bind(e.significance.as_ref().map(|t| t.to_string()))
            .bind(&at)
            .execute(&mut *tx.tx)
            .await?;
        }
        audit::append(&mut tx, audit_entry).await?;
        let row = sqlx::query("SELECT COUNT(*) AS n FROM chronology_entries WHERE request_id = $1")
            .bind(request_id)
            .fetch_one(&mut *tx.tx)
            .await?;
        let count: i64 = row.try_get("n")?;
        tx.commit().await?;
        Ok(count)
    }

    /// Submits a return: records `agency_return_received` on the case, which makes the
    /// link read-only, in one transaction with its audit row.
    pub async fn submit_return(
        &self,
        request: &ReturnRequest,
        ctx: WriteContext<'_>,
    ) -> Result<CaseRecord, AppendError> {
        let agency = request.agency.clone();
        let event = NewEvent {
            on: ctx.today,
            payload: EventPayload::AgencyReturnReceived(AgencyReturnReceived { agency }),
        };
        let mut tx = self.begin_write().await?;
        let appended = append_locked(
            &mut tx,
            &request.case_id,
            EventRequest {
                event,
                expected_version: None,
            },
            &ctx,
        )
        .await?;
        audit::append(&mut tx, &audit_entry(&ctx, &request.case_id, "201")).await?;
        tx.commit().await?;
        Ok(appended.record)
    }

    /// Retires the current link and makes a new one, open for another 15 working days.
    pub async fn reissue_link(
        &self,
        request: &ReturnRequest,
        expires_on: NaiveDate,
        audit_entry: &AuditEntry,
    ) -> Result<String, StoreError> {
        let generation = request.generation + 1;
        let token = token_for(&self.secrets.links, &request.id, generation);
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE agency_requests SET generation = $1, token_hash = $2, revoked_at = NULL, expires_on = $3 WHERE id = $4")
            .bind(generation)
            .bind(sha256_hex(token.as_bytes()))
            .bind(expires_on.max(request.expires_on).to_string())
            .bind(&request.id)
            .execute(&mut *tx.tx)
            .await?;
        reseal_links(&mut tx, Links::One(&request.id)).await?;
        crate::outbox::for_link(
            &mut tx,
            request.link_of(),
            Notice::LinkReissued,
            generation,
            audit_entry.at,
        )
        .await?;
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(token)
    }

    pub async fn revoke_link(&self, request: &ReturnRequest, audit_entry: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE agency_requests SET revoked_at = $1 WHERE id = $2")
            .bind(timestamp(audit_entry.at))
            .bind(&request.id)
            .execute(&mut *tx.tx)
            .await?;
        reseal_links(&mut tx, Links::One(&request.id)).await?;
        crate::outbox::for_link(
            &mut tx,
            request.link_of(),
            Notice::LinkRevoked,
            request.generation,
            audit_entry.at,
        )
        .await?;
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await
    }

    /// Records the Business Unit's decision to build the papers pack without this
    /// return; the case's snapshot stops waiting for it (its clock no longer counts as
    /// running, so it is never shown overdue).
    pub async fn proceed_without(
        &self,
        request: &ReturnRequest,
        audit_entry: &AuditEntry,
        ctx: WriteContext<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE agency_requests SET proceed_without_at = $1, proceed_without_by = $2 WHERE id = $3")
            .bind(timestamp(audit_entry.at))
            .bind(audit_entry.actor.clone())
            .bind(&request.id)
            .execute(&mut *tx.tx)
            .await?;
        reseal_links(&mut tx, Links::One(&request.id)).await?;
        let (events, _) = crate::cases::load_events(&mut tx.tx, &tx.secrets.events, &request.case_id).await?;
        crate::append::update_snapshot(&mut tx, &request.case_id, &events, &ctx).await?;
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await
    }

    /// One request's chronology entries, oldest first.
    pub async fn request_entries(&self, request_id: &str) -> Result<Vec<ChronologyEntry>, StoreError> {
        self.request_entries_page(request_id, 0, i64::MAX).await
    }

    /// A page of one request's chronology entries, oldest first: `limit` entries after
    /// the first `offset`.
    pub async fn request_entries_page(
        &self,
        request_id: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<ChronologyEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT entry_date, entry_time, what_happened, who, source, significance FROM chronology_entries
             WHERE request_id = $1 ORDER BY entry_date, entry_time, id LIMIT $2 OFFSET $3",
        )
        .bind(request_id)
        .bind(limit)
        .bind(offset)
        .fetch(&self.pool);
        // Row by row, for the reason given in `merged_chronology`.
        use futures_util::TryStreamExt;
        let mut rows = rows;
        let mut entries = Vec::new();
        while let Some(row) = rows.try_next().await? {
            entries.push(entry_from_row(&row)?);
        }
        Ok(entries)
    }

    /// Every submitted entry of a case, oldest first, with its agency.
    pub async fn merged_chronology(&self, case_id: &str) -> Result<Vec<(AgencySlug, ChronologyEntry)>, StoreError> {
        if !crate::rows::is_case_id(case_id) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT r.agency, e.entry_date, e.entry_time, e.what_happened, e.who, e.source, e.significance
             FROM chronology_entries e JOIN agency_requests r ON r.id = e.request_id
             WHERE r.case_id = $1 AND r.submitted_at IS NOT NULL
             ORDER BY e.entry_date, CASE WHEN e.entry_time IS NULL THEN 0 ELSE 1 END, e.entry_time, r.agency, e.id",
        )
        .bind(case_id)
        .fetch(&self.pool);
        // Row by row: a return may hold 5 MB of text, and a whole result set would be
        // held twice (rows and entries), in the connection thread's own heap.
        use futures_util::TryStreamExt;
        let mut rows = rows;
        let mut entries = Vec::new();
        while let Some(r) = rows.try_next().await? {
            let agency: String = r.try_get("agency")?;
            entries.push((
                AgencySlug::try_from(agency).map_err(StoreError::corrupt)?,
                entry_from_row(&r)?,
            ));
        }
        Ok(entries)
    }
}

fn entry_from_row(row: &AnyRow) -> Result<ChronologyEntry, StoreError> {
    let text = |name: &str| -> Result<Option<Text>, StoreError> {
        let value: Option<String> = row.try_get(name)?;
        value.map(Text::try_from).transpose().map_err(StoreError::corrupt)
    };
    let time: Option<String> = row.try_get("entry_time")?;
    Ok(ChronologyEntry {
        date: date(&row.try_get::<String, _>("entry_date")?)?,
        time: time
            .map(|t| NaiveTime::parse_from_str(&t, "%H:%M"))
            .transpose()
            .map_err(StoreError::corrupt)?,
        what_happened: text("what_happened")?.ok_or_else(|| StoreError::corrupt("entry without what_happened"))?,
        who: text("who")?,
        source: text("source")?,
        significance: text("significance")?,
    })
}

/// The bytes of text return `request_id` holds: its entries and its scoping answers.
async fn return_bytes(tx: &mut crate::WriteTx<'_>, request_id: &str) -> Result<usize, StoreError> {
    let length = |column: &str| match tx.backend {
        crate::Backend::Sqlite => format!("COALESCE(LENGTH(CAST({column} AS BLOB)), 0)"),
        crate::Backend::Postgres => format!("COALESCE(OCTET_LENGTH({column}), 0)"),
    };
    let sql = format!(
        "SELECT CAST(COALESCE(SUM({} + {} + {} + {}), 0) AS BIGINT) AS n FROM chronology_entries WHERE request_id = $1",
        length("what_happened"),
        length("who"),
        length("source"),
        length("significance")
    );
    let entries: i64 = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(request_id)
        .fetch_one(&mut *tx.tx)
        .await?
        .try_get("n")?;
    let scoping: Option<String> = sqlx::query("SELECT scoping FROM agency_requests WHERE id = $1")
        .bind(request_id)
        .fetch_optional(&mut *tx.tx)
        .await?
        .map(|r| r.try_get("scoping"))
        .transpose()?;
    Ok(usize::try_from(entries).unwrap_or(usize::MAX) + scoping.map_or(0, |s| s.len()))
}
