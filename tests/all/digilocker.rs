//! Mitra as a DigiLocker issuer, spoken to as DigiLocker speaks: requests
//! written by hand from the Issuer API Specification's templates, signed
//! with RustCrypto's HMAC-SHA256 (not the host's signer), posted over a real
//! socket to the router `mitra serve` mounts, and answers read back with
//! quick-xml's plain reader (not the host's message types).
//!
//! The certificate is a real one: a citizen applies for a birth
//! certificate on WhatsApp (the chat of `certificate_flow`), and what
//! DigiLocker receives must be byte for byte the PDF the citizen received.
//!
//! "Save to DigiLocker" goes through the chat's real routes too: the offer
//! after the certificate, the citizen's taps as signed webhooks, the
//! pusher's pushes over a socket to the local DigiLocker stand-in (told to
//! be down when the test needs it), and the citizen's messages on the fake
//! Graph API.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use mitra::certificates::issuer::{self, Issuer};
use mitra::channel::graph::GraphConfig;
use mitra::channel::webhook::WebhookConfig;
use mitra::chat::digilocker::save_id;
use mitra::digilocker::push::{LockerOwner, PushClient, PushConfig};
use mitra::digilocker::pusher::{Pusher, Retries};
use mitra::digilocker::stand_in::{PUSH_PATH, StandIn};
use mitra::digilocker::{DigiLockerConfig, refusals};
use mitra::runtime::Catalog;
use mitra::store::{PUSH_FAILED, PUSH_SAVED, Store};
use mitra::telemetry::ReasonLabel;
use mitra::web::{AppState, host};
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::certificate_flow::{Host, apply_for_a_birth_certificate, start_host};
use crate::conversation::{Harness, start_fake, tap, text};
use crate::support::runtime;

/// The API key set in DigiLocker's Partner Portal.
const SECRET: &str = "digilocker-partner-portal-api-key";
const ISSUER_ID: &str = "in.gov.ap.mitra";
const DIGILOCKER_ID: &str = "123e4567-e89b-12d3-a456-426655440000";

fn config() -> DigiLockerConfig {
    DigiLockerConfig {
        issuer_id: ISSUER_ID.into(),
        secret: SECRET.into(),
        doc_types: vec![
            "BTCER=municipal/birth-certificate".parse().unwrap(),
            "DTCER=municipal/death-certificate".parse().unwrap(),
        ],
    }
}

/// `router` on a loopback port; its base URL.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

/// `x-digilocker-hmac` as the specification defines it: base64 of
/// HMAC-SHA256 over the raw body, keyed with the API key.
fn sign(key: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// POSTs `body` to `url` with `hmac` as `x-digilocker-hmac`: the status and
/// the answer.
async fn post(url: &str, body: &str, hmac: Option<String>) -> (u16, String) {
    let (url, body) = (url.to_owned(), body.to_owned());
    tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut request = agent.post(&url).header("content-type", "application/xml");
        if let Some(hmac) = hmac {
            request = request.header("x-digilocker-hmac", &hmac);
        }
        let mut response = request.send(body.as_bytes()).unwrap();
        (response.status().as_u16(), response.body_mut().with_config().limit(64 << 20).read_to_string().unwrap())
    })
    .await
    .unwrap()
}

/// When and with which key a request is stamped: its `ts` and `keyhash`
/// (hex SHA-256 of the key followed by the `ts`, as the specification
/// defines it).
struct Stamp {
    ts: String,
    keyhash: String,
}

impl Stamp {
    /// Now on the host's clock (which a test run may pin), in India's time,
    /// with the shared key.
    fn now() -> Self {
        Self::at(0, SECRET)
    }

    /// `minutes` from now, with `key`.
    fn at(minutes: i64, key: &str) -> Self {
        let offset = Duration::from_secs(minutes.unsigned_abs() * 60);
        let now = mitra_sdk::clock::now_in_india();
        let t = if minutes < 0 { now - offset } else { now + offset };
        let ts = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+05:30",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        let keyhash = hex::encode(Sha256::digest(format!("{key}{ts}").as_bytes()));
        Stamp { ts, keyhash }
    }
}

/// A Pull URI request as DigiLocker sends it for a search by certificate
/// number, with the name and date of birth Aadhaar verified, stamped now.
fn pull_uri_request(txn: &str, doc_type: &str, name: Option<&str>, dob: Option<&str>, number: &str) -> String {
    pull_uri_request_stamped(&Stamp::now(), txn, doc_type, name, dob, number)
}

