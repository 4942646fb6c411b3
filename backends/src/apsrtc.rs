//! The simulated APSRTC systems: the reservation system (timetable, seat
//! inventory, tickets and cancellations), the logistics parcel register and
//! the lost-property register.
//!
//! The timetable is derived from the towns' coordinates and a seeded generator
//! per route, so service 10023 leaves at the same time on every run. Seats sold
//! before the simulator started are seeded per service and date; bookings and
//! cancellations made through it are kept in memory for its lifetime.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::seed::calendar::{iso as iso_date, parse_date};
use crate::seed::{self, Rng};

/// A town with a bus station.
#[derive(Clone, Copy, Debug)]
struct Town {
    slug: &'static str,
    name: &'static str,
    name_te: &'static str,
    /// The booking-office code parcel consignment numbers start with.
    code: &'static str,
    station: &'static str,
    lat: f64,
    lon: f64,
}

const TOWNS: &[Town] = &[
    Town {
        slug: "vijayawada",
        name: "Vijayawada",
        name_te: "విజయవాడ",
        code: "VJA",
        station: "Pandit Nehru Bus Station",
        lat: 16.5062,
        lon: 80.6480,
    },
    Town {
        slug: "visakhapatnam",
        name: "Visakhapatnam",
        name_te: "విశాఖపట్నం",
        code: "VSP",
        station: "Dwaraka Bus Station",
        lat: 17.6868,
        lon: 83.2185,
    },
    Town {
        slug: "tirupati",
        name: "Tirupati",
        name_te: "తిరుపతి",
        code: "TPT",
        station: "Sri Venkateswara Bus Station",
        lat: 13.6288,
        lon: 79.4192,
    },
    Town {
        slug: "guntur",
        name: "Guntur",
        name_te: "గుంటూరు",
        code: "GNT",
        station: "NTR Bus Station",
        lat: 16.3067,
        lon: 80.4365,
    },
    Town {
        slug: "kurnool",
        name: "Kurnool",
        name_te: "కర్నూలు",
        code: "KNL",
        station: "Kurnool Bus Station",
        lat: 15.8281,
        lon: 78.0373,
    },
    Town {
        slug: "rajahmundry",
        name: "Rajahmundry",
        name_te: "రాజమహేంద్రవరం",
        code: "RJY",
        station: "Rajahmundry Bus Complex",
        lat: 17.0005,
        lon: 81.8040,
    },
    Town {
        slug: "nellore",
        name: "Nellore",
        name_te: "నెల్లూరు",
        code: "NLR",
        station: "Atmakur Bus Stand",
        lat: 14.4426,
        lon: 79.9865,
    },
    Town {
        slug: "kakinada",
        name: "Kakinada",
        name_te: "కాకినాడ",
        code: "KKD",
        station: "Kakinada Bus Complex",
        lat: 16.9891,
        lon: 82.2475,
    },
    Town {
        slug: "anantapur",
        name: "Anantapur",
        name_te: "అనంతపురం",
        code: "ATP",
        station: "Anantapur Bus Station",
        lat: 14.6819,
        lon: 77.6006,
    },
    Town {
        slug: "ongole",
        name: "Ongole",
        name_te: "ఒంగోలు",
        code: "OGL",
        station: "Ongole Bus Station",
        lat: 15.5057,
        lon: 80.0499,
    },
];

/// Reservations open this many days ahead (APSRTC's advance reservation period).
const ADVANCE_DAYS: i64 = 60;
/// Online booking closes this many minutes before departure.
const BOOKING_CLOSES_MINUTES: i64 = 30;
const MAX_SEATS_PER_TICKET: u32 = 6;

/// The service types APSRTC runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Class {
    PalleVelugu,
    Express,
    SuperLuxury,
    IndraAc,
    AmaravatiAc,
}

impl Class {
    /// Fare per km in paise, reservation fee in rupees, average speed in km/h
    /// and seats: APSRTC's published figures, rounded.
    fn terms(self) -> (u32, u32, u32, u32) {
        match self {
            Class::PalleVelugu => (100, 0, 38, 55),
            Class::Express => (130, 20, 45, 47),
            Class::SuperLuxury => (160, 30, 50, 36),
            Class::IndraAc => (195, 40, 52, 40),
            Class::AmaravatiAc => (245, 50, 55, 43),
        }
    }

    /// Village services are boarded at the stop and never reserved.
    fn reservable(self) -> bool {
        self != Class::PalleVelugu
    }

    fn seats(self) -> u32 {
        self.terms().3
    }
}

