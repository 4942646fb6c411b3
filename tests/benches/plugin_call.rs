//! `plugin_call`: what one plugin call costs the host.
//!
//! - instantiate from the `InstancePre` + `check-eligibility` on the example
//!   pensions plugin, with the pooling allocator and with on-demand allocation;
//! - loading that plugin on a restart, from the `.cwasm` cache and by compiling.
//!
//! - the same call on the Python (componentize-py) plugin, when built,
//!   each call making its own instance and with instances made ahead;
//! - a service written as a definition (the generic component reading its
//!   TOML from `/data`, the rule in CEL) beside the Rust one, both a rule
//!   over the answers alone; and a declarative lookup that calls its
//!   department's system beside a Rust plugin's (municipal) doing the same.
//!
//! Run: `cargo bench -p mitra-tests --bench plugin_call`

use std::cell::OnceCell;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use mitra::runtime::{Answer, AnswerValue, Applicant, Language, MakeAhead, Plugin, Runtime, RuntimeConfig};
use mitra_tests::components;

// As the `mitra` binary runs: a call's allocations (the store, the WASI
// context, the arguments' strings) are the host's allocator's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use mitra_tests::pensions_manifest as manifest;

fn answers() -> Vec<Answer> {
    mitra_tests::old_age_answers("1955-03-01", 8000.0)
}

/// A runtime with the pooling allocator or on-demand allocation, no cache,
/// each call making its own instance (`--make-ahead never`).
fn runtime(pooling: bool) -> Runtime {
    let config =
        RuntimeConfig { pooling, max_concurrent_instances: 64, make_ahead: MakeAhead::Never, ..Default::default() };
    Runtime::new(&config).unwrap()
}

