//! The console's pages and their scripts, built into the binary (nothing to
//! deploy beside it, no front-end build at run time). The pages hold no
//! data: their scripts read the `/admin` API with the login cookie, and a
//! page whose operator is not logged in goes to the login page. Served with
//! a Content-Security-Policy that allows only the host's own scripts.
//!
//! Each page file holds only its `<main>`; `layout.html` gives every page
//! the same head and top bar, put together once when first asked for.

use std::sync::LazyLock;

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
    ("grievances.js", JS, include_bytes!("../../assets/console/grievances.js")),
    ("grievance.js", JS, include_bytes!("../../assets/console/grievance.js")),
    ("audit.js", JS, include_bytes!("../../assets/console/audit.js")),
    ("payments.js", JS, include_bytes!("../../assets/console/payments.js")),
    ("services.js", JS, include_bytes!("../../assets/console/services.js")),
    // Chart.js 4 (MIT), from the npm registry: see assets/console/vendor/README.md.
    ("vendor/chart.umd.min.js", JS, include_bytes!("../../assets/console/vendor/chart.umd.min.js")),
];

const JS: &str = "text/javascript; charset=utf-8";

/// One console page: where it is served, its title, which nav entry it
/// sits under (none: the login page, which has no nav), its scripts after
/// `console.js`, and its `<main>`.
struct Page {
    title_key: &'static str,
    title: &'static str,
    nav: Option<&'static str>,
    scripts: &'static [&'static str],
    main: &'static str,
}

/// The nav's entries: `(href, i18n key, English)`.
const NAV: &[(&str, &str, &str)] = &[
    ("/console/", "nav.dashboard", "Dashboard"),
    ("/console/queue", "nav.queue", "Queue"),
    ("/console/grievances", "nav.grievances", "Grievances"),
    ("/console/payments", "nav.payments", "Payments"),
    ("/console/services", "nav.services", "Services"),
    ("/console/audit", "nav.audit", "Audit"),
];

const LOGIN: Page = Page {
    title_key: "login.title",
    title: "Sign in",
    nav: None,
    scripts: &["login.js"],
    main: include_str!("../../assets/console/login.html"),
};
const DASHBOARD: Page = Page {
    title_key: "title.dashboard",
    title: "Dashboard",
    nav: Some("/console/"),
    scripts: &["vendor/chart.umd.min.js", "dashboard.js"],
    main: include_str!("../../assets/console/dashboard.html"),
};
const QUEUE: Page = Page {
    title_key: "title.queue",
    title: "Work queue",
    nav: Some("/console/queue"),
    scripts: &["queue.js"],
    main: include_str!("../../assets/console/queue.html"),
};
const APPLICATION: Page = Page {
    title_key: "title.application",
    title: "Application",
    nav: Some("/console/queue"),
    scripts: &["application.js"],
    main: include_str!("../../assets/console/application.html"),
};
const GRIEVANCES: Page = Page {
    title_key: "title.grievances",
    title: "Grievances",
    nav: Some("/console/grievances"),
    scripts: &["grievances.js"],
    main: include_str!("../../assets/console/grievances.html"),
};
const GRIEVANCE: Page = Page {
    title_key: "title.grievance",
    title: "Grievance",
    nav: Some("/console/grievances"),
    scripts: &["grievance.js"],
    main: include_str!("../../assets/console/grievance.html"),
};
const PAYMENTS: Page = Page {
    title_key: "title.payments",
    title: "Payments",
    nav: Some("/console/payments"),
    scripts: &["vendor/chart.umd.min.js", "payments.js"],
    main: include_str!("../../assets/console/payments.html"),
};
const SERVICES: Page = Page {
    title_key: "title.services",
    title: "Services",
    nav: Some("/console/services"),
    scripts: &["services.js"],
    main: include_str!("../../assets/console/services.html"),
};
const AUDIT: Page = Page {
    title_key: "title.audit",
    title: "Audit log",
    nav: Some("/console/audit"),
    scripts: &["audit.js"],
    main: include_str!("../../assets/console/audit.html"),
};

const LAYOUT: &str = include_str!("../../assets/console/layout.html");
const TOPBAR: &str = include_str!("../../assets/console/topbar.html");
const LANGUAGES: &str = include_str!("../../assets/console/lang.html");

impl Page {
    /// The whole HTML document.
    fn html(&self) -> String {
        let scripts: String =
            self.scripts.iter().map(|s| format!("<script src=\"/console/{s}\" defer></script>\n")).collect();
        let topbar = match self.nav {
            None => format!("<header class=\"topbar topbar-plain\">\n{LANGUAGES}</header>"),
            Some(current) => {
                let nav: String = NAV
                    .iter()
                    .map(|(href, key, text)| {
                        let here = if *href == current { " aria-current=\"page\"" } else { "" };
                        format!("    <a href=\"{href}\"{here} data-i18n=\"{key}\">{text}</a>\n")
                    })
                    .collect();
                TOPBAR.replace("{{nav}}\n", &nav).replace("{{lang}}\n", LANGUAGES)
            }
        };
        LAYOUT
            .replace("{{title_key}}", self.title_key)
            .replace("{{title}}", self.title)
            .replace("{{scripts}}\n", &scripts)
            .replace("{{topbar}}", &topbar)
            .replace("{{main}}", self.main.trim_end())
    }
}

/// Serves `page`, put together on first use.
macro_rules! serve {
    ($page:expr) => {{
        static HTML: LazyLock<String> = LazyLock::new(|| $page.html());
        get(|| async { page(&HTML) })
    }};
}

/// Only the host's own scripts, styles and API; no framing (clickjacking).
const POLICY: &str =
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub(super) fn router() -> Router {
    Router::new()
        .route("/console", get(|| async { Redirect::permanent("/console/") }))
        .route("/console/", serve!(DASHBOARD))
        .route("/console/login", serve!(LOGIN))
        .route("/console/queue", serve!(QUEUE))
        .route("/console/audit", serve!(AUDIT))
        .route("/console/applications/{number}", serve!(APPLICATION))
        .route("/console/grievances", serve!(GRIEVANCES))
        .route("/console/grievances/{ticket}", serve!(GRIEVANCE))
        .route("/console/payments", serve!(PAYMENTS))
        .route("/console/services", serve!(SERVICES))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_is_a_whole_document_with_its_nav_entry_marked() {
        for page in [&LOGIN, &DASHBOARD, &QUEUE, &APPLICATION, &GRIEVANCES, &GRIEVANCE, &PAYMENTS, &SERVICES, &AUDIT] {
            let html = page.html();
            assert!(!html.contains("{{"), "{}: a placeholder is left: {html}", page.title);
            assert_eq!(html.matches("<main").count(), 1, "{}", page.title);
            assert!(html.starts_with("<!doctype html>") && html.trim_end().ends_with("</html>"));
            for script in page.scripts {
                assert!(FILES.iter().any(|(name, _, _)| name == script), "{script} is not served");
                assert!(html.contains(&format!("src=\"/console/{script}\"")));
            }
            match page.nav {
                Some(current) => {
                    assert_eq!(html.matches("aria-current=\"page\"").count(), 1, "{}", page.title);
                    assert!(html.contains(&format!("href=\"{current}\" aria-current=\"page\"")));
                    assert!(html.contains("id=\"logout\""));
                }
                None => assert!(!html.contains("<nav") && !html.contains("id=\"logout\"")),
            }
        }
    }
}
