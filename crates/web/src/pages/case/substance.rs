//! What a case is about, for its page: the incident, each child, the referring agency,
//! every decision with its reasons, and the immediate actions with their owners. Read
//! from the case's events (the incident with its corrections); the latest of each
//! decision counts.

use chrono::NaiveDate;
use domain::events::{ActionPlan, ActionStatus, AlaDecider, Event, EventPayload};

use super::super::long_date;

/// A titled group of question-and-answer rows.
pub struct Section {
    pub title: &'static str,
    pub rows: Vec<(String, String)>,
}

/// One immediate action from the meeting: what, who, due, and whether it is overdue.
pub struct ActionLine {
    /// Its number in its list, as `action_updated` names it.
    pub number: u32,
    pub action: String,
    pub owner: String,
    pub due: String,
    pub overdue: bool,
    /// When done: the evidence that it was.
    pub done: Option<String>,
}

pub struct Substance {
    pub sections: Vec<Section>,
    /// The meeting's immediate actions.
    pub actions: Vec<ActionLine>,
    /// The learning action plan.
    pub learning: Vec<ActionLine>,
}

fn yes_no(b: bool) -> String {
    if b { "Yes" } else { "No" }.to_owned()
}

/// The incident and its children, as corrected; `agency_name` names the referrer.
fn incident(events: &[Event], agency_name: &dyn Fn(&str) -> String) -> Vec<Section> {
    let Some(i) = domain::process::corrected_incident(events) else {
        return Vec::new();
    };
    let incident = Section {
        title: "The incident",
        rows: vec![
            ("What happened".into(), i.incident.kind.label().to_owned()),
            ("Date of the incident".into(), long_date(i.incident.occurred_on)),
            ("Summary".into(), i.incident.summary.to_string()),
            ("Referring agency".into(), agency_name(i.referring_agency.as_str())),
            ("How the partnership heard".into(), i.route.label().to_owned()),
            ("Reported on".into(), long_date(i.reported_on)),
            ("Local authority aware on".into(), long_date(i.aware_on)),
        ],
    };
    let children = Section {
        title: "Children",
        rows: i
            .children
            .iter()
            .enumerate()
            .map(|(n, c)| (format!("Child {}", n + 1), documents::describe_child(c)))
            .collect(),
    };
    vec![incident, children]
}

/// Every decision on the case with its reasons, the latest of each.
fn decisions(events: &[Event]) -> Section {
    let mut rows: Vec<(String, String)> = Vec::new();
    for e in events {
        for (key, value) in decided(e) {
            match rows.iter_mut().find(|(k, _)| k == key) {
                Some(row) => row.1 = value,
                None => rows.push((key.to_owned(), value)),
            }
        }
    }
    Section {
        title: "Decisions",
        rows,
    }
}

/// What one event decided, as (question, answer) rows; none for an event that decides
/// nothing.
fn decided(e: &Event) -> Vec<(&'static str, String)> {
    use EventPayload as P;
    let on = long_date(e.on);
    match &e.payload {
        P::ThresholdDecided(p) => {
            let outcome = match p.outcome {
                domain::events::ThresholdOutcome::Met => "Met",
                domain::events::ThresholdOutcome::NotMet => "Not met",
            };
            vec![("Serious Harm threshold", format!("{outcome} ({on}). {}", p.rationale))]
        }
        P::ThresholdChallenged(p) => vec![(
            "Challenge to the threshold decision",
            format!("Raised {on}: {}", p.grounds),
        )],
        P::ChallengeViewRecorded(p) => p
            .on_behalf_of
            .map(|by| {
                let key = match by {
                    AlaDecider::LocalAuthority => "Local authority's position on the decision",
                    AlaDecider::Health => "Health's position on the decision",
                    AlaDecider::Police => "Police's position on the decision",
                    AlaDecider::PartnershipManager => "Partnership Manager's position on the decision",
                };
                (key, format!("{} ({on}). {}", p.position.label(), p.reason))
            })
            .into_iter()
            .collect(),
        P::AlaViewRecorded(p) => p
            .on_behalf_of
            .map(|by| {
                let key = match by {
                    AlaDecider::LocalAuthority => "Local authority's view on the ALA",
                    AlaDecider::Health => "Health's view on the ALA",
                    AlaDecider::Police => "Police's view on the ALA",
                    AlaDecider::PartnershipManager => "Partnership Manager's view on the ALA",
                };
                (key, format!("{} ({on}). {}", p.view.label(), p.reason))
            })
            .into_iter()
            .collect(),
        P::ChallengeResolved(p) => vec![(
            "Outcome of the challenge",
            format!("{} ({on}). {}", p.outcome.label(), p.rationale),
        )],
        P::MeetingHeld(p) => meeting(p, &on),
        P::PanelResponseReceived(p) => vec![(
            "The National Panel's response",
            format!(
                "{} with the recommendation; {} a national review ({on})",
                if p.panel_agrees { "Agrees" } else { "Does not agree" },
                if p.national_review {
                    "will consider"
                } else {
                    "will not consider"
                }
            ),
        )],
        P::EsgRecommendationMade(p) => vec![(
            "Sub-group recommended to the Executive Strategic Group (ESG)",
            format!("{} ({on})", p.subgroup),
        )],
        P::AlaProposed(p) => vec![(
            "Alternative Learning Activity (ALA) proposed",
            format!("{} ({on}). {}", p.activity.label(), p.proposal),
        )],
        P::AlaDecided(p) => {
            let lead = p
                .lead_group
                .as_ref()
                .map(|g| format!(", led by {g}"))
                .unwrap_or_default();
            vec![("ALA decision", format!("{}{lead} ({on})", p.decision.label()))]
        }
        P::AlaCompleted(p) => vec![("Learning found", format!("{} ({on})", p.learning))],
        P::LcsprCommissioned(p) => vec![(
            "Local Child Safeguarding Practice Review (LCSPR)",
            format!(
                "Commissioned {on}; reviewer {}; publication planned for {}",
                p.reviewer,
                long_date(p.planned_publication_on)
            ),
        )],
        _ => Vec::new(),
    }
}

