//! The JSON API v1: every route of API.md, each handler in a file named for it.

mod calendar;
mod cases;
mod health;
pub mod openapi;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};

use crate::audit::audit_case_access;
use crate::auth::resolve_user;
use crate::state::AppState;

pub fn routes(state: AppState) -> Router<AppState> {
    let case_data = Router::new()
        .route("/cases", post(cases::create::create_case).get(cases::list::list_cases))
        .route("/cases/{id}", get(cases::get::get_case))
        .route("/cases/{id}/events", post(cases::events::record_event))
        .route("/cases/{id}/chronology", get(cases::chronology::chronology))
        .route_layer(from_fn_with_state(state.clone(), audit_case_access));
    Router::new()
        .route("/health", get(health::health))
        .route("/openapi.json", get(openapi::openapi_json))
        .route("/calendar/working-days", get(calendar::working_days))
        .route("/calendar/holidays", get(calendar::holidays))
        .merge(case_data)
        .layer(from_fn_with_state(state, resolve_user))
}
