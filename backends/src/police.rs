//! The AP Police citizen services: FIRs (CCTNS), police clearance
//! certificates, lost article reports (e-Lost), passport verification,
//! cyber fraud complaints, and the police station for a PIN code.
//!
//! Registers and their examples (kept by the tests below):
//! - `firs/{FIR}` (PS code, year, serial: `10234-2025-0456`):
//!   `1023420250456`, a vehicle theft or similar, not a sensitive case
//!   (status, copy).
//! - `pcc/{PCC2026004521}`; `POST /pcc` applies for one. `PCC2026004521`.
//! - `POST /lost-reports` issues a lost report.
//! - `passport/{file number}` (two letters and 13 digits): `VS1075123456723`.
//! - `POST /cyber-complaints` takes a cyber fraud complaint.
//! - `stations/{PIN code}`: `520001`.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{day_in, district_of_pincode, join, person_who, said, stage_fields};
use crate::registers::{self, Register, Rng, digits_key, district_of, plain_key, prefixed};
use crate::seed::calendar::{civil_from_days, days_from_civil, iso, parse_date, today};
use crate::seed::{self, District, Mandal};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "firs",
        key: |t| digits_key(&t.replace('/', ""), 13),
        examples: &["1023420250456"],
        make: fir,
        submit: None,
    },
    Register {
        name: "pcc",
        key: |t| prefixed(t, "PCC", 10),
        examples: &["PCC2026004521"],
        make: pcc,
        submit: Some(apply_pcc),
    },
    Register { name: "lost-reports", key: |_| None, examples: &[], make: |_, _| None, submit: Some(lost_report) },
    Register { name: "passport", key: passport_key, examples: &["VS1075123456723"], make: passport, submit: None },
    Register {
        name: "cyber-complaints",
        key: |_| None,
        examples: &[],
        make: |_, _| None,
        submit: Some(cyber_complaint),
    },
    Register { name: "stations", key: |t| digits_key(t, 6), examples: &["520001"], make: station, submit: None },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// A police station: the mandal's, in a district.
struct Station {
    district: &'static District,
    mandal: &'static Mandal,
}

impl Station {
    fn any(rng: &mut Rng) -> Self {
        let district = rng.pick(seed::DISTRICTS);
        Station { district, mandal: rng.pick(district.mandals) }
    }

    fn in_district(name: &str, rng: &mut Rng) -> Option<Self> {
        let district = district_of(name)?;
        Some(Station { district, mandal: rng.pick(district.mandals) })
    }

    fn name(&self) -> String {
        format!("{} Police Station, {} district", self.mandal.name, self.district.name)
    }

    fn name_te(&self) -> String {
        format!("{} పోలీస్ స్టేషన్, {} జిల్లా", self.mandal.name_te, self.district.name_te)
    }
}

/// Offences: names (en, te, hi), BNS section (from July 2024), IPC section (before), sensitive.
const OFFENCES: &[([&str; 3], &str, &str, bool)] = &[
    (["Theft of a two-wheeler", "ద్విచక్ర వాహనం దొంగతనం", "दोपहिया वाहन की चोरी"], "BNS 303(2)", "IPC 379", false),
    (["House-breaking and theft", "ఇంట్లో చొరబడి దొంగతనం", "घर में सेंध और चोरी"], "BNS 331(4), 305", "IPC 457, 380", false),
    (["Cheating", "మోసం", "धोखाधड़ी"], "BNS 318(4)", "IPC 420", false),
    (["Online fraud", "ఆన్‌లైన్ మోసం", "ऑनलाइन धोखाधड़ी"], "BNS 318(4), IT Act 66D", "IPC 420, IT Act 66D", false),
    (["Causing hurt", "గాయపరచడం", "चोट पहुँचाना"], "BNS 115(2)", "IPC 323", false),
    (["Road accident", "రోడ్డు ప్రమాదం", "सड़क दुर्घटना"], "BNS 125(a), 281", "IPC 337, 279", false),
    (["Offence against a woman", "మహిళపై నేరం", "महिला के विरुद्ध अपराध"], "BNS 74", "IPC 354", true),
];

