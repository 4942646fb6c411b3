//! The simulated Chief Minister's Relief Fund (CMRF) system: the hospitals in
//! the CMRF network, the Dr. NTR Vaidya Seva (Aarogyasri) enrolment register
//! the plugin checks before sending a patient to the fund, and applications
//! with their status.
//!
//! Hospitals are a small static table (a network changes by government order,
//! not per request). Enrolment and applications are generated from their keys,
//! so every Aadhaar and application number has a stable answer.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::seed::{self, Rng};

/// One hospital of the CMRF network.
#[derive(Clone, Copy, Debug, Serialize)]
struct Hospital {
    code: &'static str,
    name: &'static str,
    name_te: &'static str,
    city: &'static str,
    district: &'static str,
    /// Treatment ids the hospital offers (the plugin's treatment choice ids).
    treatments: &'static [&'static str],
    /// Empanelled under Dr. NTR Vaidya Seva: enrolled patients are treated free there.
    vaidya_seva: bool,
    /// Accepts a CMRF Letter of Credit, i.e. treats first and is paid by the fund.
    loc: bool,
    /// `active`, or `suspended` when the government has removed it from the network.
    status: &'static str,
}

const ALL: &[&str] = &["cardiac", "cancer", "kidney", "neuro", "ortho", "trauma", "neonatal", "liver"];

const HOSPITALS: &[Hospital] = &[
    Hospital {
        code: "H1001",
        name: "Government General Hospital, Vijayawada",
        name_te: "ప్రభుత్వ సర్వజన ఆసుపత్రి, విజయవాడ",
        city: "Vijayawada",
        district: "NTR",
        treatments: &["cardiac", "kidney", "neuro", "ortho", "trauma", "neonatal"],
        vaidya_seva: true,
        loc: true,
        status: "active",
    },
    Hospital {
        code: "H1002",
        name: "Amaravati Heart Institute",
        name_te: "అమరావతి హార్ట్ ఇన్‌స్టిట్యూట్",
        city: "Vijayawada",
        district: "NTR",
        treatments: &["cardiac"],
        vaidya_seva: false,
        loc: true,
        status: "active",
    },
    Hospital {
        code: "H1003",
        name: "Krishna Cancer Centre",
        name_te: "కృష్ణా క్యాన్సర్ సెంటర్",
        city: "Vijayawada",
        district: "NTR",
        treatments: &["cancer"],
        vaidya_seva: true,
        loc: true,
        status: "active",
    },
    Hospital {
        code: "H1101",
        name: "Government General Hospital, Guntur",
        name_te: "ప్రభుత్వ సర్వజన ఆసుపత్రి, గుంటూరు",
        city: "Guntur",
        district: "Guntur",
        treatments: ALL,
        vaidya_seva: true,
        loc: true,
        status: "active",
    },
    Hospital {
        code: "H1102",
        name: "Mangalagiri Multispeciality Hospital",
        name_te: "మంగళగిరి మల్టీస్పెషాలిటీ ఆసుపత్రి",
        city: "Mangalagiri",
        district: "Guntur",
        treatments: &["cardiac", "neuro", "ortho", "trauma", "liver"],
        vaidya_seva: true,
        loc: true,
        status: "active",
    },
    Hospital {
        code: "H1103",
        name: "Tenali Kidney Care",
        name_te: "తెనాలి కిడ్నీ కేర్",
        city: "Tenali",
        district: "Guntur",
        treatments: &["kidney"],
        vaidya_seva: false,
        loc: false,
        status: "suspended",
    },
    Hospital {
        code: "H1201",
        name: "SVIMS, Tirupati",
        name_te: "స్విమ్స్, తిరుపతి",
        city: "Tirupati",
        district: "Tirupati",
        treatments: &["cardiac", "cancer", "kidney", "neuro", "liver"],
        vaidya_seva: true,
        loc: true,
        status: "active",
    },
    Hospital {
        code: "H1202",
        name: "Sri Padmavathi Children's Heart Centre",
        name_te: "శ్రీ పద్మావతి చిన్నపిల్లల హృదయాలయం",
        city: "Tirupati",
        district: "Tirupati",
        treatments: &["cardiac", "neonatal"],
        vaidya_seva: true,
        loc: true,
        status: "active",
    },
    Hospital {
        code: "H1301",
        name: "King George Hospital, Visakhapatnam",
        name_te: "కింగ్ జార్జ్ ఆసుపత్రి, విశాఖపట్నం",
        city: "Visakhapatnam",
        district: "Visakhapatnam",
        treatments: ALL,
        vaidya_seva: true,
        loc: true,
        status: "active",
    },
    Hospital {
        code: "H1302",
        name: "Visakha Liver and Transplant Centre",
        name_te: "విశాఖ లివర్ అండ్ ట్రాన్స్‌ప్లాంట్ సెంటర్",
        city: "Visakhapatnam",
        district: "Visakhapatnam",
        treatments: &["liver", "kidney"],
        vaidya_seva: false,
        loc: true,
        status: "active",
    },
    Hospital {
        code: "H1401",
        name: "Government General Hospital, Kurnool",
        name_te: "ప్రభుత్వ సర్వజన ఆసుపత్రి, కర్నూలు",
        city: "Kurnool",
        district: "Kurnool",
        treatments: &["cardiac", "cancer", "kidney", "neuro", "ortho", "trauma", "neonatal"],
        vaidya_seva: true,
        loc: true,
        status: "active",
    },
    Hospital {
        code: "H1501",
        name: "Government General Hospital, Rajamahendravaram",
        name_te: "ప్రభుత్వ సర్వజన ఆసుపత్రి, రాజమహేంద్రవరం",
        city: "Rajamahendravaram",
        district: "East Godavari",
        treatments: &["cardiac", "kidney", "ortho", "trauma", "neonatal"],
        vaidya_seva: true,
        loc: true,
        status: "active",
    },
    Hospital {
        code: "H1502",
        name: "Godavari Neuro and Trauma Hospital",
        name_te: "గోదావరి న్యూరో అండ్ ట్రామా ఆసుపత్రి",
        city: "Rajamahendravaram",
        district: "East Godavari",
        treatments: &["neuro", "trauma", "ortho"],
        vaidya_seva: false,
        loc: false,
        status: "active",
    },
];

