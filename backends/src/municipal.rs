//! The simulated systems of the urban local bodies (municipal corporations):
//! births and deaths registration, property tax, trade licences, building
//! permissions (DPMS) and the sanitation complaint desk.
//!
//! One corporation per seeded district, known by a three-letter code
//! (`VJA`, `GNT`, `TPT`, `VSP`, `KNL`, `RJY`) and, in assessment numbers, by
//! a four-digit code (`1001`…`1006`). Keys worth knowing (checked by the
//! tests below):
//! - births `B-2023-VJA-04821` (named) and `B-2023-VJA-00022` (no name
//!   registered yet); death `D-2024-GNT-00318`;
//! - assessments (ten digits) `1001000001` (nothing due), `1001000006`
//!   (arrears with interest), `1001000020` (nothing due, no tap connection),
//!   `1001000009` (dues outstanding, no tap connection);
//! - trade licences `TL-VJA-2024-00123` (active) and `TL-VJA-2024-00124`
//!   (suspended); building permission `BP-VJA-2025-01234`.
//!
//! Serials above the yearly volume (30,000 births, 20,000 deaths, 250,000
//! assessments, 20,000 licences and permissions) are 404. Some records make
//! a citizen ineligible: a birth whose child's name is not yet registered,
//! property tax already paid (nothing to pay) or outstanding (no new tap
//! connection), a suspended or cancelled trade licence.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::seed::calendar::{civil_from_days as civil, days_from_civil, iso, today};
use crate::seed::{self, Rng};

/// The routes of this backend.
pub fn router() -> Router {
    Router::new()
        .route("/births/{registration}", get(birth))
        .route("/deaths/{registration}", get(death))
        .route("/property-tax/{assessment}", get(property_tax))
        .route("/trade-licences/{number}", get(trade_licence))
        .route("/building-permissions/{number}", get(building_permission))
        .route("/sanitation/complaints", post(sanitation_complaint))
}

/// A 4xx answer with a sentence the plugin can pass on.
#[derive(Debug)]
pub struct ApiError(StatusCode, String);

impl ApiError {
    fn not_found(message: impl Into<String>) -> Self {
        ApiError(StatusCode::NOT_FOUND, message.into())
    }

    fn bad_request(message: impl Into<String>) -> Self {
        ApiError(StatusCode::BAD_REQUEST, message.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(serde_json::json!({ "error": self.1 }))).into_response()
    }
}

/// A text in English and Telugu.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bilingual {
    pub en: String,
    pub te: String,
}

fn bi(en: &str, te: &str) -> Bilingual {
    Bilingual { en: en.to_owned(), te: te.to_owned() }
}

fn owned((en, te): (String, String)) -> Bilingual {
    Bilingual { en, te }
}

/// An urban local body (municipal corporation).
#[derive(Clone, Copy, Debug)]
pub struct Ulb {
    /// Three letters, used in registration and licence numbers.
    pub code: &'static str,
    /// Four digits, the first part of an assessment number.
    pub number: u32,
    pub name: &'static str,
    pub name_te: &'static str,
    pub town: &'static str,
    pub town_te: &'static str,
    /// The seed district it lies in.
    pub district: &'static str,
    /// Where its property tax is collected by UPI. The `@mitrasim` handle
    /// belongs to no bank, so a demo link can never move real money.
    pub vpa: &'static str,
    pub localities: &'static [(&'static str, &'static str)],
    pub hospital: (&'static str, &'static str),
}

