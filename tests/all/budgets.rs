//! What a hostile plugin can cost the host between the limits of one call:
//! its log, the memory of many calls together, the running slots its
//! neighbours need. Each budget is met by a misbehaving fixture.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mitra::runtime::{AnswerValue, BudgetLimits, Decision, Error, Plugin, Runtime, RuntimeConfig, Text};
use mitra::store::Store;

use crate::conversation::{fill_old_age_pension, harness, start_fake, tap};
use crate::support::{answer, citizen, components, old_age_answers, pensions, pensions_manifest, runtime};

fn hostile(runtime: &Runtime, configure: impl FnOnce(&mut mitra::runtime::Manifest)) -> Plugin {
    let mut manifest = mitra_tests::manifest("hostile", components::HOSTILE);
    configure(&mut manifest);
    runtime.load(manifest).unwrap()
}

/// What the host logs while `f` runs on this thread.
fn logged<T>(f: impl FnOnce() -> T) -> (String, T) {
    let sink = Arc::new(Mutex::new(Vec::new()));
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(move || crate::operators::Sink(writer.clone()))
        .finish();
    let out = tracing::subscriber::with_default(subscriber, f);
    let text = String::from_utf8(sink.lock().unwrap().clone()).unwrap();
    (text, out)
}

#[test]
fn a_log_flood_is_cut_at_the_budget_and_one_line_says_how_many_were_dropped() {
    let rt = runtime();
    let flood = |configure: fn(&mut mitra::runtime::Manifest)| {
        let plugin = hostile(&rt, |m| {
            m.capabilities.deadline_ms = Some(10_000);
            configure(m);
        });
        let (log, decision) = logged(|| plugin.check_eligibility("log-flood", &citizen(), &[]));
        assert_eq!(decision.unwrap(), Decision::Eligible, "the call itself goes on");
        let kept = log.lines().filter(|l| l.contains("flood line")).count();
        let summaries: Vec<&str> = log.lines().filter(|l| l.contains("log budget reached")).collect();
        assert_eq!(summaries.len(), 1, "one line for all that was dropped: {summaries:?}");
        (kept, summaries[0].to_owned())
    };
    // By lines: the manifest's 50 of the million the plugin wrote.
    let (kept, summary) = flood(|m| m.capabilities.log_lines = Some(50));
    assert_eq!(kept, 50);
    assert!(summary.contains("999950 more lines") && summary.contains("plugin=\"hostile\""), "{summary}");
    // By bytes: 4 KiB holds ten 114-byte lines (0-9) and twenty-five 115-byte ones.
    let (kept, summary) = flood(|m| m.capabilities.log_kib = Some(4));
    assert_eq!(kept, 35, "{summary}");
    // The default: 100 lines.
    let (kept, _) = flood(|_| {});
    assert_eq!(kept, mitra::runtime::DEFAULT_LOG_LINES as usize);

    // Counted per plugin, for the plugin events and the metrics.
    let stops = rt.stops().take();
    let dropped = stops.iter().find(|s| s.kind == "log-budget").expect("the dropped lines are kept for operators");
    assert_eq!((dropped.plugin.as_str(), dropped.count), ("hostile", 999_950 + 999_965 + 999_900));
    let metric = mitra::telemetry::metrics()
        .plugin_log_lines_dropped
        .get_or_create(&mitra::telemetry::PluginLabel { plugin: "hostile".into() })
        .get();
    assert!(metric >= 999_950 + 999_965 + 999_900, "{metric}");
}

#[test]
fn a_manifest_asking_for_more_log_than_the_host_allows_is_refused() {
    let mut manifest = mitra_tests::manifest("hostile", components::HOSTILE);
    manifest.capabilities.log_lines = Some(mitra::runtime::MAX_LOG_LINES + 1);
    let reason = manifest.validate().unwrap_err();
    assert!(reason.contains("log_lines"), "{reason}");
}

