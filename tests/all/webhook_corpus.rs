//! Replays a corpus of webhook payloads shaped as Meta's webhook reference
//! documents them (`tests/fixtures/webhooks/`: every inbound message type,
//! the error-bearing ones, every status, the other fields an app may be
//! subscribed to), each signed and posted to `/webhook`. Every one gets
//! 200; what is kept, the reason logged for what is not used, and what the
//! citizen is told are checked payload by payload.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use mitra::channel::webhook::sign;
use mitra::store::Store;
use serde_json::Value;
use tower::ServiceExt as _;

use crate::conversation::{Harness, SECRET, catalog, envelope_to, harness, start_fake, tap, text};
use crate::operators::Sink;
use crate::support::runtime;

/// What the citizen is sent in answer.
enum Reply {
    /// Nothing (a reaction, a status, a notice).
    Nothing,
    /// One message whose JSON holds this text.
    Saying(&'static str),
}

/// What one payload leads to.
struct Expect {
    file: &'static str,
    /// The message types stored for its sender.
    stored: &'static [&'static str],
    /// Statuses recorded.
    statuses: usize,
    /// A part of the log line that gives the reason, if it is not used.
    logged: Option<&'static str>,
    reply: Reply,
}

const fn expect(
    file: &'static str,
    stored: &'static [&'static str],
    statuses: usize,
    logged: Option<&'static str>,
    reply: Reply,
) -> Expect {
    Expect { file, stored, statuses, logged, reply }
}

use Reply::{Nothing, Saying};

const CORPUS: &[Expect] = &[
    expect("text", &["text"], 0, None, Saying("Old")),
    expect("text_referral", &["text"], 0, None, Saying("ension")),
    expect("text_reply_context", &["text"], 0, None, Saying("")),
    expect("text_numeric_timestamp", &["text"], 0, None, Saying("\"list\"")),
    expect("text_identity_key_hash", &["text"], 0, None, Saying("")),
    expect("image", &["image"], 0, None, Saying("when a service asks")),
    expect("document", &["document"], 0, None, Saying("when a service asks")),
    expect("location", &["location"], 0, None, Saying("when a service asks")),
    expect("audio_voice", &["audio"], 0, None, Saying("voice notes")),
    expect("video", &["video"], 0, None, Saying("videos")),
    expect("sticker", &["sticker"], 0, None, Saying("stickers")),
    expect("contacts", &["contacts"], 0, None, Saying("contact cards")),
    expect("order", &["order"], 0, None, Saying("catalogue")),
    expect("interactive_button_reply", &["interactive"], 0, None, Saying("my:applications")),
    expect("interactive_list_reply", &["interactive"], 0, None, Saying("old-age")),
    expect("interactive_nfm_reply", &["interactive"], 0, None, Saying("this kind of message")),
    expect("button_quick_reply", &["button"], 0, None, Saying("\"list\"")),
    expect("request_welcome", &["request_welcome"], 0, None, Saying("\"list\"")),
    expect("reaction", &["reaction"], 0, Some("a reaction needs no answer"), Nothing),
    expect("reaction_removed", &["reaction"], 0, Some("a reaction needs no answer"), Nothing),
    expect("system_user_changed_number", &["system"], 0, Some("system notice"), Nothing),
    expect(
        "unsupported_131051",
        &["unsupported"],
        0,
        Some("131051 Message type unknown"),
        Saying("this kind of message"),
    ),
    expect(
        "interactive_errors_131000",
        &["unsupported"],
        0,
        Some("Unsupported webhook payload"),
        Saying("this kind of message"),
    ),
    expect("message_without_sender", &[], 0, Some("without a sender or id"), Nothing),
    expect("status_sent", &[], 1, None, Nothing),
    expect("status_delivered", &[], 1, None, Nothing),
    expect("status_read", &[], 1, None, Nothing),
    expect("status_failed", &[], 1, None, Nothing),
    expect("status_failed_131026", &[], 1, None, Nothing),
    expect("statuses_out_of_order", &[], 3, None, Nothing),
    expect("batch_two_entries", &["text"], 1, None, Saying("\"list\"")),
    expect("message_template_status_update", &[], 0, Some("message_template_status_update"), Nothing),
    expect("message_template_quality_update", &[], 0, Some("message_template_quality_update"), Nothing),
    expect("template_category_update", &[], 0, Some("template_category_update"), Nothing),
    expect("account_update", &[], 0, Some("account_update"), Nothing),
    expect("account_review_update", &[], 0, Some("account_review_update"), Nothing),
    expect("phone_number_quality_update", &[], 0, Some("phone_number_quality_update"), Nothing),
    expect("phone_number_name_update", &[], 0, Some("phone_number_name_update"), Nothing),
    expect("business_capability_update", &[], 0, Some("business_capability_update"), Nothing),
    expect("security", &[], 0, Some("\"security\""), Nothing),
    expect("smb_message_echoes", &[], 0, Some("smb_message_echoes"), Nothing),
];

fn corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/webhooks")
}

/// Every message's timestamp set to now, as the same type (string or
/// number): replies then fall inside the citizen's 24-hour window.
fn now_stamped(mut payload: Value) -> Value {
    let now = mitra_tests::unix_now();
    // `pointer_mut`, not indexing: indexing a missing key would add it.
    for entry in payload.pointer_mut("/entry").and_then(Value::as_array_mut).into_iter().flatten() {
        for change in entry.pointer_mut("/changes").and_then(Value::as_array_mut).into_iter().flatten() {
            let messages = change.pointer_mut("/value/messages").and_then(Value::as_array_mut);
            for message in messages.into_iter().flatten() {
                message["timestamp"] =
                    if message["timestamp"].is_number() { now.into() } else { now.to_string().into() };
            }
        }
    }
    payload
}