/// Enrolment in Dr. NTR Vaidya Seva (health cards go to families under the
/// scheme's income limit, about four in five households).
const ENROLLED_PERCENT: u64 = 78;
/// Application years the simulated fund has records for.
const YEARS: std::ops::RangeInclusive<u32> = 2022..=2026;
/// Serial numbers issued per year.
const ISSUED_PER_YEAR: u32 = 150_000;

/// A refusal with a message the plugin can log.
#[derive(Debug)]
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(serde_json::json!({ "error": self.1 }))).into_response()
    }
}

type ApiResult<T> = Result<Json<T>, ApiError>;

#[derive(Debug, Deserialize)]
struct HospitalQuery {
    district: Option<String>,
}

#[derive(Debug, Serialize)]
struct Hospitals {
    hospitals: Vec<Hospital>,
}

async fn hospitals(Query(query): Query<HospitalQuery>) -> ApiResult<Hospitals> {
    let Some(district) = query.district else {
        return Ok(Json(Hospitals { hospitals: HOSPITALS.to_vec() }));
    };
    let district = district.trim();
    let hospitals: Vec<Hospital> =
        HOSPITALS.iter().filter(|h| h.district.eq_ignore_ascii_case(district)).copied().collect();
    if hospitals.is_empty() {
        return Err(ApiError(StatusCode::NOT_FOUND, format!("no network hospital in district {district}")));
    }
    Ok(Json(Hospitals { hospitals }))
}

async fn hospital(Path(code): Path<String>) -> ApiResult<Hospital> {
    HOSPITALS
        .iter()
        .find(|h| h.code.eq_ignore_ascii_case(code.trim()))
        .map(|h| Json(*h))
        .ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("no network hospital {code}")))
}

#[derive(Debug, Serialize)]
struct Enrolment {
    enrolled: bool,
    health_card: Option<String>,
    family_head: Option<String>,
}

