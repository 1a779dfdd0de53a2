//! A submitted form becomes the JSON body the API takes: dates from their day, month
//! and year boxes, yes/no as booleans, ticked boxes as lists, dotted names as nested
//! objects. Only a date that cannot be read is refused here; everything else is left
//! to the domain, so that forms and API give the same answers.

use domain::events::FieldError;
use serde_json::{Map, Value};

use super::spec::{Field, Input};

/// The name/value pairs of an `application/x-www-form-urlencoded` body.
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &[u8]) -> FormData {
        FormData(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }

    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.trim())
    }

    /// A value exactly as typed (passwords keep their spaces).
    pub fn raw(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// The HTML id of a field (and the anchor an error links to).
pub fn id(name: &str) -> String {
    name.replace("][", "-")
        .replace(['[', ']'], "-")
        .replace('.', "-")
        .trim_end_matches('-')
        .to_owned()
}

/// The id a domain field path (`children[0].initials`, `agencies[1]`) points at.
pub fn id_for_error(field: &str, fields: &[Field]) -> String {
    let dotted = field.replace('[', ".").replace(']', "");
    if let Some(f) = fields
        .iter()
        .find(|f| f.name == dotted || dotted.starts_with(&format!("{}.", f.name)))
    {
        return if f.input == Input::Date {
            format!("{}-day", id(f.name))
        } else {
            id(f.name)
        };
    }
    id(&dotted)
}

/// Reads a date from its three boxes; `Ok(None)` when all are empty.
pub fn date(data: &FormData, name: &str) -> Result<Option<String>, FieldError> {
    let base = id(name);
    let parts = [
        data.get(&format!("{base}-day")),
        data.get(&format!("{base}-month")),
        data.get(&format!("{base}-year")),
    ];
    if parts.iter().all(|p| p.is_empty()) {
        return Ok(None);
    }
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.trim().parse().ok()).collect();
    let valid = numbers.and_then(|n| chrono::NaiveDate::from_ymd_opt(i32::try_from(n[2]).ok()?, n[1], n[0]));
    match valid {
        Some(d) => domain::dates::in_range(d)
            .map(|d| Some(d.to_string()))
            .map_err(|m| FieldError::new(name, m)),
        None => Err(FieldError::new(name, "must be a real date, for example 27 11 2026")),
    }
}

/// Whether a field's answer counts: one in an optional group (an immediate action, a
/// second child) counts only when the group's first box is filled in.
pub fn counts(f: &Field, data: &FormData) -> bool {
    const GROUPS: [(&str, &str); 7] = [
        ("immediate_actions.0.", "immediate_actions.0.action"),
        ("invitees.0.", "invitees.0.name"),
        ("invitees.1.", "invitees.1.name"),
        ("children.1.", "children.1.initials"),
        ("attendees.0.", "attendees.0.agency"),
        ("attendees.1.", "attendees.1.agency"),
        ("attendees.2.", "attendees.2.agency"),
    ];
    !GROUPS
        .iter()
        .any(|(prefix, first)| f.name.starts_with(prefix) && data.get(&id(first)).is_empty())
}

