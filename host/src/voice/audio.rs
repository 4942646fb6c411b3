//! The audio codec layer for WhatsApp voice notes.
//!
//! WhatsApp voice notes are Ogg streams of Opus packets (RFC 7845). Speech
//! recognisers take 16 kHz mono PCM, and spoken replies are made at 16 kHz, so
//! everything here meets at [`RATE`]:
//!
//! - [`decode_voice_note`] turns an incoming note into 16 kHz mono samples.
//!   libopus decodes any Opus stream straight at 16 kHz and folds stereo into
//!   mono itself, so no resampler is involved.
//! - [`encode_voice_note`] turns a spoken reply into a note WhatsApp shows with
//!   its voice-note icon (Ogg/Opus, mono, VoIP application, 20 ms frames).
//! - [`wav_to_speech_pcm`] reads what a speech synthesiser wrote (espeak-ng's
//!   22,050 Hz WAV, or a TTS service's WAV at any rate) and resamples it to
//!   16 kHz with rubato's FFT resampler.
//! - [`speech_wav`] wraps 16 kHz PCM as a WAV for HTTP speech services.
//!
//! Incoming notes come from anyone who can message the number, so decoding
//! refuses garbage with an [`AudioError`] instead of panicking, and stops
//! decoding a note longer than [`MAX_SECONDS`].

use std::borrow::Cow;
use std::io::{self, Cursor};

use anyhow::{Context as _, bail};
use ogg::{OggReadError, PacketReader, PacketWriteEndInfo, PacketWriter};
use opus::{Application, Bitrate, Channels, Signal};
use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

/// The sample rate speech recognisers take and spoken replies are made at.
pub const RATE: u32 = 16_000;

/// Longest voice note decoded (seconds); longer ones are refused (a hostile
/// 16 MB note must not cost minutes of CPU).
pub const MAX_SECONDS: u32 = 120;

/// Why an incoming voice note could not be turned into speech samples.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// The bytes are not an Ogg stream whose first logical stream is Opus that
    /// this decoder handles (mono or stereo).
    #[error("not an Ogg Opus voice note: {0}")]
    NotOggOpus(String),
    /// An Ogg Opus note that is damaged: truncated, failing its checksums, or
    /// holding packets libopus refuses.
    #[error("damaged voice note: {0}")]
    Corrupt(String),
    /// The note's audio lasts longer than [`MAX_SECONDS`].
    #[error("voice note lasts {seconds} s; at most {max} s are listened to", max = MAX_SECONDS)]
    TooLong {
        /// The note's length, rounded up to whole seconds.
        seconds: u32,
    },
    /// No bytes, or a well-formed note holding no audio.
    #[error("voice note holds no audio")]
    Empty,
    /// libopus could not set up a decoder (not the note's fault).
    #[error("Opus decoder: {0}")]
    Codec(String),
}

/// Ogg Opus granule positions and pre-skip count samples at 48 kHz, whatever
/// rate the stream is decoded at: this many of them per sample at [`RATE`].
const GRANULES_PER_SAMPLE: u64 = 48_000 / RATE as u64;

/// The longest Opus packet (120 ms) in samples at [`RATE`].
const MAX_PACKET_SAMPLES: usize = RATE as usize * 120 / 1000;

/// Encoded frame length: 20 ms at [`RATE`], Opus's usual frame for speech.
const FRAME: usize = RATE as usize / 50;

/// Voice notes are speech; at 24 kb/s (3 kB a second) libopus codes 16 kHz
/// speech as wideband SILK, clear enough for listening and recognition.
const BITRATE: i32 = 24_000;

/// libopus complexity (0–10). Measured on 10 s of espeak-ng speech (release
/// build, 2 cores; the `speed` test): 2 encodes in ~40 ms at 10.8 dB
/// waveform SNR, 5 in ~55 ms at 11.2 dB, 8–10 in ~75 ms at 11.2 dB. 5 gets
/// all of the quality that shows at this bitrate, still ~180× real time.
const COMPLEXITY: i32 = 5;

/// The largest packet libopus makes from one 20 ms frame (RFC 6716 §3.4).
const MAX_PACKET_BYTES: usize = 1275;

/// Ogg stream serial of the notes made here. Any value is valid in a
/// single-stream file; a fixed one makes the output deterministic.
const SERIAL: u32 = 0x6d69_7472; // "mitr"

/// Audio packets per Ogg page: one second, as opusenc does, so a player can
/// seek and show progress without a page per packet's overhead.
const PACKETS_PER_PAGE: usize = 50;

/// WAV sample rates accepted from a synthesiser. Outside this a header is
/// more likely broken than real, and a 1 Hz "rate" would make the resampler
/// produce 16,000 samples per input sample.
const WAV_RATES: std::ops::RangeInclusive<u32> = 4_000..=384_000;

/// Decodes a WhatsApp voice note (Ogg pages of Opus packets; mono or stereo;
/// any Opus input rate) to 16 kHz mono i16 PCM.
///
/// The encoder's pre-skip is trimmed from the start and the end is cut at the
/// last page's granule position, so the result has the recorded length.
/// Notes longer than [`MAX_SECONDS`] are refused with [`AudioError::TooLong`]
/// once that much audio is decoded; the rest is only counted, from the Opus
/// packets' headers, so the error can say how long the note is.
pub fn decode_voice_note(bytes: &[u8]) -> Result<Vec<i16>, AudioError> {
    decode_limited(bytes, MAX_SECONDS as usize * RATE as usize)
}

