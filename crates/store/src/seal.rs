//! Sealed backups: one file that holds a copy of the database (SQLite's file or
//! PostgreSQL's `pg_dump`), encrypted, behind a manifest that says what the copy must
//! be. The copy holds special-category data about children, so it is never written in
//! the clear; and a copy that was edited, cut short or made under another key file is
//! refused before anything is replaced.
//!
//! The file is three lines and a stream:
//!
//! ```text
//! rapid-review sealed backup v1
//! {"format":1,"backend":"sqlite","schema":20,"tables":{…},"audit_head":{…},"sha256":…,…}
//! <HMAC-SHA256 of the manifest line, hex>
//! <chunks: a 4-byte big-endian length, then that many bytes of ChaCha20-Poly1305>
//! ```
//!
//! The manifest's MAC is under a key derived from the key file for this purpose alone.
//! The contents are encrypted under a key derived for another purpose, narrowed per
//! backup by a random salt; each 1 MiB chunk's nonce is its number, and its associated
//! data says whether it is the last, so chunks can be neither reordered, dropped nor
//! cut off the end. The manifest's SHA-256 and length of the plain copy are checked as
//! well once every chunk has opened. Memory stays at two chunks whatever the size.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, KeyInit};
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::StoreError;
use crate::anchor::Head;
use crate::keys::{Keys, Purpose};
use crate::rows::{hmac_sha256, hmac_sha256_hex, same_secret};

const MAGIC: &str = "rapid-review sealed backup v1";
const CHUNK: usize = 1 << 20;
const TAG: usize = 16;
/// The manifest line is small (a count per table); anything longer is not one.
const MAX_MANIFEST: usize = 64 * 1024;

/// What a backup must be: written before the contents, checked on restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// `sqlite` (the database file) or `postgres` (a `pg_dump` in custom format).
    pub backend: String,
    /// The newest migration applied to the copy.
    pub schema: i64,
    pub created_at: String,
    /// Rows per table in the copy.
    pub tables: BTreeMap<String, i64>,
    /// The audit chain's last row in the copy.
    pub audit_head: Option<ManifestHead>,
    /// SHA-256 of the plain copy, hex.
    pub sha256: String,
    /// Length of the plain copy in bytes.
    pub bytes: u64,
    /// The random salt that narrows the contents key to this backup, hex.
    pub salt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestHead {
    pub seq: i64,
    pub mac: String,
}

impl From<&Head> for ManifestHead {
    fn from(h: &Head) -> Self {
        ManifestHead {
            seq: h.seq,
            mac: h.mac.clone(),
        }
    }
}

/// What the copy holds, known before sealing: the manifest less the hash and salt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyFacts {
    pub backend: String,
    pub schema: i64,
    pub tables: BTreeMap<String, i64>,
    pub audit_head: Option<Head>,
    /// When the copy was taken.
    pub taken_at: chrono::DateTime<chrono::Utc>,
}

fn refused(why: impl std::fmt::Display) -> StoreError {
    StoreError::Refused(why.to_string())
}

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Keys(format!("{}: {e}", path.display()))
}

fn manifest_mac(keys: &Keys, line: &str) -> String {
    hmac_sha256_hex(&keys.derive(Purpose::BackupManifest), line.as_bytes())
}

fn cipher(keys: &Keys, salt: &[u8]) -> ChaCha20Poly1305 {
    ChaCha20Poly1305::new(&hmac_sha256(&keys.derive(Purpose::BackupContents), salt).into())
}

fn nonce(index: u64) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[4..].copy_from_slice(&index.to_be_bytes());
    n
}

fn aad(index: u64, last: bool) -> [u8; 9] {
    let mut a = [0u8; 9];
    a[..8].copy_from_slice(&index.to_be_bytes());
    a[8] = u8::from(last);
    a
}

