//! cm-relief-fund end to end: the real runtime and the plugin's wasm component,
//! with the simulated CMRF system reached over allow-listed HTTP.

use mitra::plugin_dev::conformance::{self, Report, Status};
use mitra::runtime::{Answer, AnswerValue, Application, Decision, Error, Layout, Media, Plugin, PluginError, Runtime};
use mitra_tests::{department, down_backend, start_backend, with_backend};

use crate::support::{answer, citizen, runtime};

/// A patient enrolled in Dr. NTR Vaidya Seva, and one who is not.
const ENROLLED: &str = "499112345677";
const NOT_ENROLLED: &str = "662686880026";

async fn loaded() -> (Runtime, Plugin) {
    let rt = runtime();
    let plugin = rt.load(with_backend(department("cm-relief-fund"), start_backend("cm-relief-fund").await)).unwrap();
    (rt, plugin)
}

/// Plugin calls block on HTTP to the simulator, which runs on this runtime.
async fn blocking<T: Send + 'static>(call: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(call).await.unwrap()
}

fn text(field: &str, value: &str) -> Answer {
    answer(field, AnswerValue::Text(value.into()))
}

fn assistance(aadhaar: &str, hospital: &str, treatment: &str, income: f64) -> Vec<Answer> {
    vec![
        text("patient-name", "Nagaraju Sharma"),
        answer("patient-aadhaar", AnswerValue::Aadhaar(aadhaar.into())),
        answer("phone", AnswerValue::Phone("9876543210".into())),
        text("hospital", hospital),
        answer("treatment", AnswerValue::Choice(treatment.into())),
        answer("estimate", AnswerValue::Number(385_000.0)),
        answer("income", AnswerValue::Number(income)),
        answer(
            "estimate-letter",
            AnswerValue::Media(Media {
                id: "wamid.estimate".into(),
                mime_type: "application/pdf".into(),
                sha256: "0".repeat(64),
                filename: Some("estimate-ggh.pdf".into()),
            }),
        ),
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
async fn a_poor_family_outside_vaidya_seva_gets_cmrf_help_and_a_covered_one_is_sent_there() {
    let (_rt, plugin) = loaded().await;
    let (outside, private_hospital, covered, unknown, typo) = blocking(move || {
        let who = citizen();
        let check = |answers: Vec<Answer>| plugin.check_eligibility("apply", &who, &answers).unwrap();
        (
            check(assistance(NOT_ENROLLED, "h1001", "cardiac", 240_000.0)),
            // Enrolled, but Amaravati Heart Institute is not empanelled under Vaidya Seva.
            check(assistance(ENROLLED, "H1002", "cardiac", 240_000.0)),
            check(assistance(ENROLLED, "H1001", "cardiac", 650_000.0)),
            check(assistance(NOT_ENROLLED, "H9999", "cardiac", 240_000.0)),
            check(assistance(NOT_ENROLLED, "GGH Vijayawada", "cardiac", 240_000.0)),
        )
    })
    .await;
    assert_eq!(outside, Decision::Eligible);
    assert_eq!(private_hospital, Decision::Eligible);
    let covered = reasons(covered);
    assert_eq!(covered.len(), 2, "{covered:?}");
    assert!(covered[0].en.contains("₹5,00,000") && covered[0].en.contains("₹6,50,000"));
    assert!(covered[1].en.contains("Vaidya Seva") && covered[1].en.contains("Government General Hospital, Vijayawada"));
    assert!(covered[1].te.as_deref().unwrap().contains("ప్రభుత్వ సర్వజన ఆసుపత్రి, విజయవాడ"));
    assert!(reasons(unknown)[0].en.contains("No hospital H9999"));
    assert_eq!(typo, Decision::NeedsMore(vec!["hospital".into()]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_letter_of_credit_needs_a_hospital_that_takes_one() {
    let (_rt, plugin) = loaded().await;
    // The conformance samples date an admission a week from today in India.
    let service = plugin.info().services.iter().find(|s| s.id == "loc").unwrap();
    let admission = conformance::sample_answers(service).into_iter().find(|a| a.field_id == "admission").unwrap();
    let loc = move |hospital: &str, treatment: &str| {
        let mut answers = assistance(NOT_ENROLLED, hospital, treatment, 180_000.0);
        answers.push(admission.clone());
        answers
    };
    let (takes_loc, no_loc) = blocking(move || {
        (
            plugin.check_eligibility("loc", &citizen(), &loc("H1302", "liver")).unwrap(),
            // Godavari Neuro and Trauma Hospital does not accept LOCs.
            plugin.check_eligibility("loc", &citizen(), &loc("H1502", "neuro")).unwrap(),
        )
    })
    .await;
    assert_eq!(takes_loc, Decision::Eligible);
    let no_loc = reasons(no_loc);
    assert_eq!(no_loc.len(), 1, "{no_loc:?}");
    assert!(no_loc[0].en.contains("does not accept Letters of Credit"));
}

#[tokio::test(flavor = "multi_thread")]
async fn application_status_and_network_hospitals_come_from_the_cmrf_system() {
    let (_rt, plugin) = loaded().await;
    let (status, hospitals, missing) = blocking(move || {
        (
            plugin.fetch_data("status", &[text("application-number", "cmrf/2025/000042")]).unwrap(),
            plugin.fetch_data("hospitals", &[answer("district", AnswerValue::Choice("ntr".into()))]).unwrap(),
            plugin.fetch_data("status", &[text("application-number", "CMRF-2025-900000")]),
        )
    })
    .await;
    assert_eq!(status.summary.en, "CMRF-2025-000042: ₹5,03,000 paid; cheque sent to the patient");
    assert!(status.summary.te.as_deref().unwrap().contains("చెక్కు"));
    let values: Vec<&str> = status.fields.iter().map(|f| f.value.as_str()).collect();
    assert!(values.contains(&"Srinivas Reddy / శ్రీనివాస్ రెడ్డి"), "{values:?}");
    assert!(values.contains(&"Government General Hospital, Rajamahendravaram (H1501)"));
    assert!(values.contains(&"₹8,97,000") && values.contains(&"16-06-2025"));
    assert_eq!(hospitals.fields.len(), 3);
    assert!(hospitals.summary.en.starts_with("3 CMRF network hospitals in NTR"));
    assert_eq!(hospitals.fields[1].label.en, "H1002");
    assert!(hospitals.fields[1].value.starts_with("Amaravati Heart Institute"));
    assert!(matches!(missing, Err(Error::Plugin { error: PluginError::NotFound(_), .. })), "{missing:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_acknowledgement_letter_names_the_hospital_and_masks_the_aadhaar() {
    let (_rt, plugin) = loaded().await;
    let application = Application {
        number: "CMRF-MITRA-2026-000017".into(),
        service_id: "apply".into(),
        applicant: citizen(),
        answers: assistance(NOT_ENROLLED, "H1001", "cardiac", 240_000.0),
        submitted_at: "2026-11-22T10:00:00+05:30".into(),
    };
    let grievance = Application {
        service_id: "grievance".into(),
        answers: vec![
            text("application-number", "CMRF-2025-004217"),
            answer("issue", AnswerValue::Choice("cheque".into())),
            text("details", "Sanctioned in March, no cheque yet"),
        ],
        ..application.clone()
    };
    let (letter, grievance_ok, grievance_letter, no_application) = blocking(move || {
        let bogus = vec![
            text("application-number", "CMRF-2019-000001"),
            answer("issue", AnswerValue::Choice("delay".into())),
            text("details", "No answer for months"),
        ];
        (
            plugin.render_document("apply", &application).unwrap(),
            plugin.check_eligibility("grievance", &citizen(), &grievance.answers).unwrap(),
            plugin.render_document("grievance", &grievance).unwrap(),
            plugin.check_eligibility("grievance", &citizen(), &bogus).unwrap(),
        )
    })
    .await;
    assert_eq!(letter.layout, Layout::Letter);
    assert!(letter.title.en.contains("CM Relief Fund") && letter.title.en.contains("ముఖ్యమంత్రి సహాయ నిధి"));
    let values: Vec<&str> = letter.fields().map(|f| f.value.en.as_str()).collect();
    assert!(values.contains(&"CMRF-MITRA-2026-000017") && values.contains(&"22-11-2026"));
    assert!(values.contains(&"XXXX XXXX 0026"), "{values:?}");
    assert!(!values.iter().any(|v| v.contains(NOT_ENROLLED)));
    assert!(
        values.iter().any(|v| v.starts_with("Government General Hospital, Vijayawada / ") && v.ends_with("(H1001)"))
    );
    assert!(values.contains(&"₹3,85,000") && values.contains(&"estimate-ggh.pdf"));
    assert!(letter.body.unwrap().te.unwrap().contains("30 రోజుల్లో"));
    assert_eq!(grievance_ok, Decision::Eligible);
    assert!(grievance_letter.fields().any(|f| f.value.en == "Cheque not received / చెక్కు అందలేదు"));
    assert!(reasons(no_application)[0].en.contains("CMRF-2019-000001"));
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
async fn when_the_cmrf_system_is_down_calls_say_unavailable_and_do_not_trap() {
    let rt = runtime();
    let plugin = rt.load(with_backend(department("cm-relief-fund"), down_backend())).unwrap();
    let (lookup, check) = blocking(move || {
        (
            plugin.fetch_data("status", &[text("application-number", "CMRF-2025-000042")]),
            plugin.check_eligibility("apply", &citizen(), &assistance(NOT_ENROLLED, "H1001", "cardiac", 240_000.0)),
        )
    })
    .await;
    for result in [lookup.map(|_| ()), check.map(|_| ())] {
        match result {
            Err(Error::Plugin { error: PluginError::Unavailable(msg), .. }) => {
                assert_eq!(msg, "the CM Relief Fund system is not reachable")
            }
            other => panic!("expected unavailable, got {other:?}"),
        }
    }
}
