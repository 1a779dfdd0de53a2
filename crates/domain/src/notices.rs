//! Who the process tells of each event: docs/domain.md's "who is told what" table as
//! one exhaustive match, so a new event type must say here whom it tells. The answer
//! names audiences (a role, the reps of one partner, an agency); the store turns them
//! into addresses. What a message may say is the notifier's business, and never case
//! content: a reference, the step, a date and a link.

use crate::events::{AgencySlug, Event, EventPayload, Route};
use crate::roles::{Partner, Role};

/// A group of people a message goes to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Audience {
    /// Every active user with the role.
    Role(Role),
    /// The partner reps of one of the three partners.
    PartnerRep(Partner),
    /// An agency: its directory address and its agency contacts.
    Agency(AgencySlug),
    /// The Child Safeguarding Practice Review Panel, at the address the settings give
    /// (`RAPID_REVIEW_PANEL_EMAIL`); nobody when it is not set.
    NationalPanel,
    /// Whoever a case's record names in its own words (an immediate action's owner):
    /// the agency or user of that name or address, else the role or partner it names
    /// ([`Audience::of_words`]), else the Partnership Manager.
    Named(String),
    /// Someone the meeting invites by address, who need not use the service.
    Invitee { name: String, email: String },
}

impl Audience {
    /// The role or partner some words name ("Business Unit", "the police"), if any.
    pub fn of_words(words: &str) -> Option<Audience> {
        let words = words
            .trim()
            .trim_start_matches("the ")
            .trim_start_matches("The ")
            .trim();
        let same = |label: &str| label.eq_ignore_ascii_case(words);
        if let Some(role) = Role::ALL.iter().find(|r| same(r.label())) {
            return Some(Audience::Role(*role));
        }
        Partner::ALL
            .iter()
            .find(|p| same(p.label()) || same(p.as_str()))
            .map(|p| Audience::PartnerRep(*p))
    }
}

crate::keyed! {
    /// What a message about an event brings with it.
    pub enum Enclosure {
        /// The agency's return link, the referral form and both templates.
        ReturnRequest = "return_request", "The return link, the referral form and the templates";
        /// The meeting's calendar invitation.
        MeetingInvitation = "meeting_invitation", "The meeting invitation";
        /// The Rapid Review Template as submitted and the covering letter to the Panel.
        PanelSubmission = "panel_submission", "The Rapid Review Template and the covering letter";
        /// The recipient's own outcome letter (on the not-met path, the decision letter).
        OutcomeLetter = "outcome_letter", "The outcome letter";
        /// Nothing but the link to the case.
        LinkOnly = "none", "A link to the case";
    }
}

crate::keyed! {
    /// Why a message goes.
    pub enum Notice {
        Event = "event", "A step was recorded";
        Upcoming = "upcoming", "Due soon";
        DueToday = "due_today", "Due today";
        Overdue = "overdue", "Overdue";
        StillOverdue = "still_overdue", "Still overdue";
        Chase = "chase", "Overdue: asked again";
        ChallengeDiscussion = "challenge_discussion", "A new message in the discussion of the threshold decision";
        AlaDiscussion = "ala_discussion", "A new view on the proposed Alternative Learning Activity";
        LinkReissued = "link_reissued", "A new return link";
        LinkRevoked = "link_revoked", "The return link was withdrawn";
        Digest = "digest", "Daily digest";
        Test = "test", "Test email";
        SetPassword = "set_password", "A link to choose a password";
        AccountReview = "account_review", "An account that can see cases was created or changed";
    }
}

