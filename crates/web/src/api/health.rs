//! `GET /api/v1/health`: is the service up and its database reachable.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/health", tag = "service",
    responses((status = 200, description = "The service and its database answer", body = Object),
              (status = 503, description = "The database does not answer")))]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.store.is_empty().await {
        Ok(_) => (StatusCode::OK, Json(json!({"status": "ok"}))),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "unavailable"})))
        }
    }
}
