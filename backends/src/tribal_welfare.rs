//! The Tribal Welfare department's systems: the forest-rights (ROFR) claim
//! register, admissions to Gurukulam (APTWREIS) schools and ST hostels,
//! TRICOR's economic-support loans and the Girijan Co-operative
//! Corporation's (GCC) minor-forest-produce purchases from its members.
//!
//! Example keys (always registered, on the happy path of the definitions):
//! - `rofr`: `ROFR-2019-004103` (a title issued: the patta copy is given),
//!   `ROFR-2024-000954` (rejected within the last 60 days: an appeal lies);
//! - `admissions`: `GUR-2025-000303` (a seat allotted);
//! - `tricor-loans`: `TRC-2025-002215` (sanctioned);
//! - `gcc-members`: `GCC-40021103` (the last sale paid).
//!
//! `POST /tricor-loans` takes a new loan application; the Aadhaar
//! `381245679035` has had no TRICOR unit before.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{OnceInYears, Words, apply_once, day, filed_in, join, person_who, phone, place, words};
use crate::registers::{self, Register, dashed, numbered};
use crate::seed::{self, DISTRICTS, Rng, calendar};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "rofr",
        key: |t| numbered(t, "ROFR", 6, 2008..=2030),
        examples: &["ROFR-2019-004103", "ROFR-2024-000954"],
        make: rofr,
        submit: None,
    },
    Register {
        name: "admissions",
        key: |t| numbered(t, "GUR", 6, 2008..=2030),
        examples: &["GUR-2025-000303"],
        make: admission,
        submit: None,
    },
    Register {
        name: "tricor-loans",
        key: |t| numbered(t, "TRC", 6, 2008..=2030),
        examples: &["TRC-2025-002215"],
        make: tricor_loan,
        submit: Some(|body, rng| apply_once(body, rng, &LOANS)),
    },
    Register {
        name: "gcc-members",
        key: |t| dashed(t, "GCC", 8),
        examples: &["GCC-40021103"],
        make: gcc_member,
        submit: None,
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

const TRIBES: &[(&str, &str)] = &[
    ("Koya", "కోయ"),
    ("Konda Dora", "కొండ దొర"),
    ("Savara", "సవర"),
    ("Jatapu", "జాతపు"),
    ("Gadaba", "గదబ"),
    ("Bagata", "బగత"),
    ("Konda Reddi", "కొండ రెడ్డి"),
    ("Chenchu", "చెంచు"),
    ("Yanadi", "యానాది"),
];

/// A citizen of a tribe, a woman or a man: names and tribe as record fields.
fn tribal(rng: &mut Rng, who: &str, woman: bool) -> Value {
    let (name, name_te) = person_who(rng, woman);
    let (tribe, tribe_te) = *rng.pick(TRIBES);
    let mut fields = serde_json::Map::new();
    fields.insert(who.to_owned(), name.into());
    fields.insert(format!("{who}_te"), name_te.into());
    fields.insert("tribe".into(), tribe.into());
    fields.insert("tribe_te".into(), tribe_te.into());
    Value::Object(fields)
}

const ROFR_STATUS: &[Words] = &[
    ("title-issued", "Title issued", "హక్కు పత్రం జారీ అయింది", "अधिकार पत्र जारी"),
    ("title-issued", "Title issued", "హక్కు పత్రం జారీ అయింది", "अधिकार पत्र जारी"),
    ("sdlc", "With the Sub-Divisional Level Committee", "సబ్ డివిజనల్ స్థాయి కమిటీ పరిశీలనలో", "उपमंडल स्तरीय समिति के पास"),
    ("dlc", "With the District Level Committee", "జిల్లా స్థాయి కమిటీ పరిశీలనలో", "जिला स्तरीय समिति के पास"),
    ("rejected", "Rejected", "తిరస్కరించబడింది", "अस्वीकृत"),
];

const ROFR_REASONS: &[(&str, &str, &str)] = &[
    ("occupation after 13 December 2005", "13 డిసెంబర్ 2005 తర్వాత సాగు", "13 दिसंबर 2005 के बाद कब्ज़ा"),
    ("the land is not forest land", "ఆ భూమి అటవీ భూమి కాదు", "भूमि वन भूमि नहीं है"),
    ("no Gram Sabha resolution", "గ్రామసభ తీర్మానం లేదు", "ग्राम सभा का प्रस्ताव नहीं"),
];

fn rofr(key: &str, rng: &mut Rng) -> Option<Value> {
    let status = *rng.pick(ROFR_STATUS);
    let (reason, reason_te, reason_hi) = if status.0 == "rejected" { *rng.pick(ROFR_REASONS) } else { ("", "", "") };
    let claimed = filed_in(key, rng, 7..=40);
    let decided = match status.0 {
        "title-issued" => calendar::iso((claimed + rng.between(120, 400) as i64).min(calendar::today() - 3)),
        "rejected" => day(-(rng.between(10, 150) as i64)),
        _ => String::new(),
    };
    let acres = rng.between(50, 400) as f64 / 100.0;
    let where_ = place(rng);
    let resolution = format!("DLC/{}/{}", rng.between(100, 999), &key[5..9]);
    let woman = rng.below(3) == 0;
    Some(join([
        tribal(rng, "holder", woman),
        where_,
        words("status", status),
        json!({
            "number": key, "title_type": "Individual forest right", "title_type_te": "వ్యక్తిగత అటవీ హక్కు",
            "survey_no": format!("{}/{}", rng.between(1, 480), rng.between(1, 6)), "extent_acres": acres,
            "compartment": format!("RF compartment {}", rng.between(10, 260)), "claimed_on": calendar::iso(claimed),
            "decided_on": decided, "dlc_resolution": resolution,
            "reason_en": reason, "reason_te": reason_te, "reason_hi": reason_hi,
        }),
    ]))
}

const ADMISSION_STATUS: &[Words] = &[
    (
        "applied",
        "Applied; the selection list is awaited",
        "దరఖాస్తు అందింది; ఎంపిక జాబితా రావాలి",
        "आवेदन प्राप्त; चयन सूची की प्रतीक्षा",
    ),
    ("allotted", "Seat allotted", "సీటు కేటాయించబడింది", "सीट आवंटित"),
    ("allotted", "Seat allotted", "సీటు కేటాయించబడింది", "सीट आवंटित"),
    ("waitlisted", "Waitlisted", "వెయిటింగ్ లిస్ట్‌లో ఉంది", "प्रतीक्षा सूची में"),
];

fn admission(key: &str, rng: &mut Rng) -> Option<Value> {
    let d = rng.pick(DISTRICTS);
    let m = rng.pick(d.mandals);
    let girls = rng.below(2) == 0;
    let status = *rng.pick(ADMISSION_STATUS);
    let (kind, kind_te) = if girls { ("Girls", "బాలికల") } else { ("Boys", "బాలుర") };
    let (school, school_te) = if rng.below(2) == 0 {
        (
            format!("APTWR Gurukulam School ({kind}), {}", m.name),
            format!("గిరిజన గురుకుల పాఠశాల ({kind_te}), {}", m.name_te),
        )
    } else {
        (
            format!("Government Tribal Welfare Ashram School ({kind}), {}", m.name),
            format!("గిరిజన సంక్షేమ ఆశ్రమ పాఠశాల ({kind_te}), {}", m.name_te),
        )
    };
    let (principal, _) = seed::person(rng);
    Some(join([
        tribal(rng, "student", girls),
        words("status", status),
        json!({
            "number": key, "class": rng.between(3, 9), "school": school, "school_te": school_te,
            "district": d.name, "mandal": m.name, "principal": principal,
            "principal_phone": phone(rng),
            "waitlist_no": if status.0 == "waitlisted" { rng.between(1, 30) } else { 0 },
            "report_by": day(rng.between(3, 14) as i64),
        }),
    ]))
}

const LOAN_STATUS: &[Words] = &[
    ("applied", "Applied; with the ITDA for verification", "దరఖాస్తు అందింది; ఐటీడీఏ పరిశీలనలో", "आवेदन प्राप्त; आईटीडीए सत्यापन में"),
    ("sanctioned", "Sanctioned", "మంజూరైంది", "स्वीकृत"),
    ("subsidy-released", "Subsidy released to the bank", "సబ్సిడీ బ్యాంకుకు విడుదలైంది", "सब्सिडी बैंक को जारी"),
    ("grounded", "Unit grounded", "యూనిట్ ప్రారంభమైంది", "इकाई स्थापित"),
    ("rejected", "Rejected: the bank did not agree", "తిరస్కరించబడింది: బ్యాంకు అంగీకరించలేదు", "अस्वीकृत: बैंक सहमत नहीं"),
];

const TRICOR_UNITS: &[(&str, &str, u64)] = &[
    ("Goat unit (10+1)", "మేకల యూనిట్ (10+1)", 120_000),
    ("Passenger auto", "ప్రయాణికుల ఆటో", 300_000),
    ("Kirana shop", "కిరాణా దుకాణం", 100_000),
    ("Coffee pulping unit", "కాఫీ పల్పింగ్ యూనిట్", 250_000),
    ("Mini goods vehicle", "మినీ గూడ్స్ వాహనం", 500_000),
];

fn tricor_loan(key: &str, rng: &mut Rng) -> Option<Value> {
    let (unit, unit_te, cost) = *rng.pick(TRICOR_UNITS);
    let status = *rng.pick(LOAN_STATUS);
    let subsidy = (cost * 60 / 100).min(200_000);
    let bank = *rng.pick(&["State Bank of India", "Andhra Pradesh Grameena Vikas Bank", "Union Bank of India"]);
    let where_ = place(rng);
    let mandal = where_["mandal"].as_str().unwrap_or("").to_owned();
    let woman = rng.below(3) == 0;
    Some(join([
        tribal(rng, "applicant", woman),
        where_,
        words("status", status),
        json!({
            "number": key, "scheme": "TRICOR Economic Support Scheme", "unit": unit, "unit_te": unit_te,
            "unit_cost": cost, "subsidy": subsidy, "bank_loan": cost - subsidy, "bank": format!("{bank}, {mandal}"),
            "applied_on": calendar::iso(filed_in(key, rng, 7..=40)),
        }),
    ]))
}

/// TRICOR units: one a family, and one family in eight had one two years ago.
const LOANS: OnceInYears = OnceInYears { prefix: "TRC", scheme: "tricor", serials: 10_000..=99_999, years_ago: 2 };

const PRODUCE: &[(&str, &str, u64)] = &[
    ("Hill honey", "కొండ తేనె", 300),
    ("Tamarind (deseeded)", "చింతపండు (గింజలు తీసిన)", 60),
    ("Adda leaves", "అడ్డాకులు", 35),
    ("Hill brooms", "కొండ చీపుర్లు", 40),
    ("Soap nuts", "కుంకుడుకాయలు", 45),
    ("Arabica coffee (parchment)", "అరబికా కాఫీ", 330),
];

const SALE_STATUS: &[Words] = &[
    ("paid", "Paid", "చెల్లించారు", "भुगतान हो गया"),
    ("paid", "Paid", "చెల్లించారు", "भुगतान हो गया"),
    ("pending", "Payment pending at the depot", "డిపోలో చెల్లింపు పెండింగ్", "डिपो पर भुगतान लंबित"),
];

fn gcc_member(key: &str, rng: &mut Rng) -> Option<Value> {
    let (produce, produce_te, rate) = *rng.pick(PRODUCE);
    let kg = rng.between(5, 120);
    let status = *rng.pick(SALE_STATUS);
    let sold = -(rng.between(3, 40) as i64);
    let where_ = place(rng);
    let depot = format!("GCC DR Depot, {}", where_["mandal"].as_str().unwrap_or(""));
    let woman = rng.below(2) == 0;
    Some(join([
        tribal(rng, "member", woman),
        where_,
        words("status", status),
        json!({
            "card": key, "depot": depot, "produce": produce, "produce_te": produce_te, "quantity_kg": kg,
            "rate": rate, "amount": kg * rate, "sold_on": day(sold),
            "paid_on": if status.0 == "paid" { day(sold + rng.between(1, 3) as i64) } else { String::new() },
            "account": format!("****{:04}", rng.below(10_000)),
            "season_total": kg * rate + rng.between(2, 30) * 500,
        }),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{days_until, examples_serve_the_definitions, found, posted};

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        examples_serve_the_definitions("tribal-welfare", REGISTERS, "12-AB");
        let body = json!({"aadhaar": "381245679035", "age": 30.0, "income": 90000.0, "unit": "goats"});
        assert_eq!(posted("tribal-welfare", REGISTERS, "tricor-loans", body)["assisted_before"], false);
    }

    #[test]
    fn examples_are_on_the_happy_path() {
        let get = |name: &str, key: &str| found(REGISTERS, name, key);
        assert_eq!(get("rofr", "ROFR-2019-004103")["status"], "title-issued");
        let rejected = get("rofr", "rofr/2024/000954");
        assert_eq!(rejected["status"], "rejected");
        assert!(days_until(&rejected, "decided_on") >= -60, "{rejected}");
        assert_eq!(get("admissions", "GUR-2025-000303")["status"], "allotted");
        assert_eq!(get("tricor-loans", "TRC-2025-002215")["status"], "sanctioned");
        assert_eq!(get("gcc-members", "gcc 4002 1103")["status"], "paid");
    }

    #[test]
    fn malformed_posts_are_refused() {
        assert!(apply_once(&json!({"aadhaar": "12"}), &mut Rng::for_key("x"), &LOANS).is_err());
    }
}
