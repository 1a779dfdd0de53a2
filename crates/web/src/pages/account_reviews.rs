//! `POST /account-reviews/{id}/acknowledge`: the Partnership Manager has checked an
//! account that can see cases, created or enabled by an administrator or at the
//! command line, and it leaves her dashboard (`service::accounts`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::signed_form::SignedForm;
use super::{Nav, PageError};
use crate::state::AppState;

/// One account change waiting on the dashboard.
#[derive(Debug, Clone)]
pub struct ReviewLine {
    pub id: i64,
    pub what: String,
}

/// The waiting account changes, in words, for `user` (the Partnership Manager).
pub async fn waiting(state: &AppState, user: &crate::service::types::User) -> Result<Vec<ReviewLine>, PageError> {
    Ok(crate::service::accounts::reviews_waiting(state, user)
        .await?
        .into_iter()
        .map(|r| ReviewLine {
            id: r.id,
            what: format!(
                "{} ({}), {}: {} by {} on {}",
                r.name,
                r.email,
                r.role.label(),
                r.change,
                r.by,
                domain::dates::long(r.at.date_naive())
            ),
        })
        .collect())
}

pub async fn acknowledge(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: SignedForm,
) -> Result<Response, PageError> {
    crate::service::accounts::acknowledge_review(&state, &form.user.user, id)
        .await
        .map_err(|refused| PageError::from(refused).with_nav(Some(Nav::from(&form.user))))?;
    Ok(Redirect::to("/").into_response())
}