/// Reads until `buf` is full or the input ends; how many bytes were read.
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Seals the plain copy at `plain` into a new file `out` (created 0600; it must not
/// exist), with `facts` in its manifest. Returns the manifest written.
pub fn seal(keys: &Keys, facts: &CopyFacts, plain: &Path, out: &Path) -> Result<Manifest, StoreError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| StoreError::corrupt(format!("no randomness: {e}")))?;
    let (sha256, bytes) = digest(plain)?;
    let manifest = Manifest {
        format: 1,
        backend: facts.backend.clone(),
        schema: facts.schema,
        created_at: crate::rows::timestamp(facts.taken_at),
        tables: facts.tables.clone(),
        audit_head: facts.audit_head.as_ref().map(ManifestHead::from),
        sha256,
        bytes,
        salt: hex::encode(salt),
    };
    let line = serde_json::to_string(&manifest).map_err(StoreError::corrupt)?;
    let file = crate::keys::private_file(out).map_err(|e| io(out, e))?;
    let mut writer = std::io::BufWriter::new(file);
    let mut input = std::fs::File::open(plain).map_err(|e| io(plain, e))?;
    let written = (|| -> Result<(), StoreError> {
        writeln!(writer, "{MAGIC}\n{line}\n{}", manifest_mac(keys, &line)).map_err(|e| io(out, e))?;
        let cipher = cipher(keys, &salt);
        let mut current = vec![0u8; CHUNK];
        let mut next = vec![0u8; CHUNK];
        let mut len = fill(&mut input, &mut current).map_err(|e| io(plain, e))?;
        let mut index = 0u64;
        loop {
            let next_len = if len == CHUNK {
                fill(&mut input, &mut next).map_err(|e| io(plain, e))?
            } else {
                0
            };
            let last = next_len == 0;
            let sealed = cipher
                .encrypt(
                    &nonce(index).into(),
                    Payload {
                        msg: &current[..len],
                        aad: &aad(index, last),
                    },
                )
                .map_err(|_| StoreError::corrupt("could not encrypt the backup"))?;
            let sealed_len = u32::try_from(sealed.len()).map_err(StoreError::corrupt)?;
            writer.write_all(&sealed_len.to_be_bytes()).map_err(|e| io(out, e))?;
            writer.write_all(&sealed).map_err(|e| io(out, e))?;
            if last {
                break;
            }
            std::mem::swap(&mut current, &mut next);
            len = next_len;
            index += 1;
        }
        writer
            .into_inner()
            .map_err(|e| io(out, e.into_error()))?
            .sync_all()
            .map_err(|e| io(out, e))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(out);
    }
    written.map(|()| manifest)
}

fn digest(path: &Path) -> Result<(String, u64), StoreError> {
    let mut file = std::fs::File::open(path).map_err(|e| io(path, e))?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut total = 0u64;
    loop {
        let n = fill(&mut file, &mut buf).map_err(|e| io(path, e))?;
        hasher.update(&buf[..n]);
        total += n as u64;
        if n < CHUNK {
            break;
        }
    }
    Ok((hex::encode(hasher.finalize()), total))
}

/// Reads the first line of `reader` up to `max` bytes, without its newline.
fn line(reader: &mut impl BufRead, max: usize) -> Option<String> {
    let mut bytes = Vec::new();
    let n = reader.take(max as u64 + 1).read_until(b'\n', &mut bytes).ok()?;
    if n == 0 || bytes.last() != Some(&b'\n') {
        return None;
    }
    bytes.pop();
    String::from_utf8(bytes).ok()
}

/// Checks the sealed backup at `from` and writes its plain copy to the new file `plain`
/// (0600). Every refusal is [`StoreError::Refused`] naming what failed; on a refusal
/// `plain` is removed.
pub fn unseal(keys: &Keys, from: &Path, plain: &Path) -> Result<Manifest, StoreError> {
    let file = std::fs::File::open(from).map_err(|e| io(from, e))?;
    let mut reader = BufReader::new(file);
    if line(&mut reader, MAGIC.len()).as_deref() != Some(MAGIC) {
        return Err(refused(
            "it is not a sealed Rapid Review backup (made by `rapid-review backup`)",
        ));
    }
    let manifest_line = line(&mut reader, MAX_MANIFEST).ok_or_else(|| refused("its manifest is unreadable"))?;
    let mac = line(&mut reader, 64).ok_or_else(|| refused("its manifest has no MAC"))?;
    if !same_secret(&manifest_mac(keys, &manifest_line), &mac) {
        return Err(refused(
            "its manifest does not match its MAC: the backup was edited, or sealed under another key file",
        ));
    }
    let manifest: Manifest =
        serde_json::from_str(&manifest_line).map_err(|e| refused(format!("its manifest is unreadable: {e}")))?;
    let salt = hex::decode(&manifest.salt).map_err(|_| refused("its manifest's salt is not hex"))?;
    let out = crate::keys::private_file(plain).map_err(|e| io(plain, e))?;
    let opened = open_chunks(keys, &salt, &mut reader, out, plain).and_then(|(sha256, bytes)| {
        if bytes != manifest.bytes || sha256 != manifest.sha256 {
            Err(refused(
                "its contents do not match the SHA-256 and length in its manifest",
            ))
        } else {
            Ok(())
        }
    });
    if let Err(e) = opened {
        let _ = std::fs::remove_file(plain);
        return Err(e);
    }
    Ok(manifest)
}

