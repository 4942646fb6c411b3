//! `sandbox`: what a hostile plugin costs the host and its neighbours.
//!
//! 1. A well-behaved plugin (the pensions example) called from 4 threads for
//!    a few seconds, alone: its latency.
//! 2. The same while a hostile neighbour runs at full concurrency: 32 threads
//!    of busy loops stopped at a 200 ms deadline (every running slot the
//!    plugin may hold, and more waiting), and 100 threads each holding 48 MiB
//!    while a slow department system answers. Measured: the good plugin's
//!    latency again (the ratio is the figure), how far past 200 ms the busy
//!    loops were stopped, and the host's peak resident memory against the
//!    memory budget.
//!
//! Run: `cargo bench -p mitra-tests --bench sandbox [-- --seconds 5 --budget-mib 512]`

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mitra::runtime::{
    Answer, AnswerValue, Applicant, BudgetLimits, Decision, Error, Language, Manifest, Plugin, Runtime, RuntimeConfig,
};
use mitra_tests::components;

const DEADLINE_MS: u64 = 200;
const BUSY_THREADS: usize = 32;
const HOARD_THREADS: usize = 100;
const GOOD_THREADS: usize = 4;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut seconds, mut budget_mib) = (5u64, 512usize);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => seconds = args.next().and_then(|v| v.parse().ok()).expect("--seconds N"),
            "--budget-mib" => budget_mib = args.next().and_then(|v| v.parse().ok()).expect("--budget-mib N"),
            _ => {} // cargo bench passes --bench
        }
    }
    let run = Duration::from_secs(seconds);
    let backend = mitra_tests::slow_backend(Duration::from_millis(100));
    let mut limits = BudgetLimits::for_machine(1000);
    limits.memory = budget_mib << 20;
    let config = RuntimeConfig { budget: Some(limits), ..RuntimeConfig::default() };
    let runtime = Runtime::new(&config).unwrap();
    let good = Arc::new(runtime.load(pensions()).unwrap());
    let mut hostile = mitra_tests::manifest("hostile", components::HOSTILE);
    hostile.capabilities.allowed_hosts = vec![backend.to_string()];
    hostile.capabilities.deadline_ms = Some(DEADLINE_MS);
    let hostile = Arc::new(runtime.load(hostile).unwrap());
    let limits = runtime.budget().limits().clone();
    println!(
        "sandbox bench: {} cores, budget {} MiB, {} running slots ({} per plugin), {} live calls per plugin, {seconds} s per phase",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        limits.memory >> 20,
        limits.running,
        limits.running / 2,
        limits.calls_per_plugin,
    );

    let alone = good_calls(&good, run);
    report("good plugin alone", &alone);

    let baseline = mitra_tests::status_kib("VmRSS:");
    std::fs::write("/proc/self/clear_refs", "5").expect("resetting the peak RSS (needs Linux)");
    let stop = Arc::new(AtomicBool::new(false));
    let overshoot = Arc::new(Mutex::new(Vec::new()));
    let outcomes = Arc::new(Outcomes::default());
    let mut neighbours = Vec::new();
    for _ in 0..BUSY_THREADS {
        let (hostile, stop, overshoot, outcomes) = (hostile.clone(), stop.clone(), overshoot.clone(), outcomes.clone());
        neighbours.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match hostile.check_eligibility("infinite-loop", &applicant(), &[]) {
                    Err(Error::DeadlineExceeded { ran, limit, .. }) => {
                        overshoot.lock().unwrap().push(ran.saturating_sub(limit));
                        outcomes.deadline.fetch_add(1, Ordering::Relaxed);
                    }
                    other => outcomes.count(&other),
                }
            }
        }));
    }
    let hoard = vec![
        Answer { field_id: "input".into(), value: AnswerValue::Text("48".into()) },
        Answer { field_id: "url".into(), value: AnswerValue::Text(format!("http://{backend}/slow")) },
    ];
    for _ in 0..HOARD_THREADS {
        let (hostile, stop, outcomes, hoard) = (hostile.clone(), stop.clone(), outcomes.clone(), hoard.clone());
        neighbours.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                outcomes.count(&hostile.check_eligibility("hoard", &applicant(), &hoard));
            }
        }));
    }
    let beside = good_calls(&good, run);
    stop.store(true, Ordering::Relaxed);
    for neighbour in neighbours {
        neighbour.join().unwrap();
    }
    let peak = mitra_tests::status_kib("VmHWM:");
    report("good plugin beside the hostile one", &beside);
    println!(
        "good plugin p99 ratio (beside / alone): {:.2}",
        percentile(&beside, 99).as_secs_f64() / percentile(&alone, 99).as_secs_f64()
    );
    let mut overshoot = overshoot.lock().unwrap().clone();
    overshoot.sort();
    println!(
        "deadline {DEADLINE_MS} ms at full concurrency: {} stopped, overshoot p50 {:.1} ms ({:.1} %), p99 {:.1} ms ({:.1} %), max {:.1} ms",
        overshoot.len(),
        ms(percentile(&overshoot, 50)),
        ms(percentile(&overshoot, 50)) / DEADLINE_MS as f64 * 100.0,
        ms(percentile(&overshoot, 99)),
        ms(percentile(&overshoot, 99)) / DEADLINE_MS as f64 * 100.0,
        ms(overshoot.last().copied().unwrap_or_default()),
    );
    println!(
        "hostile calls: {} busy loops stopped, {} hoards served, {} refused (memory {}, running {}, calls {}), other: {:?}",
        outcomes.deadline.load(Ordering::Relaxed),
        outcomes.served.load(Ordering::Relaxed),
        outcomes.memory.load(Ordering::Relaxed)
            + outcomes.running.load(Ordering::Relaxed)
            + outcomes.calls.load(Ordering::Relaxed),
        outcomes.memory.load(Ordering::Relaxed),
        outcomes.running.load(Ordering::Relaxed),
        outcomes.calls.load(Ordering::Relaxed),
        outcomes.other.lock().unwrap(),
    );
    println!(
        "host RSS: {} MiB before, peak {} MiB (+{} MiB; budget {} MiB + up to {} MiB kept resident by idle slots)",
        baseline >> 10,
        peak >> 10,
        peak.saturating_sub(baseline) >> 10,
        limits.memory >> 20,
        (1000 * mitra::runtime::KEEP_RESIDENT) >> 20,
    );
}

