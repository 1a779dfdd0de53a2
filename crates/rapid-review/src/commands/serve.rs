//! `rapid-review serve`: opens the database, optionally loads the demo partnership,
//! and serves until SIGTERM or Ctrl-C, finishing the requests in flight.

use anyhow::Context;
use tracing_subscriber::EnvFilter;
use web::{AppState, Clock, TwoFactor};

use super::open;
use crate::Failure;
use crate::cli::{LogFormat, Serve};
use crate::config::Config;

pub async fn run(options: Serve, settings: &Config) -> Result<(), Failure> {
    let Serve {
        listen,
        database,
        demo,
        today,
        metrics_listen,
        log_format,
    } = options;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Colour only for a person at a terminal: a log written to a file or a journal
    // carries no escape codes.
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().with_current_span(true).with_span_list(false).init(),
    }
    let store = open(&database).await?;
    // Held while the service runs: `restore` refuses while any instance holds it.
    let _lock = store::DatabaseLock::for_service(&database.url)
        .await
        .map_err(super::admin::stored)?;
    let url = &database.url;
    let clock = Clock {
        now: crate::now,
        frozen_today: today,
    };
    // Before the demo loads, so that its seeded submissions show the Panel as told.
    super::notifications::record_panel_address(&store, settings, clock.now()).await?;
    if demo {
        if store.is_empty().await? {
            crate::demo::load(&store, clock)
                .await
                .context("loading the demo partnership")?;
        } else {
            println!("the database already has data; --demo loads nothing");
        }
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let addr = listener.local_addr()?;
    // Where people reach the service, for return links: set it when behind a proxy.
    let public_url = settings.public_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    let two_factor = two_factor_mode(settings, demo)?;
    let mail = super::notifications::mail_settings(settings, &public_url)?;
    let state = AppState::load(store.clone(), clock)
        .await?
        .with_mail(&mail.smtp.as_ref().map(ToString::to_string).unwrap_or_default())
        .with_public_url(&public_url)
        .with_two_factor(two_factor)
        .with_trusted_proxies(trusted_proxies(
            settings.trusted_proxies.as_deref().unwrap_or_default(),
        )?)
        .with_partnership(settings.partnership_name.as_deref());
    println!(
        "Rapid Review is listening on http://{addr} (database {url}, business date {})",
        clock.today()
    );
    if two_factor == TwoFactor::Optional {
        println!(
            "Two-factor sign-in is optional{}: users may set it up from their account page.",
            if demo { " for this demo" } else { "" }
        );
    }
    let background = start_notifications(&store, mail, clock)?;
    // Another instance's calendar or rules change shows here within a second.
    let watcher = state.watch_settings(std::time::Duration::from_millis(500));
    // SQLite's log is copied into the database beside the reads, not inside a commit.
    let checkpointer = store.checkpoint_in_background();
    let metrics = match metrics_listen {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("listening for metrics on {addr}"))?;
            println!("Metrics are served on http://{}/metrics", listener.local_addr()?);
            let state = state.clone();
            Some(tokio::spawn(async move {
                if let Err(e) = web::metrics::serve(listener, state).await {
                    tracing::error!(error = %e, "the metrics listener stopped");
                }
            }))
        }
        None => None,
    };
    tracing::info!(%addr, "listening");
    web::serve(listener, state, async move {
        shutdown_signal().await;
        background.stop.send_replace(());
    })
    .await?;
    watcher.abort();
    if let Some(task) = checkpointer {
        task.abort();
    }
    if let Some(task) = metrics {
        task.abort();
    }
    for task in background.tasks {
        let _ = task.await;
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// The outbox worker and the reminder schedule, running beside the web service until
/// `stop` is sent.
struct Background {
    stop: tokio::sync::watch::Sender<()>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

fn start_notifications(
    store: &store::Store,
    settings: notifications::MailSettings,
    clock: Clock,
) -> Result<Background, Failure> {
    match &settings.smtp {
        Some(url) => println!("Email goes through {url}."),
        None => println!("No RAPID_REVIEW_SMTP_URL: messages wait in the outbox (Administration, Outbox)."),
    }
    let worker = notifications::Worker::new(store.clone(), settings, clock).map_err(Failure::BadArguments)?;
    let (stop, stopped) = tokio::sync::watch::channel(());
    let until_stopped = |mut rx: tokio::sync::watch::Receiver<()>| async move {
        let _ = rx.changed().await;
    };
    let sending = {
        let store = store.clone();
        let stopped = until_stopped(stopped.clone());
        tokio::spawn(async move {
            // On SQLite this is the only instance: claims left behind are a dead process's.
            if store.backend() == store::Backend::Sqlite
                && let Err(e) = store.release_outbox_claims().await
            {
                tracing::error!(error = %e, "outbox claims not released");
            }
            worker.run(stopped).await;
        })
    };
    let scheduling = tokio::spawn(notifications::schedule::run(
        store.clone(),
        clock,
        until_stopped(stopped),
    ));
    Ok(Background {
        stop,
        tasks: vec![sending, scheduling],
    })
}

/// `two_factor`: `required` unless set; `--demo` makes it `optional` unless it is set.
fn two_factor_mode(settings: &Config, demo: bool) -> Result<TwoFactor, Failure> {
    match settings.two_factor.as_deref() {
        Some(value) => value
            .parse()
            .map_err(|e| Failure::BadArguments(format!("{}: {e}", settings.origin("two_factor")))),
        None if demo => Ok(TwoFactor::Optional),
        None => Ok(TwoFactor::Required),
    }
}

/// `trusted_proxies`: the addresses of proxies whose `X-Forwarded-For` names the client.
fn trusted_proxies(list: &[String]) -> Result<Vec<std::net::IpAddr>, Failure> {
    list.iter()
        .map(|s| {
            s.trim().parse().map_err(|_| {
                Failure::BadArguments(format!(
                    "trusted_proxies (RAPID_REVIEW_TRUSTED_PROXIES): \"{}\" is not an IP address",
                    s.trim()
                ))
            })
        })
        .collect()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
