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
    manifest.check_definitions(dir).map_err(anyhow::Error::msg)?;
    let mut files = BTreeMap::new();
    files.insert(MANIFEST_FILE.to_owned(), text.into_bytes());
    let component = relative(&manifest.component).map_err(anyhow::Error::msg)?;
    files.insert(component.clone(), std::fs::read(dir.join(&component))?);
    if let Some(data) = &manifest.capabilities.data_dir {
        let data = relative(data).map_err(anyhow::Error::msg)?;
        add_dir(&dir.join(&data), &data, &mut files)?;
    }
    signed_archive(&manifest, files, key, contract)
}

/// The package of `files` (by relative path, the manifest among them):
/// signed, then archived.
fn signed_archive(
    manifest: &Manifest,
    mut files: BTreeMap<String, Vec<u8>>,
    key: &VendorKey,
    contract: &str,
) -> anyhow::Result<Vec<u8>> {
    let signature = sign(manifest, &files, key, contract);
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

/// `key`'s signature of `files` as the package of `manifest`.
fn sign(manifest: &Manifest, files: &BTreeMap<String, Vec<u8>>, key: &VendorKey, contract: &str) -> Signature {
    let mut signature = Signature {
        key: key.id.clone(),
        algorithm: ALGORITHM.into(),
        plugin: manifest.id.clone(),
        version: manifest.version.clone(),
        contract: contract.to_owned(),
        digest: digest(files),
        signature: String::new(),
    };
    signature.signature = hex::encode(key.pair.sign(signature.statement().as_bytes()).as_ref());
    signature
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
    // The data directory is mounted into the sandbox: one outside the
    // package (`/`, `../..`) would hand the plugin the host's own files.
    if let Some(data) = &manifest.capabilities.data_dir {
        relative(data).map_err(|e| PackageError::Manifest(format!("data_dir: {e}")))?;
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

#[cfg(test)]
mod properties {
    use std::ops::Range;
    use std::sync::LazyLock;

    use proptest::collection::{btree_map, vec};
    use proptest::prelude::*;

    use super::*;
    use crate::runtime::{CONTRACT_VERSION, Capabilities};

    // Keys are made once: generating an Ed25519 key is not what is tested.
    static VENDOR: LazyLock<VendorKey> = LazyLock::new(|| VendorKey::generate("vendor").unwrap());
    static STRANGER: LazyLock<VendorKey> = LazyLock::new(|| VendorKey::generate("stranger").unwrap());
    /// Another key under the trusted vendor's id.
    static IMPOSTOR: LazyLock<VendorKey> = LazyLock::new(|| VendorKey::generate("vendor").unwrap());
    static TRUSTED: LazyLock<TrustedKeys> =
        LazyLock::new(|| TrustedKeys::default().with("vendor", &VENDOR.public_hex()).unwrap());

    /// A vendor's plugin: its manifest and every file its package carries.
    #[derive(Clone, Debug)]
    struct Plugin {
        manifest: Manifest,
        files: BTreeMap<String, Vec<u8>>,
    }

    impl Plugin {
        /// With `manifest` (written out again) in place of its own.
        fn with_manifest(mut self, manifest: Manifest) -> Self {
            self.files.insert(MANIFEST_FILE.into(), toml::to_string(&manifest).unwrap().into_bytes());
            self.manifest = manifest;
            self
        }

        /// Packed and signed by `key`, as `mitra plugin pack` does.
        fn packed_by(&self, key: &VendorKey) -> Vec<u8> {
            signed_archive(&self.manifest, self.files.clone(), key, CONTRACT_VERSION).unwrap()
        }
    }

    fn plugin() -> impl Strategy<Value = Plugin> {
        // Regexes parsed once here: a `&str` strategy parses its regex for every case.
        let re = |pattern: &str| proptest::string::string_regex(pattern).unwrap();
        (
            re("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?"),
            re("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(-[0-9A-Za-z-]{1,8}(\\.[0-9A-Za-z-]{1,8}){0,2})?(\\+[0-9A-Za-z-]{1,8})?"),
            re("[a-z0-9_-]{1,20}\\.wasm"),
            vec(any::<u8>(), 0..600),
            // Paths long enough, at times, to need GNU long-name entries.
            btree_map(re("[a-z0-9_-]{1,40}(/[a-z0-9_-]{1,40}){0,3}\\.csv"), vec(any::<u8>(), 0..100), 0..4),
            btree_map(re("[a-z_]{1,8}"), re("\\PC{0,12}"), 0..3),
        )
            .prop_map(|(id, version, component, wasm, data, config)| {
                let manifest = Manifest {
                    id,
                    version,
                    component: component.clone().into(),
                    capabilities: Capabilities {
                        data_dir: (!data.is_empty()).then(|| "data".into()),
                        ..Capabilities::default()
                    },
                    config,
                };
                let mut files: BTreeMap<String, Vec<u8>> =
                    data.into_iter().map(|(path, bytes)| (format!("data/{path}"), bytes)).collect();
                files.insert(component, wasm);
                Plugin { manifest: manifest.clone(), files }.with_manifest(manifest)
            })
    }

    /// Paths that leave the directory a package is unpacked into.
    fn escaping() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\.\\./[a-z]{1,8}",
            "/[a-z]{1,8}(/[a-z]{1,8})?",
            "(\\./)?data/\\.\\./\\.\\./[a-z]{1,8}",
            "[a-z]{1,4}/(\\.\\./){2,4}[a-z]{1,8}",
            Just("..".to_owned()),
            Just("/".to_owned()),
        ]
    }

    /// A tar archive of `files` as `tar::Builder` writes it.
    fn tar_of(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
        let mut archive = tar::Builder::new(Vec::new());
        for (path, bytes) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_cksum();
            archive.append_data(&mut header, path, bytes.as_slice()).unwrap();
        }
        archive.into_inner().unwrap()
    }

    /// A tar archive written by hand, so that it can hold what
    /// `tar::Builder` refuses to write (`..`, absolute paths) and entries of
    /// any type: (name of at most 100 bytes, type flag, content).
    fn raw_archive(entries: &[(Vec<u8>, u8, Vec<u8>)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, kind, content) in entries {
            let mut header = tar::Header::new_gnu();
            let n = name.len().min(100);
            header.as_mut_bytes()[..n].copy_from_slice(&name[..n]);
            header.set_size(content.len() as u64);
            header.set_entry_type(tar::EntryType::new(*kind));
            header.set_cksum();
            out.extend_from_slice(header.as_bytes());
            out.extend_from_slice(content);
            out.resize(out.len().next_multiple_of(512), 0);
        }
        out.extend([0; 1024]);
        out
    }

    /// `files` signed by the trusted vendor and archived by hand.
    fn signed_raw(manifest: &Manifest, files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
        let signature = serde_json::to_vec(&sign(manifest, files, &VENDOR, CONTRACT_VERSION)).unwrap();
        let mut entries: Vec<(Vec<u8>, u8, Vec<u8>)> =
            files.iter().map(|(path, bytes)| (path.as_bytes().to_vec(), b'0', bytes.clone())).collect();
        entries.push((SIGNATURE_FILE.as_bytes().to_vec(), b'0', signature));
        raw_archive(&entries)
    }

    /// The bytes of a package any change to which must be noticed: each
    /// header but its checksum field (which the checksum covers), and the
    /// content of every entry but the signature's (its JSON may be spaced
    /// differently and still say the same) and a GNU long name's closing
    /// NUL (made `/`, it names the same file: `a.csv/` is `a.csv`).
    fn meaningful(package: &[u8]) -> Vec<Range<usize>> {
        let mut ranges = Vec::new();
        for entry in tar::Archive::new(package).entries().unwrap().raw(true) {
            let entry = entry.unwrap();
            let (header, file) = (entry.raw_header_position() as usize, entry.raw_file_position() as usize);
            ranges.push(header..header + 148);
            ranges.push(header + 156..header + 512);
            let size = entry.size() as usize;
            if entry.header().entry_type().is_gnu_longname() {
                ranges.push(file..file + size - 1);
            } else if entry.path_bytes().as_ref() != SIGNATURE_FILE.as_bytes() {
                ranges.push(file..file + size);
            }
        }
        ranges
    }

    /// Whether an opened package says exactly what `plugin` packed: a change
    /// to bytes that carry nothing (tar padding, the second end block, a
    /// checksum's terminator, the hex case of the signature, a trailing `/`
    /// on a long name) may be accepted, a change to anything signed may not.
    fn is_as_packed(opened: &Verified, plugin: &Plugin, packed: &Signature) -> bool {
        let s = &opened.signature;
        opened.files == plugin.files
            && opened.manifest == plugin.manifest
            && (&s.key, &s.plugin, &s.version, &s.contract, &s.digest)
                == (&packed.key, &packed.plugin, &packed.version, &packed.contract, &packed.digest)
            && hex::decode(&s.signature).ok() == hex::decode(&packed.signature).ok()
    }

    /// The properties below sign a package (Ed25519) and open it, some of
    /// them several times: a case costs about 1 ms on a 2-vCPU machine,
    /// ten to a hundred times a parser's. They run a tenth of the cases
    /// asked for (`PROPTEST_CASES`, else 256): 5,000 of `cargo xtask
    /// test`'s 50,000. The share is taken of the default, which reads the
    /// variable; a fixed `ProptestConfig::with_cases` would ignore it.
    fn signing() -> ProptestConfig {
        let asked = ProptestConfig::default();
        ProptestConfig { cases: (asked.cases / 10).max(1), ..asked }
    }

    proptest! {
        #[test]
        fn any_bytes_are_refused_without_a_panic(bytes in vec(any::<u8>(), 0..4096)) {
            prop_assert!(open(&bytes, &TRUSTED).is_err());
        }

        #[test]
        fn any_archive_of_unsigned_entries_is_refused_without_a_panic(
            entries in vec((
                prop_oneof![
                    Just(MANIFEST_FILE.as_bytes().to_vec()),
                    Just(SIGNATURE_FILE.as_bytes().to_vec()),
                    escaping().prop_map(String::into_bytes),
                    vec(any::<u8>(), 0..100),
                ],
                prop_oneof![Just(b'0'), Just(0u8), Just(b'5'), Just(b'L'), Just(b'x'), Just(b'g'), any::<u8>()],
                vec(any::<u8>(), 0..700),
            ), 0..6),
        ) {
            prop_assert!(open(&raw_archive(&entries), &TRUSTED).is_err());
        }

        #[test]
        fn a_package_path_is_kept_only_inside_the_package(
            path in "(/|\\.{1,3}|[a-z]{1,3}|\\PC{1,3})(/{1,2}(\\.{1,3}|[a-z]{1,3}|\\PC{1,3})){0,5}/?",
        ) {
            // The rule, said plainly: no root, no `..`, `.` and empty parts dropped, something left.
            let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
            let inside = !path.starts_with('/') && !parts.contains(&"..") && !parts.is_empty();
            match relative(Path::new(&path)) {
                Ok(kept) => {
                    prop_assert!(inside, "{:?} kept as {:?}", path, kept);
                    prop_assert_eq!(kept, parts.join("/"));
                }
                Err(_) => prop_assert!(!inside, "{:?} refused", path),
            }
        }

        #[test]
        fn any_trusted_keys_file_is_read_or_refused_without_a_panic(text in "(\\PC{0,20}( = )?\"?[0-9a-f]{0,70}\"?\n){0,4}") {
            if let Ok(keys) = TrustedKeys::parse(&text) {
                prop_assert!(keys.0.values().all(|key| key.len() == 32));
            }
            let _ = VendorKey::from_file_text(&text);
        }
    }

    proptest! {
        #![proptest_config(signing())]

        #[test]
        fn a_signed_package_reads_back_as_it_was_packed(plugin in plugin()) {
            let opened = open(&plugin.packed_by(&VENDOR), &TRUSTED).unwrap();
            prop_assert_eq!(&opened.files, &plugin.files);
            prop_assert_eq!(&opened.manifest, &plugin.manifest);
            prop_assert_eq!(&opened.signature.plugin, &plugin.manifest.id);
            prop_assert_eq!(&opened.signature.version, &plugin.manifest.version);
            prop_assert_eq!(opened.signature.contract.as_str(), CONTRACT_VERSION);
            // The registry unpacks it into `<id>/<version>-<sha256 prefix>`: two plain names.
            let dir = Path::new(&opened.manifest.id).join(format!("{}-{}", opened.manifest.version, &opened.sha256[..12]));
            prop_assert!(dir.components().all(|c| matches!(c, Component::Normal(_))));
            prop_assert_eq!(dir.components().count(), 2);
        }

        #[test]
        fn a_changed_byte_is_refused_unless_it_changes_nothing_signed(
            plugin in plugin(),
            at in any::<prop::sample::Index>(),
            flip in 1u8..=255,
        ) {
            let package = plugin.packed_by(&VENDOR);
            let signature = open(&package, &TRUSTED).unwrap().signature;
            let mut changed = package.clone();
            let at = at.index(changed.len());
            changed[at] ^= flip;
            if let Ok(opened) = open(&changed, &TRUSTED) {
                prop_assert!(is_as_packed(&opened, &plugin, &signature), "byte {} ^ {:#x} changed what was signed", at, flip);
            }
        }

        #[test]
        fn a_changed_byte_in_a_header_or_a_signed_file_is_always_refused(
            plugin in plugin(),
            at in any::<prop::sample::Index>(),
            flip in 1u8..=255,
        ) {
            let package = plugin.packed_by(&VENDOR);
            let ranges = meaningful(&package);
            let bytes: Vec<usize> = ranges.into_iter().flatten().collect();
            let mut changed = package.clone();
            let at = bytes[at.index(bytes.len())];
            changed[at] ^= flip;
            let error = open(&changed, &TRUSTED).unwrap_err();
            prop_assert!(matches!(error, PackageError::Malformed(_) | PackageError::Tampered | PackageError::Unsigned),
                "byte {} ^ {:#x}: {}", at, flip, error);
        }

        #[test]
        fn a_truncated_package_is_refused_unless_only_its_end_blocks_went(
            plugin in plugin(),
            cut in any::<prop::sample::Index>(),
        ) {
            let package = plugin.packed_by(&VENDOR);
            let signature = open(&package, &TRUSTED).unwrap().signature;
            let last = tar::Archive::new(package.as_slice())
                .entries()
                .unwrap()
                .raw(true)
                .map(|entry| {
                    let entry = entry.unwrap();
                    entry.raw_file_position() as usize + entry.size() as usize
                })
                .max()
                .unwrap();
            let cut = cut.index(package.len());
            let opened = open(&package[..cut], &TRUSTED);
            if cut < last {
                prop_assert!(opened.is_err(), "cut at {} of {} (content ends at {}) accepted", cut, package.len(), last);
            }
            if let Ok(opened) = opened {
                prop_assert!(is_as_packed(&opened, &plugin, &signature));
            }
        }

        #[test]
        fn a_package_signed_by_a_key_not_trusted_is_refused(plugin in plugin(), forged in vec(any::<u8>(), 64)) {
            let kind = |bytes: &[u8], trusted: &TrustedKeys| open(bytes, trusted).map(|_| ()).map_err(|e| e.kind());
            prop_assert_eq!(kind(&plugin.packed_by(&STRANGER), &TRUSTED), Err("unknown-key"));
            prop_assert_eq!(kind(&plugin.packed_by(&VENDOR), &TrustedKeys::default()), Err("unknown-key"));
            prop_assert_eq!(kind(&plugin.packed_by(&IMPOSTOR), &TRUSTED), Err("bad-signature"));
            // The digest right, the signature not the vendor's.
            let mut signature = sign(&plugin.manifest, &plugin.files, &VENDOR, CONTRACT_VERSION);
            signature.signature = hex::encode(&forged);
            let mut files = plugin.files.clone();
            files.insert(SIGNATURE_FILE.into(), serde_json::to_vec(&signature).unwrap());
            prop_assert_eq!(kind(&tar_of(&files), &TRUSTED), Err("bad-signature"));
        }

        #[test]
        fn a_signed_path_leaving_the_package_is_refused(plugin in plugin(), path in escaping()) {
            let mut files = plugin.files.clone();
            files.insert(path, b"not for outside".to_vec());
            let error = open(&signed_raw(&plugin.manifest, &files), &TRUSTED).unwrap_err();
            prop_assert_eq!(error.kind(), "malformed");
        }

        #[test]
        fn a_signed_data_dir_outside_the_package_is_refused(plugin in plugin(), data_dir in escaping()) {
            let mut manifest = plugin.manifest.clone();
            manifest.capabilities.data_dir = Some(data_dir.into());
            let plugin = plugin.with_manifest(manifest);
            let error = open(&plugin.packed_by(&VENDOR), &TRUSTED).unwrap_err();
            prop_assert_eq!(error.kind(), "invalid-manifest");
            prop_assert!(error.to_string().contains("data_dir"), "{}", error);
        }
    }
}
