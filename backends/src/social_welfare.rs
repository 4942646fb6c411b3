//! Social Welfare (Scheduled Castes welfare): post-matric scholarships
//! (Jnanabhumi: Vidya Deevena fee reimbursement and Vasathi Deevena hostel
//! and mess charges), the department's hostels, AP SC Cooperative Finance
//! Corporation loans and inter-caste marriage incentives.
//!
//! Registers and their example keys (always registered, happy path):
//! - `scholarships/{application id}` (like `JB-2025-004512`): `JB-2025-004512`
//!   (B.Tech, partly released), `JB-2025-007788` (degree, fully released).
//! - `hostels/{district}` (`ntr`, `guntur`, `tirupati`, `visakhapatnam`,
//!   `kurnool`, `east-godavari`): every district.
//! - `sc-loans/{application id}` (like `SCC-2025-012345`): `SCC-2025-012345` (subsidy released).
//! - `incentives/{application id}` (like `ICM-2025-000321`): `ICM-2025-000321` (incentive paid).

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{join, person_who, place};
use crate::registers::{self, Register, Rng, district_id, district_of, padded};
use crate::seed::{self, calendar};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "scholarships",
        key: |t| padded(t, "JB"),
        examples: &["JB-2025-004512", "JB-2025-007788"],
        make: scholarship,
        submit: None,
    },
    Register { name: "hostels", key: district_id, examples: DISTRICT_IDS, make: hostels, submit: None },
    Register {
        name: "sc-loans",
        key: |t| padded(t, "SCC"),
        examples: &["SCC-2025-012345"],
        make: sc_loan,
        submit: None,
    },
    Register {
        name: "incentives",
        key: |t| padded(t, "ICM"),
        examples: &["ICM-2025-000321"],
        make: incentive,
        submit: None,
    },
];

const DISTRICT_IDS: &[&str] = &["ntr", "guntur", "tirupati", "visakhapatnam", "kurnool", "east-godavari"];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// The year of a `PREFIX-YYYY-…` key, when it is one the department has records for.
fn year_of(key: &str) -> Option<i64> {
    let year: i64 = key.split('-').nth(1)?.parse().ok()?;
    (2019..=calendar::civil_from_days(calendar::today()).0).contains(&year).then_some(year)
}

/// Courses: English, Telugu, years, yearly fee (₹), Vasathi Deevena a year (₹), a college offering it.
type Course = (&'static str, &'static str, u64, u64, u64, (&'static str, &'static str));

const COURSES: &[Course] = &[
    (
        "B.Tech (Computer Science)",
        "బీటెక్ (కంప్యూటర్ సైన్స్)",
        4,
        70_000,
        20_000,
        ("Andhra Loyola Institute of Engineering, Vijayawada", "ఆంధ్ర లయోలా ఇంజనీరింగ్ కళాశాల, విజయవాడ"),
    ),
    (
        "B.Sc (Nursing)",
        "బీఎస్సీ (నర్సింగ్)",
        4,
        60_000,
        20_000,
        ("Government College of Nursing, Guntur", "ప్రభుత్వ నర్సింగ్ కళాశాల, గుంటూరు"),
    ),
    ("B.Com (Degree)", "బీకాం (డిగ్రీ)", 3, 18_000, 20_000, ("Government Degree College, Tenali", "ప్రభుత్వ డిగ్రీ కళాశాల, తెనాలి")),
    (
        "Diploma in Civil Engineering",
        "సివిల్ ఇంజనీరింగ్ డిప్లొమా",
        3,
        25_000,
        15_000,
        ("Government Polytechnic, Visakhapatnam", "ప్రభుత్వ పాలిటెక్నిక్, విశాఖపట్నం"),
    ),
    ("ITI (Electrician)", "ఐటీఐ (ఎలక్ట్రీషియన్)", 2, 12_000, 10_000, ("Government ITI, Kurnool", "ప్రభుత్వ ఐటీఐ, కర్నూలు")),
    (
        "MBA",
        "ఎంబీఏ",
        2,
        55_000,
        20_000,
        ("Sri Venkateswara University College, Tirupati", "శ్రీ వేంకటేశ్వర విశ్వవిద్యాలయ కళాశాల, తిరుపతి"),
    ),
];

