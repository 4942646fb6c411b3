//! What one call's instance can touch: the per-call store data, the memory
//! limiter and the host side of the imports (log, config, http).
//!
//! A fresh [`CallState`] is built for every call, so nothing a plugin does in
//! one call (a citizen's answers, a half-built string) is visible to the next.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use wasmtime::component::{Linker, Resource, ResourceTable};
use wasmtime::{Engine, ResourceLimiter, Store, StoreContextMut, Trap, UpdateDeadline};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::filesystem::{Descriptor, Dir};
use wasmtime_wasi::p2::bindings::filesystem::types::ErrorCode;
use wasmtime_wasi::p2::{DynInputStream, InputStream, OutputStream, Pollable, StreamError, StreamResult};
use wasmtime_wasi::{FsPerms, OpenMode, WasiCtx, WasiCtxView, WasiView};

use super::bindings::mitra::plugin::{config, http, log, types};
use super::budget::{Admission, Exhausted};
use super::manifest::Manifest;

/// Responses from department systems larger than this are refused.
pub(crate) const MAX_HTTP_RESPONSE: u64 = 4 * 1024 * 1024;
const MAX_LOG_MESSAGE: usize = 4096;
const MAX_TABLE_ELEMENTS: usize = 100_000;

/// What a plugin version is granted, shared by all its calls.
pub(crate) struct Grants {
    pub plugin: String,
    /// The plugin id as the budget's accounts key it.
    pub key: Arc<str>,
    pub manifest: Manifest,
    pub http: ureq::Agent,
    /// The read-only `/data` directory, opened once when the version loads
    /// and handed to each call that asks for its preopens (see
    /// [`share_data_dir`]).
    pub data: Option<Dir>,
}

impl std::fmt::Debug for Grants {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grants").field("plugin", &self.plugin).field("manifest", &self.manifest).finish_non_exhaustive()
    }
}

/// Opens a plugin's data directory for every call to share, read-only.
///
/// Opening it per call (WASI's builder walks the path each time) was a
/// fifth of a call's cost. One descriptor serves every call safely: WASI's
/// file operations are relative to it (`openat`), reading a directory opens
/// it afresh, and the permissions forbid writing anything under it. Calls
/// run on blocking threads already, so its files are read right there
/// rather than handed to another thread.
pub(crate) fn open_data_dir(path: &std::path::Path) -> std::io::Result<Dir> {
    use std::os::unix::fs::OpenOptionsExt as _;
    // As WASI's builder opens a preopen: a directory handle for paths only
    // (`O_PATH`), everything under it reached relative to it.
    let dir = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_DIRECTORY | libc::O_PATH).open(path)?;
    Ok(Dir::new(dir, FsPerms::ReadOnly, OpenMode::READ, true))
}

/// Replaces WASI's `get-directories` with one that gives a call its
/// plugin's already opened `/data` (and nothing else: no other directory is
/// ever granted).
pub(crate) fn share_data_dir(linker: &mut Linker<CallState>) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    linker.instance("wasi:filesystem/preopens@0.2.12")?.func_wrap(
        "get-directories",
        |mut store: StoreContextMut<'_, CallState>, (): ()| {
            let state = store.data_mut();
            let mut preopens: Vec<(Resource<Descriptor>, String)> = Vec::new();
            if let Some(dir) = state.grants.data.clone() {
                preopens.push((state.table.push(Descriptor::Dir(dir))?, "/data".to_owned()));
            }
            Ok((preopens,))
        },
    )?;
    linker.instance("wasi:filesystem/types@0.2.12")?.func_wrap(
        "[method]descriptor.read-via-stream",
        |mut store: StoreContextMut<'_, CallState>, (fd, offset): (Resource<Descriptor>, u64)| {
            let state = store.data_mut();
            let file = match state.table.get(&fd)? {
                Descriptor::File(file) => file.file.clone(),
                Descriptor::Dir(_) => return Ok((Err(ErrorCode::IsDirectory),)),
            };
            let stream: DynInputStream = Box::new(InlineFileStream { file, position: offset });
            Ok((Ok(state.table.push(stream)?),))
        },
    )?;
    linker.allow_shadowing(false);
    Ok(())
}

/// A file under `/data` read on the call's own thread.
///
/// WASI's own file stream hands every read, and every wait for one, to
/// tokio's blocking pool and parks the call until it is back: two thread
/// switches per read, ~30 % of a declarative call (which reads its
/// service's definition). Calls already run on threads that may block, and
/// `/data` is a local read-only directory, so the read is done in place.
struct InlineFileStream {
    file: Arc<std::fs::File>,
    position: u64,
}

