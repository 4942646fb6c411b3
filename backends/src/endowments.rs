//! The simulated Endowments department system: six AP Endowments temples with
//! their darshan, seva, room and prasadam counters and e-hundi donations.
//!
//! Bookings live in memory behind a mutex, so every `router()` starts with the
//! same few seeded bookings and nothing else. Each darshan slot, seva and room
//! type has a daily online quota; a booking that would overrun it is refused
//! with `409`. Dates are judged in IST and must fall within the next 30 days,
//! as on the department's own portal.
//!
//! Routes: `GET /temples`, `GET /temples/{id}`,
//! `GET /darshan/availability?temple=&date=`, `POST /darshan/bookings`,
//! `POST /sevas/bookings`, `POST /rooms/bookings`, `POST /prasadam/orders`,
//! `POST /donations`, `GET /bookings/{id}`. Errors are `{"error": "..."}`.

use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::seed::calendar::{civil_from_days, days_from_civil, iso, today as today_ist};
use crate::seed::{self, Rng};

/// How far ahead the portal opens bookings.
const BOOKING_WINDOW_DAYS: i64 = 30;
/// Devotees on one darshan ticket; larger groups book again.
const MAX_PERSONS: u32 = 6;
/// Rooms are let for at most two nights so pilgrims rotate.
const MAX_NIGHTS: u32 = 2;
/// India Post ships at most this many prasadam packets in one parcel.
const MAX_POSTED_PACKETS: u32 = 10;
/// The counter hands out at most this many packets to one order.
const MAX_COUNTER_PACKETS: u32 = 25;
const POSTAGE_RUPEES: u64 = 100;
/// The largest e-hundi donation taken over chat; more is paid at the temple.
const MAX_DONATION_RUPEES: u64 = 1_000_000;

#[derive(Clone, Copy, Debug)]
struct Temple {
    id: &'static str,
    code: &'static str,
    name: &'static str,
    name_te: &'static str,
    deity: &'static str,
    town: &'static str,
    district: &'static str,
    opens: &'static str,
    closes: &'static str,
    darshan_hours: &'static str,
    /// The temple's own UPI handle for tickets and e-hundi.
    vpa: &'static str,
}

const TEMPLES: &[Temple] = &[
    Temple {
        id: "srisailam",
        code: "SRS",
        name: "Sri Bhramaramba Mallikarjuna Swamy Devasthanam, Srisailam",
        name_te: "శ్రీ భ్రమరాంబ మల్లికార్జున స్వామి దేవస్థానం, శ్రీశైలం",
        deity: "Sri Mallikarjuna Swamy and Sri Bhramaramba Devi",
        town: "Srisailam",
        district: "Nandyal",
        opens: "04:30",
        closes: "22:00",
        darshan_hours: "06:00–15:30, 18:00–22:00",
        vpa: "srisailamdevasthanam@sbi",
    },
    Temple {
        id: "kanaka-durga",
        code: "KDV",
        name: "Sri Durga Malleswara Swamyvarla Devasthanam, Vijayawada",
        name_te: "శ్రీ దుర్గా మల్లేశ్వర స్వామివార్ల దేవస్థానం, విజయవాడ",
        deity: "Sri Kanaka Durga Ammavaru",
        town: "Vijayawada (Indrakeeladri)",
        district: "NTR",
        opens: "04:00",
        closes: "21:00",
        darshan_hours: "05:00–13:00, 14:00–21:00",
        vpa: "kanakadurgatemple@sbi",
    },
    Temple {
        id: "simhachalam",
        code: "SMH",
        name: "Sri Varaha Lakshmi Narasimha Swamy Devasthanam, Simhachalam",
        name_te: "శ్రీ వరాహ లక్ష్మీ నృసింహ స్వామి దేవస్థానం, సింహాచలం",
        deity: "Sri Varaha Lakshmi Narasimha Swamy",
        town: "Simhachalam",
        district: "Visakhapatnam",
        opens: "04:00",
        closes: "21:00",
        darshan_hours: "06:30–11:30, 12:30–14:30, 15:30–21:00",
        vpa: "simhachalamdevasthanam@sbi",
    },
    Temple {
        id: "annavaram",
        code: "ANV",
        name: "Sri Veera Venkata Satyanarayana Swamy Devasthanam, Annavaram",
        name_te: "శ్రీ వీర వెంకట సత్యనారాయణ స్వామి దేవస్థానం, అన్నవరం",
        deity: "Sri Veera Venkata Satyanarayana Swamy",
        town: "Annavaram",
        district: "Kakinada",
        opens: "05:00",
        closes: "21:00",
        darshan_hours: "06:00–12:30, 13:30–21:00",
        vpa: "annavaramdevasthanam@sbi",
    },
    Temple {
        id: "srikalahasti",
        code: "SKH",
        name: "Sri Kalahasteeswara Swamy Devasthanam, Srikalahasti",
        name_te: "శ్రీ కాళహస్తీశ్వర స్వామి దేవస్థానం, శ్రీకాళహస్తి",
        deity: "Sri Kalahasteeswara Swamy and Sri Gnana Prasunambika",
        town: "Srikalahasti",
        district: "Tirupati",
        opens: "06:00",
        closes: "21:00",
        darshan_hours: "06:00–21:00",
        vpa: "srikalahastitemple@sbi",
    },
    Temple {
        id: "dwaraka-tirumala",
        code: "DWT",
        name: "Sri Venkateswara Swamy Devasthanam, Dwaraka Tirumala",
        name_te: "శ్రీ వేంకటేశ్వర స్వామి దేవస్థానం, ద్వారకా తిరుమల",
        deity: "Sri Venkateswara Swamy (Chinna Tirupati)",
        town: "Dwaraka Tirumala",
        district: "Eluru",
        opens: "05:00",
        closes: "21:00",
        darshan_hours: "06:00–13:00, 15:00–21:00",
        vpa: "dwarakatirumala@sbi",
    },
];

