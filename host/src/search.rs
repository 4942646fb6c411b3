//! Free-text search over every service of every plugin, in English, Telugu
//! and Hindi, tolerant of typos ("brith certifcate") and of the everyday
//! words people use instead of official titles ("bijli bill"), which plugins
//! supply as keywords.
//!
//! The index keeps one vocabulary of distinct terms, scored against a query
//! term by exact match, prefix, then the optimal-string-alignment edit
//! distance (typos and swapped letters), and the matches are scored through
//! postings. A query term is not held against every term: the terms that
//! can match it at all are looked up first (the term itself or its
//! singular, a range of the sorted vocabulary for a prefix, and for typos
//! the strings left by deleting a letter or two, which a term and its
//! misspelling share), and only those are scored: over the real catalogue
//! (344 services, thousands of terms) a query takes tens of microseconds,
//! not the milliseconds of a scan (see BENCHMARKS.md).
//!
//! Latin-script queries also find services by their Telugu and Hindi words
//! ("kula dhruvikarana patram" is కుల ధృవీకరణ పత్రం, "bijli" is बिजली):
//! every term has a spelling key ([`phonetic::key`]) that romanisations of
//! the same word share, compared when the letters themselves do not match,
//! and looked up the same ways.

pub mod phonetic;

use std::collections::HashMap;
use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::runtime::{Catalog, DepartmentInfo, Service, Text};

/// The index over what a catalogue serves now: after a version is
/// published (new services, new keywords), the next search rebuilds it —
/// a few milliseconds even for a thousand services.
#[derive(Debug)]
pub struct LiveSearch {
    catalog: Arc<Catalog>,
    /// The index and the catalogue generation it was built from.
    built: ArcSwap<(u64, SearchIndex)>,
}

impl LiveSearch {
    /// The index of `catalog`, built now.
    pub fn new(catalog: Arc<Catalog>) -> Self {
        let built = ArcSwap::from_pointee(Self::build(&catalog));
        Self { catalog, built }
    }

    fn build(catalog: &Catalog) -> (u64, SearchIndex) {
        // The generation first: a publish during the build means another one.
        let generation = catalog.generation();
        let plugins = catalog.plugins();
        (generation, SearchIndex::build(plugins.iter().map(|p| p.info())))
    }

    /// [`SearchIndex::search`] over the catalogue as it is now.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let mut built = self.built.load_full();
        if built.0 != self.catalog.generation() {
            built = Arc::new(Self::build(&self.catalog));
            self.built.store(built.clone());
        }
        built.1.search(query, limit)
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub plugin: String,
    pub service: String,
    pub score: f32,
}

#[derive(Debug)]
struct Entry {
    plugin: String,
    service: String,
}

/// The search index of a catalogue.
#[derive(Debug, Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
    /// Distinct terms, and for each the entries it occurs in with a weight.
    vocabulary: Vec<String>,
    /// Each vocabulary term's spelling key (see [`phonetic::key`]).
    keys: Vec<String>,
    postings: Vec<Vec<(u32, f32)>>,
    /// Term ids in the byte order of their terms, and of their keys: a term
    /// or key and every one it begins are a range found by binary search.
    by_term: Vec<u32>,
    by_key: Vec<u32>,
    /// Terms by what is left of them with up to as many letters deleted as
    /// [`typos_allowed`] forgives them: a term within that many edits of a
    /// query word shares one of these with it.
    term_deletions: Deletions,
    /// Terms by their keys with up to one letter deleted (the one edit
    /// [`key_similarity`] forgives), for keys long enough to get it.
    key_deletions: Deletions,
    /// The most letters of any term: a longer query word is no typo of one.
    longest_term: usize,
}

// Where a term occurs says how much it tells about the service.
const TITLE: f32 = 1.0;
const KEYWORD: f32 = 0.9;
const DEPARTMENT: f32 = 0.5;
const DESCRIPTION: f32 = 0.4;

/// Words that say nothing about which service is meant, in English, Telugu
/// and Hindi and as Telugu and Hindi are typed in Latin letters.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "for", "to", "my", "me", "i", "want", "need", "please", "pls", "plz", "get", "apply", "how",
    "in", "on", "and", "is", "can", "do", "what", "where", "with", "from", "about", "give", "check", "know", "online",
    "sir", "madam", "hello", "hi", "help",
    // Romanised Hindi.
    "ka", "ki", "ke", "ko", "se", "hai", "hain", "mera", "meri", "mere", "mujhe", "muje", "chahiye", "chaiye", "chahie",
    "kaise", "kese", "kare", "karen", "karna", "karo", "kya", "liye", "lie", "aur", "kahan", "kab", "apna", "apni",
    "batao", "bataiye", "dijiye", "do",
    // Romanised Telugu.
    "naaku", "naku", "maa", "ma", "mee", "kavali", "kaavali", "kavalenu", "kavalandi", "lo", "ela", "yela", "cheyali",
    "cheyyali", "cheppandi", "emiti", "ekkada", "entha", "undi", "ledu", "gurinchi", "kosam", "andi", "ivvandi",
    // Telugu.
    "నాకు", "మా", "మీ", "కావాలి", "కావలెను", "ఎలా", "చేయాలి", "చెప్పండి", "ఏమిటి", "ఎక్కడ", "ఉంది", "గురించి", "కోసం",
    "ఇవ్వండి", "దయచేసి",
    // Hindi.
    "मुझे", "मेरा", "मेरी", "चाहिए", "का", "की", "के", "को", "से", "है", "हैं", "कैसे", "करें", "करना", "क्या", "लिए",
    "और", "कहाँ", "कृपया", "दीजिए", "बताइए",
];

