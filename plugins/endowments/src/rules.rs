//! The Endowments department's published catalogue (temples, tickets, sevas,
//! rooms, prasadam) and the rules a booking must meet, as pure functions.
//!
//! The catalogue mirrors the department's fee notification; the department
//! system stays the authority at booking time and refuses what it no longer
//! offers, so a stale entry here costs a refusal, never a wrong charge.

use mitra_sdk::validate;
use mitra_sdk::{Decision, Text};
use time::Date;

/// Bookings open this many days ahead, as on the department's portal.
pub(crate) const BOOKING_WINDOW_DAYS: i64 = 30;
/// Devotees on one darshan ticket.
pub(crate) const MAX_PERSONS: u32 = 6;
/// Choultry rooms are let for at most two nights so pilgrims rotate.
pub(crate) const MAX_NIGHTS: u32 = 2;
pub(crate) const MAX_POSTED_PACKETS: u32 = 10;
pub(crate) const MAX_COUNTER_PACKETS: u32 = 25;
/// The largest e-Hundi donation taken over chat.
pub(crate) const MAX_DONATION_RUPEES: u64 = 1_000_000;
/// From this amount the department needs the donor's PAN for its Form 10BD return.
pub(crate) const PAN_REQUIRED_FROM_RUPEES: u64 = 50_000;

/// A name in the three languages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Name {
    pub(crate) en: &'static str,
    pub(crate) te: &'static str,
    pub(crate) hi: &'static str,
}

impl Name {
    pub(crate) fn text(self) -> Text {
        Text::new(self.en).te(self.te).hi(self.hi)
    }
}

const fn name(en: &'static str, te: &'static str, hi: &'static str) -> Name {
    Name { en, te, hi }
}

/// (id, name) of each AP Endowments temple served over chat.
pub(crate) const TEMPLES: &[(&str, Name)] = &[
    ("srisailam", name("Srisailam", "శ్రీశైలం", "श्रीशैलम")),
    ("kanaka-durga", name("Kanaka Durga, Vijayawada", "కనకదుర్గ, విజయవాడ", "कनक दुर्गा, विजयवाड़ा")),
    ("simhachalam", name("Simhachalam", "సింహాచలం", "सिंहाचलम")),
    ("annavaram", name("Annavaram", "అన్నవరం", "अन्नवरम")),
    ("srikalahasti", name("Srikalahasti", "శ్రీకాళహస్తి", "श्रीकालहस्ती")),
    ("dwaraka-tirumala", name("Dwaraka Tirumala", "ద్వారకా తిరుమల", "द्वारका तिरुमला")),
];

pub(crate) fn temple(id: &str) -> Option<Name> {
    TEMPLES.iter().find(|(t, _)| *t == id).map(|(_, n)| *n)
}

/// A darshan ticket: id, label (with the fee per person), and the one temple offering it (if only one).
pub(crate) struct Darshan {
    pub(crate) id: &'static str,
    pub(crate) label: Name,
    pub(crate) only_at: Option<&'static str>,
}

pub(crate) const DARSHAN: &[Darshan] = &[
    Darshan {
        id: "sarva", label: name("Sarva (free)", "సర్వ దర్శనం (ఉచితం)", "सर्व दर्शन (निःशुल्क)"), only_at: None
    },
    Darshan {
        id: "seeghra", label: name("Seeghra ₹150", "శీఘ్ర దర్శనం ₹150", "शीघ्र दर्शन ₹150"), only_at: None
    },
    Darshan {
        id: "athi-seeghra",
        label: name("Athi seeghra ₹300", "అతి శీఘ్ర దర్శనం ₹300", "अति शीघ्र दर्शन ₹300"),
        only_at: None,
    },
    // Touching the jyotirlinga is allowed only at Srisailam.
    Darshan {
        id: "sparsha",
        label: name("Sparsha ₹500 (Srisailam)", "స్పర్శ దర్శనం ₹500", "स्पर्श दर्शन ₹500"),
        only_at: Some("srisailam"),
    },
];

pub(crate) const SLOTS: &[(&str, Name)] = &[
    ("morning", name("Morning 6–9 am", "ఉదయం 6–9", "सुबह 6–9")),
    ("forenoon", name("Forenoon 9 am–12 noon", "ఉదయం 9–12", "सुबह 9–12")),
    ("afternoon", name("Afternoon 2–5 pm", "మధ్యాహ్నం 2–5", "दोपहर 2–5")),
    ("evening", name("Evening 5–8 pm", "సాయంత్రం 5–8", "शाम 5–8")),
];

