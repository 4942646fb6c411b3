//! The set of plugin versions being served, swappable atomically.
//!
//! Readers take a snapshot (`Arc`) and keep using it for the whole call, so a
//! swap never disturbs a call in flight: it finishes on the version it began on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use serde::Serialize;

use super::{MANIFEST_FILE, Plugin, Runtime};

/// A plugin directory that could not be loaded, and why.
#[derive(Clone, Debug, Serialize)]
pub struct LoadFailure {
    pub path: PathBuf,
    pub kind: &'static str,
    pub reason: String,
}

/// The plugins being served, by department id.
#[derive(Debug, Default)]
pub struct Catalog {
    plugins: ArcSwap<BTreeMap<String, Arc<Plugin>>>,
    /// Versions in a staged rollout, each served to a share (percent) of
    /// citizens chosen by a stable hash of their number.
    candidates: ArcSwap<BTreeMap<String, (Arc<Plugin>, u8)>>,
    failures: Mutex<Vec<LoadFailure>>,
    /// Bumped by every publish: what derived views (search) rebuild on.
    generation: AtomicU64,
}

/// Whether citizen `wa_id` is among the `percent` % who get the candidate
/// of `plugin_id`: stable per citizen and plugin, so a citizen does not
/// flip between versions from one message to the next, and each plugin's
/// rollout picks its own citizens.
pub fn in_rollout(plugin_id: &str, wa_id: &str, percent: u8) -> bool {
    use sha2::{Digest as _, Sha256};
    let hash = Sha256::new().chain_update(plugin_id).chain_update(b":").chain_update(wa_id).finalize();
    let bucket = u64::from_be_bytes(hash[..8].try_into().expect("8 bytes")) % 100;
    bucket < u64::from(percent)
}

impl Catalog {
    /// An empty catalogue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads every plugin directory (one holding a `plugin.toml`) under `root`.
    /// A plugin that fails to load is recorded and logged with its path and
    /// reason; the others are served regardless.
    pub fn load_dir(runtime: &Runtime, root: &Path) -> std::io::Result<Self> {
        let catalog = Self::new();
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.join(MANIFEST_FILE).is_file())
            .collect();
        dirs.sort();
        for dir in dirs {
            match runtime.load_dir(&dir) {
                Ok(plugin) => {
                    if let Some(previous) = catalog.get(plugin.id()) {
                        catalog.record_failure(LoadFailure {
                            path: dir.clone(),
                            kind: "duplicate-id",
                            reason: format!(
                                "department id {:?} is already served from another directory",
                                previous.id()
                            ),
                        });
                        continue;
                    }
                    catalog.publish(Arc::new(plugin));
                }
                Err(error) => catalog.record_failure(LoadFailure {
                    path: dir.clone(),
                    kind: error.kind(),
                    reason: error.to_string(),
                }),
            }
        }
        Ok(catalog)
    }

    fn record_failure(&self, failure: LoadFailure) {
        tracing::error!(path = %failure.path.display(), kind = failure.kind, "plugin refused: {}", failure.reason);
        self.failures.lock().expect("failures lock poisoned").push(failure);
    }

    /// Serves `plugin` from now on, replacing any version with the same id.
    /// Returns the version it replaced.
    pub fn publish(&self, plugin: Arc<Plugin>) -> Option<Arc<Plugin>> {
        let mut replaced = None;
        self.plugins.rcu(|current| {
            let mut next = BTreeMap::clone(current);
            replaced = next.insert(plugin.id().to_owned(), plugin.clone());
            next
        });
        self.generation.fetch_add(1, Ordering::SeqCst);
        replaced
    }

    /// Changes with every publish.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Serves `plugin` to `percent` % of citizens (1..=99) beside the active
    /// version; `None` ends the rollout.
    pub fn set_candidate(&self, id: &str, candidate: Option<(Arc<Plugin>, u8)>) {
        self.candidates.rcu(|current| {
            let mut next = BTreeMap::clone(current);
            match &candidate {
                Some(c) => next.insert(id.to_owned(), c.clone()),
                None => next.remove(id),
            };
            next
        });
    }

    /// The candidate of `id` and its share, if it is being rolled out.
    pub fn candidate(&self, id: &str) -> Option<(Arc<Plugin>, u8)> {
        self.candidates.load().get(id).cloned()
    }

    /// The catalogue as citizen `wa_id` sees it: with no rollout under way,
    /// this very catalogue; otherwise a snapshot with each candidate in
    /// place of the active version where the citizen is in its share.
    pub fn for_citizen(self: &Arc<Self>, wa_id: &str) -> Arc<Catalog> {
        let candidates = self.candidates.load();
        let chosen: Vec<&Arc<Plugin>> = candidates
            .iter()
            .filter(|(id, (_, percent))| in_rollout(id, wa_id, *percent))
            .map(|(_, (plugin, _))| plugin)
            .collect();
        if chosen.is_empty() {
            return self.clone();
        }
        let mut plugins = BTreeMap::clone(&self.plugins.load());
        for plugin in chosen {
            plugins.insert(plugin.id().to_owned(), plugin.clone());
        }
        Arc::new(Catalog { plugins: ArcSwap::from_pointee(plugins), ..Catalog::default() })
    }

    /// The version of `id` being served now.
    pub fn get(&self, id: &str) -> Option<Arc<Plugin>> {
        self.plugins.load().get(id).cloned()
    }

    /// The title of a service being served, in `lang`.
    pub fn service_title(&self, plugin_id: &str, service_id: &str, lang: super::Language) -> Option<String> {
        let plugin = self.get(plugin_id)?;
        let service = plugin.info().services.iter().find(|s| s.id == service_id)?;
        Some(service.title.get(lang).to_owned())
    }

    /// Every plugin being served, by id.
    pub fn plugins(&self) -> Vec<Arc<Plugin>> {
        self.plugins.load().values().cloned().collect()
    }

    /// The plugin directories that were refused.
    pub fn failures(&self) -> Vec<LoadFailure> {
        self.failures.lock().expect("failures lock poisoned").clone()
    }
}

#[cfg(test)]
mod tests {
    use super::in_rollout;

    #[test]
    fn a_rollout_takes_about_its_share_and_always_the_same_citizens() {
        let citizens: Vec<String> = (0..10_000).map(|n| format!("9190000{n:05}")).collect();
        let taken = citizens.iter().filter(|wa| in_rollout("revenue", wa, 10)).count();
        assert!((800..1200).contains(&taken), "{taken} of 10,000 at 10 %");
        assert!(citizens.iter().all(|wa| in_rollout("revenue", wa, 10) == in_rollout("revenue", wa, 10)));
        // A larger share keeps everyone the smaller one had.
        assert!(citizens.iter().filter(|wa| in_rollout("revenue", wa, 10)).all(|wa| in_rollout("revenue", wa, 50)));
        assert!(!citizens.iter().any(|wa| in_rollout("revenue", wa, 0)));
        assert!(citizens.iter().all(|wa| in_rollout("revenue", wa, 100)));
    }
}
