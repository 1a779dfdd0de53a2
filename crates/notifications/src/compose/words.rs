//! The words of each kind of message. Every message says which case (by reference),
//! what happened or what is due, by when, and where to go; the footer says why the
//! reader gets it. Nothing here reads a summary, a child's details, a rationale or a
//! chronology entry.

use domain::case::CaseView;
use domain::deadlines::{Deadline, DeadlineStatus, DueRule, StepKey};
use domain::events::{Event, EventPayload};
use domain::notices::{Enclosure, Notice};
use domain::process::{self, Path};
use store::{CaseRecord, OutboxMessage};

use super::{ComposeError, Composed, Sources, enclosures, long_date, working_days};

pub(super) async fn compose(sources: &mut Sources<'_>, message: &OutboxMessage) -> Result<Composed, ComposeError> {
    let composed = match message.notice {
        Notice::Event => event(sources, message).await?,
        Notice::Upcoming | Notice::DueToday | Notice::Overdue | Notice::StillOverdue | Notice::Chase => {
            clock(sources, message).await?
        }
        Notice::LinkReissued | Notice::LinkRevoked => link(sources, message).await?,
        Notice::ChallengeDiscussion | Notice::AlaDiscussion => discussion(sources, message).await?,
        Notice::Digest => digest(sources, message).await?,
        Notice::SetPassword => set_password(sources, message).await?,
        Notice::AccountReview => Composed {
            subject: "Rapid Review: an account that can see cases to check".to_owned(),
            body: format!(
                "An administrator created an account that can see cases, or enabled one again.\n\n\
                 Check who it is for and what role it has, and acknowledge it, on your dashboard:\n{}/\n\n\
                 If you did not expect it, ask the administrator, and disable the account until you know.\n",
                sources.settings.public_url
            ),
            attachments: Vec::new(),
        },
        Notice::Test => Composed {
            subject: "Rapid Review: test email".to_owned(),
            body: format!(
                "This is a test email from Rapid Review, sent at an administrator's request.\n\n\
                 If you can read it, the service can send email.\n\n{}\n",
                sources.settings.public_url
            ),
            attachments: Vec::new(),
        },
    };
    Ok(Composed {
        body: format!("{}\n{}", composed.body.trim_end(), footer(sources, message)),
        ..composed
    })
}

/// Why the reader gets the message, and the promise that it holds no case details.
fn footer(sources: &Sources<'_>, message: &OutboxMessage) -> String {
    let mut out = String::from("\n--\n");
    let personal = matches!(message.notice, Notice::Test | Notice::SetPassword);
    if !personal {
        out.push_str(&format!("You get this email as {}.\n", message.recipient_label));
    }
    let carries_referral = message.enclosure == Enclosure::ReturnRequest
        && message.agency.as_ref().is_some_and(|a| sources.secure_email(a));
    if carries_referral {
        out.push_str(
            "This email carries the referral form, which holds case details, because your agency receives secure email.\n",
        );
    } else if message.enclosure == Enclosure::PanelSubmission {
        out.push_str(
            "The attached Template and covering letter hold case details: keep them to those who need them.\n",
        );
    } else if message.enclosure == Enclosure::OutcomeLetter {
        out.push_str(
            "The attached letter holds case details (the decision and its reasons): keep it to those in your agency who need it.\n",
        );
    } else if outside(message) && !matches!(message.notice, Notice::Test) {
        out.push_str("This email holds no case details.\n");
    } else {
        out.push_str("This email holds no case details: sign in to Rapid Review to see them.\n");
    }
    if message.agency.is_none() && message.user_id.is_some() && !personal {
        out.push_str(&format!(
            "Choose each email as it happens or one daily digest: {}/account/notifications\n",
            sources.settings.public_url
        ));
    }
    out
}

/// Whether the message goes to an address outside the service: neither a user's nor an
/// agency's (the National Panel, someone invited to the meeting by address).
fn outside(message: &OutboxMessage) -> bool {
    message.user_id.is_none() && message.agency.is_none()
}

/// The case's reference, from the row or the case.
fn reference(message: &OutboxMessage, record: &CaseRecord) -> String {
    message
        .case_reference
        .clone()
        .unwrap_or_else(|| record.reference.clone())
}

/// Whether the message's reader may open cases. A viewer (the Executive group) may
/// not: their messages link the reports, never a case page that would refuse them.
async fn sees_cases(sources: &Sources<'_>, message: &OutboxMessage) -> Result<bool, ComposeError> {
    Ok(match message.user_id {
        Some(id) => sources
            .store
            .user_by_id(id)
            .await?
            .is_none_or(|u| u.role.may_see_cases()),
        None => true,
    })
}

