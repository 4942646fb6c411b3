//! The payment gateway's callbacks, in the style the common Indian gateways
//! share: a JSON event (`payment.captured`, `payment.failed`, …) whose
//! `payload.payment.entity` names the merchant's order, the amount in paise
//! and the currency, signed with HMAC-SHA256 over the raw body with the
//! merchant's webhook secret, the hex digest in a header.

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
}
