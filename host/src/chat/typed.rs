//! Typed answers to what was offered for tapping.
//!
//! Elderly citizens, WhatsApp clients that show interactive messages poorly,
//! and people who answer a list with its number all type instead of tap. A
//! typed answer picks an offered option by its number as shown ("2", "2.",
//! "#2", "౨", "२"), by its title in any of the three languages
//! ("telugu", "తెలుగు"), romanised ("samarpinchu"), or misspelt by a letter
//! or two ("submitt", "birth certficate"). When two options fit equally
//! well, nothing is picked: the text is then read as a request.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::search::{phonetic, within_edits};

/// One offered option and every title it goes by.
#[derive(Clone, Debug)]
pub struct Offer {
    pub id: String,
    pub titles: Vec<String>,
}

/// How an option was picked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Number,
    Title,
}

/// Which of `offers` `text` means, if exactly one; numbers count only when
/// `numbers` (a number is an answer of its own in some places).
pub fn pick(text: &str, offers: &[Offer], numbers: bool) -> Option<(usize, By)> {
    if let Some(n) = number(text) {
        return (numbers && (1..=offers.len()).contains(&n)).then_some((n - 1, By::Number));
    }
    let typed = normalise(text);
    if typed.is_empty() {
        return None;
    }
    let typed_keys = keys(&typed);
    let mut scored: Vec<(f32, usize)> = offers
        .iter()
        .enumerate()
        .map(|(i, offer)| {
            let best = offer.titles.iter().map(|t| score(&typed, &typed_keys, &prepared(t))).fold(0.0, f32::max);
            (best, i)
        })
        .filter(|(score, _)| *score >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    match scored.as_slice() {
        [(_, i)] => Some((*i, By::Title)),
        [(best, i), (second, _), ..] if best - second >= 0.05 => Some((*i, By::Title)),
        _ => None,
    }
}

/// A number as typed: ASCII, Telugu or Devanagari digits, with a `#` before
/// or a `.` or `)` after.
fn number(text: &str) -> Option<usize> {
    let t = text.trim().trim_start_matches('#').trim_end_matches(['.', ')']).trim();
    if t.is_empty() || t.chars().count() > 3 {
        return None;
    }
    let mut n = 0usize;
    for c in t.chars() {
        let digit = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '\u{0C66}'..='\u{0C6F}' => c as u32 - 0x0C66,
            '\u{0966}'..='\u{096F}' => c as u32 - 0x0966,
            _ => return None,
        };
        n = n * 10 + digit as usize;
    }
    Some(n)
}

/// Lowercase words separated by single spaces; punctuation, joiners, emoji
/// and the '…' of a cut title dropped. Telugu and Devanagari vowel signs
/// are marks, not letters, and are kept.
pub fn normalise(text: &str) -> String {
    let cleaned: String =
        text.to_lowercase().chars().map(|c| if c.is_alphanumeric() || is_indic_mark(c) { c } else { ' ' }).collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_indic_mark(c: char) -> bool {
    matches!(c, '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}' | '\u{0951}'..='\u{0957}' | '\u{0962}'..='\u{0963}'
        | '\u{0C00}'..='\u{0C04}' | '\u{0C3C}'..='\u{0C56}' | '\u{0C62}'..='\u{0C63}')
}

fn keys(normalised: &str) -> Vec<String> {
    normalised.split(' ').map(phonetic::key).collect()
}

/// A title normalised, with its words' spelling keys.
struct Title {
    text: String,
    keys: Vec<String>,
}

/// Titles kept prepared on one thread; past it the cache starts again.
const PREPARED_TITLES: usize = 4096;

/// `title` normalised and keyed. Both are functions of the title alone, and
/// the same few hundred titles (menus, departments, services, in three
/// languages) are offered turn after turn: deriving them again for every
/// typed message was most of a turn's cost (7.7 % of the host's CPU at
/// 10,000 msg/s, spelling keys of Telugu and Hindi titles transliterated
/// each time). Kept per worker thread, so no lock.
fn prepared(title: &str) -> Rc<Title> {
    thread_local! {
        static PREPARED: RefCell<HashMap<String, Rc<Title>>> = RefCell::default();
    }
    PREPARED.with(|cache| {
        if let Some(title) = cache.borrow().get(title) {
            return title.clone();
        }
        let text = normalise(title);
        let prepared = Rc::new(Title { keys: if text.is_empty() { Vec::new() } else { keys(&text) }, text });
        let mut cache = cache.borrow_mut();
        if cache.len() >= PREPARED_TITLES {
            cache.clear();
        }
        cache.insert(title.to_owned(), prepared.clone());
        prepared
    })
}

/// Edits allowed between two spellings of `len` letters.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        8..=13 => 2,
        _ => 3,
    }
}

