//! The Business Unit's view of a case's agency requests: status of each return and its
//! link, reissuing or withdrawing a link, and going ahead without a late return.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::audit::AuditedInTransaction;
use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::service::types::User;
use crate::service::{self, requests::LinkAction};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/cases/{id}/requests", tag = "returns",
    params(("id" = String, Path, description = "The case id")),
    responses((status = 200, description = "{\"requests\": [...]}: each agency's return status (requested, opened, draft, submitted, overdue, withdrawn, proceeded_without) and, for the Business Unit, its link", body = Object),
              (status = 404, description = "No such case")))]
pub async fn list_requests(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    service::cases::load(&state, &user, &id).await?;
    let today = state.clock.today();
    let lines = service::requests::lines(&state, &id, &user).await?;
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

/// Does `action` to a request's link and answers with what changed; the audit row was
/// written with the change.
async fn manage(
    state: &AppState,
    user: &User,
    (id, agency): (String, String),
    action: LinkAction,
    route: &str,
) -> Result<Response, ApiError> {
    let managed = service::requests::manage(state, user, &id, &agency, action, route).await?;
    let agency = managed.request.agency;
    let body = match (action, managed.new_link) {
        (LinkAction::Reissue, Some((link, expires_on))) => {
            json!({"agency": agency, "return_link": link, "expires_on": expires_on})
        }
        (LinkAction::Revoke, _) => json!({"agency": agency, "revoked": true}),
        _ => json!({"agency": agency, "proceed_without": true}),
    };
    let mut response = (StatusCode::OK, Json(body)).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    Ok(response)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/requests/{agency}/reissue", tag = "returns",
    params(("id" = String, Path, description = "The case id"), ("agency" = String, Path, description = "The agency slug")),
    responses((status = 200, description = "{\"return_link\": URL}: the new link; the old one no longer opens", body = Object),
              (status = 403, description = "Not the Business Unit or Partnership Manager"), (status = 404, description = "No such case or request"),
              (status = 409, description = "The return was already submitted")))]
pub async fn reissue(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let route = "POST /api/v1/cases/{id}/requests/{agency}/reissue";
    manage(&state, &user, path, LinkAction::Reissue, route).await
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/requests/{agency}/revoke", tag = "returns",
    params(("id" = String, Path, description = "The case id"), ("agency" = String, Path, description = "The agency slug")),
    responses((status = 200, description = "The link no longer opens; reissue to send a new one", body = Object),
              (status = 403, description = "Not the Business Unit or Partnership Manager"), (status = 404, description = "No such case or request")))]
pub async fn revoke(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let route = "POST /api/v1/cases/{id}/requests/{agency}/revoke";
    manage(&state, &user, path, LinkAction::Revoke, route).await
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/requests/{agency}/proceed-without", tag = "returns",
    params(("id" = String, Path, description = "The case id"), ("agency" = String, Path, description = "The agency slug")),
    responses((status = 200, description = "Recorded: the papers pack may be built without this return", body = Object),
              (status = 403, description = "Not the Business Unit or Partnership Manager"), (status = 404, description = "No such case or request"),
              (status = 409, description = "The return was already submitted")))]
pub async fn proceed_without(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let route = "POST /api/v1/cases/{id}/requests/{agency}/proceed-without";
    manage(&state, &user, path, LinkAction::ProceedWithout, route).await
}
