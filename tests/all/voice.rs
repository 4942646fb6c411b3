//! Voice notes heard and replies spoken, through the real webhook and the
//! municipal plugin. The audio is nobody's typing: espeak-ng speaks the
//! words, the host's encoder makes the WhatsApp voice note a phone would
//! send, the fake Graph API holds it, and the host downloads it (`GET
//! /{media-id}`, then the file with the token), decodes it and hears it with
//! PocketSphinx. Spoken replies are espeak-ng's, encoded, uploaded and sent
//! as `audio`, and checked by Xiph's own `opusinfo`. The HTTP speech service
//! (a Bhashini-shaped stand-in) down, slow and refusing is told to the
//! citizen, whose conversation stays where it was.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use mitra::channel::fake_graph::{FakeGraph, UploadedMedia};
use mitra::channel::graph::GraphConfig;
use mitra::channel::simulator::VOICE_NOTE_TYPE;
use mitra::channel::webhook::WebhookConfig;
use mitra::runtime::Catalog;
use mitra::store::Store;
use mitra::voice::speech::{EspeakConfig, HttpServiceConfig, OfflineConfig, RecogniserConfig, SpeakerConfig};
use mitra::voice::stand_in::{self, Scripted, StandIn};
use mitra::voice::{Speech, audio};
use mitra::web::{AppState, host};
use serde_json::{Value, json};
use sha2::Digest as _;

use crate::conversation::{Harness, SECRET, message, start_fake, tap, text};
use crate::support::runtime;

struct VoiceHost {
    h: Harness,
    _tmp: tempfile::TempDir,
    _runtime: mitra::runtime::Runtime,
}

/// A host serving the municipal plugin (and its simulated registry) with
/// voice through `recogniser` and `speaker`.
async fn start(recogniser: RecogniserConfig, speaker: SpeakerConfig) -> VoiceHost {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let (fake, graph_url) = start_fake().await;
    let backend = mitra_tests::start_backend("municipal").await;
    let plugin = mitra_tests::with_backend(mitra_tests::department("municipal"), backend);
    let rt = runtime();
    let loader = rt.clone();
    let catalog = Arc::new(Catalog::new());
    catalog.publish(Arc::new(tokio::task::spawn_blocking(move || loader.load(plugin)).await.unwrap().unwrap()));
    let speech = Speech::new(recogniser.build().await.unwrap(), speaker.build().await.unwrap(), 2);
    let webhook = WebhookConfig { verify_token: "v".into(), app_secret: SECRET.into() };
    let graph = GraphConfig { base_url: graph_url, token: "t".into(), rate_per_number: 1000, ..Default::default() };
    let app = host(AppState::new(catalog, store).with_voice(Some(speech)), webhook, graph);
    VoiceHost { h: Harness { app, fake }, _tmp: tmp, _runtime: rt }
}

/// The Python with PocketSphinx that `cargo xtask test` makes.
pub(crate) fn voice_python() -> PathBuf {
    let python = std::env::var_os("MITRA_VOICE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/voice-venv/bin/python")));
    assert!(
        python.exists(),
        "{} is missing: `cargo xtask test` makes the voice venv with PocketSphinx",
        python.display()
    );
    python
}

fn offline() -> RecogniserConfig {
    RecogniserConfig::Offline(OfflineConfig { python: voice_python(), workers: 1, ..OfflineConfig::default() })
}

fn espeak() -> SpeakerConfig {
    SpeakerConfig::Espeak(EspeakConfig::default())
}

/// An `audio` message for a voice note of `bytes` the citizen's phone
/// uploaded (kept by the fake Graph API), as Meta's webhook carries it.
fn voice_message(fake: &FakeGraph, wa: &str, bytes: Vec<u8>) -> Value {
    let sha256 = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&bytes));
    let id = fake.store_media(UploadedMedia {
        phone_number_id: String::new(),
        mime_type: VOICE_NOTE_TYPE.into(),
        filename: None,
        bytes,
    });
    message(wa, "audio", json!({ "mime_type": VOICE_NOTE_TYPE, "sha256": sha256, "id": id, "voice": true }))
}

