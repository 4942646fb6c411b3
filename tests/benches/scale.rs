//! `scale`: Mitra with the state's whole catalogue loaded.
//!
//! Generates 36 synthetic departments with 28 services each (1,008 services;
//! each plugin a distinct component, as real departments would be), then
//! reports:
//! - cold load (compiling every component) and restart from the `.cwasm`
//!   cache, in process;
//! - `mitra serve` from process start to answering `/healthz`, from the cache,
//!   and its resident memory (RSS) with everything loaded;
//! - free-text search latency across all services.
//!
//! With `-- --real`, the real catalogue instead: every department as
//! `cargo xtask plugins` installs it in `.mitra/plugins` (the Rust, Python
//! and declarative departments and the pensions example), searched with
//! every citizen phrasing of `tests/search/*.tsv`.
//!
//! Run: `cargo build --release -p mitra && cargo bench -p mitra-tests --bench scale [-- --real]`

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mitra::runtime::{Catalog, Runtime, RuntimeConfig};
use mitra::search::SearchIndex;
use mitra_tests::components;

const DEPARTMENTS: usize = 36;
const SERVICES_EACH: usize = 28;

/// Appends a custom section so each copy has its own sha256 and is compiled
/// and kept in memory separately, like 36 different vendors' components.
fn distinct_copy(bytes: &[u8], index: usize) -> Vec<u8> {
    let name = b"mitra-scale-copy";
    let payload = index.to_le_bytes();
    let mut section = vec![name.len() as u8];
    section.extend_from_slice(name);
    section.extend_from_slice(&payload);
    let mut out = bytes.to_vec();
    out.push(0); // custom section id
    out.push(section.len() as u8); // fits one LEB128 byte
    out.extend_from_slice(&section);
    out
}

fn generate(dir: &Path) {
    let bytes = std::fs::read(components::SYNTHETIC).unwrap();
    for i in 0..DEPARTMENTS {
        let id = format!("dept-{i:02}");
        let plugin_dir = dir.join(&id);
        std::fs::create_dir_all(&plugin_dir).unwrap();
        std::fs::write(plugin_dir.join("synthetic.wasm"), distinct_copy(&bytes, i)).unwrap();
        let mut manifest = mitra_tests::manifest(&id, "synthetic.wasm");
        manifest.config.insert("department".into(), id.clone());
        manifest.config.insert("services".into(), SERVICES_EACH.to_string());
        std::fs::write(plugin_dir.join("plugin.toml"), toml::to_string(&manifest).unwrap()).unwrap();
    }
}

fn load(dir: &Path, cache: &Path) -> (Duration, Catalog) {
    let started = Instant::now();
    let config = RuntimeConfig { cache_dir: Some(cache.into()), ..RuntimeConfig::default() };
    let runtime = Runtime::new(&config).unwrap();
    let catalog = Catalog::load_dir(&runtime, dir).unwrap();
    (started.elapsed(), catalog)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Every phrasing of the search-quality set.
fn phrasings() -> Vec<String> {
    let dir = Path::new(components::REPO_ROOT).join("tests/search");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "tsv") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            out.extend(
                text.lines()
                    .filter(|l| !l.starts_with('#') && !l.starts_with("group\t") && !l.trim().is_empty())
                    .filter_map(|l| l.split('\t').nth(1).map(str::to_owned)),
            );
        }
    }
    out
}

