//! The Public Grievance Redressal System (PGRS) of the Real Time Governance
//! Society: the state register of citizens' grievances (lodged at the Monday
//! PGRS hearings, through the 1902 call centre, on the portal or on
//! WhatsApp), the calls the 1902 centre took, and each district's hearing
//! schedule.
//!
//! Registers and their examples (kept by the tests below):
//! - `grievances/{PGRS12345678}`; `POST /grievances` lodges one.
//!   `PGRS52004496` was redressed and closed within the last month and is
//!   not yet rated (receipt, status, reopen, rating); `PGRS52004443` is
//!   still open and past its due date (status, escalation, more details,
//!   withdrawal).
//! - `calls/{mobile}`: the last 1902 call from a mobile number; `9849012345`.
//! - `hearings/{district}`: the district's Monday PGRS hearing; `ntr`,
//!   `east-godavari`.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{join, said, somewhere, stage_fields};
use crate::registers::{self, Register, Rng, digits_key, district_of, seeded_district_id};
use crate::seed;
use crate::seed::calendar::{iso, today};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register {
        name: "grievances",
        key: grievance_key,
        examples: &["PGRS52004496", "PGRS52004443"],
        make: grievance,
        submit: Some(lodge),
    },
    Register { name: "calls", key: mobile_key, examples: &["9849012345"], make: call, submit: None },
    Register {
        name: "hearings",
        key: seeded_district_id,
        examples: &["ntr", "east-godavari"],
        make: hearing,
        submit: None,
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// A department grievances go to: id, names (en, te, hi), the redressing
/// officer (en, te), a typical grievance and its redressal (en, te), and the
/// days it has to redress one.
struct Wing {
    id: &'static str,
    name: [&'static str; 3],
    officer: [&'static str; 2],
    subject: [&'static str; 2],
    action: [&'static str; 2],
    sla: i64,
}

const WINGS: &[Wing] = &[
    Wing {
        id: "revenue",
        name: ["Revenue", "రెవెన్యూ", "राजस्व"],
        officer: ["Tahsildar", "తహసీల్దార్"],
        subject: ["Mutation not done for purchased land", "కొన్న భూమికి మ్యుటేషన్ చేయలేదు"],
        action: ["Mutation done in Webland and 1-B updated", "వెబ్‌ల్యాండ్‌లో మ్యుటేషన్ చేసి 1-బి సవరించారు"],
        sla: 30,
    },
    Wing {
        id: "municipal",
        name: ["Municipal Administration", "పురపాలక శాఖ", "नगर प्रशासन"],
        officer: ["Municipal Commissioner", "మున్సిపల్ కమిషనర్"],
        subject: ["Drainage overflowing in our street", "మా వీధిలో డ్రైనేజీ పొంగుతోంది"],
        action: ["Drain desilted and sanitation staff assigned", "కాలువ పూడిక తీసి పారిశుద్ధ్య సిబ్బందిని నియమించారు"],
        sla: 15,
    },
    Wing {
        id: "panchayat-raj",
        name: ["Panchayat Raj", "పంచాయతీ రాజ్", "पंचायती राज"],
        officer: ["Mandal Parishad Development Officer", "మండల పరిషత్ అభివృద్ధి అధికారి"],
        subject: ["Street lights not working for a month", "నెల రోజులుగా వీధి దీపాలు వెలగడం లేదు"],
        action: ["Street lights repaired by the panchayat", "పంచాయతీ వీధి దీపాలను మరమ్మతు చేసింది"],
        sla: 15,
    },
    Wing {
        id: "police",
        name: ["Police", "పోలీస్", "पुलिस"],
        officer: ["Station House Officer", "స్టేషన్ హౌస్ ఆఫీసర్"],
        subject: ["Complaint not received at police station", "పోలీస్ స్టేషన్‌లో ఫిర్యాదు తీసుకోలేదు"],
        action: ["Complaint received and petition registered", "ఫిర్యాదు స్వీకరించి పిటిషన్ నమోదు చేశారు"],
        sla: 7,
    },
    Wing {
        id: "health",
        name: ["Health", "వైద్య ఆరోగ్య శాఖ", "स्वास्थ्य"],
        officer: ["District Medical and Health Officer", "జిల్లా వైద్య ఆరోగ్య అధికారి"],
        subject: ["No doctor available at the PHC", "పీహెచ్‌సీలో డాక్టర్ అందుబాటులో లేరు"],
        action: ["Medical officer posted to the PHC", "పీహెచ్‌సీకి వైద్యాధికారిని నియమించారు"],
        sla: 15,
    },
    Wing {
        id: "civil-supplies",
        name: ["Civil Supplies", "పౌర సరఫరాల శాఖ", "नागरिक आपूर्ति"],
        officer: ["Civil Supplies Deputy Tahsildar", "పౌర సరఫరాల డిప్యూటీ తహసీల్దార్"],
        subject: ["Ration not given for two months", "రెండు నెలలుగా రేషన్ ఇవ్వలేదు"],
        action: ["Ration issued and the dealer warned", "రేషన్ ఇప్పించి డీలర్‌ను హెచ్చరించారు"],
        sla: 15,
    },
    Wing {
        id: "pensions",
        name: ["Pensions (SERP)", "పింఛన్లు (సెర్ప్)", "पेंशन (SERP)"],
        officer: ["MPDO (pensions)", "ఎంపీడీవో (పింఛన్లు)"],
        subject: ["Pension not received for three months", "మూడు నెలలుగా పింఛను రాలేదు"],
        action: ["Pension restored and arrears released", "పింఛను పునరుద్ధరించి బకాయిలు విడుదల చేశారు"],
        sla: 21,
    },
    Wing {
        id: "electricity",
        name: ["Energy (DISCOM)", "విద్యుత్ (డిస్కం)", "बिजली (डिस्कॉम)"],
        officer: ["Assistant Engineer (Operations)", "అసిస్టెంట్ ఇంజనీర్ (ఆపరేషన్స్)"],
        subject: ["Low voltage and frequent power cuts", "లో వోల్టేజ్, తరచూ కరెంటు కోతలు"],
        action: ["Transformer upgraded to 100 kVA", "ట్రాన్స్‌ఫార్మర్‌ను 100 కేవీఏకి పెంచారు"],
        sla: 7,
    },
    Wing {
        id: "education",
        name: ["School Education", "పాఠశాల విద్య", "स्कूल शिक्षा"],
        officer: ["Mandal Educational Officer", "మండల విద్యాశాఖ అధికారి"],
        subject: ["No teacher in the primary school", "ప్రాథమిక పాఠశాలలో ఉపాధ్యాయుడు లేరు"],
        action: ["Teacher deputed to the school", "పాఠశాలకు ఉపాధ్యాయుడిని డిప్యుటేషన్‌పై పంపారు"],
        sla: 30,
    },
    Wing {
        id: "water",
        name: ["Rural Water Supply", "గ్రామీణ నీటి సరఫరా", "ग्रामीण जल आपूर्ति"],
        officer: ["RWS Assistant Engineer", "ఆర్‌డబ్ల్యూఎస్ అసిస్టెంట్ ఇంజనీర్"],
        subject: ["Drinking water not supplied for a week", "వారం రోజులుగా తాగునీరు రావడం లేదు"],
        action: ["Pipeline leak fixed and supply restored", "పైప్‌లైన్ లీక్ సరిచేసి నీటి సరఫరా పునరుద్ధరించారు"],
        sla: 7,
    },
];

/// A grievance's stages: id and names (en, te, hi).
const STAGES: &[[&str; 4]] = &[
    ["registered", "Registered, with the officer", "నమోదైంది, అధికారి వద్ద ఉంది", "पंजीकृत, अधिकारी के पास"],
    ["in-progress", "Under enquiry", "విచారణలో ఉంది", "जाँच जारी है"],
    ["closed", "Redressed and closed", "పరిష్కరించి ముగించారు", "निवारण कर बंद किया गया"],
    ["reopened", "Reopened, under enquiry", "తిరిగి తెరిచారు, విచారణలో ఉంది", "फिर से खोली गई, जाँच जारी"],
];

/// How grievances reach PGRS: en, te, hi.
const CHANNELS: &[[&str; 3]] = &[
    ["PGRS hearing (Monday)", "పీజీఆర్ఎస్ (సోమవారం)", "पीजीआरएस सुनवाई (सोमवार)"],
    ["1902 call centre", "1902 కాల్ సెంటర్", "1902 कॉल सेंटर"],
    ["PGRS portal", "పీజీఆర్ఎస్ పోర్టల్", "पीजीआरएस पोर्टल"],
    ["WhatsApp (Mana Mitra)", "వాట్సాప్ (మన మిత్ర)", "व्हाट्सऐप (मन मित्र)"],
];

/// `PGRS` and eight digits, typed in any case, with or without dashes or spaces.
fn grievance_key(typed: &str) -> Option<String> {
    let key = registers::plain_key(typed, 12, 14)?.replace('-', "");
    let digits = key.strip_prefix("PGRS")?;
    let shaped = digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
    shaped.then(|| format!("PGRS{digits}"))
}

/// A ten-digit Indian mobile number.
fn mobile_key(typed: &str) -> Option<String> {
    let key = digits_key(typed.trim().trim_start_matches("+91"), 10)?;
    key.starts_with(['6', '7', '8', '9']).then_some(key)
}

/// The grievance filed under `key` (also the one a 1902 call was registered as).
fn grievance(key: &str, rng: &mut Rng) -> Option<Value> {
    let wing = rng.pick(WINGS);
    let (district, mandal, village) = somewhere(rng);
    let (citizen, citizen_te) = seed::person(rng);
    let stage = *rng.pick(&[STAGES[0], STAGES[1], STAGES[1], STAGES[2], STAGES[2], STAGES[2], STAGES[3]]);
    let closed = stage[0] == "closed";
    // Closed ones were lodged long enough ago to be redressed; open ones may be overdue.
    let lodged = today() - rng.between(if closed { 20 } else { 3 }, 75) as i64;
    let closed_on = if closed { (lodged + rng.between(5, 19) as i64).min(today() - 1) } else { lodged };
    let rated = closed && rng.below(3) == 0;
    Some(join([
        json!({
            "grievance_id": key,
            "citizen": citizen,
            "citizen_te": citizen_te,
            "department": said(wing.name),
            "officer": format!("{}, {}", wing.officer[0], mandal.name),
            "officer_te": format!("{}, {}", wing.officer[1], mandal.name_te),
            "subject": wing.subject[0],
            "subject_te": wing.subject[1],
            "district": district.name,
            "district_te": district.name_te,
            "mandal": mandal.name,
            "village": village.name,
            "village_te": village.name_te,
            "channel": said(*rng.pick(CHANNELS)),
            "lodged_on": iso(lodged),
            "due_on": iso(lodged + wing.sla),
            "closed_on": iso(closed_on),
            "action_taken": if closed { wing.action[0] } else { "" },
            "action_taken_te": if closed { wing.action[1] } else { "" },
            "rated": rated,
        }),
        stage_fields(stage),
    ]))
}

/// Lodges a grievance: `department` (a wing id), `district`, `description`.
fn lodge(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let wing_id = body["department"].as_str().ok_or("department is required")?;
    let wing = WINGS.iter().find(|w| w.id == wing_id).ok_or_else(|| format!("no department {wing_id:?}"))?;
    let district = body["district"].as_str().and_then(district_of).ok_or("a known district is required")?;
    let description = body["description"].as_str().map(str::trim).unwrap_or_default();
    if description.chars().count() < 10 {
        return Err("describe the grievance in at least 10 characters".into());
    }
    Ok(json!({
        "grievance_id": format!("PGRS{}", rng.between(10_000_000, 99_999_999)),
        "department": said(wing.name),
        "officer": format!("{}, {}", wing.officer[0], district.name),
        "officer_te": format!("{}, {}", wing.officer[1], district.name_te),
        "district": district.name,
        "status": "registered",
        "lodged_on": iso(today()),
        "due_on": iso(today() + wing.sla),
    }))
}

/// The last call the 1902 centre took from a mobile number, with the grievance it registered.
fn call(key: &str, rng: &mut Rng) -> Option<Value> {
    // The grievance the call was registered as: one the register holds.
    let mut record = (0..20)
        .map(|_| format!("PGRS{}", rng.between(10_000_000, 99_999_999)))
        .find_map(|id| REGISTERS[0].lookup(&id).ok().flatten())?;
    let called_on = record["lodged_on"].clone();
    let (caller, caller_te) = seed::person(rng);
    record["mobile"] = json!(format!("{}XXXXX{}", &key[..2], &key[7..]));
    record["caller"] = json!(caller);
    record["caller_te"] = json!(caller_te);
    record["called_on"] = called_on;
    record["channel"] = said(CHANNELS[1]);
    Some(record)
}

/// A district's PGRS hearing: every Monday at the Collectorate, and at each mandal's Tahsildar office.
fn hearing(key: &str, _rng: &mut Rng) -> Option<Value> {
    let district = district_of(key)?;
    // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
    let next_monday = today() + (7 - (today() + 3).rem_euclid(7)) % 7;
    let mandals: Vec<&str> = district.mandals.iter().map(|m| m.name).collect();
    let mandals_te: Vec<&str> = district.mandals.iter().map(|m| m.name_te).collect();
    Some(json!({
        "district": district.name,
        "district_te": district.name_te,
        "venue": format!("Collectorate PGRS Hall, {}", district.name),
        "venue_te": format!("కలెక్టరేట్ పీజీఆర్ఎస్ హాలు, {}", district.name_te),
        "next_on": iso(next_monday),
        "time": "10:00 AM – 1:00 PM",
        "presided_by": "District Collector and district officers",
        "presided_by_te": "జిల్లా కలెక్టర్, జిల్లా అధికారులు",
        "mandal_venues": format!("Tahsildar office, {}", mandals.join("; Tahsildar office, ")),
        "mandal_venues_te": format!("తహసీల్దార్ కార్యాలయం, {}", mandals_te.join("; తహసీల్దార్ కార్యాలయం, ")),
        "pincode": district.pincode,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registers::testing::{days_until, examples_serve_the_definitions, found, posted, refused};

    #[test]
    fn the_examples_exist_with_every_field_and_walk_the_happy_paths() {
        examples_serve_the_definitions("pgrs", REGISTERS, "12-AB");
        let closed = found(REGISTERS, "grievances", "PGRS52004496");
        assert_eq!((closed["status"].as_str(), closed["rated"].as_bool()), (Some("closed"), Some(false)));
        assert!(days_until(&closed, "closed_on") >= -30, "{closed}");
        let open = found(REGISTERS, "grievances", "pgrs 5200 4443");
        assert_ne!(open["status"], "closed");
        assert!(open["due_on"].as_str().unwrap_or_default() < iso(today()).as_str(), "{open}");
        let call = found(REGISTERS, "calls", "98490 12345");
        assert!(
            ["mobile", "caller", "caller_te", "called_on", "subject"].iter().all(|k| call[k].is_string()),
            "{call}"
        );
    }

    #[test]
    fn malformed_keys_are_refused() {
        let bad = [
            ("grievances", "PGRS-25-1"),
            ("grievances", "ABCD52004484"),
            ("calls", "12345"),
            ("hearings", "hyderabad"),
        ];
        refused(REGISTERS, &bad);
    }

    #[test]
    fn a_grievance_is_lodged_with_its_officer_and_due_date() {
        let body = json!({"department": "pensions", "district": "guntur", "description": "Pension stopped since June"});
        let record = posted("pgrs", REGISTERS, "grievances", body);
        let take = REGISTERS[0].submit.unwrap_or_else(|| panic!("grievances take posts"));
        assert!(grievance_key(record["grievance_id"].as_str().unwrap_or_default()).is_some(), "{record}");
        assert_eq!(record["due_on"], iso(today() + 21));
        assert!(take(&json!({"department": "pensions", "district": "guntur"}), &mut Rng::for_key("t")).is_err());
        assert!(
            take(
                &json!({"department": "x", "district": "ntr", "description": "long enough text"}),
                &mut Rng::for_key("t")
            )
            .is_err()
        );
    }
}