/// The most one read returns (as WASI's own file stream).
const MAX_READ: usize = 64 * 1024;

impl InputStream for InlineFileStream {
    fn read(&mut self, size: usize) -> StreamResult<Bytes> {
        use std::os::unix::fs::FileExt as _;
        if size == 0 {
            return Ok(Bytes::new());
        }
        let mut buf = BytesMut::zeroed(size.min(MAX_READ));
        loop {
            match self.file.read_at(&mut buf, self.position) {
                Ok(0) => return Err(StreamError::Closed),
                Ok(n) => {
                    buf.truncate(n);
                    self.position += n as u64;
                    return Ok(buf.freeze());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(StreamError::LastOperationFailed(e.into())),
            }
        }
    }
}

#[async_trait::async_trait]
impl Pollable for InlineFileStream {
    /// A local file is always ready: the read itself waits on the disk.
    async fn ready(&mut self) {}
}

/// The end of what a call wrote to stderr, kept so that a trap can say why:
/// a Rust panic's message, a Python traceback's last lines. Only the last
/// [`STDERR_KEPT`] bytes are kept; the rest is accepted and dropped, so a
/// chatty plugin neither blocks nor grows the host's memory.
#[derive(Clone, Default)]
pub(crate) struct StderrTail(Arc<std::sync::Mutex<Vec<u8>>>);

/// Bytes of stderr kept per call.
pub(crate) const STDERR_KEPT: usize = 1024;
/// The most one stderr write may hand over (WASI's own pipes use 64 KiB).
const STDERR_WRITE: usize = 64 * 1024;

impl StderrTail {
    fn append(&self, bytes: &[u8]) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let bytes = &bytes[bytes.len().saturating_sub(STDERR_KEPT)..];
        let over = (kept.len() + bytes.len()).saturating_sub(STDERR_KEPT);
        kept.drain(..over);
        kept.extend_from_slice(bytes);
    }

    /// What was kept, as text on one line (control characters as spaces,
    /// runs of them as one), or `None` if nothing was written. Phone and
    /// Aadhaar numbers are masked as in log lines: a panic's message may
    /// quote a citizen's answer, and a trap's message is logged and kept
    /// with the plugin's events.
    pub(crate) fn text(&self) -> Option<String> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let text = String::from_utf8_lossy(&kept);
        let words: Vec<&str> =
            text.split(|c: char| c.is_control() || c.is_whitespace()).filter(|w| !w.is_empty()).collect();
        (!words.is_empty()).then(|| crate::telemetry::logs::mask(&words.join(" ")).into_owned())
    }
}

impl IsTerminal for StderrTail {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for StderrTail {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }

    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

impl OutputStream for StderrTail {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        self.append(&bytes);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    /// Always room: whatever is written is taken (and all but the tail dropped).
    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(STDERR_WRITE)
    }
}

