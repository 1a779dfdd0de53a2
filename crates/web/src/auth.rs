//! Who is asking. A bearer token is resolved once per request by [`resolve_user`] and
//! kept in the request's extensions; handlers ask for [`CurrentUser`] (401 without one)
//! or check the role they need.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::roles::Role;
use store::User;

use crate::error::ApiError;
use crate::state::AppState;

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

/// Middleware: resolves the bearer token, if any, into the user it belongs to.
pub async fn resolve_user(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(header) = header {
        let Some(token) = header.strip_prefix("Bearer ").map(str::trim) else {
            return ApiError::Unauthenticated.into_response();
        };
        match state.store.user_for_token(token).await {
            Ok(Some(user)) => {
                req.extensions_mut().insert(CurrentUser(user));
            }
            Ok(None) => return ApiError::Unauthenticated.into_response(),
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
    next.run(req).await
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(ApiError::Unauthenticated)
    }
}

/// A user with a case role: everyone but agency contacts, viewers and administrators.
#[derive(Debug, Clone)]
pub struct CaseUser(pub User);

impl<S: Send + Sync> FromRequestParts<S> for CaseUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        match user.role {
            role if role.is_case_role() => Ok(CaseUser(user)),
            // Saying "forbidden" to an agency contact about a case would confirm it exists.
            Role::AgencyContact if !parts.uri.path().trim_end_matches('/').ends_with("/cases") => {
                Err(ApiError::case_not_found())
            }
            role => Err(ApiError::Forbidden(format!(
                "the {} role has no access to cases",
                role.as_str()
            ))),
        }
    }
}
