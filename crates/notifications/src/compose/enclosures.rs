//! What travels with a message: an agency's request (its return link and both blank
//! templates) and the meeting's calendar invitation. The referral form holds case
//! content (the children's initials, the incident, the decision's rationale), so it
//! goes by email only to an agency marked as receiving secure email (`secure_email` in
//! the directory); every other agency opens it through its return link.

use chrono::NaiveDate;
use domain::events::Event;
use store::{CaseRecord, OutboxMessage};

use super::{ComposeError, File, Sources, long_date};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The request's words (link, due date, expiry) and its three files.
pub(super) async fn return_request(
    sources: &Sources<'_>,
    message: &OutboxMessage,
    record: &CaseRecord,
    history: &[Event],
) -> Result<(String, Vec<File>), ComposeError> {
    let agency = message
        .agency
        .as_ref()
        .ok_or_else(|| ComposeError::Unsendable("a request names its agency".into()))?;
    let request = sources
        .request(&record.id, agency)
        .await?
        .ok_or_else(|| ComposeError::Unsendable("the agency's request is not on the case".into()))?;
    let mut text = format!(
        "{} is asked for a return: the Initial Scoping and Information Sharing template and a chronology \
         of your agency's involvement.\n\nPlease return it by {}.\n",
        sources.agency_name(agency),
        long_date(request.due)
    );
    match sources.return_link(&request) {
        Some(link) => text.push_str(&format!(
            "\nOpen your return: {link}\nThe link works until {}. Keep it to yourselves: anyone with it can \
             add to your agency's return.\n",
            long_date(request.expires_on)
        )),
        None => text.push_str("\nThe link for this request no longer works; the Business Unit will send a new one.\n"),
    }
    let secure = sources.secure_email(agency);
    if secure {
        text.push_str(
            "\nThe referral form and both templates are attached (your agency receives secure email), for \
             those who prefer to work offline and upload the chronology.\n",
        );
    } else {
        text.push_str(
            "\nThe referral form, with what is known of the child and the incident, is in your return: open \
             the link to read or download it. It is not sent by email. Both blank templates are attached, for \
             those who prefer to work offline and upload the chronology.\n",
        );
    }
    let unsendable = |e: documents::DocumentError| ComposeError::Unsendable(format!("a document failed: {e}"));
    let mut files = Vec::with_capacity(3);
    if secure {
        let referral = documents::referral_docx(&documents::referral_form(&record.reference, history, &|slug| {
            domain::events::AgencySlug::try_from(slug.to_owned())
                .map_or_else(|_| slug.to_owned(), |s| sources.agency_name(&s))
        }))
        .map_err(unsendable)?;
        files.push(File {
            name: documents::file_names::referral_form(&record.reference),
            content_type: DOCX,
            bytes: referral,
        });
    }
    files.extend([
        File {
            name: documents::file_names::SCOPING_TEMPLATE.to_owned(),
            content_type: DOCX,
            bytes: documents::scoping_template_docx().map_err(unsendable)?,
        },
        File {
            name: documents::file_names::CHRONOLOGY_TEMPLATE.to_owned(),
            content_type: XLSX,
            bytes: documents::chronology_template_xlsx().map_err(unsendable)?,
        },
    ]);
    Ok((text, files))
}

/// The meeting's invitation, as the API serves it: the same date, start time, place,
/// video link and attendees.
pub(super) async fn invitation(
    sources: &Sources<'_>,
    record: &CaseRecord,
    history: &[Event],
    meeting_on: NaiveDate,
) -> Result<File, ComposeError> {
    let uid = format!("{}@rapid-review", record.id);
    let mut invitation =
        documents::Invitation::of_case(&uid, &record.reference, history).unwrap_or_else(|| documents::Invitation {
            uid: uid.clone(),
            case_reference: record.reference.clone(),
            meeting_on,
            starts_at: None,
            place: None,
            video_link: None,
            attendees: Vec::new(),
        });
    invitation.attendees = sources
        .store
        .meeting_invitees(&domain::notices::asked(history), domain::notices::invited(history))
        .await?;
    let ics = documents::meeting_ics(&invitation, sources.now);
    Ok(File {
        name: documents::file_names::meeting_invitation(&record.reference),
        content_type: "text/calendar; charset=utf-8; method=REQUEST",
        bytes: ics.into_bytes(),
    })
}

