//! Health, Medical & Family Welfare with the Dr YSR Aarogyasri Health Care
//! Trust: Aarogyasri health cards and pre-authorisations/claims, network
//! hospitals, 104 mobile medical unit visits, mother & child (RCH) records,
//! child immunisation, blood stock and SADAREM disability assessments.
//!
//! Registers and their example keys (always registered, happy path):
//! - `health-cards/{card}` (letters and 10 digits): `NTRVS4401234567`,
//!   `NTRVS2209876543` (active cards).
//! - `preauths/{CASE-NNNNNNNN}`: `CASE-24015678` (claim paid),
//!   `CASE-25003421` (pre-authorisation approved).
//! - `hospitals/{district}` and `blood-banks/{district}` (`ntr`, `guntur`,
//!   `tirupati`, `visakhapatnam`, `kurnool`, `east-godavari`): every district
//!   is an example, so each always answers (tests use `guntur`, `ntr`).
//! - `mmu/{village}` (English or Telugu name): every seeded village is an
//!   example, as the 104 units visit them all (tests use `Nunna`, `Kolakaluru`).
//! - `mcp/{RCH id}` (12 digits): `128004561234` (pregnant, 24 weeks).
//! - `immunisations/{child id}` (12 digits): `228004569876` (birth doses given).
//! - `sadarem/{SADAREM id}` (12 to 17 digits): `110231201500456` (certificate issued, 60 %).
//! - `sadarem-slots`: `POST {district, disability, aadhaar}` books a camp
//!   slot; `GET /sadarem-slots/{SDS-YYYYMMDD-NNNN}` (example `SDS-20270108-0042`).

use axum::Router;
use serde_json::{Map, Value, json};

use crate::registers::records::{join, person_who, place, squash, village};
use crate::registers::{self, Register, Rng, digits_key, district_id, district_of, plain_key};
use crate::seed::{self, calendar};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "health-cards",
        key: card_key,
        examples: &["NTRVS4401234567", "NTRVS2209876543"],
        make: health_card,
        submit: None,
    },
    Register {
        name: "preauths",
        key: case_key,
        examples: &["CASE-24015678", "CASE-25003421"],
        make: preauth,
        submit: None,
    },
    Register { name: "hospitals", key: district_id, examples: DISTRICT_IDS, make: hospitals, submit: None },
    Register { name: "blood-banks", key: district_id, examples: DISTRICT_IDS, make: blood_banks, submit: None },
    Register { name: "mmu", key: village_key, examples: VILLAGES, make: mmu, submit: None },
    Register { name: "mcp", key: |t| digits_key(t, 12), examples: &["128004561234"], make: mcp, submit: None },
    Register {
        name: "immunisations",
        key: |t| digits_key(t, 12),
        examples: &["228004569876"],
        make: immunisation,
        submit: None,
    },
    Register { name: "sadarem", key: sadarem_key, examples: &["110231201500456"], make: sadarem, submit: None },
    Register {
        name: "sadarem-slots",
        key: |t| plain_key(t, 17, 17).filter(|k| k.starts_with("SDS-")),
        examples: &["SDS-20270108-0042"],
        make: sadarem_slot,
        submit: Some(book_sadarem),
    },
];

/// Every district: the hospital and blood-bank tables answer for each.
const DISTRICT_IDS: &[&str] = &["ntr", "guntur", "tirupati", "visakhapatnam", "kurnool", "east-godavari"];

