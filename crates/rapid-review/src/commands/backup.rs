//! `backup --to FILE` and `restore --from FILE`. A backup is a sealed archive (see
//! `store::seal`): the plain copy (SQLite's `VACUUM INTO`, or `pg_dump` in custom
//! format inside an exported snapshot) is made in a private scratch folder, counted,
//! encrypted behind a MACed manifest, and removed. A restore unseals into a private
//! scratch folder, loads the copy (SQLite: the file itself; PostgreSQL: a scratch
//! database on the same server), checks it against the manifest and under the key
//! file, and only then replaces the database and re-anchors the audit chain at the
//! restored end. Nothing is replaced unless everything checks out, and every file
//! either command writes is readable by its owner only.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, anyhow};
use store::seal::{self, Manifest};
use store::{DatabaseUrl, Keys, Store, StoreError};

use super::open;
use crate::Failure;
use crate::cli::Database;

/// A folder only its owner may enter, removed with everything in it when dropped.
struct Scratch(PathBuf);

impl Scratch {
    /// A new private folder beside `near` (so that a rename out of it stays on one
    /// file system).
    fn beside(near: &Path) -> anyhow::Result<Scratch> {
        let parent = near
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|e| anyhow!("no randomness: {e}"))?;
        let name = format!(
            ".{}.scratch-{}",
            near.file_name().unwrap_or_default().to_string_lossy(),
            hex::encode(random)
        );
        let dir = parent.join(name);
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(&dir)
            .with_context(|| format!("creating a private scratch folder {}", dir.display()))?;
        Ok(Scratch(dir))
    }

    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn sqlite_url(path: &Path) -> anyhow::Result<DatabaseUrl> {
    format!("sqlite://{}", path.display())
        .parse()
        .map_err(|e: String| anyhow!(e))
}

pub async fn backup(to: &Path, database: &Database) -> Result<(), Failure> {
    if to.exists() {
        return Err(Failure::BadArguments(format!(
            "--to: {} already exists; choose a new file",
            to.display()
        )));
    }
    let store = open(database).await?;
    let keys = Keys::load_or_create(&database.key_path()).context("loading the key file")?;
    let scratch = Scratch::beside(to)?;
    let plain = scratch.join("copy");
    let facts = match database.url.sqlite_file() {
        Some(_) => {
            store.backup_sqlite(&plain).await?;
            let copy = Store::connect(&sqlite_url(&plain)?, &keys).await?.unanchored();
            let facts = copy.copy_facts(crate::now()).await;
            copy.close().await;
            facts?
        }
        None => {
            let snapshot = store.export_snapshot(crate::now()).await?;
            pg(
                "pg_dump",
                &[
                    "--format=custom",
                    "--no-owner",
                    "--snapshot",
                    &snapshot.id,
                    "--file",
                    &plain.to_string_lossy(),
                    database.url.raw(),
                ],
            )?;
            snapshot.facts
        }
    };
    store.close().await;
    let manifest = seal::seal(&keys, &facts, &plain, to)?;
    let size = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    println!(
        "backed up {} to {} ({size} bytes, sealed and encrypted: {} tables, audit chain to row {}); keep the key file ({}) apart from it: the backup cannot be opened without it",
        database.url,
        to.display(),
        manifest.tables.len(),
        manifest.audit_head.map_or(0, |h| h.seq),
        database.key_path().display()
    );
    Ok(())
}

pub async fn restore(from: &Path, database: &Database) -> Result<(), Failure> {
    if !from.is_file() {
        return Err(Failure::BadArguments(format!("--from: no file at {}", from.display())));
    }
    // Held until the end: no instance may start while the database is replaced.
    let _lock = store::DatabaseLock::for_restore(&database.url)
        .await
        .map_err(super::admin::stored)?;
    let keys = Keys::load_or_create(&database.key_path()).context("loading the key file")?;
    let near = database
        .url
        .sqlite_file()
        .unwrap_or_else(|| std::env::temp_dir().join("rapid-review-restore"));
    let scratch = Scratch::beside(&near)?;
    let plain = scratch.join("copy");
    let manifest = seal::unseal(&keys, from, &plain).map_err(refused)?;
    let backend = database.url.backend().name();
    if manifest.backend != backend {
        return Err(refused(StoreError::Refused(format!(
            "it is a {} backup, and the database to restore is {backend}",
            manifest.backend
        ))));
    }
    match database.url.sqlite_file() {
        Some(target) => restore_sqlite(&plain, &target, &keys, &manifest).await?,
        None => restore_postgres(&plain, &database.url, &keys, &manifest).await?,
    }
    let store = open(database).await?;
    store.reanchor().await?;
    let report = store.verify_audit_chain().await?;
    store.close().await;
    println!(
        "restored {} from {} (taken {}): manifest, contents, row counts and schema checked, audit chain intact ({} rows) and re-anchored at its end",
        database.url,
        from.display(),
        manifest.created_at,
        report.rows
    );
    Ok(())
}

fn refused(e: StoreError) -> Failure {
    match e {
        StoreError::Refused(why) => {
            Failure::Other(anyhow!("the backup was not restored, and nothing was replaced: {why}"))
        }
        other => Failure::Other(other.into()),
    }
}

/// Checks the database at `url`, which holds the unsealed copy, against `manifest`.
async fn check(url: &DatabaseUrl, keys: &Keys, manifest: &Manifest) -> Result<(), Failure> {
    let store = Store::connect(url, keys).await?.unanchored();
    let checked = store.check_copy(crate::now()).await;
    store.close().await;
    match checked?.refusal(manifest) {
        Some(why) => Err(refused(StoreError::Refused(why))),
        None => Ok(()),
    }
}

async fn restore_sqlite(plain: &Path, target: &Path, keys: &Keys, manifest: &Manifest) -> Result<(), Failure> {
    check(&sqlite_url(plain)?, keys, manifest).await?;
    for old in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{old}", target.display()));
    }
    std::fs::rename(plain, target).with_context(|| format!("moving the checked copy to {}", target.display()))?;
    Ok(())
}

async fn restore_postgres(plain: &Path, target: &DatabaseUrl, keys: &Keys, manifest: &Manifest) -> Result<(), Failure> {
    let scratch = with_database(target.raw(), &format!("{}_restore_check", database_name(target.raw())))?;
    let admin = Store::connect(target, keys).await?.unanchored();
    let name = database_name(&scratch);
    admin.drop_database_if_exists(&name).await?;
    admin.create_database(&name).await?;
    let plain_arg = plain.to_string_lossy();
    let checked = match pg("pg_restore", &["--no-owner", "--dbname", &scratch, &plain_arg]) {
        Ok(()) => check(&scratch.parse().map_err(|e: String| anyhow!(e))?, keys, manifest).await,
        Err(e) => Err(e.into()),
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
            &plain_arg,
        ],
    )?;
    Ok(())
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