/// [`decode_voice_note`] with the length limit in samples at [`RATE`], so tests
/// can probe the limit without minutes of audio.
fn decode_limited(bytes: &[u8], max_samples: usize) -> Result<Vec<i16>, AudioError> {
    if bytes.is_empty() {
        return Err(AudioError::Empty);
    }
    let mut reader = PacketReader::new(Cursor::new(bytes));
    let first = match reader.read_packet() {
        Ok(Some(packet)) => packet,
        Ok(None) | Err(OggReadError::NoCapturePatternFound) => {
            return Err(AudioError::NotOggOpus("no Ogg page found".into()));
        }
        Err(e) => return Err(AudioError::Corrupt(format!("the first Ogg page is unreadable: {}", describe(&e)))),
    };
    let head = OpusHead::parse(&first.data)?;
    let mut packets = StreamPackets { reader, serial: first.stream_serial(), ended: first.last_in_stream() };
    let tags = packets.next()?.ok_or_else(|| AudioError::Corrupt("it ends after its OpusHead".into()))?;
    if !tags.data.starts_with(b"OpusTags") {
        return Err(AudioError::Corrupt("its second packet is not OpusTags".into()));
    }

    let mut decoder = opus::Decoder::new(RATE, Channels::Mono).map_err(|e| AudioError::Codec(e.to_string()))?;
    // RFC 7845 §5.1: players apply the header's output gain.
    decoder.set_gain(i32::from(head.gain)).map_err(|e| AudioError::Codec(e.to_string()))?;

    // Samples at RATE before the audio starts: the encoder's lookahead.
    let skip = usize::from(head.pre_skip) / GRANULES_PER_SAMPLE as usize;
    // Decode a little past the limit, so a note exactly MAX_SECONDS long whose
    // last packet runs past its end still passes; beyond this only count.
    let decode_cap = skip + max_samples + MAX_PACKET_SAMPLES;
    let mut pcm: Vec<i16> = Vec::new();
    let mut frame = [0i16; MAX_PACKET_SAMPLES];
    // Samples the packets hold (pre-skip included), decoded or just counted.
    let mut held: usize = 0;
    let mut end_granule: Option<u64> = None;
    let mut index = 0usize;
    while let Some(packet) = packets.next()? {
        index += 1;
        // u64::MAX ("-1") marks a page on which no packet ends; not ours.
        if packet.absgp_page() != u64::MAX {
            end_granule = Some(packet.absgp_page());
        }
        if packet.data.is_empty() {
            // Not an Opus packet (they have at least a TOC byte). Handing
            // libopus an empty slice would ask it to conceal a lost packet,
            // inventing audio, so it is skipped.
            continue;
        }
        if held <= decode_cap {
            let n = decoder
                .decode(&packet.data, &mut frame, false)
                .map_err(|e| AudioError::Corrupt(format!("audio packet {index} does not decode: {e}")))?;
            pcm.extend_from_slice(frame.get(..n).unwrap_or(&frame));
            held += n;
        } else {
            // The note will be refused; reading packet headers still tells
            // its length for the message, at no decoding cost.
            let n = opus::packet::get_nb_samples(&packet.data, RATE)
                .map_err(|e| AudioError::Corrupt(format!("audio packet {index} is malformed: {e}")))?;
            held = held.saturating_add(n);
        }
    }

    // RFC 7845 §4.5: the last granule position is where the audio ends,
    // counted from the start of decoding (pre-skip included); the final
    // packet's frame usually runs past it. A granule promising more audio
    // than the packets hold is ignored.
    let end = match end_granule {
        Some(granule) => held.min(usize::try_from(granule / GRANULES_PER_SAMPLE).unwrap_or(usize::MAX)),
        None => held,
    };
    let len = end.saturating_sub(skip);
    if len > max_samples {
        return Err(AudioError::TooLong { seconds: u32::try_from(len.div_ceil(RATE as usize)).unwrap_or(u32::MAX) });
    }
    if len == 0 {
        return Err(AudioError::Empty);
    }
    pcm.truncate(end);
    pcm.drain(..skip.min(pcm.len()));
    Ok(pcm)
}

/// The fields of an identification header (RFC 7845 §5.1) decoding needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OpusHead {
    /// Samples at 48 kHz to drop from the start of the decoded audio.
    pre_skip: u16,
    /// Output gain in Q7.8 dB.
    gain: i16,
}

impl OpusHead {
    /// Reads the first packet of a stream, refusing what is not Opus and the
    /// surround layouts (more than two channels, or several Opus streams) that
    /// a plain Opus decoder cannot take and no phone records.
    fn parse(packet: &[u8]) -> Result<Self, AudioError> {
        if !packet.starts_with(b"OpusHead") {
            return Err(AudioError::NotOggOpus("its first packet is not an OpusHead".into()));
        }
        let Some(h) = packet.first_chunk::<19>() else {
            return Err(AudioError::Corrupt(format!("its OpusHead is {} bytes, under 19", packet.len())));
        };
        let version = h[8];
        // The upper four bits are the major version; only 0 is defined.
        if version >> 4 != 0 {
            return Err(AudioError::NotOggOpus(format!("Ogg Opus version {version} is not supported")));
        }
        let channels = h[9];
        if channels == 0 {
            return Err(AudioError::Corrupt("its OpusHead says 0 channels".into()));
        }
        let pre_skip = u16::from_le_bytes([h[10], h[11]]);
        let gain = i16::from_le_bytes([h[16], h[17]]);
        match (h[18], channels) {
            (0, 1 | 2) => {}
            (0, _) => {
                return Err(AudioError::Corrupt(format!("mapping family 0 allows 2 channels, it says {channels}")));
            }
            // Family 1 with one or two channels is family 0 with a mapping
            // table; it is a plain Opus stream when the table says one stream.
            (1, 1 | 2) => match packet.get(19..21) {
                Some(&[1, coupled]) if coupled == channels - 1 => {}
                Some(_) => return Err(AudioError::NotOggOpus("multistream Opus is not supported".into())),
                None => return Err(AudioError::Corrupt("its OpusHead lacks its channel mapping table".into())),
            },
            (1, _) => return Err(AudioError::NotOggOpus(format!("{channels}-channel surround is not a voice note"))),
            (family, _) => {
                return Err(AudioError::NotOggOpus(format!("channel mapping family {family} is not supported")));
            }
        }
        Ok(Self { pre_skip, gain })
    }
}

/// The packets of one logical stream of an Ogg file, up to its end-of-stream
/// flag. Packets of other logical streams multiplexed in are skipped.
struct StreamPackets<'a> {
    reader: PacketReader<Cursor<&'a [u8]>>,
    serial: u32,
    ended: bool,
}

impl StreamPackets<'_> {
    fn next(&mut self) -> Result<Option<ogg::Packet>, AudioError> {
        while !self.ended {
            let packet = match self.reader.read_packet() {
                Ok(Some(packet)) => packet,
                // The ogg crate ends the stream quietly when the bytes stop at
                // a page boundary (or inside a page header), so a note cut
                // there reads as a shorter note; a cut inside a page is an
                // error below.
                Ok(None) => return Ok(None),
                Err(e) => return Err(AudioError::Corrupt(describe(&e))),
            };
            if packet.stream_serial() == self.serial {
                self.ended = packet.last_in_stream();
                return Ok(Some(packet));
            }
        }
        Ok(None)
    }
}

