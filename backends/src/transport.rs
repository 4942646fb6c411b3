//! The Transport department's systems: Sarathi (driving licences and
//! learner's licence test slots), Vahan (vehicle registrations with their
//! tax, permit and fitness), the e-challan register, ownership transfers in
//! progress and high-security number plate (HSRP) orders.
//!
//! Registers and their examples (kept by the tests below):
//! - `licences/{AP1620070012345}` (state, RTO code, year of issue, serial):
//!   `AP1620070045861` is active and falls due for renewal within the year
//!   (status, extract, renewal, duplicate); `AP3920210104562` is active for
//!   many years.
//! - `vehicles/{AP39AB1234}`: `AP39TB4820` is a goods carrier with a valid
//!   permit and fitness and quarterly tax (permit, fitness certificate, tax);
//!   `AP16BY2727` is a private car (details, lifetime tax, duplicate RC).
//! - `challans/{registration}`: `AP16BY2727` and `AP39TB4820` have challans pending.
//! - `transfers/{registration}`: `AP16BY2727` is being transferred to a buyer.
//! - `hsrp/{registration}`: `AP16BY2727` has a plate order.
//! - `POST /learner-slots` books a learner's licence test (`aadhaar`,
//!   `class`, `rto`, `date`); a Sunday is refused with the next free day.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{day_in, join, person_who, said, stage_fields, years_after};
use crate::registers::{self, Register, Rng, digits_key, plain_key};
use crate::seed::calendar::{civil_from_days, days_from_civil, iso, parse_date, today};
use crate::seed::{self, District};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "licences",
        key: licence_key,
        examples: &["AP1620070045861", "AP3920210104562"],
        make: licence,
        submit: None,
    },
    Register {
        name: "vehicles",
        key: vehicle_key,
        examples: &["AP39TB4820", "AP16BY2727"],
        make: vehicle,
        submit: None,
    },
    Register {
        name: "challans",
        key: vehicle_key,
        examples: &["AP16BY2727", "AP39TB4820"],
        make: challans,
        submit: None,
    },
    Register { name: "transfers", key: vehicle_key, examples: &["AP16BY2727"], make: transfer, submit: None },
    Register { name: "hsrp", key: vehicle_key, examples: &["AP16BY2727"], make: hsrp, submit: None },
    Register { name: "learner-slots", key: |_| None, examples: &[], make: |_, _| None, submit: Some(book_slot) },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// RTO codes of the seeded districts' offices; `AP39` is the state-wide
/// series since 2019, its vehicles and licences filed at any office.
const OFFICES: &[(&str, &str, &str, &str)] = &[
    ("AP16", "NTR", "RTA Vijayawada", "ఆర్టీఏ విజయవాడ"),
    ("AP07", "Guntur", "RTA Guntur", "ఆర్టీఏ గుంటూరు"),
    ("AP03", "Tirupati", "RTA Tirupati", "ఆర్టీఏ తిరుపతి"),
    ("AP31", "Visakhapatnam", "RTA Visakhapatnam", "ఆర్టీఏ విశాఖపట్నం"),
    ("AP21", "Kurnool", "RTA Kurnool", "ఆర్టీఏ కర్నూలు"),
    ("AP05", "East Godavari", "RTA Rajamahendravaram", "ఆర్టీఏ రాజమహేంద్రవరం"),
];

/// The office of an RTO code (any office for `AP39` and codes of other districts).
fn office(code: &str, rng: &mut Rng) -> (&'static District, &'static str, &'static str) {
    let found = OFFICES.iter().find(|o| o.0 == code).copied().unwrap_or_else(|| *rng.pick(OFFICES));
    let district = seed::district(found.1).unwrap_or(&seed::DISTRICTS[0]);
    (district, found.2, found.3)
}

/// A DL number: `AP` + two-digit RTO code + four-digit year of issue + seven-digit serial.
fn licence_key(typed: &str) -> Option<String> {
    let key = plain_key(typed, 15, 20)?.replace(['-', '/'], "");
    let shaped = key.len() == 15 && key[..2].bytes().all(|b| b.is_ascii_uppercase());
    (shaped && key[2..].bytes().all(|b| b.is_ascii_digit())).then_some(key)
}

