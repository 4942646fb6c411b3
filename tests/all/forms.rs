//! Service forms through signed webhooks: fields asked one at a time and
//! validated, re-asked with the reason, back / edit / cancel, eligibility
//! from the plugin, application numbers and `status`, a document handed back,
//! a host restart mid-form, and the 24-hour window.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use mitra::runtime::Catalog;
use mitra::store::Store;
use serde_json::Value;
use tower::ServiceExt as _;

use crate::conversation::{Harness, catalog, harness, message, row_ids, start_fake, tap, text};
use crate::support::runtime;

fn body(reply: &Value) -> String {
    reply["text"]["body"].as_str().or(reply["interactive"]["body"]["text"].as_str()).unwrap_or_default().to_owned()
}

fn button_ids(reply: &Value) -> Vec<String> {
    reply["interactive"]["action"]["buttons"]
        .as_array()
        .map(|b| b.iter().map(|b| b["reply"]["id"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

async fn sqlite() -> (tempfile::TempDir, Store) {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    (tmp, store)
}

fn unique_wa(prefix: &str) -> String {
    let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{prefix}{:08}", run % 100_000_000)
}

/// Language, then the pensions service's details and its first question.
async fn to_first_question(h: &Harness, wa: &str) -> Vec<Value> {
    h.say(wa, text(wa, "hi"), 1).await;
    h.say(wa, tap(wa, "lang:en", false), 2).await;
    let details = h.say(wa, tap(wa, "svc:pensions/old-age", true), 1).await;
    assert_eq!(button_ids(&details[0])[0], "start:pensions/old-age");
    h.say(wa, tap(wa, "start:pensions/old-age", false), 1).await
}

async fn an_old_age_pension_is_applied_for_and_its_status_checked(store: Store, wa: &str) {
    let rt = runtime();
    let (fake, url) = start_fake().await;
    let h = harness(store.clone(), catalog(&rt), fake.clone(), &url).await;

    let first = to_first_question(&h, wa).await;
    assert!(body(&first[0]).contains("(1/4) *Aadhaar number*"), "{}", first[0]);
    assert_eq!(button_ids(&first[0]), ["back", "form:cancel"]);

    // A typo in the Aadhaar number: re-asked with the reason.
    let again = h.say(wa, text(wa, "4991 1234 5678"), 1).await;
    assert!(body(&again[0]).contains("not valid") && body(&again[0]).contains("(1/4)"), "{}", again[0]);
    let dob = h.say(wa, text(wa, "4991 1234 5677"), 1).await;
    assert!(body(&dob[0]).contains("(2/4) *Date of birth*"), "{}", dob[0]);
    // Back returns to the previous question; the answer is asked again.
    let back = h.say(wa, tap(wa, "back", false), 1).await;
    assert!(body(&back[0]).contains("(1/4)"), "{}", back[0]);
    h.say(wa, text(wa, "499112345677"), 1).await;
    let future = h.say(wa, text(wa, "15-08-2999"), 1).await;
    assert!(body(&future[0]).contains("cannot be in the future"), "{}", future[0]);
    let area = h.say(wa, text(wa, "15/08/1950"), 1).await;
    assert_eq!(button_ids(&area[0]), ["opt:rural", "opt:urban"]);
    let income = h.say(wa, tap(wa, "opt:rural", false), 1).await;
    assert!(body(&income[0]).contains("(4/4)"), "{}", income[0]);
    let not_whole = h.say(wa, text(wa, "20000.50"), 1).await;
    assert!(body(&not_whole[0]).contains("whole number"), "{}", not_whole[0]);

    let summary = h.say(wa, text(wa, "₹20,000"), 1).await;
    let shown = body(&summary[0]);
    assert!(shown.contains("XXXX XXXX 5677") && !shown.contains("499112345677"), "{shown}");
    assert!(shown.contains("15-08-1950") && shown.contains("Village") && shown.contains("20000"), "{shown}");
    assert_eq!(button_ids(&summary[0]), ["form:submit", "form:edit", "form:cancel"]);

    // The department refuses: income over the ceiling, said in its words.
    let refused = h.say(wa, tap(wa, "form:submit", false), 1).await;
    assert!(
        body(&refused[0]).contains("not eligible") && body(&refused[0]).contains("at most ₹10000"),
        "{}",
        refused[0]
    );
    let fields = h.say(wa, tap(wa, "form:edit", false), 1).await;
    assert_eq!(row_ids(&fields[0]), ["edit:aadhaar", "edit:dob", "edit:area", "edit:income"]);
    let income = h.say(wa, tap(wa, "edit:income", true), 1).await;
    assert!(body(&income[0]).contains("(4/4)"), "{}", income[0]);
    let summary = h.say(wa, text(wa, "5000"), 1).await;
    assert!(body(&summary[0]).contains("5000"), "{}", summary[0]);

    let submitted = h.say(wa, tap(wa, "form:submit", false), 2).await;
    let receipt = body(&submitted[0]);
    assert!(receipt.contains("Application submitted") && receipt.contains("21 days"), "{receipt}");
    let number = receipt.split('*').nth(1).unwrap().to_owned();
    assert!(number.starts_with("MTR-"), "{receipt}");
    assert_eq!(row_ids(&submitted[1]), ["dept:pensions"], "the menu follows");

    let stored = store.application(&number).await.unwrap().expect("stored");
    assert_eq!(
        (stored.wa_id.as_str(), stored.service_id.as_str(), stored.status.as_str()),
        (wa, "old-age", "submitted")
    );
    let answers: Value = serde_json::from_str(&stored.answers).unwrap();
    assert_eq!(answers[3]["value"], serde_json::json!({ "Number": 5000.0 }), "{answers}");

    // A second tap on the old Submit button makes no second application.
    let twice = h.say(wa, tap(wa, "form:submit", false), 1).await;
    assert!(body(&twice[0]).contains(&format!("Already submitted. Application No. {number}")), "{}", twice[0]);

    let status = h.say(wa, text(wa, &format!("status {}", number.to_lowercase())), 1).await;
    assert!(body(&status[0]).contains("Submitted, under review") && body(&status[0]).contains("Old age pension"));
    // Another citizen cannot read it.
    let last = if wa.ends_with('9') { '8' } else { '9' };
    let other = format!("{}{last}", &wa[..wa.len() - 1]);
    h.say(&other, text(&other, "hi"), 1).await;
    h.say(&other, tap(&other, "lang:en", false), 2).await;
    let denied = h.say(&other, text(&other, &format!("status {number}")), 1).await;
    assert!(body(&denied[0]).contains("No application of yours"), "{}", denied[0]);
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_an_old_age_pension_is_applied_for_and_its_status_checked() {
    let (_tmp, store) = sqlite().await;
    an_old_age_pension_is_applied_for_and_its_status_checked(store, "919844444441").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_an_old_age_pension_is_applied_for_and_its_status_checked() {
    let store = Store::connect(&crate::store::fresh_postgres().await).await.unwrap();
    an_old_age_pension_is_applied_for_and_its_status_checked(store, &unique_wa("9184")).await;
}

async fn a_restart_mid_form_goes_on_from_the_next_question(store: Store, wa: &str) {
    let rt = runtime();
    let (fake, url) = start_fake().await;
    let h = harness(store.clone(), catalog(&rt), fake.clone(), &url).await;
    to_first_question(&h, wa).await;
    h.say(wa, text(wa, "499112345677"), 1).await;
    h.say(wa, text(wa, "01-01-1955"), 1).await;
    drop(h);

    // A new host process on the same database.
    let h = harness(store, catalog(&rt), fake, &url).await;
    let income = h.say(wa, tap(wa, "opt:urban", false), 1).await;
    assert!(body(&income[0]).contains("(4/4)"), "{}", income[0]);
    let summary = h.say(wa, text(wa, "9000"), 1).await;
    assert!(body(&summary[0]).contains("01-01-1955") && body(&summary[0]).contains("Town"), "{}", summary[0]);
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_a_restart_mid_form_goes_on_from_the_next_question() {
    let (_tmp, store) = sqlite().await;
    a_restart_mid_form_goes_on_from_the_next_question(store, "919855555551").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_a_restart_mid_form_goes_on_from_the_next_question() {
    let store = Store::connect(&crate::store::fresh_postgres().await).await.unwrap();
    a_restart_mid_form_goes_on_from_the_next_question(store, &unique_wa("9185")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn commands_work_inside_a_form_and_cancel_leaves_it() {
    let (_tmp, store) = sqlite().await;
    let rt = runtime();
    let (fake, url) = start_fake().await;
    let h = harness(store, catalog(&rt), fake, &url).await;
    let wa = "919866666661";
    to_first_question(&h, wa).await;
    let help = h.say(wa, text(wa, "help"), 2).await;
    assert!(body(&help[0]).contains("Commands") && body(&help[1]).contains("(1/4)"), "{help:#?}");
    // Changing language mid-form re-asks the question in the new language.
    h.say(wa, text(wa, "language"), 1).await;
    let telugu = h.say(wa, tap(wa, "lang:te", false), 1).await;
    assert!(body(&telugu[0]).contains("(1/4) *ఆధార్ సంఖ్య*"), "{}", telugu[0]);
    // A sticker is not an answer: the question comes again with the reason.
    let sticker =
        h.say(wa, message(wa, "sticker", serde_json::json!({ "id": "S", "mime_type": "image/webp" })), 1).await;
    assert!(body(&sticker[0]).contains("టైప్ చేయండి") && body(&sticker[0]).contains("(1/4)"), "{}", sticker[0]);
    let cancelled = h.say(wa, tap(wa, "form:cancel", false), 2).await;
    assert!(body(&cancelled[0]).contains("రద్దు"), "{}", cancelled[0]);
    assert_eq!(row_ids(&cancelled[1]), ["dept:pensions"]);
    // Out of the form, typing is no longer an answer: "pension" names the
    // department the menu offers, and the reply says so.
    let typed = h.say(wa, text(wa, "pension"), 2).await;
    assert!(body(&typed[0]).contains("పింఛన్లు"), "{}", typed[0]);
    assert!(row_ids(&typed[1]).contains(&"svc:pensions/old-age".to_owned()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_birth_certificate_comes_back_in_the_chat_as_a_pdf_and_its_link_opens_only_with_its_key() {
    let (_tmp, store) = sqlite().await;
    let rt = runtime();
    let (fake, url) = start_fake().await;
    let backend = mitra_tests::start_backend("municipal").await;
    let plugin = mitra_tests::with_backend(mitra_tests::department("municipal"), backend);
    let catalog = Catalog::new();
    let loaded = tokio::task::spawn_blocking(move || rt.load(plugin)).await.unwrap().unwrap();
    catalog.publish(Arc::new(loaded));
    let h = harness(store.clone(), Arc::new(catalog), fake, &url).await;
    let wa = "919877777771";
    h.say(wa, text(wa, "hi"), 1).await;
    h.say(wa, tap(wa, "lang:en", false), 2).await;
    let found = h.say(wa, text(wa, "brith certifcate"), 1).await;
    assert_eq!(row_ids(&found[0])[0], "svc:municipal/birth-certificate");
    h.say(wa, tap(wa, "svc:municipal/birth-certificate", true), 1).await;
    h.say(wa, tap(wa, "start:municipal/birth-certificate", false), 1).await;
    let summary = h.say(wa, text(wa, "B-2023-VJA-04821"), 1).await;
    assert!(body(&summary[0]).contains("B-2023-VJA-04821"), "{}", summary[0]);

    let issued = h.say(wa, tap(wa, "form:submit", false), 3).await;
    assert!(body(&issued[0]).starts_with("✅ *"), "{}", issued[0]);
    assert_eq!(issued[1]["type"], "document");
    let media_id = issued[1]["document"]["id"].as_str().expect("sent by media id");
    let filename = issued[1]["document"]["filename"].as_str().unwrap();
    let number = filename.trim_end_matches(".pdf");
    assert!(h.fake.media.lock().unwrap()[media_id].bytes.starts_with(b"%PDF-"));
    assert_eq!(store.application(number).await.unwrap().unwrap().status, "issued");

    // The host serves it too, at a link only the key opens.
    let links = mitra::chat::documents::DocumentLinks::new(mitra::web::DEV_PUBLIC_URL, mitra::web::DEV_DOCUMENT_KEY);
    let link = links.link(number);
    let path = &link[link.find("/documents/").unwrap()..];
    let response = h.app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 22).await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));

    let forged = format!("/documents/{number}?key={}", "0".repeat(32));
    let response = h.app.clone().oneshot(Request::get(&forged).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let keyless = format!("/documents/{number}");
    let response = h.app.clone().oneshot(Request::get(&keyless).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Guessing: another document's key, the key cut short or made longer,
    // one digit changed, and numbers that try to reach files. All answer as
    // an unknown number does (nothing to probe; the key is compared in
    // constant time by the HMAC's own verify).
    let key = &link[link.find("key=").unwrap() + 4..];
    let other = links.link("MTR-2026-00000001");
    let other_key = &other[other.find("key=").unwrap() + 4..];
    let flipped = format!("{}{}", &key[..31], if key.ends_with('0') { '1' } else { '0' });
    for probe in [
        format!("/documents/{number}?key={other_key}"),
        format!("/documents/{number}?key={}", &key[..31]),
        format!("/documents/{number}?key={}", &key[..30]),
        format!("/documents/{number}?key={key}00"),
        format!("/documents/{number}?key={flipped}"),
        format!("/documents/{number}?key={key}&key={other_key}"),
        format!("/documents/..%2F..%2Fmitra.db?key={key}"),
        format!("/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd?key={key}"),
        format!("/documents/{number}%00?key={key}"),
        format!("/documents/{number}%2F..?key={key}"),
    ] {
        let response = h.app.clone().oneshot(Request::get(&probe).body(Body::empty()).unwrap()).await.unwrap();
        assert!(
            matches!(response.status(), StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST),
            "{probe}: {}",
            response.status()
        );
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        assert!(!bytes.starts_with(b"%PDF-") && !bytes.windows(6).any(|w| w == b"SQLite"), "{probe}");
    }

    // `status` hands the certificate back again.
    let status = h.say(wa, text(wa, &format!("status {number}")), 2).await;
    assert!(body(&status[0]).contains("Issued"), "{}", status[0]);
    assert_eq!(status[1]["document"]["filename"], filename);
}

#[tokio::test(flavor = "multi_thread")]
async fn outside_the_24_hour_window_only_a_template_is_sent() {
    let (_tmp, store) = sqlite().await;
    let rt = runtime();
    let (fake, url) = start_fake().await;
    let h = harness(store.clone(), catalog(&rt), fake.clone(), &url).await;
    let wa = "919888888881";
    // Meta delivers, late, a message the citizen wrote two days ago: the
    // menu and welcome would be refused by WhatsApp (131047).
    let mut late = text(wa, "hi");
    let two_days_ago = mitra_tests::unix_now() - 2 * 86_400;
    late["timestamp"] = Value::from(two_days_ago.to_string());
    let sent = h.say(wa, late.clone(), 1).await;
    assert_eq!(sent[0]["type"], "template", "{}", sent[0]);
    assert_eq!(sent[0]["template"]["name"], "mitra_reopen_conversation");

    // Within the window again (the citizen wrote now), replies are free-form.
    let now = h.say(wa, tap(wa, "lang:en", false), 2).await;
    assert_eq!((now[0]["type"].as_str(), now[1]["type"].as_str()), (Some("text"), Some("interactive")));

    // A late message whose turn has two replies: the second is recorded as
    // not sent, with the reason, rather than refused by Meta.
    let other = "919888888882";
    let mut first = text(other, "hi");
    first["timestamp"] = Value::from(two_days_ago.to_string());
    h.say(other, first, 1).await;
    let mut choose = tap(other, "lang:te", false);
    choose["timestamp"] = Value::from((two_days_ago + 1).to_string());
    let id = choose["id"].as_str().unwrap().to_owned();
    let only = h.say(other, choose, 1).await;
    assert_eq!(only[0]["template"]["language"]["code"], "te");
    let stored = store.inbound_of(other).await.unwrap().into_iter().find(|m| m.wamid == id).unwrap();
    let second = mitra::store::OutboxItem::reply_id(stored.received_at_ms, &id, 1);
    let started = std::time::Instant::now();
    loop {
        let (state, _, error) = store.outbox_state(&second).await.unwrap().unwrap();
        if state == "failed" {
            assert!(error.unwrap().contains("24-hour"));
            break;
        }
        assert!(started.elapsed().as_secs() < 10, "still {state}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(fake.to(other).len(), 2, "one template per late message, nothing else");
}
