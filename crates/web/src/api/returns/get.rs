//! `GET /api/v1/returns/{token}`: the request as the agency sees it.

use axum::Json;
use axum::extract::{Path, State};
use domain::returns::{COLUMNS, SCOPING_QUESTIONS};
use serde_json::{Value, json};
use store::ReturnRequest;

use super::{audit_outcome, open};
use crate::error::ApiError;
use crate::state::AppState;

const ACTION: &str = "GET /api/v1/returns/{token}";

#[utoipa::path(get, path = "/api/v1/returns/{token}", tag = "returns", security(()),
    params(("token" = String, Path, description = "The return link's token")),
    responses((status = 200, description = "The agency request: case reference, agency, due date, what is asked, the draft", body = Object),
              (status = 404, description = "Unknown, retired or withdrawn link")))]
pub async fn get_return(State(state): State<AppState>, Path(token): Path<String>) -> Result<Json<Value>, ApiError> {
    let mut request = match open(&state, &token).await {
        Ok(r) => r,
        Err(e) => return audit_outcome(&state, None, ACTION, Err(e)).await,
    };
    let result = async {
        state.store.mark_opened(&request.id, state.clock.now()).await?;
        request.opened = true;
        let entries = state.store.request_entries(&request.id).await?;
        Ok(Json(request_json(&state, &request, &entries)))
    }
    .await;
    audit_outcome(&state, Some(&request), ACTION, result).await
}

pub(crate) fn request_json(state: &AppState, r: &ReturnRequest, entries: &[domain::returns::ChronologyEntry]) -> Value {
    let today = state.clock.today();
    let read_only = r.state().read_only_because(today);
    json!({
        "id": r.id,
        "case_reference": r.case_reference,
        "agency": r.agency,
        "agency_name": r.agency_name,
        "sent_on": r.sent_on,
        "due": r.due,
        "expires_on": r.expires_on,
        "status": r.state().status(today),
        "read_only": read_only.is_some(),
        "read_only_reason": read_only,
        "asks": {
            "scoping": SCOPING_QUESTIONS.iter().map(|(field, question)| json!({"field": field, "question": question})).collect::<Vec<_>>(),
            "scoping_required_at_submit": ["involvement"],
            "chronology": {"columns": COLUMNS, "template": "/api/v1/templates/chronology.xlsx"},
        },
        "scoping": r.scoping,
        "draft_entries": entries.len(),
        "entries": entries,
        "submitted_on": r.submitted_on,
    })
}