/// Where a reader who may not open cases follows the work: the partnership's reports.
fn reports_line(sources: &Sources<'_>) -> String {
    format!(
        "\nThe partnership's reports show the reviews' progress and outcomes: {}/reports\n",
        sources.settings.public_url
    )
}

/// A new message in a case's discussion: where to read it, never what it says.
async fn discussion(sources: &mut Sources<'_>, message: &OutboxMessage) -> Result<Composed, ComposeError> {
    let record = sources.case(message).await?;
    let reference = reference(message, &record);
    let (about, anchor) = match message.notice {
        Notice::AlaDiscussion => ("the proposed Alternative Learning Activity", "ala"),
        _ => ("the threshold decision", "challenge"),
    };
    Ok(Composed {
        subject: format!("{reference}: {}", message.notice.label().to_lowercase()),
        body: format!(
            "Case {reference}: a partner representative or the Partnership Manager added to the discussion of {about}. \
             Read it, and reply if you need to, in the service: {}#{anchor}\n",
            sources.case_link(&record.id)
        ),
        attachments: Vec::new(),
    })
}

async fn event(sources: &mut Sources<'_>, message: &OutboxMessage) -> Result<Composed, ComposeError> {
    let record = sources.case(message).await?;
    let version = message.event_version.unwrap_or(0);
    let Some(at) = record.events.iter().position(|e| e.version.get() == version) else {
        return Err(ComposeError::Unsendable("the event is not on the case".into()));
    };
    let history = &record.events[..=at];
    let event = &history[at];
    let reference = reference(message, &record);
    let done = event.payload.kind().done_label();
    let mut body = format!("Case {reference}: {done} on {}.\n\n", long_date(event.on));
    let mut attachments = Vec::new();
    match message.enclosure {
        Enclosure::ReturnRequest => {
            let (text, files) = enclosures::return_request(sources, message, &record, history).await?;
            body.push_str(&text);
            attachments = files;
        }
        Enclosure::MeetingInvitation => {
            if let Some(meeting) = process::fold(history).meeting {
                body.push_str(&format!(
                    "The Rapid Review meeting is on {}. The invitation is attached: add it to your calendar.\n\n",
                    long_date(meeting.meeting_on)
                ));
                attachments.push(enclosures::invitation(sources, &record, history, meeting.meeting_on).await?);
            }
        }
        Enclosure::PanelSubmission => {
            let files = enclosures::panel_submission(sources, &record, history).await?;
            let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
            if message.user_id.is_none() {
                body.push_str(&format!(
                    "The {} submits its Rapid Review of case {reference} to the Child Safeguarding Practice Review Panel. \
                     Attached: {}.\n\n",
                    sources.settings.partnership,
                    names.join(" and ")
                ));
            } else {
                match sources.store.panel_address().await? {
                    Some(panel) => body.push_str(&format!(
                        "The Template and the covering letter were sent to the National Panel at {panel}; your copy is attached: {}.\n\n",
                        names.join(" and ")
                    )),
                    None => body.push_str(&format!(
                        "The service has no address for the National Panel (RAPID_REVIEW_PANEL_EMAIL), so the Template and the \
                         covering letter must go to the Panel by hand. They are attached: {}.\n\n",
                        names.join(" and ")
                    )),
                }
            }
            attachments.extend(files);
        }
        Enclosure::OutcomeLetter => {
            let file = enclosures::recipient_letter(sources, message, &record, history)?;
            body.push_str(&format!("Your agency's letter is attached: {}.\n\n", file.name));
            attachments.push(file);
        }
        Enclosure::LinkOnly => {}
    }
    body.push_str(&what_it_means(sources, message, &record, history).await?);
    // The National Panel and the meeting's invitees by address get what is attached,
    // not a link to a service they cannot sign in to.
    if message.agency.is_none() && !outside(message) {
        if sees_cases(sources, message).await? {
            body.push_str(&next_steps(sources, &record));
            body.push_str(&format!("\nOpen the case: {}\n", sources.case_link(&record.id)));
        } else {
            body.push_str(&reports_line(sources));
        }
    }
    Ok(Composed {
        subject: format!("{reference}: {done}"),
        body,
        attachments,
    })
}