async fn vaidya_seva(Path(aadhaar): Path<String>) -> ApiResult<Enrolment> {
    if aadhaar.len() != 12 || !aadhaar.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError(StatusCode::BAD_REQUEST, "an Aadhaar number has 12 digits".to_owned()));
    }
    let mut rng = Rng::for_key(&format!("vaidya-seva:{aadhaar}"));
    if rng.below(100) >= ENROLLED_PERCENT {
        return Ok(Json(Enrolment { enrolled: false, health_card: None, family_head: None }));
    }
    let card = format!("NTRVS{:010}", rng.below(10_000_000_000));
    Ok(Json(Enrolment { enrolled: true, health_card: Some(card), family_head: Some(seed::person(&mut rng).0) }))
}

#[derive(Debug, Serialize)]
struct Application {
    number: String,
    /// `assistance` (financial aid), `loc` (Letter of Credit) or `reimbursement`.
    kind: &'static str,
    patient: String,
    patient_te: String,
    district: &'static str,
    hospital_code: &'static str,
    hospital: &'static str,
    treatment: &'static str,
    requested: u64,
    sanctioned: Option<u64>,
    /// `received`, `hospital-verification`, `cmo-scrutiny`, `sanctioned`, `paid` or `rejected`.
    stage: &'static str,
    /// Why it was rejected: `vaidya-seva-covered`, `income-above-limit` or `documents-incomplete`.
    rejection: Option<&'static str>,
    submitted_on: String,
    updated_on: String,
}

/// `CMRF-2025-001234`, typed with or without dashes, slashes, spaces or case.
fn canonical_number(input: &str) -> Option<(u32, u32)> {
    let compact: String =
        input.chars().filter(|c| !matches!(c, '-' | '/' | ' ')).collect::<String>().to_ascii_uppercase();
    let rest = compact.strip_prefix("CMRF")?;
    if rest.len() != 10 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((rest[..4].parse().ok()?, rest[4..].parse().ok()?))
}

async fn application(Path(number): Path<String>) -> ApiResult<Application> {
    let (year, serial) = canonical_number(&number)
        .ok_or_else(|| ApiError(StatusCode::BAD_REQUEST, "an application number reads CMRF-YYYY-NNNNNN".to_owned()))?;
    let number = format!("CMRF-{year}-{serial:06}");
    if !YEARS.contains(&year) || serial == 0 || serial > ISSUED_PER_YEAR {
        return Err(ApiError(StatusCode::NOT_FOUND, format!("no CMRF application {number}")));
    }
    let mut rng = Rng::for_key(&format!("cmrf:{number}"));
    let kind = *rng.pick(&["assistance", "assistance", "loc", "reimbursement"]);
    let hospital = rng.pick(HOSPITALS);
    let treatment = *rng.pick(hospital.treatments);
    let (patient, patient_te) = seed::person(&mut rng);
    let requested = rng.between(40, 900) * 1_000;
    let stage = *rng.pick(&["received", "hospital-verification", "cmo-scrutiny", "sanctioned", "paid", "rejected"]);
    let sanctioned =
        matches!(stage, "sanctioned" | "paid").then(|| (requested * rng.between(40, 90) / 100).div_ceil(1_000) * 1_000);
    let rejection = (stage == "rejected")
        .then(|| *rng.pick(&["vaidya-seva-covered", "income-above-limit", "documents-incomplete"]));
    let (month, day) = (rng.between(1, 10) as u32, rng.between(1, 28) as u32);
    let waited = rng.between(3, 45) as u32;
    let (updated_month, updated_day) = (month + (day + waited - 1) / 28, (day + waited - 1) % 28 + 1);
    Ok(Json(Application {
        number,
        kind,
        patient,
        patient_te,
        district: hospital.district,
        hospital_code: hospital.code,
        hospital: hospital.name,
        treatment,
        requested,
        sanctioned,
        stage,
        rejection,
        submitted_on: format!("{year}-{month:02}-{day:02}"),
        updated_on: format!("{year}-{updated_month:02}-{updated_day:02}"),
    }))
}