/// A reader's error in words a person reporting a broken note can use.
fn describe(error: &OggReadError) -> String {
    match error {
        OggReadError::ReadError(e) if e.kind() == io::ErrorKind::UnexpectedEof => "it is truncated".into(),
        OggReadError::HashMismatch(..) => "an Ogg page fails its checksum".into(),
        other => format!("bad Ogg structure ({other})"),
    }
}

/// Encodes 16 kHz mono PCM as a voice note WhatsApp plays with its voice-note
/// icon: Ogg/Opus, mono, VoIP application, 24 kb/s, 20 ms frames.
///
/// The output is deterministic (fixed stream serial, no timestamps), which
/// keeps tests and caches simple.
pub fn encode_voice_note(pcm: &[i16]) -> anyhow::Result<Vec<u8>> {
    if pcm.is_empty() {
        bail!("no audio to encode as a voice note");
    }
    let (pre_skip, packets) = encode_packets(pcm, COMPLEXITY)?;
    let head = opus_head(pre_skip, 1);
    // The audio ends `len` samples after the pre-skip (RFC 7845 §4.5).
    let end_granule = u64::from(pre_skip) + pcm.len() as u64 * GRANULES_PER_SAMPLE;
    write_ogg_opus(&head, &packets, end_granule).context("writing the Ogg pages")
}

/// Encodes PCM as 20 ms Opus packets; returns them with the pre-skip (48 kHz
/// samples) a decoder must drop to undo the encoder's lookahead.
fn encode_packets(pcm: &[i16], complexity: i32) -> anyhow::Result<(u16, Vec<Vec<u8>>)> {
    let mut encoder =
        opus::Encoder::new(RATE, Channels::Mono, Application::Voip).context("creating the Opus encoder")?;
    encoder.set_bitrate(Bitrate::Bits(BITRATE)).context("setting the Opus bitrate")?;
    encoder.set_complexity(complexity).context("setting the Opus complexity")?;
    // Replies are speech: keep libopus from switching to its music mode.
    encoder.set_signal(Signal::Voice).context("setting the Opus signal type")?;
    let lookahead = usize::try_from(encoder.get_lookahead().context("reading the Opus lookahead")?)?;
    let pre_skip = u16::try_from(lookahead * GRANULES_PER_SAMPLE as usize).context("Opus lookahead too long")?;

    // The lookahead delays the audio by that many samples, so feed zeros
    // until the real signal's end has come out, in whole frames.
    let frames = (pcm.len() + lookahead).div_ceil(FRAME);
    let mut padded = pcm.to_vec();
    padded.resize(frames * FRAME, 0);
    let mut buffer = [0u8; MAX_PACKET_BYTES];
    let packets = padded
        .chunks_exact(FRAME)
        .map(|frame| {
            let len = encoder.encode(frame, &mut buffer).context("Opus encoding")?;
            Ok(buffer.get(..len).context("Opus packet longer than its buffer")?.to_vec())
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok((pre_skip, packets))
}

/// An identification header (RFC 7845 §5.1) for a 16 kHz Opus stream with
/// mapping family 0.
fn opus_head(pre_skip: u16, channels: u8) -> Vec<u8> {
    let mut head = b"OpusHead".to_vec();
    head.push(1); // version
    head.push(channels);
    head.extend_from_slice(&pre_skip.to_le_bytes());
    head.extend_from_slice(&RATE.to_le_bytes()); // input sample rate, informational
    head.extend_from_slice(&0i16.to_le_bytes()); // output gain
    head.push(0); // mapping family: mono or stereo, no table
    head
}

/// A comment header (RFC 7845 §5.2) naming this program and nothing else.
fn opus_tags() -> Vec<u8> {
    const VENDOR: &[u8] = b"mitra";
    let mut tags = b"OpusTags".to_vec();
    tags.extend_from_slice(&(VENDOR.len() as u32).to_le_bytes());
    tags.extend_from_slice(VENDOR);
    tags.extend_from_slice(&0u32.to_le_bytes()); // no user comments
    tags
}

/// Lays out an Ogg Opus file as RFC 7845 §3 asks: the identification header
/// alone on the first page, the comment header on its own page(s), then the
/// 20 ms audio packets with granule positions in 48 kHz samples, the last
/// carrying `end_granule` and the end-of-stream flag.
fn write_ogg_opus(head: &[u8], packets: &[Vec<u8>], end_granule: u64) -> io::Result<Vec<u8>> {
    let mut writer = PacketWriter::new(Vec::new());
    writer.write_packet(head, SERIAL, PacketWriteEndInfo::EndPage, 0)?;
    let tags = opus_tags();
    let tags_end = if packets.is_empty() { PacketWriteEndInfo::EndStream } else { PacketWriteEndInfo::EndPage };
    writer.write_packet(tags.as_slice(), SERIAL, tags_end, 0)?;
    let granules_per_packet = FRAME as u64 * GRANULES_PER_SAMPLE;
    for (i, packet) in packets.iter().enumerate() {
        let count = i + 1;
        let (granule, end) = if count == packets.len() {
            (end_granule, PacketWriteEndInfo::EndStream)
        } else if count % PACKETS_PER_PAGE == 0 {
            (count as u64 * granules_per_packet, PacketWriteEndInfo::EndPage)
        } else {
            (count as u64 * granules_per_packet, PacketWriteEndInfo::NormalPacket)
        };
        writer.write_packet(packet.as_slice(), SERIAL, end, granule)?;
    }
    Ok(writer.into_inner())
}

/// Reads WAV bytes (espeak-ng's output file at 22,050 Hz, or a TTS service's
/// WAV at any rate, 8/16/24/32-bit int or 32-bit float, mono or stereo) to
/// 16 kHz mono i16.
///
/// Channels are averaged. A streamed WAV whose header declares a placeholder
/// data length (espeak-ng `--stdout`, many HTTP services) is read up to where
/// its bytes end.
pub fn wav_to_speech_pcm(bytes: &[u8]) -> anyhow::Result<Vec<i16>> {
    let bytes = clamp_wav_data_length(bytes);
    let mut reader = hound::WavReader::new(Cursor::new(bytes.as_ref())).context("reading the WAV header")?;
    let spec = reader.spec();
    if !WAV_RATES.contains(&spec.sample_rate) {
        bail!("WAV sample rate {} Hz is outside {}–{} Hz", spec.sample_rate, WAV_RATES.start(), WAV_RATES.end());
    }
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.samples::<f32>().collect::<Result<_, _>>(),
        hound::SampleFormat::Int => {
            // hound gives n-bit samples as ±2^(n-1); 8-bit WAV's unsigned
            // offset is already removed.
            let scale = 1.0 / 2f32.powi(i32::from(spec.bits_per_sample) - 1);
            reader.samples::<i32>().map(|s| s.map(|s| s as f32 * scale)).collect()
        }
    }
    .context("reading the WAV samples")?;
    let channels = usize::from(spec.channels).max(1);
    let mono: Vec<f32> = interleaved
        .chunks_exact(channels)
        .map(|frame| {
            let mean = frame.iter().sum::<f32>() / channels as f32;
            // NaN or infinity in a float WAV would smear over the whole
            // signal in the FFT resampler.
            if mean.is_finite() { mean } else { 0.0 }
        })
        .collect();
    if mono.is_empty() {
        bail!("the WAV holds no audio");
    }
    let resampled = resample_to_rate(&mono, spec.sample_rate)?;
    Ok(resampled.iter().map(|&x| (x * 32_768.0).round().clamp(-32_768.0, 32_767.0) as i16).collect())
}

/// Resamples a mono signal to [`RATE`] in one pass (the whole reply is in
/// memory); the resampler's delay is trimmed, so the output is
/// `ceil(len × RATE / from)` samples aligned with the input.
fn resample_to_rate(mono: &[f32], from: u32) -> anyhow::Result<Vec<f32>> {
    if from == RATE {
        return Ok(mono.to_vec());
    }
    let mut resampler = Fft::<f32>::new(from as usize, RATE as usize, 1024, 1, FixedSync::Input)
        .with_context(|| format!("setting up a {from} Hz → {RATE} Hz resampler"))?;
    let input = InterleavedSlice::new(mono, 1, mono.len()).context("wrapping the samples for the resampler")?;
    let output = resampler.process_all(&input, mono.len(), None).context("resampling")?;
    Ok(output.take_data())
}

/// WAVs written to a pipe cannot know their length up front, so their data
/// chunk declares a placeholder (0x7ffff000 from espeak-ng, 0xffffffff from
/// some services). hound trusts the header and then fails on the missing
/// bytes, or on a placeholder not divisible by the frame size; this rewrites
/// an overlong data length to the whole frames actually present.
fn clamp_wav_data_length(bytes: &[u8]) -> Cow<'_, [u8]> {
    if !bytes.starts_with(b"RIFF") || bytes.get(8..12) != Some(b"WAVE".as_slice()) {
        return Cow::Borrowed(bytes);
    }
    let mut pos = 12usize;
    let mut block_align = 1usize;
    while let Some(&[a, b, c, d, l0, l1, l2, l3]) = bytes.get(pos..).and_then(|rest| rest.first_chunk::<8>()) {
        let id = [a, b, c, d];
        let len = u32::from_le_bytes([l0, l1, l2, l3]) as usize;
        let body = pos + 8;
        if &id == b"fmt " {
            if let Some(&[lo, hi]) = bytes.get(body + 12..body + 14) {
                block_align = usize::from(u16::from_le_bytes([lo, hi])).max(1);
            }
        } else if &id == b"data" {
            let available = bytes.len() - body;
            let whole = available - available % block_align;
            return match u32::try_from(whole) {
                Ok(fixed) if len > available => {
                    let mut owned = bytes.to_vec();
                    if let Some(field) = owned.get_mut(pos + 4..body) {
                        field.copy_from_slice(&fixed.to_le_bytes());
                    }
                    Cow::Owned(owned)
                }
                _ => Cow::Borrowed(bytes),
            };
        }
        // Chunks are padded to an even length.
        let Some(next) = body.checked_add(len).and_then(|end| end.checked_add(len & 1)) else { break };
        pos = next;
    }
    Cow::Borrowed(bytes)
}

