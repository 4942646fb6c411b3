//! Documents handed back in the chat.
//!
//! A plugin renders a document's body; the certificates module signs it and
//! lays it out as a PDF (sent in the chat by media id). The host also
//! serves it at a link that only the chat knows (an HMAC of the application
//! number), so a guessed number opens nothing.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::certificates::issuer::printed;
use crate::runtime::{Document, Language};

/// Makes and checks document links.
#[derive(Clone)]
pub struct DocumentLinks {
    /// Where citizens' phones (and Meta) reach this host, e.g. `https://mitra.ap.gov.in`.
    base_url: String,
    key: Vec<u8>,
}

impl std::fmt::Debug for DocumentLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentLinks").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl DocumentLinks {
    pub fn new(base_url: &str, key: &str) -> Self {
        Self { base_url: base_url.trim_end_matches('/').to_owned(), key: key.as_bytes().to_vec() }
    }

    fn mac(&self, number: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length works");
        mac.update(number.as_bytes());
        mac
    }

    /// The token for `number`: 128 bits of its HMAC.
    fn token(&self, number: &str) -> String {
        hex::encode(&self.mac(number).finalize().into_bytes()[..16])
    }

    /// The link sent in the chat.
    pub fn link(&self, number: &str) -> String {
        format!("{}/documents/{number}?key={}", self.base_url, self.token(number))
    }

    /// Whether `token` opens `number` (constant time).
    pub fn verify(&self, number: &str, token: &str) -> bool {
        let Ok(bytes) = hex::decode(token) else { return false };
        bytes.len() == 16 && self.mac(number).verify_truncated_left(&bytes).is_ok()
    }
}

/// What the chat shows with the document: its title, holder and fields,
/// Aadhaar numbers masked.
pub fn chat_summary(document: &Document, number: &str, lang: Language) -> String {
    let mut out = format!("✅ *{}*\n{number}", document.title.get(lang));
    if let Some(holder) = &document.holder {
        out.push_str(&format!("\n*{}*", holder.name.get(lang)));
        for id in &holder.identifiers {
            out.push_str(&format!("\n{}: {}", id.label.get(lang), printed(&id.label, &id.value)));
        }
    }
    for section in &document.sections {
        if let Some(heading) = &section.heading {
            out.push_str(&format!("\n\n_{}_", heading.get(lang)));
        }
        for field in &section.fields {
            out.push_str(&format!("\n{}: {}", field.label.get(lang), printed(&field.label, field.value.get(lang))));
        }
    }
    out
}

pub fn ist_date(ms: i64) -> time::Date {
    let ist = time::UtcOffset::from_hms(5, 30, 0).expect("IST is a valid offset");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(ist)
        .date()
}

/// `DD-MM-YYYY` in India for a Unix time in milliseconds.
pub fn display_day(ms: i64) -> String {
    mitra_sdk::validate::display_date(ist_date(ms))
}

/// RFC 3339 (UTC) for a Unix time in milliseconds.
pub fn rfc3339(ms: i64) -> String {
    rfc3339_at(ms, time::UtcOffset::UTC)
}

/// RFC 3339 at `offset` (`Z` for UTC, else `+05:30` and the like) for a
/// Unix time in milliseconds, to the second.
pub fn rfc3339_at(ms: i64, offset: time::UtcOffset) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    let zone = if offset.is_utc() {
        "Z".to_owned()
    } else {
        let (h, m, _) = offset.as_hms();
        format!("{}{:02}:{:02}", if offset.is_negative() { '-' } else { '+' }, h.unsigned_abs(), m.unsigned_abs())
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_open_only_their_own_document() {
        let links = DocumentLinks::new("http://127.0.0.1:8080/", "k");
        let link = links.link("MTR-1");
        let token = link.rsplit("key=").next().unwrap();
        assert!(link.starts_with("http://127.0.0.1:8080/documents/MTR-1?key="));
        assert!(links.verify("MTR-1", token));
        assert!(!links.verify("MTR-2", token));
        assert!(!links.verify("MTR-1", "00"));
        assert!(!DocumentLinks::new("http://x", "other").verify("MTR-1", token));
    }

    #[test]
    fn times_are_written_as_rfc_3339() {
        assert_eq!(rfc3339(1_700_000_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(display_day(1_700_000_000_000), "15-11-2023");
    }
}
