//! The Rapid Review Template: the review's own document, as sections of text that
//! belong to the case. The sections the case already knows are first drafted from it
//! ([`draft`]); the partnership writes the rest. The store keeps every saved version;
//! each partner's representative signs a version off, and the submission to the
//! National Panel needs all three on the version it sends ([`submission_check`]).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::events::{Event, EventPayload, FieldError, MeetingHeld, Text};
use crate::process::{self, Refusal};
use crate::roles::Partner;

crate::keyed! {
    /// A section of the template, in the order the document has them.
    pub enum Section {
        ChildrenAndFamily = "children_and_family", "The child or children and the family";
        Incident = "incident", "The incident";
        AgenciesInvolved = "agencies_involved", "Agencies involved and what each one's return says";
        KeyPracticeEpisodes = "key_practice_episodes", "Key practice episodes";
        ImmediateActions = "immediate_actions", "Immediate actions";
        Criteria = "criteria", "The criteria for a local review, with reasons";
        Recommendation = "recommendation", "Recommendation and rationale";
        EqualityDiversityInclusion = "equality_diversity_inclusion", "Equality, diversity and inclusion considerations";
        Learning = "learning", "Learning identified, with good practice";
        FamilyViews = "family_views", "Views of the family, where sought";
    }
}

impl Section {
    /// Whether the service drafts this section from the case (the others the
    /// partnership writes from scratch).
    pub fn drafted_from_case(self) -> bool {
        !matches!(
            self,
            Section::EqualityDiversityInclusion | Section::Learning | Section::FamilyViews
        )
    }

    /// What the section asks for, as a hint on its form.
    pub fn hint(self) -> &'static str {
        match self {
            Section::ChildrenAndFamily => "Who the child or children are, by initials, and the family's circumstances.",
            Section::Incident => "What happened, when, and how the partnership heard.",
            Section::AgenciesInvolved => "Each agency involved and a summary of its return.",
            Section::KeyPracticeEpisodes => "The episodes from the merged chronology that the review turns on.",
            Section::ImmediateActions => "Each action agreed at the meeting, its owner and its due date.",
            Section::Criteria => "Each criterion for a local child safeguarding practice review, yes or no, and why.",
            Section::Recommendation => {
                "What the meeting recommends and why, and whether to ask the Panel to consider a national review."
            }
            Section::EqualityDiversityInclusion => {
                "How the child's and family's identity, needs and circumstances shaped the help they had."
            }
            Section::Learning => "What the review has learnt so far, including good practice.",
            Section::FamilyViews => "The family's views, where they were sought, or why they were not.",
        }
    }
}

/// The most text one section may hold, as for every other text field.
pub const MAX_SECTION_CHARS: usize = 20_000;

/// The template's text, section by section; a section not written yet is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Sections(pub BTreeMap<Section, String>);

impl Sections {
    pub fn text(&self, section: Section) -> &str {
        self.0.get(&section).map_or("", String::as_str)
    }

    /// These sections with `changes` written over them: a section not named keeps its
    /// text, and an empty text clears it.
    pub fn with(&self, changes: Vec<(Section, String)>) -> Sections {
        let mut out = self.0.clone();
        for (section, text) in changes {
            if text.is_empty() {
                out.remove(&section);
            } else {
                out.insert(section, text);
            }
        }
        Sections(out)
    }
}

/// Reads a `sections` object, `{"incident": "text", ...}`, naming the field at fault
/// (`sections.KEY`). Text is trimmed.
pub fn parse_sections(value: &Value) -> Result<Vec<(Section, String)>, FieldError> {
    let Value::Object(map) = value else {
        return Err(FieldError::new(
            "sections",
            "send an object of section texts, such as {\"learning\": \"...\"}",
        ));
    };
    let mut out = Vec::with_capacity(map.len());
    for (key, text) in map {
        let field = format!("sections.{}", key.chars().take(60).collect::<String>());
        let Some(section) = Section::parse(key) else {
            let known: Vec<&str> = Section::ALL.iter().map(|s| s.as_str()).collect();
            return Err(FieldError::new(
                field,
                format!(
                    "is not a section of the template; the sections are {}",
                    known.join(", ")
                ),
            ));
        };
        let text = match text {
            Value::String(s) => s.trim().to_owned(),
            Value::Null => String::new(),
            _ => return Err(FieldError::new(field, "must be text")),
        };
        if text.chars().count() > MAX_SECTION_CHARS {
            return Err(FieldError::new(
                field,
                format!("must be at most {MAX_SECTION_CHARS} characters"),
            ));
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(FieldError::new(field, "must not contain control characters"));
        }
        out.push((section, text));
    }
    Ok(out)
}

