//! The `2f+1` expression grammar and its checked evaluation.
#![no_main]
use libfuzzer_sys::fuzz_target;
use verdict::policy::Expr;

fuzz_target!(|text: &str| {
    if let Ok(e) = Expr::parse(text) {
        for (f, n) in [(0, 0), (2, 7), (u64::MAX, u64::MAX), (u64::MAX / 3, 1)] {
            let _ = e.eval(f, n);
        }
    }
});