fn temple(id: &str) -> Result<&'static Temple, ApiError> {
    TEMPLES.iter().find(|t| t.id == id).ok_or_else(|| ApiError::not_found(format!("no temple {id:?}")))
}

const SLOTS: &[(&str, &str)] = &[
    ("morning", "06:00–09:00"),
    ("forenoon", "09:00–12:00"),
    ("afternoon", "14:00–17:00"),
    ("evening", "17:00–20:00"),
];

/// Darshan tickets: id, name, fee per person, online quota per slot per day,
/// and the temples that offer it (empty = every temple).
struct DarshanKind {
    id: &'static str,
    name: &'static str,
    fee: u64,
    quota: u32,
    only_at: &'static [&'static str],
}

const DARSHAN: &[DarshanKind] = &[
    DarshanKind { id: "sarva", name: "Sarva darshan (free)", fee: 0, quota: 500, only_at: &[] },
    DarshanKind { id: "seeghra", name: "Seeghra darshan", fee: 150, quota: 300, only_at: &[] },
    DarshanKind { id: "athi-seeghra", name: "Athi seeghra darshan", fee: 300, quota: 150, only_at: &[] },
    // Touching the jyotirlinga is allowed only at Srisailam, in small batches.
    DarshanKind { id: "sparsha", name: "Sparsha darshan", fee: 500, quota: 60, only_at: &["srisailam"] },
];

/// Sevas per temple: (temple, seva id, name, fee, tickets per day, time).
/// A ticket admits the performer and spouse.
const SEVAS: &[(&str, &str, &str, u64, u32, &str)] = &[
    ("srisailam", "abhishekam", "Rudrabhishekam", 1500, 100, "06:30"),
    ("srisailam", "kumkumarchana", "Kumkumarchana (Bhramaramba Devi)", 500, 150, "07:00"),
    ("srisailam", "kalyanam", "Swamy-Ammavarla Kalyanam", 1000, 50, "10:00"),
    ("kanaka-durga", "kumkumarchana", "Kumkumarchana", 500, 200, "06:00"),
    ("kanaka-durga", "kalyanam", "Shanti Kalyanam", 1000, 60, "10:00"),
    ("kanaka-durga", "homam", "Chandi Homam", 1500, 40, "09:00"),
    ("simhachalam", "kalyanam", "Nitya Kalyanam", 1000, 60, "09:30"),
    ("simhachalam", "suprabhatam", "Suprabhata Seva", 200, 100, "04:30"),
    ("annavaram", "vratham", "Sri Satyanarayana Swamy Vratham", 300, 400, "06:00"),
    ("annavaram", "kalyanam", "Nitya Kalyanam", 1000, 60, "09:30"),
    ("srikalahasti", "rahu-ketu", "Rahu-Ketu Sarpa Dosha Nivarana Puja", 500, 600, "06:00"),
    ("srikalahasti", "abhishekam", "Rudrabhishekam", 600, 100, "06:00"),
    ("dwaraka-tirumala", "kalyanam", "Nitya Kalyanam", 1000, 50, "10:00"),
    ("dwaraka-tirumala", "suprabhatam", "Suprabhata Seva", 200, 80, "05:00"),
];

/// Rooms in the devasthanam choultries: (id, name, rupees per night, guests, rooms per temple).
const ROOMS: &[(&str, &str, u64, u32, u32)] =
    &[("non-ac", "Non-AC room", 300, 4, 40), ("ac", "AC room", 1000, 4, 20), ("cottage", "Cottage", 2000, 6, 5)];

/// Prasadam: (id, name, rupees per packet, temples offering it; empty = all).
const PRASADAM: &[(&str, &str, u64, &[&str])] = &[
    ("laddu", "Laddu (100 g)", 30, &[]),
    ("pulihora", "Pulihora (200 g)", 15, &[]),
    ("annavaram-prasadam", "Annavaram godhuma prasadam (150 g)", 20, &["annavaram"]),
];

const DONATION_PURPOSES: &[(&str, &str)] = &[
    ("annadanam", "Nitya Annadanam"),
    ("gosamrakshana", "Go Samrakshana"),
    ("renovation", "Temple renovation (Jeernoddharana)"),
    ("general", "General donation (e-Hundi)"),
];

// ---- dates (IST, days since 1970-01-01) ----

