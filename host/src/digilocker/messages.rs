//! The XML messages of DigiLocker's Issuer API Specification, as serde types
//! read and written by quick-xml: the Pull URI and Pull Doc requests
//! DigiLocker sends, the issuer's answers, and the certificate metadata an
//! answer carries in `DataContent`.
//!
//! Element and attribute names are the specification's, spelled as it
//! spells them (`PullURIRequest`, `DigiLockerId`, `Status`). Elements are
//! matched by local name, so the namespace DigiLocker declares (it has sent
//! both `http://tempuri.org/` and its own schema URL) does not matter, and
//! elements Mitra does not use (`Photo`, other search parameters) are
//! skipped.

use quick_xml::events::Event;
use quick_xml::reader::Reader;
use serde::{Deserialize, Serialize};

/// The namespace binding the specification's answers carry.
pub const TEMPURI: &str = "http://tempuri.org/";

/// Written before every message Mitra sends, as the specification's
/// templates begin.
const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// The search parameter Mitra asks for when the Pull URI API is configured
/// in DigiLocker's Partner Portal: the certificate number printed on the
/// certificate (the application number). The specification calls these
/// issuer-defined parameters UDF1…n and lets the issuer name them, as CBSE
/// names its `RollNo`.
pub const CERTIFICATE_NUMBER: &str = "CertificateNumber";

/// `<ResponseStatus Status="1" ts="…" txn="…">1</ResponseStatus>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseStatus {
    /// 1 success, 0 error, 9 pending.
    #[serde(rename = "@Status")]
    pub status: u8,
    /// As sent in the request.
    #[serde(rename = "@ts", default)]
    pub ts: String,
    /// As sent in the request.
    #[serde(rename = "@txn", default)]
    pub txn: String,
    /// The status again, as the element's text.
    #[serde(rename = "$text")]
    pub text: u8,
}

impl ResponseStatus {
    pub const SUCCESS: u8 = 1;
    pub const ERROR: u8 = 0;

    pub fn new(status: u8, ts: &str, txn: &str) -> Self {
        Self { status, ts: ts.to_owned(), txn: txn.to_owned(), text: status }
    }
}

/// What the request's `format` attribute asks for. Absent means the PDF
/// (the specification: "If the format attribute is not present in the
/// request, then the API must return Base64 encoded PDF data").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Xml,
    Both,
}

impl Format {
    /// The attribute as sent; a value the specification does not define is
    /// read as the default rather than refused.
    pub fn of(attribute: Option<&str>) -> Self {
        match attribute.map(str::trim) {
            Some(f) if f.eq_ignore_ascii_case("xml") => Format::Xml,
            Some(f) if f.eq_ignore_ascii_case("both") => Format::Both,
            _ => Format::Pdf,
        }
    }

    /// Whether `DocContent` (the PDF) goes into the answer.
    pub fn wants_pdf(self) -> bool {
        self != Format::Xml
    }
}

/// `<PullURIRequest ver ts txn orgId format><DocDetails>…</DocDetails>`:
/// a citizen searching Mitra's certificates from DigiLocker.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "PullURIRequest")]
pub struct PullUriRequest {
    #[serde(rename = "@ver", default)]
    pub ver: String,
    #[serde(rename = "@ts", default)]
    pub ts: String,
    #[serde(rename = "@txn", default)]
    pub txn: String,
    #[serde(rename = "@orgId", default)]
    pub org_id: String,
    /// Hex SHA-256 of the API key followed by `ts`
    /// ([`super::signature::keyhash`]). The specification's element table
    /// spells it `keyHash`; `keyhash` is read too.
    #[serde(rename = "@keyhash", alias = "@keyHash", default)]
    pub keyhash: String,
    #[serde(rename = "@format", default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(rename = "DocDetails")]
    pub details: PullUriDetails,
}