#[derive(Default)]
struct Outcomes {
    deadline: AtomicU64,
    served: AtomicU64,
    memory: AtomicU64,
    running: AtomicU64,
    calls: AtomicU64,
    other: Mutex<std::collections::BTreeMap<&'static str, u64>>,
}

impl Outcomes {
    fn count(&self, outcome: &Result<Decision, Error>) {
        use mitra::runtime::Exhausted;
        let counter = match outcome {
            Ok(_) => &self.served,
            Err(Error::Overloaded { resource: Exhausted::Memory, .. }) => &self.memory,
            Err(Error::Overloaded { resource: Exhausted::Running, .. }) => &self.running,
            Err(Error::Overloaded { resource: Exhausted::Calls, .. }) => &self.calls,
            Err(other) => {
                *self.other.lock().unwrap().entry(other.kind()).or_default() += 1;
                return;
            }
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

fn pensions() -> Manifest {
    let mut manifest = Manifest::load(std::path::Path::new(components::PENSIONS_DIR)).unwrap();
    manifest.component = components::PENSIONS.into();
    manifest
}

fn applicant() -> Applicant {
    Applicant { wa_id: "919876543210".into(), profile_name: None, language: Language::Te }
}

/// Latencies of the good plugin's calls from [`GOOD_THREADS`] threads for `run`.
fn good_calls(good: &Arc<Plugin>, run: Duration) -> Vec<Duration> {
    let answers = vec![
        Answer { field_id: "aadhaar".into(), value: AnswerValue::Aadhaar("499112345677".into()) },
        Answer { field_id: "dob".into(), value: AnswerValue::Date("1955-03-01".into()) },
        Answer { field_id: "area".into(), value: AnswerValue::Choice("rural".into()) },
        Answer { field_id: "income".into(), value: AnswerValue::Number(8000.0) },
    ];
    let until = Instant::now() + run;
    let threads: Vec<_> = (0..GOOD_THREADS)
        .map(|_| {
            let (good, answers) = (good.clone(), answers.clone());
            std::thread::spawn(move || {
                let mut took = Vec::new();
                while Instant::now() < until {
                    let started = Instant::now();
                    let decision = good.check_eligibility("old-age", &applicant(), &answers);
                    took.push(started.elapsed());
                    assert_eq!(decision.unwrap(), Decision::Eligible);
                    // A citizen's pace, not a tight loop: the figure is latency.
                    std::thread::sleep(Duration::from_millis(1));
                }
                took
            })
        })
        .collect();
    let mut all: Vec<Duration> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    all.sort();
    all
}

fn report(what: &str, took: &[Duration]) {
    println!(
        "{what}: {} calls, p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        took.len(),
        ms(percentile(took, 50)),
        ms(percentile(took, 99)),
        ms(took.last().copied().unwrap_or_default()),
    );
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
