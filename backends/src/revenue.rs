//! The simulated Revenue department systems: Webland (the Adangal/Pahani and
//! ROR 1-B registers), the FMB sketch register and the e-Mutation tracker.
//!
//! Every village of [`seed::DISTRICTS`] has survey numbers `1..=last_survey`
//! (between 180 and 420, fixed per village). Three consecutive survey numbers
//! form one khata, so the 1-B of a survey lists its neighbours too. Some
//! survey numbers are subdivided (`45/1`, `45/2`): the bare number is then
//! refused with the subdivisions that exist. About one khata in twelve is
//! Government poramboke land with no pattadar.
//!
//! Keys worth knowing (checked by the tests below):
//! - NTR / Vijayawada Rural / Gollapudi: survey 11 is a patta field, 7 is
//!   subdivided into 7/1 and 7/2, 193 is Government grazing land, 999 does
//!   not exist (404).
//! - mutation `MUT-2024-004821`: an application pending with an officer;
//!   `MUT-2024-099999` and `MUT-2014-000001`: no such application (404).

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::seed::calendar::{days_from_civil, iso as iso_from_days, today as today_days};
use crate::seed::{self, District, Mandal, Rng, Village};

/// The routes of this backend.
pub fn router() -> Router {
    Router::new()
        .route("/land/adangal", get(adangal))
        .route("/land/1b", get(ror_1b))
        .route("/land/fmb", get(fmb))
        .route("/mutations/{number}", get(mutation))
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

/// Where a survey number lies, as the citizen names it.
#[derive(Debug, Deserialize)]
pub struct LandQuery {
    pub district: String,
    pub mandal: String,
    pub village: String,
    pub survey: String,
}

/// A village found in the seed data.
#[derive(Clone, Copy, Debug)]
pub struct Place {
    pub district: &'static District,
    pub mandal: &'static Mandal,
    pub village: &'static Village,
}

impl Place {
    /// Finds a village by its English names, ignoring case and spacing.
    pub fn find(district: &str, mandal: &str, village: &str) -> Result<Place, ApiError> {
        let district =
            seed::district(district).ok_or_else(|| ApiError::not_found(format!("no district {district}")))?;
        let mandal = district
            .mandals
            .iter()
            .find(|m| same_name(m.name, mandal))
            .ok_or_else(|| ApiError::not_found(format!("no mandal {mandal} in {} district", district.name)))?;
        let village = mandal
            .villages
            .iter()
            .find(|v| same_name(v.name, village))
            .ok_or_else(|| ApiError::not_found(format!("no village {village} in {} mandal", mandal.name)))?;
        Ok(Place { district, mandal, village })
    }

    fn key(&self) -> String {
        format!("{}/{}/{}", self.district.name, self.mandal.name, self.village.name)
    }

    /// The highest survey number of the village.
    pub fn last_survey(&self) -> u32 {
        Rng::for_key(&format!("village:{}", self.key())).between(180, 420) as u32
    }
}

fn same_name(a: &str, b: &str) -> bool {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect::<String>();
    squash(a) == squash(b)
}

/// A text in English and Telugu, as the registers keep names.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bilingual {
    pub en: String,
    pub te: String,
}

fn bi(en: &str, te: &str) -> Bilingual {
    Bilingual { en: en.to_owned(), te: te.to_owned() }
}

/// The tenure a khata is held under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LandType {
    Patta,
    /// Assigned to a landless poor family (D-patta); cannot be sold.
    Assigned,
    Inam,
    /// Government poramboke: tank beds, cart tracks, grazing land.
    Government,
}

impl LandType {
    fn label(self) -> Bilingual {
        match self {
            LandType::Patta => bi("Patta", "పట్టా"),
            LandType::Assigned => bi("Assigned (D-patta)", "అసైన్డ్ (డి-పట్టా)"),
            LandType::Inam => bi("Inam", "ఇనాం"),
            LandType::Government => bi("Government poramboke", "ప్రభుత్వ పోరంబోకు"),
        }
    }
}

