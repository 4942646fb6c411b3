//! The two endpoints DigiLocker calls: Pull URI and Pull Doc.
//!
//! Each request is checked in the specification's order: the body's HMAC
//! first (401 when it is missing or wrong), then the XML (400 when it is
//! not a well-formed message of the endpoint's kind), then what makes a
//! recorded request useless to anyone who replays it (401 each): its
//! `keyhash` must be the API key's with its `ts`, the `ts` within
//! [`FRESH_FOR`] of the host's clock, and its `txn` one not accepted before
//! (remembered in the database, so a replay is known on every host and
//! after a restart). A request that passes is always answered 200 with a
//! `ResponseStatus`: 1 with the document, or 0 without anything of any
//! certificate.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::issued::{self, IssuedCertificate};
use super::matching::Holder;
use super::messages::{
    self, Certificate, CertificateData, Field, Format, IssuedBy, Organization, PullDocAnswer, PullDocRequest,
    PullDocResponse, PullUriDetails, PullUriRequest, PullUriResponse, ResponseStatus, Signed, TEMPURI,
};
use super::uri::DocumentUri;
use super::{DigiLockerConfig, Unserved, refusals, signature, unserved};
use crate::certificates::issuer::{IssueError, Issuer, Prepared, printed};
use crate::certificates::verify::display_day;
use crate::store::{Store, now_ms};
use crate::telemetry::ReasonLabel;

/// The largest request read. DigiLocker's are a few hundred bytes, or tens
/// of kilobytes with the Aadhaar photo a Pull URI may carry.
pub const MAX_BODY: usize = 1024 * 1024;

/// How far a request's `ts` may be from the host's clock, either way: room
/// for clocks that differ and a request that waited, and the time a
/// request's `txn` is remembered ([`Store::remember_digilocker_txn`]) for.
/// The specification sets no window.
pub const FRESH_FOR: Duration = Duration::from_secs(30 * 60);

#[derive(Clone)]
struct Pulls {
    issuer: Issuer,
    store: Store,
    config: Arc<DigiLockerConfig>,
}

/// `POST /digilocker/pulluri` and `POST /digilocker/pulldoc`.
pub fn router(issuer: Issuer, store: Store, config: DigiLockerConfig) -> Router {
    let state = Pulls { issuer, store, config: Arc::new(config) };
    Router::new()
        .route("/digilocker/pulluri", post(pull_uri))
        .route("/digilocker/pulldoc", post(pull_doc))
        .with_state(state)
}

async fn pull_uri(State(pulls): State<Pulls>, headers: HeaderMap, body: Body) -> Response {
    let request: PullUriRequest = match signed_message(&pulls, &headers, body, "PullURIRequest").await {
        Ok(request) => request,
        Err(refusal) => return refusal,
    };
    let stamp = Stamp { endpoint: "pulluri", ts: &request.ts, txn: &request.txn, keyhash: &request.keyhash };
    if let Err(refusal) = first_and_fresh(&pulls, &stamp).await {
        return refusal;
    }
    let txn = request.txn.clone();
    match answer_pull_uri(&pulls, request).await {
        Ok(answer) => xml(messages::write(&answer)),
        Err(error) => unanswered(&pulls, "pulluri", &txn, error).await,
    }
}

async fn pull_doc(State(pulls): State<Pulls>, headers: HeaderMap, body: Body) -> Response {
    let request: PullDocRequest = match signed_message(&pulls, &headers, body, "PullDocRequest").await {
        Ok(request) => request,
        Err(refusal) => return refusal,
    };
    let stamp = Stamp { endpoint: "pulldoc", ts: &request.ts, txn: &request.txn, keyhash: &request.keyhash };
    if let Err(refusal) = first_and_fresh(&pulls, &stamp).await {
        return refusal;
    }
    let txn = request.txn.clone();
    match answer_pull_doc(&pulls, request).await {
        Ok(answer) => xml(messages::write(&answer)),
        Err(error) => unanswered(&pulls, "pulldoc", &txn, error).await,
    }
}

