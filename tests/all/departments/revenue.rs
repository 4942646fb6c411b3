//! revenue: Webland land records, e-Mutation and the Tahsildar's
//! certificates, end to end through the runtime, the real wasm component and
//! the simulated Revenue backend reached over allow-listed HTTP.

use mitra::runtime::{
    Answer, AnswerValue, Application, DataRecord, Decision, Error, FieldKind, Layout, Plugin, PluginError,
};
use mitra_backends::revenue::{adangal_record, mutation_record};
use mitra_backends::seed::DISTRICTS;
use mitra_tests::{department, down_backend, start_backend, with_backend};

use crate::support::{answer, citizen, runtime};

fn text(value: &str) -> AnswerValue {
    AnswerValue::Text(value.into())
}

fn choice(value: &str) -> AnswerValue {
    AnswerValue::Choice(value.into())
}

/// A survey number of Gollapudi village, NTR district, the village typed in Telugu.
fn gollapudi(survey: &str) -> Vec<Answer> {
    vec![
        answer("district", choice("ntr")),
        answer("mandal", choice("vijayawada-rural")),
        answer("village", text("గొల్లపూడి")),
        answer("survey", text(survey)),
    ]
}

fn applicant(name: &str) -> Vec<Answer> {
    vec![
        answer("applicant-name", text(name)),
        answer("relation", choice("son")),
        answer("guardian-name", text("Venkata Ramana Rao")),
        answer("aadhaar", AnswerValue::Aadhaar("499112345677".into())),
    ]
}

