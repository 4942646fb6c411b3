//! `plugin_pace`: one plugin's calls at a steady pace, as a host's calls come
//! (a citizen's eligibility check now and then), rather than back to back as
//! in `plugin_call`. Reports each call's time as its caller waits for it and
//! the CPU the whole process spent per call: the spare-making thread's work
//! and wake-ups included, which a back-to-back measurement of the call
//! alone does not show.
//!
//! Run: `cargo bench -p mitra-tests --bench plugin_pace -- --every-us 1000 --seconds 10 --make-ahead always`

use std::time::{Duration, Instant};

use clap::Parser;
use mitra::runtime::{Applicant, Language, MakeAhead, Runtime, RuntimeConfig};

// As the `mitra` binary runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    /// One call every this many microseconds.
    #[arg(long, default_value_t = 1000)]
    every_us: u64,
    /// How long to call for (after a second's warm-up).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Which plugins get instances made ahead (`always`, `when-slow`, `never`).
    #[arg(long, value_enum, default_value_t = MakeAhead::default())]
    make_ahead: MakeAhead,
    // `cargo bench` passes `--bench`.
    #[arg(long, hide = true)]
    bench: bool,
}

/// CPU time this process has spent, all threads (from `/proc/self/stat`).
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("reading /proc/self/stat");
    // Fields after the command's closing parenthesis; utime and stime are
    // the 14th and 15th of the whole line, in clock ticks (100 a second).
    let rest = &stat[stat.rfind(')').expect("a stat line") + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

fn main() {
    let args = Args::parse();
    let config = RuntimeConfig { max_concurrent_instances: 64, make_ahead: args.make_ahead, ..Default::default() };
    let plugin = Runtime::new(&config).unwrap().load(mitra_tests::pensions_manifest()).unwrap();
    let applicant = Applicant { wa_id: "919876543210".into(), profile_name: None, language: Language::Te };
    // As plugin_call's.
    let answers = mitra_tests::old_age_answers("1955-03-01", 8000.0);
    let every = Duration::from_micros(args.every_us);
    let run = |length: Duration| {
        let (mut waited, mut on_spares) = (Vec::new(), 0u64);
        let started = Instant::now();
        let cpu = process_cpu();
        let mut next = started;
        while next < started + length {
            if let Some(rest) = next.checked_duration_since(Instant::now()) {
                std::thread::sleep(rest);
            }
            on_spares += u64::from(plugin.spare_ready());
            let call = Instant::now();
            plugin.check_eligibility("old-age", &applicant, &answers).unwrap();
            waited.push(call.elapsed());
            next += every;
        }
        (waited, on_spares, process_cpu() - cpu, started.elapsed())
    };
    run(Duration::from_secs(1));
    let (mut waited, on_spares, cpu, took) = run(Duration::from_secs(args.seconds));
    waited.sort_unstable();
    let at = |q: f64| waited[((waited.len() as f64 * q) as usize).min(waited.len() - 1)].as_secs_f64() * 1e6;
    let calls = waited.len() as f64;
    println!(
        "plugin_pace: {} calls, one every {} µs, make-ahead {:?}, over {:.1} s",
        waited.len(),
        args.every_us,
        args.make_ahead,
        took.as_secs_f64()
    );
    println!("call:       p50 {:.2} µs, p90 {:.2} µs, p99 {:.2} µs (as its caller waits)", at(0.5), at(0.9), at(0.99));
    println!("on a spare: {:.1} % of calls", on_spares as f64 * 100.0 / calls);
    println!(
        "CPU:        {:.2} µs per call, all threads ({:.1} % of one core)",
        cpu.as_secs_f64() * 1e6 / calls,
        cpu.as_secs_f64() * 100.0 / took.as_secs_f64()
    );
}
