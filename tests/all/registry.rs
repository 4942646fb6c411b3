//! Operators swap plugins through the admin API (JWT, audited): install,
//! activate, staged rollout, rollback — and under a steady load of
//! citizens' webhooks and plugin calls, ten swaps and a rollback cost no
//! failed or wrong reply.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use mitra::console::auth::{self, Operator, Role};
use mitra::registry::Registry;
use mitra::registry::package::{self, TrustedKeys, VendorKey};
use mitra::runtime::{CONTRACT_VERSION, Catalog};
use mitra::store::{OutboxItem, Store};
use serde_json::{Value, json};
use tower::ServiceExt as _;

use crate::conversation::{Harness, catalog, harness, start_fake, tap, text};
use crate::packages::pensions_dir;
use crate::support::{components, runtime};

const ADMIN_SECRET: &str = "registry-test-admin-secret";

struct Ops {
    h: Harness,
    registry: Arc<Registry>,
    catalog: Arc<Catalog>,
    store: Store,
    vendor: VendorKey,
    token: String,
    tmp: tempfile::TempDir,
}

/// A host serving pensions 0.1.0 from its plugins directory, with the admin
/// API, trusting one vendor.
async fn ops() -> Ops {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let rt = runtime();
    let catalog = catalog(&rt);
    let vendor = VendorKey::generate("pensions-vendor").unwrap();
    let trusted = TrustedKeys::default().with("pensions-vendor", &vendor.public_hex()).unwrap();
    let registry = Arc::new(Registry::new(store.clone(), rt, catalog.clone(), trusted, tmp.path().join("packages")));
    let (fake, url) = start_fake().await;
    let h = harness(store.clone(), catalog.clone(), fake, &url).await;
    let admin = mitra::admin::router(registry.clone(), store.clone(), ADMIN_SECRET);
    let h = Harness { app: h.app.merge(admin), fake: h.fake };
    let token = mitra::admin::token(ADMIN_SECRET, "asha", Duration::from_secs(600)).unwrap();
    Ops { h, registry, catalog, store, vendor, token, tmp }
}

impl Ops {
    fn package(&self, version: &str) -> Vec<u8> {
        self.package_of(version, components::PENSIONS)
    }

    fn package_of(&self, version: &str, component: &str) -> Vec<u8> {
        let dir = pensions_dir(&self.tmp.path().join("vendor"), version, component);
        package::pack(&dir, &self.vendor, CONTRACT_VERSION).unwrap()
    }

    async fn admin(&self, method: &str, path: &str, token: Option<&str>, body: Body) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = self.h.app.clone().oneshot(request.body(body).unwrap()).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    async fn install(&self, version: &str) -> (StatusCode, Value) {
        self.admin("POST", "/admin/plugins", Some(&self.token), Body::from(self.package(version))).await
    }

    async fn activate(&self, version: &str, percent: u8) -> (StatusCode, Value) {
        let body = json!({ "version": version, "percent": percent }).to_string();
        self.admin_json("POST", "/admin/plugins/pensions/activate", body).await
    }

    async fn rollback(&self) -> (StatusCode, Value) {
        self.admin("POST", "/admin/plugins/pensions/rollback", Some(&self.token), Body::empty()).await
    }

