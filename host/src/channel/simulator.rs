//! The local WhatsApp simulator (dev mode): a chat page at `/_simulator` that
//! plays a citizen's phone against the host's real webhook.
//!
//! The page builds each inbound envelope itself, in Meta's wire format, and
//! hands it to `POST /_simulator/send`; the server serialises it as Meta does
//! (non-ASCII and `/` escaped), signs it with the app secret and POSTs it over
//! real HTTP to the host's own `/webhook`, so the secret never reaches the
//! browser and the webhook sees exactly what Meta would send. Replies are read
//! back from the built-in fake Graph API (`GET /_simulator/messages`).
//!
//! Voice notes: the page records the microphone (or takes a file) and
//! `POST /_simulator/voice` makes it what a phone sends, an Ogg/Opus voice
//! note, uploaded to the fake Graph API for the host to download as it
//! downloads Meta's.

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::fake_graph::{self, FakeGraph};
use super::webhook::{MAX_BODY, sign};

/// The page: HTML, CSS and JS in one file, nothing fetched from elsewhere.
const PAGE: &str = include_str!("../../assets/simulator.html");

/// The citizen the page plays unless told otherwise.
pub const DEFAULT_WA_ID: &str = "919876543210";

/// The business number the simulator writes to when none is configured.
pub const DEFAULT_NUMBER: &str = "100000000000001=918000000001";

/// One of the state's WhatsApp business numbers, as the webhook's
/// `metadata` names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BusinessNumber {
    pub phone_number_id: String,
    pub display_phone_number: String,
}

impl FromStr for BusinessNumber {
    type Err = String;

    /// `PHONE_NUMBER_ID=DISPLAY_NUMBER`, or just `PHONE_NUMBER_ID`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (id, display) = s.split_once('=').unwrap_or((s, s));
        let (id, display) = (id.trim(), display.trim().trim_start_matches('+'));
        if id.is_empty() || display.is_empty() {
            return Err(format!("{s:?}: expected PHONE_NUMBER_ID=DISPLAY_NUMBER"));
        }
        Ok(Self { phone_number_id: id.to_owned(), display_phone_number: display.to_owned() })
    }
}

/// What the simulator needs to know.
#[derive(Clone, Debug)]
pub struct SimulatorConfig {
    /// The host's own webhook, e.g. `http://127.0.0.1:8080/webhook`.
    pub webhook_url: String,
    /// The app secret the webhook checks `X-Hub-Signature-256` against.
    pub app_secret: String,
    /// The business numbers citizens can write to (the page offers a choice
    /// when there are several).
    pub numbers: Vec<BusinessNumber>,
}

#[derive(Clone)]
struct SimState {
    config: Arc<SimulatorConfig>,
    fake: Arc<FakeGraph>,
    agent: ureq::Agent,
}

/// `/_simulator` (the page), `/_simulator/config`, `/_simulator/send` and
/// `/_simulator/messages`. `fake` is the Graph API the host sends replies to.
pub fn router(config: SimulatorConfig, fake: Arc<FakeGraph>) -> Router {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(15)))
        .build()
        .into();
    let state = SimState { config: Arc::new(config), fake, agent };
    Router::new()
        .route("/_simulator", get(page))
        .route("/_simulator/", get(page))
        .route("/_simulator/config", get(config_of))
        .route("/_simulator/send", post(send))
        .route("/_simulator/messages", get(messages))
        .route("/_simulator/media/{id}", get(media))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .route("/_simulator/voice", post(voice_note).layer(DefaultBodyLimit::max(crate::channel::media::MAX_AUDIO)))
        .with_state(state)
}

/// The dev-mode channel of a host listening on `local`: the built-in fake
/// Graph API at `/_fake_graph` and the simulator posting to the host's own
/// `/webhook`. `mitra serve` mounts it when no Graph API URL is configured;
/// the tests mount it the same way.
#[derive(Debug)]
pub struct DevChannel {
    /// What the host "sent" to WhatsApp.
    pub fake: Arc<FakeGraph>,
    /// Both routers, to merge into the host's.
    pub routes: Router,
    /// The Graph API base URL the sender must use.
    pub graph_url: String,
    /// Where to open the simulator.
    pub simulator_url: String,
}