fn open_chunks(
    keys: &Keys,
    salt: &[u8],
    reader: &mut impl Read,
    out: std::fs::File,
    plain: &Path,
) -> Result<(String, u64), StoreError> {
    let cipher = cipher(keys, salt);
    let mut writer = std::io::BufWriter::new(out);
    let mut hasher = sha2::Sha256::new();
    let mut total = 0u64;
    let mut buf = vec![0u8; CHUNK + TAG];
    for index in 0u64.. {
        let mut len = [0u8; 4];
        if fill(reader, &mut len).map_err(|e| io(plain, e))? < 4 {
            return Err(refused(format!(
                "it is cut short: chunk {} of its contents is missing",
                index + 1
            )));
        }
        let len = u32::from_be_bytes(len) as usize;
        if !(TAG..=CHUNK + TAG).contains(&len) {
            return Err(refused(format!("chunk {} of its contents was changed", index + 1)));
        }
        if fill(reader, &mut buf[..len]).map_err(|e| io(plain, e))? < len {
            return Err(refused(format!("it is cut short inside chunk {}", index + 1)));
        }
        let mut last = true;
        let opened = cipher
            .decrypt(
                &nonce(index).into(),
                Payload {
                    msg: &buf[..len],
                    aad: &aad(index, true),
                },
            )
            .or_else(|_| {
                last = false;
                cipher.decrypt(
                    &nonce(index).into(),
                    Payload {
                        msg: &buf[..len],
                        aad: &aad(index, false),
                    },
                )
            })
            .map_err(|_| {
                refused(format!(
                    "chunk {} of its contents does not decrypt: it was changed, or sealed under another key file",
                    index + 1
                ))
            })?;
        hasher.update(&opened);
        total += opened.len() as u64;
        writer.write_all(&opened).map_err(|e| io(plain, e))?;
        if last {
            let mut rest = [0u8; 1];
            if fill(reader, &mut rest).map_err(|e| io(plain, e))? > 0 {
                return Err(refused("it has bytes after its last chunk"));
            }
            break;
        }
    }
    writer
        .into_inner()
        .map_err(|e| io(plain, e.into_error()))?
        .sync_all()
        .map_err(|e| io(plain, e))?;
    Ok((hex::encode(hasher.finalize()), total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("rr-seal-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn facts() -> CopyFacts {
        CopyFacts {
            backend: "sqlite".into(),
            schema: 3,
            tables: BTreeMap::from([("events".into(), 7)]),
            audit_head: Some(Head {
                seq: 9,
                mac: "ab".into(),
            }),
            taken_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn sealed(size: usize) -> (Keys, std::path::PathBuf, Vec<u8>) {
        let keys = Keys::ephemeral().unwrap();
        let dir = dir();
        let data: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
        std::fs::write(dir.join("plain"), &data).unwrap();
        seal(&keys, &facts(), &dir.join("plain"), &dir.join("backup")).unwrap();
        (keys, dir, data)
    }

    #[test]
    fn a_sealed_copy_opens_to_the_same_bytes_and_is_not_in_the_clear() {
        for size in [0, 10, CHUNK, CHUNK * 2 + 5] {
            let (keys, dir, data) = sealed(size);
            let sealed = std::fs::read(dir.join("backup")).unwrap();
            if size > 64 {
                assert!(!sealed.windows(64).any(|w| w == &data[..64]), "the copy is encrypted");
            }
            let manifest = unseal(&keys, &dir.join("backup"), &dir.join("out")).unwrap();
            assert_eq!(std::fs::read(dir.join("out")).unwrap(), data);
            assert_eq!(manifest.tables, facts().tables);
            assert_eq!(manifest.bytes, size as u64);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                for f in ["backup", "out"] {
                    let mode = std::fs::metadata(dir.join(f)).unwrap().permissions().mode();
                    assert_eq!(mode & 0o777, 0o600, "{f}");
                }
            }
        }
    }

    fn refusal(keys: &Keys, dir: &Path, bytes: &[u8]) -> String {
        std::fs::write(dir.join("edited"), bytes).unwrap();
        let _ = std::fs::remove_file(dir.join("out"));
        let err = unseal(keys, &dir.join("edited"), &dir.join("out")).unwrap_err();
        assert!(!dir.join("out").exists(), "nothing is left behind");
        match err {
            StoreError::Refused(why) => why,
            other => panic!("{other}"),
        }
    }

    #[test]
    fn an_edited_truncated_or_foreign_backup_is_refused_naming_what_failed() {
        let (keys, dir, _) = sealed(CHUNK * 2 + 5);
        let bytes = std::fs::read(dir.join("backup")).unwrap();
        let header = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(2).unwrap().0 + 1;

        let mut flipped = bytes.clone();
        flipped[header + 100] ^= 1;
        assert!(refusal(&keys, &dir, &flipped).contains("chunk 1 of its contents does not decrypt"));

        let text = String::from_utf8_lossy(&bytes[..header]).replace("\"events\":7", "\"events\":8");
        let mut edited = text.into_bytes();
        edited.extend_from_slice(&bytes[header..]);
        assert!(refusal(&keys, &dir, &edited).contains("does not match its MAC"));

        let last_chunk = bytes.len() - (5 + TAG + 4);
        assert!(refusal(&keys, &dir, &bytes[..last_chunk]).contains("chunk 3 of its contents is missing"));
        assert!(refusal(&keys, &dir, &bytes[..bytes.len() - 1]).contains("cut short inside chunk 3"));
        assert!(refusal(&keys, &dir, b"SQLite format 3\0").contains("not a sealed Rapid Review backup"));

        let other = Keys::ephemeral().unwrap();
        assert!(refusal(&other, &dir, &bytes).contains("another key file"));
    }
}
