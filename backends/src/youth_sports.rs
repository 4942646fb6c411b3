//! The simulated Youth Advancement & Sports (SAAP) systems: sports quota
//! certificate applications, cash incentives to medal winners, registered
//! youth clubs, and the bookings of SAAP grounds and swimming pools.
//!
//! Example keys (always registered):
//! - `quota`: `SQ-2025-00130` (certificate issued), `SQ-2024-00137` (with the
//!   verification committee);
//! - `awards`: `CA-2025-0100` (released), `CA-2025-0072` (sanctioned);
//! - `youth-clubs`: `YC-GNT-00152`, `YC-VJA-00103` (active: certificate).
//!
//! `POST /bookings` takes `{facility, date, slot}`: Sundays are kept for SAAP
//! league matches (`available` false, with the reason), other days are
//! booked. `POST /passes` takes `{pool, name, start}` and gives a month's pass.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{Words, coded_words, days_ago, join};
use crate::registers::{self, Register, Rng, lettered, numbered};
use crate::seed::calendar::{iso, parse_date, today};
use crate::seed::{self, District};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "quota",
        key: |t| numbered(t, "SQ", 5, 2000..=2099),
        examples: &["SQ-2025-00130", "SQ-2024-00137"],
        make: quota_application,
        submit: None,
    },
    Register {
        name: "awards",
        key: |t| numbered(t, "CA", 4, 2000..=2099),
        examples: &["CA-2025-0100", "CA-2025-0072"],
        make: award,
        submit: None,
    },
    Register {
        name: "youth-clubs",
        key: |t| lettered(t, "YC", 3, 5),
        examples: &["YC-GNT-00152", "YC-VJA-00103"],
        make: youth_club,
        submit: None,
    },
    Register { name: "bookings", key: |_| None, examples: &[], make: |_, _| None, submit: Some(book_ground) },
    Register { name: "passes", key: |_| None, examples: &[], make: |_, _| None, submit: Some(pool_pass) },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// District codes of youth clubs.
const CODES: &[(&str, &str)] = &[
    ("VJA", "NTR"),
    ("GNT", "Guntur"),
    ("TPT", "Tirupati"),
    ("VSP", "Visakhapatnam"),
    ("KNL", "Kurnool"),
    ("RJY", "East Godavari"),
];

/// A sportsperson (`who`, `who_te`) and their district.
fn athlete(rng: &mut Rng, who: &str) -> Value {
    let (name, name_te) = seed::person(rng);
    let district = rng.pick(seed::DISTRICTS);
    json!({ who: name, format!("{who}_te"): name_te, "district": district.name, "district_te": district.name_te })
}

const SPORTS: &[&str] =
    &["Athletics", "Kabaddi", "Volleyball", "Badminton", "Kho-kho", "Hockey", "Weightlifting", "Wrestling", "Archery"];

const QUOTA_STATUS: &[Words] = &[
    ("verification", "With the verification committee", "పరిశీలన కమిటీ వద్ద ఉంది", "सत्यापन समिति के पास"),
    ("association", "Sent to the sports association to confirm", "క్రీడా సంఘం ధృవీకరణకు పంపారు", "खेल संघ को पुष्टि हेतु भेजा"),
    ("issued", "Certificate issued", "సర్టిఫికెట్ జారీ అయింది", "प्रमाणपत्र जारी"),
    (
        "rejected",
        "Rejected – participation not confirmed",
        "తిరస్కరించారు – పాల్గొన్నట్లు నిర్ధారణ కాలేదు",
        "अस्वीकृत – भागीदारी की पुष्टि नहीं",
    ),
];
/// (Level, the quota category it gives).
const LEVELS: &[(&str, &str)] = &[
    ("National championship", "Category II (national)"),
    ("Khelo India Youth Games", "Category II (national)"),
    ("State championship", "Category III (state)"),
    ("South Zone championship", "Category II (national)"),
];

fn quota_application(key: &str, rng: &mut Rng) -> Option<Value> {
    let at = rng.below(QUOTA_STATUS.len() as u64) as usize;
    let (level, category) = *rng.pick(LEVELS);
    let sport = *rng.pick(SPORTS);
    Some(join([
        athlete(rng, "applicant"),
        coded_words("status", &QUOTA_STATUS[at]),
        json!({
            "application": key, "sport": sport, "level": level, "category": category,
            "event": format!("{level} ({sport}), {}", 2021 + rng.below(5)),
            "purpose": rng.pick(&["Police constable recruitment", "AP EAPCET admission", "Group-IV recruitment", "Degree admission"]),
            "filed_on": days_ago(rng, 10, 90),
            "certificate_no": if at == 2 { format!("SAAP/SQ/{}", rng.between(1_000, 9_999)) } else { String::new() },
        }),
    ]))
}

