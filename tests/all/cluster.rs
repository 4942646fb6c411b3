//! Three hosts on loopback ports sharing one PostgreSQL, each a whole
//! `mitra` host (chat, registry, admin API) in its own runtime: citizens
//! talk to their host, one host is killed mid-conversation, its citizens'
//! next messages go to another host and carry on where they were, a swap
//! made through one host's admin API is served by the others, and every
//! reply reaches WhatsApp once.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mitra::channel::fake_graph::{FakeGraph, StatusWebhook};
use mitra::channel::graph::GraphConfig;
use mitra::channel::webhook::{WebhookConfig, sign};
use mitra::registry::Registry;
use mitra::registry::package::{self, TrustedKeys, VendorKey};
use mitra::runtime::CONTRACT_VERSION;
use mitra::store::Store;
use mitra::web::{AppState, host};
use serde_json::Value;

use crate::conversation::{SECRET, catalog, envelope_to, start_fake, tap, text};
use crate::support::runtime;

/// One host: its own tokio runtime (dropping it is the host dying: every
/// task stops mid-step, nothing is flushed), its own plugin runtime and
/// catalogue, the shared database.
struct Node {
    runtime: Option<tokio::runtime::Runtime>,
    addr: SocketAddr,
}

const ADMIN_SECRET: &str = "cluster-admin-secret";

fn start_node(url: &str, graph_url: &str, trusted: &TrustedKeys, packages: &std::path::Path) -> Node {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let addr = rt.block_on(async {
        let store = Store::connect(url).await.unwrap();
        let plugins = runtime();
        let catalog = catalog(&plugins);
        let registry =
            Arc::new(Registry::new(store.clone(), plugins, catalog.clone(), trusted.clone(), packages.to_owned()));
        tokio::spawn(registry.clone().follow());
        let webhook = WebhookConfig { verify_token: "v".into(), app_secret: SECRET.into() };
        let graph =
            GraphConfig { base_url: graph_url.into(), token: "t".into(), rate_per_number: 1000, ..Default::default() };
        let admin = mitra::admin::router(registry, store.clone(), ADMIN_SECRET);
        let app = host(AppState::new(catalog, store), webhook, graph).merge(admin);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        addr
    });
    Node { runtime: Some(rt), addr }
}

impl Node {
    fn kill(&mut self) {
        self.runtime.take().unwrap().shutdown_background();
    }
}

