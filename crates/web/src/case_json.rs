//! The Case as docs/api.md describes it: the stored history and the derived view, rendered
//! for one viewer (return links only for the Partnership Manager and Business Unit).

use chrono::NaiveDate;
use domain::case::CaseView;
use domain::notices::Notice;
use domain::roles::Role;
use serde_json::{Map, Value, json};
use store::{CaseRecord, OutboxMessage, OutboxStatus, User};

pub use crate::service::requests::RequestLine;

/// One entry of the case's `correspondence` per message sent or waiting: to whom,
/// about what (the step recorded, or the reminder, chase or link message), where it is,
/// and the files it carries.
pub fn correspondence(
    record: &CaseRecord,
    folded: &domain::process::CaseState,
    messages: &[OutboxMessage],
    secure_email: &[String],
) -> Vec<Value> {
    let not_met = folded.path() == domain::process::Path::NoSeriousHarm;
    let template_version = record.events.iter().find_map(|e| match &e.payload {
        domain::events::EventPayload::RapidReviewSubmitted(p) => p.template_version,
        _ => None,
    });
    messages
        .iter()
        .filter(|m| m.notice != Notice::Digest)
        .map(|m| {
            let about = match (m.notice, m.event_version) {
                (Notice::Event, Some(v)) => record
                    .events
                    .iter()
                    .find(|e| e.version.get() == v)
                    .map_or("event", |e| e.payload.kind().as_str()),
                (notice, _) => notice.as_str(),
            };
            let status = match m.status {
                OutboxStatus::Sent | OutboxStatus::Digested => "sent",
                OutboxStatus::Failed => "failed",
                OutboxStatus::Queued | OutboxStatus::Held => "queued",
            };
            let attachments = documents::file_names::enclosed(
                m.enclosure,
                documents::file_names::Enclosed {
                    reference: &record.reference,
                    agency: m.agency.as_ref(),
                    secure_email: m
                        .agency
                        .as_ref()
                        .is_some_and(|a| secure_email.iter().any(|s| s == a.as_str())),
                    not_met,
                    template_version,
                },
            );
            let mut entry = json!({
                "id": m.id,
                "to": m.recipient,
                "about": about,
                "status": status,
                "attachments": attachments,
            });
            if let Some(agency) = &m.agency {
                entry["agency"] = json!(agency);
            }
            if let Some(step) = m.step {
                entry["step"] = json!(step);
            }
            if let Some(action) = m.action {
                entry["action"] = json!(action.to_string());
            }
            if let (true, Some(at)) = (status == "sent", m.sent_at) {
                entry["sent_at"] = json!(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            }
            entry
        })
        .collect()
}

pub fn case_json(
    record: &CaseRecord,
    view: &CaseView,
    viewer: &User,
    requests: &[RequestLine],
    correspondence: Vec<Value>,
    today: NaiveDate,
) -> Value {
    let events: Vec<Value> = record
        .events
        .iter()
        .zip(&record.meta)
        .map(|(event, meta)| {
            let mut map = Map::new();
            map.insert("version".into(), json!(event.version.get()));
            map.insert("type".into(), json!(event.payload.kind().as_str()));
            map.insert("on".into(), json!(event.on));
            map.insert(
                "recorded_at".into(),
                json!(meta.recorded_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            );
            map.insert("actor".into(), json!(meta.actor));
            for (key, value) in event.payload.fields() {
                map.entry(key).or_insert(value);
            }
            Value::Object(map)
        })
        .collect();
    let sees_links = matches!(viewer.role, Role::PartnershipManager | Role::BusinessUnit);
    let requests: Vec<Value> = view
        .agency_requests
        .iter()
        .map(|r| {
            let line = requests.iter().find(|l| l.request.agency == r.agency);
            let mut v = json!({
                "id": line.map(|l| l.request.id.clone()),
                "agency": r.agency,
                "sent_on": r.sent_on,
                "due": r.due,
                "received_on": r.received_on,
                "status": line.map_or_else(|| json!(r.status), |l| json!(l.request.state().status(today))),
            });
            if sees_links {
                v["return_link"] = json!(line.and_then(|l| l.link.clone()));
            }
            v
        })
        .collect();
    json!({
        "id": record.id,
        "reference": record.reference,
        "version": record.version(),
        "route": view.route,
        "path": view.path,
        "stage": view.stage,
        "state": view.state,
        "aware_on": view.aware_on,
        "opened_on": view.opened_on,
        "events": events,
        "deadlines": view.deadlines,
        "agency_requests": requests,
        "correspondence": correspondence,
    })
}
