//! anna-canteens: nearest canteen from a shared location, menu, town lists,
//! feedback and meal sponsorship end to end — the plugin's wasm component in
//! the real runtime, reading the canteen register from its simulated system
//! over allow-listed HTTP.
//!
//! The simulator registers 16 canteens in ten towns; VSP-03 (King George
//! Hospital, Visakhapatnam) is closed for kitchen repairs.

use std::sync::Arc;

use mitra::plugin_dev::conformance::{self, Report, Status};
use mitra::runtime::{
    Answer, AnswerValue, Application, Decision, Document, Error, Geo, Layout, Plugin, PluginError, Text,
};
use mitra_tests::{department, down_backend, start_backend, with_backend};

use crate::support::{answer, citizen, runtime};

async fn anna_canteens() -> Arc<Plugin> {
    let manifest = with_backend(department("anna-canteens"), start_backend("anna-canteens").await);
    tokio::task::spawn_blocking(move || Arc::new(runtime().load(manifest).unwrap())).await.unwrap()
}

/// Runs plugin calls off the async runtime: they block on HTTP to the
/// simulator, which this same runtime serves.
async fn blocking<R: Send + 'static>(plugin: &Arc<Plugin>, f: impl FnOnce(&Plugin) -> R + Send + 'static) -> R {
    let plugin = plugin.clone();
    tokio::task::spawn_blocking(move || f(&plugin)).await.unwrap()
}

/// Today in India as days since the Unix epoch, on Mitra's clock (which
/// `MITRA_TODAY` pins for the host, the plugins and the simulator alike).
fn ist_today() -> i64 {
    mitra_backends::seed::calendar::today()
}

fn is_sunday(days: i64) -> bool {
    // 1970-01-01 was a Thursday.
    (days + 3).rem_euclid(7) == 6
}

fn at(latitude: f64, longitude: f64) -> Vec<Answer> {
    vec![answer("location", AnswerValue::Location(Geo { latitude, longitude, name: None, address: None }))]
}

fn text(field: &str, value: &str) -> Answer {
    answer(field, AnswerValue::Text(value.into()))
}

