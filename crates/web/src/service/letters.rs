//! The Rapid Review's papers as values for the documents crate: the template at a
//! version, the covering letter to the National Panel and the outcome letter to one
//! agency, each with names (not keys) and dates resolved from the case.

use chrono::NaiveDate;
use documents::{CaseHeading, OutcomeLetter, PanelLetter, SignOffLine, TemplateDocument};
use domain::events::{AgencySlug, Event, EventPayload, MeetingHeld, RapidReviewSubmitted};
use domain::process;
use domain::roles::Partner;
use domain::template::Section;
use store::{CaseRecord, User};

use super::template::{self, TemplateRead};
use super::{Refused, agencies};
use crate::state::AppState;

/// How the letters name the partnership unless `partnership_name` is set.
pub const PARTNERSHIP: &str = "The Safeguarding Children Partnership";

/// Case `id`'s template at `version` (the latest when `None`), as a document.
pub async fn template_document(
    state: &AppState,
    user: &User,
    id: &str,
    version: Option<u32>,
) -> Result<(CaseRecord, TemplateDocument), Refused> {
    let read = template::read(state, user, id, version).await?;
    let submitted_on = submission(&read.record.events)
        .filter(|(_, s)| s.template_version == Some(read.version()))
        .map(|(on, _)| on);
    let document = TemplateDocument {
        case: heading(&read.record),
        version: read.version(),
        saved: read
            .saved
            .as_ref()
            .map(|s| (s.saved_by.clone(), s.saved_at.date_naive())),
        sections: Section::ALL
            .iter()
            .map(|s| (s.label().to_owned(), read.sections.text(*s).to_owned()))
            .collect(),
        sign_offs: sign_off_lines(&read),
        submitted_on,
    };
    Ok((read.record, document))
}

/// The covering letter to the National Panel: after the meeting, from the template's
/// current version (the submitted one once it is sent; before, marked as a draft).
pub async fn panel_letter(state: &AppState, user: &User, id: &str) -> Result<(CaseRecord, PanelLetter), Refused> {
    // The template is frozen once submitted, so its latest version is the one sent.
    let read = template::read(state, user, id, None).await?;
    let meeting = held(&read.record.events)?;
    let submitted = submission(&read.record.events);
    let letter = PanelLetter {
        case: heading(&read.record),
        partnership: state.partnership.to_string(),
        submitted_on: submitted.as_ref().map(|(on, _)| *on),
        template_version: Some(read.version()).filter(|v| *v > 0),
        recommendation: meeting.recommendation.label().to_owned(),
        rationale: meeting.rationale.to_string(),
        sign_offs: sign_off_lines(&read),
        without_sign_off_reason: submitted.and_then(|(_, s)| s.without_sign_off_reason.map(String::from)),
    };
    Ok((read.record, letter))
}

/// The outcome letter to `agency`: one asked for a return, or the referrer.
pub async fn outcome_letter(
    state: &AppState,
    user: &User,
    id: &str,
    agency: &str,
) -> Result<(CaseRecord, OutcomeLetter), Refused> {
    let record = super::cases::load(state, user, id).await?;
    let meeting = held(&record.events)?;
    let slug = AgencySlug::try_from(agency).map_err(|message| domain::events::FieldError::new("agency", message))?;
    let asked = process::fold(&record.events).request(&slug).is_some();
    let referred = process::corrected_incident(&record.events).is_some_and(|i| i.referring_agency == slug);
    if !asked && !referred {
        return Err(Refused::Invalid(domain::events::FieldError::new(
            "agency",
            format!("{agency} was neither asked for a return on this case nor referred it"),
        )));
    }
    let names = agencies::names(state).await?;
    let letter = OutcomeLetter {
        case: heading(&record),
        partnership: state.partnership.to_string(),
        agency: agencies::name_of(&names, agency),
        referred,
        asked,
        date: state.clock.today(),
        recommendation: meeting.recommendation.label().to_owned(),
        rationale: meeting.rationale.to_string(),
        submitted_on: submission(&record.events).map(|(on, _)| on),
        immediate_actions: meeting
            .immediate_actions
            .iter()
            .map(|a| (a.action.to_string(), a.owner.to_string(), a.due))
            .collect(),
    };
    Ok((record, letter))
}

fn heading(record: &CaseRecord) -> CaseHeading {
    let state = process::fold(&record.events);
    CaseHeading {
        reference: record.reference.clone(),
        notification_reference: record.events.iter().find_map(|e| match &e.payload {
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

fn sign_off_lines(read: &TemplateRead) -> Vec<SignOffLine> {
    Partner::ALL
        .iter()
        .map(|p| SignOffLine {
            partner: p.label().to_owned(),
            signed: read
                .saved
                .iter()
                .flat_map(|s| &s.sign_offs)
                .find(|o| o.partner == *p)
                .map(|o| (o.by.clone(), o.at.date_naive())),
        })
        .collect()
}

/// The meeting as recorded (with corrections), or a 409 until it is held.
fn held(events: &[Event]) -> Result<MeetingHeld, Refused> {
    domain::template::meeting_held(events).ok_or_else(|| {
        Refused::NotNow("hold the Rapid Review meeting (meeting_held) before writing its letters".into())
    })
}

fn submission(events: &[Event]) -> Option<(NaiveDate, RapidReviewSubmitted)> {
    events.iter().find_map(|e| match &e.payload {
        EventPayload::RapidReviewSubmitted(p) => Some((e.on, p.clone())),
        _ => None,
    })
}
