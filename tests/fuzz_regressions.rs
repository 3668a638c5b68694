//! Replays every input under fixtures/fuzz/<target>/ through the cargo-fuzz target of that
//! name's own body (`harness::<target>` in fuzz/harness.rs, which the target calls). A crash found by fuzzing
//! is saved there (`cp fuzz/artifacts/<target>/crash-… fixtures/fuzz/<target>/`) before it is
//! fixed, so it stays fixed. The files committed now are hand-made edge cases for each target.

use std::path::PathBuf;

#[path = "../fuzz/harness.rs"]
mod harness;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/fuzz")
        .join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (p.display().to_string(), std::fs::read(&p).unwrap())
        })
        .filter(|(name, _)| !name.ends_with(".md.txt"))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no inputs in {}", dir.display());
    out
}

fn text_of(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

#[test]
fn report() {
    for (name, data) in inputs("report") {
        eprintln!("{name}");
        harness::report(&data);
    }
}

#[test]
fn claims() {
    for (name, data) in inputs("claims") {
        eprintln!("{name}");
        if let Some(t) = text_of(&data) {
            harness::claims(t);
        }
    }
}

#[test]
fn policy_load() {
    for (name, data) in inputs("policy_load") {
        eprintln!("{name}");
        if let Some(t) = text_of(&data) {
            assert!(
                !harness::policy_load(t),
                "{name}: these inputs are all invalid policies"
            );
        }
    }
}

#[test]
fn policy_expr() {
    for (name, data) in inputs("policy_expr") {
        eprintln!("{name}");
        if let Some(t) = text_of(&data) {
            harness::policy_expr(t);
        }
    }
}

#[test]
fn attestation() {
    for (name, data) in inputs("attestation") {
        eprintln!("{name}");
        if let Some(t) = text_of(&data) {
            harness::attestation(t);
        }
    }
}

#[test]
fn keyring() {
    for (name, data) in inputs("keyring") {
        eprintln!("{name}");
        if let Some(t) = text_of(&data) {
            assert!(
                !harness::keyring(t),
                "{name}: these inputs are all invalid keyrings"
            );
        }
    }
}

#[test]
fn ledger() {
    for (name, data) in inputs("ledger") {
        eprintln!("{name}");
        let got = harness::ledger(&data);
        assert!(!got.checkpoint_parsed, "{name}");
        assert!(!got.checkpoint_verified, "{name}");
        assert_ne!(got.proof_verified, Some(true), "{name}");
    }
}
