//! The WhatsApp webhook through real HTTP requests (the axum router), on
//! SQLite and on the real PostgreSQL: signatures, malformed and oversized
//! bodies, Meta's retries, out-of-order statuses, every message type.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use mitra::channel::webhook::{self, MAX_BODY, WebhookConfig, sign};
use mitra::store::Store;
use tower::ServiceExt as _;

const SECRET: &str = "test-app-secret";

fn app(store: Store) -> axum::Router {
    let config = WebhookConfig { verify_token: "verify-me".into(), app_secret: SECRET.into() };
    // No worker: stored messages stay in the database.
    webhook::router(
        config,
        mitra::store::Writer::spawn(
            store,
            tokio::sync::mpsc::unbounded_channel().0,
            tokio::sync::mpsc::unbounded_channel().0,
        ),
    )
}

async fn sqlite() -> (tempfile::TempDir, Store) {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    (tmp, store)
}

async fn post(app: &axum::Router, body: &[u8], signature: Option<String>) -> StatusCode {
    let mut request = Request::post("/webhook").header("content-type", "application/json");
    if let Some(signature) = signature {
        request = request.header("x-hub-signature-256", signature);
    }
    app.clone().oneshot(request.body(Body::from(body.to_vec())).unwrap()).await.unwrap().status()
}

async fn post_signed(app: &axum::Router, body: &str) -> StatusCode {
    post(app, body.as_bytes(), Some(sign(SECRET, body.as_bytes()))).await
}

/// A Cloud API delivery of `messages` (JSON array items) from one citizen.
fn delivery(wa_id: &str, messages: &[String]) -> String {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"WABA","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"919000000000","phone_number_id":"PNID-1"}},"contacts":[{{"profile":{{"name":"Lakshmi"}},"wa_id":"{wa_id}"}}],"messages":[{}]}}}}]}}]}}"#,
        messages.join(",")
    )
}

fn text(wa_id: &str, wamid: &str, ts: u64, body: &str) -> String {
    format!(r#"{{"from":"{wa_id}","id":"{wamid}","timestamp":"{ts}","type":"text","text":{{"body":"{body}"}}}}"#)
}

fn statuses(items: &[(&str, &str, u64)]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|(id, status, ts)| {
            format!(r#"{{"id":"{id}","status":"{status}","timestamp":"{ts}","recipient_id":"919876543210"}}"#)
        })
        .collect();
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"WABA","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"phone_number_id":"PNID-1"}},"statuses":[{}]}}}}]}}]}}"#,
        items.join(",")
    )
}