/// One scheduled service: the same every day.
#[derive(Clone, Copy, Debug)]
struct Trip {
    number: u32,
    from: usize,
    to: usize,
    class: Class,
    /// Minutes after midnight.
    departure: i64,
    km: u32,
}

impl Trip {
    /// Fare per seat in rupees, rounded up to the next five as conductors' tickets are.
    fn fare(&self) -> u32 {
        let paise = self.km * self.class.terms().0;
        paise.div_ceil(500) * 5
    }

    /// Running time, with a quarter hour of halts every hundred km.
    fn duration(&self) -> i64 {
        let (_, _, speed, _) = self.class.terms();
        i64::from(self.km * 60 / speed + self.km / 100 * 15)
    }
}

fn road_km(a: &Town, b: &Town) -> u32 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let (dp, dl) = (p2 - p1, (b.lon - a.lon).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    let straight = 2.0 * 6371.0 * h.sqrt().asin();
    // Roads wind: 1.2 × the great-circle distance matches APSRTC's route lengths.
    (straight * 1.2).round() as u32
}

/// The services from one town to another, by departure time.
fn timetable(from: usize, to: usize) -> Vec<Trip> {
    if from == to || from >= TOWNS.len() || to >= TOWNS.len() {
        return Vec::new();
    }
    let km = road_km(&TOWNS[from], &TOWNS[to]);
    let classes: &[Class] = if km <= 170 {
        &[Class::PalleVelugu, Class::Express, Class::SuperLuxury, Class::IndraAc]
    } else if km <= 450 {
        &[Class::Express, Class::SuperLuxury, Class::IndraAc, Class::AmaravatiAc]
    } else {
        &[Class::SuperLuxury, Class::IndraAc, Class::AmaravatiAc]
    };
    let mut rng = Rng::for_key(&format!("route:{}-{}", TOWNS[from].slug, TOWNS[to].slug));
    let count = rng.between(4, 7);
    let mut runs: Vec<(i64, Class)> = (0..count)
        .map(|_| {
            // Long routes mostly run overnight so passengers arrive in the morning.
            let quarter = if km > 300 && rng.below(3) > 0 { rng.between(18 * 4, 23 * 4) } else { rng.between(20, 84) };
            (quarter as i64 * 15, *rng.pick(classes))
        })
        .collect();
    runs.sort_by_key(|run| run.0);
    if !runs.iter().any(|run| run.1.reservable()) {
        runs[0].1 = Class::Express;
    }
    runs.into_iter()
        .enumerate()
        .map(|(k, (departure, class))| Trip {
            number: 10_000 + from as u32 * 1000 + to as u32 * 10 + k as u32,
            from,
            to,
            class,
            departure,
            km,
        })
        .collect()
}

/// The service with this number: the route is encoded in it (1·from·to·k).
fn trip(number: u32) -> Option<Trip> {
    let rest = number.checked_sub(10_000)?;
    let (from, route) = (rest / 1000, rest % 1000);
    if route >= 100 {
        return None;
    }
    timetable(from as usize, (route / 10) as usize).get((route % 10) as usize).copied()
}

/// Seats sold before the simulator started: about one bus in eight is full.
fn seeded_sold(trip: &Trip, day: i64) -> i64 {
    let seats = u64::from(trip.class.seats());
    let mut rng = Rng::for_key(&format!("sold:{}:{day}", trip.number));
    if rng.below(8) == 0 { seats as i64 } else { rng.between(0, seats * 3 / 4) as i64 }
}

#[derive(Clone, Debug, Serialize)]
struct Cancellation {
    deduction_percent: u32,
    refund: u32,
    cancelled_on: String,
}

#[derive(Clone, Debug, Serialize)]
struct Ticket {
    pnr: String,
    service_no: u32,
    class: Class,
    from: &'static str,
    from_te: &'static str,
    to: &'static str,
    to_te: &'static str,
    date: String,
    departure: String,
    arrival: String,
    seats: u32,
    seat_numbers: Vec<u32>,
    passenger: String,
    age: u32,
    phone: String,
    fare_per_seat: u32,
    reservation_fee: u32,
    total: u32,
    cancellation: Option<Cancellation>,
    #[serde(skip)]
    day: i64,
    /// Minutes since the epoch, India time.
    #[serde(skip)]
    departs_at: i64,
}

impl Ticket {
    fn view(&self, now: i64) -> Value {
        let minutes = self.departs_at - now;
        let status = match (&self.cancellation, minutes) {
            (Some(_), _) => "cancelled",
            (None, m) if m < 0 => "travelled",
            _ => "booked",
        };
        let mut view = serde_json::to_value(self).unwrap_or_default();
        view["status"] = json!(status);
        view["minutes_to_departure"] = json!(minutes);
        view
    }
}

