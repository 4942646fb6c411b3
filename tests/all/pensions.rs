//! The example plugin end to end through the runtime: rules, data dir lookup
//! and document rendering.

use mitra::runtime::{AnswerValue, Application, Decision, Error, Layout, PluginError};

use crate::support::{answer, citizen, old_age_answers, pensions, runtime};

#[test]
fn describe_lists_three_services_in_three_languages() {
    let rt = runtime();
    let plugin = pensions(&rt);
    let info = plugin.info();
    // Built with the SDK, which builds against the newest contract.
    assert_eq!(info.contract_version, "0.2.0");
    let ids: Vec<&str> = info.services.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["old-age", "widow", "rates"]);
    assert_eq!(info.name.te.as_deref(), Some("పింఛన్లు"));
}

#[test]
fn old_age_pension_rules_age_and_income() {
    let rt = runtime();
    let plugin = pensions(&rt);
    let who = citizen();
    assert_eq!(
        plugin.check_eligibility("old-age", &who, &old_age_answers("1955-03-01", 8000.0)).unwrap(),
        Decision::Eligible
    );
    match plugin.check_eligibility("old-age", &who, &old_age_answers("1990-03-01", 8000.0)).unwrap() {
        Decision::Ineligible(reasons) => {
            assert_eq!(reasons.len(), 1);
            assert!(reasons[0].en.contains("60"), "{:?}", reasons[0]);
            assert!(reasons[0].te.as_deref().unwrap().contains("60"));
        }
        other => panic!("{other:?}"),
    }
    match plugin.check_eligibility("old-age", &who, &old_age_answers("1990-03-01", 50_000.0)).unwrap() {
        Decision::Ineligible(reasons) => assert_eq!(reasons.len(), 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_unknown_service_is_a_plugin_error() {
    let rt = runtime();
    let error = pensions(&rt).check_eligibility("bus-pass", &citizen(), &[]).unwrap_err();
    assert!(matches!(error, Error::Plugin { error: PluginError::NotFound(_), .. }), "{error}");
}

#[test]
fn rates_are_read_from_the_plugins_data_dir() {
    let rt = runtime();
    let record = pensions(&rt).fetch_data("rates", &[]).unwrap();
    assert_eq!(record.fields.len(), 2);
    assert_eq!(record.fields[0].value, "₹4000");
}

#[test]
fn sanction_letter_masks_the_aadhaar_number() {
    let rt = runtime();
    let application = Application {
        number: "PEN-2026-000042".into(),
        service_id: "old-age".into(),
        applicant: citizen(),
        answers: old_age_answers("1955-03-01", 8000.0),
        submitted_at: "2026-11-22T10:00:00+05:30".into(),
    };
    let doc = pensions(&rt).render_document("old-age", &application).unwrap();
    assert_eq!(doc.layout, Layout::Letter);
    let values: Vec<&str> = doc.fields().map(|f| f.value.en.as_str()).collect();
    assert!(values.contains(&"PEN-2026-000042"));
    assert!(values.contains(&"XXXX XXXX 5677"), "{values:?}");
    assert!(!values.iter().any(|v| v.contains("499112345677")));
    let missing = pensions(&rt).render_document("rates", &application).unwrap_err();
    assert!(matches!(missing, Error::Plugin { error: PluginError::Unsupported(_), .. }));
    let _ = answer("x", AnswerValue::Text(String::new()));
}
