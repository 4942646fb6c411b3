//! The Environment, Forests, Science & Technology department's systems:
//! ex-gratia claims for crops, cattle and houses damaged by wild animals,
//! timber transit permits and tree-felling permissions on private land.
//!
//! Example keys (always registered, on the happy path of the definitions):
//! - `compensation`: `WLD-2026-002708` (sanctioned) and
//!   `WLD-2026-002706` (paid): the sanction order is issued;
//! - `transit-permits`: `TP-2026-011907` (valid today);
//! - `felling-permissions`: `TFP-2026-000606` (approved).

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{Words, day, filed_in, join, place_with, words};
use crate::registers::{self, Register, numbered};
use crate::seed::{self, Rng, calendar};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "compensation",
        key: |t| numbered(t, "WLD", 6, 2015..=2030),
        examples: &["WLD-2026-002708", "WLD-2026-002706"],
        make: compensation,
        submit: None,
    },
    Register {
        name: "transit-permits",
        key: |t| numbered(t, "TP", 6, 2015..=2030),
        examples: &["TP-2026-011907"],
        make: transit_permit,
        submit: None,
    },
    Register {
        name: "felling-permissions",
        key: |t| numbered(t, "TFP", 6, 2015..=2030),
        examples: &["TFP-2026-000606"],
        make: felling,
        submit: None,
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// A village of the seeded districts, as record fields, with its forest range.
fn place(rng: &mut Rng) -> Value {
    place_with(
        rng,
        |_, m, _| json!({"range": format!("{} Forest Range", m.name), "range_te": format!("{} అటవీ రేంజ్", m.name_te)}),
    )
}

const BOAR: Words = ("wild-boar", "wild boar", "అడవి పంది", "जंगली सूअर");
const ELEPHANT: Words = ("elephant", "elephant", "ఏనుగు", "हाथी");
const GAUR: Words = ("gaur", "gaur (Indian bison)", "అడవి దున్న", "गौर (भारतीय बाइसन)");
const BEAR: Words = ("bear", "sloth bear", "ఎలుగుబంటి", "भालू");
const LEOPARD: Words = ("leopard", "leopard", "చిరుతపులి", "तेंदुआ");

/// A kind of damage and the animals that do it.
const DAMAGES: &[(Words, &[Words])] = &[
    (("crop", "crop damage", "పంట నష్టం", "फसल नुकसान"), &[BOAR, BOAR, ELEPHANT, GAUR]),
    (("crop", "crop damage", "పంట నష్టం", "फसल नुकसान"), &[BOAR, ELEPHANT, BEAR]),
    (("cattle", "cattle killed", "పశువు మృతి", "मवेशी की मौत"), &[LEOPARD, LEOPARD, BEAR]),
    (("house", "house damaged", "ఇల్లు దెబ్బతింది", "घर क्षतिग्रस्त"), &[ELEPHANT]),
];

const CLAIM_STATUS: &[Words] = &[
    ("registered", "Registered; field inspection due", "నమోదైంది; క్షేత్ర పరిశీలన జరగాలి", "दर्ज; क्षेत्र निरीक्षण बाकी"),
    (
        "inspected",
        "Inspected; with the DFO for sanction",
        "పరిశీలన పూర్తి; డీఎఫ్‌ఓ మంజూరు కోసం",
        "निरीक्षण पूर्ण; डीएफओ स्वीकृति हेतु",
    ),
    ("sanctioned", "Sanctioned by the DFO", "డీఎఫ్‌ఓ మంజూరు చేశారు", "डीएफओ द्वारा स्वीकृत"),
    ("paid", "Paid", "చెల్లించారు", "भुगतान हो गया"),
    ("paid", "Paid", "చెల్లించారు", "भुगतान हो गया"),
];

fn compensation(key: &str, rng: &mut Rng) -> Option<Value> {
    let (claimant, claimant_te) = seed::person(rng);
    let (damage, animals) = *rng.pick(DAMAGES);
    let animal = *rng.pick(animals);
    let status = *rng.pick(CLAIM_STATUS);
    let (loss, loss_te) = match damage.0 {
        "crop" => {
            let (crop, crop_te) = *rng.pick(&[
                ("paddy", "వరి"),
                ("groundnut", "వేరుశనగ"),
                ("maize", "మొక్కజొన్న"),
                ("banana", "అరటి"),
                ("sugarcane", "చెరకు"),
            ]);
            let acres = rng.between(25, 300) as f64 / 100.0;
            (format!("{acres} acres of {crop}"), format!("{acres} ఎకరాల {crop_te}"))
        }
        "cattle" => {
            let n = rng.between(1, 3);
            (format!("{n} head of cattle"), if n == 1 { "ఒక పశువు".to_owned() } else { format!("{n} పశువులు") })
        }
        _ => ("a thatched house".to_owned(), "పూరిల్లు".to_owned()),
    };
    let claimed = rng.between(8, 60) * 1_000;
    let assessed = claimed * rng.between(50, 90) / 100 / 100 * 100;
    let incident = filed_in(key, rng, 30..=50);
    let decided = matches!(status.0, "sanctioned" | "paid");
    let sanctioned_on = (incident + rng.between(15, 25) as i64).min(calendar::today() - 2);
    Some(join([
        place(rng),
        words("animal", animal),
        words("damage", damage),
        words("status", status),
        json!({
            "number": key, "claimant": claimant, "claimant_te": claimant_te, "loss": loss, "loss_te": loss_te,
            "incident_on": calendar::iso(incident), "claimed": claimed,
            "assessed": if status.0 == "registered" { 0 } else { assessed },
            "sanctioned": if decided { assessed } else { 0 },
            "sanctioned_on": if decided { calendar::iso(sanctioned_on) } else { String::new() },
            "proceedings": format!("DFO/WL/{}/{}", rng.between(100, 999), &key[4..8]),
            "paid_on": if status.0 == "paid" { calendar::iso(sanctioned_on + 1) } else { String::new() },
            "account": format!("****{:04}", rng.below(10_000)),
        }),
    ]))
}

const SPECIES: &[(&str, &str, bool)] = &[
    ("Teak", "టేకు", false),
    ("Eucalyptus", "యూకలిప్టస్ (జామాయిల్)", true),
    ("Subabul", "సుబాబుల్", true),
    ("Casuarina", "సరుగుడు", true),
    ("Mango", "మామిడి", false),
];

fn transit_permit(key: &str, rng: &mut Rng) -> Option<Value> {
    let (holder, holder_te) = seed::person(rng);
    let (species, species_te, pulpwood) = *rng.pick(SPECIES);
    let quantity = if pulpwood { rng.between(8, 30) as f64 } else { rng.between(20, 150) as f64 / 10.0 };
    let (unit, unit_te) =
        if pulpwood { ("tonnes", "టన్నుల") } else { ("cubic metres", "ఘనపు మీటర్ల") };
    let issued = -(rng.between(0, 40) as i64);
    let valid = issued + 15;
    let cancelled = rng.below(12) == 0;
    let status: Words = if cancelled {
        ("cancelled", "Cancelled by the range officer", "రేంజ్ అధికారి రద్దు చేశారు", "रेंज अधिकारी ने रद्द किया")
    } else if valid >= 0 {
        ("valid", "Valid", "చెల్లుబాటులో ఉంది", "वैध")
    } else {
        ("expired", "Expired", "గడువు ముగిసింది", "समाप्त")
    };
    let destination = *rng.pick(&[
        "Andhra Pradesh Paper Mills, Rajamahendravaram",
        "Sri Venkateswara Saw Mill, Tenali",
        "Timber depot, Kurnool",
        "Plywood unit, Visakhapatnam",
    ]);
    let vehicle = format!("AP{:02}T{}{:04}", rng.between(1, 40), rng.pick(&["A", "B", "C", "D"]), rng.below(10_000));
    Some(join([
        place(rng),
        words("status", status),
        json!({
            "number": key, "holder": holder, "holder_te": holder_te, "species": species, "species_te": species_te,
            "quantity": quantity, "unit": unit, "unit_te": unit_te, "destination": destination, "vehicle": vehicle,
            "issued_on": day(issued), "valid_until": day(valid),
        }),
    ]))
}

const FELLING_STATUS: &[Words] = &[
    ("applied", "Applied; field inspection due", "దరఖాస్తు అందింది; క్షేత్ర పరిశీలన జరగాలి", "आवेदन प्राप्त; क्षेत्र निरीक्षण बाकी"),
    ("approved", "Approved", "అనుమతి ఇచ్చారు", "अनुमति दी गई"),
    ("approved", "Approved", "అనుమతి ఇచ్చారు", "अनुमति दी गई"),
    (
        "rejected",
        "Rejected: the trees stand in a notified forest",
        "తిరస్కరించారు: చెట్లు నోటిఫైడ్ అడవిలో ఉన్నాయి",
        "अस्वीकृत: पेड़ अधिसूचित वन में हैं",
    ),
];

fn felling(key: &str, rng: &mut Rng) -> Option<Value> {
    let (applicant, applicant_te) = seed::person(rng);
    let (species, species_te, _) = *rng.pick(SPECIES);
    let trees = rng.between(2, 60);
    let status = *rng.pick(FELLING_STATUS);
    let applied = filed_in(key, rng, 10..=30);
    let decided = (applied + rng.between(7, 20) as i64).min(calendar::today() - 1);
    Some(join([
        place(rng),
        words("status", status),
        json!({
            "number": key, "applicant": applicant, "applicant_te": applicant_te, "species": species,
            "species_te": species_te, "trees": trees, "replant": trees * 2,
            "survey_no": format!("{}/{}", rng.between(1, 600), rng.between(1, 8)),
            "applied_on": calendar::iso(applied),
            "decided_on": if status.0 == "applied" { String::new() } else { calendar::iso(decided) },
            "valid_until": if status.0 == "approved" { calendar::iso(decided + 90) } else { String::new() },
        }),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found};

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        examples_serve_the_definitions("forest", REGISTERS, "12-AB");
        assert!(REGISTERS.iter().all(|r| r.submit.is_none()));
    }

    #[test]
    fn examples_are_on_the_happy_path() {
        let get = |name: &str, key: &str| found(REGISTERS, name, key);
        let claim = get("compensation", "wld/2026/002708");
        assert!(claim["status"] == "sanctioned" || claim["status"] == "paid", "{claim}");
        assert_eq!(get("transit-permits", "TP-2026-011907")["status"], "valid");
        assert_eq!(get("felling-permissions", "TFP 2026 000606")["status"], "approved");
    }
}
