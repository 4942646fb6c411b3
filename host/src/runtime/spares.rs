//! Instances made ahead of their calls.
//!
//! A citizen's call need not wait for its instance to be made. Making a
//! Python (componentize-py) plugin's instance takes about a millisecond:
//! its modules share one imported function table, and their ~5,800 element
//! entries are written into it at every instantiation (wasmtime fills only
//! a module's own tables lazily). A Rust plugin's takes microseconds, yet
//! more than the call itself: called now and then (a call a millisecond),
//! a call making its own instance took a median of 21–23 µs, one on an
//! instance made ahead 5–6 µs (`plugin_pace`, BENCHMARKS.md). So for each
//! plugin version one instance is made ahead, on the runtime's
//! spare-making thread; the next call takes it and asks for the next one.
//! The used instance goes back to that thread to be dropped, so resetting
//! its pool slot is no part of the wait either.
//!
//! Isolation is as it is without spares. A spare is an instance no call has
//! touched, made before any citizen's data exists; it serves exactly one
//! call and is dropped after it. While it waits it holds a pool slot and
//! its memory (counted by the budget), but neither one of the plugin's live
//! calls nor a running slot: a call takes it under the same limits as a
//! call that makes its own. It is dropped with its plugin version: a hot
//! swap drops the old version's spare when the last call on it ends.
//!
//! What it does not do: save CPU (every call still costs an instantiation,
//! made on another thread), or speed up calls that come faster than spares
//! are made (such a call makes its own instance, as without spares). Each
//! version keeping spares holds a slot of the instance pool; they may hold a
//! quarter of it at most, and a version loaded past that makes its own.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use wasmtime::component::{Instance, InstancePre};
use wasmtime::{Engine, Store};

use super::budget::Budget;
use super::plugin::Plugin;
use super::sandbox::{CallState, Grants};

/// How many function references a component must write into tables at
/// each instantiation for its plugin to get spares under
/// [`MakeAhead::WhenSlow`]. A Python plugin writes ~5,800 (about a
/// millisecond's work); a Rust plugin none, its table being its own and
/// filled lazily (its instance takes 10–25 µs).
const SPARES_FROM: usize = 1_000;

/// Which plugins get instances made ahead of their calls.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum MakeAhead {
    /// None: every call makes its own instance.
    Never,
    /// Those slow to instantiate: whose components write at least 1,000
    /// function references into tables when instantiated (`SPARES_FROM`).
    /// Python (componentize-py) plugins do.
    WhenSlow,
    /// Every plugin (as far as the pool allows).
    #[default]
    Always,
}

impl MakeAhead {
    /// Whether the component `bytes` gets spares.
    pub(super) fn wanted(self, bytes: &[u8]) -> bool {
        match self {
            MakeAhead::Never => false,
            MakeAhead::WhenSlow => eager_references(bytes) >= SPARES_FROM,
            MakeAhead::Always => true,
        }
    }
}

/// The function references written into tables at each instantiation of
/// the component (or module) `bytes`: the entries of its modules' active
/// element segments that wasmtime cannot fill lazily, those into an
/// imported table or at an offset that is not a constant. componentize-py's
/// modules share one imported table; a Rust module's segments go into its
/// own table at constant offsets.
pub(super) fn eager_references(bytes: &[u8]) -> usize {
    use wasmparser::{ElementKind, Encoding, Operator, Payload, TypeRef};
    // Per module being read (nested ones included): its imported tables.
    let mut modules: Vec<Option<u32>> = Vec::new();
    let mut references = 0;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let Ok(payload) = payload else { break };
        match payload {
            Payload::Version { encoding, .. } => modules.push((encoding == Encoding::Module).then_some(0)),
            Payload::End(_) => {
                modules.pop();
            }
            Payload::ImportSection(imports) => {
                let Some(Some(tables)) = modules.last_mut() else { continue };
                *tables += imports
                    .into_imports()
                    .filter(|import| matches!(import, Ok(import) if matches!(import.ty, TypeRef::Table(_))))
                    .count() as u32;
            }
            Payload::ElementSection(elements) => {
                let Some(&Some(imported_tables)) = modules.last() else { continue };
                for element in elements.into_iter().flatten() {
                    let ElementKind::Active { table_index, offset_expr } = element.kind else { continue };
                    let mut offset = offset_expr.get_operators_reader();
                    let constant = matches!(offset.read(), Ok(Operator::I32Const { .. } | Operator::I64Const { .. }))
                        && matches!(offset.read(), Ok(Operator::End));
                    if table_index.unwrap_or(0) < imported_tables || !constant {
                        references += match element.items {
                            wasmparser::ElementItems::Functions(items) => items.count(),
                            wasmparser::ElementItems::Expressions(_, items) => items.count(),
                        } as usize;
                    }
                }
            }
            _ => {}
        }
    }
    references
}

