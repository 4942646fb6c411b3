//! Tamper-proof certificates: issuing keys per department, the signed
//! payload a certificate's QR code carries, and the Merkle transparency log
//! (RFC 6962 hashing, inclusion and consistency proofs, signed C2SP
//! checkpoints) that makes a forged, back-dated or silently removed
//! certificate detectable.

pub mod checkpoint;
pub mod keys;
pub mod merkle;
pub mod payload;

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};

/// `GET /.well-known/jwks.json`: every issuing key, active and retired, so
/// anyone can verify any certificate offline.
pub fn router(keys: Vec<keys::PublicKey>) -> Router {
    let jwks = Arc::new(keys::jwks(&keys));
    Router::new().route("/.well-known/jwks.json", get(move || async move { Json(jwks.as_ref().clone()) }))
}