/// The corporations the simulator knows.
pub const ULBS: &[Ulb] = &[
    Ulb {
        code: "VJA",
        number: 1001,
        name: "Vijayawada Municipal Corporation",
        name_te: "విజయవాడ నగరపాలక సంస్థ",
        town: "Vijayawada",
        town_te: "విజయవాడ",
        district: "NTR",
        vpa: "vmc.propertytax@mitrasim",
        localities: &[
            ("Governorpet", "గవర్నర్‌పేట"),
            ("Patamata", "పటమట"),
            ("Labbipet", "లబ్బీపేట"),
            ("Ajit Singh Nagar", "అజిత్ సింగ్ నగర్"),
        ],
        hospital: ("Government General Hospital, Vijayawada", "ప్రభుత్వ సర్వజన ఆసుపత్రి, విజయవాడ"),
    },
    Ulb {
        code: "GNT",
        number: 1002,
        name: "Guntur Municipal Corporation",
        name_te: "గుంటూరు నగరపాలక సంస్థ",
        town: "Guntur",
        town_te: "గుంటూరు",
        district: "Guntur",
        vpa: "gmc.propertytax@mitrasim",
        localities: &[
            ("Brodipet", "బ్రాడీపేట"),
            ("Arundelpet", "అరండల్‌పేట"),
            ("Lakshmipuram", "లక్ష్మీపురం"),
            ("Kothapet", "కొత్తపేట"),
        ],
        hospital: ("Government General Hospital, Guntur", "ప్రభుత్వ సర్వజన ఆసుపత్రి, గుంటూరు"),
    },
    Ulb {
        code: "TPT",
        number: 1003,
        name: "Tirupati Municipal Corporation",
        name_te: "తిరుపతి నగరపాలక సంస్థ",
        town: "Tirupati",
        town_te: "తిరుపతి",
        district: "Tirupati",
        vpa: "tmc.propertytax@mitrasim",
        localities: &[
            ("Tilak Road", "తిలక్ రోడ్"),
            ("Balaji Colony", "బాలాజీ కాలనీ"),
            ("Korlagunta", "కొర్లగుంట"),
            ("Bairagipatteda", "బైరాగిపట్టెడ"),
        ],
        hospital: ("SVRR Government General Hospital, Tirupati", "రుయా ప్రభుత్వ ఆసుపత్రి, తిరుపతి"),
    },
    Ulb {
        code: "VSP",
        number: 1004,
        name: "Greater Visakhapatnam Municipal Corporation",
        name_te: "మహా విశాఖ నగరపాలక సంస్థ",
        town: "Visakhapatnam",
        town_te: "విశాఖపట్నం",
        district: "Visakhapatnam",
        vpa: "gvmc.propertytax@mitrasim",
        localities: &[
            ("MVP Colony", "ఎంవీపీ కాలనీ"),
            ("Gajuwaka", "గాజువాక"),
            ("Dwaraka Nagar", "ద్వారకా నగర్"),
            ("Madhurawada", "మధురవాడ"),
        ],
        hospital: ("King George Hospital, Visakhapatnam", "కింగ్ జార్జ్ ఆసుపత్రి, విశాఖపట్నం"),
    },
    Ulb {
        code: "KNL",
        number: 1005,
        name: "Kurnool Municipal Corporation",
        name_te: "కర్నూలు నగరపాలక సంస్థ",
        town: "Kurnool",
        town_te: "కర్నూలు",
        district: "Kurnool",
        vpa: "kmc.propertytax@mitrasim",
        localities: &[
            ("Budhawarpeta", "బుధవారపేట"),
            ("Krishna Nagar", "కృష్ణా నగర్"),
            ("Balaji Nagar", "బాలాజీ నగర్"),
            ("Gandhi Nagar", "గాంధీ నగర్"),
        ],
        hospital: ("Government General Hospital, Kurnool", "ప్రభుత్వ సర్వజన ఆసుపత్రి, కర్నూలు"),
    },
    Ulb {
        code: "RJY",
        number: 1006,
        name: "Rajamahendravaram Municipal Corporation",
        name_te: "రాజమహేంద్రవరం నగరపాలక సంస్థ",
        town: "Rajamahendravaram",
        town_te: "రాజమహేంద్రవరం",
        district: "East Godavari",
        vpa: "rmc.propertytax@mitrasim",
        localities: &[
            ("Danavaipeta", "దానవాయిపేట"),
            ("Innespeta", "ఇన్నీసుపేట"),
            ("Prakash Nagar", "ప్రకాష్ నగర్"),
            ("Morampudi", "మోరంపూడి"),
        ],
        hospital: ("Government Hospital, Rajamahendravaram", "ప్రభుత్వ ఆసుపత్రి, రాజమహేంద్రవరం"),
    },
];

fn ulb_by_code(code: &str) -> Option<&'static Ulb> {
    ULBS.iter().find(|u| u.code.eq_ignore_ascii_case(code))
}

impl Ulb {
    fn label(&self) -> Bilingual {
        bi(self.name, self.name_te)
    }

    fn headquarters(&self) -> &'static seed::District {
        seed::district(self.district).expect("every corporation lies in a seeded district")
    }

    /// A door number and locality in this town.
    fn address(&self, rng: &mut Rng) -> Bilingual {
        let (locality, locality_te) = *rng.pick(self.localities);
        let door = format!("{}-{}-{}", rng.between(1, 40), rng.between(1, 30), rng.between(1, 120));
        let pin = self.headquarters().pincode;
        Bilingual {
            en: format!("D.No. {door}, {locality}, {}, {pin}", self.town),
            te: format!("ఇం.నం. {door}, {locality_te}, {}, {pin}", self.town_te),
        }
    }
}

// ---------------------------------------------------------------- dates

/// The first year of the financial year (April to March) `days` falls in.
fn financial_year(days: i64) -> i64 {
    let (y, m, _) = civil(days);
    if m >= 4 { y } else { y - 1 }
}

/// A day of `year`, never after today.
fn day_in(rng: &mut Rng, year: i64) -> i64 {
    let start = days_from_civil(year, 1, 1);
    let end = days_from_civil(year, 12, 31).min(today());
    start + rng.below((end - start).max(0) as u64 + 1) as i64
}

// ---------------------------------------------------------------- keys

/// A record key `<prefix>-<YYYY>-<ULB>-<serial>` (births, deaths) or
/// `<prefix>-<ULB>-<YYYY>-<serial>` (licences, permissions).
#[derive(Clone, Copy, Debug)]
struct Key {
    ulb: &'static Ulb,
    year: i64,
    serial: u64,
}