fn licence(key: &str, rng: &mut Rng) -> Option<Value> {
    let year: i64 = key[4..8].parse().ok()?;
    let (this_year, ..) = civil_from_days(today());
    if !key.starts_with("AP") || !(1989..=this_year).contains(&year) {
        return None;
    }
    let issued = day_in(rng, year, today() - 30);
    let born = years_after(issued, -(rng.between(18, 40) as i64)) - rng.below(365) as i64;
    let (district, rto, rto_te) = office(&key[..4], rng);
    let (holder, holder_te) = seed::person(rng);
    let (father, _) = person_who(rng, false);
    // Non-transport licences run 20 years (to the age of 50) and are renewed
    // for 10: where one stands today (lapsed, due within the year, or valid).
    let till = match rng.below(10) {
        0 => today() - rng.between(1, 900) as i64,
        1 | 2 => today() + rng.below(366) as i64,
        _ => today() + rng.between(366, 7_000) as i64,
    }
    .max(issued + 365);
    let status = if rng.below(25) == 0 {
        "suspended"
    } else if till < today() {
        "expired"
    } else {
        "active"
    };
    let classes = *rng.pick(&["MCWG", "MCWG, LMV", "MCWG, LMV", "LMV", "MCWG, LMV, TRANS"]);
    Some(json!({
        "dl_number": key,
        "holder": holder,
        "holder_te": holder_te,
        "father": father,
        "dob": iso(born),
        "blood_group": rng.pick(&["O+", "B+", "A+", "AB+", "O-", "B-"]),
        "classes": classes,
        "issued_on": iso(issued),
        "valid_till": iso(till),
        "status": status,
        "state": match status {
            "active" => said(["Valid", "చెల్లుబాటులో ఉంది", "मान्य"]),
            "expired" => said(["Expired", "గడువు ముగిసింది", "समाप्त"]),
            _ => said(["Suspended", "సస్పెండ్ అయింది", "निलंबित"]),
        },
        "rto": rto,
        "rto_te": rto_te,
        "district": district.name,
        "address": format!("{}, {} Mandal, {} District", rng.pick(district.mandals[0].villages).name, district.mandals[0].name, district.name),
    }))
}

/// A registration number like `AP39AB1234`: state, two-digit RTO code, one to three series letters, four digits.
fn vehicle_key(typed: &str) -> Option<String> {
    let key = plain_key(typed, 8, 14)?.replace(['-', '/'], "");
    let b = key.as_bytes();
    let letters = b.len().checked_sub(8)?;
    let shaped = (1..=3).contains(&letters)
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b[4..4 + letters].iter().all(u8::is_ascii_uppercase)
        && b[4 + letters..].iter().all(u8::is_ascii_digit);
    shaped.then_some(key)
}

/// Maker, model, class, transport vehicle, fuel, quarterly tax (₹, transport only).
const MODELS: &[(&str, &str, &str, bool, &str, u64)] = &[
    ("HERO MOTOCORP LTD", "SPLENDOR PLUS", "Motor Cycle (2WN)", false, "Petrol", 0),
    ("HONDA MOTORCYCLE AND SCOOTER INDIA", "ACTIVA 6G", "Scooter (2WN)", false, "Petrol", 0),
    ("TVS MOTOR COMPANY LTD", "XL100 HEAVY DUTY", "Moped (2WN)", false, "Petrol", 0),
    ("MARUTI SUZUKI INDIA LTD", "SWIFT VXI", "Motor Car (LMV)", false, "Petrol", 0),
    ("HYUNDAI MOTOR INDIA LTD", "CRETA SX", "Motor Car (LMV)", false, "Diesel", 0),
    ("TATA MOTORS LTD", "NEXON EV", "Motor Car (LMV)", false, "Electric", 0),
    ("PIAGGIO VEHICLES PVT LTD", "APE CITY", "Auto Rickshaw (3WT)", true, "Diesel", 465),
    ("TATA MOTORS LTD", "ACE GOLD", "Goods Carrier (LGV)", true, "Diesel", 1_890),
    ("MAHINDRA AND MAHINDRA LTD", "BOLERO PICKUP", "Goods Carrier (LGV)", true, "Diesel", 2_340),
    ("ASHOK LEYLAND LTD", "ECOMET 1615", "Goods Carrier (HGV)", true, "Diesel", 8_910),
    ("TOYOTA KIRLOSKAR MOTOR", "INNOVA CRYSTA", "Maxi Cab", true, "Diesel", 4_250),
];

/// Permit type and area for a transport vehicle's class.
fn permit_of(class: &str, district: &str) -> (&'static str, String) {
    match class {
        "Auto Rickshaw (3WT)" => ("Auto Rickshaw (contract carriage)", format!("{district} district")),
        "Maxi Cab" => ("Tourist contract carriage", "Andhra Pradesh and neighbouring states".to_owned()),
        "Goods Carrier (HGV)" => ("National permit (goods)", "All India".to_owned()),
        _ => ("State goods carriage permit", "Andhra Pradesh".to_owned()),
    }
}