/// Deduction from the fare by how long before departure a ticket is
/// cancelled; `None` when it is too late to cancel.
fn deduction_percent(minutes_before: i64) -> Option<u32> {
    match minutes_before {
        m if m >= 48 * 60 => Some(10),
        m if m >= 24 * 60 => Some(25),
        m if m >= 2 * 60 => Some(50),
        _ => None,
    }
}

/// The refund: the reservation fee is never refunded.
fn refund(total: u32, reservation_fee: u32, deduction_percent: u32) -> u32 {
    total.saturating_sub(reservation_fee) * (100 - deduction_percent) / 100
}

#[derive(Clone, Debug, Serialize)]
struct Complaint {
    complaint_no: String,
    office: String,
    registered_on: String,
    matched: bool,
}

#[derive(Default)]
struct Reservations {
    tickets: HashMap<String, Ticket>,
    by_application: HashMap<String, String>,
    /// Seats sold (or, negative, released) through the simulator per (service, day).
    sold: HashMap<(u32, i64), i64>,
    issued: u32,
    complaints: HashMap<String, Complaint>,
}

impl Reservations {
    fn available(&self, trip: &Trip, day: i64) -> u32 {
        let sold = seeded_sold(trip, day) + self.sold.get(&(trip.number, day)).copied().unwrap_or(0);
        (i64::from(trip.class.seats()) - sold).clamp(0, i64::from(trip.class.seats())) as u32
    }

    /// Tickets a citizen can look up from the first minute: one to cancel,
    /// one already travelled, one cancelled and one leaving too soon to cancel.
    fn seeded(now: i64) -> Self {
        let mut this = Reservations::default();
        let today = now.div_euclid(1440);
        let tirupati = timetable(0, 2).into_iter().find(|t| t.class.reservable()).expect("a reservable service");
        let vizag = timetable(0, 1).into_iter().find(|t| t.class.reservable()).expect("a reservable service");
        let soon = now + 90 - (now + 90).rem_euclid(5);
        let seeds = [
            ("AP25000001", tirupati, today + 5, None, false),
            ("AP25000002", vizag, today - 1, None, false),
            ("AP25000003", tirupati, today + 3, None, true),
            ("AP25000004", vizag, soon.div_euclid(1440), Some(soon.rem_euclid(1440)), false),
        ];
        for (pnr, trip, day, departure, cancelled) in seeds {
            let mut rng = Rng::for_key(&format!("ticket:{pnr}"));
            let (passenger, _) = seed::person(&mut rng);
            let seats = rng.between(1, 3) as u32;
            let departure = departure.unwrap_or(trip.departure);
            let age = rng.between(22, 70) as u32;
            let mut ticket = new_ticket(pnr, &trip, day, departure, seats, 20, passenger, age, "9876543210");
            if cancelled {
                let total = ticket.total;
                ticket.cancellation = Some(Cancellation {
                    deduction_percent: 10,
                    refund: refund(total, ticket.reservation_fee, 10),
                    cancelled_on: iso_date(today - 1),
                });
            }
            this.tickets.insert(pnr.to_owned(), ticket);
        }
        this
    }
}

#[allow(clippy::too_many_arguments)] // one ticket's worth of facts, all required
fn new_ticket(
    pnr: &str,
    trip: &Trip,
    day: i64,
    departure: i64,
    seats: u32,
    first_seat: u32,
    passenger: String,
    age: u32,
    phone: &str,
) -> Ticket {
    let (from, to) = (&TOWNS[trip.from], &TOWNS[trip.to]);
    let fee = trip.class.terms().1;
    let arrival = departure + trip.duration();
    Ticket {
        pnr: pnr.to_owned(),
        service_no: trip.number,
        class: trip.class,
        from: from.name,
        from_te: from.name_te,
        to: to.name,
        to_te: to.name_te,
        date: iso_date(day),
        departure: hhmm(departure),
        arrival: if arrival >= 1440 { format!("{} (+{})", hhmm(arrival), arrival / 1440) } else { hhmm(arrival) },
        seats,
        seat_numbers: (first_seat..first_seat + seats).collect(),
        passenger,
        age,
        phone: phone.to_owned(),
        fare_per_seat: trip.fare(),
        reservation_fee: fee,
        total: trip.fare() * seats + fee,
        cancellation: None,
        day,
        departs_at: day * 1440 + departure,
    }
}

type Shared = Arc<Mutex<Reservations>>;

