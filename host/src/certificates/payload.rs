//! What a certificate's QR code carries: the claims, signed, compact enough
//! for a cheap phone's camera.
//!
//! The format, for any verifier to implement (the EU Digital COVID
//! Certificate's "HC1:" layering, with Mitra's own claims):
//!
//! 1. The claims are a CBOR map with short text keys (see [`Claims`]).
//! 2. They are the payload of a COSE_Sign1 (RFC 9052, CBOR tag 18) whose
//!    protected header holds `alg` = EdDSA (-8) and `kid` = the issuing key's
//!    id as bytes; the signature is Ed25519 over the COSE `Signature1`
//!    structure with empty external data.
//! 3. The tagged COSE_Sign1 is compressed with zlib (RFC 1950),
//! 4. encoded with base45 (RFC 9285), whose alphabet is exactly QR's
//!    alphanumeric mode, and prefixed with `MTR1:`.
//!
//! The public keys are at `/.well-known/jwks.json` (OKP / Ed25519, by kid).

use std::io::{Read as _, Write as _};

use coset::{CborSerializable as _, CoseSign1, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable as _, iana};
use serde::{Deserialize, Serialize};

use super::keys::{IssuerKey, PublicKey};

/// The prefix of a Mitra certificate payload, version 1.
pub const PREFIX: &str = "MTR1:";

/// The largest decompressed payload a verifier accepts: a zip bomb in a QR
/// code gets no further than this.
const MAX_DECOMPRESSED: u64 = 4096;

/// What a certificate states. Keys are short: every byte grows the QR.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// The certificate's serial, e.g. the application number.
    #[serde(rename = "s")]
    pub serial: String,
    /// `department/service`.
    #[serde(rename = "v")]
    pub service: String,
    /// The holder's name in Latin letters.
    #[serde(rename = "n")]
    pub name: String,
    /// The holder's name in Telugu, where the department gives it.
    #[serde(rename = "nt", default, skip_serializing_if = "Option::is_none")]
    pub name_te: Option<String>,
    /// Identifiers, masked (`XXXXXXXX5677`): never a full Aadhaar number.
    #[serde(rename = "i", default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    /// Issue date, `YYYY-MM-DD` (India).
    #[serde(rename = "t")]
    pub issued: String,
    /// Expiry date, where the certificate has one.
    #[serde(rename = "e", default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The certificate's index in the transparency log.
    #[serde(rename = "l")]
    pub log_index: u64,
}

impl Claims {
    /// Refuses claims that would put a citizen's Aadhaar number (12 digits,
    /// or a 16-digit virtual id) in a QR code anyone can read: no identifier
    /// may show 12 digits or more, in any script (Telugu and Devanagari
    /// digits were once not counted). A registration or licence number,
    /// public on the document anyway, may be given whole.
    pub fn check(&self) -> anyhow::Result<()> {
        for id in &self.ids {
            let digits = id.chars().filter(|c| c.is_numeric()).count();
            anyhow::ensure!(
                digits < 12,
                "identifier {id:?} shows {digits} digits; mask an Aadhaar number to its last 4"
            );
        }
        Ok(())
    }
}

/// Why a payload does not verify, in the words a verifier shows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("not a Mitra certificate: {0}")]
    Malformed(String),
    #[error("signed with an unknown key {0:?}")]
    UnknownKey(String),
    #[error("the signature does not match: the certificate was altered or forged")]
    Tampered,
}

/// A signed certificate payload.
#[derive(Clone, Debug)]
pub struct Signed {
    /// The text to put in the QR code.
    pub text: String,
    /// The tagged COSE_Sign1: the transparency log's entry for it.
    pub cose: Vec<u8>,
}

/// A payload that verified.
#[derive(Clone, Debug, PartialEq)]
pub struct Verified {
    pub claims: Claims,
    pub kid: String,
    /// The tagged COSE_Sign1, whose leaf hash the log must hold.
    pub cose: Vec<u8>,
}

/// Signs `claims` with `key`.
pub fn sign(claims: &Claims, key: &IssuerKey) -> anyhow::Result<Signed> {
    claims.check()?;
    let mut payload = Vec::new();
    ciborium::into_writer(claims, &mut payload)?;
    let protected = HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).key_id(key.kid.as_bytes().to_vec()).build();
    let sign1 = CoseSign1Builder::new()
        .protected(protected)
        .payload(payload)
        .create_signature(b"", |tbs| key.sign(tbs))
        .build();
    let cose = sign1.to_tagged_vec().map_err(|e| anyhow::anyhow!("encoding COSE_Sign1: {e:?}"))?;
    Ok(Signed { text: encode(&cose)?, cose })
}

