//! The local WhatsApp simulator: a host wired as `mitra serve` wires dev mode
//! (built-in fake Graph API + `/_simulator`), and headless Chromium driven
//! over WebDriver (Debian's chromedriver) tapping through the page as a
//! citizen would. The page's messages reach the real `/webhook` signed, and
//! the replies come back from the fake Graph API into the page.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use mitra::channel::fake_graph::FakeGraph;
use mitra::channel::graph::GraphConfig;
use mitra::channel::simulator::{self, SimulatorConfig};
use mitra::channel::webhook::WebhookConfig;
use mitra::runtime::{Catalog, Runtime};
use mitra::store::Store;
use mitra::web::{AppState, host};
use serde_json::{Value, json};
use tower::ServiceExt as _;

use crate::support::runtime;

const SECRET: &str = "simulator-secret";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long the page may take to show a reply (plugin calls, the sender,
/// 300 ms polling, a cold browser).
const WAIT: Duration = Duration::from_secs(30);

/// A host on a loopback port, dev mode as `mitra serve` mounts it.
struct DevHost {
    url: String,
    addr: SocketAddr,
    fake: Arc<FakeGraph>,
    store: Store,
    _runtime: Runtime,
    _tmp: tempfile::TempDir,
}

async fn start_host() -> DevHost {
    start_host_with(None).await
}

/// [`start_host`] with voice notes heard and replies spoken by `speech`.
async fn start_host_with(speech: Option<Arc<mitra::voice::Speech>>) -> DevHost {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let (rt, catalog) = tokio::task::spawn_blocking(|| {
        let rt = runtime();
        let catalog = Catalog::new();
        catalog.publish(Arc::new(rt.load(mitra_tests::department("municipal")).unwrap()));
        (rt, Arc::new(catalog))
    })
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let dev = simulator::dev_channel(addr, SECRET, Vec::new());
    let graph = GraphConfig { base_url: dev.graph_url, token: "dev-token".into(), ..GraphConfig::default() };
    let webhook = WebhookConfig { verify_token: "v".into(), app_secret: SECRET.into() };
    let app = dev.routes.merge(host(AppState::new(catalog, store.clone()).with_voice(speech), webhook, graph));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    DevHost { url: format!("http://{addr}"), addr, fake: dev.fake, store, _runtime: rt, _tmp: tmp }
}

/// chromedriver on a free loopback port, killed when dropped (also when
/// the test panics).
pub(crate) struct ChromeDriver {
    child: Child,
    url: String,
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start_chromedriver() -> ChromeDriver {
    for binary in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            Path::new(binary).exists(),
            "{binary} is missing: run `cargo xtask test`, which installs Debian's chromium and chromium-driver"
        );
    }
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {CHROMEDRIVER}: {e}"));
    let driver = ChromeDriver { child, url: format!("http://127.0.0.1:{port}") };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not listen on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    driver
}

/// A headless Chromium session with `extra` command-line switches.
async fn browser(driver: &ChromeDriver, extra: &[String]) -> Client {
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--window-size=480,900",
    ]
    .map(str::to_owned)
    .to_vec();
    args.extend_from_slice(extra);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), json!({ "binary": CHROMIUM, "args": args }));
    // chromedriver is plain HTTP on loopback: no TLS connector needed.
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("a headless Chromium session through {}: {e}", driver.url))
}

pub(crate) async fn wait_for(client: &Client, what: &str, xpath: &str) -> Element {
    match client.wait().at_most(WAIT).for_element(Locator::XPath(xpath)).await {
        Ok(element) => element,
        Err(e) => {
            let page = page_text(client).await;
            panic!("{what} did not appear ({e}); the page shows:\n{page}")
        }
    }
}

pub(crate) async fn page_text(client: &Client) -> String {
    match client.find(Locator::Css("body")).await {
        Ok(body) => body.text().await.unwrap_or_default(),
        Err(e) => format!("<no body: {e}>"),
    }
}

pub(crate) async fn say(client: &Client, text: &str) {
    client.find(Locator::Id("text")).await.unwrap().send_keys(text).await.unwrap();
    client.find(Locator::Id("send")).await.unwrap().click().await.unwrap();
}

/// Runs `steps` in a fresh Chromium, closing the session whatever happens
/// (a failed step panics inside its own task, so the browser still quits).
pub(crate) async fn in_browser<F, Fut>(steps: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    in_browser_with(&[], steps).await
}

