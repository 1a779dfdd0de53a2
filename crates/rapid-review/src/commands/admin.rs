//! Administration commands: agencies, holiday import, audit check (users and tokens are
//! in `accounts`). Each change is audited with the operating-system user who ran it.

use anyhow::Context;
use domain::calendar::parse_gov_uk_feed;
use store::{AuditEntry, NewAgency, StoreError};

use super::open;
use crate::Failure;
use crate::cli::{Agencies, Audit, Holidays};

/// The audit row of a change made at the command line: the actor is `cli:` and the
/// operating-system user.
pub(super) fn cli_audit(action: &str, subject: Option<&str>) -> AuditEntry {
    let who = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
    AuditEntry::about(crate::now(), Some(&who), action, subject, "ok")
}

/// A validation error in what the user typed is a bad argument (exit status 2).
pub(super) fn bad(e: impl std::fmt::Display) -> Failure {
    Failure::BadArguments(e.to_string())
}

pub(super) fn stored(e: StoreError) -> Failure {
    match e {
        StoreError::Conflict { field, message } => Failure::Other(anyhow::anyhow!("{field}: {message}")),
        other => Failure::Other(other.into()),
    }
}

pub async fn agencies(cmd: Agencies) -> Result<(), Failure> {
    let Agencies::Add {
        slug,
        name,
        kind,
        email,
        secure_email,
        database,
    } = cmd;
    let new = NewAgency::new(&slug, &name, &kind, email.as_deref())
        .map_err(bad)?
        .with_secure_email(secure_email);
    let store = open(&database).await?;
    let agency = store
        .add_agency(&new, &cli_audit("agency_added", None))
        .await
        .map_err(stored)?;
    println!("added agency {} ({})", agency.slug, agency.name);
    Ok(())
}

pub async fn holidays(cmd: Holidays) -> Result<(), Failure> {
    let Holidays::Import { file, database } = cmd;
    let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let overrides = parse_gov_uk_feed(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let store = open(&database).await?;
    let subject = format!("{} days from {}", overrides.len(), file.display());
    store
        .add_calendar_overrides(&overrides, &cli_audit("calendar_imported", Some(&subject)))
        .await?;
    let calendar = store.calendar().await?;
    let rules = store.rules().await?;
    store
        .refresh_snapshots(&calendar, &rules, crate::now().date_naive(), crate::now())
        .await?;
    println!(
        "imported {} england-and-wales events from {}",
        overrides.len(),
        file.display()
    );
    Ok(())
}

pub async fn audit(cmd: Audit) -> Result<(), Failure> {
    let database = match cmd {
        Audit::Verify { database } => database,
        Audit::Anchor { database, .. } => return accept_current_anchor(&database).await,
    };
    let store = open(&database).await?;
    let report = store.verify_audit_chain().await?;
    let cases = store.verify_case_chains().await?;
    let accounts = store.verify_account_rows().await?;
    store.close().await;
    if !cases.is_empty() || !accounts.is_empty() {
        for case in &cases {
            eprintln!("case {} ({}): {}", case.reference, case.case_id, case.why);
        }
        for account in &accounts {
            eprintln!("{account}");
        }
        let chain = match &report.first_broken {
            Some((seq, why)) => format!("; the audit chain is broken too, at row {seq}: {why}"),
            None => String::new(),
        };
        return Err(Failure::Other(anyhow::anyhow!(
            "{} case(s) and {} account row(s) do not verify, named above (each is refused until restored from a backup){chain}",
            cases.len(),
            accounts.len()
        )));
    }
    if let Some((seq, why)) = report.first_broken {
        return Err(Failure::Other(anyhow::anyhow!(
            "audit chain broken at row {seq}: {why} ({} rows before it are intact)",
            report.rows
        )));
    }
    if let Some(why) = report.anchor_problem {
        return Err(Failure::Other(anyhow::anyhow!(
            "the audit anchor cannot be trusted: {why}. Rows cut off the chain's end would not show. \
             If the anchor file was lost and nothing else is wrong, re-anchor deliberately with \
             `rapid-review audit anchor --accept-current` (audited)"
        )));
    }
    let legacy = if report.legacy_rows > 0 {
        format!(" (and {} rows written before the chain was keyed)", report.legacy_rows)
    } else {
        String::new()
    };
    let anchor = if report.anchored {
        "its end matches the anchor file"
    } else {
        "it is empty, so there is nothing to anchor yet"
    };
    println!(
        "audit chain intact: {} rows{legacy}; {anchor}; every case's history and every account verifies",
        report.rows
    );
    Ok(())
}

async fn accept_current_anchor(database: &crate::cli::Database) -> Result<(), Failure> {
    let store = open(database).await?;
    let report = store
        .accept_current_anchor(&cli_audit("audit_anchor_accepted", None))
        .await
        .map_err(stored)?;
    store.close().await;
    println!(
        "re-anchored {} at its current end ({} rows, intact); the act is in the audit log",
        database.key_path().with_extension("anchor").display(),
        report.rows + report.legacy_rows
    );
    Ok(())
}
