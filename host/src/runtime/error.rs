//! The runtime's typed errors: what went wrong with a plugin, kept apart by
//! whose fault it is (the plugin's own answer, the sandbox stopping it, or a
//! package that cannot be loaded).

use std::path::PathBuf;
use std::time::Duration;

use super::bindings::PluginError;
use super::budget::Exhausted;

/// Errors from loading or calling a plugin.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The plugin answered with an error of its own (see the WIT `plugin-error`).
    #[error("plugin {plugin} returned an error: {error:?}")]
    Plugin { plugin: String, error: PluginError },

    /// The plugin crashed: a panic, an out-of-bounds access.
    #[error("plugin {plugin} trapped: {message}")]
    Trap { plugin: String, message: String },

    /// The plugin ran out of stack: endless or too deep recursion, on wasm's
    /// own stack or on the stack its compiler keeps in linear memory.
    #[error("plugin {plugin} overflowed its stack ({detail})")]
    StackOverflow { plugin: String, detail: String },

    /// The call ran past its deadline and was interrupted `ran` after it
    /// started running (waiting for room in the host's budgets aside).
    #[error("plugin {plugin} exceeded its deadline of {} ms (stopped after {} ms)", limit.as_millis(), ran.as_millis())]
    DeadlineExceeded { plugin: String, limit: Duration, ran: Duration },

    /// The plugin tried to grow its memory past its cap.
    #[error("plugin {plugin} exceeded its memory cap of {} MiB", limit_bytes / (1024 * 1024))]
    OutOfMemory { plugin: String, limit_bytes: usize },

    /// The plugin reached for something its manifest does not grant.
    #[error("plugin {plugin} was denied {what}")]
    CapabilityDenied { plugin: String, what: String },

    /// The plugin returned more data than the host accepts from one call:
    /// a string or list over its cap, or the whole answer.
    #[error("plugin {plugin} returned {size} {unit} in `{field}` from {call}, over the limit of {limit}")]
    OutputTooLarge { plugin: String, call: &'static str, field: String, size: usize, limit: usize, unit: &'static str },

    /// The host's budgets for all plugins together had no room for the call
    /// (memory, running calls, or this plugin's live calls) within the wait.
    #[error("plugin {plugin} was refused for now: {resource}")]
    Overloaded { plugin: String, resource: Exhausted },

    /// A plugin, service or file that does not exist.
    #[error("not found: {what}")]
    NotFound { what: String },

    /// The manifest is missing, unreadable or inconsistent.
    #[error("{}: invalid manifest: {reason}", path.display())]
    InvalidManifest { path: PathBuf, reason: String },

    /// The file is not a WebAssembly component, or does not compile.
    #[error("{}: not a loadable component: {reason}", path.display())]
    InvalidComponent { path: PathBuf, reason: String },

    /// The component was built against another contract than `mitra:plugin@0.1.0`.
    #[error("{}: incompatible contract: {reason}", path.display())]
    IncompatibleContract { path: PathBuf, reason: String },

    /// A host-side failure (I/O, cache) that is no plugin's fault.
    #[error(transparent)]
    Host(#[from] anyhow::Error),
}

impl Error {
    /// A short, stable name of the error kind, for logs, metrics and reports.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Plugin { .. } => "plugin-error",
            Error::Trap { .. } => "trap",
            Error::StackOverflow { .. } => "stack-overflow",
            Error::Overloaded { .. } => "overloaded",
            Error::DeadlineExceeded { .. } => "deadline-exceeded",
            Error::OutOfMemory { .. } => "out-of-memory",
            Error::CapabilityDenied { .. } => "capability-denied",
            Error::OutputTooLarge { .. } => "output-too-large",
            Error::NotFound { .. } => "not-found",
            Error::InvalidManifest { .. } => "invalid-manifest",
            Error::InvalidComponent { .. } => "invalid-component",
            Error::IncompatibleContract { .. } => "incompatible-contract",
            Error::Host(_) => "host",
        }
    }

    /// Whether the sandbox stopped the plugin (as opposed to the plugin
    /// answering with an error of its own). These count towards a version's
    /// failure rate; a call the host's budgets refused (`overloaded`) does
    /// not: it may be a neighbour's fault.
    pub fn is_sandbox_stop(&self) -> bool {
        matches!(
            self,
            Error::Trap { .. }
                | Error::StackOverflow { .. }
                | Error::DeadlineExceeded { .. }
                | Error::OutOfMemory { .. }
                | Error::CapabilityDenied { .. }
                | Error::OutputTooLarge { .. }
        )
    }
}

/// `Result` with the runtime's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
