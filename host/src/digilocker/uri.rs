//! A document's DigiLocker URI, `<IssuerId>-<DocType>-<DocId>`: the
//! persistent name DigiLocker keeps in a citizen's "Issued Documents" and
//! sends back when the document is opened.
//!
//! Mitra's DocId is the application number itself (`MTR-261203-7K2M9QXA`),
//! so the URI needs no table of its own: the specification recommends a
//! random ID that cannot be guessed from the previous one, and the number's
//! last eight characters are a hash. Being longer than the specification's
//! recommended ten characters and holding hyphens, it is read as everything
//! after the DocType's hyphen.

use std::fmt;

/// A parsed `<IssuerId>-<DocType>-<DocId>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentUri {
    pub issuer_id: String,
    pub doc_type: String,
    pub doc_id: String,
}

impl DocumentUri {
    pub fn new(issuer_id: &str, doc_type: &str, doc_id: &str) -> Self {
        Self { issuer_id: issuer_id.to_owned(), doc_type: doc_type.to_owned(), doc_id: doc_id.to_owned() }
    }

    /// `uri` if it names a document of issuer `issuer_id`. Issuer IDs may
    /// themselves hold hyphens, so the known one is taken off first; it is
    /// compared without case, as the specification defines issuer IDs.
    pub fn parse(uri: &str, issuer_id: &str) -> Option<Self> {
        let uri = uri.trim();
        let prefix = uri.get(..issuer_id.len())?;
        let rest = uri[issuer_id.len()..].strip_prefix('-')?;
        if !prefix.eq_ignore_ascii_case(issuer_id) {
            return None;
        }
        let (doc_type, doc_id) = rest.split_once('-')?;
        let doc_type_ok = !doc_type.is_empty() && doc_type.chars().all(|c| c.is_ascii_alphanumeric());
        (doc_type_ok && !doc_id.is_empty()).then(|| Self::new(issuer_id, doc_type, doc_id))
    }
}

impl fmt::Display for DocumentUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}", self.issuer_id, self.doc_type, self.doc_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUER: &str = "in.gov.ap.mitra";

    #[test]
    fn a_uri_is_issuer_doc_type_and_application_number() {
        let uri = DocumentUri::new(ISSUER, "BTCER", "MTR-261203-7K2M9QXA");
        assert_eq!(uri.to_string(), "in.gov.ap.mitra-BTCER-MTR-261203-7K2M9QXA");
        assert_eq!(DocumentUri::parse(&uri.to_string(), ISSUER), Some(uri));
    }

    #[test]
    fn an_issuer_id_with_hyphens_still_parses() {
        let uri = DocumentUri::new("ap-mitra", "DTCER", "MTR-1");
        assert_eq!(DocumentUri::parse("ap-mitra-DTCER-MTR-1", "ap-mitra"), Some(uri));
    }

    #[test]
    fn the_issuer_id_is_compared_without_case() {
        let parsed = DocumentUri::parse("IN.GOV.AP.MITRA-BTCER-MTR-1", ISSUER).unwrap();
        assert_eq!((parsed.doc_type.as_str(), parsed.doc_id.as_str()), ("BTCER", "MTR-1"));
    }

    #[test]
    fn another_issuers_or_an_incomplete_uri_is_not_ours() {
        for uri in [
            "in.gov.dept.state-INCER-1234567",
            "in.gov.ap.mitra",
            "in.gov.ap.mitra-",
            "in.gov.ap.mitra-BTCER",
            "in.gov.ap.mitra-BTCER-",
            "in.gov.ap.mitra--MTR-1",
            "in.gov.ap.mitraX-BTCER-MTR-1",
            "in.gov.ap.mitra-BT CER-MTR-1",
            "in.gov.ap.mitr",
            "",
        ] {
            assert_eq!(DocumentUri::parse(uri, ISSUER), None, "{uri}");
        }
    }

    #[test]
    fn a_multibyte_uri_does_not_panic() {
        assert_eq!(DocumentUri::parse("ఆంధ్రప్రదేశ్-BTCER-MTR-1", ISSUER), None);
    }
}
