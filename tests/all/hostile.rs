//! Plugins that attack the sandbox are stopped with the right typed error,
//! and the same host answers a good plugin correctly right after.

use std::time::{Duration, Instant};

use mitra::runtime::{AnswerValue, Decision, Error, Plugin, PluginError, Runtime};

use crate::support::{answer, citizen, components, good_plugin_still_answers, runtime};

fn hostile(runtime: &Runtime, configure: impl FnOnce(&mut mitra::runtime::Manifest)) -> Plugin {
    let mut manifest = mitra_tests::manifest("hostile", components::HOSTILE);
    configure(&mut manifest);
    runtime.load(manifest).expect("the hostile plugin loads; it misbehaves only when called")
}

fn attack(plugin: &Plugin, service: &str) -> Error {
    plugin.check_eligibility(service, &citizen(), &[]).expect_err("the attack must not succeed")
}

fn probe(plugin: &Plugin, service: &str, input: &str) -> Result<String, Error> {
    plugin.fetch_data(service, &[answer("input", AnswerValue::Text(input.into()))]).map(|record| record.summary.en)
}

#[test]
fn infinite_loop_plugin_is_stopped_at_its_deadline() {
    let rt = runtime();
    let plugin = hostile(&rt, |m| m.capabilities.deadline_ms = Some(100));
    let started = Instant::now();
    let error = attack(&plugin, "infinite-loop");
    assert!(matches!(error, Error::DeadlineExceeded { limit, .. } if limit == Duration::from_millis(100)), "{error}");
    // Stopped near the deadline, not after some much later timeout.
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    good_plugin_still_answers(&rt);
}

#[test]
fn unbounded_allocation_is_stopped_at_the_memory_cap() {
    let rt = runtime();
    let plugin = hostile(&rt, |m| m.capabilities.memory_mib = Some(16));
    let error = attack(&plugin, "allocate-forever");
    assert!(matches!(error, Error::OutOfMemory { limit_bytes, .. } if limit_bytes == 16 << 20), "{error}");
    good_plugin_still_answers(&rt);
}

/// One call marks 128 scattered pages of a zeroed static megabyte; the next
/// instance in the pool's slot must find none of them. The pool resets only
/// the pages a call dirtied, found by a scan that reports at most 64 regions
/// a pass, so this holds only if the reset walks on to the end.
#[test]
fn pages_a_call_scribbled_on_are_clean_for_every_later_call() {
    let rt = runtime();
    let plugin = hostile(&rt, |_| {});
    let scribble = || match plugin.check_eligibility("scribble", &citizen(), &[]).unwrap() {
        Decision::NeedsMore(said) => said,
        other => panic!("scribble: {other:?}"),
    };
    for call in 0..20 {
        assert_eq!(scribble(), ["0", "128"], "call {call} found an earlier call's pages (found, then marked)");
    }
    // Several slots at once, each reused many times.
    std::thread::scope(|threads| {
        for _ in 0..4 {
            threads.spawn(|| {
                for _ in 0..25 {
                    assert_eq!(scribble(), ["0", "128"]);
                }
            });
        }
    });
    good_plugin_still_answers(&rt);
}

#[test]
fn deep_recursion_is_reported_as_a_stack_overflow() {
    let rt = runtime();
    let plugin = hostile(&rt, |_| {});
    let error = attack(&plugin, "recurse-forever");
    assert!(matches!(&error, Error::StackOverflow { detail, .. } if detail.contains("call stack")), "{error}");
    assert_eq!(error.kind(), "stack-overflow");
    assert!(error.is_sandbox_stop());
    good_plugin_still_answers(&rt);
}

