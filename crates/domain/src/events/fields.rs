//! Field types of event payloads: each can only be built valid (parse, don't
//! validate), and each error says what is wrong in words a person can act on.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The longest text a field may hold, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// An input that failed validation, naming the field at fault (a path such as
/// `incident.summary` or `children[1].initials`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// This error seen from a containing field: `summary` inside `incident` becomes
    /// `incident.summary`.
    pub fn within(self, parent: &str) -> Self {
        let field = if self.field.is_empty() {
            parent.to_owned()
        } else {
            format!("{parent}.{}", self.field)
        };
        Self {
            field,
            message: self.message,
        }
    }
}

/// Refuses control characters other than tab, line feed and carriage return: a NUL in
/// particular cannot be stored in PostgreSQL text, and none has a place in a record.
pub fn no_control_characters(value: &str) -> Result<(), String> {
    match value.chars().find(|c| refused_character(*c)) {
        Some(c) if c.is_control() => Err(format!(
            "must not contain control characters (found U+{:04X})",
            u32::from(c)
        )),
        Some(c) => Err(format!(
            "must not contain characters that reorder or break text invisibly (found U+{:04X}): type it again without them",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

/// Control characters but tab and line breaks; the bidirectional controls, which make
/// text read differently from how it is stored (U+202E shows "txt.exe" as
/// "exe.txt"); and the Unicode line and paragraph separators, which break lines where
/// nothing shows one.
fn refused_character(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// Required free text: trimmed, not empty, at most 20,000 characters, no control
/// characters but tabs and line breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Text(String);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Text {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err("must not be empty".into());
        }
        if trimmed.chars().count() > MAX_TEXT_CHARS {
            return Err(format!("must be at most {MAX_TEXT_CHARS} characters"));
        }
        no_control_characters(trimmed)?;
        Ok(Self(if trimmed.len() == value.len() {
            value
        } else {
            trimmed.to_owned()
        }))
    }
}

impl TryFrom<&str> for Text {
    type Error = String;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::try_from(value.to_owned())
    }
}

impl From<Text> for String {
    fn from(value: Text) -> Self {
        value.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Optional free text: like [`Text`], but blank means "not given".
pub type OptionalText = Option<Text>;

/// Deserialises an optional text field, treating a blank string as absent.
pub fn blank_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<OptionalText, D::Error> {
    let raw: Option<String> = Option::deserialize(d)?;
    match raw {
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => Text::try_from(s).map(Some).map_err(serde::de::Error::custom),
        None => Ok(None),
    }
}

/// An agency's short name in the directory: lower-case letters, digits and hyphens,
/// 2 to 64 characters, starting with a letter (`st-marys-school`, `nhs-trust`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencySlug(Arc<str>);

impl AgencySlug {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AgencySlug {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let ok_chars = value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let starts_with_letter = value.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        if !(2..=64).contains(&value.len()) || !ok_chars || !starts_with_letter || value.ends_with('-') {
            return Err(format!(
                "\"{}\" is not an agency slug: use 2 to 64 lower-case letters, digits and hyphens, starting with a letter",
                value.chars().take(70).collect::<String>()
            ));
        }
        Ok(Self(value.into()))
    }
}

impl TryFrom<&str> for AgencySlug {
    type Error = String;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::try_from(value.to_owned())
    }
}

impl From<AgencySlug> for String {
    fn from(value: AgencySlug) -> Self {
        value.0.to_string()
    }
}

impl fmt::Display for AgencySlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A child's initials, the only identifying detail stored by default: one to four
/// letters, kept in capitals ("AB", "J").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Initials(String);

impl TryFrom<String> for Initials {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let letters: String = value.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
        if letters.is_empty() || letters.chars().count() > 4 || !letters.chars().all(char::is_alphabetic) {
            return Err("give one to four letters (initials only, not a name)".into());
        }
        Ok(Self(letters.to_uppercase()))
    }
}

impl From<Initials> for String {
    fn from(value: Initials) -> Self {
        value.0
    }
}

impl Initials {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The position of an event in its case's history, from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Version(u32);

impl Version {
    pub const FIRST: Version = Version(1);

    pub fn get(self) -> u32 {
        self.0
    }

    pub fn next(self) -> Version {
        Version(self.0.saturating_add(1))
    }
}

impl TryFrom<u32> for Version {
    type Error = String;

    fn try_from(value: u32) -> Result<Self, Self::Error> {
        if value == 0 {
            Err("versions start at 1".into())
        } else {
            Ok(Self(value))
        }
    }
}

impl From<Version> for u32 {
    fn from(value: Version) -> Self {
        value.0
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_must_not_be_blank() {
        assert_eq!(Text::try_from("  why  ").unwrap().as_str(), "why");
        assert!(Text::try_from("   ").is_err());
    }

    #[test]
    fn text_with_a_nul_or_other_control_character_is_refused_but_line_breaks_are_kept() {
        assert!(Text::try_from("a\0b").unwrap_err().contains("U+0000"));
        assert!(Text::try_from("a\u{1b}b").is_err());
        assert!(Text::try_from("line one\nline two\tend").is_ok());
    }

    /// Integrity row "small ones": bidi controls (U+202E) and U+2028 were accepted.
    #[test]
    fn text_with_a_bidirectional_control_or_a_unicode_line_separator_is_refused_naming_it() {
        for (c, code) in [
            ('\u{202E}', "U+202E"),
            ('\u{2066}', "U+2066"),
            ('\u{200F}', "U+200F"),
            ('\u{2028}', "U+2028"),
            ('\u{2029}', "U+2029"),
        ] {
            let err = Text::try_from(format!("report{c}fdp.exe").as_str()).unwrap_err();
            assert!(err.contains(code), "{err}");
        }
        assert!(Text::try_from("Zoë’s café — ✓ عربى").is_ok(), "other text is kept");
    }

    #[test]
    fn text_longer_than_twenty_thousand_characters_is_refused() {
        assert!(Text::try_from("é".repeat(MAX_TEXT_CHARS)).is_ok());
        assert!(Text::try_from("a".repeat(MAX_TEXT_CHARS + 1)).is_err());
    }

    #[test]
    fn agency_slugs_are_lower_case_words_joined_by_hyphens() {
        assert!(AgencySlug::try_from("st-marys-school").is_ok());
        assert!(AgencySlug::try_from("St Marys").is_err());
        assert!(AgencySlug::try_from("-x").is_err());
        assert!(AgencySlug::try_from("x").is_err());
    }

    #[test]
    fn initials_are_capitalised_and_refuse_names() {
        assert_eq!(Initials::try_from("a.b.".to_owned()).unwrap().as_str(), "AB");
        assert!(Initials::try_from("Jonathan".to_owned()).is_err());
        assert!(Initials::try_from("A1".to_owned()).is_err());
    }
}
