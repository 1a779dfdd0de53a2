//! `POST /account-reviews/{id}/acknowledge`: the Partnership Manager has checked an
//! account that can see cases, created or enabled by an administrator, and it leaves
//! her dashboard. Audited. Only the Partnership Manager.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::roles::Role;
use store::AuditEntry;

use super::signed_form::SignedForm;
use super::{Nav, PageError};
use crate::state::AppState;

/// One account change waiting on the dashboard.
#[derive(Debug, Clone)]
pub struct ReviewLine {
    pub id: i64,
    pub what: String,
}

/// The waiting account changes, in words, for the Partnership Manager; none for anyone
/// else.
pub async fn waiting(state: &AppState, user: &store::User) -> Result<Vec<ReviewLine>, PageError> {
    if user.role != Role::PartnershipManager {
        return Ok(Vec::new());
    }
    Ok(state
        .store
        .pending_account_reviews(user.id)
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
    let nav = Some(Nav::from(&form.user));
    if form.user.user.role != Role::PartnershipManager {
        return Err(PageError::forbidden(
            nav,
            "You cannot do that",
            "Only the Partnership Manager acknowledges new accounts.",
        ));
    }
    let entry = AuditEntry::about(
        state.clock.now(),
        Some(&form.user.user.email),
        "account_review_acknowledged",
        Some(&format!("review {id}")),
        "ok",
    );
    if !state
        .store
        .acknowledge_account_review(id, form.user.user.id, &entry)
        .await?
    {
        return Err(PageError::not_found(
            nav,
            "Not found",
            "That account change is not waiting for you.",
        ));
    }
    Ok(Redirect::to("/").into_response())
}
