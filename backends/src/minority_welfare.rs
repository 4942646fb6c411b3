//! The Minorities Welfare department's systems: Shaadi Tohfa marriage
//! assistance, the Imams' and Muezzins' honorarium roll, the State Haj
//! Committee's applications, the AP State Wakf Board's register of Auqaf and
//! the AP State Minorities Finance Corporation's (APSMFC) loans.
//!
//! Muslim names come from a short list of this module (the seeded citizens'
//! names are mostly Hindu); the places are the seeded districts.
//!
//! Example keys (always registered, on the happy path of the definitions):
//! - `shaadi-tohfa`: `SHT-2026-003309` (paid);
//! - `imams`: `IMH-204106` (active, paid up);
//! - `haj`: `APH-10443` (selected in the draw);
//! - `wakf`: `WKF-01287` (a notified property: the extract is issued);
//! - `loans`: `MFC-2025-001949` (sanctioned).
//!
//! `POST /loans` takes a new APSMFC loan application; the Aadhaar
//! `381245679035` has had no loan before.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::{self, Register};
use crate::seed::{self, DISTRICTS, Rng, calendar};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "shaadi-tohfa",
        key: |t| numbered(t, "SHT"),
        examples: &["SHT-2026-003309"],
        make: shaadi_tohfa,
        submit: None,
    },
    Register { name: "imams", key: |t| coded(t, "IMH", 6), examples: &["IMH-204106"], make: imam, submit: None },
    Register { name: "haj", key: |t| coded(t, "APH", 5), examples: &["APH-10443"], make: haj, submit: None },
    Register { name: "wakf", key: |t| coded(t, "WKF", 5), examples: &["WKF-01287"], make: wakf, submit: None },
    Register {
        name: "loans",
        key: |t| numbered(t, "MFC"),
        examples: &["MFC-2025-001949"],
        make: loan,
        submit: Some(apply_loan),
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// A status: its code and its words in English, Telugu and Hindi.
type Said = (&'static str, &'static str, &'static str, &'static str);

/// `PREFIX-YYYY-NNNNNN`, typed in any case, with or without dashes, slashes or spaces.
fn numbered(typed: &str, prefix: &str) -> Option<String> {
    let compact: String =
        typed.chars().filter(|c| !matches!(c, '-' | '/' | ' ')).collect::<String>().to_ascii_uppercase();
    let rest = compact.strip_prefix(prefix)?;
    let year: u32 = rest.get(..4)?.parse().ok()?;
    (rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()) && (2015..=2030).contains(&year))
        .then(|| format!("{prefix}-{year}-{}", &rest[4..]))
}

/// `PREFIX-` and `digits` digits, typed in any case, with or without the dash.
fn coded(typed: &str, prefix: &str, digits: usize) -> Option<String> {
    let compact: String =
        typed.chars().filter(|c| !matches!(c, '-' | '/' | ' ')).collect::<String>().to_ascii_uppercase();
    let rest = compact.strip_prefix(prefix)?;
    (rest.len() == digits && rest.bytes().all(|b| b.is_ascii_digit())).then(|| format!("{prefix}-{rest}"))
}

/// A day of `year`, not later than a week ago, on which something numbered that year was filed.
fn filed_in(year: &str, rng: &mut Rng) -> i64 {
    let year = year.parse().unwrap_or(2024);
    let day = calendar::days_from_civil(year, rng.between(1, 12) as u32, rng.between(1, 28) as u32);
    day.min(calendar::today() - rng.between(7, 40) as i64)
}

fn day(offset: i64) -> String {
    calendar::iso(calendar::today() + offset)
}

/// A village of the seeded districts, as record fields.
fn place(rng: &mut Rng) -> Value {
    let d = rng.pick(DISTRICTS);
    let m = rng.pick(d.mandals);
    let v = rng.pick(m.villages);
    json!({"district": d.name, "district_te": d.name_te, "mandal": m.name, "mandal_te": m.name_te,
           "village": v.name, "village_te": v.name_te})
}

/// `status` and its words `status_en`, `status_te`, `status_hi`.
fn said(s: Said) -> Value {
    json!({"status": s.0, "status_en": s.1, "status_te": s.2, "status_hi": s.3})
}

