//! The JSON API v1: every route of docs/api.md, each handler in a file named for it.

mod agency_requests;
mod calendar;
pub(crate) mod cases;
mod health;
pub mod openapi;
pub(crate) mod returns;
mod templates;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post, put};

use crate::audit::audit_case_access;
use crate::state::AppState;

pub fn routes(state: AppState) -> Router<AppState> {
    let case_data = Router::new()
        .route("/cases", post(cases::create::create_case).get(cases::list::list_cases))
        .route("/cases/{id}", get(cases::get::get_case))
        .route("/cases/{id}/events", post(cases::events::record_event))
        .route("/cases/{id}/chronology", get(cases::chronology::chronology))
        .route("/cases/{id}/requests", get(cases::requests::list_requests))
        .route("/cases/{id}/requests/{agency}/reissue", post(cases::requests::reissue))
        .route("/cases/{id}/requests/{agency}/revoke", post(cases::requests::revoke))
        .route(
            "/cases/{id}/requests/{agency}/proceed-without",
            post(cases::requests::proceed_without),
        )
        .route(
            "/cases/{id}/requests/{agency}/return.docx",
            get(cases::documents::agency_return),
        )
        .route("/cases/{id}/referral.docx", get(cases::documents::referral))
        .route("/cases/{id}/pack.zip", get(cases::documents::pack))
        .route("/cases/{id}/meeting.ics", get(cases::documents::meeting))
        .route_layer(from_fn_with_state(state.clone(), audit_case_access));
    // The return links audit themselves: their case is known only from the token.
    let returns = Router::new()
        .route("/returns/{token}", get(returns::get::get_return))
        .route("/returns/{token}/scoping", put(returns::scoping::put_scoping))
        .route(
            "/returns/{token}/chronology",
            post(returns::chronology::post_chronology)
                .layer(DefaultBodyLimit::max(returns::chronology::MAX_UPLOAD_BYTES)),
        )
        .route("/returns/{token}/submit", post(returns::submit::submit_return));
    Router::new()
        .route("/health", get(health::health))
        .route("/openapi.json", get(openapi::openapi_json))
        .route("/calendar/working-days", get(calendar::working_days))
        .route("/calendar/holidays", get(calendar::holidays))
        .route("/templates/chronology.xlsx", get(templates::chronology_template))
        .route("/templates/scoping.docx", get(templates::scoping_template))
        .route("/agency-requests", get(agency_requests::own_agency_requests))
        .merge(case_data)
        .merge(returns)
}
