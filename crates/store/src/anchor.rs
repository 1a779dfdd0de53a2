//! The audit anchor: the head of the audit chain (its last sequence number and MAC),
//! written to a file outside the database after each audit row commits. Someone who
//! can change the database but not this file cannot cut rows off the end of the chain
//! unnoticed: `audit verify` compares the chain's head with the anchor.
//!
//! The file is replaced atomically (write a temporary file, then rename). It is not
//! flushed to disk on every write, so after a power cut it may name a row or two that
//! the database did keep, or the database may hold rows the anchor never saw; `audit
//! verify` reports the first case as rows missing and accepts the second. Each service
//! instance keeps its own anchor.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::StoreError;

/// The head of the chain as the anchor last saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub mac: String,
}

#[derive(Debug)]
pub(crate) struct Anchor {
    path: PathBuf,
    /// The highest sequence number written, so that a slow writer never moves the
    /// anchor back.
    written: Mutex<i64>,
}

impl Anchor {
    pub(crate) fn new(path: PathBuf) -> Anchor {
        let written = read(&path).ok().flatten().map_or(0, |h| h.seq);
        Anchor {
            path,
            written: Mutex::new(written),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Records `head` unless a later head is already recorded.
    pub(crate) fn record(&self, head: &Head) -> Result<(), StoreError> {
        let mut written = match self.written.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if head.seq <= *written {
            return Ok(());
        }
        let tmp = self.path.with_extension("anchor.tmp");
        let _ = std::fs::remove_file(&tmp);
        let result = crate::keys::private_file(&tmp)
            .and_then(|mut f| writeln!(f, "{} {}", head.seq, head.mac))
            .and_then(|()| std::fs::rename(&tmp, &self.path));
        result.map_err(|e| {
            StoreError::Keys(format!(
                "{}: could not write the audit anchor: {e}",
                self.path.display()
            ))
        })?;
        *written = head.seq;
        Ok(())
    }
}

/// The head recorded in an anchor file, if the file exists.
pub fn read(path: &Path) -> Result<Option<Head>, StoreError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::Keys(format!("{}: {e}", path.display()))),
    };
    let bad = || {
        StoreError::Keys(format!(
            "{}: not an audit anchor (expected \"SEQ MAC\")",
            path.display()
        ))
    };
    let (seq, mac) = text.trim().split_once(' ').ok_or_else(bad)?;
    Ok(Some(Head {
        seq: seq.parse().map_err(|_| bad())?,
        mac: mac.to_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_anchor_keeps_the_highest_head_it_was_given() {
        let dir = std::env::temp_dir().join(format!("rr-anchor-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let anchor = Anchor::new(dir.join("rapid-review.anchor"));
        anchor
            .record(&Head {
                seq: 2,
                mac: "b".into(),
            })
            .unwrap();
        anchor
            .record(&Head {
                seq: 1,
                mac: "a".into(),
            })
            .unwrap();
        assert_eq!(
            read(anchor.path()).unwrap(),
            Some(Head {
                seq: 2,
                mac: "b".into()
            })
        );
        assert_eq!(
            Anchor::new(anchor.path().to_owned())
                .written
                .lock()
                .map(|w| *w)
                .unwrap(),
            2
        );
    }
}
