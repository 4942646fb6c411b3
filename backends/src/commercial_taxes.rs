//! The simulated Commercial Taxes systems: the State's GST registrations
//! (Andhra Pradesh taxpayers, GSTINs starting 37) with their returns and dues,
//! GST registration applications and refund claims by ARN, and the
//! professional tax enrolments.
//!
//! Example keys (always registered):
//! - `gstin`: `37AABCU9603R1ZM` (active, returns pending and a demand),
//!   `37ABMPR4570K1Z7` (an active proprietor with nothing due);
//! - `gst-applications`: `AA371126004519K` (approved), `AA371126004512F`
//!   (a query to answer);
//! - `refunds`: `AA370926003346R` (sanctioned), `AA370926003367C` (paid);
//! - `professional-tax`: `37481023456` (active, this year unpaid, no arrears:
//!   dues, payment and certificate), `37481023512` (active, paid).
//!
//! A GSTIN of another state is not in the State's register (404).

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{Words, coded_words, days_ago, join, month_start, short_month};
use crate::registers::{self, Register, Rng, digits_key, plain_key};
use crate::seed::calendar::{civil_from_days, iso, today};
use crate::seed::{self, DISTRICTS};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "gstin",
        key: gstin_key,
        examples: &["37AABCU9603R1ZM", "37ABMPR4570K1Z7"],
        make: taxpayer,
        submit: None,
    },
    Register {
        name: "gst-applications",
        key: arn_key,
        examples: &["AA371126004519K", "AA371126004512F"],
        make: registration_application,
        submit: None,
    },
    Register {
        name: "refunds",
        key: arn_key,
        examples: &["AA370926003346R", "AA370926003367C"],
        make: refund,
        submit: None,
    },
    Register {
        name: "professional-tax",
        key: |t| digits_key(t, 11).filter(|k| k.starts_with("37")),
        examples: &["37481023456", "37481023512"],
        make: professional_tax,
        submit: None,
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

fn shaped(key: &str, pattern: &str) -> bool {
    key.len() == pattern.len()
        && key.bytes().zip(pattern.bytes()).all(|(k, p)| match p {
            b'9' => k.is_ascii_digit(),
            b'A' => k.is_ascii_uppercase(),
            b'X' => k.is_ascii_alphanumeric(),
            other => k == other,
        })
}

/// A GSTIN: state code, PAN, entity number, `Z`, check character.
fn gstin_key(typed: &str) -> Option<String> {
    let key = plain_key(typed, 15, 15)?;
    shaped(&key, "99AAAAA9999AXZX").then_some(key)
}

/// An ARN: `AA`, state code, month and year, six digits, a check character.
fn arn_key(typed: &str) -> Option<String> {
    let key = plain_key(typed, 15, 15)?;
    (key.starts_with("AA") && shaped(&key, "AA999999999999X")).then_some(key)
}

/// `Oct 2026`: the month `back` months before this one.
fn month_back(back: u32) -> String {
    short_month(month_start(i64::from(back)))
}

/// The financial year today falls in, like `2026-27`.
fn financial_year() -> String {
    let (y, m, _) = civil_from_days(today());
    let start = if m >= 4 { y } else { y - 1 };
    format!("{start}-{:02}", (start + 1) % 100)
}

/// The taxpayer's business, circle and district.
fn business(rng: &mut Rng) -> Value {
    let (name, name_te) = seed::person(rng);
    let district = rng.pick(DISTRICTS);
    let shop =
        *rng.pick(&["Traders", "Enterprises", "Agencies", "Textiles", "Hardware", "Electricals", "Constructions"]);
    let brand = *rng.pick(&["Sri Lakshmi", "Sai Ram", "Venkata Sai", "Vijaya Durga", "Annapurna", "Kanaka Durga"]);
    json!({
        "legal_name": name, "legal_name_te": name_te, "trade_name": format!("{brand} {shop}"),
        "district": district.name, "district_te": district.name_te,
        "circle": format!("{}-{} Circle", district.mandals[0].name.split(' ').next().unwrap_or(district.name), rng.between(1, 3)),
    })
}

const GSTIN_STATUS: &[Words] = &[
    ("active", "Active", "యాక్టివ్", "सक्रिय"),
    ("active", "Active", "యాక్టివ్", "सक्रिय"),
    ("active", "Active", "యాక్టివ్", "सक्रिय"),
    ("suspended", "Suspended (returns not filed)", "సస్పెండ్ (రిటర్నులు దాఖలు చేయలేదు)", "निलंबित (रिटर्न दाखिल नहीं)"),
    ("cancelled", "Cancelled", "రద్దు చేశారు", "रद्द"),
];

fn taxpayer(key: &str, rng: &mut Rng) -> Option<Value> {
    if !key.starts_with("37") {
        return None;
    }
    let company = key.as_bytes().get(5) == Some(&b'C');
    let at = rng.below(GSTIN_STATUS.len() as u64) as usize;
    let pending = match GSTIN_STATUS[at].0 {
        "active" => rng.below(3),
        _ => rng.between(6, 14),
    } as u32;
    let dues = if rng.below(3) == 0 { 0 } else { rng.between(2, 900) * 1_000 };
    let mut business = business(rng);
    if company {
        let name = format!("{} Private Limited", business["trade_name"].as_str().unwrap_or_default());
        business["legal_name_te"] = json!(name);
        business["legal_name"] = json!(name);
    }
    Some(join([
        business,
        coded_words("status", &GSTIN_STATUS[at]),
        json!({
            "gstin": key,
            "constitution": if company { "Private Limited Company" } else { *rng.pick(&["Proprietorship", "Partnership"]) },
            "taxpayer_type": if rng.below(4) == 0 { "Composition" } else { "Regular" },
            "nature": rng.pick(&["Retail business", "Wholesale business", "Supplier of services", "Works contract", "Manufacturer"]),
            "registered_on": days_ago(rng, 200, 3_000),
            "last_return": format!("GSTR-3B, {}", month_back(pending + 1)),
            "returns_pending": pending,
            "dues": dues,
            "dues_reason": if dues == 0 { "" } else { *rng.pick(&["Interest on late payment (DRC-07)", "Short payment in GSTR-3B (DRC-07)", "Excess ITC claimed (DRC-07)"]) },
            "vat_arrears": if rng.below(5) == 0 { rng.between(5, 300) * 1_000 } else { 0 },
        }),
    ]))
}

const APPLICATION_STATUS: &[Words] = &[
    ("pending", "Pending for processing", "పరిశీలనలో ఉంది", "प्रक्रिया में लंबित"),
    ("query", "Clarification sought (REG-03)", "వివరణ కోరారు (REG-03)", "स्पष्टीकरण माँगा गया (REG-03)"),
    ("approved", "Approved – GSTIN issued", "ఆమోదించారు – GSTIN జారీ అయింది", "स्वीकृत – GSTIN जारी"),
    ("rejected", "Rejected (REG-05)", "తిరస్కరించారు (REG-05)", "अस्वीकृत (REG-05)"),
];

fn registration_application(key: &str, rng: &mut Rng) -> Option<Value> {
    if !key.starts_with("AA37") {
        return None;
    }
    let at = rng.below(APPLICATION_STATUS.len() as u64) as usize;
    let mut record = join([business(rng), coded_words("status", &APPLICATION_STATUS[at])]);
    let pan = format!(
        "{}P{}{:04}{}",
        rng.pick(&["ABC", "BDK", "AMR"]),
        rng.pick(&["K", "M", "R", "S"]),
        rng.below(10_000),
        rng.pick(&["K", "L", "Q"])
    );
    record["arn"] = json!(key);
    record["filed_on"] = json!(days_ago(rng, 3, 25));
    record["gstin"] = json!(if at == 2 { format!("37{pan}1Z{}", rng.below(10)) } else { String::new() });
    record["query"] = json!(if at == 1 {
        *rng.pick(&[
            "Upload the rent agreement of the business premises",
            "Photo of the shop board is not clear",
            "Electricity bill of the premises is required",
        ])
    } else {
        ""
    });
    record["reply_by"] = json!(if at == 1 { iso(today() + rng.between(1, 7) as i64) } else { String::new() });
    Some(record)
}

const REFUND_STATUS: &[Words] = &[
    ("acknowledged", "Acknowledged (RFD-02)", "అందింది (RFD-02)", "पावती जारी (RFD-02)"),
    ("deficiency", "Deficiency memo issued (RFD-03)", "లోపాల మెమో జారీ (RFD-03)", "कमी ज्ञापन जारी (RFD-03)"),
    ("sanctioned", "Sanctioned (RFD-06)", "మంజూరైంది (RFD-06)", "स्वीकृत (RFD-06)"),
    ("paid", "Paid to your bank account", "మీ బ్యాంకు ఖాతాకు చెల్లించారు", "आपके बैंक खाते में भुगतान"),
];

fn refund(key: &str, rng: &mut Rng) -> Option<Value> {
    if !key.starts_with("AA37") {
        return None;
    }
    let at = rng.below(REFUND_STATUS.len() as u64) as usize;
    let claimed = rng.between(20, 2_500) * 1_000;
    let sanctioned = if at >= 2 { claimed * rng.between(85, 100) / 100 } else { 0 };
    let mut record = join([business(rng), coded_words("status", &REFUND_STATUS[at])]);
    record["arn"] = json!(key);
    record["gstin"] = json!(format!(
        "37AAB{}{}{:04}{}1Z{}",
        rng.pick(&["C", "F"]),
        rng.pick(&["K", "S", "V"]),
        rng.below(10_000),
        rng.pick(&["K", "R"]),
        rng.below(10)
    ));
    record["refund_type"] = json!(rng.pick(&[
        "Excess balance in electronic cash ledger",
        "Export of services without payment of tax",
        "Accumulated ITC due to inverted duty structure",
    ]));
    record["period"] = json!(month_back(rng.between(2, 8) as u32));
    record["claimed"] = json!(claimed);
    record["sanctioned"] = json!(sanctioned);
    record["filed_on"] = json!(days_ago(rng, 15 + 20 * at as u64, 40 + 20 * at as u64));
    record["paid_on"] = json!(if at == 3 { days_ago(rng, 1, 10) } else { String::new() });
    Some(record)
}

/// The professional tax an enrolled person pays a year (the Act's ceiling).
const PT_ANNUAL: u64 = 2_500;
const PT_STATUS: &[Words] = &[
    ("active", "Active", "యాక్టివ్", "सक्रिय"),
    ("active", "Active", "యాక్టివ్", "सक्रिय"),
    ("active", "Active", "యాక్టివ్", "सक्रिय"),
    ("cancelled", "Cancelled (business closed)", "రద్దు (వ్యాపారం మూసివేశారు)", "रद्द (व्यवसाय बंद)"),
];

fn professional_tax(key: &str, rng: &mut Rng) -> Option<Value> {
    let (name, name_te) = seed::person(rng);
    let district = rng.pick(DISTRICTS);
    let paid = rng.below(2) == 0;
    let arrears = if rng.below(4) == 0 { PT_ANNUAL * rng.between(1, 3) } else { 0 };
    Some(join([
        coded_words("status", &PT_STATUS[rng.below(PT_STATUS.len() as u64) as usize]),
        json!({
            "ptin": key, "name": name, "name_te": name_te,
            "category": rng.pick(&["Advocate", "Medical practitioner", "Chartered accountant", "Trader (turnover above ₹10 lakh)", "Contractor", "Private company"]),
            "district": district.name, "district_te": district.name_te,
            "office": format!("Commercial Tax Officer, {}", district.name),
            "enrolled_on": days_ago(rng, 400, 4_000),
            "annual_tax": PT_ANNUAL, "fy": financial_year(),
            "current_paid": paid,
            "paid_on": if paid { days_ago(rng, 5, 150) } else { String::new() },
            "arrears": arrears,
        }),
    ]))
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found, get, refused};

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        examples_serve_the_definitions("commercial-taxes", REGISTERS, "12-AB");
    }

    #[test]
    fn the_examples_take_the_happy_path() {
        let record = |register: &str, key: &str| found(REGISTERS, register, key);
        let unpaid = record("professional-tax", "37481023456");
        assert_eq!((unpaid["status_code"].as_str(), unpaid["current_paid"].as_bool()), (Some("active"), Some(false)));
        assert_eq!(unpaid["arrears"], 0);
        assert_eq!(record("professional-tax", "37481023512")["status_code"], "active");
        assert_eq!(record("gstin", "37aabcu9603r1zm")["status_code"], "active");
        assert_eq!(record("gst-applications", "AA371126004519K")["status_code"], "approved");
    }

    #[tokio::test]
    async fn malformed_keys_are_refused_and_other_states_are_not_here() {
        let bad = [
            ("gstin", "37AABCU9603R1Z"),
            ("gstin", "3AABCU9603R1ZMX"),
            ("refunds", "AB371026003318R"),
            ("professional-tax", "29481023456"),
        ];
        refused(REGISTERS, &bad);
        assert_eq!(get(router(), "/gstin/29AABCU9603R1ZM").await.0, StatusCode::NOT_FOUND);
    }
}
