//! Cases: loading one for a user, opening one, and recording a step on one, with the
//! roles' rules (who may record which step, and who may correct an event).

use domain::case::CaseView;
use domain::events::{AlaDecider, EventKind, EventPayload, EventRequest};
use domain::roles::Role;
use store::{Appended, CaseRecord, IdempotencyClaim, User, WriteContext};

use super::Refused;
use crate::state::AppState;

/// The derived view of a case's folded state on the service's business date.
pub fn view_of(state: &AppState, folded: &domain::process::CaseState) -> CaseView {
    let settings = state.settings();
    CaseView::of_state(folded, &settings.calendar, &settings.rules, state.clock.today())
}

/// The case `id` for `user`: refused for a role that sees no cases, not found when
/// there is none.
pub async fn load(state: &AppState, user: &User, id: &str) -> Result<CaseRecord, Refused> {
    may_see_cases(user)?;
    state.store.case(id).await?.ok_or_else(Refused::no_such_case)
}

/// Refused for a role that sees no cases.
pub fn may_see_cases(user: &User) -> Result<(), Refused> {
    if user.role.may_see_cases() {
        return Ok(());
    }
    Err(Refused::Forbidden(format!(
        "the {} role does not give access to cases",
        user.role.label()
    )))
}

/// Opens a case with its incident report; `action` names the route for the audit, and
/// `idempotency` is the client's key, claimed with the write.
pub async fn open(
    state: &AppState,
    user: &User,
    request: EventRequest,
    action: &str,
    idempotency: Option<&IdempotencyClaim>,
) -> Result<Appended, Refused> {
    if !user.role.may_open_cases() {
        return Err(Refused::Forbidden(format!(
            "the {} role does not open cases",
            user.role.label()
        )));
    }
    let settings = state.settings();
    let ctx = WriteContext {
        idempotency,
        ..context(state, user, &settings, action)
    };
    Ok(state.store.create_case_folded(request.event, ctx).await?)
}

/// Every message about case `id`, oldest first: what the case's correspondence lists.
pub async fn messages(state: &AppState, id: &str) -> Result<Vec<store::OutboxMessage>, Refused> {
    Ok(state.store.case_messages(id).await?)
}

/// Proof that a user may record a step of one kind on one case, as [`authorise`] found:
/// what [`record_authorised`] takes, so that a step is authorised once.
#[derive(Debug)]
pub struct Authorised {
    user_id: i64,
    case_id: String,
    kind: EventKind,
    corrects: Option<u64>,
}

impl Authorised {
    /// Whether it covers recording `request` as `user` on case `id`.
    fn covers(&self, user: &User, id: &str, request: &EventRequest) -> bool {
        self.user_id == user.id
            && self.case_id == id
            && self.kind == request.event.kind()
            && self.corrects == corrects_of(request)
    }
}

/// The version an `event_corrected` corrects.
fn corrects_of(request: &EventRequest) -> Option<u64> {
    match &request.event.payload {
        EventPayload::EventCorrected(c) => Some(u64::from(c.corrects.get())),
        _ => None,
    }
}

/// Whether `user` may record a step of `kind` on case `id`: the role's rule, and for a
/// correction, also whoever recorded the event it corrects (`corrects`).
pub async fn authorise(
    state: &AppState,
    user: &User,
    id: &str,
    kind: EventKind,
    corrects: Option<u64>,
) -> Result<Authorised, Refused> {
    let authorised = Authorised {
        user_id: user.id,
        case_id: id.to_owned(),
        kind,
        corrects,
    };
    if user.role.may_record(kind) {
        return Ok(authorised);
    }
    let record = load(state, user, id).await?;
    if kind == EventKind::EventCorrected && user.role != Role::PartnershipManager {
        let recorded_by_user = record
            .events
            .iter()
            .zip(&record.meta)
            .any(|(e, m)| Some(u64::from(e.version.get())) == corrects && m.actor_id == Some(user.id));
        if recorded_by_user {
            return Ok(authorised);
        }
        return Err(Refused::Forbidden(
            "only the person who recorded an event, or the Partnership Manager, may correct it".into(),
        ));
    }
    Err(Refused::Forbidden(format!(
        "the {} role does not record this step ({})",
        user.role.label(),
        kind.as_str()
    )))
}

