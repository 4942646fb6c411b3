//! What the registers' records are made of: places, people, dates and
//! words in three languages, drawn from a record's seeded [`Rng`] the same
//! way in every department, so that one record reads like another.
//!
//! Every helper draws from `rng` in a fixed order; a record made of them is
//! the same for the same key on every run.

use std::ops::RangeInclusive;

use serde_json::{Value, json};

use super::{Rng, digits_key};
use crate::seed::calendar::{civil_from_days, days_from_civil, iso, today};
use crate::seed::{self, DISTRICTS, District, Mandal, Village};

/// A code the definitions test and its words in English, Telugu and Hindi:
/// `("paid", "Paid", "చెల్లించారు", "भुगतान हो गया")`.
pub type Words = (&'static str, &'static str, &'static str, &'static str);

/// The fields of all `parts` (JSON objects) in one object; a later part's
/// field replaces an earlier one's.
pub fn join(parts: impl IntoIterator<Item = Value>) -> Value {
    let mut all = serde_json::Map::new();
    for part in parts {
        if let Value::Object(fields) = part {
            all.extend(fields);
        }
    }
    Value::Object(all)
}

/// `name` with the code of `words`, and `name_en`, `name_te`, `name_hi`
/// with its words: `words("status", …)` gives `status`, `status_en`, ….
pub fn words(name: &str, words: Words) -> Value {
    json!({
        name: words.0, format!("{name}_en"): words.1, format!("{name}_te"): words.2, format!("{name}_hi"): words.3,
    })
}

/// `name_code` with the code of `words`, and `name`, `name_te`, `name_hi`
/// with its words: `coded_words("status", …)` gives `status_code`, `status`, ….
pub fn coded_words(name: &str, words: &Words) -> Value {
    json!({
        format!("{name}_code"): words.0, name: words.1, format!("{name}_te"): words.2, format!("{name}_hi"): words.3,
    })
}

/// A text in English, Telugu and Hindi, as `{"en", "te", "hi"}` (the
/// definitions read `record.<field>.en`).
pub fn said([en, te, hi]: [&str; 3]) -> Value {
    json!({"en": en, "te": te, "hi": hi})
}

/// Where an application stands: `status` with the stage's code, and `stage`
/// with its words ([`said`]); `stage` is `[code, English, Telugu, Hindi]`.
pub fn stage_fields([code, en, te, hi]: [&str; 4]) -> Value {
    json!({"status": code, "stage": said([en, te, hi])})
}

/// The day `offset` days from today, as `YYYY-MM-DD`.
pub fn day(offset: i64) -> String {
    iso(today() + offset)
}

/// A day between `lo` and `hi` days ago, as `YYYY-MM-DD`.
pub fn days_ago(rng: &mut Rng, lo: u64, hi: u64) -> String {
    iso(today() - rng.between(lo, hi) as i64)
}

/// The day `n` years after `days` (the 28th for a day past it in the month).
pub fn years_after(days: i64, n: i64) -> i64 {
    let (y, m, d) = civil_from_days(days);
    days_from_civil(y + n, m, d.min(28))
}

/// A day of `year`, and not later than `latest`.
pub fn day_in(rng: &mut Rng, year: i64, latest: i64) -> i64 {
    (days_from_civil(year, 1, 1) + rng.below(365) as i64).min(latest)
}

/// The day something numbered `PREFIX-YYYY-…` (`key`) was filed: a day of
/// that year (2024 when the key has none), and at the latest a number of
/// days ago drawn from `ago`.
pub fn filed_in(key: &str, rng: &mut Rng, ago: RangeInclusive<u64>) -> i64 {
    let year = key.split('-').nth(1).and_then(|y| y.parse().ok()).unwrap_or(2024);
    let day = days_from_civil(year, rng.between(1, 12) as u32, rng.between(1, 28) as u32);
    day.min(today() - rng.between(*ago.start(), *ago.end()) as i64)
}

/// Months as the slips print them: English, Telugu, Hindi.
const MONTHS: [(&str, &str, &str); 12] = [
    ("January", "జనవరి", "जनवरी"),
    ("February", "ఫిబ్రవరి", "फ़रवरी"),
    ("March", "మార్చి", "मार्च"),
    ("April", "ఏప్రిల్", "अप्रैल"),
    ("May", "మే", "मई"),
    ("June", "జూన్", "जून"),
    ("July", "జూలై", "जुलाई"),
    ("August", "ఆగస్టు", "अगस्त"),
    ("September", "సెప్టెంబర్", "सितंबर"),
    ("October", "అక్టోబర్", "अक्टूबर"),
    ("November", "నవంబర్", "नवंबर"),
    ("December", "డిసెంబర్", "दिसंबर"),
];

/// The month of a day number, like "June 2026", in English, Telugu and Hindi.
pub fn month_names(day: i64) -> (String, String, String) {
    let (y, m, _) = civil_from_days(day);
    let (en, te, hi) = MONTHS[m as usize - 1];
    (format!("{en} {y}"), format!("{te} {y}"), format!("{hi} {y}"))
}

/// The first day of the month `back` months before this one.
pub fn month_start(back: i64) -> i64 {
    let (y, m, _) = civil_from_days(today());
    let months = y * 12 + i64::from(m) - 1 - back;
    days_from_civil(months.div_euclid(12), (months.rem_euclid(12) + 1) as u32, 1)
}

/// The month of a day number as statements print it: "Oct 2026".
pub fn short_month(day: i64) -> String {
    let (y, m, _) = civil_from_days(day);
    format!("{} {y}", &MONTHS[m as usize - 1].0[..3])
}

/// A village of the seeded districts, with its mandal and district.
pub fn somewhere(rng: &mut Rng) -> (&'static District, &'static Mandal, &'static Village) {
    let d = rng.pick(DISTRICTS);
    let m = rng.pick(d.mandals);
    (d, m, rng.pick(m.villages))
}

