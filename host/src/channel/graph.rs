//! Sending through the Graph API: the outbox sender with a per-number rate
//! limit, retries with backoff on throttling and server errors, and a bound
//! after which a message is recorded as failed.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Bytes;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::sync::{Notify, Semaphore};

use crate::store::{GroupCommit, OutboxItem, Store, now_ms};

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

/// Requests to the Graph API in flight at once.
const IN_FLIGHT: usize = 64;

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
    let client = http_client();
    let in_flight = Arc::new(Semaphore::new(IN_FLIGHT));
    let config = Arc::new(config);
    // Successful sends are recorded in batches: one commit for many.
    let sent = {
        let store = store.clone();
        GroupCommit::spawn(512, move |batch: Vec<(String, String)>| {
            let store = store.clone();
            async move { store.outbox_sent(&batch).await }
        })
    };
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
            let (store, config, client, sent) = (store.clone(), config.clone(), client.clone(), sent.clone());
            tokio::spawn(async move {
                let _permit = permit;
                let outcome = attempt(&client, &config, &item).await;
                if let Err(error) = record(&store, &sent, &config, &item, outcome).await {
                    tracing::error!(error = format!("{error:#}"), id = item.id, "outbox update failed");
                }
            });
        }
    }
}

async fn record(
    store: &Store,
    sent: &GroupCommit<(String, String)>,
    config: &GraphConfig,
    item: &OutboxItem,
    outcome: Outcome,
) -> anyhow::Result<()> {
    match outcome {
        Outcome::Sent(wamid) => sent.submit((item.id.clone(), wamid)).await,
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

type HttpClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// HTTPS (Meta) or plain HTTP (the local fake), connections kept alive.
fn http_client() -> HttpClient {
    let connector =
        hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots().https_or_http().enable_http1().build();
    Client::builder(TokioExecutor::new()).pool_max_idle_per_host(IN_FLIGHT).build(connector)
}

/// Meta's answers are small; a larger one is not Meta.
const MAX_RESPONSE: usize = 64 * 1024;
const SEND_TIMEOUT: Duration = Duration::from_secs(15);

async fn attempt(client: &HttpClient, config: &GraphConfig, item: &OutboxItem) -> Outcome {
    let url = format!("{}/{}/{}/messages", config.base_url.trim_end_matches('/'), config.version, item.phone_number_id);
    let request = match hyper::Request::post(&url)
        .header("authorization", format!("Bearer {}", config.token))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(item.body.clone())))
    {
        Ok(request) => request,
        Err(e) => return Outcome::Fail(format!("cannot build a request to {url}: {e}")),
    };
    let exchange = async {
        let response = client.request(request).await.map_err(|e| format!("transport: {e}"))?;
        let status = response.status().as_u16();
        let body = Limited::new(response.into_body(), MAX_RESPONSE)
            .collect()
            .await
            .map_err(|e| format!("reading the response: {e}"))?
            .to_bytes();
        Ok::<_, String>((status, body))
    };
    let (status, body) = match tokio::time::timeout(SEND_TIMEOUT, exchange).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(e)) => return Outcome::Retry(e),
        Err(_) => return Outcome::Retry(format!("no answer within {} s", SEND_TIMEOUT.as_secs())),
    };
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
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
