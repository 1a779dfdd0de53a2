//! The outbox worker in the real binary against a real SMTP server: killed with
//! SIGKILL while it sends, it delivers everything after a restart (any message sent
//! twice has the same Message-ID); two instances on one PostgreSQL deliver each
//! message once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::disallowed_methods)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use store::{AuditEntry, DatabaseUrl, Keys, OutboxStatus, Store};
use testkit::SmtpSink;

/// A fresh folder for a database and its key file.
fn folder() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rr-outbox-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn open(url: &str, key: &Path) -> Store {
    let keys = Keys::load_or_create(key).unwrap();
    Store::open(&url.parse::<DatabaseUrl>().unwrap(), &keys).await.unwrap()
}

/// Queues `n` test messages, each to its own address.
async fn queue(store: &Store, n: usize) {
    for i in 0..n {
        let entry = AuditEntry::about(chrono::Utc::now(), Some("test"), "test_email_queued", None, "ok");
        store
            .queue_test_message(&format!("person{i}@example.org"), &entry)
            .await
            .unwrap();
    }
}

/// `rapid-review serve` sending to `smtp`; killed when dropped.
struct Instance(Child);

impl Instance {
    fn start(database: &str, key: &Path, smtp: &str) -> Instance {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rapid-review"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database", database, "--key-file"])
            .arg(key)
            .env("RAPID_REVIEW_SMTP_URL", smtp)
            .env("RAPID_REVIEW_PUBLIC_URL", "http://rapid-review.test")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        while let Some(Ok(line)) = lines.next() {
            if line.contains("is listening") {
                break;
            }
        }
        std::thread::spawn(move || for _ in lines {});
        Instance(child)
    }

    fn kill_9(&mut self) {
        self.0.kill().unwrap();
        self.0.wait().unwrap();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits (at most `seconds`) until the sink holds `n` distinct Message-IDs; returns
/// how many messages arrived and how many distinct ids they carry.
fn wait_for_distinct(sink: &SmtpSink, n: usize, seconds: u64) -> (usize, BTreeSet<String>) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        let received = sink.received();
        let ids: BTreeSet<String> = received.iter().map(|r| r.message_id.clone()).collect();
        if ids.len() >= n || Instant::now() > deadline {
            return (received.len(), ids);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

async fn sent_count(store: &Store) -> i64 {
    let counts = store.outbox_counts().await.unwrap();
    counts.iter().find(|c| c.status == OutboxStatus::Sent).unwrap().count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_with_sigkill_while_sending_500_messages_it_delivers_each_after_a_restart() {
    let dir = folder();
    let database = format!("sqlite://{}", dir.join("rr.db").display());
    let key = dir.join("rapid-review.key");
    let store = open(&database, &key).await;
    queue(&store, 500).await;
    let sink = SmtpSink::start();
    let mut first = Instance::start(&database, &key, &sink.url());
    // Kill it part way through.
    let deadline = Instant::now() + Duration::from_secs(30);
    while sink.received().len() < 40 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    first.kill_9();
    let before_restart = sink.received().len();
    assert!(
        before_restart < 500,
        "all were sent before the kill; nothing was tested"
    );
    let second = Instance::start(&database, &key, &sink.url());
    let (arrived, ids) = wait_for_distinct(&sink, 500, 60);
    assert_eq!(ids.len(), 500, "every message arrives ({arrived} arrived)");
    // Duplicates are possible (sent, then killed before marking); they share an id.
    let mut expected = BTreeSet::new();
    for page in 1..=10 {
        for m in store.outbox_messages(None, page).await.unwrap() {
            expected.insert(notifications::compose::message_id(&m, "http://rapid-review.test"));
        }
    }
    assert_eq!(expected, ids, "each id is its row's own");
    let deadline = Instant::now() + Duration::from_secs(20);
    while sent_count(&store).await < 500 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(sent_count(&store).await, 500);
    println!(
        "killed after {before_restart} of 500; {arrived} arrived in all, {} duplicates",
        arrived - 500
    );
    drop(second);
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fresh PostgreSQL database on the test server; dropped at the end.
async fn postgres_database() -> (String, impl Drop) {
    use sqlx::Connection;
    struct Dropped(String, String);
    impl Drop for Dropped {
        fn drop(&mut self) {
            let (admin, name) = (self.0.clone(), self.1.clone());
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(mut c) = sqlx::AnyConnection::connect(&admin).await {
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut c).await;
                    }
                });
            })
            .join()
            .unwrap();
        }
    }
    sqlx::any::install_default_drivers();
    let admin = std::env::var("RAPID_REVIEW_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("rr_outbox_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::AnyConnection::connect(&admin)
        .await
        .expect("PostgreSQL must be running (see .ci/run)");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
    (url, Dropped(admin, name))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgresql_deliver_each_of_1000_messages_once() {
    let (database, _dropped) = postgres_database().await;
    let dir = folder();
    let key = dir.join("rapid-review.key");
    let store = open(&database, &key).await;
    queue(&store, 1000).await;
    let sink = SmtpSink::start();
    let one = Instance::start(&database, &key, &sink.url());
    let two = Instance::start(&database, &key, &sink.url());
    let (arrived, ids) = wait_for_distinct(&sink, 1000, 90);
    assert_eq!(ids.len(), 1000);
    // Give a second copy, if there were to be one, time to arrive.
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(
        sink.received().len(),
        1000,
        "no message was sent twice ({arrived} seen earlier)"
    );
    assert_eq!(sent_count(&store).await, 1000);
    drop((one, two));
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every email sent is one log line naming its outbox row, never its address; a log
/// written anywhere but a terminal carries no colour codes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_email_sent_is_one_plain_log_line_with_its_id_and_no_address() {
    let dir = folder();
    let database = format!("sqlite://{}", dir.join("rr.db").display());
    let key = dir.join("rapid-review.key");
    let store = open(&database, &key).await;
    queue(&store, 3).await;
    store.close().await;
    let sink = SmtpSink::start();
    let log = dir.join("serve.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rapid-review"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &database,
            "--key-file",
        ])
        .arg(&key)
        .env("RAPID_REVIEW_SMTP_URL", sink.url())
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let (received, _) = wait_for_distinct(&sink, 3, 30);
    // The worker marks them sent (and logs) just after the server accepts them.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut text = String::new();
    while Instant::now() < deadline {
        text = std::fs::read_to_string(&log).unwrap();
        if text.matches("a message was sent").count() >= 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(received, 3);
    let sent: Vec<&str> = text.lines().filter(|l| l.contains("a message was sent")).collect();
    assert_eq!(sent.len(), 3, "{text}");
    for line in sent {
        assert!(line.contains("id="), "{line}");
        assert!(!line.contains("@example.org"), "no address in the log: {line}");
    }
    assert!(!text.contains('\u{1b}'), "no colour codes in a log file: {text}");
}
