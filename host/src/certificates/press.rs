//! Where certificates are laid out: a few threads of their own that run at
//! a lower CPU priority than the rest of the host.
//!
//! A PDF takes milliseconds of CPU (fonts shaped, the QR code drawn, the
//! streams compressed). When fees are paid in bursts, dozens of them arrive
//! at once beside thousands of chat messages a second; on tokio's blocking
//! pool they would each get a thread and share the cores equally with the
//! chat, so every citizen's reply would wait on other people's
//! certificates. Here they take turns on at most half the cores, and the
//! kernel gives the chat's threads the CPU first whenever both want it: a
//! burst of certificates queues (each citizen's still arrives, a little
//! later) and the conversation keeps its latency.

use std::sync::OnceLock;

/// How much lower the press threads' priority is (Linux nice value, 0 to
/// 19): at 10 the kernel weighs a press thread at about a tenth of a chat
/// thread when both are ready to run. An unprivileged process may always
/// lower its own threads' priority.
pub(crate) const NICE: i32 = 10;

/// Runs `lay_out` on a press thread and returns what it made; a panic in it
/// comes back as an error instead of taking the thread down.
pub(crate) async fn run<T: Send + 'static>(lay_out: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let (made, taken) = tokio::sync::oneshot::channel();
    press().spawn(move || {
        let _ = made.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(lay_out)));
    });
    match taken.await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(panic)) => Err(anyhow::anyhow!("work on the press panicked: {}", panic_message(&panic))),
        Err(_) => Err(anyhow::anyhow!("the certificate press stopped")),
    }
}

/// The process's one press: half the cores (at least one), so certificates
/// never hold more than half the machine however many are waiting.
fn press() -> &'static rayon::ThreadPool {
    static PRESS: OnceLock<rayon::ThreadPool> = OnceLock::new();
    PRESS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        rayon::ThreadPoolBuilder::new()
            .num_threads((cores / 2).max(1))
            .thread_name(|i| format!("mitra-press-{i}"))
            .start_handler(|_| lower_priority())
            .build()
            .expect("starting the certificate press threads")
    })
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // Linux keeps a nice value per thread; PRIO_PROCESS with a thread id
    // sets this thread's alone. A process already niced further keeps its.
    // SAFETY: plain system calls on this thread's own id, no memory shared.
    let failed = unsafe {
        let thread = libc::gettid() as libc::id_t;
        libc::getpriority(libc::PRIO_PROCESS, thread) < NICE && libc::setpriority(libc::PRIO_PROCESS, thread, NICE) != 0
    };
    if failed {
        tracing::warn!(error = %std::io::Error::last_os_error(), "the certificate press runs at normal priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_a_lowered_press_thread_and_a_panic_is_an_error() {
        let (name, nice) = run(|| {
            let name = std::thread::current().name().map(str::to_owned);
            // SAFETY: reads this thread's own nice value.
            let nice = unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) };
            (name, nice)
        })
        .await
        .unwrap();
        assert!(name.unwrap().starts_with("mitra-press-"));
        assert!(nice >= NICE, "nice {nice}");
        let error = run(|| -> u8 { panic!("a broken font") }).await.unwrap_err();
        assert!(error.to_string().contains("a broken font"), "{error}");
        // The thread survived its panic.
        assert_eq!(run(|| 7).await.unwrap(), 7);
    }
}