/// A strict `YYYY-MM-DD` of a real day.
fn parse_iso(s: &str) -> Option<i64> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let day = days_from_civil(y, m, d);
    (civil_from_days(day) == (y, m, d)).then_some(day)
}

/// The day of a booking, refused unless it is today or within the window.
fn bookable_day(date: &str) -> Result<i64, ApiError> {
    let day = parse_iso(date).ok_or_else(|| ApiError::invalid(format!("date {date:?} is not YYYY-MM-DD")))?;
    let today = today_ist();
    if day < today {
        return Err(ApiError::invalid(format!("{date} is in the past")));
    }
    if day > today + BOOKING_WINDOW_DAYS {
        return Err(ApiError::invalid(format!(
            "bookings open {BOOKING_WINDOW_DAYS} days ahead; {date} is after {}",
            iso(today + BOOKING_WINDOW_DAYS)
        )));
    }
    Ok(day)
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

// ---- the ledger ----

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    Darshan,
    Seva,
    Room,
    Prasadam,
    Donation,
}

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Kind::Darshan => "DAR",
            Kind::Seva => "SEV",
            Kind::Room => "ACC",
            Kind::Prasadam => "PRS",
            Kind::Donation => "DON",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Status {
    Confirmed,
    PendingPayment,
    Cancelled,
}

#[derive(Clone, Debug, Serialize)]
struct Booking {
    id: String,
    kind: Kind,
    status: Status,
    temple: &'static str,
    temple_name: &'static str,
    /// The day of darshan or seva, the check-in day, or the collection day.
    date: String,
    /// The darshan kind, seva, room type, prasadam item or donation purpose.
    item: &'static str,
    item_name: &'static str,
    slot: Option<&'static str>,
    /// Persons, tickets, guests or packets.
    count: u32,
    nights: Option<u32>,
    name: String,
    /// Recited in the sankalpam of a seva.
    gotram: Option<String>,
    #[serde(skip)]
    mobile: String,
    mobile_masked: String,
    amount_rupees: u64,
    /// Where the temple takes payment, when something is to be paid.
    vpa: Option<&'static str>,
    #[serde(skip)]
    day: i64,
}

#[derive(Debug)]
struct Ledger {
    next: u64,
    bookings: Vec<Booking>,
}

type Shared = Arc<Mutex<Ledger>>;

fn mask_mobile(mobile: &str) -> String {
    if mobile.len() < 4 {
        return "XXXX".into();
    }
    format!("{}XXXXXX{}", &mobile[..2], &mobile[mobile.len() - 2..])
}

fn valid_mobile(mobile: &str) -> Result<(), ApiError> {
    let ok = mobile.len() == 10 && mobile.bytes().all(|b| b.is_ascii_digit()) && mobile.as_bytes()[0] >= b'6';
    if ok { Ok(()) } else { Err(ApiError::invalid("mobile must be 10 digits starting 6-9")) }
}

fn valid_name(name: &str) -> Result<(), ApiError> {
    let len = name.trim().chars().count();
    if (2..=100).contains(&len) { Ok(()) } else { Err(ApiError::invalid("name must be 2 to 100 characters")) }
}

/// A booking on the ledger when the system starts, so status lookups answer
/// from the first message.
struct SeedBooking {
    temple: &'static str,
    kind: Kind,
    item: &'static str,
    item_name: &'static str,
    slot: Option<&'static str>,
    count: u32,
    nights: Option<u32>,
    days_ahead: i64,
    amount_rupees: u64,
    status: Status,
}

const SEED_BOOKINGS: &[SeedBooking] = &[
    SeedBooking {
        temple: "srisailam",
        kind: Kind::Darshan,
        item: "sarva",
        item_name: "Sarva darshan (free)",
        slot: Some("06:00–09:00"),
        count: 4,
        nights: None,
        days_ahead: 2,
        amount_rupees: 0,
        status: Status::Confirmed,
    },
    SeedBooking {
        temple: "annavaram",
        kind: Kind::Seva,
        item: "vratham",
        item_name: "Sri Satyanarayana Swamy Vratham",
        slot: Some("06:00"),
        count: 1,
        nights: None,
        days_ahead: 5,
        amount_rupees: 300,
        status: Status::Confirmed,
    },
    SeedBooking {
        temple: "kanaka-durga",
        kind: Kind::Room,
        item: "non-ac",
        item_name: "Non-AC room",
        slot: None,
        count: 2,
        nights: Some(1),
        days_ahead: 1,
        amount_rupees: 300,
        status: Status::Cancelled,
    },
];

impl Ledger {
    fn seeded() -> Self {
        let mut ledger = Ledger { next: 100_001, bookings: Vec::new() };
        let today = today_ist();
        for (i, b) in SEED_BOOKINGS.iter().enumerate() {
            let mut rng = Rng::for_key(&format!("endowments:seed-booking:{i}"));
            let (name, _) = seed::person(&mut rng);
            let mobile = format!("9{:09}", rng.below(1_000_000_000));
            let t = temple(b.temple).expect("seeded temples exist");
            ledger.insert(Booking {
                id: String::new(),
                kind: b.kind,
                status: b.status,
                temple: t.id,
                temple_name: t.name,
                date: iso(today + b.days_ahead),
                item: b.item,
                item_name: b.item_name,
                slot: b.slot,
                count: b.count,
                nights: b.nights,
                name,
                gotram: None,
                mobile_masked: mask_mobile(&mobile),
                mobile,
                amount_rupees: b.amount_rupees,
                vpa: None,
                day: today + b.days_ahead,
            });
        }
        ledger
    }