fn vehicle(key: &str, rng: &mut Rng) -> Option<Value> {
    if !key.starts_with("AP") {
        return None;
    }
    let statewide = key.starts_with("AP39");
    let registered = if statewide {
        today() - rng.between(60, 2_000) as i64
    } else {
        days_from_civil(2019, 3, 31) - rng.between(30, 4_000) as i64
    };
    let (district, rto, rto_te) = office(&key[..4], rng);
    let (maker, model, class, transport, fuel, quarterly) = *rng.pick(MODELS);
    let (owner, owner_te) = seed::person(rng);
    let mandal = rng.pick(district.mandals);
    // Transport vehicles: fitness for two years at a time, tax paid by the
    // quarter (some quarters in arrears), permit for five years.
    let fitness_upto = if transport { today() + rng.between(30, 700) as i64 } else { years_after(registered, 15) };
    let tax_upto = if transport {
        today() - 90 * rng.below(3) as i64 + rng.between(1, 88) as i64
    } else {
        years_after(registered, 15)
    };
    let quarters_due = if transport && tax_upto < today() { (today() - tax_upto) / 91 + 1 } else { 0 };
    let (permit_type, area) = if transport { permit_of(class, district.name) } else { ("", String::new()) };
    let permit_from = today() - rng.between(100, 1_500) as i64;
    Some(json!({
        "reg_no": key,
        "owner": owner,
        "owner_te": owner_te,
        "maker": maker,
        "model": model,
        "vehicle_class": class,
        "transport": transport,
        "fuel": fuel,
        "colour": rng.pick(&["WHITE", "SILVER", "BLACK", "RED", "GREY", "BLUE"]),
        "chassis": format!("MA{}XXXXXX{:05}", rng.pick(&["1", "3", "L", "T"]), rng.below(100_000)),
        "registered_on": iso(registered),
        "rc_valid_till": iso(years_after(registered, 15)),
        "rto": rto,
        "rto_te": rto_te,
        "district": district.name,
        "address": format!("{}, {} Mandal, {} District", rng.pick(mandal.villages).name, mandal.name, district.name),
        "insurer": rng.pick(&["New India Assurance", "United India Insurance", "ICICI Lombard", "Bajaj Allianz"]),
        "insurance_upto": iso(today() + rng.between(20, 360) as i64),
        "puc_upto": iso(today() + rng.between(10, 180) as i64),
        "hypothecation": if rng.below(3) == 0 { *rng.pick(&["State Bank of India", "Shriram Finance", "HDFC Bank"]) } else { "None" },
        "fitness_upto": iso(fitness_upto),
        "tax_mode": if transport { "Quarterly" } else { "Lifetime" },
        "tax_paid_upto": iso(tax_upto),
        "quarterly_tax": quarterly,
        "tax_due": quarterly * quarters_due as u64,
        "permit_no": if transport { format!("{}/{}/{:05}", &key[..4], civil_from_days(permit_from).0, rng.below(100_000)) } else { String::new() },
        "permit_type": permit_type,
        "permit_area": area,
        "permit_valid_till": iso(years_after(permit_from, 5)),
        "blacklisted": rng.below(40) == 0,
    }))
}

/// Offence (en, te, hi) and fine (₹) under the Motor Vehicles Act as booked by AP Police e-challan.
const OFFENCES: &[(&str, &str, &str, u64)] = &[
    ("Riding without helmet", "హెల్మెట్ లేకుండా నడపడం", "बिना हेलमेट", 1_035),
    ("Jumping red signal", "రెడ్ సిగ్నల్ దాటడం", "लाल बत्ती पार करना", 1_000),
    ("Over speeding", "అతివేగం", "तेज़ रफ़्तार", 1_000),
    ("Wrong side driving", "రాంగ్ సైడ్ డ్రైవింగ్", "गलत दिशा में चलाना", 1_500),
    ("Driving without seat belt", "సీటు బెల్టు లేకుండా నడపడం", "बिना सीट बेल्ट", 1_000),
    ("Using mobile phone while driving", "నడుపుతూ ఫోన్ మాట్లాడటం", "चलाते समय मोबाइल", 1_500),
    ("No parking", "నో పార్కింగ్", "नो पार्किंग", 535),
    ("Triple riding", "ముగ్గురు ప్రయాణం (ట్రిపుల్ రైడింగ్)", "तीन सवारी", 1_200),
];