/// Stages of a case: id, en, te, hi.
const CASE_STAGES: &[[&str; 4]] = &[
    ["investigation", "Under investigation", "దర్యాప్తులో ఉంది", "जाँच जारी"],
    ["charge-sheet", "Charge sheet filed in court", "కోర్టులో ఛార్జిషీట్ దాఖలు చేశారు", "अदालत में आरोप पत्र दाखिल"],
    ["trial", "Pending trial in court", "కోర్టులో విచారణలో ఉంది", "अदालत में सुनवाई लंबित"],
    [
        "undetected",
        "Closed as undetected (final report); reopens if a clue is found",
        "ఆచూకీ లేదని ముగించారు; ఆధారం దొరికితే తిరిగి తెరుస్తారు",
        "अज्ञात मानकर बंद; सुराग मिलने पर फिर खुलेगा",
    ],
    [
        "recovered",
        "Property recovered; to be released by court order",
        "సొత్తు స్వాధీనం; కోర్టు ఉత్తర్వుతో అప్పగిస్తారు",
        "संपत्ति बरामद; अदालत के आदेश से लौटेगी",
    ],
];

fn fir(key: &str, rng: &mut Rng) -> Option<Value> {
    let year: i64 = key[5..9].parse().ok()?;
    if !(2015..=civil_from_days(today()).0).contains(&year) || key.ends_with("0000") {
        return None;
    }
    let registered = day_in(rng, year, today() - 3);
    let station = Station::any(rng);
    let (offence, bns, ipc, sensitive) = *rng.pick(OFFENCES);
    let sections = if registered >= days_from_civil(2024, 7, 1) { bns } else { ipc };
    let stage = *rng.pick(CASE_STAGES);
    let (complainant, complainant_te) = seed::person(rng);
    let (officer, _) = person_who(rng, false);
    Some(join([
        json!({
            "fir_no": format!("{}/{year}", &key[9..]),
            "ps_code": &key[..5],
            "ps": station.name(),
            "ps_te": station.name_te(),
            "district": station.district.name,
            "registered_on": iso(registered),
            "offence": said(offence),
            "sections": sections,
            "complainant": complainant,
            "complainant_te": complainant_te,
            "io": format!("Sub-Inspector {officer}"),
            "io_phone": format!("94407{:05}", rng.below(100_000)),
            "updated_on": iso((registered + rng.between(5, 200) as i64).min(today())),
            "sensitive": sensitive,
        }),
        stage_fields(stage),
    ]))
}

/// Purposes a clearance certificate is asked for: id, en, te, hi.
const PURPOSES: &[[&str; 4]] = &[
    ["job-abroad", "Employment abroad", "విదేశీ ఉద్యోగం", "विदेश में नौकरी"],
    ["job", "Employment in India", "దేశంలో ఉద్యోగం", "भारत में नौकरी"],
    ["visa", "Visa / immigration", "వీసా / వలస", "वीज़ा / आप्रवासन"],
    ["studies", "Higher studies", "ఉన్నత చదువులు", "उच्च शिक्षा"],
    ["tenancy", "Tenancy or business", "అద్దె లేదా వ్యాపారం", "किरायेदारी या व्यापार"],
];

/// Stages of a PCC: id, en, te, hi.
const PCC_STAGES: &[[&str; 4]] = &[
    [
        "verification",
        "Address and antecedents being verified by the police station",
        "పోలీస్ స్టేషన్ చిరునామా, నేర చరిత్ర పరిశీలిస్తోంది",
        "थाना पता और पृष्ठभूमि जाँच रहा है",
    ],
    [
        "sp-office",
        "Verified; with the SP office for signature",
        "పరిశీలన పూర్తి; ఎస్పీ కార్యాలయంలో సంతకానికి",
        "जाँच पूरी; एसपी कार्यालय में हस्ताक्षर हेतु",
    ],
    [
        "issued",
        "Issued: download it from the AP Police citizen portal",
        "జారీ అయింది: ఏపీ పోలీస్ సిటిజన్ పోర్టల్‌లో డౌన్‌లోడ్ చేసుకోండి",
        "जारी: एपी पुलिस नागरिक पोर्टल से डाउनलोड करें",
    ],
];

