//! Plugin versions arriving as signed packages: verified before anything is
//! compiled, then compiled and checked for conformance, stored as installed
//! versions, and published — atomically, in place of the version being
//! served, or to a share of citizens — when an operator activates them.
//! Calls in flight finish on the version they began on (the catalogue hands
//! out `Arc`s); rollback republishes the version before.

mod health;
pub mod package;

pub use health::{AUTO_ROLLBACK, RollbackPolicy};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::plugin_dev::conformance;
use crate::runtime::{Catalog, Plugin, Runtime};
use crate::store::{AuditEntry, Deployment, Store, VersionRecord};
use package::{PackageError, TrustedKeys};

/// Why a package was not installed. Whatever the reason, the version being
/// served goes on being served.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// Refused before compiling: not signed by a trusted vendor, changed
    /// after signing, another contract, a bad manifest.
    #[error("package refused: {0}")]
    Refused(#[from] PackageError),
    /// The component did not load (does not compile, traps in `describe`…).
    #[error("the plugin does not load: {0}")]
    Load(#[from] crate::runtime::Error),
    /// It loaded but fails the conformance checks.
    #[error("the plugin fails the conformance checks: {0}")]
    Conformance(String),
    #[error(transparent)]
    Host(#[from] anyhow::Error),
}

impl InstallError {
    /// A short, stable name for the API and the audit log.
    pub fn kind(&self) -> &'static str {
        match self {
            InstallError::Refused(e) => e.kind(),
            InstallError::Load(e) => e.kind(),
            InstallError::Conformance(_) => "conformance",
            InstallError::Host(_) => "host",
        }
    }
}

/// Verifies, unpacks, compiles and checks a package; the version is ready to
/// publish but not yet published.
pub fn prepare(
    runtime: &Runtime,
    trusted: &TrustedKeys,
    root: &Path,
    bytes: &[u8],
) -> Result<Arc<Plugin>, InstallError> {
    prepare_verified(runtime, root, &package::open(bytes, trusted)?)
}

/// [`prepare`] for a package already verified. It is unpacked under
/// `root/<id>/<version>-<sha256 prefix>/`.
fn prepare_verified(runtime: &Runtime, root: &Path, verified: &package::Verified) -> Result<Arc<Plugin>, InstallError> {
    let dir: PathBuf =
        root.join(&verified.manifest.id).join(format!("{}-{}", verified.manifest.version, &verified.sha256[..12]));
    if !dir.join(crate::runtime::MANIFEST_FILE).is_file() {
        // Unpack beside, then rename: a half-written directory is never loaded.
        let partial = dir.with_extension("partial");
        let _ = std::fs::remove_dir_all(&partial);
        verified.unpack(&partial)?;
        std::fs::rename(&partial, &dir).map_err(anyhow::Error::from)?;
    }
    let checked = runtime.load_dir(&dir).map_err(InstallError::from).and_then(|plugin| {
        let report = conformance::check(&plugin);
        if report.passed() { Ok(Arc::new(plugin)) } else { Err(InstallError::Conformance(report.to_string())) }
    });
    if checked.is_err() {
        // Nothing of a refused version stays behind.
        let _ = std::fs::remove_dir_all(&dir);
    }
    checked
}

/// [`prepare`], then publish: the new version serves every call that starts
/// from now on. Returns the version it replaced.
pub fn install(
    runtime: &Runtime,
    catalog: &Catalog,
    trusted: &TrustedKeys,
    root: &Path,
    bytes: &[u8],
) -> Result<(Arc<Plugin>, Option<Arc<Plugin>>), InstallError> {
    let plugin = prepare(runtime, trusted, root, bytes)?;
    let replaced = catalog.publish(plugin.clone());
    tracing::info!(
        plugin = plugin.id(),
        version = %plugin.manifest().version,
        replaced = replaced.as_ref().map(|p| p.manifest().version.clone()),
        "plugin version published"
    );
    Ok((plugin, replaced))
}

/// A rollout's share of citizens: 1 to 100 %.
pub(crate) fn check_share(percent: u8) -> Result<(), RegistryError> {
    if !(1..=100).contains(&percent) {
        return Err(RegistryError::Invalid(format!("percent {percent} is outside 1..=100")));
    }
    Ok(())
}

/// Why a registry action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error(transparent)]
    Install(#[from] InstallError),
    #[error("not found: {0}")]
    NotFound(String),
    /// Another operator (or host) changed the deployment first.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Host(#[from] anyhow::Error),
}

impl RegistryError {
    /// A short, stable name for the API and the audit log.
    pub fn kind(&self) -> &'static str {
        match self {
            RegistryError::Install(e) => e.kind(),
            RegistryError::NotFound(_) => "not-found",
            RegistryError::Conflict(_) => "conflict",
            RegistryError::Invalid(_) => "invalid",
            RegistryError::Host(_) => "host",
        }
    }
}

