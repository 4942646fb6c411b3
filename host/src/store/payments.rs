//! Payment orders and the gateway's callbacks (see [`crate::payments`]).
//!
//! An order is written with the turn that asked for it, and marked paid with
//! the turn that fulfilled it ([`super::Store::commit`]); what is here reads
//! orders, keeps the callbacks' audit trail, and takes the reconciler's steps
//! ([`crate::payments::reconcile`]): orders to ask the gateway about, orders
//! that expired unpaid, and refunds claimed, made and told.

use serde::Serialize;
use sqlx::Row;

use super::grievances::{PENDING_INSERT, pending};
use super::{OutboxItem, Store, now_ms, reply_order};

/// A payment order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PaymentRecord {
    pub order_id: String,
    pub wa_id: String,
    pub phone_number_id: String,
    pub plugin_id: String,
    pub service_id: String,
    pub amount_paise: u64,
    /// `created`, `paid`, `expired`, `refund_due`, `refunding`, `refunded`.
    pub status: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub paid_at_ms: Option<i64>,
    pub gateway_payment_id: Option<String>,
    pub application_number: Option<String>,
    /// The gateway's refund, once the money went back.
    pub refund_id: Option<String>,
    /// `en`, `te` or `hi`: the language the citizen applied in.
    pub language: String,
}

/// What a fulfilling turn records of the payment it fulfilled.
#[derive(Clone, Debug, PartialEq)]
pub struct PaymentSettled {
    pub order_id: String,
    pub gateway_payment_id: String,
    /// The application it paid for; `None` when the money came for an order
    /// the conversation no longer waited on (it is then due back).
    pub application_number: Option<String>,
}

pub(super) const ORDER_INSERT: &str = "INSERT INTO payments (order_id, wa_id, phone_number_id, plugin_id, \
     service_id, amount_paise, status, created_at_ms, expires_at_ms, updated_at_ms, language) \
     VALUES (?, ?, ?, ?, ?, ?, 'created', ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING";

const COLUMNS: &str = "order_id, wa_id, phone_number_id, plugin_id, service_id, amount_paise, status, created_at_ms, \
     expires_at_ms, paid_at_ms, gateway_payment_id, application_number, refund_id, language";

/// A row of [`COLUMNS`] from either database.
trait RowLike {
    fn record(&self) -> PaymentRecord;
}

macro_rules! row_like {
    ($row:ty) => {
        impl RowLike for $row {
            fn record(&self) -> PaymentRecord {
                PaymentRecord {
                    order_id: self.get(0),
                    wa_id: self.get(1),
                    phone_number_id: self.get(2),
                    plugin_id: self.get(3),
                    service_id: self.get(4),
                    amount_paise: u64::try_from(self.get::<i64, _>(5)).unwrap_or(0),
                    status: self.get(6),
                    created_at_ms: self.get(7),
                    expires_at_ms: self.get(8),
                    paid_at_ms: self.get(9),
                    gateway_payment_id: self.get(10),
                    application_number: self.get(11),
                    refund_id: self.get(12),
                    language: self.get(13),
                }
            }
        }
    };
}
row_like!(sqlx::sqlite::SqliteRow);
row_like!(sqlx::postgres::PgRow);

/// How a claimed refund ended.
#[derive(Clone, Debug, PartialEq)]
pub enum RefundDone<'a> {
    /// The gateway refunded it as `refund_id`; `told` is the citizen's message.
    Refunded { refund_id: &'a str, told: &'a OutboxItem },
    /// The gateway did not: due again on a later round.
    Failed,
}

/// Marks an order paid for its application, or due back; only from a state
/// money has not yet settled.
pub(super) const SETTLE: &str = "UPDATE payments SET status = ?, paid_at_ms = ?, gateway_payment_id = ?, \
     application_number = ?, updated_at_ms = ? WHERE order_id = ? AND status IN ('created', 'expired')";

impl Store {
    /// The order `order_id`, if any.
    pub async fn payment(&self, order_id: &str) -> anyhow::Result<Option<PaymentRecord>> {
        let sql = self.sql(&format!("SELECT {COLUMNS} FROM payments WHERE order_id = ?"));
        Ok(
            with_pool!(self, pool => sqlx::query(&sql).bind(order_id).fetch_optional(pool).await?.as_ref().map(RowLike::record)),
        )
    }

