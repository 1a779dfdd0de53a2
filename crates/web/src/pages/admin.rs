//! Administration pages: the calendar (each year's holidays with their source, adding
//! an override, importing the gov.uk feed) and agencies (users and tokens are in
//! `admin_accounts`, the deadline rules in `admin_rules`). Administrators only; the
//! Partnership Manager may also change rules.
//! A calendar or rules change is applied at once and every case's snapshot recomputed.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use domain::calendar::{DayKind, Override, parse_gov_uk_feed};
use domain::events::FieldError;

use super::forms::body::{FormData, date};
use super::forms::spec::{Field, Input, Options};
use super::forms::{Choices, FieldView, field_error, problems, views};
use super::signed_form::SignedForm;
use super::{Nav, PageUser};
use crate::error::ApiError;
use crate::pages::PageError;
use crate::service::types::NewAgency;
use crate::state::AppState;

pub struct AdminForm {
    pub title: String,
    pub action: String,
    pub button: String,
    pub fields: Vec<FieldView>,
    pub multipart: bool,
    pub file: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub nav: Option<Nav>,
    /// The administration pages this user may open: (link, name).
    pub links: Vec<(&'static str, &'static str)>,
    pub heading: String,
    pub caption: String,
    pub headers: Vec<String>,
    pub table: Vec<Vec<String>>,
    pub forms: Vec<AdminForm>,
    pub csrf: String,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
}

pub(super) const fn field(name: &'static str, label: &'static str, input: Input, optional: bool) -> Field {
    Field {
        name,
        label,
        hint: "",
        input,
        optional,
        missing: "",
    }
}

const OVERRIDE_FIELDS: [Field; 3] = [
    field("date", "Date", Input::Date, false).says("Enter the date"),
    field("kind", "The day becomes", Input::Radios(Options::DayKind), false)
        .says("Select whether the day becomes a holiday or a working day"),
    field("name", "Name or reason", Input::Text, false).says("Enter the name of the day or the reason for the change"),
];
const AGENCY_FIELDS: [Field; 5] = [
    field(
        "slug",
        "Short name (lower-case letters, digits and hyphens)",
        Input::Text,
        false,
    )
    .says("Enter a short name, like northfield-primary"),
    field("name", "Name", Input::Text, false).says("Enter the agency's name"),
    field("kind", "Kind of agency (school, GP, police…)", Input::Text, false).says("Enter the kind of agency"),
    field("email", "Email for requests", Input::Text, true),
    field(
        "secure_email",
        "Does the agency receive secure email? (its requests then carry the referral form attached; otherwise it reads the form through its return link)",
        Input::YesNo,
        true,
    ),
];
/// Whether `page_user` may use these pages: administrators, and for the deadline rules
/// (`rules`) the Partnership Manager too.
pub(super) fn allowed(page_user: &PageUser, rules: bool) -> Result<(), PageError> {
    let role = page_user.user.role;
    if role.may_administer() || (rules && role.may_change_deadline_rules()) {
        return Ok(());
    }
    Err(PageError::forbidden(
        Some(Nav::from(page_user)),
        "You cannot use administration",
        "These pages are for administrators.",
    ))
}

/// The audit row of an administrative change made by `page_user`.
pub(super) fn audited(
    state: &AppState,
    page_user: &PageUser,
    action: &str,
    subject: Option<&str>,
) -> crate::service::types::AuditEntry {
    crate::service::types::AuditEntry::about(state.clock.now(), Some(&page_user.user.email), action, subject, "ok")
}

/// The administration pages `role` may open: every one for an administrator, the
/// deadline rules for a Partnership Manager.
fn links(role: domain::roles::Role) -> Vec<(&'static str, &'static str)> {
    const ALL: [(&str, &str); 6] = [
        ("/admin/calendar", "Calendar"),
        ("/admin/agencies", "Agencies"),
        ("/admin/users", "Users and roles"),
        ("/admin/tokens", "API tokens"),
        ("/admin/rules", "Deadline rules"),
        ("/admin/outbox", "Outbox (email)"),
    ];
    ALL.into_iter()
        .filter(|(href, _)| role.may_administer() || (*href == "/admin/rules" && role.may_change_deadline_rules()))
        .collect()
}

