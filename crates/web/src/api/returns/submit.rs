//! `POST /api/v1/returns/{token}/submit`: records `agency_return_received` on the case;
//! the link becomes read-only.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::roles::Role;
use serde_json::json;
use store::{User, WriteContext};

use super::{actor, audit_outcome, open, writable};
use crate::error::ApiError;
use crate::state::AppState;

const ACTION: &str = "POST /api/v1/returns/{token}/submit";

#[utoipa::path(post, path = "/api/v1/returns/{token}/submit", tag = "returns", security(()),
    params(("token" = String, Path, description = "The return link's token")),
    responses((status = 201, description = "Submitted; the link is now read-only", body = Object),
              (status = 404, description = "Unknown, retired or withdrawn link"),
              (status = 409, description = "Already submitted, expired, or the case does not allow it now"),
              (status = 422, description = "The scoping field `involvement` is missing")))]
pub async fn submit_return(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, ApiError> {
    let request = match open(&state, &token).await {
        Ok(r) => r,
        Err(e) => return audit_outcome(&state, None, ACTION, Err(e)).await,
    };
    if let Err(e) = writable(&state, &request).and_then(|()| request.scoping.ready_to_submit().map_err(ApiError::from))
    {
        return audit_outcome(&state, Some(&request), ACTION, Err(e)).await;
    }
    match submit(&state, &request).await {
        Ok(_) => Ok((
            StatusCode::CREATED,
            Json(json!({"status": "submitted", "case_reference": request.case_reference, "agency": request.agency, "submitted_on": state.clock.today()})),
        )
            .into_response()),
        Err(e) => audit_outcome(&state, Some(&request), ACTION, Err(ApiError::from(e))).await,
    }
}

/// Records the return as received, as the link's own actor; shared by the API route
/// and the return page.
pub(crate) async fn submit(
    state: &AppState,
    request: &store::ReturnRequest,
) -> Result<store::CaseRecord, store::AppendError> {
    let link_user = User {
        id: 0,
        email: actor(request),
        name: format!("Return link for {}", request.agency_name),
        role: Role::AgencyContact,
        partner: None,
        agency: Some(request.agency.clone()),
        disabled: false,
        two_factor: false,
    };
    let settings = state.settings();
    let ctx = WriteContext {
        today: state.clock.today(),
        at: state.clock.now(),
        calendar: &settings.calendar,
        rules: &settings.rules,
        actor: &link_user,
        action: ACTION,
    };
    state.store.submit_return(request, ctx).await
}
