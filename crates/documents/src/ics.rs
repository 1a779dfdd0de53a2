//! The Rapid Review meeting invitation as an iCalendar file (RFC 5545): the meeting's
//! date, and its time (London time, two hours), place and video link when they were
//! given, with the people invited. It carries the case reference and nothing about the
//! case.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::events::{Event, EventPayload};

/// One meeting, as the invitation says it.
#[derive(Debug, Clone)]
pub struct Invitation {
    /// Stable for the meeting, so that a re-sent invitation updates it.
    pub uid: String,
    pub case_reference: String,
    pub meeting_on: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub place: Option<String>,
    pub video_link: Option<String>,
    /// (name, email) of each person invited.
    pub attendees: Vec<(String, String)>,
}

impl Invitation {
    /// The invitation to the case's latest scheduled meeting, if one is scheduled.
    pub fn of_case(uid: &str, case_reference: &str, events: &[Event]) -> Option<Invitation> {
        events.iter().rev().find_map(|e| match &e.payload {
            EventPayload::MeetingScheduled(p) => Some(Invitation {
                uid: uid.to_owned(),
                case_reference: case_reference.to_owned(),
                meeting_on: p.meeting_on,
                starts_at: p
                    .starts_at
                    .as_ref()
                    .and_then(|t| NaiveTime::parse_from_str(t.as_str(), "%H:%M").ok()),
                place: p.place.as_ref().map(|t| t.to_string()),
                video_link: p.video_link.as_ref().map(|t| t.to_string()),
                attendees: Vec::new(),
            }),
            _ => None,
        })
    }
}

/// Europe/London, as calendars need it to place a local time.
const LONDON: [&str; 16] = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/London",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
];

pub fn meeting_ics(invitation: &Invitation, stamp: DateTime<Utc>) -> String {
    let i = invitation;
    let mut lines: Vec<String> = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Rapid Review//Meeting//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    if i.starts_at.is_some() {
        lines.extend(LONDON.iter().map(|s| (*s).to_owned()));
        lines.push("END:VTIMEZONE".into());
    }
    lines.push("BEGIN:VEVENT".into());
    lines.push(format!("UID:{}", text(&i.uid)));
    lines.push(format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")));
    match i.starts_at {
        Some(t) => {
            let start = i.meeting_on.and_time(t);
            let end = start + chrono::Duration::hours(2);
            lines.push(format!("DTSTART;TZID=Europe/London:{}", start.format("%Y%m%dT%H%M%S")));
            lines.push(format!("DTEND;TZID=Europe/London:{}", end.format("%Y%m%dT%H%M%S")));
        }
        None => {
            let next = i.meeting_on.succ_opt().unwrap_or(i.meeting_on);
            lines.push(format!("DTSTART;VALUE=DATE:{}", i.meeting_on.format("%Y%m%d")));
            lines.push(format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
        }
    }
    lines.push(format!("SUMMARY:Rapid Review meeting {}", text(&i.case_reference)));
    let mut description = "Rapid Review meeting. The papers are in the case's papers pack.".to_owned();
    if let Some(link) = &i.video_link {
        description.push_str(&format!("\nJoin the call: {link}"));
        lines.push(format!("URL:{}", text(link)));
    }
    lines.push(format!("DESCRIPTION:{}", text(&description)));
    if let Some(place) = &i.place {
        lines.push(format!("LOCATION:{}", text(place)));
    }
    for (name, email) in &i.attendees {
        lines.push(format!(
            "ATTENDEE;CN=\"{}\";ROLE=REQ-PARTICIPANT:mailto:{}",
            name.replace(['"', '\r', '\n'], ""),
            email.replace(['\r', '\n', ';', ','], "")
        ));
    }
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    let mut out: String = lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("\r\n");
    out.push_str("\r\n");
    out
}

/// A TEXT value escaped as RFC 5545 says (backslash, semicolon, comma, newline).
fn text(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

/// Folds a content line at 75 octets, never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp() -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000, 0).unwrap()
    }

    fn invitation() -> Invitation {
        Invitation {
            uid: "case-1@rapid-review".into(),
            case_reference: "RR-2026-0001".into(),
            meeting_on: NaiveDate::from_ymd_opt(2026, 6, 16).unwrap(),
            starts_at: NaiveTime::from_hms_opt(14, 30, 0),
            place: Some("Room 2, Civic Centre; Northshire".into()),
            video_link: Some("https://meet.example.org/rapid-review".into()),
            attendees: vec![("Jo Chair".into(), "chair@example.org".into())],
        }
    }

    #[test]
    fn a_timed_meeting_has_its_london_time_place_link_and_attendees_escaped_and_folded() {
        let ics = meeting_ics(&invitation(), stamp());
        assert!(ics.contains("DTSTART;TZID=Europe/London:20260616T143000\r\n"));
        assert!(ics.contains("DTEND;TZID=Europe/London:20260616T163000\r\n"));
        assert!(ics.contains("LOCATION:Room 2\\, Civic Centre\\; Northshire\r\n"));
        assert!(ics.contains("URL:https://meet.example.org/rapid-review\r\n"));
        assert!(ics.contains("ATTENDEE;CN=\"Jo Chair\";ROLE=REQ-PARTICIPANT:mailto:chair@example.org\r\n"));
        assert!(ics.contains("BEGIN:VTIMEZONE"));
        assert!(ics.split("\r\n").all(|l| l.len() <= 75), "{ics}");
    }

    #[test]
    fn a_meeting_without_a_time_is_an_all_day_event() {
        let ics = meeting_ics(
            &Invitation {
                starts_at: None,
                place: None,
                video_link: None,
                attendees: Vec::new(),
                ..invitation()
            },
            stamp(),
        );
        assert!(ics.contains("DTSTART;VALUE=DATE:20260616\r\nDTEND;VALUE=DATE:20260617\r\n"));
        assert!(!ics.contains("VTIMEZONE") && !ics.contains("LOCATION"));
    }
}
