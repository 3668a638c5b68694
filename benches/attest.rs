//! The attest stage on the signed clean report (five embedded signatures), against ed25519
//! single-verify throughput of the same machine in the same run (the baseline).
//!
//! `cargo bench --bench attest -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use verdict::attest::keyring::Keyring;
use verdict::attest::{attest, digest, signing_message, verify_ed25519};
use verdict::limits::Limits;
use verdict::report::attestation::{AttestationLine, SignatureLine, classify};
use verdict::text::decode;

fn bench(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(root.join("fixtures/reports/signed/clean.md")).unwrap();
    let ring = Keyring::load(&root.join("fixtures/keys/keyring.yaml"), 1 << 20).unwrap();
    let text = decode(&bytes, &Limits::default()).unwrap();
    let date = "2026-11-20T00:00:00Z".parse().unwrap();
    let msg = signing_message(&digest(&text));
    let records: Vec<_> = text
        .canonical
        .lines()
        .filter_map(|l| match classify(l) {
            Some(AttestationLine::Signature(SignatureLine::Parsed(r))) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(records.len(), 5);
    let ev = attest(&text, Some(&ring), None, Some(date), 1024);
    assert_eq!(ev.distinct_valid_signers, 5);

    let mut g = c.benchmark_group("attest");
    g.bench_function("baseline: one ed25519 verify_strict", |b| {
        b.iter(|| {
            verify_ed25519(
                black_box(&records[0].public_key),
                black_box(&msg),
                &records[0].signature,
            )
        })
    });
    g.bench_function("five verify_strict (signatures of clean.md)", |b| {
        b.iter(|| {
            records
                .iter()
                .all(|r| verify_ed25519(black_box(&r.public_key), black_box(&msg), &r.signature))
        })
    });
    g.bench_function("canonical digest of clean.md", |b| {
        b.iter(|| digest(black_box(&text)))
    });
    g.bench_function("attest(clean.md): digest + 5 signatures x keyring", |b| {
        b.iter(|| attest(black_box(&text), Some(&ring), None, Some(date), 1024))
    });
    g.bench_function("decode + attest(clean.md) from bytes", |b| {
        b.iter(|| {
            let t = decode(black_box(&bytes), &Limits::default()).unwrap();
            attest(&t, Some(&ring), None, Some(date), 1024)
        })
    });
    // The real parse of the same decoded text: what the issue compares the five signatures
    // against ("verifying the five signatures costs less than parsing it").
    g.bench_function("report::parse(clean.md)", |b| {
        b.iter(|| {
            verdict::report::parse(black_box(&text), &Limits::default()).map(|r| r.claims.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
