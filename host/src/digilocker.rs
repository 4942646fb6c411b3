//! Mitra as a DigiLocker issuer, as DigiLocker's Issuer API Specification
//! defines one: the certificates Mitra issues can be pulled into a
//! citizen's DigiLocker, and pushed there when the citizen asks.
//!
//! - **Pull URI** (`POST /digilocker/pulluri`): a citizen searches Mitra's
//!   certificates from DigiLocker by certificate number; DigiLocker sends the
//!   number with the name and date of birth Aadhaar verified, and gets the
//!   document's URI and the signed PDF — only if the certificate names that
//!   person.
//! - **Pull Doc** (`POST /digilocker/pulldoc`): DigiLocker fetches the
//!   document a kept URI names.
//! - **Push** ([`push`]): Mitra sends a newly issued certificate's URI to
//!   DigiLocker for a citizen who asked to save it there: the chat offers
//!   "Save to DigiLocker" once a certificate is sent, and the [`pusher`]
//!   sends what citizens asked for, with retries, and tells them.
//!
//! Every message is XML and every request carries `x-digilocker-hmac` and a
//! `keyhash` ([`signature`]); pulls must also be fresh and not replayed
//! ([`pull`]). [`stand_in`] is a local DigiLocker for tests and demos.
//! The document is always the one
//! [`Issuer::prepare`](crate::certificates::issuer::Issuer::prepare) gives: the same
//! signed PDF the citizen received on WhatsApp.

pub mod issued;
pub mod matching;
pub mod messages;
pub mod pull;
pub mod push;
pub mod pusher;
pub mod signature;
pub mod stand_in;
pub mod uri;

use std::str::FromStr;
use std::sync::OnceLock;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;

pub use self::pull::router;
use crate::telemetry::{OutcomeLabel, ReasonLabel};

/// What DigiLocker and Mitra agreed when the issuer was registered.
#[derive(Clone, Debug)]
pub struct DigiLockerConfig {
    /// Mitra's issuer ID, e.g. `in.gov.ap.mitra`: the first part of every URI.
    pub issuer_id: String,
    /// The API key set in DigiLocker's Partner Portal, which keys
    /// `x-digilocker-hmac` on the pull requests.
    pub secret: String,
    /// The document types Mitra issues, each with the services whose
    /// certificates it covers.
    pub doc_types: Vec<DocType>,
}

impl DigiLockerConfig {
    /// The document type with `code`, compared without case as the
    /// specification defines codes.
    pub fn doc_type(&self, code: &str) -> Option<&DocType> {
        self.doc_types.iter().find(|t| t.code.eq_ignore_ascii_case(code.trim()))
    }

    /// The document type of service `plugin/service`'s certificates.
    pub fn doc_type_of(&self, service: &str) -> Option<&DocType> {
        self.doc_types.iter().find(|t| t.covers(service))
    }
}

/// A DigiLocker document type, e.g. `BTCER` (birth certificate), and the
/// services (`plugin/service`) whose certificates are of that type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocType {
    pub code: String,
    pub services: Vec<String>,
}

impl DocType {
    pub fn covers(&self, service: &str) -> bool {
        self.services.iter().any(|s| s == service)
    }
}

/// `CODE=plugin/service`, several services joined by `|`:
/// `BTCER=municipal/birth-certificate`, as `MITRA_DIGILOCKER_DOC_TYPES`
/// lists them (comma-separated).
impl FromStr for DocType {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (code, services) = text.split_once('=').ok_or_else(|| format!("{text:?} is not CODE=plugin/service"))?;
        let code = code.trim();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!("{code:?} is not a document type (letters and digits, e.g. BTCER)"));
        }
        let services: Vec<String> = services.split('|').map(|s| s.trim().to_owned()).collect();
        if let Some(bad) = services.iter().find(|s| s.split_once('/').is_none_or(|(p, s)| p.is_empty() || s.is_empty()))
        {
            return Err(format!("{bad:?} is not plugin/service"));
        }
        Ok(DocType { code: code.to_owned(), services })
    }
}

