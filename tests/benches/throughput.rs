//! `throughput`: the host's own capacity, from a signed webhook arriving to
//! the reply leaving for the Graph API, on the embedded SQLite store.
//!
//! Starts, in this process, a host (SQLite in a temporary directory, the
//! pensions plugin) and a Graph API stand-in that notes when each reply
//! arrives. Then posts signed webhooks over HTTP (kept-alive connections,
//! requests built before the clock starts), one message each, for many
//! distinct citizens spread over several business numbers, at a fixed rate
//! (open loop: the schedule does not wait for answers), and reports the rate
//! sustained and the latency from posting a message to its first reply
//! reaching the Graph API (matched by `biz_opaque_callback_data`).
//!
//! Each citizen writes "hi" (language buttons or the menu), taps English
//! (welcome and menu), then searches four times ("birth certificate",
//! "pension", "menu"…), round and round, citizens starting at different
//! points so the mix is steady (7 replies per 6 messages): the
//! conversation engine, the search index, the session store, the outbox and
//! the sender all do their real work. WhatsApp allows 1,000 msg/s per
//! business number; the sender keeps that limit, and the load is spread over
//! `--numbers` numbers so the host, not the limit, is what is measured (a
//! language tap answers with two messages, so sends peak at twice the rate).
//!
//! With `--payments R`, fees are in the flow too: before the clock starts,
//! `R × seconds` more citizens apply for a birth certificate (the municipal
//! plugin and its simulated registry) up to its UPI fee; during the load the
//! gateway's signed callbacks for their orders arrive at R per second, each
//! stored as the citizen's event, fulfilled (the department's call, the
//! application, the order marked paid) and answered with the receipt and the
//! signed certificate (issued, laid out as a PDF and uploaded).
//!
//! With `--voice V`, V citizens a second send a voice note ("old age
//! pension", espeak-ng's speech as a WhatsApp voice note) among the text:
//! each is downloaded from the stand-in (`GET /{media-id}`, then the file),
//! decoded, heard by the offline recogniser, searched, and answered in words
//! and in a spoken reply (espeak-ng, encoded and uploaded). The text's
//! latency is measured as always; the voice notes' own, to the "I heard"
//! reply and to the spoken one, beside it.
//!
//! The host is served as `mitra serve` serves it (`web::serve`, connection
//! cap included); the load generator keeps at most `--connections` per host,
//! as a real sender's pool does, and sends a webhook answered 503 again a
//! second later, as Meta does. With `--flood R`, a separate process opens R
//! connections a second and holds them without a request.
//!
//! With `--history N`, the database holds N messages handled before the
//! load (written in ~25 s per million), so the host runs on a database as
//! large as a state's rather than a new one.
//!
//! Run: `cargo bench -p mitra-tests --bench throughput -- --rate 5000 --seconds 20 [--warmup 5] [--numbers 32] [--payments 50] [--voice 5] [--flood 1000] [--random-ids] [--history 900000]`

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use mitra::channel::graph::GraphConfig;
use mitra::channel::webhook::{WebhookConfig, sign};
use mitra::payments::PaymentsConfig;
use mitra::payments::gateway::{self, Callback};
use mitra::registry::Registry;
use mitra::registry::package::{self, TrustedKeys, VendorKey};
use mitra::runtime::{CONTRACT_VERSION, Catalog, Runtime, RuntimeConfig};
use mitra::store::{Completion, InboundRecord, OutboxItem, Store, Writes};
use mitra::web::{AppState, host};
use serde_json::json;
use tokio::net::TcpListener;

#[path = "support/wire.rs"]
mod wire;
use wire::Pool;

// As the `mitra` binary runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SECRET: &str = "throughput-secret";
/// Set in the separate process `--flood` starts: `ADDR,RATE,SECONDS`.
const FLOOD_ENV: &str = "THROUGHPUT_FLOOD";

