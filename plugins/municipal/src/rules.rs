//! The corporations' rules and the shaping of their records, as pure
//! functions so they are tested without a host.

use mitra_sdk::{Decision, Text};

use crate::ulbs;

// ---------------------------------------------------------------- record numbers

/// A register number `<prefix>-YYYY-<ULB>-NNNNN` (births `B`, deaths `D`),
/// from `b 2023 vja 4821` or `B-2023-VJA-04821`.
pub(crate) fn registration(input: &str, prefix: &str) -> Option<String> {
    let [p, year, ulb, serial] = parts(input)?;
    (p == prefix && year_ok(&year) && ulbs::by_code(&ulb).is_some() && serial_ok(&serial))
        .then(|| format!("{prefix}-{year}-{ulb}-{serial:0>5}"))
}

/// A licence or permission number `<prefix>-<ULB>-YYYY-NNNNN` (trade
/// licences `TL`, building permissions `BP`).
pub(crate) fn licence(input: &str, prefix: &str) -> Option<String> {
    let [p, ulb, year, serial] = parts(input)?;
    (p == prefix && year_ok(&year) && ulbs::by_code(&ulb).is_some() && serial_ok(&serial))
        .then(|| format!("{prefix}-{ulb}-{year}-{serial:0>5}"))
}

fn parts(input: &str) -> Option<[String; 4]> {
    let upper = input.trim().to_ascii_uppercase();
    let parts: Vec<String> = upper
        .split(|c: char| c == '-' || c == '/' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    parts.try_into().ok()
}

fn year_ok(year: &str) -> bool {
    year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())
}

fn serial_ok(serial: &str) -> bool {
    (1..=5).contains(&serial.len()) && serial.bytes().all(|b| b.is_ascii_digit())
}

/// A property tax assessment number: ten digits, the first four the
/// corporation's. Spaces and dashes typed between digits are dropped.
pub(crate) fn assessment(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (digits.len() == 10
        && digits.bytes().all(|b| b.is_ascii_digit())
        && ulbs::ULBS.iter().any(|u| digits.starts_with(u.number)))
    .then_some(digits)
}

/// A 14-digit FSSAI licence or registration number.
pub(crate) fn fssai(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 14 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

// ---------------------------------------------------------------- money

/// Paise as rupees with Indian digit grouping: `₹1,23,456.50`.
pub(crate) fn rupees(paise: u64) -> String {
    format!("₹{}.{:02}", mitra_sdk::money::indian_grouping(paise / 100), paise % 100)
}

/// Percent-encodes a URI component (RFC 3986 unreserved characters pass).
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A UPI intent link (NPCI's deep-link format) that opens any UPI app with
/// the payee, amount, reference and note filled in.
pub(crate) fn upi_intent(vpa: &str, payee: &str, paise: u64, reference: &str, note: &str) -> String {
    // The VPA keeps its '@': apps read `pa` verbatim.
    let vpa: String = vpa.split('@').map(encode).collect::<Vec<_>>().join("@");
    format!(
        "upi://pay?pa={vpa}&pn={}&am={}.{:02}&tr={}&tn={}&cu=INR",
        encode(payee),
        paise / 100,
        paise % 100,
        encode(reference),
        encode(note)
    )
}

// ---------------------------------------------------------------- dates

/// The year of the 31 March that ends the financial year a month falls in:
/// licences run with the financial year.
pub(crate) fn financial_year_end(year: i32, month: u8) -> i32 {
    if month >= 4 { year + 1 } else { year }
}

/// `2026-11-22` as `22-11-2026`; anything else as given.
pub(crate) fn display_date(iso: &str) -> String {
    mitra_sdk::validate::date(iso).map(mitra_sdk::validate::display_date).unwrap_or_else(|_| iso.to_owned())
}

// ---------------------------------------------------------------- trade licences

/// Trade categories: `(id, en, te, hi, rupees per sq ft a year)`.
pub(crate) const TRADES: &[(&str, &str, &str, &str, u64)] = &[
    ("eatery", "Hotel or eatery", "హోటల్ / టిఫిన్ సెంటర్", "होटल या भोजनालय", 4),
    ("grocery", "Grocery (kirana)", "కిరాణా దుకాణం", "किराना दुकान", 2),
    ("medical", "Medical shop", "మందుల దుకాణం", "दवा की दुकान", 3),
    ("bakery", "Bakery or sweets", "బేకరీ / స్వీట్స్", "बेकरी या मिठाई", 3),
    ("salon", "Salon or beauty parlour", "సెలూన్ / బ్యూటీ పార్లర్", "सैलून या ब्यूटी पार्लर", 2),
    ("tailoring", "Tailoring", "టైలరింగ్", "सिलाई", 1),
    ("hardware", "Hardware or paints", "హార్డ్‌వేర్ / పెయింట్స్", "हार्डवेयर या पेंट", 2),
    ("hazardous", "LPG, timber, crackers", "గ్యాస్, కలప, టపాసులు", "गैस, लकड़ी, पटाखे", 6),
];

/// The smallest yearly licence fee, in rupees.
pub(crate) const MIN_LICENCE_FEE: u64 = 500;

/// The yearly licence fee, in paise, by the corporation's schedule of
/// rates per square foot of trade premises.
pub(crate) fn trade_licence_fee(category: &str, area_sqft: u64) -> u64 {
    let rate = TRADES.iter().find(|t| t.0 == category).map_or(2, |t| t.4);
    (area_sqft * rate).max(MIN_LICENCE_FEE) * 100
}

/// Food businesses need FSSAI registration first (Food Safety and Standards
/// Act, 2006), medical shops a drug licence, and trades that store fuel or
/// explosives a fire NOC: the field each is asked in.
pub(crate) fn prerequisite(category: &str) -> Option<&'static str> {
    match category {
        "eatery" | "bakery" | "grocery" => Some("fssai"),
        "medical" => Some("drug-licence"),
        "hazardous" => Some("fire-noc"),
        _ => None,
    }
}

/// Renewal opens this many days before a licence runs out.
pub(crate) const RENEWAL_WINDOW_DAYS: i64 = 60;

/// What the licensing register says about a licence up for renewal.
#[derive(Clone, Debug)]
pub(crate) struct Existing<'a> {
    pub(crate) status: &'a str,
    pub(crate) remarks: Option<(&'a str, &'a str)>,
    pub(crate) valid_until: &'a str,
    /// Days from today to `valid_until` (negative once it has run out).
    pub(crate) days_left: i64,
}