fn main() {
    let real = std::env::args().any(|a| a == "--real");
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let plugins = if real {
        let installed = Path::new(components::REPO_ROOT).join(".mitra/plugins");
        assert!(installed.is_dir(), "{} is missing: run `cargo xtask plugins` first", installed.display());
        installed
    } else {
        let plugins = tmp.path().join("plugins");
        generate(&plugins);
        plugins
    };

    let (cold, catalog) = load(&plugins, &cache);
    assert!(catalog.failures().is_empty(), "{:?}", catalog.failures());
    let services: usize = catalog.plugins().iter().map(|p| p.info().services.len()).sum();
    println!("catalogue: {} plugins, {services} services", catalog.plugins().len());
    println!("load, cold (compile all):        {:>8.1} ms", cold.as_secs_f64() * 1e3);
    drop(catalog);
    let (warm, catalog) = load(&plugins, &cache);
    println!("load, restart from .cwasm cache: {:>8.1} ms", warm.as_secs_f64() * 1e3);

    let infos: Vec<_> = catalog.plugins().iter().map(|p| p.info().clone()).collect();
    let started = Instant::now();
    let index = SearchIndex::build(&infos);
    println!("search index build:              {:>8.1} ms", started.elapsed().as_secs_f64() * 1e3);
    let queries = [
        "birth certificate",
        "brith certifcate",
        "land record status",
        "pension renwal",
        "water bill payment",
        "temple booking",
        "caste certficate",
        "bus complaint",
        "housing subsidy",
        "marriage",
    ];
    // Romanised Telugu and Hindi, both scripts and a whole sentence: timed
    // too (each Latin word's spelling key is compared with every term's), not
    // required to find anything among the synthetic English titles.
    let scripts = [
        "kula dhruvikarana patram",
        "bijli bill kitna hai",
        "జనన ధృవీకరణ పత్రం కావాలి",
        "जाति प्रमाण पत्र चाहिए",
        "pension for my mother she is 65 years",
    ];
    let (mut times, mut typed_times) = (Vec::new(), Vec::new());
    if real {
        let phrasings = phrasings();
        for _ in 0..10 {
            for q in &phrasings {
                let started = Instant::now();
                std::hint::black_box(index.search(q, 10));
                typed_times.push(started.elapsed());
            }
        }
    }
    for round in 0..100 {
        for q in &queries {
            let started = Instant::now();
            let hits = index.search(q, 10);
            times.push(started.elapsed());
            if round == 0 && !real {
                assert!(!hits.is_empty(), "{q} found nothing");
            }
        }
        for q in &scripts {
            let started = Instant::now();
            std::hint::black_box(index.search(q, 10));
            typed_times.push(started.elapsed());
        }
    }
    let mut all: Vec<Duration> = times.iter().chain(&typed_times).copied().collect();
    let typed = if real { "citizen phrasings (tests/search) and scripts" } else { "romanised/scripts" };
    for (what, times) in [("English", &mut times), (typed, &mut typed_times), ("all", &mut all)] {
        times.sort();
        println!(
            "search over {} services, {what}: p50 {:.0} µs, p99 {:.0} µs ({} queries)",
            index.len(),
            percentile(times, 0.5).as_secs_f64() * 1e6,
            percentile(times, 0.99).as_secs_f64() * 1e6,
            times.len()
        );
    }
    drop(catalog);

    serve_figures(tmp.path(), &plugins, &cache);
}

/// Starts the real `mitra serve` on the warm cache; times it to its first
/// `/healthz` answer and reads its RSS.
fn serve_figures(tmp: &Path, plugins: &Path, cache: &Path) {
    let binary = PathBuf::from(components::REPO_ROOT).join("target/release/mitra");
    if !binary.exists() {
        println!("mitra serve: {} not built; run `cargo build --release -p mitra` first", binary.display());
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let started = Instant::now();
    let mut child = Command::new(&binary)
        .arg("serve")
        .arg("--plugins")
        .arg(plugins)
        .arg("--cache-dir")
        .arg(cache)
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--database-url")
        .arg(format!("sqlite://{}", tmp.join("mitra.db").display()))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ready = loop {
        if healthz(port) {
            break Some(started.elapsed());
        }
        if started.elapsed() > Duration::from_secs(60) {
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    match ready {
        Some(t) => println!("mitra serve, start to /healthz (from cache): {:>6.0} ms", t.as_secs_f64() * 1e3),
        None => println!("mitra serve did not answer within 60 s"),
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
    for line in status.lines().filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM")) {
        println!("mitra serve {line}");
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn healthz(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}
