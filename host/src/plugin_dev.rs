//! Tools for plugin vendors: scaffold a plugin crate, build it for
//! wasm32-wasip2, check it against the contract in the real runtime, and
//! (in development) rebuild and serve it on every edit.

pub mod build;
pub mod conformance;
pub mod declarative;
pub mod scaffold;
pub mod watch;
