//! Cases as they are read: a case's whole history, and the case list from the
//! snapshots (one JSON aggregate per page, cached until `data_version` moves). Writing
//! a case is in [`crate::append`].

use crate::write::WriteContext;
use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::Calendar;
use domain::case::OpenOrClosed;
use domain::deadlines::RuleSet;
use domain::events::{Event, EventKind, EventPayload, Version};
use serde::Serialize;
use sqlx::AnyConnection;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::rows::{date, is_case_id, opt_date, parse_timestamp};
use crate::user::User;
use crate::{Backend, Store, StoreError};

/// Who recorded an event and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub recorded_at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor: String,
}

/// A case with its whole history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub id: String,
    pub reference: String,
    /// In version order; `meta[i]` belongs to `events[i]`.
    pub events: Vec<Event>,
    pub meta: Vec<StoredEvent>,
}

impl CaseRecord {
    pub fn version(&self) -> u32 {
        self.events.last().map_or(0, |e| e.version.get())
    }
}

/// One line of the case list, read from the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseSummary {
    pub id: String,
    pub reference: String,
    pub version: u32,
    pub route: String,
    pub path: String,
    pub stage: String,
    pub state: String,
    pub aware_on: NaiveDate,
    pub opened_on: NaiveDate,
    pub next_deadline: Option<NextDeadline>,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextDeadline {
    pub step: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    pub due: NaiveDate,
}

/// Filters of the case list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub state: Option<OpenOrClosed>,
    /// Only open cases with a running deadline due before `today`.
    pub overdue: bool,
    pub stage: Option<String>,
    /// Any part of a reference, or a child's initials.
    pub reference: Option<String>,
    pub limit: u32,
    pub offset: u32,
}

/// A case's version and revision: equal stamps, the same case to every reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaseStamp {
    pub version: i64,
    pub revision: i64,
}

/// The columns that read a case's stamp beside another answer, for the case id bound as
/// `$n`: one statement where two would be (see `user_for_token_reading`).
macro_rules! stamp_columns {
    ($n:literal) => {
        concat!(
            "(SELECT version FROM cases WHERE id = ",
            $n,
            ") AS case_version, (SELECT revision FROM cases WHERE id = ",
            $n,
            ") AS case_revision"
        )
    };
}
pub(crate) use stamp_columns;

/// The stamp those columns read, if the case exists.
pub(crate) fn stamp_from_row(row: &impl crate::columns::Columns) -> Result<Option<CaseStamp>, StoreError> {
    let version = row.maybe_int("case_version")?;
    let revision = row.maybe_int("case_revision")?;
    Ok(version
        .zip(revision)
        .map(|(version, revision)| CaseStamp { version, revision }))
}

const SUMMARY_COLUMNS: &str =
    "id, reference, version, route, path, stage, state, aware_on, opened_on, next_step, next_agency, next_due";

