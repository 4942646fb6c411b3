//! What all plugins together may cost the host: guest memory across every
//! live instance, wasm running at once, and live calls per plugin.
//!
//! One call's instance is capped by its manifest (memory, deadline); these
//! budgets bound what many calls cost together, so one department's bug or
//! attack (thousands of concurrent calls, each within its own cap) cannot get
//! the host killed for out-of-memory or starve the other departments. Each
//! plugin may hold at most half of the memory and of the running slots:
//! whatever one plugin does, the others keep the other half.
//!
//! A call over budget waits briefly (a burst passes) and is then refused as
//! [`Exhausted`], which the host reports as `overloaded` and the citizen is
//! told to try again: never the host killed, never a hung call.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The host-wide limits (see [`super::RuntimeConfig`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetLimits {
    /// Guest linear memory of every live instance together, in bytes.
    pub memory: usize,
    /// Calls executing wasm at once (a call waiting on a department's HTTP
    /// system is not running). Bounds the runnable threads, so a deadline is
    /// noticed soon after it passes even when every slot runs a busy loop.
    pub running: usize,
    /// Live calls of one plugin (running or waiting on HTTP): instance
    /// slots one department may hold.
    pub calls_per_plugin: usize,
    /// Calls that have run longer than [`LONG_CALL`] and may go on running
    /// at once (a plugin's busy loops take turns here, so the CPU stays with
    /// the short calls of every other plugin).
    pub long_running: usize,
    /// How long a call waits for room before it is refused.
    pub wait: Duration,
}

impl BudgetLimits {
    /// Half the machine's memory (or its cgroup limit) less what idle pool
    /// slots may keep resident, 4 running calls per core, and a quarter of
    /// the instance pool per plugin.
    pub fn for_machine(instances: u32) -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let half = machine_memory().unwrap_or(4 << 30) / 2;
        let resident = instances as usize * super::KEEP_RESIDENT;
        Self {
            memory: half.saturating_sub(resident).max(half / 2),
            running: 4 * cores,
            calls_per_plugin: (instances as usize / 4).max(4),
            long_running: cores,
            wait: Duration::from_millis(500),
        }
    }

    fn plugin_memory(&self) -> usize {
        self.memory / 2
    }

    fn plugin_running(&self) -> usize {
        (self.running / 2).max(1)
    }

    fn plugin_long_running(&self) -> usize {
        (self.long_running / 2).max(1)
    }
}

/// A call that has run this long (waits on HTTP aside) is a long one: it
/// goes on only with a long-running slot. Nearly every call is done in
/// well under a millisecond.
pub const LONG_CALL: Duration = Duration::from_millis(20);

/// The memory this host may use: the smaller of `MemTotal` and the cgroup's
/// `memory.max` (a container's limit is what the kernel enforces).
pub fn machine_memory() -> Option<usize> {
    let total = std::fs::read_to_string("/proc/meminfo").ok().and_then(|info| {
        let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
        let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    });
    let cgroup = std::fs::read_to_string("/sys/fs/cgroup/memory.max").ok().and_then(|v| v.trim().parse().ok());
    match (total, cgroup) {
        (Some(t), Some(c)) => Some(std::cmp::min(t, c)),
        (t, c) => t.or(c),
    }
}

/// What ran out, for the error and the citizen's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Exhausted {
    #[error("the host's memory budget for plugins is in use")]
    Memory,
    #[error("every slot for running plugin code is in use")]
    Running,
    #[error("the plugin has as many calls in flight as it may")]
    Calls,
}

/// The shared accounts of every call. Cheap to share through an `Arc`.
#[derive(Debug)]
pub struct Budget {
    limits: BudgetLimits,
    state: Mutex<Usage>,
    /// Where calls wait that the host-wide limits hold back.
    host_freed: Condvar,
}

#[derive(Debug, Default)]
struct Usage {
    memory: usize,
    running: usize,
    long: usize,
    /// Calls waiting on [`Budget::host_freed`]: a release wakes them only
    /// when there are any.
    host_waiters: usize,
    /// By plugin id (operators' names, not citizens' input: a fast hash
    /// suffices, and a call looks its plugin up several times).
    plugins: HashMap<Arc<str>, PluginUsage, foldhash::fast::RandomState>,
}