/// What the registry holds and what this host serves.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Listing {
    pub versions: Vec<VersionRecord>,
    pub deployments: Vec<Deployment>,
    /// `(plugin id, version)` this host serves to everyone now.
    pub serving: Vec<(String, String)>,
}

/// The registry a host serves from: versions in the database, deployments
/// applied to the catalogue. Every action is audited.
pub struct Registry {
    store: Store,
    runtime: Runtime,
    catalog: Arc<Catalog>,
    trusted: TrustedKeys,
    root: PathBuf,
    /// Versions loaded in this process, so a rollback republishes at once.
    loaded: Mutex<HashMap<(String, String), Arc<Plugin>>>,
    /// The deployment generation this host serves, per plugin.
    served: Mutex<HashMap<String, i64>>,
    /// Each served version's call counters when it was published: what
    /// automatic rollback measures from.
    baselines: Mutex<HashMap<(String, String), (u64, u64)>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry").field("root", &self.root).field("trusted", &self.trusted.ids()).finish()
    }
}

impl Registry {
    /// A registry over `catalog`; packages are unpacked under `root`. The
    /// versions the catalogue already serves (from the plugins directory)
    /// are what a first activation can be rolled back to.
    pub fn new(store: Store, runtime: Runtime, catalog: Arc<Catalog>, trusted: TrustedKeys, root: PathBuf) -> Self {
        let loaded =
            catalog.plugins().into_iter().map(|p| ((p.id().to_owned(), p.manifest().version.clone()), p)).collect();
        Self {
            store,
            runtime,
            catalog,
            trusted,
            root,
            loaded: Mutex::new(loaded),
            served: Mutex::default(),
            baselines: Mutex::default(),
        }
    }

    /// The catalogue this registry publishes to.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// Verifies, compiles and checks a package and stores it as an installed
    /// version. It is not served until activated.
    pub async fn install(&self, package: Vec<u8>, actor: &str) -> Result<VersionRecord, RegistryError> {
        let outcome = self.install_unaudited(package, actor).await;
        let (plugin, version) = outcome.as_ref().ok().map(|v| (v.plugin_id.as_str(), v.version.as_str())).unzip();
        self.audit(actor, "install", plugin, version, &outcome, |v| v.sha256.clone()).await?;
        outcome
    }

    /// Records an action's outcome: "ok" and `detail` of what it made, or
    /// the error's kind and message.
    async fn audit<T>(
        &self,
        actor: &str,
        action: &str,
        plugin: Option<&str>,
        version: Option<&str>,
        outcome: &Result<T, RegistryError>,
        detail: impl FnOnce(&T) -> String,
    ) -> Result<(), RegistryError> {
        let (result, detail) = match outcome {
            Ok(done) => ("ok", detail(done)),
            Err(e) => (e.kind(), e.to_string()),
        };
        Ok(self.store.audit(&AuditEntry::now(actor, action, plugin, version, result, detail)).await?)
    }

