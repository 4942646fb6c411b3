//! agriculture: the department plugin written in Python (componentize-py,
//! `plugins/python/agriculture/`) end to end through the same runtime as the
//! Rust plugins, against its backend simulator over allow-listed HTTP.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, OnceLock};

use mitra::runtime::{
    Answer, AnswerValue, Application, DataRecord, Decision, Error, Layout, Manifest, Plugin, PluginError, Runtime,
};
use mitra_tests::components::REPO_ROOT;
use mitra_tests::{down_backend, start_backend, with_backend};

use super::ist_date;
use crate::support::{answer, citizen, runtime_cached_in};

/// A registered farmer: Ravi Kumar Chowdary of Kondapalli (NTR), e-KYC done;
/// in Kharif paddy on 117/1 (0.87 acres), groundnut and cotton elsewhere; 13
/// quintals of paddy already sold at MSP; a seed drill received two years ago.
const FARMER: &str = "234123473440";
/// A valid Aadhaar that is not in the farmer registry.
const UNREGISTERED: &str = "234123456783";

/// The plugin's manifest as shipped, with its component.
fn manifest() -> Manifest {
    let manifest = Manifest::load(&Path::new(REPO_ROOT).join("plugins/python/agriculture")).unwrap();
    assert!(
        manifest.component.exists(),
        "{} is missing: run plugins/python/agriculture/build.sh (python3 + componentize-py from PyPI)",
        manifest.component.display()
    );
    manifest
}

/// One runtime for this module with a compile cache: compiling the ~18 MB
/// Python component takes seconds, loading it again from the cache does not.
static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("agriculture-cwasm");
    // One compile per test run; stale builds would only pile up.
    let _ = std::fs::remove_dir_all(&cache);
    runtime_cached_in(cache)
});
static COMPILED: OnceLock<()> = OnceLock::new();

fn load(manifest: Manifest) -> Arc<Plugin> {
    // The first test compiles into the cache while the others wait for it.
    COMPILED.get_or_init(|| drop(RUNTIME.load(manifest.clone()).unwrap()));
    Arc::new(RUNTIME.load(manifest).unwrap())
}

/// The plugin pointed at a freshly started simulator.
async fn agriculture() -> Arc<Plugin> {
    let manifest = with_backend(manifest(), start_backend("agriculture").await);
    tokio::task::spawn_blocking(move || load(manifest)).await.unwrap()
}

/// Runs plugin calls off the async runtime: they block on HTTP to the
/// simulator, which is served by this same runtime.
async fn blocking<R: Send + 'static>(plugin: &Arc<Plugin>, f: impl FnOnce(&Plugin) -> R + Send + 'static) -> R {
    let plugin = plugin.clone();
    tokio::task::spawn_blocking(move || f(&plugin)).await.unwrap()
}

fn aadhaar(number: &str) -> Answer {
    answer("aadhaar", AnswerValue::Aadhaar(number.into()))
}

fn choice(field: &str, id: &str) -> Answer {
    answer(field, AnswerValue::Choice(id.into()))
}

fn number(field: &str, value: f64) -> Answer {
    answer(field, AnswerValue::Number(value))
}

fn text(field: &str, value: &str) -> Answer {
    answer(field, AnswerValue::Text(value.into()))
}

fn reasons(decision: Decision) -> Vec<mitra::runtime::Text> {
    match decision {
        Decision::Ineligible(reasons) => {
            assert!(!reasons.is_empty());
            for reason in &reasons {
                assert!(reason.te.as_deref().is_some_and(|te| !te.is_empty()), "{reason:?} has no Telugu");
            }
            reasons
        }
        other => panic!("expected ineligible, got {other:?}"),
    }
}

/// A document field's value as printed.
fn doc_value<'a>(document: &'a mitra::runtime::Document, label: &str) -> &'a str {
    document.fields().find(|f| f.label.en == label).map(|f| f.value.en.as_str()).unwrap_or_else(|| {
        panic!("no field {label:?} in {:?}", document.fields().map(|f| &f.label.en).collect::<Vec<_>>())
    })
}

fn value<'a>(record: &'a [mitra::runtime::Labelled], label: &str) -> &'a str {
    record
        .iter()
        .find(|f| f.label.en == label)
        .map(|f| f.value.as_str())
        .unwrap_or_else(|| panic!("no field {label:?} in {record:?}"))
}

