//! The second factor: giving a code at sign-in, and setting up an authenticator app.
//!
//! `/sign-in/two-factor` finishes a sign-in whose password was right: a code from the
//! app, or one of the recovery codes. `/account/two-factor` sets up the app, either
//! during a sign-in that requires it or from the account page; it shows the key as a
//! QR code and as text, takes a first code to prove the app works, and then shows ten
//! recovery codes once. Finishing either step starts a fresh session (a new cookie).

use axum::extract::{FromRequestParts, State};
use axum::http::header::{self, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::credentials::{CredentialField, CredentialsPage};
use super::forms::body::FormData;
use super::sign_in::{ClientAddress, start, wait_words};
use super::{Nav, PageError};
use crate::auth::{CurrentUser, PendingSignIn, SessionCookie, SessionCsrf};
use crate::service::types::{Attempt, AuditEntry, SignInStage, User};
use crate::state::AppState;

/// Whoever may set up two-factor sign-in now: a signed-in user without it, or a
/// sign-in that requires it.
pub struct SettingUp {
    pub user: User,
    pub csrf: String,
    pub cookie: String,
    /// A sign-in waiting for this, rather than a signed-in user.
    pub during_sign_in: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for SettingUp {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ext = &parts.extensions;
        if let Some(p) = ext.get::<PendingSignIn>().filter(|p| p.stage == SignInStage::SetUp) {
            return Ok(SettingUp {
                user: p.user.clone(),
                csrf: p.csrf.clone(),
                cookie: p.cookie.clone(),
                during_sign_in: true,
            });
        }
        match (
            ext.get::<CurrentUser>(),
            ext.get::<SessionCsrf>(),
            ext.get::<SessionCookie>(),
        ) {
            (Some(CurrentUser(user)), Some(SessionCsrf(csrf)), Some(SessionCookie(cookie))) if !user.two_factor => {
                Ok(SettingUp {
                    user: user.clone(),
                    csrf: csrf.clone(),
                    cookie: cookie.clone(),
                    during_sign_in: false,
                })
            }
            (Some(_), ..) => Err(Redirect::to("/account").into_response()),
            _ => Err(Redirect::to("/sign-in").into_response()),
        }
    }
}

fn nav(s: &SettingUp) -> Option<Nav> {
    (!s.during_sign_in).then(|| Nav {
        name: s.user.name.clone(),
        csrf: s.csrf.clone(),
        admin: false,
        reports: false,
    })
}

fn code_page(csrf: &str) -> CredentialsPage {
    CredentialsPage::new(
        "Enter your security code",
        "/sign-in/two-factor",
        csrf,
        "Continue",
        vec![CredentialField::code(
            "Security code",
            "The 6-digit code your authenticator app shows now. If you do not have your phone, enter one of your recovery codes.",
        )],
    )
    .intro(&["Your account is protected by two-factor sign-in."])
}

/// `GET /sign-in/two-factor`
pub async fn code_form(pending: Option<axum::Extension<PendingSignIn>>) -> Response {
    match pending {
        Some(axum::Extension(p)) if p.stage == SignInStage::Password => code_page(&p.csrf).into_response(),
        _ => Redirect::to("/sign-in").into_response(),
    }
}

/// `POST /sign-in/two-factor`
pub async fn code_submit(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    pending: Option<axum::Extension<PendingSignIn>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let Some(axum::Extension(p)) = pending.filter(|p| p.stage == SignInStage::Password) else {
        return Ok(Redirect::to("/sign-in").into_response());
    };
    let form = FormData::parse(&body);
    if form.raw("csrf") != p.csrf {
        return Err(PageError::form_expired(None));
    }
    let given = form.get("code");
    if given.is_empty() {
        let page = code_page(&p.csrf).error("code", "Enter the security code from your authenticator app");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let now = state.clock.now();
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    match crate::service::sessions::sign_in_with_second_factor(
        &state,
        &p.user,
        given,
        &address,
        crate::auth::cookie(&headers, super::sign_in::DEVICE_COOKIE),
        now,
    )
    .await?
    {
        Attempt::Accepted(user) => start(&state, &user, SignInStage::Done, user_agent, Some(&p.cookie)).await,
        Attempt::AcceptedWithRecoveryCode { user, left } => {
            let mut response = start(&state, &user, SignInStage::Done, user_agent, Some(&p.cookie)).await?;
            if let Ok(to) = format!("/account?recovery_codes_left={left}").parse() {
                response.headers_mut().insert(header::LOCATION, to);
            }
            Ok(response)
        }
        Attempt::Wait(until) => {
            let message = format!(
                "You have entered too many wrong codes. Try again in {}",
                wait_words(until, now)
            );
            Ok((StatusCode::TOO_MANY_REQUESTS, code_page(&p.csrf).error("code", message)).into_response())
        }
        Attempt::Wrong => {
            let message = "The security code is not right: enter the code your app shows now, or a recovery code";
            Ok((StatusCode::UNAUTHORIZED, code_page(&p.csrf).error("code", message)).into_response())
        }
    }
}

fn setup_page(s: &SettingUp, key: String) -> CredentialsPage {
    let mut page = CredentialsPage::new(
        "Set up two-factor sign-in",
        "/account/two-factor",
        &s.csrf,
        "Continue",
        vec![CredentialField::code("Security code from the app", "For example, 123456")],
    )
    .intro(&["Rapid Review holds details of children's cases, so you sign in with your password and a code from an app on your phone."]);
    page.key = Some(key);
    page.nav = nav(s);
    page
}

/// `GET /account/two-factor`: the key to scan, made now if none is waiting.
pub async fn setup_form(State(state): State<AppState>, s: SettingUp) -> Result<Response, PageError> {
    let key = match crate::service::me::pending_totp(&state, &s.user).await? {
        Some(key) => key,
        None => crate::service::me::begin_totp_setup(&state, &s.user).await?,
    };
    Ok(setup_page(&s, key.text).into_response())
}

/// `GET /account/two-factor/qr.svg`: the waiting key as a QR code.
pub async fn qr(State(state): State<AppState>, s: SettingUp) -> Result<Response, PageError> {
    let Some(key) = crate::service::me::pending_totp(&state, &s.user).await? else {
        return Err(PageError::no_such_page(nav(&s)));
    };
    let code = qrcode::QrCode::new(key.uri.as_bytes()).map_err(|e| PageError::internal(e.to_string()))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(([(CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// `POST /account/two-factor`: the first code proves the app works; the recovery codes
/// are shown once.
pub async fn setup_submit(
    State(state): State<AppState>,
    s: SettingUp,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let form = FormData::parse(&body);
    if form.raw("csrf") != s.csrf {
        return Err(PageError::form_expired(nav(&s)));
    }
    let Some(key) = crate::service::me::pending_totp(&state, &s.user).await? else {
        return Ok(Redirect::to("/account/two-factor").into_response());
    };
    let given = form.get("code");
    if given.is_empty() {
        let page = setup_page(&s, key.text).error("code", "Enter the 6-digit code from your authenticator app");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let entry = AuditEntry::about(state.clock.now(), Some(&s.user.email), "two_factor_set_up", None, "ok");
    let Some(codes) = crate::service::me::confirm_totp(&state, &s.user, given, &entry).await? else {
        let message = "The code is not right: check the app shows Rapid Review, and enter the code it shows now";
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            setup_page(&s, key.text).error("code", message),
        )
            .into_response());
    };
    let page = super::account::RecoveryCodesPage {
        nav: nav(&s),
        heading: "Two-factor sign-in is set up".into(),
        codes,
        next: if s.during_sign_in {
            "/".into()
        } else {
            "/account".into()
        },
    };
    if !s.during_sign_in {
        return Ok(page.into_response());
    }
    // The sign-in is finished: a fresh session replaces the half-finished one.
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    let mut started = start(&state, &s.user, SignInStage::Done, user_agent, Some(&s.cookie)).await?;
    let mut response = page.into_response();
    for cookie in started.headers_mut().get_all(header::SET_COOKIE) {
        response.headers_mut().append(header::SET_COOKIE, cookie.clone());
    }
    Ok(response)
}
