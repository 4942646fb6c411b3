//! The sandboxed plugin runtime: one wasmtime [`Engine`] with a pooling
//! allocator, an `InstancePre` per loaded plugin version, and a fresh store
//! per call with a deadline (epoch interruption) and a memory cap.

mod bindings;
mod budget;
mod cache;
mod catalog;
mod error;
mod manifest;
mod output;
mod plugin;
mod preinit;
mod sandbox;
mod spares;
mod stops;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Context as _;
use sha2::{Digest, Sha256};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

pub use bindings::*;
pub use budget::{Budget, BudgetLimits, Exhausted, LONG_CALL, machine_memory};
pub use cache::CompileCache;
pub use catalog::{Catalog, LoadFailure, in_rollout};
pub use error::{Error, Result};
pub use manifest::{
    Capabilities, DEFAULT_DEADLINE, DEFAULT_LOG_KIB, DEFAULT_LOG_LINES, DEFAULT_MEMORY_MIB, MANIFEST_FILE,
    MAX_DEADLINE, MAX_LOG_KIB, MAX_LOG_LINES, MAX_MEMORY_MIB, Manifest, is_slug,
};
pub use output::{MAX_LIST_ITEMS, MAX_STRING_BYTES};
pub use plugin::{Contract, MAX_CALL_OUTPUT, MAX_DESCRIBE_OUTPUT, MAX_PHOTO_BYTES, Plugin};
pub use spares::MakeAhead;
pub use stops::{StopLog, Stops};

use sandbox::{CallState, Grants};
use spares::{SpareMaker, Spares};

/// Memory an idle pooled slot keeps resident (the pages its last call
/// dirtied, reset in place): instantiating into it then costs no page faults.
pub const KEEP_RESIDENT: usize = 2 * 1024 * 1024;
/// Idle slots kept warm for the plugin that last used them.
pub const WARM_SLOTS: u32 = 64;

/// The newest contract version this host speaks (it serves every version
/// in [`CONTRACT_VERSIONS`]).
pub const CONTRACT_VERSION: &str = "0.2.0";
/// Every contract version this host serves.
pub const CONTRACT_VERSIONS: [&str; 2] = [Contract::V0_1.version(), Contract::V0_2.version()];

/// How the runtime allocates instances and where it caches compiled code.
#[derive(Clone, Debug)]
pub struct RuntimeConfig {
    /// Pre-reserve instance slots (fast instantiation) rather than allocating
    /// each instance on demand.
    pub pooling: bool,
    /// Instances that may run at once (pooling only).
    pub max_concurrent_instances: u32,
    /// Where precompiled `.cwasm` files are kept; `None` compiles every load.
    pub cache_dir: Option<PathBuf>,
    /// What all plugins together may cost; `None` sizes it from the machine
    /// ([`BudgetLimits::for_machine`]).
    pub budget: Option<BudgetLimits>,
    /// Which plugins have an instance made ahead of each call (see
    /// `runtime/spares.rs`).
    pub make_ahead: MakeAhead,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            pooling: true,
            max_concurrent_instances: 1000,
            cache_dir: None,
            budget: None,
            make_ahead: MakeAhead::Always,
        }
    }
}

/// The plugin runtime. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    engine: Engine,
    linker: Arc<Linker<CallState>>,
    cache: Option<CompileCache>,
    /// Components compiled in this process, by sha256: every department
    /// written as definitions runs the same generic component, compiled once.
    compiled: Arc<std::sync::Mutex<HashMap<String, Component>>>,
    http: ureq::Agent,
    budget: Arc<Budget>,
    stops: Arc<StopLog>,
    make_ahead: MakeAhead,
    spare_maker: SpareMaker,
    _ticker: Arc<EpochTicker>,
}

/// Components kept compiled in memory; past it the map starts again (a
/// component still in use stays alive in its plugins).
const COMPILED_IN_MEMORY: usize = 64;

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime").field("cache", &self.cache).finish_non_exhaustive()
    }
}

