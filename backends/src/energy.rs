//! The simulated energy department system: the three AP distribution
//! companies' consumer master, monthly LT bills, UPI payment orders, outage
//! complaints and meter readings.
//!
//! A 13-digit service number (USC) is read as the DISCOMs' billing systems
//! would: digits 1–2 are the circle (which fixes district and DISCOM), digit 3
//! the tariff category (0–5 domestic LT-I, 6–7 commercial LT-II, 8
//! agricultural LT-V, 9 industrial LT-III) and digit 4 the account state (0–6
//! paid up, 7–8 arrears carried, 9 disconnected for non-payment). Everything
//! else about a consumer — name, village, load, readings — is generated from
//! the whole number, so the same USC is the same consumer on every run. An
//! unknown circle is `404`.
//!
//! Routes: `GET /consumers/{usc}`, `GET /bills/{usc}`,
//! `POST /bills/{usc}/payments`, `GET /offices?district=`, `POST /complaints`,
//! `GET /complaints/{number}`, `POST /readings`. Money is in paise; errors are
//! `{"error": "..."}`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::seed::calendar::{civil_from_days, days_from_civil, iso, today as today_ist};
use crate::seed::{self, District, Rng};

#[derive(Clone, Copy, Debug)]
struct Circle {
    code: &'static str,
    district: &'static str,
    discom: &'static str,
    discom_name: &'static str,
    /// Share of the circle's consumers in towns (out of 10), where restoration
    /// standards are tighter.
    urban_tenths: u64,
}

const CIRCLES: &[Circle] = &[
    Circle {
        code: "11",
        district: "NTR",
        discom: "APCPDCL",
        discom_name: "AP Central Power Distribution Corporation Ltd",
        urban_tenths: 6,
    },
    Circle {
        code: "12",
        district: "Guntur",
        discom: "APCPDCL",
        discom_name: "AP Central Power Distribution Corporation Ltd",
        urban_tenths: 5,
    },
    Circle {
        code: "21",
        district: "Tirupati",
        discom: "APSPDCL",
        discom_name: "AP Southern Power Distribution Company Ltd",
        urban_tenths: 4,
    },
    Circle {
        code: "22",
        district: "Kurnool",
        discom: "APSPDCL",
        discom_name: "AP Southern Power Distribution Company Ltd",
        urban_tenths: 4,
    },
    Circle {
        code: "31",
        district: "Visakhapatnam",
        discom: "APEPDCL",
        discom_name: "AP Eastern Power Distribution Company Ltd",
        urban_tenths: 7,
    },
    Circle {
        code: "32",
        district: "East Godavari",
        discom: "APEPDCL",
        discom_name: "AP Eastern Power Distribution Company Ltd",
        urban_tenths: 4,
    },
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Category {
    Domestic,
    Commercial,
    Agricultural,
    Industrial,
}

impl Category {
    fn from_digit(d: u8) -> Self {
        match d {
            b'0'..=b'5' => Category::Domestic,
            b'6' | b'7' => Category::Commercial,
            b'8' => Category::Agricultural,
            _ => Category::Industrial,
        }
    }

    fn tariff_code(self) -> &'static str {
        match self {
            Category::Domestic => "LT-I (Domestic)",
            Category::Commercial => "LT-II (Non-domestic/Commercial)",
            Category::Agricultural => "LT-V (Agriculture)",
            Category::Industrial => "LT-III (Industry)",
        }
    }

    /// Telescopic energy-charge slabs: (upper bound in units, paise per unit).
    fn slabs(self) -> &'static [(u64, u64)] {
        match self {
            Category::Domestic => &[(30, 190), (75, 300), (125, 450), (225, 600), (400, 875), (u64::MAX, 975)],
            Category::Commercial => &[(50, 540), (100, 765), (300, 905), (500, 960), (u64::MAX, 1015)],
            // Free supply to farm pump sets; the state pays the DISCOM.
            Category::Agricultural => &[(u64::MAX, 0)],
            Category::Industrial => &[(u64::MAX, 670)],
        }
    }

    /// Fixed charge per kW of sanctioned load per month, in paise.
    fn fixed_per_kw(self) -> u64 {
        match self {
            Category::Domestic => 1000,
            Category::Commercial | Category::Industrial => 7500,
            Category::Agricultural => 0,
        }
    }

    fn customer_charge(self) -> u64 {
        match self {
            Category::Domestic => 4000,
            Category::Commercial => 6500,
            Category::Agricultural => 0,
            Category::Industrial => 15000,
        }
    }

    /// Monthly consumption range for the category, in units (kWh).
    fn usual_units(self) -> (u64, u64) {
        match self {
            Category::Domestic => (60, 420),
            Category::Commercial => (150, 900),
            Category::Agricultural => (300, 1200),
            Category::Industrial => (1000, 5000),
        }
    }

    fn load_range_tenths_kw(self) -> (u64, u64) {
        match self {
            Category::Domestic => (10, 50),
            Category::Commercial => (20, 150),
            Category::Agricultural => (37, 150),
            Category::Industrial => (100, 500),
        }
    }
}

