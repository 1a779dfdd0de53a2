//! Who is asking. [`resolve_user`] runs once per request: a bearer token, or else the
//! browser session's cookie, becomes the request's [`CurrentUser`] (API handlers ask
//! for it, 401 without one) or, for a page, its [`PageUser`] (sent to sign in without
//! one). A session whose sign-in is half done (the second factor, or setting it up, is
//! still to come) gives no user, only a [`PendingSignIn`] for the pages that finish it.
//!
//! Sessions are a random cookie (HttpOnly, SameSite=Lax, Secure behind https); each
//! carries a form token that the pages' forms (and a browser's API writes, in
//! `X-CSRF-Token`) must send back.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, OptionalFromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use domain::roles::Role;
use store::{SignInStage, User};

use crate::error::ApiError;
use crate::state::AppState;

/// How long a browser session may sit idle before it ends.
pub const IDLE_MINUTES: i64 = 30;
pub const SESSION_COOKIE: &str = "rr_session";

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

/// The form token of the request's browser session.
#[derive(Debug, Clone)]
pub struct SessionCsrf(pub String);

/// The cookie value of the request's browser session (to tell it from the user's
/// other sessions, and to end it).
#[derive(Debug, Clone)]
pub struct SessionCookie(pub String);

/// A browser session whose sign-in is not finished.
#[derive(Debug, Clone)]
pub struct PendingSignIn {
    pub user: User,
    pub csrf: String,
    pub stage: SignInStage,
    pub cookie: String,
}

/// The value of one cookie in a request's `Cookie` header.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// `; Secure` when the service is reached over https.
pub fn secure_flag(state: &AppState) -> &'static str {
    if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    }
}

/// The `Set-Cookie` value that gives a browser its session.
pub fn session_cookie(state: &AppState, value: &str) -> String {
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{}",
        secure_flag(state)
    )
}

/// The stamp of the case a `GET` of `/cases/{id}` or `/api/v1/cases/{id}` reads, read in
/// the same statement as the credentials (see `service::case_read::read`): `None` when
/// there is no such case.
#[derive(Debug, Clone)]
pub struct PrefetchedStamp {
    pub case_id: String,
    pub stamp: Option<store::CaseStamp>,
}

/// The case a request reads whole, if it is one of the two hottest reads.
fn case_read_by(req: &Request) -> Option<String> {
    if req.method() != axum::http::Method::GET {
        return None;
    }
    let path = req.uri().path();
    let rest = path
        .strip_prefix("/api/v1/cases/")
        .or_else(|| path.strip_prefix("/cases/"))?;
    (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_owned())
}

/// Middleware: resolves the bearer token, or else the browser session, into its user.
pub async fn resolve_user(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let reads = case_read_by(&req);
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if header.is_none()
        && let Some(value) = cookie(req.headers(), SESSION_COOKIE).map(str::to_owned)
    {
        let idle = chrono::Duration::minutes(IDLE_MINUTES);
        match state
            .store
            .session_reading(&value, state.clock.now(), idle, reads.as_deref())
            .await
        {
            Ok(Some(session)) if session.stage == SignInStage::Done => {
                // A browser changing data through the API must prove it is our page.
                let unsafe_method = !matches!(req.method().as_str(), "GET" | "HEAD" | "OPTIONS");
                let sent = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok());
                if unsafe_method && req.uri().path().starts_with("/api/") && sent != Some(session.csrf.as_str()) {
                    return ApiError::Forbidden("send the page's form token in the X-CSRF-Token header".into())
                        .into_response();
                }
                if let Some(case_id) = reads.clone() {
                    req.extensions_mut().insert(PrefetchedStamp {
                        case_id,
                        stamp: session.case_stamp,
                    });
                }
                req.extensions_mut().insert(CurrentUser(session.user));
                req.extensions_mut().insert(SessionCsrf(session.csrf));
                req.extensions_mut().insert(SessionCookie(value));
            }
            Ok(Some(session)) => {
                req.extensions_mut().insert(PendingSignIn {
                    user: session.user,
                    csrf: session.csrf,
                    stage: session.stage,
                    cookie: value,
                });
            }
            Ok(None) => {}
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
    if let Some(header) = header {
        let Some(token) = header.strip_prefix("Bearer ").map(str::trim) else {
            return ApiError::Unauthenticated.into_response();
        };
        match state
            .store
            .user_for_token_reading(token, state.clock.now(), reads.as_deref())
            .await
        {
            Ok(Some((user, stamp))) => {
                if let Some(case_id) = reads {
                    req.extensions_mut().insert(PrefetchedStamp { case_id, stamp });
                }
                req.extensions_mut().insert(CurrentUser(user));
            }
            Ok(None) => return ApiError::Unauthenticated.into_response(),
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
    next.run(req).await
}

/// The client's address: the peer, or, when the peer is a trusted proxy, the last
/// address it put in `X-Forwarded-For`. "unknown" when neither is known (in-process
/// tests).
pub fn client_address(state: &AppState, parts: &Parts) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let forwarded = || -> Option<IpAddr> {
        parts
            .headers
            .get("x-forwarded-for")?
            .to_str()
            .ok()?
            .rsplit(',')
            .next()?
            .trim()
            .parse()
            .ok()
    };
    match peer {
        Some(ip) if state.trusted_proxies.contains(&ip) => forwarded().unwrap_or(ip).to_string(),
        Some(ip) => ip.to_string(),
        None => "unknown".into(),
    }
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

impl<S: Send + Sync> OptionalFromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<CurrentUser>().cloned())
    }
}

/// A user with a case role: everyone but agency contacts, viewers and administrators.
#[derive(Debug, Clone)]
pub struct CaseUser(pub User);

impl<S: Send + Sync> FromRequestParts<S> for CaseUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let CurrentUser(user) = <CurrentUser as FromRequestParts<S>>::from_request_parts(parts, state).await?;
        match user.role {
            role if role.may_see_cases() => Ok(CaseUser(user)),
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

/// The signed-in user of a page, the token its forms carry, and the session's cookie.
/// Without a session the visitor is sent to sign in; with a half-finished sign-in, to
/// finish it.
#[derive(Debug, Clone)]
pub struct PageUser {
    pub user: User,
    pub csrf: String,
    pub cookie: String,
}

impl<S: Send + Sync> FromRequestParts<S> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ext = &parts.extensions;
        match (
            ext.get::<CurrentUser>(),
            ext.get::<SessionCsrf>(),
            ext.get::<SessionCookie>(),
        ) {
            (Some(CurrentUser(user)), Some(SessionCsrf(csrf)), Some(SessionCookie(cookie))) => Ok(PageUser {
                user: user.clone(),
                csrf: csrf.clone(),
                cookie: cookie.clone(),
            }),
            _ => Err(match ext.get::<PendingSignIn>().map(|p| p.stage) {
                Some(SignInStage::Password) => Redirect::to("/sign-in/two-factor").into_response(),
                Some(SignInStage::SetUp) => Redirect::to("/account/two-factor").into_response(),
                _ => Redirect::to("/sign-in").into_response(),
            }),
        }
    }
}
