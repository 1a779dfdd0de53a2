//! The JSON API v1: every route of docs/api.md, each handler in a file named for it.

mod agency_requests;
mod calendar;
pub(crate) mod cases;
mod definitions;
pub(crate) mod health;
pub mod openapi;
mod outbox;
mod reports;
pub(crate) mod returns;
mod templates;
mod themes;

use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::audit_case_access;
use crate::state::AppState;

/// Every API route, registered with its OpenAPI description in one list: a route
/// cannot exist without its documentation, nor the other way round. Paths are the full
/// `/api/v1/…` paths that the handlers' annotations give.
pub fn routes(state: AppState) -> OpenApiRouter<AppState> {
    let (schemas, paths, papers) = routes!(cases::review_papers::upload, cases::review_papers::list);
    let papers = papers.layer(DefaultBodyLimit::max(cases::review_papers::BODY_LIMIT));
    let case_data = OpenApiRouter::new()
        .routes((schemas, paths, papers))
        .routes(routes!(cases::review_papers::download))
        .routes(routes!(cases::create::create_case, cases::list::list_cases))
        .routes(routes!(cases::get::get_case))
        .routes(routes!(cases::events::record_event))
        .routes(routes!(cases::chronology::chronology))
        .routes(routes!(cases::requests::list_requests))
        .routes(routes!(cases::requests::reissue))
        .routes(routes!(cases::requests::revoke))
        .routes(routes!(cases::requests::proceed_without))
        .routes(routes!(cases::documents::agency_return))
        .routes(routes!(cases::documents::referral))
        .routes(routes!(cases::documents::pack))
        .routes(routes!(cases::documents::meeting))
        .routes(routes!(cases::template::get_template, cases::template::put_template))
        .routes(routes!(cases::template::sign_off))
        .routes(routes!(cases::papers::template_docx))
        .routes(routes!(cases::papers::panel_letter))
        .routes(routes!(cases::papers::outcome_letter))
        .route_layer(from_fn_with_state(state, audit_case_access));
    // The return links audit themselves: their case is known only from the token.
    let (schemas, paths, upload) = routes!(returns::chronology::post_chronology);
    let upload = upload.layer(DefaultBodyLimit::max(crate::MAX_UPLOAD_BYTES));
    let returns = OpenApiRouter::new()
        .routes(routes!(returns::get::get_return))
        .routes(routes!(returns::referral::referral))
        .routes(routes!(returns::scoping::put_scoping))
        .routes((schemas, paths, upload))
        .routes(routes!(returns::submit::submit_return));
    OpenApiRouter::with_openapi(openapi::description())
        .routes(routes!(health::health))
        .routes(routes!(openapi::openapi_json))
        .routes(routes!(calendar::working_days))
        .routes(routes!(calendar::holidays))
        .routes(routes!(definitions::definitions))
        .routes(routes!(templates::chronology_template))
        .routes(routes!(templates::scoping_template))
        .routes(routes!(agency_requests::own_agency_requests))
        .routes(routes!(outbox::list_outbox))
        .routes(routes!(reports::timeliness))
        .routes(routes!(reports::cases_xlsx))
        .routes(routes!(reports::cases_csv))
        .routes(routes!(themes::list_themes, themes::add_theme))
        .routes(routes!(themes::set_case_themes))
        .merge(case_data)
        .merge(returns)
}