/// The objects' fields in one object.
fn join(parts: Vec<Value>) -> Value {
    let mut all = serde_json::Map::new();
    for part in parts {
        if let Value::Object(fields) = part {
            all.extend(fields);
        }
    }
    Value::Object(all)
}

const MEN: &[(&str, &str)] = &[
    ("Mohammed Rafi", "మహమ్మద్ రఫీ"),
    ("Shaik Abdul Kareem", "షేక్ అబ్దుల్ కరీం"),
    ("Syed Imran", "సయ్యద్ ఇమ్రాన్"),
    ("Mohammed Ismail", "మహమ్మద్ ఇస్మాయిల్"),
    ("Shaik Khaja Mohiddin", "షేక్ ఖాజా మొహిద్దీన్"),
    ("Mohammed Yousuf", "మహమ్మద్ యూసుఫ్"),
];
const WOMEN: &[(&str, &str)] = &[
    ("Shaik Ayesha", "షేక్ ఆయేషా"),
    ("Shabana Begum", "షబానా బేగం"),
    ("Fathima Bi", "ఫాతిమా బీ"),
    ("Nazia Sultana", "నాజియా సుల్తానా"),
    ("Ruksana Begum", "రుక్సానా బేగం"),
];

fn name(rng: &mut Rng, list: &[(&str, &str)]) -> (String, String) {
    let (en, te) = *rng.pick(list);
    (en.to_owned(), te.to_owned())
}

const BANKS: &[&str] = &["State Bank of India", "Union Bank of India", "Indian Bank", "Canara Bank"];

const SHAADI_STATUS: &[Said] = &[
    (
        "applied",
        "Applied; verification by the welfare assistant",
        "దరఖాస్తు అందింది; సంక్షేమ సహాయకుడి పరిశీలనలో",
        "आवेदन प्राप्त; कल्याण सहायक सत्यापन में",
    ),
    ("mpdo", "Verified; with the MPDO for approval", "పరిశీలన పూర్తి; ఎంపీడీఓ ఆమోదం కోసం", "सत्यापित; एमपीडीओ की स्वीकृति हेतु"),
    (
        "sanctioned",
        "Sanctioned; payment in the next release",
        "మంజూరైంది; తదుపరి విడుదలలో చెల్లింపు",
        "स्वीकृत; अगली किस्त में भुगतान",
    ),
    ("paid", "Paid", "చెల్లించారు", "भुगतान हो गया"),
    ("paid", "Paid", "చెల్లించారు", "भुगतान हो गया"),
    ("rejected", "Rejected", "తిరస్కరించబడింది", "अस्वीकृत"),
];

const SHAADI_REASONS: &[(&str, &str, &str)] = &[
    ("the bride was under 18 at marriage", "వివాహ సమయంలో వధువు వయస్సు 18 లోపు", "विवाह के समय दुल्हन 18 से कम"),
    ("the marriage was not registered within 60 days", "60 రోజుల్లో వివాహ నమోదు జరగలేదు", "60 दिनों में विवाह पंजीकरण नहीं हुआ"),
    ("family income above the limit", "కుటుంబ ఆదాయం పరిమితి దాటింది", "पारिवारिक आय सीमा से अधिक"),
];

fn shaadi_tohfa(key: &str, rng: &mut Rng) -> Option<Value> {
    let (bride, bride_te) = name(rng, WOMEN);
    let (groom, groom_te) = name(rng, MEN);
    let status = *rng.pick(SHAADI_STATUS);
    let (reason, reason_te, reason_hi) = if status.0 == "rejected" { *rng.pick(SHAADI_REASONS) } else { ("", "", "") };
    let applied = filed_in(&key[4..8], rng);
    let married = applied - rng.between(5, 50) as i64;
    let paid = (applied + rng.between(30, 90) as i64).min(calendar::today() - 1);
    Some(join(vec![
        place(rng),
        said(status),
        json!({
            "number": key, "bride": bride, "bride_te": bride_te, "groom": groom, "groom_te": groom_te,
            "marriage_date": calendar::iso(married), "applied_on": calendar::iso(applied), "amount": 100_000,
            "paid_on": if status.0 == "paid" { calendar::iso(paid) } else { String::new() },
            "account": format!("{} ****{:04}", rng.pick(BANKS), rng.below(10_000)),
            "reason_en": reason, "reason_te": reason_te, "reason_hi": reason_hi,
        }),
    ]))
}