fn scholarship(key: &str, rng: &mut Rng) -> Option<Value> {
    let year = year_of(key)?;
    let course = match key {
        "JB-2025-004512" => &COURSES[0],
        "JB-2025-007788" => &COURSES[2],
        _ => rng.pick(COURSES),
    };
    let (course_en, course_te, years, fee, mtf, (college, college_te)) = *course;
    let girl = rng.below(2) == 0;
    let student = person_who(rng, girl);
    // The mother shares the student's surname (instalments go to her account).
    let mut mother = person_who(rng, true);
    while mother.0.split(' ').next() == student.0.split(' ').next() {
        mother = person_who(rng, true);
    }
    let surname = |n: &str| n.rsplit(' ').next().unwrap_or_default().to_owned();
    let given = |n: &str| n.rsplit_once(' ').map_or(n.to_owned(), |(g, _)| g.to_owned());
    let mother = (
        format!("{} {}", given(&mother.0), surname(&student.0)),
        format!("{} {}", given(&mother.1), surname(&student.1)),
    );
    let status = match key {
        "JB-2025-004512" => "partly-released",
        "JB-2025-007788" => "released",
        _ => *rng.pick(&[
            "partly-released",
            "partly-released",
            "released",
            "sanctioned",
            "verification-pending",
            "rejected",
        ]),
    };
    let sanctioned = if status == "rejected" { 0 } else { fee + mtf };
    let released = match status {
        "released" => sanctioned,
        "partly-released" => fee / 2 + mtf / 2,
        _ => 0,
    };
    let reasons = [
        (
            "attendance below 75% in the last quarter",
            "గత త్రైమాసికంలో హాజరు 75% కంటే తక్కువ",
            "पिछली तिमाही में उपस्थिति 75% से कम",
        ),
        ("mother's e-KYC not done at the secretariat", "సచివాలయంలో తల్లి e-KYC చేయలేదు", "सचिवालय में माँ का ई-केवाईसी नहीं हुआ"),
        ("income certificate has expired", "ఆదాయ ధృవీకరణ పత్రం గడువు ముగిసింది", "आय प्रमाण पत्र की अवधि समाप्त"),
    ];
    let (reason, reason_te, reason_hi) = *rng.pick(&reasons);
    let (status_en, status_te, status_hi, advice, advice_te, advice_hi) = match status {
        "released" => ("Fully released", "పూర్తిగా విడుదలైంది", "पूरी राशि जारी", "All instalments for this year are credited to the mother's account. Renew on Jnanabhumi next year.".to_owned(), "ఈ ఏడాది అన్ని విడతలు తల్లి ఖాతాలో జమ అయ్యాయి. వచ్చే ఏడాది జ్ఞానభూమిలో రెన్యువల్ చేయండి.".to_owned(), "इस वर्ष की सभी किस्तें माँ के खाते में जमा हैं। अगले वर्ष ज्ञानभूमि पर नवीनीकरण करें।".to_owned()),
        "partly-released" => ("Partly released", "కొంత విడుదలైంది", "आंशिक रूप से जारी", "The next instalment is released with the quarter's attendance; keep attendance above 75%.".to_owned(), "తదుపరి విడత త్రైమాసిక హాజరుతో విడుదలవుతుంది; హాజరు 75% పైన ఉంచండి.".to_owned(), "अगली किस्त तिमाही उपस्थिति के साथ जारी होगी; उपस्थिति 75% से ऊपर रखें।".to_owned()),
        "sanctioned" => ("Sanctioned, release awaited", "మంజూరైంది, విడుదల కావాలి", "स्वीकृत, जारी होना बाकी", "Sanctioned; the first instalment is credited to the mother's account in the next release.".to_owned(), "మంజూరైంది; తదుపరి విడుదలలో మొదటి విడత తల్లి ఖాతాలో జమ అవుతుంది.".to_owned(), "स्वीकृत; अगली रिलीज़ में पहली किस्त माँ के खाते में आएगी।".to_owned()),
        "verification-pending" => ("Pending: verification", "పెండింగ్: పరిశీలన", "लंबित: सत्यापन", format!("Held because the {reason}. Fix it at the college or secretariat (Welfare & Education Assistant)."), format!("నిలిపివేశారు: {reason_te}. కళాశాల లేదా సచివాలయంలో (సంక్షేమ విద్యా సహాయకుడు) సరిచేయించండి."), format!("रोका गया: {reason_hi}। कॉलेज या सचिवालय (कल्याण शिक्षा सहायक) में ठीक कराएँ।")),
        _ => ("Rejected", "తిరస్కరించారు", "अस्वीकृत", "Rejected: family income is above ₹2.5 lakh a year. Appeal to the District Social Welfare Officer with a fresh income certificate.".to_owned(), "తిరస్కరించారు: కుటుంబ ఆదాయం ఏడాదికి ₹2.5 లక్షలు దాటింది. కొత్త ఆదాయ పత్రంతో జిల్లా సాంఘిక సంక్షేమ అధికారికి అప్పీలు చేయండి.".to_owned(), "अस्वीकृत: परिवार की आय ₹2.5 लाख/वर्ष से अधिक। नए आय प्रमाण पत्र के साथ जिला समाज कल्याण अधिकारी को अपील करें।".to_owned()),
    };
    Some(join([
        place(rng),
        json!({
            "app_id": key, "student": student.0, "student_te": student.1, "mother": mother.0, "mother_te": mother.1,
            "course": course_en, "course_te": course_te, "study_year": rng.between(1, years), "college": college, "college_te": college_te,
            "academic_year": format!("{year}-{:02}", (year + 1) % 100), "scheme": "Post-Matric Scholarship (SC)",
            "fee_sanctioned": if sanctioned > 0 { fee } else { 0 }, "mtf_sanctioned": if sanctioned > 0 { mtf } else { 0 },
            "sanctioned": sanctioned, "released": released, "pending": sanctioned - released,
            "last_release_on": calendar::iso((calendar::today() - rng.between(10, 120) as i64).min(calendar::days_from_civil(year + 1, 6, 30))),
            "account": format!("{} ****{:04}", rng.pick(&["SBI", "Union Bank", "Canara Bank", "India Post"]), rng.below(10_000)),
            "status": status, "status_en": status_en, "status_te": status_te, "status_hi": status_hi,
            "advice": advice, "advice_te": advice_te, "advice_hi": advice_hi,
        }),
    ]))
}

