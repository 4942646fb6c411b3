//! Whole conversations through signed HTTP webhooks: the worker turns them
//! into replies, the sender delivers them to the fake Graph API over real
//! HTTP, and every captured message is checked against the Cloud API limits.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use mitra::channel::fake_graph::{self, FakeGraph};
use mitra::channel::graph::GraphConfig;
use mitra::channel::webhook::{WebhookConfig, sign};
use mitra::chat::outgoing::check_limits;
use mitra::runtime::{Catalog, Runtime};
use mitra::store::Store;
use mitra::web::{AppState, host};
use serde_json::Value;
use tower::ServiceExt as _;

use crate::support::{pensions_manifest, runtime};

pub(crate) const SECRET: &str = "conversation-secret";

pub(crate) struct Harness {
    pub(crate) app: axum::Router,
    pub(crate) fake: Arc<FakeGraph>,
}

pub(crate) async fn start_fake() -> (Arc<FakeGraph>, String) {
    let fake = Arc::new(FakeGraph::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = fake_graph::router(fake.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (fake, url)
}

pub(crate) fn catalog(runtime: &Runtime) -> Arc<Catalog> {
    let catalog = Catalog::new();
    catalog.publish(Arc::new(runtime.load(pensions_manifest()).unwrap()));
    Arc::new(catalog)
}

pub(crate) async fn harness(store: Store, catalog: Arc<Catalog>, fake: Arc<FakeGraph>, url: &str) -> Harness {
    let webhook = WebhookConfig { verify_token: "v".into(), app_secret: SECRET.into() };
    let graph = GraphConfig {
        base_url: url.into(),
        token: "test-token".into(),
        rate_per_number: 1000,
        ..GraphConfig::default()
    };
    Harness { app: host(AppState::new(catalog, store), webhook, graph), fake }
}

/// A citizen picks English and answers the old-age pension's form up to
/// its summary (the Submit button next).
pub(crate) async fn fill_old_age_pension(h: &Harness, wa: &str) {
    h.say(wa, text(wa, "hi"), 1).await;
    h.say(wa, tap(wa, "lang:en", false), 2).await;
    h.say(wa, tap(wa, "svc:pensions/old-age", true), 1).await;
    h.say(wa, tap(wa, "start:pensions/old-age", false), 1).await;
    h.say(wa, text(wa, "4991 1234 5677"), 1).await;
    h.say(wa, text(wa, "15/08/1950"), 1).await;
    h.say(wa, tap(wa, "opt:rural", false), 1).await;
    h.say(wa, text(wa, "5000"), 1).await;
}

/// A delivery to business number `phone_number_id` (a state may run several).
pub(crate) fn envelope_to(phone_number_id: &str, wa: &str, message: Value) -> String {
    serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "WABA", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "919000000000", "phone_number_id": phone_number_id },
            "contacts": [{ "profile": { "name": "Lakshmi" }, "wa_id": wa }],
            "messages": [message],
        }}]}]
    })
    .to_string()
}

static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub(crate) fn message(wa: &str, kind: &str, payload: Value) -> Value {
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    // Current timestamps: replies are inside the citizen's 24-hour window.
    let now = mitra_tests::unix_now();
    let mut m = serde_json::json!({ "from": wa, "id": format!("wamid.conv.{wa}.{n}"), "timestamp": now.to_string(), "type": kind });
    m[kind] = payload;
    m
}

pub(crate) fn text(wa: &str, body: &str) -> Value {
    message(wa, "text", serde_json::json!({ "body": body }))
}

pub(crate) fn tap(wa: &str, id: &str, list: bool) -> Value {
    let (kind, key) = if list { ("list_reply", "list_reply") } else { ("button_reply", "button_reply") };
    message(wa, "interactive", serde_json::json!({ "type": kind, key: { "id": id, "title": id } }))
}