/// Pull URI's `DocDetails`, one type for both ways. In the request, what
/// DigiLocker searches by: the document type, the account, the
/// Aadhaar-verified name and date of birth (when the API is configured to
/// send them) and the certificate number. The answer echoes that search
/// ([`PullUriDetails::echoing`]), then gives who the certificate names (for
/// DigiLocker's own name matching), the URI and the content.
///
/// One type rather than an answer that flattens the search into itself:
/// quick-xml cannot read a flattened struct back (serde buffers it, and a
/// text element then arrives as a map), and the answer must round-trip.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullUriDetails {
    #[serde(rename = "DocType")]
    pub doc_type: String,
    /// The 36-character DigiLocker account id.
    #[serde(rename = "DigiLockerId", default)]
    pub digilocker_id: String,
    /// Aadhaar (or its hash), when configured; echoed, never stored.
    #[serde(rename = "UID", default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// The name as on Aadhaar.
    #[serde(rename = "FullName", default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// `DD-MM-YYYY`, as on Aadhaar.
    #[serde(rename = "DOB", default, skip_serializing_if = "Option::is_none")]
    pub dob: Option<String>,
    #[serde(rename = "CertificateNumber", default, skip_serializing_if = "Option::is_none")]
    pub certificate_number: Option<String>,
    /// The answer's from here on.
    #[serde(rename = "IssuedTo", default, skip_serializing_if = "Option::is_none")]
    pub issued_to: Option<IssuedTo>,
    #[serde(rename = "URI", default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// Base64 of the PDF.
    #[serde(rename = "DocContent", default, skip_serializing_if = "Option::is_none")]
    pub doc_content: Option<String>,
    /// Base64 of the certificate metadata ([`Certificate`]).
    #[serde(rename = "DataContent", default, skip_serializing_if = "Option::is_none")]
    pub data_content: Option<String>,
}

impl PullUriDetails {
    /// The search alone, as the specification's answers echo it, with
    /// nothing found yet (whatever else a request carried is dropped).
    pub fn echoing(&self) -> Self {
        Self { issued_to: None, uri: None, doc_content: None, data_content: None, ..self.clone() }
    }
}

/// `<PullURIResponse>`: the URI found, with the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "PullURIResponse")]
pub struct PullUriResponse {
    #[serde(rename = "@xmlns:ns2", default)]
    pub ns2: String,
    #[serde(rename = "ResponseStatus")]
    pub status: ResponseStatus,
    #[serde(rename = "DocDetails")]
    pub details: PullUriDetails,
}

/// `<IssuedTo><Persons><Person name dob/></Persons></IssuedTo>`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedTo {
    #[serde(rename = "Persons")]
    pub persons: Persons,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Persons {
    #[serde(rename = "Person", default)]
    pub person: Vec<Person>,
}

/// A person a certificate is issued to. The specification also lists
/// gender and phone; Mitra sends what the certificate states.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    #[serde(rename = "@name")]
    pub name: String,
    /// `DD-MM-YYYY`.
    #[serde(rename = "@dob", default, skip_serializing_if = "Option::is_none")]
    pub dob: Option<String>,
}