/// One khata: three consecutive survey numbers held by one pattadar.
#[derive(Clone, Debug)]
struct Khata {
    number: u32,
    land_type: LandType,
    /// `None` for Government land.
    pattadar: Option<(Bilingual, Bilingual)>,
    passbook: Option<String>,
}

fn khata_of(place: &Place, base: u32) -> Khata {
    let group = (base - 1) / 3;
    let mut rng = Rng::for_key(&format!("khata:{}/{group}", place.key()));
    let land_type = match rng.below(100) {
        0..=7 => LandType::Government,
        8..=19 => LandType::Assigned,
        20..=23 => LandType::Inam,
        _ => LandType::Patta,
    };
    let (pattadar, passbook) = if land_type == LandType::Government {
        (None, None)
    } else {
        let (name, name_te) = seed::person(&mut rng);
        let (father, father_te) = man(&mut rng);
        let passbook = format!("T{:02}{:09}", place_index(place), rng.below(1_000_000_000));
        (Some((Bilingual { en: name, te: name_te }, Bilingual { en: father, te: father_te })), Some(passbook))
    };
    Khata { number: 1001 + group, land_type, pattadar, passbook }
}

/// A stable two-digit code per district, printed in passbook numbers.
fn place_index(place: &Place) -> usize {
    seed::DISTRICTS.iter().position(|d| d.name == place.district.name).unwrap_or(0) + 11
}

const MALE: &[&str] = &["Venkata Ramana", "Srinivas", "Suresh", "Ravi Kumar", "Nagaraju"];

/// A man's name from the seed list (fathers are printed as "S/o").
fn man(rng: &mut Rng) -> (String, String) {
    loop {
        let (name, name_te) = seed::person(rng);
        if MALE.iter().any(|given| name.starts_with(given)) {
            return (name, name_te);
        }
    }
}

/// The subdivisions of a base survey number (empty when it is not subdivided).
fn subdivisions(place: &Place, base: u32) -> Vec<String> {
    let mut rng = Rng::for_key(&format!("survey:{}/{base}", place.key()));
    match rng.below(8) {
        0 => vec![format!("{base}/1"), format!("{base}/2")],
        1 => vec![format!("{base}/1A"), format!("{base}/1B"), format!("{base}/2")],
        _ => Vec::new(),
    }
}

/// The survey numbers (with subdivisions) that make up `base`.
fn parcels_of(place: &Place, base: u32) -> Vec<String> {
    let subs = subdivisions(place, base);
    if subs.is_empty() { vec![base.to_string()] } else { subs }
}

/// Reads `45`, `45/1` or `45/1A` and checks that the parcel exists.
fn parcel(place: &Place, survey: &str) -> Result<(u32, String), ApiError> {
    let survey: String = survey.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect();
    let digits = survey.split('/').next().unwrap_or_default();
    let base: u32 = digits.parse().map_err(|_| ApiError::bad_request(format!("{survey} is not a survey number")))?;
    if base == 0 || base > place.last_survey() {
        return Err(ApiError::not_found(format!(
            "no survey number {survey} in {} village (1 to {})",
            place.village.name,
            place.last_survey()
        )));
    }
    let parcels = parcels_of(place, base);
    if !parcels.contains(&survey) {
        return Err(ApiError::not_found(format!(
            "survey number {base} of {} is recorded as {}",
            place.village.name,
            parcels.join(", ")
        )));
    }
    Ok((base, survey))
}

