//! `GET /admin/dashboard`: what the dashboard's charts show, for the
//! departments the operator may read and the filters asked for: open files
//! and SLA breaches, applications by status, submitted and decided per day,
//! turnaround (median and p90) per service and the slowest services,
//! messages per hour, plugin health, and fees (collected, pending, failed,
//! due back, refunded).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::auth::Operator;
use super::{ConsoleState, ListQuery, unavailable};
use crate::runtime::Language;
use crate::store::{PaymentFilter, Turnaround, now_ms, quantile_hours};
use crate::telemetry::metrics;

const DAY_MS: i64 = 86_400_000;
/// The daily series covers this many days when no range is asked for.
const DEFAULT_DAYS: i64 = 30;

pub(super) async fn dashboard(
    State(state): State<ConsoleState>,
    operator: Operator,
    Query(q): Query<ListQuery>,
) -> Response {
    let filter = match q.filter(&state.auth, &operator).await {
        Ok(filter) => filter,
        Err(response) => return response,
    };
    let now = now_ms();
    let catalog = state.desk.catalog();
    // Each service with an SLA: applications submitted before this are late.
    let due: Vec<(String, String, i64)> = catalog
        .plugins()
        .iter()
        .flat_map(|p| {
            p.info()
                .services
                .iter()
                .filter(|s| s.sla_days > 0)
                .map(|s| (p.id().to_owned(), s.id.clone(), now - i64::from(s.sla_days) * DAY_MS))
                .collect::<Vec<_>>()
        })
        .collect();
    let dated = match filter.from_ms {
        Some(_) => filter.clone(),
        None => crate::store::ApplicationFilter { from_ms: Some(now - DEFAULT_DAYS * DAY_MS), ..filter.clone() },
    };
    let (by_status, turnarounds, open, days) = match tokio::try_join!(
        state.reader.status_counts(&filter),
        // Turnaround of what was decided in the range (the last 30 days by default).
        state.reader.turnarounds(&dated),
        state.reader.open_counts(&filter, &due),
        state.reader.day_counts(&dated),
    ) {
        Ok(all) => all,
        Err(error) => return unavailable(error),
    };

    let mut all = vec![0; crate::store::TURNAROUND_HOURS.len() + 1];
    for t in &turnarounds {
        for (sum, n) in all.iter_mut().zip(&t.buckets) {
            *sum += n;
        }
    }
    let turnaround: Vec<Value> = turnarounds.iter().map(service_turnaround).collect();
    let mut slowest: Vec<Value> = turnarounds
        .iter()
        .map(|t| {
            let open = open.iter().find(|o| o.department == t.department && o.service == t.service);
            json!({
                "department": t.department,
                "service": t.service,
                "median_hours": quantile_hours(&t.buckets, 0.5),
                "open": open.map_or(0, |o| o.open),
            })
        })
        .collect();
    slowest.sort_by(|a, b| b["median_hours"].as_f64().partial_cmp(&a["median_hours"].as_f64()).unwrap());
    slowest.truncate(10);
    let mut sla: BTreeMap<&str, i64> = BTreeMap::new();
    for o in &open {
        *sla.entry(o.department.as_str()).or_default() += o.breached;
    }
    let (ageing, escalated) = match state.reader.grievance_ageing(operator.scope().as_deref(), now).await {
        Ok(ageing) => ageing,
        Err(error) => return unavailable(error),
    };
    let grievance_ages: Vec<Value> = ["<1d", "1-3d", "3-7d", ">7d"]
        .iter()
        .zip(ageing)
        .map(|(bucket, count)| json!({ "bucket": bucket, "count": count }))
        .collect();
    // Fees, over the same departments, service and dates (orders have no district).
    let fees = PaymentFilter {
        departments: filter.departments.clone(),
        service: filter.service.clone(),
        from_ms: dated.from_ms,
        to_ms: dated.to_ms,
        now_ms: now,
        ..PaymentFilter::default()
    };
    let payments = match super::payments::figures(&state.reader, &fees).await {
        Ok(figures) => figures.kpis,
        Err(error) => return unavailable(error),
    };
    let plugins: Vec<_> = metrics().plugin_health().into_iter().filter(|p| operator.can_read(&p.plugin)).collect();

    let (mut departments, mut services) = (serde_json::Map::new(), serde_json::Map::new());
    for plugin in catalog.plugins().iter().filter(|p| operator.can_read(p.id())) {
        let info = plugin.info();
        departments.insert(plugin.id().into(), names(|l| info.name.get(l).to_owned()));
        for service in &info.services {
            services.insert(format!("{}/{}", plugin.id(), service.id), names(|l| service.title.get(l).to_owned()));
        }
    }
    Json(json!({
        "generated_at_ms": now,
        "names": { "departments": departments, "services": services },
        "kpis": {
            "open": open.iter().map(|o| o.open).sum::<i64>(),
            "breached": open.iter().map(|o| o.breached).sum::<i64>(),
            "median_hours": quantile_hours(&all, 0.5),
            "p90_hours": quantile_hours(&all, 0.9),
            "grievance_backlog": ageing.iter().sum::<i64>(),
            "grievances_escalated": escalated,
        },
        "messages": metrics().hourly(),
        "applications": days.iter().map(|d| json!({
            "day": crate::chat::documents::rfc3339(d.day * DAY_MS)[..10],
            "submitted": d.submitted,
            "decided": d.decided,
        })).collect::<Vec<_>>(),
        "by_status": by_status,
        "turnaround": turnaround,
        "slowest": slowest,
        "sla": sla.into_iter().map(|(department, breached)| json!({ "department": department, "breached": breached })).collect::<Vec<_>>(),
        "grievances": grievance_ages,
        "plugins": plugins,
        "payments": payments,
    }))
    .into_response()
}

fn service_turnaround(t: &Turnaround) -> Value {
    json!({
        "department": t.department,
        "service": t.service,
        "decided": t.buckets.iter().sum::<i64>(),
        "median_hours": quantile_hours(&t.buckets, 0.5),
        "p90_hours": quantile_hours(&t.buckets, 0.9),
    })
}

fn names(name: impl Fn(Language) -> String) -> Value {
    json!({ "en": name(Language::En), "te": name(Language::Te), "hi": name(Language::Hi) })
}