/// What a request says of itself that makes a replay of it useless.
struct Stamp<'a> {
    endpoint: &'static str,
    ts: &'a str,
    txn: &'a str,
    keyhash: &'a str,
}

/// Whether a signed request is DigiLocker's now: its `keyhash` the API
/// key's with its `ts`, the `ts` fresh, its `txn` never accepted before (it
/// is remembered here). Otherwise the refusal: 401, or 400 without a `txn`.
async fn first_and_fresh(pulls: &Pulls, stamp: &Stamp<'_>) -> Result<(), Response> {
    if !signature::verify_keyhash(&pulls.config.secret, stamp.ts, stamp.keyhash) {
        let detail = if stamp.keyhash.is_empty() { "no keyhash" } else { "keyhash is not the API key's with this ts" };
        return Err(refused(StatusCode::UNAUTHORIZED, "keyhash", detail));
    }
    let now = now_ms();
    let window = i64::try_from(FRESH_FOR.as_millis()).unwrap_or(i64::MAX);
    match stamped_at_ms(stamp.ts) {
        Some(at) if at.abs_diff(now) <= window.unsigned_abs() => {}
        Some(_) => {
            let detail = format!("ts {} is more than {} minutes from the host's clock", stamp.ts, window / 60_000);
            return Err(refused(StatusCode::UNAUTHORIZED, "stale", &detail));
        }
        None => return Err(refused(StatusCode::UNAUTHORIZED, "stale", &format!("ts {:?} is not a time", stamp.ts))),
    }
    if stamp.txn.trim().is_empty() {
        return Err(refused(StatusCode::BAD_REQUEST, "malformed", "no txn"));
    }
    // Kept for twice the window: a request stamped at the window's far edge
    // stays fresh that long after it was first seen.
    let forget_before = now.saturating_sub(window.saturating_mul(2));
    match pulls.store.remember_digilocker_txn(stamp.endpoint, stamp.txn, forget_before).await {
        Ok(true) => Ok(()),
        Ok(false) => {
            Err(refused(StatusCode::UNAUTHORIZED, "replayed", &format!("txn {} was taken already", stamp.txn)))
        }
        Err(error) => Err(unavailable(error)),
    }
}

/// The time a `ts` names, in Unix milliseconds: RFC 3339
/// (`2026-12-03T10:15:00+05:30`, as DigiLocker writes it), or without an
/// offset, read as India's time.
fn stamped_at_ms(ts: &str) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    let ts = ts.trim();
    let at = match time::OffsetDateTime::parse(ts, &Rfc3339) {
        Ok(at) => at,
        Err(_) => {
            let local = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
            time::PrimitiveDateTime::parse(ts, local).ok()?.assume_offset(mitra_sdk::clock::IST)
        }
    };
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
}

/// A request that passed every check but could not be answered: its `txn`
/// is forgotten, so DigiLocker's retry of it is taken.
async fn unanswered(pulls: &Pulls, endpoint: &'static str, txn: &str, error: anyhow::Error) -> Response {
    if let Err(forgetting) = pulls.store.forget_digilocker_txn(endpoint, txn).await {
        tracing::warn!(error = format!("{forgetting:#}"), txn, "forgetting an unanswered DigiLocker txn failed");
    }
    unavailable(error)
}

