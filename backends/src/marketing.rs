//! The simulated Agricultural Marketing systems: today's prices in the
//! market yards (AMCs), Rythu Bazaars and their prices, cold storage space by
//! district, MARKFED's minimum support price purchases (by the farmer's
//! Aadhaar), traders' licences, and Rythu Bandhu pledge loans on produce
//! stored in the yards' godowns.
//!
//! Example keys (always registered):
//! - `prices`, `rythu-bazaars`, `cold-storage`: every key of these fixed
//!   tables (a yard and a commodity it trades, a town, a district): they are
//!   reference data and never missing;
//! - `procurement`: `499118665246` (credited), `234123808296` (pending at the
//!   bank), `234123412346` (payment order generated);
//! - `trader-licences`: `AMC-GNT-2023-0456`, `AMC-KNL-2025-0512` (valid:
//!   status and copy);
//! - `pledge-loans`: `RBP-GNT-2025-00077`, `RBP-DGR-2025-00091` (running,
//!   interest free).
//!
//! `POST /pledge-loans` takes `{aadhaar, yard, commodity, quantity}` and
//! values the produce at today's modal price.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{Words, coded_words, join, phone};
use crate::registers::{self, Register, Rng, digits_key, district_of, lettered};
use crate::seed::calendar::{civil_from_days, iso, today};
use crate::seed::{self, DISTRICTS};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "prices",
        key: price_key,
        examples: &[
            "guntur:chilli",
            "guntur:cotton",
            "guntur:maize",
            "kurnool:groundnut",
            "kurnool:onion",
            "kurnool:bengalgram",
            "kurnool:cotton",
            "duggirala:turmeric",
            "duggirala:maize",
            "adoni:cotton",
            "adoni:groundnut",
            "adoni:redgram",
            "madanapalle:tomato",
            "tadepalligudem:paddy",
            "tadepalligudem:maize",
            "vijayawada:paddy",
            "vijayawada:onion",
            "vijayawada:tomato",
        ],
        make: price,
        submit: None,
    },
    Register {
        name: "rythu-bazaars",
        key: |t| TOWNS.iter().find(|town| town.0 == t.trim().to_ascii_lowercase()).map(|town| town.0.to_owned()),
        examples: &["vijayawada", "guntur", "visakhapatnam", "tirupati", "kurnool", "rajamahendravaram"],
        make: rythu_bazaar,
        submit: None,
    },
    Register {
        name: "cold-storage",
        key: |t| district_of(t).map(|d| d.name.to_owned()),
        examples: &["ntr", "guntur", "tirupati", "visakhapatnam", "kurnool", "east-godavari"],
        make: cold_storage,
        submit: None,
    },
    Register {
        name: "procurement",
        key: |t| digits_key(t, 12),
        examples: &["499118665246", "234123808296", "234123412346"],
        make: procurement,
        submit: None,
    },
    Register {
        name: "trader-licences",
        key: |t| coded(t, "AMC", 4),
        examples: &["AMC-GNT-2023-0456", "AMC-KNL-2025-0512"],
        make: trader_licence,
        submit: None,
    },
    Register {
        name: "pledge-loans",
        key: |t| coded(t, "RBP", 5),
        examples: &["RBP-GNT-2025-00077", "RBP-DGR-2025-00091"],
        make: pledge_loan,
        submit: Some(apply_pledge_loan),
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// A commodity: id, name, in Telugu, in Hindi, modal price range (₹/quintal).
type Commodity = (&'static str, &'static str, &'static str, &'static str, u64, u64);

const COMMODITIES: &[Commodity] = &[
    ("chilli", "Dry chilli (Teja)", "ఎండు మిర్చి (తేజ)", "सूखी मिर्च (तेजा)", 12_500, 18_500),
    ("cotton", "Cotton (kapas)", "పత్తి", "कपास", 6_600, 7_600),
    ("turmeric", "Turmeric (finger)", "పసుపు (కొమ్ము)", "हल्दी (गांठ)", 11_000, 15_500),
    ("paddy", "Paddy (common)", "వరి ధాన్యం (సాధారణ)", "धान (सामान्य)", 2_150, 2_450),
    ("maize", "Maize", "మొక్కజొన్న", "मक्का", 2_050, 2_400),
    ("groundnut", "Groundnut pods", "వేరుశనగ కాయలు", "मूंगफली", 5_600, 7_000),
    ("tomato", "Tomato", "టమాటా", "टमाटर", 800, 2_600),
    ("onion", "Onion", "ఉల్లిపాయ", "प्याज़", 1_300, 3_200),
    ("redgram", "Red gram (kandulu)", "కందులు", "अरहर", 6_800, 8_600),
    ("bengalgram", "Bengal gram", "శనగలు", "चना", 5_500, 6_600),
];

/// A market yard: id, name, in Telugu, district, commodities traded.
type Yard = (&'static str, &'static str, &'static str, &'static str, &'static [&'static str]);

