//! The Rapid Review meeting invitation as an iCalendar file: an all-day event on the
//! meeting date, carrying the case reference and nothing about the case.

use chrono::{DateTime, NaiveDate, Utc};

/// `uid` must be stable for the meeting so that a re-sent invitation updates it.
pub fn meeting_ics(uid: &str, case_reference: &str, meeting_on: NaiveDate, stamp: DateTime<Utc>) -> String {
    let next = meeting_on.succ_opt().unwrap_or(meeting_on);
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Rapid Review//Meeting//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        &format!("UID:{uid}"),
        &format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")),
        &format!("DTSTART;VALUE=DATE:{}", meeting_on.format("%Y%m%d")),
        &format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")),
        &format!("SUMMARY:Rapid Review meeting {case_reference}"),
        "DESCRIPTION:Rapid Review meeting. The papers are in the case's papers pack.",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    .join("\r\n")
}