impl Runtime {
    /// Builds the engine, the linker with the host's imports, and the cache.
    pub fn new(config: &RuntimeConfig) -> anyhow::Result<Self> {
        let mut wasm = Config::new();
        wasm.wasm_component_model(true).epoch_interruption(true);
        if config.pooling {
            let n = config.max_concurrent_instances.max(1);
            let mut pool = PoolingAllocationConfig::default();
            pool.total_component_instances(n)
                .total_core_instances(n * 16)
                .max_core_instances_per_component(64)
                .total_memories(n * 2)
                .max_memories_per_component(4)
                .total_tables(n * 8)
                .max_tables_per_component(16)
                .max_memory_size(manifest::MAX_MEMORY_MIB as usize * 1024 * 1024)
                // Between calls, reset only the pages a call dirtied (found
                // with Linux's PAGEMAP_SCAN, 6.7+) and keep them resident:
                // madvise plus page faults cost more than the call itself.
                // wasmtime 48.0.11 or later (the workspace requires it): its
                // scan also resets dirtied pages the kernel swapped out and
                // walks the whole memory however scattered the dirty pages.
                .pagemap_scan(wasmtime::Enabled::Auto)
                .linear_memory_keep_resident(KEEP_RESIDENT)
                .table_keep_resident(64 * 1024)
                // Slots ever used (each keeping up to KEEP_RESIDENT resident
                // outside the memory budget) stay near the peak of live
                // instances: at most this many idle ones are kept warm.
                .max_unused_warm_slots(WARM_SLOTS);
            wasm.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        }
        let engine = Engine::new(&wasm).map_err(anyhow::Error::from).context("creating the wasm engine")?;

        let mut linker = Linker::<CallState>::new(&engine);
        // Rust's wasm32-wasip2 std imports WASI even when a plugin uses none
        // of it; the context each call gets grants nothing but /data.
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
        v0_1::Department::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;
        sandbox::share_data_dir(&mut linker)?;

        let cache = match &config.cache_dir {
            Some(dir) => Some(CompileCache::new(dir, &engine)?),
            None => None,
        };
        let ticker = EpochTicker::start(engine.clone());
        let limits =
            config.budget.clone().unwrap_or_else(|| BudgetLimits::for_machine(config.max_concurrent_instances));
        tracing::info!(
            memory_mib = limits.memory >> 20,
            running = limits.running,
            calls_per_plugin = limits.calls_per_plugin,
            "plugin budgets"
        );
        Ok(Self {
            engine,
            linker: Arc::new(linker),
            cache,
            compiled: Arc::default(),
            http: sandbox::http_agent(),
            budget: Budget::new(limits),
            stops: Arc::default(),
            make_ahead: config.make_ahead,
            // Spares take at most a quarter of the pool's slots, so calls
            // making their own instances always find room.
            spare_maker: SpareMaker::start(match config.pooling {
                true => (config.max_concurrent_instances.max(1) as usize / 4).max(1),
                false => usize::MAX,
            }),
            _ticker: ticker,
        })
    }

    /// Drops the components compiled in memory, so the next load reads the
    /// `.cwasm` cache or compiles (benchmarks of a restart's load).
    pub fn forget_compiled(&self) {
        self.compiled.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The engine (for benchmarks and tools).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The host-wide budgets every plugin call goes through.
    pub fn budget(&self) -> &Arc<Budget> {
        &self.budget
    }

    /// Stops and dropped log lines not yet written down as plugin events.
    pub fn stops(&self) -> &StopLog {
        &self.stops
    }

    /// Loads the plugin in `dir` (its `plugin.toml` and component).
    pub fn load_dir(&self, dir: &Path) -> Result<Plugin> {
        let manifest = Manifest::load(dir)?;
        self.load(manifest)
    }

    /// Loads the component a manifest names. The manifest's paths must already
    /// be resolved (as [`Manifest::load`] does).
    pub fn load(&self, manifest: Manifest) -> Result<Plugin> {
        let started = Instant::now();
        let path = manifest.component.clone();
        let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound { what: path.display().to_string() },
            _ => Error::InvalidComponent { path: path.clone(), reason: e.to_string() },
        })?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        check_component_header(&path, &bytes)?;
        // Services written as definitions are checked before anything runs:
        // a broken one is refused by file, line and reason, not by a trap.
        let declarative = manifest
            .check_definitions(Path::new(""))
            .map_err(|reason| Error::InvalidManifest { path: path.clone(), reason })?;

