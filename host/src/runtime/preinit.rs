//! Pre-initialisation: work a component does once, not in every call.
//!
//! A component that exports `wizer-initialize` (`wit/pre-init`, the SDK's
//! `pre_initialise!`) has it run once when it loads, in an instance with
//! nothing granted; Wizer then rewrites the component so that its memories
//! and globals start as that function left them. Every call still runs in a
//! fresh instance of its own: what the snapshot holds is the same for every
//! citizen (parser tables, warmed caches), and only the contract's exports
//! are ever called.
//!
//! The snapshot is made before compiling, so it is compiled (and cached as
//! `.cwasm`, keyed by the original component's hash) once like any other.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use anyhow::anyhow;
use wasmtime::Store;
use wasmtime::component::{Instance, WasmList};
use wasmtime::error::Context as _;
use wasmtime_wizer::{ComponentInstanceState, Wizer};

use super::sandbox::CallState;

/// The export Wizer runs (its default name, so components made for the
/// `wizer` tool work too).
pub(super) const EXPORT: &str = "wizer-initialize";

/// How long the set-up may run (a call's deadline is for a citizen
/// waiting; this is paid once per load).
pub(super) const DEADLINE: Duration = Duration::from_secs(5);

/// Whether `bytes` is a component exporting [`EXPORT`] at its top level.
pub(super) fn wanted(bytes: &[u8]) -> bool {
    let mut depth = 0usize;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload {
            Ok(wasmparser::Payload::ModuleSection { .. } | wasmparser::Payload::ComponentSection { .. }) => depth += 1,
            Ok(wasmparser::Payload::End(_)) => depth = depth.saturating_sub(1),
            Ok(wasmparser::Payload::ComponentExportSection(exports)) if depth == 0 => {
                for export in exports.into_iter().flatten() {
                    if export.name.name == EXPORT && export.kind == wasmparser::ComponentExternalKind::Func {
                        return true;
                    }
                }
            }
            Ok(_) => {}
            // Not ours to judge here: compiling reports a broken component.
            Err(_) => return false,
        }
    }
    false
}

/// Whether a compiled component exports [`EXPORT`] (a snapshot keeps it).
pub(super) fn exported(component: &wasmtime::component::Component) -> bool {
    component.get_export_index(None, EXPORT).is_some()
}

/// The component's instrumented form and what the snapshot needs of it.
pub(super) struct Instrumented<'a> {
    wizer: Wizer,
    context: wasmtime_wizer::ComponentContext<'a>,
    /// The component with accessors for its memories and globals added.
    pub(super) wasm: Vec<u8>,
}

/// Prepares `bytes` for [`snapshot`]: Wizer adds exports that read every
/// memory and global.
pub(super) fn instrument(bytes: &[u8]) -> anyhow::Result<Instrumented<'_>> {
    let mut wizer = Wizer::new();
    // Dropping the export would drop the core function the component still
    // lifts (Wizer's rewrite removes it from the core module only); the
    // host never calls it again, since it calls the contract's exports only.
    wizer.keep_init_func(true);
    // Wizer asserts rather than errs on some shapes it does not handle.
    let (context, wasm) = std::panic::catch_unwind(|| wizer.instrument_component(bytes))
        .map_err(|_| anyhow!("Wizer could not instrument the component"))?
        .map_err(anyhow::Error::from)?;
    Ok(Instrumented { wizer, context, wasm })
}

/// Runs [`EXPORT`] in `instance` (of [`Instrumented::wasm`]) and returns the
/// component rewritten to start where it left off.
pub(super) fn snapshot(
    instrumented: &Instrumented<'_>,
    store: &mut Store<CallState>,
    instance: Instance,
) -> wasmtime::Result<Vec<u8>> {
    let init = instance.get_typed_func::<(), ()>(&mut *store, EXPORT)?;
    init.call(&mut *store, ())?;
    let mut state = Access { store, instance, failed: None };
    let rewritten = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ready(instrumented.wizer.snapshot_component(&instrumented.context, &mut state))
    }))
    .map_err(|_| wasmtime::format_err!("Wizer could not snapshot the component"))?;
    if let Some(error) = state.failed {
        return Err(error.context("reading the component's state for its snapshot"));
    }
    rewritten.and_then(|r| r)
}

/// The value of a future that never waits: every call [`Access`] makes
/// into the instance is synchronous, so Wizer's async snapshot completes
/// on its first poll.
fn ready<F: Future>(future: F) -> wasmtime::Result<F::Output> {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => Ok(value),
        Poll::Pending => Err(wasmtime::format_err!("the snapshot waited on something, which nothing here does")),
    }
}

/// Wizer's view of the instance: its accessor exports, called in the store
/// that ran the set-up. The first failure is kept (Wizer's interface has no
/// room for errors) and fails the snapshot.
struct Access<'a> {
    store: &'a mut Store<CallState>,
    instance: Instance,
    failed: Option<wasmtime::Error>,
}

impl Access<'_> {
    fn call<R: wasmtime::component::Lift + 'static, O: Default>(
        &mut self,
        interface: &str,
        func: &str,
        read: impl FnOnce(&mut Store<CallState>, R) -> O,
    ) -> O {
        if self.failed.is_some() {
            return O::default();
        }
        let called = (|| {
            let (_, interface) = self
                .instance
                .get_export(&mut *self.store, None, interface)
                .with_context(|| format!("no export {interface}"))?;
            let (_, func_index) = self
                .instance
                .get_export(&mut *self.store, Some(&interface), func)
                .with_context(|| format!("no export {func}"))?;
            let typed = self.instance.get_typed_func::<(), (R,)>(&mut *self.store, func_index)?;
            let (value,) = typed.call(&mut *self.store, ())?;
            wasmtime::Result::Ok(read(&mut *self.store, value))
        })();
        called.unwrap_or_else(|error| {
            self.failed = Some(error);
            O::default()
        })
    }
}

impl ComponentInstanceState for Access<'_> {
    async fn call_func_ret_list_u8(&mut self, instance: &str, func: &str, contents: impl FnOnce(&[u8]) + Send) {
        let mut contents = Some(contents);
        self.call(instance, func, |store, list: WasmList<u8>| {
            if let Some(contents) = contents.take() {
                contents(list.as_le_slice(&*store));
            }
        });
        // Wizer expects the bytes; a failure is reported after the snapshot.
        if let Some(contents) = contents {
            contents(&[]);
        }
    }

    async fn call_func_ret_s32(&mut self, instance: &str, func: &str) -> i32 {
        self.call(instance, func, |_, value| value)
    }

    async fn call_func_ret_s64(&mut self, instance: &str, func: &str) -> i64 {
        self.call(instance, func, |_, value| value)
    }

    async fn call_func_ret_f32(&mut self, instance: &str, func: &str) -> u32 {
        self.call(instance, func, |_, value: f32| value.to_bits())
    }

    async fn call_func_ret_f64(&mut self, instance: &str, func: &str) -> u64 {
        self.call(instance, func, |_, value: f64| value.to_bits())
    }
}
