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
use crate::runtime::{Document, DocumentV0_1, Layout, Text};
use crate::search::phonetic;
use crate::store::{ApplicationRecord, Store};

/// What the chat stores with an application whose service issues a
/// document: everything the certificate is made from later.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IssuedDocument {
    /// Stored as the 0.2.0 document; rows stored by earlier hosts hold 0.1.0's.
    #[serde(deserialize_with = "document_of_any_contract")]
    pub document: Document,
    /// The issuing department's name.
    pub department: Text,
    /// The WhatsApp profile name, the holder's name when no field gives it.
    #[serde(default)]
    pub profile_name: Option<String>,
}

fn document_of_any_contract<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Document, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Any {
        V0_2(Document),
        V0_1(DocumentV0_1),
    }
    Ok(match Any::deserialize(deserializer)? {
        Any::V0_2(document) => document,
        Any::V0_1(document) => document.into(),
    })
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

    /// This issuer for what only reads (verifying, the log's checkpoints and
    /// proofs): its store's reads beside the writer ([`Store::reader`]), so
    /// a verifier's requests neither wait for a commit nor hold one up.
    pub fn reading(&self) -> Self {
        let log = self.log.reading();
        Self { store: log.store().clone(), log, ..self.clone() }
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
        // Laying out is CPU work (milliseconds): on the press, which yields
        // the cores to the chat.
        let (this, fonts, issued, qr) = (self.clone(), fonts.clone(), issued.clone(), text.clone());
        let pdf = super::press::run(move || this.render(&fonts, &issued, &claims, &qr, &kid)).await??;
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
        let value = |label: &Text, value: &Text| printed(label, &pdf::both(pair(value)));
        let items: Vec<pdf::Item<'_>> = document
            .sections
            .iter()
            .flat_map(|section| {
                let heading = section.heading.as_ref().map(|h| pdf::Item::Heading(pair(h)));
                heading
                    .into_iter()
                    .chain(section.fields.iter().map(|f| pdf::Item::Field(pair(&f.label), value(&f.label, &f.value))))
            })
            .collect();
        let holder = document.holder.as_ref().map(|h| pdf::Holder {
            name: (claims.name.as_str(), claims.name_te.as_deref()),
            identifiers: h.identifiers.iter().map(|i| (pair(&i.label), printed(&i.label, &i.value))).collect(),
            photo: h.photo.as_ref().map(|p| p.bytes.as_slice()),
        });
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
            department: pair(&issued.department),
            title: pair(&document.title),
            kind,
            holder,
            items,
            body: document.body.as_ref().map(pair),
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

/// A text's English and Telugu, as the PDF takes them.
fn pair(text: &Text) -> (&str, Option<&str>) {
    (text.en.as_str(), text.te.as_deref())
}

/// Whether a labelled value is an Aadhaar number: by its label, or by being
/// twelve digits whatever the label says. Digits are those of any script
/// (a plugin may write a number in Telugu or Devanagari digits).
fn is_identifier(label: &Text, value: &str) -> bool {
    let en = label.en.to_lowercase();
    ["aadhaar", "aadhar", "uid"].iter().any(|w| en.contains(w))
        || value.chars().filter(|c| c.is_numeric()).count() >= 12
            && value.chars().all(|c| c.is_numeric() || c == ' ' || c == '-')
}

/// An identifier value with every digit (of any script) but the last four masked.
fn mask(value: &str) -> String {
    let digits = value.chars().filter(|c| c.is_numeric()).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if c.is_numeric() {
                seen += 1;
                if seen <= digits.saturating_sub(4) { 'X' } else { c }
            } else {
                c
            }
        })
        .collect()
}