        let (component, from_cache) = self.compile(&manifest, &sha256, &bytes)?;
        // The snapshot keeps the export, so the compiled component says
        // whether it is one (no parse of the bytes on a cache hit).
        let pre_initialised = preinit::exported(&component);
        let mut plugin = self.assemble(manifest, component, sha256, declarative)?;
        plugin.from_cache = from_cache;
        plugin.pre_initialised = pre_initialised;
        let info = plugin.describe()?;
        if info.contract_version != plugin.contract.version() {
            return Err(Error::IncompatibleContract {
                path,
                reason: format!(
                    "describes contract {} but implements the world of {}",
                    info.contract_version,
                    plugin.contract.version()
                ),
            });
        }
        if info.id != plugin.id() {
            return Err(Error::InvalidManifest {
                path,
                reason: format!("manifest id {:?} but the component describes {:?}", plugin.id(), info.id),
            });
        }
        plugin.info = info;
        if self.make_ahead.wanted(&bytes) {
            plugin.spares = Spares::for_version(&plugin, self.spare_maker.clone());
        }
        plugin.load_time = started.elapsed();
        tracing::info!(
            plugin = plugin.id(),
            version = %plugin.manifest().version,
            services = plugin.info.services.len(),
            from_cache,
            spares = plugin.spares.is_some(),
            load_ms = plugin.load_time.as_millis() as u64,
            "plugin loaded"
        );
        Ok(plugin)
    }

    /// The compiled component for `bytes`: from memory, the `.cwasm` cache,
    /// or compiled now (pre-initialised first when it asks to be); and
    /// whether it came from a cache.
    fn compile(&self, manifest: &Manifest, sha256: &str, bytes: &[u8]) -> Result<(Component, bool)> {
        let path = &manifest.component;
        let in_memory = self.compiled.lock().unwrap_or_else(|e| e.into_inner()).get(sha256).cloned();
        let cached = in_memory.or_else(|| self.cache.as_ref().and_then(|cache| cache.get(&self.engine, sha256)));
        let from_cache = cached.is_some();
        let component = match cached {
            Some(component) => component,
            None => {
                let snapshot = match preinit::wanted(bytes) {
                    true => Some(self.pre_initialise(manifest, bytes)?),
                    false => None,
                };
                let bytes = snapshot.as_deref().unwrap_or(bytes);
                // Cached under the hash of what was loaded: the snapshot is
                // made from it alone.
                let compiled = match &self.cache {
                    Some(cache) => cache.compile_and_put(&self.engine, sha256, bytes),
                    None => Component::new(&self.engine, bytes).map_err(anyhow::Error::from),
                };
                compiled.map_err(|e| Error::InvalidComponent { path: path.clone(), reason: format!("{e:#}") })?
            }
        };
        let mut compiled = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
        if compiled.len() >= COMPILED_IN_MEMORY {
            compiled.clear();
        }
        compiled.insert(sha256.to_owned(), component.clone());
        Ok((component, from_cache))
    }

    /// Runs the component's `wizer-initialize` once, with nothing granted,
    /// and returns the component rewritten to start from the state it left
    /// (see [`preinit`]). A set-up that traps, overruns or is refused by
    /// Wizer fails the load: the plugin would not be what its vendor tested.
    fn pre_initialise(&self, manifest: &Manifest, bytes: &[u8]) -> Result<Vec<u8>> {
        let started = Instant::now();
        let path = &manifest.component;
        let refused = |reason: String| Error::InvalidComponent {
            path: path.clone(),
            reason: format!("pre-initialisation: {reason}"),
        };
        let instrumented = preinit::instrument(bytes).map_err(|e| refused(format!("{e:#}")))?;
        let component = Component::new(&self.engine, &instrumented.wasm).map_err(|e| refused(format!("{e:#}")))?;
        let mut bare = manifest.clone();
        bare.capabilities.allowed_hosts.clear();
        bare.capabilities.data_dir = None;
        bare.capabilities.deadline_ms = Some(preinit::DEADLINE.as_millis() as u64);
        bare.config.clear();
        let plugin = self.assemble(bare, component, String::new(), false)?;
        let snapshot = plugin
            .call(preinit::EXPORT, |store| {
                let instance = plugin.pre.instantiate(&mut *store)?;
                preinit::snapshot(&instrumented, store, instance)
            })
            .map_err(|e| refused(e.to_string()))?;
        tracing::info!(
            plugin = %manifest.id,
            ms = started.elapsed().as_millis() as u64,
            bytes = snapshot.len(),
            "plugin pre-initialised"
        );
        Ok(snapshot)
    }

    /// A [`Plugin`] around a compiled component, its contract checked; not
    /// yet described.
    fn assemble(&self, manifest: Manifest, component: Component, sha256: String, declarative: bool) -> Result<Plugin> {
        let path = manifest.component.clone();
        let incompatible =
            |e: wasmtime::Error| Error::IncompatibleContract { path: path.clone(), reason: format!("{e:#}") };
        let pre = self.linker.instantiate_pre(&component).map_err(incompatible)?;
        // The world the component implements: both versions' exports are
        // type-checked whole, and one of them must hold.
        let contract = match v0_1::DepartmentPre::new(pre.clone()) {
            Ok(_) => Contract::V0_1,
            Err(v0_1) => match v0_2::DepartmentPre::new(pre.clone()) {
                Ok(_) => Contract::V0_2,
                Err(v0_2) => {
                    return Err(Error::IncompatibleContract {
                        path,
                        reason: format!(
                            "implements neither mitra:plugin@0.1.0 ({v0_1:#}) nor mitra:plugin@0.2.0 ({v0_2:#})"
                        ),
                    });
                }
            },
        };
        let exports = plugin::Exports::resolve(&component)
            .map_err(|reason| Error::IncompatibleContract { path: path.clone(), reason })?;

        let data = match &manifest.capabilities.data_dir {
            Some(dir) => Some(sandbox::open_data_dir(dir).map_err(|e| Error::InvalidManifest {
                path: path.clone(),
                reason: format!("its data directory {} cannot be opened: {e}", dir.display()),
            })?),
            None => None,
        };
        let grants = Arc::new(Grants {
            plugin: manifest.id.clone(),
            key: manifest.id.as_str().into(),
            manifest,
            http: self.http.clone(),
            data,
        });
        let meters = crate::telemetry::metrics().plugin_meters(&grants.plugin);
        Ok(Plugin {
            engine: self.engine.clone(),
            pre,
            contract,
            exports,
            grants,
            info: DepartmentInfo {
                id: String::new(),
                name: Text { en: String::new(), te: None, hi: None },
                contract_version: String::new(),
                services: Vec::new(),
            },
            sha256,
            declarative,
            pre_initialised: false,
            load_time: Default::default(),
            from_cache: false,
            health: Default::default(),
            _ticker: self._ticker.clone(),
            budget: self.budget.clone(),
            stops: self.stops.clone(),
            spares: None,
            meters,
        })
    }
}

/// Refuses anything that is not a component before handing it to the
/// compiler: a core module (`wasm32-wasip1` build) or a random file.
fn check_component_header(path: &Path, bytes: &[u8]) -> Result<()> {
    const MAGIC: &[u8] = b"\0asm";
    let reason = match bytes.get(..8) {
        Some(h) if &h[..4] == MAGIC && h[6..8] == [1, 0] => return Ok(()),
        Some(h) if &h[..4] == MAGIC => {
            "a core wasm module, not a component: build for wasm32-wasip2 (`mitra plugin build`)"
        }
        _ => "not a WebAssembly file",
    };
    Err(Error::InvalidComponent { path: path.to_owned(), reason: reason.to_owned() })
}

/// Advances the engine's epoch every [`plugin::EPOCH_TICK`] so deadlines fire.
struct EpochTicker {
    stop: Arc<AtomicBool>,
}

impl EpochTicker {
    fn start(engine: Engine) -> Arc<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::Builder::new()
            .name("mitra-epoch".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(plugin::EPOCH_TICK);
                    engine.increment_epoch();
                }
            })
            .expect("spawning the epoch ticker thread");
        Arc::new(Self { stop })
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