const IMAM_STATUS: &[Said] = &[
    ("active", "Active", "అమలులో ఉంది", "सक्रिय"),
    ("active", "Active", "అమలులో ఉంది", "सक्रिय"),
    (
        "renewal-due",
        "Renewal due: the mutawalli's certificate is awaited",
        "పునరుద్ధరణ: ముతవల్లీ ధృవపత్రం రావాలి",
        "नवीनीकरण बाकी: मुतवल्ली का प्रमाण पत्र चाहिए",
    ),
];

/// The month of a day, as `(English, Telugu, Hindi)`, like "October 2026".
fn month_of(days: i64) -> (String, String, String) {
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
    let (y, m, _) = calendar::civil_from_days(days);
    let (en, te, hi) = MONTHS[(m as usize + 11) % 12];
    (format!("{en} {y}"), format!("{te} {y}"), format!("{hi} {y}"))
}

fn imam(key: &str, rng: &mut Rng) -> Option<Value> {
    let (who, who_te) = name(rng, MEN);
    let imam = rng.below(3) > 0;
    let status = *rng.pick(IMAM_STATUS);
    let pending = if status.0 == "active" { 0 } else { rng.between(1, 4) };
    let last_paid = calendar::today() - 30 * (pending as i64 + 1) - rng.between(0, 20) as i64;
    let where_ = place(rng);
    let (masjid, masjid_te) =
        *rng.pick(&[("Jama Masjid", "జామా మసీదు"), ("Masjid-e-Noor", "మస్జిద్-ఎ-నూర్"), ("Madina Masjid", "మదీనా మసీదు")]);
    let mosque = format!("{masjid}, {}", where_["village"].as_str().unwrap_or(""));
    let mosque_te = format!("{masjid_te}, {}", where_["village_te"].as_str().unwrap_or(""));
    let (month, month_te, month_hi) = month_of(last_paid - 25);
    Some(join(vec![
        where_,
        said(status),
        json!({
            "id": key, "name": who, "name_te": who_te,
            "role": if imam { "Imam" } else { "Muezzin" }, "role_te": if imam { "ఇమామ్" } else { "మౌజన్" }, "role_hi": if imam { "इमाम" } else { "मुअज़्ज़िन" },
            "mosque": mosque, "mosque_te": mosque_te, "monthly": if imam { 10_000 } else { 5_000 },
            "last_paid_month": month, "last_paid_month_te": month_te, "last_paid_month_hi": month_hi,
            "last_paid_on": calendar::iso(last_paid),
            "months_pending": pending, "account": format!("{} ****{:04}", rng.pick(BANKS), rng.below(10_000)),
        }),
    ]))
}

const HAJ_STATUS: &[Said] = &[
    ("applied", "Applied; the draw is awaited", "దరఖాస్తు అందింది; డ్రా జరగాలి", "आवेदन प्राप्त; कुर्रा की प्रतीक्षा"),
    ("selected", "Selected in the draw", "డ్రాలో ఎంపికయ్యారు", "कुर्रा में चयनित"),
    ("selected", "Selected in the draw", "డ్రాలో ఎంపికయ్యారు", "कुर्रा में चयनित"),
    ("waitlisted", "Waitlisted", "వెయిటింగ్ లిస్ట్‌లో ఉంది", "प्रतीक्षा सूची में"),
];

fn haj(key: &str, rng: &mut Rng) -> Option<Value> {
    let (head, head_te) = name(rng, MEN);
    let status = *rng.pick(HAJ_STATUS);
    let d = rng.pick(DISTRICTS);
    let (point, point_te) = *rng.pick(&[("Vijayawada", "విజయవాడ"), ("Hyderabad", "హైదరాబాద్"), ("Bengaluru", "బెంగళూరు")]);
    Some(join(vec![
        said(status),
        json!({
            "cover": key, "head": head, "head_te": head_te, "pilgrims": rng.between(1, 4), "district": d.name,
            "embarkation": point, "embarkation_te": point_te,
            "waitlist_no": if status.0 == "waitlisted" { rng.between(1, 900) } else { 0 },
            "advance": 130_300, "advance_due": day(rng.between(10, 30) as i64),
            "training_on": day(rng.between(40, 70) as i64),
            "training_at": format!("Haj House, {}", if point == "Vijayawada" { "Vijayawada" } else { "Kadapa" }),
        }),
    ]))
}

