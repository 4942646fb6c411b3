//! Signed checkpoints of the transparency log, in the C2SP formats that
//! transparency tooling reads: a `tlog-checkpoint` body (origin, tree size,
//! base64 root hash, one per line) in a `signed-note` with an Ed25519
//! signature line:
//!
//! ```text
//! mitra.ap.gov.in/certificates
//! 1204332
//! mU1cFqfC9UcIyNvxYz0Dvn8I6q1P3mz0d8hK8D5bT0w=
//!
//! — mitra.ap.gov.in/certificates Az3grl0FxDKMYfyBIJKkUOZ2CLJC2ccRMhJf2eMbA7eV1jBjRXOk7Lxy…
//! ```
//!
//! The signature line holds base64 of the key hash (the first 4 bytes of
//! SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), 0x01 naming Ed25519) followed
//! by the 64-byte signature over the body, final newline included.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use super::keys::{IssuerKey, PublicKey};
use super::merkle::Hash;

/// A tree head: the log `origin` had `size` entries with root `root`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
}

/// Why a signed checkpoint was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("not a signed checkpoint: {0}")]
    Malformed(&'static str),
    #[error("no signature by {0:?}")]
    NotSigned(String),
    #[error("the signature by {0:?} does not match: the checkpoint was altered or forged")]
    Forged(String),
}

/// The signed-note key hash of an Ed25519 key named `name`.
fn key_hash(name: &str, public: &[u8; 32]) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n\x01");
    h.update(public);
    h.finalize()[..4].try_into().expect("4 bytes")
}

impl Checkpoint {
    /// The checkpoint body, as signed.
    pub fn body(&self) -> String {
        format!("{}\n{}\n{}\n", self.origin, self.size, STANDARD.encode(self.root))
    }

    /// The signed note, signed by `key` under the log's `name`.
    pub fn sign(&self, name: &str, key: &IssuerKey) -> String {
        let body = self.body();
        let mut signature = key_hash(name, &key.public()).to_vec();
        signature.extend(key.sign(body.as_bytes()));
        format!("{body}\n\u{2014} {name} {}\n", STANDARD.encode(signature))
    }

    /// Reads a signed note and checks its signature by `name` with `key`.
    pub fn open(note: &str, name: &str, key: &PublicKey) -> Result<Self, CheckpointError> {
        let (body, signatures) = note.split_once("\n\n").ok_or(CheckpointError::Malformed("no blank line"))?;
        let body = format!("{body}\n");
        let wanted = key_hash(name, &key.key());
        let mut by_name = false;
        for line in signatures.lines() {
            let Some(rest) = line.strip_prefix("\u{2014} ") else { continue };
            let Some((signer, encoded)) = rest.rsplit_once(' ') else { continue };
            if signer != name {
                continue;
            }
            by_name = true;
            let Ok(bytes) = STANDARD.decode(encoded) else { continue };
            if bytes.len() == 4 + 64 && bytes[..4] == wanted && key.verifies(body.as_bytes(), &bytes[4..]) {
                return Self::parse(&body);
            }
        }
        Err(if by_name {
            CheckpointError::Forged(name.to_owned())
        } else {
            CheckpointError::NotSigned(name.to_owned())
        })
    }

    fn parse(body: &str) -> Result<Self, CheckpointError> {
        let mut lines = body.lines();
        let origin = lines.next().filter(|o| !o.is_empty()).ok_or(CheckpointError::Malformed("no origin"))?;
        let size = lines.next().and_then(|s| s.parse().ok()).ok_or(CheckpointError::Malformed("no tree size"))?;
        let root = lines
            .next()
            .and_then(|r| STANDARD.decode(r).ok())
            .and_then(|r| Hash::try_from(r.as_slice()).ok())
            .ok_or(CheckpointError::Malformed("no root hash"))?;
        Ok(Self { origin: origin.to_owned(), size, root })
    }
}

#[cfg(test)]
mod tests {
    use super::super::keys::Keyring;
    use super::super::merkle::{leaf_hash, root};
    use super::*;

    const LOG: &str = "mitra.example/certificates";

    #[test]
    fn a_signed_checkpoint_opens_and_a_forged_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        Keyring::generate(dir.path(), "transparency-log").unwrap();
        Keyring::generate(dir.path(), "municipal").unwrap();
        let ring = Keyring::load(dir.path()).unwrap();
        let signer = ring.signer("transparency-log").unwrap();
        let public = ring.public_keys().into_iter().find(|k| k.kid == signer.kid).unwrap();
        let leaves: Vec<Hash> = (0..5u8).map(|i| leaf_hash(&[i])).collect();
        let checkpoint = Checkpoint { origin: LOG.into(), size: 5, root: root(&leaves) };
        let note = checkpoint.sign(LOG, signer);
        assert!(note.starts_with(&format!("{LOG}\n5\n")), "{note}");
        assert_eq!(Checkpoint::open(&note, LOG, &public), Ok(checkpoint.clone()));

        // A bigger tree claimed under the same signature.
        let grown = note.replacen("\n5\n", "\n6\n", 1);
        assert_eq!(Checkpoint::open(&grown, LOG, &public), Err(CheckpointError::Forged(LOG.into())));
        // Signed by another key under the log's name.
        let other = ring.signer("municipal").unwrap();
        let impostor = checkpoint.sign(LOG, other);
        assert_eq!(Checkpoint::open(&impostor, LOG, &public), Err(CheckpointError::Forged(LOG.into())));
        assert_eq!(Checkpoint::open(&note, "other.log", &public), Err(CheckpointError::NotSigned("other.log".into())));
        assert!(matches!(Checkpoint::open("garbage", LOG, &public), Err(CheckpointError::Malformed(_))));
    }
}
