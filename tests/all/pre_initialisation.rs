//! Components that set themselves up once (`wizer-initialize`): the set-up
//! runs at load with nothing granted, every call starts from its snapshot in
//! a fresh instance (nothing one call does is seen by the next), and a
//! set-up that never ends fails the load at its deadline.

use std::time::{Duration, Instant};

use mitra::runtime::{Decision, Error, Plugin};

use crate::support::{cached_runtime, citizen, components, good_plugin_still_answers, runtime};

fn said(plugin: &Plugin, service: &str) -> String {
    match plugin.check_eligibility(service, &citizen(), &[]).unwrap() {
        Decision::NeedsMore(words) => words.join(" "),
        other => panic!("{service}: {other:?}"),
    }
}

#[test]
fn the_set_up_runs_once_with_nothing_granted_and_every_call_starts_from_it() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("hello.txt"), "namaskaram from /data").unwrap();
    let mut manifest = mitra_tests::manifest("pre-initialised", components::PRE_INITIALISED);
    manifest.capabilities.data_dir = Some(tmp.path().to_owned());
    manifest.config.insert("greeting".into(), "namaste".into());
    let rt = runtime();
    let plugin = rt.load(manifest.clone()).unwrap();
    assert!(plugin.pre_initialised());
    // The set-up left the counter at 41 and built its table; each call adds
    // one in its own instance, so each says 42: none sees another's state.
    for _ in 0..5 {
        assert_eq!(said(&plugin, "count"), "42 10000");
    }
    // The set-up saw no configuration; a call sees the operator's.
    assert_eq!(said(&plugin, "config"), "none namaste");
    // The snapshot did not take the file system away from the calls.
    assert_eq!(said(&plugin, "data"), "namaskaram from /data");

    // Loaded again (compiled in memory now), and from a `.cwasm` cache in a
    // second runtime: the same snapshot, the same answers.
    let again = rt.load(manifest.clone()).unwrap();
    assert_eq!(said(&again, "count"), "42 10000");
    let cached = cached_runtime();
    let first = cached.load(manifest.clone()).unwrap();
    cached.forget_compiled();
    let from_disk = cached.load(manifest).unwrap();
    assert!(from_disk.load_stats().1 && from_disk.pre_initialised());
    for plugin in [&first, &from_disk] {
        assert_eq!(said(plugin, "count"), "42 10000");
        assert_eq!(said(plugin, "data"), "namaskaram from /data");
    }
}

#[test]
fn a_set_up_that_never_ends_fails_the_load_at_its_deadline() {
    let rt = runtime();
    let started = Instant::now();
    let refused = rt.load(mitra_tests::manifest("pre-init-hangs", components::PRE_INIT_HANGS)).unwrap_err();
    let took = started.elapsed();
    match &refused {
        Error::InvalidComponent { reason, .. } => {
            assert!(reason.contains("pre-initialisation") && reason.contains("deadline of 5000 ms"), "{reason}")
        }
        other => panic!("the load was not refused for its set-up: {other}"),
    }
    // Stopped at the 5 s deadline (compiling twice comes on top), not hung.
    assert!(took < Duration::from_secs(30), "took {took:?}");
    good_plugin_still_answers(&rt);
}

#[test]
fn a_component_without_a_set_up_is_loaded_as_it_is() {
    let rt = runtime();
    let plugin = rt.load(mitra_tests::manifest("hostile", components::HOSTILE)).unwrap();
    assert!(!plugin.pre_initialised());
}