const YARDS: &[Yard] = &[
    ("guntur", "Guntur (mirchi yard)", "గుంటూరు మిర్చి యార్డు", "Guntur", &["chilli", "cotton", "maize"]),
    ("kurnool", "Kurnool", "కర్నూలు", "Kurnool", &["groundnut", "onion", "bengalgram", "cotton"]),
    ("duggirala", "Duggirala", "దుగ్గిరాల", "Guntur", &["turmeric", "maize"]),
    ("adoni", "Adoni", "ఆదోని", "Kurnool", &["cotton", "groundnut", "redgram"]),
    ("madanapalle", "Madanapalle", "మదనపల్లె", "Annamayya", &["tomato"]),
    ("tadepalligudem", "Tadepalligudem", "తాడేపల్లిగూడెం", "West Godavari", &["paddy", "maize"]),
    ("vijayawada", "Vijayawada", "విజయవాడ", "NTR", &["paddy", "onion", "tomato"]),
];

/// `yard:commodity`, both as the definitions' choice ids.
fn price_key(typed: &str) -> Option<String> {
    let (yard, commodity) =
        typed.trim().to_ascii_lowercase().split_once(':').map(|(y, c)| (y.to_owned(), c.to_owned()))?;
    let known = YARDS.iter().any(|y| y.0 == yard) && COMMODITIES.iter().any(|c| c.0 == commodity);
    known.then(|| format!("{yard}:{commodity}"))
}

/// `PREFIX-ABC-YYYY-NNNN`: a prefix, a yard's code, a year and a serial of `digits` digits.
fn coded(typed: &str, prefix: &str, digits: usize) -> Option<String> {
    let key = lettered(typed, prefix, 3, 4 + digits)?;
    let (head, serial) = key.split_at(prefix.len() + 9);
    Some(format!("{head}-{serial}"))
}

/// Yard codes of licences and loans.
const CODES: &[(&str, &str)] = &[
    ("GNT", "guntur"),
    ("KNL", "kurnool"),
    ("DGR", "duggirala"),
    ("ADN", "adoni"),
    ("MPL", "madanapalle"),
    ("TPG", "tadepalligudem"),
    ("VJA", "vijayawada"),
];

fn yard_of_code(code: &str) -> Option<&'static Yard> {
    let (_, id) = CODES.iter().find(|c| c.0 == code)?;
    YARDS.iter().find(|y| y.0 == *id)
}

/// The last trading day: yards are closed on Sundays.
fn trading_day() -> i64 {
    if today().rem_euclid(7) == 3 { today() - 1 } else { today() }
}

/// Today's modal price of `commodity` at `yard` (the same all day).
fn modal(yard: &str, commodity: &Commodity) -> u64 {
    let mut rng = Rng::for_key(&format!("modal:{yard}:{}:{}", commodity.0, trading_day()));
    rng.between(commodity.4 / 10, commodity.5 / 10) * 10
}