fn pull_uri_request_stamped(
    stamp: &Stamp,
    txn: &str,
    doc_type: &str,
    name: Option<&str>,
    dob: Option<&str>,
    number: &str,
) -> String {
    let Stamp { ts, keyhash } = stamp;
    let name = name.map(|n| format!("\n    <FullName>{n}</FullName>")).unwrap_or_default();
    let dob = dob.map(|d| format!("\n    <DOB>{d}</DOB>")).unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<PullURIRequest xmlns="http://tempuri.org/" ver="3.0" ts="{ts}" txn="{txn}" orgId="{ISSUER_ID}" keyhash="{keyhash}" format="both">
  <DocDetails>
    <DocType>{doc_type}</DocType>
    <DigiLockerId>{DIGILOCKER_ID}</DigiLockerId>{name}{dob}
    <CertificateNumber>{number}</CertificateNumber>
  </DocDetails>
</PullURIRequest>"#
    )
}

/// A Pull Doc request for a URI kept in a citizen's locker, stamped now
/// (its keyhash spelled as the specification's table spells it).
fn pull_doc_request(txn: &str, uri: &str, format: &str) -> String {
    let Stamp { ts, keyhash } = Stamp::now();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<PullDocRequest xmlns:ns2="http://tempuri.org/" ver="1.0" ts="{ts}" txn="{txn}" orgId="{ISSUER_ID}" keyHash="{keyhash}" format="{format}"><DocDetails><URI>{uri}</URI><DigiLockerId>{DIGILOCKER_ID}</DigiLockerId></DocDetails></PullDocRequest>"#
    )
}

