//! The simulated Tourism & Culture systems: APTDC's seat bookings for its
//! tours (Araku, Papikondalu, Bhavani Island boats), Haritha hotel room
//! bookings, the timings and tickets of heritage sites, and the Culture
//! department's artists' pensions.
//!
//! Example keys (always registered):
//! - `haritha`: `HRT25004512` (confirmed: status and voucher), `HRT25004519`
//!   (cancelled, refund on its way);
//! - `sites`: every site of the table (`lepakshi`, `belum-caves`, …): a site's
//!   timings are reference data and never missing;
//! - `artist-pensions`: `KP2100456` (active, paid), `KP2200463` (on hold for
//!   the life certificate).
//!
//! `POST /bookings` takes `{package, date, name}` (`araku`, `papikondalu`,
//! `bhavani`): Papikondalu cruises stop in the Godavari flood months, July to
//! September (`available` false with the reason); others are booked.

use axum::Router;
use serde_json::{Value, json};

use crate::registers::records::{Words, coded_words, join, month_start, short_month};
use crate::registers::{self, Register, Rng, prefixed};
use crate::seed::calendar::{civil_from_days, iso, parse_date, today};
use crate::seed::{self, DISTRICTS};

/// The registers this department keeps.
pub static REGISTERS: &[Register] = &[
    Register { name: "bookings", key: |_| None, examples: &[], make: |_, _| None, submit: Some(book_tour) },
    Register {
        name: "haritha",
        key: |t| prefixed(t, "HRT", 8),
        examples: &["HRT25004512", "HRT25004519"],
        make: room_booking,
        submit: None,
    },
    Register {
        name: "sites",
        key: |t| {
            Some(t.trim().to_ascii_lowercase())
                .filter(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
        },
        examples: &[
            "lepakshi",
            "belum-caves",
            "borra-caves",
            "undavalli-caves",
            "gandikota",
            "amaravati-museum",
            "kondapalli-fort",
            "chandragiri-fort",
        ],
        make: site,
        submit: None,
    },
    Register {
        name: "artist-pensions",
        key: |t| prefixed(t, "KP", 7),
        examples: &["KP2100456", "KP2200463"],
        make: artist_pension,
        submit: None,
    },
];

/// The department's system.
pub fn router() -> Router {
    registers::router(REGISTERS)
}

/// A tour: id, name, in Telugu, where and when to report, in Telugu.
type Tour = (&'static str, &'static str, &'static str, &'static str, &'static str);

const TOURS: &[Tour] = &[
    (
        "araku",
        "Araku Valley rail-road tour",
        "అరకు లోయ రైలు-రోడ్డు టూర్",
        "Visakhapatnam railway station, 6:30 AM",
        "విశాఖపట్నం రైల్వే స్టేషన్, ఉదయం 6:30",
    ),
    (
        "papikondalu",
        "Papikondalu Godavari cruise",
        "పాపికొండలు గోదావరి విహారం",
        "Gandi Pochamma boat point (bus from Rajamahendravaram at 6:00 AM), 7:30 AM",
        "గండి పోచమ్మ బోటు పాయింట్ (రాజమహేంద్రవరం నుండి ఉదయం 6:00కి బస్సు), ఉదయం 7:30",
    ),
    (
        "bhavani",
        "Bhavani Island boat ride",
        "భవానీ ద్వీపం బోటు విహారం",
        "Punnami Ghat, Vijayawada, boats every 30 minutes from 9:30 AM",
        "పున్నమి ఘాట్, విజయవాడ, ఉదయం 9:30 నుండి ప్రతి 30 నిమిషాలకు బోటు",
    ),
];

fn book_tour(body: &Value, rng: &mut Rng) -> Result<Value, String> {
    let id = body["package"].as_str().ok_or("package is required")?;
    let (id, name, name_te, report, report_te) = *TOURS.iter().find(|t| t.0 == id).ok_or("no such package")?;
    let date = body["date"].as_str().and_then(parse_date).ok_or("date (YYYY-MM-DD) is required")?;
    let (_, month, _) = civil_from_days(date);
    let flood = id == "papikondalu" && (7..=9).contains(&month);
    Ok(json!({
        "available": date >= today() && !flood,
        "reason": if flood { "Papikondalu cruises stop from July to September while the Godavari is in flood." } else { "Tours are booked for future dates only." },
        "reason_te": if flood { "గోదావరి వరదల వల్ల జూలై నుండి సెప్టెంబర్ వరకు పాపికొండలు విహారం ఉండదు." } else { "రాబోయే తేదీలకే బుకింగ్." },
        "reason_hi": if flood { "गोदावरी में बाढ़ के कारण जुलाई से सितंबर तक पापिकोंडलु क्रूज़ बंद रहता है।" } else { "बुकिंग केवल आगे की तिथियों के लिए।" },
        "booking_no": format!("APTDC{}{:07}", id[..2].to_ascii_uppercase(), rng.below(10_000_000)),
        "package": name, "package_te": name_te, "date": iso(date),
        "report": report, "report_te": report_te,
        "seat": format!("{}{}", rng.pick(&["A", "B", "C", "D"]), rng.between(1, 12)),
    }))
}

const ROOM_STATUS: &[Words] = &[
    ("confirmed", "Confirmed", "నిర్ధారించారు", "पुष्ट"),
    ("confirmed", "Confirmed", "నిర్ధారించారు", "पुष्ट"),
    ("completed", "Stay completed", "బస పూర్తయింది", "ठहराव पूरा"),
    ("cancelled", "Cancelled – refund initiated", "రద్దు – రీఫండ్ ప్రారంభించారు", "रद्द – रिफंड शुरू"),
];
/// (Hotel, in Telugu, tariff a night).
const HOTELS: &[(&str, &str, u64)] = &[
    ("Haritha Hill Resort, Araku", "హరిత హిల్ రిసార్ట్, అరకు", 3_200),
    ("Haritha Beach Resort, Rushikonda", "హరిత బీచ్ రిసార్ట్, రుషికొండ", 4_500),
    ("Haritha Hotel, Srisailam", "హరిత హోటల్, శ్రీశైలం", 2_400),
    ("Haritha Berm Park, Vijayawada", "హరిత బెర్మ్ పార్క్, విజయవాడ", 3_000),
    ("Haritha Resort, Gandikota", "హరిత రిసార్ట్, గండికోట", 2_800),
];

fn room_booking(key: &str, rng: &mut Rng) -> Option<Value> {
    let at = rng.below(ROOM_STATUS.len() as u64) as usize;
    let (hotel, hotel_te, tariff) = *rng.pick(HOTELS);
    let check_in = if at == 2 { today() - rng.between(3, 60) as i64 } else { today() + rng.between(2, 45) as i64 };
    let nights = rng.between(1, 3);
    let rooms = rng.between(1, 2);
    let amount = tariff * nights * rooms * 112 / 100;
    let (guest, guest_te) = seed::person(rng);
    Some(join([
        coded_words("status", &ROOM_STATUS[at]),
        json!({
            "booking_id": key, "guest": guest, "guest_te": guest_te, "hotel": hotel, "hotel_te": hotel_te,
            "room_type": rng.pick(&["AC Deluxe", "AC Cottage", "Suite"]),
            "check_in": iso(check_in), "check_out": iso(check_in + nights as i64),
            "nights": nights, "rooms": rooms, "amount": amount,
            "refund": if at == 3 { amount * 75 / 100 } else { 0 },
        }),
    ]))
}

/// A heritage site's record.
struct Site {
    id: &'static str,
    name: &'static str,
    name_te: &'static str,
    district: &'static str,
    hours: &'static str,
    /// The weekday it is closed, in English, Telugu and Hindi (`""`: open daily).
    closed: [&'static str; 3],
    adult: u64,
    child: u64,
    camera: u64,
    reach: &'static str,
}

const SITES: &[Site] = &[
    Site {
        id: "lepakshi",
        name: "Veerabhadra Temple, Lepakshi",
        name_te: "వీరభద్ర ఆలయం, లేపాక్షి",
        district: "Sri Sathya Sai",
        hours: "6:00 AM – 6:00 PM",
        closed: ["", "", ""],
        adult: 0,
        child: 0,
        camera: 0,
        reach: "15 km from Hindupur; 120 km from Bengaluru airport",
    },
    Site {
        id: "belum-caves",
        name: "Belum Caves",
        name_te: "బెలుం గుహలు",
        district: "Nandyal",
        hours: "10:00 AM – 5:00 PM",
        closed: ["", "", ""],
        adult: 65,
        child: 45,
        camera: 25,
        reach: "Kolimigundla mandal, 30 km from Tadipatri railway station",
    },
    Site {
        id: "borra-caves",
        name: "Borra Caves",
        name_te: "బొర్రా గుహలు",
        district: "Alluri Sitharama Raju",
        hours: "10:00 AM – 5:00 PM",
        closed: ["", "", ""],
        adult: 80,
        child: 60,
        camera: 100,
        reach: "90 km from Visakhapatnam on the Araku road; Borra Guhalu station",
    },
    Site {
        id: "undavalli-caves",
        name: "Undavalli Caves",
        name_te: "ఉండవల్లి గుహలు",
        district: "Guntur",
        hours: "9:00 AM – 5:30 PM",
        closed: ["", "", ""],
        adult: 25,
        child: 0,
        camera: 0,
        reach: "6 km from Vijayawada across the Prakasam Barrage",
    },
    Site {
        id: "gandikota",
        name: "Gandikota Fort",
        name_te: "గండికోట",
        district: "YSR Kadapa",
        hours: "6:00 AM – 6:00 PM",
        closed: ["", "", ""],
        adult: 0,
        child: 0,
        camera: 0,
        reach: "15 km from Jammalamadugu; APTDC Haritha resort at the fort",
    },
    Site {
        id: "amaravati-museum",
        name: "Amaravati Archaeological Museum",
        name_te: "అమరావతి పురావస్తు ప్రదర్శనశాల",
        district: "Palnadu",
        hours: "9:00 AM – 5:00 PM",
        closed: ["Friday", "శుక్రవారం", "शुक्रवार"],
        adult: 5,
        child: 0,
        camera: 0,
        reach: "35 km from Guntur, beside the Amareswara temple",
    },
    Site {
        id: "kondapalli-fort",
        name: "Kondapalli Fort",
        name_te: "కొండపల్లి కోట",
        district: "NTR",
        hours: "10:00 AM – 5:00 PM",
        closed: ["Monday", "సోమవారం", "सोमवार"],
        adult: 20,
        child: 10,
        camera: 25,
        reach: "20 km from Vijayawada; ghat road from Kondapalli village",
    },
    Site {
        id: "chandragiri-fort",
        name: "Chandragiri Fort (Raja Mahal)",
        name_te: "చంద్రగిరి కోట (రాజ మహల్)",
        district: "Tirupati",
        hours: "10:00 AM – 5:00 PM; sound and light show 7:00 PM",
        closed: ["Friday", "శుక్రవారం", "शुक्रवार"],
        adult: 25,
        child: 0,
        camera: 0,
        reach: "12 km from Tirupati on the Chennai road",
    },
];

fn site(key: &str, _rng: &mut Rng) -> Option<Value> {
    let s = SITES.iter().find(|s| s.id == key)?;
    Some(json!({
        "site": s.name, "site_te": s.name_te, "district": s.district, "hours": s.hours,
        "closed_on": s.closed[0], "closed_on_te": s.closed[1], "closed_on_hi": s.closed[2],
        "ticket_adult": s.adult, "ticket_child": s.child, "camera": s.camera, "reach": s.reach,
    }))
}

const PENSION_STATUS: &[Words] = &[
    ("active", "Active", "యాక్టివ్", "सक्रिय"),
    ("active", "Active", "యాక్టివ్", "सक्रिय"),
    ("active", "Active", "యాక్టివ్", "सक्रिय"),
    ("held", "On hold – life certificate due", "నిలిపివేశారు – జీవన ధృవీకరణ పత్రం ఇవ్వాలి", "रोकी गई – जीवन प्रमाण पत्र बाकी"),
];
const ART_FORMS: &[(&str, &str)] = &[
    ("Burrakatha", "బుర్రకథ"),
    ("Harikatha", "హరికథ"),
    ("Kuchipudi", "కూచిపూడి"),
    ("Tholu Bommalata (leather puppetry)", "తోలుబొమ్మలాట"),
    ("Surabhi theatre", "సురభి నాటకం"),
    ("Nadaswaram", "నాదస్వరం"),
    ("Kolatam", "కోలాటం"),
];
/// The monthly pension of an artist, rupees.
const ARTIST_PENSION: u64 = 3_000;

fn artist_pension(key: &str, rng: &mut Rng) -> Option<Value> {
    let at = rng.below(PENSION_STATUS.len() as u64) as usize;
    let (art, art_te) = *rng.pick(ART_FORMS);
    let district = rng.pick(DISTRICTS);
    let (name, name_te) = seed::person(rng);
    // Paid on the 1st: last month's (or, when on hold, some months back).
    let back = if at == 3 { rng.between(2, 5) as i64 } else { 1 };
    Some(join([
        coded_words("status", &PENSION_STATUS[at]),
        json!({
            "pension_id": key, "name": name, "name_te": name_te, "art_form": art, "art_form_te": art_te,
            "district": district.name, "district_te": district.name_te,
            "monthly": ARTIST_PENSION,
            "sanctioned_on": iso(today() - rng.between(300, 3_000) as i64),
            "last_paid_month": short_month(month_start(back)),
            "last_paid_on": iso(month_start(back - 1)),
        }),
    ]))
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;
    use crate::registers::testing::{examples_serve_the_definitions, found, get, post, posted, refused};

    #[test]
    fn every_example_carries_what_the_definitions_read() {
        examples_serve_the_definitions("tourism", REGISTERS, "12-AB");
        let sites = REGISTERS.iter().find(|r| r.name == "sites").unwrap();
        assert_eq!(sites.examples.len(), SITES.len(), "every site is an example");
        let (y, _, _) = civil_from_days(today());
        let december = iso(crate::seed::calendar::days_from_civil(y + 1, 12, 10));
        let body = json!({"package": "papikondalu", "date": december, "name": "Ravi"});
        assert_eq!(posted("tourism", REGISTERS, "bookings", body)["available"], true);
    }

    #[test]
    fn the_examples_take_the_happy_path() {
        assert_eq!(found(REGISTERS, "haritha", "hrt 25004512")["status_code"], "confirmed");
        assert_eq!(found(REGISTERS, "artist-pensions", "KP2100456")["status_code"], "active");
    }

    #[tokio::test]
    async fn malformed_keys_are_refused_and_the_godavari_floods_stop_cruises() {
        refused(REGISTERS, &[("haritha", "HRT2500"), ("artist-pensions", "KP21004567"), ("sites", "Lepakshi 1")]);
        assert_eq!(get(router(), "/sites/taj-mahal").await.0, StatusCode::NOT_FOUND);
        let (y, _, _) = civil_from_days(today());
        let august = crate::seed::calendar::days_from_civil(y + 1, 8, 10);
        let december = crate::seed::calendar::days_from_civil(y + 1, 12, 10);
        for (date, open) in [(august, false), (december, true)] {
            let body = json!({"package": "papikondalu", "date": iso(date), "name": "Ravi"});
            let (status, booking) = post(router(), "/bookings", &body.to_string()).await;
            assert_eq!((status, booking["available"].as_bool()), (StatusCode::CREATED, Some(open)), "{booking}");
        }
        let (status, booking) =
            post(router(), "/bookings", &json!({"package": "araku", "date": iso(august)}).to_string()).await;
        assert_eq!((status, booking["available"].as_bool()), (StatusCode::CREATED, Some(true)));
        let body = json!({"package": "ooty", "date": iso(august)}).to_string();
        assert_eq!(post(router(), "/bookings", &body).await.0, StatusCode::BAD_REQUEST);
    }
}
