//! Durable state through sqlx: SQLite embedded by default, PostgreSQL when the
//! database URL says `postgres://`. Each backend has its own migrations
//! (the SQL dialects differ in small ways) and the same queries.

use std::collections::HashMap;
use std::str::FromStr;

use anyhow::Context as _;
use serde::Serialize;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Row};

mod group_commit;
mod writer;
pub use group_commit::GroupCommit;
pub use writer::Writer;

/// Runs `$body` with `$pool` bound to whichever pool the store has; the body
/// is type-checked once per backend.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            Store::Sqlite($pool) => $body,
            Store::Postgres($pool) => $body,
        }
    };
}

/// An [`OutboxItem`] from a row whose first columns are `id, phone_number_id,
/// wa_id, body, attempts, window_until_ms, fallback` (either database).
macro_rules! outbox_item {
    ($row:expr) => {
        OutboxItem {
            id: $row.get(0),
            phone_number_id: $row.get(1),
            wa_id: $row.get(2),
            body: $row.get(3),
            attempts: $row.get::<i64, _>(4),
            window_until_ms: $row.get(5),
            fallback: $row.get(6),
        }
    };
}

mod applications;
mod certificate_log;
mod dashboard;
mod digilocker;
mod grievances;
mod operators;
mod payment_report;
mod payments;
mod registry;
pub use applications::{ApplicationEvent, ApplicationFile, ApplicationFilter, InformationAnswer, Moved, Step};
pub use certificate_log::{LogEntry, RevocationRecord, Revoke};
pub use dashboard::{DayCount, OpenCount, StatusCount, TURNAROUND_HOURS, Turnaround, quantile_hours};
pub use digilocker::{DigiLockerPush, PUSH_FAILED, PUSH_PENDING, PUSH_SAVED, PushDone};
pub use grievances::{CitizenNote, GRIEVANCE_OPEN, Grievance, GrievanceEvent, GrievanceFilter, GrievanceStep};
pub use operators::OperatorAccount;
pub use payment_report::{
    Collection, PAYMENT_STATUSES, PaymentFilter, PaymentLine, PaymentTotals, StatusTotal, india_day,
};
pub use payments::{PaymentRecord, PaymentSettled, RefundDone};
pub use registry::{AuditEntry, DEPLOYMENTS_CHANNEL, Deployment, VersionRecord};

/// The database behind one host.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// One entry of a plugin's history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PluginEvent {
    pub at_ms: i64,
    pub plugin_id: String,
    pub version: Option<String>,
    pub sha256: Option<String>,
    pub event: String,
    pub detail: String,
}

impl PluginEvent {
    /// An event stamped now.
    pub fn now(plugin_id: &str, event: &str, detail: impl Into<String>) -> Self {
        Self {
            at_ms: now_ms(),
            plugin_id: plugin_id.into(),
            version: None,
            sha256: None,
            event: event.into(),
            detail: detail.into(),
        }
    }
}

impl Store {
    /// Connects and brings the schema up to date. SQLite files are created
    /// (with their directory) if missing.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(std::time::Duration::from_secs(5))
                .connect(url)
                .await
                .with_context(|| format!("connecting to PostgreSQL at {}", redact(url)))?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await.context("migrating PostgreSQL")?;
            Ok(Store::Postgres(pool))
        } else {
            let options = SqliteConnectOptions::from_str(url)
                .with_context(|| format!("parsing the SQLite URL {url}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // Durable against a crash of the process; [`Store::sync`]
                // makes commits survive the machine's too.
                .synchronous(SqliteSynchronous::Normal)
                // 64 MiB of page cache (the default is 2 MiB): the indexes
                // the worker and sender walk stay in memory as tables grow.
                .pragma("cache_size", "-65536")
                // The WAL is copied into the database (with two fsyncs, on
                // the one writer's connection) once it holds this many pages
                // (16 MiB) rather than SQLite's 1,000: a page written by
                // several commits in between is copied once, which took the
                // writer from ~24,600 to ~29,100 messages a second and held
                // 10,000 msg/s on 2 cores (BENCHMARKS.md); the price is a
                // commit in a few taking ~15 ms longer.
                .pragma("wal_autocheckpoint", "4000")
                .busy_timeout(std::time::Duration::from_secs(5));
            if let Some(parent) = options.get_filename().parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .after_release(|conn, _| Box::pin(async move { still_usable(conn).await }))
                .connect_with(options)
                .await
                .context("opening SQLite")?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await.context("migrating SQLite")?;
            Ok(Store::Sqlite(pool))
        }
    }

    /// Makes every commit that has returned survive a crash of the machine.
    ///
    /// PostgreSQL's commits already do. SQLite's WAL holds committed
    /// transactions the kernel may not have written yet (synchronous =
    /// NORMAL); an fsync of the WAL file is what synchronous = FULL adds to
    /// each commit. Done here, after the transaction, the disk's wait holds
    /// up only those who need it (a webhook's 200) and no other write: the
    /// one connection goes on committing while the disk catches up.
    pub async fn sync(&self) -> anyhow::Result<()> {
        let Store::Sqlite(pool) = self else { return Ok(()) };
        let options = pool.connect_options();
        if in_memory(&options) {
            return Ok(());
        }
        let database = options.get_filename().to_owned();
        let shown = database.display().to_string();
        tokio::task::spawn_blocking(move || {
            let mut wal = database.clone().into_os_string();
            wal.push("-wal");
            // Opened each time: SQLite removes the WAL when its last
            // connection closes (after writing everything into the database
            // file, which is then what to sync).
            let file = match std::fs::File::open(&wal) {
                Ok(file) => file,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::File::open(&database)?,
                Err(e) => return Err(e),
            };
            file.sync_data()
        })
        .await?
        .with_context(|| format!("syncing {shown} to disk"))
    }

    /// A store for reads that must not wait for a commit: on a SQLite file,
    /// a pool of its own beside the one connection every write goes through
    /// (WAL lets a reader see the last commit while a transaction is open),
    /// opened on first use; otherwise this store. What it reads is what
    /// reading here would have: the latest commit, never a write in progress.
    pub fn reader(&self) -> Store {
        let Store::Sqlite(pool) = self else { return self.clone() };
        let options = pool.connect_options();
        if in_memory(&options) {
            return self.clone();
        }
        // Its own page cache: the rows it reads, not the writer's indexes.
        let options = (*options).clone().pragma("cache_size", "-16384");
        Store::Sqlite(SqlitePoolOptions::new().max_connections(2).connect_lazy_with(options))
    }

    /// Whether this database has one host: a SQLite file is one process's,
    /// so whatever is leased in it was leased by this host's previous run.
    pub fn single_host(&self) -> bool {
        matches!(self, Store::Sqlite(_))
    }

    /// Whether its connections may be used from any runtime, so from a
    /// thread of their own ([`crate::own_thread`]): SQLite's driver runs
    /// each connection on a thread of its own; PostgreSQL's sockets belong
    /// to the runtime that opened them.
    pub fn any_runtime(&self) -> bool {
        matches!(self, Store::Sqlite(_))
    }

    /// Which backend this is, for logs and health checks.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> anyhow::Result<()> {
        match self {
            Store::Sqlite(pool) => sqlx::query("SELECT 1").execute(pool).await.map(drop),
            Store::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.map(drop),
        }
        .context("the database does not answer")
    }

    /// Appends to a plugin's history.
    pub async fn record_plugin_event(&self, e: &PluginEvent) -> anyhow::Result<()> {
        const INSERT: &str = "INSERT INTO plugin_events (at_ms, plugin_id, version, sha256, event, detail) VALUES";
        macro_rules! insert {
            ($pool:expr, $sql:expr) => {
                sqlx::query(&$sql)
                    .bind(e.at_ms)
                    .bind(&e.plugin_id)
                    .bind(&e.version)
                    .bind(&e.sha256)
                    .bind(&e.event)
                    .bind(&e.detail)
                    .execute($pool)
                    .await?
            };
        }
        match self {
            Store::Sqlite(pool) => {
                insert!(pool, format!("{INSERT} (?, ?, ?, ?, ?, ?)"));
            }
            Store::Postgres(pool) => {
                insert!(pool, format!("{INSERT} ($1, $2, $3, $4, $5, $6)"));
            }
        };
        Ok(())
    }

    /// The newest `limit` events, newest first.
    pub async fn plugin_events(&self, limit: i64) -> anyhow::Result<Vec<PluginEvent>> {
        const SELECT: &str =
            "SELECT at_ms, plugin_id, version, sha256, event, detail FROM plugin_events ORDER BY id DESC LIMIT";
        macro_rules! rows {
            ($pool:expr, $sql:expr) => {
                sqlx::query(&$sql)
                    .bind(limit)
                    .fetch_all($pool)
                    .await?
                    .into_iter()
                    .map(|r| PluginEvent {
                        at_ms: r.get(0),
                        plugin_id: r.get(1),
                        version: r.get(2),
                        sha256: r.get(3),
                        event: r.get(4),
                        detail: r.get(5),
                    })
                    .collect()
            };
        }
        Ok(match self {
            Store::Sqlite(pool) => rows!(pool, format!("{SELECT} ?")),
            Store::Postgres(pool) => rows!(pool, format!("{SELECT} $1")),
        })
    }
}

