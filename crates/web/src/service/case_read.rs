//! One case as its readers see it, loaded once per change and kept per instance (see
//! `case_cache`): the history, the state folded from it, the derived view and the
//! agency requests with their links; the Case JSON rendered once; and, on the first
//! page view, what only the page shows (the case's messages, themes, review papers and
//! discussions). The JSON and the page both read from it, so neither loads, folds or
//! renders the JSON per request, and a read of an unchanged case is one small query.

use std::sync::{Arc, OnceLock};

use axum::body::Bytes;
use axum::http::HeaderValue;
use domain::case::CaseView;
use domain::events::ThresholdOutcome;
use domain::process::CaseState;
use sha2::{Digest, Sha256};
use store::{CaseRecord, Message, OutboxMessage, StoredPaper, User};

use super::Refused;
use super::requests::RequestLine;
use crate::auth::PrefetchedStamp;
use crate::case_json::{case_json, correspondence};
use crate::case_stamp::Stamp;
use crate::encoding::Encoding;
use crate::state::AppState;

/// A case as of its stamp, for one kind of reader (with or without return links).
#[derive(Debug)]
pub struct CaseRead {
    pub stamp: Stamp,
    pub record: CaseRecord,
    pub folded: CaseState,
    pub view: CaseView,
    pub lines: Vec<RequestLine>,
    /// Every message about the case (its correspondence), read with the copy: sending
    /// one moves the case's revision, so the copy is never behind its messages.
    pub messages: Vec<OutboxMessage>,
    json: OnceLock<Json>,
    page: tokio::sync::OnceCell<PageParts>,
}

/// The Case JSON's bytes and its entity tag (the case version, then a digest of the
/// bytes: it changes with the case, the day and the rules alike), and the bytes
/// compressed, each the first time a client asks for it, with its own tag (the plain
/// tag and the coding: a representation's strong tag differs by coding).
#[derive(Debug)]
pub struct Json {
    body: Bytes,
    etag: HeaderValue,
    gzip: OnceLock<Option<Encoded>>,
    brotli: OnceLock<Option<Encoded>>,
}

/// One form of the Case JSON as it is sent: its coding, bytes and entity tag.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub encoding: Encoding,
    pub body: Bytes,
    pub etag: HeaderValue,
}

impl Json {
    /// The body in `encoding`, compressed once and kept; the plain body (and no
    /// encoding) should the encoder fail.
    pub fn encoded(&self, encoding: Encoding) -> Encoded {
        let plain = || Encoded {
            encoding: Encoding::Identity,
            body: self.body.clone(),
            etag: self.etag.clone(),
        };
        let (kept, suffix) = match encoding {
            Encoding::Identity => return plain(),
            Encoding::Gzip => (&self.gzip, "gzip"),
            Encoding::Brotli => (&self.brotli, "br"),
        };
        let made = kept.get_or_init(|| {
            let body = encoding.encode(&self.body)?;
            let tag = self.etag.to_str().ok()?.trim_end_matches('"');
            let etag = HeaderValue::from_str(&format!("{tag}-{suffix}\"")).ok()?;
            Some(Encoded { encoding, body, etag })
        });
        made.clone().unwrap_or_else(plain)
    }
}

/// What only the case page shows.
#[derive(Debug)]
pub struct PageParts {
    pub messages: Vec<OutboxMessage>,
    pub themes: Vec<String>,
    /// The local review's papers, once it is commissioned.
    pub papers: Vec<StoredPaper>,
    /// The discussion of a threshold not met, and the views on an ALA, once reached.
    pub challenge: Vec<Message>,
    pub ala: Vec<Message>,
}

/// Case `id` as `user` may read it: refused for a role that sees no cases, not found
/// when there is none. Served from the instance's copy while the case is unchanged.
/// `prefetched` is the case's stamp if it was read with the credentials (for this
/// request, moments ago); otherwise it is read here.
pub async fn read(
    state: &AppState,
    user: &User,
    id: &str,
    prefetched: Option<&PrefetchedStamp>,
) -> Result<Arc<CaseRead>, Refused> {
    super::cases::may_see_cases(user)?;
    let case = match prefetched.filter(|p| p.case_id == id) {
        Some(p) => p.stamp,
        None => state.store.case_stamp(id).await?,
    }
    .ok_or_else(Refused::no_such_case)?;
    let stamp = Stamp {
        case,
        today: state.clock.today(),
        settings: state.settings(),
    };
    let sees_links = user.role.may_manage_return_links();
    if let Some(copy) = state.case_cache.get(id, sees_links, &stamp) {
        return Ok(copy);
    }
    // The stamp was read first, so what is loaded now is never older than it says.
    let record = state.store.case(id).await?.ok_or_else(Refused::no_such_case)?;
    let folded = domain::process::fold(&record.events);
    let view = CaseView::of_state(&folded, &stamp.settings.calendar, &stamp.settings.rules, stamp.today);
    let lines = super::requests::lines(state, id, user).await?;
    let messages = super::cases::messages(state, id).await?;
    let read = Arc::new(CaseRead {
        stamp,
        record,
        folded,
        view,
        lines,
        messages,
        json: OnceLock::new(),
        page: tokio::sync::OnceCell::new(),
    });
    state.case_cache.put(id, sees_links, read.clone());
    Ok(read)
}

impl CaseRead {
    /// The Case JSON for `viewer` (a reader of this copy's kind), rendered once.
    pub fn json(&self, viewer: &User) -> Result<&Json, String> {
        if let Some(json) = self.json.get() {
            return Ok(json);
        }
        let told = correspondence(
            &self.record,
            &self.folded,
            &self.messages,
            &self.stamp.settings.secure_email,
        );
        let value = case_json(&self.record, &self.view, viewer, &self.lines, told, self.stamp.today);
        let body = serde_json::to_vec(&value).map_err(|e| e.to_string())?;
        let digest = Sha256::digest(&body);
        let tag: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        let etag = HeaderValue::from_str(&format!("\"{}-{tag}\"", self.record.version()))
            .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
        let _ = self.json.set(Json {
            body: body.into(),
            etag,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        });
        self.json.get().ok_or_else(|| "the case JSON was not kept".to_owned())
    }

    /// What only the page shows, loaded on the first page view of this copy.
    pub async fn page_parts(&self, state: &AppState) -> Result<&PageParts, Refused> {
        let id = self.record.id.as_str();
        let folded = &self.folded;
        self.page
            .get_or_try_init(|| async move {
                let not_met = folded
                    .threshold
                    .as_ref()
                    .is_some_and(|t| t.value == ThresholdOutcome::NotMet);
                Ok::<_, Refused>(PageParts {
                    messages: self.messages.clone(),
                    themes: state.store.case_themes(id).await?,
                    papers: if folded.lcspr.commissioned_on.is_some() {
                        state.store.review_papers(id).await?
                    } else {
                        Vec::new()
                    },
                    challenge: if not_met {
                        state.store.messages(id, "challenge").await?
                    } else {
                        Vec::new()
                    },
                    ala: if folded.ala.proposed_on.is_some() {
                        state.store.messages(id, "ala").await?
                    } else {
                        Vec::new()
                    },
                })
            })
            .await
    }
}
