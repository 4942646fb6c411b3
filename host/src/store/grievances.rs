//! Grievances as stored: the ticket, its history, the steps officers take,
//! what the citizen adds (comments, a rating, a reopening) and escalation
//! when the SLA passes; each step one transaction with its event and the
//! messages telling the citizen.

use serde::Serialize;
use sqlx::{QueryBuilder, Row};

use super::registry::{AUDIT_INSERT, audit_insert};
use super::{AuditEntry, OutboxItem, Store, now_ms, reply_order};

pub(super) const EVENT_INSERT: &str =
    "INSERT INTO grievance_events (ticket, at_ms, actor, kind, note) VALUES (?, ?, ?, ?, ?)";

/// An outbox item queued pending (the sender claims it on its next look).
pub(super) const PENDING_INSERT: &str = "INSERT INTO outbox (id, phone_number_id, wa_id, body, state, attempts, \
    next_attempt_at_ms, created_at_ms, window_until_ms, fallback) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?) \
    ON CONFLICT (id) DO NOTHING";

/// The [`PENDING_INSERT`] query for `item`, queued at `now`.
macro_rules! pending {
    ($sql:expr, $item:expr, $now:expr) => {{
        let item: &OutboxItem = $item;
        sqlx::query($sql)
            .bind(&item.id)
            .bind(&item.phone_number_id)
            .bind(&item.wa_id)
            .bind(&item.body)
            .bind($now)
            .bind(reply_order($now))
            .bind(item.window_until_ms)
            .bind(&item.fallback)
    }};
}
pub(super) use pending;

/// A grievance with where it stands.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Grievance {
    pub ticket: String,
    pub wa_id: String,
    pub phone_number_id: String,
    pub language: String,
    pub category: String,
    pub department: String,
    pub description: String,
    pub photo: Option<String>,
    pub location: Option<String>,
    pub status: String,
    pub level: i64,
    pub due_at_ms: i64,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub resolved_at_ms: Option<i64>,
    pub rating: Option<i64>,
    pub reopened: bool,
}

/// One step of a grievance's history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GrievanceEvent {
    pub at_ms: i64,
    pub actor: String,
    pub kind: String,
    pub note: Option<String>,
}

/// What a citizen adds to their grievance, stored with the message that
/// carried it (only if the grievance is theirs and in a state that allows it).
#[derive(Clone, Debug, PartialEq)]
pub enum CitizenNote {
    Comment {
        ticket: String,
        wa_id: String,
        text: String,
    },
    /// A rating of 1–5 closes a resolved grievance.
    Rate {
        ticket: String,
        wa_id: String,
        stars: i64,
    },
    /// A resolved grievance opened again, once, due again from now.
    Reopen {
        ticket: String,
        wa_id: String,
        due_at_ms: i64,
        why: String,
    },
}

/// One step an officer takes on a grievance.
#[derive(Clone, Debug)]
pub struct GrievanceStep<'a> {
    pub ticket: &'a str,
    pub from: &'a [&'a str],
    /// `None` keeps the status (a comment).
    pub to: Option<&'a str>,
    pub actor: &'a str,
    pub kind: &'a str,
    pub note: Option<&'a str>,
    pub notifications: &'a [OutboxItem],
    pub audit: &'a AuditEntry,
}

/// Which grievances a list holds.
#[derive(Clone, Debug, Default)]
pub struct GrievanceFilter {
    pub departments: Option<Vec<String>>,
    pub statuses: Vec<String>,
    /// Only grievances escalated to this level (`None`: every level).
    pub level: Option<i64>,
    pub limit: i64,
}

const COLUMNS: &str = "ticket, wa_id, phone_number_id, language, category, department, description, photo, location, \
    status, level, due_at_ms, created_at_ms, updated_at_ms, resolved_at_ms, rating, reopened";

trait GrievanceRow {
    fn grievance(&self) -> Grievance;
}

macro_rules! grievance_row {
    ($row:ty) => {
        impl GrievanceRow for $row {
            fn grievance(&self) -> Grievance {
                Grievance {
                    ticket: self.get(0),
                    wa_id: self.get(1),
                    phone_number_id: self.get(2),
                    language: self.get(3),
                    category: self.get(4),
                    department: self.get(5),
                    description: self.get(6),
                    photo: self.get(7),
                    location: self.get(8),
                    status: self.get(9),
                    level: self.get(10),
                    due_at_ms: self.get(11),
                    created_at_ms: self.get(12),
                    updated_at_ms: self.get(13),
                    resolved_at_ms: self.get(14),
                    rating: self.get(15),
                    reopened: self.get::<i64, _>(16) != 0,
                }
            }
        }
    };
}
grievance_row!(sqlx::sqlite::SqliteRow);
grievance_row!(sqlx::postgres::PgRow);

