//! Fills a database with synthetic cases for the benchmarks:
//! `cargo run --release --example seed -- DATABASE_URL CASES TODAY [--full]`.
//! Cases go through the store exactly as API writes do (process check, snapshot,
//! audit row), so the database looks like one that has been used.
//!
//! With `--full` (bench/compare.sh) the history is national-sized as well as the case
//! count: every case that reaches the agency requests asks sixteen agencies, each of
//! which adds four chronology entries and submits its return (25,000 cases make over
//! 250,000 requests and 1,000,000 entries: two cases in three reach the requests, less
//! the few too recent to have returns yet), and read-audit rows then fill the chain to
//! 5,000,000.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use chrono::NaiveDate;
use domain::events::{EventKind, parse_event_request};
use domain::returns::ChronologyEntry;
use domain::synthetic::{self, AGENCIES, Journey};
use serde_json::{Value, json};
use store::{AuditEntry, DatabaseUrl, NewAgency, NewUser, Store, WriteContext};

/// The agencies a full seed asks on every case: the synthetic four and twelve more.
const MORE_AGENCIES: [&str; 12] = [
    "county-council-housing",
    "north-probation",
    "youth-justice-service",
    "st-marys-hospital",
    "ambulance-service",
    "early-help-team",
    "mental-health-trust",
    "drug-alcohol-service",
    "northfield-secondary",
    "health-visiting",
    "childrens-social-care",
    "school-nursing",
];
const ENTRIES_PER_RETURN: usize = 4;
const FULL_AUDIT_ROWS: i64 = 5_000_000;
/// Readers filling the audit chain at once: each waits for its batch, as requests do.
const AUDIT_READERS: i64 = 256;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url: DatabaseUrl = args
        .get(1)
        .expect("DATABASE_URL")
        .parse()
        .expect("a sqlite:// or postgres:// URL");
    let cases: usize = args.get(2).map_or(25_000, |n| n.parse().expect("a number of cases"));
    let today: NaiveDate = args
        .get(3)
        .map_or("2026-11-27", String::as_str)
        .parse()
        .expect("TODAY as YYYY-MM-DD");
    let full = args.iter().any(|a| a == "--full");
    // The benchmark's key file lives beside its database, as the service's does.
    let keys = store::Keys::load_or_create(&store::default_key_path(url.sqlite_file().as_deref())).unwrap();
    let store = Store::open(&url, &keys).await.unwrap();
    let now = chrono::Utc::now();
    let seeded = |action: &str| AuditEntry::about(now, Some("seed"), action, None, "ok");
    let agencies: Vec<&str> = if full {
        AGENCIES.iter().chain(MORE_AGENCIES.iter()).copied().collect()
    } else {
        AGENCIES.to_vec()
    };
    for slug in &agencies {
        store
            .add_agency(
                &NewAgency::new(slug, slug, "bench", None).unwrap(),
                &seeded("agency_added"),
            )
            .await
            .unwrap();
    }
    let user = store
        .add_user(
            &NewUser::new("bench@example.org", "Bench", "partnership_manager", None, None, None).unwrap(),
            &seeded("user_added"),
        )
        .await
        .unwrap();
    // A superuser for seeding only: every event is recorded through the same store call.
    let actor = store::User {
        role: domain::roles::Role::PartnershipManager,
        ..user
    };
    let every_partner: Vec<_> = domain::roles::Partner::ALL.iter().map(|p| (*p, &actor)).collect();
    let calendar = store.calendar().await.unwrap();
    let rules = store.rules().await.unwrap();
    let journeys = [
        Journey::SeriousHarm,
        Journey::ChallengeOverturned,
        Journey::AlternativeLearning,
    ];
    let started = std::time::Instant::now();
    let (mut events, mut returns) = (0usize, 0usize);
    let mut ids = Vec::with_capacity(cases);
    for i in 0..cases {
        let aware_on = calendar.add_working_days(today, -((i % 700) as i32) - 1);
        let mut bodies = synthetic::journey(journeys[i % 3], aware_on, &calendar, i as u32);
        let mut cut = 1 + (i * 7) % bodies.len();
        if full {
            widen_requests(&mut bodies, &agencies);
            // Far enough for the returns, wherever the case stops after them.
            if let Some(last) = bodies.iter().rposition(|b| is(b, EventKind::AgencyReturnReceived)) {
                cut = cut.max(last + 1);
            }
        }
        let mut case_id: Option<String> = None;
        let mut returns_done = false;
        for (n, body) in bodies.into_iter().take(cut).enumerate() {
            let ctx = WriteContext {
                today,
                at: now,
                calendar: &calendar,
                rules: &rules,
                actor: &actor,
                action: "seed",
                idempotency: None,
            };
            if full && is(&body, EventKind::AgencyReturnReceived) {
                // Every agency asked returns, each with its chronology, on the day of
                // the journey's first return.
                if returns_done {
                    continue;
                }
                returns_done = true;
                let Some(id) = &case_id else { break };
                for request in store.requests_for_case(id).await.unwrap() {
                    let entries = chronology(aware_on, i);
                    store
                        .add_entries(&request.id, &entries, &seeded("chronology_added"))
                        .await
                        .unwrap();
                    let submitted = json!({"type": "agency_return_received", "on": body["on"],
                                           "agency": request.agency.as_str()});
                    let submitted = parse_event_request(submitted, None).unwrap();
                    if submitted.event.on > today {
                        break;
                    }
                    store.append_event(id, submitted, ctx).await.unwrap();
                    returns += 1;
                    events += 1;
                }
                continue;
            }
            let request = parse_event_request(body, (n == 0).then_some(EventKind::IncidentReported)).unwrap();
            if request.event.on > today {
                break;
            }
            match &case_id {
                None => case_id = Some(store.create_case(request.event, ctx).await.unwrap().id),
                Some(id) => {
                    if request.event.kind() == EventKind::RapidReviewSubmitted {
                        store
                            .seed_signed_template(id, &actor, &every_partner, now)
                            .await
                            .unwrap();
                    }
                    store.append_event(id, request, ctx).await.unwrap();
                }
            }
            events += 1;
        }
        ids.extend(case_id);
        if (i + 1) % 1000 == 0 {
            eprintln!(
                "{} cases, {events} events, {returns} returns, {:.0?}",
                i + 1,
                started.elapsed()
            );
        }
    }
    println!(
        "seeded {cases} cases, {events} events and {returns} submitted returns of {} entries each in {:.1?}",
        if full { ENTRIES_PER_RETURN } else { 0 },
        started.elapsed()
    );
    if full {
        fill_audit(&store, &ids, now).await;
    }
    store.close().await;
}

