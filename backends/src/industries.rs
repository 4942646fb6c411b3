//! The simulated Industries & Commerce systems: the district industries
//! centres' copy of Udyam (MSME) registrations in Andhra Pradesh, the Single
//! Desk Portal's applications, industrial incentive claims under the
//! Industrial Development Policy, factory licences and APIIC plot allotments.
//!
//! Example keys (always registered):
//! - `udyam`: `UDYAM-AP-06-0012380` (a micro enterprise: details and an MSEFC
//!   case), `UDYAM-AP-08-0012394` (a small one);
//! - `single-desk`: `SDS-2025-004512` (under scrutiny), `SDS-2025-004561` (a query
//!   to answer);
//! - `incentives`: `INC-2024-000318` (sanctioned), `INC-2025-000325` (released);
//! - `factories`: `FL-GNT-00458`, `FL-NTR-00451` (valid licences: status and copy);
//! - `apiic`: `APIIC-2024-00484` (allotted, balance due), `APIIC-2024-00456`
//!   (possession given).
//!
//! Udyam numbers of other states are not in the State's copy (404).

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{Words, coded_words, join};
use crate::registers::{self, Register, Rng, compact, lettered, numbered};
use crate::seed::calendar::{iso, today};
use crate::seed::{self, DISTRICTS};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "udyam",
        key: udyam_key,
        examples: &["UDYAM-AP-06-0012380", "UDYAM-AP-08-0012394"],
        make: udyam,
        submit: None,
    },
    Register {
        name: "single-desk",
        key: |t| numbered(t, "SDS", 6, 2000..=2099),
        examples: &["SDS-2025-004512", "SDS-2025-004561"],
        make: single_desk,
        submit: None,
    },
    Register {
        name: "incentives",
        key: |t| numbered(t, "INC", 6, 2000..=2099),
        examples: &["INC-2024-000318", "INC-2025-000325"],
        make: incentive_claim,
        submit: None,
    },
    Register {
        name: "factories",
        key: |t| lettered(t, "FL", 3, 5),
        examples: &["FL-GNT-00458", "FL-NTR-00451"],
        make: factory,
        submit: None,
    },
    Register {
        name: "apiic",
        key: |t| numbered(t, "APIIC", 5, 2000..=2099),
        examples: &["APIIC-2024-00484", "APIIC-2024-00456"],
        make: allotment,
        submit: None,
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// `UDYAM-XX-00-0000000`.
fn udyam_key(typed: &str) -> Option<String> {
    let key = compact(typed);
    let (state, digits) = key.strip_prefix("UDYAM")?.split_at_checked(2)?;
    let ok = state.bytes().all(|b| b.is_ascii_uppercase())
        && digits.len() == 9
        && digits.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| format!("UDYAM-{state}-{}-{}", &digits[..2], &digits[2..]))
}

/// District codes of factory licences.
const CODES: &[(&str, &str)] = &[
    ("NTR", "NTR"),
    ("GNT", "Guntur"),
    ("TPT", "Tirupati"),
    ("VSP", "Visakhapatnam"),
    ("KNL", "Kurnool"),
    ("EGD", "East Godavari"),
];

/// The promoter (`who`, `who_te`) and where the unit is.
fn promoter(rng: &mut Rng, who: &str, district: Option<&str>) -> Value {
    let (name, name_te) = seed::person(rng);
    let district = district.and_then(seed::district).unwrap_or_else(|| rng.pick(DISTRICTS));
    let mandal = rng.pick(district.mandals);
    json!({
        who: name, format!("{who}_te"): name_te,
        "district": district.name, "district_te": district.name_te,
        "mandal": mandal.name, "mandal_te": mandal.name_te,
    })
}

fn days_ago(rng: &mut Rng, lo: u64, hi: u64) -> i64 {
    today() - rng.between(lo, hi) as i64
}

const FIRMS: &[&str] =
    &["Sri Lakshmi", "Sai Balaji", "Krishna", "Godavari", "Amaravati", "Sri Venkateswara", "Vijaya", "Durga"];