    async fn install_unaudited(&self, package: Vec<u8>, actor: &str) -> Result<VersionRecord, RegistryError> {
        let (runtime, trusted, root) = (self.runtime.clone(), self.trusted.clone(), self.root.clone());
        // Verifying and compiling are CPU work: off the async workers.
        let (plugin, package, signature, sha256) = tokio::task::spawn_blocking(move || {
            let verified = package::open(&package, &trusted).map_err(InstallError::from)?;
            let plugin = prepare_verified(&runtime, &root, &verified)?;
            Ok::<_, InstallError>((plugin, package, verified.signature, verified.sha256))
        })
        .await
        .map_err(anyhow::Error::from)??;
        let record = VersionRecord {
            plugin_id: signature.plugin.clone(),
            version: signature.version.clone(),
            sha256,
            vendor_key: signature.key.clone(),
            uploader: actor.to_owned(),
            uploaded_at_ms: crate::store::now_ms(),
        };
        self.store.insert_version(&record, &package).await.map_err(|e| RegistryError::Conflict(format!("{e:#}")))?;
        self.loaded.lock().expect("registry lock").insert((record.plugin_id.clone(), record.version.clone()), plugin);
        // Other hosts compile it now, so its activation need not wait for that.
        if let Err(error) = self.store.announce_deployment(&record.plugin_id).await {
            tracing::warn!(error = format!("{error:#}"), "announcing an installed version failed");
        }
        Ok(self.store.version(&record.plugin_id, &record.version).await?.unwrap_or(record))
    }

    /// Serves installed `version` of `plugin_id`: to everyone at 100 %, or
    /// as a candidate to `percent` % of citizens (a staged rollout).
    pub async fn activate(
        &self,
        plugin_id: &str,
        version: &str,
        percent: u8,
        actor: &str,
    ) -> Result<Deployment, RegistryError> {
        let outcome = self.activate_unaudited(plugin_id, version, percent, actor).await;
        let detail = |d: &Deployment| format!("{percent} % (generation {})", d.generation);
        self.audit(actor, "activate", Some(plugin_id), Some(version), &outcome, detail).await?;
        outcome
    }

    async fn activate_unaudited(
        &self,
        plugin_id: &str,
        version: &str,
        percent: u8,
        actor: &str,
    ) -> Result<Deployment, RegistryError> {
        check_share(percent)?;
        if self.store.version(plugin_id, version).await?.is_none() {
            return Err(RegistryError::NotFound(format!("{plugin_id} {version} is not installed")));
        }
        // Compiled and checked before anything changes.
        self.load(plugin_id, version).await?;
        let current = self.store.deployment(plugin_id).await?;
        // The first deployment starts from what the plugins directory
        // serves, if anything: that is what rollback returns to.
        let mut next = match &current {
            Some(d) => d.clone(),
            None => Deployment {
                plugin_id: plugin_id.to_owned(),
                active: match self.catalog.get(plugin_id) {
                    Some(served) => served.manifest().version.clone(),
                    None if percent == 100 => version.to_owned(),
                    None => {
                        return Err(RegistryError::Invalid(format!(
                            "{plugin_id} serves no version yet: activate one for everyone (100 %) first"
                        )));
                    }
                },
                candidate: None,
                candidate_percent: 0,
                previous: Vec::new(),
                generation: 0,
                updated_by: String::new(),
                updated_at_ms: 0,
            },
        };
        if percent == 100 {
            if next.active != version {
                next.previous.push(std::mem::replace(&mut next.active, version.to_owned()));
            }
            next.candidate = None;
            next.candidate_percent = 0;
        } else {
            next.candidate = Some(version.to_owned());
            next.candidate_percent = i64::from(percent);
        }
        next.generation += 1;
        next.updated_by = actor.to_owned();
        next.updated_at_ms = crate::store::now_ms();
        self.put(next, current.map(|d| d.generation)).await
    }

