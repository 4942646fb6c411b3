//! The Backward Classes Welfare department's systems: the AP BC Co-operative
//! Finance Corporation's loan register, BC hostel admissions, the Kapu
//! Nestham and EBC Nestham beneficiary lists (by Aadhaar) and the BC Study
//! Circles' free-coaching admissions.
//!
//! Example keys (always registered, on the happy path of the definitions):
//! - `loans`: `BCC-2025-004501` (sanctioned or further: the sanction letter
//!   is issued), `BCC-2024-018805`;
//! - `hostel-admissions`: `BCH-2025-000704` (a seat allotted);
//! - `kapu-nestham`: `945123678014`, `ebc-nestham`: `512378945607` (paid);
//! - `study-circle`: `BCSC-2025-001217` (entrance test ahead: the hall
//!   ticket is issued).
//!
//! `POST /loans` takes a new loan application; the Aadhaar `381245679035`
//! has had no unit before (`assisted_before` false).

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{OnceInYears, Words, apply_once, day, filed_in, join, person_who, phone, place, words};
use crate::registers::{self, Register, numbered};
use crate::seed::{self, DISTRICTS, Rng, calendar};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "loans",
        key: |t| numbered(t, "BCC", 6, 2015..=2030),
        examples: &["BCC-2025-004501", "BCC-2024-018805"],
        make: loan,
        submit: Some(|body, rng| apply_once(body, rng, &LOANS)),
    },
    Register {
        name: "hostel-admissions",
        key: |t| numbered(t, "BCH", 6, 2015..=2030),
        examples: &["BCH-2025-000704"],
        make: hostel,
        submit: None,
    },
    Register {
        name: "kapu-nestham",
        key: |t| registers::digits_key(t, 12),
        examples: &["945123678014"],
        make: |key, rng| Some(nestham(key, rng, "Kapu Nestham", KAPU)),
        submit: None,
    },
    Register {
        name: "ebc-nestham",
        key: |t| registers::digits_key(t, 12),
        examples: &["512378945607"],
        make: |key, rng| Some(nestham(key, rng, "EBC Nestham", EBC)),
        submit: None,
    },
    Register {
        name: "study-circle",
        key: |t| numbered(t, "BCSC", 6, 2015..=2030),
        examples: &["BCSC-2025-001217"],
        make: coaching,
        submit: None,
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

const LOAN_STAGES: &[Words] = &[
    (
        "applied",
        "Applied; with the MPDO for verification",
        "దరఖాస్తు అందింది; ఎంపీడీఓ పరిశీలనలో ఉంది",
        "आवेदन प्राप्त; एमपीडीओ सत्यापन में",
    ),
    (
        "bank-consent",
        "Verified; waiting for the bank's consent",
        "పరిశీలన పూర్తి; బ్యాంకు అంగీకారం కోసం",
        "सत्यापित; बैंक की सहमति की प्रतीक्षा",
    ),
    ("sanctioned", "Sanctioned", "మంజూరైంది", "स्वीकृत"),
    (
        "subsidy-released",
        "Sanctioned; subsidy released to the bank",
        "మంజూరైంది; సబ్సిడీ బ్యాంకుకు విడుదలైంది",
        "स्वीकृत; सब्सिडी बैंक को जारी",
    ),
    ("grounded", "Unit grounded", "యూనిట్ ప్రారంభమైంది", "इकाई स्थापित"),
    ("rejected", "Rejected", "తిరస్కరించబడింది", "अस्वीकृत"),
];

const LOAN_REASONS: &[(&str, &str, &str)] = &[
    ("Family income above the limit", "కుటుంబ ఆదాయం పరిమితి దాటింది", "पारिवारिक आय सीमा से अधिक"),
    ("The bank did not give consent", "బ్యాంకు అంగీకరించలేదు", "बैंक ने सहमति नहीं दी"),
    ("Assisted under another scheme in 5 years", "5 ఏళ్లలో మరో పథకంలో లబ్ధి పొందారు", "5 वर्षों में अन्य योजना से लाभ लिया"),
];

/// A unit: its names and cost.
const UNITS: &[(&str, &str, u64)] = &[
    ("Kirana shop", "కిరాణా దుకాణం", 150_000),
    ("Tailoring unit", "టైలరింగ్ యూనిట్", 100_000),
    ("Passenger auto-rickshaw", "ప్రయాణికుల ఆటో", 300_000),
    ("Dairy unit (2 buffaloes)", "పాడి యూనిట్ (2 గేదెలు)", 200_000),
    ("Tiffin centre", "టిఫిన్ సెంటర్", 150_000),
    ("Carpentry workshop", "వడ్రంగి వర్క్‌షాప్", 200_000),
    ("Hair salon", "సెలూన్", 100_000),
    ("Laundry and ironing unit", "లాండ్రీ యూనిట్", 100_000),
];

const BANKS: &[&str] =
    &["State Bank of India", "Union Bank of India", "Indian Bank", "Andhra Pradesh Grameena Vikas Bank", "Canara Bank"];

const GROUPS: &[&str] = &["BC-A", "BC-B", "BC-C", "BC-D", "BC-E"];

fn loan(key: &str, rng: &mut Rng) -> Option<Value> {
    let (applicant, applicant_te) = seed::person(rng);
    let where_ = place(rng);
    let group = *rng.pick(GROUPS);
    let (unit, unit_te, cost) = *rng.pick(UNITS);
    let stage = *rng.pick(LOAN_STAGES);
    let (reason, reason_te, reason_hi) = if stage.0 == "rejected" { *rng.pick(LOAN_REASONS) } else { ("", "", "") };
    let bank = *rng.pick(BANKS);
    let subsidy = (cost / 2).min(100_000);
    let contribution = cost * 5 / 100;
    let applied = filed_in(key, rng, 7..=40);
    let sanctioned = (applied + rng.between(20, 35) as i64).min(calendar::today() - 2);
    let is_sanctioned = matches!(stage.0, "sanctioned" | "subsidy-released" | "grounded");
    Some(join([
        json!({
            "number": key, "applicant": applicant, "applicant_te": applicant_te, "caste_group": group,
            "unit": unit, "unit_te": unit_te, "unit_cost": cost, "subsidy": subsidy, "contribution": contribution,
            "bank_loan": cost - subsidy - contribution, "bank": format!("{bank}, {}", where_["mandal"].as_str().unwrap_or("")),
            "reason_en": reason, "reason_te": reason_te, "reason_hi": reason_hi,
            "applied_on": calendar::iso(applied),
            "sanctioned_on": if is_sanctioned { calendar::iso(sanctioned) } else { String::new() },
        }),
        where_,
        words("status", stage),
    ]))
}

/// The corporation's units: one a family, and one family in eight had one three years ago.
const LOANS: OnceInYears = OnceInYears { prefix: "BCC", scheme: "bc", serials: 20_000..=99_999, years_ago: 3 };

const HOSTEL_STATUS: &[Words] = &[
    (
        "applied",
        "Applied; with the hostel welfare officer",
        "దరఖాస్తు అందింది; హాస్టల్ సంక్షేమ అధికారి వద్ద",
        "आवेदन प्राप्त; छात्रावास कल्याण अधिकारी के पास",
    ),
    ("under-verification", "Certificates under verification", "ధృవపత్రాల పరిశీలన జరుగుతోంది", "प्रमाण पत्रों का सत्यापन जारी"),
    ("allotted", "Seat allotted", "సీటు కేటాయించబడింది", "सीट आवंटित"),
    ("waitlisted", "Waitlisted", "వెయిటింగ్ లిస్ట్‌లో ఉంది", "प्रतीक्षा सूची में"),
];

fn hostel(key: &str, rng: &mut Rng) -> Option<Value> {
    let girls = rng.below(2) == 0;
    let (student, student_te) = person_who(rng, girls);
    let d = rng.pick(DISTRICTS);
    let m = rng.pick(d.mandals);
    let status = *rng.pick(HOSTEL_STATUS);
    let (warden, _) = seed::person(rng);
    let class = rng.between(3, 10);
    let waitlist = if status.0 == "waitlisted" { rng.between(1, 40) } else { 0 };
    let (kind, kind_te) = if girls { ("Girls", "బాలికల") } else { ("Boys", "బాలుర") };
    Some(join([
        json!({
            "number": key, "student": student, "student_te": student_te, "class": class,
            "hostel": format!("Government BC {kind} Hostel, {}", m.name),
            "hostel_te": format!("ప్రభుత్వ బీసీ {kind_te} వసతి గృహం, {}", m.name_te),
            "district": d.name, "mandal": m.name, "warden": warden, "warden_phone": phone(rng),
            "waitlist_no": waitlist, "applied_on": day(-(rng.between(10, 60) as i64)),
            "report_by": day(rng.between(3, 15) as i64),
        }),
        words("status", status),
    ]))
}

const KAPU: &[(&str, &str)] = &[("Kapu", "కాపు"), ("Telaga", "తెలగ"), ("Balija", "బలిజ"), ("Ontari", "ఒంటరి")];
const EBC: &[(&str, &str)] = &[
    ("Reddy", "రెడ్డి"),
    ("Kamma", "కమ్మ"),
    ("Velama", "వెలమ"),
    ("Kshatriya", "క్షత్రియ"),
    ("Brahmin", "బ్రాహ్మణ"),
    ("Arya Vysya", "ఆర్య వైశ్య"),
];

const NESTHAM_STATUS: &[Words] = &[
    ("paid", "Paid", "జమ అయింది", "भुगतान हो गया"),
    ("paid", "Paid", "జమ అయింది", "भुगतान हो गया"),
    ("verification", "Under verification", "పరిశీలనలో ఉంది", "सत्यापन में"),
    ("ineligible", "Not eligible", "అర్హత లేదు", "पात्र नहीं"),
];

const NESTHAM_REASONS: &[(&str, &str, &str)] = &[
    ("the family owns a four-wheeler", "కుటుంబానికి నాలుగు చక్రాల వాహనం ఉంది", "परिवार के पास चार पहिया वाहन है"),
    ("a family member is a government employee", "కుటుంబ సభ్యులు ప్రభుత్వ ఉద్యోగి", "परिवार का सदस्य सरकारी कर्मचारी है"),
    ("family income above ₹10,000 a month", "కుటుంబ ఆదాయం నెలకు ₹10,000 పైగా", "पारिवारिक आय ₹10,000 प्रति माह से अधिक"),
    ("more than 3 acres of wet land", "3 ఎకరాలకు పైగా మాగాణి భూమి", "3 एकड़ से अधिक सिंचित भूमि"),
];

/// A woman of 45 to 60 on the list of the Nestham scheme `scheme`.
fn nestham(key: &str, rng: &mut Rng, scheme: &str, communities: &[(&str, &str)]) -> Value {
    let (name, name_te) = person_who(rng, true);
    let where_ = place(rng);
    let (community, community_te) = *rng.pick(communities);
    let status = *rng.pick(NESTHAM_STATUS);
    let (reason, reason_te, reason_hi) =
        if status.0 == "ineligible" { *rng.pick(NESTHAM_REASONS) } else { ("", "", "") };
    let age = rng.between(45, 60);
    let year = calendar::civil_from_days(calendar::today() - 120).0;
    let secretariat = format!("{} village secretariat", where_["village"].as_str().unwrap_or(""));
    join([
        json!({
            "aadhaar_masked": format!("XXXX XXXX {}", &key[8..]), "name": name, "name_te": name_te, "age": age,
            "community": community, "community_te": community_te, "scheme": scheme, "year": format!("{year}-{:02}", (year + 1) % 100),
            "amount": 15_000, "bank": format!("{} ****{:04}", rng.pick(BANKS), rng.below(10_000)),
            "paid_on": if status.0 == "paid" { day(-(rng.between(15, 200) as i64)) } else { String::new() },
            "reason_en": reason, "reason_te": reason_te, "reason_hi": reason_hi, "secretariat": secretariat,
        }),
        where_,
        words("status", status),
    ])
}

const COURSES: &[(&str, &str)] = &[
    ("APPSC Group-II", "ఏపీపీఎస్సీ గ్రూప్-2"),
    ("DSC (teacher recruitment)", "డీఎస్సీ (ఉపాధ్యాయ నియామకం)"),
    ("Police constable and SI", "పోలీస్ కానిస్టేబుల్, ఎస్ఐ"),
    ("Banking and SSC", "బ్యాంకింగ్, ఎస్ఎస్సీ"),
];

const COACHING_STATUS: &[Words] = &[
    ("applied", "Applied; screening under way", "దరఖాస్తు అందింది; పరిశీలనలో ఉంది", "आवेदन प्राप्त; जांच जारी"),
    ("entrance-scheduled", "Entrance test scheduled", "ప్రవేశ పరీక్ష ఖరారైంది", "प्रवेश परीक्षा निर्धारित"),
    ("selected", "Selected for coaching", "శిక్షణకు ఎంపికయ్యారు", "कोचिंग के लिए चयनित"),
    ("waitlisted", "Waitlisted", "వెయిటింగ్ లిస్ట్‌లో ఉంది", "प्रतीक्षा सूची में"),
];

fn coaching(key: &str, rng: &mut Rng) -> Option<Value> {
    let (candidate, candidate_te) = seed::person(rng);
    let d = rng.pick(DISTRICTS);
    let (course, course_te) = *rng.pick(COURSES);
    let status = *rng.pick(COACHING_STATUS);
    let ahead = status.0 == "entrance-scheduled" || status.0 == "applied";
    let exam = if ahead { rng.between(4, 20) as i64 } else { -(rng.between(10, 40) as i64) };
    Some(join([
        json!({
            "number": key, "candidate": candidate, "candidate_te": candidate_te, "course": course, "course_te": course_te,
            "centre": format!("BC Study Circle, {}", d.name), "centre_te": format!("బీసీ స్టడీ సర్కిల్, {}", d.name_te),
            "district": d.name, "roll_no": format!("{}{:05}", &key[5..9], rng.below(100_000)),
            "exam_date": day(exam), "exam_time": "10:00 AM to 12:00 noon",
            "exam_centre": format!("Government Junior College, {}", rng.pick(d.mandals).name),
            "batch_starts": day(exam + 21),
        }),
        words("status", status),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found, posted, refused};

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        examples_serve_the_definitions("bc-welfare", REGISTERS, "12-AB");
        let body = json!({"aadhaar": "381245679035", "caste_group": "bc-b", "age": 30.0, "income": 90000.0,
                          "area": "rural", "unit": "tailoring"});
        assert_eq!(posted("bc-welfare", REGISTERS, "loans", body)["assisted_before"], false);
    }

    #[test]
    fn examples_are_on_the_happy_path() {
        let get = |name: &str, key: &str| found(REGISTERS, name, key);
        for key in ["BCC-2025-004501", "bcc2024018805"] {
            let stage = get("loans", key)["status"].as_str().unwrap().to_owned();
            assert!(["sanctioned", "subsidy-released", "grounded"].contains(&stage.as_str()), "{stage}");
        }
        assert_eq!(get("hostel-admissions", "BCH-2025-000704")["status"], "allotted");
        assert_eq!(get("kapu-nestham", "945123678014")["status"], "paid");
        assert_eq!(get("ebc-nestham", "512378945607")["status"], "paid");
        assert_eq!(get("study-circle", "BCSC-2025-001217")["status"], "entrance-scheduled");
    }

    #[test]
    fn malformed_keys_and_posts_are_refused() {
        refused(REGISTERS, &[("loans", "BCC-1999-000001")]);
        assert!(apply_once(&json!({"aadhaar": "12"}), &mut Rng::for_key("x"), &LOANS).is_err());
    }
}