/// A cancelled licence cannot be renewed (a new one is needed), a suspended
/// one not until the suspension is lifted, and a valid one not before the
/// renewal window opens.
pub(crate) fn renewal(existing: &Existing<'_>) -> Decision {
    let until = display_date(existing.valid_until);
    let (why, why_te) = existing.remarks.unwrap_or(("", ""));
    match existing.status {
        "cancelled" => Decision::ineligible(
            Text::new(format!("This licence was cancelled ({why}); apply for a new licence."))
                .te(format!("ఈ లైసెన్సు రద్దయింది ({why_te}); కొత్త లైసెన్సుకు దరఖాస్తు చేయండి."))
                .hi(format!("यह लाइसेंस रद्द है ({why}); नए लाइसेंस के लिए आवेदन करें।")),
        ),
        "suspended" => Decision::ineligible(
            Text::new(format!("This licence is suspended ({why}); it can be renewed once the suspension is lifted."))
                .te(format!("ఈ లైసెన్సు సస్పెన్షన్‌లో ఉంది ({why_te}); సస్పెన్షన్ ఎత్తివేసిన తర్వాతే పునరుద్ధరణ."))
                .hi(format!("यह लाइसेंस निलंबित है ({why}); निलंबन हटने के बाद ही नवीनीकरण होगा।")),
        ),
        _ if existing.days_left > RENEWAL_WINDOW_DAYS => Decision::ineligible(
            Text::new(format!("This licence is valid until {until}; renewal opens 60 days before that."))
                .te(format!("ఈ లైసెన్సు {until} వరకు చెల్లుతుంది; దానికి 60 రోజుల ముందు పునరుద్ధరణ మొదలవుతుంది."))
                .hi(format!("यह लाइसेंस {until} तक मान्य है; नवीनीकरण उससे 60 दिन पहले शुरू होता है।")),
        ),
        _ => Decision::Eligible,
    }
}

// ---------------------------------------------------------------- property tax and water

/// What the property tax register says about a property asking for a tap.
#[derive(Clone, Debug)]
pub(crate) struct Property<'a> {
    pub(crate) total_due_paise: u64,
    pub(crate) water_connection: Option<&'a str>,
    pub(crate) residential: bool,
}