/// A 4xx answer with the reason, as JSON `{"error": …}`.
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

fn conflict(why: impl Into<String>) -> ApiError {
    ApiError(StatusCode::CONFLICT, why.into())
}

/// The routes of this backend.
pub fn router() -> Router {
    let state: Shared = Arc::new(Mutex::new(Reservations::seeded(now_ist())));
    Router::new()
        .route("/towns", get(towns))
        .route("/buses", get(buses))
        .route("/services/{number}", get(service))
        .route("/bookings", post(book))
        .route("/tickets/{pnr}", get(ticket))
        .route("/tickets/{pnr}/cancel", post(cancel))
        .route("/parcels/{lr}", get(parcel))
        .route("/lost-found", post(lost_found))
        .with_state(state)
}

fn lock(state: &Shared) -> std::sync::MutexGuard<'_, Reservations> {
    // A panicked handler leaves the maps consistent (every write is one insert).
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

fn town(slug: &str) -> Result<usize, ApiError> {
    TOWNS
        .iter()
        .position(|t| t.slug.eq_ignore_ascii_case(slug.trim()))
        .ok_or_else(|| not_found(format!("no APSRTC bus station at {slug:?}")))
}

/// A journey date: today up to the advance reservation period.
fn journey_day(date: &str, now: i64) -> Result<i64, ApiError> {
    let day = parse_date(date).ok_or_else(|| bad_request(format!("{date:?} is not a date (YYYY-MM-DD)")))?;
    let today = now.div_euclid(1440);
    if day < today {
        return Err(bad_request(format!("{date} is in the past")));
    }
    if day > today + ADVANCE_DAYS {
        return Err(bad_request(format!("reservations open {ADVANCE_DAYS} days ahead; {date} is later")));
    }
    Ok(day)
}

fn trip_view(trip: &Trip, day: i64, reservations: &Reservations, now: i64) -> Value {
    let (_, fee, _, seats) = trip.class.terms();
    let departs_at = day * 1440 + trip.departure;
    let arrival = trip.departure + trip.duration();
    json!({
        "service_no": trip.number,
        "class": trip.class,
        "from": TOWNS[trip.from].name,
        "from_te": TOWNS[trip.from].name_te,
        "to": TOWNS[trip.to].name,
        "to_te": TOWNS[trip.to].name_te,
        "date": iso_date(day),
        "departure": hhmm(trip.departure),
        "arrival": hhmm(arrival),
        "arrives_next_day": arrival >= 1440,
        "duration_minutes": trip.duration(),
        "distance_km": trip.km,
        "fare": trip.fare(),
        "reservation_fee": fee,
        "reservable": trip.class.reservable(),
        "seats": seats,
        "seats_available": trip.class.reservable().then(|| reservations.available(trip, day)),
        "booking_open": trip.class.reservable() && departs_at - now >= BOOKING_CLOSES_MINUTES,
    })
}

async fn towns() -> Json<Value> {
    Json(json!(
        TOWNS
            .iter()
            .map(|t| json!({"slug": t.slug, "name": t.name, "name_te": t.name_te, "station": t.station}))
            .collect::<Vec<_>>()
    ))
}

#[derive(Deserialize)]
struct BusQuery {
    from: String,
    to: String,
    date: String,
}

async fn buses(State(state): State<Shared>, Query(query): Query<BusQuery>) -> Result<Json<Value>, ApiError> {
    let (from, to) = (town(&query.from)?, town(&query.to)?);
    if from == to {
        return Err(bad_request("the origin and destination are the same town"));
    }
    let now = now_ist();
    let day = journey_day(&query.date, now)?;
    let reservations = lock(&state);
    let services: Vec<Value> = timetable(from, to).iter().map(|t| trip_view(t, day, &reservations, now)).collect();
    Ok(Json(json!({
        "from": TOWNS[from].name,
        "from_te": TOWNS[from].name_te,
        "to": TOWNS[to].name,
        "to_te": TOWNS[to].name_te,
        "date": iso_date(day),
        "distance_km": road_km(&TOWNS[from], &TOWNS[to]),
        "services": services,
    })))
}

#[derive(Deserialize)]
struct DateQuery {
    date: String,
}

async fn service(
    State(state): State<Shared>,
    Path(number): Path<String>,
    Query(query): Query<DateQuery>,
) -> Result<Json<Value>, ApiError> {
    let trip = number.trim().parse().ok().and_then(trip).ok_or_else(|| not_found(format!("no service {number}")))?;
    let now = now_ist();
    let day = journey_day(&query.date, now)?;
    Ok(Json(trip_view(&trip, day, &lock(&state), now)))
}

