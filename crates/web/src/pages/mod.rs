//! The HTML pages: server-rendered with askama (auto-escaped), styled and behaving with
//! GOV.UK Frontend served by the service itself, and working without JavaScript.
//! Pages call the same service layer as the JSON API (`crate::service`) and answer
//! every error with a GOV.UK page ([`PageError`]).

mod about;
mod account;
mod account_reviews;
mod admin;
mod admin_accounts;
mod admin_outbox;
mod admin_rules;
mod assets;
mod case;
mod credentials;
mod dashboard;
mod error;
mod forms;
mod notifications;
mod pager;
mod render;
mod reports;
mod reset_password;
pub(crate) mod returns;
mod security;
mod sign_in;
mod signed_form;
mod two_factor;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::middleware::from_fn_with_state;

use axum::routing::{get, post};
use domain::roles::Role as store_role;

pub use error::PageError;
pub use security::security_headers;

use crate::audit::audit_case_access;
pub use crate::auth::PageUser;
use crate::auth::{CurrentUser, SessionCsrf};
use crate::state::AppState;

pub fn routes(state: AppState) -> Router<AppState> {
    let case_pages = Router::new()
        .route("/", get(dashboard::dashboard))
        .route("/cases", get(case::list::list))
        .route("/cases/new", get(forms::new_case_form).post(forms::new_case_submit))
        .route("/cases/{id}", get(case::page::show))
        .route(
            "/cases/{id}/record/{kind}",
            get(forms::record_form).post(forms::record_submit),
        )
        .route(
            "/cases/{id}/requests/{agency}/{action}",
            get(case::requests::confirm).post(case::requests::manage),
        )
        .route("/cases/{id}/chronology", get(case::chronology::chronology))
        .route("/cases/{id}/returns/{agency}", get(case::returned::returned))
        .route("/cases/{id}/pack", get(case::pack::pack))
        .route(
            "/cases/{id}/lcspr/papers",
            post(case::review_papers::upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::service::review_papers::BODY_LIMIT,
            )),
        )
        .route("/cases/{id}/template", get(case::template::show))
        .route("/cases/{id}/template/sign-off", post(case::template::sign_off))
        .route(
            "/cases/{id}/template/{section}",
            get(case::template::edit).post(case::template::save),
        )
        .route("/cases/{id}/discuss/{topic}", post(case::discussion::discuss))
        .route_layer(from_fn_with_state(state.clone(), audit_case_access));
    Router::new()
        .route("/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route(
            "/sign-in/two-factor",
            get(two_factor::code_form).post(two_factor::code_submit),
        )
        .route(
            "/account/two-factor",
            get(two_factor::setup_form).post(two_factor::setup_submit),
        )
        .route("/account/two-factor/qr.svg", get(two_factor::qr))
        .route("/account", get(account::show))
        .route(
            "/account/notifications",
            get(notifications::show).post(notifications::save),
        )
        .route("/account/password", post(account::change_password))
        .route("/account/recovery-codes", post(account::new_recovery_codes))
        .route("/account/sessions/end-others", post(account::end_other_sessions))
        .route("/account/sessions/{id}/end", post(account::end_session))
        .route(
            "/reset-password/{token}",
            get(reset_password::form).post(reset_password::submit),
        )
        .route("/account-reviews/{id}/acknowledge", post(account_reviews::acknowledge))
        .route("/admin", get(admin::home))
        .route("/admin/calendar", get(admin::calendar))
        .route("/admin/calendar/override", post(admin::add_override))
        .route("/admin/calendar/import", post(admin::import))
        .route("/admin/agencies", get(admin::agencies).post(admin::add_agency))
        .route(
            "/admin/users",
            get(admin_accounts::users).post(admin_accounts::add_user),
        )
        .route("/admin/users/{id}/reset-password", post(admin_accounts::reset_password))
        .route("/admin/users/{id}/{action}", post(admin_accounts::set_disabled))
        .route("/admin/tokens", get(admin_accounts::tokens))
        .route("/admin/tokens/{id}/revoke", post(admin_accounts::revoke_token))
        .route("/admin/rules", get(admin_rules::rules).post(admin_rules::save))
        .route("/admin/rules.toml", get(admin_rules::export))
        .route("/reports", get(reports::show))
        .route("/reports/themes", get(reports::themes::show).post(reports::themes::add))
        .route("/cases/{id}/themes", post(reports::themes::set_for_case))
        .route("/admin/outbox", get(admin_outbox::show))
        .route("/admin/outbox/test", post(admin_outbox::send_test))
        .route("/admin/outbox/{id}/retry", post(admin_outbox::retry))
        .route("/assets/{file}", get(assets::asset))
        .route("/favicon.ico", get(assets::no_favicon))
        .route("/accessibility", get(about::accessibility))
        .route("/privacy", get(about::privacy))
        .route("/cookies", get(about::cookies))
        .route("/help", get(about::help))
        .merge(case_pages)
        .merge(returns::routes())
}

/// The menu of the signed-in user of a request, if there is one (for error pages).
pub fn nav_of(extensions: &axum::http::Extensions) -> Option<Nav> {
    let CurrentUser(user) = extensions.get::<CurrentUser>()?;
    let SessionCsrf(csrf) = extensions.get::<SessionCsrf>()?;
    Some(Nav {
        name: user.name.clone(),
        csrf: csrf.clone(),
        admin: matches!(user.role, store_role::Admin | store_role::PartnershipManager),
        reports: user.role.may_see_reports(),
    })
}

/// What the layout needs to show the menu.
#[derive(Debug, Clone)]
pub struct Nav {
    pub name: String,
    pub csrf: String,
    /// Whether to show the administration link.
    pub admin: bool,
    /// Whether to show the reports link.
    pub reports: bool,
}

impl From<&PageUser> for Nav {
    fn from(p: &PageUser) -> Self {
        Nav {
            name: p.user.name.clone(),
            csrf: p.csrf.clone(),
            admin: matches!(p.user.role, store_role::Admin | store_role::PartnershipManager),
            reports: p.user.role.may_see_reports(),
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

/// The label of a key read back from storage (a stage, a step): the domain's label, or
/// the key itself if it is not one.
pub fn label_of<T: Copy>(key: &str, parse: fn(&str) -> Option<T>, label: fn(T) -> &'static str) -> String {
    parse(key).map_or_else(|| key.to_owned(), |v| label(v).to_owned())
}

/// A date as the pages write it: "21 December 2026".
pub fn long_date(d: chrono::NaiveDate) -> String {
    domain::dates::long(d)
}
