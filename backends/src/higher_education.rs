//! The Higher Education systems: APSCHE's common entrance tests (AP EAPCET
//! with its counselling, AP ICET), the universities' degree register, the
//! Board of Intermediate Education (BIEAP) results, and the fee structure of
//! colleges fixed by the Higher Education Regulatory and Monitoring Commission.
//!
//! Registers and their examples (kept by the tests below):
//! - `eapcet/{hall ticket}` (10 digits, the first two the year):
//!   `2510123455`, qualified and allotted a seat (rank, allotment).
//! - `icet/{hall ticket}`: `2520456789`, qualified.
//! - `degrees/{university registration number}` like `Y21CO10237`
//!   (admission year after the Y): passed, ODC not yet issued (verification,
//!   migration, ODC, transcripts).
//! - `inter/{hall ticket}` (10 digits): `2530123456`, passed, not withheld
//!   (memo, recounting).
//! - `colleges/{EAPCET college code}`: `AUCE`, `RVRJ`.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{join, person_who, said};
use crate::registers::{self, Register, Rng, digits_key, plain_key};
use crate::seed;
use crate::seed::calendar::{days_from_civil, iso, today};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register { name: "eapcet", key: |t| digits_key(t, 10), examples: &["2510123455"], make: eapcet, submit: None },
    Register { name: "icet", key: |t| digits_key(t, 10), examples: &["2520456789"], make: icet, submit: None },
    Register { name: "degrees", key: degree_key, examples: &["Y21CO10237"], make: degree, submit: None },
    Register { name: "inter", key: |t| digits_key(t, 10), examples: &["2530123456"], make: inter, submit: None },
    Register { name: "colleges", key: college_key, examples: &["AUCE", "RVRJ"], make: college, submit: None },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// Colleges by EAPCET code: name, place, type, affiliating university,
/// annual tuition fee (₹), NAAC grade.
const COLLEGES: &[(&str, &str, &str, &str, &str, u64, &str)] = &[
    (
        "AUCE",
        "Andhra University College of Engineering",
        "Visakhapatnam",
        "University",
        "Andhra University",
        35_000,
        "A++",
    ),
    (
        "SVUC",
        "S.V. University College of Engineering",
        "Tirupati",
        "University",
        "Sri Venkateswara University",
        30_000,
        "A+",
    ),
    ("JNTK", "JNTUK University College of Engineering", "Kakinada", "University", "JNTU Kakinada", 35_000, "A+"),
    (
        "ANUC",
        "ANU College of Engineering and Technology",
        "Guntur",
        "University",
        "Acharya Nagarjuna University",
        30_000,
        "A+",
    ),
    (
        "RVRJ",
        "R.V.R. and J.C. College of Engineering",
        "Guntur",
        "Private aided",
        "Acharya Nagarjuna University",
        70_000,
        "A+",
    ),
    (
        "GVPE",
        "Gayatri Vidya Parishad College of Engineering",
        "Visakhapatnam",
        "Private",
        "JNTU Gurajada Vizianagaram",
        95_000,
        "A",
    ),
    ("KSRM", "K.S.R.M. College of Engineering", "Kadapa", "Private", "JNTU Anantapur", 68_000, "A"),
    ("GPRE", "G. Pulla Reddy Engineering College", "Kurnool", "Private autonomous", "JNTU Anantapur", 82_000, "A"),
];

const BRANCHES: &[&str] = &["CSE", "CSE (AI & ML)", "ECE", "EEE", "Mechanical", "Civil", "Information Technology"];
const CATEGORIES: &[&str] = &["OC", "BC-A", "BC-B", "BC-D", "BC-E", "SC", "ST", "EWS"];

/// The exam year of a hall ticket (its first two digits), when its results are out.
fn results_year(key: &str, month: u32, day: u32) -> Option<i64> {
    let year = 2000 + key.get(..2)?.parse::<i64>().ok()?;
    (year >= 2018 && days_from_civil(year, month, day) <= today()).then_some(year)
}

fn candidate(rng: &mut Rng) -> Value {
    let (name, name_te) = seed::person(rng);
    let (father, _) = person_who(rng, false);
    let district = rng.pick(seed::DISTRICTS);
    json!({"name": name, "name_te": name_te, "father": father, "district": district.name, "category": rng.pick(CATEGORIES)})
}

/// The first college (of [`COLLEGES`], best first) a rank can get into.
fn tier(rank: u64) -> usize {
    match rank {
        0..=20_000 => 0,
        20_001..=70_000 => 4,
        _ => 6,
    }
}

