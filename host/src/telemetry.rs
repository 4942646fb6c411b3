//! What operators watch the host by: Prometheus metrics on `/metrics`
//! (prometheus-client, the Prometheus project's own Rust client, in the
//! OpenMetrics text format every Prometheus scrapes) and the log ([`logs`]).
//!
//! The metrics are process-wide, as a scrape sees the process: messages in
//! and out, plugin calls by plugin, call and outcome with their latency,
//! the outbox's depth and retries, database commit latency, webhook answers
//! by class, and applications moved by officers.

pub mod logs;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use serde::Serialize;

use crate::store::{Store, now_ms};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabel {
    pub kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabel {
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PluginCallLabels {
    pub plugin: String,
    pub call: &'static str,
    /// `ok`, or what stopped the call (`trap`, `deadline-exceeded`, …).
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PluginLabel {
    pub plugin: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ClassLabel {
    pub class: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabel {
    pub reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabel {
    pub status: &'static str,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

/// The contract's calls, as the `call` label names them.
const PLUGIN_CALLS: [&str; 4] = ["describe", "check-eligibility", "fetch-data", "render-document"];

/// One plugin's call metrics, held by each of its loaded versions
/// ([`Metrics::plugin_meters`]); each handle counts into the same series as
/// the labelled family it came from.
pub struct PluginMeters {
    plugin: String,
    /// `plugin_calls{outcome="ok"}` for each of [`PLUGIN_CALLS`].
    ok: [Counter; PLUGIN_CALLS.len()],
    seconds: Histogram,
    on_spares: Counter,
    /// The dashboard's figures ([`Metrics::plugin_health`]).
    tally: Arc<Mutex<PluginTally>>,
}

impl PluginMeters {
    /// A call ended with `outcome` after `took`.
    pub fn call(&self, call: &'static str, outcome: &'static str, took: Duration) {
        match PLUGIN_CALLS.iter().position(|c| *c == call) {
            Some(i) if outcome == "ok" => self.ok[i].inc(),
            // Failures are rare: their series are found by label.
            _ => {
                let labels = PluginCallLabels { plugin: self.plugin.clone(), call, outcome };
                metrics().plugin_calls.get_or_create(&labels).inc()
            }
        };
        self.seconds.observe(took.as_secs_f64());
        self.tally.lock().expect("not poisoned").record(outcome, took);
    }

    /// A call was served by an instance made ahead of it.
    pub fn on_spare(&self) {
        self.on_spares.inc();
    }
}

impl std::fmt::Debug for PluginMeters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginMeters").field("plugin", &self.plugin).finish_non_exhaustive()
    }
}

/// Every metric the host keeps.
pub struct Metrics {
    registry: Registry,
    /// New inbound messages stored, by message type.
    pub messages_in: Family<KindLabel, Counter>,
    /// Outbox messages: `sent` (accepted by Meta), `retried`, `failed` (given up).
    pub messages_out: Family<OutcomeLabel, Counter>,
    pub plugin_calls: Family<PluginCallLabels, Counter>,
    pub plugin_call_seconds: HistogramFamily<PluginLabel>,
    /// Log lines plugins wrote past their per-call budget, dropped.
    pub plugin_log_lines_dropped: Family<PluginLabel, Counter>,
    /// Plugin calls served by an instance made ahead of them (a spare);
    /// the rest of a plugin's calls made their own.
    pub plugin_calls_on_spares: Family<PluginLabel, Counter>,
    /// Messages waiting in the outbox (read from the database at each scrape).
    pub outbox_depth: Gauge,
    pub db_commit_seconds: Histogram,
    /// Webhook answers: `2xx`, `4xx`, `5xx`.
    pub webhook_responses: Family<ClassLabel, Counter>,
    /// Webhooks refused (not from Meta), by reason: `signature`, `not_json`,
    /// `not_whatsapp`, `too_large`, `unreadable_body`.
    pub webhook_refused: Family<ReasonLabel, Counter>,
    /// What signed webhooks held that was acknowledged but not used, by
    /// reason: `field_not_handled`, `unreadable_change`, `kept_unsupported`,
    /// `no_sender`.
    pub webhook_unused: Family<ReasonLabel, Counter>,
    /// HTTP connections open now (see `web::serve`).
    pub http_connections: Gauge,
    /// Connections answered 503 at once because the host already had as
    /// many open as it serves (`MITRA_MAX_CONNECTIONS`).
    pub http_connections_refused: Counter,
    /// Payment callbacks refused, by reason: `forged`, `malformed`,
    /// `unknown-order`, `wrong-amount`.
    pub payment_callbacks_refused: Family<ReasonLabel, Counter>,
    /// What the payments reconciler did, by what: `found-by-query`,
    /// `expired`, `refunded`, `refund-failed`, `query-failed`.
    pub payments_reconciled: Family<ReasonLabel, Counter>,
    /// Steps officers took, by the status reached.
    pub applications_moved: Family<StatusLabel, Counter>,
    /// What the dashboard shows of plugins (prometheus-client's families
    /// are written, not read back).
    plugins: Mutex<HashMap<String, Arc<Mutex<PluginTally>>>>,
    /// Messages in and out per hour, the last [`HOURS_KEPT`].
    hourly: Mutex<VecDeque<HourCount>>,
}

/// Hours of message counts kept for the dashboard.
const HOURS_KEPT: usize = 48;
const HOUR_MS: i64 = 3_600_000;
/// Latency buckets of [`PluginTally`]: 20 µs doubling, as the histogram's.
const LATENCY_BUCKETS: usize = 18;

#[derive(Clone, Debug, Default)]
struct PluginTally {
    calls: u64,
    errors: u64,
    traps: u64,
    deadline_hits: u64,
    latency: [u64; LATENCY_BUCKETS + 1],
}

impl PluginTally {
    fn record(&mut self, outcome: &'static str, took: Duration) {
        self.calls += 1;
        if outcome != "ok" {
            self.errors += 1;
        }
        self.traps += u64::from(outcome == "trap" || outcome == "stack-overflow");
        self.deadline_hits += u64::from(outcome == "deadline-exceeded");
        // Bucket i holds calls up to 20 µs × 2^i.
        let micros = took.as_micros() as f64 / 20.0;
        let bucket = if micros <= 1.0 { 0 } else { (micros.log2().ceil() as usize).min(LATENCY_BUCKETS) };
        self.latency[bucket] += 1;
    }
}

/// A plugin's calls since the host started.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PluginHealth {
    pub plugin: String,
    pub calls: u64,
    pub errors: u64,
    pub traps: u64,
    pub deadline_hits: u64,
    pub p99_ms: f64,
}

/// Messages in and out in one hour.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HourCount {
    pub hour_ms: i64,
    #[serde(rename = "in")]
    pub received: u64,
    #[serde(rename = "out")]
    pub sent: u64,
}

fn plugin_call_histogram() -> Histogram {
    // 20 µs to ~2.6 s.
    Histogram::new(exponential_buckets(0.000_02, 2.0, 18))
}

impl Metrics {
    fn new() -> Self {
        let mut registry = Registry::with_prefix("mitra");
        let messages_in = Family::default();
        registry.register("messages_in", "Inbound WhatsApp messages stored, by type", messages_in.clone());
        let messages_out = Family::default();
        registry.register("messages_out", "Outbox messages sent, retried or given up", messages_out.clone());
        let plugin_calls = Family::default();
        registry.register("plugin_calls", "Plugin calls by plugin, call and outcome", plugin_calls.clone());
        let plugin_call_seconds: HistogramFamily<PluginLabel> = Family::new_with_constructor(plugin_call_histogram);
        registry.register("plugin_call_seconds", "Plugin call latency", plugin_call_seconds.clone());
        let plugin_log_lines_dropped = Family::default();
        registry.register(
            "plugin_log_lines_dropped",
            "Plugin log lines dropped past the per-call log budget",
            plugin_log_lines_dropped.clone(),
        );
        let plugin_calls_on_spares = Family::default();
        registry.register(
            "plugin_calls_on_spares",
            "Plugin calls served by an instance made ahead of them (the others made their own)",
            plugin_calls_on_spares.clone(),
        );
        let outbox_depth = Gauge::default();
        registry.register("outbox_depth", "Messages waiting to be sent", outbox_depth.clone());
        let db_commit_seconds = Histogram::new(exponential_buckets(0.000_1, 2.0, 16));
        registry.register("db_commit_seconds", "Latency of the writer's commits", db_commit_seconds.clone());
        let webhook_responses = Family::default();
        registry.register("webhook_responses", "Webhook answers by status class", webhook_responses.clone());
        let webhook_refused = Family::default();
        registry.register("webhook_refused", "Webhooks refused as not from Meta, by reason", webhook_refused.clone());
        let webhook_unused = Family::default();
        registry.register(
            "webhook_unused",
            "Parts of signed webhooks acknowledged but not used",
            webhook_unused.clone(),
        );
        let http_connections = Gauge::default();
        registry.register("http_connections", "HTTP connections open", http_connections.clone());
        let http_connections_refused = Counter::default();
        registry.register(
            "http_connections_refused",
            "HTTP connections answered 503 at once, over the host's connection limit",
            http_connections_refused.clone(),
        );
        let payment_callbacks_refused = Family::default();
        registry.register(
            "payment_callbacks_refused",
            "Payment gateway callbacks refused, by reason",
            payment_callbacks_refused.clone(),
        );
        let payments_reconciled = Family::default();
        registry.register(
            "payments_reconciled",
            "Payments found by the status query, expired, refunded, or whose gateway call failed",
            payments_reconciled.clone(),
        );
        registry.register(
            "digilocker_refused",
            "DigiLocker requests refused, by reason",
            crate::digilocker::refusals().clone(),
        );
        registry.register(
            "digilocker_unserved",
            "DigiLocker pulls answered without a document, by reason",
            crate::digilocker::unserved().clone(),
        );
        registry.register(
            "digilocker_pushes",
            "Save to DigiLocker: offered, requested, retried, saved, failed",
            crate::digilocker::pushes().clone(),
        );
        let applications_moved = Family::default();
        registry.register("applications_moved", "Officers' steps on applications", applications_moved.clone());
        Self {
            registry,
            messages_in,
            messages_out,
            plugin_calls,
            plugin_call_seconds,
            plugin_log_lines_dropped,
            plugin_calls_on_spares,
            outbox_depth,
            db_commit_seconds,
            webhook_responses,
            webhook_refused,
            webhook_unused,
            http_connections,
            http_connections_refused,
            payment_callbacks_refused,
            payments_reconciled,
            applications_moved,
            plugins: Mutex::default(),
            hourly: Mutex::default(),
        }
    }

    /// Counts messages received and sent now, for the hourly series.
    pub fn count_messages(&self, received: u64, sent: u64) {
        let hour_ms = now_ms().div_euclid(HOUR_MS) * HOUR_MS;
        let mut hourly = self.hourly.lock().expect("not poisoned");
        match hourly.back_mut() {
            Some(last) if last.hour_ms == hour_ms => {
                last.received += received;
                last.sent += sent;
            }
            _ => {
                hourly.push_back(HourCount { hour_ms, received, sent });
                while hourly.len() > HOURS_KEPT {
                    hourly.pop_front();
                }
            }
        }
    }

    /// Messages in and out per hour, oldest first (this host's, since it started).
    pub fn hourly(&self) -> Vec<HourCount> {
        self.hourly.lock().expect("not poisoned").iter().cloned().collect()
    }

    /// Every plugin's calls, errors and p99 latency since the host started.
    pub fn plugin_health(&self) -> Vec<PluginHealth> {
        let plugins = self.plugins.lock().expect("not poisoned");
        let mut health: Vec<PluginHealth> = plugins
            .iter()
            .filter_map(|(plugin, t)| {
                let t = t.lock().expect("not poisoned");
                // Loaded but not yet called: as before any version loaded.
                if t.calls == 0 {
                    return None;
                }
                let target = (t.calls as f64 * 0.99).ceil() as u64;
                let mut seen = 0;
                let bucket = t.latency.iter().position(|n| {
                    seen += n;
                    seen >= target.max(1)
                });
                let p99_ms = bucket.map_or(0.0, |i| 0.02 * 2f64.powi(i as i32));
                Some(PluginHealth {
                    plugin: plugin.clone(),
                    calls: t.calls,
                    errors: t.errors,
                    traps: t.traps,
                    deadline_hits: t.deadline_hits,
                    p99_ms,
                })
            })
            .collect();
        health.sort_by(|a, b| a.plugin.cmp(&b.plugin));
        health
    }

    /// A plugin's call metrics, found once (when its version loads) for
    /// the calls it makes: looking them up by label at every call (a
    /// string made and hashed per label) was a tenth of a call on an
    /// instance made ahead.
    pub fn plugin_meters(&self, plugin: &str) -> PluginMeters {
        let label = PluginLabel { plugin: plugin.to_owned() };
        PluginMeters {
            plugin: plugin.to_owned(),
            ok: PLUGIN_CALLS.map(|call| {
                self.plugin_calls
                    .get_or_create(&PluginCallLabels { plugin: plugin.to_owned(), call, outcome: "ok" })
                    .clone()
            }),
            seconds: self.plugin_call_seconds.get_or_create(&label).clone(),
            on_spares: self.plugin_calls_on_spares.get_or_create(&label).clone(),
            tally: self.plugins.lock().expect("not poisoned").entry(plugin.to_owned()).or_default().clone(),
        }
    }

    /// Log lines a plugin's call wrote past its budget.
    pub fn plugin_log_dropped(&self, plugin: &str, lines: u64) {
        self.plugin_log_lines_dropped.get_or_create(&PluginLabel { plugin: plugin.to_owned() }).inc_by(lines);
    }

    pub fn message_out(&self, outcome: &'static str) {
        self.messages_out.get_or_create(&OutcomeLabel { outcome }).inc();
        if outcome == "sent" {
            self.count_messages(0, 1);
        }
    }

    pub fn webhook_answered(&self, status: StatusCode) {
        let class = match status.as_u16() {
            200..=299 => "2xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        self.webhook_responses.get_or_create(&ClassLabel { class }).inc();
    }

    /// The OpenMetrics text of every metric.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry).expect("writing to a String");
        out
    }
}

/// The process's metrics.
pub fn metrics() -> &'static Metrics {
    static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);
    &METRICS
}

/// `GET /metrics` (no token: scrape it from the private network only).
pub fn router(store: Store) -> Router {
    Router::new().route("/metrics", get(scrape)).with_state(store)
}

async fn scrape(State(store): State<Store>) -> Response {
    match store.outbox_depth().await {
        Ok(depth) => {
            metrics().outbox_depth.set(depth);
        }
        Err(error) => tracing::warn!(error = format!("{error:#}"), "outbox depth unavailable for /metrics"),
    }
    let content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    ([(header::CONTENT_TYPE, content_type)], metrics().encode()).into_response()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::metrics;

    #[test]
    fn a_plugins_meters_count_into_the_series_and_health_its_families_show() {
        let plugin = "meters-test-plugin";
        let meters = metrics().plugin_meters(plugin);
        assert!(
            metrics().plugin_health().iter().all(|h| h.plugin != plugin),
            "a plugin loaded but never called is not on the dashboard"
        );
        meters.call("check-eligibility", "ok", Duration::from_micros(30));
        meters.call("fetch-data", "trap", Duration::from_micros(50));
        meters.on_spare();
        // Another version of the same plugin counts into the same series.
        metrics().plugin_meters(plugin).call("check-eligibility", "ok", Duration::from_micros(10));

        let text = metrics().encode();
        for expected in [
            format!(r#"mitra_plugin_calls_total{{plugin="{plugin}",call="check-eligibility",outcome="ok"}} 2"#),
            format!(r#"mitra_plugin_calls_total{{plugin="{plugin}",call="fetch-data",outcome="trap"}} 1"#),
            format!(r#"mitra_plugin_call_seconds_count{{plugin="{plugin}"}} 3"#),
            format!(r#"mitra_plugin_calls_on_spares_total{{plugin="{plugin}"}} 1"#),
        ] {
            assert!(text.lines().any(|line| line == expected), "{expected} not in:\n{text}");
        }
        let health = metrics().plugin_health().into_iter().find(|h| h.plugin == plugin).expect("on the dashboard");
        assert_eq!((health.calls, health.errors, health.traps), (3, 1, 1));
    }
}