/// The QR text of a signed certificate (its tagged COSE_Sign1): the same
/// text every time for the same certificate.
pub fn encode(cose: &[u8]) -> anyhow::Result<String> {
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    zlib.write_all(cose)?;
    Ok(format!("{PREFIX}{}", base45::encode(zlib.finish()?)))
}

fn parse_sign1(cose: &[u8]) -> Result<CoseSign1, Rejection> {
    CoseSign1::from_tagged_slice(cose)
        .or_else(|_| CoseSign1::from_slice(cose))
        .map_err(|_| Rejection::Malformed("it is not a COSE_Sign1".into()))
}

fn claims_of(sign1: &CoseSign1) -> Result<Claims, Rejection> {
    let malformed = |what: &str| Rejection::Malformed(what.to_owned());
    let payload = sign1.payload.as_deref().ok_or_else(|| malformed("it has no claims"))?;
    ciborium::from_reader(payload).map_err(|_| malformed("its claims are not readable"))
}

/// The claims of a certificate this host signed and logged itself (read
/// back from its own log: no signature check).
pub fn open_unverified(cose: &[u8]) -> anyhow::Result<Claims> {
    parse_sign1(cose).and_then(|s| claims_of(&s)).map_err(|e| anyhow::anyhow!("a logged certificate: {e}"))
}

/// The kid a certificate names.
pub fn kid_of(cose: &[u8]) -> Option<String> {
    parse_sign1(cose).ok().map(|s| String::from_utf8_lossy(&s.protected.header.key_id).into_owned())
}

/// Reads and checks a payload against the published keys: the claims if
/// its signature is one of theirs, else why not.
pub fn verify(text: &str, keys: &[PublicKey]) -> Result<Verified, Rejection> {
    let malformed = |what: &str| Rejection::Malformed(what.to_owned());
    let body = text.trim().strip_prefix(PREFIX).ok_or_else(|| malformed("it does not start with MTR1:"))?;
    let compressed = base45::decode(body).map_err(|_| malformed("it is not base45"))?;
    let mut cose = Vec::new();
    flate2::read::ZlibDecoder::new(compressed.as_slice())
        .take(MAX_DECOMPRESSED + 1)
        .read_to_end(&mut cose)
        .map_err(|_| malformed("it is not zlib"))?;
    if cose.len() as u64 > MAX_DECOMPRESSED {
        return Err(malformed("it is too large"));
    }
    let sign1 = parse_sign1(&cose)?;
    if sign1.protected.header.alg != Some(coset::RegisteredLabelWithPrivate::Assigned(iana::Algorithm::EdDSA)) {
        return Err(malformed("it is not signed with EdDSA"));
    }
    let kid = String::from_utf8_lossy(&sign1.protected.header.key_id).into_owned();
    let key = keys.iter().find(|k| k.kid == kid).ok_or_else(|| Rejection::UnknownKey(kid.clone()))?;
    sign1
        .verify_signature(b"", |signature, tbs| if key.verifies(tbs, signature) { Ok(()) } else { Err(()) })
        .map_err(|_| Rejection::Tampered)?;
    Ok(Verified { claims: claims_of(&sign1)?, kid, cose })
}

