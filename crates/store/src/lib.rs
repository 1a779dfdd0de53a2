//! Rapid Review's storage. One codebase for two backends through sqlx's `Any` driver:
//! SQLite by default (one instance, WAL, writes serialised in-process) and PostgreSQL
//! for several instances (writes serialised per case by a row lock, audit appends by an
//! advisory lock). SQL lives here, behind functions named for the question they answer;
//! nothing here knows about HTTP.
//!
//! Events are the truth. The `cases` table keeps a snapshot derived from them (stage,
//! state, the soonest running deadline) so lists and the overdue filter need no fold.

mod account_macs;
mod account_reviews;
mod agencies;
pub mod anchor;
mod append;
mod audit;
mod audit_batch;
mod backup;
mod calendar;
mod cases;
pub mod checkpoint;
mod clock;
mod columns;
mod dashboard;
mod database_url;
mod devices;
mod discussions;
mod error;
mod ethnicity_codes;
mod event_chain;
mod idempotency;
mod inline_read;
mod invitees;
mod keys;
mod legacy_stops;
mod link_macs;
mod links;
mod outbox;
mod password_worker;
mod passwords;
mod retention;
mod returns;
mod review_papers;
mod rows;
pub mod seal;
mod service_lock;
mod sessions;
mod sign_in;
mod template;
mod themes;
mod throttle;
mod tokens;
mod two_factor;
mod user;
mod users;
mod versioned_cache;
mod write;

use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use tokio::sync::Mutex;

pub use account_reviews::AccountReview;
pub use agencies::{Agency, NewAgency};
pub use append::Appended;
pub use audit::{AuditEntry, ChainReport};
pub use audit_batch::{BatchStats, MAX_BATCH};
pub use backup::{CopyCheck, DumpSnapshot};
pub use cases::{CaseFilter, CaseRecord, CaseStamp, CaseSummary, StoredEvent};
pub use clock::Clock;
pub use dashboard::{Dashboard, DashboardQuery, DashboardRow, OpenCounts};
pub use database_url::{Backend, DatabaseUrl};
pub use devices::DEVICE_COOKIE_DAYS;
pub use discussions::Message;
pub use error::StoreError;
pub use event_chain::BrokenCase;
pub use idempotency::{IDEMPOTENCY_HOURS, IdempotencyClaim, IdempotentAnswer};
pub use keys::{Keys, default_key_path};
pub use outbox::{Claim, ClockNotice, ClockOf, NotifyMode, OUTBOX_PAGE, OutboxCount, OutboxMessage, OutboxStatus};
pub use passwords::{MIN_PASSWORD_CHARS, NewPassword, RESET_LINK_HOURS};
pub use retention::RetentionItem;
pub use returns::ReturnRequest;
pub use review_papers::{NewPaper, StoredPaper};
pub use service_lock::DatabaseLock;
pub use sessions::{NewSession, SESSION_HOURS, Session, SessionInfo, SignInStage};
pub use sign_in::Attempt;
pub use template::{SavedTemplate, SignOff, TemplateVersion};
pub use themes::{MAX_THEME_CHARS, ReportCase, theme_name};
pub use throttle::{ACCOUNT_FAILURES, ADDRESS_FAILURES, Counted};
pub use tokens::{DEFAULT_TOKEN_DAYS, IssuedToken, MAX_TOKEN_DAYS, TokenInfo, token_label};
pub use two_factor::{RECOVERY_CODES, SecondFactor, TotpKey};
pub use user::{Actor, User};
pub use users::{NewUser, is_email_address};
pub use write::{AppendError, WriteContext};

/// The migration that gave each event, user and token its MAC.
const EVENT_CHAIN_MIGRATION: i64 = 18;
/// The migration that added return links' MACs: see `link_macs`.
const LINK_MAC_MIGRATION: i64 = 22;
/// The first migration after stopping a request became a step (`legacy_stops`).
const LEGACY_STOPS_MIGRATION: i64 = 23;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// A handle on the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer at a time; queueing here avoids its busy-wait back-off.
    writer: Arc<Mutex<()>>,
    list_cache: Arc<versioned_cache::VersionedCache<Vec<CaseSummary>>>,
    dashboard_cache: Arc<versioned_cache::VersionedCache<Arc<Dashboard>>>,
    secrets: Arc<Secrets>,
    anchor: Option<Arc<anchor::Anchor>>,
    /// The group-commit writer of read audit rows (see [`audit_batch`]).
    batcher: Arc<audit_batch::AuditBatcher>,
    /// On a SQLite file: the hottest point reads, answered on the calling thread.
    inline: Option<Arc<inline_read::InlineReader>>,
}

/// The keys derived from the key file, one per purpose.
pub(crate) struct Secrets {
    pub(crate) links: [u8; 32],
    pub(crate) audit: [u8; 32],
    pub(crate) two_factor: [u8; 32],
    pub(crate) recovery: [u8; 32],
    pub(crate) events: [u8; 32],
    pub(crate) accounts: [u8; 32],
    pub(crate) devices: [u8; 32],
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets { .. }")
    }
}

impl Secrets {
    fn derive(keys: &Keys) -> Secrets {
        use keys::Purpose;
        Secrets {
            links: keys.derive(Purpose::ReturnLinks),
            audit: keys.derive(Purpose::AuditChain),
            two_factor: keys.derive(Purpose::TwoFactorSecrets),
            recovery: keys.derive(Purpose::RecoveryCodes),
            events: keys.derive(Purpose::CaseEvents),
            accounts: keys.derive(Purpose::AccountRows),
            devices: keys.derive(Purpose::DeviceCookies),
        }
    }
}

