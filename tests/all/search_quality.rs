//! The search-quality set (`tests/search/quality.tsv`): citizen phrasings in
//! English, Telugu, romanised Telugu, Hindi and romanised Hindi, each with
//! the service it should find, searched over the real catalogue (every
//! department plugin as built). Prints the hit rates at 1 and at 3 per
//! group (the figures in BENCHMARKS.md) and holds each group at ≥ 90 % at 3.
//!
//! `cargo test --release -p mitra-tests --test all search_quality -- --nocapture`

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mitra::runtime::{DepartmentInfo, Manifest, Runtime, RuntimeConfig};
use mitra::search::SearchIndex;
use mitra_tests::components::{self, REPO_ROOT};

use crate::support::pensions_manifest;

/// Every department Mitra ships: the Rust plugins, the pensions example and
/// the Python agriculture plugin.
fn real_catalogue() -> Vec<DepartmentInfo> {
    let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("search-quality-cwasm");
    let runtime = Runtime::new(&RuntimeConfig {
        pooling: false,
        max_concurrent_instances: 4,
        cache_dir: Some(cache),
        ..RuntimeConfig::default()
    })
    .unwrap();
    let mut manifests: Vec<Manifest> =
        components::DEPARTMENTS.iter().map(|(id, _, _)| mitra_tests::department(id)).collect();
    manifests.push(pensions_manifest());
    manifests.push(Manifest::load(&Path::new(REPO_ROOT).join("plugins/python/agriculture")).unwrap());
    manifests.into_iter().map(|m| runtime.load(m).unwrap().info().clone()).collect()
}

struct Case {
    group: String,
    query: String,
    expected: String,
}

/// Every phrasing of `tests/search/*.tsv`: `quality.tsv` for the hand-written
/// departments, one file per department written as definitions.
fn cases() -> Vec<Case> {
    let dir = Path::new(REPO_ROOT).join("tests/search");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        cases.extend(
            text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with("group\t")).map(
                |line| {
                    let [group, query, expected] = line.split('\t').collect::<Vec<_>>()[..] else {
                        panic!("{}: not three tab-separated fields: {line:?}", path.display())
                    };
                    Case { group: group.into(), query: query.into(), expected: expected.into() }
                },
            ),
        );
    }
    cases
}

#[derive(Default)]
struct Tally {
    cases: usize,
    at_1: usize,
    at_3: usize,
    misses: Vec<String>,
}

#[test]
fn every_group_of_citizen_phrasings_finds_its_service_in_the_top_three() {
    let catalogue = real_catalogue();
    let known: Vec<String> =
        catalogue.iter().flat_map(|d| d.services.iter().map(move |s| format!("{}/{}", d.id, s.id))).collect();
    let index = SearchIndex::build(&catalogue);
    let cases = cases();
    assert!(cases.len() >= 200, "the set holds {} phrasings", cases.len());
    let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
    for case in &cases {
        assert!(known.contains(&case.expected), "{}: no service {}", case.query, case.expected);
        let hits: Vec<String> =
            index.search(&case.query, 3).iter().map(|h| format!("{}/{}", h.plugin, h.service)).collect();
        let tally = groups.entry(case.group.clone()).or_default();
        tally.cases += 1;
        match hits.iter().position(|h| *h == case.expected) {
            Some(0) => {
                tally.at_1 += 1;
                tally.at_3 += 1;
            }
            Some(_) => tally.at_3 += 1,
            None => tally.misses.push(format!("{:?} → {:?} (wanted {})", case.query, hits, case.expected)),
        }
    }
    println!("search quality over {} services, {} phrasings", known.len(), cases.len());
    println!("| group | phrasings | hit@1 | hit@3 |\n|---|---:|---:|---:|");
    for (group, t) in &groups {
        let pct = |n: usize| 100.0 * n as f64 / t.cases as f64;
        println!("| {group} | {} | {:.1} % | {:.1} % |", t.cases, pct(t.at_1), pct(t.at_3));
    }
    for (group, t) in &groups {
        for miss in &t.misses {
            println!("miss [{group}] {miss}");
        }
    }
    for (group, t) in &groups {
        assert!(t.at_3 * 10 >= t.cases * 9, "{group}: {} of {} in the top three", t.at_3, t.cases);
    }
}
