//! Small caches of answers read from the case snapshots: case-list pages and dashboard
//! pages. An entry is good while the database's `data_version` counter (bumped by every
//! case write, on any instance) is unchanged, so a busy dashboard does not rebuild the
//! same page from thousands of snapshots, and a write anywhere shows on the next read.

use std::collections::HashMap;
use std::sync::Mutex;

const MAX_ENTRIES: usize = 256;

/// Answers by key, each with the data version it was read at.
#[derive(Debug)]
pub(crate) struct VersionedCache<V> {
    entries: Mutex<HashMap<String, (i64, V)>>,
}

impl<V> Default for VersionedCache<V> {
    fn default() -> Self {
        VersionedCache {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<V: Clone> VersionedCache<V> {
    pub(crate) fn get(&self, key: &str, version: i64) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(v, _)| *v == version)
            .map(|(_, value)| value.clone())
    }

    pub(crate) fn put(&self, key: String, version: i64, value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.retain(|_, (v, _)| *v == version);
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
            }
            entries.insert(key, (version, value));
        }
    }
}
