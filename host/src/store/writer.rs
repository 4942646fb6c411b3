//! The host's one database writer: webhooks, completed messages and
//! successful sends, whatever is waiting, committed together in one
//! transaction ([`Store::commit`]), then the new messages handed to the
//! worker and the new replies to the sender.
//!
//! A webhook is answered once its messages are on disk: after its commit,
//! it waits for the next [`Store::sync`], which serves every commit made
//! before it started. The writer does not wait for the disk, so a slow
//! fsync (hundreds of milliseconds on a busy virtual disk) delays 200s to
//! Meta, not the replies to citizens. (The worker may so handle a message
//! before it is on disk; if the machine fails in that moment, Meta, never
//! answered, sends it again, and the citizen may see a reply twice — as
//! with a reply sent just before any crash.)
//!
//! Under load a commit serves hundreds of webhooks, a worker batch and the
//! sends recorded meanwhile, and one sync the webhooks of several commits;
//! when idle, a write commits at once. A batch commits or fails whole: a webhook in a failed
//! batch is answered 503 (Meta retries it), a completion stays unhandled
//! (recovery takes it again), a send stays leased and is marked sent by
//! Meta's status for it (which names it by its outbox id; see
//! [`Store::commit`]) once the database takes writes again. Every write in it is plain data with conflicts ignored, so
//! no one write can make a batch fail that would not fail alone.

use std::future::Future;

use tokio::sync::mpsc::UnboundedSender;

use crate::telemetry::{KindLabel, metrics};

use super::{Completion, GroupCommit, InboundRecord, OutboxItem, StatusRecord, Store, Writes};

/// Most writes committed together.
const MAX_BATCH: usize = 1024;
/// Most webhooks one sync answers (more wait for the next, at once).
const MAX_SYNC_WAITERS: usize = 4096;

/// One write waiting for the next commit.
#[derive(Debug)]
enum Write {
    Webhook(Vec<InboundRecord>, Vec<StatusRecord>),
    Completions(Vec<Completion>),
    Sent(String, String),
}

/// The writer's queue. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Writer {
    queue: GroupCommit<Write>,
    /// Syncs to disk for webhooks waiting: one sync serves every webhook
    /// queued before it started, so every commit made before it.
    disk: GroupCommit<()>,
}

impl Writer {
    /// Starts the writer. After every commit the new messages go to
    /// `stored` (the worker) and the replies just queued to `queued` (the
    /// sender, which they are leased to). Must be called inside a tokio
    /// runtime.
    pub fn spawn(
        store: Store,
        stored: UnboundedSender<Vec<InboundRecord>>,
        queued: UnboundedSender<Vec<OutboxItem>>,
    ) -> Self {
        let own_threads = store.any_runtime();
        let disk = {
            let store = store.clone();
            GroupCommit::spawn(MAX_SYNC_WAITERS, own_threads.then_some("mitra-sync"), move |_webhooks: Vec<()>| {
                let store = store.clone();
                async move { store.sync().await }
            })
        };
        let queue = GroupCommit::spawn(MAX_BATCH, own_threads.then_some("mitra-writer"), move |batch: Vec<Write>| {
            let (store, stored, queued) = (store.clone(), stored.clone(), queued.clone());
            async move {
                let (mut inbound, mut statuses, mut completions, mut sent) =
                    (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                for write in batch {
                    match write {
                        Write::Webhook(messages, callbacks) => {
                            inbound.extend(messages);
                            statuses.extend(callbacks);
                        }
                        Write::Completions(done) => completions.extend(done),
                        Write::Sent(id, wamid) => sent.push((id, wamid)),
                    }
                }
                let writes = Writes { inbound: &inbound, statuses: &statuses, completions: &completions, sent: &sent };
                let started = std::time::Instant::now();
                let new = store.commit(&writes).await?;
                let metrics = metrics();
                metrics.db_commit_seconds.observe(started.elapsed().as_secs_f64());
                for message in &new {
                    metrics.messages_in.get_or_create(&KindLabel { kind: message.kind.clone() }).inc();
                }
                if !new.is_empty() {
                    metrics.count_messages(new.len() as u64, 0);
                }
                tracing::debug!(
                    messages = inbound.len(),
                    new = new.len(),
                    statuses = statuses.len(),
                    completions = completions.len(),
                    sent = sent.len(),
                    "committed"
                );
                // Without a worker or sender (tests of the webhook alone)
                // they wait in the database, as after a crash.
                if !new.is_empty() {
                    let _ = stored.send(new);
                }
                let replies: Vec<OutboxItem> = completions.into_iter().flat_map(|c| c.replies).collect();
                if !replies.is_empty() {
                    let _ = queued.send(replies);
                }
                Ok(())
            }
        });
        Self { queue, disk }
    }

    /// Stores a webhook's messages and statuses; returns once the messages
    /// are on disk (Meta will not send them again).
    pub async fn webhook(&self, inbound: Vec<InboundRecord>, statuses: Vec<StatusRecord>) -> anyhow::Result<()> {
        let messages = !inbound.is_empty();
        self.queue.submit(Write::Webhook(inbound, statuses)).await?;
        if messages { self.disk.submit(()).await } else { Ok(()) }
    }

    /// Marks messages handled with what handling them produced: queued
    /// now, committed in the next transaction; the future tells when.
    pub fn complete(&self, completions: Vec<Completion>) -> impl Future<Output = anyhow::Result<()>> + Send + 'static {
        self.queue.queue(Write::Completions(completions))
    }

    /// Records that outbox item `id` was accepted by Meta as `wamid`, with
    /// the next commit; nobody waits (a citizen's next reply need not), and a
    /// failed commit is logged by the writer (the reply stays leased).
    pub fn sent(&self, id: String, wamid: String) {
        self.queue.submit_detached(Write::Sent(id, wamid));
    }
}