/// The flooding process: opens `RATE` connections a second to `ADDR` for
/// `SECONDS` and holds each without a word until the host closes it (its
/// head timeout, or a 503 at its cap); then says what happened to them.
fn flood(spec: &str) -> anyhow::Result<()> {
    let mut parts = spec.split(',');
    let (Some(addr), Some(rate), Some(seconds)) = (parts.next(), parts.next(), parts.next()) else {
        anyhow::bail!("{FLOOD_ENV}: expected ADDR,RATE,SECONDS, got {spec}");
    };
    let (addr, rate, seconds): (std::net::SocketAddr, u64, u64) = (addr.parse()?, rate.parse()?, seconds.parse()?);
    mitra::web::serve::raise_open_file_limit();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async move {
        let counts: Arc<[AtomicU64; 3]> = Arc::new(Default::default()); // opened, answered 503, not connected
        let started = tokio::time::Instant::now();
        for k in 0..rate * seconds {
            tokio::time::sleep_until(started + Duration::from_secs_f64(k as f64 / rate as f64)).await;
            let counts = counts.clone();
            tokio::spawn(async move {
                use tokio::io::AsyncReadExt as _;
                let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
                    counts[2].fetch_add(1, Ordering::Relaxed);
                    return;
                };
                counts[0].fetch_add(1, Ordering::Relaxed);
                let mut head = [0u8; 12];
                if stream.read_exact(&mut head).await.is_ok() && &head == b"HTTP/1.1 503" {
                    counts[1].fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        let [opened, busy, failed] = &*counts;
        eprintln!(
            "flood: {} connections opened ({} answered 503), {} not connected",
            opened.load(Ordering::Relaxed),
            busy.load(Ordering::Relaxed),
            failed.load(Ordering::Relaxed)
        );
    });
    Ok(())
}

/// Times a webhook answered 503 is sent again.
const RESENDS: usize = 5;
const GATEWAY_SECRET: &str = "throughput-gateway-secret";

#[derive(Parser, Debug)]
struct Args {
    /// Messages per second offered.
    #[arg(long, default_value_t = 5000)]
    rate: u64,
    /// Seconds of load.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Seconds of load before the measured `--seconds`, same rate and mix.
    /// The first message of each of the 20,000 citizens (a session made)
    /// falls in the first 2 s at 10,000 msg/s: a cold start from nothing to
    /// full rate, shown on its own line rather than in the figures.
    #[arg(long, default_value_t = 0)]
    warmup: u64,
    /// Distinct citizens writing.
    #[arg(long, default_value_t = 20_000)]
    citizens: u64,
    /// Business numbers (phone_number_ids) the citizens write to.
    #[arg(long, default_value_t = 16)]
    numbers: u64,
    /// Message ids in no order, as Meta's are (by default they count up,
    /// which spares the database's indexes; see the `store_commit` bench).
    #[arg(long)]
    random_ids: bool,
    /// Messages per second per business number the sender allows.
    #[arg(long, default_value_t = 1000)]
    send_rate: u32,
    /// Swap the pensions plugin this many times during the load (signed
    /// packages through the registry, cycling three versions), then roll
    /// back once; replies saying a service is unavailable are counted.
    #[arg(long, default_value_t = 0)]
    swaps: usize,
    /// Swap this department written as definitions (plugins/departments/ID,
    /// the generic component) instead of the pensions plugin; its simulated
    /// system is started.
    #[arg(long)]
    declarative: Option<String>,
    /// With --declarative: `SERVICE=KEY`, an information service every
    /// citizen looks up (tap, start, the key) in their loop, so plugin calls
    /// run through the swaps; replies holding `--expect` are counted right.
    #[arg(long)]
    lookup: Option<String>,
    /// Words the lookup's answer holds.
    #[arg(long, default_value = "")]
    expect: String,
    /// Hosts serving the load, citizens spread over them by number; more
    /// than one needs `--postgres` (they share its database).
    #[arg(long, default_value_t = 1)]
    hosts: usize,
    /// A PostgreSQL server (a fresh database is made on it) instead of SQLite.
    #[arg(long)]
    postgres: Option<String>,
    /// Gateway callbacks per second for orders of citizens who applied for
    /// a birth certificate before the clock started (0: no payments).
    #[arg(long, default_value_t = 0)]
    payments: u64,
    /// Voice notes per second, from citizens of their own (0: none). Needs
    /// target/voice-venv (or MITRA_VOICE_PYTHON) and espeak-ng.
    #[arg(long, default_value_t = 0)]
    voice: u64,
    /// Connections the load generator opens to each host at most (a flood
    /// past the host's connection limit: a large number).
    #[arg(long, default_value_t = wire::MAX_CONNECTIONS)]
    connections: usize,
    /// Connections a second a separate process opens to the (first) host
    /// during the load and holds without sending a request, as a flood of
    /// broken or hostile senders would (0: none). Shows the host's
    /// connection cap from outside its own file table.
    #[arg(long, default_value_t = 0)]
    flood: u64,
    /// Messages handled before the load (their citizens' sessions saved,
    /// their replies sent), written into the database before the host
    /// starts: a state's database is large, and SQLite's page cache works
    /// harder on one under 1 GiB than on one past it (BENCHMARKS.md, "No
    /// statement journals on the writer's connection"). ~1.4 KB each.
    #[arg(long, default_value_t = 0)]
    history: u64,
    /// Writes each message's timings (ms since the start: posted, stored,
    /// first reply) to this CSV file, to see when a slow reply happened.
    #[arg(long)]
    timings: Option<std::path::PathBuf>,
    // `cargo bench` passes `--bench`.
    #[arg(long, hide = true)]
    bench: bool,
}

/// When each message was posted and when its first reply reached the fake.
struct Clock {
    start: Instant,
    /// Every reply the Graph API received.
    sends: AtomicU64,
    /// Webhooks answered 200 (stored).
    acked: AtomicU64,
    /// Webhooks sent again after a 503.
    resent: AtomicU64,
    /// Replies telling a citizen something is unavailable or went wrong.
    wrong: AtomicU64,
    /// Replies holding `--expect` (the lookup's answer), and the words.
    looked_up: AtomicU64,
    expect: String,
    posted: Vec<AtomicU64>,
    /// When the webhook's 200 came back (the message was stored).
    stored: Vec<AtomicU64>,
    replied: Vec<AtomicU64>,
    /// Payment callbacks: posted, answered 200, first reply (the receipt).
    paid_posted: Vec<AtomicU64>,
    paid_acked: Vec<AtomicU64>,
    paid_replied: Vec<AtomicU64>,
    /// Documents (certificates) sent.
    documents: AtomicU64,
    /// Media uploaded (certificates' PDFs, UPI QR codes).
    uploads: AtomicU64,
    /// Payer `k` of each order id.
    payer_of: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
    /// Voice notes: posted, answered 200, "I heard" (reply #0), the spoken
    /// reply; and how many were heard as what was said.
    voice_posted: Vec<AtomicU64>,
    voice_acked: Vec<AtomicU64>,
    voice_heard: Vec<AtomicU64>,
    voice_spoken: Vec<AtomicU64>,
    heard_right: AtomicU64,
    /// The voice note the stand-in serves for every voice message.
    note: Vec<u8>,
    /// The stand-in's own URL (its media objects point at it).
    graph_addr: std::sync::OnceLock<String>,
    /// Answer sends with scattered message ids, as Meta does (`--random-ids`).
    random_ids: bool,
}

/// The media id of the voice note the citizens send.
const NOTE_ID: &str = "7000000000000001";

impl Clock {
    fn now(&self) -> u64 {
        self.start.elapsed().as_nanos() as u64
    }

    fn graph_url(&self) -> &str {
        self.graph_addr.get().map(String::as_str).unwrap_or_default()
    }
}

/// The Graph API stand-in: notes the arrival of reply `#0` of each message
/// and answers as Meta does, with a message id.
async fn graph_stand_in(listener: TcpListener, clock: Arc<Clock>) {
    while let Ok((stream, _)) = listener.accept().await {
        let clock = clock.clone();
        tokio::spawn(async move {
            let _ = stream.set_nodelay(true);
            let mut conn = wire::Conn::new(stream);
            while let Ok(Some(request)) = conn.next(wire::Kind::Request).await {
                let at = clock.now();
                let (status, kind, reply): (_, _, Vec<u8>) = if request.path.ends_with("/messages") {
                    ("200 OK", "application/json", graph_reply(&clock, &request.body, at).into_bytes())
                } else if request.path.ends_with("/media") {
                    let n = clock.uploads.fetch_add(1, Ordering::Relaxed);
                    ("200 OK", "application/json", format!(r#"{{"id":"media{n}"}}"#).into_bytes())
                } else if request.path.ends_with(&format!("/_media/{NOTE_ID}")) {
                    ("200 OK", "audio/ogg", clock.note.clone())
                } else if request.path.ends_with(&format!("/{NOTE_ID}")) {
                    // Where the voice note is: Meta's media object.
                    let object = json!({ "messaging_product": "whatsapp", "url": format!("{}/_media/{NOTE_ID}", clock.graph_url()),
                        "mime_type": "audio/ogg; codecs=opus", "file_size": clock.note.len(), "id": NOTE_ID });
                    ("200 OK", "application/json", object.to_string().into_bytes())
                } else {
                    ("404 Not Found", "application/json", b"{}".to_vec())
                };
                if !conn.respond(status, kind, &reply).await {
                    return;
                }
            }
        });
    }
}

fn graph_reply(clock: &Clock, body: &[u8], at: u64) -> String {
    let sent = clock.sends.fetch_add(1, Ordering::Relaxed);
    // A substring, not a parse: the stand-in's work shares the cores with the
    // host, so it does as little as it can.
    const KEY: &str = "\"biz_opaque_callback_data\":\"";
    let text = std::str::from_utf8(body).unwrap_or_default();
    if text.contains("unavailable")
        || text.contains("went wrong")
        || text.contains("not answering")
        || text.contains("Many people")
    {
        clock.wrong.fetch_add(1, Ordering::Relaxed);
    }
    if !clock.expect.is_empty() && text.contains(clock.expect.as_str()) {
        clock.looked_up.fetch_add(1, Ordering::Relaxed);
    }
    let tag = text.find(KEY).map(|at| &text[at + KEY.len()..]).and_then(|rest| rest.split('"').next()).unwrap_or("");
    if text.contains("\"type\":\"document\"") {
        clock.documents.fetch_add(1, Ordering::Relaxed);
    }
    // Reply `index` to message (or event) `to`.
    let (to, index) = OutboxItem::reply_to(tag).unwrap_or_default();
    // A payment's receipt: the first reply to event `payment.<order>`.
    if let Some(k) =
        to.strip_prefix("payment.").filter(|_| index == 0).and_then(|order| clock.payer_of.get()?.get(order).copied())
        && let Some(slot) = clock.paid_replied.get(k)
    {
        let _ = slot.compare_exchange(0, at, Ordering::SeqCst, Ordering::SeqCst);
    }
    if let Some(k) = to.strip_prefix("wamid.voice.")
        && let Ok(k) = k.parse::<usize>()
        && k < clock.voice_heard.len()
    {
        if index == 0 {
            let _ = clock.voice_heard[k].compare_exchange(0, at, Ordering::SeqCst, Ordering::SeqCst);
            if text.contains("I heard: *old age pension*") {
                clock.heard_right.fetch_add(1, Ordering::Relaxed);
            }
        }
        if text.contains("\"type\":\"audio\"") {
            let _ = clock.voice_spoken[k].compare_exchange(0, at, Ordering::SeqCst, Ordering::SeqCst);
        }
    }
    if let Some(seq) =
        to.strip_prefix("wamid.bench.").filter(|_| index == 0).and_then(|t| t.rsplit('.').next()?.parse::<usize>().ok())
        && let Some(slot) = clock.replied.get(seq)
    {
        let _ = slot.compare_exchange(0, at, Ordering::SeqCst, Ordering::SeqCst);
    }
    if clock.random_ids {
        let sent = splitmix64(sent);
        format!(r#"{{"messaging_product":"whatsapp","contacts":[],"messages":[{{"id":"wamid.out.{sent:016x}"}}]}}"#)
    } else {
        format!(r#"{{"messaging_product":"whatsapp","contacts":[],"messages":[{{"id":"wamid.out.{tag}"}}]}}"#)
    }
}

/// A well-scattered 64-bit hash of `n` (splitmix64's).
fn splitmix64(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Message `seq`'s webhook. `sent_from` is the Unix second the schedule's
/// first message is stamped with: each carries the second it is posted in
/// (`rate` a second), as Meta's `timestamp` is the second the citizen sent
/// it. (Stamping all of them with one second put every new message at a
/// random place in the inbound key, which begins with it.)
fn webhook_body(seq: u64, sent_from: i64, args: &Args) -> String {
    let citizen = seq % args.citizens;
    // Each citizen's conversation is six messages (hi, the language tap,
    // four searches) on a loop, started at a different point for each
    // citizen, so every second carries the same mix.
    let lookup = args.lookup.as_deref().and_then(|l| l.split_once('='));
    let steps = if lookup.is_some() { 9 } else { 6 };
    let step = (seq / args.citizens + citizen) % steps;
    let wa = format!("91900{citizen:07}");
    let number = format!("PNID-{}", citizen % args.numbers);
    let id = if args.random_ids {
        // Scattered, and still carrying the number (after the last dot)
        // the replies are matched by.
        format!("wamid.bench.{:016x}.{seq}", splitmix64(seq))
    } else {
        format!("wamid.bench.{seq}")
    };
    let sent_at = (sent_from + (seq / args.rate) as i64).to_string();
    const QUERIES: &[&str] = &["birth certificate", "pension", "menu", "old age pensoin", "widow pension", "help"];
    let typed =
        |body: &str| json!({ "from": wa, "id": id, "timestamp": sent_at, "type": "text", "text": { "body": body } });
    let tapped = |tap: String, list: bool| {
        let (kind, key) = if list { ("list_reply", "list_reply") } else { ("button_reply", "button_reply") };
        json!({ "from": wa, "id": id, "timestamp": sent_at, "type": "interactive",
            "interactive": { "type": kind, key: { "id": tap, "title": "Tap" } } })
    };
    let message = match (step, lookup, args.declarative.as_deref()) {
        (0, ..) => typed("hi"),
        (1, ..) => tapped("lang:en".into(), false),
        // A lookup: the service tapped, started, and its key typed.
        (2, Some((service, _)), Some(department)) => tapped(format!("svc:{department}/{service}"), true),
        (3, Some((service, _)), Some(department)) => tapped(format!("start:{department}/{service}"), false),
        (4, Some((_, key)), Some(_)) => typed(key),
        (n, ..) => typed(QUERIES[(n as usize + citizen as usize) % QUERIES.len()]),
    };
    envelope(&number, &wa, message)
}

/// Voice citizen `k`'s one message: the voice note.
fn voice_body(k: usize, args: &Args) -> String {
    let wa = format!("91700{k:07}");
    let number = format!("PNID-{}", k as u64 % args.numbers);
    let message = json!({ "from": wa, "id": format!("wamid.voice.{k}"), "timestamp": mitra_tests::unix_now().to_string(),
        "type": "audio", "audio": { "id": NOTE_ID, "mime_type": "audio/ogg; codecs=opus", "voice": true } });
    envelope(&number, &wa, message)
}

/// "old age pension" (a service of the pensions plugin the bench serves)
/// said by espeak-ng, as a WhatsApp voice note.
fn spoken_note() -> anyhow::Result<Vec<u8>> {
    mitra::voice::audio::encode_voice_note(&mitra_tests::espeak_pcm("en", "old age pension"))
}

/// Meta's webhook around one message from `wa` to business number `number`.
fn envelope(number: &str, wa: &str, message: serde_json::Value) -> String {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "WABA", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "919000000000", "phone_number_id": number },
            "contacts": [{ "profile": { "name": "Citizen" }, "wa_id": wa }],
            "messages": [message],
        }}]}]
    })
    .to_string()
}