#[derive(Debug, Default)]
struct PluginUsage {
    memory: usize,
    running: usize,
    long: usize,
    calls: usize,
    /// Where this plugin's calls wait that its own share holds back. Apart
    /// from the host's, so a neighbour's thousand calls a second do not wake
    /// a hostile plugin's hundreds of waiting ones each time.
    freed: Arc<Condvar>,
    /// Calls waiting on `freed` (waking none costs a system call per release).
    waiters: usize,
}

/// Which limit a call waits on.
#[derive(Clone, Copy)]
enum Held {
    /// The plugin's own share: only its own releases can help.
    Own,
    /// The host-wide limit: any plugin's release can help.
    Host,
}

impl Usage {
    fn plugin(&mut self, plugin: &Arc<str>) -> &mut PluginUsage {
        // Looked up by &str first: no allocation on the hot path.
        if !self.plugins.contains_key(&**plugin) {
            self.plugins.insert(plugin.clone(), PluginUsage::default());
        }
        self.plugins.get_mut(&**plugin).expect("just inserted")
    }

    /// What holds a new running slot for `plugin` back, if anything.
    fn running_held(&mut self, plugin: &Arc<str>, limits: &BudgetLimits) -> Option<Held> {
        if self.plugin(plugin).running >= limits.plugin_running() {
            Some(Held::Own)
        } else if self.running >= limits.running {
            Some(Held::Host)
        } else {
            None
        }
    }

    /// What holds a long-running slot for `plugin` back, if anything.
    fn long_held(&mut self, plugin: &Arc<str>, limits: &BudgetLimits) -> Option<Held> {
        if self.plugin(plugin).long >= limits.plugin_long_running() {
            Some(Held::Own)
        } else if self.long >= limits.long_running {
            Some(Held::Host)
        } else {
            None
        }
    }

    /// What holds `bytes` more memory for `plugin` back, if anything.
    fn memory_held(&mut self, plugin: &Arc<str>, bytes: usize, limits: &BudgetLimits) -> Option<Held> {
        if self.plugin(plugin).memory + bytes > limits.plugin_memory() {
            Some(Held::Own)
        } else if self.memory + bytes > limits.memory {
            Some(Held::Host)
        } else {
            None
        }
    }
}

impl Budget {
    pub fn new(limits: BudgetLimits) -> Arc<Self> {
        Arc::new(Self { limits, state: Mutex::default(), host_freed: Condvar::new() })
    }

    pub fn limits(&self) -> &BudgetLimits {
        &self.limits
    }

    /// Memory held by every live instance now, in bytes.
    pub fn memory_in_use(&self) -> usize {
        self.lock().memory
    }

    /// A live call of `plugin` with a running slot, once both are free
    /// (waiting at most the configured time).
    pub fn admit(self: &Arc<Self>, plugin: &Arc<str>) -> Result<Admission, Exhausted> {
        let usage = self.wait_for_call(self.lock(), plugin, Instant::now() + self.limits.wait)?;
        self.start_call(usage, plugin);
        Ok(self.share(plugin, true))
    }

    /// The share of an instance made ahead of its call (see
    /// [`super::spares`]): its memory only, until a call takes it
    /// ([`Admission::begin_call`]). So a spare never holds a live call or a
    /// running slot a call could be waiting for.
    pub(super) fn spare(self: &Arc<Self>, plugin: &Arc<str>) -> Admission {
        self.share(plugin, false)
    }

    /// A share holding no memory yet: a live call with a running slot
    /// (already counted) or, if not `live`, neither.
    fn share(self: &Arc<Self>, plugin: &Arc<str>, live: bool) -> Admission {
        Admission {
            budget: self.clone(),
            plugin: plugin.clone(),
            memory: 0,
            call: live,
            running: live,
            long: false,
            ran: Duration::ZERO,
            running_since: Instant::now(),
        }
    }

