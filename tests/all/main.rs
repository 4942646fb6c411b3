//! Integration tests: the real runtime, HTTP surface and databases against
//! real wasm components.

mod budgets;
mod certificate_flow;
mod certificates;
mod cli;
mod cluster;
mod console;
mod contracts;
mod conversation;
mod declarative;
mod departments;
mod digilocker;
mod forms;
mod grievances;
mod hostile;
mod loading;
mod operators;
mod packages;
mod payment_console;
mod payments;
mod pensions;
mod pre_initialisation;
mod registry;
mod search_quality;
mod security;
mod services_console;
mod simulator;
mod spares;
mod store;
mod support;
mod typing;
mod voice;
mod watch;
mod web;
mod webhook;
mod webhook_corpus;
