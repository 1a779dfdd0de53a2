//! The case list (search by reference, filter by state) and the case page: every step
//! in order with its status, due and done dates and how each date was worked out, and
//! the timeline of who did what, when.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::calendar::SkipReason;
use domain::case::{CaseView, OpenOrClosed};
use domain::deadlines::{Deadline, DeadlineStatus};
use store::CaseFilter;

use super::{MessagePage, Nav, PageUser, words};
use crate::error::ApiError;
use crate::pages::PageError;
use crate::state::AppState;

pub struct CaseLine {
    pub id: String,
    pub reference: String,
    pub stage: String,
    pub next: String,
    pub overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "case_list.html")]
pub struct CaseListPage {
    pub nav: Option<Nav>,
    pub can_open: bool,
    pub q: String,
    pub state: String,
    pub cases: Vec<CaseLine>,
}

fn refuse(page_user: &PageUser) -> Response {
    PageError::forbidden(
        Some(Nav::from(page_user)),
        "You cannot see cases",
        format!(
            "The {} role does not give access to case details.",
            words(page_user.user.role.as_str())
        ),
    )
    .into_response()
}

pub async fn list(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    if !page_user.user.role.is_case_role() {
        return Ok(refuse(&page_user));
    }
    let shown = query.get("state").map(String::as_str).unwrap_or("open").to_owned();
    let q = query.get("q").cloned().unwrap_or_default();
    let filter = CaseFilter {
        state: match shown.as_str() {
            "closed" => Some(OpenOrClosed::Closed),
            "all" => None,
            _ => Some(OpenOrClosed::Open),
        },
        overdue: shown == "overdue",
        reference: (!q.trim().is_empty()).then(|| q.clone()),
        limit: 200,
        ..CaseFilter::default()
    };
    let cases = state
        .store
        .list_cases(&filter, state.clock.today())
        .await?
        .into_iter()
        .map(|c| CaseLine {
            next: c.next_deadline.as_ref().map_or_else(String::new, |d| {
                format!("{} by {}", words(&d.step), d.due.format("%-d %B %Y"))
            }),
            id: c.id,
            reference: c.reference,
            stage: words(&c.stage),
            overdue: c.overdue,
        })
        .collect();
    let can_open = page_user
        .user
        .role
        .may_record(domain::events::EventKind::IncidentReported);
    Ok(CaseListPage {
        nav: Some(Nav::from(&page_user)),
        can_open,
        q,
        state: shown,
        cases,
    }
    .into_response())
}

pub struct StepLine {
    pub title: String,
    pub dates: String,
    pub tag: String,
    pub tag_class: &'static str,
    pub explanation: Option<String>,
    pub skipped: Vec<String>,
}

pub struct TimelineLine {
    pub what: String,
    pub on: String,
    pub actor: String,
    pub recorded_at: String,
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
    pub requests: Vec<RequestLine>,
    pub has_meeting: bool,
    pub threads: Vec<Thread>,
}

/// A discussion on the case page.
pub struct Thread {
    pub topic: &'static str,
    pub title: &'static str,
    pub note: String,
    pub messages: Vec<(String, String, String, String)>,
    pub can_post: bool,
    pub positions: bool,
    pub prompt: &'static str,
    pub button: &'static str,
}

/// Who a message is from, as the partners know them.
fn speaker(m: &store::Message) -> String {
    match &m.partner {
        Some(p) => format!("{} ({} representative)", m.author, words(p)),
        None => format!("{} ({})", m.author, words(&m.role)),
    }
}