/// A village's address as record fields: `district`, `mandal` and
/// `village`, each with its `_te`.
pub fn place_fields((d, m, v): (&District, &Mandal, &Village)) -> Value {
    json!({
        "district": d.name, "district_te": d.name_te, "mandal": m.name, "mandal_te": m.name_te,
        "village": v.name, "village_te": v.name_te,
    })
}

/// A village of the seeded districts ([`somewhere`]) as record fields ([`place_fields`]).
pub fn place(rng: &mut Rng) -> Value {
    place_fields(somewhere(rng))
}

/// A village of the seeded districts as record fields, with the fields
/// `more` makes of it (its secretariat, its forest range…).
pub fn place_with(rng: &mut Rng, more: impl FnOnce(&District, &Mandal, &Village) -> Value) -> Value {
    let (d, m, v) = somewhere(rng);
    join([place_fields((d, m, v)), more(d, m, v)])
}

/// The seeded district of a PIN code (the one whose PIN code has the same
/// first three digits), else one drawn from `rng`.
pub fn district_of_pincode(pincode: &str, rng: &mut Rng) -> &'static District {
    DISTRICTS.iter().find(|d| d.pincode.get(..3) == pincode.get(..3)).unwrap_or_else(|| rng.pick(DISTRICTS))
}

/// `text` as names are compared: lower case, without white space.
pub fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// The seeded village named `name` (in English or Telugu, case and spaces
/// ignored), with its mandal and district.
pub fn village(name: &str) -> Option<(&'static District, &'static Mandal, &'static Village)> {
    let wanted = squash(name);
    DISTRICTS
        .iter()
        .flat_map(|d| d.mandals.iter().flat_map(move |m| m.villages.iter().map(move |v| (d, m, v))))
        .find(|(_, _, v)| squash(v.name) == wanted || squash(v.name_te) == wanted)
}

/// Given names of women among the seeded citizens ([`seed::person`]); the
/// others are men's.
const WOMEN: &[&str] = &["Lakshmi", "Padmavathi", "Anjali", "Sujatha", "Durga Bhavani"];

/// A citizen who is a woman (`woman`) or a man: [`seed::person`] until it
/// gives one.
pub fn person_who(rng: &mut Rng, woman: bool) -> (String, String) {
    loop {
        let person = seed::person(rng);
        if WOMEN.iter().any(|w| person.0.starts_with(w)) == woman {
            return person;
        }
    }
}

/// A mobile number: `9` and nine digits.
pub fn phone(rng: &mut Rng) -> String {
    format!("9{:09}", rng.below(1_000_000_000))
}

/// A scheme that helps a family once in some years (a unit, a loan): how it
/// numbers applications and remembers whom it helped.
#[derive(Debug)]
pub struct OnceInYears {
    /// The prefix of its reference numbers (`PREFIX-YYYY-NNNNNN`).
    pub prefix: &'static str,
    /// Whose help the family register records (`bc`, `tricor`…): one
    /// family in eight was helped before.
    pub scheme: &'static str,
    /// The serials its references are drawn from.
    pub serials: RangeInclusive<u64>,
    /// How many years ago the families helped before were helped.
    pub years_ago: i64,
}

/// A new application to `scheme` for `{aadhaar, unit}`: its acknowledgement
/// (`reference`, `received_on`) and whether the family was helped before
/// (`assisted_before`, `assisted_year`).
pub fn apply_once(body: &Value, rng: &mut Rng, scheme: &OnceInYears) -> Result<Value, String> {
    let aadhaar = body["aadhaar"].as_str().and_then(|a| digits_key(a, 12)).ok_or("aadhaar: 12 digits")?;
    let unit = body["unit"].as_str().ok_or("unit is required")?;
    let assisted = Rng::for_key(&format!("{}-assisted:{aadhaar}", scheme.scheme)).below(8) == 0;
    let year = civil_from_days(today()).0;
    let helped = year - scheme.years_ago;
    Ok(json!({
        "reference": format!("{}-{year}-{:06}", scheme.prefix, rng.between(*scheme.serials.start(), *scheme.serials.end())),
        "unit": unit,
        "received_on": day(0),
        "assisted_before": assisted,
        "assisted_year": if assisted { format!("{helped}-{:02}", (helped + 1) % 100) } else { String::new() },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_join_and_words_are_named_as_the_definitions_read_them() {
        let record = join([json!({"a": 1, "b": 1}), json!({"b": 2}), json!("not an object")]);
        assert_eq!(record, json!({"a": 1, "b": 2}));
        let paid: Words = ("paid", "Paid", "చెల్లించారు", "भुगतान हो गया");
        assert_eq!(words("status", paid)["status_en"], "Paid");
        assert_eq!(coded_words("status", &paid)["status_code"], "paid");
        assert_eq!(stage_fields(["paid", "Paid", "te", "hi"])["stage"]["en"], "Paid");
    }

    #[test]
    fn months_places_and_people_are_the_seeded_ones() {
        let june = days_from_civil(2026, 6, 9);
        assert_eq!((month_names(june).0, short_month(june)), ("June 2026".to_owned(), "Jun 2026".to_owned()));
        assert_eq!(civil_from_days(month_start(0)).2, 1);
        assert_eq!(village(" గొల్ల పూడి ").map(|(_, _, v)| v.name), Some("Gollapudi"));
        let mut rng = Rng::for_key("t");
        let woman = person_who(&mut rng, true);
        assert!(WOMEN.iter().any(|w| woman.0.starts_with(w)), "{woman:?}");
        assert_eq!(place(&mut rng).as_object().map(|p| p.len()), Some(6));
    }
}
