//! "Save to DigiLocker": pushing a newly issued certificate's URI into a
//! citizen's DigiLocker, so it appears under Issued Documents without a
//! search. DigiLocker fetches the document itself later, through Pull Doc.
//!
//! The message is the push API's `PushUriRequest` (its `UriDetails`: the
//! URI, the document type and name, the dates, the action and whose locker
//! it is), posted as XML to the endpoint DigiLocker gives the issuer and
//! signed like every DigiLocker request: `x-digilocker-hmac` over the body,
//! and the older `keyhash` attribute (SHA-256 of the key and `ts`) that the
//! push API reads.
//!
//! The chat's "Save to DigiLocker" ([`super::pusher`]) names the locker by
//! the citizen's mobile number, the one thing Mitra knows that a DigiLocker
//! account is registered with (Mitra keeps no Aadhaar numbers, and the
//! citizen has not signed in to DigiLocker here).

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::issued;
use super::messages::{self, ResponseStatus, TEMPURI};
use super::signature::keyhash;
use super::uri::DocumentUri;
use super::{DigiLockerConfig, Unserved, signature};
use crate::certificates::verify::display_day;
use crate::store::Store;

/// The longest a push waits for DigiLocker.
const TIMEOUT: Duration = Duration::from_secs(20);
/// The largest answer read.
const MAX_ANSWER: u64 = 64 * 1024;

/// `<PushUriRequest ver ts txn orgId keyhash><UriDetails>…`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "PushUriRequest")]
pub struct PushUriRequest {
    #[serde(rename = "@xmlns:ns2", default)]
    pub ns2: String,
    #[serde(rename = "@ver", default)]
    pub ver: String,
    #[serde(rename = "@ts", default)]
    pub ts: String,
    #[serde(rename = "@txn", default)]
    pub txn: String,
    /// The issuer ID.
    #[serde(rename = "@orgId", default)]
    pub org_id: String,
    /// Hex SHA-256 of the key followed by `ts`.
    #[serde(rename = "@keyhash", default)]
    pub keyhash: String,
    #[serde(rename = "UriDetails")]
    pub details: UriDetails,
}

/// One document for one locker.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UriDetails {
    /// The owner by Aadhaar number, as the push API first defined it.
    #[serde(rename = "Aadhaar", default, skip_serializing_if = "Option::is_none")]
    pub aadhaar: Option<String>,
    /// The owner by DigiLocker account, as a citizen's consent through
    /// DigiLocker's sign-in gives it (Mitra keeps no Aadhaar numbers).
    #[serde(rename = "DigiLockerId", default, skip_serializing_if = "Option::is_none")]
    pub digilocker_id: Option<String>,
    /// The owner by the 10-digit mobile number their DigiLocker account is
    /// registered with: the WhatsApp number a certificate was sent to.
    /// Mitra's own element (the push API as published names Aadhaar only):
    /// to be agreed with DigiLocker when push access is granted.
    #[serde(rename = "Mobile", default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    #[serde(rename = "Uri")]
    pub uri: String,
    #[serde(rename = "DocType")]
    pub doc_type: String,
    /// The title DigiLocker lists, e.g. `Birth Certificate`.
    #[serde(rename = "DocName")]
    pub doc_name: String,
    #[serde(rename = "DocId")]
    pub doc_id: String,
    /// `DD-MM-YYYY`.
    #[serde(rename = "IssuedOn")]
    pub issued_on: String,
    #[serde(rename = "ValidFrom")]
    pub valid_from: String,
    #[serde(rename = "ValidTo", default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<String>,
    #[serde(rename = "Timestamp")]
    pub timestamp: String,
    /// `A` add, `U` update, `D` delete.
    #[serde(rename = "Action")]
    pub action: String,
}

/// `<PushUriResponse><ResponseStatus …>1</ResponseStatus>`, with a message
/// when DigiLocker refuses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "PushUriResponse")]
pub struct PushUriResponse {
    #[serde(rename = "@xmlns:ns2", default)]
    pub ns2: String,
    #[serde(rename = "ResponseStatus")]
    pub status: ResponseStatus,
    #[serde(rename = "ResponseMessage", default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Whose locker a document goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockerOwner {
    DigiLockerId(String),
    Aadhaar(String),
    /// A mobile number (see [`UriDetails::mobile`]).
    Mobile(String),
}

impl LockerOwner {
    /// The locker of the citizen writing from WhatsApp number `wa_id`: an
    /// Indian number (`91` and ten digits) as its ten digits, as DigiLocker
    /// accounts are registered; any other as it is.
    pub fn of_whatsapp(wa_id: &str) -> Self {
        let digits = wa_id.trim_start_matches('+');
        let national = match digits.strip_prefix("91") {
            Some(rest) if rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()) => rest,
            _ => digits,
        };
        LockerOwner::Mobile(national.to_owned())
    }
}