fn hostels(key: &str, _rng: &mut Rng) -> Option<Value> {
    let d = district_of(key)?;
    // Vacancies change through the admission season.
    let mut rng = Rng::for_key(&format!("hostels:{key}:{}", calendar::today() / 7));
    let kinds = [
        ("SW Boys Hostel (pre-matric, classes 3–10)", "సాంఘిక సంక్షేమ బాలుర వసతి గృహం (3–10 తరగతులు)"),
        ("SW Girls Hostel (pre-matric, classes 3–10)", "సాంఘిక సంక్షేమ బాలికల వసతి గృహం (3–10 తరగతులు)"),
        ("SW College Boys Hostel (post-matric)", "సాంఘిక సంక్షేమ కళాశాల బాలుర వసతి గృహం"),
        ("SW College Girls Hostel (post-matric)", "సాంఘిక సంక్షేమ కళాశాల బాలికల వసతి గృహం"),
    ];
    let villages: Vec<_> = d.mandals.iter().flat_map(|m| m.villages.iter()).collect();
    let mut vacancies = 0;
    let lines: Vec<(String, String)> = kinds
        .iter()
        .map(|(en, te)| {
            let v = rng.pick(&villages);
            let free = rng.below(25);
            vacancies += free;
            (format!("{en}, {}: {free} seats free", v.name), format!("{te}, {}: {free} సీట్లు ఖాళీ", v.name_te))
        })
        .collect();
    let join =
        |te: bool| lines.iter().map(|l| if te { l.1.as_str() } else { l.0.as_str() }).collect::<Vec<_>>().join("\n");
    Some(json!({"district": d.name, "district_te": d.name_te, "count": kinds.len(), "vacancies": vacancies,
                "list": join(false), "list_te": join(true)}))
}

/// SC Corporation self-employment units: English, Telugu, unit cost (₹).
const UNITS: &[(&str, &str, u64)] = &[
    ("Dairy unit (two buffaloes)", "పాడి యూనిట్ (రెండు గేదెలు)", 200_000),
    ("Passenger auto", "ప్యాసింజర్ ఆటో", 350_000),
    ("Kirana shop", "కిరాణా దుకాణం", 150_000),
    ("Tailoring unit", "టైలరింగ్ యూనిట్", 100_000),
    ("Goods vehicle (light)", "సరుకు రవాణా వాహనం", 700_000),
];

