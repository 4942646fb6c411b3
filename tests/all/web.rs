//! The host's HTTP surface with real plugins and a real SQLite store.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use mitra::runtime::{Catalog, RuntimeConfig};
use mitra::store::Store;
use mitra::web::{AppState, router};
use tower::ServiceExt as _;

use crate::support::{components, pensions_manifest};

async fn app(dir: &std::path::Path) -> axum::Router {
    let config = RuntimeConfig { max_concurrent_instances: 16, ..RuntimeConfig::default() };
    let (_, catalog): (_, Arc<Catalog>) = mitra::cli::load_catalog(config, &dir.join("plugins")).await.unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.join("mitra.db").display())).await.unwrap();
    router(AppState::new(catalog, store))
}

fn install(dir: &std::path::Path) {
    let plugins = dir.join("plugins");
    mitra_tests::write_plugin_dir(&plugins, &pensions_manifest());
    std::fs::create_dir_all(plugins.join("pensions/data")).unwrap();
    std::fs::copy(format!("{}/data/rates.csv", components::PENSIONS_DIR), plugins.join("pensions/data/rates.csv"))
        .unwrap();
    let mut hostile = mitra_tests::manifest("hostile", components::HOSTILE);
    hostile.capabilities.deadline_ms = Some(50);
    mitra_tests::write_plugin_dir(&plugins, &hostile);
    mitra_tests::write_plugin_dir(&plugins, &mitra_tests::manifest("acme", components::OTHER_WORLD));
}

async fn call(app: &axum::Router, method: &str, uri: &str, body: &str) -> (StatusCode, serde_json::Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

const APPLICANT: &str = r#"{"wa_id":"919876543210","profile_name":null,"language":"Te"}"#;

#[tokio::test(flavor = "multi_thread")]
async fn health_and_catalogue_show_loaded_and_refused_plugins() {
    let tmp = tempfile::tempdir().unwrap();
    install(tmp.path());
    let app = app(tmp.path()).await;
    let (status, health) = call(&app, "GET", "/healthz", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["database"], "sqlite");
    assert_eq!(health["plugins"], 2);

    let (_, plugins) = call(&app, "GET", "/api/plugins", "").await;
    let ids: Vec<&str> = plugins["loaded"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["hostile", "pensions"]);
    let makes_ahead: Vec<Option<bool>> =
        plugins["loaded"].as_array().unwrap().iter().map(|p| p["makes_ahead"].as_bool()).collect();
    assert_eq!(makes_ahead, [Some(true), Some(true)], "by default every version's next instance is made ahead");
    assert_eq!(plugins["refused"][0]["kind"], "incompatible-contract");

    let (_, found) = call(&app, "GET", "/api/search?q=old%20age%20pensoin", "").await;
    assert_eq!(found["hits"][0]["service"], "old-age", "{found}");

    let (_, services) = call(&app, "GET", "/api/services?lang=te", "").await;
    let pensions = services["departments"].as_array().unwrap().iter().find(|d| d["id"] == "pensions").unwrap();
    assert_eq!(pensions["name"], "పింఛన్లు");
}

#[tokio::test(flavor = "multi_thread")]
async fn eligibility_through_http_and_errors_stay_clear() {
    let tmp = tempfile::tempdir().unwrap();
    install(tmp.path());
    let app = app(tmp.path()).await;
    let answers = r#"[{"field_id":"dob","value":{"Date":"1950-06-01"}},{"field_id":"area","value":{"Choice":"urban"}},{"field_id":"income","value":{"Number":9000}}]"#;
    let body = format!(r#"{{"applicant":{APPLICANT},"answers":{answers}}}"#);
    let (status, out) = call(&app, "POST", "/api/plugins/pensions/services/old-age/eligibility", &body).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(out["decision"], "Eligible");

    // A plugin stopped by the sandbox: a generic 503, never the trap text.
    let body = format!(r#"{{"applicant":{APPLICANT},"answers":[]}}"#);
    let (status, out) = call(&app, "POST", "/api/plugins/hostile/services/infinite-loop/eligibility", &body).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(out["error"], "this service is briefly unavailable");

    // The plugin's own error is a 422 that says what it was.
    let (status, out) = call(&app, "POST", "/api/plugins/pensions/services/old-age/eligibility", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{out}");
    assert_eq!(out["error"], "plugin-error");

    let (status, _) = call(&app, "POST", "/api/plugins/nope/services/x/eligibility", &body).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&app, "POST", "/api/plugins/pensions/services/old-age/eligibility", "{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
