//! The School Education department's systems: SSC results of the Directorate
//! of Government Examinations, the student register (UDISE+ PEN, with the
//! Sarvepalli Radhakrishnan Vidyarthi Mitra kits), the school register
//! (UDISE codes, with PM POSHAN / mid-day meals), Talliki Vandanam payments
//! by the mother's Aadhaar, and admissions to government schools.
//!
//! Registers and their examples (kept by the tests below):
//! - `ssc/{hall ticket}` (10 digits, the first two the exam year):
//!   `2512345682` passed in March 2025 (result, memo, duplicate).
//! - `students/{PEN}` (11 digits): `20112345677` is studying in a
//!   government school, kit delivered (study certificate, TC, kit).
//! - `talliki-vandanam/{mother's Aadhaar}`: `499118665246`, credited.
//! - `schools/{UDISE code}` (11 digits, `28…` for Andhra Pradesh):
//!   `28160190127` serves mid-day meals (meal complaint).
//! - `nearby/{PIN code}`: `520001`, the schools near a PIN code.
//! - `POST /admissions` takes an admission application.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{district_of_pincode, person_who, said, somewhere};
use crate::registers::{self, Register, Rng, digits_key, district_of};
use crate::seed::calendar::{civil_from_days, days_from_civil, iso, today};
use crate::seed::{self, District, Mandal, Village};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register { name: "ssc", key: |t| digits_key(t, 10), examples: &["2512345682"], make: ssc, submit: None },
    Register { name: "students", key: |t| digits_key(t, 11), examples: &["20112345677"], make: student, submit: None },
    Register {
        name: "talliki-vandanam",
        key: |t| digits_key(t, 12),
        examples: &["499118665246"],
        make: talliki_vandanam,
        submit: None,
    },
    Register { name: "schools", key: |t| digits_key(t, 11), examples: &["28160190127"], make: school, submit: None },
    Register { name: "nearby", key: |t| digits_key(t, 6), examples: &["520001"], make: nearby, submit: None },
    Register { name: "admissions", key: |_| None, examples: &[], make: |_, _| None, submit: Some(admit) },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// A kind of school: short name, name (en, te), classes, mid-day meals.
type Kind = (&'static str, &'static str, &'static str, &'static str, bool);

const SCHOOL_KINDS: &[Kind] = &[
    ("ZPHS", "Zilla Parishad High School", "జిల్లా పరిషత్ ఉన్నత పాఠశాల", "6-10", true),
    ("MPPS", "Mandal Parishad Primary School", "మండల పరిషత్ ప్రాథమిక పాఠశాల", "1-5", true),
    ("MPUPS", "Mandal Parishad Upper Primary School", "మండల పరిషత్ ప్రాథమికోన్నత పాఠశాల", "1-8", true),
    ("APMS", "AP Model School", "ఏపీ మోడల్ స్కూల్", "6-12", true),
    ("KGBV", "Kasturba Gandhi Balika Vidyalaya", "కస్తూర్బా గాంధీ బాలికా విద్యాలయం", "6-12", true),
    ("Pvt", "Sri Chaitanya Techno School", "శ్రీ చైతన్య టెక్నో స్కూల్", "1-10", false),
];

/// A school somewhere in the seeded districts.
struct School {
    name: String,
    name_te: String,
    kind: &'static Kind,
    district: &'static District,
    mandal: &'static Mandal,
    village: &'static Village,
}

fn school_of(rng: &mut Rng) -> School {
    let kind = rng.pick(SCHOOL_KINDS);
    let (district, mandal, village) = somewhere(rng);
    let (name, name_te) = if kind.0 == "Pvt" {
        (format!("{}, {}", kind.1, mandal.name), format!("{}, {}", kind.2, mandal.name_te))
    } else {
        (format!("{} {}", kind.0, village.name), format!("{}, {}", kind.2, village.name_te))
    };
    School { name, name_te, kind, district, mandal, village }
}

/// SSC subjects: name (en, te), maximum.
const SUBJECTS: &[(&str, &str)] = &[
    ("First language (Telugu)", "ప్రథమ భాష (తెలుగు)"),
    ("Second language (Hindi)", "ద్వితీయ భాష (హిందీ)"),
    ("English", "ఇంగ్లీష్"),
    ("Mathematics", "గణితం"),
    ("Science", "సైన్స్"),
    ("Social studies", "సాంఘిక శాస్త్రం"),
];

