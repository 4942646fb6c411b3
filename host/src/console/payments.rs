//! Fees on the console: `GET /admin/payments` (what the payments page
//! shows: the money collected per department per day, orders pending,
//! expired, failed, due back and refunded, and the orders themselves) and
//! `GET /admin/payments/reconciliation.csv` (one row per order, to match
//! against the gateway's settlement report).
//!
//! Both take `department` (repeated or comma-separated), `service`,
//! `status` (comma-separated), and `from` / `to` days (YYYY-MM-DD, India):
//! orders are selected by the day they were made, collections by the day
//! the money was taken. An officer reads their departments' orders only;
//! anything the query cannot mean is refused 400, saying what.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::auth::Operator;
use super::{ConsoleState, day_of, refused, spreadsheet_safe, unavailable};
use crate::runtime::Language;
use crate::store::{
    AuditEntry, Collection, PAYMENT_STATUSES, PaymentFilter, PaymentLine, PaymentTotals, StatusTotal, Store, india_day,
    now_ms,
};

const DAY_MS: i64 = 86_400_000;
/// India is 5 h 30 min ahead of UTC: its days start then.
const IST_MS: i64 = 19_800_000;
/// The most orders one reconciliation file holds: a range with more is
/// refused (a file cut short would not reconcile).
const CSV_ROWS: i64 = 100_000;
/// The orders listed at most per request.
const MAX_LIMIT: i64 = 1_000;

/// What a query string asks for, checked; departments not yet checked
/// against the operator.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Asked {
    departments: Vec<String>,
    service: Option<String>,
    statuses: Vec<String>,
    /// The days as given, and where they start / end (Unix ms).
    from: Option<(String, i64)>,
    to: Option<(String, i64)>,
    limit: i64,
    offset: i64,
}

