//! The events of a Rapid Review. A case is its list of events; each event is a dated
//! fact with a typed payload. This module names every event type, parses request
//! bodies into payloads (naming the field at fault), and turns payloads back into
//! fields for storage and display.

pub mod ethnicity;
pub mod fields;
pub mod payloads;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub use ethnicity::Ethnicity;
pub use fields::{AgencySlug, FieldError, Initials, Text, Version};
pub use payloads::*;

macro_rules! event_types {
    ($($variant:ident => $key:literal, $action:literal, $done:literal;)*) => {
        /// The type of an event: the `type` field of a request body.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum EventKind { $($variant),* }

        impl EventKind {
            pub const ALL: &'static [EventKind] = &[$(EventKind::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(EventKind::$variant => $key),* }
            }

            pub fn parse(s: &str) -> Option<EventKind> {
                match s { $($key => Some(EventKind::$variant),)* _ => None }
            }

            /// The step as something to do: a form's heading and the link to it.
            pub fn label(self) -> &'static str {
                match self { $(EventKind::$variant => $action),* }
            }

            /// The step as something done: a line of the case's timeline.
            pub fn done_label(self) -> &'static str {
                match self { $(EventKind::$variant => $done),* }
            }
        }

        /// What happened, with its fields.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum EventPayload { $($variant($variant)),* }

        impl EventPayload {
            pub fn kind(&self) -> EventKind {
                match self { $(EventPayload::$variant(_) => EventKind::$variant),* }
            }

            /// Parses the fields of an event of type `kind` (without `type` and `on`).
            pub fn from_fields(kind: EventKind, fields: Value) -> Result<EventPayload, FieldError> {
                match kind { $(EventKind::$variant => parse_payload::<$variant>(fields).map(EventPayload::$variant)),* }
            }

            /// The same from the fields' JSON text, without building a JSON value first:
            /// for reading many stored events at once.
            pub fn from_json(kind: EventKind, json: &str) -> Result<EventPayload, FieldError> {
                match kind { $(EventKind::$variant => parse_payload_text::<$variant>(json).map(EventPayload::$variant)),* }
            }

            /// The payload's fields as a JSON object, as stored and shown.
            pub fn fields(&self) -> Map<String, Value> {
                let value = match self { $(EventPayload::$variant(p) => serde_json::to_value(p)),* };
                match value {
                    Ok(Value::Object(map)) => map,
                    _ => Map::new(),
                }
            }
        }
    };
}

event_types! {
    IncidentReported => "incident_reported", "Report a serious incident", "Incident reported";
    ForwardedToLa => "forwarded_to_la", "Forward the details to the local authority", "Details forwarded to the local authority";
    ThresholdDecided => "threshold_decided", "Decide whether the Serious Harm threshold is met", "Threshold decided";
    DecisionFedBack => "decision_fed_back", "Feed back the threshold decision", "Decision fed back";
    ThresholdChallenged => "threshold_challenged", "Challenge the threshold decision", "Threshold decision challenged";
    ChallengeViewRecorded => "challenge_view_recorded", "Record your position on the threshold decision", "Position on the threshold decision recorded";
    ChallengeMeetingHeld => "challenge_meeting_held", "Record the challenge meeting", "Challenge meeting held";
    ChallengeResolved => "challenge_resolved", "Resolve the challenge", "Challenge resolved";
    PanelNotified => "panel_notified", "Notify the National Panel", "National Panel notified";
    ReferralSubmitted => "referral_submitted", "Submit the referral form", "Referral form submitted";
    AgencyRequestsSent => "agency_requests_sent", "Ask the agencies for information", "Agencies asked for information";
    AgencyReturnReceived => "agency_return_received", "Record an agency's return", "Agency return received";
    AgencyRequestStopped => "agency_request_stopped", "Stop waiting for an agency's return", "Agency request stopped";
    AgencyRequestResumed => "agency_request_resumed", "Ask the agency again, with a new link", "Agency request resumed";
    MeetingScheduled => "meeting_scheduled", "Schedule the Rapid Review meeting", "Rapid Review meeting scheduled";
    PackShared => "pack_shared", "Share the papers with those attending", "Papers shared";
    MeetingHeld => "meeting_held", "Record the Rapid Review meeting", "Rapid Review meeting held";
    RapidReviewSubmitted => "rapid_review_submitted", "Submit the Rapid Review to the National Panel", "Rapid Review submitted to the National Panel";
    OutcomeCommunicated => "outcome_communicated", "Tell the agencies the outcome", "Agencies told the outcome";
    PanelResponseReceived => "panel_response_received", "Record the National Panel's response", "National Panel's response received";
    EsgRecommendationMade => "esg_recommendation_made", "Recommend a lead sub-group to the Executive Strategic Group", "Lead sub-group recommended to the Executive Strategic Group";
    AlaProposed => "ala_proposed", "Propose an Alternative Learning Activity", "Alternative Learning Activity proposed";
    AlaViewRecorded => "ala_view_recorded", "Record your view on the Alternative Learning Activity", "View on the Alternative Learning Activity recorded";
    AlaDecided => "ala_decided", "Decide on the Alternative Learning Activity", "Alternative Learning Activity decided";
    AlaCompleted => "ala_completed", "Record what the Alternative Learning Activity found", "Alternative Learning Activity completed";
    LcsprCommissioned => "lcspr_commissioned", "Commission the local child safeguarding practice review", "Local review commissioned";
    LearningActionAdded => "learning_action_added", "Add an action to the learning action plan", "Learning action added";
    ActionUpdated => "action_updated", "Update an action's progress", "Action updated";
    LcsprSentToPanel => "lcspr_sent_to_panel", "Send the local review to the National Panel", "Local review sent to the National Panel";
    LcsprPublished => "lcspr_published", "Record that the local review is published", "Local review published";
    CaseClosed => "case_closed", "Close the case", "Case closed";
    CaseReopened => "case_reopened", "Reopen the case", "Case reopened";
    DeadlineExtended => "deadline_extended", "Extend a deadline", "Deadline extended";
    EventCorrected => "event_corrected", "Correct a recorded step", "Step corrected";
}

