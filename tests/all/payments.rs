//! Fees paid by UPI in the chat, through the real webhook, the gateway's
//! callback route and the gateway stand-in's page: the link and QR code read
//! by programs nobody here wrote, callbacks forged, replayed, for the wrong
//! amount or no order refused, five deliveries fulfilled once, an expired
//! link replaced.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mitra::channel::fake_graph::FakeGraph;
use mitra::channel::graph::GraphConfig;
use mitra::channel::webhook::WebhookConfig;
use mitra::payments::gateway::{self, Callback, GatewayApi};
use mitra::payments::reconcile::ReconcileConfig;
use mitra::payments::{PaymentsConfig, stand_in};
use mitra::privacy::{DEV_PII_KEY, Privacy};
use mitra::runtime::Catalog;
use mitra::store::Store;
use mitra::web::{AppState, host};
use serde_json::Value;

use crate::conversation::{Harness, start_fake, tap, text};
use crate::support::runtime;

pub(crate) const GATEWAY_SECRET: &str = "test-gateway-merchant-secret";
const KEY_ID: &str = "rzp_test_mitra";
const KEY_SECRET: &str = "test-gateway-key-secret";
const WHATSAPP_CONFIGURATION: &str = "ap-mitra-upi";
const VPA: &str = "apgov.mitra@sbi";
pub(crate) const BIRTH_CERTIFICATE_FEE: u64 = 50 * 100;

struct PayHost {
    h: Harness,
    url: String,
    store: Store,
    gateway: Arc<stand_in::StandIn>,
    _tmp: tempfile::TempDir,
    _runtime: mitra::runtime::Runtime,
}

/// How soon the host asks the gateway about an order whose callback has
/// not come (the tests that post callbacks themselves keep it out of the way).
const ASKS_SOON: Duration = Duration::from_millis(300);
const ASKS_LATE: Duration = Duration::from_secs(3600);

async fn start(link_valid: Duration) -> PayHost {
    start_asking(link_valid, ASKS_SOON).await
}

async fn start_asking(link_valid: Duration, query_after: Duration) -> PayHost {
    start_on(None, link_valid, query_after).await
}

/// A host on `database` (a fresh SQLite file when `None`).
async fn start_on(database: Option<String>, link_valid: Duration, query_after: Duration) -> PayHost {
    let tmp = tempfile::tempdir().unwrap();
    let database = database.unwrap_or_else(|| format!("sqlite://{}", tmp.path().join("mitra.db").display()));
    let (fake, graph_url) = start_fake().await;
    let backend = mitra_tests::start_backend("municipal").await;
    let plugin = mitra_tests::with_backend(mitra_tests::department("municipal"), backend);
    let (h, url, store, gateway, rt) = serve_host(&database, fake, graph_url, plugin, link_valid, query_after).await;
    PayHost { h, url, store, gateway, _tmp: tmp, _runtime: rt }
}

/// A whole host with payments (and the gateway stand-in), served on
/// loopback from the runtime it is called in: its worker and sender run
/// there, so dropping that runtime is the host dying.
pub(crate) async fn serve_host(
    database: &str,
    fake: Arc<FakeGraph>,
    graph_url: String,
    plugin: mitra::runtime::Manifest,
    link_valid: Duration,
    query_after: Duration,
) -> (Harness, String, Store, Arc<stand_in::StandIn>, mitra::runtime::Runtime) {
    let store = Store::connect(database).await.unwrap();
    let rt = runtime();
    let catalog = Arc::new(Catalog::new());
    let loader = rt.clone();
    catalog.publish(Arc::new(tokio::task::spawn_blocking(move || loader.load(plugin)).await.unwrap().unwrap()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let payments = PaymentsConfig {
        payee_address: VPA.into(),
        payee_name: "Government of Andhra Pradesh".into(),
        gateway_secret: GATEWAY_SECRET.into(),
        pay_url: format!("{url}/_fake_gateway/pay"),
        link_valid,
        api: Some(GatewayApi {
            base_url: format!("{url}/_fake_gateway/v1"),
            key_id: KEY_ID.into(),
            key_secret: KEY_SECRET.into(),
            timeout: Duration::from_secs(5),
        }),
        reconcile: ReconcileConfig {
            query_after,
            query_every: Duration::from_millis(300),
            refund_lease: Duration::from_secs(5),
            every: Duration::from_millis(100),
        },
        whatsapp_configuration: Some(WHATSAPP_CONFIGURATION.into()),
    };
    let stand_in = stand_in::StandIn::new(
        store.clone(),
        format!("{url}/payments/callback"),
        GATEWAY_SECRET.into(),
        KEY_ID.into(),
        KEY_SECRET.into(),
    );
    let webhook = WebhookConfig { verify_token: "v".into(), app_secret: crate::conversation::SECRET.into() };
    let graph = GraphConfig { base_url: graph_url, token: "t".into(), rate_per_number: 1000, ..Default::default() };
    let privacy = Arc::new(Privacy::new(DEV_PII_KEY));
    let console = mitra::console::router(store.clone(), catalog.clone(), privacy, crate::operators::SECRET);
    let app = host(AppState::new(catalog, store.clone()).with_payments(payments), webhook, graph)
        .nest("/_fake_gateway", stand_in::router(stand_in.clone()))
        .merge(console);
    let served = app.clone();
    tokio::spawn(async move { axum::serve(listener, served).await.unwrap() });
    (Harness { app, fake }, url, store, stand_in, rt)
}

/// The citizen asks for a birth certificate and is found eligible: the
/// order id and the four payment messages (the link, the QR code, WhatsApp's
/// invoice, the Cancel button).
pub(crate) async fn apply(h: &Harness, wa: &str) -> (String, Vec<Value>) {
    h.say(wa, text(wa, "hi"), 1).await;
    h.say(wa, tap(wa, "lang:en", false), 2).await;
    h.say(wa, tap(wa, "svc:municipal/birth-certificate", true), 1).await;
    h.say(wa, tap(wa, "start:municipal/birth-certificate", false), 1).await;
    h.say(wa, text(wa, "B-2023-VJA-04821"), 1).await;
    let pay = h.say(wa, tap(wa, "form:submit", false), 4).await;
    (order_of(&pay[0]), pay)
}

fn order_of(message: &Value) -> String {
    let body = message["text"]["body"].as_str().unwrap_or_default();
    body.split("Order: ").nth(1).unwrap_or_else(|| panic!("no order in {message}")).trim().to_owned()
}

/// A captured callback for `order` as the gateway signs it.
pub(crate) fn captured(order: &str, payment: &str, amount: u64) -> (Vec<u8>, String) {
    let body = serde_json::to_vec(&Callback::captured(order, payment, amount)).unwrap();
    let signature = gateway::sign(GATEWAY_SECRET, &body);
    (body, signature)
}

/// POSTs to the host's callback route over HTTP, as the gateway does.
async fn post_callback(host: &PayHost, body: Vec<u8>, signature: &str) -> (u16, Value) {
    post_to(&host.url, body, signature).await
}

pub(crate) async fn post_to(host_url: &str, body: Vec<u8>, signature: &str) -> (u16, Value) {
    let url = format!("{host_url}/payments/callback");
    let signature = signature.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut answer = ureq::post(&url)
            .header("content-type", "application/json")
            .header(gateway::SIGNATURE_HEADER, &signature)
            .config()
            .http_status_as_error(false)
            .build()
            .send(&body[..])
            .unwrap();
        let status = answer.status().as_u16();
        (status, answer.body_mut().read_json().unwrap_or_default())
    })
    .await
    .unwrap()
}

