//! Registration & Stamps (IGRS): the Hindu marriage register, registered
//! documents with the encumbrances on their property, market values of land,
//! registration slots at the Sub-Registrar Offices (SROs), and the registers
//! of societies and partnership firms kept by the District Registrars.
//!
//! Registers and their example keys (always registered, happy path):
//! - `marriages/{HMR-CCCC-YYYY-NNNNNN}` (SRO code, year, serial):
//!   `HMR-1608-2023-000245`, `HMR-0717-2024-001187` (registered marriages).
//! - `documents/{sro}-{number}/{year}`: `mangalagiri-4521/2019`,
//!   `vijayawada-12087/2021` (registered sale deeds with three transactions).
//! - `market-values/{village}:{survey}`: `Nidamarru:123/2A`, `Gollapudi:45`.
//! - `slots`: `POST {sro, date, session, nature}` books a slot (refused on
//!   Sundays and for unknown offices); `GET /slots/{SLOT-CCCC-YYYYMMDD-NN}`
//!   (example `SLOT-0703-20270105-07`).
//! - `societies/{number}/{year}`: `245/2021`; `firms/{number}/{year}`: `412/2022`
//!   (both active).

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{day_in, join, person_who, somewhere, squash, village};
use crate::registers::{self, Register, Rng, plain_key};
use crate::seed::{self, District, Mandal, calendar};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register { name: "marriages", key: marriage_key, examples: MARRIAGE_EXAMPLES, make: marriage, submit: None },
    Register { name: "documents", key: document_key, examples: DOCUMENT_EXAMPLES, make: document, submit: None },
    Register {
        name: "market-values",
        key: market_key,
        examples: &["Nidamarru:123/2A", "Gollapudi:45"],
        make: market_value,
        submit: None,
    },
    Register {
        name: "slots",
        key: |t| plain_key(t, 21, 21).filter(|k| k.starts_with("SLOT-")),
        examples: &["SLOT-0703-20270105-07"],
        make: slot,
        submit: Some(book_slot),
    },
    Register { name: "societies", key: number_of_year, examples: &["245/2021"], make: society, submit: None },
    Register { name: "firms", key: number_of_year, examples: &["412/2022"], make: firm, submit: None },
];

const MARRIAGE_EXAMPLES: &[&str] = &["HMR-1608-2023-000245", "HMR-0717-2024-001187"];
const DOCUMENT_EXAMPLES: &[&str] = &["mangalagiri-4521/2019", "vijayawada-12087/2021"];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// Sub-Registrar Offices: choice id, code, English, Telugu, the mandal they serve.
const SROS: &[(&str, &str, &str, &str, &str)] = &[
    ("vijayawada", "1608", "SRO Vijayawada (Rural)", "ఎస్ఆర్ఓ విజయవాడ (రూరల్)", "Vijayawada Rural"),
    ("ibrahimpatnam", "1611", "SRO Ibrahimpatnam", "ఎస్ఆర్ఓ ఇబ్రహీంపట్నం", "Ibrahimpatnam"),
    ("mangalagiri", "0703", "SRO Mangalagiri", "ఎస్ఆర్ఓ మంగళగిరి", "Mangalagiri"),
    ("tenali", "0717", "SRO Tenali", "ఎస్ఆర్ఓ తెనాలి", "Tenali"),
    ("tirupati", "1903", "SRO Tirupati (Rural)", "ఎస్ఆర్ఓ తిరుపతి (రూరల్)", "Tirupati Rural"),
    ("bheemunipatnam", "0302", "SRO Bheemunipatnam", "ఎస్ఆర్ఓ భీమునిపట్నం", "Bheemunipatnam"),
    ("kurnool", "1301", "SRO Kurnool", "ఎస్ఆర్ఓ కర్నూలు", "Kallur"),
    ("rajahmundry", "0505", "SRO Rajahmundry (Rural)", "ఎస్ఆర్ఓ రాజమహేంద్రవరం (రూరల్)", "Rajahmundry Rural"),
];