impl SearchIndex {
    /// Indexes every service of the departments described.
    pub fn build<'a>(departments: impl IntoIterator<Item = &'a DepartmentInfo>) -> Self {
        let mut index = Self::default();
        let mut terms: HashMap<String, usize> = HashMap::new();
        for info in departments {
            for service in &info.services {
                let entry = index.entries.len() as u32;
                index.entries.push(Entry { plugin: info.id.clone(), service: service.id.clone() });
                let mut weights: HashMap<String, f32> = HashMap::new();
                for (text, weight) in fields(service, &info.name) {
                    for term in tokens(&text) {
                        let w = weights.entry(term).or_default();
                        *w = w.max(weight);
                    }
                }
                for (term, weight) in weights {
                    let id = *terms.entry(term.clone()).or_insert_with(|| {
                        index.keys.push(phonetic::key(&term));
                        index.vocabulary.push(term);
                        index.postings.push(Vec::new());
                        index.vocabulary.len() - 1
                    });
                    index.postings[id].push((entry, weight));
                }
            }
        }
        index.index_terms();
        index
    }

    /// The lookups [`Self::candidates`] finds a query word's terms through.
    fn index_terms(&mut self) {
        let ids = 0..self.vocabulary.len() as u32;
        self.by_term = ids.clone().collect();
        self.by_term.sort_unstable_by(|&a, &b| self.vocabulary[a as usize].cmp(&self.vocabulary[b as usize]));
        self.by_key = ids.clone().collect();
        self.by_key.sort_unstable_by(|&a, &b| self.keys[a as usize].cmp(&self.keys[b as usize]));
        let (mut term_variants, mut key_variants) = (Vec::new(), Vec::new());
        let (mut letters, mut variants): (Vec<char>, Vec<u64>) = (Vec::new(), Vec::new());
        for id in ids {
            letters.clear();
            letters.extend(self.vocabulary[id as usize].chars());
            self.longest_term = self.longest_term.max(letters.len());
            deletion_variants(&letters, typos_allowed(letters.len()), &mut variants);
            term_variants.extend(variants.iter().map(|&variant| (variant, id)));
            letters.clear();
            letters.extend(self.keys[id as usize].chars());
            if letters.len() >= KEY_TYPO_MIN {
                deletion_variants(&letters, 1, &mut variants);
                key_variants.extend(variants.iter().map(|&variant| (variant, id)));
            }
        }
        self.term_deletions = Deletions::new(&term_variants);
        self.key_deletions = Deletions::new(&key_variants);
    }

    /// Services in the index.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best `limit` services for `query`, best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        self.search_with(query, limit, |q| self.matches(q))
    }

    /// [`Self::search`], with each query term's matching terms found by
    /// `matches` (the tests hold the lookups against a scan through it).
    fn search_with(&self, query: &str, limit: usize, matches: impl Fn(&str) -> Vec<(u32, f32)>) -> Vec<Hit> {
        let query_terms = tokens(query);
        if query_terms.is_empty() {
            return Vec::new();
        }
        // Per entry: the rank (matches weighted by how rare the matched term
        // is) and its strongest single match. Citizens write sentences ("pension
        // for my mother she is 65 years"): one strong match is enough to list a
        // service, and services matching more of the sentence rank higher.
        let services = self.entries.len().max(1) as f32;
        // Dense per-entry arrays, not maps: a query touches hundreds of
        // postings and hashing each was most of its time.
        let mut scores = vec![(0.0f32, 0.0f32); self.entries.len()];
        let mut best = vec![(0.0f32, 0.0f32); self.entries.len()];
        let mut touched: Vec<u32> = Vec::new();
        for q in &query_terms {
            // Per entry, the best match of this query term.
            for (term_id, similarity) in matches(q) {
                let postings = &self.postings[term_id as usize];
                let rarity = 1.0 + 0.5 * (services / postings.len() as f32).ln();
                for &(entry, weight) in postings {
                    let s = &mut best[entry as usize];
                    if s.1 == 0.0 {
                        touched.push(entry);
                    }
                    s.0 = s.0.max(similarity * weight * rarity);
                    s.1 = s.1.max(similarity * weight);
                }
            }
            for entry in touched.drain(..) {
                let (rank, strength) = std::mem::take(&mut best[entry as usize]);
                let s = &mut scores[entry as usize];
                s.0 += rank;
                s.1 = s.1.max(strength);
            }
        }
        let n = query_terms.len() as f32;
        let mut ranked: Vec<(u32, f32)> = scores
            .into_iter()
            .enumerate()
            // Something about the service must match well: a title or keyword
            // word, or the department's name, not a word of a description.
            .filter(|(_, (_, strongest))| *strongest >= 0.45)
            .map(|(entry, (rank, _))| (entry as u32, rank / n))
            .collect();
        // Ids, not hits, sorted: a sentence lists hundreds of services and
        // only `limit` of them need their names copied.
        let service = |entry: u32| &self.entries[entry as usize].service;
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| service(a.0).cmp(service(b.0))));
        ranked.truncate(limit);
        ranked
            .into_iter()
            .map(|(entry, score)| {
                let e = &self.entries[entry as usize];
                Hit { plugin: e.plugin.clone(), service: e.service.clone(), score }
            })
            .collect()
    }

    /// The vocabulary terms query term `q` matches (by id, each once), and
    /// how well: the few [`Self::candidates`] scored as every term would be.
    fn matches(&self, q: &str) -> Vec<(u32, f32)> {
        // Words of a letter or two are too short to spell out a key.
        let q_key = (q.chars().count() >= 3).then(|| phonetic::key(q));
        let q_key = q_key.as_deref();
        self.candidates(q, q_key)
            .into_iter()
            .filter_map(|term_id| {
                let term = term_id as usize;
                let mut similarity = similarity(q, &self.vocabulary[term]);
                if let Some(q_key) = q_key
                    && similarity < 0.85
                {
                    similarity = similarity.max(key_similarity(q_key, &self.keys[term]));
                }
                (similarity > 0.0).then_some((term_id, similarity))
            })
            .collect()
    }

    /// Every term [`similarity`] scores above nothing against query term
    /// `q`, and (given `q_key`, `q`'s spelling key) every term
    /// [`key_similarity`] does, and a few more: sorted, each once.
    fn candidates(&self, q: &str, q_key: Option<&str>) -> Vec<u32> {
        let mut candidates = Vec::new();
        let letters: Vec<char> = q.chars().collect();
        // The term itself, and the singular of an English plural.
        candidates.extend(equal_to(&self.by_term, &self.vocabulary, q));
        if q.len() > 4 {
            for singular in [q.strip_suffix("es"), q.strip_suffix('s')].into_iter().flatten() {
                candidates.extend(equal_to(&self.by_term, &self.vocabulary, singular));
            }
        }
        if letters.len() >= 3 {
            candidates.extend(starting_with(&self.by_term, &self.vocabulary, q));
        }
        // A typo within `allowed` edits deletes at most that many letters
        // from the word and from the term (a swap deletes one of the pair on
        // each side) and leaves the same string, which both were indexed by.
        let allowed = typos_allowed(letters.len());
        if allowed > 0 && letters.len() <= self.longest_term + allowed {
            let mut variants = Vec::new();
            deletion_variants(&letters, allowed, &mut variants);
            for variant in variants {
                candidates.extend(self.term_deletions.terms(variant));
            }
        }
        if let Some(key) = q_key {
            match key.len() {
                2 => candidates.extend(equal_to(&self.by_key, &self.keys, key)),
                3.. => candidates.extend(starting_with(&self.by_key, &self.keys, key)),
                _ => {}
            }
            if key.len() >= KEY_TYPO_MIN {
                let (key_letters, mut variants): (Vec<char>, _) = (key.chars().collect(), Vec::new());
                deletion_variants(&key_letters, 1, &mut variants);
                for variant in variants {
                    candidates.extend(self.key_deletions.terms(variant));
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }
}

/// The ids in `sorted` (ordered by their text in `texts`) whose text
/// starts with `prefix`, in that order: `prefix` itself first.
fn starting_with<'a>(sorted: &'a [u32], texts: &'a [String], prefix: &'a str) -> impl Iterator<Item = u32> + 'a {
    let first = sorted.partition_point(|&id| texts[id as usize].as_str() < prefix);
    sorted[first..].iter().copied().take_while(move |&id| texts[id as usize].starts_with(prefix))
}

