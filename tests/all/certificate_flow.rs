//! A certificate from the chat to a verifier: a citizen applies for a birth
//! certificate on WhatsApp and receives a PDF by media id; the outside
//! verifier (poppler renders the page, zbar reads the QR code off the
//! picture, cbor2/base45/cryptography check it against what the host
//! publishes) accepts it; `mitra verify` accepts it offline and online; an
//! operator revokes it through the admin API and every verifier says so.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use mitra::certificates::issuer::Issuer;
use mitra::channel::graph::GraphConfig;
use mitra::channel::webhook::WebhookConfig;
use mitra::registry::Registry;
use mitra::registry::package::TrustedKeys;
use mitra::runtime::Catalog;
use mitra::store::Store;
use mitra::web::{AppState, host};
use mitra_tests::components::REPO_ROOT;
use serde_json::Value;
use tower::ServiceExt as _;

use crate::conversation::{Harness, start_fake, tap, text};
use crate::support::runtime;

const ADMIN_SECRET: &str = "certificates-admin-secret";

/// A host with the municipal department (its backend up), served over
/// loopback too, so outside programs can fetch what it publishes.
pub(crate) struct Host {
    pub(crate) h: Harness,
    url: String,
    pub(crate) store: Store,
    /// The issuer the host sends certificates with.
    pub(crate) issuer: Issuer,
    _tmp: tempfile::TempDir,
    _runtime: mitra::runtime::Runtime,
}

pub(crate) async fn start_host() -> Host {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let rt = runtime();
    let (fake, graph_url) = start_fake().await;
    let backend = mitra_tests::start_backend("municipal").await;
    let plugin = mitra_tests::with_backend(mitra_tests::department("municipal"), backend);
    let catalog = Arc::new(Catalog::new());
    let loader = rt.clone();
    let loaded = tokio::task::spawn_blocking(move || loader.load(plugin)).await.unwrap().unwrap();
    catalog.publish(Arc::new(loaded));
    let registry = Arc::new(Registry::new(
        store.clone(),
        rt.clone(),
        catalog.clone(),
        TrustedKeys::default(),
        tmp.path().join("packages"),
    ));
    let webhook = WebhookConfig { verify_token: "v".into(), app_secret: crate::conversation::SECRET.into() };
    let graph = GraphConfig { base_url: graph_url, token: "t".into(), rate_per_number: 1000, ..Default::default() };
    let state = AppState::new(catalog, store.clone());
    let issuer = state.issuer.clone();
    let app = host(state, webhook, graph).merge(mitra::admin::router(registry, store.clone(), ADMIN_SECRET));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let served = app.clone();
    tokio::spawn(async move { axum::serve(listener, served).await.unwrap() });
    Host { h: Harness { app, fake }, url, store, issuer, _tmp: tmp, _runtime: rt }
}

fn python() -> std::path::PathBuf {
    let python = Path::new(REPO_ROOT).join("target/verify-venv/bin/python3");
    assert!(python.exists(), "{} is missing: run `cargo xtask test`", python.display());
    python
}

/// The outside verifier on a PDF, against what `host` publishes.
async fn outside_verifier(pdf: &Path, host: &str) -> (bool, String) {
    let (pdf, host) = (pdf.to_owned(), host.to_owned());
    tokio::task::spawn_blocking(move || {
        let out = Command::new(python())
            .arg(Path::new(REPO_ROOT).join("tests/verify/outside_verifier.py"))
            .args(["--pdf".as_ref(), pdf.as_os_str(), "--host".as_ref(), host.as_ref()])
            .output()
            .unwrap();
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.success(), said)
    })
    .await
    .unwrap()
}

/// `mitra verify ARGS…`, as the command line runs it: its exit status.
async fn mitra_verify(args: &[&str]) -> i32 {
    let args: Vec<String> = ["mitra", "verify"].iter().chain(args).map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let cli = <mitra::cli::Cli as clap::Parser>::try_parse_from(args).unwrap();
        mitra::cli::run(cli).unwrap()
    })
    .await
    .unwrap()
}

async fn get(url: &str) -> String {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || ureq::get(&url).call().unwrap().body_mut().read_to_string().unwrap())
        .await
        .unwrap()
}