    /// Orders still unpaid made before `made_before_ms` and not asked about
    /// since `checked_before_ms`: the gateway is asked about them when their
    /// callback has not come. Oldest first, at most `limit`.
    pub async fn payments_to_check(
        &self,
        made_before_ms: i64,
        checked_before_ms: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<PaymentRecord>> {
        let sql = self.sql(&format!(
            "SELECT {COLUMNS} FROM payments WHERE status = 'created' AND created_at_ms <= ? \
             AND (checked_at_ms IS NULL OR checked_at_ms <= ?) ORDER BY created_at_ms LIMIT ?"
        ));
        Ok(with_pool!(self, pool => sqlx::query(&sql)
            .bind(made_before_ms).bind(checked_before_ms).bind(limit)
            .fetch_all(pool).await?.iter().map(RowLike::record).collect()))
    }

    /// Notes that the gateway was asked about `order_id`; with `expired`, the
    /// order (still unpaid, past its time, and nothing taken at the gateway)
    /// is marked expired. Returns whether it was marked so.
    pub async fn payment_checked(&self, order_id: &str, expired: bool) -> anyhow::Result<bool> {
        let sql = self.sql(
            "UPDATE payments SET checked_at_ms = ?, status = CASE WHEN ? THEN 'expired' ELSE status END, \
             updated_at_ms = ? WHERE order_id = ? AND status = 'created'",
        );
        let now = now_ms();
        let changed = with_pool!(self, pool => sqlx::query(&sql)
            .bind(now).bind(expired).bind(now).bind(order_id)
            .execute(pool).await?.rows_affected());
        Ok(expired && changed == 1)
    }

    /// Claims up to `limit` orders whose money is due back: `refund_due`
    /// ones, and `refunding` ones whose claim is older than `lease_ms` (a
    /// host that stopped mid-refund). A claimed order is this caller's alone
    /// until the lease runs out.
    pub async fn claim_refunds(&self, lease_ms: i64, limit: i64) -> anyhow::Result<Vec<PaymentRecord>> {
        let now = now_ms();
        let stale = now.saturating_sub(lease_ms);
        let candidates = self.sql(&format!(
            "SELECT {COLUMNS}, updated_at_ms FROM payments \
             WHERE status = 'refund_due' OR (status = 'refunding' AND updated_at_ms <= ?) \
             ORDER BY updated_at_ms LIMIT ?"
        ));
        let claim = self.sql(
            "UPDATE payments SET status = 'refunding', updated_at_ms = ? \
             WHERE order_id = ? AND status = ? AND updated_at_ms = ?",
        );
        let mut claimed = Vec::new();
        with_pool!(self, pool => {
            let rows = sqlx::query(&candidates).bind(stale).bind(limit).fetch_all(pool).await?;
            for row in rows {
                let order = row.record();
                let since: i64 = row.get(14);
                let taken = sqlx::query(&claim)
                    .bind(now).bind(&order.order_id).bind(&order.status).bind(since)
                    .execute(pool).await?.rows_affected();
                if taken == 1 {
                    claimed.push(PaymentRecord { status: "refunding".into(), ..order });
                }
            }
        });
        Ok(claimed)
    }

    /// Ends a claimed refund of `order_id`: refunded, with the citizen's
    /// message queued in the same transaction; or due again.
    pub async fn refund_done(&self, order_id: &str, done: &RefundDone<'_>) -> anyhow::Result<()> {
        let now = now_ms();
        let (refunded, failed, enqueue) = (
            self.sql(
                "UPDATE payments SET status = 'refunded', refund_id = ?, refunded_at_ms = ?, updated_at_ms = ? \
                 WHERE order_id = ? AND status = 'refunding'",
            ),
            self.sql("UPDATE payments SET status = 'refund_due', updated_at_ms = ? WHERE order_id = ? AND status = 'refunding'"),
            self.sql(PENDING_INSERT),
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            match done {
                RefundDone::Refunded { refund_id, told } => {
                    let changed = sqlx::query(&refunded)
                        .bind(refund_id).bind(now).bind(now).bind(order_id)
                        .execute(&mut *tx).await?.rows_affected();
                    if changed == 1 {
                        pending!(&enqueue, *told, now).execute(&mut *tx).await?;
                    }
                }
                RefundDone::Failed => {
                    sqlx::query(&failed).bind(now).bind(order_id).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Keeps a signed callback's outcome; `false` when the same body was
    /// already kept (a retry or a replay: counted, not acted on twice).
    pub async fn record_payment_callback(
        &self,
        body_sha256: &str,
        order_id: Option<&str>,
        outcome: &str,
        detail: &str,
    ) -> anyhow::Result<bool> {
        let sql = self.sql(
            "INSERT INTO payment_callbacks (body_sha256, order_id, received_at_ms, outcome, detail) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (body_sha256) DO UPDATE \
             SET deliveries = payment_callbacks.deliveries + 1 RETURNING deliveries",
        );
        let deliveries: i64 = with_pool!(self, pool => sqlx::query_scalar(&sql)
            .bind(body_sha256)
            .bind(order_id)
            .bind(now_ms())
            .bind(outcome)
            .bind(detail)
            .fetch_one(pool)
            .await?);
        Ok(deliveries == 1)
    }

    /// The audit trail of `order_id`'s callbacks: `(outcome, detail, deliveries)`, oldest first.
    pub async fn payment_callbacks(&self, order_id: &str) -> anyhow::Result<Vec<(String, String, i64)>> {
        let sql = self.sql(
            "SELECT outcome, detail, deliveries FROM payment_callbacks WHERE order_id = ? ORDER BY received_at_ms",
        );
        let rows = with_pool!(self, pool => sqlx::query(&sql).bind(order_id).fetch_all(pool).await?
            .into_iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect());
        Ok(rows)
    }
}
