//! Certificates checked by a verifier nobody here wrote: Mitra signs a
//! certificate payload, appends it to a transparency log and signs a
//! checkpoint; `tests/verify/outside_verifier.py` (cbor2, base45,
//! cryptography, hashlib) verifies the signature against the published JWKS,
//! the checkpoint's signed note, and the RFC 6962 inclusion proof with its
//! own hashing. Then each tampering is refused by it as well.

use std::path::{Path, PathBuf};
use std::process::Command;

use mitra::certificates::checkpoint::Checkpoint;
use mitra::certificates::keys::{Keyring, jwks};
use mitra::certificates::log::{LOG_KEY, TransparencyLog};
use mitra::certificates::merkle::{self, Hash};
use mitra::certificates::payload::{self, Claims};
use mitra::store::Store;
use mitra_tests::components::REPO_ROOT;

const LOG: &str = "mitra.example/certificates";

/// The verifier's Python, with its packages (`cargo xtask test` installs them).
fn python() -> PathBuf {
    let python = Path::new(REPO_ROOT).join("target/verify-venv/bin/python3");
    assert!(
        python.exists(),
        "{} is missing: run `cargo xtask test`, or python3 -m venv target/verify-venv && target/verify-venv/bin/pip install -r tests/verify/requirements.txt",
        python.display()
    );
    python
}