    /// Waits until `plugin` may have one more live call with a running
    /// slot, at most until `until`.
    fn wait_for_call<'a>(
        &self,
        mut usage: MutexGuard<'a, Usage>,
        plugin: &Arc<str>,
        until: Instant,
    ) -> Result<MutexGuard<'a, Usage>, Exhausted> {
        loop {
            let (problem, held) = if usage.plugin(plugin).calls >= self.limits.calls_per_plugin {
                (Exhausted::Calls, Held::Own)
            } else if let Some(held) = usage.running_held(plugin, &self.limits) {
                (Exhausted::Running, held)
            } else {
                return Ok(usage);
            };
            usage = self.wait(usage, plugin, held, until).ok_or(problem)?;
        }
    }

    /// Counts a live call with a running slot (room for it was waited for).
    fn start_call(&self, mut usage: MutexGuard<'_, Usage>, plugin: &Arc<str>) {
        let mine = usage.plugin(plugin);
        mine.calls += 1;
        mine.running += 1;
        usage.running += 1;
    }

    fn lock(&self) -> MutexGuard<'_, Usage> {
        // The accounts are plain counters: a panic elsewhere leaves them whole.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits for a release that may help until `until`; `None` when the
    /// time is up.
    fn wait<'a>(
        &self,
        mut usage: MutexGuard<'a, Usage>,
        plugin: &Arc<str>,
        held: Held,
        until: Instant,
    ) -> Option<MutexGuard<'a, Usage>> {
        let left = until.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())?;
        let usage = match held {
            Held::Own => {
                let mine = usage.plugin(plugin);
                mine.waiters += 1;
                let freed = mine.freed.clone();
                let mut usage = freed.wait_timeout(usage, left).unwrap_or_else(|poisoned| poisoned.into_inner()).0;
                usage.plugin(plugin).waiters -= 1;
                usage
            }
            Held::Host => {
                usage.host_waiters += 1;
                let (mut usage, _) =
                    self.host_freed.wait_timeout(usage, left).unwrap_or_else(|poisoned| poisoned.into_inner());
                usage.host_waiters -= 1;
                usage
            }
        };
        Some(usage)
    }

    /// Wakes the calls `plugin`'s release may help.
    fn released(&self, usage: &mut Usage, plugin: &Arc<str>) {
        let mine = usage.plugin(plugin);
        if mine.waiters > 0 {
            mine.freed.notify_all();
        }
        if usage.host_waiters > 0 {
            self.host_freed.notify_all();
        }
    }
}

/// One call's share of the budget, given back when it is dropped (with the
/// call's store, whatever ended the call).
#[derive(Debug)]
pub struct Admission {
    budget: Arc<Budget>,
    plugin: Arc<str>,
    memory: usize,
    /// Counted as a live call (a spare is not, until a call takes it).
    call: bool,
    running: bool,
    long: bool,
    /// Time run before the last pause, and when running last began.
    ran: Duration,
    running_since: Instant,
}

impl Admission {
    /// Reserves `bytes` more guest memory, waiting at most until `until`.
    pub fn grow(&mut self, bytes: usize, until: Instant) -> Result<(), Exhausted> {
        let limits = &self.budget.limits;
        // More than the whole share can never fit: no point waiting.
        if bytes > limits.plugin_memory() {
            return Err(Exhausted::Memory);
        }
        let mut usage = self.budget.lock();
        while let Some(held) = usage.memory_held(&self.plugin, bytes, limits) {
            usage = self.budget.wait(usage, &self.plugin, held, until).ok_or(Exhausted::Memory)?;
        }
        usage.memory += bytes;
        usage.plugin(&self.plugin).memory += bytes;
        self.memory += bytes;
        Ok(())
    }

    /// Makes a spare's share (see [`Budget::spare`]) a live call with a
    /// running slot, waiting for room at most until `until` as
    /// [`Budget::admit`] does.
    pub(super) fn begin_call(&mut self, until: Instant) -> Result<(), Exhausted> {
        debug_assert!(!self.call, "a spare's share is taken by one call only");
        let usage = self.budget.wait_for_call(self.budget.lock(), &self.plugin, until)?;
        self.budget.start_call(usage, &self.plugin);
        self.call = true;
        self.running = true;
        self.running_since = Instant::now();
        Ok(())
    }