/// What a field prints: Aadhaar numbers masked whatever the plugin handed
/// over — a whole identifier to its last four digits, and a number inside
/// other text (`Ref: 4991 1234 5677`) as the privacy module finds it.
pub fn printed(label: &Text, value: &str) -> String {
    if is_identifier(label, value) {
        mask(value)
    } else {
        crate::privacy::replace_aadhaar(value, |digits| format!("XXXX XXXX {}", &digits[8..])).into_owned()
    }
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

/// The claims a certificate states, from its application and document: the
/// holder a 0.2.0 document names, else the field that names one.
pub fn claims(application: &ApplicationRecord, issued: &IssuedDocument) -> Claims {
    let document = &issued.document;
    let (name, name_te, ids) = match &document.holder {
        Some(holder) => (
            holder.name.en.trim().to_owned(),
            holder.name.te.as_deref().map(str::trim).filter(|te| !te.is_empty()).map(str::to_owned),
            holder.identifiers.iter().map(|i| printed(&i.label, &i.value)).collect(),
        ),
        None => {
            let holder = HOLDER_LABELS.iter().find_map(|word| {
                document.fields().find(|f| {
                    f.label
                        .en
                        .to_lowercase()
                        .split_whitespace()
                        .any(|w| w.trim_matches(|c: char| !c.is_alphanumeric()) == *word)
                })
            });
            let (name, name_te) = match holder {
                Some(field) => holder_name(&pdf::both(pair(&field.value))),
                None => (issued.profile_name.clone().unwrap_or_default(), None),
            };
            let ids =
                document.fields().filter(|f| is_identifier(&f.label, &f.value.en)).map(|f| mask(&f.value.en)).collect();
            (name, name_te, ids)
        }
    };
    let issued_day = crate::chat::documents::ist_date(application.submitted_at_ms);
    let day = super::verify::iso_day;
    let expires = document.valid_days.map(|days| day(issued_day + time::Duration::days(i64::from(days))));
    Claims {
        serial: application.number.clone(),
        service: format!("{}/{}", application.plugin_id, application.service_id),
        name,
        name_te,
        ids,
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
    fn an_aadhaar_number_is_masked_by_its_label_or_its_shape() {
        let label = |en: &str| Text { en: en.into(), te: None, hi: None };
        assert_eq!(printed(&label("Aadhaar"), "499112345677"), "XXXXXXXX5677");
        assert_eq!(printed(&label("Reference"), "4991 1234 5677"), "XXXX XXXX 5677");
        assert_eq!(printed(&label("Registration No."), "B-2023-VJA-04821"), "B-2023-VJA-04821");
        assert_eq!(printed(&label("Phone"), "9876543210"), "9876543210");
    }

    #[test]
    fn a_document_stored_by_a_0_1_0_host_still_issues() {
        let stored = r#"{"document":{"title":{"en":"Income","te":null,"hi":null},
            "fields":[{"label":{"en":"Name","te":null,"hi":null},"value":"Ravi"}],
            "body":null,"layout":"Certificate","valid_days":365},
            "department":{"en":"Revenue","te":null,"hi":null}}"#;
        let issued: IssuedDocument = serde_json::from_str(stored).unwrap();
        assert_eq!(issued.document.fields().map(|f| f.value.en.as_str()).collect::<Vec<_>>(), ["Ravi"]);
        assert_eq!(issued.document.valid_days, Some(365));
    }

    #[test]
    fn a_holder_name_is_read_in_both_scripts() {
        assert_eq!(holder_name("Ravi Kumar / రవి కుమార్"), ("Ravi Kumar".into(), Some("రవి కుమార్".into())));
        assert_eq!(holder_name("Lakshmi"), ("Lakshmi".into(), None));
        let (latin, te) = holder_name("రవి");
        assert_eq!((latin.as_str(), te.as_deref()), ("Ravi", Some("రవి")));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// `digits` (ASCII) written in the script whose zero is `zero`.
    fn in_script(digits: &str, zero: char) -> String {
        digits
            .chars()
            .map(
                |d| if d.is_ascii_digit() { char::from_u32(zero as u32 + (d as u32 - '0' as u32)).unwrap() } else { d },
            )
            .collect()
    }

    /// A valid Aadhaar number (first digit 2–9, Verhoeff check digit),
    /// written as people and plugins write it: grouped or not, in ASCII,
    /// Telugu or Devanagari digits.
    fn aadhaar() -> impl Strategy<Value = String> {
        (
            "[2-9][0-9]{10}",
            prop::sample::select(&['0', '\u{c66}', '\u{966}'][..]),
            prop::sample::select(&["", " ", "-", ".", "\u{a0}"][..]),
        )
            .prop_map(|(payload, zero, separator)| {
                let check = mitra_sdk::validate::verhoeff_check_digit(&payload).unwrap();
                let digits = format!("{payload}{check}");
                let grouped: Vec<&str> = [&digits[..4], &digits[4..8], &digits[8..]].into();
                in_script(&grouped.join(separator), zero)
            })
    }

    fn label() -> impl Strategy<Value = Text> {
        prop_oneof![
            Just("Aadhaar".to_owned()),
            Just("Aadhar No.".to_owned()),
            Just("UID".to_owned()),
            Just("Reference".to_owned()),
            Just("Details".to_owned()),
            "[A-Za-z ]{0,12}",
        ]
        .prop_map(|en| Text { en, te: None, hi: None })
    }

    proptest! {
        #[test]
        fn a_printed_value_shows_at_most_the_last_four_digits_of_an_aadhaar_number(
            label in label(),
            number in aadhaar(),
            // Words around the number, with no digit of their own.
            (before, after) in ("([A-Za-z:()/]{1,8} ){0,2}", "( [A-Za-z:()/]{1,8}){0,2}"),
        ) {
            let value = format!("{before}{number}{after}");
            let printed = printed(&label, &value);
            let shown: String = printed.chars().filter(|c| c.is_numeric()).collect();
            let last: String = number.chars().filter(|c| c.is_numeric()).skip(8).collect();
            prop_assert!(shown.chars().count() <= 4, "{:?} under {:?} printed as {:?}", value, label.en, printed);
            // The last four are the number's own (in ASCII once masked by the finder).
            let ascii = |s: &str| s.chars().map(|c| c.to_digit(10).or_else(|| {
                ['\u{c66}', '\u{966}'].iter().find_map(|z| (c as u32).checked_sub(*z as u32).filter(|d| *d < 10))
            }).unwrap()).collect::<Vec<u32>>();
            prop_assert_eq!(ascii(&shown), ascii(&last));
        }

        #[test]
        fn any_value_is_printed_without_a_panic_and_masking_keeps_its_length(label in label(), value in "\\PC{0,40}") {
            let printed = printed(&label, &value);
            if is_identifier(&label, &value) {
                prop_assert_eq!(printed.chars().count(), value.chars().count());
            }
        }
    }
}
