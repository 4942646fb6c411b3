//! A local stand-in for Meta's Graph API, used by the tests and the local
//! WhatsApp simulator: `POST /<version>/<phone-number-id>/messages`, media
//! uploads (`POST /<version>/<phone-number-id>/media`, multipart), a media
//! object's URL (`GET /<version>/<media-id>`) and its download. It answers
//! as Meta does and keeps what it received; it can be told to throttle, and
//! to post Meta's `sent` status of each message it takes to a webhook.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use std::collections::HashMap;

use axum::extract::{DefaultBodyLimit, Multipart, OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

/// One message the fake received.
#[derive(Clone, Debug)]
pub struct Captured {
    pub phone_number_id: String,
    pub wamid: String,
    pub body: Value,
}

/// An uploaded media object.
#[derive(Clone, Debug)]
pub struct UploadedMedia {
    pub phone_number_id: String,
    pub mime_type: String,
    pub filename: Option<String>,
    pub bytes: Vec<u8>,
}

/// Meta's largest document upload (100 MB); the fake keeps to it.
const MAX_UPLOAD: usize = 100 * 1024 * 1024;

/// The fake's shared state.
#[derive(Debug, Default)]
pub struct FakeGraph {
    pub captured: Mutex<Vec<Captured>>,
    /// Uploaded media by id.
    pub media: Mutex<HashMap<String, UploadedMedia>>,
    /// Answer this many requests with a 429 / 130429 first.
    pub throttle_next: AtomicU64,
    /// While set, media uploads fail with a 500 (Meta's side is down).
    pub refuse_uploads: std::sync::atomic::AtomicBool,
    /// Take this many messages and never answer (the sender's timeout ends
    /// the wait): Meta took them, the sender cannot know.
    pub take_without_answer: AtomicU64,
    /// Where Meta's `sent` status of each message taken is posted, signed
    /// as Meta signs its webhooks; none are posted while unset.
    pub statuses_to: Mutex<Option<StatusWebhook>>,
    counter: AtomicU64,
}

/// A webhook the fake posts delivery statuses to, as Meta does.
#[derive(Clone, Debug)]
pub struct StatusWebhook {
    pub url: String,
    pub app_secret: String,
}

impl FakeGraph {
    /// Keeps `media` as an upload would (what a citizen's phone uploads
    /// before sending a voice note or photo); its media id.
    pub fn store_media(&self, media: UploadedMedia) -> String {
        let id = format!("{}", 1_000_000_000_000_000u64 + self.counter.fetch_add(1, Ordering::SeqCst));
        self.media.lock().unwrap().insert(id.clone(), media);
        id
    }

    /// Messages received for `to`, in order.
    pub fn to(&self, to: &str) -> Vec<Value> {
        self.captured.lock().unwrap().iter().filter(|c| c.body["to"] == to).map(|c| c.body.clone()).collect()
    }

    /// Messages received for `to` past the first `after` of them, and how
    /// many were received for `to` in all (the simulator's polling).
    pub fn to_after(&self, to: &str, after: usize) -> (Vec<Captured>, usize) {
        let captured = self.captured.lock().unwrap();
        let all: Vec<&Captured> = captured.iter().filter(|c| c.body["to"] == to).collect();
        (all.iter().skip(after).map(|c| (*c).clone()).collect(), all.len())
    }
}

/// The fake's routes.
pub fn router(fake: Arc<FakeGraph>) -> Router {
    Router::new()
        .route("/{version}/{phone_number_id}/messages", post(send))
        .route("/{version}/{phone_number_id}/media", post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD)))
        .route("/{version}/{media_id}", get(media_url))
        .route("/_media/{media_id}", get(download))
        .route("/_captured", get(captured))
        .with_state(fake)
}

fn graph_error(status: StatusCode, code: i64, message: &str) -> Response {
    (status, Json(json!({ "error": { "code": code, "message": message, "type": "OAuthException" } }))).into_response()
}

fn authorised(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("Bearer "))
}

/// `POST /<version>/<phone-number-id>/media`: `messaging_product`,
/// `type` and `file` as multipart form fields, as Meta takes them.
async fn upload(
    State(fake): State<Arc<FakeGraph>>,
    Path((_version, phone_number_id)): Path<(String, String)>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    if !authorised(&headers) {
        return graph_error(StatusCode::UNAUTHORIZED, 190, "no token");
    }
    if fake.refuse_uploads.load(Ordering::SeqCst) {
        return graph_error(StatusCode::INTERNAL_SERVER_ERROR, 1, "An unknown error occurred");
    }
    let (mut product, mut declared, mut file) = (None, None, None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return graph_error(StatusCode::BAD_REQUEST, 100, &format!("bad multipart body: {e}")),
        };
        match field.name().unwrap_or_default() {
            "messaging_product" => product = field.text().await.ok(),
            "type" => declared = field.text().await.ok(),
            "file" => {
                let filename = field.file_name().map(str::to_owned);
                let mime = field.content_type().map(str::to_owned);
                match field.bytes().await {
                    Ok(bytes) => file = Some((filename, mime, bytes.to_vec())),
                    Err(e) => return graph_error(StatusCode::BAD_REQUEST, 100, &format!("reading the file: {e}")),
                }
            }
            _ => {}
        }
    }
    if product.as_deref() != Some("whatsapp") {
        return graph_error(StatusCode::BAD_REQUEST, 100, "(#100) The parameter messaging_product is required.");
    }
    let Some((filename, mime, bytes)) = file else {
        return graph_error(StatusCode::BAD_REQUEST, 100, "(#100) The parameter file is required.");
    };
    let Some(mime_type) = declared.or(mime) else {
        return graph_error(StatusCode::BAD_REQUEST, 100, "(#100) The parameter type is required.");
    };
    if bytes.is_empty() {
        return graph_error(StatusCode::BAD_REQUEST, 131053, "Media upload error: the file is empty");
    }
    let id = fake.store_media(UploadedMedia { phone_number_id, mime_type, filename, bytes });
    Json(json!({ "id": id })).into_response()
}