#[async_trait::async_trait]
impl Pollable for StderrTail {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for StderrTail {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        bytes: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.append(bytes);
        std::task::Poll::Ready(Ok(bytes.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

/// The store data of one call.
pub(crate) struct CallState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(super) limiter: MemoryCap,
    pub(super) grants: Arc<Grants>,
    pub(super) deadline: Instant,
    pub(super) log: LogBudget,
    /// Set when the plugin reached for something it was not granted; the
    /// trap that follows is reported as [`super::Error::CapabilityDenied`].
    pub(super) denied: Option<String>,
    /// What the call wrote to stderr, for the message of a trap.
    pub(super) stderr: StderrTail,
}

impl CallState {
    pub(super) fn new(grants: Arc<Grants>, deadline: Duration, admission: Admission) -> anyhow::Result<Self> {
        let mut wasi = WasiCtx::builder();
        // No env, no args, no stdin; stdout goes nowhere, stderr's end is
        // kept for a trap's message; sockets and name lookup off. The only
        // file access is the read-only data dir, which `share_data_dir`
        // hands out.
        let stderr = StderrTail::default();
        wasi.stderr(stderr.clone());
        wasi.allow_tcp(false).allow_udp(false).allow_ip_name_lookup(false);
        // Files opened under /data take this flag, not the directory's: without
        // it each `stat` or `open-at` went to tokio's blocking pool and back
        // (calls already run on threads that may block).
        wasi.allow_blocking_current_thread(true);
        // A host whose clock is pinned to a day (tests, demos) shows the
        // plugin that day too; otherwise WASI's own wall clock serves.
        if mitra_sdk::clock::shift_ms() != 0 {
            wasi.wall_clock(MitraClock);
        }
        let deadline = Instant::now() + deadline;
        Ok(Self {
            wasi: wasi.build(),
            table: ResourceTable::new(),
            limiter: MemoryCap {
                limit: grants.manifest.memory_bytes(),
                hit: false,
                admission,
                over_budget: None,
                deadline,
            },
            deadline,
            log: LogBudget::new(&grants.manifest),
            grants,
            denied: None,
            stderr,
        })
    }

    /// The store one call runs in: the memory cap as its limiter, the
    /// deadline looked at on every epoch tick.
    pub(super) fn into_store(self, engine: &Engine) -> Store<CallState> {
        let mut store = Store::new(engine, self);
        store.limiter(|state| &mut state.limiter);
        // The deadline is the wall clock's, looked at on every epoch tick:
        // counting ticks instead stretches it when a loaded machine runs
        // the ticker late (a 200 ms deadline once stopped a call at 421 ms).
        // It is read from the state, where a spare's is set anew when its
        // call begins.
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(|mut ctx| {
            let state = ctx.data_mut();
            let until = state.deadline;
            // A long call goes on only in its turn (see `budget::LONG_CALL`);
            // waiting for it ends at the deadline like running does.
            let turn = state.limiter.admission.keep_running(until);
            if turn.is_err() || Instant::now() >= until {
                return Err(Trap::Interrupt.into());
            }
            Ok(UpdateDeadline::Continue(1))
        });
        store
    }

    /// Starts the call's clock anew: a spare made ahead of its call (see
    /// [`super::spares`]) has its whole deadline from when a call takes it.
    pub(super) fn restart_deadline(&mut self, deadline: Duration) {
        self.deadline = Instant::now() + deadline;
        self.limiter.deadline = self.deadline;
    }
}

impl WasiView for CallState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

/// WASI's wall clock read from [`mitra_sdk::clock`], so a plugin sees the
/// day the host was pinned to.
struct MitraClock;

impl wasmtime_wasi::HostWallClock for MitraClock {
    fn resolution(&self) -> Duration {
        Duration::from_millis(1)
    }

    fn now(&self) -> Duration {
        mitra_sdk::clock::since_epoch()
    }
}

/// Caps linear memory per instance, reserves every page from the host-wide
/// budget, and remembers which limit stopped a growth.
pub(crate) struct MemoryCap {
    pub(super) limit: usize,
    pub(super) hit: bool,
    /// The call's share of the host's budgets, given back when the store drops.
    pub(super) admission: Admission,
    /// Set when the host-wide budget (not the instance's cap) refused a growth.
    pub(super) over_budget: Option<Exhausted>,
    /// A growth waits for room no longer than the call may run.
    deadline: Instant,
}

/// Longest a growth waits for another call to give memory back.
const GROWTH_WAIT: Duration = Duration::from_millis(50);

/// The error a refused memory growth traps with.
#[derive(Debug, thiserror::Error)]
#[error("memory cap of {limit} bytes reached (asked for {desired})")]
pub(crate) struct MemoryCapReached {
    pub limit: usize,
    pub desired: usize,
}

impl ResourceLimiter for MemoryCap {
    fn memory_growing(&mut self, current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.limit {
            self.hit = true;
            // Trapping (rather than failing the grow) stops the plugin at the
            // cause, instead of at an allocator abort that reads as a panic.
            return Err(MemoryCapReached { limit: self.limit, desired }.into());
        }
        // Every page comes out of the host's budget (the initial memory too:
        // wasmtime asks for it as a growth from zero).
        let until = std::cmp::min(self.deadline, Instant::now() + GROWTH_WAIT);
        if let Err(exhausted) = self.admission.grow(desired.saturating_sub(current), until) {
            self.over_budget = Some(exhausted);
            return Err(exhausted.into());
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= MAX_TABLE_ELEMENTS)
    }
}

impl log::Host for CallState {
    fn log(&mut self, level: log::Level, message: String) {
        let message = clipped(message);
        if !self.log.take(message.len()) {
            return;
        }
        let plugin = self.grants.plugin.as_str();
        match level {
            log::Level::Trace => tracing::trace!(plugin, "{message}"),
            log::Level::Debug => tracing::debug!(plugin, "{message}"),
            log::Level::Info => tracing::info!(plugin, "{message}"),
            log::Level::Warn => tracing::warn!(plugin, "{message}"),
            log::Level::Error => tracing::error!(plugin, "{message}"),
        }
    }
}

/// What one call may write to the host's log: lines and bytes from the
/// manifest (within the host's ceiling). Past either, lines are dropped and
/// counted; the call's end writes one line saying how many.
pub(crate) struct LogBudget {
    lines: u32,
    bytes: usize,
    pub(super) dropped_lines: u64,
    pub(super) dropped_bytes: u64,
}

impl LogBudget {
    fn new(manifest: &Manifest) -> Self {
        let (lines, bytes) = manifest.log_budget();
        Self { lines, bytes, dropped_lines: 0, dropped_bytes: 0 }
    }

    /// Whether a line of `len` bytes may be written (and counts it).
    fn take(&mut self, len: usize) -> bool {
        if self.lines == 0 || len > self.bytes {
            self.dropped_lines += 1;
            self.dropped_bytes += len as u64;
            return false;
        }
        self.lines -= 1;
        self.bytes -= len;
        true
    }
}

/// A plugin's log message cut to [`MAX_LOG_MESSAGE`] bytes (at a character
/// boundary) and marked as cut.
fn clipped(mut message: String) -> String {
    if message.len() > MAX_LOG_MESSAGE {
        let mut end = MAX_LOG_MESSAGE;
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        message.truncate(end);
        message.push('…');
    }
    message
}

impl types::Host for CallState {}

impl config::Host for CallState {
    fn get(&mut self, key: String) -> Option<String> {
        self.grants.manifest.config.get(&key).cloned()
    }
}

/// The refusal a request outside the allow-list traps with.
#[derive(Debug, thiserror::Error)]
#[error("HTTP to {0}")]
pub(crate) struct HttpDenied(pub String);

impl http::Host for CallState {
    fn send(&mut self, request: http::Request) -> wasmtime::Result<Result<http::Response, http::HttpError>> {
        let uri: ::http::Uri = match request.url.parse() {
            Ok(uri) => uri,
            Err(e) => return Ok(Err(http::HttpError::InvalidUrl(e.to_string()))),
        };
        let Some(authority) = target_of(&uri) else {
            return Ok(Err(http::HttpError::InvalidUrl(format!("{} is not an absolute http(s) URL", request.url))));
        };
        if !host_allowed(&self.grants.manifest.capabilities.allowed_hosts, &authority) {
            tracing::warn!(plugin = %self.grants.plugin, target = %authority, "HTTP outside the allow-list refused");
            self.denied = Some(format!("HTTP to {authority}"));
            return Err(HttpDenied(authority.to_string()).into());
        }
        let remaining = self.deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Ok(Err(http::HttpError::Timeout));
        }
        // Waiting on the department's system runs no wasm: the running slot
        // goes to another call meanwhile, and comes back before the answer
        // is handed to the plugin (within the call's deadline).
        self.limiter.admission.pause();
        let response = perform(&self.grants.http, request, remaining);
        if self.limiter.admission.resume(self.deadline).is_err() {
            return Err(wasmtime::Trap::Interrupt.into());
        }
        Ok(response)
    }
}

/// Where a URL goes, as `host:port` with the scheme's default port filled in.
#[derive(Debug, PartialEq)]
pub(crate) struct Authority {
    pub host: String,
    pub port: u16,
    pub default_port: bool,
}

impl std::fmt::Display for Authority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

fn target_of(uri: &::http::Uri) -> Option<Authority> {
    let default = match uri.scheme_str()? {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let host = uri.host()?.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    let port = uri.port_u16().unwrap_or(default);
    Some(Authority { host, port, default_port: port == default })
}

/// Whether `target` is on the allow-list. `host:port` entries match exactly;
/// a bare `host` allows only the scheme's default port.
pub(crate) fn host_allowed(allowed: &[String], target: &Authority) -> bool {
    allowed.iter().any(|entry| {
        let entry = entry.to_ascii_lowercase();
        match entry.rsplit_once(':') {
            Some((host, port)) if !host.contains(':') || host.ends_with(']') => {
                host.trim_start_matches('[').trim_end_matches(']') == target.host
                    && port.parse::<u16>().is_ok_and(|p| p == target.port)
            }
            _ => entry.trim_start_matches('[').trim_end_matches(']') == target.host && target.default_port,
        }
    })
}

fn perform(agent: &ureq::Agent, request: http::Request, timeout: Duration) -> Result<http::Response, http::HttpError> {
    let method = match request.method {
        http::Method::Get => ::http::Method::GET,
        http::Method::Post => ::http::Method::POST,
        http::Method::Put => ::http::Method::PUT,
        http::Method::Delete => ::http::Method::DELETE,
    };
    let mut builder = ::http::Request::builder().method(method).uri(&request.url);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let built =
        builder.body(request.body.unwrap_or_default()).map_err(|e| http::HttpError::InvalidUrl(e.to_string()))?;
    let configured = agent.configure_request(built).timeout_global(Some(timeout)).build();
    let mut response = agent.run(configured).map_err(|e| match e {
        ureq::Error::Timeout(_) => http::HttpError::Timeout,
        ureq::Error::Io(io) => http::HttpError::Unreachable(io.to_string()),
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => http::HttpError::Unreachable(e.to_string()),
        ureq::Error::BodyExceedsLimit(_) => http::HttpError::TooLarge,
        other => http::HttpError::Other(other.to_string()),
    })?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let body = response.body_mut().with_config().limit(MAX_HTTP_RESPONSE).read_to_vec().map_err(|e| match e {
        ureq::Error::BodyExceedsLimit(_) => http::HttpError::TooLarge,
        ureq::Error::Timeout(_) => http::HttpError::Timeout,
        other => http::HttpError::Other(other.to_string()),
    })?;
    Ok(http::Response { status, headers, body })
}

/// The HTTP client shared by every plugin's calls: no redirects (a redirect
/// could leave the allow-list), no error on non-2xx (the plugin decides).
pub(crate) fn http_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_redirects(0)
        .max_redirects_will_error(false)
        .http_status_as_error(false)
        .user_agent("mitra-host")
        .build()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stderr_keeps_its_last_bytes_on_one_line() {
        let tail = StderrTail::default();
        assert_eq!(tail.text(), None);
        tail.append(b"thread '<unnamed>' panicked at src/lib.rs:3:5:\n");
        tail.append(b"the answer was\tmissing\n");
        assert_eq!(
            tail.text().as_deref(),
            Some("thread '<unnamed>' panicked at src/lib.rs:3:5: the answer was missing")
        );
        // A citizen's Aadhaar number quoted in a panic is masked.
        let quoted = StderrTail::default();
        quoted.append(b"panicked: no record for 4991 1234 5677\n");
        assert_eq!(quoted.text().as_deref(), Some("panicked: no record for XXXXXXXX5677"));
        // Past the limit, the oldest bytes go: a traceback's end is what says why.
        tail.append(&vec![b'x'; 3 * STDERR_KEPT]);
        tail.append(b"\nValueError: no such district");
        let text = tail.text().unwrap();
        assert!(text.ends_with(" ValueError: no such district"), "{text}");
        assert!(text.len() <= STDERR_KEPT && !text.contains("panicked"), "{text}");
    }

    fn target(url: &str) -> Authority {
        target_of(&url.parse().unwrap()).unwrap()
    }

    #[test]
    fn allow_list_matches_host_and_port_exactly() {
        let allowed = vec!["127.0.0.1:7801".to_owned(), "meeseva.ap.gov.in".to_owned()];
        assert!(host_allowed(&allowed, &target("http://127.0.0.1:7801/bills")));
        assert!(!host_allowed(&allowed, &target("http://127.0.0.1:7802/bills")));
        assert!(host_allowed(&allowed, &target("https://MeeSeva.ap.gov.in/status")));
        assert!(!host_allowed(&allowed, &target("https://meeseva.ap.gov.in:8443/status")));
        assert!(!host_allowed(&allowed, &target("https://meeseva.ap.gov.in.evil.com/")));
        // userinfo cannot smuggle another host past the check
        assert!(!host_allowed(&allowed, &target("http://127.0.0.1:7801@evil.com/")));
        assert!(!host_allowed(&allowed, &target("http://localhost:7801/")));
    }

    #[test]
    fn only_absolute_http_urls_have_a_target() {
        assert!(target_of(&"/relative".parse().unwrap()).is_none());
        assert!(target_of(&"ftp://x.org/".parse().unwrap()).is_none());
        let ipv6 = target("http://[::1]:9000/");
        assert_eq!((ipv6.host.as_str(), ipv6.port), ("::1", 9000));
        assert!(host_allowed(&["[::1]:9000".to_owned()], &ipv6));
    }
}

#[cfg(test)]
mod properties {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    /// Hosts a plugin may be allowed, as a manifest writes them.
    const ALLOWED: [&str; 5] = ["meeseva.ap.gov.in", "api.apcfss.in:8443", "127.0.0.1:7801", "[::1]:9000", "10.0.0.7"];

