//! `GET /api/v1/openapi.json`: the OpenAPI 3 description, generated from the handlers'
//! annotations so that it cannot drift from the routes.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

use super::{agency_requests, calendar, cases, health, returns, templates};

#[derive(OpenApi)]
#[openapi(
    info(title = "Rapid Review API", version = "1",
         description = "Rapid Reviews after a serious child safeguarding incident. See API.md for the contract."),
    paths(
        health::health,
        openapi_json,
        calendar::working_days,
        calendar::holidays,
        cases::create::create_case,
        cases::list::list_cases,
        cases::get::get_case,
        cases::events::record_event,
        cases::chronology::chronology,
        cases::requests::list_requests,
        cases::requests::reissue,
        cases::requests::revoke,
        cases::requests::proceed_without,
        cases::documents::referral,
        cases::documents::agency_return,
        cases::documents::pack,
        cases::documents::meeting,
        returns::get::get_return,
        returns::scoping::put_scoping,
        returns::chronology::post_chronology,
        returns::submit::submit_return,
        templates::chronology_template,
        templates::scoping_template,
        agency_requests::own_agency_requests,
    ),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "service", security(()),
    responses((status = 200, description = "This document", body = Object)))]
pub async fn openapi_json() -> Response {
    match ApiDoc::openapi().to_json() {
        Ok(text) => ([(header::CONTENT_TYPE, "application/json")], text).into_response(),
        Err(e) => crate::error::ApiError::Internal(e.to_string()).into_response(),
    }
}