impl Store {
    /// A case's history, its chain of MACs checked as it is read (for `audit verify`).
    pub(crate) async fn case_record_checked(&self, case_id: &str) -> Result<Vec<Event>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Ok(load_events(&mut conn, &self.secrets.events, case_id).await?.0)
    }

    /// A case and its whole history, if it exists.
    pub async fn case(&self, case_id: &str) -> Result<Option<CaseRecord>, StoreError> {
        if !is_case_id(case_id) {
            return Ok(None);
        }
        // One statement: the reference rides on every event's row (a case always has
        // its incident report), which saves a round trip on the hottest read.
        let rows = sqlx::query(
            "SELECT c.reference, c.version AS case_version, e.version, e.type, e.on_date, e.recorded_at, e.actor_id,
                    e.actor_email, e.payload, e.mac
             FROM cases c JOIN events e ON e.case_id = c.id WHERE c.id = $1 ORDER BY e.version",
        )
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        let Some(first) = rows.first() else { return Ok(None) };
        let (events, meta) = events_from_rows(&rows, &self.secrets.events, case_id)?;
        // Events cut off the end leave a valid shorter chain; the snapshot still
        // counts them.
        let recorded: i64 = first.try_get("case_version")?;
        let last = events.last().map_or(0, |e| i64::from(e.version.get()));
        if recorded != last {
            return Err(crate::event_chain::tampered(
                case_id,
                &format!(
                    "its history ends at event {last} but the case recorded {recorded} events: the last were removed"
                ),
            ));
        }
        Ok(Some(CaseRecord {
            id: case_id.to_owned(),
            reference: first.try_get("reference")?,
            events,
            meta,
        }))
    }

    /// What a kept copy of a read of case `id` is checked against: its version and its
    /// revision, which every change to its events, agency requests or chronology entries
    /// bumps (migration 0017). `None` if there is no such case.
    pub async fn case_stamp(&self, case_id: &str) -> Result<Option<CaseStamp>, StoreError> {
        if !is_case_id(case_id) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT version, revision FROM cases WHERE id = $1")
            .bind(case_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(CaseStamp {
                version: row.try_get("version")?,
                revision: row.try_get("revision")?,
            })
        })
        .transpose()
    }

    /// The counter every case write bumps, on any instance: answers read from the
    /// snapshots at one value of it are current while it stays.
    pub(crate) async fn data_version(&self) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT version FROM data_version WHERE id = 1";
        let inline = self
            .inline
            .as_ref()
            .and_then(|reader| reader.first_row(SQL, [], |row| crate::columns::Columns::int(row, "version")));
        if let Some(Some(version)) = inline {
            return Ok(version);
        }
        let row = sqlx::query(SQL).fetch_one(&self.pool).await?;
        Ok(row.try_get("version")?)
    }

    /// The case list from the snapshots, soonest deadline first. The page comes back
    /// from the database as one JSON array: one row instead of a hundred.
    pub async fn list_cases(&self, filter: &CaseFilter, today: NaiveDate) -> Result<Vec<CaseSummary>, StoreError> {
        let version = self.data_version().await?;
        let key = format!("{filter:?}|{today}");
        if let Some(hit) = self.list_cache.get(&key, version) {
            return Ok(hit);
        }
        let cases = self.list_cases_uncached(filter, today).await?;
        self.list_cache.put(key, version, cases.clone());
        Ok(cases)
    }

    async fn list_cases_uncached(&self, filter: &CaseFilter, today: NaiveDate) -> Result<Vec<CaseSummary>, StoreError> {
        let (sql, binds) = page_query(filter, today);
        let object = SUMMARY_COLUMNS
            .split(", ")
            .map(|c| format!("'{c}', {c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let aggregate = match self.backend {
            Backend::Sqlite => {
                format!("SELECT COALESCE(json_group_array(json_object({object})), '[]') AS page FROM ({sql}) AS p")
            }
            Backend::Postgres => {
                format!("SELECT COALESCE(json_agg(json_build_object({object}))::text, '[]') AS page FROM ({sql}) AS p")
            }
        };
        // Built from fixed fragments; every value is bound.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(aggregate));
        for b in binds {
            query = query.bind(b);
        }
        let row = query.fetch_one(&self.pool).await?;
        let page: String = row.try_get("page")?;
        let rows: Vec<SummaryRow> = serde_json::from_str(&page).map_err(StoreError::corrupt)?;
        let mut cases = rows
            .into_iter()
            .map(|r| r.into_summary(today))
            .collect::<Result<Vec<_>, _>>()?;
        // An aggregate need not keep its input's order; restore it.
        cases.sort_by(|a, b| {
            let key = |c: &CaseSummary| {
                (
                    c.next_deadline.is_none(),
                    c.next_deadline.as_ref().map(|d| d.due),
                    c.reference.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        Ok(cases)
    }

    /// Recomputes every case's snapshot, after the calendar or the rules change.
    pub async fn refresh_snapshots(
        &self,
        calendar: &Calendar,
        rules: &RuleSet,
        today: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let ids: Vec<String> = sqlx::query("SELECT id FROM cases")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        let system = system_user();
        let mut count = 0;
        for id in ids {
            let mut tx = self.begin_write().await?;
            let (events, _) = load_events(&mut tx.tx, &tx.secrets.events, &id).await?;
            let ctx = WriteContext {
                today,
                at,
                calendar,
                rules,
                actor: &system,
                action: "refresh",
                idempotency: None,
            };
            crate::append::update_snapshot(&mut tx, &id, &events, &ctx).await?;
            tx.commit().await?;
            count += 1;
        }
        Ok(count)
    }

    /// Once per snapshot layout: recomputes every snapshot after an upgrade that added
    /// to it (the Panel submission date, the children's initials). True if it ran.
    pub async fn refresh_snapshots_once(
        &self,
        calendar: &Calendar,
        rules: &RuleSet,
        today: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        // Named for the newest column the snapshot gained; a new one needs a new name.
        const LAYOUT: &str = "snapshot_layout_actions_due";
        let done = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(LAYOUT)
            .fetch_optional(&self.pool)
            .await?;
        if done.is_some() {
            return Ok(false);
        }
        self.refresh_snapshots(calendar, rules, today, at).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, 'yes') ON CONFLICT (key) DO NOTHING")
            .bind(LAYOUT)
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// How many events a case holds; for tests and checks.
    pub async fn event_count(&self, case_id: &str) -> Result<i64, StoreError> {
        let row: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM events WHERE case_id = $1")
            .bind(case_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.0)
    }
}

pub(crate) fn system_user() -> User {
    User {
        id: 0,
        email: "system".into(),
        name: "System".into(),
        role: domain::roles::Role::Admin,
        partner: None,
        agency: None,
        disabled: false,
        two_factor: false,
    }
}

pub(crate) fn open_or_closed(state: OpenOrClosed) -> &'static str {
    match state {
        OpenOrClosed::Open => "open",
        OpenOrClosed::Closed => "closed",
    }
}

/// A case's events, its chain checked under `key` (the case-events key).
pub(crate) async fn load_events(
    conn: &mut AnyConnection,
    key: &[u8; 32],
    case_id: &str,
) -> Result<(Vec<Event>, Vec<StoredEvent>), StoreError> {
    let rows = sqlx::query(
        "SELECT version, type, on_date, recorded_at, actor_id, actor_email, payload, mac FROM events
         WHERE case_id = $1 ORDER BY version",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    events_from_rows(&rows, key, case_id)
}

/// Events and their metadata from rows with the events table's columns and `mac`,
/// refused ([`StoreError::Tampered`]) unless the chain verifies under `key`.
fn events_from_rows(
    rows: &[AnyRow],
    key: &[u8; 32],
    case_id: &str,
) -> Result<(Vec<Event>, Vec<StoredEvent>), StoreError> {
    let mut events = Vec::with_capacity(rows.len());
    let mut meta = Vec::with_capacity(rows.len());
    let mut chain = crate::event_chain::ChainWalk::new(key);
    for row in rows {
        if let Err(why) = chain.check(case_id, row)? {
            return Err(crate::event_chain::tampered(case_id, &why));
        }
        let version: i64 = row.try_get("version")?;
        let kind: String = row.try_get("type")?;
        let payload: String = row.try_get("payload")?;
        let kind = EventKind::parse(&kind).ok_or_else(|| StoreError::corrupt(format!("unknown event type {kind}")))?;
        let fields: serde_json::Value = serde_json::from_str(&payload).map_err(StoreError::corrupt)?;
        let payload = EventPayload::from_fields(kind, fields).map_err(StoreError::corrupt)?;
        let version = u32::try_from(version)
            .ok()
            .and_then(|v| Version::try_from(v).ok())
            .ok_or_else(|| StoreError::corrupt(format!("bad version {version}")))?;
        events.push(Event {
            version,
            on: date(&row.try_get::<String, _>("on_date")?)?,
            payload,
        });
        meta.push(StoredEvent {
            recorded_at: parse_timestamp(&row.try_get::<String, _>("recorded_at")?)?,
            actor_id: row.try_get("actor_id")?,
            actor: row.try_get("actor_email")?,
        });
    }
    Ok((events, meta))
}

/// The SQL of one page of the case list and the values it binds, in order. Built from
/// fixed fragments; every value is bound.
fn page_query(filter: &CaseFilter, today: NaiveDate) -> (String, Vec<String>) {
    let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM cases WHERE 1 = 1");
    let mut binds: Vec<String> = Vec::new();
    let mut condition = |clause: &str, value: String, sql: &mut String| {
        binds.push(value);
        sql.push_str(&clause.replace("{}", &format!("${}", binds.len())));
    };
    if let Some(state) = filter.state {
        condition(" AND state = {}", open_or_closed(state).to_owned(), &mut sql);
    }
    if filter.overdue {
        let clause = " AND state = 'open' AND next_due IS NOT NULL AND next_due < {}";
        condition(clause, today.to_string(), &mut sql);
    }
    if let Some(stage) = &filter.stage {
        condition(" AND stage = {}", stage.clone(), &mut sql);
    }
    if let Some(reference) = &filter.reference {
        let escaped: String = reference
            .trim()
            .to_uppercase()
            .chars()
            .filter(|c| !c.is_control() && !matches!(c, '%' | '_'))
            .take(64)
            .collect();
        condition(
            " AND (reference LIKE {} OR initials LIKE {})",
            format!("%{escaped}%"),
            &mut sql,
        );
    }
    // Overdue cases all have a due date, so the (state, next_due) index gives the order.
    let order = if filter.overdue {
        "next_due, reference"
    } else {
        "CASE WHEN next_due IS NULL THEN 1 ELSE 0 END, next_due, reference"
    };
    sql.push_str(&format!(
        " ORDER BY {order} LIMIT {} OFFSET {}",
        filter.limit.max(1),
        filter.offset
    ));
    (sql, binds)
}

/// A snapshot row as the database's JSON functions spell it.
#[derive(serde::Deserialize)]
struct SummaryRow {
    id: String,
    reference: String,
    version: i64,
    route: String,
    path: String,
    stage: String,
    state: String,
    aware_on: String,
    opened_on: String,
    next_step: Option<String>,
    next_agency: Option<String>,
    next_due: Option<String>,
}

impl SummaryRow {
    fn into_summary(self, today: NaiveDate) -> Result<CaseSummary, StoreError> {
        let next_due = opt_date(self.next_due)?;
        Ok(CaseSummary {
            overdue: self.state == "open" && next_due.is_some_and(|due| due < today),
            id: self.id,
            reference: self.reference,
            version: u32::try_from(self.version).unwrap_or_default(),
            route: self.route,
            path: self.path,
            stage: self.stage,
            state: self.state,
            aware_on: date(&self.aware_on)?,
            opened_on: date(&self.opened_on)?,
            next_deadline: match (self.next_step, next_due) {
                (Some(step), Some(due)) => Some(NextDeadline {
                    step,
                    agency: self.next_agency,
                    due,
                }),
                _ => None,
            },
        })
    }
}