/// The ids in `sorted` (ordered by their text in `texts`) whose text is
/// `text`.
fn equal_to<'a>(sorted: &'a [u32], texts: &'a [String], text: &'a str) -> impl Iterator<Item = u32> + 'a {
    starting_with(sorted, texts, text).take_while(move |&id| texts[id as usize] == text)
}

/// Term ids by the hashes of the strings left of them by deletions,
/// bucketed by the hashes' top bits: built by one counting sort (no hash
/// table to grow: ~100,000 of these are filed on every build), and a
/// bucket's few entries lie together.
#[derive(Debug)]
struct Deletions {
    /// Where each bucket's entries begin in `entries`, and where the last
    /// one's end.
    starts: Vec<u32>,
    /// A variant's hash (its low half: the bucket holds the rest, nearly)
    /// and the term it was left of.
    entries: Vec<(u32, u32)>,
    /// 64 less the bits that choose the bucket.
    shift: u32,
}

impl Default for Deletions {
    fn default() -> Self {
        Self::new(&[])
    }
}

impl Deletions {
    /// Each term filed under its variants, `(variant, term)`.
    fn new(variants: &[(u64, u32)]) -> Self {
        // About four entries a bucket, half a cache line; at least two
        // buckets, so that the shift stays under 64.
        let bits = (variants.len() / 4).max(2).next_power_of_two().trailing_zeros();
        let shift = 64 - bits;
        let mut starts = vec![0u32; (1 << bits) + 1];
        for &(variant, _) in variants {
            starts[(variant >> shift) as usize + 1] += 1;
        }
        for bucket in 1..starts.len() {
            starts[bucket] += starts[bucket - 1];
        }
        let mut next = starts.clone();
        let mut entries = vec![(0, 0); variants.len()];
        for &(variant, term) in variants {
            let slot = &mut next[(variant >> shift) as usize];
            entries[*slot as usize] = (variant as u32, term);
            *slot += 1;
        }
        Self { starts, entries, shift }
    }

