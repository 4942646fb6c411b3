//! energy: bills, UPI payment, complaints and DISCOM certificates end to end —
//! the plugin's wasm component in the real runtime, reading consumers from its
//! simulated DISCOM system over allow-listed HTTP.
//!
//! Service numbers follow the simulator's scheme: circle (11 NTR, 12 Guntur,
//! 31 Visakhapatnam…), then category (0–5 domestic, 6–7 commercial, 8 farm),
//! then account state (0–6 paid up, 7–8 arrears, 9 disconnected).

use std::sync::Arc;

use mitra::runtime::{Answer, AnswerValue, Application, DataRecord, Decision, Error, Layout, Plugin, PluginError};
use mitra_tests::{department, down_backend, start_backend, with_backend};

use crate::support::{answer, citizen, runtime};

/// A domestic NTR connection (APCPDCL) with nothing carried over.
const PAID_UP: &str = "1102345678901";
/// A commercial Guntur connection carrying arrears.
const IN_ARREARS: &str = "1277234567890";
/// A farm pump set in NTR: free supply, nothing to pay.
const FARM: &str = "1180000000001";
/// A domestic Visakhapatnam connection (APEPDCL).
const VIZAG: &str = "3102345678901";
/// A valid Aadhaar number (Verhoeff checksum).
const AADHAAR: &str = "499112345677";

async fn energy() -> Arc<Plugin> {
    let manifest = with_backend(department("energy"), start_backend("energy").await);
    tokio::task::spawn_blocking(move || Arc::new(runtime().load(manifest).unwrap())).await.unwrap()
}

/// Runs plugin calls off the async runtime: they block on HTTP to the
/// simulator, which this same runtime serves.
async fn blocking<R: Send + 'static>(plugin: &Arc<Plugin>, f: impl FnOnce(&Plugin) -> R + Send + 'static) -> R {
    let plugin = plugin.clone();
    tokio::task::spawn_blocking(move || f(&plugin)).await.unwrap()
}

fn usc(number: &str) -> Answer {
    answer("usc", AnswerValue::Text(number.into()))
}

