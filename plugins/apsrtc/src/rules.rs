//! APSRTC's rules — reservation window, cancellation refunds, bus-pass
//! concessions, lost-property claims — and the number formats citizens type,
//! kept free of I/O so they are tested natively.

use mitra_sdk::Text;

/// A town with an APSRTC bus station, as the forms offer it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Town {
    pub(crate) slug: &'static str,
    pub(crate) en: &'static str,
    pub(crate) te: &'static str,
    pub(crate) hi: &'static str,
}

pub(crate) const TOWNS: [Town; 10] = [
    Town { slug: "vijayawada", en: "Vijayawada", te: "విజయవాడ", hi: "विजयवाड़ा" },
    Town {
        slug: "visakhapatnam", en: "Visakhapatnam", te: "విశాఖపట్నం", hi: "विशाखापत्तनम"
    },
    Town { slug: "tirupati", en: "Tirupati", te: "తిరుపతి", hi: "तिरुपति" },
    Town { slug: "guntur", en: "Guntur", te: "గుంటూరు", hi: "गुंटूर" },
    Town { slug: "kurnool", en: "Kurnool", te: "కర్నూలు", hi: "कर्नूल" },
    Town {
        slug: "rajahmundry", en: "Rajahmundry", te: "రాజమహేంద్రవరం", hi: "राजमहेंद्रवरम"
    },
    Town { slug: "nellore", en: "Nellore", te: "నెల్లూరు", hi: "नेल्लोर" },
    Town { slug: "kakinada", en: "Kakinada", te: "కాకినాడ", hi: "काकीनाडा" },
    Town { slug: "anantapur", en: "Anantapur", te: "అనంతపురం", hi: "अनंतपुर" },
    Town { slug: "ongole", en: "Ongole", te: "ఒంగోలు", hi: "ओंगोल" },
];

/// Reservations open this many days ahead (APSRTC's advance reservation period).
pub(crate) const ADVANCE_DAYS: i64 = 60;
/// Seats on one ticket.
pub(crate) const MAX_SEATS: u32 = 6;
/// The passenger a ticket is booked in the name of must be at least this old.
pub(crate) const MIN_LEAD_AGE: u32 = 12;
/// Depots hold found articles for a month before they go to auction.
pub(crate) const LOST_CLAIM_DAYS: i64 = 30;

pub(crate) fn town(slug: &str) -> Option<&'static Town> {
    TOWNS.iter().find(|t| t.slug == slug)
}

/// Why a journey cannot be searched or booked: same towns, or a date past the
/// reservation window. Dates before today never reach here (the form refuses them).
pub(crate) fn journey_reasons(from: &str, to: &str, days_ahead: i64) -> Vec<Text> {
    let mut reasons = Vec::new();
    if from == to {
        reasons.push(
            Text::new("The boarding and destination towns must be different.")
                .te("ఎక్కే పట్టణం, చేరే పట్టణం వేర్వేరుగా ఉండాలి.")
                .hi("चढ़ने और पहुँचने का शहर अलग होना चाहिए।"),
        );
    }
    if let Some(reason) = reservation_window(days_ahead) {
        reasons.push(reason);
    }
    reasons
}

/// Tickets can be reserved from today up to [`ADVANCE_DAYS`] ahead.
pub(crate) fn reservation_window(days_ahead: i64) -> Option<Text> {
    (days_ahead > ADVANCE_DAYS).then(|| {
        Text::new(format!("Reservations open {ADVANCE_DAYS} days before the journey; choose an earlier date."))
            .te(format!("ప్రయాణానికి {ADVANCE_DAYS} రోజుల ముందు నుంచే రిజర్వేషన్ ఉంటుంది; ముందు తేదీ ఎంచుకోండి."))
            .hi(format!("आरक्षण यात्रा से {ADVANCE_DAYS} दिन पहले खुलता है; पहले की तारीख चुनें।"))
    })
}