/// One parcel's entry in the Adangal (village account No. 3).
#[derive(Clone, Debug, Serialize)]
pub struct Adangal {
    pub district: Bilingual,
    pub mandal: Bilingual,
    pub village: Bilingual,
    pub survey: String,
    pub khata: u32,
    pub land_type: LandType,
    pub land_type_label: Bilingual,
    pub pattadar: Option<Bilingual>,
    pub father: Option<Bilingual>,
    /// In cents (100 cents = 1 acre), as AP records keep extents.
    pub extent_cents: u32,
    pub classification: Bilingual,
    pub irrigation: Bilingual,
    /// `None` on uncultivated Government land.
    pub crop: Option<Bilingual>,
    pub season: String,
    /// Who cultivates: the pattadar or a tenant with a CCRC card.
    pub cultivator: Bilingual,
    pub updated_by: String,
}

fn adangal_of(place: &Place, base: u32, survey: &str) -> Adangal {
    let khata = khata_of(place, base);
    let mut rng = Rng::for_key(&format!("parcel:{}/{survey}", place.key()));
    let extent_cents = rng.between(18, 460) as u32;
    let (classification, irrigation, crop) = if khata.land_type == LandType::Government {
        let kind =
            *rng.pick(&[("Tank bed", "చెరువు గర్భం"), ("Cart track", "బండి దారి"), ("Grazing land", "పశువుల మేత భూమి")]);
        (bi(kind.0, kind.1), bi("None", "లేదు"), None)
    } else {
        match rng.below(10) {
            0..=3 => {
                let source = *rng.pick(&[("Canal", "కాలువ"), ("Tank", "చెరువు"), ("Bore well", "బోరు బావి")]);
                let crop = *rng.pick(&[("Paddy", "వరి"), ("Paddy", "వరి"), ("Sugarcane", "చెరకు")]);
                (bi("Wet (Magani)", "మాగాణి"), bi(source.0, source.1), Some(bi(crop.0, crop.1)))
            }
            4..=7 => {
                let source = *rng.pick(&[("Rain-fed", "వర్షాధారం"), ("Bore well", "బోరు బావి")]);
                let crop = *rng.pick(&[
                    ("Cotton", "పత్తి"),
                    ("Chilli", "మిర్చి"),
                    ("Groundnut", "వేరుశనగ"),
                    ("Red gram", "కంది"),
                    ("Maize", "మొక్కజొన్న"),
                ]);
                (bi("Dry (Metta)", "మెట్ట"), bi(source.0, source.1), Some(bi(crop.0, crop.1)))
            }
            _ => {
                let crop = *rng.pick(&[("Mango", "మామిడి"), ("Banana", "అరటి"), ("Coconut", "కొబ్బరి")]);
                (bi("Garden (Thota)", "తోట"), bi("Bore well", "బోరు బావి"), Some(bi(crop.0, crop.1)))
            }
        }
    };
    let cultivator = match &khata.pattadar {
        None => bi("Not cultivated", "సాగులో లేదు"),
        Some((owner, _)) if rng.below(5) > 0 => {
            Bilingual { en: format!("{} (self)", owner.en), te: format!("{} (స్వయం సాగు)", owner.te) }
        }
        Some(_) => {
            let (tenant, tenant_te) = seed::person(&mut rng);
            Bilingual {
                en: format!("{tenant} (tenant, CCRC)"), te: format!("{tenant_te} (కౌలుదారు, సీసీఆర్‌సీ)")
            }
        }
    };
    let (pattadar, father) = match khata.pattadar {
        Some((p, f)) => (Some(p), Some(f)),
        None => (None, None),
    };
    Adangal {
        district: bi(place.district.name, place.district.name_te),
        mandal: bi(place.mandal.name, place.mandal.name_te),
        village: bi(place.village.name, place.village.name_te),
        survey: survey.to_owned(),
        khata: khata.number,
        land_type: khata.land_type,
        land_type_label: khata.land_type.label(),
        pattadar,
        father,
        extent_cents,
        classification,
        irrigation,
        crop,
        season: season(today_days()),
        cultivator,
        updated_by: format!("VRO, {}", place.village.name),
    }
}

/// The Adangal entry of one parcel, if it exists.
pub fn adangal_record(district: &str, mandal: &str, village: &str, survey: &str) -> Result<Adangal, ApiError> {
    let place = Place::find(district, mandal, village)?;
    let (base, survey) = parcel(&place, survey)?;
    Ok(adangal_of(&place, base, &survey))
}

