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

use self::body::{FormData, id, id_for_error};
use self::spec::{Field, Input};
use super::Nav;
use crate::service::Refused;
use crate::service::types::CaseRecord;
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
    /// Definitions the decision rests on, shown above the form.
    pub guidance: Vec<&'static domain::definitions::Definition>,
}

#[derive(Template, WebTemplate)]
#[template(path = "check_answers.html")]
pub struct CheckPage {
    pub nav: Option<Nav>,
    pub caption: String,
    pub what: String,
    pub action: String,
    /// (question, answer, the id of its input on the form)
    pub answers: Vec<(String, String, String)>,
    pub hidden: Vec<(String, String)>,
}

/// Choices for the agency inputs, from the directory and the case.
#[derive(Default)]
pub struct Choices {
    pub agencies: Vec<(String, String)>,
    pub outstanding: Vec<(String, String)>,
    /// The outcome's recipients not told yet, as (key, name).
    pub owed: Vec<(String, String)>,
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
                Input::OwedRecipients => ("checkboxes", choices.owed.clone()),
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

/// A domain error about a field as the GOV.UK error summary says it: a missing answer
/// as the field's own message ("Enter the date ..."), anything else in words, with the
/// field names it mentions replaced by their questions.
pub(crate) fn field_error(fields: &[Field], e: &FieldError) -> (String, String) {
    let anchor = id_for_error(&e.field, fields);
    let field = find(fields, &e.field);
    if matches!(e.message.as_str(), "is required" | "must not be empty") {
        return (
            anchor,
            field.map_or_else(|| format!("Enter {}", e.field), missing_message),
        );
    }
    let mut message = e.message.clone();
    for f in fields {
        if message.contains(f.name) && f.name.len() > 3 {
            message = message.replace(f.name, &format!("the {}", lower_first(f.label)));
        }
    }
    let label = field.map_or_else(|| e.field.clone(), |f| f.label.to_owned());
    let sentence = if message.starts_with("must ") || message.starts_with("is ") {
        format!("{label} {message}")
    } else {
        format!("{label}: {message}")
    };
    (anchor, sentence)
}

fn find<'a>(fields: &'a [Field], field: &str) -> Option<&'a Field> {
    let dotted = field.replace('[', ".").replace(']', "");
    fields
        .iter()
        .find(|f| f.name == dotted || dotted.starts_with(&format!("{}.", f.name)))
}

fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        // "LA", "ESG": a capital that starts an abbreviation stays.
        Some(c) if !chars.clone().next().is_some_and(char::is_uppercase) => c.to_lowercase().chain(chars).collect(),
        _ => label.to_owned(),
    }
}

/// What the error summary says when a required answer is missing.
fn missing_message(f: &Field) -> String {
    if !f.missing.is_empty() {
        return f.missing.to_owned();
    }
    let what = lower_first(f.label.trim_end_matches('?'));
    match f.input {
        Input::Text | Input::TextArea | Input::Number | Input::Date => format!("Enter {what}"),
        _ => format!("Select {what}"),
    }
}

/// Every problem the form itself can see, in page order, as the error summary says
/// them: a required answer missing (unless `draft`), a date or number that cannot be
/// read. Empty when the answers are complete enough for the domain to judge, which
/// then names at most one more.
pub(crate) fn problems(fields: &[Field], data: &FormData, draft: bool) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for f in fields.iter().filter(|f| body::counts(f, data)) {
        let base = id(f.name);
        let (anchor, empty) = match f.input {
            Input::Date => {
                let anchor = format!("{base}-day");
                match body::date(data, f.name) {
                    Err(e) => {
                        found.push((anchor, date_problem(f, &e)));
                        continue;
                    }
                    Ok(d) => (anchor, d.is_none()),
                }
            }
            Input::Checkboxes(_) | Input::Agencies | Input::OwedRecipients => {
                (base.clone(), data.all(&base).is_empty())
            }
            Input::Number => {
                let v = data.get(&base);
                if !v.is_empty() && v.parse::<u64>().is_err() {
                    found.push((base, format!("{} must be a whole number, like 4", f.label)));
                    continue;
                }
                (base, v.is_empty())
            }
            _ => (base.clone(), data.get(&base).is_empty()),
        };
        if empty && !f.optional && !draft {
            found.push((anchor, missing_message(f)));
        }
    }
    found
}

fn date_problem(f: &Field, e: &FieldError) -> String {
    if e.message.starts_with("must be a real date") {
        format!("{} must be a real date, for example 27 11 2026", f.label)
    } else {
        format!("{} {}", f.label, e.message)
    }
}

pub(crate) async fn choices(state: &AppState, record: Option<&CaseRecord>) -> Result<Choices, Refused> {
    let agencies = crate::service::agencies::names(state).await?;
    let folded = record.map(|r| domain::process::fold(&r.events));
    let named = |slug: &domain::events::AgencySlug| {
        (
            slug.to_string(),
            crate::service::agencies::name_of(&agencies, slug.as_str()),
        )
    };
    let outstanding = folded
        .as_ref()
        .map(|s| {
            s.requests
                .iter()
                .filter(|r| r.received_on.is_none())
                .map(|r| named(&r.agency))
                .collect()
        })
        .unwrap_or_default();
    let owed = folded
        .as_ref()
        .map(|s| s.outcome_owed().iter().map(named).collect())
        .unwrap_or_default();
    Ok(Choices {
        agencies,
        outstanding,
        owed,
    })
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
            Input::OwedRecipients => choices.owed.clone(),
            _ => Vec::new(),
        };
        options
            .into_iter()
            .find(|(v, _)| v == value)
            .map_or_else(|| value.to_owned(), |(_, l)| l)
    };
    match f.input {
        Input::Date => body::date(data, f.name).ok().flatten().unwrap_or_default(),
        Input::Checkboxes(_) | Input::Agencies | Input::OwedRecipients => data
            .all(&base)
            .iter()
            .map(|v| label_of(v))
            .collect::<Vec<_>>()
            .join(", "),
        _ => label_of(data.get(&base)),
    }
}