/// Electricity duty, paise per unit.
const DUTY_PAISE_PER_UNIT: u64 = 6;
/// Days between the bill and its due date.
const DUE_AFTER_DAYS: i64 = 14;
/// The day of the month meters are read and bills issued.
const BILL_DAY: u32 = 3;

#[derive(Clone, Debug, Serialize)]
struct Consumer {
    usc: String,
    name: String,
    name_te: String,
    discom: &'static str,
    discom_name: &'static str,
    district: &'static str,
    district_te: &'static str,
    mandal: &'static str,
    village: &'static str,
    village_te: &'static str,
    section_office: String,
    area: &'static str,
    category: Category,
    tariff: &'static str,
    phase: &'static str,
    sanctioned_load_kw: f64,
    meter_number: String,
    connected_on: String,
    status: &'static str,
    arrears_paise: u64,
    /// The reading the last bill was made on.
    last_reading_kwh: u64,
    last_reading_date: String,
    /// Units the last bill charged.
    last_units: u64,
}

fn circle_of(usc: &str) -> Option<&'static Circle> {
    CIRCLES.iter().find(|c| usc.starts_with(c.code))
}

fn district(circle: &Circle) -> &'static District {
    seed::district(circle.district).expect("every circle's district is seeded")
}

fn consumer(usc: &str) -> Result<Consumer, ApiError> {
    let usc = usc.trim();
    if usc.len() != 13 || !usc.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::invalid("a service number (USC) has 13 digits"));
    }
    let circle = circle_of(usc).ok_or_else(|| ApiError::not_found(format!("no service connection {usc}")))?;
    let d = district(circle);
    let bytes = usc.as_bytes();
    let category = Category::from_digit(bytes[2]);
    let state = bytes[3];
    let mut rng = Rng::for_key(&format!("energy:usc:{usc}"));
    let (name, name_te) = seed::person(&mut rng);
    let mandal = rng.pick(d.mandals);
    let village = rng.pick(mandal.villages);
    let (lo, hi) = category.load_range_tenths_kw();
    let load = rng.between(lo, hi) as f64 / 10.0;
    let (units_lo, units_hi) = category.usual_units();
    let last_units = rng.between(units_lo, units_hi);
    let last_reading = rng.between(2_000, 40_000);
    let arrears_paise = match state {
        b'0'..=b'6' => 0,
        b'7' | b'8' => rng.between(500, 6_000) * 100,
        _ => rng.between(3_000, 15_000) * 100,
    };
    let bill_day = bill_day(today_ist());
    let connected_year = 1985 + rng.below(38);
    Ok(Consumer {
        usc: usc.to_owned(),
        name,
        name_te,
        discom: circle.discom,
        discom_name: circle.discom_name,
        district: d.name,
        district_te: d.name_te,
        mandal: mandal.name,
        village: village.name,
        village_te: village.name_te,
        section_office: format!("AE/Operation, {} section", mandal.name),
        area: if rng.below(10) < circle.urban_tenths { "urban" } else { "rural" },
        category,
        tariff: category.tariff_code(),
        phase: if load > 5.0 || category != Category::Domestic { "three-phase" } else { "single-phase" },
        sanctioned_load_kw: load,
        meter_number: format!("{}{:08}", &circle.discom[2..4], rng.below(100_000_000)),
        connected_on: format!("{connected_year}-{:02}-{:02}", rng.between(1, 12), rng.between(1, 28)),
        status: if state == b'9' { "disconnected" } else { "live" },
        arrears_paise,
        last_reading_kwh: last_reading,
        last_reading_date: iso(bill_day),
        last_units: if state == b'9' { 0 } else { last_units },
    })
}

