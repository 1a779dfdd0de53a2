//! Point reads that SQLite answers on the calling thread.
//!
//! sqlx runs each SQLite connection on a thread of its own, so every statement is a
//! hand-off to that thread and back. Under load the profile of a case read showed a
//! third of the CPU in the kernel, switching threads for it. The statement every read
//! starts with (the session's or token's user, and the stamp of the case it reads) is a
//! look-up by key of a few microseconds, so it runs here instead: on the calling thread,
//! on a few read-only connections of the store's own. SQLite readers never wait for the
//! writer in WAL mode; should one be busy all the same (a log restart at that moment),
//! or fail at all, the caller asks the pool as before.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::StoreError;

/// Idle connections kept; more are opened when more threads read at once.
const KEPT: usize = 4;
/// How long a read waits on a lock before the pool is asked instead.
const BUSY: Duration = Duration::from_millis(20);

pub(crate) struct InlineReader {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for InlineReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InlineReader")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl InlineReader {
    pub(crate) fn new(path: PathBuf) -> InlineReader {
        InlineReader {
            path,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// The first row of `sql` with `params`, as `map` makes it (`Some(None)`: no row);
    /// `None` if it could not be read here, and the pool is to be asked. Bind by name
    /// (`("$1", …)`): SQLite numbers `$N` parameters in the order they appear in the text.
    pub(crate) fn first_row<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        map: impl FnOnce(&rusqlite::Row<'_>) -> Result<T, StoreError>,
    ) -> Option<Option<T>> {
        let connection = self.take()?;
        let answer = (|| {
            let mut statement = connection.prepare_cached(sql).map_err(StoreError::corrupt)?;
            let mut rows = statement.query(params).map_err(StoreError::corrupt)?;
            match rows.next().map_err(StoreError::corrupt)? {
                Some(row) => map(row).map(Some),
                None => Ok(None),
            }
        })();
        self.give_back(connection);
        match answer {
            Ok(found) => Some(found),
            Err(e) => {
                tracing::debug!(error = %e, "an inline read failed; asking the pool");
                None
            }
        }
    }

    fn take(&self) -> Option<Connection> {
        let kept = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        kept.or_else(|| {
            self.open()
                .map_err(|e| tracing::debug!(error = %e, "no inline reader"))
                .ok()
        })
    }

    fn give_back(&self, connection: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < KEPT {
            idle.push(connection);
        }
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let connection = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        connection.busy_timeout(BUSY)?;
        connection.pragma_update(None, "query_only", true)?;
        // Look-ups by key touch a few index pages: a small page cache each (the
        // default is 2 MB a connection).
        connection.pragma_update(None, "cache_size", -512)?;
        Ok(connection)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::columns::Columns;

    fn database(name: &str) -> (PathBuf, Connection) {
        let dir = std::env::temp_dir().join(format!("rr-inline-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("db.sqlite");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER);")
            .unwrap();
        (path, writer)
    }

    const SQL: &str = "SELECT v, $2 AS echoed FROM t WHERE k = $1";

    fn read(reader: &InlineReader, key: &str) -> Option<Option<(i64, String)>> {
        reader.first_row(SQL, &[("$1", &key as &dyn rusqlite::ToSql), ("$2", &"second")], |row| {
            Ok((row.int("v")?, row.text("echoed")?))
        })
    }

    #[test]
    fn a_point_read_sees_each_commit_at_once_and_binds_its_parameters_by_name() {
        let (path, writer) = database("commits");
        let reader = InlineReader::new(path);
        assert_eq!(read(&reader, "a"), Some(None), "no row yet");
        writer.execute("INSERT INTO t VALUES ('a', 1)", []).unwrap();
        assert_eq!(read(&reader, "a"), Some(Some((1, "second".to_owned()))));
        writer.execute("UPDATE t SET v = 2 WHERE k = 'a'", []).unwrap();
        assert_eq!(read(&reader, "a"), Some(Some((2, "second".to_owned()))));
    }

    #[test]
    fn a_read_holds_no_snapshot_afterwards_so_the_log_can_restart() {
        let (path, writer) = database("snapshot");
        writer.execute("INSERT INTO t VALUES ('a', 1)", []).unwrap();
        let reader = InlineReader::new(path);
        assert!(read(&reader, "a").is_some());
        writer.execute("INSERT INTO t VALUES ('b', 2)", []).unwrap();
        let busy: i64 = writer
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))
            .unwrap();
        assert_eq!(busy, 0, "no reader pins the log");
    }

    #[test]
    fn a_read_that_cannot_be_answered_here_is_left_to_the_pool() {
        let (path, _writer) = database("fallback");
        let reader = InlineReader::new(path.clone());
        assert_eq!(
            reader.first_row("SELECT nothing FROM nowhere", [], |row| row.int("nothing")),
            None,
            "an error"
        );
        let missing = InlineReader::new(path.with_file_name("missing").join("db.sqlite"));
        assert_eq!(read(&missing, "a"), None, "no such file");
        let reader = InlineReader::new(path);
        assert!(read(&reader, "a").is_some(), "a good read after a failed one");
    }
}