#[test]
fn recursion_that_exhausts_the_stack_in_linear_memory_is_a_stack_overflow_not_an_out_of_bounds_access() {
    // Rust keeps large locals on a 1 MiB stack inside linear memory: running
    // off its end is an out-of-bounds access as far as wasm can tell.
    let rt = runtime();
    let plugin = hostile(&rt, |_| {});
    let error = attack(&plugin, "deep-frames");
    assert!(matches!(&error, Error::StackOverflow { detail, .. } if detail.contains("linear memory")), "{error}");
    assert!(error.to_string().contains("overflowed its stack"), "{error}");
    // A plain bug's out-of-bounds access is not taken for one.
    let wild = attack(&plugin, "wild-pointer");
    assert!(matches!(&wild, Error::Trap { message, .. } if message.contains("out of bounds")), "{wild}");
    good_plugin_still_answers(&rt);
}

#[test]
fn panicking_plugin_traps_and_is_not_a_plugin_error() {
    let rt = runtime();
    let plugin = hostile(&rt, |_| {});
    let error = attack(&plugin, "panic");
    assert!(matches!(&error, Error::Trap { message, .. } if message.contains("unreachable")), "{error}");
    // The panic's own message, from the plugin's stderr, says why.
    assert!(
        error.to_string().contains("panicked at") && error.to_string().contains("the department's code panicked"),
        "{error}"
    );
    assert!(error.is_sandbox_stop());
    good_plugin_still_answers(&rt);
}

#[test]
fn fifty_megabyte_answer_is_refused_as_output_too_large() {
    let rt = runtime();
    // Writing 50 MB takes most of the default 200 ms when the suite loads
    // both cores: this test is about size, so time is not what stops it.
    let plugin = hostile(&rt, |m| m.capabilities.deadline_ms = Some(5000));
    let error = attack(&plugin, "huge-string");
    match &error {
        Error::OutputTooLarge { field, size, limit, unit, call, .. } => {
            // Refused by the field that broke its cap.
            assert_eq!((field.as_str(), *unit, *call), ("Ineligible[0].en", "bytes", "check-eligibility"));
            assert!(*size >= 50_000_000, "{size}");
            assert_eq!(*limit, mitra::runtime::MAX_STRING_BYTES);
        }
        other => panic!("expected output-too-large, got {other}"),
    }
    assert!(error.to_string().contains("in `Ineligible[0].en`"), "{error}");
    good_plugin_still_answers(&rt);
}

#[test]
fn a_list_of_twenty_thousand_items_is_refused_by_its_field() {
    let rt = runtime();
    let plugin = hostile(&rt, |m| m.capabilities.deadline_ms = Some(5000));
    match attack(&plugin, "many-reasons") {
        Error::OutputTooLarge { field, size, limit, unit, .. } => {
            assert_eq!(
                (field.as_str(), size, limit, unit),
                ("NeedsMore", 20_000, mitra::runtime::MAX_LIST_ITEMS, "items")
            );
        }
        other => panic!("expected output-too-large, got {other}"),
    }
    good_plugin_still_answers(&rt);
}

#[test]
fn files_outside_the_data_dir_do_not_exist_for_a_plugin() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("villages.csv"), "code,name\n1,Amaravati\n").unwrap();
    std::fs::write(tmp.path().join("secret.txt"), "operator secret").unwrap();

    let rt = runtime();
    let plugin = hostile(&rt, |m| m.capabilities.data_dir = Some(data.clone()));
    // Its own data directory is readable...
    assert_eq!(probe(&plugin, "read-file", "/data/villages.csv").unwrap(), "code,name\n1,Amaravati\n");
    // ...and nothing else is: not the host's files, not a path escaping /data.
    for path in ["/etc/passwd", "/data/../secret.txt", "/data/../../../../etc/passwd", "../secret.txt", "secret.txt"] {
        let error = probe(&plugin, "read-file", path).expect_err(path);
        assert!(matches!(&error, Error::Plugin { error: PluginError::NotFound(_), .. }), "{path}: {error}");
        assert!(!error.to_string().contains("root:") && !error.to_string().contains("operator secret"));
    }
    good_plugin_still_answers(&rt);
}

