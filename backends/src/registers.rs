//! The department systems behind the services written as definitions: each
//! keeps one or more *registers* (pensions, job cards, vehicle records…)
//! whose records a service looks up by a key the citizen types, and takes
//! applications posted to it.
//!
//! A register is seeded like every simulator here: the record for a key is
//! made from that key alone ([`Rng::for_key`]), so a job card number has the
//! same holder and the same workdays on every run, and about one key in ten
//! is simply not registered (404), as in the real systems. The keys a
//! register lists as `examples` always exist: tests and the demo use them.
//!
//! Routes of a department with registers `r`:
//! - `GET /r/{key}` → 200 and the record (JSON object), 404 `{"error": …}`
//!   when not registered, 400 when the key is not of the register's shape;
//! - `POST /r` (JSON object) → 201 and the record the register made of it
//!   (an acknowledgement with a reference number), 400 when refused.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

pub use crate::seed::Rng;

/// Takes a posted application: the record made of it, or why it is refused.
pub type Submit = fn(body: &Value, rng: &mut Rng) -> Result<Value, String>;

/// One register of a department's system.
#[derive(Debug)]
pub struct Register {
    /// The URL segment, e.g. `pensions`: lowercase letters, digits and `-`.
    pub name: &'static str,
    /// The key as the register files it (trimmed, upper-cased…), or `None`
    /// when the text is not of the key's shape.
    pub key: fn(&str) -> Option<String>,
    /// Keys that always hold a record.
    pub examples: &'static [&'static str],
    /// The record for a (normalised) key, made from `rng` (seeded by the
    /// register's name and the key); `None` when no such record exists. The
    /// framework already leaves one key in ten unregistered (never an
    /// example), so `make` need not.
    pub make: fn(key: &str, rng: &mut Rng) -> Option<Value>,
    /// Takes a posted application (a JSON object); returns the record made
    /// of it or why it is refused. `None`: the register takes no posts.
    pub submit: Option<Submit>,
}

impl Register {
    /// The record filed under `typed`: `Err(400)` for a key of the wrong
    /// shape, `Ok(None)` when not registered.
    pub fn lookup(&self, typed: &str) -> Result<Option<Value>, StatusCode> {
        let key = (self.key)(typed).ok_or(StatusCode::BAD_REQUEST)?;
        let mut rng = Rng::for_key(&format!("{}:{key}", self.name));
        let example = self.examples.iter().any(|e| (self.key)(e).as_deref() == Some(key.as_str()));
        if !example && rng.below(10) == 0 {
            return Ok(None);
        }
        Ok((self.make)(&key, &mut rng))
    }
}

/// A department's system serving `registers`.
pub fn router(registers: &'static [Register]) -> Router {
    registers.iter().fold(Router::new(), |all, register| {
        let path = format!("/{}", register.name);
        all.merge(
            Router::new()
                .route(&format!("{path}/{{key}}"), get(look_up))
                .route(&path, axum::routing::post(submit))
                .with_state(register),
        )
    })
}

async fn look_up(State(register): State<&'static Register>, Path(key): Path<String>) -> Response {
    match register.lookup(&key) {
        Ok(Some(record)) => Json(record).into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, Json(json!({"error": format!("no record {key} in {}", register.name)})))
            .into_response(),
        Err(status) => {
            (status, Json(json!({"error": format!("{key:?} is not a {} key", register.name)}))).into_response()
        }
    }
}

async fn submit(State(register): State<&'static Register>, body: Option<Json<Value>>) -> Response {
    let Some(take) = register.submit else {
        return (StatusCode::METHOD_NOT_ALLOWED, Json(json!({"error": "this register takes no applications"})))
            .into_response();
    };
    let Some(Json(body)) = body.filter(|b| b.0.is_object()) else {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "a JSON object is expected"}))).into_response();
    };
    let mut rng = Rng::for_key(&format!("{}:{body}", register.name));
    match take(&body, &mut rng) {
        Ok(record) => (StatusCode::CREATED, Json(record)).into_response(),
        Err(error) => (StatusCode::BAD_REQUEST, Json(json!({"error": error}))).into_response(),
    }
}

/// `typed` trimmed and upper-cased with inner spaces removed, when every
/// character is an ASCII letter, digit, `-` or `/` and its length is within
/// `min..=max`: the shape of most registers' numbers.
pub fn plain_key(typed: &str, min: usize, max: usize) -> Option<String> {
    let key: String = typed.trim().chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let shaped = key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/');
    (shaped && (min..=max).contains(&key.len())).then_some(key)
}

/// `typed` as digits only (spaces and dashes dropped) when it has `len` of them.
pub fn digits_key(typed: &str, len: usize) -> Option<String> {
    let key: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (key.len() == len && key.bytes().all(|b| b.is_ascii_digit())).then_some(key)
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    use super::*;

    fn make(key: &str, rng: &mut Rng) -> Option<Value> {
        Some(json!({"key": key, "amount": rng.between(100, 200)}))
    }

    fn take(body: &Value, rng: &mut Rng) -> Result<Value, String> {
        let name = body["name"].as_str().ok_or("name is required")?;
        Ok(json!({"reference": format!("REF{}", rng.between(1000, 9999)), "name": name}))
    }

    static REGISTERS: &[Register] = &[
        Register { name: "cards", key: |t| digits_key(t, 6), examples: &["123456"], make, submit: Some(take) },
        Register { name: "plain", key: |t| plain_key(t, 3, 12), examples: &[], make, submit: None },
    ];

    async fn call(request: Request<Body>) -> (StatusCode, Value) {
        let response = router(REGISTERS).oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn the_same_key_gives_the_same_record_and_some_keys_are_not_registered() {
        let (status, first) = call(Request::get("/cards/123456").body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        let (_, again) = call(Request::get("/cards/123%20456").body(Body::empty()).unwrap()).await;
        assert_eq!(first, again);
        let mut missing = 0;
        for n in 200_000..200_200 {
            let (status, _) = call(Request::get(format!("/cards/{n}")).body(Body::empty()).unwrap()).await;
            assert!(status == StatusCode::OK || status == StatusCode::NOT_FOUND);
            missing += usize::from(status == StatusCode::NOT_FOUND);
        }
        assert!((5..=40).contains(&missing), "{missing} of 200 unregistered");
        let (status, _) = call(Request::get("/cards/12ab").body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, record) = call(Request::get("/plain/ab-12").body(Body::empty()).unwrap()).await;
        assert!(status == StatusCode::OK && record["key"] == "AB-12" || status == StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn posts_are_taken_or_refused_with_a_reason() {
        let post = |body: &str| {
            Request::post("/cards")
                .header("content-type", "application/json")
                .body(Body::from(body.to_owned()))
                .unwrap()
        };
        let (status, record) = call(post(r#"{"name": "Lakshmi"}"#)).await;
        assert_eq!(status, StatusCode::CREATED);
        assert!(record["reference"].as_str().unwrap().starts_with("REF"));
        let (status, error) = call(post(r#"{"other": 1}"#)).await;
        assert_eq!((status, error["error"].as_str()), (StatusCode::BAD_REQUEST, Some("name is required")));
        let (status, _) = call(post("[1]")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let request =
            Request::post("/plain").header("content-type", "application/json").body(Body::from("{}")).unwrap();
        assert_eq!(call(request).await.0, StatusCode::METHOD_NOT_ALLOWED);
    }
}
