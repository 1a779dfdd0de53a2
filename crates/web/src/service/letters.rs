//! The Rapid Review's papers as values for the documents crate: the template at a
//! version, the covering letter to the National Panel and the outcome letter to one
//! agency, each with names (not keys) and dates resolved from the case.

use chrono::NaiveDate;
use documents::{Addressed, CaseHeading, NoLetter, PanelLetter, RecipientLetter, SignOffLine, TemplateDocument};
use domain::events::{AgencySlug, Event, EventPayload, MeetingHeld, RapidReviewSubmitted};
use domain::roles::Partner;
use domain::template::Section;
use store::{CaseRecord, User};

use super::template::{self, TemplateRead};
use super::{Refused, agencies};
use crate::state::AppState;

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

/// (name, email) of everyone the case's meeting invitation names: the same list the
/// emailed invitation carries.
pub async fn meeting_invitees(state: &AppState, record: &CaseRecord) -> Result<Vec<(String, String)>, Refused> {
    let asked = domain::notices::asked(&record.events);
    let invited = domain::notices::invited(&record.events);
    Ok(state.store.meeting_invitees(&asked, invited).await?)
}

/// The letter to `agency`, one of the case's outcome recipients: after the Rapid
/// Review, its outcome letter; on the not-met path, the referrer's decision letter.
pub async fn outcome_letter(
    state: &AppState,
    user: &User,
    id: &str,
    agency: &str,
) -> Result<(CaseRecord, RecipientLetter), Refused> {
    let record = super::cases::load(state, user, id).await?;
    let slug = AgencySlug::try_from(agency).map_err(|message| domain::events::FieldError::new("agency", message))?;
    let names = agencies::names(state).await?;
    let name = agencies::name_of(&names, agency);
    let addressed = Addressed {
        agency: &slug,
        agency_name: &name,
        partnership: state.partnership.as_ref(),
        date: state.clock.today(),
    };
    match documents::recipient_letter(&record.reference, &record.events, addressed) {
        Ok(letter) => Ok((record, letter)),
        Err(NoLetter::NotARecipient(why)) => Err(Refused::Invalid(domain::events::FieldError::new("agency", why))),
        Err(NoLetter::NotYet(why)) => Err(Refused::NotNow(why)),
    }
}

fn heading(record: &CaseRecord) -> CaseHeading {
    CaseHeading::of(&record.reference, &record.events)
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