fn choice(field: &str, id: &str) -> Answer {
    answer(field, AnswerValue::Choice(id.into()))
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

fn printed(doc: &Document, label: &str) -> String {
    doc.fields().find(|f| f.label.en == label).unwrap_or_else(|| panic!("no {label} in {doc:?}")).value.en.clone()
}

fn reasons(decision: Decision) -> Vec<Text> {
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

fn donation(canteen: &str, days: i64, session: &str) -> Vec<Answer> {
    vec![
        text("name", "Padmavathi Reddy"),
        answer("phone", AnswerValue::Phone("9876543210".into())),
        text("canteen", canteen),
        answer("date", AnswerValue::Date(super::ist_date(days))),
        choice("session", session),
        choice("occasion", "remembrance"),
        text("dedication", "Late Sri Venkata Ramana Reddy"),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn the_three_nearest_canteens_to_a_shared_location_come_with_distances() {
    let plugin = anna_canteens().await;
    // Benz Circle, Vijayawada.
    let benz_circle = at(16.4990, 80.6560);
    let check = benz_circle.clone();
    assert_eq!(
        blocking(&plugin, move |p| p.check_eligibility("nearest", &citizen(), &check)).await.unwrap(),
        Decision::Eligible
    );
    let near = blocking(&plugin, move |p| p.fetch_data("nearest", &benz_circle).unwrap()).await;
    assert!(
        near.summary.en.starts_with("Nearest Anna Canteen: Patamata, Vijayawada (VJA-03) — "),
        "{}",
        near.summary.en
    );
    assert!(near.summary.en.ends_with("min walk"), "{}", near.summary.en);
    assert!(near.summary.te.as_deref().unwrap().starts_with("సమీప అన్న క్యాంటీన్: పటమట"));
    // Three canteens and the timings line.
    assert_eq!(near.fields.len(), 4);
    for canteen in &near.fields[..3] {
        assert!(canteen.label.en.contains("Vijayawada (VJA-0"), "{canteen:?}");
        assert!(canteen.value.contains("https://maps.google.com/?q=16."), "{canteen:?}");
    }
    assert!(near.fields[3].label.en.starts_with("Breakfast 07:30–10:00"));
    assert_eq!(near.fields[3].value, "₹5 / plate");

    let delhi = blocking(&plugin, |p| p.check_eligibility("nearest", &citizen(), &at(28.6139, 77.2090))).await.unwrap();
    assert!(reasons(delhi)[0].en.contains("Andhra Pradesh only"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_menu_and_a_towns_canteens_come_from_the_register() {
    let plugin = anna_canteens().await;
    let monday = blocking(&plugin, |p| p.fetch_data("menu", &[choice("day", "mon")]).unwrap()).await;
    assert_eq!(monday.summary.en, "Monday at Anna Canteens — every plate ₹5");
    assert_eq!(monday.fields.len(), 3);
    assert!(monday.fields.iter().all(|f| f.value == "₹5"));
    assert_eq!(monday.fields[0].label.te.as_deref(), Some("అల్పాహారం 07:30–10:00: ఇడ్లీ, సాంబారు, చట్నీ"));
    let sunday = blocking(&plugin, |p| p.fetch_data("menu", &[choice("day", "sun")]).unwrap()).await;
    assert!(sunday.fields.is_empty() && sunday.summary.en.contains("closed on Sunday"));
    let today = blocking(&plugin, |p| p.fetch_data("menu", &[choice("day", "today")]).unwrap()).await;
    assert!(today.summary.en.contains(if is_sunday(ist_today()) { "closed" } else { "every plate ₹5" }));

    let vizag = blocking(&plugin, |p| p.fetch_data("by-town", &[choice("town", "visakhapatnam")]).unwrap()).await;
    assert_eq!(vizag.summary.en, "3 Anna Canteens in Visakhapatnam (2 open)");
    assert!(vizag.fields.iter().any(|f| f.label.en.contains("VSP-03") && f.label.en.contains("kitchen repairs")));
    assert!(vizag.fields.iter().any(|f| f.value.starts_with("Opposite Dwaraka Bus Station")));
}

#[tokio::test(flavor = "multi_thread")]
async fn feedback_about_a_canteen_is_acknowledged_with_a_ticket() {
    let plugin = anna_canteens().await;
    let feedback = |code: &str| {
        vec![
            text("canteen", code),
            choice("topic", "hygiene"),
            text("details", "Plates were not washed at lunch today"),
        ]
    };
    let unknown = feedback("VJA-09");
    let decision = blocking(&plugin, move |p| p.check_eligibility("feedback", &citizen(), &unknown)).await.unwrap();
    assert!(reasons(decision)[0].en.contains("no Anna Canteen with the code VJA-09"));
    let typo = feedback("canteen near bus stand");
    let decision = blocking(&plugin, move |p| p.check_eligibility("feedback", &citizen(), &typo)).await.unwrap();
    assert!(reasons(decision)[0].en.contains("VJA-01"));

    let answers = feedback("vja 02");
    let check = answers.clone();
    assert_eq!(
        blocking(&plugin, move |p| p.check_eligibility("feedback", &citizen(), &check)).await.unwrap(),
        Decision::Eligible
    );
    let app = application("ANNA-2026-000011", "feedback", answers);
    let ack = blocking(&plugin, move |p| p.render_document("feedback", &app).unwrap()).await;
    assert_eq!(ack.layout, Layout::Receipt);
    assert_eq!(printed(&ack, "Ticket No."), "AC/VJA-02/0001");
    assert_eq!(printed(&ack, "Canteen"), "Governorpet (VJA-02), Vijayawada");
    assert!(printed(&ack, "Forwarded to").contains("Vijayawada Municipal Corporation"));
    assert_eq!(printed(&ack, "Reply within"), "1 day(s)");
}

#[tokio::test(flavor = "multi_thread")]
async fn meals_are_sponsored_once_per_session_with_a_receipt() {
    let plugin = anna_canteens().await;
    // The first working day from three days out with a session no earlier donor took.
    let answers = blocking(&plugin, |p| {
        (3..60).filter(|d| !is_sunday(ist_today() + d)).find_map(|days| {
            ["lunch", "breakfast", "dinner"]
                .iter()
                .map(|s| donation("TPT-01", days, s))
                .find(|answers| p.check_eligibility("donate", &citizen(), answers).unwrap() == Decision::Eligible)
        })
    })
    .await
    .expect("a free session within two months");

    let quote_answers = answers.clone();
    let quote = blocking(&plugin, move |p| p.fetch_data("donate", &quote_answers).unwrap()).await;
    assert!(quote.summary.en.contains(" meals at Central Bus Station on "), "{}", quote.summary.en);
    let total = quote.fields.last().unwrap().value.clone();

    let app = application("ANNA-2026-000021", "donate", answers.clone());
    let again = app.clone();
    let receipt = blocking(&plugin, move |p| p.render_document("donate", &app).unwrap()).await;
    assert_eq!(receipt.layout, Layout::Receipt);
    assert!(receipt.title.en.contains("Meal Sponsorship Receipt") && receipt.title.en.contains("భోజన విరాళం రసీదు"));
    assert_eq!(printed(&receipt, "Amount"), total);
    assert_eq!(printed(&receipt, "Receipt No."), "ACD/TPT-01/00001");
    assert_eq!(printed(&receipt, "Mobile"), "XXXXXX3210");
    assert_eq!(printed(&receipt, "Dedicated to"), "Late Sri Venkata Ramana Reddy");
    let reprint = blocking(&plugin, move |p| p.render_document("donate", &again).unwrap()).await;
    assert_eq!(printed(&reprint, "Receipt No."), "ACD/TPT-01/00001");

    // Now that session is taken for everyone else.
    let decision = blocking(&plugin, move |p| p.check_eligibility("donate", &citizen(), &answers)).await.unwrap();
    assert!(reasons(decision)[0].en.contains("already sponsored"));

    // A canteen shut for repairs refuses a day it would otherwise serve: a
    // Monday–Saturday in the booking range, so the Sunday rule stays apart.
    let weekday = (3..10).find(|d| !is_sunday(ist_today() + d)).unwrap();
    let closed = donation("VSP-03", weekday, "lunch");
    let decision = blocking(&plugin, move |p| p.check_eligibility("donate", &citizen(), &closed)).await.unwrap();
    assert!(reasons(decision)[0].en.contains("kitchen repairs"));
    let tomorrow = donation("TPT-01", 1, "lunch");
    let decision = blocking(&plugin, move |p| p.check_eligibility("donate", &citizen(), &tomorrow)).await.unwrap();
    assert!(reasons(decision)[0].en.contains("2 days ahead"));
    let sunday = (3..10).find(|d| is_sunday(ist_today() + d)).unwrap();
    let on_sunday = donation("TPT-01", sunday, "dinner");
    let decision = blocking(&plugin, move |p| p.check_eligibility("donate", &citizen(), &on_sunday)).await.unwrap();
    assert!(reasons(decision)[0].te.as_deref().unwrap().contains("ఆదివారం"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_canteen_system_that_is_down_is_reported_unavailable() {
    let manifest = with_backend(department("anna-canteens"), down_backend());
    let plugin = tokio::task::spawn_blocking(move || Arc::new(runtime().load(manifest).unwrap())).await.unwrap();
    let unavailable = |error: Error| match error {
        Error::Plugin { error: PluginError::Unavailable(message), .. } => {
            assert!(message.contains("Anna Canteens system is not reachable"), "{message}")
        }
        other => panic!("expected unavailable, got {other}"),
    };
    unavailable(blocking(&plugin, |p| p.fetch_data("nearest", &at(16.4990, 80.6560))).await.unwrap_err());
    unavailable(
        blocking(&plugin, |p| p.check_eligibility("donate", &citizen(), &donation("TPT-01", 5, "lunch")))
            .await
            .unwrap_err(),
    );
    let app = application("ANNA-2026-000031", "donate", donation("TPT-01", 5, "lunch"));
    unavailable(blocking(&plugin, move |p| p.render_document("donate", &app)).await.unwrap_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn with_its_backend_up_the_plugin_passes_conformance_without_warnings() {
    let plugin = anna_canteens().await;
    let report = blocking(&plugin, |p| {
        let mut report = Report { plugin: String::new(), findings: Vec::new() };
        conformance::check_plugin(p, &mut report);
        report
    })
    .await;
    assert!(report.findings.iter().all(|f| f.status == Status::Pass), "{report}");
}
