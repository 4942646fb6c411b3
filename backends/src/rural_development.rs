//! Panchayat Raj & Rural Development and SERP (Society for Elimination of
//! Rural Poverty): the NTR Bharosa pension register, MGNREGA job cards with
//! their wages, work demands, and SHG (DWCRA) bank-linkage loans.
//!
//! Registers and their example keys (always registered, happy path):
//! - `pensions/{pension id}` (10 digits): `1040012345` (old-age pension,
//!   active, paid this month), `1040098765` (widow pension, active).
//! - `job-cards/{job card}` (`AP-DD-MMM-PPP-VVV/HHHH`): `AP-05-012-004-002/0417`
//!   (active card, wages credited), `AP-02-003-011-007/0093` (active).
//! - `work-demands`: `POST {job_card, days, from}` answers whether the demand
//!   is accepted; `GET /work-demands/{WD-YYYY-NNNNNN}` its allotment
//!   (example `WD-2026-004512`).
//! - `shg/{SHG id}`: `SHG-041203-0457` (bank loan repaid regularly).

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{join, month_names, month_start, person_who, place_with};
use crate::registers::{self, Register, Rng, digits_key, plain_key};
use crate::seed::{self, calendar};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register { name: "pensions", key: |t| digits_key(t, 10), examples: PENSION_EXAMPLES, make: pension, submit: None },
    JOB_CARDS,
    Register {
        name: "work-demands",
        key: |t| plain_key(t, 14, 14).filter(|k| k.starts_with("WD-")),
        examples: &["WD-2026-004512"],
        make: work_demand,
        submit: Some(demand_work),
    },
    Register {
        name: "shg",
        key: |t| plain_key(t, 8, 20).filter(|k| k.starts_with("SHG") && k.bytes().any(|b| b.is_ascii_digit())),
        examples: &["SHG-041203-0457"],
        make: shg,
        submit: None,
    },
];

const JOB_CARDS: Register =
    Register { name: "job-cards", key: job_card_key, examples: JOB_CARD_EXAMPLES, make: job_card, submit: None };

const PENSION_EXAMPLES: &[&str] = &["1040012345", "1040098765"];
const JOB_CARD_EXAMPLES: &[&str] = &["AP-05-012-004-002/0417", "AP-02-003-011-007/0093"];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// A village with its mandal, district and secretariat, as the registers file addresses.
fn place(rng: &mut Rng) -> Value {
    place_with(rng, |_, _, v| {
        json!({
            "secretariat": format!("{} Village Secretariat", v.name),
            "secretariat_te": format!("{} గ్రామ సచివాలయం", v.name_te),
        })
    })
}

/// NTR Bharosa pension categories: id, English, Telugu, Hindi, ₹ a month, age range.
type Scheme = (&'static str, &'static str, &'static str, &'static str, u64, (u64, u64));

const SCHEMES: &[Scheme] = &[
    ("old-age", "Old Age Pension", "వృద్ధాప్య పింఛను", "वृद्धावस्था पेंशन", 4000, (60, 92)),
    ("widow", "Widow Pension", "వితంతు పింఛను", "विधवा पेंशन", 4000, (24, 78)),
    ("disabled", "Disability Pension", "దివ్యాంగుల పింఛను", "दिव्यांग पेंशन", 6000, (18, 70)),
    ("single-woman", "Single Woman Pension", "ఒంటరి మహిళ పింఛను", "एकल महिला पेंशन", 4000, (35, 60)),
    ("weaver", "Weavers Pension", "చేనేత కార్మికుల పింఛను", "बुनकर पेंशन", 4000, (50, 80)),
    ("toddy-tapper", "Toddy Tappers Pension", "కల్లుగీత కార్మికుల పింఛను", "ताड़ी श्रमिक पेंशन", 4000, (50, 80)),
    ("fishermen", "Fishermen Pension", "మత్స్యకారుల పింఛను", "मछुआरा पेंशन", 4000, (50, 80)),
    ("dialysis", "CKDU / Dialysis Pension", "డయాలసిస్ రోగుల పింఛను", "डायलिसिस पेंशन", 10000, (20, 70)),
];