/// Keeps a handled message as it may be kept (Aadhaar numbers redacted).
const REDACT_INBOUND: &str = "UPDATE inbound_messages SET payload = ? WHERE sent_at = ? AND wamid = ?";

/// An inbound message as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InboundRecord {
    pub wamid: String,
    pub phone_number_id: String,
    pub wa_id: String,
    pub profile_name: Option<String>,
    pub kind: String,
    /// The message JSON as received.
    pub payload: String,
    /// WhatsApp's timestamp (Unix seconds).
    pub sent_at: i64,
    pub received_at_ms: i64,
}

/// A delivery status callback as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusRecord {
    pub message_id: String,
    pub status: String,
    pub recipient_id: String,
    pub sent_at: i64,
    pub errors: Option<String>,
    /// The message's `biz_opaque_callback_data`: for Mitra's own messages
    /// the outbox id, so a status proves a send whose answer was lost.
    pub callback: Option<String>,
}

impl Store {
    /// Writes everything in `writes` in one transaction and returns the
    /// inbound messages that were new:
    /// - inbound messages and delivery statuses, ignoring ones already
    ///   stored (Meta's retries: a message is known by its timestamp and id,
    ///   which a retry repeats); a status naming one of our outbox items
    ///   (`biz_opaque_callback_data`) marks it sent;
    /// - completions: messages marked handled with what handling them
    ///   produced (sessions, applications, replies), so a crash neither loses
    ///   replies nor sends them twice. Replies are queued as claimed by this
    ///   host (a send lease of [`SEND_LEASE_MS`], first attempt counted): the
    ///   caller hands them to its sender in memory, and only if this process
    ///   stops does another sender take them from the database;
    /// - successful sends, `(outbox id, wamid Meta gave)`.
    ///
    /// One commit for all of a moment's writes is what lets one SQLite file
    /// keep up with thousands of messages a second.
    pub async fn commit(&self, writes: &Writes<'_>) -> anyhow::Result<Vec<InboundRecord>> {
        let Writes { inbound, statuses, completions, sent } = *writes;
        // A status naming one of our outbox ids proves Meta took that reply,
        // even if its answer never reached us (a timeout, a reset, or this
        // process killed before it recorded the send): it is sent, and is
        // not sent again. Only a reply to the same citizen matches.
        let proven: HashMap<&str, (&str, &str)> = statuses
            .iter()
            .filter_map(|s| Some((s.callback.as_deref()?, (s.message_id.as_str(), s.recipient_id.as_str()))))
            .collect();
        let proven: Vec<(&str, &str, &str)> = proven.into_iter().map(|(id, (wamid, to))| (id, wamid, to)).collect();
        let apply = self.sql(
            "INSERT INTO applications (number, wa_id, phone_number_id, plugin_id, plugin_sha256, service_id, language, \
             answers, status, document, submitted_at_ms, updated_at_ms, district) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (number) DO NOTHING",
        );
        let redact_inbound = self.sql(REDACT_INBOUND);
        let order = self.sql(payments::ORDER_INSERT);
        let settle = self.sql(payments::SETTLE);
        let lodge = self.sql(
            "INSERT INTO grievances (ticket, wa_id, phone_number_id, language, category, department, description, \
             photo, location, status, level, due_at_ms, created_at_ms, updated_at_ms) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticket) DO NOTHING",
        );
        let grievance_event = self.sql(grievances::EVENT_INSERT);
        let own_grievance = self.sql("SELECT ticket FROM grievances WHERE ticket = ? AND wa_id = ?");
        let rate = self.sql(
            "UPDATE grievances SET rating = ?, status = 'closed', updated_at_ms = ? \
             WHERE ticket = ? AND wa_id = ? AND status = 'resolved'",
        );
        let reopen = self.sql(
            "UPDATE grievances SET status = 'open', reopened = 1, due_at_ms = ?, updated_at_ms = ?, \
             resolved_at_ms = NULL WHERE ticket = ? AND wa_id = ? AND status = 'resolved' AND reopened = 0",
        );
        // An answer returns the file to review only if the question is still
        // open (a retried message, or an officer who decided meanwhile, makes
        // it a no-op); the history says so either way.
        let answered = self.sql(
            "UPDATE applications SET status = 'under_review', question = NULL, updated_at_ms = ? \
             WHERE number = ? AND wa_id = ? AND status = 'needs_information' RETURNING number",
        );
        let answer_event = self.sql(
            "INSERT INTO application_events (number, at_ms, actor, from_status, to_status, note) \
             VALUES (?, ?, 'citizen', 'needs_information', 'under_review', ?)",
        );
        let now = now_ms();
        // One row per citizen: the session after their last message here.
        let sessions: HashMap<&str, &str> =
            completions.iter().filter_map(|c| c.session.as_ref()).map(|(w, d)| (w.as_str(), d.as_str())).collect();
        let sessions: Vec<(&str, &str)> = sessions.into_iter().collect();
        // created_at orders a citizen's replies as they were produced.
        let replies: Vec<(&OutboxItem, i64)> =
            completions.iter().flat_map(|c| &c.replies).map(|item| (item, reply_order(now))).collect();
        macro_rules! write {
            ($conn:expr) => {{
                let mut tx = sqlx::Acquire::begin($conn).await?;
                let mut new: Vec<(i64, String)> = Vec::new();
                for chunk in statement_chunks(inbound) {
                    let mut insert = QueryBuilder::new(format!(
                        "INSERT{} INTO inbound_messages \
                         (wamid, phone_number_id, wa_id, profile_name, kind, payload, sent_at, received_at_ms) ",
                        self.or_ignore()
                    ));
                    insert.push_values(chunk, |mut row, m| {
                        row.push_bind(m.wamid.as_str())
                            .push_bind(m.phone_number_id.as_str())
                            .push_bind(m.wa_id.as_str())
                            .push_bind(m.profile_name.as_deref())
                            .push_bind(m.kind.as_str())
                            .push_bind(m.payload.as_str())
                            .push_bind(m.sent_at)
                            .push_bind(m.received_at_ms);
                    });
                    insert.push(self.unless_stored("sent_at, wamid")).push(" RETURNING sent_at, wamid");
                    let keys: Vec<(i64, String)> = insert.build_query_as().fetch_all(&mut *tx).await?;
                    new.extend(keys);
                }
                for chunk in statement_chunks(statuses) {
                    let mut insert = QueryBuilder::new(format!(
                        "INSERT{} INTO message_statuses (message_id, status, recipient_id, sent_at, errors) ",
                        self.or_ignore()
                    ));
                    insert.push_values(chunk, |mut row, s| {
                        row.push_bind(s.message_id.as_str())
                            .push_bind(s.status.as_str())
                            .push_bind(s.recipient_id.as_str())
                            .push_bind(s.sent_at)
                            .push_bind(s.errors.as_deref());
                    });
                    insert.push(self.unless_stored("message_id, status"));
                    insert.build().execute(&mut *tx).await?;
                }
                for chunk in statement_chunks(&proven) {
                    let mut update = QueryBuilder::new("WITH v (id, wamid, wa_id) AS (");
                    update.push_values(chunk, |mut row, (id, wamid, wa_id)| {
                        row.push_bind(*id).push_bind(*wamid).push_bind(*wa_id);
                    });
                    update.push(format!(
                        ") UPDATE{} outbox SET state = 'sent', wamid = v.wamid, last_error = NULL FROM v \
                         WHERE outbox.id = v.id AND outbox.wa_id = v.wa_id AND outbox.state IN ('pending', 'sending')",
                        self.or_ignore()
                    ));
                    update.build().execute(&mut *tx).await?;
                }
                for chunk in statement_chunks(completions) {
                    let sql = self.mark_handled_sql(chunk.len());
                    let mut done = sqlx::query(&sql);
                    for c in chunk {
                        done = done.bind(c.sent_at).bind(c.wamid.as_str());
                    }
                    done.bind(now).execute(&mut *tx).await?;
                }
                for g in completions.iter().filter_map(|c| c.grievance.as_ref()) {
                    let lodged = sqlx::query(&lodge)
                        .bind(&g.ticket)
                        .bind(&g.wa_id)
                        .bind(&g.phone_number_id)
                        .bind(&g.language)
                        .bind(&g.category)
                        .bind(&g.department)
                        .bind(&g.description)
                        .bind(&g.photo)
                        .bind(&g.location)
                        .bind(&g.status)
                        .bind(g.level)
                        .bind(g.due_at_ms)
                        .bind(g.created_at_ms)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    if lodged == 1 {
                        sqlx::query(&grievance_event)
                            .bind(&g.ticket).bind(now).bind("citizen").bind("lodged").bind(&g.description)
                            .execute(&mut *tx).await?;
                    }
                }
                for note in completions.iter().filter_map(|c| c.grievance_note.as_ref()) {
                    // Each applies only to the citizen's own grievance in a
                    // state that allows it; the history says what happened.
                    let (ticket, kind, text, changed) = match note {
                        CitizenNote::Comment { ticket, wa_id, text } => {
                            let theirs: Option<String> =
                                sqlx::query_scalar(&own_grievance).bind(ticket).bind(wa_id).fetch_optional(&mut *tx).await?;
                            (ticket, "comment", text.clone(), theirs.is_some())
                        }
                        CitizenNote::Rate { ticket, wa_id, stars } => {
                            let rated = sqlx::query(&rate).bind(*stars).bind(now).bind(ticket).bind(wa_id)
                                .execute(&mut *tx).await?.rows_affected();
                            (ticket, "rated", format!("{stars}/5"), rated == 1)
                        }
                        CitizenNote::Reopen { ticket, wa_id, due_at_ms, why } => {
                            let reopened = sqlx::query(&reopen).bind(*due_at_ms).bind(now).bind(ticket).bind(wa_id)
                                .execute(&mut *tx).await?.rows_affected();
                            (ticket, "reopened", why.clone(), reopened == 1)
                        }
                    };
                    if changed {
                        sqlx::query(&grievance_event)
                            .bind(ticket).bind(now).bind("citizen").bind(kind).bind(&text)
                            .execute(&mut *tx).await?;
                    }
                }
                for c in completions {
                    if let Some(payload) = &c.redacted_payload {
                        sqlx::query(&redact_inbound).bind(payload).bind(c.sent_at).bind(&c.wamid).execute(&mut *tx).await?;
                    }
                }
                for chunk in statement_chunks(&sessions) {
                    let mut save = QueryBuilder::new("INSERT INTO sessions (wa_id, data, updated_at_ms) ");
                    save.push_values(chunk, |mut row, (wa_id, data)| {
                        row.push_bind(*wa_id).push_bind(*data).push_bind(now);
                    });
                    save.push(
                        " ON CONFLICT (wa_id) DO UPDATE SET data = excluded.data, updated_at_ms = excluded.updated_at_ms",
                    );
                    save.build().execute(&mut *tx).await?;
                }
                for a in completions.iter().filter_map(|c| c.application.as_ref()) {
                    sqlx::query(&apply)
                        .bind(&a.number)
                        .bind(&a.wa_id)
                        .bind(&a.phone_number_id)
                        .bind(&a.plugin_id)
                        .bind(&a.plugin_sha256)
                        .bind(&a.service_id)
                        .bind(&a.language)
                        .bind(&a.answers)
                        .bind(&a.status)
                        .bind(&a.document)
                        .bind(a.submitted_at_ms)
                        .bind(now)
                        .bind(&a.district)
                        .execute(&mut *tx)
                        .await?;
                }
                for o in completions.iter().filter_map(|c| c.payment_order.as_ref()) {
                    sqlx::query(&order)
                        .bind(&o.order_id).bind(&o.wa_id).bind(&o.phone_number_id).bind(&o.plugin_id)
                        .bind(&o.service_id).bind(i64::try_from(o.amount_paise).unwrap_or(i64::MAX))
                        .bind(o.created_at_ms).bind(o.expires_at_ms).bind(now).bind(&o.language)
                        .execute(&mut *tx).await?;
                }
                for p in completions.iter().filter_map(|c| c.payment_settled.as_ref()) {
                    let status = if p.application_number.is_some() { "paid" } else { "refund_due" };
                    sqlx::query(&settle)
                        .bind(status).bind(now).bind(&p.gateway_payment_id).bind(&p.application_number)
                        .bind(now).bind(&p.order_id)
                        .execute(&mut *tx).await?;
                }
                for info in completions.iter().filter_map(|c| c.information.as_ref()) {
                    let reopened: Option<String> = sqlx::query_scalar(&answered)
                        .bind(now)
                        .bind(&info.number)
                        .bind(&info.wa_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if reopened.is_some() {
                        sqlx::query(&answer_event)
                            .bind(&info.number)
                            .bind(now)
                            .bind(&info.answer)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                for chunk in statement_chunks(&replies) {
                    let mut enqueue = QueryBuilder::new(format!(
                        "INSERT{} INTO outbox (id, phone_number_id, wa_id, body, state, attempts, next_attempt_at_ms, \
                         created_at_ms, window_until_ms, fallback) ",
                        self.or_ignore()
                    ));
                    enqueue.push_values(chunk, |mut row, (item, order)| {
                        row.push_bind(item.id.as_str())
                            .push_bind(item.phone_number_id.as_str())
                            .push_bind(item.wa_id.as_str())
                            .push_bind(item.body.as_str())
                            .push_bind("sending")
                            .push_bind(1i64)
                            .push_bind(now + SEND_LEASE_MS)
                            .push_bind(*order)
                            .push_bind(item.window_until_ms)
                            .push_bind(item.fallback.as_deref());
                    });
                    enqueue.push(self.unless_stored("id"));
                    enqueue.build().execute(&mut *tx).await?;
                }
                for chunk in statement_chunks(sent) {
                    let mut update = QueryBuilder::new("WITH v (id, wamid) AS (");
                    update.push_values(chunk, |mut row, (id, wamid)| {
                        row.push_bind(id.as_str()).push_bind(wamid.as_str());
                    });
                    update.push(format!(
                        ") UPDATE{} outbox SET state = 'sent', wamid = v.wamid, last_error = NULL FROM v WHERE outbox.id = v.id",
                        self.or_ignore()
                    ));
                    update.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                anyhow::Ok(new)
            }};
        }
        // On SQLite (synchronous = NORMAL, WAL) a commit survives a crash of
        // the process, not yet of the machine; the writer makes it durable
        // with [`Store::sync`] before answering a webhook, outside the
        // transaction.
        let stored = with_pool!(self, pool => write!(pool)?);
        // Within one webhook Meta may repeat a message: each new one once.
        let mut new: std::collections::HashSet<(i64, &str)> =
            stored.iter().map(|(sent_at, wamid)| (*sent_at, wamid.as_str())).collect();
        Ok(inbound.iter().filter(|m| new.remove(&(m.sent_at, m.wamid.as_str()))).cloned().collect())
    }

    /// The stored inbound messages of one citizen, oldest first.
    pub async fn inbound_of(&self, wa_id: &str) -> anyhow::Result<Vec<InboundRecord>> {
        const SELECT: &str = "SELECT wamid, phone_number_id, wa_id, profile_name, kind, payload, sent_at, received_at_ms \
            FROM inbound_messages WHERE wa_id = ";
        macro_rules! rows {
            ($pool:expr, $sql:expr) => {
                sqlx::query(&$sql)
                    .bind(wa_id)
                    .fetch_all($pool)
                    .await?
                    .into_iter()
                    .map(|r| InboundRecord {
                        wamid: r.get(0),
                        phone_number_id: r.get(1),
                        wa_id: r.get(2),
                        profile_name: r.get(3),
                        kind: r.get(4),
                        payload: r.get(5),
                        sent_at: r.get(6),
                        received_at_ms: r.get(7),
                    })
                    .collect()
            };
        }
        Ok(match self {
            Store::Sqlite(pool) => rows!(pool, format!("{SELECT} ? ORDER BY sent_at, received_at_ms, wamid")),
            Store::Postgres(pool) => rows!(pool, format!("{SELECT} $1 ORDER BY sent_at, received_at_ms, wamid")),
        })
    }

    /// Every status recorded for a message Mitra sent.
    pub async fn statuses_of(&self, message_id: &str) -> anyhow::Result<Vec<String>> {
        const SELECT: &str = "SELECT status FROM message_statuses WHERE message_id = ";
        Ok(match self {
            Store::Sqlite(pool) => {
                sqlx::query_scalar(&format!("{SELECT} ? ORDER BY sent_at, status"))
                    .bind(message_id)
                    .fetch_all(pool)
                    .await?
            }
            Store::Postgres(pool) => {
                sqlx::query_scalar(&format!("{SELECT} $1 ORDER BY sent_at, status"))
                    .bind(message_id)
                    .fetch_all(pool)
                    .await?
            }
        })
    }
}

/// What one transaction writes (see [`Store::commit`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Writes<'a> {
    pub inbound: &'a [InboundRecord],
    pub statuses: &'a [StatusRecord],
    pub completions: &'a [Completion],
    pub sent: &'a [(String, String)],
}

/// A message waiting in (or leaving) the outbox.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutboxItem {
    pub id: String,
    pub phone_number_id: String,
    pub wa_id: String,
    /// The Cloud API request body (JSON).
    pub body: String,
    pub attempts: i64,
    /// Free-form messages are deliverable until then (the citizen's 24-hour
    /// window); `None` for templates, which are deliverable any time.
    pub window_until_ms: Option<i64>,
    /// What to send instead once the window has closed (a template body).
    pub fallback: Option<String>,
}

impl OutboxItem {
    /// The outbox id of reply `i` to the inbound message `wamid`, received
    /// at `received_at_ms`. Derived from the stored message, so handling it
    /// again after a crash cannot queue the same reply twice (the insert
    /// would conflict). It starts with the arrival time (fixed-width hex,
    /// so text order is time order): replies are then added at the end of
    /// the id index rather than at random places in it, as Meta's random
    /// message ids would scatter them, which on SQLite's one writer cost a
    /// page written per reply per commit.
    pub fn reply_id(received_at_ms: i64, wamid: &str, i: usize) -> String {
        format!("{:011x}~{wamid}#{i}", received_at_ms.max(0))
    }

    /// The inbound message id and reply index a [`Self::reply_id`] was made
    /// from; `None` for another item's id.
    pub fn reply_to(id: &str) -> Option<(&str, usize)> {
        let (_, reply) = id.split_once('~')?;
        let (wamid, i) = reply.rsplit_once('#')?;
        Some((wamid, i.parse().ok()?))
    }

    /// The request id this item's log lines carry: the inbound message's id
    /// for a reply, else the id up to its `#` (the event it tells of).
    pub fn request_id(&self) -> &str {
        match Self::reply_to(&self.id) {
            Some((wamid, _)) => wamid,
            None => self.id.split('#').next().unwrap_or_default(),
        }
    }
}

/// What handling one inbound message produced, stored in one transaction
/// with marking it handled.
#[derive(Clone, Debug, Default)]
pub struct Completion {
    /// The handled message's key: its id and WhatsApp's timestamp.
    pub wamid: String,
    pub sent_at: i64,
    /// `(wa_id, session JSON)` to save.
    pub session: Option<(String, String)>,
    pub replies: Vec<OutboxItem>,
    pub application: Option<ApplicationRecord>,
    /// An answer to an officer's question, returned to its file.
    pub information: Option<InformationAnswer>,
    /// The inbound message as it may be kept once handled (Aadhaar numbers
    /// redacted), when that differs from what was received.
    pub redacted_payload: Option<String>,
    /// A grievance lodged by this message.
    pub grievance: Option<Grievance>,
    /// What the citizen added to a grievance of theirs.
    pub grievance_note: Option<CitizenNote>,
    /// A payment order this message made (a service's fee asked for).
    pub payment_order: Option<PaymentRecord>,
    /// A payment this message (the gateway's event) settled.
    pub payment_settled: Option<PaymentSettled>,
}

impl Completion {
    /// Handling `record`, so far with nothing produced: the message is
    /// marked handled by its own key.
    pub fn of(record: &InboundRecord) -> Self {
        Self { wamid: record.wamid.clone(), sent_at: record.sent_at, ..Self::default() }
    }
}

/// A submitted application.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApplicationRecord {
    pub number: String,
    pub wa_id: String,
    pub phone_number_id: String,
    pub plugin_id: String,
    /// The plugin version that decided it.
    pub plugin_sha256: String,
    pub service_id: String,
    pub language: String,
    /// The answers as the plugin received them (JSON).
    pub answers: String,
    pub status: String,
    /// The issued document, as served at its link.
    pub document: Option<String>,
    pub submitted_at_ms: i64,
    /// The district the citizen named (an answer to a `district` field), for
    /// the dashboards' filters.
    #[serde(default)]
    pub district: Option<String>,
}

/// What a purged message body becomes.
pub const PURGED: &str = r#"{"purged":true}"#;

/// Most rows in one multi-row statement: well under SQLite's 32,766 bound
/// parameters and PostgreSQL's 65,535 at ten columns a row.
const ROWS_PER_STATEMENT: usize = 256;

/// Splits `items` into chunks whose sizes are powers of two (256, 128, … 1).
/// A multi-row statement's text depends on its row count; with only nine
/// sizes each table's few statements stay in the connection's prepared
/// statement cache instead of being parsed again for every batch size.
fn statement_chunks<T>(items: &[T]) -> impl Iterator<Item = &[T]> {
    let mut rest = items;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let size = if rest.len() >= ROWS_PER_STATEMENT { ROWS_PER_STATEMENT } else { 1 << rest.len().ilog2() };
        let (chunk, tail) = rest.split_at(size);
        rest = tail;
        Some(chunk)
    })
}