fn parse_key(input: &str, prefix: &str, year_first: bool, per_year: u64, what: &str) -> Result<Key, ApiError> {
    let normal = input.trim().to_ascii_uppercase();
    let example = if year_first { format!("{prefix}-2023-VJA-04821") } else { format!("{prefix}-VJA-2024-00123") };
    let bad = || ApiError::bad_request(format!("{input} is not a {what} number (like {example})"));
    let parts: Vec<&str> = normal.split('-').collect();
    let [p, a, b, serial] = parts.as_slice() else { return Err(bad()) };
    let (year, ulb) = if year_first { (a, b) } else { (b, a) };
    if *p != prefix || year.len() != 4 || serial.is_empty() || serial.len() > 5 {
        return Err(bad());
    }
    let year: i64 = year.parse().map_err(|_| bad())?;
    let serial: u64 = serial.parse().map_err(|_| bad())?;
    let missing = || ApiError::not_found(format!("no {what} {normal}"));
    let ulb = ulb_by_code(ulb).ok_or_else(missing)?;
    let this_year = civil(today()).0;
    if !(1995..=this_year).contains(&year) || serial == 0 || serial > per_year {
        return Err(missing());
    }
    Ok(Key { ulb, year, serial })
}

const FEMALE: &[&str] = &["Lakshmi", "Padmavathi", "Anjali", "Sujatha", "Durga Bhavani"];

/// A name from the seed list of the wanted sex.
fn person_of(rng: &mut Rng, female: bool) -> (String, String) {
    loop {
        let (name, name_te) = seed::person(rng);
        if FEMALE.iter().any(|given| name.starts_with(given)) == female {
            return (name, name_te);
        }
    }
}

/// `given` from one name with the family name of another, in both scripts.
fn with_family(given: &(String, String), family: &(String, String)) -> (String, String) {
    let first = |s: &str| s.rsplit_once(' ').map_or(s.to_owned(), |(g, _)| g.to_owned());
    let last = |s: &str| s.rsplit_once(' ').map_or(s.to_owned(), |(_, f)| f.to_owned());
    (format!("{} {}", first(&given.0), last(&family.0)), format!("{} {}", first(&given.1), last(&family.1)))
}

fn sex(female: bool) -> Bilingual {
    if female { bi("Female", "స్త్రీ") } else { bi("Male", "పురుషుడు") }
}

// ---------------------------------------------------------------- births and deaths

/// An entry of the birth register (Form 5 is printed from it).
#[derive(Clone, Debug, Serialize)]
pub struct Birth {
    pub registration: String,
    pub ulb: Bilingual,
    /// `None` while the parents have not yet given the child's name.
    pub child: Option<Bilingual>,
    pub sex: Bilingual,
    pub date_of_birth: String,
    pub place_of_birth: Bilingual,
    pub father: Bilingual,
    pub mother: Bilingual,
    pub address: Bilingual,
    pub registered_on: String,
    pub registrar: Bilingual,
}

fn registrar(ulb: &Ulb) -> Bilingual {
    Bilingual {
        en: format!("Registrar of Births & Deaths, {}", ulb.name),
        te: format!("జనన మరణ రిజిస్ట్రార్, {}", ulb.name_te),
    }
}

/// The birth registered as `registration`, if any.
pub fn birth_record(registration: &str) -> Result<Birth, ApiError> {
    let key = parse_key(registration, "B", true, 30_000, "birth registration")?;
    let registration = format!("B-{}-{}-{:05}", key.year, key.ulb.code, key.serial);
    let mut rng = Rng::for_key(&format!("birth:{registration}"));
    let registered = day_in(&mut rng, key.year);
    // Most births are reported by the hospital within the 21 days the RBD Act allows.
    let born = registered - rng.between(1, 21) as i64;
    let female = rng.below(2) == 0;
    let father = person_of(&mut rng, false);
    let mother = with_family(&person_of(&mut rng, true), &father);
    let child = (rng.below(12) != 0).then(|| owned(with_family(&person_of(&mut rng, female), &father)));
    let place = match rng.below(4) {
        0 => bi("Residence", "ఇంటి వద్ద"),
        1 => {
            let (locality, locality_te) = *rng.pick(key.ulb.localities);
            Bilingual {
                en: format!("Urban Primary Health Centre, {locality}"),
                te: format!("పట్టణ ప్రాథమిక ఆరోగ్య కేంద్రం, {locality_te}"),
            }
        }
        _ => bi(key.ulb.hospital.0, key.ulb.hospital.1),
    };
    Ok(Birth {
        registration,
        ulb: key.ulb.label(),
        child,
        sex: sex(female),
        date_of_birth: iso(born),
        place_of_birth: place,
        father: owned(father),
        mother: owned(mother),
        address: key.ulb.address(&mut rng),
        registered_on: iso(registered),
        registrar: registrar(key.ulb),
    })
}

async fn birth(Path(registration): Path<String>) -> Result<Json<Birth>, ApiError> {
    birth_record(&registration).map(Json)
}

