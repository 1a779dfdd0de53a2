//! The demo partnership for `serve --demo`: agencies, one user per role (passwords
//! printed once), and synthetic cases at different stages, recorded through the same
//! store calls as real use. Every person and case here is invented.

use anyhow::Context;
use chrono::NaiveDate;
use domain::events::{EventKind, parse_event_request};
use domain::roles::Role;
use domain::synthetic::{self, AGENCIES, Journey};
use store::{AuditEntry, NewAgency, NewUser, Store, User, WriteContext};
use web::Clock;

const AGENCY_NAMES: [(&str, &str); 4] = [
    ("City GP Practice", "gp"),
    ("Northfield Primary School", "school"),
    ("County Police", "police"),
    ("Community Health NHS Trust", "health"),
];

const PEOPLE: [(&str, &str, &str, Option<&str>); 9] = [
    (
        "manager@demo.rapid-review.test",
        "Pat Manager",
        "partnership_manager",
        None,
    ),
    ("business@demo.rapid-review.test", "Bea Unit", "business_unit", None),
    (
        "decisions@demo.rapid-review.test",
        "Dee Cider",
        "la_decision_maker",
        None,
    ),
    (
        "la-rep@demo.rapid-review.test",
        "Lou Authority",
        "partner_rep",
        Some("local_authority"),
    ),
    (
        "health-rep@demo.rapid-review.test",
        "Hal Health",
        "partner_rep",
        Some("health"),
    ),
    (
        "police-rep@demo.rapid-review.test",
        "Poppy Police",
        "partner_rep",
        Some("police"),
    ),
    ("chair@demo.rapid-review.test", "Jo Chair", "jcr_chair", None),
    ("viewer@demo.rapid-review.test", "Vic Viewer", "viewer", None),
    ("admin@demo.rapid-review.test", "Ada Admin", "admin", None),
];

fn password() -> anyhow::Result<String> {
    let mut bytes = [0u8; 9];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(format!("demo-{}", hex::encode(bytes)))
}

pub async fn load(store: &Store, clock: Clock) -> anyhow::Result<()> {
    let now = clock.now();
    let audit = |action: &str| AuditEntry::about(now, Some("demo"), action, None, "ok");
    for ((slug, (name, kind)), i) in AGENCIES.iter().zip(AGENCY_NAMES).zip(0..) {
        let email = format!("returns{i}@demo.rapid-review.test");
        store
            .add_agency(&NewAgency::new(slug, name, kind, Some(&email))?, &audit("agency_added"))
            .await?;
    }
    println!("Demo users (passwords are shown once):");
    let mut users = Vec::new();
    for (email, name, role, partner) in PEOPLE {
        let pw = password()?;
        let user = store
            .add_user(
                &NewUser::new(email, name, role, partner, None, Some(pw.clone()))?,
                &audit("user_added"),
            )
            .await?;
        println!("  {:<20} {email:<38} {pw}", role);
        users.push(user);
    }
    let contact_pw = password()?;
    let contact = NewUser::new(
        "contact@demo.rapid-review.test",
        "Cam Contact",
        "agency_contact",
        None,
        Some(AGENCIES[1]),
        Some(contact_pw.clone()),
    )?;
    store.add_user(&contact, &audit("user_added")).await?;
    println!(
        "  {:<20} {:<38} {contact_pw}",
        "agency_contact", "contact@demo.rapid-review.test"
    );
    let today = clock.today();
    let calendar = store.calendar().await?;
    let rules = store.rules().await?;
    // Cases that started at different distances back, so each shows a different stage.
    let plans: [(Journey, i32, u32); 8] = [
        (Journey::SeriousHarm, -2, 0),
        (Journey::SeriousHarm, -6, 2),
        (Journey::SeriousHarm, -9, 4),
        (Journey::SeriousHarm, -16, 6),
        (Journey::ChallengeOverturned, -5, 1),
        (Journey::AlternativeLearning, -3, 3),
        (Journey::AlternativeLearning, -12, 5),
        (Journey::SeriousHarm, -140, 8),
    ];
    for (journey, start, seq) in plans {
        let aware_on = calendar.add_working_days(today, start);
        let bodies: Vec<_> = synthetic::journey(journey, aware_on, &calendar, seq)
            .into_iter()
            .filter(|b| {
                b.get("on")
                    .and_then(|v| v.as_str())
                    .and_then(|s| s.parse::<NaiveDate>().ok())
                    .is_none_or(|on| on <= today)
            })
            .collect();
        let mut case_id: Option<String> = None;
        for (i, body) in bodies.into_iter().enumerate() {
            let speaker = body.get("on_behalf_of").and_then(|v| v.as_str()).map(str::to_owned);
            let request = parse_event_request(body, (i == 0).then_some(EventKind::IncidentReported))?;
            let kind = request.event.kind();
            let actor = match speaker {
                Some(for_whom) => speaker_for(&users, &for_whom)?,
                None => actor_for(&users, kind)?,
            };
            if let (Some(id), EventKind::RapidReviewSubmitted) = (case_id.as_deref(), kind) {
                sign_template(store, id, &users, now).await?;
            }
            let ctx = WriteContext {
                today,
                at: now,
                calendar: &calendar,
                rules: &rules,
                actor,
                action: "demo",
                idempotency: None,
            };
            match &case_id {
                None => case_id = Some(store.create_case(request.event, ctx).await?.id),
                Some(id) => {
                    store
                        .append_event(id, request, ctx)
                        .await
                        .with_context(|| format!("demo case step {i}"))?;
                }
            }
        }
    }
    // The seeded history happened before the service started: nobody is emailed it.
    // Only what happens from now on (steps, reminders, digests) is sent.
    store.mark_history_told(&audit("demo_history_marked_told")).await?;
    println!(
        "Loaded the demo partnership: {} agencies, {} users, {} cases.",
        AGENCIES.len(),
        PEOPLE.len() + 1,
        plans.len()
    );
    Ok(())
}

/// The demo user who gives the view of `for_whom` (a partner, or the Partnership
/// Manager).
fn speaker_for<'a>(users: &'a [User], for_whom: &str) -> anyhow::Result<&'a User> {
    users
        .iter()
        .find(|u| u.partner.map(|p| p.as_str()) == Some(for_whom) || (u.role.as_str() == for_whom))
        .ok_or_else(|| anyhow::anyhow!("no demo user speaks for {for_whom}"))
}

/// Writes the template from the case's draft, as the Business Unit would, and has each
/// partner's representative sign it off, so that the case may be submitted.
async fn sign_template(
    store: &Store,
    id: &str,
    users: &[User],
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let writer = actor_for(users, EventKind::RapidReviewSubmitted)?;
    let signers: Vec<_> = users
        .iter()
        .filter(|u| u.role == Role::PartnerRep)
        .filter_map(|u| u.partner.map(|p| (p, u)))
        .collect();
    store.seed_signed_template(id, writer, &signers, now).await?;
    Ok(())
}

fn actor_for(users: &[User], kind: EventKind) -> anyhow::Result<&User> {
    let preferred = [
        Role::BusinessUnit,
        Role::LaDecisionMaker,
        Role::JcrChair,
        Role::PartnerRep,
        Role::PartnershipManager,
    ];
    preferred
        .iter()
        .filter(|r| r.may_record(kind))
        .find_map(|r| users.iter().find(|u| u.role == *r))
        .ok_or_else(|| anyhow::anyhow!("no demo user may record {}", kind.as_str()))
}
