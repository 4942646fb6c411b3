//! The simulated Survey, Settlements & Land Records systems: the land
//! re-survey register (by village and survey number: its stage, the new land
//! parcel and the objection window), the land parcels it creates (by ULPIN,
//! the Bhu Aadhaar: owner, extent, boundaries, the new passbook) and the
//! applications to subdivide a survey number.
//!
//! Example keys (always registered):
//! - `resurvey`: `Gollapudi:106/2` (draft register published, objections
//!   open), `Nidamarru:19` and `Gollapudi:12` (final, stones planted:
//!   subdivision and stones);
//! - `parcels`: `AP020101001900` (Nidamarru 19), `AP010101001200` (Gollapudi
//!   12): final ROR: details, passbook and parcel map; `AP010101010602`
//!   (Gollapudi 106/2, draft: no passbook yet). A parcel is the
//!   holding the re-survey register shows under that ULPIN (same owner and
//!   extent); its ULPIN is given when the draft register is published;
//! - `subdivisions`: `SUB25004526` (approved, new numbers), `SUB25004547`
//!   (field visit fixed).
//!
//! A village is matched by its English or Telugu name, ignoring case and
//! spaces; a village the register does not know is not found (404).

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{Words, coded_words, join, place_fields, somewhere, village};
use crate::registers::{self, Register, Rng, plain_key, prefixed};
use crate::seed::calendar::{iso, today};
use crate::seed::{self, DISTRICTS, District, Mandal, Village};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "resurvey",
        key: resurvey_key,
        examples: &["Gollapudi:106/2", "Nidamarru:19", "Gollapudi:12"],
        make: resurvey,
        submit: None,
    },
    Register {
        name: "parcels",
        key: |t| {
            let key = plain_key(t, 14, 16)?.replace('-', "");
            let shaped = key.len() == 14
                && key.starts_with("AP")
                && key[2..12].bytes().all(|b| b.is_ascii_digit())
                && key[12..].bytes().all(|b| b.is_ascii_alphanumeric());
            shaped.then_some(key)
        },
        examples: &["AP020101001900", "AP010101001200", "AP010101010602"],
        make: parcel,
        submit: None,
    },
    Register {
        name: "subdivisions",
        key: |t| prefixed(t, "SUB", 8),
        examples: &["SUB25004526", "SUB25004547"],
        make: subdivision,
        submit: None,
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// A place in the seeded geography.
type Place = (&'static District, &'static Mandal, &'static Village);

/// `village:survey`, the survey number like `123`, `123/2` or `123-2A`
/// (kept as `123/2A`); the village as typed, or its English name when known.
fn resurvey_key(typed: &str) -> Option<String> {
    let (village_typed, number) = typed.trim().rsplit_once(':')?;
    let number = number.trim().to_ascii_uppercase().replace('-', "/");
    let (main, sub) = number.split_once('/').unwrap_or((number.as_str(), ""));
    let ok = (1..=4).contains(&main.len())
        && main.bytes().all(|b| b.is_ascii_digit())
        && sub.len() <= 4
        && sub.bytes().all(|b| b.is_ascii_alphanumeric())
        && !(number.contains('/') && sub.is_empty());
    let name = village(village_typed).map_or_else(|| village_typed.trim().to_owned(), |(_, _, v)| v.name.to_owned());
    (ok && !name.is_empty()).then(|| format!("{name}:{number}"))
}

/// Fathers' given names (a pattadar is written "son/daughter of").
const FATHERS: &[(&str, &str)] = &[
    ("Venkata Ramana", "వెంకట రమణ"),
    ("Srinivasa Rao", "శ్రీనివాసరావు"),
    ("Suryanarayana", "సూర్యనారాయణ"),
    ("Nagaraju", "నాగరాజు"),
    ("Subba Rao", "సుబ్బారావు"),
];

/// The holding under survey number `number` of a village, the same in every
/// register: the owner, the father, the extent before and after re-survey.
fn holding(village: &Village, number: &str) -> Value {
    let mut rng = Rng::for_key(&format!("land:{}:{number}", village.name));
    let (name, name_te) = seed::person(&mut rng);
    let (father, father_te) = *rng.pick(FATHERS);
    let surname = |full: &str| full.rsplit(' ').next().unwrap_or_default().to_owned();
    let old = rng.between(40, 900);
    let new = (old as i64 + rng.between(0, 24) as i64 - 12).max(5) as u64;
    json!({
        "owner": name, "owner_te": name_te,
        "father": format!("{father} {}", surname(&name)), "father_te": format!("{father_te} {}", surname(&name_te)),
        "extent_old": acres(old), "extent_new": acres(new),
        "lp_number": format!("LP-{}", rng.between(1, 2_400)),
    })
}

/// Acres with two decimals.
fn acres(cents: u64) -> f64 {
    cents as f64 / 100.0
}

/// The ULPIN (Bhu Aadhaar) of a holding: `AP`, the district, mandal and
/// village, the survey number (4 digits) and its sub-division (2 characters).
fn ulpin((d, m, v): Place, number: &str) -> Option<String> {
    let index = |found: Option<usize>| found.map(|i| i + 1);
    let di = index(DISTRICTS.iter().position(|x| x.name == d.name))?;
    let mi = index(d.mandals.iter().position(|x| x.name == m.name))?;
    let vi = index(m.villages.iter().position(|x| x.name == v.name))?;
    let (main, sub) = number.split_once('/').unwrap_or((number, ""));
    let sub = match sub.len() {
        0 => "00".to_owned(),
        1 | 2 => format!("{sub:0>2}"),
        _ => return None,
    };
    Some(format!("AP{di:02}{mi:02}{vi:02}{:0>4}{sub}", main))
}

/// The village and survey number a ULPIN stands for.
fn from_ulpin(ulpin: &str) -> Option<(Place, String)> {
    let digit_pair = |at: usize| ulpin.get(at..at + 2)?.parse::<usize>().ok()?.checked_sub(1);
    let d = DISTRICTS.get(digit_pair(2)?)?;
    let m = d.mandals.get(digit_pair(4)?)?;
    let v = m.villages.get(digit_pair(6)?)?;
    let main = ulpin.get(8..12)?.trim_start_matches('0');
    let sub = ulpin.get(12..14)?;
    let sub = sub.strip_prefix('0').unwrap_or(sub);
    let number = match (main, sub) {
        ("", _) => return None,
        (main, "0" | "") => main.to_owned(),
        (main, sub) => format!("{main}/{sub}"),
    };
    Some(((d, m, v), number))
}

const STAGES: &[Words] = &[
    (
        "drone",
        "Drone survey done – ground check next",
        "డ్రోన్ సర్వే పూర్తి – క్షేత్ర పరిశీలన తదుపరి",
        "ड्रोन सर्वे पूरा – ज़मीनी जाँच अगली",
    ),
    ("ground", "Ground validation in progress", "క్షేత్ర స్థాయి ధృవీకరణ జరుగుతోంది", "ज़मीनी सत्यापन जारी"),
    (
        "draft",
        "Draft land register published – objections open",
        "ముసాయిదా భూ రిజిస్టర్ ప్రచురించారు – అభ్యంతరాలకు అవకాశం",
        "मसौदा भूमि रजिस्टर प्रकाशित – आपत्तियाँ खुली",
    ),
    ("final", "Final ROR published (Section 13)", "తుది ROR ప్రచురించారు (సెక్షన్ 13)", "अंतिम ROR प्रकाशित (धारा 13)"),
    ("stones", "Final – boundary stones planted", "పూర్తి – సరిహద్దు రాళ్లు పాతారు", "पूर्ण – सीमा पत्थर लगाए गए"),
];

fn resurvey(key: &str, rng: &mut Rng) -> Option<Value> {
    let (name, number) = key.rsplit_once(':')?;
    let place = village(name)?;
    let at = rng.below(STAGES.len() as u64) as usize;
    let notified = today() - rng.between(5, 25) as i64;
    let (surveyor, _) = seed::person(rng);
    Some(join([
        place_fields(place),
        holding(place.2, number),
        coded_words("status", &STAGES[at]),
        json!({
            "survey_no": number,
            "ulpin": if at >= 2 { ulpin(place, number).unwrap_or_default() } else { String::new() },
            "notified_on": if at >= 2 { iso(notified) } else { String::new() },
            "objections_until": if at == 2 { iso(notified + 30) } else { String::new() },
            "final_on": if at >= 3 { iso(notified - rng.between(30, 400) as i64) } else { String::new() },
            "stones_planted": at == 4,
            "surveyor": format!("{surveyor}, Village Surveyor"),
        }),
    ]))
}

/// A land parcel: the holding the re-survey register shows under its ULPIN.
fn parcel(key: &str, rng: &mut Rng) -> Option<Value> {
    let ((_, _, v), number) = from_ulpin(key)?;
    let surveyed = REGISTERS[0].lookup(&format!("{}:{number}", v.name)).ok()??;
    if surveyed["ulpin"].as_str() != Some(key) {
        return None;
    }
    let stage = surveyed["status_code"].as_str().unwrap_or_default();
    let final_ror = stage == "final" || stage == "stones";
    let lp: u64 = surveyed["lp_number"].as_str()?.trim_start_matches("LP-").parse().ok()?;
    let wet = rng.below(2) == 0;
    let (d, _, _) = village(v.name)?;
    let mut record = surveyed;
    let extra = json!({
        "old_survey_no": number, "extent": record["extent_new"].clone(),
        "khata": rng.between(100, 4_000),
        "land_type": if wet { "Wet (maagaani)" } else { "Dry (metta)" },
        "land_type_te": if wet { "మాగాణి" } else { "మెట్ట" },
        "north": format!("LP-{}", lp + 1), "south": format!("LP-{}", lp.max(2) - 1),
        "east": format!("LP-{}", lp + 37), "west": *rng.pick(&["Village road", "Irrigation canal", "Cart track"]),
        "latitude": format!("{:.5}", d.lat + (rng.below(4_000) as f64 - 2_000.0) / 100_000.0),
        "longitude": format!("{:.5}", d.lon + (rng.below(4_000) as f64 - 2_000.0) / 100_000.0),
        "ror_final": final_ror,
        "ror_on": record["final_on"].clone(),
        "passbook_no": if final_ror { format!("PPB{}", rng.between(10_000_000, 99_999_999)) } else { String::new() },
    });
    if let (Value::Object(all), Value::Object(more)) = (&mut record, extra) {
        all.extend(more);
    }
    Some(record)
}

const SUBDIVISION_STATUS: &[Words] = &[
    (
        "received",
        "Received – fee paid, surveyor to be assigned",
        "అందింది – ఫీజు చెల్లించారు, సర్వేయర్ కేటాయించాలి",
        "प्राप्त – शुल्क जमा, सर्वेयर नियुक्त होगा",
    ),
    ("field-visit", "Field visit fixed", "క్షేత్ర పరిశీలన తేదీ ఖరారు", "खेत निरीक्षण तय"),
    (
        "approved",
        "Approved – new sub-division numbers given",
        "ఆమోదించారు – కొత్త సబ్-డివిజన్ నంబర్లు ఇచ్చారు",
        "स्वीकृत – नए उप-विभाजन नंबर दिए",
    ),
    (
        "rejected",
        "Rejected – owners did not agree on the boundary",
        "తిరస్కరించారు – సరిహద్దుపై యజమానుల అంగీకారం లేదు",
        "अस्वीकृत – सीमा पर मालिकों की सहमति नहीं",
    ),
];

fn subdivision(key: &str, rng: &mut Rng) -> Option<Value> {
    let place = somewhere(rng);
    let at = rng.below(SUBDIVISION_STATUS.len() as u64) as usize;
    let main = rng.between(10, 600);
    let parts = rng.between(2, 4);
    let filed = today() - rng.between(5, 40) as i64 - 10 * at as i64;
    let (surveyor, _) = seed::person(rng);
    let (applicant, applicant_te) = seed::person(rng);
    Some(join([
        place_fields(place),
        coded_words("status", &SUBDIVISION_STATUS[at]),
        json!({
            "application": key, "applicant": applicant, "applicant_te": applicant_te,
            "survey_no": format!("{main}"), "parts": parts, "filed_on": iso(filed),
            "surveyor": format!("{surveyor}, Mandal Surveyor"),
            "field_visit_on": if at == 1 { iso(today() + rng.between(2, 12) as i64) } else { String::new() },
            "new_numbers": if at == 2 { (1..=parts).map(|p| format!("{main}/{p}")).collect::<Vec<_>>().join(", ") } else { String::new() },
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
        examples_serve_the_definitions("survey", REGISTERS, "12-AB");
    }

    #[test]
    fn the_examples_take_the_happy_path_and_villages_are_found_in_either_script() {
        let record = |register: &str, key: &str| found(REGISTERS, register, key);
        let draft = record("resurvey", "gollapudi : 106-2");
        assert_eq!((draft["status_code"].as_str(), draft["village"].as_str()), (Some("draft"), Some("Gollapudi")));
        assert_eq!(record("resurvey", "గొల్లపూడి:106/2"), draft);
        assert_eq!(record("resurvey", "Nidamarru:19")["status_code"], "stones");
        for (key, surveyed) in [("AP020101001900", "Nidamarru:19"), ("AP010101001200", "Gollapudi:12")] {
            let parcel = record("parcels", key);
            assert_eq!(parcel["ror_final"], true, "{key}");
            let surveyed = record("resurvey", surveyed);
            assert_eq!((&parcel["owner"], &parcel["extent"]), (&surveyed["owner"], &surveyed["extent_new"]), "{key}");
        }
        let draft = record("resurvey", "Gollapudi:106/2");
        assert_eq!(record("parcels", draft["ulpin"].as_str().unwrap())["ror_final"], false);
        assert_eq!(record("subdivisions", "SUB25004526")["status_code"], "approved");
    }

    #[tokio::test]
    async fn malformed_keys_are_refused_and_unknown_villages_not_found() {
        let bad = [
            ("resurvey", "Gollapudi"),
            ("resurvey", "Gollapudi:12345"),
            ("parcels", "AP0503"),
            ("subdivisions", "SUB25"),
        ];
        refused(REGISTERS, &bad);
        assert_eq!(get(router(), "/resurvey/Gollapudi:12%2F").await.0, StatusCode::BAD_REQUEST);
        assert_eq!(get(router(), "/resurvey/Atlantis:12").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get(router(), "/resurvey/Gollapudi:106%2F2").await.0, StatusCode::OK);
    }
}
