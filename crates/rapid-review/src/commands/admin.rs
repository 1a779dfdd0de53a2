//! Administration commands: users, tokens, agencies, holiday import, audit check.

use std::io::BufRead;

use anyhow::Context;
use domain::calendar::parse_gov_uk_feed;
use store::{NewAgency, NewUser, StoreError};

use super::open;
use crate::Failure;
use crate::cli::{Agencies, Audit, Holidays, Tokens, Users};

/// A validation error in what the user typed is a bad argument (exit status 2).
fn bad(e: impl std::fmt::Display) -> Failure {
    Failure::BadArguments(e.to_string())
}

fn stored(e: StoreError) -> Failure {
    match e {
        StoreError::Conflict { field, message } => Failure::Other(anyhow::anyhow!("{field}: {message}")),
        other => Failure::Other(other.into()),
    }
}

pub async fn users(cmd: Users) -> Result<(), Failure> {
    let Users::Add {
        email,
        name,
        role,
        partner,
        agency,
        password_stdin,
        database,
    } = cmd;
    let password = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        Some(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        None
    };
    let new = NewUser::new(&email, &name, &role, partner.as_deref(), agency.as_deref(), password).map_err(bad)?;
    let store = open(&database).await?;
    let user = store.add_user(&new, crate::now()).await.map_err(stored)?;
    println!("added {} ({}) as {}", user.email, user.name, user.role.as_str());
    Ok(())
}

pub async fn tokens(cmd: Tokens) -> Result<(), Failure> {
    let Tokens::Issue { email, label, database } = cmd;
    let store = open(&database).await?;
    let issued = store.issue_token(&email, &label, crate::now()).await.map_err(stored)?;
    println!(
        "token for {} ({}); it is shown once:",
        issued.user.email,
        issued.user.role.as_str()
    );
    println!("{}", issued.token);
    Ok(())
}

pub async fn agencies(cmd: Agencies) -> Result<(), Failure> {
    let Agencies::Add {
        slug,
        name,
        kind,
        email,
        database,
    } = cmd;
    let new = NewAgency::new(&slug, &name, &kind, email.as_deref()).map_err(bad)?;
    let store = open(&database).await?;
    let agency = store.add_agency(&new, crate::now()).await.map_err(stored)?;
    println!("added agency {} ({})", agency.slug, agency.name);
    Ok(())
}

pub async fn holidays(cmd: Holidays) -> Result<(), Failure> {
    let Holidays::Import { file, database } = cmd;
    let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let overrides = parse_gov_uk_feed(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let store = open(&database).await?;
    store.add_calendar_overrides(&overrides, crate::now()).await?;
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
    let Audit::Verify { database } = cmd;
    let store = open(&database).await?;
    let report = store.verify_audit_chain().await?;
    match report.first_broken {
        None => {
            let legacy = if report.legacy_rows > 0 {
                format!(" (and {} rows written before the chain was keyed)", report.legacy_rows)
            } else {
                String::new()
            };
            let anchor = if report.anchored {
                "its end matches the anchor file".to_owned()
            } else {
                format!(
                    "there is no anchor file at {}, so rows cut off its end would not show",
                    database.key_path().with_extension("anchor").display()
                )
            };
            println!("audit chain intact: {} rows{legacy}; {anchor}", report.rows);
            Ok(())
        }
        Some((seq, why)) => Err(Failure::Other(anyhow::anyhow!(
            "audit chain broken at row {seq}: {why} ({} rows before it are intact)",
            report.rows
        ))),
    }
}