fn pension(key: &str, rng: &mut Rng) -> Option<Value> {
    let example = PENSION_EXAMPLES.iter().position(|e| *e == key);
    let scheme = match example {
        Some(i) => &SCHEMES[i],
        None => rng.pick(SCHEMES),
    };
    let (id, scheme_en, scheme_te, scheme_hi, amount, (young, old)) = *scheme;
    let (name, name_te) =
        if matches!(id, "widow" | "single-woman") { person_who(rng, true) } else { seed::person(rng) };
    let status = if example.is_some() {
        "active"
    } else {
        *rng.pick(&["active", "active", "active", "active", "active", "held", "held", "suspended", "stopped"])
    };
    let reasons = [
        ("a four-wheeler is registered in the family", "కుటుంబంలో నాలుగు చక్రాల వాహనం ఉంది", "परिवार में चार पहिया वाहन है"),
        (
            "electricity use above 300 units a month",
            "నెలకు 300 యూనిట్లకు మించి విద్యుత్ వినియోగం",
            "बिजली खपत 300 यूनिट/माह से अधिक",
        ),
        ("a family member pays income tax", "కుటుంబ సభ్యులు ఆదాయపు పన్ను చెల్లిస్తున్నారు", "परिवार का सदस्य आयकर देता है"),
    ];
    let (reason, reason_te, reason_hi) = *rng.pick(&reasons);
    let (back, advice, advice_te, advice_hi) = match status {
        "active" => (0, "Paid on the 1st of every month at your doorstep by secretariat staff. Missing this month? Ask your secretariat's Welfare Assistant.".to_owned(),
            "ప్రతి నెలా 1వ తేదీన సచివాలయ సిబ్బంది ఇంటి వద్దే ఇస్తారు. ఈ నెల అందకపోతే మీ సచివాలయ సంక్షేమ సహాయకుడిని అడగండి.".to_owned(),
            "हर महीने की 1 तारीख को सचिवालय कर्मचारी घर पर देते हैं। इस महीने नहीं मिली तो सचिवालय के कल्याण सहायक से मिलें।".to_owned()),
        "held" => (rng.between(3, 4) as i64, "On hold: not drawn for 3 months in a row. Go to your village secretariat with Aadhaar for biometric; the held months are paid together.".to_owned(),
            "వరుసగా 3 నెలలు తీసుకోనందున నిలిపివేశారు. ఆధార్‌తో మీ గ్రామ సచివాలయానికి వెళ్లి బయోమెట్రిక్ వేయండి; నిలిచిన నెలల మొత్తం కలిపి ఇస్తారు.".to_owned(),
            "लगातार 3 महीने नहीं ली गई, इसलिए रोकी गई। आधार लेकर ग्राम सचिवालय में बायोमेट्रिक दें; रुकी हुई राशि एक साथ मिलेगी।".to_owned()),
        "suspended" => (rng.between(1, 2) as i64, format!("Suspended after re-verification: {reason}. If this is wrong, give proof to the MPDO within 30 days to restore it."),
            format!("పునఃపరిశీలనలో నిలిపివేశారు: {reason_te}. ఇది తప్పయితే 30 రోజుల్లో ఆధారాలతో ఎంపీడీఓకు అర్జీ ఇవ్వండి."),
            format!("पुनः सत्यापन में निलंबित: {reason_hi}। गलत है तो 30 दिन में प्रमाण के साथ MPDO को आवेदन दें।")),
        _ => (rng.between(2, 6) as i64, "Stopped: reported as permanently migrated. If you still live here, meet the MPDO with Aadhaar and rice card; if you moved, apply for a pension transfer.".to_owned(),
            "శాశ్వతంగా వలస వెళ్లినట్లు నివేదికతో ఆపివేశారు. మీరు ఇక్కడే ఉంటే ఆధార్, రైస్ కార్డుతో ఎంపీడీఓను కలవండి; వేరే చోటికి మారితే పింఛను బదిలీకి దరఖాస్తు చేయండి.".to_owned(),
            "स्थायी पलायन की रिपोर्ट पर बंद। यहीं रहते हैं तो आधार व राशन कार्ड लेकर MPDO से मिलें; कहीं और गए हैं तो पेंशन ट्रांसफर का आवेदन करें।".to_owned()),
    };
    let (status_te, status_hi) = match status {
        "active" => ("అమలులో ఉంది", "सक्रिय"),
        "held" => ("నిలిపివేత (హోల్డ్)", "रोकी गई"),
        "suspended" => ("సస్పెండ్", "निलंबित"),
        _ => ("ఆపివేయబడింది", "बंद"),
    };
    let paid_by = format!("{} (Welfare & Education Assistant)", seed::person(rng).0);
    let payments: Vec<Value> = (0..3)
        .map(|i| {
            let first = month_start(back + i);
            let paid_on = (first + rng.below(2) as i64).min(calendar::today());
            let (month, month_te, month_hi) = month_names(first);
            json!({"month": month, "month_te": month_te, "month_hi": month_hi, "paid_on": calendar::iso(paid_on), "amount": amount})
        })
        .collect();
    // Months paid since April, the start of the financial year.
    let (_, m, _) = calendar::civil_from_days(calendar::today());
    let into_year = (i64::from(m) + 8) % 12;
    let months_paid = (into_year - back + 1).max(0) as u64;
    let (last_month, last_month_te, last_month_hi) = month_names(month_start(back));
    Some(join([
        place(rng),
        json!({
            "pension_id": key, "name": name, "name_te": name_te,
            "age": rng.between(young, old), "scheme": scheme_en, "scheme_te": scheme_te, "scheme_hi": scheme_hi,
            "amount": amount, "status": status, "status_te": status_te, "status_hi": status_hi,
            "advice": advice, "advice_te": advice_te, "advice_hi": advice_hi,
            "sanctioned_on": calendar::iso(calendar::today() - rng.between(400, 4000) as i64),
            "last_paid_month": last_month, "last_paid_month_te": last_month_te, "last_paid_month_hi": last_month_hi,
            "last_paid_on": payments[0]["paid_on"], "paid_by": paid_by, "payments": payments,
            "months_paid_this_year": months_paid, "paid_this_year": months_paid * amount,
            "secretariat_code": format!("1{:07}", rng.below(10_000_000)),
        }),
    ]))
}

