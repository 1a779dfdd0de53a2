//! The outbox worker: claims a batch of due rows, writes each message, sends them over
//! one pooled SMTP transport a few at a time, and marks each sent as soon as the server
//! accepts it (or records the failure and when to try again). Without an SMTP URL it
//! does nothing: messages wait, and the admin page shows them.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::{PoolConfig, response::Response};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use store::{Claim, OutboxMessage, Store, StoreError};
use tokio::task::JoinSet;

use crate::compose::{self, ComposeError, Sources};
use crate::settings::{MailSettings, Security, SmtpUrl};

/// The most rows claimed at once, and the most messages in flight to the server (one
/// connection each). lettre writes a message's end-of-data mark separately, so a server
/// that delays its ACK holds each message about 40 ms (Nagle); messages in flight on
/// several connections are what keeps the rate up.
const BATCH: i64 = 64;
const IN_FLIGHT: usize = 16;
/// How long the worker rests when there is nothing to send.
const IDLE: Duration = Duration::from_millis(500);

pub use store::Clock;

/// What one round of sending did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Drained {
    pub claimed: usize,
    pub sent: usize,
    pub failed: usize,
}

#[derive(Clone)]
pub struct Worker {
    store: Store,
    settings: Arc<MailSettings>,
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    clock: Clock,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("smtp", &self.settings.smtp)
            .finish_non_exhaustive()
    }
}

/// The SMTP transport the URL describes, pooled.
fn transport(url: &SmtpUrl) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    type Smtp = AsyncSmtpTransport<Tokio1Executor>;
    let tls_error = |e: lettre::transport::smtp::Error| format!("RAPID_REVIEW_SMTP_URL: {e}");
    let builder = match url.security {
        Security::Plain => Smtp::builder_dangerous(&url.host),
        Security::StartTls => Smtp::starttls_relay(&url.host).map_err(tls_error)?,
        Security::Tls => Smtp::relay(&url.host).map_err(tls_error)?,
    };
    let mut builder = builder
        .port(url.port)
        .timeout(Some(Duration::from_secs(20)))
        .pool_config(PoolConfig::new().max_size(IN_FLIGHT as u32));
    if let Some(user) = &url.username {
        builder = builder.credentials(Credentials::new(user.clone(), url.password().unwrap_or("").to_owned()));
    }
    Ok(builder.build())
}

impl Worker {
    /// A worker for `settings`; call it inside a Tokio runtime (the SMTP pool starts a task).
    pub fn new(store: Store, settings: MailSettings, clock: Clock) -> Result<Worker, String> {
        let transport = settings.smtp.as_ref().map(transport).transpose()?;
        Ok(Worker {
            store,
            settings: Arc::new(settings),
            transport,
            clock,
        })
    }

    /// Whether there is an SMTP server to send to.
    pub fn sends(&self) -> bool {
        self.transport.is_some()
    }

