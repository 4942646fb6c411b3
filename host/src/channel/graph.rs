//! Sending through the Graph API: the outbox sender with a per-number rate
//! limit, retries with backoff on throttling and server errors, and a bound
//! after which a message is recorded as failed.

use std::collections::{HashMap, HashSet, VecDeque};
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
use tokio::sync::Semaphore;
use tokio::sync::mpsc::{self, UnboundedReceiver};

use crate::certificates::issuer::{IssueError, Issuer};
use crate::chat::outgoing::{CERTIFICATE_FIELD, SPEECH_FIELD, UPI_QR_FIELD};
use crate::digilocker::pusher::Pusher;
use crate::store::{OutboxItem, Store, Writer, now_ms};
use crate::telemetry::metrics;
use crate::voice::Voice;

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
    /// How long one request to the Graph API may take.
    pub timeout: Duration,
    /// How long to wait for Meta's status webhook (which names the reply by
    /// its `biz_opaque_callback_data`) before sending again a reply that may
    /// have been taken: after a request with no answer, and after a restart
    /// for the replies the stopped process may have had in flight. Meta's
    /// `sent` status usually comes within a second or two.
    pub confirm_wait: Duration,
}

impl Default for GraphConfig {
    fn default() -> Self {
        Self {
            base_url: "https://graph.facebook.com".into(),
            version: "v21.0".into(),
            token: String::new(),
            rate_per_number: 80,
            max_attempts: 8,
            timeout: Duration::from_secs(15),
            confirm_wait: Duration::from_secs(5),
        }
    }
}

/// Requests to the Graph API in flight at once.
const IN_FLIGHT: usize = 64;

/// How often the sender looks in the database for replies to take over.
const CLAIM_POLL: Duration = Duration::from_secs(1);
/// Most replies taken from the database at once.
const CLAIM_BATCH: i64 = 256;

/// Error codes Meta uses for throttling: retry later.
const THROTTLED: &[i64] = &[4, 80007, 130429, 131048, 131056, 133016];

/// What one attempt came to.
#[derive(Debug, PartialEq)]
enum Outcome {
    Sent(String),
    Retry(String),
    /// No answer, but the request may have reached Meta (a timeout, a
    /// connection lost after the request was written).
    Unsure(String),
    Fail(String),
}

/// What every delivery shares.
struct Sender {
    store: Store,
    config: GraphConfig,
    client: HttpClient,
    limiter: DefaultKeyedRateLimiter<String>,
    in_flight: Semaphore,
    /// Successful sends are recorded with the host's other writes.
    writer: Writer,
    /// Issues the certificates that document messages carry.
    issuer: Issuer,
    /// Offers "Save to DigiLocker" once a certificate has been sent.
    digilocker: Option<Arc<Pusher>>,
    /// Speaks the spoken replies.
    voice: Option<Arc<Voice>>,
    /// Replies the process before may have sent: each waits until then for
    /// Meta's status to show it arrived before it is sent.
    unconfirmed: std::sync::Mutex<HashMap<String, tokio::time::Instant>>,
}

