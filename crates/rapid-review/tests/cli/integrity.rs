//! Integrity at the command line (the tamper-evidence issue): sealed backups, restores
//! that check everything and re-anchor, and an anchor that cannot be forged or removed.

use super::*;

/// The first column of the first row `sql` returns, as text.
fn query_text(url: &str, sql: &str) -> String {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::{Connection, Row};
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
        let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let text = row
            .try_get::<String, _>(0)
            .or_else(|_| row.try_get::<i64, _>(0).map(|n| n.to_string()))
            .unwrap();
        conn.close().await.unwrap();
        text
    })
}

fn add_agencies(db: &TempDb, slugs: &[&str]) {
    for slug in slugs {
        let out = db.run(&[
            "agencies",
            "add",
            "--slug",
            slug,
            "--name",
            "An agency",
            "--kind",
            "school",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Where the sealed contents start: after the magic, manifest and MAC lines.
fn contents_start(bytes: &[u8]) -> usize {
    bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(2).unwrap().0 + 1
}

/// Integrity row "backups world-readable", and the sealing itself: a backup taken
/// while the service runs is one file for its owner only, holding nothing in the
/// clear, and restores into a fresh directory with the same key file.
#[test]
fn a_sqlite_backup_is_sealed_for_its_owner_only_and_restores_into_a_fresh_directory() {
    let db = TempDb::new();
    let server = Server::start(&db, &["--demo", "--today", "2026-11-27"]);
    let backup = db.dir.join("online.rrbackup");
    let made = db.run(&["backup", "--to", backup.to_str().unwrap()]);
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(server.terminate().success());
    #[cfg(unix)]
    assert_eq!(mode(&backup), 0o600);
    let bytes = std::fs::read(&backup).unwrap();
    assert!(bytes.starts_with(b"rapid-review sealed backup v1\n"));
    for clear in [&b"SQLite format 3"[..], b"demo.rapid-review.test", b"CREATE TABLE"] {
        assert!(
            !bytes.windows(clear.len()).any(|w| w == clear),
            "{}",
            String::from_utf8_lossy(clear)
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(&db.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("scratch"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let again = db.run(&["backup", "--to", backup.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "an existing file is not overwritten");

    let fresh = TempDb::new();
    std::fs::copy(db.dir.join("rapid-review.key"), fresh.dir.join("rapid-review.key")).unwrap();
    let restored = fresh.run(&["restore", "--from", backup.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert!(
        stdout(&restored).contains("audit chain intact"),
        "{}",
        stdout(&restored)
    );
    #[cfg(unix)]
    assert_eq!(mode(&fresh.dir.join("rr.db")), 0o600, "the restored database");
    let verified = fresh.run(&["audit", "verify"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    assert!(stdout(&verified).contains("its end matches the anchor file"));
    assert!(stdout(&fresh.run(&["users", "list"])).contains("manager@demo.rapid-review.test"));
}

/// Integrity row "tampered backups restore": any edit of a backup (its contents, its
/// manifest, its end), a plain database passed off as one, or one sealed under another
/// key file is refused, naming what failed, and the database is left as it was.
#[test]
fn a_backup_edited_cut_short_or_sealed_under_another_key_is_refused_and_changes_nothing() {
    let db = TempDb::new();
    add_agencies(&db, &["agency-one", "agency-two"]);
    let backup = db.dir.join("b.rrbackup");
    assert!(db.run(&["backup", "--to", backup.to_str().unwrap()]).status.success());
    let bytes = std::fs::read(&backup).unwrap();
    let start = contents_start(&bytes);

    let target = TempDb::new();
    std::fs::copy(db.dir.join("rapid-review.key"), target.dir.join("rapid-review.key")).unwrap();
    add_agencies(&target, &["only-here"]);
    let before = std::fs::read(target.dir.join("rr.db")).unwrap();

    let mut flipped = bytes.clone();
    flipped[start + 40] ^= 0x01;
    let manifest = String::from_utf8_lossy(&bytes[..start]).replace("\"agencies\":2", "\"agencies\":3");
    assert_ne!(manifest.as_bytes(), &bytes[..start], "the manifest counts the agencies");
    let mut recounted = manifest.into_bytes();
    recounted.extend_from_slice(&bytes[start..]);
    let plain = db.dir.join("rr.db.copy");
    std::fs::copy(db.dir.join("rr.db"), &plain).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "one byte of the contents",
            flipped,
            "chunk 1 of its contents does not decrypt",
        ),
        ("a count in the manifest", recounted, "does not match its MAC"),
        ("cut short", bytes[..bytes.len() - 10].to_vec(), "cut short"),
        (
            "a plain database",
            std::fs::read(&plain).unwrap(),
            "not a sealed Rapid Review backup",
        ),
    ];
    for (what, edited, why) in cases {
        let file = db.dir.join("edited.rrbackup");
        std::fs::write(&file, edited).unwrap();
        let refused = target.run(&["restore", "--from", file.to_str().unwrap()]);
        assert_eq!(refused.status.code(), Some(1), "{what}");
        assert!(stderr(&refused).contains(why), "{what}: {}", stderr(&refused));
        assert!(stderr(&refused).contains("nothing was replaced"), "{what}");
        assert_eq!(std::fs::read(target.dir.join("rr.db")).unwrap(), before, "{what}");
    }

    let stranger = TempDb::new();
    let refused = stranger.run(&["restore", "--from", backup.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("another key file"), "{}", stderr(&refused));
}

/// Integrity row "a correct restore fails verification": restoring an older backup
/// moves the anchor back to the restored chain's end, and `audit verify` passes.
#[test]
fn restoring_an_older_backup_re_anchors_and_audit_verify_passes() {
    let db = TempDb::new();
    add_agencies(&db, &["agency-one", "agency-two"]);
    let backup = db.dir.join("older.rrbackup");
    assert!(db.run(&["backup", "--to", backup.to_str().unwrap()]).status.success());
    add_agencies(&db, &["agency-three", "agency-four", "agency-five"]);
    let restored = db.run(&["restore", "--from", backup.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    let verified = db.run(&["audit", "verify"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    assert!(stdout(&verified).contains("intact: 2 rows"), "{}", stdout(&verified));
}

/// Integrity row "the anchor can be forged or removed": with rows cut off the end,
/// neither deleting the anchor file nor writing into it the `seq mac` of the new last
/// row passes `audit verify`; re-anchoring is a deliberate, audited command.
#[test]
fn an_anchor_removed_or_forged_fails_audit_verify_until_deliberately_re_anchored() {
    let db = TempDb::new();
    add_agencies(&db, &["agency-one", "agency-two", "agency-three"]);
    pg(&db.url(), "DELETE FROM audit WHERE seq > 1");
    let anchor = db.dir.join("rapid-review.anchor");
    let forged = format!("1 {}\n", query_text(&db.url(), "SELECT mac FROM audit WHERE seq = 1"));
    std::fs::write(&anchor, &forged).unwrap();
    let refused = db.run(&["audit", "verify"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("cannot be trusted"), "{}", stderr(&refused));
    let original_form = format!("{} {}", forged.trim(), "0".repeat(64));
    std::fs::write(&anchor, original_form).unwrap();
    let refused = db.run(&["audit", "verify"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("does not match its MAC"),
        "{}",
        stderr(&refused)
    );

    std::fs::remove_file(&anchor).unwrap();
    let missing = db.run(&["audit", "verify"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("no audit anchor file"),
        "{}",
        stderr(&missing)
    );
    assert!(
        stderr(&missing).contains("audit anchor --accept-current"),
        "{}",
        stderr(&missing)
    );

    assert_eq!(
        db.run(&["audit", "anchor"]).status.code(),
        Some(2),
        "the flag is required"
    );
    let accepted = db.run(&["audit", "anchor", "--accept-current"]);
    assert!(accepted.status.success(), "{}", stderr(&accepted));
    let verified = db.run(&["audit", "verify"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    assert_eq!(
        query_text(&db.url(), "SELECT action FROM audit ORDER BY seq DESC LIMIT 1"),
        "audit_anchor_accepted"
    );
}

/// Sealed backups on PostgreSQL: `pg_dump` in an exported snapshot, sealed; restored
/// into a fresh database after a check in a scratch one; a backup of a database whose
/// audit row was edited is refused, and so is a sealed dump with one byte changed.
#[test]
fn a_postgres_backup_is_sealed_restores_into_a_fresh_database_and_a_tampered_one_is_refused() {
    let dir = TempDb::new();
    let key = dir.dir.join("rapid-review.key");
    let key = key.to_str().unwrap();
    let admin = "postgres://postgres@127.0.0.1:5432/postgres";
    let source = TempPg::new("RAPID_REVIEW_TEST_POSTGRES_URL", admin);
    let source_url = source.url("127.0.0.1", "sslmode=disable");
    let run = |url: &str, args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--database", url, "--key-file", key]);
        rapid_review(&all)
    };
    assert!(run(&source_url, &["migrate"]).status.success());
    for (email, role) in [("chair@example.org", "jcr_chair"), ("bu@example.org", "business_unit")] {
        let added = run(
            &source_url,
            &["users", "add", "--email", email, "--name", "Someone", "--role", role],
        );
        assert!(added.status.success(), "{}", stderr(&added));
    }
    let dump = dir.dir.join("rr.rrbackup");
    let made = run(&source_url, &["backup", "--to", dump.to_str().unwrap()]);
    assert!(made.status.success(), "{}", stderr(&made));
    #[cfg(unix)]
    assert_eq!(mode(&dump), 0o600);
    let bytes = std::fs::read(&dump).unwrap();
    assert!(!bytes.windows(16).any(|w| w == b"chair@example.or"), "encrypted");

    let target = TempPg::new("RAPID_REVIEW_TEST_POSTGRES_URL", admin);
    let target_url = target.url("127.0.0.1", "sslmode=disable");
    let restored = run(&target_url, &["restore", "--from", dump.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    let verified = run(&target_url, &["audit", "verify"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    assert!(stdout(&run(&target_url, &["users", "list"])).contains("bu@example.org"));

    run(
        &target_url,
        &[
            "users",
            "add",
            "--email",
            "only-here@example.org",
            "--name",
            "Only Here",
            "--role",
            "viewer",
        ],
    );
    let mut flipped = bytes.clone();
    let start = contents_start(&bytes);
    flipped[start + 100] ^= 0x80;
    let flipped_file = dir.dir.join("flipped.rrbackup");
    std::fs::write(&flipped_file, flipped).unwrap();
    let refused = run(&target_url, &["restore", "--from", flipped_file.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("does not decrypt"), "{}", stderr(&refused));

    pg(
        &source_url,
        "UPDATE audit SET actor = 'someone-else@example.org' WHERE seq = 2",
    );
    let tampered = dir.dir.join("tampered.rrbackup");
    assert!(
        run(&source_url, &["backup", "--to", tampered.to_str().unwrap()])
            .status
            .success()
    );
    let refused = run(&target_url, &["restore", "--from", tampered.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("audit chain is broken at row 2"),
        "{}",
        stderr(&refused)
    );
    assert!(
        stdout(&run(&target_url, &["users", "list"])).contains("only-here@example.org"),
        "the target is untouched"
    );
    let sqlite = TempDb::new();
    std::fs::copy(dir.dir.join("rapid-review.key"), sqlite.dir.join("rapid-review.key")).unwrap();
    let wrong = sqlite.run(&["restore", "--from", dump.to_str().unwrap()]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(stderr(&wrong).contains("it is a postgres backup"), "{}", stderr(&wrong));
}

/// Integrity row "restore under a running service": while the service runs, `restore`
/// refuses and says so, changing nothing; the service goes on, and the restore works
/// once it has stopped. A service does not start while a restore holds the lock.
#[test]
fn restore_refuses_while_the_service_runs_and_changes_nothing() {
    let db = TempDb::new();
    let server = Server::start(&db, &["--demo", "--today", "2026-11-27"]);
    let backup = db.dir.join("live.rrbackup");
    assert!(db.run(&["backup", "--to", backup.to_str().unwrap()]).status.success());
    let (token, case) = server.first_case(&db);
    let before = std::fs::read(db.dir.join("rr.db")).unwrap();
    let refused = db.run(&["restore", "--from", backup.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("service is running"), "{}", stderr(&refused));
    assert_eq!(server.get(&format!("/api/v1/cases/{case}"), Some(&token)).0, 200);
    assert!(server.terminate().success());
    assert!(std::fs::read(db.dir.join("rr.db")).unwrap().len() >= before.len() / 2);
    let restored = db.run(&["restore", "--from", backup.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert!(db.run(&["audit", "verify"]).status.success());
}

/// The same on PostgreSQL: an instance's share of the advisory lock stops a restore.
#[test]
fn a_postgres_restore_refuses_while_an_instance_holds_the_service_lock() {
    let dir = TempDb::new();
    let key = dir.dir.join("rapid-review.key");
    let key = key.to_str().unwrap();
    let db = TempPg::new(
        "RAPID_REVIEW_TEST_POSTGRES_URL",
        "postgres://postgres@127.0.0.1:5432/postgres",
    );
    let url = db.url("127.0.0.1", "sslmode=disable");
    let run = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--database", &url, "--key-file", key]);
        rapid_review(&all)
    };
    assert!(run(&["migrate"]).status.success());
    let backup = dir.dir.join("pg.rrbackup");
    assert!(run(&["backup", "--to", backup.to_str().unwrap()]).status.success());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let parsed: store::DatabaseUrl = url.parse().unwrap();
    let lock = rt.block_on(store::DatabaseLock::for_service(&parsed)).unwrap();
    let refused = run(&["restore", "--from", backup.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("service is running"), "{}", stderr(&refused));
    drop(lock);
    let restored = run(&["restore", "--from", backup.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", stderr(&restored));
}

/// Every new or re-enabled account that can see cases is told to the Partnership
/// Manager, made at the command line too (the operator's act); a viewer's is not.
#[test]
fn an_account_that_can_see_cases_made_at_the_command_line_waits_for_the_manager() {
    let db = TempDb::new();
    let add = |email: &str, role: &str| {
        let out = db.run(&["users", "add", "--email", email, "--name", "Someone", "--role", role]);
        assert!(out.status.success(), "{}", stderr(&out));
    };
    add("manager@example.org", "partnership_manager");
    add("second@example.org", "business_unit");
    add("looker@example.org", "viewer");
    let waiting = |db: &TempDb| {
        query_text(
            &db.url(),
            "SELECT CAST(COUNT(*) AS TEXT) FROM account_reviews WHERE acknowledged_at IS NULL",
        )
    };
    assert_eq!(waiting(&db), "2");
    assert_eq!(
        query_text(
            &db.url(),
            "SELECT CAST(COUNT(*) AS TEXT) FROM outbox WHERE notice = 'account_review' AND recipient = 'manager@example.org'"
        ),
        "1",
        "the manager is emailed of the second account, not of her own"
    );
    for action in ["disable", "enable"] {
        assert!(
            db.run(&["users", action, "--email", "second@example.org"])
                .status
                .success()
        );
    }
    assert_eq!(waiting(&db), "3");
}
