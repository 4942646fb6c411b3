//! Issuing keys: one Ed25519 key per department, named by a `kid`, kept by
//! the host (a plugin never sees one: the host signs what it renders).
//!
//! A kid is the first four bytes of the public key's SHA-256, in hex
//! (`1a2b3c4d`): every byte of it is in every QR code. On disk, a directory
//! (`MITRA_KEYS_DIR`, `.mitra/keys` by default): `<department>-<kid>.key`
//! holds `<department>-<kid>:<PKCS#8 hex>` with owner-only permissions, and
//! `<department>.active` names the kid that signs for that department now.
//! `mitra keys generate <department>` adds a key and makes it active; the
//! department's earlier keys stay as retired keys, still published, so
//! every certificate they signed still verifies.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use ring::signature::{Ed25519KeyPair, KeyPair as _};
use sha2::{Digest, Sha256};

/// A department's signing key.
pub struct IssuerKey {
    pub department: String,
    pub kid: String,
    pair: Ed25519KeyPair,
    pkcs8: Vec<u8>,
}

impl std::fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKey").field("kid", &self.kid).finish_non_exhaustive()
    }
}

impl IssuerKey {
    /// A new random key for `department`.
    pub fn generate(department: &str) -> anyhow::Result<Self> {
        anyhow::ensure!(crate::runtime::is_slug(department), "{department:?} is not a department id");
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| anyhow::anyhow!("generating a key failed"))?;
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).map_err(|e| anyhow::anyhow!("{e}"))?;
        let kid = hex::encode(&Sha256::digest(pair.public_key().as_ref())[..4]);
        Ok(Self { department: department.to_owned(), kid, pair, pkcs8: pkcs8.as_ref().to_vec() })
    }

    fn from_file_text(text: &str) -> anyhow::Result<Self> {
        let (name, key) = text.trim().split_once(':').context("a key file is <department>-<kid>:<pkcs8 hex>")?;
        let (department, kid) = name.rsplit_once('-').context("a key is named <department>-<kid>")?;
        let pkcs8 = hex::decode(key).context("the key is not hex")?;
        let pair = Ed25519KeyPair::from_pkcs8(&pkcs8).map_err(|e| anyhow::anyhow!("not an Ed25519 key: {e}"))?;
        Ok(Self { department: department.to_owned(), kid: kid.to_owned(), pair, pkcs8 })
    }

    /// The Ed25519 public key.
    pub fn public(&self) -> [u8; 32] {
        self.pair.public_key().as_ref().try_into().expect("Ed25519 public keys are 32 bytes")
    }

    /// Signs `message`.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.pair.sign(message).as_ref().to_vec()
    }
}

/// A published verification key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    pub kid: String,
    pub department: String,
    /// Whether it signs new certificates (else it is retired).
    pub active: bool,
    /// The key's curve point, decompressed once: decompressing it for every
    /// check was a fifth of a verification.
    point: ed25519_dalek::VerifyingKey,
}

/// The published keys as a JSON Web Key Set (RFC 7517; Ed25519 keys as
/// RFC 8037 OKP keys), the shape `/.well-known/jwks.json` serves.
pub fn jwks(keys: &[PublicKey]) -> serde_json::Value {
    use base64::Engine as _;
    let keys: Vec<serde_json::Value> = keys
        .iter()
        .map(|k| {
            serde_json::json!({
                "kty": "OKP",
                "crv": "Ed25519",
                "alg": "EdDSA",
                "use": "sig",
                "kid": k.kid,
                "x": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(k.key()),
                "status": if k.active { "active" } else { "retired" },
                // Which department's certificates (or the log's checkpoints) it signs.
                "department": k.department,
            })
        })
        .collect();
    serde_json::json!({ "keys": keys })
}

impl PublicKey {
    /// A key as published; refused when `key` is not an Ed25519 point.
    pub fn new(kid: String, department: String, key: [u8; 32], active: bool) -> anyhow::Result<Self> {
        let point = ed25519_dalek::VerifyingKey::from_bytes(&key)
            .map_err(|_| anyhow::anyhow!("key {kid} is not an Ed25519 public key"))?;
        Ok(Self { kid, department, active, point })
    }

    /// The key's 32 bytes, as published.
    pub fn key(&self) -> [u8; 32] {
        self.point.to_bytes()
    }

    /// Whether `signature` over `message` is this key's. Strict RFC 8032
    /// verification (canonical encodings, no small-order points), with
    /// curve25519-dalek's vectorised arithmetic: about twice ring's rate
    /// here, and verification is what a state's verifiers do most.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(signature) = ed25519_dalek::Signature::from_slice(signature) else { return false };
        self.point.verify_strict(message, &signature).is_ok()
    }
}

