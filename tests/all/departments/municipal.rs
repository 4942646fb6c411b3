//! municipal: births and deaths, property tax with UPI payment, trade
//! licences, tap connections, building permissions and sanitation
//! complaints, end to end through the runtime, the real wasm component and
//! the simulated corporation systems reached over allow-listed HTTP.

use mitra::runtime::{Answer, AnswerValue, Application, DataRecord, Decision, Error, Geo, Layout, Plugin, PluginError};
use mitra_backends::municipal::{ULBS, birth_record, death_record, property_tax_record};
use mitra_tests::{department, down_backend, start_backend, with_backend};

use crate::support::{answer, citizen, runtime};

fn text(value: &str) -> AnswerValue {
    AnswerValue::Text(value.into())
}

fn choice(value: &str) -> AnswerValue {
    AnswerValue::Choice(value.into())
}

fn application(service: &str, answers: Vec<Answer>) -> Application {
    Application {
        number: "MITRA-2026-000202".into(),
        service_id: service.into(),
        applicant: citizen(),
        answers,
        submitted_at: "2026-11-22T10:00:00+05:30".into(),
    }
}

fn field<'a>(record: &'a DataRecord, label: &str) -> &'a str {
    record.fields.iter().find(|f| f.label.en == label).map(|f| f.value.as_str()).unwrap_or_else(|| {
        panic!("no field {label:?} in {:?}", record.fields.iter().map(|f| &f.label.en).collect::<Vec<_>>())
    })
}

fn reasons(decision: Decision) -> Vec<(String, String)> {
    match decision {
        Decision::Ineligible(reasons) => {
            assert!(!reasons.is_empty());
            reasons.into_iter().map(|r| (r.en, r.te.expect("every reason is in Telugu too"))).collect()
        }
        other => panic!("expected ineligible, got {other:?}"),
    }
}

/// Runs `calls` against the municipal plugin pointed at a freshly started simulator.
async fn with_municipal<T: Send + 'static>(calls: impl FnOnce(&Plugin) -> T + Send + 'static) -> T {
    let manifest = with_backend(department("municipal"), start_backend("municipal").await);
    tokio::task::spawn_blocking(move || {
        let rt = runtime();
        let plugin = rt.load(manifest).expect("the municipal plugin loads");
        calls(&plugin)
    })
    .await
    .unwrap()
}

fn registration(number: &str) -> Vec<Answer> {
    vec![answer("registration", text(number))]
}

fn assessment(number: &str) -> Vec<Answer> {
    vec![answer("assessment", text(number))]
}