/// Where and how to push.
#[derive(Clone, Debug)]
pub struct PushConfig {
    /// DigiLocker's push endpoint (the stand-in's is
    /// [`super::stand_in::PUSH_PATH`]).
    pub endpoint: String,
    /// The key DigiLocker gave the issuer for pushing.
    pub secret: String,
}

/// Why a certificate was not pushed.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// Nothing Mitra may push under this number.
    #[error("certificate {0} cannot be pushed: {1}")]
    NotServed(String, Unserved),
    /// DigiLocker answered Status 0, or an HTTP status that asking again
    /// will not change (4xx).
    #[error("DigiLocker refused the push: {0}")]
    Refused(String),
    /// DigiLocker answered that it cannot take the push now (HTTP 5xx, 408
    /// or 429): worth trying again later.
    #[error("DigiLocker is unavailable: {0}")]
    Unavailable(String),
    /// DigiLocker could not be reached, or Mitra's database failed.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl PushError {
    /// Whether trying again cannot help: nothing Mitra may push, or
    /// DigiLocker read the push and declined it.
    pub fn is_final(&self) -> bool {
        matches!(self, PushError::NotServed(..) | PushError::Refused(_))
    }
}

/// Pushes certificates' URIs to DigiLocker.
#[derive(Clone)]
pub struct PushClient {
    agent: ureq::Agent,
    push: Arc<PushConfig>,
    issuer: Arc<DigiLockerConfig>,
    store: Store,
}

impl std::fmt::Debug for PushClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushClient").field("endpoint", &self.push.endpoint).finish()
    }
}

impl PushClient {
    pub fn new(push: PushConfig, issuer: DigiLockerConfig, store: Store) -> Self {
        let agent =
            ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(TIMEOUT)).build().into();
        Self { agent, push: Arc::new(push), issuer: Arc::new(issuer), store }
    }

    /// Pushes issued certificate `number` to `owner`'s locker and returns
    /// its URI, which DigiLocker then opens through Pull Doc.
    pub async fn push(&self, number: &str, owner: LockerOwner) -> Result<DocumentUri, PushError> {
        let found = match issued::find(&self.store, &self.issuer, number, None).await? {
            Ok(found) => found,
            Err(reason) => return Err(PushError::NotServed(number.to_owned(), reason)),
        };
        let claims = crate::certificates::issuer::claims(&found.application, &found.document);
        let uri = DocumentUri::new(&self.issuer.issuer_id, &found.doc_type.code, &found.application.number);
        let (ts, timestamp) = now();
        let (mut aadhaar, mut digilocker_id, mut mobile) = (None, None, None);
        match owner {
            LockerOwner::Aadhaar(number) => aadhaar = Some(number),
            LockerOwner::DigiLockerId(id) => digilocker_id = Some(id),
            LockerOwner::Mobile(number) => mobile = Some(number),
        }
        let issued_on = display_day(&claims.issued);
        let details = UriDetails {
            aadhaar,
            digilocker_id,
            mobile,
            uri: uri.to_string(),
            doc_type: found.doc_type.code.clone(),
            doc_name: found.document.document.title.en.clone(),
            doc_id: found.application.number.clone(),
            valid_from: issued_on.clone(),
            issued_on,
            valid_to: claims.expires.as_deref().map(display_day),
            timestamp,
            action: "A".into(),
        };
        let request = PushUriRequest {
            ns2: TEMPURI.into(),
            ver: "1.0".into(),
            keyhash: keyhash(&self.push.secret, &ts),
            ts,
            txn: txn(),
            org_id: self.issuer.issuer_id.clone(),
            details,
        };
        let answer = self.send(&request).await?;
        if answer.status.status != ResponseStatus::SUCCESS {
            return Err(PushError::Refused(
                answer.message.unwrap_or_else(|| format!("Status {}", answer.status.status)),
            ));
        }
        tracing::info!(uri = %uri, txn = request.txn, "pushed a certificate to DigiLocker");
        Ok(uri)
    }

    /// Posts `request`, signed, and reads DigiLocker's answer.
    pub async fn send(&self, request: &PushUriRequest) -> Result<PushUriResponse, PushError> {
        let body = messages::write(request);
        let hmac = signature::sign(&self.push.secret, body.as_bytes());
        let (agent, endpoint) = (self.agent.clone(), self.push.endpoint.clone());
        // ureq blocks: off the async workers.
        let (status, answer) = tokio::task::spawn_blocking(move || -> anyhow::Result<(u16, Vec<u8>)> {
            let mut response = agent
                .post(&endpoint)
                .header("content-type", "application/xml")
                .header(signature::HEADER, &hmac)
                .send(body.as_bytes())
                .map_err(|e| anyhow::anyhow!("posting to DigiLocker at {endpoint}: {e}"))?;
            let status = response.status().as_u16();
            let answer = response
                .body_mut()
                .with_config()
                .limit(MAX_ANSWER)
                .read_to_vec()
                .map_err(|e| anyhow::anyhow!("reading DigiLocker's answer: {e}"))?;
            Ok((status, answer))
        })
        .await
        .map_err(anyhow::Error::from)??;
        if status != 200 {
            let said = String::from_utf8_lossy(&answer);
            let said = format!("HTTP {status}: {}", said.chars().take(200).collect::<String>());
            return Err(match status {
                408 | 429 | 500.. => PushError::Unavailable(said),
                _ => PushError::Refused(said),
            });
        }
        messages::read(&answer, "PushUriResponse")
            .map_err(|e| PushError::Failed(anyhow::anyhow!("DigiLocker's answer is not a PushUriResponse: {e}")))
    }
}

