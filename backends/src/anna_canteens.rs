//! The simulated Anna Canteens system: the canteen register (places,
//! coordinates, daily capacity), the weekly menu, citizens' feedback and meal
//! sponsorships by donors.
//!
//! Anna Canteens serve breakfast, lunch and dinner for ₹5 a plate, Monday to
//! Saturday. Sessions already sponsored before the simulator started are
//! seeded per canteen and date; feedback and donations made through it are
//! kept in memory for its lifetime.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::seed::Rng;
use crate::seed::calendar::{iso as iso_date, parse_date, today};

/// What a diner pays for a plate.
const PLATE_PRICE: u32 = 5;
/// What a sponsor pays per meal: the cost of a plate beyond the diner's ₹5.
const SPONSOR_RATE: u32 = 30;
/// The kitchen needs two days' notice of a sponsored session.
const SPONSOR_NOTICE_DAYS: i64 = 2;
const SPONSOR_HORIZON_DAYS: i64 = 90;

#[derive(Clone, Copy, Debug)]
struct Town {
    slug: &'static str,
    name: &'static str,
    name_te: &'static str,
    /// Who answers complaints about the town's canteens.
    officer: &'static str,
}

const TOWNS: &[Town] = &[
    Town {
        slug: "vijayawada",
        name: "Vijayawada",
        name_te: "విజయవాడ",
        officer: "Commissioner, Vijayawada Municipal Corporation",
    },
    Town {
        slug: "visakhapatnam",
        name: "Visakhapatnam",
        name_te: "విశాఖపట్నం",
        officer: "Commissioner, Greater Visakhapatnam Municipal Corporation",
    },
    Town {
        slug: "guntur", name: "Guntur", name_te: "గుంటూరు", officer: "Commissioner, Guntur Municipal Corporation"
    },
    Town {
        slug: "tirupati",
        name: "Tirupati",
        name_te: "తిరుపతి",
        officer: "Commissioner, Tirupati Municipal Corporation",
    },
    Town {
        slug: "nellore",
        name: "Nellore",
        name_te: "నెల్లూరు",
        officer: "Commissioner, Nellore Municipal Corporation",
    },
    Town {
        slug: "kurnool",
        name: "Kurnool",
        name_te: "కర్నూలు",
        officer: "Commissioner, Kurnool Municipal Corporation",
    },
    Town {
        slug: "rajahmundry",
        name: "Rajahmundry",
        name_te: "రాజమహేంద్రవరం",
        officer: "Commissioner, Rajahmahendravaram Municipal Corporation",
    },
    Town {
        slug: "kakinada",
        name: "Kakinada",
        name_te: "కాకినాడ",
        officer: "Commissioner, Kakinada Municipal Corporation",
    },
    Town {
        slug: "anantapur",
        name: "Anantapur",
        name_te: "అనంతపురం",
        officer: "Commissioner, Anantapuramu Municipal Corporation",
    },
    Town {
        slug: "ongole", name: "Ongole", name_te: "ఒంగోలు", officer: "Commissioner, Ongole Municipal Corporation"
    },
];

#[derive(Clone, Copy, Debug)]
struct Canteen {
    code: &'static str,
    town: usize,
    name: &'static str,
    name_te: &'static str,
    address: &'static str,
    lat: f64,
    lon: f64,
    /// Why it is shut, when it is.
    closed: Option<&'static str>,
}

macro_rules! canteen {
    ($code:literal, $town:literal, $name:literal, $name_te:literal, $address:literal, $lat:literal, $lon:literal) => {
        Canteen {
            code: $code,
            town: $town,
            name: $name,
            name_te: $name_te,
            address: $address,
            lat: $lat,
            lon: $lon,
            closed: None,
        }
    };
}

