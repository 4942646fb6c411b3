//! Fees paid by UPI inside the chat.
//!
//! A service with a fee asks for payment after the department's eligibility
//! check and before its fulfilment: the chat sends a UPI intent link, the same
//! as a QR image, and the gateway's hosted page ([`upi`]). The order is
//! stored with the turn that made it; the amount is the plugin's.
//!
//! Only the gateway's signed callback confirms a payment ([`gateway`]). The
//! route checks the signature, the order and the amount, audits every
//! callback (kept or refused), and stores a captured payment as an inbound
//! event for the citizen (`payment.<order id>`) through the same writer as
//! WhatsApp's messages: the worker hands it to the conversation, which
//! fulfils the application and marks the order paid in one transaction. The
//! same callback delivered five times is one event (the inbound id is the
//! order's); a host killed between the callback and the fulfilment handles
//! the stored event after its restart, once.

pub mod gateway;
pub mod reconcile;
pub mod stand_in;
pub mod upi;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::store::{InboundRecord, PaymentRecord, Store, Writer, now_ms};
use crate::telemetry::{ReasonLabel, metrics};
use gateway::{Callback, Outcome};

/// The inbound message kind of a payment event.
pub const EVENT_KIND: &str = "mitra_payment";

/// How a deployment collects fees.
#[derive(Clone, Debug)]
pub struct PaymentsConfig {
    /// The collection account's UPI address (`pa`).
    pub payee_address: String,
    /// The payee's name UPI apps show (`pn`).
    pub payee_name: String,
    /// The merchant secret the gateway signs callbacks with.
    pub gateway_secret: String,
    /// The gateway's hosted payment page: `{pay_url}/{order id}`.
    pub pay_url: String,
    /// How long a payment link may be used.
    pub link_valid: Duration,
    /// The gateway's merchant API (the status query and refunds); without
    /// it, nothing is asked or refunded (orders due back wait, marked).
    pub api: Option<gateway::GatewayApi>,
    /// How often and how soon the status query and refunds run.
    pub reconcile: reconcile::ReconcileConfig,
    /// The payment configuration registered for the business number in
    /// WhatsApp Manager: when set, the chat also sends WhatsApp's India
    /// payments `order_details` message (Review and pay, in the chat).
    pub whatsapp_configuration: Option<String>,
}

impl PaymentsConfig {
    /// The intent for `order`.
    pub fn intent<'a>(&'a self, order: &'a PaymentRecord, note: &'a str) -> upi::Intent<'a> {
        upi::Intent {
            payee_address: &self.payee_address,
            payee_name: &self.payee_name,
            amount_paise: order.amount_paise,
            reference: &order.order_id,
            note,
        }
    }

    /// The gateway's page for `order_id`.
    pub fn page(&self, order_id: &str) -> String {
        format!("{}/{order_id}", self.pay_url.trim_end_matches('/'))
    }
}

/// `MTRP-YYMMDD-XXXXXXXX` from the message that submitted the service: the
/// same message handled twice (after a crash) makes the same order.
pub fn order_id(message_id: &str) -> String {
    let number = crate::chat::engine::application_number(message_id);
    number.replacen("MTR-", "MTRP-", 1)
}

/// What the conversation is told of a callback.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentEvent {
    pub order_id: String,
    pub payment_id: String,
    pub amount_paise: u64,
    /// The money was taken (otherwise the attempt failed).
    pub captured: bool,
    #[serde(default)]
    pub reason: Option<String>,
}

/// The inbound id of `order_id`'s captured payment. One event per order: a
/// captured payment is fulfilled once, however often (or late) its callback
/// comes, or the status query finds it too.
pub fn captured_event_id(order_id: &str) -> String {
    format!("payment.{order_id}")
}

/// `payment` of `order` as the citizen's inbound event `event_id`.
pub fn event(order: &PaymentRecord, payment: &gateway::Payment, event_id: String, captured: bool) -> InboundRecord {
    let event = PaymentEvent {
        order_id: order.order_id.clone(),
        payment_id: payment.id.clone(),
        amount_paise: payment.amount,
        captured,
        reason: payment.error_description.clone(),
    };
    InboundRecord {
        wamid: event_id,
        phone_number_id: order.phone_number_id.clone(),
        wa_id: order.wa_id.clone(),
        profile_name: None,
        kind: EVENT_KIND.into(),
        payload: serde_json::to_string(&event).unwrap_or_default(),
        // Not the citizen's message: it does not open the 24-hour window.
        sent_at: 0,
        received_at_ms: now_ms(),
    }
}

