//! What each event's form asks, field by field, in GOV.UK patterns. The names are the
//! API's field names (dotted for nested ones), so a submitted form becomes the same
//! JSON body the API takes and is validated by the same domain code.

use domain::events::EventKind;

/// The kind of input a field uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Day, month and year boxes.
    Date,
    Text,
    TextArea,
    Radios(Options),
    Checkboxes(Options),
    /// Yes or no, sent as a boolean.
    YesNo,
    /// Checkboxes of the agencies in the directory.
    Agencies,
    /// Radios of the agencies with an outstanding request.
    OutstandingAgency,
    /// Checkboxes of the outcome's recipients not told yet.
    OwedRecipients,
    /// Radios of the directory's agencies.
    Agency,
    Number,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub input: Input,
    pub optional: bool,
    /// What the error says when a required answer is missing, in GOV.UK style
    /// ("Enter the date ...", "Select whether ..."); empty for one made from the label.
    pub missing: &'static str,
}

impl Field {
    /// The field with its own "missing answer" message.
    pub const fn says(self, missing: &'static str) -> Field {
        Field { missing, ..self }
    }
}

// Each form's fields, by stage of the process.
mod housekeeping;
mod learning;
mod meeting_held;
mod review;
mod threshold;

const fn f(name: &'static str, label: &'static str, input: Input) -> Field {
    Field {
        name,
        label,
        hint: "",
        input,
        optional: false,
        missing: "",
    }
}

const fn opt(name: &'static str, label: &'static str, input: Input) -> Field {
    Field {
        name,
        label,
        hint: "",
        input,
        optional: true,
        missing: "",
    }
}

const ON: Field = Field {
    name: "on",
    label: "Date it happened",
    hint: "For example, 27 11 2026",
    input: Input::Date,
    optional: false,
    missing: "Enter the date it happened",
};

/// Asked on the steps the service cross-checks (see `domain::crosscheck`): needed only
/// when it warns.
const WARNING_REASON: Field = Field {
    name: "warning_reason",
    label: "If the service warns about a date or quorum: your reason to go ahead",
    hint: "Leave this empty unless a warning asks for it",
    input: Input::TextArea,
    optional: true,
    missing: "",
};

/// Which domain enum a radio or checkbox group offers; its keys and labels come from
/// the enum itself (see `domain::keyed`), never from a table here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Options {
    Route,
    IncidentKind,
    Sex,
    ThresholdOutcome,
    ChallengeOutcome,
    ChallengePosition,
    MeetingKind,
    ParallelProcess,
    ActionPlan,
    ActionStatus,
    Recommendation,
    AlaActivity,
    AlaCriterion,
    AlaDecision,
    AlaDecider,
    Step,
    Role,
    Partner,
    DayKind,
    Ethnicity,
}

impl Options {
    /// The (key, label) pairs, in the enum's order.
    pub fn pairs(self) -> Vec<(&'static str, &'static str)> {
        use domain::events as e;
        match self {
            Options::Route => e::Route::choices(),
            Options::IncidentKind => e::IncidentKind::choices(),
            Options::Sex => e::Sex::choices(),
            Options::ThresholdOutcome => e::ThresholdOutcome::choices(),
            Options::ChallengeOutcome => e::ChallengeOutcome::choices(),
            Options::ChallengePosition => e::ChallengePosition::choices(),
            Options::MeetingKind => e::MeetingKind::choices(),
            Options::ParallelProcess => e::ParallelProcess::choices(),
            Options::ActionPlan => e::ActionPlan::choices(),
            Options::ActionStatus => e::ActionStatus::choices(),
            Options::Recommendation => e::Recommendation::choices(),
            Options::AlaActivity => e::AlaActivity::choices(),
            Options::AlaCriterion => e::AlaCriterion::choices(),
            Options::AlaDecision => e::AlaDecision::choices(),
            Options::AlaDecider => e::AlaDecider::choices(),
            Options::Step => domain::deadlines::StepKey::choices(),
            Options::Role => domain::roles::Role::choices(),
            Options::Partner => domain::roles::Partner::choices(),
            Options::DayKind => domain::calendar::DayKind::choices(),
            Options::Ethnicity => e::Ethnicity::choices(),
        }
    }
}

