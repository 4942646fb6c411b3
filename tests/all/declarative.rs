//! Departments written as definitions: the generic component serving them
//! through the same runtime, a broken definition refused by file, line and
//! reason when it is packed and when it is loaded, and the needs citizens
//! asked for reached through the real webhook, in English and Telugu.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use mitra::channel::webhook::sign;
use mitra::registry::package::{self, VendorKey};
use mitra::runtime::{CONTRACT_VERSION, Catalog, Error, Runtime};
use mitra::store::Store;
use mitra_tests::components::{DEPARTMENTS, WASM_TARGET_DIR};
use mitra_tests::{department, start_backend, with_backend};
use serde_json::Value;
use tower::ServiceExt as _;

use crate::conversation::{Harness, SECRET, envelope_to, harness, start_fake, tap, text};
use crate::support::{cached_runtime, runtime};

/// The generic department component every declarative department runs.
fn generic_component() -> PathBuf {
    Path::new(WASM_TARGET_DIR).join("wasm32-wasip2/release/declarative.wasm")
}

/// A department scaffolded by `mitra plugin new --declarative`, with the
/// generic component in place, as `mitra plugin build` leaves it.
fn scaffolded(parent: &Path, name: &str) -> PathBuf {
    let dir = mitra::plugin_dev::declarative::new_department(parent, name).unwrap();
    std::fs::copy(generic_component(), dir.join("declarative.wasm")).unwrap();
    dir
}

#[test]
fn a_scaffolded_department_loads_and_a_broken_definition_is_refused_by_name_at_pack_and_at_load() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = scaffolded(tmp.path(), "land-records");
    let rt = runtime();
    let plugin = rt.load_dir(&dir).unwrap();
    assert!(plugin.declarative());
    assert_eq!(plugin.info().id, "land-records");
    assert_eq!(plugin.info().services[0].id, "residence");
    let vendor = VendorKey::generate("land-vendor").unwrap();
    package::pack(&dir, &vendor, CONTRACT_VERSION).unwrap();

    // A typo in a rule's field name, and a title too long for a list row.
    let service = dir.join("data/services/residence.toml");
    let good = std::fs::read_to_string(&service).unwrap();
    let broken = good
        .replace("when = \"answers.years >= 1\"", "when = \"answers.yeers >= 1\"")
        .replace("en = \"Residence certificate\"", "en = \"Residence certificate of the family\"");
    std::fs::write(&service, &broken).unwrap();
    let rule_line = broken.lines().position(|l| l.contains("answers.yeers")).unwrap() + 1;
    let expected = [
        "services/residence.toml:3: title.en has 35 characters, more than 24".to_owned(),
        format!("services/residence.toml:{rule_line}: rules[0].when: `answers.yeers` is not a field of the service"),
    ];

    let refused = package::pack(&dir, &vendor, CONTRACT_VERSION).unwrap_err().to_string();
    for line in &expected {
        assert!(refused.contains(line.as_str()), "pack said {refused:?}, not {line:?}");
    }
    match rt.load_dir(&dir) {
        Err(Error::InvalidManifest { reason, .. }) => {
            for line in &expected {
                assert!(reason.contains(line.as_str()), "load said {reason:?}, not {line:?}");
            }
        }
        other => panic!("a broken definition loaded: {other:?}"),
    }

    // A syntax error is located too, and a service file named for another id.
    std::fs::write(&service, good.replace("category = \"certificates\"", "category = certificates")).unwrap();
    let refused = package::pack(&dir, &vendor, CONTRACT_VERSION).unwrap_err().to_string();
    assert!(refused.contains("services/residence.toml:5: "), "{refused}");
    std::fs::write(&service, &good).unwrap();
    std::fs::rename(&service, dir.join("data/services/residency.toml")).unwrap();
    let refused = package::pack(&dir, &vendor, CONTRACT_VERSION).unwrap_err().to_string();
    assert!(refused.contains("id \"residence\" must be the file's name (\"residency\")"), "{refused}");
}

/// The declarative departments shipped in `plugins/departments`.
fn declarative_ids() -> Vec<&'static str> {
    DEPARTMENTS.iter().filter(|(_, dir, _)| dir.contains("/plugins/departments/")).map(|(id, _, _)| *id).collect()
}