    /// An allow-list drawn from [`ALLOWED`], in any letter case.
    fn allow_list() -> impl Strategy<Value = Vec<String>> {
        vec((prop::sample::select(&ALLOWED[..]), any::<bool>()), 0..4).prop_map(|entries| {
            entries.into_iter().map(|(e, upper)| if upper { e.to_ascii_uppercase() } else { e.to_owned() }).collect()
        })
    }

    /// A host as a URL writes it, with the host it really names (brackets
    /// and letter case aside): the allowed ones, and near misses.
    fn host() -> impl Strategy<Value = (String, String)> {
        let allowed =
            prop::sample::select(&["meeseva.ap.gov.in", "api.apcfss.in", "127.0.0.1", "[::1]", "10.0.0.7"][..]);
        prop_oneof![
            // An allowed host, in any case.
            (allowed.clone(), any::<bool>()).prop_map(|(h, upper)| {
                let written = if upper { h.to_ascii_uppercase() } else { h.to_owned() };
                (written, h.to_owned())
            }),
            // Another host that looks like one.
            (
                allowed.clone(),
                prop_oneof![
                    Just("{}."),
                    Just("{}.evil.com"),
                    Just("evil.{}"),
                    Just("evil{}"),
                    Just("{}evil.com"),
                    Just("{}-evil.com"),
                    Just("x{}"),
                ]
            )
                .prop_map(|(h, form)| {
                    let written = form.replace("{}", h);
                    (written.clone(), written)
                }),
            // Percent-encoded: not a name a resolver reads as the allowed one.
            allowed.clone().prop_map(|h| {
                let written = h.replacen('.', "%2E", 1);
                (written.clone(), written)
            }),
            // The same address written another way.
            prop::sample::select(
                &[
                    "127.1",
                    "2130706433",
                    "0x7f.0.0.1",
                    "0177.0.0.1",
                    "127.0.0.01",
                    "[::ffff:127.0.0.1]",
                    "[0:0:0:0:0:0:0:1]",
                    "[::0001]",
                    "localhost",
                    "10.0.7",
                    "167772167",
                    "[::1%25lo]",
                ][..]
            )
            .prop_map(|h| (h.to_owned(), h.to_owned())),
            "[a-z0-9-]{1,12}(\\.[a-z0-9-]{1,12}){0,3}".prop_map(|h| (h.clone(), h)),
        ]
    }

