//! The Labour department's systems: the AP Building and Other Construction
//! Workers Welfare Board (worker registrations and welfare claims), the
//! Shops and Establishments register (AP Shops and Establishments Act, 1988),
//! the notified minimum wages, and the state's view of e-Shram.
//!
//! Registers and their examples (kept by the tests below):
//! - `bocw/{APBOC2019045678}` (year of registration, serial); `POST /bocw`
//!   registers a worker. `APBOC2021004512` is an active card due for renewal
//!   within 90 days, a member for years with no marriage gift claimed
//!   (status, renewal, death relief, marriage gift); `APBOC2025018830` is
//!   active for years.
//! - `claims/{CLM2026001234}`: `CLM2026004417`, a claim in progress.
//! - `establishments/{APSE2023012345}`; `POST /establishments` registers
//!   one. `APSE2023012345` is registered and valid.
//! - `wages/{category}`: `shops`, `construction`.
//! - `eshram/{UAN}` (12 digits): `100234567890`.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{day_in, join, said, somewhere, stage_fields, years_after};
use crate::registers::{self, Register, Rng, digits_key, district_of, prefixed};
use crate::seed;
use crate::seed::calendar::{civil_from_days, days_from_civil, iso, today};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "bocw",
        key: |t| prefixed(t, "APBOC", 10),
        examples: &["APBOC2021004512", "APBOC2025018830"],
        make: worker,
        submit: Some(register_worker),
    },
    Register {
        name: "claims",
        key: |t| prefixed(t, "CLM", 10),
        examples: &["CLM2026004417"],
        make: claim,
        submit: None,
    },
    Register {
        name: "establishments",
        key: |t| prefixed(t, "APSE", 10),
        examples: &["APSE2023012345"],
        make: establishment,
        submit: Some(register_establishment),
    },
    Register { name: "wages", key: category_key, examples: &["shops", "construction"], make: wages, submit: None },
    Register { name: "eshram", key: |t| digits_key(t, 12), examples: &["100234567890"], make: eshram, submit: None },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// The year in a numbered key, when it is a year records exist for.
fn year_of(key: &str, prefix: &str) -> Option<i64> {
    let year: i64 = key.get(prefix.len()..prefix.len() + 4)?.parse().ok()?;
    (2010..=civil_from_days(today()).0).contains(&year).then_some(year)
}

/// Where a record lives: district, mandal and village names (en, te).
fn place(rng: &mut Rng) -> Value {
    let (district, mandal, village) = somewhere(rng);
    json!({
        "district": district.name, "district_te": district.name_te,
        "mandal": mandal.name, "village": village.name, "village_te": village.name_te,
    })
}

/// Construction trades: id, en, te, hi.
const TRADES: &[[&str; 4]] = &[
    ["mason", "Mason", "తాపీ మేస్త్రీ", "राजमिस्त्री"],
    ["helper", "Construction helper", "నిర్మాణ కూలీ", "निर्माण मज़दूर"],
    ["carpenter", "Carpenter", "వడ్రంగి", "बढ़ई"],
    ["painter", "Painter", "పెయింటర్", "पेंटर"],
    ["electrician", "Electrician", "ఎలక్ట్రీషియన్", "बिजली मिस्त्री"],
    ["plumber", "Plumber", "ప్లంబర్", "प्लंबर"],
    ["bar-bender", "Bar bender", "సెంట్రింగ్/రాడ్ బెండర్", "सरिया बांधने वाला"],
    ["tiles", "Tiles and marble worker", "టైల్స్ పనివారు", "टाइल्स कारीगर"],
];

fn trade(id: &str) -> Option<&'static [&'static str; 4]> {
    TRADES.iter().find(|t| t[0] == id)
}