/// A new tap connection needs the property tax paid up and no connection
/// already; domestic connections are 15 or 20 mm, wider ones are for
/// non-domestic use of a non-residential property.
pub(crate) fn tap_connection(property: &Property<'_>, domestic: bool, pipe: &str) -> Decision {
    let mut reasons = Vec::new();
    if property.total_due_paise > 0 {
        let due = rupees(property.total_due_paise);
        reasons.push(
            Text::new(format!("Property tax of {due} is due; pay it before applying for a tap connection."))
                .te(format!("{due} ఆస్తి పన్ను బకాయి ఉంది; కుళాయి కనెక్షన్‌కు ముందు చెల్లించండి."))
                .hi(format!("{due} संपत्ति कर बकाया है; नल कनेक्शन से पहले इसका भुगतान करें।")),
        );
    }
    if let Some(existing) = property.water_connection {
        reasons.push(
            Text::new(format!("This property already has tap connection {existing}."))
                .te(format!("ఈ ఆస్తికి ఇప్పటికే {existing} కుళాయి కనెక్షన్ ఉంది."))
                .hi(format!("इस संपत्ति पर पहले से नल कनेक्शन {existing} है।")),
        );
    }
    if domestic && pipe == "25mm" {
        reasons.push(
            Text::new("Domestic connections are 15 mm or 20 mm; 25 mm is for non-domestic use.")
                .te("గృహ కనెక్షన్లు 15 మి.మీ. లేదా 20 మి.మీ.; 25 మి.మీ. గృహేతర వినియోగానికి.")
                .hi("घरेलू कनेक्शन 15 या 20 मिमी होते हैं; 25 मिमी गैर-घरेलू उपयोग के लिए है।"),
        );
    }
    if !domestic && property.residential {
        reasons.push(
            Text::new("The property is assessed as residential; a non-domestic connection needs non-residential use.")
                .te("ఆస్తి నివాస వినియోగంగా నమోదైంది; గృహేతర కనెక్షన్‌కు నివాసేతర వినియోగం ఉండాలి.")
                .hi("संपत्ति आवासीय के रूप में दर्ज है; गैर-घरेलू कनेक्शन के लिए गैर-आवासीय उपयोग चाहिए।"),
        );
    }
    if reasons.is_empty() { Decision::Eligible } else { Decision::Ineligible(reasons) }
}

// ---------------------------------------------------------------- sanitation

/// Complaint kinds: `(id, en, te, hi)`.
pub(crate) const COMPLAINTS: &[(&str, &str, &str, &str)] = &[
    ("garbage", "Garbage not collected", "చెత్త సేకరించలేదు", "कचरा नहीं उठा"),
    ("drain", "Drain blocked", "కాలువ మూసుకుపోయింది", "नाली जाम / उफान"),
    ("dead-animal", "Dead animal on road", "రోడ్డుపై చనిపోయిన జంతువు", "सड़क पर मृत पशु"),
    ("dumping", "Open dumping of waste", "బహిరంగంగా చెత్త పారబోత", "खुले में कचरा फेंकना"),
    ("toilet", "Public toilet unclean", "మరుగుదొడ్డి అపరిశుభ్రం", "सार्वजनिक शौचालय गंदा"),
    ("mosquito", "Mosquitoes, need fogging", "దోమలు, ఫాగింగ్ కావాలి", "मच्छर, फॉगिंग चाहिए"),
];