/// Every seeded village: the 104 units visit each of them.
const VILLAGES: &[&str] = &[
    "Gollapudi",
    "Nunna",
    "Ambapuram",
    "Kondapalli",
    "Guntupalli",
    "Jupudi",
    "Nidamarru",
    "Kuragallu",
    "Navuluru",
    "Angalakuduru",
    "Kolakaluru",
    "Chinaravuru",
    "Tiruchanur",
    "Perur",
    "Avilala",
    "Tagarapuvalasa",
    "Chittivalasa",
    "Nidigattu",
    "Chinnatekur",
    "Pedda Tekur",
    "Ulindakonda",
    "Dowleswaram",
    "Katheru",
    "Bommuru",
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// Aarogyasri covers a family up to ₹25 lakh a year.
const FAMILY_LIMIT: u64 = 2_500_000;

/// `NTRVS4401234567` or `YSR…`: 2 to 6 letters and 10 digits.
fn card_key(typed: &str) -> Option<String> {
    let key = plain_key(typed, 12, 16)?.replace('-', "");
    let letters = key.chars().take_while(char::is_ascii_alphabetic).count();
    let digits = &key[letters..];
    ((2..=6).contains(&letters) && digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(key)
}

fn health_card(key: &str, rng: &mut Rng) -> Option<Value> {
    let example = REGISTERS[0].examples.contains(&key);
    let head = seed::person(rng);
    let surname = |n: &str| n.rsplit(' ').next().unwrap_or_default().to_owned();
    let first = |n: &str| n.rsplit_once(' ').map_or(n.to_owned(), |(g, _)| g.to_owned());
    let members: Vec<(String, String)> = (0..rng.between(1, 4))
        .map(|_| {
            let p = seed::person(rng);
            (format!("{} {}", first(&p.0), surname(&head.0)), format!("{} {}", first(&p.1), surname(&head.1)))
        })
        .collect();
    let active = example || rng.below(6) > 0;
    let used = if rng.below(3) == 0 { rng.between(20, 400) * 1_000 } else { 0 };
    let names = |te: bool| {
        let all: Vec<&str> = std::iter::once(if te { &head.1 } else { &head.0 })
            .chain(members.iter().map(|m| if te { &m.1 } else { &m.0 }))
            .map(String::as_str)
            .collect();
        all.join(", ")
    };
    let (status_te, status_hi, advice, advice_te, advice_hi) = if active {
        (
            "అమలులో ఉంది",
            "सक्रिय",
            "Show this card (or Aadhaar) at the Aarogyamithra desk of any network hospital: treatment is free.",
            "ఏ నెట్‌వర్క్ ఆసుపత్రిలోనైనా ఆరోగ్యమిత్ర కౌంటర్‌లో ఈ కార్డు (లేదా ఆధార్) చూపండి: చికిత్స ఉచితం.",
            "किसी भी नेटवर्क अस्पताल के आरोग्यमित्र काउंटर पर यह कार्ड (या आधार) दिखाएँ: इलाज मुफ़्त है।",
        )
    } else {
        (
            "e-KYC పెండింగ్",
            "ई-केवाईसी लंबित",
            "e-KYC of family members is pending: give your fingerprint at the village secretariat to activate the card.",
            "కుటుంబ సభ్యుల e-KYC పెండింగ్‌లో ఉంది: కార్డు యాక్టివ్ కావడానికి గ్రామ సచివాలయంలో వేలిముద్ర వేయండి.",
            "परिवार के सदस्यों का ई-केवाईसी लंबित है: कार्ड सक्रिय करने के लिए ग्राम सचिवालय में अंगूठा लगाएँ।",
        )
    };
    Some(join([
        place(rng),
        json!({
            "card_no": key, "head": head.0, "head_te": head.1, "members": members.len() + 1,
            "members_list": names(false), "members_list_te": names(true),
            "rice_card": format!("28{:08}", rng.below(100_000_000)),
            "issued_on": calendar::iso(calendar::today() - rng.between(200, 2500) as i64),
            "status": if active { "active" } else { "e-KYC pending" }, "status_te": status_te, "status_hi": status_hi,
            "advice": advice, "advice_te": advice_te, "advice_hi": advice_hi,
            "limit": FAMILY_LIMIT, "used": used, "balance": FAMILY_LIMIT - used,
        }),
    ]))
}

/// `CASE-24015678`, `case/24015678` or the 8 digits alone.
fn case_key(typed: &str) -> Option<String> {
    let key = plain_key(typed, 8, 14)?.replace(['-', '/'], "");
    let digits = key.strip_prefix("CASE").unwrap_or(&key);
    (digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| format!("CASE-{digits}"))
}

const PROCEDURES: &[(&str, &str, &str, u64)] = &[
    ("Cardiology", "Coronary angioplasty (PTCA) with stent", "యాంజియోప్లాస్టీ (స్టెంట్)", 120_000),
    ("Orthopaedics", "Total knee replacement", "మోకాలి మార్పిడి శస్త్రచికిత్స", 90_000),
    ("Nephrology", "Maintenance haemodialysis (per month)", "డయాలసిస్ (నెలకు)", 22_000),
    ("General Surgery", "Laparoscopic cholecystectomy", "పిత్తాశయం శస్త్రచికిత్స (లాప్రోస్కోపీ)", 35_000),
    ("Obstetrics", "Caesarean section", "సిజేరియన్ ప్రసవం", 18_000),
    ("Oncology", "Chemotherapy cycle", "కీమోథెరపీ", 28_000),
];

fn preauth(key: &str, rng: &mut Rng) -> Option<Value> {
    let stage = match key {
        "CASE-24015678" => "claim-paid",
        "CASE-25003421" => "preauth-approved",
        _ => *rng.pick(&[
            "preauth-pending",
            "preauth-approved",
            "discharged",
            "claim-submitted",
            "claim-paid",
            "claim-rejected",
        ]),
    };
    let (specialty, procedure, procedure_te, package) = *rng.pick(PROCEDURES);
    let hospital = rng.pick(NETWORK);
    let patient = seed::person(rng);
    let raised = calendar::today() - rng.between(3, 90) as i64;
    let (stage_en, stage_te, stage_hi, advice, advice_te, advice_hi) = match stage {
        "preauth-pending" => (
            "Pre-authorisation sent to the Trust",
            "ప్రీ-ఆథరైజేషన్ ట్రస్టుకు పంపారు",
            "पूर्व-अनुमोदन ट्रस्ट को भेजा गया",
            "The Trust's doctors decide within 24 hours; emergencies are approved by phone. Ask the hospital's Aarogyamithra.",
            "ట్రస్టు వైద్యులు 24 గంటల్లో నిర్ణయిస్తారు; అత్యవసరమైతే ఫోన్‌లోనే అనుమతి. ఆసుపత్రి ఆరోగ్యమిత్రను అడగండి.",
            "ट्रस्ट के डॉक्टर 24 घंटे में निर्णय लेते हैं; आपात स्थिति में फ़ोन पर अनुमति। अस्पताल के आरोग्यमित्र से पूछें।",
        ),
        "preauth-approved" => (
            "Pre-authorisation approved",
            "ప్రీ-ఆథరైజేషన్ ఆమోదించారు",
            "पूर्व-अनुमोदन स्वीकृत",
            "Treatment is free: do not pay the hospital anything. Complaints: call 104.",
            "చికిత్స ఉచితం: ఆసుపత్రికి ఏమీ చెల్లించవద్దు. ఫిర్యాదులకు 104కు కాల్ చేయండి.",
            "इलाज मुफ़्त है: अस्पताल को कुछ न दें। शिकायत: 104 पर कॉल करें।",
        ),
        "discharged" => (
            "Treated and discharged",
            "చికిత్స పూర్తి, డిశ్చార్జ్",
            "इलाज पूरा, छुट्टी",
            "Keep the discharge summary; the Aasara allowance is credited to your account after the hospital claims.",
            "డిశ్చార్జ్ సమ్మరీ భద్రపరచండి; ఆసుపత్రి క్లెయిమ్ తర్వాత ఆసరా భృతి మీ ఖాతాలో జమ అవుతుంది.",
            "डिस्चार्ज सारांश रखें; अस्पताल के दावे के बाद आसरा भत्ता आपके खाते में आएगा।",
        ),
        "claim-submitted" => (
            "Hospital's claim under scrutiny",
            "ఆసుపత్రి క్లెయిమ్ పరిశీలనలో ఉంది",
            "अस्पताल का दावा जाँच में",
            "Nothing is due from you. The Aasara allowance follows the claim's settlement.",
            "మీరు ఏమీ చెల్లించనవసరం లేదు. క్లెయిమ్ పరిష్కారం తర్వాత ఆసరా భృతి వస్తుంది.",
            "आपको कुछ नहीं देना है। दावा निपटने के बाद आसरा भत्ता मिलेगा।",
        ),
        "claim-paid" => (
            "Claim paid to the hospital",
            "ఆసుపత్రికి క్లెయిమ్ చెల్లించారు",
            "अस्पताल को दावा भुगतान",
            "The Aasara allowance for your recovery days is credited to your bank account.",
            "కోలుకునే రోజులకు ఆసరా భృతి మీ బ్యాంకు ఖాతాలో జమ చేశారు.",
            "स्वास्थ्य लाभ के दिनों का आसरा भत्ता आपके बैंक खाते में जमा है।",
        ),
        _ => (
            "Pre-authorisation rejected",
            "ప్రీ-ఆథరైజేషన్ తిరస్కరించారు",
            "पूर्व-अनुमोदन अस्वीकृत",
            "Rejected: the procedure is not in the Aarogyasri list for this hospital. Ask the Aarogyamithra about another network hospital, or apply to the CM Relief Fund.",
            "తిరస్కరించారు: ఈ ఆసుపత్రికి ఈ చికిత్స ఆరోగ్యశ్రీ జాబితాలో లేదు. వేరే నెట్‌వర్క్ ఆసుపత్రి గురించి ఆరోగ్యమిత్రను అడగండి, లేదా సీఎం సహాయ నిధికి దరఖాస్తు చేయండి.",
            "अस्वीकृत: यह इलाज इस अस्पताल की आरोग्यश्री सूची में नहीं है। दूसरे नेटवर्क अस्पताल के लिए आरोग्यमित्र से पूछें, या मुख्यमंत्री राहत कोष में आवेदन करें।",
        ),
    };
    let paid = if stage == "claim-paid" { package * rng.between(90, 100) / 100 } else { 0 };
    let aasara = if matches!(stage, "claim-paid") { 225 * rng.between(5, 30) } else { 0 };
    Some(json!({
        "case_no": key, "patient": patient.0, "patient_te": patient.1, "specialty": specialty,
        "procedure": procedure, "procedure_te": procedure_te, "package": package,
        "hospital": hospital.1, "hospital_te": hospital.2, "hospital_district": hospital.0,
        "stage": stage, "stage_en": stage_en, "stage_te": stage_te, "stage_hi": stage_hi,
        "advice": advice, "advice_te": advice_te, "advice_hi": advice_hi,
        "raised_on": calendar::iso(raised), "updated_on": calendar::iso((raised + rng.between(1, 25) as i64).min(calendar::today())),
        "paid_amount": paid, "aasara": aasara,
    }))
}

/// Aarogyasri network hospitals: district, English, Telugu, kind, specialities.
const NETWORK: &[(&str, &str, &str, &str, &str)] = &[
    ("NTR", "Government General Hospital, Vijayawada", "ప్రభుత్వ సర్వజన ఆసుపత్రి, విజయవాడ", "Govt", "all specialities"),
    (
        "NTR",
        "Krishna Multispeciality Hospital, Vijayawada",
        "కృష్ణా మల్టీస్పెషాలిటీ ఆసుపత్రి, విజయవాడ",
        "Private",
        "cardiology, orthopaedics, neurosurgery",
    ),
    ("NTR", "Krishna Cancer Centre, Vijayawada", "కృష్ణా క్యాన్సర్ సెంటర్, విజయవాడ", "Private", "oncology"),
    ("Guntur", "Government General Hospital, Guntur", "ప్రభుత్వ సర్వజన ఆసుపత్రి, గుంటూరు", "Govt", "all specialities"),
    (
        "Guntur",
        "Mangalagiri Multispeciality Hospital",
        "మంగళగిరి మల్టీస్పెషాలిటీ ఆసుపత్రి",
        "Private",
        "cardiology, neurology, orthopaedics, trauma",
    ),
    ("Guntur", "Area Hospital, Tenali", "ఏరియా ఆసుపత్రి, తెనాలి", "Govt", "general surgery, obstetrics, dialysis"),
    ("Tirupati", "SVIMS, Tirupati", "స్విమ్స్, తిరుపతి", "Govt", "cardiology, nephrology, oncology, neurology"),
    (
        "Tirupati",
        "Sri Padmavathi Children's Heart Centre",
        "శ్రీ పద్మావతి చిన్నపిల్లల హృదయాలయం",
        "Govt",
        "paediatric cardiac surgery",
    ),
    ("Tirupati", "Ruia Government General Hospital", "రుయా ప్రభుత్వ సర్వజన ఆసుపత్రి", "Govt", "all specialities"),
    ("Visakhapatnam", "King George Hospital, Visakhapatnam", "కింగ్ జార్జ్ ఆసుపత్రి, విశాఖపట్నం", "Govt", "all specialities"),
    (
        "Visakhapatnam",
        "Visakha Liver and Transplant Centre",
        "విశాఖ లివర్ అండ్ ట్రాన్స్‌ప్లాంట్ సెంటర్",
        "Private",
        "gastroenterology, nephrology",
    ),
    (
        "Visakhapatnam",
        "Government ENT Hospital, Visakhapatnam",
        "ప్రభుత్వ ఈఎన్‌టీ ఆసుపత్రి, విశాఖపట్నం",
        "Govt",
        "ENT, cochlear implants",
    ),
    ("Kurnool", "Government General Hospital, Kurnool", "ప్రభుత్వ సర్వజన ఆసుపత్రి, కర్నూలు", "Govt", "all specialities"),
    (
        "Kurnool",
        "Kurnool Heart and Trauma Centre",
        "కర్నూలు హార్ట్ అండ్ ట్రామా సెంటర్",
        "Private",
        "cardiology, trauma, orthopaedics",
    ),
    ("Kurnool", "Viswabharathi Cancer Hospital, Kurnool", "విశ్వభారతి క్యాన్సర్ ఆసుపత్రి, కర్నూలు", "Private", "oncology"),
    (
        "East Godavari",
        "Government General Hospital, Rajamahendravaram",
        "ప్రభుత్వ సర్వజన ఆసుపత్రి, రాజమహేంద్రవరం",
        "Govt",
        "all specialities",
    ),
    (
        "East Godavari",
        "Godavari Neuro and Trauma Hospital",
        "గోదావరి న్యూరో అండ్ ట్రామా ఆసుపత్రి",
        "Private",
        "neurosurgery, trauma, orthopaedics",
    ),
    (
        "East Godavari",
        "Rajahmundry Kidney and Dialysis Centre",
        "రాజమండ్రి కిడ్నీ అండ్ డయాలసిస్ సెంటర్",
        "Private",
        "nephrology, urology, dialysis",
    ),
];

fn hospitals(key: &str, _rng: &mut Rng) -> Option<Value> {
    let d = district_of(key)?;
    let list: Vec<_> = NETWORK.iter().filter(|h| h.0 == d.name).collect();
    let lines = |te: bool| {
        list.iter()
            .enumerate()
            .map(|(i, h)| {
                let kind = match (te, h.3) {
                    (true, "Govt") => "ప్రభుత్వ",
                    (true, _) => "ప్రైవేట్",
                    (false, kind) => kind,
                };
                format!("{}. {} ({kind}: {})", i + 1, if te { h.2 } else { h.1 }, h.4)
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    Some(
        json!({"district": d.name, "district_te": d.name_te, "count": list.len(), "list": lines(false), "list_te": lines(true)}),
    )
}

const GROUPS: &[&str] = &["a-pos", "a-neg", "b-pos", "b-neg", "o-pos", "o-neg", "ab-pos", "ab-neg"];

fn blood_banks(key: &str, _rng: &mut Rng) -> Option<Value> {
    let d = district_of(key)?;
    let city = NETWORK
        .iter()
        .find(|h| h.0 == d.name && h.3 == "Govt")
        .map_or(d.name, |h| h.1.rsplit(", ").next().unwrap_or(d.name));
    // Stock changes day by day.
    let mut rng = Rng::for_key(&format!("blood:{key}:{}", calendar::today()));
    let banks: Vec<Value> = [
        (format!("Government General Hospital Blood Centre, {city}"), "24 hours"),
        (format!("Indian Red Cross Society Blood Bank, {city}"), "9 AM – 8 PM"),
        (format!("NTR Memorial Trust Blood Bank, {city}"), "24 hours"),
    ]
    .into_iter()
    .map(|(name, hours)| {
        let units: Map<String, Value> = GROUPS
            .iter()
            .map(|g| (g.to_string(), json!(if g.ends_with("neg") { rng.below(4) } else { rng.between(2, 30) })))
            .collect();
        json!({"name": name, "hours": hours, "units": units})
    })
    .collect();
    let total: Map<String, Value> = GROUPS
        .iter()
        .map(|g| (g.to_string(), json!(banks.iter().map(|b| b["units"][g].as_u64().unwrap_or(0)).sum::<u64>())))
        .collect();
    Some(
        json!({"district": d.name, "district_te": d.name_te, "as_on": calendar::iso(calendar::today()), "banks": banks, "units": total}),
    )
}

/// A village, by its English or Telugu name (case and spaces ignored), as its
/// English name; an unknown name stays as typed (and has no record).
fn village_key(typed: &str) -> Option<String> {
    let key = squash(typed);
    if key.is_empty() || key.chars().count() > 40 || !key.chars().all(|c| c.is_alphabetic() || is_mark(c)) {
        return None;
    }
    Some(village(&key).map_or(key, |(_, _, v)| v.name.to_owned()))
}

/// Telugu and Devanagari vowel signs and viramas (not `alphabetic` in Unicode).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0900}'..='\u{097F}' | '\u{0C00}'..='\u{0C7F}' | '\u{200C}' | '\u{200D}')
}

fn mmu(key: &str, rng: &mut Rng) -> Option<Value> {
    let (d, m, v) = village(key)?;
    let day = rng.between(1, 28) as u32;
    let (y, mo, today) = calendar::civil_from_days(calendar::today());
    let (y, mo) = if today <= day {
        (y, mo)
    } else if mo == 12 {
        (y + 1, 1)
    } else {
        (y, mo + 1)
    };
    let doctor = seed::person(rng);
    let spot = *rng.pick(&[
        ("Village Secretariat", "గ్రామ సచివాలయం"),
        ("Anganwadi centre", "అంగన్వాడీ కేంద్రం"),
        ("YSR Village Health Clinic", "గ్రామ ఆరోగ్య కేంద్రం"),
    ]);
    Some(json!({
        "village": v.name, "village_te": v.name_te, "mandal": m.name, "mandal_te": m.name_te, "district": d.name,
        "next_visit": calendar::iso(calendar::days_from_civil(y, mo, day)), "day_of_month": day, "time": "9:00 AM – 1:00 PM",
        "spot": format!("{}, {}", spot.0, v.name), "spot_te": format!("{}, {}", spot.1, v.name_te),
        "doctor": format!("Dr. {}", doctor.0), "doctor_te": format!("డా. {}", doctor.1),
        "vehicle": format!("AP39 U{} {:04}", rng.between(1, 9), rng.below(10_000)),
    }))
}

fn mcp(key: &str, rng: &mut Rng) -> Option<Value> {
    let mother = person_who(rng, true);
    let husband = person_who(rng, false);
    let weeks = if key == "128004561234" { 24 } else { rng.between(6, 38) };
    let lmp = calendar::today() - weeks as i64 * 7 - rng.below(7) as i64;
    // ANC check-ups at about 12, 20, 28 and 36 weeks.
    let done = [12, 20, 28, 36].iter().filter(|w| weeks >= **w).count() as i64;
    let next_week = [12, 20, 28, 36].get(done as usize).copied().unwrap_or(40);
    let high_risk = key != "128004561234" && rng.below(5) == 0;
    let anm = person_who(rng, true);
    let asha = person_who(rng, true);
    let phc = place(rng);
    let phc_name = format!("PHC {}", phc["mandal"].as_str().unwrap_or_default());
    let phc_te = format!("ప్రా.ఆ.కే. {}", phc["mandal_te"].as_str().unwrap_or_default());
    Some(join([
        phc,
        json!({
            "rch_id": key, "mother": mother.0, "mother_te": mother.1, "husband": husband.0, "age": rng.between(19, 34),
            "lmp": calendar::iso(lmp), "edd": calendar::iso(lmp + 280), "weeks": weeks, "anc_done": done,
            "next_anc_on": calendar::iso(lmp + next_week * 7), "phc": phc_name, "phc_te": phc_te,
            "anm": anm.0, "asha": asha.0, "high_risk": high_risk,
            "risk_note": if high_risk { "High-risk pregnancy (anaemia): deliver at the area hospital; iron sucrose doses at the PHC." } else { "Normal pregnancy: take iron and calcium tablets daily." },
            "risk_note_te": if high_risk { "అధిక ప్రమాద గర్భం (రక్తహీనత): ఏరియా ఆసుపత్రిలో ప్రసవం; పీహెచ్‌సీలో ఐరన్ సుక్రోజ్ ఇంజెక్షన్లు." } else { "సాధారణ గర్భం: రోజూ ఐరన్, కాల్షియం మాత్రలు వేసుకోండి." },
            "risk_note_hi": if high_risk { "उच्च जोखिम गर्भावस्था (एनीमिया): एरिया अस्पताल में प्रसव; PHC में आयरन सुक्रोज़ खुराक।" } else { "सामान्य गर्भावस्था: रोज़ आयरन और कैल्शियम की गोली लें।" },
        }),
    ]))
}

/// The national schedule's visits: days after birth, English and Telugu vaccines.
const SCHEDULE: &[(i64, &str, &str)] = &[
    (0, "BCG, OPV-0, Hepatitis B birth dose", "బీసీజీ, ఓపీవీ-0, హెపటైటిస్ బి"),
    (42, "Penta-1, OPV-1, Rota-1, PCV-1, fIPV-1", "పెంటా-1, ఓపీవీ-1, రోటా-1, పీసీవీ-1, ఎఫ్ఐపీవీ-1"),
    (70, "Penta-2, OPV-2, Rota-2", "పెంటా-2, ఓపీవీ-2, రోటా-2"),
    (98, "Penta-3, OPV-3, Rota-3, PCV-2, fIPV-2", "పెంటా-3, ఓపీవీ-3, రోటా-3, పీసీవీ-2, ఎఫ్ఐపీవీ-2"),
    (270, "MR-1, PCV booster, Vitamin A", "ఎంఆర్-1, పీసీవీ బూస్టర్, విటమిన్ ఎ"),
    (480, "MR-2, DPT booster-1, OPV booster", "ఎంఆర్-2, డీపీటీ బూస్టర్-1, ఓపీవీ బూస్టర్"),
];

fn immunisation(key: &str, rng: &mut Rng) -> Option<Value> {
    let girl = rng.below(2) == 0;
    let child = person_who(rng, girl);
    let mother = person_who(rng, true);
    let age = if key == "228004569876" { 300 } else { rng.between(10, 900) as i64 };
    let born = calendar::today() - age;
    let doses: Vec<Value> = SCHEDULE
        .iter()
        .map(|(at, en, te)| {
            let due = born + at;
            let given = due + rng.below(6) as i64 <= calendar::today() - 2;
            json!({"vaccines": en, "vaccines_te": te, "status": if given { "given" } else { "due" },
                   "date": calendar::iso(if given { due + rng.below(6) as i64 } else { due.max(calendar::today()) })})
        })
        .collect();
    let next = doses
        .iter()
        .find(|d| d["status"] == "due")
        .cloned()
        .unwrap_or(json!({"vaccines": "none", "vaccines_te": "లేవు", "date": calendar::iso(calendar::today())}));
    Some(join([
        place(rng),
        json!({
            "child_id": key, "child": child.0, "child_te": child.1, "gender": if girl { "Girl" } else { "Boy" },
            "dob": calendar::iso(born), "mother": mother.0, "mother_te": mother.1, "doses": doses,
            "given": doses.iter().filter(|d| d["status"] == "given").count(),
            "next_vaccines": next["vaccines"], "next_vaccines_te": next["vaccines_te"], "next_on": next["date"],
        }),
    ]))
}

fn sadarem_key(typed: &str) -> Option<String> {
    let key: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    ((12..=17).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_digit())).then_some(key)
}

const DISABILITIES: &[(&str, &str, &str, &str)] = &[
    ("locomotor", "Locomotor (orthopaedic)", "శారీరక (ఎముకలు/కదలిక)", "चलन (अस्थि)"),
    ("visual", "Visual impairment", "దృష్టి లోపం", "दृष्टि बाधित"),
    ("hearing", "Hearing impairment", "వినికిడి లోపం", "श्रवण बाधित"),
    ("intellectual", "Intellectual disability", "మానసిక వైకల్యం", "बौद्धिक दिव्यांगता"),
    ("multiple", "Multiple disabilities", "బహుళ వైకల్యం", "बहु दिव्यांगता"),
];

fn sadarem(key: &str, rng: &mut Rng) -> Option<Value> {
    let example = key == "110231201500456";
    let person = seed::person(rng);
    let (_, kind, kind_te, kind_hi) = *rng.pick(DISABILITIES);
    let percent = if example { 60 } else { rng.between(20, 95) };
    let status = if example || rng.below(4) > 0 { "issued" } else { "assessment pending" };
    let assessed = calendar::today() - rng.between(20, 1500) as i64;
    let permanent = example || rng.below(3) > 0;
    let govt: Vec<_> = NETWORK.iter().filter(|h| h.3 == "Govt").collect();
    let hospital = *rng.pick(&govt);
    let (status_en, status_te, status_hi) = if status == "issued" {
        ("Certificate issued", "సర్టిఫికెట్ జారీ అయింది", "प्रमाण पत्र जारी")
    } else {
        ("Assessment pending at the camp", "క్యాంపులో పరీక్ష పెండింగ్", "शिविर में जाँच लंबित")
    };
    let (note, note_te, note_hi) = if percent >= 40 {
        (
            "40% or more: eligible for the disability pension and other benefits.",
            "40% లేదా ఎక్కువ: దివ్యాంగుల పింఛను, ఇతర ప్రయోజనాలకు అర్హులు.",
            "40% या अधिक: दिव्यांग पेंशन और अन्य लाभों के पात्र।",
        )
    } else {
        (
            "Below 40%: not eligible for the disability pension; you may appeal to the District Medical Board.",
            "40% కంటే తక్కువ: దివ్యాంగుల పింఛనుకు అర్హత లేదు; జిల్లా మెడికల్ బోర్డుకు అప్పీలు చేయవచ్చు.",
            "40% से कम: दिव्यांग पेंशन के पात्र नहीं; जिला मेडिकल बोर्ड में अपील कर सकते हैं।",
        )
    };
    Some(json!({
        "sadarem_id": key, "name": person.0, "name_te": person.1, "disability": kind, "disability_te": kind_te, "disability_hi": kind_hi,
        "percent": percent, "status": status, "status_en": status_en, "status_te": status_te, "status_hi": status_hi,
        "note": note, "note_te": note_te, "note_hi": note_hi,
        "camp": hospital.1, "camp_te": hospital.2, "assessed_on": calendar::iso(assessed),
        "validity": if permanent { "Permanent".to_owned() } else { format!("Temporary, till {}", calendar::iso(assessed + 5 * 365)) },
        "validity_te": if permanent { "శాశ్వతం".to_owned() } else { format!("తాత్కాలికం, {} వరకు", calendar::iso(assessed + 5 * 365)) },
    }))
}

/// Books the next SADAREM camp (held at the district's government hospital on Fridays).
fn book_sadarem(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let d = body["district"].as_str().and_then(district_of).ok_or("district is not known")?;
    let kind = body["disability"]
        .as_str()
        .and_then(|k| DISABILITIES.iter().find(|x| x.0 == k))
        .ok_or("disability is not known")?;
    let hospital = NETWORK.iter().find(|h| h.0 == d.name && h.3 == "Govt").ok_or("no camp in the district")?;
    // 1970-01-01 was a Thursday: a Friday is day 1 of the week counted from Thursday.
    let today = calendar::today();
    let friday = today + 7 + (1 - today).rem_euclid(7);
    let (y, m, dd) = calendar::civil_from_days(friday);
    Ok(json!({
        "token": format!("SDS-{y:04}{m:02}{dd:02}-{:04}", rng.between(1, 400)), "date": calendar::iso(friday),
        "time": "9:00 AM", "camp": hospital.1, "camp_te": hospital.2, "district": d.name, "district_te": d.name_te,
        "disability": kind.1, "disability_te": kind.2,
    }))
}

fn sadarem_slot(key: &str, rng: &mut Rng) -> Option<Value> {
    let (y, m, d) = (key.get(4..8)?.parse().ok()?, key.get(8..10)?.parse().ok()?, key.get(10..12)?.parse().ok()?);
    let hospital = rng.pick(NETWORK);
    Some(
        json!({"token": key, "date": calendar::iso(calendar::days_from_civil(y, m, d)), "time": "9:00 AM", "camp": hospital.1}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, posted};

    #[test]
    fn examples_are_found_and_carry_every_field_read() {
        examples_serve_the_definitions("health", REGISTERS, "no such key!");
    }

    #[test]
    fn examples_are_on_the_happy_path() {
        let get = |register: usize, key: &str| REGISTERS[register].lookup(key).unwrap().unwrap();
        assert_eq!(get(0, "ntrvs 4401234567")["status"], "active");
        assert_eq!(get(1, "case/24015678")["stage"], "claim-paid");
        assert_eq!(get(1, "25003421")["stage"], "preauth-approved");
        assert_eq!(get(2, "Guntur")["count"], 3);
        let blood = get(3, "east godavari");
        assert_eq!(blood["banks"].as_array().unwrap().len(), 3);
        assert!(GROUPS.iter().all(|g| blood["units"][g].is_u64() && blood["banks"][2]["units"][g].is_u64()));
        assert_eq!(get(4, "నున్న")["village"], "Nunna");
        assert!(get(4, "Kolakaluru")["next_visit"].as_str() >= Some(calendar::iso(calendar::today()).as_str()));
        let mother = get(5, "1280 0456 1234");
        assert_eq!((mother["weeks"].as_u64(), mother["high_risk"].as_bool()), (Some(24), Some(false)));
        let child = get(6, "228004569876");
        assert_eq!(child["doses"][0]["status"], "given");
        assert_eq!(child["doses"].as_array().unwrap().len(), SCHEDULE.len());
        assert_eq!(get(7, "110231201500456")["status"], "issued");
        assert_eq!(REGISTERS[2].lookup("hyderabad").unwrap(), None);
        let seeded: Vec<&str> =
            seed::DISTRICTS.iter().flat_map(|d| d.mandals).flat_map(|m| m.villages).map(|v| v.name).collect();
        assert_eq!(seeded, VILLAGES, "every village is served");
        assert_eq!(REGISTERS[4].lookup("Hyderabad").unwrap(), None);
    }

    #[test]
    fn a_sadarem_camp_is_booked_on_a_friday_in_the_district() {
        let body = json!({"district": "kurnool", "disability": "visual", "aadhaar": "499118665246"});
        let slot = posted("health", REGISTERS, "sadarem-slots", body);
        let day = calendar::parse_date(slot["date"].as_str().unwrap()).unwrap();
        assert_eq!((day + 3).rem_euclid(7), 4, "a Friday");
        assert!(day > calendar::today() && day <= calendar::today() + 14);
        assert_eq!(slot["camp"], "Government General Hospital, Kurnool");
        let take = REGISTERS[8].submit.unwrap();
        assert!(take(&json!({"district": "hyderabad", "disability": "visual"}), &mut Rng::for_key("t")).is_err());
    }
}