fn challans(key: &str, rng: &mut Rng) -> Option<Value> {
    let vehicle = REGISTERS[1].lookup(key).ok()??;
    let district = seed::district(vehicle["district"].as_str().unwrap_or("NTR")).unwrap_or(&seed::DISTRICTS[0]);
    let mandal = rng.pick(district.mandals);
    let pending = *rng.pick(&[0, 0, 1, 1, 2, 3]);
    let (offence, offence_te, offence_hi, fine) = *rng.pick(OFFENCES);
    let total = fine * pending + (pending.saturating_sub(1)) * rng.pick(OFFENCES).3;
    Some(json!({
        "reg_no": key,
        "owner": vehicle["owner"],
        "pending": pending,
        "total": total,
        "paid": rng.below(6),
        "latest_offence": said([offence, offence_te, offence_hi]),
        "latest_place": format!("{}, {}", mandal.name, district.name),
        "latest_place_te": format!("{}, {}", mandal.name_te, district.name_te),
        "latest_on": iso(today() - rng.between(3, 200) as i64),
        "latest_fine": fine,
    }))
}

/// Stages of an ownership transfer on Vahan: id, en, te, hi.
const TRANSFER_STAGES: &[[&str; 4]] = &[
    ["verification", "Documents under verification at the RTO", "ఆర్టీఓలో పత్రాల పరిశీలన", "आरटीओ में दस्तावेज़ों की जाँच"],
    ["approval", "Verified; awaiting the RTO's approval", "పరిశీలన పూర్తి; ఆర్టీఓ ఆమోదం కోసం", "जाँच पूरी; आरटीओ की मंज़ूरी बाकी"],
    ["printing", "Approved; new RC card being printed", "ఆమోదించారు; కొత్త ఆర్సీ కార్డు ముద్రణలో", "मंज़ूर; नया आरसी कार्ड छप रहा है"],
    ["dispatched", "New RC sent to the buyer by Speed Post", "కొత్త ఆర్సీ స్పీడ్ పోస్ట్‌లో పంపారు", "नया आरसी स्पीड पोस्ट से भेजा गया"],
    [
        "objection",
        "On hold: bank NOC (Form 35) not uploaded",
        "నిలిపారు: బ్యాంక్ ఎన్ఓసీ (ఫారం 35) లేదు",
        "रुका: बैंक एनओसी (फ़ॉर्म 35) नहीं लगी",
    ],
];

fn transfer(key: &str, rng: &mut Rng) -> Option<Value> {
    let vehicle = REGISTERS[1].lookup(key).ok()??;
    let (buyer, buyer_te) = seed::person(rng);
    let stage = *rng.pick(TRANSFER_STAGES);
    let applied = today() - rng.between(4, 40) as i64;
    Some(join([
        json!({
            "reg_no": key,
            "application_no": format!("AP{}{:08}", iso(applied)[2..4].to_owned(), rng.below(100_000_000)),
            "seller": vehicle["owner"],
            "seller_te": vehicle["owner_te"],
            "buyer": buyer,
            "buyer_te": buyer_te,
            "applied_on": iso(applied),
            "expected_by": iso(applied + 30),
            "rto": vehicle["rto"],
        }),
        stage_fields(stage),
    ]))
}

fn hsrp(key: &str, rng: &mut Rng) -> Option<Value> {
    let vehicle = REGISTERS[1].lookup(key).ok()??;
    let district = vehicle["district"].as_str().unwrap_or("NTR");
    let ordered = today() - rng.between(2, 60) as i64;
    let fitment = ordered + rng.between(7, 21) as i64;
    let status = if fitment < today() {
        said(["Plates fitted", "ప్లేట్లు బిగించారు", "प्लेटें लग गईं"])
    } else if rng.below(2) == 0 {
        said(["Plates reached the dealer", "ప్లేట్లు డీలర్ వద్దకు వచ్చాయి", "प्लेटें डीलर के पास पहुँचीं"])
    } else {
        said(["Plates being embossed", "ప్లేట్ల తయారీ జరుగుతోంది", "प्लेटें बन रही हैं"])
    };
    let make = vehicle["maker"].as_str().and_then(|m| m.split(' ').next()).unwrap_or("AUTO");
    let make = format!("{}{}", &make[..1], make[1..].to_lowercase());
    let dealer = format!("{} {make} Motors, {district}", rng.pick(&["Sri Sai", "Lakshmi", "Venkateswara", "Durga"]));
    Some(json!({
        "reg_no": key,
        "order_no": format!("HSRP{}", rng.between(10_000_000, 99_999_999)),
        "ordered_on": iso(ordered),
        "fitment_on": iso(fitment),
        "fitted": fitment < today(),
        "dealer": dealer,
        "status": status,
        "charges": if vehicle["vehicle_class"].as_str().is_some_and(|c| c.contains("2WN")) { 320 } else { 619 },
    }))
}

