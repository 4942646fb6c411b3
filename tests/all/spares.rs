//! Instances made ahead of their calls (spares): a call served by one is held
//! to the same sandbox as a call that makes its own instance, and a spare's
//! slot and memory go back with its plugin version.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mitra::runtime::{BudgetLimits, Catalog, Decision, Error, MakeAhead, Manifest, Plugin, Runtime, RuntimeConfig};

use crate::support::{citizen, components, good_plugin_still_answers, pensions, pensions_manifest};

/// A runtime that makes an instance ahead for every plugin, the Rust
/// hostile fixture included (as by default), whatever the default.
fn making_ahead(budget: Option<BudgetLimits>) -> Runtime {
    Runtime::new(&RuntimeConfig {
        max_concurrent_instances: 16,
        budget,
        make_ahead: MakeAhead::Always,
        ..RuntimeConfig::default()
    })
    .unwrap()
}

fn hostile_manifest(configure: impl FnOnce(&mut Manifest)) -> Manifest {
    let mut manifest = mitra_tests::manifest("hostile", components::HOSTILE);
    configure(&mut manifest);
    manifest
}

/// Waits until the plugin's next call will be served by a spare.
fn spare_ready(plugin: &Plugin) {
    let until = Instant::now() + Duration::from_secs(10);
    while !plugin.spare_ready() {
        assert!(Instant::now() < until, "no spare was made within 10 s");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn scribble(plugin: &Plugin) -> Vec<String> {
    match plugin.check_eligibility("scribble", &citizen(), &[]).unwrap() {
        Decision::NeedsMore(said) => said,
        other => panic!("scribble: {other:?}"),
    }
}

#[test]
fn every_plugin_gets_spares_unless_configured_otherwise() {
    // By default even a Rust plugin, whose instance takes microseconds.
    let default = pensions(&crate::support::runtime());
    assert!(default.keeps_spares());
    spare_ready(&default);
    let with = |make_ahead| Runtime::new(&RuntimeConfig { make_ahead, ..RuntimeConfig::default() }).unwrap();
    assert!(!Arc::new(with(MakeAhead::WhenSlow).load(pensions_manifest()).unwrap()).keeps_spares());
    assert!(!Arc::new(with(MakeAhead::Never).load(pensions_manifest()).unwrap()).keeps_spares());
    // (The Python plugin's spares under `when-slow`: `departments::agriculture`.)
}

/// Versions keeping spares hold a quarter of the instance pool's slots at
/// most, so calls making their own instances always find room: past that a
/// version makes its own, and a version dropped gives its place back.
#[test]
fn spares_take_a_quarter_of_the_pool_at_most() {
    let runtime = Runtime::new(&RuntimeConfig { max_concurrent_instances: 8, ..RuntimeConfig::default() }).unwrap();
    let version = |n: u32| Arc::new(runtime.load(hostile_manifest(|m| m.version = format!("{n}.0.0"))).unwrap());
    let (first, second) = (version(1), version(2));
    assert!(first.keeps_spares() && second.keeps_spares(), "two of eight slots");
    let third = version(3);
    assert!(!third.keeps_spares(), "a third version would hold more than a quarter");
    // It is served as any plugin without spares, with the two spares waiting.
    spare_ready(&first);
    spare_ready(&second);
    assert_eq!(scribble(&third), ["0", "128"]);
    drop(first);
    assert!(version(4).keeps_spares(), "the dropped version's place is free again");
}

/// Each call served by a spare finds a fresh instance: none of the pages an
/// earlier call marked, whether that call ran on a spare or made its own.
#[test]
fn calls_served_by_spares_find_nothing_of_earlier_calls() {
    let runtime = making_ahead(None);
    let plugin = runtime.load(hostile_manifest(|_| {})).unwrap();
    let on_spares = || {
        let label = mitra::telemetry::PluginLabel { plugin: "hostile".into() };
        mitra::telemetry::metrics().plugin_calls_on_spares.get_or_create(&label).get()
    };
    let before = on_spares();
    for call in 0..20 {
        spare_ready(&plugin);
        assert_eq!(scribble(&plugin), ["0", "128"], "call {call} found an earlier call's pages (found, then marked)");
    }
    assert!(on_spares() >= before + 20, "each call took the spare that was ready (counted for operators)");
    // Faster than spares are made: some calls take one, others make their own.
    std::thread::scope(|threads| {
        for _ in 0..4 {
            threads.spawn(|| {
                for _ in 0..25 {
                    assert_eq!(scribble(&plugin), ["0", "128"]);
                }
            });
        }
    });
    good_plugin_still_answers(&runtime);
}

/// A spare waits without a clock: the call that takes it has its whole
/// deadline from when it begins, and is still stopped at it.
#[test]
fn a_call_on_a_spare_has_its_whole_deadline_and_is_stopped_at_it() {
    let runtime = making_ahead(None);
    let plugin = runtime.load(hostile_manifest(|m| m.capabilities.deadline_ms = Some(100))).unwrap();
    spare_ready(&plugin);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(scribble(&plugin), ["0", "128"], "a spare older than the deadline still serves its call");

    spare_ready(&plugin);
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let error = plugin.check_eligibility("infinite-loop", &citizen(), &[]).expect_err("the loop must be stopped");
    let took = started.elapsed();
    assert!(matches!(error, Error::DeadlineExceeded { limit, .. } if limit == Duration::from_millis(100)), "{error}");
    assert!(took >= Duration::from_millis(100), "stopped after {took:?}: the deadline ran while the spare waited");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    good_plugin_still_answers(&runtime);
}

#[test]
fn a_call_on_a_spare_is_stopped_at_the_memory_cap() {
    let runtime = making_ahead(None);
    let plugin = runtime.load(hostile_manifest(|m| m.capabilities.memory_mib = Some(16))).unwrap();
    spare_ready(&plugin);
    let error = plugin.check_eligibility("allocate-forever", &citizen(), &[]).expect_err("the hoard must be stopped");
    assert!(matches!(error, Error::OutOfMemory { limit_bytes, .. } if limit_bytes == 16 << 20), "{error}");
    good_plugin_still_answers(&runtime);
}

/// A spare is not one of its plugin's live calls: a plugin allowed one call
/// at a time serves call after call, each taking the spare or making its own.
#[test]
fn a_spare_never_holds_the_room_a_call_needs() {
    let limits = BudgetLimits { calls_per_plugin: 1, ..BudgetLimits::for_machine(16) };
    let plugin = making_ahead(Some(limits)).load(hostile_manifest(|_| {})).unwrap();
    for call in 0..20 {
        if call % 2 == 0 {
            spare_ready(&plugin);
        }
        assert_eq!(scribble(&plugin), ["0", "128"], "call {call}");
    }
}

/// The memory a waiting spare holds is counted, and given back when its
/// version goes: dropped, or swapped out of the catalogue.
#[test]
fn a_version_swapped_out_gives_its_spares_memory_back() {
    let runtime = making_ahead(None);
    let budget = runtime.budget().clone();
    let catalog = Catalog::new();
    let first = Arc::new(runtime.load(hostile_manifest(|_| {})).unwrap());
    spare_ready(&first);
    catalog.publish(first.clone());
    drop(first);
    let one = budget.memory_in_use();
    assert!(one > 0, "a waiting spare's memory is counted");

    let second = Arc::new(runtime.load(hostile_manifest(|m| m.version = "2.0.0".into())).unwrap());
    spare_ready(&second);
    assert!(budget.memory_in_use() > one, "two versions, two spares");
    let replaced = catalog.publish(second.clone()).expect("the first version is replaced");
    drop(replaced);
    // The old version's spare goes; then, dropped, the new one's.
    mitra_tests::budget_falls_to(&budget, one);
    drop((catalog, second));
    mitra_tests::budget_falls_to(&budget, 0);
}
