//! Serving the router to the internet: HTTP/1.1 on hyper with the limits a
//! public endpoint needs against slow clients (slowloris): a request's head
//! must arrive within [`Limits::head`], and a whole request (its body read
//! and its answer made) within [`Limits::request`]; and each request knows
//! the address it came from ([`Peer`]), for per-client limits such as the
//! console's login.

use std::future::Future;
use std::net::SocketAddr;
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
use tokio::net::TcpListener;
use tower::ServiceExt as _;

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
}

impl Default for Limits {
    fn default() -> Self {
        Self { head: Duration::from_secs(10), request: Duration::from_secs(30), drain: Duration::from_secs(10) }
    }
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
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.drain, graceful.shutdown()).await.is_err() {
        tracing::warn!("stopping with requests still in progress");
    }
    Ok(())
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