fn pcc(key: &str, rng: &mut Rng) -> Option<Value> {
    let year: i64 = key[3..7].parse().ok()?;
    if !(2018..=civil_from_days(today()).0).contains(&year) {
        return None;
    }
    let stage = *rng.pick(PCC_STAGES);
    // Issued ones were applied for a while ago; the rest within the 15 days allowed.
    let applied = today() - if stage[0] == "issued" { rng.between(15, 60) } else { rng.between(1, 14) } as i64;
    let purpose = rng.pick(PURPOSES);
    let (applicant, applicant_te) = seed::person(rng);
    let station = Station::any(rng);
    Some(join([
        json!({
            "application_no": key,
            "applicant": applicant,
            "applicant_te": applicant_te,
            "purpose": said([purpose[1], purpose[2], purpose[3]]),
            "applied_on": iso(applied),
            "ps": station.name(),
            "expected_by": iso(applied + 15),
        }),
        stage_fields(stage),
    ]))
}

/// Applies for a PCC: `aadhaar`, `purpose`, `district`.
fn apply_pcc(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    body["aadhaar"].as_str().and_then(|a| digits_key(a, 12)).ok_or("a 12-digit aadhaar is required")?;
    let purpose = body["purpose"].as_str().ok_or("purpose is required")?;
    let station =
        body["district"].as_str().and_then(|d| Station::in_district(d, rng)).ok_or("a known district is required")?;
    let (year, ..) = civil_from_days(today());
    Ok(json!({
        "application_no": format!("PCC{year}{:06}", rng.between(100_000, 999_999)),
        "purpose": purpose,
        "ps": station.name(),
        "status": "verification",
        "expected_by": iso(today() + 15),
    }))
}

/// Issues a lost report: `name`, `article`, `identifier`, `lost_on`, `place`, `district`.
fn lost_report(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let name = body["name"].as_str().map(str::trim).filter(|n| n.len() >= 2).ok_or("name is required")?;
    let article = body["article"].as_str().ok_or("article is required")?;
    let lost_on = body["lost_on"].as_str().and_then(parse_date).ok_or("lost_on (YYYY-MM-DD) is required")?;
    let place = body["place"].as_str().unwrap_or_default();
    let station =
        body["district"].as_str().and_then(|d| Station::in_district(d, rng)).ok_or("a known district is required")?;
    let (year, ..) = civil_from_days(today());
    Ok(json!({
        "lr_no": format!("LR{year}{:08}", rng.below(100_000_000)),
        "name": name,
        "article": article,
        "identifier": body["identifier"].as_str().unwrap_or("-"),
        "lost_on": iso(lost_on),
        "place": place,
        "ps": station.name(),
        "ps_te": station.name_te(),
        "issued_on": iso(today()),
    }))
}

/// A passport file number: two letters (the passport office) and 13 digits.
fn passport_key(typed: &str) -> Option<String> {
    let key = plain_key(typed, 15, 17)?.replace('-', "");
    let shaped = key.len() == 15
        && key[..2].bytes().all(|b| b.is_ascii_uppercase())
        && key[2..].bytes().all(|b| b.is_ascii_digit());
    shaped.then_some(key)
}

/// Stages of a passport verification: id, en, te, hi.
const PASSPORT_STAGES: &[[&str; 4]] = &[
    [
        "pending",
        "Pending with the police station: the officer will visit your address",
        "పోలీస్ స్టేషన్‌లో పెండింగ్: అధికారి మీ చిరునామాకు వస్తారు",
        "थाने में लंबित: अधिकारी आपके पते पर आएँगे",
    ],
    [
        "enquiry-done",
        "Enquiry done; report being uploaded",
        "విచారణ పూర్తి; నివేదిక అప్‌లోడ్ అవుతోంది",
        "जाँच पूरी; रिपोर्ट अपलोड हो रही है",
    ],
    [
        "clear",
        "Report sent to the Passport Office: CLEAR",
        "పాస్‌పోర్ట్ కార్యాలయానికి నివేదిక పంపారు: క్లియర్",
        "पासपोर्ट कार्यालय को रिपोर्ट भेजी: क्लियर",
    ],
];

