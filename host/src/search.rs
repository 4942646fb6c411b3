//! Free-text search over every service of every plugin, in English, Telugu
//! and Hindi, tolerant of typos ("brith certifcate") and of the everyday
//! words people use instead of official titles ("bijli bill"), which plugins
//! supply as keywords.
//!
//! The index keeps one vocabulary of distinct terms; a query term is compared
//! with each vocabulary term once (exact, prefix, then the optimal-string-alignment edit distance: typos and swapped letters),
//! and the matches are scored through postings. With 1,000 services the
//! vocabulary stays in the low thousands, so a query takes well under a
//! millisecond (see BENCHMARKS.md).
//!
//! Latin-script queries also find services by their Telugu and Hindi words
//! ("kula dhruvikarana patram" is కుల ధృవీకరణ పత్రం, "bijli" is बिजली):
//! every term has a spelling key ([`phonetic::key`]) that romanisations of
//! the same word share, compared when the letters themselves do not match.

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
        index
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
            let q_key = phonetic::key(q);
            let keyed = q.chars().count() >= 3;
            // Per entry, the best match of this query term.
            for (term_id, term) in self.vocabulary.iter().enumerate() {
                let mut similarity = similarity(q, term);
                if keyed && similarity < 0.85 {
                    similarity = similarity.max(key_similarity(&q_key, &self.keys[term_id]));
                }
                if similarity == 0.0 {
                    continue;
                }
                let postings = &self.postings[term_id];
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
        let mut hits: Vec<Hit> = scores
            .into_iter()
            .enumerate()
            // Something about the service must match well: a title or keyword
            // word, or the department's name, not a word of a description.
            .filter(|(_, (_, strongest))| *strongest >= 0.45)
            .map(|(entry, (rank, _))| {
                let e = &self.entries[entry];
                Hit { plugin: e.plugin.clone(), service: e.service.clone(), score: rank / n }
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.service.cmp(&b.service)));
        hits.truncate(limit);
        hits
    }
}

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
    if ql.min(tl) >= 4 && ql.abs_diff(tl) <= 1 && within_one_edit(q.as_bytes(), t.as_bytes()) {
        return 0.75;
    }
    0.0
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
    let allowed = match ql.min(tl) {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    };
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
}
