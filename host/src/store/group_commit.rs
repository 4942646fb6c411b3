//! Group commit: the writes of many concurrent callers in one transaction.
//!
//! Each commit on a durable store waits for the disk (an fsync on SQLite with
//! `synchronous = FULL`). Callers hand their write to one writer task and
//! wait for its outcome; whatever queued while the previous transaction was
//! committing goes into the next one. Under load a commit serves hundreds of
//! webhooks or sends; when idle, a write commits at once.
//!
//! On SQLite the writer runs on a thread of its own ([`crate::own_thread`]).
//! A transaction is a dozen statements, each a round trip to the
//! connection's thread, and the connection goes back to its pool in a task
//! the driver spawns; on the host's shared runtime each of those steps
//! waited its turn behind every webhook and send in progress, so under load
//! a commit took milliseconds of which SQLite used a fraction and the one
//! writer was never idle (BENCHMARKS.md, "The writer on a thread of its
//! own").

use std::future::Future;

use anyhow::anyhow;
use tokio::sync::{mpsc, oneshot};

/// Who hears a write's outcome: a caller waiting for it, or no one.
type Waiter = Option<oneshot::Sender<Result<(), String>>>;

/// A queue of writes committed in batches by one task.
#[derive(Debug)]
pub struct GroupCommit<T> {
    queue: mpsc::UnboundedSender<(T, Waiter)>,
}

impl<T> Clone for GroupCommit<T> {
    fn clone(&self) -> Self {
        Self { queue: self.queue.clone() }
    }
}

impl<T: Send + 'static> GroupCommit<T> {
    /// Starts the writer: `commit` writes one batch (at most `max_batch`
    /// items) in one transaction. Must be called inside a tokio runtime.
    /// With a `thread` name the writer runs on a thread of that name (see the
    /// module's documentation): only for a store whose driver does not tie
    /// connections to the runtime that opened them.
    pub fn spawn<F, Fut>(max_batch: usize, thread: Option<&'static str>, mut commit: F) -> Self
    where
        F: FnMut(Vec<T>) -> Fut + Send + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send,
    {
        let (queue, mut incoming) = mpsc::unbounded_channel::<(T, Waiter)>();
        let task = async move {
            let mut batch = Vec::with_capacity(max_batch);
            while incoming.recv_many(&mut batch, max_batch).await > 0 {
                let (items, waiters): (Vec<T>, Vec<Waiter>) = batch.drain(..).unzip();
                let outcome = commit(items).await.map_err(|e| format!("{e:#}"));
                if let Err(error) = &outcome
                    && waiters.iter().any(Option::is_none)
                {
                    tracing::error!(error, "a batch of writes nobody waits for failed");
                }
                // A caller that gave up waiting is no one's concern.
                for waiter in waiters.into_iter().flatten() {
                    let _ = waiter.send(outcome.clone());
                }
            }
        };
        crate::own_thread::spawn(thread, task);
        Self { queue }
    }

    /// Queues `item` and waits until its batch is committed (or failed).
    pub async fn submit(&self, item: T) -> anyhow::Result<()> {
        self.queue(item).await
    }

    /// Queues `item` now; the future returned tells when its batch is
    /// committed (or failed). The write is made whether or not anyone waits.
    pub fn queue(&self, item: T) -> impl Future<Output = anyhow::Result<()>> + Send + 'static {
        let (done, outcome) = oneshot::channel();
        let queued = self.queue.send((item, Some(done)));
        async move {
            queued.map_err(|_| anyhow!("the database writer has stopped"))?;
            outcome.await.map_err(|_| anyhow!("the database writer has stopped"))?.map_err(anyhow::Error::msg)
        }
    }

    /// Queues `item` for the next batch without waiting for its outcome (a
    /// failure is logged).
    pub fn submit_detached(&self, item: T) {
        if self.queue.send((item, None)).is_err() {
            tracing::error!("the database writer has stopped; a write was dropped");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn concurrent_writes_share_transactions_and_all_hear_the_outcome() {
        writes_share_transactions_and_all_hear_the_outcome(None).await;
    }

    #[tokio::test]
    async fn on_a_thread_of_its_own_writes_share_transactions_and_all_hear_the_outcome() {
        writes_share_transactions_and_all_hear_the_outcome(Some("test-writer")).await;
    }

    #[tokio::test]
    async fn a_queued_write_is_made_though_nobody_waits_for_it() {
        let (seen, mut heard) = mpsc::unbounded_channel();
        let writer = GroupCommit::spawn(8, Some("test-writer"), move |items: Vec<u32>| {
            let seen = seen.clone();
            async move {
                seen.send(items).map_err(|_| anyhow!("the test stopped listening"))?;
                Ok(())
            }
        });
        drop(writer.queue(7));
        writer.submit(8).await.unwrap();
        let mut written = Vec::new();
        while let Ok(items) = heard.try_recv() {
            written.extend(items);
        }
        assert_eq!(written, [7, 8], "the dropped write is made, and first");
    }

    async fn writes_share_transactions_and_all_hear_the_outcome(thread: Option<&'static str>) {
        let commits = Arc::new(AtomicUsize::new(0));
        let counted = commits.clone();
        let writer = GroupCommit::spawn(64, thread, move |items: Vec<u32>| {
            let counted = counted.clone();
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                if items.contains(&13) { Err(anyhow!("unlucky batch")) } else { Ok(()) }
            }
        });
        let calls: Vec<_> = (0..100)
            .filter(|n| *n != 13)
            .map(|n| {
                let writer = writer.clone();
                async move { writer.submit(n).await }
            })
            .collect();
        for outcome in futures_join(calls).await {
            outcome.unwrap();
        }
        assert!(commits.load(Ordering::SeqCst) < 100, "{} commits for 99 writes", commits.load(Ordering::SeqCst));
        let error = writer.submit(13).await.unwrap_err();
        assert!(error.to_string().contains("unlucky batch"));
    }

    async fn futures_join<F>(futures: Vec<F>) -> Vec<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
        let mut out = Vec::new();
        for handle in handles {
            out.push(handle.await.unwrap());
        }
        out
    }
}
