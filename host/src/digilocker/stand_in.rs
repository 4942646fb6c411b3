//! A local stand-in for DigiLocker, for tests, demos and `mitra serve`
//! without a push endpoint (mounted at `/_fake_digilocker`): it takes
//! pushed URIs as DigiLocker's push API does (the HMAC and `keyhash`
//! checked), keeps them as a citizen's Issued Documents, and opens a kept
//! document by calling the issuer's Pull Doc API back, signed as DigiLocker
//! signs. It can be told to answer the next pushes 503, as DigiLocker does
//! while it is down.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::messages::{self, PullDocDetails, PullDocRequest, PullDocResponse, ResponseStatus, TEMPURI};
use super::push::{PushUriRequest, PushUriResponse, UriDetails, now, txn};
use super::signature::{self, keyhash};

/// Where the stand-in takes pushes, under wherever it is mounted.
pub const PUSH_PATH: &str = "/public/issuer/api/issuedoc/1/xml";

/// The largest push read.
const MAX_PUSH: usize = 64 * 1024;
/// The largest Pull Doc answer read (a certificate PDF, base64).
const MAX_DOCUMENT: u64 = 32 * 1024 * 1024;

/// The stand-in's accounts and what it was pushed.
pub struct StandIn {
    /// Checks pushes: the key DigiLocker gave the issuer.
    push_secret: String,
    /// Signs Pull Doc requests: the key the issuer set in the Partner Portal.
    pull_secret: String,
    /// The issuer's `/digilocker/pulldoc`.
    pull_doc_url: String,
    pushed: Mutex<Vec<UriDetails>>,
    /// Pushes answered 503 before the next is taken.
    down_for: AtomicU64,
    /// Pushes that reached it, taken or not.
    received: AtomicU64,
    agent: ureq::Agent,
}

impl std::fmt::Debug for StandIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StandIn").field("pull_doc_url", &self.pull_doc_url).finish()
    }
}

/// A document the stand-in pulled from the issuer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pulled {
    /// `ResponseStatus`: 1 with the document, 0 without.
    pub status: u8,
    /// The PDF.
    pub pdf: Option<Vec<u8>>,
    /// The certificate metadata (XML).
    pub data: Option<Vec<u8>>,
}

impl StandIn {
    pub fn new(push_secret: &str, pull_secret: &str, pull_doc_url: &str) -> Arc<Self> {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Arc::new(Self {
            push_secret: push_secret.to_owned(),
            pull_secret: pull_secret.to_owned(),
            pull_doc_url: pull_doc_url.to_owned(),
            pushed: Mutex::new(Vec::new()),
            down_for: AtomicU64::new(0),
            received: AtomicU64::new(0),
            agent,
        })
    }

    /// Every URI pushed, oldest first.
    pub fn pushed(&self) -> Vec<UriDetails> {
        self.pushed.lock().expect("not poisoned").clone()
    }

