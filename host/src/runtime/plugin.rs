//! One loaded version of a plugin and the four calls of the contract.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crate::telemetry::{PluginMeters, metrics};

use serde::Serialize;
use wasmtime::component::{ComponentExportIndex, ComponentNamedList, Instance, InstancePre, Lift, Lower, TypedFunc};
use wasmtime::{Engine, Store, Trap, WasmBacktrace};

use super::bindings::{
    Answer, Applicant, Application, DataRecord, Decision, DepartmentInfo, Document, DocumentV0_1, PluginError,
};
use super::budget::Budget;
use super::error::{Error, Result};
use super::manifest::Manifest;
use super::output;
use super::sandbox::{CallState, Grants};
use super::spares::{Spare, Spares};
use super::stops::StopLog;

/// The largest answer (as JSON) the host accepts from one call. Generous for
/// any real decision, record or document; a hostile plugin's 50 MB string is
/// refused before anything downstream sees it.
pub const MAX_CALL_OUTPUT: usize = 1024 * 1024;
/// `describe` carries a whole catalogue and may be larger.
pub const MAX_DESCRIBE_OUTPUT: usize = 8 * 1024 * 1024;

/// Which version of the contract a component implements: the host
/// type-checks the component against each world and serves both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contract {
    /// `mitra:plugin@0.1.0`: `render-document` returns fields with one-script values.
    V0_1,
    /// `mitra:plugin@0.2.0`: the document has a holder and titled, bilingual sections.
    V0_2,
}

impl Contract {
    /// Its version string, as `describe` and package signatures state it.
    pub const fn version(self) -> &'static str {
        match self {
            Contract::V0_1 => "0.1.0",
            Contract::V0_2 => "0.2.0",
        }
    }
}

/// Where the four exports live in the component, resolved once.
pub(super) struct Exports {
    pub(super) describe: Export,
    pub(super) check_eligibility: Export,
    pub(super) fetch_data: Export,
    pub(super) render_document: Export,
}

impl Exports {
    pub(super) fn resolve(component: &wasmtime::component::Component) -> std::result::Result<Self, String> {
        let find = |name: &str| {
            let index = component
                .get_export_index(None, name)
                .ok_or_else(|| format!("the component does not export `{name}`"))?;
            Ok::<_, String>(Export { index, checked_as: OnceLock::new() })
        };
        Ok(Self {
            describe: find("describe")?,
            check_eligibility: find("check-eligibility")?,
            fetch_data: find("fetch-data")?,
            render_document: find("render-document")?,
        })
    }
}

/// One export of the component, and the signature its first call found it
/// to have. wasmtime's check of a function's type against the Rust one
/// walks the whole contract's types (the applicant record, the decision
/// variant) and compares their field names: about a microsecond, the
/// largest part of a call on an instance made ahead. Every instance of a
/// component has the same types, so one check serves all its calls.
pub(super) struct Export {
    index: ComponentExportIndex,
    /// `type_name` of `fn(P) -> R` once wasmtime has checked it.
    checked_as: OnceLock<&'static str>,
}

impl Export {
    /// The export's function in `instance` (of this export's component),
    /// typed as `(P) -> R`.
    fn typed<P, R>(&self, store: &mut Store<CallState>, instance: Instance) -> wasmtime::Result<TypedFunc<P, R>>
    where
        P: ComponentNamedList + Lower,
        R: ComponentNamedList + Lift,
    {
        let signature = std::any::type_name::<fn(P) -> R>();
        if self.checked_as.get() == Some(&signature) {
            let func = instance
                .get_func(&mut *store, self.index)
                .ok_or_else(|| wasmtime::Error::msg("failed to find function export"))?;
            // SAFETY: wasmtime checked this export as `(P) -> R` on an
            // earlier instance of the same component (the export index is
            // the component's), and an instance's function types are its
            // component's.
            return Ok(unsafe { TypedFunc::new_unchecked(func) });
        }
        let func = instance.get_typed_func::<P, R>(&mut *store, &self.index)?;
        let _ = self.checked_as.set(signature);
        Ok(func)
    }
}

/// Counters of one loaded version's calls.
#[derive(Debug, Default)]
pub(super) struct CallHealth {
    calls: AtomicU64,
    failures: AtomicU64,
}

