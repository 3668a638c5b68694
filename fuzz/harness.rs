//! The body of every fuzz target, shared by the cargo-fuzz targets (fuzz/fuzz_targets/, each
//! one line) and by tests/fuzz_regressions.rs, which replays the saved inputs: a crash found
//! by fuzzing is replayed through exactly the calls that found it. Each function returns what
//! the replay asserts about the committed inputs (they are all invalid on purpose).
//!
//! Included with `#[path]` by both, so it is not part of the library.
#![allow(dead_code)]

use ed25519_dalek::SigningKey;
use verdict::ledger::{checkpoint, proof::InclusionProof, record::Record, tree};
use verdict::limits::Limits;

/// Bytes → text::decode → report::parse: the whole front of the pipeline on any input.
pub fn report(data: &[u8]) {
    let limits = Limits::default();
    if let Ok(text) = verdict::text::decode(data, &limits) {
        let _ = verdict::report::parse(&text, &limits);
        // A small element bound exercises the over-limit paths too.
        let _ = verdict::report::parse_bounded(&text, &limits, 16);
    }
}

/// The nom claim grammars on any UTF-8 text.
pub fn claims(text: &str) {
    let _ = verdict::report::claims::scan(text);
    let _ = verdict::report::claims::scan_bounded(text, 4);
    let _ = verdict::report::claims::parse_quantity(text);
}

/// The strict YAML policy loader (limits, nesting, aliases, unknown keys). True when the text
/// loaded as a policy.
pub fn policy_load(text: &str) -> bool {
    verdict::policy::load::load_str("fuzz.yaml", text, &Limits::default()).is_ok()
}

/// The `2f+1` expression grammar and its checked evaluation.
pub fn policy_expr(text: &str) {
    if let Ok(e) = verdict::policy::Expr::parse(text) {
        for (f, n) in [(0, 0), (2, 7), (u64::MAX, u64::MAX), (u64::MAX / 3, 1)] {
            let _ = e.eval(f, n);
        }
    }
}

/// Signature and report-hash line recognition, one line at a time as the digest does it; the
/// two recognisers must agree on every line.
pub fn attestation(text: &str) {
    use verdict::report::attestation::{AttestationLine, classify, is_attestation_line};
    for line in text.lines() {
        let found = classify(line);
        assert_eq!(found.is_some(), is_attestation_line(line), "{line:?}");
        if let Some(AttestationLine::ReportHash(h)) = &found {
            let _ = h.algorithm_id();
        }
    }
}

/// Keyring YAML parsing (ids, base64 keys, validity windows, revocation). True when the text
/// parsed as a keyring.
pub fn keyring(text: &str) -> bool {
    match verdict::attest::Keyring::parse(text, "fuzz.yaml") {
        Ok(k) => {
            let _ = k.digest_hex();
            true
        }
        Err(_) => false,
    }
}

/// What [`ledger`] accepted.
pub struct LedgerOutcome {
    pub checkpoint_parsed: bool,
    pub checkpoint_verified: bool,
    /// `None` when the input is not an inclusion-proof document.
    pub proof_verified: Option<bool>,
}

/// Checkpoints (signed notes), exported inclusion proofs and ledger records: everything the
/// ledger commands read from files a user hands them; and the Merkle proof checkers on
/// arbitrary sizes, indices and hashes (what a proof file or a saved checkpoint can claim).
pub fn ledger(data: &[u8]) -> LedgerOutcome {
    let key = SigningKey::from_bytes(&[7; 32]).verifying_key();
    let origin = checkpoint::origin_of(data);
    let o = origin.as_deref().unwrap_or("verdict.example/ledger");
    let checkpoint_parsed = checkpoint::parse(data, o, &key).is_ok();
    let checkpoint_verified = checkpoint::verify(data, o, &[key]).is_ok();
    let _ = Record::parse(data);
    let proof_verified = InclusionProof::from_json(data)
        .ok()
        .map(|p| p.verify(p.checkpoint.as_bytes(), &[key]).is_ok());
    // Proof checkers: three u64s, then 32-byte hashes (the first two are root and leaf).
    let (a, b, c) = (u64_at(data, 0), u64_at(data, 8), u64_at(data, 16));
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
    LedgerOutcome {
        checkpoint_parsed,
        checkpoint_verified,
        proof_verified,
    }
}

/// The little-endian u64 at `at`, zero-padded past the end.
fn u64_at(data: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    for (i, x) in b.iter_mut().enumerate() {
        *x = data.get(at + i).copied().unwrap_or(0);
    }
    u64::from_le_bytes(b)
}