/// What the case knows beyond its events, for the draft: each agency asked, by name,
/// with what its return says of its involvement (empty while it is outstanding).
#[derive(Debug, Clone, Default)]
pub struct AgencyReturn {
    pub agency: String,
    pub involvement: String,
    pub submitted: bool,
}

/// The sections drafted from the case: its (corrected) events, the agencies' returns,
/// and the referring agency's name.
pub fn draft(events: &[Event], returns: &[AgencyReturn], referrer: &str) -> Sections {
    let mut out = BTreeMap::new();
    if let Some(incident) = process::corrected_incident(events) {
        let children: Vec<String> = incident.children.iter().map(crate::events::Child::describe).collect();
        out.insert(Section::ChildrenAndFamily, children.join("\n"));
        out.insert(
            Section::Incident,
            format!(
                "{} on {}. {}\nReported by {referrer} on {}; the local authority was aware on {}.",
                incident.incident.kind.label(),
                long(incident.incident.occurred_on),
                incident.incident.summary,
                long(incident.reported_on),
                long(incident.aware_on),
            ),
        );
    }
    let agencies: Vec<String> = returns
        .iter()
        .map(|r| match (r.submitted, r.involvement.is_empty()) {
            (false, _) => format!("{}: no return yet.", r.agency),
            (true, true) => format!("{}: returned, involvement not described.", r.agency),
            (true, false) => format!("{}: {}", r.agency, r.involvement),
        })
        .collect();
    if !agencies.is_empty() {
        out.insert(Section::AgenciesInvolved, agencies.join("\n"));
    }
    if let Some(meeting) = meeting_held(events) {
        let actions: Vec<String> = meeting
            .immediate_actions
            .iter()
            .map(|a| format!("{} (owner: {}; due {})", a.action, a.owner, long(a.due)))
            .collect();
        if !actions.is_empty() {
            out.insert(Section::ImmediateActions, actions.join("\n"));
        }
        let c = meeting.criteria;
        let criteria = [
            (
                c.improvements_needed,
                "The case highlights improvements needed to safeguard children",
            ),
            (c.recurring_themes, "It highlights recurring themes"),
            (
                c.multi_agency_concerns,
                "It raises concerns about how agencies worked together",
            ),
            (c.panel_view, "The National Panel has said a local review suits it"),
        ];
        let lines: Vec<String> = criteria
            .iter()
            .map(|(met, what)| format!("{what}: {}.", if *met { "yes" } else { "no" }))
            .collect();
        out.insert(Section::Criteria, lines.join("\n"));
        out.insert(
            Section::Recommendation,
            format!("{}. {}", meeting.recommendation.label(), meeting.rationale),
        );
    }
    Sections(out)
}

/// The meeting as recorded, with any correction of it applied.
pub fn meeting_held(events: &[Event]) -> Option<MeetingHeld> {
    let held = events.iter().find_map(|e| match &e.payload {
        EventPayload::MeetingHeld(p) => Some((e.version, p.clone())),
        _ => None,
    })?;
    let mut fields = EventPayload::MeetingHeld(held.1.clone()).fields();
    for e in events {
        if let EventPayload::EventCorrected(c) = &e.payload
            && c.corrects == held.0
        {
            for (k, v) in &c.fields {
                fields.insert(k.clone(), v.clone());
            }
        }
    }
    serde_json::from_value(Value::Object(fields)).ok().or(Some(held.1))
}

fn long(d: chrono::NaiveDate) -> String {
    crate::dates::long(d)
}

/// The partners who have not signed off, of the three.
pub fn missing_sign_offs(signed: &[Partner]) -> Vec<Partner> {
    Partner::ALL.iter().copied().filter(|p| !signed.contains(p)).collect()
}

/// Whether the Rapid Review may go to the Panel with this template version and these
/// sign-offs: a 409 naming who has not signed, unless the Partnership Manager gave a
/// reason to go without them.
pub fn submission_check(version: Option<u32>, signed: &[Partner], reason: Option<&Text>) -> Result<(), Refusal> {
    if version.is_none() {
        return Err(Refusal::NotAllowedNow(
            "write the Rapid Review Template (PUT /api/v1/cases/{id}/template) and have each partner sign it off before submitting".into(),
        ));
    }
    let missing = missing_sign_offs(signed);
    if missing.is_empty() || reason.is_some() {
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|p| p.label()).collect();
    let keys: Vec<&str> = missing.iter().map(|p| p.as_str()).collect();
    Err(Refusal::NotAllowedNow(format!(
        "the template's version {} is not signed off by {} ({}): each partner's representative signs it off first, or the Partnership Manager records why it must go without (without_sign_off_reason)",
        version.unwrap_or_default(),
        names.join(", "),
        keys.join(", ")
    )))
}

#[cfg(test)]
mod tests;