/// Records a step on case `id`, authorising the user for it first.
pub async fn record(
    state: &AppState,
    user: &User,
    id: &str,
    request: EventRequest,
    action: &str,
    idempotency: Option<&IdempotencyClaim>,
) -> Result<Appended, Refused> {
    let authorised = authorise(state, user, id, request.event.kind(), corrects_of(&request)).await?;
    record_authorised(state, user, authorised, request, action, idempotency).await
}

/// Records a step the user was authorised for (by [`authorise`], once: the API
/// authorises before it reads the fields, so that a 403 never waits on a 422). A proof
/// for another step, case or user is checked again.
pub async fn record_authorised(
    state: &AppState,
    user: &User,
    authorised: Authorised,
    mut request: EventRequest,
    action: &str,
    idempotency: Option<&IdempotencyClaim>,
) -> Result<Appended, Refused> {
    let id = authorised.case_id.clone();
    let id = id.as_str();
    if !authorised.covers(user, id, &request) {
        authorise(state, user, id, request.event.kind(), corrects_of(&request)).await?;
    }
    speaking_for_oneself(user, &mut request.event.payload)?;
    if let EventPayload::LearningActionAdded(p) = &request.event.payload {
        let directory = super::agencies::names(state).await?;
        if !directory.iter().any(|(slug, _)| slug == p.owner_agency.as_str()) {
            return Err(Refused::Invalid(domain::events::FieldError::new(
                "owner_agency",
                format!("{} is not an agency in the directory", p.owner_agency),
            )));
        }
    }
    if let EventPayload::RapidReviewSubmitted(p) = &request.event.payload
        && p.without_sign_off_reason.is_some()
        && user.role != Role::PartnershipManager
    {
        return Err(Refused::Forbidden(
            "only the Partnership Manager decides that the Rapid Review goes without a partner's sign-off (without_sign_off_reason)".into(),
        ));
    }
    if let EventPayload::OutcomeCommunicated(p) = &request.event.payload
        && p.closing_reason.is_some()
        && user.role != Role::PartnershipManager
    {
        return Err(Refused::Forbidden(
            "only the Partnership Manager closes the list of those told the outcome (closing_reason)".into(),
        ));
    }
    let settings = state.settings();
    let ctx = WriteContext {
        idempotency,
        ..context(state, user, &settings, action)
    };
    Ok(state.store.append_event_folded(id, request, ctx).await?)
}

/// A view on a challenge or an ALA is the recorder's own: a partner rep speaks for
/// their partner, the Partnership Manager for themselves. A view that names someone
/// else is refused.
fn speaking_for_oneself(user: &User, payload: &mut EventPayload) -> Result<(), Refused> {
    let named = match payload {
        EventPayload::ChallengeViewRecorded(p) => &mut p.on_behalf_of,
        EventPayload::AlaViewRecorded(p) => &mut p.on_behalf_of,
        _ => return Ok(()),
    };
    let own = match (user.role, user.partner) {
        (Role::PartnershipManager, _) => AlaDecider::PartnershipManager,
        (Role::PartnerRep, Some(partner)) => AlaDecider::of_partner(partner),
        (Role::PartnerRep, None) => {
            return Err(Refused::Forbidden(
                "your account names no partner, so it cannot give a partner's view; ask an administrator to set it"
                    .into(),
            ));
        }
        // The role check refuses these with its own message.
        _ => return Ok(()),
    };
    if named.is_some_and(|n| n != own) {
        return Err(Refused::Forbidden(format!(
            "you record your own view only: yours is the {} view",
            own.label()
        )));
    }
    *named = Some(own);
    Ok(())
}

fn context<'a>(
    state: &AppState,
    user: &'a User,
    settings: &'a crate::state::Settings,
    action: &'a str,
) -> WriteContext<'a> {
    WriteContext {
        today: state.clock.today(),
        at: state.clock.now(),
        calendar: &settings.calendar,
        rules: &settings.rules,
        actor: user,
        action,
        idempotency: None,
    }
}