/// How well `typed` (normalised) fits `title`, 0 to 1.
fn score(typed: &str, typed_keys: &[String], title: &Title) -> f32 {
    let Title { text: title, keys: title_keys } = title;
    if title.is_empty() {
        return 0.0;
    }
    if typed == title {
        return 1.0;
    }
    if typed_keys.iter().all(|k| k.len() >= 2) && typed_keys == title_keys {
        return 0.9;
    }
    let len = typed.chars().count().min(title.chars().count());
    if within_edits(typed, title, allowed_edits(len)) {
        return 0.8;
    }
    // Some of the title's words, each close enough ("birth" for "Birth
    // certificate"): worth more the more of the title they cover.
    let title_words: Vec<&str> = title.split(' ').collect();
    let mut covered = vec![false; title_words.len()];
    for (word, key) in typed.split(' ').zip(typed_keys) {
        let found = title_words.iter().zip(title_keys).position(|(t, tk)| {
            let len = word.chars().count().min(t.chars().count());
            word == *t
                || (key.len() >= 2 && key == tk)
                || (word.chars().count() >= 3 && t.starts_with(word))
                || within_edits(word, t, allowed_edits(len))
        });
        match found {
            Some(i) => covered[i] = true,
            None => return 0.0,
        }
    }
    let share = covered.iter().filter(|c| **c).count() as f32 / covered.len() as f32;
    0.5 + 0.25 * share
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offers(list: &[(&str, &[&str])]) -> Vec<Offer> {
        list.iter()
            .map(|(id, titles)| Offer { id: id.to_string(), titles: titles.iter().map(|t| t.to_string()).collect() })
            .collect()
    }

    fn languages() -> Vec<Offer> {
        offers(&[
            ("en", &["English", "ఇంగ్లీష్", "अंग्रेज़ी"]),
            ("te", &["తెలుగు", "Telugu", "तेलुगु"]),
            ("hi", &["हिन्दी", "Hindi", "హిందీ"]),
        ])
    }

    fn picked(text: &str, offers: &[Offer]) -> Option<String> {
        pick(text, offers, true).map(|(i, _)| offers[i].id.clone())
    }

    #[test]
    fn a_number_picks_the_option_shown_at_that_place() {
        let langs = languages();
        assert_eq!(picked("2", &langs).as_deref(), Some("te"));
        assert_eq!(picked(" 3. ", &langs).as_deref(), Some("hi"));
        assert_eq!(picked("#1", &langs).as_deref(), Some("en"));
        assert_eq!(picked("౨", &langs).as_deref(), Some("te"), "Telugu digit two");
        assert_eq!(picked("३", &langs).as_deref(), Some("hi"), "Devanagari digit three");
        assert_eq!(picked("4", &langs), None);
        assert_eq!(picked("0", &langs), None);
        assert_eq!(pick("2", &langs, false), None, "numbers can be turned off");
    }

    #[test]
    fn a_title_in_any_language_or_romanised_or_misspelt_picks_it() {
        let langs = languages();
        for (typed, id) in [
            ("తెలుగు", "te"),
            ("telugu", "te"),
            ("Telugu!", "te"),
            ("telgu", "te"),
            ("hindi", "hi"),
            ("हिंदी", "hi"),
            ("english", "en"),
            ("inglish", "en"),
        ] {
            assert_eq!(picked(typed, &langs).as_deref(), Some(id), "{typed}");
        }
        let summary = offers(&[
            ("submit", &["Submit", "సమర్పించు", "जमा करें"]),
            ("edit", &["Edit", "మార్చు", "बदलें"]),
            ("cancel", &["Cancel", "రద్దు", "रद्द करें"]),
        ]);
        assert_eq!(picked("submitt", &summary).as_deref(), Some("submit"));
        assert_eq!(picked("samarpinchu", &summary).as_deref(), Some("submit"));
        assert_eq!(picked("jama karen", &summary).as_deref(), Some("submit"));
        assert_eq!(picked("సమర్పించు", &summary).as_deref(), Some("submit"));
    }

    #[test]
    fn part_of_a_title_picks_it_only_when_no_other_fits_as_well() {
        let results = offers(&[
            ("birth", &["Birth certificate", "జనన ధృవీకరణ పత్రం"]),
            ("death", &["Death certificate", "మరణ ధృవీకరణ పత్రం"]),
        ]);
        assert_eq!(picked("birth", &results).as_deref(), Some("birth"));
        assert_eq!(picked("death certficate", &results).as_deref(), Some("death"));
        assert_eq!(picked("certificate", &results), None, "both fit");
        assert_eq!(picked("income certificate", &results), None, "a new request");
        assert_eq!(picked("", &results), None);
    }
}
