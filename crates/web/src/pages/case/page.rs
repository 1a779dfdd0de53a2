//! A case's own page: every step as a task list with its status and how its date was
//! worked out, the agency requests, the discussions, the timeline, and a link to the
//! form of each step the signed-in role may record now. Under each step of the timeline,
//! who was told of it and when.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Extension, Path, Query, State};
use axum::response::Response;
use domain::notices::{Enclosure, Notice};
use domain::process::CaseState;

use super::super::{Nav, PageError, PageUser, long_date};
use super::discussion::{Thread, threads_of};
use super::requests::{RequestView, view};
use super::steps::{StepLine, step_line};
use crate::auth::PrefetchedStamp;
use crate::page_cache::Lookup;
use crate::service::types::{CaseRecord, OutboxMessage, OutboxStatus, StoredPaper};
use crate::state::AppState;

/// One recipient of the outcome (or of the not-met decision): their letter, and
/// whether and when they were sent it.
pub struct OutcomeLine {
    pub slug: String,
    pub agency: String,
    /// "Outcome letter" or "Decision letter".
    pub letter: &'static str,
    /// Told on, and where each of their messages is (with its id), once told.
    pub told: Option<(String, Vec<String>)>,
}

/// Each outcome recipient's line, once there is a letter to send.
fn told_outcome(
    record: &CaseRecord,
    folded: &CaseState,
    messages: &[OutboxMessage],
    agency_name: &dyn Fn(&str) -> String,
) -> Vec<OutcomeLine> {
    let serious_harm = folded.path() == domain::process::Path::SeriousHarm;
    let ready = if serious_harm {
        folded.meeting_held.is_some()
    } else {
        folded.fed_back_on.is_some()
    };
    if !ready {
        return Vec::new();
    }
    let told_in: Vec<(u32, &domain::events::AgencySlug)> = record
        .events
        .iter()
        .filter_map(|e| match &e.payload {
            domain::events::EventPayload::OutcomeCommunicated(p) => {
                Some(p.recipients.iter().map(move |r| (e.version.get(), r)))
            }
            _ => None,
        })
        .flatten()
        .collect();
    folded
        .outcome_recipients()
        .into_iter()
        .map(|slug| {
            let told = folded.outcome_told.iter().find(|t| t.value == slug).map(|t| {
                let versions: Vec<u32> = told_in.iter().filter(|(_, r)| **r == slug).map(|(v, _)| *v).collect();
                let sent = messages
                    .iter()
                    .filter(|o| {
                        o.notice == Notice::Event
                            && o.agency.as_ref() == Some(&slug)
                            && o.event_version.is_some_and(|v| versions.contains(&v))
                    })
                    .map(|o| {
                        format!(
                            "{} to {}: {} (message {})",
                            o.enclosure.label(),
                            o.recipient,
                            delivery(o),
                            o.id
                        )
                    })
                    .collect();
                (long_date(t.on), sent)
            });
            OutcomeLine {
                agency: agency_name(slug.as_str()),
                slug: slug.to_string(),
                letter: if serious_harm {
                    "Outcome letter"
                } else {
                    "Decision letter"
                },
                told,
            }
        })
        .collect()
}

pub struct TimelineLine {
    pub what: String,
    pub on: String,
    pub actor: String,
    pub recorded_at: String,
    /// Who was told of it: (who, when or where the message is).
    pub told: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "case.html")]
pub struct CasePage {
    pub nav: Option<Nav>,
    pub reference: String,
    pub path: String,
    pub stage: String,
    pub state: String,
    pub route: String,
    pub aware_on: String,
    pub steps: Vec<StepLine>,
    pub timeline: Vec<TimelineLine>,
    /// Links to the forms of the steps this user may record now.
    pub actions: Vec<(String, String)>,
    pub case_id: String,
    pub csrf: String,
    pub requests: Vec<RequestView>,
    pub has_meeting: bool,
    /// The local review's papers: (download link, what it is).
    pub papers: Vec<(String, String)>,
    pub can_upload_papers: bool,
    pub paper_kinds: Vec<(&'static str, &'static str)>,
    /// Decisions that wait for the views of some of the four, in words.
    pub waiting: Vec<String>,
    /// The Rapid Review Template belongs to a case on the serious harm path.
    pub serious_harm: bool,
    /// Once the meeting is held: the covering letter to the National Panel.
    pub panel_letter: bool,
    /// Who is told the outcome (on the not-met path, the referrer the decision), each
    /// with their letter and where its email is.
    pub told_outcome: Vec<OutcomeLine>,
    pub threads: Vec<Thread>,
    /// Reminders, escalations and link messages: (what, who, when).
    pub other_messages: Vec<(String, String, String)>,
    /// The case's learning themes.
    pub themes: Vec<String>,
    /// Every theme on the list and whether the case carries it, for those who set them.
    pub theme_choices: Vec<(String, bool)>,
    pub themes_saved: bool,
    /// What the last action did, for the success banner.
    pub notice: Option<String>,
    /// The incident, children, decisions and immediate actions.
    pub substance: super::substance::Substance,
    /// The print view: no menu or forms, and the OFFICIAL-SENSITIVE marking.
    pub print: bool,
}