const CANTEENS: &[Canteen] = &[
    canteen!(
        "VJA-01",
        0,
        "Bhavanipuram",
        "భవానీపురం",
        "Near Bhavanipuram Police Station, Vijayawada 520012",
        16.5310,
        80.5935
    ),
    canteen!(
        "VJA-02",
        0,
        "Governorpet",
        "గవర్నర్‌పేట",
        "Old Government Hospital Road, Governorpet, Vijayawada 520002",
        16.5130,
        80.6290
    ),
    canteen!("VJA-03", 0, "Patamata", "పటమట", "Beside Patamata Rythu Bazar, Vijayawada 520010", 16.4985, 80.6650),
    canteen!(
        "VSP-01",
        1,
        "Dwaraka Nagar",
        "ద్వారకా నగర్",
        "Opposite Dwaraka Bus Station, Visakhapatnam 530016",
        17.7260,
        83.3060
    ),
    canteen!("VSP-02", 1, "Gajuwaka", "గాజువాక", "Gajuwaka Junction, Visakhapatnam 530026", 17.6905, 83.2125),
    Canteen {
        closed: Some("closed for kitchen repairs"),
        ..canteen!(
            "VSP-03",
            1,
            "King George Hospital",
            "కేజీహెచ్",
            "KGH Main Gate, Maharanipeta, Visakhapatnam 530002",
            17.7095,
            83.3050
        )
    },
    canteen!(
        "GNT-01",
        2,
        "Government General Hospital",
        "ప్రభుత్వ సర్వజన ఆసుపత్రి",
        "GGH Gate 2, Guntur 522001",
        16.2975,
        80.4530
    ),
    canteen!("GNT-02", 2, "Brodipet", "బ్రాడీపేట", "4th Line, Brodipet, Guntur 522002", 16.3010, 80.4420),
    canteen!(
        "TPT-01",
        3,
        "Central Bus Station",
        "సెంట్రల్ బస్ స్టేషన్",
        "Beside Sri Venkateswara Bus Station, Tirupati 517501",
        13.6280,
        79.4230
    ),
    canteen!("TPT-02", 3, "Ruia Hospital", "రుయా ఆసుపత్రి", "SVRR Government Hospital, Tirupati 517507", 13.6370, 79.4060),
    canteen!(
        "NLR-01",
        4,
        "Atmakur Bus Stand",
        "ఆత్మకూరు బస్టాండ్",
        "Atmakur Bus Stand Road, Nellore 524001",
        14.4440,
        79.9780
    ),
    canteen!("KNL-01", 5, "Old Bus Stand", "పాత బస్టాండ్", "Old Bus Stand, Kurnool 518001", 15.8300, 78.0440),
    canteen!(
        "RJY-01",
        6,
        "Kotipalli Bus Stand",
        "కోటిపల్లి బస్టాండ్",
        "Kotipalli Bus Stand, Rajahmundry 533101",
        17.0020,
        81.7790
    ),
    canteen!(
        "KKD-01",
        7,
        "Government General Hospital",
        "ప్రభుత్వ సర్వజన ఆసుపత్రి",
        "GGH Road, Kakinada 533001",
        16.9650,
        82.2400
    ),
    canteen!("ATP-01", 8, "Clock Tower", "క్లాక్ టవర్", "Near Clock Tower, Anantapur 515001", 14.6810, 77.6000),
    canteen!("OGL-01", 9, "RTC Bus Stand", "ఆర్టీసీ బస్టాండ్", "RTC Bus Stand, Ongole 523001", 15.5050, 80.0480),
];

const SESSIONS: [(&str, &str, &str); 3] =
    [("breakfast", "07:30", "10:00"), ("lunch", "12:30", "15:00"), ("dinner", "19:30", "21:00")];