    /// Ends a rollout (the candidate stops being served), or, with none under
    /// way, returns to the version served before the active one.
    pub async fn rollback(&self, plugin_id: &str, actor: &str) -> Result<Deployment, RegistryError> {
        let outcome = self.rollback_unaudited(plugin_id, actor).await;
        let version = outcome.as_ref().ok().map(|d| d.active.as_str());
        let detail = |d: &Deployment| format!("generation {}", d.generation);
        self.audit(actor, "rollback", Some(plugin_id), version, &outcome, detail).await?;
        outcome
    }

    async fn rollback_unaudited(&self, plugin_id: &str, actor: &str) -> Result<Deployment, RegistryError> {
        let current = self
            .store
            .deployment(plugin_id)
            .await?
            .ok_or_else(|| RegistryError::NotFound(format!("{plugin_id} has no deployment to roll back")))?;
        let mut next = current.clone();
        if next.candidate.take().is_some() {
            next.candidate_percent = 0;
        } else {
            next.active = next
                .previous
                .pop()
                .ok_or_else(|| RegistryError::Invalid(format!("{plugin_id} has no earlier version to roll back to")))?;
            self.load(plugin_id, &next.active).await?;
        }
        next.generation += 1;
        next.updated_by = actor.to_owned();
        next.updated_at_ms = crate::store::now_ms();
        self.put(next, Some(current.generation)).await
    }

    async fn put(&self, next: Deployment, expected: Option<i64>) -> Result<Deployment, RegistryError> {
        if !self.store.put_deployment(&next, expected).await? {
            return Err(RegistryError::Conflict(format!(
                "{}'s deployment changed meanwhile; look again and retry",
                next.plugin_id
            )));
        }
        self.apply(&next).await?;
        // Other hosts on the same database serve it too.
        if let Err(error) = self.store.announce_deployment(&next.plugin_id).await {
            tracing::error!(
                error = format!("{error:#}"),
                "announcing the deployment failed; hosts pick it up on their next sync"
            );
        }
        Ok(next)
    }

