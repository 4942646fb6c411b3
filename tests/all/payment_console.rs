//! Fees on the console: orders made through the chat and paid (or not) on
//! the gateway stand-in, then read back as operators see them: the figures
//! of `GET /admin/payments` on SQLite and on PostgreSQL, the reconciliation
//! CSV read by Python's csv module, what an officer of another department
//! sees (nothing), and the payments page in headless Chromium.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fantoccini::{Client, Locator};
use mitra::console::accounts;
use mitra::console::auth::{Operator, Role};
use mitra::payments::stand_in::StandIn;
use mitra::store::{PaymentRecord, Store, india_day, now_ms};
use serde_json::{Value, json};
use tower::ServiceExt as _;

use crate::console::{PASSWORD, js, log_in, screenshot, until};
use crate::conversation::{Harness, start_fake, tap};
use crate::operators::{call, token};
use crate::payments::{BIRTH_CERTIFICATE_FEE, apply, captured, post_to, python, replies_to, serve_host};
use crate::simulator::{in_browser, page_text};

const DAY_MS: i64 = 86_400_000;
/// India is 5 h 30 min ahead of UTC.
const IST_MS: i64 = 19_800_000;
/// The revenue department's fee in the order written beside the chat's.
const REVENUE_FEE: i64 = 4500;

/// What the orders of [`scene`] are, by what became of them.
struct Orders {
    /// Paid, its callback delivered twice.
    paid: String,
    /// One attempt failed on the gateway's page; its link still open.
    failed: String,
    /// Paid after the citizen cancelled, while the gateway's API is down:
    /// due back (`refund_due`, or `refunding` while a round tries).
    due_back: String,
    /// Never paid, its link run out.
    expired: String,
    /// Paid after the citizen cancelled, and refunded through the gateway.
    refunded: String,
    /// Revenue's, paid at 23:59:59.999 yesterday (India).
    revenue: String,
}

struct Scene {
    h: Harness,
    store: Store,
    url: String,
    orders: Orders,
    _gateway: Arc<StandIn>,
    _runtime: mitra::runtime::Runtime,
    _tmp: tempfile::TempDir,
}

impl Orders {
    fn all(&self) -> [&str; 6] {
        [&self.paid, &self.failed, &self.due_back, &self.expired, &self.refunded, &self.revenue]
    }
}

/// The day `ms` falls on in India, `YYYY-MM-DD`.
fn day_of(ms: i64) -> String {
    mitra::chat::documents::rfc3339(india_day(ms) * DAY_MS)[..10].to_owned()
}

/// Runs one statement with `?` placeholders on either database.
macro_rules! exec {
    ($store:expr, $sql:expr $(, $bind:expr)* $(,)?) => {{
        match $store {
            Store::Sqlite(pool) => {
                sqlx::query($sql) $(.bind($bind))* .execute(pool).await.unwrap();
            }
            Store::Postgres(pool) => {
                let mut n = 0;
                let numbered: String = $sql
                    .chars()
                    .map(|c| if c == '?' { n += 1; format!("${n}") } else { c.to_string() })
                    .collect();
                sqlx::query(&numbered) $(.bind($bind))* .execute(pool).await.unwrap();
            }
        }
    }};
}

/// The citizen pays (or fails to) on the stand-in gateway's page, which
/// posts the gateway's signed callback to the host.
async fn pay_on_gateway(url: &str, order: &str, outcome: &str) {
    let url = format!("{url}/_fake_gateway/pay/{order}/{outcome}");
    let status =
        tokio::task::spawn_blocking(move || ureq::post(&url).send_empty().unwrap().status().as_u16()).await.unwrap();
    assert_eq!(status, 200);
}

/// Posts `message` from `wa` as a signed webhook, not waiting for replies.
async fn tell(h: &Harness, wa: &str, message: Value) {
    let body = crate::conversation::envelope_to("PNID-1", wa, message);
    let request = Request::post("/webhook")
        .header("content-type", "application/json")
        .header("x-hub-signature-256", mitra::channel::webhook::sign(crate::conversation::SECRET, body.as_bytes()))
        .body(Body::from(body))
        .unwrap();
    assert_eq!(h.app.clone().oneshot(request).await.unwrap().status(), StatusCode::OK);
}

