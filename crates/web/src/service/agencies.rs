//! The agency directory as people read it: every agency's key and name, so that pages
//! and forms show names, never keys.

use super::Refused;
use crate::state::AppState;

/// Every agency in the directory as (key, name).
pub async fn names(state: &AppState) -> Result<Vec<(String, String)>, Refused> {
    Ok(state
        .store
        .list_agencies()
        .await?
        .into_iter()
        .map(|a| (a.slug.to_string(), a.name))
        .collect())
}

/// The name of `slug` in `names`, or the key itself for one no longer listed.
pub fn name_of(names: &[(String, String)], slug: &str) -> String {
    names
        .iter()
        .find(|(s, _)| s == slug)
        .map_or_else(|| slug.to_owned(), |(_, n)| n.clone())
}
