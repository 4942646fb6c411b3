//! Speech to text and text to speech for voice notes.
//!
//! A [`Recogniser`] turns a note's 16 kHz mono PCM into text; a [`Speaker`]
//! turns a reply into 16 kHz mono PCM. Each has an offline backend and an
//! HTTP one:
//!
//! - **Offline recognition**: CMU PocketSphinx (the `pocketsphinx` wheel,
//!   which ships the en-us model) in long-lived Python workers
//!   (`pocketsphinx_worker.py`, JSON lines on stdin and stdout). It listens
//!   for the phrases the conversation expects at that point (a grammar, not
//!   dictation), in English only.
//! - **Offline speech**: espeak-ng, run as a program per reply (it is GPL:
//!   never linked), in English, Telugu or Hindi.
//! - **HTTP**: a speech service with Bhashini's ULCA pipeline shape
//!   (`POST …/services/inference/pipeline`, an `asr` or `tts` task), for
//!   Telugu and Hindi recognition. [`stand_in`](super::stand_in) is a local
//!   one for tests and demos.
//!
//! Every failure is a [`SpeechError`]: the service is unavailable (try
//! again, or type), it refused, or nothing could be made out of the note.
//! Every call is bounded by a timeout (a worker or espeak-ng that overruns
//! it is killed).

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::applications::notify::code;
use crate::channel::graph::{HttpClient, exchange, http_client};
use crate::runtime::Language;

/// The offline recogniser's worker, written to a file at start.
const WORKER_SCRIPT: &str = include_str!("pocketsphinx_worker.py");
/// The wheel the worker needs (it ships the en-us model).
const POCKETSPHINX: &str = "pocketsphinx==5.1.1";
/// How long a starting worker may take to answer its ping (Python, the
/// import and the model's load take ~0.3 s on an idle machine).
const WORKER_START: Duration = Duration::from_secs(20);
/// The longest answer line read from a worker.
const MAX_WORKER_ANSWER: u64 = 64 * 1024;
/// The longest answer read from a speech service (a long reply's WAV, base64).
const MAX_SERVICE_ANSWER: usize = 32 * 1024 * 1024;
/// The most characters spoken of one reply: longer replies are cut at a
/// sentence's end (see [`cut_for_speech`]), so a reply stays a short note.
pub const MAX_SPOKEN_CHARS: usize = 1_500;
/// The rate of all PCM in and out.
const SAMPLE_RATE: u32 = 16_000;

/// Why speech could not be turned into text or text into speech.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpeechError {
    /// The backend could not be reached, did not answer in time, is
    /// overloaded (429, 5xx) or failed on its side: the citizen may try
    /// again, or type.
    #[error("speech is unavailable: {0}")]
    Unavailable(String),
    /// The backend answered but would not do it (4xx) or its answer could
    /// not be read.
    #[error("speech was refused: {0}")]
    Refused(String),
    /// Nothing could be made out of the note.
    #[error("nothing recognisable was said")]
    Unclear,
}

fn language_of(code: &str) -> Option<Language> {
    match code {
        "en" => Some(Language::En),
        "te" => Some(Language::Te),
        "hi" => Some(Language::Hi),
        _ => None,
    }
}

fn default_timeout_ms() -> u64 {
    10_000
}

/// Which recogniser turns voice notes into text (TOML: `backend = "offline"`
/// or `backend = "http"` with the backend's fields beside it).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "backend", rename_all = "snake_case")]
pub enum RecogniserConfig {
    Offline(OfflineConfig),
    Http(HttpServiceConfig),
}

impl Default for RecogniserConfig {
    fn default() -> Self {
        Self::Offline(OfflineConfig::default())
    }
}

impl RecogniserConfig {
    /// The recogniser, started: the offline one's workers answered a ping.
    pub async fn build(&self) -> anyhow::Result<Recogniser> {
        Ok(match self {
            Self::Offline(config) => Recogniser::Offline(
                OfflineRecogniser::start(&config.python, config.workers)
                    .await?
                    .with_timeout(Duration::from_millis(config.timeout_ms)),
            ),
            Self::Http(config) => Recogniser::Http(HttpRecogniser::new(config)?),
        })
    }
}

/// PocketSphinx in Python workers.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OfflineConfig {
    /// A Python with `pocketsphinx==5.1.1` installed, e.g. a venv's
    /// `bin/python` (relative paths are from the working directory).
    pub python: PathBuf,
    /// Worker processes (each decodes one note at a time, ~40 MB each).
    pub workers: usize,
    /// How long one note may take before its worker is killed and restarted.
    pub timeout_ms: u64,
}

impl Default for OfflineConfig {
    fn default() -> Self {
        Self { python: PathBuf::from("target/voice-venv/bin/python"), workers: 1, timeout_ms: default_timeout_ms() }
    }
}

/// A speech service with Bhashini's ULCA pipeline shape, for recognition
/// or speech.
#[derive(Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpServiceConfig {
    /// The pipeline's inference URL, e.g. Bhashini's
    /// `https://dhruva-api.bhashini.gov.in/services/inference/pipeline`.
    pub url: String,
    /// The header the key goes in (Bhashini: `Authorization`, the default);
    /// nothing is sent without `auth_value`.
    #[serde(default)]
    pub auth_header: Option<String>,
    /// The key (Bhashini's inference API key from its pipeline config call).
    #[serde(default)]
    pub auth_value: Option<String>,
    /// The model to ask for each language (`te = "ai4bharat/…"`): Bhashini's
    /// `serviceId`. A language without one is sent without.
    #[serde(default)]
    pub service_ids: BTreeMap<String, String>,
    /// How long one request may take.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// The voice asked of a text-to-speech service (`female` or `male`);
    /// recognition does not send it.
    #[serde(default = "default_gender")]
    pub gender: String,
}

fn default_gender() -> String {
    "female".to_owned()
}

impl std::fmt::Debug for HttpServiceConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpServiceConfig")
            .field("url", &self.url)
            .field("auth_header", &self.auth_header)
            .field("auth_value", &self.auth_value.as_ref().map(|_| "<redacted>"))
            .field("service_ids", &self.service_ids)
            .field("timeout_ms", &self.timeout_ms)
            .field("gender", &self.gender)
            .finish()
    }
}

/// Which speaker voices replies (TOML: `backend = "espeak"` or
/// `backend = "http"`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "backend", rename_all = "snake_case")]
pub enum SpeakerConfig {
    Espeak(EspeakConfig),
    Http(HttpServiceConfig),
}

impl Default for SpeakerConfig {
    fn default() -> Self {
        Self::Espeak(EspeakConfig::default())
    }
}

impl SpeakerConfig {
    /// The speaker, checked: espeak-ng runs.
    pub async fn build(&self) -> anyhow::Result<Speaker> {
        Ok(match self {
            Self::Espeak(config) => Speaker::Espeak(
                EspeakSpeaker::new(&config.binary, config.speed, Duration::from_millis(config.timeout_ms)).await?,
            ),
            Self::Http(config) => Speaker::Http(HttpSpeaker::new(config)?),
        })
    }
}