/// `AP-05-012-004-002/0417`, typed with or without its dashes and slash.
fn job_card_key(typed: &str) -> Option<String> {
    let compact = plain_key(typed, 10, 30)?.replace(['-', '/'], "");
    let digits = compact.strip_prefix("AP")?;
    if !(15..=17).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (d, rest) = digits.split_at(2);
    Some(format!("AP-{d}-{}-{}-{}/{}", &rest[..3], &rest[3..6], &rest[6..9], &rest[9..]))
}

/// MGNREGA wage rate in Andhra Pradesh for 2025-26, ₹ a day.
const WAGE_RATE: u64 = 307;

const WORKS: &[(&str, &str)] = &[
    ("Farm pond", "ఫారం పాండ్ తవ్వకం"),
    ("Desilting of village tank", "గ్రామ చెరువు పూడికతీత"),
    ("Feeder channel repair", "ఫీడర్ ఛానల్ మరమ్మతు"),
    ("Avenue plantation", "రహదారి వెంట మొక్కల పెంపకం"),
    ("Horticulture plantation pits", "ఉద్యాన మొక్కల గుంతలు"),
    ("Soak pits", "ఇంకుడు గుంతలు"),
];

fn job_card(key: &str, rng: &mut Rng) -> Option<Value> {
    let example = JOB_CARD_EXAMPLES.iter().any(|e| job_card_key(e).as_deref() == Some(key));
    let (head, head_te) = seed::person(rng);
    let surname = |name: &str| name.rsplit(' ').next().unwrap_or_default().to_owned();
    let members: Vec<(String, String)> = (0..rng.between(1, 4))
        .map(|_| {
            let (given, given_te) = seed::person(rng);
            let first = |n: &str| n.rsplit_once(' ').map_or(n.to_owned(), |(g, _)| g.to_owned());
            (format!("{} {}", first(&given), surname(&head)), format!("{} {}", first(&given_te), surname(&head_te)))
        })
        .collect();
    let status = if example { "active" } else { *rng.pick(&["active", "active", "active", "active", "inactive"]) };
    let days = if status == "active" { rng.between(12, 96) } else { 0 };
    let wage_status =
        if example { "credited" } else { *rng.pick(&["credited", "credited", "fto-signed", "measured", "rejected"]) };
    let (ws_en, ws_te, ws_hi, advice, advice_te, advice_hi) = match wage_status {
        "credited" => (
            "Credited to your account",
            "మీ ఖాతాలో జమ అయింది",
            "खाते में जमा",
            "Check your bank or post office passbook.",
            "బ్యాంకు లేదా పోస్టాఫీసు పాస్‌బుక్ చూసుకోండి.",
            "बैंक या डाकघर की पासबुक देखें।",
        ),
        "fto-signed" => (
            "Sent to bank (FTO signed)",
            "బ్యాంకుకు పంపారు (FTO సంతకం)",
            "बैंक को भेजा गया (FTO)",
            "Usually credited within 3 to 5 working days.",
            "సాధారణంగా 3–5 పని దినాల్లో జమ అవుతుంది.",
            "आम तौर पर 3–5 कार्य दिवस में जमा होता है।",
        ),
        "measured" => (
            "Work measured, wage list prepared",
            "పని కొలతలు పూర్తి, వేతన జాబితా సిద్ధం",
            "माप पूरा, वेतन सूची तैयार",
            "The FTO is signed next; then 3 to 5 days for the bank.",
            "తర్వాత FTO సంతకం, ఆపై బ్యాంకుకు 3–5 రోజులు.",
            "अगला चरण FTO; फिर बैंक में 3–5 दिन।",
        ),
        _ => (
            "Rejected by bank",
            "బ్యాంకు తిరస్కరించింది",
            "बैंक ने अस्वीकार किया",
            "Your Aadhaar is not linked (NPCI) to an active account. Link it at your bank and tell your Field Assistant.",
            "మీ ఆధార్ యాక్టివ్ ఖాతాకు NPCI లింక్ కాలేదు. బ్యాంకులో లింక్ చేసి ఫీల్డ్ అసిస్టెంట్‌కు చెప్పండి.",
            "आधार सक्रिय खाते से NPCI लिंक नहीं है। बैंक में लिंक कराएं और फील्ड असिस्टेंट को बताएं।",
        ),
    };
    let (work, work_te) = *rng.pick(WORKS);
    let work_days = rng.between(5, 12);
    let worked_to = calendar::today() - rng.between(8, 30) as i64;
    let year = {
        let (y, m, _) = calendar::civil_from_days(calendar::today());
        if m >= 4 { y } else { y - 1 }
    };
    let category = *rng.pick(&["SC", "ST", "BC", "OC"]);
    let (field_assistant, field_assistant_te) = seed::person(rng);
    let list = |te: bool| {
        members.iter().map(|(en, t)| if te { t.as_str() } else { en.as_str() }).collect::<Vec<_>>().join(", ")
    };
    Some(join([
        place(rng),
        json!({
            "job_card": key, "head": head, "head_te": head_te, "category": category,
            "members": members.len() + 1, "members_list": format!("{head}, {}", list(false)),
            "members_list_te": format!("{head_te}, {}", list(true)),
            "issued_on": calendar::iso(calendar::today() - rng.between(700, 6000) as i64),
            "status": status, "status_te": if status == "active" { "అమలులో ఉంది" } else { "నిష్క్రియం" },
            "status_hi": if status == "active" { "सक्रिय" } else { "निष्क्रिय" },
            "financial_year": format!("{year}-{:02}", (year + 1) % 100), "days_worked": days, "days_left": 100 - days,
            "wage_rate": WAGE_RATE, "earned": days * rng.between(255, WAGE_RATE),
            "last_work": work, "last_work_te": work_te,
            "muster_roll": format!("{}", rng.between(10_000, 99_999)),
            "work_from": calendar::iso(worked_to - work_days as i64 + 1), "work_to": calendar::iso(worked_to),
            "wage_days": work_days, "wage_amount": work_days * rng.between(260, WAGE_RATE),
            "wage_status": wage_status, "wage_status_en": ws_en, "wage_status_te": ws_te, "wage_status_hi": ws_hi,
            "wage_advice": advice, "wage_advice_te": advice_te, "wage_advice_hi": advice_hi,
            "wage_updated_on": calendar::iso(worked_to + rng.between(3, 7) as i64),
            "fto_no": format!("AP{}_{:06}", rng.between(1, 26), rng.below(1_000_000)),
            "account": format!("{} ****{:04}", rng.pick(&["SBI", "Union Bank", "APGVB", "India Post"]), rng.below(10_000)),
            "field_assistant": field_assistant, "field_assistant_te": field_assistant_te,
        }),
    ]))
}