fn worker(key: &str, rng: &mut Rng) -> Option<Value> {
    let year = year_of(key, "APBOC")?;
    let registered = day_in(rng, year, today() - 20);
    // Registrations run five years and are renewed: where one stands today
    // (lapsed, due within 90 days, or valid for longer).
    let valid_till = match rng.below(10) {
        0 => today() - rng.between(1, 500) as i64,
        1 => today() + rng.below(91) as i64,
        _ => today() + rng.between(91, 1_800) as i64,
    }
    .max(registered + 365);
    let status = if rng.below(30) == 0 {
        "cancelled"
    } else if valid_till < today() {
        "lapsed"
    } else {
        "active"
    };
    let (name, name_te) = seed::person(rng);
    let (nominee, nominee_te) = seed::person(rng);
    let trade = rng.pick(TRADES);
    let born = registered - rng.between(19 * 365, 45 * 365) as i64;
    Some(join([
        json!({
            "card_no": key,
            "worker": name,
            "worker_te": name_te,
            "dob": iso(born),
            "trade": said([trade[1], trade[2], trade[3]]),
            "registered_on": iso(registered),
            "valid_till": iso(valid_till),
            "status": status,
            "state": match status {
                "active" => said(["Active", "చెల్లుబాటులో ఉంది", "सक्रिय"]),
                "lapsed" => said(["Lapsed: renew it", "గడువు ముగిసింది: రెన్యువల్ చేయండి", "समाप्त: नवीनीकरण कराएँ"]),
                _ => said(["Cancelled", "రద్దు చేశారు", "रद्द"]),
            },
            "nominee": nominee,
            "nominee_te": nominee_te,
            "nominee_relation": rng.pick(&["Spouse", "Son/daughter", "Parent"]),
            "bank_account": format!("XXXXXXX{:04}", rng.below(10_000)),
            "marriage_claims": *rng.pick(&[0, 0, 0, 1, 2]),
        }),
        place(rng),
    ]))
}

/// Registers a construction worker: `aadhaar`, `trade`, `district`, `days_worked`.
fn register_worker(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let aadhaar = body["aadhaar"].as_str().and_then(|a| digits_key(a, 12)).ok_or("a 12-digit aadhaar is required")?;
    let trade = body["trade"].as_str().and_then(trade).ok_or("a known trade is required")?;
    let district = body["district"].as_str().and_then(district_of).ok_or("a known district is required")?;
    // The 90 days of work the Act asks for are checked by the officer (and the service's rules).
    let days = body["days_worked"].as_f64().ok_or("days_worked is required")?;
    let (year, ..) = civil_from_days(today());
    Ok(json!({
        "acknowledgement": format!("APBOC{year}{:06}", rng.between(100_000, 999_999)),
        "aadhaar_masked": format!("XXXX XXXX {}", &aadhaar[8..]),
        "trade": said([trade[1], trade[2], trade[3]]),
        "office": format!("Assistant Labour Officer, {}", district.name),
        "days_worked": days,
        "status": "submitted",
        "submitted_on": iso(today()),
    }))
}

/// Welfare schemes a claim is made under: id, names (en, te, hi), relief (₹).
const SCHEMES: &[(&str, [&str; 3], u64)] = &[
    ("accidental-death", ["Accidental death relief", "ప్రమాద మరణ పరిహారం", "दुर्घटना मृत्यु सहायता"], 500_000),
    ("natural-death", ["Natural death relief", "సహజ మరణ సహాయం", "सामान्य मृत्यु सहायता"], 60_000),
    ("disability", ["Permanent disability relief", "శాశ్వత వైకల్య పరిహారం", "स्थायी विकलांगता सहायता"], 500_000),
    ("marriage", ["Marriage gift", "వివాహ కానుక", "विवाह उपहार"], 20_000),
    ("maternity", ["Maternity benefit", "ప్రసూతి సహాయం", "मातृत्व लाभ"], 20_000),
];

/// Claim stages: id, en, te, hi.
const CLAIM_STAGES: &[[&str; 4]] = &[
    [
        "submitted",
        "Submitted; with the Assistant Labour Officer",
        "సమర్పించారు; సహాయ కార్మిక అధికారి వద్ద",
        "जमा; सहायक श्रम अधिकारी के पास",
    ],
    [
        "verified",
        "Verified; with the Deputy Commissioner of Labour",
        "పరిశీలించారు; ఉప కార్మిక కమిషనర్ వద్ద",
        "सत्यापित; उप श्रम आयुक्त के पास",
    ],
    [
        "sanctioned",
        "Sanctioned; payment being made to the bank",
        "మంజూరైంది; బ్యాంకుకు చెల్లింపు జరుగుతోంది",
        "स्वीकृत; बैंक में भुगतान हो रहा है",
    ],
    ["paid", "Paid to the bank account", "బ్యాంకు ఖాతాలో జమ చేశారు", "बैंक खाते में भुगतान हो गया"],
    [
        "returned",
        "Returned: a document is missing; see the ALO",
        "తిప్పి పంపారు: పత్రం లేదు; ఏఎల్ఓను కలవండి",
        "लौटाया: दस्तावेज़ कम है; एएलओ से मिलें",
    ],
];

