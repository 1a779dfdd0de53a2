//! A form for every event the signed-in user may record now, and the incident report
//! that opens a case. A form is turned into the API's JSON body and goes through the
//! same domain checks and store call; errors come back as a GOV.UK error summary that
//! links to each field. The threshold decision and the meeting's decision are shown
//! on a "check your answers" page before they are recorded.

pub mod body;
pub mod offer;
pub mod spec;

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::events::{EventKind, FieldError, parse_event_request};
use domain::process::{self, Refusal};
use serde_json::Value;
use store::{AppendError, CaseRecord, WriteContext};

use self::body::{FormData, id, id_for_error, to_json};
use self::spec::{Field, Input, checked_before_recording, fields, incident_fields};
use super::{MessagePage, Nav, PageUser, words};
use crate::audit::AuditedInTransaction;
use crate::error::ApiError;
use crate::pages::PageError;
use crate::state::AppState;

pub struct OptionView {
    pub id: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct FieldView {
    pub id: String,
    pub label: String,
    pub kind: &'static str,
    pub optional: bool,
    pub value: String,
    pub day: String,
    pub month: String,
    pub year: String,
    pub options: Vec<OptionView>,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "event_form.html")]
pub struct FormPage {
    pub nav: Option<Nav>,
    pub caption: String,
    pub heading: String,
    pub action: String,
    pub back: String,
    pub button: String,
    pub csrf: String,
    pub version: String,
    pub errors: Vec<(String, String)>,
    pub fields: Vec<FieldView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "check_answers.html")]
pub struct CheckPage {
    pub nav: Option<Nav>,
    pub caption: String,
    pub what: String,
    pub action: String,
    pub answers: Vec<(String, String)>,
    pub hidden: Vec<(String, String)>,
}

/// Choices for the agency inputs, from the directory and the case.
#[derive(Default)]
pub struct Choices {
    pub agencies: Vec<(String, String)>,
    pub outstanding: Vec<(String, String)>,
}

pub(crate) fn views(
    fields: &[Field],
    data: &FormData,
    errors: &[(String, String)],
    choices: &Choices,
) -> Vec<FieldView> {
    fields
        .iter()
        .map(|f| {
            let base = id(f.name);
            let (kind, options): (&'static str, Vec<(String, String)>) = match f.input {
                Input::Date => ("date", Vec::new()),
                Input::Text => ("text", Vec::new()),
                Input::Number => ("number", Vec::new()),
                Input::TextArea => ("textarea", Vec::new()),
                Input::Radios(o) => (
                    "radios",
                    o.iter().map(|(v, l)| ((*v).to_owned(), (*l).to_owned())).collect(),
                ),
                Input::Checkboxes(o) => (
                    "checkboxes",
                    o.iter().map(|(v, l)| ((*v).to_owned(), (*l).to_owned())).collect(),
                ),
                Input::YesNo => ("radios", vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())]),
                Input::Agencies => ("checkboxes", choices.agencies.clone()),
                Input::Agency => ("radios", choices.agencies.clone()),
                Input::OutstandingAgency => ("radios", choices.outstanding.clone()),
            };
            let chosen = data.all(&base);
            let error_anchor = if f.input == Input::Date {
                format!("{base}-day")
            } else {
                base.clone()
            };
            FieldView {
                label: f.label.to_owned(),
                kind,
                optional: f.optional,
                value: data.get(&base).to_owned(),
                day: data.get(&format!("{base}-day")).to_owned(),
                month: data.get(&format!("{base}-month")).to_owned(),
                year: data.get(&format!("{base}-year")).to_owned(),
                options: options
                    .into_iter()
                    .enumerate()
                    .map(|(i, (value, label))| OptionView {
                        // The first option carries the field's id, so error links land on it.
                        id: if i == 0 { base.clone() } else { format!("{base}-{i}") },
                        checked: chosen.contains(&value.as_str()),
                        value,
                        label,
                    })
                    .collect(),
                error: errors
                    .iter()
                    .find(|(anchor, _)| *anchor == error_anchor || *anchor == base)
                    .map(|(_, m)| m.clone()),
                id: base,
            }
        })
        .collect()
}

fn label_of(fields: &[Field], field: &str) -> String {
    let dotted = field.replace('[', ".").replace(']', "");
    fields
        .iter()
        .find(|f| f.name == dotted || dotted.starts_with(&format!("{}.", f.name)))
        .map_or_else(|| words(field), |f| f.label.to_owned())
}