/// `<PullDocRequest ver ts txn orgId format><DocDetails><URI>…`: DigiLocker
/// fetching a document whose URI a citizen keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "PullDocRequest")]
pub struct PullDocRequest {
    #[serde(rename = "@ver", default)]
    pub ver: String,
    #[serde(rename = "@ts", default)]
    pub ts: String,
    #[serde(rename = "@txn", default)]
    pub txn: String,
    #[serde(rename = "@orgId", default)]
    pub org_id: String,
    /// As in [`PullUriRequest::keyhash`].
    #[serde(rename = "@keyhash", alias = "@keyHash", default)]
    pub keyhash: String,
    #[serde(rename = "@format", default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(rename = "DocDetails")]
    pub details: PullDocDetails,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullDocDetails {
    #[serde(rename = "URI")]
    pub uri: String,
    #[serde(rename = "DigiLockerId", default, skip_serializing_if = "Option::is_none")]
    pub digilocker_id: Option<String>,
}

/// `<PullDocResponse>`: the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "PullDocResponse")]
pub struct PullDocResponse {
    #[serde(rename = "@xmlns:ns2", default)]
    pub ns2: String,
    #[serde(rename = "ResponseStatus")]
    pub status: ResponseStatus,
    #[serde(rename = "DocDetails")]
    pub details: PullDocAnswer,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullDocAnswer {
    #[serde(rename = "DocContent", default, skip_serializing_if = "Option::is_none")]
    pub doc_content: Option<String>,
    #[serde(rename = "DataContent", default, skip_serializing_if = "Option::is_none")]
    pub data_content: Option<String>,
}

/// The certificate metadata of `DataContent`, in the Digital Locker
/// Technical Specification's generic structure: what the certificate is,
/// who issued it, to whom, and its own data. Mitra's own data is the fields
/// as printed (identifiers masked) and the signed payload its QR code
/// carries, so a machine reading DigiLocker's copy can verify it as a
/// person scanning the paper does.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Certificate")]
pub struct Certificate {
    /// The title, e.g. `Birth Certificate`.
    #[serde(rename = "@name")]
    pub name: String,
    /// The DigiLocker document type.
    #[serde(rename = "@type")]
    pub doc_type: String,
    /// The certificate number.
    #[serde(rename = "@number")]
    pub number: String,
    /// `DD-MM-YYYY`.
    #[serde(rename = "@issueDate")]
    pub issue_date: String,
    #[serde(rename = "@expiryDate", default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<String>,
    /// `A`: active (revoked certificates are not served at all).
    #[serde(rename = "@status")]
    pub status: String,
    #[serde(rename = "IssuedBy")]
    pub issued_by: IssuedBy,
    #[serde(rename = "IssuedTo")]
    pub issued_to: Persons,
    #[serde(rename = "CertificateData")]
    pub data: CertificateData,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedBy {
    #[serde(rename = "Organization")]
    pub organization: Organization,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    #[serde(rename = "@name")]
    pub name: String,
    /// `SG`: a state government.
    #[serde(rename = "@type")]
    pub kind: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateData {
    #[serde(rename = "Field", default)]
    pub fields: Vec<Field>,
    #[serde(rename = "Signed")]
    pub signed: Signed,
}

/// One printed field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    #[serde(rename = "@label")]
    pub label: String,
    #[serde(rename = "@value")]
    pub value: String,
}

/// The certificate's signed payload and where it is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    /// The transparency log entry.
    #[serde(rename = "@logIndex")]
    pub log_index: u64,
    #[serde(rename = "@verifyAt")]
    pub verify_at: String,
    /// `MTR1:…`, as the QR code carries it.
    #[serde(rename = "$text")]
    pub payload: String,
}

/// Why a message could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    #[error("the body is not UTF-8")]
    NotUtf8,
    #[error("not well-formed XML: {0}")]
    IllFormed(String),
    #[error("a DTD is not accepted")]
    Dtd,
    #[error("expected <{expected}>, found <{found}>")]
    WrongRoot { expected: &'static str, found: String },
    #[error("not a {root}: {detail}")]
    Shape { root: &'static str, detail: String },
}

/// Reads `body` as the message whose root element is `root`: well-formed
/// throughout (one root, matching end tags, valid attributes, no DTD), then
/// deserialised.
pub fn read<T: serde::de::DeserializeOwned>(body: &[u8], root: &'static str) -> Result<T, MessageError> {
    let text = std::str::from_utf8(body).map_err(|_| MessageError::NotUtf8)?;
    let found = root_of(text)?;
    if found != root {
        return Err(MessageError::WrongRoot { expected: root, found });
    }
    quick_xml::de::from_str(text).map_err(|e| MessageError::Shape { root, detail: e.to_string() })
}

/// The local name of the one root element of a well-formed document.
///
/// serde's deserializer stops once it has what it wants, so a body with a
/// broken tail or a second root would otherwise be taken; DigiLocker never
/// sends one, and a DTD (entity expansion) has no place in these messages.
fn root_of(text: &str) -> Result<String, MessageError> {
    let mut reader = Reader::from_str(text);
    let ill = |e: &dyn std::fmt::Display| MessageError::IllFormed(e.to_string());
    let (mut root, mut depth) = (None::<String>, 0usize);
    loop {
        let event = reader.read_event().map_err(|e| ill(&e))?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                for attribute in e.attributes() {
                    attribute.map_err(|e| ill(&e))?;
                }
                if depth == 0 {
                    if root.is_some() {
                        return Err(ill(&"more than one root element"));
                    }
                    root = Some(e.local_name().into_inner().to_owned());
                }
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                }
            }
            Event::End(_) => depth = depth.checked_sub(1).ok_or_else(|| ill(&"an end tag without its start"))?,
            Event::Text(t) if depth == 0 && !t.trim().is_empty() => return Err(ill(&"text outside the root element")),
            Event::CData(_) | Event::GeneralRef(_) if depth == 0 => {
                return Err(ill(&"content outside the root element"));
            }
            Event::DocType(_) => return Err(MessageError::Dtd),
            Event::Eof if depth > 0 => return Err(ill(&"the document ends inside an element")),
            Event::Eof => return root.ok_or_else(|| ill(&"no root element")),
            _ => {}
        }
    }
}

