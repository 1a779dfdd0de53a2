//! What the case-events MAC chain costs a read (the integrity issue asks for it):
//! 200 synthetic cases recorded from report to closure (SeriousHarm journeys, 5,000+
//! events) on a SQLite file, then
//!
//! - `case()` of a case picked at random each time (the typical cold read: every
//!   event's MAC checked in the load);
//! - `case()` of one case over and over (the best case);
//! - the HMAC-SHA256 alone over every event of one case, as the chain computes it, to
//!   say what share of a load is the MACs;
//! - `verify_case_chains()` over all 200, as `audit verify` runs it.
//!
//! Run with `cargo bench -p store --bench integrity`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use std::time::Duration;

use chrono::{NaiveDate, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use domain::calendar::Calendar;
use domain::deadlines::RuleSet;
use domain::events::{EventKind, parse_event_request};
use domain::synthetic::{self, AGENCIES, Journey};
use hmac::{KeyInit, Mac};
use store::{AuditEntry, DatabaseUrl, Keys, NewAgency, NewUser, Store, WriteContext};

const CASES: u32 = 200;

fn entry() -> AuditEntry {
    AuditEntry::about(Utc::now(), Some("bench"), "setup", None, "ok")
}

async fn seeded() -> (Store, Vec<String>) {
    let dir = std::env::temp_dir().join(format!("rr-bench-integrity-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let keys = Keys::load_or_create(&dir.join("rr.key")).unwrap();
    let url: DatabaseUrl = format!("sqlite://{}", dir.join("rr.db").display()).parse().unwrap();
    let store = Store::open(&url, &keys).await.unwrap();
    for slug in AGENCIES {
        store
            .add_agency(&NewAgency::new(slug, slug, "bench", None).unwrap(), &entry())
            .await
            .unwrap();
    }
    let new = NewUser::new("pm@example.org", "pm", "partnership_manager", None, None, None).unwrap();
    let actor = store.add_user(&new, &entry()).await.unwrap();
    let (calendar, rules) = (Calendar::england_and_wales(), RuleSet::default());
    let ctx = WriteContext {
        today: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
        at: Utc::now(),
        calendar: &calendar,
        rules: &rules,
        actor: &actor,
        action: "bench",
        idempotency: None,
    };
    let mut ids = Vec::new();
    for seq in 0..CASES {
        let aware = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let bodies = synthetic::journey(Journey::SeriousHarm, aware, &calendar, seq);
        let first = parse_event_request(bodies[0].clone(), Some(EventKind::IncidentReported)).unwrap();
        let case = store.create_case(first.event, ctx).await.unwrap();
        for body in &bodies[1..] {
            let request = parse_event_request(body.clone(), None).unwrap();
            if request.event.kind() == EventKind::RapidReviewSubmitted {
                let every: Vec<_> = domain::roles::Partner::ALL.iter().map(|p| (*p, &actor)).collect();
                store
                    .seed_signed_template(&case.id, &actor, &every, Utc::now())
                    .await
                    .unwrap();
            }
            store.append_event(&case.id, request, ctx).await.unwrap();
        }
        ids.push(case.id);
    }
    (store, ids)
}

fn integrity(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (store, ids) = runtime.block_on(seeded());
    let events: usize = ids
        .iter()
        .map(|id| runtime.block_on(store.case(id)).unwrap().unwrap().events.len())
        .sum();
    println!("{CASES} cases, {events} events");
    let mut group = c.benchmark_group("case events chain");
    group.measurement_time(Duration::from_secs(10));
    let mut next = 0usize;
    group.bench_function("case() of a random case (typical)", |b| {
        b.iter(|| {
            // A fixed stride through the cases: every read a different case.
            next = (next + 97) % ids.len();
            runtime.block_on(store.case(&ids[next])).unwrap().unwrap()
        });
    });
    group.bench_function("case() of one case (best)", |b| {
        b.iter(|| runtime.block_on(store.case(&ids[0])).unwrap().unwrap());
    });
    let record = runtime.block_on(store.case(&ids[0])).unwrap().unwrap();
    let payloads: Vec<String> = record
        .events
        .iter()
        .map(|e| serde_json::Value::Object(e.payload.fields()).to_string())
        .collect();
    println!(
        "one case: {} events, {} bytes of payload",
        payloads.len(),
        payloads.iter().map(String::len).sum::<usize>()
    );
    group.bench_function("the MACs alone of one case's events", |b| {
        b.iter(|| {
            let mut prev = [0u8; 32];
            for p in &payloads {
                let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&[7u8; 32]).unwrap();
                mac.update(p.as_bytes());
                mac.update(&prev);
                prev = mac.finalize().into_bytes().into();
            }
            prev
        });
    });
    group.sample_size(10);
    group.bench_function("verify_case_chains() of every case", |b| {
        b.iter(|| runtime.block_on(store.verify_case_chains()).unwrap());
    });
    group.finish();
}

criterion_group!(benches, integrity);
criterion_main!(benches);
