//! `GET /api/v1/definitions`: the definitions a threshold decision rests on (Serious
//! Harm, a serious child safeguarding case, the Panel's guidance), in the service's own
//! words with their sources. Guidance, not case data: no sign-in is needed.

use axum::Json;
use serde_json::{Value, json};

#[utoipa::path(get, path = "/api/v1/definitions", tag = "service", security(()),
    responses((status = 200, description = "{\"definitions\": [{key, term, meaning: [paragraph], source, source_url}]}", body = Object)))]
pub async fn definitions() -> Json<Value> {
    Json(json!({ "definitions": domain::definitions::DEFINITIONS }))
}