/// How long a claimed outbox item is reserved for the host sending it; past
/// that, another sender may take it (the first one crashed).
pub const SEND_LEASE_MS: i64 = 30_000;

/// How long a message taken over by [`Store::lease_unhandled`] is reserved
/// for the worker that took it.
pub const INBOUND_LEASE_MS: i64 = 30_000;

impl Store {
    /// Marks `rows` handled messages, bound as `(sent_at, wamid)` each and
    /// then the time. Joined on their key, each row is found through it (for
    /// a row-value `IN (VALUES …)` SQLite 3.40 scans the whole table).
    fn mark_handled_sql(&self, rows: usize) -> String {
        let keys = vec!["(?, ?)"; rows].join(", ");
        self.sql(&format!(
            "WITH v (sent_at, wamid) AS (VALUES {keys}) UPDATE{} inbound_messages SET processed_at_ms = ? \
             FROM v WHERE inbound_messages.sent_at = v.sent_at AND inbound_messages.wamid = v.wamid",
            self.or_ignore()
        ))
    }

    /// [`Store::lease_unhandled`]'s statement. The rows it takes are joined
    /// on their key (`IN (SELECT …)` would search by its first column only).
    fn lease_sql(&self) -> String {
        let lock = match self {
            Store::Sqlite(_) => "",
            Store::Postgres(_) => "FOR UPDATE SKIP LOCKED",
        };
        self.sql(&format!(
            "UPDATE inbound_messages SET lease_until_ms = ? \
             FROM (SELECT sent_at AS due_sent_at, wamid AS due_wamid FROM inbound_messages \
             WHERE processed_at_ms IS NULL AND received_at_ms < ? AND (lease_until_ms IS NULL OR lease_until_ms < ?) \
             ORDER BY received_at_ms LIMIT ? {lock}) AS due WHERE sent_at = due_sent_at AND wamid = due_wamid \
             RETURNING wamid, phone_number_id, wa_id, profile_name, kind, payload, sent_at, received_at_ms"
        ))
    }