    /// A URL to `host` (really to `target`), with userinfo, ports and paths
    /// that mention an allowed host: (URL, target host, scheme's port, written port).
    fn url() -> impl Strategy<Value = (String, String, u16, Option<u16>)> {
        let scheme = prop::sample::select(&[("http", 80u16), ("https", 443), ("HTTP", 80), ("hTTpS", 443)][..]);
        let userinfo = prop::sample::select(
            &[
                "",
                "meeseva.ap.gov.in@",
                "127.0.0.1:7801@",
                "user:pass@",
                "api.apcfss.in:8443@",
                "[::1]:9000@",
                "meeseva.ap.gov.in%40@",
            ][..],
        );
        let port = prop_oneof![
            Just(None),
            prop::sample::select(&[80u16, 443, 7801, 8443, 9000, 0][..]).prop_map(Some),
            any::<u16>().prop_map(Some),
        ];
        let tail = prop::sample::select(
            &[
                "",
                "/",
                "/bills?id=7",
                "/@meeseva.ap.gov.in",
                "?next=@127.0.0.1:7801",
                "#@meeseva.ap.gov.in",
                "/..;/@[::1]:9000/",
            ][..],
        );
        (scheme, userinfo, host(), port, tail).prop_map(
            |((scheme, default), userinfo, (written, target), port, tail)| {
                let at = port.map(|p| format!(":{p}")).unwrap_or_default();
                (format!("{scheme}://{userinfo}{written}{at}{tail}"), target, default, port)
            },
        )
    }

