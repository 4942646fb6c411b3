//! The Fisheries department's systems: the register of fishermen (biometric
//! ID cards), the fishing-ban relief (Matsyakara Bharosa) payments, the
//! register of fishing boats with their diesel subsidy, and group accident
//! insurance claims.
//!
//! Example keys (always registered, on the happy path of the definitions):
//! - `fishermen`: `FID-30418805` (an active card, insured);
//! - `ban-relief`: `FID-30418805` (this year's relief paid);
//! - `boats`: `IND-AP-VS-MM-2041` (a mechanised boat, licence valid);
//! - `insurance-claims`: `FAI-2026-000384` (settled).
//!
//! `POST /insurance-claims` takes a new claim `{"fisher_id", "kind",
//! "incident_date", "nominee_aadhaar"}` and answers whether the fisherman
//! is registered and insured (`FID-30418805` is).

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{Words, day, join, place_fields, words};
use crate::registers::{self, Register, compact, dashed, numbered};
use crate::seed::{self, DISTRICTS, Rng, calendar};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register { name: "fishermen", key: fisher_id, examples: &["FID-30418805"], make: fisherman, submit: None },
    Register { name: "ban-relief", key: fisher_id, examples: &["FID-30418805"], make: ban_relief, submit: None },
    Register { name: "boats", key: boat_number, examples: &["IND-AP-VS-MM-2041"], make: boat, submit: None },
    Register {
        name: "insurance-claims",
        key: |t| numbered(t, "FAI", 6, 2015..=2030),
        examples: &["FAI-2026-000384"],
        make: insurance_claim,
        submit: Some(file_claim),
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// A fisherman's ID card, `FID-` and eight digits.
fn fisher_id(typed: &str) -> Option<String> {
    dashed(typed, "FID", 8)
}

/// A boat's registration, `IND-AP-`, a port code, `MM`/`MO`/`NM` (mechanised, motorised,
/// non-motorised) and four digits.
fn boat_number(typed: &str) -> Option<String> {
    let compact = compact(typed);
    let rest = compact.strip_prefix("INDAP")?;
    let (port, rest) = (rest.get(..2)?, rest.get(2..)?);
    let (kind, serial) = (rest.get(..2)?, rest.get(2..)?);
    let shaped = port.bytes().all(|b| b.is_ascii_uppercase())
        && ["MM", "MO", "NM"].contains(&kind)
        && serial.len() == 4
        && serial.bytes().all(|b| b.is_ascii_digit());
    shaped.then(|| format!("IND-AP-{port}-{kind}-{serial}"))
}

/// A village of the seeded coastal districts, as record fields.
fn place(rng: &mut Rng) -> Value {
    let coastal: Vec<_> = DISTRICTS
        .iter()
        .filter(|d| ["Visakhapatnam", "East Godavari", "Guntur", "Tirupati"].contains(&d.name))
        .collect();
    let d = *rng.pick(&coastal);
    let m = rng.pick(d.mandals);
    place_fields((d, m, rng.pick(m.villages)))
}

const CRAFTS: &[Words] = &[
    ("mechanised", "Mechanised boat crew", "మెకనైజ్డ్ బోటు", "यंत्रीकृत नाव"),
    ("motorised", "Motorised boat", "మోటారు బోటు", "मोटर नाव"),
    ("motorised", "Motorised boat", "మోటారు బోటు", "मोटर नाव"),
    ("traditional", "Traditional craft (teppa)", "సంప్రదాయ తెప్ప", "पारंपरिक नाव"),
];

fn fisherman(key: &str, rng: &mut Rng) -> Option<Value> {
    let (name, name_te) = seed::person(rng);
    let craft = *rng.pick(CRAFTS);
    let issued = -(rng.between(100, 2100) as i64);
    let valid = issued + 5 * 365;
    let status: Words = if valid >= 0 {
        ("active", "Active", "చెల్లుబాటులో ఉంది", "सक्रिय")
    } else {
        (
            "expired",
            "Expired; renew at the Fisheries Development Officer",
            "గడువు ముగిసింది; ఎఫ్‌డీఓ వద్ద పునరుద్ధరించండి",
            "समाप्त; मत्स्य विकास अधिकारी से नवीनीकरण कराएं",
        )
    };
    let where_ = place(rng);
    let society = format!("Fishermen Co-operative Society, {}", where_["village"].as_str().unwrap_or(""));
    Some(join([
        where_,
        words("craft", craft),
        words("status", status),
        json!({
            "card": key, "name": name, "name_te": name_te, "dob": day(-(rng.between(22, 58) as i64) * 365 - rng.between(0, 364) as i64),
            "society": society, "issued_on": day(issued), "valid_until": day(valid),
            "insured": rng.below(8) > 0, "blood_group": *rng.pick(&["O+", "B+", "A+", "AB+", "O-"]),
        }),
    ]))
}

const RELIEF_STATUS: &[Words] = &[
    ("paid", "Paid", "చెల్లించారు", "भुगतान हो गया"),
    ("paid", "Paid", "చెల్లించారు", "भुगतान हो गया"),
    ("paid", "Paid", "చెల్లించారు", "भुगतान हो गया"),
    ("verification", "Under verification by the FDO", "ఎఫ్‌డీఓ పరిశీలనలో ఉంది", "मत्स्य विकास अधिकारी सत्यापन में"),
    ("not-eligible", "Not eligible", "అర్హత లేదు", "पात्र नहीं"),
];

const RELIEF_REASONS: &[(&str, &str, &str)] = &[
    ("a family member pays income tax", "కుటుంబ సభ్యులు ఆదాయపు పన్ను చెల్లిస్తున్నారు", "परिवार का सदस्य आयकर देता है"),
    ("not in the society's list of active fishermen", "సొసైటీ క్రియాశీల మత్స్యకారుల జాబితాలో లేరు", "समिति की सक्रिय मछुआरा सूची में नहीं"),
    ("the Aadhaar is not linked to the bank account", "బ్యాంకు ఖాతాకు ఆధార్ అనుసంధానం లేదు", "बैंक खाते से आधार लिंक नहीं"),
];

/// This year's relief of the fisherman whose card is `key` (none for a card not registered).
fn ban_relief(key: &str, rng: &mut Rng) -> Option<Value> {
    let card = REGISTERS[0].lookup(key).ok().flatten()?;
    let status = *rng.pick(RELIEF_STATUS);
    let (reason, reason_te, reason_hi) =
        if status.0 == "not-eligible" { *rng.pick(RELIEF_REASONS) } else { ("", "", "") };
    let year = calendar::civil_from_days(calendar::today() - 170).0;
    let paid = calendar::days_from_civil(year, 6, rng.between(1, 28) as u32).min(calendar::today() - 1);
    Some(join([
        words("status", status),
        json!({
            "card": key, "name": card["name"], "name_te": card["name_te"], "village": card["village"],
            "village_te": card["village_te"], "mandal": card["mandal"], "district": card["district"],
            "year": year.to_string(),
            "ban_period": format!("15 April to 14 June {year}"),
            "ban_period_te": format!("{year} ఏప్రిల్ 15 నుంచి జూన్ 14"),
            "ban_period_hi": format!("15 अप्रैल से 14 जून {year}"), "amount": 20_000,
            "paid_on": if status.0 == "paid" { calendar::iso(paid) } else { String::new() },
            "account": format!("{} ****{:04}", rng.pick(&["State Bank of India", "Union Bank of India", "Indian Bank"]), rng.below(10_000)),
            "reason_en": reason, "reason_te": reason_te, "reason_hi": reason_hi,
        }),
    ]))
}

const HARBOURS: &[(&str, &str)] = &[
    ("Visakhapatnam Fishing Harbour", "విశాఖపట్నం ఫిషింగ్ హార్బర్"),
    ("Kakinada Fishing Harbour", "కాకినాడ ఫిషింగ్ హార్బర్"),
    ("Nizampatnam Fishing Harbour", "నిజాంపట్నం ఫిషింగ్ హార్బర్"),
    ("Machilipatnam Fishing Harbour", "మచిలీపట్నం ఫిషింగ్ హార్బర్"),
];

fn boat(key: &str, rng: &mut Rng) -> Option<Value> {
    let (owner, owner_te) = seed::person(rng);
    let kind = &key[10..12];
    let (kind_en, kind_te, length, hp, quota) = match kind {
        "MM" => ("Mechanised trawler", "మెకనైజ్డ్ ట్రాలర్", rng.between(90, 160) as f64 / 10.0, rng.between(90, 180), 3_000),
        "MO" => ("Motorised boat", "మోటారు బోటు", rng.between(70, 110) as f64 / 10.0, rng.between(9, 25), 300),
        _ => ("Non-motorised craft", "మోటారు లేని తెప్ప", rng.between(50, 80) as f64 / 10.0, 0, 0),
    };
    let (harbour, harbour_te) = match &key[7..9] {
        "VS" => HARBOURS[0],
        "KK" => HARBOURS[1],
        "NZ" => HARBOURS[2],
        "MP" => HARBOURS[3],
        _ => *rng.pick(HARBOURS),
    };
    let licence_until = rng.between(0, 330) as i64 - 30;
    let licence: Words = if licence_until >= 0 {
        ("valid", "Fishing licence valid", "చేపల వేట లైసెన్సు చెల్లుబాటులో ఉంది", "मछली पकड़ने का लाइसेंस वैध")
    } else {
        (
            "expired",
            "Fishing licence expired; renew it",
            "లైసెన్సు గడువు ముగిసింది; పునరుద్ధరించండి",
            "लाइसेंस समाप्त; नवीनीकरण कराएं",
        )
    };
    let months_paid = rng.between(1, 8);
    Some(join([
        place(rng),
        words("status", licence),
        json!({
            "registration": key, "owner": owner, "owner_te": owner_te,
            "boat_name": format!("Sri {}", rng.pick(&["Durga", "Venkateswara", "Satyanarayana", "Ganga", "Polamamba"])),
            "kind": kind_en, "kind_te": kind_te, "length_m": length, "engine_hp": hp, "harbour": harbour,
            "harbour_te": harbour_te, "registered_on": day(-(rng.between(200, 4000) as i64)),
            "licence_valid_until": day(licence_until), "diesel_quota_litres": quota, "subsidy_per_litre": 9,
            "subsidy_paid": quota * 9 * months_paid, "subsidy_months": months_paid,
            "diesel_bunk": format!("{} (HPCL)", harbour),
        }),
    ]))
}

const CLAIM_STATUS: &[Words] = &[
    ("received", "Received; documents being checked", "అందింది; పత్రాల పరిశీలన", "प्राप्त; दस्तावेज़ जांच में"),
    ("with-insurer", "Sent to the insurance company", "బీమా సంస్థకు పంపారు", "बीमा कंपनी को भेजा गया"),
    ("settled", "Settled", "పరిష్కరించారు; చెల్లింపు జరిగింది", "निपटान हो गया"),
    ("settled", "Settled", "పరిష్కరించారు; చెల్లింపు జరిగింది", "निपटान हो गया"),
];

const KINDS: &[(&str, &str, &str, &str, u64)] = &[
    ("death", "Death at sea", "సముద్రంలో మరణం", "समुद्र में मृत्यु", 500_000),
    ("permanent", "Permanent total disability", "శాశ్వత పూర్తి అంగవైకల్యం", "स्थायी पूर्ण विकलांगता", 500_000),
    ("partial", "Permanent partial disability", "శాశ్వత పాక్షిక అంగవైకల్యం", "स्थायी आंशिक विकलांगता", 250_000),
];

fn insurance_claim(key: &str, rng: &mut Rng) -> Option<Value> {
    let (fisherman, fisherman_te) = seed::person(rng);
    let (nominee, nominee_te) = seed::person(rng);
    let (kind, kind_en, kind_te, kind_hi, amount) = *rng.pick(KINDS);
    let status = *rng.pick(CLAIM_STATUS);
    let incident = -(rng.between(40, 300) as i64);
    Some(join([
        place(rng),
        words("status", status),
        json!({
            "number": key, "fisherman": fisherman, "fisherman_te": fisherman_te, "nominee": nominee,
            "nominee_te": nominee_te, "kind": kind, "kind_en": kind_en, "kind_te": kind_te, "kind_hi": kind_hi,
            "amount": amount, "incident_on": day(incident), "filed_on": day(incident + rng.between(3, 20) as i64),
            "settled_on": if status.0 == "settled" { day(incident + rng.between(30, 38) as i64) } else { String::new() },
            "insurer": "Oriental Insurance Co. (Group Accident Insurance for fishermen)",
        }),
    ]))
}

/// A new accident claim: its number, and whether the fisherman is registered and insured.
fn file_claim(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let typed = body["fisher_id"].as_str().ok_or("fisher_id is required")?;
    let kind = body["kind"].as_str().and_then(|k| KINDS.iter().find(|c| c.0 == k)).ok_or("kind is not known")?;
    let card = REGISTERS[0].lookup(typed).map_err(|_| "fisher_id is not an ID card number")?;
    let insured = card.as_ref().is_some_and(|c| c["insured"] == true && c["status"] == "active");
    let year = calendar::civil_from_days(calendar::today()).0;
    Ok(json!({
        "number": format!("FAI-{year}-{:06}", rng.between(1_000, 99_999)), "registered": card.is_some(),
        "insured": insured, "cover": if insured { kind.4 } else { 0 },
        "name": card.as_ref().and_then(|c| c["name"].as_str()).unwrap_or(""), "received_on": day(0),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found, posted, refused};

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        examples_serve_the_definitions("fisheries", REGISTERS, "12-AB");
        let body = json!({"fisher_id": "FID-30418805", "kind": "death", "incident_date": day(-3),
                          "nominee_aadhaar": "381245679035"});
        let record = posted("fisheries", REGISTERS, "insurance-claims", body);
        assert_eq!((&record["registered"], &record["insured"]), (&json!(true), &json!(true)), "{record}");
    }

    #[test]
    fn examples_are_on_the_happy_path() {
        let get = |name: &str, key: &str| found(REGISTERS, name, key);
        let card = get("fishermen", "fid 3041 8805");
        assert_eq!((card["status"].as_str(), card["insured"].as_bool()), (Some("active"), Some(true)));
        assert_eq!(get("ban-relief", "FID-30418805")["status"], "paid");
        let boat = get("boats", "ind ap vs mm 2041");
        assert_eq!(
            (boat["status"].as_str(), boat["registration"].as_str()),
            (Some("valid"), Some("IND-AP-VS-MM-2041"))
        );
        assert_eq!(get("insurance-claims", "FAI-2026-000384")["status"], "settled");
    }

    #[test]
    fn malformed_keys_and_claims_are_refused() {
        refused(REGISTERS, &[("boats", "IND-AP-VS-XX-2041")]);
        let mut rng = Rng::for_key("x");
        assert!(file_claim(&json!({"fisher_id": "FID-1", "kind": "death"}), &mut rng).is_err());
        assert!(file_claim(&json!({"fisher_id": "FID-30418805", "kind": "theft"}), &mut rng).is_err());
    }
}
