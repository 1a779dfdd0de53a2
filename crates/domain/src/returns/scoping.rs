//! The Initial Scoping and Information Sharing template: every field optional while a
//! draft, `involvement` required at submission.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::events::FieldError;
use crate::events::fields::{OptionalText, blank_as_none};

/// The questions, in the template's order: (field, question).
pub const SCOPING_QUESTIONS: [(&str, &str); 10] = [
    ("involvement", "Your agency's involvement with the child and family"),
    ("involvement_from", "Involvement from (date)"),
    ("involvement_to", "Involvement to (date)"),
    ("key_professionals", "Key professionals involved"),
    (
        "known_before_incident",
        "What your agency knew about the child, the family and the incident",
    ),
    ("immediate_actions", "Immediate safeguarding actions taken"),
    ("multi_agency_concerns", "Concerns about how agencies worked together"),
    ("early_learning", "Early learning identified"),
    ("good_practice", "Good practice identified"),
    (
        "parallel_processes",
        "Parallel processes (police investigation, inquest, disciplinary)",
    ),
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoping {
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub involvement: OptionalText,
    #[serde(
        default,
        deserialize_with = "crate::dates::deserialize_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub involvement_from: Option<NaiveDate>,
    #[serde(
        default,
        deserialize_with = "crate::dates::deserialize_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub involvement_to: Option<NaiveDate>,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub key_professionals: OptionalText,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub known_before_incident: OptionalText,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub immediate_actions: OptionalText,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub multi_agency_concerns: OptionalText,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub early_learning: OptionalText,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub good_practice: OptionalText,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub parallel_processes: OptionalText,
}

impl Scoping {
    /// Parses a draft, naming the field at fault.
    pub fn parse(body: Value) -> Result<Scoping, FieldError> {
        if !body.is_object() {
            return Err(FieldError::new("(body)", "send a JSON object of scoping fields"));
        }
        let scoping: Scoping = serde_path_to_error::deserialize(body).map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            if let Some(rest) = message.strip_prefix("unknown field `") {
                let name = rest.split('`').next().unwrap_or_default();
                return FieldError::new(name, "is not a scoping field");
            }
            FieldError::new(if path == "." { "(body)".to_owned() } else { path }, message)
        })?;
        if let (Some(from), Some(to)) = (scoping.involvement_from, scoping.involvement_to)
            && to < from
        {
            return Err(FieldError::new("involvement_to", "must not be before involvement_from"));
        }
        Ok(scoping)
    }

    /// The check made at submission.
    pub fn ready_to_submit(&self) -> Result<(), FieldError> {
        if self.involvement.is_none() {
            return Err(FieldError::new(
                "involvement",
                "describe your agency's involvement with the child and family before submitting",
            ));
        }
        Ok(())
    }

    /// Each question with its answer as text, for documents and pages.
    pub fn answers(&self) -> Vec<(&'static str, &'static str, String)> {
        let text = |t: &OptionalText| t.as_ref().map(|t| t.to_string()).unwrap_or_default();
        let date = |d: &Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let values = [
            text(&self.involvement),
            date(&self.involvement_from),
            date(&self.involvement_to),
            text(&self.key_professionals),
            text(&self.known_before_incident),
            text(&self.immediate_actions),
            text(&self.multi_agency_concerns),
            text(&self.early_learning),
            text(&self.good_practice),
            text(&self.parallel_processes),
        ];
        SCOPING_QUESTIONS
            .iter()
            .zip(values)
            .map(|((k, q), v)| (*k, *q, v))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_draft_may_leave_everything_out_but_submission_needs_involvement() {
        let draft = Scoping::parse(json!({"key_professionals": "Class teacher"})).unwrap();
        assert_eq!(draft.ready_to_submit().unwrap_err().field, "involvement");
        let ready = Scoping::parse(json!({"involvement": "Attended school since 2024"})).unwrap();
        assert!(ready.ready_to_submit().is_ok());
    }

    #[test]
    fn an_unknown_field_or_a_bad_date_is_named() {
        assert_eq!(
            Scoping::parse(json!({"involvment": "x"})).unwrap_err().field,
            "involvment"
        );
        assert_eq!(
            Scoping::parse(json!({"involvement_from": "last May"}))
                .unwrap_err()
                .field,
            "involvement_from"
        );
        let err =
            Scoping::parse(json!({"involvement_from": "2026-05-01", "involvement_to": "2026-04-01"})).unwrap_err();
        assert_eq!(err.field, "involvement_to");
    }
}
