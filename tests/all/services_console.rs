//! The services page of the console: `GET /admin/services` over real HTTP
//! on a host serving a code department (municipal) and every declarative
//! department under `plugins/departments/` (their definitions served by
//! the generic component), read back against what each plugin describes;
//! then the page in headless Chromium, filtered and in Telugu, with a
//! phone-width screenshot in `target/tmp/console-services-phone.png`.

use std::collections::BTreeMap;
use std::sync::Arc;

use fantoccini::Locator;
use mitra::console::accounts;
use mitra::console::auth::{Operator, Role};
use mitra::privacy::{DEV_PII_KEY, Privacy};
use mitra::runtime::{Catalog, Delivery, Plugin, Runtime, RuntimeConfig};
use mitra::store::Store;
use serde_json::{Value, json};

use crate::console::{PASSWORD, js, log_in, screenshot, until};
use crate::simulator::{in_browser, page_text};

const SECRET: &str = "services-console-secret";

struct Host {
    url: String,
    /// What each department describes, by id.
    plugins: BTreeMap<String, Arc<Plugin>>,
    /// The declarative departments served.
    declarative: Vec<String>,
    _runtime: Runtime,
    _tmp: tempfile::TempDir,
}

/// The ids of the departments written as definitions: those under
/// `plugins/departments/`.
fn declarative_ids() -> Vec<String> {
    let under = std::path::Path::new("plugins").join("departments");
    mitra_tests::components::DEPARTMENTS
        .iter()
        .filter(|(_, dir, _)| std::path::Path::new(dir).parent().is_some_and(|p| p.ends_with(&under)))
        .map(|(id, _, _)| id.to_string())
        .collect()
}

/// The console alone, on a loopback port, over a catalogue of municipal
/// and the declarative departments; a viewer's and an officer's accounts.
async fn host() -> Host {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    // The generic component is compiled once for all the declarative ones.
    let config = RuntimeConfig {
        max_concurrent_instances: 16,
        cache_dir: Some(tmp.path().join("cache")),
        ..RuntimeConfig::default()
    };
    let rt = Runtime::new(&config).unwrap();
    let catalog = Arc::new(Catalog::new());
    let mut plugins = BTreeMap::new();
    let mut declarative = Vec::new();
    // As the host loads a directory: a department refused is left out (and
    // said here), the others are served. Municipal must load.
    for id in std::iter::once("municipal".to_owned()).chain(declarative_ids()) {
        let (loader, manifest) = (rt.clone(), mitra_tests::department(&id));
        let plugin = match tokio::task::spawn_blocking(move || loader.load(manifest)).await.unwrap() {
            Ok(plugin) => Arc::new(plugin),
            Err(e) if id != "municipal" => {
                eprintln!("{id} is left out: {e}");
                continue;
            }
            Err(e) => panic!("{id}: {e}"),
        };
        if id != "municipal" {
            declarative.push(id.clone());
        }
        catalog.publish(plugin.clone());
        plugins.insert(id, plugin);
    }
    assert!(!declarative.is_empty(), "no declarative department under plugins/departments/ loads");
    let privacy = Arc::new(Privacy::new(DEV_PII_KEY));
    let app = mitra::console::router(store.clone(), catalog, privacy, SECRET);
    let vani = Operator { name: "vani".into(), role: Role::Viewer, departments: vec![], level: 1 };
    store.put_operator(&accounts::account(&vani, PASSWORD).unwrap()).await.unwrap();
    let ravi = Operator { name: "ravi".into(), role: Role::Officer, departments: vec!["pensions".into()], level: 1 };
    store.put_operator(&accounts::account(&ravi, PASSWORD).unwrap()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Host { url, plugins, declarative, _runtime: rt, _tmp: tmp }
}

/// A request over HTTP: its status, Set-Cookie and body read as JSON.
async fn request(
    method: &'static str,
    url: String,
    cookie: Option<String>,
    body: Option<Value>,
) -> (u16, String, Value) {
    tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut response = match (method, body) {
            ("POST", Some(body)) => {
                agent.post(&url).header("content-type", "application/json").send(body.to_string()).unwrap()
            }
            _ => {
                let mut get = agent.get(&url);
                if let Some(cookie) = &cookie {
                    get = get.header("cookie", cookie);
                }
                get.call().unwrap()
            }
        };
        let status = response.status().as_u16();
        let set_cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
            .unwrap_or_default();
        let text = response.body_mut().read_to_string().unwrap();
        (status, set_cookie, serde_json::from_str(&text).unwrap_or(Value::Null))
    })
    .await
    .unwrap()
}

