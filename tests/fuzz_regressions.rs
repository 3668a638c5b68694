//! Replays every input under fixtures/fuzz/<target>/ through the same library calls as the
//! cargo-fuzz target of that name (fuzz/fuzz_targets/<target>.rs). A crash found by fuzzing
//! is saved there (`cp fuzz/artifacts/<target>/crash-… fixtures/fuzz/<target>/`) before it is
//! fixed, so it stays fixed. The files committed now are hand-made edge cases for each target.

use ed25519_dalek::SigningKey;
use std::path::PathBuf;
use verdict::limits::Limits;

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
        let limits = Limits::default();
        if let Ok(text) = verdict::text::decode(&data, &limits) {
            let _ = verdict::report::parse(&text, &limits);
            let _ = verdict::report::parse_bounded(&text, &limits, 16);
        }
    }
}

#[test]
fn claims() {
    for (name, data) in inputs("claims") {
        eprintln!("{name}");
        if let Some(t) = text_of(&data) {
            let _ = verdict::report::claims::scan(t);
            let _ = verdict::report::claims::scan_bounded(t, 4);
            let _ = verdict::report::claims::parse_quantity(t);
        }
    }
}

#[test]
fn policy_load() {
    for (name, data) in inputs("policy_load") {
        eprintln!("{name}");
        if let Some(t) = text_of(&data) {
            assert!(
                verdict::policy::load::load_str("fuzz.yaml", t, &Limits::default()).is_err(),
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
            if let Ok(e) = verdict::policy::Expr::parse(t) {
                for (f, n) in [(0, 0), (2, 7), (u64::MAX, u64::MAX), (u64::MAX / 3, 1)] {
                    let _ = e.eval(f, n);
                }
            }
        }
    }
}

#[test]
fn attestation() {
    use verdict::report::attestation::{classify, is_attestation_line};
    for (name, data) in inputs("attestation") {
        eprintln!("{name}");
        if let Some(t) = text_of(&data) {
            for line in t.lines() {
                assert_eq!(
                    classify(line).is_some(),
                    is_attestation_line(line),
                    "{line:?}"
                );
            }
        }
    }
}

#[test]
fn keyring() {
    for (name, data) in inputs("keyring") {
        eprintln!("{name}");
        if let Some(t) = text_of(&data) {
            assert!(
                verdict::attest::Keyring::parse(t, "fuzz.yaml").is_err(),
                "{name}: these inputs are all invalid keyrings"
            );
        }
    }
}

#[test]
fn ledger() {
    use verdict::ledger::{checkpoint, proof::InclusionProof, record::Record, tree};
    let key = SigningKey::from_bytes(&[7; 32]).verifying_key();
    for (name, data) in inputs("ledger") {
        eprintln!("{name}");
        let origin = checkpoint::origin_of(&data);
        let o = origin.as_deref().unwrap_or("verdict.example/ledger");
        assert!(checkpoint::parse(&data, o, &key).is_err(), "{name}");
        assert!(checkpoint::verify(&data, o, &[key]).is_err(), "{name}");
        let _ = Record::parse(&data);
        if let Ok(p) = InclusionProof::from_json(&data) {
            assert!(p.verify(p.checkpoint.as_bytes(), &[key]).is_err(), "{name}");
        }
        // As in the fuzz target: three u64s, then 32-byte hashes.
        let u64_at = |at: usize| {
            let mut b = [0u8; 8];
            for (i, x) in b.iter_mut().enumerate() {
                *x = data.get(at + i).copied().unwrap_or(0);
            }
            u64::from_le_bytes(b)
        };
        let (a, b, c) = (u64_at(0), u64_at(8), u64_at(16));
        let chunks: Vec<&[u8]> = data.get(24..).unwrap_or(&[]).chunks(32).collect();
        let hashes: Vec<tree::Hash> = chunks
            .iter()
            .filter_map(|h| tree::hash_from_slice(h))
            .collect();
        if hashes.len() >= 2 {
            let _ = tree::check_inclusion(&hashes[2..], a, hashes[0], b, hashes[1]);
            let _ = tree::check_consistency(&hashes[2..], a, hashes[0], c, hashes[1]);
        }
        if chunks.len() >= 2 {
            let _ = tree::check_consistency_bytes(&chunks[2..], b, chunks[0], c, chunks[1]);
        }
    }
}