/// A department or service id: what plugin manifests allow, and nothing a
/// query could smuggle.
fn id_like(text: &str) -> bool {
    (1..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Reads a query string's pairs. Unknown keys are ignored (a cache buster
/// does no harm); a value the report cannot mean is refused with why.
pub(super) fn asked(pairs: &[(String, String)]) -> Result<Asked, String> {
    let mut asked = Asked { limit: 100, ..Asked::default() };
    let mut seen: Vec<&str> = Vec::new();
    for (key, value) in pairs {
        let value = value.trim();
        let once = matches!(key.as_str(), "service" | "from" | "to" | "limit" | "offset");
        if once && seen.contains(&key.as_str()) {
            return Err(format!("{key} is given more than once"));
        }
        seen.push(key.as_str());
        match key.as_str() {
            "department" => {
                for d in value.split(',').map(str::trim).filter(|d| !d.is_empty()) {
                    if !id_like(d) {
                        return Err(format!("department {d:?} is not a department id"));
                    }
                    if !asked.departments.iter().any(|known| known == d) {
                        asked.departments.push(d.to_owned());
                    }
                }
            }
            "service" if value.is_empty() => {}
            "service" if !id_like(value) => return Err(format!("service {value:?} is not a service id")),
            "service" => asked.service = Some(value.to_owned()),
            "status" => {
                for s in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    if !PAYMENT_STATUSES.contains(&s) {
                        return Err(format!("status {s:?} is not one of {}", PAYMENT_STATUSES.join(", ")));
                    }
                    if !asked.statuses.iter().any(|known| known == s) {
                        asked.statuses.push(s.to_owned());
                    }
                }
            }
            "from" | "to" => {
                let day =
                    day_of(Some(value), key == "to").map_err(|_| format!("{key} {value:?} is not a YYYY-MM-DD day"))?;
                if let Some(at) = day {
                    let day = Some((value.to_owned(), at));
                    if key == "from" { asked.from = day } else { asked.to = day }
                }
            }
            "limit" => match value.parse::<i64>() {
                Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => asked.limit = limit,
                _ => return Err(format!("limit is a number of orders from 1 to {MAX_LIMIT}, not {value:?}")),
            },
            "offset" => match value.parse::<i64>() {
                Ok(offset) if offset >= 0 => asked.offset = offset,
                _ => return Err(format!("offset is a number of orders from 0, not {value:?}")),
            },
            _ => {}
        }
    }
    if let (Some((from, start)), Some((to, end))) = (&asked.from, &asked.to)
        && start >= end
    {
        return Err(format!("from {from} is after to {to}"));
    }
    Ok(asked)
}

impl Asked {
    /// The filter for `operator`: the departments asked for, every one of
    /// which they must read, or else all they read.
    async fn filter(self, state: &ConsoleState, operator: &Operator, what: &str) -> Result<PaymentFilter, Response> {
        let departments = if self.departments.is_empty() {
            operator.scope()
        } else {
            if let Some(d) = self.departments.iter().find(|d| !operator.can_read(d)) {
                let why = format!("{} does not work {d}", operator.name);
                return Err(state.auth.forbidden(operator, &format!("{what} of {d}"), &why).await);
            }
            Some(self.departments)
        };
        Ok(PaymentFilter {
            departments,
            service: self.service,
            statuses: self.statuses,
            from_ms: self.from.map(|(_, at)| at),
            to_ms: self.to.map(|(_, at)| at),
            now_ms: now_ms(),
            limit: self.limit,
            offset: self.offset,
        })
    }
}

/// A day (days since the epoch, India) as `YYYY-MM-DD`.
fn day_text(day: i64) -> String {
    crate::chat::documents::rfc3339(day * DAY_MS)[..10].to_owned()
}

/// `{count, amount_paise}`.
fn money(count: i64, amount_paise: i64) -> Value {
    json!({ "count": count, "amount_paise": amount_paise })
}

/// The figures of the orders `filter` selects: the KPIs (as both the
/// payments page and the dashboard show them), and the totals and daily
/// collections behind them.
pub(super) struct Figures {
    pub(super) kpis: Value,
    totals: PaymentTotals,
    collections: Vec<Collection>,
}

pub(super) async fn figures(store: &Store, filter: &PaymentFilter) -> anyhow::Result<Figures> {
    let start_of_today = india_day(filter.now_ms) * DAY_MS - IST_MS;
    let today = PaymentFilter { from_ms: Some(start_of_today), to_ms: Some(start_of_today + DAY_MS), ..filter.clone() };
    let (totals, collections, collected_today) = tokio::try_join!(
        store.payment_totals(filter),
        store.payment_collections(filter),
        store.payment_collections(&today),
    )?;
    let sum =
        |rows: &[Collection]| money(rows.iter().map(|c| c.count).sum(), rows.iter().map(|c| c.amount_paise).sum());
    let total = |t: StatusTotal| money(t.count, t.amount_paise);
    let kpis = json!({
        "collected_today": sum(&collected_today),
        "collected": sum(&collections),
        "pending": total(totals.of("created")),
        "expired": total(totals.of("expired")),
        "paid": total(totals.of("paid")),
        "failed_attempts": totals.failed_attempts,
        "due_back": total(totals.sum(&["refund_due", "refunding"])),
        "refunded": total(totals.of("refunded")),
        "orders": total(totals.sum(&PAYMENT_STATUSES)),
    });
    Ok(Figures { kpis, totals, collections })
}

/// `GET /admin/payments`: the payments page's figures and orders.
pub(super) async fn report(
    State(state): State<ConsoleState>,
    operator: Operator,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let asked = match asked(&pairs) {
        Ok(asked) => asked,
        Err(why) => return refused(StatusCode::BAD_REQUEST, why),
    };
    let range = json!({
        "from": asked.from.as_ref().map(|(d, _)| d),
        "to": asked.to.as_ref().map(|(d, _)| d),
    });
    let filter = match asked.filter(&state, &operator, "list payments").await {
        Ok(filter) => filter,
        Err(response) => return response,
    };
    let (figures, orders) = match tokio::try_join!(figures(&state.reader, &filter), state.reader.payment_lines(&filter))
    {
        Ok(all) => all,
        Err(error) => return unavailable(error),
    };
    Json(json!({
        "generated_at_ms": filter.now_ms,
        "today": day_text(india_day(filter.now_ms)),
        "range": range,
        "names": names(&state, &operator),
        "kpis": figures.kpis,
        "by_status": figures.totals.by_status,
        "collections": figures.collections.iter().map(|c| json!({
            "department": c.department,
            "day": day_text(c.day),
            "count": c.count,
            "amount_paise": c.amount_paise,
        })).collect::<Vec<_>>(),
        "orders": orders,
        "limit": filter.limit,
        "offset": filter.offset,
    }))
    .into_response()
}

/// The departments' and services' names `operator` may read, in each language.
fn names(state: &ConsoleState, operator: &Operator) -> Value {
    let in_all = |name: &dyn Fn(Language) -> String| json!({ "en": name(Language::En), "te": name(Language::Te), "hi": name(Language::Hi) });
    let (mut departments, mut services) = (serde_json::Map::new(), serde_json::Map::new());
    for plugin in state.desk.catalog().plugins().iter().filter(|p| operator.can_read(p.id())) {
        let info = plugin.info();
        departments.insert(plugin.id().into(), in_all(&|l| info.name.get(l).to_owned()));
        for service in &info.services {
            let title = in_all(&|l| service.title.get(l).to_owned());
            services.insert(format!("{}/{}", plugin.id(), service.id), title);
        }
    }
    json!({ "departments": departments, "services": services })
}

/// `GET /admin/payments/reconciliation.csv?from=…&to=…`: every order made
/// in those days (India), one row each, for the operator's departments.
pub(super) async fn reconciliation(
    State(state): State<ConsoleState>,
    operator: Operator,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let mut asked = match asked(&pairs) {
        Ok(asked) => asked,
        Err(why) => return refused(StatusCode::BAD_REQUEST, why),
    };
    let (Some((from, _)), Some((to, _))) = (asked.from.clone(), asked.to.clone()) else {
        return refused(StatusCode::BAD_REQUEST, "a reconciliation covers days: give from and to (YYYY-MM-DD)");
    };
    // All of the range or nothing: one more than fits says it does not.
    (asked.limit, asked.offset) = (CSV_ROWS + 1, 0);
    let filter = match asked.filter(&state, &operator, "export payments").await {
        Ok(filter) => filter,
        Err(response) => return response,
    };
    let lines = match state.reader.payment_lines(&filter).await {
        Ok(lines) => lines,
        Err(error) => return unavailable(error),
    };
    if lines.len() as i64 > CSV_ROWS {
        let why = format!("more than {CSV_ROWS} orders from {from} to {to}: ask for fewer days");
        return refused(StatusCode::BAD_REQUEST, why);
    }
    let body = match reconciliation_csv(&lines) {
        Ok(body) => body,
        Err(error) => return unavailable(error),
    };
    let departments = filter.departments.as_ref().map_or("all".to_owned(), |d| d.join(","));
    let detail = format!("{} orders from {from} to {to}, departments {departments}", lines.len());
    state.auth.audit(&AuditEntry::now(&operator.name, "export payments", None, None, "ok", detail)).await;
    let disposition = format!("attachment; filename=\"payments-{from}-to-{to}.csv\"");
    let headers =
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)];
    (headers, body).into_response()
}

