//! The process: a case's state is the fold of its events ([`fold`]); a new event is
//! appended only if the process allows it after them ([`record`]). Corrections never
//! edit history: an `event_corrected` event amends an earlier one, and the fold reads
//! the amended version in the original's place.

pub mod allowed;
pub mod stage;
pub mod state;

use chrono::NaiveDate;
use serde_json::Value;

pub use allowed::Refusal;
pub use stage::Stage;
pub use state::*;

use crate::events::{Event, EventKind, EventPayload, FieldError, NewEvent, Version};

#[cfg(feature = "count-folds")]
thread_local! {
    static FOLDS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many times [`fold`] ran on this thread, for the test that a write folds its case
/// once (feature `count-folds`, for tests only: a counter, no I/O).
#[cfg(feature = "count-folds")]
pub fn folds_on_this_thread() -> usize {
    FOLDS.with(std::cell::Cell::get)
}

/// The state after `events`, in version order. Total: a stored history is always read.
pub fn fold(events: &[Event]) -> CaseState {
    #[cfg(feature = "count-folds")]
    FOLDS.with(|n| n.set(n.get() + 1));
    let mut state = CaseState::default();
    let corrected = events.iter().any(|e| e.payload.kind() == EventKind::EventCorrected);
    if corrected {
        for e in effective_events(events, Leniency::SkipBad).unwrap_or_default() {
            state.apply(e.version, e.on, &e.payload);
        }
        for e in events {
            if let EventPayload::EventCorrected(c) = &e.payload {
                state.corrections.push(c.corrects);
            }
        }
    } else {
        for e in events {
            state.apply(e.version, e.on, &e.payload);
        }
    }
    state.version = events.last().map(|e| e.version);
    state
}

/// Checks `new` against `history` and returns the event to append, with its version.
pub fn record(history: &[Event], new: NewEvent, today: NaiveDate) -> Result<Event, Refusal> {
    record_after(&fold(history), history, new, today)
}

/// The state after `events` (whose last is the one just appended), from `before`, the
/// state of the events before it: the new event applied to it, without folding the
/// history again. A correction changes what came before, so after one (or on a history
/// that has one) the history is folded anew.
pub fn fold_with(before: &CaseState, events: &[Event]) -> CaseState {
    let corrected = events.iter().any(|e| e.payload.kind() == EventKind::EventCorrected);
    match events.last() {
        Some(last) if !corrected => {
            let mut state = before.clone();
            state.apply(last.version, last.on, &last.payload);
            state.version = Some(last.version);
            state
        }
        _ => fold(events),
    }
}

/// [`record`], with `state` the fold of `history` already worked out.
pub fn record_after(state: &CaseState, history: &[Event], new: NewEvent, today: NaiveDate) -> Result<Event, Refusal> {
    state.check(&new, today)?;
    let version = history.last().map_or(Version::FIRST, |e| e.version.next());
    let mut event = Event {
        version,
        on: new.on,
        payload: new.payload,
    };
    // Left out, the recipients are everyone not told yet (unless the list is closed).
    if let EventPayload::OutcomeCommunicated(p) = &mut event.payload
        && p.recipients.is_empty()
        && p.closing_reason.is_none()
    {
        p.recipients = state.outcome_owed();
    }
    if let EventPayload::EventCorrected(c) = &event.payload {
        let Some(target) = history.iter().find(|e| e.version == c.corrects) else {
            return Err(Refusal::Invalid(FieldError::new(
                "corrects",
                format!("this case has no event {}", c.corrects),
            )));
        };
        if target.payload.kind() == EventKind::EventCorrected {
            return Err(Refusal::Invalid(FieldError::new(
                "corrects",
                "a correction cannot itself be corrected; correct the original event again",
            )));
        }
        // What the service filled in from other records is not for a correction to say.
        const FILLED_IN: [&str; 5] = [
            "template_version",
            "signed_off_by",
            "on_behalf_of",
            "warnings",
            "recipients",
        ];
        if let Some(key) = c.fields.keys().find(|k| FILLED_IN.contains(&k.as_str())) {
            return Err(Refusal::Invalid(FieldError::new(
                format!("fields.{key}"),
                "is filled in by the service when the step is recorded, and cannot be corrected",
            )));
        }
        let mut candidate = history.to_vec();
        candidate.push(event.clone());
        let effective = effective_events(&candidate, Leniency::Strict).map_err(Refusal::Invalid)?;
        replay(&effective, today)?;
    }
    Ok(event)
}

/// Re-checks a whole corrected history from the start.
fn replay(effective: &[Event], today: NaiveDate) -> Result<(), Refusal> {
    let mut state = CaseState::default();
    for e in effective {
        let new = NewEvent {
            on: e.on,
            payload: e.payload.clone(),
        };
        state.check(&new, today).map_err(|refusal| {
            Refusal::NotAllowedNow(format!(
                "the correction would make event {} ({}) invalid: {refusal}",
                e.version,
                e.payload.kind().as_str()
            ))
        })?;
        state.apply(e.version, e.on, &e.payload);
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Leniency {
    Strict,
    SkipBad,
}

/// The history as it reads after its corrections: each corrected event carries its
/// amended fields and date, and the corrections themselves drop out.
fn effective_events(events: &[Event], leniency: Leniency) -> Result<Vec<Event>, FieldError> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    for e in events {
        let EventPayload::EventCorrected(c) = &e.payload else {
            out.push(e.clone());
            continue;
        };
        let Some(target) = out.iter_mut().find(|t| t.version == c.corrects) else {
            if leniency == Leniency::Strict {
                return Err(FieldError::new(
                    "corrects",
                    format!("this case has no event {}", c.corrects),
                ));
            }
            continue;
        };
        match amend(target, &c.fields) {
            Ok((on, payload)) => {
                target.on = on;
                target.payload = payload;
            }
            Err(err) if leniency == Leniency::Strict => return Err(err),
            Err(_) => {}
        }
    }
    Ok(out)
}

fn amend(target: &Event, corrected: &serde_json::Map<String, Value>) -> Result<(NaiveDate, EventPayload), FieldError> {
    let mut fields = target.payload.fields();
    let mut on = target.on;
    for (key, value) in corrected {
        if key == "on" {
            on = serde_json::from_value(value.clone())
                .map_err(|_| FieldError::new("fields.on", "must be a real date as YYYY-MM-DD"))?;
        } else {
            fields.insert(key.clone(), value.clone());
        }
    }
    let payload =
        EventPayload::from_fields(target.payload.kind(), Value::Object(fields)).map_err(|e| e.within("fields"))?;
    // A misspelt key would otherwise be dropped without a word.
    let known = payload.fields();
    if let Some(key) = corrected
        .keys()
        .find(|k| *k != "on" && !known.contains_key(*k) && !corrected[*k].is_null())
    {
        return Err(FieldError::new(
            format!("fields.{key}"),
            format!("is not a field of {}", target.payload.kind().as_str()),
        ));
    }
    Ok((on, payload))
}

#[cfg(test)]
mod tests;

/// The incident as reported, with every correction of it applied (folding keeps only
/// its dates).
pub fn corrected_incident(events: &[crate::events::Event]) -> Option<crate::events::IncidentReported> {
    use crate::events::EventPayload;
    let first = events.first()?;
    let mut fields = first.payload.fields();
    for e in events {
        if let EventPayload::EventCorrected(c) = &e.payload
            && c.corrects == first.version
        {
            for (k, v) in &c.fields {
                fields.insert(k.clone(), v.clone());
            }
        }
    }
    serde_json::from_value(serde_json::Value::Object(fields)).ok()
}
