//! The simulated Skill Development & Employment systems: the employment
//! exchanges' live register, APSSDC training enrolments with their
//! assessment results and placements, and the job melas and training batches
//! that take registrations.
//!
//! Example keys (always registered):
//! - `exchange`: `VJA2021012345` (live: details and card), `GNT2022012436`
//!   (live, renewal due within 60 days: renewal), `KNL2021012373` (renewal
//!   overdue, in the 90 days' grace: renewal);
//! - `certificates`: `SDC25VSP01255` (passed and placed), `SDC25GNT01367`
//!   (passed, placement in progress).
//!
//! `POST /job-melas` takes `{aadhaar, qualification, district}` and gives an
//! entry pass for the district's next mela; `POST /trainees` takes
//! `{aadhaar, course, district}` and gives a batch.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{Words, coded_words, join};
use crate::registers::{self, Register, Rng, plain_key};
use crate::seed::calendar::{iso, today};
use crate::seed::{self, DISTRICTS, District};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "exchange",
        key: |t| coded(t, 3, 10),
        examples: &["VJA2021012345", "GNT2022012436", "KNL2021012373"],
        make: registrant,
        submit: None,
    },
    Register {
        name: "certificates",
        key: certificate_key,
        examples: &["SDC25VSP01255", "SDC25GNT01367"],
        make: trainee,
        submit: None,
    },
    Register { name: "job-melas", key: |_| None, examples: &[], make: |_, _| None, submit: Some(mela_pass) },
    Register { name: "trainees", key: |_| None, examples: &[], make: |_, _| None, submit: Some(enrol) },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// District codes of exchanges and training centres, with the exchange's town.
const CODES: &[(&str, &str, &str, &str)] = &[
    ("VJA", "NTR", "Vijayawada", "విజయవాడ"),
    ("GNT", "Guntur", "Guntur", "గుంటూరు"),
    ("TPT", "Tirupati", "Tirupati", "తిరుపతి"),
    ("VSP", "Visakhapatnam", "Visakhapatnam", "విశాఖపట్నం"),
    ("KNL", "Kurnool", "Kurnool", "కర్నూలు"),
    ("RJY", "East Godavari", "Rajamahendravaram", "రాజమహేంద్రవరం"),
];

fn district_of(code: &str) -> Option<(&'static District, &'static str, &'static str)> {
    let (_, district, town, town_te) = CODES.iter().find(|(c, ..)| *c == code)?;
    Some((seed::district(district)?, town, town_te))
}

/// `letters` capital letters then `digits` digits (spaces, dashes, slashes and case forgiven).
fn coded(typed: &str, letters: usize, digits: usize) -> Option<String> {
    let key = plain_key(typed, letters + digits, letters + digits + 4)?.replace(['-', '/'], "");
    let (head, tail) = key.split_at_checked(letters)?;
    let ok = tail.len() == digits
        && head.bytes().all(|b| b.is_ascii_uppercase())
        && tail.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(key)
}

/// `SDC24GNT01234`: SDC, the year, the district's code, five digits.
fn certificate_key(typed: &str) -> Option<String> {
    let key = plain_key(typed, 13, 16)?.replace(['-', '/'], "");
    let rest = key.strip_prefix("SDC")?;
    let ok = rest.len() == 10
        && rest[..2].bytes().all(|b| b.is_ascii_digit())
        && rest[2..5].bytes().all(|b| b.is_ascii_uppercase())
        && rest[5..].bytes().all(|b| b.is_ascii_digit());
    ok.then_some(key)
}

/// A young citizen: names, parent and date of birth.
fn youth(rng: &mut Rng, district: &District) -> Value {
    let (name, name_te) = seed::person(rng);
    let father =
        *rng.pick(&["Venkata Ramana", "Srinivasa Rao", "Suryanarayana", "Nagaraju", "Subba Rao", "Koteswara Rao"]);
    json!({
        "name": name, "name_te": name_te,
        "father": format!("{father} {}", name.rsplit(' ').next().unwrap_or_default()),
        "dob": iso(today() - 365 * rng.between(19, 38) as i64 - rng.between(0, 364) as i64),
        "district": district.name, "district_te": district.name_te,
    })
}

const QUALIFICATIONS: &[&str] = &[
    "SSC",
    "Intermediate (MPC)",
    "ITI (Electrician)",
    "Diploma (Mechanical)",
    "B.Com",
    "B.Sc (Computers)",
    "B.Tech (ECE)",
    "MBA",
];