fn outside_verifier(dir: &Path) -> (bool, String) {
    let out = Command::new(python())
        .arg(Path::new(REPO_ROOT).join("tests/verify/outside_verifier.py"))
        .arg(dir)
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn an_outside_verifier_accepts_a_logged_certificate_and_refuses_every_tampering() {
    let keys_dir = tempfile::tempdir().unwrap();
    Keyring::generate(keys_dir.path(), "municipal").unwrap();
    Keyring::generate(keys_dir.path(), "transparency-log").unwrap();
    let ring = Keyring::load(keys_dir.path()).unwrap();
    let log_key = ring.signer("transparency-log").unwrap();

    // Ten certificates in the log; ours is the eighth.
    let index = 7u64;
    let claims = Claims {
        serial: "MTR-261203-7K2M9QXA".into(),
        service: "municipal/birth-certificate".into(),
        name: "Lakshmi Devi".into(),
        name_te: Some("లక్ష్మీ దేవి".into()),
        ids: vec!["XXXXXXXX5677".into()],
        issued: "2026-12-03".into(),
        expires: None,
        log_index: index,
    };
    let signed = payload::sign(&claims, ring.signer("municipal").unwrap()).unwrap();
    let mut leaves: Vec<Hash> = (0..10u8).map(|i| merkle::leaf_hash(&[i])).collect();
    leaves[index as usize] = merkle::leaf_hash(&signed.cose);
    let checkpoint = Checkpoint { origin: LOG.into(), size: 10, root: merkle::root(&leaves) };
    let proof: Vec<String> =
        merkle::inclusion_proof(&leaves, index as usize).unwrap().iter().map(hex::encode).collect();

    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    let log = |proof: &[String]| {
        serde_json::json!({ "name": LOG, "kid": log_key.kid, "index": index, "size": 10, "proof": proof }).to_string()
    };
    write("payload.txt", &signed.text);
    write("jwks.json", &jwks(&ring.public_keys()).to_string());
    write("checkpoint.txt", &checkpoint.sign(LOG, log_key));
    write("log.json", &log(&proof));
    let (ok, said) = outside_verifier(dir.path());
    assert!(ok, "{said}");
    assert!(said.contains("లక్ష్మీ దేవి") && said.contains("MTR-261203-7K2M9QXA"), "{said}");

    // A payload signed by a key the JWKS does not hold.
    let stranger = tempfile::tempdir().unwrap();
    Keyring::generate(stranger.path(), "municipal").unwrap();
    let forged = payload::sign(&claims, Keyring::load(stranger.path()).unwrap().signer("municipal").unwrap()).unwrap();
    write("payload.txt", &forged.text);
    let (ok, said) = outside_verifier(dir.path());
    assert!(!ok && said.contains("unknown key"), "{said}");

    // A certificate signed properly but never logged.
    let mut unlogged = claims.clone();
    unlogged.serial = "MTR-261203-NOTLOGGD".into();
    write("payload.txt", &payload::sign(&unlogged, ring.signer("municipal").unwrap()).unwrap().text);
    let (ok, said) = outside_verifier(dir.path());
    assert!(!ok && said.contains("not in the log"), "{said}");

    // A checkpoint whose tree size was changed after signing.
    write("payload.txt", &signed.text);
    write("checkpoint.txt", &checkpoint.sign(LOG, log_key).replacen("\n10\n", "\n11\n", 1));
    let (ok, said) = outside_verifier(dir.path());
    assert!(!ok && said.contains("InvalidSignature"), "{said}");

    // A proof for another leaf.
    write("checkpoint.txt", &checkpoint.sign(LOG, log_key));
    let other: Vec<String> = merkle::inclusion_proof(&leaves, 3).unwrap().iter().map(hex::encode).collect();
    write("log.json", &log(&other));
    let (ok, said) = outside_verifier(dir.path());
    assert!(!ok && said.contains("not in the log"), "{said}");
}

#[tokio::test]
async fn the_host_publishes_every_issuing_key_active_and_retired() {
    use tower::ServiceExt as _;
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().to_str().unwrap();
    for department in ["municipal", "municipal", "revenue"] {
        let cli =
            <mitra::cli::Cli as clap::Parser>::parse_from(["mitra", "keys", "generate", department, "--dir", keys]);
        assert_eq!(mitra::cli::run(cli).unwrap(), 0);
    }
    let ring = std::sync::Arc::new(Keyring::load(dir.path()).unwrap());
    let store = mitra::store::Store::connect("sqlite::memory:").await.unwrap();
    let log = TransparencyLog::new(store, LOG, ring.clone());
    let fonts = mitra::certificates::pdf::Fonts::system();
    let app =
        mitra::certificates::router(mitra::certificates::issuer::Issuer::new(log, ring.clone(), fonts, "http://x"));
    let request = axum::http::Request::get("/.well-known/jwks.json").body(axum::body::Body::empty()).unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
    let jwks: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let published = jwks["keys"].as_array().unwrap();
    assert_eq!(published.len(), 3);
    let active = ring.signer("municipal").unwrap().kid.clone();
    let statuses: Vec<(&str, &str)> =
        published.iter().map(|k| (k["kid"].as_str().unwrap(), k["status"].as_str().unwrap())).collect();
    assert!(statuses.contains(&(active.as_str(), "active")), "{statuses:?}");
    assert_eq!(statuses.iter().filter(|(_, s)| *s == "retired").count(), 1);
}

fn claims(serial: &str) -> Claims {
    Claims {
        serial: serial.into(),
        service: "municipal/birth-certificate".into(),
        name: "Lakshmi Devi".into(),
        name_te: None,
        ids: vec![],
        issued: "2026-12-03".into(),
        expires: None,
        log_index: u64::MAX,
    }
}

/// Issues through the database-backed log, then checks what a verifier
/// would: the certificate's own index, the checkpoint, inclusion and the
/// consistency of an older checkpoint with the newer.
async fn a_database_log_proves_what_it_issued(store: Store) {
    let dir = tempfile::tempdir().unwrap();
    Keyring::generate(dir.path(), "municipal").unwrap();
    Keyring::generate(dir.path(), LOG_KEY).unwrap();
    let ring = std::sync::Arc::new(Keyring::load(dir.path()).unwrap());
    let log_key = ring.public_keys().into_iter().find(|k| k.department == LOG_KEY).unwrap();
    let log = TransparencyLog::new(store.clone(), LOG, ring.clone());
    let mut issued = Vec::new();
    for i in 0..3 {
        issued.push(log.issue("municipal", claims(&format!("MTR-A-{i}"))).await.unwrap());
    }
    let old = Checkpoint::open(&log.checkpoint().await.unwrap(), LOG, &log_key).unwrap();
    for i in 3..7 {
        issued.push(log.issue("municipal", claims(&format!("MTR-A-{i}"))).await.unwrap());
    }
    let new = Checkpoint::open(&log.checkpoint().await.unwrap(), LOG, &log_key).unwrap();
    assert_eq!((old.size, new.size), (3, 7));
    for (i, signed) in issued.iter().enumerate() {
        let verified = payload::verify(&signed.text, &ring.public_keys()).unwrap();
        assert_eq!(verified.claims.log_index, i as u64, "each certificate names its own leaf");
        let proof = log.inclusion(i as u64, new.size).await.unwrap().unwrap();
        assert!(merkle::verify_inclusion(i as u64, new.size, &merkle::leaf_hash(&verified.cose), &proof, &new.root));
    }
    let proof = log.consistency(old.size, new.size).await.unwrap().unwrap();
    assert!(merkle::verify_consistency(old.size, new.size, &old.root, &new.root, &proof));

    // The same over HTTP, as a verifier fetches it.
    let issuer = mitra::certificates::issuer::Issuer::new(
        log.clone(),
        ring.clone(),
        mitra::certificates::pdf::Fonts::system(),
        "http://x",
    );
    let app = mitra::certificates::router(issuer.clone());
    let get = |uri: &str| {
        let request = axum::http::Request::get(uri).body(axum::body::Body::empty()).unwrap();
        let app = app.clone();
        async move {
            use tower::ServiceExt as _;
            let response = app.oneshot(request).await.unwrap();
            let status = response.status();
            (status, axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap())
        }
    };
    let (status, note) = get("/log/checkpoint").await;
    assert_eq!(status, 200);
    assert_eq!(Checkpoint::open(std::str::from_utf8(&note).unwrap(), LOG, &log_key).unwrap(), new);
    let (status, body) = get("/log/consistency?from=3&to=7").await;
    assert_eq!(status, 200);
    let served: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let served: Vec<String> = serde_json::from_value(served["proof"].clone()).unwrap();
    assert_eq!(served, proof.iter().map(hex::encode).collect::<Vec<_>>());
    assert_eq!(get("/log/inclusion?index=2&size=7").await.0, 200);
    assert_eq!(get("/log/inclusion?index=0&size=99").await.0, 404);
    assert_eq!(get("/log/inclusion?index=x").await.0, 400);
    // A verifier is answered while a commit is in progress: what is
    // published reads beside SQLite's one writing connection.
    if let Store::Sqlite(pool) = &store {
        let commit = pool.begin().await.unwrap();
        let wait = std::time::Duration::from_secs(5);
        let (status, note) = tokio::time::timeout(wait, get("/log/checkpoint"))
            .await
            .expect("a checkpoint waited for the commit in progress");
        assert_eq!(status, 200);
        assert_eq!(Checkpoint::open(std::str::from_utf8(&note).unwrap(), LOG, &log_key).unwrap(), new);
        let request = axum::http::Request::post("/api/verify")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(serde_json::json!({ "payload": issued[2].text }).to_string()))
            .unwrap();
        let response = {
            use tower::ServiceExt as _;
            tokio::time::timeout(wait, app.clone().oneshot(request))
                .await
                .expect("a verification waited for the commit in progress")
        }
        .unwrap();
        assert_eq!(response.status(), 200);
        let report: serde_json::Value =
            serde_json::from_slice(&axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap()).unwrap();
        assert_eq!(report["verdict"], "valid", "{report}");
        commit.rollback().await.unwrap();
    }
    assert!(log.inclusion(0, 8).await.unwrap().is_none(), "no tree of 8 yet");
    // A serial is logged once.
    assert!(log.issue("municipal", claims("MTR-A-0")).await.is_err());
    assert_eq!(store.log_size().await.unwrap(), 7);
    assert!(log.issue("energy", claims("MTR-A-9")).await.is_err(), "no key, nothing logged");
    assert_eq!(store.log_size().await.unwrap(), 7);

    // Every certificate checks out against the host's log...
    use mitra::certificates::verify::Verdict;
    for signed in &issued {
        assert_eq!(mitra::certificates::check(&issuer, &signed.text).await.unwrap().verdict, Verdict::Valid);
    }
    // ...and a signed certificate the log never held does not.
    let mut unlogged = claims("MTR-A-X");
    unlogged.log_index = 3;
    let forged = payload::sign(&unlogged, ring.signer("municipal").unwrap()).unwrap();
    assert_eq!(mitra::certificates::check(&issuer, &forged.text).await.unwrap().verdict, Verdict::NotInLog);

    // Someone with the database rewrites a leaf (a certificate replaced)
    // and drops the last one (one removed): the old checkpoint no longer
    // agrees with the log, the rewritten certificate is no longer in it.
    let rewrite = "UPDATE certificate_log SET leaf = ? WHERE idx = 1";
    let drop_last = "DELETE FROM certificate_log WHERE idx = 6";
    match &store {
        Store::Sqlite(pool) => {
            sqlx::query(rewrite).bind(merkle::leaf_hash(b"another").to_vec()).execute(pool).await.unwrap();
            sqlx::query(drop_last).execute(pool).await.unwrap();
        }
        Store::Postgres(pool) => {
            let rewrite = rewrite.replace('?', "$1");
            sqlx::query(&rewrite).bind(merkle::leaf_hash(b"another").to_vec()).execute(pool).await.unwrap();
            sqlx::query(drop_last).execute(pool).await.unwrap();
        }
    }
    let tampered = Checkpoint::open(&log.checkpoint().await.unwrap(), LOG, &log_key).unwrap();
    assert_eq!(tampered.size, 6);
    let proof = log.consistency(old.size, tampered.size).await.unwrap().unwrap();
    assert!(
        !merkle::verify_consistency(old.size, tampered.size, &old.root, &tampered.root, &proof),
        "a rewritten history is not consistent with the checkpoint signed before it"
    );
    assert!(log.consistency(tampered.size, new.size).await.unwrap().is_none(), "a truncated log cannot reach 7");
    assert_eq!(mitra::certificates::check(&issuer, &issued[1].text).await.unwrap().verdict, Verdict::NotInLog);
    assert_eq!(mitra::certificates::check(&issuer, &issued[6].text).await.unwrap().verdict, Verdict::NotInLog);
}