fn application(service: &str, answers: Vec<Answer>) -> Application {
    Application {
        number: "MITRA-2026-000101".into(),
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

/// Runs `calls` against the revenue plugin pointed at a freshly started simulator.
async fn with_revenue<T: Send + 'static>(calls: impl FnOnce(&Plugin) -> T + Send + 'static) -> T {
    let manifest = with_backend(department("revenue"), start_backend("revenue").await);
    tokio::task::spawn_blocking(move || {
        let rt = runtime();
        let plugin = rt.load(manifest).expect("the revenue plugin loads");
        calls(&plugin)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_catalogue_offers_ten_services_and_the_seeded_districts_and_mandals() {
    let info = with_revenue(|plugin| plugin.info().clone()).await;
    let ids: Vec<&str> = info.services.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "adangal",
            "ror-1b",
            "income",
            "caste",
            "residence",
            "ews",
            "family-member",
            "mutation-status",
            "fmb-copy",
            "agri-income"
        ]
    );
    assert_eq!(info.name.te.as_deref(), Some("రెవెన్యూ"));
    let options = |field: &str| -> Vec<(String, String)> {
        let form = &info.services[0].form;
        match &form.iter().find(|f| f.id == field).unwrap().kind {
            FieldKind::Choice(options) => {
                options.iter().map(|o| (o.label.en.clone(), o.label.te.clone().unwrap())).collect()
            }
            other => panic!("{field} is {other:?}"),
        }
    };
    let seeded: Vec<(String, String)> = DISTRICTS.iter().map(|d| (d.name.into(), d.name_te.into())).collect();
    assert_eq!(options("district"), seeded);
    let mandals: Vec<(String, String)> =
        DISTRICTS.iter().flat_map(|d| d.mandals).map(|m| (m.name.into(), m.name_te.into())).collect();
    assert_eq!(options("mandal"), mandals);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_adangal_is_fetched_from_webland_over_the_allow_listed_backend() {
    let expected = adangal_record("NTR", "Vijayawada Rural", "Gollapudi", "11").unwrap();
    let (adangal, ror) = with_revenue(|plugin| {
        (
            plugin.fetch_data("adangal", &gollapudi("11")).unwrap(),
            plugin.fetch_data("ror-1b", &gollapudi("11")).unwrap(),
        )
    })
    .await;
    let pattadar = expected.pattadar.unwrap();
    assert!(adangal.summary.en.contains(&pattadar.en), "{}", adangal.summary.en);
    assert!(adangal.summary.te.as_deref().unwrap().contains(&pattadar.te));
    assert_eq!(field(&adangal, "Pattadar"), format!("{} / {}", pattadar.en, pattadar.te));
    assert_eq!(field(&adangal, "Khata No."), expected.khata.to_string());
    let cents = expected.extent_cents;
    assert!(field(&adangal, "Extent").starts_with(&format!("{}.{:02} ac", cents / 100, cents % 100)));
    assert_eq!(field(&adangal, "Updated by"), "VRO, Gollapudi");
    assert!(field(&adangal, "Village").contains("గొల్లపూడి"));

    // The 1-B of the same survey lists the whole khata: 10/1, 10/2, 11 and 12.
    assert_eq!(field(&ror, "Pattadar"), field(&adangal, "Pattadar"));
    let parcels: Vec<&str> =
        ror.fields.iter().filter(|f| f.label.en.starts_with("Sy. No.")).map(|f| f.label.en.as_str()).collect();
    assert_eq!(parcels, ["Sy. No. 10/1", "Sy. No. 10/2", "Sy. No. 11", "Sy. No. 12"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_misspelt_village_is_asked_again_and_an_unknown_survey_is_not_found() {
    let (decision, missing_village, missing_survey) = with_revenue(|plugin| {
        let mut answers = gollapudi("11");
        answers[2] = answer("village", text("Atlantis"));
        (
            plugin.check_eligibility("adangal", &citizen(), &answers).unwrap(),
            plugin.fetch_data("adangal", &answers).unwrap_err(),
            plugin.fetch_data("adangal", &gollapudi("999")).unwrap_err(),
        )
    })
    .await;
    assert_eq!(decision, Decision::NeedsMore(vec!["village".into()]));
    assert!(
        matches!(&missing_village, Error::Plugin { error: PluginError::NotFound(m), .. } if m.contains("Atlantis"))
    );
    match missing_survey {
        Error::Plugin { error: PluginError::NotFound(message), .. } => {
            assert!(message.contains("no survey number 999"), "{message}")
        }
        other => panic!("expected not-found, got {other}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agricultural_income_certificate_goes_only_to_the_pattadar() {
    let pattadar = adangal_record("NTR", "Vijayawada Rural", "Gollapudi", "11").unwrap().pattadar.unwrap().en;
    let form = |name: &str, survey: &str| {
        let mut answers = applicant(name);
        answers.extend(gollapudi(survey));
        answers.push(answer("purpose", choice("loan")));
        answers
    };
    let (owner, stranger, poramboke, document) = with_revenue(move |plugin| {
        let who = citizen();
        let check = |answers: Vec<Answer>| plugin.check_eligibility("agri-income", &who, &answers).unwrap();
        (
            check(form(&pattadar, "11")),
            check(form("Nagaraju Shaik", "11")),
            // Survey 193 of Gollapudi is Government grazing land: no 1-B khata.
            check(form(&pattadar, "193")),
            plugin.render_document("agri-income", &application("agri-income", form(&pattadar, "11"))).unwrap(),
        )
    })
    .await;
    assert_eq!(owner, Decision::Eligible);
    let why = reasons(stranger);
    assert!(why[0].0.contains("only the pattadar") && why[0].1.contains("పట్టాదారు"), "{why:?}");
    let why = reasons(poramboke);
    assert!(why[0].0.contains("no 1-B khata") && why[0].0.contains("poramboke"), "{why:?}");
    assert!(why[0].1.contains("1-బి"), "{why:?}");

    assert_eq!(document.layout, Layout::Certificate);
    assert!(document.title.en.contains("Agricultural Income Certificate"));
    assert!(document.title.te.as_deref().unwrap().contains("వ్యవసాయ ఆదాయ"));
    assert_eq!(document.valid_days, Some(365));
    let value = |label: &str| document.fields().find(|f| f.label.en == label).map(|f| f.value.en.clone());
    assert_eq!(value("Aadhaar").as_deref(), Some("XXXX XXXX 5677"));
    assert!(value("Annual agricultural income").unwrap().contains("Rupees"));
    assert!(value("Issued by").unwrap().starts_with("Tahsildar, Vijayawada Rural Mandal"));
    assert!(!document.fields().any(|f| f.value.en.contains("499112345677")));
}

fn income_form(purpose: &str, rice_card: &str) -> Vec<Answer> {
    let mut answers = applicant("Suresh Rao");
    answers.extend([
        answer("district", choice("guntur")),
        answer("mandal", choice("tenali")),
        answer("village", text("Kolakaluru")),
        answer("address", text("4-56, Temple Street")),
        answer("lives-here", choice("yes")),
        answer("occupation", choice("agriculture")),
        answer("income", AnswerValue::Number(120_000.0)),
        answer("rice-card", choice(rice_card)),
        answer("purpose", choice(purpose)),
    ]);
    answers
}

#[tokio::test(flavor = "multi_thread")]
async fn an_income_certificate_is_issued_for_four_years_and_refused_where_the_rice_card_suffices() {
    let (eligible, refused, document) = with_revenue(|plugin| {
        let who = citizen();
        (
            plugin.check_eligibility("income", &who, &income_form("education", "yes")).unwrap(),
            plugin.check_eligibility("income", &who, &income_form("welfare", "yes")).unwrap(),
            plugin.render_document("income", &application("income", income_form("education", "yes"))).unwrap(),
        )
    })
    .await;
    assert_eq!(eligible, Decision::Eligible);
    let why = reasons(refused);
    assert!(why[0].0.contains("rice card") && why[0].1.contains("బియ్యం కార్డ"), "{why:?}");

    assert_eq!(document.layout, Layout::Certificate);
    assert_eq!(document.title.en, "Income Certificate / ఆదాయ ధృవీకరణ పత్రం");
    assert_eq!(document.valid_days, Some(4 * 365 + 1));
    let value = |label: &str| document.fields().find(|f| f.label.en == label).unwrap().value.en.clone();
    assert_eq!(value("Certificate No."), "MITRA-2026-000101");
    assert_eq!(value("Son of"), "S/o Venkata Ramana Rao");
    assert_eq!(value("Annual family income"), "₹1,20,000 (Rupees One Lakh Twenty Thousand only)");
    assert_eq!(value("Address"), "4-56, Temple Street, Kolakaluru, Tenali Mandal, Guntur District");
    assert_eq!(value("Aadhaar"), "XXXX XXXX 5677");
    assert!(document.body.unwrap().te.unwrap().contains("గ్రామ రెవెన్యూ అధికారి"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_community_certificate_follows_the_presidential_order() {
    let form = |community: &str, religion: &str| {
        let mut answers = applicant("Anjali Yadav");
        answers.extend([
            answer("dob", AnswerValue::Date("2004-06-15".into())),
            answer("community", choice(community)),
            answer("caste", text("Yadava")),
            answer("religion", choice(religion)),
            answer("district", choice("kurnool")),
            answer("mandal", choice("kallur")),
            answer("village", text("Pedda Tekur")),
            answer("address", text("2-14, Main Road")),
        ]);
        answers
    };
    let (bc, sc_christian, document) = with_revenue(move |plugin| {
        let who = citizen();
        (
            plugin.check_eligibility("caste", &who, &form("bc-d", "hindu")).unwrap(),
            plugin.check_eligibility("caste", &who, &form("sc", "christian")).unwrap(),
            plugin.render_document("caste", &application("caste", form("bc-d", "hindu"))).unwrap(),
        )
    })
    .await;
    assert_eq!(bc, Decision::Eligible);
    let why = reasons(sc_christian);
    assert!(why[0].0.contains("BC-C") && why[0].1.contains("బీసీ-సి"), "{why:?}");
    assert!(document.title.te.as_deref().unwrap().starts_with("కుల ధృవీకరణ పత్రం"));
    // A community certificate does not expire.
    assert_eq!(document.valid_days, None);
    let body = document.body.unwrap();
    assert!(body.en.contains("Yadava caste, recognised as BC-D") && body.en.contains("Pedda Tekur"), "{}", body.en);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mutation_application_says_who_holds_it_and_an_unknown_one_is_not_found() {
    let expected = mutation_record("MUT-2024-004821").unwrap();
    let (record, missing) = with_revenue(|plugin| {
        let ask = |number: &str| plugin.fetch_data("mutation-status", &[answer("number", text(number))]);
        (ask("mut 2024 4821").unwrap(), ask("MUT-2024-099999").unwrap_err())
    })
    .await;
    let holder = expected.pending_with.expect("MUT-2024-004821 is pending");
    assert_eq!(record.summary.en, format!("Mutation MUT-2024-004821: pending with the {}", holder.en));
    assert!(record.summary.te.as_deref().unwrap().contains(&holder.te));
    assert_eq!(field(&record, "To"), format!("{} / {}", expected.transferee.en, expected.transferee.te));
    assert!(matches!(missing, Error::Plugin { error: PluginError::NotFound(_), .. }), "{missing}");
}

#[tokio::test(flavor = "multi_thread")]
async fn when_webland_is_down_the_citizen_is_told_it_is_briefly_unavailable() {
    let manifest = with_backend(department("revenue"), down_backend());
    let (fetched, checked) = tokio::task::spawn_blocking(move || {
        let rt = runtime();
        let plugin = rt.load(manifest).unwrap();
        let mut agri = applicant("Lakshmi Reddy");
        agri.extend(gollapudi("11"));
        agri.push(answer("purpose", choice("loan")));
        (plugin.fetch_data("adangal", &gollapudi("11")), plugin.check_eligibility("agri-income", &citizen(), &agri))
    })
    .await
    .unwrap();
    for result in [fetched.map(|_| ()), checked.map(|_| ())] {
        match result {
            Err(Error::Plugin { error: PluginError::Unavailable(message), .. }) => {
                assert!(message.contains("Webland") && message.contains("unreachable"), "{message}")
            }
            other => panic!("expected unavailable, got {other:?}"),
        }
    }
}