/// Energy charges for `units` in `category`, slab by slab.
fn energy_paise(category: Category, units: u64) -> u64 {
    let mut left = units;
    let mut below = 0;
    let mut paise = 0;
    for &(upto, rate) in category.slabs() {
        let in_slab = left.min(upto - below);
        paise += in_slab * rate;
        left -= in_slab;
        below = upto;
        if left == 0 {
            break;
        }
    }
    paise
}

#[derive(Clone, Debug, Serialize)]
struct Bill {
    usc: String,
    name: String,
    discom: &'static str,
    category: Category,
    tariff: &'static str,
    status: &'static str,
    bill_number: String,
    bill_month: String,
    bill_date: String,
    due_date: String,
    previous_reading_kwh: u64,
    present_reading_kwh: u64,
    units: u64,
    energy_charges_paise: u64,
    fixed_charges_paise: u64,
    customer_charges_paise: u64,
    electricity_duty_paise: u64,
    current_paise: u64,
    arrears_paise: u64,
    total_due_paise: u64,
}

fn charges(category: Category, load_kw: f64, units: u64) -> (u64, u64, u64, u64) {
    let energy = energy_paise(category, units);
    let fixed = (load_kw.ceil() as u64) * category.fixed_per_kw();
    // Farm supply is free to the farmer, duty included.
    let duty = if category == Category::Agricultural { 0 } else { units * DUTY_PAISE_PER_UNIT };
    (energy, fixed, category.customer_charge(), duty)
}

