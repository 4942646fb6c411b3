//! Who the CM Relief Fund can help, and with what; free of host calls so the
//! rules are tested natively.

use mitra_sdk::prelude::*;
use time::Date;

use crate::backend::{Enrolment, Hospital};

/// Annual family income above which the fund does not help, in rupees
/// (the same ceiling as Dr. NTR Vaidya Seva, whose gaps the fund fills).
pub const INCOME_CEILING: f64 = 500_000.0;
/// A Letter of Credit is asked for at most this many days before admission.
pub const LOC_ADVANCE_DAYS: i64 = 30;
/// A reimbursement claim is filed within this many days of discharge.
pub const CLAIM_WINDOW_DAYS: i64 = 180;

/// The treatments a citizen picks from: (id, English, Telugu, Hindi).
pub const TREATMENTS: &[(&str, &str, &str, &str)] = &[
    ("cardiac", "Heart surgery", "గుండె శస్త్రచికిత్స", "हृदय शल्य चिकित्सा"),
    ("cancer", "Cancer treatment", "క్యాన్సర్ చికిత్స", "कैंसर उपचार"),
    ("kidney", "Kidney/dialysis", "కిడ్నీ/డయాలసిస్", "किडनी/डायलिसिस"),
    ("neuro", "Brain/spine surgery", "మెదడు/వెన్నెముక", "मस्तिष्क/रीढ़ सर्जरी"),
    ("ortho", "Joint replacement", "కీళ్ల మార్పిడి", "जोड़ प्रत्यारोपण"),
    ("trauma", "Accident/burns", "ప్రమాదం/కాలిన గాయాలు", "दुर्घटना/जलना"),
    ("neonatal", "Newborn care (NICU)", "నవజాత శిశు సంరక్షణ", "नवजात देखभाल (NICU)"),
    ("liver", "Liver transplant", "కాలేయ మార్పిడి", "लिवर प्रत्यारोपण"),
    ("other", "Other treatment", "ఇతర చికిత్స", "अन्य उपचार"),
];

/// Specialities whose procedures Dr. NTR Vaidya Seva pays for at its
/// empanelled hospitals. Liver transplants and unlisted treatments fall
/// outside its packages, which is where the fund steps in.
const VAIDYA_SEVA_SPECIALITIES: &[&str] = &["cardiac", "cancer", "kidney", "neuro", "ortho", "trauma", "neonatal"];

pub fn treatment(id: &str) -> Text {
    let (_, en, te, hi) = TREATMENTS.iter().find(|t| t.0 == id).copied().unwrap_or(TREATMENTS[TREATMENTS.len() - 1]);
    Text::new(en).te(te).hi(hi)
}

pub fn vaidya_seva_covers(treatment: &str) -> bool {
    VAIDYA_SEVA_SPECIALITIES.contains(&treatment)
}

/// A network hospital code, e.g. `H1001` (case and spaces forgiven).
pub fn hospital_code(input: &str) -> Option<String> {
    let code: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase();
    let digits = code.strip_prefix('H')?;
    (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// A CMRF application number as `CMRF-YYYY-NNNNNN`, however it was typed.
pub fn application_number(input: &str) -> Option<String> {
    let compact: String =
        input.chars().filter(|c| !matches!(c, '-' | '/' | ' ' | '.')).collect::<String>().to_uppercase();
    let rest = compact.strip_prefix("CMRF")?;
    (rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("CMRF-{}-{}", &rest[..4], &rest[4..]))
}

/// Which request a citizen is making.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// Financial assistance towards a hospital's estimate.
    Assistance,
    /// A Letter of Credit to the hospital before admission.
    Loc,
    /// Reimbursement of bills paid, after discharge.
    Reimbursement,
}

/// What the citizen told us about the treatment.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub kind: Kind,
    pub treatment: String,
    pub annual_income: f64,
    pub admission: Option<Date>,
    pub discharge: Option<Date>,
}

