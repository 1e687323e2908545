//! What `/metrics` tells Prometheus: requests by route and status, their latency, job runs and
//! payments recorded, counted in this process (each instance is scraped on its own). The
//! outbox depth is read from the database at each scrape. Routes are axum's templates
//! (`/disputes/{id}`), never raw paths: no secret from a link reaches the metrics, and the
//! number of series stays bounded.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 30.0,
];

#[derive(Default)]
struct RouteStats {
    by_status: BTreeMap<u16, u64>,
    /// Requests at or under each bound (cumulative when rendered).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_secs: f64,
}

#[derive(Default)]
pub struct Metrics {
    routes: Mutex<HashMap<String, RouteStats>>,
    jobs: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    payments: AtomicU64,
}

impl Metrics {
    /// One answered request, under its route template.
    pub fn request(&self, route: &str, status: u16, took: Duration) {
        let secs = took.as_secs_f64();
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        if !routes.contains_key(route) {
            routes.insert(route.to_string(), RouteStats::default());
        }
        let Some(r) = routes.get_mut(route) else {
            return;
        };
        *r.by_status.entry(status).or_default() += 1;
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            r.buckets[i] += 1;
        }
        r.count += 1;
        r.sum_secs += secs;
    }

    /// One run of a background job, and whether it failed.
    pub fn job(&self, job: &'static str, ok: bool) {
        let outcome = if ok { "ok" } else { "error" };
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        *jobs.entry((job, outcome)).or_default() += 1;
    }

    /// One payment recorded against a debtor's invoices.
    pub fn payment(&self) {
        self.payments.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text format; `outbox` is the mail waiting to be sent.
    pub fn render(&self, outbox: Option<i64>) -> String {
        let mut out = String::new();
        let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let mut names: Vec<&String> = routes.keys().collect();
        names.sort();
        out.push_str("# HELP amiable_http_requests_total Requests answered, by route and status.\n# TYPE amiable_http_requests_total counter\n");
        for name in &names {
            for (status, n) in &routes[*name].by_status {
                let _ = writeln!(
                    out,
                    "amiable_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    label(name)
                );
            }
        }
        out.push_str("# HELP amiable_http_request_duration_seconds Time to answer, by route.\n# TYPE amiable_http_request_duration_seconds histogram\n");
        for name in &names {
            let r = &routes[*name];
            let route = label(name);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(r.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "amiable_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "amiable_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\namiable_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\namiable_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                r.count, r.sum_secs, r.count
            );
        }
        drop(routes);
        out.push_str("# HELP amiable_job_runs_total Background job runs, by job and outcome.\n# TYPE amiable_job_runs_total counter\n");
        for ((job, outcome), n) in self.jobs.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            let _ = writeln!(
                out,
                "amiable_job_runs_total{{job=\"{job}\",outcome=\"{outcome}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP amiable_payments_recorded_total Payments recorded by this instance.\n# TYPE amiable_payments_recorded_total counter\namiable_payments_recorded_total {}",
            self.payments.load(Ordering::Relaxed)
        );
        if let Some(n) = outbox {
            let _ = writeln!(
                out,
                "# HELP amiable_outbox_depth Mail waiting to be sent.\n# TYPE amiable_outbox_depth gauge\namiable_outbox_depth {n}"
            );
        }
        out
    }
}

/// A label value, escaped as the text format asks.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_requests_in_cumulative_buckets() {
        let m = Metrics::default();
        m.request("/statement", 200, Duration::from_micros(800));
        m.request("/statement", 200, Duration::from_millis(20));
        m.request("/statement", 401, Duration::from_secs(60));
        m.job("outbox", true);
        m.payment();
        let text = m.render(Some(3));
        for line in [
            "amiable_http_requests_total{route=\"/statement\",status=\"200\"} 2",
            "amiable_http_requests_total{route=\"/statement\",status=\"401\"} 1",
            "amiable_http_request_duration_seconds_bucket{route=\"/statement\",le=\"0.001\"} 1",
            "amiable_http_request_duration_seconds_bucket{route=\"/statement\",le=\"0.025\"} 2",
            "amiable_http_request_duration_seconds_bucket{route=\"/statement\",le=\"30\"} 2",
            "amiable_http_request_duration_seconds_bucket{route=\"/statement\",le=\"+Inf\"} 3",
            "amiable_http_request_duration_seconds_count{route=\"/statement\"} 3",
            "amiable_job_runs_total{job=\"outbox\",outcome=\"ok\"} 1",
            "amiable_payments_recorded_total 1",
            "amiable_outbox_depth 3",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
        }
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
