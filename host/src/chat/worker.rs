//! Turns stored inbound messages into replies in the outbox.
//!
//! The webhook stores messages and hands the new ones to the worker in
//! memory; the worker handles each citizen's messages in order, different
//! citizens in parallel, commits what a batch produced (messages marked
//! handled, sessions, applications, replies) in one transaction, and hands
//! the replies to the sender in memory. The database is what recovery works
//! from: at start the worker takes every message left unhandled by the
//! process before it, and while running, any message left unhandled for
//! [`STALE_MS`] (a failed batch, or a host that stopped) — leased, so two
//! hosts never take the same one.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedReceiver;

use super::engine::{Citizen, Engine, Input, Session};
use super::outgoing::{Outgoing, REOPEN_TEMPLATE, WINDOW_MS};
use crate::channel::whatsapp::Message;
use crate::runtime::Language;
use crate::store::{Completion, InboundRecord, OutboxItem, Store, Writer, now_ms};

/// How often the worker looks for messages left behind.
const RECOVERY_POLL: Duration = Duration::from_secs(1);
/// A message unhandled this long was left behind: the live path hands a
/// message over within milliseconds.
pub const STALE_MS: i64 = 10_000;
/// Most messages handled in one pass (and committed in one transaction).
const BATCH: usize = 512;
/// How long a message taken over by recovery is remembered, so that a copy
/// still on its way in memory is not handled a second time.
const REMEMBER_RECOVERED: Duration = Duration::from_secs(120);

/// Runs the worker until the process ends: messages come from `inbox` (the
/// webhook) and from recovery; the writer hands the replies to the sender.
pub async fn run(store: Store, writer: Writer, engine: Engine, mut inbox: UnboundedReceiver<Vec<InboundRecord>>) {
    // With one host, whatever the last process left, leased or not, is this
    // one's; several hosts respect each other's leases.
    let started = now_ms();
    let mut lease_ended_before = if store.single_host() { i64::MAX } else { started };
    let mut received_before = started;
    let mut recovered: HashMap<String, Instant> = HashMap::new();
    let mut next_recovery = Instant::now();
    let mut chunks = Vec::new();
    loop {
        let mut batch = Vec::new();
        if Instant::now() >= next_recovery && inbox.is_empty() {
            next_recovery = Instant::now() + RECOVERY_POLL;
            match store.lease_unhandled(received_before, lease_ended_before, BATCH as i64).await {
                Ok(left) => {
                    if !left.is_empty() {
                        tracing::info!(messages = left.len(), "taking over messages left unhandled");
                        // More may be left: look again straight away.
                        next_recovery = Instant::now();
                    }
                    let at = Instant::now();
                    recovered.retain(|_, when| at.duration_since(*when) < REMEMBER_RECOVERED);
                    recovered.extend(left.iter().map(|r| (r.wamid.clone(), at)));
                    batch = left;
                }
                Err(error) => tracing::error!(error = format!("{error:#}"), "looking for unhandled messages failed"),
            }
            if batch.is_empty() {
                // From now on only what the live path has left behind.
                received_before = now_ms() - STALE_MS;
                lease_ended_before = now_ms();
            }
        }
        if batch.is_empty() {
            let wait = next_recovery.saturating_duration_since(Instant::now());
            match tokio::time::timeout(wait, inbox.recv_many(&mut chunks, BATCH)).await {
                Ok(0) => return, // the webhook is gone: the host is stopping
                Ok(_) => {}
                Err(_) => continue,
            }
            // Every webhook batch queued by now joins this pass, in order.
            batch.extend(chunks.drain(..).flatten());
            batch.retain(|r| !recovered.contains_key(&r.wamid));
        }
        if let Err(error) = process(&store, &writer, &engine, batch).await {
            // The messages stay unhandled in the database; recovery takes
            // them again once they are stale.
            tracing::error!(error = format!("{error:#}"), "inbound processing failed; will retry");
        }
    }
}

/// Handles `records` (in order per citizen, citizens in parallel) and
/// commits what they produced in one transaction.
pub async fn process(
    store: &Store,
    writer: &Writer,
    engine: &Engine,
    records: Vec<InboundRecord>,
) -> anyhow::Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let count = records.len();
    let mut by_citizen: BTreeMap<String, Vec<InboundRecord>> = BTreeMap::new();
    for record in records {
        by_citizen.entry(record.wa_id.clone()).or_default().push(record);
    }
    let citizens: Vec<String> = by_citizen.keys().cloned().collect();
    let mut sessions = store.load_sessions(&citizens).await?;
    let mut tasks = tokio::task::JoinSet::new();
    for (wa_id, records) in by_citizen {
        let engine = engine.clone();
        let saved = sessions.remove(&wa_id);
        tasks.spawn(async move {
            let mut session: Session = saved.and_then(|data| serde_json::from_str(&data).ok()).unwrap_or_default();
            let mut done = Vec::with_capacity(records.len());
            for record in records {
                done.push(handle(&engine, &mut session, &record).await?);
            }
            anyhow::Ok(done)
        });
    }
    let mut completions = Vec::with_capacity(count);
    while let Some(done) = tasks.join_next().await {
        completions.extend(done??);
    }
    writer.complete(completions).await
}

async fn handle(engine: &Engine, session: &mut Session, record: &InboundRecord) -> anyhow::Result<Completion> {
    let input = match serde_json::from_str::<Message>(&record.payload) {
        Ok(message) => Input::from_message(&message),
        Err(_) => Input::Unsupported(record.kind.clone()),
    };
    let citizen = Citizen {
        wa_id: record.wa_id.clone(),
        profile_name: record.profile_name.clone(),
        phone_number_id: record.phone_number_id.clone(),
        message_id: record.wamid.clone(),
    };
    // The 24-hour window runs from the citizen's latest message (Meta may
    // deliver an older one late).
    let last = session.last_message_at.unwrap_or(i64::MIN).max(record.sent_at);
    session.last_message_at = Some(last);
    let window_until_ms = last.saturating_mul(1000).saturating_add(WINDOW_MS);
    let turn = engine.handle(&citizen, session, input).await;
    let language = match session.language.unwrap_or(Language::En) {
        Language::En => "en",
        Language::Te => "te",
        Language::Hi => "hi",
    };
    let reopen = Outgoing::Template { name: REOPEN_TEMPLATE.into(), language: language.into(), parameters: vec![] };
    let replies = turn
        .replies
        .iter()
        .enumerate()
        .map(|(i, reply)| {
            // Derived from the inbound id: reprocessing after a crash cannot
            // queue the same reply twice (the insert would conflict).
            let id = format!("{}#{i}", record.wamid);
            // Meta hands `biz_opaque_callback_data` back in status callbacks:
            // each delivery status names the outbox item it is about.
            let body = |message: &Outgoing| {
                let mut body = message.to_cloud(&record.wa_id);
                body["biz_opaque_callback_data"] = id.clone().into();
                body.to_string()
            };
            OutboxItem {
                phone_number_id: record.phone_number_id.clone(),
                wa_id: record.wa_id.clone(),
                body: body(reply),
                attempts: 1,
                window_until_ms: Some(window_until_ms),
                // Past the window one template asks the citizen to write
                // again; the rest of the turn's replies are not sent.
                fallback: (i == 0).then(|| body(&reopen)),
                id,
            }
        })
        .collect();
    Ok(Completion {
        wamid: record.wamid.clone(),
        session: Some((record.wa_id.clone(), serde_json::to_string(&*session)?)),
        replies,
        application: turn.application,
    })
}