const WAKF_KINDS: &[(&str, &str)] = &[
    ("Jama Masjid", "జామా మసీదు"),
    ("Dargah", "దర్గా"),
    ("Eidgah", "ఈద్గా"),
    ("Qabristan (graveyard)", "ఖబరస్తాన్ (శ్మశానం)"),
    ("Ashurkhana", "అషుర్‌ఖానా"),
    ("Madrasa", "మదర్సా"),
];

const WAKF_STATUS: &[Said] = &[
    ("notified", "Notified in the Gazette", "గెజిట్‌లో నమోదైంది", "राजपत्र में अधिसूचित"),
    ("notified", "Notified in the Gazette", "గెజిట్‌లో నమోదైంది", "राजपत्र में अधिसूचित"),
    (
        "leased",
        "Notified; part leased by the Board",
        "నమోదైంది; కొంత భాగం బోర్డు లీజుకిచ్చింది",
        "अधिसूचित; कुछ भाग बोर्ड ने पट्टे पर दिया",
    ),
    (
        "encroached",
        "Encroachment case before the Wakf Tribunal",
        "ఆక్రమణ కేసు వక్ఫ్ ట్రిబ్యునల్ ముందు ఉంది",
        "अतिक्रमण मामला वक्फ न्यायाधिकरण में",
    ),
];

fn wakf(key: &str, rng: &mut Rng) -> Option<Value> {
    let (kind, kind_te) = *rng.pick(WAKF_KINDS);
    let status = *rng.pick(WAKF_STATUS);
    let where_ = place(rng);
    let (mutawalli, mutawalli_te) = name(rng, MEN);
    let gazette_year = rng.between(1962, 2012);
    let property = format!("{kind}, {}", where_["village"].as_str().unwrap_or(""));
    let property_te = format!("{kind_te}, {}", where_["village_te"].as_str().unwrap_or(""));
    Some(join(vec![
        where_,
        said(status),
        json!({
            "number": key, "property": property, "property_te": property_te, "kind": kind, "kind_te": kind_te,
            "survey_no": format!("{}/{}", rng.between(1, 600), rng.between(1, 9)),
            "extent_acres": rng.between(5, 600) as f64 / 100.0,
            "gazette": format!("Gazette No. {}, {gazette_year}", rng.between(1, 60)),
            "mutawalli": mutawalli, "mutawalli_te": mutawalli_te,
            "annual_income": rng.between(2, 80) * 1_000,
        }),
    ]))
}

const LOAN_STATUS: &[Said] = &[
    (
        "applied",
        "Applied; with the district office for verification",
        "దరఖాస్తు అందింది; జిల్లా కార్యాలయ పరిశీలనలో",
        "आवेदन प्राप्त; जिला कार्यालय सत्यापन में",
    ),
    ("sanctioned", "Sanctioned", "మంజూరైంది", "स्वीकृत"),
    ("subsidy-released", "Subsidy released to the bank", "సబ్సిడీ బ్యాంకుకు విడుదలైంది", "सब्सिडी बैंक को जारी"),
    ("grounded", "Unit grounded", "యూనిట్ ప్రారంభమైంది", "इकाई स्थापित"),
    ("rejected", "Rejected: the bank did not agree", "తిరస్కరించబడింది: బ్యాంకు అంగీకరించలేదు", "अस्वीकृत: बैंक सहमत नहीं"),
];

const UNITS: &[(&str, &str, u64)] = &[
    ("Mobile food cart", "మొబైల్ ఫుడ్ కార్ట్", 100_000),
    ("Tailoring and embroidery unit", "టైలరింగ్, ఎంబ్రాయిడరీ యూనిట్", 100_000),
    ("Passenger auto", "ప్రయాణికుల ఆటో", 300_000),
    ("Mobile phone service shop", "మొబైల్ సర్వీస్ షాపు", 150_000),
    ("Meat shop", "మాంసం దుకాణం", 150_000),
];