/// A recorded event: its place in the case's history, its business date and payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub version: Version,
    pub on: NaiveDate,
    pub payload: EventPayload,
}

/// An event somebody asks to record, not yet given a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub on: NaiveDate,
    pub payload: EventPayload,
}

impl NewEvent {
    pub fn kind(&self) -> EventKind {
        self.payload.kind()
    }
}

/// A parsed request body: the event and the version the writer last saw, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRequest {
    pub event: NewEvent,
    pub expected_version: Option<u32>,
}

const ENVELOPE: [&str; 3] = ["type", "on", "expected_version"];

/// Parses a request body `{"type", "on", ...fields, "expected_version"?}`. When
/// `implied` is given (the body of `POST /cases`), `type` may be left out, and an
/// `incident_reported` without `on` is dated its `reported_on`.
pub fn parse_event_request(body: Value, implied: Option<EventKind>) -> Result<EventRequest, FieldError> {
    let Value::Object(mut map) = body else {
        return Err(FieldError::new("(body)", "send a JSON object"));
    };
    let kind = match (map.get("type"), implied) {
        (Some(Value::String(s)), _) => {
            let kind = EventKind::parse(s)
                .ok_or_else(|| FieldError::new("type", format!("unknown event type \"{}\"", truncate(s))))?;
            if implied.is_some_and(|k| k != kind) {
                return Err(FieldError::new(
                    "type",
                    format!("this route records {} only", implied.map_or("", EventKind::as_str)),
                ));
            }
            kind
        }
        (None, Some(kind)) | (Some(Value::Null), Some(kind)) => kind,
        (None, None) | (Some(Value::Null), None) => return Err(FieldError::new("type", "is required")),
        (Some(_), _) => return Err(FieldError::new("type", "must be a string")),
    };
    let on = map.get("on").cloned();
    let expected_version = match map.get("expected_version") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| FieldError::new("expected_version", "must be a whole number"))?,
        ),
    };
    for key in ENVELOPE {
        map.remove(key);
    }
    let payload = EventPayload::from_fields(kind, Value::Object(map))?;
    let on = match on {
        None | Some(Value::Null) => match &payload {
            EventPayload::IncidentReported(p) => p.reported_on,
            _ => {
                return Err(FieldError::new(
                    "on",
                    "is required: the date the step happened (YYYY-MM-DD)",
                ));
            }
        },
        Some(v) => parse_payload::<NaiveDate>(v)
            .map_err(|e| e.message)
            .and_then(crate::dates::in_range)
            .map_err(|message| FieldError::new("on", message))?,
    };
    Ok(EventRequest {
        event: NewEvent { on, payload },
        expected_version,
    })
}

fn parse_payload<T: DeserializeOwned + Validate>(fields: Value) -> Result<T, FieldError> {
    let parsed: T = serde_path_to_error::deserialize(fields).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        field_error(&path, &message)
    })?;
    parsed.validate()?;
    Ok(parsed)
}

fn parse_payload_text<T: DeserializeOwned + Validate>(json: &str) -> Result<T, FieldError> {
    let mut de = serde_json::Deserializer::from_str(json);
    let parsed: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        field_error(&path, &message)
    })?;
    parsed.validate()?;
    Ok(parsed)
}

impl Validate for NaiveDate {}

/// Turns serde's report into a field error; a missing field is reported by serde
/// against its parent, so its name is taken from the message.
fn field_error(path: &str, message: &str) -> FieldError {
    let parent = if path == "." { "" } else { path };
    if let Some(name) = crate::calendar::import::missing_field(message) {
        let field = if parent.is_empty() {
            name.to_owned()
        } else {
            format!("{parent}.{name}")
        };
        return FieldError::new(field, "is required");
    }
    let message = if message.starts_with("input contains invalid characters")
        || message.starts_with("premature end of input")
        || message.starts_with("input is out of range")
        || message.starts_with("trailing input")
    {
        format!("must be a real date as YYYY-MM-DD ({message})")
    } else {
        message.to_owned()
    };
    FieldError::new(if parent.is_empty() { "(body)" } else { parent }, message)
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

#[cfg(test)]
mod tests;
