//! Large documents (chronologies as CSV, XLSX and JSON, returns as DOCX, the papers
//! pack, the reports' exports) are built one at a time on a thread of their own.
//!
//! A return may hold 5 MB of text, and a document of it takes a few times that while it
//! is built. Built on whichever runtime thread took the request, each build grew that
//! thread's own heap (glibc keeps an arena per thread and hands little back), so a few
//! reads of the largest return took the service from 42 MB to 180 MB and kept it there.
//! On one thread, one build at a time, the memory of a build is the next build's: the
//! service's peak is its resting size plus one build, whatever the traffic. Requests for
//! documents queue behind each other; every other request is untouched.
//!
//! When the thread has had no build for [`IDLE_BEFORE_TRIM`], it asks the allocator to
//! give the freed memory back to the system (`crate::allocator`), so that the service
//! returns to its resting size after a burst of builds rather than keeping the largest.

use std::sync::mpsc;
use std::time::Duration;

use crate::error::ApiError;

type Job = Box<dyn FnOnce() + Send>;

/// How long the documents thread waits after its last build before giving memory
/// back: long enough that the answer it built has been written out and freed.
const IDLE_BEFORE_TRIM: Duration = Duration::from_millis(300);

/// The sending end of the documents thread; cheap to clone. The thread ends when the
/// last clone is dropped.
#[derive(Debug, Clone)]
pub struct DocumentThread {
    jobs: mpsc::Sender<Job>,
}

impl DocumentThread {
    pub fn start() -> DocumentThread {
        let (jobs, queue) = mpsc::channel::<Job>();
        let started = std::thread::Builder::new().name("documents".into()).spawn(move || {
            let mut built_since_trim = false;
            loop {
                match queue.recv_timeout(IDLE_BEFORE_TRIM) {
                    Ok(job) => {
                        // A build that panics fails its own request (its answer is
                        // dropped), not every document after it.
                        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err() {
                            tracing::error!("a document build panicked");
                        }
                        built_since_trim = true;
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if built_since_trim {
                            crate::allocator::give_back_free_memory();
                            built_since_trim = false;
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
        });
        if let Err(e) = started {
            tracing::error!(error = %e, "the documents thread did not start; documents will be refused");
        }
        DocumentThread { jobs }
    }

    /// Runs the future `work` makes on the documents thread, to its end, and hands back
    /// its output: for a build that reads what it builds from the database, so that
    /// what it reads is held on that thread too.
    pub async fn run<T, F>(&self, work: impl FnOnce() -> F + Send + 'static) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: std::future::Future<Output = Result<T, ApiError>>,
    {
        let runtime = tokio::runtime::Handle::current();
        self.build(move || runtime.block_on(work())).await?
    }

    /// Runs `build` on the documents thread and hands back what it made.
    pub async fn build<T: Send + 'static>(&self, build: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = answer.send(build());
            }))
            .map_err(|_| ApiError::Internal("the documents thread has stopped".into()))?;
        answered
            .await
            .map_err(|_| ApiError::Internal("a document build failed on its thread".into()))
    }
}
