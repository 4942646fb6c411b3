//! What the console reads of fees: the orders a filter selects, their
//! totals by status, and the money collected per department per day in
//! India. One set of statements for both databases (`?` placeholders,
//! rewritten for PostgreSQL by [`Store::sql`]).
//!
//! An order's status here is what it is now: an order still `created`
//! whose link has run out is `expired` (the conversation replaces it only
//! when the citizen writes again, and nothing else rewrites the row).

use serde::Serialize;
use sqlx::Row;

use super::Store;

/// Every status an order can be in, as the console shows them.
pub const PAYMENT_STATUSES: [&str; 6] = ["created", "paid", "expired", "refund_due", "refunding", "refunded"];

/// India is 5 h 30 min ahead of UTC: its days start then.
const IST_MS: i64 = 19_800_000;
const DAY_MS: i64 = 86_400_000;

/// Which orders a report covers.
#[derive(Clone, Debug, Default)]
pub struct PaymentFilter {
    /// Only these departments (plugin ids); `None` for all.
    pub departments: Option<Vec<String>>,
    pub service: Option<String>,
    /// Only orders in these statuses ([`PAYMENT_STATUSES`], as they are at
    /// `now_ms`); empty for all.
    pub statuses: Vec<String>,
    /// From and before (Unix ms): the order's creation for lists and
    /// totals, the payment's for collections.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// When an unpaid order's link is judged to have run out.
    pub now_ms: i64,
    pub limit: i64,
    pub offset: i64,
}

/// One order as the console lists it and the reconciliation CSV writes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PaymentLine {
    pub order_id: String,
    pub department: String,
    pub service: String,
    pub amount_paise: i64,
    /// As it is now (see the module's note on `expired`).
    pub status: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub paid_at_ms: Option<i64>,
    pub gateway_payment_id: Option<String>,
    pub application_number: Option<String>,
    pub refund_id: Option<String>,
    pub refunded_at_ms: Option<i64>,
    /// The gateway's deliveries of callbacks for this order, every kind
    /// (kept, refused, replayed) counted.
    pub callback_deliveries: i64,
    /// Attempts the gateway reported failed (`payment.failed`).
    pub failed_attempts: i64,
}

/// Orders in one status and their amount.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StatusTotal {
    pub status: String,
    pub count: i64,
    pub amount_paise: i64,
}

/// Money collected for one department on one day (days since the epoch, in India).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Collection {
    pub department: String,
    pub day: i64,
    pub count: i64,
    pub amount_paise: i64,
}

/// The totals of the orders a filter selects.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PaymentTotals {
    /// Per status, each status of [`PAYMENT_STATUSES`] once, in that order.
    pub by_status: Vec<StatusTotal>,
    /// Attempts the gateway reported failed, for these orders.
    pub failed_attempts: i64,
}

impl PaymentTotals {
    /// The orders in `status`.
    pub fn of(&self, status: &str) -> StatusTotal {
        self.by_status.iter().find(|t| t.status == status).cloned().unwrap_or_default()
    }

    /// The orders in any of `statuses`, added up.
    pub fn sum(&self, statuses: &[&str]) -> StatusTotal {
        let mut sum = StatusTotal { status: statuses.join("+"), ..StatusTotal::default() };
        for t in self.by_status.iter().filter(|t| statuses.contains(&t.status.as_str())) {
            sum.count += t.count;
            sum.amount_paise += t.amount_paise;
        }
        sum
    }
}

/// A value bound to a `?`, in the order the statement names them.
enum Bind {
    Text(String),
    Int(i64),
}

/// The status an order is in now, for a `?` bound to the time.
const STATUS_NOW: &str = "(CASE WHEN p.status = 'created' AND p.expires_at_ms <= ? THEN 'expired' ELSE p.status END)";

/// Money was taken for these (whatever became of it since).
const CAPTURED: &str = "p.paid_at_ms IS NOT NULL";

/// `AND …` for everything in `filter` but its dates, with the values to
/// bind. A filter for no department at all selects nothing.
fn conditions(filter: &PaymentFilter, binds: &mut Vec<Bind>) -> String {
    let mut sql = String::new();
    if let Some(departments) = &filter.departments {
        if departments.is_empty() {
            sql.push_str(" AND 1 = 0");
        } else {
            sql.push_str(&format!(" AND p.plugin_id IN ({})", vec!["?"; departments.len()].join(", ")));
            binds.extend(departments.iter().cloned().map(Bind::Text));
        }
    }
    if let Some(service) = &filter.service {
        sql.push_str(" AND p.service_id = ?");
        binds.push(Bind::Text(service.clone()));
    }
    if !filter.statuses.is_empty() {
        sql.push_str(&format!(" AND {STATUS_NOW} IN ({})", vec!["?"; filter.statuses.len()].join(", ")));
        binds.push(Bind::Int(filter.now_ms));
        binds.extend(filter.statuses.iter().cloned().map(Bind::Text));
    }
    sql
}

