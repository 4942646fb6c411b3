//! Shared helpers for Mitra's integration tests and benchmarks: paths of the
//! wasm components built by `build.rs`, and plugin directories made from them.

use std::path::{Path, PathBuf};

use mitra::runtime::{Capabilities, Manifest};

/// Paths of the built components.
pub mod components {
    include!(concat!(env!("OUT_DIR"), "/components.rs"));
}

/// A manifest for `component` with default capabilities.
pub fn manifest(id: &str, component: &str) -> Manifest {
    Manifest {
        id: id.to_owned(),
        version: "0.1.0".to_owned(),
        component: PathBuf::from(component),
        capabilities: Capabilities::default(),
        config: Default::default(),
    }
}

/// Writes `manifest` (and a copy of its component) into `dir` as a plugin
/// directory, the shape `mitra serve` and `mitra plugin test` load.
pub fn write_plugin_dir(dir: &Path, manifest: &Manifest) -> PathBuf {
    let plugin_dir = dir.join(&manifest.id);
    std::fs::create_dir_all(&plugin_dir).unwrap();
    let file = format!("{}.wasm", manifest.id);
    std::fs::copy(&manifest.component, plugin_dir.join(&file)).unwrap();
    let mut on_disk = manifest.clone();
    on_disk.component = PathBuf::from(file);
    std::fs::write(plugin_dir.join("plugin.toml"), toml::to_string(&on_disk).unwrap()).unwrap();
    plugin_dir
}