fn sc_loan(key: &str, rng: &mut Rng) -> Option<Value> {
    year_of(key)?;
    let person = seed::person(rng);
    let (unit, unit_te, cost) = *rng.pick(UNITS);
    let subsidy = (cost * 60 / 100).min(300_000);
    let stage = if key == "SCC-2025-012345" {
        "subsidy-released"
    } else {
        *rng.pick(&["mpdo-verification", "bank-consent", "sanctioned", "grounded", "subsidy-released", "rejected"])
    };
    let (stage_en, stage_te, stage_hi, advice, advice_te, advice_hi) = match stage {
        "mpdo-verification" => (
            "Verification by MPDO",
            "ఎంపీడీఓ పరిశీలనలో",
            "MPDO सत्यापन में",
            "The MPDO's team verifies at your home; keep Aadhaar, caste and income certificates ready.",
            "ఎంపీడీఓ బృందం మీ ఇంటికి వచ్చి పరిశీలిస్తుంది; ఆధార్, కుల, ఆదాయ పత్రాలు సిద్ధంగా ఉంచండి.",
            "MPDO की टीम घर आकर सत्यापन करेगी; आधार, जाति और आय प्रमाण पत्र तैयार रखें।",
        ),
        "bank-consent" => (
            "Waiting for bank consent",
            "బ్యాంకు అంగీకారం కోసం",
            "बैंक सहमति की प्रतीक्षा",
            "Meet the bank branch manager with the sanction slip; the bank must consent within 30 days.",
            "మంజూరు స్లిప్‌తో బ్యాంకు బ్రాంచ్ మేనేజర్‌ను కలవండి; 30 రోజుల్లో బ్యాంకు అంగీకరించాలి.",
            "स्वीकृति पर्ची लेकर बैंक शाखा प्रबंधक से मिलें; बैंक को 30 दिन में सहमति देनी है।",
        ),
        "sanctioned" => (
            "Loan sanctioned",
            "రుణం మంజూరైంది",
            "ऋण स्वीकृत",
            "Buy the unit from the approved supplier; the bank pays the supplier directly.",
            "ఆమోదిత సరఫరాదారు నుండి యూనిట్ కొనండి; బ్యాంకు నేరుగా చెల్లిస్తుంది.",
            "स्वीकृत आपूर्तिकर्ता से यूनिट खरीदें; बैंक सीधे भुगतान करेगा।",
        ),
        "grounded" => (
            "Unit grounded",
            "యూనిట్ ప్రారంభమైంది",
            "यूनिट स्थापित",
            "The subsidy is released to your loan account after the unit's photo verification.",
            "యూనిట్ ఫోటో పరిశీలన తర్వాత సబ్సిడీ మీ రుణ ఖాతాకు విడుదలవుతుంది.",
            "यूनिट के फ़ोटो सत्यापन के बाद सब्सिडी ऋण खाते में जारी होगी।",
        ),
        "subsidy-released" => (
            "Subsidy released",
            "సబ్సిడీ విడుదలైంది",
            "सब्सिडी जारी",
            "The subsidy is adjusted in your loan account; repay the bank loan in monthly instalments.",
            "సబ్సిడీ మీ రుణ ఖాతాలో సర్దుబాటు అయింది; బ్యాంకు రుణాన్ని నెల వాయిదాల్లో తీర్చండి.",
            "सब्सिडी ऋण खाते में समायोजित है; बैंक ऋण मासिक किस्तों में चुकाएँ।",
        ),
        _ => (
            "Rejected",
            "తిరస్కరించారు",
            "अस्वीकृत",
            "Rejected: a loan from the corporation was taken earlier. Ask the Executive Director, SC Corporation, for review.",
            "తిరస్కరించారు: గతంలో కార్పొరేషన్ రుణం తీసుకున్నారు. సమీక్ష కోసం ఎస్సీ కార్పొరేషన్ ఈడీని సంప్రదించండి.",
            "अस्वीकृत: पहले निगम से ऋण लिया गया था। समीक्षा के लिए SC निगम के कार्यकारी निदेशक से मिलें।",
        ),
    };
    let address = place(rng);
    let bank = format!(
        "{}, {} branch",
        rng.pick(&["State Bank of India", "Union Bank of India", "Canara Bank", "APGVB"]),
        address["mandal"].as_str().unwrap_or_default()
    );
    Some(join([
        address,
        json!({
            "app_id": key, "name": person.0, "name_te": person.1, "unit": unit, "unit_te": unit_te,
            "unit_cost": cost, "subsidy": subsidy, "bank_loan": cost - subsidy - cost / 20, "own_share": cost / 20,
            "bank": bank,
            "stage": stage, "stage_en": stage_en, "stage_te": stage_te, "stage_hi": stage_hi,
            "advice": advice, "advice_te": advice_te, "advice_hi": advice_hi,
            "updated_on": calendar::iso(calendar::today() - rng.between(3, 60) as i64),
        }),
    ]))
}