fn page(page_user: &PageUser, heading: &str) -> AdminPage {
    AdminPage {
        nav: Some(Nav::from(page_user)),
        links: links(page_user.user.role),
        heading: heading.into(),
        caption: String::new(),
        headers: Vec::new(),
        table: Vec::new(),
        forms: Vec::new(),
        csrf: page_user.csrf.clone(),
        errors: Vec::new(),
        notice: None,
    }
}

pub async fn home(page_user: PageUser) -> Result<Response, PageError> {
    allowed(&page_user, true)?;
    Ok(page(&page_user, "Administration").into_response())
}

/// After a calendar or rules change: use it now and bring every case snapshot up to date.
pub(super) async fn apply_settings(state: &AppState) -> Result<(), ApiError> {
    state.reload_settings().await?;
    let settings = state.settings();
    crate::service::administration::refresh_snapshots(
        state,
        &settings.calendar,
        &settings.rules,
        state.clock.today(),
        state.clock.now(),
    )
    .await?;
    Ok(())
}

async fn calendar_page(
    state: &AppState,
    page_user: &PageUser,
    year: i32,
    data: &FormData,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> AdminPage {
    let mut p = page(page_user, "Calendar");
    p.caption = format!("Bank holidays in {year}");
    p.headers = vec!["Date".into(), "Name".into(), "Source".into()];
    p.table = state
        .settings()
        .calendar
        .holidays_in(year)
        .into_iter()
        .map(|h| {
            vec![
                h.date.format("%A %-d %B %Y").to_string(),
                h.name.to_string(),
                h.source.label().to_owned(),
            ]
        })
        .collect();
    p.forms = vec![
        AdminForm {
            title: "Add a local change".into(),
            action: "/admin/calendar/override".into(),
            button: "Add the change".into(),
            fields: views(&OVERRIDE_FIELDS, data, &errors, &Choices::default()),
            multipart: false,
            file: false,
        },
        AdminForm {
            title: "Import the gov.uk bank holidays".into(),
            action: "/admin/calendar/import".into(),
            button: "Import".into(),
            fields: Vec::new(),
            multipart: true,
            file: true,
        },
    ];
    p.errors = errors;
    p.notice = notice;
    p
}

pub async fn calendar(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    allowed(&page_user, false)?;
    let year = q
        .get("year")
        .and_then(|y| y.parse().ok())
        .filter(|y| domain::dates::YEARS.contains(y))
        .unwrap_or_else(|| state.clock.today().year());
    let notice = q.get("done").map(|d| {
        if d == "import" {
            "The feed's days are imported."
        } else {
            "The change is added."
        }
        .to_owned()
    });
    Ok(
        calendar_page(&state, &page_user, year, &FormData::default(), Vec::new(), notice)
            .await
            .into_response(),
    )
}

pub async fn add_override(State(state): State<AppState>, form: SignedForm) -> Result<Response, PageError> {
    let SignedForm { user: page_user, data } = form;
    allowed(&page_user, false)?;
    let year = state.clock.today().year();
    let found = problems(&OVERRIDE_FIELDS, &data, false);
    if !found.is_empty() {
        let page = calendar_page(&state, &page_user, year, &data, found, None).await;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let checked = (|| -> Result<Override, FieldError> {
        let day = date(&data, "date")?
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| FieldError::new("date", "Enter the date"))?;
        let name = data.get("name").trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(FieldError::new(
                "name",
                "Enter the name or reason (at most 200 characters)",
            ));
        }
        domain::events::fields::no_control_characters(name).map_err(|m| FieldError::new("name", m))?;
        match DayKind::parse(data.get("kind")) {
            Some(DayKind::Holiday) => Ok(Override::holiday(day, name)),
            Some(DayKind::WorkingDay) => Ok(Override::working_day(day, name)),
            None => Err(FieldError::new(
                "kind",
                "Choose whether the day becomes a holiday or a working day",
            )),
        }
    })();
    match checked {
        Ok(change) => {
            let shown = change.date.year();
            let entry = audited(
                &state,
                &page_user,
                "calendar_changed",
                Some(&format!("{} {}", change.date, data.get("kind"))),
            );
            crate::service::administration::add_calendar_overrides(&state, &[change], &entry).await?;
            apply_settings(&state).await?;
            Ok(Redirect::to(&format!("/admin/calendar?year={shown}&done=override")).into_response())
        }
        Err(e) => {
            let errors = vec![field_error(&OVERRIDE_FIELDS, &e)];
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                calendar_page(&state, &page_user, year, &data, errors, None).await,
            )
                .into_response())
        }
    }
}

