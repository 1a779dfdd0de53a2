//! The merged multi-agency chronology of a case, filtered by agency and dates, as the
//! API exports it and the page shows it.

use chrono::NaiveDate;
use domain::events::AgencySlug;
use domain::returns::ChronologyEntry;
use store::User;

use super::Refused;
use crate::state::AppState;

/// Which entries to show; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub agency: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    fn keeps(&self, agency: &AgencySlug, entry: &ChronologyEntry) -> bool {
        self.agency.as_deref().is_none_or(|a| a == agency.as_str())
            && self.from.is_none_or(|f| entry.date >= f)
            && self.to.is_none_or(|t| entry.date <= t)
    }
}

/// The merged chronology of a case.
#[derive(Debug, Clone)]
pub struct Chronology {
    pub reference: String,
    /// Every agency with submitted entries, in order, whatever the filter.
    pub agencies: Vec<AgencySlug>,
    /// The entries the filter keeps, oldest first.
    pub entries: Vec<(AgencySlug, ChronologyEntry)>,
}

/// Case `id`'s merged chronology for `user`, filtered.
pub async fn merged(state: &AppState, user: &User, id: &str, filter: &Filter) -> Result<Chronology, Refused> {
    let record = super::cases::load(state, user, id).await?;
    let all = state.store.merged_chronology(&record.id).await?;
    let mut agencies: Vec<AgencySlug> = all.iter().map(|(a, _)| a.clone()).collect();
    agencies.sort();
    agencies.dedup();
    Ok(Chronology {
        reference: record.reference,
        agencies,
        entries: all.into_iter().filter(|(a, e)| filter.keeps(a, e)).collect(),
    })
}