#[tokio::test(flavor = "multi_thread")]
async fn stops_are_named_in_the_plugin_events_once_per_kind_with_a_count() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    let rt = runtime();
    let plugin = Arc::new(hostile(&rt, |m| m.capabilities.deadline_ms = Some(50)));
    let called = plugin.clone();
    let errors = tokio::task::spawn_blocking(move || {
        ["recurse-forever", "deep-frames", "deep-frames", "infinite-loop", "many-reasons"]
            .map(|service| called.check_eligibility(service, &citizen(), &[]).unwrap_err().kind())
    })
    .await
    .unwrap();
    assert_eq!(errors, ["stack-overflow", "stack-overflow", "stack-overflow", "deadline-exceeded", "output-too-large"]);
    assert_eq!(mitra::cli::record_stops(&store, &rt).await.unwrap(), 3, "one event per kind");
    let events = store.plugin_events(10).await.unwrap();
    let overflow = events.iter().find(|e| e.event == "stack-overflow").expect("a stack-overflow event");
    assert_eq!((overflow.plugin_id.as_str(), overflow.version.as_deref()), ("hostile", Some("0.1.0")));
    assert!(overflow.detail.starts_with("3 since the last look"), "{}", overflow.detail);
    assert!(events.iter().any(|e| e.event == "deadline-exceeded"));
    assert!(events.iter().any(|e| e.event == "output-too-large" && e.detail.contains("NeedsMore")));
    assert_eq!(mitra::cli::record_stops(&store, &rt).await.unwrap(), 0, "written once");
}

const CHILD: &str = "MITRA_TEST_MEMORY_BUDGET_CHILD";
const BUDGET_MIB: usize = 256;
const POOL: u32 = 64;

#[test]
fn five_hundred_memory_hungry_calls_keep_the_host_within_its_budget_while_a_good_plugin_answers() {
    if std::env::var_os(CHILD).is_some() {
        return hungry_neighbour();
    }
    // In a process of its own: the peak resident memory is this test's alone.
    let name = "budgets::five_hundred_memory_hungry_calls_keep_the_host_within_its_budget_while_a_good_plugin_answers";
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--nocapture", "--test-threads", "1"])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{said}");
    assert!(said.contains("budget held"), "the child ran the load: {said}");
}

