//! Anna Canteen rules — where the scheme runs, which days it serves, when a
//! meal can be sponsored — and the formats citizens type, free of I/O so they
//! are tested natively.

use mitra_sdk::{Language, Text};

/// A town with Anna Canteens, as the forms offer it.
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
    Town { slug: "guntur", en: "Guntur", te: "గుంటూరు", hi: "गुंटूर" },
    Town { slug: "tirupati", en: "Tirupati", te: "తిరుపతి", hi: "तिरुपति" },
    Town { slug: "nellore", en: "Nellore", te: "నెల్లూరు", hi: "नेल्लोर" },
    Town { slug: "kurnool", en: "Kurnool", te: "కర్నూలు", hi: "कर्नूल" },
    Town {
        slug: "rajahmundry", en: "Rajahmundry", te: "రాజమహేంద్రవరం", hi: "राजमहेंद्रवरम"
    },
    Town { slug: "kakinada", en: "Kakinada", te: "కాకినాడ", hi: "काकीनाडा" },
    Town { slug: "anantapur", en: "Anantapur", te: "అనంతపురం", hi: "अनंतपुर" },
    Town { slug: "ongole", en: "Ongole", te: "ఒంగోలు", hi: "ओंगोल" },
];

pub(crate) fn town(slug: &str) -> Option<&'static Town> {
    TOWNS.iter().find(|t| t.slug == slug)
}

/// Andhra Pradesh's extent, with a margin for border villages.
const AP_LATITUDE: (f64, f64) = (12.6, 19.95);
const AP_LONGITUDE: (f64, f64) = (76.7, 84.8);

/// Anna Canteens run only in Andhra Pradesh; a location elsewhere is a mistake
/// (or a traveller) and the nearest canteen would be hundreds of km away.
pub(crate) fn location_reason(latitude: f64, longitude: f64) -> Option<Text> {
    let inside =
        (AP_LATITUDE.0..=AP_LATITUDE.1).contains(&latitude) && (AP_LONGITUDE.0..=AP_LONGITUDE.1).contains(&longitude);
    (!inside).then(|| {
        Text::new("Anna Canteens are in Andhra Pradesh only; please share a location in the state.")
            .te("అన్న క్యాంటీన్లు ఆంధ్రప్రదేశ్‌లో మాత్రమే ఉన్నాయి; రాష్ట్రంలోని లొకేషన్ పంపండి.")
            .hi("अन्ना कैंटीन केवल आंध्र प्रदेश में हैं; कृपया राज्य के भीतर का स्थान भेजें।")
    })
}

/// A canteen code is the town's 3 letters and 2 digits: people type `vja01`, `VJA 01`.
pub(crate) fn canteen_code(input: &str) -> Option<String> {
    let compact: String = input.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    let ok = compact.len() == 5
        && compact[..3].bytes().all(|b| b.is_ascii_uppercase())
        && compact[3..].bytes().all(|b| b.is_ascii_digit());
    ok.then(|| format!("{}-{}", &compact[..3], &compact[3..]))
}

pub(crate) fn bad_code(typed: &str) -> Text {
    Text::new(format!("{typed:?} is not a canteen code. Codes look like VJA-01; find them in \"Canteens in a town\"."))
        .te(format!("{typed:?} క్యాంటీన్ కోడ్ కాదు. కోడ్ VJA-01 లాగా ఉంటుంది; \"పట్టణంలో క్యాంటీన్లు\" లో చూడండి."))
        .hi(format!("{typed:?} कैंटीन कोड नहीं है। कोड VJA-01 जैसा होता है; \"शहर में कैंटीन\" में देखें।"))
}

/// Day ids as the backend knows them, Monday first.
pub(crate) const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
pub(crate) const SUNDAY: usize = 6;

pub(crate) fn day_name(index: usize) -> Text {
    let (en, te, hi) = match index {
        0 => ("Monday", "సోమవారం", "सोमवार"),
        1 => ("Tuesday", "మంగళవారం", "मंगलवार"),
        2 => ("Wednesday", "బుధవారం", "बुधवार"),
        3 => ("Thursday", "గురువారం", "गुरुवार"),
        4 => ("Friday", "శుక్రవారం", "शुक्रवार"),
        5 => ("Saturday", "శనివారం", "शनिवार"),
        _ => ("Sunday", "ఆదివారం", "रविवार"),
    };
    Text::new(en).te(te).hi(hi)
}

