//! The aggregates the console's dashboard reads: each one grouped query
//! over the applications a filter selects, served by the indexes on
//! department and status, submission day and decision day.

use serde::Serialize;
use sqlx::{QueryBuilder, Row};

use super::applications::push_filter;
use super::{ApplicationFilter, Store};

/// Upper bounds (hours) of the turnaround buckets; the last is open.
pub const TURNAROUND_HOURS: [i64; 16] = [1, 2, 4, 8, 12, 24, 48, 72, 96, 120, 168, 240, 336, 504, 720, 1440];

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusCount {
    pub department: String,
    pub status: String,
    pub count: i64,
}

/// How long decided applications of one service took, as counts per
/// [`TURNAROUND_HOURS`] bucket (one more for longer).
#[derive(Clone, Debug, PartialEq)]
pub struct Turnaround {
    pub department: String,
    pub service: String,
    pub buckets: Vec<i64>,
}

/// A service's open applications and how many are past its SLA.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OpenCount {
    pub department: String,
    pub service: String,
    pub open: i64,
    pub breached: i64,
}

/// Applications submitted and decided on one day (days since the epoch, in India).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DayCount {
    pub day: i64,
    pub submitted: i64,
    pub decided: i64,
}

/// India is 5 h 30 min ahead of UTC: its days start then.
const IST_MS: i64 = 19_800_000;
const DAY_MS: i64 = 86_400_000;

impl Store {
    /// Applications by department and status.
    pub async fn status_counts(&self, filter: &ApplicationFilter) -> anyhow::Result<Vec<StatusCount>> {
        macro_rules! counts {
            ($pool:expr, $db:ty) => {{
                let mut q =
                    QueryBuilder::<$db>::new("SELECT plugin_id, status, count(*) FROM applications WHERE 1 = 1");
                push_filter(&mut q, filter);
                q.push(" GROUP BY plugin_id, status");
                q.build()
                    .fetch_all($pool)
                    .await?
                    .iter()
                    .map(|r| StatusCount { department: r.get(0), status: r.get(1), count: r.get(2) })
                    .collect()
            }};
        }
        Ok(match self {
            Store::Sqlite(pool) => counts!(pool, sqlx::Sqlite),
            Store::Postgres(pool) => counts!(pool, sqlx::Postgres),
        })
    }