    /// Every push that reached the stand-in, taken or not.
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::SeqCst)
    }

    /// Answers the next `pushes` pushes 503 (`u64::MAX`: until told
    /// otherwise; 0: up again).
    pub fn go_down_for(&self, pushes: u64) {
        self.down_for.store(pushes, Ordering::SeqCst);
    }

    /// Opens a kept document as DigiLocker does when a citizen taps it: a
    /// signed Pull Doc request for `uri` from `digilocker_id`'s account.
    pub async fn pull_doc(self: &Arc<Self>, uri: &str, digilocker_id: &str) -> anyhow::Result<Pulled> {
        let ts = now().0;
        let request = PullDocRequest {
            ver: "1.0".into(),
            keyhash: keyhash(&self.pull_secret, &ts),
            ts,
            txn: txn(),
            org_id: "digilocker-stand-in".into(),
            format: Some("both".into()),
            details: PullDocDetails { uri: uri.to_owned(), digilocker_id: Some(digilocker_id.to_owned()) },
        };
        let body = messages::write(&request);
        let hmac = signature::sign(&self.pull_secret, body.as_bytes());
        let this = self.clone();
        let (status, answer) = tokio::task::spawn_blocking(move || -> anyhow::Result<(u16, Vec<u8>)> {
            let mut response = this
                .agent
                .post(&this.pull_doc_url)
                .header("content-type", "application/xml")
                .header(signature::HEADER, &hmac)
                .send(body.as_bytes())?;
            let status = response.status().as_u16();
            Ok((status, response.body_mut().with_config().limit(MAX_DOCUMENT).read_to_vec()?))
        })
        .await??;
        anyhow::ensure!(status == 200, "the issuer answered HTTP {status}: {}", String::from_utf8_lossy(&answer));
        let answer: PullDocResponse = messages::read(&answer, "PullDocResponse")?;
        let decode = |content: Option<String>| content.map(|c| STANDARD.decode(c.trim())).transpose();
        Ok(Pulled {
            status: answer.status.status,
            pdf: decode(answer.details.doc_content)?,
            data: decode(answer.details.data_content)?,
        })
    }
}

/// `POST` [`PUSH_PATH`].
pub fn router(stand_in: Arc<StandIn>) -> Router {
    Router::new().route(PUSH_PATH, post(take_push)).with_state(stand_in)
}

async fn take_push(State(stand_in): State<Arc<StandIn>>, headers: HeaderMap, body: Bytes) -> Response {
    if body.len() > MAX_PUSH {
        return (StatusCode::PAYLOAD_TOO_LARGE, "too large").into_response();
    }
    stand_in.received.fetch_add(1, Ordering::SeqCst);
    let down = stand_in.down_for.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| left.checked_sub(1));
    if down.is_ok() {
        return (StatusCode::SERVICE_UNAVAILABLE, "DigiLocker is down for maintenance").into_response();
    }
    let given = headers.get(signature::HEADER).and_then(|v| v.to_str().ok());
    if !signature::verify(&stand_in.push_secret, &body, given) {
        return (StatusCode::UNAUTHORIZED, "x-digilocker-hmac does not match the body").into_response();
    }
    let request: PushUriRequest = match messages::read(&body, "PushUriRequest") {
        Ok(request) => request,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    let details = &request.details;
    let refusal = if request.keyhash != keyhash(&stand_in.push_secret, &request.ts) {
        Some("keyhash does not match")
    } else if details.aadhaar.is_none() && details.digilocker_id.is_none() && details.mobile.is_none() {
        Some("no locker named (Aadhaar, DigiLockerId or Mobile)")
    } else if details.uri.is_empty() || details.doc_type.is_empty() || details.doc_id.is_empty() {
        Some("Uri, DocType and DocId are required")
    } else {
        None
    };
    let code = if refusal.is_none() { ResponseStatus::SUCCESS } else { ResponseStatus::ERROR };
    if refusal.is_none() {
        stand_in.pushed.lock().expect("not poisoned").push(details.clone());
    }
    let answer = PushUriResponse {
        ns2: TEMPURI.into(),
        status: ResponseStatus::new(code, &request.ts, &request.txn),
        message: refusal.map(str::to_owned),
    };
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], messages::write(&answer)).into_response()
}

#[cfg(test)]
mod tests {
    use super::super::push::{LockerOwner, PushClient, PushConfig, PushError};
    use super::super::{DigiLockerConfig, Unserved};
    use super::*;

