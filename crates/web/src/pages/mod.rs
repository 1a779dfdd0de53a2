//! The HTML pages: server-rendered with askama (auto-escaped), styled and behaving with
//! GOV.UK Frontend served by the service itself, and working without JavaScript.
//! Pages share the domain and store calls of the JSON API.

mod admin;
mod assets;
mod cases;
mod dashboard;
mod error;
mod forms;
mod pager;
mod returns;
mod security;
mod sign_in;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::roles::Role as store_role;
use store::User;

pub use error::PageError;
pub use security::security_headers;

use crate::audit::audit_case_access;
use crate::auth::CurrentUser;
use crate::state::AppState;

/// How long a browser session may sit idle before it ends.
pub const IDLE_MINUTES: i64 = 30;
pub const SESSION_COOKIE: &str = "rr_session";

pub fn routes(state: AppState) -> Router<AppState> {
    let case_pages = Router::new()
        .route("/", get(dashboard::dashboard))
        .route("/cases", get(cases::list))
        .route("/cases/new", get(forms::new_case_form).post(forms::new_case_submit))
        .route("/cases/{id}", get(cases::show))
        .route(
            "/cases/{id}/record/{kind}",
            get(forms::record_form).post(forms::record_submit),
        )
        .route("/cases/{id}/requests/{agency}/{action}", post(cases::manage_request))
        .route("/cases/{id}/chronology", get(cases::chronology))
        .route("/cases/{id}/discuss/{topic}", post(cases::discuss))
        .route_layer(from_fn_with_state(state.clone(), audit_case_access));
    Router::new()
        .route("/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/admin", get(admin::home))
        .route("/admin/calendar", get(admin::calendar))
        .route("/admin/calendar/override", post(admin::add_override))
        .route("/admin/calendar/import", post(admin::import))
        .route("/admin/agencies", get(admin::agencies).post(admin::add_agency))
        .route("/admin/users", get(admin::users).post(admin::add_user))
        .route("/admin/rules", get(admin::rules).post(admin::save_rules))
        .route("/assets/{file}", get(assets::asset))
        .route("/returns/{token}", get(returns::show))
        .route("/returns/{token}/scoping", post(returns::save_scoping))
        .route("/returns/{token}/entries", post(returns::add_entry))
        .route(
            "/returns/{token}/upload",
            post(returns::upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::api::returns::chronology::MAX_UPLOAD_BYTES,
            )),
        )
        .route("/returns/{token}/submit", post(returns::submit))
        .route("/favicon.ico", get(assets::no_favicon))
        .merge(case_pages)
}

/// The signed-in user of a page and the token its forms carry. Without a session the
/// visitor is sent to the sign-in page.
#[derive(Debug, Clone)]
pub struct PageUser {
    pub user: User,
    pub csrf: String,
}

/// The form token of the request's browser session, put there by the auth middleware.
#[derive(Debug, Clone)]
pub struct SessionCsrf(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = <CurrentUser as OptionalFromRequestParts<S>>::from_request_parts(parts, state)
            .await
            .ok()
            .flatten();
        let csrf = parts.extensions.get::<SessionCsrf>().cloned();
        match (user, csrf) {
            (Some(CurrentUser(user)), Some(SessionCsrf(csrf))) => Ok(PageUser { user, csrf }),
            _ => Err(Redirect::to("/sign-in").into_response()),
        }
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<CurrentUser>().cloned())
    }
}

/// The menu of the signed-in user of a request, if there is one (for error pages).
pub fn nav_of(extensions: &axum::http::Extensions) -> Option<Nav> {
    let CurrentUser(user) = extensions.get::<CurrentUser>()?;
    let SessionCsrf(csrf) = extensions.get::<SessionCsrf>()?;
    Some(Nav::from(&PageUser {
        user: user.clone(),
        csrf: csrf.clone(),
    }))
}

/// What the layout needs to show the menu.
#[derive(Debug, Clone)]
pub struct Nav {
    pub name: String,
    pub csrf: String,
    /// Whether to show the administration link.
    pub admin: bool,
}

impl From<&PageUser> for Nav {
    fn from(p: &PageUser) -> Self {
        Nav {
            name: p.user.name.clone(),
            csrf: p.csrf.clone(),
            admin: matches!(p.user.role, store_role::Admin | store_role::PartnershipManager),
        }
    }
}

/// A page with a title and one message, for refusals and errors.
#[derive(Template, WebTemplate)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub nav: Option<Nav>,
    pub title: String,
    pub message: String,
}

/// The value of one cookie in a request's `Cookie` header.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Human words for a snake_case key.
pub fn words(key: &str) -> String {
    let mut s = key.replace('_', " ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s.replace(" la", " LA")
        .replace("Lcspr", "LCSPR")
        .replace(" lcspr", " LCSPR")
        .replace("Ala", "ALA")
        .replace(" esg", " ESG")
}
