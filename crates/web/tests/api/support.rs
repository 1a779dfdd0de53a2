//! The test harness: a fresh database per test, users for every role with tokens, and
//! helpers to call the API as one of them on a chosen business date.

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::Connection;
use store::{Backend, DatabaseUrl, NewAgency, NewUser, Store};
use tower::ServiceExt;
use web::{AppState, Clock};

pub const AGENCIES: [&str; 4] = [
    "city-gp-practice",
    "northfield-primary",
    "county-police",
    "community-health-trust",
];

/// Who the harness signs in as: a key for each user it creates.
pub const PEOPLE: [(&str, &str, Option<&str>, Option<&str>); 10] = [
    ("pm", "partnership_manager", None, None),
    ("bu", "business_unit", None, None),
    ("la", "la_decision_maker", None, None),
    ("rep_la", "partner_rep", Some("local_authority"), None),
    ("rep_health", "partner_rep", Some("health"), None),
    ("rep_police", "partner_rep", Some("police"), None),
    ("chair", "jcr_chair", None, None),
    ("contact", "agency_contact", None, Some("northfield-primary")),
    ("viewer", "viewer", None, None),
    ("admin", "admin", None, None),
];

pub struct TestApp {
    pub store: Store,
    pub tokens: HashMap<&'static str, String>,
    today: NaiveDate,
    pub router: Router,
    pub database: Database,
}

pub struct Response {
    pub status: StatusCode,
    pub body: Value,
    pub headers: axum::http::HeaderMap,
}

/// A browser session of a test user: its cookie and its form token.
#[derive(Clone)]
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

impl TestApp {
    /// A fresh database with the agencies and one user per role, on business date `today`.
    pub async fn new(backend: Backend, today: &str) -> TestApp {
        let database = Database::create(backend).await;
        let store = database.open().await;
        let now = chrono::Utc::now();
        for slug in AGENCIES {
            let agency = NewAgency::new(
                slug,
                &format!("Agency {slug}"),
                "test",
                Some(&format!("{slug}@agencies.example.org")),
            )
            .unwrap();
            store.add_agency(&agency, &setup(now, "agency_added")).await.unwrap();
        }
        let mut tokens = HashMap::new();
        for (key, role, partner, agency) in PEOPLE {
            let email = format!("{key}@example.org");
            let user = NewUser::new(&email, key, role, partner, agency, None).unwrap();
            store.add_user(&user, &setup(now, "user_added")).await.unwrap();
            let issued = store.issue_token(&email, "test", 90, &setup(now, "token_issued")).await;
            tokens.insert(key, issued.unwrap().token);
        }
        let today = today.parse().unwrap();
        let router = router_for(&store, today).await;
        TestApp {
            store,
            tokens,
            today,
            router,
            database,
        }
    }

    /// The same database, where two-factor sign-in is optional (as in the demo).
    pub async fn optional_two_factor(mut self) -> Self {
        let clock = Clock {
            now: chrono::Utc::now,
            frozen_today: Some(self.today),
        };
        let state = AppState::load(self.store.clone(), clock).await.unwrap();
        self.router = web::router(state.with_two_factor(web::TwoFactor::Optional));
        self
    }

    /// The same database, for a partnership with its own name.
    pub async fn named(mut self, partnership: &str) -> Self {
        let clock = Clock {
            now: chrono::Utc::now,
            frozen_today: Some(self.today),
        };
        let state = AppState::load(self.store.clone(), clock).await.unwrap();
        self.router = web::router(state.with_partnership(Some(partnership)));
        self
    }

    /// Another instance of the service on the same database: its own store (and so its
    /// own caches), on the same business date.
    pub async fn other_instance(&self) -> Router {
        let clock = Clock {
            now: chrono::Utc::now,
            frozen_today: Some(self.today),
        };
        web::router(AppState::load(self.database.open().await, clock).await.unwrap())
    }