/// Every issuing key in the keys directory.
#[derive(Debug, Default)]
pub struct Keyring {
    keys: BTreeMap<String, IssuerKey>,
    /// department → active kid
    active: BTreeMap<String, String>,
}

impl Keyring {
    /// Reads `dir`; a missing directory is an empty keyring.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let mut ring = Self::default();
        let Ok(entries) = std::fs::read_dir(dir) else { return Ok(ring) };
        for entry in entries.flatten() {
            let path = entry.path();
            let text = || std::fs::read_to_string(&path).with_context(|| path.display().to_string());
            match path.extension().and_then(|e| e.to_str()) {
                Some("key") => {
                    let key = IssuerKey::from_file_text(&text()?).with_context(|| path.display().to_string())?;
                    ring.keys.insert(key.kid.clone(), key);
                }
                Some("active") => {
                    let department = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
                    ring.active.insert(department, text()?.trim().to_owned());
                }
                _ => {}
            }
        }
        for (department, kid) in &ring.active {
            anyhow::ensure!(ring.keys.contains_key(kid), "{department}.active names {kid}, which has no key file");
        }
        Ok(ring)
    }

    /// Adds a new key for `department` to `dir` and makes it the one that
    /// signs; the department's older keys are kept, retired.
    pub fn generate(dir: &Path, department: &str) -> anyhow::Result<PathBuf> {
        std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
        let key = IssuerKey::generate(department)?;
        let name = format!("{department}-{}", key.kid);
        let path = dir.join(format!("{name}.key"));
        write_private(&path, &format!("{name}:{}\n", hex::encode(&key.pkcs8)))?;
        std::fs::write(dir.join(format!("{department}.active")), format!("{}\n", key.kid))?;
        Ok(path)
    }

    /// Keys held in memory only, one for each of `departments` (tests and
    /// hosts started without a keys directory: nothing they sign outlives
    /// the process).
    pub fn ephemeral<'a>(departments: impl IntoIterator<Item = &'a str>) -> anyhow::Result<Self> {
        let mut ring = Self::default();
        for department in departments {
            let key = IssuerKey::generate(department)?;
            ring.active.insert(department.to_owned(), key.kid.clone());
            ring.keys.insert(key.kid.clone(), key);
        }
        Ok(ring)
    }

    /// The departments with a key that signs now.
    pub fn departments(&self) -> impl Iterator<Item = &str> {
        self.active.keys().map(String::as_str)
    }

    /// The key that signs for `department` now.
    pub fn signer(&self, department: &str) -> Option<&IssuerKey> {
        self.keys.get(self.active.get(department)?)
    }

    /// Every key, active and retired, as published.
    pub fn public_keys(&self) -> Vec<PublicKey> {
        self.keys
            .values()
            .map(|k| {
                let active = self.active.get(&k.department) == Some(&k.kid);
                PublicKey::new(k.kid.clone(), k.department.clone(), k.public(), active)
                    .expect("ring's Ed25519 public keys are valid points")
            })
            .collect()
    }
}

/// Writes a secret readable by its owner only (created so: never briefly
/// readable by others).
pub fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rotated_department_signs_with_its_new_key_and_keeps_publishing_the_old() {
        let dir = tempfile::tempdir().unwrap();
        let first = Keyring::generate(dir.path(), "municipal").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_eq!(std::fs::metadata(&first).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let old = Keyring::load(dir.path()).unwrap().signer("municipal").unwrap().kid.clone();
        Keyring::generate(dir.path(), "municipal").unwrap();
        Keyring::generate(dir.path(), "revenue").unwrap();
        let ring = Keyring::load(dir.path()).unwrap();
        let new = ring.signer("municipal").unwrap();
        assert_ne!(new.kid, old);
        assert!(new.kid.len() == 8 && new.kid.chars().all(|c| c.is_ascii_hexdigit()), "{}", new.kid);
        let published = ring.public_keys();
        assert_eq!(published.len(), 3);
        let retired = published.iter().find(|k| k.kid == old).unwrap();
        assert!(!retired.active);
        let signature = new.sign(b"certificate");
        let current = published.iter().find(|k| k.kid == new.kid).unwrap();
        assert!(current.verifies(b"certificate", &signature));
        assert!(!current.verifies(b"certificatf", &signature));
        assert!(!retired.verifies(b"certificate", &signature));
        assert!(ring.signer("energy").is_none());
    }

    #[test]
    fn a_broken_keys_directory_is_refused_with_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("municipal-00000000.key"), "municipal-00000000:zz").unwrap();
        let error = format!("{:#}", Keyring::load(dir.path()).unwrap_err());
        assert!(error.contains("municipal-00000000.key"), "{error}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("revenue.active"), "12345678").unwrap();
        assert!(format!("{:#}", Keyring::load(dir.path()).unwrap_err()).contains("no key file"));
    }
}
