//! What travels with a message: an agency's request (its return link, the referral
//! form and both templates) and the meeting's calendar invitation. The referral form
//! is the one place case content leaves the service by email, because the agency
//! needs it to make its return.

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
    text.push_str(
        "\nThe referral form and both templates are attached, for those who prefer to work offline and \
         upload the chronology.\n",
    );
    let unsendable = |e: documents::DocumentError| ComposeError::Unsendable(format!("a document failed: {e}"));
    let referral = documents::referral_docx(&documents::referral_form(&record.reference, history, &|slug| {
        domain::events::AgencySlug::try_from(slug.to_owned())
            .map_or_else(|_| slug.to_owned(), |s| sources.agency_name(&s))
    }))
    .map_err(unsendable)?;
    let files = vec![
        File {
            name: format!("{}-referral-form.docx", record.reference),
            content_type: DOCX,
            bytes: referral,
        },
        File {
            name: "initial-scoping-and-information-sharing-template.docx".to_owned(),
            content_type: DOCX,
            bytes: documents::scoping_template_docx().map_err(unsendable)?,
        },
        File {
            name: "chronology-template.xlsx".to_owned(),
            content_type: XLSX,
            bytes: documents::chronology_template_xlsx().map_err(unsendable)?,
        },
    ];
    Ok((text, files))
}

/// The meeting's invitation, as the API serves it.
pub(super) fn invitation(sources: &Sources<'_>, record: &CaseRecord, meeting_on: NaiveDate) -> File {
    let uid = format!("{}@rapid-review", record.id);
    let invitation = documents::Invitation::of_case(&uid, &record.reference, &record.events).unwrap_or_else(|| {
        documents::Invitation {
            uid: uid.clone(),
            case_reference: record.reference.clone(),
            meeting_on,
            starts_at: None,
            place: None,
            video_link: None,
            attendees: Vec::new(),
        }
    });
    let ics = documents::meeting_ics(&invitation, sources.now);
    File {
        name: format!("{}-meeting.ics", record.reference),
        content_type: "text/calendar; charset=utf-8; method=REQUEST",
        bytes: ics.into_bytes(),
    }
}
