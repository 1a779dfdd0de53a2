//! Rapid Review over HTTP: the JSON API v1 (with its OpenAPI description) on axum.
//! Handlers are short: parse, authorise, call the domain and the store, render. This
//! crate knows HTTP and nothing about SQL.

pub(crate) mod api;
mod audit;
mod auth;
mod case_json;
mod error;
mod json;
mod pages;
mod state;

use std::future::Future;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Request;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use state::{AppState, Clock};

/// The largest JSON body the API accepts.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .nest("/api/v1", api::routes(state.clone()))
        .merge(pages::routes(state.clone()))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::resolve_user))
        .layer(axum::middleware::from_fn(pages::security_headers))
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .layer(
            // Logs the route template, never the concrete path or query: no case
            // identifiers or parameters reach the log.
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let route = req
                    .extensions()
                    .get::<axum::extract::MatchedPath>()
                    .map_or("(unmatched)", |p| p.as_str())
                    .to_owned();
                tracing::info_span!("request", method = %req.method(), route)
            }),
        )
        .with_state(state)
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