#[derive(Deserialize)]
struct BookingRequest {
    /// Mitra's application number: booking twice with it returns the same ticket.
    application: String,
    service_no: u32,
    date: String,
    seats: u32,
    passenger: String,
    age: u32,
    phone: String,
}

async fn book(
    State(state): State<Shared>,
    Json(request): Json<BookingRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let now = now_ist();
    let mut reservations = lock(&state);
    if let Some(ticket) =
        reservations.by_application.get(&request.application).and_then(|p| reservations.tickets.get(p))
    {
        return Ok((StatusCode::OK, Json(ticket.view(now))));
    }
    let trip = trip(request.service_no).ok_or_else(|| not_found(format!("no service {}", request.service_no)))?;
    let day = journey_day(&request.date, now)?;
    if !trip.class.reservable() {
        return Err(conflict("Palle Velugu services are not reserved; buy the ticket on the bus"));
    }
    if !(1..=MAX_SEATS_PER_TICKET).contains(&request.seats) {
        return Err(bad_request(format!("a ticket holds 1 to {MAX_SEATS_PER_TICKET} seats")));
    }
    if request.passenger.trim().is_empty() {
        return Err(bad_request("the passenger's name is missing"));
    }
    if day * 1440 + trip.departure - now < BOOKING_CLOSES_MINUTES {
        return Err(conflict(format!("booking for service {} on {} has closed", trip.number, request.date)));
    }
    let available = reservations.available(&trip, day);
    if available < request.seats {
        return Err(conflict(format!("only {available} seats left on service {}", trip.number)));
    }
    reservations.issued += 1;
    let pnr = format!("AP{}", 31_000_000 + reservations.issued);
    let first_seat = trip.class.seats() - available + 1;
    let ticket = new_ticket(
        &pnr,
        &trip,
        day,
        trip.departure,
        request.seats,
        first_seat,
        request.passenger.trim().to_owned(),
        request.age,
        &request.phone,
    );
    let view = ticket.view(now);
    *reservations.sold.entry((trip.number, day)).or_default() += i64::from(request.seats);
    reservations.by_application.insert(request.application, pnr.clone());
    reservations.tickets.insert(pnr, ticket);
    Ok((StatusCode::CREATED, Json(view)))
}

async fn ticket(State(state): State<Shared>, Path(pnr): Path<String>) -> Result<Json<Value>, ApiError> {
    let reservations = lock(&state);
    let ticket = reservations
        .tickets
        .get(pnr.trim().to_ascii_uppercase().as_str())
        .ok_or_else(|| not_found(format!("no ticket with PNR {pnr}")))?;
    Ok(Json(ticket.view(now_ist())))
}

#[derive(Deserialize)]
struct CancelRequest {
    phone: String,
}

async fn cancel(
    State(state): State<Shared>,
    Path(pnr): Path<String>,
    Json(request): Json<CancelRequest>,
) -> Result<Json<Value>, ApiError> {
    let now = now_ist();
    let mut reservations = lock(&state);
    let ticket = reservations
        .tickets
        .get_mut(pnr.trim().to_ascii_uppercase().as_str())
        .ok_or_else(|| not_found(format!("no ticket with PNR {pnr}")))?;
    if ticket.phone != request.phone.trim() {
        return Err(ApiError(StatusCode::FORBIDDEN, "the mobile number does not match the ticket".into()));
    }
    if ticket.cancellation.is_some() {
        // A second tap on "cancel" returns the first cancellation.
        return Ok(Json(ticket.view(now)));
    }
    let Some(percent) = deduction_percent(ticket.departs_at - now) else {
        return Err(conflict("a ticket cannot be cancelled within 2 hours of departure or after it"));
    };
    ticket.cancellation = Some(Cancellation {
        deduction_percent: percent,
        refund: refund(ticket.total, ticket.reservation_fee, percent),
        cancelled_on: iso_date(now.div_euclid(1440)),
    });
    let view = ticket.view(now);
    let released = (ticket.service_no, ticket.day, i64::from(ticket.seats));
    *reservations.sold.entry((released.0, released.1)).or_default() -= released.2;
    Ok(Json(view))
}

/// Consignment numbers are issued in sequence per booking office; later ones do not exist yet.
const LAST_CONSIGNMENT: u32 = 4_000_000;

