//! Precompiled components on disk, so a restart deserializes instead of
//! recompiling (a Python component takes seconds to compile).
//!
//! Entries are keyed by the engine's compatibility hash (wasmtime version and
//! every setting that changes code generation) and the component's sha256, so
//! a stale entry is never even looked at.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context as _;
use wasmtime::Engine;
use wasmtime::component::Component;

/// A directory of `.cwasm` files.
#[derive(Clone, Debug)]
pub struct CompileCache {
    dir: PathBuf,
}

impl CompileCache {
    /// A cache under `root`, in a subdirectory for this engine's settings.
    pub fn new(root: &Path, engine: &Engine) -> anyhow::Result<Self> {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        let dir = root.join(format!("{:016x}", hasher.finish()));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating cache directory {}", dir.display()))?;
        Ok(Self { dir })
    }

    fn entry(&self, sha256: &str) -> PathBuf {
        self.dir.join(format!("{sha256}.cwasm"))
    }

    /// The cached component for `sha256`, if a usable entry exists.
    pub fn get(&self, engine: &Engine, sha256: &str) -> Option<Component> {
        let path = self.entry(sha256);
        if !path.exists() {
            return None;
        }
        // SAFETY: the file was written by `put` from `Engine::precompile_component`
        // of an engine with the same compatibility hash, in a directory only
        // this host writes; wasmtime still checks the header and refuses a
        // file made by an incompatible engine.
        match unsafe { Component::deserialize_file(engine, &path) } {
            Ok(component) => Some(component),
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "discarding unusable cache entry");
                let _ = std::fs::remove_file(&path);
                None
            }
        }
    }

    /// Compiles `bytes` and stores the result; returns the component.
    pub fn compile_and_put(&self, engine: &Engine, sha256: &str, bytes: &[u8]) -> anyhow::Result<Component> {
        let compiled = engine.precompile_component(bytes).map_err(anyhow::Error::from)?;
        let path = self.entry(sha256);
        // Write then rename, so a crash never leaves a half-written entry.
        // Each write has a file of its own: two loads of one component at
        // once (departments sharing the generic component, two runtimes on
        // one cache) once shared a per-process name, and one renamed the
        // file the other was still writing, which then failed to rename.
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let write = WRITES.fetch_add(1, Ordering::Relaxed);
        let tmp = path.with_extension(format!("tmp{}-{write}", std::process::id()));
        std::fs::write(&tmp, &compiled).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("renaming into {}", path.display()))?;
        // SAFETY: `compiled` was produced just now by this very engine.
        let component = unsafe { Component::deserialize(engine, &compiled)? };
        Ok(component)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest component: its preamble alone.
    const EMPTY_COMPONENT: &[u8] = b"\0asm\x0d\0\x01\0";

    #[test]
    fn one_component_compiled_by_many_loads_at_once_is_cached_once_and_whole() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::default();
        let cache = CompileCache::new(dir.path(), &engine).unwrap();
        let sha256 = "0".repeat(64);
        std::thread::scope(|scope| {
            let loads: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| cache.compile_and_put(&engine, &sha256, EMPTY_COMPONENT).map(drop)))
                .collect();
            for load in loads {
                load.join().unwrap().unwrap();
            }
        });
        assert!(cache.get(&engine, &sha256).is_some());
        let left: Vec<_> = std::fs::read_dir(&cache.dir).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(left.len(), 1, "temporary files left behind: {left:?}");
    }
}
