//! The operator side through the real HTTP routes: an officer works an
//! application from the queue to delivered while the citizen is told on
//! WhatsApp at each step (a session message in the 24-hour window, an
//! approved template outside it) and answers the officer's question in the
//! chat; every console route refuses a missing, expired or forged token,
//! an officer of another department and a viewer who tries to act; and
//! after it all no table and no log line holds the citizen's Aadhaar number
//! in clear. On SQLite and on PostgreSQL.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use mitra::console::auth::{self, Operator, Role};
use mitra::privacy::{DEV_PII_KEY, Privacy};
use mitra::store::Store;
use serde_json::{Value, json};
use sqlx::Row as _;
use tower::ServiceExt as _;

use crate::conversation::{Harness, catalog, harness, message, row_ids, start_fake, tap, text};
use crate::support::runtime;

pub(crate) const SECRET: &str = "operators-test-secret";
const AADHAAR: &str = "499112345677";
const AADHAAR_WRITTEN: &str = "4991 1234 5677";

/// Every log line the test process writes, as the host's log writer masks it.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = logs.clone();
        // The flow's own lines are looked for below: a subscriber
        // installed before this one would show as nothing captured.
        mitra::telemetry::logs::init_with(mitra::telemetry::logs::LogFormat::Json, move || Sink(sink.clone()));
        logs
    })
    .clone()
}

