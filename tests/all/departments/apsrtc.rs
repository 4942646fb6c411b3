//! apsrtc: bus search, booking, ticket status and cancellation, passes,
//! parcels and lost property end to end — the plugin's wasm component in the
//! real runtime, talking to its simulated reservation system over
//! allow-listed HTTP.
//!
//! The simulator seeds four tickets booked with mobile 9876543210:
//! AP25000001 leaves in five days, AP25000002 left yesterday, AP25000003 is
//! cancelled and AP25000004 leaves in about 90 minutes.

use std::sync::Arc;

use mitra::plugin_dev::conformance::{self, Report, Status};
use mitra::runtime::{
    Answer, AnswerValue, Application, DataRecord, Decision, Document, Error, Layout, Plugin, PluginError,
};
use mitra_tests::{department, down_backend, start_backend, with_backend};

use super::ist_date;
use crate::support::{answer, citizen, runtime};

const MOBILE: &str = "9876543210";
/// A valid Aadhaar number (Verhoeff checksum).
const AADHAAR: &str = "499112345677";

async fn apsrtc() -> Arc<Plugin> {
    let manifest = with_backend(department("apsrtc"), start_backend("apsrtc").await);
    tokio::task::spawn_blocking(move || Arc::new(runtime().load(manifest).unwrap())).await.unwrap()
}

/// Runs plugin calls off the async runtime: they block on HTTP to the
/// simulator, which this same runtime serves.
async fn blocking<R: Send + 'static>(plugin: &Arc<Plugin>, f: impl FnOnce(&Plugin) -> R + Send + 'static) -> R {
    let plugin = plugin.clone();
    tokio::task::spawn_blocking(move || f(&plugin)).await.unwrap()
}

fn text(field: &str, value: &str) -> Answer {
    answer(field, AnswerValue::Text(value.into()))
}

fn choice(field: &str, id: &str) -> Answer {
    answer(field, AnswerValue::Choice(id.into()))
}

fn date(field: &str, iso: String) -> Answer {
    answer(field, AnswerValue::Date(iso))
}

fn number(field: &str, n: f64) -> Answer {
    answer(field, AnswerValue::Number(n))
}

fn search(from: &str, to: &str, days: i64) -> Vec<Answer> {
    vec![choice("from", from), choice("to", to), date("date", ist_date(days))]
}

fn booking(service: &str, days: i64, seats: f64) -> Vec<Answer> {
    vec![
        date("date", ist_date(days)),
        text("service", service),
        number("seats", seats),
        text("name", "Suresh Naidu"),
        number("age", 41.0),
        answer("phone", AnswerValue::Phone(MOBILE.into())),
    ]
}

fn pnr_and_phone(pnr: &str, phone: &str) -> Vec<Answer> {
    vec![text("pnr", pnr), answer("phone", AnswerValue::Phone(phone.into()))]
}

fn application(number: &str, service: &str, answers: Vec<Answer>) -> Application {
    Application {
        number: number.into(),
        service_id: service.into(),
        applicant: citizen(),
        answers,
        submitted_at: "2026-11-22T10:00:00+05:30".into(),
    }
}

fn value(record: &DataRecord, label: &str) -> String {
    record
        .fields
        .iter()
        .find(|f| f.label.en == label)
        .unwrap_or_else(|| panic!("no {label} in {record:?}"))
        .value
        .clone()
}

fn printed(doc: &Document, label: &str) -> String {
    doc.fields().find(|f| f.label.en == label).unwrap_or_else(|| panic!("no {label} in {doc:?}")).value.en.clone()
}

fn reasons(decision: Decision) -> Vec<mitra::runtime::Text> {
    match decision {
        Decision::Ineligible(reasons) => {
            assert!(!reasons.is_empty());
            for reason in &reasons {
                assert!(!reason.en.is_empty() && reason.te.as_deref().is_some_and(|te| !te.is_empty()), "{reason:?}");
            }
            reasons
        }
        other => panic!("expected ineligible, got {other:?}"),
    }
}