    fn insert(&mut self, mut booking: Booking) -> Booking {
        let code = temple(booking.temple).map_or("AP", |t| t.code);
        booking.id = format!("{code}-{}-{}", booking.kind.tag(), self.next);
        self.next += 1;
        self.bookings.push(booking.clone());
        booking
    }

    fn live(&self) -> impl Iterator<Item = &Booking> {
        self.bookings.iter().filter(|b| b.status != Status::Cancelled)
    }

    /// Persons (darshan) or tickets (seva) already booked for one item on one day.
    fn taken(&self, kind: Kind, temple: &str, item: &str, slot: Option<&str>, day: i64) -> u32 {
        self.live()
            .filter(|b| b.kind == kind && b.temple == temple && b.item == item && b.slot == slot && b.day == day)
            .map(|b| b.count)
            .sum()
    }

    fn rooms_taken(&self, temple: &str, room: &str, night: i64) -> u32 {
        self.live()
            .filter(|b| b.kind == Kind::Room && b.temple == temple && b.item == room)
            .filter(|b| (b.day..b.day + i64::from(b.nights.unwrap_or(1))).contains(&night))
            .count() as u32
    }

    /// A live booking of `kind` this mobile already holds at this temple on this day.
    fn held_by(&self, kind: Kind, temple: &str, day: i64, mobile: &str) -> Option<&Booking> {
        self.live().find(|b| b.kind == kind && b.temple == temple && b.day == day && b.mobile == mobile)
    }
}

/// A second identical request returns the first booking (a citizen may tap
/// twice); a different one for the same day is refused, one per mobile.
fn repeat_or_refuse(existing: Option<&Booking>, same: impl Fn(&Booking) -> bool) -> Result<Option<Booking>, ApiError> {
    match existing {
        Some(b) if same(b) => Ok(Some(b.clone())),
        Some(b) => Err(ApiError::conflict(format!(
            "this mobile already holds booking {} at this temple on {}; one per day",
            b.id, b.date
        ))),
        None => Ok(None),
    }
}

fn created(booking: Booking, repeated: bool) -> Response {
    let status = if repeated { StatusCode::OK } else { StatusCode::CREATED };
    (status, Json(booking)).into_response()
}

fn lock(state: &Shared) -> std::sync::MutexGuard<'_, Ledger> {
    // A panic while holding the lock leaves the ledger consistent (every
    // mutation is a single push), so a poisoned lock is safe to reuse.
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

// ---- handlers ----

async fn list_temples() -> Json<serde_json::Value> {
    let temples: Vec<_> = TEMPLES
        .iter()
        .map(|t| json!({ "id": t.id, "code": t.code, "name": t.name, "name_te": t.name_te, "town": t.town, "district": t.district }))
        .collect();
    Json(json!({ "temples": temples }))
}

async fn temple_details(Path(id): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    let t = temple(&id)?;
    let sevas: Vec<_> = SEVAS
        .iter()
        .filter(|s| s.0 == t.id)
        .map(|(_, id, name, fee, _, time)| json!({ "id": id, "name": name, "fee_rupees": fee, "time": time }))
        .collect();
    let darshan: Vec<_> = DARSHAN
        .iter()
        .filter(|k| k.only_at.is_empty() || k.only_at.contains(&t.id))
        .map(|k| json!({ "id": k.id, "name": k.name, "fee_rupees": k.fee }))
        .collect();
    Ok(Json(json!({
        "id": t.id,
        "name": t.name,
        "name_te": t.name_te,
        "deity": t.deity,
        "town": t.town,
        "district": t.district,
        "opens": t.opens,
        "closes": t.closes,
        "darshan_hours": t.darshan_hours,
        "dress_code": "Traditional dress: dhoti or pyjama with upper cloth for men; saree or churidar with dupatta for women",
        "website": "https://aptemples.ap.gov.in",
        "darshan": darshan,
        "sevas": sevas,
    })))
}

#[derive(Deserialize)]
struct AvailabilityQuery {
    temple: String,
    date: String,
}

async fn availability(
    State(state): State<Shared>,
    Query(q): Query<AvailabilityQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let t = temple(&q.temple)?;
    let day = bookable_day(&q.date)?;
    let ledger = lock(&state);
    let mut rows = Vec::new();
    for kind in DARSHAN.iter().filter(|k| k.only_at.is_empty() || k.only_at.contains(&t.id)) {
        for (slot, hours) in SLOTS {
            let taken = ledger.taken(Kind::Darshan, t.id, kind.id, Some(hours), day);
            rows.push(json!({
                "darshan": kind.id, "name": kind.name, "fee_rupees": kind.fee, "slot": slot, "hours": hours,
                "quota": kind.quota, "remaining": kind.quota.saturating_sub(taken),
            }));
        }
    }
    Ok(Json(json!({ "temple": t.id, "temple_name": t.name, "date": iso(day), "slots": rows })))
}

