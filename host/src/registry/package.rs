//! Signed plugin packages: one file (`.mitra`) holding a plugin's manifest,
//! component and data, signed by its vendor.
//!
//! A package is a tar archive of the plugin directory plus `SIGNATURE.json`:
//! the vendor's key id, the plugin id, version and contract the packer saw,
//! the sha256 digest over every other file (path and content), and an
//! Ed25519 signature over all of those. [`open`] refuses an unsigned
//! package, an unknown key, a digest that does not match the files (the
//! package was changed after signing), a bad signature and a contract this
//! host does not speak — all before a byte of it is compiled.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use ring::signature::{self, Ed25519KeyPair, KeyPair as _};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::runtime::{CONTRACT_VERSIONS, MANIFEST_FILE, Manifest};

/// The signature's file name inside a package.
pub const SIGNATURE_FILE: &str = "SIGNATURE.json";
/// The largest package accepted (a Python plugin's component is ~20 MB).
pub const MAX_PACKAGE: usize = 256 * 1024 * 1024;
const ALGORITHM: &str = "ed25519";
/// Domain separation: this signature means "this plugin package", nothing else.
const STATEMENT_PREFIX: &str = "mitra-plugin-package-v1";

/// Why a package was refused.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("not a plugin package: {0}")]
    Malformed(String),
    #[error("the package is not signed ({SIGNATURE_FILE} is missing)")]
    Unsigned,
    #[error("signed with key {0:?}, which this host does not trust")]
    UnknownKey(String),
    #[error("the files do not match the signed digest: the package was changed after signing")]
    Tampered,
    #[error("the signature does not verify with key {0:?}")]
    BadSignature(String),
    #[error("built against contract {found}, this host speaks {}", CONTRACT_VERSIONS.join(" and "))]
    IncompatibleContract { found: String },
    #[error("invalid manifest: {0}")]
    Manifest(String),
}

impl PackageError {
    /// A short, stable name for the API, the audit log and tests.
    pub fn kind(&self) -> &'static str {
        match self {
            PackageError::Malformed(_) => "malformed",
            PackageError::Unsigned => "unsigned",
            PackageError::UnknownKey(_) => "unknown-key",
            PackageError::Tampered => "tampered",
            PackageError::BadSignature(_) => "bad-signature",
            PackageError::IncompatibleContract { .. } => "incompatible-contract",
            PackageError::Manifest(_) => "invalid-manifest",
        }
    }
}

/// What `SIGNATURE.json` holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub key: String,
    pub algorithm: String,
    pub plugin: String,
    pub version: String,
    pub contract: String,
    /// sha256 (hex) over every file but this one: see [`digest`].
    pub digest: String,
    /// Ed25519 signature (hex) of [`Signature::statement`].
    pub signature: String,
}

impl Signature {
    /// The bytes the vendor signs.
    fn statement(&self) -> String {
        format!(
            "{STATEMENT_PREFIX}\n{}\n{}\n{}\n{}\n{}",
            self.key, self.plugin, self.version, self.contract, self.digest
        )
    }
}

/// A vendor's signing key (Ed25519, PKCS#8).
pub struct VendorKey {
    pub id: String,
    pair: Ed25519KeyPair,
    pkcs8: Vec<u8>,
}

impl std::fmt::Debug for VendorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VendorKey").field("id", &self.id).field("public", &self.public_hex()).finish()
    }
}