/// (Line of business, its activity, its NIC code and description).
const TRADES: &[(&str, &str, &str)] = &[
    ("Rice Mill", "Manufacturing", "10612 – Rice milling"),
    ("Cold Press Oils", "Manufacturing", "10402 – Manufacture of edible oils"),
    ("Engineering Works", "Manufacturing", "25920 – Machining and fabrication of metal"),
    ("Food Products", "Manufacturing", "10750 – Ready-made meals and pickles"),
    ("Printers", "Services", "18112 – Printing and allied services"),
    ("Auto Garage", "Services", "45200 – Maintenance and repair of motor vehicles"),
    ("IT Solutions", "Services", "62013 – Software development"),
    ("Agencies", "Trading", "46693 – Wholesale of agricultural inputs"),
];

fn firm(rng: &mut Rng) -> (String, &'static str, &'static str) {
    let (trade, activity, nic) = *rng.pick(TRADES);
    (format!("{} {trade}", rng.pick(FIRMS)), activity, nic)
}

fn udyam(key: &str, rng: &mut Rng) -> Option<Value> {
    if !key.starts_with("UDYAM-AP-") {
        return None;
    }
    let (enterprise, activity, nic) = firm(rng);
    // Micro: investment ≤ ₹2.5 crore and turnover ≤ ₹10 crore; small ≤ 25 and 100.
    let (category, code, investment, turnover) = match rng.below(10) {
        0..=6 => ("Micro", "micro", rng.between(3, 200) * 100_000, rng.between(10, 800) * 100_000),
        7 | 8 => ("Small", "small", rng.between(260, 2_400) * 100_000, rng.between(1_100, 9_000) * 100_000),
        _ => ("Medium", "medium", rng.between(2_600, 12_000) * 100_000, rng.between(11_000, 40_000) * 100_000),
    };
    let registered = days_ago(rng, 120, 1_800);
    let mut record = join([
        promoter(rng, "owner", None),
        json!({
            "udyam": key, "enterprise": enterprise, "category": category, "category_code": code,
            "activity": activity, "nic": nic, "investment": investment, "turnover": turnover,
            "employees": rng.between(3, if code == "micro" { 40 } else { 250 }),
            "registered_on": iso(registered), "commenced_on": iso(registered - rng.between(30, 2_000) as i64),
        }),
    ]);
    record["dic"] = json!(format!("District Industries Centre, {}", record["district"].as_str().unwrap_or_default()));
    Some(record)
}

const SDS_STATUS: &[Words] = &[
    ("in-process", "Under scrutiny by the departments", "శాఖల పరిశీలనలో ఉంది", "विभागों की जाँच में"),
    ("query", "Query raised – your reply is needed", "సందేహం లేవనెత్తారు – మీ సమాధానం కావాలి", "प्रश्न उठाया गया – आपका जवाब चाहिए"),
    ("approved", "All approvals granted", "అన్ని అనుమతులు మంజూరయ్యాయి", "सभी स्वीकृतियाँ मिल गईं"),
];
/// (Approval, the department that gives it).
const APPROVALS: &[(&str, &str)] = &[
    ("Consent for Establishment", "AP Pollution Control Board"),
    ("Building plan approval", "Town & Country Planning"),
    ("Factory plan approval", "Factories Department"),
    ("Fire safety NOC", "AP Fire Services"),
    ("Power feasibility", "APCPDCL"),
    ("Land conversion (NALA)", "Revenue Department"),
];
const QUERIES: &[&str] = &[
    "Upload the partnership deed and the land lease deed",
    "Revised site plan showing the setbacks is required",
    "Give the source and quantity of water used per day",
];

fn single_desk(key: &str, rng: &mut Rng) -> Option<Value> {
    let (unit, _, _) = firm(rng);
    let filed = days_ago(rng, 8, 120);
    let status_at = rng.below(SDS_STATUS.len() as u64) as usize;
    let total = rng.between(4, 9);
    let cleared = if status_at == 2 { total } else { rng.between(1, total - 1) };
    let (approval, with) = *rng.pick(APPROVALS);
    Some(join([
        promoter(rng, "promoter", None),
        coded_words("status", &SDS_STATUS[status_at]),
        json!({
            "application": key, "unit": format!("{unit} Pvt Ltd"),
            "investment": rng.between(50, 2_000) * 100_000, "employment": rng.between(10, 300),
            "filed_on": iso(filed), "deemed_on": iso(filed + 21),
            "approvals_total": total, "approvals_cleared": cleared,
            "pending_approval": if status_at == 2 { "" } else { approval },
            "pending_with": if status_at == 2 { "" } else { with },
            "query": if status_at == 1 { *rng.pick(QUERIES) } else { "" },
        }),
    ]))
}

