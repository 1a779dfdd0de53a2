//! Fills a database with synthetic cases for the HTTP benchmark (bench/http.sh):
//! `cargo run --release --example seed -- DATABASE_URL CASES TODAY`.
//! Cases go through the store exactly as API writes do (process check, snapshot,
//! audit row), so the database looks like one that has been used.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use chrono::NaiveDate;
use domain::events::{EventKind, parse_event_request};
use domain::synthetic::{self, AGENCIES, Journey};
use store::{DatabaseUrl, NewAgency, NewUser, Store, WriteContext};

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
    // The benchmark's key file lives beside its database, as the service's does.
    let keys = store::Keys::load_or_create(&store::default_key_path(url.sqlite_file().as_deref())).unwrap();
    let store = Store::open(&url, &keys).await.unwrap();
    let now = chrono::Utc::now();
    let seeded = |action: &str| store::AuditEntry::about(now, Some("seed"), action, None, "ok");
    for slug in AGENCIES {
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
    let mut events = 0usize;
    for i in 0..cases {
        let aware_on = calendar.add_working_days(today, -((i % 700) as i32) - 1);
        let bodies = synthetic::journey(journeys[i % 3], aware_on, &calendar, i as u32);
        let cut = 1 + (i * 7) % bodies.len();
        let mut case_id = None;
        for (n, body) in bodies.into_iter().take(cut).enumerate() {
            let request = parse_event_request(body, (n == 0).then_some(EventKind::IncidentReported)).unwrap();
            if request.event.on > today {
                break;
            }
            let ctx = WriteContext {
                today,
                at: now,
                calendar: &calendar,
                rules: &rules,
                actor: &actor,
                action: "seed",
            };
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
        if (i + 1) % 5000 == 0 {
            eprintln!("{} cases, {events} events, {:.0?}", i + 1, started.elapsed());
        }
    }
    println!("seeded {cases} cases and {events} events in {:.1?}", started.elapsed());
}
