//! A local stand-in for the payment gateway, for tests, demos and
//! `mitra serve` without a merchant account: its hosted payment page (the
//! order, its amount, **Pay** and **Fail** buttons) posts the gateway's
//! signed callback to the host exactly as a real gateway would. Every URL
//! it uses is configurable.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use super::gateway::{self, Callback};
use crate::store::Store;

/// What the stand-in needs: the orders (a real gateway knows them from the
/// merchant's order API), where to post callbacks and the merchant secret.
#[derive(Clone, Debug)]
pub struct StandIn {
    pub store: Store,
    /// The host's `/payments/callback`.
    pub callback_url: String,
    pub secret: String,
}

/// `GET /pay/{order}` (the page) and `POST /pay/{order}/{outcome}` (the
/// buttons), to be nested where the host's payment page URL points.
pub fn router(stand_in: StandIn) -> Router {
    Router::new()
        .route("/pay/{order}", get(page))
        .route("/pay/{order}/{outcome}", axum::routing::post(pay))
        .with_state(Arc::new(stand_in))
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
  const answer = await fetch('pay/' + encodeURIComponent(document.getElementById('order').textContent) + '/' + outcome, {{ method: 'POST' }});
  document.getElementById('result').textContent = answer.ok ? (outcome === 'captured' ? 'Paid' : 'Failed') : 'Error ' + answer.status + ': ' + await answer.text();
}}
</script></body></html>"#,
        service = escape(&format!("{}/{}", record.plugin_id, record.service_id)),
        status = escape(&record.status),
    ))
    .into_response()
}

async fn pay(State(stand_in): State<Arc<StandIn>>, Path((order, outcome)): Path<(String, String)>) -> Response {
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