const INCENTIVE_STATUS: &[Words] = &[
    ("received", "Received at the DIC", "జిల్లా పరిశ్రమల కేంద్రంలో అందింది", "जिला उद्योग केंद्र में प्राप्त"),
    (
        "verified",
        "Inspected and verified by the GM, DIC",
        "జీఎం, డీఐసీ తనిఖీ చేసి ధృవీకరించారు",
        "जीएम, डीआईसी द्वारा जाँच और सत्यापन",
    ),
    ("committee", "Placed before the SIPC/DIPC", "SIPC/DIPC ముందు ఉంచారు", "SIPC/DIPC के समक्ष रखा गया"),
    (
        "sanctioned",
        "Sanctioned – awaiting budget release",
        "మంజూరైంది – బడ్జెట్ విడుదల కోసం",
        "स्वीकृत – बजट जारी होने की प्रतीक्षा",
    ),
    ("released", "Released to the unit's bank account", "యూనిట్ బ్యాంకు ఖాతాకు విడుదలైంది", "इकाई के बैंक खाते में जारी"),
];
const INCENTIVES: &[&str] = &[
    "Investment subsidy (15% of fixed capital)",
    "Power cost reimbursement (₹1 per unit)",
    "SGST reimbursement (100%, 5 years)",
    "Interest subsidy (3% on term loan)",
    "Stamp duty reimbursement (100%)",
];

fn incentive_claim(key: &str, rng: &mut Rng) -> Option<Value> {
    let (unit, _, _) = firm(rng);
    let at = rng.below(INCENTIVE_STATUS.len() as u64) as usize;
    let claimed = rng.between(40, 4_000) * 1_000;
    let sanctioned = if at >= 3 { claimed * rng.between(80, 100) / 100 } else { 0 };
    let filed = days_ago(rng, 60 + 45 * at as u64, 120 + 60 * at as u64);
    Some(join([
        promoter(rng, "promoter", None),
        coded_words("status", &INCENTIVE_STATUS[at]),
        json!({
            "claim": key, "unit": unit, "incentive": rng.pick(INCENTIVES),
            "policy": "AP Industrial Development Policy 4.0 (2023-27)",
            "claimed": claimed, "sanctioned": sanctioned, "released": if at == 4 { sanctioned } else { 0 },
            "filed_on": iso(filed), "updated_on": iso(days_ago(rng, 3, 40)),
        }),
    ]))
}

const FACTORY_STATUS: &[Words] = &[
    ("valid", "Valid", "చెల్లుబాటులో ఉంది", "वैध"),
    ("expired", "Expired – renewal due", "గడువు ముగిసింది – పునరుద్ధరించాలి", "समाप्त – नवीनीकरण बाकी"),
];

fn factory(key: &str, rng: &mut Rng) -> Option<Value> {
    let code = key.get(3..6).unwrap_or_default();
    let (_, district) = *CODES.iter().find(|(c, _)| *c == code)?;
    let (name, activity, nic) = firm(rng);
    if activity != "Manufacturing" && rng.below(2) == 0 {
        return None;
    }
    let licence_from = days_ago(rng, 30, 1_500);
    let valid_until = licence_from + 365 * rng.between(1, 5) as i64;
    let workers = rng.between(12, 480);
    Some(join([
        promoter(rng, "occupier", Some(district)),
        coded_words("status", &FACTORY_STATUS[usize::from(valid_until < today())]),
        json!({
            "licence_no": key, "factory": format!("{name} Unit-{}", rng.between(1, 3)), "product": nic,
            "workers": workers, "power_hp": rng.between(20, 900),
            "hazardous": rng.below(4) == 0,
            "licence_from": iso(licence_from),
            "valid_until": iso(valid_until),
            "last_inspection": iso(days_ago(rng, 30, 700)),
        }),
    ]))
}