pub(crate) struct Sink(pub(crate) Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub(crate) fn token(name: &str, role: Role, departments: &[&str]) -> String {
    token_at(name, role, departments, 1)
}

/// A token for an officer of `level` (escalations reach the levels above 1).
pub(crate) fn token_at(name: &str, role: Role, departments: &[&str], level: u8) -> String {
    let operator =
        Operator { name: name.into(), role, departments: departments.iter().map(|d| d.to_string()).collect(), level };
    auth::token(SECRET, &operator, Duration::from_secs(600)).unwrap()
}

/// A host serving pensions with the console's API on it.
pub(crate) async fn office(store: Store) -> Harness {
    let rt = runtime();
    let catalog = catalog(&rt);
    let (fake, url) = start_fake().await;
    let h = harness(store.clone(), catalog.clone(), fake, &url).await;
    let console = mitra::console::router(store, catalog, Arc::new(Privacy::new(DEV_PII_KEY)), SECRET);
    Harness { app: h.app.merge(console), fake: h.fake }
}

pub(crate) async fn call(
    h: &Harness,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let (status, bytes) = call_raw(h, method, path, token, body).await;
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

pub(crate) async fn call_raw(
    h: &Harness,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Vec<u8>) {
    let mut request = Request::builder().method(method).uri(path).header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let body = body.map(|b| Body::from(b.to_string())).unwrap_or_else(Body::empty);
    let response = h.app.clone().oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status();
    (status, axum::body::to_bytes(response.into_body(), 16 << 20).await.unwrap().to_vec())
}

pub(crate) fn said(reply: &Value) -> String {
    let body = reply["text"]["body"].as_str().or(reply["interactive"]["body"]["text"].as_str());
    body.unwrap_or_default().to_owned()
}

/// Waits for `n` messages to `wa` beyond the `before` already sent (the
/// sender picks operators' messages up from the outbox).
pub(crate) async fn next_messages(h: &Harness, wa: &str, before: usize, n: usize) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let all = h.fake.to(wa);
        if all.len() >= before + n {
            return all[before..].to_vec();
        }
        assert!(started.elapsed() < Duration::from_secs(10), "waited for {n} messages, got {:#?}", &all[before..]);
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A citizen applies for an old-age pension, giving their Aadhaar number.
async fn apply(h: &Harness, wa: &str) -> String {
    h.say(wa, text(wa, "hi"), 1).await;
    let welcome = h.say(wa, tap(wa, "lang:en", false), 2).await;
    let sections = &welcome[1]["interactive"]["action"]["sections"];
    assert_eq!(sections[1]["rows"][0]["id"], "my:requests", "{}", welcome[1]);
    h.say(wa, tap(wa, "svc:pensions/old-age", true), 1).await;
    h.say(wa, tap(wa, "start:pensions/old-age", false), 1).await;
    h.say(wa, text(wa, AADHAAR_WRITTEN), 1).await;
    h.say(wa, text(wa, "15/08/1950"), 1).await;
    h.say(wa, tap(wa, "opt:rural", false), 1).await;
    h.say(wa, text(wa, "5000"), 1).await;
    let submitted = h.say(wa, tap(wa, "form:submit", false), 2).await;
    said(&submitted[0]).split('*').nth(1).unwrap().to_owned()
}

async fn an_officer_works_an_application_to_delivered(store: Store, wa: &str) {
    let logs = captured_logs();
    let h = office(store.clone()).await;
    let number = apply(&h, wa).await;

    let ravi = token("ravi", Role::Officer, &["pensions"]);
    let sita = token("sita", Role::Officer, &["revenue"]);
    let viewer = token("vani", Role::Viewer, &[]);
    let admin = token("asha", Role::Admin, &[]);

    // Every route refuses no token, a forged one and an expired one.
    let forged = auth::token("not-the-secret", &Operator::admin("mallory"), Duration::from_secs(600)).unwrap();
    let expired = auth::token(SECRET, &Operator::admin("asha"), Duration::ZERO).unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let routes = [
        ("GET", "/admin/applications".to_owned()),
        ("GET", "/admin/applications.csv".to_owned()),
        ("GET", "/admin/queue".to_owned()),
        ("GET", format!("/admin/applications/{number}")),
        ("POST", format!("/admin/applications/{number}/approve")),
        ("POST", format!("/admin/applications/{number}/reveal")),
        ("GET", "/admin/dashboard".to_owned()),
        ("GET", "/admin/grievances".to_owned()),
        ("GET", "/admin/grievances/GRV-261203-AAAAAAAA".to_owned()),
        ("POST", "/admin/grievances/GRV-261203-AAAAAAAA/start".to_owned()),
        ("GET", "/console/me".to_owned()),
    ];
    for (method, path) in &routes {
        for token in [None, Some(forged.as_str()), Some(expired.as_str())] {
            let (status, body) = call(&h, method, path, token, None).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path} with {token:?}: {body}");
        }
    }

    // An officer of another department neither reads nor acts; a viewer reads only.
    let file = format!("/admin/applications/{number}");
    assert_eq!(call(&h, "GET", &file, Some(&sita), None).await.0, StatusCode::FORBIDDEN);
    let approve = format!("{file}/approve");
    let (status, _) = call(&h, "POST", &approve, Some(&sita), Some(json!({ "note": "ok" }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let listed = call(&h, "GET", "/admin/applications?department=pensions", Some(&sita), None).await;
    assert_eq!(listed.0, StatusCode::FORBIDDEN);
    let (status, queue) = call(&h, "GET", "/admin/queue", Some(&sita), None).await;
    assert_eq!((status, queue["applications"].as_array().unwrap().len()), (StatusCode::OK, 0), "{queue}");
    let csv = call_raw(&h, "GET", "/admin/applications.csv", Some(&sita), None).await;
    assert_eq!(String::from_utf8(csv.1).unwrap().lines().count(), 1, "only the header");
    assert_eq!(call(&h, "GET", &file, Some(&viewer), None).await.0, StatusCode::OK);
    for action in ["review", "ask", "approve", "reject", "deliver"] {
        let path = format!("{file}/{action}");
        let (status, _) = call(&h, "POST", &path, Some(&viewer), Some(json!({ "note": "x" }))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a viewer may not {action}");
    }
    assert_eq!(call(&h, "GET", &file, Some(&sita), None).await.0, StatusCode::FORBIDDEN);

    // The officer's queue has it; they take it up and the citizen is told.
    let (status, queue) = call(&h, "GET", "/admin/queue", Some(&ravi), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(queue["applications"][0]["number"], number.as_str(), "{queue}");
    let sent = h.fake.to(wa).len();
    let (status, body) = call(&h, "POST", &format!("{file}/review"), Some(&ravi), None).await;
    assert_eq!((status, body["application"]["status"].as_str()), (StatusCode::OK, Some("under_review")), "{body}");
    let told = next_messages(&h, wa, sent, 1).await;
    assert!(said(&told[0]).contains("An officer is now reviewing") && said(&told[0]).contains(&number), "{}", told[0]);

    // A question needs its text; asked, the citizen gets it with a Reply button.
    let (status, _) = call(&h, "POST", &format!("{file}/ask"), Some(&ravi), Some(json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let question = "Please send a photo of your ration card.";
    let sent = h.fake.to(wa).len();
    let (status, body) = call(&h, "POST", &format!("{file}/ask"), Some(&ravi), Some(json!({ "note": question }))).await;
    assert_eq!((status, body["application"]["status"].as_str()), (StatusCode::OK, Some("needs_information")));
    let asked = next_messages(&h, wa, sent, 1).await;
    assert!(said(&asked[0]).contains(question), "{}", asked[0]);
    let reply_id = format!("info:{number}");
    assert_eq!(asked[0]["interactive"]["action"]["buttons"][0]["reply"]["id"], reply_id.as_str());

    // The citizen answers in the chat; the answer returns to the file.
    let prompt = h.say(wa, tap(wa, &reply_id, false), 1).await;
    assert!(said(&prompt[0]).contains(question), "{}", prompt[0]);
    let answer = format!("Ration card AP-0412, my Aadhaar {AADHAAR_WRITTEN}");
    let thanks = h.say(wa, text(wa, &answer), 2).await;
    assert!(said(&thanks[0]).contains("Your answer was added") && said(&thanks[0]).contains(&number));
    let (_, shown) = call(&h, "GET", &file, Some(&ravi), None).await;
    assert_eq!(shown["application"]["status"], "under_review", "{shown}");
    let last = shown["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["actor"], "citizen");
    let note = last["note"].as_str().unwrap();
    assert!(note.starts_with("Ration card AP-0412") && note.ends_with("XXXX XXXX 5677"), "{note}");
    // A second tap on the old Reply: nothing is open any more.
    let again = h.say(wa, tap(wa, &reply_id, false), 2).await;
    assert!(said(&again[0]).contains("answered already"), "{}", again[0]);

    // Approved with remarks; a second approval conflicts.
    let sent = h.fake.to(wa).len();
    let remarks = "Age and income verified by the Village Secretariat.";
    let (status, body) = call(&h, "POST", &approve, Some(&ravi), Some(json!({ "note": remarks }))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let approved = next_messages(&h, wa, sent, 1).await;
    assert!(said(&approved[0]).contains("approved") && said(&approved[0]).contains(remarks), "{}", approved[0]);
    let (status, body) = call(&h, "POST", &approve, Some(&ravi), Some(json!({ "note": remarks }))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // Delivered: the department's sanction order, signed, follows in the chat.
    let sent = h.fake.to(wa).len();
    let (status, body) = call(&h, "POST", &format!("{file}/deliver"), Some(&ravi), None).await;
    assert_eq!((status, body["application"]["status"].as_str()), (StatusCode::OK, Some("delivered")), "{body}");
    let delivered = next_messages(&h, wa, sent, 2).await;
    assert!(said(&delivered[0]).contains("Completed"), "{}", delivered[0]);
    assert_eq!(delivered[1]["type"], "document", "{}", delivered[1]);
    assert!(delivered[1]["document"]["id"].is_string(), "uploaded first: {}", delivered[1]);

    // The citizen finds it under My applications.
    let mine = h.say(wa, tap(wa, "my:applications", true), 1).await;
    assert_eq!(row_ids(&mine[0]), [format!("app:{number}")]);
    let rows = &mine[0]["interactive"]["action"]["sections"][0]["rows"];
    assert!(rows[0]["description"].as_str().unwrap().starts_with("Completed"), "{rows}");

    // The history, attributed; the audit log; the officer's export.
    let (_, shown) = call(&h, "GET", &file, Some(&viewer), None).await;
    let steps: Vec<(String, String)> = shown["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["actor"].as_str().unwrap().to_owned(), e["to_status"].as_str().unwrap().to_owned()))
        .collect();
    let expected = [
        ("ravi", "under_review"),
        ("ravi", "needs_information"),
        ("citizen", "under_review"),
        ("ravi", "approved"),
        ("ravi", "delivered"),
    ];
    assert_eq!(steps, expected.map(|(a, s)| (a.to_owned(), s.to_owned())));
    assert!(shown["application"]["decided_at_ms"].as_i64().is_some());
    let log = store.audit_log(100, Some(&["pensions".to_owned()])).await.unwrap();
    assert!(log.iter().any(|e| e.actor == "ravi" && e.action == format!("approve application {number}")));
    let (status, csv) = call_raw(&h, "GET", "/admin/applications.csv?department=pensions", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = rows.iter().find(|r| r.get(0) == Some(number.as_str())).expect("exported");
    let column = |name: &str| row.get(headers.iter().position(|h| h == name).unwrap()).unwrap().to_owned();
    assert_eq!((column("status"), column("remarks")), ("delivered".to_owned(), remarks.to_owned()));

    assert_metrics(&h).await;
    assert_dashboard(&h, &ravi, &sita).await;

    // The citizen's number: masked in the console, revealed with a reason
    // (audited) to an officer of the department, never to a viewer.
    let (_, shown) = call(&h, "GET", &file, Some(&ravi), None).await;
    assert_eq!(shown["application"]["wa_id"], format!("XXXXXXXX{}", &wa[8..]));
    let reveal = format!("{file}/reveal");
    let (status, _) = call(&h, "POST", &reveal, Some(&ravi), Some(json!({ "reason": "" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = call(&h, "POST", &reveal, Some(&viewer), Some(json!({ "reason": "curious" }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let why = "citizen called the helpline about the pension";
    let (status, revealed) = call(&h, "POST", &reveal, Some(&ravi), Some(json!({ "reason": why }))).await;
    assert_eq!((status, revealed["wa_id"].as_str()), (StatusCode::OK, Some(wa)), "{revealed}");
    assert_eq!(revealed["profile_name"], "Lakshmi");
    let log = store.audit_log(5, None).await.unwrap();
    assert!(
        log.iter().any(|e| e.actor == "ravi" && e.action == format!("reveal application {number}") && e.detail == why)
    );

    // Nothing holds the Aadhaar number in clear: no column of any table, no log line.
    assert_no_clear_aadhaar(&store).await;
    let logs = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(logs.contains(&number), "the flow's log lines were captured");
    for clear in [AADHAAR, AADHAAR_WRITTEN] {
        assert!(!logs.contains(clear), "a log line holds {clear}");
    }

    // Retention: closed conversations' bodies are purged; ids and states stay.
    let purged = store.purge_conversations(mitra::store::now_ms() + 1).await.unwrap();
    assert!(purged > 10, "{purged}");
    let inbound = store.inbound_of(wa).await.unwrap();
    assert!(!inbound.is_empty() && inbound.iter().all(|m| m.payload == mitra::store::PURGED));
    assert_eq!(store.load_session(wa).await.unwrap(), None);
    assert_eq!(store.application_file(&number).await.unwrap().unwrap().record.status, "delivered");
}

/// How many of `department`'s applications the dashboard counts in `status`.
fn counted(board: &Value, department: &str, status: &str) -> i64 {
    board["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["department"] == department && s["status"] == status)
        .map(|s| s["count"].as_i64().unwrap())
        .sum()
}

/// The dashboard's figures for the officer's department; another
/// department's officer sees none of them.
async fn assert_dashboard(h: &Harness, ravi: &str, sita: &str) {
    let (status, board) = call(h, "GET", "/admin/dashboard", Some(ravi), None).await;
    assert_eq!(status, StatusCode::OK, "{board}");
    let delivered = counted(&board, "pensions", "delivered");
    assert_eq!(delivered, 1, "{board}");
    let turnaround = &board["turnaround"][0];
    assert_eq!((turnaround["service"].as_str(), turnaround["decided"].as_i64()), (Some("old-age"), Some(1)));
    assert!(turnaround["median_hours"].as_f64().unwrap() < 1.0, "{board}");
    assert_eq!(board["names"]["services"]["pensions/old-age"]["en"], "Old age pension");
    assert!(board["applications"].as_array().unwrap().iter().any(|d| d["submitted"].as_i64() == Some(1)));
    assert!(
        board["plugins"].as_array().unwrap().iter().any(|p| p["plugin"] == "pensions" && p["calls"].as_u64() > Some(0))
    );
    assert!(!board["messages"].as_array().unwrap().is_empty());
    let (_, theirs) = call(h, "GET", "/admin/dashboard", Some(sita), None).await;
    assert_eq!(theirs["by_status"], json!([]), "{theirs}");
    assert_eq!(theirs["names"]["departments"], json!({}));
}

/// Console accounts: a wrong password is refused (and audited); the right
/// one sets the HttpOnly session cookie that the API then accepts.
async fn console_login(store: Store) {
    let h = office(store.clone()).await;
    let ravi = Operator { name: "ravi".into(), role: Role::Officer, departments: vec!["pensions".into()], level: 1 };
    store.put_operator(&mitra::console::accounts::account(&ravi, "a long enough secret").unwrap()).await.unwrap();
    let login = |password: &str| {
        let body = json!({ "username": "ravi", "password": password }).to_string();
        Request::post("/console/login").header("content-type", "application/json").body(Body::from(body)).unwrap()
    };
    let refused = h.app.clone().oneshot(login("not it at all")).await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let response = h.app.clone().oneshot(login("a long enough secret")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let session = cookie.split(';').next().unwrap().to_owned();
    let me = Request::get("/console/me").header("cookie", &session).body(Body::empty()).unwrap();
    let response = h.app.clone().oneshot(me).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
    let me: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!((me["name"].as_str(), me["role"].as_str()), (Some("ravi"), Some("officer")));
    let queue = Request::get("/admin/queue").header("cookie", &session).body(Body::empty()).unwrap();
    assert_eq!(h.app.clone().oneshot(queue).await.unwrap().status(), StatusCode::OK);
    let log = store.audit_log(10, None).await.unwrap();
    assert!(log.iter().any(|e| e.action == "console login" && e.outcome == "denied"));
    assert!(log.iter().any(|e| e.action == "console login" && e.outcome == "ok"));
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_console_login_sets_a_session_cookie_the_api_accepts() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    console_login(store).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_console_login_sets_a_session_cookie_the_api_accepts() {
    console_login(Store::connect(&crate::store::fresh_postgres().await).await.unwrap()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_an_officer_works_an_application_to_delivered_and_no_aadhaar_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    an_officer_works_an_application_to_delivered(store, "919870000001").await;
}

/// The console reads beside the writer: with SQLite's one writing
/// connection inside a transaction (as while a batch of citizens' messages
/// commits), the dashboard, the queue and a file still answer, from the
/// last commit, rather than wait for it.
#[tokio::test(flavor = "multi_thread")]
async fn sqlite_the_console_answers_while_a_commit_is_in_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let h = office(store.clone()).await;
    let number = apply(&h, "919870000003").await;
    let ravi = token("ravi", Role::Officer, &["pensions"]);
    let Store::Sqlite(pool) = &store else { unreachable!() };
    let mut commit = pool.begin().await.unwrap();
    sqlx::query("UPDATE applications SET status = 'rejected' WHERE number = ?")
        .bind(&number)
        .execute(&mut *commit)
        .await
        .unwrap();
    let answered = |path: String| {
        let (h, ravi) = (&h, &ravi);
        async move {
            let called = call(h, "GET", &path, Some(ravi), None);
            let (status, body) = tokio::time::timeout(Duration::from_secs(5), called)
                .await
                .unwrap_or_else(|_| panic!("{path} waited for the commit in progress"));
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            body
        }
    };
    let board = answered("/admin/dashboard".into()).await;
    let submitted = counted(&board, "pensions", "submitted");
    assert_eq!(submitted, 1, "the last commit's figures: {board}");
    let queue = answered("/admin/queue".into()).await;
    assert_eq!(queue["applications"][0]["number"], number.as_str(), "{queue}");
    let file = answered(format!("/admin/applications/{number}")).await;
    assert_eq!(file["application"]["status"], "submitted", "not the transaction's change: {file}");
    commit.rollback().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_an_officer_works_an_application_to_delivered_and_no_aadhaar_is_kept() {
    let store = Store::connect(&crate::store::fresh_postgres().await).await.unwrap();
    an_officer_works_an_application_to_delivered(store, "919870000002").await;
}

/// Outside the citizen's 24-hour window the question goes as the approved
/// template with a quick-reply button, and its tap opens the answer.
async fn outside_the_window_the_citizen_is_asked_by_template(store: Store, wa: &str) {
    let h = office(store.clone()).await;
    let number = apply(&h, wa).await;
    // The citizen's last message is days old: no session window is known.
    let deleted = match &store {
        Store::Sqlite(pool) => {
            sqlx::query("DELETE FROM sessions WHERE wa_id = ?").bind(wa).execute(pool).await.unwrap().rows_affected()
        }
        Store::Postgres(pool) => {
            sqlx::query("DELETE FROM sessions WHERE wa_id = $1").bind(wa).execute(pool).await.unwrap().rows_affected()
        }
    };
    assert_eq!(deleted, 1);
    let ravi = token("ravi", Role::Officer, &["pensions"]);
    let sent = h.fake.to(wa).len();
    let question = "Which village\tdo you\nlive in?";
    let path = format!("/admin/applications/{number}/ask");
    let (status, body) = call(&h, "POST", &path, Some(&ravi), Some(json!({ "note": question }))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let asked = next_messages(&h, wa, sent, 1).await;
    let template = &asked[0]["template"];
    assert_eq!(
        (asked[0]["type"].as_str(), template["name"].as_str()),
        (Some("template"), Some("mitra_application_question"))
    );
    assert_eq!(template["language"]["code"], "en");
    let components = template["components"].as_array().unwrap();
    let parameters: Vec<&str> =
        components[0]["parameters"].as_array().unwrap().iter().map(|p| p["text"].as_str().unwrap()).collect();
    // Meta refuses newlines and tabs in parameters: they are spaces.
    assert_eq!(parameters, [number.as_str(), "Old age pension", "Which village do you live in?"]);
    assert_eq!(
        (components[1]["type"].as_str(), components[1]["sub_type"].as_str()),
        (Some("button"), Some("quick_reply"))
    );
    let payload = components[1]["parameters"][0]["payload"].as_str().unwrap();
    assert_eq!(payload, format!("info:{number}"));

    // The tap on the template's button comes back as a `button` message.
    let tapped = message(wa, "button", json!({ "payload": payload, "text": "Reply" }));
    let prompt = h.say(wa, tapped, 1).await;
    assert!(said(&prompt[0]).contains("Which village"), "{}", prompt[0]);
    h.say(wa, text(wa, "Kondapalli"), 2).await;
    let (_, shown) = call(&h, "GET", &format!("/admin/applications/{number}"), Some(&ravi), None).await;
    assert_eq!(shown["application"]["status"], "under_review", "{shown}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_outside_the_window_the_citizen_is_asked_by_template() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    outside_the_window_the_citizen_is_asked_by_template(store, "919870000003").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_outside_the_window_the_citizen_is_asked_by_template() {
    let store = Store::connect(&crate::store::fresh_postgres().await).await.unwrap();
    outside_the_window_the_citizen_is_asked_by_template(store, "919870000004").await;
}

/// Scans every column of every table (as hex, so blobs too) for the number,
/// written whole or grouped.
async fn assert_no_clear_aadhaar(store: &Store) {
    let needles: Vec<String> = [AADHAAR, AADHAAR_WRITTEN].iter().map(hex::encode).collect();
    let mut scanned = 0;
    match store {
        Store::Sqlite(pool) => {
            let tables: Vec<String> =
                sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    .fetch_all(pool)
                    .await
                    .unwrap();
            for table in tables {
                let columns: Vec<String> = sqlx::query(&format!("PRAGMA table_info(\"{table}\")"))
                    .fetch_all(pool)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.get::<String, _>("name"))
                    .collect();
                for column in columns {
                    let values: Vec<Option<String>> =
                        sqlx::query_scalar(&format!("SELECT lower(hex(\"{column}\")) FROM \"{table}\""))
                            .fetch_all(pool)
                            .await
                            .unwrap();
                    for value in values.into_iter().flatten() {
                        scanned += 1;
                        for needle in &needles {
                            assert!(!value.contains(needle.as_str()), "{table}.{column} holds the Aadhaar number");
                        }
                    }
                }
            }
        }
        Store::Postgres(pool) => {
            let columns = sqlx::query(
                "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns \
                 WHERE table_schema = 'public'",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            for row in columns {
                let (table, column, kind): (String, String, String) = (row.get(0), row.get(1), row.get(2));
                let hexed = if kind == "bytea" {
                    format!("encode(\"{column}\", 'hex')")
                } else {
                    format!("encode(convert_to(\"{column}\"::text, 'UTF8'), 'hex')")
                };
                let values: Vec<Option<String>> =
                    sqlx::query_scalar(&format!("SELECT {hexed} FROM \"{table}\"")).fetch_all(pool).await.unwrap();
                for value in values.into_iter().flatten() {
                    scanned += 1;
                    for needle in &needles {
                        assert!(!value.contains(needle.as_str()), "{table}.{column} holds the Aadhaar number");
                    }
                }
            }
        }
    }
    assert!(scanned > 100, "only {scanned} values scanned");
}

/// `/metrics` as a Prometheus scrape reads it, with the flow's figures.
async fn assert_metrics(h: &Harness) {
    let (status, body) = call_raw(h, "GET", "/metrics", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(body).unwrap();
    let lines = text.lines().map(|l| Ok(l.to_owned()));
    let scrape = prometheus_parse::Scrape::parse(lines).unwrap_or_else(|e| panic!("{e}: {text}"));
    let value = |name: &str, labels: &[(&str, &str)]| -> f64 {
        scrape
            .samples
            .iter()
            .filter(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
            .map(|s| match s.value {
                prometheus_parse::Value::Counter(v) | prometheus_parse::Value::Gauge(v) => v,
                prometheus_parse::Value::Untyped(v) => v,
                prometheus_parse::Value::Histogram(ref buckets) => buckets.last().map_or(0.0, |b| b.count),
                _ => 0.0,
            })
            .sum()
    };
    assert!(value("mitra_messages_in_total", &[("kind", "text")]) >= 5.0, "{text}");
    assert!(value("mitra_messages_in_total", &[("kind", "interactive")]) >= 3.0, "{text}");
    assert!(value("mitra_messages_out_total", &[("outcome", "sent")]) >= 10.0, "{text}");
    let ok = [("plugin", "pensions"), ("call", "check-eligibility"), ("outcome", "ok")];
    assert!(value("mitra_plugin_calls_total", &ok) >= 1.0, "{text}");
    assert!(value("mitra_plugin_call_seconds", &[("plugin", "pensions")]) >= 1.0, "{text}");
    assert!(value("mitra_db_commit_seconds", &[]) >= 1.0, "{text}");
    assert!(value("mitra_webhook_responses_total", &[("class", "2xx")]) >= 10.0, "{text}");
    assert!(value("mitra_applications_moved_total", &[("status", "delivered")]) >= 1.0, "{text}");
    assert!(scrape.samples.iter().any(|s| s.metric == "mitra_outbox_depth"), "{text}");
}