    /// Another instance on the same database, with its `/metrics` router beside it.
    pub async fn instance_with_metrics(&self) -> (Router, Router) {
        let clock = Clock {
            now: chrono::Utc::now,
            frozen_today: Some(self.today),
        };
        let state = AppState::load(self.database.open().await, clock).await.unwrap();
        (web::router(state.clone()), web::metrics::router(state))
    }

    /// A counter's value from `/metrics` on `metrics`: the line starting `name` (with its
    /// labels) and a space.
    pub async fn metric(metrics: &Router, name: &str) -> u64 {
        let res = call(metrics.clone(), Request::get("/metrics").body(Body::empty()).unwrap()).await;
        let text = res.body.as_str().unwrap_or_default().to_owned();
        text.lines()
            .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {text}"))
    }

    /// The same database seen on another business date.
    pub async fn on(&mut self, today: &str) -> &mut Self {
        self.today = today.parse().unwrap();
        self.router = router_for(&self.store, self.today).await;
        self
    }

    /// A router on the same database that believes it is reached at `url`.
    pub async fn with_public_url(&self, url: &str) -> Router {
        let clock = Clock {
            now: chrono::Utc::now,
            frozen_today: Some(self.today),
        };
        web::router(
            AppState::load(self.store.clone(), clock)
                .await
                .unwrap()
                .with_public_url(url),
        )
    }

    /// The database's URL, for tests that reach past the API.
    pub fn database_url(&self) -> String {
        self.database.url.raw().to_owned()
    }

    pub fn router(&self) -> Router {
        self.router.clone()
    }

    pub fn token(&self, who: &str) -> &str {
        self.tokens.get(who).unwrap_or_else(|| panic!("no test user {who}"))
    }

    pub async fn get(&self, who: &str, path: &str) -> Response {
        self.send(Some(who), "GET", path, None).await
    }

    /// A GET with no credentials at all (return links, health).
    pub async fn get_anonymous(&self, path: &str) -> Response {
        self.send(None, "GET", path, None).await
    }

    pub async fn post(&self, who: &str, path: &str, body: Value) -> Response {
        self.send(Some(who), "POST", path, Some(body)).await
    }