fn is(body: &Value, kind: EventKind) -> bool {
    body["type"] == kind.as_str()
}

/// Every agency request of the journey asks all of `agencies`.
fn widen_requests(bodies: &mut [Value], agencies: &[&str]) {
    for body in bodies.iter_mut().filter(|b| is(b, EventKind::AgencyRequestsSent)) {
        body["agencies"] = json!(agencies);
    }
}

/// Four synthetic chronology entries in the weeks before the incident.
fn chronology(aware_on: NaiveDate, seq: usize) -> Vec<ChronologyEntry> {
    (0..ENTRIES_PER_RETURN)
        .map(|k| {
            let date = aware_on - chrono::Days::new(7 * (k as u64 + 1));
            serde_json::from_value(json!({
                "date": date.to_string(),
                "time": "10:30",
                "what_happened": format!("Synthetic contact {k} on case {seq}, for demonstration only."),
                "who": "Synthetic worker",
                "source": "Case notes",
                "significance": "Synthetic significance."
            }))
            .unwrap()
        })
        .collect()
}

/// Read-audit rows, written as reads write them (through the group-commit writer, by
/// many readers at once), until the chain is FULL_AUDIT_ROWS long.
async fn fill_audit(store: &Store, ids: &[String], now: chrono::DateTime<chrono::Utc>) {
    let started = std::time::Instant::now();
    let missing = FULL_AUDIT_ROWS - store.audit_length().await.unwrap();
    let ids = std::sync::Arc::new(ids.to_vec());
    let mut readers = Vec::new();
    for reader in 0..AUDIT_READERS {
        let store = store.clone();
        let ids = ids.clone();
        let rows = missing / AUDIT_READERS + i64::from(reader < missing % AUDIT_READERS);
        readers.push(tokio::spawn(async move {
            for n in 0..rows {
                let case_id = &ids[(n as usize * 7919 + reader as usize) % ids.len()];
                let entry = AuditEntry {
                    case_id: Some(case_id.clone()),
                    ..AuditEntry::about(now, Some("bench@example.org"), "GET /api/v1/cases/{id}", None, "200")
                };
                store.audit(&entry).await.unwrap();
            }
        }));
    }
    for reader in readers {
        reader.await.unwrap();
    }
    println!(
        "the audit chain is {} rows long ({missing} read rows added in {:.1?})",
        store.audit_length().await.unwrap(),
        started.elapsed()
    );
}
