//! The simulated Agriculture department systems: the farmer registry with
//! land holdings and e-Crop bookings (keyed by Aadhaar), Rythu Bharosa –
//! PM-KISAN payments, soil health cards by village and survey number, district
//! weather forecasts, and MSP procurement slots at Rythu Seva Kendrams (RSK).
//!
//! Every record is generated from its key with [`Rng::for_key`], so any
//! Aadhaar has the same farmer on every run. Dates are relative to today (IST):
//! a payment due next month is "scheduled", one due last month is "credited".
//! About one Aadhaar in ten is not in the registry (404), and one registered
//! farmer in eight has not finished e-KYC, which withholds PM-KISAN.

use std::collections::BTreeMap;

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::seed::calendar::{civil_from_days as civil, days_from_civil, iso, today};
use crate::seed::{self, DISTRICTS, District, Mandal, Rng, Village};

/// The routes of this backend.
pub fn router() -> Router {
    Router::new()
        .route("/farmers/{aadhaar}", get(farmer))
        .route("/rythu-bharosa/{aadhaar}", get(rythu_bharosa))
        .route("/soil-health", get(soil_health))
        .route("/weather/{district}", get(weather))
        .route("/msp/bookings", post(book_msp_slot))
}

/// A 4xx answer with a message the plugin can pass on.
fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    Refusal(status, message.into()).into_response()
}

/// A refusal not yet turned into a response (a `Response` is too large to
/// travel in every `Err`).
#[derive(Debug)]
struct Refusal(StatusCode, String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.0, Json(serde_json::json!({ "error": self.1 }))).into_response()
    }
}

// ---- Dates (IST), without a date crate: days since 1970-01-01 ----

fn parse_iso(s: &str) -> Option<i64> {
    let mut parts = s.splitn(3, '-');
    let (y, m, d) = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
    (1..=12).contains(&m).then_some(())?;
    (1..=31).contains(&d).then_some(())?;
    Some(days_from_civil(y, m, d))
}

// ---- The farmer registry ----

#[derive(Clone, Debug, Serialize)]
struct Holding {
    survey: String,
    acres: f64,
}

/// One e-Crop booking: the crop a village agriculture assistant (VAA)
/// recorded on one survey number in one season.
#[derive(Clone, Debug, Serialize)]
struct Booking {
    /// `kharif` or `rabi`.
    season: &'static str,
    /// `2026` for Kharif, `2025-26` for Rabi.
    year: String,
    survey: String,
    crop: &'static str,
    variety: &'static str,
    acres: f64,
    sown_on: String,
    booked_on: String,
    vaa_verified: bool,
}

#[derive(Clone, Debug, Serialize)]
struct Machine {
    implement: &'static str,
    year: i64,
}

#[derive(Clone, Debug, Serialize)]
struct Farmer {
    aadhaar_last4: String,
    name: String,
    name_te: String,
    father: String,
    father_te: String,
    village: &'static str,
    village_te: &'static str,
    mandal: &'static str,
    mandal_te: &'static str,
    district: &'static str,
    district_te: &'static str,
    rsk: String,
    rsk_te: String,
    /// Biometric e-KYC done; without it PM-KISAN is withheld.
    ekyc: bool,
    bank: String,
    holdings: Vec<Holding>,
    ecrop: Vec<Booking>,
    /// Quintals already sold at MSP this season, per crop.
    procured: BTreeMap<&'static str, f64>,
    /// Subsidised machinery received before.
    machinery: Vec<Machine>,
}

/// Crops by season with their common AP varieties.
const KHARIF: &[(&str, &[&str])] = &[
    ("paddy", &["BPT 5204", "MTU 1010", "MTU 7029", "NLR 34449"]),
    ("cotton", &["Bt RCH 659", "Bt Jadoo"]),
    ("groundnut", &["K-6", "Dharani"]),
    ("chilli", &["LCA 334", "Teja"]),
    ("maize", &["DHM 117", "Pioneer 3396"]),
    ("redgram", &["LRG 52", "PRG 176"]),
];
const RABI: &[(&str, &[&str])] = &[
    ("paddy", &["MTU 1121", "NLR 3354"]),
    ("bengalgram", &["JG 11", "NBeG 47"]),
    ("blackgram", &["LBG 787", "PU 31"]),
    ("maize", &["DHM 121", "Pioneer 3396"]),
    ("groundnut", &["Kadiri Lepakshi", "K-9"]),
];
const BANKS: &[&str] = &["SBI", "Union Bank", "Canara Bank", "APGVB", "Indian Bank"];
const IMPLEMENTS: &[&str] =
    &["battery-sprayer", "tarpaulin", "power-weeder", "brush-cutter", "rotavator", "seed-drill", "power-tiller"];

