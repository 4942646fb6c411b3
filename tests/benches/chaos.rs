//! `chaos`: the host under the faults it must survive, each run stopping by
//! itself and printing its figures (BENCHMARKS.md keeps them).
//!
//! The host is a real process: this executable started again as `mitra
//! serve` (SQLite in a temporary directory, the municipal plugin), so it can
//! be killed with SIGKILL. A load generator posts signed webhooks at
//! `--rate` messages a second, as Meta does: a citizen's next message only
//! after the last was answered 200, anything not answered 200 posted again.
//! A Graph API stand-in takes the replies, counts each
//! `biz_opaque_callback_data` (the outbox id) it receives, and reports each
//! accepted message back by a signed `sent` status webhook, as Meta does.
//!
//! Modes:
//! - `kill`: SIGKILL at random moments (`--kills`, 2–6 s apart), restarted
//!   at once each time.
//! - `graph`: the stand-in answers `--fault-rate` of the sends with 429,
//!   400/130429, 500, 503, slowly, by resetting the connection (before or
//!   after taking the message) or by never answering.
//! - `disk`: the SQLite file lives on a small tmpfs (needs root to mount)
//!   that is filled up under load and freed again; the webhook must answer
//!   503 (so Meta retries) while full and 200 again by itself.
//!
//! Every mode then checks what matters: every message answered 200 got its
//! first reply (lost must be 0), no reply reached the Graph API twice
//! (duplicates must be 0), each citizen's replies arrived in the order of
//! their messages.
//!
//! Run: `cargo bench -p mitra-tests --bench chaos -- --mode kill --rate 1000 --kills 10`

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser as _;
use mitra::channel::webhook::sign;
use mitra::store::OutboxItem;
use serde_json::{Value, json};
use tokio::net::TcpListener;

#[path = "support/wire.rs"]
mod wire;
use wire::Pool;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SECRET: &str = "chaos-secret";
/// Set in the host process this executable starts.
const HOST_ENV: &str = "MITRA_CHAOS_HOST";

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
enum Mode {
    Kill,
    Graph,
    Disk,
}

#[derive(clap::Parser, Clone, Debug)]
struct Args {
    #[arg(long, value_enum, default_value = "kill")]
    mode: Mode,
    /// Messages per second offered.
    #[arg(long, default_value_t = 1000)]
    rate: u64,
    /// Distinct citizens writing.
    #[arg(long, default_value_t = 3000)]
    citizens: u64,
    /// `kill`: how many times the host is killed.
    #[arg(long, default_value_t = 10)]
    kills: usize,
    /// `graph`: seconds of load.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// `graph`: the share of sends that meet a fault.
    #[arg(long, default_value_t = 0.2)]
    fault_rate: f64,
    /// `disk`: seconds the disk stays full.
    #[arg(long, default_value_t = 10)]
    full_seconds: u64,
    /// Seed of the random moments and faults (printed, to repeat a run).
    #[arg(long)]
    seed: Option<u64>,
    /// Keep the host's directory (database, logs) after the run.
    #[arg(long)]
    keep: bool,
    // `cargo bench` passes `--bench`.
    #[arg(long, hide = true)]
    bench: bool,
}

fn main() -> anyhow::Result<()> {
    if std::env::var_os(HOST_ENV).is_some() {
        return serve_as_host();
    }
    let args = Args::parse();
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(run(args))
}

/// The host process: `mitra serve` with the arguments given.
fn serve_as_host() -> anyhow::Result<()> {
    let cli = <mitra::cli::Cli as clap::Parser>::parse();
    mitra::telemetry::logs::init(cli.log_format);
    mitra::cli::run(cli).map(|_| ())
}

/// A small random generator (xorshift): moments and faults, repeatable by seed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// What the Graph stand-in saw and what the load generator was told.
#[derive(Default)]
struct Ledger {
    /// Times each reply (`<message id>#<index>`) reached the stand-in
    /// (taken, answered or not).
    delivered: Mutex<HashMap<String, u32>>,
    /// Per citizen, the replies in the order they were taken.
    arrivals: Mutex<HashMap<String, Vec<String>>>,
    /// Statuses to report to the host: (wamid, outbox id, citizen).
    statuses: Mutex<Vec<(String, String, String)>>,
    /// Messages answered 200 (by sequence number).
    acked: Mutex<Vec<u64>>,
    /// Posts answered otherwise, by status (0: no answer).
    refused: Mutex<HashMap<u16, u64>>,
    /// Faults the stand-in served, by kind.
    faults: Mutex<HashMap<&'static str, u64>>,
    sends: AtomicU64,
}