/// A demand for work: accepted when the job card is active and has the days left.
fn demand_work(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let typed = body["job_card"].as_str().ok_or("job_card is required")?;
    let days = body["days"].as_f64().filter(|d| *d >= 1.0).ok_or("days is required")? as u64;
    let from = body["from"].as_str().and_then(calendar::parse_date).ok_or("from must be a YYYY-MM-DD date")?;
    let key = job_card_key(typed).ok_or("not a job card number")?;
    let card = JOB_CARDS.lookup(&key).ok().flatten();
    let left = card.as_ref().and_then(|c| c["days_left"].as_u64()).unwrap_or(0);
    let (accepted, reason, reason_te, reason_hi) = match &card {
        None => (
            false,
            format!("Job card {key} is not registered."),
            format!("జాబ్ కార్డు {key} నమోదు కాలేదు."),
            format!("जॉब कार्ड {key} पंजीकृत नहीं है।"),
        ),
        Some(c) if c["status"] != "active" => (
            false,
            format!("Job card {key} is inactive; ask the Field Assistant to reactivate it."),
            format!("జాబ్ కార్డు {key} నిష్క్రియంగా ఉంది; ఫీల్డ్ అసిస్టెంట్‌ను అడగండి."),
            format!("जॉब कार्ड {key} निष्क्रिय है; फील्ड असिस्टेंट से सक्रिय कराएं।"),
        ),
        Some(_) if days > left => (
            false,
            format!("Only {left} of the household's 100 days are left this year."),
            format!("ఈ ఏడాది మీ కుటుంబానికి 100లో {left} రోజులే మిగిలాయి."),
            format!("इस वर्ष परिवार के 100 में से केवल {left} दिन बचे हैं।"),
        ),
        Some(_) => (true, String::new(), String::new(), String::new()),
    };
    Ok(json!({
        "demand_id": format!("WD-{}-{:06}", calendar::civil_from_days(calendar::today()).0, rng.below(1_000_000)),
        "job_card": key, "head": card.as_ref().map_or(Value::from(""), |c| c["head"].clone()),
        "accepted": accepted, "reason": reason, "reason_te": reason_te, "reason_hi": reason_hi,
        "days": days, "from": calendar::iso(from), "work_by": calendar::iso(from.max(calendar::today()) + 15),
        "days_left": left,
    }))
}

