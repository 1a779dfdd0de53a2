//! Rendered case reads, kept per instance so that a read of an unchanged case is one
//! small query and a copy of bytes rather than loading the history, folding it and
//! rendering it again.
//!
//! A copy is served only while it is current, and that is checked on every read: the
//! case's stamp in the database (its version, and its revision, which every change to
//! its events, agency requests or chronology entries bumps), the business date and the
//! calendar and rules in force must all equal those it was rendered with. Another
//! instance's write therefore shows at once, as it would without the copy. Reads are
//! audited as before: the copy saves work, not the audit row.
//!
//! The copies are keyed by case and by whether the reader sees return links (the only
//! difference between readers), and held to [`BUDGET`] bytes: past it, the oldest half
//! goes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::HeaderValue;
use chrono::NaiveDate;
use store::CaseStamp;

use crate::state::Settings;

/// The most bytes of rendered reads one instance keeps.
pub const BUDGET: usize = 8 * 1024 * 1024;

/// What a copy was rendered with; equal to the current one, the copy is current.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub case: CaseStamp,
    pub today: NaiveDate,
    pub settings: Arc<Settings>,
}

impl PartialEq for Stamp {
    fn eq(&self, other: &Self) -> bool {
        self.case == other.case && self.today == other.today && Arc::ptr_eq(&self.settings, &other.settings)
    }
}

/// One rendered read: the body and its entity tag.
#[derive(Debug)]
pub struct Rendered {
    pub stamp: Stamp,
    pub body: Bytes,
    pub etag: HeaderValue,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    case_id: String,
    sees_links: bool,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<Key, (u64, Arc<Rendered>)>,
    bytes: usize,
    clock: u64,
}

/// The copies, shared by every request of the instance.
#[derive(Debug, Default)]
pub struct CaseCache {
    entries: Mutex<Entries>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl CaseCache {
    /// The copy of case `case_id` for this kind of reader, if it is current at `stamp`.
    pub fn get(&self, case_id: &str, sees_links: bool, stamp: &Stamp) -> Option<Arc<Rendered>> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = Key {
            case_id: case_id.to_owned(),
            sees_links,
        };
        let found = entries
            .map
            .get(&key)
            .filter(|(_, rendered)| rendered.stamp == *stamp)
            .map(|(_, rendered)| rendered.clone());
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps `rendered` as the copy of case `case_id` for this kind of reader.
    pub fn put(&self, case_id: &str, sees_links: bool, rendered: Arc<Rendered>) {
        let size = rendered.body.len() + case_id.len();
        if size > BUDGET / 4 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.clock += 1;
        let tick = entries.clock;
        let key = Key {
            case_id: case_id.to_owned(),
            sees_links,
        };
        if let Some((_, old)) = entries.map.insert(key, (tick, rendered)) {
            entries.bytes = entries.bytes.saturating_sub(old.body.len() + case_id.len());
        }
        entries.bytes += size;
        if entries.bytes > BUDGET {
            evict_oldest_half(&mut entries);
        }
    }

    /// Reads served from a copy, and reads that had to render.
    pub fn hits_and_misses(&self) -> (u64, u64) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }

    /// How many copies are kept and their bytes.
    pub fn size(&self) -> (usize, usize) {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        (entries.map.len(), entries.bytes)
    }
}

fn evict_oldest_half(entries: &mut Entries) {
    let mut ticks: Vec<u64> = entries.map.values().map(|(tick, _)| *tick).collect();
    ticks.sort_unstable();
    let cut = ticks.get(ticks.len() / 2).copied().unwrap_or(0);
    entries.map.retain(|_, (tick, _)| *tick >= cut);
    entries.bytes = entries
        .map
        .iter()
        .map(|(key, (_, rendered))| rendered.body.len() + key.case_id.len())
        .sum();
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn settings() -> Arc<Settings> {
        Arc::new(Settings {
            calendar: domain::calendar::Calendar::england_and_wales(),
            rules: domain::deadlines::RuleSet::default(),
        })
    }

    fn stamp(settings: &Arc<Settings>, version: i64, revision: i64, today: &str) -> Stamp {
        Stamp {
            case: CaseStamp { version, revision },
            today: today.parse().unwrap(),
            settings: settings.clone(),
        }
    }

    fn rendered(stamp: Stamp, size: usize) -> Arc<Rendered> {
        Arc::new(Rendered {
            stamp,
            body: Bytes::from(vec![b'x'; size]),
            etag: HeaderValue::from_static("\"t\""),
        })
    }

    #[test]
    fn a_copy_is_served_only_while_the_case_the_date_and_the_settings_are_unchanged() {
        let cache = CaseCache::default();
        let rules = settings();
        let at = stamp(&rules, 3, 7, "2026-11-27");
        cache.put("c1", true, rendered(at.clone(), 10));
        assert!(cache.get("c1", true, &at).is_some());
        assert!(
            cache.get("c1", false, &at).is_none(),
            "a reader without links has a copy of its own"
        );
        assert!(cache.get("c1", true, &stamp(&rules, 4, 7, "2026-11-27")).is_none());
        assert!(cache.get("c1", true, &stamp(&rules, 3, 8, "2026-11-27")).is_none());
        assert!(cache.get("c1", true, &stamp(&rules, 3, 7, "2026-11-30")).is_none());
        assert!(cache.get("c1", true, &stamp(&settings(), 3, 7, "2026-11-27")).is_none());
        assert_eq!(cache.hits_and_misses(), (1, 5));
    }

    #[test]
    fn past_the_budget_the_oldest_copies_go_first() {
        let cache = CaseCache::default();
        let rules = settings();
        let at = stamp(&rules, 1, 1, "2026-11-27");
        let each = BUDGET / 10;
        for n in 0..11 {
            cache.put(&format!("case-{n:02}"), false, rendered(at.clone(), each));
        }
        let (count, bytes) = cache.size();
        assert!(bytes <= BUDGET && count < 11, "{count} copies, {bytes} bytes");
        assert!(cache.get("case-10", false, &at).is_some(), "the newest stays");
        assert!(cache.get("case-00", false, &at).is_none(), "the oldest goes");
    }
}
