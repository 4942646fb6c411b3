//! Issuing a finished application's certificate: the claims drawn from the
//! plugin's document, signed and appended to the transparency log, laid out
//! as a PDF with the QR code.
//!
//! The chat stores the plugin's document with the application; the outbox
//! sender asks for the PDF when the document message is due
//! ([`Issuer::prepare`]). The leaf is committed then, before the document
//! can leave the outbox, and only once: a serial already in the log is
//! read back, not signed again, so a host killed anywhere between the two
//! sends the same certificate after its restart.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::keys::Keyring;
use super::log::TransparencyLog;
use super::payload::{self, Claims};
use super::pdf::{self, Fonts};
use crate::runtime::{Document, Layout, Text};
use crate::search::phonetic;
use crate::store::{ApplicationRecord, Store};

/// What the chat stores with an application whose service issues a
/// document: everything the certificate is made from later.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IssuedDocument {
    pub document: Document,
    /// The issuing department's name.
    pub department: Text,
    /// The WhatsApp profile name, the holder's name when no field gives it.
    #[serde(default)]
    pub profile_name: Option<String>,
}

/// A certificate ready to send.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub pdf: Vec<u8>,
    pub filename: String,
    /// The signed payload its QR code carries.
    pub payload: String,
    pub log_index: u64,
}

/// Why a certificate could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// Nothing to issue: no such application, or it has no document.
    #[error("{0}")]
    Missing(String),
    /// Worth trying again (the database, the fonts).
    #[error(transparent)]
    Host(#[from] anyhow::Error),
}

/// Issues certificates.
#[derive(Clone)]
pub struct Issuer {
    store: Store,
    log: TransparencyLog,
    keys: Arc<Keyring>,
    fonts: Result<Arc<Fonts>, String>,
    /// e.g. `https://mitra.ap.gov.in`: where `/verify` is.
    public_url: String,
}

impl std::fmt::Debug for Issuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issuer").field("log", &self.log.origin()).field("public_url", &self.public_url).finish()
    }
}

impl Issuer {
    pub fn new(log: TransparencyLog, keys: Arc<Keyring>, fonts: anyhow::Result<Arc<Fonts>>, public_url: &str) -> Self {
        Self {
            store: log.store().clone(),
            log,
            keys,
            fonts: fonts.map_err(|e| format!("{e:#}")),
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    pub fn log(&self) -> &TransparencyLog {
        &self.log
    }

    pub fn keys(&self) -> &Arc<Keyring> {
        &self.keys
    }

    /// The page a QR code's payload is checked on.
    pub fn verify_url(&self) -> String {
        format!("{}/verify", self.public_url)
    }

    /// The certificate of application `serial`: logged now if it is not yet.
    pub async fn prepare(&self, serial: &str) -> Result<Prepared, IssueError> {
        let application = self
            .store
            .application(serial)
            .await?
            .ok_or_else(|| IssueError::Missing(format!("no application {serial}")))?;
        let issued = stored_document(&application)
            .ok_or_else(|| IssueError::Missing(format!("application {serial} has no document to certify")))?;
        self.certify(&application, &issued).await
    }

    /// The certificate of `application`, whose document is `issued`:
    /// logged now if its serial is not in the log yet.
    pub async fn certify(
        &self,
        application: &ApplicationRecord,
        issued: &IssuedDocument,
    ) -> Result<Prepared, IssueError> {
        let serial = application.number.as_str();
        let fonts = self.fonts.as_ref().map_err(|e| IssueError::Host(anyhow::anyhow!("{e}")))?;
        let cose = match self.store.log_entry(serial).await? {
            Some(entry) => entry.entry,
            None => match self.log.issue(&application.plugin_id, claims(application, issued)).await {
                Ok(signed) => signed.cose,
                // Another host logged it meanwhile (the serial is unique).
                Err(error) => self.store.log_entry(serial).await?.ok_or(error)?.entry,
            },
        };
        let claims = payload::open_unverified(&cose)?;
        let text = payload::encode(&cose)?;
        let kid = payload::kid_of(&cose).unwrap_or_default();
        let log_index = claims.log_index;
        // Laying out is CPU work (milliseconds): off the async workers.
        let (this, fonts, issued, qr) = (self.clone(), fonts.clone(), issued.clone(), text.clone());
        let pdf = tokio::task::spawn_blocking(move || this.render(&fonts, &issued, &claims, &qr, &kid))
            .await
            .map_err(|e| IssueError::Host(e.into()))??;
        Ok(Prepared { pdf, filename: format!("{serial}.pdf"), payload: text, log_index })
    }

    fn render(
        &self,
        fonts: &Fonts,
        issued: &IssuedDocument,
        claims: &Claims,
        payload: &str,
        kid: &str,
    ) -> anyhow::Result<Vec<u8>> {
        let document = &issued.document;
        let kind = match document.layout {
            Layout::Certificate => ("Certificate", "ధృవీకరణ పత్రం"),
            Layout::Receipt => ("Receipt", "రసీదు"),
            Layout::Letter => ("Letter", "లేఖ"),
        };
        let display = super::verify::display_day;
        let values: Vec<String> = document.fields.iter().map(|f| mask_identifiers(&f.label, &f.value)).collect();
        let verify_url = self.verify_url();
        let note = format!(
            "Digitally signed by {} (key {kid}); entry {} of the transparency log {}.",
            issued.department.en,
            claims.log_index,
            self.log.origin()
        );
        let (issued_on, until) = (display(&claims.issued), claims.expires.as_deref().map(display));
        let page = pdf::Page {
            state: ("Government of Andhra Pradesh", "ఆంధ్రప్రదేశ్ ప్రభుత్వం"),
            department: (&issued.department.en, issued.department.te.as_deref()),
            title: (&document.title.en, document.title.te.as_deref()),
            kind,
            fields: document
                .fields
                .iter()
                .zip(&values)
                .map(|(f, value)| ((f.label.en.as_str(), f.label.te.as_deref()), value.as_str()))
                .collect(),
            body: document.body.as_ref().map(|b| (b.en.as_str(), b.te.as_deref())),
            serial: &claims.serial,
            issued: &issued_on,
            valid_until: until.as_deref(),
            qr: payload,
            verify_url: &verify_url,
            signature_note: &note,
        };
        pdf::render(fonts, &page)
    }
}

/// The stored document of an application, if it has one in this form.
pub fn stored_document(application: &ApplicationRecord) -> Option<IssuedDocument> {
    serde_json::from_str(application.document.as_deref()?).ok()
}

/// Labels of fields that name the certificate's holder, in order of trust.
const HOLDER_LABELS: &[&str] = &["name", "holder", "applicant", "owner", "patient", "consumer", "student", "passenger"];

/// A label that marks an identification number.
fn is_identifier(label: &Text) -> bool {
    let en = label.en.to_lowercase();
    ["aadhaar", "aadhar", "uid"].iter().any(|w| en.contains(w))
}

/// An identifier value with every digit but the last four masked.
fn mask(value: &str) -> String {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen <= digits.saturating_sub(4) { 'X' } else { c }
            } else {
                c
            }
        })
        .collect()
}

