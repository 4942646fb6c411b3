//! The Animal Husbandry department's systems: livestock insurance policies
//! (by the animal's 12-digit ear tag), the vaccination camp calendar of the
//! Rythu Seva Kendrams (by village), sheep and goat unit applications and
//! Pashu Kisan credit card applications.
//!
//! Example keys (always registered, on the happy path of the definitions):
//! - `livestock-insurance`: `102938475607` (an active policy on a buffalo);
//! - `camps`: `Gollapudi`, `కొండపల్లి` (a village of the seeded districts, typed in
//!   English or Telugu; villages outside them have no camp listed);
//! - `unit-loans`: `SGU-2025-003107` (sanctioned);
//! - `pashu-kisan`: `PKC-2026-010455` (card issued).
//!
//! `POST /unit-loans` takes a new sheep or goat unit application; the
//! Aadhaar `381245679035` has had no unit before.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{OnceInYears, Words, apply_once, day, filed_in, join, phone, place, words};
use crate::registers::{self, Register, numbered};
use crate::seed::{self, DISTRICTS, Rng, calendar};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "livestock-insurance",
        key: |t| registers::digits_key(t, 12),
        examples: &["102938475607"],
        make: policy,
        submit: None,
    },
    Register {
        name: "camps", key: village_key, examples: &["Gollapudi", "కొండపల్లి"], make: camp, submit: None
    },
    Register {
        name: "unit-loans",
        key: |t| numbered(t, "SGU", 6, 2015..=2030),
        examples: &["SGU-2025-003107"],
        make: unit_loan,
        submit: Some(|body, rng| apply_once(body, rng, &UNITS)),
    },
    Register {
        name: "pashu-kisan",
        key: |t| numbered(t, "PKC", 6, 2015..=2030),
        examples: &["PKC-2026-010455"],
        make: pashu_kisan,
        submit: None,
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// A village name in any script, lower-cased, without spaces or punctuation.
fn village_key(typed: &str) -> Option<String> {
    let key: String =
        typed.chars().filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation()).collect::<String>().to_lowercase();
    (2..=60).contains(&key.chars().count()).then_some(key)
}

/// An animal: species (with its words), breeds, and the range of its value.
const ANIMALS: &[(Words, &[&str], u64, u64)] = &[
    (("cow", "Cow", "ఆవు", "गाय"), &["Ongole", "Punganur", "Jersey cross", "HF cross"], 30_000, 80_000),
    (("buffalo", "Buffalo", "గేదె", "भैंस"), &["Murrah", "Graded Murrah", "Godavari"], 40_000, 95_000),
    (("sheep", "Sheep", "గొర్రె", "भेड़"), &["Nellore Brown", "Nellore Jodipi", "Deccani"], 6_000, 12_000),
    (("goat", "Goat", "మేక", "बकरी"), &["Black Bengal", "Osmanabadi", "local"], 5_000, 10_000),
];

fn policy(key: &str, rng: &mut Rng) -> Option<Value> {
    let (owner, owner_te) = seed::person(rng);
    let (species, breeds, low, high) = *rng.pick(ANIMALS);
    let breed = *rng.pick(breeds);
    let value = rng.between(low / 1_000, high / 1_000) * 1_000;
    let start = -(rng.between(20, 500) as i64);
    let end = start + 3 * 365 - 1;
    let claimed = rng.below(10) == 0;
    let status: Words = if claimed {
        ("claim-settled", "Closed: claim settled", "ముగిసింది: క్లెయిమ్ చెల్లించారు", "बंद: दावा निपटाया")
    } else if end >= 0 {
        ("active", "Active", "అమలులో ఉంది", "सक्रिय")
    } else {
        ("expired", "Expired", "గడువు ముగిసింది", "समाप्त")
    };
    Some(join([
        place(rng),
        words("species", species),
        words("status", status),
        json!({
            "tag": key, "owner": owner, "owner_te": owner_te, "breed": breed, "age_years": rng.between(2, 8),
            "sum_insured": value, "premium_farmer": value * 3 / 100 / 5, "premium_total": value * 3 / 100,
            "policy": format!("LI/{}/{:07}", calendar::civil_from_days(calendar::today() + start).0, rng.below(10_000_000)),
            "insurer": "United India Insurance Co.", "start": day(start), "end": day(end),
        }),
    ]))
}

