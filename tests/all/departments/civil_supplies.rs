//! civil-supplies end to end: the real runtime and the plugin's wasm component,
//! with the simulated ePDS reached over allow-listed HTTP.

use mitra::plugin_dev::conformance::{self, Report, Status};
use mitra::runtime::{
    Answer, AnswerValue, Application, Decision, Error, Geo, Layout, Media, Plugin, PluginError, Runtime,
};
use mitra_tests::{department, down_backend, start_backend, with_backend};

use crate::support::{answer, citizen, runtime};

/// A priority household in Nunna, NTR district: Venkata Ramana Yadav and four
/// members; his wife Lakshmi's e-KYC is pending. Fair price shop 1001105.
const CARD: &str = "1001283067";
const HEAD: &str = "836695077836";
const WIFE: &str = "662686880026";
const DAUGHTER: &str = "880662204168";
/// An Antyodaya card of two members.
const AAY_CARD: &str = "1002167018";
const CANCELLED_CARD: &str = "1001283164";
/// A valid Aadhaar number seeded on no card.
const UNSEEDED: &str = "236591234568";

async fn loaded() -> (Runtime, Plugin) {
    let rt = runtime();
    let plugin = rt.load(with_backend(department("civil-supplies"), start_backend("civil-supplies").await)).unwrap();
    (rt, plugin)
}

/// Plugin calls block on HTTP to the simulator, which runs on this runtime.
async fn blocking<T: Send + 'static>(call: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(call).await.unwrap()
}

fn text(field: &str, value: &str) -> Answer {
    answer(field, AnswerValue::Text(value.into()))
}

fn aadhaar(field: &str, value: &str) -> Answer {
    answer(field, AnswerValue::Aadhaar(value.into()))
}

fn choice(field: &str, value: &str) -> Answer {
    answer(field, AnswerValue::Choice(value.into()))
}

fn number(field: &str, value: f64) -> Answer {
    answer(field, AnswerValue::Number(value))
}

fn new_card(head: &str, area: &str, income: f64, vehicle: &str) -> Vec<Answer> {
    vec![
        text("head-name", "Sujatha Naidu"),
        aadhaar("aadhaar", head),
        answer("phone", AnswerValue::Phone("9876543210".into())),
        answer("pincode", AnswerValue::Pincode("520001".into())),
        choice("area", area),
        number("members", 4.0),
        number("income", income),
        number("wet-land", 1.5),
        number("dry-land", 0.0),
        choice("vehicle", vehicle),
        number("electricity", 140.0),
        choice("govt-or-taxpayer", "no"),
        number("urban-property", 0.0),
    ]
}

