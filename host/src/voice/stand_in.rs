//! A local stand-in for a Bhashini-shaped speech service, for tests and
//! the local demo: `POST /services/inference/pipeline` with one `asr` or
//! `tts` task, checked as the real service checks it (the task, a language
//! among en/te/hi, 16 kHz, a WAV note of 16-bit mono 16 kHz audio of at
//! least 0.1 s, a non-empty text to speak), 400 with a JSON error
//! otherwise, and 401 without the inference key when one is set.
//!
//! What it answers is scripted: each recognition takes the next
//! [`Scripted`] outcome (503 when none is left: nothing to hear is a service
//! that is down). Speech is a tone 60 ms a character long (30 s at most),
//! as a 22,050 Hz WAV as Bhashini's voices are (not the rate asked: a
//! client reads the rate from the WAV), unless a failure (a status or a
//! hang) is next in the script, which it then takes. Every request is kept
//! for tests to look at.

use std::collections::VecDeque;
use std::io::Cursor;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

/// Where the stand-in answers, as Bhashini's inference endpoint.
pub const PIPELINE_PATH: &str = "/services/inference/pipeline";

/// The largest request read (a minute's note is ~2.6 MB of base64).
const MAX_REQUEST: usize = 32 * 1024 * 1024;
/// The rate of the speech it answers.
const SPEECH_RATE: u32 = 22_050;
/// How long each character of a text to speak sounds.
const MS_PER_CHAR: u64 = 60;
/// The longest speech it answers.
const MAX_SPEECH_MS: u64 = 30_000;

/// What the next request is answered with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scripted {
    /// Recognition hears this (speech takes it as "answer normally").
    Transcript(String),
    /// An answer with this status and a JSON error.
    Status(u16),
    /// No answer ever (for timeouts).
    Hang,
}

/// The stand-in's key, script and what it was sent.
#[derive(Debug, Default)]
pub struct StandIn {
    /// The inference key every request must carry in `Authorization`, if any.
    pub key: Option<String>,
    /// Scripted outcomes, the next first.
    pub outcomes: Mutex<VecDeque<Scripted>>,
    /// Every request's JSON body (or the text of one that is not JSON), in order.
    pub requests: Mutex<Vec<Value>>,
}

impl StandIn {
    /// A stand-in with nothing scripted, requiring `key` if one is given.
    pub fn new(key: Option<&str>) -> Arc<Self> {
        Arc::new(Self { key: key.map(str::to_owned), ..Self::default() })
    }

    /// The next recognition hears `text`.
    pub fn hear(&self, text: impl Into<String>) {
        self.script(Scripted::Transcript(text.into()));
    }

    /// Adds `outcome` to the script.
    pub fn script(&self, outcome: Scripted) {
        self.outcomes.lock().unwrap_or_else(PoisonError::into_inner).push_back(outcome);
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The next outcome for recognition.
    fn next(&self) -> Option<Scripted> {
        self.outcomes.lock().unwrap_or_else(PoisonError::into_inner).pop_front()
    }

    /// The next outcome for speech: a scripted failure, taken, or `None`
    /// to answer normally.
    fn next_failure(&self) -> Option<Scripted> {
        let mut outcomes = self.outcomes.lock().unwrap_or_else(PoisonError::into_inner);
        match outcomes.front() {
            Some(Scripted::Status(_) | Scripted::Hang) => outcomes.pop_front(),
            _ => None,
        }
    }
}

/// `POST /services/inference/pipeline`.
pub fn router(state: Arc<StandIn>) -> Router {
    Router::new().route(PIPELINE_PATH, post(pipeline)).layer(DefaultBodyLimit::max(MAX_REQUEST)).with_state(state)
}

/// A checked request.
#[derive(Debug, PartialEq)]
enum Task {
    Asr { language: String },
    Tts { language: String, text: String },
}

async fn pipeline(State(stand_in): State<Arc<StandIn>>, headers: HeaderMap, body: Bytes) -> Response {
    let request: Option<Value> = serde_json::from_slice(&body).ok();
    let kept = request.clone().unwrap_or_else(|| Value::String(String::from_utf8_lossy(&body).into_owned()));
    stand_in.requests.lock().unwrap_or_else(PoisonError::into_inner).push(kept);

    if let Some(key) = &stand_in.key
        && headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) != Some(key.as_str())
    {
        return error(StatusCode::UNAUTHORIZED, "a valid inference API key is required in Authorization");
    }
    let task = match request.ok_or_else(|| "the body is not JSON".to_owned()).and_then(|r| check(&r)) {
        Ok(task) => task,
        Err(why) => return error(StatusCode::BAD_REQUEST, &why),
    };
    match task {
        Task::Asr { language } => match stand_in.next() {
            Some(Scripted::Transcript(text)) => axum::Json(json!({
                "pipelineResponse": [{
                    "taskType": "asr",
                    "config": { "language": { "sourceLanguage": language } },
                    "output": [{ "source": text }],
                    "audio": null,
                }]
            }))
            .into_response(),
            Some(failure) => fail(failure).await,
            None => error(StatusCode::SERVICE_UNAVAILABLE, "nothing scripted to hear"),
        },
        Task::Tts { language, text } => match stand_in.next_failure() {
            Some(failure) => fail(failure).await,
            None => axum::Json(json!({
                "pipelineResponse": [{
                    "taskType": "tts",
                    "config": {
                        "language": { "sourceLanguage": language },
                        "audioFormat": "wav",
                        "encoding": "base64",
                        "samplingRate": SPEECH_RATE,
                    },
                    "output": null,
                    "audio": [{ "audioContent": STANDARD.encode(tone_for(&text)), "audioUri": null }],
                }]
            }))
            .into_response(),
        },
    }
}