/// espeak-ng, run per reply.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EspeakConfig {
    /// The program (found on `PATH` without a slash).
    pub binary: PathBuf,
    /// Words per minute (espeak-ng's `-s`, 80–450).
    pub speed: u32,
    /// How long one reply may take to synthesise before espeak-ng is killed.
    pub timeout_ms: u64,
}

impl Default for EspeakConfig {
    fn default() -> Self {
        Self { binary: PathBuf::from("espeak-ng"), speed: 150, timeout_ms: default_timeout_ms() }
    }
}

/// Speech to text.
pub enum Recogniser {
    Offline(OfflineRecogniser),
    Http(HttpRecogniser),
}

impl std::fmt::Debug for Recogniser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Offline(r) => write!(f, "Recogniser::Offline({}, {} workers)", r.python.display(), r.workers),
            Self::Http(r) => write!(f, "Recogniser::Http({})", r.service.url),
        }
    }
}

impl Recogniser {
    /// What was said in `pcm` (16 kHz mono). The offline recogniser only
    /// knows English and only hears `phrases` (the answer is one of them,
    /// as given); the HTTP one hears anything in `language` and ignores
    /// `phrases`. An empty transcript is [`SpeechError::Unclear`].
    pub async fn transcribe(&self, pcm: &[i16], language: Language, phrases: &[String]) -> Result<String, SpeechError> {
        if pcm.is_empty() {
            return Err(SpeechError::Unclear);
        }
        let text = match self {
            Self::Offline(recogniser) => recogniser.transcribe(pcm, phrases).await?,
            Self::Http(recogniser) => recogniser.transcribe(pcm, language).await?,
        };
        match text.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => Ok(text.to_owned()),
            _ => Err(SpeechError::Unclear),
        }
    }
}

/// Text to speech.
pub enum Speaker {
    Espeak(EspeakSpeaker),
    Http(HttpSpeaker),
}

impl std::fmt::Debug for Speaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Espeak(s) => write!(f, "Speaker::Espeak({})", s.binary.display()),
            Self::Http(s) => write!(f, "Speaker::Http({})", s.service.url),
        }
    }
}

impl Speaker {
    /// `text` spoken in `language`, as 16 kHz mono PCM; at most
    /// [`MAX_SPOKEN_CHARS`] of it (see [`cut_for_speech`]).
    pub async fn speak(&self, text: &str, language: Language) -> Result<Vec<i16>, SpeechError> {
        let text = cut_for_speech(text, MAX_SPOKEN_CHARS);
        if text.is_empty() {
            return Err(SpeechError::Refused("there is no text to speak".to_owned()));
        }
        let pcm = match self {
            Self::Espeak(speaker) => speaker.speak(text, language).await?,
            Self::Http(speaker) => speaker.speak(text, language).await?,
        };
        if pcm.is_empty() {
            return Err(SpeechError::Unavailable("the speech came back empty".to_owned()));
        }
        Ok(pcm)
    }
}

/// `text`, trimmed, cut to at most `max_chars` characters: at the last end
/// of a sentence (`.`, `!`, `?`, `।`, `॥` or a line break) in the second
/// half of what fits, else at the last space, else anywhere.
pub fn cut_for_speech(text: &str, max_chars: usize) -> &str {
    let text = text.trim();
    let Some((limit, _)) = text.char_indices().nth(max_chars) else {
        return text;
    };
    let head = &text[..limit];
    let half = head.char_indices().nth(max_chars / 2).map_or(0, |(at, _)| at);
    let sentence_end = head
        .char_indices()
        .filter(|&(_, c)| matches!(c, '.' | '!' | '?' | '।' | '॥' | '\n'))
        .map(|(at, c)| at + c.len_utf8())
        .next_back()
        .filter(|&end| end > half);
    let cut = sentence_end.or_else(|| head.rfind(char::is_whitespace).filter(|&at| at > 0)).unwrap_or(limit);
    head[..cut].trim_end()
}

// ---------------------------------------------------------------------------
// Offline recognition: PocketSphinx workers.

/// PocketSphinx in a pool of Python worker processes, each decoding one
/// note at a time. A worker that dies or does not answer in time is killed;
/// the request it had fails ([`SpeechError::Unavailable`]) and the next
/// request on its slot starts a new one.
pub struct OfflineRecogniser {
    python: PathBuf,
    workers: usize,
    script: WorkerScript,
    /// One entry per worker not in use: a running worker, or `None` for one
    /// to be started.
    idle: Mutex<Vec<Option<Worker>>>,
    /// One permit per worker.
    free: Semaphore,
    next_id: AtomicU64,
    timeout: Duration,
}

/// One worker process.
struct Worker {
    /// Killed when dropped.
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

/// A request on the worker protocol.
#[derive(Serialize)]
struct WorkerRequest<'a> {
    id: u64,
    phrases: &'a [String],
    /// Little-endian 16-bit samples, base64.
    pcm: String,
}

/// An answer on the worker protocol.
#[derive(Debug, Deserialize)]
struct WorkerAnswer {
    id: Option<u64>,
    #[serde(default)]
    ok: bool,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    error: Option<String>,
    /// The worker's Python has no `pocketsphinx`.
    #[serde(default)]
    missing_module: bool,
}

impl OfflineRecogniser {
    /// Starts `workers` workers with `python` (which must have
    /// `pocketsphinx==5.1.1`) and pings each: an error says what is missing.
    pub async fn start(python: impl AsRef<Path>, workers: usize) -> anyhow::Result<Self> {
        let python = python.as_ref().to_owned();
        anyhow::ensure!((1..=64).contains(&workers), "the offline recogniser needs 1 to 64 workers, not {workers}");
        let script = WorkerScript::write()?;
        let mut starting = tokio::task::JoinSet::new();
        for _ in 0..workers {
            let (python, script) = (python.clone(), script.path().to_owned());
            starting.spawn(async move { Worker::start(&python, &script, WORKER_START).await });
        }
        let mut idle = Vec::with_capacity(workers);
        while let Some(started) = starting.join_next().await {
            idle.push(Some(started??));
        }
        Ok(Self {
            python,
            workers,
            script,
            idle: Mutex::new(idle),
            free: Semaphore::new(workers),
            next_id: AtomicU64::new(1),
            timeout: Duration::from_millis(default_timeout_ms()),
        })
    }