fn choice(field: &str, id: &str) -> Answer {
    answer(field, AnswerValue::Choice(id.into()))
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

fn application(service: &str, answers: Vec<Answer>) -> Application {
    Application {
        number: "ENE-2026-004711".into(),
        service_id: service.into(),
        applicant: citizen(),
        answers,
        submitted_at: "2026-11-22T10:00:00+05:30".into(),
    }
}

/// `₹1,240.50` → paise.
fn paise(rupees: &str) -> u64 {
    let digits: String = rupees.trim_start_matches('₹').chars().filter(|c| *c != ',').collect();
    let (whole, fraction) = digits.split_once('.').unwrap_or((&digits, "00"));
    whole.parse::<u64>().unwrap() * 100 + fraction.parse::<u64>().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bill_is_fetched_from_the_energy_backend() {
    let plugin = energy().await;
    let (decision, bill) = blocking(&plugin, |p| {
        let spaced = usc("1102 3456 78901");
        (
            p.check_eligibility("bill", &citizen(), std::slice::from_ref(&spaced)).unwrap(),
            p.fetch_data("bill", &[spaced]).unwrap(),
        )
    })
    .await;
    assert_eq!(decision, Decision::Eligible);
    assert_eq!(field(&bill, "Service number"), PAID_UP);
    assert_eq!(field(&bill, "DISCOM"), "APCPDCL");
    assert_eq!(field(&bill, "Category"), "LT-I (Domestic)");
    assert!(!field(&bill, "Consumer").is_empty());
    let (previous, present) = field(&bill, "Readings (kWh)").split_once(" → ").unwrap();
    let units: u64 = field(&bill, "Units consumed").parse().unwrap();
    assert_eq!(present.parse::<u64>().unwrap() - previous.parse::<u64>().unwrap(), units);
    assert!((60..=420).contains(&units), "{units}");
    let parts: u64 = ["Energy charges", "Fixed charges", "Customer charges", "Electricity duty"]
        .iter()
        .map(|label| paise(field(&bill, label)))
        .sum();
    assert_eq!(paise(field(&bill, "This month")), parts);
    assert_eq!(field(&bill, "Arrears"), "₹0");
    assert_eq!(field(&bill, "Total due"), field(&bill, "This month"));
    assert!(bill.summary.en.starts_with(&format!("Bill {} due ", field(&bill, "Total due"))), "{:?}", bill.summary);
    assert!(bill.summary.te.as_deref().unwrap().contains("బిల్లు"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bill_is_paid_by_a_upi_intent_link_for_the_amount_due() {
    let plugin = energy().await;
    let (bill, decision, order, farm) = blocking(&plugin, |p| {
        (
            p.fetch_data("bill", &[usc(IN_ARREARS)]).unwrap(),
            p.check_eligibility("pay-bill", &citizen(), &[usc(IN_ARREARS)]).unwrap(),
            p.fetch_data("pay-bill", &[usc(IN_ARREARS)]).unwrap(),
            p.check_eligibility("pay-bill", &citizen(), &[usc(FARM)]).unwrap(),
        )
    })
    .await;
    assert_eq!(decision, Decision::Eligible);
    let total = paise(field(&bill, "Total due"));
    assert!(paise(field(&bill, "Arrears")) > 0);
    assert_eq!(paise(field(&order, "Amount")), total);
    let link = field(&order, "Pay by UPI");
    let expected = format!(
        "upi://pay?pa=apcpdcl.billpay@sbi&pn=APCPDCL&am={}.{:02}&tr=APCPDCL{IN_ARREARS}",
        total / 100,
        total % 100
    );
    assert!(link.starts_with(&expected), "{link}\n{expected}");
    assert!(link.contains("&tn=APCPDCL%20bill%20") && link.ends_with("&cu=INR"), "{link}");

    let farm = reasons(farm);
    assert!(farm[0].en.starts_with(&format!("Nothing is due on service number {FARM}")), "{farm:?}");
    assert!(farm[0].te.as_deref().unwrap().contains("చెల్లించాల్సింది ఏమీ లేదు"));
}

#[tokio::test(flavor = "multi_thread")]
async fn arrears_make_a_name_transfer_ineligible_in_english_and_telugu() {
    let plugin = energy().await;
    let transfer = |number: &str| {
        vec![
            usc(number),
            answer("new-name", AnswerValue::Text("Suresh Varma".into())),
            answer("aadhaar", AnswerValue::Aadhaar(AADHAAR.into())),
            choice("how", "sale"),
            answer("mobile", AnswerValue::Phone("9876543210".into())),
        ]
    };
    let (owing, clear, order) = {
        let (a, b, c) = (transfer(IN_ARREARS), transfer(PAID_UP), transfer(PAID_UP));
        blocking(&plugin, move |p| {
            (
                p.check_eligibility("name-transfer", &citizen(), &a).unwrap(),
                p.check_eligibility("name-transfer", &citizen(), &b).unwrap(),
                p.render_document("name-transfer", &application("name-transfer", c)).unwrap(),
            )
        })
        .await
    };
    let owing = reasons(owing);
    assert!(owing[0].en.contains("of arrears is due on service number 1277234567890"), "{owing:?}");
    assert!(owing[0].te.as_deref().unwrap().contains("బకాయి ఉంది"));
    assert_eq!(clear, Decision::Eligible);
    assert_eq!(order.layout, Layout::Letter);
    assert!(order.title.en.contains("Name Transfer Order / పేరు మార్పు ఉత్తర్వు"));
    let printed: Vec<(&str, &str)> = order.fields().map(|f| (f.label.en.as_str(), f.value.en.as_str())).collect();
    assert!(printed.contains(&("To", "Suresh Varma")), "{printed:?}");
    assert!(printed.contains(&("New holder's Aadhaar", "XXXX XXXX 5677")));
    assert!(!printed.iter().any(|(_, v)| v.contains(AADHAAR)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_no_dues_certificate_is_issued_only_when_nothing_is_due() {
    let plugin = energy().await;
    let answers = |number: &str| {
        vec![usc(number), choice("purpose", "property-sale"), answer("aadhaar", AnswerValue::Aadhaar(AADHAAR.into()))]
    };
    let (certificate, refused) = {
        let (a, b) = (answers(PAID_UP), answers(IN_ARREARS));
        blocking(&plugin, move |p| {
            (
                p.render_document("no-dues", &application("no-dues", a)).unwrap(),
                p.render_document("no-dues", &application("no-dues", b)),
            )
        })
        .await
    };
    assert_eq!(certificate.layout, Layout::Certificate);
    assert_eq!(certificate.valid_days, Some(30));
    assert!(certificate.title.en.contains("No Dues Certificate") && certificate.title.en.contains("బకాయిలు"));
    let printed: Vec<(&str, &str)> = certificate.fields().map(|f| (f.label.en.as_str(), f.value.en.as_str())).collect();
    assert!(printed.contains(&("Service number (USC)", PAID_UP)) && printed.contains(&("Aadhaar", "XXXX XXXX 5677")));
    assert!(
        printed.iter().any(|(l, v)| *l == "Issued by" && v.contains("AP Central Power Distribution")),
        "{printed:?}"
    );
    assert!(certificate.body.unwrap().en.contains(&format!("no amount is due on service number {PAID_UP}")));
    assert!(
        matches!(refused, Err(Error::Plugin { error: PluginError::InvalidInput(ref m), .. }) if m.contains("dues are outstanding")),
        "{refused:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_outage_complaint_gets_a_number_from_the_discom_once() {
    let plugin = energy().await;
    let complaint =
        vec![usc(VIZAG), choice("fault", "transformer"), answer("mobile", AnswerValue::Phone("9876543210".into()))];
    let (first, repeat) = blocking(&plugin, move |p| {
        (p.fetch_data("outage", &complaint).unwrap(), p.fetch_data("outage", &complaint).unwrap())
    })
    .await;
    let number = field(&first, "Complaint number");
    assert!(number.starts_with("EPDCL-"), "{number}");
    assert_eq!(field(&repeat, "Complaint number"), number);
    assert!(["24 hours", "48 hours"].contains(&field(&first, "Restore within")));
    assert!(field(&first, "Attended by").ends_with("APEPDCL"));
    assert!(first.summary.te.as_deref().unwrap().contains(number));
}

#[tokio::test(flavor = "multi_thread")]
async fn surya_ghar_and_meter_readings_are_judged_on_the_consumers_record() {
    let plugin = energy().await;
    let solar = |number: &str| {
        vec![
            usc(number),
            choice("roof", "own"),
            answer("roof-area", AnswerValue::Number(250.0)),
            answer("capacity", AnswerValue::Number(1.0)),
            choice("subsidy-before", "no"),
            answer("aadhaar", AnswerValue::Aadhaar(AADHAAR.into())),
            answer("mobile", AnswerValue::Phone("9876543210".into())),
        ]
    };
    let (home, shop, estimate, bill, backwards) = {
        let (a, b, c) = (solar(PAID_UP), solar(IN_ARREARS), solar(PAID_UP));
        blocking(&plugin, move |p| {
            let bill = p.fetch_data("bill", &[usc(PAID_UP)]).unwrap();
            let present: f64 = field(&bill, "Readings (kWh)").split_once(" → ").unwrap().1.parse().unwrap();
            let backwards = p.check_eligibility(
                "meter-reading",
                &citizen(),
                &[usc(PAID_UP), answer("reading", AnswerValue::Number(present - 10.0))],
            );
            (
                p.check_eligibility("solar-rooftop", &citizen(), &a).unwrap(),
                p.check_eligibility("solar-rooftop", &citizen(), &b).unwrap(),
                p.fetch_data("solar-rooftop", &c).unwrap(),
                bill,
                backwards.unwrap(),
            )
        })
        .await
    };
    assert_eq!(home, Decision::Eligible);
    let shop = reasons(shop);
    assert!(shop[0].en.contains("domestic connections only"), "{shop:?}");
    assert!(shop[0].te.as_deref().unwrap().contains("గృహ"));
    assert_eq!(field(&estimate, "Central subsidy"), "₹30,000");
    assert_eq!(field(&estimate, "Consumer"), field(&bill, "Consumer"));
    let backwards = reasons(backwards);
    assert!(backwards[0].en.contains("below the last billed reading"), "{backwards:?}");
    assert!(backwards[0].te.as_deref().unwrap().contains("తక్కువ"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_service_number_is_asked_again_and_not_found_on_lookup() {
    let plugin = energy().await;
    let (decision, lookup) = blocking(&plugin, |p| {
        (
            p.check_eligibility("no-dues", &citizen(), &[usc("9902345678901"), choice("purpose", "other")]).unwrap(),
            p.fetch_data("bill", &[usc("9902345678901")]),
        )
    })
    .await;
    assert_eq!(decision, Decision::NeedsMore(vec!["usc".into()]));
    assert!(
        matches!(lookup, Err(Error::Plugin { error: PluginError::NotFound(ref m), .. }) if m.contains("9902345678901")),
        "{lookup:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_discom_system_down_the_bill_is_unavailable_not_a_trap() {
    let manifest = with_backend(department("energy"), down_backend());
    let (bill, eligibility) = tokio::task::spawn_blocking(move || {
        let plugin = runtime().load(manifest).unwrap();
        (plugin.fetch_data("bill", &[usc(PAID_UP)]), plugin.check_eligibility("no-dues", &citizen(), &[usc(PAID_UP)]))
    })
    .await
    .unwrap();
    for outcome in [bill.map(|_| ()), eligibility.map(|_| ())] {
        match outcome {
            Err(Error::Plugin { error: PluginError::Unavailable(msg), .. }) => {
                assert_eq!(msg, "the power distribution company's system is unreachable")
            }
            other => panic!("expected unavailable, got {other:?}"),
        }
    }
}
