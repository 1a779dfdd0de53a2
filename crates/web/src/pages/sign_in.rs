//! Signing in and out. Before a session exists, the sign-in form is protected by a
//! double-submit token (a cookie and a hidden field that must match); the same error
//! is given for an unknown email and a wrong password.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Nav, PageUser, SESSION_COOKIE, cookie};
use crate::error::ApiError;
use crate::pages::PageError;
use crate::state::AppState;

const SIGN_IN_COOKIE: &str = "rr_sign_in";

#[derive(Template, WebTemplate)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    pub nav: Option<Nav>,
    pub error: Option<String>,
    pub email: String,
    pub csrf: String,
}

fn secure_flag(state: &AppState) -> &'static str {
    if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    }
}

fn page(state: &AppState, email: String, error: Option<String>) -> Result<Response, PageError> {
    let token = state.store.fresh_token().map_err(ApiError::from)?;
    let cookie = format!(
        "{SIGN_IN_COOKIE}={token}; Path=/sign-in; HttpOnly; SameSite=Strict{}",
        secure_flag(state)
    );
    let mut response = SignInPage {
        nav: None,
        error,
        email,
        csrf: token,
    }
    .into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

pub async fn form(State(state): State<AppState>) -> Result<Response, PageError> {
    page(&state, String::new(), None)
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    let expected = cookie(&headers, SIGN_IN_COOKIE).unwrap_or_default();
    if expected.is_empty() || expected != form.csrf {
        return page(
            &state,
            form.email,
            Some("Your sign-in form expired: enter your email address and password again".into()),
        );
    }
    if form.email.trim().is_empty() {
        return page(&state, form.email, Some("Enter your email address".into()));
    }
    let Some(user) = state.store.verify_password(&form.email, &form.password).await? else {
        return page(
            &state,
            form.email,
            Some("Enter a correct email address and password".into()),
        );
    };
    let session = state.store.create_session(&user, state.clock.now()).await?;
    let mut response = Redirect::to("/").into_response();
    let set = [
        format!(
            "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax{}",
            session.cookie,
            secure_flag(&state)
        ),
        format!("{SIGN_IN_COOKIE}=; Path=/sign-in; Max-Age=0"),
    ];
    for c in set {
        if let Ok(value) = HeaderValue::from_str(&c) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    tracing::info!(user = user.id, "signed in");
    Ok(response)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn sign_out(
    State(state): State<AppState>,
    page_user: PageUser,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    if form.csrf != page_user.csrf {
        return Err(PageError::form_expired(Some(super::Nav::from(&page_user))));
    }
    if let Some(value) = cookie(&headers, SESSION_COOKIE) {
        state.store.end_session(value).await?;
    }
    let mut response = Redirect::to("/sign-in").into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}