/// An entry of the death register (Form 6 is printed from it). The medical
/// cause of death is kept out: the RBD Act keeps it confidential.
#[derive(Clone, Debug, Serialize)]
pub struct Death {
    pub registration: String,
    pub ulb: Bilingual,
    pub deceased: Bilingual,
    pub sex: Bilingual,
    pub age: u32,
    /// "S/o" or "W/o" and the name.
    pub relation: Bilingual,
    pub date_of_death: String,
    pub place_of_death: Bilingual,
    pub address: Bilingual,
    pub registered_on: String,
    pub registrar: Bilingual,
}

/// The death registered as `registration`, if any.
pub fn death_record(registration: &str) -> Result<Death, ApiError> {
    let key = parse_key(registration, "D", true, 20_000, "death registration")?;
    let registration = format!("D-{}-{}-{:05}", key.year, key.ulb.code, key.serial);
    let mut rng = Rng::for_key(&format!("death:{registration}"));
    let registered = day_in(&mut rng, key.year);
    let died = registered - rng.between(0, 20) as i64;
    let female = rng.below(2) == 0;
    let deceased = person_of(&mut rng, female);
    // Husband or father: a man of the same family, never the deceased's namesake.
    let relative = loop {
        let man = with_family(&person_of(&mut rng, false), &deceased);
        if man.0 != deceased.0 {
            break man;
        }
    };
    let relation = if female {
        Bilingual { en: format!("W/o {}", relative.0), te: format!("భార్య: {}", relative.1) }
    } else {
        Bilingual { en: format!("S/o {}", relative.0), te: format!("తండ్రి: {}", relative.1) }
    };
    let place = if rng.below(3) == 0 {
        bi("Residence", "ఇంటి వద్ద")
    } else {
        bi(key.ulb.hospital.0, key.ulb.hospital.1)
    };
    Ok(Death {
        registration,
        ulb: key.ulb.label(),
        deceased: owned(deceased),
        sex: sex(female),
        age: rng.between(35, 94) as u32,
        relation,
        date_of_death: iso(died),
        place_of_death: place,
        address: key.ulb.address(&mut rng),
        registered_on: iso(registered),
        registrar: registrar(key.ulb),
    })
}

async fn death(Path(registration): Path<String>) -> Result<Json<Death>, ApiError> {
    death_record(&registration).map(Json)
}

// ---------------------------------------------------------------- property tax

/// Where and to whom a payment goes.
#[derive(Clone, Debug, Serialize)]
pub struct Payee {
    pub vpa: String,
    pub name: String,
}

/// The last payment received.
#[derive(Clone, Debug, Serialize)]
pub struct Payment {
    pub date: String,
    pub amount_paise: u64,
    pub receipt: String,
}

/// The property tax demand of one assessment.
#[derive(Clone, Debug, Serialize)]
pub struct PropertyTax {
    pub assessment: String,
    pub ulb: Bilingual,
    pub owner: Bilingual,
    pub address: Bilingual,
    pub ward: u32,
    pub usage: Bilingual,
    pub plinth_area_sqft: u32,
    pub annual_tax_paise: u64,
    /// The financial year of the current demand, e.g. `2026-27`.
    pub financial_year: String,
    pub current_demand_paise: u64,
    pub arrears_paise: u64,
    /// 2% a month on arrears, as the municipal acts levy.
    pub interest_paise: u64,
    pub total_due_paise: u64,
    pub last_payment: Option<Payment>,
    /// The tap connection number, when the property has one.
    pub water_connection: Option<String>,
    pub payee: Payee,
    /// The reference a payment of this demand must carry.
    pub demand_ref: String,
}

/// The property tax record of `assessment` (ten digits), if any.
pub fn property_tax_record(assessment: &str) -> Result<PropertyTax, ApiError> {
    let assessment = assessment.trim();
    if assessment.len() != 10 || !assessment.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::bad_request(format!("{assessment} is not an assessment number (10 digits)")));
    }
    let (ulb_number, serial) = assessment.split_at(4);
    let serial: u64 = serial.parse().unwrap_or(0);
    let ulb = ULBS
        .iter()
        .find(|u| u.number.to_string() == ulb_number)
        .filter(|_| (1..=250_000).contains(&serial))
        .ok_or_else(|| ApiError::not_found(format!("no assessment {assessment}")))?;
    let mut rng = Rng::for_key(&format!("assessment:{assessment}"));
    let female = rng.below(3) == 0;
    let owner = owned(person_of(&mut rng, female));
    let residential = rng.below(4) != 0;
    let plinth = rng.between(350, 2800) as u32;
    // Rupees a square foot a year: the capital-value rates differ by use.
    let rate = if residential { rng.between(3, 6) } else { rng.between(12, 25) };
    let annual = u64::from(plinth) * rate * 100;
    let half = annual / 2;
    let today = today();
    let fy = financial_year(today);
    let (current, arrears, months) = match rng.below(10) {
        0..=2 => (0, 0, 0),
        3..=6 => (half, 0, 0),
        _ => (half, annual * rng.between(1, 2), rng.between(1, 12)),
    };
    let interest = arrears * 2 * months / 100;
    let last_payment = (current == 0 || arrears == 0).then(|| {
        let paid_on = today - rng.between(10, 150) as i64;
        Payment {
            date: iso(paid_on),
            amount_paise: half,
            receipt: format!("PTR{}{:07}", ulb.code, rng.below(10_000_000)),
        }
    });
    let water_connection = (rng.below(3) != 0).then(|| format!("WC-{}-{:06}", ulb.code, rng.below(1_000_000)));
    let second_half = civil(today).1 >= 10 || civil(today).1 <= 3;
    Ok(PropertyTax {
        assessment: assessment.to_owned(),
        ulb: ulb.label(),
        owner,
        address: ulb.address(&mut rng),
        ward: rng.between(1, 64) as u32,
        usage: if residential {
            bi("Residential", "నివాసం")
        } else {
            bi("Non-residential", "నివాసేతరం")
        },
        plinth_area_sqft: plinth,
        annual_tax_paise: annual,
        financial_year: format!("{fy}-{:02}", (fy + 1) % 100),
        current_demand_paise: current,
        arrears_paise: arrears,
        interest_paise: interest,
        total_due_paise: current + arrears + interest,
        last_payment,
        water_connection,
        payee: Payee { vpa: ulb.vpa.to_owned(), name: ulb.name.to_owned() },
        demand_ref: format!("PT{assessment}{fy}H{}", if second_half { 2 } else { 1 }),
    })
}