/// Why a pull found nothing to serve. DigiLocker is told only Status 0, the
/// same for every reason, so that it cannot be used to learn which
/// certificate numbers exist; the reason is logged and counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unserved {
    /// A document type Mitra does not issue.
    UnknownDocType,
    /// A URI that is not of Mitra's form.
    UnknownUri,
    /// No certificate number in the search.
    NoCertificateNumber,
    /// No application has this number.
    NoSuchCertificate,
    /// The application has no certificate (yet, or ever).
    NotIssued,
    /// The certificate is of another document type.
    OtherDocType,
    Revoked,
    /// DigiLocker sent no name to compare.
    NoName,
    NameDiffers,
    BirthDateDiffers,
}

impl Unserved {
    pub fn reason(self) -> &'static str {
        match self {
            Unserved::UnknownDocType => "unknown_doc_type",
            Unserved::UnknownUri => "unknown_uri",
            Unserved::NoCertificateNumber => "no_certificate_number",
            Unserved::NoSuchCertificate => "no_such_certificate",
            Unserved::NotIssued => "not_issued",
            Unserved::OtherDocType => "other_doc_type",
            Unserved::Revoked => "revoked",
            Unserved::NoName => "no_name",
            Unserved::NameDiffers => "name_differs",
            Unserved::BirthDateDiffers => "birth_date_differs",
        }
    }
}

impl std::fmt::Display for Unserved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reason())
    }
}

/// Requests refused before they were read (HTTP 4xx), by reason:
/// `signature`, `malformed`, `too_large`, `unreadable_body`. A family of its
/// own until the metrics registry lists it (a clone shares the counts).
pub fn refusals() -> &'static Family<ReasonLabel, Counter> {
    static REFUSALS: OnceLock<Family<ReasonLabel, Counter>> = OnceLock::new();
    REFUSALS.get_or_init(Family::default)
}

/// Pulls answered Status 0, by [`Unserved::reason`].
pub fn unserved() -> &'static Family<ReasonLabel, Counter> {
    static UNSERVED: OnceLock<Family<ReasonLabel, Counter>> = OnceLock::new();
    UNSERVED.get_or_init(Family::default)
}

/// "Save to DigiLocker" by what became of it: `offered` (with a
/// certificate sent), `requested` (a citizen's tap), `retried`, `saved`,
/// `failed` (given up).
pub fn pushes() -> &'static Family<OutcomeLabel, Counter> {
    static PUSHES: OnceLock<Family<OutcomeLabel, Counter>> = OnceLock::new();
    PUSHES.get_or_init(Family::default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_types_are_read_as_configured() {
        let birth: DocType = "BTCER=municipal/birth-certificate".parse().unwrap();
        assert_eq!(birth, DocType { code: "BTCER".into(), services: vec!["municipal/birth-certificate".into()] });
        let income: DocType = " INCER = revenue/income | revenue/income-urban ".parse().unwrap();
        assert_eq!(income.services, ["revenue/income", "revenue/income-urban"]);
        for bad in ["BTCER", "=municipal/birth-certificate", "BT-CER=a/b", "BTCER=municipal", "BTCER=a/b|/c"] {
            assert!(bad.parse::<DocType>().is_err(), "{bad}");
        }
    }

    #[test]
    fn doc_types_are_taken_from_the_command_line_as_a_comma_separated_list() {
        #[derive(clap::Parser)]
        struct Serve {
            #[arg(long, value_delimiter = ',')]
            digilocker_doc_types: Vec<DocType>,
        }
        let list = "BTCER=municipal/birth-certificate,DTCER=municipal/death-certificate";
        let serve = <Serve as clap::Parser>::try_parse_from(["serve", "--digilocker-doc-types", list]).unwrap();
        let codes: Vec<&str> = serve.digilocker_doc_types.iter().map(|t| t.code.as_str()).collect();
        assert_eq!(codes, ["BTCER", "DTCER"]);
        assert!(<Serve as clap::Parser>::try_parse_from(["serve", "--digilocker-doc-types", "BTCER"]).is_err());
    }

    #[test]
    fn a_doc_type_is_found_by_code_without_case_or_by_service() {
        let config = DigiLockerConfig {
            issuer_id: "in.gov.ap.mitra".into(),
            secret: "s".into(),
            doc_types: vec!["BTCER=municipal/birth-certificate".parse().unwrap()],
        };
        assert_eq!(config.doc_type("btcer").map(|t| t.code.as_str()), Some("BTCER"));
        assert_eq!(config.doc_type_of("municipal/birth-certificate").map(|t| t.code.as_str()), Some("BTCER"));
        assert!(config.doc_type("DTCER").is_none() && config.doc_type_of("municipal/death-certificate").is_none());
    }
}
