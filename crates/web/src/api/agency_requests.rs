//! `GET /api/v1/agency-requests`: an agency contact's own agency's requests, across
//! cases, each with its return link. Nothing else of the cases is shown.

use axum::Json;
use axum::extract::State;
use domain::roles::Role;
use serde_json::{Value, json};

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/agency-requests", tag = "returns",
    responses((status = 200, description = "{\"requests\": [...]} for the signed-in agency contact's agency", body = Object),
              (status = 401, description = "No or bad credentials"), (status = 403, description = "Not an agency contact")))]
pub async fn own_agency_requests(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Value>, ApiError> {
    let (Role::AgencyContact, Some(agency)) = (user.role, &user.agency) else {
        return Err(ApiError::Forbidden("this list is for agency contacts".into()));
    };
    let today = state.clock.today();
    let mut requests = Vec::new();
    for r in crate::service::returns::requests_for_agency(&state, agency).await? {
        let link = if r.revoked {
            None
        } else {
            Some(state.return_link(&crate::service::returns::return_token(&state, &r)))
        };
        requests.push(json!({
            "id": r.id, "case_reference": r.case_reference, "agency": r.agency, "sent_on": r.sent_on, "due": r.due,
            "expires_on": r.expires_on, "status": r.state().status(today), "return_link": link,
        }));
    }
    Ok(Json(json!({ "requests": requests })))
}