/// The reconciliation file's columns.
pub(super) const CSV_COLUMNS: [&str; 13] = [
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
    "failed_attempts",
];

fn reconciliation_csv(lines: &[PaymentLine]) -> anyhow::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(CSV_COLUMNS)?;
    let text = |value: &Option<String>| spreadsheet_safe(value.as_deref().unwrap_or(""));
    for l in lines {
        out.write_record([
            spreadsheet_safe(&l.order_id),
            india_time(l.created_at_ms),
            spreadsheet_safe(&l.department),
            spreadsheet_safe(&l.service),
            rupees(l.amount_paise),
            l.status.clone(),
            text(&l.gateway_payment_id),
            l.paid_at_ms.map(india_time).unwrap_or_default(),
            text(&l.application_number),
            text(&l.refund_id),
            l.refunded_at_ms.map(india_time).unwrap_or_default(),
            l.callback_deliveries.to_string(),
            l.failed_attempts.to_string(),
        ])?;
    }
    Ok(out.into_inner()?)
}

/// Paise as rupees with two decimals: `50.00`, `-0.05`.
pub(super) fn rupees(paise: i64) -> String {
    let sign = if paise < 0 { "-" } else { "" };
    let paise = paise.unsigned_abs();
    format!("{sign}{}.{:02}", paise / 100, paise % 100)
}

