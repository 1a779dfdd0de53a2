//! The names of the files the service attaches to its emails, in one place: the
//! composer names what it attaches with these, and the case's `correspondence` lists
//! them, so the two always agree.

use domain::events::AgencySlug;
use domain::notices::Enclosure;

pub fn referral_form(reference: &str) -> String {
    format!("{reference}-referral-form.docx")
}

pub const SCOPING_TEMPLATE: &str = "initial-scoping-and-information-sharing-template.docx";
pub const CHRONOLOGY_TEMPLATE: &str = "chronology-template.xlsx";

pub fn meeting_invitation(reference: &str) -> String {
    format!("{reference}-meeting.ics")
}

/// An outcome recipient's letter: the outcome letter, or on the not-met path the
/// decision letter.
pub fn recipient_letter(reference: &str, agency: &AgencySlug, decision: bool) -> String {
    let what = if decision { "decision-letter" } else { "outcome-letter" };
    format!("{reference}-{what}-{agency}.docx")
}

pub fn submitted_template(reference: &str, version: u32) -> String {
    format!("{reference}-rapid-review-template-v{version}.docx")
}

pub fn panel_letter(reference: &str) -> String {
    format!("{reference}-panel-letter.docx")
}

/// What a message with `enclosure` carries, by name.
#[derive(Debug, Clone, Copy)]
pub struct Enclosed<'a> {
    pub reference: &'a str,
    pub agency: Option<&'a AgencySlug>,
    /// The agency receives secure email (the referral form travels attached).
    pub secure_email: bool,
    /// The case is on the not-met path (a decision letter, not an outcome letter).
    pub not_met: bool,
    /// The template version submitted to the Panel, if one was saved.
    pub template_version: Option<u32>,
}

pub fn enclosed(enclosure: Enclosure, e: Enclosed<'_>) -> Vec<String> {
    match enclosure {
        Enclosure::ReturnRequest => {
            let mut out = Vec::with_capacity(3);
            if e.secure_email {
                out.push(referral_form(e.reference));
            }
            out.extend([SCOPING_TEMPLATE.to_owned(), CHRONOLOGY_TEMPLATE.to_owned()]);
            out
        }
        Enclosure::MeetingInvitation => vec![meeting_invitation(e.reference)],
        Enclosure::OutcomeLetter => e
            .agency
            .map(|a| recipient_letter(e.reference, a, e.not_met))
            .into_iter()
            .collect(),
        Enclosure::PanelSubmission => e
            .template_version
            .map(|v| submitted_template(e.reference, v))
            .into_iter()
            .chain([panel_letter(e.reference)])
            .collect(),
        Enclosure::LinkOnly => Vec::new(),
    }
}