const DISEASES: &[Words] = &[
    ("fmd", "Foot-and-mouth disease (FMD)", "గాలికుంటు వ్యాధి", "खुरपका-मुंहपका रोग"),
    ("hs", "Haemorrhagic septicaemia (gurakalu)", "గొంతువాపు వ్యాధి", "गलघोंटू रोग"),
    ("lsd", "Lumpy skin disease", "ముద్దచర్మ వ్యాధి", "लम्पी त्वचा रोग"),
    ("ppr", "PPR for sheep and goats", "గొర్రెలు, మేకలకు పీపీఆర్", "भेड़-बकरियों का पीपीआर"),
    ("brucella", "Brucellosis (female calves, 4–8 months)", "బ్రూసెల్లోసిస్ (4–8 నెలల పెయ్యలు)", "ब्रुसेलोसिस (4–8 माह की बछिया)"),
];

/// The next vaccination camp in a village of the seeded districts.
fn camp(key: &str, rng: &mut Rng) -> Option<Value> {
    let plain = |name: &str| village_key(name).unwrap_or_default();
    let (d, m, v) = DISTRICTS.iter().find_map(|d| {
        d.mandals.iter().find_map(|m| {
            m.villages.iter().find(|v| plain(v.name) == key || plain(v.name_te) == key).map(|v| (d, m, v))
        })
    })?;
    let disease = *rng.pick(DISEASES);
    let (vet, vet_te) = seed::person(rng);
    Some(join([
        words("disease", disease),
        json!({
            "village": v.name, "village_te": v.name_te, "mandal": m.name, "mandal_te": m.name_te, "district": d.name,
            "camp_date": day(rng.between(2, 20) as i64), "time": "7:00 to 11:00 AM",
            "time_te": "ఉదయం 7 నుంచి 11 గంటల వరకు", "time_hi": "सुबह 7 से 11 बजे तक",
            "venue": format!("Rythu Seva Kendram, {}", v.name), "venue_te": format!("రైతు సేవా కేంద్రం, {}", v.name_te),
            "vet": format!("Dr. {vet}"), "vet_te": format!("డా. {vet_te}"), "vet_phone": phone(rng),
            "free": true,
        }),
    ]))
}

const UNIT_STATUS: &[Words] = &[
    (
        "applied",
        "Applied; with the veterinary assistant surgeon",
        "దరఖాస్తు అందింది; పశువైద్యుని పరిశీలనలో",
        "आवेदन प्राप्त; पशु चिकित्सक के पास",
    ),
    ("sanctioned", "Sanctioned", "మంజూరైంది", "स्वीकृत"),
    ("sanctioned", "Sanctioned", "మంజూరైంది", "स्वीकृत"),
    ("grounded", "Unit grounded and insured", "యూనిట్ ప్రారంభమైంది, బీమా చేశారు", "इकाई स्थापित और बीमित"),
    ("rejected", "Rejected: the bank did not agree", "తిరస్కరించారు: బ్యాంకు అంగీకరించలేదు", "अस्वीकृत: बैंक सहमत नहीं"),
];

