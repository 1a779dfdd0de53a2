//! Chronology entries: one dated line of what happened, as the chronology template's
//! columns hold it. Rows are validated all together so that an upload either stores
//! every row or none and reports every bad row at once.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::events::{FieldError, Text};

/// The template's columns, in order.
pub const COLUMNS: [&str; 6] = ["date", "time", "what_happened", "who", "source", "significance"];

/// The most rows one upload may hold.
pub const MAX_ROWS: usize = 5_000;

/// The most entries one agency's return may hold, however they were added.
pub const MAX_ENTRIES_PER_RETURN: usize = 5_000;

/// The longest `what_happened` of one entry, in characters: a long paragraph.
pub const MAX_WHAT_HAPPENED_CHARS: usize = 4_000;

/// The longest `who`, `source` or `significance`, in characters.
pub const MAX_DETAIL_CHARS: usize = 500;

/// The most text one return may hold in all (its entries and its scoping answers), in
/// bytes: what bounds the memory of every document made from it.
pub const MAX_RETURN_BYTES: usize = 5 * 1024 * 1024;

/// `text` as a field of at most `max` characters, counted before anything is kept.
fn bounded(name: &str, text: &str, max: usize) -> Result<Text, FieldError> {
    if text.chars().nth(max).is_some() {
        return Err(FieldError::new(
            name,
            format!("is longer than {max} characters: shorten it, or split it into more entries"),
        ));
    }
    Text::try_from(text).map_err(|m| FieldError::new(name, m))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChronologyEntry {
    pub date: NaiveDate,
    #[serde(default, with = "hh_mm", skip_serializing_if = "Option::is_none")]
    pub time: Option<NaiveTime>,
    pub what_happened: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub significance: Option<Text>,
}

/// One bad row: its number as in the file (the header is row 1) and the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub row: usize,
    pub field: String,
    pub message: String,
}

impl ChronologyEntry {
    /// Builds an entry from the template's cells, in [`COLUMNS`] order.
    pub fn from_cells(cells: &[String]) -> Result<ChronologyEntry, FieldError> {
        let cell = |i: usize| cells.get(i).map(|s| s.trim()).unwrap_or_default();
        let date = parse_date(cell(0))
            .ok_or_else(|| {
                if cell(0).is_empty() {
                    FieldError::new("date", "is required")
                } else {
                    FieldError::new("date", format!("\"{}\" is not a date: use YYYY-MM-DD", short(cell(0))))
                }
            })
            .and_then(|d| crate::dates::in_range(d).map_err(|m| FieldError::new("date", m)))?;
        let time = match cell(1) {
            "" => None,
            t => Some(
                parse_time(t)
                    .ok_or_else(|| FieldError::new("time", format!("\"{}\" is not a time: use HH:MM", short(t))))?,
            ),
        };
        let what_happened = match cell(2) {
            "" => return Err(FieldError::new("what_happened", "is required")),
            t => bounded("what_happened", t, MAX_WHAT_HAPPENED_CHARS)?,
        };
        let optional = |i: usize, name: &str| -> Result<Option<Text>, FieldError> {
            match cell(i) {
                "" => Ok(None),
                t => bounded(name, t, MAX_DETAIL_CHARS).map(Some),
            }
        };
        Ok(ChronologyEntry {
            date,
            time,
            what_happened,
            who: optional(3, "who")?,
            source: optional(4, "source")?,
            significance: optional(5, "significance")?,
        })
    }

    /// The bytes of text the entry holds, as counted against [`MAX_RETURN_BYTES`].
    pub fn text_bytes(&self) -> usize {
        let opt = |t: &Option<Text>| t.as_ref().map_or(0, |t| t.as_str().len());
        self.what_happened.as_str().len() + opt(&self.who) + opt(&self.source) + opt(&self.significance)
    }

