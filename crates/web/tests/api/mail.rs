//! The tests' mail: the SMTP server from `testkit`, and a worker that sends the
//! outbox to it as the service at [`PUBLIC_URL`] would.

use std::time::Duration;

use notifications::MailSettings;
use notifications::worker::{Clock, Worker};
pub use testkit::{Received, SmtpSink, free_port};

/// Where the tests reach the service, in the links of the messages.
pub const PUBLIC_URL: &str = "http://rapid-review.test";

/// A worker sending to `smtp_url` as the service at [`PUBLIC_URL`], on business date `today`.
pub fn worker(store: &store::Store, smtp_url: &str, today: &str) -> Worker {
    let mut settings = MailSettings::new(Some(smtp_url), None, PUBLIC_URL).unwrap();
    settings.retry_after = Duration::from_millis(200);
    let clock = Clock {
        now: chrono::Utc::now,
        frozen_today: Some(today.parse().unwrap()),
    };
    Worker::new(store.clone(), settings, clock).unwrap()
}

/// Sends every due message; returns how many were sent.
pub async fn drain(worker: &Worker) -> usize {
    let mut sent = 0;
    loop {
        let round = worker.drain_once().await.unwrap();
        sent += round.sent;
        if round.claimed == 0 {
            return sent;
        }
    }
}
