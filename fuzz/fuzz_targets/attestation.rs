//! cargo-fuzz target `attestation`: the body is `harness::attestation` in fuzz/harness.rs, shared with
//! tests/fuzz_regressions.rs so saved inputs replay through the same calls.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|text: &str| {
    harness::attestation(text);
});