/// The citizen's chat up to the issued certificate: its number and the
/// document message.
pub(crate) async fn apply_for_a_birth_certificate(host: &Host, wa: &str) -> (String, Value) {
    let h = &host.h;
    h.say(wa, text(wa, "hi"), 1).await;
    h.say(wa, tap(wa, "lang:en", false), 2).await;
    h.say(wa, text(wa, "birth certificate"), 1).await;
    h.say(wa, tap(wa, "svc:municipal/birth-certificate", true), 1).await;
    h.say(wa, tap(wa, "start:municipal/birth-certificate", false), 1).await;
    h.say(wa, text(wa, "B-2023-VJA-04821"), 1).await;
    let issued = h.say(wa, tap(wa, "form:submit", false), 3).await;
    assert_eq!(issued[1]["type"], "document", "{}", issued[1]);
    let filename = issued[1]["document"]["filename"].as_str().unwrap();
    (filename.trim_end_matches(".pdf").to_owned(), issued[1].clone())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_birth_certificate_arrives_as_a_pdf_by_media_id_and_outside_verifiers_read_it_off_the_page() {
    let host = start_host().await;
    let wa = "919866600001";
    let (number, document) = apply_for_a_birth_certificate(&host, wa).await;

    // Sent by media id, as Meta takes an uploaded document; nothing of
    // Mitra's own bookkeeping reaches Meta.
    let media_id = document["document"]["id"].as_str().expect("sent by media id").to_owned();
    assert!(document["document"].get("link").is_none(), "{document}");
    assert!(document.get("mitra_certificate").is_none(), "{document}");
    assert!(number.starts_with("MTR-"), "{number}");
    let media = host.h.fake.media.lock().unwrap().get(&media_id).cloned().expect("uploaded to the media endpoint");
    assert_eq!(media.mime_type, "application/pdf");
    assert!(media.bytes.starts_with(b"%PDF-"), "a PDF");
    assert_eq!(media.filename.as_deref(), Some(format!("{number}.pdf").as_str()));
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join(format!("{number}.pdf"));
    std::fs::write(&pdf, &media.bytes).unwrap();

    // Poppler + zbar + cbor2/base45/cryptography, against the host's
    // published keys, checkpoint and inclusion proof.
    let (ok, said) = outside_verifier(&pdf, &host.url).await;
    assert!(ok, "{said}");
    assert!(said.contains(&number), "{said}");

    // The text is real text in both scripts (poppler extracts it back).
    let extracted = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
    let extracted = String::from_utf8_lossy(&extracted.stdout);
    for expected in ["Birth Certificate", "జనన ధృవీకరణ పత్రం", "ఆంధ్రప్రదేశ్ ప్రభుత్వం", "B-2023-VJA-04821", &number]
    {
        assert!(extracted.contains(expected), "{expected:?} is not in the PDF's text:\n{extracted}");
    }

    // `mitra verify`: the PDF against what the host publishes, and the
    // payload offline against files.
    let pdf_path = pdf.to_str().unwrap();
    assert_eq!(mitra_verify(&[pdf_path, "--from", &host.url]).await, 0);
    let checkpoint = get(&format!("{}/log/checkpoint", host.url)).await;
    let size = checkpoint.lines().nth(1).unwrap().to_owned();
    let entry = host.store.log_entry(&number).await.unwrap().unwrap();
    let proof = get(&format!("{}/log/inclusion?index={}&size={size}", host.url, entry.index)).await;
    let files = [
        ("jwks.json", get(&format!("{}/.well-known/jwks.json", host.url)).await),
        ("checkpoint.txt", checkpoint),
        ("proof.json", proof),
    ];
    for (name, content) in &files {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    let file = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let offline = [pdf_path, "--jwks", &file("jwks.json"), "--checkpoint", &file("checkpoint.txt")];
    assert_eq!(mitra_verify(&[&offline[..], &["--proof", &file("proof.json")]].concat()).await, 0);
    // Without the log's evidence it is not accepted as valid.
    assert_eq!(mitra_verify(&[pdf_path, "--jwks", &file("jwks.json")]).await, 1);

    // `status` sends the same certificate again: the log holds it once.
    let size_before = host.store.log_size().await.unwrap();
    let again = host.h.say(wa, text(wa, &format!("status {number}")), 2).await;
    assert_eq!(again[1]["type"], "document");
    assert_eq!(host.store.log_size().await.unwrap(), size_before);

    // An operator revokes it: audited, listed, and every verifier says so.
    let revoke = |token: &str, reason: &str| {
        Request::post(format!("/admin/certificates/{number}/revoke"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(serde_json::json!({ "reason": reason }).to_string()))
            .unwrap()
    };
    let forged = host.h.app.clone().oneshot(revoke("not-a-token", "x")).await.unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    let token = mitra::admin::token(ADMIN_SECRET, "collector-ntr", std::time::Duration::from_secs(600)).unwrap();
    let empty = host.h.app.clone().oneshot(revoke(&token, " ")).await.unwrap();
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    let done = host.h.app.clone().oneshot(revoke(&token, "issued against a wrong register entry")).await.unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    let twice = host.h.app.clone().oneshot(revoke(&token, "again")).await.unwrap();
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    let list = get(&format!("{}/log/revoked", host.url)).await;
    assert!(list.contains(&number) && list.contains("wrong register entry"), "{list}");
    let audit = host.store.audit_log(50, None).await.unwrap();
    assert!(
        audit.iter().any(|a| a.actor == "collector-ntr" && a.action.contains(&number) && a.outcome == "ok"),
        "{audit:?}"
    );
    assert_eq!(mitra_verify(&[pdf_path, "--from", &host.url]).await, 1);
    let report = get(&format!("{}/verify?c={}", host.url, urlencode(&payload_of(&media.bytes)))).await;
    assert!(report.contains("data-verdict=\"revoked\""), "{report}");
}

/// The QR payload a PDF carries (as `mitra verify` finds it).
fn payload_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.pdf");
    std::fs::write(&path, pdf).unwrap();
    mitra::certificates::offline::payload_of(path.to_str().unwrap()).unwrap()
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A host in its own tokio runtime, so that dropping the runtime is the
/// host dying mid-step (nothing flushed, every task stopped).
async fn start_node(db: &Path, graph_url: &str) -> (tokio::runtime::Runtime, Harness) {
    let node = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (db, graph_url) = (db.to_owned(), graph_url.to_owned());
    let app = node
        .spawn(async move {
            let store = Store::connect(&format!("sqlite://{}", db.display())).await.unwrap();
            let backend = mitra_tests::start_backend("municipal").await;
            let plugin = mitra_tests::with_backend(mitra_tests::department("municipal"), backend);
            let rt = runtime();
            let loaded = tokio::task::spawn_blocking(move || rt.load(plugin)).await.unwrap().unwrap();
            let catalog = Arc::new(Catalog::new());
            catalog.publish(Arc::new(loaded));
            let webhook = WebhookConfig { verify_token: "v".into(), app_secret: crate::conversation::SECRET.into() };
            let graph =
                GraphConfig { base_url: graph_url, token: "t".into(), rate_per_number: 1000, ..Default::default() };
            host(AppState::new(catalog, store), webhook, graph)
        })
        .await
        .unwrap();
    let fake = Arc::new(mitra::channel::fake_graph::FakeGraph::default());
    (node, Harness { app, fake })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_killed_between_logging_and_sending_sends_the_logged_certificate_once_after_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("mitra.db");
    let (fake, graph_url) = start_fake().await;
    let (first, mut h) = start_node(&db, &graph_url).await;
    h.fake = fake.clone();
    let wa = "919866600002";
    h.say(wa, text(wa, "hi"), 1).await;
    h.say(wa, tap(wa, "lang:en", false), 2).await;
    h.say(wa, tap(wa, "svc:municipal/birth-certificate", true), 1).await;
    h.say(wa, tap(wa, "start:municipal/birth-certificate", false), 1).await;
    h.say(wa, text(wa, "B-2023-VJA-04821"), 1).await;
    // Meta's media endpoint is down: the certificate is logged, its
    // document cannot leave; the reply before it (the summary) does.
    fake.refuse_uploads.store(true, std::sync::atomic::Ordering::SeqCst);
    let summary = h.say(wa, tap(wa, "form:submit", false), 1).await;
    // "✅ *Birth Certificate …*\nMTR-…": the application number.
    let said = summary[0]["text"]["body"].as_str().unwrap();
    let number = said.lines().nth(1).unwrap().trim().to_owned();
    assert!(number.starts_with("MTR-"), "{said}");
    let store = Store::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    let started = std::time::Instant::now();
    while store.log_size().await.unwrap() == 0 {
        assert!(started.elapsed().as_secs() < 15, "the certificate was never logged");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let leaf = store.log_entry(&number).await.unwrap().expect("logged before it is sent");
    assert!(fake.to(wa).iter().all(|m| m["type"] != "document"), "nothing sent yet");
    first.shutdown_background();

    // Meta is back; a new process on the same database sends it, once, the
    // one already logged.
    fake.refuse_uploads.store(false, std::sync::atomic::Ordering::SeqCst);
    let (second, _h) = start_node(&db, &graph_url).await;
    let started = std::time::Instant::now();
    while !fake.to(wa).iter().any(|m| m["type"] == "document") {
        assert!(started.elapsed().as_secs() < 20, "the certificate was not sent after the restart");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let documents: Vec<Value> = fake.to(wa).into_iter().filter(|m| m["type"] == "document").collect();
    assert_eq!(documents.len(), 1, "{documents:#?}");
    assert_eq!(documents[0]["document"]["filename"], format!("{number}.pdf"));
    assert_eq!(store.log_size().await.unwrap(), 1);
    assert_eq!(store.log_entry(&number).await.unwrap().unwrap(), leaf);
    let media_id = documents[0]["document"]["id"].as_str().unwrap();
    let pdf = fake.media.lock().unwrap().get(media_id).unwrap().bytes.clone();
    let payload = payload_of(&pdf);
    let claims = mitra::certificates::payload::open_unverified(&leaf.entry).unwrap();
    assert_eq!(claims.serial, number);
    assert_eq!(
        mitra::certificates::payload::encode(&leaf.entry).unwrap(),
        payload,
        "the logged certificate is the one sent"
    );
    second.shutdown_background();
}

/// `payload` with one byte of its signed claims changed and its layers
/// rebuilt: a well-formed certificate whose signature no longer holds.
fn tampered(payload: &str) -> String {
    use std::io::{Read as _, Write as _};
    let compressed = base45::decode(&payload["MTR1:".len()..]).unwrap();
    let mut cose = Vec::new();
    flate2::read::ZlibDecoder::new(compressed.as_slice()).read_to_end(&mut cose).unwrap();
    let at = cose.windows(4).position(|w| w == b"MTR-").unwrap() + 4;
    cose[at] = if cose[at] == b'2' { b'3' } else { b'2' };
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    zlib.write_all(&cose).unwrap();
    format!("MTR1:{}", base45::encode(zlib.finish().unwrap()))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_verify_page_in_headless_chromium_answers_valid_tampered_and_from_a_photo_in_three_languages() {
    use crate::simulator::{in_browser, page_text, wait_for};
    use fantoccini::Locator;
    let host = start_host().await;
    let wa = "919866600003";
    let (number, document) = apply_for_a_birth_certificate(&host, wa).await;
    let media_id = document["document"]["id"].as_str().unwrap().to_owned();
    let pdf = host.h.fake.media.lock().unwrap()[&media_id].bytes.clone();
    let payload = payload_of(&pdf);
    let forged = tampered(&payload);
    // A photo of the printed page: the PDF rendered by poppler.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.pdf"), &pdf).unwrap();
    let rendered = Command::new("pdftoppm")
        .args(["-r", "110", "-png", "-singlefile"])
        .arg(dir.path().join("c.pdf"))
        .arg(dir.path().join("photo"))
        .status()
        .unwrap();
    assert!(rendered.success());
    let photo = dir.path().join("photo.png");
    std::fs::copy(&photo, Path::new(REPO_ROOT).join("target/certificate-page.png")).ok();

    let base = host.url.clone();
    in_browser(move |client| async move {
        let client = &client;
        client.goto(&format!("{base}/verify?c={}", urlencode(&payload))).await.unwrap();
        let valid = wait_for(client, "a valid verdict", "//section[@data-verdict='valid']").await;
        let said = valid.text().await.unwrap();
        assert!(said.contains("Genuine") && said.contains(&number), "{said}");
        client
            .screenshot()
            .await
            .map(|png| std::fs::write(Path::new(REPO_ROOT).join("target/verify-page.png"), png))
            .ok();

        client.goto(&format!("{base}/verify?lang=te&c={}", urlencode(&payload))).await.unwrap();
        let telugu = wait_for(client, "the Telugu verdict", "//section[@data-verdict='valid']").await;
        assert!(telugu.text().await.unwrap().contains("నిజమైనది"), "{}", page_text(client).await);
        client.goto(&format!("{base}/verify?lang=hi&c={}", urlencode(&forged))).await.unwrap();
        let hindi = wait_for(client, "the Hindi verdict on a forgery", "//section[@data-verdict='tampered']").await;
        assert!(hindi.text().await.unwrap().contains("असली नहीं"), "{}", page_text(client).await);

        // Pasted into the form.
        client.goto(&format!("{base}/verify")).await.unwrap();
        client.find(Locator::Id("payload")).await.unwrap().send_keys(&forged).await.unwrap();
        client.find(Locator::Id("check")).await.unwrap().click().await.unwrap();
        let refused = wait_for(client, "the tampered verdict", "//section[@data-verdict='tampered']").await;
        assert!(refused.text().await.unwrap().contains("Not genuine"), "{}", page_text(client).await);

        // A photo of the QR code.
        client.goto(&format!("{base}/verify")).await.unwrap();
        client.find(Locator::Id("photo")).await.unwrap().send_keys(photo.to_str().unwrap()).await.unwrap();
        client.find(Locator::Id("check")).await.unwrap().click().await.unwrap();
        let read = wait_for(client, "the verdict on the photo", "//section[@data-verdict]").await;
        let said = read.text().await.unwrap();
        assert_eq!(read.attr("data-verdict").await.unwrap().as_deref(), Some("valid"), "{said}");
    })
    .await;
}
