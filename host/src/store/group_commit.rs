//! Group commit: the writes of many concurrent callers in one transaction.
//!
//! Each commit on a durable store waits for the disk (an fsync on SQLite with
//! `synchronous = FULL`). Callers hand their write to one writer task and
//! wait for its outcome; whatever queued while the previous transaction was
//! committing goes into the next one. Under load a commit serves hundreds of
//! webhooks or sends; when idle, a write commits at once.

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
    pub fn spawn<F, Fut>(max_batch: usize, mut commit: F) -> Self
    where
        F: FnMut(Vec<T>) -> Fut + Send + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send,
    {
        let (queue, mut incoming) = mpsc::unbounded_channel::<(T, Waiter)>();
        tokio::spawn(async move {
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
        });
        Self { queue }
    }

    /// Queues `item` and waits until its batch is committed (or failed).
    pub async fn submit(&self, item: T) -> anyhow::Result<()> {
        let (done, outcome) = oneshot::channel();
        self.queue.send((item, Some(done))).map_err(|_| anyhow!("the database writer has stopped"))?;
        outcome.await.map_err(|_| anyhow!("the database writer has stopped"))?.map_err(anyhow::Error::msg)
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
        let commits = Arc::new(AtomicUsize::new(0));
        let counted = commits.clone();
        let writer = GroupCommit::spawn(64, move |items: Vec<u32>| {
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
