//! `rapid-review reminders run` and `rapid-review outbox send`, and the mail settings
//! every command that sends reads from the environment.

use notifications::MailSettings;
use notifications::reminders::run_pass;
use notifications::worker::{Clock, Worker};

use super::open;
use crate::Failure;
use crate::cli::{Outbox, Reminders};

/// `RAPID_REVIEW_SMTP_URL`, `RAPID_REVIEW_MAIL_FROM`, `RAPID_REVIEW_PUBLIC_URL` and
/// `RAPID_REVIEW_OUTBOX_RETRY_SECONDS` (the first wait after a failure; 30 by default).
pub fn mail_settings(default_public_url: &str) -> Result<MailSettings, Failure> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let public_url = var("RAPID_REVIEW_PUBLIC_URL").unwrap_or_else(|| default_public_url.to_owned());
    let mut settings = MailSettings::new(
        var("RAPID_REVIEW_SMTP_URL").as_deref(),
        var("RAPID_REVIEW_MAIL_FROM").as_deref(),
        &public_url,
    )
    .map_err(Failure::BadArguments)?;
    if let Some(seconds) = var("RAPID_REVIEW_OUTBOX_RETRY_SECONDS") {
        let seconds: u64 = seconds
            .trim()
            .parse()
            .ok()
            .filter(|s| (1..=3600).contains(s))
            .ok_or_else(|| {
                Failure::BadArguments("RAPID_REVIEW_OUTBOX_RETRY_SECONDS must be a number from 1 to 3600".into())
            })?;
        settings.retry_after = std::time::Duration::from_secs(seconds);
    }
    Ok(settings)
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

pub async fn outbox(cmd: Outbox) -> Result<(), Failure> {
    match cmd {
        Outbox::Send { database } => {
            let store = open(&database).await?;
            let settings = mail_settings("http://127.0.0.1:8080")?;
            if settings.smtp.is_none() {
                return Err(Failure::BadArguments(
                    "set RAPID_REVIEW_SMTP_URL to send (messages wait in the outbox until then)".into(),
                ));
            }
            let clock = Clock {
                now: crate::now,
                frozen_today: None,
            };
            let worker = Worker::new(store.clone(), settings, clock).map_err(Failure::BadArguments)?;
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