fn ssc(key: &str, rng: &mut Rng) -> Option<Value> {
    let year = 2000 + key[..2].parse::<i64>().ok()?;
    // Results come out in the last week of April.
    let result_on = days_from_civil(year, 4, 23);
    if year < 2015 || result_on > today() {
        return None;
    }
    let (name, name_te) = seed::person(rng);
    let (father, _) = person_who(rng, false);
    let School { name: school, name_te: school_te, district, .. } = school_of(rng);
    let ability = rng.between(30, 97);
    let marks: Vec<u64> = SUBJECTS.iter().map(|_| (ability + rng.below(20)).saturating_sub(8).clamp(12, 100)).collect();
    // 35 to pass each subject; 20 in the second language.
    let passed = marks.iter().enumerate().all(|(i, m)| *m >= if i == 1 { 20 } else { 35 });
    let total: u64 = marks.iter().sum();
    let born = days_from_civil(year - 16, 1, 1) + rng.below(365) as i64;
    let subjects: Vec<Value> =
        SUBJECTS.iter().zip(&marks).map(|((en, te), m)| json!({"en": en, "te": te, "marks": m})).collect();
    Some(json!({
        "hall_ticket": key,
        "name": name,
        "name_te": name_te,
        "father": father,
        "dob": iso(born),
        "school": school,
        "school_te": school_te,
        "district": district.name,
        "exam": format!("SSC Public Examinations, March {year}"),
        "exam_te": format!("ఎస్ఎస్సీ పబ్లిక్ పరీక్షలు, మార్చి {year}"),
        "medium": rng.pick(&["English", "English", "Telugu"]),
        "subjects": subjects,
        "marks_text": SUBJECTS.iter().zip(&marks).map(|((en, _), m)| format!("{en} {m}")).collect::<Vec<_>>().join("; "),
        "total": total,
        "percentage": total * 100 / 600,
        "result": if passed { "PASS" } else { "FAIL" },
        "withheld": rng.below(60) == 0,
        "result_on": iso(result_on),
        "memo_serial": format!("SSC{year}{:07}", rng.below(10_000_000)),
    }))
}

/// The academic year (June to April) of today, e.g. `2026-27`.
fn academic_year() -> (i64, String) {
    let (y, m, _) = civil_from_days(today());
    let start = if m >= 6 { y } else { y - 1 };
    (start, format!("{start}-{:02}", (start + 1) % 100))
}

fn student(key: &str, rng: &mut Rng) -> Option<Value> {
    let School { name: school, name_te: school_te, kind, district, mandal, village } = school_of(rng);
    // Kasturba Gandhi Balika Vidyalayas are girls' schools.
    let girl = kind.0 == "KGBV" || rng.below(2) == 0;
    let (name, name_te) = person_who(rng, girl);
    let (father, father_te) = person_who(rng, false);
    let (mother, _) = person_who(rng, true);
    let class = match kind.3 {
        "1-5" => rng.between(1, 5),
        "1-8" => rng.between(1, 8),
        "6-10" => rng.between(6, 10),
        _ => rng.between(6, 10),
    };
    let (start, year) = academic_year();
    let born = days_from_civil(start - 5 - class as i64, 6, 1) - rng.below(365) as i64;
    let admitted_class = if class > 5 { 6.max(class.saturating_sub(rng.below(3))) } else { 1 };
    let admitted = days_from_civil(start - (class - admitted_class) as i64, 6, 12);
    let government = kind.0 != "Pvt";
    Some(json!({
        "pen": key,
        "name": name,
        "name_te": name_te,
        "father": father,
        "father_te": father_te,
        "mother": mother,
        "gender": if girl { "Girl" } else { "Boy" },
        "dob": iso(born),
        "class": class,
        "section": rng.pick(&["A", "B"]),
        "academic_year": year,
        "school": school,
        "school_te": school_te,
        "udise": format!("28{:09}", rng.below(1_000_000_000)),
        "government": government,
        "district": district.name,
        "mandal": mandal.name,
        "village": village.name,
        "admission_no": format!("{}", rng.between(1_000, 9_999)),
        "admitted_on": iso(admitted),
        "status": if rng.below(15) == 0 { "left" } else { "studying" },
        "attendance": rng.between(68, 98),
        "kit_delivered": government && rng.below(5) != 0,
        "kit_items": "3 pairs of uniform cloth, shoes and socks, belt, school bag, textbooks, notebooks, workbooks, English–Telugu dictionary",
        "kit_items_te": "3 జతల యూనిఫాం వస్త్రం, బూట్లు, సాక్సులు, బెల్టు, స్కూల్ బ్యాగ్, పాఠ్యపుస్తకాలు, నోటు పుస్తకాలు, వర్క్‌బుక్స్, ఇంగ్లీష్–తెలుగు నిఘంటువు",
        "kit_on": iso((days_from_civil(start, 6, 12) + rng.below(20) as i64).min(today())),
    }))
}

fn talliki_vandanam(key: &str, rng: &mut Rng) -> Option<Value> {
    let (mother, mother_te) = person_who(rng, true);
    let children = *rng.pick(&[1, 2, 2, 3]);
    let (start, year) = academic_year();
    let (status, reason) = match rng.below(8) {
        0 => ("pending", said(["eKYC of the mother is pending", "తల్లి ఈకేవైసీ పెండింగ్‌లో ఉంది", "माँ का ईकेवाईसी बाकी है"])),
        1 => ("ineligible", said(["Family owns a four-wheeler", "కుటుంబానికి కారు ఉంది", "परिवार के पास चार पहिया वाहन है"])),
        _ => ("credited", said(["", "", ""])),
    };
    let credited = if status == "credited" { children * 13_000 } else { 0 };
    Some(json!({
        "aadhaar_masked": format!("XXXX XXXX {}", &key[8..]),
        "mother": mother,
        "mother_te": mother_te,
        "children": children,
        "per_child": 15_000,
        "credited": credited,
        "school_fund": children * 2_000,
        "status": status,
        "reason": reason,
        "year": year,
        "credited_on": iso(days_from_civil(start, 6, 12) + rng.below(30) as i64),
        "bank": format!("{} XXXXXX{:04}", rng.pick(&["SBI", "Union Bank", "APGVB", "Canara Bank"]), rng.below(10_000)),
        "secretariat": format!("{} village secretariat", somewhere(rng).2.name),
    }))
}

