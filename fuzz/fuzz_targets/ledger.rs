//! Checkpoints (signed notes), exported inclusion proofs and ledger records: everything the
//! ledger commands read from files a user hands them; and the Merkle proof checkers on
//! arbitrary sizes, indices and hashes (what a proof file or a saved checkpoint can claim).
#![no_main]
use ed25519_dalek::SigningKey;
use libfuzzer_sys::fuzz_target;
use verdict::ledger::{checkpoint, proof::InclusionProof, record::Record, tree};

fn u64_at(data: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    for (i, x) in b.iter_mut().enumerate() {
        *x = data.get(at + i).copied().unwrap_or(0);
    }
    u64::from_le_bytes(b)
}

fuzz_target!(|data: &[u8]| {
    let key = SigningKey::from_bytes(&[7; 32]).verifying_key();
    let origin = checkpoint::origin_of(data);
    let o = origin.as_deref().unwrap_or("verdict.example/ledger");
    let _ = checkpoint::parse(data, o, &key);
    let _ = checkpoint::verify(data, o, &[key]);
    let _ = Record::parse(data);
    if let Ok(p) = InclusionProof::from_json(data) {
        let _ = p.verify(p.checkpoint.as_bytes(), &[key]);
    }
    // Proof checkers: three u64s, then 32-byte hashes (the first two are root and leaf).
    let (a, b, c) = (u64_at(data, 0), u64_at(data, 8), u64_at(data, 16));
    let rest = data.get(24..).unwrap_or(&[]);
    let chunks: Vec<&[u8]> = rest.chunks(32).collect();
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
});
