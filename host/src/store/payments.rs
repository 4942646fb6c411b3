//! Payment orders and the gateway's callbacks (see [`crate::payments`]).
//!
//! An order is written with the turn that asked for it, and marked paid with
//! the turn that fulfilled it ([`super::Store::commit`]); what is here reads
//! orders and keeps the callbacks' audit trail.

use serde::Serialize;
use sqlx::Row;

use super::{Store, now_ms};

/// A payment order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PaymentRecord {
    pub order_id: String,
    pub wa_id: String,
    pub phone_number_id: String,
    pub plugin_id: String,
    pub service_id: String,
    pub amount_paise: u64,
    /// `created`, `paid`, `expired`, `refund_due`, `refunded`.
    pub status: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub paid_at_ms: Option<i64>,
    pub gateway_payment_id: Option<String>,
    pub application_number: Option<String>,
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
     service_id, amount_paise, status, created_at_ms, expires_at_ms, updated_at_ms) \
     VALUES (?, ?, ?, ?, ?, ?, 'created', ?, ?, ?) ON CONFLICT (order_id) DO NOTHING";

/// Marks an order paid for its application, or due back; only from a state
/// money has not yet settled.
pub(super) const SETTLE: &str = "UPDATE payments SET status = ?, paid_at_ms = ?, gateway_payment_id = ?, \
     application_number = ?, updated_at_ms = ? WHERE order_id = ? AND status IN ('created', 'expired')";

impl Store {
    /// The order `order_id`, if any.
    pub async fn payment(&self, order_id: &str) -> anyhow::Result<Option<PaymentRecord>> {
        let sql = self.sql(
            "SELECT order_id, wa_id, phone_number_id, plugin_id, service_id, amount_paise, status, created_at_ms, \
             expires_at_ms, paid_at_ms, gateway_payment_id, application_number FROM payments WHERE order_id = ?",
        );
        let record = with_pool!(self, pool => sqlx::query(&sql).bind(order_id).fetch_optional(pool).await?.map(|r| {
            PaymentRecord {
                order_id: r.get(0),
                wa_id: r.get(1),
                phone_number_id: r.get(2),
                plugin_id: r.get(3),
                service_id: r.get(4),
                amount_paise: u64::try_from(r.get::<i64, _>(5)).unwrap_or(0),
                status: r.get(6),
                created_at_ms: r.get(7),
                expires_at_ms: r.get(8),
                paid_at_ms: r.get(9),
                gateway_payment_id: r.get(10),
                application_number: r.get(11),
            }
        }));
        Ok(record)
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
