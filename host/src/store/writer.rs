//! The host's one database writer: webhooks, completed messages and
//! successful sends, whatever is waiting, committed together in one
//! transaction ([`Store::commit`]), then the new messages handed to the
//! worker.
//!
//! Under load a commit serves hundreds of webhooks, a worker batch and the
//! sends recorded meanwhile, with one wait for the disk; when idle, a write
//! commits at once. A batch commits or fails whole: a webhook in a failed
//! batch is answered 503 (Meta retries it), a completion stays unhandled
//! (recovery takes it again), a send stays leased (sent again only if this
//! host stops). Every write in it is plain data with conflicts ignored, so
//! no one write can make a batch fail that would not fail alone.

use tokio::sync::mpsc::UnboundedSender;

use super::{Completion, GroupCommit, InboundRecord, StatusRecord, Store, Writes};

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
}

impl Writer {
    /// Starts the writer; the new messages of every commit go to `stored`.
    /// Must be called inside a tokio runtime.
    pub fn spawn(store: Store, stored: UnboundedSender<Vec<InboundRecord>>) -> Self {
        let queue = GroupCommit::spawn(MAX_BATCH, move |batch: Vec<Write>| {
            let (store, stored) = (store.clone(), stored.clone());
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
                if !new.is_empty() {
                    // Without a worker (tests of the webhook alone) they wait
                    // in the database, as after a crash.
                    let _ = stored.send(new);
                }
                Ok(())
            }
        });
        Self { queue }
    }

    /// Stores a webhook's messages and statuses; returns once they are durable.
    pub async fn webhook(&self, inbound: Vec<InboundRecord>, statuses: Vec<StatusRecord>) -> anyhow::Result<()> {
        self.queue.submit(Write::Webhook(inbound, statuses)).await
    }

    /// Marks messages handled with what handling them produced.
    pub async fn complete(&self, completions: Vec<Completion>) -> anyhow::Result<()> {
        self.queue.submit(Write::Completions(completions)).await
    }

    /// Records that outbox item `id` was accepted by Meta as `wamid`.
    pub async fn sent(&self, id: String, wamid: String) -> anyhow::Result<()> {
        self.queue.submit(Write::Sent(id, wamid)).await
    }
}