    /// Sends until `shutdown` completes. Each round claims what is due; an empty round
    /// rests a moment. Errors of the database are logged and the round tried again.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        if !self.sends() {
            tracing::info!("no RAPID_REVIEW_SMTP_URL: messages wait in the outbox");
            shutdown.await;
            return;
        }
        loop {
            let rest = match self.drain_once().await {
                Ok(d) if d.claimed as i64 >= BATCH => Duration::ZERO,
                Ok(_) => IDLE,
                Err(e) => {
                    tracing::error!(error = %e, "the outbox could not be read");
                    IDLE * 4
                }
            };
            tokio::select! {
                () = &mut shutdown => return,
                () = tokio::time::sleep(rest) => {}
            }
        }
    }

    /// One round: claims a batch, sends it, and marks each message.
    pub async fn drain_once(&self) -> Result<Drained, StoreError> {
        let Some(transport) = &self.transport else {
            return Ok(Drained::default());
        };
        let now = (self.clock.now)();
        let claim = Claim {
            lease: chrono::Duration::from_std(self.settings.lease).unwrap_or(chrono::Duration::seconds(60)),
            limit: BATCH,
        };
        let batch = self.store.claim_outbox(&claim, now).await?;
        let mut drained = Drained {
            claimed: batch.len(),
            ..Drained::default()
        };
        if batch.is_empty() {
            return Ok(drained);
        }
        let mut sources = Sources::load(&self.store, &self.settings, self.clock.today(), now).await?;
        let mut sending: JoinSet<Sent> = JoinSet::new();
        for message in batch {
            let email = match compose::compose(&mut sources, &message).await {
                Ok(composed) => compose::email(&message, composed, &self.settings),
                Err(e) => Err(e),
            };
            let email: Message = match email {
                Ok(email) => email,
                Err(ComposeError::Store(e)) => return Err(e),
                Err(ComposeError::Unsendable(why)) => {
                    tracing::warn!(id = message.id, "a message cannot be sent: see its outbox row");
                    self.store
                        .mark_send_failed(message.id, &why, None, (self.clock.now)())
                        .await?;
                    drained.failed += 1;
                    continue;
                }
            };
            if sending.len() >= IN_FLIGHT
                && let Some(done) = sending.join_next().await
            {
                self.record(done, &mut sending, &mut drained).await?;
            }
            let transport = transport.clone();
            sending.spawn(async move {
                let result = transport.send(email).await;
                (message, result)
            });
        }
        while let Some(done) = sending.join_next().await {
            self.record(done, &mut sending, &mut drained).await?;
        }
        Ok(drained)
    }

    /// Marks a finished send, with every other that has finished meanwhile, in one
    /// transaction; records why those that failed did not go.
    async fn record(
        &self,
        first: Finished,
        sending: &mut JoinSet<Sent>,
        drained: &mut Drained,
    ) -> Result<(), StoreError> {
        let mut finished = vec![first];
        while let Some(more) = sending.try_join_next() {
            finished.push(more);
        }
        let at = (self.clock.now)();
        let mut accepted: Vec<(OutboxMessage, String)> = Vec::new();
        for done in finished {
            let Ok((message, result)) = done else {
                // A send task that panicked leaves its row claimed; the lease frees it.
                drained.failed += 1;
                continue;
            };
            match result {
                Ok(response) => {
                    let reply = format!(
                        "{} {}",
                        response.code(),
                        response.message().collect::<Vec<_>>().join(" ")
                    );
                    tracing::info!(id = message.id, code = %response.code(), "a message was sent");
                    accepted.push((message, reply));
                }
                Err(e) => {
                    let attempts = message.attempts + 1;
                    let retry = (!e.is_permanent() && attempts < self.settings.max_attempts).then(|| {
                        at + chrono::Duration::from_std(self.settings.backoff(message.attempts)).unwrap_or_default()
                    });
                    // The server's words may carry the address: the log keeps the row's
                    // id and the reply code only (the outbox row keeps the whole reply).
                    let code = e.status().map(|c| c.to_string()).unwrap_or_else(|| "none".to_owned());
                    tracing::warn!(
                        id = message.id,
                        attempts,
                        permanent = e.is_permanent(),
                        code,
                        "a message was not sent"
                    );
                    self.store
                        .mark_send_failed(message.id, &e.to_string(), retry, at)
                        .await?;
                    drained.failed += 1;
                }
            }
        }
        let marks: Vec<(&OutboxMessage, String)> = accepted.iter().map(|(m, r)| (m, r.clone())).collect();
        // "Sent at" is dated on the business day, as every other "when" the service
        // writes; retries and the audit row keep the real moment.
        let sent_at = domain::dates::on_business_day(at, self.clock.today());
        self.store.mark_all_sent(&marks, at, sent_at).await?;
        drained.sent += accepted.len();
        Ok(())
    }
}

/// A message and what the SMTP server said to it.
type Sent = (OutboxMessage, Result<Response, lettre::transport::smtp::Error>);
type Finished = Result<Sent, tokio::task::JoinError>;