/// The messages payer `k` sends to reach the fee of a birth certificate;
/// the last one (the submit) names the order ([`payer_submit_id`]).
fn payer_messages(k: usize, args: &Args) -> (String, String, Vec<String>) {
    let wa = format!("91800{k:07}");
    let number = format!("PNID-{}", k as u64 % args.numbers);
    let now = mitra_tests::unix_now().to_string();
    let tap = |id: &str, list: bool| {
        if list {
            json!({ "type": "list_reply", "list_reply": { "id": id, "title": id } })
        } else {
            json!({ "type": "button_reply", "button_reply": { "id": id, "title": id } })
        }
    };
    let steps = [
        json!({ "type": "text", "text": { "body": "hi" } }),
        json!({ "type": "interactive", "interactive": tap("lang:en", false) }),
        json!({ "type": "interactive", "interactive": tap("svc:municipal/birth-certificate", true) }),
        json!({ "type": "interactive", "interactive": tap("start:municipal/birth-certificate", false) }),
        json!({ "type": "text", "text": { "body": "B-2023-VJA-04821" } }),
        json!({ "type": "interactive", "interactive": tap("form:submit", false) }),
    ];
    let submit = payer_submit_id(k);
    let bodies = steps
        .into_iter()
        .enumerate()
        .map(|(i, mut message)| {
            message["from"] = json!(wa);
            message["timestamp"] = json!(now);
            message["id"] = json!(if i == 5 { submit.clone() } else { format!("wamid.payer.{k}.{i}") });
            envelope(&number, &wa, message)
        })
        .collect();
    (wa, number, bodies)
}