#[test]
fn every_shipped_department_loads_with_its_services_titled_in_three_languages() {
    let rt = cached_runtime();
    let ids = declarative_ids();
    assert!(!ids.is_empty(), "no department under plugins/departments");
    let mut services = 0;
    for id in ids {
        let plugin = rt.load(department(id)).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(plugin.declarative(), "{id}");
        // The generic component parses CEL once, at load (`wizer-initialize`).
        assert!(plugin.pre_initialised(), "{id}");
        assert!(plugin.info().services.len() >= 8, "{id} has {} services", plugin.info().services.len());
        for service in &plugin.info().services {
            for text in [&service.title, &service.description] {
                assert!(text.te.is_some() && text.hi.is_some(), "{id}/{}: {text:?}", service.id);
            }
            assert!(!service.keywords.te.is_empty(), "{id}/{} has no Telugu keywords", service.id);
        }
        services += plugin.info().services.len();
    }
    // The catalogue's size, for BENCHMARKS.md and the 36 / 300.
    println!(
        "{} declarative departments, {services} services; {} departments in all",
        declarative_ids().len(),
        DEPARTMENTS.len() + 1
    );
}

/// A host serving every department (each with its simulated system).
async fn state_host(store: Store) -> Harness {
    let mut manifests = Vec::new();
    for (id, _, _) in DEPARTMENTS {
        if *id == "agriculture" {
            continue; // the Python plugin is loaded by its own tests
        }
        manifests.push(with_backend(department(id), start_backend(id).await));
    }
    // Loading runs plugins (describe), which block: off the async threads.
    let catalog = tokio::task::spawn_blocking(move || {
        let rt: &'static Runtime = Box::leak(Box::new(cached_runtime()));
        let catalog = Catalog::new();
        for manifest in manifests {
            let id = manifest.id.clone();
            catalog.publish(Arc::new(rt.load(manifest).unwrap_or_else(|e| panic!("{id}: {e}"))));
        }
        catalog
    })
    .await
    .unwrap();
    let (fake, url) = start_fake().await;
    harness(store, Arc::new(catalog), fake, &url).await
}

