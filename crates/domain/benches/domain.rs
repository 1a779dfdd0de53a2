//! Benchmarks of the pure core, on this machine's 2 cores:
//! - `add_working_days`: calls over dates from 1995 to 2100 and n from 0 to 20;
//!   the goal is at least 10 million calls a second (100 ns a call or less).
//! - `derive_25000_cases`: folding and working out every deadline for 25,000 synthetic
//!   cases at mixed stages; the goal is 50 ms or less for all of them.
//!
//! Run with `cargo bench -p domain`.

use std::hint::black_box;

use chrono::{Duration, NaiveDate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use domain::calendar::Calendar;
use domain::case::CaseView;
use domain::deadlines::RuleSet;
use domain::events::Event;
use domain::synthetic::{self, Journey};

const CASES: usize = 25_000;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(1995, 1, 1).unwrap_or_default()
}

fn calendar(c: &mut Criterion) {
    let calendar = Calendar::england_and_wales();
    let inputs: Vec<(NaiveDate, i32)> = (0..10_000u32)
        .map(|i| (start() + Duration::days(i64::from(i * 3 % 38_000)), (i % 21) as i32))
        .collect();
    let mut group = c.benchmark_group("calendar");
    group.throughput(Throughput::Elements(inputs.len() as u64));
    group.bench_function("add_working_days_10000_calls", |b| {
        b.iter(|| {
            for &(date, n) in &inputs {
                black_box(calendar.add_working_days(black_box(date), black_box(n)));
            }
        })
    });
    group.bench_function("add_working_days_explained_10000_calls", |b| {
        b.iter(|| {
            for &(date, n) in &inputs {
                black_box(calendar.add_working_days_explained(black_box(date), black_box(n)));
            }
        })
    });
    group.finish();
    c.bench_function("calendar/build_with_overrides", |b| {
        b.iter(|| black_box(Calendar::england_and_wales()))
    });
}

/// 25,000 histories: the three journeys, each cut at a different step.
fn histories(calendar: &Calendar) -> Vec<Vec<Event>> {
    let today = NaiveDate::from_ymd_opt(2099, 1, 1).unwrap_or_default();
    let journeys = [
        Journey::SeriousHarm,
        Journey::ChallengeOverturned,
        Journey::AlternativeLearning,
    ];
    let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    (0..CASES)
        .map(|i| {
            let aware = calendar.add_working_days(base, (i % 700) as i32);
            let bodies = synthetic::journey(journeys[i % 3], aware, calendar, i as u32);
            let cut = 1 + (i * 7) % bodies.len();
            synthetic::record_all(&bodies[..cut], today).unwrap_or_default()
        })
        .collect()
}

fn derive(c: &mut Criterion) {
    let calendar = Calendar::england_and_wales();
    let rules = RuleSet::default();
    let cases = histories(&calendar);
    let events: usize = cases.iter().map(Vec::len).sum();
    eprintln!("derive: {} cases, {events} events", cases.len());
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
    let mut group = c.benchmark_group("cases");
    group.sample_size(20);
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function("derive_25000_cases", |b| {
        b.iter(|| {
            let mut overdue = 0usize;
            for events in &cases {
                let view = CaseView::derive(events, &calendar, &rules, today);
                overdue += usize::from(view.is_overdue());
            }
            black_box(overdue)
        })
    });
    group.finish();
}

criterion_group!(benches, calendar, derive);
criterion_main!(benches);