    /// The terms filed under `variant` (and, rarely, under another string
    /// whose hash shares its bucket and low half: the caller scores every
    /// candidate anyway).
    fn terms(&self, variant: u64) -> impl Iterator<Item = u32> + '_ {
        let bucket = (variant >> self.shift) as usize;
        let (start, end) = (self.starts[bucket] as usize, self.starts[bucket + 1] as usize);
        self.entries[start..end].iter().filter(move |entry| entry.0 == variant as u32).map(|entry| entry.1)
    }
}

/// Sets `variants` to the hashes of `letters` and of every string left by
/// deleting up to `deletions` (1 or 2) of them, each once: characters, not
/// bytes, as the edit distance counts them (a Telugu letter is three
/// bytes). None when no letter may go: such a word is no typo of anything.
/// Hashes rather than strings: a long term has a hundred of these.
fn deletion_variants(letters: &[char], deletions: usize, variants: &mut Vec<u64>) {
    variants.clear();
    if deletions == 0 {
        return;
    }
    // FNV-1a over whole characters.
    let hash_without = |gone: [usize; 2]| {
        letters
            .iter()
            .enumerate()
            .filter(|(i, _)| !gone.contains(i))
            .fold(0xcbf2_9ce4_8422_2325u64, |hash, (_, &c)| (hash ^ c as u64).wrapping_mul(0x0100_0000_01b3))
    };
    const KEPT: usize = usize::MAX;
    variants.push(hash_without([KEPT, KEPT]));
    for i in 0..letters.len() {
        variants.push(hash_without([i, KEPT]));
        if deletions >= 2 {
            for j in i + 1..letters.len() {
                variants.push(hash_without([i, j]));
            }
        }
    }
    // A doubled letter leaves the same string whichever of the two goes.
    variants.sort_unstable();
    variants.dedup();
}

/// How many edits a word of `letters` characters may be from a term and
/// still match it (the shorter of the two counts): a typo is one letter
/// in a short word, two in a long one, none in a word of three.
fn typos_allowed(letters: usize) -> usize {
    match letters {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The shortest spelling keys that forgive an edit.
const KEY_TYPO_MIN: usize = 4;

fn fields(service: &Service, department: &Text) -> Vec<(String, f32)> {
    let mut out = Vec::new();
    let mut texts = |text: &Text, weight: f32| {
        out.push((text.en.clone(), weight));
        out.extend(text.te.iter().map(|t| (t.clone(), weight)));
        out.extend(text.hi.iter().map(|t| (t.clone(), weight)));
    };
    texts(&service.title, TITLE);
    texts(&service.description, DESCRIPTION);
    texts(department, DEPARTMENT);
    let k = &service.keywords;
    for word in k.en.iter().chain(&k.te).chain(&k.hi) {
        out.push((word.clone(), KEYWORD));
    }
    out
}

/// Lowercased words, punctuation and joiners removed, stop words dropped.
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c.is_ascii_punctuation() || c == '।')
        .map(|w| w.chars().filter(|c| !matches!(c, '\u{200c}' | '\u{200d}')).collect::<String>().to_lowercase())
        .filter(|w| !w.is_empty() && !is_stop_word(w))
        .collect()
}

/// A stop word as listed, or a longer one spelt another way ("kaavaali").
fn is_stop_word(word: &str) -> bool {
    static STOP_KEYS: std::sync::LazyLock<std::collections::HashSet<String>> = std::sync::LazyLock::new(|| {
        STOP_WORDS.iter().filter(|w| w.chars().count() >= 5).map(|w| phonetic::key(w)).collect()
    });
    STOP_WORDS.contains(&word) || (word.chars().count() >= 5 && STOP_KEYS.contains(&phonetic::key(word)))
}

