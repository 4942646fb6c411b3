//! AP State Housing Corporation: houses sanctioned under PMAY (Gramin and
//! Urban BLC) and the state's Pedalandariki Illu scheme, with their stages,
//! stage-wise bills and the cement and steel issued, and the TIDCO flats
//! built for the urban poor.
//!
//! Registers and their example keys (always registered, happy path):
//! - `houses/{HS-YYYY-NNNNNN}`: `HS-2023-000123` (at roof level, last bill
//!   paid), `HS-2022-004567` (completed, all bills paid).
//! - `tidco/{TIDCO-NNNNNNNN}`: `TIDCO-00412345` (flat allotted, registered
//!   and handed over).

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{join, somewhere};
use crate::registers::{self, Register, Rng, padded, plain_key};
use crate::seed::{self, calendar};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "houses",
        key: |t| padded(t, "HS"),
        examples: &["HS-2023-000123", "HS-2022-004567"],
        make: house,
        submit: None,
    },
    Register { name: "tidco", key: tidco_key, examples: &["TIDCO-00412345"], make: tidco, submit: None },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// Stages of a house: id, English, Telugu, Hindi, the bill paid on reaching it (₹).
const STAGES: &[(&str, &str, &str, &str, u64)] = &[
    ("not-started", "Not started (ground)", "ప్రారంభం కాలేదు", "शुरू नहीं हुआ", 0),
    ("basement", "Basement level", "బేస్‌మెంట్ స్థాయి", "नींव स्तर", 40_000),
    ("roof-level", "Roof level (walls up)", "రూఫ్ లెవెల్ (గోడలు పూర్తి)", "छत स्तर (दीवारें पूरी)", 40_000),
    ("roof-cast", "Roof cast", "స్లాబ్ పూర్తి", "छत ढलाई पूरी", 60_000),
    ("completed", "Completed", "నిర్మాణం పూర్తి", "पूर्ण", 40_000),
];

/// The stage bills: English, Telugu, Hindi.
const BILLS: &[(&str, &str, &str)] = &[
    ("—", "—", "—"),
    ("Basement", "బేస్‌మెంట్", "नींव"),
    ("Roof level", "రూఫ్ లెవెల్", "छत स्तर"),
    ("Roof cast", "స్లాబ్", "छत ढलाई"),
    ("Completion", "పూర్తి", "पूर्णता"),
];

/// The unit cost of a house: ₹1,80,000 in four stage bills.
const UNIT_COST: u64 = 180_000;

const SCHEMES: &[(&str, &str, &str)] = &[
    ("PMAY-Gramin", "పీఎంఏవై-గ్రామీణ", "पीएमएवाई-ग्रामीण"),
    ("PMAY-Urban (BLC)", "పీఎంఏవై-పట్టణ (బీఎల్‌సీ)", "पीएमएवाई-शहरी (BLC)"),
    ("Pedalandariki Illu", "పేదలందరికీ ఇళ్లు", "पेदलंदरिकी इल्लु"),
];

