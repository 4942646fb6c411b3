//! endowments: darshan, seva and donation services end to end — the plugin's
//! wasm component in the real runtime, booking at its simulated department
//! system over allow-listed HTTP.

use std::sync::Arc;

use mitra::runtime::{Answer, AnswerValue, Application, DataRecord, Decision, Error, Layout, Plugin, PluginError};
use mitra_tests::{department, down_backend, start_backend, with_backend};

use super::ist_date;
use crate::support::{answer, citizen, runtime};

/// The plugin pointed at a freshly started simulator (its bookings start empty).
async fn endowments() -> Arc<Plugin> {
    let manifest = with_backend(department("endowments"), start_backend("endowments").await);
    tokio::task::spawn_blocking(move || Arc::new(runtime().load(manifest).unwrap())).await.unwrap()
}

/// Runs a plugin call off the async runtime: it blocks on HTTP to the
/// simulator, which this same runtime serves.
async fn blocking<R: Send + 'static>(plugin: &Arc<Plugin>, f: impl FnOnce(&Plugin) -> R + Send + 'static) -> R {
    let plugin = plugin.clone();
    tokio::task::spawn_blocking(move || f(&plugin)).await.unwrap()
}

fn choice(field: &str, id: &str) -> Answer {
    answer(field, AnswerValue::Choice(id.into()))
}

fn text(field: &str, value: &str) -> Answer {
    answer(field, AnswerValue::Text(value.into()))
}

fn darshan(temple: &str, kind: &str, in_days: i64, persons: f64, mobile: &str) -> Vec<Answer> {
    vec![
        choice("temple", temple),
        choice("darshan", kind),
        answer("date", AnswerValue::Date(ist_date(in_days))),
        choice("slot", "morning"),
        answer("persons", AnswerValue::Number(persons)),
        text("name", "Lakshmi Reddy"),
        answer("mobile", AnswerValue::Phone(mobile.into())),
    ]
}

fn donation(pan: Option<&str>) -> Vec<Answer> {
    let mut answers = vec![
        choice("temple", "kanaka-durga"),
        choice("purpose", "annadanam"),
        answer("amount", AnswerValue::Number(5116.0)),
        text("name", "Padmavathi Sharma"),
        text("address", "12-5-40, Gandhi Nagar, Vijayawada 520003"),
        answer("mobile", AnswerValue::Phone("9966554433".into())),
    ];
    if let Some(pan) = pan {
        answers.push(text("pan", pan));
    }
    answers
}

fn application(service: &str, answers: Vec<Answer>) -> Application {
    Application {
        number: "END-2026-000321".into(),
        service_id: service.into(),
        applicant: citizen(),
        answers,
        submitted_at: format!("{}T10:00:00+05:30", ist_date(0)),
    }
}

fn field<'a>(record: &'a DataRecord, label: &str) -> &'a str {
    record
        .fields
        .iter()
        .find(|f| f.label.en == label)
        .map(|f| f.value.as_str())
        .unwrap_or_else(|| panic!("no field {label:?} in {record:?}"))
}