fn loan(key: &str, rng: &mut Rng) -> Option<Value> {
    let (applicant, applicant_te) = seed::person(rng);
    let (unit, unit_te, cost) = *rng.pick(UNITS);
    let status = *rng.pick(LOAN_STATUS);
    let subsidy = (cost / 2).min(100_000);
    let where_ = place(rng);
    let bank = format!("{}, {}", rng.pick(BANKS), where_["mandal"].as_str().unwrap_or(""));
    Some(join(vec![
        where_,
        said(status),
        json!({
            "number": key, "applicant": applicant, "applicant_te": applicant_te, "unit": unit, "unit_te": unit_te,
            "unit_cost": cost, "subsidy": subsidy, "bank_loan": cost - subsidy, "bank": bank,
            "applied_on": calendar::iso(filed_in(&key[4..8], rng)),
        }),
    ]))
}

/// A new APSMFC loan application: an acknowledgement, and whether the family had a loan in five years.
fn apply_loan(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let aadhaar = body["aadhaar"].as_str().and_then(|a| registers::digits_key(a, 12)).ok_or("aadhaar: 12 digits")?;
    let unit = body["unit"].as_str().ok_or("unit is required")?;
    let assisted = Rng::for_key(&format!("apsmfc-assisted:{aadhaar}")).below(8) == 0;
    let year = calendar::civil_from_days(calendar::today()).0;
    Ok(json!({
        "reference": format!("MFC-{year}-{:06}", rng.between(10_000, 99_999)),
        "unit": unit,
        "received_on": day(0),
        "assisted_before": assisted,
        "assisted_year": if assisted { format!("{}-{:02}", year - 2, (year - 1) % 100) } else { String::new() },
    }))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use axum::http::StatusCode;

    use super::*;

    /// `(service, register, method is post, record keys read)` of every definition.
    fn definitions() -> Vec<(String, String, bool, BTreeSet<String>)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../plugins/departments/minority-welfare/data/services");
        let mut all = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let Some(fetch) = text.lines().find_map(|l| l.trim().strip_prefix("path = \"/")) else { continue };
            let register = fetch.split(['/', '"']).next().unwrap().to_owned();
            let keys = text
                .split("record.")
                .skip(1)
                .map(|rest| rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
                .collect();
            let post = text.contains("method = \"post\"");
            all.push((path.file_stem().unwrap().to_string_lossy().into_owned(), register, post, keys));
        }
        assert!(all.len() >= 7, "{all:?}");
        all
    }

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        for (service, register, post, keys) in definitions() {
            let register = REGISTERS.iter().find(|r| r.name == register).unwrap();
            let records: Vec<Value> = if post {
                let body = json!({"aadhaar": "381245679035", "age": 30.0, "income": 90000.0, "unit": "auto"});
                let record = (register.submit.unwrap())(&body, &mut Rng::for_key("test")).unwrap();
                assert_eq!(record["assisted_before"], false);
                vec![record]
            } else {
                register.examples.iter().map(|e| register.lookup(e).unwrap().unwrap()).collect()
            };
            for record in records {
                for key in &keys {
                    assert!(record.get(key).is_some(), "{service}: no {key} in {record}");
                }
            }
        }
    }

    #[test]
    fn examples_are_on_the_happy_path() {
        let get =
            |name: &str, key: &str| REGISTERS.iter().find(|r| r.name == name).unwrap().lookup(key).unwrap().unwrap();
        assert_eq!(get("shaadi-tohfa", "sht 2026 003309")["status"], "paid");
        assert_eq!(get("imams", "IMH204106")["status"], "active");
        assert_eq!(get("haj", "APH-10443")["status"], "selected");
        assert_eq!(get("wakf", "wkf-01287")["status"], "notified");
        assert_eq!(get("loans", "MFC-2025-001949")["status"], "sanctioned");
    }

    #[test]
    fn malformed_keys_and_posts_are_refused() {
        for register in REGISTERS {
            assert_eq!(register.lookup("12-AB").unwrap_err(), StatusCode::BAD_REQUEST, "{}", register.name);
        }
        assert!(apply_loan(&json!({"aadhaar": "12"}), &mut Rng::for_key("x")).is_err());
    }
}
