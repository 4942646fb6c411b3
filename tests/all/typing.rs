//! A citizen who types instead of taps is never stuck: through signed
//! webhooks against every Rust department plugin and the pensions example,
//! typed numbers, titles in any language and romanised requests do what the
//! tap would, and the reply says what was understood.

use std::sync::Arc;

use mitra::runtime::Catalog;
use mitra::store::Store;
use serde_json::Value;

use crate::conversation::{Harness, harness, row_ids, start_fake, tap, text};
use crate::support::{pensions_manifest, runtime};

/// A host serving every Rust department and the pensions example, on a
/// SQLite file that lives as long as the returned directory.
async fn departments() -> (tempfile::TempDir, Harness) {
    let rt = runtime();
    let catalog = Catalog::new();
    // The departments written as code (those written as definitions have
    // tests of their own, and their describe reads /data: off async threads).
    for (id, dir, _) in mitra_tests::components::DEPARTMENTS {
        if !dir.contains("/plugins/departments/") {
            catalog.publish(Arc::new(rt.load(mitra_tests::department(id)).unwrap()));
        }
    }
    catalog.publish(Arc::new(rt.load(pensions_manifest()).unwrap()));
    let (fake, url) = start_fake().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("mitra.db").display())).await.unwrap();
    (dir, harness(store, Arc::new(catalog), fake, &url).await)
}

fn body(reply: &Value) -> String {
    match reply["type"].as_str() {
        Some("text") => reply["text"]["body"].as_str().unwrap().to_owned(),
        _ => reply["interactive"]["body"]["text"].as_str().unwrap_or_default().to_owned(),
    }
}

