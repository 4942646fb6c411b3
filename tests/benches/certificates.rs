//! `certificates`: how many certificates a host issues and a verifier checks
//! per second.
//!
//! Issued: the whole of what the sender does before uploading: the claims
//! signed (Ed25519, COSE_Sign1, zlib, base45), appended to the transparency
//! log in a committed SQLite transaction (on a file, WAL, as `serve` runs),
//! the QR code and the one-page A4 PDF with embedded Noto fonts (Latin and
//! Telugu shaped) laid out: `Issuer::certify`. One task at a time, then
//! several at once (the PDF is CPU work that runs beside the next append).
//!
//! Verified: what `/verify` and `mitra verify` do per certificate: base45,
//! zlib, COSE, the Ed25519 signature against the key set, and the RFC 6962
//! inclusion proof against a checkpointed root: `verify::check`, on one
//! core and on two.
//!
//! Run: `cargo bench -p mitra-tests --bench certificates [-- --count N] [--pdf FILE]`
//! (`--pdf` writes one of the certificates, to look at what is measured).

use std::sync::Arc;
use std::time::{Duration, Instant};

use mitra::certificates::issuer::{IssuedDocument, Issuer};
use mitra::certificates::keys::Keyring;
use mitra::certificates::log::{LOG_KEY, TransparencyLog};
use mitra::certificates::merkle::{self, Hash};
use mitra::certificates::pdf::Fonts;
use mitra::certificates::verify::{self, Evidence, Inclusion, Verdict};
use mitra::runtime::{Document, Holder, Identifier, Layout, Section, Text, TitledField};
use mitra::store::{ApplicationRecord, Store};

// The allocator the `mitra` binary runs with (host/src/main.rs): a PDF's
// dozen deflate streams each allocate and zero ~300 KB of state, which
// glibc's malloc maps and unmaps every time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn text(en: &str, te: &str) -> Text {
    Text { en: en.into(), te: Some(te.into()), hi: None }
}

/// A birth certificate as the municipal department renders one (contract
/// 0.2.0: the holder in both scripts, three titled sections, the body).
fn document() -> IssuedDocument {
    let field = |en: &str, te: &str, value: &str, value_te: Option<&str>| TitledField {
        label: text(en, te),
        value: Text { en: value.into(), te: value_te.map(Into::into), hi: None },
    };
    let section = |en: &str, te: &str, fields: Vec<TitledField>| Section { heading: Some(text(en, te)), fields };
    IssuedDocument {
        document: Document {
            title: text("Birth Certificate", "జనన ధృవీకరణ పత్రం"),
            holder: Some(Holder {
                name: text("Venkata Sai Kiran", "వెంకట సాయి కిరణ్"),
                identifiers: vec![Identifier {
                    label: text("Registration No.", "నమోదు సంఖ్య"),
                    value: "B-2023-VJA-04821".into(),
                }],
                photo: None,
            }),
            sections: vec![
                section(
                    "Birth",
                    "జననం",
                    vec![
                        field("Sex", "లింగం", "Male", Some("పురుషుడు")),
                        field("Date of birth", "పుట్టిన తేదీ", "14-03-2023", None),
                        field(
                            "Place of birth",
                            "పుట్టిన స్థలం",
                            "Government General Hospital, Vijayawada",
                            Some("ప్రభుత్వ సాధారణ ఆసుపత్రి, విజయవాడ"),
                        ),
                    ],
                ),
                section(
                    "Parents",
                    "తల్లిదండ్రులు",
                    vec![
                        field("Name of mother", "తల్లి పేరు", "Lakshmi Devi", Some("లక్ష్మీ దేవి")),
                        field("Name of father", "తండ్రి పేరు", "Srinivasa Rao", Some("శ్రీనివాస రావు")),
                        field("Permanent address", "శాశ్వత చిరునామా", "12-3-45, Gandhi Nagar, Vijayawada 520003", None),
                    ],
                ),
                section(
                    "Registration",
                    "నమోదు",
                    vec![
                        field("Date of registration", "నమోదు తేదీ", "20-03-2023", None),
                        field(
                            "Issuing authority",
                            "జారీ చేసిన అధికారి",
                            "Registrar of Births and Deaths, VMC",
                            Some("జనన మరణాల రిజిస్ట్రార్"),
                        ),
                    ],
                ),
            ],
            body: Some(text(
                "Issued under Section 12/17 of the Registration of Births and Deaths Act, 1969.",
                "జనన మరణాల నమోదు చట్టం, 1969 సెక్షన్ 12/17 కింద జారీ.",
            )),
            layout: Layout::Certificate,
            valid_days: None,
        },
        department: text("Municipal Administration", "పురపాలక పరిపాలన"),
        profile_name: Some("Lakshmi".into()),
    }
}