/// Runs the sender until the process ends. Replies come from `handoff` (the
/// worker, already leased to this host in the outbox) and from the outbox
/// itself: after a restart, and replies whose lease ran out because the
/// host sending them stopped. Each citizen's replies go out one at a time,
/// in order; different citizens' concurrently.
pub async fn run(
    store: Store,
    writer: Writer,
    config: GraphConfig,
    issuer: Issuer,
    digilocker: Option<Arc<Pusher>>,
    voice: Option<Arc<Voice>>,
    mut handoff: UnboundedReceiver<Vec<OutboxItem>>,
) {
    let per_second = NonZeroU32::new(config.rate_per_number.max(1)).expect("non-zero");
    let sender = Arc::new(Sender {
        store: store.clone(),
        config,
        client: http_client(),
        limiter: RateLimiter::keyed(Quota::per_second(per_second)),
        in_flight: Semaphore::new(IN_FLIGHT),
        writer,
        issuer,
        digilocker,
        voice,
        unconfirmed: Default::default(),
    });
    let (finished, mut done) = mpsc::unbounded_channel::<(String, String)>();
    let mut citizens = Citizens::default();
    if store.single_host() {
        // What the last process left unsent is this one's, ahead of anything
        // new for the same citizens. It may have sent some of it without
        // recording so (killed in between): each waits for Meta's statuses,
        // which mark what arrived as sent, before it goes.
        match store.take_over_sends(now_ms()).await {
            Ok(left) => {
                if !left.is_empty() {
                    tracing::info!(
                        replies = left.len(),
                        wait_ms = sender.config.confirm_wait.as_millis() as u64,
                        "replies left unsent by the previous process go once Meta's statuses for them have had time to come"
                    );
                }
                let until = tokio::time::Instant::now() + sender.config.confirm_wait;
                sender
                    .unconfirmed
                    .lock()
                    .expect("not poisoned")
                    .extend(left.iter().map(|item| (item.id.clone(), until)));
                for item in left {
                    if let Some(first) = citizens.enqueue(item) {
                        send(&sender, first, &finished);
                    }
                }
            }
            Err(error) => tracing::error!(error = format!("{error:#}"), "taking over unsent replies failed"),
        }
    }
    let mut next_claim = tokio::time::Instant::now();
    let mut chunks = Vec::new();
    loop {
        tokio::select! {
            received = handoff.recv_many(&mut chunks, 64) => {
                if received == 0 {
                    return; // the worker is gone: the host is stopping
                }
                for item in chunks.drain(..).flatten() {
                    if let Some(first) = citizens.enqueue(item) {
                        send(&sender, first, &finished);
                    }
                }
            }
            Some((wa_id, id)) = done.recv() => {
                if let Some(next) = citizens.finished(&wa_id, &id) {
                    send(&sender, next, &finished);
                }
            }
            _ = tokio::time::sleep_until(next_claim) => {
                next_claim = tokio::time::Instant::now() + CLAIM_POLL;
                match store.claim_outbox(CLAIM_BATCH).await {
                    Ok(claimed) => {
                        if claimed.len() as i64 == CLAIM_BATCH {
                            next_claim = tokio::time::Instant::now();
                        }
                        for item in claimed {
                            if let Some(first) = citizens.enqueue(item) {
                                send(&sender, first, &finished);
                            }
                        }
                    }
                    Err(error) => tracing::error!(error = format!("{error:#}"), "outbox unavailable; retrying"),
                }
            }
        }
    }
}

/// The citizens with a reply in flight, and what waits behind it.
#[derive(Default)]
struct Citizens {
    queues: HashMap<String, VecDeque<OutboxItem>>,
    /// Ids in memory (in flight or queued), so a claim of one already here
    /// (its lease ran out while it waited) does not send it twice.
    known: HashSet<String>,
}

impl Citizens {
    /// Queues `item`; returns it back when nothing of its citizen is in
    /// flight, to start now.
    fn enqueue(&mut self, item: OutboxItem) -> Option<OutboxItem> {
        if !self.known.insert(item.id.clone()) {
            return None;
        }
        match self.queues.get_mut(&item.wa_id) {
            Some(waiting) => {
                waiting.push_back(item);
                None
            }
            None => {
                self.queues.insert(item.wa_id.clone(), VecDeque::new());
                Some(item)
            }
        }
    }

    /// `id` of `wa_id` is done with; returns their next reply, if any.
    fn finished(&mut self, wa_id: &str, id: &str) -> Option<OutboxItem> {
        self.known.remove(id);
        let waiting = self.queues.get_mut(wa_id)?;
        let next = waiting.pop_front();
        if next.is_none() {
            self.queues.remove(wa_id);
        }
        next
    }
}

/// Sends one reply, retrying in place (so the citizen's later replies wait
/// behind it), then reports it finished.
/// Sends `item` in a task of its own, which says when it is done. The task
/// holds its future boxed: inline, tokio copies the whole future (~4.5 KB:
/// the request, its answer and its retries) into the task when it is
/// spawned and out when it ends, on the sender's one thread, for every
/// reply (BENCHMARKS.md, "Replies written without a tree of values, numbers
/// found in a byte scan").
fn send(sender: &Arc<Sender>, item: OutboxItem, finished: &mpsc::UnboundedSender<(String, String)>) {
    tokio::spawn(Box::pin(deliver(sender.clone(), item, finished.clone())));
}

async fn deliver(sender: Arc<Sender>, item: OutboxItem, finished: mpsc::UnboundedSender<(String, String)>) {
    let request_id = item.request_id().to_owned();
    let span = tracing::info_span!("send", request_id);
    tracing::Instrument::instrument(deliver_item(sender, item, finished), span).await
}

async fn deliver_item(sender: Arc<Sender>, mut item: OutboxItem, finished: mpsc::UnboundedSender<(String, String)>) {
    let held = sender.unconfirmed.lock().expect("not poisoned").remove(&item.id);
    if let Some(until) = held {
        tokio::time::sleep_until(until).await;
        if confirmed(&sender, &item.id, until).await {
            metrics().message_out("confirmed");
            let _ = finished.send((item.wa_id, item.id));
            return;
        }
    }
    if let Err(error) = attempts(&sender, &mut item).await {
        tracing::error!(error = format!("{error:#}"), id = item.id, "outbox update failed");
    }
    let _ = finished.send((item.wa_id, item.id));
}

