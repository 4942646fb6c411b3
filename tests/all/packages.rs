//! Signed plugin packages: a vendor packs and signs, the host verifies
//! before compiling anything, and a refused package leaves the version
//! being served untouched.

use std::io::Read as _;
use std::path::PathBuf;
use std::sync::Arc;

use mitra::registry::package::{self, TrustedKeys, VendorKey};
use mitra::registry::{self, InstallError};
use mitra::runtime::{CONTRACT_VERSION, Catalog, Runtime};

use crate::support::{components, good_plugin_still_answers, pensions, runtime};

pub(crate) use mitra_tests::pensions_plugin_dir as pensions_dir;

struct Host {
    _tmp: tempfile::TempDir,
    runtime: Runtime,
    catalog: Catalog,
    trusted: TrustedKeys,
    vendor: VendorKey,
    root: PathBuf,
}

impl Host {
    /// A host serving pensions 0.1.0 and trusting the pensions vendor.
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let runtime = runtime();
        let catalog = Catalog::new();
        catalog.publish(pensions(&runtime));
        let vendor = VendorKey::generate("pensions-vendor").unwrap();
        let trusted = TrustedKeys::default().with("pensions-vendor", &vendor.public_hex()).unwrap();
        let root = tmp.path().join("installed");
        Host { _tmp: tmp, runtime, catalog, trusted, vendor, root }
    }

    fn install(&self, bytes: &[u8]) -> Result<String, InstallError> {
        registry::install(&self.runtime, &self.catalog, &self.trusted, &self.root, bytes)
            .map(|(plugin, _)| plugin.manifest().version.clone())
    }

    fn package(&self, version: &str) -> Vec<u8> {
        let dir = pensions_dir(self._tmp.path(), version, components::PENSIONS);
        package::pack(&dir, &self.vendor, CONTRACT_VERSION).unwrap()
    }

    /// The version served, and that it still answers citizens.
    fn serving(&self) -> String {
        let plugin = self.catalog.get("pensions").expect("pensions is served");
        good_plugin_still_answers(&self.runtime);
        let decision = plugin
            .check_eligibility(
                "old-age",
                &crate::support::citizen(),
                &crate::support::old_age_answers("1950-01-01", 5000.0),
            )
            .unwrap();
        assert_eq!(decision, mitra::runtime::Decision::Eligible);
        plugin.manifest().version.clone()
    }
}

/// The files of a package, to rebuild it the way a forger would.
fn files_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = tar::Archive::new(bytes);
    let mut files = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        files.push((path, content));
    }
    files
}

fn archive_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, content) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(content.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, path, content.as_slice()).unwrap();
    }
    builder.into_inner().unwrap()
}

#[test]
fn a_signed_package_is_verified_compiled_checked_and_then_served() {
    let host = Host::new();
    assert_eq!(host.serving(), "0.1.0");
    let in_flight: Arc<_> = host.catalog.get("pensions").unwrap();
    assert_eq!(host.install(&host.package("0.2.0")).unwrap(), "0.2.0");
    assert_eq!(host.serving(), "0.2.0");
    // A call that began on 0.1.0 finishes on it.
    assert_eq!(in_flight.manifest().version, "0.1.0");
    assert!(in_flight.describe().is_ok());
    // Installing the same package again is harmless.
    assert_eq!(host.install(&host.package("0.2.0")).unwrap(), "0.2.0");
}

#[test]
fn unsigned_tampered_foreign_and_incompatible_packages_are_refused_and_the_active_version_keeps_serving() {
    let host = Host::new();
    let genuine = host.package("0.3.0");

    let unsigned: Vec<_> = files_of(&genuine).into_iter().filter(|(path, _)| path != package::SIGNATURE_FILE).collect();
    let refused = host.install(&archive_of(&unsigned)).unwrap_err();
    assert_eq!(refused.kind(), "unsigned", "{refused}");

    // One byte of the component changed after signing.
    let mut altered = files_of(&genuine);
    let wasm = altered.iter_mut().find(|(path, _)| path == "pensions.wasm").unwrap();
    let middle = wasm.1.len() / 2;
    wasm.1[middle] ^= 0xff;
    let refused = host.install(&archive_of(&altered)).unwrap_err();
    assert_eq!(refused.kind(), "tampered", "{refused}");
    assert!(refused.to_string().contains("changed after signing"), "{refused}");

    // A manifest granting more, with the digest recomputed: the signature no longer verifies.
    let mut widened = files_of(&genuine);
    let manifest = widened.iter_mut().find(|(path, _)| path == "plugin.toml").unwrap();
    manifest.1 = String::from_utf8(manifest.1.clone()).unwrap().replace("memory_mib = 32", "memory_mib = 512").into();
    let digest = package::digest(&widened.iter().filter(|(p, _)| p != package::SIGNATURE_FILE).cloned().collect());
    let signature = widened.iter_mut().find(|(path, _)| path == package::SIGNATURE_FILE).unwrap();
    let mut json: serde_json::Value = serde_json::from_slice(&signature.1).unwrap();
    json["digest"] = digest.into();
    signature.1 = serde_json::to_vec(&json).unwrap();
    let refused = host.install(&archive_of(&widened)).unwrap_err();
    assert_eq!(refused.kind(), "bad-signature", "{refused}");

    // Signed by a vendor this operator does not trust.
    let stranger = VendorKey::generate("someone-else").unwrap();
    let dir = pensions_dir(&host.root.with_file_name("stranger"), "0.3.0", components::PENSIONS);
    let refused = host.install(&package::pack(&dir, &stranger, CONTRACT_VERSION).unwrap()).unwrap_err();
    assert_eq!(refused.kind(), "unknown-key", "{refused}");
    assert!(refused.to_string().contains("someone-else"), "{refused}");

    // Signed by the trusted vendor, for a contract this host does not speak:
    // refused from the signed statement, before compiling.
    let refused = host.install(&package::pack(&dir, &host.vendor, "9.0.0").unwrap()).unwrap_err();
    assert_eq!(refused.kind(), "incompatible-contract", "{refused}");

    // Signed and claiming the right contract, but the component is built
    // against another world: compiling and linking refuse it.
    let foreign = pensions_dir(&host.root.with_file_name("foreign"), "0.3.0", components::OTHER_WORLD);
    let refused = host.install(&package::pack(&foreign, &host.vendor, CONTRACT_VERSION).unwrap()).unwrap_err();
    assert_eq!(refused.kind(), "incompatible-contract", "{refused}");

    // Not a package at all.
    assert_eq!(host.install(b"PK\x03\x04 a zip, not ours").unwrap_err().kind(), "malformed");

    assert_eq!(host.serving(), "0.1.0", "every refusal left the active version serving");
    let left = std::fs::read_dir(host.root.join("pensions")).map(|dir| dir.count()).unwrap_or(0);
    assert_eq!(left, 0, "nothing of a refused version is left unpacked");
}
