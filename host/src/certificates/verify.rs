//! Checking a certificate: its signature against the published keys, its
//! place in the transparency log against a signed checkpoint, the
//! revocation list and its expiry. The same steps run on `/verify`
//! (evidence from this host's own log) and in `mitra verify` (evidence
//! from files or fetched from a host, checked here, not trusted).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::checkpoint::Checkpoint;
use super::keys::PublicKey;
use super::log::LOG_KEY;
use super::merkle::{self, Hash};
use super::payload::{self, Claims, Rejection};

/// What a check concludes, worst first when several apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Not a Mitra certificate at all.
    Malformed {
        reason: String,
    },
    /// The signature does not match what the certificate says.
    Tampered,
    /// Signed by a key no department has published.
    UnknownKey {
        kid: String,
    },
    /// Signed, but the log does not hold it where it says it is.
    NotInLog,
    /// Withdrawn by an operator.
    Revoked {
        reason: String,
        revoked_at: String,
    },
    /// Genuine, and past its expiry date.
    Expired {
        on: String,
    },
    Valid,
}

/// A revoked certificate, as the revocation list publishes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub serial: String,
    pub reason: String,
    /// RFC 3339.
    pub revoked_at: String,
}

/// Where the certificate sits in the log: the checkpoint checked and an
/// inclusion proof for its index in a tree of that size.
#[derive(Clone, Debug)]
pub struct Inclusion {
    pub size: u64,
    pub root: Hash,
    pub proof: Vec<Hash>,
}

/// What a certificate is checked against.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    pub keys: Vec<PublicKey>,
    /// By serial.
    pub revoked: HashMap<String, Revocation>,
    /// `None`: the log could not say (the certificate is then `NotInLog`).
    pub inclusion: Option<Inclusion>,
    /// Today in India, `YYYY-MM-DD`.
    pub today: String,
}

/// The outcome with what the certificate claims, when it could be read.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    #[serde(flatten)]
    pub verdict: Verdict,
    pub claims: Option<Claims>,
    pub kid: Option<String>,
    pub department: Option<String>,
}

/// A day as certificates state it: `YYYY-MM-DD`.
pub fn iso_day(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A `YYYY-MM-DD` day as certificates print it, `DD-MM-YYYY`.
pub fn display_day(date: &str) -> String {
    match date.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, d] => format!("{d}-{m}-{y}"),
        _ => date.to_owned(),
    }
}

/// Today in India (Mitra's clock), as certificates state days.
pub fn today() -> String {
    iso_day(mitra_sdk::clock::today_in_india())
}

/// The log index a payload claims, when its signature holds (what to ask
/// the log for an inclusion proof of).
pub fn claimed_index(text: &str, keys: &[PublicKey]) -> Option<u64> {
    payload::verify(text, keys).ok().map(|v| v.claims.log_index)
}

/// Checks `text` (a QR payload) against `evidence`.
pub fn check(text: &str, evidence: &Evidence) -> Report {
    let verified = match payload::verify(text, &evidence.keys) {
        Ok(verified) => verified,
        Err(rejection) => {
            let verdict = match rejection {
                Rejection::Malformed(reason) => Verdict::Malformed { reason },
                Rejection::UnknownKey(kid) => Verdict::UnknownKey { kid },
                Rejection::Tampered => Verdict::Tampered,
            };
            return Report { verdict, claims: None, kid: None, department: None };
        }
    };
    let department = evidence.keys.iter().find(|k| k.kid == verified.kid).map(|k| k.department.clone());
    let claims = &verified.claims;
    let in_log = evidence.inclusion.as_ref().is_some_and(|i| {
        claims.log_index < i.size
            && merkle::verify_inclusion(claims.log_index, i.size, &merkle::leaf_hash(&verified.cose), &i.proof, &i.root)
    });
    let verdict = if !in_log {
        Verdict::NotInLog
    } else if let Some(r) = evidence.revoked.get(&claims.serial) {
        Verdict::Revoked { reason: r.reason.clone(), revoked_at: r.revoked_at.clone() }
    } else if let Some(on) = claims.expires.as_ref().filter(|e| e.as_str() < evidence.today.as_str()) {
        Verdict::Expired { on: on.clone() }
    } else {
        Verdict::Valid
    };
    Report { verdict, claims: Some(verified.claims), kid: Some(verified.kid), department }
}