    /// How long one note may take (10 s unless set): the wait for a free
    /// worker and the decoding each get this long.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The phrase heard, as given in `phrases`, or `None`.
    async fn transcribe(&self, pcm: &[i16], phrases: &[String]) -> Result<Option<String>, SpeechError> {
        if phrases.is_empty() {
            return Err(SpeechError::Refused("the offline recogniser needs phrases to listen for".to_owned()));
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let bytes: Vec<u8> = pcm.iter().flat_map(|s| s.to_le_bytes()).collect();
        let request = WorkerRequest { id, phrases, pcm: STANDARD.encode(bytes) };
        let mut line = serde_json::to_vec(&request).map_err(|e| SpeechError::Refused(e.to_string()))?;
        line.push(b'\n');

        let mut lease = self.lease().await?;
        // Out of the lease while it talks: if this future is dropped
        // half-way, the worker (its pipes mid-message) is dropped and killed
        // rather than put back.
        let mut worker = lease.worker.take();
        if let Some(exited) = &mut worker
            && !exited.running()
        {
            tracing::warn!("a speech recogniser worker had exited; starting another");
            worker = None;
        }
        let mut worker = match worker {
            Some(worker) => worker,
            None => {
                self.script.ensure().map_err(|e| SpeechError::Unavailable(format!("the worker script: {e}")))?;
                Worker::start(&self.python, self.script.path(), WORKER_START)
                    .await
                    .map_err(|e| SpeechError::Unavailable(format!("{e:#}")))?
            }
        };
        let answer = match tokio::time::timeout(self.timeout, worker.ask(&line, id)).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(error)) => {
                tracing::warn!(%error, "a speech recogniser worker failed; it is restarted on the next note");
                return Err(SpeechError::Unavailable(format!("the recogniser failed: {error}")));
            }
            Err(_) => {
                tracing::warn!(
                    timeout_ms = self.timeout.as_millis() as u64,
                    "a speech recogniser worker did not answer; killed"
                );
                return Err(SpeechError::Unavailable(format!(
                    "the recogniser did not answer within {} ms",
                    self.timeout.as_millis()
                )));
            }
        };
        lease.worker = Some(worker);
        match answer.error {
            Some(error) => Err(SpeechError::Refused(error)),
            None => Ok(answer.text),
        }
    }

    /// A worker slot, waiting at most the timeout for one.
    async fn lease(&self) -> Result<Lease<'_>, SpeechError> {
        let busy = || {
            SpeechError::Unavailable(format!(
                "all {} recogniser workers stayed busy for {} ms",
                self.workers,
                self.timeout.as_millis()
            ))
        };
        let permit =
            tokio::time::timeout(self.timeout, self.free.acquire()).await.map_err(|_| busy())?.map_err(|_| busy())?;
        // A running worker if there is one; an empty slot starts one.
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        let at = idle.iter().rposition(Option::is_some).unwrap_or(idle.len().saturating_sub(1));
        let worker = if at < idle.len() { idle.swap_remove(at) } else { None };
        drop(idle);
        Ok(Lease { idle: &self.idle, worker, _permit: permit })
    }

    /// The running workers' process ids (for tests that kill one).
    #[cfg(test)]
    fn worker_pids(&self) -> Vec<u32> {
        let idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        idle.iter().flatten().filter_map(|worker| worker.child.id()).collect()
    }
}

/// A worker slot in use; put back (with its worker, or `None` for a new
/// one) when dropped, then its permit is released.
struct Lease<'a> {
    idle: &'a Mutex<Vec<Option<Worker>>>,
    worker: Option<Worker>,
    _permit: SemaphorePermit<'a>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner).push(self.worker.take());
    }
}

impl Worker {
    /// A worker answering pings.
    async fn start(python: &Path, script: &Path, wait: Duration) -> anyhow::Result<Self> {
        let mut child = super::lowered(&mut Command::new(python))
            .arg("-u")
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => anyhow::anyhow!(
                    "there is no Python at {p}: make one with `python3 -m venv <dir> && <dir>/bin/pip install \
                     {POCKETSPHINX}` and set its bin/python",
                    p = python.display()
                ),
                _ => anyhow::anyhow!("cannot start {}: {e}", python.display()),
            })?;
        let (Some(stdin), Some(stdout), Some(stderr)) = (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            anyhow::bail!("the speech worker's pipes were not made");
        };
        let pid = child.id().unwrap_or(0);
        // Its logs, and its last words should it fail to start.
        let logs = tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            let mut last = std::collections::VecDeque::new();
            while let Ok(Some(line)) = lines.next_line().await {
                tracing::warn!(pid, "{line}");
                if last.len() == 6 {
                    last.pop_front();
                }
                last.push_back(line);
            }
            last.into_iter().collect::<Vec<_>>().join(" / ")
        });
        let mut worker = Self { child, stdin, stdout: BufReader::new(stdout) };
        let ping = tokio::time::timeout(wait, worker.ask(b"{\"id\":0,\"ping\":true}\n", 0)).await;
        let failure = match ping {
            Ok(Ok(WorkerAnswer { ok: true, .. })) => return Ok(worker),
            Ok(Ok(WorkerAnswer { missing_module: true, .. })) => {
                anyhow::bail!(
                    "pocketsphinx is not installed for {p}: run `{p} -m pip install {POCKETSPHINX}`",
                    p = python.display()
                )
            }
            Ok(Ok(answer)) => format!("it answered {answer:?}"),
            Ok(Err(error)) => error,
            Err(_) => format!("no answer within {} s", wait.as_secs()),
        };
        drop(worker);
        let last_words = tokio::time::timeout(Duration::from_secs(2), logs).await.ok().and_then(Result::ok);
        anyhow::bail!(
            "the speech worker ({} {}) did not start: {failure}{}",
            python.display(),
            script.display(),
            last_words.filter(|w| !w.is_empty()).map(|w| format!("; it said: {w}")).unwrap_or_default()
        )
    }

    /// Why a worker stopped talking (`what` happened), once it has exited
    /// (or has not, 200 ms on).
    async fn gone(&mut self, what: &str) -> String {
        match tokio::time::timeout(Duration::from_millis(200), self.child.wait()).await {
            Ok(Ok(status)) => format!("the worker exited ({status}): {what}"),
            _ => format!("the worker has not exited: {what}"),
        }
    }

    fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends `line` (a request ending in a newline) and reads its answer.
    async fn ask(&mut self, line: &[u8], id: u64) -> Result<WorkerAnswer, String> {
        let sent = async {
            self.stdin.write_all(line).await?;
            self.stdin.flush().await
        };
        if let Err(e) = sent.await {
            return Err(self.gone(&format!("writing to it: {e}")).await);
        }
        let mut answer = String::new();
        let read = (&mut self.stdout).take(MAX_WORKER_ANSWER).read_line(&mut answer).await;
        match read {
            Ok(0) => return Err(self.gone("at the end of its output").await),
            Ok(_) => {}
            Err(e) => return Err(self.gone(&format!("reading its answer: {e}")).await),
        }
        if !answer.ends_with('\n') {
            return Err(format!("the worker's answer is longer than {MAX_WORKER_ANSWER} bytes"));
        }
        let answer: WorkerAnswer =
            serde_json::from_str(&answer).map_err(|e| format!("the worker's answer is not JSON ({e}): {answer}"))?;
        if answer.id != Some(id) {
            return Err(format!("the worker answered request {:?} to request {id}", answer.id));
        }
        Ok(answer)
    }
}