/// Why the fund cannot take this request; empty when it can.
pub fn reasons(case: &Case, code: &str, hospital: Option<&Hospital>, enrolment: &Enrolment, today: Date) -> Vec<Text> {
    let mut reasons = Vec::new();
    if case.annual_income > INCOME_CEILING {
        let (limit, income) = (rupees(INCOME_CEILING), rupees(case.annual_income));
        reasons.push(
            Text::new(format!("Annual family income must be at most {limit}; you told us {income}."))
                .te(format!("కుటుంబ వార్షిక ఆదాయం {limit} మించకూడదు; మీరు చెప్పింది {income}."))
                .hi(format!("परिवार की वार्षिक आय {limit} से अधिक नहीं होनी चाहिए; आपने {income} बताई।")),
        );
    }
    match hospital {
        None => reasons.push(
            Text::new(format!("No hospital {code} is in the CMRF network; see Network hospitals for codes."))
                .te(format!("CMRF నెట్‌వర్క్‌లో {code} ఆసుపత్రి లేదు; కోడ్‌ల కోసం నెట్‌వర్క్ ఆసుపత్రులు చూడండి."))
                .hi(format!("CMRF नेटवर्क में {code} अस्पताल नहीं है; कोड के लिए नेटवर्क अस्पताल देखें।")),
        ),
        Some(h) => hospital_reasons(case, h, enrolment, &mut reasons),
    }
    match (case.kind, case.admission, case.discharge) {
        (Kind::Loc, Some(admission), _) if (admission - today).whole_days() > LOC_ADVANCE_DAYS => reasons.push(
            Text::new(format!("Ask for a Letter of Credit within {LOC_ADVANCE_DAYS} days of admission, not earlier."))
                .te(format!("చేరిక తేదీకి {LOC_ADVANCE_DAYS} రోజుల లోపే LOC కోసం దరఖాస్తు చేయండి, అంతకు ముందు కాదు."))
                .hi(format!("भर्ती से {LOC_ADVANCE_DAYS} दिन के भीतर ही LOC माँगें, पहले नहीं।")),
        ),
        (Kind::Reimbursement, Some(admission), Some(discharge)) if discharge < admission => reasons.push(
            Text::new("The discharge date is before the admission date; please check both.")
                .te("డిశ్చార్జ్ తేదీ చేరిక తేదీ కంటే ముందు ఉంది; దయచేసి రెండూ సరిచూడండి.")
                .hi("छुट्टी की तारीख भर्ती की तारीख से पहले है; कृपया दोनों जाँचें।"),
        ),
        (Kind::Reimbursement, _, Some(discharge)) if (today - discharge).whole_days() > CLAIM_WINDOW_DAYS => reasons
            .push(
                Text::new(format!("Claims must reach the fund within {CLAIM_WINDOW_DAYS} days of discharge."))
                    .te(format!("డిశ్చార్జ్ అయిన {CLAIM_WINDOW_DAYS} రోజుల్లోపు క్లెయిమ్ చేయాలి."))
                    .hi(format!("छुट्टी के {CLAIM_WINDOW_DAYS} दिनों के भीतर दावा करना होता है।")),
            ),
        _ => {}
    }
    reasons
}

