//! Known-answer tests for verdict's ed25519 (`verify_ed25519` and signing), over vectors
//! copied into fixtures/vectors/ (SOURCE.txt beside each says where from).

use ed25519_dalek::{Signer as _, SigningKey};
use serde_json::Value;
use std::path::PathBuf;
use verdict::attest::verify_ed25519;

fn vectors(rel: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/vectors")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

/// Wycheproof: every one of the 151 cases gives its expected result.
#[test]
fn wycheproof_all_151() {
    let v: Value = serde_json::from_str(&vectors("wycheproof/ed25519_test.json")).unwrap();
    let mut n = 0;
    let mut failures = Vec::new();
    for g in v["testGroups"].as_array().unwrap() {
        let pk = unhex(g["publicKey"]["pk"].as_str().unwrap());
        let pk: [u8; 32] = pk.try_into().unwrap();
        for t in g["tests"].as_array().unwrap() {
            n += 1;
            let msg = unhex(t["msg"].as_str().unwrap());
            let sig = unhex(t["sig"].as_str().unwrap());
            let want = match t["result"].as_str().unwrap() {
                "valid" => true,
                "invalid" => false,
                other => panic!("unexpected result {other}"),
            };
            if verify_ed25519(&pk, &msg, &sig) != want {
                failures.push(t["tcId"].as_i64().unwrap());
            }
        }
    }
    assert_eq!(n, 151);
    assert_eq!(v["numberOfTests"], 151);
    assert!(
        failures.is_empty(),
        "tcIds with the wrong result: {failures:?}"
    );
}

/// The flags docs/signatures.md says verdict rejects; every other flag is accepted.
const REJECTED_FLAGS: [&str; 5] = [
    "low_order_A",
    "low_order_R",
    "non_canonical_A",
    "non_canonical_R",
    "low_order_residue",
];

/// CCTV: each vector is accepted exactly when it carries none of [`REJECTED_FLAGS`].
#[test]
fn cctv_every_vector_as_documented() {
    let v: Value = serde_json::from_str(&vectors("cctv/ed25519vectors.json")).unwrap();
    let all = v.as_array().unwrap();
    assert_eq!(all.len(), 914);
    let (mut accepted, mut wrong) = (0, Vec::new());
    for t in all {
        let pk: [u8; 32] = unhex(t["key"].as_str().unwrap()).try_into().unwrap();
        let sig = unhex(t["sig"].as_str().unwrap());
        let msg = t["msg"].as_str().unwrap().as_bytes();
        let flags: Vec<&str> = t["flags"]
            .as_array()
            .map(|f| f.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let predicted = !flags.iter().any(|f| REJECTED_FLAGS.contains(f));
        let got = verify_ed25519(&pk, msg, &sig);
        accepted += usize::from(got);
        if got != predicted {
            wrong.push((t["number"].as_i64().unwrap(), flags.join(",")));
        }
    }
    assert!(wrong.is_empty(), "vectors not as documented: {wrong:?}");
    // Pin the count too, so a change in strictness cannot hide behind the prediction.
    assert_eq!(accepted, 43);
}

/// sign.input (first three lines = RFC 8032 §7.1 TESTs 1-3): signatures reproduce byte
/// for byte and verify.
#[test]
fn sign_input_reproduces_byte_for_byte() {
    for (file, lines) in [
        ("rfc8032/ed25519_sign_input_TESTVECTORS.txt", 128),
        ("rfc8032/rfc8032_sec7.1_tests1-3.txt", 3),
    ] {
        let text = vectors(file);
        let mut n = 0;
        for line in text.lines().filter(|l| !l.is_empty()) {
            let f: Vec<&str> = line.split(':').collect();
            let sk = unhex(f[0]);
            let seed: [u8; 32] = sk[..32].try_into().unwrap();
            let key = SigningKey::from_bytes(&seed);
            assert_eq!(key.verifying_key().to_bytes().as_slice(), unhex(f[1]));
            let msg = unhex(f[2]);
            let sigmsg = unhex(f[3]);
            let sig = key.sign(&msg).to_bytes();
            assert_eq!(sig.as_slice(), &sigmsg[..64], "line {}", n + 1);
            assert!(verify_ed25519(&key.verifying_key().to_bytes(), &msg, &sig));
            n += 1;
        }
        assert_eq!(n, lines, "{file}");
    }
}