/// The weekday (0 = Monday) a menu choice means: `today`, `tomorrow` or a day id.
pub(crate) fn resolve_day(choice: &str, today: usize) -> Option<usize> {
    match choice {
        "today" => Some(today % 7),
        "tomorrow" => Some((today + 1) % 7),
        day => DAYS.iter().position(|d| *d == day),
    }
}

pub(crate) fn meal_name(session: &str) -> Text {
    match session {
        "breakfast" => Text::new("Breakfast").te("అల్పాహారం").hi("नाश्ता"),
        "lunch" => Text::new("Lunch").te("మధ్యాహ్న భోజనం").hi("दोपहर का भोजन"),
        "dinner" => Text::new("Dinner").te("రాత్రి భోజనం").hi("रात का भोजन"),
        "full-day" => Text::new("All three meals").te("మూడు పూటలు").hi("तीनों भोजन"),
        other => Text::new(other),
    }
}

/// The kitchen needs two days' notice; the sponsorship calendar runs 90 days.
pub(crate) const NOTICE_DAYS: i64 = 2;
pub(crate) const HORIZON_DAYS: i64 = 90;

/// Why meals cannot be sponsored on a day `days_ahead` from today that falls on `weekday`.
pub(crate) fn sponsorship_date_reasons(days_ahead: i64, weekday: usize) -> Vec<Text> {
    let mut reasons = Vec::new();
    if days_ahead < NOTICE_DAYS {
        reasons.push(
            Text::new(format!("Sponsor at least {NOTICE_DAYS} days ahead so the kitchen can plan."))
                .te(format!("వంటశాల సిద్ధం కావడానికి కనీసం {NOTICE_DAYS} రోజుల ముందు విరాళం ఇవ్వండి."))
                .hi(format!("रसोई की तैयारी के लिए कम से कम {NOTICE_DAYS} दिन पहले दान करें।")),
        );
    }
    if days_ahead > HORIZON_DAYS {
        reasons.push(
            Text::new(format!("Sponsorships open {HORIZON_DAYS} days ahead; choose an earlier date."))
                .te(format!("{HORIZON_DAYS} రోజుల లోపు తేదీనే ఎంచుకోవచ్చు."))
                .hi(format!("प्रायोजन {HORIZON_DAYS} दिन पहले तक ही होता है; पहले की तारीख चुनें।")),
        );
    }
    if weekday == SUNDAY {
        reasons.push(
            Text::new("Anna Canteens are closed on Sundays; choose another day.")
                .te("ఆదివారం అన్న క్యాంటీన్లకు సెలవు; వేరే రోజు ఎంచుకోండి.")
                .hi("रविवार को अन्ना कैंटीन बंद रहती हैं; दूसरा दिन चुनें।"),
        );
    }
    reasons
}

/// The sessions a sponsorship choice covers.
pub(crate) fn sessions(choice: &str) -> &'static [&'static str] {
    match choice {
        "breakfast" => &["breakfast"],
        "lunch" => &["lunch"],
        "dinner" => &["dinner"],
        _ => &["breakfast", "lunch", "dinner"],
    }
}

/// Distance as a person on foot reads it: metres and a walk when close.
pub(crate) fn distance(km: f64) -> Text {
    if km < 1.0 {
        let metres = ((km * 1000.0) / 50.0).round() as u32 * 50;
        let walk = walk_minutes(km);
        Text::new(format!("{metres} m, {walk} min walk"))
            .te(format!("{metres} మీ., {walk} ని. నడక"))
            .hi(format!("{metres} मी., {walk} मिनट पैदल"))
    } else if km < 3.0 {
        let walk = walk_minutes(km);
        Text::new(format!("{km:.1} km, {walk} min walk"))
            .te(format!("{km:.1} కి.మీ., {walk} ని. నడక"))
            .hi(format!("{km:.1} कि.मी., {walk} मिनट पैदल"))
    } else {
        Text::new(format!("{km:.1} km")).te(format!("{km:.1} కి.మీ.")).hi(format!("{km:.1} कि.मी."))
    }
}

/// At 4.5 km/h, an unhurried walk.
fn walk_minutes(km: f64) -> u32 {
    ((km / 4.5 * 60.0).ceil() as u32).max(1)
}

