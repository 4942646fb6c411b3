//! Voice for citizens who cannot read: a WhatsApp voice note is fetched,
//! decoded to 16 kHz mono and recognised; replies are spoken and encoded as
//! voice notes.
//!
//! - `audio`: the Ogg/Opus voice-note codec (libopus), WAV in, resampling.
//! - `speech`: speech to text and text to speech, each behind one interface
//!   with an offline backend (PocketSphinx in grammar mode; espeak-ng) and an
//!   HTTP one in the shape of India's public speech services (Bhashini).
//! - `stand_in`: a local Bhashini-shaped service for tests and the demo.
//!
//! The conversation's side (what a transcript means, "I heard: …", reading
//! lists out) is in [`crate::chat::voice`]. Voice work is CPU-heavy next to a
//! chat turn (tens of milliseconds a note), so it runs off the async workers
//! on a few permits of its own, at a lower CPU priority (decoding and
//! encoding on the certificates' press, the recogniser's workers and
//! espeak-ng niced like it): a burst of voice notes queues here and leaves
//! the text pipeline its cores.

pub mod audio;
pub mod speech;
pub mod stand_in;

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::channel::graph::{GraphConfig, HttpClient, http_client};
use crate::channel::media::{self, MAX_AUDIO, MediaError};
use crate::runtime::Language;
pub use speech::{Recogniser, Speaker, SpeechError};

/// The shortest voice note worth recognising (a quarter of a second).
const MIN_SAMPLES: usize = audio::RATE as usize / 4;

/// Why a voice note gave no words.
#[derive(Debug, thiserror::Error)]
pub enum Unheard {
    /// Nothing the recogniser could make out.
    #[error("nothing could be made out")]
    Unclear,
    /// Meta's media service or the speech service is down: try again later.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Not a voice note that can be played (not Ogg/Opus, corrupt, too long).
    #[error("cannot be played: {0}")]
    Unplayable(String),
}

/// The speech backends a host serves voice with, and the bound on voice
/// work running at once.
pub struct Speech {
    recogniser: Recogniser,
    speaker: Speaker,
    /// Voice notes decoded, recognised, spoken or encoded at once.
    work: Semaphore,
}

impl std::fmt::Debug for Speech {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Speech").field("permits", &self.work.available_permits()).finish_non_exhaustive()
    }
}

impl Speech {
    /// `recogniser` and `speaker`, `concurrency` voice notes worked on at once.
    pub fn new(recogniser: Recogniser, speaker: Speaker, concurrency: usize) -> Arc<Self> {
        Arc::new(Speech { recogniser, speaker, work: Semaphore::new(concurrency.max(1)) })
    }
}

/// Hearing and speaking in the chat: [`Speech`] with the Graph API the
/// voice notes are fetched from.
#[derive(Debug)]
pub struct Voice {
    speech: Arc<Speech>,
    client: HttpClient,
    graph: GraphConfig,
}

impl Voice {
    /// Voice through `speech`, fetching notes from the Graph API `graph` names.
    pub fn new(speech: Arc<Speech>, graph: GraphConfig) -> Arc<Self> {
        Arc::new(Voice { speech, client: http_client(), graph })
    }

    /// The words of voice note `media_id` (its webhook `sha256` checked),
    /// spoken in `language`; `phrases` are what the offline recogniser
    /// listens for.
    pub async fn hear(
        &self,
        media_id: &str,
        sha256: Option<&str>,
        language: Language,
        phrases: &[String],
    ) -> Result<String, Unheard> {
        let note =
            media::download(&self.client, &self.graph, media_id, sha256, MAX_AUDIO).await.map_err(|e| match e {
                MediaError::Unavailable(e) => Unheard::Unavailable(e),
                MediaError::Refused(e) => Unheard::Unplayable(e),
            })?;
        let _permit = self.speech.work.acquire().await.map_err(|_| Unheard::Unavailable("voice is stopping".into()))?;
        let pcm = crate::certificates::press::run(move || audio::decode_voice_note(&note.bytes))
            .await
            .map_err(|e| Unheard::Unplayable(format!("decoding stopped: {e:#}")))?
            .map_err(|e| Unheard::Unplayable(e.to_string()))?;
        if pcm.len() < MIN_SAMPLES {
            return Err(Unheard::Unclear);
        }
        self.speech.recogniser.transcribe(&pcm, language, phrases).await.map_err(|e| match e {
            SpeechError::Unclear => Unheard::Unclear,
            SpeechError::Unavailable(e) | SpeechError::Refused(e) => Unheard::Unavailable(e),
        })
    }

    /// `text` spoken in `language`, as a voice note (Ogg/Opus).
    pub async fn speak(&self, text: &str, language: Language) -> Result<Vec<u8>, SpeechError> {
        let _permit =
            self.speech.work.acquire().await.map_err(|_| SpeechError::Unavailable("voice is stopping".into()))?;
        let pcm = self.speech.speaker.speak(text, language).await?;
        crate::certificates::press::run(move || audio::encode_voice_note(&pcm))
            .await
            .map_err(|e| SpeechError::Refused(format!("encoding stopped: {e:#}")))?
            .map_err(|e| SpeechError::Refused(format!("encoding a voice note: {e:#}")))
    }
}

/// `command` to start at the press's lower CPU priority (nice 10): the
/// recogniser's workers and espeak-ng take the cores the chat leaves.
pub(crate) fn lowered(command: &mut tokio::process::Command) -> &mut tokio::process::Command {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority is async-signal-safe and touches no memory; it runs
    // in the child between fork and exec.
    unsafe {
        command.pre_exec(|| {
            libc::setpriority(libc::PRIO_PROCESS, 0, crate::certificates::press::NICE);
            Ok(())
        });
    }
    command
}
