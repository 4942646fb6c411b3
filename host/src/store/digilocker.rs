//! DigiLocker as stored: the pushes citizens asked for ("Save to
//! DigiLocker", see [`crate::digilocker::pusher`]) and the pull
//! transactions lately accepted, by which a replayed request is known
//! ([`crate::digilocker::pull`]).

use serde::Serialize;
use sqlx::Row;

use super::grievances::{PENDING_INSERT, pending};
use super::{OutboxItem, Store, now_ms, reply_order};

/// A push a citizen asked for: one per certificate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DigiLockerPush {
    /// The certificate's (application's) number.
    pub number: String,
    pub wa_id: String,
    pub phone_number_id: String,
    /// `en`, `te` or `hi`: what the citizen is told in.
    pub language: String,
    /// [`PUSH_PENDING`], [`PUSH_SAVED`] or [`PUSH_FAILED`].
    pub state: String,
    /// Attempts claimed so far.
    pub attempts: i64,
    pub next_attempt_at_ms: i64,
    pub requested_at_ms: i64,
    pub finished_at_ms: Option<i64>,
    /// The URI DigiLocker keeps, once saved.
    pub uri: Option<String>,
    pub last_error: Option<String>,
}

pub const PUSH_PENDING: &str = "pending";
pub const PUSH_SAVED: &str = "saved";
pub const PUSH_FAILED: &str = "failed";

impl DigiLockerPush {
    /// A push of certificate `number` asked for by `wa_id` (writing to
    /// `phone_number_id`, in `language`) at `now`, first due at `due_at_ms`.
    pub fn requested(
        number: &str,
        wa_id: &str,
        phone_number_id: &str,
        language: &str,
        now: i64,
        due_at_ms: i64,
    ) -> Self {
        Self {
            number: number.to_owned(),
            wa_id: wa_id.to_owned(),
            phone_number_id: phone_number_id.to_owned(),
            language: language.to_owned(),
            state: PUSH_PENDING.into(),
            attempts: 0,
            next_attempt_at_ms: due_at_ms,
            requested_at_ms: now,
            finished_at_ms: None,
            uri: None,
            last_error: None,
        }
    }
}

/// How a claimed push ended, with the message telling the citizen.
#[derive(Clone, Debug, PartialEq)]
pub enum PushDone<'a> {
    Saved { uri: &'a str, told: &'a OutboxItem },
    Failed { error: &'a str, told: &'a OutboxItem },
}

const COLUMNS: &str = "number, wa_id, phone_number_id, language, state, attempts, next_attempt_at_ms, \
     requested_at_ms, finished_at_ms, uri, last_error";

/// A [`DigiLockerPush`] from a row of [`COLUMNS`] (either database).
macro_rules! push_row {
    ($row:expr) => {
        DigiLockerPush {
            number: $row.get(0),
            wa_id: $row.get(1),
            phone_number_id: $row.get(2),
            language: $row.get(3),
            state: $row.get(4),
            attempts: $row.get(5),
            next_attempt_at_ms: $row.get(6),
            requested_at_ms: $row.get(7),
            finished_at_ms: $row.get(8),
            uri: $row.get(9),
            last_error: $row.get(10),
        }
    };
}

impl Store {
    /// Records `push` unless its certificate already has one. Returns
    /// whether it is new, and the push as it now stands (the earlier one's
    /// state when it is not).
    pub async fn request_digilocker_push(&self, push: &DigiLockerPush) -> anyhow::Result<(bool, DigiLockerPush)> {
        let insert = self.sql(&format!(
            "INSERT INTO digilocker_pushes ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (number) DO NOTHING"
        ));
        let inserted = with_pool!(self, pool => sqlx::query(&insert)
            .bind(&push.number).bind(&push.wa_id).bind(&push.phone_number_id).bind(&push.language)
            .bind(&push.state).bind(push.attempts).bind(push.next_attempt_at_ms).bind(push.requested_at_ms)
            .bind(push.finished_at_ms).bind(&push.uri).bind(&push.last_error)
            .execute(pool).await?.rows_affected());
        let stands = self
            .digilocker_push(&push.number)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the push of {} is gone", push.number))?;
        Ok((inserted == 1, stands))
    }

    /// The push of certificate `number`, if one was asked for.
    pub async fn digilocker_push(&self, number: &str) -> anyhow::Result<Option<DigiLockerPush>> {
        let sql = self.sql(&format!("SELECT {COLUMNS} FROM digilocker_pushes WHERE number = ?"));
        Ok(with_pool!(self, pool => sqlx::query(&sql).bind(number).fetch_optional(pool).await?.map(|r| push_row!(r))))
    }