/// Waits until `wa` has been sent `count` more messages than `before`, then
/// a little longer to see that no more come.
async fn replies_after(host: &PayHost, wa: &str, before: usize, count: usize) -> Vec<Value> {
    replies_to(&host.h.fake, wa, before, count).await
}

pub(crate) async fn replies_to(fake: &FakeGraph, wa: &str, before: usize, count: usize) -> Vec<Value> {
    let started = Instant::now();
    while fake.to(wa).len() < before + count {
        assert!(started.elapsed() < Duration::from_secs(10), "waited for {count}: {:#?}", &fake.to(wa)[before..]);
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    let all = fake.to(wa);
    assert_eq!(all.len(), before + count, "more than {count}: {:#?}", &all[before..]);
    all[before..].to_vec()
}

/// The citizen pays (or fails to) on the stand-in gateway's page; with
/// `captured?callback=lost` the money is taken and no callback is posted.
async fn pay_on_stand_in(host: &PayHost, order: &str, outcome: &str) -> u16 {
    let url = format!("{}/_fake_gateway/pay/{order}/{outcome}", host.url);
    tokio::task::spawn_blocking(move || {
        ureq::post(&url).config().http_status_as_error(false).build().send_empty().unwrap().status().as_u16()
    })
    .await
    .unwrap()
}

/// Waits until `order` has `status`.
async fn order_reaches(host: &PayHost, order: &str, status: &str) -> mitra::store::PaymentRecord {
    let started = Instant::now();
    loop {
        let record = host.store.payment(order).await.unwrap().unwrap();
        if record.status == status {
            return record;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{order} stayed {}, not {status}", record.status);
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

pub(crate) fn python(script: &str, arg: &str) -> String {
    let out = Command::new("python3").args(["-c", script, arg]).output().expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_a_fee_is_paid_by_upi_and_the_certificate_follows_once_however_often_the_gateway_calls_back() {
    a_fee_is_paid_by_upi_and_the_certificate_follows_once_however_often_the_gateway_calls_back(None).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_a_fee_is_paid_by_upi_and_the_certificate_follows_once_however_often_the_gateway_calls_back() {
    a_fee_is_paid_by_upi_and_the_certificate_follows_once_however_often_the_gateway_calls_back(Some(
        crate::store::fresh_postgres().await,
    ))
    .await;
}

async fn a_fee_is_paid_by_upi_and_the_certificate_follows_once_however_often_the_gateway_calls_back(
    database: Option<String>,
) {
    let host = start_on(database, Duration::from_secs(900), ASKS_SOON).await;
    let wa = "919866700001";
    let (order, pay) = apply(&host.h, wa).await;
    assert!(order.starts_with("MTRP-"), "{order}");

    // The link, read by Python's own URL parser against NPCI's parameter names.
    let body = pay[0]["text"]["body"].as_str().unwrap();
    assert!(body.contains("₹50") && body.contains("/_fake_gateway/pay/"), "{body}");
    let link = body.lines().find(|l| l.starts_with("upi://pay?")).expect("a UPI link").to_owned();
    let parsed = python(
        "import sys, json, urllib.parse as u\n\
         p = u.urlsplit(sys.argv[1]); q = u.parse_qs(p.query, strict_parsing=True)\n\
         print(json.dumps({'scheme': p.scheme, 'host': p.netloc, **{k: v[0] for k, v in q.items()}}))",
        &link,
    );
    let parsed: Value = serde_json::from_str(&parsed).unwrap();
    assert_eq!(parsed["scheme"], "upi");
    assert_eq!(parsed["host"], "pay");
    assert_eq!(parsed["pa"], VPA);
    assert_eq!(parsed["pn"], "Government of Andhra Pradesh");
    assert_eq!(parsed["am"], "50.00", "the plugin's fee, in rupees");
    assert_eq!(parsed["tr"], order.as_str());
    assert_eq!(parsed["cu"], "INR");
    assert!(parsed["tn"].as_str().unwrap().contains("Birth"), "{parsed}");

    // The QR image, uploaded and sent by media id, read back by zbar.
    assert_eq!(pay[1]["type"], "image", "{}", pay[1]);
    let media_id = pay[1]["image"]["id"].as_str().expect("sent by media id");
    assert!(pay[1].get("mitra_upi_qr").is_none(), "nothing of Mitra's bookkeeping reaches Meta");
    let png = host.h.fake.media.lock().unwrap()[media_id].bytes.clone();
    let file = host._tmp.path().join("qr.png");
    std::fs::write(&file, &png).unwrap();
    let zbar = Command::new("zbarimg").args(["--quiet", "--raw"]).arg(&file).output().expect("zbarimg runs");
    assert_eq!(String::from_utf8_lossy(&zbar.stdout).trim(), link, "{}", String::from_utf8_lossy(&zbar.stderr));

    // WhatsApp's invoice for the same order and amount.
    let invoice = &pay[2]["interactive"];
    assert_eq!(invoice["type"], "order_details", "{}", pay[2]);
    let parameters = &invoice["action"]["parameters"];
    assert_eq!(parameters["reference_id"], order.as_str(), "the UPI link's tr");
    assert_eq!(parameters["payment_configuration"], WHATSAPP_CONFIGURATION);
    assert_eq!(parameters["total_amount"]["value"].as_u64(), Some(BIRTH_CERTIFICATE_FEE));
    assert_eq!(parameters["order"]["items"][0]["retailer_id"], "municipal/birth-certificate");

    // The gateway delivers the captured callback five times at once.
    let before = host.h.fake.to(wa).len();
    let (callback, signature) = captured(&order, "pay_5xDeliveries", BIRTH_CERTIFICATE_FEE);
    let mut deliveries = tokio::task::JoinSet::new();
    for _ in 0..5 {
        let (url, body, signature) = (host.url.clone(), callback.clone(), signature.clone());
        deliveries.spawn(async move { post_to(&url, body, &signature).await });
    }
    let answers = deliveries.join_all().await;
    assert!(answers.iter().all(|(status, _)| *status == 200), "{answers:?}");
    let fulfilled = replies_after(&host, wa, before, 4).await;
    let said = fulfilled[0]["text"]["body"].as_str().unwrap();
    assert!(said.contains("Payment of ₹50 received") && said.contains("pay_5xDeliveries"), "{said}");
    let documents = fulfilled.iter().filter(|m| m["type"] == "document").count();
    assert_eq!(documents, 1, "one certificate for five callbacks: {fulfilled:#?}");

    let paid = host.store.payment(&order).await.unwrap().unwrap();
    assert_eq!((paid.status.as_str(), paid.gateway_payment_id.as_deref()), ("paid", Some("pay_5xDeliveries")));
    let number = paid.application_number.expect("the order names its application");
    let application = host.store.application(&number).await.unwrap().unwrap();
    assert_eq!(application.status, "issued");
    let audit = host.store.payment_callbacks(&order).await.unwrap();
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!((audit[0].0.as_str(), audit[0].2), ("accepted", 5), "kept once, five deliveries counted");

    // Replayed later: acknowledged, nothing done again.
    let (status, said) = post_callback(&host, callback, &signature).await;
    assert_eq!((status, said["status"].as_str()), (200, Some("duplicate")));
    replies_after(&host, wa, before + 4, 0).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn callbacks_forged_for_another_amount_for_no_order_or_unreadable_are_refused_and_audited() {
    let host = start(Duration::from_secs(900)).await;
    let wa = "919866700002";
    let (order, _) = apply(&host.h, wa).await;
    let before = host.h.fake.to(wa).len();

    // Signed with another secret: not the gateway's.
    let body = serde_json::to_vec(&Callback::captured(&order, "pay_forged", BIRTH_CERTIFICATE_FEE)).unwrap();
    let (status, said) = post_callback(&host, body.clone(), &gateway::sign("guessed-secret", &body)).await;
    assert_eq!((status, said["error"].as_str()), (401, Some("forged")));
    let (status, _) = post_callback(&host, body, "").await;
    assert_eq!(status, 401);

    // The gateway's signature over a payment of ₹1 for a ₹50 order.
    let (body, signature) = captured(&order, "pay_one_rupee", 100);
    let (status, said) = post_callback(&host, body, &signature).await;
    assert_eq!((status, said["error"].as_str()), (400, Some("wrong-amount")), "{said}");

    // For an order that does not exist.
    let (body, signature) = captured("MTRP-261204-NOSUCHXX", "pay_nowhere", BIRTH_CERTIFICATE_FEE);
    let (status, said) = post_callback(&host, body, &signature).await;
    assert_eq!((status, said["error"].as_str()), (400, Some("unknown-order")));

    // Signed but not a callback.
    let body = b"{\"event\":\"payment.captured\"}".to_vec();
    let signature = gateway::sign(GATEWAY_SECRET, &body);
    let (status, said) = post_callback(&host, body, &signature).await;
    assert_eq!((status, said["error"].as_str()), (400, Some("malformed")));

    // Nothing was fulfilled; the refusals are in the order's audit trail.
    replies_after(&host, wa, before, 0).await;
    let order_now = host.store.payment(&order).await.unwrap().unwrap();
    assert_eq!(order_now.status, "created");
    let audit: Vec<String> = host.store.payment_callbacks(&order).await.unwrap().into_iter().map(|a| a.0).collect();
    assert_eq!(audit, ["wrong-amount"]);
    let unknown = host.store.payment_callbacks("MTRP-261204-NOSUCHXX").await.unwrap();
    assert_eq!(unknown[0].0, "unknown-order");

    // A failed attempt is told, and the same link still works.
    let mut failed = Callback::captured(&order, "pay_declined", BIRTH_CERTIFICATE_FEE);
    failed.event = "payment.failed".into();
    failed.payload.payment.entity.status = "failed".into();
    failed.payload.payment.entity.error_description = Some("insufficient balance".into());
    let body = serde_json::to_vec(&failed).unwrap();
    let (status, _) = post_callback(&host, body.clone(), &gateway::sign(GATEWAY_SECRET, &body)).await;
    assert_eq!(status, 200);
    let told = replies_after(&host, wa, before, 1).await;
    let said = told[0]["text"]["body"].as_str().unwrap();
    assert!(said.contains("did not go through") && said.contains("insufficient balance"), "{said}");
    let (body, signature) = captured(&order, "pay_second_try", BIRTH_CERTIFICATE_FEE);
    assert_eq!(post_callback(&host, body, &signature).await.0, 200);
    let fulfilled = replies_after(&host, wa, before + 1, 4).await;
    assert_eq!(fulfilled.iter().filter(|m| m["type"] == "document").count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_link_is_replaced_and_money_for_the_old_order_is_due_back() {
    let host = start(Duration::from_millis(300)).await;
    let wa = "919866700003";
    let (old, _) = apply(&host.h, wa).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let again = host.h.say(wa, text(wa, "I paid?"), 5).await;
    assert!(again[0]["text"]["body"].as_str().unwrap().contains("expired"), "{}", again[0]);
    let new = order_of(&again[1]);
    assert_ne!(new, old, "a new order for the new link");
    assert_eq!(again[2]["type"], "image");

    // The old order paid after all (on the gateway's page): the citizen is
    // told it comes back, the gateway refunds it, and the citizen is told so.
    let before = host.h.fake.to(wa).len();
    assert_eq!(pay_on_stand_in(&host, &old, "captured").await, 200);
    let told = replies_after(&host, wa, before, 2).await;
    assert!(told[0]["text"]["body"].as_str().unwrap().contains("will be refunded"), "{}", told[0]);
    let refunded = told[1]["text"]["body"].as_str().unwrap();
    assert!(refunded.contains("has been refunded") && refunded.contains(&old), "{refunded}");
    let record = host.store.payment(&old).await.unwrap().unwrap();
    assert_eq!(record.status, "refunded");
    let refunds = host.gateway.refunds();
    assert_eq!(refunds.len(), 1, "{refunds:?}");
    assert_eq!(refunds[0].receipt.as_deref(), Some(old.as_str()));
    assert_eq!((refunds[0].amount, Some(&refunds[0].id)), (BIRTH_CERTIFICATE_FEE, record.refund_id.as_ref()));
    assert!(refunded.contains(&refunds[0].id), "{refunded}");
    let before = before + 2;

    // The new one, paid on the stand-in gateway's page, is fulfilled.
    let page_url = format!("{}/_fake_gateway/pay/{new}", host.url);
    let page = tokio::task::spawn_blocking(move || ureq::get(&page_url).call().unwrap().body_mut().read_to_string())
        .await
        .unwrap()
        .unwrap();
    assert!(page.contains("Pay ₹50") && page.contains(&new), "{page}");
    assert_eq!(pay_on_stand_in(&host, &new, "captured").await, 200);
    let fulfilled = replies_after(&host, wa, before, 4).await;
    assert_eq!(fulfilled.iter().filter(|m| m["type"] == "document").count(), 1);
    assert_eq!(host.store.payment(&new).await.unwrap().unwrap().status, "paid");
}

#[test]
fn a_host_that_stopped_after_keeping_the_callback_fulfils_it_once_after_its_restart() {
    // Each host in a runtime of its own: shutting one down stops every task
    // of it mid-step, as a killed process stops.
    let own = || tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let driver = own();
    let tmp = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", tmp.path().join("mitra.db").display());
    let (fake, graph_url) = driver.block_on(start_fake());
    let plugin = driver.block_on(async {
        let backend = mitra_tests::start_backend("municipal").await;
        mitra_tests::with_backend(mitra_tests::department("municipal"), backend)
    });
    let wa = "919866700004";
    let link = Duration::from_secs(900);

    // The citizen is asked for the fee by the first host, which then dies.
    let first = own();
    let (h, _, _, _, _plugins) =
        first.block_on(serve_host(&database, fake.clone(), graph_url.clone(), plugin.clone(), link, ASKS_LATE));
    let (order, _) = driver.block_on(apply(&h, wa));
    first.shutdown_background();

    // The callback reaches a host that keeps it (answers 200) and dies
    // before its worker fulfils it: here, a host whose writer has no worker.
    let second = own();
    let callback_url = second.block_on(async {
        let store = Store::connect(&database).await.unwrap();
        let (stored, no_worker) = tokio::sync::mpsc::unbounded_channel();
        drop(no_worker);
        let (queued, _no_sender) = tokio::sync::mpsc::unbounded_channel();
        let writer = mitra::store::Writer::spawn(store.clone(), stored, queued);
        let config = Arc::new(PaymentsConfig {
            payee_address: VPA.into(),
            payee_name: "Government of Andhra Pradesh".into(),
            gateway_secret: GATEWAY_SECRET.into(),
            pay_url: "http://127.0.0.1:1/pay".into(),
            link_valid: link,
            api: None,
            reconcile: ReconcileConfig::default(),
            whatsapp_configuration: None,
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = mitra::payments::router(store, writer, config);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    });
    let before = fake.to(wa).len();
    let (body, signature) = captured(&order, "pay_before_the_crash", BIRTH_CERTIFICATE_FEE);
    let (status, _) = driver.block_on(post_to(&callback_url, body.clone(), &signature));
    assert_eq!(status, 200, "kept before it was answered");
    second.shutdown_background();
    driver.block_on(replies_to(&fake, wa, before, 0));

    // The restarted host takes the kept event over and fulfils it, once;
    // the gateway's retry to it changes nothing.
    let third = own();
    let (_, url, store, _, _plugins) =
        third.block_on(serve_host(&database, fake.clone(), graph_url, plugin, link, ASKS_LATE));
    let fulfilled = driver.block_on(replies_to(&fake, wa, before, 4));
    assert_eq!(fulfilled.iter().filter(|m| m["type"] == "document").count(), 1, "{fulfilled:#?}");
    let (status, said) = driver.block_on(post_to(&url, body, &signature));
    assert_eq!((status, said["status"].as_str()), (200, Some("duplicate")));
    driver.block_on(replies_to(&fake, wa, before + 4, 0));
    let paid = third.block_on(store.payment(&order)).unwrap().unwrap();
    assert_eq!(paid.status, "paid");
    third.shutdown_background();
}

/// An application paid by order `order`, as the fulfilling turn stores it.
async fn paid_application(store: &Store, number: &str, order: &str) {
    let now = mitra::store::now_ms();
    let application = mitra::store::ApplicationRecord {
        number: number.into(),
        wa_id: "919866700005".into(),
        phone_number_id: "PNID-1".into(),
        plugin_id: "revenue".into(),
        plugin_sha256: "0".repeat(64),
        service_id: "income".into(),
        language: "en".into(),
        answers: "[]".into(),
        status: "submitted".into(),
        document: None,
        submitted_at_ms: now,
        district: None,
    };
    let asked = income_order(order, &application.wa_id, &application.phone_number_id, "en", now);
    let settled = mitra::store::Completion {
        wamid: format!("payment.{order}"),
        application: Some(application),
        payment_settled: Some(mitra::store::PaymentSettled {
            order_id: order.into(),
            gateway_payment_id: "pay_for_rejection".into(),
            application_number: Some(number.into()),
        }),
        ..Default::default()
    };
    for completion in [asked, settled] {
        let writes = mitra::store::Writes { inbound: &[], statuses: &[], completions: &[completion], sent: &[] };
        store.commit(&writes).await.unwrap();
    }
}

/// The turn that asked `wa` for revenue's ₹45 income-certificate fee as `order`.
fn income_order(order: &str, wa: &str, phone_number_id: &str, language: &str, now: i64) -> mitra::store::Completion {
    let payment = mitra::store::PaymentRecord {
        order_id: order.into(),
        wa_id: wa.into(),
        phone_number_id: phone_number_id.into(),
        plugin_id: "revenue".into(),
        service_id: "income".into(),
        amount_paise: 4500,
        status: "created".into(),
        created_at_ms: now,
        expires_at_ms: now + 900_000,
        paid_at_ms: None,
        gateway_payment_id: None,
        application_number: None,
        refund_id: None,
        language: language.into(),
    };
    mitra::store::Completion { wamid: format!("wamid.{order}"), payment_order: Some(payment), ..Default::default() }
}

async fn a_rejected_application_s_fee_is_due_back(store: Store) {
    let run = mitra::store::now_ms();
    let (number, order) = (format!("MTR-261204-R{run}"), format!("MTRP-261204-R{run}"));
    paid_application(&store, &number, &order).await;
    assert_eq!(store.payment(&order).await.unwrap().unwrap().status, "paid");
    let audit = mitra::store::AuditEntry::now("ravi", "reject", Some("revenue"), None, "ok", "not a resident");
    let step = mitra::store::Step {
        number: &number,
        from: &["submitted", "under_review"],
        to: "rejected",
        actor: "ravi",
        note: Some("not a resident"),
        question: None,
        remarks: Some("not a resident"),
        decides: true,
        document: None,
        notifications: &[],
        audit: &audit,
    };
    assert!(matches!(store.move_application(&step).await.unwrap(), mitra::store::Moved::Done));
    let order = store.payment(&order).await.unwrap().unwrap();
    assert_eq!((order.status.as_str(), order.application_number.as_deref()), ("refund_due", Some(number.as_str())));
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_a_rejected_application_s_fee_is_due_back() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    a_rejected_application_s_fee_is_due_back(store).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_a_rejected_application_s_fee_is_due_back() {
    let store = Store::connect(&crate::store::fresh_postgres().await).await.unwrap();
    a_rejected_application_s_fee_is_due_back(store).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_a_payment_whose_callback_never_comes_is_found_by_asking_the_gateway() {
    a_payment_whose_callback_never_comes_is_found_by_asking_the_gateway(None).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_a_payment_whose_callback_never_comes_is_found_by_asking_the_gateway() {
    a_payment_whose_callback_never_comes_is_found_by_asking_the_gateway(Some(crate::store::fresh_postgres().await))
        .await;
}

async fn a_payment_whose_callback_never_comes_is_found_by_asking_the_gateway(database: Option<String>) {
    let host = start_on(database, Duration::from_secs(900), ASKS_SOON).await;
    let wa = "919866700011";
    let (order, _) = apply(&host.h, wa).await;
    let before = host.h.fake.to(wa).len();
    assert_eq!(pay_on_stand_in(&host, &order, "captured?callback=lost").await, 200);
    let fulfilled = replies_after(&host, wa, before, 4).await;
    assert!(fulfilled[0]["text"]["body"].as_str().unwrap().contains("Payment of ₹50 received"), "{}", fulfilled[0]);
    assert_eq!(fulfilled.iter().filter(|m| m["type"] == "document").count(), 1);
    assert!(order_reaches(&host, &order, "paid").await.application_number.is_some());
    let audit = host.store.payment_callbacks(&order).await.unwrap();
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert!(audit[0].1.contains("found by the status query"), "{audit:?}");
    // Asked again later, nothing is done twice.
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(host.h.fake.to(wa).len(), before + 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_order_nobody_paid_is_marked_expired_and_a_failed_attempt_does_not_keep_it_open() {
    let host = start(Duration::from_millis(300)).await;
    let wa = "919866700012";
    let (order, _) = apply(&host.h, wa).await;
    assert_eq!(pay_on_stand_in(&host, &order, "failed?callback=lost").await, 200);
    let expired = order_reaches(&host, &order, "expired").await;
    assert!(expired.gateway_payment_id.is_none() && expired.paid_at_ms.is_none(), "{expired:?}");
    // The citizen's next message still gets a new link.
    let again = host.h.say(wa, text(wa, "hello?"), 5).await;
    assert!(again[0]["text"]["body"].as_str().unwrap().contains("expired"), "{}", again[0]);
    assert_ne!(order_of(&again[1]), order);
}

/// An application for a paid service, paid on the stand-in gateway, as a
/// department that reviews before it issues would hold it (submitted).
async fn paid_and_submitted(host: &PayHost, wa: &str, number: &str, order: &str) -> String {
    let now = mitra::store::now_ms();
    let asked = income_order(order, wa, "1001", "te", now);
    let writes = mitra::store::Writes { inbound: &[], statuses: &[], completions: &[asked], sent: &[] };
    host.store.commit(&writes).await.unwrap();
    assert_eq!(pay_on_stand_in(host, order, "captured?callback=lost").await, 200);
    let api = GatewayApi {
        base_url: format!("{}/_fake_gateway/v1", host.url),
        key_id: KEY_ID.into(),
        key_secret: KEY_SECRET.into(),
        timeout: Duration::from_secs(5),
    };
    let payment_id = api.payments_of(order).await.unwrap()[0].id.clone();
    let application = mitra::store::ApplicationRecord {
        number: number.into(),
        wa_id: wa.into(),
        phone_number_id: "1001".into(),
        plugin_id: "revenue".into(),
        plugin_sha256: "0".repeat(64),
        service_id: "income".into(),
        language: "te".into(),
        answers: "[]".into(),
        status: "submitted".into(),
        document: None,
        submitted_at_ms: now,
        district: None,
    };
    let settled = mitra::store::Completion {
        wamid: format!("payment.{order}"),
        application: Some(application),
        payment_settled: Some(mitra::store::PaymentSettled {
            order_id: order.into(),
            gateway_payment_id: payment_id.clone(),
            application_number: Some(number.into()),
        }),
        ..Default::default()
    };
    let writes = mitra::store::Writes { inbound: &[], statuses: &[], completions: &[settled], sent: &[] };
    host.store.commit(&writes).await.unwrap();
    payment_id
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_a_rejected_application_s_fee_is_refunded_through_the_gateway_once_and_the_citizen_told() {
    a_rejected_application_s_fee_is_refunded_through_the_gateway_once_and_the_citizen_told(None).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_a_rejected_application_s_fee_is_refunded_through_the_gateway_once_and_the_citizen_told() {
    a_rejected_application_s_fee_is_refunded_through_the_gateway_once_and_the_citizen_told(Some(
        crate::store::fresh_postgres().await,
    ))
    .await;
}

async fn a_rejected_application_s_fee_is_refunded_through_the_gateway_once_and_the_citizen_told(
    database: Option<String>,
) {
    use mitra::console::auth::Role;
    // The status query kept out of the way: these orders are settled by hand.
    let host = start_on(database, Duration::from_secs(900), ASKS_LATE).await;
    let wa = "919866700013";
    let (number, order) = ("MTR-261204-REJECT01", "MTRP-261204-REJECT01");
    paid_and_submitted(&host, wa, number, order).await;
    assert_eq!(host.store.payment(order).await.unwrap().unwrap().status, "paid");

    // The gateway's API is down when the officer rejects: the refund waits.
    host.gateway.set_api_down(true);
    let officer = crate::operators::token("ravi", Role::Officer, &["revenue"]);
    let path = format!("/admin/applications/{number}/reject");
    let note = serde_json::json!({ "note": "The applicant does not live in this mandal" });
    let (status, answer) = crate::operators::call(&host.h, "POST", &path, Some(&officer), Some(note)).await;
    assert_eq!(status, 200, "{answer}");
    // Tried meanwhile: each attempt holds the order `refunding` until the
    // gateway fails it (on a loaded machine, longer than the wait), then it
    // is due again. Kept due, nothing refunded.
    tokio::time::sleep(Duration::from_millis(500)).await;
    order_reaches(&host, order, "refund_due").await;
    assert!(host.gateway.refunds().is_empty());

    let rejected = replies_after(&host, wa, 0, 1).await;
    assert_eq!(rejected[0]["template"]["name"], "mitra_application_update", "{}", rejected[0]);

    // Back up: refunded once, the citizen told in Telugu with the reference.
    let before = host.h.fake.to(wa).len();
    host.gateway.set_api_down(false);
    let record = order_reaches(&host, order, "refunded").await;
    let refunds = host.gateway.refunds();
    assert_eq!(refunds.len(), 1, "{refunds:?}");
    assert_eq!((refunds[0].amount, refunds[0].receipt.as_deref()), (4500, Some(order)));
    assert_eq!(record.refund_id.as_deref(), Some(refunds[0].id.as_str()));
    let told = replies_after(&host, wa, before, 1).await;
    // No message from the citizen in 24 hours: the refund template.
    let template = &told[0]["template"];
    assert_eq!(template["name"], mitra::payments::reconcile::REFUNDED_TEMPLATE, "{}", told[0]);
    assert_eq!(template["language"]["code"], "te");
    assert_eq!(template["components"][0]["parameters"][2]["text"], refunds[0].id.as_str());
    // Nothing more is refunded or said.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(host.gateway.refunds().len(), 1);
    assert_eq!(host.h.fake.to(wa).len(), before + 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refund_the_gateway_made_for_a_host_that_died_before_marking_it_is_not_made_again() {
    use mitra::payments::gateway::RefundRequest;
    let host = start_asking(Duration::from_secs(900), ASKS_LATE).await;
    let wa = "919866700014";
    let (number, order) = ("MTR-261204-REFUND02", "MTRP-261204-REFUND02");
    let payment_id = paid_and_submitted(&host, wa, number, order).await;
    host.gateway.set_api_down(true);
    let officer = crate::operators::token("ravi", mitra::console::auth::Role::Officer, &["revenue"]);
    let note = serde_json::json!({ "note": "Duplicate application" });
    let path = format!("/admin/applications/{number}/reject");
    assert_eq!(crate::operators::call(&host.h, "POST", &path, Some(&officer), Some(note)).await.0, 200);

    // Another host claims the refund, has the gateway make it, and dies
    // before it marks the order: the claim is held for its lease (5 s).
    let started = Instant::now();
    let claimed = loop {
        let claimed = host.store.claim_refunds(5_000, 10).await.unwrap();
        if !claimed.is_empty() {
            break claimed;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "the refund was never free to claim");
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(claimed[0].order_id, order);
    host.gateway.set_api_down(false);
    let api = GatewayApi {
        base_url: format!("{}/_fake_gateway/v1", host.url),
        key_id: KEY_ID.into(),
        key_secret: KEY_SECRET.into(),
        timeout: Duration::from_secs(5),
    };
    let request = RefundRequest { amount: 4500, receipt: order.into(), notes: Default::default() };
    let made = api.refund(&payment_id, &request).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(host.store.payment(order).await.unwrap().unwrap().status, "refunding", "held by the dead host's claim");

    // After the lease this host takes it over, finds the refund made, and
    // marks the order with it instead of refunding twice.
    let record = order_reaches(&host, order, "refunded").await;
    assert_eq!(record.refund_id.as_deref(), Some(made.id.as_str()));
    assert_eq!(host.gateway.refunds().len(), 1, "one refund: {:?}", host.gateway.refunds());
    // The gateway refuses a wrong key, and a second refund of the whole amount.
    let wrong = GatewayApi { key_secret: "guessed".into(), ..api.clone() };
    assert!(wrong.payments_of(order).await.is_err());
    assert!(api.refund(&payment_id, &request).await.is_err());
}

/// The whole flow as a citizen sees it in the local simulator, in headless
/// Chromium: apply, pay on the stand-in gateway's page (its Pay button),
/// and receive the certificate in the chat.
#[tokio::test(flavor = "multi_thread")]
async fn a_citizen_in_the_simulator_pays_on_the_stand_in_gateway_and_receives_the_certificate() {
    use crate::simulator::{in_browser, page_text, say, wait_for};
    use fantoccini::Locator;
    const SIM_SECRET: &str = "simulator-payments-secret";
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let backend = mitra_tests::start_backend("municipal").await;
    let plugin = mitra_tests::with_backend(mitra_tests::department("municipal"), backend);
    let rt = runtime();
    let catalog = Arc::new(Catalog::new());
    let loader = rt.clone();
    catalog.publish(Arc::new(tokio::task::spawn_blocking(move || loader.load(plugin)).await.unwrap().unwrap()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let url = format!("http://{addr}");
    let dev = mitra::channel::simulator::dev_channel(addr, SIM_SECRET, Vec::new());
    let graph = GraphConfig { base_url: dev.graph_url, token: "dev-token".into(), ..GraphConfig::default() };
    let webhook = WebhookConfig { verify_token: "v".into(), app_secret: SIM_SECRET.into() };
    let payments = PaymentsConfig {
        payee_address: VPA.into(),
        payee_name: "Government of Andhra Pradesh".into(),
        gateway_secret: GATEWAY_SECRET.into(),
        pay_url: format!("{url}/_fake_gateway/pay"),
        link_valid: Duration::from_secs(900),
        api: None,
        reconcile: ReconcileConfig::default(),
        whatsapp_configuration: Some(WHATSAPP_CONFIGURATION.into()),
    };
    let stand_in = stand_in::StandIn::new(
        store.clone(),
        format!("{url}/payments/callback"),
        GATEWAY_SECRET.into(),
        KEY_ID.into(),
        KEY_SECRET.into(),
    );
    let app = dev
        .routes
        .merge(host(AppState::new(catalog, store.clone()).with_payments(payments), webhook, graph))
        .nest("/_fake_gateway", stand_in::router(stand_in));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let wa = "919866700021";
    let simulator = format!("{url}/_simulator?wa={wa}");

    in_browser(move |client| async move {
        let client = &client;
        client.goto(&simulator).await.unwrap();
        wait_for(client, "the message box", "//textarea[@id='text']").await;
        say(client, "hi").await;
        let button = |title: &str| {
            format!("//div[contains(@class,'mitra')]//button[contains(@class,'reply-button') and normalize-space()='{title}']")
        };
        wait_for(client, "the language buttons", &button("English")).await.click().await.unwrap();
        wait_for(client, "the department menu", "//button[contains(@class,'list-open')]").await;
        say(client, "birth certificate").await;
        wait_for(client, "the search results", "//button[contains(@class,'list-open') and contains(.,'Results')]")
            .await
            .click()
            .await
            .unwrap();
        let row = "//div[@id='sheet']//button[contains(@class,'row') and @data-id='svc:municipal/birth-certificate']";
        wait_for(client, "the birth certificate row", row).await.click().await.unwrap();
        wait_for(client, "the Apply button", &button("Apply")).await.click().await.unwrap();
        wait_for(client, "the registration number question", "//div[contains(@class,'mitra')][contains(.,'registration')]")
            .await;
        say(client, "B-2023-VJA-04821").await;
        wait_for(client, "the Submit button", &button("Submit")).await.click().await.unwrap();

        // The fee: the link to the gateway's page, the QR code as a
        // picture, WhatsApp's invoice.
        let link = wait_for(client, "the payment page link", "//a[contains(@href,'/_fake_gateway/pay/')]").await;
        let page = link.attr("href").await.unwrap().expect("a link");
        let qr = wait_for(client, "the UPI QR code", "//img[contains(@class,'picture')]").await;
        let loaded: Value = client
            .execute("return arguments[0].complete && arguments[0].naturalWidth", vec![serde_json::to_value(&qr).unwrap()])
            .await
            .unwrap();
        assert!(loaded.as_u64().unwrap_or(0) > 100, "the QR picture loaded: {loaded}");
        let invoice = wait_for(client, "WhatsApp's invoice", "//div[contains(@class,'invoice')]").await;
        assert!(invoice.text().await.unwrap().contains("₹50.00"), "{}", invoice.text().await.unwrap());

        // The citizen opens the payment page and taps Pay.
        let chat = client.window().await.unwrap();
        let gateway = client.new_window(true).await.unwrap();
        client.switch_to_window(gateway.handle).await.unwrap();
        client.goto(&page).await.unwrap();
        let heading = wait_for(client, "the gateway's page", "//h1").await.text().await.unwrap();
        assert!(heading.contains("Pay ₹50"), "{heading}");
        client.find(Locator::Id("pay")).await.unwrap().click().await.unwrap();
        let paid = wait_for(client, "the page's answer", "//p[@id='result' and normalize-space()!='']").await;
        assert_eq!(paid.text().await.unwrap(), "Paid", "{}", page_text(client).await);
        client.close_window().await.unwrap();
        client.switch_to_window(chat).await.unwrap();

        // Back in the chat: the payment received and the certificate.
        wait_for(client, "the payment's receipt", "//div[contains(@class,'mitra')][contains(.,'Payment of ₹50 received')]")
            .await;
        let document = "//div[contains(@class,'doc')]//div[contains(@class,'name') and contains(.,'.pdf')]";
        wait_for(client, "the certificate", document).await;
        let status = client.find(Locator::Id("status")).await.unwrap().text().await.unwrap();
        assert!(status.is_empty(), "the page reported: {status}");
    })
    .await;
    // The gateway's callback came in as the citizen's payment event; the
    // order is paid for the issued application.
    let inbound = store.inbound_of(wa).await.unwrap();
    let event = inbound.iter().find(|m| m.kind == mitra::payments::EVENT_KIND).expect("a payment event");
    let order = event.wamid.strip_prefix("payment.").unwrap();
    let paid = store.payment(order).await.unwrap().unwrap();
    assert_eq!(paid.status, "paid");
    let application = store.application(paid.application_number.as_deref().unwrap()).await.unwrap().unwrap();
    assert_eq!(application.status, "issued");
    drop((rt, tmp));
}

/// A department's system that takes seconds to fulfil one citizen's paid
/// application holds up no one else: another citizen is answered while the
/// fulfilment waits, and the paying citizen's own next message is answered
/// after it, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_slow_to_fulfil_one_citizen_holds_up_no_one_elses_replies() {
    let tmp = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", tmp.path().join("mitra.db").display());
    let (fake, graph_url) = start_fake().await;
    let backend = mitra_tests::start_backend("municipal").await;
    let (proxy, slow) = switchable(backend).await;
    let mut plugin = mitra_tests::with_backend(mitra_tests::department("municipal"), proxy);
    plugin.capabilities.deadline_ms = Some(10_000);
    let (h, url, store, gateway, rt) =
        serve_host(&database, fake.clone(), graph_url, plugin, Duration::from_secs(600), ASKS_LATE).await;
    let host = PayHost { h, url, store, gateway, _tmp: tmp, _runtime: rt };
    let (h, url, store) = (&host.h, &host.url, &host.store);
    let (paying, other) = ("919866700051", "919866700052");
    let (order, _) = apply(h, paying).await;

    // The department turns slow (eight seconds a request); the payment
    // comes and its fulfilment waits on the department.
    slow.store(true, std::sync::atomic::Ordering::SeqCst);
    let before = fake.to(paying).len();
    let (body, signature) = captured(&order, "pay_slow_department", BIRTH_CERTIFICATE_FEE);
    assert_eq!(post_to(url, body, &signature).await.0, 200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The paying citizen writes again meanwhile; it waits for the fulfilment.
    assert_eq!(post_webhook(url, paying, text(paying, "hi")).await, 200);

    // Another citizen is answered while the fulfilment still waits.
    let greeted = h.say(other, text(other, "hi"), 1).await;
    assert!(greeted[0]["interactive"]["action"]["buttons"].is_array(), "{greeted:#?}");
    assert_eq!(fake.to(paying).len(), before, "nothing for the paying citizen yet: {:#?}", &fake.to(paying)[before..]);
    assert_eq!(store.payment(&order).await.unwrap().unwrap().status, "created");

    // Once the department answers: the receipt and the certificate, then
    // the answer to the message sent meanwhile.
    slow.store(false, std::sync::atomic::Ordering::SeqCst);
    let paid = order_reaches(&host, &order, "paid").await;
    assert_eq!(paid.gateway_payment_id.as_deref(), Some("pay_slow_department"));
    // The receipt, the summary, the certificate and the menu; then the menu
    // again for "hi".
    let after = replies_to(&fake, paying, before, 5).await;
    let of_payment = |m: &Value| {
        m["biz_opaque_callback_data"]
            .as_str()
            .and_then(mitra::store::OutboxItem::reply_to)
            .is_some_and(|(event, _)| event.starts_with("payment."))
    };
    assert!(after[..4].iter().all(of_payment), "the fulfilment's replies first: {after:#?}");
    assert_eq!(after[2]["type"], "document");
    assert!(!of_payment(&after[4]) && after[4]["interactive"]["type"] == "list", "{after:#?}");
}

const PAYING_HOST: &str = "MITRA_TEST_PAYING_HOST_ARGS";

/// A department system behind a switch: while `slow` is set, every request
/// (on new or kept-alive connections) waits eight seconds before it is
/// passed on.
async fn switchable(backend: std::net::SocketAddr) -> (std::net::SocketAddr, Arc<std::sync::atomic::AtomicBool>) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let slow = Arc::new(AtomicBool::new(false));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let switch = slow.clone();
    tokio::spawn(async move {
        while let Ok((inbound, _)) = listener.accept().await {
            let switch = switch.clone();
            tokio::spawn(async move {
                let Ok(outbound) = tokio::net::TcpStream::connect(backend).await else { return };
                let (mut from_client, mut to_client) = inbound.into_split();
                let (mut from_backend, mut to_backend) = outbound.into_split();
                tokio::spawn(async move { tokio::io::copy(&mut from_backend, &mut to_client).await });
                let mut buf = vec![0u8; 16 << 10];
                while let Ok(n) = from_client.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    if switch.load(Ordering::SeqCst) {
                        tokio::time::sleep(Duration::from_secs(8)).await;
                    }
                    if to_backend.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (addr, slow)
}

/// Posts `message` from `wa` to the host process at `url` as Meta does.
async fn post_webhook(url: &str, wa: &str, message: Value) -> u16 {
    let body = crate::conversation::envelope_to("PNID-1", wa, message);
    let signature = mitra::channel::webhook::sign(crate::conversation::SECRET, body.as_bytes());
    let url = format!("{url}/webhook");
    tokio::task::spawn_blocking(move || {
        ureq::post(&url)
            .header("content-type", "application/json")
            .header("x-hub-signature-256", &signature)
            .config()
            .http_status_as_error(false)
            .build()
            .send(body.as_bytes())
            .map(|a| a.status().as_u16())
            .unwrap_or(0)
    })
    .await
    .unwrap()
}

#[test]
fn a_host_process_killed_between_the_callback_and_the_fulfilment_issues_one_certificate_after_its_restart() {
    if let Ok(args) = std::env::var(PAYING_HOST) {
        // The child: `mitra serve` with the parent's arguments.
        let args: Vec<String> = serde_json::from_str(&args).unwrap();
        let cli = <mitra::cli::Cli as clap::Parser>::parse_from(args);
        mitra::cli::run(cli).unwrap();
        return;
    }
    let driver = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let _entered = driver.enter();
    let tmp = tempfile::tempdir().unwrap();
    let dir = |name: &str| tmp.path().join(name).display().to_string();
    let (fake, graph_url) = driver.block_on(start_fake());
    let backend = driver.block_on(mitra_tests::start_backend("municipal"));
    let (proxy, slow) = driver.block_on(switchable(backend));
    let mut plugin = mitra_tests::with_backend(mitra_tests::department("municipal"), proxy);
    plugin.capabilities.deadline_ms = Some(10_000);
    mitra_tests::write_plugin_dir(&tmp.path().join("plugins"), &plugin);
    let listen = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let url = format!("http://{listen}");
    let args: Vec<String> = [
        "mitra",
        "serve",
        "--listen",
        &listen.to_string(),
        "--database-url",
        &format!("sqlite://{}", dir("mitra.db")),
        "--plugins",
        &dir("plugins"),
        "--cache-dir",
        &dir("cache"),
        "--keys-dir",
        &dir("keys"),
        "--packages-dir",
        &dir("packages"),
        "--trusted-keys",
        &dir("trusted_keys.toml"),
        "--graph-url",
        &graph_url,
        "--app-secret",
        crate::conversation::SECRET,
        "--gateway-secret",
        GATEWAY_SECRET,
        "--payment-query-after-seconds",
        "3600",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let name = "payments::a_host_process_killed_between_the_callback_and_the_fulfilment_issues_one_certificate_after_its_restart";
    let start = |n: u32| {
        let log = std::fs::File::create(tmp.path().join(format!("host-{n}.log"))).unwrap();
        let child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", name, "--nocapture", "--test-threads", "1"])
            .env(PAYING_HOST, serde_json::to_string(&args).unwrap())
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(listen).is_err() {
            assert!(started.elapsed() < Duration::from_secs(60), "host {n} did not start; see its log");
            std::thread::sleep(Duration::from_millis(50));
        }
        child
    };
    let wa = "919866700031";

    let mut first = start(1);
    let order = driver.block_on(async {
        for (message, replies) in [
            (text(wa, "hi"), 1),
            (tap(wa, "lang:en", false), 2),
            (tap(wa, "svc:municipal/birth-certificate", true), 1),
            (tap(wa, "start:municipal/birth-certificate", false), 1),
            (text(wa, "B-2023-VJA-04821"), 1),
            (tap(wa, "form:submit", false), 3),
        ] {
            let before = fake.to(wa).len();
            assert_eq!(post_webhook(&url, wa, message).await, 200);
            replies_to(&fake, wa, before, replies).await;
        }
        order_of(&fake.to(wa).iter().rev().find(|m| m["type"] == "text").unwrap().clone())
    });

    // The department's system turns slow, the gateway's callback is kept
    // (200), the fulfilment starts and waits on the department: kill -9.
    slow.store(true, std::sync::atomic::Ordering::SeqCst);
    let before = fake.to(wa).len();
    let (body, signature) = captured(&order, "pay_before_kill", BIRTH_CERTIFICATE_FEE);
    let (status, _) = driver.block_on(post_to(&url, body.clone(), &signature));
    assert_eq!(status, 200, "the callback was kept before it was answered");
    std::thread::sleep(Duration::from_millis(1500));
    first.kill().unwrap();
    first.wait().unwrap();
    assert_eq!(fake.to(wa).len(), before, "nothing was sent before the kill");

    // Restarted with the department back to normal: fulfilled once.
    slow.store(false, std::sync::atomic::Ordering::SeqCst);
    let mut second = start(2);
    let fulfilled = driver.block_on(async {
        let started = Instant::now();
        while !fake.to(wa).iter().skip(before).any(|m| m["type"] == "document") {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no certificate after the restart: {:#?}",
                &fake.to(wa)[before..]
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // The gateway retries the callback to the new process: a duplicate.
        let (status, said) = post_to(&url, body, &signature).await;
        assert_eq!((status, said["status"].as_str()), (200, Some("duplicate")));
        tokio::time::sleep(Duration::from_secs(2)).await;
        fake.to(wa)[before..].to_vec()
    });
    let documents = fulfilled.iter().filter(|m| m["type"] == "document").count();
    let receipts =
        fulfilled.iter().filter(|m| m["text"]["body"].as_str().is_some_and(|t| t.contains("received"))).count();
    assert_eq!((documents, receipts), (1, 1), "{fulfilled:#?}");
    second.kill().unwrap();
    second.wait().unwrap();
    let store = driver.block_on(Store::connect(&format!("sqlite://{}", dir("mitra.db")))).unwrap();
    let paid = driver.block_on(store.payment(&order)).unwrap().unwrap();
    assert_eq!((paid.status.as_str(), paid.gateway_payment_id.as_deref()), ("paid", Some("pay_before_kill")));
}
