//! `backup --to FILE` and `restore --from FILE`. SQLite is copied with VACUUM INTO and
//! restored by checking a copy of the backup, then moving it into place. PostgreSQL is
//! dumped with pg_dump (custom format) and restored by loading the dump into a scratch
//! database on the same server, checking it there, and only then into the target
//! (pg_restore --clean). Either way nothing is replaced until the backup's schema and
//! its whole audit chain check out under the key file.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, anyhow};
use store::{DatabaseUrl, Keys, Store};

use super::open;
use crate::Failure;
use crate::cli::Database;

pub async fn backup(to: &Path, database: &Database) -> Result<(), Failure> {
    if to.exists() {
        return Err(Failure::BadArguments(format!(
            "--to: {} already exists; choose a new file",
            to.display()
        )));
    }
    match database.url.sqlite_file() {
        Some(_) => {
            let store = open(database).await?;
            store.backup_sqlite(to).await?;
            store.close().await;
        }
        None => pg(
            "pg_dump",
            &[
                "--format=custom",
                "--no-owner",
                "--file",
                &to.to_string_lossy(),
                database.url.raw(),
            ],
        )?,
    }
    let size = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    println!(
        "backed up {} to {} ({size} bytes); keep the key file ({}) apart from it",
        database.url,
        to.display(),
        database.key_path().display()
    );
    Ok(())
}

pub async fn restore(from: &Path, database: &Database) -> Result<(), Failure> {
    if !from.is_file() {
        return Err(Failure::BadArguments(format!("--from: no file at {}", from.display())));
    }
    let keys = Keys::load_or_create(&database.key_path()).context("loading the key file")?;
    match database.url.sqlite_file() {
        Some(target) => restore_sqlite(from, &target, &keys).await?,
        None => restore_postgres(from, &database.url, &keys).await?,
    }
    let store = open(database).await?;
    store.reanchor().await?;
    let report = store.verify_audit_chain().await?;
    store.close().await;
    println!(
        "restored {} from {}: schema checked, audit chain intact ({} rows)",
        database.url,
        from.display(),
        report.rows
    );
    Ok(())
}

/// Checks a database that holds the backup; an error says why it must not be restored.
async fn check(url: &DatabaseUrl, keys: &Keys) -> anyhow::Result<()> {
    let store = Store::connect(url, keys).await?;
    let checked = store.check_copy().await;
    store.close().await;
    match checked?.refusal() {
        Some(why) => Err(anyhow!("the backup was not restored, and nothing was replaced: {why}")),
        None => Ok(()),
    }
}

async fn restore_sqlite(from: &Path, target: &Path, keys: &Keys) -> anyhow::Result<()> {
    let staging = sibling(target, "restoring");
    for stale in [
        staging.clone(),
        sibling(&staging, "restoring-wal"),
        sibling(&staging, "restoring-shm"),
    ] {
        let _ = std::fs::remove_file(stale);
    }
    std::fs::copy(from, &staging).with_context(|| format!("copying {} beside the database", from.display()))?;
    let url: DatabaseUrl = format!("sqlite://{}", staging.display())
        .parse()
        .map_err(|e: String| anyhow!(e))?;
    if let Err(e) = check(&url, keys).await {
        let _ = std::fs::remove_file(&staging);
        return Err(e);
    }
    for old in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{old}", target.display()));
    }
    std::fs::rename(&staging, target).with_context(|| format!("moving the checked copy to {}", target.display()))?;
    Ok(())
}

async fn restore_postgres(from: &Path, target: &DatabaseUrl, keys: &Keys) -> anyhow::Result<()> {
    let scratch = with_database(target.raw(), &format!("{}_restore_check", database_name(target.raw())))?;
    let admin = Store::connect(target, keys).await?;
    let name = database_name(&scratch);
    admin.drop_database_if_exists(&name).await?;
    admin.create_database(&name).await?;
    let loaded = pg(
        "pg_restore",
        &["--no-owner", "--dbname", &scratch, &from.to_string_lossy()],
    );
    let checked = match loaded {
        Ok(()) => check(&scratch.parse().map_err(|e: String| anyhow!(e))?, keys).await,
        Err(e) => Err(e),
    };
    admin.drop_database_if_exists(&name).await?;
    admin.close().await;
    checked?;
    pg(
        "pg_restore",
        &[
            "--clean",
            "--if-exists",
            "--no-owner",
            "--dbname",
            target.raw(),
            &from.to_string_lossy(),
        ],
    )
}

/// Runs a PostgreSQL client program, failing with its own words.
fn pg(program: &str, args: &[&str]) -> anyhow::Result<()> {
    let out = Command::new(program).args(args).output().map_err(|e| {
        anyhow!("could not run {program} ({e}); install PostgreSQL's client programs (Debian: postgresql-client)")
    })?;
    if out.status.success() {
        return Ok(());
    }
    Err(anyhow!(
        "{program} failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    ))
}

fn sibling(path: &Path, extension: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(extension);
    path.with_file_name(name)
}

/// The database name in a `postgres://…/NAME?…` URL.
fn database_name(url: &str) -> String {
    let path = url.split('?').next().unwrap_or(url);
    path.rsplit('/').next().unwrap_or("").to_owned()
}

/// The same URL naming another database.
fn with_database(url: &str, name: &str) -> anyhow::Result<String> {
    let (path, query) = url.split_once('?').map_or((url, None), |(p, q)| (p, Some(q)));
    let (server, _) = path
        .rsplit_once('/')
        .ok_or_else(|| anyhow!("the database URL names no database"))?;
    Ok(match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    })
}