/// A sentence for the events whose consequence the reader must know: a challenge
/// window, an agency's new due date, the outcome on its way. `history` ends with the
/// event, so the case is seen as it was when the event was recorded.
async fn what_it_means(
    sources: &Sources<'_>,
    message: &OutboxMessage,
    record: &CaseRecord,
    history: &[Event],
) -> Result<String, ComposeError> {
    let Some(event) = history.last() else {
        return Ok(String::new());
    };
    let view = CaseView::derive(history, &sources.calendar, &sources.rules, sources.today);
    Ok(match &event.payload {
        EventPayload::ThresholdDecided(_) | EventPayload::DecisionFedBack(_) if view.path == Path::NoSeriousHarm => {
            match find(&view.deadlines, StepKey::ChallengeWindow).and_then(|d| d.due) {
                Some(closes) => format!(
                    "The decision is that the threshold is not met. Partners may challenge it until {}.\n",
                    long_date(closes)
                ),
                None => match sources.rules.rule(StepKey::ChallengeWindow) {
                    DueRule::WorkingDaysAfter(n) => format!(
                        "The decision is that the threshold is not met. Partners may challenge it within {} \
                         of it being fed back to them.\n",
                        working_days(i32::try_from(n).unwrap_or(i32::MAX))
                    ),
                    _ => "The decision is that the threshold is not met.\n".to_owned(),
                },
            }
        }
        EventPayload::DeadlineExtended(p) => match (&message.agency, &p.agency) {
            (Some(agency), Some(_)) => {
                let request = sources.request(&record.id, agency).await?;
                let mut text = format!(
                    "{}'s return is now due on {}.\n",
                    sources.agency_name(agency),
                    long_date(p.new_due)
                );
                if let Some(r) = &request {
                    text.push_str(&format!("Your return link works until {}.\n", long_date(r.expires_on)));
                    if let Some(link) = sources.return_link(r) {
                        text.push_str(&format!("\nOpen your return: {link}\n"));
                    }
                }
                text
            }
            _ => String::new(),
        },
        EventPayload::PackShared(_) => match message.agency {
            None => format!(
                "The papers pack for the Rapid Review meeting is ready in the service: {}/cases/{}/pack\n",
                sources.settings.public_url, record.id
            ),
            Some(_) => {
                "The papers pack for the Rapid Review meeting is ready. The Business Unit will share it with \
                        your agency's attendee."
                    .to_owned()
                    + "\n"
            }
        },
        EventPayload::OutcomeCommunicated(_) => String::new(),
        _ => String::new(),
    })
}

fn find(deadlines: &[Deadline], step: StepKey) -> Option<&Deadline> {
    deadlines.iter().find(|d| d.step == step)
}

/// The case's running clocks, soonest first: what happens next and by when.
fn next_steps(sources: &Sources<'_>, record: &CaseRecord) -> String {
    let view = CaseView::derive(&record.events, &sources.calendar, &sources.rules, sources.today);
    let mut running: Vec<&Deadline> = view
        .deadlines
        .iter()
        .filter(|d| matches!(d.status, DeadlineStatus::Due | DeadlineStatus::Overdue))
        .filter(|d| d.step != StepKey::ChallengeWindow && d.due.is_some())
        .collect();
    running.sort_by_key(|d| d.due);
    if running.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nWhat happens next:\n");
    for d in running.iter().take(5) {
        out.push_str(&format!("- {}\n", clock_line(sources, d)));
    }
    out
}

/// "Decide whether the threshold is met: due 30 December 2026 (3 working days left)".
fn clock_line(sources: &Sources<'_>, d: &Deadline) -> String {
    let step = match &d.agency {
        Some(agency) => format!("{} from {}", d.step.label(), sources.agency_name(agency)),
        None => d.step.label().to_owned(),
    };
    let Some(due) = d.due else {
        return step;
    };
    let left = sources.calendar.working_days_between(sources.today, due);
    let when = if left > 0 {
        format!("{} left", working_days(left))
    } else if left == 0 {
        "due today".to_owned()
    } else {
        format!("overdue by {}", working_days(left))
    };
    format!("{step}: due {} ({when})", long_date(due))
}

