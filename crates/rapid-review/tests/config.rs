//! The configuration file, the environment and the flags, as an operator sets them: the
//! real binary in a working directory of its own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh working directory, removed at the end.
struct WorkDir(PathBuf);

impl WorkDir {
    fn new(name: &str) -> WorkDir {
        let dir = std::env::temp_dir().join(format!("rapid-review-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        WorkDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).unwrap();
    }

    /// The binary run here, with none of the settings' variables but `env`.
    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rapid-review"));
        command.args(args).current_dir(&self.0);
        for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("RAPID_REVIEW_")) {
            command.env_remove(name);
        }
        command.envs(env.iter().copied()).output().unwrap()
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn sqlite(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

#[test]
fn the_configuration_file_names_the_database_and_the_environment_then_a_flag_override_it() {
    let dir = WorkDir::new("precedence");
    let (file, env, flag) = (dir.path("file.db"), dir.path("env.db"), dir.path("flag.db"));
    dir.write("rapid-review.toml", &format!("database_url = \"{}\"\n", sqlite(&file)));

    let out = dir.run(&["migrate"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("migrated {}\n", sqlite(&file)));

    let out = dir.run(&["migrate"], &[("RAPID_REVIEW_DATABASE_URL", &sqlite(&env))]);
    assert_eq!(text(&out.stdout), format!("migrated {}\n", sqlite(&env)));

    let out = dir.run(
        &["migrate", "--database", &sqlite(&flag)],
        &[("RAPID_REVIEW_DATABASE_URL", &sqlite(&env))],
    );
    assert_eq!(text(&out.stdout), format!("migrated {}\n", sqlite(&flag)));
    assert!(file.exists() && env.exists() && flag.exists());
}

#[test]
fn a_configuration_file_named_by_flag_or_variable_is_read_instead_of_the_default_one() {
    let dir = WorkDir::new("named");
    let (default, named) = (dir.path("default.db"), dir.path("named.db"));
    dir.write(
        "rapid-review.toml",
        &format!("database_url = \"{}\"\n", sqlite(&default)),
    );
    dir.write("elsewhere.toml", &format!("database_url = \"{}\"\n", sqlite(&named)));

    let out = dir.run(&["--config", "elsewhere.toml", "migrate"], &[]);
    assert_eq!(
        text(&out.stdout),
        format!("migrated {}\n", sqlite(&named)),
        "{}",
        text(&out.stderr)
    );
    let out = dir.run(&["migrate"], &[("RAPID_REVIEW_CONFIG", "elsewhere.toml")]);
    assert_eq!(text(&out.stdout), format!("migrated {}\n", sqlite(&named)));

    let out = dir.run(&["--config", "missing.toml", "migrate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--config: missing.toml is not a file"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_unknown_setting_or_a_value_of_the_wrong_kind_is_refused_naming_it_and_where_it_came_from() {
    let dir = WorkDir::new("invalid");
    dir.write("rapid-review.toml", "colour = \"blue\"\n");
    let out = dir.run(&["migrate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let said = text(&out.stderr);
    assert!(said.contains("colour") && said.contains("rapid-review.toml"), "{said}");
    assert!(!dir.path("rapid-review.db").exists(), "nothing is created");

    dir.write("rapid-review.toml", "retention_years = \"seven\"\n");
    let out = dir.run(&["migrate"], &[]);
    let said = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        said.contains("retention_years") && said.contains("rapid-review.toml"),
        "{said}"
    );

    dir.write("rapid-review.toml", "");
    let out = dir.run(&["migrate"], &[("RAPID_REVIEW_OUTBOX_RETRY_SECONDS", "soon")]);
    let said = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(said.contains("RAPID_REVIEW_OUTBOX_RETRY_SECONDS"), "{said}");

    let out = dir.run(&["serve"], &[("RAPID_REVIEW_LISTEN", "port 80")]);
    let said = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        said.contains("RAPID_REVIEW_LISTEN") && said.contains("port 80"),
        "{said}"
    );

    dir.write("rapid-review.toml", "log_format = \"xml\"\n");
    let out = dir.run(&["serve"], &[]);
    let said = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        said.contains("log_format") && said.contains("rapid-review.toml"),
        "{said}"
    );
}

#[test]
fn settings_without_a_flag_come_from_the_file_too() {
    let dir = WorkDir::new("mail");
    let db = dir.path("rr.db");
    // Nothing waits in the outbox, so no connection is made; what matters is that the
    // mail server was read from the file rather than refused as unset.
    dir.write(
        "rapid-review.toml",
        &format!(
            "database_url = \"{}\"\nsmtp_url = \"smtp://127.0.0.1:9\"\nmail_from = \"Partnership <rr@example.org>\"\n",
            sqlite(&db)
        ),
    );
    let out = dir.run(&["outbox", "send"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    dir.write("rapid-review.toml", &format!("database_url = \"{}\"\n", sqlite(&db)));
    let out = dir.run(&["outbox", "send"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("smtp_url"), "{}", text(&out.stderr));
}

#[test]
fn the_retention_rule_and_the_listen_address_take_the_file_as_their_default() {
    let dir = WorkDir::new("defaults");
    let db = dir.path("rr.db");
    dir.write(
        "rapid-review.toml",
        &format!("database_url = \"{}\"\nretention_years = 9\n", sqlite(&db)),
    );
    let out = dir.run(&["retention", "run", "--dry-run", "--today", "2026-11-27"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("rule: 9 years after closing"),
        "{}",
        text(&out.stdout)
    );
    let out = dir.run(
        &["retention", "run", "--dry-run", "--today", "2026-11-27", "--years", "8"],
        &[],
    );
    assert!(
        text(&out.stdout).contains("rule: 8 years after closing"),
        "{}",
        text(&out.stdout)
    );

    let out = dir.run(&["serve", "--help"], &[]);
    assert!(text(&out.stdout).contains("127.0.0.1:8080"), "the built-in default");
    dir.write("rapid-review.toml", "listen = \"127.0.0.1:9999\"\n");
    let out = dir.run(&["serve", "--help"], &[]);
    assert!(text(&out.stdout).contains("127.0.0.1:9999"), "{}", text(&out.stdout));
}

#[test]
fn a_bad_value_is_named_with_the_file_or_variable_it_came_from_never_a_flag() {
    let dir = WorkDir::new("origins");
    dir.write("rapid-review.toml", "two_factor = \"sometimes\"\n");
    let out = dir.run(&["migrate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let said = text(&out.stderr);
    assert!(
        said.contains("two_factor in rapid-review.toml: must be required or optional"),
        "{said}"
    );
    assert!(!said.contains("RAPID_REVIEW_TWO_FACTOR"), "{said}");
    dir.write("rapid-review.toml", "");
    let out = dir.run(&["migrate"], &[("RAPID_REVIEW_TWO_FACTOR", "sometimes")]);
    assert!(
        text(&out.stderr).contains("RAPID_REVIEW_TWO_FACTOR: must be required or optional"),
        "{}",
        text(&out.stderr)
    );
    dir.write("rapid-review.toml", "database_url = \"mysql://x\"\n");
    let out = dir.run(&["migrate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let said = text(&out.stderr);
    assert!(
        said.contains("database_url in rapid-review.toml: unsupported"),
        "{said}"
    );
    assert!(said.contains("unsupported database URL scheme \"mysql\""), "{said}");
    assert!(!said.contains("--database"), "{said}");
}
