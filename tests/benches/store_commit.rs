//! `store_commit`: what the one database writer can commit, on its own.
//!
//! The chat's writes (webhooks' messages, handled messages with their
//! sessions and replies, sends recorded) all go through one writer and, on
//! SQLite, one connection: its commits bound the messages a second the host
//! can take. This drives [`Store::commit`] directly with the steady mix the
//! throughput bench produces (each message: stored, then handled with the
//! citizen's session saved and 7 replies per 6 messages queued, then each
//! reply marked sent), batch after batch as the writer makes them, with no
//! HTTP, no conversation and no sender beside it — so a change to the
//! schema, the statements or SQLite's settings is measured without the noise
//! of the whole flow.
//!
//! Message ids are random, as Meta's are (`--sequential` numbers them);
//! reply ids are the host's (`--scattered-replies`: as they were before
//! they began with the arrival time).
//!
//! Run: `cargo bench -p mitra-tests --bench store_commit -- [--messages 200000] [--per-commit 400] [--per-second 10000] [--sequential] [--pragma wal_autocheckpoint=10000] [--checkpoint-every 100] [--page-size 8192] [--scattered-replies] [--sql 'DROP INDEX outbox_wamid'] [--reads-every 5 [--reads-on-writer]]`

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use mitra::store::{Completion, InboundRecord, OutboxItem, Store, Writes, now_ms};
use sha2::{Digest, Sha256};

#[derive(Parser, Debug)]
struct Args {
    /// Messages stored, handled and answered in all.
    #[arg(long, default_value_t = 200_000)]
    messages: usize,
    /// New messages in each commit (the writer's batches under 10,000 msg/s
    /// held 150-1,000).
    #[arg(long, default_value_t = 400)]
    per_commit: usize,
    /// Messages sent each second, by WhatsApp's timestamps (Meta's retries
    /// carry a message's own; the inbound key begins with it).
    #[arg(long, default_value_t = 10_000)]
    per_second: usize,
    /// Distinct citizens writing.
    #[arg(long, default_value_t = 20_000)]
    citizens: usize,
    /// Number message ids in order rather than at random.
    #[arg(long)]
    sequential: bool,
    /// SQLite pragmas run after connecting, e.g. `wal_autocheckpoint=10000`
    /// (to compare a setting before changing the host's).
    #[arg(long)]
    pragma: Vec<String>,
    /// Checkpoint the WAL from a connection of its own every this many ms
    /// (the writer's automatic checkpoints stay as they are: add `--pragma
    /// wal_autocheckpoint=0` to leave all checkpoints to that connection).
    #[arg(long)]
    checkpoint_every: Option<u64>,
    /// Create the database with this page size (SQLite's default 4,096).
    #[arg(long)]
    page_size: Option<u32>,
    /// SQL run after the migrations, e.g. `DROP INDEX outbox_wamid` (to
    /// measure a schema change before making it).
    #[arg(long)]
    sql: Vec<String>,
    /// Reply ids as the host made them before they began with the arrival
    /// time: the inbound message's id then `#i`, scattered as Meta's ids are
    /// (the default is the host's: in arrival order).
    #[arg(long)]
    scattered_replies: bool,
    /// Meanwhile, read 8 citizens' stored sessions every this many ms, as the
    /// worker reads those not in memory, through `Store::reader` (beside the
    /// writer), and report how long each read took.
    #[arg(long)]
    reads_every: Option<u64>,
    /// Make those reads on the writer's own connection instead, as before
    /// `Store::reader`: each waits for the commit in progress.
    #[arg(long)]
    reads_on_writer: bool,
    // `cargo bench` passes `--bench`.
    #[arg(long, hide = true)]
    bench: bool,
}

/// A message id as Meta's look: base64 of random-looking bytes.
fn wamid(n: usize, sequential: bool) -> String {
    if sequential {
        return format!("wamid.seq.{n:012}");
    }
    scattered(&n.to_le_bytes())
}

/// A Meta-like id that is a hash of `seed`.
fn scattered(seed: &[u8]) -> String {
    let digest = Sha256::digest(seed);
    format!("wamid.HBgM{}", hex::encode(&digest[..18]))
}

fn inbound(n: usize, args: &Args) -> InboundRecord {
    let wa_id = format!("9198{:08}", n % args.citizens);
    let wamid = wamid(n, args.sequential);
    let sent_at = 1_764_900_000 + (n / args.per_second.max(1)) as i64;
    let payload = format!(
        r#"{{"from":"{wa_id}","id":"{wamid}","timestamp":"{sent_at}","type":"text","text":{{"body":"pension for my mother please"}}}}"#
    );
    InboundRecord {
        wamid,
        phone_number_id: format!("PNID-{}", n % 32),
        wa_id,
        profile_name: Some("Citizen".into()),
        kind: "text".into(),
        payload,
        sent_at,
        received_at_ms: now_ms(),
    }
}