async fn clock(sources: &mut Sources<'_>, message: &OutboxMessage) -> Result<Composed, ComposeError> {
    let record = sources.case(message).await?;
    let reference = reference(message, &record);
    let (Some(about), Some(due)) = (message.clock_label(), message.due_on) else {
        return Err(ComposeError::Unsendable("the reminder names no step".into()));
    };
    let what = match &message.agency {
        Some(agency) => format!("{about} from {}", sources.agency_name(agency)),
        None => about,
    };
    let ahead = match message.step {
        Some(step) => sources.rules.remind_before(step),
        None => domain::deadlines::DEFAULT_REMIND_BEFORE,
    };
    let (subject, sentence) = clock_words(message.notice, &reference, &what, due, ahead);
    let mut body = format!("Case {reference}: {sentence}\n");
    if message.action.is_some() {
        body.push_str(&action_lines(sources, message, &record).await?);
        return Ok(Composed {
            subject,
            body,
            attachments: Vec::new(),
        });
    }
    // The return link is the agency's credential: only the agency's own address and its
    // contacts get it. Staff told of an agency's late return (an escalation) get the
    // case instead.
    let to_the_agency = match (message.user_id, &message.agency) {
        (None, Some(_)) => true,
        (Some(id), Some(agency)) => sources
            .store
            .user_by_id(id)
            .await?
            .is_some_and(|u| u.agency.as_ref() == Some(agency)),
        (_, None) => false,
    };
    match &message.agency {
        Some(agency) if to_the_agency => {
            if let Some(link) = sources
                .request(&record.id, agency)
                .await?
                .and_then(|r| sources.return_link(&r))
            {
                body.push_str(&format!("\nOpen your return: {link}\n"));
            }
        }
        _ => body.push_str(&format!("\nOpen the case: {}\n", sources.case_link(&record.id))),
    }
    Ok(Composed {
        subject,
        body,
        attachments: Vec::new(),
    })
}

/// A clock message's subject and first sentence, worded for the day the reminder was
/// due to go, whenever it is read: `what` is due on `due`, reminded `ahead` working days
/// before.
fn clock_words(notice: Notice, reference: &str, what: &str, due: chrono::NaiveDate, ahead: u32) -> (String, String) {
    match notice {
        Notice::DueToday => (
            format!("{reference}: due today: {what}"),
            format!("{what} is due today, {}.", long_date(due)),
        ),
        Notice::Overdue => (
            format!("{reference}: overdue: {what}"),
            format!("{what} was due on {} and is now overdue.", long_date(due)),
        ),
        Notice::StillOverdue => (
            format!("{reference}: still overdue: {what}"),
            format!("{what} was due on {} and is still overdue.", long_date(due)),
        ),
        Notice::Chase => (
            format!("{reference}: overdue, please send it now: {what}"),
            format!(
                "{what} was due on {} and has not come in. Please send it as soon as you can: the Rapid Review meeting relies on it.",
                long_date(due)
            ),
        ),
        _ => {
            let ahead = i32::try_from(ahead).unwrap_or(0).max(1);
            (
                format!("{reference}: due in {}: {what}", working_days(ahead)),
                format!("{what} is due on {}, in {}.", long_date(due), working_days(ahead)),
            )
        }
    }
}

/// What the reader of an action's reminder does: whoever may open the case finds the
/// action on its page; an agency or a reader who may not open cases tells the Business
/// Unit when it is done, and what shows it. The action's words stay in the service.
async fn action_lines(
    sources: &Sources<'_>,
    message: &OutboxMessage,
    record: &CaseRecord,
) -> Result<String, ComposeError> {
    let owner = if message.notice == Notice::Overdue || message.notice == Notice::StillOverdue {
        ""
    } else {
        "You are named as its owner. "
    };
    if message.user_id.is_some() && sees_cases(sources, message).await? {
        let anchor = match message.action.map(|a| a.plan) {
            Some(domain::events::ActionPlan::Learning) => "learning-actions",
            _ => "actions",
        };
        Ok(format!(
            "{owner}The action and its progress are on the case: {}#{anchor}\n",
            sources.case_link(&record.id)
        ))
    } else {
        Ok(format!(
            "{owner}When it is done, tell the {} Business Unit, with what shows it was done, so that they can record it.\n",
            sources.settings.partnership
        ))
    }
}