/// The statuses a grievance is still being worked in.
pub const GRIEVANCE_OPEN: [&str; 2] = ["open", "in_progress"];

impl Store {
    pub async fn grievance(&self, ticket: &str) -> anyhow::Result<Option<Grievance>> {
        let sql = self.sql(&format!("SELECT {COLUMNS} FROM grievances WHERE ticket = ?"));
        Ok(with_pool!(self, pool => sqlx::query(&sql).bind(ticket).fetch_optional(pool).await?.map(|r| r.grievance())))
    }

    pub async fn grievance_events(&self, ticket: &str) -> anyhow::Result<Vec<GrievanceEvent>> {
        let sql = self.sql("SELECT at_ms, actor, kind, note FROM grievance_events WHERE ticket = ? ORDER BY id");
        Ok(with_pool!(self, pool => sqlx::query(&sql)
            .bind(ticket)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| GrievanceEvent { at_ms: r.get(0), actor: r.get(1), kind: r.get(2), note: r.get(3) })
            .collect()))
    }

    /// A citizen's grievances, newest first.
    pub async fn grievances_of(&self, wa_id: &str, limit: i64) -> anyhow::Result<Vec<Grievance>> {
        let sql =
            self.sql(&format!("SELECT {COLUMNS} FROM grievances WHERE wa_id = ? ORDER BY created_at_ms DESC LIMIT ?"));
        Ok(with_pool!(self, pool => sqlx::query(&sql)
            .bind(wa_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| r.grievance())
            .collect()))
    }

    /// The grievances `filter` selects, those due soonest first.
    pub async fn grievances(&self, filter: &GrievanceFilter) -> anyhow::Result<Vec<Grievance>> {
        macro_rules! list {
            ($pool:expr, $db:ty) => {{
                let mut q = QueryBuilder::<$db>::new(format!("SELECT {COLUMNS} FROM grievances WHERE 1 = 1"));
                push_departments(&mut q, filter.departments.as_deref());
                if !filter.statuses.is_empty() {
                    q.push(" AND status IN (");
                    let mut list = q.separated(", ");
                    for s in &filter.statuses {
                        list.push_bind(s.clone());
                    }
                    q.push(")");
                }
                if let Some(level) = filter.level {
                    q.push(" AND level = ").push_bind(level);
                }
                q.push(" ORDER BY due_at_ms LIMIT ").push_bind(filter.limit);
                q.build().fetch_all($pool).await?.iter().map(|r| r.grievance()).collect()
            }};
        }
        Ok(match self {
            Store::Sqlite(pool) => list!(pool, sqlx::Sqlite),
            Store::Postgres(pool) => list!(pool, sqlx::Postgres),
        })
    }

    /// An officer's step: the status changes only from one of `step.from`;
    /// the event, the audit entry and the citizen's messages go in the same
    /// transaction. `Ok(Err(current))` when the grievance is elsewhere.
    pub async fn move_grievance(&self, step: &GrievanceStep<'_>) -> anyhow::Result<Option<Result<(), String>>> {
        let now = now_ms();
        let select = self.sql(match self {
            Store::Sqlite(_) => "SELECT status FROM grievances WHERE ticket = ?",
            Store::Postgres(_) => "SELECT status FROM grievances WHERE ticket = ? FOR UPDATE",
        });
        let update = self.sql(
            "UPDATE grievances SET status = ?, updated_at_ms = ?, \
             resolved_at_ms = CASE WHEN ? = 'resolved' THEN ? ELSE resolved_at_ms END WHERE ticket = ?",
        );
        let (event, audit, enqueue) = (self.sql(EVENT_INSERT), self.sql(AUDIT_INSERT), self.sql(PENDING_INSERT));
        macro_rules! step {
            ($pool:expr) => {{
                let mut tx = $pool.begin().await?;
                let current: Option<String> =
                    sqlx::query_scalar(&select).bind(step.ticket).fetch_optional(&mut *tx).await?;
                let Some(current) = current else { return Ok(None) };
                if !step.from.contains(&current.as_str()) {
                    return Ok(Some(Err(current)));
                }
                let to = step.to.unwrap_or(current.as_str());
                sqlx::query(&update).bind(to).bind(now).bind(to).bind(now).bind(step.ticket).execute(&mut *tx).await?;
                sqlx::query(&event)
                    .bind(step.ticket)
                    .bind(now)
                    .bind(step.actor)
                    .bind(step.kind)
                    .bind(step.note)
                    .execute(&mut *tx)
                    .await?;
                audit_insert!(&audit, step.audit).execute(&mut *tx).await?;
                for item in step.notifications {
                    pending!(&enqueue, item, now).execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(Some(Ok(())))
            }};
        }
        with_pool!(self, pool => step!(pool))
    }

    /// The open grievances past their due time at `now` and below
    /// `max_level`, the longest overdue first (at most 500 a round).
    pub async fn overdue_grievances(&self, now: i64, max_level: i64) -> anyhow::Result<Vec<Grievance>> {
        let sql = self.sql(&format!(
            "SELECT {COLUMNS} FROM grievances WHERE status IN ('open', 'in_progress') AND due_at_ms < ? \
             AND level < ? ORDER BY due_at_ms LIMIT 500"
        ));
        Ok(with_pool!(self, pool => sqlx::query(&sql)
            .bind(now)
            .bind(max_level)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| r.grievance())
            .collect()))
    }

    /// Escalates `g` (as read, at its `level`) a level up at `now`, due
    /// again at `next_due`, with the event and the citizen's `message` in one
    /// transaction. False when it has moved meanwhile (resolved, or
    /// escalated by another host).
    pub async fn escalate_grievance(
        &self,
        g: &Grievance,
        now: i64,
        next_due: i64,
        message: &OutboxItem,
    ) -> anyhow::Result<bool> {
        let update = self.sql(
            "UPDATE grievances SET level = level + 1, due_at_ms = ?, updated_at_ms = ? \
             WHERE ticket = ? AND level = ? AND status IN ('open', 'in_progress')",
        );
        let (event, enqueue) = (self.sql(EVENT_INSERT), self.sql(PENDING_INSERT));
        let note = format!("level {}: not resolved within its SLA", g.level + 1);
        macro_rules! escalate {
            ($pool:expr) => {{
                let mut tx = $pool.begin().await?;
                let changed = sqlx::query(&update)
                    .bind(next_due)
                    .bind(now)
                    .bind(&g.ticket)
                    .bind(g.level)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if changed == 1 {
                    sqlx::query(&event)
                        .bind(&g.ticket)
                        .bind(now)
                        .bind("host")
                        .bind("escalated")
                        .bind(&note)
                        .execute(&mut *tx)
                        .await?;
                    // Queued on the host's clock: `now` may be a test's.
                    pending!(&enqueue, message, now_ms()).execute(&mut *tx).await?;
                }
                tx.commit().await?;
                changed == 1
            }};
        }
        Ok(with_pool!(self, pool => escalate!(pool)))
    }

    /// Grievances still open by age: under a day, 1–3 days, 3–7 days, over
    /// a week (for `departments`, all when `None`); and how many of them have
    /// been escalated.
    pub async fn grievance_ageing(&self, departments: Option<&[String]>, now: i64) -> anyhow::Result<([i64; 4], i64)> {
        const DAY: i64 = 86_400_000;
        macro_rules! rows {
            ($pool:expr, $db:ty) => {{
                let mut q = QueryBuilder::<$db>::new(format!(
                    "SELECT CASE WHEN created_at_ms > {a} THEN 0 WHEN created_at_ms > {b} THEN 1 \
                     WHEN created_at_ms > {c} THEN 2 ELSE 3 END AS age, \
                     count(*), sum(CASE WHEN level > 1 THEN 1 ELSE 0 END) FROM grievances \
                     WHERE status IN ('open', 'in_progress')",
                    a = now - DAY,
                    b = now - 3 * DAY,
                    c = now - 7 * DAY
                ));
                push_departments(&mut q, departments);
                q.push(" GROUP BY age");
                q.build()
                    .fetch_all($pool)
                    .await?
                    .iter()
                    .map(|r| (r.get::<i32, _>(0), r.get::<i64, _>(1), r.try_get::<i64, _>(2).unwrap_or(0)))
                    .collect::<Vec<_>>()
            }};
        }
        let rows = match self {
            Store::Sqlite(pool) => rows!(pool, sqlx::Sqlite),
            Store::Postgres(pool) => rows!(pool, sqlx::Postgres),
        };
        let mut ages = [0; 4];
        let mut escalated = 0;
        for (age, count, up) in rows {
            ages[(age.clamp(0, 3)) as usize] = count;
            escalated += up;
        }
        Ok((ages, escalated))
    }
}

/// `AND department IN (…)` for `departments` (nothing for `None`: all).
fn push_departments<'a, DB>(q: &mut QueryBuilder<'a, DB>, departments: Option<&[String]>)
where
    DB: sqlx::Database,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    match departments {
        None => {}
        Some([]) => {
            q.push(" AND 1 = 0");
        }
        Some(departments) => {
            q.push(" AND department IN (");
            let mut list = q.separated(", ");
            for d in departments {
                list.push_bind(d.clone());
            }
            q.push(")");
        }
    }
}