/// The worker script, written where Python can run it, removed when the
/// recogniser is dropped. Each recogniser writes its own file (created
/// new, never through a planted link).
struct WorkerScript(PathBuf);

impl WorkerScript {
    fn write() -> anyhow::Result<Self> {
        static WRITTEN: AtomicU64 = AtomicU64::new(0);
        let n = WRITTEN.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("mitra-pocketsphinx-worker-{}-{n}.py", std::process::id()));
        let script = Self(path);
        script.ensure().map_err(|e| anyhow::anyhow!("cannot write {}: {e}", script.0.display()))?;
        Ok(script)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// Writes the script unless it is there (a temp cleaner may remove it).
    fn ensure(&self) -> std::io::Result<()> {
        if self.0.is_file() {
            return Ok(());
        }
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&self.0)?;
        file.write_all(WORKER_SCRIPT.as_bytes())
    }
}

impl Drop for WorkerScript {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

// ---------------------------------------------------------------------------
// Offline speech: espeak-ng.

/// espeak-ng, a process per reply, writing a WAV file.
pub struct EspeakSpeaker {
    binary: PathBuf,
    speed: u32,
    timeout: Duration,
}

impl EspeakSpeaker {
    /// A speaker with `binary`, checked by running `binary --version`.
    pub async fn new(binary: impl AsRef<Path>, speed: u32, timeout: Duration) -> anyhow::Result<Self> {
        let binary = binary.as_ref().to_owned();
        anyhow::ensure!((80..=450).contains(&speed), "espeak-ng's speed is 80 to 450 words a minute, not {speed}");
        let version = Command::new(&binary).arg("--version").stdin(Stdio::null()).kill_on_drop(true).output();
        let version = tokio::time::timeout(Duration::from_secs(10), version)
            .await
            .map_err(|_| anyhow::anyhow!("{} --version did not finish in 10 s", binary.display()))?
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => anyhow::anyhow!(
                    "espeak-ng is not installed ({} not found): `apt-get install espeak-ng`",
                    binary.display()
                ),
                _ => anyhow::anyhow!("cannot run {}: {e}", binary.display()),
            })?;
        anyhow::ensure!(
            version.status.success(),
            "{} --version failed ({}): {}",
            binary.display(),
            version.status,
            String::from_utf8_lossy(&version.stderr).trim()
        );
        Ok(Self { binary, speed, timeout })
    }

    async fn speak(&self, text: &str, language: Language) -> Result<Vec<i16>, SpeechError> {
        let unavailable = SpeechError::Unavailable;
        let wav = TempWav::create().map_err(|e| unavailable(format!("a temporary file for espeak-ng: {e}")))?;
        // The text is an argument after `--`, never through a shell.
        let child = super::lowered(&mut Command::new(&self.binary))
            .args(["-v", code(language), "-s", &self.speed.to_string(), "-w"])
            .arg(&wav.0)
            .arg("--")
            .arg(text)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| unavailable(format!("cannot run {}: {e}", self.binary.display())))?;
        // A timed-out espeak-ng is killed as its child handle is dropped.
        let output = tokio::time::timeout(self.timeout, child.wait_with_output())
            .await
            .map_err(|_| unavailable(format!("espeak-ng took longer than {} ms", self.timeout.as_millis())))?
            .map_err(|e| unavailable(format!("espeak-ng: {e}")))?;
        if !output.status.success() {
            return Err(unavailable(format!(
                "espeak-ng failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        let bytes = tokio::fs::read(&wav.0).await.map_err(|e| unavailable(format!("espeak-ng's WAV: {e}")))?;
        decode_wav(bytes).await.map_err(|e| unavailable(format!("espeak-ng's WAV: {e}")))
    }
}

/// A WAV file for one reply, created new (never through a planted link),
/// removed when dropped.
struct TempWav(PathBuf);

impl TempWav {
    fn create() -> std::io::Result<Self> {
        static MADE: AtomicU64 = AtomicU64::new(0);
        let n = MADE.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("mitra-speech-{}-{n}.wav", std::process::id()));
        std::fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
        Ok(Self(path))
    }
}

impl Drop for TempWav {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Any WAV as 16 kHz mono PCM, resampled off the async threads.
async fn decode_wav(bytes: Vec<u8>) -> Result<Vec<i16>, String> {
    tokio::task::spawn_blocking(move || super::audio::wav_to_speech_pcm(&bytes))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("{e:#}"))
}

// ---------------------------------------------------------------------------
// HTTP: a Bhashini-shaped pipeline service.

/// One pipeline endpoint and how to call it.
struct PipelineService {
    client: HttpClient,
    url: hyper::Uri,
    auth: Option<(HeaderName, HeaderValue)>,
    /// `serviceId` by language code.
    service_ids: HashMap<&'static str, String>,
    timeout: Duration,
    gender: String,
}

impl PipelineService {
    fn new(config: &HttpServiceConfig) -> anyhow::Result<Self> {
        let url: hyper::Uri =
            config.url.parse().map_err(|e| anyhow::anyhow!("the speech service URL {:?}: {e}", config.url))?;
        anyhow::ensure!(
            matches!(url.scheme_str(), Some("http" | "https")) && url.host().is_some(),
            "the speech service URL {:?} is not an http(s) URL",
            config.url
        );
        // A header name without a value sends nothing (a deployment names
        // the header once and sets the key where there is one).
        let auth = match (&config.auth_header, &config.auth_value) {
            (_, None) => None,
            (name, Some(value)) => {
                let name = name.as_deref().unwrap_or("Authorization");
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|e| anyhow::anyhow!("auth_header {name:?}: {e}"))?;
                let mut value = HeaderValue::from_str(value).map_err(|e| anyhow::anyhow!("auth_value: {e}"))?;
                value.set_sensitive(true);
                Some((name, value))
            }
        };
        let mut service_ids = HashMap::new();
        for (language, id) in &config.service_ids {
            let language = language_of(language)
                .ok_or_else(|| anyhow::anyhow!("service_ids: {language:?} is not a language (en, te or hi)"))?;
            service_ids.insert(code(language), id.clone());
        }
        anyhow::ensure!(
            matches!(config.gender.as_str(), "female" | "male"),
            "gender is female or male, not {:?}",
            config.gender
        );
        Ok(Self {
            client: http_client(),
            url,
            auth,
            service_ids,
            timeout: Duration::from_millis(config.timeout_ms),
            gender: config.gender.clone(),
        })
    }

    /// A task's `config`: the language, the model if one is set, and `more`.
    fn task_config(&self, language: Language, more: Value) -> Value {
        let mut config = json!({ "language": { "sourceLanguage": code(language) } });
        if let Some(id) = self.service_ids.get(code(language)) {
            config["serviceId"] = json!(id);
        }
        if let (Value::Object(config), Value::Object(more)) = (&mut config, more) {
            config.extend(more);
        }
        config
    }

    /// Runs one pipeline request: the answer's `pipelineResponse[0]`.
    async fn run(&self, request: &Value) -> Result<Value, SpeechError> {
        let (status, body) = self.post(request).await?;
        let said = || {
            let text = String::from_utf8_lossy(&body);
            let text = text.trim();
            let end = text.char_indices().nth(200).map_or(text.len(), |(at, _)| at);
            format!("{status} from {}: {}", self.url, &text[..end])
        };
        match status {
            200..=299 => {}
            429 | 500..=599 => return Err(SpeechError::Unavailable(said())),
            _ => return Err(SpeechError::Refused(said())),
        }
        let mut answer: Value = serde_json::from_slice(&body)
            .map_err(|e| SpeechError::Refused(format!("the answer from {} is not JSON: {e}", self.url)))?;
        match answer.get_mut("pipelineResponse").and_then(|r| r.get_mut(0)) {
            Some(task) => Ok(task.take()),
            None => Err(SpeechError::Refused(format!("the answer from {} has no pipelineResponse", self.url))),
        }
    }

    /// POSTs `request` as JSON; the status and the (bounded) answer, within
    /// the timeout.
    async fn post(&self, request: &Value) -> Result<(u16, Bytes), SpeechError> {
        let body = serde_json::to_vec(request).map_err(|e| SpeechError::Refused(e.to_string()))?;
        let mut builder = hyper::Request::post(self.url.clone()).header(CONTENT_TYPE, "application/json");
        if let Some((name, value)) = &self.auth {
            builder = builder.header(name, value);
        }
        let request = builder.body(Full::new(Bytes::from(body))).map_err(|e| SpeechError::Refused(e.to_string()))?;
        exchange(&self.client, request, self.timeout, MAX_SERVICE_ANSWER)
            .await
            .map_err(|unanswered| SpeechError::Unavailable(format!("{}: {}", self.url, unanswered.error)))
    }
}