fn incentive(key: &str, rng: &mut Rng) -> Option<Value> {
    let year = year_of(key)?;
    let husband = person_who(rng, false);
    let wife = person_who(rng, true);
    let married = calendar::days_from_civil(year, 1, 1) + rng.below(300) as i64;
    let stage = if key == "ICM-2025-000321" {
        "paid"
    } else {
        *rng.pick(&["field-verification", "sanctioned", "paid", "paid", "rejected"])
    };
    let (stage_en, stage_te, stage_hi) = match stage {
        "field-verification" => (
            "Field verification by the Social Welfare Officer",
            "సాంఘిక సంక్షేమ అధికారి క్షేత్ర పరిశీలన",
            "समाज कल्याण अधिकारी द्वारा सत्यापन",
        ),
        "sanctioned" => (
            "Sanctioned by the Collector, payment awaited",
            "కలెక్టర్ మంజూరు చేశారు, చెల్లింపు కావాలి",
            "कलेक्टर द्वारा स्वीकृत, भुगतान बाकी",
        ),
        "paid" => ("Paid to the couple's joint account", "దంపతుల ఉమ్మడి ఖాతాలో జమ", "दंपति के संयुक्त खाते में भुगतान"),
        _ => (
            "Rejected: marriage not registered within a year",
            "తిరస్కరించారు: ఏడాదిలోపు వివాహం నమోదు కాలేదు",
            "अस्वीकृत: विवाह एक वर्ष में पंजीकृत नहीं",
        ),
    };
    Some(join([
        place(rng),
        json!({
            "app_id": key, "husband": husband.0, "husband_te": husband.1, "wife": wife.0, "wife_te": wife.1,
            "married_on": calendar::iso(married), "amount": 75_000,
            "stage": stage, "stage_en": stage_en, "stage_te": stage_te, "stage_hi": stage_hi,
            "updated_on": calendar::iso((married + rng.between(60, 300) as i64).min(calendar::today())),
        }),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::examples_serve_the_definitions;

    #[test]
    fn examples_are_found_and_carry_every_field_read() {
        examples_serve_the_definitions("social-welfare", REGISTERS, "no such key!");
    }

    #[test]
    fn examples_are_on_the_happy_path_in_any_typed_form() {
        let s = REGISTERS[0].lookup("jb 2025 004512").unwrap().unwrap();
        assert_eq!((s["app_id"].as_str(), s["status"].as_str()), (Some("JB-2025-004512"), Some("partly-released")));
        assert!(s["released"].as_u64() > Some(0) && s["pending"].as_u64() > Some(0));
        assert_eq!(REGISTERS[0].lookup("JB2025007788").unwrap().unwrap()["pending"], 0);
        assert_eq!(REGISTERS[1].lookup("East Godavari").unwrap().unwrap()["count"], 4);
        assert_eq!(REGISTERS[2].lookup("SCC-2025-012345").unwrap().unwrap()["stage"], "subsidy-released");
        assert_eq!(REGISTERS[3].lookup("ICM-2025-000321").unwrap().unwrap()["stage"], "paid");
        assert_eq!(REGISTERS[0].lookup("JB-1999-000001").unwrap(), None);
    }

    #[test]
    fn amounts_add_up_over_many_applications() {
        for n in 1..200 {
            if let Ok(Some(s)) = REGISTERS[0].lookup(&format!("JB-2024-{n:06}")) {
                let (sanctioned, released) = (s["sanctioned"].as_u64().unwrap(), s["released"].as_u64().unwrap());
                assert!(released <= sanctioned && s["pending"].as_u64() == Some(sanctioned - released), "{s}");
            }
        }
    }
}
