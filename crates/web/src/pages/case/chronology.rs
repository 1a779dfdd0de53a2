//! The merged multi-agency chronology of a case, filtered by agency and dates, a page
//! at a time, with links to export the same selection.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};

use super::super::pager::Pager;
use super::super::{Nav, PageError, PageUser};
use crate::service::chronology::{Filter, merged};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "chronology.html")]
pub struct ChronologyPage {
    pub nav: Option<Nav>,
    pub case_id: String,
    pub reference: String,
    /// (slug, name, selected)
    pub agencies: Vec<(String, String, bool)>,
    pub from: String,
    pub to: String,
    pub query: String,
    pub filtered: bool,
    pub entries: Vec<(String, [String; 6])>,
    pub pager: Pager,
}

/// How many merged chronology entries a page shows.
const PER_PAGE: i64 = 200;

/// `GET /cases/{id}/chronology`
pub async fn chronology(
    State(state): State<AppState>,
    page_user: PageUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| query.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let (agency, from, to) = (get("agency"), get("from"), get("to"));
    // A filter value that is not understood is left out, never an error.
    let filter = Filter {
        agency: Some(agency.clone()).filter(|a| !a.is_empty()),
        from: domain::dates::parse(&from).ok(),
        to: domain::dates::parse(&to).ok(),
    };
    super::may_see_cases(&page_user)?;
    let chronology = merged(&state, &page_user.user, &id, &filter)
        .await
        .map_err(|r| super::refused(&page_user, r))?;
    // Only values that were understood go into the export and page links.
    let mut qs = String::new();
    if chronology.agencies.iter().any(|a| a.as_str() == agency) {
        qs.push_str(&format!("&agency={agency}"));
    }
    for (k, v) in [("from", filter.from), ("to", filter.to)] {
        if let Some(d) = v {
            qs.push_str(&format!("&{k}={d}"));
        }
    }
    let mut base = format!("/cases/{id}/chronology?{}", qs.trim_start_matches('&'));
    if !qs.is_empty() {
        base.push('&');
    }
    let names = crate::service::agencies::names(&state).await?;
    let name = |slug: &str| crate::service::agencies::name_of(&names, slug);
    let total = i64::try_from(chronology.entries.len()).unwrap_or(i64::MAX);
    let pager = Pager::new(total, PER_PAGE, query.get("page").map(String::as_str), &base);
    let entries = chronology
        .entries
        .into_iter()
        .skip(usize::try_from(pager.offset()).unwrap_or(0))
        .take(usize::try_from(pager.size).unwrap_or(0))
        .map(|(a, e)| (name(a.as_str()), e.cells()))
        .collect();
    Ok(ChronologyPage {
        pager,
        nav: Some(Nav::from(&page_user)),
        reference: chronology.reference,
        agencies: chronology
            .agencies
            .into_iter()
            .map(|a| {
                let selected = a.as_str() == agency;
                (a.to_string(), name(a.as_str()), selected)
            })
            .collect(),
        filtered: !filter.is_empty(),
        case_id: id,
        from,
        to,
        query: qs,
        entries,
    }
    .into_response())
}
