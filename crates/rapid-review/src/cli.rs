//! The command line, exactly as docs/api.md names it.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use store::DatabaseUrl;

#[derive(Debug, Parser)]
#[command(
    name = "rapid-review",
    version,
    about = "Rapid Reviews after a serious child safeguarding incident"
)]
pub struct Cli {
    /// The configuration file (TOML): this, else `RAPID_REVIEW_CONFIG`, else
    /// `rapid-review.toml` in the working directory if there is one. The environment and
    /// the flags override it.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// `--database URL` (or `database_url` in the configuration file or the environment,
/// which become the flag's default: see `config.rs`); SQLite in the working directory
/// by default. The key file (`--key-file`, `key_file`) holds the secrets that must not
/// live in the database; by default `rapid-review.key` beside it.
#[derive(Debug, Args)]
pub struct Database {
    #[arg(long = "database", default_value = "sqlite://rapid-review.db",
          value_name = "URL", value_parser = clap::value_parser!(DatabaseUrl))]
    pub url: DatabaseUrl,
    #[arg(long = "key-file", value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

/// The same, for commands that work without a database.
#[derive(Debug, Args)]
pub struct OptionalDatabase {
    #[arg(long = "database", value_name = "URL",
          value_parser = clap::value_parser!(DatabaseUrl))]
    pub url: Option<DatabaseUrl>,
    #[arg(long = "key-file", value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