#[test]
fn a_plugin_without_a_data_dir_sees_no_files_at_all() {
    let rt = runtime();
    let plugin = hostile(&rt, |_| {});
    for path in ["/etc/passwd", "/data/villages.csv", "/"] {
        assert!(probe(&plugin, "read-file", path).is_err(), "{path} was readable");
    }
}

#[test]
fn http_to_a_host_off_the_allow_list_is_denied_without_a_connection() {
    // A listener on the forbidden port proves no connection is even attempted.
    let forbidden = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    forbidden.set_nonblocking(true).unwrap();
    let forbidden_url = format!("http://{}/latest/meta-data", forbidden.local_addr().unwrap());

    let rt = runtime();
    let plugin = hostile(&rt, |m| m.capabilities.allowed_hosts = vec!["127.0.0.1:1".into()]);
    for url in
        [forbidden_url.as_str(), "http://169.254.169.254/latest/meta-data", "http://127.0.0.1:1@169.254.169.254/"]
    {
        let error = probe(&plugin, "http-get", url).expect_err(url);
        assert!(
            matches!(&error, Error::CapabilityDenied { what, .. } if what.starts_with("HTTP to")),
            "{url}: {error}"
        );
    }
    assert!(forbidden.accept().is_err(), "the plugin reached a host it was not allowed");
    good_plugin_still_answers(&rt);
}

#[tokio::test(flavor = "multi_thread")]
async fn http_to_an_allowed_host_reaches_the_department_backend() {
    let app = axum::Router::new().route("/bill", axum::routing::get(|| async { "bill: 1240" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let rt = runtime();
    let plugin = hostile(&rt, |m| {
        m.capabilities.allowed_hosts = vec![addr.to_string()];
        m.capabilities.deadline_ms = Some(2000);
    });
    let url = format!("http://{addr}/bill");
    let summary = tokio::task::spawn_blocking(move || probe(&plugin, "http-get", &url)).await.unwrap().unwrap();
    assert_eq!(summary, "bill: 1240");
}

#[test]
fn a_closed_backend_port_is_a_plugin_visible_error_not_a_trap() {
    let port = mitra_tests::down_backend().port();
    let rt = runtime();
    let plugin = hostile(&rt, |m| m.capabilities.allowed_hosts = vec![format!("127.0.0.1:{port}")]);
    let error = probe(&plugin, "http-get", &format!("http://127.0.0.1:{port}/")).unwrap_err();
    assert!(
        matches!(&error, Error::Plugin { error: PluginError::Unavailable(m), .. } if m.contains("Unreachable")),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_allowed_host_redirecting_elsewhere_does_not_take_the_plugin_there() {
    // The plugin's allowed host answers with a redirect to one it was not
    // given (the cloud metadata service's place, here a loopback listener
    // that must never see a connection).
    let forbidden = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    forbidden.set_nonblocking(true).unwrap();
    let elsewhere = format!("http://{}/latest/meta-data", forbidden.local_addr().unwrap());
    let app = axum::Router::new().route(
        "/bill",
        axum::routing::get(move || {
            let elsewhere = elsewhere.clone();
            async move { (axum::http::StatusCode::FOUND, [(axum::http::header::LOCATION, elsewhere)], "moved") }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let rt = runtime();
    let plugin = hostile(&rt, |m| {
        m.capabilities.allowed_hosts = vec![addr.to_string()];
        m.capabilities.deadline_ms = Some(2000);
    });
    let url = format!("http://{addr}/bill");
    let record =
        tokio::task::spawn_blocking(move || plugin.fetch_data("http-get", &[answer("input", AnswerValue::Text(url))]))
            .await
            .unwrap()
            .expect("the redirect itself is the plugin's answer");
    // The plugin sees the 302 as it is; the host did not follow it.
    assert_eq!(record.summary.en, "moved");
    assert_eq!(record.fields[0].value, "302");
    assert!(forbidden.accept().is_err(), "the redirect took the plugin to a host it was not allowed");
}
