//! Tools for plugin vendors: scaffold a plugin crate, build it for
//! wasm32-wasip2, and check it against the contract in the real runtime.

pub mod build;
pub mod conformance;
pub mod scaffold;