/// Recognition by a Bhashini-shaped service (`asr` task).
pub struct HttpRecogniser {
    service: Box<PipelineService>,
}

impl HttpRecogniser {
    pub fn new(config: &HttpServiceConfig) -> anyhow::Result<Self> {
        Ok(Self { service: Box::new(PipelineService::new(config)?) })
    }

    async fn transcribe(&self, pcm: &[i16], language: Language) -> Result<Option<String>, SpeechError> {
        let wav = super::audio::speech_wav(pcm);
        let config = self.service.task_config(language, json!({ "audioFormat": "wav", "samplingRate": SAMPLE_RATE }));
        let request = json!({
            "pipelineTasks": [{ "taskType": "asr", "config": config }],
            "inputData": { "audio": [{ "audioContent": STANDARD.encode(wav) }] },
        });
        let task = self.service.run(&request).await?;
        match &task["output"][0]["source"] {
            Value::String(text) => Ok(Some(text.clone())),
            Value::Null => Ok(None),
            _ => Err(SpeechError::Refused(format!(
                "the answer from {} has no pipelineResponse[0].output[0].source",
                self.service.url
            ))),
        }
    }
}

/// Speech by a Bhashini-shaped service (`tts` task).
pub struct HttpSpeaker {
    service: Box<PipelineService>,
}

impl HttpSpeaker {
    pub fn new(config: &HttpServiceConfig) -> anyhow::Result<Self> {
        Ok(Self { service: Box::new(PipelineService::new(config)?) })
    }

