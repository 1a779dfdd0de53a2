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

/// Middleware: resolves the bearer token, or else the browser session, into its user.
pub async fn resolve_user(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if header.is_none()
        && let Some(value) = crate::pages::cookie(req.headers(), crate::pages::SESSION_COOKIE).map(str::to_owned)
    {
        let idle = chrono::Duration::minutes(crate::pages::IDLE_MINUTES);
        match state.store.session(&value, state.clock.now(), idle).await {
            Ok(Some(session)) => {
                // A browser changing data through the API must prove it is our page.
                let unsafe_method = !matches!(req.method().as_str(), "GET" | "HEAD" | "OPTIONS");
                let sent = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok());
                if unsafe_method && req.uri().path().starts_with("/api/") && sent != Some(session.csrf.as_str()) {
                    return ApiError::Forbidden("send the page's form token in the X-CSRF-Token header".into())
                        .into_response();
                }
                req.extensions_mut().insert(CurrentUser(session.user));
                req.extensions_mut().insert(crate::pages::SessionCsrf(session.csrf));
            }
            Ok(None) => {}
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
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
