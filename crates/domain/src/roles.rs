//! Who takes part in a Rapid Review, and which events each role may record.

use crate::events::EventKind;
pub use crate::partners::Partner;

crate::keyed! {
    /// A user's role, as in docs/domain.md.
    pub enum Role {
        PartnershipManager = "partnership_manager", "Partnership Manager";
        BusinessUnit = "business_unit", "Business Unit";
        LaDecisionMaker = "la_decision_maker", "Local authority decision maker";
        PartnerRep = "partner_rep", "Partner representative";
        JcrChair = "jcr_chair", "Joint Case Review chair";
        AgencyContact = "agency_contact", "Agency contact";
        Viewer = "viewer", "Viewer";
        Admin = "admin", "Administrator";
    }
}

impl Role {
    /// Roles that see whole cases: all but agency contacts, viewers and administrators.
    pub fn may_see_cases(self) -> bool {
        !matches!(self, Role::AgencyContact | Role::Viewer | Role::Admin)
    }

    /// Roles that open a case with an incident report.
    pub fn may_open_cases(self) -> bool {
        self.may_record(EventKind::IncidentReported)
    }

    /// Roles that see an agency's return link, and reissue, withdraw or go ahead
    /// without it.
    pub fn may_manage_return_links(self) -> bool {
        matches!(self, Role::BusinessUnit | Role::PartnershipManager)
    }

    /// Roles that discuss a threshold decision and give a view on an Alternative
    /// Learning Activity: the partners' representatives and the Partnership Manager.
    pub fn may_discuss_decisions(self) -> bool {
        matches!(self, Role::PartnerRep | Role::PartnershipManager)
    }

    /// Roles that write the Rapid Review Template: the Business Unit drafts it, the
    /// JCR chair completes it at the meeting, the Partnership Manager oversees it.
    pub fn may_write_template(self) -> bool {
        matches!(self, Role::BusinessUnit | Role::JcrChair | Role::PartnershipManager)
    }

    /// Roles that sign the template off: each partner's representative.
    pub fn may_sign_off_template(self) -> bool {
        self == Role::PartnerRep
    }

    /// Roles that manage users, agencies and the calendar.
    pub fn may_administer(self) -> bool {
        self == Role::Admin
    }

    /// Roles that read the reports: the Partnership Manager, the Business Unit, the
    /// partner reps and viewers (the Executive group).
    pub fn may_see_reports(self) -> bool {
        matches!(
            self,
            Role::PartnershipManager | Role::BusinessUnit | Role::PartnerRep | Role::Viewer
        )
    }

    /// Roles that keep the list of learning themes: the Partnership Manager.
    pub fn may_manage_themes(self) -> bool {
        self == Role::PartnershipManager
    }

    /// Roles that say which themes a case carries: the Partnership Manager and the
    /// Business Unit.
    pub fn may_set_case_themes(self) -> bool {
        matches!(self, Role::PartnershipManager | Role::BusinessUnit)
    }

    /// Roles that change the deadline rules: administrators and the Partnership Manager.
    pub fn may_change_deadline_rules(self) -> bool {
        matches!(self, Role::Admin | Role::PartnershipManager)
    }

    /// Whether this role may record `kind`. The Partnership Manager may record anything
    /// the Business Unit may. `event_corrected` is also open to whoever recorded the
    /// original event; that check needs the history and lives with the caller.
    pub fn may_record(self, kind: EventKind) -> bool {
        let allowed = Role::recorders(kind);
        use Role as R;
        allowed.contains(&self) || (self == R::PartnershipManager && allowed.contains(&R::BusinessUnit))
    }

    /// The roles whose work an event records (before the Partnership Manager's cover
    /// for the Business Unit): the people a reminder of the step goes to.
    pub fn recorders(kind: EventKind) -> &'static [Role] {
        use EventKind as K;
        use Role as R;
        match kind {
            K::IncidentReported => &[R::PartnershipManager, R::BusinessUnit, R::LaDecisionMaker],
            K::ForwardedToLa
            | K::ChallengeMeetingHeld
            | K::AgencyRequestsSent
            | K::AgencyReturnReceived
            | K::AgencyRequestStopped
            | K::AgencyRequestResumed
            | K::MeetingScheduled
            | K::PackShared
            | K::RapidReviewSubmitted
            | K::OutcomeCommunicated
            | K::PanelResponseReceived
            | K::AlaCompleted
            | K::LcsprCommissioned
            | K::LcsprSentToPanel
            | K::LcsprPublished
            | K::LearningActionAdded
            | K::ActionUpdated => &[R::BusinessUnit],
            K::ThresholdDecided | K::PanelNotified | K::ReferralSubmitted => &[R::LaDecisionMaker],
            K::DecisionFedBack => &[R::LaDecisionMaker, R::BusinessUnit],
            K::ThresholdChallenged | K::ChallengeViewRecorded | K::AlaViewRecorded => {
                &[R::PartnerRep, R::PartnershipManager]
            }
            K::ChallengeResolved => &[R::PartnershipManager, R::LaDecisionMaker],
            K::MeetingHeld | K::EsgRecommendationMade => &[R::JcrChair, R::PartnershipManager],
            K::AlaProposed => &[R::LaDecisionMaker, R::PartnerRep, R::PartnershipManager],
            K::AlaDecided | K::CaseClosed | K::CaseReopened | K::DeadlineExtended | K::EventCorrected => {
                &[R::PartnershipManager]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partnership_manager_may_record_whatever_the_business_unit_may() {
        for &kind in EventKind::ALL {
            if Role::BusinessUnit.may_record(kind) {
                assert!(Role::PartnershipManager.may_record(kind), "{kind:?}");
            }
        }
    }

    #[test]
    fn only_the_la_decision_maker_decides_the_threshold() {
        let deciders: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|r| r.may_record(EventKind::ThresholdDecided))
            .collect();
        assert_eq!(deciders, vec![Role::LaDecisionMaker]);
    }

    #[test]
    fn agency_contacts_viewers_and_admins_record_no_event_and_see_no_case() {
        for role in [Role::AgencyContact, Role::Viewer, Role::Admin] {
            assert!(!role.may_see_cases());
            assert!(EventKind::ALL.iter().all(|&k| !role.may_record(k)));
        }
    }

    #[test]
    fn role_keys_round_trip() {
        for &role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }
}