/// A benchmark's name and how to load the plugin it calls.
type PluginMaker = (&'static str, fn() -> Plugin);

fn calls(c: &mut Criterion) {
    let applicant = Applicant { wa_id: "919876543210".into(), profile_name: None, language: Language::Te };
    let answers = answers();
    let mut group = c.benchmark_group("plugin_call");
    // Each plugin is loaded when its benchmark runs: a filtered run
    // (`-- plugin_call/pooled`) then loads only what it measures, and a
    // profile of it shows the calls rather than the compiler.
    let makers: [PluginMaker; 3] = [
        ("pooled", || runtime(true).load(manifest()).unwrap()),
        ("on_demand", || runtime(false).load(manifest()).unwrap()),
        // The same call without the read-only /data preopen, to show its share.
        ("pooled_without_data_dir", || {
            let mut bare = manifest();
            bare.capabilities.data_dir = None;
            runtime(true).load(bare).unwrap()
        }),
    ];
    for (name, make) in makers {
        let loaded = OnceCell::new();
        group.bench_function(format!("{name}/instantiate+check_eligibility"), |b| {
            let plugin = loaded.get_or_init(make);
            b.iter(|| plugin.check_eligibility("old-age", &applicant, &answers).unwrap())
        });
    }
    // The same plugin with an instance made ahead of each call
    // (`--make-ahead always`, the default).
    let made_ahead = OnceCell::new();
    let load_made_ahead = || {
        let config =
            RuntimeConfig { max_concurrent_instances: 64, make_ahead: MakeAhead::Always, ..Default::default() };
        Runtime::new(&config).unwrap().load(manifest()).unwrap()
    };
    group.bench_function("pooled/made_ahead/back_to_back", |b| {
        let plugin = made_ahead.get_or_init(load_made_ahead);
        b.iter(|| plugin.check_eligibility("old-age", &applicant, &answers).unwrap())
    });
    group.bench_function("pooled/made_ahead/on_a_ready_spare", |b| {
        let plugin = made_ahead.get_or_init(load_made_ahead);
        b.iter_custom(|calls| {
            on_ready_spares(plugin, calls, || plugin.check_eligibility("old-age", &applicant, &answers))
        })
    });
    group.finish();
}

/// The time `calls` calls take, each made once the plugin's spare is ready:
/// what a citizen waits for when calls come no faster than spares are made.
fn on_ready_spares<T>(plugin: &Plugin, calls: u64, call: impl Fn() -> mitra::runtime::Result<T>) -> Duration {
    let mut waited = Duration::ZERO;
    for _ in 0..calls {
        while !plugin.spare_ready() {
            std::thread::sleep(Duration::from_micros(20));
        }
        let started = Instant::now();
        call().unwrap();
        waited += started.elapsed();
    }
    waited
}

fn loads(c: &mut Criterion) {
    let cache = tempfile::tempdir().unwrap();
    let config = RuntimeConfig {
        max_concurrent_instances: 64,
        cache_dir: Some(cache.path().into()),
        ..RuntimeConfig::default()
    };
    let runtime = Runtime::new(&config).unwrap();
    runtime.load(manifest()).unwrap(); // fills the cache
    let mut group = c.benchmark_group("plugin_load");
    group.sample_size(20);
    group.bench_function("from_cwasm_cache", |b| {
        b.iter(|| {
            runtime.forget_compiled();
            let plugin = runtime.load(manifest()).unwrap();
            assert!(plugin.load_stats().1);
        })
    });
    let uncached = Runtime::new(&RuntimeConfig { cache_dir: None, ..config.clone() }).unwrap();
    group.bench_function("compile", |b| {
        b.iter(|| {
            uncached.forget_compiled();
            uncached.load(manifest()).unwrap()
        })
    });
    group.finish();
}

/// The Python (componentize-py) agriculture plugin, when
/// `plugins/python/agriculture/build.sh` has built it:
///
/// - `pooled/instantiate+check_eligibility`: each call makes its own
///   instance (no spares): what every call costs in CPU;
/// - `pooled/made_ahead/back_to_back`: with spares (the default for it),
///   calls one after another, faster than spares are made: some calls take
///   one, the others make their own;
/// - `pooled/made_ahead/on_a_ready_spare`: with spares, each call made
///   when a spare is ready (calls no more often than spares are made, as a
///   department's citizens mostly come): what a citizen waits for.
fn python(c: &mut Criterion) {
    let dir = Path::new(components::REPO_ROOT).join("plugins/python/agriculture");
    if !dir.join("agriculture.wasm").exists() {
        eprintln!("skipping the Python figures: run plugins/python/agriculture/build.sh first");
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let config = |make_ahead| RuntimeConfig {
        max_concurrent_instances: 64,
        cache_dir: Some(cache.path().into()),
        make_ahead,
        ..RuntimeConfig::default()
    };
    let applicant = Applicant { wa_id: "919876543210".into(), profile_name: None, language: Language::Te };
    let mut group = c.benchmark_group("plugin_call_python");
    group.sample_size(30);
    // Loaded (compiled: ~9 s, then from the cache) only when a Python
    // benchmark runs.
    let load = |make_ahead| {
        let plugin = Runtime::new(&config(make_ahead)).unwrap().load_dir(&dir).unwrap();
        let service = plugin.info().services.iter().find(|s| s.id == "seed-subsidy").unwrap().clone();
        let answers = mitra::plugin_dev::conformance::sample_answers(&service);
        (plugin, answers)
    };
    let (own, made_ahead) = (OnceCell::new(), OnceCell::new());
    group.bench_function("pooled/instantiate+check_eligibility", |b| {
        let (plugin, answers) = own.get_or_init(|| load(MakeAhead::Never));
        b.iter(|| plugin.check_eligibility("seed-subsidy", &applicant, answers).unwrap())
    });
    group.bench_function("pooled/made_ahead/back_to_back", |b| {
        let (plugin, answers) = made_ahead.get_or_init(|| load(MakeAhead::WhenSlow));
        assert!(plugin.keeps_spares());
        b.iter(|| plugin.check_eligibility("seed-subsidy", &applicant, answers).unwrap())
    });
    group.bench_function("pooled/made_ahead/on_a_ready_spare", |b| {
        let (plugin, answers) = made_ahead.get_or_init(|| load(MakeAhead::WhenSlow));
        b.iter_custom(|calls| {
            on_ready_spares(plugin, calls, || plugin.check_eligibility("seed-subsidy", &applicant, answers))
        })
    });
    group.bench_function("load_from_cwasm_cache", |b| {
        own.get_or_init(|| load(MakeAhead::Never)); // fills the cache
        b.iter(|| Runtime::new(&config(MakeAhead::WhenSlow)).unwrap().load_dir(&dir).unwrap())
    });
    group.finish();
}

/// A definition's call against a Rust plugin's: the same shape of work.
fn declarative(c: &mut Criterion) {
    let applicant = Applicant { wa_id: "919876543210".into(), profile_name: None, language: Language::Te };
    let runtime = Runtime::new(&RuntimeConfig { max_concurrent_instances: 64, ..RuntimeConfig::default() }).unwrap();
    let mut group = c.benchmark_group("plugin_call_declarative");
    // `mitra plugin new --declarative`'s service: two fields, one CEL rule.
    let tmp = tempfile::tempdir().unwrap();
    let dir = mitra::plugin_dev::declarative::new_department(tmp.path(), "bench").unwrap();
    let generic = Path::new(components::WASM_TARGET_DIR).join("wasm32-wasip2/release/declarative.wasm");
    std::fs::copy(generic, dir.join("declarative.wasm")).unwrap();
    let defined = runtime.load_dir(&dir).unwrap();
    let a = |id: &str, value| Answer { field_id: id.into(), value };
    let residence =
        vec![a("aadhaar", AnswerValue::Aadhaar("499112345677".into())), a("years", AnswerValue::Number(4.0))];
    group.bench_function("definition/instantiate+check_eligibility", |b| {
        b.iter(|| defined.check_eligibility("residence", &applicant, &residence).unwrap())
    });
    let rust = runtime.load(manifest()).unwrap();
    let pension = answers();
    group.bench_function("rust/instantiate+check_eligibility", |b| {
        b.iter(|| rust.check_eligibility("old-age", &applicant, &pension).unwrap())
    });

    // With the department's system on loopback: a lookup each.
    let backends = tokio::runtime::Runtime::new().unwrap();
    let start = |id: &str| {
        let router = mitra_backends::router(id).unwrap();
        backends.block_on(mitra_backends::spawn(router, "127.0.0.1:0".parse().unwrap())).unwrap()
    };
    let municipal =
        runtime.load(mitra_tests::with_backend(mitra_tests::department("municipal"), start("municipal"))).unwrap();
    let birth = vec![a("registration", AnswerValue::Text("B-2023-VJA-04821".into()))];
    group.bench_function("rust_with_http/check_eligibility(birth-certificate)", |b| {
        b.iter(|| municipal.check_eligibility("birth-certificate", &applicant, &birth).unwrap())
    });
    if let Some((department, service, field, key)) = LOOKUP
        && components::DEPARTMENTS.iter().any(|(id, _, _)| *id == department)
    {
        let lookup =
            runtime.load(mitra_tests::with_backend(mitra_tests::department(department), start(department))).unwrap();
        let query = vec![a(field, AnswerValue::Text(key.into()))];
        group.bench_function(format!("definition_with_http/fetch_data({service})"), |b| {
            b.iter(|| lookup.fetch_data(service, &query).unwrap())
        });
    }
    group.finish();
}

/// A declarative lookup: (department, service, field, key).
const LOOKUP: Option<(&str, &str, &str, &str)> = Some(("rural-development", "pension-status", "pension", "1040012345"));

criterion_group!(benches, calls, loads, python, declarative);
criterion_main!(benches);
