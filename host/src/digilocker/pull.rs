//! The two endpoints DigiLocker calls: Pull URI and Pull Doc.
//!
//! Each request is checked in the specification's order: the body's HMAC
//! first (401 when it is missing or wrong), then the XML (400 when it is
//! not a well-formed message of the endpoint's kind). A signed, readable
//! request is always answered 200 with a `ResponseStatus`: 1 with the
//! document, or 0 without anything of any certificate.

use std::sync::Arc;

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
    PullDocResponse, PullUriAnswer, PullUriRequest, PullUriResponse, ResponseStatus, Signed, TEMPURI,
};
use super::uri::DocumentUri;
use super::{DigiLockerConfig, Unserved, refusals, signature, unserved};
use crate::certificates::issuer::{IssueError, Issuer, Prepared, printed};
use crate::certificates::verify::display_day;
use crate::store::Store;
use crate::telemetry::ReasonLabel;

/// The largest request read. DigiLocker's are a few hundred bytes, or tens
/// of kilobytes with the Aadhaar photo a Pull URI may carry.
pub const MAX_BODY: usize = 1024 * 1024;

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
    match answer_pull_uri(&pulls, request).await {
        Ok(answer) => xml(messages::write(&answer)),
        Err(error) => unavailable(error),
    }
}

async fn pull_doc(State(pulls): State<Pulls>, headers: HeaderMap, body: Body) -> Response {
    let request: PullDocRequest = match signed_message(&pulls, &headers, body, "PullDocRequest").await {
        Ok(request) => request,
        Err(refusal) => return refusal,
    };
    match answer_pull_doc(&pulls, request).await {
        Ok(answer) => xml(messages::write(&answer)),
        Err(error) => unavailable(error),
    }
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
        Ok(answer(ResponseStatus::ERROR, PullUriAnswer::echoing(details)))
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
    let found_answer = PullUriAnswer {
        issued_to: Some(holder.issued_to()),
        uri: Some(uri.to_string()),
        doc_content: format.wants_pdf().then(|| STANDARD.encode(&prepared.pdf)),
        data_content: Some(STANDARD.encode(messages::write(&metadata(pulls, &found, &holder, &prepared)))),
        ..PullUriAnswer::echoing(details)
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
