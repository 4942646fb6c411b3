//! Mitra as a DigiLocker issuer, spoken to as DigiLocker speaks: requests
//! written by hand from the Issuer API Specification's templates, signed
//! with RustCrypto's HMAC-SHA256 (not the host's signer), posted over a real
//! socket to the router `mitra serve` mounts, and answers read back with
//! quick-xml's plain reader (not the host's message types).
//!
//! The certificate is a real one: a citizen applies for a birth
//! certificate on WhatsApp (the chat of `certificate_flow`), and what
//! DigiLocker receives must be byte for byte the PDF the citizen received.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use mitra::certificates::issuer::{self, Issuer};
use mitra::digilocker::push::{LockerOwner, PushClient, PushConfig};
use mitra::digilocker::stand_in::{PUSH_PATH, StandIn};
use mitra::digilocker::{DigiLockerConfig, refusals};
use mitra::telemetry::ReasonLabel;
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use sha2::Sha256;

use crate::certificate_flow::{Host, apply_for_a_birth_certificate, start_host};

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

/// A Pull URI request as DigiLocker sends it for a search by certificate
/// number, with the name and date of birth Aadhaar verified.
fn pull_uri_request(txn: &str, doc_type: &str, name: Option<&str>, dob: Option<&str>, number: &str) -> String {
    let name = name.map(|n| format!("\n    <FullName>{n}</FullName>")).unwrap_or_default();
    let dob = dob.map(|d| format!("\n    <DOB>{d}</DOB>")).unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<PullURIRequest xmlns="http://tempuri.org/" ver="3.0" ts="2026-12-03T10:15:00+05:30" txn="{txn}" orgId="{ISSUER_ID}" keyhash="0f1e" format="both">
  <DocDetails>
    <DocType>{doc_type}</DocType>
    <DigiLockerId>{DIGILOCKER_ID}</DigiLockerId>{name}{dob}
    <CertificateNumber>{number}</CertificateNumber>
  </DocDetails>
</PullURIRequest>"#
    )
}

/// A Pull Doc request for a URI kept in a citizen's locker.
fn pull_doc_request(txn: &str, uri: &str, format: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<PullDocRequest xmlns:ns2="http://tempuri.org/" ver="1.0" ts="2026-12-03T10:16:00+05:30" txn="{txn}" orgId="{ISSUER_ID}" format="{format}"><DocDetails><URI>{uri}</URI><DigiLockerId>{DIGILOCKER_ID}</DigiLockerId></DocDetails></PullDocRequest>"#
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
    let body = pull_uri_request("7781", "BTCER", Some(&shouted), Some(&issued.dob), &issued.number);
    let (status, answer) = post(&pull_uri, &body, Some(sign(SECRET, &body))).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(attribute_of(&answer, "ResponseStatus", "Status").as_deref(), Some("1"), "{answer}");
    assert_eq!(text_of(&answer, "ResponseStatus").as_deref(), Some("1"));
    assert_eq!(attribute_of(&answer, "ResponseStatus", "txn").as_deref(), Some("7781"));
    assert_eq!(attribute_of(&answer, "ResponseStatus", "ts").as_deref(), Some("2026-12-03T10:15:00+05:30"));
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
    for (what, uri) in [
        ("another issuer's URI", format!("in.gov.dept.state-BTCER-{number}")),
        ("the right number under another type", format!("{ISSUER_ID}-DTCER-{number}")),
        ("a number never issued", format!("{ISSUER_ID}-BTCER-MTR-261203-ZZZZZZZZ")),
        ("not a URI", "MTR".to_owned()),
    ] {
        let body = pull_doc_request("9", &uri, "both");
        let (status, answer) = post(&pull_doc, &body, Some(sign(SECRET, &body))).await;
        assert_eq!(status, 200, "{what}: {answer}");
        assert_eq!(attribute_of(&answer, "ResponseStatus", "Status").as_deref(), Some("0"), "{what}: {answer}");
        assert!(text_of(&answer, "DocContent").is_none() && text_of(&answer, "DataContent").is_none(), "{what}");
    }

    // Once an operator revokes it, even the right details get nothing.
    let right = pull_uri_request("10", "BTCER", Some(name), Some(dob), number);
    let (_, answer) = post(&pull_uri, &right, Some(sign(SECRET, &right))).await;
    assert_eq!(attribute_of(&answer, "ResponseStatus", "Status").as_deref(), Some("1"), "{answer}");
    issued.host.store.revoke(number, "issued in error", "collector-ntr").await.unwrap();
    let (_, answer) = post(&pull_uri, &right, Some(sign(SECRET, &right))).await;
    assert_eq!(attribute_of(&answer, "ResponseStatus", "Status").as_deref(), Some("0"), "{answer}");
    assert!(text_of(&answer, "DocContent").is_none());
    let body = pull_doc_request("11", &format!("{ISSUER_ID}-BTCER-{number}"), "both");
    let (_, answer) = post(&pull_doc, &body, Some(sign(SECRET, &body))).await;
    assert_eq!(attribute_of(&answer, "ResponseStatus", "Status").as_deref(), Some("0"), "{answer}");
}

/// A DigiLocker router over an empty store: enough for requests refused
/// before any certificate is looked at.
async fn bare_digilocker() -> String {
    let store = mitra::store::Store::connect("sqlite::memory:").await.unwrap();
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