type Sro = (&'static str, &'static str, &'static str, &'static str, &'static str);

/// The district and mandal an SRO serves.
fn served(sro: &Sro) -> (&'static District, &'static Mandal) {
    seed::DISTRICTS
        .iter()
        .flat_map(|d| d.mandals.iter().map(move |m| (d, m)))
        .find(|(_, m)| m.name == sro.4)
        .unwrap_or((&seed::DISTRICTS[0], &seed::DISTRICTS[0].mandals[0]))
}

/// The office's fields of a record: the SRO and the mandal and district it serves.
fn office(sro: &Sro) -> Value {
    let (d, m) = served(sro);
    json!({
        "sro": sro.2, "sro_te": sro.3, "sro_code": sro.1,
        "mandal": m.name, "mandal_te": m.name_te, "district": d.name, "district_te": d.name_te,
    })
}

/// A father's name sharing the surname of `child`.
fn father(rng: &mut Rng, child: &(String, String)) -> (String, String) {
    let (given, given_te) = person_who(rng, false);
    let first = |n: &str| n.rsplit_once(' ').map_or(n.to_owned(), |(g, _)| g.to_owned());
    let last = |n: &str| n.rsplit(' ').next().unwrap_or_default().to_owned();
    (format!("{} {}", first(&given), last(&child.0)), format!("{} {}", first(&given_te), last(&child.1)))
}

fn this_year() -> i64 {
    calendar::civil_from_days(calendar::today()).0
}

/// `HMR-1608-2023-000245`, with or without dashes.
fn marriage_key(typed: &str) -> Option<String> {
    let compact = plain_key(typed, 12, 26)?.replace(['-', '/'], "");
    let digits = compact.strip_prefix("HMR").unwrap_or(&compact);
    if !(9..=14).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let serial: u32 = digits[8..].parse().ok()?;
    Some(format!("HMR-{}-{}-{serial:06}", &digits[..4], &digits[4..8]))
}

fn marriage(key: &str, rng: &mut Rng) -> Option<Value> {
    let code = key.get(4..8)?;
    let year: i64 = key.get(9..13)?.parse().ok()?;
    let sro = SROS.iter().find(|s| s.1 == code)?;
    if !(1990..=this_year()).contains(&year) {
        return None;
    }
    let example = MARRIAGE_EXAMPLES.contains(&key);
    let husband = person_who(rng, false);
    let wife = person_who(rng, true);
    let (husband_father, wife_father) = (father(rng, &husband), father(rng, &wife));
    let registered_on = day_in(rng, year, calendar::today());
    let married_on = registered_on - rng.between(2, 60) as i64;
    let (_, m) = served(sro);
    let village = rng.pick(m.villages);
    let venue = *rng.pick(&[
        ("Bride's residence", "వధువు నివాసం"),
        ("Sri Venkateswara Kalyana Mandapam", "శ్రీ వేంకటేశ్వర కళ్యాణ మండపం"),
        ("Sri Rama temple", "శ్రీ రామాలయం"),
    ]);
    let status = if example || rng.below(20) > 0 { "registered" } else { "annulled" };
    Some(join([
        office(sro),
        json!({
            "registration_no": key, "act": "Hindu Marriage Act, 1955", "act_te": "హిందూ వివాహ చట్టం, 1955",
            "husband": husband.0, "husband_te": husband.1, "husband_age": rng.between(23, 34),
            "husband_father": husband_father.0, "husband_father_te": husband_father.1,
            "wife": wife.0, "wife_te": wife.1, "wife_age": rng.between(19, 29),
            "wife_father": wife_father.0, "wife_father_te": wife_father.1,
            "married_on": calendar::iso(married_on), "registered_on": calendar::iso(registered_on),
            "place": format!("{}, {}", venue.0, village.name), "place_te": format!("{}, {}", venue.1, village.name_te),
            "status": status, "status_te": if status == "registered" { "నమోదైంది" } else { "కోర్టు ఉత్తర్వుతో రద్దు" },
            "status_hi": if status == "registered" { "पंजीकृत" } else { "न्यायालय आदेश से रद्द" },
        }),
    ]))
}

/// `mangalagiri-4521/2019` (SRO, document number, year; `/`, `-` or " of " between the last two).
fn document_key(typed: &str) -> Option<String> {
    let (sro, number) = typed.trim().split_once('-')?;
    let sro = SROS.iter().find(|s| s.0.eq_ignore_ascii_case(sro.trim()))?.0;
    number_of_year(number).map(|n| format!("{sro}-{n}"))
}

/// `245/2021`, `245 of 2021`, `245-2021`: the number and the year, as `245/2021`.
fn number_of_year(typed: &str) -> Option<String> {
    let lower = typed.trim().to_ascii_lowercase().replace(" of ", "/");
    let (number, year) = lower.split_once(['/', '-'])?;
    let (number, year) = (number.trim().parse::<u32>().ok()?, year.trim());
    (number > 0 && year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())).then(|| format!("{number}/{year}"))
}

