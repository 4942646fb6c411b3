//! The Rural Water Supply and Sanitation department's systems: drinking-water
//! complaints, Jal Jeevan Mission household tap connections, the district
//! water-testing laboratories' samples and Swachh Bharat (IHHL) toilet
//! incentives.
//!
//! Example keys (always registered, on the happy path of the definitions):
//! - `complaints`: `RWS-2026-018315` (registered and assigned to an AE);
//! - `tap-connections`: `JJM-28140507` (commissioned, water flowing);
//! - `water-samples`: `WQ-2026-004410` (tested, fit for drinking: the report is issued);
//! - `ihhl`: `SBM-10423309` (toilet geo-tagged, incentive partly paid).
//!
//! `POST /complaints` registers a complaint: `{"issue", "habitation",
//! "phone"}`; for the habitation `Gollapudi` with issue `no-water` no other
//! complaint is open (`open_complaint` is empty).

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{Words, day, join, phone, place, words};
use crate::registers::{self, Register, dashed, numbered};
use crate::seed::{self, Rng, calendar};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "complaints",
        key: |t| numbered(t, "RWS", 6, 2015..=2030),
        examples: &["RWS-2026-018315"],
        make: complaint,
        submit: Some(register_complaint),
    },
    Register {
        name: "tap-connections",
        key: |t| dashed(t, "JJM", 8),
        examples: &["JJM-28140507"],
        make: tap,
        submit: None,
    },
    Register {
        name: "water-samples",
        key: |t| numbered(t, "WQ", 6, 2015..=2030),
        examples: &["WQ-2026-004410"],
        make: sample,
        submit: None,
    },
    Register { name: "ihhl", key: |t| dashed(t, "SBM", 8), examples: &["SBM-10423309"], make: toilet, submit: None },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// An Assistant Engineer of RWSS and their phone.
fn engineer(rng: &mut Rng) -> (String, String) {
    (format!("{} (AE, RWSS)", seed::person(rng).0), phone(rng))
}

const ISSUES: &[Words] = &[
    ("no-water", "No water supply", "నీటి సరఫరా లేదు", "पानी की आपूर्ति नहीं"),
    ("low-pressure", "Low pressure", "నీరు తక్కువ ఒత్తిడితో వస్తోంది", "पानी का दबाव कम"),
    ("contaminated", "Dirty or smelly water", "మురికి / దుర్వాసన నీరు", "गंदा या बदबूदार पानी"),
    ("pipe-leak", "Pipeline leak", "పైప్‌లైన్ లీకేజీ", "पाइपलाइन रिसाव"),
    ("handpump", "Hand pump not working", "చేతి పంపు పనిచేయడం లేదు", "हैंडपंप खराब"),
    ("motor", "Borewell motor repair", "బోరు మోటారు మరమ్మతు", "बोरवेल मोटर मरम्मत"),
];

const COMPLAINT_STATUS: &[Words] = &[
    ("registered", "Registered; assigned to the AE", "నమోదైంది; ఏఈకి అప్పగించారు", "दर्ज; एई को सौंपा गया"),
    ("in-progress", "Repair work in progress", "మరమ్మతు పని జరుగుతోంది", "मरम्मत कार्य जारी"),
    ("resolved", "Resolved", "పరిష్కరించబడింది", "समाधान हो गया"),
];

fn complaint(key: &str, rng: &mut Rng) -> Option<Value> {
    let issue = *rng.pick(ISSUES);
    let status = *rng.pick(COMPLAINT_STATUS);
    let (ae, ae_phone) = engineer(rng);
    let registered = -(rng.between(1, 6) as i64);
    Some(join([
        place(rng),
        words("issue", issue),
        words("status", status),
        json!({
            "number": key, "registered_on": day(registered), "assigned_to": ae, "ae_phone": ae_phone,
            "attend_by": day(registered + 3),
            "resolved_on": if status.0 == "resolved" { day(registered + rng.between(1, 3) as i64).min(day(0)) } else { String::new() },
        }),
    ]))
}