    async fn admin_json(&self, method: &str, path: &str, body: String) -> (StatusCode, Value) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {}", self.token))
            .header("content-type", "application/json")
            .body(Body::from(body))
            .unwrap();
        let response = self.h.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    fn serving(&self) -> String {
        self.catalog.get("pensions").unwrap().manifest().version.clone()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn operators_install_activate_roll_out_and_roll_back_through_the_admin_api() {
    let ops = ops().await;

    // No token, a token signed with another secret, an expired one: 401 on
    // every admin route, audited.
    let forged = mitra::admin::token("not-the-secret", "mallory", Duration::from_secs(600)).unwrap();
    let expired = mitra::admin::token(ADMIN_SECRET, "asha", Duration::ZERO).unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let routes = [
        ("GET", "/admin/plugins"),
        ("POST", "/admin/plugins"),
        ("POST", "/admin/plugins/pensions/activate"),
        ("POST", "/admin/plugins/pensions/rollback"),
        ("GET", "/admin/audit"),
        ("POST", "/admin/certificates/MTR-0001/revoke"),
    ];
    for (method, path) in routes {
        for token in [None, Some(&forged), Some(&expired)] {
            let body = if path == "/admin/plugins" && method == "POST" {
                Body::from(ops.package("9.9.9"))
            } else {
                Body::from(r#"{"version":"1.0.0","reason":"test"}"#)
            };
            let (status, body) = ops.admin(method, path, token.map(String::as_str), body).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path} with {token:?}: {body}");
        }
    }

    // Only an admin changes what is served: an officer or a viewer is
    // refused (403, audited) on every plugin action, and may still list.
    for (role, departments) in [(Role::Officer, vec!["pensions".to_owned()]), (Role::Viewer, vec![])] {
        let operator = Operator { name: "ravi".into(), role, departments, level: 1 };
        let token = auth::token(ADMIN_SECRET, &operator, Duration::from_secs(600)).unwrap();
        let (status, _) = ops.admin("POST", "/admin/plugins", Some(&token), Body::from(ops.package("9.9.9"))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} installs");
        let activate = Body::from(json!({ "version": "0.1.0" }).to_string());
        let (status, _) = ops.admin("POST", "/admin/plugins/pensions/activate", Some(&token), activate).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} activates");
        let (status, _) = ops.admin("POST", "/admin/plugins/pensions/rollback", Some(&token), Body::empty()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} rolls back");
        let revoke = Body::from(json!({ "reason": "x" }).to_string());
        let (status, _) = ops.admin("POST", "/admin/certificates/MTR-1/revoke", Some(&token), revoke).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} revokes");
        assert_eq!(ops.admin("GET", "/admin/plugins", Some(&token), Body::empty()).await.0, StatusCode::OK);
    }

    // Installed is not served.
    let (status, body) = ops.install("0.2.0").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!((body["version"].as_str(), body["uploader"].as_str()), (Some("0.2.0"), Some("asha")));
    assert_eq!(ops.serving(), "0.1.0");

