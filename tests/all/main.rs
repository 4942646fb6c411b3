//! Integration tests: the real runtime against real wasm components.

mod hostile;
mod loading;
mod pensions;
mod support;