/// The threshold challenge thread and the ALA views, when the case has reached them.
async fn threads(
    state: &AppState,
    case_id: &str,
    folded: &domain::process::CaseState,
    user: &store::User,
) -> Result<Vec<Thread>, ApiError> {
    use domain::roles::Role;
    let discusses = matches!(user.role, Role::PartnerRep | Role::PartnershipManager) && !folded.is_closed();
    let mut out = Vec::new();
    let not_met = folded
        .threshold
        .as_ref()
        .is_some_and(|t| t.value == domain::events::ThresholdOutcome::NotMet);
    let line = |m: &store::Message| {
        let position = match m.position.as_deref() {
            Some("undertake") => "Undertake".to_owned(),
            Some("no_action") => "No action".to_owned(),
            _ => String::new(),
        };
        (
            speaker(m),
            m.at.format("%-d %B %Y %H:%M").to_string(),
            position,
            m.body.clone(),
        )
    };
    if not_met {
        let messages = state.store.messages(case_id, "challenge").await?;
        out.push(Thread {
            topic: "challenge",
            title: "Discussion of the threshold decision",
            note: "The three partner representatives and the Partnership Manager discuss the decision here before any challenge is resolved.".into(),
            messages: messages.iter().map(line).collect(),
            can_post: discusses && folded.challenge.resolved.is_none(),
            positions: false,
            prompt: "Add to the discussion",
            button: "Post",
        });
    }
    if folded.ala.proposed_on.is_some() {
        let messages = state.store.messages(case_id, "ala").await?;
        let given: Vec<String> = messages
            .iter()
            .map(|m| m.partner.clone().unwrap_or_else(|| m.role.clone()))
            .collect();
        let missing: Vec<String> = ["local_authority", "health", "police", "partnership_manager"]
            .iter()
            .filter(|k| !given.iter().any(|g| g == *k))
            .map(|k| words(k))
            .collect();
        out.push(Thread {
            topic: "ala",
            title: "Views on the proposed Alternative Learning Activity",
            note: if missing.is_empty() {
                "All four have given a view.".into()
            } else {
                format!("Still to give a view: {}.", missing.join(", "))
            },
            messages: messages.iter().map(line).collect(),
            can_post: discusses && folded.ala.decided.is_none(),
            positions: true,
            prompt: "Why",
            button: "Record your view",
        });
    }
    Ok(out)
}

/// Posts a message to a case's discussion.
pub async fn discuss(
    State(state): State<AppState>,
    page_user: PageUser,
    Path((id, topic)): Path<(String, String)>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    use domain::roles::Role;
    let nav = Nav::from(&page_user);
    let refuse_with = |status, title: &str, message: &str| {
        (
            status,
            MessagePage {
                nav: Some(nav.clone()),
                title: title.into(),
                message: message.into(),
            },
        )
            .into_response()
    };
    if form.get("csrf").map(String::as_str) != Some(page_user.csrf.as_str()) {
        return Ok(refuse_with(
            axum::http::StatusCode::FORBIDDEN,
            "The form has expired",
            "Go back, reload the page and try again.",
        ));
    }
    if !matches!(page_user.user.role, Role::PartnerRep | Role::PartnershipManager) {
        return Ok(refuse_with(
            axum::http::StatusCode::FORBIDDEN,
            "You cannot join this discussion",
            "Only the partner representatives and the Partnership Manager discuss here.",
        ));
    }
    let Some(record) = state.store.case(&id).await? else {
        return Ok(refuse_with(
            axum::http::StatusCode::NOT_FOUND,
            "Case not found",
            "There is no case at this address.",
        ));
    };
    let folded = domain::process::fold(&record.events);
    let open = threads(&state, &id, &folded, &page_user.user)
        .await?
        .into_iter()
        .find(|t| t.topic == topic)
        .filter(|t| t.can_post);
    let Some(thread) = open else {
        return Ok(refuse_with(
            axum::http::StatusCode::CONFLICT,
            "This discussion is closed",
            "The decision it was about has been made.",
        ));
    };
    let position = form
        .get("position")
        .map(String::as_str)
        .filter(|p| matches!(*p, "undertake" | "no_action"));
    let text = domain::events::Text::try_from(form.get("message").cloned().unwrap_or_default());
    let not_posted = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    if thread.positions && position.is_none() {
        return Ok(refuse_with(
            not_posted,
            "Your view was not recorded",
            "Choose whether to undertake the activity or take no action, then record your view.",
        ));
    }
    let Ok(text) = text else {
        return Ok(refuse_with(
            not_posted,
            "Your message was not posted",
            "Write your message, then post it.",
        ));
    };
    let entry = store::AuditEntry {
        at: state.clock.now(),
        actor: Some(page_user.user.email.clone()),
        action: "POST /cases/{id}/discuss/{topic}".into(),
        subject: None,
        case_id: Some(id.clone()),
        outcome: "303".into(),
    };
    state
        .store
        .add_message(&id, thread.topic, &page_user.user, position, &text, &entry)
        .await?;
    let mut response = axum::response::Redirect::to(&format!("/cases/{id}#{}", thread.topic)).into_response();
    response.extensions_mut().insert(crate::audit::AuditedInTransaction);
    Ok(response)
}