/// Logs `name` in through `POST /console/login`: the session cookie.
async fn session(url: &str, name: &str) -> String {
    let credentials = json!({ "username": name, "password": PASSWORD });
    let (status, cookie, body) = request("POST", format!("{url}/console/login"), None, Some(credentials)).await;
    assert_eq!(status, 200, "{name} logs in: {body}");
    assert!(cookie.starts_with("mitra_session="), "{cookie}");
    cookie
}

/// What `plugin` describes, as `/admin/services` should list it.
fn expected(plugin: &Plugin) -> Value {
    let info = plugin.info();
    let services: Vec<Value> = info
        .services
        .iter()
        .map(|s| {
            let fee = s.fee_paise as f64 / 100.0;
            json!({
                "id": s.id,
                "title": { "en": s.title.en, "te": s.title.te },
                "sla_days": s.sla_days,
                "fee_rupees": fee,
            })
        })
        .collect();
    json!({
        "id": plugin.id(),
        "name": { "en": info.name.en, "te": info.name.te },
        "version": plugin.manifest().version,
        "declarative": plugin.declarative(),
        "services": services,
    })
}

/// A listed department with each fee read as a number and deliveries set
/// aside, to compare with [`expected`].
fn comparable(department: &Value) -> Value {
    let mut d = department.clone();
    for s in d["services"].as_array_mut().unwrap() {
        let fee = s["fee_rupees"].as_f64().unwrap();
        s["fee_rupees"] = json!(fee);
        s.as_object_mut().unwrap().remove("delivery");
    }
    d
}

