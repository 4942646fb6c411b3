//! A local stand-in for the payment gateway, for tests, demos and
//! `mitra serve` without a merchant account: its hosted payment page (the
//! order, its amount, **Pay** and **Fail** buttons) posts the gateway's
//! signed callback to the host exactly as a real gateway would. It also
//! answers the merchant API the host uses ([`super::gateway::GatewayApi`]):
//! an order's payments and a payment's refunds, keeping what was paid and
//! refunded in memory (a stand-in restarted forgets them). Every URL it uses
//! is configurable.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::json;

use super::gateway::{self, ApiErrorBody, ApiErrorDetail, Callback, Collection, Payment, Refund, RefundRequest};
use crate::store::Store;

/// What the stand-in needs: the orders (a real gateway knows them from the
/// merchant's order API), where to post callbacks, the merchant secret and
/// the API key.
#[derive(Debug)]
pub struct StandIn {
    pub store: Store,
    /// The host's `/payments/callback`.
    pub callback_url: String,
    pub secret: String,
    pub key_id: String,
    pub key_secret: String,
    ledger: Mutex<Ledger>,
    /// While set, the merchant API answers 503 (tests of the host's retries).
    api_down: AtomicBool,
}

#[derive(Debug, Default)]
struct Ledger {
    /// Every attempt per order, newest first.
    payments: HashMap<String, Vec<Payment>>,
    refunds: HashMap<String, Vec<Refund>>,
}

impl StandIn {
    pub fn new(store: Store, callback_url: String, secret: String, key_id: String, key_secret: String) -> Arc<Self> {
        Arc::new(StandIn {
            store,
            callback_url,
            secret,
            key_id,
            key_secret,
            ledger: Mutex::default(),
            api_down: AtomicBool::new(false),
        })
    }

    /// Makes the merchant API answer 503 (`true`) or serve again.
    pub fn set_api_down(&self, down: bool) {
        self.api_down.store(down, Ordering::SeqCst);
    }

    /// Every refund made, of any payment.
    pub fn refunds(&self) -> Vec<Refund> {
        self.ledger.lock().unwrap_or_else(|e| e.into_inner()).refunds.values().flatten().cloned().collect()
    }

    fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `GET /pay/{order}` (the page), `POST /pay/{order}/{outcome}` (the
/// buttons; `?callback=lost` takes the money without posting the callback,
/// as a gateway whose webhook never arrives), and the merchant API under
/// `/v1`, to be nested where the host's payment page URL points.
pub fn router(stand_in: Arc<StandIn>) -> Router {
    Router::new()
        .route("/pay/{order}", get(page))
        .route("/pay/{order}/{outcome}", post(pay))
        .route("/v1/orders/{order}/payments", get(order_payments))
        .route("/v1/payments/{payment}/refunds", get(payment_refunds))
        .route("/v1/payments/{payment}/refund", post(refund))
        .with_state(stand_in)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

async fn page(State(stand_in): State<Arc<StandIn>>, Path(order): Path<String>) -> Response {
    let Ok(Some(record)) = stand_in.store.payment(&order).await else {
        return (StatusCode::NOT_FOUND, Html("<!doctype html><title>No such order</title><p>No such order.</p>"))
            .into_response();
    };
    let amount = crate::chat::payments::rupees(record.amount_paise);
    let order = escape(&record.order_id);
    Html(format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Pay {amount} — Mitra payment stand-in</title>
<style>body{{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}}
button{{font-size:1.1rem;padding:.6rem 1.4rem;margin-right:.5rem}}#result{{margin-top:1rem}}</style></head>
<body><h1>Pay {amount}</h1>
<p>Order <b id="order">{order}</b> — {service} ({status})</p>
<p>This is the local stand-in for the payment gateway: the buttons post the gateway's signed callback to the host.</p>
<button id="pay" onclick="go('captured')">Pay</button><button id="fail" onclick="go('failed')">Fail</button>
<p id="result" role="status"></p>
<script>
async function go(outcome) {{
  // This page is /…/pay/<order>: its buttons post to /…/pay/<order>/<outcome>.
  const answer = await fetch(location.pathname.replace(/\/$/, '') + '/' + outcome, {{ method: 'POST' }});
  document.getElementById('result').textContent = answer.ok ? (outcome === 'captured' ? 'Paid' : 'Failed') : 'Error ' + answer.status + ': ' + await answer.text();
}}
</script></body></html>"#,
        service = escape(&format!("{}/{}", record.plugin_id, record.service_id)),
        status = escape(&record.status),
    ))
    .into_response()
}

#[derive(Debug, Default, Deserialize)]
struct PayQuery {
    #[serde(default)]
    callback: Option<String>,
}

async fn pay(
    State(stand_in): State<Arc<StandIn>>,
    Path((order, outcome)): Path<(String, String)>,
    Query(query): Query<PayQuery>,
) -> Response {
    let Ok(Some(record)) = stand_in.store.payment(&order).await else {
        return (StatusCode::NOT_FOUND, "no such order").into_response();
    };
    let payment_id = format!("pay_{:016x}", crate::channel::graph::rand_u128() as u64);
    let mut callback = Callback::captured(&record.order_id, &payment_id, record.amount_paise);
    if outcome == "failed" {
        callback.event = "payment.failed".into();
        callback.payload.payment.entity.status = "failed".into();
        callback.payload.payment.entity.error_description = Some("the payer's bank declined it".into());
    }
    stand_in
        .ledger()
        .payments
        .entry(record.order_id.clone())
        .or_default()
        .insert(0, callback.payload.payment.entity.clone());
    if query.callback.as_deref() == Some("lost") {
        return (StatusCode::OK, "taken; no callback posted").into_response();
    }
    let body = serde_json::to_vec(&callback).unwrap_or_default();
    let signature = gateway::sign(&stand_in.secret, &body);
    let url = stand_in.callback_url.clone();
    let posted = tokio::task::spawn_blocking(move || {
        ureq::post(&url)
            .header("content-type", "application/json")
            .header(gateway::SIGNATURE_HEADER, &signature)
            .config()
            .http_status_as_error(false)
            .build()
            .send(&body[..])
            .map(|answer| answer.status().as_u16())
    })
    .await;
    match posted {
        Ok(Ok(status)) if (200..300).contains(&status) => (StatusCode::OK, "posted").into_response(),
        Ok(Ok(status)) => (StatusCode::BAD_GATEWAY, format!("the host answered {status}")).into_response(),
        Ok(Err(e)) => (StatusCode::BAD_GATEWAY, format!("the host could not be reached: {e}")).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn api_error(status: StatusCode, code: &str, description: impl Into<String>) -> Response {
    let body = ApiErrorBody { error: ApiErrorDetail { code: code.into(), description: description.into() } };
    (status, Json(body)).into_response()
}

/// The merchant API's checks: up, and called with the merchant's key.
fn api_refusal(stand_in: &StandIn, headers: &HeaderMap) -> Option<Response> {
    if stand_in.api_down.load(Ordering::SeqCst) {
        return Some(api_error(StatusCode::SERVICE_UNAVAILABLE, "SERVER_ERROR", "the stand-in's API is down"));
    }
    let expected =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", stand_in.key_id, stand_in.key_secret));
    let given = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Basic "));
    if given != Some(expected.as_str()) {
        return Some(api_error(StatusCode::UNAUTHORIZED, "BAD_REQUEST_ERROR", "Authentication failed"));
    }
    None
}

async fn order_payments(
    State(stand_in): State<Arc<StandIn>>,
    headers: HeaderMap,
    Path(order): Path<String>,
) -> Response {
    if let Some(refused) = api_refusal(&stand_in, &headers) {
        return refused;
    }
    let payments = stand_in.ledger().payments.get(&order).cloned().unwrap_or_default();
    Json(json!(Collection::from(payments))).into_response()
}

async fn payment_refunds(
    State(stand_in): State<Arc<StandIn>>,
    headers: HeaderMap,
    Path(payment): Path<String>,
) -> Response {
    if let Some(refused) = api_refusal(&stand_in, &headers) {
        return refused;
    }
    let refunds = stand_in.ledger().refunds.get(&payment).cloned().unwrap_or_default();
    Json(json!(Collection::from(refunds))).into_response()
}

/// Refunds what the payment still holds, never more.
async fn refund(
    State(stand_in): State<Arc<StandIn>>,
    headers: HeaderMap,
    Path(payment_id): Path<String>,
    body: Bytes,
) -> Response {
    if let Some(refused) = api_refusal(&stand_in, &headers) {
        return refused;
    }
    let Ok(request) = serde_json::from_slice::<RefundRequest>(&body) else {
        return api_error(StatusCode::BAD_REQUEST, "BAD_REQUEST_ERROR", "The request body is not a refund");
    };
    let mut ledger = stand_in.ledger();
    let Some(payment) = ledger.payments.values().flatten().find(|p| p.id == payment_id).cloned() else {
        return api_error(StatusCode::BAD_REQUEST, "BAD_REQUEST_ERROR", "The id provided does not exist");
    };
    if payment.status != "captured" {
        return api_error(StatusCode::BAD_REQUEST, "BAD_REQUEST_ERROR", "Only captured payments can be refunded");
    }
    let refunds = ledger.refunds.entry(payment_id.clone()).or_default();
    let refunded: u64 = refunds.iter().filter(|r| r.status != "failed").map(|r| r.amount).sum();
    if request.amount == 0 || refunded.saturating_add(request.amount) > payment.amount {
        return api_error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST_ERROR",
            "The total refund amount is greater than the refund payment amount",
        );
    }
    let refund = Refund {
        id: format!("rfnd_{:014x}", crate::channel::graph::rand_u128() as u64 >> 8),
        payment_id,
        amount: request.amount,
        currency: "INR".into(),
        status: "processed".into(),
        receipt: Some(request.receipt),
    };
    refunds.push(refund.clone());
    Json(refund).into_response()
}
