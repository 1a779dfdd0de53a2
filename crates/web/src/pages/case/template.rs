//! The Rapid Review Template's pages: the template section by section with who has
//! signed it off (`GET /cases/{id}/template[?version=N]`), a section's edit form
//! (`GET` and `POST /cases/{id}/template/{section}`; the key practice episodes are
//! picked from the merged chronology), and a partner's sign-off
//! (`POST /cases/{id}/template/sign-off`). All through the same service as the API.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::roles::{Partner, Role};
use domain::template::{MAX_SECTION_CHARS, Section};

use super::super::signed_form::SignedForm;
use super::super::{Nav, PageError, PageUser, long_date};
use crate::audit::AuditedInTransaction;
use crate::service::Refused;
use crate::service::template::{self, TemplateRead};
use crate::state::AppState;

pub struct SectionRow {
    pub key: &'static str,
    pub title: &'static str,
    pub lines: Vec<String>,
    pub drafted: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "template.html")]
pub struct TemplatePage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub case_id: String,
    pub reference: String,
    pub version: u32,
    pub latest: u32,
    pub submitted_version: Option<u32>,
    pub saved: String,
    pub sections: Vec<SectionRow>,
    /// (partner, who signed and when, or "Not signed off yet").
    pub sign_offs: Vec<(&'static str, String)>,
    pub can_edit: bool,
    /// The partner the user signs for, when they may sign this version now.
    pub can_sign: Option<&'static str>,
    pub versions: Vec<(u32, String)>,
    pub notice: Option<&'static str>,
}

#[derive(Template, WebTemplate)]
#[template(path = "template_section.html")]
pub struct SectionPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub case_id: String,
    pub reference: String,
    pub key: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
    pub text: String,
    pub version: u32,
    /// For the key practice episodes: the merged chronology, one line per entry.
    pub episodes: Vec<String>,
    pub errors: Vec<(String, String)>,
}

fn section_of(key: &str, nav: Option<Nav>) -> Result<Section, PageError> {
    Section::parse(key).ok_or_else(|| {
        PageError::not_found(
            nav,
            "No such section",
            "The Rapid Review Template has no section of that name.",
        )
    })
}

/// `GET /cases/{id}/template[?version=N]`
pub async fn show(
    State(state): State<AppState>,
    page_user: PageUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    super::may_see_cases(&page_user)?;
    let version = query
        .get("version")
        .and_then(|v| v.parse::<u32>().ok())
        .filter(|v| *v > 0);
    let read = template::read(&state, &page_user.user, &id, version)
        .await
        .map_err(|r| super::refused(&page_user, r))?;
    let notice = match query.get("done").map(String::as_str) {
        Some("saved") => Some("The section is saved as a new version. Earlier sign-offs no longer apply to it."),
        Some("signed") => Some("Your sign-off is recorded against this version."),
        _ => None,
    };
    Ok(page(&read, &page_user, notice).into_response())
}

fn page(read: &TemplateRead, page_user: &PageUser, notice: Option<&'static str>) -> TemplatePage {
    let user = &page_user.user;
    let current = read.version() == read.latest_version();
    let signed = read.signed();
    let can_sign = match (user.role, user.partner) {
        (Role::PartnerRep, Some(p)) if current && read.version() > 0 && !read.frozen() && !signed.contains(&p) => {
            Some(p.label())
        }
        _ => None,
    };
    let sign_offs = Partner::ALL
        .iter()
        .map(|p| {
            let status = read
                .saved
                .iter()
                .flat_map(|s| &s.sign_offs)
                .find(|o| o.partner == *p)
                .map_or_else(
                    || "Not signed off yet".to_owned(),
                    |o| format!("Signed off by {} on {}", o.by, long_date(o.at.date_naive())),
                );
            (p.label(), status)
        })
        .collect();
    TemplatePage {
        nav: Some(Nav::from(page_user)),
        csrf: page_user.csrf.clone(),
        case_id: read.record.id.clone(),
        reference: read.record.reference.clone(),
        version: read.version(),
        latest: read.latest_version(),
        submitted_version: read.submitted_version,
        saved: read
            .saved
            .as_ref()
            .map(|s| format!("Saved by {} on {}", s.saved_by, long_date(s.saved_at.date_naive())))
            .unwrap_or_default(),
        sections: Section::ALL
            .iter()
            .map(|s| SectionRow {
                key: s.as_str(),
                title: s.label(),
                lines: read.sections.text(*s).lines().map(str::to_owned).collect(),
                drafted: s.drafted_from_case(),
            })
            .collect(),
        sign_offs,
        can_edit: user.role.may_write_template() && current && !read.frozen(),
        can_sign,
        versions: read
            .versions
            .iter()
            .map(|v| {
                (
                    v.version,
                    format!("saved by {} on {}", v.saved_by, long_date(v.saved_at.date_naive())),
                )
            })
            .collect(),
        notice,
    }
}