/// A link WhatsApp opens in the phone's maps app.
pub(crate) fn maps_link(latitude: f64, longitude: f64) -> String {
    format!("https://maps.google.com/?q={latitude:.4},{longitude:.4}")
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

/// A text in English and Telugu from the backend's pair, Hindi falling back to English.
pub(crate) fn pair(en: &str, te: &str) -> Text {
    Text::new(en).te(te)
}

/// `YYYY-MM-DD` as Indian documents print it, `DD-MM-YYYY`.
pub(crate) fn display_date(iso: &str) -> String {
    mitra_sdk::validate::date(iso).map(mitra_sdk::validate::display_date).unwrap_or_else(|_| iso.to_owned())
}

/// One text per language joined from parts (e.g. a label and a value), so
/// every language reads whole.
pub(crate) fn join(parts: &[&Text], separator: &str) -> Text {
    let lang = |l: Language| parts.iter().map(|p| p.get(l)).collect::<Vec<_>>().join(separator);
    Text::new(lang(Language::En)).te(lang(Language::Te)).hi(lang(Language::Hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_locations_in_andhra_pradesh_are_served() {
        assert!(location_reason(16.5062, 80.6480).is_none()); // Vijayawada
        assert!(location_reason(13.6288, 79.4192).is_none()); // Tirupati
        assert!(location_reason(18.3, 83.9).is_none()); // Srikakulam
        let delhi = location_reason(28.6139, 77.2090).unwrap();
        assert!(delhi.te.as_deref().unwrap().contains("ఆంధ్రప్రదేశ్"));
        assert!(location_reason(0.0, 0.0).is_some());
    }

    #[test]
    fn canteen_codes_are_read_as_people_type_them() {
        assert_eq!(canteen_code("vja01").as_deref(), Some("VJA-01"));
        assert_eq!(canteen_code(" VJA - 01 ").as_deref(), Some("VJA-01"));
        assert_eq!(canteen_code("VJA-1"), None);
        assert_eq!(canteen_code("Test"), None);
        assert_eq!(canteen_code("01VJA"), None);
        assert!(bad_code("x").en.contains("VJA-01"));
    }

    #[test]
    fn menu_days_resolve_from_today() {
        assert_eq!(resolve_day("today", 2), Some(2));
        assert_eq!(resolve_day("tomorrow", SUNDAY), Some(0));
        assert_eq!(resolve_day("fri", 0), Some(4));
        assert_eq!(resolve_day("funday", 0), None);
        assert_eq!(day_name(SUNDAY).te.as_deref(), Some("ఆదివారం"));
    }

    #[test]
    fn sponsorship_needs_notice_a_near_date_and_a_working_day() {
        assert!(sponsorship_date_reasons(2, 0).is_empty());
        assert!(sponsorship_date_reasons(HORIZON_DAYS, 5).is_empty());
        assert_eq!(sponsorship_date_reasons(1, 0).len(), 1);
        assert_eq!(sponsorship_date_reasons(HORIZON_DAYS + 1, SUNDAY).len(), 2);
        assert!(sponsorship_date_reasons(0, SUNDAY).iter().all(|r| r.te.is_some() && r.hi.is_some()));
        assert_eq!(sessions("full-day").len(), 3);
        assert_eq!(sessions("lunch"), ["lunch"]);
    }

    #[test]
    fn distances_read_as_a_walk_when_close() {
        assert_eq!(distance(0.42).en, "400 m, 6 min walk");
        assert_eq!(distance(1.2).te.as_deref(), Some("1.2 కి.మీ., 16 ని. నడక"));
        assert_eq!(distance(12.44).en, "12.4 km");
        assert_eq!(maps_link(16.53101, 80.59349), "https://maps.google.com/?q=16.5310,80.5935");
    }

    #[test]
    fn amounts_and_phones_print_as_on_indian_receipts() {
        assert_eq!(rupees(9_000), "₹9,000");
        assert_eq!(rupees(123_000), "₹1,23,000");
        assert_eq!(rupees(5), "₹5");
        assert_eq!(mask_phone("9876543210"), "XXXXXX3210");
        assert_eq!(display_date("2026-01-26"), "26-01-2026");
        let joined = join(&[&meal_name("lunch"), &Text::new("12:30–15:00")], " ");
        assert_eq!(joined.te.as_deref(), Some("మధ్యాహ్న భోజనం 12:30–15:00"));
    }
}