/// The audiences told of `event`, the last of `history` (which includes it), and what
/// their message carries. Each audience appears once.
pub fn told_of(event: &Event, history: &[Event]) -> Vec<(Audience, Enclosure)> {
    use Audience::{Agency, PartnerRep};
    use EventPayload as P;
    use Role::{BusinessUnit, JcrChair, LaDecisionMaker, PartnershipManager, Viewer};
    let r = Audience::Role;
    let plain = |audiences: Vec<Audience>| -> Vec<(Audience, Enclosure)> {
        audiences.into_iter().map(|a| (a, Enclosure::LinkOnly)).collect()
    };
    let told: Vec<(Audience, Enclosure)> = match &event.payload {
        P::IncidentReported(p) => match p.route {
            Route::ChildrenServices => plain(vec![r(LaDecisionMaker), r(PartnershipManager)]),
            Route::PartnerAgency => plain(vec![r(PartnershipManager), r(BusinessUnit)]),
        },
        P::ForwardedToLa(_) => plain(vec![
            r(LaDecisionMaker),
            r(JcrChair),
            PartnerRep(Partner::Health),
            PartnerRep(Partner::Police),
        ]),
        P::ThresholdDecided(_) | P::DecisionFedBack(_) => {
            plain(vec![r(PartnershipManager), r(BusinessUnit), r(Role::PartnerRep)])
        }
        P::ThresholdChallenged(_)
        | P::ChallengeViewRecorded(_)
        | P::ChallengeMeetingHeld(_)
        | P::ChallengeResolved(_) => plain(vec![r(Role::PartnerRep), r(PartnershipManager), r(LaDecisionMaker)]),
        P::PanelNotified(_) | P::ReferralSubmitted(_) => plain(vec![r(PartnershipManager), r(BusinessUnit)]),
        P::AgencyRequestsSent(p) => p
            .agencies
            .iter()
            .map(|a| (Agency(a.clone()), Enclosure::ReturnRequest))
            .collect(),
        P::DeadlineExtended(p) => p
            .agency
            .iter()
            .map(|a| (Agency(a.clone()), Enclosure::LinkOnly))
            .collect(),
        // The people the process invites, and those the meeting invites by address.
        P::MeetingScheduled(p) => attendees(history)
            .into_iter()
            .chain(p.invitees.iter().map(|i| Audience::Invitee {
                name: i.name.as_str().to_owned(),
                email: i.email.as_str().to_owned(),
            }))
            .map(|a| (a, Enclosure::MeetingInvitation))
            .collect(),
        P::PackShared(_) => plain(attendees(history)),
        // The submission goes to the Panel with its papers, the Partnership Manager in
        // copy (with the same papers).
        P::RapidReviewSubmitted(_) => vec![
            (Audience::NationalPanel, Enclosure::PanelSubmission),
            (r(PartnershipManager), Enclosure::PanelSubmission),
            (r(Role::PartnerRep), Enclosure::LinkOnly),
            (r(JcrChair), Enclosure::LinkOnly),
        ],
        P::PanelResponseReceived(_) => plain(vec![r(PartnershipManager), r(Role::PartnerRep), r(JcrChair)]),
        // Each recipient told now, with its own letter attached.
        P::OutcomeCommunicated(p) => p
            .recipients
            .iter()
            .map(|a| (Agency(a.clone()), Enclosure::OutcomeLetter))
            .collect(),
        P::EsgRecommendationMade(_)
        | P::AlaDecided(_)
        | P::AlaCompleted(_)
        | P::LcsprCommissioned(_)
        | P::LcsprSentToPanel(_)
        | P::LcsprPublished(_) => plain(vec![r(Viewer), r(PartnershipManager)]),
        // Everyone on the case, but the Partnership Manager who reopened it: work on it
        // may start again.
        P::CaseReopened(_) => plain(vec![
            r(BusinessUnit),
            r(LaDecisionMaker),
            r(Role::PartnerRep),
            r(JcrChair),
            r(Viewer),
        ]),
        // The partners and the Partnership Manager each give a view before the decision.
        P::AlaProposed(_) | P::AlaViewRecorded(_) => plain(vec![r(PartnershipManager), r(Role::PartnerRep)]),
        // Recorded by the people who would be told, or the case's own housekeeping. The
        // agency of a stopped or resumed request is told through its link's own
        // messages (`Notice::LinkRevoked`, `Notice::LinkReissued`).
        P::AgencyReturnReceived(_)
        | P::AgencyRequestStopped(_)
        | P::AgencyRequestResumed(_)
        | P::MeetingHeld(_)
        | P::CaseClosed(_)
        | P::EventCorrected(_)
        | P::LearningActionAdded(_)
        | P::ActionUpdated(_) => Vec::new(),
    };
    let mut once: Vec<(Audience, Enclosure)> = Vec::with_capacity(told.len());
    for (audience, enclosure) in told {
        if !once.iter().any(|(a, _)| *a == audience) {
            once.push((audience, enclosure));
        }
    }
    once
}

/// Who hears of a new message in a case's discussion (the threshold decision's, or the
/// views on an Alternative Learning Activity): the other deciders, the three partner
/// representatives and the Partnership Manager. The author is left out where the
/// message is queued.
pub fn told_of_discussion() -> Vec<Audience> {
    vec![
        Audience::Role(Role::PartnerRep),
        Audience::Role(Role::PartnershipManager),
    ]
}

/// The Rapid Review meeting's attendees: the chair, the partner reps, the Partnership
/// Manager and each agency that was asked for a return.
pub fn attendees(history: &[Event]) -> Vec<Audience> {
    let mut out = vec![
        Audience::Role(Role::JcrChair),
        Audience::Role(Role::PartnerRep),
        Audience::Role(Role::PartnershipManager),
    ];
    out.extend(asked(history).into_iter().map(Audience::Agency));
    out
}

/// (name, email) of each person the latest `meeting_scheduled` invites by address.
pub fn invited(history: &[Event]) -> Vec<(String, String)> {
    history
        .iter()
        .rev()
        .find_map(|e| match &e.payload {
            EventPayload::MeetingScheduled(p) => Some(
                p.invitees
                    .iter()
                    .map(|i| (i.name.as_str().to_owned(), i.email.as_str().to_owned()))
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

/// Every agency asked for a return, in the order they were asked.
pub fn asked(history: &[Event]) -> Vec<AgencySlug> {
    let mut out: Vec<AgencySlug> = Vec::new();
    for event in history {
        if let EventPayload::AgencyRequestsSent(p) = &event.payload {
            for agency in &p.agencies {
                if !out.contains(agency) {
                    out.push(agency.clone());
                }
            }
        }
    }
    out
}

/// The agency that referred the incident.
pub fn referrer(history: &[Event]) -> Option<AgencySlug> {
    history.iter().find_map(|e| match &e.payload {
        EventPayload::IncidentReported(p) => Some(p.referring_agency.clone()),
        _ => None,
    })
}

#[cfg(test)]
mod tests;
