//! What the departments' tests share: reading a department's service
//! definitions (`plugins/departments/<id>/data/services`) to learn which
//! register each one calls and which `record.<key>`s it reads, checking that
//! the registers' examples and posts carry those keys, and calling a
//! department's router.

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

use super::{Register, Rng};
use crate::seed::calendar;

/// A definition that fetches from a register.
#[derive(Debug)]
pub(crate) struct Fetch {
    /// The definition's file name.
    pub(crate) service: String,
    /// The register its `[fetch] path` calls.
    pub(crate) register: String,
    /// Whether it posts (an application) rather than looks up.
    pub(crate) post: bool,
    /// The `record.<key>`s it reads (the first segment of each path).
    pub(crate) keys: Vec<String>,
}

/// Every definition of `department` that fetches.
pub(crate) fn fetches(department: &str) -> Vec<Fetch> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../plugins/departments").join(department).join("data/services");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let Some(register) = text.lines().find_map(|l| l.trim().strip_prefix("path = \"/")) else { continue };
        let register = register.split(['/', '"']).next().unwrap().to_owned();
        let mut keys: Vec<String> = text
            .match_indices("record.")
            .map(|(i, _)| text[i + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
            .filter(|k: &String| k.starts_with(|c: char| c.is_ascii_lowercase()))
            .collect();
        keys.sort();
        keys.dedup();
        let service = path.file_name().unwrap().to_string_lossy().into_owned();
        out.push(Fetch { service, register, post: text.contains("method = \"post\""), keys });
    }
    assert!(!out.is_empty(), "no definitions in {}", dir.display());
    out
}

/// Asserts that `record` holds every key `fetch` reads.
fn carries(fetch: &Fetch, key: &str, record: &Value) {
    for field in &fetch.keys {
        assert!(!record[field.as_str()].is_null(), "{}: {key} has no {field}: {record}", fetch.service);
    }
}

/// The department's registers serve its definitions: every register a
/// definition calls exists (and takes posts when the definition posts);
/// every example of a register a lookup calls holds every key the lookup
/// reads; every example of every register is found; and `malformed`, a key
/// of no register's shape, is refused (400) by each.
pub(crate) fn examples_serve_the_definitions(department: &str, registers: &[Register], malformed: &str) {
    for fetch in fetches(department) {
        let register = registers
            .iter()
            .find(|r| r.name == fetch.register)
            .unwrap_or_else(|| panic!("{}: no register {}", fetch.service, fetch.register));
        if fetch.post {
            assert!(register.submit.is_some(), "{}: {} takes no posts", fetch.service, register.name);
            continue;
        }
        assert!(!register.examples.is_empty(), "{}", register.name);
        for example in register.examples {
            carries(&fetch, example, &found(registers, register.name, example));
        }
    }
    for register in registers {
        for example in register.examples {
            found(registers, register.name, example);
        }
        assert_eq!(register.lookup(malformed), Err(StatusCode::BAD_REQUEST), "{} {malformed:?}", register.name);
    }
}

/// The record `register` makes of the posted `body`, once it is checked to
/// hold every key the department's definitions posting to it read.
pub(crate) fn posted(department: &str, registers: &[Register], register: &str, body: Value) -> Value {
    let take = registers
        .iter()
        .find(|r| r.name == register)
        .and_then(|r| r.submit)
        .unwrap_or_else(|| panic!("{register} takes no posts"));
    let record = take(&body, &mut Rng::for_key("test")).unwrap_or_else(|e| panic!("{register}: {e}"));
    let fetches = fetches(department);
    let posting: Vec<&Fetch> = fetches.iter().filter(|f| f.post && f.register == register).collect();
    assert!(!posting.is_empty(), "no definition of {department} posts to {register}");
    for fetch in posting {
        carries(fetch, register, &record);
    }
    record
}

/// Asserts that each register named refuses the key given with it, a key
/// not of its shape (400).
pub(crate) fn refused(registers: &[Register], malformed: &[(&str, &str)]) {
    for (name, key) in malformed {
        let register = registers.iter().find(|r| r.name == *name).unwrap_or_else(|| panic!("no register {name}"));
        assert_eq!(register.lookup(key), Err(StatusCode::BAD_REQUEST), "{name}/{key}");
    }
}

/// How many days from today the date (`YYYY-MM-DD`) in `record[field]` is.
pub(crate) fn days_until(record: &Value, field: &str) -> i64 {
    let day = record[field].as_str().and_then(calendar::parse_date);
    day.unwrap_or_else(|| panic!("{field} in {record}")) - calendar::today()
}

/// The record filed under `key` in the register `name`: panics when there is none.
pub(crate) fn found(registers: &[Register], name: &str, key: &str) -> Value {
    let register = registers.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no register {name}"));
    match register.lookup(key) {
        Ok(Some(record)) => record,
        other => panic!("{name}/{key}: {other:?}"),
    }
}

/// What `router` answers to `request`: the status and the JSON body.
pub(crate) async fn call(router: Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

/// What `router` answers to `GET path`.
pub(crate) async fn get(router: Router, path: &str) -> (StatusCode, Value) {
    call(router, Request::get(path).body(Body::empty()).unwrap()).await
}

/// What `router` answers to `POST path` with the JSON `body`.
pub(crate) async fn post(router: Router, path: &str, body: &str) -> (StatusCode, Value) {
    let request =
        Request::post(path).header("content-type", "application/json").body(Body::from(body.to_owned())).unwrap();
    call(router, request).await
}
