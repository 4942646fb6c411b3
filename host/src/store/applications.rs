//! Applications as officers work them: the file with its history, the
//! steps of its lifecycle (each one transaction with its event, its audit
//! entry and the citizen's notification), and the lists the console reads.

use serde::Serialize;
use sqlx::{QueryBuilder, Row};

use super::grievances::{PENDING_INSERT, pending};
use super::registry::{AUDIT_INSERT, audit_insert};
use super::{ApplicationRecord, AuditEntry, OutboxItem, Store, now_ms, reply_order};

/// An application with where it stands.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApplicationFile {
    #[serde(flatten)]
    pub record: ApplicationRecord,
    pub remarks: Option<String>,
    pub question: Option<String>,
    pub updated_at_ms: i64,
    pub decided_at_ms: Option<i64>,
}

/// One step of an application's history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApplicationEvent {
    pub at_ms: i64,
    pub actor: String,
    pub from_status: String,
    pub to_status: String,
    pub note: Option<String>,
}

/// One step an officer takes (see [`Store::move_application`]).
#[derive(Clone, Debug)]
pub struct Step<'a> {
    pub number: &'a str,
    /// The statuses this step may leave.
    pub from: &'a [&'a str],
    pub to: &'a str,
    pub actor: &'a str,
    /// Said with the step (remarks, the question), kept in the history.
    pub note: Option<&'a str>,
    /// The question now open, if this step asks one.
    pub question: Option<&'a str>,
    /// Remarks that stand on the file (a decision's reason).
    pub remarks: Option<&'a str>,
    /// Whether this step decides the application (turnaround ends).
    pub decides: bool,
    /// The issued document to store with it (delivery of a certificate).
    pub document: Option<&'a str>,
    /// The messages telling the citizen, queued in the same transaction.
    pub notifications: &'a [OutboxItem],
    pub audit: &'a AuditEntry,
}

/// What became of a [`Step`].
#[derive(Clone, Debug, PartialEq)]
pub enum Moved {
    Done,
    NotFound,
    /// The application is in a status the step cannot leave (another officer
    /// moved it first, or the step does not apply).
    Conflict(String),
}

/// A citizen's answer to an officer's question, stored with the message
/// that carried it.
#[derive(Clone, Debug, PartialEq)]
pub struct InformationAnswer {
    pub number: String,
    pub wa_id: String,
    pub answer: String,
}

/// Which applications a list holds.
#[derive(Clone, Debug, Default)]
pub struct ApplicationFilter {
    /// Only these departments (plugin ids); `None` for all.
    pub departments: Option<Vec<String>>,
    pub service: Option<String>,
    pub statuses: Vec<String>,
    pub district: Option<String>,
    /// Submitted at or after / before (Unix ms).
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub limit: i64,
    pub offset: i64,
    /// Oldest first (a work queue) rather than newest first.
    pub oldest_first: bool,
}

const FILE_COLUMNS: &str = "number, wa_id, phone_number_id, plugin_id, plugin_sha256, service_id, language, answers, \
    status, document, submitted_at_ms, district, remarks, question, updated_at_ms, decided_at_ms";

fn file(r: &impl FileRow) -> ApplicationFile {
    r.file()
}

/// Reads an [`ApplicationFile`] from a row of [`FILE_COLUMNS`], on either backend.
trait FileRow {
    fn file(&self) -> ApplicationFile;
}

macro_rules! file_row {
    ($row:ty) => {
        impl FileRow for $row {
            fn file(&self) -> ApplicationFile {
                ApplicationFile {
                    record: ApplicationRecord {
                        number: self.get(0),
                        wa_id: self.get(1),
                        phone_number_id: self.get(2),
                        plugin_id: self.get(3),
                        plugin_sha256: self.get(4),
                        service_id: self.get(5),
                        language: self.get(6),
                        answers: self.get(7),
                        status: self.get(8),
                        document: self.get(9),
                        submitted_at_ms: self.get(10),
                        district: self.get(11),
                    },
                    remarks: self.get(12),
                    question: self.get(13),
                    updated_at_ms: self.get(14),
                    decided_at_ms: self.get(15),
                }
            }
        }
    };
}
file_row!(sqlx::sqlite::SqliteRow);
file_row!(sqlx::postgres::PgRow);

