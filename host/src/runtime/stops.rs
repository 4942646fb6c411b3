//! What the sandbox stopped or cut, by plugin and kind, kept until the host
//! writes it down as plugin events (see `cli::record_sandbox_stops`).
//!
//! A hostile or broken plugin can be stopped thousands of times a second;
//! one event per plugin, version and kind per interval (with the count and
//! the last message) tells operators the same without flooding the table.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// Stops of one kind for one plugin version since the last [`StopLog::take`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stops {
    pub plugin: String,
    pub version: String,
    /// The error kind (`stack-overflow`, `deadline-exceeded`, `overloaded`,
    /// …) or `log-budget` for dropped log lines.
    pub kind: &'static str,
    pub count: u64,
    pub last: String,
}

/// Stops not yet written down.
#[derive(Debug, Default)]
pub struct StopLog {
    pending: Mutex<BTreeMap<(String, String, &'static str), Stops>>,
}

/// Plugins × versions × kinds kept at most between two looks: a bound on
/// memory whatever the plugins do.
const MAX_PENDING: usize = 10_000;

impl StopLog {
    /// Counts `count` stops of `kind`, keeping the latest message.
    pub fn record(
        &self,
        plugin: &str,
        version: &str,
        kind: &'static str,
        count: u64,
        message: impl FnOnce() -> String,
    ) {
        let mut pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let key = (plugin.to_owned(), version.to_owned(), kind);
        if let Some(stops) = pending.get_mut(&key) {
            stops.count += count;
            stops.last = message();
        } else if pending.len() < MAX_PENDING {
            let stops = Stops { plugin: key.0.clone(), version: key.1.clone(), kind, count, last: message() };
            pending.insert(key, stops);
        }
    }

    /// Everything recorded since the last call, in plugin order.
    pub fn take(&self) -> Vec<Stops> {
        let mut pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        std::mem::take(&mut *pending).into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_are_counted_per_plugin_version_and_kind_and_taken_once() {
        let log = StopLog::default();
        for i in 0..3 {
            log.record("hostile", "1.0.0", "stack-overflow", 1, || format!("overflow {i}"));
        }
        log.record("hostile", "1.0.0", "log-budget", 500, || "500 lines dropped".into());
        log.record("hostile", "1.1.0", "stack-overflow", 1, || "newer".into());
        let taken = log.take();
        assert_eq!(taken.len(), 3);
        let overflow = taken.iter().find(|s| s.kind == "stack-overflow" && s.version == "1.0.0").unwrap();
        assert_eq!((overflow.count, overflow.last.as_str()), (3, "overflow 2"));
        assert!(log.take().is_empty(), "taken once");
    }
}
