//! Shared helpers for Mitra's integration tests and benchmarks: paths of the
//! wasm components built by `build.rs`, and plugin directories made from them.

use std::path::{Path, PathBuf};

use mitra::runtime::{Answer, AnswerValue, Budget, Capabilities, Manifest};

/// Paths of the built components.
pub mod components {
    include!(concat!(env!("OUT_DIR"), "/components.rs"));
}

/// Now as Meta stamps messages (Unix seconds), on Mitra's one clock: the
/// host reads the same one, so a test pinned to a day (`MITRA_TODAY`) keeps
/// its messages inside the citizen's 24-hour window.
pub fn unix_now() -> i64 {
    mitra_sdk::clock::now_unix_ms() / 1000
}

/// The example pensions plugin as its manifest describes it.
pub fn pensions_manifest() -> Manifest {
    let mut manifest = Manifest::load(Path::new(components::PENSIONS_DIR)).unwrap();
    manifest.component = PathBuf::from(components::PENSIONS);
    manifest
}

/// Answers to the pensions plugin's old-age form.
pub fn old_age_answers(dob: &str, income: f64) -> Vec<Answer> {
    let answer = |field: &str, value| Answer { field_id: field.into(), value };
    vec![
        answer("aadhaar", AnswerValue::Aadhaar("499112345677".into())),
        answer("dob", AnswerValue::Date(dob.into())),
        answer("area", AnswerValue::Choice("rural".into())),
        answer("income", AnswerValue::Number(income)),
    ]
}

/// Waits (10 s at most) until `budget` counts no more than `bytes` in use:
/// a dropped instance's memory comes back when the spare-making thread has
/// dropped it.
pub fn budget_falls_to(budget: &Budget, bytes: usize) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while budget.memory_in_use() > bytes {
        assert!(std::time::Instant::now() < until, "{} bytes still held, over {bytes}", budget.memory_in_use());
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// A manifest for `component` with default capabilities.
pub fn manifest(id: &str, component: &str) -> Manifest {
    Manifest {
        id: id.to_owned(),
        version: "0.1.0".to_owned(),
        component: PathBuf::from(component),
        capabilities: Capabilities::default(),
        config: Default::default(),
    }
}

/// Writes `manifest` (and a copy of its component) into `dir` as a plugin
/// directory, the shape `mitra serve` and `mitra plugin test` load.
pub fn write_plugin_dir(dir: &Path, manifest: &Manifest) -> PathBuf {
    let plugin_dir = dir.join(&manifest.id);
    std::fs::create_dir_all(&plugin_dir).unwrap();
    let file = format!("{}.wasm", manifest.id);
    std::fs::copy(&manifest.component, plugin_dir.join(&file)).unwrap();
    let mut on_disk = manifest.clone();
    on_disk.component = PathBuf::from(file);
    std::fs::write(plugin_dir.join("plugin.toml"), toml::to_string(&on_disk).unwrap()).unwrap();
    plugin_dir
}

/// A department plugin from `plugins/`, ready to load: its manifest with the
/// component path filled in and its paths resolved.
pub fn department(id: &str) -> Manifest {
    let (_, dir, wasm) = components::DEPARTMENTS
        .iter()
        .find(|(dept, _, _)| *dept == id)
        .unwrap_or_else(|| panic!("no plugin {id} under plugins/"));
    let mut manifest = Manifest::load(Path::new(dir)).unwrap();
    manifest.component = PathBuf::from(wasm);
    manifest
}

/// Points `manifest` at a backend listening on `addr`: the `backend` config
/// key and the allow-list, exactly as an operator would.
pub fn with_backend(mut manifest: Manifest, addr: std::net::SocketAddr) -> Manifest {
    manifest.config.insert("backend".into(), format!("http://{addr}"));
    manifest.capabilities.allowed_hosts = vec![addr.to_string()];
    manifest
}

/// Starts department `id`'s simulated backend on a free loopback port.
pub async fn start_backend(id: &str) -> std::net::SocketAddr {
    let router = mitra_backends::router(id).unwrap_or_else(|| panic!("no backend simulator for {id}"));
    mitra_backends::spawn(router, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

/// A loopback address nothing listens on: a department system that is down.
///
/// The port stays bound (never listening) for the whole test process. A
/// listener bound and dropped would free its port for the next `bind(0)`,
/// and a fake Graph API or backend started by a test running alongside could
/// take it, so a "down" system would answer.
pub fn down_backend() -> std::net::SocketAddr {
    static RESERVED: std::sync::LazyLock<(tokio::net::TcpSocket, std::net::SocketAddr)> =
        std::sync::LazyLock::new(|| {
            let socket = tokio::net::TcpSocket::new_v4().expect("a TCP socket");
            socket.bind("127.0.0.1:0".parse().unwrap()).expect("a free loopback port");
            let address = socket.local_addr().expect("a bound socket's address");
            (socket, address)
        });
    RESERVED.1
}

/// The pensions example as a vendor's built plugin directory at `version`
/// (manifest, `component` as `pensions.wasm`, the data directory), ready
/// for `mitra plugin pack`.
pub fn pensions_plugin_dir(parent: &Path, version: &str, component: &str) -> PathBuf {
    let dir = parent.join(format!("pensions-{version}"));
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::copy(component, dir.join("pensions.wasm")).unwrap();
    let source = Path::new(components::PENSIONS_DIR).join("data");
    for entry in std::fs::read_dir(source).unwrap().flatten() {
        std::fs::copy(entry.path(), dir.join("data").join(entry.file_name())).unwrap();
    }
    std::fs::write(
        dir.join("plugin.toml"),
        format!(
            "id = \"pensions\"\nversion = \"{version}\"\ncomponent = \"pensions.wasm\"\n\
             [capabilities]\ndata_dir = \"data\"\nmemory_mib = 32\n"
        ),
    )
    .unwrap();
    dir
}

/// A department system on loopback that answers `ok` after `delay`: calls
/// waiting on it hold their memory without running wasm.
pub fn slow_backend(delay: std::time::Duration) -> std::net::SocketAddr {
    use std::io::{Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut head = [0u8; 4096];
                let _ = stream.read(&mut head);
                std::thread::sleep(delay);
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
            });
        }
    });
    addr
}

