//! cargo-fuzz target `ledger`: the body is `harness::ledger` in fuzz/harness.rs, shared with
//! tests/fuzz_regressions.rs so saved inputs replay through the same calls.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    let _ = harness::ledger(data);
});