/// The body, read whole, signed with the shared secret and a well-formed
/// message with root `root`; or the refusal to send.
async fn signed_message<T: serde::de::DeserializeOwned>(
    pulls: &Pulls,
    headers: &HeaderMap,
    body: Body,
    root: &'static str,
) -> Result<T, Response> {
    // Read here rather than by an extractor, so that an oversized or broken
    // body is logged and counted like every other refusal.
    let body: Bytes = axum::body::to_bytes(body, MAX_BODY).await.map_err(|e| {
        let too_large = std::error::Error::source(&e).is_some_and(|c| c.is::<http_body_util::LengthLimitError>());
        if too_large {
            refused(StatusCode::PAYLOAD_TOO_LARGE, "too_large", &format!("the body is over {MAX_BODY} bytes"))
        } else {
            refused(StatusCode::BAD_REQUEST, "unreadable_body", &format!("the body could not be read: {e}"))
        }
    })?;
    let given = headers.get(signature::HEADER).and_then(|v| v.to_str().ok());
    if !signature::verify(&pulls.config.secret, &body, given) {
        let detail = if given.is_none() { "no x-digilocker-hmac" } else { "x-digilocker-hmac does not match the body" };
        return Err(refused(StatusCode::UNAUTHORIZED, "signature", detail));
    }
    messages::read(&body, root).map_err(|e| refused(StatusCode::BAD_REQUEST, "malformed", &e.to_string()))
}

/// A request that is not DigiLocker's, or not one DigiLocker would send:
/// 4xx, logged and counted by reason.
fn refused(status: StatusCode, reason: &'static str, detail: &str) -> Response {
    tracing::warn!(reason, detail, "DigiLocker request refused");
    refusals().get_or_create(&ReasonLabel { reason }).inc();
    (status, detail.to_owned()).into_response()
}

/// The database or the certificate's layout failed: DigiLocker may ask again.
fn unavailable(error: anyhow::Error) -> Response {
    tracing::error!(error = format!("{error:#}"), "DigiLocker pull failed");
    (StatusCode::SERVICE_UNAVAILABLE, "temporarily unavailable").into_response()
}

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response()
}

fn not_served(reason: Unserved, txn: &str) {
    tracing::info!(reason = reason.reason(), txn, "DigiLocker pull answered Status 0");
    unserved().get_or_create(&ReasonLabel { reason: reason.reason() }).inc();
}

/// The certificate the search names, if it names one and its holder.
async fn answer_pull_uri(pulls: &Pulls, request: PullUriRequest) -> anyhow::Result<PullUriResponse> {
    let details = &request.details;
    let answer = |code, details| PullUriResponse {
        ns2: TEMPURI.into(),
        status: ResponseStatus::new(code, &request.ts, &request.txn),
        details,
    };
    let not_found = |reason| {
        not_served(reason, &request.txn);
        Ok(answer(ResponseStatus::ERROR, details.echoing()))
    };
    let number = details.certificate_number.as_deref().unwrap_or_default();
    let found = match issued::find(&pulls.store, &pulls.config, number, Some(&details.doc_type)).await? {
        Ok(found) => found,
        Err(reason) => return not_found(reason),
    };
    // The holder is checked before anything is laid out or logged.
    let holder = Holder::of(&found.application, &found.document);
    if let Err(reason) = holder.check(details.full_name.as_deref(), details.dob.as_deref()) {
        return not_found(reason);
    }
    let prepared = match prepare(pulls, &found).await? {
        Ok(prepared) => prepared,
        Err(reason) => return not_found(reason),
    };
    let uri = DocumentUri::new(&pulls.config.issuer_id, &found.doc_type.code, &found.application.number);
    let format = Format::of(request.format.as_deref());
    let found_answer = PullUriDetails {
        issued_to: Some(holder.issued_to()),
        uri: Some(uri.to_string()),
        doc_content: format.wants_pdf().then(|| STANDARD.encode(&prepared.pdf)),
        data_content: Some(STANDARD.encode(messages::write(&metadata(pulls, &found, &holder, &prepared)))),
        ..details.echoing()
    };
    tracing::info!(uri = %uri, txn = request.txn, "DigiLocker pulled a certificate's URI");
    Ok(answer(ResponseStatus::SUCCESS, found_answer))
}