    pub async fn send(&self, who: Option<&str>, method: &str, path: &str, body: Option<Value>) -> Response {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(who) = who {
            req = req.header("authorization", format!("Bearer {}", self.token(who)));
        }
        let req = match body {
            Some(body) => req
                .header("content-type", "application/json")
                .body(Body::from(body.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        call(self.router.clone(), req).await
    }

    /// Signs `who` in as a browser would end up: a session cookie and its form token.
    pub async fn browser(&self, who: &str) -> Browser {
        let user = self
            .store
            .user_by_email(&format!("{who}@example.org"))
            .await
            .unwrap()
            .unwrap();
        let session = self.store.create_session(&user, chrono::Utc::now()).await.unwrap();
        Browser {
            cookie: format!("rr_session={}", session.cookie),
            csrf: session.csrf,
        }
    }

    /// A page as `browser` sees it (no browser: signed out).
    pub async fn page(&self, browser: Option<&Browser>, path: &str) -> Response {
        let mut req = Request::get(path);
        if let Some(b) = browser {
            req = req.header("cookie", &b.cookie);
        }
        call(self.router.clone(), req.body(Body::empty()).unwrap()).await
    }

    /// A page's HTML from another instance's `router`, as `browser`.
    pub async fn html_on(router: &Router, browser: &Browser, path: &str) -> String {
        let req = Request::get(path).header("cookie", &browser.cookie);
        let res = call(router.clone(), req.body(Body::empty()).unwrap()).await;
        res.body.as_str().unwrap_or_default().to_owned()
    }

    /// Posts a form (`field=value&…`, already encoded) as `browser`.
    pub async fn submit(&self, browser: Option<&Browser>, path: &str, form: &str) -> Response {
        let mut req = Request::post(path).header("content-type", "application/x-www-form-urlencoded");
        if let Some(b) = browser {
            req = req.header("cookie", &b.cookie);
        }
        call(self.router.clone(), req.body(Body::from(form.to_owned())).unwrap()).await
    }

    /// Opens a synthetic case as the Partnership Manager; returns its id.
    pub async fn open_case(&self, route: &str, aware_on: &str) -> String {
        self.open_case_as("pm", route, aware_on).await
    }

    /// The same, reported by `who` (nobody is told of a step they recorded: a test
    /// of who hears of the report has someone outside its audience report it).
    pub async fn open_case_as(&self, who: &str, route: &str, aware_on: &str) -> String {
        let res = self.post(who, "/api/v1/cases", incident(route, aware_on)).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        res.body["id"].as_str().unwrap().to_owned()
    }

    /// Records an event and insists that it was accepted; returns the Case.
    pub async fn record(&self, who: &str, case: &str, body: Value) -> Value {
        let res = self
            .post(who, &format!("/api/v1/cases/{case}/events"), body.clone())
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{who} recording {body}: {}", res.body);
        res.body["case"].clone()
    }

    /// Writes the case's template (its draft, by the Business Unit) and has each
    /// partner's representative sign it off: what a submission needs.
    pub async fn sign_template(&self, case: &str) {
        let saved = self
            .send(
                Some("bu"),
                "PUT",
                &format!("/api/v1/cases/{case}/template"),
                Some(serde_json::json!({"sections": {}})),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        for rep in ["rep_la", "rep_health", "rep_police"] {
            let signed = self
                .post(
                    rep,
                    &format!("/api/v1/cases/{case}/template/sign-off"),
                    serde_json::json!({}),
                )
                .await;
            assert_eq!(signed.status, StatusCode::CREATED, "{}", signed.body);
        }
    }

    /// Records a synthetic journey through the API, each step by a user who may record
    /// it, stopping before the first `until` event; returns the case's id and reference.
    pub async fn record_journey_until(
        &self,
        journey: domain::synthetic::Journey,
        seq: u32,
        until: Option<domain::events::EventKind>,
    ) -> (String, String) {
        use domain::events::EventKind;
        let aware = "2026-06-01".parse().unwrap();
        let bodies = domain::synthetic::journey(journey, aware, &domain::calendar::Calendar::england_and_wales(), seq);
        let res = self.post("pm", "/api/v1/cases", bodies[0].clone()).await;
        assert_eq!(res.status, 201, "{}", res.body);
        let (id, reference) = (
            res.body["id"].as_str().unwrap().to_owned(),
            res.body["reference"].as_str().unwrap().to_owned(),
        );
        for body in &bodies[1..] {
            let kind = EventKind::parse(body["type"].as_str().unwrap()).unwrap();
            if Some(kind) == until {
                break;
            }
            if kind == EventKind::RapidReviewSubmitted {
                self.sign_template(&id).await;
            }
            self.record(recorder(kind, body), &id, body.clone()).await;
        }
        (id, reference)
    }

    /// Each of the four deciders (the three partner reps and the Partnership Manager)
    /// records `body` (a `challenge_view_recorded` or `ala_view_recorded`) as their own.
    pub async fn all_four_record(&self, case: &str, body: Value) -> Value {
        let mut last = Value::Null;
        for who in ["rep_la", "rep_health", "rep_police", "pm"] {
            last = self.record(who, case, body.clone()).await;
        }
        last
    }
}

/// The test user who records `kind` (the first role that may); a view is given by the
/// decider it names.
pub fn recorder(kind: domain::events::EventKind, body: &Value) -> &'static str {
    use domain::roles::Role;
    match body["on_behalf_of"].as_str() {
        Some("local_authority") => return "rep_la",
        Some("health") => return "rep_health",
        Some("police") => return "rep_police",
        Some("partnership_manager") => return "pm",
        _ => {}
    }
    match Role::recorders(kind)[0] {
        Role::PartnershipManager => "pm",
        Role::BusinessUnit => "bu",
        Role::LaDecisionMaker => "la",
        Role::PartnerRep => "rep_la",
        Role::JcrChair => "chair",
        other => panic!("no test user records {other:?}"),
    }
}

/// The audit row of a change the harness makes while setting up.
pub fn setup(at: chrono::DateTime<chrono::Utc>, action: &str) -> store::AuditEntry {
    store::AuditEntry::about(at, Some("test-setup"), action, None, "ok")
}

pub async fn call(router: Router, req: Request<Body>) -> Response {
    let res = router.oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    Response { status, body, headers }
}

async fn router_for(store: &Store, today: NaiveDate) -> Router {
    let clock = Clock {
        now: chrono::Utc::now,
        frozen_today: Some(today),
    };
    web::router(AppState::load(store.clone(), clock).await.unwrap())
}

/// An `incident_reported` body for a synthetic child.
pub fn incident(route: &str, aware_on: &str) -> Value {
    json!({
        "route": route, "reported_on": aware_on, "aware_on": aware_on,
        "referring_agency": "northfield-primary",
        "incident": {"kind": "serious_harm", "occurred_on": aware_on, "summary": "Synthetic test incident."},
        "children": [{"initials": "AB", "sex": "female", "age_years": 6}]
    })
}

/// The deadline of `step` (and agency) in a Case.
pub fn deadline<'a>(case: &'a Value, step: &str) -> &'a Value {
    case["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["step"] == step)
        .unwrap_or_else(|| panic!("no {step}"))
}

/// A database that exists for one test: a temporary SQLite file, or a PostgreSQL
/// database dropped when the test ends, with its key file (and audit anchor) in a
/// temporary directory of its own.
pub struct Database {
    pub url: DatabaseUrl,
    pub dir: std::path::PathBuf,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir,
    Postgres { admin: String, name: String },
}

pub fn postgres_admin_url() -> String {
    std::env::var("RAPID_REVIEW_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

impl Database {
    pub async fn create(backend: Backend) -> Database {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("rapid-review-test-{id}"));
        std::fs::create_dir_all(&dir).unwrap();
        match backend {
            Backend::Sqlite => {
                let path = dir.join("rapid-review.db");
                let url = format!("sqlite://{}", path.display()).parse().unwrap();
                Database {
                    url,
                    dir,
                    cleanup: Cleanup::Dir,
                }
            }
            Backend::Postgres => {
                sqlx::any::install_default_drivers();
                let admin = postgres_admin_url();
                let name = format!("rr_test_{id}");
                let mut conn = sqlx::AnyConnection::connect(&admin)
                    .await
                    .expect("PostgreSQL must be running for the tests (see .ci/run)");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                let base = admin.rsplit_once('/').unwrap().0;
                let url = format!("{base}/{name}").parse().unwrap();
                Database {
                    url,
                    dir,
                    cleanup: Cleanup::Postgres { admin, name },
                }
            }
        }
    }

    /// The key file the service would use for this database.
    pub fn key_path(&self) -> std::path::PathBuf {
        self.dir.join("rapid-review.key")
    }

    /// Opens the store with this database's key file.
    pub async fn open(&self) -> Store {
        let keys = store::Keys::load_or_create(&self.key_path()).unwrap();
        Store::open(&self.url, &keys).await.unwrap()
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        match &self.cleanup {
            Cleanup::Dir => {}
            Cleanup::Postgres { admin, name } => {
                let (admin, name) = (admin.clone(), name.clone());
                // Drop cannot await; a short-lived runtime on its own thread can.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    rt.block_on(async {
                        if let Ok(mut conn) = sqlx::AnyConnection::connect(&admin).await {
                            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                            let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await;
                        }
                    });
                })
                .join();
            }
        }
    }
}
