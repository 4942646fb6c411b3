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
use mitra::payments::gateway::{self, Callback};
use mitra::payments::{PaymentsConfig, stand_in};
use mitra::runtime::Catalog;
use mitra::store::Store;
use mitra::web::{AppState, host};
use serde_json::Value;

use crate::conversation::{Harness, start_fake, tap, text};
use crate::support::runtime;

const GATEWAY_SECRET: &str = "test-gateway-merchant-secret";
const VPA: &str = "apgov.mitra@sbi";
const BIRTH_CERTIFICATE_FEE: u64 = 50 * 100;

struct PayHost {
    h: Harness,
    url: String,
    store: Store,
    _tmp: tempfile::TempDir,
    _runtime: mitra::runtime::Runtime,
}

async fn start(link_valid: Duration) -> PayHost {
    let tmp = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", tmp.path().join("mitra.db").display());
    let (fake, graph_url) = start_fake().await;
    let backend = mitra_tests::start_backend("municipal").await;
    let plugin = mitra_tests::with_backend(mitra_tests::department("municipal"), backend);
    let (h, url, store, rt) = serve_host(&database, fake, graph_url, plugin, link_valid).await;
    PayHost { h, url, store, _tmp: tmp, _runtime: rt }
}

/// A whole host with payments (and the gateway stand-in), served on
/// loopback from the runtime it is called in: its worker and sender run
/// there, so dropping that runtime is the host dying.
async fn serve_host(
    database: &str,
    fake: Arc<FakeGraph>,
    graph_url: String,
    plugin: mitra::runtime::Manifest,
    link_valid: Duration,
) -> (Harness, String, Store, mitra::runtime::Runtime) {
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
    };
    let stand_in = stand_in::StandIn {
        store: store.clone(),
        callback_url: format!("{url}/payments/callback"),
        secret: GATEWAY_SECRET.into(),
    };
    let webhook = WebhookConfig { verify_token: "v".into(), app_secret: crate::conversation::SECRET.into() };
    let graph = GraphConfig { base_url: graph_url, token: "t".into(), rate_per_number: 1000, ..Default::default() };
    let app = host(AppState::new(catalog, store.clone()).with_payments(payments), webhook, graph)
        .nest("/_fake_gateway", stand_in::router(stand_in));
    let served = app.clone();
    tokio::spawn(async move { axum::serve(listener, served).await.unwrap() });
    (Harness { app, fake }, url, store, rt)
}

/// The citizen asks for a birth certificate and is found eligible: the
/// order id and the three payment messages.
async fn apply(h: &Harness, wa: &str) -> (String, Vec<Value>) {
    h.say(wa, text(wa, "hi"), 1).await;
    h.say(wa, tap(wa, "lang:en", false), 2).await;
    h.say(wa, tap(wa, "svc:municipal/birth-certificate", true), 1).await;
    h.say(wa, tap(wa, "start:municipal/birth-certificate", false), 1).await;
    h.say(wa, text(wa, "B-2023-VJA-04821"), 1).await;
    let pay = h.say(wa, tap(wa, "form:submit", false), 3).await;
    (order_of(&pay[0]), pay)
}

fn order_of(message: &Value) -> String {
    let body = message["text"]["body"].as_str().unwrap_or_default();
    body.split("Order: ").nth(1).unwrap_or_else(|| panic!("no order in {message}")).trim().to_owned()
}

/// A captured callback for `order` as the gateway signs it.
fn captured(order: &str, payment: &str, amount: u64) -> (Vec<u8>, String) {
    let body = serde_json::to_vec(&Callback::captured(order, payment, amount)).unwrap();
    let signature = gateway::sign(GATEWAY_SECRET, &body);
    (body, signature)
}

/// POSTs to the host's callback route over HTTP, as the gateway does.
async fn post_callback(host: &PayHost, body: Vec<u8>, signature: &str) -> (u16, Value) {
    post_to(&host.url, body, signature).await
}

async fn post_to(host_url: &str, body: Vec<u8>, signature: &str) -> (u16, Value) {
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

async fn replies_to(fake: &FakeGraph, wa: &str, before: usize, count: usize) -> Vec<Value> {
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

fn python(script: &str, arg: &str) -> String {
    let out = Command::new("python3").args(["-c", script, arg]).output().expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fee_is_paid_by_upi_and_the_certificate_follows_once_however_often_the_gateway_calls_back() {
    let host = start(Duration::from_secs(900)).await;
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
    let again = host.h.say(wa, text(wa, "I paid?"), 4).await;
    assert!(again[0]["text"]["body"].as_str().unwrap().contains("expired"), "{}", again[0]);
    let new = order_of(&again[1]);
    assert_ne!(new, old, "a new order for the new link");
    assert_eq!(again[2]["type"], "image");

    // The old order paid after all: the citizen is told it comes back.
    let before = host.h.fake.to(wa).len();
    let (body, signature) = captured(&old, "pay_late", BIRTH_CERTIFICATE_FEE);
    assert_eq!(post_callback(&host, body, &signature).await.0, 200);
    let told = replies_after(&host, wa, before, 1).await;
    assert!(told[0]["text"]["body"].as_str().unwrap().contains("refunded"), "{}", told[0]);
    assert_eq!(host.store.payment(&old).await.unwrap().unwrap().status, "refund_due");

    // The new one, paid on the stand-in gateway's page, is fulfilled.
    let page_url = format!("{}/_fake_gateway/pay/{new}", host.url);
    let page = tokio::task::spawn_blocking(move || ureq::get(&page_url).call().unwrap().body_mut().read_to_string())
        .await
        .unwrap()
        .unwrap();
    assert!(page.contains("Pay ₹50") && page.contains(&new), "{page}");
    let pay_url = format!("{}/_fake_gateway/pay/{new}/captured", host.url);
    let paid = tokio::task::spawn_blocking(move || ureq::post(&pay_url).send_empty().unwrap().status().as_u16())
        .await
        .unwrap();
    assert_eq!(paid, 200);
    let fulfilled = replies_after(&host, wa, before + 1, 4).await;
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
    let (h, _, _, _plugins) =
        first.block_on(serve_host(&database, fake.clone(), graph_url.clone(), plugin.clone(), link));
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
    let (_, url, store, _plugins) = third.block_on(serve_host(&database, fake.clone(), graph_url, plugin, link));
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
    let payment = mitra::store::PaymentRecord {
        order_id: order.into(),
        wa_id: application.wa_id.clone(),
        phone_number_id: application.phone_number_id.clone(),
        plugin_id: "revenue".into(),
        service_id: "income".into(),
        amount_paise: 4500,
        status: "created".into(),
        created_at_ms: now,
        expires_at_ms: now + 900_000,
        paid_at_ms: None,
        gateway_payment_id: None,
        application_number: None,
    };
    let asked = mitra::store::Completion {
        wamid: format!("wamid.{order}"),
        payment_order: Some(payment),
        ..Default::default()
    };
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