/// `words` said in English, as the voice note a phone sends.
fn said(fake: &FakeGraph, wa: &str, words: &str) -> Value {
    voice_message(fake, wa, audio::encode_voice_note(&mitra_tests::espeak_pcm("en", words)).unwrap())
}

fn body_text(reply: &Value) -> String {
    reply["text"]["body"].as_str().or(reply["interactive"]["body"]["text"].as_str()).unwrap_or_default().to_owned()
}

/// The spoken reply among `replies` (the last one): sent as a voice note
/// by media id; the uploaded file passes `opusinfo` (Xiph's checker) as a
/// mono Opus stream and lasts about as long as `at_least` seconds or more.
fn check_spoken(fake: &FakeGraph, replies: &[Value], at_least: f64) -> Vec<u8> {
    let last = replies.last().unwrap();
    assert_eq!(last["type"], "audio", "the turn ends with its spoken reply: {replies:#?}");
    assert_eq!(last["audio"]["voice"], true, "{last}");
    assert!(last.get("mitra_speak").is_none(), "what to speak never reaches Meta: {last}");
    let id = last["audio"]["id"].as_str().unwrap();
    let media = fake.media.lock().unwrap().get(id).cloned().expect("the voice note was uploaded");
    assert_eq!(media.mime_type, "audio/ogg");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reply.ogg");
    std::fs::write(&file, &media.bytes).unwrap();
    let info =
        Command::new("opusinfo").arg(&file).output().expect("opusinfo runs (`cargo xtask test` installs opus-tools)");
    let shown = String::from_utf8_lossy(&info.stdout);
    assert!(info.status.success(), "opusinfo refused the spoken reply: {shown}");
    assert!(shown.contains("Channels: 1"), "{shown}");
    let seconds = audio::decode_voice_note(&media.bytes).unwrap().len() as f64 / audio::RATE as f64;
    assert!(seconds >= at_least, "the spoken reply lasts {seconds:.1} s, under {at_least} s");
    media.bytes
}

