//! The command line as a user runs it: the real binary on real SQLite files, its output
//! and its exit status (0 success, 2 bad arguments, 1 any other failure).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::disallowed_methods)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

mod integrity;
mod memory;

fn rapid_review(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapid-review"))
        .args(args)
        .env_remove("RAPID_REVIEW_DATABASE_URL")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A SQLite database file in a fresh temporary folder.
struct TempDb {
    dir: PathBuf,
}

impl TempDb {
    fn new() -> TempDb {
        let dir = std::env::temp_dir().join(format!("rapid-review-cli-{}-{}", std::process::id(), next_id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDb { dir }
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.dir.join("rr.db").display())
    }

    fn run(&self, args: &[&str]) -> Output {
        let url = self.url();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--database", &url]);
        rapid_review(&all)
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn next_id() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::SeqCst)
}

#[test]
fn workdays_add_prints_the_fifth_working_day_after_21_december_2026() {
    let out = rapid_review(&["workdays", "add", "2026-12-21", "5"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), "2026-12-30\n");
}

#[test]
fn workdays_add_counts_back_with_a_negative_n() {
    assert_eq!(
        stdout(&rapid_review(&["workdays", "add", "2026-12-30", "-5"])),
        "2026-12-21\n"
    );
}

#[test]
fn workdays_between_counts_after_a_up_to_and_including_b() {
    assert_eq!(
        stdout(&rapid_review(&["workdays", "between", "2026-12-21", "2026-12-30"])),
        "5\n"
    );
    assert_eq!(
        stdout(&rapid_review(&["workdays", "between", "2026-12-30", "2026-12-21"])),
        "-5\n"
    );
}

#[test]
fn workdays_holidays_2027_lists_eight_days_with_both_christmas_substitutes() {
    let out = stdout(&rapid_review(&["workdays", "holidays", "2027"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 8);
    assert_eq!(lines[0], "2027-01-01 New Year’s Day");
    assert_eq!(lines[6], "2027-12-27 Christmas Day (substitute day)");
    assert_eq!(lines[7], "2027-12-28 Boxing Day (substitute day)");
}

#[test]
fn a_bad_date_exits_with_status_2_and_a_message() {
    let out = rapid_review(&["workdays", "add", "2026-13-01", "5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("2026-13-01"));
}

#[test]
fn a_missing_argument_exits_with_status_2() {
    assert_eq!(rapid_review(&["workdays", "add", "2026-12-01"]).status.code(), Some(2));
    assert_eq!(rapid_review(&["workdays", "holidays", "twenty"]).status.code(), Some(2));
    assert_eq!(rapid_review(&["workdays", "frobnicate"]).status.code(), Some(2));
}

#[test]
fn an_unsupported_database_scheme_is_refused_with_a_clear_message() {
    let out = rapid_review(&["migrate", "--database", "mysql://root@localhost/rr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unsupported database URL scheme \"mysql\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn migrate_creates_the_database_and_can_run_twice() {
    let db = TempDb::new();
    assert!(db.run(&["migrate"]).status.success());
    assert!(db.run(&["migrate"]).status.success());
    assert!(db.dir.join("rr.db").exists());
}

#[test]
fn users_agencies_and_tokens_are_added_from_the_command_line() {
    let db = TempDb::new();
    let out = db.run(&[
        "agencies",
        "add",
        "--slug",
        "northfield-primary",
        "--name",
        "Northfield Primary",
        "--kind",
        "school",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut child = Command::new(env!("CARGO_BIN_EXE_rapid-review"))
        .args([
            "users",
            "add",
            "--email",
            "Pat@Example.org",
            "--name",
            "Pat",
            "--role",
            "partnership_manager",
            "--password-stdin",
            "--database",
            &db.url(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long enough password\n")
        .unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    let contact = db.run(&[
        "users",
        "add",
        "--email",
        "c@example.org",
        "--name",
        "C",
        "--role",
        "agency_contact",
        "--agency",
        "northfield-primary",
    ]);
    assert!(contact.status.success(), "{}", stderr(&contact));
    let token = db.run(&["tokens", "issue", "--email", "pat@example.org", "--label", "script"]);
    assert!(token.status.success());
    let last = stdout(&token).lines().last().unwrap().to_owned();
    assert!(last.starts_with("rr_") && last.len() > 40, "{last}");
}

#[test]
fn a_bad_role_is_a_bad_argument_and_a_duplicate_email_a_failure() {
    let db = TempDb::new();
    let bad = db.run(&[
        "users",
        "add",
        "--email",
        "x@example.org",
        "--name",
        "X",
        "--role",
        "overlord",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("role"));
    let rep = db.run(&[
        "users",
        "add",
        "--email",
        "x@example.org",
        "--name",
        "X",
        "--role",
        "partner_rep",
    ]);
    assert_eq!(rep.status.code(), Some(2));
    assert!(stderr(&rep).contains("partner"));
    assert!(
        db.run(&[
            "users",
            "add",
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "viewer"
        ])
        .status
        .success()
    );
    let again = db.run(&[
        "users",
        "add",
        "--email",
        "x@example.org",
        "--name",
        "X",
        "--role",
        "viewer",
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists"));
    let nobody = db.run(&["tokens", "issue", "--email", "nobody@example.org"]);
    assert_eq!(nobody.status.code(), Some(1));
}

#[test]
fn holidays_import_adds_a_feed_and_refuses_a_malformed_one_changing_nothing() {
    let db = TempDb::new();
    let good = db.dir.join("feed.json");
    std::fs::write(
        &good,
        r#"{"england-and-wales": {"division": "england-and-wales", "events": [
        {"title": "Extra day", "date": "2031-06-06", "notes": "", "bunting": true}]}}"#,
    )
    .unwrap();
    let bad = db.dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"england-and-wales": {"division": "england-and-wales", "events": [
        {"title": "Another", "date": "2031-06-09", "notes": "", "bunting": true},
        {"title": "Broken", "date": "June 2031", "notes": "", "bunting": true}]}}"#,
    )
    .unwrap();
    let refused = db.run(&["holidays", "import", bad.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("england-and-wales.events[1].date"),
        "{}",
        stderr(&refused)
    );
    assert!(db.run(&["holidays", "import", good.to_str().unwrap()]).status.success());
    let listed = stdout(&db.run(&["workdays", "holidays", "2031"]));
    assert!(listed.contains("2031-06-06 Extra day"));
    assert!(!listed.contains("2031-06-09"));
    // Without the database the built-in calendar has no such day.
    assert!(!stdout(&rapid_review(&["workdays", "holidays", "2031"])).contains("Extra day"));
}

#[test]
fn the_published_gov_uk_feed_imports_cleanly() {
    let db = TempDb::new();
    let feed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../domain/tests/data/bank-holidays-2024-2027.json"
    );
    let out = db.run(&["holidays", "import", feed]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("32"));
}

#[test]
fn audit_verify_passes_on_a_fresh_database() {
    let db = TempDb::new();
    let out = db.run(&["audit", "verify"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("intact: 0 rows"));
}

/// A running `rapid-review serve`, stopped with SIGTERM when dropped.
struct Server {
    child: std::process::Child,
    addr: String,
}

/// One GET over a fresh connection: its status and body.
fn http_get(addr: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned();
    (status, body)
}

impl Server {
    fn start(db: &TempDb, extra: &[&str]) -> Server {
        Server::spawn(db, extra, "warn", Stdio::null())
    }

    /// The same, with what the server logs at `info` collected until it stops.
    fn start_logging(db: &TempDb, extra: &[&str]) -> (Server, std::thread::JoinHandle<String>) {
        let mut server = Server::spawn(db, extra, "info", Stdio::piped());
        let pipe = server.child.stderr.take().unwrap();
        let logs = std::thread::spawn(move || {
            let mut text = String::new();
            BufReader::new(pipe).read_to_string(&mut text).unwrap();
            text
        });
        (server, logs)
    }

    fn spawn(db: &TempDb, extra: &[&str], log_level: &str, logs: Stdio) -> Server {
        let url = db.url();
        let mut args = vec!["serve", "--listen", "127.0.0.1:0", "--database", &url];
        args.extend(extra);
        let mut child = Command::new(env!("CARGO_BIN_EXE_rapid-review"))
            .args(&args)
            .env("RUST_LOG", log_level)
            .stdout(Stdio::piped())
            .stderr(logs)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("the server stopped before listening").unwrap();
            if let Some(rest) = line.split("http://").nth(1) {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Server { child, addr }
    }

    fn get(&self, path: &str, token: Option<&str>) -> (u16, String) {
        http_get(&self.addr, path, token)
    }

    /// A token of the demo's Business Unit and the id of the first case it lists.
    fn first_case(&self, db: &TempDb) -> (String, String) {
        let token = db.run(&["tokens", "issue", "--email", "business@demo.rapid-review.test"]);
        let token = stdout(&token).lines().last().unwrap().to_owned();
        let (_, cases) = self.get("/api/v1/cases", Some(&token));
        let id = cases
            .split("\"id\":\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        (token, id)
    }

    fn terminate(mut self) -> std::process::ExitStatus {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        self.child.wait().unwrap()
    }
}

#[test]
fn serve_answers_health_and_stops_cleanly_on_sigterm() {
    let db = TempDb::new();
    let server = Server::start(&db, &["--today", "2026-12-24"]);
    let (status, body) = server.get("/api/v1/health", None);
    assert_eq!(status, 200);
    assert!(body.contains(r#""status":"ok""#), "{body}");
    assert_eq!(server.get("/api/v1/cases", None).0, 401);
    assert!(server.terminate().success());
}

#[test]
fn serve_demo_loads_a_synthetic_partnership_once() {
    let db = TempDb::new();
    let server = Server::start(&db, &["--demo", "--today", "2026-11-27"]);
    let token = db.run(&["tokens", "issue", "--email", "manager@demo.rapid-review.test"]);
    let token = stdout(&token).lines().last().unwrap().to_owned();
    let (status, body) = server.get("/api/v1/cases", Some(&token));
    assert_eq!(status, 200);
    assert_eq!(body.matches(r#""reference":"RR-"#).count(), 8, "{body}");
    // The seeded history is marked as already told: no message about a seeded step
    // waits to be sent (today's reminders may).
    let admin = db.run(&["tokens", "issue", "--email", "admin@demo.rapid-review.test"]);
    let admin = stdout(&admin).lines().last().unwrap().to_owned();
    let (status, waiting) = server.get("/api/v1/outbox?status=queued", Some(&admin));
    assert_eq!(status, 200, "{waiting}");
    assert!(!waiting.contains(r#""notice":"event""#), "{waiting}");
    let (_, told) = server.get("/api/v1/outbox?status=sent", Some(&admin));
    assert!(told.contains("seeded history"), "{told}");
    assert!(server.terminate().success());
    // A second start finds data and adds nothing.
    let server = Server::start(&db, &["--demo", "--today", "2026-11-27"]);
    let (_, body) = server.get("/api/v1/cases", Some(&token));
    assert_eq!(body.matches(r#""reference":"RR-"#).count(), 8);
    assert!(server.terminate().success());
}

#[test]
fn audit_verify_passes_after_use_and_names_a_row_edited_by_hand() {
    let db = TempDb::new();
    let server = Server::start(&db, &["--demo", "--today", "2026-11-27"]);
    let token = db.run(&["tokens", "issue", "--email", "business@demo.rapid-review.test"]);
    let token = stdout(&token).lines().last().unwrap().to_owned();
    assert_eq!(server.get("/api/v1/cases", Some(&token)).0, 200);
    assert!(server.terminate().success());
    let ok = db.run(&["audit", "verify"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&db.url()).await.unwrap();
        sqlx::query("UPDATE audit SET actor = 'someone-else@example.org' WHERE seq = 5")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
    let broken = db.run(&["audit", "verify"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(stderr(&broken).contains("broken at row 5"), "{}", stderr(&broken));
}

/// Runs the binary with `input` on standard input.
fn with_stdin(db: &TempDb, args: &[&str], input: &str) -> Output {
    let url = db.url();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--database", &url]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_rapid-review"))
        .args(&all)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// Hardening row 8: the key file and the SQLite file are created readable by their
/// owner only.
#[cfg(unix)]
#[test]
fn the_key_file_and_the_database_are_created_for_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let db = TempDb::new();
    assert!(db.run(&["migrate"]).status.success());
    for file in ["rapid-review.key", "rr.db"] {
        let mode = std::fs::metadata(db.dir.join(file)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file}");
    }
    std::fs::set_permissions(db.dir.join("rapid-review.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let refused = db.run(&["migrate"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("chmod 600"), "{}", stderr(&refused));
}

/// Hardening rows 5 and 6 at the command line: two-factor set-up, token expiry, listing
/// and revoking, disabling and enabling, password links and passwords.
#[test]
fn accounts_are_managed_from_the_command_line() {
    let db = TempDb::new();
    let add = with_stdin(
        &db,
        &[
            "users",
            "add",
            "--email",
            "pm@example.org",
            "--name",
            "Pat",
            "--role",
            "partnership_manager",
            "--password-stdin",
        ],
        "violet kettle harbour sixty\n",
    );
    assert!(add.status.success(), "{}", stderr(&add));
    let weak = with_stdin(
        &db,
        &["users", "set-password", "--email", "pm@example.org"],
        "12345678\n",
    );
    assert_eq!(weak.status.code(), Some(2));
    assert!(stderr(&weak).contains("10 characters"), "{}", stderr(&weak));

    let totp = db.run(&["users", "totp", "--email", "pm@example.org"]);
    assert!(totp.status.success(), "{}", stderr(&totp));
    let text = stdout(&totp);
    assert!(text.lines().last().unwrap().starts_with("otpauth://totp/"), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  ")).count(),
        10,
        "ten recovery codes"
    );

    let issued = db.run(&["tokens", "issue", "--email", "pm@example.org", "--expires-in-days", "7"]);
    assert!(issued.status.success(), "{}", stderr(&issued));
    let in_a_week = (chrono::Utc::now() + chrono::Duration::days(7))
        .format("%Y-%m-%d")
        .to_string();
    assert!(
        stdout(&issued).contains(&format!("expires {in_a_week}")),
        "{}",
        stdout(&issued)
    );
    assert_eq!(
        db.run(&["tokens", "issue", "--email", "pm@example.org", "--expires-in-days", "0"])
            .status
            .code(),
        Some(2)
    );
    let list = stdout(&db.run(&["tokens", "list"]));
    let id = list.split('\t').next().unwrap().to_owned();
    assert!(list.contains("\tactive"), "{list}");
    assert!(db.run(&["tokens", "revoke", "--id", &id]).status.success());
    assert!(stdout(&db.run(&["tokens", "list"])).contains("\trevoked"));
    assert_eq!(db.run(&["tokens", "revoke", "--id", &id]).status.code(), Some(1));

    assert!(
        db.run(&["users", "disable", "--email", "pm@example.org"])
            .status
            .success()
    );
    assert!(stdout(&db.run(&["users", "list"])).contains("\tdisabled\ttwo-factor on"));
    assert!(
        db.run(&["users", "enable", "--email", "pm@example.org"])
            .status
            .success()
    );
    let link = db.run(&["users", "reset-password", "--email", "pm@example.org"]);
    assert!(stdout(&link).lines().last().unwrap().contains("/reset-password/"));
    assert_eq!(
        db.run(&["users", "disable", "--email", "nobody@example.org"])
            .status
            .code(),
        Some(1)
    );
}

/// Hardening row 7 at the command line: rows cut off the end of the audit chain are
/// reported, because the anchor beside the key file remembers the head.
#[test]
fn audit_verify_reports_rows_cut_off_the_end() {
    let db = TempDb::new();
    for slug in ["agency-one", "agency-two", "agency-three"] {
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
    let ok = db.run(&["audit", "verify"]);
    assert!(
        stdout(&ok).contains("intact: 3 rows; its end matches the anchor file"),
        "{}",
        stdout(&ok)
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&db.url()).await.unwrap();
        sqlx::query("DELETE FROM audit WHERE seq > 1")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
    let broken = db.run(&["audit", "verify"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stderr(&broken).contains("rows 2 to 3 were removed"),
        "{}",
        stderr(&broken)
    );
}

/// A fresh PostgreSQL database on the test server, dropped at the end.
struct TempPg {
    admin: String,
    name: String,
}

impl TempPg {
    fn new(admin_variable: &str, default: &str) -> TempPg {
        let admin = std::env::var(admin_variable).unwrap_or_else(|_| default.into());
        let name = format!("rr_cli_tls_{}_{}", std::process::id(), next_id());
        let sql = format!("CREATE DATABASE {name}");
        pg(&admin, &sql);
        TempPg { admin, name }
    }

    /// The database's URL with `host` and `query`.
    fn url(&self, host: &str, query: &str) -> String {
        let base = self.admin.rsplit_once('/').unwrap().0;
        let base = base.replace("127.0.0.1", host);
        format!("{base}/{}?{query}", self.name)
    }
}

impl Drop for TempPg {
    fn drop(&mut self) {
        pg(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn pg(url: &str, sql: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(url)
            .await
            .expect("PostgreSQL must be running (see .ci/run)");
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
}

/// Hardening row 10: TLS to PostgreSQL with `sslmode=require` and `verify-full` works;
/// against a server that offers no TLS, `require` fails closed with a clear message,
/// and `prefer` connects but warns that nothing is encrypted.
#[test]
fn postgres_over_tls_works_and_fails_closed_when_the_server_offers_none() {
    let dir = TempDb::new();
    let key = dir.dir.join("rapid-review.key");
    let key = key.to_str().unwrap();
    let db = TempPg::new(
        "RAPID_REVIEW_TEST_POSTGRES_URL",
        "postgres://postgres@127.0.0.1:5432/postgres",
    );
    let migrate = |url: &str| rapid_review(&["migrate", "--database", url, "--key-file", key]);
    let required = migrate(&db.url("127.0.0.1", "sslmode=require"));
    assert!(required.status.success(), "{}", stderr(&required));
    assert!(!stderr(&required).contains("not encrypted"));
    let verified = migrate(&db.url(
        "localhost",
        "sslmode=verify-full&sslrootcert=/etc/ssl/certs/ssl-cert-snakeoil.pem",
    ));
    assert!(verified.status.success(), "{}", stderr(&verified));
    let untrusted = migrate(&db.url("localhost", "sslmode=verify-full"));
    assert_eq!(untrusted.status.code(), Some(1));
    assert!(
        stderr(&untrusted).contains("certificate is not trusted"),
        "{}",
        stderr(&untrusted)
    );

    // A second server with TLS off (scripts/test.sh starts one when none answers on 5433).
    let plain = TempPg::new(
        "RAPID_REVIEW_TEST_PLAIN_POSTGRES_URL",
        "postgres://postgres@127.0.0.1:5433/postgres",
    );
    let refused = migrate(&plain.url("127.0.0.1", "sslmode=require"));
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("offers no TLS"), "{}", stderr(&refused));
    let preferred = migrate(&plain.url("127.0.0.1", "sslmode=prefer"));
    assert!(
        preferred.status.success(),
        "start it with scripts/test-postgres.sh: {}",
        stderr(&preferred)
    );
    assert!(stderr(&preferred).contains("not encrypted"), "{}", stderr(&preferred));
}

/// The resident memory of a running process, in KiB.
fn resident_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap()
}

/// RSS ≤ 64 MB at national scale needs the password hash's 19 MiB back once a sign-in
/// is done: a sign-in (one for an unknown account checks a dummy hash, at the same
/// cost) leaves the service's resident memory about where it was.
#[test]
fn a_sign_in_s_password_hash_memory_goes_back_to_the_system() {
    let db = TempDb::new();
    let server = Server::start(&db, &["--today", "2026-11-27"]);
    assert_eq!(server.get("/sign-in", None).0, 200);
    let before = resident_kib(server.child.id());
    let form = "csrf=token-1234567890&email=nobody%40example.org&password=not-this-one";
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        stream,
        "POST /sign-in HTTP/1.1\r\nHost: {}\r\nCookie: rr_sign_in=token-1234567890\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        server.addr,
        form.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.contains("Enter a correct email address and password") || response.starts_with("HTTP/1.1 4"),
        "{}",
        &response[..response.len().min(400)]
    );
    std::thread::sleep(Duration::from_millis(200));
    let after = resident_kib(server.child.id());
    assert!(
        after < before + 8 * 1024,
        "resident memory went from {before} KiB to {after} KiB after one sign-in"
    );
    assert!(server.terminate().success());
}

/// Operations: `/metrics` answers in the Prometheus text format on the address
/// `--metrics-listen` names, by route template (no case id), and not on the service's
/// own address.
#[test]
fn metrics_are_served_only_on_their_own_address_by_route_template() {
    let db = TempDb::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let metrics_addr = format!("127.0.0.1:{port}");
    let server = Server::start(
        &db,
        &["--demo", "--today", "2026-11-27", "--metrics-listen", &metrics_addr],
    );
    let (token, id) = server.first_case(&db);
    assert_eq!(server.get("/metrics", None).0, 404, "not on the service's address");
    let count = |text: &str, served: &str| -> u64 {
        let prefix = format!("rapid_review_case_reads_total{{served=\"{served}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(prefix.as_str()))
            .and_then(|n| n.parse().ok())
            .unwrap()
    };
    // The start-up reminder pass may change the case (its messages) under the first
    // reads; once it is done, a read of the unchanged case is served from the copy.
    let mut reads = 0;
    let text = loop {
        assert_eq!(server.get(&format!("/api/v1/cases/{id}"), Some(&token)).0, 200);
        reads += 1;
        let (status, text) = http_get(&metrics_addr, "/metrics", None);
        assert_eq!(status, 200);
        if count(&text, "copy") >= 1 || reads == 50 {
            break text;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        text.contains(&format!(
            "rapid_review_http_requests_total{{route=\"/api/v1/cases/{{id}}\",method=\"GET\",status=\"200\"}} {reads}"
        )),
        "{text}"
    );
    assert_eq!(count(&text, "copy") + count(&text, "rendered"), reads, "{text}");
    assert!(
        count(&text, "rendered") >= 1 && count(&text, "copy") == 1,
        "a read of the unchanged case is served from the copy: {text}"
    );
    assert!(text.contains("rapid_review_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"+Inf\"} 1"));
    assert!(text.contains("rapid_review_outbox_depth "));
    assert!(
        !text.contains("rapid_review_audit_batches_total 0\n"),
        "the reads were audited in batches"
    );
    assert!(text.contains("rapid_review_open_cases{clocks=\"overdue\"} "));
    assert!(!text.contains(&id), "no case id in the metrics");
    assert!(server.terminate().success());
}

/// Operations: `--log-format json` writes one JSON object a line, each request's with
/// its route template and status, and no case id or case content.
#[test]
fn json_logs_name_the_route_template_and_status_and_no_case_content() {
    let db = TempDb::new();
    let (server, collected) = Server::start_logging(&db, &["--demo", "--today", "2026-11-27", "--log-format", "json"]);
    let (token, id) = server.first_case(&db);
    assert_eq!(server.get(&format!("/api/v1/cases/{id}?q=secret"), Some(&token)).0, 200);
    assert!(server.terminate().success());
    let logs = collected.join().unwrap();
    let objects: Vec<serde_json::Value> = logs.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let answered = objects
        .iter()
        .find(|o| o["span"]["route"] == "/api/v1/cases/{id}" && o["fields"]["status"].as_u64() == Some(200));
    assert!(answered.is_some(), "{logs}");
    assert!(!logs.contains(&id) && !logs.contains("secret"), "{logs}");
    assert!(!logs.contains("Synthetic incident"), "no case content");
}

/// Operations: closed cases are pseudonymised 7 years after closing unless a legal hold
/// stops it; `--dry-run` lists and changes nothing; every action is audited and the
/// audit chain stays intact.
#[test]
fn retention_pseudonymises_closed_cases_after_seven_years_except_those_held() {
    let db = TempDb::new();
    let server = Server::start(&db, &["--demo", "--today", "2026-11-27"]);
    assert_eq!(server.get("/api/v1/health", None).0, 200);
    assert!(server.terminate().success());
    let not_yet = db.run(&["retention", "run", "--dry-run", "--today", "2030-01-01"]);
    assert!(
        stdout(&not_yet).contains("would pseudonymise 0 case(s)"),
        "{}",
        stdout(&not_yet)
    );
    let dry = db.run(&["retention", "run", "--dry-run", "--today", "2040-01-01"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let listed: Vec<String> = stdout(&dry)
        .lines()
        .filter(|l| l.ends_with("would pseudonymise"))
        .map(|l| l.split(':').next().unwrap().to_owned())
        .collect();
    assert_eq!(listed.len(), 1, "the demo's one closed case: {}", stdout(&dry));
    let case = &listed[0];
    let hold = db.run(&["retention", "hold", "--case", case, "--reason", "Civil claim pending"]);
    assert!(hold.status.success(), "{}", stderr(&hold));
    assert_eq!(
        db.run(&["retention", "hold", "--case", case, "--reason", ""])
            .status
            .code(),
        Some(2)
    );
    let held = db.run(&["retention", "run", "--today", "2040-01-01"]);
    assert!(held.status.success(), "{}", stderr(&held));
    assert!(
        stdout(&held).contains("kept under a legal hold (Civil claim pending)"),
        "{}",
        stdout(&held)
    );
    let (payloads, _) = read_back(&db.url(), case);
    assert!(payloads.contains("Synthetic incident"), "the held case keeps its data");
    assert!(db.run(&["retention", "release", "--case", case]).status.success());
    let run = db.run(&["retention", "run", "--today", "2040-01-01"]);
    assert!(
        stdout(&run).contains("pseudonymised 1 case(s); 0 kept"),
        "{}",
        stdout(&run)
    );
    let again = db.run(&["retention", "run", "--dry-run", "--today", "2040-01-01"]);
    assert!(
        stdout(&again).contains("would pseudonymise 0 case(s)"),
        "{}",
        stdout(&again)
    );
    let (payloads, audited) = read_back(&db.url(), case);
    assert!(
        !payloads.contains("Synthetic") && payloads.contains("\"initials\":\"XX\""),
        "{payloads}"
    );
    for action in [
        "retention: case pseudonymised",
        "retention: legal hold placed",
        "retention: legal hold released",
    ] {
        assert!(audited.iter().any(|a| a == action), "{action} not audited");
    }
    let verified = db.run(&["audit", "verify"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
}

/// Every event payload of the case, and every audit action.
fn read_back(url: &str, reference: &str) -> (String, Vec<String>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::{Connection, Row};
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
        let rows =
            sqlx::query("SELECT e.payload FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = $1")
                .bind(reference)
                .fetch_all(&mut conn)
                .await
                .unwrap();
        let payloads = rows
            .iter()
            .map(|r| r.get::<String, _>("payload"))
            .collect::<Vec<_>>()
            .join("\n");
        let audited = sqlx::query("SELECT action FROM audit ORDER BY seq")
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("action"))
            .collect();
        conn.close().await.unwrap();
        (payloads, audited)
    })
}

/// Group commit: the service killed with SIGKILL in the middle of a read-heavy run,
/// every read it had answered has its audit row, and the chain is intact.
#[test]
fn every_read_answered_before_a_kill_9_has_its_audit_row() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let db = TempDb::new();
    let server = Server::start(&db, &["--demo", "--today", "2026-11-27"]);
    let (token, id) = server.first_case(&db);
    let path = format!("/api/v1/cases/{id}");
    let answered = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let (addr, token, path) = (server.addr.clone(), token.clone(), path.clone());
            let (answered, stop) = (answered.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let Ok(mut stream) = TcpStream::connect(&addr) else { break };
                    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                    let sent = write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n");
                    let mut response = String::new();
                    if sent.is_err() || stream.read_to_string(&mut response).is_err() {
                        break;
                    }
                    if response.starts_with("HTTP/1.1 200") {
                        answered.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(700));
    Command::new("kill")
        .args(["-KILL", &server.child.id().to_string()])
        .status()
        .unwrap();
    stop.store(true, Ordering::SeqCst);
    for r in readers {
        r.join().unwrap();
    }
    let answered = answered.load(Ordering::SeqCst);
    assert!(answered > 20, "the run was read-heavy: {answered} reads answered");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let audited: i64 = rt.block_on(async {
        use sqlx::{Connection, Row};
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&db.url()).await.unwrap();
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM audit WHERE action = 'GET /api/v1/cases/{id}' AND outcome = '200'")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        row.get("n")
    });
    assert!(
        audited >= answered as i64,
        "{answered} reads answered, {audited} audited"
    );
    let verified = db.run(&["audit", "verify"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
}