async fn property_tax(Path(assessment): Path<String>) -> Result<Json<PropertyTax>, ApiError> {
    property_tax_record(&assessment).map(Json)
}

// ---------------------------------------------------------------- trade licences

/// A trade licence, as the licensing register holds it.
#[derive(Clone, Debug, Serialize)]
pub struct TradeLicence {
    pub number: String,
    pub ulb: Bilingual,
    pub trade_name: String,
    pub owner: Bilingual,
    /// One of the plugin's trade category ids.
    pub category: String,
    pub address: Bilingual,
    /// Licences run with the financial year and end on 31 March.
    pub valid_until: String,
    /// `active`, `suspended` or `cancelled`.
    pub status: String,
    pub remarks: Option<Bilingual>,
}

const TRADES: &[(&str, &[&str])] = &[
    ("eatery", &["Sri Lakshmi Tiffin Centre", "Annapurna Meals Hotel"]),
    ("grocery", &["Sai Kirana & General Stores", "Balaji Provisions"]),
    ("medical", &["Venkateswara Medical & General", "Sri Sai Pharmacy"]),
    ("bakery", &["Ganesh Bakery & Sweets", "Sri Krishna Bakers"]),
    ("salon", &["Style Zone Hair Salon", "Modern Hair Cutting Saloon"]),
    ("tailoring", &["Sri Durga Tailors", "Fashion Point Tailors"]),
    ("hardware", &["Padmavathi Hardware & Paints", "Raghavendra Iron Traders"]),
    ("hazardous", &["Srinivasa LPG Distributors", "Sri Rama Timber Depot"]),
];

/// The trade licence `number`, if issued.
pub fn trade_licence_record(number: &str) -> Result<TradeLicence, ApiError> {
    let key = parse_key(number, "TL", false, 20_000, "trade licence")?;
    let number = format!("TL-{}-{}-{:05}", key.ulb.code, key.year, key.serial);
    let mut rng = Rng::for_key(&format!("trade:{number}"));
    let (category, names) = *rng.pick(TRADES);
    let fy_end = financial_year(today()) + 1;
    let (status, remarks) = match rng.below(10) {
        0 => (
            "suspended",
            Some(bi("Suspended for sanitation violations at the premises", "ఆవరణలో పారిశుధ్య ఉల్లంఘనల వల్ల సస్పెండ్")),
        ),
        1 => ("cancelled", Some(bi("Cancelled: trade closed by the owner", "రద్దు: యజమాని వ్యాపారం మూసివేశారు"))),
        _ => ("active", None),
    };
    let renewed = rng.below(2) == 0;
    Ok(TradeLicence {
        number,
        ulb: key.ulb.label(),
        trade_name: rng.pick(names).to_string(),
        owner: owned(seed::person(&mut rng)),
        category: category.to_owned(),
        address: key.ulb.address(&mut rng),
        valid_until: format!("{}-03-31", if renewed { fy_end } else { (fy_end - 1).max(key.year + 1) }),
        status: status.to_owned(),
        remarks,
    })
}

async fn trade_licence(Path(number): Path<String>) -> Result<Json<TradeLicence>, ApiError> {
    trade_licence_record(&number).map(Json)
}

// ---------------------------------------------------------------- building permissions

/// A building permission application on DPMS.
#[derive(Clone, Debug, Serialize)]
pub struct BuildingPermission {
    pub number: String,
    pub ulb: Bilingual,
    pub applicant: Bilingual,
    pub site: Bilingual,
    pub plot_area_sq_yards: u32,
    pub proposal: Bilingual,
    pub submitted_on: String,
    /// `scrutiny`, `site-inspection`, `shortfall`, `approved` or `rejected`.
    pub status: String,
    pub stage: Bilingual,
    pub pending_with: Option<Bilingual>,
    /// What the applicant must still submit, when a shortfall is raised.
    pub shortfall: Option<Bilingual>,
    pub permit: Option<String>,
    pub remarks: Option<Bilingual>,
}