/// A scripted status (as a JSON error) or hang.
async fn fail(failure: Scripted) -> Response {
    match failure {
        Scripted::Status(status) => {
            error(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), "scripted failure")
        }
        Scripted::Hang => std::future::pending().await,
        Scripted::Transcript(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "a transcript is not a failure"),
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "detail": { "message": message } }))).into_response()
}

/// The request's one task, checked.
fn check(request: &Value) -> Result<Task, String> {
    let tasks = request["pipelineTasks"].as_array().ok_or("pipelineTasks must be a list")?;
    let [task] = &tasks[..] else {
        return Err(format!("the stand-in runs one task, not {}", tasks.len()));
    };
    let config = &task["config"];
    let language = config["language"]["sourceLanguage"].as_str().ok_or("config.language.sourceLanguage is required")?;
    if !matches!(language, "en" | "te" | "hi") {
        return Err(format!("sourceLanguage {language:?} is not served (en, te, hi)"));
    }
    if !matches!(config.get("serviceId"), None | Some(Value::String(_))) {
        return Err("serviceId must be a string".into());
    }
    let rate = config.get("samplingRate");
    match task["taskType"].as_str() {
        Some("asr") => {
            if rate.and_then(Value::as_u64) != Some(16_000) {
                return Err(format!("samplingRate must be 16000, not {}", rate.unwrap_or(&Value::Null)));
            }
            if config["audioFormat"] != "wav" {
                return Err(format!("audioFormat must be \"wav\", not {}", config["audioFormat"]));
            }
            let audio = request["inputData"]["audio"][0]["audioContent"]
                .as_str()
                .ok_or("inputData.audio[0].audioContent is required")?;
            let wav = STANDARD.decode(audio).map_err(|e| format!("audioContent is not base64: {e}"))?;
            check_wav(&wav)?;
            Ok(Task::Asr { language: language.to_owned() })
        }
        Some("tts") => {
            if rate.is_some_and(|rate| rate.as_u64() != Some(16_000)) {
                return Err(format!("samplingRate must be 16000, not {}", rate.unwrap_or(&Value::Null)));
            }
            if !matches!(config.get("gender").and_then(Value::as_str), None | Some("female" | "male")) {
                return Err(format!("gender must be female or male, not {}", config["gender"]));
            }
            let text = request["inputData"]["input"][0]["source"].as_str().unwrap_or("").trim();
            if text.is_empty() {
                return Err("inputData.input[0].source must be text to speak".into());
            }
            Ok(Task::Tts { language: language.to_owned(), text: text.to_owned() })
        }
        other => Err(format!("taskType {other:?} is not asr or tts")),
    }
}