/// Breakfast and the day's curry, Monday to Saturday: (breakfast en, te, curry en, te).
const WEEK: [(&str, &str, &str, &str); 6] = [
    ("Idli, sambar, chutney", "ఇడ్లీ, సాంబారు, చట్నీ", "brinjal curry", "వంకాయ కూర"),
    ("Puri, potato kurma", "పూరీ, ఆలూ కుర్మా", "cabbage fry", "క్యాబేజీ వేపుడు"),
    ("Upma, chutney", "ఉప్మా, చట్నీ", "beans curry", "బీన్స్ కూర"),
    ("Idli, sambar, chutney", "ఇడ్లీ, సాంబారు, చట్నీ", "potato curry", "బంగాళాదుంప కూర"),
    ("Pongal, sambar, chutney", "పొంగలి, సాంబారు, చట్నీ", "tomato dal", "టమాటా పప్పు"),
    ("Upma, chutney", "ఉప్మా, చట్నీ", "bottle gourd curry", "సొరకాయ కూర"),
];

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn canteen(code: &str) -> Option<&'static Canteen> {
    CANTEENS.iter().find(|c| c.code.eq_ignore_ascii_case(code.trim()))
}

/// Plates a canteen's kitchen makes per session, and so the meals a sponsor pays for.
fn capacity(canteen: &Canteen, session: &str) -> u32 {
    let mut rng = Rng::for_key(&format!("capacity:{}:{session}", canteen.code));
    let (lo, hi) = match session {
        "breakfast" => (10, 16),
        "lunch" => (12, 20),
        _ => (8, 14),
    };
    rng.between(lo, hi) as u32 * 25
}

fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = (p2 - p1, (lon2 - lon1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

fn canteen_view(c: &Canteen) -> Value {
    let town = &TOWNS[c.town];
    let sessions: Vec<Value> = SESSIONS
        .iter()
        .map(|&(session, opens, closes)| {
            let meals = capacity(c, session);
            json!({"session": session, "opens": opens, "closes": closes, "meals": meals, "sponsor_amount": meals * SPONSOR_RATE})
        })
        .collect();
    json!({
        "code": c.code,
        "name": c.name,
        "name_te": c.name_te,
        "town": town.name,
        "town_te": town.name_te,
        "address": c.address,
        "lat": c.lat,
        "lon": c.lon,
        "status": if c.closed.is_some() { "closed" } else { "open" },
        "note": c.closed,
        "plate_price": PLATE_PRICE,
        "sessions": sessions,
    })
}

#[derive(Clone, Debug, serde::Serialize)]
struct Acknowledgement {
    ticket: String,
    canteen: &'static str,
    forwarded_to: &'static str,
    sla_days: u32,
    registered_on: String,
}

#[derive(Clone, Debug, serde::Serialize)]
struct Donation {
    receipt: String,
    canteen: &'static str,
    canteen_name: &'static str,
    town: &'static str,
    date: String,
    sessions: Vec<&'static str>,
    meals: u32,
    amount: u32,
    donor: String,
    occasion: String,
}

#[derive(Default)]
struct Register {
    feedback: HashMap<String, Acknowledgement>,
    donations: HashMap<String, Donation>,
    /// Sessions sponsored through the simulator, by (canteen, day).
    sponsored: HashMap<(&'static str, i64), Vec<&'static str>>,
}

impl Register {
    /// Sessions already sponsored: one in four is taken by a donor who came before.
    fn taken(&self, canteen: &Canteen, day: i64) -> Vec<&'static str> {
        let booked = self.sponsored.get(&(canteen.code, day));
        SESSIONS
            .iter()
            .map(|s| s.0)
            .filter(|session| {
                Rng::for_key(&format!("sponsor:{}:{day}:{session}", canteen.code)).below(4) == 0
                    || booked.is_some_and(|b| b.contains(session))
            })
            .collect()
    }
}

type Shared = Arc<Mutex<Register>>;

#[derive(Debug)]
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

fn not_found(what: impl Into<String>) -> ApiError {
    ApiError(StatusCode::NOT_FOUND, what.into())
}

fn bad_request(why: impl Into<String>) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, why.into())
}