/// A new complaint: its number, the AE it goes to, and any complaint already open for the habitation.
fn register_complaint(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let issue = body["issue"].as_str().filter(|i| ISSUES.iter().any(|s| s.0 == *i)).ok_or("issue is not known")?;
    let habitation =
        body["habitation"].as_str().map(str::trim).filter(|h| !h.is_empty()).ok_or("habitation is required")?;
    let year = calendar::civil_from_days(calendar::today()).0;
    let mut open = Rng::for_key(&format!("open:{}:{issue}", habitation.to_lowercase()));
    let open_complaint =
        if open.below(6) == 0 { format!("RWS-{year}-{:06}", open.between(1, 30_000)) } else { String::new() };
    let (ae, ae_phone) = engineer(rng);
    Ok(json!({
        "number": format!("RWS-{year}-{:06}", rng.between(30_001, 99_999)), "issue": issue, "habitation": habitation,
        "registered_on": day(0), "assigned_to": ae, "ae_phone": ae_phone, "attend_by": day(2),
        "open_complaint": open_complaint,
    }))
}

const TAP_STATUS: &[Words] = &[
    ("sanctioned", "Sanctioned; work not started", "మంజూరైంది; పని ప్రారంభం కాలేదు", "स्वीकृत; काम शुरू नहीं"),
    ("in-progress", "Pipeline work in progress", "పైప్‌లైన్ పని జరుగుతోంది", "पाइपलाइन कार्य जारी"),
    ("commissioned", "Tap commissioned; water supplied", "కుళాయి ప్రారంభమైంది; నీరు వస్తోంది", "नल चालू; पानी आ रहा है"),
    ("commissioned", "Tap commissioned; water supplied", "కుళాయి ప్రారంభమైంది; నీరు వస్తోంది", "नल चालू; पानी आ रहा है"),
];

fn tap(key: &str, rng: &mut Rng) -> Option<Value> {
    let (head, head_te) = seed::person(rng);
    let status = *rng.pick(TAP_STATUS);
    let where_ = place(rng);
    let (village, village_te) = (where_["village"].as_str().unwrap_or(""), where_["village_te"].as_str().unwrap_or(""));
    let (scheme, scheme_te) = if rng.below(2) == 0 {
        (format!("CPWS scheme, {village}"), format!("సీపీడబ్ల్యూఎస్ పథకం, {village_te}"))
    } else {
        (format!("Single village scheme, {village}"), format!("ఏక గ్రామ పథకం, {village_te}"))
    };
    let (ae, ae_phone) = engineer(rng);
    let hours = *rng.pick(&["6:00–8:00 AM", "5:30–7:30 AM", "6:00–7:00 AM and 5:00–6:00 PM"]);
    Some(join([
        where_,
        words("status", status),
        json!({
            "household": key, "head": head, "head_te": head_te, "scheme": scheme, "scheme_te": scheme_te,
            "supply_hours": hours,
            "lpcd": 55, "assigned_to": ae, "ae_phone": ae_phone,
            "commissioned_on": if status.0 == "commissioned" { day(-(rng.between(30, 700) as i64)) } else { String::new() },
            "target_date": day(rng.between(20, 120) as i64),
        }),
    ]))
}

const SOURCES: &[(&str, &str)] =
    &[("Public tap (piped supply)", "పబ్లిక్ కుళాయి"), ("Hand pump", "చేతి పంపు"), ("Borewell", "బోరుబావి"), ("Open well", "బావి")];

