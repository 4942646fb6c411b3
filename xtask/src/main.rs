//! The README's commands, in Rust so they need nothing but the toolchain:
//!
//! - `cargo xtask serve`: install the wasm target, build the host and every
//!   plugin, install the plugins into `.mitra/plugins`, start the department
//!   backend simulator and run `mitra serve`, rebuilding and serving a
//!   plugin whenever its sources change.
//! - `cargo xtask test`: install the wasm target, make sure PostgreSQL answers,
//!   install Chromium and chromedriver when missing (the simulator's browser
//!   test), check formatting and lints, run every test, then walk a vendor's
//!   `mitra plugin new / build / test` with the real binary.
//! - `cargo xtask plugins`: build and install the plugins only.
//! - `cargo xtask sweep [YYYY-MM-DD…]`: run the date-sensitive suites with
//!   the clock pinned (`MITRA_TODAY`) to each day of a week and the days
//!   around a month end, a year end and 29 February (or the days given).

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

type Result<T = ()> = std::result::Result<T, String>;

const WASM_TARGET: &str = "wasm32-wasip2";
/// Workspaces of plugin crates, each crate a directory with a plugin.toml.
// `plugins/departments` holds the departments written as definitions.
const PLUGIN_WORKSPACES: &[&str] = &["plugins", "plugins/departments", "examples"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") => test(),
        Some("plugins") => install_target().and_then(|_| build_host()).and_then(|_| build_plugins().map(drop)),
        Some("sweep") => install_target().and_then(|_| build_python_plugins()).and_then(|_| {
            let days: Vec<&str> = args[1..].iter().map(String::as_str).collect();
            sweep(if days.is_empty() { SWEEP_DAYS } else { &days })
        }),
        _ => Err("usage: cargo xtask serve [mitra serve args] | test | plugins | sweep [YYYY-MM-DD…]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

fn run(command: &mut Command) -> Result {
    eprintln!("xtask: {command:?}");
    let status = command.status().map_err(|e| format!("{command:?}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{command:?} failed with {status}")) }
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

fn mitra_bin() -> PathBuf {
    root().join("target/release/mitra")
}

fn install_target() -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to install {WASM_TARGET}: {e}"))?;
    if String::from_utf8_lossy(&installed.stdout).lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

fn build_host() -> Result {
    ensure_debian(&[CMAKE])?;
    run(cargo().args(["build", "--release", "-p", "mitra", "-p", "mitra-backends"]))
}

/// Python plugins (`plugins/python/*/build.sh`, componentize-py from PyPI).
fn python_plugins() -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root().join("plugins/python")) else { return Vec::new() };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("build.sh").is_file() && p.join("plugin.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn build_python_plugins() -> Result<Vec<PathBuf>> {
    let dirs = python_plugins();
    for dir in &dirs {
        run(Command::new("bash").arg(dir.join("build.sh")))?;
    }
    Ok(dirs)
}

/// Builds every plugin crate and installs it into `.mitra/plugins`.
fn build_plugins() -> Result<Vec<PathBuf>> {
    let out = root().join(".mitra/plugins");
    let target_dir = root().join("target/wasm");
    let mut installed = Vec::new();
    for ws in PLUGIN_WORKSPACES {
        let Ok(entries) = std::fs::read_dir(root().join(ws)) else { continue };
        let mut crates: Vec<PathBuf> =
            entries.flatten().map(|e| e.path()).filter(|p| p.join("plugin.toml").is_file()).collect();
        crates.sort();
        for krate in crates {
            run(Command::new(mitra_bin())
                .arg("plugin")
                .arg("build")
                .arg(&krate)
                .arg("--out")
                .arg(&out)
                .arg("--target-dir")
                .arg(&target_dir))?;
            installed.push(out.join(krate.file_name().unwrap()));
        }
    }
    for dir in build_python_plugins()? {
        let target = out.join(dir.file_name().unwrap());
        let _ = std::fs::remove_dir_all(&target);
        copy_dir(&dir, &target)?;
        installed.push(target);
    }
    Ok(installed)
}

/// Copies a Python plugin directory (manifest, component, data) minus its
/// sources' build leftovers.
fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())?.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name == "data" {
                copy_dir(&path, &to.join(&name))?;
            }
        } else if name == "plugin.toml" || name == "config.toml" || path.extension().is_some_and(|e| e == "wasm") {
            std::fs::copy(&path, to.join(&name)).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

fn serve(extra: &[String]) -> Result {
    install_target()?;
    ensure_debian(&[FONTS, ESPEAK])?;
    build_host()?;
    build_plugins()?;
    // Voice notes are heard offline by PocketSphinx in this venv.
    let python = ensure_voice_venv()?;
    // The department systems the plugins call, on 127.0.0.1:7801..
    let mut backends = Command::new(root().join("target/release/mitra-backends"))
        .spawn()
        .map_err(|e| format!("starting the backend simulator: {e}"))?;
    // Development: an edit to a plugin is rebuilt and served at once.
    let watch = ["--watch", "plugins,examples"];
    let served = run(Command::new(mitra_bin())
        .current_dir(root())
        .env("MITRA_VOICE_PYTHON", python)
        .arg("serve")
        .args(watch)
        .args(extra));
    let _ = backends.kill();
    served
}

/// Cases per property in `cargo xtask test`'s bounded fuzzing run.
const FUZZ_CASES: &str = "50000";

fn test() -> Result {
    install_target()?;
    ensure_postgres()?;
    ensure_debian(TEST_PACKAGES)?;
    // The voice tests hear with PocketSphinx from this venv (the tests find
    // it at target/voice-venv too; the variable says so to anything else).
    let python = ensure_voice_venv()?;
    // SAFETY: set before any thread of this process is started.
    unsafe { std::env::set_var("MITRA_VOICE_PYTHON", python) };
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args(["clippy", "--workspace", "--release", "--all-targets", "--", "-D", "warnings"]))?;
    // Python plugins first: their integration tests load the built component.
    build_python_plugins()?;
    // The certificates' outside verifier runs on packages from PyPI.
    ensure_verifier_venv()?;
    run(cargo().args(["test", "--workspace", "--release"]))?;
    // The parsers' properties again with many more cases than a unit run's
    // 256 (FUZZING.md: about a minute on two cores).
    run(cargo().env("PROPTEST_CASES", FUZZ_CASES).args(["test", "--workspace", "--release", "--", "properties"]))?;
    // The plugins' own rule tests, natively.
    if root()
        .join("plugins")
        .read_dir()
        .map_err(|e| e.to_string())?
        .flatten()
        .any(|e| e.path().join("Cargo.toml").is_file())
    {
        run(cargo().current_dir(root().join("plugins")).args(["test", "--workspace"]))?;
    }
    for dir in python_plugins() {
        run(Command::new("python3").current_dir(&dir).args(["-m", "unittest", "discover", "-v"]))?;
    }
    build_host()?;
    // Every shipped plugin passes the conformance checks, with the
    // department systems up (some eligibility rules consult them)...
    let plugins = build_plugins()?;
    if !plugins.is_empty() {
        let mut backends = Command::new(root().join("target/release/mitra-backends"))
            .spawn()
            .map_err(|e| format!("starting the backend simulator: {e}"))?;
        std::thread::sleep(Duration::from_millis(500));
        let tested = run(Command::new(mitra_bin()).args(["plugin", "test"]).args(&plugins));
        let _ = backends.kill();
        let _ = backends.wait();
        tested?;
    }
    // Date rules hold on every day of the week and across the calendar's edges.
    sweep(SWEEP_DAYS)?;
    // ...and a vendor's first five minutes work with the real binary.
    let scratch = root().join("target/xtask-smoke");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let target_dir = root().join("target/wasm");
    run(Command::new(mitra_bin()).current_dir(&scratch).args(["plugin", "new", "x"]))?;
    run(Command::new(mitra_bin())
        .current_dir(&scratch)
        .args(["plugin", "build", "x", "--target-dir"])
        .arg(&target_dir))?;
    run(Command::new(mitra_bin()).current_dir(&scratch).args(["plugin", "test", "x"]))?;
    eprintln!("xtask: all tests passed");
    Ok(())
}

