//! The form of one step on a case: offered only when the process has the step open
//! and the role records it; sent, it becomes the API's JSON body and goes through the
//! same service call. The threshold and meeting decisions are shown on a "check your
//! answers" page first.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::events::{EventKind, EventRequest, parse_event_request};
use serde_json::Value;

use super::body::{FormData, to_json};
use super::spec::{Field, checked_before_recording, fields};
use super::{CheckPage, Choices, FormPage, answer, choices, field_error, today_defaults, views};
use crate::audit::AuditedInTransaction;
use crate::pages::signed_form::SignedForm;
use crate::pages::{Nav, PageError, PageUser};
use crate::service::Refused;
use crate::service::types::CaseRecord;
use crate::state::AppState;

const ROUTE: &str = "POST /cases/{id}/record/{kind}";

/// A case, the step to record on it, and that step's fields.
struct StepForm {
    record: CaseRecord,
    kind: EventKind,
    fields: Vec<Field>,
}

/// The case and step of a form's address, if this user may record that step now.
async fn step_form(state: &AppState, page_user: &PageUser, id: &str, kind: &str) -> Result<StepForm, PageError> {
    let nav = Some(Nav::from(page_user));
    let kind = EventKind::parse(kind);
    let Some((kind, step_fields)) = kind.and_then(|k| fields(k).map(|f| (k, f))) else {
        return Err(PageError::no_such_page(nav));
    };
    crate::pages::case::may_see_cases(page_user)?;
    let record = crate::service::cases::load(state, &page_user.user, id)
        .await
        .map_err(|r| PageError::from(r).with_nav(nav.clone()))?;
    if !page_user.user.role.may_record(kind) {
        return Err(PageError::forbidden(
            nav,
            "You cannot record this step",
            format!("The {} role does not record this step.", page_user.user.role.label()),
        ));
    }
    let folded = domain::process::fold(&record.events);
    if let Err(why) = folded.open_now(kind) {
        return Err(PageError::conflict(
            nav,
            "This step is not open now",
            format!(
                "The case is at the {} stage: {why}.",
                folded.stage().label().to_lowercase()
            ),
        ));
    }
    Ok(StepForm {
        record,
        kind,
        fields: step_fields,
    })
}

fn form_page(
    page_user: &PageUser,
    form: &StepForm,
    data: &FormData,
    errors: Vec<(String, String)>,
    choices: &Choices,
) -> FormPage {
    let version = data.get("expected_version");
    FormPage {
        nav: Some(Nav::from(page_user)),
        caption: format!("Case {}", form.record.reference),
        heading: form.kind.label().to_owned(),
        action: format!("/cases/{}/record/{}", form.record.id, form.kind.as_str()),
        back: format!("/cases/{}", form.record.id),
        button: if checked_before_recording(form.kind) {
            "Continue"
        } else {
            "Record"
        }
        .into(),
        csrf: page_user.csrf.clone(),
        version: if version.is_empty() {
            form.record.version().to_string()
        } else {
            version.to_owned()
        },
        fields: views(&form.fields, data, &errors, choices),
        errors,
        guidance: guidance(form.kind),
    }
}

/// The definitions a step's decision rests on: the threshold decision shows what
/// Serious Harm means and the Panel's guidance.
fn guidance(kind: EventKind) -> Vec<&'static domain::definitions::Definition> {
    let keys: &[&str] = match kind {
        EventKind::ThresholdDecided => &["serious_harm", "serious_child_safeguarding_case", "panel_guidance"],
        _ => &[],
    };
    keys.iter().filter_map(|k| domain::definitions::definition(k)).collect()
}

/// `GET /cases/{id}/record/{kind}`
pub async fn record_form(
    State(state): State<AppState>,
    page_user: PageUser,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let form = step_form(&state, &page_user, &id, &kind).await?;
    let choices = choices(&state, Some(&form.record)).await?;
    let mut data = today_defaults(&state, &["on"]);
    if form.kind == EventKind::AlaDecided {
        // Those who gave a view on the proposal took part in the decision.
        for view in domain::process::fold(&form.record.events).ala.views.0 {
            data.0.push(("decided_by".into(), view.by.as_str().to_owned()));
        }
    }
    Ok(form_page(&page_user, &form, &data, Vec::new(), &choices).into_response())
}