/// Waits until `wa` has been sent something more than `before`, and a
/// moment more for the rest of the turn.
async fn answered(h: &Harness, wa: &str, before: usize) {
    let started = Instant::now();
    while h.fake.to(wa).len() <= before {
        assert!(started.elapsed() < Duration::from_secs(10), "{wa} was told nothing");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
}

/// Waits until order `order` is in one of `statuses`.
async fn reaches(store: &Store, order: &str, statuses: &[&str]) -> PaymentRecord {
    let started = Instant::now();
    loop {
        let record = store.payment(order).await.unwrap().unwrap();
        if statuses.contains(&record.status.as_str()) {
            return record;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "{order} stayed {}, not {statuses:?}", record.status);
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The citizen applies, cancels while the payment is awaited, and pays the
/// old link anyway: money for an order no longer awaited is due back.
async fn cancelled_then_paid(s: &Harness, url: &str, store: &Store, wa: &str) -> String {
    let (order, _) = apply(s, wa).await;
    let before = s.fake.to(wa).len();
    tell(s, wa, tap(wa, "form:cancel", false)).await;
    answered(s, wa, before).await;
    pay_on_gateway(url, &order, "captured").await;
    reaches(store, &order, &["refund_due", "refunding", "refunded"]).await;
    order
}

/// A host with payments and the console on `database`, and an order in
/// every state, each made the way it is made in production but for two:
/// the expired order's link is aged by rewriting its expiry, and revenue's
/// order (a department whose form this host does not serve) is written
/// as the fulfilling turn writes one, at 23:59:59.999 yesterday.
async fn scene(database: Option<String>) -> Scene {
    let tmp = tempfile::tempdir().unwrap();
    let database = database.unwrap_or_else(|| format!("sqlite://{}", tmp.path().join("mitra.db").display()));
    let (fake, graph_url) = start_fake().await;
    let backend = mitra_tests::start_backend("municipal").await;
    let plugin = mitra_tests::with_backend(mitra_tests::department("municipal"), backend);
    // The gateway is asked about unpaid orders only after an hour: the
    // orders here keep the states they are given.
    let (h, url, store, gateway, runtime) =
        serve_host(&database, fake, graph_url, plugin, Duration::from_secs(900), Duration::from_secs(3600)).await;

    // Paid; the gateway delivers the callback twice.
    let (paid, _) = apply(&h, "919866710001").await;
    let before = h.fake.to("919866710001").len();
    let (body, signature) = captured(&paid, "pay_console_paid", BIRTH_CERTIFICATE_FEE);
    assert_eq!(post_to(&url, body.clone(), &signature).await.0, 200);
    replies_to(&h.fake, "919866710001", before, 4).await;
    assert_eq!(post_to(&url, body, &signature).await.1["status"], "duplicate");

    // Refunded through the gateway's API by the host's reconciler.
    let refunded = cancelled_then_paid(&h, &url, &store, "919866710005").await;
    reaches(&store, &refunded, &["refunded"]).await;

    // Due back while the gateway's API is down.
    gateway.set_api_down(true);
    let due_back = cancelled_then_paid(&h, &url, &store, "919866710003").await;

    // One attempt failed; the link is still good.
    let (failed, _) = apply(&h, "919866710002").await;
    let before = h.fake.to("919866710002").len();
    pay_on_gateway(&url, &failed, "failed").await;
    replies_to(&h.fake, "919866710002", before, 1).await;

    // Never paid: its 15 minutes are over.
    let (expired, _) = apply(&h, "919866710004").await;
    exec!(&store, "UPDATE payments SET expires_at_ms = created_at_ms + 1 WHERE order_id = ?", expired.clone());

    let midnight = india_day(now_ms()) * DAY_MS - IST_MS;
    let revenue = format!("MTRP-REVENUE-{}", now_ms());
    exec!(
        &store,
        "INSERT INTO payments (order_id, wa_id, phone_number_id, plugin_id, service_id, amount_paise, status, \
         created_at_ms, expires_at_ms, paid_at_ms, gateway_payment_id, application_number, updated_at_ms) \
         VALUES (?, '919866710006', 'PNID-1', 'revenue', 'income-certificate', ?, 'paid', ?, ?, ?, 'pay_revenue', \
         'MTR-REVENUE-1', ?)",
        revenue.clone(),
        REVENUE_FEE,
        midnight - 600_001,
        midnight + 299_999,
        midnight - 1,
        midnight - 1,
    );

    let orders = Orders { paid, failed, due_back, expired, refunded, revenue };
    Scene { h, store, url, orders, _gateway: gateway, _runtime: runtime, _tmp: tmp }
}

/// The rows as the store has them, by order id.
async fn records(s: &Scene) -> BTreeMap<String, PaymentRecord> {
    let mut out = BTreeMap::new();
    for order in s.orders.all() {
        out.insert(order.to_owned(), s.store.payment(order).await.unwrap().unwrap());
    }
    out
}

/// `{count, amount_paise}` as the API writes money.
fn money(count: i64, paise: i64) -> Value {
    json!({ "count": count, "amount_paise": paise })
}

async fn get(s: &Scene, path: &str, operator: Option<&str>) -> (StatusCode, Value) {
    call(&s.h, "GET", path, operator, None).await
}

/// The CSV at `path` for `operator`: its status, headers and body.
async fn csv(s: &Scene, path: &str, operator: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let request = Request::get(path).header("authorization", format!("Bearer {operator}")).body(Body::empty()).unwrap();
    let response = s.h.app.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let body = axum::body::to_bytes(response.into_body(), 16 << 20).await.unwrap();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

/// The reconciliation CSV read by Python's own csv module: its columns,
/// its rows, and the rupees added up in Decimal (per status and in all),
/// each `created` read back as an instant.
fn read_csv(text: &str) -> Value {
    let out = python(
        "import sys, csv, io, json, datetime\n\
         from decimal import Decimal\n\
         r = csv.DictReader(io.StringIO(sys.argv[1], newline=''))\n\
         rows = list(r)\n\
         total, by_status = Decimal('0.00'), {}\n\
         for row in rows:\n\
         \x20   a = Decimal(row['amount_rupees'])\n\
         \x20   assert a == a.quantize(Decimal('0.01')) and len(row['amount_rupees'].split('.')[1]) == 2, row\n\
         \x20   total += a\n\
         \x20   by_status[row['status']] = by_status.get(row['status'], Decimal('0.00')) + a\n\
         \x20   for column in ('created', 'paid_at', 'refunded_at'):\n\
         \x20       if row[column]:\n\
         \x20           at = datetime.datetime.fromisoformat(row[column])\n\
         \x20           assert at.utcoffset() == datetime.timedelta(hours=5, minutes=30), row\n\
         \x20           row[column + '_ms'] = int(at.timestamp()) * 1000\n\
         by_status = {k: str(v) for k, v in by_status.items()}\n\
         print(json.dumps({'fields': r.fieldnames, 'rows': rows, 'total': str(total), 'by_status': by_status}))",
        text,
    );
    serde_json::from_str(&out).unwrap()
}

async fn the_figures_and_the_reconciliation_are_right(s: Scene) {
    let o = &s.orders;
    let admin = token("asha", Role::Admin, &[]);
    let rows = records(&s).await;
    let (status, report) = get(&s, "/admin/payments", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let today = report["today"].as_str().unwrap().to_owned();
    let generated = report["generated_at_ms"].as_i64().unwrap();
    assert_eq!(today, day_of(generated));
    let yesterday = day_of(generated - DAY_MS);
    let range = format!("from={yesterday}&to={today}");

    // The figures, over yesterday and today (every order here).
    let (status, report) = get(&s, &format!("/admin/payments?{range}"), Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let k = &report["kpis"];
    let fee = BIRTH_CERTIFICATE_FEE as i64;
    assert_eq!(k["orders"], money(6, 5 * fee + REVENUE_FEE), "{k}");
    assert_eq!(k["pending"], money(1, fee), "{k}");
    assert_eq!(k["expired"], money(1, fee), "{k}");
    assert_eq!(k["paid"], money(2, fee + REVENUE_FEE), "{k}");
    assert_eq!(k["due_back"], money(1, fee), "{k}");
    assert_eq!(k["refunded"], money(1, fee), "{k}");
    assert_eq!(k["failed_attempts"], 1, "{k}");
    // Collected: every payment taken (those since due back or refunded too),
    // on the day (India) it was taken.
    let taken: Vec<&PaymentRecord> = rows.values().filter(|r| r.paid_at_ms.is_some()).collect();
    assert_eq!(taken.len(), 4, "{rows:#?}");
    let mut per_day: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for r in &taken {
        let entry = per_day.entry((day_of(r.paid_at_ms.unwrap()), r.plugin_id.clone())).or_default();
        *entry = (entry.0 + 1, entry.1 + r.amount_paise as i64);
    }
    assert_eq!(per_day[&(yesterday.clone(), "revenue".to_owned())], (1, REVENUE_FEE), "{per_day:?}");
    let collections: BTreeMap<(String, String), (i64, i64)> = report["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let key = (c["day"].as_str().unwrap().to_owned(), c["department"].as_str().unwrap().to_owned());
            (key, (c["count"].as_i64().unwrap(), c["amount_paise"].as_i64().unwrap()))
        })
        .collect();
    assert_eq!(collections, per_day);
    assert_eq!(k["collected"], money(4, 3 * fee + REVENUE_FEE));
    let today_sum =
        per_day.iter().filter(|((day, _), _)| *day == today).fold((0, 0), |a, (_, v)| (a.0 + v.0, a.1 + v.1));
    assert_eq!(k["collected_today"], money(today_sum.0, today_sum.1));
    assert_eq!(report["names"]["departments"]["municipal"]["en"].as_str().map(|n| !n.is_empty()), Some(true));

    // Each order as stored, in the status it is in now.
    let listed: BTreeMap<&str, &Value> =
        report["orders"].as_array().unwrap().iter().map(|l| (l["order_id"].as_str().unwrap(), l)).collect();
    assert_eq!(listed.len(), 6);
    let line = |order: &str| listed[order];
    for (order, status, deliveries, failed) in [
        (&o.paid, "paid", 2, 0),
        (&o.failed, "created", 1, 1),
        (&o.expired, "expired", 0, 0),
        (&o.refunded, "refunded", 1, 0),
        (&o.revenue, "paid", 0, 0),
    ] {
        let l = line(order);
        assert_eq!(
            (l["status"].as_str(), l["callback_deliveries"].as_i64(), l["failed_attempts"].as_i64()),
            (Some(status), Some(deliveries), Some(failed)),
            "{l}"
        );
        let r = &rows[order.as_str()];
        assert_eq!(l["gateway_payment_id"].as_str(), r.gateway_payment_id.as_deref(), "{l}");
        assert_eq!(l["application_number"].as_str(), r.application_number.as_deref(), "{l}");
        assert_eq!(l["amount_paise"].as_i64(), Some(r.amount_paise as i64));
    }
    assert!(["refund_due", "refunding"].contains(&line(&o.due_back)["status"].as_str().unwrap()));
    assert!(line(&o.paid)["application_number"].as_str().is_some_and(|n| n.starts_with("MTR-")));
    let refund = line(&o.refunded);
    assert_eq!(refund["refund_id"].as_str(), rows[o.refunded.as_str()].refund_id.as_deref());
    assert!(refund["refund_id"].as_str().is_some() && refund["refunded_at_ms"].as_i64().is_some(), "{refund}");

    // Narrowed: by status, by department, by day.
    let (_, paid) = get(&s, &format!("/admin/payments?{range}&status=paid"), Some(&admin)).await;
    let ids: Vec<&str> = paid["orders"].as_array().unwrap().iter().map(|l| l["order_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [o.paid.as_str(), o.revenue.as_str()]);
    assert_eq!(paid["kpis"]["orders"], money(2, fee + REVENUE_FEE));
    let (_, expired) = get(&s, "/admin/payments?status=expired,created", Some(&admin)).await;
    assert_eq!(expired["kpis"]["orders"]["count"], 2, "{}", expired["kpis"]);
    let (_, revenue) = get(&s, "/admin/payments?department=revenue", Some(&admin)).await;
    assert_eq!(revenue["kpis"]["orders"], money(1, REVENUE_FEE));
    let (_, only_today) = get(&s, &format!("/admin/payments?from={today}&to={today}"), Some(&admin)).await;
    assert_eq!(only_today["kpis"]["orders"]["count"], 5, "made yesterday, revenue's is not today's");

    // A viewer reads everything; an officer only their departments.
    let (_, viewer) = get(&s, "/admin/payments", Some(&token("vani", Role::Viewer, &[]))).await;
    assert_eq!(viewer["kpis"]["orders"]["count"], 6);
    let kiran = token("kiran", Role::Officer, &["revenue"]);
    let (_, theirs) = get(&s, "/admin/payments", Some(&kiran)).await;
    assert_eq!(theirs["kpis"]["orders"], money(1, REVENUE_FEE));
    assert_eq!(theirs["kpis"]["collected"], money(1, REVENUE_FEE));
    assert_eq!(theirs["orders"].as_array().unwrap().len(), 1);
    let ravi = token("ravi", Role::Officer, &["pensions"]);
    let (status, none) = get(&s, &format!("/admin/payments?{range}"), Some(&ravi)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(none["orders"], json!([]));
    assert_eq!(none["collections"], json!([]));
    for kpi in ["orders", "collected", "collected_today", "pending", "due_back", "refunded"] {
        assert_eq!(none["kpis"][kpi], money(0, 0), "{kpi}");
    }
    assert_eq!(none["kpis"]["failed_attempts"], 0);
    assert!(none["names"]["departments"].get("municipal").is_none());
    for path in [
        "/admin/payments?department=municipal".to_owned(),
        format!("/admin/payments/reconciliation.csv?{range}&department=municipal"),
    ] {
        let (status, why) = get(&s, &path, Some(&ravi)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {why}");
    }
    let (status, _, text) = csv(&s, &format!("/admin/payments/reconciliation.csv?{range}"), &ravi).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read_csv(&text)["rows"], json!([]));

    // No operator, no payments; a query that means nothing is refused, saying why.
    for path in ["/admin/payments", "/admin/payments/reconciliation.csv?from=2026-12-01&to=2026-12-02"] {
        assert_eq!(get(&s, path, None).await.0, StatusCode::UNAUTHORIZED, "{path}");
    }
    for (query, names) in [
        ("status=settled", "status"),
        ("from=2026-13-01", "from"),
        ("from=2026-12-05&to=2026-12-04", "after"),
        ("limit=0", "limit"),
        ("department=municipal%3Bdrop", "department"),
    ] {
        let (status, why) = get(&s, &format!("/admin/payments?{query}"), Some(&admin)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(why["error"].as_str().unwrap().contains(names), "{query}: {why}");
    }
    let (status, why) = get(&s, "/admin/payments/reconciliation.csv?from=2026-12-01", Some(&admin)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(why["error"].as_str().unwrap().contains("from and to"), "{why}");

    // The reconciliation file, read by Python's csv module.
    let (status, headers, text) = csv(&s, &format!("/admin/payments/reconciliation.csv?{range}"), &admin).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert_eq!(disposition, format!("attachment; filename=\"payments-{yesterday}-to-{today}.csv\""));
    let file = read_csv(&text);
    assert_eq!(
        file["fields"],
        json!([
            "order_id",
            "created",
            "department",
            "service",
            "amount_rupees",
            "status",
            "gateway_payment_id",
            "paid_at",
            "application_number",
            "refund_id",
            "refunded_at",
            "callback_deliveries",
            "failed_attempts"
        ])
    );
    assert_eq!(file["total"], "295.00", "five ₹50 fees and one ₹45");
    assert_eq!(file["by_status"]["paid"], "95.00");
    assert_eq!(file["by_status"]["refunded"], "50.00");
    assert_eq!(file["by_status"]["expired"], "50.00");
    let in_file: BTreeMap<&str, &Value> =
        file["rows"].as_array().unwrap().iter().map(|r| (r["order_id"].as_str().unwrap(), r)).collect();
    assert_eq!(in_file.keys().copied().collect::<Vec<_>>(), {
        let mut all = o.all().to_vec();
        all.sort();
        all
    });
    for (order, r) in &rows {
        let row = in_file[order.as_str()];
        assert_eq!(row["created_ms"].as_i64(), Some(r.created_at_ms.div_euclid(1000) * 1000), "{row}");
        assert_eq!(row["paid_at_ms"].as_i64(), r.paid_at_ms.map(|ms| ms.div_euclid(1000) * 1000), "{row}");
        assert_eq!(row["department"].as_str(), Some(r.plugin_id.as_str()));
        assert_eq!(row["gateway_payment_id"].as_str(), Some(r.gateway_payment_id.as_deref().unwrap_or("")));
        assert_eq!(row["application_number"].as_str(), Some(r.application_number.as_deref().unwrap_or("")));
        assert_eq!(row["refund_id"].as_str(), Some(r.refund_id.as_deref().unwrap_or("")));
    }
    assert_eq!(in_file[o.paid.as_str()]["callback_deliveries"], "2");
    assert_eq!(in_file[o.failed.as_str()]["failed_attempts"], "1");
    assert_eq!(in_file[o.revenue.as_str()]["amount_rupees"], "45.00");
    assert_eq!(in_file[o.revenue.as_str()]["created"], format!("{yesterday}T23:49:59+05:30"));
    assert_eq!(in_file[o.revenue.as_str()]["paid_at"], format!("{yesterday}T23:59:59+05:30"));
    assert!(in_file[o.refunded.as_str()]["refunded_at_ms"].as_i64().is_some());
    // Revenue's officer gets revenue's order alone.
    let (_, _, text) = csv(&s, &format!("/admin/payments/reconciliation.csv?{range}"), &kiran).await;
    let theirs = read_csv(&text);
    assert_eq!(theirs["rows"].as_array().unwrap().len(), 1);
    assert_eq!(theirs["total"], "45.00");

    // The dashboard's fee figures.
    let (status, dashboard) = get(&s, "/admin/dashboard", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK);
    let fees = &dashboard["payments"];
    assert_eq!((fees["pending"]["count"].as_i64(), fees["failed_attempts"].as_i64()), (Some(1), Some(1)), "{fees}");
    assert_eq!(
        (fees["due_back"]["amount_paise"].as_i64(), fees["refunded"]["amount_paise"].as_i64()),
        (Some(fee), Some(fee))
    );
    assert_eq!(fees["collected_today"], money(today_sum.0, today_sum.1));
    let (_, dashboard) = get(&s, "/admin/dashboard", Some(&ravi)).await;
    assert_eq!(dashboard["payments"]["collected"], money(0, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_payments_figures_and_the_reconciliation_csv_are_right_and_scoped() {
    the_figures_and_the_reconciliation_are_right(scene(None).await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_payments_figures_and_the_reconciliation_csv_are_right_and_scoped() {
    let database = crate::store::fresh_postgres().await;
    the_figures_and_the_reconciliation_are_right(scene(Some(database)).await).await;
}

/// Fetches `href` in the page (with the login cookie) and hands back its
/// status, Content-Disposition and text.
async fn follow(client: &Client, href: &str) -> Value {
    let script = "const done = arguments[arguments.length - 1];\
                  fetch(arguments[0], { credentials: 'same-origin' })\
                    .then(async (r) => done({ status: r.status, disposition: r.headers.get('content-disposition'), text: await r.text() }))\
                    .catch((e) => done({ status: 0, text: String(e) }));";
    client.execute_async(script, vec![json!(href)]).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_sees_payments_on_the_console_filters_them_and_downloads_the_reconciliation() {
    let s = scene(None).await;
    let asha = Operator { name: "asha".into(), role: Role::Admin, departments: vec![], level: 1 };
    s.store.put_operator(&accounts::account(&asha, PASSWORD).unwrap()).await.unwrap();
    let rows = records(&s).await;
    let today = day_of(now_ms());
    let collected_today: i64 = rows
        .values()
        .filter(|r| r.paid_at_ms.is_some_and(|at| day_of(at) == today))
        .map(|r| r.amount_paise as i64)
        .sum();
    let (paid, revenue) = (s.orders.paid.clone(), s.orders.revenue.clone());
    let revenue_day = day_of(rows[&revenue].created_at_ms);
    let url = s.url.clone();
    in_browser(move |client| async move {
        let client = &client;
        // The dashboard's fee tiles.
        log_in(client, &url, "asha").await;
        until(client, "fees pending on the dashboard", "document.querySelector('#kpi-fees-pending').dataset.value === '1'").await;
        until(client, "fees due back", "document.querySelector('#kpi-fees-due-back').dataset.value === '5000'").await;
        screenshot(client, "dashboard-fees-phone").await;

        // The payments page, from the nav.
        client.find(Locator::Css("a[href='/console/payments']")).await.unwrap().click().await.unwrap();
        until(client, "the payments page", "document.body.dataset.ready === '1'").await;
        until(client, "six orders", "document.querySelectorAll('#orders tbody tr').length === 6").await;
        let tiles = js(
            client,
            "return Object.fromEntries([...document.querySelectorAll('.kpi-value, .kpi-sub')].map(n => [n.id, n.dataset.value]));",
        )
        .await;
        assert_eq!(tiles["kpi-collected"], "19500", "{tiles}");
        assert_eq!(tiles["kpi-collected-sub"], "4", "{tiles}");
        assert_eq!(tiles["kpi-today"], collected_today.to_string(), "{tiles}");
        assert_eq!((&tiles["kpi-pending"], &tiles["kpi-failed"]), (&json!("1"), &json!("1")), "{tiles}");
        assert_eq!((&tiles["kpi-due-back"], &tiles["kpi-due-back-sub"]), (&json!("1"), &json!("5000")), "{tiles}");
        assert_eq!((&tiles["kpi-refunded"], &tiles["kpi-refunded-sub"]), (&json!("1"), &json!("5000")), "{tiles}");
        let text = page_text(client).await;
        assert!(text.contains("₹195.00") && text.contains(&paid), "{text}");
        // The chart: ₹195 collected, per department.
        let charted = js(
            client,
            "const c = window.mitraPaymentsChart; return { total: c.data.datasets.flatMap(d => d.data).reduce((a, b) => a + b, 0), departments: c.data.datasets.map(d => d.department).sort() };",
        )
        .await;
        assert_eq!(charted, json!({ "total": 195, "departments": ["municipal", "revenue"] }));
        screenshot(client, "payments-phone").await;

        // Only the paid ones.
        client.find(Locator::Id("f-status")).await.unwrap().select_by_value("paid").await.unwrap();
        until(client, "the paid orders", "document.body.dataset.query === 'status=paid'").await;
        let statuses = js(client, "return [...document.querySelectorAll('#orders tbody tr')].map(r => r.dataset.status);").await;
        assert_eq!(statuses, json!(["paid", "paid"]));
        assert!(js(client, "return location.search;").await.as_str().unwrap().contains("status=paid"));

        // The reconciliation link, followed with the login cookie.
        let href = js(client, "return document.querySelector('#csv').href;").await.as_str().unwrap().to_owned();
        assert!(href.contains("/admin/payments/reconciliation.csv?") && href.contains("status=paid"), "{href}");
        let from = href.split("from=").nth(1).unwrap()[..10].to_owned();
        let fetched = follow(client, &href).await;
        assert_eq!(fetched["status"], 200, "{fetched}");
        assert!(fetched["disposition"].as_str().unwrap().starts_with("attachment; filename=\"payments-"), "{fetched}");
        let file = read_csv(fetched["text"].as_str().unwrap());
        let mut ids: Vec<&str> = file["rows"].as_array().unwrap().iter().map(|r| r["order_id"].as_str().unwrap()).collect();
        ids.sort();
        // This month so far: revenue's order (yesterday) unless today is the 1st.
        let mut expected = vec![paid.as_str()];
        if revenue_day >= from {
            expected.push(revenue.as_str());
        }
        expected.sort();
        assert_eq!(ids, expected, "{href}");
        assert!(file["rows"].as_array().unwrap().iter().all(|r| r["status"] == "paid"));

        // In Telugu.
        client.find(Locator::Css("button[data-lang='te']")).await.unwrap().click().await.unwrap();
        until(client, "Telugu", "document.documentElement.lang === 'te'").await;
        let text = page_text(client).await;
        assert!(text.contains("చెల్లింపులు") && text.contains("చెల్లించబడింది"), "{text}");
        client.set_window_size(1280, 900).await.unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
        screenshot(client, "payments-laptop-te").await;
    })
    .await;
}