fn reasons(decision: Decision) -> Vec<mitra::runtime::Text> {
    match decision {
        Decision::Ineligible(reasons) => reasons,
        other => panic!("expected ineligible, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_darshan_is_booked_at_the_temple_and_its_ticket_carries_the_booking() {
    let plugin = endowments().await;
    let answers = darshan("srisailam", "sparsha", 3, 2.0, "9876500001");
    let (decision, booked, again, status, ticket) = {
        let answers = answers.clone();
        blocking(&plugin, move |p| {
            let decision = p.check_eligibility("darshan", &citizen(), &answers).unwrap();
            let booked = p.fetch_data("darshan", &answers).unwrap();
            // A second tap on the same request is the same booking, not a second one.
            let again = p.fetch_data("darshan", &answers).unwrap();
            let id = field(&booked, "Booking ID").to_owned();
            let status = p.fetch_data("booking-status", &[text("booking-id", &id.to_lowercase())]).unwrap();
            let ticket = p.render_document("darshan", &application("darshan", answers)).unwrap();
            (decision, booked, again, status, ticket)
        })
        .await
    };
    assert_eq!(decision, Decision::Eligible);
    let id = field(&booked, "Booking ID");
    assert!(id.starts_with("SRS-DAR-1"), "{id}");
    assert_eq!(field(&again, "Booking ID"), id);
    assert_eq!(field(&booked, "Amount"), "₹1,000");
    assert_eq!(field(&booked, "Time"), "06:00–09:00");
    assert_eq!(field(&booked, "Date of darshan"), {
        let d = ist_date(3);
        format!("{}-{}-{}", &d[8..], &d[5..7], &d[..4])
    });
    let link = field(&booked, "Pay by UPI");
    assert!(
        link.starts_with("upi://pay?pa=srisailamdevasthanam@sbi&pn=Srisailam%20Devasthanam&am=1000.00&tr=SRS-DAR-")
    );
    assert!(link.ends_with("&cu=INR"), "{link}");
    assert!(booked.summary.te.as_deref().unwrap().contains("శ్రీశైలం"), "{:?}", booked.summary);

    assert_eq!(field(&status, "Booking ID"), id);
    assert_eq!(field(&status, "Status"), "Awaiting payment");
    assert_eq!(field(&status, "Mobile"), "98XXXXXX01");

    assert_eq!(ticket.layout, Layout::Receipt);
    assert!(ticket.title.en.contains("Darshan Ticket") && ticket.title.en.contains("దర్శనం టికెట్"));
    let values: Vec<&str> = ticket.fields().map(|f| f.value.en.as_str()).collect();
    assert!(values.contains(&id) && values.contains(&"END-2026-000321"), "{values:?}");
    // Valid through the day of darshan, three days from now.
    assert_eq!(ticket.valid_days, Some(4));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_seva_and_a_room_are_booked_at_the_catalogue_fee_and_ticketed() {
    let plugin = endowments().await;
    let seva = vec![
        choice("temple", "srikalahasti"),
        choice("seva", "rahu-ketu"),
        answer("date", AnswerValue::Date(ist_date(6))),
        text("name", "Ravi Kumar Rao"),
        text("gotram", "Kasyapa"),
        answer("mobile", AnswerValue::Phone("9440012345".into())),
    ];
    let room = vec![
        choice("temple", "srisailam"),
        choice("room", "ac"),
        answer("date", AnswerValue::Date(ist_date(1))),
        answer("nights", AnswerValue::Number(2.0)),
        answer("guests", AnswerValue::Number(3.0)),
        text("name", "Sujatha Naidu"),
        answer("mobile", AnswerValue::Phone("9848011111".into())),
    ];
    let (eligible, booked, ticket, allotment) = blocking(&plugin, move |p| {
        (
            p.check_eligibility("seva", &citizen(), &seva).unwrap() == Decision::Eligible
                && p.check_eligibility("accommodation", &citizen(), &room).unwrap() == Decision::Eligible,
            p.fetch_data("seva", &seva).unwrap(),
            p.render_document("seva", &application("seva", seva)).unwrap(),
            p.render_document("accommodation", &application("accommodation", room)).unwrap(),
        )
    })
    .await;
    assert!(eligible);
    // The plugin's fee list and the temple's agree: Rahu-Ketu puja is ₹500.
    assert_eq!(field(&booked, "Amount"), "₹500");
    assert_eq!((field(&booked, "Time"), field(&booked, "Gotram")), ("06:00", "Kasyapa"));
    let id = field(&booked, "Booking ID");
    assert!(id.starts_with("SKH-SEV-"), "{id}");
    assert!(ticket.fields().any(|f| f.label.en == "Booking ID" && f.value.en == id), "{ticket:?}");
    assert_eq!(ticket.valid_days, Some(7));
    let room_fields: Vec<(&str, &str)> =
        allotment.fields().map(|f| (f.label.en.as_str(), f.value.en.as_str())).collect();
    assert!(room_fields.contains(&("Amount", "₹2,000")) && room_fields.contains(&("Nights", "2")), "{room_fields:?}");
    // Valid from today through the two nights after tomorrow's check-in.
    assert_eq!(allotment.valid_days, Some(4));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_sparsha_slot_refuses_the_next_devotee_with_a_clear_reason() {
    let plugin = endowments().await;
    let outcome = blocking(&plugin, |p| {
        // Sixty places a slot: ten groups of six take them all.
        for i in 0..10 {
            p.fetch_data("darshan", &darshan("srisailam", "sparsha", 5, 6.0, &format!("94400000{i:02}"))).unwrap();
        }
        p.fetch_data("darshan", &darshan("srisailam", "sparsha", 5, 1.0, "9440000099"))
    })
    .await;
    match outcome {
        Err(Error::Plugin { error: PluginError::InvalidInput(msg), .. }) => {
            assert!(msg.contains("full") && msg.contains("0 of 60"), "{msg}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ineligible_bookings_are_told_why_in_english_and_telugu() {
    let plugin = endowments().await;
    let (darshan, seva) = blocking(&plugin, |p| {
        let darshan =
            p.check_eligibility("darshan", &citizen(), &darshan("kanaka-durga", "sparsha", 40, 2.0, "9000000001"));
        let seva = p.check_eligibility(
            "seva",
            &citizen(),
            &[
                choice("temple", "simhachalam"),
                choice("seva", "vratham"),
                answer("date", AnswerValue::Date(ist_date(2))),
                text("name", "Ravi Kumar Rao"),
                answer("mobile", AnswerValue::Phone("9440012345".into())),
            ],
        );
        (darshan.unwrap(), seva.unwrap())
    })
    .await;
    let darshan = reasons(darshan);
    assert_eq!(darshan.len(), 2, "{darshan:?}");
    assert!(darshan[0].en.contains("Sparsha") && darshan[0].en.contains("Kanaka Durga"));
    assert!(darshan[1].en.contains("30 days"));
    for reason in &darshan {
        assert!(!reason.te.as_deref().unwrap_or_default().is_empty(), "{reason:?}");
    }
    let seva = reasons(seva);
    assert!(seva[0].en.contains("Simhachalam") && seva[0].en.contains("Kalyanam"), "{seva:?}");
    assert!(seva[0].te.as_deref().unwrap().contains("సింహాచలం"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_donation_is_paid_by_upi_and_receipted_with_the_80g_note() {
    let plugin = endowments().await;
    let (decision, intent, with_pan, without_pan, bad_pan) = blocking(&plugin, |p| {
        (
            p.check_eligibility("donation", &citizen(), &donation(Some("abcpe1234f"))).unwrap(),
            p.fetch_data("donation", &donation(Some("ABCPE1234F"))).unwrap(),
            p.render_document("donation", &application("donation", donation(Some("abcpe 1234f")))).unwrap(),
            p.render_document("donation", &application("donation", donation(None))).unwrap(),
            p.check_eligibility("donation", &citizen(), &donation(Some("ABCDE12345"))).unwrap(),
        )
    })
    .await;
    assert_eq!(decision, Decision::Eligible);
    assert_eq!(bad_pan, Decision::NeedsMore(vec!["pan".into()]));
    let id = field(&intent, "Booking ID");
    assert!(id.starts_with("KDV-DON-"), "{id}");
    let link = field(&intent, "Pay by UPI");
    assert!(
        link.starts_with(
            "upi://pay?pa=kanakadurgatemple@sbi&pn=Kanaka%20Durga%2C%20Vijayawada%20Devasthanam&am=5116.00"
        )
    );
    assert!(link.contains(&format!("&tr={id}&")), "{link}");

    assert_eq!(with_pan.layout, Layout::Receipt);
    assert!(with_pan.title.en.contains("Donation Receipt") && with_pan.title.en.contains("విరాళం రసీదు"));
    let printed: Vec<(&str, &str)> = with_pan.fields().map(|f| (f.label.en.as_str(), f.value.en.as_str())).collect();
    for expected in [
        ("Receipt No.", "END-2026-000321"),
        ("Amount", "₹5,116"),
        ("Amount in words", "Five Thousand One Hundred Sixteen Rupees Only"),
        ("Donor's PAN", "ABCPE1234F"),
        ("Received from", "Padmavathi Sharma"),
    ] {
        assert!(printed.contains(&expected), "{expected:?} not in {printed:?}");
    }
    let note = with_pan.body.unwrap();
    assert!(note.en.contains("Section 80G") && note.en.contains("Form 10BD"));
    assert!(note.te.unwrap().contains("80G"));
    assert!(without_pan.body.as_ref().unwrap().en.contains("no PAN was given"));
    assert!(!without_pan.fields().any(|f| f.label.en == "Donor's PAN"));
}

#[tokio::test(flavor = "multi_thread")]
async fn timings_and_slots_come_from_the_department_system() {
    let plugin = endowments().await;
    let (timings, slots) = blocking(&plugin, |p| {
        (
            p.fetch_data("timings", &[choice("temple", "annavaram")]).unwrap(),
            p.fetch_data(
                "darshan-slots",
                &[choice("temple", "srisailam"), answer("date", AnswerValue::Date(ist_date(2)))],
            )
            .unwrap(),
        )
    })
    .await;
    assert_eq!(field(&timings, "Place"), "Annavaram, Kakinada district");
    assert!(field(&timings, "Sevas").contains("Sri Satyanarayana Swamy Vratham ₹300 at 06:00"));
    assert!(timings.summary.te.as_deref().unwrap().contains("అన్నవరం"));
    // Srisailam sells four tickets in four slots; no sparsha ticket is booked yet.
    assert_eq!(slots.fields.len(), 16);
    assert_eq!(field(&slots, "Sparsha ₹500 (Srisailam) · Morning 6–9 am"), "60 of 60 left");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_booking_id_is_not_found_and_a_malformed_one_is_asked_again() {
    let plugin = endowments().await;
    let (missing, malformed) = blocking(&plugin, |p| {
        (
            p.fetch_data("booking-status", &[text("booking-id", "SRS-DAR-999999")]),
            p.check_eligibility("booking-status", &citizen(), &[text("booking-id", "SRS/DAR/99")]).unwrap(),
        )
    })
    .await;
    assert!(
        matches!(missing, Err(Error::Plugin { error: PluginError::NotFound(ref m), .. }) if m.contains("SRS-DAR-999999")),
        "{missing:?}"
    );
    assert_eq!(malformed, Decision::NeedsMore(vec!["booking-id".into()]));
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_department_system_down_a_booking_is_unavailable_not_a_trap() {
    let manifest = with_backend(department("endowments"), down_backend());
    let outcome = tokio::task::spawn_blocking(move || {
        let plugin = runtime().load(manifest).unwrap();
        plugin.fetch_data("darshan", &darshan("annavaram", "sarva", 1, 2.0, "9000000002"))
    })
    .await
    .unwrap();
    match outcome {
        Err(Error::Plugin { error: PluginError::Unavailable(msg), .. }) => {
            assert_eq!(msg, "the Endowments booking system is unreachable")
        }
        other => panic!("expected unavailable, got {other:?}"),
    }
}