/// `AND …` for the filter's dates on `column`.
fn dates(filter: &PaymentFilter, column: &str, binds: &mut Vec<Bind>) -> String {
    let mut sql = String::new();
    if let Some(from) = filter.from_ms {
        sql.push_str(&format!(" AND {column} >= ?"));
        binds.push(Bind::Int(from));
    }
    if let Some(to) = filter.to_ms {
        sql.push_str(&format!(" AND {column} < ?"));
        binds.push(Bind::Int(to));
    }
    sql
}

/// Runs `$sql` with `$binds` on whichever database the store has and maps
/// each row with `$row`.
macro_rules! fetch {
    ($store:expr, $sql:expr, $binds:expr, |$r:ident| $row:expr) => {{
        let sql = $store.sql(&$sql);
        with_pool!($store, pool => {
            let mut query = sqlx::query(&sql);
            for bind in $binds {
                query = match bind {
                    Bind::Text(text) => query.bind(text),
                    Bind::Int(n) => query.bind(n),
                };
            }
            query.fetch_all(pool).await?.iter().map(|$r| $row).collect::<Vec<_>>()
        })
    }};
}

impl Store {
    /// The orders `filter` selects (created within its dates), newest first.
    pub async fn payment_lines(&self, filter: &PaymentFilter) -> anyhow::Result<Vec<PaymentLine>> {
        let mut binds = vec![Bind::Int(filter.now_ms)];
        let mut sql = format!(
            "SELECT p.order_id, p.plugin_id, p.service_id, p.amount_paise, {STATUS_NOW}, p.created_at_ms, \
             p.expires_at_ms, p.paid_at_ms, p.gateway_payment_id, p.application_number, p.refund_id, \
             p.refunded_at_ms, \
             (SELECT CAST(COALESCE(SUM(c.deliveries), 0) AS BIGINT) FROM payment_callbacks c \
              WHERE c.order_id = p.order_id), \
             (SELECT count(*) FROM payment_callbacks c WHERE c.order_id = p.order_id \
              AND c.outcome = 'accepted' AND c.detail = 'payment.failed') \
             FROM payments p WHERE 1 = 1"
        );
        sql.push_str(&conditions(filter, &mut binds));
        sql.push_str(&dates(filter, "p.created_at_ms", &mut binds));
        sql.push_str(" ORDER BY p.created_at_ms DESC, p.order_id LIMIT ? OFFSET ?");
        binds.push(Bind::Int(filter.limit));
        binds.push(Bind::Int(filter.offset));
        Ok(fetch!(self, sql, binds, |r| PaymentLine {
            order_id: r.get(0),
            department: r.get(1),
            service: r.get(2),
            amount_paise: r.get(3),
            status: r.get(4),
            created_at_ms: r.get(5),
            expires_at_ms: r.get(6),
            paid_at_ms: r.get(7),
            gateway_payment_id: r.get(8),
            application_number: r.get(9),
            refund_id: r.get(10),
            refunded_at_ms: r.get(11),
            callback_deliveries: r.get(12),
            failed_attempts: r.get(13),
        }))
    }

    /// How many orders `filter` selects (created within its dates) are in
    /// each status and for how much, and how many attempts to pay them failed.
    pub async fn payment_totals(&self, filter: &PaymentFilter) -> anyhow::Result<PaymentTotals> {
        let mut binds = vec![Bind::Int(filter.now_ms)];
        let mut sql = format!(
            "SELECT {STATUS_NOW} AS now_status, count(*), CAST(COALESCE(SUM(p.amount_paise), 0) AS BIGINT) \
             FROM payments p WHERE 1 = 1"
        );
        sql.push_str(&conditions(filter, &mut binds));
        sql.push_str(&dates(filter, "p.created_at_ms", &mut binds));
        sql.push_str(" GROUP BY now_status");
        let found: Vec<StatusTotal> =
            fetch!(self, sql, binds, |r| StatusTotal { status: r.get(0), count: r.get(1), amount_paise: r.get(2) });

        let mut binds = Vec::new();
        let mut sql = String::from(
            "SELECT count(*) FROM payment_callbacks c JOIN payments p ON p.order_id = c.order_id \
             WHERE c.outcome = 'accepted' AND c.detail = 'payment.failed'",
        );
        sql.push_str(&conditions(filter, &mut binds));
        sql.push_str(&dates(filter, "p.created_at_ms", &mut binds));
        let failed: Vec<i64> = fetch!(self, sql, binds, |r| r.get(0));

        let mut by_status: Vec<StatusTotal> = PAYMENT_STATUSES
            .iter()
            .map(|s| {
                found
                    .iter()
                    .find(|t| t.status == *s)
                    .cloned()
                    .unwrap_or(StatusTotal { status: s.to_string(), ..StatusTotal::default() })
            })
            .collect();
        // A status this code does not know (written by a newer host) is shown, not dropped.
        by_status.extend(found.into_iter().filter(|t| !PAYMENT_STATUSES.contains(&t.status.as_str())));
        Ok(PaymentTotals { by_status, failed_attempts: failed.first().copied().unwrap_or(0) })
    }