/// A `kB` figure of this process from `/proc/self/status` (`VmRSS:`, `VmHWM:`).
pub fn status_kib(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// `words` spoken by espeak-ng in `voice` (`en`, `te`, `hi`) at 140 words a
/// minute, as 16 kHz mono PCM: speech nobody typed, for the voice tests and
/// benches.
pub fn espeak_pcm(voice: &str, words: &str) -> Vec<i16> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let wav = dir.path().join("said.wav");
    let status = std::process::Command::new("espeak-ng")
        .args(["-v", voice, "-s", "140", "-w"])
        .arg(&wav)
        .arg("--")
        .arg(words)
        .status()
        .expect("espeak-ng runs (`cargo xtask test` installs it)");
    assert!(status.success(), "espeak-ng failed for {words:?}");
    mitra::voice::audio::wav_to_speech_pcm(&std::fs::read(&wav).expect("espeak-ng's WAV")).expect("a WAV")
}

/// The declarative department `plugins/departments/<id>` as a vendor's built
/// plugin directory at `version`, its `backend` (and allow-list) at
/// `backend`, with the generic component in place: ready for `mitra plugin
/// pack` or a load.
pub fn declarative_plugin_dir(parent: &Path, id: &str, version: &str, backend: std::net::SocketAddr) -> PathBuf {
    let (_, source, component) = components::DEPARTMENTS
        .iter()
        .find(|(dept, dir, _)| *dept == id && dir.contains("/plugins/departments/"))
        .unwrap_or_else(|| panic!("no declarative department {id} under plugins/departments"));
    let dir = parent.join(format!("{id}-{version}"));
    mitra::plugin_dev::build::copy_dir(&Path::new(source).join("data"), &dir.join("data")).unwrap();
    std::fs::copy(component, dir.join("declarative.wasm")).unwrap();
    let mut manifest = Manifest::load(Path::new(source)).unwrap();
    manifest.version = version.to_owned();
    manifest.component = PathBuf::from("declarative.wasm");
    manifest.capabilities.data_dir = Some(PathBuf::from("data"));
    let manifest = with_backend(manifest, backend);
    std::fs::write(dir.join("plugin.toml"), toml::to_string(&manifest).unwrap()).unwrap();
    dir
}
