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
/// The match names every event type, so a new one cannot be left without a decision.
/// (It is a table, one arm per event type, which is why it is longer than a function
/// should be; splitting it would only scatter the table.)
pub fn fields(kind: EventKind) -> Option<Vec<Field>> {
    use EventKind as K;
    use Input::*;
    let mut fields = vec![ON];
    fields.extend(match kind {
        K::ThresholdDecided => vec![
            f(
                "outcome",
                "Is the Serious Harm threshold met?",
                Radios(Options::ThresholdOutcome),
            )
            .says("Select whether the Serious Harm threshold is met"),
            f("rationale", "Why", TextArea).says("Enter why the threshold is or is not met"),
        ],
        K::ThresholdChallenged => {
            vec![f("grounds", "Grounds for the challenge", TextArea).says("Enter the grounds for the challenge")]
        }
        K::ChallengeViewRecorded => vec![
            f("position", "Your position", Radios(Options::ChallengePosition)).says("Select your position"),
            f("reason", "Why", TextArea).says("Enter why you take this position"),
        ],
        K::ChallengeMeetingHeld => vec![opt("notes", "Notes", TextArea)],
        K::ChallengeResolved => vec![
            f("outcome", "Outcome of the challenge", Radios(Options::ChallengeOutcome))
                .says("Select the outcome of the challenge"),
            f("rationale", "Why", TextArea).says("Enter why the challenge was decided this way"),
        ],
        K::PanelNotified => vec![
            f("reference", "Notification reference", Text)
                .says("Enter the notification reference the National Panel gave"),
        ],
        K::AgencyRequestsSent => vec![
            f("agencies", "Agencies asked for a return", Agencies).says("Select the agencies asked for a return"),
            opt("returns_due", "Return date, if not the usual 5 working days", Date),
            WARNING_REASON,
        ],
        K::AgencyReturnReceived => {
            vec![f("agency", "Which agency's return", OutstandingAgency).says("Select the agency whose return came in")]
        }
        K::MeetingScheduled => vec![
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
        ],
        K::MeetingHeld => vec![
            f("recommendation", "Recommendation", Radios(Options::Recommendation)).says("Select the recommendation"),
            f("rationale", "Why", TextArea).says("Enter why the meeting made this recommendation"),
            opt("facts", "Facts agreed (optional)", TextArea),
            f(
                "criteria.improvements_needed",
                "Does the case highlight improvements needed to safeguard children?",
                YesNo,
            )
            .says("Select whether the case highlights improvements needed to safeguard children"),
            opt(
                "criteria_reasons.improvements_needed",
                "Why (improvements needed)",
                TextArea,
            ),
            f(
                "criteria.recurring_themes",
                "Does it highlight recurring themes?",
                YesNo,
            )
            .says("Select whether the case highlights recurring themes"),
            opt("criteria_reasons.recurring_themes", "Why (recurring themes)", TextArea),
            f(
                "criteria.multi_agency_concerns",
                "Does it raise concerns about how two or more agencies worked together?",
                YesNo,
            )
            .says("Select whether the case raises concerns about how agencies worked together"),
            opt(
                "criteria_reasons.multi_agency_concerns",
                "Why (how agencies worked together)",
                TextArea,
            ),
            f(
                "criteria.panel_view",
                "Has the National Panel said a local review suits it?",
                YesNo,
            )
            .says("Select whether the National Panel has said a local review suits the case"),
            opt(
                "criteria_reasons.panel_view",
                "Why (the National Panel's view)",
                TextArea,
            ),
            opt(
                "national_review_requested",
                "Should the Panel be asked to consider a national review? (optional)",
                YesNo,
            ),
            opt(
                "parallel_processes",
                "Other processes running alongside (optional)",
                Checkboxes(Options::ParallelProcess),
            ),
            opt("immediate_actions.0.action", "Immediate action (optional)", Text),
            opt("immediate_actions.0.owner", "Owner of the action", Text),
            opt("immediate_actions.0.due", "Action due date", Date),
            opt("attendees.0.agency", "Attendee 1: organisation (optional)", Text),
            opt("attendees.0.role", "Attendee 1: role", Text),
            opt("attendees.0.partner", "Attendee 1 speaks for", Radios(Options::Partner)),
            opt(
                "attendees.0.present",
                "Attendee 1 was present (No: sent apologies)",
                YesNo,
            ),
            opt("attendees.1.agency", "Attendee 2: organisation (optional)", Text),
            opt("attendees.1.role", "Attendee 2: role", Text),
            opt("attendees.1.partner", "Attendee 2 speaks for", Radios(Options::Partner)),
            opt(
                "attendees.1.present",
                "Attendee 2 was present (No: sent apologies)",
                YesNo,
            ),
            opt("attendees.2.agency", "Attendee 3: organisation (optional)", Text),
            opt("attendees.2.role", "Attendee 3: role", Text),
            opt("attendees.2.partner", "Attendee 3 speaks for", Radios(Options::Partner)),
            opt(
                "attendees.2.present",
                "Attendee 3 was present (No: sent apologies)",
                YesNo,
            ),
            WARNING_REASON,
        ],
        K::PanelResponseReceived => vec![
            f("panel_agrees", "Does the Panel agree with the recommendation?", YesNo)
                .says("Select whether the Panel agrees with the recommendation"),
            f("national_review", "Will the Panel consider a national review?", YesNo)
                .says("Select whether the Panel will consider a national review"),
        ],
        K::EsgRecommendationMade => vec![
            f("subgroup", "Sub-group to lead QA and learning", Text)
                .says("Enter the sub-group that will lead quality assurance and learning"),
        ],
        K::AlaProposed => vec![
            f("activity", "Activity", Radios(Options::AlaActivity)).says("Select the activity"),
            f("criteria", "Criteria it meets", Checkboxes(Options::AlaCriterion))
                .says("Select the criteria the activity meets"),
            f("proposal", "Proposal", TextArea).says("Enter the proposal"),
        ],
        K::AlaViewRecorded => vec![
            f("view", "Your view", Radios(Options::AlaDecision)).says("Select your view"),
            f("reason", "Why", TextArea).says("Enter why you take this view"),
        ],
        K::AlaDecided => vec![
            f("decision", "Decision", Radios(Options::AlaDecision)).says("Select the decision"),
            opt("lead_group", "Lead group (needed to undertake it)", Text),
            f(
                "decided_by",
                "Who took part in the decision",
                Checkboxes(Options::AlaDecider),
            )
            .says("Select who took part in the decision"),
        ],
        K::AlaCompleted => vec![f("learning", "Learning found", TextArea).says("Enter the learning found")],
        K::LcsprCommissioned => vec![
            f("reviewer", "Reviewer", Text).says("Enter the reviewer"),
            f("planned_publication_on", "Planned publication date", Date).says("Enter the planned publication date"),
            opt("terms_of_reference", "Terms of reference (optional)", TextArea),
            opt(
                "publication_reason",
                "If publication is planned after the 6-month clock: why",
                TextArea,
            ),
        ],
        K::LearningActionAdded => vec![
            f("action", "Action", TextArea).says("Enter the action"),
            f("owner_agency", "Agency that owns it", Agency).says("Select the agency that owns the action"),
            f("due", "Due date", Date).says("Enter the date the action is due"),
        ],
        K::ActionUpdated => vec![
            f("plan", "Which plan", Radios(Options::ActionPlan)).says("Select which plan the action is on"),
            f("number", "Action number (as listed on the case page)", Number).says("Enter the action's number"),
            f("status", "Status", Radios(Options::ActionStatus)).says("Select the action's status"),
            opt(
                "evidence",
                "Evidence it is done (and of its impact, for a learning action)",
                TextArea,
            ),
        ],
        K::CaseClosed => vec![opt("reason", "Reason for closing", TextArea)],
        K::CaseReopened => vec![f("reason", "Why the case is reopened", TextArea)],
        K::DeadlineExtended => vec![
            f("step", "Deadline to extend", Radios(Options::Step)).says("Select the deadline to extend"),
            opt("agency", "Agency (for an agency return)", Agency),
            f("new_due", "New due date", Date).says("Enter the new due date"),
            f("reason", "Reason", TextArea).says("Enter the reason for the extension"),
            WARNING_REASON,
        ],
        K::ForwardedToLa
        | K::DecisionFedBack
        | K::ReferralSubmitted
        | K::RapidReviewSubmitted
        | K::LcsprSentToPanel
        | K::LcsprPublished => Vec::new(),
        K::PackShared => vec![WARNING_REASON],
        K::OutcomeCommunicated => vec![
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
        ],
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
