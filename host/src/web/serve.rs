//! Serving the router to the internet: HTTP/1.1 on hyper with the limits a
//! public endpoint needs against slow clients (slowloris): a request's head
//! must arrive within [`Limits::head`], and a whole request (its body read
//! and its answer made) within [`Limits::request`]; and each request knows
//! the address it came from ([`Peer`]), for per-client limits such as the
//! console's login.
//!
//! Connections are capped ([`Limits::connections`]) below the process's file
//! limit. Past the cap a new connection is answered `503` with `Retry-After`
//! at once and closed (Meta and the payment gateway send again later), so a
//! flood of connections never takes the descriptors the database, the plugins
//! and the Graph API client need: without the cap, a load past what the host
//! could answer ran it out of descriptors, after which accepts and SQLite's
//! opens failed and it stalled instead of catching up.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

use crate::telemetry::metrics;

/// The address a request came from (set by [`serve`]; absent when a test
/// calls the router directly).
#[derive(Clone, Copy, Debug)]
pub struct Peer(pub SocketAddr);

/// How long a client may take.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// From the first byte of a request (or an idle kept-alive connection)
    /// to the end of its head.
    pub head: Duration,
    /// From a request's head to its answer, its body included.
    pub request: Duration,
    /// How long a graceful stop waits for requests in progress.
    pub drain: Duration,
    /// Connections served at once; `None` sizes it from the process's file
    /// limit ([`connection_cap`]).
    pub connections: Option<usize>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            head: Duration::from_secs(10),
            request: Duration::from_secs(30),
            drain: Duration::from_secs(10),
            connections: None,
        }
    }
}

/// Descriptors kept for everything but clients' connections: the database,
/// plugins' `/data` files, the Graph API client, logs, the refusals
/// themselves ([`REFUSING`]).
const RESERVED_FILES: u64 = 2048;
/// Refusals in progress at once (each holds its connection while its 503 is
/// written and the client closes, up to [`REFUSAL_TIME`]); past them a
/// connection is closed without an answer.
const REFUSING: usize = 512;
const REFUSAL_TIME: Duration = Duration::from_secs(1);
/// What a connection over the cap is told.
const BUSY: &str = "busy, please try again shortly\n";

/// The default connection cap: the process's open-file limit less what the
/// host keeps for itself (a quarter of it, at least [`RESERVED_FILES`] when
/// the limit allows), and never less than 16.
pub fn connection_cap() -> usize {
    cap_for(open_file_limit())
}

fn cap_for(files: u64) -> usize {
    let reserved = (files / 4).max(RESERVED_FILES.min(files / 2));
    files.saturating_sub(reserved).max(16) as usize
}

/// The soft `RLIMIT_NOFILE` (1,024 where it cannot be read).
fn open_file_limit() -> u64 {
    match file_limits() {
        Some(limit) if limit.rlim_cur != libc::RLIM_INFINITY => limit.rlim_cur,
        _ => 1024,
    }
}

fn file_limits() -> Option<libc::rlimit> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes the struct it is given and nothing else.
    (unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0).then_some(limit)
}

/// Raises the soft open-file limit to the hard one (a host serving thousands
/// of connections needs more than the usual soft 1,024); the limit now.
pub fn raise_open_file_limit() -> u64 {
    if let Some(limit) = file_limits()
        && limit.rlim_cur < limit.rlim_max
    {
        let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
        // SAFETY: setrlimit reads the struct it is given and nothing else.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } != 0 {
            tracing::warn!(error = %std::io::Error::last_os_error(), "the open-file limit could not be raised");
        }
    }
    open_file_limit()
}

/// Serves `app` on `listener` until `stop` completes, then lets requests in
/// progress finish (up to [`Limits::drain`]).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let app =
        app.layer(axum::middleware::from_fn(move |request: Request, next: Next| within(limits.request, request, next)));
    let graceful = GracefulShutdown::new();
    let cap = limits.connections.unwrap_or_else(connection_cap).max(1);
    let open = Arc::new(Semaphore::new(cap));
    let refusing = Arc::new(Semaphore::new(REFUSING));
    tracing::info!(connections = cap, "connections served at once (more are answered 503)");
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, say: wait, do not spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let Ok(permit) = open.clone().try_acquire_owned() else {
            refuse(stream, &refusing);
            continue;
        };
        let service = app.clone().map_request(move |request: axum::http::Request<Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(Peer(peer));
            request
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.head)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        metrics().http_connections.inc();
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "connection ended with an error");
            }
            metrics().http_connections.dec();
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.drain, graceful.shutdown()).await.is_err() {
        tracing::warn!("stopping with requests still in progress");
    }
    Ok(())
}

/// Answers a connection over the cap with 503 ([`BUSY`]) and closes it once the
/// client has (reading what it sent, so the close is not a reset that could
/// reach it before the answer does).
fn refuse(mut stream: TcpStream, refusing: &Arc<Semaphore>) {
    let refused = metrics().http_connections_refused.inc();
    if refused.is_multiple_of(1000) {
        tracing::warn!(refused = refused + 1, "at the connection limit: new connections are answered 503");
    }
    let Ok(permit) = refusing.clone().try_acquire_owned() else { return };
    tokio::spawn(async move {
        let _ = tokio::time::timeout(REFUSAL_TIME, async {
            let answer = format!(
                "HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{BUSY}",
                BUSY.len()
            );
            stream.write_all(answer.as_bytes()).await?;
            stream.shutdown().await?;
            let mut sink = [0u8; 4096];
            while stream.read(&mut sink).await? > 0 {}
            std::io::Result::Ok(())
        })
        .await;
        drop(permit);
    });
}

/// Answers 408 when a request (reading its body included) takes longer than
/// `limit`: a client trickling its body does not hold a task for ever.
async fn within(limit: Duration, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_ms = limit.as_millis() as u64, "a request took too long and was cut off");
            (StatusCode::REQUEST_TIMEOUT, "request took too long\n").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_cap_leaves_the_host_files_of_its_own() {
        // The usual soft limit: half kept for the host.
        assert_eq!(cap_for(1024), 512);
        assert_eq!(cap_for(4096), 2048);
        // Larger limits: a quarter kept.
        assert_eq!(cap_for(20_000), 15_000);
        assert_eq!(cap_for(1 << 20), 786_432);
        // A tiny limit still serves someone.
        assert_eq!(cap_for(10), 16);
        assert!(connection_cap() as u64 <= open_file_limit().max(16));
    }
}