const ALLOTMENT_STATUS: &[Words] = &[
    ("scrutiny", "Under scrutiny at the zonal office", "జోనల్ కార్యాలయంలో పరిశీలనలో ఉంది", "ज़ोनल कार्यालय में जाँच में"),
    ("allotted", "Allotted – pay the balance", "కేటాయించారు – మిగతా మొత్తం చెల్లించండి", "आवंटित – शेष राशि जमा करें"),
    ("paid", "Paid – sale agreement pending", "చెల్లించారు – సేల్ అగ్రిమెంట్ పెండింగ్", "भुगतान हुआ – बिक्री अनुबंध बाकी"),
    ("possession", "Possession handed over", "స్వాధీనం అప్పగించారు", "कब्ज़ा सौंपा गया"),
];
/// (Industrial park, in Telugu, district).
const PARKS: &[(&str, &str, &str)] = &[
    ("Mallavalli Industrial Park", "మల్లవల్లి పారిశ్రామిక పార్కు", "Krishna"),
    ("Autonagar, Vijayawada", "ఆటోనగర్, విజయవాడ", "NTR"),
    ("Mangalagiri Autonagar", "మంగళగిరి ఆటోనగర్", "Guntur"),
    ("Naidupeta Industrial Park", "నాయుడుపేట పారిశ్రామిక పార్కు", "Tirupati"),
    ("Orvakal Industrial Node", "ఓర్వకల్లు పారిశ్రామిక నోడ్", "Kurnool"),
    ("Atchutapuram SEZ", "అచ్యుతాపురం సెజ్", "Anakapalli"),
];

fn allotment(key: &str, rng: &mut Rng) -> Option<Value> {
    let (firm_name, _, _) = firm(rng);
    let (park, park_te, district) = *rng.pick(PARKS);
    let at = rng.below(ALLOTMENT_STATUS.len() as u64) as usize;
    let extent = rng.between(5, 80) * 100;
    let rate = rng.between(28, 95) * 100;
    let cost = extent * rate;
    let paid = match at {
        0 => cost / 10,
        1 => cost / 4,
        _ => cost,
    };
    let applied = days_ago(rng, 40 + 60 * at as u64, 90 + 90 * at as u64);
    let (promoter, promoter_te) = seed::person(rng);
    Some(join([
        coded_words("status", &ALLOTMENT_STATUS[at]),
        json!({
            "application": key, "firm": format!("{firm_name} Industries"), "promoter": promoter,
            "promoter_te": promoter_te, "park": park, "park_te": park_te, "district": district,
            "plot_no": if at == 0 { String::new() } else { format!("{}-{}", rng.pick(&["A", "B", "C", "D"]), rng.between(1, 140)) },
            "extent_sqm": extent, "rate": rate, "cost": cost, "paid": paid, "balance": cost - paid,
            "applied_on": iso(applied),
            "pay_by": if at == 1 { iso(today() + rng.between(5, 30) as i64) } else { String::new() },
        }),
    ]))
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found, get, refused};

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        examples_serve_the_definitions("industries", REGISTERS, "12-AB");
    }

    #[test]
    fn the_examples_take_the_happy_path() {
        assert_eq!(found(REGISTERS, "udyam", "UDYAM-AP-06-0012380")["category_code"], "micro");
        assert_eq!(found(REGISTERS, "factories", "FL-GNT-00458")["status_code"], "valid");
        assert_eq!(found(REGISTERS, "factories", "fl/gnt/00458")["licence_no"], "FL-GNT-00458");
    }

    #[tokio::test]
    async fn malformed_keys_are_refused_and_other_states_are_not_here() {
        let bad = [
            ("udyam", "UDYAM-AP-5-12345"),
            ("single-desk", "SDS-25-4512"),
            ("factories", "FL-G-1"),
            ("apiic", "12345"),
        ];
        refused(REGISTERS, &bad);
        assert_eq!(get(router(), "/udyam/UDYAM-TS-05-0012345").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get(router(), "/incentives/inc%202024%20000318").await.0, StatusCode::OK);
    }
}
