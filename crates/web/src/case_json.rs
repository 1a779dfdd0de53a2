//! The Case as API.md describes it: the stored history and the derived view, rendered
//! for one viewer (return links only for the Partnership Manager and Business Unit).

use domain::case::CaseView;
use domain::roles::Role;
use serde_json::{Map, Value, json};
use store::{CaseRecord, User};

pub fn case_json(record: &CaseRecord, view: &CaseView, viewer: &User) -> Value {
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
            let mut v = json!({
                "id": format!("{}-{}", record.reference, r.agency),
                "agency": r.agency,
                "sent_on": r.sent_on,
                "due": r.due,
                "received_on": r.received_on,
                "status": r.status,
            });
            if sees_links {
                // Return links arrive with the agency returns work.
                v["return_link"] = Value::Null;
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
    })
}