async fn attempts(sender: &Sender, item: &mut OutboxItem) -> anyhow::Result<()> {
    let (store, config) = (&sender.store, &sender.config);
    // Read before the upload replaces it with the media id (only when there
    // is a DigiLocker offer to make after it).
    let certificate = sender.digilocker.as_ref().and_then(|_| certificate_of(&item.body));
    loop {
        if item.window_until_ms.is_some_and(|until| now_ms() > until) {
            // WhatsApp refuses free-form messages outside the citizen's
            // 24-hour window (error 131047): send the template instead,
            // or record why nothing was sent.
            match item.fallback.take() {
                Some(template) => {
                    item.body = template;
                    item.window_until_ms = None;
                }
                None => {
                    metrics().message_out("failed");
                    let reason = "outside the 24-hour customer-service window; only templates may be sent";
                    return store.outbox_failed(&item.id, item.attempts, reason, None).await;
                }
            }
        }
        // A certificate is issued and laid out before the send takes one of
        // the requests in flight: its wait for the press holds up no one
        // else's reply.
        let outcome = match media_of(sender, item).await {
            Err(outcome) => outcome,
            Ok(media) => {
                sender.limiter.until_key_ready(&item.phone_number_id).await;
                let _permit = sender.in_flight.acquire().await.expect("semaphore open");
                match attach(sender, item, media).await {
                    Ok(()) => attempt(&sender.client, config, item).await,
                    Err(outcome) => outcome,
                }
            }
        };
        let outcome = match outcome {
            Outcome::Unsure(error) => {
                tracing::warn!(id = item.id, %error, "no answer from the Graph API; waiting for Meta's status before sending again");
                if confirmed(sender, &item.id, tokio::time::Instant::now() + sender.config.confirm_wait).await {
                    metrics().message_out("confirmed");
                    tracing::info!(id = item.id, "Meta's status shows the reply was taken; not sent again");
                    return Ok(());
                }
                Outcome::Retry(error)
            }
            outcome => outcome,
        };
        match outcome {
            Outcome::Sent(wamid) => {
                metrics().message_out("sent");
                sender.writer.sent(item.id.clone(), wamid);
                // The certificate itself went (not a template instead of it).
                if let (Some(serial), Some(digilocker)) = (&certificate, &sender.digilocker)
                    && item.window_until_ms.is_some()
                    && let Err(error) = digilocker.certificate_sent(serial, item).await
                {
                    tracing::warn!(error = format!("{error:#}"), id = item.id, "offering Save to DigiLocker failed");
                }
                return Ok(());
            }
            Outcome::Retry(error) if item.attempts < config.max_attempts => {
                let wait = backoff(item.attempts);
                metrics().message_out("retried");
                tracing::warn!(id = item.id, attempts = item.attempts, %error, "send failed; will retry");
                store.outbox_failed(&item.id, item.attempts, &error, Some(now_ms() + wait.as_millis() as i64)).await?;
                tokio::time::sleep(wait).await;
                item.attempts += 1;
            }
            Outcome::Retry(error) | Outcome::Unsure(error) | Outcome::Fail(error) => {
                metrics().message_out("failed");
                tracing::error!(id = item.id, attempts = item.attempts, %error, "message given up");
                return store.outbox_failed(&item.id, item.attempts, &error, None).await;
            }
        }
    }
}

/// Whether a status webhook has shown, by `until`, that Meta took reply
/// `id` (the store marks it sent when one names it).
async fn confirmed(sender: &Sender, id: &str, until: tokio::time::Instant) -> bool {
    loop {
        if let Ok(Some((state, _, _))) = sender.store.outbox_state(id).await
            && state == "sent"
        {
            return true;
        }
        if tokio::time::Instant::now() >= until {
            return false;
        }
        tokio::time::sleep(CONFIRM_POLL).await;
    }
}

/// The certificate a queued document message names, if it names one.
fn certificate_of(body: &str) -> Option<String> {
    if !body.contains(CERTIFICATE_FIELD) {
        return None;
    }
    let body: serde_json::Value = serde_json::from_str(body).ok()?;
    body.get(CERTIFICATE_FIELD)?.as_str().map(str::to_owned)
}

/// How often a reply waiting for its status looks again.
const CONFIRM_POLL: Duration = Duration::from_millis(200);