    async fn serve(router: Router) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        url
    }

    async fn client(endpoint: String, secret: &str) -> PushClient {
        let store = crate::store::Store::connect("sqlite::memory:").await.unwrap();
        let config = DigiLockerConfig { issuer_id: "in.gov.ap.mitra".into(), secret: "pull".into(), doc_types: vec![] };
        PushClient::new(PushConfig { endpoint, secret: secret.into() }, config, store)
    }

    fn request(secret: &str) -> PushUriRequest {
        let ts = "2026-12-03T10:15:00+05:30";
        PushUriRequest {
            ns2: TEMPURI.into(),
            ver: "1.0".into(),
            ts: ts.into(),
            txn: "1".into(),
            org_id: "in.gov.ap.mitra".into(),
            keyhash: keyhash(secret, ts),
            details: UriDetails {
                digilocker_id: Some("d".into()),
                uri: "in.gov.ap.mitra-BTCER-MTR-1".into(),
                doc_type: "BTCER".into(),
                doc_name: "Birth Certificate".into(),
                doc_id: "MTR-1".into(),
                action: "A".into(),
                ..Default::default()
            },
        }
    }

    #[tokio::test]
    async fn the_stand_in_keeps_a_signed_push_and_refuses_one_signed_with_another_key() {
        let stand_in = StandIn::new("push-key", "pull-key", "http://127.0.0.1:9/digilocker/pulldoc");
        let url = serve(router(stand_in.clone())).await;
        let good = client(format!("{url}{PUSH_PATH}"), "push-key").await;
        let answer = good.send(&request("push-key")).await.unwrap();
        assert_eq!(answer.status.status, ResponseStatus::SUCCESS);
        assert_eq!(
            stand_in.pushed().iter().map(|d| d.uri.as_str()).collect::<Vec<_>>(),
            ["in.gov.ap.mitra-BTCER-MTR-1"]
        );

        let forged = client(format!("{url}{PUSH_PATH}"), "other-key").await;
        let refused = forged.send(&request("other-key")).await.unwrap_err();
        assert!(matches!(&refused, PushError::Refused(said) if said.contains("401")), "{refused}");
        assert_eq!(stand_in.pushed().len(), 1);
    }

    #[tokio::test]
    async fn a_push_without_a_locker_or_with_a_wrong_keyhash_gets_status_0() {
        let stand_in = StandIn::new("push-key", "pull-key", "http://127.0.0.1:9/digilocker/pulldoc");
        let url = serve(router(stand_in.clone())).await;
        let client = client(format!("{url}{PUSH_PATH}"), "push-key").await;
        let mut nobodys = request("push-key");
        nobodys.details.digilocker_id = None;
        let answer = client.send(&nobodys).await.unwrap();
        assert_eq!(answer.status.status, ResponseStatus::ERROR);
        assert!(answer.message.unwrap().contains("no locker"));
        let mut stale = request("push-key");
        stale.keyhash = keyhash("push-key", "another time");
        assert_eq!(client.send(&stale).await.unwrap().status.status, ResponseStatus::ERROR);
        assert!(stand_in.pushed().is_empty());
    }

    #[tokio::test]
    async fn a_stand_in_told_to_go_down_answers_503_then_takes_pushes_again() {
        let stand_in = StandIn::new("push-key", "pull-key", "http://127.0.0.1:9/digilocker/pulldoc");
        let url = serve(router(stand_in.clone())).await;
        let client = client(format!("{url}{PUSH_PATH}"), "push-key").await;
        stand_in.go_down_for(2);
        for _ in 0..2 {
            let error = client.send(&request("push-key")).await.unwrap_err();
            assert!(matches!(&error, PushError::Unavailable(said) if said.contains("503")), "{error}");
        }
        assert_eq!(client.send(&request("push-key")).await.unwrap().status.status, ResponseStatus::SUCCESS);
        assert_eq!((stand_in.received(), stand_in.pushed().len()), (3, 1));
    }

    #[tokio::test]
    async fn a_certificate_that_was_never_issued_is_not_pushed() {
        let client = client("http://127.0.0.1:9/never-called".into(), "push-key").await;
        let owner = LockerOwner::DigiLockerId("d".into());
        let error = client.push("MTR-261203-NOSUCHNO", owner).await.unwrap_err();
        assert!(matches!(error, PushError::NotServed(_, Unserved::NoSuchCertificate)), "{error}");
    }
}