    /// Claims up to `limit` pending pushes that are due, oldest due first,
    /// each for `lease_ms` (past it, a push whose pusher stopped is due
    /// again) and counted as an attempt. On PostgreSQL concurrent hosts skip
    /// each other's rows, so a push is claimed by one.
    pub async fn claim_digilocker_pushes(&self, lease_ms: i64, limit: i64) -> anyhow::Result<Vec<DigiLockerPush>> {
        let now = now_ms();
        let lock = match self {
            Store::Sqlite(_) => "",
            Store::Postgres(_) => "FOR UPDATE SKIP LOCKED",
        };
        let sql = self.sql(&format!(
            "UPDATE digilocker_pushes SET attempts = attempts + 1, next_attempt_at_ms = ? \
             WHERE number IN (SELECT number FROM digilocker_pushes WHERE state = 'pending' \
             AND next_attempt_at_ms <= ? ORDER BY next_attempt_at_ms LIMIT ? {lock}) RETURNING {COLUMNS}"
        ));
        let mut claimed: Vec<DigiLockerPush> = with_pool!(self, pool => sqlx::query(&sql)
            .bind(now.saturating_add(lease_ms)).bind(now).bind(limit)
            .fetch_all(pool).await?.into_iter().map(|r| push_row!(r)).collect());
        claimed.sort_by_key(|p| p.requested_at_ms);
        Ok(claimed)
    }

    /// When the next pending push is due, if any is pending.
    pub async fn next_digilocker_push_due(&self) -> anyhow::Result<Option<i64>> {
        let sql = "SELECT min(next_attempt_at_ms) FROM digilocker_pushes WHERE state = 'pending'";
        Ok(with_pool!(self, pool => sqlx::query_scalar::<_, Option<i64>>(sql).fetch_one(pool).await?))
    }

    /// A failed attempt of a claimed push: due again at `retry_at_ms`.
    pub async fn retry_digilocker_push(&self, number: &str, retry_at_ms: i64, error: &str) -> anyhow::Result<()> {
        let sql = self.sql(
            "UPDATE digilocker_pushes SET next_attempt_at_ms = ?, last_error = ? WHERE number = ? AND state = 'pending'",
        );
        with_pool!(self, pool => {
            sqlx::query(&sql).bind(retry_at_ms).bind(error).bind(number).execute(pool).await?;
        });
        Ok(())
    }

