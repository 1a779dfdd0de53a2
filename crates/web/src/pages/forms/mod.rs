//! A form for every event the signed-in user may record now, and the incident report
//! that opens a case. A form is turned into the API's JSON body and goes through the
//! same domain checks and store call; errors come back as a GOV.UK error summary that
//! links to each field. The threshold decision and the meeting's decision are shown
//! on a "check your answers" page before they are recorded.

pub mod body;
mod new_case;
mod record;
pub mod spec;

pub use new_case::{new_case_form, new_case_submit};
pub use record::{record_form, record_submit};

use askama::Template;
use askama_web::WebTemplate;
use domain::events::FieldError;
use store::CaseRecord;

use self::body::{FormData, id, id_for_error};
use self::spec::{Field, Input};
use super::Nav;
use crate::service::Refused;
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
                Input::Radios(o) => ("radios", owned(o.pairs())),
                Input::Checkboxes(o) => ("checkboxes", owned(o.pairs())),
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

fn owned(pairs: Vec<(&'static str, &'static str)>) -> Vec<(String, String)> {
    pairs.into_iter().map(|(v, l)| (v.to_owned(), l.to_owned())).collect()
}

/// The question a field asks, for an error about it; the field's own name if it is not
/// on the form.
fn label_of(fields: &[Field], field: &str) -> String {
    let dotted = field.replace('[', ".").replace(']', "");
    fields
        .iter()
        .find(|f| f.name == dotted || dotted.starts_with(&format!("{}.", f.name)))
        .map_or_else(|| field.to_owned(), |f| f.label.to_owned())
}

pub(crate) fn field_error(fields: &[Field], e: &FieldError) -> (String, String) {
    (
        id_for_error(&e.field, fields),
        format!("{}: {}", label_of(fields, &e.field), e.message),
    )
}

pub(crate) async fn choices(state: &AppState, record: Option<&CaseRecord>) -> Result<Choices, Refused> {
    let agencies = state
        .store
        .list_agencies()
        .await?
        .into_iter()
        .map(|a| (a.slug.to_string(), a.name))
        .collect();
    let outstanding = record
        .map(|r| domain::process::fold(&r.events))
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

pub(crate) fn today_defaults(state: &AppState, names: &[&str]) -> FormData {
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

/// A submitted answer as a person reads it.
pub(crate) fn answer(f: &Field, data: &FormData, choices: &Choices) -> String {
    let base = id(f.name);
    let label_of = |value: &str| -> String {
        let options: Vec<(String, String)> = match f.input {
            Input::Radios(o) | Input::Checkboxes(o) => owned(o.pairs()),
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
