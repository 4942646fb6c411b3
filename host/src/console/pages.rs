//! The console's pages and their scripts, built into the binary (nothing to
//! deploy beside it, no front-end build at run time). The pages hold no
//! data: their scripts read the `/admin` API with the login cookie, and a
//! page whose operator is not logged in goes to the login page. Served with
//! a Content-Security-Policy that allows only the host's own scripts.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

/// `(name, content type, bytes)` of every file under `/console/`.
const FILES: &[(&str, &str, &[u8])] = &[
    ("console.css", "text/css; charset=utf-8", include_bytes!("../../assets/console/console.css")),
    ("console.js", JS, include_bytes!("../../assets/console/console.js")),
    ("login.js", JS, include_bytes!("../../assets/console/login.js")),
    ("dashboard.js", JS, include_bytes!("../../assets/console/dashboard.js")),
    ("queue.js", JS, include_bytes!("../../assets/console/queue.js")),
    ("application.js", JS, include_bytes!("../../assets/console/application.js")),
    ("audit.js", JS, include_bytes!("../../assets/console/audit.js")),
    // Chart.js 4 (MIT), from the npm registry: see assets/console/vendor/README.md.
    ("vendor/chart.umd.min.js", JS, include_bytes!("../../assets/console/vendor/chart.umd.min.js")),
];

const JS: &str = "text/javascript; charset=utf-8";

const LOGIN: &str = include_str!("../../assets/console/login.html");
const DASHBOARD: &str = include_str!("../../assets/console/dashboard.html");
const QUEUE: &str = include_str!("../../assets/console/queue.html");
const APPLICATION: &str = include_str!("../../assets/console/application.html");
const AUDIT: &str = include_str!("../../assets/console/audit.html");

/// Only the host's own scripts, styles and API; no framing (clickjacking).
const POLICY: &str =
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub(super) fn router() -> Router {
    Router::new()
        .route("/console", get(|| async { Redirect::permanent("/console/") }))
        .route("/console/", get(|| async { page(DASHBOARD) }))
        .route("/console/login", get(|| async { page(LOGIN) }))
        .route("/console/queue", get(|| async { page(QUEUE) }))
        .route("/console/audit", get(|| async { page(AUDIT) }))
        .route("/console/applications/{number}", get(|| async { page(APPLICATION) }))
        .route("/console/{file}", get(|Path(file): Path<String>| async move { asset(&file) }))
        .route(
            "/console/vendor/{file}",
            get(|Path(file): Path<String>| async move { asset(&format!("vendor/{file}")) }),
        )
}

fn page(html: &'static str) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn asset(name: &str) -> Response {
    match FILES.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, bytes)) => {
            ([(header::CONTENT_TYPE, *content_type), (header::X_CONTENT_TYPE_OPTIONS, "nosniff")], *bytes)
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}