/// The meeting's recommendation with its reasons, and each criterion.
fn meeting(p: &domain::events::MeetingHeld, on: &str) -> Vec<(&'static str, String)> {
    let c = &p.criteria;
    let r = &p.criteria_reasons;
    let answer = |yes: bool, why: &Option<domain::events::Text>| match why {
        Some(why) => format!("{}. {why}", yes_no(yes)),
        None => yes_no(yes),
    };
    let mut rows = vec![
        (
            "Rapid Review meeting's recommendation",
            format!("{} ({on}). {}", p.recommendation.label(), p.rationale),
        ),
        (
            "Improvements needed to safeguard children",
            answer(c.improvements_needed, &r.improvements_needed),
        ),
        ("Recurring themes", answer(c.recurring_themes, &r.recurring_themes)),
        (
            "Concerns about how agencies worked together",
            answer(c.multi_agency_concerns, &r.multi_agency_concerns),
        ),
        (
            "The National Panel thinks a local review suits it",
            answer(c.panel_view, &r.panel_view),
        ),
    ];
    if let Some(facts) = &p.facts {
        rows.push(("Facts agreed at the meeting", facts.to_string()));
    }
    if let Some(asked) = p.national_review_requested {
        rows.push(("Ask the Panel to consider a national review", yes_no(asked)));
    }
    if !p.parallel_processes.is_empty() {
        let names: Vec<&str> = p.parallel_processes.iter().map(|x| x.label()).collect();
        rows.push(("Processes running alongside", names.join("; ")));
    }
    if !p.attendees.is_empty() {
        let people: Vec<String> = p
            .attendees
            .iter()
            .map(|a| {
                let presence = if a.present { "present" } else { "sent apologies" };
                format!("{} ({}): {presence}", a.role, a.agency)
            })
            .collect();
        rows.push(("Attendees", people.join("; ")));
    }
    if !p.checked.warnings.is_empty() {
        let reason = p
            .checked
            .warning_reason
            .as_ref()
            .map(|r| r.to_string())
            .unwrap_or_default();
        rows.push((
            "Recorded despite warnings",
            format!("{}. Reason: {reason}", p.checked.warnings.join("; ")),
        ));
    }
    rows
}

/// The actions of one plan, numbered as `action_updated` counts them.
fn actions(
    events: &[Event],
    plan: ActionPlan,
    today: NaiveDate,
    agency_name: &dyn Fn(&str) -> String,
) -> Vec<ActionLine> {
    domain::actions::actions(events, plan)
        .into_iter()
        .map(|a| {
            let done = a.status == ActionStatus::Done;
            ActionLine {
                number: a.number,
                action: a.action,
                owner: match plan {
                    ActionPlan::Immediate => a.owner,
                    ActionPlan::Learning => agency_name(&a.owner),
                },
                due: long_date(a.due),
                overdue: !done && a.due < today,
                done: done.then(|| a.evidence.unwrap_or_default()),
            }
        })
        .collect()
}

/// The substance of the case with these events.
pub fn substance(events: &[Event], today: NaiveDate, agency_name: &dyn Fn(&str) -> String) -> Substance {
    let mut sections = incident(events, agency_name);
    let decided = decisions(events);
    if !decided.rows.is_empty() {
        sections.push(decided);
    }
    Substance {
        sections,
        actions: actions(events, ActionPlan::Immediate, today, agency_name),
        learning: actions(events, ActionPlan::Learning, today, agency_name),
    }
}