    async fn speak(&self, text: &str, language: Language) -> Result<Vec<i16>, SpeechError> {
        let config =
            self.service.task_config(language, json!({ "gender": self.service.gender, "samplingRate": SAMPLE_RATE }));
        let request = json!({
            "pipelineTasks": [{ "taskType": "tts", "config": config }],
            "inputData": { "input": [{ "source": text }] },
        });
        let task = self.service.run(&request).await?;
        let url = &self.service.url;
        let audio = task["audio"][0]["audioContent"].as_str().ok_or_else(|| {
            SpeechError::Refused(format!("the answer from {url} has no pipelineResponse[0].audio[0].audioContent"))
        })?;
        let wav = STANDARD
            .decode(audio.trim())
            .map_err(|e| SpeechError::Refused(format!("the audio from {url} is not base64: {e}")))?;
        decode_wav(wav).await.map_err(|e| SpeechError::Refused(format!("the audio from {url}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Instant;

    use super::super::stand_in::{self, Scripted, StandIn};
    use super::*;

    async fn serve(stand_in: Arc<StandIn>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}{}", listener.local_addr().unwrap(), stand_in::PIPELINE_PATH);
        tokio::spawn(async move { axum::serve(listener, stand_in::router(stand_in)).await.unwrap() });
        url
    }

    fn service_config(url: &str, key: Option<&str>) -> HttpServiceConfig {
        HttpServiceConfig {
            url: url.to_owned(),
            auth_header: None,
            auth_value: key.map(str::to_owned),
            service_ids: [("te".to_owned(), "ai4bharat/conformer-te".to_owned())].into(),
            timeout_ms: 2_000,
            gender: "female".to_owned(),
        }
    }

    /// `seconds` of a 300 Hz tone at 16 kHz.
    fn tone(seconds: f64) -> Vec<i16> {
        let n = (seconds * f64::from(SAMPLE_RATE)) as usize;
        (0..n).map(|i| ((i as f64 * 300.0 * std::f64::consts::TAU / 16_000.0).sin() * 8_000.0) as i16).collect()
    }

    async fn http_recogniser(stand_in: &Arc<StandIn>, key: Option<&str>, timeout_ms: u64) -> Recogniser {
        let url = serve(stand_in.clone()).await;
        let config = RecogniserConfig::Http(HttpServiceConfig { timeout_ms, ..service_config(&url, key) });
        config.build().await.unwrap()
    }

    #[tokio::test]
    async fn the_http_recogniser_returns_the_transcript_and_sends_the_note_as_bhashini_wants_it() {
        let stand_in = StandIn::new(Some("inference-key"));
        let recogniser = http_recogniser(&stand_in, Some("inference-key"), 2_000).await;
        stand_in.hear("జనన ధృవీకరణ పత్రం");
        let note = tone(1.5);
        let text = recogniser.transcribe(&note, Language::Te, &[]).await.unwrap();
        assert_eq!(text, "జనన ధృవీకరణ పత్రం");

        let requests = stand_in.requests();
        assert_eq!(requests.len(), 1);
        let task = &requests[0]["pipelineTasks"][0];
        assert_eq!(task["taskType"], "asr");
        assert_eq!(task["config"]["language"]["sourceLanguage"], "te");
        assert_eq!(task["config"]["serviceId"], "ai4bharat/conformer-te");
        assert_eq!(task["config"]["samplingRate"], 16_000);
        assert_eq!(task["config"]["audioFormat"], "wav");
        let audio = requests[0]["inputData"]["audio"][0]["audioContent"].as_str().unwrap();
        let wav = STANDARD.decode(audio).unwrap();
        assert_eq!(&wav[..4], b"RIFF");
        assert_eq!(super::super::audio::wav_to_speech_pcm(&wav).unwrap(), note);

        // Hindi has no serviceId configured: none is sent.
        stand_in.hear("जन्म प्रमाण पत्र");
        assert_eq!(recogniser.transcribe(&note, Language::Hi, &[]).await.unwrap(), "जन्म प्रमाण पत्र");
        let task = &stand_in.requests()[1]["pipelineTasks"][0];
        assert_eq!(task["config"]["language"]["sourceLanguage"], "hi");
        assert!(task["config"].get("serviceId").is_none(), "{task}");
    }

    #[tokio::test]
    async fn the_http_recogniser_tells_unavailable_from_refused_from_unclear() {
        let stand_in = StandIn::new(None);
        let recogniser = http_recogniser(&stand_in, None, 2_000).await;
        let note = tone(1.0);

        stand_in.script(Scripted::Status(503));
        let error = recogniser.transcribe(&note, Language::Te, &[]).await.unwrap_err();
        assert!(matches!(&error, SpeechError::Unavailable(said) if said.contains("503")), "{error}");
        stand_in.script(Scripted::Status(429));
        assert!(matches!(recogniser.transcribe(&note, Language::Te, &[]).await, Err(SpeechError::Unavailable(_))));
        stand_in.script(Scripted::Status(400));
        let error = recogniser.transcribe(&note, Language::Te, &[]).await.unwrap_err();
        assert!(matches!(&error, SpeechError::Refused(said) if said.contains("400")), "{error}");
        stand_in.hear("   ");
        assert_eq!(recogniser.transcribe(&note, Language::Te, &[]).await, Err(SpeechError::Unclear));
        stand_in.hear("");
        assert_eq!(recogniser.transcribe(&note, Language::Te, &[]).await, Err(SpeechError::Unclear));
        // Nothing scripted: the stand-in is down.
        assert!(matches!(recogniser.transcribe(&note, Language::Te, &[]).await, Err(SpeechError::Unavailable(_))));
        // A note the stand-in refuses as the real service would: too short.
        stand_in.hear("unused");
        let error = recogniser.transcribe(&tone(0.05), Language::Te, &[]).await.unwrap_err();
        assert!(matches!(&error, SpeechError::Refused(said) if said.contains("400")), "{error}");
        assert_eq!(recogniser.transcribe(&[], Language::Te, &[]).await, Err(SpeechError::Unclear));
    }

    #[tokio::test]
    async fn a_service_that_never_answers_is_unavailable_within_the_timeout() {
        let stand_in = StandIn::new(None);
        let recogniser = http_recogniser(&stand_in, None, 300).await;
        stand_in.script(Scripted::Hang);
        let started = Instant::now();
        let error = recogniser.transcribe(&tone(1.0), Language::Te, &[]).await.unwrap_err();
        let waited = started.elapsed();
        assert!(matches!(&error, SpeechError::Unavailable(said) if said.contains("300 ms")), "{error}");
        assert!(waited >= Duration::from_millis(300) && waited < Duration::from_millis(1_500), "{waited:?}");
        // The next note is answered.
        stand_in.hear("ఆదాయ ధృవీకరణ పత్రం");
        assert_eq!(recogniser.transcribe(&tone(1.0), Language::Te, &[]).await.unwrap(), "ఆదాయ ధృవీకరణ పత్రం");
    }

    #[tokio::test]
    async fn a_wrong_key_is_refused_and_a_closed_port_is_unavailable() {
        let stand_in = StandIn::new(Some("inference-key"));
        stand_in.hear("ఒకటి");
        let recogniser = http_recogniser(&stand_in, Some("another-key"), 2_000).await;
        let error = recogniser.transcribe(&tone(1.0), Language::Te, &[]).await.unwrap_err();
        assert!(matches!(&error, SpeechError::Refused(said) if said.contains("401")), "{error}");
        let without_key = http_recogniser(&stand_in, None, 2_000).await;
        assert!(matches!(without_key.transcribe(&tone(1.0), Language::Te, &[]).await, Err(SpeechError::Refused(_))));

        // Bound, never listening, held to the end of the test: a port bound
        // and dropped could be taken by a server another test starts.
        let closed_port = tokio::net::TcpSocket::new_v4().unwrap();
        closed_port.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let closed = format!("http://{}/services/inference/pipeline", closed_port.local_addr().unwrap());
        let recogniser = Recogniser::Http(HttpRecogniser::new(&service_config(&closed, None)).unwrap());
        let error = recogniser.transcribe(&tone(1.0), Language::Te, &[]).await.unwrap_err();
        assert!(matches!(&error, SpeechError::Unavailable(said) if said.contains("onnect")), "{error}");
    }

    #[tokio::test]
    async fn the_http_speaker_returns_the_services_audio_at_16_khz() {
        let stand_in = StandIn::new(Some("inference-key"));
        let url = serve(stand_in.clone()).await;
        let speaker = SpeakerConfig::Http(service_config(&url, Some("inference-key"))).build().await.unwrap();
        let text = "జనన ధృవీకరణ పత్రం సిద్ధంగా ఉంది";
        let pcm = speaker.speak(text, Language::Te).await.unwrap();
        // The stand-in speaks 60 ms a character at 22,050 Hz.
        let expected = text.chars().count() as f64 * 0.060 * 16_000.0;
        assert!((pcm.len() as f64 - expected).abs() < 16_000.0 * 0.02, "{} samples, not ~{expected}", pcm.len());
        assert!(pcm.iter().any(|&s| s.unsigned_abs() > 1_000), "the tone is there");
        let task = &stand_in.requests()[0]["pipelineTasks"][0];
        assert_eq!(task["taskType"], "tts");
        assert_eq!(task["config"]["gender"], "female");
        assert_eq!(task["config"]["serviceId"], "ai4bharat/conformer-te");
        assert_eq!(stand_in.requests()[0]["inputData"]["input"][0]["source"], text);

        stand_in.script(Scripted::Status(502));
        let error = speaker.speak(text, Language::Te).await.unwrap_err();
        assert!(matches!(&error, SpeechError::Unavailable(said) if said.contains("502")), "{error}");
        stand_in.script(Scripted::Status(422));
        assert!(matches!(speaker.speak(text, Language::Te).await, Err(SpeechError::Refused(_))));
        assert!(matches!(speaker.speak("  ", Language::Te).await, Err(SpeechError::Refused(_))));
    }

    async fn espeak() -> Speaker {
        SpeakerConfig::default()
            .build()
            .await
            .expect("espeak-ng must be installed for these tests (apt-get install espeak-ng)")
    }

    #[tokio::test]
    async fn espeak_speaks_english_telugu_and_hindi_at_16_khz() {
        let speaker = espeak().await;
        let pcm = speaker.speak("birth certificate", Language::En).await.unwrap();
        let seconds = pcm.len() as f64 / 16_000.0;
        assert!((0.5..3.0).contains(&seconds), "{seconds} s");
        assert!(pcm.iter().any(|&s| s.unsigned_abs() > 1_000), "it is not silence");
        for (text, language) in [("జనన ధృవీకరణ పత్రం", Language::Te), ("जन्म प्रमाण पत्र", Language::Hi)]
        {
            let pcm = speaker.speak(text, language).await.unwrap();
            let seconds = pcm.len() as f64 / 16_000.0;
            assert!((0.5..5.0).contains(&seconds), "{language:?}: {seconds} s");
        }
        // A reply starting with a dash is text, not an option.
        assert!(!speaker.speak("-v xx --help", Language::En).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_long_reply_is_cut_and_espeak_that_runs_too_long_is_killed() {
        let speaker = espeak().await;
        let sentence = "Your application for a birth certificate has been received. ";
        let long = sentence.repeat(100);
        let pcm = speaker.speak(&long, Language::En).await.unwrap();
        let seconds = pcm.len() as f64 / 16_000.0;
        // ~1,500 characters at 150 words a minute: about a minute and a half, not six.
        assert!(seconds < 150.0, "{seconds} s");

        let Speaker::Espeak(quick) = &speaker else { unreachable!() };
        let hasty = Speaker::Espeak(EspeakSpeaker::new(&quick.binary, 150, Duration::from_millis(5)).await.unwrap());
        let started = Instant::now();
        let error = hasty.speak(&long, Language::En).await.unwrap_err();
        assert!(matches!(&error, SpeechError::Unavailable(said) if said.contains("longer than 5 ms")), "{error}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn a_missing_espeak_is_a_clear_error_at_start() {
        let config = SpeakerConfig::Espeak(EspeakConfig {
            binary: PathBuf::from("/nonexistent/espeak-ng"),
            ..EspeakConfig::default()
        });
        let error = config.build().await.unwrap_err().to_string();
        assert!(error.contains("espeak-ng is not installed") && error.contains("apt-get install espeak-ng"), "{error}");
    }

    #[test]
    fn replies_are_cut_at_a_sentence_end() {
        assert_eq!(cut_for_speech("  Short.  ", 100), "Short.");
        let text = "First sentence here. Second one is longer than the rest. Third";
        assert_eq!(cut_for_speech(text, 60), "First sentence here. Second one is longer than the rest.");
        // No sentence end in the second half: at a space.
        assert_eq!(cut_for_speech("One. two three four five six seven", 20), "One. two three four");
        assert_eq!(cut_for_speech("abcdefghij", 4), "abcd");
        // Characters, not bytes; the danda ends a Hindi sentence.
        let hindi = "आपका आवेदन मिल गया है। प्रमाण पत्र जल्द ही भेजा जाएगा।";
        assert_eq!(cut_for_speech(hindi, 30), "आपका आवेदन मिल गया है।");
        assert!(cut_for_speech(&"తెలుగు ".repeat(1_000), MAX_SPOKEN_CHARS).chars().count() <= MAX_SPOKEN_CHARS);
    }

    #[test]
    fn configs_read_from_toml() {
        #[derive(Deserialize)]
        struct Voice {
            recogniser: RecogniserConfig,
            speaker: SpeakerConfig,
        }
        let voice: Voice = toml::from_str(
            r#"
            [recogniser]
            backend = "http"
            url = "https://dhruva-api.bhashini.gov.in/services/inference/pipeline"
            auth_value = "key"
            timeout_ms = 8000
            service_ids = { te = "ai4bharat/conformer-te", hi = "ai4bharat/conformer-hi" }

            [speaker]
            backend = "espeak"
            speed = 140
            "#,
        )
        .unwrap();
        let RecogniserConfig::Http(http) = &voice.recogniser else { panic!("{:?}", voice.recogniser) };
        assert_eq!((http.auth_header.as_deref(), http.timeout_ms, http.gender.as_str()), (None, 8000, "female"));
        assert_eq!(http.service_ids["hi"], "ai4bharat/conformer-hi");
        assert!(!format!("{http:?}").contains("\"key\""), "the key is not logged");
        assert_eq!(voice.speaker, SpeakerConfig::Espeak(EspeakConfig { speed: 140, ..EspeakConfig::default() }));
        let offline: RecogniserConfig = toml::from_str("backend = \"offline\"\nworkers = 2").unwrap();
        assert_eq!(offline, RecogniserConfig::Offline(OfflineConfig { workers: 2, ..OfflineConfig::default() }));
        assert!(toml::from_str::<RecogniserConfig>("backend = \"offline\"\nwokers = 2").is_err());
        assert!(toml::from_str::<RecogniserConfig>("backend = \"cloud\"").is_err());
        let bad_language = HttpServiceConfig {
            service_ids: [("ta".to_owned(), "x".to_owned())].into(),
            ..service_config("http://127.0.0.1:9/p", None)
        };
        assert!(HttpRecogniser::new(&bad_language).is_err());
        assert!(HttpRecogniser::new(&service_config("ftp://example/p", None)).is_err());
        let named_without_key = HttpServiceConfig {
            auth_header: Some("Authorization".into()),
            ..service_config("http://127.0.0.1:9/p", None)
        };
        assert!(HttpRecogniser::new(&named_without_key).is_ok());
        let bad_header =
            HttpServiceConfig { auth_header: Some("a b".into()), ..service_config("http://x/p", Some("k")) };
        assert!(HttpRecogniser::new(&bad_header).is_err());
    }

    // Offline recognition. These need a Python with pocketsphinx: the one
    // `cargo xtask test` makes at target/voice-venv, or MITRA_VOICE_PYTHON.

    fn voice_python() -> PathBuf {
        let python = std::env::var_os("MITRA_VOICE_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/voice-venv/bin/python")));
        assert!(
            python.exists(),
            "{} is missing: `cargo xtask test` makes it (python3 -m venv target/voice-venv && \
             target/voice-venv/bin/pip install pocketsphinx==5.1.1)",
            python.display()
        );
        python
    }

    async fn offline(workers: usize, timeout: Duration) -> Recogniser {
        let python = voice_python();
        let recogniser = OfflineRecogniser::start(&python, workers).await.unwrap_or_else(|e| panic!("{e:#}"));
        Recogniser::Offline(recogniser.with_timeout(timeout))
    }

    fn phrases() -> Vec<String> {
        [
            "birth certificate",
            "death certificate",
            "income certificate",
            "one",
            "two",
            "three",
            "yes",
            "no",
            "back",
            "menu",
        ]
        .map(str::to_owned)
        .to_vec()
    }

    /// `text` as espeak-ng says it, at 16 kHz.
    async fn spoken(text: &str) -> Vec<i16> {
        espeak().await.speak(text, Language::En).await.unwrap()
    }

    fn pids(recogniser: &Recogniser) -> Vec<u32> {
        let Recogniser::Offline(offline) = recogniser else { unreachable!() };
        offline.worker_pids()
    }

    fn signal(signal: &str, pid: u32) {
        let status = std::process::Command::new("kill").args([signal, &pid.to_string()]).status().unwrap();
        assert!(status.success(), "kill {signal} {pid}");
    }

    #[tokio::test]
    async fn pocketsphinx_hears_the_phrases_espeak_says() {
        let recogniser = offline(1, Duration::from_secs(10)).await;
        let phrases = phrases();
        for (said, heard) in [
            ("birth certificate", "birth certificate"),
            ("two", "two"),
            ("I need a death certificate please", "death certificate"),
        ] {
            let note = spoken(said).await;
            assert_eq!(recogniser.transcribe(&note, Language::En, &phrases).await.as_deref(), Ok(heard), "{said}");
        }
        // The phrase comes back as the caller gave it.
        let capitalised: Vec<String> = phrases.iter().map(|p| p.replace("birth", "Birth")).collect();
        let note = spoken("birth certificate").await;
        assert_eq!(recogniser.transcribe(&note, Language::En, &capitalised).await.unwrap(), "Birth certificate");
        // Words outside its dictionary (Telugu) cannot be listened for.
        let telugu = vec!["జనన ధృవీకరణ పత్రం".to_owned()];
        assert!(matches!(recogniser.transcribe(&note, Language::Te, &telugu).await, Err(SpeechError::Refused(_))));
        assert!(matches!(recogniser.transcribe(&note, Language::En, &[]).await, Err(SpeechError::Refused(_))));
    }

    #[tokio::test]
    async fn noise_is_unclear_or_a_phrase_and_breaks_nothing() {
        let recogniser = offline(1, Duration::from_secs(10)).await;
        let phrases = phrases();
        let mut state = 0x2545_f491_u32;
        let noise: Vec<i16> = (0..32_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state >> 16) as i16 / 4
            })
            .collect();
        match recogniser.transcribe(&noise, Language::En, &phrases).await {
            Err(SpeechError::Unclear) => {}
            Ok(text) => assert!(phrases.contains(&text), "{text}"),
            Err(other) => panic!("{other}"),
        }
        assert!(matches!(
            recogniser.transcribe(&vec![0; 16_000], Language::En, &phrases).await,
            Err(SpeechError::Unclear)
        ));
        let note = spoken("yes").await;
        assert_eq!(recogniser.transcribe(&note, Language::En, &phrases).await.unwrap(), "yes");
    }

    #[tokio::test]
    async fn a_killed_worker_is_restarted() {
        let recogniser = offline(1, Duration::from_secs(10)).await;
        let phrases = phrases();
        let note = spoken("birth certificate").await;
        assert_eq!(recogniser.transcribe(&note, Language::En, &phrases).await.unwrap(), "birth certificate");

        // Killed while idle: the next note starts another worker and is heard.
        let [first] = pids(&recogniser)[..] else { panic!("one worker") };
        signal("-KILL", first);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(recogniser.transcribe(&note, Language::En, &phrases).await.unwrap(), "birth certificate");
        let [second] = pids(&recogniser)[..] else { panic!("one worker") };
        assert_ne!(first, second);

        // Killed half-way through a note: that note fails at once, the next is heard.
        signal("-STOP", second);
        let killer = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            signal("-KILL", second);
        });
        let started = Instant::now();
        let error = recogniser.transcribe(&note, Language::En, &phrases).await.unwrap_err();
        assert!(matches!(&error, SpeechError::Unavailable(said) if said.contains("exited")), "{error}");
        assert!(started.elapsed() < Duration::from_secs(5));
        killer.await.unwrap();
        assert_eq!(recogniser.transcribe(&note, Language::En, &phrases).await.unwrap(), "birth certificate");
    }