/// The submit message of payer `k`: the order id derives from it, as an
/// application number does from the message that submitted it.
fn payer_submit_id(k: usize) -> String {
    format!("wamid.payer.{k}.submit")
}

/// A signed JSON `POST` to `path` as raw HTTP/1.1, built before the clock
/// matters.
fn post_request(addr: std::net::SocketAddr, path: &str, (header, signature): (&str, &str), body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         {header}: {signature}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1e6
}

/// Writes `messages` handled a day before the load, as the host would have:
/// each stored, then handled (the citizen's session saved, one reply
/// queued), then its reply marked sent, in commits of a thousand. Their
/// citizens (200,000) are not the load's, so the load's sessions start
/// empty as without a history.
async fn write_history(database: &str, messages: u64) -> anyhow::Result<()> {
    const PER_COMMIT: u64 = 1_000;
    let store = Store::connect(database).await?;
    let started = Instant::now();
    let day_ago_ms = mitra::store::now_ms() - 86_400_000;
    let text = "Your pension application is under review. ".repeat(10);
    for first in (0..messages).step_by(PER_COMMIT as usize) {
        let stored: Vec<InboundRecord> = (first..(first + PER_COMMIT).min(messages))
            .map(|n| {
                let wa_id = format!("9197{:08}", n % 200_000);
                let wamid = format!("wamid.HBgM{:032x}", (n as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835));
                let sent_at = (day_ago_ms / 1000) + (n / 10_000) as i64;
                InboundRecord {
                    payload: format!(
                        r#"{{"from":"{wa_id}","id":"{wamid}","timestamp":"{sent_at}","type":"text","text":{{"body":"pension status"}}}}"#
                    ),
                    wamid,
                    phone_number_id: format!("PNID-{}", n % 32),
                    wa_id,
                    profile_name: Some("Citizen".into()),
                    kind: "text".into(),
                    sent_at,
                    received_at_ms: day_ago_ms + (n / 10) as i64,
                }
            })
            .collect();
        let handled: Vec<Completion> = stored
            .iter()
            .map(|record| Completion {
                session: Some((record.wa_id.clone(), format!(r#"{{"sealed":"{}"}}"#, "x".repeat(320)))),
                replies: vec![OutboxItem {
                    id: OutboxItem::reply_id(record.received_at_ms, &record.wamid, 0),
                    phone_number_id: record.phone_number_id.clone(),
                    wa_id: record.wa_id.clone(),
                    body: format!(
                        r#"{{"messaging_product":"whatsapp","to":"{}","type":"text","text":{{"body":"{text}"}}}}"#,
                        record.wa_id
                    ),
                    attempts: 1,
                    window_until_ms: Some(record.received_at_ms + 86_400_000),
                    fallback: None,
                }],
                ..Completion::of(record)
            })
            .collect();
        let sent: Vec<(String, String)> =
            handled.iter().flat_map(|c| &c.replies).map(|r| (r.id.clone(), format!("wamid.sent.{}", r.id))).collect();
        let none = Writes { inbound: &[], statuses: &[], completions: &[], sent: &[] };
        store.commit(&Writes { inbound: &stored, ..none }).await?;
        store.commit(&Writes { completions: &handled, ..none }).await?;
        store.commit(&Writes { sent: &sent, ..none }).await?;
    }
    // On SQLite, how large the file became (PostgreSQL's is the server's).
    let on_disk = match database.strip_prefix("sqlite://") {
        Some(file) => {
            let mib = |path: String| std::fs::metadata(path).map_or(0, |m| m.len() >> 20);
            format!(" (database {} MiB, WAL {} MiB)", mib(file.to_owned()), mib(format!("{file}-wal")))
        }
        None => String::new(),
    };
    eprintln!(
        "history:    {messages} messages handled before the load, written in {:.1} s{on_disk}",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    if let Ok(spec) = std::env::var(FLOOD_ENV) {
        return flood(&spec);
    }
    let args = Args::parse();
    let files = mitra::web::serve::raise_open_file_limit();
    eprintln!("throughput: open-file limit {files}");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> anyhow::Result<()> {
    let total = (args.rate * (args.warmup + args.seconds)) as usize;
    // Messages before this one are the warm-up's.
    let measured_from = (args.rate * args.warmup) as usize;
    // Each host's connection cap: half what `mitra serve` would take, since
    // the load generator's sockets share this process's file limit.
    let host_cap = mitra::web::serve::connection_cap() / 2;
    let payers = (args.payments * args.seconds) as usize;
    let voiced = (args.voice * args.seconds) as usize;
    let municipal = if payers > 0 {
        let backend = mitra_tests::start_backend("municipal").await;
        Some(mitra_tests::with_backend(mitra_tests::department("municipal"), backend))
    } else {
        None
    };
    let clock = Arc::new(Clock {
        start: Instant::now(),
        sends: AtomicU64::new(0),
        acked: AtomicU64::new(0),
        resent: AtomicU64::new(0),
        wrong: AtomicU64::new(0),
        looked_up: AtomicU64::new(0),
        expect: args.expect.clone(),
        posted: (0..total).map(|_| AtomicU64::new(0)).collect(),
        stored: (0..total).map(|_| AtomicU64::new(0)).collect(),
        replied: (0..total).map(|_| AtomicU64::new(0)).collect(),
        paid_posted: (0..payers).map(|_| AtomicU64::new(0)).collect(),
        paid_acked: (0..payers).map(|_| AtomicU64::new(0)).collect(),
        paid_replied: (0..payers).map(|_| AtomicU64::new(0)).collect(),
        documents: AtomicU64::new(0),
        uploads: AtomicU64::new(0),
        payer_of: std::sync::OnceLock::new(),
        voice_posted: (0..voiced).map(|_| AtomicU64::new(0)).collect(),
        voice_acked: (0..voiced).map(|_| AtomicU64::new(0)).collect(),
        voice_heard: (0..voiced).map(|_| AtomicU64::new(0)).collect(),
        voice_spoken: (0..voiced).map(|_| AtomicU64::new(0)).collect(),
        heard_right: AtomicU64::new(0),
        note: if voiced > 0 { spoken_note()? } else { Vec::new() },
        graph_addr: std::sync::OnceLock::new(),
        random_ids: args.random_ids,
    });

    // The Graph API stand-in.
    let graph_listener = mitra::web::listen("127.0.0.1:0".parse()?)?;
    let graph_url = format!("http://{}", graph_listener.local_addr()?);
    let _ = clock.graph_addr.set(graph_url.clone());
    tokio::spawn(graph_stand_in(graph_listener, clock.clone()));

    // The hosts: one on SQLite, or several sharing a fresh PostgreSQL database.
    let tmp = tempfile::tempdir()?;
    let database = match &args.postgres {
        Some(server) => fresh_database(server).await?,
        None => {
            anyhow::ensure!(args.hosts == 1, "several hosts share a PostgreSQL database: pass --postgres");
            format!("sqlite://{}", tmp.path().join("mitra.db").display())
        }
    };
    if args.history > 0 {
        write_history(&database, args.history).await?;
    }
    let vendor = VendorKey::generate("bench-vendor")?;
    let trusted = TrustedKeys::default().with("bench-vendor", &vendor.public_hex())?;
    // The declarative department swapped, with its simulated system.
    let declarative = match &args.declarative {
        Some(id) => {
            let router = mitra_backends::router(id).ok_or_else(|| anyhow::anyhow!("no simulated system for {id}"))?;
            let backend = mitra_backends::spawn(router, "127.0.0.1:0".parse()?).await?;
            Some((id.clone(), backend))
        }
        None => None,
    };
    let mut registries = Vec::new();
    let mut pools: Vec<Pool> = Vec::new();
    for n in 0..args.hosts {
        let store = Store::connect(&database).await?;
        let plugin_runtime = Runtime::new(&RuntimeConfig { max_concurrent_instances: 64, ..RuntimeConfig::default() })?;
        let mut manifest = mitra::runtime::Manifest::load(std::path::Path::new(mitra_tests::components::PENSIONS_DIR))?;
        manifest.component = mitra_tests::components::PENSIONS.into();
        let catalog = Arc::new(Catalog::new());
        catalog.publish(Arc::new(plugin_runtime.load(manifest)?));
        if let Some(municipal) = &municipal {
            catalog.publish(Arc::new(plugin_runtime.load(municipal.clone())?));
        }
        if let Some((id, backend)) = &declarative {
            let dir = mitra_tests::declarative_plugin_dir(&tmp.path().join(format!("first{n}")), id, "0.1.0", *backend);
            // Loading runs the plugin's describe, which blocks.
            let loading = plugin_runtime.clone();
            let plugin = tokio::task::spawn_blocking(move || loading.load_dir(&dir)).await??;
            catalog.publish(Arc::new(plugin));
        }
        if args.swaps > 0 {
            let dir = tmp.path().join(format!("host{n}"));
            let registry =
                Arc::new(Registry::new(store.clone(), plugin_runtime, catalog.clone(), trusted.clone(), dir));
            tokio::spawn(registry.clone().follow());
            registries.push(registry);
        }
        let webhook = WebhookConfig { verify_token: "v".into(), app_secret: SECRET.into() };
        let graph = GraphConfig {
            base_url: graph_url.clone(),
            token: "t".into(),
            rate_per_number: args.send_rate,
            ..GraphConfig::default()
        };
        let mut state = AppState::new(catalog, store);
        if voiced > 0 {
            use mitra::voice::speech::{EspeakConfig, OfflineConfig, RecogniserConfig, SpeakerConfig};
            let python = std::env::var_os("MITRA_VOICE_PYTHON").map(std::path::PathBuf::from).unwrap_or_else(|| {
                std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/voice-venv/bin/python"))
            });
            let recogniser = RecogniserConfig::Offline(OfflineConfig { python, ..OfflineConfig::default() });
            let speaker = SpeakerConfig::Espeak(EspeakConfig::default());
            // As `mitra serve` bounds it: half the cores.
            let concurrency = (std::thread::available_parallelism().map_or(2, |n| n.get()) / 2).max(1);
            let speech = mitra::voice::Speech::new(recogniser.build().await?, speaker.build().await?, concurrency);
            state = state.with_voice(Some(speech));
        }
        if payers > 0 {
            state = state.with_payments(PaymentsConfig {
                payee_address: "apgov.mitra@sbi".into(),
                payee_name: "Government of Andhra Pradesh".into(),
                gateway_secret: GATEWAY_SECRET.into(),
                pay_url: "http://127.0.0.1:9/pay".into(),
                link_valid: Duration::from_secs(3600),
                api: None,
                reconcile: Default::default(),
                whatsapp_configuration: None,
            });
        }
        let app = host(state, webhook, graph);
        let host_listener = mitra::web::listen("127.0.0.1:0".parse()?)?;
        pools.push(Pool::with_connections(host_listener.local_addr()?, args.connections));
        // Served as `mitra serve` serves it, connection cap and all.
        let limits = mitra::web::serve::Limits { connections: Some(host_cap), ..Default::default() };
        tokio::spawn(mitra::web::serve::serve(host_listener, app, limits, std::future::pending()));
    }
    if let Some(first) = registries.first() {
        install_versions(first, &vendor, tmp.path(), declarative.as_ref()).await?;
    }
    let pools = Arc::new(pools);

    // Requests are built and signed before the clock matters. A citizen
    // stays on one host, as a load balancer hashing the number would keep them.
    eprintln!("throughput: preparing {total} signed webhooks");
    let host_of = |seq: u64| (seq % args.citizens) as usize % pools.len();
    // Stamped from now: a message is posted after its second has begun (the
    // preparation's seconds later), never before, as Meta delivers them.
    let sent_from = mitra_tests::unix_now();
    let requests: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..total as u64)
            .map(|seq| {
                let body = webhook_body(seq, sent_from, &args);
                let signature = sign(SECRET, body.as_bytes());
                post_request(pools[host_of(seq)].addr, "/webhook", ("x-hub-signature-256", &signature), body.as_bytes())
            })
            .collect(),
    );
    let refused = Arc::new(AtomicU64::new(0));

    // The payers apply before the clock starts, each up to the fee.
    let mut callbacks: Vec<Vec<u8>> = Vec::with_capacity(payers);
    if payers > 0 {
        eprintln!("throughput: {payers} citizens apply for a birth certificate up to its fee");
        let mut applying = tokio::task::JoinSet::new();
        for k in 0..payers {
            let (_, _, bodies) = payer_messages(k, &args);
            let pool = pools[k % pools.len()].addr;
            applying.spawn(async move {
                let pool = Pool::new(pool);
                for body in bodies {
                    let signature = sign(SECRET, body.as_bytes());
                    let request =
                        post_request(pool.addr, "/webhook", ("x-hub-signature-256", &signature), body.as_bytes());
                    anyhow::ensure!(pool.post(&request).await == Some(200), "a payer's message was refused");
                }
                Ok(())
            });
            if applying.len() >= 64 {
                applying.join_next().await.expect("a task")??;
            }
        }
        while let Some(done) = applying.join_next().await {
            done??;
        }
        let store = Store::connect(&database).await?;
        let orders: Vec<String> = (0..payers).map(|k| mitra::payments::order_id(&payer_submit_id(k))).collect();
        let waiting = Instant::now();
        for (k, order) in orders.iter().enumerate() {
            while store.payment(order).await?.is_none() {
                anyhow::ensure!(waiting.elapsed() < Duration::from_secs(300), "payer {k}'s order {order} never came");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        eprintln!("throughput: {payers} orders waiting for payment ({:.1} s)", waiting.elapsed().as_secs_f64());
        let _ = clock.payer_of.set(orders.iter().enumerate().map(|(k, order)| (order.clone(), k)).collect());
        for (k, order) in orders.iter().enumerate() {
            let body = serde_json::to_vec(&Callback::captured(order, &format!("pay_bench_{k}"), 5000))?;
            let signature = gateway::sign(GATEWAY_SECRET, &body);
            let addr = pools[k % pools.len()].addr;
            callbacks.push(post_request(addr, "/payments/callback", (gateway::SIGNATURE_HEADER, &signature), &body));
        }
    }
    let callbacks = Arc::new(callbacks);
    let voice_requests: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..voiced)
            .map(|k| {
                let body = voice_body(k, &args);
                let signature = sign(SECRET, body.as_bytes());
                post_request(
                    pools[k % pools.len()].addr,
                    "/webhook",
                    ("x-hub-signature-256", &signature),
                    body.as_bytes(),
                )
            })
            .collect(),
    );

    eprintln!(
        "throughput: {} msg/s for {} s, {} citizens, {} business numbers at {} msg/s each",
        args.rate, args.seconds, args.citizens, args.numbers, args.send_rate
    );
    // Progress each second: how far answers lag behind posts.
    let monitor = {
        let clock = clock.clone();
        tokio::spawn(async move {
            let mut last = 0usize;
            for second in 1.. {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let posted = clock.posted.iter().filter(|p| p.load(Ordering::Relaxed) != 0).count();
                let answered = clock.replied.iter().filter(|r| r.load(Ordering::Relaxed) != 0).count();
                let acked = clock.acked.load(Ordering::Relaxed) as usize;
                eprintln!(
                    "  {second:>3} s: {posted} posted, {acked} stored, {answered} answered (+{}), backlog {}",
                    answered - last,
                    posted - answered
                );
                last = answered;
            }
        })
    };
    let swapping = (!registries.is_empty()).then(|| {
        let swapped = args.declarative.clone().unwrap_or_else(|| "pensions".into());
        tokio::spawn(swap_during(registries.clone(), swapped, args.swaps, args.warmup + args.seconds))
    });
    let flooding = if args.flood > 0 {
        let spec = format!("{},{},{}", pools[0].addr, args.flood, args.warmup + args.seconds);
        eprintln!("throughput: a separate process opens {} idle connections a second to {}", args.flood, pools[0].addr);
        Some(tokio::process::Command::new(std::env::current_exe()?).env(FLOOD_ENV, spec).kill_on_drop(true).spawn()?)
    } else {
        None
    };
    let started = Instant::now();
    let tick = Duration::from_millis(2);
    let mut interval = tokio::time::interval(tick);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut next = 0usize;
    let mut next_paid = 0usize;
    let mut next_voice = 0usize;
    let speak = |k: usize| {
        let (pools, voice_requests, clock) = (pools.clone(), voice_requests.clone(), clock.clone());
        tokio::spawn(async move {
            clock.voice_posted[k].store(clock.now(), Ordering::SeqCst);
            if pools[k % pools.len()].post(&voice_requests[k]).await == Some(200) {
                clock.voice_acked[k].store(clock.now(), Ordering::SeqCst);
            }
        });
    };
    let pay = |k: usize| {
        let (pools, callbacks, clock) = (pools.clone(), callbacks.clone(), clock.clone());
        tokio::spawn(async move {
            clock.paid_posted[k].store(clock.now(), Ordering::SeqCst);
            if pools[k % pools.len()].post(&callbacks[k]).await == Some(200) {
                clock.paid_acked[k].store(clock.now(), Ordering::SeqCst);
            }
        });
    };
    while next < total {
        interval.tick().await;
        // The gateway's callbacks, on their own schedule.
        let measured_for = started.elapsed().saturating_sub(Duration::from_secs(args.warmup));
        let due = ((measured_for.as_secs_f64() * args.payments as f64) as usize).min(payers);
        while next_paid < due {
            pay(next_paid);
            next_paid += 1;
        }
        let due = ((measured_for.as_secs_f64() * args.voice as f64) as usize).min(voiced);
        while next_voice < due {
            speak(next_voice);
            next_voice += 1;
        }
        // Every message due by now (the schedule catches up after a stall).
        let due = ((started.elapsed().as_secs_f64() * args.rate as f64) as usize + 1).min(total);
        while next < due {
            let seq = next;
            next += 1;
            let host = host_of(seq as u64);
            let (pools, requests, clock, refused) = (pools.clone(), requests.clone(), clock.clone(), refused.clone());
            tokio::spawn(async move {
                clock.posted[seq].store(clock.now(), Ordering::SeqCst);
                // A 503 (the host at its connection limit) is sent again a
                // second later, as Meta does; the latency counts from the
                // first post.
                for attempt in 0..=RESENDS {
                    match pools[host].post(&requests[seq]).await {
                        Some(200) => {
                            clock.acked.fetch_add(1, Ordering::Relaxed);
                            clock.stored[seq].store(clock.now(), Ordering::SeqCst);
                            return;
                        }
                        Some(503) if attempt < RESENDS => {
                            clock.resent.fetch_add(1, Ordering::Relaxed);
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                        _ => break,
                    }
                }
                refused.fetch_add(1, Ordering::SeqCst);
            });
        }
    }
    // The last callback falls due with the last message.
    for k in next_paid..payers {
        pay(k);
    }
    for k in next_voice..voiced {
        speak(k);
    }
    let offered_for = started.elapsed();

    // Drain: wait until every reply arrived or nothing moved for 10 s.
    let mut last = (0usize, Instant::now());
    loop {
        let answered = clock.replied.iter().filter(|r| r.load(Ordering::SeqCst) != 0).count()
            + clock.paid_replied.iter().filter(|r| r.load(Ordering::SeqCst) != 0).count()
            + clock.voice_spoken.iter().filter(|r| r.load(Ordering::SeqCst) != 0).count();
        if answered == total + payers + voiced && clock.documents.load(Ordering::SeqCst) as usize >= payers {
            break;
        }
        if answered != last.0 {
            last = (answered, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(10) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    monitor.abort();
    let (mut latencies, mut warming) = (Vec::with_capacity(total), Vec::with_capacity(measured_from));
    let mut last_reply = 0u64;
    for (seq, (posted, replied)) in clock.posted.iter().zip(&clock.replied).enumerate() {
        let (posted, replied) = (posted.load(Ordering::SeqCst), replied.load(Ordering::SeqCst));
        if replied != 0 && posted != 0 {
            let took = replied.saturating_sub(posted);
            if seq < measured_from {
                warming.push(took)
            } else {
                latencies.push(took)
            };
            last_reply = last_reply.max(replied);
        }
    }
    warming.sort_unstable();
    if let Some(mut flooding) = flooding {
        let _ = flooding.kill().await;
        println!(
            "flood:      {} connections answered 503 by the host's cap ({} at once at most)",
            mitra::telemetry::metrics().http_connections_refused.get(),
            host_cap
        );
    }
    if let Some(path) = &args.timings {
        let mut csv = String::from("seq,posted_ms,stored_ms,replied_ms\n");
        for (seq, ((posted, stored), replied)) in clock.posted.iter().zip(&clock.stored).zip(&clock.replied).enumerate()
        {
            let ms = |t: &AtomicU64| t.load(Ordering::SeqCst) as f64 / 1e6;
            csv.push_str(&format!("{seq},{:.3},{:.3},{:.3}\n", ms(posted), ms(stored), ms(replied)));
        }
        std::fs::write(path, csv)?;
    }
    latencies.sort_unstable();
    let mut storing: Vec<u64> = clock.posted[measured_from..]
        .iter()
        .zip(&clock.stored[measured_from..])
        .map(|(p, s)| (p.load(Ordering::SeqCst), s.load(Ordering::SeqCst)))
        .filter(|&(p, s)| p != 0 && s != 0)
        .map(|(p, s)| s.saturating_sub(p))
        .collect();
    storing.sort_unstable();
    let answered = warming.len() + latencies.len();
    let first_post = clock.posted.iter().map(|p| p.load(Ordering::SeqCst)).filter(|&p| p != 0).min().unwrap_or(0);
    let span = Duration::from_nanos(last_reply.saturating_sub(first_post));
    println!("offered:    {} msg/s for {:.1} s ({total} messages)", args.rate, offered_for.as_secs_f64());
    println!(
        "refused:    {} webhooks not answered 200 ({} resends after a 503)",
        refused.load(Ordering::SeqCst),
        clock.resent.load(Ordering::SeqCst)
    );
    println!("answered:   {answered} of {total} ({} without a reply)", total - answered);
    println!("sustained:  {:.0} msg/s (answered / first post to last reply)", answered as f64 / span.as_secs_f64());
    let sends = clock.sends.load(Ordering::SeqCst);
    println!("replies:    {sends} sent to the Graph API ({:.0}/s)", sends as f64 / span.as_secs_f64());
    println!(
        "latency:    p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms (webhook posted → first reply at the Graph API)",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.90),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
    );
    if measured_from > 0 {
        println!(
            "warm-up:    first {} s ({measured_from} messages, not in the figures above): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            args.warmup,
            percentile(&warming, 0.50),
            percentile(&warming, 0.99),
            percentile(&warming, 1.0),
        );
    }
    println!(
        "stored:     p50 {:.1} ms, p99 {:.1} ms (webhook posted → its 200, the message durable)",
        percentile(&storing, 0.50),
        percentile(&storing, 0.99),
    );
    if payers > 0 {
        let mut acked = Vec::new();
        let mut receipts = Vec::new();
        for k in 0..payers {
            let posted = clock.paid_posted[k].load(Ordering::SeqCst);
            let (ack, reply) =
                (clock.paid_acked[k].load(Ordering::SeqCst), clock.paid_replied[k].load(Ordering::SeqCst));
            if posted != 0 && ack != 0 {
                acked.push(ack.saturating_sub(posted));
            }
            if posted != 0 && reply != 0 {
                receipts.push(reply.saturating_sub(posted));
            }
        }
        acked.sort_unstable();
        receipts.sort_unstable();
        println!(
            "payments:   {} callbacks at {}/s: {} answered 200 (p50 {:.1} ms, p99 {:.1} ms); {} receipts (callback → receipt p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms); {} certificates sent",
            payers,
            args.payments,
            acked.len(),
            percentile(&acked, 0.5),
            percentile(&acked, 0.99),
            receipts.len(),
            percentile(&receipts, 0.5),
            percentile(&receipts, 0.99),
            percentile(&receipts, 1.0),
            clock.documents.load(Ordering::SeqCst),
        );
    }
    if voiced > 0 {
        let since = |to: &[AtomicU64]| {
            let mut took: Vec<u64> = clock
                .voice_posted
                .iter()
                .zip(to)
                .map(|(p, t)| (p.load(Ordering::SeqCst), t.load(Ordering::SeqCst)))
                .filter(|&(p, t)| p != 0 && t != 0)
                .map(|(p, t)| t.saturating_sub(p))
                .collect();
            took.sort_unstable();
            took
        };
        let (heard, spoken) = (since(&clock.voice_heard), since(&clock.voice_spoken));
        println!(
            "voice:      {voiced} notes at {}/s: {} answered 200, {} heard as said; \"I heard\" p50 {:.1} ms, p99 {:.1} ms ({}); spoken reply p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({})",
            args.voice,
            clock.voice_acked.iter().filter(|a| a.load(Ordering::SeqCst) != 0).count(),
            clock.heard_right.load(Ordering::SeqCst),
            percentile(&heard, 0.5),
            percentile(&heard, 0.99),
            heard.len(),
            percentile(&spoken, 0.5),
            percentile(&spoken, 0.99),
            percentile(&spoken, 1.0),
            spoken.len(),
        );
    }
    if let Some(swapping) = swapping {
        let mut took = swapping.await??;
        took.sort_unstable();
        println!(
            "swaps:      {} activations and a rollback of {} on host 1 of {}; activation → every host serving p50 {:.1} ms, max {:.1} ms; {} wrong replies",
            took.len() - 1,
            args.declarative.as_deref().unwrap_or("pensions"),
            args.hosts,
            percentile(&took, 0.5),
            percentile(&took, 1.0),
            clock.wrong.load(Ordering::SeqCst)
        );
    }
    if !args.expect.is_empty() {
        println!("lookups:    {} replies held {:?}", clock.looked_up.load(Ordering::SeqCst), args.expect);
    }
    Ok(())
}

/// A fresh database on the PostgreSQL server at `server` (its URL names
/// any database to connect to first).
async fn fresh_database(server: &str) -> anyhow::Result<String> {
    use sqlx::Connection as _;
    let name = format!("mitra_bench_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(server).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&mut admin).await?;
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await?;
    let slash = server.rfind('/').filter(|&i| i > server.find("://").map_or(0, |s| s + 2));
    Ok(format!("{}/{name}", &server[..slash.ok_or_else(|| anyhow::anyhow!("--postgres must name a database"))?]))
}

/// Three signed versions of the swapped department (pensions, or the
/// declarative one), installed through the first host's registry
/// (verified, compiled and checked) before the load starts.
async fn install_versions(
    registry: &Registry,
    vendor: &VendorKey,
    dir: &std::path::Path,
    declarative: Option<&(String, std::net::SocketAddr)>,
) -> anyhow::Result<()> {
    for version in VERSIONS {
        let plugin = match declarative {
            Some((id, backend)) => mitra_tests::declarative_plugin_dir(&dir.join("vendor"), id, version, *backend),
            None => mitra_tests::pensions_plugin_dir(&dir.join("vendor"), version, mitra_tests::components::PENSIONS),
        };
        registry.install(package::pack(&plugin, vendor, CONTRACT_VERSION)?, "bench").await?;
    }
    Ok(())
}

const VERSIONS: [&str; 3] = ["0.2.0", "0.3.0", "0.4.0"];

/// Activates the versions in turn on the first host, `swaps` times spread
/// over the load, then rolls back once; returns how long each took until
/// every host served it (nanoseconds).
async fn swap_during(
    registries: Vec<Arc<Registry>>,
    plugin: String,
    swaps: usize,
    seconds: u64,
) -> anyhow::Result<Vec<u64>> {
    let every = Duration::from_secs_f64(seconds as f64 / (swaps + 1) as f64);
    let serving = |version: &str| {
        registries.iter().all(|r| r.catalog().get(&plugin).is_some_and(|p| p.manifest().version == version))
    };
    let mut took = Vec::with_capacity(swaps + 1);
    for version in VERSIONS.iter().cycle().take(swaps) {
        tokio::time::sleep(every).await;
        let at = Instant::now();
        registries[0].activate(&plugin, version, 100, "bench").await?;
        while !serving(version) {
            anyhow::ensure!(at.elapsed() < Duration::from_secs(10), "{version} not served everywhere within 10 s");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        took.push(at.elapsed().as_nanos() as u64);
    }
    tokio::time::sleep(every / 2).await;
    let at = Instant::now();
    let back = registries[0].rollback(&plugin, "bench").await?.active;
    while !serving(&back) {
        anyhow::ensure!(at.elapsed() < Duration::from_secs(10), "the rollback was not served everywhere within 10 s");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    took.push(at.elapsed().as_nanos() as u64);
    Ok(took)
}
