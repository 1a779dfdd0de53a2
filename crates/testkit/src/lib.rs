//! What the tests of several crates share: a real SMTP server, scripts/smtp-sink.py
//! (aiosmtpd) in its own process, writing what it receives to a directory that the
//! tests read back. Its venv comes from scripts/smtp-venv.sh (made here if CI has not).
//! Test support only: it panics on anything unexpected.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Python with aiosmtpd: `RAPID_REVIEW_SMTP_PYTHON`, or the venv that
/// scripts/smtp-venv.sh makes (made once per test process if it is missing).
fn python() -> PathBuf {
    static PYTHON: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PYTHON
        .get_or_init(|| {
            if let Ok(p) = std::env::var("RAPID_REVIEW_SMTP_PYTHON") {
                return PathBuf::from(p);
            }
            let venv = workspace().join(".venv-smtp/bin/python");
            if !venv.exists() {
                let made = Command::new(workspace().join("scripts/smtp-venv.sh")).status().unwrap();
                assert!(made.success(), "scripts/smtp-venv.sh failed");
            }
            venv
        })
        .clone()
}

/// A free port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub rcpt_tos: Vec<String>,
    pub message_id: String,
    pub subject: String,
    pub text: String,
    /// (file name, content type, where the sink saved it)
    pub attachments: Vec<(String, String, PathBuf)>,
}

#[derive(Debug)]
pub struct SmtpSink {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        SmtpSink::on(
            free_port(),
            &std::env::temp_dir().join(format!("rr-mail-{}", uuid::Uuid::new_v4())),
        )
    }

    /// A server that accepts every message and keeps nothing, for benchmarks.
    pub fn discarding() -> SmtpSink {
        let dir = std::env::temp_dir().join(format!("rr-mail-{}", uuid::Uuid::new_v4()));
        SmtpSink::spawn(free_port(), &dir, &["--discard"])
    }

    /// A server on `port` writing into `dir` (a restarted server keeps its directory).
    pub fn on(port: u16, dir: &Path) -> SmtpSink {
        SmtpSink::spawn(port, dir, &[])
    }

    fn spawn(port: u16, dir: &Path, extra: &[&str]) -> SmtpSink {
        let mut child = Command::new(python())
            .arg(workspace().join("scripts/smtp-sink.py"))
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("listening"), "the SMTP sink did not start: {line}");
        SmtpSink {
            child,
            port,
            dir: dir.to_owned(),
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Everything received so far, in the order it arrived.
    pub fn received(&self) -> Vec<Received> {
        read_dir(&self.dir)
    }

    /// Waits (at most 30 s) until `n` messages have arrived.
    pub fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let got = self.received();
            if got.len() >= n || Instant::now() > deadline {
                return got;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn read_dir(dir: &Path) -> Vec<Received> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            let s = |k: &str| v[k].as_str().unwrap_or("").to_owned();
            Received {
                rcpt_tos: v["rcpt_tos"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap().to_owned())
                    .collect(),
                message_id: s("message_id"),
                subject: s("subject"),
                text: s("text"),
                attachments: v["attachments"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| {
                        (
                            a["filename"].as_str().unwrap().to_owned(),
                            a["content_type"].as_str().unwrap().to_owned(),
                            dir.join(a["file"].as_str().unwrap()),
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}