const BANKS: &[&str] = &["State Bank of India", "Canara Bank", "Union Bank of India", "Indian Bank", "HDFC Bank"];

fn document(key: &str, rng: &mut Rng) -> Option<Value> {
    let (sro_id, number) = key.split_once('-')?;
    let year: i64 = number.split_once('/')?.1.parse().ok()?;
    if !(1985..=this_year()).contains(&year) {
        return None;
    }
    let sro = SROS.iter().find(|s| s.0 == sro_id)?;
    let (_, m) = served(sro);
    let village = rng.pick(m.villages);
    let example = DOCUMENT_EXAMPLES.iter().any(|e| document_key(e).as_deref() == Some(key));
    let (a, b, c) = (rng.below(3) == 0, rng.below(3) == 0, rng.below(2) == 0);
    let (earlier, executant, claimant) = (person_who(rng, a), person_who(rng, b), person_who(rng, c));
    let site = rng.below(2) == 0;
    let survey = format!("{}/{}{}", rng.between(12, 480), rng.between(1, 6), rng.pick(&["", "A", "B"]));
    let (extent, extent_te, consideration) = if site {
        let yards = rng.between(15, 40) * 10;
        (
            format!("{yards} sq. yards (house site)"),
            format!("{yards} చ.గ. (ఇంటి స్థలం)"),
            yards * rng.between(8, 30) * 1_000,
        )
    } else {
        let cents = rng.between(20, 350);
        (
            format!("{}.{:02} acres (agricultural)", cents / 100, cents % 100),
            format!("{}.{:02} ఎకరాలు (వ్యవసాయ)", cents / 100, cents % 100),
            cents * rng.between(40, 250) * 1_000,
        )
    };
    let market_value = consideration * rng.between(80, 100) / 100;
    let dutiable = consideration.max(market_value);
    let registered_on = day_in(rng, year, calendar::today());
    let earlier_year = rng.between(1983.max(year as u64 - 25), year as u64 - 1) as i64;
    let before = day_in(rng, earlier_year, calendar::today());
    let after = (registered_on + rng.between(60, 1500) as i64).min(calendar::today());
    let mortgage = rng.below(5) < 3;
    let daughter = rng.below(2) == 0;
    let child = person_who(rng, daughter);
    let bank = *rng.pick(BANKS);
    let tx = |n: String,
              on: i64,
              nature: &str,
              nature_te: &str,
              from: &(String, String),
              to: (String, String),
              value: u64| {
        json!({"document_no": n, "date": calendar::iso(on), "nature": nature, "nature_te": nature_te,
               "from": from.0, "from_te": from.1, "to": to.0, "to_te": to.1, "value": value})
    };
    let own_number = format!("{}/{year}", number.split_once('/')?.0);
    let (y_before, y_after) = (calendar::civil_from_days(before).0, calendar::civil_from_days(after).0);
    let transactions = vec![
        tx(
            format!("{}/{y_before}", rng.between(100, 9000)),
            before,
            "Sale Deed",
            "విక్రయ దస్తావేజు",
            &earlier,
            executant.clone(),
            consideration / rng.between(3, 8),
        ),
        tx(own_number.clone(), registered_on, "Sale Deed", "విక్రయ దస్తావేజు", &executant, claimant.clone(), consideration),
        if mortgage {
            tx(
                format!("{}/{y_after}", rng.between(100, 9000)),
                after,
                "Mortgage (deposit of title deeds)",
                "తనఖా (టైటిల్ డీడ్స్ డిపాజిట్)",
                &claimant,
                (bank.to_owned(), bank.to_owned()),
                consideration * rng.between(40, 70) / 100,
            )
        } else {
            tx(
                format!("{}/{y_after}", rng.between(100, 9000)),
                after,
                "Gift Settlement",
                "దాన సెటిల్‌మెంట్",
                &claimant,
                child.clone(),
                market_value,
            )
        },
    ];
    let (note, note_te, note_hi) = if mortgage {
        (
            format!("A mortgage to {bank} is in force; it ends when a release deed is registered."),
            format!("{bank}కు తనఖా అమలులో ఉంది; విడుదల దస్తావేజు నమోదయ్యే వరకు కొనసాగుతుంది."),
            format!("{bank} के पास बंधक लागू है; रिलीज़ डीड पंजीकृत होने तक रहेगा।"),
        )
    } else {
        (
            "No mortgage or charge is registered on the property.".to_owned(),
            "ఈ ఆస్తిపై తనఖా గానీ భారం గానీ నమోదు కాలేదు.".to_owned(),
            "संपत्ति पर कोई बंधक या भार पंजीकृत नहीं है।".to_owned(),
        )
    };
    let status = if example || rng.below(20) > 0 { "registered" } else { "pending (impounded, Section 47A)" };
    Some(join([
        office(sro),
        json!({
            "document_no": own_number, "nature": "Sale Deed", "nature_te": "విక్రయ దస్తావేజు", "registered_on": calendar::iso(registered_on),
            "executant": executant.0, "executant_te": executant.1, "claimant": claimant.0, "claimant_te": claimant.1,
            "village": village.name, "village_te": village.name_te, "survey_no": survey, "extent": extent, "extent_te": extent_te,
            "consideration": consideration, "market_value": market_value,
            "stamp_duty": dutiable * 5 / 100, "transfer_duty": dutiable * 15 / 1000, "registration_fee": dutiable / 100,
            "status": status, "transactions": transactions,
            "owner": if mortgage { &claimant.0 } else { &child.0 },
            "owner_te": if mortgage { &claimant.1 } else { &child.1 },
            "ec_from": calendar::iso(calendar::days_from_civil(1983, 1, 1)), "ec_to": calendar::iso(calendar::today()),
            "ec_note": note, "ec_note_te": note_te, "ec_note_hi": note_hi,
        }),
    ]))
}