/// A file the sender makes for a message and uploads before sending it.
struct Media {
    /// The queued body, read.
    body: serde_json::Value,
    /// The member of the queued body that names what to make.
    member: &'static str,
    filename: String,
    mime_type: &'static str,
    bytes: Vec<u8>,
}

/// The media a queued message still needs made: a document naming a
/// certificate (issued — the log's leaf committed, or read back if it
/// already was — and laid out), an image of a UPI link's QR code, or a
/// spoken reply's voice note. `None` for any other message, and for one
/// whose media is already uploaded.
async fn media_of(sender: &Sender, item: &OutboxItem) -> Result<Option<Media>, Outcome> {
    if ![CERTIFICATE_FIELD, UPI_QR_FIELD, SPEECH_FIELD].iter().any(|member| item.body.contains(member)) {
        return Ok(None);
    }
    let body: serde_json::Value =
        serde_json::from_str(&item.body).map_err(|e| Outcome::Fail(format!("a queued message is not JSON: {e}")))?;
    let field = |name: &str| body.get(name).and_then(|s| s.as_str()).map(str::to_owned);
    let (member, filename, mime_type, bytes) = if let Some(serial) = field(CERTIFICATE_FIELD) {
        let prepared = sender.issuer.prepare(&serial).await.map_err(|e| match e {
            IssueError::Missing(reason) => Outcome::Fail(reason),
            IssueError::Host(e) => Outcome::Retry(format!("issuing {serial}: {e:#}")),
        })?;
        (CERTIFICATE_FIELD, prepared.filename, "application/pdf", prepared.pdf)
    } else if let Some(upi) = field(UPI_QR_FIELD) {
        let png = crate::payments::upi::qr_png(&upi).map_err(|e| Outcome::Fail(format!("drawing a UPI QR: {e:#}")))?;
        (UPI_QR_FIELD, "upi.png".to_owned(), "image/png", png)
    } else if let Some(speech) = body.get(SPEECH_FIELD) {
        // The citizen has the same words written: a voice note that cannot
        // be made is given up at once rather than holding up their next
        // replies with retries.
        let voice = sender.voice.as_ref().ok_or_else(|| Outcome::Fail("voice is not served here".into()))?;
        let text = speech["text"].as_str().unwrap_or_default();
        let language = crate::applications::notify::language(speech["language"].as_str().unwrap_or("en"));
        let note = voice.speak(text, language).await.map_err(|e| Outcome::Fail(format!("speaking a reply: {e}")))?;
        (SPEECH_FIELD, "reply.ogg".to_owned(), "audio/ogg", note)
    } else {
        return Ok(None);
    };
    Ok(Some(Media { body, member, filename, mime_type, bytes }))
}

/// Uploads `media` and refers to it by its media id in the item's body.
/// The finished body stays with the item, so a retried send does not
/// upload again.
async fn attach(sender: &Sender, item: &mut OutboxItem, media: Option<Media>) -> Result<(), Outcome> {
    let Some(Media { mut body, member, filename, mime_type, bytes }) = media else { return Ok(()) };
    let media_id = upload(&sender.client, &sender.config, &item.phone_number_id, &filename, mime_type, bytes).await?;
    body.as_object_mut().map(|b| b.remove(member));
    let kind = match member {
        CERTIFICATE_FIELD => "document",
        SPEECH_FIELD => "audio",
        _ => "image",
    };
    body[kind]["id"] = media_id.into();
    item.body = body.to_string();
    Ok(())
}

