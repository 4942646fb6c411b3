//! Sending through the Graph API: the outbox sender with a per-number rate
//! limit, retries with backoff on throttling and server errors, and a bound
//! after which a message is recorded as failed.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::{Notify, Semaphore};

use crate::store::{OutboxItem, Store, now_ms};

/// Where and how to send.
#[derive(Clone, Debug)]
pub struct GraphConfig {
    /// e.g. `https://graph.facebook.com` (or the local fake).
    pub base_url: String,
    pub version: String,
    pub token: String,
    /// Messages per second per business number (80 by default, up to 1,000).
    pub rate_per_number: u32,
    /// Attempts before a message is given up.
    pub max_attempts: i64,
}

impl Default for GraphConfig {
    fn default() -> Self {
        Self {
            base_url: "https://graph.facebook.com".into(),
            version: "v21.0".into(),
            token: String::new(),
            rate_per_number: 80,
            max_attempts: 8,
        }
    }
}

/// Error codes Meta uses for throttling: retry later.
const THROTTLED: &[i64] = &[4, 80007, 130429, 131048, 131056, 133016];

/// What one attempt came to.
#[derive(Debug, PartialEq)]
enum Outcome {
    Sent(String),
    Retry(String),
    Fail(String),
}

/// Runs the sender until the process ends.
pub async fn run(store: Store, config: GraphConfig, nudge: Arc<Notify>) {
    let per_second = NonZeroU32::new(config.rate_per_number.max(1)).expect("non-zero");
    let limiter: Arc<DefaultKeyedRateLimiter<String>> = Arc::new(RateLimiter::keyed(Quota::per_second(per_second)));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(15)))
        .build()
        .into();
    // Bounds requests in flight (blocking HTTP runs on the blocking pool).
    let in_flight = Arc::new(Semaphore::new(64));
    let config = Arc::new(config);
    loop {
        let claimed = match store.claim_outbox(256).await {
            Ok(items) => items,
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "outbox unavailable; retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        if claimed.is_empty() {
            let _ = tokio::time::timeout(Duration::from_millis(200), nudge.notified()).await;
            continue;
        }
        for mut item in claimed {
            if item.window_until_ms.is_some_and(|until| now_ms() > until) {
                // WhatsApp refuses free-form messages outside the citizen's
                // 24-hour window (error 131047): send the template instead,
                // or record why nothing was sent.
                match item.fallback.take() {
                    Some(template) => item.body = template,
                    None => {
                        let reason = "outside the 24-hour customer-service window; only templates may be sent";
                        if let Err(error) = store.outbox_failed(&item.id, reason, None).await {
                            tracing::error!(error = format!("{error:#}"), id = item.id, "outbox update failed");
                        }
                        continue;
                    }
                }
            }
            limiter.until_key_ready(&item.phone_number_id).await;
            let permit = in_flight.clone().acquire_owned().await.expect("semaphore open");
            let (store, config, agent) = (store.clone(), config.clone(), agent.clone());
            tokio::spawn(async move {
                let _permit = permit;
                let outcome = {
                    let (config, item) = (config.clone(), item.clone());
                    tokio::task::spawn_blocking(move || attempt(&agent, &config, &item))
                        .await
                        .unwrap_or_else(|e| Outcome::Retry(e.to_string()))
                };
                if let Err(error) = record(&store, &config, &item, outcome).await {
                    tracing::error!(error = format!("{error:#}"), id = item.id, "outbox update failed");
                }
            });
        }
    }
}

async fn record(store: &Store, config: &GraphConfig, item: &OutboxItem, outcome: Outcome) -> anyhow::Result<()> {
    match outcome {
        Outcome::Sent(wamid) => store.outbox_sent(&item.id, &wamid).await,
        Outcome::Retry(error) if item.attempts < config.max_attempts => {
            let retry_at = now_ms() + backoff(item.attempts).as_millis() as i64;
            tracing::warn!(id = item.id, attempts = item.attempts, %error, "send failed; will retry");
            store.outbox_failed(&item.id, &error, Some(retry_at)).await
        }
        Outcome::Retry(error) | Outcome::Fail(error) => {
            tracing::error!(id = item.id, attempts = item.attempts, %error, "message given up");
            store.outbox_failed(&item.id, &error, None).await
        }
    }
}

/// 250 ms, 500 ms, 1 s … capped at 5 minutes.
pub fn backoff(attempts: i64) -> Duration {
    let exp = attempts.clamp(1, 20) as u32 - 1;
    Duration::from_millis(250 * 2u64.pow(exp)).min(Duration::from_secs(300))
}

fn attempt(agent: &ureq::Agent, config: &GraphConfig, item: &OutboxItem) -> Outcome {
    let url = format!("{}/{}/{}/messages", config.base_url.trim_end_matches('/'), config.version, item.phone_number_id);
    let response = agent
        .post(&url)
        .header("authorization", &format!("Bearer {}", config.token))
        .header("content-type", "application/json")
        .send(item.body.as_bytes());
    let mut response = match response {
        Ok(r) => r,
        Err(e) => return Outcome::Retry(format!("transport: {e}")),
    };
    let status = response.status().as_u16();
    let body: serde_json::Value = response.body_mut().read_json().unwrap_or_default();
    if (200..300).contains(&status) {
        return match body["messages"][0]["id"].as_str() {
            Some(wamid) => Outcome::Sent(wamid.to_owned()),
            None => Outcome::Retry(format!("{status} without a message id")),
        };
    }
    let code = body["error"]["code"].as_i64().unwrap_or(0);
    let detail = format!("{status} code {code}: {}", body["error"]["message"].as_str().unwrap_or(""));
    if status == 429 || status >= 500 || THROTTLED.contains(&code) {
        Outcome::Retry(detail)
    } else {
        Outcome::Fail(detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_millis(250));
        assert_eq!(backoff(2), Duration::from_millis(500));
        assert_eq!(backoff(4), Duration::from_secs(2));
        assert_eq!(backoff(50), Duration::from_secs(300));
    }
}