    /// What follows `INSERT` (with [`Store::unless_stored`] at the end) and
    /// `UPDATE` in the writer's batch statements: `OR IGNORE` on SQLite, so
    /// that no row can make a statement fail halfway, and SQLite keeps no
    /// statement journal for it. With one, every page a statement of the
    /// transaction changes is first copied aside (to a temporary file once
    /// past 64 KiB) in case the statement alone must be undone; the
    /// writer's batches commit or fail whole and never need it
    /// (BENCHMARKS.md, "No statement journals"). The tables written so have
    /// no key but the one named, and every column the writes fill is typed
    /// non-optional where the schema says `NOT NULL`, so ignoring covers
    /// exactly the stored key, as `ON CONFLICT … DO NOTHING` does on
    /// PostgreSQL.
    fn or_ignore(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => " OR IGNORE",
            Store::Postgres(_) => "",
        }
    }

    /// The tail of a batch insert on the table's `key` ([`Store::or_ignore`]):
    /// PostgreSQL names the key it skips rows on.
    fn unless_stored(&self, key: &str) -> String {
        match self {
            Store::Sqlite(_) => String::new(),
            Store::Postgres(_) => format!(" ON CONFLICT ({key}) DO NOTHING"),
        }
    }

    /// `?` placeholders for SQLite, `$1, $2…` for PostgreSQL.
    fn sql(&self, query: &str) -> String {
        match self {
            Store::Sqlite(_) => query.to_owned(),
            Store::Postgres(_) => {
                let mut out = String::with_capacity(query.len() + 8);
                let mut n = 0;
                for c in query.chars() {
                    if c == '?' {
                        n += 1;
                        out.push('$');
                        out.push_str(&n.to_string());
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }

    /// The saved conversation state of `wa_id`, if any.
    pub async fn load_session(&self, wa_id: &str) -> anyhow::Result<Option<String>> {
        let sql = self.sql("SELECT data FROM sessions WHERE wa_id = ?");
        Ok(with_pool!(self, pool => sqlx::query_scalar(&sql).bind(wa_id).fetch_optional(pool).await?))
    }

    /// The saved conversation states of several citizens at once.
    pub async fn load_sessions(&self, wa_ids: &[String]) -> anyhow::Result<HashMap<String, String>> {
        if wa_ids.is_empty() {
            return Ok(Default::default());
        }
        let mut sessions = HashMap::with_capacity(wa_ids.len());
        // Chunked as the commit's statements are, so that each size's
        // statement is prepared once, not once per batch size.
        for chunk in statement_chunks(wa_ids) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = self.sql(&format!("SELECT wa_id, data FROM sessions WHERE wa_id IN ({marks})"));
            with_pool!(self, pool => {
                let mut query = sqlx::query(&sql);
                for wa_id in chunk {
                    query = query.bind(wa_id);
                }
                sessions.extend(query.fetch_all(pool).await?.into_iter().map(|r| (r.get(0), r.get(1))));
            });
        }
        Ok(sessions)
    }

    /// Leases up to `limit` unhandled messages received before
    /// `received_before_ms` whose lease (if any) ended before `lease_ended_before_ms`,
    /// for [`INBOUND_LEASE_MS`]; oldest first. Messages normally reach the
    /// worker in memory; this is how a restart, or another host, takes over
    /// the ones a stopped process left. On PostgreSQL concurrent hosts skip
    /// each other's rows, so a message is taken by one.
    pub async fn lease_unhandled(
        &self,
        received_before_ms: i64,
        lease_ended_before_ms: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<InboundRecord>> {
        let sql = self.lease_sql();
        let mut records: Vec<InboundRecord> = with_pool!(self, pool => sqlx::query(&sql)
            .bind(now_ms() + INBOUND_LEASE_MS)
            .bind(received_before_ms)
            .bind(lease_ended_before_ms)
            .bind(limit)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| InboundRecord {
                wamid: r.get(0),
                phone_number_id: r.get(1),
                wa_id: r.get(2),
                profile_name: r.get(3),
                kind: r.get(4),
                payload: r.get(5),
                sent_at: r.get(6),
                received_at_ms: r.get(7),
            })
            .collect());
        // RETURNING promises no order; a citizen's messages are handled in theirs.
        records.sort_by(|a, b| (a.received_at_ms, a.sent_at, &a.wamid).cmp(&(b.received_at_ms, b.sent_at, &b.wamid)));
        Ok(records)
    }

    /// After a restart on SQLite (one process per file): every reply the
    /// process before left unsent (queued before `started_ms`), oldest first,
    /// leased to this process ([`SEND_LEASE_MS`]) so its sender holds them
    /// in memory, in each citizen's order, ahead of anything new for them.
    pub async fn take_over_sends(&self, started_ms: i64) -> anyhow::Result<Vec<OutboxItem>> {
        let sql = self.sql(
            "UPDATE outbox SET state = 'sending', next_attempt_at_ms = ? \
             WHERE state IN ('pending', 'sending') AND created_at_ms < ? \
             RETURNING id, phone_number_id, wa_id, body, attempts, window_until_ms, fallback, created_at_ms",
        );
        let mut rows: Vec<(i64, OutboxItem)> = with_pool!(self, pool => sqlx::query(&sql)
            .bind(now_ms() + SEND_LEASE_MS)
            .bind(started_ms.saturating_mul(1000))
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| (r.get::<i64, _>(7), outbox_item!(r)))
            .collect());
        rows.sort_by_key(|(created, _)| *created);
        Ok(rows.into_iter().map(|(_, item)| item).collect())
    }

    /// An application by number.
    pub async fn application(&self, number: &str) -> anyhow::Result<Option<ApplicationRecord>> {
        let sql = self.sql(
            "SELECT number, wa_id, phone_number_id, plugin_id, plugin_sha256, service_id, language, answers, status, \
             document, submitted_at_ms, district FROM applications WHERE number = ?",
        );
        Ok(with_pool!(self, pool => sqlx::query(&sql).bind(number).fetch_optional(pool).await?.map(|r| {
            ApplicationRecord {
                number: r.get(0),
                wa_id: r.get(1),
                phone_number_id: r.get(2),
                plugin_id: r.get(3),
                plugin_sha256: r.get(4),
                service_id: r.get(5),
                language: r.get(6),
                answers: r.get(7),
                status: r.get(8),
                document: r.get(9),
                submitted_at_ms: r.get(10),
                district: r.get(11),
            }
        })))
    }

    /// Claims up to `limit` due outbox items for sending (a lease of
    /// [`SEND_LEASE_MS`]), longest due first. Only a citizen's oldest undelivered message is
    /// claimable, so a citizen's replies arrive in the order they were made.
    /// On PostgreSQL concurrent hosts skip each other's rows, so each message
    /// goes out once.
    pub async fn claim_outbox(&self, limit: i64) -> anyhow::Result<Vec<OutboxItem>> {
        let now = now_ms();
        // Walk only the due rows, longest due first, and stop at the limit:
        // left to itself SQLite's planner would check every due row of a
        // backlog on each claim, then sort them; walked in creation order it
        // would step over every reply in flight (leased, not due: tens of
        // thousands under load) to find none.
        let (index, lock) = match self {
            Store::Sqlite(_) => ("INDEXED BY outbox_undelivered_due", ""),
            Store::Postgres(_) => ("", "FOR UPDATE SKIP LOCKED"),
        };
        let sql = self.sql(&format!(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, next_attempt_at_ms = ? \
             WHERE id IN (SELECT id FROM outbox o {index} WHERE state IN ('pending', 'sending') AND next_attempt_at_ms <= ? \
             AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.wa_id = o.wa_id AND e.created_at_ms < o.created_at_ms \
             AND e.state IN ('pending', 'sending')) \
             ORDER BY next_attempt_at_ms, created_at_ms LIMIT ? {lock}) \
             RETURNING id, phone_number_id, wa_id, body, attempts, window_until_ms, fallback"
        ));
        let mut items: Vec<OutboxItem> = with_pool!(self, pool => sqlx::query(&sql)
            .bind(now + SEND_LEASE_MS)
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| outbox_item!(r))
            .collect());
        items.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(items)
    }

    /// Records the failed `attempts`th attempt. A retry stays with this
    /// sender, leased until [`SEND_LEASE_MS`] past `retry_at_ms` (another
    /// sender takes it only if this one stops); without one the message is
    /// given up.
    pub async fn outbox_failed(
        &self,
        id: &str,
        attempts: i64,
        error: &str,
        retry_at_ms: Option<i64>,
    ) -> anyhow::Result<()> {
        let (state, at) = match retry_at_ms {
            Some(at) => ("sending", at + SEND_LEASE_MS),
            None => ("failed", now_ms()),
        };
        let sql =
            self.sql("UPDATE outbox SET state = ?, attempts = ?, next_attempt_at_ms = ?, last_error = ? WHERE id = ?");
        with_pool!(self, pool => {
            sqlx::query(&sql).bind(state).bind(attempts).bind(at).bind(error).bind(id).execute(pool).await?;
        });
        Ok(())
    }

    /// Retention: forgets what closed conversations said before `before_ms`
    /// (bodies of handled inbound messages and of sent or given-up outbox
    /// messages become `{"purged":true}`; idle conversation states are
    /// deleted). Ids, times and delivery states stay for the statistics.
    /// Returns the rows purged.
    pub async fn purge_conversations(&self, before_ms: i64) -> anyhow::Result<u64> {
        let inbound = self.sql(
            "UPDATE inbound_messages SET payload = ? WHERE processed_at_ms IS NOT NULL AND received_at_ms < ? \
             AND payload <> ?",
        );
        let outbox = self.sql(
            "UPDATE outbox SET body = ?, fallback = NULL WHERE state IN ('sent', 'failed') AND created_at_ms < ? \
             AND body <> ?",
        );
        let sessions = self.sql("DELETE FROM sessions WHERE updated_at_ms < ?");
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut purged = sqlx::query(&inbound).bind(PURGED).bind(before_ms).bind(PURGED).execute(&mut *tx).await?.rows_affected();
            // Outbox rows are ordered in microseconds (see `reply_order`).
            purged += sqlx::query(&outbox).bind(PURGED).bind(before_ms.saturating_mul(1000)).bind(PURGED).execute(&mut *tx).await?.rows_affected();
            purged += sqlx::query(&sessions).bind(before_ms).execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            purged
        }))
    }

    /// How many messages wait in the outbox (pending or being sent).
    pub async fn outbox_depth(&self) -> anyhow::Result<i64> {
        let sql = "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')";
        Ok(with_pool!(self, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await?))
    }

    /// The furthest delivery state Meta reported for an outbox item:
    /// statuses arrive in any order, and the furthest of them is the state
    /// (`failed` is Meta's last word on a message that could not be
    /// delivered).
    pub async fn outbox_delivery(&self, id: &str) -> anyhow::Result<Option<String>> {
        let sql = self.sql(
            "SELECT s.status FROM outbox o JOIN message_statuses s ON s.message_id = o.wamid WHERE o.id = ? \
             ORDER BY CASE s.status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 \
             WHEN 'played' THEN 3 WHEN 'failed' THEN 4 ELSE 0 END DESC LIMIT 1",
        );
        Ok(with_pool!(self, pool => sqlx::query_scalar::<_, String>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// The state (`pending`, `sending`, `sent`, `failed`) and attempts of an outbox item.
    pub async fn outbox_state(&self, id: &str) -> anyhow::Result<Option<(String, i64, Option<String>)>> {
        let sql = self.sql("SELECT state, attempts, last_error FROM outbox WHERE id = ?");
        Ok(with_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .map(|r| (r.get(0), r.get::<i64, _>(1), r.get(2)))))
    }
}

/// Whether a SQLite database lives in memory, not in a file (so only its
/// own connection sees it, and there is nothing to sync).
fn in_memory(options: &SqliteConnectOptions) -> bool {
    let database = options.get_filename().as_os_str();
    database.is_empty() || database == ":memory:"
}

/// Whether a SQLite connection going back to the pool may serve again.
///
/// A write that fails for want of space (the disk full) is rolled back by
/// SQLite itself; the ROLLBACK sqlx then sends fails, and sqlx keeps counting
/// a transaction. On that connection every later transaction would be a
/// savepoint inside one that never commits: writes would seem to succeed
/// (webhooks answered 200) and never reach the file. Such a connection is
/// closed (the pool opens another). Most releases hold no transaction and
/// cost nothing here; otherwise a ping first lets the ROLLBACK of a dropped
/// transaction, queued on the connection, run.
async fn still_usable(conn: &mut sqlx::SqliteConnection) -> Result<bool, sqlx::Error> {
    use sqlx::{Connection as _, TransactionManager as _};
    let depth = |conn: &sqlx::SqliteConnection| {
        <sqlx::Sqlite as sqlx::Database>::TransactionManager::get_transaction_depth(conn)
    };
    if depth(conn) == 0 {
        return Ok(true);
    }
    conn.ping().await?;
    let depth = depth(conn);
    if depth > 0 {
        tracing::warn!(depth, "a database connection left inside a failed transaction is closed");
    }
    Ok(depth == 0)
}

/// Orders a citizen's replies as they were produced (`created_at_ms` holds
/// microseconds-ish: never less than the last one this process gave out).
fn reply_order(now_ms: i64) -> i64 {
    use std::sync::atomic::{AtomicI64, Ordering};
    static LAST: AtomicI64 = AtomicI64::new(0);
    let mut next = 0;
    let _ = LAST.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
        next = (last + 1).max(now_ms * 1000);
        Some(next)
    });
    next
}