fn price(key: &str, rng: &mut Rng) -> Option<Value> {
    let (yard_id, commodity_id) = key.split_once(':')?;
    let yard = YARDS.iter().find(|y| y.0 == yard_id)?;
    let commodity = COMMODITIES.iter().find(|c| c.0 == commodity_id)?;
    if !yard.4.contains(&commodity_id) {
        return None;
    }
    let modal = modal(yard_id, commodity);
    let spread = modal / 100 * rng.between(6, 14);
    Some(json!({
        "yard": yard.1, "yard_te": yard.2, "district": yard.3,
        "commodity": commodity.1, "commodity_te": commodity.2, "commodity_hi": commodity.3,
        "date": iso(trading_day()),
        "min": modal - spread, "max": modal + spread * 3 / 2, "modal": modal,
        "change": rng.between(0, 300) as i64 - 150,
        "arrivals": rng.between(200, 40_000),
        "enam": rng.below(3) != 0,
    }))
}

/// A town with Rythu Bazaars: id, name, in Telugu, its bazaars, its STD code.
const TOWNS: &[(&str, &str, &str, &str, &str)] = &[
    ("vijayawada", "Vijayawada", "విజయవాడ", "Swarajya Maidan, Patamata, Ajith Singh Nagar, Bhavanipuram", "0866"),
    ("guntur", "Guntur", "గుంటూరు", "Kothapet, Brodipet, Nallapadu", "0863"),
    ("visakhapatnam", "Visakhapatnam", "విశాఖపట్నం", "MVP Colony, Seethammadhara, Narasimhanagar, Gajuwaka", "0891"),
    ("tirupati", "Tirupati", "తిరుపతి", "Tummalagunta, Balaji Colony", "0877"),
    ("kurnool", "Kurnool", "కర్నూలు", "C Camp, Budhawarpet", "08518"),
    ("rajamahendravaram", "Rajamahendravaram", "రాజమహేంద్రవరం", "Danavaipeta, Innespeta", "0883"),
];

fn rythu_bazaar(key: &str, rng: &mut Rng) -> Option<Value> {
    let (_, town, town_te, bazaars, std) = *TOWNS.iter().find(|t| t.0 == key)?;
    // Vegetable prices, rupees a kilo, fixed each morning by the estate officer.
    let mut day = Rng::for_key(&format!("bazaar:{key}:{}", trading_day()));
    Some(json!({
        "town": town, "town_te": town_te, "bazaars": bazaars,
        "count": bazaars.split(", ").count(),
        "timings": "5:30 AM – 1:00 PM, all days",
        "date": iso(today()),
        "tomato": day.between(12, 40), "onion": day.between(22, 45), "potato": day.between(24, 38),
        "brinjal": day.between(20, 45), "green_chilli": day.between(30, 70), "bhindi": day.between(28, 55),
        "helpline": format!("{std}-2{:06}", rng.below(if std.len() == 5 { 100_000 } else { 1_000_000 })),
    }))
}

fn cold_storage(key: &str, rng: &mut Rng) -> Option<Value> {
    let district = seed::district(key)?;
    let capacity = rng.between(40, 260) * 1_000;
    let free = capacity * rng.between(4, 35) / 100;
    let town = district.mandals[0].name.split(' ').next().unwrap_or(district.name);
    Some(json!({
        "district": district.name, "district_te": district.name_te,
        "units": rng.between(6, 48), "capacity_mt": capacity, "available_mt": free,
        "rent": rng.between(14, 22) * 10,
        "nearest": format!("{} Cold Storage, {town}", rng.pick(&["Sri Lakshmi", "Balaji", "Krishna", "Sai Ram"])),
        "contact": phone(rng),
        "commodities": "Chilli, turmeric, tamarind, potato, seeds",
    }))
}

const PROCUREMENT_STATUS: &[Words] = &[
    ("credited", "Credited to your bank account", "మీ బ్యాంకు ఖాతాలో జమ అయింది", "आपके बैंक खाते में जमा"),
    ("credited", "Credited to your bank account", "మీ బ్యాంకు ఖాతాలో జమ అయింది", "आपके बैंक खाते में जमा"),
    ("fto", "Payment order (FTO) generated", "చెల్లింపు ఆర్డర్ (FTO) జారీ అయింది", "भुगतान आदेश (FTO) जारी"),
    ("bank", "Pending at the bank", "బ్యాంకు వద్ద పెండింగ్", "बैंक में लंबित"),
];
/// MSP crops MARKFED buys: name, in Telugu, MSP ₹/quintal (2024-25).
const MSP_CROPS: &[(&str, &str, u64)] = &[
    ("Maize", "మొక్కజొన్న", 2_225),
    ("Jowar (hybrid)", "జొన్నలు", 3_371),
    ("Red gram", "కందులు", 7_550),
    ("Bengal gram", "శనగలు", 5_650),
    ("Groundnut", "వేరుశనగ", 6_783),
];