    /// The money taken for the orders `filter` selects, per department per
    /// day of payment (India) within its dates: every captured payment,
    /// those since due back or refunded included (the gateway took them).
    pub async fn payment_collections(&self, filter: &PaymentFilter) -> anyhow::Result<Vec<Collection>> {
        let mut binds = Vec::new();
        let mut sql = format!(
            "SELECT p.plugin_id, (p.paid_at_ms + {IST_MS}) / {DAY_MS} AS day, count(*), \
             CAST(COALESCE(SUM(p.amount_paise), 0) AS BIGINT) FROM payments p WHERE {CAPTURED}"
        );
        sql.push_str(&conditions(filter, &mut binds));
        sql.push_str(&dates(filter, "p.paid_at_ms", &mut binds));
        sql.push_str(" GROUP BY p.plugin_id, day ORDER BY day, p.plugin_id");
        Ok(fetch!(self, sql, binds, |r| Collection {
            department: r.get(0),
            day: r.get(1),
            count: r.get(2),
            amount_paise: r.get(3),
        }))
    }
}

/// The day (days since the epoch, in India) `ms` falls on.
pub fn india_day(ms: i64) -> i64 {
    (ms + IST_MS).div_euclid(DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Midnight in India starting `day` (days since the epoch).
    fn midnight(day: i64) -> i64 {
        day * DAY_MS - IST_MS
    }

    /// An order as the turns store it, at the times given.
    async fn order(store: &Store, id: &str, department: &str, status: &str, created: i64, paid: Option<i64>) {
        let sql = store.sql(
            "INSERT INTO payments (order_id, wa_id, phone_number_id, plugin_id, service_id, amount_paise, status, \
             created_at_ms, expires_at_ms, paid_at_ms, updated_at_ms) VALUES (?, '919800000000', 'P', ?, 's', ?, ?, \
             ?, ?, ?, ?)",
        );
        let amount: i64 = if department == "revenue" { 4500 } else { 5000 };
        with_pool!(store, pool => {
            sqlx::query(&sql).bind(id).bind(department).bind(amount).bind(status).bind(created)
                .bind(created + 900_000).bind(paid).bind(created).execute(pool).await.unwrap();
        });
    }

    #[tokio::test]
    async fn days_split_at_midnight_in_india_and_unpaid_links_that_ran_out_are_expired() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        // 2026-12-04 in India, judged at 02:00 there.
        let today = 20_791;
        let (start, yesterday_end) = (midnight(today), midnight(today) - 1);
        let now = start + 7_200_000;
        order(&store, "A", "municipal", "paid", yesterday_end - 60_000, Some(yesterday_end)).await;
        order(&store, "B", "municipal", "paid", start, Some(start)).await;
        order(&store, "C", "revenue", "refund_due", start, Some(start + 1)).await;
        // Links are good for 15 minutes: D's ran out, E's has not.
        order(&store, "D", "municipal", "created", start + 600_000, None).await;
        order(&store, "E", "municipal", "created", now - 60_000, None).await;
        let all = PaymentFilter { now_ms: now, limit: 100, ..PaymentFilter::default() };

        let collections = store.payment_collections(&all).await.unwrap();
        let at = |d: &str, day: i64| collections.iter().find(|c| c.department == d && c.day == day).cloned();
        assert_eq!(at("municipal", today - 1).map(|c| (c.count, c.amount_paise)), Some((1, 5000)));
        assert_eq!(at("municipal", today).map(|c| (c.count, c.amount_paise)), Some((1, 5000)));
        assert_eq!(at("revenue", today).map(|c| (c.count, c.amount_paise)), Some((1, 4500)));
        assert_eq!(collections.len(), 3, "{collections:?}");
        assert_eq!((india_day(yesterday_end), india_day(start)), (today - 1, today));

        let totals = store.payment_totals(&all).await.unwrap();
        assert_eq!(totals.by_status.iter().map(|t| t.status.as_str()).collect::<Vec<_>>(), PAYMENT_STATUSES);
        assert_eq!((totals.of("created").count, totals.of("expired").count, totals.of("paid").count), (1, 1, 2));
        assert_eq!(totals.sum(&["refund_due", "refunding"]).amount_paise, 4500);

        // Today only, by creation: A was made yesterday.
        let today_only = PaymentFilter { from_ms: Some(start), to_ms: Some(start + DAY_MS), ..all.clone() };
        let lines = store.payment_lines(&today_only).await.unwrap();
        assert_eq!(lines.iter().map(|l| l.order_id.as_str()).collect::<Vec<_>>(), ["E", "D", "B", "C"]);
        assert_eq!((lines[0].status.as_str(), lines[1].status.as_str()), ("created", "expired"));
        let expired = PaymentFilter { statuses: vec!["expired".into()], ..today_only.clone() };
        assert_eq!(store.payment_lines(&expired).await.unwrap().len(), 1);
        let none = PaymentFilter { departments: Some(Vec::new()), ..all.clone() };
        assert!(store.payment_lines(&none).await.unwrap().is_empty());
        assert_eq!(store.payment_totals(&none).await.unwrap().sum(&PAYMENT_STATUSES).count, 0);
        let revenue = PaymentFilter { departments: Some(vec!["revenue".into()]), ..all };
        assert_eq!(store.payment_collections(&revenue).await.unwrap().len(), 1);
    }
}
