//! The security review's findings, each a test through the real HTTP
//! server (`mitra::web::serve`, as `mitra serve` runs it): slow clients cut
//! off without holding the others up, hostile JSON answered and survived,
//! and the console's login limited per client address as well as per name.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mitra::channel::graph::GraphConfig;
use mitra::channel::webhook::{WebhookConfig, sign};
use mitra::privacy::Privacy;
use mitra::runtime::Catalog;
use mitra::store::Store;
use mitra::web::serve::{Limits, serve};
use mitra::web::{AppState, host};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::conversation::{SECRET, envelope_to, text};

const LIMITS: Limits = Limits {
    head: Duration::from_millis(400),
    request: Duration::from_millis(800),
    drain: Duration::from_secs(1),
    connections: None,
};

/// A whole host (webhook, console, admin) served on a loopback port.
async fn served() -> (SocketAddr, tempfile::TempDir) {
    served_with(LIMITS).await
}

async fn served_with(limits: Limits) -> (SocketAddr, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let catalog = Arc::new(Catalog::new());
    let webhook = WebhookConfig { verify_token: "v".into(), app_secret: SECRET.into() };
    let graph = GraphConfig { base_url: "http://127.0.0.1:1".into(), ..GraphConfig::default() };
    let privacy = Arc::new(Privacy::new("security-test-pii-key"));
    let app = host(AppState::new(catalog.clone(), store.clone()), webhook, graph).merge(mitra::console::router(
        store,
        catalog,
        privacy,
        "security-test-admin-secret",
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, app, limits, std::future::pending()));
    (addr, tmp)
}

/// One request on its own connection; the status and body.
///
/// The answer is read while the request is still being written: a server
/// refuses an oversized body by its `content-length` and closes without
/// reading the rest, so the write may end in a broken pipe (that is the
/// server doing its job) while the answer is already on its way.
async fn exchange(addr: SocketAddr, request: &[u8]) -> (u16, String) {
    let (mut reading, mut writing) = TcpStream::connect(addr).await.unwrap().into_split();
    let request = request.to_vec();
    let writer = tokio::spawn(async move {
        let _ = writing.write_all(&request).await;
        // Held open until the answer is read: dropping it would half-close.
        std::future::pending::<()>().await;
        drop(writing);
    });
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), reading.read_to_end(&mut answer)).await;
    writer.abort();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

