//! Pages kept rendered per instance (the case page, the dashboard), so that a second
//! view of unchanged data by the same user copies bytes instead of rendering 50 KB of
//! HTML again.
//!
//! A page differs between users (their name in the menu, the forms their role may fill
//! in, the discussions they take part in) and between sessions (the form token). So a
//! kept page is keyed by what it shows (a case, a dashboard page) and user, is used only
//! while the user is exactly as it was rendered for and the data is current (the same
//! stamp: for a case page the case read's [`Stamp`], the case's version and revision,
//! the date, the calendar and rules; for the dashboard, the answers and the date), and
//! is rendered with a random mark where the form token goes: each view puts its own
//! session's token there. The mark is 128 random bits chosen at start-up, so no case
//! text can contain it.
//!
//! At most [`BUDGET`] bytes of pages are kept; past it, the older half goes. The view
//! is audited as before: the copy saves rendering, not the audit row.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use store::User;

use crate::case_stamp::Stamp;

/// The most page bytes one instance keeps (some 80 large case pages).
pub const BUDGET: usize = 4 * 1024 * 1024;

/// What a dashboard page is rendered from: the store's answers (the same answers while
/// no case changes anywhere: `data_version`), the date, and the calendar and rules.
#[derive(Debug, Clone)]
pub struct DashboardStamp {
    pub answers: Arc<store::Dashboard>,
    pub today: chrono::NaiveDate,
    pub settings: Arc<crate::settings::Settings>,
}

impl PartialEq for DashboardStamp {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.answers, &other.answers)
            && self.today == other.today
            && Arc::ptr_eq(&self.settings, &other.settings)
    }
}

/// A rendered page cut where the form token goes.
#[derive(Debug)]
pub struct Rendered {
    parts: Vec<Bytes>,
    len: usize,
}

impl Rendered {
    /// The page with `token` wherever the form token goes.
    pub fn with_token(&self, token: &str) -> Bytes {
        let gaps = self.parts.len().saturating_sub(1);
        let mut out = Vec::with_capacity(self.len + gaps * token.len());
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(token.as_bytes());
            }
            out.extend_from_slice(part);
        }
        out.into()
    }
}

#[derive(Debug)]
struct Entry<S> {
    tick: u64,
    stamp: S,
    user: User,
    page: Arc<Rendered>,
}

#[derive(Debug)]
struct Entries<S> {
    map: HashMap<(String, i64), Entry<S>>,
    bytes: usize,
    clock: u64,
}

impl<S> Default for Entries<S> {
    fn default() -> Self {
        Entries {
            map: HashMap::new(),
            bytes: 0,
            clock: 0,
        }
    }
}