    /// Ends the call: its live call and running slot go back now, its
    /// memory when the admission is dropped with the instance (a spare's
    /// used instance is dropped on the spare-making thread, after the call
    /// has answered).
    pub(super) fn end_call(&mut self) {
        if !self.call {
            return;
        }
        self.pause();
        self.call = false;
        let mut usage = self.budget.lock();
        usage.plugin(&self.plugin).calls -= 1;
        self.budget.released(&mut usage, &self.plugin);
    }

    /// Gives the running slot back while the call waits on something
    /// outside wasm (a department's HTTP system).
    pub fn pause(&mut self) {
        if !self.running {
            return;
        }
        self.running = false;
        self.ran += self.running_since.elapsed();
        let long = std::mem::take(&mut self.long);
        let mut usage = self.budget.lock();
        usage.running -= 1;
        usage.long -= usize::from(long);
        let mine = usage.plugin(&self.plugin);
        mine.running -= 1;
        mine.long -= usize::from(long);
        self.budget.released(&mut usage, &self.plugin);
    }

    /// How long the call has run, its waits on HTTP aside.
    pub fn ran(&self) -> Duration {
        if self.running { self.ran + self.running_since.elapsed() } else { self.ran }
    }

    /// Called as the call runs (on each epoch tick): past [`LONG_CALL`] it
    /// goes on only with a long-running slot, waiting for one (without
    /// running) at most until `until`, its deadline.
    pub fn keep_running(&mut self, until: Instant) -> Result<(), Exhausted> {
        if self.long || !self.running || self.ran() < LONG_CALL {
            return Ok(());
        }
        let mut usage = self.budget.lock();
        while let Some(held) = usage.long_held(&self.plugin, &self.budget.limits) {
            usage = self.budget.wait(usage, &self.plugin, held, until).ok_or(Exhausted::Running)?;
        }
        usage.long += 1;
        usage.plugin(&self.plugin).long += 1;
        self.long = true;
        Ok(())
    }