/// A RIFF/WAVE file of 16-bit mono 16 kHz PCM, at least 0.1 s long.
fn check_wav(wav: &[u8]) -> Result<(), String> {
    if wav.len() < 12 || &wav[..4] != b"RIFF" || &wav[8..12] != b"WAVE" {
        return Err("audioContent is not a RIFF/WAVE file".into());
    }
    let reader = hound::WavReader::new(Cursor::new(wav)).map_err(|e| format!("audioContent: {e}"))?;
    let spec = reader.spec();
    if spec.sample_format != hound::SampleFormat::Int || spec.bits_per_sample != 16 {
        return Err(format!(
            "the audio must be 16-bit PCM, not {} bits {:?}",
            spec.bits_per_sample, spec.sample_format
        ));
    }
    if spec.channels != 1 || spec.sample_rate != 16_000 {
        return Err(format!(
            "the audio must be mono at 16000 Hz, not {} channels at {}",
            spec.channels, spec.sample_rate
        ));
    }
    if reader.duration() < 1_600 {
        return Err(format!("the audio is {} ms long; at least 100 ms is needed", u64::from(reader.duration()) / 16));
    }
    Ok(())
}

/// A 22,050 Hz WAV of a tone as long as `text` takes to say.
fn tone_for(text: &str) -> Vec<u8> {
    let ms = (text.chars().count() as u64 * MS_PER_CHAR).min(MAX_SPEECH_MS);
    let samples = ms * u64::from(SPEECH_RATE) / 1_000;
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: SPEECH_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut wav = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut wav, spec).expect("a WAV header in memory");
    for i in 0..samples {
        let t = i as f64 / f64::from(SPEECH_RATE);
        let sample = (t * 220.0 * std::f64::consts::TAU).sin() * 8_000.0;
        writer.write_sample(sample as i16).expect("writes to memory");
    }
    writer.finalize().expect("writes to memory");
    wav.into_inner()
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;

    use super::*;

    fn wav(rate: u32, channels: u16, seconds: f64) -> String {
        let spec = hound::WavSpec {
            channels,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut wav = Cursor::new(Vec::new());
        let mut writer = hound::WavWriter::new(&mut wav, spec).unwrap();
        for i in 0..(f64::from(rate) * seconds) as usize * usize::from(channels) {
            writer.write_sample((i % 100) as i16 * 50).unwrap();
        }
        writer.finalize().unwrap();
        STANDARD.encode(wav.into_inner())
    }

    fn asr(language: &str, audio: &str) -> Value {
        json!({
            "pipelineTasks": [{ "taskType": "asr", "config": {
                "language": { "sourceLanguage": language }, "audioFormat": "wav", "samplingRate": 16000 } }],
            "inputData": { "audio": [{ "audioContent": audio }] },
        })
    }

    fn tts(language: &str, text: &str) -> Value {
        json!({
            "pipelineTasks": [{ "taskType": "tts", "config": {
                "language": { "sourceLanguage": language }, "gender": "female", "samplingRate": 16000 } }],
            "inputData": { "input": [{ "source": text }] },
        })
    }

    async fn send(stand_in: &Arc<StandIn>, key: Option<&str>, body: &Value) -> (u16, Value) {
        let mut request = axum::http::Request::post(PIPELINE_PATH).header(header::CONTENT_TYPE, "application/json");
        if let Some(key) = key {
            request = request.header(header::AUTHORIZATION, key);
        }
        let request = request.body(Body::from(body.to_string())).unwrap();
        let response = router(stand_in.clone()).oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    #[tokio::test]
    async fn recognition_answers_the_script_in_order_then_503() {
        let stand_in = StandIn::new(None);
        stand_in.hear("జనన ధృవీకరణ పత్రం");
        stand_in.script(Scripted::Status(429));
        stand_in.hear("two");
        let note = wav(16_000, 1, 0.5);
        let (status, answer) = send(&stand_in, None, &asr("te", &note)).await;
        assert_eq!((status, &answer["pipelineResponse"][0]["output"][0]["source"]), (200, &json!("జనన ధృవీకరణ పత్రం")));
        assert_eq!(send(&stand_in, None, &asr("te", &note)).await.0, 429);
        let (status, answer) = send(&stand_in, None, &asr("en", &note)).await;
        assert_eq!((status, answer["pipelineResponse"][0]["output"][0]["source"].as_str()), (200, Some("two")));
        assert_eq!(send(&stand_in, None, &asr("en", &note)).await.0, 503);
        assert_eq!(stand_in.requests().len(), 4);
        assert_eq!(stand_in.requests()[2]["pipelineTasks"][0]["config"]["language"]["sourceLanguage"], "en");
    }

    #[tokio::test]
    async fn requests_of_the_wrong_shape_are_400_and_take_nothing_from_the_script() {
        let stand_in = StandIn::new(None);
        stand_in.hear("yes");
        let good = wav(16_000, 1, 0.5);
        let mut wrong_rate = asr("te", &good);
        wrong_rate["pipelineTasks"][0]["config"]["samplingRate"] = json!(8000);
        let mut wrong_format = asr("te", &good);
        wrong_format["pipelineTasks"][0]["config"]["audioFormat"] = json!("flac");
        let mut wrong_task = asr("te", &good);
        wrong_task["pipelineTasks"][0]["taskType"] = json!("translation");
        for (bad, why) in [
            (asr("ta", &good), "sourceLanguage"),
            (wrong_rate, "samplingRate"),
            (wrong_format, "audioFormat"),
            (wrong_task, "taskType"),
            (asr("te", "not base64!"), "base64"),
            (asr("te", &STANDARD.encode(b"ID3 an mp3, say")), "RIFF"),
            (asr("te", &wav(8_000, 1, 0.5)), "16000"),
            (asr("te", &wav(16_000, 2, 0.5)), "mono"),
            (asr("te", &wav(16_000, 1, 0.05)), "100 ms"),
            (tts("te", "  "), "source"),
            (json!({ "pipelineTasks": [] }), "one task"),
        ] {
            let (status, answer) = send(&stand_in, None, &bad).await;
            let message = answer["detail"]["message"].as_str().unwrap_or_default();
            assert_eq!(status, 400, "{bad}");
            assert!(message.contains(why), "{message} lacks {why}");
        }
        let (status, answer) = send(&stand_in, None, &asr("te", &good)).await;
        assert_eq!((status, answer["pipelineResponse"][0]["output"][0]["source"].as_str()), (200, Some("yes")));
    }

    #[tokio::test]
    async fn speech_is_a_tone_as_long_as_the_text_unless_a_failure_is_scripted() {
        let stand_in = StandIn::new(None);
        let (status, answer) = send(&stand_in, None, &tts("hi", "नमस्ते")).await;
        assert_eq!(status, 200);
        let audio = answer["pipelineResponse"][0]["audio"][0]["audioContent"].as_str().unwrap();
        let reader = hound::WavReader::new(Cursor::new(STANDARD.decode(audio).unwrap())).unwrap();
        assert_eq!((reader.spec().sample_rate, reader.spec().channels), (22_050, 1));
        assert_eq!(reader.duration(), 6 * 60 * 22_050 / 1_000, "six characters, 60 ms each");
        let long = send(&stand_in, None, &tts("en", &"a".repeat(5_000))).await.1;
        let audio = STANDARD.decode(long["pipelineResponse"][0]["audio"][0]["audioContent"].as_str().unwrap()).unwrap();
        assert_eq!(hound::WavReader::new(Cursor::new(audio)).unwrap().duration(), 30 * 22_050);

        stand_in.script(Scripted::Status(500));
        stand_in.hear("kept for recognition");
        assert_eq!(send(&stand_in, None, &tts("te", "ఒకటి")).await.0, 500);
        assert_eq!(send(&stand_in, None, &tts("te", "ఒకటి")).await.0, 200);
        // The transcript scripted first is still there for recognition.
        let (_, answer) = send(&stand_in, None, &asr("te", &wav(16_000, 1, 0.2))).await;
        assert_eq!(answer["pipelineResponse"][0]["output"][0]["source"], "kept for recognition");
    }

    #[tokio::test]
    async fn a_key_is_required_when_one_is_set() {
        let stand_in = StandIn::new(Some("inference-key"));
        stand_in.hear("yes");
        let note = asr("en", &wav(16_000, 1, 0.2));
        assert_eq!(send(&stand_in, None, &note).await.0, 401);
        assert_eq!(send(&stand_in, Some("another-key"), &note).await.0, 401);
        assert_eq!(send(&stand_in, Some("inference-key"), &note).await.0, 200);
        assert_eq!(stand_in.requests().len(), 3, "refused requests are kept too");
    }

    #[tokio::test]
    async fn a_scripted_hang_never_answers() {
        let stand_in = StandIn::new(None);
        stand_in.script(Scripted::Hang);
        let note = asr("en", &wav(16_000, 1, 0.2));
        let answer = tokio::time::timeout(std::time::Duration::from_millis(200), send(&stand_in, None, &note)).await;
        assert!(answer.is_err(), "it answered {answer:?}");
    }
}
