//! The contract's two versions served side by side. A component built
//! straight against `mitra:plugin@0.1.0` with wit-bindgen
//! (`tests/fixtures/contract-0-1`, as a vendor's component from before 0.2.0
//! is) and the municipal plugin built with the SDK against 0.2.0 load in one
//! runtime, render their documents, and both become signed, logged
//! certificates whose claims and PDFs carry what each plugin gave.

use std::process::Command;
use std::sync::Arc;

use mitra::certificates::issuer::{IssuedDocument, Issuer};
use mitra::certificates::keys::Keyring;
use mitra::certificates::log::{LOG_KEY, TransparencyLog};
use mitra::certificates::payload;
use mitra::certificates::pdf::Fonts;
use mitra::runtime::{Answer, AnswerValue, Application, Contract, Document, Text};
use mitra::store::{ApplicationRecord, Store};
use mitra_backends::municipal::birth_record;
use mitra_tests::{department, start_backend, with_backend};

use crate::support::{answer, citizen, components, runtime};

fn application(service: &str, answers: Vec<Answer>) -> Application {
    Application {
        number: format!("MTR-261203-{}", service.len()),
        service_id: service.into(),
        applicant: citizen(),
        answers,
        submitted_at: "2026-12-03T10:00:00+05:30".into(),
    }
}

fn record(plugin: &str, application: &Application) -> ApplicationRecord {
    ApplicationRecord {
        number: application.number.clone(),
        wa_id: application.applicant.wa_id.clone(),
        phone_number_id: "PNID".into(),
        plugin_id: plugin.into(),
        plugin_sha256: String::new(),
        service_id: application.service_id.clone(),
        language: "en".into(),
        answers: "[]".into(),
        status: "issued".into(),
        document: None,
        submitted_at_ms: mitra::store::now_ms(),
        district: None,
    }
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("certificate.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn plugins_of_both_contract_versions_load_render_and_issue_certificates() {
    let municipal = with_backend(department("municipal"), start_backend("municipal").await);
    let legacy_application =
        application("income-certificate", vec![answer("aadhaar", AnswerValue::Aadhaar("499112345677".into()))]);
    let birth_application =
        application("birth-certificate", vec![answer("registration", AnswerValue::Text("B-2023-VJA-04821".into()))]);
    let (legacy_app, birth_app) = (legacy_application.clone(), birth_application.clone());
    let (legacy, birth) = tokio::task::spawn_blocking(move || {
        let rt = runtime();
        let legacy = rt.load(mitra_tests::manifest("legacy", components::CONTRACT_0_1)).expect("a 0.1.0 plugin loads");
        let municipal = rt.load(municipal).expect("a 0.2.0 plugin loads");
        assert_eq!((legacy.contract(), legacy.info().contract_version.as_str()), (Contract::V0_1, "0.1.0"));
        assert_eq!((municipal.contract(), municipal.info().contract_version.as_str()), (Contract::V0_2, "0.2.0"));
        (
            legacy.render_document("income-certificate", &legacy_app).unwrap(),
            municipal.render_document("birth-certificate", &birth_app).unwrap(),
        )
    })
    .await
    .unwrap();

    // The 0.1.0 document comes up as one untitled section, values in one script.
    assert!(legacy.holder.is_none());
    assert_eq!(legacy.sections.len(), 1);
    assert_eq!(legacy.sections[0].heading, None);
    let values: Vec<&str> = legacy.fields().map(|f| f.value.en.as_str()).collect();
    assert_eq!(values[0], "Ravi Kumar / రవి కుమార్");
    assert_eq!(legacy.valid_days, Some(365));

    // The 0.2.0 document names its holder in both scripts and groups fields.
    let expected = birth_record("B-2023-VJA-04821").unwrap();
    let child = expected.child.unwrap();
    let holder = birth.holder.as_ref().expect("a birth certificate names its holder");
    assert_eq!((holder.name.en.as_str(), holder.name.te.as_deref()), (child.en.as_str(), Some(child.te.as_str())));
    assert_eq!(holder.identifiers[0].value, "B-2023-VJA-04821");
    let headings: Vec<&str> = birth.sections.iter().filter_map(|s| s.heading.as_ref()).map(|h| h.en.as_str()).collect();
    assert_eq!(headings, ["Birth", "Parents", "Registration"]);
    let mother = birth.fields().find(|f| f.label.en == "Name of mother").unwrap();
    assert_eq!(
        (mother.value.en.as_str(), mother.value.te.as_deref()),
        (expected.mother.en.as_str(), Some(&*expected.mother.te))
    );

    // Both become signed, logged certificates.
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("contracts.db").display())).await.unwrap();
    let keys = Arc::new(Keyring::ephemeral(["legacy", "municipal", LOG_KEY]).unwrap());
    let log = TransparencyLog::new(store, "mitra.example/certificates", keys.clone());
    let issuer = Issuer::new(log, keys.clone(), Fonts::system(), "https://mitra.example");
    let department = |en: &str| Text { en: en.into(), te: None, hi: None };
    let issue = |plugin: &'static str, application: &Application, document: Document| {
        let (issuer, record, department) = (issuer.clone(), record(plugin, application), department(plugin));
        async move {
            let issued = IssuedDocument { document, department, profile_name: Some("Lakshmi".into()) };
            issuer.certify(&record, &issued).await.unwrap()
        }
    };
    let legacy_certificate = issue("legacy", &legacy_application, legacy).await;
    let birth_certificate = issue("municipal", &birth_application, birth).await;

    // The 0.1.0 holder is read from its "Name" field; the Aadhaar is masked.
    let claims = payload::verify(&legacy_certificate.payload, &keys.public_keys()).unwrap().claims;
    assert_eq!((claims.name.as_str(), claims.name_te.as_deref()), ("Ravi Kumar", Some("రవి కుమార్")));
    assert_eq!(claims.ids, ["XXXXXXXX5677"]);
    let text = pdf_text(&legacy_certificate.pdf);
    assert!(text.contains("XXXXXXXX5677") && !text.contains("499112345677"), "{text}");
    assert!(text.contains("Annual income"), "{text}");

    // The 0.2.0 holder's name in both scripts and identifiers are signed as given.
    let claims = payload::verify(&birth_certificate.payload, &keys.public_keys()).unwrap().claims;
    assert_eq!((claims.name.as_str(), claims.name_te.as_deref()), (child.en.as_str(), Some(child.te.as_str())));
    assert_eq!(claims.ids, ["B-2023-VJA-04821"]);
    assert!(payload::qr_version(&birth_certificate.payload).unwrap() <= 13);
    let text = pdf_text(&birth_certificate.pdf);
    for printed in [child.en.as_str(), "Parents", "Registration No.", "B-2023-VJA-04821", "Name of mother"] {
        assert!(text.contains(printed), "{printed:?} not in {text}");
    }
}
