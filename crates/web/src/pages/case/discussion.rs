//! Discussions on a case among the partners' representatives and the Partnership
//! Manager: the thread on a not-met threshold decision, and each one's view on a
//! proposed Alternative Learning Activity. They inform decisions, which are recorded as
//! events; they are not events themselves.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::events::{AlaDecider, AlaDecision, ThresholdOutcome};
use domain::process::CaseState;
use domain::roles::{Partner, Role};

use super::super::signed_form::SignedForm;
use super::super::{Nav, PageError, label_of};
use crate::audit::AuditedInTransaction;
use crate::service::types::{Message, User};
use crate::state::AppState;

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
fn speaker(m: &Message) -> String {
    match &m.partner {
        Some(p) => format!(
            "{} ({} representative)",
            m.author,
            label_of(p, Partner::parse, Partner::label)
        ),
        None => format!("{} ({})", m.author, label_of(&m.role, Role::parse, Role::label)),
    }
}

fn line(m: &Message) -> (String, String, String, String) {
    let position = m
        .position
        .as_deref()
        .and_then(AlaDecision::parse)
        .map(|p| p.label().to_owned())
        .unwrap_or_default();
    (
        speaker(m),
        domain::dates::long_with_time(m.at.naive_utc()),
        position,
        m.body.clone(),
    )
}

/// The threshold thread and the ALA views, when the case has reached them, from their
/// messages (read with the case: `service::case_read::PageParts`).
pub fn threads_of(folded: &CaseState, user: &User, challenge: &[Message], ala: &[Message]) -> Vec<Thread> {
    let discusses = user.role.may_discuss_decisions() && !folded.is_closed();
    let mut out = Vec::new();
    let not_met = folded
        .threshold
        .as_ref()
        .is_some_and(|t| t.value == ThresholdOutcome::NotMet);
    if not_met {
        let messages = challenge;
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
        let messages = ala;
        let given: Vec<String> = messages
            .iter()
            .map(|m| m.partner.clone().unwrap_or_else(|| m.role.clone()))
            .collect();
        let missing: Vec<&str> = AlaDecider::ALL
            .iter()
            .filter(|d| !given.iter().any(|g| g == d.as_str()))
            .map(|d| d.label())
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
    out
}

/// `POST /cases/{id}/discuss/{topic}`
pub async fn discuss(
    State(state): State<AppState>,
    Path((id, topic)): Path<(String, String)>,
    form: SignedForm,
) -> Result<Response, PageError> {
    let page_user = &form.user;
    let nav = Some(Nav::from(page_user));
    if !page_user.user.role.may_discuss_decisions() {
        return Err(PageError::forbidden(
            nav,
            "You cannot join this discussion",
            "Only the partner representatives and the Partnership Manager discuss here.",
        ));
    }
    let read = crate::service::case_read::read(&state, &page_user.user, &id, None)
        .await
        .map_err(|r| super::refused(page_user, r))?;
    let parts = read.page_parts(&state).await?;
    let open = threads_of(&read.folded, &page_user.user, &parts.challenge, &parts.ala)
        .into_iter()
        .find(|t| t.topic == topic)
        .filter(|t| t.can_post);
    let Some(thread) = open else {
        return Err(PageError::conflict(
            nav,
            "This discussion is closed",
            "The decision it was about has been made.",
        ));
    };
    let position = AlaDecision::parse(form.data.get("position")).map(AlaDecision::as_str);
    if thread.positions && position.is_none() {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            nav,
            "Your view was not recorded",
            "Choose whether to undertake the activity or take no action, then record your view.",
        ));
    }
    let Ok(text) = domain::events::Text::try_from(form.data.get("message")) else {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            nav,
            "Your message was not posted",
            "Write your message, then post it.",
        ));
    };
    let entry = crate::service::types::AuditEntry {
        at: state.clock.now(),
        actor: Some(page_user.user.email.clone()),
        action: "POST /cases/{id}/discuss/{topic}".into(),
        subject: None,
        case_id: Some(id.clone()),
        outcome: "303".into(),
    };
    crate::service::discussions::add_message(&state, &id, thread.topic, &page_user.user, position, &text, &entry)
        .await?;
    let mut response = Redirect::to(&format!("/cases/{id}?done=discussion#{}", thread.topic)).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    Ok(response)
}
