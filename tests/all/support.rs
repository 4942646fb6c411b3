//! What the test modules share.

use std::path::PathBuf;
use std::sync::Arc;

use mitra::runtime::{Answer, AnswerValue, Applicant, Decision, Language, Plugin, Runtime, RuntimeConfig};
pub(crate) use mitra_tests::{components, old_age_answers, pensions_manifest};

/// A pooled runtime with a small pool (tests run many runtimes at once).
pub(crate) fn runtime() -> Runtime {
    Runtime::new(&RuntimeConfig { max_concurrent_instances: 16, ..RuntimeConfig::default() }).unwrap()
}

/// A runtime keeping compiled components in one `.cwasm` cache shared by
/// the tests that load the whole catalogue: compiled once, not per test.
pub(crate) fn cached_runtime() -> Runtime {
    runtime_cached_in(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("catalogue-cwasm"))
}

/// A pooled runtime with a small pool keeping compiled components in `cache`.
pub(crate) fn runtime_cached_in(cache: PathBuf) -> Runtime {
    Runtime::new(&RuntimeConfig { max_concurrent_instances: 16, cache_dir: Some(cache), ..RuntimeConfig::default() })
        .unwrap()
}

pub(crate) fn pensions(runtime: &Runtime) -> Arc<Plugin> {
    Arc::new(runtime.load(pensions_manifest()).unwrap())
}

pub(crate) fn citizen() -> Applicant {
    Applicant { wa_id: "919876543210".into(), profile_name: Some("Lakshmi".into()), language: Language::Te }
}

pub(crate) fn answer(field: &str, value: AnswerValue) -> Answer {
    Answer { field_id: field.into(), value }
}

/// After a hostile call, the same host must still answer a good plugin right.
pub(crate) fn good_plugin_still_answers(runtime: &Runtime) {
    let plugin = pensions(runtime);
    let decision = plugin.check_eligibility("old-age", &citizen(), &old_age_answers("1950-01-01", 5000.0)).unwrap();
    assert_eq!(decision, Decision::Eligible);
}
