//! Who a case's meeting invitation names: the people the process invites (the JCR
//! chair, every partner representative and the Partnership Manager, while active) and
//! each agency asked for a return, at its directory address, and whoever the meeting
//! invites by address. The API's `meeting.ics` and the emailed invitation both list
//! them, so the two files are the same.

use domain::events::AgencySlug;
use domain::roles::Role;

use crate::{Store, StoreError};

impl Store {
    /// (name, email) of each invitee, for a case that asked `asked` for returns and
    /// invites `invited` by address (`domain::notices::invited`); each address once.
    pub async fn meeting_invitees(
        &self,
        asked: &[AgencySlug],
        invited: Vec<(String, String)>,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut out: Vec<(String, String)> = self
            .list_users()
            .await?
            .into_iter()
            .filter(|u| !u.disabled && matches!(u.role, Role::JcrChair | Role::PartnerRep | Role::PartnershipManager))
            .map(|u| (u.name, u.email))
            .collect();
        for agency in self.list_agencies().await? {
            if let Some(email) = agency.email.filter(|_| asked.contains(&agency.slug)) {
                out.push((agency.name, email));
            }
        }
        for (name, email) in invited {
            if !out.iter().any(|(_, e)| e.eq_ignore_ascii_case(&email)) {
                out.push((name, email));
            }
        }
        Ok(out)
    }
}