    /// The entry's cells, in [`COLUMNS`] order.
    pub fn cells(&self) -> [String; 6] {
        let text = |t: &Option<Text>| t.as_ref().map(|t| t.to_string()).unwrap_or_default();
        [
            self.date.to_string(),
            self.time.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
            self.what_happened.to_string(),
            text(&self.who),
            text(&self.source),
            text(&self.significance),
        ]
    }
}

/// Validates rows of cells; `first_row` is the file's number of the first data row.
pub fn parse_rows(rows: &[Vec<String>], first_row: usize) -> Result<Vec<ChronologyEntry>, Vec<RowError>> {
    if rows.len() > MAX_ROWS {
        return Err(vec![RowError {
            row: first_row + MAX_ROWS,
            field: "(file)".into(),
            message: format!("an upload may hold at most {MAX_ROWS} entries"),
        }]);
    }
    let mut entries = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for (i, cells) in rows.iter().enumerate() {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match ChronologyEntry::from_cells(cells) {
            Ok(e) => entries.push(e),
            Err(e) => errors.push(RowError {
                row: first_row + i,
                field: e.field,
                message: e.message,
            }),
        }
    }
    if errors.is_empty() { Ok(entries) } else { Err(errors) }
}

/// Validates `{"entries": [...]}`; rows are numbered from 1 in the order given.
pub fn parse_entries_json(body: &Value) -> Result<Vec<ChronologyEntry>, Vec<RowError>> {
    let Some(list) = body.get("entries").and_then(Value::as_array) else {
        return Err(vec![RowError {
            row: 0,
            field: "entries".into(),
            message: "send {\"entries\": [...]}".into(),
        }]);
    };
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|entry| {
            COLUMNS
                .iter()
                .map(|c| match entry.get(*c) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                })
                .collect()
        })
        .collect();
    if rows.is_empty() {
        return Err(vec![RowError {
            row: 0,
            field: "entries".into(),
            message: "give at least one entry".into(),
        }]);
    }
    parse_rows(&rows, 1)
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(s, "%d/%m/%Y").ok())
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M")
        .ok()
        .or_else(|| NaiveTime::parse_from_str(s, "%H:%M:%S").ok())
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

mod hh_mm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<NaiveTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&t.format("%H:%M").to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveTime>, D::Error> {
        let raw: Option<String> = Option::deserialize(d)?;
        match raw.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(t) => NaiveTime::parse_from_str(t, "%H:%M")
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_bad_row_is_reported_with_its_number_and_field() {
        let rows = vec![
            row(&[
                "2026-03-01",
                "09:30",
                "Home visit",
                "Health visitor",
                "Records",
                "Concern noted",
            ]),
            row(&["1 March", "", "Call", "", "", ""]),
            row(&["2026-03-02", "25:00", "Call", "", "", ""]),
            row(&["2026-03-03", "", "", "", "", ""]),
        ];
        let errors = parse_rows(&rows, 2).unwrap_err();
        let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.field.as_str())).collect();
        assert_eq!(got, vec![(3, "date"), (4, "time"), (5, "what_happened")]);
    }

    #[test]
    fn blank_rows_are_skipped_and_uk_dates_accepted() {
        let rows = vec![
            row(&["", "", "", "", "", ""]),
            row(&["01/03/2026", "", "Strategy meeting", "", "", ""]),
        ];
        let entries = parse_rows(&rows, 2).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].date.to_string(), "2026-03-01");
    }

    #[test]
    fn json_entries_round_trip_through_cells() {
        let entries = parse_entries_json(&json!({"entries": [
            {"date": "2026-03-01", "time": "14:05", "what_happened": "Seen in A&E", "who": "Registrar"}]}))
        .unwrap();
        assert_eq!(entries[0].cells()[1], "14:05");
        let again = ChronologyEntry::from_cells(&entries[0].cells()).unwrap();
        assert_eq!(again, entries[0]);
    }

    #[test]
    fn an_empty_list_is_refused() {
        assert!(parse_entries_json(&json!({"entries": []})).is_err());
        assert!(parse_entries_json(&json!({"rows": []})).is_err());
    }
}
