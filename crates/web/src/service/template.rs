//! The Rapid Review Template of a case, for the API and the pages alike: reading a
//! version (or, before the first save, the draft from the case), saving sections as a
//! new version, and a partner's sign-off.

use domain::events::EventPayload;
use domain::roles::{Partner, Role};
use domain::template::{Section, Sections};
use store::{AuditEntry, CaseRecord, SavedTemplate, TemplateVersion, User};

use super::{Refused, cases};
use crate::state::AppState;

/// A template as read: the version asked for, or the draft when none is saved yet.
pub struct TemplateRead {
    pub record: CaseRecord,
    /// `None` for the unsaved draft (version 0).
    pub saved: Option<SavedTemplate>,
    pub sections: Sections,
    pub versions: Vec<TemplateVersion>,
    /// The version that went to the National Panel, once it has.
    pub submitted_version: Option<u32>,
}

impl TemplateRead {
    pub fn version(&self) -> u32 {
        self.saved.as_ref().map_or(0, |s| s.version)
    }

    pub fn latest_version(&self) -> u32 {
        self.versions.last().map_or(0, |v| v.version)
    }

    /// The partners who signed off this version.
    pub fn signed(&self) -> Vec<Partner> {
        self.saved
            .as_ref()
            .map(|s| s.sign_offs.iter().map(|o| o.partner).collect())
            .unwrap_or_default()
    }

    pub fn frozen(&self) -> bool {
        self.submitted_version.is_some() || domain::process::fold(&self.record.events).submitted_on.is_some()
    }
}

/// Case `id`'s template at `version` (the latest when `None`).
pub async fn read(state: &AppState, user: &User, id: &str, version: Option<u32>) -> Result<TemplateRead, Refused> {
    let record = cases::load(state, user, id).await?;
    let saved = state.store.template(id, version).await?;
    if version.is_some_and(|v| v > 0) && saved.is_none() {
        return Err(Refused::NotFound(format!(
            "this case's template has no version {}",
            version.unwrap_or_default()
        )));
    }
    let sections = match &saved {
        Some(s) => s.sections.clone(),
        None => draft(state, &record).await?,
    };
    let submitted_version = record.events.iter().find_map(|e| match &e.payload {
        EventPayload::RapidReviewSubmitted(p) => p.template_version,
        _ => None,
    });
    Ok(TemplateRead {
        versions: state.store.template_versions(id).await?,
        record,
        saved,
        sections,
        submitted_version,
    })
}

/// Saves `changes` as a new version; returns its number.
pub async fn save(
    state: &AppState,
    user: &User,
    id: &str,
    expected: Option<u32>,
    changes: Vec<(Section, String)>,
    action: &str,
) -> Result<u32, Refused> {
    if !user.role.may_write_template() {
        return Err(Refused::Forbidden(format!(
            "the {} role does not write the Rapid Review Template",
            user.role.label()
        )));
    }
    let record = cases::load(state, user, id).await?;
    let first_draft = draft(state, &record).await?;
    let entry = audit(state, user, id, action);
    Ok(state
        .store
        .save_template(id, expected, changes, first_draft, user, &entry)
        .await?)
}

/// Signs off the current version (which must be `version`, when given) for the user's
/// partner; returns the version signed.
pub async fn sign_off(
    state: &AppState,
    user: &User,
    id: &str,
    version: Option<u32>,
    action: &str,
) -> Result<u32, Refused> {
    let partner = match (user.role, user.partner) {
        (Role::PartnerRep, Some(p)) => p,
        (Role::PartnerRep, None) => {
            return Err(Refused::Forbidden(
                "your account names no partner, so it cannot sign off for one; ask an administrator to set it".into(),
            ));
        }
        (role, _) => {
            return Err(Refused::Forbidden(format!(
                "only a partner's representative signs off the template, not the {} role",
                role.label()
            )));
        }
    };
    cases::load(state, user, id).await?;
    let entry = audit(state, user, id, action);
    Ok(state
        .store
        .sign_off_template(id, version, partner, user, &entry)
        .await?)
}

/// The sections drafted from the case.
async fn draft(state: &AppState, record: &CaseRecord) -> Result<Sections, Refused> {
    Ok(state.store.template_draft(record).await?)
}

fn audit(state: &AppState, user: &User, id: &str, action: &str) -> AuditEntry {
    AuditEntry {
        at: state.clock.recorded_now(),
        actor: Some(user.email.clone()),
        action: action.to_owned(),
        subject: None,
        case_id: Some(id.to_owned()),
        outcome: "200".into(),
    }
}
