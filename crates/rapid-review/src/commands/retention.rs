//! `retention run [--dry-run]`, `retention hold` and `retention release`: the
//! partnership's retention rule applied to closed cases, each action audited.

use store::AuditEntry;

use super::open;
use crate::Failure;
use crate::cli::Retention;

pub async fn run(cmd: Retention) -> Result<(), Failure> {
    let now = crate::now();
    let entry = |action: &str, outcome: &str| AuditEntry::about(now, Some("retention"), action, None, outcome);
    match cmd {
        Retention::Run {
            dry_run,
            years,
            today,
            database,
        } => {
            if years == 0 {
                return Err(Failure::BadArguments(
                    "--years: keep closed cases for at least 1 year".into(),
                ));
            }
            let store = open(&database).await?;
            let today = today.unwrap_or_else(|| now.date_naive());
            let due = store.retention_due(today, years).await?;
            let verb = if dry_run { "would pseudonymise" } else { "pseudonymised" };
            let (mut done, mut held) = (0, 0);
            for item in &due {
                if let Some(reason) = &item.held {
                    held += 1;
                    println!(
                        "{}: closed {}, due {}: kept under a legal hold ({reason})",
                        item.reference, item.closed_on, item.due
                    );
                    continue;
                }
                if !dry_run {
                    let audit = AuditEntry {
                        case_id: Some(item.case_id.clone()),
                        ..entry("retention: case pseudonymised", "ok")
                    };
                    store.pseudonymise_case(&item.case_id, &audit).await?;
                }
                done += 1;
                println!(
                    "{}: closed {}, due {}: {verb}",
                    item.reference, item.closed_on, item.due
                );
            }
            if !dry_run {
                store
                    .audit(&entry(
                        &format!("retention run: {done} pseudonymised, {held} held"),
                        "ok",
                    ))
                    .await?;
            }
            println!("{verb} {done} case(s); {held} kept under a legal hold; rule: {years} years after closing");
            store.close().await;
            Ok(())
        }
        Retention::Hold {
            reference,
            reason,
            database,
        } => {
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > 2000 || reason.chars().any(char::is_control) {
                return Err(Failure::BadArguments(
                    "--reason: say why the case is held, in at most 2,000 characters".into(),
                ));
            }
            let store = open(&database).await?;
            store
                .place_legal_hold(&reference, reason, &entry("retention: legal hold placed", "ok"))
                .await?;
            println!("{reference} is under a legal hold: it will not be pseudonymised");
            Ok(())
        }
        Retention::Release { reference, database } => {
            let store = open(&database).await?;
            let released = store
                .release_legal_hold(&reference, &entry("retention: legal hold released", "ok"))
                .await?;
            println!(
                "{reference}: {}",
                if released {
                    "the legal hold is released"
                } else {
                    "there was no legal hold"
                }
            );
            Ok(())
        }
    }
}