    /// Takes a running slot again, waiting at most until `until`.
    pub fn resume(&mut self, until: Instant) -> Result<(), Exhausted> {
        if self.running {
            return Ok(());
        }
        let mut usage = self.budget.lock();
        while let Some(held) = usage.running_held(&self.plugin, &self.budget.limits) {
            usage = self.budget.wait(usage, &self.plugin, held, until).ok_or(Exhausted::Running)?;
        }
        usage.running += 1;
        usage.plugin(&self.plugin).running += 1;
        self.running = true;
        self.running_since = Instant::now();
        Ok(())
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        let mut usage = self.budget.lock();
        usage.memory -= self.memory;
        usage.running -= usize::from(self.running);
        usage.long -= usize::from(self.long);
        let mine = usage.plugin(&self.plugin);
        mine.memory -= self.memory;
        mine.running -= usize::from(self.running);
        mine.long -= usize::from(self.long);
        mine.calls -= usize::from(self.call);
        self.budget.released(&mut usage, &self.plugin);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(memory: usize, running: usize, calls: usize) -> Arc<Budget> {
        Budget::new(BudgetLimits {
            memory,
            running,
            calls_per_plugin: calls,
            long_running: 2,
            wait: Duration::from_millis(20),
        })
    }

    fn soon() -> Instant {
        Instant::now() + Duration::from_millis(20)
    }

    #[test]
    fn one_plugin_holds_at_most_half_the_memory_and_the_rest_is_left_to_others() {
        let budget = budget(100, 8, 8);
        let (hog, good): (Arc<str>, Arc<str>) = ("hog".into(), "good".into());
        let mut a = budget.admit(&hog).unwrap();
        a.grow(40, soon()).unwrap();
        let mut b = budget.admit(&hog).unwrap();
        assert_eq!(b.grow(20, soon()), Err(Exhausted::Memory), "over the plugin's half");
        b.grow(10, soon()).unwrap();
        let mut other = budget.admit(&good).unwrap();
        other.grow(50, soon()).unwrap();
        assert_eq!(budget.memory_in_use(), 100);
        assert_eq!(other.grow(1, soon()), Err(Exhausted::Memory), "the host's whole budget, and its half");
        drop((a, b));
        let mut c = budget.admit(&hog).unwrap();
        c.grow(50, soon()).unwrap();
        drop((c, other));
        assert_eq!(budget.memory_in_use(), 0, "every byte is given back");
    }

    #[test]
    fn running_slots_are_shared_and_given_back_while_a_call_waits_on_http() {
        let budget = budget(1000, 4, 8);
        let (hog, good): (Arc<str>, Arc<str>) = ("hog".into(), "good".into());
        let first = budget.admit(&hog).unwrap();
        let mut second = budget.admit(&hog).unwrap();
        assert_eq!(budget.admit(&hog).unwrap_err(), Exhausted::Running, "half the slots per plugin");
        let _good = budget.admit(&good).unwrap();
        second.pause();
        let third = budget.admit(&hog).unwrap();
        assert_eq!(second.resume(soon()), Err(Exhausted::Running));
        drop(third);
        second.resume(soon()).unwrap();
        drop(first);
    }

    #[test]
    fn live_calls_per_plugin_are_capped_even_when_they_wait_on_http() {
        let budget = budget(1000, 8, 2);
        let plugin: Arc<str> = "slow".into();
        let mut calls = [budget.admit(&plugin).unwrap(), budget.admit(&plugin).unwrap()];
        calls.iter_mut().for_each(Admission::pause);
        assert_eq!(budget.admit(&plugin).unwrap_err(), Exhausted::Calls);
    }

    #[test]
    fn calls_past_the_long_mark_take_turns_per_plugin() {
        let budget = budget(1000, 8, 8);
        let plugin: Arc<str> = "busy".into();
        let mut first = budget.admit(&plugin).unwrap();
        let mut second = budget.admit(&plugin).unwrap();
        first.keep_running(soon()).unwrap();
        assert!(!first.long, "a short call needs no long slot");
        std::thread::sleep(LONG_CALL);
        first.keep_running(soon()).unwrap();
        assert!(first.long);
        // One long-running call per plugin when the host has two.
        assert_eq!(second.keep_running(soon()), Err(Exhausted::Running));
        first.pause();
        second.keep_running(soon()).unwrap();
        assert!(second.long);
    }

    #[test]
    fn a_spare_holds_memory_but_no_call_until_a_call_takes_it() {
        let budget = budget(1000, 8, 1);
        let plugin: Arc<str> = "slow".into();
        let mut spare = budget.spare(&plugin);
        spare.grow(100, soon()).unwrap();
        assert_eq!(budget.memory_in_use(), 100, "a spare's memory is counted");
        let call = budget.admit(&plugin).expect("the spare is not one of the plugin's live calls");
        assert_eq!(spare.begin_call(soon()), Err(Exhausted::Calls), "taking a spare waits for room as any call does");
        drop(call);
        spare.begin_call(soon()).unwrap();
        assert_eq!(budget.admit(&plugin).unwrap_err(), Exhausted::Calls, "once taken, it is a live call");
        spare.end_call();
        let next = budget.admit(&plugin).expect("an ended call is given back at once");
        assert_eq!(budget.memory_in_use(), 100, "its memory until its instance is dropped");
        drop((spare, next));
        assert_eq!(budget.memory_in_use(), 0);
    }

    #[test]
    fn a_waiting_call_is_admitted_when_another_ends() {
        let budget = Budget::new(BudgetLimits {
            memory: 1000,
            running: 2,
            calls_per_plugin: 1,
            long_running: 2,
            wait: Duration::from_secs(5),
        });
        let plugin: Arc<str> = "p".into();
        let first = budget.admit(&plugin).unwrap();
        let waiter = {
            let (budget, plugin) = (budget.clone(), plugin.clone());
            std::thread::spawn(move || budget.admit(&plugin).map(drop))
        };
        std::thread::sleep(Duration::from_millis(50));
        drop(first);
        assert_eq!(waiter.join().unwrap(), Ok(()));
    }
}