#[derive(Deserialize)]
struct DarshanRequest {
    temple: String,
    date: String,
    darshan: String,
    slot: String,
    persons: u32,
    name: String,
    mobile: String,
}

async fn book_darshan(State(state): State<Shared>, Json(r): Json<DarshanRequest>) -> Result<Response, ApiError> {
    let t = temple(&r.temple)?;
    let day = bookable_day(&r.date)?;
    let kind = DARSHAN
        .iter()
        .find(|k| k.id == r.darshan && (k.only_at.is_empty() || k.only_at.contains(&t.id)))
        .ok_or_else(|| ApiError::invalid(format!("{} is not offered at {}", r.darshan, t.town)))?;
    let hours = SLOTS
        .iter()
        .find(|(id, _)| *id == r.slot)
        .map(|(_, h)| *h)
        .ok_or_else(|| ApiError::invalid(format!("no slot {:?}", r.slot)))?;
    if !(1..=MAX_PERSONS).contains(&r.persons) {
        return Err(ApiError::invalid(format!("1 to {MAX_PERSONS} persons per booking")));
    }
    valid_mobile(&r.mobile)?;
    valid_name(&r.name)?;
    let mut ledger = lock(&state);
    let same = |b: &Booking| b.item == kind.id && b.slot == Some(hours) && b.count == r.persons;
    if let Some(b) = repeat_or_refuse(ledger.held_by(Kind::Darshan, t.id, day, &r.mobile), same)? {
        return Ok(created(b, true));
    }
    let remaining = kind.quota.saturating_sub(ledger.taken(Kind::Darshan, t.id, kind.id, Some(hours), day));
    if r.persons > remaining {
        return Err(ApiError::conflict(format!(
            "{} at {} on {} {hours} is full: {remaining} of {} places left",
            kind.name,
            t.town,
            iso(day),
            kind.quota
        )));
    }
    let amount = kind.fee * u64::from(r.persons);
    let booking = ledger.insert(Booking {
        id: String::new(),
        kind: Kind::Darshan,
        status: if amount == 0 { Status::Confirmed } else { Status::PendingPayment },
        temple: t.id,
        temple_name: t.name,
        date: iso(day),
        item: kind.id,
        item_name: kind.name,
        slot: Some(hours),
        count: r.persons,
        nights: None,
        name: r.name.trim().to_owned(),
        gotram: None,
        mobile_masked: mask_mobile(&r.mobile),
        mobile: r.mobile,
        amount_rupees: amount,
        vpa: (amount > 0).then_some(t.vpa),
        day,
    });
    Ok(created(booking, false))
}

#[derive(Deserialize)]
struct SevaRequest {
    temple: String,
    seva: String,
    date: String,
    name: String,
    mobile: String,
    gotram: Option<String>,
}

async fn book_seva(State(state): State<Shared>, Json(r): Json<SevaRequest>) -> Result<Response, ApiError> {
    let t = temple(&r.temple)?;
    let day = bookable_day(&r.date)?;
    let &(_, seva, name, fee, quota, time) = SEVAS
        .iter()
        .find(|s| s.0 == t.id && s.1 == r.seva)
        .ok_or_else(|| ApiError::invalid(format!("{} is not performed at {}", r.seva, t.town)))?;
    valid_mobile(&r.mobile)?;
    valid_name(&r.name)?;
    let mut ledger = lock(&state);
    if let Some(b) = repeat_or_refuse(ledger.held_by(Kind::Seva, t.id, day, &r.mobile), |b| b.item == seva)? {
        return Ok(created(b, true));
    }
    let taken = ledger.taken(Kind::Seva, t.id, seva, Some(time), day);
    if taken >= quota {
        return Err(ApiError::conflict(format!(
            "{name} at {} on {} is full: all {quota} tickets booked",
            t.town,
            iso(day)
        )));
    }
    let booking = ledger.insert(Booking {
        id: String::new(),
        kind: Kind::Seva,
        status: Status::PendingPayment,
        temple: t.id,
        temple_name: t.name,
        date: iso(day),
        item: seva,
        item_name: name,
        slot: Some(time),
        count: 1,
        nights: None,
        name: r.name.trim().to_owned(),
        gotram: r.gotram.map(|g| g.trim().to_owned()).filter(|g| !g.is_empty()),
        mobile_masked: mask_mobile(&r.mobile),
        mobile: r.mobile,
        amount_rupees: fee,
        vpa: Some(t.vpa),
        day,
    });
    Ok(created(booking, false))
}

#[derive(Deserialize)]
struct RoomRequest {
    temple: String,
    room: String,
    check_in: String,
    nights: u32,
    guests: u32,
    name: String,
    mobile: String,
}

