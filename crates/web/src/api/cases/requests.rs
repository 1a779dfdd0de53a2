//! The Business Unit's view of a case's agency requests: status of each return and its
//! link, reissuing or withdrawing a link, and going ahead without a late return.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::returns::LINK_EXPIRY_WORKING_DAYS;
use domain::roles::Role;
use serde_json::{Value, json};
use store::{AuditEntry, ReturnRequest, User};

use super::request_lines;
use crate::audit::AuditedInTransaction;
use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/cases/{id}/requests", tag = "returns",
    params(("id" = String, Path, description = "The case id")),
    responses((status = 200, description = "{\"requests\": [...]}: each agency's return status (requested, opened, draft, submitted, overdue) and, for the Business Unit, its link", body = Object),
              (status = 404, description = "No such case")))]
pub async fn list_requests(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    state.store.case(&id).await?.ok_or_else(ApiError::case_not_found)?;
    let today = state.clock.today();
    let lines = request_lines(&state, &id, &user).await?;
    let requests: Vec<Value> = lines
        .iter()
        .map(|l| {
            let r = &l.request;
            let mut v = json!({
                "id": r.id, "agency": r.agency, "agency_name": r.agency_name, "sent_on": r.sent_on, "due": r.due,
                "expires_on": r.expires_on, "status": r.state().status(today), "entries": r.entries,
                "submitted_on": r.submitted_on, "read_only_reason": r.state().read_only_because(today),
                "proceed_without": r.proceed_without,
            });
            if let Some(link) = &l.link {
                v["return_link"] = json!(link);
            }
            v
        })
        .collect();
    Ok(Json(json!({ "requests": requests })))
}

/// The request of `agency` on case `id`, for the Business Unit or Partnership Manager.
async fn managed_request(state: &AppState, user: &User, id: &str, agency: &str) -> Result<ReturnRequest, ApiError> {
    if !matches!(user.role, Role::BusinessUnit | Role::PartnershipManager) {
        return Err(ApiError::Forbidden(
            "only the Business Unit or the Partnership Manager manages return links".into(),
        ));
    }
    state.store.case(id).await?.ok_or_else(ApiError::case_not_found)?;
    state
        .store
        .requests_for_case(id)
        .await?
        .into_iter()
        .find(|r| r.agency.as_str() == agency)
        .ok_or_else(|| ApiError::NotFound(format!("no request to {agency} on this case")))
}

fn entry(state: &AppState, user: &User, case_id: &str, action: &str) -> AuditEntry {
    AuditEntry {
        at: state.clock.now(),
        actor: Some(user.email.clone()),
        action: action.into(),
        subject: None,
        case_id: Some(case_id.into()),
        outcome: "200".into(),
    }
}

fn audited(body: Value) -> Response {
    let mut response = (StatusCode::OK, Json(body)).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    response
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/requests/{agency}/reissue", tag = "returns",
    params(("id" = String, Path, description = "The case id"), ("agency" = String, Path, description = "The agency slug")),
    responses((status = 200, description = "{\"return_link\": URL}: the new link; the old one no longer opens", body = Object),
              (status = 403, description = "Not the Business Unit or Partnership Manager"), (status = 404, description = "No such case or request"),
              (status = 409, description = "The return was already submitted")))]
pub async fn reissue(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path((id, agency)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let request = managed_request(&state, &user, &id, &agency).await?;
    if request.submitted_on.is_some() {
        return Err(ApiError::NotAllowedNow(
            "this return was already submitted; there is nothing left to send".into(),
        ));
    }
    let today = state.clock.today();
    let expires = state
        .settings()
        .calendar
        .add_working_days(today, LINK_EXPIRY_WORKING_DAYS);
    let action = "POST /api/v1/cases/{id}/requests/{agency}/reissue";
    let token = state
        .store
        .reissue_link(&request, expires, &entry(&state, &user, &id, action))
        .await?;
    Ok(audited(
        json!({"agency": request.agency, "return_link": state.return_link(&token), "expires_on": expires.max(request.expires_on)}),
    ))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/requests/{agency}/revoke", tag = "returns",
    params(("id" = String, Path, description = "The case id"), ("agency" = String, Path, description = "The agency slug")),
    responses((status = 200, description = "The link no longer opens; reissue to send a new one", body = Object),
              (status = 403, description = "Not the Business Unit or Partnership Manager"), (status = 404, description = "No such case or request")))]
pub async fn revoke(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path((id, agency)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let request = managed_request(&state, &user, &id, &agency).await?;
    let action = "POST /api/v1/cases/{id}/requests/{agency}/revoke";
    state
        .store
        .revoke_link(&request, &entry(&state, &user, &id, action))
        .await?;
    Ok(audited(json!({"agency": request.agency, "revoked": true})))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/requests/{agency}/proceed-without", tag = "returns",
    params(("id" = String, Path, description = "The case id"), ("agency" = String, Path, description = "The agency slug")),
    responses((status = 200, description = "Recorded: the papers pack may be built without this return", body = Object),
              (status = 403, description = "Not the Business Unit or Partnership Manager"), (status = 404, description = "No such case or request"),
              (status = 409, description = "The return was already submitted")))]
pub async fn proceed_without(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path((id, agency)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let request = managed_request(&state, &user, &id, &agency).await?;
    if request.submitted_on.is_some() {
        return Err(ApiError::NotAllowedNow(
            "this return was submitted; the pack includes it".into(),
        ));
    }
    let action = "POST /api/v1/cases/{id}/requests/{agency}/proceed-without";
    state
        .store
        .proceed_without(&request, &entry(&state, &user, &id, action))
        .await?;
    Ok(audited(json!({"agency": request.agency, "proceed_without": true})))
}
