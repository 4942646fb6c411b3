//! Personal data kept safe. Aadhaar numbers are found wherever a citizen
//! or a plugin wrote them (12 digits, first 2–9, Verhoeff check digit,
//! whole or split by spaces, hyphens or dots, in ASCII, Telugu or
//! Devanagari digits) and are stored only as the last four digits with a
//! keyed hash (HMAC-SHA-256 under the host's PII key), which lets an
//! operator find a citizen's files by the number without the number being
//! stored. A form still being filled keeps the number it needs sealed
//! (ChaCha20-Poly1305 under a key derived from the same secret, which is
//! never in the database) until it is submitted. Log lines mask phone
//! numbers and Aadhaar numbers (`telemetry::logs`).

use std::borrow::Cow;

use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::Value;

/// The development PII key (`serve` warns when it is used).
pub const DEV_PII_KEY: &str = "mitra-dev-pii-key";

/// What marks a sealed number in stored text.
const SEALED: &str = "sealed-aadhaar-";

/// The keys that protect Aadhaar numbers at rest.
pub struct Privacy {
    hash: hmac::Key,
    seal: LessSafeKey,
    random: SystemRandom,
}

impl std::fmt::Debug for Privacy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Privacy { .. }")
    }
}

impl Privacy {
    /// Keys derived from `secret` (one for hashing, one for sealing).
    pub fn new(secret: &str) -> Self {
        let root = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
        let derive = |purpose: &str| hmac::sign(&root, purpose.as_bytes());
        let hash = hmac::Key::new(hmac::HMAC_SHA256, derive("mitra aadhaar hash v1").as_ref());
        let seal = LessSafeKey::new(
            UnboundKey::new(&CHACHA20_POLY1305, derive("mitra aadhaar seal v1").as_ref()).expect("a 32-byte key"),
        );
        Self { hash, seal, random: SystemRandom::new() }
    }

    /// The keyed hash of a 12-digit Aadhaar number, as stored (letters only,
    /// so stored text never holds a digit run that looks like a number).
    pub fn aadhaar_hash(&self, digits: &str) -> String {
        letters(&hmac::sign(&self.hash, digits.as_bytes()).as_ref()[..10])
    }

    /// How an Aadhaar number is stored: its hash, then the number masked
    /// to its last four digits (last, so code that shows "the last four
    /// characters" of an Aadhaar answer still shows the right ones).
    pub fn aadhaar_reference(&self, digits: &str) -> String {
        format!("#{} XXXX XXXX {}", self.aadhaar_hash(digits), &digits[digits.len() - 4..])
    }

    /// `text` with every Aadhaar number (sealed ones included) replaced by
    /// [`Privacy::aadhaar_reference`].
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let text = self.unseal(text);
        match replace_aadhaar(&text, |digits| self.aadhaar_reference(digits)) {
            Cow::Borrowed(_) => text,
            Cow::Owned(out) => Cow::Owned(out),
        }
    }

    /// A Cloud API message (JSON) with [`Privacy::redact`] applied to its
    /// texts; the ids and numbers that route it (`from`, `to`, `wa_id`,
    /// `id`…) are left as they are. Not JSON: redacted as text.
    pub fn redact_message<'a>(&self, json: &'a str) -> Cow<'a, str> {
        // Most bodies hold no number that passes the Aadhaar checks (the
        // recipient's own number passes one time in ten): no parse then.
        if !json.contains(SEALED) && matches!(replace_aadhaar(json, |_| String::new()), Cow::Borrowed(_)) {
            return Cow::Borrowed(json);
        }
        let Ok(mut value) = serde_json::from_str::<Value>(json) else { return self.redact(json) };
        if self.redact_value(&mut value, None) { Cow::Owned(value.to_string()) } else { Cow::Borrowed(json) }
    }

    fn redact_value(&self, value: &mut Value, key: Option<&str>) -> bool {
        match value {
            Value::String(s) if !key.is_some_and(is_routing_key) && !s.starts_with("wamid.") => match self.redact(s) {
                Cow::Owned(redacted) => {
                    *s = redacted;
                    true
                }
                Cow::Borrowed(_) => false,
            },
            Value::Array(items) => items.iter_mut().fold(false, |changed, v| self.redact_value(v, key) | changed),
            Value::Object(map) => map.iter_mut().fold(false, |changed, (k, v)| self.redact_value(v, Some(k)) | changed),
            _ => false,
        }
    }

    /// `text` with every Aadhaar number sealed: kept, but unreadable
    /// without this host's key (a conversation state between messages).
    pub fn seal<'a>(&self, text: &'a str) -> Cow<'a, str> {
        replace_aadhaar(text, |digits| {
            let mut nonce = [0u8; NONCE_LEN];
            self.random.fill(&mut nonce).expect("the system's random source");
            let mut sealed = digits.as_bytes().to_vec();
            self.seal
                .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut sealed)
                .expect("sealing 12 bytes");
            let mut all = nonce.to_vec();
            all.extend(sealed);
            format!("{SEALED}{}", letters(&all))
        })
    }

    /// `text` with every number [`Privacy::seal`] sealed opened again; a
    /// token that does not open (another key, altered) is left as it is.
    pub fn unseal<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !text.contains(SEALED) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(SEALED) {
            out.push_str(&rest[..at]);
            let after = &rest[at + SEALED.len()..];
            let len = after.bytes().take_while(|b| (b'a'..=b'p').contains(b)).count();
            match self.open(&after[..len]) {
                Some(digits) => out.push_str(&digits),
                None => out.push_str(&rest[at..at + SEALED.len() + len]),
            }
            rest = &after[len..];
        }
        out.push_str(rest);
        Cow::Owned(out)
    }

    fn open(&self, token: &str) -> Option<String> {
        let mut bytes = from_letters(token)?;
        if bytes.len() <= NONCE_LEN {
            return None;
        }
        let mut sealed = bytes.split_off(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(&bytes).ok()?;
        let opened = self.seal.open_in_place(nonce, Aad::empty(), &mut sealed).ok()?;
        String::from_utf8(opened.to_vec()).ok()
    }
}