fn application(serial: &str) -> ApplicationRecord {
    ApplicationRecord {
        number: serial.into(),
        wa_id: "919800000000".into(),
        phone_number_id: "PNID".into(),
        plugin_id: "municipal".into(),
        plugin_sha256: String::new(),
        service_id: "birth-certificate".into(),
        language: "en".into(),
        answers: "[]".into(),
        status: "issued".into(),
        document: None,
        submitted_at_ms: mitra::store::now_ms(),
        district: None,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let count: usize = args
        .iter()
        .position(|a| a == "--count")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (issuer, texts, leaves, keys) = runtime.block_on(async {
        let store = Store::connect(&format!("sqlite://{}", tmp.path().join("bench.db").display())).await.unwrap();
        let keys = Arc::new(Keyring::ephemeral(["municipal", LOG_KEY]).unwrap());
        let log = TransparencyLog::new(store.clone(), "bench.mitra/certificates", keys.clone());
        let issuer = Issuer::new(log, keys.clone(), Fonts::system(), "https://mitra.example");
        let document = document();

        // Warm up (fonts parsed, statements prepared).
        for i in 0..20 {
            let prepared = issuer.certify(&application(&format!("MTR-WARM-{i}")), &document).await.unwrap();
            if let Some(path) = args.iter().position(|a| a == "--pdf").and_then(|i| args.get(i + 1)) {
                std::fs::write(path, &prepared.pdf).unwrap();
            }
        }

        // One at a time: each certificate's own latency.
        let mut latencies = Vec::with_capacity(count);
        let mut bytes = 0usize;
        let started = Instant::now();
        for i in 0..count {
            let at = Instant::now();
            let prepared = issuer.certify(&application(&format!("MTR-ONE-{i}")), &document).await.unwrap();
            latencies.push(at.elapsed());
            bytes += prepared.pdf.len();
        }
        let elapsed = started.elapsed();
        latencies.sort();
        println!(
            "issued, one at a time: {count} in {:.2} s = {:.0}/s; p50 {:.2} ms, p99 {:.2} ms; PDF {:.0} KB on average",
            elapsed.as_secs_f64(),
            count as f64 / elapsed.as_secs_f64(),
            percentile(&latencies, 0.5).as_secs_f64() * 1e3,
            percentile(&latencies, 0.99).as_secs_f64() * 1e3,
            bytes as f64 / count as f64 / 1024.0
        );

        // Several at once, as the sender works (64 sends in flight).
        for concurrency in [2usize, 4] {
            let started = Instant::now();
            let mut tasks = tokio::task::JoinSet::new();
            for worker in 0..concurrency {
                let (issuer, document) = (issuer.clone(), document.clone());
                tasks.spawn(async move {
                    for i in (worker..count).step_by(concurrency) {
                        issuer.certify(&application(&format!("MTR-C{concurrency}-{i}")), &document).await.unwrap();
                    }
                });
            }
            while tasks.join_next().await.is_some() {}
            let elapsed = started.elapsed();
            println!(
                "issued, {concurrency} at once: {count} in {:.2} s = {:.0}/s",
                elapsed.as_secs_f64(),
                count as f64 / elapsed.as_secs_f64()
            );
        }

        // The parts: a logged certificate prepared again (its PDF)...
        let started = Instant::now();
        for i in 0..count {
            issuer.certify(&application(&format!("MTR-ONE-{i}")), &document).await.unwrap();
        }
        println!(
            "  of which the PDF (a logged certificate laid out again): {:.3} ms each",
            started.elapsed().as_secs_f64() * 1e3 / count as f64
        );
        // ...and signing with the committed append alone.
        let started = Instant::now();
        for i in 0..count {
            let claims = mitra::certificates::issuer::claims(&application(&format!("MTR-LOG-{i}")), &document);
            issuer.log().issue("municipal", claims).await.unwrap();
        }
        let elapsed = started.elapsed();
        println!("  of which sign + log append (committed): {:.3} ms each", elapsed.as_secs_f64() * 1e3 / count as f64);

        // What the verifier is handed: each certificate's text, and the log.
        let leaves = store.log_leaves(u64::MAX >> 1).await.unwrap();
        let mut texts = Vec::new();
        for i in 0..count.min(1000) {
            let entry = store.log_entry(&format!("MTR-ONE-{i}")).await.unwrap().unwrap();
            texts.push((mitra::certificates::payload::encode(&entry.entry).unwrap(), entry.index));
        }
        (issuer, texts, leaves, keys.public_keys())
    });
    drop(issuer);

    // The PDF alone.
    let fonts = Fonts::system().unwrap();
    let payload = &texts[0].0;
    let page = mitra::certificates::pdf::Page {
        state: ("Government of Andhra Pradesh", "ఆంధ్రప్రదేశ్ ప్రభుత్వం"),
        department: ("Municipal Administration", Some("పురపాలక పరిపాలన")),
        title: ("Birth Certificate", Some("జనన ధృవీకరణ పత్రం")),
        kind: ("Certificate", "ధృవీకరణ పత్రం"),
        holder: None,
        items: vec![mitra::certificates::pdf::Item::Field(
            ("Name", Some("పేరు")),
            "Venkata Sai Kiran / వెంకట సాయి కిరణ్".into(),
        )],
        body: None,
        serial: "MTR-X",
        issued: "03-12-2026",
        valid_until: None,
        qr: payload,
        verify_url: "https://mitra.example/verify",
        signature_note: "Digitally signed.",
    };
    let started = Instant::now();
    let renders = 200;
    for _ in 0..renders {
        std::hint::black_box(mitra::certificates::pdf::render(&fonts, &page).unwrap());
    }
    println!("  a one-field page with the QR: {:.2} ms each", started.elapsed().as_secs_f64() * 1e3 / renders as f64);

    // Verification, against a checkpoint of the whole log.
    let size = leaves.len() as u64;
    let root: Hash = merkle::root(&leaves);
    let cases: Vec<(String, Evidence)> = texts
        .iter()
        .map(|(text, index)| {
            let proof = merkle::inclusion_proof(&leaves, *index as usize).unwrap();
            let evidence = Evidence {
                keys: keys.clone(),
                revoked: Default::default(),
                inclusion: Some(Inclusion { size, root, proof }),
                today: verify::today(),
            };
            (text.clone(), evidence)
        })
        .collect();
    for (text, evidence) in &cases {
        assert_eq!(verify::check(text, evidence).verdict, Verdict::Valid);
    }
    let rounds = 20;
    for threads in [1usize, 2] {
        let started = Instant::now();
        std::thread::scope(|scope| {
            for t in 0..threads {
                let cases = &cases;
                scope.spawn(move || {
                    for _ in 0..rounds {
                        for (text, evidence) in cases.iter().skip(t).step_by(threads) {
                            std::hint::black_box(verify::check(text, evidence));
                        }
                    }
                });
            }
        });
        let checked = cases.len() * rounds;
        let elapsed = started.elapsed();
        println!(
            "verified on {threads} core(s): {checked} in {:.2} s = {:.0}/s (log of {size} leaves, proofs of {} hashes)",
            elapsed.as_secs_f64(),
            checked as f64 / elapsed.as_secs_f64(),
            cases[0].1.inclusion.as_ref().unwrap().proof.len()
        );
    }
}
