//! Checkpoints (signed notes), exported inclusion proofs and ledger records: everything the
//! ledger commands read from files a user hands them.
#![no_main]
use ed25519_dalek::SigningKey;
use libfuzzer_sys::fuzz_target;
use verdict::ledger::{checkpoint, proof::InclusionProof, record::Record};

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
});
