//! Mitra: the host behind a state's WhatsApp governance number.
//!
//! A small chat core; each department is a sandboxed WebAssembly component
//! implementing the `mitra:plugin` contract, loaded and swapped at run time.

pub mod admin;
pub mod applications;
pub mod certificates;
pub mod channel;
pub mod chat;
pub mod cli;
pub mod console;
pub mod digilocker;
pub mod grievances;
pub(crate) mod own_thread;
pub mod payments;
pub mod plugin_dev;
pub mod privacy;
pub mod registry;
pub mod runtime;
pub mod search;
pub mod store;
pub mod telemetry;
pub mod voice;
pub mod web;