/// The text of the first element named `name` in `xml`.
fn text_of(xml: &str, name: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.local_name().into_inner() == name => inside = true,
            Event::Text(t) if inside => return Some(t.xml10_content().trim().to_owned()),
            Event::End(_) if inside => return Some(String::new()),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Attribute `attribute` of the first element named `element` in `xml`.
fn attribute_of(xml: &str, element: &str, attribute: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == element => {
                let found = e.try_get_attribute(attribute).unwrap()?;
                return Some(found.normalized_value(XmlVersion::Explicit1_0).unwrap().into_owned());
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn decoded(xml: &str, element: &str) -> Option<Vec<u8>> {
    text_of(xml, element).map(|b64| STANDARD.decode(b64).unwrap())
}

/// A birth certificate issued in the chat, and a DigiLocker router over the
/// same store and issuer.
struct Issued {
    host: Host,
    number: String,
    /// The holder's name and date of birth, as Aadhaar would have them.
    name: String,
    dob: String,
    /// The PDF the citizen received on WhatsApp.
    sent: Vec<u8>,
    digilocker: String,
}

async fn issued_birth_certificate(wa: &str) -> Issued {
    let host = start_host().await;
    let (number, message) = apply_for_a_birth_certificate(&host, wa).await;
    let media_id = message["document"]["id"].as_str().unwrap();
    let sent = host.h.fake.media.lock().unwrap()[media_id].bytes.clone();
    let application = host.store.application(&number).await.unwrap().unwrap();
    let document = issuer::stored_document(&application).unwrap();
    let name = issuer::claims(&application, &document).name;
    let dob = document.document.fields().find(|f| f.label.en == "Date of birth").unwrap().value.en.clone();
    let digilocker = serve(mitra::digilocker::router(host.issuer.clone(), host.store.clone(), config())).await;
    Issued { host, number, name, dob, sent, digilocker }
}

#[tokio::test(flavor = "multi_thread")]
async fn digilocker_pulls_an_issued_birth_certificate_and_gets_the_pdf_the_citizen_received() {
    let issued = issued_birth_certificate("919866600101").await;
    assert!(issued.sent.starts_with(b"%PDF-"), "the chat sent a PDF");
    let pull_uri = format!("{}/digilocker/pulluri", issued.digilocker);
    let pull_doc = format!("{}/digilocker/pulldoc", issued.digilocker);

    // Aadhaar's spelling need not be the certificate's case or spacing.
    let shouted = issued.name.to_uppercase().replace(' ', "  ");
    let stamp = Stamp::now();
    let body = pull_uri_request_stamped(&stamp, "7781", "BTCER", Some(&shouted), Some(&issued.dob), &issued.number);
    let (status, answer) = post(&pull_uri, &body, Some(sign(SECRET, &body))).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(attribute_of(&answer, "ResponseStatus", "Status").as_deref(), Some("1"), "{answer}");
    assert_eq!(text_of(&answer, "ResponseStatus").as_deref(), Some("1"));
    assert_eq!(attribute_of(&answer, "ResponseStatus", "txn").as_deref(), Some("7781"));
    assert_eq!(attribute_of(&answer, "ResponseStatus", "ts"), Some(stamp.ts.clone()));
    let uri = text_of(&answer, "URI").unwrap();
    assert_eq!(uri, format!("{ISSUER_ID}-BTCER-{}", issued.number));
    assert_eq!(attribute_of(&answer, "Person", "name"), Some(issued.name.clone()));
    assert_eq!(attribute_of(&answer, "Person", "dob"), Some(issued.dob.clone()));
    let pdf = decoded(&answer, "DocContent").unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        pdf == issued.sent,
        "DigiLocker got another PDF than the citizen ({} and {} bytes)",
        pdf.len(),
        issued.sent.len()
    );
    let prepared = issued.host.issuer.prepare(&issued.number).await.unwrap();
    assert!(pdf == prepared.pdf, "Issuer::prepare gives the same bytes");
    let data = String::from_utf8(decoded(&answer, "DataContent").unwrap()).unwrap();
    assert_eq!(attribute_of(&data, "Certificate", "number"), Some(issued.number.clone()), "{data}");
    assert_eq!(attribute_of(&data, "Certificate", "type").as_deref(), Some("BTCER"));
    assert_eq!(text_of(&data, "Signed"), Some(prepared.payload.clone()), "the QR payload, to verify offline");

    // Opening the kept URI: the same PDF again.
    let body = pull_doc_request("7782", &uri, "both");
    let (status, answer) = post(&pull_doc, &body, Some(sign(SECRET, &body))).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(attribute_of(&answer, "ResponseStatus", "Status").as_deref(), Some("1"), "{answer}");
    assert_eq!(attribute_of(&answer, "ResponseStatus", "txn").as_deref(), Some("7782"));
    assert!(decoded(&answer, "DocContent").unwrap() == issued.sent, "Pull Doc serves the same PDF");
    assert!(decoded(&answer, "DataContent").is_some());

    // format="xml": the metadata without the PDF.
    let body = pull_doc_request("7783", &uri, "xml");
    let (_, answer) = post(&pull_doc, &body, Some(sign(SECRET, &body))).await;
    assert_eq!(attribute_of(&answer, "ResponseStatus", "Status").as_deref(), Some("1"), "{answer}");
    assert!(text_of(&answer, "DocContent").is_none() && text_of(&answer, "DataContent").is_some(), "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pull_whose_details_do_not_match_or_whose_certificate_is_revoked_gets_status_0_and_no_document() {
    let issued = issued_birth_certificate("919866600102").await;
    let pull_uri = format!("{}/digilocker/pulluri", issued.digilocker);
    let (name, dob, number) = (issued.name.as_str(), issued.dob.as_str(), issued.number.as_str());
    let searches = [
        ("another person's name", pull_uri_request("1", "BTCER", Some("Somebody Else"), Some(dob), number)),
        ("another birth date", pull_uri_request("2", "BTCER", Some(name), Some("01-01-1990"), number)),
        ("no name", pull_uri_request("3", "BTCER", None, Some(dob), number)),
        ("another document type", pull_uri_request("4", "DTCER", Some(name), Some(dob), number)),
        ("a type Mitra does not issue", pull_uri_request("5", "INCER", Some(name), Some(dob), number)),
        ("a number never issued", pull_uri_request("6", "BTCER", Some(name), Some(dob), "MTR-261203-ZZZZZZZZ")),
    ];
    for (what, body) in searches {
        let (status, answer) = post(&pull_uri, &body, Some(sign(SECRET, &body))).await;
        assert_eq!(status, 200, "{what}: {answer}");
        assert_eq!(attribute_of(&answer, "ResponseStatus", "Status").as_deref(), Some("0"), "{what}: {answer}");
        for element in ["URI", "DocContent", "DataContent", "IssuedTo"] {
            assert!(text_of(&answer, element).is_none(), "{what}: {element} in {answer}");
        }
        assert!(answer.matches(number).count() <= 1, "{what}: nothing but the echoed search names it");
    }

    let pull_doc = format!("{}/digilocker/pulldoc", issued.digilocker);
    for (txn, what, uri) in [
        ("7", "another issuer's URI", format!("in.gov.dept.state-BTCER-{number}")),
        ("8", "the right number under another type", format!("{ISSUER_ID}-DTCER-{number}")),
        ("9", "a number never issued", format!("{ISSUER_ID}-BTCER-MTR-261203-ZZZZZZZZ")),
        ("10", "not a URI", "MTR".to_owned()),
    ] {
        let body = pull_doc_request(txn, &uri, "both");
        let (status, answer) = post(&pull_doc, &body, Some(sign(SECRET, &body))).await;
        assert_eq!(status, 200, "{what}: {answer}");
        assert_eq!(attribute_of(&answer, "ResponseStatus", "Status").as_deref(), Some("0"), "{what}: {answer}");
        assert!(text_of(&answer, "DocContent").is_none() && text_of(&answer, "DataContent").is_none(), "{what}");
    }

    // Once an operator revokes it, even the right details get nothing.
    let right = |txn: &str| pull_uri_request(txn, "BTCER", Some(name), Some(dob), number);
    let body = right("11");
    let (_, answer) = post(&pull_uri, &body, Some(sign(SECRET, &body))).await;
    assert_eq!(attribute_of(&answer, "ResponseStatus", "Status").as_deref(), Some("1"), "{answer}");
    issued.host.store.revoke(number, "issued in error", "collector-ntr").await.unwrap();
    let body = right("12");
    let (_, answer) = post(&pull_uri, &body, Some(sign(SECRET, &body))).await;
    assert_eq!(attribute_of(&answer, "ResponseStatus", "Status").as_deref(), Some("0"), "{answer}");
    assert!(text_of(&answer, "DocContent").is_none());
    let body = pull_doc_request("13", &format!("{ISSUER_ID}-BTCER-{number}"), "both");
    let (_, answer) = post(&pull_doc, &body, Some(sign(SECRET, &body))).await;
    assert_eq!(attribute_of(&answer, "ResponseStatus", "Status").as_deref(), Some("0"), "{answer}");
}

/// A DigiLocker router over an empty store: enough for requests refused
/// before any certificate is looked at.
async fn bare_digilocker() -> String {
    bare_digilocker_on(Store::connect("sqlite::memory:").await.unwrap()).await
}

async fn bare_digilocker_on(store: Store) -> String {
    let keys = mitra::certificates::keys::Keyring::ephemeral(["municipal", mitra::certificates::log::LOG_KEY]);
    let keys = Arc::new(keys.unwrap());
    let log = mitra::certificates::log::TransparencyLog::new(store.clone(), "test.mitra/certificates", keys.clone());
    let issuer = Issuer::new(log, keys, mitra::certificates::pdf::Fonts::system(), "http://127.0.0.1");
    serve(mitra::digilocker::router(issuer, store, config())).await
}

fn refused_for(reason: &'static str) -> u64 {
    refusals().get_or_create(&ReasonLabel { reason }).get()
}

#[tokio::test]
async fn a_request_not_signed_with_the_shared_key_is_refused_and_counted() {
    let url = format!("{}/digilocker/pulluri", bare_digilocker().await);
    let body = pull_uri_request("1", "BTCER", Some("Lakshmi Devi"), None, "MTR-261203-7K2M9QXA");
    let before = refused_for("signature");
    for hmac in [None, Some(String::new()), Some(sign("another key", &body)), Some(sign(SECRET, "another body"))] {
        let (status, answer) = post(&url, &body, hmac.clone()).await;
        assert_eq!(status, 401, "{hmac:?}: {answer}");
        assert!(!answer.contains("ResponseStatus"), "{answer}");
    }
    assert!(refused_for("signature") >= before + 4);
    // The same request signed with the shared key is read (and finds nothing).
    let (status, answer) = post(&url, &body, Some(sign(SECRET, &body))).await;
    assert_eq!((status, attribute_of(&answer, "ResponseStatus", "Status").as_deref()), (200, Some("0")), "{answer}");
}

#[tokio::test]
async fn a_signed_body_that_is_not_the_endpoints_well_formed_xml_is_refused_with_400() {
    let base = bare_digilocker().await;
    let before = refused_for("malformed");
    let pull_uri = pull_uri_request("1", "BTCER", Some("Lakshmi Devi"), None, "MTR-261203-7K2M9QXA");
    let cases = [
        ("pulluri", "not xml".to_owned()),
        ("pulluri", pull_uri.replace("</PullURIRequest>", "")),
        ("pulluri", pull_uri.replace("</DocType>", "</DocTyp>")),
        ("pulluri", pull_uri.replace(r#"txn="1""#, r#"txn="1" txn="2""#)),
        ("pulluri", format!("{pull_uri}<PullURIRequest/>")),
        ("pulluri", pull_doc_request("1", "in.gov.ap.mitra-BTCER-MTR-1", "pdf")),
        ("pulldoc", pull_uri.clone()),
        ("pulldoc", r#"<PullDocRequest ver="1.0" ts="t" txn="1" orgId="o"/>"#.to_owned()),
    ];
    for (endpoint, body) in &cases {
        let (status, answer) = post(&format!("{base}/digilocker/{endpoint}"), body, Some(sign(SECRET, body))).await;
        assert_eq!(status, 400, "{endpoint} {body}: {answer}");
    }
    assert!(refused_for("malformed") >= before + cases.len() as u64);
}

#[tokio::test(flavor = "multi_thread")]
async fn saving_to_digilocker_pushes_the_uri_and_digilocker_pulls_the_same_pdf_back() {
    let issued = issued_birth_certificate("919866600103").await;
    let push_key = "key-digilocker-gave-the-issuer";
    let stand_in = StandIn::new(push_key, SECRET, &format!("{}/digilocker/pulldoc", issued.digilocker));
    let locker = serve(mitra::digilocker::stand_in::router(stand_in.clone())).await;
    let push = PushConfig { endpoint: format!("{locker}{PUSH_PATH}"), secret: push_key.into() };
    let client = PushClient::new(push, config(), issued.host.store.clone());

    let uri = client.push(&issued.number, LockerOwner::DigiLockerId(DIGILOCKER_ID.into())).await.unwrap();
    assert_eq!(uri.to_string(), format!("{ISSUER_ID}-BTCER-{}", issued.number));
    let pushed = stand_in.pushed();
    assert_eq!(pushed.len(), 1);
    let kept = &pushed[0];
    assert_eq!((kept.uri.as_str(), kept.doc_type.as_str()), (uri.to_string().as_str(), "BTCER"));
    assert_eq!((kept.doc_id.as_str(), kept.doc_name.as_str()), (issued.number.as_str(), "Birth Certificate"));
    assert_eq!(kept.digilocker_id.as_deref(), Some(DIGILOCKER_ID));
    assert_eq!(kept.action, "A");

    // The citizen opens it in DigiLocker: a signed Pull Doc back to Mitra.
    let pulled = stand_in.pull_doc(&kept.uri, DIGILOCKER_ID).await.unwrap();
    assert_eq!(pulled.status, 1);
    assert!(pulled.pdf.unwrap() == issued.sent, "DigiLocker shows the PDF the citizen received");
    assert!(pulled.data.is_some());

    // A push signed with the wrong key is refused by DigiLocker, and said so.
    let forged = PushConfig { endpoint: format!("{locker}{PUSH_PATH}"), secret: "a guess".into() };
    let forger = PushClient::new(forged, config(), issued.host.store.clone());
    let error = forger.push(&issued.number, LockerOwner::DigiLockerId(DIGILOCKER_ID.into())).await.unwrap_err();
    assert!(error.to_string().contains("401"), "{error}");
    assert_eq!(stand_in.pushed().len(), 1);
}

/// Signed requests that are not DigiLocker's now: each refused 401 before
/// anything is looked up, and counted by why.
async fn stale_forged_and_replayed_requests_are_refused(store: Store) {
    let base = bare_digilocker_on(store).await;
    let (pull_uri, pull_doc) = (format!("{base}/digilocker/pulluri"), format!("{base}/digilocker/pulldoc"));
    let search = |stamp: &Stamp, txn: &str| {
        pull_uri_request_stamped(stamp, txn, "BTCER", Some("Lakshmi Devi"), None, "MTR-261203-7K2M9QXA")
    };
    let cases = [
        ("stale", "half an hour and a minute old", search(&Stamp::at(-31, SECRET), "s1")),
        ("stale", "from half an hour and a minute ahead", search(&Stamp::at(31, SECRET), "s2")),
        ("keyhash", "keyhash of another key", search(&Stamp::at(0, "another key"), "k1")),
        ("keyhash", "no keyhash", search(&Stamp { keyhash: String::new(), ..Stamp::now() }, "k2")),
        (
            "keyhash",
            "a keyhash of another ts",
            search(&Stamp { keyhash: Stamp::at(-1, SECRET).keyhash, ..Stamp::now() }, "k3"),
        ),
    ];
    for (reason, what, body) in cases {
        let before = refused_for(reason);
        let (status, answer) = post(&pull_uri, &body, Some(sign(SECRET, &body))).await;
        assert_eq!(status, 401, "{what}: {answer}");
        assert!(!answer.contains("ResponseStatus"), "{what}: {answer}");
        assert!(refused_for(reason) > before, "{what} counted as {reason}");
    }

    // Within the window either way: taken, once per transaction.
    for (txn, minutes) in [("w1", -29), ("w2", 29)] {
        let body = search(&Stamp::at(minutes, SECRET), txn);
        let (status, answer) = post(&pull_uri, &body, Some(sign(SECRET, &body))).await;
        assert_eq!(status, 200, "{minutes} minutes: {answer}");
    }
    let body = search(&Stamp::now(), "7781");
    let (status, answer) = post(&pull_uri, &body, Some(sign(SECRET, &body))).await;
    assert_eq!((status, attribute_of(&answer, "ResponseStatus", "Status").as_deref()), (200, Some("0")), "{answer}");
    let before = refused_for("replayed");
    let (status, answer) = post(&pull_uri, &body, Some(sign(SECRET, &body))).await;
    assert_eq!(status, 401, "the same request again: {answer}");
    assert!(refused_for("replayed") > before);
    // The same txn freshly stamped is still a replay; on the other endpoint
    // it is another transaction.
    let again = search(&Stamp::at(1, SECRET), "7781");
    assert_eq!(post(&pull_uri, &again, Some(sign(SECRET, &again))).await.0, 401);
    let doc = pull_doc_request("7781", &format!("{ISSUER_ID}-BTCER-MTR-1"), "pdf");
    assert_eq!(post(&pull_doc, &doc, Some(sign(SECRET, &doc))).await.0, 200);
    assert_eq!(post(&pull_doc, &doc, Some(sign(SECRET, &doc))).await.0, 401);
}

#[tokio::test]
async fn a_stale_a_forged_or_a_replayed_pull_is_refused_and_counted() {
    stale_forged_and_replayed_requests_are_refused(Store::connect("sqlite::memory:").await.unwrap()).await;
}

#[tokio::test]
async fn a_stale_a_forged_or_a_replayed_pull_is_refused_on_postgres() {
    let store = Store::connect(&crate::store::fresh_postgres().await).await.unwrap();
    stale_forged_and_replayed_requests_are_refused(store).await;
}

/// The key DigiLocker gave the issuer for pushing.
const PUSH_KEY: &str = "key-digilocker-gave-the-issuer";

/// A host whose chat offers "Save to DigiLocker", its pusher running (with
/// quick retries) against a DigiLocker stand-in, which pulls back from the
/// host's own Pull Doc.
struct Saving {
    h: Harness,
    store: Store,
    stand_in: Arc<StandIn>,
    _runtime: mitra::runtime::Runtime,
    _tmp: tempfile::TempDir,
}

/// A SQLite database in a file of its own (the webhook's 200 waits for
/// the file to be synced).
async fn sqlite_store(tmp: &tempfile::TempDir) -> Store {
    Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap()
}

async fn saving_host(store: Option<Store>, retries: Retries) -> Saving {
    let tmp = tempfile::tempdir().unwrap();
    let store = match store {
        Some(store) => store,
        None => sqlite_store(&tmp).await,
    };
    let rt = runtime();
    let (fake, graph_url) = start_fake().await;
    let backend = mitra_tests::start_backend("municipal").await;
    let plugin = mitra_tests::with_backend(mitra_tests::department("municipal"), backend);
    let loader = rt.clone();
    let loaded = tokio::task::spawn_blocking(move || loader.load(plugin)).await.unwrap().unwrap();
    let catalog = Arc::new(Catalog::new());
    catalog.publish(Arc::new(loaded));
    let state = AppState::new(catalog, store.clone());
    let pulls = serve(mitra::digilocker::router(state.issuer.clone(), store.clone(), config())).await;
    let stand_in = StandIn::new(PUSH_KEY, SECRET, &format!("{pulls}/digilocker/pulldoc"));
    let locker = serve(mitra::digilocker::stand_in::router(stand_in.clone())).await;
    let push = PushConfig { endpoint: format!("{locker}{PUSH_PATH}"), secret: PUSH_KEY.into() };
    let pusher = Arc::new(Pusher::new(push, config(), store.clone()).with_retries(retries));
    tokio::spawn(pusher.clone().run());
    let webhook = WebhookConfig { verify_token: "v".into(), app_secret: crate::conversation::SECRET.into() };
    let graph = GraphConfig { base_url: graph_url, token: "t".into(), rate_per_number: 1000, ..Default::default() };
    let app = host(state.with_digilocker(Some(pusher)), webhook, graph);
    Saving { h: Harness { app, fake }, store, stand_in, _runtime: rt, _tmp: tmp }
}

/// Tries a failed push again after 100 ms, then 200 ms, `attempts` in all.
fn quick(attempts: i64) -> Retries {
    Retries { attempts, first: Duration::from_millis(100), longest: Duration::from_millis(200) }
}

/// The citizen's chat up to the certificate, then the offer to save it:
/// the certificate's number and the PDF they received.
async fn certificate_then_offer(host: &Saving, wa: &str) -> (String, Vec<u8>) {
    let h = &host.h;
    h.say(wa, text(wa, "hi"), 1).await;
    h.say(wa, tap(wa, "lang:en", false), 2).await;
    h.say(wa, tap(wa, "svc:municipal/birth-certificate", true), 1).await;
    h.say(wa, tap(wa, "start:municipal/birth-certificate", false), 1).await;
    h.say(wa, text(wa, "B-2023-VJA-04821"), 1).await;
    // The summary, the certificate, the menu, and once the certificate has
    // gone, the offer.
    let issued = h.say(wa, tap(wa, "form:submit", false), 4).await;
    let document = issued.iter().find(|m| m["type"] == "document").expect("the certificate");
    let number = document["document"]["filename"].as_str().unwrap().trim_end_matches(".pdf").to_owned();
    let media_id = document["document"]["id"].as_str().unwrap();
    let pdf = h.fake.media.lock().unwrap()[media_id].bytes.clone();
    let offer = issued.last().unwrap();
    assert_eq!(offer["type"], "interactive", "the offer comes after the certificate: {issued:#?}");
    let button = &offer["interactive"]["action"]["buttons"][0]["reply"];
    assert_eq!(button["id"], save_id(&number).as_str());
    assert_eq!(button["title"], "Save to DigiLocker");
    let body = offer["interactive"]["body"]["text"].as_str().unwrap();
    assert!(body.contains(&number) && body.contains("this mobile number"), "{body}");
    (number, pdf)
}

fn said(message: &Value) -> &str {
    message["text"]["body"].as_str().unwrap_or_default()
}

/// Nothing more reaches `wa` for a while (the sender looks for queued
/// messages every second).
async fn nothing_more_to(host: &Saving, wa: &str) {
    let before = host.h.fake.to(wa).len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let after = host.h.fake.to(wa);
    assert_eq!(after.len(), before, "{:#?}", &after[before..]);
}

async fn a_citizen_saves_a_certificate_to_digilocker_with_two_taps_and_it_is_pushed_once(
    store: Option<Store>,
    wa: &str,
) {
    let host = saving_host(store, quick(3)).await;
    let (number, pdf) = certificate_then_offer(&host, wa).await;

    // Two taps: each answered, one push, one "saved".
    let first = host.h.say(wa, tap(wa, &save_id(&number), false), 1).await;
    assert!(said(&first[0]).starts_with("Saving certificate"), "{first:#?}");
    let rest = host.h.say(wa, tap(wa, &save_id(&number), false), 2).await;
    let told: Vec<&str> = rest.iter().map(said).filter(|s| s.starts_with('✅')).collect();
    assert_eq!(told.len(), 1, "told once: {rest:#?}");
    assert!(told[0].contains(&number) && told[0].contains("Issued Documents"), "{}", told[0]);
    assert!(
        rest.iter().map(said).any(|s| s.starts_with("Saving certificate")),
        "the second tap is answered: {rest:#?}"
    );

    let pushed = host.stand_in.pushed();
    assert_eq!(pushed.len(), 1, "{pushed:?}");
    assert_eq!(host.stand_in.received(), 1);
    let kept = &pushed[0];
    assert_eq!(kept.uri, format!("{ISSUER_ID}-BTCER-{number}"));
    assert_eq!(kept.mobile.as_deref(), Some(&wa[2..]), "the locker of the citizen's mobile number");
    assert_eq!((kept.doc_id.as_str(), kept.doc_type.as_str()), (number.as_str(), "BTCER"));
    let push = host.store.digilocker_push(&number).await.unwrap().unwrap();
    assert_eq!((push.state.as_str(), push.attempts), (PUSH_SAVED, 1));
    assert_eq!(push.uri.as_deref(), Some(kept.uri.as_str()));

    // The citizen opens it in DigiLocker: the PDF they received on WhatsApp.
    let pulled = host.stand_in.pull_doc(&kept.uri, &wa[2..]).await.unwrap();
    assert_eq!(pulled.status, 1);
    assert!(pulled.pdf.unwrap() == pdf, "DigiLocker shows the PDF the citizen received");

    // A later tap is told it is there, and pushes nothing.
    let later = host.h.say(wa, tap(wa, &save_id(&number), false), 1).await;
    assert!(said(&later[0]).contains("is saved in your DigiLocker"), "{later:#?}");
    nothing_more_to(&host, wa).await;
    assert_eq!((host.stand_in.received(), host.stand_in.pushed().len()), (1, 1));

    // `status` sends the certificate again: no second offer, it is saved.
    let again = host.h.say(wa, text(wa, &format!("status {number}")), 2).await;
    assert_eq!(again[1]["type"], "document");
    nothing_more_to(&host, wa).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_citizen_saves_a_certificate_to_digilocker_with_two_taps_and_it_is_pushed_and_told_once() {
    a_citizen_saves_a_certificate_to_digilocker_with_two_taps_and_it_is_pushed_once(None, "919866600111").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn saving_to_digilocker_records_one_push_and_tells_once_on_postgres() {
    let store = Store::connect(&crate::store::fresh_postgres().await).await.unwrap();
    a_citizen_saves_a_certificate_to_digilocker_with_two_taps_and_it_is_pushed_once(Some(store), "919866600112").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_while_digilocker_is_down_is_retried_until_it_is_up_and_told_once() {
    let host = saving_host(None, quick(5)).await;
    let wa = "919866600113";
    let (number, _) = certificate_then_offer(&host, wa).await;
    host.stand_in.go_down_for(2);
    let answered = host.h.say(wa, tap(wa, &save_id(&number), false), 2).await;
    assert!(said(&answered[0]).starts_with("Saving certificate"), "{answered:#?}");
    assert!(said(&answered[1]).starts_with('✅'), "{answered:#?}");
    nothing_more_to(&host, wa).await;
    assert_eq!(host.stand_in.received(), 3, "503, 503, then taken");
    assert_eq!(host.stand_in.pushed().len(), 1);
    let push = host.store.digilocker_push(&number).await.unwrap().unwrap();
    assert_eq!((push.state.as_str(), push.attempts), (PUSH_SAVED, 3));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_digilocker_never_takes_is_given_up_and_the_citizen_told_what_to_do() {
    let host = saving_host(None, quick(3)).await;
    let wa = "919866600114";
    let (number, _) = certificate_then_offer(&host, wa).await;
    host.stand_in.go_down_for(u64::MAX);
    let answered = host.h.say(wa, tap(wa, &save_id(&number), false), 2).await;
    assert!(said(&answered[0]).starts_with("Saving certificate"), "{answered:#?}");
    let told = said(&answered[1]);
    assert!(told.contains("could not be saved"), "{told}");
    assert!(told.contains("still valid"), "{told}");
    assert!(told.contains(&format!("certificate number {number}")), "pull it by its number: {told}");
    nothing_more_to(&host, wa).await;
    assert_eq!((host.stand_in.received(), host.stand_in.pushed().len()), (3, 0));
    let push = host.store.digilocker_push(&number).await.unwrap().unwrap();
    assert_eq!((push.state.as_str(), push.attempts), (PUSH_FAILED, 3));
    assert!(push.last_error.unwrap().contains("503"));

    // Tapping again tells the same, and pushes nothing more.
    host.stand_in.go_down_for(0);
    let again = host.h.say(wa, tap(wa, &save_id(&number), false), 1).await;
    assert!(said(&again[0]).contains("could not be saved"), "{again:#?}");
    nothing_more_to(&host, wa).await;
    assert_eq!(host.stand_in.received(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tap_on_someone_elses_certificate_records_nothing() {
    let host = saving_host(None, quick(3)).await;
    let (owner, other) = ("919866600115", "919866600116");
    let (number, _) = certificate_then_offer(&host, owner).await;
    host.h.say(other, text(other, "hi"), 1).await;
    host.h.say(other, tap(other, "lang:en", false), 2).await;
    let answered = host.h.say(other, tap(other, &save_id(&number), false), 1).await;
    assert!(said(&answered[0]).contains("No certificate of yours"), "{answered:#?}");
    assert!(host.store.digilocker_push(&number).await.unwrap().is_none());
    let unknown = host.h.say(other, tap(other, &save_id("MTR-261203-ZZZZZZZZ"), false), 1).await;
    assert!(said(&unknown[0]).contains("No certificate of yours"), "{unknown:#?}");
    assert_eq!(host.stand_in.received(), 0);
}
