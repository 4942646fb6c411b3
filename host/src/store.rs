//! Durable state through sqlx: SQLite embedded by default, PostgreSQL when the
//! database URL says `postgres://`. Each backend has its own migrations
//! (the SQL dialects differ in small ways) and the same queries.

use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use serde::Serialize;
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

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
        let at_ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
        Self {
            at_ms,
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
                .busy_timeout(std::time::Duration::from_secs(5));
            if let Some(parent) = options.get_filename().parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            let pool =
                SqlitePoolOptions::new().max_connections(8).connect_with(options).await.context("opening SQLite")?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await.context("migrating SQLite")?;
            Ok(Store::Sqlite(pool))
        }
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
            Store::Sqlite(pool) => drop(insert!(pool, format!("{INSERT} (?, ?, ?, ?, ?, ?)"))),
            Store::Postgres(pool) => drop(insert!(pool, format!("{INSERT} ($1, $2, $3, $4, $5, $6)"))),
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

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://mitra:s3cret@db:5432/mitra"), "postgres://mitra:***@db:5432/mitra");
        assert_eq!(redact("postgres://127.0.0.1/test"), "postgres://127.0.0.1/test");
    }
}