/// A complaint must come from inside a corporation's limits; villages are
/// served by their Gram Panchayat.
pub(crate) fn sanitation(lat: f64, lon: f64) -> Decision {
    if ulbs::serving(lat, lon).is_some() {
        return Decision::Eligible;
    }
    Decision::ineligible(
        Text::new("This place is outside the municipal corporations we serve; please contact your Gram Panchayat.")
            .te("ఈ ప్రాంతం మేము సేవలందించే నగరపాలక సంస్థల పరిధిలో లేదు; మీ గ్రామ పంచాయతీని సంప్రదించండి.")
            .hi("यह स्थान हमारी नगर निगम सीमा से बाहर है; कृपया अपनी ग्राम पंचायत से संपर्क करें।"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(decision: &Decision) -> Vec<String> {
        match decision {
            Decision::Ineligible(reasons) => {
                assert!(reasons.iter().all(|r| r.te.is_some()), "every reason has Telugu");
                reasons.iter().map(|r| r.en.clone()).collect()
            }
            _ => Vec::new(),
        }
    }

    #[test]
    fn register_numbers_are_read_as_typed() {
        assert_eq!(registration("b 2023 vja 4821", "B").as_deref(), Some("B-2023-VJA-04821"));
        assert_eq!(registration("B-2023-VJA-04821", "B").as_deref(), Some("B-2023-VJA-04821"));
        assert_eq!(registration("B-2023-VJA-04821", "D"), None);
        assert_eq!(registration("B-2023-XYZ-04821", "B"), None);
        assert_eq!(registration("B-23-VJA-04821", "B"), None);
        assert_eq!(registration("Test", "B"), None);
        assert_eq!(licence("tl/vja/2024/123", "TL").as_deref(), Some("TL-VJA-2024-00123"));
        assert_eq!(licence("TL-2024-VJA-00123", "TL"), None);
    }

    #[test]
    fn assessments_are_ten_digits_of_a_known_corporation() {
        assert_eq!(assessment("1001 000 006").as_deref(), Some("1001000006"));
        assert_eq!(assessment("9999000006"), None);
        assert_eq!(assessment("100100006"), None);
        assert_eq!(fssai("1001 2345 6789 01").as_deref(), Some("10012345678901"));
        assert_eq!(fssai("12345"), None);
    }

    #[test]
    fn rupees_keep_paise_and_indian_grouping() {
        assert_eq!(rupees(0), "₹0.00");
        assert_eq!(rupees(1_414_800), "₹14,148.00");
        assert_eq!(rupees(12_345_678_905), "₹12,34,56,789.05");
    }

    #[test]
    fn the_upi_link_carries_payee_amount_reference_and_note() {
        let link = upi_intent(
            "vmc.propertytax@mitrasim",
            "Vijayawada Municipal Corporation",
            1_414_805,
            "PT10010000062026H2",
            "Property tax 1001000006",
        );
        assert_eq!(
            link,
            "upi://pay?pa=vmc.propertytax@mitrasim&pn=Vijayawada%20Municipal%20Corporation&am=14148.05\
             &tr=PT10010000062026H2&tn=Property%20tax%201001000006&cu=INR"
        );
    }

    #[test]
    fn licences_end_with_the_financial_year() {
        assert_eq!(financial_year_end(2026, 11), 2027);
        assert_eq!(financial_year_end(2027, 3), 2027);
        assert_eq!(financial_year_end(2027, 4), 2028);
        assert_eq!(display_date("2027-03-31"), "31-03-2027");
    }

    #[test]
    fn licence_fees_follow_the_schedule_with_a_floor() {
        assert_eq!(trade_licence_fee("eatery", 400), 1_600 * 100);
        assert_eq!(trade_licence_fee("tailoring", 120), MIN_LICENCE_FEE * 100);
        assert_eq!(prerequisite("bakery"), Some("fssai"));
        assert_eq!(prerequisite("hazardous"), Some("fire-noc"));
        assert_eq!(prerequisite("salon"), None);
    }

    fn existing(status: &'static str, days_left: i64) -> Existing<'static> {
        Existing {
            status,
            remarks: Some(("sanitation violations", "పారిశుధ్య ఉల్లంఘనలు")),
            valid_until: "2027-03-31",
            days_left,
        }
    }

    #[test]
    fn renewal_depends_on_status_and_the_window() {
        assert_eq!(renewal(&existing("active", 30)), Decision::Eligible);
        assert_eq!(renewal(&existing("active", -200)), Decision::Eligible);
        assert!(reasons(&renewal(&existing("active", 129)))[0].contains("31-03-2027"));
        assert!(reasons(&renewal(&existing("suspended", 10)))[0].contains("sanitation violations"));
        assert!(reasons(&renewal(&existing("cancelled", 10)))[0].contains("new licence"));
    }

    #[test]
    fn a_tap_needs_taxes_paid_and_no_connection_yet() {
        let clear = Property { total_due_paise: 0, water_connection: None, residential: true };
        assert_eq!(tap_connection(&clear, true, "15mm"), Decision::Eligible);
        let owing = Property { total_due_paise: 1_414_800, water_connection: Some("WC-VJA-000001"), residential: true };
        let why = reasons(&tap_connection(&owing, true, "15mm"));
        assert_eq!(why.len(), 2);
        assert!(why[0].contains("₹14,148.00") && why[1].contains("WC-VJA-000001"), "{why:?}");
        assert_eq!(reasons(&tap_connection(&clear, true, "25mm")).len(), 1);
        assert_eq!(reasons(&tap_connection(&clear, false, "25mm")).len(), 1);
        let shop = Property { residential: false, ..clear };
        assert_eq!(tap_connection(&shop, false, "25mm"), Decision::Eligible);
    }

    #[test]
    fn complaints_outside_the_corporations_are_sent_to_the_panchayat() {
        assert_eq!(sanitation(16.5062, 80.648), Decision::Eligible);
        assert!(reasons(&sanitation(14.68, 77.60))[0].contains("Gram Panchayat"));
    }
}