fn claim(key: &str, rng: &mut Rng) -> Option<Value> {
    let year = year_of(key, "CLM")?;
    let applied = day_in(rng, year, today() - 5).max(today() - 200);
    let (scheme_id, scheme, amount) = *rng.pick(SCHEMES);
    let stage = *rng.pick(CLAIM_STAGES);
    let (worker, worker_te) = seed::person(rng);
    let (claimant, claimant_te) =
        if scheme_id.ends_with("death") { seed::person(rng) } else { (worker.clone(), worker_te.clone()) };
    Some(join([
        json!({
            "claim_no": key,
            "card_no": format!("APBOC{}{:06}", rng.between(2012, 2024), rng.below(1_000_000)),
            "worker": worker,
            "claimant": claimant,
            "claimant_te": claimant_te,
            "scheme": said(scheme),
            "amount": amount,
            "applied_on": iso(applied),
            "updated_on": iso((applied + rng.between(3, 40) as i64).min(today())),
            "bank_account": format!("XXXXXXX{:04}", rng.below(10_000)),
        }),
        stage_fields(stage),
    ]))
}

/// Kinds of establishment: en, te, hi.
const KINDS: &[[&str; 3]] = &[
    ["Shop", "దుకాణం", "दुकान"],
    ["Commercial establishment", "వాణిజ్య సంస్థ", "वाणिज्यिक प्रतिष्ठान"],
    ["Hotel / restaurant", "హోటల్ / రెస్టారెంట్", "होटल / रेस्टोरेंट"],
    ["Theatre / entertainment", "థియేటర్ / వినోదం", "थिएटर / मनोरंजन"],
];

const SHOP_NAMES: &[&str] = &[
    "Sri Lakshmi Kirana and General Stores",
    "Venkateswara Fancy and Footwear",
    "Durga Mobiles and Accessories",
    "Sai Ram Tiffin Centre",
    "Annapurna Bakery and Sweets",
    "Krishna Medical and General Stores",
];

fn establishment(key: &str, rng: &mut Rng) -> Option<Value> {
    let year = year_of(key, "APSE")?;
    let registered = day_in(rng, year, today() - 10);
    let (owner, owner_te) = seed::person(rng);
    let kind = rng.pick(KINDS);
    let renewed_till =
        if rng.below(8) == 0 { today() - rng.between(1, 400) as i64 } else { today() + rng.between(30, 1_800) as i64 };
    let renewed_till = renewed_till.max(registered + 365);
    Some(join([
        json!({
            "reg_no": key,
            "name": rng.pick(SHOP_NAMES),
            "owner": owner,
            "owner_te": owner_te,
            "kind": said(*kind),
            "employees": rng.between(1, 24),
            "registered_on": iso(registered),
            "valid_till": iso(renewed_till),
            "status": if renewed_till < today() { "expired" } else { "active" },
            "inspector": "Assistant Labour Officer",
        }),
        place(rng),
    ]))
}

/// Registers a shop or establishment: `name`, `kind`, `employees`, `district`.
fn register_establishment(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let name =
        body["name"].as_str().map(str::trim).filter(|n| n.len() >= 3).ok_or("the establishment's name is required")?;
    let employees = body["employees"].as_f64().filter(|e| *e >= 0.0).ok_or("employees is required")?;
    let district = body["district"].as_str().and_then(district_of).ok_or("a known district is required")?;
    let (year, ..) = civil_from_days(today());
    Ok(json!({
        "reg_no": format!("APSE{year}{:06}", rng.between(100_000, 999_999)),
        "name": name,
        "employees": employees,
        "district": district.name,
        "status": "registered",
        "valid_till": iso(years_after(today(), 5)),
    }))
}

/// Employments with notified minimum wages: id, names (en, te, hi), unskilled
/// daily wage in zone I (₹, basic + VDA).
const EMPLOYMENTS: &[(&str, [&str; 3], u64)] = &[
    ("shops", ["Shops and establishments", "దుకాణాలు, సంస్థలు", "दुकानें और प्रतिष्ठान"], 520),
    ("construction", ["Construction", "నిర్మాణ పనులు", "निर्माण कार्य"], 610),
    ("agriculture", ["Agriculture", "వ్యవసాయ పనులు", "कृषि कार्य"], 425),
    ("hotels", ["Hotels and restaurants", "హోటళ్లు, రెస్టారెంట్లు", "होटल और रेस्टोरेंट"], 505),
    ("security", ["Private security", "ప్రైవేట్ సెక్యూరిటీ", "निजी सुरक्षा"], 560),
    ("domestic", ["Domestic work", "ఇంటి పని", "घरेलू काम"], 410),
    ("brick-kilns", ["Brick kilns", "ఇటుక బట్టీలు", "ईंट भट्ठे"], 470),
    ("hospitals", ["Private hospitals", "ప్రైవేట్ ఆసుపత్రులు", "निजी अस्पताल"], 530),
];

