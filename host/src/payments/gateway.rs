//! The payment gateway's callbacks, in the style the common Indian gateways
//! share: a JSON event (`payment.captured`, `payment.failed`, …) whose
//! `payload.payment.entity` names the merchant's order, the amount in paise
//! and the currency, signed with HMAC-SHA256 over the raw body with the
//! merchant's webhook secret, the hex digest in a header.
//!
//! [`GatewayApi`] is the merchant API of the same gateways: an order's
//! payments (the status query, when no callback comes) and a payment's
//! refunds, with HTTP Basic auth of the merchant's key id and key secret.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use hmac::Mac as _;
use serde::{Deserialize, Serialize};

use crate::channel::webhook::body_mac;

/// The header carrying the hex HMAC-SHA256 of the body.
pub const SIGNATURE_HEADER: &str = "x-gateway-signature";

/// Signs `body` as the gateway does (the stand-in and tests use it).
pub fn sign(secret: &str, body: &[u8]) -> String {
    hex::encode(body_mac(secret, body).finalize().into_bytes())
}

/// Whether `signature` (hex) is the body's, compared in constant time.
pub fn signed(secret: &str, body: &[u8], signature: &str) -> bool {
    let Ok(given) = hex::decode(signature.trim()) else { return false };
    body_mac(secret, body).verify_slice(&given).is_ok()
}

/// A callback as the gateway posts it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Callback {
    pub event: String,
    /// Unix seconds.
    #[serde(default)]
    pub created_at: i64,
    pub payload: CallbackPayload,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallbackPayload {
    pub payment: Wrapped<Payment>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Wrapped<T> {
    pub entity: T,
}

/// The payment a callback is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    /// The gateway's payment id.
    pub id: String,
    /// The merchant's order: the host's order id.
    pub order_id: String,
    /// In paise.
    pub amount: u64,
    pub currency: String,
    /// `captured`, `failed`, …
    pub status: String,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub error_description: Option<String>,
}

/// What a callback says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The money was taken.
    Captured,
    /// The attempt failed (the citizen may try again).
    Failed,
    /// Anything else (authorised, refunds, disputes): acknowledged, not acted on.
    Other,
}

impl Callback {
    pub fn outcome(&self) -> Outcome {
        match (self.event.as_str(), self.payload.payment.entity.status.as_str()) {
            ("payment.captured", "captured") => Outcome::Captured,
            ("payment.failed", _) => Outcome::Failed,
            _ => Outcome::Other,
        }
    }

    /// A `payment.captured` callback for `order_id` (the stand-in and tests).
    pub fn captured(order_id: &str, payment_id: &str, amount_paise: u64) -> Self {
        Callback {
            event: "payment.captured".into(),
            created_at: crate::store::now_ms() / 1000,
            payload: CallbackPayload {
                payment: Wrapped {
                    entity: Payment {
                        id: payment_id.into(),
                        order_id: order_id.into(),
                        amount: amount_paise,
                        currency: "INR".into(),
                        status: "captured".into(),
                        method: Some("upi".into()),
                        error_description: None,
                    },
                },
            },
        }
    }
}

/// A list as the gateway's API answers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Collection<T> {
    #[serde(default)]
    pub count: usize,
    pub items: Vec<T>,
}

impl<T> From<Vec<T>> for Collection<T> {
    fn from(items: Vec<T>) -> Self {
        Collection { count: items.len(), items }
    }
}

/// A refund of (part of) a payment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refund {
    /// The gateway's refund id.
    pub id: String,
    pub payment_id: String,
    /// In paise.
    pub amount: u64,
    pub currency: String,
    /// `pending`, `processed` or `failed`.
    pub status: String,
    /// The merchant's reference: the host's order id.
    #[serde(default)]
    pub receipt: Option<String>,
}

/// What the host asks the gateway to pay back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefundRequest {
    /// In paise.
    pub amount: u64,
    /// The host's order id: the refund's reference in the gateway's reports.
    pub receipt: String,
    #[serde(default)]
    pub notes: BTreeMap<String, String>,
}

/// The gateway's error body: `{"error": {"code": …, "description": …}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorDetail {
    pub code: String,
    pub description: String,
}

/// Why a call to the gateway's API did not give an answer.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the gateway could not be reached: {0}")]
    Unreachable(String),
    #[error("the gateway answered {status}: {detail}")]
    Refused { status: u16, detail: String },
    #[error("the gateway's answer could not be read: {0}")]
    Unreadable(String),
    #[error("{0:?} cannot be part of a gateway URL")]
    BadId(String),
}

/// The gateway's merchant API.
#[derive(Clone, Debug)]
pub struct GatewayApi {
    /// E.g. `https://api.gateway.example/v1` (the stand-in's `/_fake_gateway/v1`).
    pub base_url: String,
    pub key_id: String,
    pub key_secret: String,
    /// Each call's limit, connection and answer included.
    pub timeout: Duration,
}

/// An id the gateway gave or the host made, as a URL path segment: ids are
/// letters, digits, `_`, `-` and `.`, so nothing needs escaping and nothing
/// else is let through.
fn segment(id: &str) -> Result<&str, ApiError> {
    let plain = !id.is_empty()
        && id.len() <= 64
        && id != "."
        && id != ".."
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if plain { Ok(id) } else { Err(ApiError::BadId(id.to_owned())) }
}

impl GatewayApi {
    /// Every payment attempt of `order_id`, newest first as the gateway lists them.
    pub async fn payments_of(&self, order_id: &str) -> Result<Vec<Payment>, ApiError> {
        let path = format!("/orders/{}/payments", segment(order_id)?);
        let list: Collection<Payment> = self.call("GET", path, None).await?;
        Ok(list.items)
    }