/// Keys of Cloud API messages that route them rather than say anything
/// (a phone number or a message id that happens to pass the Aadhaar checks
/// must stay as it is).
fn is_routing_key(key: &str) -> bool {
    matches!(
        key,
        "from"
            | "to"
            | "wa_id"
            | "id"
            | "recipient_id"
            | "timestamp"
            | "phone_number_id"
            | "display_phone_number"
            | "biz_opaque_callback_data"
    ) || key.ends_with("_id")
}

/// Bytes as letters `a`–`p` (a nibble each): hex without digits.
fn letters(bytes: &[u8]) -> String {
    bytes.iter().flat_map(|b| [(b'a' + (b >> 4)) as char, (b'a' + (b & 15)) as char]).collect()
}

fn from_letters(text: &str) -> Option<Vec<u8>> {
    let nibble = |c: u8| (b'a'..=b'p').contains(&c).then(|| c - b'a');
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes.chunks(2).map(|p| Some(nibble(p[0])? << 4 | nibble(p[1])?)).collect()
}

/// The value of the digit starting at byte `at` of `text` (ASCII, Telugu
/// or Devanagari) and its length in bytes. Read as bytes, not
/// chars: every stored message and reply and every log line is read for
/// numbers, and most of their bytes are ASCII letters and punctuation. In
/// UTF-8 a Telugu digit is `E0 B1 A6..=AF`, a Devanagari one `E0 A5 A6..=AF`.
fn digit_at(text: &[u8], at: usize) -> Option<(u8, usize)> {
    match *text.get(at)? {
        b @ b'0'..=b'9' => Some((b - b'0', 1)),
        0xE0 => match text.get(at + 1..at + 3)? {
            [0xB1 | 0xA5, last @ 0xA6..=0xAF] => Some((last - 0xA6, 3)),
            _ => None,
        },
        _ => None,
    }
}

/// The length in bytes of the separator at byte `at`: what may stand
/// between the digits of a number written by hand (a space, a hyphen, a
/// dot, a no-break space).
fn separator_at(text: &[u8], at: usize) -> Option<usize> {
    match text.get(at..)? {
        [b' ' | b'-' | b'.', ..] => Some(1),
        [0xC2, 0xA0, ..] => Some(2),
        _ => None,
    }
}

/// Whether `text` has twelve digits at all (most texts do not: no work).
fn may_hold_aadhaar(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (mut count, mut at) = (0, 0);
    while at < bytes.len() {
        match digit_at(bytes, at) {
            Some((_, len)) => {
                count += 1;
                if count == 12 {
                    return true;
                }
                at += len;
            }
            None => at += 1,
        }
    }
    false
}

/// Digits a group holds past which it can be part of no number.
const AADHAAR_DIGITS: usize = 12;

/// A run of digits in a text: where it is, its first digits (ASCII), how
/// many it holds (counted to one past twelve), and whether a separator joins
/// it to the run before. Kept on the stack: every stored message and reply
/// and every log line is read for numbers, and most have digit runs (phone
/// numbers, timestamps) that are none.
#[derive(Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
    digits: [u8; AADHAAR_DIGITS],
    len: usize,
    joined: bool,
}

impl Group {
    fn push(&mut self, digit: u8) {
        if let Some(slot) = self.digits.get_mut(self.len) {
            *slot = b'0' + digit;
        }
        self.len = (self.len + 1).min(AADHAAR_DIGITS + 1);
    }
}