fn house(key: &str, rng: &mut Rng) -> Option<Value> {
    let year: i64 = key.get(3..7)?.parse().ok()?;
    if !(2016..=calendar::civil_from_days(calendar::today()).0).contains(&year) {
        return None;
    }
    let (d, m, v) = somewhere(rng);
    let name = seed::person(rng);
    let (scheme, scheme_te, scheme_hi) = *rng.pick(SCHEMES);
    let reached = match key {
        "HS-2023-000123" => 2,
        "HS-2022-004567" => 4,
        _ => rng.below(STAGES.len() as u64) as usize,
    };
    let cancelled = !matches!(key, "HS-2023-000123" | "HS-2022-004567") && reached == 0 && rng.below(2) == 0;
    let (stage, stage_en, stage_te, stage_hi, _) = STAGES[reached];
    let released: u64 = STAGES[..=reached].iter().map(|s| s.4).sum();
    let sanctioned = calendar::days_from_civil(year, 1, 1) + rng.below(330) as i64;
    let last_bill_on = (sanctioned + 120 * reached as i64 + rng.below(60) as i64).min(calendar::today() - 5);
    // The last stage's bill: paid, or awaiting its geo-tagged photo or the bank.
    let bill = match (reached, key) {
        (0, _) => "none",
        (_, "HS-2023-000123" | "HS-2022-004567") => "paid",
        _ => *rng.pick(&["paid", "paid", "geo-tag-pending", "at-bank"]),
    };
    let bill = if bill == "paid" && reached == STAGES.len() - 1 { "all-paid" } else { bill };
    let (bill_en, bill_te, bill_hi, advice, advice_te, advice_hi) = match bill {
        "paid" => (
            "Paid to your bank account",
            "మీ బ్యాంకు ఖాతాలో జమ",
            "आपके बैंक खाते में भुगतान",
            "Build to the next stage and ask the Engineering Assistant to geo-tag it; the next bill follows.",
            "తదుపరి దశ వరకు నిర్మించి ఇంజనీరింగ్ అసిస్టెంట్‌ను జియో-ట్యాగ్ చేయమని అడగండి; తర్వాతి బిల్లు వస్తుంది.",
            "अगले चरण तक बनाएँ और इंजीनियरिंग सहायक से जियो-टैग कराएँ; अगला बिल आएगा।",
        ),
        "all-paid" => (
            "Paid to your bank account",
            "మీ బ్యాంకు ఖాతాలో జమ",
            "आपके बैंक खाते में भुगतान",
            "All stage bills are paid and the house is complete; you can download its completion certificate.",
            "అన్ని దశల బిల్లులు చెల్లించారు, ఇల్లు పూర్తయింది; పూర్తి ధృవీకరణ పత్రం డౌన్‌లోడ్ చేసుకోవచ్చు.",
            "सभी चरण बिल भुगतान हो चुके हैं और घर पूरा है; पूर्णता प्रमाण पत्र डाउनलोड कर सकते हैं।",
        ),
        "none" => (
            "No bill yet",
            "ఇంకా బిల్లు లేదు",
            "अभी कोई बिल नहीं",
            "Start construction: the first bill (₹40,000) is paid when the basement is geo-tagged.",
            "నిర్మాణం ప్రారంభించండి: బేస్‌మెంట్ జియో-ట్యాగ్ కాగానే మొదటి బిల్లు (₹40,000) చెల్లిస్తారు.",
            "निर्माण शुरू करें: नींव का जियो-टैग होते ही पहला बिल (₹40,000) मिलेगा।",
        ),
        "geo-tag-pending" => (
            "Waiting for the stage photo (geo-tag)",
            "దశ ఫోటో (జియో-ట్యాగ్) కోసం ఎదురుచూపు",
            "चरण फ़ोटो (जियो-टैग) की प्रतीक्षा",
            "Ask your secretariat's Engineering Assistant to geo-tag the stage, or request it here.",
            "మీ సచివాలయ ఇంజనీరింగ్ అసిస్టెంట్‌ను దశ జియో-ట్యాగ్ చేయమని అడగండి, లేదా ఇక్కడే అర్జీ పెట్టండి.",
            "सचिवालय के इंजीनियरिंग सहायक से चरण जियो-टैग कराएँ, या यहीं अनुरोध करें।",
        ),
        _ => (
            "Sent to the bank (APCFSS), credit in 7–10 days",
            "బ్యాంకుకు పంపారు (APCFSS), 7–10 రోజుల్లో జమ",
            "बैंक को भेजा (APCFSS), 7–10 दिन में जमा",
            "No action needed; the amount reaches your Aadhaar-linked account.",
            "మీరు చేయాల్సింది ఏమీ లేదు; ఆధార్ లింక్ ఖాతాకు జమ అవుతుంది.",
            "कुछ करने की ज़रूरत नहीं; राशि आधार से जुड़े खाते में आएगी।",
        ),
    };
    let paid = if matches!(bill, "paid" | "all-paid") { released } else { released - STAGES[reached].4 };
    let next = STAGES.get(reached + 1);
    // Cement (bags) and steel (kg) issued by stage, of 90 bags and 400 kg for a house.
    let share = [0, 30, 60, 85, 90][reached];
    let ea = seed::person(rng);
    Some(join([
        json!({
            "beneficiary_id": key, "name": name.0, "name_te": name.1, "scheme": scheme, "scheme_te": scheme_te, "scheme_hi": scheme_hi,
            "village": v.name, "village_te": v.name_te, "mandal": m.name, "mandal_te": m.name_te, "district": d.name, "district_te": d.name_te,
            "layout": format!("Housing layout, {}", v.name), "layout_te": format!("గృహ నిర్మాణ లేఅవుట్, {}", v.name_te),
            "plot": format!("{}", rng.between(1, 480)), "sanctioned_on": calendar::iso(sanctioned), "unit_cost": UNIT_COST,
            "stage": if cancelled { "cancelled" } else { stage },
            "stage_en": if cancelled { "Sanction cancelled" } else { stage_en },
            "stage_te": if cancelled { "మంజూరు రద్దు" } else { stage_te },
            "stage_hi": if cancelled { "स्वीकृति रद्द" } else { stage_hi },
            "released": paid, "balance": UNIT_COST - paid,
            "next_stage": next.map_or("—", |s| s.1), "next_stage_te": next.map_or("—", |s| s.2), "next_amount": next.map_or(0, |s| s.4),
            "bill_stage": BILLS[reached.max(1)].0, "bill_stage_te": BILLS[reached.max(1)].1, "bill_stage_hi": BILLS[reached.max(1)].2, "bill_amount": STAGES[reached.max(1)].4, "bill_on": calendar::iso(last_bill_on),
            "bill_status": bill, "bill_status_en": bill_en, "bill_status_te": bill_te, "bill_status_hi": bill_hi,
            "advice": advice, "advice_te": advice_te, "advice_hi": advice_hi,
        }),
        json!({
            "cement_bags": share, "steel_kg": share * 40 / 9, "sand": "Free sand from the nearest reach (AP Free Sand Policy)",
            "sand_te": "సమీప రీచ్ నుండి ఉచిత ఇసుక (ఉచిత ఇసుక విధానం)",
            "engineering_assistant": ea.0, "secretariat": format!("{} Village Secretariat", v.name),
            "completed_on": calendar::iso(if reached == 4 { last_bill_on } else { calendar::today() }),
            "cancelled_reason": "the beneficiary did not start construction within the time given",
            "cancelled_reason_te": "గడువులోగా నిర్మాణం ప్రారంభించలేదు",
            "cancelled_reason_hi": "समय सीमा में निर्माण शुरू नहीं किया",
        }),
        json!({
            "account": format!("{} ****{:04}", rng.pick(&["SBI", "Union Bank", "APGVB", "Canara Bank"]), rng.below(10_000)),
        }),
    ]))
}