impl VendorKey {
    /// A new random key.
    pub fn generate(id: &str) -> anyhow::Result<Self> {
        anyhow::ensure!(crate::runtime::is_slug(id), "key id {id:?} must be a slug (lowercase letters, digits, '-')");
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| anyhow::anyhow!("generating a key failed"))?;
        Self::from_pkcs8(id, pkcs8.as_ref())
    }

    fn from_pkcs8(id: &str, pkcs8: &[u8]) -> anyhow::Result<Self> {
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|e| anyhow::anyhow!("not an Ed25519 key: {e}"))?;
        Ok(Self { id: id.to_owned(), pair, pkcs8: pkcs8.to_vec() })
    }

    /// The key file's text: `<id>:<pkcs8 hex>`.
    pub fn to_file_text(&self) -> String {
        format!("{}:{}\n", self.id, hex::encode(&self.pkcs8))
    }

    /// Reads what [`VendorKey::to_file_text`] wrote.
    pub fn from_file_text(text: &str) -> anyhow::Result<Self> {
        let (id, key) = text.trim().split_once(':').ok_or_else(|| anyhow::anyhow!("a key file is <id>:<hex>"))?;
        Self::from_pkcs8(id, &hex::decode(key)?)
    }

    /// The public key, hex, as operators list it among trusted keys.
    pub fn public_hex(&self) -> String {
        hex::encode(self.pair.public_key().as_ref())
    }
}

/// The vendor keys an operator trusts: key id → Ed25519 public key.
#[derive(Clone, Debug, Default)]
pub struct TrustedKeys(BTreeMap<String, Vec<u8>>);

impl TrustedKeys {
    /// Parses a TOML table of `key-id = "<public key hex>"`.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let table: BTreeMap<String, String> = toml::from_str(text)?;
        let mut keys = BTreeMap::new();
        for (id, public) in table {
            let bytes = hex::decode(public.trim()).map_err(|e| anyhow::anyhow!("key {id:?}: {e}"))?;
            anyhow::ensure!(bytes.len() == 32, "key {id:?}: an Ed25519 public key is 32 bytes");
            keys.insert(id, bytes);
        }
        Ok(Self(keys))
    }

    /// Reads a trusted-keys file; a missing file trusts no one.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text).map_err(|e| e.context(format!("reading {}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(anyhow::Error::from(e).context(format!("reading {}", path.display()))),
        }
    }

    /// Trusts `key` (tests and `mitra key new`).
    pub fn with(mut self, id: &str, public_hex: &str) -> anyhow::Result<Self> {
        let bytes = hex::decode(public_hex)?;
        anyhow::ensure!(bytes.len() == 32, "an Ed25519 public key is 32 bytes");
        self.0.insert(id.to_owned(), bytes);
        Ok(self)
    }

    /// The key ids, for messages.
    pub fn ids(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }
}

/// A package whose signature verified: its files, by relative path.
#[derive(Clone, Debug)]
pub struct Verified {
    pub signature: Signature,
    pub manifest: Manifest,
    pub files: BTreeMap<String, Vec<u8>>,
    /// sha256 of the whole package file.
    pub sha256: String,
}

impl Verified {
    /// Writes the plugin directory (manifest, component, data) into `dir`,
    /// which must not exist yet or be empty.
    pub fn unpack(&self, dir: &Path) -> anyhow::Result<()> {
        for (path, bytes) in &self.files {
            let target = dir.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&target, bytes)?;
        }
        Ok(())
    }
}

/// The digest the signature covers: sha256 over `path\nsha256(content)\n`
/// of every file, in path order.
pub fn digest(files: &BTreeMap<String, Vec<u8>>) -> String {
    let mut all = Sha256::new();
    for (path, bytes) in files {
        all.update(path.as_bytes());
        all.update(b"\n");
        all.update(hex::encode(Sha256::digest(bytes)).as_bytes());
        all.update(b"\n");
    }
    hex::encode(all.finalize())
}

/// Packs the plugin directory `dir` (its manifest, component and data
/// directory; not an operator's `config.toml`), signed with `key`.
/// `contract` is the contract the component was checked against.
pub fn pack(dir: &Path, key: &VendorKey, contract: &str) -> anyhow::Result<Vec<u8>> {
    let text = std::fs::read_to_string(dir.join(MANIFEST_FILE))?;
    let manifest: Manifest = toml::from_str(&text)?;
    manifest.validate().map_err(anyhow::Error::msg)?;
    let mut files = BTreeMap::new();
    files.insert(MANIFEST_FILE.to_owned(), text.into_bytes());
    let component = relative(&manifest.component).map_err(anyhow::Error::msg)?;
    files.insert(component.clone(), std::fs::read(dir.join(&component))?);
    if let Some(data) = &manifest.capabilities.data_dir {
        let data = relative(data).map_err(anyhow::Error::msg)?;
        add_dir(&dir.join(&data), &data, &mut files)?;
    }
    let mut signature = Signature {
        key: key.id.clone(),
        algorithm: ALGORITHM.into(),
        plugin: manifest.id.clone(),
        version: manifest.version.clone(),
        contract: contract.to_owned(),
        digest: digest(&files),
        signature: String::new(),
    };
    signature.signature = hex::encode(key.pair.sign(signature.statement().as_bytes()).as_ref());
    files.insert(SIGNATURE_FILE.to_owned(), serde_json::to_vec_pretty(&signature)?);
    let mut archive = tar::Builder::new(Vec::new());
    for (path, bytes) in &files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        archive.append_data(&mut header, path, bytes.as_slice())?;
    }
    Ok(archive.into_inner()?)
}