fn timeline(record: &CaseRecord, messages: &[OutboxMessage]) -> Vec<TimelineLine> {
    record
        .events
        .iter()
        .zip(&record.meta)
        .map(|(e, m)| TimelineLine {
            what: e.payload.kind().done_label().to_owned(),
            on: long_date(e.on),
            actor: m.actor.clone(),
            recorded_at: format!("{} UTC", domain::dates::long_with_time(m.recorded_at.naive_utc())),
            told: messages
                .iter()
                .filter(|o| o.notice == Notice::Event && o.event_version == Some(e.version.get()))
                .map(|o| {
                    let with = match o.enclosure {
                        Enclosure::LinkOnly => String::new(),
                        e => format!(", with {}", e.label().replacen("The ", "the ", 1)),
                    };
                    (format!("{} ({})", o.recipient_label, o.recipient), delivery(o) + &with)
                })
                .collect(),
        })
        .collect()
}

/// Where a message is: when it was sent, or why not yet.
fn delivery(o: &OutboxMessage) -> String {
    match (o.status, o.sent_at) {
        // The demo's seeded history is marked as told, never emailed.
        (OutboxStatus::Sent, _) if o.reply.as_deref().is_some_and(|r| r.starts_with("not sent")) => {
            "not emailed: the demo's seeded history".to_owned()
        }
        (OutboxStatus::Sent, Some(at)) => format!("emailed {} UTC", domain::dates::long_with_time(at.naive_utc())),
        (OutboxStatus::Digested, _) => "in their daily digest".to_owned(),
        (OutboxStatus::Held, _) => "waiting for their daily digest".to_owned(),
        (OutboxStatus::Failed, _) => "not sent: the email failed".to_owned(),
        _ => "waiting to be emailed".to_owned(),
    }
}

/// The case's reminders, escalations and link messages, oldest first.
fn other_messages(messages: &[OutboxMessage]) -> Vec<(String, String, String)> {
    messages
        .iter()
        .filter(|o| o.notice != Notice::Event)
        .map(|o| {
            let what = match o.clock_label() {
                Some(clock) => format!("{}: {clock}", o.notice.label()),
                None => o.notice.label().to_owned(),
            };
            (what, format!("{} ({})", o.recipient_label, o.recipient), delivery(o))
        })
        .collect()
}

/// The forms the signed-in role may fill in now: steps the process has open, that the
/// role records, and that have a form.
fn actions(record: &CaseRecord, folded: &CaseState, page_user: &PageUser) -> Vec<(String, String)> {
    folded
        .open_steps()
        .into_iter()
        .filter(|k| page_user.user.role.may_record(*k) && super::super::forms::spec::offered_as_form(*k))
        .map(|k| {
            (
                format!("/cases/{}/record/{}", record.id, k.as_str()),
                k.label().to_owned(),
            )
        })
        .collect()
}

/// The local review's papers as (download link, what it is); none are asked for before
/// the review is commissioned, since none can be uploaded before.
fn papers(case_id: &str, stored: &[StoredPaper]) -> Vec<(String, String)> {
    stored
        .iter()
        .map(|p| {
            (
                format!("/api/v1/cases/{case_id}/lcspr/papers/{}", p.id),
                format!(
                    "{}: {} ({} KB), uploaded by {} on {}",
                    p.kind.label(),
                    p.file_name,
                    (p.size + 1023) / 1024,
                    p.uploaded_by,
                    long_date(p.uploaded_at.date_naive())
                ),
            )
        })
        .collect()
}

/// The decisions waiting for views, naming whose: the challenge's resolution and the
/// ALA decision each need all four on the record first.
fn waiting(folded: &CaseState) -> Vec<String> {
    let names =
        |missing: Vec<domain::events::AlaDecider>| missing.iter().map(|d| d.label()).collect::<Vec<_>>().join(", ");
    let mut out = Vec::new();
    let challenge = folded.challenge.views.missing();
    if folded.challenge_open() && !challenge.is_empty() {
        out.push(format!(
            "The challenge can be resolved once each partner and the Partnership Manager has recorded a position. Still to record one: {}.",
            names(challenge)
        ));
    }
    let ala = folded.ala.views.missing();
    if folded.ala.proposed_on.is_some() && folded.ala.decided.is_none() && !ala.is_empty() {
        out.push(format!(
            "The Alternative Learning Activity can be decided once each partner and the Partnership Manager has given a view. Still to give one: {}.",
            names(ala)
        ));
    }
    out
}

