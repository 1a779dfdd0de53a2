//! SQLite's write-ahead log, copied back into the database beside the writes rather
//! than inside them.
//!
//! Left to itself, SQLite checkpoints inside the commit that takes the log past 1,000
//! pages: that commit (with a read's audit row in it, every couple of seconds under
//! load) copies 4 MB into the database and syncs it before it returns, and every read
//! waiting for its audit row waits for that too. Here, a task copies the log every
//! [`EVERY`] on a connection of its own (a passive checkpoint: it waits for no one and
//! no one waits for it), and once the log holds [`RESTART_AT`] frames, it copies the
//! last few in the writer's turn, so that the copy is complete and the next write starts
//! the log afresh (a checkpoint that runs beside steady writes never catches up, so the
//! log would only grow). Each connection's own automatic checkpoint stays as a safety
//! net at 4,000 pages (set where the connections are made, in `lib.rs`), for commands
//! that run without this task.

use std::time::Duration;

use crate::{Backend, Store, StoreError};

/// How often the log is copied into the database.
pub const EVERY: Duration = Duration::from_millis(100);
/// The log's length, in frames (4 KB pages), at which it is copied in full and restarted.
pub const RESTART_AT: i64 = 1_000;

/// What one checkpoint found: the frames in the log, and how many are in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogState {
    pub frames: i64,
    pub copied: i64,
}

impl Store {
    /// On SQLite, copies the write-ahead log into the database every [`EVERY`] for as
    /// long as the service runs (see the module documentation); nothing on PostgreSQL.
    pub fn checkpoint_in_background(&self) -> Option<tokio::task::JoinHandle<()>> {
        if self.backend != Backend::Sqlite {
            return None;
        }
        let store = self.clone();
        Some(tokio::spawn(async move {
            let mut tick = tokio::time::interval(EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = store.checkpoint_step().await {
                    tracing::warn!(error = %e, "could not copy the write-ahead log into the database");
                }
            }
        }))
    }

    /// One step: a passive copy beside the writer, and if the log is long, the rest in
    /// the writer's turn. Returns the log as the last copy left it.
    pub async fn checkpoint_step(&self) -> Result<LogState, StoreError> {
        let beside = self.passive_checkpoint().await?;
        if beside.frames < RESTART_AT {
            return Ok(beside);
        }
        let _turn = self.writer.lock().await;
        self.passive_checkpoint().await
    }

    async fn passive_checkpoint(&self) -> Result<LogState, StoreError> {
        let (_busy, frames, copied): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(&self.pool)
            .await?;
        Ok(LogState { frames, copied })
    }
}