/// See [`DevChannel`]. `numbers` empty means [`DEFAULT_NUMBER`].
pub fn dev_channel(local: SocketAddr, app_secret: &str, mut numbers: Vec<BusinessNumber>) -> DevChannel {
    if numbers.is_empty() {
        numbers.push(DEFAULT_NUMBER.parse().expect("the default number parses"));
    }
    // A host listening on every interface is reached over loopback.
    let mut reach = local;
    if reach.ip().is_unspecified() {
        reach.set_ip(if local.is_ipv4() { [127, 0, 0, 1].into() } else { std::net::Ipv6Addr::LOCALHOST.into() });
    }
    let fake = Arc::new(FakeGraph::default());
    let config =
        SimulatorConfig { webhook_url: format!("http://{reach}/webhook"), app_secret: app_secret.into(), numbers };
    let routes =
        Router::new().nest("/_fake_graph", fake_graph::router(fake.clone())).merge(router(config, fake.clone()));
    DevChannel {
        fake,
        routes,
        graph_url: format!("http://{reach}/_fake_graph"),
        simulator_url: format!("http://{local}/_simulator"),
    }
}

async fn page() -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Html(PAGE)).into_response()
}

async fn config_of(State(state): State<SimState>) -> Json<Value> {
    // The page stamps messages as Meta does, on the host's clock, which a
    // demo may have pinned to another day (`--today`).
    Json(json!({
        "numbers": state.config.numbers,
        "default_wa_id": DEFAULT_WA_ID,
        "waba_id": "100000000000000",
        "clock_shift_ms": mitra_sdk::clock::shift_ms(),
    }))
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// Signs the page's envelope and delivers it to the webhook; answers with
/// the webhook's own status and body, so a 401 or 400 shows on the page.
async fn send(State(state): State<SimState>, body: Bytes) -> Response {
    let envelope: Value = match serde_json::from_slice(&body) {
        Ok(envelope) => envelope,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("the envelope is not JSON: {e}")),
    };
    if !envelope.is_object() {
        return error(StatusCode::BAD_REQUEST, "the envelope must be a JSON object");
    }
    let wire = meta_json(&envelope);
    let signature = sign(&state.config.app_secret, &wire);
    let url = state.config.webhook_url.clone();
    let agent = state.agent.clone();
    let delivered = tokio::task::spawn_blocking(move || -> Result<(u16, String), String> {
        let mut response = agent
            .post(&url)
            .header("content-type", "application/json")
            .header("x-hub-signature-256", &signature)
            .header("user-agent", "facebookexternalua")
            .send(&wire[..])
            .map_err(|e| format!("could not reach the webhook at {url}: {e}"))?;
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        Ok((status, text))
    })
    .await;
    match delivered {
        Ok(Ok((status, text))) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            let body = serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text));
            (status, Json(json!({ "webhook": { "status": status.as_u16(), "body": body } }))).into_response()
        }
        Ok(Err(message)) => error(StatusCode::BAD_GATEWAY, message),
        Err(join) => {
            tracing::error!(%join, "simulator delivery task failed");
            error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

#[derive(Deserialize)]
struct MessagesQuery {
    to: Option<String>,
    #[serde(default)]
    after: usize,
}

/// What the fake Graph API received for citizen `to`, after the first `after`.
async fn messages(State(state): State<SimState>, Query(q): Query<MessagesQuery>) -> Response {
    let Some(to) = q.to.filter(|t| !t.is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "missing ?to=<wa_id>");
    };
    let (captured, total) = state.fake.to_after(&to, q.after);
    let messages: Vec<Value> = captured
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            json!({ "index": q.after + i, "phone_number_id": c.phone_number_id, "wamid": c.wamid, "body": c.body })
        })
        .collect();
    Json(json!({ "messages": messages, "total": total })).into_response()
}

/// `value` as Meta writes webhook bodies: compact, with every non-ASCII
/// character as `\uXXXX` (UTF-16) and `/` as `\/`. A host that re-serialises
/// before checking the signature fails on these; the raw body must be used.
pub fn meta_json(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, MetaFormatter);
    value.serialize(&mut serializer).expect("a JSON value serialises");
    out
}