fn passport(key: &str, rng: &mut Rng) -> Option<Value> {
    let office = match &key[..2] {
        "VS" => "Regional Passport Office, Visakhapatnam",
        "VJ" => "Passport Seva Kendra, Vijayawada",
        "TP" => "Passport Seva Kendra, Tirupati",
        _ => return None,
    };
    let (applicant, applicant_te) = seed::person(rng);
    let (officer, _) = person_who(rng, false);
    let stage = *rng.pick(PASSPORT_STAGES);
    let station = Station::any(rng);
    let submitted = today() - rng.between(2, 25) as i64;
    Some(join([
        json!({
            "file_no": key,
            "applicant": applicant,
            "applicant_te": applicant_te,
            "passport_office": office,
            "ps": station.name(),
            "ps_te": station.name_te(),
            "officer": format!("Head Constable {officer}"),
            "submitted_on": iso(submitted),
            "due_by": iso(submitted + 15),
        }),
        stage_fields(stage),
    ]))
}

/// Takes a cyber fraud complaint: `kind`, `amount`, `fraud_on`, `district`.
fn cyber_complaint(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let kind = body["kind"].as_str().ok_or("kind is required")?;
    let amount = body["amount"].as_f64().unwrap_or(0.0);
    let fraud_on = body["fraud_on"].as_str().and_then(parse_date).ok_or("fraud_on (YYYY-MM-DD) is required")?;
    let district = body["district"].as_str().and_then(district_of).ok_or("a known district is required")?;
    Ok(json!({
        "ack_no": format!("3{:013}", rng.below(10_000_000_000_000)),
        "kind": kind,
        "amount": amount,
        // Money reported within a day can still be frozen in the fraudster's account.
        "hold_requested": amount > 0.0 && today() - fraud_on <= 1,
        "ps": format!("Cyber Crime Police Station, {}", district.name),
        "status": "registered",
    }))
}

fn station(key: &str, rng: &mut Rng) -> Option<Value> {
    let district = district_of_pincode(key, rng);
    let station = Station { district, mandal: rng.pick(district.mandals) };
    let (sho, _) = person_who(rng, false);
    Some(json!({
        "pincode": key,
        "ps": station.name(),
        "ps_te": station.name_te(),
        "sho": format!("Inspector {sho}, SHO"),
        "phone": format!("94407{:05}", rng.below(100_000)),
        "disha": format!("Disha Police Station, {}", district.name),
        "cyber": format!("Cyber Crime Police Station, {}", district.name),
        "district": district.name,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found, posted, refused};

    #[test]
    fn the_examples_exist_with_every_field_and_walk_the_happy_paths() {
        examples_serve_the_definitions("police", REGISTERS, "12-AB");
        assert_eq!(found(REGISTERS, "firs", "10234-2025-0456")["sensitive"], false);
    }

    #[test]
    fn malformed_keys_are_refused() {
        refused(
            REGISTERS,
            &[("firs", "10234/25/456"), ("pcc", "PCC-26"), ("passport", "VS10751"), ("stations", "5200")],
        );
    }

    #[test]
    fn posts_are_taken_with_their_numbers() {
        let pcc = posted(
            "police",
            REGISTERS,
            "pcc",
            json!({"aadhaar": "499118665246", "purpose": "job-abroad", "district": "ntr"}),
        );
        assert!(prefixed(pcc["application_no"].as_str().unwrap_or_default(), "PCC", 10).is_some(), "{pcc}");
        let lost = json!({"name": "Ravi", "article": "mobile", "identifier": "IMEI 3569", "lost_on": "2026-11-01", "place": "bus stand", "district": "guntur"});
        posted("police", REGISTERS, "lost-reports", lost);
        let fraud = json!({"kind": "upi", "amount": 25000, "fraud_on": iso(today()), "district": "kurnool"});
        assert_eq!(posted("police", REGISTERS, "cyber-complaints", fraud)["hold_requested"], true);
        let take = REGISTERS[4].submit.unwrap();
        assert!(take(&json!({"kind": "upi"}), &mut Rng::for_key("t")).is_err());
    }
}