    /// Ends pending push `number` as `done`, queueing the citizen's message
    /// in the same transaction. Returns `false` (and queues nothing) when it
    /// had already ended: the citizen is told once.
    pub async fn finish_digilocker_push(&self, number: &str, done: &PushDone<'_>) -> anyhow::Result<bool> {
        let now = now_ms();
        let (finish, enqueue) = (
            self.sql(
                "UPDATE digilocker_pushes SET state = ?, finished_at_ms = ?, uri = ?, last_error = ? \
                 WHERE number = ? AND state = 'pending'",
            ),
            self.sql(PENDING_INSERT),
        );
        let (state, uri, error, told) = match done {
            PushDone::Saved { uri, told } => (PUSH_SAVED, Some(*uri), None, *told),
            PushDone::Failed { error, told } => (PUSH_FAILED, None, Some(*error), *told),
        };
        let finished = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(&finish)
                .bind(state).bind(now).bind(uri).bind(error).bind(number)
                .execute(&mut *tx).await?.rows_affected();
            if changed == 1 {
                pending!(&enqueue, told, now).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            changed == 1
        });
        Ok(finished)
    }

    /// Queues `item` (the offer to save a certificate just sent) unless
    /// certificate `number` already has a push. Returns whether it was queued.
    pub async fn offer_digilocker_push(&self, number: &str, item: &OutboxItem) -> anyhow::Result<bool> {
        let (asked, enqueue) =
            (self.sql("SELECT count(*) FROM digilocker_pushes WHERE number = ?"), self.sql(PENDING_INSERT));
        let now = now_ms();
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let asked: i64 = sqlx::query_scalar(&asked).bind(number).fetch_one(&mut *tx).await?;
            let queued = if asked == 0 { pending!(&enqueue, item, now).execute(&mut *tx).await?.rows_affected() } else { 0 };
            tx.commit().await?;
            queued == 1
        }))
    }

    /// Remembers transaction `txn` of `endpoint`; `false` when it was seen
    /// already (a replay). Transactions seen before `forget_before_ms` are
    /// forgotten first: by then their `ts` is no longer accepted anyway.
    pub async fn remember_digilocker_txn(
        &self,
        endpoint: &str,
        txn: &str,
        forget_before_ms: i64,
    ) -> anyhow::Result<bool> {
        let (forget, remember) = (
            self.sql("DELETE FROM digilocker_txns WHERE seen_at_ms < ?"),
            self.sql(
                "INSERT INTO digilocker_txns (endpoint, txn, seen_at_ms) VALUES (?, ?, ?) \
                 ON CONFLICT (endpoint, txn) DO NOTHING",
            ),
        );
        let remembered = with_pool!(self, pool => {
            sqlx::query(&forget).bind(forget_before_ms).execute(pool).await?;
            sqlx::query(&remember).bind(endpoint).bind(txn).bind(now_ms()).execute(pool).await?.rows_affected()
        });
        Ok(remembered == 1)
    }

    /// Forgets transaction `txn` of `endpoint`: it was not answered (the
    /// database or the layout failed), so DigiLocker may send it again.
    pub async fn forget_digilocker_txn(&self, endpoint: &str, txn: &str) -> anyhow::Result<()> {
        let sql = self.sql("DELETE FROM digilocker_txns WHERE endpoint = ? AND txn = ?");
        with_pool!(self, pool => {
            sqlx::query(&sql).bind(endpoint).bind(txn).execute(pool).await?;
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> Store {
        Store::connect("sqlite::memory:").await.unwrap()
    }

    fn told(id: &str) -> OutboxItem {
        OutboxItem {
            id: id.into(),
            phone_number_id: "PNID-1".into(),
            wa_id: "919866600101".into(),
            body: "{}".into(),
            attempts: 0,
            window_until_ms: None,
            fallback: None,
        }
    }

    #[tokio::test]
    async fn a_certificate_has_one_push_however_often_it_is_asked_for() {
        let store = store().await;
        let now = now_ms();
        let push = DigiLockerPush::requested("MTR-1", "919866600101", "PNID-1", "te", now, now);
        let (new, stands) = store.request_digilocker_push(&push).await.unwrap();
        assert!(new);
        assert_eq!(stands, push);
        let again = DigiLockerPush { language: "en".into(), ..push.clone() };
        let (new, stands) = store.request_digilocker_push(&again).await.unwrap();
        assert!(!new);
        assert_eq!(stands.language, "te", "the first request stands");
    }

    #[tokio::test]
    async fn a_claimed_push_is_leased_and_counted_and_ends_once() {
        let store = store().await;
        let now = now_ms();
        store.request_digilocker_push(&DigiLockerPush::requested("MTR-1", "9", "P", "en", now, now)).await.unwrap();
        store
            .request_digilocker_push(&DigiLockerPush::requested("MTR-2", "9", "P", "en", now, now + 3_600_000))
            .await
            .unwrap();
        let claimed = store.claim_digilocker_pushes(60_000, 10).await.unwrap();
        assert_eq!(claimed.iter().map(|p| p.number.as_str()).collect::<Vec<_>>(), ["MTR-1"], "only what is due");
        assert_eq!(claimed[0].attempts, 1);
        assert!(store.claim_digilocker_pushes(60_000, 10).await.unwrap().is_empty(), "leased");
        assert_eq!(store.next_digilocker_push_due().await.unwrap(), Some(claimed[0].next_attempt_at_ms));

        store.retry_digilocker_push("MTR-1", now, "HTTP 503").await.unwrap();
        let again = store.claim_digilocker_pushes(60_000, 10).await.unwrap();
        assert_eq!((again[0].attempts, again[0].last_error.as_deref()), (2, Some("HTTP 503")));

        let message = told("MTR-1/digilocker/saved");
        let saved = PushDone::Saved { uri: "in.gov.ap.mitra-BTCER-MTR-1", told: &message };
        assert!(store.finish_digilocker_push("MTR-1", &saved).await.unwrap());
        let failed = PushDone::Failed { error: "x", told: &told("MTR-1/digilocker/failed") };
        assert!(!store.finish_digilocker_push("MTR-1", &failed).await.unwrap(), "it had ended");
        let push = store.digilocker_push("MTR-1").await.unwrap().unwrap();
        assert_eq!((push.state.as_str(), push.uri.as_deref()), (PUSH_SAVED, Some("in.gov.ap.mitra-BTCER-MTR-1")));
        assert!(store.outbox_state("MTR-1/digilocker/saved").await.unwrap().is_some());
        assert!(store.outbox_state("MTR-1/digilocker/failed").await.unwrap().is_none(), "told once");
    }

    #[tokio::test]
    async fn the_offer_is_not_queued_once_the_certificate_has_a_push() {
        let store = store().await;
        assert!(store.offer_digilocker_push("MTR-1", &told("a")).await.unwrap());
        assert!(!store.offer_digilocker_push("MTR-1", &told("a")).await.unwrap(), "the same offer once");
        let now = now_ms();
        store.request_digilocker_push(&DigiLockerPush::requested("MTR-1", "9", "P", "en", now, now)).await.unwrap();
        assert!(!store.offer_digilocker_push("MTR-1", &told("b")).await.unwrap());
    }

    #[tokio::test]
    async fn a_transaction_is_taken_once_until_it_is_forgotten() {
        let store = store().await;
        let long_ago = now_ms() - 3_600_000;
        assert!(store.remember_digilocker_txn("pulluri", "7781", long_ago).await.unwrap());
        assert!(!store.remember_digilocker_txn("pulluri", "7781", long_ago).await.unwrap());
        assert!(store.remember_digilocker_txn("pulldoc", "7781", long_ago).await.unwrap(), "per endpoint");
        store.forget_digilocker_txn("pulluri", "7781").await.unwrap();
        assert!(store.remember_digilocker_txn("pulluri", "7781", long_ago).await.unwrap());
        // Seen before the cut: forgotten.
        assert!(store.remember_digilocker_txn("pulluri", "7781", now_ms() + 1).await.unwrap());
    }
}