/// `text` with each Aadhaar number replaced by `with(its 12 ASCII digits)`.
///
/// A number is a run of digits and single separators; within a run, any
/// consecutive groups (digits between separators) that hold exactly twelve
/// digits, the first 2–9 and the last the Verhoeff check digit, are one.
pub(crate) fn replace_aadhaar<'a>(text: &'a str, with: impl Fn(&str) -> String) -> Cow<'a, str> {
    if !may_hold_aadhaar(text) {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut groups: Vec<Group> = Vec::new();
    let (mut at, mut joined) = (0, false);
    while at < bytes.len() {
        let Some((d, len)) = digit_at(bytes, at) else {
            at += 1;
            continue;
        };
        let mut group = Group { start: at, end: at + len, digits: [0; AADHAAR_DIGITS], len: 0, joined };
        group.push(d);
        while let Some((d, len)) = digit_at(bytes, group.end) {
            group.push(d);
            group.end += len;
        }
        groups.push(group);
        at = group.end;
        // A single separator followed by a digit joins the next group.
        joined = false;
        if let Some(len) = separator_at(bytes, at)
            && digit_at(bytes, at + len).is_some()
        {
            at += len;
            joined = true;
        }
    }
    let mut spans: Vec<(usize, usize, [u8; AADHAAR_DIGITS])> = Vec::new();
    let mut i = 0;
    while i < groups.len() {
        let mut digits = [0u8; AADHAAR_DIGITS];
        let mut len = 0;
        let mut found = None;
        for (j, group) in groups.iter().enumerate().skip(i) {
            if j > i && !group.joined {
                break;
            }
            if len + group.len > AADHAAR_DIGITS {
                break;
            }
            digits[len..len + group.len].copy_from_slice(&group.digits[..group.len]);
            len += group.len;
            if len == AADHAAR_DIGITS {
                if is_aadhaar(std::str::from_utf8(&digits).expect("twelve ASCII digits, pushed as b'0' + 0..=9")) {
                    found = Some(j);
                }
                break;
            }
        }
        match found {
            Some(j) => {
                spans.push((groups[i].start, groups[j].end, digits));
                i = j + 1;
            }
            None => i += 1,
        }
    }
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end, digits) in spans {
        out.push_str(&text[last..start]);
        out.push_str(&with(std::str::from_utf8(&digits).expect("twelve ASCII digits, pushed as b'0' + 0..=9")));
        last = end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

fn is_aadhaar(digits: &str) -> bool {
    digits.len() == 12 && !digits.starts_with(['0', '1']) && mitra_sdk::validate::verhoeff_valid(digits)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const AADHAAR: &str = "499112345677";

    /// The value of a digit in ASCII, Telugu or Devanagari.
    fn digit(c: char) -> Option<u8> {
        match c {
            '0'..='9' => Some(c as u8 - b'0'),
            '\u{0C66}'..='\u{0C6F}' => Some((c as u32 - 0x0C66) as u8),
            '\u{0966}'..='\u{096F}' => Some((c as u32 - 0x0966) as u8),
            _ => None,
        }
    }

    /// What may stand between the digits of a number written by hand.
    fn separator(c: char) -> bool {
        matches!(c, ' ' | '-' | '.' | '\u{a0}')
    }

    /// The rule, read as plainly as it is written: every digit of the text
    /// with where it is and whether a single separator came just before it;
    /// a number starts at a digit not preceded by one, and takes whole
    /// groups joined by separators until it holds twelve digits exactly.
    fn numbers_in(text: &str) -> Vec<(usize, usize, String)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let is_digit = |k: usize| chars.get(k).is_some_and(|(_, c)| digit(*c).is_some());
        let mut found = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            let starts_group = is_digit(k) && (k == 0 || !is_digit(k - 1));
            if !starts_group {
                k += 1;
                continue;
            }
            let (mut digits, mut at, mut end) = (String::new(), k, k);
            loop {
                while is_digit(at) {
                    digits.push((b'0' + digit(chars[at].1).unwrap()) as char);
                    at += 1;
                }
                end = at.max(end);
                let joins = digits.len() < 12 && chars.get(at).is_some_and(|(_, c)| separator(*c)) && is_digit(at + 1);
                if !joins {
                    break;
                }
                at += 1;
            }
            if digits.len() == 12 && is_aadhaar(&digits) {
                let byte_end = chars.get(end).map_or(text.len(), |(b, _)| *b);
                found.push((chars[k].0, byte_end, digits));
                k = end;
            } else {
                k += 1;
            }
        }
        found
    }

    fn piece() -> impl Strategy<Value = String> {
        let script = prop_oneof![Just(0x30u32), Just(0x0C66), Just(0x0966)];
        let run = (script, proptest::collection::vec(0u32..10, 1..15))
            .prop_map(|(zero, ds)| ds.iter().map(|d| char::from_u32(zero + d).unwrap()).collect::<String>());
        prop_oneof![
            3 => run,
            1 => Just(AADHAAR.to_owned()),
            1 => Just("4991 1234 5677".to_owned()),
            2 => prop_oneof![Just(" "), Just("-"), Just("."), Just("\u{a0}"), Just("  "), Just("a"), Just("\"")]
                .prop_map(str::to_owned),
        ]
    }

    proptest! {
        #[test]
        fn numbers_are_replaced_where_the_rule_finds_them(pieces in proptest::collection::vec(piece(), 0..12)) {
            let text: String = pieces.concat();
            let expected = numbers_in(&text);
            let replaced = replace_aadhaar(&text, |digits| format!("<{digits}>"));
            let mut want = String::new();
            let mut last = 0;
            for (start, end, digits) in &expected {
                want.push_str(&text[last..*start]);
                want.push_str(&format!("<{digits}>"));
                last = *end;
            }
            want.push_str(&text[last..]);
            prop_assert_eq!(replaced.as_ref(), want.as_str());
            prop_assert_eq!(matches!(replaced, Cow::Borrowed(_)), expected.is_empty());
            let digits = text.chars().filter(|c| digit(*c).is_some()).count();
            prop_assert_eq!(may_hold_aadhaar(&text), digits >= 12);
        }
    }

    #[test]
    fn aadhaar_numbers_are_found_however_they_are_written() {
        let p = Privacy::new("k");
        let reference = p.aadhaar_reference(AADHAAR);
        assert!(reference.ends_with(" XXXX XXXX 5677") && !reference.contains("4991"), "{reference}");
        for written in [
            "499112345677",
            "4991 1234 5677",
            "4991-1234-5677",
            "4991.1234.5677",
            "49911 2345677",
            "౪౯౯౧౧౨౩౪౫౬౭౭",
            "४९९१ १२३४ ५६७७",
        ] {
            let text = format!("my aadhaar is {written}, thanks");
            assert_eq!(p.redact(&text), format!("my aadhaar is {reference}, thanks"), "{written}");
        }
        // Beside a phone number, separated only by a space.
        let both = p.redact("9876543210 4991 1234 5677");
        assert_eq!(both, format!("9876543210 {reference}"));
        // Not numbers of another shape: a typo (bad check digit), a leading 1,
        // thirteen digits in a row.
        for other in ["499112345678", "199112345677", "4991123456770"] {
            assert_eq!(p.redact(other), other, "{other}");
        }
    }

    #[test]
    fn the_same_number_has_the_same_hash_under_one_key_only() {
        let (a, b) = (Privacy::new("k1"), Privacy::new("k2"));
        assert_eq!(a.aadhaar_hash(AADHAAR), a.aadhaar_hash(AADHAAR));
        assert_ne!(a.aadhaar_hash(AADHAAR), b.aadhaar_hash(AADHAAR));
        assert!(a.aadhaar_hash(AADHAAR).chars().all(|c| c.is_ascii_lowercase()));
    }

    #[test]
    fn sealed_numbers_open_only_with_their_key_and_redact_like_clear_ones() {
        let (p, other) = (Privacy::new("k"), Privacy::new("other"));
        let state = format!(r#"{{"answers":{{"aadhaar":{{"Aadhaar":"{AADHAAR}"}}}}}}"#);
        let sealed = p.seal(&state);
        assert!(!sealed.contains(AADHAAR) && sealed.contains(SEALED), "{sealed}");
        assert_eq!(p.unseal(&sealed), state);
        assert_eq!(other.unseal(&sealed), sealed);
        assert!(p.redact(&sealed).contains(&p.aadhaar_reference(AADHAAR)));
    }

    #[test]
    fn messages_keep_the_numbers_that_route_them() {
        let p = Privacy::new("k");
        // A wa_id that happens to pass the Aadhaar checks stays as it is.
        let check = mitra_sdk::validate::verhoeff_check_digit("91987654321").unwrap();
        let wa = &format!("91987654321{check}");
        assert!(is_aadhaar(wa));
        let message = format!(
            r#"{{"from":"{wa}","id":"wamid.1","text":{{"body":"{AADHAAR}"}},"context":{{"id":"wamid.conv.{wa}.3"}},"biz_opaque_callback_data":"{wa}#0"}}"#
        );
        let redacted: Value = serde_json::from_str(&p.redact_message(&message)).unwrap();
        assert_eq!(redacted["from"], wa.as_str());
        assert_eq!(redacted["context"]["id"], format!("wamid.conv.{wa}.3"));
        assert_eq!(redacted["biz_opaque_callback_data"], format!("{wa}#0"));
        assert_eq!(redacted["text"]["body"], p.aadhaar_reference(AADHAAR));
        assert!(matches!(p.redact_message(r#"{"text":{"body":"hi"}}"#), Cow::Borrowed(_)));
    }
}