fn post(path: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nhost: mitra\r\nconnection: close\r\ncontent-type: application/json\r\n{headers}content-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

async fn healthy(addr: SocketAddr) -> bool {
    exchange(addr, b"GET /healthz HTTP/1.1\r\nhost: mitra\r\nconnection: close\r\n\r\n").await.0 == 200
}

/// Whether the server closes `stream` within `within` (a read ends).
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let started = Instant::now();
    while started.elapsed() < within {
        match tokio::time::timeout(within, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue, // an error answer before the close
            Err(_) => return false,
        }
    }
    false
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_trickling_its_headers_is_cut_off_and_others_are_served_meanwhile() {
    let (addr, _tmp) = served().await;
    let mut slow = Vec::new();
    for _ in 0..50 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(b"POST /webhook HTTP/1.1\r\nhost: mitra\r\nx-a: ").await.unwrap();
        slow.push(stream);
    }
    assert!(healthy(addr).await, "the host answers others while slow clients hold connections");
    tokio::time::sleep(Duration::from_millis(200)).await;
    for stream in &mut slow {
        let _ = stream.write_all(b"a").await; // a byte now and then does not buy more time
    }
    for stream in &mut slow {
        assert!(closed_within(stream, Duration::from_secs(3)).await, "a slow head was never cut off");
    }
    // An idle kept-alive connection that never sends a request is closed too.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    assert!(closed_within(&mut idle, Duration::from_secs(3)).await, "an idle connection is held for ever");
    assert!(healthy(addr).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_past_the_cap_are_answered_503_at_once_and_the_host_serves_again_when_they_close() {
    let limits = Limits { head: Duration::from_secs(20), connections: Some(4), ..LIMITS };
    let (addr, _tmp) = served_with(limits).await;
    let refused_before = mitra::telemetry::metrics().http_connections_refused.get();
    // Four clients hold every connection the host serves (heads half sent).
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(b"GET /healthz HTTP/1.1\r\nhost: mitra\r\n").await.unwrap();
        held.push(stream);
    }
    // A fifth is told to come back, at once, rather than left waiting.
    let started = Instant::now();
    let (status, answer) = exchange(addr, b"GET /healthz HTTP/1.1\r\nhost: mitra\r\nconnection: close\r\n\r\n").await;
    assert_eq!(status, 503, "{answer}");
    assert!(answer.to_ascii_lowercase().contains("retry-after: 1\r\n"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(1), "the refusal took {:?}", started.elapsed());
    // So is a webhook (Meta sends it again later).
    let body = envelope_to("PNID-1", "919811100001", text("919811100001", "hi"));
    let signature = format!("x-hub-signature-256: {}\r\n", sign(SECRET, body.as_bytes()));
    let (status, _) = exchange(addr, &post("/webhook", &signature, &body)).await;
    assert_eq!(status, 503);
    assert!(mitra::telemetry::metrics().http_connections_refused.get() >= refused_before + 2);
    // The held connections are still served when their requests end.
    held[0].write_all(b"\r\n").await.unwrap();
    let mut answer = [0u8; 12];
    held[0].read_exact(&mut answer).await.unwrap();
    assert_eq!(&answer, b"HTTP/1.1 200");
    // Once two clients go, new connections are served again.
    held.truncate(2);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !healthy(addr).await {
        assert!(Instant::now() < deadline, "the host never served new connections again");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_trickling_its_body_gets_408() {
    let (addr, _tmp) = served().await;
    let body = envelope_to("PNID-1", "919811100001", text("919811100001", "hi"));
    let head = format!(
        "POST /webhook HTTP/1.1\r\nhost: mitra\r\ncontent-type: application/json\r\nx-hub-signature-256: {}\r\ncontent-length: {}\r\n\r\n",
        sign(SECRET, body.as_bytes()),
        body.len()
    );
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    for chunk in body.as_bytes().chunks(10) {
        if stream.write_all(chunk).await.is_err() {
            break;
        }
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(100), stream.read(&mut buf)).await {
            answer.extend_from_slice(&buf[..n]);
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "a trickled body held the request for 5 s");
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert!(healthy(addr).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn deeply_nested_and_oversized_json_is_refused_and_the_host_carries_on() {
    let (addr, _tmp) = served().await;
    for nested in ["[".repeat(200_000), "{\"a\":".repeat(100_000), format!("{}1{}", "[".repeat(5000), "]".repeat(5000))]
    {
        // Signed, so the parser is what meets it.
        let signature = format!("x-hub-signature-256: {}\r\n", sign(SECRET, nested.as_bytes()));
        let (status, answer) = exchange(addr, &post("/webhook", &signature, &nested)).await;
        assert_eq!(status, 400, "{answer}");
        let (status, answer) = exchange(addr, &post("/console/login", "", &nested)).await;
        assert!((400..500).contains(&status), "{status}: {answer}");
    }
    // Over the caps: Meta's 3 MB for the webhook, axum's 2 MB for JSON bodies.
    let huge = format!("{{\"username\":\"{}\",\"password\":\"x\"}}", "a".repeat(4 << 20));
    assert_eq!(exchange(addr, &post("/console/login", "", &huge)).await.0, 413);
    let signature = format!("x-hub-signature-256: {}\r\n", sign(SECRET, huge.as_bytes()));
    assert_eq!(exchange(addr, &post("/webhook", &signature, &huge)).await.0, 413);

    let wa = "919811100002";
    let body = envelope_to("PNID-1", wa, text(wa, "hi"));
    let signature = format!("x-hub-signature-256: {}\r\n", sign(SECRET, body.as_bytes()));
    assert_eq!(exchange(addr, &post("/webhook", &signature, &body)).await.0, 200, "a real webhook after all that");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_address_trying_many_names_is_stopped_at_twenty_attempts() {
    let (addr, _tmp) = served().await;
    let mut statuses = Vec::new();
    for i in 0..24 {
        let body = format!(r#"{{"username":"sprayed-{i}","password":"Password1"}}"#);
        statuses.push(exchange(addr, &post("/console/login", "", &body)).await.0);
    }
    // Every name is new, so the per-name limit never applies: the address's does.
    assert!(statuses[..20].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(statuses[20..].iter().all(|s| *s == 429), "{statuses:?}");
    let (_, answer) = exchange(addr, &post("/console/login", "", r#"{"username":"x","password":"y"}"#)).await;
    assert!(answer.to_ascii_lowercase().contains("retry-after: 60"), "{answer}");
}