/// `TIDCO-00412345`: the allottee number (6 to 8 digits), with or without the prefix.
fn tidco_key(typed: &str) -> Option<String> {
    let compact = plain_key(typed, 6, 16)?.replace('-', "");
    let digits = compact.strip_prefix("TIDCO").unwrap_or(&compact);
    ((6..=8).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("TIDCO-{digits:0>8}"))
}

/// TIDCO projects: English, Telugu, district.
const PROJECTS: &[(&str, &str, &str)] = &[
    ("TIDCO Housing, Jakkampudi, Vijayawada", "టిడ్కో గృహాలు, జక్కంపూడి, విజయవాడ", "NTR"),
    ("TIDCO Housing, Gorantla, Guntur", "టిడ్కో గృహాలు, గోరంట్ల, గుంటూరు", "Guntur"),
    ("TIDCO Housing, Tiruchanur, Tirupati", "టిడ్కో గృహాలు, తిరుచానూరు, తిరుపతి", "Tirupati"),
    ("TIDCO Housing, Madhurawada, Visakhapatnam", "టిడ్కో గృహాలు, మధురవాడ, విశాఖపట్నం", "Visakhapatnam"),
    ("TIDCO Housing, Bommuru, Rajamahendravaram", "టిడ్కో గృహాలు, బొమ్మూరు, రాజమహేంద్రవరం", "East Godavari"),
];

