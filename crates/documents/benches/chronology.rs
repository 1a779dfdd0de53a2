//! Merging a multi-agency chronology and exporting it: 10,000 entries from 12
//! agencies, each agency's list in its own order, merged oldest first and written as
//! XLSX. The goal is under a second on this 2-core machine.
//!
//! Run with `cargo bench -p documents`.

#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use chrono::{Duration, NaiveDate, NaiveTime};
use criterion::{Criterion, criterion_group, criterion_main};
use documents::{MergedEntry, chronology_csv, chronology_xlsx};
use domain::events::Text;
use domain::returns::ChronologyEntry;

const ENTRIES: usize = 10_000;
const AGENCIES: usize = 12;

fn text(s: String) -> Text {
    Text::try_from(s).unwrap()
}

/// Twelve agencies' submissions, each in the order the agency typed it.
fn submissions() -> Vec<Vec<MergedEntry>> {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    (0..AGENCIES)
        .map(|a| {
            (0..ENTRIES / AGENCIES + usize::from(a < ENTRIES % AGENCIES))
                .map(|i| MergedEntry {
                    agency: format!("agency-{a:02}"),
                    entry: ChronologyEntry {
                        date: start + Duration::days(((i * 7919 + a * 104_729) % 900) as i64),
                        time: NaiveTime::from_hms_opt(((i + a) % 24) as u32, (i % 60) as u32, 0),
                        what_happened: text(format!(
                            "Synthetic event {i} recorded by agency {a}: contact, outcome and follow-up."
                        )),
                        who: Some(text("Practitioner".into())),
                        source: Some(text("Case record".into())),
                        significance: Some(text("Part of the pattern of concern".into())),
                    },
                })
                .collect()
        })
        .collect()
}

fn merge(submissions: &[Vec<MergedEntry>]) -> Vec<MergedEntry> {
    let mut all: Vec<MergedEntry> = submissions.iter().flatten().cloned().collect();
    all.sort_by(|x, y| (x.entry.date, x.entry.time, &x.agency).cmp(&(y.entry.date, y.entry.time, &y.agency)));
    all
}

fn bench(c: &mut Criterion) {
    let submissions = submissions();
    let total: usize = submissions.iter().map(Vec::len).sum();
    eprintln!("chronology: {total} entries from {} agencies", submissions.len());
    let mut group = c.benchmark_group("chronology");
    group.sample_size(10);
    group.bench_function("merge_and_export_xlsx_10000_entries_12_agencies", |b| {
        b.iter(|| {
            let merged = merge(black_box(&submissions));
            black_box(
                chronology_xlsx("RR-2026-0001", &merged)
                    .map(|bytes| bytes.len())
                    .unwrap_or_default(),
            )
        })
    });
    group.bench_function("merge_and_export_csv_10000_entries_12_agencies", |b| {
        b.iter(|| black_box(chronology_csv(&merge(black_box(&submissions))).len()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