/// The kept pages, shared by every request of the instance; `S` is what a page was
/// rendered at (equal to the current one, the page is current).
#[derive(Debug)]
pub struct PageCache<S = Stamp> {
    /// What a page is rendered with in place of the form token; none if the system
    /// gave no randomness, and then no page is kept.
    mark: Option<String>,
    entries: Mutex<Entries<S>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<S> Default for PageCache<S> {
    fn default() -> Self {
        let mut bytes = [0u8; 16];
        let mark = getrandom::fill(&mut bytes)
            .ok()
            .map(|()| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
        PageCache::with_mark(mark)
    }
}

impl<S> PageCache<S> {
    fn with_mark(mark: Option<String>) -> Self {
        PageCache {
            mark,
            entries: Mutex::new(Entries::default()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// Views served from a kept page, and views that were rendered.
    pub fn hits_and_misses(&self) -> (u64, u64) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }

    /// The bytes of pages kept now.
    pub fn kept_bytes(&self) -> usize {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).bytes
    }
}

/// What [`PageCache::lookup`] found: the kept page with the session's token put in, or
/// the token to render the page with.
#[derive(Debug)]
pub enum Lookup<'a> {
    Kept(Bytes),
    Render(&'a str),
}

impl<S: PartialEq + Clone> PageCache<S> {
    /// The kept page of `what` for `user` at `stamp`, with `csrf` put in; or else the
    /// token to render it with: the mark when it is to be kept (`keep`, and there is a
    /// mark), `csrf` when not.
    pub fn lookup<'a>(&'a self, keep: bool, what: &str, user: &User, stamp: &S, csrf: &'a str) -> Lookup<'a> {
        let Some(mark) = self.mark.as_deref().filter(|_| keep) else {
            return Lookup::Render(csrf);
        };
        match self.get(what, user, stamp) {
            Some(page) => Lookup::Kept(page.with_token(csrf)),
            None => Lookup::Render(mark),
        }
    }

    /// `html`, rendered with the `token` [`PageCache::lookup`] gave, ready to serve with
    /// `csrf`; kept first if it was rendered to be kept.
    pub fn finish(&self, token: &str, what: &str, user: &User, stamp: &S, html: Bytes, csrf: &str) -> Bytes {
        if self.mark.as_deref() != Some(token) {
            return html;
        }
        match self.put(what, user, stamp, &html) {
            Some(page) => page.with_token(csrf),
            None => html,
        }
    }

    /// The kept page of `what` (a case id, a dashboard page) for `user`, if it is
    /// current at `stamp`.
    fn get(&self, what: &str, user: &User, stamp: &S) -> Option<Arc<Rendered>> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.clock += 1;
        let tick = entries.clock;
        let found = entries
            .map
            .get_mut(&(what.to_owned(), user.id))
            .filter(|e| e.stamp == *stamp && e.user == *user)
            .map(|e| {
                e.tick = tick;
                e.page.clone()
            });
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps `html`, rendered with the mark for the form token, as the page of
    /// `what` for `user` at `stamp`; returns it ready to have a token put in.
    fn put(&self, what: &str, user: &User, stamp: &S, html: &[u8]) -> Option<Arc<Rendered>> {
        let mark = self.mark.as_deref()?;
        let page = Arc::new(cut(html, mark.as_bytes()));
        let size = page.len;
        if size > BUDGET / 8 {
            return Some(page);
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.clock += 1;
        let entry = Entry {
            tick: entries.clock,
            stamp: stamp.clone(),
            user: user.clone(),
            page: page.clone(),
        };
        if let Some(old) = entries.map.insert((what.to_owned(), user.id), entry) {
            entries.bytes -= old.page.len;
        }
        entries.bytes += size;
        if entries.bytes > BUDGET {
            let mut ticks: Vec<u64> = entries.map.values().map(|e| e.tick).collect();
            ticks.sort_unstable();
            let oldest_kept = ticks.get(ticks.len() / 2).copied().unwrap_or(0);
            entries.map.retain(|_, e| e.tick >= oldest_kept);
            entries.bytes = entries.map.values().map(|e| e.page.len).sum();
        }
        Some(page)
    }
}

/// `html` cut at every `mark`.
fn cut(html: &[u8], mark: &[u8]) -> Rendered {
    let mut parts = Vec::new();
    let mut rest = html;
    let mut len = 0;
    while let Some(at) = (!mark.is_empty())
        .then(|| rest.windows(mark.len()).position(|w| w == mark))
        .flatten()
    {
        parts.push(Bytes::copy_from_slice(&rest[..at]));
        len += at;
        rest = &rest[at + mark.len()..];
    }
    parts.push(Bytes::copy_from_slice(rest));
    len += rest.len();
    Rendered { parts, len }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::settings::Settings;

    fn stamp(version: i64) -> Stamp {
        Stamp {
            case: store::CaseStamp { version, revision: 1 },
            today: "2026-11-27".parse().unwrap(),
            settings: Arc::new(Settings {
                calendar: domain::calendar::Calendar::england_and_wales(),
                rules: domain::deadlines::RuleSet::default(),
                agencies: Vec::new(),
                themes: Vec::new(),
                secure_email: Vec::new(),
            }),
        }
    }

    fn user(id: i64, name: &str) -> User {
        User {
            id,
            email: format!("{id}@example.org"),
            name: name.to_owned(),
            role: domain::roles::Role::PartnershipManager,
            partner: None,
            agency: None,
            disabled: false,
            two_factor: false,
        }
    }

    #[test]
    fn each_view_of_a_kept_page_carries_its_own_token_in_every_place_the_token_goes() {
        let cache = PageCache::<Stamp>::with_mark(Some("MARK".to_owned()));
        let at = stamp(3);
        let ann = user(1, "Ann");
        let kept = cache.put("c1", &ann, &at, b"<a>MARK</a><b>MARK</b>end").unwrap();
        assert_eq!(kept.with_token("t1"), "<a>t1</a><b>t1</b>end");
        let again = cache.get("c1", &ann, &at).unwrap();
        assert_eq!(again.with_token("second"), "<a>second</a><b>second</b>end");
        assert_eq!(cache.hits_and_misses(), (1, 0));
    }

    #[test]
    fn a_kept_page_is_used_only_for_the_same_user_as_they_are_and_the_same_stamp() {
        let cache = PageCache::<Stamp>::with_mark(Some("MARK".to_owned()));
        let at = stamp(3);
        let ann = user(1, "Ann");
        cache.put("c1", &ann, &at, b"page").unwrap();
        assert!(cache.get("c1", &user(2, "Bob"), &at).is_none(), "another user");
        assert!(cache.get("c1", &user(1, "Ann Smith"), &at).is_none(), "renamed");
        let mut administrator = ann.clone();
        administrator.role = domain::roles::Role::Admin;
        assert!(cache.get("c1", &administrator, &at).is_none(), "another role");
        assert!(cache.get("c1", &ann, &stamp(4)).is_none(), "the case changed");
        assert!(cache.get("c2", &ann, &at).is_none(), "another case");
        assert!(cache.get("c1", &ann, &at).is_some());
    }

    #[test]
    fn no_more_than_the_budget_is_kept_and_the_pages_seen_last_stay() {
        let cache = PageCache::<Stamp>::with_mark(Some("MARK".to_owned()));
        let at = stamp(3);
        let ann = user(1, "Ann");
        let page = vec![b'x'; BUDGET / 10];
        for case in 0..30 {
            cache.put(&format!("c{case}"), &ann, &at, &page).unwrap();
            assert!(cache.kept_bytes() <= BUDGET);
        }
        assert!(cache.get("c29", &ann, &at).is_some());
        assert!(cache.get("c0", &ann, &at).is_none());
    }

    #[test]
    fn a_page_looked_up_is_rendered_with_the_mark_kept_and_then_served_with_each_token() {
        let cache = PageCache::with_mark(Some("MARK".to_owned()));
        let (at, ann) = (stamp(3), user(1, "Ann"));
        let Lookup::Render(token) = cache.lookup(true, "c1", &ann, &at, "t1") else {
            panic!("nothing is kept yet");
        };
        assert_eq!(token, "MARK");
        let html = Bytes::from(format!("<i>{token}</i>"));
        assert_eq!(cache.finish(token, "c1", &ann, &at, html, "t1"), "<i>t1</i>");
        let Lookup::Kept(page) = cache.lookup(true, "c1", &ann, &at, "t2") else {
            panic!("the page is kept");
        };
        assert_eq!(page, "<i>t2</i>");
        let Lookup::Render(token) = cache.lookup(false, "c1", &ann, &at, "t3") else {
            panic!("a view not to be kept is rendered");
        };
        assert_eq!(token, "t3");
        let banner = Bytes::from("<b>t3</b>");
        assert_eq!(cache.finish(token, "c2", &ann, &at, banner, "t3"), "<b>t3</b>");
        assert!(cache.get("c2", &ann, &at).is_none(), "and not kept");
    }

    #[test]
    fn without_randomness_nothing_is_kept() {
        let cache = PageCache::<Stamp>::with_mark(None);
        assert!(cache.mark.is_none());
        assert!(cache.put("c1", &user(1, "Ann"), &stamp(3), b"page").is_none());
    }
}
