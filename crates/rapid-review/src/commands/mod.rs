//! One module per command group. Commands that touch the database run on a Tokio
//! runtime built here; `workdays` without a database needs none.

mod accounts;
mod admin;
mod backup;
mod notifications;
mod retention;
mod serve;
mod workdays;

use anyhow::Context;
use store::{Keys, Store};

use crate::Failure;
use crate::cli::{Cli, Command, Database};
use crate::config::Config;

pub fn run(cli: Cli, settings: &Config) -> Result<(), Failure> {
    match cli.command {
        Command::Workdays(cmd) => workdays::run(cmd),
        Command::Serve(options) => runtime()?.block_on(serve::run(options, settings)),
        Command::Migrate { database } => runtime()?.block_on(async {
            open(&database).await?;
            println!("migrated {}", database.url);
            Ok(())
        }),
        Command::Users(cmd) => runtime()?.block_on(accounts::users(cmd, settings)),
        Command::Tokens(cmd) => runtime()?.block_on(accounts::tokens(cmd)),
        Command::Agencies(cmd) => runtime()?.block_on(admin::agencies(cmd)),
        Command::Holidays(cmd) => runtime()?.block_on(admin::holidays(cmd)),
        Command::Audit(cmd) => runtime()?.block_on(admin::audit(cmd)),
        Command::Reminders(cmd) => runtime()?.block_on(notifications::reminders(cmd)),
        Command::Outbox(cmd) => runtime()?.block_on(notifications::outbox(cmd, settings)),
        Command::Retention(cmd) => runtime()?.block_on(retention::run(cmd)),
        Command::Backup { to, database } => runtime()?.block_on(backup::backup(&to, &database)),
        Command::Restore { from, database } => runtime()?.block_on(backup::restore(&from, &database)),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// Loads (or creates) the key file, then opens and migrates the database.
pub(crate) async fn open(database: &Database) -> anyhow::Result<Store> {
    let key_path = database.key_path();
    let keys = Keys::load_or_create(&key_path).with_context(|| "loading the key file")?;
    let store = Store::open(&database.url, &keys)
        .await
        .with_context(|| format!("opening {}", database.url))?;
    if store.connection_encrypted().await? == Some(false) {
        eprintln!(
            "warning: the connection to PostgreSQL is not encrypted (the server offered no TLS); use sslmode=require unless the network is trusted"
        );
    }
    // Once, after an upgrade across migration 0023 (store `legacy_stops`).
    let recorded = store.record_legacy_stops(crate::now()).await?;
    if recorded > 0 {
        eprintln!("recorded {recorded} agency request(s) stopped before the upgrade as agency_request_stopped steps");
    }
    Ok(store)
}