/// Unix ms as ISO 8601 in India's time: `2026-12-04T09:05:00+05:30`.
pub(super) fn india_time(ms: i64) -> String {
    crate::chat::documents::rfc3339_at(ms, mitra_sdk::clock::IST)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        let uri: axum::http::Uri = format!("/admin/payments?{query}").parse().unwrap();
        Query::<Vec<(String, String)>>::try_from_uri(&uri).unwrap().0
    }

    #[test]
    fn amounts_and_times_are_written_for_a_spreadsheet_in_india() {
        assert_eq!(
            (rupees(5000), rupees(4505), rupees(7), rupees(0), rupees(-5)),
            ("50.00".into(), "45.05".into(), "0.07".into(), "0.00".into(), "-0.05".into())
        );
        // 2026-12-02 18:30 UTC is midnight in India.
        assert_eq!(india_time(1_796_236_200_000), "2026-12-03T00:00:00+05:30");
        assert_eq!(india_time(1_796_236_199_999), "2026-12-02T23:59:59+05:30");
    }

    #[test]
    fn a_query_names_departments_and_statuses_once_each_and_a_range_in_order() {
        let asked = asked(&pairs("department=municipal,revenue&department=municipal&status=paid,%20refunded&from=2026-12-01&to=2026-12-01&x=1")).unwrap();
        assert_eq!(asked.departments, ["municipal", "revenue"]);
        assert_eq!(asked.statuses, ["paid", "refunded"]);
        assert_eq!(asked.to.unwrap().1 - asked.from.unwrap().1, DAY_MS);
        assert!(super::asked(&pairs("from=2026-12-02&to=2026-12-01")).unwrap_err().contains("after"));
        assert!(super::asked(&pairs("status=settled")).unwrap_err().contains("settled"));
        assert!(super::asked(&pairs("limit=5000")).unwrap_err().contains("limit"));
        assert!(super::asked(&pairs("from=2026-12-01&from=2026-12-02")).unwrap_err().contains("more than once"));
        assert!(super::asked(&pairs("department=%27%20OR%201%3D1")).unwrap_err().contains("department"));
        assert_eq!(super::asked(&pairs("")).unwrap(), Asked { limit: 100, ..Asked::default() });
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// A value as a client might send one: a known one, near one, or anything.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(&PAYMENT_STATUSES[..]).prop_map(String::from),
            prop::sample::select(&["municipal", "revenue", "birth-certificate", "all", ""][..]).prop_map(String::from),
            (0i32..=9999, 0u8..=13, 0u8..=32).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
            "-?[0-9]{1,20}",
            "[a-z_,]{0,20}",
            "\\PC{0,12}",
        ]
    }

    /// Whether the rules (stated again here) take `pairs`.
    fn meant(pairs: &[(String, String)]) -> bool {
        let id = |t: &str| {
            (1..=64).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        let parts =
            |v: &str| v.split(',').map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect::<Vec<_>>();
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let mut days = (None, None);
        for (i, (key, value)) in pairs.iter().enumerate() {
            let value = value.trim();
            let once = ["service", "from", "to", "limit", "offset"].contains(&key.as_str());
            if once && pairs[..i].iter().any(|(k, _)| k == key) {
                return false;
            }
            let fine = match key.as_str() {
                "department" => parts(value).iter().all(|d| id(d)),
                "service" => value.is_empty() || id(value),
                "status" => parts(value).iter().all(|s| PAYMENT_STATUSES.contains(&s.as_str())),
                "from" | "to" if value.is_empty() => true,
                "from" | "to" => match time::Date::parse(value, format) {
                    Ok(date) => {
                        if key == "from" {
                            days.0 = Some(date)
                        } else {
                            days.1 = Some(date)
                        }
                        true
                    }
                    Err(_) => false,
                },
                "limit" => value.parse::<i64>().is_ok_and(|n| (1..=MAX_LIMIT).contains(&n)),
                "offset" => value.parse::<i64>().is_ok_and(|n| n >= 0),
                _ => true,
            };
            if !fine {
                return false;
            }
        }
        !matches!(days, (Some(from), Some(to)) if from > to)
    }

    proptest! {
        #[test]
        fn a_payments_query_is_taken_exactly_when_meant_and_a_refusal_names_the_field(
            pairs in prop::collection::vec(
                (prop::sample::select(&["department", "service", "status", "from", "to", "limit", "offset", "other"][..]).prop_map(String::from), value()),
                0..6,
            ),
            raw in "[a-z_=&%,+0-9-]{0,40}",
        ) {
            // Any query string reads as pairs: the refusals are the report's own.
            let uri: axum::http::Uri = format!("/admin/payments?{raw}").parse().unwrap();
            match Query::<Vec<(String, String)>>::try_from_uri(&uri) {
                Ok(Query(read)) => { let _ = asked(&read); }
                Err(e) => prop_assert!(false, "{}: {}", raw, e),
            }
            match asked(&pairs) {
                Ok(asked) => {
                    prop_assert!(meant(&pairs), "{:?} taken", pairs);
                    prop_assert!(asked.departments.iter().all(|d| id_like(d)));
                    prop_assert!(asked.service.as_deref().is_none_or(id_like));
                    prop_assert!(asked.statuses.iter().all(|s| PAYMENT_STATUSES.contains(&s.as_str())));
                    prop_assert!((1..=MAX_LIMIT).contains(&asked.limit) && asked.offset >= 0);
                    if let (Some((_, from)), Some((_, to))) = (&asked.from, &asked.to) {
                        prop_assert!(to - from >= DAY_MS, "a range is whole days");
                    }
                    // Every status and department asked for is taken.
                    for (key, value) in &pairs {
                        for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                            match key.as_str() {
                                "status" => prop_assert!(asked.statuses.iter().any(|s| s == part)),
                                "department" => prop_assert!(asked.departments.iter().any(|d| d == part)),
                                _ => {}
                            }
                        }
                    }
                }
                Err(why) => {
                    prop_assert!(!meant(&pairs), "{:?} refused: {}", pairs, why);
                    prop_assert!(pairs.iter().any(|(key, _)| why.starts_with(key.as_str())), "{}: {:?}", why, pairs);
                }
            }
        }
    }
}
