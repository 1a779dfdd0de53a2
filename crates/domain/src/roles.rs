//! Who takes part in a Rapid Review, and which events each role may record.

use serde::{Deserialize, Serialize};

use crate::events::EventKind;

/// A user's role, as in docs/domain.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    PartnershipManager,
    BusinessUnit,
    LaDecisionMaker,
    PartnerRep,
    JcrChair,
    AgencyContact,
    Viewer,
    Admin,
}

/// The three statutory safeguarding partners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Partner {
    LocalAuthority,
    Health,
    Police,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::PartnershipManager,
        Role::BusinessUnit,
        Role::LaDecisionMaker,
        Role::PartnerRep,
        Role::JcrChair,
        Role::AgencyContact,
        Role::Viewer,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::PartnershipManager => "partnership_manager",
            Role::BusinessUnit => "business_unit",
            Role::LaDecisionMaker => "la_decision_maker",
            Role::PartnerRep => "partner_rep",
            Role::JcrChair => "jcr_chair",
            Role::AgencyContact => "agency_contact",
            Role::Viewer => "viewer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Roles that see whole cases: all but agency contacts, viewers and administrators.
    pub fn is_case_role(self) -> bool {
        !matches!(self, Role::AgencyContact | Role::Viewer | Role::Admin)
    }

    /// Whether this role may record `kind`. The Partnership Manager may record anything
    /// the Business Unit may. `event_corrected` is also open to whoever recorded the
    /// original event; that check needs the history and lives with the caller.
    pub fn may_record(self, kind: EventKind) -> bool {
        use EventKind as K;
        use Role as R;
        let allowed: &[Role] = match kind {
            K::IncidentReported => &[R::PartnershipManager, R::BusinessUnit, R::LaDecisionMaker],
            K::ForwardedToLa
            | K::ChallengeMeetingHeld
            | K::AgencyRequestsSent
            | K::AgencyReturnReceived
            | K::MeetingScheduled
            | K::PackShared
            | K::RapidReviewSubmitted
            | K::OutcomeCommunicated
            | K::PanelResponseReceived
            | K::AlaCompleted
            | K::LcsprCommissioned
            | K::LcsprSentToPanel
            | K::LcsprPublished => &[R::BusinessUnit],
            K::ThresholdDecided | K::PanelNotified | K::ReferralSubmitted => &[R::LaDecisionMaker],
            K::DecisionFedBack => &[R::LaDecisionMaker, R::BusinessUnit],
            K::ThresholdChallenged => &[R::PartnerRep, R::PartnershipManager],
            K::ChallengeResolved => &[R::PartnershipManager, R::LaDecisionMaker],
            K::MeetingHeld | K::EsgRecommendationMade => &[R::JcrChair, R::PartnershipManager],
            K::AlaProposed => &[R::LaDecisionMaker, R::PartnerRep, R::PartnershipManager],
            K::AlaDecided | K::CaseClosed | K::DeadlineExtended | K::EventCorrected => &[R::PartnershipManager],
        };
        allowed.contains(&self) || (self == R::PartnershipManager && allowed.contains(&R::BusinessUnit))
    }
}

impl Partner {
    pub fn as_str(self) -> &'static str {
        match self {
            Partner::LocalAuthority => "local_authority",
            Partner::Health => "health",
            Partner::Police => "police",
        }
    }

    pub fn parse(s: &str) -> Option<Partner> {
        [Partner::LocalAuthority, Partner::Health, Partner::Police]
            .into_iter()
            .find(|p| p.as_str() == s)
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
            .into_iter()
            .filter(|r| r.may_record(EventKind::ThresholdDecided))
            .collect();
        assert_eq!(deciders, vec![Role::LaDecisionMaker]);
    }

    #[test]
    fn agency_contacts_viewers_and_admins_record_no_event_and_see_no_case() {
        for role in [Role::AgencyContact, Role::Viewer, Role::Admin] {
            assert!(!role.is_case_role());
            assert!(EventKind::ALL.iter().all(|&k| !role.may_record(k)));
        }
    }

    #[test]
    fn role_keys_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }
}