const EXCHANGE_STATUS: &[Words] = &[
    ("live", "Live", "లైవ్ (చెల్లుబాటులో ఉంది)", "सक्रिय (लाइव)"),
    ("grace", "Renewal overdue – grace period", "పునరుద్ధరణ గడువు దాటింది – గ్రేస్ కాలం", "नवीनीकरण बाकी – छूट अवधि"),
    ("lapsed", "Lapsed", "రద్దయింది (ల్యాప్స్)", "व्यपगत (लैप्स)"),
];

fn registrant(key: &str, rng: &mut Rng) -> Option<Value> {
    let (district, town, town_te) = district_of(&key[..3])?;
    let renewal_due = today() + rng.between(0, 1_000) as i64 - 300;
    let at = match today() - renewal_due {
        ..=0 => 0,
        1..=90 => 1,
        _ => 2,
    };
    Some(join([
        youth(rng, district),
        coded_words("status", &EXCHANGE_STATUS[at]),
        json!({
            "reg_no": key,
            "qualification": rng.pick(QUALIFICATIONS),
            "exchange": format!("District Employment Exchange, {town}"),
            "exchange_te": format!("జిల్లా ఉపాధి కార్యాలయం, {town_te}"),
            "registered_on": iso(renewal_due - 1_095 * rng.between(1, 3) as i64),
            "renewal_due": iso(renewal_due),
            "seniority": rng.between(120, 48_000),
        }),
    ]))
}

/// (Course, in Telugu, hours, an employer that recruits from it).
const COURSES: &[(&str, &str, u64, &str)] = &[
    ("Domestic electrician", "గృహ ఎలక్ట్రీషియన్", 390, "Amara Raja Batteries, Tirupati"),
    ("Tally with GST", "టాలీ విత్ జీఎస్టీ", 300, "Karvy Data Management, Vijayawada"),
    ("Sewing machine operator", "కుట్టు మెషిన్ ఆపరేటర్", 330, "Shahi Exports, Anantapur"),
    ("General duty assistant", "జనరల్ డ్యూటీ అసిస్టెంట్", 420, "Apollo Hospitals, Visakhapatnam"),
    ("Solar PV installer", "సోలార్ పీవీ ఇన్‌స్టాలర్", 300, "Tata Power Solar"),
    ("Retail sales associate", "రిటైల్ సేల్స్ అసోసియేట్", 280, "Reliance Retail"),
    ("Welding technician", "వెల్డింగ్ టెక్నీషియన్", 400, "Kia India, Penukonda"),
    ("Two-wheeler service technician", "ద్విచక్ర వాహన సర్వీస్ టెక్నీషియన్", 360, "Hero MotoCorp, Sri City"),
];
const RESULTS: &[Words] = &[
    ("pass", "Passed", "ఉత్తీర్ణులయ్యారు", "उत्तीर्ण"),
    ("pass", "Passed", "ఉత్తీర్ణులయ్యారు", "उत्तीर्ण"),
    ("pass", "Passed", "ఉత్తీర్ణులయ్యారు", "उत्तीर्ण"),
    ("pending", "Assessment pending", "పరీక్ష జరగాలి", "मूल्यांकन बाकी"),
    ("fail", "Not yet competent – reassessment", "మళ్లీ పరీక్ష రాయాలి", "पुनर्मूल्यांकन आवश्यक"),
];
const PLACEMENTS: &[Words] = &[
    ("placed", "Placed", "ఉద్యోగం వచ్చింది", "नौकरी मिली"),
    ("interviews", "Interviews being arranged", "ఇంటర్వ్యూలు ఏర్పాటు చేస్తున్నారు", "साक्षात्कार करवाए जा रहे हैं"),
];

fn trainee(key: &str, rng: &mut Rng) -> Option<Value> {
    let (district, town, _) = district_of(key.get(5..8)?)?;
    let (course, course_te, hours, employer) = *rng.pick(COURSES);
    let result = &RESULTS[rng.below(RESULTS.len() as u64) as usize];
    let passed = result.0 == "pass";
    let placement = &PLACEMENTS[usize::from(!passed || rng.below(3) == 0)];
    let placed = passed && placement.0 == "placed";
    let ended = today() - rng.between(20, 300) as i64;
    Some(join([
        youth(rng, district),
        coded_words("result", result),
        coded_words("placement", placement),
        json!({
            "enrolment": key, "course": course, "course_te": course_te, "hours": hours,
            "centre": format!("APSSDC Skill Hub, Government ITI, {town}"),
            "batch_from": iso(ended - (hours as i64) / 5 - 14), "batch_to": iso(ended),
            "assessed_on": if result.0 == "pending" { String::new() } else { iso(ended + 7) },
            "grade": if passed { *rng.pick(&["A", "A", "B", "C"]) } else { "" },
            "certificate_no": if passed { format!("APSSDC/{}/{}", &key[3..5], rng.between(100_000, 999_999)) } else { String::new() },
            "employer": if placed { employer } else { "" },
            "salary": if placed { rng.between(11, 24) * 1_000 } else { 0 },
        }),
    ]))
}