/// Opens a signed checkpoint with the log's key from `keys` (the key of
/// department [`LOG_KEY`], any of them active or retired).
pub fn open_checkpoint(note: &str, origin: &str, keys: &[PublicKey]) -> anyhow::Result<Checkpoint> {
    let mut last = None;
    for key in keys.iter().filter(|k| k.department == LOG_KEY) {
        match Checkpoint::open(note, origin, key) {
            Ok(checkpoint) => return Ok(checkpoint),
            Err(e) => last = Some(e),
        }
    }
    match last {
        Some(e) => anyhow::bail!("the checkpoint does not verify: {e}"),
        None => anyhow::bail!("no {LOG_KEY} key is published to check the checkpoint with"),
    }
}

/// The words a citizen or an official reads, in English, Telugu and Hindi.
pub fn explain(verdict: &Verdict, lang: &str) -> (&'static str, String) {
    let pick = |en: &str, te: &str, hi: &str| match lang {
        "te" => te.to_owned(),
        "hi" => hi.to_owned(),
        _ => en.to_owned(),
    };
    match verdict {
        Verdict::Valid => (
            "valid",
            pick(
                "Genuine. This certificate was issued by the Government of Andhra Pradesh and is recorded in the public log.",
                "నిజమైనది. ఈ పత్రాన్ని ఆంధ్రప్రదేశ్ ప్రభుత్వం జారీ చేసింది, ఇది పబ్లిక్ లాగ్‌లో నమోదైంది.",
                "असली। यह प्रमाण पत्र आंध्र प्रदेश सरकार ने जारी किया है और सार्वजनिक लॉग में दर्ज है।",
            ),
        ),
        Verdict::Tampered => (
            "tampered",
            pick(
                "Not genuine. The certificate was changed after it was signed, or forged. Do not accept it.",
                "నిజమైనది కాదు. సంతకం చేసిన తర్వాత ఈ పత్రం మార్చబడింది లేదా నకిలీది. దీనిని అంగీకరించవద్దు.",
                "असली नहीं। हस्ताक्षर के बाद इस प्रमाण पत्र को बदला गया है या यह जाली है। इसे स्वीकार न करें।",
            ),
        ),
        Verdict::UnknownKey { .. } => (
            "unknown_key",
            pick(
                "Not recognised. It is signed with a key no department of the Government has published.",
                "గుర్తించబడలేదు. ప్రభుత్వ శాఖ ఏదీ ప్రచురించని కీతో దీనిపై సంతకం ఉంది.",
                "पहचाना नहीं गया। इस पर ऐसी कुंजी से हस्ताक्षर है जिसे सरकार के किसी विभाग ने प्रकाशित नहीं किया।",
            ),
        ),
        Verdict::NotInLog => (
            "not_in_log",
            pick(
                "Not recorded. The signature is right but the certificate is not in the public log of issued certificates. Do not accept it.",
                "నమోదు కాలేదు. సంతకం సరైనదే కానీ జారీ అయిన పత్రాల పబ్లిక్ లాగ్‌లో ఇది లేదు. దీనిని అంగీకరించవద్దు.",
                "दर्ज नहीं। हस्ताक्षर सही है पर यह प्रमाण पत्र जारी प्रमाण पत्रों के सार्वजनिक लॉग में नहीं है। इसे स्वीकार न करें।",
            ),
        ),
        Verdict::Revoked { .. } => (
            "revoked",
            pick(
                "Revoked. The department has withdrawn this certificate.",
                "రద్దు చేయబడింది. శాఖ ఈ పత్రాన్ని ఉపసంహరించుకుంది.",
                "रद्द। विभाग ने यह प्रमाण पत्र वापस ले लिया है।",
            ),
        ),
        Verdict::Expired { .. } => (
            "expired",
            pick(
                "Expired. The certificate is genuine but no longer valid.",
                "గడువు ముగిసింది. పత్రం నిజమైనదే కానీ ఇప్పుడు చెల్లదు.",
                "समाप्त। प्रमाण पत्र असली है पर अब मान्य नहीं है।",
            ),
        ),
        Verdict::Malformed { .. } => (
            "malformed",
            pick(
                "This is not a Mitra certificate code. Check that the whole code was scanned or pasted.",
                "ఇది మిత్ర పత్రం కోడ్ కాదు. కోడ్ మొత్తం స్కాన్ లేదా పేస్ట్ అయిందో చూడండి.",
                "यह मित्र प्रमाण पत्र का कोड नहीं है। देखें कि पूरा कोड स्कैन या पेस्ट हुआ है।",
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::keys::Keyring;
    use super::*;

    fn claims(serial: &str, index: u64, expires: Option<&str>) -> Claims {
        Claims {
            serial: serial.into(),
            service: "municipal/birth-certificate".into(),
            name: "Ravi".into(),
            name_te: None,
            ids: vec![],
            issued: "2026-12-03".into(),
            expires: expires.map(str::to_owned),
            log_index: index,
        }
    }

    /// A log of three certificates, and what a verifier is given.
    fn setup() -> (tempfile::TempDir, Keyring, Vec<String>, Evidence, Vec<Hash>) {
        let dir = tempfile::tempdir().unwrap();
        Keyring::generate(dir.path(), "municipal").unwrap();
        let ring = Keyring::load(dir.path()).unwrap();
        let key = ring.signer("municipal").unwrap();
        let signed: Vec<_> = [claims("A", 0, None), claims("B", 1, Some("2026-12-01")), claims("C", 2, None)]
            .iter()
            .map(|c| payload::sign(c, key).unwrap())
            .collect();
        let leaves: Vec<Hash> = signed.iter().map(|s| merkle::leaf_hash(&s.cose)).collect();
        let evidence =
            Evidence { keys: ring.public_keys(), revoked: HashMap::new(), inclusion: None, today: "2026-12-03".into() };
        (dir, ring, signed.into_iter().map(|s| s.text).collect(), evidence, leaves)
    }

    fn with_proof(evidence: &Evidence, leaves: &[Hash], index: usize) -> Evidence {
        let inclusion = Inclusion {
            size: leaves.len() as u64,
            root: merkle::root(leaves),
            proof: merkle::inclusion_proof(leaves, index).unwrap(),
        };
        Evidence { inclusion: Some(inclusion), ..evidence.clone() }
    }

    #[test]
    fn each_verdict_for_its_reason() {
        let (_dir, ring, texts, evidence, leaves) = setup();
        assert_eq!(check(&texts[0], &with_proof(&evidence, &leaves, 0)).verdict, Verdict::Valid);
        assert_eq!(
            check(&texts[1], &with_proof(&evidence, &leaves, 1)).verdict,
            Verdict::Expired { on: "2026-12-01".into() }
        );
        // Not in the log: no proof, a proof of another index, a log without it.
        assert_eq!(check(&texts[0], &evidence).verdict, Verdict::NotInLog);
        assert_eq!(check(&texts[0], &with_proof(&evidence, &leaves, 1)).verdict, Verdict::NotInLog);
        let other = vec![merkle::leaf_hash(b"x"), leaves[1], leaves[2]];
        assert_eq!(check(&texts[0], &with_proof(&evidence, &other, 0)).verdict, Verdict::NotInLog);
        // Revoked.
        let mut revoked = with_proof(&evidence, &leaves, 2);
        revoked.revoked.insert(
            "C".into(),
            Revocation {
                serial: "C".into(),
                reason: "issued in error".into(),
                revoked_at: "2026-12-03T10:00:00Z".into(),
            },
        );
        assert!(matches!(check(&texts[2], &revoked).verdict, Verdict::Revoked { .. }));
        // Unknown key, tampered.
        let unknown = Evidence { keys: vec![], ..with_proof(&evidence, &leaves, 0) };
        let kid = ring.signer("municipal").unwrap().kid.clone();
        assert_eq!(check(&texts[0], &unknown).verdict, Verdict::UnknownKey { kid });
        let mut tampered = texts[0].clone().into_bytes();
        let at = tampered.len() / 2;
        tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
        let verdict = check(std::str::from_utf8(&tampered).unwrap(), &with_proof(&evidence, &leaves, 0)).verdict;
        assert!(matches!(verdict, Verdict::Tampered | Verdict::Malformed { .. }), "{verdict:?}");
    }

    #[test]
    fn every_verdict_is_explained_in_three_languages() {
        for verdict in [Verdict::Valid, Verdict::Tampered, Verdict::NotInLog] {
            let (en, te, hi) = (explain(&verdict, "en").1, explain(&verdict, "te").1, explain(&verdict, "hi").1);
            assert!(en.is_ascii() && !te.is_ascii() && !hi.is_ascii() && te != hi);
        }
    }
}