async fn book_room(State(state): State<Shared>, Json(r): Json<RoomRequest>) -> Result<Response, ApiError> {
    let t = temple(&r.temple)?;
    let day = bookable_day(&r.check_in)?;
    let &(room, room_name, rate, max_guests, rooms) =
        ROOMS.iter().find(|x| x.0 == r.room).ok_or_else(|| ApiError::invalid(format!("no room type {:?}", r.room)))?;
    if !(1..=MAX_NIGHTS).contains(&r.nights) {
        return Err(ApiError::invalid(format!("rooms are let for 1 to {MAX_NIGHTS} nights")));
    }
    if !(1..=max_guests).contains(&r.guests) {
        return Err(ApiError::invalid(format!("a {room_name} takes 1 to {max_guests} guests")));
    }
    valid_mobile(&r.mobile)?;
    valid_name(&r.name)?;
    let mut ledger = lock(&state);
    let same = |b: &Booking| b.item == room && b.nights == Some(r.nights) && b.count == r.guests;
    if let Some(b) = repeat_or_refuse(ledger.held_by(Kind::Room, t.id, day, &r.mobile), same)? {
        return Ok(created(b, true));
    }
    for night in day..day + i64::from(r.nights) {
        if ledger.rooms_taken(t.id, room, night) >= rooms {
            return Err(ApiError::conflict(format!(
                "no {room_name} free at {} on the night of {}; all {rooms} are let",
                t.town,
                iso(night)
            )));
        }
    }
    let booking = ledger.insert(Booking {
        id: String::new(),
        kind: Kind::Room,
        status: Status::PendingPayment,
        temple: t.id,
        temple_name: t.name,
        date: iso(day),
        item: room,
        item_name: room_name,
        slot: None,
        count: r.guests,
        nights: Some(r.nights),
        name: r.name.trim().to_owned(),
        gotram: None,
        mobile_masked: mask_mobile(&r.mobile),
        mobile: r.mobile,
        amount_rupees: rate * u64::from(r.nights),
        vpa: Some(t.vpa),
        day,
    });
    Ok(created(booking, false))
}

#[derive(Deserialize)]
struct PrasadamRequest {
    temple: String,
    item: String,
    packets: u32,
    /// `counter` (collect on `date`) or `post` (India Post to `pincode`).
    delivery: String,
    date: String,
    pincode: Option<String>,
    name: String,
    mobile: String,
}

async fn order_prasadam(State(state): State<Shared>, Json(r): Json<PrasadamRequest>) -> Result<Response, ApiError> {
    let t = temple(&r.temple)?;
    let day = bookable_day(&r.date)?;
    let &(item, item_name, price, _) = PRASADAM
        .iter()
        .find(|p| p.0 == r.item && (p.3.is_empty() || p.3.contains(&t.id)))
        .ok_or_else(|| ApiError::invalid(format!("{} is not made at {}", r.item, t.town)))?;
    let (max, postage) = match r.delivery.as_str() {
        "counter" => (MAX_COUNTER_PACKETS, 0),
        "post" => {
            let pin = r.pincode.as_deref().unwrap_or_default();
            if pin.len() != 6 || !pin.bytes().all(|b| b.is_ascii_digit()) || pin.starts_with('0') {
                return Err(ApiError::invalid("a 6-digit PIN code is needed for postal delivery"));
            }
            (MAX_POSTED_PACKETS, POSTAGE_RUPEES)
        }
        other => return Err(ApiError::invalid(format!("delivery must be counter or post, not {other:?}"))),
    };
    if !(1..=max).contains(&r.packets) {
        return Err(ApiError::invalid(format!("1 to {max} packets by {}", r.delivery)));
    }
    valid_mobile(&r.mobile)?;
    valid_name(&r.name)?;
    let booking = lock(&state).insert(Booking {
        id: String::new(),
        kind: Kind::Prasadam,
        status: Status::PendingPayment,
        temple: t.id,
        temple_name: t.name,
        date: iso(day),
        item,
        item_name,
        slot: None,
        count: r.packets,
        nights: None,
        name: r.name.trim().to_owned(),
        gotram: None,
        mobile_masked: mask_mobile(&r.mobile),
        mobile: r.mobile,
        amount_rupees: price * u64::from(r.packets) + postage,
        vpa: Some(t.vpa),
        day,
    });
    Ok(created(booking, false))
}

#[derive(Deserialize)]
struct DonationRequest {
    temple: String,
    purpose: String,
    amount_rupees: u64,
    name: String,
    mobile: String,
}

async fn donate(State(state): State<Shared>, Json(r): Json<DonationRequest>) -> Result<Response, ApiError> {
    let t = temple(&r.temple)?;
    let &(purpose, purpose_name) = DONATION_PURPOSES
        .iter()
        .find(|p| p.0 == r.purpose)
        .ok_or_else(|| ApiError::invalid(format!("no donation scheme {:?}", r.purpose)))?;
    if !(1..=MAX_DONATION_RUPEES).contains(&r.amount_rupees) {
        return Err(ApiError::invalid(format!("e-Hundi takes ₹1 to ₹{MAX_DONATION_RUPEES}")));
    }
    valid_mobile(&r.mobile)?;
    valid_name(&r.name)?;
    let today = today_ist();
    let booking = lock(&state).insert(Booking {
        id: String::new(),
        kind: Kind::Donation,
        status: Status::PendingPayment,
        temple: t.id,
        temple_name: t.name,
        date: iso(today),
        item: purpose,
        item_name: purpose_name,
        slot: None,
        count: 1,
        nights: None,
        name: r.name.trim().to_owned(),
        gotram: None,
        mobile_masked: mask_mobile(&r.mobile),
        mobile: r.mobile,
        amount_rupees: r.amount_rupees,
        vpa: Some(t.vpa),
        day: today,
    });
    Ok(created(booking, false))
}