fn is_aadhaar(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Where a generated citizen lives: a seeded district, mandal and village.
fn place(rng: &mut Rng) -> (&'static District, &'static Mandal, &'static Village) {
    let district = rng.pick(DISTRICTS);
    let mandal = rng.pick(district.mandals);
    let village = rng.pick(mandal.villages);
    (district, mandal, village)
}

/// The Kharif and Rabi seasons whose e-Crop booking windows have closed most
/// recently (Kharif books until 31 August, Rabi until 31 December), as
/// `(kharif year, rabi start year)`.
fn latest_seasons(today: i64) -> (i64, i64) {
    let (year, month, _) = civil(today);
    let kharif = if month >= 9 { year } else { year - 1 };
    (kharif, year - 1)
}

/// Seed given names that are men's, so a father reads right.
const MEN: &[&str] = &["Venkata Ramana", "Srinivas", "Suresh", "Ravi Kumar", "Nagaraju"];

/// A father for `name`: a man's given name and the same family name.
fn father_of(name: &str, name_te: &str, rng: &mut Rng) -> (String, String) {
    let (given, given_te) = loop {
        let (full, full_te) = seed::person(rng);
        let given = MEN.iter().find(|m| full.starts_with(*m));
        let given_te = full_te.rsplit_once(' ').map(|(g, _)| g.to_owned());
        if let (Some(given), Some(given_te)) = (given, given_te) {
            break (given.to_string(), given_te);
        }
    };
    let family = name.rsplit_once(' ').map_or(name, |(_, f)| f);
    let family_te = name_te.rsplit_once(' ').map_or(name_te, |(_, f)| f);
    (format!("{given} {family}"), format!("{given_te} {family_te}"))
}

fn farmer_record(aadhaar: &str, today: i64) -> Option<Farmer> {
    let mut rng = Rng::for_key(&format!("agri-farmer:{aadhaar}"));
    if rng.below(10) == 0 {
        return None;
    }
    let (name, name_te) = seed::person(&mut rng);
    // Its own generator, so the draws after it do not depend on how many
    // tries a man's name took.
    let (father, father_te) = father_of(&name, &name_te, &mut Rng::for_key(&format!("agri-father:{aadhaar}")));
    let (district, mandal, village) = place(&mut rng);
    let holdings: Vec<Holding> = (0..rng.between(1, 3))
        .map(|_| Holding {
            survey: format!("{}/{}", rng.between(12, 480), *rng.pick(&["1", "2", "1A", "2B", "3"])),
            acres: rng.between(40, 450) as f64 / 100.0,
        })
        .collect();
    let (kharif_year, rabi_year) = latest_seasons(today);
    let mut ecrop = Vec::new();
    for holding in &holdings {
        let sown = days_from_civil(kharif_year, 6, 15) + rng.below(55) as i64;
        let (crop, varieties) = *rng.pick(KHARIF);
        ecrop.push(Booking {
            season: "kharif",
            year: kharif_year.to_string(),
            survey: holding.survey.clone(),
            crop,
            variety: rng.pick::<&str>(varieties),
            acres: holding.acres,
            sown_on: iso(sown),
            booked_on: iso(sown + rng.between(5, 20) as i64),
            vaa_verified: rng.below(5) != 0,
        });
        // Not every field carries a second crop.
        if rng.below(3) != 0 {
            let sown = days_from_civil(rabi_year, 11, 1) + rng.below(40) as i64;
            let (crop, varieties) = *rng.pick(RABI);
            ecrop.push(Booking {
                season: "rabi",
                year: format!("{rabi_year}-{:02}", (rabi_year + 1) % 100),
                survey: holding.survey.clone(),
                crop,
                variety: rng.pick::<&str>(varieties),
                acres: holding.acres,
                sown_on: iso(sown),
                booked_on: iso(sown + rng.between(5, 20) as i64),
                vaa_verified: rng.below(5) != 0,
            });
        }
    }
    let paddy_acres: f64 = ecrop.iter().filter(|b| b.season == "kharif" && b.crop == "paddy").map(|b| b.acres).sum();
    let mut procured = BTreeMap::new();
    if paddy_acres > 0.0 && rng.below(2) == 0 {
        procured.insert("paddy", (paddy_acres * rng.between(5, 15) as f64).round());
    }
    let machinery = (0..rng.below(3))
        .map(|_| Machine { implement: rng.pick::<&str>(IMPLEMENTS), year: civil(today).0 - rng.between(1, 9) as i64 })
        .collect();
    Some(Farmer {
        aadhaar_last4: aadhaar[8..].to_owned(),
        name,
        name_te,
        father,
        father_te,
        village: village.name,
        village_te: village.name_te,
        mandal: mandal.name,
        mandal_te: mandal.name_te,
        district: district.name,
        district_te: district.name_te,
        rsk: format!("RSK {}", village.name),
        rsk_te: format!("ఆర్‌ఎస్‌కే {}", village.name_te),
        ekyc: rng.below(8) != 0,
        bank: format!("{} XXXXXX{:04}", *rng.pick(BANKS), rng.below(10_000)),
        holdings,
        ecrop,
        procured,
        machinery,
    })
}

fn lookup_farmer(aadhaar: &str) -> Result<Farmer, Refusal> {
    if !is_aadhaar(aadhaar) {
        return Err(Refusal(StatusCode::BAD_REQUEST, "an Aadhaar number has 12 digits".into()));
    }
    farmer_record(aadhaar, today())
        .ok_or_else(|| Refusal(StatusCode::NOT_FOUND, "this Aadhaar is not in the farmer registry".into()))
}

async fn farmer(Path(aadhaar): Path<String>) -> Response {
    match lookup_farmer(&aadhaar) {
        Ok(farmer) => Json(farmer).into_response(),
        Err(refusal) => refusal.into_response(),
    }
}

// ---- Rythu Bharosa – PM-KISAN ----

#[derive(Debug, Serialize)]
struct Instalment {
    number: u32,
    /// `state` (Rythu Bharosa) or `pm-kisan` (the Centre's share).
    scheme: &'static str,
    amount: u64,
    due_on: String,
    /// `credited`, `scheduled`, `withheld` (e-KYC pending) or `failed`.
    status: &'static str,
    credited_on: Option<String>,
    reason: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct Payments {
    year: String,
    name: String,
    name_te: String,
    village: &'static str,
    village_te: &'static str,
    bank: String,
    ekyc: bool,
    instalments: Vec<Instalment>,
}

/// The yearly ₹13,500: the State's ₹7,500 in two instalments and PM-KISAN's
/// ₹6,000 in three, as (instalment, scheme, rupees, month, day, year offset).
const SCHEDULE: &[(u32, &str, u64, u32, u32, i64)] = &[
    (1, "state", 5_500, 6, 1, 0),
    (1, "pm-kisan", 2_000, 6, 20, 0),
    (2, "state", 2_000, 10, 25, 0),
    (2, "pm-kisan", 2_000, 11, 10, 0),
    (3, "pm-kisan", 2_000, 2, 15, 1),
];

async fn rythu_bharosa(Path(aadhaar): Path<String>) -> Response {
    let farmer = match lookup_farmer(&aadhaar) {
        Ok(farmer) => farmer,
        Err(refusal) => return refusal.into_response(),
    };
    let today = today();
    let (year, month, _) = civil(today);
    let start = if month >= 6 { year } else { year - 1 };
    let mut rng = Rng::for_key(&format!("agri-rb:{aadhaar}:{start}"));
    // A few accounts bounce at NPCI (not Aadhaar-seeded) on one instalment.
    let bounced = (rng.below(6) == 0).then(|| rng.below(SCHEDULE.len() as u64) as usize);
    let instalments = SCHEDULE
        .iter()
        .enumerate()
        .map(|(i, &(number, scheme, amount, m, d, offset))| {
            let due = days_from_civil(start + offset, m, d);
            let (status, credited_on, reason) = if due > today {
                ("scheduled", None, None)
            } else if scheme == "pm-kisan" && !farmer.ekyc {
                ("withheld", None, Some("e-KYC pending"))
            } else if bounced == Some(i) {
                ("failed", None, Some("bank account not seeded with Aadhaar (NPCI mapper)"))
            } else {
                ("credited", Some(iso(due + rng.below(4) as i64)), None)
            };
            Instalment { number, scheme, amount, due_on: iso(due), status, credited_on, reason }
        })
        .collect();
    Json(Payments {
        year: format!("{start}-{:02}", (start + 1) % 100),
        name: farmer.name,
        name_te: farmer.name_te,
        village: farmer.village,
        village_te: farmer.village_te,
        bank: farmer.bank,
        ekyc: farmer.ekyc,
        instalments,
    })
    .into_response()
}

// ---- Soil health cards ----

#[derive(Debug, Deserialize)]
struct SoilQuery {
    village: String,
    survey: String,
}

/// A soil health card: the lab's values for one sampled field (kg/ha for N,
/// P, K; % for organic carbon; ppm for the micronutrients; dS/m for EC).
#[derive(Debug, Serialize)]
struct SoilCard {
    card: String,
    survey: String,
    village: &'static str,
    village_te: &'static str,
    mandal: &'static str,
    mandal_te: &'static str,
    district: &'static str,
    district_te: &'static str,
    farmer: String,
    farmer_te: String,
    sampled_on: String,
    lab: String,
    ph: f64,
    ec: f64,
    oc: f64,
    n: f64,
    p: f64,
    k: f64,
    s: f64,
    zn: f64,
    b: f64,
    fe: f64,
}

fn find_village(name: &str) -> Option<(&'static District, &'static Mandal, &'static Village)> {
    let name = name.trim();
    DISTRICTS.iter().find_map(|d| {
        d.mandals.iter().find_map(|m| {
            m.villages.iter().find(|v| v.name.eq_ignore_ascii_case(name) || v.name_te == name).map(|v| (d, m, v))
        })
    })
}

fn is_survey_number(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.len() <= 12
        && s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '-')
}

fn tenth(rng: &mut Rng, lo: u64, hi: u64) -> f64 {
    rng.between(lo, hi) as f64 / 10.0
}

fn hundredth(rng: &mut Rng, lo: u64, hi: u64) -> f64 {
    rng.between(lo, hi) as f64 / 100.0
}

async fn soil_health(Query(query): Query<SoilQuery>) -> Response {
    let Some((district, mandal, village)) = find_village(&query.village) else {
        return refuse(StatusCode::NOT_FOUND, format!("no village {:?} in the soil survey", query.village));
    };
    if !is_survey_number(&query.survey) {
        return refuse(StatusCode::BAD_REQUEST, "a survey number looks like 123/2A");
    }
    let survey = query.survey.trim().to_ascii_uppercase();
    let mut rng = Rng::for_key(&format!("agri-soil:{}/{}/{survey}", district.name, village.name));
    // The grid sampling covers most, not all, fields.
    if rng.below(6) == 0 {
        return refuse(StatusCode::NOT_FOUND, format!("survey {survey} in {} has not been sampled yet", village.name));
    }
    let (farmer, farmer_te) = seed::person(&mut rng);
    let today = today();
    let (year, _, _) = civil(today);
    Json(SoilCard {
        card: format!("AP/{}/{}/{:06}", &district.name.to_ascii_uppercase()[..3], year - 1, rng.below(1_000_000)),
        survey,
        village: village.name,
        village_te: village.name_te,
        mandal: mandal.name,
        mandal_te: mandal.name_te,
        district: district.name,
        district_te: district.name_te,
        farmer,
        farmer_te,
        sampled_on: iso(today - rng.between(60, 500) as i64),
        lab: format!("Soil Testing Laboratory, {}", district.name),
        ph: tenth(&mut rng, 55, 88),
        ec: hundredth(&mut rng, 10, 190),
        oc: hundredth(&mut rng, 20, 95),
        n: rng.between(150, 620) as f64,
        p: tenth(&mut rng, 50, 400),
        k: rng.between(90, 420) as f64,
        s: tenth(&mut rng, 40, 250),
        zn: hundredth(&mut rng, 30, 150),
        b: hundredth(&mut rng, 20, 120),
        fe: tenth(&mut rng, 25, 150),
    })
    .into_response()
}

// ---- Weather ----

#[derive(Debug, Serialize)]
struct Day {
    date: String,
    rain_mm: f64,
    tmax: f64,
    tmin: f64,
    rh: u64,
    wind_kmph: u64,
}

#[derive(Debug, Serialize)]
struct Forecast {
    district: &'static str,
    district_te: &'static str,
    issued_on: String,
    source: &'static str,
    days: Vec<Day>,
}

/// Typical (maximum temperature, chance of rain in %) by month in coastal AP.
fn climate(month: u32) -> (u64, u64) {
    match month {
        3..=5 => (38, 10),
        6..=9 => (33, 55),
        10..=11 => (31, 45),
        _ => (29, 10),
    }
}

async fn weather(Path(district): Path<String>) -> Response {
    let Some(district) = seed::district(&district) else {
        return refuse(StatusCode::NOT_FOUND, format!("no forecast for district {district:?}"));
    };
    let today = today();
    let days = (1..=5)
        .map(|ahead| {
            let day = today + ahead;
            let (_, month, _) = civil(day);
            let (tmax, wet) = climate(month);
            let mut rng = Rng::for_key(&format!("agri-weather:{}:{}", district.name, iso(day)));
            // Most rainy days are light; about one in five is heavy.
            let rain = match (rng.below(100) < wet, rng.below(5)) {
                (false, _) => 0.0,
                (true, 0) => tenth(&mut rng, 300, 900),
                (true, _) => tenth(&mut rng, 5, 250),
            };
            let tmax = (tmax + rng.between(0, 6)) as f64 - 3.0 - if rain > 20.0 { 3.0 } else { 0.0 };
            Day {
                date: iso(day),
                rain_mm: rain,
                tmax,
                tmin: tmax - rng.between(7, 11) as f64,
                rh: if rain > 0.0 { rng.between(75, 95) } else { rng.between(45, 80) },
                wind_kmph: rng.between(6, 42),
            }
        })
        .collect();
    Json(Forecast {
        district: district.name,
        district_te: district.name_te,
        issued_on: iso(today),
        source: "APSDPS / IMD district forecast",
        days,
    })
    .into_response()
}

// ---- MSP procurement slots ----

#[derive(Debug, Deserialize)]
struct SlotRequest {
    application: String,
    aadhaar: String,
    crop: String,
    quintals: f64,
    date: String,
}

#[derive(Debug, Serialize)]
struct SlotBooking {
    token: String,
    name: String,
    name_te: String,
    rsk: String,
    rsk_te: String,
    village: &'static str,
    village_te: &'static str,
    date: String,
    slot: String,
    crop: String,
    quintals: f64,
}

/// Crops an RSK buys at MSP.
const MSP_CROPS: &[&str] = &["paddy-common", "paddy-grade-a", "maize", "jowar", "redgram", "bengalgram"];

/// Books a 30-minute weighment slot. The token is derived from the
/// application number, so the same application always gets the same slot.
async fn book_msp_slot(Json(request): Json<SlotRequest>) -> Response {
    let farmer = match lookup_farmer(&request.aadhaar) {
        Ok(farmer) => farmer,
        Err(refusal) => return refusal.into_response(),
    };
    if !MSP_CROPS.contains(&request.crop.as_str()) {
        return refuse(StatusCode::BAD_REQUEST, format!("{} is not procured at MSP", request.crop));
    }
    if !(request.quintals > 0.0 && request.quintals <= 1000.0) {
        return refuse(StatusCode::BAD_REQUEST, "quantity must be between 1 and 1000 quintals");
    }
    match parse_iso(&request.date) {
        Some(day) if day >= today() => {}
        Some(_) => return refuse(StatusCode::BAD_REQUEST, "slots are booked for today or later"),
        None => return refuse(StatusCode::BAD_REQUEST, "date must be YYYY-MM-DD"),
    }
    let mut rng = Rng::for_key(&format!("agri-msp:{}", request.application));
    let start = 9 * 60 + 30 * rng.below(14) as u32;
    let slot = format!("{:02}:{:02}–{:02}:{:02}", start / 60, start % 60, (start + 30) / 60, (start + 30) % 60);
    let code = &farmer.district.to_ascii_uppercase()[..3];
    let booking = SlotBooking {
        token: format!("MSP-{code}-{:06}", rng.below(1_000_000)),
        name: farmer.name,
        name_te: farmer.name_te,
        rsk: farmer.rsk,
        rsk_te: farmer.rsk_te,
        village: farmer.village,
        village_te: farmer.village_te,
        date: request.date,
        slot,
        crop: request.crop,
        quintals: request.quintals,
    };
    (StatusCode::CREATED, Json(booking)).into_response()
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use serde_json::Value;
    use tower::ServiceExt;

    use super::*;

    async fn get_json(uri: &str) -> (StatusCode, Value) {
        let response = router().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    async fn post_json(uri: &str, body: Value) -> (StatusCode, Value) {
        let request =
            Request::post(uri).header("content-type", "application/json").body(Body::from(body.to_string())).unwrap();
        let response = router().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    /// A registered farmer and an unregistered Aadhaar (both Verhoeff-valid).
    const REGISTERED: &str = "499112345677";
    const UNREGISTERED: &str = "234123456783";

    #[test]
    fn dates_round_trip_through_day_numbers() {
        assert_eq!(iso(0), "1970-01-01");
        assert_eq!(days_from_civil(2024, 2, 29), parse_iso("2024-02-29").unwrap());
        assert_eq!(iso(days_from_civil(2026, 3, 1) - 1), "2026-02-28");
        assert_eq!(parse_iso("2026-13-01"), None);
        assert_eq!(latest_seasons(days_from_civil(2026, 11, 22)), (2026, 2025));
        assert_eq!(latest_seasons(days_from_civil(2026, 7, 1)), (2025, 2025));
    }

    #[tokio::test]
    async fn a_registered_farmer_has_holdings_and_ecrop_bookings() {
        let (status, farmer) = get_json(&format!("/farmers/{REGISTERED}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(farmer["aadhaar_last4"], "5677");
        assert!(!farmer["name_te"].as_str().unwrap().is_empty());
        let holdings = farmer["holdings"].as_array().unwrap();
        let bookings = farmer["ecrop"].as_array().unwrap();
        assert!(!holdings.is_empty());
        // Every holding is booked in Kharif; each booking is on a held survey number.
        assert_eq!(bookings.iter().filter(|b| b["season"] == "kharif").count(), holdings.len());
        for booking in bookings {
            assert!(holdings.iter().any(|h| h["survey"] == booking["survey"]));
            assert!(booking["sown_on"].as_str().unwrap() < booking["booked_on"].as_str().unwrap());
        }
        // The same key gives the same farmer.
        assert_eq!(get_json(&format!("/farmers/{REGISTERED}")).await.1, farmer);
    }

    #[tokio::test]
    async fn an_unknown_or_malformed_aadhaar_is_refused() {
        assert_eq!(get_json(&format!("/farmers/{UNREGISTERED}")).await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/farmers/12345").await.0, StatusCode::BAD_REQUEST);
        assert_eq!(get_json(&format!("/rythu-bharosa/{UNREGISTERED}")).await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn rythu_bharosa_pays_13500_a_year_in_five_credits() {
        let (status, payments) = get_json(&format!("/rythu-bharosa/{REGISTERED}")).await;
        assert_eq!(status, StatusCode::OK);
        let instalments = payments["instalments"].as_array().unwrap();
        let total: u64 = instalments.iter().map(|i| i["amount"].as_u64().unwrap()).sum();
        assert_eq!(total, 13_500);
        let today = iso(today());
        for i in instalments {
            let due = i["due_on"].as_str().unwrap();
            match i["status"].as_str().unwrap() {
                "scheduled" => assert!(due > today.as_str()),
                "credited" => assert!(i["credited_on"].is_string()),
                "withheld" | "failed" => assert!(i["reason"].is_string()),
                other => panic!("unexpected status {other}"),
            }
        }
    }

    #[tokio::test]
    async fn farmers_without_ekyc_have_pm_kisan_withheld() {
        let without = (0..400)
            .map(|n| format!("{:012}", 700_000_000_000u64 + n))
            .find(|a| farmer_record(a, today()).is_some_and(|f| !f.ekyc))
            .expect("some farmer lacks e-KYC");
        let (_, payments) = get_json(&format!("/rythu-bharosa/{without}")).await;
        for i in payments["instalments"].as_array().unwrap() {
            if i["scheme"] == "pm-kisan" && i["status"] != "scheduled" {
                assert_eq!(i["status"], "withheld");
            }
        }
    }

    #[tokio::test]
    async fn a_soil_card_has_lab_values_for_a_sampled_field() {
        let (status, card) = get_json("/soil-health?village=gollapudi&survey=123/2A").await;
        assert_eq!(status, StatusCode::OK, "{card}");
        assert_eq!(card["village_te"], "గొల్లపూడి");
        assert_eq!(card["district"], "NTR");
        let ph = card["ph"].as_f64().unwrap();
        assert!((5.5..=8.8).contains(&ph));
        assert!(card["card"].as_str().unwrap().starts_with("AP/NTR/"));
    }

    #[tokio::test]
    async fn soil_lookups_refuse_unknown_villages_and_bad_survey_numbers() {
        assert_eq!(get_json("/soil-health?village=Atlantis&survey=1").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/soil-health?village=Nunna&survey=%3Cscript%3E").await.0, StatusCode::BAD_REQUEST);
        let mut found = false;
        for n in 1..200 {
            if get_json(&format!("/soil-health?village=Nunna&survey={n}")).await.0 == StatusCode::NOT_FOUND {
                found = true;
                break;
            }
        }
        assert!(found, "some fields are not sampled yet");
    }

    #[tokio::test]
    async fn a_forecast_covers_the_next_five_days() {
        let (status, forecast) = get_json("/weather/guntur").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(forecast["district_te"], "గుంటూరు");
        let days = forecast["days"].as_array().unwrap();
        assert_eq!(days.len(), 5);
        assert!(days[0]["date"].as_str().unwrap() > forecast["issued_on"].as_str().unwrap());
        for day in days {
            assert!(day["tmin"].as_f64().unwrap() < day["tmax"].as_f64().unwrap());
        }
        assert_eq!(get_json("/weather/Gotham").await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn an_msp_slot_is_booked_once_per_application() {
        let request = serde_json::json!({
            "application": "AGRI-2026-000042", "aadhaar": REGISTERED, "crop": "paddy-common",
            "quintals": 40.0, "date": iso(today() + 2),
        });
        let (status, booking) = post_json("/msp/bookings", request.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{booking}");
        assert!(booking["token"].as_str().unwrap().starts_with("MSP-"));
        assert!(booking["rsk"].as_str().unwrap().starts_with("RSK "));
        assert_eq!(post_json("/msp/bookings", request).await.1["token"], booking["token"]);
    }

    #[tokio::test]
    async fn msp_bookings_in_the_past_or_for_other_crops_are_refused() {
        let mut request = serde_json::json!({
            "application": "A1", "aadhaar": REGISTERED, "crop": "paddy-common", "quintals": 10.0,
            "date": iso(today() - 1),
        });
        assert_eq!(post_json("/msp/bookings", request.clone()).await.0, StatusCode::BAD_REQUEST);
        request["date"] = iso(today()).into();
        request["crop"] = "cotton".into();
        assert_eq!(post_json("/msp/bookings", request.clone()).await.0, StatusCode::BAD_REQUEST);
        request["crop"] = "maize".into();
        request["aadhaar"] = UNREGISTERED.into();
        assert_eq!(post_json("/msp/bookings", request).await.0, StatusCode::NOT_FOUND);
    }
}
