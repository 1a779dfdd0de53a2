//! The fields each event carries, one struct per event type, named as the event.
//! Serde checks shapes and field types; [`Validate`] adds the rules that span fields.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::fields::{AgencySlug, FieldError, Initials, OptionalText, Text, Version, blank_as_none};
use crate::deadlines::StepKey;

/// Rules between the fields of one payload, after each field parsed.
pub trait Validate {
    fn validate(&self) -> Result<(), FieldError> {
        Ok(())
    }
}

crate::keyed! {
    pub enum Route {
        ChildrenServices = "children_services", "LA Children's Services found it";
        PartnerAgency = "partner_agency", "Another agency found it and sent the details";
    }
}

crate::keyed! {
    pub enum IncidentKind {
        Death = "death", "A child died";
        SeriousHarm = "serious_harm", "A child was seriously harmed";
    }
}

crate::keyed! {
    pub enum Sex {
        Female = "female", "Female";
        Male = "male", "Male";
        Unknown = "unknown", "Not known";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    pub kind: IncidentKind,
    #[serde(deserialize_with = "crate::dates::deserialize")]
    pub occurred_on: NaiveDate,
    pub summary: Text,
}

/// Pseudonymous details of one child, as on the national notification form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Child {
    pub initials: Initials,
    pub sex: Sex,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_years: Option<u8>,
    #[serde(
        default,
        deserialize_with = "crate::dates::deserialize_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_of_birth: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unborn: bool,
    /// A DfE census code (see [`super::Ethnicity`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<super::Ethnicity>,
    /// The family's own words, where the code is `OOTH`.
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub ethnicity_other: OptionalText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disability: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub looked_after: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_protection_plan: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_in_need: Option<bool>,
}

impl Child {
    /// The child as forms and pages describe them: initials, sex, age, and what is
    /// known.
    pub fn describe(&self) -> String {
        let child = self;
        let mut parts = vec![String::from(child.initials.clone()), child.sex.label().to_owned()];
        match (child.unborn, child.age_years, child.date_of_birth) {
            (true, _, _) => parts.push("unborn".into()),
            (_, Some(1), _) => parts.push("1 year old".into()),
            (_, Some(age), _) => parts.push(format!("{age} years old")),
            (_, None, Some(born)) => parts.push(format!("born {}", crate::dates::long(born))),
            _ => {}
        }
        if let Some(e) = child.ethnicity {
            parts.push(format!("ethnicity: {}", e.label()));
        }
        let flags = [
            (child.disability, "disabled"),
            (child.looked_after, "looked after"),
            (child.child_protection_plan, "on a child protection plan"),
            (child.child_in_need, "a child in need"),
        ];
        for (known, what) in flags {
            match known {
                Some(true) => parts.push(what.to_owned()),
                Some(false) => parts.push(format!("not {what}")),
                None => {}
            }
        }
        parts.join(", ")
    }

