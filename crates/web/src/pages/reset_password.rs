//! Password reset links: an administrator makes one for a user (single use, 24 hours);
//! opening it lets the user choose a new password, which ends every session of theirs.
//! An unknown, used or expired link gets one page that says so.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::PageError;
use super::credentials::{CredentialField, CredentialsPage};
use super::forms::body::FormData;
use crate::service::types::{AuditEntry, NewPassword};
use crate::state::AppState;

fn form_page(token: &str) -> CredentialsPage {
    CredentialsPage::new(
        "Choose a new password",
        &format!("/reset-password/{token}"),
        // The link's token is the credential here, as on the return pages.
        "",
        "Set the password",
        vec![
            CredentialField::password(
                "new",
                "New password",
                "At least 10 characters. A few unrelated words make a strong password that is easy to remember.",
                "new-password",
            ),
            CredentialField::password("confirm", "Confirm the new password", "", "new-password"),
        ],
    )
}

fn link_not_working() -> PageError {
    PageError::not_found(
        None,
        "This link does not work",
        "Password reset links work once, for 24 hours. Ask your administrator for a new one.",
    )
}

/// `GET /reset-password/{token}`
pub async fn form(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, PageError> {
    match crate::service::me::reset_token_user(&state, &token, state.clock.now()).await? {
        Some(_) => Ok(form_page(&token).into_response()),
        None => Err(link_not_working()),
    }
}

/// `POST /reset-password/{token}`
pub async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let Some(user) = crate::service::me::reset_token_user(&state, &token, state.clock.now()).await? else {
        return Err(link_not_working());
    };
    let data = FormData::parse(&body);
    let checked = if data.raw("new") != data.raw("confirm") {
        Err((
            "confirm",
            "The passwords do not match: enter the same password twice".to_owned(),
        ))
    } else {
        NewPassword::new("new", data.raw("new"), &[&user.email, &user.name])
            .map_err(|e| ("new", format!("Choose a different password: {}", e.message)))
    };
    let new = match checked {
        Ok(new) => new,
        Err((field, message)) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&token).error(field, message),
            )
                .into_response());
        }
    };
    let entry = AuditEntry::about(state.clock.now(), Some(&user.email), "password_reset_used", None, "ok");
    match crate::service::me::use_reset_token(&state, &token, &new, &entry).await? {
        Some(_) => Ok(super::MessagePage {
            nav: None,
            title: "Your password is set".into(),
            message: "Sign in with your new password.".into(),
        }
        .into_response()),
        None => Err(link_not_working()),
    }
}