async fn parcel(Path(lr): Path<String>) -> Result<Json<Value>, ApiError> {
    let lr = lr.trim().to_ascii_uppercase();
    let (code, serial) = match (lr.get(..3), lr.get(3..)) {
        (Some(code), Some(serial))
            if lr.len() == 10
                && code.bytes().all(|b| b.is_ascii_uppercase())
                && serial.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (code, serial.parse::<u32>().unwrap_or(0))
        }
        _ => return Err(bad_request(format!("{lr:?} is not a consignment number (3 letters and 7 digits)"))),
    };
    let origin = TOWNS
        .iter()
        .position(|t| t.code == code)
        .ok_or_else(|| not_found(format!("no APSRTC booking office with code {code}")))?;
    if serial == 0 || serial > LAST_CONSIGNMENT {
        return Err(not_found(format!("no consignment {lr}")));
    }
    let mut rng = Rng::for_key(&format!("parcel:{lr}"));
    let destination = (origin + 1 + rng.below(TOWNS.len() as u64 - 1) as usize) % TOWNS.len();
    let (from, to) = (&TOWNS[origin], &TOWNS[destination]);
    let km = road_km(from, to);
    let days_ago = rng.below(7) as i64;
    let booked = now_ist().div_euclid(1440) - days_ago;
    let weight = rng.between(1, 45) as u32;
    let packages = rng.between(1, 4);
    let charges = (weight * km * 8 / 100).max(50).div_ceil(5) * 5;
    let (sender, _) = seed::person(&mut rng);
    let (receiver, _) = seed::person(&mut rng);
    let carrier = timetable(origin, destination).last().map_or(0, |t| t.number);
    let transit = if km > 300 { 2 } else { 1 };
    let mut events =
        vec![json!({"date": iso_date(booked), "time": "10:15", "status": "booked", "place": from.station})];
    if days_ago >= 1 {
        events.push(json!({"date": iso_date(booked), "time": "21:30", "status": "dispatched", "place": from.station, "service_no": carrier}));
    }
    if days_ago >= transit {
        events.push(
            json!({"date": iso_date(booked + transit), "time": "06:40", "status": "arrived", "place": to.station}),
        );
    }
    // One parcel in five waits at the counter for its receiver.
    if days_ago > transit && rng.below(5) != 0 {
        events.push(json!({"date": iso_date(booked + transit + 1), "time": "11:20", "status": "delivered", "place": to.station}));
    }
    let status = events.last().and_then(|e| e["status"].as_str()).unwrap_or("booked").to_owned();
    Ok(Json(json!({
        "lr": lr,
        "from": from.name,
        "from_te": from.name_te,
        "to": to.name,
        "to_te": to.name_te,
        "booked_on": iso_date(booked),
        "sender": sender,
        "receiver": receiver,
        "packages": packages,
        "weight_kg": weight,
        "charges": charges,
        "status": status,
        "collect_at": to.station,
        "events": events,
    })))
}

#[derive(Deserialize)]
struct LostReport {
    application: String,
    travel_date: String,
    from: String,
    service_no: Option<String>,
    item: String,
    description: String,
    phone: String,
}

async fn lost_found(
    State(state): State<Shared>,
    Json(report): Json<LostReport>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let origin = town(&report.from)?;
    let day = parse_date(&report.travel_date)
        .ok_or_else(|| bad_request(format!("{:?} is not a date (YYYY-MM-DD)", report.travel_date)))?;
    let today = now_ist().div_euclid(1440);
    if day > today {
        return Err(bad_request("the travel date is in the future"));
    }
    if report.description.trim().is_empty() || report.phone.trim().is_empty() {
        return Err(bad_request("describe the article and give a mobile number"));
    }
    let mut reservations = lock(&state);
    if let Some(complaint) = reservations.complaints.get(&report.application) {
        return Ok((StatusCode::OK, Json(json!(complaint))));
    }
    let town = &TOWNS[origin];
    let service = report.service_no.as_deref().unwrap_or("");
    // Conductors hand found articles to the depot; about one in four reports matches one.
    let matched =
        Rng::for_key(&format!("found:{}:{}:{}:{service}", town.slug, report.travel_date, report.item)).below(4) == 0;
    let complaint = Complaint {
        complaint_no: format!("LF/{}/{:05}", town.code, reservations.complaints.len() + 1),
        office: format!("Lost Property Office, {}, {}", town.station, town.name),
        registered_on: iso_date(today),
        matched,
    };
    reservations.complaints.insert(report.application, complaint.clone());
    Ok((StatusCode::CREATED, Json(json!(complaint))))
}

/// Minutes since the Unix epoch on India's clock (UTC+05:30).
fn now_ist() -> i64 {
    mitra_sdk::clock::now_unix_ms().div_euclid(60_000) + 330
}