/// What a field prints: identifiers masked whatever the plugin handed over.
fn mask_identifiers(label: &Text, value: &str) -> String {
    if is_identifier(label) { mask(value) } else { value.to_owned() }
}

/// The holder's name in Latin letters and, where given, in Telugu: from
/// "Ravi / రవి", from a Telugu-only name (romanised), or as it is.
fn holder_name(value: &str) -> (String, Option<String>) {
    let (latin, telugu) = match value.split_once(" / ") {
        Some((a, b)) if phonetic::script(b) == phonetic::Script::Telugu => (a.trim(), Some(b.trim())),
        Some((a, b)) if phonetic::script(a) == phonetic::Script::Telugu => (b.trim(), Some(a.trim())),
        _ if phonetic::script(value) == phonetic::Script::Telugu => ("", Some(value.trim())),
        _ => (value.trim(), None),
    };
    let latin = if latin.is_empty() {
        telugu
            .unwrap_or_default()
            .split_whitespace()
            .map(|w| {
                let r = phonetic::romanise(w);
                let mut c = r.chars();
                c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
            })
            .collect::<Vec<String>>()
            .join(" ")
    } else {
        latin.to_owned()
    };
    (latin, telugu.map(str::to_owned))
}

/// The claims a certificate states, from its application and document.
pub fn claims(application: &ApplicationRecord, issued: &IssuedDocument) -> Claims {
    let document = &issued.document;
    let holder = HOLDER_LABELS.iter().find_map(|word| {
        document.fields.iter().find(|f| {
            f.label
                .en
                .to_lowercase()
                .split_whitespace()
                .any(|w| w.trim_matches(|c: char| !c.is_alphanumeric()) == *word)
        })
    });
    let (name, name_te) = match holder {
        Some(field) => holder_name(&field.value),
        None => (issued.profile_name.clone().unwrap_or_default(), None),
    };
    let issued_day = crate::chat::documents::ist_date(application.submitted_at_ms);
    let day = super::verify::iso_day;
    let expires = document.valid_days.map(|days| day(issued_day + time::Duration::days(i64::from(days))));
    Claims {
        serial: application.number.clone(),
        service: format!("{}/{}", application.plugin_id, application.service_id),
        name,
        name_te,
        ids: document.fields.iter().filter(|f| is_identifier(&f.label)).map(|f| mask(&f.value)).collect(),
        issued: day(issued_day),
        expires,
        log_index: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_keep_only_their_last_four_digits() {
        assert_eq!(mask("4991 1234 5677"), "XXXX XXXX 5677");
        assert_eq!(mask("XXXX XXXX 5677"), "XXXX XXXX 5677");
        assert_eq!(mask("123"), "123");
    }

    #[test]
    fn a_holder_name_is_read_in_both_scripts() {
        assert_eq!(holder_name("Ravi Kumar / రవి కుమార్"), ("Ravi Kumar".into(), Some("రవి కుమార్".into())));
        assert_eq!(holder_name("Lakshmi"), ("Lakshmi".into(), None));
        let (latin, te) = holder_name("రవి");
        assert_eq!((latin.as_str(), te.as_deref()), ("Ravi", Some("రవి")));
    }
}
