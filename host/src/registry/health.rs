//! Automatic rollback: a newly served version whose calls the sandbox keeps
//! stopping (traps, deadlines, memory) is rolled back without waiting for
//! an operator at 2 a.m.

use std::time::Duration;

use super::Registry;
use crate::store::now_ms;

/// When a new version is rolled back on its own.
#[derive(Clone, Debug)]
pub struct RollbackPolicy {
    /// Share of calls stopped by the sandbox above which the version goes.
    pub max_failure_rate: f64,
    /// Calls to wait for before judging (a first trap is no trend).
    pub min_calls: u64,
    /// How long after activation a version is watched.
    pub watch_for: Duration,
    /// How often to look.
    pub every: Duration,
}

impl Default for RollbackPolicy {
    fn default() -> Self {
        Self {
            max_failure_rate: 0.2,
            min_calls: 20,
            watch_for: Duration::from_secs(15 * 60),
            every: Duration::from_millis(500),
        }
    }
}

/// The actor automatic rollbacks are audited as.
pub const AUTO_ROLLBACK: &str = "auto-rollback";

impl Registry {
    /// Watches new versions until the process ends (spawn it).
    pub async fn watch_health(self: std::sync::Arc<Self>, policy: RollbackPolicy) {
        loop {
            tokio::time::sleep(policy.every).await;
            if let Err(error) = self.check_health(&policy).await {
                tracing::error!(error = format!("{error:#}"), "checking new versions' health failed");
            }
        }
    }

    /// Rolls back each recently activated version (or rollout candidate)
    /// whose failure rate since activation is over the policy's; returns
    /// the plugins rolled back.
    pub async fn check_health(&self, policy: &RollbackPolicy) -> anyhow::Result<Vec<String>> {
        let mut rolled_back = Vec::new();
        let watched_since = now_ms() - policy.watch_for.as_millis() as i64;
        for deployment in self.store.deployments().await? {
            if deployment.updated_at_ms < watched_since || deployment.updated_by == AUTO_ROLLBACK {
                continue;
            }
            let version = deployment.candidate.as_deref().unwrap_or(&deployment.active);
            let Some((calls, failures)) = self.health_since_applied(&deployment.plugin_id, version) else { continue };
            if calls < policy.min_calls || (failures as f64) <= policy.max_failure_rate * calls as f64 {
                continue;
            }
            tracing::error!(
                plugin = deployment.plugin_id,
                version,
                calls,
                failures,
                "new version failing: rolling back automatically"
            );
            match self.rollback(&deployment.plugin_id, AUTO_ROLLBACK).await {
                Ok(_) => rolled_back.push(deployment.plugin_id.clone()),
                Err(error) => tracing::error!(plugin = deployment.plugin_id, %error, "automatic rollback failed"),
            }
        }
        Ok(rolled_back)
    }
}
