//! Each case's events form a MAC chain of their own: an event's `mac` is an
//! HMAC-SHA256, under a key derived from the key file for this purpose, of its case,
//! version, type, date, time, actor and payload as stored, and of the MAC of the event
//! before (version 1 follows a fixed genesis). The events are each case's truth (every
//! view is a fold of them), so an event edited, removed or re-chained in the database
//! breaks the chain for anyone without the key file.
//!
//! Every load of a case's events checks its chain and refuses a case that does not
//! verify ([`StoreError::Tampered`]); a case read also checks that the history ends at
//! the version its snapshot recorded (events cut off the end leave a valid shorter
//! chain). `audit verify` checks every case's chain, and that each case's snapshot
//! (version, stage, open or closed) is what its events fold to. The kept
//! copies of case reads are built from a checked load, once per change, so the hot
//! read pays nothing more.
//!
//! The rare rewrites the service makes itself (pseudonymising after the retention
//! period, the one-off mapping of legacy ethnicity codes) re-seal the case's chain in
//! the same transaction. Databases from before the chain (migration 0018) are sealed
//! once, when that migration is applied; never again, so setting a MAC to NULL does
//! not get a changed event blessed on the next start.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, WriteTx};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The stored columns an event's MAC covers, as text.
pub(crate) struct EventColumns<'a> {
    pub case_id: &'a str,
    pub version: i64,
    pub kind: &'a str,
    pub on_date: &'a str,
    pub recorded_at: &'a str,
    pub actor_id: Option<i64>,
    pub actor_email: &'a str,
    pub payload: &'a str,
}

impl EventColumns<'_> {
    /// The MAC of these columns following `prev`. Each field goes in with its length,
    /// so that no two different events give the same text.
    pub(crate) fn mac(&self, key: &[u8; 32], prev: &str) -> String {
        let version = self.version.to_string();
        let actor_id = self.actor_id.map(|a| a.to_string()).unwrap_or_default();
        let mut text = String::from("rapid-review event");
        for f in [
            self.case_id,
            &version,
            self.kind,
            self.on_date,
            self.recorded_at,
            &actor_id,
            self.actor_email,
            self.payload,
            prev,
        ] {
            text.push('|');
            text.push_str(&f.len().to_string());
            text.push(':');
            text.push_str(f);
        }
        crate::rows::hmac_sha256_hex(key, text.as_bytes())
    }

    fn of_row<'r>(case_id: &'r str, row: &'r AnyRow, text: &'r RowText) -> Result<EventColumns<'r>, StoreError> {
        Ok(EventColumns {
            case_id,
            version: row.try_get("version")?,
            kind: &text.kind,
            on_date: &text.on_date,
            recorded_at: &text.recorded_at,
            actor_id: row.try_get("actor_id")?,
            actor_email: &text.actor_email,
            payload: &text.payload,
        })
    }
}

/// The text columns of an event row, read once.
struct RowText {
    kind: String,
    on_date: String,
    recorded_at: String,
    actor_email: String,
    payload: String,
}

impl RowText {
    fn of(row: &AnyRow) -> Result<RowText, StoreError> {
        Ok(RowText {
            kind: row.try_get("type")?,
            on_date: row.try_get("on_date")?,
            recorded_at: row.try_get("recorded_at")?,
            actor_email: row.try_get("actor_email")?,
            payload: row.try_get("payload")?,
        })
    }
}

/// Walks one case's chain in version order.
pub(crate) struct ChainWalk<'k> {
    key: &'k [u8; 32],
    prev: String,
    next_version: i64,
}

impl<'k> ChainWalk<'k> {
    pub(crate) fn new(key: &'k [u8; 32]) -> Self {
        ChainWalk {
            key,
            prev: GENESIS.to_owned(),
            next_version: 1,
        }
    }

    /// Checks the next row (with the events table's columns and `mac`); why it breaks
    /// the chain, if it does.
    pub(crate) fn check(&mut self, case_id: &str, row: &AnyRow) -> Result<Result<(), String>, StoreError> {
        let text = RowText::of(row)?;
        let columns = EventColumns::of_row(case_id, row, &text)?;
        let stored: Option<String> = row.try_get("mac")?;
        let version = columns.version;
        if version != self.next_version {
            return Ok(Err(format!(
                "event {} is missing (the next stored is event {version})",
                self.next_version
            )));
        }
        let Some(stored) = stored else {
            return Ok(Err(format!("event {version} has no MAC")));
        };
        if !crate::rows::same_secret(&columns.mac(self.key, &self.prev), &stored) {
            return Ok(Err(format!(
                "event {version} does not match its MAC (changed, re-chained or written outside the service)"
            )));
        }
        self.prev = stored;
        self.next_version += 1;
        Ok(Ok(()))
    }
}

/// The refusal of a case whose chain does not verify.
pub(crate) fn tampered(case_id: &str, why: &str) -> StoreError {
    StoreError::Tampered(format!(
        "the history of case {case_id} does not verify: {why}. It is withheld until it is restored from a backup; `rapid-review audit verify` names every such case"
    ))
}