/// `Nidamarru:123/2A`: a village (English or Telugu name) and a survey number.
fn market_key(typed: &str) -> Option<String> {
    let (name, survey) = typed.split_once(':')?;
    let survey = plain_key(survey, 1, 12)?;
    let wanted = squash(name);
    if wanted.is_empty() || !survey.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // An unknown village is a well-formed key with no record.
    Some(format!("{}:{survey}", village(&wanted).map_or(wanted, |(_, _, v)| v.name.to_owned())))
}

fn market_value(key: &str, rng: &mut Rng) -> Option<Value> {
    let (name, survey) = key.split_once(':')?;
    let (d, m, v) = village(name)?;
    let sro = SROS.iter().find(|s| s.4 == m.name)?;
    let (class, class_te, class_hi, unit, unit_te, rate) = match rng.below(3) {
        0 => ("Wet (irrigated) land", "మాగాణి భూమి", "सिंचित भूमि", "acre", "ఎకరా", rng.between(15, 80) * 100_000),
        1 => ("Dry land", "మెట్ట భూమి", "असिंचित भूमि", "acre", "ఎకరా", rng.between(6, 40) * 100_000),
        _ => ("House site", "ఇంటి స్థలం", "आवासीय प्लॉट", "sq. yard", "చ.గ.", rng.between(12, 250) * 100),
    };
    Some(json!({
        "village": v.name, "village_te": v.name_te, "mandal": m.name, "mandal_te": m.name_te,
        "district": d.name, "district_te": d.name_te, "survey_no": survey, "sro": sro.2, "sro_te": sro.3,
        "classification": class, "classification_te": class_te, "classification_hi": class_hi,
        "unit": unit, "unit_te": unit_te, "rate": rate,
        "effective_from": calendar::iso(calendar::days_from_civil(this_year() - i64::from(calendar::civil_from_days(calendar::today()).1 < 2), 2, 1)),
    }))
}

const SESSIONS: &[(&str, &[&str])] = &[
    ("morning", &["10:30 AM", "11:00 AM", "11:30 AM", "12:00 PM"]),
    ("afternoon", &["2:30 PM", "3:00 PM", "3:30 PM", "4:00 PM"]),
];