/// The form as the API's request, or the field at fault.
fn request(form: &StepForm, data: &FormData) -> Result<EventRequest, domain::events::FieldError> {
    let mut json = to_json(&form.fields, data)?;
    json["type"] = Value::String(form.kind.as_str().to_owned());
    if let Ok(v) = data.get("expected_version").parse::<u32>() {
        json["expected_version"] = Value::from(v);
    }
    parse_event_request(json, None)
}

/// `POST /cases/{id}/record/{kind}`
pub async fn record_submit(
    State(state): State<AppState>,
    Path((id, kind)): Path<(String, String)>,
    signed: SignedForm,
) -> Result<Response, PageError> {
    let SignedForm { user: page_user, data } = signed;
    let form = step_form(&state, &page_user, &id, &kind).await?;
    let choices = choices(&state, Some(&form.record)).await?;
    let again = |errors: Vec<(String, String)>, status: StatusCode| {
        (status, form_page(&page_user, &form, &data, errors, &choices)).into_response()
    };
    if !data.get("change").is_empty() {
        // "Change" on check your answers: the form again, filled in as it was sent.
        return Ok(again(Vec::new(), StatusCode::OK));
    }
    let found = super::problems(&form.fields, &data, false);
    if !found.is_empty() {
        return Ok(again(found, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let request = match request(&form, &data) {
        Ok(r) => r,
        Err(e) => {
            return Ok(again(
                vec![field_error(&form.fields, &e)],
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let refused = |r: Refused| {
        match r {
        Refused::Invalid(e) => Ok(again(vec![field_error(&form.fields, &e)], StatusCode::UNPROCESSABLE_ENTITY)),
        Refused::NotNow(m) => Ok(again(vec![(String::new(), m)], StatusCode::CONFLICT)),
        Refused::VersionConflict(_) => Ok(again(
            vec![(String::new(), "The case changed while you were filling in this form: open the case page, check what changed and try again.".into())],
            StatusCode::CONFLICT,
        )),
        other => Err(PageError::from(other).with_nav(Some(Nav::from(&page_user)))),
    }
    };
    if checked_before_recording(form.kind) && data.get("confirm") != "yes" {
        // A dry run: the same checks as recording, without writing.
        let folded = domain::process::fold(&form.record.events);
        if let Err(r) = folded.check(&request.event, state.clock.today()) {
            return refused(r.into());
        }
        return Ok(check_page(&page_user, &form, &data, &choices).into_response());
    }
    match crate::service::cases::record(&state, &page_user.user, &form.record.id, request, ROUTE, None).await {
        Ok(_) => {
            let to = format!("/cases/{}?done={}", form.record.id, form.kind.as_str());
            let mut response = Redirect::to(&to).into_response();
            response.extensions_mut().insert(AuditedInTransaction);
            Ok(response)
        }
        Err(r) => refused(r),
    }
}

fn check_page(page_user: &PageUser, form: &StepForm, data: &FormData, choices: &Choices) -> CheckPage {
    CheckPage {
        nav: Some(Nav::from(page_user)),
        caption: format!("Case {}", form.record.reference),
        what: form.kind.label().to_lowercase(),
        action: format!("/cases/{}/record/{}", form.record.id, form.kind.as_str()),
        answers: form
            .fields
            .iter()
            .map(|f| {
                let anchor = if f.input == super::spec::Input::Date {
                    format!("{}-day", super::body::id(f.name))
                } else {
                    super::body::id(f.name)
                };
                (f.label.to_owned(), answer(f, data, choices), anchor)
            })
            .filter(|(_, v, _)| !v.is_empty())
            .collect(),
        hidden: data
            .0
            .iter()
            .filter(|(k, _)| k != "confirm" && k != "change")
            .cloned()
            .collect(),
    }
}