async fn adangal(Query(q): Query<LandQuery>) -> Result<Json<Adangal>, ApiError> {
    adangal_record(&q.district, &q.mandal, &q.village, &q.survey).map(Json)
}

/// One line of a 1-B khata.
#[derive(Clone, Debug, Serialize)]
pub struct Holding {
    pub survey: String,
    pub extent_cents: u32,
    pub classification: Bilingual,
}

/// The Record of Rights (ROR 1-B) khata a survey number belongs to.
#[derive(Clone, Debug, Serialize)]
pub struct Ror1b {
    pub district: Bilingual,
    pub mandal: Bilingual,
    pub village: Bilingual,
    pub khata: u32,
    pub land_type: LandType,
    pub land_type_label: Bilingual,
    pub pattadar: Bilingual,
    pub father: Bilingual,
    pub passbook: String,
    pub holdings: Vec<Holding>,
    pub total_extent_cents: u32,
}

async fn ror_1b(Query(q): Query<LandQuery>) -> Result<Json<Ror1b>, ApiError> {
    let place = Place::find(&q.district, &q.mandal, &q.village)?;
    let (base, survey) = parcel(&place, &q.survey)?;
    let khata = khata_of(&place, base);
    let (Some((pattadar, father)), Some(passbook)) = (khata.pattadar, khata.passbook) else {
        return Err(ApiError::not_found(format!(
            "survey {survey} of {} is Government poramboke land; it has no 1-B khata",
            place.village.name
        )));
    };
    let first = (base - 1) / 3 * 3 + 1;
    let holdings: Vec<Holding> = (first..first + 3)
        .filter(|n| *n <= place.last_survey())
        .flat_map(|n| parcels_of(&place, n).into_iter().map(move |s| (n, s)))
        .map(|(n, s)| {
            let entry = adangal_of(&place, n, &s);
            Holding { survey: s, extent_cents: entry.extent_cents, classification: entry.classification }
        })
        .collect();
    Ok(Json(Ror1b {
        district: bi(place.district.name, place.district.name_te),
        mandal: bi(place.mandal.name, place.mandal.name_te),
        village: bi(place.village.name, place.village.name_te),
        khata: khata.number,
        land_type: khata.land_type,
        land_type_label: khata.land_type.label(),
        pattadar,
        father,
        passbook,
        total_extent_cents: holdings.iter().map(|h| h.extent_cents).sum(),
        holdings,
    }))
}

/// The Field Measurement Book sketch of a base survey number.
#[derive(Clone, Debug, Serialize)]
pub struct Fmb {
    pub village: Bilingual,
    pub survey: u32,
    /// Whether the sketch is scanned (a copy is issued at once) or must be
    /// traced by the mandal surveyor.
    pub digitised: bool,
    pub subdivisions: Vec<String>,
    pub area_cents: u32,
    pub north: String,
    pub south: String,
    pub east: String,
    pub west: String,
}

/// The base number of `survey`. One sketch covers a survey number and all
/// its subdivisions, so the bare number of a subdivided survey is accepted.
fn base_survey(place: &Place, survey: &str) -> Result<u32, ApiError> {
    match parcel(place, survey) {
        Ok((base, _)) => Ok(base),
        Err(error) => match survey.trim().parse::<u32>() {
            Ok(base) if (1..=place.last_survey()).contains(&base) && !subdivisions(place, base).is_empty() => Ok(base),
            _ => Err(error),
        },
    }
}