fn application(service: &str, answers: Vec<Answer>) -> Application {
    Application {
        number: "AGRI-2026-000117".into(),
        service_id: service.into(),
        applicant: citizen(),
        answers,
        submitted_at: "2026-11-20T10:15:00+05:30".into(),
    }
}

fn msp_answers(quintals: f64, moisture: f64, date: String) -> Vec<Answer> {
    vec![
        aadhaar(FARMER),
        choice("crop", "paddy-common"),
        number("quintals", quintals),
        number("moisture", moisture),
        answer("date", AnswerValue::Date(date)),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn the_python_plugin_describes_eight_services_in_three_languages() {
    let plugin = agriculture().await;
    let info = plugin.info();
    assert_eq!((info.id.as_str(), info.contract_version.as_str()), ("agriculture", "0.1.0"));
    assert_eq!(info.name.te.as_deref(), Some("వ్యవసాయ శాఖ"));
    let ids: Vec<&str> = info.services.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "rythu-bharosa",
            "crop-insurance",
            "soil-health-card",
            "seed-subsidy",
            "ecrop-status",
            "msp-slot",
            "weather-advisory",
            "machinery-subsidy"
        ]
    );
    for service in &info.services {
        assert!(service.title.te.is_some() && service.title.hi.is_some(), "{}", service.id);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn rythu_bharosa_payments_come_from_the_agriculture_backend() {
    let plugin = agriculture().await;
    let record: DataRecord = blocking(&plugin, |p| p.fetch_data("rythu-bharosa", &[aadhaar(FARMER)])).await.unwrap();
    // The yearly ₹13,500: the State's two instalments and PM-KISAN's three.
    assert!(record.summary.en.contains("of ₹13,500 credited for"), "{}", record.summary.en);
    assert!(record.summary.te.as_deref().unwrap().contains("జమ అయింది"));
    assert_eq!(value(&record.fields, "Farmer"), "Ravi Kumar Chowdary (Kondapalli)");
    assert!(value(&record.fields, "Bank account").contains("XXXXXX"));
    let instalments: Vec<_> = record.fields.iter().filter(|f| f.label.en.starts_with("Instalment")).collect();
    assert_eq!(instalments.len(), 5);
    assert!(instalments.iter().any(|f| f.label.te.as_deref().unwrap().contains("పీఎం-కిసాన్")));

    let missing = blocking(&plugin, |p| p.fetch_data("rythu-bharosa", &[aadhaar(UNREGISTERED)])).await.unwrap_err();
    assert!(matches!(missing, Error::Plugin { error: PluginError::NotFound(_), .. }), "{missing}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_msp_slot_within_the_ecrop_quota_is_booked_with_a_token() {
    let plugin = agriculture().await;
    let on = ist_date(3);
    let answers = msp_answers(10.0, 16.0, on.clone());
    let decision = blocking(&plugin, {
        let answers = answers.clone();
        move |p| p.check_eligibility("msp-slot", &citizen(), &answers)
    })
    .await
    .unwrap();
    assert_eq!(decision, Decision::Eligible);

    // 0.87 booked acres × 30 quintals, less the 13 already sold.
    let over = blocking(&plugin, move |p| p.check_eligibility("msp-slot", &citizen(), &msp_answers(20.0, 16.0, on)))
        .await
        .unwrap();
    let why = reasons(over);
    assert!(why[0].en.contains("13.1 more quintals"), "{:?}", why[0]);
    let wet = blocking(&plugin, |p| p.check_eligibility("msp-slot", &citizen(), &msp_answers(10.0, 21.0, ist_date(0))))
        .await
        .unwrap();
    assert!(reasons(wet)[0].en.contains("17% moisture"));

    let token =
        blocking(&plugin, move |p| p.render_document("msp-slot", &application("msp-slot", answers))).await.unwrap();
    assert_eq!(token.layout, Layout::Receipt);
    assert!(token.title.en.contains("MSP Procurement Token / "));
    assert!(doc_value(&token, "Token").starts_with("MSP-NTR-"));
    assert_eq!(doc_value(&token, "Rythu Seva Kendram"), "RSK Kondapalli (ఆర్‌ఎస్‌కే కొండపల్లి)");
    assert_eq!(doc_value(&token, "Aadhaar"), "XXXX XXXX 3440");
    assert_eq!(doc_value(&token, "Expected value"), "₹23,690");
    // Valid through the slot's day.
    assert_eq!(token.valid_days, Some(4));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crop_insurance_claim_needs_the_crop_booked_in_ecrop() {
    let plugin = agriculture().await;
    let claim = |crop: &str, loss: f64| {
        vec![
            aadhaar(FARMER),
            choice("season", "kharif"),
            choice("crop", crop),
            choice("cause", "flood"),
            answer("loss-date", AnswerValue::Date(ist_date(-1))),
            number("loss-percent", loss),
            answer(
                "damage-photo",
                AnswerValue::Media(mitra::runtime::Media {
                    id: "wamid.photo".into(),
                    mime_type: "image/jpeg".into(),
                    sha256: "0".repeat(64),
                    filename: None,
                }),
            ),
        ]
    };
    let paddy = claim("paddy", 60.0);
    let decision = blocking(&plugin, {
        let paddy = paddy.clone();
        move |p| p.check_eligibility("crop-insurance", &citizen(), &paddy)
    })
    .await
    .unwrap();
    assert_eq!(decision, Decision::Eligible);

    let chilli = claim("chilli", 60.0);
    let why =
        reasons(blocking(&plugin, move |p| p.check_eligibility("crop-insurance", &citizen(), &chilli)).await.unwrap());
    assert!(why[0].en.contains("not booked in e-Crop"), "{:?}", why[0]);
    assert!(why[0].te.as_deref().unwrap().contains("ఈ-క్రాప్"));
    let small = claim("paddy", 20.0);
    let why =
        reasons(blocking(&plugin, move |p| p.check_eligibility("crop-insurance", &citizen(), &small)).await.unwrap());
    assert!(why[0].en.contains("at least 33%"));

    let receipt =
        blocking(&plugin, move |p| p.render_document("crop-insurance", &application("crop-insurance", paddy)))
            .await
            .unwrap();
    assert_eq!(receipt.layout, Layout::Receipt);
    assert_eq!(receipt.title.te.as_deref(), Some("పంట బీమా క్లెయిమ్ రసీదు / Crop Insurance Claim Acknowledgement"));
    assert_eq!(doc_value(&receipt, "Farmer"), "Ravi Kumar Chowdary (రవి కుమార్ చౌదరి)");
    assert_eq!(doc_value(&receipt, "Aadhaar"), "XXXX XXXX 3440");
    assert_eq!(doc_value(&receipt, "Survey numbers (e-Crop)"), "117/1 (0.87 ac)");
    assert_eq!(doc_value(&receipt, "Cause of loss"), "Flood / waterlogging (వరద / నీట మునక)");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_seed_permit_charges_small_farmers_ten_percent() {
    let plugin = agriculture().await;
    let seed = |acres: f64, kg: f64| {
        vec![
            aadhaar(FARMER),
            choice("season", "kharif"),
            choice("crop", "groundnut"),
            number("land-acres", acres),
            number("quantity-kg", kg),
        ]
    };
    let small = seed(2.0, 200.0);
    let decision = blocking(&plugin, {
        let small = small.clone();
        move |p| p.check_eligibility("seed-subsidy", &citizen(), &small)
    })
    .await
    .unwrap();
    assert_eq!(decision, Decision::Eligible);
    let too_much = seed(2.0, 300.0);
    let why =
        reasons(blocking(&plugin, move |p| p.check_eligibility("seed-subsidy", &citizen(), &too_much)).await.unwrap());
    assert!(why[0].en.contains("at most 200 kg"));

    let permit = blocking(&plugin, move |p| p.render_document("seed-subsidy", &application("seed-subsidy", small)))
        .await
        .unwrap();
    assert_eq!(doc_value(&permit, "Full price"), "₹18,400");
    assert_eq!(doc_value(&permit, "Subsidy"), "90% · ₹16,560");
    assert_eq!(doc_value(&permit, "Farmer pays"), "₹1,840");
    // The registry's father shares the farmer's family name.
    assert!(doc_value(&permit, "Father's name").ends_with(" Chowdary"));
    assert_eq!(permit.valid_days, Some(15));
    let large =
        blocking(&plugin, move |p| p.render_document("seed-subsidy", &application("seed-subsidy", seed(8.0, 400.0))))
            .await
            .unwrap();
    assert_eq!(doc_value(&large, "Subsidy"), "50% · ₹18,400");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_soil_health_card_is_rated_and_printed_as_a_certificate() {
    let plugin = agriculture().await;
    let query = vec![text("village", "Gollapudi"), text("survey", "123/2A")];
    let record = blocking(&plugin, {
        let query = query.clone();
        move |p| p.fetch_data("soil-health-card", &query)
    })
    .await
    .unwrap();
    assert!(record.summary.en.starts_with("Soil card AP/NTR/"), "{}", record.summary.en);
    assert!(record.summary.te.as_deref().unwrap().starts_with("భూసార కార్డు"));
    assert!(value(&record.fields, "Survey number").starts_with("123/2A, Gollapudi"));
    assert!(record.fields.iter().any(|f| f.label.en.starts_with("Nitrogen (N): ") && f.value.ends_with(" kg/ha")));
    assert!(value(&record.fields, "Urea for paddy per acre").ends_with(" kg"));

    let card =
        blocking(&plugin, move |p| p.render_document("soil-health-card", &application("soil-health-card", query)))
            .await
            .unwrap();
    assert_eq!(card.layout, Layout::Certificate);
    assert_eq!(doc_value(&card, "Laboratory"), "Soil Testing Laboratory, NTR");
    // Fields are resampled every two years.
    assert!(card.valid_days.is_some_and(|days| (1..=730).contains(&days)));

    let nowhere = vec![text("village", "Atlantis"), text("survey", "1")];
    let error = blocking(&plugin, move |p| p.fetch_data("soil-health-card", &nowhere)).await.unwrap_err();
    assert!(matches!(error, Error::Plugin { error: PluginError::NotFound(_), .. }), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn machinery_subsidy_follows_the_registry_and_the_five_year_rule() {
    let plugin = agriculture().await;
    let apply = |who: &str, implement: &str, tractor: &str| {
        vec![
            aadhaar(who),
            choice("implement", implement),
            number("land-acres", 2.0),
            choice("category", "bc"),
            choice("woman", "no"),
            choice("own-tractor", tractor),
        ]
    };
    let sprayer = apply(FARMER, "battery-sprayer", "no");
    let decision = blocking(&plugin, {
        let sprayer = sprayer.clone();
        move |p| p.check_eligibility("machinery-subsidy", &citizen(), &sprayer)
    })
    .await
    .unwrap();
    assert_eq!(decision, Decision::Eligible);
    let again = reasons(
        blocking(&plugin, move |p| {
            p.check_eligibility("machinery-subsidy", &citizen(), &apply(FARMER, "seed-drill", "yes"))
        })
        .await
        .unwrap(),
    );
    assert!(again[0].en.contains("you may apply again from"), "{:?}", again[0]);
    let stranger = reasons(
        blocking(&plugin, move |p| {
            p.check_eligibility("machinery-subsidy", &citizen(), &apply(UNREGISTERED, "battery-sprayer", "no"))
        })
        .await
        .unwrap(),
    );
    assert!(stranger[0].en.contains("not in the farmer registry"));
    assert!(stranger[0].te.as_deref().unwrap().contains("రైతు సేవా కేంద్రం"));

    let letter =
        blocking(&plugin, move |p| p.render_document("machinery-subsidy", &application("machinery-subsidy", sprayer)))
            .await
            .unwrap();
    assert_eq!(letter.layout, Layout::Letter);
    assert_eq!(doc_value(&letter, "Subsidy"), "50% · ₹2,250 (ceiling ₹2,500)");
}

#[tokio::test(flavor = "multi_thread")]
async fn ecrop_status_and_the_weather_advisory_are_looked_up() {
    let plugin = agriculture().await;
    let ecrop = blocking(&plugin, |p| p.fetch_data("ecrop-status", &[aadhaar(FARMER), choice("season", "kharif")]))
        .await
        .unwrap();
    assert!(ecrop.summary.en.starts_with("3 field(s), 6.49 acres booked in e-Crop for Kharif"), "{}", ecrop.summary.en);
    assert!(ecrop.fields.iter().any(|f| f.label.te.as_deref().is_some_and(|te| te.starts_with("సర్వే 117/1 – వరి"))));

    let weather = blocking(&plugin, |p| p.fetch_data("weather-advisory", &[text("district", "Guntur")])).await.unwrap();
    assert!(weather.summary.te.as_deref().unwrap().starts_with("గుంటూరు: 5 రోజుల సూచన"));
    assert_eq!(weather.fields[0].label.en, {
        let tomorrow = ist_date(1);
        format!("{}-{}-{}", &tomorrow[8..10], &tomorrow[5..7], &tomorrow[..4])
    });
    // Five days of forecast, then at least one piece of advice in Telugu.
    assert!(weather.fields.len() > 5);
    assert!(weather.fields[5].label.te.is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_down_backend_makes_the_plugin_unavailable_not_a_trap() {
    let plugin = tokio::task::spawn_blocking(|| load(with_backend(manifest(), down_backend()))).await.unwrap();
    let lookup = blocking(&plugin, |p| p.fetch_data("rythu-bharosa", &[aadhaar(FARMER)])).await.unwrap_err();
    match lookup {
        Error::Plugin { error: PluginError::Unavailable(message), .. } => {
            assert!(message.starts_with("the agriculture system is unreachable"), "{message}")
        }
        other => panic!("expected unavailable, got {other}"),
    }
    // Rules that need the registry say so too; rules that do not still answer.
    let check =
        blocking(&plugin, |p| p.check_eligibility("msp-slot", &citizen(), &msp_answers(5.0, 15.0, ist_date(1))))
            .await
            .unwrap_err();
    assert!(matches!(check, Error::Plugin { error: PluginError::Unavailable(_), .. }), "{check}");
    let seed = vec![
        aadhaar(FARMER),
        choice("season", "rabi"),
        choice("crop", "bengalgram"),
        number("land-acres", 1.0),
        number("quantity-kg", 30.0),
    ];
    let offline = blocking(&plugin, move |p| p.check_eligibility("seed-subsidy", &citizen(), &seed)).await.unwrap();
    assert_eq!(offline, Decision::Eligible);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_services_and_missing_answers_are_plugin_errors() {
    let plugin = agriculture().await;
    let unknown = blocking(&plugin, |p| p.check_eligibility("tractor-loan", &citizen(), &[])).await.unwrap_err();
    assert!(matches!(unknown, Error::Plugin { error: PluginError::NotFound(_), .. }), "{unknown}");
    let no_lookup = blocking(&plugin, |p| p.fetch_data("seed-subsidy", &[])).await.unwrap_err();
    assert!(matches!(no_lookup, Error::Plugin { error: PluginError::Unsupported(_), .. }), "{no_lookup}");
    let missing =
        blocking(&plugin, |p| p.check_eligibility("seed-subsidy", &citizen(), &[aadhaar(FARMER)])).await.unwrap_err();
    match missing {
        Error::Plugin { error: PluginError::InvalidInput(message), .. } => {
            assert!(message.starts_with("missing answer: "), "{message}")
        }
        other => panic!("expected invalid input, got {other}"),
    }
}

/// Its instance takes about a millisecond to make, so one is made ahead of
/// each call (`host/src/runtime/spares.rs`): calls served by those answer
/// as any other.
#[tokio::test(flavor = "multi_thread")]
async fn the_python_plugin_is_served_by_instances_made_ahead() {
    let plugin = agriculture().await;
    assert!(plugin.keeps_spares(), "a componentize-py plugin is slow to instantiate");
    let answers = vec![
        aadhaar(FARMER),
        choice("season", "kharif"),
        choice("crop", "groundnut"),
        number("land-acres", 2.0),
        number("quantity-kg", 300.0),
    ];
    let decisions = blocking(&plugin, move |p| {
        (0..5)
            .map(|_| {
                let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
                while !p.spare_ready() {
                    assert!(std::time::Instant::now() < until, "no spare was made within 10 s");
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                p.check_eligibility("seed-subsidy", &citizen(), &answers)
            })
            .collect::<Vec<_>>()
    })
    .await;
    for decision in decisions {
        assert!(reasons(decision.unwrap())[0].en.contains("at most 200 kg"));
    }
}