fn category_key(typed: &str) -> Option<String> {
    let key = typed.trim().to_ascii_lowercase().replace([' ', '_'], "-");
    EMPLOYMENTS.iter().any(|e| e.0 == key).then_some(key)
}

fn wages(key: &str, _rng: &mut Rng) -> Option<Value> {
    let (_, names, base) = *EMPLOYMENTS.iter().find(|e| e.0 == key)?;
    // VDA is revised every April and October.
    let (year, month, _) = civil_from_days(today());
    let (from_year, from_month) = if month >= 10 {
        (year, 10)
    } else if month >= 4 {
        (year, 4)
    } else {
        (year - 1, 10)
    };
    let zone = |percent: u64| (base * percent / 100).div_ceil(5) * 5;
    let (unskilled, semi, skilled) = (zone(100), zone(112), zone(126));
    Some(json!({
        "category": said(names),
        "effective_from": iso(days_from_civil(from_year, from_month, 1)),
        "zone1": unskilled,
        "zone2": zone(93),
        "zone3": zone(87),
        "semi_skilled": semi,
        "skilled": skilled,
        "monthly": unskilled * 26,
    }))
}

/// e-Shram occupations: en, te, hi.
const OCCUPATIONS: &[[&str; 3]] = &[
    ["Agricultural labourer", "వ్యవసాయ కూలీ", "खेतिहर मज़दूर"],
    ["Construction worker", "నిర్మాణ కార్మికుడు", "निर्माण श्रमिक"],
    ["Auto rickshaw driver", "ఆటో డ్రైవర్", "ऑटो चालक"],
    ["Street vendor", "వీధి వ్యాపారి", "रेहड़ी-पटरी विक्रेता"],
    ["Domestic worker", "ఇంటి పనివారు", "घरेलू कामगार"],
    ["Fisherman", "మత్స్యకారుడు", "मछुआरा"],
];

fn eshram(key: &str, rng: &mut Rng) -> Option<Value> {
    let (name, name_te) = seed::person(rng);
    let occupation = rng.pick(OCCUPATIONS);
    let registered = today() - rng.between(60, 1_500) as i64;
    Some(join([
        json!({
            "uan": key,
            "name": name,
            "name_te": name_te,
            "occupation": said(*occupation),
            "registered_on": iso(registered),
            "ekyc_done": rng.below(6) != 0,
            "bank_seeded": rng.below(5) != 0,
            "pmsby": rng.below(2) == 0,
        }),
        place(rng),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{days_until, examples_serve_the_definitions, found, posted, refused};

    #[test]
    fn the_examples_exist_with_every_field_and_walk_the_happy_paths() {
        examples_serve_the_definitions("labour", REGISTERS, "12-AB");
        let due = found(REGISTERS, "bocw", "APBOC-2021-004512");
        assert!(due["status"] == "active" && (0..=90).contains(&days_until(&due, "valid_till")), "{due}");
        assert!(days_until(&due, "registered_on") <= -365 && due["marriage_claims"].as_u64() < Some(2), "{due}");
        let long = found(REGISTERS, "bocw", "apboc2025018830");
        assert!(long["status"] == "active" && days_until(&long, "valid_till") > 90, "{long}");
        assert_ne!(found(REGISTERS, "claims", "CLM2026004417")["status"], "paid");
        assert_eq!(found(REGISTERS, "establishments", "APSE2023012345")["status"], "active");
        found(REGISTERS, "eshram", "1002 3456 7890");
    }

    #[test]
    fn malformed_keys_are_refused() {
        let bad = [
            ("bocw", "APBOC-21-4512"),
            ("claims", "CLM-2026"),
            ("establishments", "SE2023012345"),
            ("wages", "farming"),
            ("eshram", "12345"),
        ];
        refused(REGISTERS, &bad);
    }

    #[test]
    fn posts_are_taken_or_refused() {
        let body =
            json!({"aadhaar": "499118665246", "trade": "mason", "district": "east-godavari", "days_worked": 120});
        let ack = posted("labour", REGISTERS, "bocw", body);
        assert!(prefixed(ack["acknowledgement"].as_str().unwrap_or_default(), "APBOC", 10).is_some(), "{ack}");
        let take = REGISTERS[0].submit.unwrap_or_else(|| panic!("bocw takes posts"));
        let unknown = json!({"aadhaar": "499118665246", "trade": "driver", "district": "ntr", "days_worked": 40});
        assert!(take(&unknown, &mut Rng::for_key("t")).is_err());
        let shop = json!({"name": "Sai Kirana", "employees": 3, "district": "guntur"});
        assert_eq!(posted("labour", REGISTERS, "establishments", shop)["status"], "registered");
    }
}