#[tokio::test(flavor = "multi_thread")]
async fn the_services_api_lists_every_department_and_says_which_are_declarative() {
    let h = host().await;
    let services = format!("{}/admin/services", h.url);

    // No login, or a stale cookie: refused.
    assert_eq!(request("GET", services.clone(), None, None).await.0, 401);
    let forged = Some("mitra_session=not-a-token".to_owned());
    assert_eq!(request("GET", services.clone(), forged, None).await.0, 401);

    // A viewer and an officer of another department read the same whole list.
    let (status, _, listed) = request("GET", services.clone(), Some(session(&h.url, "vani").await), None).await;
    assert_eq!(status, 200, "{listed}");
    let (status, _, officers) = request("GET", services, Some(session(&h.url, "ravi").await), None).await;
    assert_eq!(status, 200, "{officers}");
    assert_eq!(officers, listed);

    let departments = listed["departments"].as_array().unwrap();
    let ids: Vec<&str> = departments.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, h.plugins.keys().map(String::as_str).collect::<Vec<_>>(), "sorted by id");
    assert!(ids.len() >= 2 && ids.contains(&"municipal"), "{ids:?}");
    for department in departments {
        let id = department["id"].as_str().unwrap();
        let plugin = &h.plugins[id];
        assert_eq!(comparable(department), expected(plugin), "{id}");
        assert_eq!(department["declarative"], json!(h.declarative.iter().any(|d| d == id)), "{id}");
        for (listed, described) in department["services"].as_array().unwrap().iter().zip(&plugin.info().services) {
            let delivery = listed["delivery"].as_str().unwrap();
            let contract = match described.delivery {
                Delivery::Information => "information",
                Delivery::InstantDocument => "instant-document",
                Delivery::Application => "application",
                Delivery::Booking => "booking",
                Delivery::Payment => "payment",
            };
            assert_eq!(delivery, contract, "{id}/{}", listed["id"]);
        }
    }
    let municipal = departments.iter().find(|d| d["id"] == "municipal").unwrap();
    assert_eq!(municipal["declarative"], false);
    assert!(!municipal["services"].as_array().unwrap().is_empty());
    // Birth certificates cost ₹50 (the payments tests' fee) as a whole number.
    let birth = municipal["services"].as_array().unwrap().iter().find(|s| s["id"] == "birth-certificate");
    assert_eq!(birth.map(|s| &s["fee_rupees"]), Some(&json!(50)), "{municipal}");

    let count = |declarative: bool| {
        let of = departments.iter().filter(|d| !declarative || d["declarative"] == true);
        (of.clone().count(), of.map(|d| d["services"].as_array().unwrap().len()).sum::<usize>())
    };
    let ((all, all_services), (decl, decl_services)) = (count(false), count(true));
    assert_eq!(decl, h.declarative.len());
    assert!(decl_services > 0);
    assert_eq!(
        listed["totals"],
        json!({
            "departments": all,
            "services": all_services,
            "declarative_departments": decl,
            "declarative_services": decl_services,
        })
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_services_page_shows_totals_filters_and_telugu_titles() {
    let h = host().await;
    let listed = {
        let cookie = session(&h.url, "vani").await;
        request("GET", format!("{}/admin/services", h.url), Some(cookie), None).await.2
    };
    let totals = listed["totals"].clone();
    // One declarative department, its services, and a Telugu title of one.
    let pick = h.declarative[0].clone();
    let department = listed["departments"].as_array().unwrap().iter().find(|d| d["id"] == pick.as_str()).unwrap();
    let theirs = department["services"].as_array().unwrap().len();
    let telugu = department["services"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|s| s["title"]["te"].as_str().filter(|te| Some(*te) != s["title"]["en"].as_str()))
        .unwrap_or_else(|| panic!("{pick} has no Telugu title: {department}"))
        .to_owned();
    let english = department["services"][0]["title"]["en"].as_str().unwrap().to_owned();
    let url = h.url.clone();
    in_browser(move |client| async move {
        let client = &client;
        log_in(client, &url, "vani").await;

        // From the nav, the totals and a row per service.
        client.find(Locator::Css("a[href='/console/services']")).await.unwrap().click().await.unwrap();
        until(client, "the services page", "document.body.dataset.ready === '1' && document.body.dataset.shown !== '0'").await;
        let tiles = js(
            client,
            "return Object.fromEntries([...document.querySelectorAll('.kpi-value')].map(n => [n.id, Number(n.dataset.value)]));",
        )
        .await;
        assert_eq!(
            tiles,
            json!({
                "kpi-departments": totals["departments"],
                "kpi-services": totals["services"],
                "kpi-declarative": totals["declarative_departments"],
            })
        );
        let rows = js(client, "return document.querySelectorAll('#services tbody tr').length;").await;
        assert_eq!(rows, totals["services"]);
        let kinds = js(
            client,
            "return [...document.querySelectorAll('#services tbody tr')].map(r => [r.dataset.department, r.querySelector('[data-kind]').dataset.kind]);",
        )
        .await;
        for kind in kinds.as_array().unwrap() {
            let expected = if kind[0] == "municipal" { "code" } else { "definitions" };
            assert_eq!(kind[1], expected, "{kind}");
        }
        let text = page_text(client).await;
        assert!(text.contains("Definitions") && text.contains("Code") && text.contains(&english), "{text}");

        // One department.
        client.find(Locator::Id("f-department")).await.unwrap().select_by_value(&pick).await.unwrap();
        until(client, "one department", &format!("document.body.dataset.query === 'department={pick}'")).await;
        let shown = js(client, "return [...document.querySelectorAll('#services tbody tr')].map(r => r.dataset.department);").await;
        assert_eq!(shown.as_array().unwrap().len(), theirs, "{shown}");
        assert!(shown.as_array().unwrap().iter().all(|d| d == pick.as_str()), "{shown}");
        assert!(js(client, "return location.search;").await.as_str().unwrap().contains(&format!("department={pick}")));

        // In Telugu: the page's words and the services' Telugu titles.
        client.find(Locator::Css("button[data-lang='te']")).await.unwrap().click().await.unwrap();
        until(client, "Telugu", "document.documentElement.lang === 'te'").await;
        let text = page_text(client).await;
        assert!(text.contains(&telugu) && text.contains("సేవలు") && text.contains("నిర్వచనాలు"), "{text}");
        screenshot(client, "services-phone").await;
        js(client, "document.querySelector('#services').scrollIntoView(); return true;").await;
        screenshot(client, "services-phone-table").await;
        client.set_window_size(1280, 900).await.unwrap();
        js(client, "window.scrollTo(0, 0); return true;").await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        screenshot(client, "services-laptop-te").await;

        // Code departments only by search, none when declarative only.
        client.find(Locator::Css("button[type='reset']")).await.unwrap().click().await.unwrap();
        until(client, "all again", "document.body.dataset.query === ''").await;
        client.find(Locator::Id("f-q")).await.unwrap().send_keys("birth-certificate").await.unwrap();
        until(client, "the search", "document.body.dataset.query === 'q=birth-certificate'").await;
        let found = js(client, "return [...document.querySelectorAll('#services tbody tr')].map(r => r.dataset.service);").await;
        assert_eq!(found, json!(["birth-certificate"]));
        client.find(Locator::Id("f-declarative")).await.unwrap().click().await.unwrap();
        until(client, "declarative only", "document.body.dataset.query === 'declarative=1&q=birth-certificate'").await;
        until(client, "nothing left", "!document.querySelector('#services-empty').hidden").await;
    })
    .await;
}