pub(crate) fn field_error(fields: &[Field], e: &FieldError) -> (String, String) {
    (
        id_for_error(&e.field, fields),
        format!("{}: {}", label_of(fields, &e.field), e.message),
    )
}

fn refusal(nav: Nav, title: &str, message: String, status: StatusCode) -> Response {
    (
        status,
        MessagePage {
            nav: Some(nav),
            title: title.into(),
            message,
        },
    )
        .into_response()
}

async fn choices(state: &AppState, record: Option<&CaseRecord>) -> Result<Choices, ApiError> {
    let agencies = state
        .store
        .list_agencies()
        .await?
        .into_iter()
        .map(|a| (a.slug.to_string(), a.name))
        .collect();
    let outstanding = record
        .map(|r| process::fold(&r.events))
        .map(|s| {
            s.requests
                .iter()
                .filter(|r| r.received_on.is_none())
                .map(|r| (r.agency.to_string(), r.agency.to_string()))
                .collect()
        })
        .unwrap_or_default();
    Ok(Choices { agencies, outstanding })
}

fn today_defaults(state: &AppState, names: &[&str]) -> FormData {
    let today = state.clock.today();
    let mut pairs = Vec::new();
    for name in names {
        let base = id(name);
        pairs.push((format!("{base}-day"), today.format("%-d").to_string()));
        pairs.push((format!("{base}-month"), today.format("%-m").to_string()));
        pairs.push((format!("{base}-year"), today.format("%Y").to_string()));
    }
    FormData(pairs)
}

struct CaseForm {
    record: CaseRecord,
    kind: EventKind,
    fields: Vec<Field>,
}

/// Loads the case and checks that this user may record `kind` on it now.
async fn case_form(
    state: &AppState,
    page_user: &PageUser,
    id: &str,
    kind: &str,
) -> Result<Result<CaseForm, Response>, ApiError> {
    let nav = Nav::from(page_user);
    let Some(kind) = EventKind::parse(kind).filter(|k| spec::offered_as_form(*k)) else {
        return Ok(Err(refusal(
            nav,
            "Page not found",
            "There is no such step.".into(),
            StatusCode::NOT_FOUND,
        )));
    };
    if !page_user.user.role.is_case_role() {
        return Ok(Err(refusal(
            nav,
            "You cannot see cases",
            "Your role does not give access to case details.".into(),
            StatusCode::FORBIDDEN,
        )));
    }
    let Some(record) = state.store.case(id).await? else {
        return Ok(Err(refusal(
            nav,
            "Case not found",
            "There is no case at this address.".into(),
            StatusCode::NOT_FOUND,
        )));
    };
    if !page_user.user.role.may_record(kind) {
        let message = format!(
            "The {} role does not record this step.",
            words(page_user.user.role.as_str())
        );
        return Ok(Err(refusal(
            nav,
            "You cannot record this step",
            message,
            StatusCode::FORBIDDEN,
        )));
    }
    Ok(Ok(CaseForm {
        record,
        kind,
        fields: fields(kind),
    }))
}

fn form_page(
    page_user: &PageUser,
    form: &CaseForm,
    data: &FormData,
    errors: Vec<(String, String)>,
    choices: &Choices,
) -> FormPage {
    FormPage {
        nav: Some(Nav::from(page_user)),
        caption: format!("Case {}", form.record.reference),
        heading: words(form.kind.as_str()),
        action: format!("/cases/{}/record/{}", form.record.id, form.kind.as_str()),
        back: format!("/cases/{}", form.record.id),
        button: if checked_before_recording(form.kind) {
            "Continue".into()
        } else {
            "Record".into()
        },
        csrf: page_user.csrf.clone(),
        version: data
            .get("expected_version")
            .to_owned()
            .if_empty(form.record.version().to_string()),
        fields: views(&form.fields, data, &errors, choices),
        errors,
    }
}

trait IfEmpty {
    fn if_empty(self, other: String) -> String;
}

impl IfEmpty for String {
    fn if_empty(self, other: String) -> String {
        if self.is_empty() { other } else { self }
    }
}

