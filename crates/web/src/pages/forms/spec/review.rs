//! The forms of the Rapid Review's steps before and after its meeting: the Panel
//! notification, the agencies' requests, the meeting's date, the outcome, the Panel's
//! response and the recommendation to the Executive Strategic Group.

use super::Input::*;
use super::*;

/// The fields of `panel_notified`.
pub(super) fn panel_notified() -> Vec<Field> {
    vec![
        f("reference", "Notification reference", Text).says("Enter the notification reference the National Panel gave"),
    ]
}

/// The fields of `agency_requests_sent`.
pub(super) fn agency_requests_sent() -> Vec<Field> {
    vec![
        f("agencies", "Agencies asked for a return", Agencies).says("Select the agencies asked for a return"),
        opt("returns_due", "Return date, if not the usual 5 working days", Date),
        WARNING_REASON,
    ]
}

/// The fields of `meeting_scheduled`.
pub(super) fn meeting_scheduled() -> Vec<Field> {
    vec![
        f("meeting_on", "Meeting date", Date).says("Enter the date of the meeting"),
        f("meeting_kind", "Kind of meeting", Radios(Options::MeetingKind)).says("Select the kind of meeting"),
        opt("starts_at", "Start time (optional), for example 14:30", Text),
        opt("place", "Place (optional)", Text),
        opt("video_link", "Video call link (optional), starting https://", Text),
        opt(
            "invitees.0.name",
            "Someone else to invite who does not use the service (optional): name",
            Text,
        ),
        opt(
            "invitees.0.email",
            "Their email address, where the invitation is sent",
            Text,
        ),
        opt("invitees.1.name", "Another person to invite (optional): name", Text),
        opt("invitees.1.email", "Their email address", Text),
        WARNING_REASON,
    ]
}

/// The fields of `panel_response_received`.
pub(super) fn panel_response_received() -> Vec<Field> {
    vec![
        f("panel_agrees", "Does the Panel agree with the recommendation?", YesNo)
            .says("Select whether the Panel agrees with the recommendation"),
        f("national_review", "Will the Panel consider a national review?", YesNo)
            .says("Select whether the Panel will consider a national review"),
    ]
}

/// The fields of `esg_recommendation_made`.
pub(super) fn esg_recommendation_made() -> Vec<Field> {
    vec![
        f("subgroup", "Sub-group to lead QA and learning", Text)
            .says("Enter the sub-group that will lead quality assurance and learning"),
    ]
}

/// The fields of `outcome_communicated`.
pub(super) fn outcome_communicated() -> Vec<Field> {
    vec![
        opt(
            "recipients",
            "Who is told now, each sent their own letter (none ticked: everyone not told yet)",
            OwedRecipients,
        ),
        opt(
            "closing_reason",
            "Or close the list without telling the rest: why (Partnership Manager only)",
            TextArea,
        ),
    ]
}
