//! The set of plugin versions being served, swappable atomically.
//!
//! Readers take a snapshot (`Arc`) and keep using it for the whole call, so a
//! swap never disturbs a call in flight: it finishes on the version it began on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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
    failures: Mutex<Vec<LoadFailure>>,
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
        replaced
    }

    /// The version of `id` being served now.
    pub fn get(&self, id: &str) -> Option<Arc<Plugin>> {
        self.plugins.load().get(id).cloned()
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