/// A week, Monday to Sunday, then the edges of a month, a year and a leap day.
#[rustfmt::skip]
const SWEEP_DAYS: &[&str] = &[
    "2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-12", "2026-12-13",
    "2027-01-31", "2027-02-01", "2026-12-31", "2027-01-01", "2027-02-28", "2028-02-29", "2028-03-01",
];

/// Integration test modules whose outcome depends on the day: the
/// departments' rules, forms with dates, the conversation and the 24-hour
/// reply window.
const DATED_SUITES: &[&str] = &["departments::", "forms::", "conversation::", "webhook::"];

/// Runs every date-sensitive suite (the unit tests of the host, the SDK and
/// the backend simulators, the plugins' rule tests and the integration
/// modules in [`DATED_SUITES`]) with the clock pinned to each of `days`.
fn sweep(days: &[&str]) -> Result {
    let started = std::time::Instant::now();
    let mut failed = Vec::new();
    for day in days {
        let with_day = |mut command: Command| {
            command.env("MITRA_TODAY", day);
            command
        };
        let mut integration = with_day(cargo());
        integration.args(["test", "-q", "--release", "--workspace", "--test", "all", "--"]).args(DATED_SUITES);
        let mut units = with_day(cargo());
        // The whole workspace, as the main run builds it: a subset of packages
        // would unify features differently and rebuild wasmtime.
        units.args(["test", "-q", "--release", "--workspace", "--lib"]);
        let mut plugins = with_day(cargo());
        plugins.current_dir(root().join("plugins")).args(["test", "--workspace", "-q"]);
        let mut runs = vec![units, integration, plugins];
        for dir in python_plugins() {
            let mut python = with_day(Command::new("python3"));
            python.current_dir(dir).args(["-m", "unittest", "discover", "-q"]);
            runs.push(python);
        }
        let outcome = runs.iter_mut().try_for_each(run);
        eprintln!("xtask: sweep MITRA_TODAY={day}: {}", if outcome.is_ok() { "passed" } else { "FAILED" });
        if let Err(e) = outcome {
            failed.push(format!("{day}: {e}"));
        }
    }
    eprintln!("xtask: sweep over {} days took {:.0?}", days.len(), started.elapsed());
    if failed.is_empty() { Ok(()) } else { Err(format!("date sweep failed on {}", failed.join("; "))) }
}