fn procurement(key: &str, rng: &mut Rng) -> Option<Value> {
    let (crop, crop_te, msp) = *rng.pick(MSP_CROPS);
    let quintals = rng.between(8, 120);
    let at = rng.below(PROCUREMENT_STATUS.len() as u64) as usize;
    let sold = today() - rng.between(5, 40) as i64;
    let district = rng.pick(DISTRICTS);
    let (name, name_te) = seed::person(rng);
    Some(join([
        coded_words("status", &PROCUREMENT_STATUS[at]),
        json!({
            "farmer": name, "farmer_te": name_te, "aadhaar_last4": &key[8..],
            "crop": crop, "crop_te": crop_te, "quantity": quintals, "msp": msp, "amount": quintals * msp,
            "sold_on": iso(sold), "centre": format!("RSK procurement centre, {}", district.mandals[0].name),
            "district": district.name,
            "credited_on": if at < 2 { iso(sold + rng.between(3, 5) as i64) } else { String::new() },
            "bank": rng.pick(&["Union Bank of India", "State Bank of India", "AP Grameena Vikas Bank", "Canara Bank"]),
        }),
    ]))
}

const LICENCE_STATUS: &[Words] = &[
    ("valid", "Valid", "చెల్లుబాటులో ఉంది", "वैध"),
    ("valid", "Valid", "చెల్లుబాటులో ఉంది", "वैध"),
    ("expired", "Expired – renew at the AMC", "గడువు ముగిసింది – AMCలో పునరుద్ధరించండి", "समाप्त – AMC में नवीनीकरण कराएँ"),
];

fn trader_licence(key: &str, rng: &mut Rng) -> Option<Value> {
    let yard = yard_of_code(key.get(4..7)?)?;
    let at = rng.below(LICENCE_STATUS.len() as u64) as usize;
    let valid_until =
        if at == 2 { today() - rng.between(10, 200) as i64 } else { today() + rng.between(20, 700) as i64 };
    let (name, name_te) = seed::person(rng);
    let (category, suffix) = *rng.pick(&[
        ("Commission agent", "Commission Agents"),
        ("Trader (purchaser)", "Traders"),
        ("Exporter", "Exports"),
    ]);
    Some(join([
        coded_words("status", &LICENCE_STATUS[at]),
        json!({
            "licence_no": key, "firm": format!("{} {suffix}", rng.pick(&["Sri Venkateswara", "Lakshmi Ganapathi", "Sai Krishna", "Annapurna"])),
            "proprietor": name, "proprietor_te": name_te,
            "yard": yard.1, "yard_te": yard.2,
            "category": category,
            "issued_on": iso(valid_until - 365 * 3), "valid_until": iso(valid_until),
        }),
    ]))
}

/// Produce that cannot wait in a godown for a pledge loan.
const PERISHABLE: &[&str] = &["tomato", "onion"];

/// A Rythu Bandhu pledge loan: 75% of the produce's value, at most ₹3 lakh, interest free 180 days.
const PLEDGE_CAP: u64 = 300_000;

fn pledge_value(quintals: u64, modal: u64) -> (u64, u64) {
    let value = quintals * modal;
    (value, (value * 75 / 100).min(PLEDGE_CAP))
}

