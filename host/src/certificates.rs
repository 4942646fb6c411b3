//! Tamper-proof certificates: issuing keys per department, the signed
//! payload a certificate's QR code carries, and the Merkle transparency log
//! (RFC 6962 hashing, inclusion and consistency proofs, signed C2SP
//! checkpoints) that makes a forged, back-dated or silently removed
//! certificate detectable.

pub mod checkpoint;
pub mod issuer;
pub mod keys;
pub mod log;
pub mod merkle;
pub mod offline;
pub mod page;
pub mod payload;
pub mod pdf;
pub(crate) mod press;
pub mod qr_image;
pub mod verify;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use self::issuer::Issuer;
use self::verify::{Evidence, Inclusion, Report, Revocation};

#[derive(Clone)]
struct Published {
    jwks: Arc<serde_json::Value>,
    issuer: Issuer,
}

/// The largest photo `/verify` takes.
const MAX_PHOTO: usize = 12 * 1024 * 1024;

/// What anyone may read to verify certificates:
/// `GET /.well-known/jwks.json` (every issuing key, active and retired),
/// `GET /log/checkpoint` (the log's signed checkpoint, `text/plain`),
/// `GET /log/inclusion?index=I&size=N` and `GET /log/consistency?from=M&to=N`
/// (`{"proof": [hex, …]}`), `GET /log/revoked` (the revocation list),
/// `POST /api/verify` (`{"payload": "MTR1:…"}` → a report), and the
/// `/verify` page for people.
pub fn router(issuer: Issuer) -> Router {
    // Everything here reads, and anyone may ask: beside the writer, so a
    // burst of verifications (each proof reads the log's leaves) never holds
    // up the commits citizens' messages and replies wait for.
    let issuer = issuer.reading();
    let state = Published { jwks: Arc::new(keys::jwks(&issuer.keys().public_keys())), issuer };
    Router::new()
        .route("/.well-known/jwks.json", get(|State(s): State<Published>| async move { Json(s.jwks.as_ref().clone()) }))
        .route("/log/checkpoint", get(checkpoint))
        .route("/log/inclusion", get(inclusion))
        .route("/log/consistency", get(consistency))
        .route("/log/revoked", get(revoked))
        .route("/api/verify", post(verify_api))
        .route("/verify", get(verify_page).post(verify_form).layer(DefaultBodyLimit::max(MAX_PHOTO)))
        .with_state(state)
}

fn unavailable(error: anyhow::Error) -> Response {
    tracing::error!(error = format!("{error:#}"), "transparency log");
    (StatusCode::SERVICE_UNAVAILABLE, "the transparency log is unavailable").into_response()
}

async fn checkpoint(State(s): State<Published>) -> Response {
    match s.issuer.log().checkpoint().await {
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
    proof(s.issuer.log().inclusion(q.index, q.size).await)
}

#[derive(Deserialize)]
struct ConsistencyQuery {
    from: u64,
    to: u64,
}

async fn consistency(State(s): State<Published>, Query(q): Query<ConsistencyQuery>) -> Response {
    proof(s.issuer.log().consistency(q.from, q.to).await)
}

/// The revoked certificates: `{"revoked": [{"serial", "reason", "revoked_at"}]}`.
async fn revocations(issuer: &Issuer) -> anyhow::Result<Vec<Revocation>> {
    Ok(issuer
        .log()
        .store()
        .revocations()
        .await?
        .into_iter()
        .map(|r| Revocation {
            serial: r.serial,
            reason: r.reason,
            revoked_at: crate::chat::documents::rfc3339(r.revoked_at_ms),
        })
        .collect())
}

async fn revoked(State(s): State<Published>) -> Response {
    match revocations(&s.issuer).await {
        Ok(list) => Json(serde_json::json!({ "revoked": list })).into_response(),
        Err(error) => unavailable(error),
    }
}

/// Checks `text` against this host's keys, log and revocation list.
pub async fn check(issuer: &Issuer, text: &str) -> anyhow::Result<Report> {
    let keys = issuer.keys().public_keys();
    let mut evidence = Evidence {
        keys,
        revoked: revocations(issuer).await?.into_iter().map(|r| (r.serial.clone(), r)).collect(),
        inclusion: None,
        today: verify::today(),
    };
    if let Some(index) = verify::claimed_index(text, &evidence.keys) {
        let leaves = issuer.log().store().log_leaves(u64::MAX >> 1).await?;
        if let Some(proof) = merkle::inclusion_proof(&leaves, index as usize) {
            evidence.inclusion = Some(Inclusion { size: leaves.len() as u64, root: merkle::root(&leaves), proof });
        }
    }
    Ok(verify::check(text, &evidence))
}

#[derive(Deserialize)]
struct VerifyRequest {
    payload: String,
}

async fn verify_api(State(s): State<Published>, Json(request): Json<VerifyRequest>) -> Response {
    match check(&s.issuer, &request.payload).await {
        Ok(report) => Json(report).into_response(),
        Err(error) => unavailable(error),
    }
}

#[derive(Deserialize)]
struct PageQuery {
    /// A payload to check (the QR's text), percent-encoded.
    c: Option<String>,
    lang: Option<String>,
}

async fn verify_page(State(s): State<Published>, Query(q): Query<PageQuery>) -> Response {
    let lang = page::language(q.lang.as_deref());
    let outcome = match q.c.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(payload) => Some(check(&s.issuer, payload).await.map_err(|e| format!("{e:#}"))),
    };
    Html(page::render(lang, outcome.as_ref(), q.c.as_deref().unwrap_or_default())).into_response()
}

/// The page's form: a pasted payload or a photo of the QR code.
async fn verify_form(State(s): State<Published>, Query(q): Query<PageQuery>, mut form: Multipart) -> Response {
    let mut lang = page::language(q.lang.as_deref());
    let (mut pasted, mut photo) = (String::new(), Vec::new());
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or_default() {
            "payload" => pasted = field.text().await.unwrap_or_default(),
            "lang" => lang = page::language(field.text().await.ok().as_deref()),
            "photo" => photo = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
            _ => {}
        }
    }
    let payload = if pasted.trim().is_empty() && !photo.is_empty() {
        match tokio::task::spawn_blocking(move || qr_image::decode(&photo)).await {
            Ok(Ok(text)) => text,
            Ok(Err(error)) => return Html(page::render(lang, Some(&Err(format!("{error:#}"))), "")).into_response(),
            Err(error) => return Html(page::render(lang, Some(&Err(error.to_string())), "")).into_response(),
        }
    } else {
        pasted.trim().to_owned()
    };
    let outcome = check(&s.issuer, &payload).await.map_err(|e| format!("{e:#}"));
    Html(page::render(lang, Some(&outcome), &payload)).into_response()
}
