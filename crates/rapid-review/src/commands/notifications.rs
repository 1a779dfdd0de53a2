//! `rapid-review reminders run` and `rapid-review outbox send`, and the mail settings
//! every command that sends reads from the configuration.

use notifications::MailSettings;
use notifications::reminders::run_pass;
use notifications::worker::{Clock, Worker};

use super::open;
use crate::Failure;
use crate::cli::{Outbox, Reminders};
use crate::config::Config;

/// The mail settings (`smtp_url`, `mail_from`, `public_url`, `outbox_retry_seconds`:
/// the first wait after a failure, 30 seconds unless set).
pub fn mail_settings(settings: &Config, default_public_url: &str) -> Result<MailSettings, Failure> {
    let public_url = settings.public_url.as_deref().unwrap_or(default_public_url);
    let mut mail = MailSettings::new(settings.smtp_url.as_deref(), settings.mail_from.as_deref(), public_url)
        .map_err(Failure::BadArguments)?;
    if let Some(seconds) = settings.outbox_retry_seconds {
        if !(1..=3600).contains(&seconds) {
            return Err(Failure::BadArguments(
                "outbox_retry_seconds (RAPID_REVIEW_OUTBOX_RETRY_SECONDS) must be a number from 1 to 3600".into(),
            ));
        }
        mail.retry_after = std::time::Duration::from_secs(seconds);
    }
    if let Some(name) = settings.partnership_name.as_deref().filter(|n| !n.trim().is_empty()) {
        mail.partnership = name.to_owned();
    }
    Ok(mail)
}

/// Keeps the store's record of the National Panel's address (`panel_email`) as the
/// settings say, so that a submission recorded on any instance is sent there.
pub async fn record_panel_address(
    store: &store::Store,
    settings: &Config,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Failure> {
    let address = settings.panel_email.as_deref().map(str::trim);
    if let Some(a) = address
        && !notifications::is_email_address(a)
    {
        return Err(Failure::BadArguments(format!(
            "panel_email (RAPID_REVIEW_PANEL_EMAIL): {a:?} is not an email address"
        )));
    }
    let entry = store::AuditEntry::about(now, Some("operator"), "panel_address_set", None, "ok");
    store.set_panel_address(address, &entry).await?;
    Ok(())
}

pub async fn reminders(cmd: Reminders) -> Result<(), Failure> {
    match cmd {
        Reminders::Run { today, database } => {
            let store = open(&database).await?;
            let now = crate::now();
            let day = today.unwrap_or_else(|| notifications::schedule::london_time(now).date());
            let report = run_pass(&store, day, now).await?;
            if report.working_day {
                println!(
                    "reminder pass for {day}: {} open cases, {} messages queued, {} digests",
                    report.cases, report.queued, report.digests
                );
            } else {
                println!("reminder pass for {day}: not a working day, nothing sent");
            }
            Ok(())
        }
    }
}

pub async fn outbox(cmd: Outbox, settings: &Config) -> Result<(), Failure> {
    match cmd {
        Outbox::Send { database } => {
            let store = open(&database).await?;
            let mail = mail_settings(settings, "http://127.0.0.1:8080")?;
            if mail.smtp.is_none() {
                return Err(Failure::BadArguments(
                    "set smtp_url (in rapid-review.toml, or RAPID_REVIEW_SMTP_URL) to send; messages wait in the outbox until then".into(),
                ));
            }
            let clock = Clock {
                now: crate::now,
                frozen_today: None,
            };
            let worker = Worker::new(store.clone(), mail, clock).map_err(Failure::BadArguments)?;
            let started = std::time::Instant::now();
            let (mut sent, mut failed) = (0, 0);
            loop {
                let round = worker.drain_once().await?;
                sent += round.sent;
                failed += round.failed;
                if round.claimed == 0 {
                    break;
                }
            }
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "sent {sent}, not sent {failed}, in {seconds:.2} s ({:.0} messages a second)",
                sent as f64 / seconds.max(0.001)
            );
            Ok(())
        }
    }
}
