//! The plugin manifest (`plugin.toml`): identity and the capabilities an
//! operator grants. Nothing a manifest does not name is reachable from a plugin.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::error::{Error, Result};

/// The manifest's file name inside a plugin directory.
pub const MANIFEST_FILE: &str = "plugin.toml";

/// Default per-call deadline.
pub const DEFAULT_DEADLINE: Duration = Duration::from_millis(200);
/// Default memory cap of one instance.
pub const DEFAULT_MEMORY_MIB: u32 = 64;
/// The largest memory cap a manifest may ask for.
pub const MAX_MEMORY_MIB: u32 = 512;
/// The longest deadline a manifest may ask for.
pub const MAX_DEADLINE: Duration = Duration::from_secs(10);

/// A parsed, validated `plugin.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Department id; must match what the component's `describe` returns.
    pub id: String,
    /// The version (semver) of this build of the plugin.
    pub version: String,
    /// Path of the component, relative to the manifest.
    pub component: PathBuf,
    #[serde(default)]
    pub capabilities: Capabilities,
    /// Configuration the plugin reads with `config.get` (operator-set values
    /// from the plugin's `config.toml` override these vendor defaults).
    #[serde(default)]
    pub config: BTreeMap<String, String>,
}

/// What the plugin may use.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// `host` or `host:port` entries the plugin may reach over HTTP. A bare
    /// host allows only the scheme's default port.
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
    /// A directory of reference data, relative to the manifest, mounted
    /// read-only at `/data`.
    #[serde(default)]
    pub data_dir: Option<PathBuf>,
    /// Memory cap per call in MiB (default 64).
    #[serde(default)]
    pub memory_mib: Option<u32>,
    /// Deadline per call in milliseconds (default 200).
    #[serde(default)]
    pub deadline_ms: Option<u64>,
}

impl Manifest {
    /// Reads and checks the manifest in `dir`, resolving paths against `dir`.
    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound { what: path.display().to_string() },
            _ => Error::InvalidManifest { path: path.clone(), reason: e.to_string() },
        })?;
        let mut manifest: Manifest =
            toml::from_str(&text).map_err(|e| Error::InvalidManifest { path: path.clone(), reason: e.to_string() })?;
        manifest.validate().map_err(|reason| Error::InvalidManifest { path: path.clone(), reason })?;
        manifest.component = dir.join(&manifest.component);
        if let Some(data) = &manifest.capabilities.data_dir {
            manifest.capabilities.data_dir = Some(dir.join(data));
        }
        let operator = dir.join("config.toml");
        if operator.exists() {
            let text = std::fs::read_to_string(&operator)
                .map_err(|e| Error::InvalidManifest { path: operator.clone(), reason: e.to_string() })?;
            let values: BTreeMap<String, String> = toml::from_str(&text)
                .map_err(|e| Error::InvalidManifest { path: operator.clone(), reason: e.to_string() })?;
            manifest.config.extend(values);
        }
        Ok(manifest)
    }

    /// Checks the fields that need more than their type.
    pub fn validate(&self) -> Result<(), String> {
        if !is_slug(&self.id) {
            return Err(format!("id {:?} must be lowercase letters, digits and '-' (at most 40)", self.id));
        }
        if !is_semver(&self.version) {
            return Err(format!("version {:?} is not MAJOR.MINOR.PATCH", self.version));
        }
        if let Some(mib) = self.capabilities.memory_mib
            && !(1..=MAX_MEMORY_MIB).contains(&mib)
        {
            return Err(format!("memory_mib {mib} is outside 1..={MAX_MEMORY_MIB}"));
        }
        if let Some(ms) = self.capabilities.deadline_ms
            && !(1..=MAX_DEADLINE.as_millis() as u64).contains(&ms)
        {
            return Err(format!("deadline_ms {ms} is outside 1..={}", MAX_DEADLINE.as_millis()));
        }
        for host in &self.capabilities.allowed_hosts {
            if host.is_empty() || host.contains('/') || host.contains('@') || host.contains('*') {
                return Err(format!("allowed host {host:?} must be a plain host or host:port"));
            }
        }
        Ok(())
    }

    /// The per-call deadline.
    pub fn deadline(&self) -> Duration {
        self.capabilities.deadline_ms.map(Duration::from_millis).unwrap_or(DEFAULT_DEADLINE)
    }

    /// The per-call memory cap in bytes.
    pub fn memory_bytes(&self) -> usize {
        self.capabilities.memory_mib.unwrap_or(DEFAULT_MEMORY_MIB) as usize * 1024 * 1024
    }
}

/// Lowercase ASCII letters, digits and inner dashes, 1 to 40 characters.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_semver(s: &str) -> bool {
    let core = s.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) {
        std::fs::write(dir.join(MANIFEST_FILE), text).unwrap();
    }

    #[test]
    fn manifest_paths_resolve_against_its_directory() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "id = \"revenue\"\nversion = \"1.2.0\"\ncomponent = \"revenue.wasm\"\n[capabilities]\ndata_dir = \"data\"\nallowed_hosts = [\"127.0.0.1:7801\"]\ndeadline_ms = 500\n",
        );
        let m = Manifest::load(dir.path()).unwrap();
        assert_eq!(m.component, dir.path().join("revenue.wasm"));
        assert_eq!(m.capabilities.data_dir, Some(dir.path().join("data")));
        assert_eq!(m.deadline(), Duration::from_millis(500));
        assert_eq!(m.memory_bytes(), 64 * 1024 * 1024);
    }

    #[test]
    fn operator_config_overrides_vendor_defaults() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "id = \"energy\"\nversion = \"0.1.0\"\ncomponent = \"e.wasm\"\n[config]\nbackend = \"http://vendor\"\nregion = \"south\"\n",
        );
        std::fs::write(dir.path().join("config.toml"), "backend = \"http://operator\"\n").unwrap();
        let m = Manifest::load(dir.path()).unwrap();
        assert_eq!(m.config["backend"], "http://operator");
        assert_eq!(m.config["region"], "south");
    }

    #[test]
    fn bad_manifests_are_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        for (text, needle) in [
            ("id = \"Revenue Dept\"\nversion = \"0.1.0\"\ncomponent = \"x.wasm\"\n", "lowercase"),
            ("id = \"rev\"\nversion = \"one\"\ncomponent = \"x.wasm\"\n", "MAJOR.MINOR.PATCH"),
            (
                "id = \"rev\"\nversion = \"0.1.0\"\ncomponent = \"x.wasm\"\n[capabilities]\nmemory_mib = 4096\n",
                "memory_mib",
            ),
            (
                "id = \"rev\"\nversion = \"0.1.0\"\ncomponent = \"x.wasm\"\n[capabilities]\nallowed_hosts = [\"*.gov.in\"]\n",
                "plain host",
            ),
            ("id = \"rev\"\nversion = \"0.1.0\"\ncomponent = \"x.wasm\"\nsurprise = 1\n", "unknown field"),
        ] {
            write(dir.path(), text);
            let err = Manifest::load(dir.path()).unwrap_err().to_string();
            assert!(err.contains(needle), "{err} should mention {needle}");
            assert!(err.contains("plugin.toml"), "{err} should name the file");
        }
    }

    #[test]
    fn a_missing_manifest_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(Manifest::load(dir.path()), Err(Error::NotFound { .. })));
    }
}
