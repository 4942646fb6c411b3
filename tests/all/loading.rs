//! Loading: broken or foreign components are refused with a reason naming
//! the file, and the host keeps serving the others.

use std::path::PathBuf;

use mitra::runtime::{Catalog, Error, Runtime, RuntimeConfig};

use crate::support::{components, good_plugin_still_answers, pensions_manifest, runtime};

#[test]
fn a_component_built_against_another_world_is_refused_as_incompatible() {
    let rt = runtime();
    let error = rt.load(mitra_tests::manifest("acme", components::OTHER_WORLD)).unwrap_err();
    match &error {
        Error::IncompatibleContract { path, reason } => {
            assert_eq!(path, &PathBuf::from(components::OTHER_WORLD));
            assert!(!reason.is_empty());
        }
        other => panic!("expected incompatible-contract, got {other}"),
    }
    assert!(error.to_string().contains("other_world.wasm"), "{error}");
    good_plugin_still_answers(&rt);
}

#[test]
fn core_modules_and_garbage_are_refused_before_compiling() {
    let tmp = tempfile::tempdir().unwrap();
    let core = tmp.path().join("core.wasm");
    std::fs::write(&core, b"\0asm\x01\0\0\0").unwrap();
    let junk = tmp.path().join("junk.wasm");
    std::fs::write(&junk, b"<html>not wasm</html>").unwrap();
    let rt = runtime();
    for (file, needle) in [(&core, "wasm32-wasip2"), (&junk, "not a WebAssembly file")] {
        let error = rt.load(mitra_tests::manifest("broken", file.to_str().unwrap())).unwrap_err();
        assert!(matches!(error, Error::InvalidComponent { .. }), "{error}");
        assert!(error.to_string().contains(needle) && error.to_string().contains(file.to_str().unwrap()), "{error}");
    }
    let missing = rt.load(mitra_tests::manifest("gone", "/nonexistent/gone.wasm")).unwrap_err();
    assert!(matches!(missing, Error::NotFound { .. }), "{missing}");
}

#[test]
fn manifest_id_must_match_what_the_component_describes() {
    let rt = runtime();
    let mut manifest = pensions_manifest();
    manifest.id = "revenue".into();
    let error = rt.load(manifest).unwrap_err();
    assert!(matches!(error, Error::InvalidManifest { .. }) && error.to_string().contains("pensions"), "{error}");
}

#[test]
fn the_catalogue_serves_good_plugins_and_reports_broken_ones() {
    let tmp = tempfile::tempdir().unwrap();
    mitra_tests::write_plugin_dir(tmp.path(), &pensions_manifest());
    mitra_tests::write_plugin_dir(tmp.path(), &mitra_tests::manifest("acme", components::OTHER_WORLD));
    let bad_manifest = tmp.path().join("typo");
    std::fs::create_dir(&bad_manifest).unwrap();
    std::fs::write(bad_manifest.join("plugin.toml"), "id = \"typo\"\nversion = 1\n").unwrap();

    let rt = runtime();
    let catalog = Catalog::load_dir(&rt, tmp.path()).unwrap();
    let ids: Vec<String> = catalog.plugins().iter().map(|p| p.id().to_owned()).collect();
    assert_eq!(ids, ["pensions"]);
    let failures = catalog.failures();
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert!(failures.iter().any(|f| f.kind == "incompatible-contract" && f.path.ends_with("acme")));
    assert!(failures.iter().any(|f| f.kind == "invalid-manifest" && f.reason.contains("plugin.toml")));
}

#[test]
fn a_restart_loads_compiled_code_from_the_cache() {
    let cache = tempfile::tempdir().unwrap();
    let config = RuntimeConfig {
        pooling: false,
        max_concurrent_instances: 4,
        cache_dir: Some(cache.path().into()),
        ..RuntimeConfig::default()
    };
    let first = Runtime::new(&config).unwrap().load(pensions_manifest()).unwrap();
    assert!(!first.load_stats().1, "nothing was cached yet");
    let second = Runtime::new(&config).unwrap().load(pensions_manifest()).unwrap();
    assert!(second.load_stats().1, "the second load should come from the cache");
    assert_eq!(first.sha256(), second.sha256());
    assert_eq!(second.info(), first.info());
}

#[test]
fn a_corrupt_cache_entry_is_discarded_and_recompiled() {
    let cache = tempfile::tempdir().unwrap();
    let config = RuntimeConfig {
        pooling: false,
        max_concurrent_instances: 4,
        cache_dir: Some(cache.path().into()),
        ..RuntimeConfig::default()
    };
    Runtime::new(&config).unwrap().load(pensions_manifest()).unwrap();
    for entry in walk(cache.path()) {
        std::fs::write(entry, b"corrupted").unwrap();
    }
    let reloaded = Runtime::new(&config).unwrap().load(pensions_manifest()).unwrap();
    assert!(!reloaded.load_stats().1);
    assert_eq!(reloaded.info().id, "pensions");
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}