/// The fields of the form that records `kind`, or `None` for a step with no form of
/// its own (the incident report has its own page; corrections go through the API; a
/// request is stopped and resumed by its own buttons).
/// The match names every event type, so a new one cannot be left without a decision;
/// each form's fields are in the file of its stage (`spec/`).
pub fn fields(kind: EventKind) -> Option<Vec<Field>> {
    use EventKind as K;
    use Input::*;
    let mut fields = vec![ON];
    fields.extend(match kind {
        K::ThresholdDecided => threshold::threshold_decided(),
        K::ThresholdChallenged => {
            vec![f("grounds", "Grounds for the challenge", TextArea).says("Enter the grounds for the challenge")]
        }
        K::ChallengeViewRecorded => threshold::challenge_view_recorded(),
        K::ChallengeMeetingHeld => threshold::challenge_meeting_held(),
        K::ChallengeResolved => threshold::challenge_resolved(),
        K::PanelNotified => review::panel_notified(),
        K::AgencyRequestsSent => review::agency_requests_sent(),
        K::AgencyReturnReceived => {
            vec![f("agency", "Which agency's return", OutstandingAgency).says("Select the agency whose return came in")]
        }
        K::MeetingScheduled => review::meeting_scheduled(),
        K::MeetingHeld => meeting_held::meeting_held(),
        K::PanelResponseReceived => review::panel_response_received(),
        K::EsgRecommendationMade => review::esg_recommendation_made(),
        K::AlaProposed => learning::ala_proposed(),
        K::AlaViewRecorded => learning::ala_view_recorded(),
        K::AlaDecided => learning::ala_decided(),
        K::AlaCompleted => learning::ala_completed(),
        K::LcsprCommissioned => learning::lcspr_commissioned(),
        K::LearningActionAdded => learning::learning_action_added(),
        K::ActionUpdated => learning::action_updated(),
        K::CaseClosed => housekeeping::case_closed(),
        K::CaseReopened => housekeeping::case_reopened(),
        K::DeadlineExtended => housekeeping::deadline_extended(),
        K::ForwardedToLa
        | K::DecisionFedBack
        | K::ReferralSubmitted
        | K::RapidReviewSubmitted
        | K::LcsprSentToPanel
        | K::LcsprPublished => Vec::new(),
        K::PackShared => vec![WARNING_REASON],
        K::OutcomeCommunicated => review::outcome_communicated(),
        // The request's own buttons on the case page record these (withdraw the link,
        // go ahead without, send a new link).
        K::IncidentReported | K::EventCorrected | K::AgencyRequestStopped | K::AgencyRequestResumed => return None,
    });
    Some(fields)
}

/// Events recorded only after a "check your answers" page.
pub fn checked_before_recording(kind: EventKind) -> bool {
    matches!(kind, EventKind::ThresholdDecided | EventKind::MeetingHeld)
}

/// Events the case page offers as forms.
pub fn offered_as_form(kind: EventKind) -> bool {
    fields(kind).is_some()
}

/// The incident report that opens a case: its dates, the incident and up to two
/// children on this form (the API takes up to four).
pub fn incident_fields() -> Vec<Field> {
    use Input::*;
    vec![
        f("route", "How did the partnership hear of it?", Radios(Options::Route))
            .says("Select how the partnership heard of it"),
        f("reported_on", "Date it was reported", Date).says("Enter the date it was reported"),
        f("aware_on", "Date the LA became aware", Date).says("Enter the date the local authority became aware"),
        f("referring_agency", "Referring agency", Agency).says("Select the referring agency"),
        f("incident.kind", "What happened", Radios(Options::IncidentKind)).says("Select what happened"),
        f("incident.occurred_on", "Date of the incident", Date).says("Enter the date of the incident"),
        f("incident.summary", "Summary (no names)", TextArea).says("Enter a summary of the incident, without names"),
        f("children.0.initials", "First child's initials", Text).says("Enter the first child's initials"),
        f("children.0.sex", "First child's sex", Radios(Options::Sex)).says("Select the first child's sex"),
        opt("children.0.age_years", "First child's age in years", Number),
        opt(
            "children.0.ethnicity",
            "First child's ethnicity",
            Radios(Options::Ethnicity),
        ),
        opt(
            "children.1.initials",
            "Second child's initials, if siblings were involved",
            Text,
        ),
        opt("children.1.sex", "Second child's sex", Radios(Options::Sex)),
        opt("children.1.age_years", "Second child's age in years", Number),
    ]
}

/// The Initial Scoping and Information Sharing form: all but the first question
/// optional (and, as a draft, that one too).
pub fn scoping_fields() -> Vec<Field> {
    use Input::*;
    domain::returns::SCOPING_QUESTIONS
        .iter()
        .map(|(name, question)| {
            let input = if name.ends_with("_from") || name.ends_with("_to") {
                Date
            } else {
                TextArea
            };
            // The first question is the one a return cannot be submitted without; a
            // draft may leave it for later.
            if *name == "involvement" {
                f(name, question, input).says("Enter your agency's involvement with the child and family")
            } else {
                opt(name, question, input)
            }
        })
        .collect()
}

/// One chronology entry, as the template's columns.
pub fn entry_fields() -> Vec<Field> {
    use Input::*;
    vec![
        f("date", "Date", Date).says("Enter the date of the entry"),
        Field {
            name: "time",
            label: "Time (HH:MM), if known",
            hint: "",
            input: Text,
            optional: true,
            missing: "",
        },
        f("what_happened", "What happened", TextArea).says("Enter what happened"),
        opt("who", "Who was involved", Text),
        opt("source", "Source of the information", Text),
        opt("significance", "Significance", Text),
    ]
}