/// `GET /cases/{id}/template/{section}`
pub async fn edit(
    State(state): State<AppState>,
    page_user: PageUser,
    Path((id, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    super::may_see_cases(&page_user)?;
    let section = section_of(&key, Some(Nav::from(&page_user)))?;
    let read = template::read(&state, &page_user.user, &id, None)
        .await
        .map_err(|r| super::refused(&page_user, r))?;
    let text = read.sections.text(section).to_owned();
    Ok(section_page(&state, &page_user, &read, section, text, Vec::new())
        .await?
        .into_response())
}

async fn section_page(
    state: &AppState,
    page_user: &PageUser,
    read: &TemplateRead,
    section: Section,
    text: String,
    errors: Vec<(String, String)>,
) -> Result<SectionPage, PageError> {
    let episodes = if section == Section::KeyPracticeEpisodes {
        episodes(state, page_user, &read.record.id).await?
    } else {
        Vec::new()
    };
    Ok(SectionPage {
        nav: Some(Nav::from(page_user)),
        csrf: page_user.csrf.clone(),
        case_id: read.record.id.clone(),
        reference: read.record.reference.clone(),
        key: section.as_str(),
        title: section.label(),
        hint: section.hint(),
        text,
        version: read.latest_version(),
        episodes,
        errors,
    })
}

/// The merged chronology, one line per entry, as an episode is written in the template.
async fn episodes(state: &AppState, page_user: &PageUser, id: &str) -> Result<Vec<String>, PageError> {
    let merged = crate::service::chronology::merged(state, &page_user.user, id, &Default::default())
        .await
        .map_err(|r| super::refused(page_user, r))?;
    let names = crate::service::agencies::names(state).await?;
    Ok(merged
        .entries
        .iter()
        .map(|(agency, e)| {
            format!(
                "{}, {}: {}",
                long_date(e.date),
                crate::service::agencies::name_of(&names, agency.as_str()),
                e.what_happened
            )
        })
        .collect())
}

/// `POST /cases/{id}/template/{section}`
pub async fn save(
    State(state): State<AppState>,
    Path((id, key)): Path<(String, String)>,
    form: SignedForm,
) -> Result<Response, PageError> {
    let page_user = &form.user;
    let section = section_of(&key, Some(Nav::from(page_user)))?;
    let mut text = form.data.get("text").trim().to_owned();
    if section == Section::KeyPracticeEpisodes {
        let all = episodes(&state, page_user, &id).await?;
        for picked in form.data.all("episode") {
            if let Some(line) = picked.parse::<usize>().ok().and_then(|i| all.get(i))
                && !text.contains(line.as_str())
            {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(line);
            }
        }
    }
    let expected = form.data.get("version").parse::<u32>().ok();
    let changes = match domain::template::parse_sections(&serde_json::json!({ section.as_str(): text })) {
        Ok(changes) => changes,
        Err(_) => {
            let read = template::read(&state, &page_user.user, &id, None)
                .await
                .map_err(|r| super::refused(page_user, r))?;
            let message =
                format!("The section must be {MAX_SECTION_CHARS} characters or fewer, with no control characters");
            let page = section_page(&state, page_user, &read, section, text, vec![("text".into(), message)]).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    template::save(&state, &page_user.user, &id, expected, changes, "POST /cases/{id}/template/{section}")
        .await
        .map_err(|r| match r {
            Refused::VersionConflict(_) => PageError::conflict(
                Some(Nav::from(page_user)),
                "Someone else saved the template first",
                "Your text was not saved, so that it does not overwrite theirs. Open the section again to see their version, then make your change.",
            ),
            other => super::refused(page_user, other),
        })?;
    let mut response = Redirect::to(&format!("/cases/{id}/template?done=saved#{}", section.as_str())).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    Ok(response)
}

/// `POST /cases/{id}/template/sign-off`
pub async fn sign_off(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm,
) -> Result<Response, PageError> {
    let page_user = &form.user;
    let version = form.data.get("version").parse::<u32>().ok();
    template::sign_off(
        &state,
        &page_user.user,
        &id,
        version,
        "POST /cases/{id}/template/sign-off",
    )
    .await
    .map_err(|r| super::refused(page_user, r))?;
    let mut response = Redirect::to(&format!("/cases/{id}/template?done=signed#sign-off")).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    Ok(response)
}
