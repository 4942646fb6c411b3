//! A local stand-in for Meta's Graph API `POST /<version>/<phone-number-id>/messages`,
//! used by the tests and the local WhatsApp simulator. It answers as Meta
//! does and keeps what it received; it can be told to throttle.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

/// One message the fake received.
#[derive(Clone, Debug)]
pub struct Captured {
    pub phone_number_id: String,
    pub wamid: String,
    pub body: Value,
}

/// The fake's shared state.
#[derive(Debug, Default)]
pub struct FakeGraph {
    pub captured: Mutex<Vec<Captured>>,
    /// Answer this many requests with a 429 / 130429 first.
    pub throttle_next: AtomicU64,
    counter: AtomicU64,
}

impl FakeGraph {
    /// Messages received for `to`, in order.
    pub fn to(&self, to: &str) -> Vec<Value> {
        self.captured.lock().unwrap().iter().filter(|c| c.body["to"] == to).map(|c| c.body.clone()).collect()
    }

    /// Messages received for `to` past the first `after` of them, and how
    /// many were received for `to` in all (the simulator's polling).
    pub fn to_after(&self, to: &str, after: usize) -> (Vec<Captured>, usize) {
        let captured = self.captured.lock().unwrap();
        let all: Vec<&Captured> = captured.iter().filter(|c| c.body["to"] == to).collect();
        (all.iter().skip(after).map(|c| (*c).clone()).collect(), all.len())
    }
}

/// The fake's routes.
pub fn router(fake: Arc<FakeGraph>) -> Router {
    Router::new()
        .route("/{version}/{phone_number_id}/messages", post(send))
        .route("/_captured", get(captured))
        .with_state(fake)
}

async fn send(
    State(fake): State<Arc<FakeGraph>>,
    Path((_version, phone_number_id)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    if !headers.get("authorization").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("Bearer ")) {
        return (StatusCode::UNAUTHORIZED, Json(json!({ "error": { "code": 190, "message": "no token" } })));
    }
    let throttle = fake.throttle_next.load(Ordering::SeqCst);
    if throttle > 0
        && fake.throttle_next.compare_exchange(throttle, throttle - 1, Ordering::SeqCst, Ordering::SeqCst).is_ok()
    {
        let error = json!({ "error": { "code": 130429, "message": "Rate limit hit" } });
        return (StatusCode::TOO_MANY_REQUESTS, Json(error));
    }
    let n = fake.counter.fetch_add(1, Ordering::SeqCst);
    let wamid = format!("wamid.fake.{n}");
    let to = body["to"].clone();
    fake.captured.lock().unwrap().push(Captured { phone_number_id, wamid: wamid.clone(), body });
    (
        StatusCode::OK,
        Json(
            json!({ "messaging_product": "whatsapp", "contacts": [{ "input": to, "wa_id": to }], "messages": [{ "id": wamid }] }),
        ),
    )
}

async fn captured(State(fake): State<Arc<FakeGraph>>) -> Json<Value> {
    let all: Vec<Value> = fake
        .captured
        .lock()
        .unwrap()
        .iter()
        .map(|c| json!({ "phone_number_id": c.phone_number_id, "wamid": c.wamid, "body": c.body }))
        .collect();
    Json(json!({ "messages": all }))
}
