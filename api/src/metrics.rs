//! What the hub exposes for Prometheus (docs/OPERATIONS.md has every metric
//! and example alerts). Counts kept as the hub works (requests, latency,
//! jobs, delivery failures) live here; backlogs that every instance shares
//! (the outbox, overdue requests, the audit log) are read from the database
//! when scraped, so two instances report the same figure for them. The
//! HTTP side (the scrape and the counting middleware) is metrics_http.rs.

use std::sync::atomic::AtomicU64;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The route's pattern (`/api/v1/cases/{id}`), never the path itself:
    /// ids would make the series unbounded.
    pub route: String,
    pub method: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
    pub method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct JobLabels {
    pub job: String,
}

type Seconds = Gauge<f64, AtomicU64>;

fn latency_histogram() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    pub job_last_run: Family<JobLabels, Seconds>,
    pub job_duration: Family<JobLabels, Seconds>,
    pub job_failures: Family<JobLabels, Counter>,
    pub delivery_failures: Counter,
    // Read at each scrape.
    pub db_connections: Gauge,
    pub db_idle: Gauge,
    pub db_checkouts: Counter,
    pub db_checkout_wait: Counter<f64, AtomicU64>,
    pub hash_queue: Gauge,
    pub hashes: Counter,
    pub hash_wait: Counter<f64, AtomicU64>,
    pub outbox_pending: Gauge,
    pub outbox_oldest_age: Seconds,
    pub webhook_backlog: Gauge,
    pub webhook_oldest_age: Seconds,
    pub webhook_deliveries: Counter,
    pub webhook_failures: Counter,
    pub overdue_requests: Gauge,
    pub audit_entries: Gauge,
    pub audit_pending: Gauge,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("ehc");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered, by route, method and status", requests.clone());
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        registry.register("http_request_duration_seconds", "Time to answer, by route and method", latency.clone());
        let job_last_run = Family::<JobLabels, Seconds>::default();
        registry.register(
            "job_last_run_timestamp_seconds",
            "When each scheduled job last finished (Unix time)",
            job_last_run.clone(),
        );
        let job_duration = Family::<JobLabels, Seconds>::default();
        registry.register("job_duration_seconds", "How long each scheduled job's last run took", job_duration.clone());
        let job_failures = Family::<JobLabels, Counter>::default();
        registry.register("job_failures", "Scheduled job runs that failed (they retry)", job_failures.clone());
        let delivery_failures = Counter::default();
        registry.register(
            "notification_delivery_failures",
            "E-mails not delivered (retried later)",
            delivery_failures.clone(),
        );
        let db_connections = Gauge::default();
        registry.register("db_pool_connections", "Connections the pool holds", db_connections.clone());
        let db_idle = Gauge::default();
        registry.register("db_pool_idle_connections", "Of those, idle", db_idle.clone());
        let db_checkouts = Counter::default();
        registry.register("db_pool_checkouts", "Connections taken from the pool", db_checkouts.clone());
        let db_checkout_wait = Counter::<f64, AtomicU64>::default();
        registry.register(
            "db_pool_wait_seconds",
            "Time spent waiting for a pooled connection",
            db_checkout_wait.clone(),
        );
        let hash_queue = Gauge::default();
        registry.register("password_hash_queue", "Password hashes waiting for a hashing thread", hash_queue.clone());
        let hashes = Counter::default();
        registry.register("password_hashes", "Password hashes and verifications done", hashes.clone());
        let hash_wait = Counter::<f64, AtomicU64>::default();
        registry.register("password_hash_wait_seconds", "Time hashes waited in the queue", hash_wait.clone());
        let outbox_pending = Gauge::default();
        registry.register("outbox_pending", "Notifications not yet delivered", outbox_pending.clone());
        let outbox_oldest_age = Seconds::default();
        registry.register(
            "outbox_oldest_age_seconds",
            "Age of the oldest notification not yet delivered (0 when none)",
            outbox_oldest_age.clone(),
        );
        let webhook_backlog = Gauge::default();
        registry.register("webhook_backlog", "Webhook deliveries neither made nor given up", webhook_backlog.clone());
        let webhook_oldest_age = Seconds::default();
        registry.register(
            "webhook_oldest_age_seconds",
            "Age of the oldest webhook delivery not yet made (0 when none)",
            webhook_oldest_age.clone(),
        );
        let webhook_deliveries = Counter::default();
        registry.register("webhook_deliveries", "Webhook messages a receiver accepted", webhook_deliveries.clone());
        let webhook_failures = Counter::default();
        registry.register(
            "webhook_delivery_failures",
            "Webhook attempts a receiver refused or did not answer (retried on the schedule)",
            webhook_failures.clone(),
        );
        let overdue_requests = Gauge::default();
        registry.register(
            "advice_requests_overdue",
            "Open requests for advice past their statutory due date",
            overdue_requests.clone(),
        );
        let audit_entries = Gauge::default();
        registry.register("audit_entries", "Entries in the audit log's hash chain", audit_entries.clone());
        let audit_pending = Gauge::default();
        registry.register(
            "audit_pending",
            "Audit entries committed, waiting to be linked into the chain",
            audit_pending.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            job_last_run,
            job_duration,
            job_failures,
            delivery_failures,
            db_connections,
            db_idle,
            db_checkouts,
            db_checkout_wait,
            hash_queue,
            hashes,
            hash_wait,
            outbox_pending,
            outbox_oldest_age,
            webhook_backlog,
            webhook_oldest_age,
            webhook_deliveries,
            webhook_failures,
            overdue_requests,
            audit_entries,
            audit_pending,
        }
    }

    /// A scheduled job's run: when it ended, how long it took, and whether it failed.
    pub fn job_ran(&self, job: &str, took: Duration, failed: bool) {
        let labels = JobLabels { job: job.to_owned() };
        let now = chrono::Utc::now().timestamp_millis() as f64 / 1000.0;
        self.job_last_run.get_or_create(&labels).set(now);
        self.job_duration.get_or_create(&labels).set(took.as_secs_f64());
        if failed {
            self.job_failures.get_or_create(&labels).inc();
        }
    }

    /// The text exposition (OpenMetrics).
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}
