//! `dashboard`: how long each of the console's dashboard queries and an
//! officer's work queue take over a state's worth of applications.
//!
//! Seeds `--rows` synthetic applications (default 1,000,000: nine
//! departments, 70 services, 26 districts, a year of submissions, a fifth
//! still open, decided ones with a long-tailed turnaround) and 200,000
//! grievances (a fifth of the rows: ten categories, 90 days, three in ten
//! open) into SQLite (a
//! file, WAL, as `serve` runs) and, with `--postgres URL`, into a fresh
//! PostgreSQL database; then times each query the dashboard makes, for all
//! departments and for one officer's, and the queue, `--runs` times each,
//! and prints the median and the worst.
//!
//! Run: `cargo bench -p mitra-tests --bench dashboard [-- --rows N] [--runs N] [--postgres postgres://postgres@127.0.0.1:5432/test]`

use std::time::{Duration, Instant};

use mitra::store::{ApplicationFilter, GRIEVANCE_OPEN, GrievanceFilter, Store};

const DEPARTMENTS: [&str; 9] = [
    "revenue",
    "municipal",
    "endowments",
    "energy",
    "apsrtc",
    "anna-canteens",
    "cm-relief-fund",
    "civil-supplies",
    "pensions",
];
const DISTRICTS: [&str; 26] = [
    "Srikakulam",
    "Vizianagaram",
    "Parvathipuram Manyam",
    "Alluri Sitharama Raju",
    "Visakhapatnam",
    "Anakapalli",
    "Kakinada",
    "East Godavari",
    "Konaseema",
    "Eluru",
    "West Godavari",
    "NTR",
    "Krishna",
    "Palnadu",
    "Guntur",
    "Bapatla",
    "Prakasam",
    "Nellore",
    "Kurnool",
    "Nandyal",
    "Anantapur",
    "Sri Sathya Sai",
    "YSR Kadapa",
    "Annamayya",
    "Tirupati",
    "Chittoor",
];
const DAY_MS: i64 = 86_400_000;

/// A small, fast, reproducible generator (xorshift*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

async fn seed(store: &Store, rows: usize) {
    let now = mitra::store::now_ms();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let started = Instant::now();
    const CHUNK: usize = 2000;
    let mut done = 0;
    while done < rows {
        let n = CHUNK.min(rows - done);
        let mut values = Vec::with_capacity(n);
        for i in 0..n {
            let department = DEPARTMENTS[rng.below(9) as usize];
            let service = format!("service-{}", rng.below(8));
            let district = DISTRICTS[rng.below(26) as usize];
            let submitted = now - (rng.below(365 * DAY_MS as u64) as i64);
            let roll = rng.below(100);
            // Turnaround: hours to weeks, long-tailed.
            let took = (1 + rng.below(48)) as i64 * 3_600_000 * (1 + (rng.below(100) / 70) as i64 * 6);
            let (status, decided) = match roll {
                0..=11 => ("submitted", None),
                12..=16 => ("under_review", None),
                17..=19 => ("needs_information", None),
                20..=29 => ("approved", Some(submitted + took)),
                30..=39 => ("rejected", Some(submitted + took)),
                40..=84 => ("delivered", Some(submitted + took)),
                _ => ("issued", Some(submitted)),
            };
            let decided = decided.map(|d| d.min(now));
            values.push((
                format!("MTR-BENCH-{:08}", done + i),
                department,
                service,
                district,
                submitted,
                status,
                decided,
            ));
        }
        macro_rules! insert {
            ($pool:expr, $db:ty) => {{
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO applications (number, wa_id, phone_number_id, plugin_id, plugin_sha256, service_id, \
                     language, answers, status, document, submitted_at_ms, updated_at_ms, district, decided_at_ms) ",
                );
                q.push_values(&values, |mut row, (number, department, service, district, submitted, status, decided)| {
                    row.push_bind(number.clone())
                        .push_bind("919800000000")
                        .push_bind("PNID-1")
                        .push_bind(*department)
                        .push_bind("sha")
                        .push_bind(service.clone())
                        .push_bind("te")
                        .push_bind("[]")
                        .push_bind(*status)
                        .push_bind(None::<String>)
                        .push_bind(*submitted)
                        .push_bind(decided.unwrap_or(*submitted))
                        .push_bind(*district)
                        .push_bind(*decided);
                });
                q.build().execute($pool).await.unwrap();
            }};
        }
        match store {
            Store::Sqlite(pool) => insert!(pool, sqlx::Sqlite),
            Store::Postgres(pool) => insert!(pool, sqlx::Postgres),
        }
        done += n;
    }
    seed_grievances(store, rows / 5, now, &mut rng).await;
    if let Store::Postgres(pool) = store {
        // As autovacuum leaves a table that has settled: statistics, and the
        // visibility map that lets index-only scans skip the heap.
        sqlx::query("VACUUM ANALYZE applications").execute(pool).await.unwrap();
    }
    if let Store::Sqlite(pool) = store {
        sqlx::query("ANALYZE").execute(pool).await.unwrap();
    }
    println!("  seeded {rows} applications in {:.1} s", started.elapsed().as_secs_f64());
}