struct MetaFormatter;

impl serde_json::ser::Formatter for MetaFormatter {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut units = [0u16; 2];
        for c in fragment.chars() {
            match c {
                '/' => writer.write_all(b"\\/")?,
                c if c.is_ascii() => writer.write_all(&[c as u8])?,
                c => {
                    for unit in c.encode_utf16(&mut units) {
                        write!(writer, "\\u{unit:04x}")?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// A recording from the page (a WAV, at any rate) or a voice-note file
/// (Ogg/Opus, kept as it is), stored in the fake Graph API as the citizen's
/// phone uploads a voice note: its media id, type and SHA-256 (base64, as
/// Meta's webhooks carry it), for the page to send as an `audio` message.
async fn voice_note(State(state): State<SimState>, body: Bytes) -> Response {
    let note = if body.starts_with(b"OggS") {
        body.to_vec()
    } else if body.starts_with(b"RIFF") {
        let encoded = tokio::task::spawn_blocking(move || {
            let pcm = crate::voice::audio::wav_to_speech_pcm(&body)?;
            crate::voice::audio::encode_voice_note(&pcm)
        })
        .await;
        match encoded {
            Ok(Ok(note)) => note,
            Ok(Err(e)) => return error(StatusCode::BAD_REQUEST, format!("the recording cannot be read: {e:#}")),
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, format!("encoding stopped: {e}")),
        }
    } else {
        return error(StatusCode::BAD_REQUEST, "send a WAV recording or an Ogg/Opus voice note");
    };
    use base64::Engine as _;
    use sha2::Digest as _;
    let sha256 = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&note));
    let id = state.fake.store_media(fake_graph::UploadedMedia {
        phone_number_id: String::new(),
        mime_type: VOICE_NOTE_TYPE.into(),
        filename: None,
        bytes: note,
    });
    Json(json!({ "id": id, "mime_type": VOICE_NOTE_TYPE, "sha256": sha256, "voice": true })).into_response()
}

/// The type WhatsApp gives a voice note.
pub const VOICE_NOTE_TYPE: &str = "audio/ogg; codecs=opus";

/// A document the host uploaded to the fake Graph API, opened in the
/// browser as the citizen's phone would open it.
async fn media(
    State(state): State<SimState>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let found = state.fake.media.lock().unwrap().get(&id).cloned();
    match found {
        Some(media) => {
            let disposition =
                format!("inline; filename=\"{}\"", media.filename.as_deref().unwrap_or("document").replace('"', ""));
            (
                [
                    (axum::http::header::CONTENT_TYPE, media.mime_type),
                    (axum::http::header::CONTENT_DISPOSITION, disposition),
                ],
                media.bytes,
            )
                .into_response()
        }
        None => (axum::http::StatusCode::NOT_FOUND, "no such media").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::webhook::signature_valid;

    #[test]
    fn meta_json_escapes_non_ascii_and_slashes_and_round_trips() {
        let value = json!({ "text": { "body": "నమస్తే 🙏 a/b \"q\"" } });
        let wire = meta_json(&value);
        let text = std::str::from_utf8(&wire).unwrap();
        assert!(text.is_ascii(), "{text}");
        assert_eq!(text, r#"{"text":{"body":"\u0c28\u0c2e\u0c38\u0c4d\u0c24\u0c47 \ud83d\ude4f a\/b \"q\""}}"#);
        assert_eq!(serde_json::from_slice::<Value>(&wire).unwrap(), value);
        assert!(signature_valid("s", &wire, Some(&sign("s", &wire))));
    }

    #[test]
    fn business_numbers_parse_with_or_without_a_display_number() {
        let n: BusinessNumber = "123=+91 80000".parse().unwrap();
        assert_eq!(n, BusinessNumber { phone_number_id: "123".into(), display_phone_number: "91 80000".into() });
        assert_eq!("456".parse::<BusinessNumber>().unwrap().display_phone_number, "456");
        assert!("=9180".parse::<BusinessNumber>().is_err());
    }
}
