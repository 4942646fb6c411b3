//! The vendor's loop through the `mitra` command line: new, build, test.

use mitra::cli::{Cli, run, test_plugins};

use clap::Parser as _;

use crate::support::components;

fn mitra(args: &[&str]) -> i32 {
    let argv = std::iter::once("mitra").chain(args.iter().copied());
    run(Cli::parse_from(argv)).unwrap_or_else(|e| panic!("mitra {args:?}: {e:#}"))
}

#[test]
fn plugin_new_then_build_then_test_succeeds() {
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path().to_str().unwrap();
    let crate_dir = tmp.path().join("water-board");
    let crate_dir = crate_dir.to_str().unwrap();
    assert_eq!(mitra(&["plugin", "new", "water-board", "--dir", parent]), 0);
    assert_eq!(mitra(&["plugin", "build", crate_dir, "--target-dir", components::WASM_TARGET_DIR]), 0);
    assert!(tmp.path().join("water-board/water-board.wasm").is_file());
    let (report, passed) = test_plugins(&[crate_dir.into()]).unwrap();
    assert!(passed, "{report}");
    assert!(report.contains("service \"residence\": check-eligibility answers"), "{report}");
    assert_eq!(mitra(&["plugin", "test", crate_dir]), 0);

    // `--out` installs a plugin directory that `serve` and `plugin test` load.
    let installed = tmp.path().join("installed");
    let out = installed.to_str().unwrap();
    assert_eq!(mitra(&["plugin", "build", crate_dir, "--out", out, "--target-dir", components::WASM_TARGET_DIR]), 0);
    assert_eq!(mitra(&["plugin", "test", installed.join("water-board").to_str().unwrap()]), 0);
}

#[test]
fn plugin_new_refuses_a_name_that_is_not_a_department_id() {
    let tmp = tempfile::tempdir().unwrap();
    let cli = Cli::parse_from(["mitra", "plugin", "new", "Water Board", "--dir", tmp.path().to_str().unwrap()]);
    let error = run(cli).unwrap_err().to_string();
    assert!(error.contains("lowercase"), "{error}");
}

#[test]
fn plugin_test_fails_naming_a_forty_character_title() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = mitra_tests::write_plugin_dir(tmp.path(), &mitra_tests::manifest("long-title", components::LONG_TITLE));
    let (report, passed) = test_plugins(std::slice::from_ref(&dir)).unwrap();
    assert!(!passed, "{report}");
    assert!(
        report.contains(
            "\"Certified copy of marriage registrations\" (en) is 40 characters; WhatsApp list rows allow 24"
        ),
        "{report}"
    );
    assert_eq!(mitra(&["plugin", "test", dir.to_str().unwrap()]), 1);
}

#[test]
fn plugin_test_reports_a_plugin_that_does_not_load() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = mitra_tests::write_plugin_dir(tmp.path(), &mitra_tests::manifest("acme", components::OTHER_WORLD));
    let (report, passed) = test_plugins(&[dir]).unwrap();
    assert!(!passed);
    assert!(report.contains("does not load") && report.contains("incompatible contract"), "{report}");
}

#[test]
fn plugin_test_flags_the_hostile_plugin_services_that_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let mut manifest = mitra_tests::manifest("hostile", components::HOSTILE);
    manifest.capabilities.deadline_ms = Some(50);
    let dir = mitra_tests::write_plugin_dir(tmp.path(), &manifest);
    let (report, passed) = test_plugins(&[dir]).unwrap();
    assert!(!passed);
    for service in ["infinite-loop", "panic", "huge-string", "recurse-forever"] {
        assert!(
            report.contains(&format!("FAIL service \"{service}\": check-eligibility failed")),
            "{service}: {report}"
        );
    }
}