pub async fn record_form(
    State(state): State<AppState>,
    page_user: PageUser,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let form = match case_form(&state, &page_user, &id, &kind).await? {
        Ok(f) => f,
        Err(refused) => return Ok(refused),
    };
    let folded = process::fold(&form.record.events);
    if !offer::offered(&folded, page_user.user.role, state.clock.today()).contains(&form.kind) {
        let message = format!(
            "The case is at the {} stage: this step cannot be recorded now.",
            words(folded.stage().as_str())
        );
        return Ok(refusal(
            Nav::from(&page_user),
            "This step is not open now",
            message,
            StatusCode::CONFLICT,
        ));
    }
    let choices = choices(&state, Some(&form.record)).await?;
    let mut data = today_defaults(&state, &["on"]);
    if form.kind == EventKind::AlaDecided {
        // Those who gave a view on the proposal took part in the decision.
        for m in state.store.messages(&form.record.id, "ala").await? {
            data.0.push(("decided_by".into(), m.partner.unwrap_or(m.role)));
        }
    }
    Ok(form_page(&page_user, &form, &data, Vec::new(), &choices).into_response())
}

pub async fn record_submit(
    State(state): State<AppState>,
    page_user: PageUser,
    Path((id, kind)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = match case_form(&state, &page_user, &id, &kind).await? {
        Ok(f) => f,
        Err(refused) => return Ok(refused),
    };
    let data = FormData::parse(&body);
    if data.get("csrf") != page_user.csrf {
        return Ok(refusal(
            Nav::from(&page_user),
            "The form has expired",
            "Go back, reload the page and try again.".into(),
            StatusCode::FORBIDDEN,
        ));
    }
    let choices = choices(&state, Some(&form.record)).await?;
    let again = |errors: Vec<(String, String)>, status: StatusCode| {
        (status, form_page(&page_user, &form, &data, errors, &choices)).into_response()
    };
    let mut json = match to_json(&form.fields, &data) {
        Ok(json) => json,
        Err(e) => {
            return Ok(again(
                vec![field_error(&form.fields, &e)],
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    json["type"] = Value::String(form.kind.as_str().to_owned());
    if let Ok(v) = data.get("expected_version").parse::<u32>() {
        json["expected_version"] = Value::from(v);
    }
    let request = match parse_event_request(json, None) {
        Ok(r) => r,
        Err(e) => {
            return Ok(again(
                vec![field_error(&form.fields, &e)],
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let today = state.clock.today();
    if checked_before_recording(form.kind) && data.get("confirm") != "yes" {
        // A dry run: the same checks as recording, without writing.
        if let Err(refused) = process::record(&form.record.events, request.event.clone(), today) {
            return Ok(match refused {
                Refusal::Invalid(e) => again(vec![field_error(&form.fields, &e)], StatusCode::UNPROCESSABLE_ENTITY),
                Refusal::NotAllowedNow(m) => again(vec![(String::new(), m)], StatusCode::CONFLICT),
            });
        }
        let answers = form
            .fields
            .iter()
            .map(|f| (f.label.to_owned(), answer(f, &data, &choices)))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let hidden = data.0.iter().filter(|(k, _)| k != "confirm").cloned().collect();
        return Ok(CheckPage {
            nav: Some(Nav::from(&page_user)),
            caption: format!("Case {}", form.record.reference),
            what: words(form.kind.as_str()).to_lowercase(),
            action: format!("/cases/{}/record/{}", form.record.id, form.kind.as_str()),
            answers,
            hidden,
        }
        .into_response());
    }
    let settings = state.settings();
    let ctx = WriteContext {
        today,
        at: state.clock.now(),
        calendar: &settings.calendar,
        rules: &settings.rules,
        actor: &page_user.user,
        action: "POST /cases/{id}/record/{kind}",
    };
    match state.store.append_event(&form.record.id, request, ctx).await {
        Ok(_) => {
            let mut response = Redirect::to(&format!("/cases/{}", form.record.id)).into_response();
            response.extensions_mut().insert(AuditedInTransaction);
            Ok(response)
        }
        Err(AppendError::Refused(Refusal::Invalid(e))) => Ok(again(vec![field_error(&form.fields, &e)], StatusCode::UNPROCESSABLE_ENTITY)),
        Err(AppendError::Refused(Refusal::NotAllowedNow(m))) => Ok(again(vec![(String::new(), m)], StatusCode::CONFLICT)),
        Err(AppendError::VersionConflict { .. }) => Ok(again(
            vec![(String::new(), "The case changed while you were filling in this form: open the case page, check what changed and try again.".into())],
            StatusCode::CONFLICT,
        )),
        Err(e) => Err(e.into()),
    }
}

/// A submitted answer as a person reads it.
fn answer(f: &Field, data: &FormData, choices: &Choices) -> String {
    let base = id(f.name);
    let label_of = |value: &str| -> String {
        let options: Vec<(String, String)> = match f.input {
            Input::Radios(o) | Input::Checkboxes(o) => {
                o.iter().map(|(v, l)| ((*v).to_owned(), (*l).to_owned())).collect()
            }
            Input::YesNo => vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())],
            Input::Agencies | Input::Agency => choices.agencies.clone(),
            Input::OutstandingAgency => choices.outstanding.clone(),
            _ => Vec::new(),
        };
        options
            .into_iter()
            .find(|(v, _)| v == value)
            .map_or_else(|| value.to_owned(), |(_, l)| l)
    };
    match f.input {
        Input::Date => body::date(data, f.name).ok().flatten().unwrap_or_default(),
        Input::Checkboxes(_) | Input::Agencies => data
            .all(&base)
            .iter()
            .map(|v| label_of(v))
            .collect::<Vec<_>>()
            .join(", "),
        _ => label_of(data.get(&base)),
    }
}

pub async fn new_case_form(State(state): State<AppState>, page_user: PageUser) -> Result<Response, PageError> {
    if !page_user.user.role.may_record(EventKind::IncidentReported) {
        return Ok(refusal(
            Nav::from(&page_user),
            "You cannot open cases",
            "Your role does not open cases.".into(),
            StatusCode::FORBIDDEN,
        ));
    }
    let choices = choices(&state, None).await?;
    let data = today_defaults(&state, &["reported_on", "aware_on"]);
    Ok(new_case_page(&page_user, &data, Vec::new(), &choices).into_response())
}

fn new_case_page(page_user: &PageUser, data: &FormData, errors: Vec<(String, String)>, choices: &Choices) -> FormPage {
    FormPage {
        nav: Some(Nav::from(page_user)),
        caption: "New case".into(),
        heading: "Report a serious incident".into(),
        action: "/cases/new".into(),
        back: "/cases".into(),
        button: "Open the case".into(),
        csrf: page_user.csrf.clone(),
        version: "0".into(),
        fields: views(&incident_fields(), data, &errors, choices),
        errors,
    }
}

pub async fn new_case_submit(
    State(state): State<AppState>,
    page_user: PageUser,
    body: Bytes,
) -> Result<Response, PageError> {
    if !page_user.user.role.may_record(EventKind::IncidentReported) {
        return Ok(refusal(
            Nav::from(&page_user),
            "You cannot open cases",
            "Your role does not open cases.".into(),
            StatusCode::FORBIDDEN,
        ));
    }
    let data = FormData::parse(&body);
    if data.get("csrf") != page_user.csrf {
        return Ok(refusal(
            Nav::from(&page_user),
            "The form has expired",
            "Go back, reload the page and try again.".into(),
            StatusCode::FORBIDDEN,
        ));
    }
    let fields = incident_fields();
    let choices = choices(&state, None).await?;
    let again = |e: &FieldError, status| {
        (
            status,
            new_case_page(&page_user, &data, vec![field_error(&fields, e)], &choices),
        )
            .into_response()
    };
    let json = match to_json(&fields, &data) {
        Ok(json) => json,
        Err(e) => return Ok(again(&e, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    let request = match parse_event_request(json, Some(EventKind::IncidentReported)) {
        Ok(r) => r,
        Err(e) => return Ok(again(&e, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    let settings = state.settings();
    let ctx = WriteContext {
        today: state.clock.today(),
        at: state.clock.now(),
        calendar: &settings.calendar,
        rules: &settings.rules,
        actor: &page_user.user,
        action: "POST /cases/new",
    };
    match state.store.create_case(request.event, ctx).await {
        Ok(record) => {
            let mut response = Redirect::to(&format!("/cases/{}", record.id)).into_response();
            response.extensions_mut().insert(AuditedInTransaction);
            Ok(response)
        }
        Err(AppendError::Refused(Refusal::Invalid(e))) => Ok(again(&e, StatusCode::UNPROCESSABLE_ENTITY)),
        Err(e) => Err(e.into()),
    }
}
