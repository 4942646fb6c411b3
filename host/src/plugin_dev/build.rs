//! `mitra plugin build`: cargo for wasm32-wasip2, then the component is put
//! where the crate's `plugin.toml` says, making the crate directory a
//! loadable plugin directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};

use crate::runtime::{MANIFEST_FILE, Manifest};

/// The target every plugin is built for.
pub const WASM_TARGET: &str = "wasm32-wasip2";

/// Installs the wasm target through rustup when it is missing.
pub fn ensure_wasm_target() -> anyhow::Result<()> {
    let Ok(output) = Command::new("rustup").args(["target", "list", "--installed"]).output() else {
        return Ok(()); // no rustup: cargo will say what is missing
    };
    if String::from_utf8_lossy(&output.stdout).lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    let status = Command::new("rustup").args(["target", "add", WASM_TARGET]).status()?;
    if !status.success() {
        bail!("`rustup target add {WASM_TARGET}` failed");
    }
    Ok(())
}

/// Builds the plugin in `crate_dir`; returns the plugin directory (the
/// crate itself, or `out/<id>` when `out` is given). A declarative
/// department (no `Cargo.toml`, definitions in its data directory) has its
/// definitions checked and gets the generic department component.
pub fn build(crate_dir: &Path, out: Option<&Path>, target_dir: Option<&Path>) -> anyhow::Result<PathBuf> {
    let manifest_path = crate_dir.join(MANIFEST_FILE);
    let text =
        std::fs::read_to_string(&manifest_path).with_context(|| format!("reading {}", manifest_path.display()))?;
    let manifest: Manifest = toml::from_str(&text).with_context(|| format!("parsing {}", manifest_path.display()))?;
    ensure_wasm_target()?;

    let declarative = !crate_dir.join("Cargo.toml").exists() && manifest.declarative_data(crate_dir).is_some();
    let wasm = if declarative {
        manifest.check_definitions(crate_dir).map_err(|reason| anyhow::anyhow!("{}: {reason}", crate_dir.display()))?;
        compile(&super::declarative::component_crate(), target_dir)?
    } else {
        compile(crate_dir, target_dir)?
    };
    let component = crate_dir.join(&manifest.component);
    std::fs::copy(&wasm, &component)
        .with_context(|| format!("copying {} to {}", wasm.display(), component.display()))?;

    let Some(out) = out else { return Ok(crate_dir.to_owned()) };
    let installed = out.join(&manifest.id);
    if installed.exists() {
        std::fs::remove_dir_all(&installed)?;
    }
    std::fs::create_dir_all(&installed)?;
    std::fs::copy(&manifest_path, installed.join(MANIFEST_FILE))?;
    std::fs::copy(&component, installed.join(&manifest.component))?;
    if let Some(data) = &manifest.capabilities.data_dir {
        copy_dir(&crate_dir.join(data), &installed.join(data))?;
    }
    Ok(installed)
}

/// `cargo build` of the crate in `crate_dir` for wasm32-wasip2; the `.wasm` made.
fn compile(crate_dir: &Path, target_dir: Option<&Path>) -> anyhow::Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(crate_dir).args([
        "build",
        "--release",
        "--target",
        WASM_TARGET,
        "--message-format=json-render-diagnostics",
    ]);
    if let Some(dir) = target_dir {
        command.arg("--target-dir").arg(dir);
    }
    let output = command
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo")?;
    if !output.status.success() {
        bail!("cargo build failed for {}", crate_dir.display());
    }
    built_component(&output.stdout, crate_dir)
}

/// Finds the `.wasm` cargo produced for the crate at `crate_dir`.
fn built_component(messages: &[u8], crate_dir: &Path) -> anyhow::Result<PathBuf> {
    let own_manifest = crate_dir.join("Cargo.toml").canonicalize()?;
    for line in messages.split(|b| *b == b'\n') {
        let Ok(message) = serde_json::from_slice::<serde_json::Value>(line) else { continue };
        if message["reason"] != "compiler-artifact" {
            continue;
        }
        let from_this_crate = message["manifest_path"]
            .as_str()
            .and_then(|p| Path::new(p).canonicalize().ok())
            .is_some_and(|p| p == own_manifest);
        if !from_this_crate {
            continue;
        }
        if let Some(files) = message["filenames"].as_array() {
            for file in files.iter().filter_map(|f| f.as_str()) {
                if file.ends_with(".wasm") {
                    return Ok(PathBuf::from(file));
                }
            }
        }
    }
    bail!("cargo produced no .wasm for {}: is the crate a cdylib?", crate_dir.display())
}

/// Copies the directory tree `from` into `to` (created if missing).
pub fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