/// The routes of this backend.
pub fn router() -> Router {
    Router::new()
        .route("/canteens", get(list))
        .route("/canteens/nearest", get(nearest))
        .route("/canteens/{code}", get(one))
        .route("/canteens/{code}/sponsorships", get(sponsorships))
        .route("/menu/{day}", get(menu))
        .route("/feedback", post(feedback))
        .route("/donations", post(donate))
        .with_state(Shared::default())
}

fn lock(state: &Shared) -> std::sync::MutexGuard<'_, Register> {
    // Every write is a single insert, so a panicked handler leaves the maps usable.
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

fn found(code: &str) -> Result<&'static Canteen, ApiError> {
    canteen(code).ok_or_else(|| not_found(format!("no Anna Canteen with code {code}")))
}

#[derive(Deserialize)]
struct TownQuery {
    town: Option<String>,
}

async fn list(Query(query): Query<TownQuery>) -> Result<Json<Value>, ApiError> {
    let town = match query.town.as_deref() {
        None => None,
        Some(slug) => Some(
            TOWNS
                .iter()
                .position(|t| t.slug.eq_ignore_ascii_case(slug.trim()))
                .ok_or_else(|| not_found(format!("no Anna Canteens are registered in {slug:?}")))?,
        ),
    };
    let canteens: Vec<Value> = CANTEENS.iter().filter(|c| town.is_none_or(|t| c.town == t)).map(canteen_view).collect();
    Ok(Json(json!(canteens)))
}

#[derive(Deserialize)]
struct Near {
    lat: f64,
    lon: f64,
    limit: Option<usize>,
}

async fn nearest(Query(near): Query<Near>) -> Result<Json<Value>, ApiError> {
    if !(-90.0..=90.0).contains(&near.lat) || !(-180.0..=180.0).contains(&near.lon) {
        return Err(bad_request("latitude or longitude out of range"));
    }
    let mut by_distance: Vec<(f64, &Canteen)> =
        CANTEENS.iter().map(|c| (distance_km(near.lat, near.lon, c.lat, c.lon), c)).collect();
    by_distance.sort_by(|a, b| a.0.total_cmp(&b.0));
    let nearest: Vec<Value> = by_distance
        .into_iter()
        .take(near.limit.unwrap_or(3).clamp(1, 10))
        .map(|(km, c)| {
            let mut view = canteen_view(c);
            view["distance_km"] = json!((km * 10.0).round() / 10.0);
            view
        })
        .collect();
    Ok(Json(json!(nearest)))
}

async fn one(Path(code): Path<String>) -> Result<Json<Value>, ApiError> {
    Ok(Json(canteen_view(found(&code)?)))
}

#[derive(Deserialize)]
struct DateQuery {
    date: String,
}

async fn sponsorships(
    State(state): State<Shared>,
    Path(code): Path<String>,
    Query(query): Query<DateQuery>,
) -> Result<Json<Value>, ApiError> {
    let canteen = found(&code)?;
    let day = parse_date(&query.date).ok_or_else(|| bad_request(format!("{:?} is not a date", query.date)))?;
    let open = canteen.closed.is_none() && weekday(day) != 6;
    let taken = if open { lock(&state).taken(canteen, day) } else { Vec::new() };
    Ok(Json(json!({"canteen": canteen.code, "date": iso_date(day), "open": open, "taken": taken})))
}