fn school(key: &str, rng: &mut Rng) -> Option<Value> {
    if !key.starts_with("28") {
        return None;
    }
    let School { name, name_te, kind, district, mandal, village } = school_of(rng);
    let (head, head_te) = seed::person(rng);
    Some(json!({
        "udise": key,
        "name": name,
        "name_te": name_te,
        "management": if kind.0 == "Pvt" { "Private unaided" } else if kind.0 == "APMS" || kind.0 == "KGBV" { "State government" } else { "Local body (Zilla / Mandal Parishad)" },
        "classes": kind.3,
        "medium": rng.pick(&["English and Telugu", "English"]),
        "headmaster": head,
        "headmaster_te": head_te,
        "phone": format!("9{}", rng.between(100_000_000, 999_999_999)),
        "students": rng.between(60, 900),
        "mdm": kind.4,
        "district": district.name,
        "mandal": mandal.name,
        "village": village.name,
        "village_te": village.name_te,
    }))
}

fn nearby(key: &str, rng: &mut Rng) -> Option<Value> {
    // The district whose PIN code is nearest (by its first three digits).
    let district = district_of_pincode(key, rng);
    let mandal = rng.pick(district.mandals);
    let mut lines = Vec::new();
    let mut lines_te = Vec::new();
    for (i, village) in mandal.villages.iter().enumerate() {
        let kind = &SCHOOL_KINDS[(i + rng.below(3) as usize) % 5];
        let km = rng.between(3, 40) as f64 / 10.0;
        lines.push(format!("{} {} (classes {}) – {km} km", kind.0, village.name, kind.3));
        lines_te.push(format!("{}, {} (తరగతులు {}) – {km} కి.మీ", kind.2, village.name_te, kind.3));
    }
    Some(json!({
        "pincode": key,
        "district": district.name,
        "district_te": district.name_te,
        "mandal": mandal.name,
        "count": lines.len(),
        "schools": lines.join("; "),
        "schools_te": lines_te.join("; "),
        "meo": format!("Mandal Educational Officer, {}", mandal.name),
    }))
}

/// An admission application: `child`, `class`, `district`, `dob`.
fn admit(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let child = body["child"].as_str().map(str::trim).filter(|c| c.len() >= 2).ok_or("the child's name is required")?;
    let class = body["class"].as_str().ok_or("class is required")?;
    let district = body["district"].as_str().and_then(district_of).ok_or("a known district is required")?;
    let mandal = rng.pick(district.mandals);
    let (_, year) = academic_year();
    Ok(json!({
        "application_no": format!("ADM{}{:06}", &year[..4], rng.below(1_000_000)),
        "child": child,
        "class": class,
        "district": district.name,
        "meo": format!("Mandal Educational Officer, {}", mandal.name),
        "status": "received",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found, posted, refused};

    #[test]
    fn the_examples_exist_with_every_field_and_walk_the_happy_paths() {
        examples_serve_the_definitions("school-education", REGISTERS, "12-AB");
        let pass = found(REGISTERS, "ssc", "25 1234 5682");
        assert!(pass["result"] == "PASS" && pass["withheld"] == false, "{pass}");
        let pupil = found(REGISTERS, "students", "20112345677");
        assert!(pupil["status"] == "studying" && pupil["kit_delivered"] == true, "{pupil}");
        assert_eq!(found(REGISTERS, "talliki-vandanam", "4991 1866 5246")["status"], "credited");
        assert_eq!(found(REGISTERS, "schools", "28160190127")["mdm"], true);
    }

    #[test]
    fn malformed_keys_are_refused() {
        let bad = [
            ("ssc", "25123"),
            ("students", "PEN123"),
            ("talliki-vandanam", "4991-1866"),
            ("schools", "2816019012"),
            ("nearby", "5200"),
        ];
        refused(REGISTERS, &bad);
        assert_eq!(REGISTERS[3].lookup("29160190123"), Ok(None));
    }

    #[test]
    fn an_admission_is_received() {
        let body = json!({"child": "Anjali", "class": "class-1", "district": "tirupati", "dob": "2020-03-01"});
        assert_eq!(posted("school-education", REGISTERS, "admissions", body)["status"], "received");
        let take = REGISTERS[5].submit.unwrap_or_else(|| panic!("admissions take posts"));
        assert!(take(&json!({"class": "class-1"}), &mut Rng::for_key("t")).is_err());
    }
}