async fn booking(State(state): State<Shared>, Path(id): Path<String>) -> Result<Json<Booking>, ApiError> {
    let wanted = id.trim().to_ascii_uppercase();
    lock(&state)
        .bookings
        .iter()
        .find(|b| b.id == wanted)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no booking {wanted}")))
}

/// The routes of this backend.
pub fn router() -> Router {
    let state: Shared = Arc::new(Mutex::new(Ledger::seeded()));
    Router::new()
        .route("/temples", get(list_temples))
        .route("/temples/{id}", get(temple_details))
        .route("/darshan/availability", get(availability))
        .route("/darshan/bookings", post(book_darshan))
        .route("/sevas/bookings", post(book_seva))
        .route("/rooms/bookings", post(book_room))
        .route("/prasadam/orders", post(order_prasadam))
        .route("/donations", post(donate))
        .route("/bookings/{id}", get(booking))
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

    fn in_days(n: i64) -> String {
        iso(today_ist() + n)
    }

    fn darshan(temple: &str, kind: &str, date: &str, persons: u32, mobile: &str) -> Value {
        json!({ "temple": temple, "date": date, "darshan": kind, "slot": "morning", "persons": persons,
                "name": "Lakshmi Reddy", "mobile": mobile })
    }

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(iso(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(parse_iso("2023-02-29"), None);
        assert_eq!(parse_iso("2026-4-1"), None);
        assert_eq!(parse_iso("2026-04-01"), Some(days_from_civil(2026, 4, 1)));
        for day in [-1000, 0, 19_000, 20_500, 40_000] {
            assert_eq!(parse_iso(&iso(day)), Some(day));
        }
    }

    #[tokio::test]
    async fn a_darshan_slot_is_booked_and_refused_once_its_quota_is_taken() {
        let app = router();
        let date = in_days(3);
        // Sparsha darshan at Srisailam admits 60 a slot: ten groups of six fill it.
        for i in 0..10 {
            let (status, body) = call(
                &app,
                "POST",
                "/darshan/bookings",
                Some(darshan("srisailam", "sparsha", &date, 6, &format!("98765432{i:02}"))),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            assert_eq!(body["amount_rupees"], 3000);
            assert_eq!(body["vpa"], "srisailamdevasthanam@sbi");
            assert!(body["id"].as_str().unwrap().starts_with("SRS-DAR-"));
        }
        let (status, body) =
            call(&app, "POST", "/darshan/bookings", Some(darshan("srisailam", "sparsha", &date, 1, "9000000001")))
                .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(body["error"].as_str().unwrap().contains("full: 0 of 60"), "{body}");
        let (_, slots) = call(&app, "GET", &format!("/darshan/availability?temple=srisailam&date={date}"), None).await;
        let sparsha_morning =
            slots["slots"].as_array().unwrap().iter().find(|s| s["darshan"] == "sparsha" && s["slot"] == "morning");
        assert_eq!(sparsha_morning.unwrap()["remaining"], 0);
        // Another day's quota is untouched.
        let (status, _) = call(
            &app,
            "POST",
            "/darshan/bookings",
            Some(darshan("srisailam", "sparsha", &in_days(4), 1, "9000000001")),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
    }

    #[tokio::test]
    async fn a_repeated_darshan_request_returns_the_same_booking() {
        let app = router();
        let body = darshan("kanaka-durga", "sarva", &in_days(0), 2, "9123456780");
        let (first, a) = call(&app, "POST", "/darshan/bookings", Some(body.clone())).await;
        let (again, b) = call(&app, "POST", "/darshan/bookings", Some(body)).await;
        assert_eq!((first, again), (StatusCode::CREATED, StatusCode::OK));
        assert_eq!(a["id"], b["id"]);
        assert_eq!(a["status"], "confirmed");
        let other = darshan("kanaka-durga", "seeghra", &in_days(0), 2, "9123456780");
        let (status, body) = call(&app, "POST", "/darshan/bookings", Some(other)).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(body["error"].as_str().unwrap().contains("one per day"));
    }

    #[tokio::test]
    async fn darshan_dates_outside_the_window_and_unknown_temples_are_refused() {
        let app = router();
        for date in [in_days(-1), in_days(31), "12-04-2026".to_owned()] {
            let (status, _) =
                call(&app, "POST", "/darshan/bookings", Some(darshan("annavaram", "sarva", &date, 1, "9000000002")))
                    .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{date}");
        }
        let (status, _) =
            call(&app, "POST", "/darshan/bookings", Some(darshan("annavaram", "sarva", &in_days(30), 1, "9000000002")))
                .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, body) = call(
            &app,
            "POST",
            "/darshan/bookings",
            Some(darshan("annavaram", "sparsha", &in_days(2), 1, "9000000003")),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"].as_str().unwrap().contains("not offered"));
        let (status, _) =
            call(&app, "POST", "/darshan/bookings", Some(darshan("tirumala", "sarva", &in_days(2), 1, "9000000003")))
                .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn sevas_rooms_prasadam_and_donations_are_priced_by_the_temple() {
        let app = router();
        let seva = json!({ "temple": "srikalahasti", "seva": "rahu-ketu", "date": in_days(6), "name": "Ravi Kumar Rao",
                           "mobile": "9440012345", "gotram": "Kasyapa" });
        let (status, body) = call(&app, "POST", "/sevas/bookings", Some(seva)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!((body["amount_rupees"].as_u64(), body["slot"].as_str()), (Some(500), Some("06:00")));
        let wrong = json!({ "temple": "simhachalam", "seva": "vratham", "date": in_days(6), "name": "Ravi", "mobile": "9440012345" });
        assert_eq!(call(&app, "POST", "/sevas/bookings", Some(wrong)).await.0, StatusCode::UNPROCESSABLE_ENTITY);

        let room = json!({ "temple": "srisailam", "room": "ac", "check_in": in_days(1), "nights": 2, "guests": 3,
                           "name": "Sujatha Naidu", "mobile": "9848011111" });
        let (status, body) = call(&app, "POST", "/rooms/bookings", Some(room)).await;
        assert_eq!((status, body["amount_rupees"].as_u64()), (StatusCode::CREATED, Some(2000)));
        let three_nights = json!({ "temple": "srisailam", "room": "ac", "check_in": in_days(1), "nights": 3, "guests": 3,
                                   "name": "Sujatha Naidu", "mobile": "9848022222" });
        assert_eq!(call(&app, "POST", "/rooms/bookings", Some(three_nights)).await.0, StatusCode::UNPROCESSABLE_ENTITY);

        let posted = json!({ "temple": "annavaram", "item": "annavaram-prasadam", "packets": 5, "delivery": "post",
                             "date": in_days(0), "pincode": "533406", "name": "Suresh Varma", "mobile": "9701234567" });
        let (status, body) = call(&app, "POST", "/prasadam/orders", Some(posted)).await;
        assert_eq!((status, body["amount_rupees"].as_u64()), (StatusCode::CREATED, Some(5 * 20 + 100)));
        let no_pin = json!({ "temple": "annavaram", "item": "laddu", "packets": 5, "delivery": "post",
                             "date": in_days(0), "name": "Suresh Varma", "mobile": "9701234567" });
        assert_eq!(call(&app, "POST", "/prasadam/orders", Some(no_pin)).await.0, StatusCode::UNPROCESSABLE_ENTITY);

        let gift = json!({ "temple": "kanaka-durga", "purpose": "annadanam", "amount_rupees": 5116, "name": "Padmavathi Sharma",
                           "mobile": "9966554433" });
        let (status, body) = call(&app, "POST", "/donations", Some(gift)).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(
            (body["status"].as_str(), body["vpa"].as_str()),
            (Some("pending-payment"), Some("kanakadurgatemple@sbi"))
        );
    }

    #[tokio::test]
    async fn the_last_room_of_a_type_is_let_once() {
        let app = router();
        // Five cottages; the sixth request for an overlapping night is refused.
        for i in 0..5 {
            let r = json!({ "temple": "simhachalam", "room": "cottage", "check_in": in_days(10), "nights": 1, "guests": 2,
                            "name": "Nagaraju Yadav", "mobile": format!("97000000{i:02}") });
            assert_eq!(call(&app, "POST", "/rooms/bookings", Some(r)).await.0, StatusCode::CREATED);
        }
        let overlapping = json!({ "temple": "simhachalam", "room": "cottage", "check_in": in_days(9), "nights": 2, "guests": 2,
                                  "name": "Anjali Rao", "mobile": "9700000099" });
        let (status, body) = call(&app, "POST", "/rooms/bookings", Some(overlapping)).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(body["error"].as_str().unwrap().contains(&in_days(10)), "{body}");
    }

    #[tokio::test]
    async fn booking_status_finds_seeded_and_new_bookings_and_masks_the_mobile() {
        let app = router();
        let (status, body) = call(&app, "GET", "/bookings/srs-dar-100001", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!((body["kind"].as_str(), body["status"].as_str()), (Some("darshan"), Some("confirmed")));
        assert!(body.get("mobile").is_none() && body["mobile_masked"].as_str().unwrap().contains("XXXXXX"));
        let (_, cancelled) = call(&app, "GET", "/bookings/KDV-ACC-100003", None).await;
        assert_eq!(cancelled["status"], "cancelled");
        assert_eq!(call(&app, "GET", "/bookings/SRS-DAR-999999", None).await.0, StatusCode::NOT_FOUND);
        let (_, temple) = call(&app, "GET", "/temples/annavaram", None).await;
        assert_eq!(temple["district"], "Kakinada");
        assert!(temple["sevas"].as_array().unwrap().iter().any(|s| s["id"] == "vratham"));
        assert_eq!(call(&app, "GET", "/temples/tirumala", None).await.0, StatusCode::NOT_FOUND);
    }
}