async fn fmb(Query(q): Query<LandQuery>) -> Result<Json<Fmb>, ApiError> {
    let place = Place::find(&q.district, &q.mandal, &q.village)?;
    let base = base_survey(&place, &q.survey)?;
    let mut rng = Rng::for_key(&format!("fmb:{}/{base}", place.key()));
    let parcels = parcels_of(&place, base);
    let area_cents = parcels.iter().map(|s| adangal_of(&place, base, s).extent_cents).sum();
    let mut side = |neighbour: u32| -> String {
        match rng.below(6) {
            0 => "Cart track".to_owned(),
            1 => "Irrigation canal".to_owned(),
            _ if neighbour == 0 || neighbour > place.last_survey() => "Village boundary".to_owned(),
            _ => format!("S.No. {neighbour}"),
        }
    };
    let (north, south, east, west) = (side(base + 10), side(base.saturating_sub(10)), side(base + 1), side(base - 1));
    Ok(Json(Fmb {
        village: bi(place.village.name, place.village.name_te),
        survey: base,
        digitised: rng.below(10) < 8,
        subdivisions: if parcels.len() > 1 { parcels } else { Vec::new() },
        area_cents,
        north,
        south,
        east,
        west,
    }))
}

/// The latest crop season the VRO has entered in the Adangal on a day:
/// Kharif from June to October, Rabi from November until the next Kharif
/// (the agricultural year starts in June).
fn season(days: i64) -> String {
    let iso = iso_from_days(days);
    let (year, month) = (iso[..4].parse::<i64>().unwrap_or(2026), iso[5..7].parse::<u32>().unwrap_or(1));
    let start = if month >= 6 { year } else { year - 1 };
    let name = if (6..=10).contains(&month) { "Kharif" } else { "Rabi" };
    format!("{name} {start}-{:02}", (start + 1) % 100)
}

/// One step an e-Mutation application has passed.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub date: String,
    pub step: Bilingual,
}

/// An e-Mutation (transfer of registry) application.
#[derive(Clone, Debug, Serialize)]
pub struct Mutation {
    pub number: String,
    pub district: Bilingual,
    pub mandal: Bilingual,
    pub village: Bilingual,
    pub survey: String,
    pub transaction: Bilingual,
    pub document: String,
    pub transferor: Bilingual,
    pub transferee: Bilingual,
    pub applied_on: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub pending_with: Option<Bilingual>,
    pub remarks: Option<Bilingual>,
    pub history: Vec<Step>,
    pub sla_days: u32,
}

const FIRST_MUTATION_YEAR: i64 = 2016;
const MUTATIONS_PER_YEAR: u64 = 60_000;