/// The district a posted form names (a choice id like `east-godavari`).
fn posted_district(body: &Value) -> &'static District {
    let id = body["district"].as_str().unwrap_or_default().replace('-', " ");
    seed::district(&id).unwrap_or(&DISTRICTS[0])
}

fn mela_pass(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    body["aadhaar"].as_str().filter(|a| a.len() == 12).ok_or("aadhaar (12 digits) is required")?;
    let district = posted_district(body);
    let (_, _, town, town_te) = CODES.iter().find(|c| c.1 == district.name).copied().unwrap_or(CODES[0]);
    // Melas are held on Saturdays: the first one at least three days away.
    let mut day = today() + 3;
    while (day + 4).rem_euclid(7) != 6 {
        day += 1;
    }
    Ok(json!({
        "pass_no": format!("JM{}{:06}", &district.name[..2].to_ascii_uppercase(), rng.below(1_000_000)),
        "mela": format!("APSSDC Mega Job Mela, {town}"),
        "venue": format!("Government Degree College, {town}"), "venue_te": format!("ప్రభుత్వ డిగ్రీ కళాశాల, {town_te}"),
        "date": iso(day), "reporting": "9:00 AM",
        "companies": rng.between(18, 45), "vacancies": rng.between(600, 2_500),
    }))
}

fn enrol(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    body["aadhaar"].as_str().filter(|a| a.len() == 12).ok_or("aadhaar (12 digits) is required")?;
    body["course"].as_str().ok_or("course is required")?;
    let district = posted_district(body);
    let (code, _, town, _) = CODES.iter().find(|c| c.1 == district.name).copied().unwrap_or(CODES[0]);
    Ok(json!({
        "enrolment": format!("SDC{}{code}{:05}", &iso(today())[2..4], rng.below(100_000)),
        "centre": format!("APSSDC Skill Hub, Government ITI, {town}"),
        "batch_start": iso(today() + rng.between(7, 30) as i64),
    }))
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;
    use crate::registers::testing::{days_until, examples_serve_the_definitions, found, get, post, posted};

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        examples_serve_the_definitions("skills", REGISTERS, "12-AB");
        let body = json!({"aadhaar": "234123412346", "qualification": "ssc", "district": "guntur"});
        posted("skills", REGISTERS, "job-melas", body);
        let body = json!({"aadhaar": "234123412346", "course": "tally", "district": "east-godavari"});
        posted("skills", REGISTERS, "trainees", body);
    }

    #[test]
    fn the_examples_take_the_happy_path() {
        let record = |register: &str, key: &str| found(REGISTERS, register, key);
        assert_eq!(record("exchange", "VJA2021012345")["status_code"], "live");
        for key in ["gnt-2022-012436", "KNL2021012373"] {
            let due = record("exchange", key);
            assert!((-90..=60).contains(&days_until(&due, "renewal_due")), "{due}");
        }
        for key in ["SDC25VSP01255", "SDC25GNT01367"] {
            assert_eq!(record("certificates", key)["result_code"], "pass", "{key}");
        }
        assert_eq!(record("certificates", "SDC25VSP01255")["placement_code"], "placed");
    }

    #[tokio::test]
    async fn malformed_keys_are_refused_and_registrations_taken() {
        for path in ["/exchange/VJ2023012345", "/exchange/XYZ2023012345", "/certificates/SDC24GN01234"] {
            let status = get(router(), path).await.0;
            assert!(status == StatusCode::BAD_REQUEST || status == StatusCode::NOT_FOUND, "{path}");
        }
        assert_eq!(get(router(), "/exchange/12").await.0, StatusCode::BAD_REQUEST);
        let (status, pass) = post(router(), "/job-melas", r#"{"aadhaar": "234123412346", "district": "guntur"}"#).await;
        assert_eq!(status, StatusCode::CREATED);
        assert!(pass["venue"].as_str().unwrap().ends_with("Guntur"), "{pass}");
        let body = r#"{"aadhaar": "234123412346", "course": "tally", "district": "east-godavari"}"#;
        let (status, batch) = post(router(), "/trainees", body).await;
        assert_eq!(status, StatusCode::CREATED);
        assert!(batch["enrolment"].as_str().unwrap().contains("RJY"), "{batch}");
        assert_eq!(post(router(), "/trainees", r#"{"course": "tally"}"#).await.0, StatusCode::BAD_REQUEST);
    }
}