impl Store {
    /// Connects (creating a SQLite file if needed) and applies the migrations. The keys
    /// come from the key file; the audit anchor is kept beside it.
    pub async fn open(url: &DatabaseUrl, keys: &Keys) -> Result<Store, StoreError> {
        let store = Store::connect(url, keys).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating.
    pub async fn connect(url: &DatabaseUrl, keys: &Keys) -> Result<Store, StoreError> {
        install_default_drivers();
        if let Some(path) = url.sqlite_file() {
            database_url::create_private_file(&path)?;
        }
        let backend = url.backend();
        // SQLite: each connection is a thread of its own, and every query a hand-off to
        // it. Four served one hot case a little faster, but reads of many cases (each a
        // miss of the case copies: three statements) queued for them: 1,120 req/s and a
        // p99 of 711 ms over 1,000 random cases, against 2,065 req/s and 44 ms with eight.
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10));
        let options = match backend {
            Backend::Sqlite => options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    // Checkpoints are the background task's (`checkpoint.rs`); this one
                    // only catches a log that nothing else copies.
                    conn.execute("PRAGMA wal_autocheckpoint = 4000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    // 512 KB of pages each rather than SQLite's 2 MB: eight connections
                    // that each read a 5 MB return kept 16 MB (the operating system
                    // caches the file anyway). See docs/benchmarks.md, "Memory".
                    conn.execute("PRAGMA cache_size = -512").await?;
                    Ok(())
                })
            }),
            Backend::Postgres => options,
        };
        let pool = options
            .connect(&url.connect_string())
            .await
            .map_err(|e| StoreError::Connect(database_url::explain_connect_error(url, &e)))?;
        Ok(Store {
            pool,
            backend,
            writer: Arc::new(Mutex::new(())),
            list_cache: Arc::default(),
            dashboard_cache: Arc::default(),
            secrets: Arc::new(Secrets::derive(keys)),
            anchor: keys
                .default_anchor_path()
                .map(|path| Arc::new(anchor::Anchor::new(path, keys.derive(keys::Purpose::AuditAnchor)))),
            batcher: audit_batch::new(),
            inline: url
                .sqlite_file()
                .map(|path| Arc::new(inline_read::InlineReader::new(path))),
        })
    }

    /// The same store, writing no audit anchor: for a copy being checked, whose chain
    /// the live anchor beside the key file does not describe.
    pub fn unanchored(mut self) -> Store {
        self.anchor = None;
        self
    }

    /// Whether the connection to PostgreSQL is encrypted (`None` on SQLite, a file).
    pub async fn connection_encrypted(&self) -> Result<Option<bool>, StoreError> {
        if self.backend != Backend::Postgres {
            return Ok(None);
        }
        let row: (i64,) =
            sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl")
                .fetch_one(&self.pool)
                .await?;
        Ok(Some(row.0 > 0))
    }

    /// Creates or upgrades the schema.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let before = self.applied_migration().await?;
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        self.rekey_links_if_needed().await?;
        self.map_legacy_ethnicity_if_needed().await?;
        // Only as migration 0018 is applied: see `event_chain`.
        if before < EVENT_CHAIN_MIGRATION {
            self.seal_events_once().await?;
            self.seal_accounts_once().await?;
        }
        if before < LINK_MAC_MIGRATION {
            self.seal_links_once().await?;
        }
        // An existing database from before stopping a request was a step: see
        // `legacy_stops`, which records them once the service has a clock.
        if before > 0 && before < LEGACY_STOPS_MIGRATION {
            self.mark_legacy_stops_pending().await?;
        }
        Ok(())
    }

    /// The newest migration applied before migrating (0 for a new database).
    async fn applied_migration(&self) -> Result<i64, StoreError> {
        let exists = match self.backend {
            Backend::Sqlite => "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = '_sqlx_migrations'",
            Backend::Postgres => {
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename = '_sqlx_migrations'"
            }
        };
        let (n,): (i64,) = sqlx::query_as(exists).fetch_one(&self.pool).await?;
        if n == 0 {
            return Ok(0);
        }
        self.schema_version().await
    }

    /// A fresh random token (32 bytes as hex), for one-off form tokens.
    pub fn fresh_token(&self) -> Result<String, StoreError> {
        rows::random_hex()
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database holds any case, user or agency yet.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let row: (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM agencies) + (SELECT COUNT(*) FROM cases)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(row.0 == 0)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Begins a write transaction, queued behind other writers on SQLite.
    async fn begin_write(&self) -> Result<WriteTx<'_>, StoreError> {
        let guard = match self.backend {
            Backend::Sqlite => Some(self.writer.lock().await),
            Backend::Postgres => None,
        };
        let tx = self.pool.begin().await?;
        Ok(WriteTx {
            tx,
            _guard: guard,
            backend: self.backend,
            secrets: &self.secrets,
            anchor: self.anchor.as_deref(),
            head: None,
        })
    }
}

/// A write transaction and, on SQLite, the writer's place in the queue. An audit row
/// appended inside it moves the anchor once it commits.
struct WriteTx<'a> {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _guard: Option<tokio::sync::MutexGuard<'a, ()>>,
    backend: Backend,
    secrets: &'a Secrets,
    anchor: Option<&'a anchor::Anchor>,
    head: Option<anchor::Head>,
}

impl WriteTx<'_> {
    async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        // The row is durable now; an anchor that cannot be written weakens the evidence
        // of truncation but loses nothing, so it is reported rather than failing a write
        // that has happened.
        if let (Some(anchor), Some(head)) = (self.anchor, &self.head)
            && let Err(e) = anchor.record(head)
        {
            tracing::error!(error = %e, "audit anchor not updated");
        }
        Ok(())
    }
}