/// [`in_browser`] with `extra` Chromium switches.
async fn in_browser_with<F, Fut>(extra: &[String], steps: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let driver = start_chromedriver();
    let client = browser(&driver, extra).await;
    let outcome = tokio::spawn(steps(client.clone())).await;
    let _ = client.close().await;
    drop(driver);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic.into_panic());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_citizen_in_headless_chromium_picks_english_searches_and_opens_the_birth_certificate() {
    let h = start_host().await;
    let wa = "919876500001";
    let url = format!("{}/_simulator?wa={wa}", h.url);
    in_browser(move |client| async move {
        let client = &client;
        client.goto(&url).await.unwrap();
        wait_for(client, "the message box", "//textarea[@id='text']").await;
        say(client, "hi").await;

        let english =
            "//div[contains(@class,'mitra')]//button[contains(@class,'reply-button') and normalize-space()='English']";
        wait_for(client, "the language buttons", english).await.click().await.unwrap();
        wait_for(client, "the department menu", "//button[contains(@class,'list-open') and contains(.,'Departments')]")
            .await;

        say(client, "birth certificate").await;
        wait_for(client, "the search results", "//button[contains(@class,'list-open') and contains(.,'Results')]")
            .await
            .click()
            .await
            .unwrap();
        let row = "//div[@id='sheet']//button[contains(@class,'row') and @data-id='svc:municipal/birth-certificate']";
        let row = wait_for(client, "the birth certificate row", row).await;
        assert!(row.text().await.unwrap().contains("Municipal"), "the row shows its department as description");
        row.click().await.unwrap();

        // The details: *bold* title rendered, the fee, and the buttons to go on.
        let details =
            "//div[contains(@class,'mitra')][.//b[normalize-space()='Birth certificate'] and contains(.,'Fee:')]";
        let details = wait_for(client, "the service details", details).await;
        let shown = details.text().await.unwrap();
        for expected in ["You will be asked for", "Apply", "Back", "Menu"] {
            assert!(shown.contains(expected), "{expected:?} missing from the details: {shown}");
        }
        let status = client.find(Locator::Id("status")).await.unwrap().text().await.unwrap();
        assert!(status.is_empty(), "the page reported: {status}");
        let ticks =
            client.find_all(Locator::XPath("//div[contains(@class,'citizen')]//div[contains(@class,'meta')]")).await;
        let ticks = ticks.unwrap();
        assert_eq!(ticks.len(), 4, "hi, English, the search and the row");
        for tick in ticks {
            let tick = tick.text().await.unwrap();
            assert!(tick.ends_with('✓'), "every message reached the webhook with 200: {tick}");
        }
    })
    .await;

    // What the webhook stored is Meta's wire format: fresh wamids, current
    // timestamps, the profile name, and the list reply in context of the list.
    let inbound = h.store.inbound_of(wa).await.unwrap();
    assert_eq!(inbound.len(), 4, "{inbound:#?}");
    let now = now();
    let mut wamids = std::collections::HashSet::new();
    for record in &inbound {
        assert!(record.wamid.starts_with("wamid.") && wamids.insert(record.wamid.clone()), "{record:?}");
        assert!((now - record.sent_at).abs() < 300, "timestamp {} is not current", record.sent_at);
        assert_eq!(record.profile_name.as_deref(), Some("Lakshmi"));
        assert_eq!(record.phone_number_id, "100000000000001");
    }
    let kinds: Vec<&str> = inbound.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds, ["text", "interactive", "text", "interactive"]);
    let tap: Value = serde_json::from_str(&inbound[3].payload).unwrap();
    assert_eq!(tap["interactive"]["type"], "list_reply");
    assert_eq!(tap["interactive"]["list_reply"]["id"], "svc:municipal/birth-certificate");
    assert_eq!(tap["interactive"]["list_reply"]["title"], "Birth certificate");
    let results = h
        .fake
        .captured
        .lock()
        .unwrap()
        .iter()
        .rfind(|c| c.body["to"] == wa && c.body["interactive"]["type"] == "list")
        .map(|c| c.wamid.clone())
        .unwrap();
    assert_eq!(tap["context"]["id"], results.as_str(), "the tap replies to the results list");
    assert_eq!(tap["context"]["from"], "918000000001");
}

