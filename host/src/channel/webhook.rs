//! The WhatsApp webhook: Meta's verification handshake (GET) and message
//! delivery (POST), exactly as the Cloud API speaks them.
//!
//! A POST is answered 200 only after every message in it is stored; anything
//! else makes Meta retry, and the stored wamid makes the retry harmless. So a
//! database outage costs a delay, never a message.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::json;
use sha2::Sha256;

use super::whatsapp::{Envelope, Message, MessageKind, errors_said};
use crate::store::{InboundRecord, StatusRecord, Writer, now_ms};
use crate::telemetry::{ReasonLabel, metrics};

/// Meta sends payloads up to 3 MB.
pub const MAX_BODY: usize = 3 * 1024 * 1024;

/// What the webhook needs to know.
#[derive(Clone, Debug)]
pub struct WebhookConfig {
    /// The token configured in Meta's dashboard for the GET handshake.
    pub verify_token: String,
    /// The app secret that keys `X-Hub-Signature-256`.
    pub app_secret: String,
}

#[derive(Clone, Debug)]
struct WebhookState {
    config: Arc<WebhookConfig>,
    /// Concurrent webhooks are stored together, one commit for many.
    writer: Writer,
}

/// `GET`/`POST /webhook`. Messages are stored through `writer`, which hands
/// the new ones to the worker, so nothing polls the database for them.
pub fn router(config: WebhookConfig, writer: Writer) -> Router {
    let state = WebhookState { config: Arc::new(config), writer };
    Router::new().route("/webhook", get(verify).post(receive)).with_state(state)
}

#[derive(Deserialize)]
struct Handshake {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

async fn verify(State(state): State<WebhookState>, Query(q): Query<Handshake>) -> Response {
    let token_ok = q.verify_token.as_deref().is_some_and(|t| constant_time_eq(t, &state.config.verify_token));
    match (q.mode.as_deref(), token_ok, q.challenge) {
        (Some("subscribe"), true, Some(challenge)) => (StatusCode::OK, challenge).into_response(),
        _ => (StatusCode::FORBIDDEN, "verification failed").into_response(),
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    // Keyed MACs compared in constant time, so neither length nor content leaks.
    let mac = |s: &str| {
        let mut m = Hmac::<Sha256>::new_from_slice(b"mitra-compare").expect("any key length works");
        m.update(s.as_bytes());
        m
    };
    mac(a).verify_slice(&mac(b).finalize().into_bytes()).is_ok()
}

/// The HMAC-SHA256 of a raw request body keyed with `secret`: how Meta,
/// the payment gateway and DigiLocker each sign what they post (they differ
/// only in how the digest is written). Check it with `verify_slice`, which
/// compares in constant time.
pub fn body_mac(secret: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length works");
    mac.update(body);
    mac
}

/// Checks `sha256=<hex>` against the HMAC-SHA256 of the raw body.
pub fn signature_valid(secret: &str, body: &[u8], header: Option<&str>) -> bool {
    let Some(hex_sig) = header.and_then(|h| h.strip_prefix("sha256=")) else { return false };
    let Ok(expected) = hex::decode(hex_sig.trim()) else { return false };
    body_mac(secret, body).verify_slice(&expected).is_ok()
}

/// Signs `body` as Meta does (for the simulator and tests).
pub fn sign(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", hex::encode(body_mac(secret, body).finalize().into_bytes()))
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// A webhook that is not from Meta (or not one Meta would send): answered
/// 4xx, logged and counted by reason, nothing stored.
fn refused(status: StatusCode, reason: &'static str, detail: &str, bytes: usize) -> Response {
    tracing::warn!(reason, detail, bytes, "webhook refused");
    metrics().webhook_refused.get_or_create(&ReasonLabel { reason }).inc();
    error(status, detail)
}

/// A part of a signed webhook that was acknowledged but not used.
fn unused(reason: &'static str) {
    metrics().webhook_unused.get_or_create(&ReasonLabel { reason }).inc();
}

async fn receive(State(state): State<WebhookState>, headers: HeaderMap, body: Body) -> Response {
    // Read here rather than by an extractor, so that an oversized or broken
    // body is logged and counted like every other refusal.
    let response = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(body) => answer(&state, &headers, &body).await,
        Err(e) => {
            let too_large =
                std::error::Error::source(&e).is_some_and(|cause| cause.is::<http_body_util::LengthLimitError>());
            if too_large {
                let detail = format!("the body is over {MAX_BODY} bytes");
                refused(StatusCode::PAYLOAD_TOO_LARGE, "too_large", &detail, MAX_BODY)
            } else {
                refused(StatusCode::BAD_REQUEST, "unreadable_body", &format!("the body could not be read: {e}"), 0)
            }
        }
    };
    metrics().webhook_answered(response.status());
    response
}

async fn answer(state: &WebhookState, headers: &HeaderMap, body: &Bytes) -> Response {
    let header = headers.get("x-hub-signature-256").and_then(|v| v.to_str().ok());
    if !signature_valid(&state.config.app_secret, body, header) {
        let detail = if header.is_none() { "no X-Hub-Signature-256" } else { "invalid X-Hub-Signature-256" };
        return refused(StatusCode::UNAUTHORIZED, "signature", detail, body.len());
    }
    let envelope: Envelope = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(e) => {
            let detail = format!("malformed webhook payload: {e}");
            return refused(StatusCode::BAD_REQUEST, "not_json", &detail, body.len());
        }
    };
    if envelope.object != "whatsapp_business_account" {
        let detail = format!("not a whatsapp_business_account webhook (object {:?})", envelope.object);
        return refused(StatusCode::BAD_REQUEST, "not_whatsapp", &detail, body.len());
    }
    // Signed by Meta: whatever its shape, it is acknowledged (a 4xx makes
    // Meta deliver it again for days); what cannot be used is logged.
    let (inbound, statuses) = records(&envelope);
    for message in &inbound {
        tracing::debug!(request_id = message.wamid, kind = message.kind, "webhook message");
    }
    match state.writer.webhook(inbound, statuses).await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(cause) => {
            // Not 200: Meta retries, and the retry finds the database back.
            tracing::error!(cause = format!("{cause:#}"), "webhook not stored; Meta will retry");
            error(StatusCode::SERVICE_UNAVAILABLE, "temporarily unavailable")
        }
    }
}