/// One agency request on the case page: its status and, for the Business Unit, its
/// link and what can be done about it.
pub struct RequestLine {
    pub slug: String,
    pub agency: String,
    pub status: String,
    pub tag_class: &'static str,
    pub due: String,
    pub entries: i64,
    pub proceed_without: bool,
    pub link: Option<String>,
    pub manage: bool,
    pub actions: Vec<(&'static str, &'static str)>,
}

fn long(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn step_line(d: &Deadline) -> StepLine {
    let title = match &d.agency {
        Some(agency) => format!("{} from {agency}", d.step.title()),
        None => d.step.title().to_owned(),
    };
    let (tag, tag_class) = match (d.status, d.working_days_left) {
        (DeadlineStatus::Done, _) if d.late == Some(true) => ("Done late".to_owned(), "govuk-tag--orange"),
        (DeadlineStatus::Done, _) => ("Done".to_owned(), "govuk-tag--green"),
        (DeadlineStatus::Overdue, _) => ("Overdue".to_owned(), "govuk-tag--red"),
        (DeadlineStatus::Due, Some(n)) if n <= 2 => ("Due soon".to_owned(), "govuk-tag--yellow"),
        (DeadlineStatus::Due, _) => ("Due".to_owned(), "govuk-tag--blue"),
        (DeadlineStatus::Pending, _) => ("Not started".to_owned(), "govuk-tag--grey"),
        (DeadlineStatus::NotApplicable, _) => ("Does not apply".to_owned(), "govuk-tag--grey"),
    };
    let mut dates = Vec::new();
    if let Some(start) = d.window_start {
        dates.push(format!("Target window from {}", long(start)));
    }
    if let Some(due) = d.due {
        dates.push(format!("Due {}", long(due)));
    }
    if let Some(done) = d.done_on {
        dates.push(format!("done {}", long(done)));
    }
    if let Some(left) = d.working_days_left {
        dates.push(format!("{left} working days left"));
    }
    let explanation = d.explanation.as_ref().map(|e| {
        let mut text = match e.calendar_months {
            Some(m) => format!(
                "{m} calendar months after {} ({}).",
                words(e.anchor),
                long(e.anchor_date)
            ),
            None if e.working_days < 0 => format!(
                "{} working days before {} ({}).",
                -e.working_days,
                words(e.anchor),
                long(e.anchor_date)
            ),
            None => format!(
                "{} working days after {} ({}), which counts as day 0.",
                e.working_days,
                words(e.anchor),
                long(e.anchor_date)
            ),
        };
        if let Some(x) = &e.extended_by {
            text.push_str(&format!(
                " Extended from {} to {} on {}: {}",
                long(x.from),
                long(x.to),
                long(x.on),
                x.reason
            ));
        }
        text
    });
    let skipped = d
        .explanation
        .iter()
        .flat_map(|e| e.skipped.iter())
        .map(|s| match s.reason {
            SkipReason::Saturday | SkipReason::Sunday => s.date.format("%A %-d %B %Y").to_string(),
            SkipReason::Holiday(ref name) => format!("{} ({name})", s.date.format("%A %-d %B %Y")),
        })
        .collect();
    StepLine {
        title,
        dates: dates.join(", "),
        tag,
        tag_class,
        explanation,
        skipped,
    }
}

pub async fn show(
    State(state): State<AppState>,
    page_user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    if !page_user.user.role.is_case_role() {
        return Ok(refuse(&page_user));
    }
    let Some(record) = state.store.case(&id).await? else {
        let page = MessagePage {
            nav: Some(Nav::from(&page_user)),
            title: "Case not found".into(),
            message: "There is no case at this address.".into(),
        };
        return Ok((axum::http::StatusCode::NOT_FOUND, page).into_response());
    };
    let settings = state.settings();
    let today = state.clock.today();
    // Fold once: the view, the threads and the offered forms all read this state.
    let folded = domain::process::fold(&record.events);
    let view = CaseView::of_state(&folded, &settings.calendar, &settings.rules, today);
    let manage = matches!(
        page_user.user.role,
        domain::roles::Role::BusinessUnit | domain::roles::Role::PartnershipManager
    );
    let requests = crate::api::cases::request_lines(&state, &record.id, &page_user.user)
        .await?
        .into_iter()
        .map(|line| {
            let r = &line.request;
            let status = r.state().status(today);
            let (label, tag_class) = match status {
                domain::returns::ReturnStatus::Submitted => ("Submitted", "govuk-tag--green"),
                domain::returns::ReturnStatus::Overdue => ("Overdue", "govuk-tag--red"),
                domain::returns::ReturnStatus::Draft => ("Draft", "govuk-tag--blue"),
                domain::returns::ReturnStatus::Opened => ("Opened", "govuk-tag--light-blue"),
                domain::returns::ReturnStatus::Requested => ("Requested", "govuk-tag--grey"),
            };
            let open = r.submitted_on.is_none();
            let mut actions = Vec::new();
            if manage && open {
                actions.push(("reissue", "Reissue link"));
                if !r.revoked {
                    actions.push(("revoke", "Withdraw link"));
                }
                if !r.proceed_without {
                    actions.push(("proceed-without", "Go ahead without it"));
                }
            }
            RequestLine {
                slug: r.agency.to_string(),
                agency: r.agency_name.clone(),
                status: label.to_owned(),
                tag_class,
                due: long(r.due),
                entries: r.entries,
                proceed_without: r.proceed_without,
                link: line.link.clone().filter(|_| open && !r.revoked),
                manage: !actions.is_empty(),
                actions,
            }
        })
        .collect();
    let key = |v: &dyn erased::Key| v.key();
    let timeline = record
        .events
        .iter()
        .zip(&record.meta)
        .map(|(e, m)| TimelineLine {
            what: words(e.payload.kind().as_str()),
            on: long(e.on),
            actor: m.actor.clone(),
            recorded_at: m.recorded_at.format("%-d %B %Y %H:%M UTC").to_string(),
        })
        .collect();
    Ok(CasePage {
        nav: Some(Nav::from(&page_user)),
        reference: record.reference.clone(),
        path: words(&key(&view.path)),
        stage: words(view.stage.as_str()),
        state: words(&key(&view.state)),
        route: view.route.map(|r| words(&key(&r))).unwrap_or_default(),
        aware_on: view.aware_on.map(long).unwrap_or_default(),
        steps: view.deadlines.iter().map(step_line).collect(),
        timeline,
        case_id: record.id.clone(),
        csrf: page_user.csrf.clone(),
        requests,
        has_meeting: folded.meeting.is_some(),
        threads: threads(&state, &record.id, &folded, &page_user.user).await?,
        actions: super::forms::offer::offered(&folded, page_user.user.role, today)
            .into_iter()
            .map(|k| (format!("/cases/{}/record/{}", record.id, k.as_str()), words(k.as_str())))
            .collect(),
    }
    .into_response())
}

/// The snake_case key serde gives a unit enum.
mod erased {
    pub trait Key {
        fn key(&self) -> String;
    }

    impl<T: serde::Serialize> Key for T {
        fn key(&self) -> String {
            match serde_json::to_value(self) {
                Ok(serde_json::Value::String(s)) => s,
                _ => String::new(),
            }
        }
    }
}

/// The Business Unit's buttons on a request: reissue or withdraw the link, or go ahead
/// without the return.
pub async fn manage_request(
    State(state): State<AppState>,
    page_user: PageUser,
    Path((id, agency, action)): Path<(String, String, String)>,
    axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    let nav = Nav::from(&page_user);
    if form.get("csrf").map(String::as_str) != Some(page_user.csrf.as_str()) {
        return Ok((
            axum::http::StatusCode::FORBIDDEN,
            MessagePage {
                nav: Some(nav),
                title: "The form has expired".into(),
                message: "Go back, reload the page and try again.".into(),
            },
        )
            .into_response());
    }
    if !matches!(
        page_user.user.role,
        domain::roles::Role::BusinessUnit | domain::roles::Role::PartnershipManager
    ) {
        return Ok((
            axum::http::StatusCode::FORBIDDEN,
            MessagePage {
                nav: Some(nav),
                title: "You cannot manage return links".into(),
                message: "Only the Business Unit or the Partnership Manager manages return links.".into(),
            },
        )
            .into_response());
    }
    let Some(request) = state
        .store
        .requests_for_case(&id)
        .await?
        .into_iter()
        .find(|r| r.agency.as_str() == agency)
    else {
        return Ok((
            axum::http::StatusCode::NOT_FOUND,
            MessagePage {
                nav: Some(nav),
                title: "Request not found".into(),
                message: "There is no such request on this case.".into(),
            },
        )
            .into_response());
    };
    let entry = store::AuditEntry {
        at: state.clock.now(),
        actor: Some(page_user.user.email.clone()),
        action: format!("POST /cases/{{id}}/requests/{{agency}}/{action}"),
        subject: None,
        case_id: Some(id.clone()),
        outcome: "303".into(),
    };
    match action.as_str() {
        "reissue" if request.submitted_on.is_none() => {
            let expires = state
                .settings()
                .calendar
                .add_working_days(state.clock.today(), domain::returns::LINK_EXPIRY_WORKING_DAYS);
            state.store.reissue_link(&request, expires, &entry).await?;
        }
        "revoke" if request.submitted_on.is_none() => state.store.revoke_link(&request, &entry).await?,
        "proceed-without" if request.submitted_on.is_none() => state.store.proceed_without(&request, &entry).await?,
        _ => {
            return Ok((
                axum::http::StatusCode::CONFLICT,
                MessagePage {
                    nav: Some(nav),
                    title: "Not possible now".into(),
                    message: "This return was submitted or the action is unknown.".into(),
                },
            )
                .into_response());
        }
    }
    let mut response = axum::response::Redirect::to(&format!("/cases/{id}")).into_response();
    response.extensions_mut().insert(crate::audit::AuditedInTransaction);
    Ok(response)
}

#[derive(Template, WebTemplate)]
#[template(path = "chronology.html")]
pub struct ChronologyPage {
    pub nav: Option<Nav>,
    pub case_id: String,
    pub reference: String,
    pub agencies: Vec<(String, bool)>,
    pub from: String,
    pub to: String,
    pub query: String,
    pub filtered: bool,
    pub entries: Vec<(String, [String; 6])>,
    pub pager: super::pager::Pager,
}

/// How many merged chronology entries a page shows.
const CHRONOLOGY_PER_PAGE: i64 = 200;

/// The merged multi-agency chronology, filtered by agency and dates, a page at a time.
pub async fn chronology(
    State(state): State<AppState>,
    page_user: PageUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    if !page_user.user.role.is_case_role() {
        return Ok(refuse(&page_user));
    }
    let Some(record) = state.store.case(&id).await? else {
        let page = MessagePage {
            nav: Some(Nav::from(&page_user)),
            title: "Case not found".into(),
            message: "There is no case at this address.".into(),
        };
        return Ok((axum::http::StatusCode::NOT_FOUND, page).into_response());
    };
    let get = |k: &str| query.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let (agency, from, to) = (get("agency"), get("from"), get("to"));
    let from_date: Option<chrono::NaiveDate> = from.parse().ok();
    let to_date: Option<chrono::NaiveDate> = to.parse().ok();
    let all = state.store.merged_chronology(&id).await?;
    let mut agencies: Vec<String> = all.iter().map(|(a, _)| a.to_string()).collect();
    agencies.sort();
    agencies.dedup();
    let matching: Vec<_> = all
        .into_iter()
        .filter(|(a, e)| {
            (agency.is_empty() || a.as_str() == agency)
                && from_date.is_none_or(|f| e.date >= f)
                && to_date.is_none_or(|t| e.date <= t)
        })
        .collect();
    // Only values that were understood go into the export links.
    let mut qs = String::new();
    if agencies.contains(&agency) {
        qs.push_str(&format!("&agency={agency}"));
    }
    for (k, v) in [("from", from_date), ("to", to_date)] {
        if let Some(d) = v {
            qs.push_str(&format!("&{k}={d}"));
        }
    }
    // Page links keep the filters: `?agency=…&from=…&page=N`.
    let mut base = format!("/cases/{}/chronology?{}", record.id, qs.trim_start_matches('&'));
    if !qs.is_empty() {
        base.push('&');
    }
    let total = i64::try_from(matching.len()).unwrap_or(i64::MAX);
    let pager = super::pager::Pager::new(total, CHRONOLOGY_PER_PAGE, query.get("page").map(String::as_str), &base);
    let entries = matching
        .into_iter()
        .skip(usize::try_from(pager.offset()).unwrap_or(0))
        .take(usize::try_from(pager.size).unwrap_or(0))
        .map(|(a, e)| (a.to_string(), e.cells()))
        .collect();
    Ok(ChronologyPage {
        pager,
        nav: Some(Nav::from(&page_user)),
        case_id: record.id.clone(),
        reference: record.reference.clone(),
        agencies: agencies
            .into_iter()
            .map(|a| {
                let selected = a == agency;
                (a, selected)
            })
            .collect(),
        filtered: !agency.is_empty() || from_date.is_some() || to_date.is_some(),
        from,
        to,
        query: qs,
        entries,
    }
    .into_response())
}