fn tidco(key: &str, rng: &mut Rng) -> Option<Value> {
    let example = key == "TIDCO-00412345";
    let (project, project_te, district) = *rng.pick(PROJECTS);
    let name = seed::person(rng);
    // Flat sizes (sq. ft): the beneficiary's share (₹) and the bank loan (₹).
    let (size, share, loan) = *rng.pick(&[(300u64, 1u64, 0u64), (365, 25_000, 315_000), (430, 50_000, 365_000)]);
    let status = if example {
        "handed-over"
    } else {
        *rng.pick(&["under-construction", "allotted", "handed-over", "handed-over"])
    };
    let (status_en, status_te, status_hi) = match status {
        "under-construction" => ("Flat under construction", "ఫ్లాట్ నిర్మాణంలో ఉంది", "फ्लैट निर्माणाधीन"),
        "allotted" => {
            ("Allotted; registration to your name pending", "కేటాయించారు; మీ పేర రిజిస్ట్రేషన్ పెండింగ్", "आवंटित; आपके नाम पंजीकरण बाकी")
        }
        _ => ("Registered to you and handed over", "మీ పేర రిజిస్టర్ చేసి అప్పగించారు", "आपके नाम पंजीकृत और सौंपा गया"),
    };
    let paid = if status == "under-construction" { share / 2 } else { share };
    let allotted = calendar::today() - rng.between(200, 1800) as i64;
    Some(json!({
        "allottee_id": key, "name": name.0, "name_te": name.1, "project": project, "project_te": project_te, "district": district,
        "block": format!("{}", (b'A' + rng.below(12) as u8) as char), "flat_no": format!("{}{:02}", rng.between(1, 3), rng.between(1, 16)),
        "size_sqft": size, "share": share, "share_paid": paid, "share_due": share - paid, "bank_loan": loan,
        "status": status, "status_en": status_en, "status_te": status_te, "status_hi": status_hi,
        "allotted_on": calendar::iso(allotted),
        "handed_over_on": calendar::iso(if status == "handed-over" { allotted + rng.between(60, 180) as i64 } else { calendar::today() }),
        "document_no": format!("{}/{}", rng.between(100, 9000), calendar::civil_from_days(allotted).0),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::examples_serve_the_definitions;

    #[test]
    fn examples_are_found_and_carry_every_field_read() {
        examples_serve_the_definitions("housing", REGISTERS, "no such key!");
    }

    #[test]
    fn examples_are_on_the_happy_path_in_any_typed_form() {
        let building = REGISTERS[0].lookup("hs 2023 000123").unwrap().unwrap();
        assert_eq!((building["stage"].as_str(), building["bill_status"].as_str()), (Some("roof-level"), Some("paid")));
        assert_eq!(REGISTERS[0].lookup("HS-2022-004567").unwrap().unwrap()["bill_status"], "all-paid");
        assert_eq!(building["released"], 80_000);
        let done = REGISTERS[0].lookup("HS2022004567").unwrap().unwrap();
        assert_eq!((done["stage"].as_str(), done["released"].as_u64()), (Some("completed"), Some(UNIT_COST)));
        assert_eq!(REGISTERS[1].lookup("412345").unwrap().unwrap()["status"], "handed-over");
        assert_eq!(REGISTERS[0].lookup("HS-2001-000001").unwrap(), None);
    }

    #[test]
    fn bills_never_exceed_the_unit_cost_and_every_stage_occurs() {
        let mut stages = std::collections::HashSet::new();
        for n in 1..300 {
            if let Ok(Some(h)) = REGISTERS[0].lookup(&format!("HS-2024-{n:06}")) {
                assert!(h["released"].as_u64().unwrap() + h["balance"].as_u64().unwrap() == UNIT_COST, "{h}");
                stages.insert(h["stage"].as_str().unwrap().to_owned());
            }
        }
        assert_eq!(stages.len(), STAGES.len() + 1, "{stages:?}");
    }
}