/// Uploads a file to `POST /{phone-number-id}/media` (multipart, as the
/// Cloud API takes it); the media id.
async fn upload(
    client: &HttpClient,
    config: &GraphConfig,
    phone_number_id: &str,
    filename: &str,
    mime_type: &str,
    bytes: Vec<u8>,
) -> Result<String, Outcome> {
    let url = format!("{}/{}/{}/media", config.base_url.trim_end_matches('/'), config.version, phone_number_id);
    // A boundary that cannot occur in the parts: random, and checked.
    let boundary = format!("mitra-{:032x}", rand_u128());
    let mut form = Vec::with_capacity(bytes.len() + 512);
    for (name, value) in [("messaging_product", "whatsapp"), ("type", mime_type)] {
        form.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    let filename = filename.replace(['"', '\r', '\n'], "");
    form.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {mime_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    if bytes.windows(boundary.len()).any(|w| w == boundary.as_bytes()) {
        return Err(Outcome::Retry("the upload boundary occurs in the file".into()));
    }
    form.extend_from_slice(&bytes);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = hyper::Request::post(&url)
        .header("authorization", format!("Bearer {}", config.token))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(Full::new(Bytes::from(form)))
        .map_err(|e| Outcome::Fail(format!("cannot build a request to {url}: {e}")))?;
    // An upload that may have been taken is uploaded again: an unused media
    // id costs nothing and the citizen sees only the one message.
    let (status, body) =
        exchange(client, request, config.timeout, MAX_RESPONSE).await.map_err(|u| Outcome::Retry(u.error))?;
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    if (200..300).contains(&status) {
        return body["id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| Outcome::Retry(format!("media upload: {status} without an id")));
    }
    Err(match classify(status, &body) {
        Outcome::Retry(detail) => Outcome::Retry(format!("media upload: {detail}")),
        Outcome::Fail(detail) => Outcome::Fail(format!("media upload: {detail}")),
        other => other,
    })
}

pub(crate) fn rand_u128() -> u128 {
    use ring::rand::SecureRandom as _;
    let mut bytes = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map(|()| u128::from_le_bytes(bytes))
        .unwrap_or_else(|_| now_ms() as u128)
}

/// 250 ms, 500 ms, 1 s … capped at 5 minutes.
pub fn backoff(attempts: i64) -> Duration {
    let exp = attempts.clamp(1, 20) as u32 - 1;
    Duration::from_millis(250 * 2u64.pow(exp)).min(Duration::from_secs(300))
}

pub(crate) type HttpClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// HTTPS (Meta) or plain HTTP (the local fake), connections kept alive.
pub(crate) fn http_client() -> HttpClient {
    let connector =
        hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots().https_or_http().enable_http1().build();
    Client::builder(TokioExecutor::new()).pool_max_idle_per_host(IN_FLIGHT).build(connector)
}

/// Meta's answers are small; a larger one is not Meta.
pub(crate) const MAX_RESPONSE: usize = 64 * 1024;

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
    let (status, body) = match exchange(client, request, config.timeout, MAX_RESPONSE).await {
        Ok(answer) => answer,
        Err(Unanswered { error, maybe_taken: true }) => return Outcome::Unsure(error),
        Err(Unanswered { error, maybe_taken: false }) => return Outcome::Retry(error),
    };
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    if (200..300).contains(&status) {
        return match body["messages"][0]["id"].as_str() {
            Some(wamid) => Outcome::Sent(wamid.to_owned()),
            None => Outcome::Unsure(format!("{status} without a message id")),
        };
    }
    classify(status, &body)
}

/// A request that got no (whole) answer.
#[derive(Debug)]
pub(crate) struct Unanswered {
    pub(crate) error: String,
    /// Whether the request may have reached the server: only a connection
    /// that was never made proves it did not.
    pub(crate) maybe_taken: bool,
}

/// One request and its answer of at most `limit` bytes, within `timeout`.
pub(crate) async fn exchange(
    client: &HttpClient,
    request: hyper::Request<Full<Bytes>>,
    timeout: Duration,
    limit: usize,
) -> Result<(u16, Bytes), Unanswered> {
    let exchange = async {
        let response = client
            .request(request)
            .await
            .map_err(|e| Unanswered { error: format!("transport: {e:#}"), maybe_taken: !e.is_connect() })?;
        let status = response.status().as_u16();
        let body = Limited::new(response.into_body(), limit)
            .collect()
            .await
            .map_err(|e| Unanswered { error: format!("{status}, then reading the response: {e}"), maybe_taken: true })?
            .to_bytes();
        Ok::<_, Unanswered>((status, body))
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(answer) => answer,
        Err(_) => Err(Unanswered { error: format!("no answer within {} ms", timeout.as_millis()), maybe_taken: true }),
    }
}

/// A Graph API error: worth retrying (throttled, Meta's side) or not.
fn classify(status: u16, body: &serde_json::Value) -> Outcome {
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
    fn a_queued_certificate_is_known_by_its_member() {
        let queued = crate::chat::outgoing::Outgoing::Certificate { serial: "MTR-1".into(), caption: "c".into() };
        assert_eq!(certificate_of(&queued.to_cloud("91").to_string()).as_deref(), Some("MTR-1"));
        let text = crate::chat::outgoing::Outgoing::Text("mitra_certificate".into());
        assert_eq!(certificate_of(&text.to_cloud("91").to_string()), None);
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_millis(250));
        assert_eq!(backoff(2), Duration::from_millis(500));
        assert_eq!(backoff(4), Duration::from_secs(2));
        assert_eq!(backoff(50), Duration::from_secs(300));
    }
}
