//! How DigiLocker and an issuer prove a request is theirs.
//!
//! - `x-digilocker-hmac`: the sender computes HMAC-SHA256 over the raw HTTP
//!   body, keyed with the API key both sides hold, and sends it
//!   base64-encoded.
//! - `keyhash`, an attribute of the message itself: the specification's
//!   "SHA-256 encrypted value of the API key and the timestamp values
//!   concatenated together in this sequence", in hex, which ties the key to
//!   the request's `ts`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::Mac as _;
use sha2::{Digest as _, Sha256};

use crate::channel::webhook::body_mac;

/// The header carrying the request body's HMAC.
pub const HEADER: &str = "x-digilocker-hmac";

/// The header value for `body`, as the specification defines it: base64 of
/// the 32-byte HMAC-SHA256.
pub fn sign(secret: &str, body: &[u8]) -> String {
    STANDARD.encode(body_mac(secret, body).finalize().into_bytes())
}

/// Whether `header` is `body`'s HMAC under `secret`, compared in constant
/// time (`verify_slice`).
///
/// Two encodings are taken: base64 of the digest (the specification's), and
/// base64 of its lowercase hex, which is what PHP's `hash_hmac` default
/// produces and what issuers report DigiLocker sending in production. Both
/// need the key, so accepting the second opens nothing.
pub fn verify(secret: &str, body: &[u8], header: Option<&str>) -> bool {
    let Some(given) = header.map(str::trim).filter(|h| !h.is_empty()) else { return false };
    let Ok(decoded) = STANDARD.decode(given) else { return false };
    let digest = match decoded.len() {
        32 => decoded,
        64 => match hex::decode(&decoded) {
            Ok(digest) => digest,
            Err(_) => return false,
        },
        _ => return false,
    };
    body_mac(secret, body).verify_slice(&digest).is_ok()
}

/// The `keyhash` of a message stamped `ts`: hex SHA-256 of the key
/// followed by `ts`.
pub fn keyhash(secret: &str, ts: &str) -> String {
    hex::encode(Sha256::digest(format!("{secret}{ts}").as_bytes()))
}

/// Whether `given` is the `keyhash` of `ts` under `secret`. Hex is read in
/// either case, and the digests are compared without an early exit.
pub fn verify_keyhash(secret: &str, ts: &str, given: &str) -> bool {
    let Ok(given) = hex::decode(given.trim()) else { return false };
    let expected = Sha256::digest(format!("{secret}{ts}").as_bytes());
    given.len() == expected.len() && given.iter().zip(expected.iter()).fold(0u8, |differ, (a, b)| differ | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyhash_is_hex_sha256_of_key_then_timestamp() {
        let expected = hex::encode(Sha256::digest(b"secret2026-12-03T10:15:00+05:30"));
        assert_eq!(keyhash("secret", "2026-12-03T10:15:00+05:30"), expected);
    }

    #[test]
    fn a_keyhash_is_verified_in_either_case_and_only_for_its_key_and_timestamp() {
        let ts = "2026-12-03T10:15:00+05:30";
        let good = keyhash("secret", ts);
        assert!(verify_keyhash("secret", ts, &good));
        assert!(verify_keyhash("secret", ts, &good.to_uppercase()));
        assert!(!verify_keyhash("other", ts, &good));
        assert!(!verify_keyhash("secret", "2026-12-03T10:16:00+05:30", &good));
        for bad in ["", "0f1e", "not hex", &good[..62]] {
            assert!(!verify_keyhash("secret", ts, bad), "{bad}");
        }
    }

    const BODY: &[u8] = br#"<PullDocRequest ver="1.0" ts="2026-12-03T10:00:00+05:30" txn="1"/>"#;

    #[test]
    fn a_signature_made_with_the_shared_secret_is_accepted() {
        assert!(verify("secret", BODY, Some(&sign("secret", BODY))));
    }

    #[test]
    fn a_missing_empty_or_garbled_signature_is_refused() {
        assert!(!verify("secret", BODY, None));
        assert!(!verify("secret", BODY, Some("")));
        assert!(!verify("secret", BODY, Some("not base64!")));
        assert!(!verify("secret", BODY, Some(&STANDARD.encode([0u8; 31]))));
    }

    #[test]
    fn another_key_or_another_body_is_refused() {
        assert!(!verify("secret", BODY, Some(&sign("other", BODY))));
        assert!(!verify("secret", b"<PullDocRequest/>", Some(&sign("secret", BODY))));
    }

    #[test]
    fn the_hex_form_some_senders_use_is_accepted_with_the_right_key_only() {
        let hex_form = |key: &str| STANDARD.encode(hex::encode(body_mac(key, BODY).finalize().into_bytes()));
        assert!(verify("secret", BODY, Some(&hex_form("secret"))));
        assert!(!verify("secret", BODY, Some(&hex_form("other"))));
    }

    #[test]
    fn the_signature_is_base64_of_the_raw_digest() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let expected = hex::decode("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843").unwrap();
        assert_eq!(sign("Jefe", b"what do ya want for nothing?"), STANDARD.encode(expected));
    }
}