/// The MAC of the event before `version` in `case_id`, as stored.
pub(crate) async fn prev_mac(tx: &mut WriteTx<'_>, case_id: &str, version: i64) -> Result<String, StoreError> {
    if version <= 1 {
        return Ok(GENESIS.to_owned());
    }
    let row = sqlx::query("SELECT mac FROM events WHERE case_id = $1 AND version = $2")
        .bind(case_id)
        .bind(version - 1)
        .fetch_optional(&mut *tx.tx)
        .await?;
    match row
        .map(|r| r.try_get::<Option<String>, _>("mac"))
        .transpose()?
        .flatten()
    {
        Some(mac) => Ok(mac),
        None => Err(tampered(case_id, &format!("event {} has no MAC", version - 1))),
    }
}

/// Recomputes every MAC of `case_id`'s chain from its stored columns: after the
/// service itself rewrote an event.
pub(crate) async fn reseal_case(tx: &mut WriteTx<'_>, case_id: &str) -> Result<(), StoreError> {
    let rows = sqlx::query(
        "SELECT version, type, on_date, recorded_at, actor_id, actor_email, payload FROM events
         WHERE case_id = $1 ORDER BY version",
    )
    .bind(case_id)
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut prev = GENESIS.to_owned();
    let mut macs = Vec::with_capacity(rows.len());
    for row in &rows {
        let text = RowText::of(row)?;
        let columns = EventColumns::of_row(case_id, row, &text)?;
        prev = columns.mac(&tx.secrets.events, &prev);
        macs.push((columns.version, prev.clone()));
    }
    for (version, mac) in macs {
        sqlx::query("UPDATE events SET mac = $1 WHERE case_id = $2 AND version = $3")
            .bind(mac)
            .bind(case_id)
            .bind(version)
            .execute(&mut *tx.tx)
            .await?;
    }
    Ok(())
}

/// A case that failed `audit verify`: its id and reference, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenCase {
    pub case_id: String,
    pub reference: String,
    pub why: String,
}

impl Store {
    /// Seals every case's chain once, when migration 0018 added the MACs.
    pub(crate) async fn seal_events_once(&self) -> Result<(), StoreError> {
        let ids: Vec<String> = sqlx::query("SELECT id FROM cases ORDER BY id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        let mut tx = self.begin_write().await?;
        for id in &ids {
            reseal_case(&mut tx, id).await?;
        }
        tx.commit().await
    }

    /// Checks every case's chain of events, and that its snapshot's stage and state are
    /// what its events fold to. The cases that fail, by reference.
    pub async fn verify_case_chains(&self) -> Result<Vec<BrokenCase>, StoreError> {
        let cases = sqlx::query("SELECT id, reference, stage, state, version FROM cases ORDER BY reference")
            .fetch_all(&self.pool)
            .await?;
        let mut broken = Vec::new();
        for case in &cases {
            let case_id: String = case.try_get("id")?;
            let reference: String = case.try_get("reference")?;
            let why = match self.case_record_checked(&case_id).await {
                Err(StoreError::Tampered(_)) => self.chain_break(&case_id).await?,
                Err(e) => return Err(e),
                Ok(events) => snapshot_mismatch(case, &events)?,
            };
            if let Some(why) = why {
                broken.push(BrokenCase {
                    case_id,
                    reference,
                    why,
                });
            }
        }
        Ok(broken)
    }

    /// Why `case_id`'s chain breaks, in words.
    async fn chain_break(&self, case_id: &str) -> Result<Option<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, type, on_date, recorded_at, actor_id, actor_email, payload, mac FROM events
             WHERE case_id = $1 ORDER BY version",
        )
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        let mut walk = ChainWalk::new(&self.secrets.events);
        if rows.is_empty() {
            return Ok(Some("it has no events".into()));
        }
        for row in &rows {
            if let Err(why) = walk.check(case_id, row)? {
                return Ok(Some(why));
            }
        }
        Ok(Some("its events do not read back".into()))
    }
}

/// Whether the snapshot row's stage and state differ from the fold of `events`.
fn snapshot_mismatch(case: &AnyRow, events: &[domain::events::Event]) -> Result<Option<String>, StoreError> {
    let recorded: i64 = case.try_get("version")?;
    let last = events.last().map_or(0, |e| i64::from(e.version.get()));
    if recorded != last {
        return Ok(Some(format!(
            "its history ends at event {last} but the case recorded {recorded} events: the last were removed"
        )));
    }
    let state = domain::process::fold(events);
    let (stage, open): (String, String) = (case.try_get("stage")?, case.try_get("state")?);
    let folded_stage = state.stage().as_str();
    let folded_open = if state.is_closed() { "closed" } else { "open" };
    Ok((stage != folded_stage || open != folded_open).then(|| {
        format!(
            "its snapshot says {stage} ({open}) but its events say {folded_stage} ({folded_open}): the snapshot was changed outside the service"
        )
    }))
}
