//! Romanised Telugu and Hindi: one spelling key for the many ways a word is
//! written in Latin letters, and for the word in its own script.
//!
//! Citizens type "kula dhruvikarana patram", "kula drivikarana patram" or
//! "kula dhruvikarna patra" for కుల ధృవీకరణ పత్రం, and "bijli", "bijlee" for
//! बिजली. Telugu and Devanagari words are first transliterated to ISO 15919
//! by vidyut-lipi (Ambuda's transliterator, which knows both scripts'
//! conjuncts, viramas and anusvara); then both sides are reduced to a key
//! that forgets what romanisations disagree on: vowel length (aa/a, ee/i,
//! oo/u), aspiration (dh/d, bh/b, th/t, ch/c, sh/s), doubled letters,
//! v/w, the anusvara written m or n, the inherent vowel (Hindi drops it in
//! speech: बिजली is "bijli", not "bijalī"), and Telugu's final u ("billu").

use std::cell::RefCell;

use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;
use vidyut_lipi::{Lipika, Scheme};

thread_local! {
    /// A transliterator keeps the mappings it has built; one per thread.
    static LIPIKA: RefCell<Lipika> = RefCell::new(Lipika::new());
}

/// The script a word or message is written in, as far as Mitra cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Script {
    Telugu,
    Devanagari,
    Latin,
}

/// The script of the first Telugu, Devanagari or Latin letter in `text`
/// (digits and punctuation say nothing); Latin when there is none.
pub fn script(text: &str) -> Script {
    text.chars().find_map(script_of).unwrap_or(Script::Latin)
}

/// The script of one character; `None` for digits, spaces and punctuation.
pub fn script_of(c: char) -> Option<Script> {
    match c {
        '\u{0C00}'..='\u{0C7F}' => Some(Script::Telugu),
        '\u{0900}'..='\u{097F}' | '\u{A8E0}'..='\u{A8FF}' => Some(Script::Devanagari),
        c if c.is_alphabetic() => Some(Script::Latin),
        _ => None,
    }
}

/// `word` in Latin letters: Telugu and Devanagari through ISO 15919, with
/// the vocalic r written as it is said ("ru"), diacritics and joiners dropped.
pub fn romanise(word: &str) -> String {
    let from = match script(word) {
        Script::Telugu => Some(Scheme::Telugu),
        Script::Devanagari => Some(Scheme::Devanagari),
        Script::Latin => None,
    };
    let mut latin = match from {
        Some(from) => LIPIKA.with(|l| l.borrow_mut().transliterate(word, from, Scheme::Iso15919)),
        None => word.to_owned(),
    };
    if from == Some(Scheme::Devanagari) {
        // Hindi's anusvara and candrabindu are heard as n ("करें" is
        // "karen"); Telugu's final anusvara is an m ("patram").
        latin = latin.replace('\u{1E41}', "n").replace("m\u{307}", "n").replace("m\u{310}", "n");
    }
    latin
        .to_lowercase()
        .replace("r\u{325}", "ru")
        .replace("l\u{325}", "lu")
        .nfd()
        .filter(|c| !is_combining_mark(*c) && !matches!(c, '\u{200c}' | '\u{200d}'))
        .collect()
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

fn is_consonant(c: u8) -> bool {
    c.is_ascii_lowercase() && !is_vowel(c)
}

/// The spelling key of one word in any of the three scripts: two spellings
/// of the same word have the same key (or one a letter away).
pub fn key(word: &str) -> String {
    let latin = romanise(word);
    // Letters only, with the consonants romanisations swap.
    let mut s: Vec<u8> = Vec::with_capacity(latin.len());
    for c in latin.bytes().filter(u8::is_ascii_alphabetic) {
        match c {
            b'w' => s.push(b'v'),
            b'z' => s.push(b'j'),
            b'f' => s.push(b'p'),
            b'q' => s.push(b'k'),
            b'x' => s.extend(b"ks"),
            c => s.push(c),
        }
    }
    // Long vowels written double: ee → i, oo → u (ē and ō are e and o already).
    let mut t: Vec<u8> = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match (s[i], s.get(i + 1)) {
            (b'e', Some(b'e')) => {
                t.push(b'i');
                i += 2;
            }
            (b'o', Some(b'o')) => {
                t.push(b'u');
                i += 2;
            }
            (c, _) => {
                t.push(c);
                i += 1;
            }
        }
    }
    let mut out: Vec<u8> = Vec::with_capacity(t.len());
    for (i, &c) in t.iter().enumerate() {
        let prev = out.last().copied();
        let next = t.get(i + 1).copied();
        let c = match c {
            // Aspiration: kh, gh, ch, jh, th, dh, ph, bh, sh are k … s.
            b'h' if prev.is_some_and(is_consonant) => continue,
            // "rythu" for raitu: y between consonants is a vowel.
            b'y' if prev.is_some_and(is_consonant) && next.is_none_or(is_consonant) => b'i',
            // The anusvara before a consonant is heard as n ("pinchanu").
            b'm' if next.is_some_and(|n| is_consonant(n) && n != b'h' && n != b'y') => b'n',
            // The inherent vowel, and a written short a, after the first letter.
            b'a' if i > 0 => continue,
            c => c,
        };
        // Doubled letters are one ("billu", "pattadar").
        if prev == Some(c) {
            continue;
        }
        out.push(c);
    }
    // Telugu's final u ("billu", "patramu").
    if out.len() > 3 && out.last() == Some(&b'u') {
        out.pop();
    }
    String::from_utf8(out).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn same(a: &str, b: &str) {
        assert_eq!(key(a), key(b), "{a} / {b}");
    }

    #[test]
    fn romanised_telugu_meets_telugu_script() {
        same("dhruvikarana", "ధృవీకరణ");
        same("patram", "పత్రం");
        same("pathram", "పత్రం");
        same("kula", "కుల");
        same("pinchanu", "పింఛను");
        same("bhumi", "భూమి");
        same("bhoomi", "భూమి");
        same("rythu", "రైతు");
        same("bharosa", "భరోసా");
        same("aadaya", "ఆదాయ");
        same("adaya", "ఆదాయ");
        same("pattadar", "పట్టాదారు");
        same("passbook", "పాస్‌బుక్");
        same("darshanam", "దర్శనం");
        same("billu", "bill");
    }

    #[test]
    fn romanised_hindi_meets_devanagari() {
        same("bijli", "बिजली");
        same("bijlee", "बिजली");
        same("janm", "जन्म");
        same("janam", "जन्म");
        same("praman", "प्रमाण");
        same("patra", "पत्र");
        same("jaati", "जाति");
        same("rashan", "राशन");
        same("zameen", "ज़मीन");
        same("karen", "करें");
    }

    #[test]
    fn different_words_keep_different_keys() {
        assert_ne!(key("bijli"), key("bill"));
        assert_ne!(key("kula"), key("bhumi"));
        assert_ne!(key("janm"), key("maran"));
    }

    #[test]
    fn the_script_is_that_of_the_first_letter() {
        assert_eq!(script("తెలుగు"), Script::Telugu);
        assert_eq!(script("1. हिन्दी"), Script::Devanagari);
        assert_eq!(script("kula patram"), Script::Latin);
        assert_eq!(script("42"), Script::Latin);
    }
}
