//! Plugin versions arriving as signed packages: verified before anything is
//! compiled, then compiled and checked for conformance, and only then
//! published, atomically, in place of the version being served. Calls in
//! flight finish on the version they began on (the catalogue hands out
//! `Arc`s).

pub mod package;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::plugin_dev::conformance;
use crate::runtime::{Catalog, Plugin, Runtime};
use package::{PackageError, TrustedKeys};

/// Why a package was not installed. Whatever the reason, the version being
/// served goes on being served.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// Refused before compiling: not signed by a trusted vendor, changed
    /// after signing, another contract, a bad manifest.
    #[error("package refused: {0}")]
    Refused(#[from] PackageError),
    /// The component did not load (does not compile, traps in `describe`…).
    #[error("the plugin does not load: {0}")]
    Load(#[from] crate::runtime::Error),
    /// It loaded but fails the conformance checks.
    #[error("the plugin fails the conformance checks: {0}")]
    Conformance(String),
    #[error(transparent)]
    Host(#[from] anyhow::Error),
}

impl InstallError {
    /// A short, stable name for the API and the audit log.
    pub fn kind(&self) -> &'static str {
        match self {
            InstallError::Refused(e) => e.kind(),
            InstallError::Load(e) => e.kind(),
            InstallError::Conformance(_) => "conformance",
            InstallError::Host(_) => "host",
        }
    }
}

/// Verifies, unpacks, compiles and checks a package; the version is ready to
/// publish but not yet published. It is unpacked under
/// `root/<id>/<version>-<sha256 prefix>/`.
pub fn prepare(
    runtime: &Runtime,
    trusted: &TrustedKeys,
    root: &Path,
    bytes: &[u8],
) -> Result<Arc<Plugin>, InstallError> {
    let verified = package::open(bytes, trusted)?;
    let dir: PathBuf =
        root.join(&verified.manifest.id).join(format!("{}-{}", verified.manifest.version, &verified.sha256[..12]));
    if !dir.join(crate::runtime::MANIFEST_FILE).is_file() {
        // Unpack beside, then rename: a half-written directory is never loaded.
        let partial = dir.with_extension("partial");
        let _ = std::fs::remove_dir_all(&partial);
        verified.unpack(&partial)?;
        std::fs::rename(&partial, &dir).map_err(anyhow::Error::from)?;
    }
    let checked = runtime.load_dir(&dir).map_err(InstallError::from).and_then(|plugin| {
        let mut report = conformance::Report { plugin: String::new(), findings: Vec::new() };
        conformance::check_plugin(&plugin, &mut report);
        if report.passed() { Ok(Arc::new(plugin)) } else { Err(InstallError::Conformance(report.to_string())) }
    });
    if checked.is_err() {
        // Nothing of a refused version stays behind.
        let _ = std::fs::remove_dir_all(&dir);
    }
    checked
}

/// [`prepare`], then publish: the new version serves every call that starts
/// from now on. Returns the version it replaced.
pub fn install(
    runtime: &Runtime,
    catalog: &Catalog,
    trusted: &TrustedKeys,
    root: &Path,
    bytes: &[u8],
) -> Result<(Arc<Plugin>, Option<Arc<Plugin>>), InstallError> {
    let plugin = prepare(runtime, trusted, root, bytes)?;
    let replaced = catalog.publish(plugin.clone());
    tracing::info!(
        plugin = plugin.id(),
        version = %plugin.manifest().version,
        replaced = replaced.as_ref().map(|p| p.manifest().version.clone()),
        "plugin version published"
    );
    Ok((plugin, replaced))
}
