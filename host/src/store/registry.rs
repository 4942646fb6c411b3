//! The registry's tables: installed plugin versions, deployments, and the
//! operators' audit log.

use serde::Serialize;
use sqlx::{QueryBuilder, Row};

use super::{Store, now_ms};

/// One installed version, without its package bytes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VersionRecord {
    pub plugin_id: String,
    pub version: String,
    pub sha256: String,
    pub vendor_key: String,
    pub uploader: String,
    pub uploaded_at_ms: i64,
}

/// What one department serves.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Deployment {
    pub plugin_id: String,
    pub active: String,
    pub candidate: Option<String>,
    pub candidate_percent: i64,
    /// Versions rollback returns to, newest last.
    pub previous: Vec<String>,
    /// Bumped by every change: hosts compare it to what they serve.
    pub generation: i64,
    pub updated_by: String,
    pub updated_at_ms: i64,
}

/// One audited operator action.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuditEntry {
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub plugin_id: Option<String>,
    pub version: Option<String>,
    pub outcome: String,
    pub detail: String,
}

/// Appends an [`AuditEntry`] (`?` placeholders: pass it through `Store::sql`).
pub(super) const AUDIT_INSERT: &str = "INSERT INTO admin_audit (at_ms, actor, action, plugin_id, version, outcome, detail) \
     VALUES (?, ?, ?, ?, ?, ?, ?)";

/// The [`AUDIT_INSERT`] query for `entry`, on either backend (and inside
/// another write's transaction).
macro_rules! audit_insert {
    ($sql:expr, $entry:expr) => {{
        let entry: &AuditEntry = $entry;
        sqlx::query($sql)
            .bind(entry.at_ms)
            .bind(&entry.actor)
            .bind(&entry.action)
            .bind(&entry.plugin_id)
            .bind(&entry.version)
            .bind(&entry.outcome)
            .bind(&entry.detail)
    }};
}
pub(super) use audit_insert;

/// The PostgreSQL channel deployments are announced on.
pub const DEPLOYMENTS_CHANNEL: &str = "mitra_deployments";

impl Store {
    /// Tells every host on this database that `plugin_id`'s deployment
    /// changed (PostgreSQL NOTIFY; nothing to tell on SQLite's one host).
    pub async fn announce_deployment(&self, plugin_id: &str) -> anyhow::Result<()> {
        if let Store::Postgres(pool) = self {
            sqlx::query("SELECT pg_notify($1, $2)").bind(DEPLOYMENTS_CHANNEL).bind(plugin_id).execute(pool).await?;
        }
        Ok(())
    }

    /// Stores an installed version; a second upload of the same version is
    /// accepted only with the same package (returns false: nothing new).
    pub async fn insert_version(&self, record: &VersionRecord, package: &[u8]) -> anyhow::Result<bool> {
        let sql = self.sql(
            "INSERT INTO plugin_versions (plugin_id, version, sha256, vendor_key, uploader, uploaded_at_ms, package) \
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (plugin_id, version) DO NOTHING",
        );
        let inserted = with_pool!(self, pool => sqlx::query(&sql)
            .bind(&record.plugin_id)
            .bind(&record.version)
            .bind(&record.sha256)
            .bind(&record.vendor_key)
            .bind(&record.uploader)
            .bind(record.uploaded_at_ms)
            .bind(package)
            .execute(pool)
            .await?
            .rows_affected());
        if inserted == 1 {
            return Ok(true);
        }
        let existing = self.version(&record.plugin_id, &record.version).await?;
        match existing {
            Some(v) if v.sha256 == record.sha256 => Ok(false),
            Some(v) => anyhow::bail!(
                "{} {} is already installed with another package (sha256 {}); versions are immutable, bump the version",
                record.plugin_id,
                record.version,
                v.sha256
            ),
            None => anyhow::bail!("{} {} vanished while being installed", record.plugin_id, record.version),
        }
    }

    /// One installed version's record.
    pub async fn version(&self, plugin_id: &str, version: &str) -> anyhow::Result<Option<VersionRecord>> {
        // Operators' actions only, over tens of versions: the list serves.
        Ok(self.versions().await?.into_iter().find(|v| v.plugin_id == plugin_id && v.version == version))
    }