    /// Follows deployments made by other hosts until the process ends
    /// (spawn it): on PostgreSQL every change is announced with NOTIFY and
    /// applied here at once, and newly installed versions are compiled ahead
    /// of their activation; a full sync every few seconds covers
    /// announcements missed while reconnecting. SQLite has one host.
    pub async fn follow(self: Arc<Self>) {
        let Store::Postgres(pool) = self.store.clone() else { return };
        loop {
            let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
                Ok(listener) => listener,
                Err(error) => {
                    tracing::error!(%error, "cannot listen for deployments; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    continue;
                }
            };
            if let Err(error) = listener.listen(crate::store::DEPLOYMENTS_CHANNEL).await {
                tracing::error!(%error, "cannot listen for deployments; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
            // Whatever changed while not listening.
            if let Err(error) = self.sync().await {
                tracing::error!(%error, "syncing deployments failed");
            }
            loop {
                match tokio::time::timeout(std::time::Duration::from_secs(5), listener.recv()).await {
                    Ok(Ok(notification)) => tracing::debug!(plugin = notification.payload(), "deployment announced"),
                    Ok(Err(error)) => {
                        tracing::warn!(%error, "deployment listener lost; reconnecting");
                        break;
                    }
                    Err(_) => {} // no news: the periodic sync below
                }
                if let Err(error) = self.sync().await {
                    tracing::error!(%error, "syncing deployments failed");
                }
                if let Err(error) = self.preload().await {
                    tracing::error!(%error, "compiling newly installed versions failed");
                }
            }
        }
    }

    /// Makes this host serve every deployment in the database (at start, and
    /// when another host announces a change).
    pub async fn sync(&self) -> Result<usize, RegistryError> {
        let mut applied = 0;
        for deployment in self.store.deployments().await? {
            let current = self.served.lock().expect("registry lock").get(&deployment.plugin_id).copied();
            if current != Some(deployment.generation) {
                self.apply(&deployment).await?;
                applied += 1;
            }
        }
        Ok(applied)
    }

    /// Compiles versions installed (on any host) in the last hour that this
    /// host has not loaded yet: an operator installs, then activates, and
    /// the activation should not wait for every host to compile.
    pub async fn preload(&self) -> Result<usize, RegistryError> {
        let recent = crate::store::now_ms() - 3_600_000;
        let mut loaded = 0;
        for v in self.store.versions().await? {
            let key = (v.plugin_id.clone(), v.version.clone());
            if v.uploaded_at_ms >= recent && !self.loaded.lock().expect("registry lock").contains_key(&key) {
                self.load(&v.plugin_id, &v.version).await?;
                loaded += 1;
            }
        }
        Ok(loaded)
    }

    /// Publishes a deployment to the catalogue: the swap itself, atomic for
    /// every call that starts after it.
    async fn apply(&self, d: &Deployment) -> Result<(), RegistryError> {
        let active = self.load(&d.plugin_id, &d.active).await?;
        let candidate = match &d.candidate {
            Some(version) => Some((self.load(&d.plugin_id, version).await?, d.candidate_percent.clamp(1, 99) as u8)),
            None => None,
        };
        {
            let mut baselines = self.baselines.lock().expect("registry lock");
            for plugin in std::iter::once(&active).chain(candidate.as_ref().map(|(p, _)| p)) {
                baselines.insert((d.plugin_id.clone(), plugin.manifest().version.clone()), plugin.health());
            }
        }
        self.catalog.publish(active);
        self.catalog.set_candidate(&d.plugin_id, candidate);
        self.served.lock().expect("registry lock").insert(d.plugin_id.clone(), d.generation);
        tracing::info!(
            plugin = d.plugin_id,
            active = d.active,
            candidate = d.candidate,
            percent = d.candidate_percent,
            generation = d.generation,
            "deployment applied"
        );
        Ok(())
    }

    /// Calls to `version` and how many the sandbox stopped, since this host
    /// last published it.
    fn health_since_applied(&self, plugin_id: &str, version: &str) -> Option<(u64, u64)> {
        let key = (plugin_id.to_owned(), version.to_owned());
        let plugin = self.loaded.lock().expect("registry lock").get(&key)?.clone();
        let (calls, failures) = plugin.health();
        let (calls_then, failures_then) =
            self.baselines.lock().expect("registry lock").get(&key).copied().unwrap_or_default();
        Some((calls.saturating_sub(calls_then), failures.saturating_sub(failures_then)))
    }

    /// The loaded version, from memory or from its stored package (verified
    /// and checked again: the database is not trusted more than an upload).
    async fn load(&self, plugin_id: &str, version: &str) -> Result<Arc<Plugin>, RegistryError> {
        let key = (plugin_id.to_owned(), version.to_owned());
        if let Some(plugin) = self.loaded.lock().expect("registry lock").get(&key) {
            return Ok(plugin.clone());
        }
        let package = self
            .store
            .package(plugin_id, version)
            .await?
            .ok_or_else(|| RegistryError::NotFound(format!("{plugin_id} {version} is not installed")))?;
        let (runtime, trusted, root) = (self.runtime.clone(), self.trusted.clone(), self.root.clone());
        let plugin = tokio::task::spawn_blocking(move || prepare(&runtime, &trusted, &root, &package))
            .await
            .map_err(anyhow::Error::from)??;
        self.loaded.lock().expect("registry lock").insert(key, plugin.clone());
        Ok(plugin)
    }

    /// Installed versions, deployments, and what this host serves.
    pub async fn list(&self) -> Result<Listing, RegistryError> {
        Ok(Listing {
            versions: self.store.versions().await?,
            deployments: self.store.deployments().await?,
            serving: self.catalog.plugins().iter().map(|p| (p.id().to_owned(), p.manifest().version.clone())).collect(),
        })
    }
}