/// Interval of the engine's epoch ticker: at each tick a running call looks at the clock.
pub(super) const EPOCH_TICK: Duration = Duration::from_millis(5);

/// A compiled, instantiable plugin version. Cheap to share: every call makes
/// its own store and instance from the `InstancePre`.
pub struct Plugin {
    pub(super) engine: Engine,
    pub(super) pre: InstancePre<CallState>,
    pub(super) contract: Contract,
    pub(super) exports: Exports,
    pub(super) grants: Arc<Grants>,
    pub(super) info: DepartmentInfo,
    pub(super) sha256: String,
    /// Its services are definitions served by the generic component.
    pub(super) declarative: bool,
    /// Calls start from the snapshot its `wizer-initialize` left.
    pub(super) pre_initialised: bool,
    pub(super) load_time: Duration,
    pub(super) from_cache: bool,
    /// Calls made and calls the sandbox stopped (traps, deadlines, memory,
    /// denied capabilities, host failures): what automatic rollback watches.
    pub(super) health: CallHealth,
    /// Keeps deadlines ticking for as long as any version is alive.
    pub(super) _ticker: Arc<super::EpochTicker>,
    /// The host-wide budgets every call is admitted through.
    pub(super) budget: Arc<Budget>,
    /// Where stops and dropped log lines wait to become plugin events.
    pub(super) stops: Arc<StopLog>,
    /// Instances made ahead of their calls, if instantiating it is slow.
    pub(super) spares: Option<Arc<Spares>>,
    pub(super) meters: PluginMeters,
}

impl std::fmt::Debug for Plugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plugin")
            .field("id", &self.grants.plugin)
            .field("version", &self.grants.manifest.version)
            .field("sha256", &self.sha256)
            .finish()
    }
}

impl Plugin {
    /// The department id.
    pub fn id(&self) -> &str {
        &self.grants.plugin
    }

    /// The manifest this version was loaded with.
    pub fn manifest(&self) -> &Manifest {
        &self.grants.manifest
    }

    /// What `describe` returned when the plugin was loaded.
    pub fn info(&self) -> &DepartmentInfo {
        &self.info
    }

    /// Whether it keeps an instance made ahead for its next call (see
    /// [`super::RuntimeConfig::make_ahead`]: by default every version, as
    /// far as a quarter of the instance pool allows).
    pub fn keeps_spares(&self) -> bool {
        self.spares.is_some()
    }

    /// Whether an instance made ahead waits for its next call now.
    pub fn spare_ready(&self) -> bool {
        self.spares.as_ref().is_some_and(|spares| spares.is_ready())
    }

    /// The contract version the component implements.
    pub fn contract(&self) -> Contract {
        self.contract
    }

    /// Whether its services are definitions (served by the generic
    /// department component) rather than code.
    pub fn declarative(&self) -> bool {
        self.declarative
    }

    /// Whether its calls start from the snapshot its one-time set-up left
    /// (it exports `wizer-initialize`: see `wit/pre-init`).
    pub fn pre_initialised(&self) -> bool {
        self.pre_initialised
    }

    /// Hex sha256 of the component bytes.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// How long loading took, and whether the compiled code came from the cache.
    pub fn load_stats(&self) -> (Duration, bool) {
        (self.load_time, self.from_cache)
    }

    /// Calls made to this version so far, and how many of them failed on
    /// the host side (not the plugin's own errors, which are answers).
    pub fn health(&self) -> (u64, u64) {
        (self.health.calls.load(Ordering::Relaxed), self.health.failures.load(Ordering::Relaxed))
    }

    /// Calls `describe` again in a fresh instance.
    pub fn describe(&self) -> Result<DepartmentInfo> {
        let (info,) = self.call_export::<_, (DepartmentInfo,)>("describe", &self.exports.describe, ())?;
        self.checked("describe", output::check(self.id(), "describe", &info, MAX_DESCRIBE_OUTPUT))?;
        Ok(info)
    }

    /// `check-eligibility` for one service.
    pub fn check_eligibility(&self, service_id: &str, applicant: &Applicant, answers: &[Answer]) -> Result<Decision> {
        let (out,) = self.call_export::<_, (std::result::Result<Decision, PluginError>,)>(
            "check-eligibility",
            &self.exports.check_eligibility,
            (service_id, applicant, answers),
        )?;
        self.answer("check-eligibility", out)
    }