fn work_demand(key: &str, rng: &mut Rng) -> Option<Value> {
    let (work, work_te) = *rng.pick(WORKS);
    let from = calendar::today() + rng.between(1, 14) as i64;
    Some(join([
        place(rng),
        json!({"demand_id": key, "status": "work allotted", "work": work, "work_te": work_te,
               "from": calendar::iso(from), "days": rng.between(14, 30)}),
    ]))
}

fn shg(key: &str, rng: &mut Rng) -> Option<Value> {
    let names = [
        ("Sri Lakshmi", "శ్రీ లక్ష్మి"),
        ("Durga", "దుర్గా"),
        ("Annapurna", "అన్నపూర్ణ"),
        ("Sai Krupa", "సాయి కృప"),
        ("Gayatri", "గాయత్రి"),
    ];
    let (group, group_te) = *rng.pick(&names);
    let (leader, leader_te) = person_who(rng, true);
    let loan = rng.between(5, 20) * 100_000;
    let months = 36;
    // A 36-month bank-linkage loan at about 12 %: ₹3,320 a month per lakh.
    let emi = (loan * 332 / 10_000).div_ceil(100) * 100;
    let paid = rng.between(3, 30);
    let status =
        if key == "SHG-041203-0457" { "regular" } else { *rng.pick(&["regular", "regular", "regular", "overdue"]) };
    let overdue = if status == "overdue" { emi * rng.between(1, 3) } else { 0 };
    let (y, m, _) = calendar::civil_from_days(calendar::today());
    let sanctioned = month_start(paid as i64) + 9;
    Some(join([
        place(rng),
        json!({
            "shg_id": key, "group": format!("{group} Mahila Sangham"), "group_te": format!("{group_te} మహిళా సంఘం"),
            "vo": format!("{group} Village Organisation"), "leader": leader, "leader_te": leader_te,
            "members": rng.between(10, 12), "bank": *rng.pick(&["SBI", "Union Bank of India", "APGVB", "Canara Bank", "Indian Bank"]),
            "loan_amount": loan, "sanctioned_on": calendar::iso(sanctioned), "emi": emi, "installments_paid": paid,
            "installments": months, "outstanding": loan.saturating_sub(emi * paid) + overdue, "overdue": overdue,
            "next_due_on": calendar::iso(calendar::days_from_civil(if m == 12 { y + 1 } else { y }, m % 12 + 1, 10)),
            "status": status, "status_te": if status == "regular" { "క్రమం తప్పకుండా చెల్లింపు" } else { "బకాయి ఉంది" },
            "status_hi": if status == "regular" { "नियमित भुगतान" } else { "बकाया" },
            "interest_subsidy": rng.between(8, 40) * 1_000,
            "interest_subsidy_on": calendar::iso(calendar::today() - rng.between(20, 200) as i64),
        }),
    ]))
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, get, posted};

    #[test]
    fn examples_are_found_and_carry_every_field_read() {
        examples_serve_the_definitions("rural-development", REGISTERS, "no such key!");
    }

    #[test]
    fn examples_are_on_the_happy_path() {
        for example in PENSION_EXAMPLES {
            let p = REGISTERS[0].lookup(example).unwrap().unwrap();
            assert_eq!(p["status"], "active");
            assert_eq!(p["payments"].as_array().unwrap().len(), 3);
            assert!(p["payments"][0]["month"].is_string());
        }
        let card = JOB_CARDS.lookup("ap05012004002 0417").unwrap().unwrap();
        assert_eq!(
            (card["job_card"].as_str(), card["status"].as_str()),
            (Some("AP-05-012-004-002/0417"), Some("active"))
        );
        assert_eq!(card["wage_status"], "credited");
        assert_eq!(REGISTERS[3].lookup("SHG-041203-0457").unwrap().unwrap()["status"], "regular");
    }

    /// The definitions URL-encode each answer into the path: a job card's `/` arrives as `%2F`.
    #[tokio::test]
    async fn keys_with_slashes_are_found_through_the_router() {
        let (status, _) = get(router(), "/job-cards/AP-05-012-004-002%2F0417").await;
        assert_eq!(status, StatusCode::OK);
        for uri in [
            "/documents/mangalagiri-4521%2F2019",
            "/market-values/Nidamarru:123%2F2A",
            "/marriages/HMR-1608-2023-000245",
        ] {
            assert_eq!(get(crate::registration::router(), uri).await.0, StatusCode::OK, "{uri}");
        }
    }

    #[test]
    fn statuses_vary_over_keys() {
        let mut seen = std::collections::HashSet::new();
        for n in 0..200u64 {
            if let Ok(Some(p)) = REGISTERS[0].lookup(&format!("{}", 1_050_000_000 + n * 37)) {
                seen.insert(p["status"].as_str().unwrap().to_owned());
                assert!(p["paid_this_year"].as_u64().unwrap() <= 12 * p["amount"].as_u64().unwrap());
            }
        }
        assert_eq!(seen.len(), 4, "{seen:?}");
    }

    #[test]
    fn a_work_demand_is_accepted_within_the_days_left() {
        let body = json!({"job_card": JOB_CARD_EXAMPLES[0], "days": 5.0, "from": "2030-01-01"});
        assert_eq!(posted("rural-development", REGISTERS, "work-demands", body)["accepted"], true);
        let mut rng = Rng::for_key("t");
        let take = REGISTERS[2].submit.unwrap();
        let refused = take(&json!({"job_card": JOB_CARD_EXAMPLES[0], "days": 150.0, "from": "2030-01-01"}), &mut rng);
        assert_eq!(refused.unwrap()["accepted"], false);
        assert!(take(&json!({"job_card": "x", "days": 5.0, "from": "2030-01-01"}), &mut rng).is_err());
    }
}