/// `GET /<version>/<media-id>`: where to download it (with the token).
async fn media_url(
    State(fake): State<Arc<FakeGraph>>,
    Path((_version, media_id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    if !authorised(&headers) {
        return graph_error(StatusCode::UNAUTHORIZED, 190, "no token");
    }
    let Some(media) = fake.media.lock().unwrap().get(&media_id).cloned() else {
        return graph_error(StatusCode::NOT_FOUND, 100, "Unsupported get request. Object does not exist.");
    };
    // Where this router is mounted: the request's path less its own part.
    let path = uri.path();
    let mount = path.rsplitn(3, '/').nth(2).unwrap_or_default();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    use sha2::Digest as _;
    Json(json!({
        "messaging_product": "whatsapp",
        "url": format!("http://{host}{mount}/_media/{media_id}"),
        "mime_type": media.mime_type,
        "sha256": hex::encode(sha2::Sha256::digest(&media.bytes)),
        "file_size": media.bytes.len(),
        "id": media_id,
    }))
    .into_response()
}

/// The media's bytes, for a request with the token.
async fn download(State(fake): State<Arc<FakeGraph>>, Path(media_id): Path<String>, headers: HeaderMap) -> Response {
    if !authorised(&headers) {
        return graph_error(StatusCode::UNAUTHORIZED, 190, "no token");
    }
    match fake.media.lock().unwrap().get(&media_id).cloned() {
        Some(media) => ([(header::CONTENT_TYPE, media.mime_type)], media.bytes).into_response(),
        None => graph_error(StatusCode::NOT_FOUND, 100, "no such media"),
    }
}

async fn send(
    State(fake): State<Arc<FakeGraph>>,
    Path((_version, phone_number_id)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    if !authorised(&headers) {
        return (StatusCode::UNAUTHORIZED, Json(json!({ "error": { "code": 190, "message": "no token" } })));
    }
    let throttle = fake.throttle_next.load(Ordering::SeqCst);
    if throttle > 0
        && fake.throttle_next.compare_exchange(throttle, throttle - 1, Ordering::SeqCst, Ordering::SeqCst).is_ok()
    {
        let error = json!({ "error": { "code": 130429, "message": "Rate limit hit" } });
        return (StatusCode::TOO_MANY_REQUESTS, Json(error));
    }
    // A document or image sent by media id must be one uploaded here.
    for kind in ["document", "image", "audio", "video", "sticker"] {
        if let Some(id) = body[kind]["id"].as_str()
            && !fake.media.lock().unwrap().contains_key(id)
        {
            let error =
                json!({ "error": { "code": 131053, "message": format!("Media upload error: unknown media id {id}") } });
            return (StatusCode::BAD_REQUEST, Json(error));
        }
    }
    let n = fake.counter.fetch_add(1, Ordering::SeqCst);
    let wamid = format!("wamid.fake.{n}");
    let to = body["to"].clone();
    if let Some(webhook) = fake.statuses_to.lock().unwrap().clone() {
        tokio::spawn(post_sent_status(webhook, phone_number_id.clone(), wamid.clone(), body.clone()));
    }
    fake.captured.lock().unwrap().push(Captured { phone_number_id, wamid: wamid.clone(), body });
    let unanswered = fake.take_without_answer.load(Ordering::SeqCst);
    if unanswered > 0
        && fake
            .take_without_answer
            .compare_exchange(unanswered, unanswered - 1, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    {
        std::future::pending::<()>().await;
    }
    (
        StatusCode::OK,
        Json(
            json!({ "messaging_product": "whatsapp", "contacts": [{ "input": to, "wa_id": to }], "messages": [{ "id": wamid }] }),
        ),
    )
}

/// Posts the `sent` status Meta posts once it has taken a message (with the
/// message's `biz_opaque_callback_data`, as Meta echoes it). Meta retries a
/// webhook that fails; the fake tries a few times.
async fn post_sent_status(webhook: StatusWebhook, phone_number_id: String, wamid: String, message: Value) {
    let mut status = json!({
        "id": wamid,
        "status": "sent",
        "timestamp": (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs()).to_string(),
        "recipient_id": message["to"],
    });
    if let Some(data) = message.get("biz_opaque_callback_data") {
        status["biz_opaque_callback_data"] = data.clone();
    }
    let envelope = json!({ "object": "whatsapp_business_account", "entry": [{ "id": "WABA-FAKE", "changes": [{
        "field": "messages",
        "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "910000000000", "phone_number_id": phone_number_id },
            "statuses": [status],
        },
    }] }] })
    .to_string();
    let signature = crate::channel::webhook::sign(&webhook.app_secret, envelope.as_bytes());
    for attempt in 0..5u32 {
        let (url, body, signature) = (webhook.url.clone(), envelope.clone(), signature.clone());
        let posted = tokio::task::spawn_blocking(move || {
            ureq::post(&url)
                .header("x-hub-signature-256", &signature)
                .header("content-type", "application/json")
                .send(body.as_bytes())
                .map(|r| r.status().is_success())
        })
        .await;
        if matches!(posted, Ok(Ok(true))) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200 << attempt)).await;
    }
}

async fn captured(State(fake): State<Arc<FakeGraph>>) -> Json<Value> {
    let all: Vec<Value> = fake
        .captured
        .lock()
        .unwrap()
        .iter()
        .map(|c| json!({ "phone_number_id": c.phone_number_id, "wamid": c.wamid, "body": c.body }))
        .collect();
    Json(json!({ "messages": all }))
}