impl Harness {
    /// Posts `message` as a signed webhook and waits for `expect` replies.
    pub(crate) async fn say(&self, wa: &str, message: Value, expect: usize) -> Vec<Value> {
        self.say_to("PNID-1", wa, message, expect).await
    }

    /// [`Harness::say`] to a given business number.
    pub(crate) async fn say_to(&self, phone_number_id: &str, wa: &str, message: Value, expect: usize) -> Vec<Value> {
        let before = self.fake.to(wa).len();
        let body = envelope_to(phone_number_id, wa, message);
        let request = Request::post("/webhook")
            .header("content-type", "application/json")
            .header("x-hub-signature-256", sign(SECRET, body.as_bytes()))
            .body(Body::from(body))
            .unwrap();
        assert_eq!(self.app.clone().oneshot(request).await.unwrap().status(), StatusCode::OK);
        let started = Instant::now();
        loop {
            let all = self.fake.to(wa);
            if all.len() >= before + expect {
                tokio::time::sleep(Duration::from_millis(50)).await;
                let all = self.fake.to(wa);
                assert_eq!(all.len(), before + expect, "more replies than expected: {:#?}", &all[before..]);
                for reply in &all[before..] {
                    check_limits(reply).unwrap_or_else(|e| panic!("{e}: {reply}"));
                }
                return all[before..].to_vec();
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "waited for {expect} replies, got {:#?}",
                &all[before..]
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

pub(crate) fn row_ids(list: &Value) -> Vec<String> {
    list["interactive"]["action"]["sections"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_citizen_reaches_a_service_in_telugu(store: Store, wa: &str) {
    let rt = runtime();
    let (fake, url) = start_fake().await;
    let h = harness(store.clone(), catalog(&rt), fake.clone(), &url).await;

    let first = h.say(wa, text(wa, "hi"), 1).await;
    let buttons = first[0]["interactive"]["action"]["buttons"].as_array().unwrap();
    assert_eq!(buttons.len(), 3);
    assert_eq!(buttons[1]["reply"]["title"], "తెలుగు");

    let welcome = h.say(wa, tap(wa, "lang:te", false), 2).await;
    assert!(welcome[0]["text"]["body"].as_str().unwrap().contains("మిత్రకు స్వాగతం"));
    assert_eq!(row_ids(&welcome[1]), ["dept:pensions"]);
    assert_eq!(welcome[1]["interactive"]["action"]["sections"][0]["rows"][0]["title"], "పింఛన్లు");

    let found = h.say(wa, text(wa, "old age pensoin"), 1).await;
    assert_eq!(row_ids(&found[0])[0], "svc:pensions/old-age");

    let service = h.say(wa, tap(wa, "svc:pensions/old-age", true), 1).await;
    let body = service[0]["interactive"]["body"]["text"].as_str().unwrap();
    assert!(body.contains("వృద్ధాప్య పింఛను") && body.contains("ఆధార్ సంఖ్య"), "{body}");

    let sticker = h
        .say(wa, message(wa, "sticker", serde_json::json!({ "id": "S1", "mime_type": "image/webp", "sha256": "x" })), 1)
        .await;
    assert!(sticker[0]["text"]["body"].as_str().unwrap().contains("స్టిక్కర్లు"));

    let back = h.say(wa, text(wa, "back"), 1).await;
    assert_eq!(row_ids(&back[0])[0], "svc:pensions/old-age");

    // A restart: a new host on the same database remembers the language.
    let h2 = harness(store, catalog(&rt), fake, &url).await;
    let menu = h2.say(wa, text(wa, "menu"), 1).await;
    assert!(menu[0]["interactive"]["body"]["text"].as_str().unwrap().contains("శాఖను"), "{}", menu[0]);
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_a_citizen_reaches_a_service_in_telugu_and_is_remembered_after_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    a_citizen_reaches_a_service_in_telugu(store, "919811111111").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_a_citizen_reaches_a_service_in_telugu_and_is_remembered_after_a_restart() {
    let store = Store::connect(&crate::store::fresh_postgres().await).await.unwrap();
    let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    a_citizen_reaches_a_service_in_telugu(store, &format!("9182{:08}", run % 100_000_000)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn throttled_sends_are_retried_until_delivered() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let rt = runtime();
    let (fake, url) = start_fake().await;
    fake.throttle_next.store(2, std::sync::atomic::Ordering::SeqCst);
    let h = harness(store, catalog(&rt), fake.clone(), &url).await;
    let wa = "919822222222";
    let replies = h.say(wa, text(wa, "hi"), 1).await;
    assert_eq!(replies[0]["type"], "interactive");
    assert_eq!(fake.throttle_next.load(std::sync::atomic::Ordering::SeqCst), 0, "both 429s were answered");
}

#[tokio::test(flavor = "multi_thread")]
async fn replies_leave_from_the_business_number_the_citizen_wrote_to() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let rt = runtime();
    let (fake, url) = start_fake().await;
    let h = harness(store, catalog(&rt), fake.clone(), &url).await;
    let (a, b) = ("919833333331", "919833333332");
    h.say_to("PNID-NORTH", a, text(a, "hi"), 1).await;
    h.say_to("PNID-SOUTH", b, text(b, "hi"), 1).await;
    let sent: Vec<(String, Value)> =
        fake.captured.lock().unwrap().iter().map(|c| (c.phone_number_id.clone(), c.body["to"].clone())).collect();
    assert!(sent.contains(&("PNID-NORTH".to_owned(), Value::from(a))), "{sent:?}");
    assert!(sent.contains(&("PNID-SOUTH".to_owned(), Value::from(b))), "{sent:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn delivery_statuses_in_any_order_give_a_reply_the_furthest_as_its_delivery_state() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let rt = runtime();
    let (fake, url) = start_fake().await;
    let h = harness(store.clone(), catalog(&rt), fake.clone(), &url).await;
    let wa = "919844444444";
    let reply = h.say(wa, text(wa, "hi"), 1).await.remove(0);
    let outbox_id = reply["biz_opaque_callback_data"].as_str().unwrap().to_owned();
    let wamid = fake.captured.lock().unwrap().iter().find(|c| c.body["to"] == wa).unwrap().wamid.clone();
    // The send is recorded a moment after Meta's answer.
    let started = Instant::now();
    while store.outbox_state(&outbox_id).await.unwrap().unwrap().0 != "sent" {
        assert!(started.elapsed() < Duration::from_secs(5), "never recorded as sent");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = |status: &str, ts: u64| {
        serde_json::json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "WABA", "changes": [{ "field": "messages", "value": {
                "messaging_product": "whatsapp", "metadata": { "phone_number_id": "PNID-1" },
                "statuses": [{ "id": wamid, "status": status, "timestamp": ts.to_string(), "recipient_id": wa }],
            }}]}]
        })
        .to_string()
    };
    for (body, expected) in [
        (status("delivered", 20), "delivered"),
        (status("read", 30), "read"),
        // Late and repeated: neither takes the delivery state backwards.
        (status("sent", 10), "read"),
        (status("delivered", 20), "read"),
    ] {
        let request = Request::post("/webhook")
            .header("x-hub-signature-256", sign(SECRET, body.as_bytes()))
            .body(Body::from(body))
            .unwrap();
        assert_eq!(h.app.clone().oneshot(request).await.unwrap().status(), StatusCode::OK);
        assert_eq!(store.outbox_delivery(&outbox_id).await.unwrap().as_deref(), Some(expected));
    }
    assert_eq!(store.statuses_of(&wamid).await.unwrap(), ["sent", "delivered", "read"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn messages_stored_by_a_host_that_stopped_are_answered_after_the_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    // A host that stored the message (200 to Meta) and stopped before its
    // worker got to it: the webhook alone, its hand-off going nowhere.
    let webhook = WebhookConfig { verify_token: "v".into(), app_secret: SECRET.into() };
    let stopped = mitra::channel::webhook::router(
        webhook,
        mitra::store::Writer::spawn(
            store.clone(),
            tokio::sync::mpsc::unbounded_channel().0,
            tokio::sync::mpsc::unbounded_channel().0,
        ),
    );
    let wa = "919855555555";
    let body = envelope_to("PNID-1", wa, text(wa, "hi"));
    let request = Request::post("/webhook")
        .header("x-hub-signature-256", sign(SECRET, body.as_bytes()))
        .body(Body::from(body))
        .unwrap();
    assert_eq!(stopped.oneshot(request).await.unwrap().status(), StatusCode::OK);

    let rt = runtime();
    let (fake, url) = start_fake().await;
    let _restarted = harness(store, catalog(&rt), fake.clone(), &url).await;
    let started = Instant::now();
    while fake.to(wa).is_empty() {
        assert!(started.elapsed() < Duration::from_secs(10), "the stored message was never answered");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let replies = fake.to(wa);
    assert_eq!(replies.len(), 1, "answered once: {replies:#?}");
    assert_eq!(replies[0]["type"], "interactive", "the language choice");
}

#[tokio::test(flavor = "multi_thread")]
async fn messages_whose_handling_could_not_be_stored_are_handled_again_in_order_and_answered_once() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let Store::Sqlite(pool) = &store else { unreachable!() };
    let rt = runtime();
    let (fake, url) = start_fake().await;
    let h = harness(store.clone(), catalog(&rt), fake.clone(), &url).await;
    let wa = "919866666666";
    h.say(wa, text(wa, "hi"), 1).await;

    // The disk refuses what handling produces (marking messages handled),
    // while webhooks are still stored: the worker's commits fail.
    sqlx::query(
        "CREATE TRIGGER refuse_handled BEFORE UPDATE OF processed_at_ms ON inbound_messages \
         BEGIN SELECT RAISE(ABORT, 'disk trouble'); END",
    )
    .execute(pool)
    .await
    .unwrap();
    // The language tap, then a search that depends on it; neither answered.
    h.say(wa, tap(wa, "lang:en", false), 0).await;
    h.say(wa, text(wa, "old age pensoin"), 0).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.to(wa).len(), 1, "nothing answered while handling cannot be stored: {:#?}", fake.to(wa));

    // The disk recovers: recovery hands both messages to the worker again,
    // in order, and each is answered once.
    sqlx::query("DROP TRIGGER refuse_handled").execute(pool).await.unwrap();
    let started = Instant::now();
    while fake.to(wa).len() < 4 {
        assert!(started.elapsed() < Duration::from_secs(30), "not handled again: {:#?}", fake.to(wa));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let replies = fake.to(wa);
    assert_eq!(replies.len(), 4, "each answered once: {replies:#?}");
    assert!(replies[1]["text"]["body"].as_str().unwrap().starts_with("Welcome to Mitra"), "{}", replies[1]);
    assert_eq!(row_ids(&replies[2]), ["dept:pensions"]);
    // The search was handled on the session the tap left: in English.
    assert_eq!(row_ids(&replies[3])[0], "svc:pensions/old-age");
    assert!(!replies[3].to_string().contains("పింఛను"), "{}", replies[3]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_citizen_whose_message_meta_could_not_deliver_is_told_what_to_send() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("m.db").display())).await.unwrap();
    let rt = runtime();
    let (fake, url) = start_fake().await;
    let h = harness(store, catalog(&rt), fake, &url).await;
    let wa = "919800000078";
    h.say(wa, text(wa, "hi"), 1).await;
    h.say(wa, tap(wa, "lang:en", false), 2).await;
    let mut broken = message(wa, "interactive", serde_json::json!(null));
    broken.as_object_mut().unwrap().remove("interactive");
    broken["errors"] = serde_json::json!([{ "code": 131000, "title": "Something went wrong",
        "error_data": { "details": "Unsupported webhook payload" } }]);
    let told = h.say(wa, broken, 1).await;
    let said = told[0]["text"]["body"].as_str().unwrap_or_default();
    assert!(said.contains("cannot read") && said.contains("menu"), "{}", told[0]);
}

/// Meta took a reply and its answer never came (the request timed out):
/// the sender waits for Meta's status, which names the reply by
/// `biz_opaque_callback_data`, and does not send it again; without a status
/// within the wait it is sent again (the citizen may see it twice: better
/// than never). The citizen's next reply waits its turn either way.
#[tokio::test(flavor = "multi_thread")]
async fn a_reply_taken_without_an_answer_is_sent_again_only_if_no_status_proves_it_arrived() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let rt = runtime();
    let (fake, url) = start_fake().await;
    let graph = GraphConfig {
        base_url: url,
        token: "test-token".into(),
        rate_per_number: 1000,
        timeout: Duration::from_millis(300),
        confirm_wait: Duration::from_secs(3),
        ..GraphConfig::default()
    };
    let webhook = WebhookConfig { verify_token: "v".into(), app_secret: SECRET.into() };
    let h = Harness { app: host(AppState::new(catalog(&rt), store.clone()), webhook, graph), fake: fake.clone() };
    let post = |body: String| {
        let request = Request::post("/webhook")
            .header("x-hub-signature-256", sign(SECRET, body.as_bytes()))
            .body(Body::from(body))
            .unwrap();
        h.app.clone().oneshot(request)
    };
    let until = |wa: &'static str, n: usize| {
        let fake = fake.clone();
        async move {
            let started = Instant::now();
            while fake.to(wa).len() < n {
                assert!(started.elapsed() < Duration::from_secs(10), "waited for {n} messages to {wa}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };

    // Taken, unanswered, and Meta's `sent` status comes: sent once.
    let wa = "919812300011";
    fake.take_without_answer.store(1, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(post(envelope_to("PNID-1", wa, text(wa, "hi"))).await.unwrap().status(), StatusCode::OK);
    until(wa, 1).await;
    let id = fake.to(wa)[0]["biz_opaque_callback_data"].as_str().unwrap().to_owned();
    // The citizen writes again meanwhile: that reply waits behind.
    assert_eq!(post(envelope_to("PNID-1", wa, tap(wa, "lang:en", false))).await.unwrap().status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(fake.to(wa).len(), 1, "nothing overtakes the unconfirmed reply");
    let status = serde_json::json!({ "object": "whatsapp_business_account", "entry": [{ "id": "WABA", "changes": [{
        "field": "messages", "value": { "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": "919000000000", "phone_number_id": "PNID-1" },
        "statuses": [{ "id": "wamid.taken", "status": "sent", "timestamp": "1700000000",
            "recipient_id": wa, "biz_opaque_callback_data": id }] } }] }] });
    assert_eq!(post(status.to_string()).await.unwrap().status(), StatusCode::OK);
    until(wa, 3).await; // the welcome and the menu, after it
    tokio::time::sleep(Duration::from_secs(3)).await;
    let replies = fake.to(wa);
    assert_eq!(replies.len(), 3, "the taken reply was not sent again: {replies:#?}");
    assert_eq!(replies[0]["biz_opaque_callback_data"], id.as_str());
    assert_eq!(store.outbox_state(&id).await.unwrap().unwrap().0, "sent");

    // Taken, unanswered, and no status within the wait: sent again, once.
    let wa = "919812300012";
    fake.take_without_answer.store(1, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(post(envelope_to("PNID-1", wa, text(wa, "hi"))).await.unwrap().status(), StatusCode::OK);
    until(wa, 2).await;
    let replies = fake.to(wa);
    assert_eq!(replies[0], replies[1], "the same reply, sent again");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(fake.to(wa).len(), 2);
}