/// The document a kept URI names.
async fn answer_pull_doc(pulls: &Pulls, request: PullDocRequest) -> anyhow::Result<PullDocResponse> {
    let answer = |code, details| PullDocResponse {
        ns2: TEMPURI.into(),
        status: ResponseStatus::new(code, &request.ts, &request.txn),
        details,
    };
    let not_found = |reason| {
        not_served(reason, &request.txn);
        Ok(answer(ResponseStatus::ERROR, PullDocAnswer::default()))
    };
    let Some(uri) = DocumentUri::parse(&request.details.uri, &pulls.config.issuer_id) else {
        return not_found(Unserved::UnknownUri);
    };
    let found = match issued::find(&pulls.store, &pulls.config, &uri.doc_id, Some(&uri.doc_type)).await? {
        Ok(found) => found,
        Err(reason) => return not_found(reason),
    };
    let prepared = match prepare(pulls, &found).await? {
        Ok(prepared) => prepared,
        Err(reason) => return not_found(reason),
    };
    let holder = Holder::of(&found.application, &found.document);
    let format = Format::of(request.format.as_deref());
    let found_answer = PullDocAnswer {
        doc_content: format.wants_pdf().then(|| STANDARD.encode(&prepared.pdf)),
        data_content: Some(STANDARD.encode(messages::write(&metadata(pulls, &found, &holder, &prepared)))),
    };
    tracing::info!(uri = %uri, txn = request.txn, "DigiLocker pulled a certificate");
    Ok(answer(ResponseStatus::SUCCESS, found_answer))
}

/// `found`'s PDF, laid out by the issuer as for the chat (and logged now if
/// the chat has not sent it yet).
async fn prepare(pulls: &Pulls, found: &IssuedCertificate) -> anyhow::Result<Result<Prepared, Unserved>> {
    match pulls.issuer.prepare(&found.application.number).await {
        Ok(prepared) => Ok(Ok(prepared)),
        Err(IssueError::Missing(_)) => Ok(Err(Unserved::NotIssued)),
        Err(IssueError::Host(error)) => Err(error),
    }
}

/// `DataContent`: the certificate's metadata, its fields as printed
/// (identifiers masked) and the payload its QR code carries.
fn metadata(pulls: &Pulls, found: &IssuedCertificate, holder: &Holder, prepared: &Prepared) -> Certificate {
    let document = &found.document.document;
    let claims = crate::certificates::issuer::claims(&found.application, &found.document);
    let identifiers = document.holder.iter().flat_map(|h| &h.identifiers);
    let fields = identifiers
        .map(|i| Field { label: i.label.en.clone(), value: printed(&i.label, &i.value) })
        .chain(document.fields().map(|f| Field { label: f.label.en.clone(), value: printed(&f.label, &f.value.en) }))
        .collect();
    Certificate {
        name: document.title.en.clone(),
        doc_type: found.doc_type.code.clone(),
        number: found.application.number.clone(),
        issue_date: display_day(&claims.issued),
        expiry_date: claims.expires.as_deref().map(display_day),
        status: "A".into(),
        issued_by: IssuedBy {
            organization: Organization { name: found.document.department.en.clone(), kind: "SG".into() },
        },
        issued_to: holder.persons(),
        data: CertificateData {
            fields,
            signed: Signed {
                log_index: prepared.log_index,
                verify_at: pulls.issuer.verify_url(),
                payload: prepared.payload.clone(),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ts_is_read_with_its_offset_or_as_india_time() {
        let ist = stamped_at_ms("2026-12-03T10:15:00+05:30").unwrap();
        assert_eq!(stamped_at_ms("2026-12-03T04:45:00Z"), Some(ist));
        assert_eq!(stamped_at_ms(" 2026-12-03T10:15:00 "), Some(ist), "no offset: India's time");
        assert_eq!(stamped_at_ms("2026-12-03T10:15:00.250+05:30"), Some(ist + 250));
        for bad in ["", "1764737100", "03-12-2026 10:15:00", "2026-12-03", "2026-13-03T10:15:00+05:30"] {
            assert_eq!(stamped_at_ms(bad), None, "{bad}");
        }
    }
}
