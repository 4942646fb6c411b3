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
//! The shapes of the registers' keys are the functions below ([`numbered`],
//! [`prefixed`]…); what their records are made of (places, people, dates,
//! words in three languages) is in [`records`], so that every department
//! reads alike. The departments' tests share `testing`: reading a
//! department's definitions and checking that its registers serve them.
//!
//! Routes of a department with registers `r`:
//! - `GET /r/{key}` → 200 and the record (JSON object), 404 `{"error": …}`
//!   when not registered, 400 when the key is not of the register's shape;
//! - `POST /r` (JSON object) → 201 and the record the register made of it
//!   (an acknowledgement with a reference number), 400 when refused.

use std::ops::RangeInclusive;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

pub use crate::seed::Rng;
use crate::seed::{self, District};

pub mod records;
#[cfg(test)]
pub(crate) mod testing;

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
        let example = self.examples.iter().any(|e| (self.key)(e).as_deref() == Some(key.as_str()));
        // Whether the key is registered is drawn apart from the record, so
        // that `make` gets the same generator whether or not the key is an
        // example: a key's record does not change when it becomes one.
        if !example && Rng::for_key(&format!("{}:exists:{key}", self.name)).below(10) == 0 {
            return Ok(None);
        }
        Ok((self.make)(&key, &mut Rng::for_key(&format!("{}:{key}", self.name))))
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

/// `typed` upper-cased, with white space, dashes and slashes dropped: a
/// number as it is compared, however it was typed.
pub fn compact(typed: &str) -> String {
    typed.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '/')).collect::<String>().to_ascii_uppercase()
}

/// `prefix` and `digits` digits (`MI25004880`), typed in any case, with or
/// without dashes, slashes or spaces.
pub fn prefixed(typed: &str, prefix: &str, digits: usize) -> Option<String> {
    let key = compact(typed);
    let rest = key.strip_prefix(prefix)?;
    (rest.len() == digits && rest.bytes().all(|b| b.is_ascii_digit())).then_some(key)
}

/// `PREFIX-` and `digits` digits (`JJM-28140507`), typed like [`prefixed`].
pub fn dashed(typed: &str, prefix: &str, digits: usize) -> Option<String> {
    prefixed(typed, prefix, digits).map(|key| format!("{prefix}-{}", &key[prefix.len()..]))
}

/// `PREFIX-YYYY-NNNNNN`: a year within `years` and a serial of `digits`
/// digits, typed like [`prefixed`].
pub fn numbered(typed: &str, prefix: &str, digits: usize, years: RangeInclusive<u32>) -> Option<String> {
    let key = prefixed(typed, prefix, 4 + digits)?;
    let (year, serial) = key[prefix.len()..].split_at(4);
    years.contains(&year.parse().ok()?).then(|| format!("{prefix}-{year}-{serial}"))
}

/// `PREFIX-YYYY-NNNNNN`: a year and a serial of up to six digits, typed like
/// [`prefixed`], with or without the serial's leading zeros
/// (`HS2023123` is `HS-2023-000123`).
pub fn padded(typed: &str, prefix: &str) -> Option<String> {
    let key = compact(typed);
    let digits = key.strip_prefix(prefix)?;
    if !(5..=10).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let serial: u32 = digits[4..].parse().ok()?;
    Some(format!("{prefix}-{}-{serial:06}", &digits[..4]))
}

/// `PREFIX-ABC-NNNNN`: `letters` capital letters (an office's code) and
/// `digits` digits, typed like [`prefixed`].
pub fn lettered(typed: &str, prefix: &str, letters: usize, digits: usize) -> Option<String> {
    let key = compact(typed);
    let (code, number) = key.strip_prefix(prefix)?.split_at_checked(letters)?;
    let shaped = code.bytes().all(|b| b.is_ascii_uppercase())
        && number.len() == digits
        && number.bytes().all(|b| b.is_ascii_digit());
    shaped.then(|| format!("{prefix}-{code}-{number}"))
}

/// A district's choice id as the definitions send it (`east-godavari`):
/// lower case, words joined by dashes; whether it is a district is the
/// register's to say.
pub fn district_id(typed: &str) -> Option<String> {
    let key = typed.trim().to_ascii_lowercase().replace([' ', '_'], "-");
    (!key.is_empty() && key.len() <= 30 && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')).then_some(key)
}

/// The seeded district named by a choice id (`east-godavari`) or by its name.
pub fn district_of(typed: &str) -> Option<&'static District> {
    seed::district(&typed.replace(['-', '_'], " "))
}