/// Keeps letters and digits, upper-cased: people type `ap 2500 0001`.
fn compact(input: &str) -> String {
    input.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// A PNR is `AP` and 8 digits.
pub(crate) fn pnr(input: &str) -> Option<String> {
    let pnr = compact(input);
    (pnr.len() == 10 && pnr.starts_with("AP") && pnr[2..].bytes().all(|b| b.is_ascii_digit())).then_some(pnr)
}

/// A service number is the 5 digits printed on the bus list.
pub(crate) fn service_no(input: &str) -> Option<u32> {
    let digits = compact(input);
    (digits.len() == 5 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
}

/// A parcel consignment (LR) number: the booking office's 3 letters and 7 digits.
pub(crate) fn consignment(input: &str) -> Option<String> {
    let lr = compact(input);
    (lr.len() == 10 && lr[..3].bytes().all(|b| b.is_ascii_uppercase()) && lr[3..].bytes().all(|b| b.is_ascii_digit()))
        .then_some(lr)
}

/// What a cancellation returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Refund {
    pub(crate) deduction_percent: u32,
    pub(crate) amount: u32,
}

/// APSRTC's cancellation rules: 10% of the fare is kept 48 hours or more before
/// departure, 25% from 24 hours, 50% from 2 hours; within 2 hours a ticket
/// cannot be cancelled. The reservation fee is never refunded.
pub(crate) fn refund(total: u32, reservation_fee: u32, minutes_before: i64) -> Option<Refund> {
    let deduction_percent = match minutes_before {
        m if m >= 48 * 60 => 10,
        m if m >= 24 * 60 => 25,
        m if m >= 2 * 60 => 50,
        _ => return None,
    };
    let amount = total.saturating_sub(reservation_fee) * (100 - deduction_percent) / 100;
    Some(Refund { deduction_percent, amount })
}

/// Why a ticket cannot be cancelled by this citizen now.
pub(crate) fn cancellation_reasons(status: &str, phone_matches: bool, minutes_before: i64) -> Vec<Text> {
    let mut reasons = Vec::new();
    match status {
        "cancelled" => reasons.push(
            Text::new("This ticket is already cancelled.")
                .te("ఈ టికెట్ ఇప్పటికే రద్దు అయింది.")
                .hi("यह टिकट पहले ही रद्द हो चुका है।"),
        ),
        "travelled" => reasons.push(
            Text::new("The bus has already left; a used ticket cannot be cancelled.")
                .te("బస్సు ఇప్పటికే బయలుదేరింది; ప్రయాణించిన టికెట్ రద్దు కాదు.")
                .hi("बस जा चुकी है; इस्तेमाल हुआ टिकट रद्द नहीं होता।"),
        ),
        _ if refund(1, 0, minutes_before).is_none() => reasons.push(
            Text::new("Tickets cannot be cancelled within 2 hours of departure.")
                .te("బయలుదేరే 2 గంటల లోపు టికెట్ రద్దు చేయలేరు.")
                .hi("प्रस्थान से 2 घंटे के भीतर टिकट रद्द नहीं हो सकता।"),
        ),
        _ => {}
    }
    if !phone_matches {
        reasons.push(
            Text::new("The mobile number does not match the one given when booking.")
                .te("మొబైల్ నంబర్ బుకింగ్ సమయంలో ఇచ్చిన నంబర్‌తో సరిపోలలేదు.")
                .hi("मोबाइल नंबर बुकिंग के समय दिए नंबर से मेल नहीं खाता।"),
        );
    }
    reasons
}

/// The two concession passes APSRTC issues at its counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PassKind {
    /// Monthly route pass from home to school or college.
    Student,
    /// Identity card for 25% off fares.
    Senior,
}

impl PassKind {
    pub(crate) fn from_id(id: &str) -> Option<Self> {
        match id {
            "student" => Some(PassKind::Student),
            "senior" => Some(PassKind::Senior),
            _ => None,
        }
    }
}