async fn link(sources: &mut Sources<'_>, message: &OutboxMessage) -> Result<Composed, ComposeError> {
    let record = sources.case(message).await?;
    let reference = reference(message, &record);
    let agency = message
        .agency
        .clone()
        .ok_or_else(|| ComposeError::Unsendable("the message names no agency".into()))?;
    let name = sources.agency_name(&agency);
    let request = sources.request(&record.id, &agency).await?;
    let (subject, body) = match message.notice {
        Notice::LinkReissued => {
            let mut body =
                format!("Case {reference}: {name} has a new link for its return. The old link no longer works.\n");
            if let Some(r) = &request {
                body.push_str(&format!(
                    "The return is due on {}; the link works until {}.\n",
                    long_date(r.due),
                    long_date(r.expires_on)
                ));
                if let Some(link) = sources.return_link(r) {
                    body.push_str(&format!("\nOpen your return: {link}\n"));
                }
            }
            (format!("{reference}: a new link for your return"), body)
        }
        _ => (
            format!("{reference}: your return link was withdrawn"),
            format!(
                "Case {reference}: the link for {name}'s return was withdrawn and no longer works.\n\
                 The Business Unit will contact you if a return is still needed.\n"
            ),
        ),
    };
    Ok(Composed {
        subject,
        body,
        attachments: Vec::new(),
    })
}

async fn digest(sources: &mut Sources<'_>, message: &OutboxMessage) -> Result<Composed, ComposeError> {
    let items = sources.store.digest_items(message.id).await?;
    let day = message.due_on.unwrap_or(sources.today);
    let mut body = format!("Your Rapid Review digest for {}.\n", long_date(day));
    let mut case_ids: Vec<(String, String)> = Vec::new();
    for item in &items {
        let reference = item.case_reference.clone().unwrap_or_default();
        let line = match item.notice {
            Notice::Event => match sources.case(item).await {
                Ok(record) => record
                    .events
                    .iter()
                    .find(|e| Some(e.version.get()) == item.event_version)
                    .map(|e| format!("{} on {}", e.payload.kind().done_label(), long_date(e.on)))
                    .unwrap_or_else(|| "a step was recorded".to_owned()),
                Err(_) => continue,
            },
            // A clock's line names its step, the agency it concerns, the due date and
            // how late it is; any other names what happened.
            notice => {
                let clock = item.clock_label();
                let mut what = clock.clone().unwrap_or_else(|| notice.label().to_owned());
                if let Some(agency) = &item.agency {
                    what = format!("{what} from {}", sources.agency_name(agency));
                }
                match (clock, item.due_on) {
                    (Some(_), Some(due)) => {
                        let late = sources.calendar.working_days_between(due, day);
                        let when = if late > 0 {
                            format!("due {}, {} late", long_date(due), working_days(late))
                        } else {
                            format!("due {}", long_date(due))
                        };
                        format!("{what}: {} ({when})", notice.label().to_lowercase())
                    }
                    _ => what,
                }
            }
        };
        body.push_str(&format!("\n- {reference}: {line}"));
        if let Some(id) = &item.case_id
            && !case_ids.iter().any(|(i, _)| i == id)
        {
            case_ids.push((id.clone(), reference));
        }
    }
    if sees_cases(sources, message).await? {
        body.push_str("\n\nThe cases:\n");
        for (id, reference) in &case_ids {
            body.push_str(&format!("- {reference}: {}\n", sources.case_link(id)));
        }
    } else {
        body.push('\n');
        body.push_str(&reports_line(sources));
    }
    let count = items.len();
    Ok(Composed {
        subject: format!(
            "Rapid Review digest for {}: {count} {}",
            long_date(day),
            if count == 1 { "item" } else { "items" }
        ),
        body,
        attachments: Vec::new(),
    })
}

/// The link to choose a password, made now: only its hash is kept, and never in the
/// outbox. Each sending makes a new link and retires the one before.
async fn set_password(sources: &mut Sources<'_>, message: &OutboxMessage) -> Result<Composed, ComposeError> {
    let user_id = message
        .user_id
        .ok_or_else(|| ComposeError::Unsendable("the message names no user".into()))?;
    let entry = store::AuditEntry::about(
        sources.now,
        Some("system"),
        "password_link_sent",
        Some(&message.recipient),
        "ok",
    );
    let token = sources.store.create_reset_token(user_id, &entry).await?;
    let url = &sources.settings.public_url;
    Ok(Composed {
        subject: "Rapid Review: choose your password".to_owned(),
        body: format!(
            "An account in Rapid Review is ready for you. Choose your password within {} hours, here:\n\n\
             {url}/reset-password/{token}\n\n\
             The link works once. Then sign in at {url}/sign-in.\n\n\
             If you did not expect this email, do not use the link: tell the Partnership Business Unit.\n",
            store::RESET_LINK_HOURS
        ),
        attachments: Vec::new(),
    })
}
