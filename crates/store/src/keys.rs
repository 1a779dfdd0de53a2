//! The service's secrets, kept in a key file outside the database so that a copy of
//! the database alone can neither mint return links, nor forge the audit chain, nor
//! read the two-factor keys. The file holds one random master key (64 hex digits);
//! every purpose gets its own key derived from it with HMAC-SHA256, so that no two
//! uses ever share a key.
//!
//! The file is created with mode 0600 on first start and refused when others may read
//! it. Beside it lives the audit anchor (see [`crate::anchor`]).

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::StoreError;
use crate::rows::hmac_sha256;

/// What each derived key is for. The label is part of the derivation, so changing one
/// changes the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    ReturnLinks,
    AuditChain,
    TwoFactorSecrets,
    RecoveryCodes,
    AuditAnchor,
    BackupManifest,
    BackupContents,
    CaseEvents,
    AccountRows,
    DeviceCookies,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::ReturnLinks => b"rapid-review return links v1",
            Purpose::AuditChain => b"rapid-review audit chain v1",
            Purpose::TwoFactorSecrets => b"rapid-review two-factor keys v1",
            Purpose::RecoveryCodes => b"rapid-review recovery codes v1",
            Purpose::AuditAnchor => b"rapid-review audit anchor v1",
            Purpose::BackupManifest => b"rapid-review backup manifest v1",
            Purpose::BackupContents => b"rapid-review backup contents v1",
            Purpose::CaseEvents => b"rapid-review case events v1",
            Purpose::AccountRows => b"rapid-review account rows v1",
            Purpose::DeviceCookies => b"rapid-review device cookies v1",
        }
    }
}

/// The master key and where it came from. `Debug` never shows the key.
#[derive(Clone)]
pub struct Keys {
    master: [u8; 32],
    path: Option<PathBuf>,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Keys {
    /// Reads the key file, or creates it (mode 0600) with a fresh random key.
    pub fn load_or_create(path: &Path) -> Result<Keys, StoreError> {
        let master = match std::fs::read_to_string(path) {
            Ok(text) => {
                refuse_if_others_may_read(path)?;
                parse(path, &text)?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path)?,
            Err(e) => return Err(key_error(path, e)),
        };
        Ok(Keys {
            master,
            path: Some(path.to_owned()),
        })
    }

    /// A random key held only in memory: for tests and throwaway tools.
    pub fn ephemeral() -> Result<Keys, StoreError> {
        let mut master = [0u8; 32];
        getrandom::fill(&mut master).map_err(|e| StoreError::corrupt(format!("no randomness: {e}")))?;
        Ok(Keys { master, path: None })
    }

    /// The key file, when the keys came from one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The default audit anchor: `rapid-review.anchor` beside the key file.
    pub fn default_anchor_path(&self) -> Option<PathBuf> {
        self.path.as_ref().map(|p| p.with_extension("anchor"))
    }

    pub(crate) fn derive(&self, purpose: Purpose) -> [u8; 32] {
        hmac_sha256(&self.master, purpose.label())
    }
}

/// The default key file for a database: beside a SQLite file, else in the working
/// directory.
pub fn default_key_path(database_file: Option<&Path>) -> PathBuf {
    let dir = database_file
        .and_then(Path::parent)
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    dir.join("rapid-review.key")
}

fn key_error(path: &Path, e: impl fmt::Display) -> StoreError {
    StoreError::Keys(format!("{}: {e}", path.display()))
}

fn parse(path: &Path, text: &str) -> Result<[u8; 32], StoreError> {
    let bytes =
        hex::decode(text.trim()).map_err(|_| key_error(path, "the key file must hold 64 hexadecimal digits"))?;
    bytes
        .try_into()
        .map_err(|_| key_error(path, "the key file must hold 64 hexadecimal digits"))
}

fn create(path: &Path) -> Result<[u8; 32], StoreError> {
    let mut master = [0u8; 32];
    getrandom::fill(&mut master).map_err(|e| key_error(path, format!("no randomness: {e}")))?;
    let mut file = private_file(path).map_err(|e| key_error(path, format!("could not create the key file: {e}")))?;
    writeln!(file, "{}", hex::encode(master))
        .and_then(|()| file.sync_all())
        .map_err(|e| key_error(path, format!("could not write the key file: {e}")))?;
    tracing::info!(path = %path.display(), "created a new key file");
    Ok(master)
}

/// Creates a new file that only its owner may read or write (0600 on Unix).
pub(crate) fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(unix)]
fn refuse_if_others_may_read(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| key_error(path, e))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(key_error(
            path,
            format!(
                "the key file may be read by others (mode {:o}): run chmod 600 on it",
                mode & 0o777
            ),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_if_others_may_read(_path: &Path) -> Result<(), StoreError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("rr-keys-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn a_new_key_file_is_created_readable_by_its_owner_only_and_read_back_the_same() {
        let path = temp("rapid-review.key");
        let first = Keys::load_or_create(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = Keys::load_or_create(&path).unwrap();
        assert_eq!(first.derive(Purpose::ReturnLinks), again.derive(Purpose::ReturnLinks));
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_may_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let path = temp("rapid-review.key");
        Keys::load_or_create(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = Keys::load_or_create(&path).unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
    }

    #[test]
    fn each_purpose_has_its_own_key() {
        let keys = Keys::ephemeral().unwrap();
        assert_ne!(keys.derive(Purpose::ReturnLinks), keys.derive(Purpose::AuditChain));
    }

    #[test]
    fn the_key_file_lives_beside_a_sqlite_database() {
        assert_eq!(
            default_key_path(Some(Path::new("/var/lib/rr/rapid-review.db"))),
            PathBuf::from("/var/lib/rr/rapid-review.key")
        );
        assert_eq!(
            default_key_path(Some(Path::new("rapid-review.db"))),
            PathBuf::from("./rapid-review.key")
        );
        assert_eq!(default_key_path(None), PathBuf::from("./rapid-review.key"));
    }
}