/// Sevas as the citizen chooses them.
pub(crate) const SEVAS: &[(&str, Name)] = &[
    ("abhishekam", name("Rudrabhishekam", "రుద్రాభిషేకం", "रुद्राभिषेक")),
    ("kalyanam", name("Kalyanam", "కల్యాణం", "कल्याणम")),
    ("kumkumarchana", name("Kumkumarchana", "కుంకుమార్చన", "कुमकुमार्चना")),
    ("vratham", name("Satyanarayana Vratham", "సత్యనారాయణ వ్రతం", "सत्यनारायण व्रत")),
    ("rahu-ketu", name("Rahu-Ketu puja", "రాహు-కేతు పూజ", "राहु-केतु पूजा")),
    ("homam", name("Chandi Homam", "చండీ హోమం", "चंडी होम")),
    ("suprabhatam", name("Suprabhata Seva", "సుప్రభాత సేవ", "सुप्रभात सेवा")),
];

/// Where each seva is performed: (temple, seva, fee in rupees, reporting time).
/// A ticket admits the performer and spouse.
pub(crate) const SEVA_FEES: &[(&str, &str, u64, &str)] = &[
    ("srisailam", "abhishekam", 1500, "06:30"),
    ("srisailam", "kumkumarchana", 500, "07:00"),
    ("srisailam", "kalyanam", 1000, "10:00"),
    ("kanaka-durga", "kumkumarchana", 500, "06:00"),
    ("kanaka-durga", "kalyanam", 1000, "10:00"),
    ("kanaka-durga", "homam", 1500, "09:00"),
    ("simhachalam", "kalyanam", 1000, "09:30"),
    ("simhachalam", "suprabhatam", 200, "04:30"),
    ("annavaram", "vratham", 300, "06:00"),
    ("annavaram", "kalyanam", 1000, "09:30"),
    ("srikalahasti", "rahu-ketu", 500, "06:00"),
    ("srikalahasti", "abhishekam", 600, "06:00"),
    ("dwaraka-tirumala", "kalyanam", 1000, "10:00"),
    ("dwaraka-tirumala", "suprabhatam", 200, "05:00"),
];

pub(crate) fn seva(id: &str) -> Option<Name> {
    SEVAS.iter().find(|(s, _)| *s == id).map(|(_, n)| *n)
}

pub(crate) fn seva_fee(temple: &str, seva: &str) -> Option<(u64, &'static str)> {
    SEVA_FEES.iter().find(|s| s.0 == temple && s.1 == seva).map(|s| (s.2, s.3))
}

/// Choultry rooms: (id, label, rupees per night, guests).
pub(crate) const ROOMS: &[(&str, Name, u64, u32)] = &[
    ("non-ac", name("Non-AC ₹300/night", "నాన్-ఏసీ ₹300/రాత్రి", "नॉन-एसी ₹300/रात"), 300, 4),
    ("ac", name("AC ₹1000/night", "ఏసీ ₹1000/రాత్రి", "एसी ₹1000/रात"), 1000, 4),
    ("cottage", name("Cottage ₹2000/night", "కాటేజీ ₹2000/రాత్రి", "कॉटेज ₹2000/रात"), 2000, 6),
];

/// Prasadam: (id, label with the price per packet, the one temple making it). A
/// laddu packet is 100 g, pulihora 200 g, Annavaram's wheat prasadam 150 g.
pub(crate) const PRASADAM: &[(&str, Name, Option<&str>)] = &[
    ("laddu", name("Laddu ₹30", "లడ్డూ ₹30", "लड्डू ₹30"), None),
    ("pulihora", name("Pulihora ₹15", "పులిహోర ₹15", "पुलिहोरा ₹15"), None),
    ("annavaram-prasadam", name("Annavaram prasad ₹20", "అన్నవరం ప్రసాదం ₹20", "अन्नवरम प्रसाद ₹20"), Some("annavaram")),
];

