//! The letter each recipient of a review's outcome gets, built from the case's events:
//! after a Rapid Review, the outcome letter (the meeting's recommendation, its reasons,
//! the submission and the immediate actions); on the not-met path, the decision letter
//! to the referring agency (the seed's "Referring agency notified of decision made").
//! The web's download and the email's attachment are the same document.

use chrono::NaiveDate;
use domain::events::{AgencySlug, ChallengeOutcome, Event, EventPayload};
use domain::process::{self, Path};

use crate::DocumentError;
use crate::docx::{heading, long, official, pack, para};
use crate::review::{CaseHeading, OutcomeLetter, outcome_letter_docx};

/// How the letters name the partnership unless its name is set.
pub const DEFAULT_PARTNERSHIP: &str = "The Safeguarding Children Partnership";

impl CaseHeading {
    /// The heading of case `reference` from its events.
    pub fn of(reference: &str, events: &[Event]) -> CaseHeading {
        let state = process::fold(events);
        CaseHeading {
            reference: reference.to_owned(),
            notification_reference: events.iter().find_map(|e| match &e.payload {
                EventPayload::PanelNotified(p) => Some(p.reference.to_string()),
                _ => None,
            }),
            aware_on: state.aware_on(),
            meeting_on: state
                .meeting_held
                .as_ref()
                .map(|m| m.on)
                .or(state.meeting.as_ref().map(|m| m.meeting_on)),
        }
    }
}

/// The not-met decision, told to the agency that referred the incident.
#[derive(Debug, Clone)]
pub struct DecisionLetter {
    pub case: CaseHeading,
    pub partnership: String,
    pub agency: String,
    pub date: NaiveDate,
    pub decided_on: NaiveDate,
    pub rationale: String,
    /// The challenge to the decision, upheld on this day, if there was one.
    pub challenge_upheld_on: Option<NaiveDate>,
}

/// One recipient's letter.
#[derive(Debug, Clone)]
pub enum RecipientLetter {
    Outcome(OutcomeLetter),
    Decision(DecisionLetter),
}

/// Why there is no letter for an agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoLetter {
    /// The agency is not among the case's recipients (names why).
    NotARecipient(String),
    /// Not yet: what must happen first.
    NotYet(String),
}

/// Who and what a letter is for, beyond the case's events.
#[derive(Debug, Clone, Copy)]
pub struct Addressed<'a> {
    pub agency: &'a AgencySlug,
    pub agency_name: &'a str,
    pub partnership: &'a str,
    pub date: NaiveDate,
}

/// The letter `to` gets on case `reference`.
pub fn recipient_letter(reference: &str, events: &[Event], to: Addressed<'_>) -> Result<RecipientLetter, NoLetter> {
    let state = process::fold(events);
    if !state.outcome_recipients().contains(to.agency) {
        return Err(NoLetter::NotARecipient(format!(
            "{} was neither asked for a return on this case nor referred it",
            to.agency
        )));
    }
    let referred = state.referrer.as_ref() == Some(to.agency);
    match state.path() {
        Path::SeriousHarm => {
            let meeting = domain::template::meeting_held(events).ok_or_else(|| {
                NoLetter::NotYet("hold the Rapid Review meeting (meeting_held) before writing its letters".into())
            })?;
            Ok(RecipientLetter::Outcome(OutcomeLetter {
                case: CaseHeading::of(reference, events),
                partnership: to.partnership.to_owned(),
                agency: to.agency_name.to_owned(),
                referred,
                asked: state.request(to.agency).is_some(),
                date: to.date,
                recommendation: meeting.recommendation.label().to_owned(),
                rationale: meeting.rationale.to_string(),
                submitted_on: state.submitted_on,
                immediate_actions: meeting
                    .immediate_actions
                    .iter()
                    .map(|a| (a.action.to_string(), a.owner.to_string(), a.due))
                    .collect(),
            }))
        }
        _ => {
            let (decided_on, rationale) = events
                .iter()
                .rev()
                .find_map(|e| match &e.payload {
                    EventPayload::ThresholdDecided(p) => Some((e.on, p.rationale.to_string())),
                    _ => None,
                })
                .ok_or_else(|| NoLetter::NotYet("record the threshold decision (threshold_decided) first".into()))?;
            Ok(RecipientLetter::Decision(DecisionLetter {
                case: CaseHeading::of(reference, events),
                partnership: to.partnership.to_owned(),
                agency: to.agency_name.to_owned(),
                date: to.date,
                decided_on,
                rationale,
                challenge_upheld_on: state
                    .challenge
                    .resolved
                    .as_ref()
                    .filter(|r| r.value == ChallengeOutcome::Upheld)
                    .map(|r| r.on),
            }))
        }
    }
}

impl RecipientLetter {
    pub fn docx(&self) -> Result<Vec<u8>, DocumentError> {
        match self {
            RecipientLetter::Outcome(l) => outcome_letter_docx(l),
            RecipientLetter::Decision(l) => decision_letter_docx(l),
        }
    }
}

pub fn decision_letter_docx(l: &DecisionLetter) -> Result<Vec<u8>, DocumentError> {
    let mut doc = official()
        .add_paragraph(para(&l.partnership))
        .add_paragraph(para(&long(l.date)))
        .add_paragraph(para(&l.agency))
        .add_paragraph(heading(&format!("Decision on case {}", l.case.reference), 28))
        .add_paragraph(para("Thank you for referring this case."))
        .add_paragraph(para(&format!(
            "On {} the local authority decided that the Serious Harm threshold is not met, so there will be no Rapid Review. Its reasons:",
            long(l.decided_on)
        )))
        .add_paragraph(para(&l.rationale));
    if let Some(on) = l.challenge_upheld_on {
        doc = doc.add_paragraph(para(&format!(
            "The partners challenged the decision. On {} the challenge was resolved and the decision upheld.",
            long(on)
        )));
    }
    doc = doc
        .add_paragraph(para(
            "The partnership may still look for learning from this case. Please share this letter only with those in your agency who need it.",
        ))
        .add_paragraph(para("Yours sincerely,"))
        .add_paragraph(para(&format!("The Business Unit, {}", l.partnership)));
    pack(doc)
}