/// What the banner says after an action that came back to the case page: a step
/// recorded (`done=<event type>`) or a return link action (`done=reissue` ...).
fn done_notice(done: &str) -> Option<String> {
    use crate::service::requests::LinkAction;
    if let Some(kind) = domain::events::EventKind::parse(done) {
        return Some(format!("{}. It is on the case's timeline below.", kind.done_label()));
    }
    if done == "paper" {
        return Some("The paper is uploaded. It is listed with the local review's papers below.".to_owned());
    }
    if done == "discussion" {
        return Some("Your message is added to the discussion. Everyone on it can read it.".to_owned());
    }
    Some(
        match LinkAction::parse(done)? {
            LinkAction::Reissue => {
                "A new return link is issued, and the agency is sent it. The old link no longer works."
            }
            LinkAction::Revoke => "The return link is withdrawn. It no longer opens the return.",
            LinkAction::ProceedWithout => "The review goes ahead without this return. It is no longer chased.",
        }
        .to_owned(),
    )
}

/// `GET /cases/{id}`
pub async fn show(
    State(state): State<AppState>,
    page_user: PageUser,
    Path(id): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    prefetched: Option<Extension<PrefetchedStamp>>,
) -> Result<Response, PageError> {
    super::may_see_cases(&page_user)?;
    // The case as of its stamp, folded once per change and shared with the JSON.
    let prefetched = prefetched.as_ref().map(|Extension(p)| p);
    let read = crate::service::case_read::read(&state, &page_user.user, &id, prefetched)
        .await
        .map_err(|r| super::refused(&page_user, r))?;
    // A plain view (no banner, not the print view) is kept rendered for this user.
    let (user, stamp, csrf) = (&page_user.user, &read.stamp, &page_user.csrf);
    let token = match state.page_cache.lookup(q.is_empty(), &id, user, stamp, csrf) {
        Lookup::Kept(page) => return Ok(super::super::render::html(page)),
        Lookup::Render(token) => token,
    };
    let parts = read.page_parts(&state).await?;
    let (record, folded, view_of_case, lines) = (&read.record, &read.folded, &read.view, &read.lines);
    let today = read.stamp.today;
    let settings = read.stamp.settings.clone();
    let agency_name = |slug: &str| crate::service::agencies::name_of(&settings.agencies, slug);
    let manages = page_user.user.role.may_manage_return_links();
    let messages = &parts.messages;
    let themes = parts.themes.clone();
    let theme_choices = if page_user.user.role.may_set_case_themes() {
        settings
            .themes
            .iter()
            .map(|t| (t.clone(), themes.contains(t)))
            .collect()
    } else {
        Vec::new()
    };
    let print = q.contains_key("print");
    let page = super::super::render::bytes(&CasePage {
        nav: (!print).then(|| Nav {
            csrf: token.to_owned(),
            ..Nav::from(&page_user)
        }),
        substance: super::substance::substance(&record.events, today, &agency_name),
        print,
        reference: record.reference.clone(),
        path: view_of_case.path.label().to_owned(),
        stage: view_of_case.stage.label().to_owned(),
        state: view_of_case.state.label().to_owned(),
        route: view_of_case.route.map(|r| r.label().to_owned()).unwrap_or_default(),
        aware_on: view_of_case.aware_on.map(long_date).unwrap_or_default(),
        steps: view_of_case
            .deadlines
            .iter()
            .map(|d| step_line(d, agency_name))
            .collect(),
        timeline: timeline(record, messages),
        other_messages: other_messages(messages),
        themes,
        theme_choices,
        themes_saved: q.contains_key("themes"),
        notice: q.get("done").and_then(|d| done_notice(d)),
        case_id: record.id.clone(),
        csrf: token.to_owned(),
        requests: lines.iter().map(|l| view(l, record, today, manages)).collect(),
        has_meeting: folded.meeting.is_some(),
        serious_harm: folded.path() == domain::process::Path::SeriousHarm,
        panel_letter: folded.meeting_held.is_some() && !folded.outcome_recipients().is_empty(),
        told_outcome: told_outcome(record, folded, messages, &agency_name),
        papers: papers(&record.id, &parts.papers),
        can_upload_papers: folded.lcspr.commissioned_on.is_some() && manages,
        paper_kinds: domain::events::ReviewPaper::choices(),
        threads: threads_of(folded, &page_user.user, &parts.challenge, &parts.ala),
        actions: actions(record, folded, &page_user),
        waiting: waiting(folded),
    })?;
    Ok(super::super::render::html(
        state.page_cache.finish(token, &id, user, stamp, page, csrf),
    ))
}