fn hhmm(minutes: i64) -> String {
    let m = minutes.rem_euclid(1440);
    format!("{:02}:{:02}", m / 60, m % 60)
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

    fn in_days(days: i64) -> String {
        iso_date(now_ist().div_euclid(1440) + days)
    }

    /// A service on `from → to` with seats to sell on `date`, from the search.
    async fn open_service(router: &Router, from: &str, to: &str, date: &str) -> Value {
        let (_, found) = call(router, "GET", &format!("/buses?from={from}&to={to}&date={date}"), None).await;
        found["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["booking_open"] == true && s["seats_available"].as_u64().unwrap() >= 2)
            .cloned()
            .expect("a service with seats")
    }

    #[test]
    fn dates_round_trip_through_the_calendar() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2024-02-29").map(iso_date).as_deref(), Some("2024-02-29"));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("29-02-2024"), None);
        assert_eq!(hhmm(1440 + 75), "01:15");
    }

    #[test]
    fn fares_rise_with_distance_and_class() {
        let vja_gnt = road_km(&TOWNS[0], &TOWNS[3]);
        let vja_vsp = road_km(&TOWNS[0], &TOWNS[1]);
        assert!((30..50).contains(&vja_gnt), "{vja_gnt}");
        assert!((330..400).contains(&vja_vsp), "{vja_vsp}");
        let trip = |class| Trip { number: 10_010, from: 0, to: 1, class, departure: 1290, km: vja_vsp };
        assert!(trip(Class::Express).fare() < trip(Class::SuperLuxury).fare());
        assert!(trip(Class::IndraAc).fare() < trip(Class::AmaravatiAc).fare());
        assert_eq!(trip(Class::AmaravatiAc).fare() % 5, 0);
        assert_eq!(refund(1000, 40, 10), 864);
        assert_eq!(deduction_percent(72 * 60), Some(10));
        assert_eq!(deduction_percent(30 * 60), Some(25));
        assert_eq!(deduction_percent(3 * 60), Some(50));
        assert_eq!(deduction_percent(90), None);
    }

    #[test]
    fn every_service_number_names_its_own_route() {
        for from in 0..TOWNS.len() {
            for to in 0..TOWNS.len() {
                for t in timetable(from, to) {
                    let again = trip(t.number).unwrap();
                    assert_eq!((again.from, again.to, again.departure), (from, to, t.departure));
                }
            }
        }
        assert!(trip(10_100).is_none() && trip(9_999).is_none() && trip(10_003).is_none());
    }

    #[tokio::test]
    async fn buses_between_two_towns_list_class_times_fares_and_seats() {
        let router = router();
        let (status, found) =
            call(&router, "GET", &format!("/buses?from=vijayawada&to=tirupati&date={}", in_days(3)), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(found["to_te"], "తిరుపతి");
        let services = found["services"].as_array().unwrap();
        assert!((4..=7).contains(&services.len()));
        for s in services {
            assert!(s["fare"].as_u64().unwrap() > 350, "{s}");
            assert!(s["departure"].as_str().unwrap().len() == 5);
        }
        let (status, _) =
            call(&router, "GET", &format!("/buses?from=guntur&to=guntur&date={}", in_days(1)), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) =
            call(&router, "GET", &format!("/buses?from=hyderabad&to=guntur&date={}", in_days(1)), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) =
            call(&router, "GET", &format!("/buses?from=kurnool&to=guntur&date={}", in_days(61)), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn booking_takes_seats_once_per_application_and_cancelling_gives_them_back() {
        let router = router();
        let date = in_days(10);
        let bus = open_service(&router, "visakhapatnam", "vijayawada", &date).await;
        let before = bus["seats_available"].as_u64().unwrap();
        let booking = json!({"application": "MITRA-1", "service_no": bus["service_no"], "date": date, "seats": 2,
            "passenger": "Suresh Naidu", "age": 41, "phone": "9876543210"});
        let (status, ticket) = call(&router, "POST", "/bookings", Some(booking.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{ticket}");
        assert_eq!(ticket["status"], "booked");
        assert_eq!(ticket["total"], bus["fare"].as_u64().unwrap() * 2 + bus["reservation_fee"].as_u64().unwrap());
        let (status, again) = call(&router, "POST", "/bookings", Some(booking)).await;
        assert_eq!((status, &again["pnr"]), (StatusCode::OK, &ticket["pnr"]));
        let uri = format!("/services/{}?date={date}", bus["service_no"]);
        let (_, after) = call(&router, "GET", &uri, None).await;
        assert_eq!(after["seats_available"].as_u64().unwrap(), before - 2);

        let pnr = ticket["pnr"].as_str().unwrap();
        let cancel = format!("/tickets/{pnr}/cancel");
        let (status, _) = call(&router, "POST", &cancel, Some(json!({"phone": "9000000000"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, cancelled) = call(&router, "POST", &cancel, Some(json!({"phone": "9876543210"}))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(cancelled["status"], "cancelled");
        assert_eq!(cancelled["cancellation"]["deduction_percent"], 10);
        let (_, restored) = call(&router, "GET", &uri, None).await;
        assert_eq!(restored["seats_available"].as_u64().unwrap(), before);
    }

    #[tokio::test]
    async fn a_full_bus_and_a_village_service_refuse_bookings() {
        let router = router();
        let date = in_days(7);
        let village = (0..TOWNS.len())
            .flat_map(|from| (0..TOWNS.len()).flat_map(move |to| timetable(from, to)))
            .find(|t| t.class == Class::PalleVelugu)
            .expect("short routes run village services");
        let uri = format!("/services/{}?date={date}", village.number);
        let (_, view) = call(&router, "GET", &uri, None).await;
        assert!(view["seats_available"].is_null() && view["reservable"] == false, "{view}");
        let booking = json!({"application": "MITRA-2", "service_no": village.number, "date": date,
            "seats": 1, "passenger": "Anjali Rao", "age": 30, "phone": "9876543210"});
        assert_eq!(call(&router, "POST", "/bookings", Some(booking)).await.0, StatusCode::CONFLICT);
        let bus = open_service(&router, "vijayawada", "tirupati", &date).await;
        let left = bus["seats_available"].as_u64().unwrap();
        for n in 0..=left.div_ceil(6) {
            let seats = left.min(6);
            let booking = json!({"application": format!("FILL-{n}"), "service_no": bus["service_no"], "date": date,
                "seats": seats.max(1), "passenger": "Ravi Kumar", "age": 35, "phone": "9876543210"});
            let (status, body) = call(&router, "POST", "/bookings", Some(booking)).await;
            if status == StatusCode::CONFLICT {
                assert!(body["error"].as_str().unwrap().contains("seats left"), "{body}");
                return;
            }
        }
        panic!("the bus never filled");
    }

    #[tokio::test]
    async fn seeded_tickets_follow_the_cancellation_rules() {
        let router = router();
        let (status, ticket) = call(&router, "GET", "/tickets/ap25000001", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!((ticket["status"].as_str(), ticket["from"].as_str()), (Some("booked"), Some("Vijayawada")));
        assert_eq!(call(&router, "GET", "/tickets/AP25000002", None).await.1["status"], "travelled");
        assert_eq!(call(&router, "GET", "/tickets/AP25000003", None).await.1["status"], "cancelled");
        let late = call(&router, "POST", "/tickets/AP25000004/cancel", Some(json!({"phone": "9876543210"}))).await;
        assert_eq!(late.0, StatusCode::CONFLICT);
        assert_eq!(call(&router, "GET", "/tickets/AP99999999", None).await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn parcels_are_tracked_and_unissued_numbers_are_not_found() {
        let router = router();
        let (status, parcel) = call(&router, "GET", "/parcels/vja0012345", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(parcel["from"], "Vijayawada");
        assert_ne!(parcel["to"], "Vijayawada");
        assert_eq!(parcel["events"][0]["status"], "booked");
        assert!(parcel["charges"].as_u64().unwrap() >= 50);
        assert_eq!(call(&router, "GET", "/parcels/VJA9999999", None).await.0, StatusCode::NOT_FOUND);
        assert_eq!(call(&router, "GET", "/parcels/XYZ0012345", None).await.0, StatusCode::NOT_FOUND);
        assert_eq!(call(&router, "GET", "/parcels/12345", None).await.0, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn a_lost_article_report_gets_one_complaint_number() {
        let router = router();
        let report = json!({"application": "MITRA-9", "travel_date": in_days(-2), "from": "guntur",
            "service_no": null, "item": "bag", "description": "Black backpack with books", "phone": "9876543210"});
        let (status, complaint) = call(&router, "POST", "/lost-found", Some(report.clone())).await;
        assert_eq!(status, StatusCode::CREATED);
        assert!(complaint["complaint_no"].as_str().unwrap().starts_with("LF/GNT/"));
        assert!(complaint["office"].as_str().unwrap().contains("NTR Bus Station"));
        let (status, again) = call(&router, "POST", "/lost-found", Some(report)).await;
        assert_eq!((status, again["complaint_no"].clone()), (StatusCode::OK, complaint["complaint_no"].clone()));
    }
}