fn reasons(decision: Decision) -> Vec<mitra::runtime::Text> {
    match decision {
        Decision::Ineligible(reasons) => {
            assert!(!reasons.is_empty());
            for r in &reasons {
                assert!(!r.en.is_empty() && r.te.as_deref().is_some_and(|te| !te.is_empty()), "{r:?}");
            }
            reasons
        }
        other => panic!("expected ineligible, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rice_card_is_fetched_from_the_epds_with_its_members() {
    let (_rt, plugin) = loaded().await;
    let record =
        blocking(move || plugin.fetch_data("card-status", &[text("card-number", "1001 283067")])).await.unwrap();
    assert_eq!(record.summary.en, format!("Rice card {CARD}: PHH, 5 members, active"));
    assert!(record.summary.te.as_deref().unwrap().contains("5 సభ్యులు"));
    let values: Vec<&str> = record.fields.iter().map(|f| f.value.as_str()).collect();
    assert!(values[0].starts_with("Venkata Ramana Yadav / "), "{values:?}");
    assert!(
        values
            .iter()
            .any(|v| v.starts_with("Lakshmi Yadav /") && v.contains("XXXX XXXX 0026") && v.contains("pending"))
    );
    assert!(values.iter().any(|v| v.contains("e-KYC pending for 1 member")), "{values:?}");
    assert!(values.contains(&"1001105 (dealer Anjali Naidu)"), "{values:?}");
    assert!(values.contains(&"Nunna, Vijayawada Rural mandal, NTR district"));
    assert!(!values.iter().any(|v| v.contains(WIFE) || v.contains(HEAD)), "full Aadhaar numbers never reach the chat");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_monthly_ration_counts_only_members_with_ekyc() {
    let (_rt, plugin) = loaded().await;
    let (phh, aay) = blocking(move || {
        (
            plugin.fetch_data("entitlement", &[text("card-number", CARD)]).unwrap(),
            plugin.fetch_data("entitlement", &[text("card-number", AAY_CARD)]).unwrap(),
        )
    })
    .await;
    // Five members, one without e-KYC: 4 × 5 kg.
    assert_eq!(phh.summary.en, "This month: 20 kg rice free, 500 g sugar, 1 kg red gram dal");
    assert!(phh.fields.iter().any(|f| f.value == "20 kg (4 members × 5 kg)"));
    assert!(aay.summary.en.starts_with("This month: 35 kg rice free, 1 kg sugar"), "{}", aay.summary.en);
    assert!(aay.summary.te.as_deref().unwrap().contains("35 కిలో బియ్యం"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_family_within_the_limits_and_on_no_card_may_apply_for_a_new_card() {
    let (_rt, plugin) = loaded().await;
    let (eligible, refused) = blocking(move || {
        let who = citizen();
        (
            plugin.check_eligibility("new-card", &who, &new_card(UNSEEDED, "rural", 9_000.0, "commercial")).unwrap(),
            plugin.check_eligibility("new-card", &who, &new_card(WIFE, "urban", 15_000.0, "car")).unwrap(),
        )
    })
    .await;
    assert_eq!(eligible, Decision::Eligible);
    let reasons = reasons(refused);
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].en.contains("₹12,000") && reasons[0].en.contains("₹15,000"));
    assert!(reasons[1].en.contains("four-wheeler"));
    // The ePDS knows the head is already on another card.
    assert!(reasons[2].en.contains(CARD) && reasons[2].te.as_deref().unwrap().contains(CARD), "{:?}", reasons[2]);
}

#[tokio::test(flavor = "multi_thread")]
async fn members_are_added_and_removed_by_the_epds_records() {
    let (_rt, plugin) = loaded().await;
    let add = |member: &str, reason: &str| {
        vec![
            text("card-number", CARD),
            text("member-name", "Anjali Yadav"),
            aadhaar("member-aadhaar", member),
            choice("relation", "daughter-in-law"),
            answer("dob", AnswerValue::Date("2001-04-12".into())),
            choice("reason", reason),
        ]
    };
    let remove = |card: &str, member: &str| {
        vec![text("card-number", card), aadhaar("member-aadhaar", member), choice("reason", "marriage")]
    };
    let (added, duplicate, removed, head, cancelled, unknown) = blocking(move || {
        let who = citizen();
        let check = |service: &str, answers: Vec<Answer>| plugin.check_eligibility(service, &who, &answers).unwrap();
        (
            check("add-member", add(UNSEEDED, "marriage")),
            check("add-member", add(WIFE, "marriage")),
            check("remove-member", remove(CARD, DAUGHTER)),
            check("remove-member", remove(CARD, HEAD)),
            check("remove-member", remove(CANCELLED_CARD, DAUGHTER)),
            check("remove-member", remove("9999999999", DAUGHTER)),
        )
    })
    .await;
    assert_eq!(added, Decision::Eligible);
    assert!(reasons(duplicate)[0].en.contains(&format!("already on rice card {CARD}")));
    assert_eq!(removed, Decision::Eligible);
    assert!(reasons(head)[0].en.contains("head of the family"));
    assert!(reasons(cancelled)[0].en.contains("cancelled"));
    assert!(reasons(unknown)[0].en.contains("no rice card 9999999999"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_card_print_is_a_certificate_with_every_member_and_a_masked_aadhaar() {
    let (_rt, plugin) = loaded().await;
    let answers = vec![text("card-number", CARD), aadhaar("aadhaar", HEAD)];
    let application = Application {
        number: "CS-2026-000311".into(),
        service_id: "card-print".into(),
        applicant: citizen(),
        answers: answers.clone(),
        submitted_at: "2026-11-22T10:00:00+05:30".into(),
    };
    let (decision, stranger, doc) = blocking(move || {
        let stranger = vec![text("card-number", CARD), aadhaar("aadhaar", UNSEEDED)];
        (
            plugin.check_eligibility("card-print", &citizen(), &answers).unwrap(),
            plugin.check_eligibility("card-print", &citizen(), &stranger).unwrap(),
            plugin.render_document("card-print", &application).unwrap(),
        )
    })
    .await;
    assert_eq!(decision, Decision::Eligible);
    assert!(reasons(stranger)[0].en.contains("not on rice card"));
    assert_eq!(doc.layout, Layout::Certificate);
    assert_eq!(doc.title.en, "Rice Card / బియ్యం కార్డు");
    let values: Vec<&str> = doc.fields().map(|f| f.value.en.as_str()).collect();
    assert!(values.contains(&CARD));
    assert!(values.contains(&"XXXX XXXX 7836"), "{values:?}");
    assert_eq!(doc.fields().filter(|f| f.label.en.starts_with("Member ")).count(), 5);
    assert!(values.iter().any(|v| v.starts_with("Padmavathi Yadav / ") && v.contains("Daughter / కుమార్తె")));
    assert!(!values.iter().any(|v| v.contains(HEAD)));
    assert_eq!(doc.valid_days, None, "a rice card does not expire");
}

#[tokio::test(flavor = "multi_thread")]
async fn nearest_shops_are_found_by_pin_code_or_location_and_complaints_name_a_real_shop() {
    let (_rt, plugin) = loaded().await;
    let tirupati = Geo { latitude: 13.63, longitude: 79.42, name: None, address: None };
    let (by_pin, by_place, nowhere, complaint, no_shop) = blocking(move || {
        let complaint = |shop: &str| {
            vec![
                text("shop-number", shop),
                choice("issue", "less-quantity"),
                text("details", "Got 15 kg instead of 20 kg on 3 November"),
            ]
        };
        (
            plugin.fetch_data("nearest-shop", &[answer("pincode", AnswerValue::Pincode("520001".into()))]).unwrap(),
            plugin.fetch_data("nearest-shop", &[answer("location", AnswerValue::Location(tirupati))]).unwrap(),
            plugin.fetch_data("nearest-shop", &[answer("pincode", AnswerValue::Pincode("110001".into()))]),
            plugin.check_eligibility("shop-grievance", &citizen(), &complaint("1001105")).unwrap(),
            plugin.check_eligibility("shop-grievance", &citizen(), &complaint("9999999")).unwrap(),
        )
    })
    .await;
    assert!(by_pin.summary.en.starts_with("3 fair price shops"));
    assert!(
        by_pin.fields.iter().all(|f| f.value.contains("Vijayawada Rural mandal") || f.value.contains("Ibrahimpatnam"))
    );
    assert!(by_pin.fields.iter().all(|f| f.value.contains("https://maps.google.com/?q=")));
    assert!(by_place.fields[0].value.contains("Tirupati Rural mandal"), "{:?}", by_place.fields[0]);
    assert!(matches!(nowhere, Err(Error::Plugin { error: PluginError::NotFound(_), .. })), "{nowhere:?}");
    assert_eq!(complaint, Decision::Eligible);
    assert!(reasons(no_shop)[0].en.contains("9999999"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_application_is_acknowledged_with_a_receipt() {
    let (_rt, plugin) = loaded().await;
    let application = Application {
        number: "CS-2026-000312".into(),
        service_id: "remove-member".into(),
        applicant: citizen(),
        answers: vec![
            text("card-number", CARD),
            aadhaar("member-aadhaar", DAUGHTER),
            choice("reason", "marriage"),
            answer(
                "proof",
                AnswerValue::Media(Media {
                    id: "wamid.proof".into(),
                    mime_type: "application/pdf".into(),
                    sha256: "0".repeat(64),
                    filename: Some("marriage.pdf".into()),
                }),
            ),
        ],
        submitted_at: "2026-11-22T10:00:00+05:30".into(),
    };
    let doc = blocking(move || plugin.render_document("remove-member", &application)).await.unwrap();
    assert_eq!(doc.layout, Layout::Receipt);
    let values: Vec<&str> = doc.fields().map(|f| f.value.en.as_str()).collect();
    assert!(values.contains(&"CS-2026-000312") && values.contains(&CARD) && values.contains(&"22-11-2026"));
    assert!(values.contains(&"XXXX XXXX 4168"), "{values:?}");
    assert!(doc.body.unwrap().en.contains("15 days"));
}

#[tokio::test(flavor = "multi_thread")]
async fn with_its_backend_up_the_plugin_passes_conformance_without_warnings() {
    let (_rt, plugin) = loaded().await;
    let report = blocking(move || {
        let mut report = Report { plugin: String::new(), findings: Vec::new() };
        conformance::check_plugin(&plugin, &mut report);
        report
    })
    .await;
    assert!(report.findings.iter().all(|f| f.status == Status::Pass), "{report}");
}

#[tokio::test(flavor = "multi_thread")]
async fn when_the_epds_is_down_calls_say_unavailable_and_do_not_trap() {
    let rt = runtime();
    let plugin = rt.load(with_backend(department("civil-supplies"), down_backend())).unwrap();
    let (lookup, check) = blocking(move || {
        (
            plugin.fetch_data("card-status", &[text("card-number", CARD)]),
            plugin.check_eligibility("new-card", &citizen(), &new_card(UNSEEDED, "rural", 9_000.0, "none")),
        )
    })
    .await;
    for result in [lookup.map(|_| ()), check.map(|_| ())] {
        match result {
            Err(Error::Plugin { error: PluginError::Unavailable(msg), .. }) => {
                assert_eq!(msg, "the civil supplies system is not reachable")
            }
            other => panic!("expected unavailable, got {other:?}"),
        }
    }
}