/// The QR version `text` needs at error correction M (aim: 13 or less).
pub fn qr_version(text: &str) -> anyhow::Result<i16> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)?;
    match code.version() {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use super::super::keys::Keyring;
    use super::*;

    fn claims() -> Claims {
        Claims {
            serial: "MTR-261203-7K2M9QXA".into(),
            service: "municipal/birth-certificate".into(),
            name: "Venkata Lakshmi Narasimha Rao Kondapalli".into(),
            name_te: Some("వెంకట లక్ష్మీ నరసింహారావు కొండపల్లి".into()),
            ids: vec!["XXXXXXXX5677".into()],
            issued: "2026-12-03".into(),
            expires: None,
            log_index: 1_204_331,
        }
    }

    fn keyring() -> (tempfile::TempDir, Keyring) {
        let dir = tempfile::tempdir().unwrap();
        Keyring::generate(dir.path(), "municipal").unwrap();
        Keyring::generate(dir.path(), "revenue").unwrap();
        let ring = Keyring::load(dir.path()).unwrap();
        (dir, ring)
    }

    #[test]
    fn a_signed_payload_verifies_and_fits_a_small_qr_code() {
        let (_dir, ring) = keyring();
        let signed = sign(&claims(), ring.signer("municipal").unwrap()).unwrap();
        let text = signed.text;
        assert!(text.starts_with(PREFIX));
        let verified = verify(&text, &ring.public_keys()).unwrap();
        assert_eq!(verified.claims, claims());
        assert_eq!(verified.kid, ring.signer("municipal").unwrap().kid);
        assert_eq!(verified.cose, signed.cose);
        // A long name in both scripts (40 Latin letters, 35 Telugu ones)
        // is a version bigger than a usual one.
        let version = qr_version(&text).unwrap();
        assert!(version <= 14, "QR version {version} for {} characters", text.len());
        let mut usual = claims();
        usual.name = "Lakshmi Devi Kondapalli".into();
        usual.name_te = Some("లక్ష్మీ దేవి కొండపల్లి".into());
        let text = sign(&usual, ring.signer("municipal").unwrap()).unwrap().text;
        let version = qr_version(&text).unwrap();
        assert!(version <= 13, "QR version {version} for {} characters", text.len());
    }

    #[test]
    fn altered_forged_and_unknown_payloads_are_rejected_with_the_reason() {
        let (_dir, ring) = keyring();
        let keys = ring.public_keys();
        let text = sign(&claims(), ring.signer("municipal").unwrap()).unwrap().text;

        // One byte of the signed content changed, then re-encoded.
        let body = base45::decode(&text[PREFIX.len()..]).unwrap();
        let mut cose = Vec::new();
        flate2::read::ZlibDecoder::new(body.as_slice()).read_to_end(&mut cose).unwrap();
        let at = cose.windows(4).position(|w| w == b"2026").unwrap();
        cose[at + 3] = b'5';
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        zlib.write_all(&cose).unwrap();
        let altered = format!("{PREFIX}{}", base45::encode(zlib.finish().unwrap()));
        assert_eq!(verify(&altered, &keys), Err(Rejection::Tampered));

        // Signed by another department's key under this one's kid.
        let mut forged_key = ring.public_keys();
        let municipal = ring.signer("municipal").unwrap().kid.clone();
        let revenue = forged_key.iter().find(|k| k.department == "revenue").unwrap().key();
        let victim = forged_key.iter_mut().find(|k| k.kid == municipal).unwrap();
        *victim = PublicKey::new(victim.kid.clone(), victim.department.clone(), revenue, true).unwrap();
        assert_eq!(verify(&text, &forged_key), Err(Rejection::Tampered));

        // A key this verifier does not know.
        let others = keys.iter().filter(|k| k.kid != municipal).cloned().collect::<Vec<_>>();
        assert_eq!(verify(&text, &others), Err(Rejection::UnknownKey(municipal)));

        for garbage in ["", "MTR1:", "MTR1:%%%", "HC1:6BFOXN", &text[..text.len() - 10]] {
            assert!(matches!(verify(garbage, &keys), Err(Rejection::Malformed(_))), "{garbage:?}");
        }
    }

    #[test]
    fn a_zip_bomb_is_malformed_not_a_big_allocation() {
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        zlib.write_all(&vec![0u8; 10 << 20]).unwrap();
        let bomb = format!("{PREFIX}{}", base45::encode(zlib.finish().unwrap()));
        assert_eq!(verify(&bomb, &[]), Err(Rejection::Malformed("it is too large".into())));
    }

    #[test]
    fn a_full_aadhaar_number_never_enters_a_certificate() {
        let (_dir, ring) = keyring();
        let mut leaky = claims();
        leaky.ids = vec!["4991 1234 5677".into()];
        assert!(sign(&leaky, ring.signer("municipal").unwrap()).is_err());
    }
}

#[cfg(test)]
mod properties {
    use std::sync::LazyLock;

    use proptest::collection::vec;
    use proptest::option;
    use proptest::prelude::*;

    use super::super::keys::Keyring;
    use super::*;

    // One keyring for every case: key generation is not what is tested.
    static RING: LazyLock<Keyring> = LazyLock::new(|| Keyring::ephemeral(["municipal", "revenue"]).unwrap());

    /// The ten digits of a script: ASCII, Telugu, Devanagari, fullwidth, Bengali.
    const SCRIPTS: [char; 5] = ['0', '\u{c66}', '\u{966}', '\u{ff10}', '\u{9e6}'];

    /// `digits` (ASCII) written in the script whose zero is `zero`.
    fn in_script(digits: &str, zero: char) -> String {
        digits
            .chars()
            .map(
                |d| if d.is_ascii_digit() { char::from_u32(zero as u32 + (d as u32 - '0' as u32)).unwrap() } else { d },
            )
            .collect()
    }

    /// Claims whose identifiers show at most 11 digits (masked Aadhaar
    /// numbers, short registration numbers).
    fn claims() -> impl Strategy<Value = Claims> {
        // Regexes parsed once here: a `&str` strategy parses its regex for every case.
        let re = |pattern: &str| proptest::string::string_regex(pattern).unwrap();
        let day = "20[0-9]{2}-[01][0-9]-[0-3][0-9]";
        (
            re("[A-Z0-9-]{1,20}"),
            re("[a-z-]{1,12}/[a-z-]{1,20}"),
            re("\\PC{0,40}"),
            option::of(re("\\PC{0,30}")),
            vec(re("X{8}[0-9]{4}|XXXX XXXX [0-9]{4}|[A-Z]{2}[0-9]{2} [0-9]{0,7}"), 0..3),
            re(day),
            option::of(re(day)),
            any::<u64>(),
        )
            .prop_map(|(serial, service, name, name_te, ids, issued, expires, log_index)| Claims {
                serial,
                service,
                name,
                name_te,
                ids,
                issued,
                expires,
                log_index,
            })
    }