/// Whether `payment` pays `order` in full: its amount, in rupees.
pub fn pays(order: &PaymentRecord, payment: &gateway::Payment) -> bool {
    payment.amount == order.amount_paise && payment.currency == "INR"
}

#[derive(Clone)]
struct CallbackState {
    store: Store,
    writer: Writer,
    config: Arc<PaymentsConfig>,
}

/// `POST /payments/callback`: the gateway's webhooks.
pub fn router(store: Store, writer: Writer, config: Arc<PaymentsConfig>) -> Router {
    Router::new().route("/payments/callback", post(callback)).with_state(CallbackState { store, writer, config })
}

/// A refusal: logged, counted, and (when the body was the gateway's)
/// audited.
fn refused(status: StatusCode, reason: &'static str, detail: String) -> Response {
    tracing::warn!(reason, detail, "payment callback refused");
    metrics().payment_callbacks_refused.get_or_create(&ReasonLabel { reason }).inc();
    (status, Json(json!({ "error": reason, "detail": detail }))).into_response()
}

async fn callback(State(state): State<CallbackState>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers.get(gateway::SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !gateway::signed(&state.config.gateway_secret, &body, signature) {
        // Not the gateway's: nothing of it is kept (anyone can post bytes).
        return refused(StatusCode::UNAUTHORIZED, "forged", "the signature is not the gateway's".into());
    }
    let sha = hex::encode(Sha256::digest(&body));
    let audit = |order: Option<String>, outcome: &'static str, detail: String| {
        let (store, sha) = (state.store.clone(), sha.clone());
        async move { store.record_payment_callback(&sha, order.as_deref(), outcome, &detail).await }
    };
    let callback: Callback = match serde_json::from_slice(&body) {
        Ok(callback) => callback,
        Err(e) => {
            let _ = audit(None, "malformed", e.to_string()).await;
            return refused(StatusCode::BAD_REQUEST, "malformed", e.to_string());
        }
    };
    let payment = &callback.payload.payment.entity;
    let order = match state.store.payment(&payment.order_id).await {
        Ok(order) => order,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "reading a payment order failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let Some(order) = order else {
        let detail = format!("no order {:?}", payment.order_id);
        let _ = audit(Some(payment.order_id.clone()), "unknown-order", detail.clone()).await;
        return refused(StatusCode::BAD_REQUEST, "unknown-order", detail);
    };
    if !pays(&order, payment) {
        let detail = format!(
            "{} {} paid for order {} of {} INR paise",
            payment.amount, payment.currency, order.order_id, order.amount_paise
        );
        let _ = audit(Some(order.order_id.clone()), "wrong-amount", detail.clone()).await;
        return refused(StatusCode::BAD_REQUEST, "wrong-amount", detail);
    }
    let outcome = callback.outcome();
    let event_id = match outcome {
        Outcome::Captured => captured_event_id(&order.order_id),
        Outcome::Failed => format!("payment.{}.failed.{}", order.order_id, payment.id),
        Outcome::Other => {
            let _ = audit(Some(order.order_id.clone()), "accepted", format!("{} (not acted on)", callback.event)).await;
            return Json(json!({ "status": "ignored" })).into_response();
        }
    };
    let inbound = event(&order, payment, event_id, outcome == Outcome::Captured);
    if let Err(e) = state.writer.webhook(vec![inbound], Vec::new()).await {
        // The gateway retries a callback that was not answered 2xx.
        tracing::error!(error = format!("{e:#}"), order = order.order_id, "storing a payment event failed");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let first = audit(Some(order.order_id.clone()), "accepted", callback.event.clone()).await.unwrap_or(true);
    tracing::info!(
        order = order.order_id,
        payment = payment.id,
        event = callback.event,
        first,
        "payment callback kept"
    );
    Json(json!({ "status": if first { "accepted" } else { "duplicate" } })).into_response()
}
