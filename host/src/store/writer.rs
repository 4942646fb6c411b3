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
//! sends recorded meanwhile, with one wait for the disk; when idle, a write
//! commits at once. A batch commits or fails whole: a webhook in a failed
//! batch is answered 503 (Meta retries it), a completion stays unhandled
//! (recovery takes it again), a send stays leased (sent again only if this
//! host stops). Every write in it is plain data with conflicts ignored, so
//! no one write can make a batch fail that would not fail alone.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::anyhow;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{Notify, watch};

use super::{Completion, GroupCommit, InboundRecord, OutboxItem, StatusRecord, Store, Writes};

/// Most writes committed together.
const MAX_BATCH: usize = 1024;

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
    disk: Arc<Disk>,
}

/// Syncs to disk for those waiting: each waiter takes a number, and one
/// sync serves every number taken before it started.
#[derive(Debug)]
struct Disk {
    taken: AtomicU64,
    wanted: Notify,
    /// The last number a finished sync served, and whether it succeeded.
    served: watch::Sender<(u64, bool)>,
}

impl Disk {
    fn spawn(store: Store) -> Arc<Self> {
        let disk =
            Arc::new(Self { taken: AtomicU64::new(0), wanted: Notify::new(), served: watch::channel((0, true)).0 });
        let syncer = disk.clone();
        tokio::spawn(async move {
            loop {
                syncer.wanted.notified().await;
                let serves = syncer.taken.load(Ordering::SeqCst);
                let ok = match store.sync().await {
                    Ok(()) => true,
                    Err(error) => {
                        tracing::error!(error = format!("{error:#}"), "the disk refused a sync");
                        false
                    }
                };
                syncer.served.send_replace((serves, ok));
            }
        });
        disk
    }

    /// Returns once everything committed before the call is on disk.
    async fn synced(&self) -> anyhow::Result<()> {
        let mine = self.taken.fetch_add(1, Ordering::SeqCst) + 1;
        let mut served = self.served.subscribe();
        self.wanted.notify_one();
        // A later sync serves an earlier number too: any success from
        // `mine` on covers this caller's commit.
        let (_, ok) =
            *served.wait_for(|(number, _)| *number >= mine).await.map_err(|_| anyhow!("the syncer stopped"))?;
        if ok { Ok(()) } else { Err(anyhow!("the disk refused a sync")) }
    }
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
        let disk = Disk::spawn(store.clone());
        let queue = GroupCommit::spawn(MAX_BATCH, move |batch: Vec<Write>| {
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
                let new = store.commit(&writes).await?;
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
        if messages { self.disk.synced().await } else { Ok(()) }
    }

    /// Marks messages handled with what handling them produced.
    pub async fn complete(&self, completions: Vec<Completion>) -> anyhow::Result<()> {
        self.queue.submit(Write::Completions(completions)).await
    }

    /// Records that outbox item `id` was accepted by Meta as `wamid`, with
    /// the next commit; nobody waits (a citizen's next reply need not), and a
    /// failed commit is logged by the writer (the reply stays leased).
    pub fn sent(&self, id: String, wamid: String) {
        self.queue.submit_detached(Write::Sent(id, wamid));
    }
}