    fn signed(claims: &Claims) -> Signed {
        sign(claims, RING.signer("municipal").unwrap()).unwrap()
    }

    /// Texts a QR code might hold: anything, anything after the prefix, and
    /// well-formed layers around bytes that are not a certificate.
    fn scanned() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\PC{0,200}",
            "MTR1:[0-9A-Z $%*+./:-]{0,200}",
            vec(any::<u8>(), 0..200).prop_map(|b| format!("{PREFIX}{}", base45::encode(b))),
            vec(any::<u8>(), 0..300).prop_map(|cose| encode(&cose).unwrap()),
            // A COSE_Sign1 tag and array start, then anything.
            vec(any::<u8>(), 0..300).prop_map(|rest| encode(&[&[0xd2, 0x84][..], &rest].concat()).unwrap()),
        ]
    }

    /// The properties below sign a certificate (Ed25519, zlib at its best
    /// compression) and verify it: a case costs about 1 ms on a 2-vCPU
    /// machine. They run a tenth of the cases asked for (`PROPTEST_CASES`,
    /// else 256), a share of the default so that the variable still scales them.
    fn signing() -> ProptestConfig {
        let asked = ProptestConfig::default();
        ProptestConfig { cases: (asked.cases / 10).max(1), ..asked }
    }

    proptest! {
        #[test]
        fn any_scanned_text_is_refused_without_a_panic(text in scanned()) {
            prop_assert!(verify(&text, &RING.public_keys()).is_err());
            let _ = kid_of(text.as_bytes());
            let _ = open_unverified(text.as_bytes());
        }

        #[test]
        fn an_identifier_showing_twelve_digits_in_any_script_is_refused(
            mut claims in claims(),
            digits in "[0-9]{12,16}",
            zero in prop::sample::select(&SCRIPTS[..]),
            separator in prop::sample::select(&["", " ", "-", ".", "\u{a0}"][..]),
            (before, after) in ("[A-Za-z: ]{0,6}", "[A-Za-z ]{0,6}"),
        ) {
            let grouped: Vec<String> = digits.as_bytes().chunks(4).map(|c| String::from_utf8(c.to_vec()).unwrap()).collect();
            let id = format!("{before}{}{after}", in_script(&grouped.join(separator), zero));
            claims.ids.push(id.clone());
            prop_assert!(claims.check().is_err(), "{:?} passed", id);
            prop_assert!(sign(&claims, RING.signer("municipal").unwrap()).is_err());
        }
    }

    proptest! {
        #![proptest_config(signing())]

        #[test]
        fn signed_claims_verify_as_they_were_signed(claims in claims()) {
            let signed = signed(&claims);
            let verified = verify(&signed.text, &RING.public_keys()).unwrap();
            prop_assert_eq!(&verified.claims, &claims);
            prop_assert_eq!(&verified.kid, &RING.signer("municipal").unwrap().kid);
            prop_assert_eq!(&verified.cose, &signed.cose);
            prop_assert_eq!(open_unverified(&signed.cose).unwrap(), claims);
        }

        #[test]
        fn a_changed_byte_of_a_certificate_is_refused_or_says_the_same(
            claims in claims(),
            at in any::<prop::sample::Index>(),
            flip in 1u8..=255,
        ) {
            let mut cose = signed(&claims).cose;
            let at = at.index(cose.len());
            cose[at] ^= flip;
            if let Ok(verified) = verify(&encode(&cose).unwrap(), &RING.public_keys()) {
                // Only the unsigned parts (the unprotected header, the tag) may change unnoticed.
                prop_assert_eq!(verified.claims, claims);
                prop_assert_eq!(&verified.kid, &RING.signer("municipal").unwrap().kid);
            }
        }

        #[test]
        fn a_certificate_from_another_key_is_refused(claims in claims()) {
            let text = sign(&claims, RING.signer("revenue").unwrap()).unwrap().text;
            let municipal = RING.signer("municipal").unwrap().kid.clone();
            let others: Vec<PublicKey> = RING.public_keys().into_iter().filter(|k| k.kid != municipal).collect();
            prop_assert!(verify(&text, &others).is_ok());
            let only_municipal: Vec<PublicKey> = RING.public_keys().into_iter().filter(|k| k.kid == municipal).collect();
            prop_assert!(matches!(verify(&text, &only_municipal), Err(Rejection::UnknownKey(_))));
        }
    }
}