fn button_ids(reply: &Value) -> Vec<String> {
    reply["interactive"]["action"]["buttons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["reply"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn at_first_contact_a_typed_language_name_or_number_chooses_the_language() {
    let (_dir, h) = departments().await;
    let wa = "919820000001";
    let chosen = h.say(wa, text(wa, "తెలుగు"), 3).await;
    assert!(body(&chosen[0]).contains("తెలుగు"), "said what was understood: {}", chosen[0]);
    assert!(body(&chosen[1]).contains("మిత్రకు స్వాగతం"));
    assert!(row_ids(&chosen[2]).contains(&"dept:revenue".to_owned()));

    let wa = "919820000002";
    let prompt = h.say(wa, text(wa, "hi"), 1).await;
    assert_eq!(button_ids(&prompt[0]), ["lang:en", "lang:te", "lang:hi"]);
    let chosen = h.say(wa, text(wa, "2"), 3).await;
    assert!(body(&chosen[0]).contains("తెలుగు"));
    assert!(body(&chosen[1]).contains("మిత్రకు స్వాగతం"));

    let wa = "919820000003";
    h.say(wa, text(wa, "hello"), 1).await;
    let chosen = h.say(wa, text(wa, "hindi"), 3).await;
    assert!(body(&chosen[1]).contains("मित्र में आपका स्वागत है"), "{}", chosen[1]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_message_that_is_a_request_is_answered_at_once_in_the_language_of_its_script() {
    let (_dir, h) = departments().await;
    // Romanised Telugu: Latin script, so English, with Telugu one tap away.
    let wa = "919820000011";
    let answered = h.say(wa, text(wa, "kula dhruvikarana patram"), 2).await;
    assert_eq!(button_ids(&answered[0]), ["lang:te", "lang:hi"], "{}", answered[0]);
    assert!(body(&answered[0]).contains("English"));
    assert_eq!(row_ids(&answered[1])[0], "svc:revenue/caste", "{}", answered[1]);
    // One word changes the language.
    let switched = h.say(wa, text(wa, "telugu"), 3).await;
    assert!(body(&switched[1]).contains("మిత్రకు స్వాగతం"), "{}", switched[1]);

    // Telugu script: answered in Telugu.
    let wa = "919820000012";
    let answered = h.say(wa, text(wa, "కుల ధృవీకరణ పత్రం కావాలి"), 2).await;
    assert!(body(&answered[0]).contains("తెలుగులో"), "{}", answered[0]);
    assert_eq!(button_ids(&answered[0]), ["lang:en", "lang:hi"]);
    assert_eq!(row_ids(&answered[1])[0], "svc:revenue/caste");
    assert!(body(&answered[1]).contains("సరిపోయే సేవలు"));

    // Devanagari: answered in Hindi.
    let wa = "919820000013";
    let answered = h.say(wa, text(wa, "बिजली बिल"), 2).await;
    assert!(body(&answered[0]).contains("हिन्दी"), "{}", answered[0]);
    assert_eq!(row_ids(&answered[1])[0], "svc:energy/bill", "{}", answered[1]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_number_typed_after_a_list_picks_that_row_instead_of_searching_for_it() {
    let (_dir, h) = departments().await;
    let wa = "919820000021";
    h.say(wa, tap(wa, "lang:en", false), 2).await;
    let results = h.say(wa, text(wa, "birth certificate"), 1).await;
    let first = row_ids(&results[0])[0].clone();
    assert_eq!(first, "svc:municipal/birth-certificate");
    let picked = h.say(wa, text(wa, "1"), 2).await;
    assert!(body(&picked[0]).contains("You chose: *Birth certificate*"), "{}", picked[0]);
    assert!(body(&picked[1]).contains("Birth certificate"), "{}", picked[1]);
    assert_eq!(button_ids(&picked[1])[0], "start:municipal/birth-certificate");

    // The departments menu by number and by name (in another language).
    let menu = h.say(wa, text(wa, "menu"), 1).await;
    let third = row_ids(&menu[0])[2].clone();
    let picked = h.say(wa, text(wa, "3"), 2).await;
    assert_eq!(row_ids(&picked[1])[0].split('/').next().unwrap(), third.replace("dept:", "svc:"), "{}", picked[1]);
    h.say(wa, text(wa, "menu"), 1).await;
    let revenue = h.say(wa, text(wa, "రెవెన్యూ"), 2).await;
    assert!(row_ids(&revenue[1]).contains(&"svc:revenue/caste".to_owned()), "{}", revenue[1]);
    // A service of the department's list, misspelt.
    let caste = h.say(wa, text(wa, "cast certficate"), 2).await;
    assert!(body(&caste[0]).contains("Caste certificate"), "{}", caste[0]);
    assert_eq!(button_ids(&caste[1])[0], "start:revenue/caste");
    // And a department misspelt.
    h.say(wa, text(wa, "menu"), 1).await;
    let supplies = h.say(wa, text(wa, "civil suplies"), 2).await;
    assert!(body(&supplies[0]).contains("Civil Supplies"), "{}", supplies[0]);
    assert!(row_ids(&supplies[1]).iter().all(|id| id.starts_with("svc:civil-supplies/") || id.starts_with("dept:")));
}

#[tokio::test(flavor = "multi_thread")]
async fn buttons_form_choices_and_the_summary_take_typed_answers() {
    let (_dir, h) = departments().await;
    let wa = "919820000031";
    h.say(wa, tap(wa, "lang:te", false), 2).await;
    let found = h.say(wa, text(wa, "vruddhapya pinchanu"), 1).await;
    assert_eq!(row_ids(&found[0])[0], "svc:pensions/old-age", "{}", found[0]);
    h.say(wa, text(wa, "1"), 2).await;
    // "Apply" typed in English while the buttons are in Telugu.
    let first = h.say(wa, text(wa, "apply"), 2).await;
    assert!(body(&first[1]).contains("(1/4)"), "{}", first[1]);
    h.say(wa, text(wa, "4991 1234 5677"), 1).await;
    h.say(wa, text(wa, "15-08-1950"), 1).await;
    // A choice question answered with the option's number, then its name.
    let area = h.say(wa, text(wa, "2"), 2).await;
    assert!(body(&area[0]).contains("మీ ఎంపిక"), "{}", area[0]);
    let summary = h.say(wa, text(wa, "5000"), 1).await;
    assert_eq!(button_ids(&summary[0]), ["form:submit", "form:edit", "form:cancel"]);
    // "Edit" by number, then the answer to change by its number too.
    let edit = h.say(wa, text(wa, "2"), 2).await;
    assert_eq!(row_ids(&edit[1])[2], "edit:area", "{}", edit[1]);
    let asked = h.say(wa, text(wa, "3"), 2).await;
    assert!(body(&asked[1]).contains("(3/4)"), "{}", asked[1]);
    h.say(wa, text(wa, "gramam"), 2).await;
    // Submit typed in romanised Telugu.
    let submitted = h.say(wa, text(wa, "samarpinchu"), 3).await;
    assert!(body(&submitted[0]).contains("సమర్పించు"), "{}", submitted[0]);
    assert!(submitted.iter().any(|r| body(r).contains("MTR-")), "{submitted:#?}");
}