/// e-Hundi schemes.
pub(crate) const PURPOSES: &[(&str, Name)] = &[
    ("annadanam", name("Nitya Annadanam", "నిత్య అన్నదానం", "नित्य अन्नदान")),
    ("gosamrakshana", name("Go Samrakshana", "గో సంరక్షణ", "गो संरक्षण")),
    ("renovation", name("Temple renovation", "ఆలయ జీర్ణోద్ధరణ", "मंदिर जीर्णोद्धार")),
    ("general", name("General (e-Hundi)", "సాధారణ (ఇ-హుండీ)", "सामान्य (ई-हुंडी)")),
];

fn lookup(table: &[(&'static str, Name)], id: &str) -> Option<Name> {
    table.iter().find(|(x, _)| *x == id).map(|(_, n)| *n)
}

pub(crate) fn purpose(id: &str) -> Option<Name> {
    lookup(PURPOSES, id)
}

pub(crate) fn slot(id: &str) -> Option<Name> {
    lookup(SLOTS, id)
}

/// Why a booking date is refused, if it is.
pub(crate) fn date_reason(date: Date, today: Date) -> Option<Text> {
    let last = today + time::Duration::days(BOOKING_WINDOW_DAYS);
    if date < today {
        return Some(
            Text::new("The date has passed; choose today or a later date.")
                .te("ఆ తేదీ గడిచిపోయింది; ఈ రోజు లేదా తర్వాతి తేదీ ఎంచుకోండి.")
                .hi("यह तारीख बीत चुकी है; आज या आगे की तारीख चुनें।"),
        );
    }
    if date > last {
        let last = validate::display_date(last);
        return Some(
            Text::new(format!("Bookings open {BOOKING_WINDOW_DAYS} days ahead; choose a date up to {last}."))
                .te(format!("బుకింగ్‌లు {BOOKING_WINDOW_DAYS} రోజుల ముందు నుంచే; {last} లోపు తేదీ ఎంచుకోండి."))
                .hi(format!("बुकिंग {BOOKING_WINDOW_DAYS} दिन पहले से खुलती है; {last} तक की तारीख चुनें।")),
        );
    }
    None
}

fn not_offered(what: Name, temple: Name) -> Text {
    Text::new(format!("{} is not offered at {}.", what.en, temple.en))
        .te(format!("{}లో {} అందుబాటులో లేదు.", temple.te, what.te))
        .hi(format!("{} में {} उपलब्ध नहीं है।", temple.hi, what.hi))
}

fn unknown_temple(id: &str) -> Text {
    Text::new(format!("{id} is not an Endowments temple served here."))
        .te(format!("{id} ఇక్కడ అందుబాటులో ఉన్న దేవాదాయ ఆలయం కాదు."))
        .hi(format!("{id} यहाँ उपलब्ध देवस्थान मंदिर नहीं है।"))
}

fn decide(reasons: Vec<Text>) -> Decision {
    if reasons.is_empty() { Decision::Eligible } else { Decision::Ineligible(reasons) }
}

/// A darshan ticket: the ticket must be offered at the temple, the group
/// small enough for one ticket and the date inside the booking window.
pub(crate) fn darshan(temple_id: &str, kind: &str, persons: u32, date: Date, today: Date) -> Decision {
    let Some(t) = temple(temple_id) else { return decide(vec![unknown_temple(temple_id)]) };
    let mut reasons = Vec::new();
    match DARSHAN.iter().find(|d| d.id == kind) {
        Some(d) if d.only_at.is_some_and(|only| only != temple_id) => reasons.push(not_offered(d.label, t)),
        Some(_) => {}
        None => reasons.push(Text::new(format!("There is no darshan ticket {kind:?}."))),
    }
    if !(1..=MAX_PERSONS).contains(&persons) {
        reasons.push(
            Text::new(format!("One ticket admits 1 to {MAX_PERSONS} devotees; book larger groups separately."))
                .te(format!("ఒక టికెట్‌పై 1 నుంచి {MAX_PERSONS} మంది; ఎక్కువ మంది ఉంటే వేరుగా బుక్ చేయండి."))
                .hi(format!("एक टिकट पर 1 से {MAX_PERSONS} श्रद्धालु; बड़े समूह अलग से बुक करें।")),
        );
    }
    reasons.extend(date_reason(date, today));
    decide(reasons)
}

/// A seva: performed at that temple, on a day inside the window.
pub(crate) fn seva_booking(temple_id: &str, seva_id: &str, date: Date, today: Date) -> Decision {
    let Some(t) = temple(temple_id) else { return decide(vec![unknown_temple(temple_id)]) };
    let mut reasons = Vec::new();
    if seva_fee(temple_id, seva_id).is_none() {
        let what = seva(seva_id).unwrap_or(name("This seva", "ఈ సేవ", "यह सेवा"));
        let offered: Vec<&str> =
            SEVA_FEES.iter().filter(|s| s.0 == temple_id).filter_map(|s| seva(s.1)).map(|n| n.en).collect();
        let mut reason = not_offered(what, t);
        reason.en = format!("{} Sevas there: {}.", reason.en, offered.join(", "));
        reasons.push(reason);
    }
    reasons.extend(date_reason(date, today));
    decide(reasons)
}

/// A choultry room: 1–2 nights, no more guests than the room takes.
pub(crate) fn room(room_id: &str, nights: u32, guests: u32, check_in: Date, today: Date) -> Decision {
    let mut reasons = Vec::new();
    match ROOMS.iter().find(|r| r.0 == room_id) {
        Some(&(_, label, _, max)) if guests > max || guests == 0 => reasons.push(
            Text::new(format!("A {} room takes 1 to {max} guests.", label.en.split(' ').next().unwrap_or(label.en)))
                .te(format!("ఈ గదిలో 1 నుంచి {max} మంది మాత్రమే ఉండవచ్చు."))
                .hi(format!("इस कमरे में 1 से {max} अतिथि ही रह सकते हैं।")),
        ),
        Some(_) => {}
        None => reasons.push(Text::new(format!("There is no room type {room_id:?}."))),
    }
    if !(1..=MAX_NIGHTS).contains(&nights) {
        reasons.push(
            Text::new(format!("Rooms are let for 1 to {MAX_NIGHTS} nights so every pilgrim gets a turn."))
                .te(format!("అందరికీ అవకాశం కోసం గదులు 1 నుంచి {MAX_NIGHTS} రాత్రులకే ఇస్తారు."))
                .hi(format!("सभी को अवसर मिले, इसलिए कमरे 1 से {MAX_NIGHTS} रात के लिए ही मिलते हैं।")),
        );
    }
    reasons.extend(date_reason(check_in, today));
    decide(reasons)
}

/// How prasadam reaches the devotee.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delivery {
    Counter,
    Post,
}

/// A prasadam order. Postal orders need a PIN code; counter orders a
/// collection date (asked again when missing).
pub(crate) fn prasadam(
    temple_id: &str,
    item: &str,
    packets: u32,
    delivery: Delivery,
    collect_on: Option<Date>,
    has_pincode: bool,
    today: Date,
) -> Decision {
    match delivery {
        Delivery::Post if !has_pincode => return Decision::NeedsMore(vec!["pincode".into()]),
        Delivery::Counter if collect_on.is_none() => return Decision::NeedsMore(vec!["date".into()]),
        _ => {}
    }
    let Some(t) = temple(temple_id) else { return decide(vec![unknown_temple(temple_id)]) };
    let mut reasons = Vec::new();
    match PRASADAM.iter().find(|p| p.0 == item) {
        Some(&(_, label, Some(only))) if only != temple_id => reasons.push(not_offered(label, t)),
        Some(_) => {}
        None => reasons.push(Text::new(format!("There is no prasadam {item:?}."))),
    }
    let max = if delivery == Delivery::Post { MAX_POSTED_PACKETS } else { MAX_COUNTER_PACKETS };
    if !(1..=max).contains(&packets) {
        let how = if delivery == Delivery::Post {
            ("by post", "పోస్టులో", "डाक से")
        } else {
            ("at the counter", "కౌంటర్‌లో", "काउंटर पर")
        };
        reasons.push(
            Text::new(format!("Order 1 to {max} packets {}.", how.0))
                .te(format!("{} 1 నుంచి {max} ప్యాకెట్లు మాత్రమే.", how.1))
                .hi(format!("{} 1 से {max} पैकेट ही।", how.2)),
        );
    }
    if let (Delivery::Counter, Some(date)) = (delivery, collect_on) {
        reasons.extend(date_reason(date, today));
    }
    decide(reasons)
}

/// A PAN: five letters, four digits, a letter; the fourth letter is the
/// holder's type (P person, C company, H HUF, F firm, A AOP, T trust, B BOI,
/// L local authority, J artificial juridical person, G government).
pub(crate) fn valid_pan(pan: &str) -> bool {
    let b = pan.as_bytes();
    b.len() == 10
        && b[..5].iter().all(u8::is_ascii_uppercase)
        && b[5..9].iter().all(u8::is_ascii_digit)
        && b[9].is_ascii_uppercase()
        && b"PCHFATBLJG".contains(&b[3])
}

/// Upper-cases and strips the spaces people type in a PAN.
pub(crate) fn normalise_pan(pan: &str) -> String {
    pan.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase()
}

/// An e-Hundi donation: within the chat limit; a PAN, when given, must be
/// well formed, and is required from [`PAN_REQUIRED_FROM_RUPEES`].
pub(crate) fn donation(rupees: u64, pan: Option<&str>) -> Decision {
    if let Some(pan) = pan
        && !valid_pan(&normalise_pan(pan))
    {
        return Decision::NeedsMore(vec!["pan".into()]);
    }
    if pan.is_none() && rupees >= PAN_REQUIRED_FROM_RUPEES {
        return Decision::NeedsMore(vec!["pan".into()]);
    }
    if !(1..=MAX_DONATION_RUPEES).contains(&rupees) {
        let max = rupees_text(MAX_DONATION_RUPEES * 100);
        return decide(vec![
            Text::new(format!("e-Hundi takes ₹1 to {max}; larger gifts are received at the temple office."))
                .te(format!("ఇ-హుండీలో ₹1 నుంచి {max} వరకే; అంతకు మించిన విరాళం ఆలయ కార్యాలయంలో ఇవ్వండి."))
                .hi(format!("ई-हुंडी में ₹1 से {max} तक; इससे बड़ा दान मंदिर कार्यालय में दें।")),
        ]);
    }
    Decision::Eligible
}

/// A booking id as the department prints it, e.g. `SRS-DAR-100004`.
pub(crate) fn booking_id(input: &str) -> Option<String> {
    let id: String = input.trim().to_ascii_uppercase();
    let parts: Vec<&str> = id.split('-').collect();
    let [temple, kind, seq] = parts.as_slice() else { return None };
    let ok = temple.len() == 3
        && temple.bytes().all(|b| b.is_ascii_uppercase())
        && ["DAR", "SEV", "ACC", "PRS", "DON"].contains(kind)
        && (6..=9).contains(&seq.len())
        && seq.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(id)
}

/// `₹1,23,456` or `₹1,234.50`: Indian digit grouping, paise only when present.
pub(crate) fn rupees_text(paise: u64) -> String {
    let (rupees, rest) = (paise / 100, paise % 100);
    let digits = rupees.to_string();
    let grouped = if digits.len() <= 3 {
        digits
    } else {
        let (head, last3) = digits.split_at(digits.len() - 3);
        let mut groups: Vec<&str> = Vec::new();
        let mut end = head.len();
        while end > 0 {
            let start = end.saturating_sub(2);
            groups.push(&head[start..end]);
            end = start;
        }
        groups.reverse();
        format!("{},{last3}", groups.join(","))
    };
    if rest == 0 { format!("₹{grouped}") } else { format!("₹{grouped}.{rest:02}") }
}

/// A UPI intent link (NPCI linking spec) for `paise` to `vpa`.
pub(crate) fn upi_link(vpa: &str, payee: &str, paise: u64, txn_ref: &str, note: &str) -> String {
    format!(
        "upi://pay?pa={}&pn={}&am={}.{:02}&tr={}&tn={}&cu=INR",
        encode(vpa),
        encode(payee),
        paise / 100,
        paise % 100,
        encode(txn_ref),
        encode(note)
    )
}

/// Percent-encodes everything but RFC 3986's unreserved characters (and `@` in handles).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// An amount in words as receipts print it: "Five Thousand One Hundred Sixteen Rupees Only".
pub(crate) fn rupees_in_words(rupees: u64) -> String {
    const ONES: [&str; 20] = [
        "Zero",
        "One",
        "Two",
        "Three",
        "Four",
        "Five",
        "Six",
        "Seven",
        "Eight",
        "Nine",
        "Ten",
        "Eleven",
        "Twelve",
        "Thirteen",
        "Fourteen",
        "Fifteen",
        "Sixteen",
        "Seventeen",
        "Eighteen",
        "Nineteen",
    ];
    const TENS: [&str; 10] = ["", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"];
    fn below_hundred(n: u64) -> String {
        match n {
            0..=19 => ONES[n as usize].to_owned(),
            _ if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_owned(),
            _ => format!("{} {}", TENS[(n / 10) as usize], ONES[(n % 10) as usize]),
        }
    }
    if rupees == 0 {
        return "Zero Rupees Only".into();
    }
    let mut words = Vec::new();
    let mut n = rupees;
    for (unit, size) in [("Crore", 10_000_000), ("Lakh", 100_000), ("Thousand", 1_000), ("Hundred", 100)] {
        if n >= size {
            let count = n / size;
            let count = if count >= 100 {
                rupees_in_words(count).trim_end_matches(" Rupees Only").to_owned()
            } else {
                below_hundred(count)
            };
            words.push(format!("{count} {unit}"));
            n %= size;
        }
    }
    if n > 0 {
        words.push(below_hundred(n));
    }
    format!("{} Rupees Only", words.join(" "))
}

/// `YYYY-MM-DD` as documents print it (`DD-MM-YYYY`); other text unchanged.
pub(crate) fn display(iso: &str) -> String {
    validate::date(iso).map(validate::display_date).unwrap_or_else(|_| iso.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        validate::date(s).unwrap()
    }

    fn reasons(decision: Decision) -> Vec<Text> {
        match decision {
            Decision::Ineligible(reasons) => reasons,
            other => panic!("expected ineligible, got {other:?}"),
        }
    }

    #[test]
    fn every_label_fits_whatsapp() {
        // Up to three options become reply buttons (20 characters), more a list (24).
        let lists: Vec<Vec<Name>> = vec![
            TEMPLES.iter().map(|t| t.1).collect(),
            SLOTS.iter().map(|t| t.1).collect(),
            SEVAS.iter().map(|t| t.1).collect(),
            PURPOSES.iter().map(|t| t.1).collect(),
            DARSHAN.iter().map(|d| d.label).collect(),
            ROOMS.iter().map(|r| r.1).collect(),
            PRASADAM.iter().map(|p| p.1).collect(),
        ];
        for list in lists {
            let max = if list.len() <= 3 { 20 } else { 24 };
            for n in list {
                for s in [n.en, n.te, n.hi] {
                    assert!(s.chars().count() <= max, "{s:?} is {} characters", s.chars().count());
                }
            }
        }
        // Every seva on the fee list is one a citizen can choose, at a known temple.
        for (t, s, _, _) in SEVA_FEES {
            assert!(temple(t).is_some() && seva(s).is_some(), "{t}/{s}");
        }
    }

    #[test]
    fn darshan_is_booked_up_to_thirty_days_ahead() {
        let today = day("2026-04-10");
        assert_eq!(darshan("srisailam", "seeghra", 4, day("2026-05-10"), today), Decision::Eligible);
        let late = reasons(darshan("srisailam", "seeghra", 4, day("2026-05-11"), today));
        assert!(late[0].en.contains("10-05-2026"), "{:?}", late[0]);
        assert!(late[0].te.as_deref().unwrap().contains("30 రోజుల"));
        assert_eq!(reasons(darshan("annavaram", "sarva", 1, day("2026-04-09"), today)).len(), 1);
    }

    #[test]
    fn sparsha_darshan_is_only_at_srisailam_and_groups_are_capped() {
        let today = day("2026-04-10");
        assert_eq!(darshan("srisailam", "sparsha", 2, today, today), Decision::Eligible);
        let r = reasons(darshan("kanaka-durga", "sparsha", 7, today, today));
        assert_eq!(r.len(), 2);
        assert!(r[0].en.contains("Kanaka Durga") && r[0].te.as_deref().unwrap().contains("కనకదుర్గ"));
        assert!(r[1].en.contains("1 to 6"));
        assert_eq!(reasons(darshan("tirumala", "sarva", 1, today, today)).len(), 1);
    }

    #[test]
    fn sevas_are_booked_only_where_they_are_performed() {
        let today = day("2026-04-10");
        assert_eq!(seva_booking("annavaram", "vratham", today, today), Decision::Eligible);
        assert_eq!(seva_fee("srikalahasti", "rahu-ketu"), Some((500, "06:00")));
        let r = reasons(seva_booking("simhachalam", "vratham", today, today));
        assert!(r[0].en.contains("Simhachalam") && r[0].en.contains("Kalyanam"), "{:?}", r[0]);
        assert!(r[0].te.as_deref().unwrap().contains("సత్యనారాయణ వ్రతం"));
    }

    #[test]
    fn rooms_hold_their_guests_for_at_most_two_nights() {
        let today = day("2026-04-10");
        assert_eq!(room("cottage", 2, 6, today, today), Decision::Eligible);
        let r = reasons(room("ac", 3, 5, today, today));
        assert_eq!(r.len(), 2);
        assert!(r[0].en.contains("1 to 4") && r[1].en.contains("1 to 2 nights"));
    }

    #[test]
    fn prasadam_by_post_needs_a_pincode_and_counter_orders_a_date() {
        let today = day("2026-04-10");
        let post =
            |packets, pin| prasadam("annavaram", "annavaram-prasadam", packets, Delivery::Post, None, pin, today);
        assert_eq!(post(10, true), Decision::Eligible);
        assert_eq!(post(10, false), Decision::NeedsMore(vec!["pincode".into()]));
        assert!(reasons(post(11, true))[0].en.contains("by post"));
        assert_eq!(
            prasadam("srisailam", "laddu", 5, Delivery::Counter, None, false, today),
            Decision::NeedsMore(vec!["date".into()])
        );
        let elsewhere = prasadam("srisailam", "annavaram-prasadam", 5, Delivery::Counter, Some(today), false, today);
        assert!(reasons(elsewhere)[0].en.contains("Srisailam"));
    }

    #[test]
    fn donations_check_the_pan_and_the_limit() {
        assert!(valid_pan("ABCPE1234F"));
        assert!(!valid_pan("ABCXE1234F"), "X is no holder type");
        assert!(!valid_pan("ABCPE12345"));
        assert_eq!(normalise_pan(" abcpe 1234f "), "ABCPE1234F");
        assert_eq!(donation(5116, None), Decision::Eligible);
        assert_eq!(donation(5116, Some("abcpe1234f")), Decision::Eligible);
        assert_eq!(donation(5116, Some("TestTestTest")), Decision::NeedsMore(vec!["pan".into()]));
        assert_eq!(donation(50_000, None), Decision::NeedsMore(vec!["pan".into()]));
        let r = reasons(donation(2_000_000, Some("ABCPE1234F")));
        assert!(r[0].en.contains("₹10,00,000"), "{:?}", r[0]);
    }

    #[test]
    fn booking_ids_are_read_as_printed() {
        assert_eq!(booking_id(" srs-dar-100004 ").as_deref(), Some("SRS-DAR-100004"));
        assert_eq!(booking_id("SRS-XYZ-100004"), None);
        assert_eq!(booking_id("SRS-DAR-12"), None);
        assert_eq!(booking_id("../../etc"), None);
    }

    #[test]
    fn amounts_print_the_indian_way() {
        assert_eq!(rupees_text(0), "₹0");
        assert_eq!(rupees_text(99_900), "₹999");
        assert_eq!(rupees_text(123_456_750), "₹12,34,567.50");
        assert_eq!(rupees_text(1_000_000_000), "₹1,00,00,000");
        assert_eq!(rupees_in_words(5116), "Five Thousand One Hundred Sixteen Rupees Only");
        assert_eq!(rupees_in_words(1_000_000), "Ten Lakh Rupees Only");
        assert_eq!(rupees_in_words(25_000_040), "Two Crore Fifty Lakh Forty Rupees Only");
    }

    #[test]
    fn a_upi_link_encodes_names_and_notes() {
        let link =
            upi_link("srisailamdevasthanam@sbi", "Srisailam Devasthanam", 90_000, "SRS-DAR-100004", "Darshan 12-04");
        assert_eq!(
            link,
            "upi://pay?pa=srisailamdevasthanam@sbi&pn=Srisailam%20Devasthanam&am=900.00&tr=SRS-DAR-100004\
             &tn=Darshan%2012-04&cu=INR"
        );
    }
}