/// How well two spelling keys match, from 0 to 1: a little below the same
/// letters, since a key forgets vowels and aspiration.
fn key_similarity(q: &str, t: &str) -> f32 {
    let (ql, tl) = (q.len(), t.len());
    // Two-letter keys ("aay" and आय are "ay") only when equal.
    if ql == 2 && q == t {
        return 0.75;
    }
    if ql < 3 || tl < 3 {
        return 0.0;
    }
    if q == t {
        return 0.85;
    }
    if ql >= 3 && tl > ql + 1 && t.starts_with(q) {
        return 0.7;
    }
    if ql.min(tl) >= KEY_TYPO_MIN && ql.abs_diff(tl) <= 1 && within_one_edit(q.as_bytes(), t.as_bytes()) {
        return 0.75;
    }
    0.0
}

/// Whether `a` and `b` are at most `allowed` edits apart (optimal string
/// alignment distance), counting in letters. Most pairs differ in length by
/// more than that and are refused before any distance is computed; one
/// edit in Latin letters needs no allocation either.
pub(crate) fn within_edits(a: &str, b: &str, allowed: usize) -> bool {
    if a.chars().count().abs_diff(b.chars().count()) > allowed {
        return false;
    }
    match allowed {
        0 => a == b,
        1 if a.is_ascii() && b.is_ascii() => within_one_edit(a.as_bytes(), b.as_bytes()),
        _ => strsim::osa_distance(a, b) <= allowed,
    }
}

/// Whether `a` and `b` are at most one edit apart (an insertion, deletion,
/// substitution or swap of neighbours: optimal string alignment distance
/// ≤ 1), without the allocation of a general distance: every query word is
/// held against every term of the catalogue, and this is most of them.
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let Some(i) = a.iter().zip(b).position(|(x, y)| x != y) else {
        return b.len() - a.len() <= 1;
    };
    match b.len() - a.len() {
        0 => {
            a[i + 1..] == b[i + 1..]
                || (i + 1 < a.len() && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..])
        }
        1 => a[i..] == b[i + 1..],
        _ => false,
    }
}

