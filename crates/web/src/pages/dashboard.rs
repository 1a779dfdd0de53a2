//! The dashboard, by case and for each role, read from the case snapshots (no fold):
//! for those who work the cases, the Rapid Reviews due to the Panel in the next 5
//! working days, their own tasks (open cases whose next step their role records), and
//! every open case 50 to a page with its stage, its next action and who takes it, its
//! Panel submission date and its worst tag; for viewers, the figures and where to read
//! more; for an agency contact, its agency's requests; for administrators, their pages.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use domain::calendar::Calendar;
use domain::deadlines::StepKey;
use domain::process::Stage;
use domain::returns::ReturnStatus;
use domain::roles::Role;

use super::case::steps::working_days;
use super::pager::Pager;
use super::{Nav, PageError, PageUser, long_date};
use crate::page_cache::Lookup;
use crate::service::types::{Dashboard, DashboardQuery, DashboardRow};
use crate::state::{AppState, Settings};

/// Open cases on one page of the dashboard.
const PAGE: i64 = 50;
/// How far ahead "due to the Panel" looks.
const PANEL_AHEAD: i32 = 5;
/// A clock with this many working days left or fewer is due soon.
const SOON: i32 = 2;
/// The most cases listed as due to the Panel, and as tasks.
const SHOWN: i64 = 20;

/// A GOV.UK tag: its words and its colour class.
pub struct Tag {
    pub text: &'static str,
    pub class: &'static str,
}

pub struct CaseLine {
    pub case_id: String,
    pub reference: String,
    pub stage: String,
    pub next_action: String,
    pub who: String,
    pub next_due: String,
    pub submission: String,
    pub tag: Tag,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub nav: Option<Nav>,
    pub today: String,
    /// Whether the user works the cases (and may open them).
    pub works_cases: bool,
    pub due_to_panel: Vec<CaseLine>,
    /// How many are due to the Panel in all (the list shows the most urgent).
    pub due_in_all: i64,
    pub tasks: Vec<CaseLine>,
    /// Cases with an action not done yet: (case id, reference, earliest due, tag).
    pub actions: Vec<(String, String, String, Tag)>,
    pub cases: Vec<CaseLine>,
    pub pager: Pager,
    /// (what, how many) for viewers.
    pub figures: Vec<(String, String)>,
    pub reports: bool,
    /// For an agency contact: its agency's requests (link, case, due, status tag).
    pub requests: Vec<(String, String, String, Tag)>,
    pub administrator: bool,
    /// For the Partnership Manager: accounts that can see cases, waiting to be checked.
    pub account_reviews: Vec<super::account_reviews::ReviewLine>,
}

/// The worst tag of a case whose soonest running clock is due on `due`.
fn tag(calendar: &Calendar, today: NaiveDate, due: Option<NaiveDate>) -> Tag {
    match due.map(|d| calendar.working_days_between(today, d)) {
        Some(left) if left < 0 => Tag {
            text: "Overdue",
            class: "govuk-tag--red",
        },
        Some(left) if left <= SOON => Tag {
            text: "Due soon",
            class: "govuk-tag--yellow",
        },
        _ => Tag {
            text: "On track",
            class: "govuk-tag--green",
        },
    }
}

/// "30 December 2026 (3 working days left)", "… (overdue by 1 working day)".
fn when(calendar: &Calendar, today: NaiveDate, due: Option<NaiveDate>) -> String {
    let Some(due) = due else {
        return String::new();
    };
    let left = calendar.working_days_between(today, due);
    let words = match left {
        0 => "due today".to_owned(),
        n if n < 0 => format!("overdue by {}", working_days(i64::from(-n))),
        n => format!("{} left", working_days(i64::from(n))),
    };
    format!("{} ({words})", long_date(due))
}

struct Lines<'a> {
    calendar: &'a Calendar,
    today: NaiveDate,
    agencies: HashMap<String, String>,
}

impl Lines<'_> {
    fn line(&self, r: DashboardRow) -> CaseLine {
        let step = r.next_step.as_deref().and_then(StepKey::parse);
        let name = |slug: &str| self.agencies.get(slug).cloned().unwrap_or_else(|| slug.to_owned());
        let who = step.map_or_else(String::new, |step| {
            super::case::steps::who_acts(step, r.next_agency.as_deref(), name)
        });
        CaseLine {
            stage: Stage::parse(&r.stage).map_or(r.stage.clone(), |s| s.label().to_owned()),
            next_action: step.map_or("Nothing is due".to_owned(), |s| s.label().to_owned()),
            who,
            next_due: when(self.calendar, self.today, r.next_due),
            submission: when(self.calendar, self.today, r.submission_due),
            tag: tag(self.calendar, self.today, r.next_due),
            case_id: r.id,
            reference: r.reference,
        }
    }
}

/// An agency contact's own agency's requests.
async fn agency_requests(
    state: &AppState,
    page_user: &PageUser,
) -> Result<Vec<(String, String, String, Tag)>, PageError> {
    let (Role::AgencyContact, Some(agency)) = (page_user.user.role, &page_user.user.agency) else {
        return Ok(Vec::new());
    };
    let today = state.clock.today();
    let calendar = &state.settings().calendar;
    Ok(crate::service::returns::requests_for_agency(state, agency)
        .await?
        .into_iter()
        .filter(|r| !r.revoked)
        .map(|r| {
            let status = r.state().status(today);
            let tag = match status {
                ReturnStatus::Submitted => Tag {
                    text: "Submitted",
                    class: "govuk-tag--green",
                },
                _ => tag(calendar, today, Some(r.due)),
            };
            (
                format!("/returns/{}", crate::service::returns::return_token(state, &r)),
                format!("Case {}", r.case_reference),
                format!("{} ({})", when(calendar, today, Some(r.due)), status.label()),
                tag,
            )
        })
        .collect())
}

