//! Administering accounts: users and roles (adding, disabling and enabling, and making
//! a single-use password link), and API tokens (listing and revoking). Administrators
//! only. Every change is audited with the administrator and the user it was about.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::admin::{allowed, audited, field};
use super::forms::body::FormData;
use super::forms::spec::{Field, Input, Options};
use super::forms::{Choices, FieldView, field_error, problems, views};
use super::signed_form::SignedForm;
use super::{Nav, PageError, PageUser};
use crate::service::types::{NewUser, User};
use crate::state::AppState;

const USER_FIELDS: [Field; 5] = [
    field("email", "Email address", Input::Text, false).says("Enter the email address"),
    field("name", "Name", Input::Text, false).says("Enter the person's name"),
    field("role", "Role", Input::Radios(Options::Role), false).says("Select the role"),
    field(
        "partner",
        "Partner (for a partner representative)",
        Input::Radios(Options::Partner),
        true,
    ),
    field("agency", "Agency (for an agency contact)", Input::Agency, true),
];

pub struct UserLine {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub with: String,
    pub two_factor: bool,
    pub disabled: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
pub struct UsersPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub own_id: i64,
    pub users: Vec<UserLine>,
    pub fields: Vec<FieldView>,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
}

async fn users_page(
    state: &AppState,
    page_user: &PageUser,
    data: &FormData,
    errors: Vec<(String, String)>,
) -> Result<UsersPage, PageError> {
    let users = crate::service::administration::list_users(state)
        .await?
        .into_iter()
        .map(|u| UserLine {
            with: u
                .partner
                .map(|p| p.label().to_owned())
                .or(u.agency.as_ref().map(ToString::to_string))
                .unwrap_or_default(),
            id: u.id,
            name: u.name,
            email: u.email,
            role: u.role.label().to_owned(),
            two_factor: u.two_factor,
            disabled: u.disabled,
        })
        .collect();
    let choices = Choices {
        agencies: crate::service::administration::list_agencies(state)
            .await?
            .into_iter()
            .map(|a| (a.slug.to_string(), a.name))
            .collect(),
        outstanding: Vec::new(),
        owed: Vec::new(),
    };
    Ok(UsersPage {
        nav: Some(Nav::from(page_user)),
        csrf: page_user.csrf.clone(),
        own_id: page_user.user.id,
        users,
        fields: views(&USER_FIELDS, data, &errors, &choices),
        errors,
        notice: None,
    })
}

/// `GET /admin/users`
pub async fn users(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    allowed(&page_user, false)?;
    let mut page = users_page(&state, &page_user, &FormData::default(), Vec::new()).await?;
    page.notice = q.get("done").map(|d| {
        match d.as_str() {
            "disable" => "The user is disabled: every session and API token of theirs has ended.",
            "enable" => "The user is enabled again. They sign in with their password; their old tokens stay revoked. An account that can see cases is shown to the Partnership Manager to check.",
            _ => "The user is added. They are emailed a link to choose their password; an account that can see cases is shown to the Partnership Manager to check.",
        }
        .to_owned()
    });
    Ok(page.into_response())
}