/// The building permission application `number`, if filed.
pub fn building_permission_record(number: &str) -> Result<BuildingPermission, ApiError> {
    let key = parse_key(number, "BP", false, 20_000, "building permission")?;
    let number = format!("BP-{}-{}-{:05}", key.ulb.code, key.year, key.serial);
    let mut rng = Rng::for_key(&format!("building:{number}"));
    let submitted = day_in(&mut rng, key.year);
    let plot = rng.between(100, 600) as u32;
    let proposal = *rng.pick(&[
        ("Ground + 1 floor, residential", "గ్రౌండ్ + 1 అంతస్తు, నివాసం"),
        ("Ground + 2 floors, residential", "గ్రౌండ్ + 2 అంతస్తులు, నివాసం"),
        ("Stilt + 4 floors, apartments", "స్టిల్ట్ + 4 అంతస్తులు, అపార్ట్‌మెంట్లు"),
        ("Ground + 1 floor, commercial", "గ్రౌండ్ + 1 అంతస్తు, వాణిజ్యం"),
    ]);
    let recent = today() - submitted < 15;
    let outcome = if recent { rng.below(2) } else { rng.below(6) };
    let tpbo = bi("Town Planning Building Overseer", "టౌన్ ప్లానింగ్ బిల్డింగ్ ఓవర్సీయర్");
    let (status, stage, pending_with, shortfall, permit, remarks) = match outcome {
        0 => (
            "scrutiny",
            bi("Scrutiny of plans", "ప్లాన్ల పరిశీలన"),
            Some(bi("Town Planning Section", "టౌన్ ప్లానింగ్ విభాగం")),
            None,
            None,
            None,
        ),
        1 => ("site-inspection", bi("Site inspection", "స్థల పరిశీలన"), Some(tpbo), None, None, None),
        2 => (
            "shortfall",
            bi("Shortfall raised", "లోపాలు తెలియజేయబడ్డాయి"),
            Some(bi("Applicant", "దరఖాస్తుదారు")),
            Some(*rng.pick(&[
                ("Encumbrance certificate for 13 years", "13 ఏళ్ల ఋణభార ధృవీకరణ పత్రం"),
                ("Structural stability certificate", "నిర్మాణ స్థిరత్వ ధృవీకరణ పత్రం"),
                ("Corrected site plan showing 1.5 m setbacks", "1.5 మీ. సెట్‌బ్యాక్‌లతో సవరించిన సైట్ ప్లాన్"),
            ]))
            .map(|(en, te)| bi(en, te)),
            None,
            None,
        ),
        3 | 4 => (
            "approved",
            bi("Permit issued", "అనుమతి జారీ అయింది"),
            None,
            None,
            Some(format!("{}/BP/{}/{:05}", key.ulb.code, key.year, rng.below(100_000))),
            None,
        ),
        _ => (
            "rejected",
            bi("Rejected", "తిరస్కరించబడింది"),
            None,
            None,
            None,
            Some(bi(
                "Site falls in the master plan road widening; revise the plan",
                "స్థలం మాస్టర్ ప్లాన్ రోడ్డు విస్తరణలో ఉంది; ప్లాన్ సవరించండి",
            )),
        ),
    };
    let (locality, locality_te) = *rng.pick(key.ulb.localities);
    let plot_no = rng.between(1, 240);
    Ok(BuildingPermission {
        number,
        ulb: key.ulb.label(),
        applicant: owned(seed::person(&mut rng)),
        site: Bilingual {
            en: format!("Plot {plot_no}, {locality}, {}", key.ulb.town),
            te: format!("ప్లాట్ {plot_no}, {locality_te}, {}", key.ulb.town_te),
        },
        plot_area_sq_yards: plot,
        proposal: bi(proposal.0, proposal.1),
        submitted_on: iso(submitted),
        status: status.to_owned(),
        stage,
        pending_with,
        shortfall,
        permit,
        remarks,
    })
}

async fn building_permission(Path(number): Path<String>) -> Result<Json<BuildingPermission>, ApiError> {
    building_permission_record(&number).map(Json)
}

// ---------------------------------------------------------------- sanitation

/// A sanitation complaint as the plugin files it.
#[derive(Clone, Debug, Deserialize)]
pub struct Complaint {
    /// Mitra's application number: filing twice gives the same complaint.
    pub reference: String,
    pub category: String,
    pub latitude: f64,
    pub longitude: f64,
}

/// The complaint as registered.
#[derive(Clone, Debug, Serialize)]
pub struct Registered {
    pub complaint: String,
    pub ulb: Bilingual,
    pub ward: u32,
    pub sanitary_inspector: Bilingual,
    pub sla_hours: u32,
}

const COMPLAINTS: &[(&str, u32)] =
    &[("garbage", 24), ("drain", 24), ("dead-animal", 12), ("dumping", 48), ("toilet", 24), ("mosquito", 72)];