/// `count` grievances over the last 90 days: three in ten still open, some
/// escalated.
async fn seed_grievances(store: &Store, count: usize, now: i64, rng: &mut Rng) {
    const CHUNK: usize = 2000;
    let mut done = 0;
    while done < count {
        let n = CHUNK.min(count - done);
        let rows: Vec<(String, &str, &str, i64, &str, i64)> = (0..n)
            .map(|i| {
                let category = mitra::grievances::CATEGORIES[rng.below(10) as usize];
                let created = now - rng.below(90 * DAY_MS as u64) as i64;
                let status = match rng.below(10) {
                    0..=1 => "open",
                    2 => "in_progress",
                    3..=4 => "resolved",
                    _ => "closed",
                };
                let level = 1 + (rng.below(10) / 8) as i64;
                (format!("GRV-BENCH-{:08}", done + i), category.id, category.department, created, status, level)
            })
            .collect();
        macro_rules! insert {
            ($pool:expr, $db:ty) => {{
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO grievances (ticket, wa_id, phone_number_id, language, category, department, \
                     description, status, level, due_at_ms, created_at_ms, updated_at_ms) ",
                );
                q.push_values(&rows, |mut row, (ticket, category, department, created, status, level)| {
                    row.push_bind(ticket.clone())
                        .push_bind("919800000000")
                        .push_bind("PNID-1")
                        .push_bind("te")
                        .push_bind(*category)
                        .push_bind(*department)
                        .push_bind("no water for three days")
                        .push_bind(*status)
                        .push_bind(*level)
                        .push_bind(created + 72 * 3_600_000)
                        .push_bind(*created)
                        .push_bind(*created);
                });
                q.build().execute($pool).await.unwrap();
            }};
        }
        match store {
            Store::Sqlite(pool) => insert!(pool, sqlx::Sqlite),
            Store::Postgres(pool) => insert!(pool, sqlx::Postgres),
        }
        done += n;
    }
    println!("  seeded {count} grievances");
}

async fn time<F, Fut, T>(runs: usize, what: &str, f: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let mut took: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f().await.unwrap();
        took.push(started.elapsed());
    }
    took.sort();
    println!(
        "  {what:<44} median {:>8.1} ms   worst {:>8.1} ms",
        took[runs / 2].as_secs_f64() * 1e3,
        took[runs - 1].as_secs_f64() * 1e3
    );
}

async fn measure(store: &Store, runs: usize) {
    let now = mitra::store::now_ms();
    let due: Vec<(String, String, i64)> = DEPARTMENTS
        .iter()
        .flat_map(|d| (0..8).map(move |s| (d.to_string(), format!("service-{s}"), now - 21 * DAY_MS)))
        .collect();
    let all = ApplicationFilter { limit: 100, ..ApplicationFilter::default() };
    // An officer of a department that owns grievances as well as files.
    let officer = ApplicationFilter { departments: Some(vec!["municipal".into()]), ..all.clone() };
    let month = ApplicationFilter { from_ms: Some(now - 30 * DAY_MS), ..all.clone() };
    for (scope, filter) in [("all departments", &all), ("one department", &officer)] {
        println!(" {scope}:");
        time(runs, "applications by status", || store.status_counts(filter)).await;
        let dated = ApplicationFilter { from_ms: month.from_ms, ..filter.clone() };
        time(runs, "turnaround per service, decided in 30 days", || store.turnarounds(&dated)).await;
        time(runs, "open and past SLA per service", || store.open_counts(filter, &due)).await;
        time(runs, "submitted and decided per day (30 days)", || store.day_counts(&dated)).await;
        let queue = ApplicationFilter {
            statuses: ["submitted", "under_review", "needs_information"].map(String::from).to_vec(),
            oldest_first: true,
            ..filter.clone()
        };
        time(runs, "work queue (100 oldest open)", || store.applications(&queue)).await;
        let district = ApplicationFilter { district: Some("Guntur".into()), ..filter.clone() };
        time(runs, "applications by status, one district", || store.status_counts(&district)).await;
        let departments = filter.departments.as_deref();
        time(runs, "grievance backlog by age, escalated", || store.grievance_ageing(departments, now)).await;
        let grievances = GrievanceFilter {
            departments: filter.departments.clone(),
            statuses: GRIEVANCE_OPEN.map(String::from).to_vec(),
            level: None,
            limit: 100,
        };
        time(runs, "grievances due soonest (100)", || store.grievances(&grievances)).await;
    }
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main]
async fn main() {
    let rows: usize = arg("--rows").map_or(1_000_000, |r| r.parse().expect("--rows N"));
    let runs: usize = arg("--runs").map_or(5, |r| r.parse().expect("--runs N"));
    let tmp = tempfile::tempdir().unwrap();
    println!("dashboard: {rows} applications, {runs} runs each");
    println!("SQLite (file, WAL):");
    let store = Store::connect(&format!("sqlite://{}", tmp.path().join("bench.db").display())).await.unwrap();
    seed(&store, rows).await;
    measure(&store, runs).await;
    if let Some(base) = arg("--postgres") {
        let name = format!("mitra_dashboard_bench_{}", std::process::id());
        // A plain connection: the database named in the URL (the tests'
        // own) is left as it is, not migrated.
        let admin = sqlx::PgPool::connect(&base).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
        let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
        println!("PostgreSQL:");
        let store = Store::connect(&url).await.unwrap();
        seed(&store, rows).await;
        measure(&store, runs).await;
        drop(store);
        let _ = sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&admin).await;
    }
}