impl Database {
    /// The key file to use: the one given, or `rapid-review.key` beside the database.
    pub fn key_path(&self) -> PathBuf {
        self.key_file
            .clone()
            .unwrap_or_else(|| store::default_key_path(self.url.sqlite_file().as_deref()))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the web service.
    Serve(Serve),
    /// Creates or upgrades the schema and exits.
    Migrate {
        #[command(flatten)]
        database: Database,
    },
    /// Users.
    #[command(subcommand)]
    Users(Users),
    /// API tokens.
    #[command(subcommand)]
    Tokens(Tokens),
    /// The agency directory.
    #[command(subcommand)]
    Agencies(Agencies),
    /// Working-day arithmetic on the England and Wales calendar.
    #[command(subcommand)]
    Workdays(Workdays),
    /// The calendar's holidays.
    #[command(subcommand)]
    Holidays(Holidays),
    /// The audit trail.
    #[command(subcommand)]
    Audit(Audit),
    /// Reminders and escalations of running clocks.
    #[command(subcommand)]
    Reminders(Reminders),
    /// Messages waiting to be sent.
    #[command(subcommand)]
    Outbox(Outbox),
    /// The retention rule: closed cases' data pseudonymised after some years.
    #[command(subcommand)]
    Retention(Retention),
    /// Makes an online, consistent copy of the database: SQLite's VACUUM INTO, or
    /// pg_dump's custom format for PostgreSQL. Back the key file up apart from it.
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
        #[command(flatten)]
        database: Database,
    },
    /// Replaces the database with a backup, once the backup's schema and whole audit
    /// chain (under this key file) check out. Stop the service first.
    Restore {
        /// The backup to restore.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Debug, Subcommand)]
pub enum Retention {
    /// Pseudonymises every closed case whose retention period has passed, unless a
    /// legal hold stops it; with --dry-run, lists what it would do and changes nothing.
    Run {
        #[arg(long)]
        dry_run: bool,
        /// Years a closed case is kept (the partnership's rule).
        #[arg(long, default_value_t = domain::retention::DEFAULT_YEARS)]
        years: u32,
        /// The day of the run; today unless given.
        #[arg(long, value_name = "DATE", value_parser = date)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        database: Database,
    },
    /// Places a legal hold on a case, which stops its pseudonymising.
    Hold {
        /// The case's reference, such as RR-2026-0001.
        #[arg(long = "case", value_name = "REFERENCE")]
        reference: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        database: Database,
    },
    /// Releases a case's legal hold.
    Release {
        #[arg(long = "case", value_name = "REFERENCE")]
        reference: String,
        #[command(flatten)]
        database: Database,
    },
}

/// How `serve` runs.
#[derive(Debug, Args)]
pub struct Serve {
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub database: Database,
    /// Loads a synthetic partnership unless the database already has data.
    #[arg(long)]
    pub demo: bool,
    /// Freezes the business date (for demos, training and tests).
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub today: Option<NaiveDate>,
    /// Serves /metrics (Prometheus text format) on this address, and only there.
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
    /// How log lines are written on standard error: `text`, or `json` (one object a
    /// line, each request's span with its route template and status; never case content).
    #[arg(long, value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Reminders {
    /// Runs one reminder pass by hand (the service runs one at 07:00 London time each day).
    Run {
        /// The day of the pass; today unless given.
        #[arg(long, value_name = "DATE", value_parser = date)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Debug, Subcommand)]
pub enum Outbox {
    /// Sends every message that is due now through RAPID_REVIEW_SMTP_URL, then exits.
    Send {
        #[command(flatten)]
        database: Database,
    },
}

/// Who a user command is about.
#[derive(Debug, Args)]
pub struct UserEmail {
    #[arg(long)]
    pub email: String,
    #[command(flatten)]
    pub database: Database,
}

#[derive(Debug, Subcommand)]
pub enum Users {
    /// Lists every user with their role and status.
    List {
        #[command(flatten)]
        database: Database,
    },
    /// Disables a user: every session and API token of theirs ends at once.
    Disable(UserEmail),
    /// Enables a disabled user again (their old tokens stay revoked).
    Enable(UserEmail),
    /// Prints a single-use link (24 hours) for the user to choose a new password.
    ResetPassword(UserEmail),
    /// Sets a user's password from standard input (first line); ends their sessions.
    SetPassword(UserEmail),
    /// Sets up two-factor sign-in for the user and prints their ten recovery codes,
    /// then the otpauth:// URI as the last line.
    Totp(UserEmail),
    /// Creates a user.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        partner: Option<String>,
        #[arg(long)]
        agency: Option<String>,
        /// Reads the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Debug, Subcommand)]
pub enum Tokens {
    /// Prints a new API token for the user as the last line of standard output.
    Issue {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        label: String,
        /// How many days the token lives (1 to 3650).
        #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(i64).range(1..=3650))]
        expires_in_days: i64,
        #[command(flatten)]
        database: Database,
    },
    /// Lists tokens (never their secrets): number, user, label, issued, expires, status.
    List {
        /// Only this user's tokens.
        #[arg(long)]
        email: Option<String>,
        #[command(flatten)]
        database: Database,
    },
    /// Revokes a token by its number (from `tokens list`).
    Revoke {
        #[arg(long)]
        id: i64,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Debug, Subcommand)]
pub enum Agencies {
    /// Adds an agency to the directory.
    Add {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        email: Option<String>,
        /// The agency receives secure email: its requests carry the referral form
        /// attached (others read it through their return link).
        #[arg(long)]
        secure_email: bool,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Debug, Subcommand)]
pub enum Workdays {
    /// Prints the Nth working day after DATE (DATE is day 0; a negative N counts back).
    #[command(allow_negative_numbers = true)]
    Add {
        #[arg(value_parser = date)]
        date: NaiveDate,
        #[arg(value_parser = clap::value_parser!(i32).range(-1000..=1000))]
        n: i32,
        #[command(flatten)]
        database: OptionalDatabase,
    },
    /// Prints how many working days fall after A up to and including B (negative if B < A).
    Between {
        #[arg(value_parser = date)]
        a: NaiveDate,
        #[arg(value_parser = date)]
        b: NaiveDate,
        #[command(flatten)]
        database: OptionalDatabase,
    },
    /// Prints the year's England and Wales bank holidays, one `DATE NAME` a line.
    Holidays {
        #[arg(value_parser = clap::value_parser!(i32).range(1995..=2100))]
        year: i32,
        #[command(flatten)]
        database: OptionalDatabase,
    },
}

#[derive(Debug, Subcommand)]
pub enum Holidays {
    /// Adds the england-and-wales events of a gov.uk bank-holidays JSON file as overrides.
    Import {
        file: PathBuf,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Debug, Subcommand)]
pub enum Audit {
    /// Checks the whole hash chain and its end against the anchor file, naming the
    /// first broken link; a missing or unreadable anchor fails too.
    Verify {
        #[command(flatten)]
        database: Database,
    },
    /// Re-anchors: points the anchor file at the chain's current end, once the chain
    /// itself checks out. A deliberate act, audited; only for an anchor that was lost.
    Anchor {
        /// Confirms that the chain's current end is to be trusted as it is.
        #[arg(long, required = true)]
        accept_current: bool,
        #[command(flatten)]
        database: Database,
    },
}

/// A date argument: `YYYY-MM-DD` from 1995-01-01 to 2100-12-31, like every date the
/// service accepts.
fn date(text: &str) -> Result<NaiveDate, String> {
    domain::dates::parse(text)
}
