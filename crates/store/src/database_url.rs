//! The database URL: `sqlite://…` or `postgres://…`, anything else refused. Its `Debug`
//! and `Display` hide a password so that it never reaches a log.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend's name, as a backup's manifest records it.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    raw: String,
    backend: Backend,
}

impl DatabaseUrl {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL to hand to the driver: a SQLite file is created if it is missing.
    pub(crate) fn connect_string(&self) -> String {
        match self.backend {
            Backend::Sqlite if !self.raw.contains("mode=") => {
                let sep = if self.raw.contains('?') { '&' } else { '?' };
                format!("{}{sep}mode=rwc", self.raw)
            }
            _ => self.raw.clone(),
        }
    }

    /// The SQLite database file, if this is a SQLite URL naming one.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        if self.backend != Backend::Sqlite {
            return None;
        }
        let rest = self.raw.strip_prefix("sqlite:")?;
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let path = rest.split('?').next().unwrap_or(rest);
        (!path.is_empty() && !path.starts_with(":memory:")).then(|| std::path::PathBuf::from(path))
    }

    /// The URL as given, password and all; for connecting, never for printing.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The URL with any password replaced, for messages.
    pub fn redacted(&self) -> String {
        let Some((scheme, rest)) = self.raw.split_once("://") else {
            return self.raw.clone();
        };
        match rest.split_once('@') {
            Some((userinfo, host)) => match userinfo.split_once(':') {
                Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
                None => self.raw.clone(),
            },
            None => self.raw.clone(),
        }
    }
}

/// The `sslmode` a PostgreSQL URL asks for, if any.
fn ssl_mode(url: &DatabaseUrl) -> Option<&str> {
    url.raw
        .split_once('?')?
        .1
        .split('&')
        .find_map(|pair| pair.strip_prefix("sslmode="))
}

/// Why a connection failed, in words an operator can act on; a TLS failure fails closed
/// and says so.
pub(crate) fn explain_connect_error(url: &DatabaseUrl, e: &sqlx::Error) -> String {
    let text = e.to_string();
    let mode = ssl_mode(url).unwrap_or("prefer");
    if text.contains("does not support TLS") {
        format!(
            "the PostgreSQL server offers no TLS, and sslmode={mode} requires it, so nothing was sent unencrypted. Turn on ssl in the server, or (on a trusted network only) use sslmode=prefer"
        )
    } else if text.contains("invalid peer certificate") {
        format!(
            "the PostgreSQL server's TLS certificate is not trusted ({}). Give the certificate of its authority with sslrootcert=FILE",
            text.rsplit(": ").next().unwrap_or(&text)
        )
    } else {
        text
    }
}

/// Creates the SQLite file, readable by its owner only, if it does not exist yet
/// (SQLite gives its WAL and shared-memory files the same permissions).
pub(crate) fn create_private_file(path: &std::path::Path) -> Result<(), crate::StoreError> {
    match crate::keys::private_file(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(crate::StoreError::Keys(format!(
            "{}: could not create the database file: {e}",
            path.display()
        ))),
    }
}

impl FromStr for DatabaseUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let backend = if s.starts_with("sqlite:") {
            Backend::Sqlite
        } else if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            let scheme = s.split_once(':').map_or(s, |(scheme, _)| scheme);
            return Err(format!(
                "unsupported database URL scheme \"{scheme}\": use sqlite://FILE or postgres://USER@HOST/DATABASE"
            ));
        };
        Ok(DatabaseUrl {
            raw: s.to_owned(),
            backend,
        })
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseUrl").field("url", &self.redacted()).finish()
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_and_postgres_urls_are_accepted_and_others_refused() {
        assert_eq!(
            "sqlite://rapid-review.db".parse::<DatabaseUrl>().unwrap().backend(),
            Backend::Sqlite
        );
        assert_eq!(
            "postgres://root@localhost/rr".parse::<DatabaseUrl>().unwrap().backend(),
            Backend::Postgres
        );
        let err = "mysql://root@localhost/rr".parse::<DatabaseUrl>().unwrap_err();
        assert!(err.contains("mysql"));
    }

    #[test]
    fn a_password_never_shows_in_debug_or_display() {
        let url: DatabaseUrl = "postgres://rr:secret@db/rr".parse().unwrap();
        assert!(!format!("{url:?} {url}").contains("secret"));
    }

    #[test]
    fn the_sqlite_file_is_read_from_the_url() {
        let file = |u: &str| u.parse::<DatabaseUrl>().unwrap().sqlite_file();
        assert_eq!(file("sqlite://data/rr.db?mode=rwc"), Some("data/rr.db".into()));
        assert_eq!(file("sqlite:rr.db"), Some("rr.db".into()));
        assert_eq!(file("sqlite::memory:"), None);
        assert_eq!(file("postgres://x@y/z"), None);
    }

    #[test]
    fn a_sqlite_file_is_created_when_missing() {
        let url: DatabaseUrl = "sqlite://x.db".parse().unwrap();
        assert_eq!(url.connect_string(), "sqlite://x.db?mode=rwc");
    }
}
