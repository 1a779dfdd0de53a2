//! Rapid Review over HTTP: the JSON API v1 (with its OpenAPI description) on axum.
//! Handlers are short: parse, authorise, call the domain and the store, render. This
//! crate knows HTTP and nothing about SQL.

mod allocator;
pub(crate) mod api;
mod audit;
mod auth;
mod case_cache;
mod case_json;
mod case_stamp;
mod document_thread;
mod encoding;
mod error;
mod json;
#[cfg(test)]
mod layer_rules;
pub mod metrics;
mod page_cache;
mod pages;
mod request_counters;
mod service;
mod settings;
mod state;

use std::future::Future;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Request;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use state::{AppState, Clock, TwoFactor};

/// The largest JSON body the API accepts.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// The largest upload (a filled chronology template) the API and the pages accept.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// Brotli or gzip (brotli when the client takes both) for the answers worth it (pages,
/// JSON, CSV); not for files that are compressed already (ZIP, DOCX, XLSX) or tiny
/// answers. Quality 4: brotli's own default (11) takes a hundred times as long for a
/// few per cent fewer bytes, too slow for answers made per request.
fn compression() -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::CompressionLevel;
    use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
    let predicate = SizeAbove::new(256)
        .and(NotForContentType::new("application/zip"))
        .and(NotForContentType::new("application/vnd.openxmlformats"))
        .and(NotForContentType::const_new("image/"));
    tower_http::compression::CompressionLayer::new()
        .br(true)
        .gzip(true)
        .quality(CompressionLevel::Precise(4))
        .compress_when(predicate)
}

/// The whole application.
pub fn router(mut state: AppState) -> Router {
    let (api, openapi) = api::routes(state.clone()).split_for_parts();
    state.set_openapi(api::openapi::finish(openapi));
    Router::new()
        .merge(api)
        .merge(pages::routes(state.clone()))
        .route("/readyz", axum::routing::get(api::health::ready))
        .fallback(fallback)
        .layer(axum::middleware::from_fn(answer_in_the_clients_format))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::resolve_user))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::security_headers,
        ))
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::record))
        .layer(compression())
        .layer(
            // Logs the route template, never the concrete path or query: no case
            // identifiers or parameters reach the log.
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let route = req
                        .extensions()
                        .get::<axum::extract::MatchedPath>()
                        .map_or("(unmatched)", |p| p.as_str())
                        .to_owned();
                    tracing::info_span!("request", method = %req.method(), route)
                })
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .with_state(state)
}

/// A path that leads nowhere: JSON under `/api`, a page elsewhere.
async fn fallback(req: Request<axum::body::Body>) -> axum::response::Response {
    use axum::response::IntoResponse;
    if is_api(req.uri().path()) {
        error::not_found().await.into_response()
    } else {
        let nav = pages::nav_of(req.extensions());
        pages::PageError::no_such_page(nav).into_response()
    }
}

fn is_api(path: &str) -> bool {
    // `/readyz` is for load balancers, which read JSON too.
    path == "/api" || path.starts_with("/api/") || path == "/readyz"
}

/// The safety net under every handler: an error that reaches the client in the wrong
/// format (axum's plain-text rejections, a 405, a page answering JSON) is answered again
/// in the client's own: docs/api.md's JSON under `/api`, a GOV.UK page elsewhere.
async fn answer_in_the_clients_format(
    req: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::header::CONTENT_TYPE;
    use axum::response::IntoResponse;
    let api = is_api(req.uri().path());
    let nav = pages::nav_of(req.extensions());
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if api && !content_type.starts_with("application/json") {
        let (parts, body) = response.into_parts();
        let text = match axum::body::to_bytes(body, 4096).await {
            Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_owned(),
            Err(_) => String::new(),
        };
        let mut fixed = ApiError::for_status(parts.status, text).into_response();
        for (name, value) in &parts.headers {
            if name != CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
                fixed.headers_mut().insert(name, value.clone());
            }
        }
        return fixed;
    }
    if !api && !content_type.starts_with("text/html") {
        return pages::PageError::for_status(status).with_nav(nav).into_response();
    }
    response
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
