//! The host's log: text for a terminal or JSON lines for a log pipeline
//! (`--log-format json`), and in either, phone numbers and Aadhaar numbers
//! masked to their last four digits before a line leaves the process,
//! whatever code logged them. A message's log lines carry its
//! `request_id` (the inbound message's id) from the webhook through the
//! worker and the plugin calls to the outbox.

use std::borrow::Cow;
use std::io::Write;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    /// One JSON object per line (time, level, message, fields, spans).
    Json,
}

/// Installs the process's log subscriber: stderr, `RUST_LOG` filters.
pub fn init(format: LogFormat) {
    init_with(format, std::io::stderr);
}

/// Installs the process's log subscriber writing to `sink`; false if one
/// was installed already.
pub fn init_with<M>(format: LogFormat, sink: M) -> bool
where
    M: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    tracing::subscriber::set_global_default(subscriber(format, sink)).is_ok()
}

/// A log subscriber writing to `sink` in `format`, every line through
/// [`mask`] (tests capture the host's real log lines with it).
pub fn subscriber<M>(format: LogFormat, sink: M) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    M: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,wasmtime=warn,cranelift=warn".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(Masked(sink));
    match format {
        LogFormat::Text => Box::new(builder.finish()),
        LogFormat::Json => Box::new(builder.json().with_current_span(true).with_span_list(false).finish()),
    }
}

/// Hands out writers that apply [`mask`] to each formatted line.
#[derive(Clone, Copy, Debug)]
pub struct Masked<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Masked<M> {
    type Writer = MaskedWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        MaskedWriter(self.0.make_writer())
    }
}

/// A writer that masks what it is given before passing it on (the fmt
/// layer writes one whole event per call).
#[derive(Debug)]
pub struct MaskedWriter<W>(W);

impl<W: Write> Write for MaskedWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let line = String::from_utf8_lossy(buf);
        self.0.write_all(mask(&line).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// `line` with Indian mobile numbers (10 digits from 6–9, or with 0, 91 or
/// +91 before them) and Aadhaar numbers masked to their last four digits.
/// Other numbers (times, counts, epoch milliseconds) are left alone.
pub fn mask(line: &str) -> Cow<'_, str> {
    if line.bytes().filter(u8::is_ascii_digit).nth(9).is_none() && !has_indian_digits(line) {
        return Cow::Borrowed(line);
    }
    let line = crate::privacy::replace_aadhaar(line, |digits| format!("XXXXXXXX{}", &digits[8..]));
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        // A run of digits, with single spaces or hyphens inside it.
        let mut end = i;
        let mut digits = 0;
        let mut j = i;
        while j < bytes.len() {
            if bytes[j].is_ascii_digit() {
                digits += 1;
                end = j + 1;
                j += 1;
            } else if matches!(bytes[j], b' ' | b'-') && bytes.get(j + 1).is_some_and(u8::is_ascii_digit) {
                j += 1;
            } else {
                break;
            }
        }
        let run: String = line[i..end].chars().filter(char::is_ascii_digit).collect();
        if is_phone(&run) {
            out.push_str(&line[last..i]);
            let keep = digits - 4;
            let mut seen = 0;
            for c in line[i..end].chars() {
                if c.is_ascii_digit() {
                    out.push(if seen < keep { 'X' } else { c });
                    seen += 1;
                } else {
                    out.push(c);
                }
            }
            last = end;
        }
        i = end.max(i + 1);
    }
    if last == 0 {
        return line;
    }
    out.push_str(&line[last..]);
    Cow::Owned(out)
}

fn has_indian_digits(line: &str) -> bool {
    line.chars().any(|c| matches!(c, '\u{0C66}'..='\u{0C6F}' | '\u{0966}'..='\u{096F}'))
}

fn is_phone(digits: &str) -> bool {
    let mobile = |d: &str| d.len() == 10 && d.starts_with(['6', '7', '8', '9']);
    mobile(digits)
        || (digits.len() == 11 && digits.starts_with('0') && mobile(&digits[1..]))
        || (digits.len() == 12 && digits.starts_with("91") && mobile(&digits[2..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_and_aadhaar_numbers_are_masked_in_log_lines() {
        assert_eq!(mask("wa_id=919876543210 sent"), "wa_id=XXXXXXXX3210 sent");
        assert_eq!(mask("call 98765-43210"), "call XXXXX-X3210");
        assert_eq!(mask("wamid.conv.919811111111.3"), "wamid.conv.XXXXXXXX1111.3");
        assert_eq!(mask("aadhaar 4991 1234 5677"), "aadhaar XXXXXXXX5677");
        // Times, epoch milliseconds, counts: left alone.
        for line in ["at_ms=1796236200000", "2026-12-03T16:39:48.123456Z", "elapsed_ms=421 calls=1234567890123"] {
            assert_eq!(mask(line), line);
        }
    }
}