#[tokio::test(flavor = "multi_thread")]
async fn a_spoken_birth_certificate_then_a_spoken_number_reach_the_service_with_spoken_replies() {
    let host = start(offline(), espeak()).await;
    let (h, wa) = (&host.h, "919700000001");

    // The first message is a voice note: heard, searched as if typed, the
    // results shown, and all of it spoken back.
    let replies = h.say(wa, said(&h.fake, wa, "birth certificate"), 4).await;
    let heard = body_text(&replies[0]);
    assert!(heard.contains("I heard:") && heard.contains("birth certificate"), "{heard}");
    assert_eq!(replies[0]["interactive"]["action"]["buttons"][0]["reply"]["id"], "heard:no", "No is one tap away");
    let results = replies.iter().find(|r| r["interactive"]["type"] == "list").expect("the search results");
    let rows = crate::conversation::row_ids(results);
    assert_eq!(rows[0], "svc:municipal/birth-certificate", "{rows:?}");
    check_spoken(&h.fake, &replies, 4.0);

    // "Number one", as the spoken list says to: the first row, as a typed
    // "1" or a tap would pick it.
    let replies = h.say(wa, said(&h.fake, wa, "number one"), 4).await;
    assert!(body_text(&replies[0]).contains("*1*"), "{}", body_text(&replies[0]));
    assert!(body_text(&replies[1]).contains("You chose: *Birth certificate*"), "{}", body_text(&replies[1]));
    let details = replies.iter().find(|r| body_text(r).contains("Fee:")).expect("the service's details");
    let buttons: Vec<&str> = details["interactive"]["action"]["buttons"]
        .as_array()
        .map(|b| b.iter().filter_map(|b| b["reply"]["id"].as_str()).collect())
        .unwrap_or_default();
    assert!(buttons.contains(&"start:municipal/birth-certificate"), "{buttons:?}");
    check_spoken(&h.fake, &replies, 3.0);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_to_what_was_heard_goes_back_and_voice_replies_turn_off_and_on_from_the_language_menu() {
    let host = start(offline(), espeak()).await;
    let (h, wa) = (&host.h, "919700000002");
    h.say(wa, text(wa, "hi"), 1).await;
    // Where voice is served the language menu is a list with a voice row.
    h.say(wa, tap(wa, "lang:en", false), 2).await;
    let replies = h.say(wa, said(&h.fake, wa, "death certificate"), 3).await;
    assert!(body_text(&replies[0]).contains("death certificate"), "{}", body_text(&replies[0]));

    // Tapped No: back at the menu, asked to say it again, spoken too.
    let replies = h.say(wa, tap(wa, "heard:no", false), 3).await;
    assert!(body_text(&replies[0]).contains("say it again"), "{replies:#?}");
    assert!(body_text(&replies[1]).contains("Pick a department"), "back where the citizen was: {replies:#?}");
    check_spoken(&h.fake, &replies, 2.0);

    // The language menu turns spoken replies off, then on again.
    let menu = h.say(wa, text(wa, "language"), 2).await;
    assert_eq!(menu[0]["interactive"]["type"], "list");
    let rows = crate::conversation::row_ids(&menu[0]);
    assert_eq!(rows, ["lang:en", "lang:te", "lang:hi", "voice:off"], "{menu:#?}");
    let replies = h.say(wa, tap(wa, "voice:off", true), 2).await;
    assert!(body_text(&replies[0]).contains("Voice replies are off"), "{replies:#?}");
    assert!(replies.iter().all(|r| r["type"] != "audio"), "nothing spoken once off: {replies:#?}");
    let replies = h.say(wa, text(wa, "menu"), 1).await;
    assert_eq!(replies[0]["interactive"]["type"], "list");
    let menu = h.say(wa, text(wa, "language"), 1).await;
    assert_eq!(crate::conversation::row_ids(&menu[0]).last().map(String::as_str), Some("voice:on"));
    let replies = h.say(wa, tap(wa, "voice:on", true), 3).await;
    assert!(body_text(&replies[0]).contains("Voice replies are on"), "{replies:#?}");
    check_spoken(&h.fake, &replies, 2.0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_voice_note_that_cannot_be_fetched_or_played_is_answered_in_words_and_speech() {
    let host = start(offline(), espeak()).await;
    let (h, wa) = (&host.h, "919700000003");
    h.say(wa, text(wa, "hi"), 1).await;
    h.say(wa, tap(wa, "lang:en", false), 2).await;

    // Not an Ogg/Opus file.
    let replies = h.say(wa, voice_message(&h.fake, wa, b"RIFF....WAVEnot really".to_vec()), 2).await;
    assert!(body_text(&replies[0]).contains("could not be played"), "{replies:#?}");
    check_spoken(&h.fake, &replies, 2.0);

    // A media id Meta does not know (expired or made up).
    let mut unknown = said(&h.fake, wa, "pension");
    unknown["audio"]["id"] = "999999999".into();
    let replies = h.say(wa, unknown, 2).await;
    assert!(body_text(&replies[0]).contains("could not be played"), "{replies:#?}");

    // A file that is not the one the webhook's SHA-256 names.
    let mut swapped = said(&h.fake, wa, "pension");
    swapped["audio"]["sha256"] = base64::engine::general_purpose::STANDARD.encode([7u8; 32]).into();
    let replies = h.say(wa, swapped, 2).await;
    assert!(body_text(&replies[0]).contains("could not be played"), "{replies:#?}");

    // A cough: too short to hear anything.
    let cough = audio::encode_voice_note(&vec![1200i16; 1600]).unwrap();
    let replies = h.say(wa, voice_message(&h.fake, wa, cough), 2).await;
    assert!(body_text(&replies[0]).contains("could not make out"), "{replies:#?}");

    // And the conversation goes on where it was.
    let replies = h.say(wa, text(wa, "menu"), 2).await;
    assert!(body_text(&replies[0]).contains("Pick a department"), "{replies:#?}");
}

/// A host whose speech service is the Bhashini-shaped stand-in on loopback.
async fn with_speech_service(stand_in: Arc<StandIn>, timeout_ms: u64) -> VoiceHost {
    let router = stand_in::router(stand_in);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}{}", listener.local_addr().unwrap(), stand_in::PIPELINE_PATH);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let service = HttpServiceConfig {
        url,
        auth_header: Some("Authorization".into()),
        auth_value: Some("test-inference-key".into()),
        service_ids: [("te".to_owned(), "ai4bharat/conformer-te".to_owned())].into(),
        timeout_ms,
        gender: "female".into(),
    };
    start(RecogniserConfig::Http(service.clone()), SpeakerConfig::Http(service)).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_speech_service_down_slow_or_refusing_is_told_and_the_next_note_is_heard_in_telugu() {
    let stand_in = StandIn::new(Some("test-inference-key"));
    let host = with_speech_service(stand_in.clone(), 400).await;
    let (h, wa) = (&host.h, "919700000004");
    h.say(wa, text(wa, "hi"), 1).await;
    h.say(wa, tap(wa, "lang:te", false), 2).await;
    let note = || {
        voice_message(&h.fake, wa, audio::encode_voice_note(&mitra_tests::espeak_pcm("te", "జనన ధృవీకరణ పత్రం")).unwrap())
    };

    for (failure, why) in [
        (Scripted::Status(503), "down"),
        (Scripted::Hang, "slower than the timeout"),
        (Scripted::Status(500), "failing"),
        (Scripted::Status(429), "overloaded"),
    ] {
        stand_in.script(failure);
        let started = std::time::Instant::now();
        let replies = h.say(wa, note(), 2).await;
        let told = body_text(&replies[0]);
        assert!(told.contains("వాయిస్ సందేశాలను అర్థం చేసుకోలేకపోతున్నాం"), "{why}: the citizen is told, in Telugu: {told}");
        assert!(started.elapsed() < Duration::from_secs(8), "{why}: answered in {:?}", started.elapsed());
        assert_eq!(replies[1]["type"], "audio", "{why}: and it is spoken");
    }
    // A refusal (the service does not take what was sent) is told the same way.
    stand_in.script(Scripted::Status(400));
    let replies = h.say(wa, note(), 2).await;
    assert!(body_text(&replies[0]).contains("వాయిస్"), "{replies:#?}");

    // The service is back: the same words are heard and searched, and the
    // request was the pipeline's: Telugu, the model asked for, a 16 kHz WAV.
    stand_in.hear("జనన ధృవీకరణ పత్రం");
    let replies = h.say(wa, note(), 3).await;
    assert!(body_text(&replies[0]).contains("జనన ధృవీకరణ పత్రం"), "{replies:#?}");
    let results = replies.iter().find(|r| r["interactive"]["type"] == "list").expect("the search results");
    assert_eq!(crate::conversation::row_ids(results)[0], "svc:municipal/birth-certificate");
    check_spoken(&h.fake, &replies, 1.0);
    let asked = stand_in.requests();
    let recognitions: Vec<&Value> = asked.iter().filter(|r| r["pipelineTasks"][0]["taskType"] == "asr").collect();
    assert_eq!(recognitions.len(), 6, "one request per note, none retried behind the citizen's back");
    let last = recognitions.last().unwrap();
    let config = &last["pipelineTasks"][0]["config"];
    assert_eq!(config["language"]["sourceLanguage"], "te");
    assert_eq!(config["serviceId"], "ai4bharat/conformer-te");
    assert_eq!(config["samplingRate"], 16000);
    let wav = base64::engine::general_purpose::STANDARD
        .decode(last["inputData"]["audio"][0]["audioContent"].as_str().unwrap())
        .unwrap();
    let reader = hound::WavReader::new(std::io::Cursor::new(wav)).unwrap();
    assert_eq!((reader.spec().sample_rate, reader.spec().channels, reader.spec().bits_per_sample), (16000, 1, 16));
    let speeches: Vec<&Value> = asked.iter().filter(|r| r["pipelineTasks"][0]["taskType"] == "tts").collect();
    assert!(speeches.iter().all(|r| r["pipelineTasks"][0]["config"]["language"]["sourceLanguage"] == "te"));
}
