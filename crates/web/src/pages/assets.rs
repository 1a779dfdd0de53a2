//! The front-end assets, embedded in the binary at build time (see build.rs).

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/assets.rs"));
}

pub async fn asset(Path(file): Path<String>) -> Response {
    let (content_type, bytes) = match file.as_str() {
        "app.css" => ("text/css; charset=utf-8", embedded::APP_CSS),
        "govuk-frontend.min.js" => ("text/javascript; charset=utf-8", embedded::GOVUK_FRONTEND_MIN_JS),
        "app.js" => ("text/javascript; charset=utf-8", embedded::APP_JS),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        bytes,
    )
        .into_response()
}

/// There is no favicon: the GOV.UK crown icons are not ours to use.
pub async fn no_favicon() -> StatusCode {
    StatusCode::NO_CONTENT
}