fn hungry_neighbour() {
    let backend = mitra_tests::slow_backend(Duration::from_millis(200));
    let limits = BudgetLimits {
        memory: BUDGET_MIB << 20,
        running: 16,
        calls_per_plugin: (POOL / 4) as usize,
        long_running: 2,
        wait: Duration::from_millis(500),
    };
    let config = RuntimeConfig { max_concurrent_instances: POOL, budget: Some(limits), ..RuntimeConfig::default() };
    let rt = Runtime::new(&config).unwrap();
    let hog = Arc::new(hostile(&rt, |m| {
        m.capabilities.allowed_hosts = vec![backend.to_string()];
        m.capabilities.deadline_ms = Some(5000);
    }));
    let good = pensions(&rt);
    let good_answers = old_age_answers("1950-01-01", 5000.0);
    assert_eq!(good.check_eligibility("old-age", &citizen(), &good_answers).unwrap(), Decision::Eligible);
    // 48 MiB each, held while the department system answers (not running).
    let hoard = vec![
        answer("input", AnswerValue::Text("48".into())),
        answer("url", AnswerValue::Text(format!("http://{backend}/slow"))),
    ];
    assert!(hog.check_eligibility("hoard", &citizen(), &hoard).is_ok(), "one call alone fits");

    let baseline = mitra_tests::status_kib("VmRSS:");
    std::fs::write("/proc/self/clear_refs", "5").unwrap(); // resets the peak (VmHWM)
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (good, done) = (good.clone(), done.clone());
        std::thread::spawn(move || {
            let mut took = Vec::new();
            while !done.load(Ordering::Relaxed) {
                let started = Instant::now();
                let decision = good.check_eligibility("old-age", &citizen(), &good_answers);
                took.push(started.elapsed());
                assert_eq!(decision.unwrap(), Decision::Eligible, "the good plugin kept answering");
                std::thread::sleep(Duration::from_millis(2));
            }
            took
        })
    };
    let started = Instant::now();
    let calls: Vec<_> = (0..500)
        .map(|_| {
            let (hog, hoard) = (hog.clone(), hoard.clone());
            std::thread::spawn(move || hog.check_eligibility("hoard", &citizen(), &hoard))
        })
        .collect();
    let (mut served, mut refused) = (0, 0);
    for call in calls {
        match call.join().unwrap() {
            Ok(Decision::Ineligible(pages)) => {
                // It really held its 48 MiB.
                assert_eq!(pages, vec![Text { en: (48 * 256).to_string(), te: None, hi: None }]);
                served += 1;
            }
            Err(Error::Overloaded { .. }) => refused += 1,
            other => panic!("a hungry call ended as {other:?}"),
        }
    }
    let load = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let mut took = watcher.join().unwrap();
    took.sort();
    let peak = mitra_tests::status_kib("VmHWM:");
    let grown_mib = peak.saturating_sub(baseline) / 1024;
    // The budget, what idle pool slots may keep resident, and the 500
    // threads' stacks and buffers.
    let allowed_mib = BUDGET_MIB + POOL as usize * mitra::runtime::KEEP_RESIDENT / (1 << 20) + 64;
    let p99 = took[took.len() * 99 / 100];
    println!(
        "served {served}, refused {refused} in {load:?}; RSS {baseline} KiB -> peak {peak} KiB (+{grown_mib} MiB, \
         allowed {allowed_mib}); good plugin: {} calls, p99 {p99:?}",
        took.len()
    );
    assert!(served >= 2 && refused > 0, "served {served}, refused {refused}");
    assert!(grown_mib <= allowed_mib, "the host grew {grown_mib} MiB, over {allowed_mib}");
    // Every call's reservation was given back; what the plugins' spares hold
    // goes when the plugins do (a used instance is dropped by the maker).
    drop((hog, good));
    mitra_tests::budget_falls_to(rt.budget(), 0);
    println!("budget held");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_citizen_whose_call_finds_no_room_is_told_to_try_again_and_keeps_the_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("mitra.db").display())).await.unwrap();
    // One live call per plugin, and a short wait for it.
    let limits = BudgetLimits {
        memory: 1 << 30,
        running: 8,
        calls_per_plugin: 1,
        long_running: 2,
        wait: Duration::from_millis(100),
    };
    let config = RuntimeConfig { max_concurrent_instances: 16, budget: Some(limits), ..RuntimeConfig::default() };
    let rt = Runtime::new(&config).unwrap();
    let catalog = mitra::runtime::Catalog::new();
    catalog.publish(Arc::new(rt.load(pensions_manifest()).unwrap()));
    let (fake, url) = start_fake().await;
    let h = harness(store, Arc::new(catalog), fake, &url).await;
    let wa = "919811100077";
    fill_old_age_pension(&h, wa).await;

    // Another call of the department holds its one slot.
    let held = rt.budget().admit(&Arc::from("pensions")).unwrap();
    let busy = h.say(wa, tap(wa, "form:submit", false), 1).await;
    let body = busy[0]["interactive"]["body"]["text"].as_str().unwrap();
    assert!(body.contains("Many people are using this service") && body.contains("answers are kept"), "{body}");
    let buttons: Vec<&str> = busy[0]["interactive"]["action"]["buttons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["reply"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(buttons, ["form:submit", "form:cancel"]);

    drop(held);
    let submitted = h.say(wa, tap(wa, "form:submit", false), 2).await;
    let receipt = submitted[0]["text"]["body"].as_str().unwrap();
    assert!(receipt.contains("Application submitted"), "{receipt}");
}
