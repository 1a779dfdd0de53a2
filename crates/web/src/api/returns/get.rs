//! `GET /api/v1/returns/{token}`: the request as the agency sees it.

use axum::Json;
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use domain::returns::{COLUMNS, SCOPING_QUESTIONS};
use serde_json::{Value, json};

use super::{audit_outcome, open};
use crate::error::ApiError;
use crate::service::types::ReturnRequest;
use crate::state::AppState;

const ACTION: &str = "GET /api/v1/returns/{token}";

/// How many chronology entries one response carries; `?page=N` gives the others.
const ENTRIES_PER_PAGE: i64 = 100;

#[utoipa::path(get, path = "/api/v1/returns/{token}", tag = "returns", security(()),
    params(("token" = String, Path, description = "The return link's token"),
           ("page" = Option<i64>, Query, description = "Which page of 100 draft chronology entries to include (from 1)")),
    responses((status = 200, description = "The agency request: case reference, agency, due date, what is asked, the draft", body = Object),
              (status = 404, description = "Unknown, retired or withdrawn link")))]
pub async fn get_return(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let mut request = match open(&state, &token).await {
        Ok(r) => r,
        Err(e) => return audit_outcome(&state, None, ACTION, Err(e)).await,
    };
    let result = async {
        crate::service::returns::mark_opened(&state, &request.id, state.clock.now()).await?;
        request.opened = true;
        let page = match query.get("page") {
            None => 1,
            Some(p) => p
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=1_000_000).contains(n))
                .ok_or_else(|| ApiError::invalid("page", "must be a whole number from 1"))?,
        };
        let offset = (page - 1) * ENTRIES_PER_PAGE;
        let entries =
            crate::service::returns::request_entries_page(&state, &request.id, offset, ENTRIES_PER_PAGE).await?;
        let mut body = request_json(&state, &request, &entries);
        body["entries_page"] = json!(page);
        body["entries_pages"] = json!(((request.entries + ENTRIES_PER_PAGE - 1) / ENTRIES_PER_PAGE).max(1));
        Ok(Json(body))
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
        "draft_entries": r.entries,
        "entries": entries,
        "submitted_on": r.submitted_on,
    })
}
