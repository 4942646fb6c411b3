//! `plugin_call`: what one plugin call costs the host.
//!
//! - instantiate from the `InstancePre` + `check-eligibility` on the example
//!   pensions plugin, with the pooling allocator and with on-demand allocation;
//! - loading that plugin on a restart, from the `.cwasm` cache and by compiling.
//!
//! - the same call on the Python (componentize-py) plugin, when built.
//!
//! Run: `cargo bench -p mitra-tests --bench plugin_call`

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use mitra::runtime::{Answer, AnswerValue, Applicant, Language, Manifest, Runtime, RuntimeConfig};
use mitra_tests::components;

fn manifest() -> Manifest {
    let mut manifest = Manifest::load(Path::new(components::PENSIONS_DIR)).unwrap();
    manifest.component = PathBuf::from(components::PENSIONS);
    manifest
}

fn answers() -> Vec<Answer> {
    let a = |id: &str, value| Answer { field_id: id.into(), value };
    vec![
        a("aadhaar", AnswerValue::Aadhaar("499112345677".into())),
        a("dob", AnswerValue::Date("1955-03-01".into())),
        a("area", AnswerValue::Choice("rural".into())),
        a("income", AnswerValue::Number(8000.0)),
    ]
}

fn calls(c: &mut Criterion) {
    let applicant = Applicant { wa_id: "919876543210".into(), profile_name: None, language: Language::Te };
    let answers = answers();
    let mut group = c.benchmark_group("plugin_call");
    for (name, pooling) in [("pooled", true), ("on_demand", false)] {
        let runtime =
            Runtime::new(&RuntimeConfig { pooling, max_concurrent_instances: 64, cache_dir: None, budget: None })
                .unwrap();
        let plugin = runtime.load(manifest()).unwrap();
        group.bench_function(format!("{name}/instantiate+check_eligibility"), |b| {
            b.iter(|| plugin.check_eligibility("old-age", &applicant, &answers).unwrap())
        });
    }
    // The same call without the read-only /data preopen, to show its share.
    let runtime =
        Runtime::new(&RuntimeConfig { pooling: true, max_concurrent_instances: 64, cache_dir: None, budget: None })
            .unwrap();
    let mut bare = manifest();
    bare.capabilities.data_dir = None;
    let plugin = runtime.load(bare).unwrap();
    group.bench_function("pooled_without_data_dir/instantiate+check_eligibility", |b| {
        b.iter(|| plugin.check_eligibility("old-age", &applicant, &answers).unwrap())
    });
    group.finish();
}

fn loads(c: &mut Criterion) {
    let cache = tempfile::tempdir().unwrap();
    let config = RuntimeConfig {
        pooling: true,
        max_concurrent_instances: 64,
        cache_dir: Some(cache.path().into()),
        budget: None,
    };
    let runtime = Runtime::new(&config).unwrap();
    runtime.load(manifest()).unwrap(); // fills the cache
    let mut group = c.benchmark_group("plugin_load");
    group.sample_size(20);
    group.bench_function("from_cwasm_cache", |b| {
        b.iter(|| {
            let plugin = runtime.load(manifest()).unwrap();
            assert!(plugin.load_stats().1);
        })
    });
    let uncached = Runtime::new(&RuntimeConfig { cache_dir: None, ..config.clone() }).unwrap();
    group.bench_function("compile", |b| b.iter(|| uncached.load(manifest()).unwrap()));
    group.finish();
}

/// The Python (componentize-py) agriculture plugin: instance + call, when
/// `plugins/python/agriculture/build.sh` has built it.
fn python(c: &mut Criterion) {
    let dir = Path::new(components::REPO_ROOT).join("plugins/python/agriculture");
    if !dir.join("agriculture.wasm").exists() {
        eprintln!("skipping the Python figures: run plugins/python/agriculture/build.sh first");
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let config = RuntimeConfig {
        pooling: true,
        max_concurrent_instances: 64,
        cache_dir: Some(cache.path().into()),
        budget: None,
    };
    let plugin = Runtime::new(&config).unwrap().load_dir(&dir).unwrap();
    let service = plugin.info().services.iter().find(|s| s.id == "seed-subsidy").unwrap().clone();
    let answers = mitra::plugin_dev::conformance::sample_answers(&service);
    let applicant = Applicant { wa_id: "919876543210".into(), profile_name: None, language: Language::Te };
    let mut group = c.benchmark_group("plugin_call_python");
    group.sample_size(30);
    group.bench_function("pooled/instantiate+check_eligibility", |b| {
        b.iter(|| plugin.check_eligibility("seed-subsidy", &applicant, &answers).unwrap())
    });
    group
        .bench_function("load_from_cwasm_cache", |b| b.iter(|| Runtime::new(&config).unwrap().load_dir(&dir).unwrap()));
    group.finish();
}

criterion_group!(benches, calls, loads, python);
criterion_main!(benches);