    /// `fetch-data` for one service.
    pub fn fetch_data(&self, service_id: &str, query: &[Answer]) -> Result<DataRecord> {
        let (out,) = self.call_export::<_, (std::result::Result<DataRecord, PluginError>,)>(
            "fetch-data",
            &self.exports.fetch_data,
            (service_id, query),
        )?;
        self.answer("fetch-data", out)
    }

    /// `render-document` for one application, as a 0.2.0 document whichever
    /// contract the plugin implements.
    pub fn render_document(&self, service_id: &str, application: &Application) -> Result<Document> {
        let (export, params) = (&self.exports.render_document, (service_id, application));
        let out = match self.contract {
            Contract::V0_1 => self
                .call_export::<_, (std::result::Result<DocumentV0_1, PluginError>,)>("render-document", export, params)?
                .0
                .map(Document::from),
            Contract::V0_2 => {
                self.call_export::<_, (std::result::Result<Document, PluginError>,)>("render-document", export, params)?
                    .0
            }
        };
        let document = self.answer("render-document", out)?;
        check_photo(self.id(), &document)?;
        Ok(document)
    }

    /// Instantiates and calls one export, type-checking only that export and
    /// only once (the generated bindings check all four on every
    /// instantiation, `describe`'s large catalogue type included: a third of
    /// a call's cost; see [`Export::typed`]). A plugin
    /// slow to instantiate has its instance made ahead when one is ready
    /// (see [`super::spares`]).
    fn call_export<P, R>(&self, name: &'static str, export: &Export, params: P) -> Result<R>
    where
        P: ComponentNamedList + Lower,
        R: ComponentNamedList + Lift,
    {
        let export_call = |store: &mut Store<CallState>, instance: Instance| {
            let func = export.typed::<P, R>(store, instance)?;
            func.call(&mut *store, params)
        };
        if let Some(spares) = &self.spares
            && let Some(spare) = spares.take()
        {
            return self.call_spare(name, spares, spare, export_call);
        }
        self.call(name, |store| {
            let instance = self.pre.instantiate(&mut *store)?;
            export_call(store, instance)
        })
    }

    fn answer<T: Serialize>(
        &self,
        call: &'static str,
        out: std::result::Result<T, super::bindings::PluginError>,
    ) -> Result<T> {
        let value = out.map_err(|error| Error::Plugin { plugin: self.id().to_owned(), error })?;
        self.checked(call, output::check(self.id(), call, &value, MAX_CALL_OUTPUT))?;
        Ok(value)
    }

    /// Reports an output refused by its caps as any other sandbox stop.
    fn checked(&self, call: &'static str, checked: Result<()>) -> Result<()> {
        if let Err(error) = &checked {
            self.health.failures.fetch_add(1, Ordering::Relaxed);
            self.stopped(call, error, None);
        }
        checked
    }

    /// Logs and keeps (for the plugin events) what stopped a call.
    fn stopped(&self, call: &'static str, error: &Error, elapsed: Option<Duration>) {
        tracing::warn!(
            plugin = self.id(),
            call,
            kind = error.kind(),
            elapsed_ms = elapsed.map(|e| e.as_millis() as u64),
            "plugin call failed: {error}"
        );
        let version = &self.grants.manifest.version;
        self.stops.record(self.id(), version, error.kind(), 1, || error.to_string());
    }

    /// Runs `f` in a fresh store (`f` makes the instance), under the
    /// deadline and memory cap, and turns whatever stopped it into a typed
    /// [`Error`].
    pub(super) fn call<R>(
        &self,
        name: &'static str,
        f: impl FnOnce(&mut Store<CallState>) -> wasmtime::Result<R>,
    ) -> Result<R> {
        let started = Instant::now();
        let admission = match self.budget.admit(&self.grants.key) {
            Ok(admission) => admission,
            Err(resource) => return Err(self.overloaded(name, started, resource)),
        };
        let state =
            CallState::new(self.grants.clone(), self.grants.manifest.deadline(), admission).map_err(Error::Host)?;
        self.run(name, started, &mut state.into_store(&self.engine), f)
    }

    /// Runs `f` on a spare's instance as [`Plugin::call`] runs it on a fresh
    /// one: once the budget admits the call, its deadline counted from now.
    /// Its used instance is dropped on the spare-making thread: resetting
    /// its pool slot is then no part of the citizen's wait either.
    fn call_spare<R>(
        &self,
        name: &'static str,
        spares: &Spares,
        spare: Spare,
        f: impl FnOnce(&mut Store<CallState>, Instance) -> wasmtime::Result<R>,
    ) -> Result<R> {
        let started = Instant::now();
        let Spare { mut store, instance } = spare;
        let state = store.data_mut();
        if let Err(resource) = state.limiter.admission.begin_call(started + self.budget.limits().wait) {
            return Err(self.overloaded(name, started, resource));
        }
        state.restart_deadline(self.grants.manifest.deadline());
        self.meters.on_spare();
        let outcome = self.run(name, started, &mut store, |store| f(store, instance));
        spares.retire(store);
        outcome
    }

    /// A call the budget had no room for. Not a failure of this version: a
    /// neighbour may hold the room.
    fn overloaded(&self, name: &'static str, started: Instant, resource: super::Exhausted) -> Error {
        let refused = Error::Overloaded { plugin: self.id().to_owned(), resource };
        self.meters.call(name, refused.kind(), started.elapsed());
        self.stopped(name, &refused, Some(started.elapsed()));
        refused
    }

    /// Runs the call and tells its outcome to the health counters, the
    /// metrics and the stop log.
    fn run<R>(
        &self,
        name: &'static str,
        started: Instant,
        store: &mut Store<CallState>,
        f: impl FnOnce(&mut Store<CallState>) -> wasmtime::Result<R>,
    ) -> Result<R> {
        let outcome = f(store);
        self.health.calls.fetch_add(1, Ordering::Relaxed);
        self.log_budget_spent(store);
        match outcome {
            Ok(value) => {
                self.meters.call(name, "ok", started.elapsed());
                Ok(value)
            }
            Err(error) => {
                self.health.failures.fetch_add(1, Ordering::Relaxed);
                let typed = classify(self.id(), store, self.grants.manifest.deadline(), error);
                self.meters.call(name, typed.kind(), started.elapsed());
                self.stopped(name, &typed, Some(started.elapsed()));
                Err(typed)
            }
        }
    }

    /// One line for the log lines a call had dropped, counted per plugin.
    fn log_budget_spent(&self, store: &Store<CallState>) {
        let log = &store.data().log;
        if log.dropped_lines == 0 {
            return;
        }
        let (lines, bytes) = (log.dropped_lines, log.dropped_bytes);
        tracing::warn!(
            plugin = self.id(),
            dropped_lines = lines,
            dropped_bytes = bytes,
            "plugin log budget reached: {lines} more lines ({bytes} bytes) from this call were dropped"
        );
        metrics().plugin_log_dropped(self.id(), lines);
        let version = &self.grants.manifest.version;
        self.stops.record(self.id(), version, "log-budget", lines, || format!("{lines} lines ({bytes} bytes) dropped"));
    }
}

/// What stopped a call, from the most specific evidence to the least.
fn classify(plugin: &str, store: &Store<CallState>, deadline: Duration, error: wasmtime::Error) -> Error {
    let plugin = plugin.to_owned();
    let state = store.data();
    if let Some(what) = &state.denied {
        return Error::CapabilityDenied { plugin, what: what.clone() };
    }
    if state.limiter.hit {
        return Error::OutOfMemory { plugin, limit_bytes: state.limiter.limit };
    }
    if let Some(resource) = state.limiter.over_budget {
        return Error::Overloaded { plugin, resource };
    }
    match error.downcast_ref::<Trap>() {
        Some(Trap::Interrupt) => {
            let ran = deadline + Instant::now().saturating_duration_since(state.deadline);
            Error::DeadlineExceeded { plugin, limit: deadline, ran }
        }
        Some(Trap::StackOverflow) => Error::StackOverflow { plugin, detail: "wasm's call stack is exhausted".into() },
        Some(Trap::MemoryOutOfBounds) if recursing(&error) => Error::StackOverflow {
            plugin,
            detail:
                "an out-of-bounds access deep in a recursion: the stack the compiler keeps in linear memory ran out"
                    .into(),
        },
        // A panic or an uncaught exception says why on stderr first.
        Some(trap) => match state.stderr.text() {
            Some(said) => Error::Trap { plugin, message: format!("{trap}; stderr: {said}") },
            None => Error::Trap { plugin, message: trap.to_string() },
        },
        None if error.to_string().contains("concurrent") => {
            // The pooling allocator is full: every instance slot is in use.
            Error::Host(anyhow::Error::from(error).context("instance pool exhausted"))
        }
        None => Error::Trap { plugin, message: format!("{error:#}") },
    }
}

/// Whether the innermost frames of a trap are one recursion: (nearly) all
/// the same function or a short cycle. A compiler's stack in linear memory
/// (Rust's `__stack_pointer`) runs out as an out-of-bounds access, not as
/// wasm's own stack overflow, so this is how it is told from a wild pointer.
fn recursing(error: &wasmtime::Error) -> bool {
    let Some(trace) = error.downcast_ref::<WasmBacktrace>() else { return false };
    let frames = trace.frames();
    let mut functions: Vec<(&str, u32)> =
        frames.iter().map(|f| (f.module().name().unwrap_or(""), f.func_index())).collect();
    functions.sort_unstable();
    functions.dedup();
    frames.len() >= 16 && functions.len() <= 4
}

/// The largest holder photo a document may carry.
pub const MAX_PHOTO_BYTES: usize = 256 * 1024;

/// A holder's photo must be a JPEG or PNG within [`MAX_PHOTO_BYTES`]: it is
/// embedded in the PDF as it is.
fn check_photo(plugin: &str, document: &Document) -> Result<()> {
    let Some(photo) = document.holder.as_ref().and_then(|h| h.photo.as_ref()) else { return Ok(()) };
    let kind = match photo.bytes.get(..4) {
        Some([0xff, 0xd8, 0xff, _]) => "image/jpeg",
        Some([0x89, b'P', b'N', b'G']) => "image/png",
        _ => "",
    };
    let problem = if photo.bytes.len() > MAX_PHOTO_BYTES {
        format!("the holder's photo is {} bytes, over the {MAX_PHOTO_BYTES} allowed", photo.bytes.len())
    } else if kind.is_empty() || kind != photo.mime_type {
        format!("the holder's photo is not the {} it claims to be (a JPEG or PNG is required)", photo.mime_type)
    } else {
        return Ok(());
    };
    Err(Error::Plugin { plugin: plugin.to_owned(), error: PluginError::InvalidInput(problem) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::{Holder, Layout, Photo, Text};

    fn with_photo(mime_type: &str, bytes: Vec<u8>) -> Document {
        let text = |en: &str| Text { en: en.into(), te: None, hi: None };
        Document {
            title: text("Card"),
            holder: Some(Holder {
                name: text("Ravi"),
                identifiers: Vec::new(),
                photo: Some(Photo { mime_type: mime_type.into(), bytes }),
            }),
            sections: Vec::new(),
            body: None,
            layout: Layout::Certificate,
            valid_days: None,
        }
    }

    #[test]
    fn a_holder_photo_must_be_the_jpeg_or_png_it_claims_within_the_size_cap() {
        let jpeg = |len: usize| [vec![0xff, 0xd8, 0xff, 0xe0], vec![0; len]].concat();
        assert!(check_photo("p", &with_photo("image/jpeg", jpeg(1000))).is_ok());
        assert!(check_photo("p", &with_photo("image/png", b"\x89PNG\r\n".to_vec())).is_ok());
        for (mime, bytes, why) in [
            ("image/jpeg", jpeg(MAX_PHOTO_BYTES), "over the"),
            ("image/png", jpeg(10), "not the image/png"),
            ("image/gif", b"GIF89a".to_vec(), "not the image/gif"),
        ] {
            let error = check_photo("p", &with_photo(mime, bytes)).unwrap_err().to_string();
            assert!(error.contains(why), "{error}");
        }
    }
}

#[cfg(test)]
mod properties {
    use proptest::collection::vec;
    use proptest::option;
    use proptest::prelude::*;

    use super::*;
    use crate::runtime::{Holder, Identifier, Layout, Photo, Section, Text, TitledField};

    const JPEG: &[u8] = &[0xff, 0xd8, 0xff, 0xe0];
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";

    fn text() -> impl Strategy<Value = Text> {
        // Parsed once: a `&str` strategy parses its regex for every case.
        let words = || proptest::string::string_regex("\\PC{0,12}").unwrap();
        (words(), option::of(words()), option::of(words())).prop_map(|(en, te, hi)| Text { en, te, hi })
    }

    /// A photo as a plugin might hand it over: a real JPEG or PNG start or
    /// not, of a size near the cap or small, under any claimed type.
    fn photo() -> impl Strategy<Value = Photo> {
        let mime = prop_oneof![
            Just("image/jpeg".to_owned()),
            Just("image/png".to_owned()),
            Just("image/gif".to_owned()),
            Just("IMAGE/JPEG".to_owned()),
            Just("image/jpg".to_owned()),
            "\\PC{0,12}",
        ];
        let start = prop_oneof![Just(JPEG.to_vec()), Just(PNG.to_vec()), vec(any::<u8>(), 0..8)];
        // Sizes at the cap one case in eight: a 256 KiB photo costs page faults, not checks.
        let len = prop_oneof![7 => 0usize..64, 1 => MAX_PHOTO_BYTES - 16..MAX_PHOTO_BYTES + 16];
        (mime, start, len).prop_map(|(mime_type, start, len)| {
            let mut bytes = start;
            bytes.resize(len, 0);
            Photo { mime_type, bytes }
        })
    }

    fn document(photo: Option<Photo>) -> impl Strategy<Value = Document> {
        (text(), vec((text(), text()), 0..4), vec(("\\PC{0,10}", "[0-9 X-]{0,16}"), 0..3), option::of(1u32..3650))
            .prop_map(move |(title, fields, ids, valid_days)| Document {
                title: title.clone(),
                holder: Some(Holder {
                    name: title,
                    identifiers: ids
                        .into_iter()
                        .map(|(l, value)| Identifier { label: Text { en: l, te: None, hi: None }, value })
                        .collect(),
                    photo: photo.clone(),
                }),
                sections: vec![Section {
                    heading: None,
                    fields: fields.into_iter().map(|(label, value)| TitledField { label, value }).collect(),
                }],
                body: None,
                layout: Layout::Certificate,
                valid_days,
            })
    }

    proptest! {
        #[test]
        fn a_holder_photo_is_accepted_only_as_the_jpeg_or_png_it_claims_within_the_cap(
            (photo, document) in photo().prop_flat_map(|p| (Just(p.clone()), document(Some(p)))),
        ) {
            // (No JPEG is shorter than its 4-byte marker.)
            let is_jpeg = photo.bytes.len() >= 4 && photo.bytes.starts_with(&JPEG[..3]);
            let is_png = photo.bytes.starts_with(&PNG[..4]);
            let allowed = photo.bytes.len() <= MAX_PHOTO_BYTES
                && ((photo.mime_type == "image/jpeg" && is_jpeg) || (photo.mime_type == "image/png" && is_png));
            match check_photo("dept", &document) {
                Ok(()) => prop_assert!(allowed, "{:?} with {} bytes accepted", photo.mime_type, photo.bytes.len()),
                Err(Error::Plugin { plugin, error: PluginError::InvalidInput(why) }) => {
                    prop_assert!(!allowed, "refused: {}", why);
                    prop_assert_eq!(plugin, "dept");
                    // The refusal names the field.
                    prop_assert!(why.contains("holder's photo"), "{}", why);
                }
                Err(other) => prop_assert!(false, "refused as {:?}", other),
            }
        }

        #[test]
        fn a_document_without_a_photo_passes_the_photo_check(mut document in document(None), holder in any::<bool>()) {
            if !holder {
                document.holder = None;
            }
            prop_assert!(check_photo("dept", &document).is_ok());
        }

        #[test]
        fn an_output_is_refused_exactly_when_its_json_is_over_the_limit(
            document in document(None),
            limit in 0usize..2048,
        ) {
            let bytes = serde_json::to_vec(&document).unwrap().len();
            match output::check("dept", "render-document", &document, limit) {
                Ok(()) => prop_assert!(bytes <= limit),
                Err(Error::OutputTooLarge { plugin, call, field, size, limit: said, unit }) => {
                    prop_assert_eq!((plugin.as_str(), call, size, said), ("dept", "render-document", bytes, limit));
                    prop_assert_eq!((field.as_str(), unit), ("(the whole answer)", "bytes"));
                    prop_assert!(bytes > limit);
                }
                Err(other) => prop_assert!(false, "refused as {:?}", other),
            }
        }
    }
}