fn hospital_reasons(case: &Case, h: &Hospital, enrolment: &Enrolment, reasons: &mut Vec<Text>) {
    if h.status != "active" {
        reasons.push(
            Text::new(format!("{} is no longer in the CMRF network; choose another hospital.", h.name))
                .te(format!("{} ఇప్పుడు CMRF నెట్‌వర్క్‌లో లేదు; వేరే ఆసుపత్రిని ఎంచుకోండి.", h.name_te))
                .hi(format!("{} अब CMRF नेटवर्क में नहीं है; दूसरा अस्पताल चुनें।", h.name)),
        );
    }
    let t = treatment(&case.treatment);
    if case.treatment != "other" && !h.treatments.contains(&case.treatment) {
        reasons.push(
            Text::new(format!("{} does not offer {}.", h.name, t.en.to_lowercase()))
                .te(format!("{}లో {} అందుబాటులో లేదు.", h.name_te, t.te.as_deref().unwrap_or(&t.en)))
                .hi(format!("{} में {} उपलब्ध नहीं है।", h.name, t.hi.as_deref().unwrap_or(&t.en))),
        );
    }
    if case.kind == Kind::Loc && !h.loc {
        reasons.push(
            Text::new(format!("{} does not accept Letters of Credit; claim reimbursement after treatment.", h.name))
                .te(format!("{} LOC అంగీకరించదు; చికిత్స తర్వాత తిరిగి చెల్లింపు కోసం దరఖాస్తు చేయండి.", h.name_te))
                .hi(format!("{} LOC स्वीकार नहीं करता; इलाज के बाद प्रतिपूर्ति का दावा करें।", h.name)),
        );
    }
    if enrolment.enrolled && h.vaidya_seva && vaidya_seva_covers(&case.treatment) {
        reasons.push(
            Text::new(format!(
                "The patient is enrolled in Dr. NTR Vaidya Seva, which pays for this treatment at {}; ask the Aarogyamitra there.",
                h.name
            ))
            .te(format!(
                "రోగి డా. ఎన్టీఆర్ వైద్య సేవలో నమోదై ఉన్నారు; {}లో ఈ చికిత్స ఉచితం. అక్కడి ఆరోగ్యమిత్రను సంప్రదించండి.",
                h.name_te
            ))
            .hi(format!(
                "मरीज़ डॉ. एनटीआर वैद्य सेवा में पंजीकृत है, जो {} में इस इलाज का खर्च देती है; वहाँ आरोग्यमित्र से मिलें।",
                h.name
            )),
        );
    }
}