/// The routes of this backend.
///
/// - `GET /hospitals[?district=NTR]`: the CMRF network hospitals (of a district)
/// - `GET /hospitals/{code}`: one network hospital
/// - `GET /vaidya-seva/{aadhaar}`: whether the patient is enrolled in Dr. NTR Vaidya Seva
/// - `GET /applications/{number}`: a CMRF application and where it stands
pub fn router() -> Router {
    Router::new()
        .route("/hospitals", get(hospitals))
        .route("/hospitals/{code}", get(hospital))
        .route("/vaidya-seva/{aadhaar}", get(vaidya_seva))
        .route("/applications/{number}", get(application))
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

    #[test]
    fn every_hospital_is_in_a_seeded_district_and_codes_are_unique() {
        let mut codes: Vec<&str> = HOSPITALS.iter().map(|h| h.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), HOSPITALS.len());
        for h in HOSPITALS {
            assert!(seed::district(h.district).is_some(), "{}", h.district);
            assert!(!h.treatments.is_empty() && h.treatments.iter().all(|t| ALL.contains(t)));
        }
        // The rules have something to refuse: a hospital outside Vaidya Seva and a suspended one.
        assert!(HOSPITALS.iter().any(|h| !h.vaidya_seva && h.status == "active"));
        assert!(HOSPITALS.iter().any(|h| h.status == "suspended"));
    }

    #[tokio::test]
    async fn hospitals_are_listed_by_district() {
        let (status, body) = get_json("/hospitals?district=east%20godavari").await;
        assert_eq!(status, StatusCode::OK);
        let list = body["hospitals"].as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert!(list.iter().all(|h| h["district"] == "East Godavari"));
        assert_eq!(get_json("/hospitals").await.1["hospitals"].as_array().unwrap().len(), HOSPITALS.len());
        assert_eq!(get_json("/hospitals?district=Hyderabad").await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn a_hospital_is_found_by_its_code() {
        let (status, body) = get_json("/hospitals/h1002").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["name"], "Amaravati Heart Institute");
        assert_eq!(body["vaidya_seva"], false);
        assert_eq!(get_json("/hospitals/H9999").await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn vaidya_seva_enrolment_is_stable_and_mixed() {
        let first = get_json("/vaidya-seva/499112345677").await;
        assert_eq!(first, get_json("/vaidya-seva/499112345677").await);
        let mut enrolled = 0;
        for n in 0..200u64 {
            let (status, body) = get_json(&format!("/vaidya-seva/{:012}", 400_000_000_000 + n * 7919)).await;
            assert_eq!(status, StatusCode::OK);
            if body["enrolled"] == true {
                enrolled += 1;
                assert!(body["health_card"].as_str().unwrap().starts_with("NTRVS"));
            }
        }
        assert!((120..=190).contains(&enrolled), "{enrolled} of 200 enrolled");
        assert_eq!(get_json("/vaidya-seva/12345").await.0, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn an_application_has_a_stable_status_in_any_typed_form() {
        let (status, body) = get_json("/applications/CMRF-2025-004217").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["number"], "CMRF-2025-004217");
        assert_eq!(get_json("/applications/cmrf2025004217").await.1, body);
        let requested = body["requested"].as_u64().unwrap();
        assert!((40_000..=900_000).contains(&requested));
        if let Some(sanctioned) = body["sanctioned"].as_u64() {
            assert!(sanctioned <= requested);
        }
        let hospital = HOSPITALS.iter().find(|h| body["hospital_code"] == h.code).unwrap();
        assert!(hospital.treatments.iter().any(|t| body["treatment"] == *t));
    }

    #[tokio::test]
    async fn every_stage_occurs_and_rejections_say_why() {
        let mut stages = std::collections::HashSet::new();
        for serial in 1..=60 {
            let (_, body) = get_json(&format!("/applications/CMRF-2024-{serial:06}")).await;
            let stage = body["stage"].as_str().unwrap().to_owned();
            assert_eq!(stage == "rejected", body["rejection"].is_string(), "{body}");
            assert_eq!(matches!(stage.as_str(), "sanctioned" | "paid"), body["sanctioned"].is_u64(), "{body}");
            assert!(body["submitted_on"].as_str().unwrap() <= body["updated_on"].as_str().unwrap());
            stages.insert(stage);
        }
        assert_eq!(stages.len(), 6, "{stages:?}");
    }

    #[tokio::test]
    async fn unissued_and_malformed_numbers_are_refused() {
        assert_eq!(get_json("/applications/CMRF-2025-900000").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/applications/CMRF-1999-000001").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/applications/CMRF-2025-000000").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/applications/ABC-1").await.0, StatusCode::BAD_REQUEST);
    }
}