/// A bookable service on the list with at least `seats` free: its number and the free seats.
fn bookable(list: &DataRecord, seats: u32) -> (String, u32) {
    list.fields
        .iter()
        .filter(|f| !f.label.en.contains('('))
        .find_map(|f| {
            let free: u32 = f.value.split("💺").nth(1)?.parse().ok()?;
            let service = f.label.en.rsplit("· ").next()?.to_owned();
            (free >= seats).then_some((service, free))
        })
        .unwrap_or_else(|| panic!("no bookable service with {seats} seats in {list:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn buses_between_two_towns_come_from_the_reservation_system() {
    let plugin = apsrtc().await;
    let list = blocking(&plugin, |p| p.fetch_data("bus-search", &search("vijayawada", "tirupati", 3)).unwrap()).await;
    assert!(list.summary.en.contains("buses Vijayawada → Tirupati on "), "{}", list.summary.en);
    assert!(list.summary.te.as_deref().unwrap().contains("విజయవాడ → తిరుపతి"));
    assert!((4..=7).contains(&list.fields.len()), "{list:?}");
    for bus in &list.fields {
        // ~415 km: the cheapest Express fare is well over ₹400.
        let fare: u32 = bus.value.trim_start_matches('₹').split(' ').next().unwrap().replace(',', "").parse().unwrap();
        assert!(fare > 400, "{bus:?}");
        assert!(
            ["Express", "Super Luxury", "Indra AC", "Amaravati AC"].iter().any(|c| bus.label.en.contains(c)),
            "{bus:?}"
        );
    }

    let decision = blocking(&plugin, |p| p.check_eligibility("bus-search", &citizen(), &search("guntur", "guntur", 1)))
        .await
        .unwrap();
    assert!(reasons(decision)[0].en.contains("different"));
    let far = blocking(&plugin, |p| p.check_eligibility("bus-search", &citizen(), &search("guntur", "kurnool", 75)))
        .await
        .unwrap();
    assert!(reasons(far)[0].te.as_deref().unwrap().contains("60"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_booked_ticket_takes_seats_once_and_prints_a_receipt() {
    let plugin = apsrtc().await;
    let list =
        blocking(&plugin, |p| p.fetch_data("bus-search", &search("visakhapatnam", "vijayawada", 9)).unwrap()).await;
    let (service, free) = bookable(&list, 2);

    let answers = booking(&service, 9, 2.0);
    let check = answers.clone();
    assert_eq!(
        blocking(&plugin, move |p| p.check_eligibility("book-ticket", &citizen(), &check)).await.unwrap(),
        Decision::Eligible
    );
    let quote_answers = answers.clone();
    let quote = blocking(&plugin, move |p| p.fetch_data("book-ticket", &quote_answers).unwrap()).await;
    assert_eq!(value(&quote, "Seats available"), free.to_string());

    let app = application("APSRTC-2026-000101", "book-ticket", answers.clone());
    let again = app.clone();
    let ticket = blocking(&plugin, move |p| p.render_document("book-ticket", &app).unwrap()).await;
    assert_eq!(ticket.layout, Layout::Receipt);
    assert!(ticket.title.en.contains("Bus Ticket") && ticket.title.en.contains("బస్ టికెట్"));
    let pnr = printed(&ticket, "PNR");
    assert!(pnr.starts_with("AP31"), "{pnr}");
    assert_eq!(printed(&ticket, "Total paid"), value(&quote, "Total"));
    assert_eq!(printed(&ticket, "Mobile"), "XXXXXX3210");
    assert!(printed(&ticket, "From").starts_with("Visakhapatnam / విశాఖపట్నం"));
    assert!(ticket.valid_days.is_some_and(|d| (9..=11).contains(&d)), "{:?}", ticket.valid_days);

    // The same application rendered again is the same booking, not two.
    let reprint = blocking(&plugin, move |p| p.render_document("book-ticket", &again).unwrap()).await;
    assert_eq!(printed(&reprint, "PNR"), pnr);
    let after = blocking(&plugin, move |p| p.fetch_data("book-ticket", &answers).unwrap()).await;
    assert_eq!(value(&after, "Seats available"), (free - 2).to_string());

    let status =
        blocking(&plugin, move |p| p.fetch_data("ticket-status", &[text("pnr", &pnr.to_lowercase())]).unwrap()).await;
    assert!(status.summary.en.contains("Confirmed") && status.summary.en.contains("Visakhapatnam → Vijayawada"));
    assert!(status.summary.te.as_deref().unwrap().contains("ధృవీకరించబడింది"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_village_bus_or_an_unknown_service_cannot_be_booked() {
    let plugin = apsrtc().await;
    let decision =
        blocking(&plugin, |p| p.check_eligibility("book-ticket", &citizen(), &booking("99999", 4, 1.0))).await.unwrap();
    assert!(reasons(decision)[0].en.contains("no APSRTC service 99999"));
    let decision =
        blocking(&plugin, |p| p.check_eligibility("book-ticket", &citizen(), &booking("10 2", 4, 1.0))).await.unwrap();
    assert!(reasons(decision)[0].en.contains("5 digits"));

    // Short routes run Palle Velugu village buses, which are never reserved.
    let village = blocking(&plugin, |p| {
        let short =
            [("guntur", "vijayawada"), ("ongole", "guntur"), ("rajahmundry", "kakinada"), ("kakinada", "rajahmundry")];
        short.iter().find_map(|&(from, to)| {
            let list = p.fetch_data("bus-search", &search(from, to, 4)).unwrap();
            list.fields
                .iter()
                .find(|f| f.label.en.contains("(no reservation)"))
                .map(|f| f.label.en.rsplit("· ").next().unwrap().replace(" (no reservation)", ""))
        })
    })
    .await
    .expect("a short route runs a village bus");
    let decision =
        blocking(&plugin, move |p| p.check_eligibility("book-ticket", &citizen(), &booking(&village, 4, 1.0)))
            .await
            .unwrap();
    assert!(reasons(decision)[0].en.contains("Palle Velugu"));
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelling_refunds_by_the_time_left_and_frees_the_seats() {
    let plugin = apsrtc().await;
    let list = blocking(&plugin, |p| p.fetch_data("bus-search", &search("guntur", "visakhapatnam", 12)).unwrap()).await;
    let (service, free) = bookable(&list, 3);
    let answers = booking(&service, 12, 3.0);
    let app = application("APSRTC-2026-000202", "book-ticket", answers.clone());
    let ticket = blocking(&plugin, move |p| p.render_document("book-ticket", &app).unwrap()).await;
    let pnr = printed(&ticket, "PNR");

    let (wrong, right) = (pnr_and_phone(&pnr, "9000000001"), pnr_and_phone(&pnr, MOBILE));
    let decision = blocking(&plugin, move |p| p.check_eligibility("cancel-ticket", &citizen(), &wrong)).await.unwrap();
    assert!(reasons(decision)[0].en.contains("mobile number"));
    let check = right.clone();
    assert_eq!(
        blocking(&plugin, move |p| p.check_eligibility("cancel-ticket", &citizen(), &check)).await.unwrap(),
        Decision::Eligible
    );

    // Twelve days out: 10% of the fare is kept, the reservation fee is not refunded.
    let quote_answers = right.clone();
    let quote = blocking(&plugin, move |p| p.fetch_data("cancel-ticket", &quote_answers).unwrap()).await;
    assert_eq!(value(&quote, "Deduction"), "10%");
    let app = application("APSRTC-2026-000203", "cancel-ticket", right.clone());
    let receipt = blocking(&plugin, move |p| p.render_document("cancel-ticket", &app).unwrap()).await;
    assert_eq!(receipt.layout, Layout::Receipt);
    assert_eq!(printed(&receipt, "Refund"), value(&quote, "Refund"));
    assert_eq!(printed(&receipt, "PNR"), pnr);

    let again = right.clone();
    let decision = blocking(&plugin, move |p| p.check_eligibility("cancel-ticket", &citizen(), &again)).await.unwrap();
    assert!(reasons(decision)[0].en.contains("already cancelled"));
    let seats = blocking(&plugin, move |p| p.fetch_data("book-ticket", &answers).unwrap()).await;
    assert_eq!(value(&seats, "Seats available"), free.to_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_travelled_or_soon_departing_ticket_cannot_be_cancelled() {
    let plugin = apsrtc().await;
    let travelled =
        blocking(&plugin, |p| p.check_eligibility("cancel-ticket", &citizen(), &pnr_and_phone("AP25000002", MOBILE)))
            .await
            .unwrap();
    assert!(reasons(travelled)[0].en.contains("already left"));
    let leaving =
        blocking(&plugin, |p| p.check_eligibility("cancel-ticket", &citizen(), &pnr_and_phone("AP 2500 0004", MOBILE)))
            .await
            .unwrap();
    assert!(reasons(leaving)[0].te.as_deref().unwrap().contains("2 గంటల"));
    let unknown =
        blocking(&plugin, |p| p.check_eligibility("cancel-ticket", &citizen(), &pnr_and_phone("AP99999999", MOBILE)))
            .await
            .unwrap();
    assert!(reasons(unknown)[0].en.contains("AP99999999"));

    let seeded = blocking(&plugin, |p| p.fetch_data("ticket-status", &[text("pnr", "AP25000001")]).unwrap()).await;
    assert!(
        seeded.summary.en.starts_with("PNR AP25000001: Confirmed — Vijayawada → Tirupati"),
        "{}",
        seeded.summary.en
    );
    let missing = blocking(&plugin, |p| p.fetch_data("ticket-status", &[text("pnr", "AP99999999")])).await.unwrap_err();
    assert!(matches!(missing, Error::Plugin { error: PluginError::NotFound(_), .. }), "{missing}");
}

fn pass(kind: &str, dob: &str, institution: Option<&str>, distance: Option<f64>) -> Vec<Answer> {
    let mut answers = vec![
        choice("pass-type", kind),
        text("name", "Anjali Sharma"),
        date("dob", dob.into()),
        answer("aadhaar", AnswerValue::Aadhaar(AADHAAR.into())),
    ];
    answers.extend(institution.map(|i| text("institution", i)));
    answers.extend(distance.map(|d| number("distance", d)));
    answers
}

#[tokio::test(flavor = "multi_thread")]
async fn bus_passes_follow_the_age_and_distance_rules() {
    let plugin = apsrtc().await;
    let dob_16 = ist_date(-16 * 365 - 10);
    let student = pass("student", &dob_16, Some("ZP High School, Gollapudi"), Some(8.0));
    let check = student.clone();
    assert_eq!(
        blocking(&plugin, move |p| p.check_eligibility("bus-pass", &citizen(), &check)).await.unwrap(),
        Decision::Eligible
    );
    let incomplete = pass("student", &dob_16, Some("ZP High School, Gollapudi"), None);
    assert_eq!(
        blocking(&plugin, move |p| p.check_eligibility("bus-pass", &citizen(), &incomplete)).await.unwrap(),
        Decision::NeedsMore(vec!["distance".into()])
    );
    let too_old = pass("student", "1990-05-01", Some("Andhra University"), Some(8.0));
    let decision = blocking(&plugin, move |p| p.check_eligibility("bus-pass", &citizen(), &too_old)).await.unwrap();
    assert!(reasons(decision)[0].en.contains("5 to 25"));
    let young_senior = pass("senior", "1975-05-01", None, None);
    let decision =
        blocking(&plugin, move |p| p.check_eligibility("bus-pass", &citizen(), &young_senior)).await.unwrap();
    assert!(reasons(decision)[0].en.contains("60"));

    let app = application("APSRTC-2026-000303", "bus-pass", student);
    let card = blocking(&plugin, move |p| p.render_document("bus-pass", &app).unwrap()).await;
    assert_eq!((card.layout, card.valid_days), (Layout::Certificate, Some(30)));
    assert!(card.title.en.contains("Student Bus Pass") && card.title.en.contains("విద్యార్థి బస్ పాస్"));
    assert_eq!(printed(&card, "Aadhaar"), "XXXX XXXX 5677");
    assert_eq!(printed(&card, "Fee per month"), "₹240");
    assert_eq!(printed(&card, "Pass No."), "BP/APSRTC-2026-000303");
    let senior = application("APSRTC-2026-000304", "bus-pass", pass("senior", "1955-03-01", None, None));
    let card = blocking(&plugin, move |p| p.render_document("bus-pass", &senior).unwrap()).await;
    assert_eq!(printed(&card, "Concession"), "25%");
    assert!(card.valid_days.unwrap() >= 5 * 365);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_parcel_is_tracked_and_an_unissued_number_is_not_found() {
    let plugin = apsrtc().await;
    let parcel = blocking(&plugin, |p| p.fetch_data("parcel-tracking", &[text("lr", "vja-0012345")]).unwrap()).await;
    assert!(parcel.summary.en.starts_with("Parcel VJA0012345: "), "{}", parcel.summary.en);
    assert!(parcel.summary.en.contains("(Vijayawada → "));
    assert!(!value(&parcel, "Collect at").is_empty());
    assert!(
        parcel
            .fields
            .iter()
            .any(|f| f.label.en.ends_with("Booked at the counter") && f.value == "Pandit Nehru Bus Station")
    );
    let missing =
        blocking(&plugin, |p| p.fetch_data("parcel-tracking", &[text("lr", "VJA9999999")])).await.unwrap_err();
    assert!(matches!(missing, Error::Plugin { error: PluginError::NotFound(_), .. }), "{missing}");
    let decision = blocking(&plugin, |p| p.check_eligibility("parcel-tracking", &citizen(), &[text("lr", "12345")]))
        .await
        .unwrap();
    assert!(reasons(decision)[0].en.contains("VJA0012345"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_article_is_reported_once_within_a_month() {
    let plugin = apsrtc().await;
    let report = |days_ago: i64| {
        vec![
            date("travel-date", ist_date(-days_ago)),
            choice("from", "guntur"),
            choice("item", "bag"),
            text("description", "Black backpack with college books"),
            answer("phone", AnswerValue::Phone(MOBILE.into())),
        ]
    };
    let stale = report(45);
    let decision = blocking(&plugin, move |p| p.check_eligibility("lost-found", &citizen(), &stale)).await.unwrap();
    assert!(reasons(decision)[0].en.contains("30 days"));
    let fresh = report(2);
    let check = fresh.clone();
    assert_eq!(
        blocking(&plugin, move |p| p.check_eligibility("lost-found", &citizen(), &check)).await.unwrap(),
        Decision::Eligible
    );
    let app = application("APSRTC-2026-000404", "lost-found", fresh);
    let again = app.clone();
    let ack = blocking(&plugin, move |p| p.render_document("lost-found", &app).unwrap()).await;
    assert_eq!(printed(&ack, "Complaint No."), "LF/GNT/00001");
    assert!(printed(&ack, "Office").contains("NTR Bus Station, Guntur"));
    assert_eq!(printed(&ack, "Article"), "Bag or suitcase / బ్యాగ్ / సూట్‌కేస్");
    let twice = blocking(&plugin, move |p| p.render_document("lost-found", &again).unwrap()).await;
    assert_eq!(printed(&twice, "Complaint No."), "LF/GNT/00001");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reservation_system_that_is_down_is_reported_unavailable() {
    let manifest = with_backend(department("apsrtc"), down_backend());
    let plugin = tokio::task::spawn_blocking(move || Arc::new(runtime().load(manifest).unwrap())).await.unwrap();
    let unavailable = |error: Error| match error {
        Error::Plugin { error: PluginError::Unavailable(message), .. } => {
            assert!(message.contains("APSRTC reservation system is not reachable"), "{message}")
        }
        other => panic!("expected unavailable, got {other}"),
    };
    unavailable(
        blocking(&plugin, |p| p.fetch_data("bus-search", &search("vijayawada", "guntur", 1))).await.unwrap_err(),
    );
    unavailable(
        blocking(&plugin, |p| p.check_eligibility("cancel-ticket", &citizen(), &pnr_and_phone("AP25000001", MOBILE)))
            .await
            .unwrap_err(),
    );
    let app = application("APSRTC-2026-000505", "book-ticket", booking("10023", 3, 1.0));
    unavailable(blocking(&plugin, move |p| p.render_document("book-ticket", &app)).await.unwrap_err());
    // Rules that need no department data still answer.
    let decision =
        blocking(&plugin, |p| p.check_eligibility("bus-search", &citizen(), &search("guntur", "kurnool", 2))).await;
    assert_eq!(decision.unwrap(), Decision::Eligible);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_its_backend_up_the_plugin_passes_conformance_without_warnings() {
    let plugin = apsrtc().await;
    let report = blocking(&plugin, |p| {
        let mut report = Report { plugin: String::new(), findings: Vec::new() };
        conformance::check_plugin(p, &mut report);
        report
    })
    .await;
    assert!(report.findings.iter().all(|f| f.status == Status::Pass), "{report}");
}
