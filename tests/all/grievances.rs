//! Grievances through signed webhooks and the console's API: lodged in the
//! chat (category, description, photo, location), routed to the owning
//! department, escalated when the SLA passes on a clock the test sets (the
//! citizen told by template), resolved, reopened once, rated; officers of
//! other departments and viewers kept out. On SQLite and PostgreSQL.

use std::sync::Arc;

use axum::http::StatusCode;
use mitra::console::auth::Role;
use mitra::grievances::Office;
use mitra::privacy::{DEV_PII_KEY, Privacy};
use mitra::store::{Store, now_ms};
use serde_json::{Value, json};

use crate::conversation::{message, tap, text};
use crate::operators::{call, next_messages, office, said, token, token_at};

const HOUR_MS: i64 = 3_600_000;

fn button_ids(reply: &Value) -> Vec<String> {
    reply["interactive"]["action"]["buttons"]
        .as_array()
        .map(|b| b.iter().map(|b| b["reply"]["id"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

async fn a_grievance_is_lodged_escalated_resolved_and_rated(store: Store, wa: &str) {
    let h = office(store.clone()).await;
    h.say(wa, text(wa, "hi"), 1).await;
    h.say(wa, tap(wa, "lang:en", false), 2).await;
    let requests = h.say(wa, tap(wa, "my:requests", true), 1).await;
    assert_eq!(button_ids(&requests[0]), ["my:applications", "grv:mine", "grv:new"]);
    let categories = h.say(wa, tap(wa, "grv:new", false), 1).await;
    let rows = categories[0]["interactive"]["action"]["sections"][0]["rows"].as_array().unwrap().len();
    assert_eq!(rows, 10);
    let ask = h.say(wa, tap(wa, "grvcat:pension", true), 1).await;
    assert!(said(&ask[0]).contains("Pension not received"), "{}", ask[0]);
    let photo = h.say(wa, text(wa, "No pension for two months. Aadhaar 4991 1234 5677"), 1).await;
    assert_eq!(button_ids(&photo[0]), ["grv:skip"]);
    let image = message(wa, "image", json!({ "id": "MEDIA-1", "mime_type": "image/jpeg", "sha256": "x" }));
    let location = h.say(wa, image, 1).await;
    assert!(said(&location[0]).contains("Location"), "{}", location[0]);
    let place = message(wa, "location", json!({ "latitude": 16.50745, "longitude": 80.64660, "name": "Vijayawada" }));
    let lodged = h.say(wa, place, 2).await;
    assert!(said(&lodged[0]).contains("Grievance registered") && said(&lodged[0]).contains("72 hours"));
    let ticket = said(&lodged[0]).split('*').nth(1).unwrap().to_owned();
    assert!(ticket.starts_with("GRV-"), "{ticket}");
    let stored = store.grievance(&ticket).await.unwrap().unwrap();
    assert_eq!((stored.department.as_str(), stored.photo.as_deref()), ("pensions", Some("MEDIA-1")));
    assert!(stored.location.as_deref().unwrap().ends_with("Vijayawada"));
    assert!(stored.description.ends_with("XXXX XXXX 5677") && !stored.description.contains("4991"));

    // Only the owning department's officers act; a viewer reads.
    let ravi = token("ravi", Role::Officer, &["pensions"]);
    let sita = token("sita", Role::Officer, &["revenue"]);
    let viewer = token("vani", Role::Viewer, &[]);
    let path = format!("/admin/grievances/{ticket}");
    assert_eq!(call(&h, "GET", &path, Some(&sita), None).await.0, StatusCode::FORBIDDEN);
    assert_eq!(call(&h, "POST", &format!("{path}/start"), Some(&sita), None).await.0, StatusCode::FORBIDDEN);
    assert_eq!(call(&h, "POST", &format!("{path}/start"), Some(&viewer), None).await.0, StatusCode::FORBIDDEN);
    assert_eq!(call(&h, "GET", &path, Some(&viewer), None).await.0, StatusCode::OK);
    assert_eq!(call(&h, "GET", &path, None, None).await.0, StatusCode::UNAUTHORIZED);
    let (_, theirs) = call(&h, "GET", "/admin/grievances", Some(&sita), None).await;
    assert_eq!(theirs["grievances"], json!([]));
    let (_, mine) = call(&h, "GET", "/admin/grievances", Some(&ravi), None).await;
    assert_eq!(mine["grievances"][0]["ticket"], ticket.as_str());

    // The SLA (72 hours) passes on the test's clock: escalated, the citizen
    // told by template (their 24-hour window has closed by then).
    let office = Office::new(store.clone(), Arc::new(Privacy::new(DEV_PII_KEY)));
    let lodged_at = stored.created_at_ms;
    assert!(office.escalate(lodged_at + 71 * HOUR_MS).await.unwrap().is_empty(), "not due yet");
    let sent = h.fake.to(wa).len();
    let escalated = office.escalate(lodged_at + 73 * HOUR_MS).await.unwrap();
    assert_eq!((escalated.len(), escalated[0].level), (1, 2));
    let told = next_messages(&h, wa, sent, 1).await;
    let template = &told[0]["template"];
    assert_eq!(
        (told[0]["type"].as_str(), template["name"].as_str()),
        (Some("template"), Some("mitra_grievance_update"))
    );
    let parameters: Vec<&str> = template["components"][0]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(parameters[..3], [ticket.as_str(), "Pension not received", "Open"]);
    assert!(parameters[3].contains("senior officer, level 2"), "{parameters:?}");
    // Due again a full SLA later; escalated at most to level 3.
    assert!(office.escalate(lodged_at + 100 * HOUR_MS).await.unwrap().is_empty());
    assert_eq!(office.escalate(lodged_at + 146 * HOUR_MS).await.unwrap()[0].level, 3);
    let told = next_messages(&h, wa, sent, 2).await;
    assert_eq!(told[1]["template"]["name"], "mitra_grievance_update");
    assert!(office.escalate(lodged_at + 1000 * HOUR_MS).await.unwrap().is_empty(), "level 3 is the top");
    let (_, board) = call(&h, "GET", "/admin/dashboard", Some(&ravi), None).await;
    assert_eq!(
        (board["kpis"]["grievance_backlog"].as_i64(), board["kpis"]["grievances_escalated"].as_i64()),
        (Some(1), Some(1))
    );

    // Escalated to level 3: it leaves the level-1 officer's list for the
    // level-3 officer's, and only an officer of that level acts on it.
    let lakshmi = token_at("lakshmi", Role::Officer, &["pensions"], 3);
    let (_, mine) = call(&h, "GET", "/admin/grievances", Some(&ravi), None).await;
    assert_eq!((mine["grievances"].as_array().unwrap().len(), mine["level"].as_i64()), (0, Some(1)), "{mine}");
    let (_, every) = call(&h, "GET", "/admin/grievances?level=all", Some(&ravi), None).await;
    assert_eq!(every["grievances"][0]["level"], 3);
    assert_eq!(call(&h, "GET", "/admin/grievances?level=9", Some(&ravi), None).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(call(&h, "POST", &format!("{path}/start"), Some(&ravi), None).await.0, StatusCode::FORBIDDEN);
    let (_, theirs) = call(&h, "GET", "/admin/grievances", Some(&lakshmi), None).await;
    assert_eq!(theirs["grievances"][0]["ticket"], ticket.as_str());

    // The citizen adds a comment; the senior officer starts and resolves.
    h.say(wa, tap(wa, &format!("grv-comment:{ticket}"), false), 1).await;
    h.say(wa, text(wa, "Still waiting at the secretariat"), 2).await;
    let (status, _) = call(&h, "POST", &format!("{path}/resolve"), Some(&lakshmi), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a resolution says what was done");
    let sent = h.fake.to(wa).len();
    assert_eq!(call(&h, "POST", &format!("{path}/start"), Some(&lakshmi), None).await.0, StatusCode::OK);
    let started = next_messages(&h, wa, sent, 1).await;
    assert!(said(&started[0]).contains("started work"), "{}", started[0]);
    let sent = h.fake.to(wa).len();
    let note = json!({ "note": "Pension credited on 3 December." });
    let (status, body) = call(&h, "POST", &format!("{path}/resolve"), Some(&lakshmi), Some(note.clone())).await;
    assert_eq!((status, body["grievance"]["status"].as_str()), (StatusCode::OK, Some("resolved")), "{body}");
    let resolved = next_messages(&h, wa, sent, 1).await;
    assert_eq!(
        button_ids(&resolved[0]),
        [format!("grv-rate:{ticket}:5"), format!("grv-rate:{ticket}:3"), format!("grv-reopen:{ticket}")]
    );

    // Not solved: reopened once; resolved again; then rated, which closes it.
    h.say(wa, tap(wa, &format!("grv-reopen:{ticket}"), false), 1).await;
    assert_eq!(store.grievance(&ticket).await.unwrap().unwrap().status, "open");
    let sent = h.fake.to(wa).len();
    call(&h, "POST", &format!("{path}/resolve"), Some(&lakshmi), Some(note)).await;
    next_messages(&h, wa, sent, 1).await;
    h.say(wa, tap(wa, &format!("grv-rate:{ticket}:5"), false), 2).await;
    let closed = store.grievance(&ticket).await.unwrap().unwrap();
    assert_eq!((closed.status.as_str(), closed.rating, closed.reopened), ("closed", Some(5), true));
    let (_, shown) = call(&h, "GET", &path, Some(&lakshmi), None).await;
    let kinds: Vec<&str> = shown["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["lodged", "escalated", "escalated", "comment", "started", "resolved", "reopened", "resolved", "rated"]
    );
    let mine = h.say(wa, tap(wa, "grv:mine", false), 1).await;
    let rows = &mine[0]["interactive"]["action"]["sections"][0]["rows"];
    assert!(rows[0]["description"].as_str().unwrap().starts_with("Closed"), "{rows}");
    assert!(now_ms() > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_a_grievance_is_lodged_escalated_resolved_and_rated() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    a_grievance_is_lodged_escalated_resolved_and_rated(store, "919872000001").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_a_grievance_is_lodged_escalated_resolved_and_rated() {
    let store = Store::connect(&crate::store::fresh_postgres().await).await.unwrap();
    a_grievance_is_lodged_escalated_resolved_and_rated(store, "919872000002").await;
}