/// The senders, message ids and status ids of a payload.
fn parts(payload: &Value) -> (Vec<String>, Vec<String>) {
    let values = || payload["entry"].as_array().into_iter().flatten().flat_map(|e| e["changes"].as_array()).flatten();
    let senders = values()
        .flat_map(|c| c["value"]["messages"].as_array().into_iter().flatten())
        .filter_map(|m| m["from"].as_str().map(String::from))
        .collect();
    let statuses = values()
        .flat_map(|c| c["value"]["statuses"].as_array().into_iter().flatten())
        .filter_map(|s| s["id"].as_str().map(String::from))
        .collect();
    (senders, statuses)
}

async fn post(h: &Harness, body: &str) -> StatusCode {
    let request = Request::post("/webhook")
        .header("content-type", "application/json")
        .header("x-hub-signature-256", sign(SECRET, body.as_bytes()))
        .body(Body::from(body.to_owned()))
        .unwrap();
    h.app.clone().oneshot(request).await.unwrap().status()
}

// One thread: the host's tasks run on it, so the log lines they write are
// the ones this test captures.
#[tokio::test(flavor = "current_thread")]
async fn every_payload_meta_documents_is_acknowledged_kept_or_explained() {
    let logs = Arc::new(Mutex::new(Vec::new()));
    let sink = logs.clone();
    let subscriber =
        mitra::telemetry::logs::subscriber(mitra::telemetry::logs::LogFormat::Json, move || Sink(sink.clone()));
    let _logging = tracing::subscriber::set_default(subscriber);

    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let rt = runtime();
    let (fake, url) = start_fake().await;
    let h = harness(store.clone(), catalog(&rt), fake, &url).await;

    // Every payload in the corpus has its expectation, and the reverse.
    let mut files: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<&str> = CORPUS.iter().map(|e| e.file).collect();
    expected.sort();
    assert_eq!(files, expected, "the corpus and its expectations differ");

    for e in CORPUS {
        let raw = std::fs::read_to_string(corpus_dir().join(format!("{}.json", e.file))).unwrap();
        let payload = now_stamped(serde_json::from_str(&raw).unwrap());
        let (senders, status_ids) = parts(&payload);
        // The citizen has chosen English: what they are told is then about
        // what they sent, not the first-contact language question.
        for wa in &senders {
            h.say(wa, text(wa, "hi"), 1).await;
            h.say(wa, tap(wa, "lang:en", false), 2).await;
        }
        let before: Vec<usize> = senders.iter().map(|wa| h.fake.to(wa).len()).collect();
        let logged_before = logs.lock().unwrap().len();

        assert_eq!(post(&h, &payload.to_string()).await, StatusCode::OK, "{}", e.file);

        for (wa, before) in senders.iter().zip(before) {
            // A "menu" after it: the citizen's messages are answered in
            // order, so once the menu is back, the payload's answer (if any)
            // is in too.
            assert_eq!(post(&h, &envelope_to("PNID-1", wa, text(wa, "menu"))).await, StatusCode::OK);
            // At least the payload's answer (if any) and the menu; then
            // nothing more for a while.
            let least = before + usize::from(matches!(e.reply, Saying(_))) + 1;
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            let mut seen = 0;
            loop {
                let now = h.fake.to(wa).len();
                if now >= least && now == seen {
                    break;
                }
                seen = now;
                assert!(std::time::Instant::now() < deadline, "{}: {:#?}", e.file, &h.fake.to(wa)[before..]);
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            let got = &h.fake.to(wa)[before..];
            let menu = got.last().unwrap();
            assert_eq!(menu["interactive"]["type"], "list", "{}: the menu comes last: {got:#?}", e.file);
            match e.reply {
                Nothing => assert_eq!(got.len(), 1, "{}: nothing but the menu: {got:#?}", e.file),
                Saying(part) => {
                    let answer = &got[..got.len() - 1];
                    assert!(!answer.is_empty(), "{}: no answer: {got:#?}", e.file);
                    let said = serde_json::to_string(answer).unwrap();
                    assert!(said.contains(part), "{}: expected {part:?} in {said}", e.file);
                }
            }
            let kinds: Vec<String> = store.inbound_of(wa).await.unwrap().into_iter().map(|r| r.kind).collect();
            for kind in e.stored {
                assert!(kinds.iter().any(|k| k == kind), "{}: {kind} not stored ({kinds:?})", e.file);
            }
        }
        let mut recorded = 0;
        for id in status_ids.iter().collect::<std::collections::BTreeSet<_>>() {
            recorded += store.statuses_of(id).await.unwrap().len();
        }
        let lines = String::from_utf8_lossy(&logs.lock().unwrap()[logged_before..]).into_owned();
        assert_eq!(recorded, e.statuses, "{}: statuses {status_ids:?}; the log:\n{lines}", e.file);
        if let Some(reason) = e.logged {
            let lines = String::from_utf8_lossy(&logs.lock().unwrap()[logged_before..]).into_owned();
            let hits = lines.lines().filter(|l| l.contains(reason)).count();
            assert_eq!(hits, 1, "{}: the reason {reason:?} logged once, in:\n{lines}", e.file);
        }
    }
}