/// Posts `message` and waits until a reply containing `expect` arrives;
/// returns the replies since the post.
async fn until(h: &Harness, wa: &str, message: Value, expect: &str) -> Vec<Value> {
    let before = h.fake.to(wa).len();
    let body = envelope_to("PNID-1", wa, message);
    let request = Request::post("/webhook")
        .header("content-type", "application/json")
        .header("x-hub-signature-256", sign(SECRET, body.as_bytes()))
        .body(Body::from(body))
        .unwrap();
    assert_eq!(h.app.clone().oneshot(request).await.unwrap().status(), StatusCode::OK);
    let started = Instant::now();
    loop {
        let replies = h.fake.to(wa)[before..].to_vec();
        if replies.iter().any(|r| r.to_string().contains(expect)) {
            tokio::time::sleep(Duration::from_millis(100)).await;
            return h.fake.to(wa)[before..].to_vec();
        }
        assert!(started.elapsed() < Duration::from_secs(15), "no reply with {expect:?}: {replies:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The `svc:` rows of a list reply, in order.
fn offered(replies: &[Value]) -> Vec<String> {
    replies
        .iter()
        .flat_map(|r| r["interactive"]["action"]["sections"].as_array().cloned().unwrap_or_default())
        .flat_map(|s| s["rows"].as_array().cloned().unwrap_or_default())
        .filter_map(|row| row["id"].as_str().map(str::to_owned))
        .collect()
}

/// One need walked through the chat: typed as a citizen types it, found
/// among the first three, started and answered (`opt:ID` taps a choice).
struct Need {
    typed: &'static str,
    service: &'static str,
    answers: &'static [&'static str],
}

/// What the citizen must receive at the end, read from the definition: a
/// lookup's first shown label, a document's title, or an
/// application's number, in the citizen's language.
fn expected(service: &str, language: &str) -> (bool, Vec<String>) {
    let (department, id) = service.split_once('/').unwrap();
    let data = Path::new(mitra_tests::components::REPO_ROOT).join("plugins/departments").join(department).join("data");
    let definitions = mitra_declarative::load_dir(&data).unwrap();
    let definition = &definitions.services[id];
    let pick = |text: &mitra_declarative::model::Text| {
        let script = match language {
            "te" => text.te.as_ref(),
            "hi" => text.hi.as_ref(),
            _ => None,
        };
        script.unwrap_or(&text.en).get_ref().clone()
    };
    use mitra_declarative::model::Delivery;
    let lookup = definition.delivery == Delivery::Information;
    let words = match definition.delivery {
        Delivery::Information => vec![pick(&definition.result.as_ref().unwrap().fields[0].label)],
        // The certificate's summary in the chat (the signed PDF follows where
        // the host has an issuing key: `certificate_flow` tests that path).
        _ if definition.document.is_some() => vec![pick(&definition.document.as_ref().unwrap().title)],
        _ => vec![if language == "te" { "దరఖాస్తు సంఖ్య" } else { "Application No." }.to_owned()],
    };
    (lookup, words)
}

async fn walk(h: &Harness, wa: &str, language: &str, need: &Need) {
    until(h, wa, text(wa, "hi"), "lang:").await;
    until(h, wa, tap(wa, &format!("lang:{language}"), false), "dept:").await;
    let found = until(h, wa, text(wa, need.typed), "svc:").await;
    let rows = offered(&found);
    let wanted = format!("svc:{}", need.service);
    assert!(rows.iter().take(3).any(|r| *r == wanted), "{:?} found {rows:?}, not {wanted}", need.typed);
    until(h, wa, tap(wa, &wanted, true), &format!("start:{}", need.service)).await;
    let mut last = until(h, wa, tap(wa, &format!("start:{}", need.service), false), "").await;
    let (lookup, expect) = expected(need.service, language);
    for (i, answer) in need.answers.iter().enumerate() {
        let message = if answer.starts_with("opt:") { tap(wa, answer, true) } else { text(wa, answer) };
        // A lookup answers its last question with the record.
        // The last answer brings the record (a lookup) or the summary with
        // its Submit button; earlier ones the next question.
        let awaited = match (i + 1 == need.answers.len(), lookup) {
            (true, true) => expect[0].as_str(),
            (true, false) => "form:submit",
            (false, _) => "",
        };
        last = until(h, wa, message, awaited).await;
    }
    if !lookup {
        last = until(h, wa, tap(wa, "form:submit", false), &expect[0]).await;
    }
    let said = last.iter().map(Value::to_string).collect::<Vec<_>>().join("\n");
    for word in &expect {
        assert!(said.contains(word.as_str()), "{} ({language}): {word:?} not in {said}", need.service);
    }
    let wrong = ["went wrong", "not answering", "not eligible", "No record", "ఏదో తప్పు"];
    assert!(!wrong.iter().any(|w| said.contains(w)), "{} ({language}): {said}", need.service);
}

/// The needs citizens asked for and found no service for, as they type them.
const NEEDS_EN: &[Need] = &[
    Need { typed: "pension raledu", service: "rural-development/pension-status", answers: &["1040012345"] },
    Need {
        typed: "my pension not received this month",
        service: "rural-development/pension-status",
        answers: &["1040098765"],
    },
    Need {
        typed: "marriage certificate",
        service: "registration/marriage-certificate",
        answers: &["HMR-1608-2023-000245"],
    },
    Need {
        typed: "encumbrance certificate for my land",
        service: "registration/encumbrance-certificate",
        answers: &["opt:mangalagiri", "4521/2019"],
    },
    Need { typed: "aarogyasri card", service: "health/health-card", answers: &["NTRVS4401234567"] },
    Need { typed: "aarogyasri claim status", service: "health/preauth-status", answers: &["CASE-24015678"] },
    Need { typed: "scholarship status", service: "social-welfare/scholarship-status", answers: &["JB-2025-004512"] },
    Need { typed: "housing scheme status", service: "housing/house-status", answers: &["HS-2023-000123"] },
    Need {
        typed: "complaint to government",
        service: "pgrs/lodge-grievance",
        answers: &[
            "opt:water",
            "No drinking water in our street for ten days",
            "opt:ntr",
            "Gollapudi",
            "4991 1234 5677",
        ],
    },
    Need { typed: "driving licence status", service: "transport/dl-status", answers: &["AP1620070045861"] },
    Need { typed: "vehicle rc details", service: "transport/vehicle-details", answers: &["AP16BY2727"] },
    Need { typed: "mgnrega job card", service: "rural-development/job-card", answers: &["AP-05-012-004-002/0417"] },
];

const NEEDS_TE: &[Need] = &[
    Need {
        typed: "పింఛను రాలేదు", service: "rural-development/pension-status", answers: &["1040012345"]
    },
    Need {
        typed: "పెళ్లి సర్టిఫికెట్", service: "registration/marriage-certificate", answers: &["HMR-0717-2024-001187"]
    },
    Need {
        typed: "ఈసీ కావాలి",
        service: "registration/encumbrance-certificate",
        answers: &["opt:vijayawada", "12087/2021"],
    },
    Need {
        typed: "ఆరోగ్యశ్రీ కార్డు", service: "health/health-card", answers: &["NTRVS2209876543"]
    },
    Need {
        typed: "ఆపరేషన్ అనుమతి వచ్చిందా", service: "health/preauth-status", answers: &["CASE-25003421"]
    },
    Need {
        typed: "స్కాలర్‌షిప్ రాలేదు", service: "social-welfare/scholarship-status", answers: &["JB-2025-007788"]
    },
    Need {
        typed: "ఇల్లు బిల్లు స్థితి", service: "housing/house-status", answers: &["HS-2022-004567"]
    },
    Need {
        typed: "ప్రభుత్వానికి ఫిర్యాదు",
        service: "pgrs/lodge-grievance",
        answers: &["opt:pensions", "మా అమ్మకు మూడు నెలలుగా పింఛను రావడం లేదు", "opt:guntur", "Tenali", "499112345677"],
    },
    Need {
        typed: "డ్రైవింగ్ లైసెన్స్", service: "transport/dl-status", answers: &["AP3920210104562"]
    },
    Need {
        typed: "బండి వివరాలు", service: "transport/vehicle-details", answers: &["AP39TB4820"]
    },
    Need {
        typed: "ఉపాధి హామీ జాబ్ కార్డు", service: "rural-development/job-card", answers: &["AP-02-003-011-007/0093"]
    },
];

async fn needs_are_served(language: &str, needs: &[Need]) {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let h = state_host(store).await;
    for (i, need) in needs.iter().enumerate() {
        walk(&h, &format!("9190070{i:05}"), language, need).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_needs_citizens_could_not_reach_are_served_through_the_webhook_in_english() {
    needs_are_served("en", NEEDS_EN).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_needs_citizens_could_not_reach_are_served_through_the_webhook_in_telugu() {
    needs_are_served("te", NEEDS_TE).await;
}

#[test]
fn every_shipped_definition_passes_the_published_json_schemas_in_an_outside_validator() {
    let python = Path::new(mitra_tests::components::REPO_ROOT).join("target/verify-venv/bin/python3");
    assert!(python.exists(), "{} is missing: run `cargo xtask test`", python.display());
    let root = Path::new(mitra_tests::components::REPO_ROOT);
    let departments: Vec<&str> = DEPARTMENTS
        .iter()
        .filter(|(_, dir, _)| dir.contains("/plugins/departments/"))
        .map(|(_, dir, _)| *dir)
        .collect();
    let scaffold = tempfile::tempdir().unwrap();
    let scaffolded = mitra::plugin_dev::declarative::new_department(scaffold.path(), "sample").unwrap();
    let output = std::process::Command::new(python)
        .arg(root.join("tests/verify/definitions_schema.py"))
        .arg(root.join("sdk/declarative/schema"))
        .args(&departments)
        .arg(&scaffolded)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{said}{}", String::from_utf8_lossy(&output.stderr));
    assert!(said.contains(" 0 problems"), "{said}");

    // And the validator does flag what the schema forbids.
    let broken = tempfile::tempdir().unwrap();
    let dir = mitra::plugin_dev::declarative::new_department(broken.path(), "broken").unwrap();
    let service = dir.join("data/services/residence.toml");
    let text = std::fs::read_to_string(&service).unwrap().replace("kind = \"aadhaar\"", "kind = \"aadhar\"");
    std::fs::write(&service, text).unwrap();
    let output = std::process::Command::new(
        Path::new(mitra_tests::components::REPO_ROOT).join("target/verify-venv/bin/python3"),
    )
    .arg(root.join("tests/verify/definitions_schema.py"))
    .arg(root.join("sdk/declarative/schema"))
    .arg(&dir)
    .output()
    .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success() && said.contains("fields/0/kind"), "{said}");
}