/// How far (km) from a corporation's centre a complaint is still its own.
const ULB_RADIUS_KM: f64 = 15.0;

fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    // An equirectangular approximation is within metres at city scale.
    let x = (lon2 - lon1).to_radians() * ((lat1 + lat2) / 2.0).to_radians().cos();
    let y = (lat2 - lat1).to_radians();
    (x * x + y * y).sqrt() * 6371.0
}

async fn sanitation_complaint(Json(complaint): Json<Complaint>) -> Result<Json<Registered>, ApiError> {
    let Some((_, sla_hours)) = COMPLAINTS.iter().find(|(id, _)| *id == complaint.category) else {
        return Err(ApiError::bad_request(format!("unknown complaint category {}", complaint.category)));
    };
    if complaint.reference.trim().is_empty() {
        return Err(ApiError::bad_request("a complaint needs a reference"));
    }
    let ulb = ULBS
        .iter()
        .map(|u| {
            let hq = u.headquarters();
            (u, distance_km(complaint.latitude, complaint.longitude, hq.lat, hq.lon))
        })
        .filter(|(_, km)| *km <= ULB_RADIUS_KM)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(u, _)| u)
        .ok_or_else(|| {
            ApiError(StatusCode::UNPROCESSABLE_ENTITY, "the location is outside every municipal corporation".into())
        })?;
    let mut rng = Rng::for_key(&format!("complaint:{}", complaint.reference.trim()));
    // Wards are cells of roughly a kilometre, so one street keeps one ward.
    let cell = ((complaint.latitude * 100.0).floor() as i64 * 31 + (complaint.longitude * 100.0).floor() as i64)
        .rem_euclid(64) as u32
        + 1;
    let inspector = owned(seed::person(&mut Rng::for_key(&format!("inspector:{}/{cell}", ulb.code))));
    Ok(Json(Registered {
        complaint: format!("SAN-{}-{:07}", ulb.code, rng.below(10_000_000)),
        ulb: ulb.label(),
        ward: cell,
        sanitary_inspector: inspector,
        sla_hours: *sla_hours,
    }))
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt as _;

    use super::*;

    async fn call(method: &str, uri: &str, body: &str) -> (StatusCode, serde_json::Value) {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        let response = router().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    async fn get_json(uri: &str) -> (StatusCode, serde_json::Value) {
        call("GET", uri, "").await
    }

    #[tokio::test]
    async fn a_birth_record_names_child_and_parents_in_both_languages() {
        let (status, body) = get_json("/births/B-2023-VJA-04821").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["registration"], "B-2023-VJA-04821");
        assert_eq!(body["ulb"]["en"], "Vijayawada Municipal Corporation");
        assert!(body["father"]["te"].as_str().unwrap().chars().any(|c| ('\u{0C00}'..='\u{0C7F}').contains(&c)));
        let born = body["date_of_birth"].as_str().unwrap();
        let registered = body["registered_on"].as_str().unwrap();
        assert!(born < registered, "{born} {registered}");
        assert!(body["address"]["en"].as_str().unwrap().ends_with("Vijayawada, 520001"), "{body}");
        // The mother carries the father's family name.
        let family = body["father"]["en"].as_str().unwrap().rsplit(' ').next().unwrap();
        assert!(body["mother"]["en"].as_str().unwrap().ends_with(family), "{body}");
    }

    #[tokio::test]
    async fn registration_numbers_are_read_case_insensitively_and_padded() {
        let (_, a) = get_json("/births/b-2023-vja-4821").await;
        let (_, b) = get_json("/births/B-2023-VJA-04821").await;
        assert_eq!(a, b);
    }

    #[test]
    fn some_births_have_no_name_registered_yet() {
        let unnamed =
            (1..=200).filter(|n| birth_record(&format!("B-2022-GNT-{n:05}")).unwrap().child.is_none()).count();
        assert!((5..=40).contains(&unnamed), "{unnamed}");
    }

    #[tokio::test]
    async fn unknown_and_malformed_registrations_are_refused() {
        assert_eq!(get_json("/births/B-2023-VJA-99999").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/births/B-2023-XYZ-00001").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/births/B-1980-VJA-00001").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/births/4821").await.0, StatusCode::BAD_REQUEST);
        assert_eq!(get_json("/deaths/B-2023-VJA-04821").await.0, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn a_death_record_gives_the_relation_and_no_cause_of_death() {
        let (status, body) = get_json("/deaths/D-2024-GNT-00318").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let relation = body["relation"]["en"].as_str().unwrap();
        assert!(relation.starts_with("S/o ") || relation.starts_with("W/o "), "{relation}");
        assert!(!relation.ends_with(body["deceased"]["en"].as_str().unwrap()), "{relation}");
        assert!(body.get("cause").is_none());
        assert!(body["date_of_death"].as_str().unwrap() <= body["registered_on"].as_str().unwrap());
    }

    #[tokio::test]
    async fn property_tax_dues_add_up_and_carry_a_payee() {
        for serial in 1..=60 {
            let (status, body) = get_json(&format!("/property-tax/1001{serial:06}")).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let due = |k: &str| body[k].as_u64().unwrap();
            assert_eq!(
                due("total_due_paise"),
                due("current_demand_paise") + due("arrears_paise") + due("interest_paise")
            );
            if due("arrears_paise") == 0 {
                assert_eq!(due("interest_paise"), 0);
            }
            assert_eq!(body["payee"]["vpa"], "vmc.propertytax@mitrasim");
            assert!(body["demand_ref"].as_str().unwrap().starts_with(&format!("PT1001{serial:06}")));
        }
    }

    #[test]
    fn some_properties_owe_nothing_and_some_owe_arrears() {
        let records: Vec<PropertyTax> =
            (1..=100).map(|n| property_tax_record(&format!("1002{n:06}")).unwrap()).collect();
        assert!(records.iter().any(|r| r.total_due_paise == 0));
        assert!(records.iter().any(|r| r.arrears_paise > 0 && r.interest_paise > 0));
        assert!(records.iter().any(|r| r.water_connection.is_none()));
    }

    #[tokio::test]
    async fn unknown_assessments_are_404_and_malformed_ones_400() {
        assert_eq!(get_json("/property-tax/1001999999").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/property-tax/9999000001").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/property-tax/12345").await.0, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn trade_licences_expire_on_31_march_and_some_are_suspended() {
        let (status, body) = get_json("/trade-licences/TL-VJA-2024-00123").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body["valid_until"].as_str().unwrap().ends_with("-03-31"));
        let statuses: std::collections::HashSet<String> =
            (1..=100).map(|n| trade_licence_record(&format!("TL-GNT-2023-{n:05}")).unwrap().status).collect();
        assert_eq!(statuses.len(), 3, "{statuses:?}");
    }

    #[tokio::test]
    async fn building_permissions_report_stage_and_shortfall() {
        let (status, body) = get_json("/building-permissions/BP-VJA-2025-01234").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body["stage"]["te"].is_string());
        let records: Vec<BuildingPermission> =
            (1..=100).map(|n| building_permission_record(&format!("BP-TPT-2024-{n:05}")).unwrap()).collect();
        assert!(records.iter().filter(|r| r.status == "shortfall").all(|r| r.shortfall.is_some()));
        assert!(records.iter().filter(|r| r.status == "approved").all(|r| r.permit.is_some()));
        assert!(records.iter().any(|r| r.status == "rejected"));
        assert_eq!(get_json("/building-permissions/BP-VJA-2025-99999").await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn a_complaint_goes_to_the_nearest_corporation_and_filing_twice_is_idempotent() {
        let body = r#"{"reference":"MITRA-000042","category":"garbage","latitude":16.51,"longitude":80.64}"#;
        let (status, first) = call("POST", "/sanitation/complaints", body).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        assert!(first["complaint"].as_str().unwrap().starts_with("SAN-VJA-"));
        assert_eq!(first["sla_hours"], 24);
        let (_, second) = call("POST", "/sanitation/complaints", body).await;
        assert_eq!(first, second);
    }

    #[tokio::test]
    async fn a_complaint_outside_every_corporation_or_of_no_known_kind_is_refused() {
        let far = r#"{"reference":"R1","category":"garbage","latitude":14.0,"longitude":77.0}"#;
        assert_eq!(call("POST", "/sanitation/complaints", far).await.0, StatusCode::UNPROCESSABLE_ENTITY);
        let odd = r#"{"reference":"R1","category":"noise","latitude":16.51,"longitude":80.64}"#;
        assert_eq!(call("POST", "/sanitation/complaints", odd).await.0, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn the_documented_keys_say_what_the_module_doc_promises() {
        assert!(birth_record("B-2023-VJA-04821").unwrap().child.is_some());
        assert!(birth_record("B-2023-VJA-00022").unwrap().child.is_none());
        assert_eq!(property_tax_record("1001000001").unwrap().total_due_paise, 0);
        let arrears = property_tax_record("1001000006").unwrap();
        assert!(arrears.arrears_paise > 0 && arrears.interest_paise > 0);
        let no_tap = property_tax_record("1001000020").unwrap();
        assert!(no_tap.total_due_paise == 0 && no_tap.water_connection.is_none());
        let owing = property_tax_record("1001000009").unwrap();
        assert!(owing.total_due_paise > 0 && owing.water_connection.is_none());
        assert_eq!(trade_licence_record("TL-VJA-2024-00123").unwrap().status, "active");
        assert_eq!(trade_licence_record("TL-VJA-2024-00124").unwrap().status, "suspended");
    }

    #[test]
    fn every_corporation_lies_in_a_seeded_district() {
        for ulb in ULBS {
            assert!(seed::district(ulb.district).is_some(), "{}", ulb.code);
        }
    }

    #[test]
    fn financial_years_start_in_april() {
        assert_eq!(financial_year(days_from_civil(2026, 3, 31)), 2025);
        assert_eq!(financial_year(days_from_civil(2026, 4, 1)), 2026);
        assert_eq!(iso(days_from_civil(2024, 2, 29)), "2024-02-29");
    }
}