/// Handling message `n`: the citizen's session and one reply (two for one
/// message in six, as a language tap answers).
fn completion(n: usize, record: &InboundRecord, args: &Args) -> Completion {
    let replies = if n.is_multiple_of(6) { 2 } else { 1 };
    let body = format!(
        r#"{{"messaging_product":"whatsapp","to":"{}","type":"interactive","interactive":{{"type":"list","body":{{"text":"{}"}}}}}}"#,
        record.wa_id,
        "Choose a service from the list below. ".repeat(8)
    );
    Completion {
        session: Some((record.wa_id.clone(), format!(r#"{{"sealed":"{}"}}"#, "x".repeat(320)))),
        replies: (0..replies)
            .map(|i| OutboxItem {
                id: if args.scattered_replies {
                    format!("{}#{i}", record.wamid)
                } else {
                    OutboxItem::reply_id(record.received_at_ms, &record.wamid, i)
                },
                phone_number_id: record.phone_number_id.clone(),
                wa_id: record.wa_id.clone(),
                body: body.clone(),
                attempts: 1,
                window_until_ms: Some(now_ms() + 86_400_000),
                fallback: None,
            })
            .collect(),
        ..Completion::of(record)
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    if let Some(size) = args.page_size {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(dir.path().join("mitra.db"))
            .create_if_missing(true)
            .page_size(size);
        let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
        sqlx::query("CREATE TABLE page_size_set (x)").execute(&pool).await?;
        pool.close().await;
    }
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("mitra.db").display())).await?;
    if let Store::Sqlite(pool) = &store {
        for pragma in &args.pragma {
            sqlx::query(&format!("PRAGMA {pragma}")).execute(pool).await?;
        }
        for sql in &args.sql {
            sqlx::query(sql).execute(pool).await?;
        }
    }
    let database = dir.path().join("mitra.db");
    if let (Some(ms), Store::Sqlite(_)) = (args.checkpoint_every, &store) {
        let own = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(&database))
            .await?;
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&own).await;
            }
        });
    }
    // Built before the clock starts: the writer's inputs, not their making.
    let records: Vec<InboundRecord> = (0..args.messages).map(|n| inbound(n, &args)).collect();
    let handled: Vec<Completion> = records.iter().enumerate().map(|(n, r)| completion(n, r, &args)).collect();

    let reads = Arc::new(Mutex::new(Vec::new()));
    let reading = args.reads_every.map(|ms| {
        let store = if args.reads_on_writer { store.clone() } else { store.reader() };
        let (reads, citizens) = (reads.clone(), args.citizens);
        tokio::spawn(async move {
            for n in 0usize.. {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                let wa_ids: Vec<String> =
                    (0..8).map(|i| format!("9198{:08}", (n * 7_919 + i * 104_729) % citizens)).collect();
                let at = Instant::now();
                if let Err(error) = store.load_sessions(&wa_ids).await {
                    eprintln!("store_commit: a read failed: {error:#}");
                }
                reads.lock().unwrap().push(at.elapsed());
            }
        })
    });

    // The pipeline's steady state: commit k stores batch k, completes batch
    // k-1 and records the sends of batch k-2's replies.
    let batches = args.messages.div_ceil(args.per_commit);
    let slice = |k: usize| (k * args.per_commit)..((k + 1) * args.per_commit).min(args.messages);
    let mut took: Vec<Duration> = Vec::with_capacity(batches + 2);
    let started = Instant::now();
    for k in 0..batches + 2 {
        let inbound: &[InboundRecord] = if k < batches { &records[slice(k)] } else { &[] };
        let completions: &[Completion] = if (1..=batches).contains(&k) { &handled[slice(k - 1)] } else { &[] };
        let sent: Vec<(String, String)> = if k >= 2 {
            handled[slice(k - 2)]
                .iter()
                .flat_map(|c| &c.replies)
                // Meta's id for a sent message is as random as any.
                .map(|r| (r.id.clone(), scattered(r.id.as_bytes())))
                .collect()
        } else {
            Vec::new()
        };
        let at = Instant::now();
        store.commit(&Writes { inbound, statuses: &[], completions, sent: &sent }).await?;
        took.push(at.elapsed());
    }
    let elapsed = started.elapsed();
    if let Some(reading) = reading {
        reading.abort();
    }
    took.sort();
    let quantile = |q: f64| took[((took.len() - 1) as f64 * q).round() as usize];
    let wal = std::fs::metadata(dir.path().join("mitra.db-wal")).map(|m| m.len()).unwrap_or(0);
    println!(
        "store_commit: {} messages in {} commits of {} ({} ids{}), {:.2} s",
        args.messages,
        took.len(),
        args.per_commit,
        if args.sequential { "sequential" } else { "random" },
        if args.pragma.is_empty() { String::new() } else { format!(", {}", args.pragma.join(", ")) },
        elapsed.as_secs_f64()
    );
    println!(
        "capacity:   {:.0} messages/s (stored, handled, answered and sent, on one connection)",
        args.messages as f64 / elapsed.as_secs_f64()
    );
    println!(
        "commit:     p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms; WAL at the end {} KiB",
        quantile(0.5).as_secs_f64() * 1e3,
        quantile(0.9).as_secs_f64() * 1e3,
        quantile(0.99).as_secs_f64() * 1e3,
        quantile(1.0).as_secs_f64() * 1e3,
        wal / 1024
    );
    let mut reads = std::mem::take(&mut *reads.lock().unwrap());
    if !reads.is_empty() {
        reads.sort();
        let quantile = |q: f64| reads[((reads.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3;
        println!(
            "reads:      {} of 8 sessions {}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            reads.len(),
            if args.reads_on_writer { "on the writer's connection" } else { "beside the writer" },
            quantile(0.5),
            quantile(0.99),
            quantile(1.0)
        );
    }
    Ok(())
}