fn unit_loan(key: &str, rng: &mut Rng) -> Option<Value> {
    let (applicant, applicant_te) = seed::person(rng);
    let (unit, unit_te, cost) = *rng.pick(&[
        ("20 ewes + 1 ram (Nellore Brown)", "20 గొర్రెలు + 1 పొట్టేలు (నెల్లూరు బ్రౌన్)", 250_000),
        ("20 does + 1 buck (Black Bengal)", "20 మేకలు + 1 పోతు (బ్లాక్ బెంగాల్)", 220_000),
        ("10 ewes + 1 ram (Deccani)", "10 గొర్రెలు + 1 పొట్టేలు (దక్కని)", 130_000),
    ]);
    let status = *rng.pick(UNIT_STATUS);
    let where_ = place(rng);
    let bank = format!(
        "{}, {}",
        rng.pick(&["State Bank of India", "Andhra Pradesh Grameena Vikas Bank", "Union Bank of India"]),
        where_["mandal"].as_str().unwrap_or("")
    );
    Some(join([
        where_,
        words("status", status),
        json!({
            "number": key, "applicant": applicant, "applicant_te": applicant_te, "unit": unit, "unit_te": unit_te,
            "unit_cost": cost, "subsidy": cost / 2, "bank_loan": cost * 40 / 100, "contribution": cost / 10, "bank": bank,
            "applied_on": calendar::iso(filed_in(key, rng, 7..=40)),
        }),
    ]))
}

/// Sheep and goat units: one a family, and one family in eight had one two years ago.
const UNITS: OnceInYears = OnceInYears { prefix: "SGU", scheme: "sgu", serials: 10_000..=99_999, years_ago: 2 };

const CARD_STATUS: &[Words] = &[
    ("applied", "Applied; the bank is verifying", "దరఖాస్తు అందింది; బ్యాంకు పరిశీలిస్తోంది", "आवेदन प्राप्त; बैंक सत्यापन कर रहा है"),
    (
        "sanctioned",
        "Limit sanctioned; collect the card at the branch",
        "పరిమితి మంజూరైంది; శాఖలో కార్డు తీసుకోండి",
        "सीमा स्वीकृत; शाखा से कार्ड लें",
    ),
    ("issued", "Card issued", "కార్డు జారీ అయింది", "कार्ड जारी"),
    ("issued", "Card issued", "కార్డు జారీ అయింది", "कार्ड जारी"),
    ("rejected", "Rejected: an old loan is overdue", "తిరస్కరించారు: పాత రుణం బకాయి ఉంది", "अस्वीकृत: पुराना ऋण बकाया"),
];

fn pashu_kisan(key: &str, rng: &mut Rng) -> Option<Value> {
    let (applicant, applicant_te) = seed::person(rng);
    let status = *rng.pick(CARD_STATUS);
    let animals = rng.between(2, 8);
    let where_ = place(rng);
    let bank = format!(
        "{}, {}",
        rng.pick(&["State Bank of India", "Canara Bank", "Andhra Pradesh Grameena Vikas Bank"]),
        where_["mandal"].as_str().unwrap_or("")
    );
    Some(join([
        where_,
        words("status", status),
        json!({
            "number": key, "applicant": applicant, "applicant_te": applicant_te, "animals": animals,
            "limit": (animals * 30_000).min(160_000), "bank": bank, "interest": "7% a year; 4% if repaid on time",
            "applied_on": calendar::iso(filed_in(key, rng, 7..=40)),
        }),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, posted};

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        examples_serve_the_definitions("animal-husbandry", REGISTERS, "1");
        let body = json!({"aadhaar": "381245679035", "age": 30.0, "unit": "sheep-20"});
        assert_eq!(posted("animal-husbandry", REGISTERS, "unit-loans", body)["assisted_before"], false);
    }

    #[test]
    fn examples_are_on_the_happy_path() {
        let get = |name: &str, key: &str| REGISTERS.iter().find(|r| r.name == name).unwrap().lookup(key).unwrap();
        assert_eq!(get("livestock-insurance", "1029 3847 5607").unwrap()["status"], "active");
        assert_eq!(get("camps", "gollapudi").unwrap()["village"], "Gollapudi");
        assert_eq!(get("camps", "కొండపల్లి").unwrap()["village"], "Kondapalli");
        assert_eq!(get("camps", "Hyderabad"), None);
        assert_eq!(get("unit-loans", "SGU-2025-003107").unwrap()["status"], "sanctioned");
        assert_eq!(get("pashu-kisan", "pkc/2026/010455").unwrap()["status"], "issued");
    }

    #[test]
    fn malformed_posts_are_refused() {
        assert!(apply_once(&json!({"aadhaar": "12"}), &mut Rng::for_key("x"), &UNITS).is_err());
    }
}
