//! Tamper-proof certificates: issuing keys per department, the signed
//! payload a certificate's QR code carries, and the Merkle transparency log
//! (RFC 6962 hashing, inclusion and consistency proofs, signed C2SP
//! checkpoints) that makes a forged, back-dated or silently removed
//! certificate detectable.

pub mod checkpoint;
pub mod keys;
pub mod log;
pub mod merkle;
pub mod payload;

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use self::log::TransparencyLog;

#[derive(Clone)]
struct Published {
    jwks: Arc<serde_json::Value>,
    log: TransparencyLog,
}

/// What anyone may read to verify certificates offline:
/// `GET /.well-known/jwks.json` (every issuing key, active and retired),
/// `GET /log/checkpoint` (the log's signed checkpoint, `text/plain`),
/// `GET /log/inclusion?index=I&size=N` and `GET /log/consistency?from=M&to=N`
/// (`{"proof": [hex, …]}`).
pub fn router(keys: Vec<keys::PublicKey>, log: TransparencyLog) -> Router {
    let state = Published { jwks: Arc::new(keys::jwks(&keys)), log };
    Router::new()
        .route("/.well-known/jwks.json", get(|State(s): State<Published>| async move { Json(s.jwks.as_ref().clone()) }))
        .route("/log/checkpoint", get(checkpoint))
        .route("/log/inclusion", get(inclusion))
        .route("/log/consistency", get(consistency))
        .with_state(state)
}

fn unavailable(error: anyhow::Error) -> Response {
    tracing::error!(error = format!("{error:#}"), "transparency log");
    (StatusCode::SERVICE_UNAVAILABLE, "the transparency log is unavailable").into_response()
}

async fn checkpoint(State(s): State<Published>) -> Response {
    match s.log.checkpoint().await {
        Ok(note) => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], note).into_response(),
        Err(error) => unavailable(error),
    }
}

fn proof(result: anyhow::Result<Option<Vec<merkle::Hash>>>) -> Response {
    match result {
        Ok(Some(proof)) => {
            Json(serde_json::json!({ "proof": proof.iter().map(hex::encode).collect::<Vec<_>>() })).into_response()
        }
        Ok(None) => (StatusCode::NOT_FOUND, "no such entry or tree size in the log").into_response(),
        Err(error) => unavailable(error),
    }
}

#[derive(Deserialize)]
struct InclusionQuery {
    index: u64,
    size: u64,
}

async fn inclusion(State(s): State<Published>, Query(q): Query<InclusionQuery>) -> Response {
    proof(s.log.inclusion(q.index, q.size).await)
}

#[derive(Deserialize)]
struct ConsistencyQuery {
    from: u64,
    to: u64,
}

async fn consistency(State(s): State<Published>, Query(q): Query<ConsistencyQuery>) -> Response {
    proof(s.log.consistency(q.from, q.to).await)
}