/// How well query term `q` matches index term `t`, from 0 to 1.
fn similarity(q: &str, t: &str) -> f32 {
    if q == t {
        return 1.0;
    }
    // English plurals: "buses", "hospitals".
    if q.len() > 4 && (q.strip_suffix("es") == Some(t) || q.strip_suffix('s') == Some(t)) {
        return 0.95;
    }
    let (ql, tl) = (q.chars().count(), t.chars().count());
    // "cert" for "certificate": a prefix of a few letters is a strong hint.
    if ql >= 3 && tl > ql && t.starts_with(q) {
        return 0.85;
    }
    // Typos: one edit in a short word, two in a long one.
    let allowed = typos_allowed(ql.min(tl));
    if allowed == 0 || ql.abs_diff(tl) > allowed {
        return 0.0;
    }
    // One edit in Latin letters (most words): bytes are letters.
    if allowed == 1 && q.is_ascii() && t.is_ascii() {
        return if within_one_edit(q.as_bytes(), t.as_bytes()) { 0.8 } else { 0.0 };
    }
    let distance = strsim::osa_distance(q, t);
    if distance <= allowed { 0.9 - 0.1 * distance as f32 } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::LazyLock;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn one_edit_is_the_optimal_string_alignment_distance_of_one() {
        let words = [
            "pension", "pensoin", "pention", "pensions", "ension", "pensiom", "birth", "brith", "bitrh", "", "a", "ab",
            "ba", "abc",
        ];
        for a in words {
            for b in words {
                assert_eq!(within_one_edit(a.as_bytes(), b.as_bytes()), strsim::osa_distance(a, b) <= 1, "{a:?} {b:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn properties_within_edits_is_the_optimal_string_alignment_distance(
            a in "[abcé్అ ]{0,9}",
            b in "[abcé్అ ]{0,9}",
            allowed in 0usize..4,
        ) {
            prop_assert_eq!(within_edits(&a, &b, allowed), strsim::osa_distance(&a, &b) <= allowed);
        }
    }

    #[test]
    fn typos_cost_a_little_and_unrelated_words_nothing() {
        assert_eq!(similarity("birth", "birth"), 1.0);
        assert!(similarity("brith", "birth") > 0.7);
        assert!(similarity("certifcate", "certificate") > 0.7);
        assert!(similarity("cert", "certificate") > 0.8);
        assert_eq!(similarity("bill", "bold"), 0.0, "two edits are too many for a short word");
        assert_eq!(similarity("land", "bus"), 0.0);
    }

    fn service(id: &str, title: Text, keywords: &[&str]) -> Service {
        Service {
            id: id.into(),
            title,
            description: Text { en: String::new(), te: None, hi: None },
            category: "general".into(),
            keywords: crate::runtime::Keywords {
                en: keywords.iter().map(|k| k.to_string()).collect(),
                te: Vec::new(),
                hi: Vec::new(),
            },
            form: Vec::new(),
            fee_paise: 0,
            sla_days: 0,
            delivery: crate::runtime::Delivery::Information,
        }
    }

    fn text(en: &str, te: &str, hi: &str) -> Text {
        Text { en: en.into(), te: Some(te.into()), hi: Some(hi.into()) }
    }

    fn catalogue() -> SearchIndex {
        let municipal = DepartmentInfo {
            id: "municipal".into(),
            name: text("Municipal", "పురపాలక", "नगरपालिका"),
            contract_version: "0.1.0".into(),
            services: vec![
                service("birth-certificate", text("Birth certificate", "జనన ధృవీకరణ పత్రం", "जन्म प्रमाण पत्र"), &["birth"]),
                service("death-certificate", text("Death certificate", "మరణ ధృవీకరణ పత్రం", "मृत्यु प्रमाण पत्र"), &[]),
            ],
        };
        let energy = DepartmentInfo {
            id: "energy".into(),
            name: text("Energy", "ఇంధన శాఖ", "ऊर्जा"),
            contract_version: "0.1.0".into(),
            services: vec![service(
                "bill",
                text("Electricity bill", "కరెంట్ బిల్లు", "बिजली बिल"),
                &["current bill", "bijli bill", "power bill"],
            )],
        };
        SearchIndex::build([&municipal, &energy])
    }

    #[test]
    fn searches_find_services_in_every_language_and_through_typos() {
        let index = catalogue();
        assert_eq!(index.len(), 3);
        for (query, expected) in [
            ("birth certificate", "birth-certificate"),
            ("brith certifcate", "birth-certificate"),
            ("జనన ధృవీకరణ పత్రం", "birth-certificate"),
            ("जन्म प्रमाण पत्र", "birth-certificate"),
            ("bijli bill", "bill"),
            ("current bil", "bill"),
            ("death", "death-certificate"),
        ] {
            let hits = index.search(query, 3);
            assert_eq!(hits.first().map(|h| h.service.as_str()), Some(expected), "{query}: {hits:?}");
        }
        assert!(index.search("bus ticket to tirupati", 3).is_empty());
        assert!(index.search("   ", 3).is_empty());
    }

    #[test]
    fn tokens_drop_punctuation_joiners_and_stop_words() {
        assert_eq!(tokens("I want my Birth-Certificate!"), ["birth", "certificate"]);
        assert_eq!(tokens("జనన ధృవీకరణ పత్రం కావాలి"), ["జనన", "ధృవీకరణ", "పత్రం"]);
        assert_eq!(tokens("बिजली का बिल"), ["बिजली", "बिल"]);
    }

    impl SearchIndex {
        /// The search with every query term held against every term, as it
        /// was before the lookups: what [`SearchIndex::search`] must agree with.
        fn search_by_scan(&self, query: &str, limit: usize) -> Vec<Hit> {
            self.search_with(query, limit, |q| self.matches_by_scan(q))
        }

        /// Every term `q` matches, by id: the scan [`SearchIndex::matches`]
        /// replaces.
        fn matches_by_scan(&self, q: &str) -> Vec<(u32, f32)> {
            let q_key = phonetic::key(q);
            let keyed = q.chars().count() >= 3;
            let mut matches = Vec::new();
            for (term_id, term) in self.vocabulary.iter().enumerate() {
                let mut similarity = similarity(q, term);
                if keyed && similarity < 0.85 {
                    similarity = similarity.max(key_similarity(&q_key, &self.keys[term_id]));
                }
                if similarity != 0.0 {
                    matches.push((term_id as u32, similarity));
                }
            }
            matches
        }

        /// Roughly what the lookups add to the index, in bytes.
        fn lookup_bytes(&self) -> usize {
            let deletions =
                |d: &Deletions| d.starts.capacity() * size_of::<u32>() + d.entries.capacity() * size_of::<(u32, u32)>();
            (self.by_term.capacity() + self.by_key.capacity()) * size_of::<u32>()
                + deletions(&self.term_deletions)
                + deletions(&self.key_deletions)
        }
    }

    fn from_definition(text: &mitra_declarative::model::Text) -> Text {
        Text {
            en: text.en.get_ref().clone(),
            te: text.te.as_ref().map(|t| t.get_ref().clone()),
            hi: text.hi.as_ref().map(|t| t.get_ref().clone()),
        }
    }

    /// The departments written as definitions (`plugins/departments`, 27 of
    /// the real catalogue's 37) as their component describes them, read
    /// without loading it.
    fn definitions_catalogue() -> Vec<DepartmentInfo> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../plugins/departments");
        let mut dirs: Vec<_> =
            std::fs::read_dir(&root).expect("plugins/departments").flatten().map(|e| e.path().join("data")).collect();
        dirs.sort();
        dirs.iter()
            .map(|data| {
                let definitions =
                    mitra_declarative::load_dir(data).unwrap_or_else(|e| panic!("{}: {e}", data.display()));
                let services = definitions.services.values().map(|s| Service {
                    id: s.id.get_ref().clone(),
                    title: from_definition(&s.title),
                    description: from_definition(&s.description),
                    category: s.category.clone(),
                    keywords: crate::runtime::Keywords {
                        en: s.keywords.en.clone(),
                        te: s.keywords.te.clone(),
                        hi: s.keywords.hi.clone(),
                    },
                    form: Vec::new(),
                    fee_paise: 0,
                    sla_days: 0,
                    delivery: crate::runtime::Delivery::Information,
                });
                DepartmentInfo {
                    id: definitions.department.id.get_ref().clone(),
                    name: from_definition(&definitions.department.name),
                    contract_version: "0.1.0".into(),
                    services: services.collect(),
                }
            })
            .collect()
    }

    static DEFINITIONS: LazyLock<SearchIndex> = LazyLock::new(|| SearchIndex::build(&definitions_catalogue()));

    /// Every citizen phrasing of the search-quality set (`tests/search`).
    fn phrasings() -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/search");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("tests/search")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
            .collect();
        files.sort();
        let mut phrasings = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a phrasing file");
            phrasings.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with("group\t"))
                    .filter_map(|l| l.split('\t').nth(1).map(str::to_owned)),
            );
        }
        phrasings
    }

    #[track_caller]
    fn same_as_the_scan(index: &SearchIndex, query: &str) {
        for q in tokens(query).iter().map(String::as_str).chain([query]) {
            assert_eq!(index.matches(q), index.matches_by_scan(q), "matches of {q:?}");
        }
        assert_eq!(index.search(query, usize::MAX), index.search_by_scan(query, usize::MAX), "hits of {query:?}");
    }

    #[test]
    fn the_lookups_find_what_the_scan_finds() {
        #[rustfmt::skip]
        let queries = [
            // Typos and swapped letters.
            "brith certifcate", "pensoin", "pention", "hosptal", "bith", "birht", "certfiicate", "hsopital", "pnesion",
            "licnese", "electricty", "bijil", "curent bil",
            // Plurals and prefixes.
            "certificates", "buses", "hospitals", "licences", "pensions", "cert", "pen", "hosp", "reg", "lic", "ele",
            "certif", "regist",
            // Long words with two typos.
            "certifcat", "certficaet", "registraton", "registartion", "vaccinaton", "scholrship", "immunizaton",
            "sertificate", "regestration",
            // Telugu and Hindi, spelt right and wrong.
            "జనన ధృవీకరణ పత్రం", "ధృవీకరన", "పత్రము", "రక్తం", "రక్త", "పింఛను", "పించను", "బ్లడ్ బ్యాంక్", "ధ్రువీకరణ",
            "जन्म प्रमाण पत्र", "प्रमान", "बिजली", "बिजलि", "खून", "राशन", "ब्लड बैंक", "प्रमाणपत्र",
            // Romanised Telugu and Hindi.
            "kula dhruvikarana patram", "drivikarana", "pathram", "bijli", "bijlee", "janam", "janm", "praman",
            "pinchanu", "raktham", "aadaya", "adaya", "rythu bharosa", "zameen", "pattadar passbook", "darshanam",
            "khoon", "ration card", "vidyut",
            // Short words, and what is no word at all.
            "a", "ab", "id", "bus", "aay", "ay", "no", "65", "x y z", "", "   ", "BIRTH", "birth-certificate!",
            "brithcertifcate", "janmapatra",
        ];
        let long = "a".repeat(300);
        for index in [&catalogue(), &*DEFINITIONS] {
            let mut found = 0;
            for query in queries.iter().copied().chain([long.as_str()]) {
                same_as_the_scan(index, query);
                found += usize::from(!index.search(query, 1).is_empty());
            }
            // Not agreement on nothing: most of these find a service.
            assert!(found * 2 > queries.len() || index.len() < 10, "{found} of {} found something", queries.len());
        }
    }

    #[test]
    fn the_lookups_find_what_the_scan_finds_for_every_citizen_phrasing() {
        let phrasings = phrasings();
        assert!(phrasings.len() >= 1000, "{} phrasings", phrasings.len());
        for query in &phrasings {
            same_as_the_scan(&DEFINITIONS, query);
        }
    }

    #[test]
    #[ignore = "needs the installed catalogue (`cargo xtask plugins`); compiles its components the first time"]
    fn the_lookups_find_what_the_scan_finds_over_the_installed_catalogue() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let config = crate::runtime::RuntimeConfig {
            pooling: false,
            cache_dir: Some(root.join("target/tmp/search-catalogue-cwasm")),
            ..Default::default()
        };
        let runtime = crate::runtime::Runtime::new(&config).expect("a runtime");
        let installed = root.join(".mitra/plugins");
        let catalog = Catalog::load_dir(&runtime, &installed).expect("the installed plugins");
        assert!(catalog.failures().is_empty(), "{:?}", catalog.failures());
        let plugins = catalog.plugins();
        let index = SearchIndex::build(plugins.iter().map(|p| p.info()));
        assert!(index.len() >= 300, "{} services installed", index.len());
        for query in &phrasings() {
            same_as_the_scan(&index, query);
        }
    }

    /// A change to a word: what people do to words when they type them.
    #[derive(Clone, Debug)]
    enum Typo {
        Delete(prop::sample::Index),
        Insert(prop::sample::Index, char),
        Replace(prop::sample::Index, char),
        Swap(prop::sample::Index),
        /// The word cut short, as typed until it was recognised.
        Cut(prop::sample::Index),
        Plural(&'static str),
        /// Telugu or Hindi typed in Latin letters (and Latin lowercased).
        Romanise,
    }

    fn typo() -> impl Strategy<Value = Typo> {
        // Letters of every script the catalogue is written in: in Telugu and
        // Devanagari ka, ta, pa, ra, the vowel signs aa, i, u/ii, the virama
        // and the anusvara.
        let letters = concat!(
            "abcdeghijklmnoprstuvyz",
            "\u{c15}\u{c24}\u{c2a}\u{c30}\u{c3e}\u{c3f}\u{c41}\u{c4d}\u{c02}",
            "\u{915}\u{924}\u{92a}\u{930}\u{93e}\u{93f}\u{940}\u{94d}\u{902}",
        );
        let letter = prop::sample::select(letters.chars().collect::<Vec<_>>());
        let at = any::<prop::sample::Index>;
        prop_oneof![
            at().prop_map(Typo::Delete),
            (at(), letter.clone()).prop_map(|(i, c)| Typo::Insert(i, c)),
            (at(), letter).prop_map(|(i, c)| Typo::Replace(i, c)),
            at().prop_map(Typo::Swap),
            at().prop_map(Typo::Cut),
            prop::sample::select(vec!["s", "es"]).prop_map(Typo::Plural),
            Just(Typo::Romanise),
        ]
    }

    fn misspell(word: &str, typos: &[Typo]) -> String {
        let mut letters: Vec<char> = word.chars().collect();
        for typo in typos {
            let n = letters.len();
            match typo {
                Typo::Delete(i) if n > 0 => {
                    letters.remove(i.index(n));
                }
                Typo::Insert(i, c) => letters.insert(i.index(n + 1), *c),
                Typo::Replace(i, c) if n > 0 => letters[i.index(n)] = *c,
                Typo::Swap(i) if n > 1 => letters.swap(i.index(n - 1), i.index(n - 1) + 1),
                Typo::Cut(i) if n > 0 => letters.truncate(i.index(n) + 1),
                Typo::Plural(suffix) => letters.extend(suffix.chars()),
                Typo::Romanise => letters = phonetic::romanise(&letters.iter().collect::<String>()).chars().collect(),
                _ => {}
            }
        }
        letters.into_iter().collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The catalogue's own words with up to three typos: each one's
        /// matches by the lookups are the scan's.
        #[test]
        fn misspelt_catalogue_words_match_the_terms_the_scan_matches(
            word in any::<prop::sample::Index>(),
            typos in prop::collection::vec(typo(), 0..=3),
        ) {
            let index = &*DEFINITIONS;
            let q = misspell(&index.vocabulary[word.index(index.vocabulary.len())], &typos);
            prop_assert_eq!(index.matches(&q), index.matches_by_scan(&q), "{:?}", q);
        }
    }

    #[test]
    #[ignore = "a measurement, not a check"]
    fn search_time_over_the_definitions_catalogue() {
        let catalogue = definitions_catalogue();
        let mut builds: Vec<_> = (0..20)
            .map(|_| {
                let started = std::time::Instant::now();
                std::hint::black_box(SearchIndex::build(&catalogue));
                started.elapsed()
            })
            .collect();
        builds.sort();
        let mut index = SearchIndex::build(&catalogue);
        let mut lookups: Vec<_> = (0..20)
            .map(|_| {
                let started = std::time::Instant::now();
                index.index_terms();
                started.elapsed()
            })
            .collect();
        lookups.sort();
        let deletions = index.term_deletions.entries.len() + index.key_deletions.entries.len();
        println!(
            "{} services, {} terms, {deletions} deletion variants: build p50 {:.1} ms, of which lookups {:.1} ms, {:.2} MB",
            index.len(),
            index.vocabulary.len(),
            builds[builds.len() / 2].as_secs_f64() * 1e3,
            lookups[lookups.len() / 2].as_secs_f64() * 1e3,
            index.lookup_bytes() as f64 / 1e6
        );
        let phrasings = phrasings();
        let time = |search: &dyn Fn(&str) -> Vec<Hit>| {
            let mut times: Vec<_> = (0..5)
                .flat_map(|_| &phrasings)
                .map(|q| {
                    let started = std::time::Instant::now();
                    std::hint::black_box(search(q));
                    started.elapsed()
                })
                .collect();
            times.sort();
            let at = |p: f64| times[((times.len() - 1) as f64 * p) as usize].as_secs_f64() * 1e6;
            (at(0.5), at(0.99))
        };
        let (p50, p99) = time(&|q| index.search(q, 10));
        let (scan_p50, scan_p99) = time(&|q| index.search_by_scan(q, 10));
        println!(
            "{} phrasings: p50 {p50:.0} µs, p99 {p99:.0} µs (scan: {scan_p50:.0} µs, {scan_p99:.0} µs)",
            phrasings.len()
        );
    }
}