/// Rupees the Indian way: ₹5,00,000.
pub fn rupees(amount: f64) -> String {
    let whole = (amount.max(0.0).round() as u64).to_string();
    if whole.len() <= 3 {
        return format!("₹{whole}");
    }
    let (head, last3) = whole.split_at(whole.len() - 3);
    let mut out = String::from("₹");
    for (i, c) in head.chars().enumerate() {
        if i > 0 && (head.len() - i) % 2 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out},{last3}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        validate::date(s).unwrap()
    }

    fn hospital(vaidya_seva: bool, loc: bool, status: &str, treatments: &[&str]) -> Hospital {
        Hospital {
            code: "H1001".into(),
            name: "Government General Hospital, Vijayawada".into(),
            name_te: "ప్రభుత్వ సర్వజన ఆసుపత్రి, విజయవాడ".into(),
            city: "Vijayawada".into(),
            district: "NTR".into(),
            treatments: treatments.iter().map(|t| t.to_string()).collect(),
            vaidya_seva,
            loc,
            status: status.into(),
        }
    }

    fn case(kind: Kind, treatment: &str, income: f64) -> Case {
        Case { kind, treatment: treatment.into(), annual_income: income, admission: None, discharge: None }
    }

    const ENROLLED: Enrolment = Enrolment { enrolled: true, health_card: None };
    const NOT_ENROLLED: Enrolment = Enrolment { enrolled: false, health_card: None };

    #[test]
    fn a_poor_family_outside_vaidya_seva_is_helped() {
        let h = hospital(true, true, "active", &["cardiac"]);
        let today = date("2026-03-01");
        assert!(
            reasons(&case(Kind::Assistance, "cardiac", 240_000.0), "H1001", Some(&h), &NOT_ENROLLED, today).is_empty()
        );
        // Enrolled, but the hospital is not empanelled under Vaidya Seva: the fund helps.
        let private = hospital(false, true, "active", &["cardiac"]);
        assert!(
            reasons(&case(Kind::Assistance, "cardiac", 240_000.0), "H1002", Some(&private), &ENROLLED, today)
                .is_empty()
        );
        // Enrolled, but a liver transplant is outside its packages.
        let liver = hospital(true, true, "active", &["liver"]);
        assert!(
            reasons(&case(Kind::Assistance, "liver", 240_000.0), "H1102", Some(&liver), &ENROLLED, today).is_empty()
        );
    }

    #[test]
    fn vaidya_seva_cover_and_income_each_refuse_with_reasons_in_three_languages() {
        let h = hospital(true, true, "active", &["cardiac"]);
        let today = date("2026-03-01");
        let r = reasons(&case(Kind::Assistance, "cardiac", 650_000.0), "H1001", Some(&h), &ENROLLED, today);
        assert_eq!(r.len(), 2, "{r:?}");
        assert!(r[0].en.contains("₹5,00,000") && r[0].en.contains("₹6,50,000"));
        assert!(r[1].en.contains("Vaidya Seva"));
        assert!(r[1].te.as_deref().unwrap().contains("వైద్య సేవ"));
        assert!(r.iter().all(|t| t.hi.is_some()));
    }

    #[test]
    fn the_hospital_must_be_in_the_network_offer_the_treatment_and_take_locs() {
        let today = date("2026-03-01");
        let c = case(Kind::Loc, "kidney", 100_000.0);
        let r = reasons(&c, "H9999", None, &NOT_ENROLLED, today);
        assert!(r.len() == 1 && r[0].en.contains("H9999"));
        let suspended = hospital(false, false, "suspended", &["cardiac"]);
        let r = reasons(&c, "H1103", Some(&suspended), &NOT_ENROLLED, today);
        assert_eq!(r.len(), 3, "suspended, no kidney care, no LOC: {r:?}");
        // "Other" treatment is not checked against the hospital's list.
        let any = hospital(false, true, "active", &["cardiac"]);
        assert!(reasons(&case(Kind::Loc, "other", 1.0), "H1002", Some(&any), &ENROLLED, today).is_empty());
    }

    #[test]
    fn locs_come_shortly_before_admission_and_claims_soon_after_discharge() {
        let h = hospital(false, true, "active", &["neuro"]);
        let today = date("2026-03-01");
        let loc = |admission| Case { admission: Some(date(admission)), ..case(Kind::Loc, "neuro", 1.0) };
        assert!(reasons(&loc("2026-03-31"), "H1", Some(&h), &NOT_ENROLLED, today).is_empty());
        assert_eq!(reasons(&loc("2026-04-01"), "H1", Some(&h), &NOT_ENROLLED, today).len(), 1);
        let claim = |a, d| Case {
            admission: Some(date(a)),
            discharge: Some(date(d)),
            ..case(Kind::Reimbursement, "neuro", 1.0)
        };
        assert!(reasons(&claim("2025-09-01", "2025-09-02"), "H1", Some(&h), &NOT_ENROLLED, today).is_empty());
        assert!(
            reasons(&claim("2025-08-01", "2025-08-20"), "H1", Some(&h), &NOT_ENROLLED, today)[0].en.contains("180")
        );
        assert!(
            reasons(&claim("2026-02-10", "2026-02-01"), "H1", Some(&h), &NOT_ENROLLED, today)[0].en.contains("before")
        );
    }

    #[test]
    fn codes_and_numbers_are_read_as_people_type_them() {
        assert_eq!(hospital_code(" h1001 ").as_deref(), Some("H1001"));
        assert_eq!(hospital_code("TestTest"), None);
        assert_eq!(hospital_code("H10011"), None);
        assert_eq!(application_number("cmrf/2025/004217").as_deref(), Some("CMRF-2025-004217"));
        assert_eq!(application_number("CMRF 2025 004217").as_deref(), Some("CMRF-2025-004217"));
        assert_eq!(application_number("2025004217"), None);
    }

    #[test]
    fn rupees_are_grouped_the_indian_way() {
        assert_eq!(rupees(500_000.0), "₹5,00,000");
        assert_eq!(rupees(12_345_678.0), "₹1,23,45,678");
        assert_eq!(rupees(950.0), "₹950");
    }
}