/// Milliseconds since the Unix epoch, on Mitra's one clock (which tests and
/// demos can pin to a chosen day: [`mitra_sdk::clock`]).
pub fn now_ms() -> i64 {
    mitra_sdk::clock::now_unix_ms()
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{user}:***@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Meta's retries are no-ops by the inbound key `(sent_at, wamid)`; every
    /// statement that looks a message up by it must search that key's index,
    /// not read the table (a scan per commit would cost more than the rest).
    #[tokio::test]
    async fn inbound_messages_are_found_by_their_key_on_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}", dir.path().join("mitra.db").display())).await.unwrap();
        let Store::Sqlite(pool) = &store else { unreachable!() };
        for sql in [store.mark_handled_sql(1), store.mark_handled_sql(16), store.lease_sql(), REDACT_INBOUND.into()] {
            let rows = sqlx::query(&format!("EXPLAIN QUERY PLAN {sql}"))
                .fetch_all(pool)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            let plan = rows.iter().map(|r| r.get::<String, _>("detail")).collect::<Vec<_>>().join("\n");
            assert!(!plan.contains("SCAN inbound_messages"), "{sql}\nreads the whole table:\n{plan}");
            assert!(plan.contains("(sent_at=? AND wamid=?)"), "{sql}\nfinds rows otherwise:\n{plan}");
        }
    }

    /// A commit keeps exactly what it is given, and a later one finds it by
    /// its keys: text that is not plain (quotes, backslashes, a NUL, emoji,
    /// Telugu, JSON itself), absent values, and integers at their limits.
    #[tokio::test]
    async fn a_commit_keeps_what_it_is_given_on_sqlite() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        let odd = "\"quoted\" \\back\\slash\\u0041 \u{0} nul, emoji 🙏🏽, తెలుగు, {\"json\": [1, null]}\n\t";
        let citizen = "919900000001";
        let message = |wamid: &str, profile: Option<&str>, sent_at: i64| InboundRecord {
            wamid: wamid.into(),
            phone_number_id: "1001".into(),
            wa_id: citizen.into(),
            profile_name: profile.map(Into::into),
            kind: "text".into(),
            payload: serde_json::json!({ "text": { "body": odd } }).to_string(),
            sent_at,
            received_at_ms: 1_764_900_000_000,
        };
        let inbound = vec![message("wamid.A", Some(odd), 1_764_900_000), message("wamid.B", None, i64::MAX)];
        fn writes<'a>(
            inbound: &'a [InboundRecord],
            statuses: &'a [StatusRecord],
            completions: &'a [Completion],
            sent: &'a [(String, String)],
        ) -> Writes<'a> {
            Writes { inbound, statuses, completions, sent }
        }
        let new = store.commit(&writes(&inbound, &[], &[], &[])).await.unwrap();
        assert_eq!(new, inbound);
        assert_eq!(store.inbound_of(citizen).await.unwrap(), inbound);
        assert!(store.commit(&writes(&inbound, &[], &[], &[])).await.unwrap().is_empty(), "stored once");

        let reply = |i: usize, fallback: Option<&str>, window_until_ms: Option<i64>| OutboxItem {
            id: OutboxItem::reply_id(1_764_900_000_000, "wamid.A", i),
            phone_number_id: "1001".into(),
            wa_id: citizen.into(),
            body: odd.into(),
            attempts: 1,
            window_until_ms,
            fallback: fallback.map(Into::into),
        };
        let replies = vec![reply(0, Some(odd), Some(i64::MAX)), reply(1, None, None)];
        let handled = Completion {
            session: Some((citizen.into(), odd.into())),
            replies: replies.clone(),
            ..Completion::of(&inbound[0])
        };
        store.commit(&writes(&[], &[], &[handled], &[])).await.unwrap();
        assert_eq!(store.load_session(citizen).await.unwrap().as_deref(), Some(odd));
        let unhandled = store.lease_unhandled(i64::MAX, i64::MAX, 10).await.unwrap();
        assert_eq!(unhandled, inbound[1..], "the handled message is marked, the other is not");
        let queued = store.take_over_sends(now_ms() + 1_000).await.unwrap();
        assert_eq!(queued, replies);

        // A status naming a reply proves it sent; a send recorded names its
        // wamid, by which its statuses are found.
        let status = |message_id: &str, status: &str, callback: Option<&str>| StatusRecord {
            message_id: message_id.into(),
            status: status.into(),
            recipient_id: citizen.into(),
            sent_at: 1_764_900_001,
            errors: Some(odd.into()),
            callback: callback.map(Into::into),
        };
        let statuses = [status("wamid.OUT0", "delivered", None), status("wamid.OUT1", "failed", Some(&replies[1].id))];
        let sent = [(replies[0].id.clone(), "wamid.OUT0".to_owned())];
        store.commit(&writes(&[], &statuses, &[], &sent)).await.unwrap();
        for (reply, delivery) in replies.iter().zip(["delivered", "failed"]) {
            assert_eq!(store.outbox_state(&reply.id).await.unwrap().map(|s| s.0).as_deref(), Some("sent"));
            assert_eq!(store.outbox_delivery(&reply.id).await.unwrap().as_deref(), Some(delivery));
        }
    }

    #[test]
    fn statements_come_in_power_of_two_sizes() {
        let items: Vec<u32> = (0..600).collect();
        let sizes: Vec<usize> = statement_chunks(&items).map(<[u32]>::len).collect();
        assert_eq!(sizes, [256, 256, 64, 16, 8]);
        assert_eq!(statement_chunks(&items).flatten().count(), 600);
        assert_eq!(statement_chunks::<u32>(&[]).count(), 0);
    }

    #[test]
    fn reply_ids_sort_by_arrival_and_give_back_what_they_were_made_from() {
        let wamid = "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhggQTNCRkU1~#x";
        let early = OutboxItem::reply_id(1_764_900_000_000, "wamid.ZZZ", 1);
        let late = OutboxItem::reply_id(1_764_900_000_001, "wamid.AAA", 0);
        assert!(early < late, "text order is arrival order whatever the message ids");
        // Fixed width until the year 2527: no id sorts by its length.
        assert_eq!(early.len(), OutboxItem::reply_id(16_i64.pow(10), "wamid.ZZZ", 1).len());
        let id = OutboxItem::reply_id(1_764_900_000_000, wamid, 12);
        assert_eq!(OutboxItem::reply_to(&id), Some((wamid, 12)));
        let item = |id: &str| OutboxItem {
            id: id.into(),
            phone_number_id: String::new(),
            wa_id: String::new(),
            body: String::new(),
            attempts: 0,
            window_until_ms: None,
            fallback: None,
        };
        assert_eq!(item(&id).request_id(), wamid);
        // Items that are not replies: the event before the `#`.
        assert_eq!(OutboxItem::reply_to("ATH-2026-000042/919876543210/1764900000000#0"), None);
        assert_eq!(
            item("ATH-2026-000042/919876543210/1764900000000#0").request_id(),
            "ATH-2026-000042/919876543210/1764900000000"
        );
        // A reply queued before ids began with the arrival time.
        assert_eq!(item("wamid.OLD#1").request_id(), "wamid.OLD");
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://mitra:s3cret@db:5432/mitra"), "postgres://mitra:***@db:5432/mitra");
        assert_eq!(redact("postgres://127.0.0.1/test"), "postgres://127.0.0.1/test");
    }
}