/// The choice id (`east-godavari`) of the seeded district `typed` names.
pub fn seeded_district_id(typed: &str) -> Option<String> {
    district_of(typed).map(|d| d.name.to_ascii_lowercase().replace(' ', "-"))
}

#[cfg(test)]
mod tests {
    use super::testing::{get, post};
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

    #[tokio::test]
    async fn the_same_key_gives_the_same_record_and_some_keys_are_not_registered() {
        let (status, first) = get(router(REGISTERS), "/cards/123456").await;
        assert_eq!(status, StatusCode::OK);
        let (_, again) = get(router(REGISTERS), "/cards/123%20456").await;
        assert_eq!(first, again);
        let mut missing = 0;
        for n in 200_000..200_200 {
            let (status, _) = get(router(REGISTERS), &format!("/cards/{n}")).await;
            assert!(status == StatusCode::OK || status == StatusCode::NOT_FOUND);
            missing += usize::from(status == StatusCode::NOT_FOUND);
        }
        assert!((5..=40).contains(&missing), "{missing} of 200 unregistered");
        let (status, _) = get(router(REGISTERS), "/cards/12ab").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, record) = get(router(REGISTERS), "/plain/ab-12").await;
        assert!(status == StatusCode::OK && record["key"] == "AB-12" || status == StatusCode::NOT_FOUND);
    }

    #[test]
    fn a_record_is_the_same_whether_or_not_its_key_is_an_example() {
        // `cards` without its example: 123456 is a key like any other there.
        let plain = Register { examples: &[], ..REGISTERS[0] };
        let made = |key: &str| make(key, &mut Rng::for_key(&format!("cards:{key}")));
        assert_eq!(REGISTERS[0].lookup("123456"), Ok(made("123456")));
        for key in ["123456"].into_iter().map(str::to_owned).chain((200_000..200_050).map(|n| n.to_string())) {
            let found = plain.lookup(&key).unwrap();
            assert!(found.is_none() || found == made(&key), "{key}");
        }
    }

    #[tokio::test]
    async fn posts_are_taken_or_refused_with_a_reason() {
        let (status, record) = post(router(REGISTERS), "/cards", r#"{"name": "Lakshmi"}"#).await;
        assert_eq!(status, StatusCode::CREATED);
        assert!(record["reference"].as_str().unwrap().starts_with("REF"));
        let (status, error) = post(router(REGISTERS), "/cards", r#"{"other": 1}"#).await;
        assert_eq!((status, error["error"].as_str()), (StatusCode::BAD_REQUEST, Some("name is required")));
        let (status, _) = post(router(REGISTERS), "/cards", "[1]").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(post(router(REGISTERS), "/plain", "{}").await.0, StatusCode::METHOD_NOT_ALLOWED);
    }

    #[test]
    fn numbers_are_read_however_they_are_typed() {
        assert_eq!(numbered("bcc/2025/004501", "BCC", 6, 2015..=2030).as_deref(), Some("BCC-2025-004501"));
        assert_eq!(numbered("BCC-1999-000001", "BCC", 6, 2015..=2030), None);
        assert_eq!(numbered("SDS 2025 0045", "SDS", 4, 2000..=2099).as_deref(), Some("SDS-2025-0045"));
        assert_eq!(prefixed("mi-2500 4880", "MI", 8).as_deref(), Some("MI25004880"));
        assert_eq!(padded("hs 2023 123", "HS").as_deref(), Some("HS-2023-000123"));
        assert_eq!(dashed("jjm 2814 0507", "JJM", 8).as_deref(), Some("JJM-28140507"));
        assert_eq!(dashed("JJM-2814050", "JJM", 8), None);
        assert_eq!(lettered("fl/gnt/00458", "FL", 3, 5).as_deref(), Some("FL-GNT-00458"));
        assert_eq!(lettered("FL-G1-00458", "FL", 3, 5), None);
        assert_eq!(seeded_district_id("East Godavari").as_deref(), Some("east-godavari"));
        assert_eq!((district_id("Hyderabad").as_deref(), seeded_district_id("hyderabad")), (Some("hyderabad"), None));
    }
}