/// The recipient's own letter: the outcome letter, or on the not-met path the decision
/// letter, as `GET /api/v1/cases/{id}/outcome-letter.docx?agency=` gives it.
pub(super) fn recipient_letter(
    sources: &Sources<'_>,
    message: &OutboxMessage,
    record: &CaseRecord,
    history: &[Event],
) -> Result<File, ComposeError> {
    let agency = message
        .agency
        .as_ref()
        .ok_or_else(|| ComposeError::Unsendable("a letter names its agency".into()))?;
    let name = sources.agency_name(agency);
    let addressed = documents::Addressed {
        agency,
        agency_name: &name,
        partnership: &sources.settings.partnership,
        date: sources.today,
    };
    let letter = documents::recipient_letter(&record.reference, history, addressed)
        .map_err(|e| ComposeError::Unsendable(format!("no letter for {agency}: {e:?}")))?;
    let bytes = letter
        .docx()
        .map_err(|e| ComposeError::Unsendable(format!("a document failed: {e}")))?;
    let decision = matches!(letter, documents::RecipientLetter::Decision(_));
    Ok(File {
        name: documents::file_names::recipient_letter(&record.reference, agency, decision),
        content_type: DOCX,
        bytes,
    })
}

/// The papers of a Rapid Review submission: the Template as submitted and the covering
/// letter to the National Panel, as `rapid_review_template.docx` and
/// `panel-letter.docx` give them.
pub(super) async fn panel_submission(
    sources: &Sources<'_>,
    record: &CaseRecord,
    history: &[Event],
) -> Result<Vec<File>, ComposeError> {
    use domain::events::EventPayload;
    use domain::roles::Partner;
    let unsendable = |e: documents::DocumentError| ComposeError::Unsendable(format!("a document failed: {e}"));
    let Some((submitted_on, submitted)) = history.iter().rev().find_map(|e| match &e.payload {
        EventPayload::RapidReviewSubmitted(p) => Some((e.on, p.clone())),
        _ => None,
    }) else {
        return Err(ComposeError::Unsendable("the case was not submitted".into()));
    };
    let meeting = domain::template::meeting_held(history)
        .ok_or_else(|| ComposeError::Unsendable("the meeting was not held".into()))?;
    let case = documents::CaseHeading::of(&record.reference, history);
    let saved = sources.store.template(&record.id, submitted.template_version).await?;
    let sign_offs: Vec<documents::SignOffLine> = Partner::ALL
        .iter()
        .map(|p| documents::SignOffLine {
            partner: p.label().to_owned(),
            signed: saved
                .iter()
                .flat_map(|s| &s.sign_offs)
                .find(|o| o.partner == *p)
                .map(|o| (o.by.clone(), o.at.date_naive())),
        })
        .collect();
    let mut files = Vec::with_capacity(2);
    if let Some(saved) = &saved {
        let template = documents::TemplateDocument {
            case: case.clone(),
            version: saved.version,
            saved: Some((saved.saved_by.clone(), saved.saved_at.date_naive())),
            sections: domain::template::Section::ALL
                .iter()
                .map(|s| (s.label().to_owned(), saved.sections.text(*s).to_owned()))
                .collect(),
            sign_offs: sign_offs.clone(),
            submitted_on: Some(submitted_on),
        };
        files.push(File {
            name: documents::file_names::submitted_template(&record.reference, saved.version),
            content_type: DOCX,
            bytes: documents::rapid_review_template_docx(&template).map_err(unsendable)?,
        });
    }
    let letter = documents::PanelLetter {
        case,
        partnership: sources.settings.partnership.clone(),
        submitted_on: Some(submitted_on),
        template_version: submitted.template_version,
        recommendation: meeting.recommendation.label().to_owned(),
        rationale: meeting.rationale.to_string(),
        sign_offs,
        without_sign_off_reason: submitted.without_sign_off_reason.map(String::from),
    };
    files.push(File {
        name: documents::file_names::panel_letter(&record.reference),
        content_type: DOCX,
        bytes: documents::panel_letter_docx(&letter).map_err(unsendable)?,
    });
    Ok(files)
}