fn eapcet(key: &str, rng: &mut Rng) -> Option<Value> {
    let year = results_year(key, 6, 8)?;
    let marks = rng.between(28, 148);
    // 25% (40 of 160) qualifies; SC and ST candidates qualify on appearing.
    let person = candidate(rng);
    let reserved = matches!(person["category"].as_str(), Some("SC" | "ST"));
    let qualified = marks >= 40 || reserved;
    let rank = if qualified { ((160 - marks) * (160 - marks) * 14 + rng.below(900)).max(1) } else { 0 };
    let (status, college) = match (qualified, rng.below(6)) {
        (false, _) => ("not-qualified", None),
        (true, 0) => ("not-allotted", None),
        (true, 1) => ("not-participated", None),
        // University colleges fill first, with the best ranks.
        (true, _) => ("allotted", Some(*rng.pick(&COLLEGES[tier(rank)..]))),
    };
    let college = college.map_or(json!(null), |c| json!(format!("{} ({}), {}", c.1, c.0, c.2)));
    Some(join([
        person,
        json!({
            "hall_ticket": key,
            "exam": format!("AP EAPCET {year} (Engineering)"),
            "marks": marks,
            "qualified": qualified,
            "rank": rank,
            "status": status,
            "allotment": match status {
                "allotted" => said(["Seat allotted", "సీటు కేటాయించారు", "सीट आवंटित"]),
                "not-allotted" => said(["No seat in the options given", "ఇచ్చిన ఆప్షన్లలో సీటు రాలేదు", "दिए गए विकल्पों में सीट नहीं"]),
                "not-participated" => said(["Did not exercise web options", "వెబ్ ఆప్షన్లు ఇవ్వలేదు", "वेब विकल्प नहीं भरे"]),
                _ => said(["Not qualified", "అర్హత సాధించలేదు", "योग्य नहीं"]),
            },
            "college": college,
            "branch": if status == "allotted" { json!(rng.pick(BRANCHES)) } else { json!(null) },
            "phase": if status == "allotted" { rng.pick(&["Phase 1", "Phase 2", "Final phase"]) } else { "" },
            "report_by": iso(days_from_civil(year, 8, 10) + rng.below(20) as i64),
            "result_on": iso(days_from_civil(year, 6, 8)),
        }),
    ]))
}

fn icet(key: &str, rng: &mut Rng) -> Option<Value> {
    let year = results_year(key, 6, 20)?;
    let marks = rng.between(30, 170);
    let person = candidate(rng);
    let qualified = marks >= 50 || matches!(person["category"].as_str(), Some("SC" | "ST"));
    Some(join([
        person,
        json!({
            "hall_ticket": key,
            "exam": format!("AP ICET {year}"),
            "marks": marks,
            "qualified": qualified,
            "rank": if qualified { ((200 - marks) * 300 + rng.below(300)).max(1) } else { 0 },
            "analytical": marks * 3 / 8,
            "communication": marks / 4,
            "mathematical": marks - marks * 3 / 8 - marks / 4,
            "result_on": iso(days_from_civil(year, 6, 20)),
        }),
    ]))
}

/// A university registration number: letters and digits, starting with a letter.
fn degree_key(typed: &str) -> Option<String> {
    let key = plain_key(typed, 8, 12)?;
    let shaped = key.starts_with(|c: char| c.is_ascii_uppercase())
        && key.bytes().all(|b| b.is_ascii_alphanumeric())
        && key.bytes().any(|b| b.is_ascii_digit());
    shaped.then_some(key)
}

/// Degrees: name (en), years, university-college kinds.
const COURSES: &[(&str, i64)] = &[
    ("B.Com (Computers)", 3),
    ("B.Sc (MPCs)", 3),
    ("B.A. (HEP)", 3),
    ("BBA", 3),
    ("B.Tech (CSE)", 4),
    ("B.Tech (ECE)", 4),
];

const UNIVERSITIES: &[(&str, &str)] = &[
    ("Andhra University", "ఆంధ్ర విశ్వవిద్యాలయం"),
    ("Acharya Nagarjuna University", "ఆచార్య నాగార్జున విశ్వవిద్యాలయం"),
    ("Sri Venkateswara University", "శ్రీ వేంకటేశ్వర విశ్వవిద్యాలయం"),
    ("Krishna University", "కృష్ణా విశ్వవిద్యాలయం"),
    ("Adikavi Nannaya University", "ఆదికవి నన్నయ విశ్వవిద్యాలయం"),
    ("Rayalaseema University", "రాయలసీమ విశ్వవిద్యాలయం"),
];