const AWARD_STATUS: &[Words] = &[
    ("received", "Received – being verified", "అందింది – పరిశీలనలో ఉంది", "प्राप्त – सत्यापन जारी"),
    ("sanctioned", "Sanctioned – payment in process", "మంజూరైంది – చెల్లింపు ప్రక్రియలో", "स्वीकृत – भुगतान प्रक्रिया में"),
    ("released", "Paid to your bank account", "మీ బ్యాంకు ఖాతాకు చెల్లించారు", "आपके बैंक खाते में भुगतान"),
];
/// (Medal, in Telugu as it is put before పతకం, amount for a national medal).
const MEDALS: &[(&str, &str, u64)] = &[("Gold", "స్వర్ణ", 50_000), ("Silver", "రజత", 30_000), ("Bronze", "కాంస్య", 20_000)];

fn award(key: &str, rng: &mut Rng) -> Option<Value> {
    let at = rng.below(AWARD_STATUS.len() as u64) as usize;
    let (medal, medal_te, amount) = *rng.pick(MEDALS);
    let sport = *rng.pick(SPORTS);
    let khelo = rng.below(3) == 0;
    Some(join([
        athlete(rng, "athlete"),
        coded_words("status", &AWARD_STATUS[at]),
        json!({
            "application": key, "sport": sport, "medal": medal, "medal_te": medal_te,
            "event": if khelo { "Khelo India Youth Games" } else { "Senior National Championship" },
            "amount": if khelo { amount * 2 } else { amount },
            "filed_on": days_ago(rng, 60, 200),
            "released_on": if at == 2 { days_ago(rng, 3, 50) } else { String::new() },
            "account": format!("XXXXXXXX{:04}", rng.below(10_000)),
        }),
    ]))
}

const CLUB_STATUS: &[Words] = &[
    ("active", "Active", "యాక్టివ్", "सक्रिय"),
    ("active", "Active", "యాక్టివ్", "सक्रिय"),
    ("expired", "Renewal due", "రెన్యువల్ చేయాలి", "नवीनीकरण बाकी"),
];

fn youth_club(key: &str, rng: &mut Rng) -> Option<Value> {
    let (_, district) = *CODES.iter().find(|(c, _)| *c == &key[3..6])?;
    let district: &District = seed::district(district)?;
    let mandal = rng.pick(district.mandals);
    let village = rng.pick(mandal.villages);
    let at = rng.below(CLUB_STATUS.len() as u64) as usize;
    let valid_until =
        if at == 2 { today() - rng.between(5, 200) as i64 } else { today() + rng.between(30, 700) as i64 };
    let (president, president_te) = seed::person(rng);
    let name = *rng.pick(&["Vivekananda", "Netaji", "Bhagat Singh", "Alluri Sitarama Raju", "Abdul Kalam"]);
    Some(join([
        coded_words("status", &CLUB_STATUS[at]),
        json!({
            "reg_no": key,
            "club": format!("{name} Youth Club, {}", village.name),
            "village": village.name, "village_te": village.name_te, "mandal": mandal.name, "mandal_te": mandal.name_te,
            "district": district.name, "district_te": district.name_te,
            "president": president, "president_te": president_te,
            "members": rng.between(15, 60),
            "registered_on": iso(valid_until - 365 * 3),
            "valid_until": iso(valid_until),
        }),
    ]))
}

/// (Facility id, name, in Telugu).
const GROUNDS: &[(&str, &str, &str)] = &[
    ("ig-stadium-vja", "Indira Gandhi Stadium, Vijayawada", "ఇందిరా గాంధీ స్టేడియం, విజయవాడ"),
    ("br-stadium-gnt", "Brahmananda Reddy Stadium, Guntur", "బ్రహ్మానంద రెడ్డి స్టేడియం, గుంటూరు"),
    ("indoor-vsp", "Swarna Bharathi Indoor Stadium, Visakhapatnam", "స్వర్ణ భారతి ఇండోర్ స్టేడియం, విశాఖపట్నం"),
    ("dsa-tpt", "DSA Stadium, Tirupati", "డీఎస్ఏ స్టేడియం, తిరుపతి"),
    ("dsa-knl", "DSA Outdoor Stadium, Kurnool", "డీఎస్ఏ అవుట్‌డోర్ స్టేడియం, కర్నూలు"),
];

