//! A small cache of case-list pages. An entry is good while the database's
//! `data_version` counter (bumped by every case write, on any instance) is unchanged,
//! so a busy dashboard does not rebuild the same page from thousands of snapshots.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::cases::CaseSummary;

const MAX_ENTRIES: usize = 256;

#[derive(Debug, Default)]
pub(crate) struct ListCache {
    entries: Mutex<HashMap<String, (i64, Vec<CaseSummary>)>>,
}

impl ListCache {
    pub(crate) fn get(&self, key: &str, version: i64) -> Option<Vec<CaseSummary>> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(v, _)| *v == version)
            .map(|(_, cases)| cases.clone())
    }

    pub(crate) fn put(&self, key: String, version: i64, cases: Vec<CaseSummary>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.retain(|_, (v, _)| *v == version);
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
            }
            entries.insert(key, (version, cases));
        }
    }
}
