//! Integration tests: the real runtime, HTTP surface and databases against
//! real wasm components.

mod cli;
mod cluster;
mod conversation;
mod departments;
mod forms;
mod hostile;
mod loading;
mod packages;
mod pensions;
mod registry;
mod simulator;
mod store;
mod support;
mod watch;
mod web;
mod webhook;
