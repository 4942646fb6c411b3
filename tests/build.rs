//! Builds the wasm components the tests load (the example plugins and the
//! misbehaving fixtures) for wasm32-wasip2, and exposes their paths as
//! constants (`include!(concat!(env!("OUT_DIR"), "/components.rs"))`).

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const WORKSPACES: &[&str] = &["examples", "tests/fixtures", "plugins"];
const COMPONENTS: &[(&str, &str)] = &[
    ("PENSIONS", "pensions"),
    ("HOSTILE", "hostile"),
    ("OTHER_WORLD", "other_world"),
    ("LONG_TITLE", "long_title"),
    ("SYNTHETIC", "synthetic"),
    ("REGRESSED", "regressed"),
    ("CONTRACT_0_1", "contract_0_1"),
    ("PRE_INITIALISED", "pre_initialised"),
    ("PRE_INIT_HANGS", "pre_init_hangs"),
];

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).parent().unwrap().to_owned();
    let target_dir = root.join("target").join("wasm");
    for dir in ["examples", "tests/fixtures", "plugins", "sdk/src", "wit"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
    }
    for ws in WORKSPACES {
        if has_members(&root.join(ws)) {
            build(&root.join(ws), &target_dir);
        }
    }
    let release = target_dir.join("wasm32-wasip2").join("release");
    let mut consts = String::new();
    for (name, file) in COMPONENTS {
        let path = release.join(format!("{file}.wasm"));
        assert!(path.exists(), "{} was not built", path.display());
        consts.push_str(&format!("pub const {name}: &str = {:?};\n", path.display().to_string()));
    }
    // Every department plugin: (id, crate directory, component).
    consts.push_str("pub const DEPARTMENTS: &[(&str, &str, &str)] = &[\n");
    for (id, dir, wasm) in department_plugins(&root.join("plugins"), &release) {
        consts.push_str(&format!("    ({id:?}, {dir:?}, {wasm:?}),\n"));
    }
    consts.push_str("];\n");
    consts.push_str(&format!(
        "pub const PENSIONS_DIR: &str = {:?};\n",
        root.join("examples/pensions").display().to_string()
    ));
    consts.push_str(&format!("pub const REPO_ROOT: &str = {:?};\n", root.display().to_string()));
    consts.push_str(&format!("pub const WASM_TARGET_DIR: &str = {:?};\n", target_dir.display().to_string()));
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("components.rs");
    std::fs::write(out, consts).unwrap();
}

/// Whether a plugin workspace has any crate yet.
fn has_members(workspace: &Path) -> bool {
    std::fs::read_dir(workspace)
        .map(|entries| entries.flatten().any(|e| e.path().join("Cargo.toml").is_file()))
        .unwrap_or(false)
}

/// `(id, crate dir, wasm path)` of each crate under `plugins/` with a
/// plugin.toml, and of each declarative department in `plugins/departments/`.
fn department_plugins(plugins: &Path, release: &Path) -> Vec<(String, String, String)> {
    let Ok(entries) = std::fs::read_dir(plugins) else { return Vec::new() };
    let mut found = Vec::new();
    for dir in entries.flatten().map(|e| e.path()) {
        let (Ok(manifest), Ok(cargo)) =
            (std::fs::read_to_string(dir.join("plugin.toml")), std::fs::read_to_string(dir.join("Cargo.toml")))
        else {
            continue;
        };
        let id = toml_string(&manifest, "id").expect("plugin.toml has an id");
        let krate = toml_string(&cargo, "name").expect("Cargo.toml has a name").replace('-', "_");
        let wasm = release.join(format!("{krate}.wasm"));
        assert!(wasm.exists(), "{} was not built", wasm.display());
        found.push((id, dir.display().to_string(), wasm.display().to_string()));
    }
    // The departments written as definitions, each served by the generic component.
    let generic = release.join("declarative.wasm");
    for dir in std::fs::read_dir(plugins.join("departments")).into_iter().flatten().flatten().map(|e| e.path()) {
        let Ok(manifest) = std::fs::read_to_string(dir.join("plugin.toml")) else { continue };
        let id = toml_string(&manifest, "id").expect("plugin.toml has an id");
        assert!(generic.exists(), "{} was not built", generic.display());
        found.push((id, dir.display().to_string(), generic.display().to_string()));
    }
    found.sort();
    found
}

/// The first `key = "value"` line of a TOML file (enough for id and name).
fn toml_string(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn build(workspace: &Path, target_dir: &Path) {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(workspace)
        .args(["build", "--release", "--target", "wasm32-wasip2", "--target-dir"])
        .arg(target_dir)
        // Flags meant for the host build must not leak into the wasm build.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("RUSTC_WRAPPER")
        .status()
        .expect("running cargo for the wasm components");
    if !status.success() {
        let installed = Command::new("rustup")
            .args(["target", "list", "--installed"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-wasip2"))
            .unwrap_or(false);
        if !installed {
            panic!(
                "the wasm32-wasip2 target is missing: run `rustup target add wasm32-wasip2` (or `cargo xtask test`, which does)"
            );
        }
        panic!("building the wasm components in {} failed (see the output above)", workspace.display());
    }
}