/// Books a learner's licence test slot: `aadhaar`, `class`, `rto`, `date` (YYYY-MM-DD).
fn book_slot(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let aadhaar = body["aadhaar"].as_str().and_then(|a| digits_key(a, 12)).ok_or("a 12-digit aadhaar is required")?;
    let class = body["class"].as_str().ok_or("class is required")?;
    let rto = body["rto"].as_str().ok_or("rto is required")?;
    let date = body["date"].as_str().and_then(parse_date).ok_or("date (YYYY-MM-DD) is required")?;
    let office = OFFICES
        .iter()
        .find(|o| o.2.to_ascii_lowercase().ends_with(&rto.replace('-', " ")))
        .ok_or_else(|| format!("no RTO office {rto:?}"))?;
    // 1970-01-01 was a Thursday: (day + 3) % 7 is 6 on Sundays, when no test is held.
    let sunday = (date + 3).rem_euclid(7) == 6;
    let time = *rng.pick(&["09:30 AM", "10:30 AM", "11:30 AM", "02:30 PM", "03:30 PM"]);
    Ok(json!({
        "application_no": format!("LLR{}{:07}", &iso(today())[2..4], rng.below(10_000_000)),
        "aadhaar_masked": format!("XXXX XXXX {}", &aadhaar[8..]),
        "class": class,
        "rto": office.2,
        "rto_te": office.3,
        "available": !sunday,
        "date": iso(date),
        "next_free": iso(date + 1),
        "time": time,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{days_until, examples_serve_the_definitions, found, posted, refused};

    #[test]
    fn the_examples_exist_with_every_field_and_walk_the_happy_paths() {
        examples_serve_the_definitions("transport", REGISTERS, "12-AB");
        let due = found(REGISTERS, "licences", "AP16 2007 0045861");
        assert!(due["status"] == "active" && (0..=365).contains(&days_until(&due, "valid_till")), "{due}");
        let long = found(REGISTERS, "licences", "AP3920210104562");
        assert!(long["status"] == "active" && days_until(&long, "valid_till") > 365, "{long}");
        let goods = found(REGISTERS, "vehicles", "ap-39-tb-4820");
        assert!(goods["transport"] == true && goods["blacklisted"] == false, "{goods}");
        assert!(days_until(&goods, "fitness_upto") >= 0 && days_until(&goods, "permit_valid_till") >= 0, "{goods}");
        let car = found(REGISTERS, "vehicles", "AP16BY2727");
        assert!(
            car["transport"] == false && car["blacklisted"] == false && days_until(&car, "rc_valid_till") > 0,
            "{car}"
        );
        assert!(goods["tax_due"].as_u64() > Some(0), "{goods}");
        for key in ["AP16BY2727", "AP39TB4820"] {
            assert!(found(REGISTERS, "challans", key)["pending"].as_u64() > Some(0));
        }
        assert_ne!(found(REGISTERS, "transfers", "AP16BY2727")["status"], "objection");
    }

    #[test]
    fn malformed_keys_are_refused() {
        refused(REGISTERS, &[("licences", "AP16-2007"), ("licences", "AP16200700458X1")]);
        let bad = ["AP39", "39AB1234", "AP39ABCD1234", "AP3AB1234"].map(|key| ("vehicles", key));
        refused(REGISTERS, &bad);
        assert_eq!(REGISTERS[1].lookup("TS09AB1234"), Ok(None));
    }

    #[test]
    fn a_slot_is_booked_except_on_sundays() {
        // 2027-01-04 is a Monday, 2027-01-03 a Sunday.
        let body = |date: &str| json!({"aadhaar": "499118665246", "class": "lmv", "rto": "vijayawada", "date": date});
        let slot = posted("transport", REGISTERS, "learner-slots", body("2027-01-04"));
        assert_eq!((slot["available"].as_bool(), slot["rto"].as_str()), (Some(true), Some("RTA Vijayawada")));
        let take = REGISTERS[5].submit.unwrap_or_else(|| panic!("slots take posts"));
        assert_eq!(take(&body("2027-01-03"), &mut Rng::for_key("t")).map(|s| s["available"].clone()), Ok(json!(false)));
        assert!(take(&json!({"class": "lmv"}), &mut Rng::for_key("t")).is_err());
    }
}