    /// Whether `host:port` is what `entry` allows, said independently of [`host_allowed`].
    fn entry_allows(entry: &str, host: &str, port: u16, default: u16) -> bool {
        let entry = entry.to_ascii_lowercase();
        let (entry_host, entry_port) = match entry.strip_prefix('[') {
            Some(v6) => {
                let (inside, rest) = v6.split_once(']').unwrap();
                (inside.to_owned(), rest.strip_prefix(':').map(|p| p.parse::<u16>().unwrap()))
            }
            None => match entry.split_once(':') {
                Some((h, p)) => (h.to_owned(), Some(p.parse::<u16>().unwrap())),
                None => (entry.clone(), None),
            },
        };
        let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        entry_host == host && entry_port.unwrap_or(default) == port
    }

    proptest! {
        #[test]
        fn a_url_is_allowed_only_to_a_host_and_port_on_the_list(allowed in allow_list(), (url, target, default, port) in url()) {
            let Ok(uri) = url.parse::<::http::Uri>() else { return Ok(()) };
            let Some(authority) = target_of(&uri) else { return Ok(()) };
            // Where the request really goes is where ureq connects: the
            // host and port its resolver is given. (For `[::1]evil.com`,
            // the `http` crate's host is `[::1]`, and ureq's too.)
            let (scheme, uri_authority) = (uri.scheme().unwrap(), uri.authority().unwrap());
            let connects = ureq::unversioned::resolver::DefaultResolver::host_and_port(scheme, uri_authority).unwrap();
            let (host, to) = connects.rsplit_once(':').unwrap();
            let to: u16 = to.parse().unwrap();
            let expected = allowed.iter().any(|entry| entry_allows(entry, host, to, default));
            prop_assert_eq!(host_allowed(&allowed, &authority), expected, "{} ({:?}) against {:?}", url, authority, allowed);
            // Where the URL was written to go, when it is a host a resolver reads.
            if !target.contains(['[', '%']) || target.starts_with('[') && target.ends_with(']') {
                let port = port.unwrap_or(default);
                prop_assert_eq!(expected, allowed.iter().any(|entry| entry_allows(entry, &target, port, default)));
            }
        }

        #[test]
        fn an_allowed_host_is_reached_whatever_its_case_or_a_written_default_port(
            (entry, upper) in (prop::sample::select(&ALLOWED[..]), any::<bool>()),
            https in any::<bool>(),
            write_port in any::<bool>(),
        ) {
            let (host, port) = match entry.rsplit_once(':') {
                Some((h, p)) if !entry.ends_with(']') => (h, Some(p)),
                _ => (entry, None),
            };
            let host = if upper { host.to_ascii_uppercase() } else { host.to_owned() };
            let scheme = if https { "https" } else { "http" };
            let at = match (port, write_port) {
                (Some(p), _) => format!(":{p}"),
                (None, true) => if https { ":443".into() } else { ":80".into() },
                (None, false) => String::new(),
            };
            let url = format!("{scheme}://{host}{at}/x");
            let authority = target_of(&url.parse().unwrap()).unwrap();
            prop_assert!(host_allowed(&[entry.to_owned()], &authority), "{}", url);
        }

        #[test]
        fn any_url_and_allow_list_are_checked_without_a_panic(
            allowed in vec("\\PC{0,30}", 0..4),
            url in "\\PC{0,60}|(https?://)[^/]{0,40}(/.{0,20})?",
        ) {
            if let Ok(uri) = url.parse::<::http::Uri>()
                && let Some(authority) = target_of(&uri)
            {
                let _ = host_allowed(&allowed, &authority);
                prop_assert_eq!(authority.host.clone(), authority.host.to_ascii_lowercase());
            }
        }

        #[test]
        fn a_log_message_is_kept_whole_or_cut_at_a_character_within_the_limit(part in "\\PC{1,40}", repeat in 1usize..400) {
            // Long messages from a short part: generating 8,000 characters one by one is slow.
            let message = part.repeat(repeat);
            let clipped = clipped(message.clone());
            if message.len() <= MAX_LOG_MESSAGE {
                prop_assert_eq!(clipped, message);
            } else {
                let kept = clipped.strip_suffix('…').unwrap();
                prop_assert!(kept.len() <= MAX_LOG_MESSAGE && kept.len() + 4 > MAX_LOG_MESSAGE);
                prop_assert!(message.starts_with(kept));
            }
        }
    }
}