/// An instance made ahead of its call, waiting without a running slot.
pub(super) struct Spare {
    pub(super) store: Store<CallState>,
    pub(super) instance: Instance,
}

/// One plugin version's spare, and what it takes to make the next one.
pub(super) struct Spares {
    engine: Engine,
    pre: InstancePre<CallState>,
    grants: Arc<Grants>,
    budget: Arc<Budget>,
    ready: Mutex<Option<Spare>>,
    /// The maker has been asked for a spare and has not yet answered.
    asked: AtomicBool,
    maker: SpareMaker,
}

impl Spares {
    /// Spares for `plugin`, the first one made now; `None` if it cannot be
    /// made (the budget is full: calls make their own instances).
    pub(super) fn for_version(plugin: &Plugin, maker: SpareMaker) -> Option<Arc<Self>> {
        if !maker.take_place() {
            tracing::debug!(plugin = %plugin.id(), "no spares: as many versions keep one as the pool allows");
            return None;
        }
        let spares = Arc::new(Self {
            engine: plugin.engine.clone(),
            pre: plugin.pre.clone(),
            grants: plugin.grants.clone(),
            budget: plugin.budget.clone(),
            ready: Mutex::new(None),
            asked: AtomicBool::new(false),
            maker,
        });
        spares.refill();
        spares.is_ready().then_some(spares)
    }

    /// The spare if one is ready; either way the maker is asked for the
    /// next one.
    pub(super) fn take(self: &Arc<Self>) -> Option<Spare> {
        let spare = self.ready().take();
        if !self.asked.swap(true, Ordering::AcqRel) {
            self.maker.send(Job::Make(Arc::downgrade(self)));
        }
        spare
    }

    /// Hands a spare's used instance to the maker to drop, once its call
    /// has ended (its live call given back now, its memory when dropped).
    pub(super) fn retire(&self, mut used: Store<CallState>) {
        used.data_mut().limiter.admission.end_call();
        self.maker.send(Job::Retire(used));
    }

    /// Whether a spare waits for the next call.
    pub(super) fn is_ready(&self) -> bool {
        self.ready().is_some()
    }

    fn ready(&self) -> MutexGuard<'_, Option<Spare>> {
        self.ready.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A fresh instance in a store of its own, its memory counted by the
    /// budget (it holds no live call or running slot until a call takes it).
    fn make(&self) -> anyhow::Result<Spare> {
        let admission = self.budget.spare(&self.grants.key);
        let state = CallState::new(self.grants.clone(), self.grants.manifest.deadline(), admission)?;
        let mut store = state.into_store(&self.engine);
        let instance = self.pre.instantiate(&mut store).map_err(anyhow::Error::from)?;
        Ok(Spare { store, instance })
    }

    /// Makes a spare if none is ready (on the maker's thread).
    fn refill(&self) {
        let spare = match self.ready().is_some() {
            true => None,
            false => match self.make() {
                Ok(spare) => Some(spare),
                Err(error) => {
                    // The next call asks again; until then calls make their own.
                    tracing::debug!(plugin = %self.grants.plugin, "no spare instance made: {error:#}");
                    None
                }
            },
        };
        // Answered before the spare is put out: a call that takes it in
        // between asks anew rather than finding the maker still "asked".
        self.asked.store(false, Ordering::Release);
        if let Some(spare) = spare {
            *self.ready() = Some(spare);
        }
    }
}

impl Drop for Spares {
    fn drop(&mut self) {
        self.maker.give_place();
    }
}

/// What the spare-making thread is asked to do.
enum Job {
    /// Make a spare for this version, if it still exists and has none.
    Make(Weak<Spares>),
    /// Drop an instance whose call has ended (resetting its pool slot).
    Retire(Store<CallState>),
}

/// How often the maker looks for work while calls are coming.
const POLL: Duration = Duration::from_micros(250);
/// How long without work before the maker sleeps until woken.
const IDLE_AFTER: Duration = Duration::from_millis(20);

/// The thread that makes spares and drops the used ones, one per runtime,
/// asked by the plugin versions that keep spares. It ends when the runtime
/// and every such version are gone.
///
/// A call hands it work without waking it while calls are coming: waking a
/// sleeping thread costs the waker 5–10 µs on a virtual machine (an
/// interrupt to an idle virtual CPU), as much as a whole Rust plugin call.
/// So while it has had work in the last [`IDLE_AFTER`] the maker looks for
/// more every [`POLL`] (or at once, while there is more); only then does it
/// sleep until the next call wakes it.
#[derive(Clone)]
pub(super) struct SpareMaker(Arc<MakerHandle>);

