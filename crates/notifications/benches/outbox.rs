//! How fast the outbox drains to a local SMTP server (aiosmtpd, scripts/smtp-sink.py
//! accepting and counting only):
//! 20 synthetic cases recorded from report to closure, with a user for every role and
//! four agencies, queue about 1,200 real messages (every kind the process sends,
//! attachments included); each sample drains a fresh copy. The goal is at least 200
//! messages a second on this 2-core machine.
//!
//! Run with `cargo bench -p notifications` (needs .venv-smtp: scripts/smtp-venv.sh).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use domain::calendar::Calendar;
use domain::deadlines::RuleSet;
use domain::events::{EventKind, parse_event_request};
use domain::synthetic::{self, AGENCIES, Journey};
use notifications::worker::{Clock, Worker};
use notifications::{MailSettings, compose};
use store::{AuditEntry, DatabaseUrl, Keys, NewAgency, NewUser, Store, WriteContext};
use testkit::SmtpSink;

const CASES: u32 = 20;

const PEOPLE: [(&str, &str, Option<&str>, Option<&str>); 9] = [
    ("pm", "partnership_manager", None, None),
    ("bu", "business_unit", None, None),
    ("la", "la_decision_maker", None, None),
    ("rep-la", "partner_rep", Some("local_authority"), None),
    ("rep-health", "partner_rep", Some("health"), None),
    ("rep-police", "partner_rep", Some("police"), None),
    ("chair", "jcr_chair", None, None),
    ("contact", "agency_contact", None, Some("northfield-primary")),
    ("viewer", "viewer", None, None),
];

fn entry() -> AuditEntry {
    AuditEntry::about(Utc::now(), Some("bench"), "setup", None, "ok")
}

/// A fresh SQLite database holding the messages of `CASES` whole journeys.
async fn seeded() -> (Store, usize) {
    let dir = std::env::temp_dir().join(format!("rr-bench-outbox-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let keys = Keys::load_or_create(&dir.join("rr.key")).unwrap();
    let url: DatabaseUrl = format!("sqlite://{}", dir.join("rr.db").display()).parse().unwrap();
    let store = Store::open(&url, &keys).await.unwrap();
    for slug in AGENCIES {
        let email = format!("{slug}@agencies.example.org");
        store
            .add_agency(&NewAgency::new(slug, slug, "bench", Some(&email)).unwrap(), &entry())
            .await
            .unwrap();
    }
    let mut actor = None;
    for (key, role, partner, agency) in PEOPLE {
        let new = NewUser::new(&format!("{key}@example.org"), key, role, partner, agency, None).unwrap();
        let user = store.add_user(&new, &entry()).await.unwrap();
        actor.get_or_insert(user);
    }
    let actor = actor.unwrap();
    let calendar = Calendar::england_and_wales();
    let rules = RuleSet::default();
    let today = NaiveDate::from_ymd_opt(2027, 12, 31).unwrap();
    let ctx = WriteContext {
        today,
        at: Utc::now(),
        calendar: &calendar,
        rules: &rules,
        actor: &actor,
        action: "bench",
        idempotency: None,
    };
    for seq in 0..CASES {
        let aware = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let bodies = synthetic::journey(Journey::SeriousHarm, aware, &calendar, seq);
        let first = parse_event_request(bodies[0].clone(), Some(EventKind::IncidentReported)).unwrap();
        let case = store.create_case(first.event, ctx).await.unwrap();
        for body in &bodies[1..] {
            let request = parse_event_request(body.clone(), None).unwrap();
            if request.event.kind() == EventKind::RapidReviewSubmitted {
                let every_partner: Vec<_> = domain::roles::Partner::ALL.iter().map(|p| (*p, &actor)).collect();
                store
                    .seed_signed_template(&case.id, &actor, &every_partner, Utc::now())
                    .await
                    .unwrap();
            }
            store.append_event(&case.id, request, ctx).await.unwrap();
        }
    }
    let depth = store.outbox_depth(Utc::now()).await.unwrap();
    (store, usize::try_from(depth).unwrap())
}

fn drain(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    // The server only counts: the test sink's parsing would be what is measured.
    let sink = SmtpSink::discarding();
    let mut group = c.benchmark_group("outbox");
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    group.bench_function("drain 20 cases' messages to aiosmtpd", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let (store, depth) = runtime.block_on(seeded());
                let settings = MailSettings::new(Some(&sink.url()), None, "http://rapid-review.test").unwrap();
                let clock = Clock {
                    now: Utc::now,
                    frozen_today: Some(NaiveDate::from_ymd_opt(2027, 12, 31).unwrap()),
                };
                let _inside = runtime.enter();
                let worker = Worker::new(store.clone(), settings, clock).unwrap();
                let started = Instant::now();
                let sent = runtime.block_on(async {
                    let mut sent = 0;
                    loop {
                        let round = worker.drain_once().await.unwrap();
                        sent += round.sent;
                        if round.claimed == 0 {
                            return sent;
                        }
                    }
                });
                let took = started.elapsed();
                assert_eq!(sent, depth);
                println!(
                    "drained {sent} messages in {:.2} s: {:.0} messages a second",
                    took.as_secs_f64(),
                    sent as f64 / took.as_secs_f64()
                );
                total += took;
                runtime.block_on(store.close());
            }
            total
        });
    });
    // Where the time goes: writing the messages alone, without sending.
    group.bench_function("compose 20 cases' messages", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let (store, depth) = runtime.block_on(seeded());
                let settings = MailSettings::new(None, None, "http://rapid-review.test").unwrap();
                let today = NaiveDate::from_ymd_opt(2027, 12, 31).unwrap();
                let claim = store::Claim {
                    lease: chrono::Duration::seconds(60),
                    limit: 10_000,
                };
                let started = Instant::now();
                let composed = runtime.block_on(async {
                    let messages = store.claim_outbox(&claim, Utc::now()).await.unwrap();
                    let mut sources = compose::Sources::load(&store, &settings, today, Utc::now())
                        .await
                        .unwrap();
                    let mut n = 0;
                    for m in &messages {
                        let words = compose::compose(&mut sources, m).await.unwrap();
                        compose::email(m, words, &settings).unwrap().formatted();
                        n += 1;
                    }
                    n
                });
                let took = started.elapsed();
                assert_eq!(composed, depth);
                println!(
                    "composed {composed} messages in {:.2} s: {:.0} a second",
                    took.as_secs_f64(),
                    composed as f64 / took.as_secs_f64()
                );
                total += took;
                runtime.block_on(store.close());
            }
            total
        });
    });
    group.finish();
}

criterion_group!(benches, drain);
criterion_main!(benches);
