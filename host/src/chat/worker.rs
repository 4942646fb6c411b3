//! Turns stored inbound messages into replies in the outbox.
//!
//! The webhook stores messages and nudges the worker; the worker reads
//! whatever is pending from the database (so a restart picks up where the
//! last process stopped), handles each citizen's messages in order, and
//! different citizens in parallel. Marking a message handled, saving the
//! session and queueing its replies happen in one transaction.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::engine::{Engine, Input, Session};
use crate::channel::whatsapp::Message;
use crate::store::{InboundRecord, OutboxItem, Store};

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

/// Handles every pending inbound message once; returns how many.
pub async fn process_pending(store: &Store, engine: &Engine) -> anyhow::Result<usize> {
    let pending = store.pending_inbound(BATCH).await?;
    let count = pending.len();
    let mut by_citizen: BTreeMap<String, Vec<InboundRecord>> = BTreeMap::new();
    for record in pending {
        by_citizen.entry(record.wa_id.clone()).or_default().push(record);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (_, records) in by_citizen {
        let (store, engine) = (store.clone(), engine.clone());
        tasks.spawn(async move {
            for record in records {
                handle(&store, &engine, &record).await?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(count)
}

async fn handle(store: &Store, engine: &Engine, record: &InboundRecord) -> anyhow::Result<()> {
    let mut session: Session = match store.load_session(&record.wa_id).await? {
        Some(data) => serde_json::from_str(&data).unwrap_or_default(),
        None => Session::default(),
    };
    let input = match serde_json::from_str::<Message>(&record.payload) {
        Ok(message) => Input::from_message(&message),
        Err(_) => Input::Unsupported(record.kind.clone()),
    };
    // Plugin calls inside the engine are synchronous wasm.
    let engine = engine.clone();
    let (session, replies) = tokio::task::spawn_blocking(move || {
        let replies = engine.handle(&mut session, input);
        (session, replies)
    })
    .await?;
    let items: Vec<OutboxItem> = replies
        .iter()
        .enumerate()
        .map(|(i, reply)| OutboxItem {
            // Derived from the inbound id: reprocessing after a crash cannot
            // queue the same reply twice (the insert would conflict).
            id: format!("{}#{i}", record.wamid),
            phone_number_id: record.phone_number_id.clone(),
            wa_id: record.wa_id.clone(),
            body: reply.to_cloud(&record.wa_id).to_string(),
            attempts: 0,
        })
        .collect();
    let data = serde_json::to_string(&session)?;
    store.complete_inbound(&record.wamid, Some((&record.wa_id, &data)), &items).await
}