    #[tokio::test]
    async fn a_worker_that_does_not_answer_is_killed_and_replaced() {
        let recogniser = offline(1, Duration::from_millis(1_000)).await;
        let phrases = phrases();
        let note = spoken("two").await;
        let [stopped] = pids(&recogniser)[..] else { panic!("one worker") };
        signal("-STOP", stopped);
        let started = Instant::now();
        let error = recogniser.transcribe(&note, Language::En, &phrases).await.unwrap_err();
        assert!(matches!(&error, SpeechError::Unavailable(said) if said.contains("1000 ms")), "{error}");
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(recogniser.transcribe(&note, Language::En, &phrases).await.unwrap(), "two");
        let [now] = pids(&recogniser)[..] else { panic!("one worker") };
        assert_ne!(now, stopped);
        // The stopped worker was killed, not left behind.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let state = std::fs::read_to_string(format!("/proc/{stopped}/stat")).unwrap_or_default();
        let state = state.rsplit(')').next().unwrap_or("").trim_start();
        assert!(state.is_empty() || state.starts_with('Z'), "{stopped} is still there: {state}");
    }

    #[tokio::test]
    async fn a_pool_of_workers_decodes_notes_side_by_side() {
        let recogniser = offline(2, Duration::from_secs(10)).await;
        assert_eq!(pids(&recogniser).len(), 2);
        let phrases = phrases();
        let (yes, no) = (spoken("yes").await, spoken("three").await);
        let (a, b, c) = tokio::join!(
            recogniser.transcribe(&yes, Language::En, &phrases),
            recogniser.transcribe(&no, Language::En, &phrases),
            recogniser.transcribe(&yes, Language::En, &phrases),
        );
        assert_eq!((a.unwrap(), b.unwrap(), c.unwrap()), ("yes".to_owned(), "three".to_owned(), "yes".to_owned()));
        assert_eq!(pids(&recogniser).len(), 2);
    }

    #[tokio::test]
    async fn a_python_without_pocketsphinx_is_a_clear_error_at_start() {
        let python = voice_python();
        // The same Python without its site-packages.
        let dir = std::env::temp_dir().join(format!("mitra-speech-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bare = dir.join("python-without-site");
        let python = std::fs::canonicalize(&python).unwrap_or(python);
        std::fs::write(&bare, format!("#!/bin/sh\nexec '{}' -S \"$@\"\n", python.display())).unwrap();
        std::process::Command::new("chmod").arg("+x").arg(&bare).status().unwrap();
        let error = format!("{:#}", OfflineRecogniser::start(&bare, 1).await.err().expect("no pocketsphinx"));
        assert!(
            error.contains("pocketsphinx is not installed for") && error.contains("pip install pocketsphinx==5.1.1"),
            "{error}"
        );

        let error = format!("{:#}", OfflineRecogniser::start("/nonexistent/python", 1).await.err().unwrap());
        assert!(error.contains("there is no Python at /nonexistent/python"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
