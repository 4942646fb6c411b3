//! The certificate transparency log's leaves, in the database: appended in
//! index order and never changed, on SQLite and PostgreSQL alike.
//!
//! A certificate's claims hold its own log index, so the index is chosen,
//! the entry signed and the leaf stored in one transaction. On PostgreSQL a
//! transaction-scoped advisory lock makes appends from several hosts take
//! turns: one log, no forks, no gaps.

use sqlx::Row as _;

use super::{Store, now_ms};
use crate::certificates::merkle::{Hash, leaf_hash};

/// The advisory lock appends to the log take on PostgreSQL.
const APPEND_LOCK: i64 = 0x6d69_7472_616c_6f67; // "mitralog"

/// One stored leaf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    pub index: u64,
    pub serial: String,
    pub entry: Vec<u8>,
}

impl Store {
    /// Appends the entry `sign(index)` makes for the next index, under
    /// `serial`; a serial already logged is refused. Returns the index and
    /// the entry.
    pub async fn log_append(
        &self,
        serial: &str,
        sign: impl FnOnce(u64) -> anyhow::Result<Vec<u8>>,
    ) -> anyhow::Result<(u64, Vec<u8>)> {
        macro_rules! append {
            ($pool:expr, $lock:expr) => {{
                let mut tx = $pool.begin().await?;
                if let Some(lock) = $lock {
                    sqlx::query(lock).bind(APPEND_LOCK).execute(&mut *tx).await?;
                }
                let next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(idx) + 1, 0) FROM certificate_log")
                    .fetch_one(&mut *tx)
                    .await?;
                let entry = sign(next as u64)?;
                let sql = self.sql(
                    "INSERT INTO certificate_log (idx, serial, entry, leaf, appended_at_ms) VALUES (?, ?, ?, ?, ?)",
                );
                sqlx::query(&sql)
                    .bind(next)
                    .bind(serial)
                    .bind(&entry)
                    .bind(leaf_hash(&entry).to_vec())
                    .bind(now_ms())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                (next as u64, entry)
            }};
        }
        Ok(match self {
            Store::Sqlite(pool) => append!(pool, None::<&str>),
            Store::Postgres(pool) => append!(pool, Some("SELECT pg_advisory_xact_lock($1)")),
        })
    }

    /// How many leaves the log has.
    pub async fn log_size(&self) -> anyhow::Result<u64> {
        let sql = "SELECT COUNT(*) FROM certificate_log";
        let n: i64 = with_pool!(self, pool => sqlx::query_scalar(sql).fetch_one(pool).await?);
        Ok(n as u64)
    }

    /// The leaf hashes of the first `size` leaves, in order.
    pub async fn log_leaves(&self, size: u64) -> anyhow::Result<Vec<Hash>> {
        let sql = self.sql("SELECT leaf FROM certificate_log WHERE idx < ? ORDER BY idx");
        let rows: Vec<Vec<u8>> =
            with_pool!(self, pool => sqlx::query_scalar(&sql).bind(size as i64).fetch_all(pool).await?);
        rows.into_iter()
            .map(|leaf| Hash::try_from(leaf.as_slice()).map_err(|_| anyhow::anyhow!("a stored leaf is not 32 bytes")))
            .collect()
    }

    /// The logged entry of certificate `serial`.
    pub async fn log_entry(&self, serial: &str) -> anyhow::Result<Option<LogEntry>> {
        let sql = self.sql("SELECT idx, serial, entry FROM certificate_log WHERE serial = ?");
        Ok(with_pool!(self, pool => sqlx::query(&sql).bind(serial).fetch_optional(pool).await?.map(|r| LogEntry {
            index: r.get::<i64, _>(0) as u64,
            serial: r.get(1),
            entry: r.get(2),
        })))
    }
}

/// What a revocation came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Revoke {
    Revoked,
    AlreadyRevoked,
    /// No certificate of that serial is in the log.
    NotIssued,
}

/// A certificate withdrawn by an operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevocationRecord {
    pub serial: String,
    pub reason: String,
    pub revoked_by: String,
    pub revoked_at_ms: i64,
}

impl Store {
    /// Revokes logged certificate `serial`; the first revocation stands.
    pub async fn revoke(&self, serial: &str, reason: &str, by: &str) -> anyhow::Result<Revoke> {
        if self.log_entry(serial).await?.is_none() {
            return Ok(Revoke::NotIssued);
        }
        let sql = self.sql(
            "INSERT INTO certificate_revocations (serial, reason, revoked_by, revoked_at_ms) VALUES (?, ?, ?, ?) \
             ON CONFLICT (serial) DO NOTHING",
        );
        let inserted = with_pool!(self, pool => sqlx::query(&sql).bind(serial).bind(reason).bind(by).bind(now_ms()).execute(pool).await?.rows_affected());
        Ok(if inserted == 1 { Revoke::Revoked } else { Revoke::AlreadyRevoked })
    }

    /// Every revoked certificate, oldest revocation first.
    pub async fn revocations(&self) -> anyhow::Result<Vec<RevocationRecord>> {
        let sql = "SELECT serial, reason, revoked_by, revoked_at_ms FROM certificate_revocations ORDER BY revoked_at_ms, serial";
        Ok(with_pool!(self, pool => sqlx::query(sql)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| RevocationRecord { serial: r.get(0), reason: r.get(1), revoked_by: r.get(2), revoked_at_ms: r.get(3) })
            .collect()))
    }
}