pub async fn import(
    State(state): State<AppState>,
    page_user: PageUser,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    allowed(&page_user, false)?;
    let (mut csrf, mut file) = (String::new(), Vec::new());
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => file = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
            _ => {}
        }
    }
    if csrf != page_user.csrf {
        return Err(PageError::form_expired(Some(Nav::from(&page_user))));
    }
    let year = state.clock.today().year();
    let parsed = std::str::from_utf8(&file)
        .map_err(|_| "the file is not text: choose the gov.uk bank-holidays JSON file".to_owned())
        .and_then(|text| parse_gov_uk_feed(text).map_err(|e| format!("The file was not imported: {e}")));
    match parsed {
        Ok(overrides) => {
            crate::service::administration::add_calendar_overrides(
                &state,
                &overrides,
                &audited(
                    &state,
                    &page_user,
                    "calendar_imported",
                    Some(&format!("{} days", overrides.len())),
                ),
            )
            .await?;
            apply_settings(&state).await?;
            Ok(Redirect::to(&format!("/admin/calendar?year={year}&done=import")).into_response())
        }
        Err(message) => {
            let errors = vec![("file".to_owned(), message)];
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                calendar_page(&state, &page_user, year, &FormData::default(), errors, None).await,
            )
                .into_response())
        }
    }
}

async fn agencies_page(
    state: &AppState,
    page_user: &PageUser,
    data: &FormData,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> Result<AdminPage, ApiError> {
    let mut p = page(page_user, "Agencies");
    p.caption = "The agencies that can be asked for returns".into();
    p.headers = vec!["Short name".into(), "Name".into(), "Kind".into(), "Email".into()];
    p.table = crate::service::administration::list_agencies(state)
        .await?
        .into_iter()
        .map(|a| vec![a.slug.to_string(), a.name, a.kind, a.email.unwrap_or_default()])
        .collect();
    p.forms = vec![AdminForm {
        title: "Add an agency".into(),
        action: "/admin/agencies".into(),
        button: "Add the agency".into(),
        fields: views(&AGENCY_FIELDS, data, &errors, &Choices::default()),
        multipart: false,
        file: false,
    }];
    p.errors = errors;
    p.notice = notice;
    Ok(p)
}

pub async fn agencies(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    allowed(&page_user, false)?;
    let notice = q.contains_key("done").then(|| "The agency is added.".to_owned());
    Ok(
        agencies_page(&state, &page_user, &FormData::default(), Vec::new(), notice)
            .await?
            .into_response(),
    )
}

pub async fn add_agency(State(state): State<AppState>, form: SignedForm) -> Result<Response, PageError> {
    let SignedForm { user: page_user, data } = form;
    allowed(&page_user, false)?;
    let found = problems(&AGENCY_FIELDS, &data, false);
    if !found.is_empty() {
        let page = agencies_page(&state, &page_user, &data, found, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let email = Some(data.get("email")).filter(|e| !e.is_empty());
    let added = match NewAgency::new(data.get("slug"), data.get("name"), data.get("kind"), email) {
        Ok(new) => crate::service::administration::add_agency(
            &state,
            &new.with_secure_email(data.get("secure_email") == "yes"),
            &audited(&state, &page_user, "agency_added", None),
        )
        .await
        .map_err(ApiError::from),
        Err(e) => Err(ApiError::Invalid(e)),
    };
    match added {
        Ok(_) => {
            // Pages name agencies from the settings: this instance uses it at once.
            state.reload_settings().await?;
            Ok(Redirect::to("/admin/agencies?done=1").into_response())
        }
        Err(ApiError::Invalid(e)) => {
            let errors = vec![field_error(&AGENCY_FIELDS, &e)];
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                agencies_page(&state, &page_user, &data, errors, None).await?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