fn now() -> i64 {
    mitra_tests::unix_now()
}

fn simulator_for(h: &DevHost, secret: &str) -> axum::Router {
    let config = SimulatorConfig {
        webhook_url: format!("http://{}/webhook", h.addr),
        app_secret: secret.into(),
        numbers: vec![simulator::DEFAULT_NUMBER.parse().unwrap()],
    };
    simulator::router(config, h.fake.clone())
}

async fn post_send(app: &axum::Router, body: &str) -> (StatusCode, Value) {
    let request = Request::post("/_simulator/send").body(Body::from(body.to_owned())).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

fn envelope(wa: &str, text: &str) -> String {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "WABA", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "918000000001", "phone_number_id": "100000000000001" },
            "contacts": [{ "profile": { "name": "Ravi" }, "wa_id": wa }],
            "messages": [{ "from": wa, "id": format!("wamid.t.{wa}"), "timestamp": now().to_string(), "type": "text",
                           "text": { "body": text } }],
        }}]}]
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_simulator_signs_with_the_app_secret_and_shows_the_webhooks_answer() {
    let h = start_host().await;

    // Telugu and '/' travel \u-escaped, as Meta sends them; the webhook
    // checks the signature over those raw bytes.
    let (status, body) = post_send(&simulator_for(&h, SECRET), &envelope("919876500002", "జనన ధృవీకరణ / birth")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["webhook"]["status"], 200);
    let stored = h.store.inbound_of("919876500002").await.unwrap();
    let stored: Value = serde_json::from_str(&stored[0].payload).unwrap();
    assert_eq!(stored["text"]["body"], "జనన ధృవీకరణ / birth");

    let (status, body) = post_send(&simulator_for(&h, "not-the-secret"), &envelope("919876500003", "hi")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["webhook"]["body"]["error"], "invalid X-Hub-Signature-256");

    let (status, body) = post_send(&simulator_for(&h, SECRET), r#"{"object": "whatsapp_business_account""#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().starts_with("the envelope is not JSON"), "{body}");

    let (status, body) = post_send(&simulator_for(&h, SECRET), r#"{"object": "page", "entry": []}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the webhook's own 400 is passed on: {body}");
    assert_eq!(body["webhook"]["status"], 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_simulator_polls_one_citizens_replies_after_an_index() {
    let h = start_host().await;
    let app = simulator_for(&h, SECRET);
    let wa = "919876500004";
    post_send(&app, &envelope(wa, "hi")).await;
    let started = Instant::now();
    while h.fake.to(wa).is_empty() {
        assert!(started.elapsed() < WAIT, "no reply");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let get = |uri: String| {
        let app = app.clone();
        async move {
            let response = app.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap())
        }
    };
    let (status, all) = get(format!("/_simulator/messages?to={wa}&after=0")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["total"], 1);
    assert_eq!(all["messages"][0]["index"], 0);
    assert_eq!(all["messages"][0]["phone_number_id"], "100000000000001");
    assert_eq!(all["messages"][0]["body"]["interactive"]["type"], "button");
    let (_, none) = get(format!("/_simulator/messages?to={wa}&after=1")).await;
    assert_eq!(none["messages"], json!([]));
    let (_, other) = get("/_simulator/messages?to=919999999999".into()).await;
    assert_eq!(other["total"], 0);
    let (status, missing) = get("/_simulator/messages".into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(missing["error"].as_str().unwrap().contains("to="));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_simulator_page_is_served_whole_with_nothing_from_elsewhere() {
    let h = start_host().await;
    let response =
        simulator_for(&h, SECRET).oneshot(Request::get("/_simulator").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let page = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    let page = String::from_utf8(page.to_vec()).unwrap();
    assert!(page.contains("/_simulator/send") && page.contains("/_simulator/messages"));
    for external in ["src=\"http", "href=\"http", "@import", "url(http", "src=\"//"] {
        assert!(!page.contains(external), "the page loads {external}…");
    }
    assert!(!page.contains(SECRET), "the app secret never reaches the browser");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_citizen_records_a_voice_note_in_headless_chromium_and_is_answered_in_words_and_speech() {
    use mitra::voice::speech::{EspeakConfig, OfflineConfig, RecogniserConfig, SpeakerConfig};
    // Chromium's fake microphone plays what espeak-ng said: half a second of
    // quiet, "birth certificate", then quiet while the recording goes on.
    let tmp = tempfile::tempdir().unwrap();
    let spoken = mitra_tests::espeak_pcm("en", "birth certificate");
    let microphone = tmp.path().join("microphone.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut wav = hound::WavWriter::create(&microphone, spec).unwrap();
    for sample in std::iter::repeat_n(0, 8_000).chain(spoken.iter().copied()).chain(std::iter::repeat_n(0, 48_000)) {
        wav.write_sample(sample).unwrap();
    }
    wav.finalize().unwrap();
    let recogniser = RecogniserConfig::Offline(OfflineConfig {
        python: crate::voice::voice_python(),
        workers: 1,
        ..OfflineConfig::default()
    });
    let speaker = SpeakerConfig::Espeak(EspeakConfig::default());
    let speech = mitra::voice::Speech::new(recogniser.build().await.unwrap(), speaker.build().await.unwrap(), 1);
    let h = start_host_with(Some(speech)).await;
    let wa = "919876500009";
    let url = format!("{}/_simulator?wa={wa}", h.url);
    let switches = [
        "--use-fake-ui-for-media-stream".to_owned(),
        "--use-fake-device-for-media-stream".to_owned(),
        format!("--use-file-for-fake-audio-capture={}%noloop", microphone.display()),
        "--autoplay-policy=no-user-gesture-required".to_owned(),
    ];
    let recording = Duration::from_millis(500 + spoken.len() as u64 * 1000 / 16_000 + 1_500);
    in_browser_with(&switches, move |client| async move {
        let client = &client;
        client.goto(&url).await.unwrap();
        wait_for(client, "the message box", "//textarea[@id='text']").await;
        say(client, "hi").await;
        // Where voice is served the language menu is a list.
        let languages = "//button[contains(@class,'list-open')]";
        wait_for(client, "the language menu", languages).await.click().await.unwrap();
        let english_row = "//div[@id='sheet']//button[contains(@class,'row') and @data-id='lang:en']";
        wait_for(client, "the English row", english_row).await.click().await.unwrap();
        wait_for(client, "the department menu", "//button[contains(@class,'list-open') and contains(.,'Departments')]")
            .await;

        // Record: the microphone button, the words, the button again.
        client.find(Locator::Id("mic")).await.unwrap().click().await.unwrap();
        tokio::time::sleep(recording).await;
        client.find(Locator::Id("mic")).await.unwrap().click().await.unwrap();

        let heard = "//div[contains(@class,'mitra')][contains(.,'I heard:') and contains(.,'birth certificate')]";
        wait_for(client, "what the host heard", heard).await;
        wait_for(client, "the search results", "//button[contains(@class,'list-open') and contains(.,'Results')]")
            .await;
        // The citizen's voice note and Mitra's spoken reply, both playable.
        wait_for(client, "the citizen's voice note", "//div[contains(@class,'citizen')]//audio").await;
        let reply = wait_for(client, "the spoken reply", "//div[contains(@class,'mitra')]//audio").await;
        let source = reply.attr("src").await.unwrap().unwrap_or_default();
        assert!(source.starts_with("/_simulator/media/"), "{source}");
        let status = client.find(Locator::Id("status")).await.unwrap().text().await.unwrap();
        assert!(status.is_empty() || status.starts_with("recording"), "the page reported: {status}");
    })
    .await;

    // What reached the webhook was an audio message of a voice note the
    // fake Graph API holds, and the spoken reply went out as audio.
    let inbound = h.store.inbound_of(wa).await.unwrap();
    let note = inbound.iter().find(|r| r.kind == "audio").expect("the voice note reached the webhook");
    let note: Value = serde_json::from_str(&note.payload).unwrap();
    assert_eq!(note["audio"]["voice"], true);
    assert_eq!(note["audio"]["mime_type"], "audio/ogg; codecs=opus");
    let id = note["audio"]["id"].as_str().unwrap();
    assert!(h.fake.media.lock().unwrap().get(id).is_some_and(|m| m.bytes.starts_with(b"OggS")));
    assert!(h.fake.to(wa).iter().any(|m| m["type"] == "audio" && m["audio"]["voice"] == true));
}
