//! Learning themes on the pages: the list (`/reports/themes`, which the Partnership
//! Manager adds to) and the themes a case carries (`POST /cases/{id}/themes`, from the
//! case page, for the Partnership Manager and the Business Unit).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::super::signed_form::SignedForm;
use super::super::{Nav, PageError, PageUser};
use crate::service::Refused;
use crate::service::reports;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "themes.html")]
pub struct ThemesPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub themes: Vec<String>,
    pub may_add: bool,
    pub name: String,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
}

async fn page(state: &AppState, page_user: &PageUser) -> Result<ThemesPage, PageError> {
    let nav = Some(Nav::from(page_user));
    let themes = reports::themes(state, &page_user.user)
        .await
        .map_err(|r| PageError::from(r).with_nav(nav.clone()))?;
    Ok(ThemesPage {
        nav,
        csrf: page_user.csrf.clone(),
        themes,
        may_add: page_user.user.role.may_manage_themes(),
        name: String::new(),
        errors: Vec::new(),
        notice: None,
    })
}

/// `GET /reports/themes`
pub async fn show(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let mut shown = page(&state, &page_user).await?;
    shown.notice = q
        .get("added")
        .map(|name| format!("\u{201c}{name}\u{201d} is on the list."));
    Ok(shown.into_response())
}

/// `POST /reports/themes`
pub async fn add(State(state): State<AppState>, form: SignedForm) -> Result<Response, PageError> {
    let SignedForm { user: page_user, data } = form;
    let name = data.get("name").to_owned();
    match reports::add_theme(&state, &page_user.user, &name).await {
        Ok(()) => {
            let added: String = url_escape(&name);
            Ok(Redirect::to(&format!("/reports/themes?added={added}")).into_response())
        }
        Err(Refused::Invalid(e)) => {
            let mut shown = page(&state, &page_user).await?;
            shown.errors = vec![("name".to_owned(), sentence(&e.message))];
            shown.name = name;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response())
        }
        Err(r) => Err(PageError::from(r).with_nav(Some(Nav::from(&page_user)))),
    }
}

/// `POST /cases/{id}/themes`: the ticked themes replace the case's.
pub async fn set_for_case(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm,
) -> Result<Response, PageError> {
    let SignedForm { user: page_user, data } = form;
    let names: Vec<String> = data.all("themes").into_iter().map(str::to_owned).collect();
    reports::set_case_themes(&state, &page_user.user, &id, &names)
        .await
        .map_err(|r| PageError::from(r).with_nav(Some(Nav::from(&page_user))))?;
    Ok(Redirect::to(&format!("/cases/{id}?themes=saved#themes")).into_response())
}

fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// Percent-encodes a value for a query string.
fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
