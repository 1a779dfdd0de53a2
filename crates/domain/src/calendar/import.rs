//! Reads the government's bank-holidays JSON feed (divisions `england-and-wales`,
//! `scotland`, `northern-ireland`, each with `events` of `title`, `date`, `notes`,
//! `bunting`) and turns its England and Wales events into calendar overrides.
//! Parsing is all-or-nothing: a malformed file yields an error naming the field at
//! fault and no overrides at all.

use chrono::NaiveDate;
use serde::Deserialize;

use super::overrides::Override;

const DIVISION: &str = "england-and-wales";

/// Why a feed was refused: `field` is a path such as `england-and-wales.events[3].date`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ImportError {
    pub field: String,
    pub message: String,
}

#[derive(Deserialize)]
struct Feed {
    #[serde(rename = "england-and-wales")]
    england_and_wales: Division,
}

#[derive(Deserialize)]
struct Division {
    division: String,
    events: Vec<FeedEvent>,
}

#[derive(Deserialize)]
struct FeedEvent {
    title: String,
    #[serde(deserialize_with = "crate::dates::deserialize")]
    date: NaiveDate,
    #[serde(default)]
    #[allow(dead_code)]
    notes: String,
    #[serde(default)]
    #[allow(dead_code)]
    bunting: bool,
}

/// Parses a gov.uk bank-holidays document and returns one `Import` override per
/// England and Wales event, in the feed's order.
pub fn parse_gov_uk_feed(json: &str) -> Result<Vec<Override>, ImportError> {
    let mut de = serde_json::Deserializer::from_str(json);
    let feed: Feed = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        let field = missing_field(&message)
            .map(|name| {
                if path == "." {
                    name.to_owned()
                } else {
                    format!("{path}.{name}")
                }
            })
            .unwrap_or(if path == "." { String::from("(document)") } else { path });
        ImportError {
            field,
            message: strip_position(&message),
        }
    })?;
    let division = feed.england_and_wales;
    if division.division != DIVISION {
        return Err(ImportError {
            field: format!("{DIVISION}.division"),
            message: format!("expected \"{DIVISION}\", found \"{}\"", division.division),
        });
    }
    if division.events.is_empty() {
        return Err(ImportError {
            field: format!("{DIVISION}.events"),
            message: "the feed lists no events".into(),
        });
    }
    division
        .events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let title = event.title.trim();
            let field = || format!("{DIVISION}.events[{i}].title");
            if title.is_empty() || title.chars().count() > 200 {
                return Err(ImportError {
                    field: field(),
                    message: "must be a name of 1 to 200 characters".into(),
                });
            }
            crate::events::fields::no_control_characters(title).map_err(|message| ImportError {
                field: field(),
                message,
            })?;
            Ok(Override::imported(event.date, title))
        })
        .collect()
}

/// serde_json reports a missing field against its parent; the user needs its name.
pub(crate) fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next()
}

/// serde_json appends "at line L column C"; keep it out of messages meant for people
/// only when it adds nothing — for a whole-document error it is the useful part.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if !message.starts_with("expected") && !message.starts_with("EOF") => message[..i].to_owned(),
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_event_becomes_an_import_override() {
        let json = r#"{"england-and-wales": {"division": "england-and-wales", "events": [
            {"title": "Extra day", "date": "2031-06-02", "notes": "", "bunting": true}]}}"#;
        let overrides = parse_gov_uk_feed(json).unwrap();
        assert_eq!(
            overrides,
            vec![Override::imported(
                NaiveDate::from_ymd_opt(2031, 6, 2).unwrap(),
                "Extra day"
            )]
        );
    }

    #[test]
    fn a_bad_date_is_refused_naming_the_event_and_field() {
        let json = r#"{"england-and-wales": {"division": "england-and-wales", "events": [
            {"title": "A", "date": "2031-06-02", "notes": "", "bunting": true},
            {"title": "B", "date": "2031-13-02", "notes": "", "bunting": true}]}}"#;
        let err = parse_gov_uk_feed(json).unwrap_err();
        assert_eq!(err.field, "england-and-wales.events[1].date");
    }

    #[test]
    fn a_missing_title_is_refused_naming_it() {
        let json = r#"{"england-and-wales": {"division": "england-and-wales", "events": [
            {"date": "2031-06-02", "notes": "", "bunting": true}]}}"#;
        let err = parse_gov_uk_feed(json).unwrap_err();
        assert_eq!(err.field, "england-and-wales.events[0].title");
    }

    #[test]
    fn a_feed_without_the_england_and_wales_division_is_refused() {
        let err = parse_gov_uk_feed(r#"{"scotland": {"division": "scotland", "events": []}}"#).unwrap_err();
        assert_eq!(err.field, "england-and-wales");
    }

    #[test]
    fn a_document_that_is_not_json_is_refused() {
        let err = parse_gov_uk_feed("not json").unwrap_err();
        assert_eq!(err.field, "(document)");
    }

    #[test]
    fn the_published_feed_imports_every_england_and_wales_event() {
        let json = include_str!("../../tests/data/bank-holidays-2024-2027.json");
        let overrides = parse_gov_uk_feed(json).unwrap();
        assert_eq!(overrides.len(), 32);
    }
}