/// Books a slot at an SRO: any working day (not a Sunday) in the next 30 days.
fn book_slot(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let sro = body["sro"].as_str().and_then(|s| SROS.iter().find(|o| o.0 == s)).ok_or("sro is not a known office")?;
    let day = body["date"].as_str().and_then(calendar::parse_date).ok_or("date must be YYYY-MM-DD")?;
    let times =
        SESSIONS.iter().find(|s| Some(s.0) == body["session"].as_str()).ok_or("session is morning or afternoon")?.1;
    // 1970-01-01 was a Thursday: day 3 of a week from Monday (0) is Sunday's 6.
    let sunday = (day + 3).rem_euclid(7) == 6;
    let too_far = day > calendar::today() + 30 || day < calendar::today();
    let (accepted, reason, reason_te, reason_hi) = match (sunday, too_far) {
        (true, _) => (
            false,
            "Sub-Registrar Offices are closed on Sundays; choose another day.",
            "ఆదివారం సబ్-రిజిస్ట్రార్ కార్యాలయాలకు సెలవు; వేరే రోజు ఎంచుకోండి.",
            "रविवार को उप-पंजीयक कार्यालय बंद रहते हैं; दूसरा दिन चुनें।",
        ),
        (_, true) => (
            false,
            "Slots can be booked from today up to 30 days ahead.",
            "ఈ రోజు నుండి 30 రోజుల లోపు మాత్రమే స్లాట్ బుక్ చేయవచ్చు.",
            "स्लॉट आज से 30 दिन आगे तक ही बुक हो सकते हैं।",
        ),
        _ => (true, "", "", ""),
    };
    let (y, m, d) = calendar::civil_from_days(day);
    let serial = rng.between(1, 40);
    Ok(join([
        office(sro),
        json!({
            "token": format!("SLOT-{}-{y:04}{m:02}{d:02}-{serial:02}", sro.1), "date": calendar::iso(day),
            "time": *rng.pick(times), "accepted": accepted, "reason": reason, "reason_te": reason_te, "reason_hi": reason_hi,
            "nature": body["nature"].as_str().unwrap_or("sale"),
        }),
    ]))
}

fn slot(key: &str, rng: &mut Rng) -> Option<Value> {
    let sro = SROS.iter().find(|s| Some(s.1) == key.get(5..9))?;
    let (y, m, d) = (key.get(10..14)?.parse().ok()?, key.get(14..16)?.parse().ok()?, key.get(16..18)?.parse().ok()?);
    let day = calendar::days_from_civil(y, m, d);
    Some(join([
        office(sro),
        json!({"token": key, "date": calendar::iso(day), "time": *rng.pick(SESSIONS[0].1), "accepted": true}),
    ]))
}

/// The District Registrar's fields of a record, and the village (English, Telugu) it is in.
fn registrar(rng: &mut Rng) -> (String, String, Value) {
    let (d, m, v) = somewhere(rng);
    let office = json!({
        "registrar": format!("District Registrar, {}", d.name), "registrar_te": format!("జిల్లా రిజిస్ట్రార్, {}", d.name_te),
        "address": format!("{}, {} mandal, {} district", v.name, m.name, d.name),
    });
    (v.name.to_owned(), v.name_te.to_owned(), office)
}

fn society(key: &str, rng: &mut Rng) -> Option<Value> {
    let year: i64 = key.split_once('/')?.1.parse().ok()?;
    if !(1960..=this_year()).contains(&year) {
        return None;
    }
    let (place, place_te, office) = registrar(rng);
    let kinds = [
        ("Educational Society", "విద్యా సంఘం", "educational"),
        ("Welfare Association", "సంక్షేమ సంఘం", "welfare"),
        ("Charitable Trust Society", "ధార్మిక సంఘం", "charitable"),
        ("Youth Association", "యువజన సంఘం", "youth"),
    ];
    let (kind, kind_te, purpose) = *rng.pick(&kinds);
    let (prefix, prefix_te) = *rng.pick(&[
        ("Sri Sai", "శ్రీ సాయి"),
        ("Jyothi", "జ్యోతి"),
        ("Vivekananda", "వివేకానంద"),
        ("Ambedkar", "అంబేద్కర్"),
        ("Sri Rama", "శ్రీ రామ"),
    ]);
    let filed = this_year() - if key == "245/2021" { 0 } else { rng.between(0, 3) as i64 };
    let status = if this_year() - filed <= 1 { "active" } else { "annual list of members not filed" };
    let (president, secretary) = (seed::person(rng), seed::person(rng));
    Some(join([
        office,
        json!({
            "reg_no": key, "name": format!("{prefix} {place} {kind}"), "name_te": format!("{prefix_te} {place_te} {kind_te}"),
            "purpose": purpose, "registered_on": calendar::iso(day_in(rng, year, calendar::today())), "members": rng.between(7, 60),
            "president": president.0, "secretary": secretary.0, "last_filed": filed.to_string(), "status": status,
            "status_te": if status == "active" { "అమలులో ఉంది" } else { "సభ్యుల వార్షిక జాబితా దాఖలు కాలేదు" },
            "status_hi": if status == "active" { "सक्रिय" } else { "सदस्यों की वार्षिक सूची दाखिल नहीं" },
        }),
    ]))
}