#[tokio::test(flavor = "multi_thread")]
async fn a_birth_certificate_is_rendered_from_the_birth_register() {
    let expected = birth_record("B-2023-VJA-04821").unwrap();
    let (decision, record, document) = with_municipal(|plugin| {
        let typed = registration("b 2023 vja 4821");
        (
            plugin.check_eligibility("birth-certificate", &citizen(), &typed).unwrap(),
            plugin.fetch_data("birth-certificate", &typed).unwrap(),
            plugin.render_document("birth-certificate", &application("birth-certificate", typed.clone())).unwrap(),
        )
    })
    .await;
    assert_eq!(decision, Decision::Eligible);
    let child = expected.child.unwrap();
    assert!(record.summary.en.contains(&child.en), "{}", record.summary.en);
    assert_eq!(field(&record, "Mother's name"), format!("{} / {}", expected.mother.en, expected.mother.te));

    assert_eq!(document.layout, Layout::Certificate);
    assert_eq!(
        (document.title.en.as_str(), document.title.te.as_deref()),
        ("Birth Certificate", Some("జనన ధృవీకరణ పత్రం"))
    );
    // A birth certificate does not expire.
    assert_eq!(document.valid_days, None);
    // Contract 0.2.0: the child is the holder, named in both scripts.
    let holder = document.holder.as_ref().unwrap();
    assert_eq!((holder.name.en.as_str(), holder.name.te.as_deref()), (child.en.as_str(), Some(child.te.as_str())));
    assert_eq!(holder.identifiers[0].value, "B-2023-VJA-04821");
    let value = |label: &str| document.fields().find(|f| f.label.en == label).unwrap().value.en.clone();
    let telugu = |label: &str| document.fields().find(|f| f.label.en == label).unwrap().value.te.clone();
    assert_eq!((value("Name of mother"), telugu("Name of mother")), (expected.mother.en, Some(expected.mother.te)));
    let (y, m, d) = (&expected.date_of_birth[..4], &expected.date_of_birth[5..7], &expected.date_of_birth[8..]);
    assert_eq!(value("Date of birth"), format!("{d}-{m}-{y}"));
    assert!(value("Issuing authority").starts_with("Registrar of Births & Deaths, Vijayawada Municipal Corporation"));
    assert!(document.body.unwrap().en.contains("Registration of Births and Deaths Act, 1969"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_birth_without_a_registered_name_or_not_registered_at_all_is_refused() {
    assert!(birth_record("B-2023-VJA-00022").unwrap().child.is_none());
    let (unnamed, unknown) = with_municipal(|plugin| {
        let check = |number: &str| plugin.check_eligibility("birth-certificate", &citizen(), &registration(number));
        (check("B-2023-VJA-00022").unwrap(), check("B-2023-VJA-99999").unwrap())
    })
    .await;
    let why = reasons(unnamed);
    assert!(why[0].0.contains("name is not yet in the birth register") && why[0].1.contains("పేరు"), "{why:?}");
    let why = reasons(unknown);
    assert!(why[0].0.contains("No birth is registered as B-2023-VJA-99999"), "{why:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_death_certificate_names_the_deceased_and_the_relation() {
    let expected = death_record("D-2024-GNT-00318").unwrap();
    let document = with_municipal(|plugin| {
        let answers = registration("D-2024-GNT-00318");
        assert_eq!(plugin.check_eligibility("death-certificate", &citizen(), &answers).unwrap(), Decision::Eligible);
        plugin.render_document("death-certificate", &application("death-certificate", answers)).unwrap()
    })
    .await;
    assert_eq!(document.layout, Layout::Certificate);
    assert!(document.title.te.as_deref().unwrap().starts_with("మరణ ధృవీకరణ పత్రం"));
    let holder = document.holder.as_ref().unwrap();
    assert_eq!(
        (holder.name.en.as_str(), holder.name.te.as_deref()),
        (&*expected.deceased.en, Some(&*expected.deceased.te))
    );
    let value = |label: &str| document.fields().find(|f| f.label.en == label).unwrap().value.clone();
    assert_eq!(value("Father / husband").en, expected.relation.en);
    assert_eq!(value("Father / husband").te, Some(expected.relation.te));
    let value = |label: &str| value(label).en;
    assert_eq!(value("Age"), format!("{} years", expected.age));
}

#[tokio::test(flavor = "multi_thread")]
async fn property_tax_dues_come_with_a_upi_intent_link_and_a_receipt() {
    let expected = property_tax_record("1001000006").unwrap();
    assert!(expected.arrears_paise > 0 && expected.interest_paise > 0);
    let (dues, owing, paid_up, receipt) = with_municipal(|plugin| {
        let who = citizen();
        (
            plugin.fetch_data("property-tax", &assessment("1001 000 006")).unwrap(),
            plugin.check_eligibility("pay-property-tax", &who, &assessment("1001000006")).unwrap(),
            plugin.check_eligibility("pay-property-tax", &who, &assessment("1001000001")).unwrap(),
            plugin
                .render_document("pay-property-tax", &application("pay-property-tax", assessment("1001000006")))
                .unwrap(),
        )
    })
    .await;
    let total = expected.total_due_paise;
    let amount = format!("{}.{:02}", total / 100, total % 100);
    assert_eq!(
        field(&dues, "Pay by UPI"),
        format!(
            "upi://pay?pa=vmc.propertytax@mitrasim&pn=Vijayawada%20Municipal%20Corporation&am={amount}&tr={}\
             &tn=Property%20tax%201001000006%20{}&cu=INR",
            expected.demand_ref, expected.financial_year
        )
    );
    assert!(dues.summary.en.contains("due") && dues.summary.en.contains(&expected.owner.en), "{}", dues.summary.en);
    assert!(field(&dues, "Interest (2% a month)").starts_with('₹'));

    assert_eq!(owing, Decision::Eligible);
    let why = reasons(paid_up);
    assert!(why[0].0.starts_with("Nothing is due on assessment 1001000001"), "{why:?}");
    assert!(why[0].1.contains("బకాయి లేదు"), "{why:?}");

    assert_eq!(receipt.layout, Layout::Receipt);
    assert!(receipt.title.en.starts_with("Property Tax Receipt"));
    let value = |label: &str| receipt.fields().find(|f| f.label.en == label).unwrap().value.en.clone();
    assert!(value("Amount paid").ends_with(&format!(".{:02}", total % 100)));
    assert_eq!(value("Payment reference"), expected.demand_ref);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tap_connection_needs_property_tax_paid_and_no_connection_yet() {
    let form = |number: &str, pipe: &str| {
        let mut answers = assessment(number);
        answers.extend([
            answer("use", choice("domestic")),
            answer("pipe", choice(pipe)),
            answer("phone", AnswerValue::Phone("9876543210".into())),
        ]);
        answers
    };
    let (clear, owing, too_wide) = with_municipal(move |plugin| {
        let check = |answers: Vec<Answer>| plugin.check_eligibility("water-tap", &citizen(), &answers).unwrap();
        (check(form("1001000020", "15mm")), check(form("1001000009", "15mm")), check(form("1001000020", "25mm")))
    })
    .await;
    assert_eq!(clear, Decision::Eligible);
    let why = reasons(owing);
    assert_eq!(why.len(), 1, "{why:?}");
    assert!(why[0].0.starts_with("Property tax of ₹") && why[0].1.contains("ఆస్తి పన్ను"), "{why:?}");
    assert!(reasons(too_wide)[0].0.contains("25 mm is for non-domestic use"));
}

fn licence_form(kind: &str, category: &str, extra: &[(&str, &str)]) -> Vec<Answer> {
    let mut answers = vec![
        answer("kind", choice(kind)),
        answer("ulb", choice("vja")),
        answer("trade-name", text("Sri Lakshmi Tiffin Centre")),
        answer("owner", text("Lakshmi Naidu")),
        answer("category", choice(category)),
        answer("premises", text("12-3-45, Governorpet")),
        answer("area", AnswerValue::Number(400.0)),
    ];
    answers.extend(extra.iter().map(|(id, value)| answer(id, text(value))));
    answers
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trade_licence_needs_fssai_for_food_and_a_suspended_one_is_not_renewed() {
    let (without_fssai, with_fssai, suspended, licence) = with_municipal(|plugin| {
        let who = citizen();
        let check = |answers: Vec<Answer>| plugin.check_eligibility("trade-licence", &who, &answers).unwrap();
        let fssai = [("fssai", "10012345678901")];
        (
            check(licence_form("new", "eatery", &[])),
            check(licence_form("new", "eatery", &fssai)),
            check(licence_form("renewal", "hardware", &[("licence-number", "TL-VJA-2024-00124")])),
            plugin
                .render_document("trade-licence", &application("trade-licence", licence_form("new", "eatery", &fssai))),
        )
    })
    .await;
    assert_eq!(without_fssai, Decision::NeedsMore(vec!["fssai".into()]));
    assert_eq!(with_fssai, Decision::Eligible);
    let why = reasons(suspended);
    assert!(why[0].0.contains("suspended") && why[0].0.contains("sanitation"), "{why:?}");
    let licence = licence.unwrap();
    assert_eq!(licence.layout, Layout::Certificate);
    let days = licence.valid_days.expect("a licence runs to 31 March");
    assert!((1..=366).contains(&days), "{days}");
    let value = |label: &str| licence.fields().find(|f| f.label.en == label).unwrap().value.en.clone();
    assert!(value("Valid until").starts_with("31-03-"));
    assert_eq!(value("Annual licence fee"), "₹1,600.00");
    assert_eq!(value("FSSAI No."), "10012345678901");
}

#[tokio::test(flavor = "multi_thread")]
async fn building_permission_status_is_looked_up_on_dpms() {
    let record = with_municipal(|plugin| {
        plugin.fetch_data("building-permission", &[answer("number", text("bp-vja-2025-1234"))]).unwrap()
    })
    .await;
    assert!(record.summary.en.starts_with("Building permission BP-VJA-2025-01234: "), "{}", record.summary.en);
    assert!(field(&record, "Site").contains("Vijayawada"));
    assert_eq!(field(&record, "Status"), "rejected");
    assert!(field(&record, "Remarks").contains("road widening"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sanitation_complaint_is_filed_once_and_receipted_and_villages_are_sent_to_the_panchayat() {
    let at = |latitude: f64, longitude: f64| {
        vec![
            answer("category", choice("garbage")),
            answer(
                "location",
                AnswerValue::Location(Geo { latitude, longitude, name: None, address: Some("Patamata".into()) }),
            ),
            answer("landmark", text("Near Benz Circle")),
        ]
    };
    let (inside, outside, first, again) = with_municipal(move |plugin| {
        let who = citizen();
        let filed = application("sanitation", at(16.5, 80.66));
        (
            plugin.check_eligibility("sanitation", &who, &at(16.5, 80.66)).unwrap(),
            plugin.check_eligibility("sanitation", &who, &at(14.68, 77.60)).unwrap(),
            plugin.render_document("sanitation", &filed).unwrap(),
            plugin.render_document("sanitation", &filed).unwrap(),
        )
    })
    .await;
    assert_eq!(inside, Decision::Eligible);
    assert!(reasons(outside)[0].1.contains("గ్రామ పంచాయతీ"));
    assert_eq!(first.layout, Layout::Receipt);
    let value = |label: &str| first.fields().find(|f| f.label.en == label).unwrap().value.en.clone();
    assert!(value("Complaint No.").starts_with("SAN-VJA-"), "{}", value("Complaint No."));
    assert_eq!(value("To be resolved within"), "24 hours");
    assert_eq!(first.sections, again.sections, "filing the same application twice files one complaint");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_corporations_in_the_plugin_are_those_of_the_backend() {
    let info = with_municipal(|plugin| plugin.info().clone()).await;
    let trade = info.services.iter().find(|s| s.id == "trade-licence").unwrap();
    let ulb = trade.form.iter().find(|f| f.id == "ulb").unwrap();
    let mitra::runtime::FieldKind::Choice(options) = &ulb.kind else { panic!("ulb is a choice") };
    let codes: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
    let backend: Vec<String> = ULBS.iter().map(|u| u.code.to_ascii_lowercase()).collect();
    assert_eq!(codes, backend);
    assert_eq!(info.services.len(), 8);
}

#[tokio::test(flavor = "multi_thread")]
async fn when_the_corporation_system_is_down_the_citizen_is_told_it_is_briefly_unavailable() {
    let manifest = with_backend(department("municipal"), down_backend());
    let (fetched, rendered) = tokio::task::spawn_blocking(move || {
        let rt = runtime();
        let plugin = rt.load(manifest).unwrap();
        (
            plugin.fetch_data("property-tax", &assessment("1001000006")).map(|_| ()),
            plugin
                .render_document(
                    "birth-certificate",
                    &application("birth-certificate", registration("B-2023-VJA-04821")),
                )
                .map(|_| ()),
        )
    })
    .await
    .unwrap();
    for result in [fetched, rendered] {
        match result {
            Err(Error::Plugin { error: PluginError::Unavailable(message), .. }) => {
                assert!(message.contains("municipal corporation's system is unreachable"), "{message}")
            }
            other => panic!("expected unavailable, got {other:?}"),
        }
    }
}