/// `target/verify-venv` with `tests/verify/requirements.txt`: the packages
/// (cbor2, base45, cryptography) of the certificates' outside verifier.
fn ensure_verifier_venv() -> Result {
    let venv = root().join("target/verify-venv");
    let requirements = root().join("tests/verify/requirements.txt");
    let stamp = venv.join("requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).map_err(|e| format!("{}: {e}", requirements.display()))?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements))?;
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())
}

/// `target/voice-venv` with PocketSphinx (the PyPI wheel ships its English
/// model): the offline recogniser of voice notes. Its python.
fn ensure_voice_venv() -> Result<PathBuf> {
    let venv = root().join("target/voice-venv");
    let python = venv.join("bin/python");
    let stamp = venv.join("installed");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(VOICE_REQUIREMENT) {
        return Ok(python);
    }
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        VOICE_REQUIREMENT,
    ]))?;
    std::fs::write(&stamp, VOICE_REQUIREMENT).map_err(|e| e.to_string())?;
    Ok(python)
}

/// The offline recogniser's package, pinned.
const VOICE_REQUIREMENT: &str = "pocketsphinx==5.1.1";

/// Debian packages a command needs, each known by a file it installs.
const FONTS: (&str, &str) = ("fonts-noto-core", "/usr/share/fonts/truetype/noto/NotoSansTelugu-Regular.ttf");
/// The opus crate builds libopus (the reference codec) with CMake.
const CMAKE: (&str, &str) = ("cmake", "/usr/bin/cmake");
/// Spoken replies offline: espeak-ng speaks English, Telugu and Hindi.
const ESPEAK: (&str, &str) = ("espeak-ng", "/usr/bin/espeak-ng");
const TEST_PACKAGES: &[(&str, &str)] = &[
    // The simulator's and /verify's browser tests drive Debian's Chromium.
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    // Certificates are set in Noto (Latin, Telugu, Devanagari).
    FONTS,
    // The outside verifier renders the PDF (poppler) and reads its QR code (zbar).
    ("poppler-utils", "/usr/bin/pdftoppm"),
    ("zbar-tools", "/usr/bin/zbarimg"),
    CMAKE,
    ESPEAK,
    // Voice notes are checked by Xiph's own opusinfo and opusdec.
    ("opus-tools", "/usr/bin/opusinfo"),
];

/// Installs with apt whichever of `packages` is missing.
fn ensure_debian(packages: &[(&str, &str)]) -> Result {
    let missing: Vec<&str> =
        packages.iter().filter(|(_, file)| !Path::new(file).exists()).map(|(package, _)| *package).collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing {} from Debian", missing.join(", "));
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    // `env` so the variable survives sudo's environment reset.
    let apt = |args: &[&str]| {
        let mut command = if root { Command::new("env") } else { Command::new("sudo") };
        if !root {
            command.arg("env");
        }
        command.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]).args(args);
        command
    };
    run(&mut apt(&["update"]))?;
    run(apt(&["install", "-y"]).args(&missing)).map_err(|e| format!("{e}; needed: {}", missing.join(", ")))
}

/// The integration tests use PostgreSQL at 127.0.0.1:5432; start it if it is
/// installed but down (as on a freshly booted machine).
fn ensure_postgres() -> Result {
    let up = || TcpStream::connect_timeout(&"127.0.0.1:5432".parse().unwrap(), Duration::from_secs(1)).is_ok();
    if up() {
        return Ok(());
    }
    let versions = std::fs::read_dir("/etc/postgresql").map_err(|_| {
        "PostgreSQL is not running on 127.0.0.1:5432 and not installed (.ci/run installs it)".to_string()
    })?;
    for version in versions.flatten() {
        let version = version.file_name().to_string_lossy().into_owned();
        let _ = run(Command::new("pg_ctlcluster").args(["--skip-systemctl-redirect", &version, "main", "start"]));
    }
    for _ in 0..30 {
        if up() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    Err("PostgreSQL did not come up on 127.0.0.1:5432".into())
}