#[tokio::test]
async fn sqlite_a_database_log_proves_what_it_issued() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("mitra.db").display())).await.unwrap();
    a_database_log_proves_what_it_issued(store).await;
}

#[tokio::test]
async fn postgres_a_database_log_proves_what_it_issued() {
    let store = Store::connect(&crate::store::fresh_postgres().await).await.unwrap();
    a_database_log_proves_what_it_issued(store).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hosts_on_one_postgresql_append_to_one_log_without_forks_or_gaps() {
    let url = crate::store::fresh_postgres().await;
    let dir = tempfile::tempdir().unwrap();
    Keyring::generate(dir.path(), "municipal").unwrap();
    let ring = std::sync::Arc::new(Keyring::load(dir.path()).unwrap());
    let mut hosts = Vec::new();
    for host in 0..2 {
        let log = TransparencyLog::new(Store::connect(&url).await.unwrap(), LOG, ring.clone());
        hosts.push(tokio::spawn(async move {
            let mut indexes = Vec::new();
            for i in 0..25 {
                indexes.push(log.issue("municipal", claims(&format!("MTR-H{host}-{i}"))).await.unwrap());
            }
            indexes
        }));
    }
    let mut all = Vec::new();
    for host in hosts {
        for signed in host.await.unwrap() {
            all.push(payload::verify(&signed.text, &ring.public_keys()).unwrap().claims.log_index);
        }
    }
    all.sort();
    assert_eq!(all, (0..50).collect::<Vec<u64>>(), "every index once, none skipped");
    let store = Store::connect(&url).await.unwrap();
    assert_eq!(store.log_size().await.unwrap(), 50);
}