/// `POST /admin/users`
pub async fn add_user(State(state): State<AppState>, form: SignedForm) -> Result<Response, PageError> {
    let SignedForm { user: page_user, data } = form;
    allowed(&page_user, false)?;
    let found = problems(&USER_FIELDS, &data, false);
    if !found.is_empty() {
        let page = users_page(&state, &page_user, &data, found).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let some = |name: &str| Some(data.get(name)).filter(|v| !v.is_empty());
    // An administrator never chooses another user's password: the new user is
    // emailed a link to choose their own (see store `account_reviews`).
    let added = match NewUser::new(
        data.get("email"),
        data.get("name"),
        data.get("role"),
        some("partner"),
        some("agency"),
        None,
    ) {
        Ok(new) => crate::service::administration::add_user_by_administrator(
            &state,
            &new,
            &audited(&state, &page_user, "user_added", None),
        )
        .await
        .map_err(crate::error::ApiError::from),
        Err(e) => Err(crate::error::ApiError::Invalid(e)),
    };
    match added {
        Ok(_) => Ok(Redirect::to("/admin/users?done=1").into_response()),
        Err(crate::error::ApiError::Invalid(e)) => {
            let errors = vec![field_error(&USER_FIELDS, &e)];
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                users_page(&state, &page_user, &data, errors).await?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The user an action names, for an administrator.
async fn subject(state: &AppState, form: &SignedForm, id: i64) -> Result<User, PageError> {
    allowed(&form.user, false)?;
    crate::service::administration::user_by_id(state, id)
        .await?
        .ok_or_else(|| PageError::not_found(Some(Nav::from(&form.user)), "User not found", "There is no such user."))
}

/// `POST /admin/users/{id}/{disable|enable}`
pub async fn set_disabled(
    State(state): State<AppState>,
    Path((id, action)): Path<(i64, String)>,
    form: SignedForm,
) -> Result<Response, PageError> {
    let user = subject(&state, &form, id).await?;
    let disable = match action.as_str() {
        "disable" => true,
        "enable" => false,
        _ => return Err(PageError::no_such_page(Some(Nav::from(&form.user)))),
    };
    if user.id == form.user.user.id {
        return Err(PageError::conflict(
            Some(Nav::from(&form.user)),
            "You cannot disable yourself",
            "Ask another administrator.",
        ));
    }
    let action_name = if disable { "user_disabled" } else { "user_enabled" };
    let entry = audited(&state, &form.user, action_name, Some(&user.email));
    crate::service::accounts::set_disabled(&state, user.id, disable, &entry).await?;
    Ok(Redirect::to(&format!("/admin/users?done={action}")).into_response())
}

/// `POST /admin/users/{id}/reset-password`: the user is emailed a single-use link to
/// choose a new password. The administrator never sees it: a link shown to them would
/// let them sign in as the user.
pub async fn reset_password(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: SignedForm,
) -> Result<Response, PageError> {
    let user = subject(&state, &form, id).await?;
    let entry = audited(&state, &form.user, "password_link_queued", Some(&user.email));
    crate::service::accounts::send_password_link(&state, &user, &entry).await?;
    let mut page = users_page(&state, &form.user, &FormData::default(), Vec::new()).await?;
    page.notice = Some(format!(
        "{} is emailed a link to choose a new password, at {}. It works once, for 24 hours.",
        user.name, user.email
    ));
    Ok(page.into_response())
}

pub struct TokenLine {
    pub id: i64,
    pub email: String,
    pub label: String,
    pub issued: String,
    pub expires: String,
    pub status: String,
    pub live: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_tokens.html")]
pub struct TokensPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub tokens: Vec<TokenLine>,
    pub notice: Option<String>,
}

/// `GET /admin/tokens`
pub async fn tokens(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    allowed(&page_user, false)?;
    let now = state.clock.now();
    let day = |t: chrono::DateTime<chrono::Utc>| t.format("%-d %B %Y").to_string();
    let tokens = crate::service::administration::list_tokens(&state, None)
        .await?
        .into_iter()
        .map(|t| TokenLine {
            live: t.live(now),
            status: if t.revoked {
                "Revoked"
            } else if t.live(now) {
                "Active"
            } else {
                "Expired"
            }
            .into(),
            id: t.id,
            email: t.email,
            label: t.label,
            issued: day(t.created_at),
            expires: t.expires_at.map_or_else(|| "Never".into(), day),
        })
        .collect();
    Ok(TokensPage {
        nav: Some(Nav::from(&page_user)),
        csrf: page_user.csrf.clone(),
        tokens,
        notice: q.contains_key("done").then(|| "The token is revoked.".to_owned()),
    }
    .into_response())
}

/// `POST /admin/tokens/{id}/revoke`
pub async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: SignedForm,
) -> Result<Response, PageError> {
    allowed(&form.user, false)?;
    let entry = audited(&state, &form.user, "token_revoked", None);
    if crate::service::administration::revoke_token(&state, id, &entry).await? {
        Ok(Redirect::to("/admin/tokens?done=1").into_response())
    } else {
        Err(PageError::not_found(
            Some(Nav::from(&form.user)),
            "Token not found",
            "There is no live token with that number.",
        ))
    }
}
