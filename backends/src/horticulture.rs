//! The simulated Horticulture & Sericulture systems: the AP Micro Irrigation
//! Project (APMIP) register of drip and sprinkler applications (which also
//! takes new ones), the oil palm growers' register (NMEO-OP subsidies, which
//! also takes new growers) and the sericulture farmers' register with the
//! cocoon incentives paid on sales at government cocoon markets.
//!
//! Example keys (always registered):
//! - `mi-applications`: `MI25004880` (work order issued: status and sanction
//!   letter), `MI25004950` (installed, the farmer's share due);
//! - `oil-palm`: `OP23001539` (in gestation, instalments due), `OP22001560`
//!   (yielding);
//! - `silk-farmers`: `SF21004526`, `SF21004568` (active rearers with incentives pending).
//!
//! `POST /mi-applications` takes `{aadhaar, system, crop, area, category,
//! survey}`; about one survey number in ten already had a drip or sprinkler
//! subsidy within seven years (`covered_recently`), which the rules refuse.
//! `POST /oil-palm` takes `{aadhaar, area, water, district}`.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{Words, coded_words, join, place};
use crate::registers::{self, Register, Rng, prefixed};
use crate::seed;
use crate::seed::calendar::{iso, today};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "mi-applications",
        key: |t| prefixed(t, "MI", 8),
        examples: &["MI25004880", "MI25004950"],
        make: mi_application,
        submit: Some(apply_mi),
    },
    Register {
        name: "oil-palm",
        key: |t| prefixed(t, "OP", 8),
        examples: &["OP23001539", "OP22001560"],
        make: oil_palm_grower,
        submit: Some(apply_oil_palm),
    },
    Register {
        name: "silk-farmers",
        key: |t| prefixed(t, "SF", 8),
        examples: &["SF21004526", "SF21004568"],
        make: silk_farmer,
        submit: None,
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// A farmer and the village of the holding.
fn farmer(rng: &mut Rng) -> Value {
    let (name, name_te) = seed::person(rng);
    join([json!({"farmer": name, "farmer_te": name_te}), place(rng)])
}

/// Acres with two decimals, as the land records keep them.
fn acres(rng: &mut Rng, lo_cents: u64, hi_cents: u64) -> f64 {
    rng.between(lo_cents, hi_cents) as f64 / 100.0
}

const MI_STAGES: &[Words] = &[
    ("registered", "Registered at the RSK", "రైతు సేవా కేంద్రంలో నమోదైంది", "आरएसके में पंजीकृत"),
    ("survey", "Field survey done", "క్షేత్ర పరిశీలన పూర్తయింది", "खेत सर्वेक्षण पूरा"),
    ("design", "Design and estimate approved", "డిజైన్, అంచనా ఆమోదించారు", "डिज़ाइन और अनुमान स्वीकृत"),
    ("work-order", "Work order issued", "వర్క్ ఆర్డర్ జారీ అయింది", "कार्य आदेश जारी"),
    ("installed", "System installed", "పరికరాలు అమర్చారు", "सिस्टम लगाया गया"),
    ("inspected", "Joint inspection done", "సంయుక్త తనిఖీ పూర్తయింది", "संयुक्त निरीक्षण पूरा"),
    ("released", "Subsidy paid to the company", "కంపెనీకి సబ్సిడీ చెల్లించారు", "कंपनी को सब्सिडी भुगतान"),
];
const MI_COMPANIES: &[&str] =
    &["Jain Irrigation Systems", "Netafim Irrigation India", "Finolex Plasson", "EPC Industrie", "Kothari Agritech"];
const MI_CROPS: &[&str] = &["Mango", "Banana", "Sweet orange", "Chilli", "Papaya", "Tomato", "Oil palm", "Coconut"];

/// Subsidy per cent by farmer category (APMIP guidelines).
fn subsidy_percent(category: &str) -> u64 {
    match category {
        "sc-st" => 100,
        "small-marginal" => 90,
        _ => 50,
    }
}

/// Unit cost in rupees: drip about ₹52,000 an acre, sprinkler about ₹21,000.
fn mi_cost(drip: bool, area: f64) -> u64 {
    ((if drip { 52_000.0 } else { 21_000.0 }) * area).round() as u64
}

fn mi_application(key: &str, rng: &mut Rng) -> Option<Value> {
    let drip = rng.below(4) != 0;
    let category = *rng.pick(&["sc-st", "small-marginal", "small-marginal", "others"]);
    let area = if category == "others" { acres(rng, 100, 1250) } else { acres(rng, 50, 500) };
    let cost = mi_cost(drip, area);
    let subsidy = cost * subsidy_percent(category) / 100;
    let stage = rng.below(MI_STAGES.len() as u64) as usize;
    let applied = today() - 40 - 25 * stage as i64 - rng.between(0, 60) as i64;
    Some(join([
        farmer(rng),
        coded_words("status", &MI_STAGES[stage]),
        json!({
            "application": key,
            "system": if drip { "Drip" } else { "Sprinkler" },
            "crop": rng.pick(MI_CROPS),
            "survey_no": format!("{}/{}", rng.between(12, 480), rng.between(1, 6)),
            "area_acres": area,
            "category": category,
            "subsidy_percent": subsidy_percent(category),
            "unit_cost": cost,
            "subsidy": subsidy,
            "farmer_share": cost - subsidy,
            "company": rng.pick(MI_COMPANIES),
            "applied_on": iso(applied),
            "updated_on": iso(today() - rng.between(2, 20) as i64),
            "sanctioned": stage >= 3,
        }),
    ]))
}

fn apply_mi(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let aadhaar = body["aadhaar"].as_str().filter(|a| a.len() == 12).ok_or("aadhaar (12 digits) is required")?;
    let area = body["area"].as_f64().filter(|a| *a > 0.0).ok_or("area (acres) is required")?;
    let drip = body["system"].as_str() != Some("sprinkler");
    let category = body["category"].as_str().unwrap_or("others");
    let cost = mi_cost(drip, area);
    let subsidy = cost * subsidy_percent(category) / 100;
    let covered = rng.below(10) == 0;
    Ok(json!({
        "application": format!("MI{}{:06}", iso(today()).get(2..4).unwrap_or("25"), rng.below(1_000_000)),
        "aadhaar_last4": aadhaar.get(8..).unwrap_or_default(),
        "covered_recently": covered,
        "last_subsidy_year": if covered { 2019 + rng.below(5) } else { 0 },
        "subsidy_percent": subsidy_percent(category),
        "unit_cost": cost,
        "subsidy": subsidy,
        "farmer_share": cost - subsidy,
    }))
}

const OP_STATUS: &[Words] = &[
    ("gestation", "Active (gestation period)", "యాక్టివ్ (కాపుకు ముందు దశ)", "सक्रिय (गर्भावधि अवधि)"),
    ("yielding", "Active (yielding)", "యాక్టివ్ (గెలలు వస్తున్నాయి)", "सक्रिय (उत्पादन में)"),
];
const OP_COMPANIES: &[&str] = &["3F Oil Palm", "Godrej Agrovet", "Patanjali Foods", "AP Oilfed"];
/// NMEO-OP maintenance and intercrop assistance, rupees per acre per year.
const OP_MAINTENANCE: u64 = 2_100;
const OP_INTERCROP: u64 = 2_100;

fn oil_palm_grower(key: &str, rng: &mut Rng) -> Option<Value> {
    let area = acres(rng, 100, 800);
    let age = rng.between(1, 6) as i64;
    let years_paid = age.min(4) as u64;
    let per_year = ((OP_MAINTENANCE + OP_INTERCROP) as f64 * area).round() as u64;
    let planted = today() - 365 * age - rng.between(10, 300) as i64;
    let last_paid = today() - rng.between(20, 200) as i64;
    Some(join([
        farmer(rng),
        coded_words("status", &OP_STATUS[usize::from(age > 4)]),
        json!({
            "grower_code": key,
            "area_acres": area,
            "plants": (area * 57.0).round() as u64,
            "planted_on": iso(planted),
            "company": rng.pick(OP_COMPANIES),
            "instalments_paid": years_paid,
            "subsidy_released": per_year * years_paid,
            "last_payment": per_year,
            "last_payment_on": iso(last_paid),
            "next_due": if age < 4 { per_year } else { 0 },
            "ffb_price": 17_000 + rng.between(0, 30) * 100,
        }),
    ]))
}

fn apply_oil_palm(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    body["aadhaar"].as_str().filter(|a| a.len() == 12).ok_or("aadhaar (12 digits) is required")?;
    let area = body["area"].as_f64().filter(|a| *a > 0.0).ok_or("area (acres) is required")?;
    Ok(json!({
        "application": format!("OPA{:07}", rng.below(10_000_000)),
        "company": rng.pick(OP_COMPANIES),
        "seedlings": (area * 57.0).round() as u64,
    }))
}

const SILK_STATUS: &[Words] = &[
    ("active", "Active", "యాక్టివ్", "सक्रिय"),
    ("active", "Active", "యాక్టివ్", "सक्रिय"),
    ("inactive", "Inactive (no rearing this year)", "నిష్క్రియం (ఈ ఏడాది పెంపకం లేదు)", "निष्क्रिय (इस वर्ष पालन नहीं)"),
];
const COCOON_MARKETS: &[&str] = &[
    "Government Cocoon Market, Hindupur",
    "Government Cocoon Market, Dharmavaram",
    "Government Cocoon Market, Palamaner",
    "Government Cocoon Market, Madanapalle",
];

fn silk_farmer(key: &str, rng: &mut Rng) -> Option<Value> {
    let bivoltine = rng.below(3) != 0;
    let kg = rng.between(120, 900);
    let rate = if bivoltine { 50 } else { 30 };
    let due = kg * rate;
    let released = due * rng.between(0, 4) / 4;
    Some(join([
        farmer(rng),
        coded_words("status", rng.pick(SILK_STATUS)),
        json!({
            "farmer_id": key,
            "mulberry_acres": acres(rng, 50, 400),
            "race": if bivoltine { "Bivoltine (CSR2 × CSR4)" } else { "Cross breed (PM × CSR2)" },
            "registered_on": iso(today() - 365 * rng.between(3, 12) as i64 - rng.between(0, 300) as i64),
            "cocoons_kg": kg,
            "incentive_rate": rate,
            "incentive_due": due,
            "incentive_released": released,
            "incentive_pending": due - released,
            "last_sale_on": iso(today() - rng.between(5, 90) as i64),
            "market": rng.pick(COCOON_MARKETS),
        }),
    ]))
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found, get, post, posted, refused};

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        examples_serve_the_definitions("horticulture", REGISTERS, "12-AB");
        let body = json!({"aadhaar": "234123412346", "system": "drip", "crop": "Mango", "area": 2.5,
                          "category": "small-marginal", "survey": "112/3"});
        posted("horticulture", REGISTERS, "mi-applications", body);
        let body = json!({"aadhaar": "234123412346", "area": 2.0, "water": "borewell", "district": "guntur"});
        posted("horticulture", REGISTERS, "oil-palm", body);
    }

    #[test]
    fn the_examples_take_the_happy_path() {
        let sanctioned = found(REGISTERS, "mi-applications", "MI25004880");
        assert_eq!(sanctioned["sanctioned"], true, "{sanctioned}");
        for key in ["SF21004526", "SF21004568"] {
            assert_eq!(found(REGISTERS, "silk-farmers", key)["status_code"], "active", "{key}");
        }
    }

    #[tokio::test]
    async fn malformed_keys_are_refused_and_applications_taken() {
        refused(REGISTERS, &[("mi-applications", "MI25"), ("oil-palm", "XX23001532"), ("silk-farmers", "SF2100451A")]);
        let (status, record) = get(router(), "/mi-applications/mi-25004880").await;
        assert_eq!((status, record["application"].as_str()), (StatusCode::OK, Some("MI25004880")));
        let body = r#"{"aadhaar": "234123412346", "system": "drip", "crop": "Mango", "area": 2.5,
                       "category": "small-marginal", "survey": "112/3"}"#;
        let (status, record) = post(router(), "/mi-applications", body).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!((record["covered_recently"].as_bool(), record["subsidy_percent"].as_u64()), (Some(false), Some(90)));
        let (status, record) = post(router(), "/oil-palm", r#"{"area": 2}"#).await;
        assert_eq!(
            (status, record["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some("aadhaar (12 digits) is required"))
        );
    }
}