fn pledge_loan(key: &str, rng: &mut Rng) -> Option<Value> {
    let yard = yard_of_code(key.get(4..7)?)?;
    let stored: Vec<&str> = yard.4.iter().copied().filter(|c| !PERISHABLE.contains(c)).collect();
    if stored.is_empty() {
        return None;
    }
    let commodity = COMMODITIES.iter().find(|c| c.0 == *rng.pick(&stored))?;
    let quintals = rng.between(20, 150);
    let (value, loan) = pledge_value(quintals, (commodity.4 + commodity.5) / 2);
    let disbursed = today() - rng.between(10, 170) as i64;
    let (name, name_te) = seed::person(rng);
    Some(json!({
        "loan_no": key, "farmer": name, "farmer_te": name_te, "yard": yard.1, "yard_te": yard.2,
        "commodity": commodity.1, "commodity_te": commodity.2, "quantity": quintals, "bags": quintals * 2,
        "value": value, "loan": loan, "disbursed_on": iso(disbursed),
        "interest_free_until": iso(disbursed + 180), "repaid": 0,
    }))
}

fn apply_pledge_loan(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    body["aadhaar"].as_str().filter(|a| a.len() == 12).ok_or("aadhaar (12 digits) is required")?;
    let yard = YARDS.iter().find(|y| Some(y.0) == body["yard"].as_str()).ok_or("no such yard")?;
    let commodity = COMMODITIES.iter().find(|c| Some(c.0) == body["commodity"].as_str()).ok_or("no such commodity")?;
    if PERISHABLE.contains(&commodity.0) {
        return Err(format!("{} is perishable and is not pledged", commodity.1));
    }
    let quintals = body["quantity"].as_f64().filter(|q| *q > 0.0).ok_or("quantity (quintals) is required")?;
    let (value, loan) = pledge_value(quintals.round() as u64, modal(yard.0, commodity));
    let (y, _, _) = civil_from_days(today());
    let code = CODES.iter().find(|c| c.1 == yard.0).map_or("GNT", |c| c.0);
    Ok(json!({
        "loan_no": format!("RBP-{code}-{y}-{:05}", rng.below(100_000)),
        "yard": yard.1, "commodity": commodity.1, "modal": modal(yard.0, commodity), "value": value, "loan": loan,
    }))
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found, get, post, posted, refused};

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        examples_serve_the_definitions("marketing", REGISTERS, "12-AB");
        let body = json!({"aadhaar": "234123412346", "yard": "guntur", "commodity": "chilli", "quantity": 40});
        posted("marketing", REGISTERS, "pledge-loans", body);
    }

    #[test]
    fn every_traded_commodity_is_an_example_and_the_others_are_not_traded() {
        let prices = REGISTERS.iter().find(|r| r.name == "prices").unwrap();
        for yard in YARDS {
            for commodity in COMMODITIES {
                let key = format!("{}:{}", yard.0, commodity.0);
                let traded = yard.4.contains(&commodity.0);
                assert_eq!(prices.examples.contains(&key.as_str()), traded, "{key}");
                assert_eq!(prices.lookup(&key).unwrap().is_some(), traded, "{key}");
            }
        }
        let chilli = found(REGISTERS, "prices", "Guntur:Chilli");
        assert!(chilli["min"].as_u64() < chilli["modal"].as_u64() && chilli["modal"].as_u64() < chilli["max"].as_u64());
    }

    #[test]
    fn the_examples_take_the_happy_path() {
        assert_eq!(found(REGISTERS, "procurement", "4991 1866 5246")["status_code"], "credited");
        assert_eq!(found(REGISTERS, "trader-licences", "amc/gnt/2023/0456")["status_code"], "valid");
    }

    #[tokio::test]
    async fn malformed_keys_are_refused_and_pledges_valued() {
        let bad = [
            ("prices", "guntur-chilli"),
            ("prices", "ooty:tea"),
            ("procurement", "12345"),
            ("trader-licences", "AMC-G-1"),
            ("cold-storage", "delhi"),
        ];
        refused(REGISTERS, &bad);
        assert_eq!(get(router(), "/prices/madanapalle:chilli").await.0, StatusCode::NOT_FOUND);
        let body = r#"{"aadhaar": "234123412346", "yard": "guntur", "commodity": "chilli", "quantity": 40}"#;
        let (status, loan) = post(router(), "/pledge-loans", body).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(loan["loan"].as_u64(), Some(PLEDGE_CAP.min(loan["value"].as_u64().unwrap() * 75 / 100)));
    }
}