    fn validate(&self, occurred_on: NaiveDate) -> Result<(), FieldError> {
        if self.age_years.is_some() && self.date_of_birth.is_some() {
            return Err(FieldError::new(
                "age_years",
                "give the age or the date of birth, not both",
            ));
        }
        if self.unborn && (self.age_years.is_some() || self.date_of_birth.is_some()) {
            return Err(FieldError::new("unborn", "an unborn child has no age or date of birth"));
        }
        if self.age_years.is_some_and(|age| age > 17) {
            return Err(FieldError::new(
                "age_years",
                "a child is under 18: give an age from 0 to 17",
            ));
        }
        if let Some(born) = self.date_of_birth {
            if born > occurred_on {
                return Err(FieldError::new("date_of_birth", "must not be after the incident"));
            }
            if born
                .checked_add_months(chrono::Months::new(18 * 12))
                .is_some_and(|adult| adult <= occurred_on)
            {
                return Err(FieldError::new(
                    "date_of_birth",
                    "the child must have been under 18 at the incident",
                ));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentReported {
    pub route: Route,
    #[serde(deserialize_with = "crate::dates::deserialize")]
    pub reported_on: NaiveDate,
    #[serde(deserialize_with = "crate::dates::deserialize")]
    pub aware_on: NaiveDate,
    pub referring_agency: AgencySlug,
    pub incident: Incident,
    pub children: Vec<Child>,
}

impl Validate for IncidentReported {
    fn validate(&self) -> Result<(), FieldError> {
        if self.children.is_empty() || self.children.len() > 4 {
            return Err(FieldError::new(
                "children",
                "give one to four children (siblings in one incident share a case)",
            ));
        }
        let occurred = self.incident.occurred_on;
        if occurred > self.aware_on {
            return Err(FieldError::new("incident.occurred_on", "must not be after aware_on"));
        }
        if occurred > self.reported_on {
            return Err(FieldError::new("incident.occurred_on", "must not be after reported_on"));
        }
        for (i, child) in self.children.iter().enumerate() {
            child
                .validate(occurred)
                .map_err(|e| e.within(&format!("children[{i}]")))?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardedToLa {}
impl Validate for ForwardedToLa {}

crate::keyed! {
    pub enum ThresholdOutcome {
        Met = "met", "Yes, the Serious Harm threshold is met";
        NotMet = "not_met", "No, the threshold is not met";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdDecided {
    pub outcome: ThresholdOutcome,
    pub rationale: Text,
}
impl Validate for ThresholdDecided {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionFedBack {}
impl Validate for DecisionFedBack {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdChallenged {
    pub grounds: Text,
}
impl Validate for ThresholdChallenged {}

crate::keyed! {
    /// One decider's position on a decision that the threshold is not met.
    pub enum ChallengePosition {
        AgreeWithDecision = "agree_with_decision", "Agrees with the decision";
        Challenge = "challenge", "Challenges the decision";
    }
}

/// One of the four deciders' own position on a not-met threshold decision. Whose it
/// is (`on_behalf_of`) comes from the account that records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeViewRecorded {
    pub position: ChallengePosition,
    pub reason: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<AlaDecider>,
}
impl Validate for ChallengeViewRecorded {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeMeetingHeld {
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub notes: OptionalText,
}
impl Validate for ChallengeMeetingHeld {}

crate::keyed! {
    pub enum ChallengeOutcome {
        Upheld = "upheld", "Upheld: the threshold is not met";
        Overturned = "overturned", "Overturned: the threshold is met";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeResolved {
    pub outcome: ChallengeOutcome,
    pub rationale: Text,
}
impl Validate for ChallengeResolved {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelNotified {
    pub reference: Text,
}
impl Validate for PanelNotified {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralSubmitted {}
impl Validate for ReferralSubmitted {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyRequestsSent {
    pub agencies: Vec<AgencySlug>,
    #[serde(
        default,
        deserialize_with = "crate::dates::deserialize_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub returns_due: Option<NaiveDate>,
    #[serde(flatten)]
    pub checked: Checked,
}

impl Validate for AgencyRequestsSent {
    fn validate(&self) -> Result<(), FieldError> {
        if self.agencies.is_empty() {
            return Err(FieldError::new("agencies", "choose at least one agency"));
        }
        for (i, agency) in self.agencies.iter().enumerate() {
            if self.agencies[..i].contains(agency) {
                return Err(FieldError::new(
                    format!("agencies[{i}]"),
                    format!("{agency} is listed twice"),
                ));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyReturnReceived {
    pub agency: AgencySlug,
}
impl Validate for AgencyReturnReceived {}

crate::keyed! {
    /// Why the case stopped waiting for an agency's return.
    pub enum StopBecause {
        LinkWithdrawn = "link_withdrawn", "The return link was withdrawn";
        GoingAheadWithout = "going_ahead_without", "The review goes ahead without this return";
    }
}

/// The case stops waiting for one agency's return: its clock, reminders, chasing and
/// escalations end, and the papers no longer wait for it. Recorded by the Business
/// Unit's "withdraw the link" and "go ahead without" (or directly, with the same effect).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyRequestStopped {
    pub agency: AgencySlug,
    pub because: StopBecause,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub reason: OptionalText,
}
impl Validate for AgencyRequestStopped {}

/// A request stopped because its link was withdrawn runs again, with a new link: its
/// clock starts again from this day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyRequestResumed {
    pub agency: AgencySlug,
}
impl Validate for AgencyRequestResumed {}

crate::keyed! {
    pub enum MeetingKind {
        StandingGroup = "standing_group", "Standing group";
        Extraordinary = "extraordinary", "Extraordinary meeting";
    }
}

/// The warnings a step was recorded despite (see [`crate::crosscheck`]), filled in when
/// it is recorded, and the reason given to go ahead.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub warning_reason: OptionalText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingScheduled {
    #[serde(deserialize_with = "crate::dates::deserialize")]
    pub meeting_on: NaiveDate,
    pub meeting_kind: MeetingKind,
    /// The time it starts, as HH:MM (London time).
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub starts_at: OptionalText,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub place: OptionalText,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub video_link: OptionalText,
    /// People to invite who do not use the service (a GP, a head teacher): each is
    /// sent the invitation at this address and named in it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invitees: Vec<Invitee>,
    #[serde(flatten)]
    pub checked: Checked,
}

/// Someone invited to the meeting by address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invitee {
    pub name: Text,
    pub email: Text,
}

/// The most people a meeting invites by address.
pub const MAX_INVITEES: usize = 20;

impl Validate for MeetingScheduled {
    fn validate(&self) -> Result<(), FieldError> {
        if self.invitees.len() > MAX_INVITEES {
            return Err(FieldError::new(
                "invitees",
                format!("may name at most {MAX_INVITEES} people"),
            ));
        }
        for (i, invitee) in self.invitees.iter().enumerate() {
            if !crate::addresses::is_email_address(invitee.email.as_str()) {
                return Err(FieldError::new(
                    format!("invitees[{i}].email"),
                    "must be an email address, like name@example.org",
                ));
            }
            let same = |other: &Invitee| other.email.as_str().eq_ignore_ascii_case(invitee.email.as_str());
            if self.invitees[..i].iter().any(same) {
                return Err(FieldError::new(format!("invitees[{i}].email"), "is listed twice"));
            }
        }
        if let Some(t) = &self.starts_at
            && chrono::NaiveTime::parse_from_str(t.as_str(), "%H:%M").is_err()
        {
            return Err(FieldError::new("starts_at", "must be a time as HH:MM, such as 14:30"));
        }
        if let Some(link) = &self.video_link
            && !link.as_str().starts_with("https://")
        {
            return Err(FieldError::new("video_link", "must be an https:// link"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackShared {
    #[serde(flatten)]
    pub checked: Checked,
}
impl Validate for PackShared {}

crate::keyed! {
    pub enum Recommendation {
        Lcspr = "lcspr", "A local child safeguarding practice review";
        OtherLearningReview = "other_learning_review", "Another learning review";
        NoFurtherReview = "no_further_review", "No further review";
    }
}

/// The meeting's view on each criterion for a local child safeguarding practice review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewCriteria {
    pub improvements_needed: bool,
    pub recurring_themes: bool,
    pub multi_agency_concerns: bool,
    pub panel_view: bool,
}

crate::keyed! {
    pub enum ActionStatus {
        Open = "open", "Open";
        Done = "done", "Done";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImmediateAction {
    pub action: Text,
    pub owner: Text,
    #[serde(deserialize_with = "crate::dates::deserialize")]
    pub due: NaiveDate,
    #[serde(default = "open", skip_serializing_if = "is_open")]
    pub status: ActionStatus,
    /// What shows it was done.
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub evidence: OptionalText,
}

fn open() -> ActionStatus {
    ActionStatus::Open
}

fn is_open(s: &ActionStatus) -> bool {
    *s == ActionStatus::Open
}

/// Someone at the meeting, by organisation and role; `partner` when they speak for one
/// of the three safeguarding partners (which is what quorum counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attendee {
    pub agency: Text,
    pub role: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<crate::partners::Partner>,
    pub present: bool,
}

/// Why the meeting answered each criterion as it did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaReasons {
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub improvements_needed: OptionalText,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub recurring_themes: OptionalText,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub multi_agency_concerns: OptionalText,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub panel_view: OptionalText,
}

crate::keyed! {
    /// Another process running alongside the review.
    pub enum ParallelProcess {
        PoliceInvestigation = "police_investigation", "A police investigation";
        Coroner = "coroner", "A coroner's inquest";
        DomesticHomicideReview = "domestic_homicide_review", "A domestic homicide review";
        SafeguardingAdultReview = "safeguarding_adult_review", "A safeguarding adult review";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingHeld {
    pub recommendation: Recommendation,
    pub rationale: Text,
    pub criteria: ReviewCriteria,
    #[serde(default, skip_serializing_if = "is_default")]
    pub criteria_reasons: CriteriaReasons,
    #[serde(default)]
    pub immediate_actions: Vec<ImmediateAction>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendees: Vec<Attendee>,
    /// The facts the meeting agreed.
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub facts: OptionalText,
    /// Whether the partnership asks the Panel to consider a national review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_review_requested: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parallel_processes: Vec<ParallelProcess>,
    #[serde(flatten)]
    pub checked: Checked,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl Validate for MeetingHeld {
    fn validate(&self) -> Result<(), FieldError> {
        for (i, a) in self.immediate_actions.iter().enumerate() {
            if a.status == ActionStatus::Done && a.evidence.is_none() {
                return Err(FieldError::new(
                    format!("immediate_actions[{i}].evidence"),
                    "say what shows the action was done",
                ));
            }
        }
        for (i, p) in self.parallel_processes.iter().enumerate() {
            if self.parallel_processes[..i].contains(p) {
                return Err(FieldError::new(format!("parallel_processes[{i}]"), "is listed twice"));
            }
        }
        Ok(())
    }
}

impl MeetingHeld {
    /// The partners with nobody present for them (quorum needs all three), when the
    /// attendees are recorded.
    pub fn partners_absent(&self) -> Vec<crate::partners::Partner> {
        if self.attendees.is_empty() {
            return Vec::new();
        }
        crate::partners::Partner::ALL
            .iter()
            .copied()
            .filter(|p| !self.attendees.iter().any(|a| a.present && a.partner == Some(*p)))
            .collect()
    }
}

/// The Rapid Review goes to the National Panel. The template's version and who signed
/// it off are filled in by the store from the template as it stands when the event is
/// recorded (see [`crate::template::submission_check`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RapidReviewSubmitted {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_version: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signed_off_by: Vec<crate::partners::Partner>,
    /// Why it goes without a partner's sign-off (the Partnership Manager's call).
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub without_sign_off_reason: OptionalText,
}
impl Validate for RapidReviewSubmitted {}

/// The outcome goes to the agencies. `recipients` are those told (each agency asked
/// and the referrer); left out, it is filled with all of them when recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeCommunicated {
    /// Who was told now: agencies asked for a return, and the referring agency. Left
    /// out (with no `closing_reason`), everyone not yet told.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<AgencySlug>,
    /// The Partnership Manager closes the list without telling the rest, and why.
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub closing_reason: OptionalText,
}

impl Validate for OutcomeCommunicated {
    fn validate(&self) -> Result<(), FieldError> {
        for (i, agency) in self.recipients.iter().enumerate() {
            if self.recipients[..i].contains(agency) {
                return Err(FieldError::new(
                    format!("recipients[{i}]"),
                    format!("{agency} is listed twice"),
                ));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelResponseReceived {
    pub panel_agrees: bool,
    pub national_review: bool,
}
impl Validate for PanelResponseReceived {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EsgRecommendationMade {
    pub subgroup: Text,
}
impl Validate for EsgRecommendationMade {}

crate::keyed! {
    pub enum AlaActivity {
        Audit = "audit", "Audit";
        Review = "review", "Review";
        EscalationPolicy = "escalation_policy", "Escalation Policy process";
        Other = "other", "Other";
    }
}

crate::keyed! {
    pub enum AlaCriterion {
        ClearLearningFocus = "clear_learning_focus", "Clear focus on the proposed learning";
        RecurringTheme = "recurring_theme", "A recurring theme";
        ExceptionalCircumstance = "exceptional_circumstance", "An exceptional circumstance of interest";
        LessPrescriptive = "less_prescriptive", "A less prescriptive process suits";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlaProposed {
    pub activity: AlaActivity,
    #[serde(default)]
    pub criteria: Vec<AlaCriterion>,
    pub proposal: Text,
}

impl Validate for AlaProposed {
    fn validate(&self) -> Result<(), FieldError> {
        for (i, c) in self.criteria.iter().enumerate() {
            if self.criteria[..i].contains(c) {
                return Err(FieldError::new(format!("criteria[{i}]"), "is listed twice"));
            }
        }
        Ok(())
    }
}

crate::keyed! {
    pub enum AlaDecision {
        Undertake = "undertake", "Undertake the activity";
        NoAction = "no_action", "Take no action";
    }
}

crate::keyed! {
    /// Who takes part in a decision (a threshold challenge, an ALA): the three partners
    /// and the Partnership Manager.
    pub enum AlaDecider {
        LocalAuthority = "local_authority", "Local authority";
        Health = "health", "Health";
        Police = "police", "Police";
        PartnershipManager = "partnership_manager", "Partnership Manager";
    }
}

impl AlaDecider {
    /// The decider a partner (through its representative) speaks for.
    pub fn of_partner(partner: crate::partners::Partner) -> AlaDecider {
        use crate::partners::Partner;
        match partner {
            Partner::LocalAuthority => AlaDecider::LocalAuthority,
            Partner::Health => AlaDecider::Health,
            Partner::Police => AlaDecider::Police,
        }
    }

    pub const REQUIRED: [AlaDecider; 4] = [
        AlaDecider::LocalAuthority,
        AlaDecider::Health,
        AlaDecider::Police,
        AlaDecider::PartnershipManager,
    ];
}

/// One of the four deciders' own view on a proposed Alternative Learning Activity.
/// Whose it is (`on_behalf_of`) comes from the account that records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlaViewRecorded {
    pub view: AlaDecision,
    pub reason: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<AlaDecider>,
}
impl Validate for AlaViewRecorded {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlaDecided {
    pub decision: AlaDecision,
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub lead_group: OptionalText,
    pub decided_by: Vec<AlaDecider>,
}

impl Validate for AlaDecided {
    fn validate(&self) -> Result<(), FieldError> {
        if self.decision == AlaDecision::Undertake && self.lead_group.is_none() {
            return Err(FieldError::new(
                "lead_group",
                "name the group that will lead the activity",
            ));
        }
        let missing: Vec<&str> = AlaDecider::REQUIRED
            .iter()
            .filter(|d| !self.decided_by.contains(d))
            .map(|d| d.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(FieldError::new(
                "decided_by",
                format!(
                    "the three partners and the Partnership Manager decide together; missing: {}",
                    missing.join(", ")
                ),
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlaCompleted {
    pub learning: Text,
}
impl Validate for AlaCompleted {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LcsprCommissioned {
    pub reviewer: Text,
    #[serde(deserialize_with = "crate::dates::deserialize")]
    pub planned_publication_on: NaiveDate,
    /// What the review is to look at.
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub terms_of_reference: OptionalText,
    /// Why publication is planned after the 6-month clock (needed only then).
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub publication_reason: OptionalText,
}
impl Validate for LcsprCommissioned {}

crate::keyed! {
    /// A paper of the local review that the Business Unit uploads.
    pub enum ReviewPaper {
        TermsOfReference = "terms_of_reference", "Terms of reference";
        DraftReport = "draft_report", "Draft report";
        FinalReport = "final_report", "Final report";
    }
}

crate::keyed! {
    /// Which list an action is on: the meeting's immediate actions, or the learning
    /// action plan that follows the review.
    pub enum ActionPlan {
        Immediate = "immediate", "Immediate action";
        Learning = "learning", "Learning action";
    }
}

/// An action of the learning action plan: what, which agency owns it, and by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearningActionAdded {
    pub action: Text,
    pub owner_agency: AgencySlug,
    #[serde(deserialize_with = "crate::dates::deserialize")]
    pub due: NaiveDate,
}
impl Validate for LearningActionAdded {}

/// An action's progress: `number` counts from 1 in its plan, in the order added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionUpdated {
    pub plan: ActionPlan,
    pub number: u32,
    pub status: ActionStatus,
    /// What shows it was done (for a learning action: the evidence of its impact).
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub evidence: OptionalText,
}

impl Validate for ActionUpdated {
    fn validate(&self) -> Result<(), FieldError> {
        if self.number == 0 {
            return Err(FieldError::new("number", "actions are numbered from 1"));
        }
        if self.status == ActionStatus::Done && self.evidence.is_none() {
            return Err(FieldError::new("evidence", "say what shows the action was done"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LcsprSentToPanel {}
impl Validate for LcsprSentToPanel {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LcsprPublished {}
impl Validate for LcsprPublished {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseClosed {
    #[serde(default, deserialize_with = "blank_as_none", skip_serializing_if = "Option::is_none")]
    pub reason: OptionalText,
}
impl Validate for CaseClosed {}

/// A closed case opened again, deliberately: the only step a closed case takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReopened {
    pub reason: Text,
}
impl Validate for CaseReopened {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineExtended {
    pub step: StepKey,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<AgencySlug>,
    #[serde(deserialize_with = "crate::dates::deserialize")]
    pub new_due: NaiveDate,
    pub reason: Text,
    #[serde(flatten)]
    pub checked: Checked,
}

impl Validate for DeadlineExtended {
    fn validate(&self) -> Result<(), FieldError> {
        match (self.step, &self.agency) {
            (StepKey::AgencyReturn, None) => Err(FieldError::new("agency", "say which agency's return is extended")),
            (StepKey::AgencyReturn, Some(_)) | (_, None) => Ok(()),
            (_, Some(_)) => Err(FieldError::new(
                "agency",
                "only an agency_return deadline names an agency",
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCorrected {
    pub corrects: Version,
    pub reason: Text,
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl Validate for EventCorrected {
    fn validate(&self) -> Result<(), FieldError> {
        if self.fields.is_empty() {
            return Err(FieldError::new("fields", "give at least one corrected field"));
        }
        if self.fields.contains_key("type") {
            return Err(FieldError::new(
                "fields.type",
                "an event's type cannot be corrected; record the right event instead",
            ));
        }
        Ok(())
    }
}
