//! Work that runs on a thread of its own, in a tokio runtime of its own.
//!
//! The host's runtime has two workers on a small machine, shared by every
//! webhook and page. A loop that takes many short steps (the database
//! writer's dozen statements per commit, the worker's turns, the sender's
//! sends) waited its turn behind all of them at each step: under load its
//! steps took milliseconds of which it used a fraction (BENCHMARKS.md, "The
//! writer on a thread of its own"). On a thread of its own, what it awaits
//! wakes that thread directly, and what it spawns (a turn, a send, the
//! database driver's task that returns a connection to its pool) runs there
//! too.
//!
//! Only for work whose connections are not tied to the runtime that opened
//! them ([`crate::store::Store::any_runtime`]).

use std::future::Future;
use std::pin::Pin;

/// Work as [`spawn`] takes it.
type Work = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Runs `work` on a thread named `thread`, in a runtime of its own, or as
/// a task of the current runtime without a name, or if no runtime or thread
/// can be made (logged). Its log lines go where the caller's would: a test
/// capturing the log with a subscriber of its own sees them too. Must be
/// called inside a tokio runtime.
pub(crate) fn spawn(thread: Option<&'static str>, work: impl Future<Output = ()> + Send + 'static) {
    let Some(name) = thread else {
        tokio::spawn(work);
        return;
    };
    let work: Work = Box::pin(work);
    let logs = tracing::dispatcher::get_default(Clone::clone);
    // The thread gets its work once it exists: if it cannot be made, the
    // work is still here to run another way.
    let started = tokio::runtime::Builder::new_current_thread().enable_all().build().and_then(|runtime| {
        let (hand_over, work) = std::sync::mpsc::sync_channel::<Work>(1);
        std::thread::Builder::new().name(name.into()).spawn(move || {
            let _logs = tracing::dispatcher::set_default(&logs);
            if let Ok(work) = work.recv() {
                runtime.block_on(work);
            }
        })?;
        Ok(hand_over)
    });
    let left = match started {
        Ok(hand_over) => hand_over.send(work).err().map(|std::sync::mpsc::SendError(work)| work),
        Err(error) => {
            tracing::warn!(error = %error, name, "no thread of its own; it runs among the other tasks");
            Some(work)
        }
    };
    if let Some(work) = left {
        tokio::spawn(work);
    }
}

/// As [`spawn`], but on a thread the work also stops when the current
/// runtime does (at the end of the process, or of a test), as a task of that
/// runtime would: for a loop that ends when its queue closes, where whoever
/// holds the queue open lives as long as the loop (the writer holds the
/// worker's inbox). Must be called inside a tokio runtime.
pub(crate) fn spawn_for_runtime(thread: Option<&'static str>, work: impl Future<Output = ()> + Send + 'static) {
    if thread.is_none() {
        tokio::spawn(work);
        return;
    }
    let stopped = runtime_stopped();
    spawn(thread, async move {
        tokio::select! {
            () = work => {}
            () = stopped => {}
        }
    });
}

/// Resolves once the current runtime stops. Must be called inside a tokio
/// runtime.
fn runtime_stopped() -> impl Future<Output = ()> + Send + 'static {
    let (alive, stopped) = tokio::sync::oneshot::channel::<()>();
    // Never finishes: dropped, with `alive`, only when the runtime stops.
    tokio::spawn(async move {
        let _alive = alive;
        std::future::pending::<()>().await
    });
    async move {
        let _ = stopped.await;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    struct Ended(std::sync::mpsc::Sender<&'static str>);
    impl Drop for Ended {
        fn drop(&mut self) {
            let _ = self.0.send("stopped");
        }
    }

    #[test]
    fn work_on_its_own_thread_stops_with_the_runtime_that_started_it() {
        let (ended, end) = std::sync::mpsc::channel::<&str>();
        let started = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        started.block_on(async {
            spawn_for_runtime(Some("test-own-thread"), async move {
                // Dropped with the work when it stops.
                let ended = Ended(ended);
                let _ = ended.0.send(if std::thread::current().name() == Some("test-own-thread") {
                    "on its thread"
                } else {
                    "elsewhere"
                });
                std::future::pending::<()>().await
            });
            tokio::time::sleep(Duration::from_millis(20)).await;
        });
        assert_eq!(end.recv_timeout(Duration::from_secs(5)), Ok("on its thread"));
        assert!(end.try_recv().is_err(), "it stopped before its runtime did");
        drop(started);
        assert_eq!(end.recv_timeout(Duration::from_secs(5)), Ok("stopped"));
    }

    #[test]
    fn its_log_lines_go_where_the_callers_would() {
        // `&File` writes, so an `Arc` of one is a log sink with no writer of our own.
        let log = tempfile::NamedTempFile::new().unwrap();
        let sink = std::sync::Arc::new(log.reopen().unwrap());
        let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(sink).finish();
        let (done, wait) = std::sync::mpsc::channel();
        tracing::subscriber::with_default(subscriber, || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                spawn(Some("test-own-thread"), async move {
                    tracing::info!("said on a thread of its own");
                    let _ = done.send(());
                });
            });
        });
        wait.recv_timeout(Duration::from_secs(5)).unwrap();
        let said = std::fs::read_to_string(log.path()).unwrap();
        assert!(said.contains("said on a thread of its own"), "{said:?}");
    }
}
