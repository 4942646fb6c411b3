//! `voice`: what hearing and speaking cost on this machine, one step at a
//! time, warm: decoding a voice note (per second of audio), the offline
//! recogniser (PocketSphinx in its worker, per second of audio, over the
//! phrases a menu offers), and a spoken reply (espeak-ng, resampled and
//! encoded as a voice note) for a short answer and for a read-out list.
//!
//! The notes are espeak-ng's speech encoded by the host's own encoder, as in
//! the integration tests. Needs `target/voice-venv` (`cargo xtask test` or
//! `cargo xtask serve` makes it) or MITRA_VOICE_PYTHON.
//!
//! Run: `cargo bench -p mitra-tests --bench voice -- [--rounds 30]`

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use mitra::runtime::Language;
use mitra::voice::audio;
use mitra::voice::speech::{EspeakConfig, OfflineConfig, RecogniserConfig, SpeakerConfig};

#[derive(Parser, Debug)]
struct Args {
    /// Times each step is measured (after one warm-up).
    #[arg(long, default_value_t = 30)]
    rounds: usize,
    // `cargo bench` passes `--bench`.
    #[arg(long, hide = true)]
    bench: bool,
}

/// What a citizen says, and what the recogniser listens for.
const SAID: &[&str] = &["birth certificate", "two", "old age pension", "property tax", "no", "menu"];

fn summary(name: &str, mut times: Vec<Duration>, per: Option<(f64, &str)>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p50 = ms(times[times.len() / 2]);
    let p90 = ms(times[(times.len() * 9 / 10).min(times.len() - 1)]);
    match per {
        Some((units, unit)) => {
            println!("{name:<44} p50 {p50:>7.2} ms  p90 {p90:>7.2} ms  ({:.2} ms per {unit})", p50 / units)
        }
        None => println!("{name:<44} p50 {p50:>7.2} ms  p90 {p90:>7.2} ms"),
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> anyhow::Result<()> {
    let python = std::env::var_os("MITRA_VOICE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/voice-venv/bin/python")));
    let recogniser =
        RecogniserConfig::Offline(OfflineConfig { python, workers: 1, ..OfflineConfig::default() }).build().await?;
    let speaker = SpeakerConfig::Espeak(EspeakConfig::default()).build().await?;
    let mut phrases: Vec<String> = SAID.iter().map(|s| s.to_string()).collect();
    phrases.extend(
        ["one", "three", "four", "five", "yes", "back", "help", "death certificate", "income certificate", "water tap"]
            .map(str::to_owned),
    );

    // A ten-second note: the phrases one after another.
    let long: Vec<i16> = SAID.iter().cycle().take(8).flat_map(|w| mitra_tests::espeak_pcm("en", w)).collect();
    let seconds = long.len() as f64 / audio::RATE as f64;
    let note = audio::encode_voice_note(&long)?;
    let mut times = Vec::new();
    for _ in 0..=args.rounds {
        let started = Instant::now();
        std::hint::black_box(audio::decode_voice_note(&note)?);
        times.push(started.elapsed());
    }
    summary(&format!("decode a {seconds:.1} s voice note"), times, Some((seconds, "audio second")));

    let mut times = Vec::new();
    for _ in 0..=args.rounds {
        let started = Instant::now();
        std::hint::black_box(audio::encode_voice_note(&long)?);
        times.push(started.elapsed());
    }
    summary(&format!("encode {seconds:.1} s as a voice note"), times, Some((seconds, "audio second")));

    // Recognition, note by note (each a phrase), warm.
    let notes: Vec<(String, Vec<i16>)> =
        SAID.iter().map(|w| (w.to_string(), mitra_tests::espeak_pcm("en", w))).collect();
    let audio_seconds: f64 = notes.iter().map(|(_, pcm)| pcm.len() as f64 / audio::RATE as f64).sum();
    let _ = recogniser.transcribe(&notes[0].1, Language::En, &phrases).await;
    let mut times = Vec::new();
    let mut right = 0;
    for round in 0..args.rounds {
        let (words, pcm) = &notes[round % notes.len()];
        let started = Instant::now();
        let heard = recogniser.transcribe(pcm, Language::En, &phrases).await;
        times.push(started.elapsed());
        right += usize::from(heard.as_deref() == Ok(words.as_str()));
    }
    let mean_seconds = audio_seconds / notes.len() as f64;
    summary(
        &format!("recognise a {mean_seconds:.1} s note offline ({right}/{} right)", args.rounds),
        times,
        Some((mean_seconds, "audio second")),
    );

    // Spoken replies: a short answer and a list read out with its numbers.
    let short = "I heard: birth certificate. If that is wrong, say no.";
    let list = "Pick a department, or type what you need. Say 1 for Revenue. Say 2 for Municipal Administration. \
        Say 3 for Civil Supplies. Say 4 for Energy. Say 5 for Agriculture. Say 6 for Endowments. \
        Say 7 for APSRTC. Say 8 for Anna Canteens. Say 9 for More. Say 10 for My applications.";
    for (name, text, language) in [
        ("speak a short reply (en)", short, Language::En),
        ("speak the department menu (en)", list, Language::En),
        ("speak a short reply (te)", "నేను విన్నది: జనన ధృవీకరణ పత్రం. అది తప్పైతే, కాదు అని చెప్పండి.", Language::Te),
    ] {
        let mut times = Vec::new();
        let mut length = 0.0;
        for _ in 0..=args.rounds {
            let started = Instant::now();
            let pcm = speaker.speak(text, language).await?;
            let note = audio::encode_voice_note(&pcm)?;
            times.push(started.elapsed());
            length = pcm.len() as f64 / audio::RATE as f64;
            std::hint::black_box(note);
        }
        summary(&format!("{name}: {length:.1} s of speech"), times, None);
    }
    Ok(())
}