fn add_dir(dir: &Path, prefix: &str, files: &mut BTreeMap<String, Vec<u8>>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{prefix}/{name}");
        if entry.file_type()?.is_dir() {
            add_dir(&entry.path(), &path, files)?;
        } else {
            files.insert(path, std::fs::read(entry.path())?);
        }
    }
    Ok(())
}

/// A path inside the package: relative, no `..`, no root — a hostile
/// package cannot write outside the directory it is unpacked into.
fn relative(path: &Path) -> Result<String, String> {
    let mut parts = Vec::new();
    for part in path.components() {
        match part {
            Component::Normal(p) => parts.push(p.to_str().ok_or("a path that is not UTF-8")?.to_owned()),
            Component::CurDir => {}
            _ => return Err(format!("{} leaves the package", path.display())),
        }
    }
    if parts.is_empty() {
        return Err("an empty path".into());
    }
    Ok(parts.join("/"))
}

/// Reads and verifies a package against the trusted keys, in this order:
/// the archive, the signature file, the key, the digest over the files, the
/// signature, the contract, the manifest. Nothing is compiled here.
pub fn open(bytes: &[u8], trusted: &TrustedKeys) -> Result<Verified, PackageError> {
    if bytes.len() > MAX_PACKAGE {
        return Err(PackageError::Malformed(format!("larger than {} MiB", MAX_PACKAGE >> 20)));
    }
    let malformed = |e: std::io::Error| PackageError::Malformed(e.to_string());
    let mut archive = tar::Archive::new(bytes);
    let mut files = BTreeMap::new();
    let mut signature = None;
    for entry in archive.entries().map_err(malformed)? {
        let mut entry = entry.map_err(malformed)?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path =
            relative(&PathBuf::from(entry.path().map_err(malformed)?.as_ref())).map_err(PackageError::Malformed)?;
        // The header's size is the sender's word: never reserve beyond what arrived.
        let mut content = Vec::with_capacity((entry.size() as usize).min(bytes.len()));
        entry.read_to_end(&mut content).map_err(malformed)?;
        if path == SIGNATURE_FILE {
            signature = Some(content);
        } else if files.insert(path.clone(), content).is_some() {
            return Err(PackageError::Malformed(format!("{path} appears twice")));
        }
    }
    if files.is_empty() {
        return Err(PackageError::Malformed("an empty archive".into()));
    }
    let signature: Signature = serde_json::from_slice(&signature.ok_or(PackageError::Unsigned)?)
        .map_err(|e| PackageError::Malformed(format!("{SIGNATURE_FILE}: {e}")))?;
    if signature.algorithm != ALGORITHM {
        return Err(PackageError::Malformed(format!(
            "signature algorithm {:?} is not {ALGORITHM}",
            signature.algorithm
        )));
    }
    let public = trusted.0.get(&signature.key).ok_or_else(|| PackageError::UnknownKey(signature.key.clone()))?;
    if digest(&files) != signature.digest {
        return Err(PackageError::Tampered);
    }
    let signed = hex::decode(&signature.signature).map_err(|_| PackageError::BadSignature(signature.key.clone()))?;
    signature::UnparsedPublicKey::new(&signature::ED25519, public)
        .verify(signature.statement().as_bytes(), &signed)
        .map_err(|_| PackageError::BadSignature(signature.key.clone()))?;
    if !CONTRACT_VERSIONS.contains(&signature.contract.as_str()) {
        return Err(PackageError::IncompatibleContract { found: signature.contract.clone() });
    }
    let text = files.get(MANIFEST_FILE).ok_or_else(|| PackageError::Manifest(format!("no {MANIFEST_FILE}")))?;
    let text = std::str::from_utf8(text).map_err(|e| PackageError::Manifest(e.to_string()))?;
    let manifest: Manifest = toml::from_str(text).map_err(|e| PackageError::Manifest(e.to_string()))?;
    manifest.validate().map_err(PackageError::Manifest)?;
    if (manifest.id.as_str(), manifest.version.as_str()) != (signature.plugin.as_str(), signature.version.as_str()) {
        return Err(PackageError::Manifest(format!(
            "the manifest says {} {} but the signature {} {}",
            manifest.id, manifest.version, signature.plugin, signature.version
        )));
    }
    let component = relative(&manifest.component).map_err(PackageError::Manifest)?;
    if !files.contains_key(&component) {
        return Err(PackageError::Manifest(format!("the component {component} is not in the package")));
    }
    Ok(Verified { signature, manifest, files, sha256: hex::encode(Sha256::digest(bytes)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plugin_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(MANIFEST_FILE),
            "id = \"water\"\nversion = \"1.2.0\"\ncomponent = \"water.wasm\"\n[capabilities]\ndata_dir = \"data\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("water.wasm"), b"\0asm not really").unwrap();
        std::fs::create_dir_all(dir.path().join("data/tables")).unwrap();
        std::fs::write(dir.path().join("data/tables/rates.csv"), b"slab,rate\n1,2\n").unwrap();
        dir
    }

    #[test]
    fn a_signed_package_opens_with_every_file() {
        let dir = plugin_dir();
        let key = VendorKey::generate("water-vendor").unwrap();
        let trusted = TrustedKeys::default().with("water-vendor", &key.public_hex()).unwrap();
        let package = pack(dir.path(), &key, crate::runtime::CONTRACT_VERSION).unwrap();
        let opened = open(&package, &trusted).unwrap();
        assert_eq!(opened.manifest.version, "1.2.0");
        let paths: Vec<&str> = opened.files.keys().map(String::as_str).collect();
        assert_eq!(paths, ["data/tables/rates.csv", "plugin.toml", "water.wasm"]);
        // The key file round-trips.
        let again = VendorKey::from_file_text(&key.to_file_text()).unwrap();
        assert_eq!(again.public_hex(), key.public_hex());
    }

    #[test]
    fn keys_other_than_the_trusted_ones_are_refused() {
        let dir = plugin_dir();
        let key = VendorKey::generate("water-vendor").unwrap();
        let package = pack(dir.path(), &key, crate::runtime::CONTRACT_VERSION).unwrap();
        let error = open(&package, &TrustedKeys::default()).unwrap_err();
        assert_eq!(error.kind(), "unknown-key");
        // Same key id, another key: the signature does not verify.
        let impostor = VendorKey::generate("water-vendor").unwrap();
        let trusted = TrustedKeys::default().with("water-vendor", &impostor.public_hex()).unwrap();
        assert_eq!(open(&package, &trusted).unwrap_err().kind(), "bad-signature");
    }

    #[test]
    fn a_header_claiming_a_huge_file_is_malformed_not_a_huge_allocation() {
        let mut header = tar::Header::new_gnu();
        header.set_path("plugin.toml").unwrap();
        header.set_size(1 << 50);
        header.set_cksum();
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend([0u8; 1024]);
        assert_eq!(open(&bytes, &TrustedKeys::default()).unwrap_err().kind(), "malformed");
    }

    #[test]
    fn paths_that_leave_the_package_are_refused() {
        assert!(relative(Path::new("../etc/passwd")).is_err());
        assert!(relative(Path::new("/etc/passwd")).is_err());
        assert_eq!(relative(Path::new("./data/x.csv")).unwrap(), "data/x.csv");
    }
}
