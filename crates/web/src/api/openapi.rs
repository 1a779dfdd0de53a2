//! `GET /api/v1/openapi.json`: the OpenAPI 3 description, generated from the handlers'
//! annotations so that it cannot drift from the routes.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

/// What the description says of the API as a whole; the paths come from the route
/// list in `api::routes`, each with its handler's annotation.
#[derive(OpenApi)]
#[openapi(
    info(title = "Rapid Review API", version = "1",
         description = "Rapid Reviews after a serious child safeguarding incident. See docs/api.md for the contract."),
    security(("bearer" = []))
)]
struct ApiDoc;

/// The description before the routes are added.
pub fn description() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Finishes the description once every route is in: the bearer scheme, and the error
/// body on every operation.
pub fn finish(mut openapi: utoipa::openapi::OpenApi) -> String {
    use utoipa::Modify;
    BearerAuth.modify(&mut openapi);
    ErrorResponses.modify(&mut openapi);
    openapi.to_json().unwrap_or_else(|e| {
        tracing::error!(error = %e, "the OpenAPI description could not be written");
        String::from("{}")
    })
}

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

/// Every error, whatever its status, has docs/api.md's body; the description says so on
/// every error response of every operation, and a `default` response covers the rest
/// (400, 401, 413, 415, 5xx), so that no status a client can meet is undocumented.
struct ErrorResponses;

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct Error {
    error: ErrorDetail,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct ErrorDetail {
    /// A snake_case code: malformed, unauthenticated, forbidden, not_found, expired,
    /// not_allowed_now, version_conflict, too_large, unsupported_media_type,
    /// invalid_field, invalid_rows, method_not_allowed, internal.
    code: String,
    /// What went wrong and what to do.
    message: String,
    /// The field at fault, for invalid_field.
    field: Option<String>,
    /// Every bad row, for invalid_rows.
    rows: Option<Vec<RowDetail>>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct RowDetail {
    row: u32,
    field: String,
    message: String,
}

impl utoipa::Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, schema) in [
            ("Error", <Error as utoipa::PartialSchema>::schema()),
            ("ErrorDetail", <ErrorDetail as utoipa::PartialSchema>::schema()),
            ("RowDetail", <RowDetail as utoipa::PartialSchema>::schema()),
        ] {
            components.schemas.insert(name.to_owned(), schema);
        }
        let content = || {
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Error")))
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                for (status, response) in operation.responses.responses.iter_mut() {
                    if let RefOr::T(response) = response
                        && (status.starts_with('4') || status.starts_with('5'))
                        && response.content.is_empty()
                    {
                        response.content.insert("application/json".into(), RefOr::T(content()));
                    }
                }
                operation.responses.responses.insert(
                    "default".into(),
                    RefOr::T(
                        ResponseBuilder::new()
                            .description("An error in docs/api.md's format: 400 malformed, 401 no or bad credentials, 403 not for this role, 404 unknown, 409 not allowed now, 410 expired, 413 too large, 415 wrong content type, 422 invalid field")
                            .content("application/json", content())
                            .build(),
                    ),
                );
            }
        }
    }
}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "service", security(()),
    responses((status = 200, description = "This document", body = Object)))]
pub async fn openapi_json(axum::extract::State(state): axum::extract::State<crate::state::AppState>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], state.openapi.to_string()).into_response()
}