async fn handshake(app: &axum::Router, query: &str) -> (StatusCode, String) {
    let response =
        app.clone().oneshot(Request::get(format!("/webhook?{query}")).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn verification_handshake_echoes_the_challenge_only_for_the_right_token() {
    let (_tmp, store) = sqlite().await;
    let app = app(store);
    let ok = handshake(&app, "hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444").await;
    assert_eq!(ok, (StatusCode::OK, "1158201444".to_owned()));
    let (status, _) = handshake(&app, "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = handshake(&app, "hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn forged_malformed_and_oversized_bodies_are_refused_and_store_nothing(store: Store) {
    let app = app(store.clone());
    let refused = |reason: &'static str| {
        mitra::telemetry::metrics().webhook_refused.get_or_create(&mitra::telemetry::ReasonLabel { reason }).get()
    };
    let reasons = ["signature", "not_json", "not_whatsapp", "too_large"];
    let before: Vec<u64> = reasons.iter().map(|r| refused(r)).collect();
    let wa = "919800000001";
    let body = delivery(wa, &[text(wa, "wamid.forged", 1_700_000_000, "menu")]);
    assert_eq!(post(&app, body.as_bytes(), None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        post(&app, body.as_bytes(), Some(sign("not-the-secret", body.as_bytes()))).await,
        StatusCode::UNAUTHORIZED
    );
    let tampered = body.replace("menu", "help");
    assert_eq!(post(&app, tampered.as_bytes(), Some(sign(SECRET, body.as_bytes()))).await, StatusCode::UNAUTHORIZED);
    assert_eq!(post_signed(&app, "{not json").await, StatusCode::BAD_REQUEST);
    assert_eq!(post_signed(&app, r#"{"object":"page","entry":[]}"#).await, StatusCode::BAD_REQUEST);
    let huge = vec![b' '; MAX_BODY + 1];
    assert_eq!(post(&app, &huge, Some(sign(SECRET, &huge))).await, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(store.inbound_of(wa).await.unwrap().is_empty());
    // Each refusal is counted by its reason (other tests may count too).
    for ((reason, before), least) in reasons.iter().zip(before).zip([3, 1, 1, 1]) {
        assert!(refused(reason) >= before + least, "{reason}: {} after {before}", refused(reason));
    }
}

async fn duplicates_are_stored_once_and_every_type_is_kept(store: Store, wa: &str) {
    let app = app(store.clone());
    let first = delivery(wa, &[text(wa, &format!("wamid.{wa}.1"), 1_700_000_001, "menu")]);
    for _ in 0..3 {
        assert_eq!(post_signed(&app, &first).await, StatusCode::OK, "Meta's retries are acknowledged");
    }
    let kinds = [
        format!(
            r#"{{"from":"{wa}","id":"wamid.{wa}.2","timestamp":"1700000002","type":"sticker","sticker":{{"id":"M1","mime_type":"image/webp","sha256":"x"}}}}"#
        ),
        format!(
            r#"{{"from":"{wa}","id":"wamid.{wa}.3","timestamp":"1700000003","type":"audio","audio":{{"id":"M2","mime_type":"audio/ogg","sha256":"x","voice":true}}}}"#
        ),
        format!(
            r#"{{"from":"{wa}","id":"wamid.{wa}.4","timestamp":"1700000004","type":"unsupported","errors":[{{"code":131051}}]}}"#
        ),
        format!(
            r#"{{"from":"{wa}","id":"wamid.{wa}.5","timestamp":"1700000005","type":"reaction","reaction":{{"emoji":"👍"}}}}"#
        ),
        format!(
            r#"{{"from":"{wa}","id":"wamid.{wa}.6","timestamp":"1700000006","type":"location","location":{{"latitude":16.5,"longitude":80.6}}}}"#
        ),
    ];
    assert_eq!(post_signed(&app, &delivery(wa, &kinds)).await, StatusCode::OK);
    let stored = store.inbound_of(wa).await.unwrap();
    let kinds: Vec<&str> = stored.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(kinds, ["text", "sticker", "audio", "unsupported", "reaction", "location"]);
    assert_eq!(stored[0].profile_name.as_deref(), Some("Lakshmi"));
    assert!(stored[4].payload.contains("👍"), "unknown types keep their payload");
}

async fn statuses_out_of_order_and_repeated_are_each_recorded_once(store: Store, id: &str) {
    let app = app(store.clone());
    // `read` arrives before `delivered`, `sent` is retried, `delivered` skipped in the first batch.
    let batches = [
        statuses(&[(id, "read", 30)]),
        statuses(&[(id, "sent", 10), (id, "sent", 10)]),
        statuses(&[(id, "delivered", 20)]),
    ];
    for batch in &batches {
        assert_eq!(post_signed(&app, batch).await, StatusCode::OK);
    }
    assert_eq!(store.statuses_of(id).await.unwrap(), ["sent", "delivered", "read"]);
}

#[tokio::test]
async fn sqlite_webhook_refuses_bad_input() {
    let (_tmp, store) = sqlite().await;
    forged_malformed_and_oversized_bodies_are_refused_and_store_nothing(store).await;
}

#[tokio::test]
async fn sqlite_webhook_dedupes_and_keeps_every_type() {
    let (_tmp, store) = sqlite().await;
    duplicates_are_stored_once_and_every_type_is_kept(store.clone(), "919800000002").await;
    statuses_out_of_order_and_repeated_are_each_recorded_once(store, "wamid.out.sqlite").await;
}

#[tokio::test]
async fn postgres_webhook_refuses_bad_input_dedupes_and_keeps_every_type() {
    let store = Store::connect(&crate::store::postgres_url()).await.unwrap();
    // Unique per run: the PostgreSQL database outlives test runs.
    let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    forged_malformed_and_oversized_bodies_are_refused_and_store_nothing(store.clone()).await;
    duplicates_are_stored_once_and_every_type_is_kept(store.clone(), &format!("91{}", run % 10_000_000_000)).await;
    statuses_out_of_order_and_repeated_are_each_recorded_once(store, &format!("wamid.out.pg.{run}")).await;
}

#[tokio::test]
async fn a_database_that_is_down_gets_503_so_meta_retries() {
    let (_tmp, store) = sqlite().await;
    if let Store::Sqlite(pool) = &store {
        pool.close().await;
    }
    let wa = "919800000009";
    let status = post_signed(&app(store), &delivery(wa, &[text(wa, "wamid.down", 1_700_000_000, "hi")])).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn a_disk_that_cannot_sync_gets_503_so_meta_retries() {
    let (tmp, store) = sqlite().await;
    let app = app(store);
    let wa = "919800000010";
    let first = delivery(wa, &[text(wa, "wamid.sync.1", 1_700_000_000, "hi")]);
    assert_eq!(post_signed(&app, &first).await, StatusCode::OK);
    // The files vanish under the open database: commits still succeed (on
    // the unlinked files) but nothing can be synced to disk any more, so no
    // 200 may promise Meta the message is kept.
    for entry in std::fs::read_dir(tmp.path()).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let second = delivery(wa, &[text(wa, "wamid.sync.2", 1_700_000_001, "again")]);
    assert_eq!(post_signed(&app, &second).await, StatusCode::SERVICE_UNAVAILABLE);
}

/// Meta's own error-bearing and non-message deliveries are acknowledged (a
/// 4xx would make Meta deliver them again for days) and kept where they are
/// a citizen's message.
#[tokio::test]
async fn meta_s_unsupported_payloads_and_other_fields_are_acknowledged() {
    let (_tmp, store) = sqlite().await;
    let app = app(store.clone());
    let wa = "919800000077";
    // An `interactive` with no interactive body and an errors array, as
    // Meta sends it for what it could not deliver in full (error 131000).
    let unsupported = format!(
        r#"{{"from":"{wa}","id":"wamid.{wa}.u","timestamp":"1700000100","type":"interactive","errors":[{{"code":131000,"title":"Something went wrong","message":"Something went wrong","error_data":{{"details":"Unsupported webhook payload"}}}}]}}"#
    );
    // A text with no text, and one with no sender (dropped, still 200).
    let bodiless = format!(r#"{{"from":"{wa}","id":"wamid.{wa}.b","timestamp":1700000101,"type":"text"}}"#);
    let anonymous = r#"{"id":"wamid.anon","timestamp":"1700000102","type":"text","text":{"body":"hi"}}"#.to_owned();
    let body = delivery(wa, &[unsupported, bodiless, anonymous]);
    assert_eq!(post_signed(&app, &body).await, StatusCode::OK);
    let stored = store.inbound_of(wa).await.unwrap();
    let kinds: Vec<&str> = stored.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds, ["unsupported", "unsupported"], "{stored:#?}");
    assert_eq!(stored[1].sent_at, 1_700_000_101, "a numeric timestamp is read too");
    assert!(stored[0].payload.contains("131000"), "kept as Meta sent it");

    for field in [
        r#"{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":12345678,"message_template_name":"mitra_reopen_conversation","message_template_language":"en_US","reason":"NONE"}}"#,
        r#"{"field":"account_update","value":{"phone_number":"919000000000","event":"VERIFIED_ACCOUNT"}}"#,
        r#"{"field":"messages","value":{"unexpected":true}}"#,
    ] {
        let body = format!(
            r#"{{"object":"whatsapp_business_account","entry":[{{"id":"WABA","time":1700000200,"changes":[{field}]}}]}}"#
        );
        assert_eq!(post_signed(&app, &body).await, StatusCode::OK, "{field}");
    }
}
