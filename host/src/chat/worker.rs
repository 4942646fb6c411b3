//! Turns stored inbound messages into replies in the outbox.
//!
//! The webhook stores messages and nudges the worker; the worker reads
//! whatever is pending from the database (so a restart picks up where the
//! last process stopped), handles each citizen's messages in order, and
//! different citizens in parallel. Marking messages handled, saving the
//! sessions, storing applications and queueing replies happen in one
//! transaction per batch.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::engine::{Citizen, Engine, Input, Session};
use super::outgoing::{Outgoing, REOPEN_TEMPLATE, WINDOW_MS};
use crate::channel::whatsapp::Message;
use crate::runtime::Language;
use crate::store::{Completion, InboundRecord, OutboxItem, Store};

/// How often the worker looks even without a nudge.
const IDLE_POLL: Duration = Duration::from_millis(200);
const BATCH: i64 = 512;

/// Runs the worker until the process ends.
pub async fn run(store: Store, engine: Engine, nudge: Arc<Notify>, outbox_nudge: Arc<Notify>) {
    loop {
        match process_pending(&store, &engine).await {
            Ok(0) => {
                let _ = tokio::time::timeout(IDLE_POLL, nudge.notified()).await;
            }
            Ok(_) => outbox_nudge.notify_one(),
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "inbound processing failed; retrying");
                tokio::time::sleep(IDLE_POLL).await;
            }
        }
    }
}

/// Handles every pending inbound message once; returns how many. What they
/// produce is committed in one transaction for the whole batch.
pub async fn process_pending(store: &Store, engine: &Engine) -> anyhow::Result<usize> {
    let pending = store.pending_inbound(BATCH).await?;
    let count = pending.len();
    let mut by_citizen: BTreeMap<String, Vec<InboundRecord>> = BTreeMap::new();
    for record in pending {
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
    store.complete_inbound(&completions).await?;
    Ok(count)
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
                attempts: 0,
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