/// 16 kHz mono PCM as a 16-bit WAV file (what an HTTP speech service takes as
/// audioContent).
///
/// A WAV's sizes are 32-bit, so at most about 2³¹ samples (37 hours) are kept.
pub fn speech_wav(pcm: &[i16]) -> Vec<u8> {
    const HEADER: usize = 44;
    let pcm = &pcm[..pcm.len().min((u32::MAX as usize - HEADER) / 2)];
    let data_len = (pcm.len() * 2) as u32;
    let mut wav = Vec::with_capacity(HEADER + pcm.len() * 2);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(data_len + HEADER as u32 - 8).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk length
    wav.extend_from_slice(&1u16.to_le_bytes()); // integer PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // channels
    wav.extend_from_slice(&RATE.to_le_bytes());
    wav.extend_from_slice(&(RATE * 2).to_le_bytes()); // bytes per second
    wav.extend_from_slice(&2u16.to_le_bytes()); // bytes per frame
    wav.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    for sample in pcm {
        wav.extend_from_slice(&sample.to_le_bytes());
    }
    wav
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::path::Path;
    use std::process::{Command, Output};
    use std::time::Instant;

    /// `seconds` of a sine at `freq` Hz, amplitude `amp` of full scale.
    fn tone(freq: f64, amp: f64, seconds: f64, rate: u32) -> Vec<f64> {
        let n = (seconds * f64::from(rate)).round() as usize;
        (0..n).map(|i| amp * (2.0 * std::f64::consts::PI * freq * i as f64 / f64::from(rate)).sin()).collect()
    }

    /// A linear sweep from `f0` to `f1` Hz.
    fn chirp(f0: f64, f1: f64, amp: f64, seconds: f64, rate: u32) -> Vec<f64> {
        let n = (seconds * f64::from(rate)).round() as usize;
        let k = (f1 - f0) / seconds;
        (0..n)
            .map(|i| {
                let t = i as f64 / f64::from(rate);
                amp * (2.0 * std::f64::consts::PI * (f0 * t + k * t * t / 2.0)).sin()
            })
            .collect()
    }

    fn to_i16(x: &[f64]) -> Vec<i16> {
        x.iter().map(|&v| (v * 32_767.0).round() as i16).collect()
    }

    /// The test signal: 1 s at 440 Hz, then 0.25 s sweeping 300 → 3000 Hz.
    fn speechish() -> Vec<i16> {
        let mut x = tone(440.0, 0.5, 1.0, RATE);
        x.extend(chirp(300.0, 3000.0, 0.4, 0.25, RATE));
        to_i16(&x)
    }

    fn rms(x: &[i16]) -> f64 {
        (x.iter().map(|&v| f64::from(v).powi(2)).sum::<f64>() / x.len().max(1) as f64).sqrt()
    }

    /// The lag (b behind a) within ±`max_lag` where the normalised
    /// cross-correlation of a and b peaks, and that peak.
    fn best_correlation(a: &[i16], b: &[i16], max_lag: isize) -> (isize, f64) {
        let mut best = (0, f64::MIN);
        for lag in -max_lag..=max_lag {
            let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
            for (i, &x) in a.iter().enumerate() {
                let Some(&y) = b.get((i as isize + lag) as usize) else { continue };
                let (x, y) = (f64::from(x), f64::from(y));
                ab += x * y;
                aa += x * x;
                bb += y * y;
            }
            let ncc = ab / (aa * bb).sqrt().max(1.0);
            if ncc > best.1 {
                best = (lag, ncc);
            }
        }
        best
    }

    /// Dominant frequency of a steady tone from its zero crossings.
    fn zero_crossing_freq(x: &[i16], rate: u32) -> f64 {
        let crossings = x.windows(2).filter(|w| (w[0] < 0) != (w[1] < 0)).count();
        crossings as f64 / 2.0 / (x.len() as f64 / f64::from(rate))
    }

    /// Runs a tool someone else wrote; a missing tool fails the test rather
    /// than skipping the check.
    fn run(tool: &str, args: &[&str]) -> Output {
        let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
            panic!("cannot run `{tool}` ({e}); this test needs it: apt-get install opus-tools espeak-ng")
        });
        assert!(
            output.status.success(),
            "`{tool} {args:?}` failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn utf8(path: &Path) -> &str {
        path.to_str().expect("temporary paths are UTF-8")
    }

    fn write_wav(path: &Path, spec: hound::WavSpec, interleaved: &[f64]) {
        let mut writer = hound::WavWriter::create(path, spec).unwrap();
        for &v in interleaved {
            match (spec.sample_format, spec.bits_per_sample) {
                (hound::SampleFormat::Float, _) => writer.write_sample(v as f32).unwrap(),
                (hound::SampleFormat::Int, bits) => {
                    let full = 2f64.powi(i32::from(bits) - 1) - 1.0;
                    writer.write_sample((v * full).round() as i32).unwrap()
                }
            }
        }
        writer.finalize().unwrap();
    }

    fn interleave(left: &[f64], right: &[f64]) -> Vec<f64> {
        left.iter().zip(right).flat_map(|(&l, &r)| [l, r]).collect()
    }

    /// A note with the given header and packets, built with the same page
    /// writer as real notes, for hostile variations.
    fn note(head: &[u8], packets: &[Vec<u8>], end_granule: u64) -> Vec<u8> {
        write_ogg_opus(head, packets, end_granule).unwrap()
    }

    /// A small xorshift generator: deterministic "random" bytes.
    struct Noise(u64);
    impl Noise {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n).map(|_| self.next() as u8).collect()
        }
    }

    #[test]
    fn round_trip_keeps_length_and_waveform() {
        let input = speechish();
        let encoded = encode_voice_note(&input).unwrap();
        assert_eq!(encoded, encode_voice_note(&input).unwrap(), "encoding is deterministic");
        // 24 kb/s for 1.25 s is ~3.8 kB of audio plus Ogg overhead.
        assert!((3_000..6_000).contains(&encoded.len()), "{} bytes", encoded.len());

        let decoded = decode_voice_note(&encoded).unwrap();
        assert!(decoded.len().abs_diff(input.len()) <= 2, "decoded {} samples of {}", decoded.len(), input.len());
        let (lag, ncc) = best_correlation(&input, &decoded, 40);
        assert!(lag.abs() <= 2, "decoded audio is shifted by {lag} samples");
        assert!(ncc > 0.9, "decoded audio correlates {ncc:.3} with the input");
        // The tone part keeps its pitch and loudness.
        let steady = &decoded[1_600..14_400];
        let freq = zero_crossing_freq(steady, RATE);
        assert!((freq - 440.0).abs() < 5.0, "tone came back at {freq:.1} Hz");
        let ratio = rms(steady) / rms(&input[1_600..14_400]);
        assert!((0.8..1.2).contains(&ratio), "tone loudness changed by {ratio:.2}×");
    }

    #[test]
    fn encoded_header_is_mono_16k_with_lookahead_pre_skip() {
        let encoded = encode_voice_note(&speechish()).unwrap();
        let mut reader = PacketReader::new(Cursor::new(encoded.as_slice()));
        let first = reader.read_packet().unwrap().unwrap();
        assert!(first.first_in_stream() && first.last_in_page(), "OpusHead alone on the first page");
        assert_eq!(first.data.len(), 19);
        assert_eq!(OpusHead::parse(&first.data).unwrap(), OpusHead { pre_skip: 312, gain: 0 });
        assert_eq!(first.data[9], 1, "mono");
        assert_eq!(&first.data[12..16], &16_000u32.to_le_bytes(), "input rate");
        let tags = reader.read_packet().unwrap().unwrap();
        assert!(tags.first_in_page() && tags.last_in_page(), "OpusTags alone on its page");
        assert_eq!(tags.data, b"OpusTags\x05\0\0\0mitra\0\0\0\0");
        let mut last = None;
        while let Some(packet) = reader.read_packet().unwrap() {
            assert_eq!(
                opus::packet::get_nb_samples(&packet.data, RATE).unwrap(),
                FRAME,
                "every packet is one 20 ms frame"
            );
            last = Some(packet);
        }
        let last = last.unwrap();
        assert!(last.last_in_stream());
        assert_eq!(last.absgp_page(), 312 + speechish().len() as u64 * 3);
    }

    #[test]
    fn opusinfo_accepts_our_notes() {
        let input = speechish();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("note.ogg");
        std::fs::write(&path, encode_voice_note(&input).unwrap()).unwrap();
        let output = run("opusinfo", &[utf8(&path)]);
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        for complaint in ["WARNING", "Warning", "ERROR", "Error"] {
            assert!(!text.contains(complaint), "opusinfo complains:\n{text}");
        }
        assert!(text.contains("Channels: 1\n"), "not mono:\n{text}");
        assert!(text.contains("Original sample rate: 16000 Hz"), "wrong input rate:\n{text}");
        assert!(text.contains("Pre-skip: 312"), "wrong pre-skip:\n{text}");
        assert!(text.contains("Packet duration:   20.0ms (max),   20.0ms (avg),   20.0ms (min)"), "{text}");
        // "Playback length: 0m:01.25s"
        let length = text
            .lines()
            .find_map(|line| line.trim().strip_prefix("Playback length: "))
            .and_then(|l| l.split_once("m:"))
            .map(|(m, s)| m.parse::<f64>().unwrap() * 60.0 + s.trim_end_matches('s').parse::<f64>().unwrap())
            .unwrap_or_else(|| panic!("no playback length in:\n{text}"));
        let expected = input.len() as f64 / f64::from(RATE);
        assert!((length - expected).abs() < 0.002, "opusinfo says {length} s, input is {expected} s");
    }

    #[test]
    fn opusdec_plays_our_notes() {
        let input = speechish();
        let dir = tempfile::tempdir().unwrap();
        let note = dir.path().join("note.ogg");
        let wav = dir.path().join("note.wav");
        std::fs::write(&note, encode_voice_note(&input).unwrap()).unwrap();
        run("opusdec", &["--quiet", "--rate", "16000", utf8(&note), utf8(&wav)]);
        let mut reader = hound::WavReader::open(&wav).unwrap();
        assert_eq!((reader.spec().sample_rate, reader.spec().channels), (16_000, 1));
        let decoded: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
        assert!(decoded.len().abs_diff(input.len()) <= 2, "opusdec gave {} samples of {}", decoded.len(), input.len());
        let (lag, ncc) = best_correlation(&input, &decoded, 40);
        assert!(lag.abs() <= 2 && ncc > 0.9, "opusdec's audio: lag {lag}, correlation {ncc:.3}");
        // And ours agrees with the reference decoder, up to what opusdec's
        // 48 kHz → 16 kHz resampler (one sample early) and dither change.
        let ours = decode_voice_note(&std::fs::read(&note).unwrap()).unwrap();
        let (lag, ncc) = best_correlation(&ours, &decoded, 5);
        assert!(lag.abs() <= 1 && ncc > 0.99, "ours vs opusdec: lag {lag}, correlation {ncc:.4}");
    }

    #[test]
    fn decodes_notes_opusenc_made() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            // (name, WAV rate, channels, seconds)
            ("mono16k", 16_000u32, 1u16, 1.0),
            ("stereo48k", 48_000, 2, 1.5),
        ];
        for (name, rate, channels, seconds) in cases {
            let left = tone(440.0, 0.4, seconds, rate);
            let samples = if channels == 2 { interleave(&left, &tone(660.0, 0.4, seconds, rate)) } else { left };
            let wav = dir.path().join(format!("{name}.wav"));
            let ogg = dir.path().join(format!("{name}.ogg"));
            let spec = hound::WavSpec {
                channels,
                sample_rate: rate,
                bits_per_sample: 16,
                sample_format: hound::SampleFormat::Int,
            };
            write_wav(&wav, spec, &samples);
            run("opusenc", &["--quiet", "--bitrate", "24", utf8(&wav), utf8(&ogg)]);
            let decoded = decode_voice_note(&std::fs::read(&ogg).unwrap()).unwrap();
            let expected = (seconds * f64::from(RATE)) as usize;
            assert!(decoded.len().abs_diff(expected) <= 2, "{name}: {} samples, expected {expected}", decoded.len());
            // Mono: a 0.4 sine has RMS 0.4/√2. Stereo folds to (L+R)/2,
            // two 0.2 sines at different pitches: RMS 0.2 of full scale.
            let expected_rms = if channels == 2 { 0.2 } else { 0.4 / 2f64.sqrt() } * 32_767.0;
            let ratio = rms(&decoded[1_600..expected - 1_600]) / expected_rms;
            assert!((0.75..1.25).contains(&ratio), "{name}: loudness off by {ratio:.2}×");
            if channels == 1 {
                let freq = zero_crossing_freq(&decoded[1_600..expected - 1_600], RATE);
                assert!((freq - 440.0).abs() < 5.0, "{name}: tone came back at {freq:.1} Hz");
            }
        }
    }

    #[test]
    fn reads_espeak_ng_wav() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("speech.wav");
        run("espeak-ng", &["-v", "en", "-w", utf8(&path), "birth certificate"]);
        let bytes = std::fs::read(&path).unwrap();
        let reader = hound::WavReader::new(bytes.as_slice()).unwrap();
        let (rate, frames) = (reader.spec().sample_rate, reader.duration());
        assert_eq!(rate, 22_050, "espeak-ng's native rate");
        let pcm = wav_to_speech_pcm(&bytes).unwrap();
        let expected = (u64::from(frames) * u64::from(RATE)).div_ceil(u64::from(rate)) as usize;
        assert!(pcm.len().abs_diff(expected) <= 1, "{} samples, expected {expected}", pcm.len());
        assert!(pcm.len() > RATE as usize / 2, "\"birth certificate\" takes over half a second");
        assert!(rms(&pcm) > 500.0, "speech is audible (RMS {:.0})", rms(&pcm));

        // The same speech through a pipe has a placeholder data length.
        let piped = run("espeak-ng", &["-v", "en", "--stdout", "birth certificate"]).stdout;
        assert_eq!(&piped[40..44], &0x7fff_f000u32.to_le_bytes(), "espeak-ng's placeholder length");
        assert_eq!(wav_to_speech_pcm(&piped).unwrap(), pcm);
    }

    #[test]
    fn resamples_other_wav_formats() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            (hound::SampleFormat::Float, 32u16, 48_000u32, 2u16),
            (hound::SampleFormat::Int, 24, 44_100, 1),
            (hound::SampleFormat::Int, 8, 8_000, 1),
            (hound::SampleFormat::Int, 16, 22_050, 2),
        ];
        for (format, bits, rate, channels) in cases {
            let left = tone(1_000.0, 0.5, 1.0, rate);
            let samples = if channels == 2 { interleave(&left, &left) } else { left };
            let path = dir.path().join(format!("{bits}-{rate}.wav"));
            let spec = hound::WavSpec { channels, sample_rate: rate, bits_per_sample: bits, sample_format: format };
            write_wav(&path, spec, &samples);
            let pcm = wav_to_speech_pcm(&std::fs::read(&path).unwrap()).unwrap();
            let case = format!("{bits}-bit {format:?} {rate} Hz ×{channels}");
            assert!(pcm.len().abs_diff(RATE as usize) <= 1, "{case}: {} samples", pcm.len());
            let middle = &pcm[1_600..14_400];
            let freq = zero_crossing_freq(middle, RATE);
            assert!((freq - 1_000.0).abs() < 5.0, "{case}: tone at {freq:.1} Hz");
            let ratio = rms(middle) / (0.5 / 2f64.sqrt() * 32_768.0);
            assert!((0.95..1.05).contains(&ratio), "{case}: loudness off by {ratio:.3}×");
        }
    }

    #[test]
    fn speech_wav_round_trips_through_hound() {
        let pcm = speechish();
        let wav = speech_wav(&pcm);
        let mut reader = hound::WavReader::new(wav.as_slice()).unwrap();
        let spec = reader.spec();
        assert_eq!(
            spec,
            hound::WavSpec {
                channels: 1,
                sample_rate: 16_000,
                bits_per_sample: 16,
                sample_format: hound::SampleFormat::Int
            }
        );
        let back: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
        assert_eq!(back, pcm);
        // At 16 kHz mono 16-bit our reader is the identity.
        assert_eq!(wav_to_speech_pcm(&wav).unwrap(), pcm);
        assert_eq!(speech_wav(&[]).len(), 44);
    }

    #[test]
    fn refuses_what_is_not_a_voice_note() {
        assert!(matches!(decode_voice_note(&[]), Err(AudioError::Empty)));
        let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
        for n in [1, 4, 27, 100, 10_000, 1_000_000] {
            let result = decode_voice_note(&noise.bytes(n));
            assert!(matches!(result, Err(AudioError::NotOggOpus(_))), "{n} random bytes: {result:?}");
        }
        // A WAV is not a voice note.
        let result = decode_voice_note(&speech_wav(&speechish()));
        assert!(matches!(result, Err(AudioError::NotOggOpus(_))), "WAV: {result:?}");

        let (pre_skip, packets) = encode_packets(&speechish(), COMPLEXITY).unwrap();
        let end = u64::from(pre_skip) + speechish().len() as u64 * 3;
        let head = opus_head(pre_skip, 1);
        let mut not_opus = head.clone();
        not_opus[7] = b'X'; // "OpusHeaX"
        let mut vorbis = b"\x01vorbis".to_vec();
        vorbis.extend_from_slice(&[0; 23]);
        let mut version_16 = head.clone();
        version_16[8] = 16;
        let mut surround = head.clone();
        surround[9] = 6;
        surround[18] = 1;
        surround.extend_from_slice(&[4, 2, 0, 4, 1, 2, 3, 5]);
        let mut family_2 = head.clone();
        family_2[18] = 2;
        let mut multistream = head.clone();
        multistream[9] = 2;
        multistream[18] = 1;
        multistream.extend_from_slice(&[2, 0, 0, 1]);
        for (what, head) in [
            ("OpusHeaX", not_opus),
            ("Vorbis", vorbis),
            ("version 16", version_16),
            ("5.1 surround", surround),
            ("family 2", family_2),
            ("two mono streams", multistream),
        ] {
            let result = decode_voice_note(&note(&head, &packets, end));
            assert!(matches!(result, Err(AudioError::NotOggOpus(_))), "{what}: {result:?}");
        }
        // The same layouts done right decode: family 1 stereo as one stream.
        let mut family_1 = head.clone();
        family_1[9] = 2;
        family_1[18] = 1;
        family_1.extend_from_slice(&[1, 1, 0, 1]);
        assert_eq!(decode_voice_note(&note(&family_1, &packets, end)).unwrap().len(), speechish().len());
    }

    #[test]
    fn refuses_damaged_notes_without_panicking() {
        let input = speechish();
        let good = encode_voice_note(&input).unwrap();
        let (pre_skip, packets) = encode_packets(&input, COMPLEXITY).unwrap();
        let end = u64::from(pre_skip) + input.len() as u64 * 3;
        let head = opus_head(pre_skip, 1);
        let corrupt = |what: &str, result: Result<Vec<i16>, AudioError>| {
            assert!(matches!(result, Err(AudioError::Corrupt(_))), "{what}: {result:?}");
        };

        corrupt("cut in the middle", decode_voice_note(&good[..good.len() / 2]));
        corrupt("short OpusHead", decode_voice_note(&note(&head[..15], &packets, end)));
        let mut flipped = good.clone();
        flipped[good.len() / 2] ^= 0x10;
        corrupt("a flipped bit", decode_voice_note(&flipped));
        // Code 3 packets declaring zero frames are invalid Opus.
        let garbage = vec![vec![0x03, 0x00]; 10];
        corrupt("garbage packets", decode_voice_note(&note(&head, &garbage, 30_000)));
        // OpusHead followed straight by audio.
        let mut writer = PacketWriter::new(Vec::new());
        writer.write_packet(head.as_slice(), SERIAL, PacketWriteEndInfo::EndPage, 0).unwrap();
        writer.write_packet(packets[0].as_slice(), SERIAL, PacketWriteEndInfo::EndStream, 960).unwrap();
        corrupt("no OpusTags", decode_voice_note(&writer.into_inner()));

        // Cutting anywhere gives an error or, at a page boundary, a shorter
        // note; never a panic or a longer note.
        for cut in (0..good.len()).step_by(7) {
            match decode_voice_note(&good[..cut]) {
                Ok(pcm) => assert!(pcm.len() < input.len(), "cut at {cut} gave {} samples", pcm.len()),
                Err(AudioError::TooLong { .. } | AudioError::Codec(_)) => panic!("cut at {cut}: wrong error"),
                Err(_) => {}
            }
        }
        // Random packets behind a valid header: libopus takes most random
        // bytes as valid Opus, so either outcome is fine; a panic is not.
        let mut noise = Noise(42);
        for round in 0..50 {
            let random: Vec<Vec<u8>> = (0..20)
                .map(|_| {
                    let len = (noise.next() % 200) as usize;
                    noise.bytes(len)
                })
                .collect();
            match decode_voice_note(&note(&head, &random, noise.next())) {
                Ok(_) | Err(AudioError::Corrupt(_) | AudioError::Empty) => {}
                Err(other) => panic!("round {round}: {other:?}"),
            }
        }
        // Random bytes behind a valid first page.
        let first_page_len = 28 + 19;
        for round in 0..50 {
            let mut bytes = good[..first_page_len].to_vec();
            let len = 1 + (noise.next() % 5_000) as usize;
            bytes.extend(noise.bytes(len));
            assert!(decode_voice_note(&bytes).is_err(), "round {round}");
        }
    }

    #[test]
    fn granule_positions_trim_but_never_invent() {
        let input = speechish();
        let (pre_skip, packets) = encode_packets(&input, COMPLEXITY).unwrap();
        let head = opus_head(pre_skip, 1);
        let held = packets.len() * FRAME - usize::from(pre_skip) / 3;
        // A granule past the audio: everything the packets hold, no more.
        assert_eq!(decode_voice_note(&note(&head, &packets, u64::MAX - 1)).unwrap().len(), held);
        // A granule cutting early trims there.
        assert_eq!(decode_voice_note(&note(&head, &packets, u64::from(pre_skip) + 3_000)).unwrap().len(), 1_000);
        // Granules at or before the pre-skip leave nothing.
        for granule in [0, u64::from(pre_skip)] {
            let result = decode_voice_note(&note(&head, &packets, granule));
            assert!(matches!(result, Err(AudioError::Empty)), "granule {granule}: {result:?}");
        }
        // A pre-skip longer than the audio leaves nothing.
        let result = decode_voice_note(&note(&opus_head(u16::MAX, 1), &packets, u64::MAX - 1));
        assert!(matches!(result, Err(AudioError::Empty)), "{result:?}");
        // Headers only.
        let result = decode_voice_note(&note(&head, &[], 0));
        assert!(matches!(result, Err(AudioError::Empty)), "{result:?}");
        // Empty packets are not audio.
        let mut with_empty = packets.clone();
        with_empty.insert(3, Vec::new());
        let end = u64::from(pre_skip) + input.len() as u64 * 3;
        assert_eq!(decode_voice_note(&note(&head, &with_empty, end)).unwrap().len(), input.len());
    }

    #[test]
    fn refuses_notes_over_the_limit() {
        let input = speechish();
        let encoded = encode_voice_note(&input).unwrap();
        assert_eq!(decode_limited(&encoded, input.len()).unwrap().len(), input.len(), "exactly at the limit");
        let result = decode_limited(&encoded, input.len() - 1);
        assert!(matches!(result, Err(AudioError::TooLong { seconds: 2 })), "{result:?}");
        // Far over the limit, the length is still reported right.
        let result = decode_limited(&encoded, RATE as usize / 10);
        assert!(matches!(result, Err(AudioError::TooLong { seconds: 2 })), "{result:?}");

        // The real limit, with a note of 121 s of silence.
        let long = encode_voice_note(&vec![0; 121 * RATE as usize]).unwrap();
        let result = decode_voice_note(&long);
        assert!(matches!(result, Err(AudioError::TooLong { seconds: 121 })), "{result:?}");
        assert!(result.unwrap_err().to_string().contains("121 s"));
    }

    #[test]
    fn refuses_bad_wavs() {
        assert!(wav_to_speech_pcm(&[]).is_err());
        assert!(wav_to_speech_pcm(&Noise(7).bytes(1_000)).is_err());
        let mut one_hertz = speech_wav(&speechish());
        one_hertz[24..28].copy_from_slice(&1u32.to_le_bytes());
        assert!(wav_to_speech_pcm(&one_hertz).is_err());
        assert!(wav_to_speech_pcm(&speech_wav(&[])).is_err(), "no samples");
        // A header declaring 0xffffffff bytes of data reads what is there.
        let mut streamed = speech_wav(&speechish());
        streamed[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(wav_to_speech_pcm(&streamed).unwrap(), speechish());
        // Cut anywhere: an error or fewer samples, no panic.
        let wav = speech_wav(&speechish());
        for cut in 0..wav.len() / 50 {
            if let Ok(pcm) = wav_to_speech_pcm(&wav[..cut * 50]) {
                assert!(pcm.len() < speechish().len());
            }
        }
    }

    #[test]
    fn encode_refuses_nothing() {
        assert!(encode_voice_note(&[]).is_err());
        // One sample is a valid (very short) note.
        assert_eq!(decode_voice_note(&encode_voice_note(&[1000]).unwrap()).unwrap().len(), 1);
    }

    /// Spoken English from espeak-ng, at least `seconds` long, at 16 kHz.
    fn espeak_speech(seconds: usize) -> Vec<i16> {
        let text = "The birth certificate must be collected from the municipal office before the end of the \
                    month, and the application form needs two signatures from the village council.";
        let mut pcm = Vec::new();
        while pcm.len() < seconds * RATE as usize {
            let wav = run("espeak-ng", &["-v", "en", "--stdout", text]).stdout;
            pcm.extend(wav_to_speech_pcm(&wav).unwrap());
        }
        pcm.truncate(seconds * RATE as usize);
        pcm
    }

    /// Timing and complexity choice, for the record:
    /// `cargo test --release -- --ignored --nocapture speed`.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn speed() {
        let speech = espeak_speech(10);
        for complexity in [0, 2, 5, 8, 10] {
            let start = Instant::now();
            let (pre_skip, packets) = encode_packets(&speech, complexity).unwrap();
            let elapsed = start.elapsed();
            let end = u64::from(pre_skip) + speech.len() as u64 * GRANULES_PER_SAMPLE;
            let decoded = decode_voice_note(&write_ogg_opus(&opus_head(pre_skip, 1), &packets, end).unwrap()).unwrap();
            let bytes: usize = packets.iter().map(Vec::len).sum();
            let (lag, ncc) = best_correlation(&speech, &decoded, 3);
            let noise: f64 = speech.iter().zip(&decoded).map(|(&a, &b)| (f64::from(a) - f64::from(b)).powi(2)).sum();
            let signal: f64 = speech.iter().map(|&a| f64::from(a).powi(2)).sum();
            println!(
                "complexity {complexity:2}: 10 s of speech encoded in {elapsed:?}, {bytes} bytes, \
                 correlation {ncc:.4} at lag {lag}, SNR {:.1} dB",
                10.0 * (signal / noise).log10()
            );
        }
        let start = Instant::now();
        let note = encode_voice_note(&speech).unwrap();
        println!("encode_voice_note, 10 s of speech: {:?} ({} bytes)", start.elapsed(), note.len());
        let start = Instant::now();
        let pcm = decode_voice_note(&note).unwrap();
        println!("decode_voice_note, 10 s of speech: {:?}", start.elapsed());
        assert_eq!(pcm.len(), speech.len());
        let wav = {
            let spec = hound::WavSpec {
                channels: 1,
                sample_rate: 22_050,
                bits_per_sample: 16,
                sample_format: hound::SampleFormat::Int,
            };
            let mut cursor = Cursor::new(Vec::new());
            let mut writer = hound::WavWriter::new(&mut cursor, spec).unwrap();
            for v in to_i16(&tone(440.0, 0.5, 10.0, 22_050)) {
                writer.write_sample(v).unwrap();
            }
            writer.finalize().unwrap();
            cursor.into_inner()
        };
        let start = Instant::now();
        let pcm = wav_to_speech_pcm(&wav).unwrap();
        println!("wav_to_speech_pcm, 10 s at 22,050 Hz: {:?}", start.elapsed());
        assert_eq!(pcm.len(), 10 * RATE as usize);
    }
}