fn firm(key: &str, rng: &mut Rng) -> Option<Value> {
    let year: i64 = key.split_once('/')?.1.parse().ok()?;
    if !(1960..=this_year()).contains(&year) {
        return None;
    }
    let (place, _, office) = registrar(rng);
    let trade = *rng.pick(&["Traders", "Rice Mill", "Constructions", "Agencies", "Textiles", "Aqua Farms"]);
    let partners: Vec<String> = (0..rng.between(2, 4)).map(|_| seed::person(rng).0).collect();
    let surname = partners[0].rsplit(' ').next().unwrap_or("Sri").to_owned();
    let status = if key == "412/2022" || rng.below(8) > 0 { "registered" } else { "dissolved" };
    Some(join([
        office,
        json!({
            "reg_no": key, "name": format!("{surname} {trade}, {place}"), "business": trade,
            "registered_on": calendar::iso(day_in(rng, year, calendar::today())), "partners": partners.join(", "), "partner_count": partners.len(),
            "status": status, "status_te": if status == "registered" { "నమోదై ఉంది" } else { "రద్దయింది" },
            "status_hi": if status == "registered" { "पंजीकृत" } else { "भंग" },
        }),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, posted};

    #[test]
    fn examples_are_found_and_carry_every_field_read() {
        examples_serve_the_definitions("registration", REGISTERS, "no such key!");
    }

    #[test]
    fn examples_are_on_the_happy_path_in_any_typed_form() {
        let marriage = REGISTERS[0].lookup("hmr/1608/2023/245").unwrap().unwrap();
        assert_eq!(
            (marriage["registration_no"].as_str(), marriage["status"].as_str()),
            (Some("HMR-1608-2023-000245"), Some("registered"))
        );
        assert!(marriage["married_on"].as_str() < marriage["registered_on"].as_str());
        let doc = REGISTERS[1].lookup("Mangalagiri-4521 of 2019").unwrap().unwrap();
        assert_eq!(doc["status"], "registered");
        let txs = doc["transactions"].as_array().unwrap();
        assert_eq!(txs.len(), 3);
        assert!(txs.windows(2).all(|w| w[0]["date"].as_str() <= w[1]["date"].as_str()), "{txs:?}");
        for key in ["document_no", "date", "nature", "nature_te", "from", "from_te", "to", "to_te", "value"] {
            assert!(txs.iter().all(|t| !t[key].is_null()), "{key}");
        }
        assert_eq!(REGISTERS[2].lookup("nidamarru : 123/2a").unwrap().unwrap()["village"], "Nidamarru");
        assert_eq!(REGISTERS[2].lookup("నిడమర్రు:123/2A").unwrap().unwrap()["survey_no"], "123/2A");
        assert_eq!(REGISTERS[2].lookup("Hyderabad:12").unwrap(), None);
        assert_eq!(REGISTERS[4].lookup("245 of 2021").unwrap().unwrap()["status"], "active");
        assert_eq!(REGISTERS[5].lookup("412-2022").unwrap().unwrap()["status"], "registered");
        assert_eq!(REGISTERS[1].lookup("hyderabad-12/2020").unwrap_err(), axum::http::StatusCode::BAD_REQUEST);
    }

    #[test]
    fn slots_are_booked_on_working_days_within_a_month() {
        let take = REGISTERS[3].submit.unwrap();
        let mut rng = Rng::for_key("t");
        let today = calendar::today();
        let working = (1..8).map(|n| today + n).find(|d| (d + 3).rem_euclid(7) != 6).unwrap();
        let sunday = (1..8).map(|n| today + n).find(|d| (d + 3).rem_euclid(7) == 6).unwrap();
        let body = |day: i64| json!({"sro": "mangalagiri", "date": calendar::iso(day), "session": "morning", "nature": "sale"});
        assert_eq!(posted("registration", REGISTERS, "slots", body(working))["accepted"], true);
        assert_eq!(take(&body(sunday), &mut rng).unwrap()["accepted"], false);
        assert_eq!(take(&body(today + 45), &mut rng).unwrap()["accepted"], false);
        assert!(take(&json!({"sro": "hyderabad", "date": "2030-01-01", "session": "morning"}), &mut rng).is_err());
        // 2027-01-03 was a Sunday.
        assert_eq!((calendar::days_from_civil(2027, 1, 3) + 3).rem_euclid(7), 6);
    }
}