/// Flattens an envelope into rows to store. Changes of other fields than
/// `messages` are ignored, and what cannot be read is skipped or kept as
/// `unsupported`, each logged once with the reason.
pub fn records(envelope: &Envelope) -> (Vec<InboundRecord>, Vec<StatusRecord>) {
    let received_at_ms = now_ms();
    let mut inbound = Vec::new();
    let mut statuses = Vec::new();
    for change in envelope.entry.iter().flat_map(|e| &e.changes) {
        let value = match change.messages() {
            Some(Ok(value)) => value,
            Some(Err(e)) => {
                tracing::warn!(error = %e, "a messages change that cannot be read was acknowledged and dropped");
                unused("unreadable_change");
                continue;
            }
            None => {
                tracing::info!(field = change.field, "webhook field not handled; acknowledged");
                unused("field_not_handled");
                continue;
            }
        };
        for raw in &value.messages {
            let parsed = Message::parse_lenient(raw).map(|(message, why)| {
                let why = why.or_else(|| match &message.kind {
                    MessageKind::Unsupported { errors } => {
                        Some(format!("Meta could not deliver it: {}", errors_said(errors)))
                    }
                    _ => None,
                });
                (message, why)
            });
            let message = match parsed {
                Ok((message, None)) => message,
                Ok((message, Some(why))) => {
                    tracing::warn!(
                        wamid = message.id,
                        from = message.from,
                        reason = why,
                        "message kept as unsupported"
                    );
                    unused("kept_unsupported");
                    message
                }
                Err(e) => {
                    tracing::warn!(error = %e, "a message without a sender or id was acknowledged and dropped");
                    unused("no_sender");
                    continue;
                }
            };
            let profile_name =
                value.contacts.iter().find(|c| c.wa_id == message.from).and_then(|c| c.profile.as_ref()?.name.clone());
            inbound.push(InboundRecord {
                wamid: message.id.clone(),
                phone_number_id: value.metadata.phone_number_id.clone(),
                wa_id: message.from.clone(),
                profile_name,
                kind: message.kind.name().to_owned(),
                payload: raw.get().to_owned(),
                sent_at: message.timestamp.parse().unwrap_or(0),
                received_at_ms,
            });
        }
        for status in &value.statuses {
            statuses.push(StatusRecord {
                message_id: status.id.clone(),
                status: status.status.clone(),
                recipient_id: status.recipient_id.clone(),
                sent_at: status.timestamp.parse().unwrap_or(0),
                errors: (!status.errors.is_empty()).then(|| serde_json::to_string(&status.errors).unwrap_or_default()),
                callback: status.biz_opaque_callback_data.clone(),
            });
        }
    }
    (inbound, statuses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_checked_over_the_raw_body() {
        let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
        let good = sign("s3cret", body);
        assert!(signature_valid("s3cret", body, Some(&good)));
        assert!(!signature_valid("other", body, Some(&good)));
        assert!(!signature_valid("s3cret", b"{}", Some(&good)));
        assert!(!signature_valid("s3cret", body, None));
        assert!(!signature_valid("s3cret", body, Some("sha256=zz")));
        assert!(!signature_valid("s3cret", body, Some(good.trim_start_matches("sha256="))));
    }

    #[test]
    fn tokens_compare_equal_only_when_equal() {
        assert!(constant_time_eq("token", "token"));
        assert!(!constant_time_eq("token", "tokem"));
        assert!(!constant_time_eq("token", "token-longer"));
    }
}

/// Properties over arbitrary webhooks (proptest; `PROPTEST_CASES` sets how
/// many): reading never panics whatever the bytes, a signed body is
/// accepted and any change to it is not, and the messages a webhook holds
/// come out as rows that read back to the same messages.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::*;

    /// One inbound message of any type Mitra reads, with arbitrary text.
    fn message() -> impl Strategy<Value = Value> {
        let text = "\\PC{0,200}";
        let kind = prop_oneof![
            text.prop_map(|body| json!({ "type": "text", "text": { "body": body } })),
            ("[a-z:/_-]{1,40}", text).prop_map(|(id, title)| json!({
                "type": "interactive",
                "interactive": { "type": "button_reply", "button_reply": { "id": id, "title": title } }
            })),
            ("[a-z:/_-]{1,40}", text)
                .prop_map(|(payload, t)| json!({ "type": "button", "button": { "payload": payload, "text": t } })),
            (-90.0f64..90.0, -180.0f64..180.0)
                .prop_map(|(la, lo)| json!({ "type": "location", "location": { "latitude": la, "longitude": lo } })),
            "[0-9]{1,20}".prop_map(|id| json!({ "type": "image", "image": { "id": id, "mime_type": "image/jpeg" } })),
            ".{0,4}".prop_map(|e| json!({ "type": "reaction", "reaction": { "message_id": "wamid.R", "emoji": e } })),
            "[a-z_]{1,20}".prop_map(|t| json!({ "type": t })),
        ];
        ("[0-9]{8,15}", "[A-Za-z0-9=._-]{1,60}", 0u64..4_000_000_000, kind).prop_map(|(from, id, ts, mut m)| {
            m["from"] = from.into();
            m["id"] = format!("wamid.{id}").into();
            m["timestamp"] = ts.to_string().into();
            m
        })
    }

    fn envelope(messages: &[Value]) -> Value {
        json!({ "object": "whatsapp_business_account", "entry": [{ "id": "W", "changes": [{ "field": "messages",
            "value": { "messaging_product": "whatsapp", "metadata": { "phone_number_id": "P" }, "messages": messages } }] }] })
    }

    proptest! {
        #[test]
        fn any_bytes_are_read_or_refused_without_a_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
            if let Ok(envelope) = serde_json::from_slice::<Envelope>(&body) {
                let _ = records(&envelope);
            }
            let _ = signature_valid("secret", &body, std::str::from_utf8(&body).ok());
        }

        #[test]
        fn a_signed_body_is_accepted_and_any_change_refused(
            body in proptest::collection::vec(any::<u8>(), 1..256),
            at in any::<prop::sample::Index>(),
            flip in 1u8..=255,
        ) {
            let signature = sign("secret", &body);
            prop_assert!(signature_valid("secret", &body, Some(&signature)));
            let mut changed = body.clone();
            let at = at.index(changed.len());
            changed[at] ^= flip;
            prop_assert!(!signature_valid("secret", &changed, Some(&signature)));
            prop_assert!(!signature_valid("other", &body, Some(&signature)));
        }

        #[test]
        fn stored_messages_read_back_as_the_webhook_sent_them(messages in proptest::collection::vec(message(), 0..8)) {
            let body = envelope(&messages).to_string();
            let envelope: Envelope = serde_json::from_str(&body).unwrap();
            let (rows, statuses) = records(&envelope);
            prop_assert!(statuses.is_empty());
            prop_assert_eq!(rows.len(), messages.len());
            for (row, sent) in rows.iter().zip(&messages) {
                // The stored payload is the message as sent, byte for byte.
                let stored: Value = serde_json::from_str(&row.payload).unwrap();
                prop_assert_eq!(&stored, sent);
                prop_assert_eq!(&row.wamid, sent["id"].as_str().unwrap());
                prop_assert_eq!(&row.wa_id, sent["from"].as_str().unwrap());
                prop_assert_eq!(row.sent_at.to_string(), sent["timestamp"].as_str().unwrap());
                // Parsed, written out and parsed again: the same message.
                let parsed: Message = serde_json::from_str(&row.payload).unwrap();
                let again: Message = serde_json::from_value(serde_json::to_value(&parsed).unwrap()).unwrap();
                prop_assert_eq!(parsed.kind.name(), again.kind.name());
                prop_assert_eq!(serde_json::to_value(&parsed).unwrap(), serde_json::to_value(&again).unwrap());
                prop_assert_eq!(row.kind.as_str(), parsed.kind.name());
            }
        }
    }
}