fn bill_of(c: &Consumer) -> Bill {
    let bill_day = bill_day(today_ist());
    let (y, m, _) = civil_from_days(bill_day);
    let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    let units = c.last_units;
    let (energy, fixed, customer, duty) =
        if c.status == "live" { charges(c.category, c.sanctioned_load_kw, units) } else { (0, 0, 0, 0) };
    let current = energy + fixed + customer + duty;
    Bill {
        usc: c.usc.clone(),
        name: c.name.clone(),
        discom: c.discom,
        category: c.category,
        tariff: c.tariff,
        status: c.status,
        bill_number: format!("{}{:04}{:02}{}", &c.discom[2..4], y, m, &c.usc[7..]),
        bill_month: format!("{} {py}", MONTHS[pm as usize - 1]),
        bill_date: iso(bill_day),
        due_date: iso(bill_day + DUE_AFTER_DAYS),
        previous_reading_kwh: c.last_reading_kwh - units,
        present_reading_kwh: c.last_reading_kwh,
        units,
        energy_charges_paise: energy,
        fixed_charges_paise: fixed,
        customer_charges_paise: customer,
        electricity_duty_paise: duty,
        current_paise: current,
        arrears_paise: c.arrears_paise,
        total_due_paise: current + c.arrears_paise,
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

// ---- dates (IST, days since 1970-01-01) ----

/// The latest billing day on or before `today`.
fn bill_day(today: i64) -> i64 {
    let (y, m, d) = civil_from_days(today);
    if d >= BILL_DAY {
        days_from_civil(y, m, BILL_DAY)
    } else if m == 1 {
        days_from_civil(y - 1, 12, BILL_DAY)
    } else {
        days_from_civil(y, m - 1, BILL_DAY)
    }
}

// ---- errors ----

#[derive(Debug)]
struct ApiError(StatusCode, String);

impl ApiError {
    fn not_found(msg: impl Into<String>) -> Self {
        ApiError(StatusCode::NOT_FOUND, msg.into())
    }
    fn invalid(msg: impl Into<String>) -> Self {
        ApiError(StatusCode::UNPROCESSABLE_ENTITY, msg.into())
    }
    fn conflict(msg: impl Into<String>) -> Self {
        ApiError(StatusCode::CONFLICT, msg.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

// ---- state: complaints and readings taken over chat ----

#[derive(Clone, Debug, Serialize)]
struct Complaint {
    number: String,
    usc: String,
    kind: &'static str,
    kind_name: &'static str,
    discom: &'static str,
    section_office: String,
    area: &'static str,
    /// The DISCOM's standard of performance for this fault, in hours.
    restore_within_hours: u32,
    status: &'static str,
    registered_on: String,
    /// Where the lineman's updates go, masked for anyone reading the status.
    mobile_masked: String,
}

#[derive(Debug, Default)]
struct Desk {
    next: u64,
    complaints: Vec<Complaint>,
    /// Readings consumers submitted since the last bill, by USC.
    readings: HashMap<String, u64>,
}

type Shared = Arc<Mutex<Desk>>;

fn lock(state: &Shared) -> std::sync::MutexGuard<'_, Desk> {
    // Every mutation is a single push or insert, so a poisoned desk is still consistent.
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Fault kinds: (id, name, hours to restore in towns, in villages).
const FAULTS: &[(&str, &str, u32, u32)] = &[
    ("no-supply", "No power supply", 4, 12),
    ("low-voltage", "Low or fluctuating voltage", 48, 72),
    ("transformer", "Distribution transformer failed", 24, 48),
    // A snapped line is a danger to life: the lineman goes at once.
    ("line-snapped", "Line snapped or live wire on the ground", 2, 4),
    ("meter", "Meter burnt or not recording", 168, 168),
];

// ---- handlers ----

async fn get_consumer(Path(usc): Path<String>) -> Result<Json<Consumer>, ApiError> {
    consumer(&usc).map(Json)
}

async fn get_bill(Path(usc): Path<String>) -> Result<Json<Bill>, ApiError> {
    consumer(&usc).map(|c| Json(bill_of(&c)))
}

async fn payment_order(Path(usc): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    let c = consumer(&usc)?;
    let bill = bill_of(&c);
    if bill.total_due_paise == 0 {
        return Err(ApiError::conflict(format!("nothing is due on {}", c.usc)));
    }
    // One reference per connection per day, so a second tap pays the same order.
    let (y, m, d) = civil_from_days(today_ist());
    Ok(Json(json!({
        "usc": c.usc,
        "txn_ref": format!("{}{}{y:04}{m:02}{d:02}", c.discom, c.usc),
        "amount_paise": bill.total_due_paise,
        "vpa": format!("{}.billpay@sbi", c.discom.to_ascii_lowercase()),
        "payee": c.discom,
        "bill_number": bill.bill_number,
        "bill_month": bill.bill_month,
        "due_date": bill.due_date,
    })))
}

#[derive(Deserialize)]
struct OfficeQuery {
    district: String,
}

async fn office(Query(q): Query<OfficeQuery>) -> Result<Json<serde_json::Value>, ApiError> {
    let circle = CIRCLES
        .iter()
        .find(|c| {
            c.district.eq_ignore_ascii_case(q.district.trim())
                || c.district.replace(' ', "-").eq_ignore_ascii_case(q.district.trim())
        })
        .ok_or_else(|| ApiError::not_found(format!("no circle serves {:?}", q.district)))?;
    let d = district(circle);
    Ok(Json(json!({
        "district": d.name,
        "district_te": d.name_te,
        "discom": circle.discom,
        "discom_name": circle.discom_name,
        "circle_office": format!("Superintending Engineer/Operation, {} circle", d.name),
        "sections": d.mandals.iter().map(|m| format!("AE/Operation, {} section", m.name)).collect::<Vec<_>>(),
        "helpline": "1912",
    })))
}

#[derive(Deserialize)]
struct ComplaintRequest {
    usc: String,
    kind: String,
    mobile: String,
}

async fn register_complaint(
    State(state): State<Shared>,
    Json(r): Json<ComplaintRequest>,
) -> Result<Response, ApiError> {
    let c = consumer(&r.usc)?;
    let &(kind, kind_name, urban, rural) = FAULTS
        .iter()
        .find(|f| f.0 == r.kind)
        .ok_or_else(|| ApiError::invalid(format!("no fault kind {:?}", r.kind)))?;
    if r.mobile.len() != 10 || !r.mobile.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::invalid("mobile must be 10 digits"));
    }
    if c.status == "disconnected" && kind != "line-snapped" {
        return Err(ApiError::conflict(format!(
            "{} is disconnected for non-payment; pay the dues to restore supply",
            c.usc
        )));
    }
    let mut desk = lock(&state);
    // The same fault reported again joins the open complaint instead of queueing twice.
    if let Some(open) = desk.complaints.iter().find(|x| x.usc == c.usc && x.kind == kind && x.status == "open") {
        return Ok((StatusCode::OK, Json(open.clone())).into_response());
    }
    desk.next += 1;
    let (y, m, _) = civil_from_days(today_ist());
    let complaint = Complaint {
        number: format!("{}-{:02}{m:02}-{:06}", &c.discom[2..], y % 100, desk.next),
        usc: c.usc,
        kind,
        kind_name,
        discom: c.discom,
        section_office: c.section_office,
        area: c.area,
        restore_within_hours: if c.area == "urban" { urban } else { rural },
        status: "open",
        registered_on: iso(today_ist()),
        mobile_masked: format!("{}XXXXXX{}", &r.mobile[..2], &r.mobile[8..]),
    };
    desk.complaints.push(complaint.clone());
    Ok((StatusCode::CREATED, Json(complaint)).into_response())
}

async fn get_complaint(State(state): State<Shared>, Path(number): Path<String>) -> Result<Json<Complaint>, ApiError> {
    let wanted = number.trim().to_ascii_uppercase();
    lock(&state)
        .complaints
        .iter()
        .find(|x| x.number == wanted)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no complaint {wanted}")))
}

#[derive(Deserialize)]
struct ReadingRequest {
    usc: String,
    reading_kwh: u64,
}

async fn submit_reading(State(state): State<Shared>, Json(r): Json<ReadingRequest>) -> Result<Response, ApiError> {
    let c = consumer(&r.usc)?;
    if c.status == "disconnected" {
        return Err(ApiError::conflict(format!("{} is disconnected; no reading is due", c.usc)));
    }
    if r.reading_kwh < c.last_reading_kwh {
        return Err(ApiError::invalid(format!(
            "the reading {} is below the last billed reading {} of {}",
            r.reading_kwh, c.last_reading_kwh, c.last_reading_date
        )));
    }
    let mut desk = lock(&state);
    if let Some(&earlier) = desk.readings.get(&c.usc).filter(|&&earlier| r.reading_kwh < earlier) {
        return Err(ApiError::invalid(format!(
            "the reading {} is below {earlier}, which was submitted earlier this month",
            r.reading_kwh
        )));
    }
    let units = r.reading_kwh - c.last_reading_kwh;
    let (_, hi) = c.category.usual_units();
    // A reading far beyond any month's use is a typo more often than a theft.
    if units > hi * 3 {
        return Err(ApiError::invalid(format!(
            "{units} units since {} is far above this connection's use; check the digits",
            c.last_reading_date
        )));
    }
    let (energy, fixed, customer, duty) = charges(c.category, c.sanctioned_load_kw, units);
    desk.readings.insert(c.usc.clone(), r.reading_kwh);
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "usc": c.usc,
            "previous_reading_kwh": c.last_reading_kwh,
            "previous_reading_date": c.last_reading_date,
            "present_reading_kwh": r.reading_kwh,
            "units": units,
            "estimated_paise": energy + fixed + customer + duty,
            "status": "accepted, to be verified at the next spot billing",
        })),
    )
        .into_response())
}