pub fn to_json(fields: &[Field], data: &FormData) -> Result<Value, FieldError> {
    let mut body = Value::Object(Map::new());
    for f in fields.iter().filter(|f| counts(f, data)) {
        let value = match f.input {
            Input::Date => date(data, f.name)?.map(Value::String),
            Input::Text | Input::TextArea => {
                let v = data.get(&id(f.name));
                // A required box left empty goes through, so the domain can say so.
                if v.is_empty() && f.optional {
                    None
                } else {
                    Some(Value::String(v.to_owned()))
                }
            }
            Input::Radios(_) | Input::Agency | Input::OutstandingAgency => {
                let v = data.get(&id(f.name));
                (!v.is_empty()).then(|| Value::String(v.to_owned()))
            }
            Input::Checkboxes(_) | Input::Agencies | Input::OwedRecipients => Some(Value::Array(
                data.all(&id(f.name))
                    .into_iter()
                    .map(|v| Value::String(v.to_owned()))
                    .collect(),
            )),
            Input::YesNo => match data.get(&id(f.name)) {
                "yes" => Some(Value::Bool(true)),
                "no" => Some(Value::Bool(false)),
                _ => None,
            },
            Input::Number => {
                let v = data.get(&id(f.name));
                if v.is_empty() {
                    None
                } else {
                    Some(
                        v.parse::<u64>()
                            .map(Value::from)
                            .map_err(|_| FieldError::new(f.name, "must be a whole number"))?,
                    )
                }
            }
        };
        if let Some(value) = value {
            set(&mut body, f.name, value);
        }
    }
    Ok(body)
}

/// Sets `value` at a dotted path, making objects and arrays on the way.
pub fn set(root: &mut Value, path: &str, value: Value) {
    let mut node = root;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let next_is_index = parts.get(i + 1).is_some_and(|p| p.parse::<usize>().is_ok());
        node = match part.parse::<usize>() {
            Ok(index) => {
                let Value::Array(list) = node else { return };
                while list.len() <= index {
                    list.push(Value::Object(Map::new()));
                }
                &mut list[index]
            }
            Err(_) => {
                let Value::Object(map) = node else { return };
                let empty = if next_is_index {
                    Value::Array(Vec::new())
                } else {
                    Value::Object(Map::new())
                };
                map.entry(part.to_string()).or_insert(empty)
            }
        };
        if last {
            *node = value;
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::forms::spec::fields;
    use domain::events::EventKind;

    fn data(pairs: &[(&str, &str)]) -> FormData {
        FormData(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn a_meeting_form_becomes_the_api_body() {
        let form = data(&[
            ("on-day", "11"),
            ("on-month", "1"),
            ("on-year", "2027"),
            ("recommendation", "lcspr"),
            ("rationale", "Learning"),
            ("criteria-improvements_needed", "yes"),
            ("criteria-recurring_themes", "no"),
            ("criteria-multi_agency_concerns", "yes"),
            ("criteria-panel_view", "no"),
            ("immediate_actions-0-action", "Review"),
            ("immediate_actions-0-owner", "BU"),
            ("immediate_actions-0-due-day", "25"),
            ("immediate_actions-0-due-month", "1"),
            ("immediate_actions-0-due-year", "2027"),
        ]);
        let body = to_json(&fields(EventKind::MeetingHeld).unwrap(), &form).unwrap();
        assert_eq!(body["on"], "2027-01-11");
        assert_eq!(body["criteria"]["improvements_needed"], true);
        assert_eq!(body["immediate_actions"][0]["due"], "2027-01-25");
    }

    #[test]
    fn an_impossible_date_is_named_and_an_empty_optional_group_left_out() {
        let form = data(&[("on-day", "31"), ("on-month", "2"), ("on-year", "2027")]);
        assert_eq!(
            to_json(&fields(EventKind::PackShared).unwrap(), &form)
                .unwrap_err()
                .field,
            "on"
        );
        let form = data(&[
            ("on-day", "1"),
            ("on-month", "2"),
            ("on-year", "2027"),
            ("recommendation", "lcspr"),
        ]);
        let body = to_json(&fields(EventKind::MeetingHeld).unwrap(), &form).unwrap();
        assert!(body.get("immediate_actions").is_none());
    }

    #[test]
    fn error_paths_point_at_the_right_inputs() {
        let f = fields(EventKind::MeetingHeld).unwrap();
        assert_eq!(id_for_error("on", &f), "on-day");
        assert_eq!(id_for_error("criteria.panel_view", &f), "criteria-panel_view");
        assert_eq!(
            id_for_error("agencies[1]", &fields(EventKind::AgencyRequestsSent).unwrap()),
            "agencies"
        );
    }
}