/// `message` as XML with the declaration before it.
pub fn write<T: Serialize>(message: &T) -> String {
    let mut xml = String::from(DECLARATION);
    quick_xml::se::to_writer(&mut xml, message).expect("these messages are plain structs of strings");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Pull URI request as the specification's template writes it.
    const PULL_URI: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<PullURIRequest xmlns="http://tempuri.org/" ver="3.0" ts="2026-12-03T10:15:00+05:30" txn="7781" orgId="in.gov.ap.mitra" keyhash="ab12" format="both">
  <DocDetails>
    <DocType>BTCER</DocType>
    <DigiLockerId>123e4567-e89b-12d3-a456-426655440000</DigiLockerId>
    <UID>499112345677</UID>
    <FullName>Lakshmi  Devi</FullName>
    <DOB>31-12-2019</DOB>
    <Photo>/9j/4AAQSkZJRg==</Photo>
    <CertificateNumber>MTR-261203-7K2M9QXA</CertificateNumber>
  </DocDetails>
</PullURIRequest>"#;

    #[test]
    fn a_pull_uri_request_is_read_as_the_specification_writes_it() {
        let request: PullUriRequest = read(PULL_URI.as_bytes(), "PullURIRequest").unwrap();
        assert_eq!((request.ver.as_str(), request.txn.as_str()), ("3.0", "7781"));
        assert_eq!((request.org_id.as_str(), request.keyhash.as_str()), ("in.gov.ap.mitra", "ab12"));
        assert_eq!(Format::of(request.format.as_deref()), Format::Both);
        let d = &request.details;
        assert_eq!(d.doc_type, "BTCER");
        assert_eq!(d.digilocker_id, "123e4567-e89b-12d3-a456-426655440000");
        assert_eq!(d.full_name.as_deref(), Some("Lakshmi  Devi"));
        assert_eq!(d.dob.as_deref(), Some("31-12-2019"));
        assert_eq!(d.certificate_number.as_deref(), Some("MTR-261203-7K2M9QXA"));
    }

    #[test]
    fn a_request_under_another_namespace_prefix_is_read_alike() {
        let prefixed = r#"<ns2:PullDocRequest xmlns:ns2="https://www.digitallocker.gov.in/schema/issuer/v1/pulldocrequest" ver="1.0" ts="t" txn="9" orgId="o"><ns2:DocDetails><ns2:URI>in.gov.ap.mitra-BTCER-MTR-1</ns2:URI><ns2:DigiLockerId>d</ns2:DigiLockerId></ns2:DocDetails></ns2:PullDocRequest>"#;
        let request: PullDocRequest = read(prefixed.as_bytes(), "PullDocRequest").unwrap();
        assert_eq!(request.details.uri, "in.gov.ap.mitra-BTCER-MTR-1");
        assert_eq!(request.details.digilocker_id.as_deref(), Some("d"));
        assert_eq!(Format::of(request.format.as_deref()), Format::Pdf);
    }

    #[test]
    fn the_keyhash_is_read_as_either_spelling() {
        let camel = r#"<PullDocRequest ver="1.0" ts="t" txn="9" orgId="o" keyHash="ab12"><DocDetails><URI>x</URI></DocDetails></PullDocRequest>"#;
        assert_eq!(read::<PullDocRequest>(camel.as_bytes(), "PullDocRequest").unwrap().keyhash, "ab12");
        let lower = camel.replace("keyHash", "keyhash");
        assert_eq!(read::<PullDocRequest>(lower.as_bytes(), "PullDocRequest").unwrap().keyhash, "ab12");
    }

    #[test]
    fn an_answer_echoes_the_search_and_nothing_else_the_request_carried() {
        let mut request: PullUriRequest = read(PULL_URI.as_bytes(), "PullURIRequest").unwrap();
        request.details.uri = Some("in.gov.ap.mitra-BTCER-MTR-2".into());
        request.details.doc_content = Some("JVBERi0=".into());
        let echoed = request.details.echoing();
        assert_eq!((echoed.uri, echoed.doc_content), (None, None));
        assert_eq!(echoed.certificate_number.as_deref(), Some("MTR-261203-7K2M9QXA"));
        assert_eq!(echoed.full_name, request.details.full_name);
    }

    #[test]
    fn requests_round_trip_through_xml() {
        let pull_uri: PullUriRequest = read(PULL_URI.as_bytes(), "PullURIRequest").unwrap();
        let again: PullUriRequest = read(write(&pull_uri).as_bytes(), "PullURIRequest").unwrap();
        assert_eq!(again, pull_uri);

        let pull_doc = PullDocRequest {
            ver: "1.0".into(),
            ts: "2026-12-03T10:15:00+05:30".into(),
            txn: "a&b<c>\"".into(),
            org_id: "in.gov.ap.mitra".into(),
            keyhash: "0f1e".into(),
            format: Some("pdf".into()),
            details: PullDocDetails { uri: "in.gov.ap.mitra-BTCER-MTR-1".into(), digilocker_id: None },
        };
        let xml = write(&pull_doc);
        assert!(xml.starts_with(DECLARATION) && xml.contains("<PullDocRequest "), "{xml}");
        assert_eq!(read::<PullDocRequest>(xml.as_bytes(), "PullDocRequest").unwrap(), pull_doc);
    }

    #[test]
    fn answers_round_trip_and_carry_the_status_as_attribute_and_text() {
        let answer = PullUriResponse {
            ns2: TEMPURI.into(),
            status: ResponseStatus::new(ResponseStatus::SUCCESS, "2026-12-03T10:15:00+05:30", "7781"),
            details: PullUriDetails {
                doc_type: "BTCER".into(),
                digilocker_id: "d".into(),
                uid: None,
                full_name: Some("Lakshmi Devi".into()),
                dob: None,
                certificate_number: Some("MTR-1".into()),
                issued_to: Some(IssuedTo {
                    persons: Persons {
                        person: vec![Person { name: "Lakshmi Devi".into(), dob: Some("31-12-2019".into()) }],
                    },
                }),
                uri: Some("in.gov.ap.mitra-BTCER-MTR-1".into()),
                doc_content: Some("JVBERi0=".into()),
                data_content: Some("PENlcnRpZmljYXRlLz4=".into()),
            },
        };
        let xml = write(&answer);
        assert!(xml.contains(r#"<PullURIResponse xmlns:ns2="http://tempuri.org/">"#), "{xml}");
        assert!(
            xml.contains(r#"<ResponseStatus Status="1" ts="2026-12-03T10:15:00+05:30" txn="7781">1</ResponseStatus>"#),
            "{xml}"
        );
        assert!(xml.contains(r#"<Person name="Lakshmi Devi" dob="31-12-2019"/>"#), "{xml}");
        // The echoed search comes before the URI and the content, as in the specification.
        let at = |s: &str| xml.find(s).unwrap();
        assert!(at("<CertificateNumber>") < at("<IssuedTo>") && at("<IssuedTo>") < at("<URI>"));
        assert!(at("<URI>") < at("<DocContent>") && at("<DocContent>") < at("<DataContent>"));
        assert_eq!(read::<PullUriResponse>(xml.as_bytes(), "PullURIResponse").unwrap(), answer);
    }

    #[test]
    fn text_is_escaped_when_written() {
        let person = Person { name: r#"A & "B" <C>"#.into(), dob: None };
        let xml = write(&Persons { person: vec![person.clone()] });
        assert!(!xml.contains("<C>") && !xml.contains("& "), "{xml}");
        assert_eq!(read::<Persons>(xml.as_bytes(), "Persons").unwrap().person, [person]);
    }

    #[test]
    fn what_is_not_well_formed_is_refused() {
        let cases: &[&[u8]] = &[
            b"",
            b"not xml at all",
            b"<PullDocRequest><DocDetails><URI>x</URI></DocDetails>",
            b"<PullDocRequest><DocDetails><URI>x</DocDetails></URI></PullDocRequest>",
            b"<PullDocRequest ver=1.0><DocDetails><URI>x</URI></DocDetails></PullDocRequest>",
            b"<PullDocRequest ver=\"1\" ver=\"2\"><DocDetails><URI>x</URI></DocDetails></PullDocRequest>",
            b"<PullDocRequest><DocDetails><URI>x</URI></DocDetails></PullDocRequest><PullDocRequest/>",
            b"<PullDocRequest><DocDetails><URI>x</URI></DocDetails></PullDocRequest>trailing",
            b"<!DOCTYPE d [<!ENTITY e \"x\">]><PullDocRequest><DocDetails><URI>&e;</URI></DocDetails></PullDocRequest>",
            b"<PullDocRequest><DocDetails><URI>\xff</URI></DocDetails></PullDocRequest>",
        ];
        for body in cases {
            assert!(read::<PullDocRequest>(body, "PullDocRequest").is_err(), "{:?}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn a_well_formed_message_of_another_kind_or_shape_is_refused() {
        let pull_doc = b"<PullDocRequest><DocDetails><URI>x</URI></DocDetails></PullDocRequest>";
        assert!(matches!(
            read::<PullUriRequest>(pull_doc, "PullURIRequest"),
            Err(MessageError::WrongRoot { found, .. }) if found == "PullDocRequest"
        ));
        let no_details = b"<PullURIRequest ver=\"1.0\"/>";
        assert!(matches!(read::<PullUriRequest>(no_details, "PullURIRequest"), Err(MessageError::Shape { .. })));
    }

    #[test]
    fn the_format_attribute_decides_whether_the_pdf_is_sent() {
        assert!(Format::of(None).wants_pdf());
        assert!(Format::of(Some("pdf")).wants_pdf());
        assert!(Format::of(Some("BOTH")).wants_pdf());
        assert!(!Format::of(Some("xml")).wants_pdf());
    }
}
