//! Group commit for the audit rows of reads. One writer task per store takes the rows
//! waiting in its queue (up to [`MAX_BATCH`]), appends them to the chain in one
//! transaction with a durable commit, and only then answers each caller, so a read is
//! answered only after its row is on disk, and many reads share one commit instead of
//! paying for one each. The chain stays one strict sequence: the batch appends in
//! order, under the same writer lock as every other audit row.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::{mpsc, oneshot};

use crate::audit::{self, AuditEntry};
use crate::{Store, StoreError};

/// The most rows one commit carries.
pub const MAX_BATCH: usize = 256;

type Reply = oneshot::Sender<Result<(), String>>;

/// The queue into the writer task, and what it has done.
#[derive(Debug, Default)]
pub(crate) struct AuditBatcher {
    queue: std::sync::OnceLock<mpsc::UnboundedSender<(AuditEntry, Reply)>>,
    pub(crate) batches: AtomicU64,
    pub(crate) rows: AtomicU64,
}

/// How many batches the writer committed and how many rows they held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchStats {
    pub batches: u64,
    pub rows: u64,
}

impl Store {
    /// Appends an audit row through the group-commit writer and waits until its batch
    /// is committed.
    pub async fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let queue = self.batcher.queue.get_or_init(|| self.start_batch_writer());
        let (reply, answer) = oneshot::channel();
        if queue.send((entry.clone(), reply)).is_err() {
            return self.audit_batch(std::slice::from_ref(entry)).await;
        }
        match answer.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(StoreError::Corrupt(format!("the audit batch failed: {message}"))),
            Err(_) => Err(StoreError::Corrupt("the audit writer stopped".into())),
        }
    }

    /// The group-commit writer's counts so far.
    pub fn audit_batch_stats(&self) -> BatchStats {
        BatchStats {
            batches: self.batcher.batches.load(Ordering::Relaxed),
            rows: self.batcher.rows.load(Ordering::Relaxed),
        }
    }

    fn start_batch_writer(&self) -> mpsc::UnboundedSender<(AuditEntry, Reply)> {
        let (send, mut receive) = mpsc::unbounded_channel::<(AuditEntry, Reply)>();
        let store = self.clone();
        tokio::spawn(async move {
            while let Some(first) = receive.recv().await {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match receive.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let entries: Vec<AuditEntry> = batch.iter().map(|(e, _)| e.clone()).collect();
                let result = store.audit_batch(&entries).await.map_err(|e| e.to_string());
                if result.is_ok() {
                    store.batcher.batches.fetch_add(1, Ordering::Relaxed);
                    store.batcher.rows.fetch_add(entries.len() as u64, Ordering::Relaxed);
                }
                for (_, reply) in batch {
                    let _ = reply.send(result.clone());
                }
            }
        });
        send
    }

    /// Appends `entries` in order in one transaction with a durable commit.
    async fn audit_batch(&self, entries: &[AuditEntry]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        audit::append_all(&mut tx, entries).await?;
        tx.commit().await
    }
}

/// A shared batcher for a new store.
pub(crate) fn new() -> Arc<AuditBatcher> {
    Arc::new(AuditBatcher::default())
}