/// The routes of this backend.
pub fn router() -> Router {
    let state: Shared = Arc::new(Mutex::new(Desk::default()));
    Router::new()
        .route("/consumers/{usc}", get(get_consumer))
        .route("/bills/{usc}", get(get_bill))
        .route("/bills/{usc}/payments", post(payment_order))
        .route("/offices", get(office))
        .route("/complaints", post(register_complaint))
        .route("/complaints/{number}", get(get_complaint))
        .route("/readings", post(submit_reading))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use serde_json::Value;
    use tower::ServiceExt;

    use super::*;

    async fn call(app: &Router, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
        let request = Request::builder().method(method).uri(uri).header("content-type", "application/json");
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        let response = app.clone().oneshot(request.body(body).unwrap()).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    #[test]
    fn domestic_slabs_are_telescopic() {
        // 30 × 1.90 + 45 × 3.00 + 25 × 4.50 = 57 + 135 + 112.50
        assert_eq!(energy_paise(Category::Domestic, 100), 30_450);
        assert_eq!(energy_paise(Category::Domestic, 0), 0);
        assert_eq!(energy_paise(Category::Agricultural, 900), 0);
        assert_eq!(energy_paise(Category::Industrial, 1000), 670_000);
        // Past the last bound every unit is at the top rate.
        assert_eq!(energy_paise(Category::Domestic, 500) - energy_paise(Category::Domestic, 400), 100 * 975);
    }

    #[test]
    fn the_billing_day_is_the_third() {
        assert_eq!(iso(bill_day(days_from_civil(2026, 4, 12))), "2026-04-03");
        assert_eq!(iso(bill_day(days_from_civil(2026, 4, 3))), "2026-04-03");
        assert_eq!(iso(bill_day(days_from_civil(2026, 1, 2))), "2025-12-03");
    }

    #[tokio::test]
    async fn a_bill_adds_up_and_names_the_discom_of_the_district() {
        let app = router();
        let (status, bill) = call(&app, "GET", "/bills/1102345678901", None).await;
        assert_eq!(status, StatusCode::OK, "{bill}");
        assert_eq!(bill["discom"], "APCPDCL");
        assert_eq!(bill["category"], "domestic");
        assert_eq!(bill["arrears_paise"], 0);
        let parts: u64 =
            ["energy_charges_paise", "fixed_charges_paise", "customer_charges_paise", "electricity_duty_paise"]
                .iter()
                .map(|k| bill[k].as_u64().unwrap())
                .sum();
        assert_eq!(bill["current_paise"].as_u64(), Some(parts));
        assert_eq!(bill["total_due_paise"], bill["current_paise"]);
        let units = bill["units"].as_u64().unwrap();
        assert_eq!(
            bill["present_reading_kwh"].as_u64().unwrap() - bill["previous_reading_kwh"].as_u64().unwrap(),
            units
        );
        // The same number is the same consumer on every call.
        assert_eq!(call(&app, "GET", "/bills/1102345678901", None).await.1, bill);

        let (_, south) = call(&app, "GET", "/consumers/2177234567890", None).await;
        assert_eq!((south["discom"].as_str(), south["district"].as_str()), (Some("APSPDCL"), Some("Tirupati")));
        assert_eq!(south["category"], "commercial");
        assert!(south["arrears_paise"].as_u64().unwrap() > 0);
        let (_, east) = call(&app, "GET", "/consumers/3180000000001", None).await;
        assert_eq!((east["discom"].as_str(), east["category"].as_str()), (Some("APEPDCL"), Some("agricultural")));
    }

    #[tokio::test]
    async fn unknown_and_malformed_service_numbers_are_refused() {
        let app = router();
        assert_eq!(call(&app, "GET", "/bills/9902345678901", None).await.0, StatusCode::NOT_FOUND);
        assert_eq!(call(&app, "GET", "/consumers/11023", None).await.0, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(call(&app, "GET", "/consumers/11023456789O1", None).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[tokio::test]
    async fn a_payment_order_carries_the_amount_due_and_the_discoms_handle() {
        let app = router();
        let (_, bill) = call(&app, "GET", "/bills/1271234567890", None).await;
        let (status, order) = call(&app, "POST", "/bills/1271234567890/payments", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(order["amount_paise"], bill["total_due_paise"]);
        assert_eq!(order["vpa"], "apcpdcl.billpay@sbi");
        assert!(order["txn_ref"].as_str().unwrap().starts_with("APCPDCL1271234567890"));
        // A farm connection with nothing carried over owes nothing.
        let (status, body) = call(&app, "POST", "/bills/1180000000001/payments", None).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
    }

    #[tokio::test]
    async fn a_complaint_gets_a_number_and_a_repeat_joins_it() {
        let app = router();
        let report = json!({ "usc": "3102345678901", "kind": "transformer", "mobile": "9876543210" });
        let (status, first) = call(&app, "POST", "/complaints", Some(report.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        let number = first["number"].as_str().unwrap();
        assert!(number.starts_with("EPDCL-"), "{number}");
        assert!([24, 48].contains(&first["restore_within_hours"].as_u64().unwrap()));
        let (status, again) = call(&app, "POST", "/complaints", Some(report)).await;
        assert_eq!((status, again["number"].as_str()), (StatusCode::OK, Some(number)));
        let (status, found) = call(&app, "GET", &format!("/complaints/{}", number.to_lowercase()), None).await;
        assert_eq!((status, found["kind"].as_str()), (StatusCode::OK, Some("transformer")));
        let disconnected = json!({ "usc": "1109345678901", "kind": "no-supply", "mobile": "9876543210" });
        assert_eq!(call(&app, "POST", "/complaints", Some(disconnected)).await.0, StatusCode::CONFLICT);
        let unknown = json!({ "usc": "9902345678901", "kind": "no-supply", "mobile": "9876543210" });
        assert_eq!(call(&app, "POST", "/complaints", Some(unknown)).await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn a_meter_reading_below_the_last_one_is_refused() {
        let app = router();
        let (_, c) = call(&app, "GET", "/consumers/1202345678901", None).await;
        let last = c["last_reading_kwh"].as_u64().unwrap();
        let (status, body) =
            call(&app, "POST", "/readings", Some(json!({ "usc": "1202345678901", "reading_kwh": last - 1 }))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"].as_str().unwrap().contains("below the last billed reading"));
        let (status, body) =
            call(&app, "POST", "/readings", Some(json!({ "usc": "1202345678901", "reading_kwh": last + 150 }))).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(body["units"], 150);
        assert!(body["estimated_paise"].as_u64().unwrap() > energy_paise(Category::Domestic, 150));
        let (status, body) =
            call(&app, "POST", "/readings", Some(json!({ "usc": "1202345678901", "reading_kwh": last + 100 }))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"].as_str().unwrap().contains("submitted earlier"), "{body}");
        let (status, _) =
            call(&app, "POST", "/readings", Some(json!({ "usc": "1202345678901", "reading_kwh": last + 50_000 })))
                .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[tokio::test]
    async fn the_office_for_a_district_names_its_discom() {
        let app = router();
        let (status, body) = call(&app, "GET", "/offices?district=east-godavari", None).await;
        assert_eq!((status, body["discom"].as_str()), (StatusCode::OK, Some("APEPDCL")));
        assert_eq!(call(&app, "GET", "/offices?district=Hyderabad", None).await.0, StatusCode::NOT_FOUND);
    }
}