async fn menu(Path(day): Path<String>) -> Result<Json<Value>, ApiError> {
    let index = DAYS
        .iter()
        .position(|d| d.eq_ignore_ascii_case(day.trim()))
        .ok_or_else(|| not_found(format!("no day {day:?} (mon … sun)")))?;
    let Some(&(breakfast, breakfast_te, curry, curry_te)) = WEEK.get(index) else {
        return Ok(Json(json!({"day": DAYS[index], "closed": true, "meals": []})));
    };
    let meals = SESSIONS.iter().map(|&(session, opens, closes)| {
        let (items, items_te) = match session {
            "breakfast" => (breakfast.to_owned(), breakfast_te.to_owned()),
            "lunch" => (
                format!("Rice, dal, {curry}, sambar, curd, pickle"),
                format!("అన్నం, పప్పు, {curry_te}, సాంబారు, పెరుగు, పచ్చడి"),
            ),
            _ => (format!("Rice, {curry}, sambar, pickle"), format!("అన్నం, {curry_te}, సాంబారు, పచ్చడి")),
        };
        json!({"meal": session, "opens": opens, "closes": closes, "price": PLATE_PRICE, "items": items, "items_te": items_te})
    });
    Ok(Json(json!({"day": DAYS[index], "closed": false, "meals": meals.collect::<Vec<_>>()})))
}

#[derive(Deserialize)]
struct FeedbackRequest {
    /// Mitra's application number: the same submission files one complaint.
    application: String,
    canteen: String,
    category: String,
    details: String,
}

async fn feedback(
    State(state): State<Shared>,
    Json(request): Json<FeedbackRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let canteen = found(&request.canteen)?;
    if request.details.trim().is_empty() || request.category.trim().is_empty() {
        return Err(bad_request("say what happened"));
    }
    let mut register = lock(&state);
    if let Some(ack) = register.feedback.get(&request.application) {
        return Ok((StatusCode::OK, Json(json!(ack))));
    }
    // Food quality and hygiene go to the food-safety team within a day.
    let sla_days = if matches!(request.category.as_str(), "food-quality" | "hygiene") { 1 } else { 3 };
    let ack = Acknowledgement {
        ticket: format!("AC/{}/{:04}", canteen.code, register.feedback.len() + 1),
        canteen: canteen.code,
        forwarded_to: TOWNS[canteen.town].officer,
        sla_days,
        registered_on: iso_date(today()),
    };
    register.feedback.insert(request.application, ack.clone());
    Ok((StatusCode::CREATED, Json(json!(ack))))
}

#[derive(Deserialize)]
struct DonationRequest {
    application: String,
    canteen: String,
    date: String,
    /// `breakfast`, `lunch`, `dinner` or `full-day`.
    session: String,
    donor: String,
    occasion: String,
}

async fn donate(
    State(state): State<Shared>,
    Json(request): Json<DonationRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let canteen = found(&request.canteen)?;
    let mut register = lock(&state);
    if let Some(donation) = register.donations.get(&request.application) {
        return Ok((StatusCode::OK, Json(json!(donation))));
    }
    let day = parse_date(&request.date).ok_or_else(|| bad_request(format!("{:?} is not a date", request.date)))?;
    let ahead = day - today();
    if !(SPONSOR_NOTICE_DAYS..=SPONSOR_HORIZON_DAYS).contains(&ahead) {
        return Err(bad_request(format!(
            "sponsorships are taken {SPONSOR_NOTICE_DAYS} to {SPONSOR_HORIZON_DAYS} days ahead"
        )));
    }
    if let Some(why) = canteen.closed {
        return Err(ApiError(StatusCode::CONFLICT, format!("{} is {why}", canteen.code)));
    }
    if weekday(day) == 6 {
        return Err(ApiError(StatusCode::CONFLICT, "Anna Canteens are closed on Sundays".into()));
    }
    let sessions: Vec<&'static str> = match request.session.as_str() {
        "full-day" => SESSIONS.iter().map(|s| s.0).collect(),
        one => vec![
            SESSIONS
                .iter()
                .map(|s| s.0)
                .find(|s| *s == one)
                .ok_or_else(|| bad_request(format!("no session {one:?}")))?,
        ],
    };
    let taken = register.taken(canteen, day);
    if let Some(clash) = sessions.iter().find(|s| taken.contains(s)) {
        return Err(ApiError(
            StatusCode::CONFLICT,
            format!("{clash} at {} on {} is already sponsored", canteen.code, request.date),
        ));
    }
    let meals: u32 = sessions.iter().map(|s| capacity(canteen, s)).sum();
    let donation = Donation {
        receipt: format!("ACD/{}/{:05}", canteen.code, register.donations.len() + 1),
        canteen: canteen.code,
        canteen_name: canteen.name,
        town: TOWNS[canteen.town].name,
        date: iso_date(day),
        sessions: sessions.clone(),
        meals,
        amount: meals * SPONSOR_RATE,
        donor: request.donor.trim().to_owned(),
        occasion: request.occasion,
    };
    register.sponsored.entry((canteen.code, day)).or_default().extend(sessions);
    register.donations.insert(request.application, donation.clone());
    Ok((StatusCode::CREATED, Json(json!(donation))))
}

/// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    use super::*;

    async fn call(router: &Router, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
        let request = Request::builder().method(method).uri(uri).header("content-type", "application/json");
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        let response = router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    /// The first weekday at least `ahead` days from today.
    fn weekday_ahead(ahead: i64) -> i64 {
        (today() + ahead..).find(|d| weekday(*d) != 6).unwrap()
    }

    #[test]
    fn the_register_has_fifteen_odd_canteens_with_unique_codes_in_andhra_pradesh() {
        assert!((15..=20).contains(&CANTEENS.len()));
        for c in CANTEENS {
            assert_eq!(CANTEENS.iter().filter(|o| o.code == c.code).count(), 1, "{}", c.code);
            assert!((12.5..19.5).contains(&c.lat) && (76.5..85.0).contains(&c.lon), "{}", c.code);
            assert!(!c.name_te.is_empty());
        }
        assert!(TOWNS.iter().enumerate().all(|(i, _)| CANTEENS.iter().any(|c| c.town == i)));
        assert_eq!(weekday(parse_date("2024-08-15").unwrap()), 3); // a Thursday
    }

    #[tokio::test]
    async fn the_three_nearest_canteens_come_back_by_distance() {
        let router = router();
        // Benz Circle, Vijayawada.
        let (status, near) = call(&router, "GET", "/canteens/nearest?lat=16.4990&lon=80.6560", None).await;
        assert_eq!(status, StatusCode::OK);
        let near = near.as_array().unwrap();
        assert_eq!(near.len(), 3);
        assert_eq!(near[0]["code"], "VJA-03");
        let km: Vec<f64> = near.iter().map(|c| c["distance_km"].as_f64().unwrap()).collect();
        assert!(km[0] < 1.5 && km.windows(2).all(|w| w[0] <= w[1]), "{km:?}");
        assert!(near.iter().all(|c| c["town"] == "Vijayawada"));
        let (_, far) = call(&router, "GET", "/canteens/nearest?lat=13.6288&lon=79.4192&limit=1", None).await;
        assert_eq!(far[0]["town"], "Tirupati");
        assert_eq!(call(&router, "GET", "/canteens/nearest?lat=123&lon=80", None).await.0, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn canteens_are_listed_by_town_and_looked_up_by_code() {
        let router = router();
        let (_, vizag) = call(&router, "GET", "/canteens?town=visakhapatnam", None).await;
        let vizag = vizag.as_array().unwrap();
        assert_eq!(vizag.len(), 3);
        assert!(vizag.iter().any(|c| c["status"] == "closed"));
        assert_eq!(call(&router, "GET", "/canteens?town=hyderabad", None).await.0, StatusCode::NOT_FOUND);
        let (status, one) = call(&router, "GET", "/canteens/gnt-01", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(one["sessions"][1]["sponsor_amount"], one["sessions"][1]["meals"].as_u64().unwrap() * 30);
        assert_eq!(call(&router, "GET", "/canteens/XYZ-99", None).await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn the_menu_is_five_rupees_a_plate_and_sunday_is_a_holiday() {
        let router = router();
        let (_, monday) = call(&router, "GET", "/menu/mon", None).await;
        let meals = monday["meals"].as_array().unwrap();
        assert_eq!(meals.len(), 3);
        assert!(meals.iter().all(|m| m["price"] == 5));
        assert_eq!(meals[0]["items"], "Idli, sambar, chutney");
        assert!(meals[1]["items_te"].as_str().unwrap().contains("వంకాయ"));
        assert_eq!(call(&router, "GET", "/menu/sun", None).await.1["closed"], true);
        assert_eq!(call(&router, "GET", "/menu/funday", None).await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn feedback_is_acknowledged_once_and_routed_to_the_commissioner() {
        let router = router();
        let body = json!({"application": "MITRA-1", "canteen": "VJA-02", "category": "hygiene",
            "details": "Plates not washed properly"});
        let (status, ack) = call(&router, "POST", "/feedback", Some(body.clone())).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(ack["ticket"], "AC/VJA-02/0001");
        assert_eq!(ack["sla_days"], 1);
        assert!(ack["forwarded_to"].as_str().unwrap().contains("Vijayawada"));
        assert_eq!(call(&router, "POST", "/feedback", Some(body)).await.1["ticket"], "AC/VJA-02/0001");
        let unknown = json!({"application": "MITRA-2", "canteen": "VJA-99", "category": "other", "details": "x"});
        assert_eq!(call(&router, "POST", "/feedback", Some(unknown)).await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn a_sponsored_session_cannot_be_sponsored_twice() {
        let router = router();
        // The first open day from five days out with a session no earlier donor has taken.
        let (date, session) = (5..60)
            .map(weekday_ahead)
            .find_map(|day| {
                let taken = Register::default().taken(canteen("TPT-01").unwrap(), day);
                SESSIONS.iter().map(|s| s.0).find(|s| !taken.contains(s)).map(|s| (iso_date(day), s))
            })
            .expect("some session is free within two months");
        let uri = format!("/canteens/TPT-01/sponsorships?date={date}");
        let (_, before) = call(&router, "GET", &uri, None).await;
        assert!(!before["taken"].as_array().unwrap().contains(&json!(session)));
        let body = |app: &str| {
            json!({"application": app, "canteen": "TPT-01", "date": date, "session": session,
                "donor": "Padmavathi Reddy", "occasion": "birthday"})
        };
        let (status, receipt) = call(&router, "POST", "/donations", Some(body("MITRA-1"))).await;
        assert_eq!(status, StatusCode::CREATED, "{receipt}");
        assert_eq!(receipt["amount"], receipt["meals"].as_u64().unwrap() * 30);
        assert_eq!(call(&router, "POST", "/donations", Some(body("MITRA-1"))).await.0, StatusCode::OK);
        assert_eq!(call(&router, "POST", "/donations", Some(body("MITRA-2"))).await.0, StatusCode::CONFLICT);
        let (_, after) = call(&router, "GET", &uri, None).await;
        assert!(after["taken"].as_array().unwrap().contains(&json!(session)));

        let tomorrow = json!({"application": "MITRA-3", "canteen": "TPT-01", "date": iso_date(today() + 1),
            "session": "lunch", "donor": "Suresh", "occasion": "festival"});
        assert_eq!(call(&router, "POST", "/donations", Some(tomorrow)).await.0, StatusCode::BAD_REQUEST);
        let closed = json!({"application": "MITRA-4", "canteen": "VSP-03", "date": date,
            "session": "lunch", "donor": "Suresh", "occasion": "festival"});
        assert_eq!(call(&router, "POST", "/donations", Some(closed)).await.0, StatusCode::CONFLICT);
        let sunday = (today() + 3..).find(|d| weekday(*d) == 6).unwrap();
        let (_, shut) =
            call(&router, "GET", &format!("/canteens/TPT-01/sponsorships?date={}", iso_date(sunday)), None).await;
        assert_eq!(shut["open"], false);
    }
}