pub(crate) const STUDENT_AGES: (u32, u32) = (5, 25);
pub(crate) const SENIOR_AGE: u32 = 60;
pub(crate) const SENIOR_CONCESSION_PERCENT: u32 = 25;
/// Student route passes cover home to institution up to this distance.
pub(crate) const STUDENT_MAX_KM: u32 = 35;

/// The monthly student pass fee by distance slab, in rupees.
pub(crate) fn student_pass_fee(km: u32) -> Option<u32> {
    match km {
        1..=5 => Some(165),
        6..=10 => Some(240),
        11..=20 => Some(330),
        21..=STUDENT_MAX_KM => Some(450),
        _ => None,
    }
}

/// What a granted pass gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PassTerms {
    pub(crate) kind: PassKind,
    /// Rupees per month (student passes); 0 for the senior citizen card.
    pub(crate) monthly_fee: u32,
    pub(crate) concession_percent: u32,
    pub(crate) valid_days: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum PassDecision {
    Granted(PassTerms),
    Refused(Vec<Text>),
    /// Field ids still to answer.
    Incomplete(Vec<&'static str>),
}

/// Bus-pass eligibility: students aged 5 to 25 travelling up to 35 km to a
/// named institution; citizens aged 60 and above for the senior citizen card.
pub(crate) fn bus_pass(kind: PassKind, age: u32, distance_km: Option<u32>, has_institution: bool) -> PassDecision {
    match kind {
        PassKind::Senior if age >= SENIOR_AGE => PassDecision::Granted(PassTerms {
            kind,
            monthly_fee: 0,
            concession_percent: SENIOR_CONCESSION_PERCENT,
            valid_days: 5 * 365,
        }),
        PassKind::Senior => PassDecision::Refused(vec![
            Text::new(format!("The senior citizen card is for those aged {SENIOR_AGE} or more; you are {age}."))
                .te(format!("వయోవృద్ధుల కార్డు {SENIOR_AGE} ఏళ్లు నిండినవారికి; మీ వయస్సు {age}."))
                .hi(format!("वरिष्ठ नागरिक कार्ड {SENIOR_AGE} वर्ष या अधिक आयु वालों के लिए है; आपकी आयु {age} है।")),
        ]),
        PassKind::Student => {
            let (youngest, oldest) = STUDENT_AGES;
            if !(youngest..=oldest).contains(&age) {
                return PassDecision::Refused(vec![
                    Text::new(format!("Student passes are for ages {youngest} to {oldest}; you are {age}."))
                        .te(format!("విద్యార్థి పాస్ {youngest} నుంచి {oldest} ఏళ్ల వారికి; మీ వయస్సు {age}."))
                        .hi(format!("छात्र पास {youngest} से {oldest} वर्ष के लिए है; आपकी आयु {age} है।")),
                ]);
            }
            let mut missing = Vec::new();
            if !has_institution {
                missing.push("institution");
            }
            if distance_km.is_none() {
                missing.push("distance");
            }
            if !missing.is_empty() {
                return PassDecision::Incomplete(missing);
            }
            let km = distance_km.unwrap_or_default();
            match student_pass_fee(km) {
                Some(monthly_fee) => {
                    PassDecision::Granted(PassTerms { kind, monthly_fee, concession_percent: 0, valid_days: 30 })
                }
                None => PassDecision::Refused(vec![
                    Text::new(format!("Student passes cover up to {STUDENT_MAX_KM} km; your route is {km} km."))
                        .te(format!("విద్యార్థి పాస్ {STUDENT_MAX_KM} కి.మీ. వరకే; మీ మార్గం {km} కి.మీ."))
                        .hi(format!("छात्र पास {STUDENT_MAX_KM} कि.मी. तक है; आपका मार्ग {km} कि.मी. है।")),
                ]),
            }
        }
    }
}

/// A lost article can be reported up to [`LOST_CLAIM_DAYS`] after the journey.
pub(crate) fn lost_claim_reason(days_ago: i64) -> Option<Text> {
    (days_ago > LOST_CLAIM_DAYS).then(|| {
        Text::new(format!(
            "Depots keep found articles for {LOST_CLAIM_DAYS} days; this journey was {days_ago} days ago."
        ))
        .te(format!("డిపోలు దొరికిన వస్తువులను {LOST_CLAIM_DAYS} రోజులే ఉంచుతాయి; ఈ ప్రయాణం {days_ago} రోజుల క్రితం."))
        .hi(format!("डिपो मिली वस्तुएँ {LOST_CLAIM_DAYS} दिन रखते हैं; यह यात्रा {days_ago} दिन पहले की है।"))
    })
}

/// The service type's name as a passenger knows it.
pub(crate) fn class_name(id: &str) -> Text {
    match id {
        "palle-velugu" => Text::new("Palle Velugu").te("పల్లె వెలుగు").hi("पल्ले वेलुगु"),
        "express" => Text::new("Express").te("ఎక్స్‌ప్రెస్").hi("एक्सप्रेस"),
        "super-luxury" => Text::new("Super Luxury").te("సూపర్ లగ్జరీ").hi("सुपर लग्ज़री"),
        "indra-ac" => Text::new("Indra AC").te("ఇంద్ర ఏసీ").hi("इंद्र एसी"),
        "amaravati-ac" => Text::new("Amaravati AC").te("అమరావతి ఏసీ").hi("अमरावती एसी"),
        other => Text::new(other),
    }
}

/// Rupees with Indian digit grouping: ₹1,23,456.
pub(crate) fn rupees(amount: u64) -> String {
    format!("₹{}", mitra_sdk::money::indian_grouping(amount))
}

/// Shows only the last four digits of a mobile number on printed documents.
pub(crate) fn mask_phone(phone: &str) -> String {
    let last4: String = phone.chars().skip(phone.chars().count().saturating_sub(4)).collect();
    format!("XXXXXX{last4}")
}

/// `YYYY-MM-DD` as Indian documents print it, `DD-MM-YYYY`.
pub(crate) fn display_date(iso: &str) -> String {
    mitra_sdk::validate::date(iso).map(mitra_sdk::validate::display_date).unwrap_or_else(|_| iso.to_owned())
}

/// Hours and minutes, e.g. `6h 45m`.
pub(crate) fn duration(minutes: u32) -> String {
    format!("{}h {:02}m", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journey_needs_two_towns_within_the_reservation_window() {
        assert!(journey_reasons("guntur", "tirupati", 0).is_empty());
        assert!(journey_reasons("guntur", "tirupati", ADVANCE_DAYS).is_empty());
        let both = journey_reasons("guntur", "guntur", ADVANCE_DAYS + 1);
        assert_eq!(both.len(), 2);
        assert!(both[1].en.contains("60") && both[1].te.as_deref().unwrap().contains("60"));
        assert!(TOWNS.iter().all(|t| town(t.slug).is_some()));
    }

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(pnr(" ap 2500 0001").as_deref(), Some("AP25000001"));
        assert_eq!(pnr("TS25000001"), None);
        assert_eq!(pnr("AP2500001"), None);
        assert_eq!(service_no("10 023"), Some(10_023));
        assert_eq!(service_no("1002"), None);
        assert_eq!(service_no("Test"), None);
        assert_eq!(consignment("vja-0012345").as_deref(), Some("VJA0012345"));
        assert_eq!(consignment("0012345VJA"), None);
    }

    #[test]
    fn refunds_shrink_as_departure_nears() {
        // ₹1,040 paid of which ₹40 reservation fee: refunds are of the ₹1,000 fare.
        assert_eq!(refund(1040, 40, 3 * 24 * 60), Some(Refund { deduction_percent: 10, amount: 900 }));
        assert_eq!(refund(1040, 40, 48 * 60), Some(Refund { deduction_percent: 10, amount: 900 }));
        assert_eq!(refund(1040, 40, 48 * 60 - 1), Some(Refund { deduction_percent: 25, amount: 750 }));
        assert_eq!(refund(1040, 40, 24 * 60 - 1), Some(Refund { deduction_percent: 50, amount: 500 }));
        assert_eq!(refund(1040, 40, 120), Some(Refund { deduction_percent: 50, amount: 500 }));
        assert_eq!(refund(1040, 40, 119), None);
        assert_eq!(refund(1040, 40, -600), None);
    }

    #[test]
    fn cancellation_is_refused_with_every_reason() {
        assert!(cancellation_reasons("booked", true, 5000).is_empty());
        assert_eq!(cancellation_reasons("booked", true, 60).len(), 1);
        let reasons = cancellation_reasons("travelled", false, -60);
        assert_eq!(reasons.len(), 2);
        assert!(reasons.iter().all(|r| r.te.is_some() && r.hi.is_some()));
        assert!(cancellation_reasons("cancelled", true, 5000)[0].en.contains("already"));
    }

    #[test]
    fn student_passes_by_age_and_distance() {
        let granted = bus_pass(PassKind::Student, 16, Some(8), true);
        assert_eq!(
            granted,
            PassDecision::Granted(PassTerms {
                kind: PassKind::Student,
                monthly_fee: 240,
                concession_percent: 0,
                valid_days: 30
            })
        );
        assert!(
            matches!(bus_pass(PassKind::Student, 26, Some(8), true), PassDecision::Refused(r) if r[0].en.contains("26"))
        );
        assert!(matches!(bus_pass(PassKind::Student, 4, Some(8), true), PassDecision::Refused(_)));
        assert!(
            matches!(bus_pass(PassKind::Student, 19, Some(36), true), PassDecision::Refused(r) if r[0].en.contains("36"))
        );
        assert_eq!(
            bus_pass(PassKind::Student, 19, None, false),
            PassDecision::Incomplete(vec!["institution", "distance"])
        );
        assert_eq!(student_pass_fee(35), Some(450));
        assert_eq!(student_pass_fee(0), None);
    }

    #[test]
    fn senior_citizen_cards_from_sixty() {
        match bus_pass(PassKind::Senior, 60, None, false) {
            PassDecision::Granted(terms) => {
                assert_eq!((terms.concession_percent, terms.monthly_fee), (25, 0));
                assert!(terms.valid_days > 1800);
            }
            other => panic!("{other:?}"),
        }
        match bus_pass(PassKind::Senior, 59, None, false) {
            PassDecision::Refused(reasons) => assert!(reasons[0].te.as_deref().unwrap().contains("59")),
            other => panic!("{other:?}"),
        }
        assert_eq!(PassKind::from_id("senior"), Some(PassKind::Senior));
        assert_eq!(PassKind::from_id("freedom-fighter"), None);
    }

    #[test]
    fn lost_articles_are_claimed_within_a_month() {
        assert!(lost_claim_reason(0).is_none());
        assert!(lost_claim_reason(LOST_CLAIM_DAYS).is_none());
        assert!(lost_claim_reason(LOST_CLAIM_DAYS + 1).unwrap().en.contains("31"));
    }

    #[test]
    fn amounts_dates_and_phones_print_as_on_indian_documents() {
        assert_eq!(rupees(5), "₹5");
        assert_eq!(rupees(1240), "₹1,240");
        assert_eq!(rupees(123_456), "₹1,23,456");
        assert_eq!(rupees(12_345_678), "₹1,23,45,678");
        assert_eq!(mask_phone("9876543210"), "XXXXXX3210");
        assert_eq!(display_date("2025-12-01"), "01-12-2025");
        assert_eq!(duration(405), "6h 45m");
        assert_eq!(class_name("indra-ac").te.as_deref(), Some("ఇంద్ర ఏసీ"));
    }
}