/// `ts` as DigiLocker writes it (`2026-12-03T10:15:00+05:30`) and the
/// push's `Timestamp` (`03-12-2026 10:15:00`), now in India.
pub(super) fn now() -> (String, String) {
    let ms = crate::store::now_ms();
    let now = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(mitra_sdk::clock::IST);
    let (date, clock) = (now.date(), (now.hour(), now.minute(), now.second()));
    let (y, m, d) = (date.year(), u8::from(date.month()), date.day());
    let timestamp = format!("{d:02}-{m:02}-{y:04} {:02}:{:02}:{:02}", clock.0, clock.1, clock.2);
    (crate::chat::documents::rfc3339_at(ms, mitra_sdk::clock::IST), timestamp)
}

/// A transaction id nobody can predict.
pub(super) fn txn() -> String {
    use ring::rand::SecureRandom as _;
    let mut bytes = [0u8; 12];
    ring::rand::SystemRandom::new().fill(&mut bytes).expect("the system's random source");
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_request_round_trips_through_xml() {
        let request = PushUriRequest {
            ns2: TEMPURI.into(),
            ver: "1.0".into(),
            ts: "2026-12-03T10:15:00+05:30".into(),
            txn: "4f2a".into(),
            org_id: "in.gov.ap.mitra".into(),
            keyhash: keyhash("secret", "2026-12-03T10:15:00+05:30"),
            details: UriDetails {
                digilocker_id: Some("123e4567-e89b-12d3-a456-426655440000".into()),
                uri: "in.gov.ap.mitra-BTCER-MTR-1".into(),
                doc_type: "BTCER".into(),
                doc_name: "Birth Certificate".into(),
                doc_id: "MTR-1".into(),
                issued_on: "03-12-2026".into(),
                valid_from: "03-12-2026".into(),
                timestamp: "03-12-2026 10:15:00".into(),
                action: "A".into(),
                ..Default::default()
            },
        };
        let xml = messages::write(&request);
        assert!(xml.contains("<UriDetails><DigiLockerId>123e4567"), "{xml}");
        assert!(!xml.contains("<Aadhaar>") && !xml.contains("<ValidTo>"), "{xml}");
        assert_eq!(messages::read::<PushUriRequest>(xml.as_bytes(), "PushUriRequest").unwrap(), request);
    }

    #[test]
    fn a_whatsapp_number_names_the_locker_by_its_mobile_number() {
        let mobile = |wa: &str| match LockerOwner::of_whatsapp(wa) {
            LockerOwner::Mobile(m) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(mobile("919866600101"), "9866600101");
        assert_eq!(mobile("+919866600101"), "9866600101");
        assert_eq!(mobile("447700900123"), "447700900123");
        assert_eq!(mobile("91986660010"), "91986660010");
    }

    #[test]
    fn only_what_asking_again_cannot_change_is_final() {
        assert!(PushError::NotServed("MTR-1".into(), Unserved::Revoked).is_final());
        assert!(PushError::Refused("Status 0".into()).is_final());
        assert!(!PushError::Unavailable("HTTP 503".into()).is_final());
        assert!(!PushError::Failed(anyhow::anyhow!("connection refused")).is_final());
    }

    #[test]
    fn timestamps_are_written_in_india_time() {
        let (ts, timestamp) = now();
        assert!(ts.ends_with("+05:30") && ts.len() == 25, "{ts}");
        assert_eq!(timestamp.len(), 19, "{timestamp}");
        assert_eq!(&ts[..4], &timestamp[6..10]);
    }
}