/// Posts `message` from `wa` to `node` as Meta would, and waits until the
/// fake Graph API holds `expect` more replies for `wa`.
fn say(fake: &FakeGraph, node: &Node, wa: &str, message: Value, expect: usize) -> Vec<Value> {
    let before = fake.to(wa).len();
    let body = envelope_to("PNID-1", wa, message);
    let status = ureq::post(&format!("http://{}/webhook", node.addr))
        .header("x-hub-signature-256", sign(SECRET, body.as_bytes()))
        .header("content-type", "application/json")
        .send(body.as_bytes())
        .unwrap()
        .status();
    assert_eq!(status, 200);
    let started = Instant::now();
    loop {
        let all = fake.to(wa);
        if all.len() >= before + expect {
            return all[before..].to_vec();
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{wa}: waited for {expect} replies, got {:#?}",
            &all[before..]
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn three_hosts_share_sessions_and_outbox_and_a_killed_host_loses_nothing() {
    let driver = tokio::runtime::Runtime::new().unwrap();
    let url = driver.block_on(crate::store::fresh_postgres());
    let (fake, graph_url): (Arc<FakeGraph>, String) = driver.block_on(start_fake());
    let vendor = VendorKey::generate("pensions-vendor").unwrap();
    let trusted = TrustedKeys::default().with("pensions-vendor", &vendor.public_hex()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut nodes: Vec<Node> =
        (0..3).map(|n| start_node(&url, &graph_url, &trusted, &tmp.path().join(format!("node{n}")))).collect();
    // Meta posts each message's `sent` status to the app's webhook (here the
    // host that stays up): what proves a reply the killed host sent, but did
    // not live to record, went out, so no other host sends it again once its
    // lease runs out.
    *fake.statuses_to.lock().unwrap() =
        Some(StatusWebhook { url: format!("http://{}/webhook", nodes[0].addr), app_secret: SECRET.into() });

    // Nine citizens, three on each host, each part-way into a form.
    let citizens: Vec<String> = (0..9).map(|n| format!("91955{n:07}")).collect();
    for (i, wa) in citizens.iter().enumerate() {
        let node = &nodes[i % 3];
        say(&fake, node, wa, text(wa, "hi"), 1);
        say(&fake, node, wa, tap(wa, "lang:te", false), 2);
        let question = say(&fake, node, wa, tap(wa, "start:pensions/old-age", false), 1);
        assert!(question[0].to_string().contains("ఆధార్"), "{}", question[0]);
    }

    nodes[2].kill();

    // Everyone answers; the dead host's citizens reach another host, which
    // knows their language and where they are in the form.
    for (i, wa) in citizens.iter().enumerate() {
        let node = if i % 3 == 2 { &nodes[i % 2] } else { &nodes[i % 3] };
        let next = say(&fake, node, wa, text(wa, "499112345677"), 1);
        assert!(next[0].to_string().contains("పుట్టిన తేదీ"), "{wa}: {}", next[0]);
    }

    // An operator swaps through the first host's admin API; the second
    // serves the new version too (the dead one, of course, does not).
    let token = mitra::admin::token(ADMIN_SECRET, "asha", Duration::from_secs(600)).unwrap();
    let dir = mitra_tests::pensions_plugin_dir(tmp.path(), "0.2.0", crate::support::components::PENSIONS);
    let package = package::pack(&dir, &vendor, CONTRACT_VERSION).unwrap();
    let admin = |node: &Node, path: &str| format!("http://{}{path}", node.addr);
    let auth = format!("Bearer {token}");
    let pushed = ureq::post(&admin(&nodes[0], "/admin/plugins")).header("authorization", &auth).send(&package[..]);
    assert_eq!(pushed.unwrap().status(), 201);
    let activated = Instant::now();
    let response = ureq::post(&admin(&nodes[0], "/admin/plugins/pensions/activate"))
        .header("authorization", &auth)
        .send_json(serde_json::json!({ "version": "0.2.0" }))
        .unwrap();
    assert_eq!(response.status(), 200);
    let serves = |node: &Node| {
        let plugins: Value = ureq::get(&admin(node, "/api/plugins")).call().unwrap().body_mut().read_json().unwrap();
        plugins["loaded"][0]["version"].as_str().map(str::to_owned)
    };
    while serves(&nodes[1]).as_deref() != Some("0.2.0") || serves(&nodes[0]).as_deref() != Some("0.2.0") {
        assert!(activated.elapsed() < Duration::from_secs(5), "the other host never served 0.2.0");
        std::thread::sleep(Duration::from_millis(5));
    }
    eprintln!("activation through one host's API to both live hosts serving: {:?}", activated.elapsed());
    // The citizens go on, on the new version.
    for (i, wa) in citizens.iter().enumerate() {
        let node = if i % 3 == 2 { &nodes[i % 2] } else { &nodes[i % 3] };
        let next = say(&fake, node, wa, text(wa, "15-08-1950"), 1);
        assert!(next[0].to_string().contains("ఎక్కడ"), "{wa}: the area question: {}", next[0]);
    }

    // Nothing more arrives late (a second sender taking a reply it should
    // not), and no reply went out twice.
    std::thread::sleep(Duration::from_secs(2));
    let captured = fake.captured.lock().unwrap().clone();
    let sent: Vec<String> = captured
        .iter()
        .map(|c| {
            let text = c.body["text"]["body"].as_str().or(c.body["interactive"]["body"]["text"].as_str());
            format!("{} {} {:.60}", c.body["to"], c.body["biz_opaque_callback_data"], text.unwrap_or_default())
        })
        .collect();
    let mut ids: Vec<&str> = captured.iter().map(|c| c.body["biz_opaque_callback_data"].as_str().unwrap()).collect();
    ids.sort();
    let twice: Vec<&str> = ids.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
    assert!(twice.is_empty(), "replies sent more than once: {twice:?} of {sent:#?}");
    assert_eq!(captured.len(), citizens.len() * 6, "five turns, six replies each citizen: {sent:#?}");
    for node in &mut nodes[..2] {
        node.kill();
    }
}
