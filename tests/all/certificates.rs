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
use mitra::certificates::merkle::{self, Hash};
use mitra::certificates::payload::{self, Claims};
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
    let ring = Keyring::load(dir.path()).unwrap();
    let app = mitra::certificates::router(ring.public_keys());
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
