//! `mitra serve --watch DIR` (development): the plugin crates in DIR are
//! rebuilt when their sources change, and each new build is compiled,
//! checked for conformance and published like any other version — a build
//! that fails or does not pass is logged and the running version keeps
//! serving.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher as _};
use tokio::sync::mpsc;

use super::{build, conformance};
use crate::runtime::{Catalog, MANIFEST_FILE, Runtime};

/// Edits arrive in bursts (an editor writes, renames, touches): changes are
/// gathered for this long before building.
const SETTLE: Duration = Duration::from_millis(300);

/// What one rebuild came to: the version published, or why not.
#[derive(Clone, Debug)]
pub struct Rebuilt {
    pub crate_dir: PathBuf,
    pub outcome: Result<String, String>,
}

/// The watcher's settings.
#[derive(Clone, Debug)]
pub struct Watch {
    /// Plugin crates (directories with Cargo.toml and plugin.toml).
    pub crates: Vec<PathBuf>,
    /// Where built plugins are installed (the plugins directory).
    pub out: PathBuf,
    /// Cargo target directory shared by the builds.
    pub target_dir: PathBuf,
}

/// The plugin crates in `dirs`: each directory that is one, or holds some.
pub fn plugin_crates(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let is_crate = |p: &Path| p.join("Cargo.toml").is_file() && p.join(MANIFEST_FILE).is_file();
    let mut crates = BTreeSet::new();
    for dir in dirs {
        if is_crate(dir) {
            crates.insert(dir.clone());
        } else if let Ok(entries) = std::fs::read_dir(dir) {
            crates.extend(entries.flatten().map(|e| e.path()).filter(|p| is_crate(p)));
        }
    }
    crates.into_iter().collect()
}

impl Watch {
    /// Watches until the process ends; each rebuild's outcome also goes to
    /// `report` when given.
    pub async fn run(
        self,
        runtime: Runtime,
        catalog: Arc<Catalog>,
        report: Option<mpsc::UnboundedSender<Rebuilt>>,
    ) -> anyhow::Result<()> {
        let (changes, mut changed) = mpsc::unbounded_channel::<PathBuf>();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let Ok(event) = event {
                for path in event.paths {
                    let _ = changes.send(path);
                }
            }
        })?;
        for krate in &self.crates {
            // The crate root (manifests) and its sources, not target/ or the
            // component a build writes.
            watcher.watch(krate, RecursiveMode::NonRecursive)?;
            if krate.join("src").is_dir() {
                watcher.watch(&krate.join("src"), RecursiveMode::Recursive)?;
            }
        }
        tracing::info!(crates = self.crates.len(), "watching plugin sources; edits are rebuilt and served");
        let this = Arc::new(self);
        while let Some(first) = changed.recv().await {
            let mut dirty: BTreeSet<PathBuf> = this.crate_of(&first).into_iter().collect();
            tokio::time::sleep(SETTLE).await;
            while let Ok(path) = changed.try_recv() {
                dirty.extend(this.crate_of(&path));
            }
            for krate in dirty {
                let (watch, runtime, catalog) = (this.clone(), runtime.clone(), catalog.clone());
                let dir = krate.clone();
                let outcome = tokio::task::spawn_blocking(move || watch.rebuild(&dir, &runtime, &catalog))
                    .await
                    .unwrap_or_else(|e| Err(format!("the rebuild stopped: {e}")));
                match &outcome {
                    Ok(version) => tracing::info!(krate = %krate.display(), version, "rebuilt and serving"),
                    Err(reason) => {
                        tracing::error!(krate = %krate.display(), "rebuild not served; the running version stays: {reason}")
                    }
                }
                if let Some(report) = &report {
                    let _ = report.send(Rebuilt { crate_dir: krate, outcome });
                }
            }
        }
        Ok(())
    }

    /// The watched crate a changed path belongs to, if it is a source or a
    /// manifest of one.
    fn crate_of(&self, path: &Path) -> Option<PathBuf> {
        let krate = self.crates.iter().find(|k| path.starts_with(k))?;
        let relevant = path.starts_with(krate.join("src"))
            || path.file_name().is_some_and(|n| n == "Cargo.toml" || n == MANIFEST_FILE);
        relevant.then(|| krate.clone())
    }

    fn rebuild(&self, krate: &Path, runtime: &Runtime, catalog: &Catalog) -> Result<String, String> {
        let dir = build::build(krate, Some(&self.out), Some(&self.target_dir)).map_err(|e| format!("{e:#}"))?;
        let plugin = runtime.load_dir(&dir).map_err(|e| e.to_string())?;
        let report = conformance::check(&plugin);
        if !report.passed() {
            return Err(report.to_string());
        }
        let version = plugin.manifest().version.clone();
        catalog.publish(Arc::new(plugin));
        Ok(version)
    }
}