/// `GET /`
pub async fn dashboard(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<axum::response::Response, PageError> {
    let today = state.clock.today();
    let settings = state.settings();
    let role = page_user.user.role;
    let works_cases = role.may_see_cases();
    let requested = query.get("page").map(String::as_str);
    let ask = |offset: i64| question(role, today, &settings.calendar, offset);
    // The page asked for, unless there are fewer pages: then the last one.
    let wanted = Pager::new(i64::MAX / 2, PAGE, requested, "/?").offset();
    let mut answers = crate::service::dashboard::dashboard(&state, &ask(wanted)).await?;
    let pager = Pager::new(answers.counts.open, PAGE, requested, "/?");
    if pager.offset() != wanted {
        answers = crate::service::dashboard::dashboard(&state, &ask(pager.offset())).await?;
    }
    // Kept rendered per user while the answers, the date and the rules stand (an agency
    // contact's page also lists their agency's requests, read apart: never kept).
    let stamp = crate::page_cache::DashboardStamp {
        answers: answers.clone(),
        today,
        settings: settings.clone(),
    };
    let what = format!("/?page={}", pager.offset());
    let (user, csrf) = (&page_user.user, &page_user.csrf);
    // Waiting account changes are read apart: a page that shows them is never kept.
    let account_reviews = super::account_reviews::waiting(&state, &page_user.user).await?;
    let keep = role != Role::AgencyContact && account_reviews.is_empty();
    let token = match state.dashboard_pages.lookup(keep, &what, user, &stamp, csrf) {
        Lookup::Kept(page) => return Ok(super::render::html(page)),
        Lookup::Render(token) => token,
    };
    let counts = answers.counts;
    let mut page = DashboardPage {
        nav: Some(Nav {
            csrf: token.to_owned(),
            ..Nav::from(&page_user)
        }),
        today: long_date(today),
        works_cases,
        due_to_panel: Vec::new(),
        due_in_all: answers.due_in_all,
        tasks: Vec::new(),
        actions: Vec::new(),
        cases: Vec::new(),
        pager,
        figures: Vec::new(),
        reports: role.may_see_reports(),
        requests: agency_requests(&state, &page_user).await?,
        administrator: role.may_administer(),
        account_reviews,
    };
    if page.works_cases {
        case_lists(&mut page, &answers, &settings, today);
    } else if page.reports {
        page.figures = figures(counts.open, counts.overdue, answers.due_in_all);
    }
    let html = super::render::bytes(&page)?;
    Ok(super::render::html(
        state.dashboard_pages.finish(token, &what, user, &stamp, html, csrf),
    ))
}

/// What the dashboard asks the store for `role` on `today`, from `offset`: the Panel
/// submissions due soon (overdue ones first, so the window starts in the past), the
/// tasks of the steps the role records, and the lists for roles that work cases.
fn question(role: Role, today: NaiveDate, calendar: &Calendar, offset: i64) -> DashboardQuery {
    let since = NaiveDate::from_ymd_opt(1995, 1, 1).unwrap_or(today);
    DashboardQuery {
        today,
        panel_from: since,
        panel_to: calendar.add_working_days(today, PANEL_AHEAD),
        task_steps: StepKey::ALL
            .iter()
            .filter(|s| role.may_record(s.completed_by()))
            .map(|s| s.as_str().to_owned())
            .collect(),
        lists: role.may_see_cases(),
        shown: SHOWN,
        page_size: PAGE,
        offset,
    }
}

/// The lists of someone who works cases: due to the Panel, their tasks, the open
/// actions and the page of open cases.
fn case_lists(page: &mut DashboardPage, answers: &Dashboard, settings: &Settings, today: NaiveDate) {
    let lines = Lines {
        calendar: &settings.calendar,
        today,
        agencies: settings.agencies.iter().cloned().collect(),
    };
    page.due_to_panel = answers.due_to_panel.iter().cloned().map(|r| lines.line(r)).collect();
    page.tasks = answers.tasks.iter().cloned().map(|r| lines.line(r)).collect();
    page.actions = answers
        .actions
        .iter()
        .cloned()
        .map(|(r, due)| {
            let tag = tag(&settings.calendar, today, Some(due));
            (r.id, r.reference, when(&settings.calendar, today, Some(due)), tag)
        })
        .collect();
    page.cases = answers.page.iter().cloned().map(|r| lines.line(r)).collect();
}

/// The figures a reader of the reports sees instead of cases.
fn figures(open: i64, overdue: i64, due_in_all: i64) -> Vec<(String, String)> {
    let plural = |n: i64| format!("{n} {}", if n == 1 { "case" } else { "cases" });
    vec![
        ("Open cases".to_owned(), plural(open)),
        ("Open cases with a step overdue".to_owned(), plural(overdue)),
        (
            "Rapid Reviews due to the Panel in the next 5 working days (or overdue)".to_owned(),
            plural(due_in_all),
        ),
    ]
}
