//! The operator console in headless Chromium: an officer logs in, works an
//! application from the queue to approved (the citizen receives the
//! message), and the dashboard's charts show the live figures; an officer
//! works a grievance from their list to resolved (the citizen is asked to
//! rate it). Screenshots at phone and laptop width are written to
//! `target/tmp/console-*.png` to be looked at.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use mitra::console::accounts;
use mitra::console::auth::{Operator, Role};
use mitra::privacy::{DEV_PII_KEY, Privacy};
use mitra::store::Store;
use serde_json::Value;

use crate::conversation::{Harness, catalog, harness, start_fake, tap, text};
use crate::simulator::{in_browser, page_text, wait_for};
use crate::support::runtime;

const SECRET: &str = "console-test-secret";
pub(crate) const PASSWORD: &str = "a long enough secret";

struct Console {
    h: Harness,
    url: String,
    _runtime: mitra::runtime::Runtime,
    _tmp: tempfile::TempDir,
}

/// A host with pensions and the console, on a loopback port, and an
/// officer's account.
async fn console() -> Console {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let rt = runtime();
    let catalog = catalog(&rt);
    let (fake, graph) = start_fake().await;
    let h = harness(store.clone(), catalog.clone(), fake, &graph).await;
    let privacy = Arc::new(Privacy::new(DEV_PII_KEY));
    let app = h.app.merge(mitra::console::router(store.clone(), catalog, privacy, SECRET));
    let ravi = Operator { name: "ravi".into(), role: Role::Officer, departments: vec!["pensions".into()], level: 1 };
    store.put_operator(&accounts::account(&ravi, PASSWORD).unwrap()).await.unwrap();
    let vani = Operator { name: "vani".into(), role: Role::Viewer, departments: vec![], level: 1 };
    store.put_operator(&accounts::account(&vani, PASSWORD).unwrap()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let served = app.clone();
    tokio::spawn(async move { axum::serve(listener, served).await.unwrap() });
    Console { h: Harness { app, fake: h.fake }, url, _runtime: rt, _tmp: tmp }
}

/// A citizen applies for an old-age pension; returns the number.
async fn apply(h: &Harness, wa: &str) -> String {
    crate::conversation::fill_old_age_pension(h, wa).await;
    let submitted = h.say(wa, tap(wa, "form:submit", false), 2).await;
    submitted[0]["text"]["body"].as_str().unwrap().split('*').nth(1).unwrap().to_owned()
}

/// A citizen reports that their pension has not come; returns the ticket.
async fn lodge(h: &Harness, wa: &str) -> String {
    h.say(wa, text(wa, "hi"), 1).await;
    h.say(wa, tap(wa, "lang:en", false), 2).await;
    h.say(wa, tap(wa, "grv:new", false), 1).await;
    h.say(wa, tap(wa, "grvcat:pension", true), 1).await;
    h.say(wa, text(wa, "No pension for two months at the Guntur secretariat"), 1).await;
    h.say(wa, tap(wa, "grv:skip", false), 1).await;
    let lodged = h.say(wa, tap(wa, "grv:skip", false), 2).await;
    lodged[0]["text"]["body"].as_str().unwrap().split('*').nth(1).unwrap().to_owned()
}

/// Logs in as `name` on the login page and waits for the dashboard.
pub(crate) async fn log_in(client: &Client, url: &str, name: &str) {
    client.goto(&format!("{url}/console/login")).await.unwrap();
    wait_for(client, "the login form", "//input[@id='username']").await;
    client.find(Locator::Id("username")).await.unwrap().send_keys(name).await.unwrap();
    client.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    client.find(Locator::Id("login")).await.unwrap().click().await.unwrap();
    until(client, "the dashboard renders", "document.body.dataset.ready === '1'").await;
}

pub(crate) async fn js(client: &Client, script: &str) -> Value {
    client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Waits until `script` (an expression) is true in the page.
pub(crate) async fn until(client: &Client, what: &str, script: &str) {
    let started = Instant::now();
    loop {
        if js(client, &format!("return !!({script});")).await == Value::Bool(true) {
            return;
        }
        if started.elapsed() > Duration::from_secs(20) {
            panic!("{what}: never true ({script}); the page shows:\n{}", page_text(client).await);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The total of a chart's data for the dataset of one status (all when `None`).
fn chart_total(chart: &str, status: Option<&str>) -> String {
    let filter = status.map_or(String::new(), |s| format!(".filter(d => d.status === '{s}')"));
    format!(
        "window.mitraCharts.{chart}.data.datasets{filter}.flatMap(d => d.data).reduce((a, b) => a + (Number(b) || 0), 0)"
    )
}

pub(crate) async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("console-{name}.png"));
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_officer_logs_in_works_the_queue_and_the_dashboard_shows_it() {
    let c = console().await;
    let wa = "919871000001";
    let number = apply(&c.h, wa).await;
    let other = apply(&c.h, "919871000002").await;
    let (url, fake) = (c.url.clone(), c.h.fake.clone());
    in_browser(move |client| async move {
        let client = &client;
        // Not logged in: the pages send the officer to the login page.
        client.goto(&format!("{url}/console/")).await.unwrap();
        wait_for(client, "the login form", "//input[@id='username']").await;
        client.find(Locator::Id("username")).await.unwrap().send_keys("ravi").await.unwrap();
        client.find(Locator::Id("password")).await.unwrap().send_keys("wrong password!").await.unwrap();
        client.find(Locator::Id("login")).await.unwrap().click().await.unwrap();
        until(client, "a wrong password is refused", "document.querySelector('#login-error')?.textContent.length > 0")
            .await;
        let password = client.find(Locator::Id("password")).await.unwrap();
        password.clear().await.unwrap();
        password.send_keys(PASSWORD).await.unwrap();
        client.find(Locator::Id("login")).await.unwrap().click().await.unwrap();

        // The dashboard, with the two open applications in its figures.
        until(client, "the dashboard renders", "document.body.dataset.ready === '1'").await;
        until(client, "two open", "document.querySelector('#kpi-open').dataset.value === '2'").await;
        until(client, "the status chart shows two", &format!("{} === 2", chart_total("status", None))).await;
        screenshot(client, "dashboard-phone").await;

        // The queue, oldest first; the officer opens the first application.
        client.goto(&format!("{url}/console/queue")).await.unwrap();
        let row =
            wait_for(client, "the queue", &format!("//tr[@data-number='{number}']//a[contains(@class,'open')]")).await;
        assert!(page_text(client).await.contains(&other));
        row.click().await.unwrap();
        until(client, "the file", "document.querySelector('#status')?.dataset.status === 'submitted'").await;
        client.find(Locator::Css("button[data-action='review']")).await.unwrap().click().await.unwrap();
        until(client, "under review", "document.querySelector('#status').dataset.status === 'under_review'").await;
        let remarks = "Age and income verified.";
        client.find(Locator::Id("note")).await.unwrap().send_keys(remarks).await.unwrap();
        client.find(Locator::Css("button[data-action='approve']")).await.unwrap().click().await.unwrap();
        until(client, "approved", "document.querySelector('#status').dataset.status === 'approved'").await;
        until(client, "the history shows the steps", "document.querySelector('#events').textContent.includes('ravi')")
            .await;

        // The citizen was told.
        let started = Instant::now();
        while !fake.to(wa).iter().any(|m| m["text"]["body"].as_str().is_some_and(|b| b.contains(remarks))) {
            assert!(started.elapsed() < Duration::from_secs(10), "the citizen was not told");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        // Back on the dashboard the figures have moved: one open, one approved.
        client.goto(&format!("{url}/console/")).await.unwrap();
        until(client, "the dashboard renders", "document.body.dataset.ready === '1'").await;
        until(client, "one open", "document.querySelector('#kpi-open').dataset.value === '1'").await;
        let approved = chart_total("status", Some("approved"));
        until(client, "the chart shows the approval", &format!("{approved} === 1")).await;
        screenshot(client, "dashboard-phone-after").await;
        client.set_window_size(1280, 900).await.unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
        screenshot(client, "dashboard-laptop").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_officer_resolves_a_grievance_and_a_viewer_only_reads() {
    let c = console().await;
    let wa = "919871000003";
    let ticket = lodge(&c.h, wa).await;
    let (url, fake) = (c.url.clone(), c.h.fake.clone());
    in_browser(move |client| async move {
        let client = &client;
        // A viewer sees the grievance and no way to act on it.
        log_in(client, &url, "vani").await;
        client.goto(&format!("{url}/console/grievances/{ticket}")).await.unwrap();
        until(client, "the grievance", "document.querySelector('#status')?.dataset.status === 'open'").await;
        until(client, "the viewer's note", "!document.querySelector('#viewer-note').hidden").await;
        assert!(js(client, "return document.querySelector('#actions').hidden;").await == Value::Bool(true));
        client.find(Locator::Id("logout")).await.unwrap().click().await.unwrap();
        wait_for(client, "the login form", "//input[@id='username']").await;

        // The officer's list holds it; they open it, start and resolve it.
        log_in(client, &url, "ravi").await;
        client.find(Locator::Css("a[href='/console/grievances']")).await.unwrap().click().await.unwrap();
        let row =
            wait_for(client, "the list", &format!("//tr[@data-ticket='{ticket}']//a[contains(@class,'open')]")).await;
        screenshot(client, "grievances-phone").await;
        row.click().await.unwrap();
        until(client, "the grievance", "document.querySelector('#status')?.dataset.status === 'open'").await;
        client.find(Locator::Id("act-start")).await.unwrap().click().await.unwrap();
        until(client, "in progress", "document.querySelector('#status').dataset.status === 'in_progress'").await;
        // A resolution must say what was done.
        client.find(Locator::Id("act-resolve")).await.unwrap().click().await.unwrap();
        until(client, "a note is asked for", "document.querySelector('#act-error').textContent.length > 0").await;
        let done = "Pension credited on 3 December.";
        client.find(Locator::Id("note")).await.unwrap().send_keys(done).await.unwrap();
        client.find(Locator::Id("act-resolve")).await.unwrap().click().await.unwrap();
        until(client, "resolved", "document.querySelector('#status').dataset.status === 'resolved'").await;
        until(client, "the history", "document.querySelectorAll('#events li[data-kind]').length === 3").await;
        let kinds = js(client, "return [...document.querySelectorAll('#events li')].map(li => li.dataset.kind);").await;
        assert_eq!(kinds, serde_json::json!(["lodged", "started", "resolved"]));
        // In Telugu too.
        client.find(Locator::Css("button[data-lang='te']")).await.unwrap().click().await.unwrap();
        until(client, "Telugu", "document.documentElement.lang === 'te'").await;
        assert!(page_text(client).await.contains("ఫిర్యాదు"), "{}", page_text(client).await);
        screenshot(client, "grievance-phone-te").await;

        // The citizen was told, with the buttons to rate or reopen it.
        let started = Instant::now();
        let told = loop {
            let sent = fake.to(wa);
            if let Some(m) =
                sent.iter().find(|m| m["interactive"]["body"]["text"].as_str().is_some_and(|b| b.contains(done)))
            {
                break m.clone();
            }
            assert!(started.elapsed() < Duration::from_secs(10), "the citizen was not told: {sent:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(told["interactive"]["action"]["buttons"][0]["reply"]["id"], format!("grv-rate:{ticket}:5"));
    })
    .await;
}
