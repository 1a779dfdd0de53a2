//! The Case as docs/api.md describes it: the stored history and the derived view, rendered
//! for one viewer (return links only for the Partnership Manager and Business Unit).

use chrono::NaiveDate;
use domain::case::CaseView;
use domain::roles::Role;
use serde_json::{Map, Value, json};
use store::{CaseRecord, User};

pub use crate::service::requests::RequestLine;

pub fn case_json(
    record: &CaseRecord,
    view: &CaseView,
    viewer: &User,
    requests: &[RequestLine],
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
    })
}