    /// Turnaround (submission to decision) of the applications decided
    /// within the filter's dates (by day of decision), per service.
    pub async fn turnarounds(&self, filter: &ApplicationFilter) -> anyhow::Result<Vec<Turnaround>> {
        let (from, to) = (filter.from_ms, filter.to_ms);
        let filter = &ApplicationFilter { from_ms: None, to_ms: None, ..filter.clone() };
        let mut bucket = String::from("CASE");
        for (i, hours) in TURNAROUND_HOURS.iter().enumerate() {
            bucket.push_str(&format!(" WHEN decided_at_ms - submitted_at_ms < {} THEN {i}", hours * 3_600_000));
        }
        bucket.push_str(&format!(" ELSE {} END", TURNAROUND_HOURS.len()));
        macro_rules! rows {
            ($pool:expr, $db:ty) => {{
                let mut q = QueryBuilder::<$db>::new(format!(
                    "SELECT plugin_id, service_id, {bucket} AS bucket, count(*) FROM applications \
                     WHERE decided_at_ms IS NOT NULL"
                ));
                if let Some(from) = from {
                    q.push(" AND decided_at_ms >= ").push_bind(from);
                }
                if let Some(to) = to {
                    q.push(" AND decided_at_ms < ").push_bind(to);
                }
                push_filter(&mut q, filter);
                q.push(" GROUP BY plugin_id, service_id, bucket");
                q.build()
                    .fetch_all($pool)
                    .await?
                    .iter()
                    .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1), r.get::<i32, _>(2), r.get::<i64, _>(3)))
                    .collect::<Vec<_>>()
            }};
        }
        let rows = match self {
            Store::Sqlite(pool) => rows!(pool, sqlx::Sqlite),
            Store::Postgres(pool) => rows!(pool, sqlx::Postgres),
        };
        let mut out: Vec<Turnaround> = Vec::new();
        for (department, service, bucket, count) in rows {
            let at = match out.iter().position(|t| t.department == department && t.service == service) {
                Some(at) => at,
                None => {
                    out.push(Turnaround { department, service, buckets: vec![0; TURNAROUND_HOURS.len() + 1] });
                    out.len() - 1
                }
            };
            out[at].buckets[(bucket.max(0) as usize).min(TURNAROUND_HOURS.len())] += count;
        }
        Ok(out)
    }

    /// Open applications per service, and how many were submitted before
    /// their service's due time (`due`: `(department, service, submitted
    /// before this, Unix ms)`, for services with an SLA).
    pub async fn open_counts(
        &self,
        filter: &ApplicationFilter,
        due: &[(String, String, i64)],
    ) -> anyhow::Result<Vec<OpenCount>> {
        let open = crate::applications::status::OPEN.map(String::from).to_vec();
        let filter = ApplicationFilter { statuses: open, ..filter.clone() };
        // Two reads of the open files' index: the counts per service, then
        // per service with an SLA the ones past it, each a range of the
        // index (department, service, submitted) rather than a join that
        // compares every open file with every service.
        macro_rules! rows {
            ($pool:expr, $db:ty) => {{
                let mut q = QueryBuilder::<$db>::new(
                    "SELECT plugin_id, service_id, count(*) FROM applications WHERE 1 = 1",
                );
                push_filter(&mut q, &filter);
                q.push(" GROUP BY plugin_id, service_id");
                let mut counts: Vec<OpenCount> = q
                    .build()
                    .fetch_all($pool)
                    .await?
                    .iter()
                    .map(|r| OpenCount { department: r.get(0), service: r.get(1), open: r.get(2), breached: 0 })
                    .collect();
                if !due.is_empty() {
                    let mut q = QueryBuilder::<$db>::new("WITH sla (sla_plugin, sla_service, due_ms) AS (");
                    q.push_values(due, |mut row, (d, s, at)| {
                        row.push_bind(d.clone()).push_bind(s.clone()).push_bind(*at);
                    });
                    q.push(
                        ") SELECT sla_plugin, sla_service, (SELECT count(*) FROM applications \
                         WHERE plugin_id = sla_plugin AND service_id = sla_service AND submitted_at_ms < due_ms",
                    );
                    push_filter(&mut q, &filter);
                    q.push(") FROM sla");
                    for r in q.build().fetch_all($pool).await? {
                        let (department, service, late): (String, String, i64) = (r.get(0), r.get(1), r.get(2));
                        if let Some(c) = counts.iter_mut().find(|c| c.department == department && c.service == service) {
                            c.breached = late;
                        }
                    }
                }
                counts
            }};
        }
        Ok(match self {
            Store::Sqlite(pool) => rows!(pool, sqlx::Sqlite),
            Store::Postgres(pool) => rows!(pool, sqlx::Postgres),
        })
    }

    /// Applications submitted and decided per day (India) within the filter.
    pub async fn day_counts(&self, filter: &ApplicationFilter) -> anyhow::Result<Vec<DayCount>> {
        let mut days: std::collections::BTreeMap<i64, DayCount> = Default::default();
        for (column, decided) in [("submitted_at_ms", false), ("decided_at_ms", true)] {
            // The range applies to the day counted: submissions by their
            // day, decisions by theirs.
            let dated = ApplicationFilter { from_ms: None, to_ms: None, ..filter.clone() };
            macro_rules! rows {
                ($pool:expr, $db:ty) => {{
                    let mut q = QueryBuilder::<$db>::new(format!(
                        "SELECT ({column} + {IST_MS}) / {DAY_MS} AS day, count(*) FROM applications \
                         WHERE {column} IS NOT NULL"
                    ));
                    if let Some(from) = filter.from_ms {
                        q.push(format!(" AND {column} >= ")).push_bind(from);
                    }
                    if let Some(to) = filter.to_ms {
                        q.push(format!(" AND {column} < ")).push_bind(to);
                    }
                    push_filter(&mut q, &dated);
                    q.push(" GROUP BY day");
                    q.build()
                        .fetch_all($pool)
                        .await?
                        .iter()
                        .map(|r| (r.get::<i64, _>(0), r.get::<i64, _>(1)))
                        .collect::<Vec<_>>()
                }};
            }
            let rows = match self {
                Store::Sqlite(pool) => rows!(pool, sqlx::Sqlite),
                Store::Postgres(pool) => rows!(pool, sqlx::Postgres),
            };
            for (day, count) in rows {
                let entry = days.entry(day).or_insert(DayCount { day, ..DayCount::default() });
                if decided {
                    entry.decided += count;
                } else {
                    entry.submitted += count;
                }
            }
        }
        Ok(days.into_values().collect())
    }
}

/// The `q`th quantile (0–1) of a bucketed distribution, in hours,
/// interpolated within its bucket; `None` with no values.
pub fn quantile_hours(buckets: &[i64], q: f64) -> Option<f64> {
    let total: i64 = buckets.iter().sum();
    if total == 0 {
        return None;
    }
    let target = q * total as f64;
    let mut seen = 0.0;
    for (i, &count) in buckets.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let lower = if i == 0 { 0.0 } else { TURNAROUND_HOURS[i - 1] as f64 };
        let upper = TURNAROUND_HOURS.get(i).map_or(lower * 2.0, |h| *h as f64);
        if seen + count as f64 >= target {
            return Some(lower + (upper - lower) * ((target - seen) / count as f64));
        }
        seen += count as f64;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_come_from_the_buckets() {
        let mut buckets = vec![0; TURNAROUND_HOURS.len() + 1];
        assert_eq!(quantile_hours(&buckets, 0.5), None);
        // Ten decided between 24 and 48 hours.
        buckets[6] = 10;
        assert_eq!(quantile_hours(&buckets, 0.5), Some(36.0));
        assert_eq!(quantile_hours(&buckets, 0.9), Some(45.6));
    }
}