impl Ledger {
    /// Outbox item `id` reached the stand-in for citizen `to`.
    fn took(&self, id: &str, to: &str) {
        let reply = match OutboxItem::reply_to(id) {
            Some((message, index)) => format!("{message}#{index}"),
            None => id.to_owned(),
        };
        *self.delivered.lock().unwrap().entry(reply.clone()).or_default() += 1;
        self.arrivals.lock().unwrap().entry(to.to_owned()).or_default().push(reply);
    }

    fn fault(&self, kind: &'static str) {
        *self.faults.lock().unwrap().entry(kind).or_default() += 1;
    }
}

/// What the stand-in answers with.
const JSON: &str = "application/json";

/// The faults the stand-in may serve in `graph` mode.
const FAULTS: &[&str] = &["429", "130429", "500", "503", "slow", "reset-before", "reset-after", "timeout"];

/// The Graph API stand-in. `fault_rate` of the sends meet one of [`FAULTS`].
async fn graph_stand_in(listener: TcpListener, ledger: Arc<Ledger>, fault_rate: f64, seed: u64) {
    let mut n = 0u64;
    while let Ok((stream, _)) = listener.accept().await {
        n += 1;
        let ledger = ledger.clone();
        let mut random = Random(seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        tokio::spawn(async move {
            let _ = stream.set_nodelay(true);
            let mut conn = wire::Conn::new(stream);
            while let Ok(Some(request)) = conn.next(wire::Kind::Request).await {
                if !request.path.ends_with("/messages") {
                    let _ = conn.respond("404 Not Found", JSON, "{}").await;
                    continue;
                }
                ledger.sends.fetch_add(1, Ordering::Relaxed);
                let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
                let id = body["biz_opaque_callback_data"].as_str().unwrap_or_default().to_owned();
                let to = body["to"].as_str().unwrap_or_default().to_owned();
                let fault =
                    (random.unit() < fault_rate).then(|| FAULTS[(random.next() % FAULTS.len() as u64) as usize]);
                let take = || {
                    ledger.took(&id, &to);
                    let wamid = format!("wamid.out.{id}");
                    ledger.statuses.lock().unwrap().push((wamid.clone(), id.clone(), to.clone()));
                    wamid
                };
                let error =
                    |code: i64| format!(r#"{{"error":{{"message":"chaos","type":"OAuthException","code":{code}}}}}"#);
                let answered = match fault {
                    None => conn.respond("200 OK", JSON, &sent(&take())).await,
                    Some(kind) => {
                        ledger.fault(kind);
                        match kind {
                            "429" => conn.respond("429 Too Many Requests", JSON, &error(80007)).await,
                            "130429" => conn.respond("400 Bad Request", JSON, &error(130429)).await,
                            "500" => conn.respond("500 Internal Server Error", JSON, &error(1)).await,
                            "503" => conn.respond("503 Service Unavailable", JSON, &error(2)).await,
                            "slow" => {
                                tokio::time::sleep(Duration::from_millis(200 + random.next() % 600)).await;
                                conn.respond("200 OK", JSON, &sent(&take())).await
                            }
                            "reset-before" => false,
                            "reset-after" => {
                                take();
                                false
                            }
                            // Taken, and never answered: the host's timeout
                            // ends the wait, Meta's status tells the rest.
                            _ => {
                                take();
                                tokio::time::sleep(Duration::from_secs(5)).await;
                                false
                            }
                        }
                    }
                };
                if !answered {
                    return; // the connection closes: a reset, as the host sees it
                }
            }
        });
    }
}

fn sent(wamid: &str) -> String {
    format!(r#"{{"messaging_product":"whatsapp","contacts":[],"messages":[{{"id":"{wamid}"}}]}}"#)
}

/// Reports taken messages to the host as Meta does: `sent` statuses in
/// signed webhooks, again until the host answers 200.
async fn report_statuses(ledger: Arc<Ledger>, host: Arc<Pool>) {
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let batch: Vec<(String, String, String)> = {
            let mut waiting = ledger.statuses.lock().unwrap();
            let n = waiting.len().min(200);
            waiting.drain(..n).collect()
        };
        if batch.is_empty() {
            continue;
        }
        let statuses: Vec<Value> = batch
            .iter()
            .map(|(wamid, id, to)| {
                json!({ "id": wamid, "status": "sent", "timestamp": mitra_tests::unix_now().to_string(),
                    "recipient_id": to, "biz_opaque_callback_data": id })
            })
            .collect();
        let body = json!({ "object": "whatsapp_business_account", "entry": [{ "id": "WABA", "changes": [{
            "field": "messages", "value": { "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "919000000000", "phone_number_id": "PNID-0" },
            "statuses": statuses } }] }] })
        .to_string();
        if host.post(&webhook_request(&body)).await != Some(200) {
            host.forget().await;
            ledger.statuses.lock().unwrap().splice(0..0, batch);
        }
    }
}

fn webhook_request(body: &str) -> Vec<u8> {
    format!(
        "POST /webhook HTTP/1.1\r\nhost: mitra\r\ncontent-type: application/json\r\nx-hub-signature-256: {}\r\ncontent-length: {}\r\n\r\n{body}",
        sign(SECRET, body.as_bytes()),
        body.len()
    )
    .into_bytes()
}

/// Message `seq`: citizen `seq % citizens`, who says hi, picks English, asks
/// for the menu and searches, round and round.
fn message(seq: u64, citizens: u64) -> Vec<u8> {
    let citizen = seq % citizens;
    let wa = format!("91800{citizen:07}");
    let id = format!("wamid.chaos.{seq}");
    let now = mitra_tests::unix_now().to_string();
    let message = match (seq / citizens) % 4 {
        0 => json!({ "from": wa, "id": id, "timestamp": now, "type": "text", "text": { "body": "hi" } }),
        1 => json!({ "from": wa, "id": id, "timestamp": now, "type": "interactive",
            "interactive": { "type": "button_reply", "button_reply": { "id": "lang:en", "title": "English" } } }),
        2 => json!({ "from": wa, "id": id, "timestamp": now, "type": "text", "text": { "body": "menu" } }),
        _ => json!({ "from": wa, "id": id, "timestamp": now, "type": "text", "text": { "body": "birth certificate" } }),
    };
    let body = json!({ "object": "whatsapp_business_account", "entry": [{ "id": "WABA", "changes": [{
        "field": "messages", "value": { "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": "919000000000", "phone_number_id": format!("PNID-{}", citizen % 4) },
        "contacts": [{ "profile": { "name": "Citizen" }, "wa_id": wa }], "messages": [message] } }] }] })
    .to_string();
    webhook_request(&body)
}

/// Offers `rate` messages a second until `stop`; each citizen's messages in
/// turn, each posted until answered 200. Returns how many were offered.
async fn offer_load(args: &Args, host: Arc<Pool>, ledger: Arc<Ledger>, stop: Arc<AtomicBool>) -> u64 {
    let turns: Arc<Vec<tokio::sync::Mutex<()>>> =
        Arc::new((0..args.citizens).map(|_| tokio::sync::Mutex::new(())).collect());
    let start = tokio::time::Instant::now();
    let mut seq = 0u64;
    let mut posting = tokio::task::JoinSet::new();
    while !stop.load(Ordering::SeqCst) {
        tokio::time::sleep_until(start + Duration::from_nanos(seq * 1_000_000_000 / args.rate)).await;
        let (host, ledger, turns, citizens) = (host.clone(), ledger.clone(), turns.clone(), args.citizens);
        let request = message(seq, citizens);
        posting.spawn(async move {
            let _turn = turns[(seq % citizens) as usize].lock().await;
            loop {
                match host.post(&request).await {
                    Some(200) => break,
                    other => {
                        *ledger.refused.lock().unwrap().entry(other.unwrap_or(0)).or_default() += 1;
                        if other.is_none() {
                            host.forget().await;
                        }
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
            ledger.acked.lock().unwrap().push(seq);
        });
        seq += 1;
        while posting.try_join_next().is_some() {}
    }
    // Messages not yet answered are Meta's to redeliver: they are posted
    // until answered, and so must be answered too.
    while posting.join_next().await.is_some() {}
    seq
}

/// A host process and how to start it again.
struct Host {
    exe: PathBuf,
    dir: PathBuf,
    database: String,
    listen: SocketAddr,
    graph_url: String,
    child: Option<Child>,
    starts: u32,
}

impl Host {
    fn start(&mut self) -> anyhow::Result<()> {
        self.starts += 1;
        let log = std::fs::File::create(self.dir.join(format!("host-{}.log", self.starts)))?;
        let dir = |name: &str| self.dir.join(name).display().to_string();
        let child = Command::new(&self.exe)
            .env(HOST_ENV, "1")
            .env_remove("DATABASE_URL")
            .args(["serve", "--listen", &self.listen.to_string(), "--database-url", &self.database])
            .args(["--plugins", &dir("plugins"), "--cache-dir", &dir("cache"), "--keys-dir", &dir("keys")])
            .args(["--packages-dir", &dir("packages"), "--trusted-keys", &dir("trusted_keys.toml")])
            .args(["--graph-url", &self.graph_url, "--app-secret", SECRET, "--send-rate", "1000"])
            .args(["--send-timeout-ms", "1000", "--send-confirm-ms", "3000"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()?;
        self.child = Some(child);
        Ok(())
    }

    /// SIGKILL: no shutdown, no flush, as a crash or the OOM killer does it.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Waits until the host answers `/healthz`; how long that took.
    async fn ready(&self, timeout: Duration) -> anyhow::Result<Duration> {
        let started = Instant::now();
        let probe = Pool::new(self.listen);
        loop {
            if probe.post(b"GET /healthz HTTP/1.1\r\nhost: mitra\r\n\r\n").await == Some(200) {
                return Ok(started.elapsed());
            }
            anyhow::ensure!(started.elapsed() < timeout, "the host did not start; see {}", self.dir.display());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> anyhow::Result<SocketAddr> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

async fn run(args: Args) -> anyhow::Result<()> {
    let seed = args.seed.unwrap_or_else(|| mitra::store::now_ms() as u64 | 1);
    let mut random = Random(seed);
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().to_path_buf();
    std::fs::create_dir_all(dir.join("plugins"))?;
    mitra_tests::write_plugin_dir(&dir.join("plugins"), &mitra_tests::department("municipal"));
    let database_dir = match args.mode {
        Mode::Disk => mount_small_tmpfs(&dir.join("db"))?,
        _ => dir.clone(),
    };
    let ledger = Arc::new(Ledger::default());
    let graph = TcpListener::bind("127.0.0.1:0").await?;
    let graph_url = format!("http://{}", graph.local_addr()?);
    let fault_rate = if args.mode == Mode::Graph { args.fault_rate } else { 0.0 };
    tokio::spawn(graph_stand_in(graph, ledger.clone(), fault_rate, seed));
    let mut host = Host {
        exe: std::env::current_exe()?,
        dir: dir.clone(),
        database: format!("sqlite://{}", database_dir.join("mitra.db").display()),
        listen: free_port()?,
        graph_url,
        child: None,
        starts: 0,
    };
    host.start()?;
    host.ready(Duration::from_secs(60)).await?;
    let pool = Arc::new(Pool::new(host.listen));
    tokio::spawn(report_statuses(ledger.clone(), Arc::new(Pool::new(host.listen))));
    println!(
        "chaos --mode {:?}: seed {seed}, {} msg/s, {} citizens, host log in {}",
        args.mode,
        args.rate,
        args.citizens,
        dir.display()
    );

    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let load = {
        let (pool, ledger, stop) = (pool.clone(), ledger.clone(), stop.clone());
        let args = args.clone();
        tokio::spawn(async move { offer_load(&args, pool, ledger, stop).await })
    };
    let mut restarts = Vec::new();
    let mut recovered = None;
    match args.mode {
        Mode::Kill => {
            for kill in 1..=args.kills {
                tokio::time::sleep(Duration::from_millis(2000 + random.next() % 4000)).await;
                host.kill();
                let killed = Instant::now();
                host.start()?;
                host.ready(Duration::from_secs(60)).await?;
                restarts.push(killed.elapsed());
                println!(
                    "  kill {kill} at {:.1} s: serving again after {:?}",
                    started.elapsed().as_secs_f64(),
                    killed.elapsed()
                );
            }
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
        Mode::Graph => tokio::time::sleep(Duration::from_secs(args.seconds)).await,
        Mode::Disk => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            let filler = database_dir.join("filler");
            let filled = fill(&filler)?;
            println!("  disk full at {:.1} s ({filled} bytes of filler)", started.elapsed().as_secs_f64());
            let refused_before = ledger.refused.lock().unwrap().get(&503).copied().unwrap_or(0);
            // Full it stays: whatever SQLite frees (a WAL truncated after
            // a checkpoint) is taken again at once, as a busy disk would.
            let until = Instant::now() + Duration::from_secs(args.full_seconds);
            let mut topped_up = 0;
            while Instant::now() < until {
                topped_up += fill(&filler)?;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            println!("  kept full for {} s (taking {topped_up} bytes freed meanwhile)", args.full_seconds);
            for entry in std::fs::read_dir(&database_dir)? {
                let entry = entry?;
                println!("    {}: {} bytes", entry.file_name().to_string_lossy(), entry.metadata()?.len());
            }
            let refused_full = ledger.refused.lock().unwrap().get(&503).copied().unwrap_or(0) - refused_before;
            let acked_before = ledger.acked.lock().unwrap().len();
            std::fs::remove_file(&filler)?;
            let freed = Instant::now();
            println!(
                "  space returned at {:.1} s ({refused_full} webhooks answered 503 while full)",
                started.elapsed().as_secs_f64()
            );
            // Recovered: messages answered 200 again.
            while ledger.acked.lock().unwrap().len() <= acked_before + 10 {
                anyhow::ensure!(freed.elapsed() < Duration::from_secs(120), "the host did not recover in 2 minutes");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            recovered = Some(freed.elapsed());
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    }
    stop.store(true, Ordering::SeqCst);
    let offered = load.await?;
    let load_seconds = started.elapsed().as_secs_f64();

    // Every acknowledged message's first reply, or two minutes.
    let drain = Instant::now();
    let mut acked: Vec<u64> = ledger.acked.lock().unwrap().clone();
    acked.sort_unstable();
    let missing = |ledger: &Ledger| {
        let delivered = ledger.delivered.lock().unwrap();
        acked.iter().filter(|seq| !delivered.contains_key(&format!("wamid.chaos.{seq}#0"))).count()
    };
    while missing(&ledger) > 0 && drain.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Late duplicates (a reply sent again after its status was missed).
    tokio::time::sleep(Duration::from_secs(5)).await;
    let lost = missing(&ledger);
    let duplicates: u64 = ledger.delivered.lock().unwrap().values().map(|n| u64::from(n - 1)).sum();
    let out_of_order = {
        let arrivals = ledger.arrivals.lock().unwrap();
        let disordered: Vec<(&String, &Vec<String>)> = arrivals.iter().filter(|(_, ids)| !in_order(ids)).collect();
        for (citizen, ids) in disordered.iter().take(3) {
            println!("  out of order for {citizen}: {ids:?}");
        }
        disordered.len()
    };
    let replies = ledger.delivered.lock().unwrap().len();
    host.kill();
    if args.mode == Mode::Disk && !args.keep {
        let _ = Command::new("umount").arg(&database_dir).status();
    }

    if args.keep {
        println!("kept {}", tmp.keep().display());
    }
    println!("offered {offered} messages in {load_seconds:.1} s; answered 200: {}", acked.len());
    println!("refused or unanswered posts (retried, as Meta does): {:?}", ledger.refused.lock().unwrap());
    println!("replies taken by the Graph API: {replies} (requests: {})", ledger.sends.load(Ordering::Relaxed));
    match args.mode {
        Mode::Kill => {
            let mut times: Vec<Duration> = restarts.clone();
            times.sort();
            println!(
                "kills survived: {}; serving again after: median {:?}, max {:?}",
                restarts.len(),
                times.get(times.len() / 2).copied().unwrap_or_default(),
                times.last().copied().unwrap_or_default()
            );
        }
        Mode::Graph => {
            let faults = ledger.faults.lock().unwrap();
            println!("graph faults absorbed: {} {:?}", faults.values().sum::<u64>(), faults);
        }
        Mode::Disk => println!("time to recover after space returned: {:?}", recovered.unwrap_or_default()),
    }
    println!(
        "acked messages lost: {lost}; duplicates delivered: {duplicates}; citizens with replies out of order: {out_of_order}"
    );
    anyhow::ensure!(lost == 0 && duplicates == 0 && out_of_order == 0, "the host lost, repeated or reordered replies");
    Ok(())
}

/// Whether replies `wamid.chaos.{seq}#{k}` came in increasing `(seq, k)`.
fn in_order(ids: &[String]) -> bool {
    let key = |id: &String| {
        let (seq, k) = id.strip_prefix("wamid.chaos.")?.split_once('#')?;
        Some((seq.parse::<u64>().ok()?, k.parse::<u64>().ok()?))
    };
    let keys: Vec<_> = ids.iter().map(key).collect();
    keys.windows(2).all(|w| w[0] < w[1])
}

/// A 64 MiB tmpfs at `dir` (root only).
fn mount_small_tmpfs(dir: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let status = Command::new("mount").args(["-t", "tmpfs", "-o", "size=64m", "tmpfs"]).arg(dir).status()?;
    anyhow::ensure!(status.success(), "mounting a tmpfs at {} failed (the disk mode needs root)", dir.display());
    Ok(dir.to_path_buf())
}

/// Writes `path` until the file system is full; the bytes written.
fn fill(path: &Path) -> anyhow::Result<u64> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    let block = vec![0u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        match file.write(&block) {
            Ok(0) => break,
            Ok(n) => written += n as u64,
            Err(e) if e.raw_os_error() == Some(28) => break, // ENOSPC
            Err(e) => return Err(e.into()),
        }
    }
    // The last partial block too.
    while let Ok(n) = file.write(&block[..4096]) {
        if n == 0 {
            break;
        }
        written += n as u64;
    }
    Ok(written)
}
