//! Case reads kept per instance, so that a read of an unchanged case is one small query
//! rather than loading the history, folding it and rendering it again.
//!
//! A copy is used only while it is current, and that is checked on every read: the
//! case's stamp in the database (its version, and its revision, which every change to
//! its events, agency requests, chronology entries, messages, discussions, themes or
//! papers bumps: migration 0017), the business date and the calendar and rules in force
//! must all equal those it was read with. Another instance's write therefore shows at
//! once, as it would without the copy. Reads are audited as before: the copy saves
//! work, not the audit row.
//!
//! The copies are keyed by case and by whether the reader sees return links (the only
//! difference between readers of the shared parts), and at most [`MAX_ENTRIES`] are
//! kept: past it, the oldest half goes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::case_stamp::Stamp;
use crate::service::case_read::CaseRead;

/// The most case reads one instance keeps (each some tens of KB).
pub const MAX_ENTRIES: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    case_id: String,
    sees_links: bool,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<Key, (u64, Arc<CaseRead>)>,
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
    pub fn get(&self, case_id: &str, sees_links: bool, stamp: &Stamp) -> Option<Arc<CaseRead>> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = Key {
            case_id: case_id.to_owned(),
            sees_links,
        };
        let found = entries
            .map
            .get(&key)
            .filter(|(_, read)| read.stamp == *stamp)
            .map(|(_, read)| read.clone());
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps `read` as the copy of case `case_id` for this kind of reader.
    pub fn put(&self, case_id: &str, sees_links: bool, read: Arc<CaseRead>) {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.clock += 1;
        let tick = entries.clock;
        let key = Key {
            case_id: case_id.to_owned(),
            sees_links,
        };
        entries.map.insert(key, (tick, read));
        if entries.map.len() > MAX_ENTRIES {
            let mut ticks: Vec<u64> = entries.map.values().map(|(tick, _)| *tick).collect();
            ticks.sort_unstable();
            let cut = ticks.get(ticks.len() / 2).copied().unwrap_or(0);
            entries.map.retain(|_, (tick, _)| *tick >= cut);
        }
    }

    /// Reads served from a copy, and reads that had to load.
    pub fn hits_and_misses(&self) -> (u64, u64) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }
}