    /// Every installed version, by plugin and upload time.
    pub async fn versions(&self) -> anyhow::Result<Vec<VersionRecord>> {
        let sql = "SELECT plugin_id, version, sha256, vendor_key, uploader, uploaded_at_ms FROM plugin_versions \
                   ORDER BY plugin_id, uploaded_at_ms";
        Ok(with_pool!(self, pool => sqlx::query(sql)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| VersionRecord {
                plugin_id: r.get(0),
                version: r.get(1),
                sha256: r.get(2),
                vendor_key: r.get(3),
                uploader: r.get(4),
                uploaded_at_ms: r.get(5),
            })
            .collect()))
    }

    /// The package bytes of an installed version.
    pub async fn package(&self, plugin_id: &str, version: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let sql = self.sql("SELECT package FROM plugin_versions WHERE plugin_id = ? AND version = ?");
        Ok(with_pool!(self, pool => sqlx::query_scalar::<_, Vec<u8>>(&sql)
            .bind(plugin_id)
            .bind(version)
            .fetch_optional(pool)
            .await?))
    }

    /// Every department's deployment.
    pub async fn deployments(&self) -> anyhow::Result<Vec<Deployment>> {
        let sql = "SELECT plugin_id, active, candidate, candidate_percent, previous, generation, updated_by, \
                   updated_at_ms FROM plugin_deployments ORDER BY plugin_id";
        let rows: Vec<(Deployment, String)> = with_pool!(self, pool => sqlx::query(sql)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| {
                (
                    Deployment {
                        plugin_id: r.get(0),
                        active: r.get(1),
                        candidate: r.get(2),
                        candidate_percent: r.get(3),
                        previous: Vec::new(),
                        generation: r.get(5),
                        updated_by: r.get(6),
                        updated_at_ms: r.get(7),
                    },
                    r.get::<String, _>(4),
                )
            })
            .collect());
        rows.into_iter()
            .map(|(mut d, previous)| {
                d.previous = serde_json::from_str(&previous)?;
                Ok(d)
            })
            .collect()
    }

    /// One department's deployment.
    pub async fn deployment(&self, plugin_id: &str) -> anyhow::Result<Option<Deployment>> {
        Ok(self.deployments().await?.into_iter().find(|d| d.plugin_id == plugin_id))
    }

    /// Replaces a department's deployment if its generation is still
    /// `expected` (`None`: there is none yet). Returns false when another
    /// operator or host changed it first.
    pub async fn put_deployment(&self, d: &Deployment, expected: Option<i64>) -> anyhow::Result<bool> {
        let previous = serde_json::to_string(&d.previous)?;
        let changed = match expected {
            None => {
                let sql = self.sql(
                    "INSERT INTO plugin_deployments (plugin_id, active, candidate, candidate_percent, previous, \
                     generation, updated_by, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
                     ON CONFLICT (plugin_id) DO NOTHING",
                );
                with_pool!(self, pool => sqlx::query(&sql)
                    .bind(&d.plugin_id)
                    .bind(&d.active)
                    .bind(&d.candidate)
                    .bind(d.candidate_percent)
                    .bind(&previous)
                    .bind(d.generation)
                    .bind(&d.updated_by)
                    .bind(d.updated_at_ms)
                    .execute(pool)
                    .await?
                    .rows_affected())
            }
            Some(generation) => {
                let sql = self.sql(
                    "UPDATE plugin_deployments SET active = ?, candidate = ?, candidate_percent = ?, previous = ?, \
                     generation = ?, updated_by = ?, updated_at_ms = ? WHERE plugin_id = ? AND generation = ?",
                );
                with_pool!(self, pool => sqlx::query(&sql)
                    .bind(&d.active)
                    .bind(&d.candidate)
                    .bind(d.candidate_percent)
                    .bind(&previous)
                    .bind(d.generation)
                    .bind(&d.updated_by)
                    .bind(d.updated_at_ms)
                    .bind(&d.plugin_id)
                    .bind(generation)
                    .execute(pool)
                    .await?
                    .rows_affected())
            }
        };
        Ok(changed == 1)
    }

    /// Appends to the audit log.
    pub async fn audit(&self, entry: &AuditEntry) -> anyhow::Result<()> {
        let sql = self.sql(AUDIT_INSERT);
        with_pool!(self, pool => {
            audit_insert!(&sql, entry).execute(pool).await?;
        });
        Ok(())
    }

    /// The newest `limit` audit entries, newest first; with `departments`,
    /// only the entries about those departments.
    pub async fn audit_log(&self, limit: i64, departments: Option<&[String]>) -> anyhow::Result<Vec<AuditEntry>> {
        macro_rules! entries {
            ($pool:expr, $db:ty) => {{
                let mut q = QueryBuilder::<$db>::new(
                    "SELECT at_ms, actor, action, plugin_id, version, outcome, detail FROM admin_audit",
                );
                match departments {
                    None => {}
                    Some([]) => {
                        q.push(" WHERE 1 = 0");
                    }
                    Some(departments) => {
                        q.push(" WHERE plugin_id IN (");
                        let mut list = q.separated(", ");
                        for d in departments {
                            list.push_bind(d.as_str());
                        }
                        q.push(")");
                    }
                }
                q.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
                q.build()
                    .fetch_all($pool)
                    .await?
                    .into_iter()
                    .map(|r| AuditEntry {
                        at_ms: r.get(0),
                        actor: r.get(1),
                        action: r.get(2),
                        plugin_id: r.get(3),
                        version: r.get(4),
                        outcome: r.get(5),
                        detail: r.get(6),
                    })
                    .collect()
            }};
        }
        Ok(match self {
            Store::Sqlite(pool) => entries!(pool, sqlx::Sqlite),
            Store::Postgres(pool) => entries!(pool, sqlx::Postgres),
        })
    }
}

impl AuditEntry {
    /// An entry stamped now.
    pub fn now(
        actor: &str,
        action: &str,
        plugin_id: Option<&str>,
        version: Option<&str>,
        outcome: &str,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            at_ms: now_ms(),
            actor: actor.into(),
            action: action.into(),
            plugin_id: plugin_id.map(Into::into),
            version: version.map(Into::into),
            outcome: outcome.into(),
            detail: detail.into(),
        }
    }
}