impl Store {
    /// An application with where it stands.
    pub async fn application_file(&self, number: &str) -> anyhow::Result<Option<ApplicationFile>> {
        let sql = self.sql(&format!("SELECT {FILE_COLUMNS} FROM applications WHERE number = ?"));
        Ok(with_pool!(self, pool => sqlx::query(&sql).bind(number).fetch_optional(pool).await?.map(|r| file(&r))))
    }

    /// An application's history, oldest first.
    pub async fn application_events(&self, number: &str) -> anyhow::Result<Vec<ApplicationEvent>> {
        let sql = self.sql(
            "SELECT at_ms, actor, from_status, to_status, note FROM application_events WHERE number = ? ORDER BY id",
        );
        Ok(with_pool!(self, pool => sqlx::query(&sql)
            .bind(number)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| ApplicationEvent {
                at_ms: r.get(0),
                actor: r.get(1),
                from_status: r.get(2),
                to_status: r.get(3),
                note: r.get(4),
            })
            .collect()))
    }

    /// The WhatsApp profile name a citizen last wrote with, if any.
    pub async fn profile_name(&self, wa_id: &str) -> anyhow::Result<Option<String>> {
        let sql = self.sql(
            "SELECT profile_name FROM inbound_messages WHERE wa_id = ? AND profile_name IS NOT NULL \
             ORDER BY received_at_ms DESC LIMIT 1",
        );
        Ok(with_pool!(self, pool => sqlx::query_scalar(&sql).bind(wa_id).fetch_optional(pool).await?))
    }

    /// A citizen's applications, newest first.
    pub async fn applications_of(&self, wa_id: &str, limit: i64) -> anyhow::Result<Vec<ApplicationFile>> {
        let sql = self.sql(&format!(
            "SELECT {FILE_COLUMNS} FROM applications WHERE wa_id = ? ORDER BY submitted_at_ms DESC LIMIT ?"
        ));
        Ok(with_pool!(self, pool => sqlx::query(&sql)
            .bind(wa_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
            .iter()
            .map(file)
            .collect()))
    }

    /// The applications `filter` selects.
    pub async fn applications(&self, filter: &ApplicationFilter) -> anyhow::Result<Vec<ApplicationFile>> {
        macro_rules! list {
            ($pool:expr, $db:ty) => {{
                let mut q = QueryBuilder::<$db>::new(format!("SELECT {FILE_COLUMNS} FROM applications WHERE 1 = 1"));
                push_filter(&mut q, filter);
                q.push(if filter.oldest_first {
                    " ORDER BY submitted_at_ms, number"
                } else {
                    " ORDER BY submitted_at_ms DESC, number"
                });
                q.push(" LIMIT ").push_bind(filter.limit).push(" OFFSET ").push_bind(filter.offset);
                q.build().fetch_all($pool).await?.iter().map(file).collect()
            }};
        }
        Ok(match self {
            Store::Sqlite(pool) => list!(pool, sqlx::Sqlite),
            Store::Postgres(pool) => list!(pool, sqlx::Postgres),
        })
    }

    /// Takes one step of an application's lifecycle: the status changes only
    /// from one of `step.from` (so two officers acting at once cannot both
    /// decide), and the event, the audit entry and the citizen's message are
    /// written in the same transaction.
    pub async fn move_application(&self, step: &Step<'_>) -> anyhow::Result<Moved> {
        let now = now_ms();
        // A rejected application's fee is due back, in the same step.
        let refund = self.sql(
            "UPDATE payments SET status = 'refund_due', updated_at_ms = ? \
             WHERE application_number = ? AND status = 'paid'",
        );
        let (select, update, event, audit, enqueue) = (
            self.sql(match self {
                Store::Sqlite(_) => "SELECT status FROM applications WHERE number = ?",
                Store::Postgres(_) => "SELECT status FROM applications WHERE number = ? FOR UPDATE",
            }),
            self.sql(
                "UPDATE applications SET status = ?, updated_at_ms = ?, question = ?, \
                 remarks = COALESCE(?, remarks), decided_at_ms = CASE WHEN ? THEN ? ELSE decided_at_ms END, \
                 document = COALESCE(?, document) WHERE number = ? AND status = ?",
            ),
            self.sql(
                "INSERT INTO application_events (number, at_ms, actor, from_status, to_status, note) \
                 VALUES (?, ?, ?, ?, ?, ?)",
            ),
            self.sql(AUDIT_INSERT),
            self.sql(PENDING_INSERT),
        );
        macro_rules! step {
            ($pool:expr) => {{
                let mut tx = $pool.begin().await?;
                let current: Option<String> =
                    sqlx::query_scalar(&select).bind(step.number).fetch_optional(&mut *tx).await?;
                let Some(current) = current else { return Ok(Moved::NotFound) };
                if !step.from.contains(&current.as_str()) {
                    return Ok(Moved::Conflict(current));
                }
                let changed = sqlx::query(&update)
                    .bind(step.to)
                    .bind(now)
                    .bind(step.question)
                    .bind(step.remarks)
                    .bind(step.decides)
                    .bind(now)
                    .bind(step.document)
                    .bind(step.number)
                    .bind(&current)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if changed != 1 {
                    return Ok(Moved::Conflict(current));
                }
                sqlx::query(&event)
                    .bind(step.number)
                    .bind(now)
                    .bind(step.actor)
                    .bind(&current)
                    .bind(step.to)
                    .bind(step.note)
                    .execute(&mut *tx)
                    .await?;
                audit_insert!(&audit, step.audit).execute(&mut *tx).await?;
                if step.to == crate::applications::status::REJECTED {
                    sqlx::query(&refund).bind(now).bind(step.number).execute(&mut *tx).await?;
                }
                for item in step.notifications {
                    // Pending: the sender claims it on its next look at the
                    // outbox, after whatever the citizen is still owed.
                    pending!(&enqueue, item, now).execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(Moved::Done)
            }};
        }
        with_pool!(self, pool => step!(pool))
    }
}

/// The `WHERE` conditions of `filter` (after `WHERE 1 = 1`).
pub(super) fn push_filter<'a, DB>(q: &mut QueryBuilder<'a, DB>, filter: &'a ApplicationFilter)
where
    DB: sqlx::Database,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    if let Some(departments) = &filter.departments {
        if departments.is_empty() {
            q.push(" AND 1 = 0");
        } else {
            q.push(" AND plugin_id IN (");
            let mut list = q.separated(", ");
            for d in departments {
                list.push_bind(d.clone());
            }
            q.push(")");
        }
    }
    if let Some(service) = &filter.service {
        q.push(" AND service_id = ").push_bind(service.clone());
    }
    let open = crate::applications::status::OPEN;
    if filter.statuses.len() == open.len() && open.iter().all(|s| filter.statuses.iter().any(|f| f == s)) {
        // Written out, not bound: the partial indexes on open files apply
        // only when the planner sees this very list.
        q.push(" AND status IN ('submitted', 'under_review', 'needs_information')");
    } else if !filter.statuses.is_empty() {
        q.push(" AND status IN (");
        let mut list = q.separated(", ");
        for s in &filter.statuses {
            list.push_bind(s.clone());
        }
        q.push(")");
    }
    if let Some(district) = &filter.district {
        q.push(" AND district = ").push_bind(district.clone());
    }
    if let Some(from) = filter.from_ms {
        q.push(" AND submitted_at_ms >= ").push_bind(from);
    }
    if let Some(to) = filter.to_ms {
        q.push(" AND submitted_at_ms < ").push_bind(to);
    }
}
