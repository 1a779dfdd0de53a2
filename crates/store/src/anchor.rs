//! The audit anchor: the head of the audit chain (its last sequence number and MAC),
//! written to a file outside the database after each audit row commits. Someone who
//! can change the database but not this file cannot cut rows off the end of the chain
//! unnoticed: `audit verify` compares the chain's head with the anchor.
//!
//! The file carries a MAC of its own under a key derived from the key file, so it can
//! be neither forged (writing the `seq mac` of a new last row copied from the database)
//! nor quietly replaced. A missing or unreadable anchor is itself a failure of `audit
//! verify`; `audit anchor --accept-current` re-anchors deliberately, and is audited.
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
use crate::rows::hmac_sha256_hex;

/// The head of the chain as the anchor last saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub mac: String,
}

/// What the anchor file says, once read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// A head, under a valid MAC.
    Head(Head),
    /// No file: nothing was ever anchored here, or it was removed.
    Missing,
    /// A file that is not an anchor, or whose MAC does not check out (edited or
    /// written by someone without the key file).
    Unreadable(String),
}

pub(crate) struct Anchor {
    path: PathBuf,
    key: [u8; 32],
    /// The highest sequence number written, so that a slow writer never moves the
    /// anchor back.
    written: Mutex<i64>,
}

impl std::fmt::Debug for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Anchor")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Anchor {
    pub(crate) fn new(path: PathBuf, key: [u8; 32]) -> Anchor {
        let written = match read(&path, &key) {
            Recorded::Head(h) => h.seq,
            Recorded::Missing | Recorded::Unreadable(_) => 0,
        };
        Anchor {
            path,
            key,
            written: Mutex::new(written),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// What the file records now.
    pub(crate) fn read(&self) -> Recorded {
        read(&self.path, &self.key)
    }

    /// Records `head` unless a later head is already recorded.
    pub(crate) fn record(&self, head: &Head) -> Result<(), StoreError> {
        let mut written = self.lock();
        if head.seq <= *written {
            return Ok(());
        }
        self.write(head)?;
        *written = head.seq;
        Ok(())
    }

    /// Records `head` even if it is behind the anchor: after a restore of an older
    /// backup, or a deliberate re-anchoring.
    pub(crate) fn reset(&self, head: Option<&Head>) -> Result<(), StoreError> {
        let mut written = self.lock();
        match head {
            Some(head) => {
                self.write(head)?;
                *written = head.seq;
            }
            None => {
                match std::fs::remove_file(&self.path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(self.error(e)),
                }
                *written = 0;
            }
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, i64> {
        match self.written.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn write(&self, head: &Head) -> Result<(), StoreError> {
        let tmp = self.path.with_extension("anchor.tmp");
        let _ = std::fs::remove_file(&tmp);
        let tag = tag(&self.key, head);
        crate::keys::private_file(&tmp)
            .and_then(|mut f| writeln!(f, "{} {} {tag}", head.seq, head.mac))
            .and_then(|()| std::fs::rename(&tmp, &self.path))
            .map_err(|e| self.error(e))
    }

    fn error(&self, e: std::io::Error) -> StoreError {
        StoreError::Keys(format!(
            "{}: could not write the audit anchor: {e}",
            self.path.display()
        ))
    }
}

/// The anchor's own MAC: over the sequence number and the row's MAC.
fn tag(key: &[u8; 32], head: &Head) -> String {
    hmac_sha256_hex(key, format!("rapid-review anchor|{}|{}", head.seq, head.mac).as_bytes())
}

/// The head recorded in an anchor file, checked against its MAC.
pub(crate) fn read(path: &Path, key: &[u8; 32]) -> Recorded {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Recorded::Missing,
        Err(e) => return Recorded::Unreadable(format!("{}: {e}", path.display())),
    };
    let mut parts = text.split_whitespace();
    let (Some(seq), Some(mac), Some(stored_tag), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Recorded::Unreadable(format!(
            "{} is not an audit anchor (expected \"SEQ MAC TAG\")",
            path.display()
        ));
    };
    let Ok(seq) = seq.parse() else {
        return Recorded::Unreadable(format!("{} is not an audit anchor", path.display()));
    };
    let head = Head {
        seq,
        mac: mac.to_owned(),
    };
    if !crate::rows::same_secret(&tag(key, &head), stored_tag) {
        return Recorded::Unreadable(format!(
            "{} does not match its MAC: it was written without this key file, or edited",
            path.display()
        ));
    }
    Recorded::Head(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_anchor() -> Anchor {
        let dir = std::env::temp_dir().join(format!("rr-anchor-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        Anchor::new(dir.join("rapid-review.anchor"), [7; 32])
    }

    fn head(seq: i64, mac: &str) -> Head {
        Head { seq, mac: mac.into() }
    }

    #[test]
    fn the_anchor_keeps_the_highest_head_it_was_given() {
        let anchor = temp_anchor();
        anchor.record(&head(2, "b")).unwrap();
        anchor.record(&head(1, "a")).unwrap();
        assert_eq!(anchor.read(), Recorded::Head(head(2, "b")));
        let again = Anchor::new(anchor.path().to_owned(), [7; 32]);
        assert_eq!(*again.lock(), 2);
    }

    #[test]
    fn a_reset_moves_the_anchor_back() {
        let anchor = temp_anchor();
        anchor.record(&head(5, "e")).unwrap();
        anchor.reset(Some(&head(3, "c"))).unwrap();
        assert_eq!(anchor.read(), Recorded::Head(head(3, "c")));
        anchor.record(&head(4, "d")).unwrap();
        assert_eq!(anchor.read(), Recorded::Head(head(4, "d")));
        anchor.reset(None).unwrap();
        assert_eq!(anchor.read(), Recorded::Missing);
    }

    #[test]
    fn an_anchor_written_without_the_key_is_unreadable() {
        let anchor = temp_anchor();
        anchor.record(&head(5, "e")).unwrap();
        std::fs::write(anchor.path(), "3 c\n").unwrap();
        assert!(matches!(anchor.read(), Recorded::Unreadable(_)));
        let text = format!("3 c {}\n", tag(&[8; 32], &head(3, "c")));
        std::fs::write(anchor.path(), text).unwrap();
        assert!(matches!(anchor.read(), Recorded::Unreadable(why) if why.contains("MAC")));
    }
}
