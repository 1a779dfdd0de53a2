//! The request counters of one instance, by route template (never a concrete path, so
//! no case id): counts by method and status, and a latency histogram, written out in the
//! Prometheus text format by `metrics`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};

/// The upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

#[derive(Debug, Default)]
struct Route {
    /// Requests by (method, status).
    counts: BTreeMap<(String, u16), u64>,
    /// Cumulative counts per bucket, then the sum and count of every request.
    buckets: [u64; BUCKETS.len()],
    seconds: f64,
    total: u64,
}

/// The counters of one instance.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    routes: Arc<Mutex<BTreeMap<String, Route>>>,
}

impl Metrics {
    pub(crate) fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let mut routes = match self.routes.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let r = routes.entry(route.to_owned()).or_default();
        *r.counts.entry((method.to_owned(), status)).or_default() += 1;
        for (bound, n) in BUCKETS.iter().zip(r.buckets.iter_mut()) {
            if seconds <= *bound {
                *n += 1;
            }
        }
        r.seconds += seconds;
        r.total += 1;
    }

    /// The request metrics in the text format.
    pub(crate) fn render_requests(&self, out: &mut String) {
        let routes = match self.routes.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        out.push_str(
            "# HELP rapid_review_http_requests_total Requests answered, by route template, method and status.\n",
        );
        out.push_str("# TYPE rapid_review_http_requests_total counter\n");
        for (route, r) in routes.iter() {
            for ((method, status), n) in &r.counts {
                let _ = writeln!(
                    out,
                    "rapid_review_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
                    label(route)
                );
            }
        }
        out.push_str("# HELP rapid_review_http_request_duration_seconds Time to answer, by route template.\n");
        out.push_str("# TYPE rapid_review_http_request_duration_seconds histogram\n");
        for (route, r) in routes.iter() {
            let route = label(route);
            for (bound, n) in BUCKETS.iter().zip(r.buckets.iter()) {
                let _ = writeln!(
                    out,
                    "rapid_review_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "rapid_review_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                r.total
            );
            let _ = writeln!(
                out,
                "rapid_review_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                r.seconds
            );
            let _ = writeln!(
                out,
                "rapid_review_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                r.total
            );
        }
    }
}

/// A label value escaped as the text format says.
fn label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}