fn book_ground(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let facility = body["facility"].as_str().ok_or("facility is required")?;
    let (_, name, name_te) = *GROUNDS.iter().find(|g| g.0 == facility).ok_or("no such facility")?;
    let date = body["date"].as_str().and_then(parse_date).ok_or("date (YYYY-MM-DD) is required")?;
    let sunday = date.rem_euclid(7) == 3;
    Ok(json!({
        "available": date >= today() && !sunday,
        "reason": if sunday { "Sundays are kept for SAAP league matches; choose another day." } else { "Bookings are for future dates only." },
        "reason_te": if sunday { "ఆదివారాలు SAAP లీగ్ మ్యాచ్‌లకు; వేరే రోజు ఎంచుకోండి." } else { "రాబోయే తేదీలకే బుకింగ్." },
        "reason_hi": if sunday { "रविवार SAAP लीग मैचों के लिए हैं; दूसरा दिन चुनें।" } else { "बुकिंग केवल आगे की तिथियों के लिए।" },
        "booking_no": format!("SAAP-GB-{:06}", rng.below(1_000_000)),
        "facility": name, "facility_te": name_te, "date": iso(date),
        "slot": if body["slot"].as_str() == Some("evening") { "3:00 PM – 7:00 PM" } else { "6:00 AM – 10:00 AM" },
    }))
}

/// (Pool id, name, in Telugu).
const POOLS: &[(&str, &str, &str)] = &[
    ("vja", "SAAP Swimming Pool, Vijayawada", "శాప్ స్విమ్మింగ్ పూల్, విజయవాడ"),
    ("vsp", "SAAP Swimming Pool, Visakhapatnam", "శాప్ స్విమ్మింగ్ పూల్, విశాఖపట్నం"),
    ("tpt", "SAAP Swimming Pool, Tirupati", "శాప్ స్విమ్మింగ్ పూల్, తిరుపతి"),
];

fn pool_pass(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let pool = body["pool"].as_str().ok_or("pool is required")?;
    let (_, name, name_te) = *POOLS.iter().find(|p| p.0 == pool).ok_or("no such pool")?;
    let start = body["start"].as_str().and_then(parse_date).ok_or("start (YYYY-MM-DD) is required")?;
    Ok(json!({
        "pass_no": format!("SAAP-SP-{:06}", rng.below(1_000_000)),
        "pool": name, "pool_te": name_te,
        "valid_from": iso(start), "valid_until": iso(start + 29),
        "batch": *rng.pick(&["5:30 – 6:30 AM", "6:30 – 7:30 AM", "4:30 – 5:30 PM", "5:30 – 6:30 PM"]),
    }))
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found, post, posted, refused};

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        examples_serve_the_definitions("youth-sports", REGISTERS, "12-AB");
        let body = json!({"facility": "br-stadium-gnt", "date": iso(today() + 1), "slot": "morning"});
        posted("youth-sports", REGISTERS, "bookings", body);
        posted("youth-sports", REGISTERS, "passes", json!({"pool": "vja", "name": "Ravi", "start": iso(today() + 3)}));
    }

    #[test]
    fn the_examples_take_the_happy_path() {
        assert_eq!(found(REGISTERS, "quota", "SQ-2025-00130")["status_code"], "issued");
        assert_eq!(found(REGISTERS, "youth-clubs", "yc gnt 00152")["status_code"], "active");
    }

    #[tokio::test]
    async fn malformed_keys_are_refused_and_sundays_kept_for_matches() {
        refused(REGISTERS, &[("quota", "SQ-25-123"), ("awards", "CA-2025-31"), ("youth-clubs", "YC-G-1")]);
        let monday = (today() + 1..today() + 8).find(|d| d.rem_euclid(7) == 4).unwrap();
        let sunday = monday - 1;
        for (day, open) in [(monday, true), (sunday, false)] {
            let body = json!({"facility": "br-stadium-gnt", "date": iso(day), "slot": "morning"}).to_string();
            let (status, booking) = post(router(), "/bookings", &body).await;
            assert_eq!((status, booking["available"].as_bool()), (StatusCode::CREATED, Some(open)), "{booking}");
        }
        let body = json!({"pool": "vja", "name": "Ravi", "start": iso(today() + 3)}).to_string();
        let (status, pass) = post(router(), "/passes", &body).await;
        assert_eq!((status, pass["valid_until"].as_str()), (StatusCode::CREATED, Some(iso(today() + 32).as_str())));
        assert_eq!(post(router(), "/passes", r#"{"pool": "x"}"#).await.0, StatusCode::BAD_REQUEST);
    }
}