fn degree(key: &str, rng: &mut Rng) -> Option<Value> {
    // `Y21…`: admitted in 2021; other numbers, some year from 2012.
    let admitted = match key.get(1..3).and_then(|y| y.parse::<i64>().ok()) {
        Some(y) if key.starts_with('Y') => 2000 + y,
        _ => rng.between(2012, 2021) as i64,
    };
    let (course, years) = *rng.pick(COURSES);
    let passed_in = admitted + years;
    if days_from_civil(passed_in, 6, 30) > today() || admitted < 2005 {
        return None;
    }
    let (university, university_te) = *rng.pick(UNIVERSITIES);
    let (name, name_te) = seed::person(rng);
    let (father, _) = person_who(rng, false);
    let cgpa = rng.between(52, 94);
    let passed = rng.below(12) != 0;
    Some(json!({
        "reg_no": key,
        "name": name,
        "name_te": name_te,
        "father": father,
        "university": university,
        "university_te": university_te,
        "college": format!("{} College, {}", rng.pick(&["Government Degree", "SRR and CVR Government", "Sri Venkateswara", "Maris Stella"]), rng.pick(seed::DISTRICTS).name),
        "course": course,
        "admitted": admitted,
        "passed_in": format!("April {passed_in}"),
        "result": if passed { "PASS" } else { "NOT PASSED" },
        "cgpa": format!("{}.{}", cgpa / 10, cgpa % 10),
        "division": if cgpa >= 75 { "First Class with Distinction" } else if cgpa >= 60 { "First Class" } else { "Second Class" },
        "pc_no": format!("PC{passed_in}{:06}", rng.below(1_000_000)),
        "odc_issued": rng.below(3) == 0,
        "migration_issued": rng.below(4) == 0,
    }))
}

/// Intermediate groups: id, name.
const GROUPS: &[(&str, &str, [&str; 3])] = &[
    ("MPC", "Maths, Physics, Chemistry", ["Mathematics IIA", "Mathematics IIB", "Physics"]),
    ("BiPC", "Biology, Physics, Chemistry", ["Botany", "Zoology", "Physics"]),
    ("CEC", "Civics, Economics, Commerce", ["Civics", "Economics", "Commerce"]),
    ("MEC", "Maths, Economics, Commerce", ["Mathematics IIA", "Economics", "Commerce"]),
];

fn inter(key: &str, rng: &mut Rng) -> Option<Value> {
    let year = results_year(key, 4, 12)?;
    let (group, group_name, papers) = *rng.pick(GROUPS);
    let (name, name_te) = seed::person(rng);
    let (father, _) = person_who(rng, false);
    let ability = rng.between(45, 96);
    let first_year = (ability * 470 / 100 + rng.below(25)).min(470);
    let second_year = (ability * 530 / 100 + rng.below(25)).min(530);
    let total = first_year + second_year;
    let passed = ability >= 48 || rng.below(2) == 0;
    Some(json!({
        "hall_ticket": key,
        "name": name,
        "name_te": name_te,
        "father": father,
        "group": group,
        "group_name": group_name,
        "papers": papers.join(", "),
        "college": format!("{} Junior College, {}", rng.pick(&["Government", "Sri Chaitanya", "Narayana", "SKR Government"]), rng.pick(seed::DISTRICTS).name),
        "exam": format!("Intermediate Public Examinations, March {year}"),
        "first_year": first_year,
        "second_year": second_year,
        "total": total,
        "result": if passed { "PASS" } else { "FAIL" },
        "division": if total >= 750 { "First Division (A grade)" } else if total >= 600 { "First Division" } else { "Second Division" },
        "withheld": rng.below(50) == 0,
        "result_on": iso(days_from_civil(year, 4, 12)),
    }))
}

fn college_key(typed: &str) -> Option<String> {
    let key = plain_key(typed, 4, 4)?;
    key.bytes().all(|b| b.is_ascii_uppercase()).then_some(key)
}

fn college(key: &str, rng: &mut Rng) -> Option<Value> {
    let (code, name, place, kind, university, fee, naac) = *COLLEGES.iter().find(|c| c.0 == key)?;
    let intake = rng.between(4, 12) * 60;
    Some(json!({
        "code": code,
        "name": name,
        "place": place,
        "kind": kind,
        "university": university,
        "tuition": fee,
        "special_fee": 5_500,
        "hostel": rng.between(45, 75) * 1_000,
        "naac": naac,
        "intake": intake,
        "branches": BRANCHES[..rng.between(4, BRANCHES.len() as u64) as usize].join(", "),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found, refused};

    #[test]
    fn the_examples_exist_with_every_field_and_walk_the_happy_paths() {
        examples_serve_the_definitions("higher-education", REGISTERS, "12-AB");
        let seat = found(REGISTERS, "eapcet", "25 1012 3455");
        assert!(seat["qualified"] == true && seat["status"] == "allotted", "{seat}");
        assert_eq!(found(REGISTERS, "icet", "2520456789")["qualified"], true);
        let graduate = found(REGISTERS, "degrees", "y21co10237");
        assert!(graduate["result"] == "PASS" && graduate["odc_issued"] == false, "{graduate}");
        let memo = found(REGISTERS, "inter", "2530123456");
        assert!(memo["result"] == "PASS" && memo["withheld"] == false, "{memo}");
        found(REGISTERS, "colleges", "rvrj");
    }

    #[test]
    fn malformed_keys_are_refused() {
        let bad =
            [("eapcet", "25101"), ("icet", "ICET"), ("degrees", "12345678"), ("inter", "25-30"), ("colleges", "AU1")];
        refused(REGISTERS, &bad);
        assert_eq!(REGISTERS[4].lookup("ZZZZ"), Ok(None));
    }
}