fn sample(key: &str, rng: &mut Rng) -> Option<Value> {
    let (source, source_te) = *rng.pick(SOURCES);
    let tested = rng.below(6) > 0;
    let collected = -(rng.between(5, 30) as i64);
    let where_ = place(rng);
    let lab = format!("District Water Testing Laboratory, {}", where_["district"].as_str().unwrap_or(""));
    let lab_te = format!("జిల్లా నీటి పరీక్ష ప్రయోగశాల, {}", where_["district_te"].as_str().unwrap_or(""));
    let tds = rng.between(180, 1900);
    let fluoride = rng.between(2, 22) as f64 / 10.0;
    let nitrate = rng.between(5, 70);
    let bacteria = rng.below(5) == 0;
    let potable = tds <= 2000 && fluoride <= 1.5 && nitrate <= 45 && !bacteria;
    let status: Words = if tested {
        ("tested", "Tested", "పరీక్ష పూర్తయింది", "जांच पूरी")
    } else {
        ("pending", "Under testing at the laboratory", "ప్రయోగశాలలో పరీక్ష జరుగుతోంది", "प्रयोगशाला में जांच जारी")
    };
    let result: Words = if potable {
        ("potable", "Fit for drinking", "తాగడానికి అనుకూలం", "पीने योग्य")
    } else if bacteria {
        (
            "bacteria",
            "Not fit: bacteria found; boil or chlorinate",
            "అనుకూలం కాదు: బ్యాక్టీరియా ఉంది; కాచి తాగండి",
            "पीने योग्य नहीं: बैक्टीरिया; उबालकर पिएं",
        )
    } else {
        (
            "chemical",
            "Not fit: salts above the limit; use the RO plant",
            "అనుకూలం కాదు: లవణాలు ఎక్కువ; ఆర్వో నీరు తాగండి",
            "पीने योग्य नहीं: लवण अधिक; आरओ पानी पिएं",
        )
    };
    Some(join([
        where_,
        words("status", status),
        words("result", result),
        json!({
            "sample": key, "source": source, "source_te": source_te, "lab": lab, "lab_te": lab_te,
            "collected_on": day(collected), "tested_on": day(collected + rng.between(2, 4) as i64),
            "ph": rng.between(66, 84) as f64 / 10.0, "tds": tds, "fluoride": fluoride, "nitrate": nitrate,
            "iron": rng.between(1, 12) as f64 / 10.0, "hardness": rng.between(120, 700),
            "bacteria": if bacteria { "Present" } else { "Absent" },
        }),
    ]))
}

const IHHL_STATUS: &[Words] = &[
    ("sanctioned", "Sanctioned; start construction", "మంజూరైంది; నిర్మాణం ప్రారంభించండి", "स्वीकृत; निर्माण शुरू करें"),
    ("under-construction", "Under construction", "నిర్మాణంలో ఉంది", "निर्माणाधीन"),
    (
        "geo-tagged",
        "Completed and geo-tagged; first instalment paid",
        "పూర్తయింది, జియో ట్యాగ్ అయింది; మొదటి విడత చెల్లించారు",
        "पूर्ण और जियो-टैग; पहली किस्त जारी",
    ),
    ("paid", "Incentive fully paid", "ప్రోత్సాహకం పూర్తిగా చెల్లించారు", "प्रोत्साहन पूरा भुगतान"),
];

fn toilet(key: &str, rng: &mut Rng) -> Option<Value> {
    let (who, who_te) = seed::person(rng);
    let status = *rng.pick(IHHL_STATUS);
    let paid = match status.0 {
        "geo-tagged" => 6_000,
        "paid" => 12_000,
        _ => 0,
    };
    let category = *rng.pick(&["SC", "ST", "Small farmer", "Landless labourer", "Woman-headed household"]);
    Some(join([
        place(rng),
        words("status", status),
        json!({
            "id": key, "beneficiary": who, "beneficiary_te": who_te, "category": category, "incentive": 12_000,
            "paid": paid, "balance": 12_000 - paid, "sanctioned_on": day(-(rng.between(60, 400) as i64)),
            "account": format!("****{:04}", rng.below(10_000)),
        }),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found, posted};

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        examples_serve_the_definitions("rwss", REGISTERS, "12-AB");
        let body = json!({"issue": "no-water", "habitation": "Gollapudi", "phone": "9876543210"});
        assert_eq!(posted("rwss", REGISTERS, "complaints", body)["open_complaint"], "");
    }

    #[test]
    fn examples_are_on_the_happy_path() {
        let get = |name: &str, key: &str| found(REGISTERS, name, key);
        assert_eq!(get("complaints", "rws/2026/018315")["status"], "registered");
        assert_eq!(get("tap-connections", "JJM 2814 0507")["status"], "commissioned");
        assert_eq!(get("water-samples", "WQ-2026-004410")["status"], "tested");
        assert_eq!(get("ihhl", "sbm10423309")["status"], "geo-tagged");
    }

    #[test]
    fn malformed_posts_are_refused() {
        let mut rng = Rng::for_key("x");
        assert!(register_complaint(&json!({"issue": "flood", "habitation": "Nunna"}), &mut rng).is_err());
        assert!(register_complaint(&json!({"issue": "no-water", "habitation": " "}), &mut rng).is_err());
    }
}
