//! What every handler shares: the store, the calendar and rules in force, and the clock.

use std::sync::{Arc, RwLock};

use store::{Store, StoreError};

pub use crate::settings::Settings;
pub use store::Clock;

/// Whether staff must use two-factor sign-in (`RAPID_REVIEW_TWO_FACTOR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TwoFactor {
    /// Every staff user sets it up at their next sign-in (the default).
    Required,
    /// Users may set it up from their account page; those who have must use it.
    Optional,
}

impl std::str::FromStr for TwoFactor {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "required" => Ok(TwoFactor::Required),
            "optional" => Ok(TwoFactor::Optional),
            other => Err(format!(
                "must be required or optional, not \"{}\"",
                other.chars().take(20).collect::<String>()
            )),
        }
    }
}

/// What every handler shares, behind one reference count: extractors and middleware
/// clone it several times a request, and each clone is one atomic increment.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The shared parts themselves.
#[derive(Debug, Clone)]
pub struct Shared {
    pub store: Store,
    pub clock: Clock,
    /// Where people reach this service, for the links it hands out (no trailing slash).
    pub public_url: Arc<str>,
    pub two_factor: TwoFactor,
    /// Proxies whose `X-Forwarded-For` names the client (for the sign-in throttle).
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// The OpenAPI description, made once from the route list (see `api::routes`).
    pub openapi: Arc<str>,
    /// Where email goes (the SMTP URL without its password), or empty: messages wait.
    pub mail: Arc<str>,
    /// How the letters and documents name the partnership.
    pub partnership: Arc<str>,
    /// Rendered case reads, checked against the database on every read.
    pub case_cache: Arc<crate::case_cache::CaseCache>,
    /// Case pages kept rendered per user, with a mark where the form token goes.
    pub page_cache: Arc<crate::page_cache::PageCache>,
    /// Dashboard pages kept rendered per user, the same way.
    pub dashboard_pages: Arc<crate::page_cache::PageCache<crate::page_cache::DashboardStamp>>,
    settings: Arc<RwLock<Arc<Settings>>>,
    /// Request counts and latencies, for `/metrics` on its own address.
    pub metrics: crate::request_counters::Metrics,
    /// Where large documents are built, one at a time (see `document_thread`).
    pub documents: crate::document_thread::DocumentThread,
    /// The store's settings version that `settings` was read at.
    settings_version: Arc<std::sync::atomic::AtomicI64>,
}

impl AppState {
    /// Loads the calendar overrides and rules from the store.
    pub async fn load(store: Store, clock: Clock) -> Result<AppState, StoreError> {
        let version = store.settings_version().await?;
        let settings = Settings::read(&store).await?;
        store
            .refresh_snapshots_once(&settings.calendar, &settings.rules, clock.today(), clock.now())
            .await?;
        Ok(AppState(Arc::new(Shared {
            store,
            clock,
            public_url: "".into(),
            two_factor: TwoFactor::Required,
            trusted_proxies: Arc::from(Vec::new()),
            openapi: "{}".into(),
            mail: "".into(),
            partnership: documents::DEFAULT_PARTNERSHIP.into(),
            case_cache: Arc::default(),
            page_cache: Arc::default(),
            dashboard_pages: Arc::default(),
            settings: Arc::new(RwLock::new(Arc::new(settings))),
            settings_version: Arc::new(std::sync::atomic::AtomicI64::new(version)),
            metrics: crate::request_counters::Metrics::default(),
            documents: crate::document_thread::DocumentThread::start(),
        })))
    }

    /// The shared parts, to set while the state is being built (before it is shared).
    fn shared_mut(&mut self) -> &mut Shared {
        Arc::make_mut(&mut self.0)
    }

    /// Sets the OpenAPI description served at `/api/v1/openapi.json`.
    pub(crate) fn set_openapi(&mut self, text: String) {
        self.shared_mut().openapi = text.into();
    }

    /// Sets the public address used in return links, e.g. `https://rapid-review.example.org`.
    pub fn with_public_url(mut self, url: &str) -> AppState {
        self.shared_mut().public_url = url.trim_end_matches('/').into();
        self
    }

    /// Names the partnership in its letters; `None` keeps the generic name.
    pub fn with_partnership(mut self, name: Option<&str>) -> AppState {
        if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
            self.shared_mut().partnership = name.into();
        }
        self
    }

    /// Says where email goes, for the administrators' outbox page.
    pub fn with_mail(mut self, smtp: &str) -> AppState {
        self.shared_mut().mail = smtp.into();
        self
    }

    pub fn with_two_factor(mut self, mode: TwoFactor) -> AppState {
        self.shared_mut().two_factor = mode;
        self
    }

    pub fn with_trusted_proxies(mut self, proxies: Vec<std::net::IpAddr>) -> AppState {
        self.shared_mut().trusted_proxies = Arc::from(proxies);
        self
    }

    /// The link an agency uses to make its return.
    pub fn return_link(&self, token: &str) -> String {
        format!("{}/returns/{token}", self.public_url)
    }

    pub fn settings(&self) -> Arc<Settings> {
        match self.settings.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Re-reads the settings after an administrator changed them.
    pub async fn reload_settings(&self) -> Result<(), StoreError> {
        let version = self.store.settings_version().await?;
        let fresh = Arc::new(Settings::read(&self.store).await?);
        match self.settings.write() {
            Ok(mut guard) => *guard = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        self.settings_version
            .store(version, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// Reloads the calendar and rules if another instance (or this one) changed them
    /// since they were read; says whether it did.
    pub async fn refresh_settings_if_changed(&self) -> Result<bool, StoreError> {
        let current = self.store.settings_version().await?;
        if current == self.settings_version.load(std::sync::atomic::Ordering::SeqCst) {
            return Ok(false);
        }
        self.reload_settings().await?;
        Ok(true)
    }

    /// Checks for calendar and rules changes every `every` for as long as the service
    /// runs (a database error is logged and tried again next time).
    pub fn watch_settings(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = state.refresh_settings_if_changed().await {
                    tracing::warn!(error = %e, "could not check the calendar and rules for changes");
                }
            }
        })
    }
}
