//! The Women Development and Child Welfare department's systems: the
//! Anganwadi centres of the ICDS projects, their beneficiaries (Sampoorna
//! Poshana rations, Balamrutham, growth monitoring) and enrolments, adoption
//! applications through CARA, and each district's Sakhi One Stop Centre.
//!
//! Registers and their examples (kept by the tests below):
//! - `anganwadi/{PIN code}`: the Anganwadi centre for a PIN code; `520001`.
//! - `beneficiaries/{mother's Aadhaar}`: `499118665312`, a mother with a
//!   child between 7 months and 3 years, this month's ration given
//!   (nutrition, Balamrutham).
//! - `POST /enrolments` enrols a pregnant woman, a nursing mother or a child
//!   at the Anganwadi centre for Sampoorna Poshana.
//! - `adoptions/{PAP2024001234}` (CARA registration): `PAP2024001234`.
//! - `one-stop-centres/{district}`: `ntr`, `kurnool`.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{district_of_pincode, join, month_names, person_who, said, stage_fields};
use crate::registers::{self, Register, Rng, digits_key, district_of, prefixed, seeded_district_id};
use crate::seed::calendar::{civil_from_days, days_from_civil, iso, today};
use crate::seed::{self, District};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register { name: "anganwadi", key: |t| digits_key(t, 6), examples: &["520001"], make: anganwadi, submit: None },
    Register {
        name: "beneficiaries",
        key: |t| digits_key(t, 12),
        examples: &["499118665312"],
        make: beneficiary,
        submit: None,
    },
    Register { name: "enrolments", key: |_| None, examples: &[], make: |_, _| None, submit: Some(enrol) },
    Register {
        name: "adoptions",
        key: |t| prefixed(t, "PAP", 10),
        examples: &["PAP2024001234"],
        make: adoption,
        submit: None,
    },
    Register {
        name: "one-stop-centres",
        key: seeded_district_id,
        examples: &["ntr", "kurnool"],
        make: one_stop_centre,
        submit: None,
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// An Anganwadi centre somewhere in `district`: code, names, worker, project.
fn centre(district: &'static District, rng: &mut Rng) -> Value {
    let mandal = rng.pick(district.mandals);
    let village = rng.pick(mandal.villages);
    let number = rng.between(1, 6);
    let (worker, worker_te) = person_who(rng, true);
    json!({
        "awc_code": format!("28{:09}", rng.below(1_000_000_000)),
        "awc": format!("AWC {}-{number}", village.name),
        "awc_te": format!("అంగన్‌వాడీ కేంద్రం {}-{number}", village.name_te),
        "worker": worker,
        "worker_te": worker_te,
        "worker_phone": format!("9{}", rng.between(100_000_000, 999_999_999)),
        "village": village.name,
        "village_te": village.name_te,
        "mandal": mandal.name,
        "district": district.name,
        "district_te": district.name_te,
        "project": format!("ICDS Project {}", mandal.name),
        "timings": "9:00 AM – 4:00 PM, Monday to Saturday",
        "timings_te": "ఉదయం 9 – సాయంత్రం 4, సోమవారం నుంచి శనివారం",
    })
}

fn anganwadi(key: &str, rng: &mut Rng) -> Option<Value> {
    let district = district_of_pincode(key, rng);
    let (cdpo, _) = person_who(rng, true);
    Some(join([centre(district, rng), json!({"pincode": key, "cdpo": format!("{cdpo}, CDPO")})]))
}

/// Growth as the Anganwadi worker last recorded it: id, en, te, hi.
const GROWTH: &[[&str; 4]] = &[
    ["normal", "Normal weight for age", "వయసుకు తగిన బరువు", "उम्र के अनुसार सामान्य वज़न"],
    [
        "mam",
        "Moderately underweight: extra nutrition given",
        "కొంత తక్కువ బరువు: అదనపు పోషకాహారం ఇస్తున్నారు",
        "कुछ कम वज़न: अतिरिक्त पोषण दिया जा रहा है",
    ],
    ["sam", "Severely underweight: referred to the NRC", "బాగా తక్కువ బరువు: ఎన్ఆర్సీకి పంపారు", "बहुत कम वज़न: एनआरसी भेजा गया"],
];

fn beneficiary(key: &str, rng: &mut Rng) -> Option<Value> {
    let (mother, mother_te) = person_who(rng, true);
    let (child, child_te) = seed::person(rng);
    let child_days = rng.between(20, 6 * 365) as i64;
    let growth = *rng.pick(&[GROWTH[0], GROWTH[0], GROWTH[0], GROWTH[1], GROWTH[2]]);
    let balamrutham = (210..=3 * 365).contains(&child_days);
    let given = rng.below(5) != 0;
    let day = civil_from_days(today()).2;
    let district = rng.pick(seed::DISTRICTS);
    Some(join([
        centre(district, rng),
        json!({
            "aadhaar_masked": format!("XXXX XXXX {}", &key[8..]),
            "mother": mother,
            "mother_te": mother_te,
            "child": child.split(' ').next().unwrap_or_default(),
            "child_te": child_te.split(' ').next().unwrap_or_default(),
            "child_dob": iso(today() - child_days),
            "growth": growth[0],
            "growth_text": said([growth[1], growth[2], growth[3]]),
            "weight_kg": format!("{:.1}", 3.0 + child_days as f64 / 365.0 * 2.2 - if growth[0] == "normal" { 0.0 } else { 1.1 }),
            "weighed_on": iso(today() - rng.between(2, 28) as i64),
            "month": month_names(today()).0,
            "ration_given": given,
            "ration_on": iso(today() - rng.below(u64::from(day)) as i64),
            "ration": "25 eggs, 5 litres milk, 1 kg ragi flour, 1 kg atukulu, 500 g dal, 500 ml oil",
            "ration_te": "25 గుడ్లు, 5 లీటర్ల పాలు, 1 కిలో రాగి పిండి, 1 కిలో అటుకులు, అర కిలో పప్పు, అర లీటరు నూనె",
            "balamrutham_eligible": balamrutham,
            "balamrutham_kg": if balamrutham { 2.5 } else { 0.0 },
        }),
    ]))
}

/// Whom the Anganwadi feeds, and what each gets a month: id, en, te, hi.
const ENTITLEMENTS: &[[&str; 4]] = &[
    [
        "pregnant",
        "A hot meal daily, 25 eggs and 5 litres of milk a month, and checkups with the ANM",
        "రోజూ వేడి భోజనం, నెలకు 25 గుడ్లు, 5 లీటర్ల పాలు, ఏఎన్ఎం పరీక్షలు",
        "रोज़ गरम भोजन, हर महीने 25 अंडे और 5 लीटर दूध, और एएनएम से जाँच",
    ],
    [
        "lactating",
        "A hot meal daily, 25 eggs and 5 litres of milk a month for six months after delivery",
        "ప్రసవం తర్వాత ఆరు నెలలు రోజూ వేడి భోజనం, నెలకు 25 గుడ్లు, 5 లీటర్ల పాలు",
        "प्रसव के बाद छह महीने रोज़ गरम भोजन, हर महीने 25 अंडे और 5 लीटर दूध",
    ],
    [
        "child",
        "Balamrutham, eggs and milk every month, and weighing at the centre",
        "ప్రతి నెలా బాలామృతం, గుడ్లు, పాలు, కేంద్రంలో బరువు చూడటం",
        "हर महीने बालामृतम, अंडे और दूध, और केंद्र पर वज़न",
    ],
];

/// Enrols a beneficiary: `aadhaar`, `category` (pregnant, lactating, child), `district`.
fn enrol(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let aadhaar = body["aadhaar"].as_str().and_then(|a| digits_key(a, 12)).ok_or("a 12-digit aadhaar is required")?;
    let category = body["category"].as_str().ok_or("category is required")?;
    let entitlement =
        ENTITLEMENTS.iter().find(|e| e[0] == category).ok_or_else(|| format!("no category {category:?}"))?;
    let district = body["district"].as_str().and_then(district_of).ok_or("a known district is required")?;
    Ok(join([
        centre(district, rng),
        json!({
            "enrolment_no": format!("SP{}{:08}", &iso(today())[..4], rng.below(100_000_000)),
            "aadhaar_masked": format!("XXXX XXXX {}", &aadhaar[8..]),
            "category": category,
            "entitlement": said([entitlement[1], entitlement[2], entitlement[3]]),
            "status": "enrolled",
        }),
    ]))
}

/// Stages of an adoption: id, en, te, hi.
const ADOPTION_STAGES: &[[&str; 4]] = &[
    [
        "home-study",
        "Home study report being prepared by the agency",
        "ఏజెన్సీ హోమ్ స్టడీ నివేదిక తయారు చేస్తోంది",
        "एजेंसी गृह अध्ययन रिपोर्ट बना रही है",
    ],
    [
        "waiting",
        "Home study done; waiting in the seniority list",
        "హోమ్ స్టడీ పూర్తి; సీనియారిటీ జాబితాలో వేచి ఉన్నారు",
        "गृह अध्ययन पूरा; वरिष्ठता सूची में प्रतीक्षा",
    ],
    [
        "referred",
        "A child's profile has been referred to you: reserve within 48 hours",
        "ఒక బిడ్డ వివరాలు మీకు పంపారు: 48 గంటల్లో రిజర్వ్ చేయండి",
        "एक बच्चे की प्रोफ़ाइल भेजी गई: 48 घंटे में आरक्षित करें",
    ],
    [
        "court",
        "Child placed in pre-adoption foster care; adoption order awaited from the District Magistrate",
        "బిడ్డను ముందస్తు సంరక్షణకు ఇచ్చారు; జిల్లా మేజిస్ట్రేట్ దత్తత ఉత్తర్వు కోసం",
        "बच्चा पूर्व-दत्तक देखभाल में; ज़िला मजिस्ट्रेट के आदेश की प्रतीक्षा",
    ],
];

fn adoption(key: &str, rng: &mut Rng) -> Option<Value> {
    let year: i64 = key.get(3..7)?.parse().ok()?;
    if !(2015..=civil_from_days(today()).0).contains(&year) {
        return None;
    }
    let (mother, mother_te) = person_who(rng, true);
    let (father, father_te) = person_who(rng, false);
    let stage = *rng.pick(ADOPTION_STAGES);
    let district = rng.pick(seed::DISTRICTS);
    Some(join([
        json!({
            "registration": key,
            "applicants": format!("{father} and {mother}"),
            "applicants_te": format!("{father_te}, {mother_te}"),
            "registered_on": iso((days_from_civil(year, 1, 1) + rng.below(365) as i64).min(today() - 30)),
            "preference": rng.pick(&["0–2 years, any gender", "0–4 years, girl", "2–4 years, any gender", "4–6 years, any gender"]),
            "seniority": rng.between(40, 2_400),
            "agency": format!("Sishu Gruha (SAA), {}", district.name),
            "dcpu": format!("District Child Protection Unit, {}", district.name),
        }),
        stage_fields(stage),
    ]))
}

fn one_stop_centre(key: &str, rng: &mut Rng) -> Option<Value> {
    let district = district_of(key)?;
    let mandal = district.mandals[0];
    Some(json!({
        "district": district.name,
        "district_te": district.name_te,
        "centre": format!("Sakhi One Stop Centre, Government General Hospital campus, {}", district.name),
        "centre_te": format!("సఖి వన్ స్టాప్ సెంటర్, ప్రభుత్వ సర్వజన ఆసుపత్రి ప్రాంగణం, {}", district.name_te),
        "centre_phone": format!("0{}", rng.between(8_000_000_000, 8_999_999_999)),
        "disha_station": format!("Disha Police Station, {}", district.name),
        "protection_officer": format!("Protection Officer (DV Act), {}", mandal.name),
        "open": "24 hours, all days",
        "open_te": "24 గంటలు, అన్ని రోజులు",
        "pincode": district.pincode,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found, posted, refused};

    #[test]
    fn the_examples_exist_with_every_field_and_walk_the_happy_paths() {
        examples_serve_the_definitions("women-child", REGISTERS, "12-AB");
        let family = found(REGISTERS, "beneficiaries", "4991 1866 5312");
        assert!(family["balamrutham_eligible"] == true && family["ration_given"] == true, "{family}");
        found(REGISTERS, "adoptions", "PAP-2024-001234");
    }

    #[test]
    fn malformed_keys_are_refused() {
        let bad = [
            ("anganwadi", "52000"),
            ("beneficiaries", "4991"),
            ("adoptions", "PAP24"),
            ("one-stop-centres", "hyderabad"),
        ];
        refused(REGISTERS, &bad);
    }

    #[test]
    fn an_enrolment_names_the_centre_and_the_entitlement() {
        let body = json!({"aadhaar": "499118665246", "category": "pregnant", "district": "guntur"});
        let record = posted("women-child", REGISTERS, "enrolments", body);
        assert_eq!((record["status"].as_str(), record["district"].as_str()), (Some("enrolled"), Some("Guntur")));
        let take = REGISTERS[2].submit.unwrap_or_else(|| panic!("enrolments take posts"));
        assert!(take(&json!({"aadhaar": "499118665246", "category": "old"}), &mut Rng::for_key("t")).is_err());
    }
}