    // A package signed by no trusted vendor: 422 with the reason, nothing changes.
    let stranger = VendorKey::generate("stranger").unwrap();
    let dir = pensions_dir(&ops.tmp.path().join("stranger"), "0.4.0", components::PENSIONS);
    let forged_package = package::pack(&dir, &stranger, CONTRACT_VERSION).unwrap();
    let (status, body) = ops.admin("POST", "/admin/plugins", Some(&ops.token), Body::from(forged_package)).await;
    assert_eq!((status, body["kind"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown-key")), "{body}");
    let (status, body) = ops.admin("POST", "/admin/plugins", Some(&ops.token), Body::from("garbage")).await;
    assert_eq!((status, body["kind"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("malformed")), "{body}");
    assert_eq!(ops.serving(), "0.1.0");

    let (status, body) = ops.activate("0.2.0", 100).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(ops.serving(), "0.2.0");
    assert_eq!(body["previous"], json!(["0.1.0"]));

    // A staged rollout: 0.3.0 to a fifth of citizens, always the same ones.
    assert_eq!(ops.install("0.3.0").await.0, StatusCode::CREATED);
    let (status, body) = ops.activate("0.3.0", 20).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(ops.serving(), "0.2.0", "everyone else stays on the active version");
    let citizens: Vec<String> = (0..1000).map(|n| format!("9197{n:08}")).collect();
    let on_candidate = |wa: &String| ops.catalog.for_citizen(wa).get("pensions").unwrap().manifest().version == "0.3.0";
    let share = citizens.iter().filter(|wa| on_candidate(wa)).count();
    assert!((120..280).contains(&share), "{share} of 1,000 at 20 %");
    assert!(citizens.iter().all(|wa| on_candidate(wa) == mitra::runtime::in_rollout("pensions", wa, 20)));

    // Rollback ends the rollout, then returns to what came before.
    let (status, body) = ops.rollback().await;
    assert_eq!((status, body["candidate"].clone()), (StatusCode::OK, Value::Null), "{body}");
    assert!(citizens.iter().all(|wa| !on_candidate(wa)));
    let (status, _) = ops.rollback().await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ops.serving(), "0.1.0");
    let (status, body) = ops.rollback().await;
    assert_eq!((status, body["kind"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid")), "{body}");

    let (status, body) = ops.activate("7.7.7", 100).await;
    assert_eq!((status, body["kind"].as_str()), (StatusCode::NOT_FOUND, Some("not-found")), "{body}");

    let (status, listing) = ops.admin("GET", "/admin/plugins", Some(&ops.token), Body::empty()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listing["versions"].as_array().unwrap().len(), 2);
    assert_eq!(listing["deployments"][0]["active"], "0.1.0");

    let log = ops.store.audit_log(100, None).await.unwrap();
    let seen: Vec<(&str, &str, &str)> =
        log.iter().rev().map(|e| (e.actor.as_str(), e.action.as_str(), e.outcome.as_str())).collect();
    assert!(seen.contains(&("-", "GET /admin/plugins", "denied")), "{seen:?}");
    assert!(seen.contains(&("asha", "install", "unknown-key")), "{seen:?}");
    assert!(seen.contains(&("asha", "activate", "ok")), "{seen:?}");
    assert_eq!(seen.iter().filter(|(_, action, _)| *action == "rollback").count(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_steady_load_sees_no_failed_or_wrong_reply_across_ten_swaps_and_a_rollback() {
    let ops = Arc::new(ops().await);
    for version in ["0.2.0", "0.3.0", "0.4.0"] {
        assert_eq!(ops.install(version).await.0, StatusCode::CREATED);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let (posted, calls, failures) =
        (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));

    // Citizens write in: each message must be answered, and never with an error.
    let mut load = Vec::new();
    for c in 0..20u64 {
        let (ops, stop, posted, failures) = (ops.clone(), stop.clone(), posted.clone(), failures.clone());
        load.push(tokio::spawn(async move {
            let wa = format!("91966{c:07}");
            let script = [text(&wa, "hi"), tap(&wa, "lang:en", false)];
            let mut ids = Vec::new();
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                let message = match n {
                    0 | 1 => script[n].clone(),
                    n if n % 3 == 0 => text(&wa, "old age pension"),
                    n if n % 3 == 1 => tap(&wa, "svc:pensions/old-age", true),
                    _ => text(&wa, "menu"),
                };
                ids.push(message["id"].as_str().unwrap().to_owned());
                let body = crate::conversation::envelope_to("PNID-1", &wa, message);
                let request = Request::post("/webhook")
                    .header(
                        "x-hub-signature-256",
                        mitra::channel::webhook::sign(crate::conversation::SECRET, body.as_bytes()),
                    )
                    .body(Body::from(body))
                    .unwrap();
                if ops.h.app.clone().oneshot(request).await.unwrap().status() != StatusCode::OK {
                    failures.fetch_add(1, Ordering::SeqCst);
                }
                posted.fetch_add(1, Ordering::SeqCst);
                n += 1;
                tokio::time::sleep(Duration::from_millis(40)).await;
            }
            (wa, ids)
        }));
    }
    // And the plugin itself is called throughout, through the HTTP API.
    let callers: Vec<_> = (0..4)
        .map(|_| {
            let (ops, stop, calls, failures) = (ops.clone(), stop.clone(), calls.clone(), failures.clone());
            tokio::spawn(async move {
                let body = r#"{"applicant":{"wa_id":"919812345678","profile_name":null,"language":"En"},"answers":[{"field_id":"aadhaar","value":{"Aadhaar":"499112345677"}},{"field_id":"dob","value":{"Date":"1950-06-01"}},{"field_id":"area","value":{"Choice":"rural"}},{"field_id":"income","value":{"Number":5000}}]}"#;
                while !stop.load(Ordering::SeqCst) {
                    let request = Request::post("/api/plugins/pensions/services/old-age/eligibility")
                        .header("content-type", "application/json")
                        .body(Body::from(body))
                        .unwrap();
                    let response = ops.h.app.clone().oneshot(request).await.unwrap();
                    let ok = response.status() == StatusCode::OK;
                    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
                    if !ok || !String::from_utf8_lossy(&bytes).contains("Eligible") {
                        failures.fetch_add(1, Ordering::SeqCst);
                    }
                    calls.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();

    // Ten activations and a rollback while all that runs.
    let mut served = Vec::new();
    for (i, version) in ["0.2.0", "0.3.0", "0.4.0"].iter().cycle().take(10).enumerate() {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let (status, body) = ops.activate(version, 100).await;
        assert_eq!(status, StatusCode::OK, "swap {i}: {body}");
        served.push(ops.serving());
    }
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(ops.rollback().await.0, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    for caller in callers {
        caller.await.unwrap();
    }
    let mut conversations = Vec::new();
    for citizen in load {
        conversations.push(citizen.await.unwrap());
    }
    assert_eq!(served, ["0.2.0", "0.3.0", "0.4.0", "0.2.0", "0.3.0", "0.4.0", "0.2.0", "0.3.0", "0.4.0", "0.2.0"]);
    assert_eq!(ops.serving(), "0.4.0", "the rollback returned to the version before");

    // Every message answered (its first reply carries its id), none with an error.
    let started = Instant::now();
    loop {
        let captured = ops.h.fake.captured.lock().unwrap().clone();
        let answered: std::collections::HashSet<&str> = captured
            .iter()
            .filter_map(|c| OutboxItem::reply_to(c.body["biz_opaque_callback_data"].as_str()?))
            .filter_map(|(wamid, i)| (i == 0).then_some(wamid))
            .collect();
        let missing: Vec<&String> =
            conversations.iter().flat_map(|(_, ids)| ids).filter(|id| !answered.contains(id.as_str())).collect();
        if missing.is_empty() {
            let wrong: Vec<&Value> = captured
                .iter()
                .map(|c| &c.body)
                .filter(|b| b.to_string().contains("unavailable") || b.to_string().contains("try again"))
                .collect();
            assert!(wrong.is_empty(), "error replies during swaps: {wrong:#?}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{} messages never answered", missing.len());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (posted, calls) = (posted.load(Ordering::SeqCst), calls.load(Ordering::SeqCst));
    assert!(posted > 200 && calls > 100, "the load was real: {posted} messages, {calls} plugin calls");
    assert_eq!(failures.load(Ordering::SeqCst), 0, "failed webhooks or plugin calls during the swaps");
}

/// One eligibility call through the HTTP API, as a citizen other than the
/// conformance checks' sample.
async fn eligibility(ops: &Ops) -> StatusCode {
    let body = r#"{"applicant":{"wa_id":"919812345678","profile_name":null,"language":"En"},"answers":[{"field_id":"aadhaar","value":{"Aadhaar":"499112345677"}},{"field_id":"dob","value":{"Date":"1950-06-01"}},{"field_id":"area","value":{"Choice":"rural"}},{"field_id":"income","value":{"Number":5000}}]}"#;
    let request = Request::post("/api/plugins/pensions/services/old-age/eligibility")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    ops.h.app.clone().oneshot(request).await.unwrap().status()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_version_that_traps_under_real_traffic_is_rolled_back_automatically() {
    let ops = ops().await;
    // It passes the conformance checks (it answers their sample citizen)...
    let (status, body) = ops
        .admin("POST", "/admin/plugins", Some(&ops.token), Body::from(ops.package_of("0.9.0", components::REGRESSED)))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(ops.activate("0.9.0", 100).await.0, StatusCode::OK);
    assert_eq!(ops.serving(), "0.9.0");
    tokio::spawn(ops.registry.clone().watch_health(mitra::registry::RollbackPolicy {
        min_calls: 10,
        every: Duration::from_millis(100),
        ..Default::default()
    }));
    // ...and traps for everyone else: the sandbox stops it, citizens get
    // "briefly unavailable", and the watchdog sees the rate.
    let started = Instant::now();
    let mut unavailable = 0;
    while ops.serving() != "0.1.0" {
        if eligibility(&ops).await == StatusCode::SERVICE_UNAVAILABLE {
            unavailable += 1;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "never rolled back ({unavailable} failed calls)");
    }
    assert!(unavailable >= 10, "judged on {unavailable} calls");
    assert_eq!(eligibility(&ops).await, StatusCode::OK, "the previous version answers again");
    let log = ops.store.audit_log(10, None).await.unwrap();
    assert!(
        log.iter().any(|e| (e.actor.as_str(), e.action.as_str(), e.outcome.as_str())
            == (mitra::registry::AUTO_ROLLBACK, "rollback", "ok")),
        "{log:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_swap_on_one_of_three_hosts_sharing_postgresql_is_served_by_all() {
    let url = crate::store::fresh_postgres().await;
    let vendor = VendorKey::generate("pensions-vendor").unwrap();
    let trusted = TrustedKeys::default().with("pensions-vendor", &vendor.public_hex()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut hosts = Vec::new();
    for n in 0..3 {
        let store = Store::connect(&url).await.unwrap();
        let rt = runtime();
        let registry = Arc::new(Registry::new(
            store,
            rt.clone(),
            catalog(&rt),
            trusted.clone(),
            tmp.path().join(format!("host{n}")),
        ));
        tokio::spawn(registry.clone().follow());
        hosts.push(registry);
    }
    let serving = |host: &Registry| host.catalog().get("pensions").unwrap().manifest().version.clone();
    let all_serve = |version: &str| hosts.iter().all(|h| serving(h) == version);
    // Let the listeners start.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let dir = pensions_dir(tmp.path(), "0.2.0", components::PENSIONS);
    let package = package::pack(&dir, &vendor, CONTRACT_VERSION).unwrap();
    hosts[0].install(package, "asha").await.unwrap();
    let activated = Instant::now();
    hosts[0].activate("pensions", "0.2.0", 100, "asha").await.unwrap();
    while !all_serve("0.2.0") {
        assert!(activated.elapsed() < Duration::from_secs(5), "not every host serves 0.2.0");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    eprintln!(
        "activation to all three hosts serving: {:?} (the others compile it from the database)",
        activated.elapsed()
    );

    // A rollback from another host travels back the same way.
    let rolled = Instant::now();
    hosts[2].rollback("pensions", "ravi").await.unwrap();
    while !all_serve("0.1.0") {
        assert!(rolled.elapsed() < Duration::from_secs(5), "not every host rolled back");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    eprintln!("rollback to all three hosts serving: {:?}", rolled.elapsed());
    // A host started later (from the same plugins directory) serves what
    // the registry says from the start.
    let store = Store::connect(&url).await.unwrap();
    let rt = runtime();
    let late = Registry::new(store, rt.clone(), catalog(&rt), trusted, tmp.path().join("late"));
    assert_eq!(late.sync().await.unwrap(), 1);
    assert_eq!(serving(&late), "0.1.0");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_citizen_mid_form_goes_on_across_a_swap_and_is_told_when_the_form_changed() {
    let ops = ops().await;
    for (version, component) in [("0.2.0", components::PENSIONS), ("0.9.0", components::REGRESSED)] {
        let (status, body) =
            ops.admin("POST", "/admin/plugins", Some(&ops.token), Body::from(ops.package_of(version, component))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let wa = "919877700001";
    ops.h.say(wa, text(wa, "hi"), 1).await;
    ops.h.say(wa, tap(wa, "lang:te", false), 2).await;
    let first = ops.h.say(wa, tap(wa, "start:pensions/old-age", false), 1).await;
    assert!(first[0].to_string().contains("ఆధార్"), "the Aadhaar question: {}", first[0]);

    // The same form in the new version: the citizen simply goes on.
    assert_eq!(ops.activate("0.2.0", 100).await.0, StatusCode::OK);
    let next = ops.h.say(wa, text(wa, "499112345677"), 1).await;
    assert!(next[0].to_string().contains("పుట్టిన తేదీ"), "the date-of-birth question: {}", next[0]);

    // A version whose form no longer has the questions still to come: the
    // answer is taken, the citizen is told in Telugu, and the form starts
    // again on the new version's first question.
    assert_eq!(ops.activate("0.9.0", 100).await.0, StatusCode::OK);
    let told = ops.h.say(wa, text(wa, "15-08-1950"), 2).await;
    assert!(told[0].to_string().contains("శాఖ ఈ ఫారమ్‌ను ఇప్పుడే మార్చింది"), "{}", told[0]);
    assert!(told[1].to_string().contains("పుట్టిన తేదీ"), "the new form's first question: {}", told[1]);
}

#[tokio::test(flavor = "multi_thread")]
async fn search_follows_the_services_of_the_version_being_served() {
    let ops = ops().await;
    let search = |q: &'static str| {
        let app = ops.h.app.clone();
        async move {
            let request = Request::get(format!("/api/search?q={q}")).body(Body::empty()).unwrap();
            let response = app.oneshot(request).await.unwrap();
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    assert!(search("widow").await.contains("\"service\":\"widow\""), "0.1.0 has a widow pension");
    let (status, body) = ops
        .admin("POST", "/admin/plugins", Some(&ops.token), Body::from(ops.package_of("0.9.0", components::REGRESSED)))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(ops.activate("0.9.0", 100).await.0, StatusCode::OK);
    assert!(!search("widow").await.contains("\"service\":\"widow\""), "0.9.0 has none: {}", search("widow").await);
    assert_eq!(ops.rollback().await.0, StatusCode::OK);
    assert!(search("widow").await.contains("\"service\":\"widow\""));
}