/// Dropped with the last [`SpareMaker`]: tells the thread to finish.
struct MakerHandle {
    queue: Arc<JobQueue>,
    thread: std::thread::Thread,
    /// How many more plugin versions may keep a spare: each holds a slot of
    /// the instance pool, which calls making their own instances need too.
    places: AtomicUsize,
}

#[derive(Default)]
struct JobQueue {
    jobs: Mutex<Vec<Job>>,
    /// The maker sleeps until woken (set by it, cleared by whoever wakes it).
    asleep: AtomicBool,
    closed: AtomicBool,
}

impl SpareMaker {
    /// The maker for a runtime whose spares may take up to `places` of its
    /// instance pool's slots (one per plugin version keeping spares).
    pub(super) fn start(places: usize) -> Self {
        let queue = Arc::new(JobQueue::default());
        let thread = {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name("mitra-spares".into())
                .spawn(move || queue.serve())
                .expect("spawning the spare-making thread")
        };
        Self(Arc::new(MakerHandle { queue, thread: thread.thread().clone(), places: AtomicUsize::new(places) }))
    }

    /// A place for one more plugin version's spares, if there is one.
    fn take_place(&self) -> bool {
        self.0.places.fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| left.checked_sub(1)).is_ok()
    }

    fn give_place(&self) {
        self.0.places.fetch_add(1, Ordering::AcqRel);
    }

    fn send(&self, job: Job) {
        let MakerHandle { queue, thread, .. } = &*self.0;
        queue.lock().push(job);
        // SeqCst on both sides: either the maker, about to sleep, sees the
        // job, or this sees it asleep and wakes it.
        if queue.asleep.load(Ordering::SeqCst) && queue.asleep.swap(false, Ordering::SeqCst) {
            thread.unpark();
        }
    }
}

impl Drop for MakerHandle {
    fn drop(&mut self) {
        self.queue.closed.store(true, Ordering::SeqCst);
        self.thread.unpark();
    }
}

impl JobQueue {
    fn lock(&self) -> MutexGuard<'_, Vec<Job>> {
        self.jobs.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The maker's loop.
    fn serve(&self) {
        let mut worked = Instant::now();
        // Swapped with the queue's, so neither side allocates per job.
        let mut jobs = Vec::new();
        loop {
            std::mem::swap(&mut jobs, &mut *self.lock());
            if !jobs.is_empty() {
                worked = Instant::now();
                for job in jobs.drain(..) {
                    match job {
                        // A version dropped since it asked needs no spare.
                        Job::Make(spares) => {
                            if let Some(spares) = spares.upgrade() {
                                spares.refill();
                            }
                        }
                        Job::Retire(used) => drop(used),
                    }
                }
                continue;
            }
            if self.closed.load(Ordering::SeqCst) {
                return;
            }
            if worked.elapsed() < IDLE_AFTER {
                std::thread::park_timeout(POLL);
                continue;
            }
            self.asleep.store(true, Ordering::SeqCst);
            if self.lock().is_empty() && !self.closed.load(Ordering::SeqCst) {
                std::thread::park();
            }
            self.asleep.store(false, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::eager_references;

    fn wasm(text: &str) -> Vec<u8> {
        wat::parse_str(text).unwrap()
    }

    #[test]
    fn only_references_that_cannot_be_filled_lazily_are_counted() {
        // As a Rust module: its own table, at constant offsets.
        let own = wasm("(module (table 4 funcref) (func $f) (elem (i32.const 1) $f $f $f))");
        assert_eq!(eager_references(&own), 0);
        // As componentize-py's: an imported table, offsets from imported globals.
        let shared = wasm(
            r#"(module
                (import "env" "__indirect_function_table" (table 10 funcref))
                (import "env" "__table_base" (global $base i32))
                (func $f)
                (elem (table 0) (offset (global.get $base)) func $f $f)
                (elem (table 0) (offset (i32.const 7)) func $f))"#,
        );
        assert_eq!(eager_references(&shared), 3);
        // Its own table, at an offset known only when it is instantiated.
        let placed = wasm(
            r#"(module
                (import "env" "base" (global $base i32))
                (table 8 funcref) (func $f)
                (elem (offset (global.get $base)) func $f $f))"#,
        );
        assert_eq!(eager_references(&placed), 2);
        // Passive and declared segments write nothing when instantiated.
        let passive = wasm(
            r#"(module (import "env" "t" (table 4 funcref)) (func $f)
                (elem func $f) (elem declare func $f))"#,
        );
        assert_eq!(eager_references(&passive), 0);
    }

    #[test]
    fn each_module_of_a_component_is_counted_with_its_own_imports() {
        let component = wasm(
            r#"(component
                (core module (import "env" "t" (table 4 funcref)) (func $f) (elem (i32.const 0) $f $f))
                (core module (table 4 funcref) (func $f) (elem (i32.const 0) $f $f $f $f)))"#,
        );
        assert_eq!(eager_references(&component), 2);
    }
}