    /// The refunds already made of `payment_id`.
    pub async fn refunds_of(&self, payment_id: &str) -> Result<Vec<Refund>, ApiError> {
        let path = format!("/payments/{}/refunds", segment(payment_id)?);
        let list: Collection<Refund> = self.call("GET", path, None).await?;
        Ok(list.items)
    }

    /// Refunds `request.amount` of `payment_id`.
    pub async fn refund(&self, payment_id: &str, request: &RefundRequest) -> Result<Refund, ApiError> {
        let path = format!("/payments/{}/refund", segment(payment_id)?);
        let body = serde_json::to_vec(request).map_err(|e| ApiError::Unreadable(e.to_string()))?;
        self.call("POST", path, Some(body)).await
    }

    async fn call<T: serde::de::DeserializeOwned + Send + 'static>(
        &self,
        method: &'static str,
        path: String,
        body: Option<Vec<u8>>,
    ) -> Result<T, ApiError> {
        let url = format!("{}{path}", self.base_url.trim_end_matches('/'));
        let credentials =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", self.key_id, self.key_secret));
        let timeout = self.timeout;
        let answered = tokio::task::spawn_blocking(move || {
            let agent: ureq::Agent =
                ureq::Agent::config_builder().timeout_global(Some(timeout)).http_status_as_error(false).build().into();
            let auth = format!("Basic {credentials}");
            let answer = match body {
                Some(body) => agent
                    .post(&url)
                    .header("authorization", &auth)
                    .header("content-type", "application/json")
                    .send(&body[..]),
                None if method == "GET" => agent.get(&url).header("authorization", &auth).call(),
                None => agent.post(&url).header("authorization", &auth).send_empty(),
            };
            let mut answer = answer.map_err(|e| ApiError::Unreachable(e.to_string()))?;
            let status = answer.status().as_u16();
            let text = answer
                .body_mut()
                .with_config()
                .limit(1 << 20)
                .read_to_string()
                .map_err(|e| ApiError::Unreachable(e.to_string()))?;
            Ok::<_, ApiError>((status, text))
        })
        .await
        .map_err(|e| ApiError::Unreachable(e.to_string()))?;
        let (status, text) = answered?;
        if !(200..300).contains(&status) {
            let detail = serde_json::from_str::<ApiErrorBody>(&text)
                .map(|e| format!("{}: {}", e.error.code, e.error.description))
                .unwrap_or_else(|_| text.chars().take(200).collect());
            return Err(ApiError::Refused { status, detail });
        }
        serde_json::from_str(&text).map_err(|e| ApiError::Unreadable(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_the_body_s_with_the_secret_and_nothing_else() {
        let body = br#"{"event":"payment.captured"}"#;
        let signature = sign("merchant-secret", body);
        assert!(signed("merchant-secret", body, &signature));
        assert!(signed("merchant-secret", body, &signature.to_uppercase()), "hex in either case");
        assert!(!signed("another-secret", body, &signature));
        assert!(!signed("merchant-secret", br#"{"event":"payment.captured" }"#, &signature));
        assert!(!signed("merchant-secret", body, "not hex"));
        assert!(!signed("merchant-secret", body, ""));
    }

    #[test]
    fn a_gateway_s_callback_reads_as_its_outcome() {
        let captured = r#"{"entity":"event","account_id":"acc_1","event":"payment.captured","contains":["payment"],
            "payload":{"payment":{"entity":{"id":"pay_29QQoUBi66xm2f","entity":"payment","amount":5000,
            "currency":"INR","status":"captured","order_id":"MTRP-261204-AB12CD34","method":"upi",
            "vpa":"lakshmi@okaxis","captured":true}}},"created_at":1733300000}"#;
        let callback: Callback = serde_json::from_str(captured).unwrap();
        assert_eq!(callback.outcome(), Outcome::Captured);
        assert_eq!(callback.payload.payment.entity.amount, 5000);
        let failed = captured.replace("payment.captured", "payment.failed").replace("\"captured\",", "\"failed\",");
        assert_eq!(serde_json::from_str::<Callback>(&failed).unwrap().outcome(), Outcome::Failed);
    }

    #[test]
    fn only_plain_ids_become_url_segments() {
        assert_eq!(segment("MTRP-261204-AB12CD34").unwrap(), "MTRP-261204-AB12CD34");
        assert_eq!(segment("pay_29QQoUBi66xm2f").unwrap(), "pay_29QQoUBi66xm2f");
        for bad in ["", ".", "..", "a/b", "a?b", "a#b", "a b", "%2e%2e", "pay_1\n", &"x".repeat(65)] {
            assert!(segment(bad).is_err(), "{bad:?} let through");
        }
    }

    #[test]
    fn a_gateway_s_refund_and_lists_read() {
        let refund = r#"{"id":"rfnd_FP8QHiV938haTz","entity":"refund","amount":5000,"receipt":"MTRP-261204-AB12CD34",
            "currency":"INR","payment_id":"pay_29QQoUBi66xm2f","notes":[],"acquirer_data":{"arn":null},
            "created_at":1597078866,"batch_id":null,"status":"processed","speed_processed":"normal"}"#;
        let refund: Refund = serde_json::from_str(refund).unwrap();
        assert_eq!((refund.amount, refund.status.as_str()), (5000, "processed"));
        let list =
            format!(r#"{{"entity":"collection","count":1,"items":[{}]}}"#, serde_json::to_string(&refund).unwrap());
        assert_eq!(serde_json::from_str::<Collection<Refund>>(&list).unwrap().items, vec![refund]);
    }
}
