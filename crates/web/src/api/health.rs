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
    match crate::service::health::is_empty(&state).await {
        Ok(_) => (StatusCode::OK, Json(json!({"status": "ok", "database": "ok"}))),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "database": "unavailable"})),
            )
        }
    }
}

/// `GET /readyz`: ready for traffic once the database answers with every migration this
/// build knows applied (a load balancer sends nothing before).
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let known = crate::service::health::known_schema_version(&state);
    match crate::service::health::schema_version(&state).await {
        Ok(applied) if applied == known => (StatusCode::OK, Json(json!({"ready": true, "schema": applied}))),
        Ok(applied) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"ready": false, "schema": applied, "expected_schema": known,
                        "reason": "the database's migrations are not the ones this build knows: run rapid-review migrate"})),
        ),
        Err(e) => {
            tracing::error!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"ready": false, "reason": "the database does not answer"})),
            )
        }
    }
}
