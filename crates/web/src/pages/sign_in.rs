//! Signing in and out. Before a session exists, the sign-in form is protected by a
//! double-submit token (a cookie and a hidden field that must match). The same error is
//! given for an unknown email and a wrong password, and both take the same time.
//! Guessing is throttled by account and by address (a 429 page says when to try
//! again), and every attempt is audited.
//!
//! A right password starts a session that is not yet signed in when a second factor is
//! due: the user is sent to give their code, or (when two-factor sign-in is required
//! and they have none) to set it up. Signing in again in the same browser ends the
//! session it had.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};

use super::Nav;
use super::forms::body::FormData;
use super::signed_form::SignedForm;
use crate::auth::{SESSION_COOKIE, client_address, cookie, secure_flag, session_cookie};
use crate::pages::PageError;
use crate::service::types::{Attempt, AuditEntry, SignInStage, User};
use crate::state::{AppState, TwoFactor};

const SIGN_IN_COOKIE: &str = "rr_sign_in";

#[derive(Template, WebTemplate)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    pub nav: Option<Nav>,
    pub error: Option<String>,
    pub email: String,
    pub csrf: String,
}

fn page(state: &AppState, status: StatusCode, email: String, error: Option<String>) -> Result<Response, PageError> {
    let token = crate::service::sessions::fresh_token(state)?;
    let cookie = format!(
        "{SIGN_IN_COOKIE}={token}; Path=/sign-in; HttpOnly; SameSite=Strict{}",
        secure_flag(state)
    );
    let mut response = (
        status,
        SignInPage {
            nav: None,
            error,
            email,
            csrf: token,
        },
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

pub async fn form(State(state): State<AppState>) -> Result<Response, PageError> {
    page(&state, StatusCode::OK, String::new(), None)
}

/// The cookie that says this browser has signed in to an account before.
pub const DEVICE_COOKIE: &str = "rr_device";

/// "Try again in 2 minutes": how long until `until`, in words.
pub fn wait_words(until: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (until - now).num_seconds().max(1);
    if seconds < 60 {
        format!("{seconds} second{}", if seconds == 1 { "" } else { "s" })
    } else {
        let minutes = (seconds + 59) / 60;
        format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
    }
}

/// The client's address, for the throttle.
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(state, parts)))
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let form = FormData::parse(&body);
    let email = form.get("email").to_owned();
    let expected = cookie(&headers, SIGN_IN_COOKIE).unwrap_or_default();
    if expected.is_empty() || expected != form.raw("csrf") {
        let expired = "Your sign-in form expired: enter your email address and password again";
        return page(&state, StatusCode::FORBIDDEN, email, Some(expired.into()));
    }
    if email.is_empty() {
        return page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            email,
            Some("Enter your email address".into()),
        );
    }
    let now = state.clock.now();
    let user = match crate::service::sessions::sign_in_with_password(
        &state,
        &email,
        form.raw("password"),
        &address,
        cookie(&headers, DEVICE_COOKIE),
        now,
    )
    .await?
    {
        Attempt::Accepted(user) => user,
        Attempt::Wait(until) => {
            let message = format!(
                "You have tried to sign in too many times. Try again in {}",
                wait_words(until, now)
            );
            return page(&state, StatusCode::TOO_MANY_REQUESTS, email, Some(message));
        }
        _ => {
            let message = "Enter a correct email address and password".to_owned();
            return page(&state, StatusCode::UNAUTHORIZED, email, Some(message));
        }
    };
    let stage = if user.two_factor {
        SignInStage::Password
    } else if state.two_factor == TwoFactor::Required {
        SignInStage::SetUp
    } else {
        SignInStage::Done
    };
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    let replacing = cookie(&headers, SESSION_COOKIE);
    start(&state, &user, stage, user_agent, replacing).await
}

/// Starts a session at `stage` (ending `replacing`) and sends the browser on: to the
/// dashboard, to give its code, or to set up two-factor sign-in.
pub async fn start(
    state: &AppState,
    user: &User,
    stage: SignInStage,
    user_agent: Option<&str>,
    replacing: Option<&str>,
) -> Result<Response, PageError> {
    let session =
        crate::service::sessions::start_session(state, user, stage, user_agent, replacing, state.clock.now()).await?;
    let next = match stage {
        SignInStage::Done => "/",
        SignInStage::Password => "/sign-in/two-factor",
        SignInStage::SetUp => "/account/two-factor",
    };
    let mut response = Redirect::to(next).into_response();
    let mut set = vec![
        session_cookie(state, &session.cookie),
        format!("{SIGN_IN_COOKIE}=; Path=/sign-in; Max-Age=0"),
    ];
    // Signed in in full: this browser is now one the account knows (see store
    // `devices`), and a stranger's failures will not make it wait.
    if stage == SignInStage::Done {
        set.push(format!(
            "{DEVICE_COOKIE}={}; Path=/sign-in; Max-Age={}; HttpOnly; SameSite=Strict{}",
            crate::service::accounts::device_cookie(state, user)?,
            crate::service::types::DEVICE_COOKIE_DAYS * 24 * 3600,
            secure_flag(state)
        ));
    }
    for c in set {
        if let Ok(value) = HeaderValue::from_str(&c) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

/// Signs out: the session ends, and the audit says so.
pub async fn sign_out(State(state): State<AppState>, form: SignedForm) -> Result<Response, PageError> {
    crate::service::sessions::end_session(&state, &form.user.cookie).await?;
    crate::service::sessions::audit(
        &state,
        &AuditEntry::about(state.clock.now(), Some(&form.user.user.email), "sign_out", None, "ok"),
    )
    .await?;
    Ok(signed_out())
}

/// The redirect to the sign-in page that also clears the session cookie.
pub fn signed_out() -> Response {
    let mut response = Redirect::to("/sign-in").into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_is_said_in_seconds_or_whole_minutes() {
        let now = DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(wait_words(now + chrono::Duration::seconds(30), now), "30 seconds");
        assert_eq!(wait_words(now + chrono::Duration::seconds(61), now), "2 minutes");
        assert_eq!(wait_words(now + chrono::Duration::seconds(60), now), "1 minute");
    }
}