/// Reads `MUT-YYYY-NNNNNN`.
fn mutation_key(number: &str) -> Result<(i64, u64), ApiError> {
    let bad = || ApiError::bad_request(format!("{number} is not a mutation application number (MUT-YYYY-NNNNNN)"));
    let mut parts = number.trim().split('-');
    let (Some(prefix), Some(year), Some(serial), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if !prefix.eq_ignore_ascii_case("MUT") || year.len() != 4 || serial.len() != 6 {
        return Err(bad());
    }
    let year: i64 = year.parse().map_err(|_| bad())?;
    let serial: u64 = serial.parse().map_err(|_| bad())?;
    Ok((year, serial))
}

/// The e-Mutation application `number`, if it exists.
pub fn mutation_record(number: &str) -> Result<Mutation, ApiError> {
    let (year, serial) = mutation_key(number)?;
    let today = today_days();
    let this_year = iso_from_days(today)[..4].parse::<i64>().unwrap_or(2026);
    if !(FIRST_MUTATION_YEAR..=this_year).contains(&year) || serial == 0 || serial > MUTATIONS_PER_YEAR {
        return Err(ApiError::not_found(format!("no mutation application {number}")));
    }
    let number = format!("MUT-{year}-{serial:06}");
    let mut rng = Rng::for_key(&format!("mutation:{number}"));
    let district = rng.pick(seed::DISTRICTS);
    let mandal = rng.pick(district.mandals);
    let village = rng.pick(mandal.villages);
    let place = Place { district, mandal, village };
    let base = rng.between(1, u64::from(place.last_survey())) as u32;
    let survey = rng.pick(&parcels_of(&place, base)).clone();
    let transaction = *rng.pick(&[
        ("Sale (registered sale deed)", "అమ్మకం (రిజిస్టర్డ్ సేల్ డీడ్)"),
        ("Sale (registered sale deed)", "అమ్మకం (రిజిస్టర్డ్ సేల్ డీడ్)"),
        ("Succession (legal heir)", "వారసత్వం (చట్టబద్ధ వారసుడు)"),
        ("Gift settlement deed", "దాన సెటిల్‌మెంట్ దస్తావేజు"),
        ("Partition deed", "పంపకం దస్తావేజు"),
    ]);
    let (from, from_te) = seed::person(&mut rng);
    let (to, to_te) = seed::person(&mut rng);
    // An application filed this year cannot have dates after today.
    let start = days_from_civil(year, 1, 1);
    let span = if year == this_year { (today - start - 1).max(1) as u64 } else { 330 };
    let applied = start + rng.below(span) as i64;
    // Each step, and who holds the file once it is done.
    let steps: [(&str, &str, &str, &str); 4] = [
        ("Application received at Meeseva", "మీసేవలో దరఖాస్తు స్వీకరించబడింది", "VRO", "వీఆర్వో"),
        ("Notice issued, objections invited", "నోటీసు జారీ, అభ్యంతరాల ఆహ్వానం", "VRO", "వీఆర్వో"),
        ("VRO field enquiry completed", "వీఆర్వో క్షేత్ర విచారణ పూర్తి", "Revenue Inspector", "రెవెన్యూ ఇన్‌స్పెక్టర్"),
        ("Revenue Inspector report submitted", "రెవెన్యూ ఇన్‌స్పెక్టర్ నివేదిక సమర్పణ", "Tahsildar", "తహసీల్దార్"),
    ];
    // 0..=3: pending after that step; 4: approved; 5: rejected.
    let outcome = rng.below(6) as usize;
    let mut day = applied;
    let mut history = Vec::new();
    for (step, step_te, _, _) in steps.iter().take(outcome + 1) {
        history.push(Step { date: iso_from_days(day), step: bi(step, step_te) });
        day += rng.between(3, 12) as i64;
    }
    let final_step = match outcome {
        4 => Some(bi("Approved by Tahsildar; 1-B updated", "తహసీల్దార్ ఆమోదం; 1-బి సవరించబడింది")),
        5 => Some(bi("Rejected by Tahsildar", "తహసీల్దార్ తిరస్కరించారు")),
        _ => None,
    };
    if let Some(step) = final_step {
        history.push(Step { date: iso_from_days(day), step });
    }
    let why = *rng.pick(&[
        ("Title dispute pending in civil court", "సివిల్ కోర్టులో హక్కు వివాదం పెండింగ్"),
        ("Transferor is not the recorded pattadar", "బదిలీదారు నమోదైన పట్టాదారు కాదు"),
    ]);
    // A recent application has not got further than today.
    let done = history.iter().take_while(|s| s.date <= iso_from_days(today)).count().max(1);
    let truncated = done < history.len();
    history.truncate(done);
    let (status, pending_with, remarks) = match outcome {
        4 if !truncated => ("approved", None, None),
        5 if !truncated => ("rejected", None, Some(bi(why.0, why.1))),
        _ => {
            let (_, _, with, with_te) = steps[history.len().min(steps.len()) - 1];
            ("pending", Some(bi(with, with_te)), None)
        }
    };
    Ok(Mutation {
        number,
        district: bi(district.name, district.name_te),
        mandal: bi(mandal.name, mandal.name_te),
        village: bi(village.name, village.name_te),
        survey,
        transaction: bi(transaction.0, transaction.1),
        document: format!("{}/{year}", rng.between(100, 9999)),
        transferor: Bilingual { en: from, te: from_te },
        transferee: Bilingual { en: to, te: to_te },
        applied_on: iso_from_days(applied),
        status: status.to_owned(),
        pending_with,
        remarks,
        history,
        sla_days: 30,
    })
}

async fn mutation(Path(number): Path<String>) -> Result<Json<Mutation>, ApiError> {
    mutation_record(&number).map(Json)
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt as _;

    use super::*;

    async fn get_json(uri: &str) -> (StatusCode, serde_json::Value) {
        let response = router().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    fn land(path: &str, village: &str, survey: &str) -> String {
        format!("/land/{path}?district=NTR&mandal=Vijayawada%20Rural&village={village}&survey={survey}")
    }

    #[tokio::test]
    async fn an_adangal_entry_names_the_pattadar_in_both_languages() {
        let (status, body) = get_json(&land("adangal", "Gollapudi", "11")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["village"]["te"], "గొల్లపూడి");
        assert_eq!(body["survey"], "11");
        assert_eq!(body["land_type"], "patta");
        assert!(body["pattadar"]["en"].as_str().unwrap().contains(' '));
        assert!(!body["pattadar"]["te"].as_str().unwrap().is_empty());
        let extent = body["extent_cents"].as_u64().unwrap();
        assert!((18..=460).contains(&extent), "{extent}");
        assert_eq!(body["updated_by"], "VRO, Gollapudi");
    }

    #[tokio::test]
    async fn the_same_survey_number_has_the_same_pattadar_on_every_call() {
        let (_, a) = get_json(&land("adangal", "gollapudi", "11")).await;
        let (_, b) = get_json(&land("adangal", "GOLLAPUDI", "11")).await;
        assert_eq!(a, b);
    }

    #[tokio::test]
    async fn unknown_villages_and_surveys_are_404_with_a_reason() {
        let (status, body) = get_json(&land("adangal", "Gollapudi", "999")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body["error"].as_str().unwrap().contains("no survey number 999"), "{body}");
        let (status, body) = get_json(&land("adangal", "Atlantis", "7")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body["error"].as_str().unwrap().contains("no village Atlantis"), "{body}");
        let (status, _) = get_json(&land("adangal", "Gollapudi", "seven")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn a_subdivided_survey_number_is_refused_with_its_subdivisions() {
        let place = Place::find("NTR", "Vijayawada Rural", "Gollapudi").unwrap();
        let base = (1..=place.last_survey()).find(|n| !subdivisions(&place, *n).is_empty()).unwrap();
        let (status, body) = get_json(&land("adangal", "Gollapudi", &base.to_string())).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body["error"].as_str().unwrap().contains(&format!("{base}/")), "{body}");
        let first = &subdivisions(&place, base)[0];
        let (status, body) = get_json(&land("adangal", "Gollapudi", &first.replace('/', "%2F"))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["survey"], first.as_str());
    }

    #[tokio::test]
    async fn the_1b_lists_every_parcel_of_the_khata_and_their_total() {
        let (status, body) = get_json(&land("1b", "Gollapudi", "11")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let holdings: Vec<&str> =
            body["holdings"].as_array().unwrap().iter().map(|h| h["survey"].as_str().unwrap()).collect();
        // Survey 11 shares khata with 10 (subdivided) and 12.
        assert_eq!(holdings, ["10/1", "10/2", "11", "12"], "{body}");
        let holdings = body["holdings"].as_array().unwrap();
        let sum: u64 = holdings.iter().map(|h| h["extent_cents"].as_u64().unwrap()).sum();
        assert_eq!(body["total_extent_cents"], sum);
        assert!(body["passbook"].as_str().unwrap().starts_with('T'));
        let (_, adangal) = get_json(&land("adangal", "Gollapudi", "11")).await;
        assert_eq!(body["pattadar"], adangal["pattadar"]);
    }

    #[tokio::test]
    async fn government_land_has_no_pattadar_and_no_1b() {
        let (status, body) = get_json(&land("adangal", "Gollapudi", "193")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["land_type"], "government");
        assert!(body["pattadar"].is_null() && body["crop"].is_null(), "{body}");
        let (status, body) = get_json(&land("1b", "Gollapudi", "193")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body["error"].as_str().unwrap().contains("poramboke"), "{body}");
    }

    #[tokio::test]
    async fn the_fmb_gives_boundaries_on_four_sides() {
        let (status, body) = get_json(&land("fmb", "Gollapudi", "7/2")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["survey"], 7);
        assert_eq!(body["subdivisions"], serde_json::json!(["7/1", "7/2"]));
        // The sketch of a subdivided number is asked for by the bare number too.
        let (_, whole) = get_json(&land("fmb", "Gollapudi", "7")).await;
        assert_eq!(whole, body);
        assert_eq!(get_json(&land("fmb", "Gollapudi", "999")).await.0, StatusCode::NOT_FOUND);
        for side in ["north", "south", "east", "west"] {
            assert!(!body[side].as_str().unwrap().is_empty(), "{side}");
        }
    }

    #[tokio::test]
    async fn a_mutation_application_shows_its_history_and_who_holds_it() {
        let (status, body) = get_json("/mutations/MUT-2024-004821").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["number"], "MUT-2024-004821");
        let history = body["history"].as_array().unwrap();
        assert!(!history.is_empty());
        assert_eq!(history[0]["date"], body["applied_on"]);
        assert!(body["applied_on"].as_str().unwrap().starts_with("2024-"));
        match body["status"].as_str().unwrap() {
            "pending" => assert!(body["pending_with"]["en"].is_string(), "{body}"),
            "rejected" => assert!(body["remarks"]["en"].is_string(), "{body}"),
            "approved" => assert!(history.last().unwrap()["step"]["en"].as_str().unwrap().contains("1-B")),
            other => panic!("status {other}"),
        }
    }

    #[tokio::test]
    async fn every_mutation_status_occurs_and_dates_never_run_backwards() {
        let mut seen = std::collections::HashSet::new();
        for serial in 1..=200 {
            let record = mutation_record(&format!("MUT-2023-{serial:06}")).unwrap();
            let dates: Vec<&str> = record.history.iter().map(|s| s.date.as_str()).collect();
            assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
            seen.insert(record.status);
        }
        assert_eq!(seen.len(), 3, "{seen:?}");
    }

    #[test]
    fn the_documented_keys_say_what_the_module_doc_promises() {
        let field = adangal_record("NTR", "Vijayawada Rural", "Gollapudi", "11").unwrap();
        assert_eq!(field.land_type, LandType::Patta);
        assert!(adangal_record("NTR", "Vijayawada Rural", "Gollapudi", "7").is_err());
        assert!(adangal_record("NTR", "Vijayawada Rural", "Gollapudi", "7/1").is_ok());
        let grazing = adangal_record("NTR", "Vijayawada Rural", "Gollapudi", "193").unwrap();
        assert_eq!(grazing.land_type, LandType::Government);
        assert_eq!(mutation_record("MUT-2024-004821").unwrap().status, "pending");
    }

    #[tokio::test]
    async fn unknown_or_malformed_mutation_numbers_are_refused() {
        assert_eq!(get_json("/mutations/MUT-2024-099999").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/mutations/MUT-2014-000001").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/mutations/4821").await.0, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn seasons_follow_the_agricultural_year() {
        assert_eq!(season(days_from_civil(2026, 7, 1)), "Kharif 2026-27");
        assert_eq!(season(days_from_civil(2026, 11, 22)), "Rabi 2026-27");
        assert_eq!(season(days_from_civil(2027, 2, 1)), "Rabi 2026-27");
        assert_eq!(season(days_from_civil(2027, 4, 30)), "Rabi 2026-27");
    }

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(iso_from_days(0), "1970-01-01");
        assert_eq!(iso_from_days(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(iso_from_days(days_from_civil(2025, 12, 31) + 1), "2026-01-01");
    }
}
